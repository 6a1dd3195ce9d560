// Number filters: add, floatformat (Django's Decimal rounding, reproduced on
// decimal digit strings), filesizeformat, divisibleby, get_digit.
#include <charconv>
#include <cmath>

#include "web/template/filter_util.hpp"

namespace famigo::web::tmpl {

using namespace filters;

namespace {

// A decimal number: digits * 10^exp, as Python's Decimal of a repr string.
struct Dec {
    bool neg = false;
    std::string digits = "0";
    int exp = 0;
};

std::optional<Dec> parse_dec(std::string_view s) {
    Dec d;
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) d.neg = s[i++] == '-';
    std::string digits;
    int frac = 0;
    bool point = false, any = false;
    for (; i < s.size(); ++i) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            digits += c;
            any = true;
            if (point) ++frac;
        } else if (c == '.' && !point) {
            point = true;
        } else {
            break;
        }
    }
    if (!any) return std::nullopt;
    int e = 0;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        auto r = std::from_chars(s.data() + i + (i < s.size() && s[i] == '+' ? 1 : 0),
                                 s.data() + s.size(), e);
        if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
    } else if (i != s.size()) {
        return std::nullopt;
    }
    std::size_t nz = digits.find_first_not_of('0');
    d.digits = nz == std::string::npos ? "0" : digits.substr(nz);
    d.exp = e - frac;
    return d;
}

bool has_fraction(const Dec& d) {
    if (d.exp >= 0) return false;
    std::size_t frac = std::size_t(-d.exp);
    std::string_view tail =
        std::string_view(d.digits).substr(d.digits.size() > frac ? d.digits.size() - frac : 0);
    return tail.find_first_not_of('0') != std::string_view::npos;
}

std::string integer_part(const Dec& d) {
    if (d.exp >= 0) return d.digits == "0" ? "0" : d.digits + std::string(std::size_t(d.exp), '0');
    std::size_t frac = std::size_t(-d.exp);
    if (d.digits.size() <= frac) return "0";
    return d.digits.substr(0, d.digits.size() - frac);
}

// Decimal.quantize(Decimal(10)**q, ROUND_HALF_UP) for q <= 0.
Dec quantize(const Dec& d, int q) {
    Dec r = d;
    if (d.exp >= q) {
        r.digits = d.digits + std::string(std::size_t(d.exp - q), '0');
        r.exp = q;
    } else {
        std::size_t drop = std::size_t(q - d.exp);
        std::string keep =
            d.digits.size() > drop ? d.digits.substr(0, d.digits.size() - drop) : "0";
        char first_dropped = d.digits.size() >= drop ? d.digits[d.digits.size() - drop] : '0';
        if (first_dropped >= '5') {
            int i = int(keep.size()) - 1;
            while (i >= 0 && keep[std::size_t(i)] == '9') keep[std::size_t(i--)] = '0';
            if (i < 0)
                keep.insert(keep.begin(), '1');
            else
                ++keep[std::size_t(i)];
        }
        r.digits = keep;
        r.exp = q;
    }
    std::size_t nz = r.digits.find_first_not_of('0');
    r.digits = nz == std::string::npos ? "0" : r.digits.substr(nz);
    return r;
}

// numberformat.format(number_string, '.', decimal_pos) without grouping.
std::string number_format(std::string s, std::size_t decimal_pos) {
    std::string sign;
    if (!s.empty() && s[0] == '-') {
        sign = "-";
        s.erase(0, 1);
    }
    std::string int_part = s, dec_part;
    if (auto dot = s.find('.'); dot != std::string::npos) {
        int_part = s.substr(0, dot);
        dec_part = s.substr(dot + 1, decimal_pos);
    }
    if (dec_part.size() < decimal_pos) dec_part += std::string(decimal_pos - dec_part.size(), '0');
    return sign + int_part + (dec_part.empty() ? "" : "." + dec_part);
}

Value floatformat(const Value& v, const Value* arg, FilterEnv&) {
    std::string input_repr;
    std::optional<Dec> d;
    if (v.kind() == Value::Kind::integer || v.kind() == Value::Kind::real) {
        v.append_repr(input_repr);
        d = parse_dec(input_repr);
    } else {
        v.append_repr(input_repr);
        auto f = py_float(v);
        if (!f || !std::isfinite(*f)) return Value::borrowed("");
        std::string r;
        append_float_repr(r, *f);
        d = parse_dec(r);
    }
    if (!d) return Value::borrowed("");  // inf/nan
    std::optional<std::int64_t> p = -1;
    if (arg) {
        Value a = *arg;
        if (a.is_string() && !a.as_string().empty() && a.as_string().back() == 'g') {
            std::string_view rest = a.as_string().substr(0, a.as_string().size() - 1);
            a = rest.empty() ? Value::integer(-1) : Value::string(std::string(rest));
        }
        p = py_int(a);
        if (!p) return Value::string(input_repr);
    }
    // Beyond this a template would only be asking for a huge string.
    if (*p > 10000 || *p < -10000) return Value::borrowed("");
    bool frac = has_fraction(*d);
    if (!frac && *p < 0) {
        std::string i = integer_part(*d);
        return Value::string((d->neg && i != "0" ? "-" : "") + i, true);
    }
    int places = int(*p < 0 ? -*p : *p);
    Dec r = quantize(*d, -places);
    std::string digits(r.digits.rbegin(), r.digits.rend());
    while (digits.size() <= std::size_t(places)) digits += '0';
    digits.insert(digits.begin() + places, '.');
    if (d->neg && r.digits != "0") digits += '-';
    std::string number(digits.rbegin(), digits.rend());
    return Value::string(number_format(number, std::size_t(places)), true);
}

Value add(const Value& v, const Value* arg, FilterEnv&) {
    auto a = py_int(v), b = py_int(*arg);
    if (a && b) {
        std::int64_t r;
        if (!__builtin_add_overflow(*a, *b, &r)) return Value::integer(r);
        return Value::real(double(*a) + double(*b));
    }
    using K = Value::Kind;
    if (v.is_string() && arg->is_string())
        return Value::string(std::string(v.as_string()) + std::string(arg->as_string()));
    auto listy = [](K k) { return k == K::list || k == K::seq; };
    if ((listy(v.kind()) && listy(arg->kind())) ||
        (v.kind() == K::tuple && arg->kind() == K::tuple)) {
        std::vector<Value> items;
        for (const Value* x : {&v, arg})
            x->iterate([&](const Value& e) {
                items.push_back(e);
                return true;
            });
        return Value::sequence(std::move(items), v.kind() == K::tuple);
    }
    if (v.is_number() && arg->is_number()) return Value::real(*py_float(v) + *py_float(*arg));
    return Value::borrowed("");
}

Value filesizeformat(const Value& v, const Value*, FilterEnv&) {
    const std::string nbsp = "\xC2\xA0";
    auto n = py_int(v);
    if (!n) return Value::string("0" + nbsp + "bytes");
    std::int64_t bytes = *n;
    bool negative = bytes < 0;
    double abs_bytes = negative ? -double(bytes) : double(bytes);
    std::string value;
    auto one_decimal = [](double x) {
        char buf[64];
        auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed, 1);
        return std::string(buf, r.ptr);
    };
    const double KB = 1024.0, MB = KB * 1024, GB = MB * 1024, TB = GB * 1024, PB = TB * 1024;
    if (abs_bytes < KB) {
        std::int64_t b = negative ? -bytes : bytes;
        value = std::to_string(b) + nbsp + (b == 1 ? "byte" : "bytes");
    } else if (abs_bytes < MB) {
        value = one_decimal(abs_bytes / KB) + nbsp + "KB";
    } else if (abs_bytes < GB) {
        value = one_decimal(abs_bytes / MB) + nbsp + "MB";
    } else if (abs_bytes < TB) {
        value = one_decimal(abs_bytes / GB) + nbsp + "GB";
    } else if (abs_bytes < PB) {
        value = one_decimal(abs_bytes / TB) + nbsp + "TB";
    } else {
        value = one_decimal(abs_bytes / PB) + nbsp + "PB";
    }
    return Value::string(negative ? "-" + value : value);
}

}  // namespace

void register_number_filters(Library& lib) {
    lib.add_filter("add", spec(add, kArg, false, false));
    lib.add_filter("floatformat", spec(floatformat, kOptArg, true, false));
    lib.add_filter("filesizeformat", spec(filesizeformat, kNoArg, true, false));
    lib.add_filter("divisibleby", spec(
                                      [](const Value& v, const Value* arg, FilterEnv&) {
                                          auto a = py_int(v), b = py_int(*arg);
                                          if (!a || !b) python_error("invalid literal for int()");
                                          if (*b == 0)
                                              python_error("integer division or modulo by zero");
                                          return Value::boolean(*a % *b == 0);
                                      },
                                      kArg, false, false));
    lib.add_filter("get_digit",
                   spec(
                       [](const Value& v, const Value* arg, FilterEnv&) {
                           auto pos = py_int(*arg);
                           auto n = py_int(v);
                           if (!pos || !n) return v;
                           if (*pos < 1) return v;
                           std::string s = std::to_string(*n);
                           if (std::size_t(*pos) > s.size()) return Value::integer(0);
                           char c = s[s.size() - std::size_t(*pos)];
                           if (c == '-')
                               python_error("invalid literal for int() with base 10: '-'");
                           return Value::integer(c - '0');
                       },
                       kArg, false, false));
}

}  // namespace famigo::web::tmpl
