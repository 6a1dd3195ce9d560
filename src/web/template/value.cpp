// Value itself: construction from JSON and C++ values, iteration, indexing and
// the template dot-lookup. How values print is in value_repr.cpp, their Python
// semantics (truthiness, len, comparisons, int()/float()) in value_python.cpp.
#include "web/template/value.hpp"

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

}  // namespace famigo::web::tmpl
