// CSV text as RFC 4180 says: fields separated by ',', records by LF or CRLF,
// fields containing ',', '"', CR or LF quoted with '"' and quotes doubled.
// Nothing is trimmed. A UTF-8 byte order mark at the start is skipped; blank
// lines are skipped.
#pragma once

#include <string>
#include <string_view>
#include <vector>


namespace till::domain::catalog {

struct CsvRecord {
    int line = 0;  ///< line number where the record starts (1-based)
    std::vector<std::string> fields;
};

struct CsvSyntaxError {
    int line = 0;
    std::size_t field = 0;  ///< 1-based field number in its record
    std::string message;
};

/// All records into `out`; false with `error` set at the first syntax error.
bool parse_csv(std::string_view text, std::vector<CsvRecord>& out, CsvSyntaxError& error);

/// One field, quoted when it needs to be.
std::string csv_field(std::string_view value);
/// One record with its line end ("\n").
std::string csv_line(const std::vector<std::string>& fields);

}  // namespace till::domain::catalog
