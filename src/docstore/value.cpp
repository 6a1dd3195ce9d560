#include "docstore/value.hpp"

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>

#include "docstore/errors.hpp"

namespace famigo::docstore {

TypeClass type_class(const Document& value) {
    switch (value.type()) {
        case Document::value_t::number_integer:
        case Document::value_t::number_unsigned:
        case Document::value_t::number_float:
            return TypeClass::Number;
        case Document::value_t::string:
            return TypeClass::String;
        case Document::value_t::object:
            return TypeClass::Object;
        case Document::value_t::array:
            return TypeClass::Array;
        case Document::value_t::boolean:
            return TypeClass::Boolean;
        default:
            return TypeClass::Null;
    }
}

namespace {

int compare_numbers(const Document& a, const Document& b) {
    // Integers compare exactly; only a mix with a double goes through double.
    if (a.is_number_float() || b.is_number_float()) {
        double x = a.get<double>(), y = b.get<double>();
        if (std::isnan(x) || std::isnan(y)) return std::isnan(x) ? (std::isnan(y) ? 0 : -1) : 1;
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    if (a.is_number_unsigned() && b.is_number_unsigned()) {
        auto x = a.get<std::uint64_t>(), y = b.get<std::uint64_t>();
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    if (a.is_number_unsigned() && a.get<std::uint64_t>() > std::uint64_t(INT64_MAX)) return 1;
    if (b.is_number_unsigned() && b.get<std::uint64_t>() > std::uint64_t(INT64_MAX)) return -1;
    auto x = a.get<std::int64_t>(), y = b.get<std::int64_t>();
    return x < y ? -1 : (x > y ? 1 : 0);
}

}  // namespace

int compare_values(const Document& a, const Document& b) {
    TypeClass ta = type_class(a), tb = type_class(b);
    if (ta != tb) return int(ta) < int(tb) ? -1 : 1;
    switch (ta) {
        case TypeClass::Null:
            return 0;
        case TypeClass::Number:
            return compare_numbers(a, b);
        case TypeClass::String: {
            int c = a.get_ref<const std::string&>().compare(b.get_ref<const std::string&>());
            return c < 0 ? -1 : (c > 0 ? 1 : 0);
        }
        case TypeClass::Boolean:
            return int(a.get<bool>()) - int(b.get<bool>());
        case TypeClass::Array: {
            size_t n = std::min(a.size(), b.size());
            for (size_t i = 0; i < n; ++i)
                if (int c = compare_values(a[i], b[i])) return c;
            return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
        }
        case TypeClass::Object: {
            auto ia = a.begin(), ib = b.begin();
            for (; ia != a.end() && ib != b.end(); ++ia, ++ib) {
                if (int c = ia.key().compare(ib.key())) return c < 0 ? -1 : 1;
                if (int c = compare_values(*ia, *ib)) return c;
            }
            if (ia == a.end() && ib == b.end()) return 0;
            return ia == a.end() ? -1 : 1;
        }
    }
    return 0;
}

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> out;
    size_t start = 0;
    while (true) {
        size_t dot = path.find('.', start);
        out.emplace_back(path.substr(start, dot == std::string_view::npos ? dot : dot - start));
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return out;
}

bool path_index(std::string_view segment, size_t& index) {
    if (segment.empty() || segment.size() > 9) return false;
    index = 0;
    for (char c : segment) {
        if (c < '0' || c > '9') return false;
        index = index * 10 + size_t(c - '0');
    }
    return true;
}

namespace {

void walk(const Document& node, const std::vector<std::string>& segments, size_t at,
          std::vector<const Document*>& out) {
    if (at == segments.size()) {
        out.push_back(&node);
        return;
    }
    const std::string& segment = segments[at];
    if (node.is_object()) {
        auto it = node.find(segment);
        if (it != node.end()) walk(*it, segments, at + 1, out);
    } else if (node.is_array()) {
        size_t index = 0;
        if (path_index(segment, index)) {
            if (index < node.size()) walk(node[index], segments, at + 1, out);
            return;
        }
        // A name met at a list applies to each embedded document in it.
        for (const auto& element : node)
            if (element.is_object()) walk(element, segments, at, out);
    }
}

}  // namespace

void resolve_path(const Document& doc, std::string_view path, std::vector<const Document*>& out) {
    walk(doc, split_path(path), 0, out);
}

const Document* find_path(const Document& doc, std::string_view path) {
    const Document* node = &doc;
    for (const auto& segment : split_path(path)) {
        if (!node->is_object()) return nullptr;
        auto it = node->find(segment);
        if (it == node->end()) return nullptr;
        node = &*it;
    }
    return node;
}

namespace {

char32_t lower_code_point(char32_t c) {
    if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
    if ((c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 32;  // Latin-1
    if (c >= 0x100 && c <= 0x137 && c % 2 == 0) return c + 1;  // Latin Ext-A
    if (c >= 0x139 && c <= 0x148 && c % 2 == 1) return c + 1;
    if (c >= 0x14A && c <= 0x177 && c % 2 == 0) return c + 1;
    if (c == 0x178) return 0xFF;
    if (c >= 0x179 && c <= 0x17E && c % 2 == 1) return c + 1;
    if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 32;  // Greek
    if (c >= 0x410 && c <= 0x42F) return c + 32;                // Cyrillic
    if (c >= 0x400 && c <= 0x40F) return c + 80;
    return c;
}

void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += char(c);
    } else if (c < 0x800) {
        out += char(0xC0 | (c >> 6));
        out += char(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += char(0xE0 | (c >> 12));
        out += char(0x80 | ((c >> 6) & 0x3F));
        out += char(0x80 | (c & 0x3F));
    } else {
        out += char(0xF0 | (c >> 18));
        out += char(0x80 | ((c >> 12) & 0x3F));
        out += char(0x80 | ((c >> 6) & 0x3F));
        out += char(0x80 | (c & 0x3F));
    }
}

}  // namespace

std::string fold_case(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        auto byte = static_cast<unsigned char>(text[i]);
        size_t length = byte < 0x80         ? 1
                        : (byte >> 5) == 6  ? 2
                        : (byte >> 4) == 14 ? 3
                        : (byte >> 3) == 30 ? 4
                                            : 0;
        if (length == 0 || i + length > text.size()) {  // not UTF-8: keep the byte as it is
            out += text[i++];
            continue;
        }
        char32_t c = length == 1 ? byte : byte & (0x7F >> length);
        for (size_t k = 1; k < length; ++k)
            c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
        append_utf8(out, lower_code_point(c));
        i += length;
    }
    return out;
}

std::string new_id() {
    static const std::uint64_t process_random = [] {
        std::random_device device;
        return (std::uint64_t(device()) << 32) ^ device();
    }();
    static std::atomic<std::uint32_t> counter{std::uint32_t(process_random >> 40)};
    auto seconds = std::uint32_t(std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
    char buffer[25];
    std::snprintf(buffer, sizeof buffer, "%08x%010llx%06x", seconds,
                  static_cast<unsigned long long>(process_random & 0xFFFFFFFFFFULL),
                  counter.fetch_add(1) & 0xFFFFFF);
    return buffer;
}

void check_document_keys(const Document& doc, std::string_view where) {
    if (doc.is_array()) {
        for (const auto& element : doc) check_document_keys(element, where);
        return;
    }
    if (!doc.is_object()) return;
    for (auto it = doc.begin(); it != doc.end(); ++it) {
        const std::string& key = it.key();
        std::string at = where.empty() ? key : std::string(where) + "." + key;
        if (key.empty() || key.front() == '$' || key.find('.') != std::string::npos ||
            key.find('\0') != std::string::npos)
            throw QueryError("field name '" + at +
                             "' is not allowed: names may not be empty, start with '$' or "
                             "contain '.'");
        check_document_keys(*it, at);
    }
}

void check_collection_name(std::string_view name) {
    bool ok = !name.empty() && name.size() <= 64;
    for (char c : name)
        ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_');
    if (!ok)
        throw QueryError("collection name '" + std::string(name) +
                         "' must be 1-64 characters of letters, digits and '_'");
}

}  // namespace famigo::docstore
