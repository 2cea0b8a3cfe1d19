// The cart inside one Lua state, as read-only views over tables that are
// updated in place: unchanged lines keep their tables, so a cart change
// costs only the lines that changed (kernel/script internal).
#pragma once

#include <lua.hpp>

#include "script/cart.hpp"

namespace till::script::detail {

class CartMirror {
public:
    explicit CartMirror(lua_State* L);
    ~CartMirror();
    CartMirror(const CartMirror&) = delete;
    CartMirror& operator=(const CartMirror&) = delete;
    /// Brings the Lua-side cart up to date with `cart`.
    void update(const Cart& cart);
    /// Pushes the read-only cart view.
    void push(lua_State* L) const;

private:
    void set_line(int index, const CartLine& line);
    void set_customer(const std::optional<CartCustomer>& customer);

    lua_State* L_;
    int cart_ref_ = LUA_NOREF;    ///< view
    int backing_ref_ = LUA_NOREF; ///< cart table
    int lines_ref_ = LUA_NOREF;   ///< lines array
    int totals_ref_ = LUA_NOREF;  ///< totals table
    bool first_ = true;
    Cart cached_;
};

/// Pushes a read-only array of strings.
void push_string_list(lua_State* L, const std::vector<std::string>& items);

}  // namespace till::script::detail
