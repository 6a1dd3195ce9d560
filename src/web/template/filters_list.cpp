// Sequence and choice filters: length, first/last, join, slice, dictsort,
// default, default_if_none, yesno, pluralize.
#include <algorithm>

#include "web/template/filter_util.hpp"
#include "web/template/text.hpp"

namespace famigo::web::tmpl {

using namespace filters;

namespace {

bool is_sliceable(const Value& v) {
    auto k = v.kind();
    return k == Value::Kind::string || k == Value::Kind::list || k == Value::Kind::seq ||
           k == Value::Kind::tuple;
}

// Python's slice semantics: value[start:stop:step].
Value py_slice(const Value& v, std::optional<std::int64_t> start, std::optional<std::int64_t> stop,
               std::int64_t step) {
    std::int64_t n = std::int64_t(*v.length());
    auto clamp = [&](std::optional<std::int64_t> x, std::int64_t dflt, std::int64_t lo,
                     std::int64_t hi) {
        if (!x) return dflt;
        std::int64_t i = *x < 0 ? *x + n : *x;
        return std::clamp(i, lo, hi);
    };
    std::int64_t b, e;
    if (step > 0) {
        b = clamp(start, 0, 0, n);
        e = clamp(stop, n, 0, n);
    } else {
        b = clamp(start, n - 1, -1, n - 1);
        e = clamp(stop, -1, -1, n - 1);
    }
    std::vector<std::int64_t> idx;
    for (std::int64_t i = b; step > 0 ? i < e : i > e; i += step) idx.push_back(i);
    if (v.is_string()) {
        std::vector<char32_t> cps = text::decode(v.as_string());
        std::string out;
        for (auto i : idx) text::append_utf8(out, cps[std::size_t(i)]);
        return Value::string(std::move(out));
    }
    std::vector<Value> items;
    for (auto i : idx) items.push_back(*v.index(i));
    return Value::sequence(std::move(items), v.kind() == Value::Kind::tuple);
}

Value slice_filter(const Value& v, const Value* arg, FilterEnv&) {
    std::string spec_text = arg->str();
    std::vector<std::optional<std::int64_t>> bits;
    std::size_t start = 0;
    while (true) {
        auto colon = spec_text.find(':', start);
        std::string part =
            spec_text.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
        if (part.empty()) {
            bits.push_back(std::nullopt);
        } else {
            auto n = py_int(Value::borrowed(part));
            if (!n) return v;
            bits.push_back(*n);
        }
        if (colon == std::string::npos) break;
        start = colon + 1;
    }
    if (bits.size() > 3 || !is_sliceable(v)) return v;
    if (bits.size() == 1) return py_slice(v, std::nullopt, bits[0], 1);
    std::int64_t step = bits.size() == 3 && bits[2] ? *bits[2] : 1;
    if (step == 0) return v;
    return py_slice(v, bits[0], bits[1], step);
}

Value join_filter(const Value& v, const Value* arg, FilterEnv& env) {
    // The separator is always conditionally escaped; items only under autoescape.
    std::string sep = arg->safe() ? arg->str() : text::escape(arg->str());
    std::string out;
    bool first = true, type_error = false;
    bool iterable = v.iterate([&](const Value& item) {
        if (!first) out += sep;
        first = false;
        if (env.autoescape) {
            if (item.safe()) {
                out += item.as_string();
            } else {
                text::append_escaped(out, item.str());
            }
        } else {
            if (!item.is_string()) {
                type_error = true;
                return false;
            }
            out += item.as_string();
        }
        return true;
    });
    if (!iterable || type_error) return v;
    return Value::string(std::move(out), true);
}

Value index_filter(const Value& v, std::int64_t i) {
    using K = Value::Kind;
    if (v.kind() == K::dict) python_error("KeyError: " + std::to_string(i));
    if (!is_sliceable(v))
        python_error(std::string("'").append(v.str()).append("' object is not subscriptable"));
    auto item = v.index(i);
    return item ? *item : Value::borrowed("");
}

// dictsort's key: an index for numeric arguments, else a dotted path of
// dict keys (no list indexes), as Django's _property_resolver.
struct SortKey {
    std::optional<Value> index;
    std::vector<std::string> parts;
};

std::optional<Value> sort_key(const Value& item, const SortKey& key) {
    if (key.index) {
        const Value& ix = *key.index;
        if (ix.kind() == Value::Kind::integer || ix.kind() == Value::Kind::boolean) {
            if (item.kind() == Value::Kind::dict) python_error("KeyError: " + ix.str());
            if (!is_sliceable(item)) return std::nullopt;
            auto r = item.index(*py_int(ix));
            if (!r) python_error("IndexError: index out of range");
            return r;
        }
        if (item.kind() == Value::Kind::dict && ix.is_string()) {
            auto r = item.lookup(ix.as_string());
            if (!r) python_error("KeyError: " + ix.str());
            return r;
        }
        return std::nullopt;
    }
    Value cur = item;
    for (const auto& part : key.parts) {
        if (cur.kind() != Value::Kind::dict && cur.kind() != Value::Kind::object)
            return std::nullopt;
        auto next = cur.lookup(part);
        if (!next) return std::nullopt;
        cur = std::move(*next);
    }
    return cur;
}

Value dictsort_impl(const Value& v, const Value* arg, bool reverse) {
    SortKey key;
    bool numeric = arg->is_number() || (arg->is_string() && py_float(*arg).has_value());
    if (numeric) {
        key.index = *arg;
    } else {
        std::string path = arg->str();
        if (path.empty() || path[0] == '_' || path.find("._") != std::string::npos)
            return Value::borrowed("");
        std::size_t start = 0;
        while (true) {
            auto dot = path.find('.', start);
            key.parts.push_back(
                path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
            if (dot == std::string::npos) break;
            start = dot + 1;
        }
    }
    std::vector<std::pair<Value, Value>> rows;  // (key, item)
    bool ok = true;
    if (!v.iterate([&](const Value& item) {
            auto k = sort_key(item, key);
            if (!k) {
                ok = false;
                return false;
            }
            rows.emplace_back(std::move(*k), item);
            return true;
        }))
        return Value::borrowed("");
    if (!ok) return Value::borrowed("");
    bool incomparable = false;
    std::stable_sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
        auto c = reverse ? py_compare(b.first, a.first) : py_compare(a.first, b.first);
        if (!c) {
            incomparable = true;
            return false;
        }
        return *c < 0;
    });
    if (incomparable) return Value::borrowed("");
    std::vector<Value> items;
    items.reserve(rows.size());
    for (auto& r : rows) items.push_back(std::move(r.second));
    return Value::sequence(std::move(items));
}

std::vector<std::string> split_commas(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        auto c = s.find(',', start);
        out.push_back(s.substr(start, c == std::string::npos ? std::string::npos : c - start));
        if (c == std::string::npos) break;
        start = c + 1;
    }
    return out;
}

}  // namespace

void register_list_filters(Library& lib) {
    lib.add_filter("length", spec(
                                 [](const Value& v, const Value*, FilterEnv&) {
                                     return Value::integer(std::int64_t(v.length().value_or(0)));
                                 },
                                 kNoArg, false, false));
    lib.add_filter("length_is", spec(
                                    [](const Value& v, const Value* arg, FilterEnv&) {
                                        auto len = v.length();
                                        auto n = py_int(*arg);
                                        if (!len || !n) return Value::borrowed("");
                                        return Value::boolean(std::int64_t(*len) == *n);
                                    },
                                    kArg, false, false));
    lib.add_filter("first",
                   spec([](const Value& v, const Value*, FilterEnv&) { return index_filter(v, 0); },
                        kNoArg, false, false));
    lib.add_filter(
        "last", spec([](const Value& v, const Value*, FilterEnv&) { return index_filter(v, -1); },
                     kNoArg, true, false));
    lib.add_filter("join", spec(join_filter, kArg, true, false));
    lib.add_filter("slice", spec(slice_filter, kArg, true, false));
    lib.add_filter("dictsort", spec([](const Value& v, const Value* arg,
                                       FilterEnv&) { return dictsort_impl(v, arg, false); },
                                    kArg, false, false));
    lib.add_filter("dictsortreversed", spec([](const Value& v, const Value* arg,
                                               FilterEnv&) { return dictsort_impl(v, arg, true); },
                                            kArg, false, false));
    lib.add_filter("default", spec([](const Value& v, const Value* arg,
                                      FilterEnv&) { return v.truthy() ? v : *arg; },
                                   kArg, false, false));
    lib.add_filter("default_if_none", spec([](const Value& v, const Value* arg,
                                              FilterEnv&) { return v.is_none() ? *arg : v; },
                                           kArg, false, false));
    lib.add_filter("yesno", spec(
                                [](const Value& v, const Value* arg, FilterEnv&) {
                                    auto bits = split_commas(arg ? arg->str() : "yes,no,maybe");
                                    if (bits.size() < 2) return v;
                                    const std::string& yes = bits[0];
                                    const std::string& no = bits[1];
                                    const std::string& maybe = bits.size() == 3 ? bits[2] : bits[1];
                                    if (v.is_none()) return Value::string(maybe);
                                    return Value::string(v.truthy() ? yes : no);
                                },
                                kOptArg, false, false));
    lib.add_filter("pluralize", spec(
                                    [](const Value& v, const Value* arg, FilterEnv&) {
                                        std::string a = arg ? arg->str() : "s";
                                        if (a.find(',') == std::string::npos) a = "," + a;
                                        auto bits = split_commas(a);
                                        if (bits.size() > 2) return Value::borrowed("");
                                        const std::string& singular = bits[0];
                                        const std::string& plural = bits[1];
                                        if (v.is_number() || v.is_string()) {
                                            auto f = py_float(v);
                                            if (!f) return Value::borrowed("");
                                            return Value::string(*f == 1.0 ? singular : plural);
                                        }
                                        if (auto len = v.length())
                                            return Value::string(*len == 1 ? singular : plural);
                                        return Value::borrowed("");
                                    },
                                    kOptArg, false, false));
}

}  // namespace famigo::web::tmpl
