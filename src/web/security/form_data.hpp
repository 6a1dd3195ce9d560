// Request bodies of HTML forms: application/x-www-form-urlencoded and
// multipart/form-data, parsed into a FormData of text fields and uploaded
// files, under limits (field count, bytes of values, bytes of files) so a
// hostile body costs little. Malformed or over-limit bodies throw BadForm with
// the 4xx status to answer; nothing else is ever thrown on bad input. Values
// are decoded to UTF-8 (invalid sequences become U+FFFD, as Django's
// errors="replace"); uploaded file bytes stay views into the request body.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/errors.hpp"
#include "http/request.hpp"
#include "web/security/options.hpp"

namespace famigo::web::security {

// status() is 400, or 413 for a limit on bytes. Views let it propagate: the
// App's error handler answers it.
class BadForm : public http::HttpError {
  public:
    BadForm(int status, const std::string& message) : HttpError(status, "bad_form", message) {}
};

struct UploadedFile {
    std::string field;
    std::string filename;      // the base name only: any directories the client sent are dropped
    std::string content_type;  // as the client said; never trust it
    std::string_view data;     // into the request body
};

class FormData {
  public:
    void add(std::string name, std::string value) {
        fields_.emplace_back(std::move(name), std::move(value));
    }
    void add_file(UploadedFile file) { files_.push_back(std::move(file)); }

    // The last value of a field (as Django's QueryDict), or nullopt.
    std::optional<std::string_view> get(std::string_view name) const;
    std::vector<std::string_view> get_all(std::string_view name) const;
    bool contains(std::string_view name) const { return get(name).has_value(); }
    const UploadedFile* file(std::string_view name) const;

    const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }
    const std::vector<UploadedFile>& files() const { return files_; }

  private:
    std::vector<std::pair<std::string, std::string>> fields_;
    std::vector<UploadedFile> files_;
};

// "a=1&b=x+y&c=%C3%A9"; also for query strings.
FormData parse_urlencoded(std::string_view body, const FormLimits& limits);
// `boundary` from the Content-Type parameter, without the leading "--".
FormData parse_multipart(std::string_view body, std::string_view boundary,
                         const FormLimits& limits);
// Parses the request body by its Content-Type; any other type gives an empty FormData.
FormData parse_form(const http::Request& request, const FormLimits& limits);

// The parameter `name` of a header value such as a Content-Type or
// Content-Disposition ('; name="value"' or '; name=value'), unquoted.
std::optional<std::string> header_parameter(std::string_view header_value, std::string_view name);

// Replaces invalid UTF-8 sequences with U+FFFD.
std::string sanitize_utf8(std::string_view text);

}  // namespace famigo::web::security
