// Exceptions of the template engine. Every one is a famigo::Error; the message
// names the template, the line and the offending tag or variable, e.g.
//   template 'app/detail.html', line 12: invalid block tag 'endfro' (in "{% endfro %}")
// so that a failing page points its author straight at the mistake.
#pragma once

#include <string>

#include "core/error.hpp"

namespace famigo::web::tmpl {

class TemplateError : public Error {
  public:
    explicit TemplateError(std::string message, std::string template_name = {}, int line = 0,
                           std::string token = {});

    const std::string& message() const { return message_; }
    const std::string& template_name() const { return template_name_; }
    int line() const { return line_; }
    const std::string& token() const { return token_; }
    bool located() const { return line_ > 0; }
    // Adds the position once; errors raised deep in a filter get located by
    // the node that was rendering.
    void locate(const std::string& template_name, int line, std::string_view token);
    const char* what() const noexcept override { return full_.c_str(); }

  private:
    void compose();
    std::string message_, template_name_, token_, full_;
    int line_ = 0;
};

// The template text is malformed: unknown tag or filter, unclosed block, bad
// arguments. Raised while compiling.
class TemplateSyntaxError : public TemplateError {
  public:
    using TemplateError::TemplateError;
};

// A template name that no loader knows, or one that tries to leave the
// template directories.
class TemplateDoesNotExist : public TemplateError {
  public:
    using TemplateError::TemplateError;
};

// A failure while rendering (Django raises these too): a filter argument that
// names a missing variable, an unknown URL name, a for-loop that cannot
// unpack, or a template that exceeds the engine's depth or step limits.
class TemplateRenderError : public TemplateError {
  public:
    using TemplateError::TemplateError;
};

// Django's VariableDoesNotExist: raised for a missing filter argument; {% if %}
// treats it as false.
class VariableDoesNotExist : public TemplateRenderError {
  public:
    using TemplateRenderError::TemplateRenderError;
};

}  // namespace famigo::web::tmpl
