#include "docstore/update.hpp"

#include "docstore/errors.hpp"

namespace famigo::docstore {
namespace {

bool overlaps(const std::string& a, const std::string& b) {
    auto prefix = [](const std::string& p, const std::string& full) {
        return full.size() > p.size() && full.compare(0, p.size(), p) == 0 && full[p.size()] == '.';
    };
    return a == b || prefix(a, b) || prefix(b, a);
}

// A list position an update may write to: at most 7 digits, since writing past
// the end pads the list with nulls up to the position.
bool is_index(const std::string& segment, size_t& index) {
    return segment.size() <= 7 && path_index(segment, index);
}

// The node at `path`, created (null at the end, objects on the way, list slots
// padded with null) when `create` is set; nullptr when absent and not created.
Document* locate(Document& doc, const std::string& path, bool create, bool* created = nullptr) {
    Document* node = &doc;
    if (created) *created = false;
    for (const auto& segment : split_path(path)) {
        size_t index = 0;
        if (node->is_null() && create) *node = Document::object();
        if (node->is_array() && is_index(segment, index)) {
            if (index >= node->size()) {
                if (!create) return nullptr;
                while (node->size() <= index) node->push_back(nullptr);
                if (created) *created = true;
            }
            node = &(*node)[index];
        } else if (node->is_object()) {
            auto it = node->find(segment);
            if (it == node->end()) {
                if (!create) return nullptr;
                it = node->emplace(segment, nullptr).first;
                if (created) *created = true;
            }
            node = &*it;
        } else {
            if (!create) return nullptr;
            throw QueryError("cannot reach '" + path + "': '" + segment + "' is inside a " +
                             std::string(node->type_name()));
        }
    }
    return node;
}

Document& list_at(Document& doc, const std::string& path, const char* what) {
    bool created = false;
    Document* node = locate(doc, path, true, &created);
    if (created) *node = Document::array();
    if (!node->is_array()) throw QueryError(std::string(what) + " needs a list at '" + path + "'");
    return *node;
}

void remove_equal(Document& list, const Document& value) {
    Document kept = Document::array();
    for (auto& element : list)
        if (!values_equal(element, value)) kept.push_back(std::move(element));
    list = std::move(kept);
}

bool contains(const Document& list, const Document& value) {
    for (const auto& element : list)
        if (values_equal(element, value)) return true;
    return false;
}

void unset(Document& doc, const std::string& path) {
    size_t dot = path.rfind('.');
    Document* parent = dot == std::string::npos ? &doc : locate(doc, path.substr(0, dot), false);
    if (!parent) return;
    std::string last = dot == std::string::npos ? path : path.substr(dot + 1);
    size_t index = 0;
    if (parent->is_object())
        parent->erase(last);
    else if (parent->is_array() && is_index(last, index) && index < parent->size())
        (*parent)[index] = nullptr;
}

}  // namespace

Update& Update::add(Kind kind, std::string path, Document value) {
    if (path.empty()) throw QueryError("update: empty field path");
    for (const auto& segment : split_path(path))
        if (segment.empty() || segment.front() == '$')
            throw QueryError("update: field path '" + path + "' is not valid");
    if (path == "_id" || path.starts_with("_id."))
        throw QueryError("update: '_id' cannot be changed");
    for (const auto& step : steps_)
        if (overlaps(step.path, path))
            throw QueryError("update: '" + step.path + "' and '" + path +
                             "' conflict (one update may touch a path once)");
    check_document_keys(value, path);
    steps_.push_back({kind, std::move(path), std::move(value)});
    return *this;
}

Update& Update::inc(std::string path, Document amount) {
    if (!amount.is_number()) throw QueryError("update: inc of '" + path + "' needs a number");
    return add(Kind::Inc, std::move(path), std::move(amount));
}

Update& Update::dec(std::string path, Document amount) {
    if (!amount.is_number()) throw QueryError("update: dec of '" + path + "' needs a number");
    Document negated = amount.is_number_float() ? Document(-amount.get<double>())
                                                : Document(-amount.get<std::int64_t>());
    return add(Kind::Inc, std::move(path), std::move(negated));
}

Update& Update::push_all(std::string path, std::vector<Document> values) {
    return add(Kind::PushAll, std::move(path), Document(std::move(values)));
}

Update& Update::pull_all(std::string path, std::vector<Document> values) {
    return add(Kind::PullAll, std::move(path), Document(std::move(values)));
}

Update& Update::add_to_set_all(std::string path, std::vector<Document> values) {
    return add(Kind::AddToSetAll, std::move(path), Document(std::move(values)));
}

void apply_update(const Update& update, Document& doc) {
    for (const auto& step : update.steps()) {
        switch (step.kind) {
            case Update::Kind::Set:
                *locate(doc, step.path, true) = step.value;
                break;
            case Update::Kind::Unset:
                unset(doc, step.path);
                break;
            case Update::Kind::Inc: {
                bool created = false;
                Document* node = locate(doc, step.path, true, &created);
                if (created) *node = 0;
                if (!node->is_number())
                    throw QueryError("update: inc needs a number at '" + step.path + "', found " +
                                     node->type_name());
                if (node->is_number_float() || step.value.is_number_float())
                    *node = node->get<double>() + step.value.get<double>();
                else
                    *node = node->get<std::int64_t>() + step.value.get<std::int64_t>();
                break;
            }
            case Update::Kind::Push:
                list_at(doc, step.path, "push").push_back(step.value);
                break;
            case Update::Kind::PushAll: {
                Document& list = list_at(doc, step.path, "push_all");
                for (const auto& v : step.value) list.push_back(v);
                break;
            }
            case Update::Kind::Pull:
            case Update::Kind::PullAll: {
                Document* node = locate(doc, step.path, false);
                if (!node) break;
                if (!node->is_array())
                    throw QueryError("update: pull needs a list at '" + step.path + "'");
                if (step.kind == Update::Kind::Pull)
                    remove_equal(*node, step.value);
                else
                    for (const auto& v : step.value) remove_equal(*node, v);
                break;
            }
            case Update::Kind::AddToSet: {
                Document& list = list_at(doc, step.path, "add_to_set");
                if (!contains(list, step.value)) list.push_back(step.value);
                break;
            }
            case Update::Kind::AddToSetAll: {
                Document& list = list_at(doc, step.path, "add_to_set");
                for (const auto& v : step.value)
                    if (!contains(list, v)) list.push_back(v);
                break;
            }
            case Update::Kind::Pop: {
                Document* node = locate(doc, step.path, false);
                if (!node) break;
                if (!node->is_array())
                    throw QueryError("update: pop needs a list at '" + step.path + "'");
                if (node->empty()) break;
                if (step.value.get<bool>())
                    node->erase(node->size() - 1);
                else
                    node->erase(0);
                break;
            }
        }
    }
}

Document to_mongo(const Update& update, const std::string* insert_id) {
    Document out = Document::object();
    for (const auto& step : update.steps()) {
        switch (step.kind) {
            case Update::Kind::Set:
                out["$set"][step.path] = step.value;
                break;
            case Update::Kind::Unset:
                out["$unset"][step.path] = "";
                break;
            case Update::Kind::Inc:
                out["$inc"][step.path] = step.value;
                break;
            case Update::Kind::Push:
                out["$push"][step.path] = step.value;
                break;
            case Update::Kind::PushAll:
                out["$push"][step.path] = {{"$each", step.value}};
                break;
            case Update::Kind::Pull:
                // $pullAll compares whole values; $pull would read an object
                // operand as a query on the elements.
                out["$pullAll"][step.path] = Document::array({step.value});
                break;
            case Update::Kind::PullAll:
                out["$pullAll"][step.path] = step.value;
                break;
            case Update::Kind::AddToSet:
                out["$addToSet"][step.path] = step.value;
                break;
            case Update::Kind::AddToSetAll:
                out["$addToSet"][step.path] = {{"$each", step.value}};
                break;
            case Update::Kind::Pop:
                out["$pop"][step.path] = step.value.get<bool>() ? 1 : -1;
                break;
        }
    }
    if (insert_id) out["$setOnInsert"]["_id"] = *insert_id;
    return out;
}

Document to_mongo_upsert(const Update& update, const Filter& filter, const std::string& insert_id) {
    Document out = to_mongo(update, nullptr);
    // The filter's equality conditions, spelled out: MongoDB derives them itself
    // but FerretDB does not from {$and: [{a: {$eq: 1}}]}.
    auto take = [&](const Filter& f) {
        if (f.kind() != Filter::Kind::Condition || f.op() != Op::Eq || f.path().empty()) return;
        for (const auto& step : update.steps())
            if (overlaps(step.path, f.path())) return;  // the update decides that value
        out["$setOnInsert"][f.path()] = f.value();
    };
    if (filter.kind() == Filter::Kind::And)
        for (const auto& child : filter.children()) take(child);
    else
        take(filter);
    if (!out["$setOnInsert"].contains("_id")) out["$setOnInsert"]["_id"] = insert_id;
    return out;
}

Document upsert_seed(const Filter& filter) {
    Document seed = Document::object();
    auto take = [&](const Filter& f) {
        if (f.kind() == Filter::Kind::Condition && f.op() == Op::Eq && !f.path().empty())
            *locate(seed, f.path(), true) = f.value();
    };
    if (filter.kind() == Filter::Kind::And)
        for (const auto& child : filter.children()) take(child);
    else
        take(filter);
    return seed;
}

}  // namespace famigo::docstore
