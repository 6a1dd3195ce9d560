// The one place that gathers every component's configuration keys.
#pragma once

#include "core/config.hpp"

namespace famigo::cli {
config::Schema full_schema();
}
