// `famigo check`: a Nagios plugin. It fetches a URL and exits 0 (OK), 1
// (WARNING), 2 (CRITICAL) or 3 (UNKNOWN), printing one line of text with
// perfdata "time=<ms>ms;<warn>;<crit>;0" as Nagios and Monit expect.
#pragma once

#include <iosfwd>
#include <string>

namespace famigo::ops {

struct CheckOptions {
    std::string url;
    double warn_ms = 1000;
    double crit_ms = 3000;
    double timeout_ms = 10000;
    int expect_status = 200;   // any other status is CRITICAL
    std::string bearer_token;  // sent as "Authorization: Bearer ..." when not empty (/metrics)
};

enum CheckExit { kOk = 0, kWarning = 1, kCritical = 2, kUnknown = 3 };

int run_check(const CheckOptions& options, std::ostream& out);

}  // namespace famigo::ops
