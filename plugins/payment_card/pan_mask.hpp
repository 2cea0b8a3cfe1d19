// PCI DSS: Till never keeps a full card number. What the terminal sends is
// masked again here before anything is stored, logged or returned, so a
// terminal that sends too much (a full PAN in `masked_pan`, a card number in
// its message) still leaves nothing behind.
#pragma once

#include <string>
#include <string_view>

namespace till::payment_card {

/// "************" + the last 4 digits of `pan` ("" when it has fewer than 4
/// digits). Sets `showed_more` when the input revealed more than 4 digits.
std::string mask_pan(std::string_view pan, bool& showed_more);

/// `text` with every run of 12 or more digits (spaces and '-' inside a run
/// count as part of it) replaced by its masked form. Sets `scrubbed` when
/// something was replaced.
std::string scrub_card_numbers(std::string_view text, bool& scrubbed);

}  // namespace till::payment_card
