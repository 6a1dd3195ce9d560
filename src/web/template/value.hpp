// The value a template sees. Context data is a JSON document (Json below) that the
// engine reads in place (no copies); filters produce new values; host objects
// can be exposed through the Object callback interface. Value also carries
// Django's "safe string" mark, and implements the Python semantics Django
// templates rely on: truthiness, ==/</in, len(), str() and repr().
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace famigo::web::tmpl {

// Template contexts: JSON objects that keep insertion order, as Python dicts
// do, so `.items` loops, `{{ d }}` and json_script see keys in the order the
// view (or the --context document) wrote them. Every context is built as this
// type; a nlohmann::json converts to it (its keys then come sorted).
using Json = nlohmann::ordered_json;
class Value;

// A C++ object exposed to templates. `{{ obj.key }}` calls lookup("key");
// returning nullopt makes the lookup fail the way a missing attribute does.
class Object {
  public:
    virtual ~Object() = default;
    virtual std::optional<Value> lookup(std::string_view key) const = 0;
    // What `{{ obj }}` prints, before escaping.
    virtual std::string str() const { return "<object>"; }
    virtual bool truthy() const { return true; }
};

struct LoopState;  // forloop of a running {% for %}, see tags_loop.cpp
struct BlockRef;   // the `block` variable inside {% block %}, see tags_inherit.cpp

class Value {
  public:
    enum class Kind : std::uint8_t {
        missing,  // a failed lookup (never stored in a context)
        none,     // Python None / JSON null
        boolean,
        integer,
        real,
        string,
        list,        // a JSON array, borrowed
        dict,        // a JSON object, borrowed
        seq,         // a list the engine built (filter results)
        tuple,       // a (key, value) pair from dict.items
        dict_items,  // views over a JSON object: d.items / d.keys / d.values
        dict_keys,
        dict_values,
        object,
        loop,
        block,
    };

    Value() = default;
    static Value missing() { return Value(); }
    static Value none() { return with_kind(Kind::none); }
    static Value boolean(bool b);
    static Value integer(std::int64_t i);
    static Value real(double d);
    // A string that lives at least as long as the render (context, template).
    static Value borrowed(std::string_view s, bool safe = false);
    static Value string(std::string s, bool safe = false);
    // Reads a JSON value in place; `keep` keeps an owned document alive.
    static Value from_json(const Json& j, std::shared_ptr<const void> keep = {});
    static Value sequence(std::vector<Value> items, bool tuple = false);
    static Value view(Kind k, const Json& object, std::shared_ptr<const void> keep = {});
    static Value object(std::shared_ptr<const Object> o);
    static Value loop(std::shared_ptr<const LoopState> l);
    static Value block(std::shared_ptr<const BlockRef> b);

    Kind kind() const { return kind_; }
    bool is_missing() const { return kind_ == Kind::missing; }
    bool is_none() const { return kind_ == Kind::none; }
    bool is_string() const { return kind_ == Kind::string; }
    bool is_number() const {
        return kind_ == Kind::integer || kind_ == Kind::real || kind_ == Kind::boolean;
    }
    bool safe() const { return safe_; }
    Value& mark_safe();  // Django's mark_safe: strings gain the mark, others become str(x)

    bool as_bool() const { return b_; }
    std::int64_t as_int() const { return i_; }
    double as_real() const { return d_; }
    std::string_view as_string() const { return sv_; }
    const Json& as_json() const { return *j_; }
    const std::vector<Value>& as_seq() const { return *seq_; }
    const Object& as_object() const { return *obj_; }
    const LoopState& as_loop() const { return *loop_; }
    const BlockRef& as_block() const { return *block_; }
    const std::shared_ptr<const void>& keep() const { return keep_; }

    // Python semantics.
    bool truthy() const;
    std::optional<std::size_t> length() const;  // nullopt: len() raises TypeError
    void append_str(std::string& out) const;    // str(x)
    void append_repr(std::string& out) const;   // repr(x)
    std::string str() const;
    // What {{ x }} prints before escaping: str(x), except numbers as Django
    // localizes them (floats never in exponent notation).
    void append_rendered(std::string& out) const;
    // Visits elements as a Python for-loop would; false: not iterable.
    bool iterate(const std::function<bool(const Value&)>& each) const;
    // Number of elements if iterate() would succeed.
    std::optional<std::size_t> iter_length() const;
    // x[i] for lists, tuples and strings (negative counts from the end).
    std::optional<Value> index(std::int64_t i) const;

    // One step of a template dot-lookup: key, then attribute, then index.
    std::optional<Value> lookup(std::string_view bit) const;

  private:
    static Value with_kind(Kind k) {
        Value v;
        v.kind_ = k;
        return v;
    }

    Kind kind_ = Kind::missing;
    bool safe_ = false;
    union {
        bool b_;
        std::int64_t i_ = 0;
        double d_;
        const Json* j_;
        const std::vector<Value>* seq_;
        const Object* obj_;
        const LoopState* loop_;
        const BlockRef* block_;
    };
    std::string_view sv_;
    std::shared_ptr<const void> keep_;
};

bool py_equal(const Value& a, const Value& b);
// <0, 0, >0 for a<b, a==b, a>b; nullopt where Python raises TypeError.
std::optional<int> py_compare(const Value& a, const Value& b);
// `item in container`; nullopt where Python raises TypeError.
std::optional<bool> py_contains(const Value& container, const Value& item);

// Python's float repr ("0.1", "2.0", "1e+16") and int() of a value.
void append_float_repr(std::string& out, double d);
std::optional<std::int64_t> py_int(const Value& v);
std::optional<double> py_float(const Value& v);

}  // namespace famigo::web::tmpl
