#include "domain_fixture.hpp"

#include <stdexcept>

#include "config/node_config.hpp"
#include "support/test_postgres.hpp"

namespace till::test {

std::int64_t ManualClock::now_utc_ms() const noexcept {
    std::lock_guard lock(mutex_);
    return now_ms_;
}
std::int64_t ManualClock::monotonic_ms() const noexcept {
    std::lock_guard lock(mutex_);
    return mono_ms_;
}
void ManualClock::set_utc_ms(std::int64_t utc_ms) noexcept {
    std::lock_guard lock(mutex_);
    now_ms_ = utc_ms;
}
void ManualClock::advance_ms(std::int64_t delta_ms) noexcept {
    std::lock_guard lock(mutex_);
    now_ms_ += delta_ms;
    mono_ms_ += delta_ms;
}

void RecordingLogger::log(sdk::LogLevel, std::string_view message) noexcept {
    try {
        std::lock_guard lock(mutex_);
        lines_.emplace_back(message);
    } catch (...) {
    }
}
bool RecordingLogger::contains(const std::string& text) const {
    std::lock_guard lock(mutex_);
    for (const auto& l : lines_)
        if (l.find(text) != std::string::npos) return true;
    return false;
}
std::vector<std::string> RecordingLogger::lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
}

namespace {
// The kernel schema's defaults for one section, as validated config.
sdk::Value section_defaults(const std::string& name) {
    for (const auto& spec : config::kernel_schema()) {
        if (spec.name != name) continue;
        sdk::Value out = sdk::Value::map();
        for (const auto& child : spec.children) {
            if (child.type == config::KeyType::map) {
                sdk::Value sub = sdk::Value::map();
                for (const auto& g : child.children)
                    if (!g.default_value.is_null()) sub.set(g.name, g.default_value);
                out.set(child.name, sub);
            } else if (!child.default_value.is_null()) {
                out.set(child.name, child.default_value);
            }
        }
        return out;
    }
    throw std::runtime_error("kernel schema has no section " + name);
}
}  // namespace

domain::SalesSettings default_sales_settings() { return domain::sales_settings_from(section_defaults("sales")); }

domain::AuthSettings default_auth_settings() {
    auto a = domain::auth_settings_from(section_defaults("auth"));
    a.pin_kdf_iterations = 1000;
    return a;
}

DomainFixture::DomainFixture(Backend backend)
    : backend_(backend), dir_("till-domain"), logger_(std::make_shared<RecordingLogger>()) {
    storage::StorageSettings settings;
    settings.data_dir = dir_.path();
    if (backend == Backend::postgresql) settings.url = TestPostgres::shared().create_database("domain");
    auto db = storage::Database::open(settings);
    if (!db) throw std::runtime_error("cannot open test database: " + db.error().message);
    db_ = std::move(*db);
    bus_ = std::make_unique<events::EventBusImpl>(clock_, logger_);
    bus_->subscribe_from("test", "*", [this](const sdk::Event& e) {
        std::lock_guard lock(events_mutex_);
        events_.push_back(e);
    });
    sales_ = default_sales_settings();
    auth_ = default_auth_settings();
    ids_ = std::make_unique<domain::IdGenerator>(clock_);
    node_.node_id = "store-test";
    node_.role = sdk::NodeRole::store;
    node_.data_dir = dir_.path();
    node_.kernel_version = "test";
    ctx_.reset(new domain::DomainContext{*db_, *bus_, clock_, registry_, logger_, node_, sales_, auth_, *ids_,
                                         replication_});
}

DomainFixture::~DomainFixture() = default;

void DomainFixture::use_replication(domain::ReplicationLog& log) {
    ctx_.reset(new domain::DomainContext{*db_, *bus_, clock_, registry_, logger_, node_, sales_, auth_, *ids_, log});
}

std::vector<std::string> DomainFixture::topics() const {
    std::lock_guard lock(events_mutex_);
    std::vector<std::string> out;
    for (const auto& e : events_) out.push_back(e.topic);
    return out;
}

std::vector<sdk::Event> DomainFixture::events() const {
    std::lock_guard lock(events_mutex_);
    return events_;
}

sdk::Event DomainFixture::last_event(const std::string& topic) const {
    std::lock_guard lock(events_mutex_);
    for (auto it = events_.rbegin(); it != events_.rend(); ++it)
        if (it->topic == topic) return *it;
    return {};
}

}  // namespace till::test
