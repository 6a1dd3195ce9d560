// Atomic updates as typed values: a list of steps (set, unset, inc, dec, push,
// push_all, pull, pull_all, add_to_set, pop) on dotted paths, built with
// `Update().set("name", "x").inc("views", 1)`. A backend applies all steps of
// one update to a document atomically: SQLite inside one write transaction with
// apply_update() below, MongoDB through the equivalent update operators.
#pragma once

#include <string>
#include <vector>

#include "docstore/filter.hpp"
#include "docstore/value.hpp"

namespace famigo::docstore {

class Update {
  public:
    enum class Kind { Set, Unset, Inc, Push, PushAll, Pull, PullAll, AddToSet, AddToSetAll, Pop };
    struct Step {
        Kind kind;
        std::string path;
        Document value;  // for Pop: true removes the last element, false the first
    };

    Update& set(std::string path, Document value) {
        return add(Kind::Set, std::move(path), std::move(value));
    }
    Update& unset(std::string path) { return add(Kind::Unset, std::move(path), nullptr); }
    Update& inc(std::string path, Document amount);
    Update& dec(std::string path, Document amount);
    Update& push(std::string path, Document value) {
        return add(Kind::Push, std::move(path), std::move(value));
    }
    Update& push_all(std::string path, std::vector<Document> values);
    // Removes every element equal to `value` (an object compares whole, not as a query).
    Update& pull(std::string path, Document value) {
        return add(Kind::Pull, std::move(path), std::move(value));
    }
    Update& pull_all(std::string path, std::vector<Document> values);
    Update& add_to_set(std::string path, Document value) {
        return add(Kind::AddToSet, std::move(path), std::move(value));
    }
    Update& add_to_set_all(std::string path, std::vector<Document> values);
    Update& pop(std::string path, bool last = true) {
        return add(Kind::Pop, std::move(path), last);
    }

    const std::vector<Step>& steps() const { return steps_; }
    bool empty() const { return steps_.empty(); }

  private:
    Update& add(Kind kind, std::string path, Document value);
    std::vector<Step> steps_;
};

// Applies every step to `doc` in order. Throws QueryError when a step does not
// fit the document (inc on a string, push on a non-list, a path through a value).
void apply_update(const Update& update, Document& doc);

// The update in MongoDB's syntax ($set, $inc, $push with $each...). When
// `insert_id` is given, adds $setOnInsert of _id so an upsert gets our id form.
Document to_mongo(const Update& update, const std::string* insert_id = nullptr);

// For an upsert on MongoDB: the update plus $setOnInsert of the filter's
// equality conditions (those the update does not set) and of `insert_id` when
// the filter does not fix _id.
Document to_mongo_upsert(const Update& update, const Filter& filter, const std::string& insert_id);

// The document an upsert starts from: the equality conditions of the filter
// (top level, joined by and) set at their paths.
Document upsert_seed(const Filter& filter);

}  // namespace famigo::docstore
