#include "web/template/value.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "web/template/context.hpp"
#include "web/template/text.hpp"

namespace famigo::web::tmpl {

namespace {

const Json& empty_object() {
    static const Json j = Json::object();
    return j;
}

}  // namespace

Value Value::boolean(bool b) {
    Value v = with_kind(Kind::boolean);
    v.b_ = b;
    return v;
}

Value Value::integer(std::int64_t i) {
    Value v = with_kind(Kind::integer);
    v.i_ = i;
    return v;
}

Value Value::real(double d) {
    Value v = with_kind(Kind::real);
    v.d_ = d;
    return v;
}

Value Value::borrowed(std::string_view s, bool safe) {
    Value v = with_kind(Kind::string);
    v.sv_ = s;
    v.safe_ = safe;
    return v;
}

Value Value::string(std::string s, bool safe) {
    // The text moves into a shared block so that copies of the Value share it
    // and string_views into it survive moves of the Value.
    auto owned = std::make_shared<const std::string>(std::move(s));
    Value v = with_kind(Kind::string);
    v.sv_ = *owned;
    v.keep_ = std::move(owned);
    v.safe_ = safe;
    return v;
}

Value Value::from_json(const Json& j, std::shared_ptr<const void> keep) {
    switch (j.type()) {
        case Json::value_t::null:
            return none();
        case Json::value_t::boolean:
            return boolean(j.get<bool>());
        case Json::value_t::number_integer:
            return integer(j.get<std::int64_t>());
        case Json::value_t::number_unsigned: {
            auto u = j.get<std::uint64_t>();
            if (u <= std::uint64_t(std::numeric_limits<std::int64_t>::max()))
                return integer(std::int64_t(u));
            return real(double(u));
        }
        case Json::value_t::number_float:
            return real(j.get<double>());
        case Json::value_t::string: {
            Value v = borrowed(j.get_ref<const std::string&>());
            v.keep_ = std::move(keep);
            return v;
        }
        case Json::value_t::array:
        case Json::value_t::object: {
            Value v = with_kind(j.is_array() ? Kind::list : Kind::dict);
            v.j_ = &j;
            v.keep_ = std::move(keep);
            return v;
        }
        default:
            return none();  // binary / discarded: not produced by parsing
    }
}

Value Value::sequence(std::vector<Value> items, bool tuple) {
    auto owned = std::make_shared<const std::vector<Value>>(std::move(items));
    Value v = with_kind(tuple ? Kind::tuple : Kind::seq);
    v.seq_ = owned.get();
    v.keep_ = std::move(owned);
    return v;
}

Value Value::view(Kind k, const Json& object, std::shared_ptr<const void> keep) {
    Value v = with_kind(k);
    v.j_ = &object;
    v.keep_ = std::move(keep);
    return v;
}

Value Value::object(std::shared_ptr<const Object> o) {
    Value v = with_kind(Kind::object);
    v.obj_ = o.get();
    v.keep_ = std::move(o);
    return v;
}

Value Value::loop(std::shared_ptr<const LoopState> l) {
    Value v = with_kind(Kind::loop);
    v.loop_ = l.get();
    v.keep_ = std::move(l);
    return v;
}

Value Value::block(std::shared_ptr<const BlockRef> b) {
    Value v = with_kind(Kind::block);
    v.block_ = b.get();
    v.keep_ = std::move(b);
    return v;
}

Value& Value::mark_safe() {
    if (kind_ != Kind::string) *this = string(str());
    safe_ = true;
    return *this;
}

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

void append_float_repr(std::string& out, double d) {
    if (std::isnan(d)) {
        out += "nan";
        return;
    }
    if (std::isinf(d)) {
        out += d < 0 ? "-inf" : "inf";
        return;
    }
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    std::string_view sci(buf, std::size_t(res.ptr - buf));
    // sci looks like "-1.2345e+02": split sign, digits and exponent.
    bool neg = sci.front() == '-';
    if (neg) sci.remove_prefix(1);
    auto epos = sci.find('e');
    std::string digits;
    for (char c : sci.substr(0, epos))
        if (c != '.') digits += c;
    int exp = 0;
    std::from_chars(sci.data() + epos + 1 + (sci[epos + 1] == '+' ? 1 : 0), sci.data() + sci.size(),
                    exp);
    if (neg) out += '-';
    int n = int(digits.size());
    if (exp >= -4 && exp < 16) {  // Python's repr leaves this range to exponent notation
        if (exp < 0) {
            out += "0.";
            out.append(std::size_t(-exp - 1), '0');
            out += digits;
        } else if (exp + 1 >= n) {
            out += digits;
            out.append(std::size_t(exp + 1 - n), '0');
            out += ".0";
        } else {
            out.append(digits, 0, std::size_t(exp + 1));
            out += '.';
            out.append(digits, std::size_t(exp + 1), std::string::npos);
        }
        return;
    }
    out += digits[0];
    if (n > 1) {
        out += '.';
        out.append(digits, 1, std::string::npos);
    }
    out += 'e';
    out += exp < 0 ? '-' : '+';
    int ae = exp < 0 ? -exp : exp;
    if (ae < 10) out += '0';
    out += std::to_string(ae);
}

namespace {

// Django renders floats through Decimal(repr(x)) formatted with '{:f}' when
// the repr uses an exponent, so {{ 1e16 }} prints all its digits.
void append_localized_float(std::string& out, double d) {
    std::string repr;
    append_float_repr(repr, d);
    auto epos = repr.find('e');
    if (epos == std::string::npos) {
        out += repr;
        return;
    }
    bool neg = repr[0] == '-';
    std::string mant = repr.substr(neg ? 1 : 0, epos - (neg ? 1 : 0));
    int exp = std::stoi(repr.substr(epos + 1));
    std::string digits;
    int point = 1;  // digits before the decimal point in the mantissa
    auto dot = mant.find('.');
    if (dot != std::string::npos) {
        digits = mant.substr(0, dot) + mant.substr(dot + 1);
        point = int(dot);
    } else {
        digits = mant;
        point = int(mant.size());
    }
    int dec_exp = exp - (int(digits.size()) - point);  // value = digits * 10^dec_exp
    if (std::abs(dec_exp) + int(digits.size()) > 200) {
        out += repr;  // Django keeps scientific notation for huge exponents
        return;
    }
    if (neg) out += '-';
    if (dec_exp >= 0) {
        out += digits;
        out.append(std::size_t(dec_exp), '0');
    } else {
        int int_len = int(digits.size()) + dec_exp;
        if (int_len > 0) {
            out.append(digits, 0, std::size_t(int_len));
            out += '.';
            out.append(digits, std::size_t(int_len), std::string::npos);
        } else {
            out += "0.";
            out.append(std::size_t(-int_len), '0');
            out += digits;
        }
    }
}

void append_seq_repr(std::string& out, const Value& v, const char* open, const char* close) {
    out += open;
    bool first = true;
    std::size_t count = 0;
    v.iterate([&](const Value& e) {
        if (!first) out += ", ";
        first = false;
        e.append_repr(out);
        ++count;
        return true;
    });
    if (v.kind() == Value::Kind::tuple && count == 1) out += ',';
    out += close;
}

void append_dict_repr(std::string& out, const Json& j, const std::shared_ptr<const void>& keep) {
    out += '{';
    bool first = true;
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (!first) out += ", ";
        first = false;
        text::append_py_repr(out, it.key());
        out += ": ";
        Value::from_json(it.value(), keep).append_repr(out);
    }
    out += '}';
}

}  // namespace

void Value::append_str(std::string& out) const {
    switch (kind_) {
        case Kind::missing:
            break;
        case Kind::none:
            out += "None";
            break;
        case Kind::boolean:
            out += b_ ? "True" : "False";
            break;
        case Kind::integer: {
            char buf[24];
            auto r = std::to_chars(buf, buf + sizeof buf, i_);
            out.append(buf, r.ptr);
            break;
        }
        case Kind::real:
            append_float_repr(out, d_);
            break;
        case Kind::string:
            out += sv_;
            break;
        case Kind::list:
        case Kind::seq:
            append_seq_repr(out, *this, "[", "]");
            break;
        case Kind::tuple:
            append_seq_repr(out, *this, "(", ")");
            break;
        case Kind::dict:
            append_dict_repr(out, *j_, keep_);
            break;
        case Kind::dict_items:
            append_seq_repr(out, *this, "dict_items([", "])");
            break;
        case Kind::dict_keys:
            append_seq_repr(out, *this, "dict_keys([", "])");
            break;
        case Kind::dict_values:
            append_seq_repr(out, *this, "dict_values([", "])");
            break;
        case Kind::object:
            out += obj_->str();
            break;
        case Kind::loop: {
            out += "{'parentloop': ";
            if (loop_->parent)
                Value::loop(loop_->parent).append_str(out);
            else
                out += "{}";
            auto n = [&](const char* k, std::int64_t x) {
                out += ", '";
                out += k;
                out += "': ";
                out += std::to_string(x);
            };
            n("counter0", loop_->counter0);
            n("counter", loop_->counter0 + 1);
            n("revcounter", loop_->length - loop_->counter0);
            n("revcounter0", loop_->length - loop_->counter0 - 1);
            out += loop_->counter0 == 0 ? ", 'first': True" : ", 'first': False";
            out += loop_->counter0 == loop_->length - 1 ? ", 'last': True}" : ", 'last': False}";
            break;
        }
        case Kind::block:
            out += "<Block Node>";
            break;
    }
}

void Value::append_repr(std::string& out) const {
    if (kind_ == Kind::string)
        text::append_py_repr(out, sv_);
    else
        append_str(out);
}

std::string Value::str() const {
    if (kind_ == Kind::string) return std::string(sv_);
    std::string s;
    append_str(s);
    return s;
}

void Value::append_rendered(std::string& out) const {
    if (kind_ == Kind::real)
        append_localized_float(out, d_);
    else
        append_str(out);
}

bool Value::iterate(const std::function<bool(const Value&)>& each) const {
    switch (kind_) {
        case Kind::string:
            for (std::size_t i = 0; i < sv_.size();) {
                std::size_t start = i;
                text::next_cp(sv_, i);
                Value c = borrowed(sv_.substr(start, i - start), false);
                c.keep_ = keep_;
                if (!each(c)) break;
            }
            return true;
        case Kind::list:
            for (const auto& e : *j_)
                if (!each(from_json(e, keep_))) break;
            return true;
        case Kind::dict:
        case Kind::dict_keys:
            for (auto it = j_->begin(); it != j_->end(); ++it) {
                Value k = borrowed(it.key());
                k.keep_ = keep_;
                if (!each(k)) break;
            }
            return true;
        case Kind::dict_values:
            for (const auto& e : *j_)
                if (!each(from_json(e, keep_))) break;
            return true;
        case Kind::dict_items:
            for (auto it = j_->begin(); it != j_->end(); ++it) {
                Value k = borrowed(it.key());
                k.keep_ = keep_;
                if (!each(sequence({k, from_json(it.value(), keep_)}, true))) break;
            }
            return true;
        case Kind::seq:
        case Kind::tuple:
            for (const auto& e : *seq_)
                if (!each(e)) break;
            return true;
        case Kind::loop: {
            static const char* keys[] = {"parentloop",  "counter0", "counter", "revcounter",
                                         "revcounter0", "first",    "last"};
            for (const char* k : keys)
                if (!each(borrowed(k))) break;
            return true;
        }
        default:
            return false;
    }
}

std::optional<std::size_t> Value::iter_length() const {
    switch (kind_) {
        case Kind::string:
        case Kind::list:
        case Kind::dict:
        case Kind::dict_items:
        case Kind::dict_keys:
        case Kind::dict_values:
        case Kind::seq:
        case Kind::tuple:
        case Kind::loop:
            return length();
        default:
            return std::nullopt;
    }
}

std::optional<Value> Value::index(std::int64_t i) const {
    if (kind_ == Kind::list) {
        auto n = std::int64_t(j_->size());
        if (i < 0) i += n;
        if (i < 0 || i >= n) return std::nullopt;
        return from_json((*j_)[std::size_t(i)], keep_);
    }
    if (kind_ == Kind::seq || kind_ == Kind::tuple) {
        auto n = std::int64_t(seq_->size());
        if (i < 0) i += n;
        if (i < 0 || i >= n) return std::nullopt;
        return (*seq_)[std::size_t(i)];
    }
    if (kind_ == Kind::string) {
        // Code-point indexing; negative indexes need the count first.
        if (i < 0) {
            i += std::int64_t(text::cp_count(sv_));
            if (i < 0) return std::nullopt;
        }
        std::size_t pos = 0;
        for (std::int64_t k = 0; pos < sv_.size(); ++k) {
            std::size_t start = pos;
            text::next_cp(sv_, pos);
            if (k == i) {
                Value c = borrowed(sv_.substr(start, pos - start));
                c.keep_ = keep_;
                return c;
            }
        }
    }
    return std::nullopt;
}

namespace {

std::optional<std::int64_t> parse_index(std::string_view bit) {
    if (bit.empty() || bit.size() > 18) return std::nullopt;
    std::int64_t v = 0;
    for (char c : bit) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

}  // namespace

std::optional<Value> Value::lookup(std::string_view bit) const {
    switch (kind_) {
        case Kind::dict: {
            auto it = j_->find(bit);
            if (it != j_->end()) return from_json(*it, keep_);
            // Attribute lookup finds dict methods that take no arguments.
            if (bit == "items") return view(Kind::dict_items, *j_, keep_);
            if (bit == "keys") return view(Kind::dict_keys, *j_, keep_);
            if (bit == "values") return view(Kind::dict_values, *j_, keep_);
            return std::nullopt;
        }
        case Kind::object:
            return obj_->lookup(bit);
        case Kind::loop: {
            const LoopState& l = *loop_;
            if (bit == "counter") return integer(l.counter0 + 1);
            if (bit == "counter0") return integer(l.counter0);
            if (bit == "revcounter") return integer(l.length - l.counter0);
            if (bit == "revcounter0") return integer(l.length - l.counter0 - 1);
            if (bit == "first") return boolean(l.counter0 == 0);
            if (bit == "last") return boolean(l.counter0 == l.length - 1);
            if (bit == "parentloop") return l.parent ? loop(l.parent) : from_json(empty_object());
            return std::nullopt;
        }
        case Kind::block:
            if (bit == "super") return render_block_super(*block_);
            return std::nullopt;
        case Kind::list:
        case Kind::seq:
        case Kind::tuple:
        case Kind::string:
            if (auto i = parse_index(bit)) return index(*i);
            return std::nullopt;
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
            bool neg = false;
            if (t[0] == '+' || t[0] == '-') {
                neg = t[0] == '-';
                t.remove_prefix(1);
            }
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
            bool neg = false;
            if (t[0] == '+' || t[0] == '-') {
                neg = t[0] == '-';
                t.remove_prefix(1);
            }
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
