#include "totals_route.hpp"

namespace till::payment_card {

sdk::RouteHandler totals_route(std::shared_ptr<CardMethod> method) {
    return [method](const sdk::HttpRequest&) {
        auto totals = method->terminal_totals(false);
        if (!totals) return sdk::HttpResponse::problem(503, "Card terminal unavailable", totals.error().message);
        return sdk::HttpResponse::json(*totals);
    };
}

}  // namespace till::payment_card
