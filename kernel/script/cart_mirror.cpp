#include "script/cart_mirror.hpp"

#include "script/lua_internal.hpp"

namespace till::script::detail {

namespace {

void set_string(lua_State* L, int table, const char* key, const std::string& value) {
    lua_pushlstring(L, value.data(), value.size());
    lua_setfield(L, table, key);
}

void set_int(lua_State* L, int table, const char* key, std::int64_t value) {
    lua_pushnumber(L, static_cast<lua_Number>(value));
    lua_setfield(L, table, key);
}

}  // namespace

void push_string_list(lua_State* L, const std::vector<std::string>& items) {
    lua_createtable(L, static_cast<int>(items.size()), 0);
    int i = 1;
    for (const auto& s : items) {
        lua_pushlstring(L, s.data(), s.size());
        lua_rawseti(L, -2, i++);
    }
    push_readonly(L, -1);
    lua_replace(L, -2);
}

CartMirror::CartMirror(lua_State* L) : L_(L) {
    lua_createtable(L, 0, 10);
    int cart = lua_gettop(L);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lines_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
    push_readonly(L, -1);
    lua_setfield(L, cart, "lines");
    lua_pop(L, 1);
    lua_createtable(L, 0, 4);
    lua_pushvalue(L, -1);
    totals_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
    push_readonly(L, -1);
    lua_setfield(L, cart, "totals");
    lua_pop(L, 1);
    push_readonly(L, cart);
    cart_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
    backing_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
}

CartMirror::~CartMirror() {
    for (int ref : {cart_ref_, backing_ref_, lines_ref_, totals_ref_}) luaL_unref(L_, LUA_REGISTRYINDEX, ref);
}

void CartMirror::set_line(int index, const CartLine& line) {
    lua_State* L = L_;
    lua_rawgeti(L, LUA_REGISTRYINDEX, lines_ref_);
    int lines = lua_gettop(L);
    lua_createtable(L, 0, 12);
    int t = lua_gettop(L);
    set_string(L, t, "line_id", line.line_id);
    set_string(L, t, "sku", line.sku);
    set_string(L, t, "name", line.name);
    set_string(L, t, "department", line.department);
    push_string_list(L, line.tags);
    lua_setfield(L, t, "tags");
    set_int(L, t, "qty_milli", line.qty_milli);
    lua_pushnumber(L, static_cast<lua_Number>(line.qty_milli) / 1000.0);
    lua_setfield(L, t, "qty");
    set_int(L, t, "unit_price_minor", line.unit_price_minor);
    set_int(L, t, "total_minor", line.total_minor);
    lua_createtable(L, static_cast<int>(line.modifiers.size()), 0);
    int mods = lua_gettop(L);
    int i = 1;
    for (const auto& m : line.modifiers) {
        lua_createtable(L, 0, 3);
        int mt = lua_gettop(L);
        set_string(L, mt, "modifier_id", m.modifier_id);
        set_string(L, mt, "name", m.name);
        set_int(L, mt, "price_delta_minor", m.price_delta_minor);
        push_readonly(L, mt);
        lua_rawseti(L, mods, i++);
        lua_pop(L, 1);
    }
    push_readonly(L, mods);
    lua_setfield(L, t, "modifiers");
    lua_pop(L, 1);  // mods
    push_readonly(L, t);
    lua_rawseti(L, lines, index);
    lua_settop(L, lines - 1);
}

void CartMirror::set_customer(const std::optional<CartCustomer>& customer) {
    lua_State* L = L_;
    lua_rawgeti(L, LUA_REGISTRYINDEX, backing_ref_);
    int cart = lua_gettop(L);
    if (!customer) {
        lua_pushnil(L);
    } else {
        lua_createtable(L, 0, 3);
        int c = lua_gettop(L);
        set_string(L, c, "customer_id", customer->customer_id);
        set_string(L, c, "name", customer->name);
        push_string_list(L, customer->tags);
        lua_setfield(L, c, "tags");
        push_readonly(L, c);
        lua_replace(L, c);
    }
    lua_setfield(L, cart, "customer");
    lua_pop(L, 1);
}

void CartMirror::update(const Cart& cart) {
    lua_State* L = L_;
    if (first_ || cart.order_id != cached_.order_id || cart.order_type != cached_.order_type ||
        cart.currency != cached_.currency) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, backing_ref_);
        set_string(L, lua_gettop(L), "order_id", cart.order_id);
        set_string(L, lua_gettop(L), "order_type", cart.order_type);
        set_string(L, lua_gettop(L), "currency", cart.currency);
        lua_pop(L, 1);
        cached_.order_id = cart.order_id;
        cached_.order_type = cart.order_type;
        cached_.currency = cart.currency;
    }
    if (first_ || cart.subtotal_minor != cached_.subtotal_minor || cart.discount_minor != cached_.discount_minor ||
        cart.tax_minor != cached_.tax_minor || cart.total_minor != cached_.total_minor) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, totals_ref_);
        int t = lua_gettop(L);
        set_int(L, t, "subtotal_minor", cart.subtotal_minor);
        set_int(L, t, "discount_minor", cart.discount_minor);
        set_int(L, t, "tax_minor", cart.tax_minor);
        set_int(L, t, "total_minor", cart.total_minor);
        lua_pop(L, 1);
        lua_rawgeti(L, LUA_REGISTRYINDEX, backing_ref_);
        set_int(L, lua_gettop(L), "total_minor", cart.total_minor);
        lua_pop(L, 1);
        cached_.subtotal_minor = cart.subtotal_minor;
        cached_.discount_minor = cart.discount_minor;
        cached_.tax_minor = cart.tax_minor;
        cached_.total_minor = cart.total_minor;
    }
    for (std::size_t i = 0; i < cart.lines.size(); ++i) {
        if (i < cached_.lines.size() && cached_.lines[i] == cart.lines[i]) continue;
        set_line(static_cast<int>(i) + 1, cart.lines[i]);
        if (i < cached_.lines.size()) cached_.lines[i] = cart.lines[i];
        else cached_.lines.push_back(cart.lines[i]);
    }
    if (cached_.lines.size() > cart.lines.size()) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, lines_ref_);
        for (std::size_t i = cached_.lines.size(); i > cart.lines.size(); --i) {
            lua_pushnil(L);
            lua_rawseti(L, -2, static_cast<int>(i));
        }
        lua_pop(L, 1);
        cached_.lines.resize(cart.lines.size());
    }
    if (first_ || cart.customer != cached_.customer) {
        set_customer(cart.customer);
        cached_.customer = cart.customer;
    }
    first_ = false;
}

void CartMirror::push(lua_State* L) const { lua_rawgeti(L, LUA_REGISTRYINDEX, cart_ref_); }

}  // namespace till::script::detail
