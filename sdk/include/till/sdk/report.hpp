// Till SDK — reports: tabular results a person asks for (sales by hour, Z
// report, stock valuation) and exports (CSV, JSON).
//
// A report declares its parameters, reads through Storage (its own tables or
// the kernel's read views) and returns columns and rows. It never writes.
//
// Threading: run() may be called from several HTTP worker threads at once.
#pragma once

#include <string>
#include <vector>

#include "till/sdk/status.hpp"
#include "till/sdk/value.hpp"

namespace till::sdk {

class Storage;

struct ReportParameter {
    std::string name;           ///< e.g. "from_utc_ms"
    Value::Type type = Value::Type::string;
    bool required = false;
    std::string description;
};

struct ReportColumn {
    std::string name;           ///< machine name, with its unit ("total_minor")
    std::string title;          ///< heading for people
    Value::Type type = Value::Type::string;
};

struct ReportTable {
    std::vector<ReportColumn> columns;
    std::vector<std::vector<Value>> rows;
};

class Report {
public:
    virtual ~Report();
    /// Stable id, e.g. "sales_by_hour".
    virtual std::string id() const = 0;
    virtual std::string title() const = 0;
    virtual std::vector<ReportParameter> parameters() const = 0;
    /// Runs the report. `params` has been checked against parameters().
    virtual Result<ReportTable> run(const Value& params, Storage& storage) = 0;
};

}  // namespace till::sdk
