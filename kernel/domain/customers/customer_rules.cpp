#include "domain/customers/customer_rules.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "domain/common/body_reader.hpp"

namespace till::domain::customers {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool is_clean_text(std::string_view text) { return !check_text(text).has_value(); }

namespace {

enum class Lines { single, multi };

/// Checks `text` is UTF-8 without control characters (a multi-line text may
/// hold \n and \t) and at most `max_bytes` long. The rules also run on
/// records that did not come through BodyReader (sync, imports), so the
/// UTF-8 check (domain::check_text) is made here too.
sdk::Status checked_text(std::string_view text, const std::string& path, std::size_t max_bytes, Lines lines) {
    if (text.size() > max_bytes)
        return invalid_field(path, "is longer than " + std::to_string(max_bytes) + " bytes");
    for (char ch : text) {
        const unsigned char c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7F) {
            if (!(lines == Lines::multi && (c == '\n' || c == '\t')))
                return invalid_field(path, "must not contain control characters");
        }
    }
    if (auto problem = check_text(text)) return invalid_field(path, *problem);
    return {};
}

bool is_phone_punctuation(char c) { return c == ' ' || c == '.' || c == '-' || c == '(' || c == ')' || c == '/'; }

bool valid_domain(std::string_view domain) {
    if (domain.empty() || domain.find('.') == std::string_view::npos) return false;
    std::size_t start = 0;
    while (start <= domain.size()) {
        std::size_t dot = domain.find('.', start);
        if (dot == std::string_view::npos) dot = domain.size();
        std::string_view label = domain.substr(start, dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
        for (char c : label) {
            const unsigned char u = static_cast<unsigned char>(c);
            // Letters, digits, '-' and non-ASCII (internationalised domains).
            if (!(std::isalnum(u) || c == '-' || u >= 0x80)) return false;
        }
        start = dot + 1;
    }
    return true;
}

/// The display name when none is given: "Given Family", else the email,
/// else the phone; "" when there is nothing.
std::string made_display_name(const Customer& c) {
    std::string name = c.given_name;
    if (!c.family_name.empty()) name += (name.empty() ? "" : " ") + c.family_name;
    if (!name.empty()) return name;
    if (!c.email.empty()) return c.email;
    return c.phone;
}

sdk::Status check_names(const Customer& c) {
    // The names before the display name: it may be made from them.
    if (auto s = checked_text(c.given_name, "$.given_name", limits::name_bytes, Lines::single); !s.ok()) return s;
    if (auto s = checked_text(c.family_name, "$.family_name", limits::name_bytes, Lines::single); !s.ok()) return s;
    if (auto s = checked_text(c.display_name, "$.display_name", limits::display_name_bytes, Lines::single); !s.ok())
        return s;
    if (auto s = checked_text(c.note, "$.note", limits::note_bytes, Lines::multi); !s.ok()) return s;
    return checked_text(c.tax_exempt_reference, "$.tax_exempt_reference", limits::reference_bytes, Lines::single);
}

/// The tax exemption rule: an exempt customer has a certificate reference;
/// a customer that is not exempt has none.
sdk::Status check_exemption(const Customer& c) {
    if (c.tax_exempt && c.tax_exempt_reference.empty())
        return invalid_field("$.tax_exempt_reference", "is required when tax_exempt is true (the exemption certificate)");
    if (!c.tax_exempt && !c.tax_exempt_reference.empty())
        return invalid_field("$.tax_exempt_reference", "must be empty unless tax_exempt is true");
    return {};
}

/// Adds each white-space separated chunk of `folded` and, when it holds
/// punctuation ("jean-luc", "o.neill"), each of its pieces too.
void split_words(std::string_view folded, std::set<std::string>& out) {
    std::string chunk;
    std::string piece;
    auto flush_piece = [&] {
        if (!piece.empty()) out.insert(piece);
        piece.clear();
    };
    auto flush_chunk = [&] {
        flush_piece();
        if (!chunk.empty()) out.insert(chunk);
        chunk.clear();
    };
    for (char c : folded) {
        if (is_space(c)) {
            flush_chunk();
            continue;
        }
        chunk += c;
        const unsigned char u = static_cast<unsigned char>(c);
        if (u < 0x80 && !std::isalnum(u)) flush_piece();
        else piece += c;
    }
    flush_chunk();
}

}  // namespace

const std::vector<std::string>& stamped_fields() {
    static const std::vector<std::string> fields = {
        "display_name", "given_name", "family_name",          "email",           "phone",
        "note",         "tax_exempt", "tax_exempt_reference", "marketing_opt_in", "active"};
    return fields;
}

std::string trim(std::string_view text) {
    std::size_t b = 0;
    std::size_t e = text.size();
    while (b < e && is_space(text[b])) ++b;
    while (e > b && is_space(text[e - 1])) --e;
    return std::string(text.substr(b, e - b));
}

std::string fold_case(std::string_view text) {
    std::string out(text);
    for (std::size_t i = 0; i < out.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(out[i]);
        if (c >= 'A' && c <= 'Z') {
            out[i] = static_cast<char>(c + 32);
        } else if (c == 0xC3 && i + 1 < out.size()) {
            // U+00C0..U+00DE (except × U+00D7) are "C3 80".."C3 9E"; lower case is +0x20.
            const unsigned char n = static_cast<unsigned char>(out[i + 1]);
            if (n >= 0x80 && n <= 0x9E && n != 0x97) out[i + 1] = static_cast<char>(n + 0x20);
            ++i;
        }
    }
    return out;
}

sdk::Result<std::string> checked_email(std::string_view raw, const std::string& json_path) {
    std::string email = trim(raw);
    if (email.empty()) return email;
    if (auto s = checked_text(email, json_path, limits::email_bytes, Lines::single); !s.ok()) return s.error();
    const std::size_t at = email.find('@');
    if (at == std::string::npos || email.find('@', at + 1) != std::string::npos)
        return invalid_field(json_path, "is not an email address (expected one '@', as in name@example.com)");
    const std::string_view local = std::string_view(email).substr(0, at);
    const std::string_view domain = std::string_view(email).substr(at + 1);
    if (local.empty() || local.size() > 64)
        return invalid_field(json_path, "is not an email address (the part before '@' must be 1 to 64 characters)");
    for (char c : local)
        if (is_space(c) || c == '"' || c == ',' || c == '<' || c == '>' || c == '(' || c == ')' || c == ';' ||
            c == ':' || c == '\\' || c == '[' || c == ']')
            return invalid_field(json_path, std::string("is not an email address ('") + c +
                                                "' is not allowed before '@')");
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
        return invalid_field(json_path, "is not an email address (misplaced '.' before '@')");
    if (!valid_domain(domain))
        return invalid_field(json_path, "is not an email address (the domain after '@' must look like example.com)");
    return email;
}

std::string email_key(std::string_view email) { return fold_case(trim(email)); }

sdk::Result<std::string> normalized_phone(std::string_view raw, const std::string& json_path) {
    const std::string phone = trim(raw);
    if (phone.empty()) return phone;
    if (phone.size() > limits::phone_bytes)
        return invalid_field(json_path, "is longer than " + std::to_string(limits::phone_bytes) + " characters");
    std::string out;
    for (std::size_t i = 0; i < phone.size(); ++i) {
        const char c = phone[i];
        if (is_digit(c)) {
            out += c;
        } else if (c == '+') {
            if (i != 0) return invalid_field(json_path, "is not a phone number ('+' is allowed only first)");
            out += c;
        } else if (!is_phone_punctuation(c)) {
            return invalid_field(json_path, "is not a phone number (only digits, spaces, a leading '+' and . - ( ) / "
                                            "are allowed)");
        }
    }
    const std::size_t digits = out.size() - (out.front() == '+' ? 1 : 0);
    if (digits < limits::phone_min_digits || digits > limits::phone_max_digits)
        return invalid_field(json_path, "is not a phone number (it needs " + std::to_string(limits::phone_min_digits) +
                                            " to " + std::to_string(limits::phone_max_digits) + " digits, got " +
                                            std::to_string(digits) + ")");
    return out;
}

sdk::Result<Customer> customer_from_new(const NewCustomer& input) {
    Customer c;
    c.given_name = trim(input.given_name);
    c.family_name = trim(input.family_name);
    c.note = input.note;
    c.tax_exempt = input.tax_exempt;
    c.tax_exempt_reference = trim(input.tax_exempt_reference);
    c.marketing_opt_in = input.marketing_opt_in;
    c.active = true;
    auto email = checked_email(input.email, "$.email");
    if (!email) return email.error();
    c.email = *email;
    auto phone = normalized_phone(input.phone, "$.phone");
    if (!phone) return phone.error();
    c.phone = trim(input.phone);
    c.phone_normalized = *phone;
    if (input.display_name) {
        c.display_name = trim(*input.display_name);
        if (c.display_name.empty()) return invalid_field("$.display_name", "must not be empty");
    } else {
        c.display_name = made_display_name(c);
        if (c.display_name.empty())
            return invalid_field("$.display_name",
                                 "is required when no given_name, family_name, email or phone is given");
    }
    if (auto s = check_names(c); !s.ok()) return s.error();
    if (auto s = check_exemption(c); !s.ok()) return s.error();
    return c;
}

sdk::Result<PatchOutcome> apply_patch(const Customer& current, const CustomerPatch& patch) {
    PatchOutcome out{current, {}};
    Customer& c = out.after;
    if (patch.display_name) {
        c.display_name = trim(*patch.display_name);
        if (c.display_name.empty()) return invalid_field("$.display_name", "must not be empty");
    }
    if (patch.given_name) c.given_name = trim(*patch.given_name);
    if (patch.family_name) c.family_name = trim(*patch.family_name);
    if (patch.note) c.note = *patch.note;
    if (patch.email) {
        auto email = checked_email(*patch.email, "$.email");
        if (!email) return email.error();
        c.email = *email;
    }
    if (patch.phone) {
        auto phone = normalized_phone(*patch.phone, "$.phone");
        if (!phone) return phone.error();
        c.phone = trim(*patch.phone);
        c.phone_normalized = *phone;
    }
    if (patch.tax_exempt) {
        c.tax_exempt = *patch.tax_exempt;
        // Ending an exemption drops its certificate unless one is given too.
        if (!c.tax_exempt && !patch.tax_exempt_reference) c.tax_exempt_reference.clear();
    }
    if (patch.tax_exempt_reference) c.tax_exempt_reference = trim(*patch.tax_exempt_reference);
    if (patch.marketing_opt_in) c.marketing_opt_in = *patch.marketing_opt_in;
    if (patch.active) c.active = *patch.active;
    if (auto s = check_names(c); !s.ok()) return s.error();
    if (auto s = check_exemption(c); !s.ok()) return s.error();

    const Customer& a = current;
    const auto note_if = [&](bool changed, const char* field) {
        if (changed) out.changed_fields.emplace_back(field);
    };
    note_if(a.display_name != c.display_name, "display_name");
    note_if(a.given_name != c.given_name, "given_name");
    note_if(a.family_name != c.family_name, "family_name");
    note_if(a.email != c.email, "email");
    note_if(a.phone != c.phone, "phone");
    note_if(a.note != c.note, "note");
    note_if(a.tax_exempt != c.tax_exempt, "tax_exempt");
    note_if(a.tax_exempt_reference != c.tax_exempt_reference, "tax_exempt_reference");
    note_if(a.marketing_opt_in != c.marketing_opt_in, "marketing_opt_in");
    note_if(a.active != c.active, "active");
    return out;
}

bool changes_tax_exemption(const PatchOutcome& outcome) {
    return std::any_of(outcome.changed_fields.begin(), outcome.changed_fields.end(),
                       [](const std::string& f) { return f == "tax_exempt" || f == "tax_exempt_reference"; });
}

std::vector<std::string> search_terms(const Customer& customer) {
    std::set<std::string> terms;
    split_words(fold_case(customer.display_name), terms);
    split_words(fold_case(customer.given_name), terms);
    split_words(fold_case(customer.family_name), terms);
    if (!customer.email.empty()) terms.insert(email_key(customer.email));
    return {terms.begin(), terms.end()};
}

std::vector<std::string> query_words(std::string_view query) {
    std::vector<std::string> words;
    std::string word;
    for (char c : fold_case(query)) {
        if (is_space(c)) {
            if (!word.empty()) words.push_back(std::move(word));
            word.clear();
        } else {
            word += c;
        }
    }
    if (!word.empty()) words.push_back(std::move(word));
    return words;
}

std::string phone_digits_of(std::string_view word) {
    std::string digits;
    for (char c : word) {
        if (is_digit(c)) digits += c;
        else if (!(c == '+' || is_phone_punctuation(c))) return {};
    }
    return digits.size() >= 3 ? digits : std::string();
}

}  // namespace till::domain::customers
