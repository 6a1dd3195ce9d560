#include "web/template/errors.hpp"

namespace famigo::web::tmpl {

TemplateError::TemplateError(std::string message, std::string template_name, int line,
                             std::string token)
    : Error(message),
      message_(std::move(message)),
      template_name_(std::move(template_name)),
      token_(std::move(token)),
      line_(line) {
    compose();
}

void TemplateError::locate(const std::string& template_name, int line, std::string_view token) {
    template_name_ = template_name;
    line_ = line;
    token_ = std::string(token);
    compose();
}

void TemplateError::compose() {
    if (line_ <= 0) {
        full_ =
            template_name_.empty() ? message_ : "template '" + template_name_ + "': " + message_;
        return;
    }
    full_ = "template '" + template_name_ + "', line " + std::to_string(line_) + ": " + message_;
    if (!token_.empty()) {
        // Long tokens are cut so that a message stays one readable line.
        std::string shown = token_.size() > 120 ? token_.substr(0, 117) + "..." : token_;
        full_ += " (in " + shown + ")";
    }
}

}  // namespace famigo::web::tmpl
