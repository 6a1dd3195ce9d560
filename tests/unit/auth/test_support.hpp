// Shared by the auth tests: a temporary folder, requests carrying cookies,
// reading Set-Cookie headers back.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.hpp"
#include "http/response.hpp"
#include "web/security/cookies.hpp"

namespace famigo::web::auth::testing {

inline constexpr std::string_view kSecret =
    "unit-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz";

class TempDir {
  public:
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "famigo-auth-XXXXXX").string();
        path_ = mkdtemp(tmpl.data());
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    std::string url(std::string_view name) const { return "sqlite://" + (path_ / name).string(); }

  private:
    std::filesystem::path path_;
};

// A request whose Cookie header is `cookie` (the string must outlive it).
inline void set_cookie_header(http::Request& request, const std::string& cookie) {
    request.reset();
    if (!cookie.empty()) request.add_header("Cookie", cookie);
}

// Every Set-Cookie header value of a response.
inline std::vector<std::string> set_cookies(const http::Response& response) {
    std::vector<std::string> out;
    for (size_t i = 0; i < response.header_count(); ++i)
        if (response.header_at(i).first == "Set-Cookie")
            out.push_back(response.header_at(i).second);
    return out;
}

inline std::optional<std::string> set_cookie_line(const http::Response& response,
                                                  std::string_view name) {
    for (const auto& line : set_cookies(response))
        if (line.starts_with(std::string(name) + "=")) return line;
    return std::nullopt;
}

}  // namespace famigo::web::auth::testing
