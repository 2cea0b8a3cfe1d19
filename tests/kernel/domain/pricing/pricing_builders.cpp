#include "pricing_builders.hpp"

#include <catch2/catch.hpp>

namespace till::test::pricing {

p::OrderResult priced(const p::OrderInput& input, const p::Settings& s) {
    auto result = p::price_order(input, s);
    INFO((result.ok() ? std::string() : result.error().code + " " + result.error().message));
    REQUIRE(result.ok());
    return result.value();
}

}  // namespace till::test::pricing
