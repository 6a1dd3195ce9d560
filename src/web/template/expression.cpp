#include "web/template/expression.hpp"

#include "web/template/context.hpp"
#include "web/template/errors.hpp"
#include "web/template/library.hpp"
#include "web/template/text.hpp"

namespace famigo::web::tmpl {

namespace {

bool word_at(std::string_view s, std::size_t i, std::size_t& len) {
    std::size_t k = i;
    char32_t c = text::next_cp(s, k);
    len = k - i;
    return text::is_word(c);
}

// [\w.]+
std::size_t match_var_chars(std::string_view s, std::size_t i) {
    std::size_t k = i, len = 0;
    while (k < s.size()) {
        if (s[k] == '.') {
            ++k;
        } else if (word_at(s, k, len)) {
            k += len;
        } else {
            break;
        }
    }
    return k - i;
}

// [-+.]?\d[\d.e]*
std::size_t match_num(std::string_view s, std::size_t i) {
    std::size_t k = i;
    if (k < s.size() && (s[k] == '-' || s[k] == '+' || s[k] == '.')) ++k;
    if (k >= s.size() || s[k] < '0' || s[k] > '9') return 0;
    ++k;
    while (k < s.size() && ((s[k] >= '0' && s[k] <= '9') || s[k] == '.' || s[k] == 'e')) ++k;
    return k - i;
}

// "..." or '...' with backslash escapes, as Django's strdq/strsq.
std::size_t match_quoted(std::string_view s, std::size_t i) {
    if (i >= s.size() || (s[i] != '"' && s[i] != '\'')) return 0;
    char q = s[i];
    for (std::size_t k = i + 1; k < s.size(); ++k) {
        if (s[k] == '\\') {
            if (k + 1 >= s.size() || s[k + 1] == '\n') return 0;
            ++k;
        } else if (s[k] == q) {
            return k + 1 - i;
        }
    }
    return 0;
}

// A constant: a quoted string, optionally wrapped in _( ).
std::size_t match_constant(std::string_view s, std::size_t i) {
    if (s.substr(i, 2) == "_(") {
        std::size_t q = match_quoted(s, i + 2);
        if (q && i + 2 + q < s.size() && s[i + 2 + q] == ')') return q + 3;
        return 0;
    }
    return match_quoted(s, i);
}

std::size_t match_var_or_num(std::string_view s, std::size_t i) {
    std::size_t n = match_var_chars(s, i);
    return n ? n : match_num(s, i);
}

bool is_space(char c) {
    return c == ' ' || (c >= 9 && c <= 13);
}

[[noreturn]] void syntax(std::string msg) {
    throw TemplateSyntaxError(std::move(msg));
}

}  // namespace

Variable Variable::parse(std::string_view text) {
    Variable v;
    v.text_ = std::string(text);
    bool floaty = text.find('.') != std::string_view::npos ||
                  text.find('e') != std::string_view::npos ||
                  text.find('E') != std::string_view::npos;
    if (floaty) {
        if (auto f = py_float(Value::borrowed(text)); f && text.back() != '.') {
            v.literal_ = Value::real(*f);
            return v;
        }
    } else if (auto i = py_int(Value::borrowed(text))) {
        v.literal_ = Value::integer(*i);
        return v;
    }
    std::string_view var = text;
    if (var.size() >= 3 && var.substr(0, 2) == "_(" && var.back() == ')')
        var = var.substr(2, var.size() - 3);
    if (!var.empty() && (var[0] == '"' || var[0] == '\'') && var.back() == var[0]) {
        char q = var[0];
        std::string_view inner =
            var.size() >= 2 ? var.substr(1, var.size() - 2) : std::string_view();
        // Two passes, as Django: \<quote> -> <quote>, then \\ -> \.
        std::string pass1, pass2;
        for (std::size_t k = 0; k < inner.size(); ++k) {
            if (inner[k] == '\\' && k + 1 < inner.size() && inner[k + 1] == q) {
                pass1 += q;
                ++k;
            } else {
                pass1 += inner[k];
            }
        }
        for (std::size_t k = 0; k < pass1.size(); ++k) {
            if (pass1[k] == '\\' && k + 1 < pass1.size() && pass1[k + 1] == '\\') ++k;
            pass2 += pass1[k];
        }
        v.literal_ = Value::string(std::move(pass2), true);
        return v;
    }
    if (var.empty() || var[0] == '_' || var.find("._") != std::string_view::npos)
        syntax("Variables and attributes may not begin with underscores: '" + std::string(var) +
               "'");
    std::size_t start = 0;
    while (true) {
        auto dot = var.find('.', start);
        v.lookups_.emplace_back(
            var.substr(start, dot == std::string_view::npos ? dot : dot - start));
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return v;
}

Value Variable::resolve(const Context& ctx) const {
    if (lookups_.empty()) {
        // Hand out a view of the stored literal: no refcount traffic per render.
        if (literal_.is_string()) return Value::borrowed(literal_.as_string(), literal_.safe());
        return literal_;
    }
    Value cur = ctx.lookup(lookups_[0]);
    for (std::size_t i = 1; i < lookups_.size() && !cur.is_missing(); ++i) {
        auto next = cur.lookup(lookups_[i]);
        cur = next ? std::move(*next) : Value::missing();
    }
    return cur;
}

FilterExpression FilterExpression::parse(std::string_view s, const Library& lib) {
    FilterExpression fe;
    fe.text_ = std::string(s);
    std::size_t pos = 0;
    if (std::size_t n = match_constant(s, 0)) {
        Variable lit = Variable::parse(s.substr(0, n));
        fe.constant_ = lit.literal();
        pos = n;
    } else if (std::size_t m = match_var_or_num(s, 0)) {
        fe.var_ = Variable::parse(s.substr(0, m));
        pos = m;
    } else {
        std::size_t k = 0;
        while (k < s.size() && is_space(s[k])) ++k;
        if (k < s.size() && s[k] == '|')
            syntax("Could not find variable at start of " + std::string(s) + ".");
        syntax("Could not parse the remainder: '" + std::string(s) + "' from '" + std::string(s) +
               "'");
    }
    while (pos < s.size()) {
        std::size_t k = pos;
        while (k < s.size() && is_space(s[k])) ++k;
        bool ok = k < s.size() && s[k] == '|';
        std::size_t name_start = 0, name_len = 0;
        if (ok) {
            ++k;
            while (k < s.size() && is_space(s[k])) ++k;
            name_start = k;
            std::size_t len = 0;
            while (k < s.size() && word_at(s, k, len)) k += len;
            name_len = k - name_start;
            ok = name_len > 0;
        }
        if (!ok) {
            syntax("Could not parse the remainder: '" + std::string(s.substr(pos)) + "' from '" +
                   std::string(s) + "'");
        }
        Call call;
        call.name = std::string(s.substr(name_start, name_len));
        if (k < s.size() && s[k] == ':') {
            if (std::size_t n = match_constant(s, k + 1)) {
                call.arg = Variable::parse(s.substr(k + 1, n));
                k += 1 + n;
            } else if (std::size_t m = match_var_or_num(s, k + 1)) {
                call.arg = Variable::parse(s.substr(k + 1, m));
                k += 1 + m;
            }
        }
        call.spec = lib.filter(call.name);
        if (!call.spec) syntax("Invalid filter: '" + call.name + "'");
        if (call.spec->arg == FilterSpec::Arg::none && call.arg)
            syntax(call.name + " requires 1 arguments, 2 provided");
        if (call.spec->arg == FilterSpec::Arg::required && !call.arg)
            syntax(call.name + " requires 2 arguments, 1 provided");
        fe.filters_.push_back(std::move(call));
        pos = k;
    }
    return fe;
}

bool FilterExpression::is_constant_string() const {
    return !var_ && filters_.empty();
}

Value FilterExpression::resolve(Context& ctx, bool ignore_failures) const {
    Value obj;
    if (var_) {
        obj = var_->resolve(ctx);
        if (obj.is_missing()) obj = ignore_failures ? Value::none() : Value::borrowed("");
    } else {
        obj = Value::borrowed(constant_.as_string(), true);
    }
    for (const Call& call : filters_) {
        Value argv;
        if (call.arg) {
            argv = call.arg->resolve(ctx);
            if (argv.is_missing())
                throw VariableDoesNotExist("Failed lookup for key [" + call.arg->text() + "]");
        }
        const FilterSpec& spec = *call.spec;
        FilterEnv env{ctx.autoescape, ctx};
        Value r;
        if (spec.string_input && !obj.is_string())
            r = spec.fn(Value::string(obj.str()), call.arg ? &argv : nullptr, env);
        else
            r = spec.fn(obj, call.arg ? &argv : nullptr, env);
        if (spec.is_safe && obj.safe()) r.mark_safe();
        obj = std::move(r);
    }
    return obj;
}

void render_value(const Value& v, bool autoescape, std::string& out) {
    switch (v.kind()) {
        case Value::Kind::string:
            if (autoescape && !v.safe())
                text::append_escaped(out, v.as_string());
            else
                out += v.as_string();
            return;
        case Value::Kind::missing:
        case Value::Kind::none:
        case Value::Kind::boolean:
        case Value::Kind::integer:
        case Value::Kind::real:
            v.append_rendered(out);
            return;
        default:
            if (!autoescape) {
                v.append_rendered(out);
            } else {
                std::string tmp;
                v.append_rendered(tmp);
                text::append_escaped(out, tmp);
            }
    }
}

}  // namespace famigo::web::tmpl
