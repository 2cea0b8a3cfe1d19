// The receipt e-mail shape check.
#include <catch2/catch.hpp>

#include "retail_fields.hpp"

using till::order_retail::is_email_shape;

TEST_CASE("e-mail shapes", "[retail][email]") {
    for (const char* good : {"ana@example.com", "a.b+receipts@shop.example.co.uk", "x@a-b.io", "o'neil@example.org"})
        CHECK(is_email_shape(good));
    for (const char* bad : {"", "ana", "ana@", "@example.com", "ana@example", "ana@@example.com", "a b@example.com",
                            "ana@exa mple.com", "ana@-example.com", "ana@example-.com", "ana@example..com",
                            ".ana@example.com", "ana.@example.com", "an..a@example.com", "ana@example.com.",
                            "<ana@example.com>", "ana@ex_ample.com"})
        CHECK_FALSE(is_email_shape(bad));
    CHECK_FALSE(is_email_shape(std::string(65, 'a') + "@example.com"));
    CHECK_FALSE(is_email_shape("a@" + std::string(250, 'b') + ".com"));
}
