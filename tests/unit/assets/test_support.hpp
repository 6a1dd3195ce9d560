// Helpers for the assets tests: a temporary folder that removes itself, file
// writing, and requests built from owned strings (Request holds string_views).
#pragma once

#include <stdlib.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "http/request.hpp"

namespace famigo::assets::testing {

class TempDir {
  public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "famigo-assets-XXXXXX");
        if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

  private:
    std::filesystem::path path_;
};

inline void write(const std::filesystem::path& path, const std::string& bytes) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
}

inline std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

using Headers = std::vector<std::pair<std::string, std::string>>;

// A GET request for a raw path; `file` is what the router would have decoded.
class TestRequest {
  public:
    explicit TestRequest(std::string raw_path, Headers headers = {},
                         std::optional<std::string> file = std::nullopt) {
        const std::string& path = keep(std::move(raw_path));
        request.method = http::Method::Get;
        request.method_text = "GET";
        request.path = path;
        request.target = path;
        for (auto& [name, value] : headers) request.add_header(keep(name), keep(value));
        if (file) request.params.add("file", *file);
    }
    http::Request request;

  private:
    const std::string& keep(std::string text) { return storage_.emplace_back(std::move(text)); }
    std::deque<std::string> storage_;
};

}  // namespace famigo::assets::testing
