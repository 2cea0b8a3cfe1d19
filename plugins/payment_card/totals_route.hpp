// GET /api/v1/payment-card/totals: the card terminal's totals of its current
// batch (end of day), asked live from the terminal. Closing the batch is done
// on the terminal (or with the protocol's `totals` + `close`), not over the
// node's API: plugin routes are not behind the node's permissions yet.
#pragma once

#include <memory>

#include <till/sdk/http.hpp>

#include "card_method.hpp"

namespace till::payment_card {

inline constexpr const char* kTotalsPath = "/api/v1/payment-card/totals";

sdk::RouteHandler totals_route(std::shared_ptr<CardMethod> method);

}  // namespace till::payment_card
