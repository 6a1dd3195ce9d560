// How values print: Python's str() and repr() (floats as Python writes them),
// and what {{ x }} renders (floats never in exponent notation, as Django).
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "web/template/context.hpp"
#include "web/template/text.hpp"
#include "web/template/value.hpp"

namespace famigo::web::tmpl {

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
            out.append(digits, 0, std::size_t(exp) + 1);
            out += '.';
            out.append(digits, std::size_t(exp) + 1, std::string::npos);
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

}  // namespace famigo::web::tmpl
