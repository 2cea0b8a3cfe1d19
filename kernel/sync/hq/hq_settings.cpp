#include "sync/hq/hq_settings.hpp"

namespace till::sync::hq {

HqSettings hq_settings_from(const sdk::Value& sync_section) {
    HqSettings s;
    if (const auto* v = sync_section.find("hq_max_batch_events"); v && v->is_int() && v->as_int() > 0)
        s.max_batch_events = v->as_int();
    if (const auto* v = sync_section.find("hq_max_pull_changes"); v && v->is_int() && v->as_int() > 0)
        s.max_pull_changes = v->as_int();
    return s;
}

}  // namespace till::sync::hq
