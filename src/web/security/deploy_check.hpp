// `famigo config check --deploy`: the settings that are fine on a laptop and
// unsafe on a public site, in the manner of Django's `check --deploy`. Each
// finding has a stable id (Django's where the setting has a Django twin,
// security.W004 for HSTS and so on; famigo.W0xx otherwise) so operators can
// grep for it and silence it knowingly.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "core/config.hpp"

namespace famigo::web::security {

struct DeployWarning {
    std::string id;       // "security.W004"
    std::string message;  // one line: what is set, why it matters, what to set
};

std::vector<DeployWarning> deploy_check(const config::Config& config);

// Prints one line per warning and a count line; returns the number of warnings.
size_t print_deploy_check(const config::Config& config, std::ostream& out);

}  // namespace famigo::web::security
