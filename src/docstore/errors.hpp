// The failures the document store reports. Each derives from famigo::Error so
// the one place that maps errors to HTTP answers or exit codes catches them all;
// callers that care (a view answering 409 on a duplicate, 400 on bad input)
// catch the specific type. An absent document is never an error here: lookups
// return std::optional.
#pragma once

#include <string>

#include "core/error.hpp"

namespace famigo::docstore {

class StoreError : public Error {
  public:
    using Error::Error;
};

// A write would break a unique index. `index()` names it when the backend says.
class DuplicateKey : public StoreError {
  public:
    DuplicateKey(const std::string& message, std::string index = {})
        : StoreError(message), index_(std::move(index)) {}
    const std::string& index() const { return index_; }

  private:
    std::string index_;
};

// A document breaks a rule of its model. The message names the field and the
// rule; both are also available for forms that show errors beside inputs.
class ValidationError : public StoreError {
  public:
    ValidationError(std::string field, std::string rule, const std::string& detail)
        : StoreError("field '" + field + "' fails rule '" + rule + "': " + detail),
          field_(std::move(field)),
          rule_(std::move(rule)) {}
    const std::string& field() const { return field_; }
    const std::string& rule() const { return rule_; }

  private:
    std::string field_;
    std::string rule_;
};

// A filter, update, sort or projection that cannot be run: an unknown or
// forbidden operator ($where), a malformed value, conflicting update paths.
class QueryError : public StoreError {
  public:
    using StoreError::StoreError;
};

// A delete refused by a DENY reference rule: other documents still point here.
class DeleteDenied : public StoreError {
  public:
    using StoreError::StoreError;
};

// get() found more than one document.
class MultipleObjects : public StoreError {
  public:
    using StoreError::StoreError;
};

// The backend could not be reached in time, or a backup file is damaged.
class Unavailable : public StoreError {
  public:
    using StoreError::StoreError;
};

}  // namespace famigo::docstore
