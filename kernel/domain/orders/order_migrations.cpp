// Schema of module "domain.orders". Money and times are BIGINT minor units
// and UTC milliseconds; flags are BIGINT 0/1; ids are UUIDv7 text.
#include "domain/orders/order_store.hpp"

namespace till::domain::orders {

namespace {
constexpr const char* kSchemaV1 = R"SQL(
CREATE TABLE orders (
  order_id TEXT PRIMARY KEY,
  order_type_id TEXT NOT NULL,
  state TEXT NOT NULL,
  version BIGINT NOT NULL,
  currency TEXT NOT NULL,
  customer_id TEXT NOT NULL DEFAULT '',
  fields_json TEXT NOT NULL DEFAULT '{}',
  register_session_id TEXT NOT NULL DEFAULT '',
  settled_session_id TEXT NOT NULL DEFAULT '',
  terminal_id TEXT NOT NULL DEFAULT '',
  user_id TEXT NOT NULL DEFAULT '',
  is_return BIGINT NOT NULL DEFAULT 0,
  original_order_id TEXT NOT NULL DEFAULT '',
  reason_code TEXT NOT NULL DEFAULT '',
  refund_authorized_by TEXT NOT NULL DEFAULT '',
  discount_kind TEXT NOT NULL DEFAULT 'none',
  discount_percent_bp BIGINT NOT NULL DEFAULT 0,
  discount_amount_minor BIGINT NOT NULL DEFAULT 0,
  gross_minor BIGINT NOT NULL DEFAULT 0,
  discount_minor BIGINT NOT NULL DEFAULT 0,
  tax_minor BIGINT NOT NULL DEFAULT 0,
  total_minor BIGINT NOT NULL DEFAULT 0,
  taxes_json TEXT NOT NULL DEFAULT '[]',
  opened_utc_ms BIGINT NOT NULL,
  submitted_utc_ms BIGINT NOT NULL DEFAULT 0,
  paid_utc_ms BIGINT NOT NULL DEFAULT 0,
  closed_utc_ms BIGINT NOT NULL DEFAULT 0,
  voided_utc_ms BIGINT NOT NULL DEFAULT 0,
  void_reason TEXT NOT NULL DEFAULT '',
  submit_hook_ran BIGINT NOT NULL DEFAULT 0,
  tax_exempt BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX orders_by_session ON orders (register_session_id);
CREATE INDEX orders_by_settled_session ON orders (settled_session_id);
CREATE INDEX orders_by_original ON orders (original_order_id);
CREATE INDEX orders_by_state ON orders (state, order_id);
CREATE TABLE order_lines (
  line_id TEXT PRIMARY KEY,
  order_id TEXT NOT NULL REFERENCES orders (order_id),
  position BIGINT NOT NULL,
  sku TEXT NOT NULL,
  name TEXT NOT NULL,
  department_id TEXT NOT NULL DEFAULT '',
  item_json TEXT NOT NULL,
  qty_milli BIGINT NOT NULL,
  unit_price_minor BIGINT NOT NULL,
  modifiers_json TEXT NOT NULL DEFAULT '[]',
  note TEXT NOT NULL DEFAULT '',
  discount_kind TEXT NOT NULL DEFAULT 'none',
  discount_percent_bp BIGINT NOT NULL DEFAULT 0,
  discount_amount_minor BIGINT NOT NULL DEFAULT 0,
  gross_minor BIGINT NOT NULL DEFAULT 0,
  line_discount_minor BIGINT NOT NULL DEFAULT 0,
  order_discount_minor BIGINT NOT NULL DEFAULT 0,
  net_minor BIGINT NOT NULL DEFAULT 0,
  tax_minor BIGINT NOT NULL DEFAULT 0,
  total_minor BIGINT NOT NULL DEFAULT 0,
  taxes_json TEXT NOT NULL DEFAULT '[]',
  original_line_id TEXT NOT NULL DEFAULT '',
  voided BIGINT NOT NULL DEFAULT 0,
  voided_utc_ms BIGINT NOT NULL DEFAULT 0,
  void_reason TEXT NOT NULL DEFAULT '',
  UNIQUE (order_id, position)
);
CREATE INDEX order_lines_by_original ON order_lines (original_line_id)
)SQL";
}  // namespace

const std::vector<sdk::Migration>& order_migrations() {
    static const std::vector<sdk::Migration> migrations = {
        {1, "orders and order lines", kSchemaV1, ""},
    };
    return migrations;
}

}  // namespace till::domain::orders
