// A streaming RFC 4180 CSV reader: quoted fields, doubled quotes inside them,
// commas and line breaks inside quotes, CRLF or LF line ends, a leading UTF-8
// BOM. It reads one record at a time from an istream and knows the physical
// line each record starts on, so reports can say "file.csv:10474". Fields and
// records are bounded: a field longer than `max_field_bytes` or a record with
// more than `max_fields` fields (a stray quote swallowing the rest of a file
// looks like that) is a CsvError naming the line, never an unbounded buffer.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace famigo::apps::catalog {

class CsvError : public Error {
  public:
    CsvError(std::uint64_t line, const std::string& what)
        : Error("line " + std::to_string(line) + ": " + what), line_(line) {}
    std::uint64_t line() const { return line_; }

  private:
    std::uint64_t line_;
};

struct CsvLimits {
    std::size_t max_field_bytes = 64 * 1024;
    std::size_t max_fields = 512;
};

class CsvReader {
  public:
    explicit CsvReader(std::istream& in, CsvLimits limits = {});

    // Reads the next record into `fields` (cleared first); false at the end of
    // the input. An empty line is a record of one empty field. Throws CsvError
    // on an unterminated quote or a limit.
    bool next(std::vector<std::string>& fields);
    // The physical line (1-based) the last record read starts on.
    std::uint64_t line() const { return record_line_; }
    // Bytes consumed so far (for progress).
    std::uint64_t bytes_read() const { return bytes_; }

  private:
    int get();
    int peek();
    void append(std::string& field, char c) const;

    std::istream& in_;
    CsvLimits limits_;
    std::uint64_t line_ = 1;
    std::uint64_t record_line_ = 0;
    std::uint64_t bytes_ = 0;
    bool started_ = false;
    std::string bom_rest_;  // the start of a BOM that was not one
};

}  // namespace famigo::apps::catalog
