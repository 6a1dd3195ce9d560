// The root of Famigo's exception hierarchy. Every failure a module reports is a
// famigo::Error (or derived), so the one place that turns failures into HTTP
// answers or exit codes can catch them without knowing each module.
#pragma once

#include <stdexcept>
#include <string>

namespace famigo {

class Error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// A configuration value that is unknown, malformed or out of range. The message
// names the key and where the value came from (file:line, environment, flag).
class ConfigError : public Error {
  public:
    using Error::Error;
};

}  // namespace famigo
