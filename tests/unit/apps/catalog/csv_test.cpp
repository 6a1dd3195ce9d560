#include "apps/catalog/csv.hpp"

#include <gtest/gtest.h>

#include <sstream>

using famigo::apps::catalog::CsvError;
using famigo::apps::catalog::CsvLimits;
using famigo::apps::catalog::CsvReader;
using Rows = std::vector<std::vector<std::string>>;

namespace {

// Every record with the line it starts on.
std::vector<std::pair<std::uint64_t, std::vector<std::string>>> read_all(const std::string& text,
                                                                         CsvLimits limits = {}) {
    std::istringstream in(text);
    CsvReader reader(in, limits);
    std::vector<std::pair<std::uint64_t, std::vector<std::string>>> out;
    std::vector<std::string> row;
    while (reader.next(row)) out.emplace_back(reader.line(), row);
    return out;
}

Rows rows_of(const std::string& text) {
    Rows rows;
    for (auto& [line, row] : read_all(text)) rows.push_back(row);
    return rows;
}

}  // namespace

TEST(Csv, PlainFieldsAndLineEnds) {
    EXPECT_EQ(rows_of("a,b,c\n1,2,3\n"), (Rows{{"a", "b", "c"}, {"1", "2", "3"}}));
    EXPECT_EQ(rows_of("a,b\r\n1,2\r\n"), (Rows{{"a", "b"}, {"1", "2"}}));
    EXPECT_EQ(rows_of("a,b\n1,2"), (Rows{{"a", "b"}, {"1", "2"}}));  // no final line end
    EXPECT_EQ(rows_of(",,\n"), (Rows{{"", "", ""}}));
    EXPECT_EQ(rows_of(""), Rows{});
    EXPECT_EQ(rows_of("a\n\nb\n"), (Rows{{"a"}, {""}, {"b"}}));  // a blank line is one empty field
}

TEST(Csv, QuotedFields) {
    EXPECT_EQ(rows_of("\"10,000+\",x\n"), (Rows{{"10,000+", "x"}}));
    EXPECT_EQ(rows_of("\"say \"\"hi\"\"\",\"\"\n"), (Rows{{"say \"hi\"", ""}}));
    EXPECT_EQ(rows_of("\"two\nlines\",x\r\nnext,y\r\n"),
              (Rows{{"two\nlines", "x"}, {"next", "y"}}));
    EXPECT_EQ(rows_of("\"crlf\r\ninside\"\r\n"), (Rows{{"crlf\r\ninside"}}));
    EXPECT_EQ(rows_of("a\"b,c\n"),
              (Rows{{"a\"b", "c"}}));  // a quote inside an unquoted field is data
}

TEST(Csv, PhysicalLineNumbers) {
    auto records = read_all("h1,h2\n\"multi\nline\",1\nnext,2\r\n\"a\r\nb\r\nc\",3\nlast,4");
    ASSERT_EQ(records.size(), 5u);
    EXPECT_EQ(records[0].first, 1u);
    EXPECT_EQ(records[1].first, 2u);
    EXPECT_EQ(records[2].first, 4u);
    EXPECT_EQ(records[3].first, 5u);
    EXPECT_EQ(records[4].first, 8u);
}

TEST(Csv, ByteOrderMark) {
    EXPECT_EQ(rows_of("\xEF\xBB\xBF"
                      "App,x\n"),
              (Rows{{"App", "x"}}));
    EXPECT_EQ(rows_of("\xEF\xBB\xBF\"q\",x\n"), (Rows{{"q", "x"}}));
    // Bytes that only begin like a BOM are kept.
    EXPECT_EQ(rows_of("\xEF\xBBz\n"), (Rows{{"\xEF\xBBz"}}));
}

TEST(Csv, UnterminatedQuoteNamesItsLine) {
    try {
        read_all("a,b\nc,\"open\nstill open\n");
        FAIL() << "no error";
    } catch (const CsvError& e) {
        EXPECT_EQ(e.line(), 2u);
        EXPECT_NE(std::string(e.what()).find("not closed"), std::string::npos) << e.what();
    }
}

TEST(Csv, BoundedFieldsAndRecords) {
    CsvLimits limits{.max_field_bytes = 8, .max_fields = 3};
    EXPECT_NO_THROW(read_all("12345678,b,c\n", limits));
    try {
        read_all("ok\n123456789\n", limits);
        FAIL() << "no error";
    } catch (const CsvError& e) {
        EXPECT_EQ(e.line(), 2u);
        EXPECT_NE(std::string(e.what()).find("longer than 8 bytes"), std::string::npos) << e.what();
    }
    try {
        read_all("a,b,c,d\n", limits);
        FAIL() << "no error";
    } catch (const CsvError& e) {
        EXPECT_NE(std::string(e.what()).find("more than 3 fields"), std::string::npos) << e.what();
    }
}

TEST(Csv, BytesRead) {
    std::istringstream in("ab,c\nd\n");
    CsvReader reader(in);
    std::vector<std::string> row;
    reader.next(row);
    EXPECT_EQ(reader.bytes_read(), 5u);
    reader.next(row);
    EXPECT_EQ(reader.bytes_read(), 7u);
    EXPECT_FALSE(reader.next(row));
}
