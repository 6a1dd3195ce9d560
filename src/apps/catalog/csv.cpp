#include "apps/catalog/csv.hpp"

namespace famigo::apps::catalog {

CsvReader::CsvReader(std::istream& in, CsvLimits limits) : in_(in), limits_(limits) {}

int CsvReader::get() {
    int c = in_.rdbuf()->sbumpc();
    if (c == std::char_traits<char>::eof()) return -1;
    ++bytes_;
    if (c == '\n') ++line_;
    return c;
}

int CsvReader::peek() {
    int c = in_.rdbuf()->sgetc();
    return c == std::char_traits<char>::eof() ? -1 : c;
}

void CsvReader::append(std::string& field, char c) const {
    if (field.size() >= limits_.max_field_bytes)
        throw CsvError(record_line_, "a field is longer than " +
                                         std::to_string(limits_.max_field_bytes) +
                                         " bytes (an unbalanced quote?)");
    field.push_back(c);
}

bool CsvReader::next(std::vector<std::string>& fields) {
    fields.clear();
    if (!started_) {
        started_ = true;
        // A UTF-8 byte order mark before the first field is not data.
        // (Bytes that only start like one are kept as data.)
        static constexpr unsigned char kBom[] = {0xEF, 0xBB, 0xBF};
        for (unsigned char b : kBom) {
            if (peek() != b) break;
            bom_rest_.push_back(char(get()));
        }
        if (bom_rest_.size() == 3) bom_rest_.clear();
    }
    if (peek() < 0 && bom_rest_.empty()) return false;
    record_line_ = line_;
    std::string field = std::move(bom_rest_);
    auto end_field = [&] {
        if (fields.size() >= limits_.max_fields)
            throw CsvError(record_line_, "a record has more than " +
                                             std::to_string(limits_.max_fields) + " fields");
        fields.push_back(std::move(field));
        field.clear();
    };
    bool quoted = false;               // inside a quoted field
    bool field_start = field.empty();  // nothing read yet for this field
    for (;;) {
        int c = get();
        if (c < 0) {
            if (quoted)
                throw CsvError(record_line_,
                               "a quoted field is not closed before the end of the file");
            end_field();
            return true;
        }
        if (quoted) {
            if (c == '"') {
                if (peek() == '"') {
                    get();
                    append(field, '"');
                } else {
                    quoted = false;
                }
            } else {
                append(field, char(c));
            }
            continue;
        }
        if (c == '"' && field_start) {
            quoted = true;
            field_start = false;
        } else if (c == ',') {
            end_field();
            field_start = true;
        } else if (c == '\n') {
            end_field();
            return true;
        } else if (c == '\r' && peek() == '\n') {
            get();
            end_field();
            return true;
        } else {
            // Text after a closing quote (`"a"b`) is kept, as most readers do.
            append(field, char(c));
            field_start = false;
        }
    }
}

}  // namespace famigo::apps::catalog
