#include "domain/catalog/catalog_routes.hpp"

#include <charconv>
#include <functional>

#include "domain/catalog/catalog_json.hpp"
#include "domain/catalog/catalog_service.hpp"
#include "domain/common/http_errors.hpp"

namespace till::domain::catalog {
namespace {

using sdk::HttpMethod;
using sdk::HttpRequest;
using sdk::HttpResponse;
using sdk::Value;

constexpr const char* owner = "kernel";
enum class Access { read, edit };
using Handler = std::function<HttpResponse(const HttpRequest&, const Authorization&)>;

sdk::Error bad_request(std::string message) { return sdk::Error{std::string(error_code::bad_request), std::move(message)}; }

/// Who may change what: the authorizer and whether this node holds the
/// master of the catalog (a store synced with HQ does not).
struct Gate {
    Authorizer& auth;
    const ReplicationLog& replication;
};

/// Authenticates (and for edits checks that master data of `type` may be
/// edited here, then authorises) before calling `fn`. The master-data check
/// comes before authorize() so a doomed request spends no override.
sdk::RouteHandler guarded(Gate gate, Access access, std::string_view type, Handler fn) {
    return [gate, access, type, fn = std::move(fn)](const HttpRequest& request) -> HttpResponse {
        auto who = gate.auth.authenticate(request);
        if (!who) return to_problem(who.error());
        Authorization granted{*who, {}, {}};
        if (access == Access::edit) {
            if (auto editable = gate.replication.may_edit_master_data(type); !editable.ok())
                return to_problem(editable.error());
            auto a = gate.auth.authorize(*who, action::catalog_edit, request);
            if (!a) return to_problem(a.error());
            granted = std::move(*a);
        }
        return fn(request, granted);
    };
}

/// Longer search queries are refused (see max_search_terms for words).
constexpr std::size_t max_query_bytes = 200;

sdk::Result<Value> json_body(const HttpRequest& request) {
    if (auto ct = request.headers.find("content-type"); ct != request.headers.end() && !ct->second.empty()) {
        std::string type = ct->second.substr(0, ct->second.find(';'));
        while (!type.empty() && type.back() == ' ') type.pop_back();
        for (char& c : type)
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (type != "application/json")
            return bad_request("expected Content-Type application/json, got '" + ct->second + "'");
    }
    if (request.body.empty()) return bad_request("the request needs a JSON object body");
    auto parsed = Value::parse_json(request.body);
    if (!parsed) return bad_request("the body is not valid JSON: " + parsed.error().message);
    return std::move(*parsed);
}

/// A query parameter as an integer in [min, max]; `fallback` when absent.
sdk::Result<std::int64_t> query_int(const HttpRequest& request, const std::string& name, std::int64_t fallback,
                                    std::int64_t min, std::int64_t max) {
    auto it = request.query.find(name);
    if (it == request.query.end() || it->second.empty()) return fallback;
    std::int64_t v = 0;
    const std::string& text = it->second;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v < min || v > max)
        return bad_request("query parameter " + name + ": expected an integer from " + std::to_string(min) + " to " +
                           std::to_string(max) + ", got '" + text + "'");
    return v;
}

sdk::Result<bool> query_bool(const HttpRequest& request, const std::string& name) {
    auto it = request.query.find(name);
    if (it == request.query.end() || it->second.empty() || it->second == "false") return false;
    if (it->second == "true") return true;
    return bad_request("query parameter " + name + ": expected true or false, got '" + it->second + "'");
}

HttpResponse no_content() {
    HttpResponse r;
    r.status = 204;
    return r;
}

/// GET list / POST create / GET, PUT, DELETE one, for a thing with a code.
template <class Thing>
struct Crud {
    std::string base;       ///< "/api/v1/catalog/departments"
    std::string id_param;   ///< "department_id"
    std::function<std::vector<Thing>()> list;
    std::function<std::optional<Thing>(const std::string&)> get;
    std::function<sdk::Result<Thing>(const Value&)> read;
    std::function<sdk::Result<Thing>(Thing, const Actor&)> create;
    std::function<sdk::Result<Thing>(const std::string&, Thing, const Actor&)> update;
    std::function<sdk::Status(const std::string&, const Actor&)> remove;
    const char* what;
    std::string_view type;  ///< the change type (domain/common/replication.hpp)

    sdk::Status add(api::Router& router, Gate auth) const {
        const Crud self = *this;
        const std::string one = base + "/{" + id_param + "}";
        if (auto s = router.add(HttpMethod::get, base, guarded(auth, Access::read, self.type, [self](const HttpRequest& rq, const Authorization&) {
                auto limit = query_int(rq, "limit", 50, 1, 500);
                if (!limit) return to_problem(limit.error());
                auto after = rq.query.count("after") ? rq.query.at("after") : std::string();
                Value items = Value::list();
                Value next;
                for (const Thing& t : self.list()) {
                    if (!after.empty() && t.code <= after) continue;
                    if (static_cast<std::int64_t>(items.size()) == *limit) {
                        next = Value(items.as_list().back()["code"].as_string());
                        break;
                    }
                    items.push_back(to_value(t));
                }
                Value body = Value::map();
                body.set("items", std::move(items));
                body.set("next", std::move(next));
                return HttpResponse::json(body);
            }), owner); !s.ok()) return s;
        if (auto s = router.add(HttpMethod::post, base, guarded(auth, Access::edit, self.type, [self](const HttpRequest& rq, const Authorization& a) {
                auto body = json_body(rq);
                if (!body) return to_problem(body.error());
                auto input = self.read(*body);
                if (!input) return to_problem(input.error());
                auto made = self.create(std::move(*input), Actor::from(a));
                if (!made) return to_problem(made.error());
                return HttpResponse::json(to_value(*made), 201);
            }), owner); !s.ok()) return s;
        if (auto s = router.add(HttpMethod::get, one, guarded(auth, Access::read, self.type, [self](const HttpRequest& rq, const Authorization&) {
                const std::string& id = rq.path_params.at(self.id_param);
                auto t = self.get(id);
                if (!t) return to_problem({std::string(error_code::not_found), std::string("no ") + self.what + " with id " + id});
                return HttpResponse::json(to_value(*t));
            }), owner); !s.ok()) return s;
        if (auto s = router.add(HttpMethod::put, one, guarded(auth, Access::edit, self.type, [self](const HttpRequest& rq, const Authorization& a) {
                auto body = json_body(rq);
                if (!body) return to_problem(body.error());
                auto input = self.read(*body);
                if (!input) return to_problem(input.error());
                auto done = self.update(rq.path_params.at(self.id_param), std::move(*input), Actor::from(a));
                if (!done) return to_problem(done.error());
                return HttpResponse::json(to_value(*done));
            }), owner); !s.ok()) return s;
        return router.add(HttpMethod::del, one, guarded(auth, Access::edit, self.type, [self](const HttpRequest& rq, const Authorization& a) {
                auto s = self.remove(rq.path_params.at(self.id_param), Actor::from(a));
                return s.ok() ? no_content() : to_problem(s.error());
            }), owner);
    }
};

HttpResponse import_problem(const ImportPlan& plan) {
    const CsvProblem& first = plan.problems.front();
    std::string detail = "row " + std::to_string(first.row) + (first.column.empty() ? "" : ", column " + first.column) +
                         ": " + first.message;
    if (plan.problems.size() > 1)
        detail += " (and " + std::to_string(plan.problems.size() - 1) + " more; see errors)";
    detail += "; nothing was imported";
    HttpResponse r = to_problem({std::string(error_code::invalid_argument), detail});
    auto parsed = Value::parse_json(r.body);
    if (parsed && parsed->is_map()) {
        Value errors = Value::list();
        for (const auto& p : plan.problems) {
            Value e = Value::map();
            e.set("path", std::to_string(p.row) + ":" + p.column);
            e.set("row", p.row);
            e.set("column", p.column);
            e.set("message", p.message);
            errors.push_back(std::move(e));
        }
        parsed->set("errors", std::move(errors));
        parsed->set("applied", false);
        r.body = parsed->to_json();
    }
    return r;
}

}  // namespace

sdk::Status add_catalog_routes(api::Router& router, CatalogService& svc, Authorizer& authorizer,
                               const ReplicationLog& replication) {
    CatalogService* s = &svc;
    const Gate auth{authorizer, replication};
    Crud<Department> departments{"/api/v1/catalog/departments", "department_id",
                                 [s] { return s->departments(); },
                                 [s](const std::string& id) { return s->department(id); },
                                 read_department,
                                 [s](Department d, const Actor& a) { return s->create_department(std::move(d), a); },
                                 [s](const std::string& id, Department d, const Actor& a) { return s->update_department(id, std::move(d), a); },
                                 [s](const std::string& id, const Actor& a) { return s->delete_department(id, a); },
                                 "department", change_type::department};
    Crud<TaxClass> tax_classes{"/api/v1/catalog/tax-classes", "tax_class_id",
                               [s] { return s->tax_classes(); },
                               [s](const std::string& id) { return s->tax_class(id); },
                               read_tax_class,
                               [s](TaxClass t, const Actor& a) { return s->create_tax_class(std::move(t), a); },
                               [s](const std::string& id, TaxClass t, const Actor& a) { return s->update_tax_class(id, std::move(t), a); },
                               [s](const std::string& id, const Actor& a) { return s->delete_tax_class(id, a); },
                               "tax class", change_type::tax_class};
    Crud<ModifierGroup> groups{"/api/v1/catalog/modifier-groups", "group_id",
                               [s] { return s->groups(); },
                               [s](const std::string& id) { return s->group(id); },
                               read_group,
                               [s](ModifierGroup g, const Actor& a) { return s->create_group(std::move(g), a); },
                               [s](const std::string& id, ModifierGroup g, const Actor& a) { return s->update_group(id, std::move(g), a); },
                               [s](const std::string& id, const Actor& a) { return s->delete_group(id, a); },
                               "modifier group", change_type::modifier_group};
    if (auto st = departments.add(router, auth); !st.ok()) return st;
    if (auto st = tax_classes.add(router, auth); !st.ok()) return st;
    if (auto st = groups.add(router, auth); !st.ok()) return st;

    const std::string products = "/api/v1/catalog/products";
    const std::string product = products + "/{product_id}";
    auto add = [&](HttpMethod m, const std::string& path, Access access, Handler h) {
        return router.add(m, path, guarded(auth, access, change_type::product, std::move(h)), owner);
    };
    sdk::Status st;
    st = add(HttpMethod::get, products, Access::read, [s](const HttpRequest& rq, const Authorization&) {
        auto limit = query_int(rq, "limit", 50, 1, 500);
        if (!limit) return to_problem(limit.error());
        auto page = s->products(rq.query.count("after") ? rq.query.at("after") : "", static_cast<std::size_t>(*limit));
        Value items = Value::list();
        for (const auto& p : page.items) items.push_back(to_value(p));
        Value body = Value::map();
        body.set("items", std::move(items));
        body.set("next", page.next.empty() ? Value() : Value(page.next));
        return HttpResponse::json(body);
    });
    if (!st.ok()) return st;
    st = add(HttpMethod::post, products, Access::edit, [s](const HttpRequest& rq, const Authorization& a) {
        auto body = json_body(rq);
        if (!body) return to_problem(body.error());
        auto input = read_product(*body);
        if (!input) return to_problem(input.error());
        auto made = s->create_product(std::move(*input), Actor::from(a));
        if (!made) return to_problem(made.error());
        return HttpResponse::json(to_value(*made), 201);
    });
    if (!st.ok()) return st;
    st = add(HttpMethod::get, product, Access::read, [s](const HttpRequest& rq, const Authorization&) {
        const std::string& id = rq.path_params.at("product_id");
        auto p = s->product(id);
        if (!p) return to_problem({std::string(error_code::not_found), "no product with id " + id});
        return HttpResponse::json(to_value(*p));
    });
    if (!st.ok()) return st;
    st = add(HttpMethod::put, product, Access::edit, [s](const HttpRequest& rq, const Authorization& a) {
        auto body = json_body(rq);
        if (!body) return to_problem(body.error());
        auto input = read_product(*body);
        if (!input) return to_problem(input.error());
        auto done = s->update_product(rq.path_params.at("product_id"), std::move(*input), Actor::from(a));
        if (!done) return to_problem(done.error());
        return HttpResponse::json(to_value(*done));
    });
    if (!st.ok()) return st;
    st = add(HttpMethod::del, product, Access::edit, [s](const HttpRequest& rq, const Authorization& a) {
        auto done = s->delete_product(rq.path_params.at("product_id"), Actor::from(a));
        return done.ok() ? no_content() : to_problem(done.error());
    });
    if (!st.ok()) return st;

    st = add(HttpMethod::get, "/api/v1/catalog/items/{code}", Access::read, [s](const HttpRequest& rq, const Authorization&) {
        auto item = s->lookup_item(rq.path_params.at("code"));
        if (!item) return to_problem(item.error());
        return HttpResponse::json(to_value(*item));
    });
    if (!st.ok()) return st;
    st = add(HttpMethod::get, "/api/v1/catalog/search", Access::read, [s](const HttpRequest& rq, const Authorization&) {
        auto q = rq.query.find("q");
        if (q == rq.query.end() || q->second.empty())
            return to_problem(bad_request("query parameter q: required (a name, words, a SKU or a barcode)"));
        if (q->second.size() > max_query_bytes)
            return to_problem(bad_request("query parameter q: longer than " + std::to_string(max_query_bytes) +
                                          " bytes"));
        auto limit = query_int(rq, "limit", 20, 1, 200);
        if (!limit) return to_problem(limit.error());
        auto inactive = query_bool(rq, "include_inactive");
        if (!inactive) return to_problem(inactive.error());
        Value items = Value::list();
        for (auto& hit : s->search(q->second, static_cast<std::size_t>(*limit), *inactive)) {
            Value v = to_value(hit.item);
            v.set("match", hit.match);
            items.push_back(std::move(v));
        }
        Value body = Value::map();
        body.set("items", std::move(items));
        return HttpResponse::json(body);
    });
    if (!st.ok()) return st;
    st = add(HttpMethod::get, "/api/v1/catalog/export.csv", Access::read, [s](const HttpRequest&, const Authorization&) {
        HttpResponse r;
        r.content_type = "text/csv; charset=utf-8";
        r.body = s->export_csv();
        r.headers["Content-Disposition"] = "attachment; filename=\"catalog.csv\"";
        return r;
    });
    if (!st.ok()) return st;
    return add(HttpMethod::post, "/api/v1/catalog/import", Access::edit, [s](const HttpRequest& rq, const Authorization& a) {
        auto ct = rq.headers.find("content-type");
        if (ct == rq.headers.end() || ct->second.rfind("text/csv", 0) != 0)
            return to_problem(bad_request("the import body must be CSV with Content-Type: text/csv"));
        auto result = s->import_csv(rq.body, Actor::from(a));
        if (!result) return to_problem(result.error());
        if (!result->plan.problems.empty()) return import_problem(result->plan);
        Value rows = Value::list();
        for (const auto& r : result->plan.rows) {
            Value v = Value::map();
            v.set("row", r.row);
            v.set("sku", r.sku);
            v.set("outcome", r.outcome);
            rows.push_back(std::move(v));
        }
        Value body = Value::map();
        body.set("applied", true);
        body.set("created", static_cast<long long>(result->created));
        body.set("updated", static_cast<long long>(result->updated));
        body.set("unchanged", static_cast<long long>(result->unchanged));
        body.set("rows", std::move(rows));
        return HttpResponse::json(body);
    });
}

}  // namespace till::domain::catalog
