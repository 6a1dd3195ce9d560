#include "apps/site/debug_form.hpp"

#include <nlohmann/json.hpp>

#include "web/security/form_data.hpp"
#include "web/security/forms.hpp"
#include "web/security/messages.hpp"
#include "web/security/web_security.hpp"
#include "web/template/engine.hpp"

namespace famigo::apps {
namespace {

using web::security::BadForm;
using web::security::Field;
using web::security::Form;
using web::security::MessageLevel;
using web::security::Messages;
using web::security::WebSecurity;
namespace tmpl = web::tmpl;

constexpr std::string_view kTemplate = R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Form test</title></head><body>
{% for m in messages %}<p class="message {{ m.tags }}">{{ m.message }}</p>
{% endfor %}{% if form.non_field_errors %}<ul class="errors">{% for e in form.non_field_errors %}<li>{{ e }}</li>{% endfor %}</ul>
{% endif %}<form method="post" action="/_debug/form">{% csrf_token %}
{% for f in form.fields %}<p><label for="id_{{ f.name }}">{{ f.label }}</label>
{% if f.input_type == "select" %}<select name="{{ f.name }}" id="id_{{ f.name }}">{% for c in f.choices %}<option value="{{ c.value }}"{% if c.selected %} selected{% endif %}>{{ c.label }}</option>{% endfor %}</select>
{% elif f.input_type == "checkbox" %}<input type="checkbox" name="{{ f.name }}" id="id_{{ f.name }}"{% if f.checked %} checked{% endif %}>
{% else %}<input type="{{ f.input_type }}" name="{{ f.name }}" id="id_{{ f.name }}" value="{{ f.value }}">
{% endif %}{% for e in f.errors %}<span class="error">{{ e }}</span>
{% endfor %}</p>
{% endfor %}<button>Send</button></form>
</body></html>
)";

Form signup_form() {
    return Form({
        Field::text("name", "Name").max(50),
        Field::email("email", "E-mail"),
        Field::integer("age", "Age").range(0, 120).optional(),
        Field::choice("platform", "Platform", {{"android", "Android"}, {"ios", "iOS"}}),
        Field::url("website", "Website").optional(),
        Field::slug("handle", "Handle").optional(),
        Field::password("password", "Password").min(8).optional(),
        Field::boolean("newsletter", "Newsletter"),
        Field::hidden("next").optional(),
    });
}

}  // namespace

void install_debug_form(http::Router& router, const WebSecurity& security) {
    tmpl::EngineOptions options;
    options.sources["debug/form.html"] = std::string(kTemplate);
    auto engine = std::make_shared<const tmpl::Engine>(std::move(options));
    router.add(
        "websec-test-form", "/_debug/form",
        [engine, &security](http::Request& request, http::Response& response) {
            Form form = signup_form();
            if (request.method == http::Method::Post) {
                try {
                    form.validate(web::security::parse_form(request, security.options.form_limits));
                } catch (const BadForm& e) {
                    response.text(e.status(), std::string(e.what()) + "\n");
                    return;
                }
                if (form.is_valid() && form.value("password") == form.value("name"))
                    form.add_error("", "The password must differ from the name.");
                if (form.is_valid()) {
                    security.messages->add(request, response, MessageLevel::Success,
                                           "Thanks, " + std::string(form.value("name")) + "!");
                    response.status = 303;
                    response.set_header("Location", "/_debug/form");
                    return;
                }
            }
            tmpl::Json context = {
                {"form", form.context()},
                {"messages", Messages::to_context(security.messages->consume(request, response))},
                {"csrf_token", security.csrf->token(request, response)},
            };
            std::string html = engine->render("debug/form.html", context);
            response.text(200, html, "text/html; charset=utf-8");
        },
        http::Execution::Pool, http::kGet | http::kHead | http::kPost);
}

}  // namespace famigo::apps
