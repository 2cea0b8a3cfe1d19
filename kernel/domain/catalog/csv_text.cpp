#include "domain/catalog/csv_text.hpp"

namespace till::domain::catalog {

bool parse_csv(std::string_view text, std::vector<CsvRecord>& out, CsvSyntaxError& error) {
    if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    out.clear();
    std::size_t i = 0;
    int line = 1;
    const std::size_t n = text.size();
    auto fail = [&](int at_line, std::size_t field, const std::string& what) {
        error = CsvSyntaxError{at_line, field, what};
        return false;
    };
    while (i < n) {
        // A blank line (LF or CRLF) is skipped.
        if (text[i] == '\n') {
            ++i;
            ++line;
            continue;
        }
        if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') {
            i += 2;
            ++line;
            continue;
        }
        CsvRecord rec;
        rec.line = line;
        for (;;) {
            std::string field;
            if (i < n && text[i] == '"') {
                const int quote_line = line;
                ++i;
                bool closed = false;
                while (i < n) {
                    char c = text[i];
                    if (c == '"') {
                        if (i + 1 < n && text[i + 1] == '"') {
                            field += '"';
                            i += 2;
                            continue;
                        }
                        ++i;
                        closed = true;
                        break;
                    }
                    if (c == '\n') ++line;
                    field += c;
                    ++i;
                }
                if (!closed) return fail(quote_line, rec.fields.size() + 1, "unterminated quoted field");
                if (i < n && text[i] != ',' && text[i] != '\n' && !(text[i] == '\r' && (i + 1 == n || text[i + 1] == '\n')))
                    return fail(line, rec.fields.size() + 1, "unexpected character after a closing quote");
            } else {
                while (i < n && text[i] != ',' && text[i] != '\n' && !(text[i] == '\r' && (i + 1 == n || text[i + 1] == '\n'))) {
                    if (text[i] == '"')
                        return fail(line, rec.fields.size() + 1, "a quote inside an unquoted field (quote the whole field and double the quote)");
                    field += text[i];
                    ++i;
                }
            }
            rec.fields.push_back(std::move(field));
            if (i < n && text[i] == ',') {
                ++i;
                continue;
            }
            break;
        }
        // At the end of a record: a line end or the end of the text.
        if (i < n && text[i] == '\r') ++i;
        if (i < n && text[i] == '\n') {
            ++i;
            ++line;
        }
        out.push_back(std::move(rec));
    }
    return true;
}

std::string csv_field(std::string_view value) {
    if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
    std::string out = "\"";
    for (char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string csv_line(const std::vector<std::string>& fields) {
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out += ',';
        out += csv_field(fields[i]);
    }
    out += '\n';
    return out;
}

}  // namespace till::domain::catalog
