// The Python semantics Django templates rely on: truthiness, len(), ==, <, in,
// and int()/float() of a value.
#include <charconv>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "web/template/context.hpp"
#include "web/template/text.hpp"
#include "web/template/value.hpp"

namespace famigo::web::tmpl {

bool Value::truthy() const {
    switch (kind_) {
        case Kind::missing:
        case Kind::none:
            return false;
        case Kind::boolean:
            return b_;
        case Kind::integer:
            return i_ != 0;
        case Kind::real:
            return d_ != 0.0;
        case Kind::string:
            return !sv_.empty();
        case Kind::list:
        case Kind::dict:
        case Kind::dict_items:
        case Kind::dict_keys:
        case Kind::dict_values:
            return !j_->empty();
        case Kind::seq:
        case Kind::tuple:
            return !seq_->empty();
        case Kind::object:
            return obj_->truthy();
        case Kind::loop:
        case Kind::block:
            return true;
    }
    return false;
}

std::optional<std::size_t> Value::length() const {
    switch (kind_) {
        case Kind::string:
            return text::cp_count(sv_);
        case Kind::list:
        case Kind::dict:
        case Kind::dict_items:
        case Kind::dict_keys:
        case Kind::dict_values:
            return j_->size();
        case Kind::seq:
        case Kind::tuple:
            return seq_->size();
        case Kind::loop:
            return 7;
        default:
            return std::nullopt;
    }
}

bool py_equal(const Value& a, const Value& b) {
    using K = Value::Kind;
    if (a.is_number() && b.is_number()) {
        if (a.kind() == K::real || b.kind() == K::real) return *py_float(a) == *py_float(b);
        return *py_int(a) == *py_int(b);
    }
    auto listy = [](K k) { return k == K::list || k == K::seq; };
    if (a.kind() == K::string && b.kind() == K::string) return a.as_string() == b.as_string();
    if ((a.is_none() || a.is_missing()) && (b.is_none() || b.is_missing())) return true;
    if ((listy(a.kind()) && listy(b.kind())) || (a.kind() == K::tuple && b.kind() == K::tuple)) {
        if (*a.length() != *b.length()) return false;
        for (std::size_t i = 0; i < *a.length(); ++i)
            if (!py_equal(*a.index(std::int64_t(i)), *b.index(std::int64_t(i)))) return false;
        return true;
    }
    if (a.kind() == K::dict && b.kind() == K::dict) {
        const Json& x = a.as_json();
        const Json& y = b.as_json();
        if (x.size() != y.size()) return false;
        for (auto it = x.begin(); it != x.end(); ++it) {
            auto jt = y.find(it.key());
            if (jt == y.end() || !py_equal(Value::from_json(*it), Value::from_json(*jt)))
                return false;
        }
        return true;
    }
    if (a.kind() == K::object && b.kind() == K::object) return &a.as_object() == &b.as_object();
    return false;
}

std::optional<int> py_compare(const Value& a, const Value& b) {
    using K = Value::Kind;
    if (a.is_number() && b.is_number()) {
        if (a.kind() == K::real || b.kind() == K::real) {
            double x = *py_float(a), y = *py_float(b);
            return x < y ? -1 : (x > y ? 1 : 0);
        }
        auto x = *py_int(a), y = *py_int(b);
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    if (a.kind() == K::string && b.kind() == K::string) {
        int c = a.as_string().compare(b.as_string());
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    auto listy = [](K k) { return k == K::list || k == K::seq; };
    if ((listy(a.kind()) && listy(b.kind())) || (a.kind() == K::tuple && b.kind() == K::tuple)) {
        std::size_t n = std::min(*a.length(), *b.length());
        for (std::size_t i = 0; i < n; ++i) {
            Value x = *a.index(std::int64_t(i)), y = *b.index(std::int64_t(i));
            if (!py_equal(x, y)) return py_compare(x, y);
        }
        return *a.length() < *b.length() ? -1 : (*a.length() > *b.length() ? 1 : 0);
    }
    return std::nullopt;
}

std::optional<bool> py_contains(const Value& c, const Value& item) {
    using K = Value::Kind;
    switch (c.kind()) {
        case K::string:
            if (item.kind() != K::string) return std::nullopt;
            return c.as_string().find(item.as_string()) != std::string_view::npos;
        case K::dict:
        case K::dict_keys:
            if (item.kind() == K::string) return c.as_json().contains(item.as_string());
            if (item.kind() == K::list || item.kind() == K::dict || item.kind() == K::seq)
                return std::nullopt;  // unhashable
            return false;
        case K::list:
        case K::seq:
        case K::tuple:
        case K::dict_values:
        case K::dict_items: {
            bool found = false;
            c.iterate([&](const Value& e) {
                found = py_equal(e, item);
                return !found;
            });
            return found;
        }
        default:
            return std::nullopt;
    }
}

namespace {

std::string_view py_strip(std::string_view s) {
    // Python int()/float() ignore surrounding whitespace (ASCII suffices here).
    while (!s.empty() && (s.front() == ' ' || (s.front() >= 9 && s.front() <= 13)))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || (s.back() >= 9 && s.back() <= 13))) s.remove_suffix(1);
    return s;
}

// Python allows single underscores between digits in numeric literals.
std::optional<std::string> strip_underscores(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '_') {
            bool ok = i > 0 && i + 1 < s.size() &&
                      std::isdigit(static_cast<unsigned char>(s[i - 1])) &&
                      std::isdigit(static_cast<unsigned char>(s[i + 1]));
            if (!ok) return std::nullopt;
            continue;
        }
        out += s[i];
    }
    return out;
}

// Removes one leading '+' or '-' from t; true when it was '-'.
bool take_sign(std::string_view& t) {
    if (t.empty() || (t[0] != '+' && t[0] != '-')) return false;
    bool negative = t[0] == '-';
    t.remove_prefix(1);
    return negative;
}

}  // namespace

std::optional<std::int64_t> py_int(const Value& v) {
    switch (v.kind()) {
        case Value::Kind::boolean:
            return v.as_bool() ? 1 : 0;
        case Value::Kind::integer:
            return v.as_int();
        case Value::Kind::real: {
            double d = v.as_real();
            if (!std::isfinite(d) || std::fabs(d) >= 9.2e18) return std::nullopt;
            return std::int64_t(d);
        }
        case Value::Kind::string: {
            auto s = strip_underscores(py_strip(v.as_string()));
            if (!s || s->empty()) return std::nullopt;
            std::string_view t = *s;
            bool neg = take_sign(t);
            if (t.empty() || t.size() > 18) return std::nullopt;
            std::int64_t out = 0;
            for (char c : t) {
                if (c < '0' || c > '9') return std::nullopt;
                out = out * 10 + (c - '0');
            }
            return neg ? -out : out;
        }
        default:
            return std::nullopt;
    }
}

std::optional<double> py_float(const Value& v) {
    switch (v.kind()) {
        case Value::Kind::boolean:
            return v.as_bool() ? 1.0 : 0.0;
        case Value::Kind::integer:
            return double(v.as_int());
        case Value::Kind::real:
            return v.as_real();
        case Value::Kind::string: {
            auto s = strip_underscores(py_strip(v.as_string()));
            if (!s || s->empty()) return std::nullopt;
            std::string_view t = *s;
            bool neg = take_sign(t);
            std::string low;
            for (char c : t) low += char(std::tolower(static_cast<unsigned char>(c)));
            double d = 0;
            if (low == "inf" || low == "infinity") {
                d = std::numeric_limits<double>::infinity();
            } else if (low == "nan") {
                d = std::numeric_limits<double>::quiet_NaN();
            } else {
                // Only decimal syntax: digits, one point, an optional exponent.
                bool digit = false;
                for (char c : low)
                    if (c >= '0' && c <= '9') digit = true;
                if (!digit || low.find_first_not_of("0123456789.e+-") != std::string::npos)
                    return std::nullopt;
                auto r = std::from_chars(low.data(), low.data() + low.size(), d);
                if (r.ec != std::errc() && r.ec != std::errc::result_out_of_range)
                    return std::nullopt;
                if (r.ptr != low.data() + low.size()) return std::nullopt;
                if (low[0] == '+' || low[0] == '-') return std::nullopt;
            }
            return neg ? -d : d;
        }
        default:
            return std::nullopt;
    }
}

}  // namespace famigo::web::tmpl
