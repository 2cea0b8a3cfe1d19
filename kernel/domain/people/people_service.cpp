#include "domain/people/people_service.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <mutex>

#include "domain/common/body_reader.hpp"
#include "domain/common/http_errors.hpp"
#include "domain/common/ids.hpp"
#include "domain/people/pin_hash.hpp"
#include "domain/people/private_files.hpp"
#include "domain/people/role_permissions.hpp"
#include "domain/people/role_replica.hpp"
#include "domain/people/token_codec.hpp"
#include "domain/people/user_replica.hpp"
#include "domain/people/user_store.hpp"
#include "storage/migrations.hpp"

namespace till::domain::people {

namespace {

sdk::Error err(std::string_view code, std::string message) { return sdk::Error{std::string(code), std::move(message)}; }

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

bool is_valid_name(const std::string& name) {
    if (name.empty() || name.size() > 64) return false;
    if (!std::isalnum(static_cast<unsigned char>(name[0]))) return false;
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) return false;
    return true;
}

bool is_role(const std::string& role) {
    const auto& roles = all_roles();
    return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool is_action(std::string_view action) {
    const auto& actions = all_actions();
    return std::find(actions.begin(), actions.end(), action) != actions.end();
}

std::string seconds_text(std::int64_t ms) { return std::to_string((ms + 999) / 1000) + " s"; }

LockInfo lock_info(std::int64_t until_ms, std::int64_t now_ms) {
    return LockInfo{until_ms, std::max<std::int64_t>(1, (until_ms - now_ms + 999) / 1000)};
}

const char* kGeneric = "unknown user or wrong PIN";

}  // namespace

/// The people module's ReplicaApplier (see PeopleService::replica_applier).
class UserApplier final : public ReplicaApplier {
public:
    explicit UserApplier(DomainContext& ctx) : ctx_(ctx) {}

    sdk::Result<sdk::Value> apply(sdk::SqlExecutor& tx, const ReplicatedChange& change) override {
        auto applied = apply_user_replica(tx, change, ctx_.clock.now_utc_ms());
        if (!applied) return applied.error();
        std::lock_guard lock(mutex_);
        pending_.push_back(*applied);
        return user_replica_payload(applied->user, ctx_.clock.now_utc_ms());
    }

    void after_commit(const std::vector<ReplicatedChange>& changes) override {
        std::vector<AppliedUser> done;
        {
            std::lock_guard lock(mutex_);
            done.swap(pending_);
        }
        // Only what this batch applied (an earlier batch that failed left
        // entries behind that never committed): the last `changes.size()`.
        if (done.size() > changes.size()) done.erase(done.begin(), done.end() - static_cast<long>(changes.size()));
        const std::int64_t now = ctx_.clock.now_utc_ms();
        for (const auto& a : done) {
            if (a.displaced) {
                if (ctx_.logger)
                    ctx_.logger->warn("sync: user " + a.user.name + " from HQ replaces the local user " + a.displaced->id +
                                      ", now " + a.displaced->name + " (inactive)");
                ctx_.events.publish("user.changed", user_to_value(*a.displaced, now));
            }
            ctx_.events.publish(a.created ? "user.created" : "user.changed", user_to_value(a.user, now));
        }
    }

private:
    DomainContext& ctx_;
    std::mutex mutex_;
    std::vector<AppliedUser> pending_;  ///< applied in the engine's open transaction
};

const std::vector<std::string>& all_roles() {
    static const std::vector<std::string> roles = {"cashier", "supervisor", "manager", "admin"};
    return roles;
}

PeopleService::PeopleService(DomainContext& ctx, AuditLog& audit)
    : ctx_(ctx),
      audit_(audit),
      roles_(std::make_unique<RolePermissions>(ctx.auth.permissions)),
      applier_(std::make_unique<UserApplier>(ctx)),
      role_applier_(std::make_unique<RoleApplier>(ctx, *roles_)) {}

PeopleService::~PeopleService() = default;

ReplicaApplier& PeopleService::replica_applier() { return *applier_; }

ReplicaApplier& PeopleService::role_applier() { return *role_applier_; }

bool PeopleService::role_allows(const std::string& role, std::string_view action) const {
    return roles_->allows(role, action);
}

std::vector<std::string> PeopleService::role_actions(const std::string& role) const {
    return roles_->view(role).actions;
}

sdk::Status PeopleService::audit_in(sdk::SqlExecutor& tx, AuditEntry entry) { return audit_.append(tx, entry); }

// ---- start ---------------------------------------------------------------

sdk::Status PeopleService::start() {
    if (auto s = storage::apply_migrations(ctx_.storage, "domain.people", people_migrations()); !s.ok()) return s;
    if (ctx_.node.role == sdk::NodeRole::hq)
        if (auto s = seed_roles(); !s.ok()) return s;
    if (auto s = roles_->reload(ctx_.storage); !s.ok()) return s;
    if (ctx_.node.data_dir.empty())
        return sdk::Status::failure("invalid_argument", "the people service needs the node's data_dir");
    std::string key = ctx_.auth.jwt_secret;
    if (key.empty()) {
        auto made = load_or_create_jwt_key(ctx_.node.data_dir);
        if (!made) return made.status();
        key = std::move(made.value());
    }
    tokens_ = std::make_unique<TokenCodec>(std::move(key));
    dummy_hash_ = hash_pin("00000000", ctx_.auth.pin_kdf_iterations);
    return bootstrap_admin();
}

sdk::Status PeopleService::insert_new_user(const User& user, const std::string& actor, const std::string& terminal,
                                           const std::string& reason, bool& created) {
    created = false;
    auto status = ctx_.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto inserted = insert_user(tx, user);
        if (!inserted) return inserted.status();
        if (!*inserted) return sdk::Status::success();
        created = true;
        sdk::Value details = sdk::Value::map();
        details.set("name", user.name);
        details.set("display_name", user.display_name);
        details.set("role", user.role);
        details.set("active", user.active);
        if (auto a = audit_in(tx, {actor, "user.created", "user:" + user.id, reason, "", terminal, details}); !a.ok())
            return a;
        return ctx_.replication.append(
            tx, {std::string(change_type::user), user.id, user_replica_payload(user, user.updated_utc_ms), false});
    });
    if (!status.ok()) created = false;
    if (created) ctx_.events.publish("user.created", user_to_value(user, ctx_.clock.now_utc_ms()));
    return status;
}

sdk::Status PeopleService::bootstrap_admin() {
    auto count = count_users(ctx_.storage);
    if (!count) return count.status();
    if (*count > 0) return sdk::Status::success();

    const std::string pin = random_digits(6);
    const std::string dir = ctx_.node.data_dir + "/auth";
    const std::string path = dir + "/initial-admin-pin";
    if (auto s = make_private_dir(dir); !s.ok()) return s;
    std::remove(path.c_str());  // left over from an earlier database: it no longer holds
    if (auto s = create_private_file(path, pin + "\n"); !s.ok()) return s;

    const std::int64_t now = ctx_.clock.now_utc_ms();
    User admin;
    admin.id = ctx_.ids.next();
    admin.name = "admin";
    admin.display_name = "Administrator";
    admin.role = "admin";
    admin.pin_hash = hash_pin(pin, ctx_.auth.pin_kdf_iterations);
    admin.created_utc_ms = admin.updated_utc_ms = now;
    bool created = false;
    if (auto s = insert_new_user(admin, "", "", "first start: no users yet", created); !s.ok()) {
        std::remove(path.c_str());
        return s;
    }
    if (!created) {  // another node on the same database was first
        std::remove(path.c_str());
        return sdk::Status::success();
    }
    if (ctx_.logger)
        ctx_.logger->info("created the first user `admin` (role admin); its PIN is in " + path +
                          " — log in, change it, then delete the file");
    return sdk::Status::success();
}

sdk::Status PeopleService::create_demo_users() {
    struct Demo {
        const char* name;
        const char* display;
        const char* role;
        const char* pin;
    };
    const Demo demo[] = {{"alice", "Alice", "cashier", "1111"},
                         {"bob", "Bob", "supervisor", "2222"},
                         {"carol", "Carol", "manager", "3333"}};
    for (const auto& d : demo) {
        auto existing = find_user_by_name(ctx_.storage, d.name);
        if (!existing) return existing.status();
        if (existing->has_value()) continue;
        const std::int64_t now = ctx_.clock.now_utc_ms();
        User u;
        u.id = ctx_.ids.next();
        u.name = d.name;
        u.display_name = d.display;
        u.role = d.role;
        u.pin_hash = hash_pin(d.pin, ctx_.auth.pin_kdf_iterations);
        u.created_utc_ms = u.updated_utc_ms = now;
        bool created = false;
        if (auto s = insert_new_user(u, "", "", "demo data", created); !s.ok()) return s;
    }
    return sdk::Status::success();
}

// ---- PIN checks and logins -------------------------------------------------

sdk::Status PeopleService::enter_pin_gate(std::optional<User>& user, std::optional<PinGate::Pass>& pass) {
    if (!user) return sdk::Status::success();
    pass.emplace(pin_gate_.enter(user->id));
    // Read again inside the gate: failures counted (and lockouts set) by the
    // checks that went before this one are seen.
    auto fresh = find_user_by_id(ctx_.storage, user->id);
    if (!fresh) return fresh.status();
    user = *fresh;
    return sdk::Status::success();
}

sdk::Result<User> PeopleService::check_pin(const std::optional<User>& user, const std::string& name_given,
                                           const std::string& pin, const std::string& terminal_id,
                                           const char* purpose, const char* refuse_code, LockInfo* lock) {
    const std::int64_t now = ctx_.clock.now_utc_ms();
    sdk::Value event = sdk::Value::map();
    event.set("user_name", user ? user->name : name_given);
    event.set("user_id", user ? sdk::Value(user->id) : sdk::Value());
    event.set("terminal_id", terminal_id);
    event.set("purpose", purpose);

    // Audits one failure (and a lockout when it is one); publishes after commit.
    auto record_failure = [&](const std::string& why, bool count_it, bool& locked_now,
                              std::int64_t& locked_until) -> sdk::Status {
        locked_now = false;
        auto s = ctx_.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
            locked_now = false;
            sdk::Value details = sdk::Value::map();
            details.set("user_name", user ? user->name : name_given);
            details.set("purpose", purpose);
            details.set("why", why);
            if (count_it) {
                auto count = add_failed_pin(tx, user->id, now);
                if (!count) return count.status();
                details.set("failed_attempts", *count);
                if (*count >= ctx_.auth.lockout_attempts) {
                    locked_until = now + ctx_.auth.lockout_s * 1000;
                    if (auto l = lock_user(tx, user->id, locked_until, now); !l.ok()) return l;
                    locked_now = true;
                }
            }
            const std::string actor = user ? user->id : std::string();
            const std::string subject = user ? "user:" + user->id : "user_name:" + name_given;
            if (auto a = audit_in(tx, {actor, "auth.login_failed", subject, why, "", terminal_id, details}); !a.ok())
                return a;
            if (locked_now) {
                sdk::Value d = sdk::Value::map();
                d.set("user_name", user->name);
                d.set("locked_until_utc_ms", locked_until);
                d.set("attempts", ctx_.auth.lockout_attempts);
                return audit_in(tx, {actor, "auth.lockout", subject, "too many wrong PINs", "", terminal_id, d});
            }
            return sdk::Status::success();
        });
        if (!s.ok()) return s;
        sdk::Value payload = event;
        payload.set("why", why);
        ctx_.events.publish("auth.login_failed", payload);
        if (locked_now) {
            sdk::Value l = event;
            l.set("locked_until_utc_ms", locked_until);
            ctx_.events.publish("auth.lockout", l);
        }
        return sdk::Status::success();
    };

    bool locked_now = false;
    std::int64_t locked_until = 0;
    if (!user || !user->active) {
        (void)verify_pin(pin, dummy_hash_);  // same work as for a real user
        if (auto s = record_failure(user ? "inactive user" : "unknown user", false, locked_now, locked_until); !s.ok())
            return s.error();
        return err(refuse_code, kGeneric);
    }
    if (user->locked_until_utc_ms > now) {
        if (auto s = record_failure("locked out", false, locked_now, locked_until); !s.ok()) return s.error();
        if (lock) *lock = lock_info(user->locked_until_utc_ms, now);
        return err(error_code::locked, user->name + " is locked out after too many wrong PINs; try again in " +
                                           seconds_text(user->locked_until_utc_ms - now));
    }
    if (verify_pin(pin, user->pin_hash)) return *user;
    if (auto s = record_failure("wrong PIN", true, locked_now, locked_until); !s.ok()) return s.error();
    if (locked_now) {
        if (lock) *lock = lock_info(locked_until, now);
        return err(error_code::locked, "wrong PIN; " + user->name + " is now locked out for " +
                                           seconds_text(locked_until - now));
    }
    return err(refuse_code, kGeneric);
}

sdk::Result<LoginResult> PeopleService::login(const LoginRequest& request, LockInfo* lock) {
    if (!tokens_) return err(error_code::unavailable, "the people service has not started");
    if (!is_valid_pin(request.pin)) return invalid_field("$.pin", "must be 4 to 12 digits");
    std::optional<User> user;
    std::string name_given = lower(request.user_name);
    if (!request.user_id.empty()) {
        name_given = request.user_id;
        auto found = find_user_by_id(ctx_.storage, request.user_id);
        if (!found) return found.error();
        user = *found;
    } else {
        auto found = find_user_by_name(ctx_.storage, name_given);
        if (!found) return found.error();
        user = *found;
    }
    std::optional<PinGate::Pass> pass;
    if (auto s = enter_pin_gate(user, pass); !s.ok()) return s.error();
    auto checked = check_pin(user, name_given, request.pin, request.terminal_id, "login",
                             error_code::unauthorized.data(), lock);
    if (!checked) return checked.error();
    const User& u = *checked;

    const std::int64_t now = ctx_.clock.now_utc_ms();
    std::int64_t locked_until = 0;
    auto s = ctx_.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto until = clear_failed_pins(tx, ctx_.storage.dialect(), u.id, now);
        if (!until) return until.status();
        locked_until = *until;
        if (locked_until > now) return sdk::Status::failure("locked", "locked meanwhile");
        sdk::Value details = sdk::Value::map();
        details.set("user_name", u.name);
        return audit_in(tx, {u.id, "auth.login", "user:" + u.id, "", "", request.terminal_id, details});
    });
    if (!s.ok()) {
        if (s.error().code == error_code::locked) {
            if (lock) *lock = lock_info(locked_until, now);
            return err(error_code::locked, u.name + " is locked out after too many wrong PINs; try again in " +
                                               seconds_text(locked_until - now));
        }
        return s.error();
    }

    AccessClaims claims;
    claims.jti = ctx_.ids.next();
    claims.user_id = u.id;
    claims.user_name = u.name;
    claims.role = u.role;
    claims.terminal_id = request.terminal_id;
    claims.issued_s = now / 1000;
    claims.expires_s = (now + ctx_.auth.token_ttl_s * 1000) / 1000;

    LoginResult result;
    result.token = tokens_->sign_access(claims);
    result.expires_utc_ms = claims.expires_s * 1000;
    result.user = user_to_value(u, now);

    sdk::Value event = sdk::Value::map();
    event.set("user_id", u.id);
    event.set("user_name", u.name);
    event.set("role", u.role);
    event.set("terminal_id", request.terminal_id);
    ctx_.events.publish("auth.login", event);
    return result;
}

// ---- Authorizer ------------------------------------------------------------

sdk::Result<Principal> PeopleService::authenticate(const sdk::HttpRequest& request) const {
    if (!tokens_) return err(error_code::unavailable, "the people service has not started");
    auto it = request.headers.find("authorization");
    if (it == request.headers.end() || it->second.empty())
        return err(error_code::unauthorized,
                   "missing \"Authorization: Bearer <token>\" header; log in with POST /api/v1/auth/login");
    const std::string& header = it->second;
    if (header.size() < 8 || lower(header.substr(0, 7)) != "bearer ")
        return err(error_code::unauthorized, "the Authorization header must be \"Bearer <token>\"");
    std::string token = header.substr(7);
    while (!token.empty() && token.front() == ' ') token.erase(token.begin());
    auto claims = tokens_->verify_access(token, ctx_.clock.now_utc_ms());
    if (!claims) return claims.error();
    auto user = find_user_by_id(ctx_.storage, claims->user_id);
    if (!user) return user.error();
    if (!user->has_value() || !(*user)->active)
        return err(error_code::unauthorized, "the token's user no longer exists or is inactive");
    const User& u = **user;
    return Principal{u.id, u.name, u.role, claims->terminal_id};
}

sdk::Result<Authorization> PeopleService::authorize(const Principal& principal, std::string_view action,
                                                    const sdk::HttpRequest& request) {
    if (role_allows(principal.role, action)) return Authorization{principal, "", ""};
    auto it = request.headers.find("x-till-override");
    if (it == request.headers.end() || it->second.empty())
        return err(error_code::override_required,
                   std::string(action) + " needs a supervisor's override: role " + principal.role +
                       " may not do it (POST /api/v1/auth/overrides, then retry with header X-Till-Override)");
    if (!tokens_) return err(error_code::unavailable, "the people service has not started");
    const std::int64_t now = ctx_.clock.now_utc_ms();
    auto claims = tokens_->verify_override(it->second, now);
    if (!claims) return err(error_code::forbidden, "override refused: " + claims.error().message);
    if (claims->action != action)
        return err(error_code::forbidden,
                   "override refused: it is for " + claims->action + ", not " + std::string(action));
    if (claims->for_user_id != principal.user_id)
        return err(error_code::forbidden, "override refused: it was granted to another user");
    auto supervisor = find_user_by_id(ctx_.storage, claims->supervisor_user_id);
    if (!supervisor) return supervisor.error();
    if (!supervisor->has_value() || !(*supervisor)->active || !role_allows((*supervisor)->role, action))
        return err(error_code::forbidden, "override refused: its supervisor may no longer authorise " +
                                              std::string(action));

    auto s = ctx_.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto fresh = mark_override_used(tx, claims->jti, principal.user_id, claims->action, now);
        if (!fresh) return fresh.status();
        if (!*fresh) return sdk::Status::failure("forbidden", "override refused: it has already been used");
        sdk::Value details = sdk::Value::map();
        details.set("stage", "used");
        details.set("action", claims->action);
        details.set("override_id", claims->jti);
        return audit_in(tx, {principal.user_id, "auth.override", "user:" + principal.user_id, claims->reason,
                             claims->supervisor_user_id, principal.terminal_id, details});
    });
    if (!s.ok()) return s.error();
    sdk::Value event = sdk::Value::map();
    event.set("stage", "used");
    event.set("action", claims->action);
    event.set("override_id", claims->jti);
    event.set("for_user_id", principal.user_id);
    event.set("supervisor_user_id", claims->supervisor_user_id);
    event.set("terminal_id", principal.terminal_id);
    ctx_.events.publish("auth.override", event);
    return Authorization{principal, claims->supervisor_user_id, claims->reason};
}

sdk::Result<OverrideGrant> PeopleService::grant_override(const Principal& requester, const OverrideRequest& request,
                                                         LockInfo* lock) {
    if (!tokens_) return err(error_code::unavailable, "the people service has not started");
    if (!is_action(request.action)) return invalid_field("$.action", "unknown action \"" + request.action + "\"");
    if (request.reason.empty()) return invalid_field("$.reason", "give a reason for the override");
    if (!is_valid_pin(request.pin)) return invalid_field("$.pin", "must be 4 to 12 digits");
    std::string for_user_id = request.for_user_id.empty() ? requester.user_id : request.for_user_id;
    if (for_user_id != requester.user_id) {
        auto target = find_user_by_id(ctx_.storage, for_user_id);
        if (!target) return target.error();
        if (!target->has_value() || !(*target)->active)
            return invalid_field("$.for_user_id", "no active user has this id");
    }
    std::optional<User> supervisor;
    std::string name_given = lower(request.supervisor_user_name);
    if (!request.supervisor_user_id.empty()) {
        name_given = request.supervisor_user_id;
        auto found = find_user_by_id(ctx_.storage, request.supervisor_user_id);
        if (!found) return found.error();
        supervisor = *found;
    } else {
        auto found = find_user_by_name(ctx_.storage, name_given);
        if (!found) return found.error();
        supervisor = *found;
    }
    std::optional<PinGate::Pass> pass;
    if (auto s = enter_pin_gate(supervisor, pass); !s.ok()) return s.error();
    auto checked = check_pin(supervisor, name_given, request.pin, requester.terminal_id, "override",
                             error_code::forbidden.data(), lock);
    if (!checked) return checked.error();
    const User& sup = *checked;
    if (!role_allows(sup.role, request.action))
        return err(error_code::forbidden,
                   sup.name + " (role " + sup.role + ") may not authorise " + request.action);

    const std::int64_t now = ctx_.clock.now_utc_ms();
    OverrideClaims claims;
    claims.jti = ctx_.ids.next();
    claims.action = request.action;
    claims.for_user_id = for_user_id;
    claims.supervisor_user_id = sup.id;
    claims.reason = request.reason;
    claims.issued_s = now / 1000;
    claims.expires_s = (now + ctx_.auth.override_ttl_s * 1000) / 1000;

    std::int64_t locked_until = 0;
    auto s = ctx_.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto until = clear_failed_pins(tx, ctx_.storage.dialect(), sup.id, now);
        if (!until) return until.status();
        locked_until = *until;
        if (locked_until > now) return sdk::Status::failure("locked", "locked meanwhile");
        sdk::Value details = sdk::Value::map();
        details.set("stage", "granted");
        details.set("action", claims.action);
        details.set("override_id", claims.jti);
        details.set("requested_by", requester.user_id);
        details.set("expires_utc_ms", claims.expires_s * 1000);
        return audit_in(tx, {for_user_id, "auth.override", "user:" + for_user_id, request.reason, sup.id,
                             requester.terminal_id, details});
    });
    if (!s.ok()) {
        if (s.error().code == error_code::locked) {
            if (lock) *lock = lock_info(locked_until, now);
            return err(error_code::locked, sup.name + " is locked out after too many wrong PINs; try again in " +
                                               seconds_text(locked_until - now));
        }
        return s.error();
    }

    OverrideGrant grant;
    grant.token = tokens_->sign_override(claims);
    grant.override_id = claims.jti;
    grant.action = claims.action;
    grant.for_user_id = for_user_id;
    grant.supervisor_user_id = sup.id;
    grant.expires_utc_ms = claims.expires_s * 1000;

    sdk::Value event = sdk::Value::map();
    event.set("stage", "granted");
    event.set("action", grant.action);
    event.set("override_id", grant.override_id);
    event.set("for_user_id", grant.for_user_id);
    event.set("supervisor_user_id", grant.supervisor_user_id);
    event.set("terminal_id", requester.terminal_id);
    event.set("expires_utc_ms", grant.expires_utc_ms);
    ctx_.events.publish("auth.override", event);
    return grant;
}

// ---- users admin -------------------------------------------------------------

sdk::Result<sdk::Value> PeopleService::create_user(const Principal& by, const NewUser& request) {
    const std::string name = lower(request.name);
    if (!is_valid_name(name))
        return invalid_field("$.name", "must be 1 to 64 characters of a-z, 0-9, '.', '_', '-', starting with a "
                                       "letter or digit");
    const std::string display = request.display_name.empty() ? name : request.display_name;
    if (display.size() > 100) return invalid_field("$.display_name", "must be at most 100 characters");
    if (!is_role(request.role))
        return invalid_field("$.role", "must be one of cashier, supervisor, manager, admin (got \"" + request.role +
                                           "\")");
    if (!is_valid_pin(request.pin)) return invalid_field("$.pin", "must be 4 to 12 digits");
    if (request.role == "admin" && by.role != "admin")
        return err(error_code::forbidden, "only an admin may create an admin");

    const std::int64_t now = ctx_.clock.now_utc_ms();
    User u;
    u.id = ctx_.ids.next();
    u.name = name;
    u.display_name = display;
    u.role = request.role;
    u.active = request.active;
    u.pin_hash = hash_pin(request.pin, ctx_.auth.pin_kdf_iterations);
    u.created_utc_ms = u.updated_utc_ms = now;
    bool created = false;
    if (auto s = insert_new_user(u, by.user_id, by.terminal_id, "", created); !s.ok()) return s.error();
    if (!created) return err(error_code::conflict, "$.name: a user named \"" + name + "\" already exists");
    return user_to_value(u, now);
}

sdk::Result<sdk::Value> PeopleService::change_user(const Principal& by, const std::string& user_id,
                                                   const UserChange& change) {
    if (change.display_name && (change.display_name->empty() || change.display_name->size() > 100))
        return invalid_field("$.display_name", "must be 1 to 100 characters");
    if (change.role && !is_role(*change.role))
        return invalid_field("$.role", "must be one of cashier, supervisor, manager, admin (got \"" + *change.role +
                                           "\")");
    if (change.pin && !is_valid_pin(*change.pin)) return invalid_field("$.pin", "must be 4 to 12 digits");
    auto found = find_user_by_id(ctx_.storage, user_id);
    if (!found) return found.error();
    if (!found->has_value()) return err(error_code::not_found, "no user with id " + user_id);
    if (by.role != "admin" && ((*found)->role == "admin" || (change.role && *change.role == "admin")))
        return err(error_code::forbidden, "only an admin may change an admin or make one");
    if (user_id == by.user_id && change.active && !*change.active)
        return err(error_code::invalid_state, "you cannot deactivate yourself");
    if (user_id == by.user_id && change.role && *change.role != (*found)->role)
        return err(error_code::invalid_state, "you cannot change your own role");

    const std::string new_hash = change.pin ? hash_pin(*change.pin, ctx_.auth.pin_kdf_iterations) : std::string();
    const std::int64_t now = ctx_.clock.now_utc_ms();
    User after;
    bool not_found = false;
    bool changed = false;
    auto s = ctx_.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto current = find_user_by_id(tx, user_id);  // fresh, inside the transaction
        if (!current) return current.status();
        if (!current->has_value()) {
            not_found = true;
            return sdk::Status::failure("not_found", "no user with id " + user_id);
        }
        const User before = **current;
        after = before;
        sdk::Value details = sdk::Value::map();
        sdk::Value fields = sdk::Value::list();
        if (change.display_name && *change.display_name != before.display_name) {
            after.display_name = *change.display_name;
            fields.push_back("display_name");
        }
        if (change.role && *change.role != before.role) {
            after.role = *change.role;
            fields.push_back("role");
            details.set("old_role", before.role);
            details.set("new_role", after.role);
        }
        if (change.active && *change.active != before.active) {
            after.active = *change.active;
            fields.push_back("active");
            details.set("active", after.active);
        }
        if (change.pin) {
            after.pin_hash = new_hash;
            fields.push_back("pin");
        }
        if (change.pin || change.unlock) {
            if (before.failed_pin_attempts != 0 || before.locked_until_utc_ms != 0) fields.push_back("unlocked");
            after.failed_pin_attempts = 0;
            after.locked_until_utc_ms = 0;
        }
        if (fields.size() == 0) return sdk::Status::success();
        changed = true;
        after.updated_utc_ms = now;
        details.set("fields", fields);
        details.set("user_name", after.name);
        if (auto u = update_user(tx, after); !u.ok()) return u;
        if (auto a = audit_in(tx, {by.user_id, "user.changed", "user:" + user_id, "", "", by.terminal_id, details});
            !a.ok())
            return a;
        // An unlock alone is this node's lockout state: not master data.
        const bool master_change = after.display_name != before.display_name || after.role != before.role ||
                                   after.active != before.active || change.pin.has_value();
        if (!master_change) return sdk::Status::success();
        return ctx_.replication.append(tx, {std::string(change_type::user), after.id, user_replica_payload(after, now),
                                            false});
    });
    if (!s.ok()) {
        if (not_found) return err(error_code::not_found, "no user with id " + user_id);
        return s.error();
    }
    sdk::Value view = user_to_value(after, now);
    if (changed) ctx_.events.publish("user.changed", view);
    return view;
}

sdk::Result<sdk::Value> PeopleService::get_user(const std::string& user_id) {
    auto found = find_user_by_id(ctx_.storage, user_id);
    if (!found) return found.error();
    if (!found->has_value()) return err(error_code::not_found, "no user with id " + user_id);
    return user_to_value(**found, ctx_.clock.now_utc_ms());
}

sdk::Result<sdk::Value> PeopleService::list_users(std::int64_t offset, std::int64_t limit) {
    auto users = people::list_users(ctx_.storage, offset, limit + 1);
    if (!users) return users.error();
    const std::int64_t now = ctx_.clock.now_utc_ms();
    sdk::Value items = sdk::Value::list();
    for (std::size_t i = 0; i < users->size() && static_cast<std::int64_t>(i) < limit; ++i)
        items.push_back(user_to_value((*users)[i], now));
    sdk::Value body = sdk::Value::map();
    body.set("items", items);
    body.set("next", static_cast<std::int64_t>(users->size()) > limit ? sdk::Value(offset + limit) : sdk::Value());
    return body;
}

}  // namespace till::domain::people
