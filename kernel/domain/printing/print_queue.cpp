#include "domain/printing/print_queue.hpp"

namespace till::domain::printing {
namespace {

using sdk::Value;

const char* const kV1 = R"SQL(
CREATE TABLE print_jobs (
  job_id TEXT PRIMARY KEY,
  printer_id TEXT NOT NULL,
  original_printer_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  reference TEXT NOT NULL,
  terminal_id TEXT NOT NULL,
  document_json TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts BIGINT NOT NULL,
  last_error TEXT NOT NULL,
  next_attempt_utc_ms BIGINT NOT NULL,
  created_utc_ms BIGINT NOT NULL,
  updated_utc_ms BIGINT NOT NULL,
  printed_utc_ms BIGINT NOT NULL
);
CREATE INDEX print_jobs_unfinished ON print_jobs (state, printer_id, job_id);
CREATE INDEX print_jobs_by_reference ON print_jobs (reference, job_id)
)SQL";

const char* const kColumns =
    "job_id, printer_id, original_printer_id, kind, reference, terminal_id, document_json, state, attempts, "
    "last_error, next_attempt_utc_ms, created_utc_ms, updated_utc_ms, printed_utc_ms";

PrintJobRow row_from(const std::vector<Value>& r) {
    PrintJobRow j;
    j.job_id = r[0].as_string();
    j.printer_id = r[1].as_string();
    j.original_printer_id = r[2].as_string();
    j.kind = r[3].as_string();
    j.reference = r[4].as_string();
    j.terminal_id = r[5].as_string();
    j.document_json = r[6].as_string();
    j.state = r[7].as_string();
    j.attempts = r[8].as_int();
    j.last_error = r[9].as_string();
    j.next_attempt_utc_ms = r[10].as_int();
    j.created_utc_ms = r[11].as_int();
    j.updated_utc_ms = r[12].as_int();
    j.printed_utc_ms = r[13].as_int();
    return j;
}

sdk::Result<std::vector<PrintJobRow>> rows_of(sdk::Result<sdk::QueryResult> q) {
    if (!q) return q.error();
    std::vector<PrintJobRow> out;
    for (const auto& r : q->rows) out.push_back(row_from(r));
    return out;
}

}  // namespace

const std::vector<sdk::Migration>& printing_migrations() {
    static const std::vector<sdk::Migration> migrations = {{1, "print jobs", kV1, ""}};
    return migrations;
}

Value job_value(const PrintJobRow& j) {
    Value v = Value::map();
    v.set("job_id", j.job_id);
    v.set("printer_id", j.printer_id);
    v.set("original_printer_id", j.original_printer_id);
    v.set("kind", j.kind);
    v.set("reference", j.reference);
    v.set("terminal_id", j.terminal_id);
    v.set("state", j.state);
    v.set("attempts", j.attempts);
    v.set("last_error", j.last_error.empty() ? Value() : Value(j.last_error));
    v.set("next_attempt_utc_ms", j.next_attempt_utc_ms);
    v.set("created_utc_ms", j.created_utc_ms);
    v.set("updated_utc_ms", j.updated_utc_ms);
    v.set("printed_utc_ms", j.printed_utc_ms == 0 ? Value() : Value(j.printed_utc_ms));
    return v;
}

sdk::Status PrintQueue::insert(const std::vector<PrintJobRow>& rows) {
    return storage_.relaxed_transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        for (const auto& j : rows) {
            auto r = tx.execute(std::string("INSERT INTO print_jobs (") + kColumns +
                                    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                {j.job_id, j.printer_id, j.original_printer_id, j.kind, j.reference, j.terminal_id,
                                 j.document_json, j.state, j.attempts, j.last_error, j.next_attempt_utc_ms,
                                 j.created_utc_ms, j.updated_utc_ms, j.printed_utc_ms});
            if (!r) return r.status();
        }
        return {};
    });
}

sdk::Status PrintQueue::update(const PrintJobRow& j) {
    return storage_.relaxed_transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto r = tx.execute(
            "UPDATE print_jobs SET printer_id = ?, state = ?, attempts = ?, last_error = ?, next_attempt_utc_ms = ?, "
            "updated_utc_ms = ?, printed_utc_ms = ? WHERE job_id = ?",
            {j.printer_id, j.state, j.attempts, j.last_error, j.next_attempt_utc_ms, j.updated_utc_ms,
             j.printed_utc_ms, j.job_id});
        if (!r) return r.status();
        if (*r != 1) return sdk::Status::failure("not_found", "print job " + j.job_id + " is gone");
        return {};
    });
}

sdk::Result<std::optional<PrintJobRow>> PrintQueue::get(const std::string& job_id) {
    auto q = storage_.query(std::string("SELECT ") + kColumns + " FROM print_jobs WHERE job_id = ?", {job_id});
    if (!q) return q.error();
    if (q->rows.empty()) return std::optional<PrintJobRow>();
    return std::optional<PrintJobRow>(row_from(q->rows[0]));
}

sdk::Result<std::vector<PrintJobRow>> PrintQueue::heads() {
    auto all = rows_of(storage_.query(std::string("SELECT ") + kColumns +
                                      " FROM print_jobs WHERE state IN ('queued', 'printing') ORDER BY job_id"));
    if (!all) return all;
    std::vector<PrintJobRow> heads;
    for (auto& j : *all) {
        bool seen = false;
        for (const auto& h : heads) seen = seen || h.printer_id == j.printer_id;
        if (!seen) heads.push_back(std::move(j));
    }
    return heads;
}

sdk::Result<std::vector<PrintJobRow>> PrintQueue::queued_for(const std::string& printer_id) {
    return rows_of(storage_.query(std::string("SELECT ") + kColumns +
                                      " FROM print_jobs WHERE state = 'queued' AND printer_id = ? ORDER BY job_id",
                                  {printer_id}));
}

sdk::Result<std::vector<PrintJobRow>> PrintQueue::list(const std::string& state, std::int64_t limit) {
    if (state.empty())
        return rows_of(storage_.query(std::string("SELECT ") + kColumns + " FROM print_jobs ORDER BY job_id DESC LIMIT ?",
                                      {limit}));
    return rows_of(storage_.query(
        std::string("SELECT ") + kColumns + " FROM print_jobs WHERE state = ? ORDER BY job_id DESC LIMIT ?",
        {state, limit}));
}

sdk::Result<std::vector<PrintJobRow>> PrintQueue::of_reference(const std::string& reference) {
    return rows_of(storage_.query(std::string("SELECT ") + kColumns + " FROM print_jobs WHERE reference = ? ORDER BY job_id",
                                  {reference}));
}

sdk::Result<std::int64_t> PrintQueue::requeue_interrupted(std::int64_t now_utc_ms) {
    return storage_.execute(
        "UPDATE print_jobs SET state = 'queued', last_error = 'interrupted by a restart', next_attempt_utc_ms = ?, "
        "updated_utc_ms = ? WHERE state = 'printing'",
        {now_utc_ms, now_utc_ms});
}

sdk::Result<std::int64_t> PrintQueue::purge(std::int64_t before_utc_ms) {
    return storage_.execute("DELETE FROM print_jobs WHERE state IN ('printed', 'cancelled') AND updated_utc_ms < ?",
                            {before_utc_ms});
}

}  // namespace till::domain::printing
