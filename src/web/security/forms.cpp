#include "web/security/forms.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/strings.hpp"
#include "core/text.hpp"

namespace famigo::web::security {
namespace {

const std::vector<std::string> kNoErrors;

std::string plural(std::size_t n, std::string_view word) {
    return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

bool is_label_char(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c >= 0x80;  // non-ASCII: internationalised names
}

// A DNS name of two or more labels (or "localhost" when allowed).
bool is_domain(std::string_view host, bool allow_localhost) {
    if (allow_localhost && strings::iequals(host, "localhost")) return true;
    if (host.empty() || host.size() > 253) return false;
    auto labels = strings::split(host, '.');
    if (labels.size() < 2) return false;
    for (auto label : labels) {
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
            return false;
        if (!std::all_of(label.begin(), label.end(),
                         [](char c) { return is_label_char(static_cast<unsigned char>(c)); }))
            return false;
    }
    auto tld = labels.back();
    return !std::all_of(tld.begin(), tld.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_ipv4(std::string_view host) {
    auto parts = strings::split(host, '.');
    if (parts.size() != 4) return false;
    for (auto part : parts) {
        auto n = strings::parse_u64(part);
        if (!n || *n > 255 || part.size() > 3) return false;
    }
    return true;
}

bool truthy_checkbox(std::string_view value) {
    return !(value.empty() || value == "0" || strings::iequals(value, "false") ||
             strings::iequals(value, "off"));
}

std::string_view input_type(FieldKind kind) {
    switch (kind) {
        case FieldKind::Integer:
            return "number";
        case FieldKind::Choice:
            return "select";
        case FieldKind::Boolean:
            return "checkbox";
        case FieldKind::Email:
            return "email";
        case FieldKind::Url:
            return "url";
        case FieldKind::Password:
            return "password";
        case FieldKind::Hidden:
            return "hidden";
        default:
            return "text";
    }
}

}  // namespace

Field Field::text(std::string name, std::string label) {
    Field f;
    f.name = std::move(name);
    f.label = std::move(label);
    return f;
}
Field Field::integer(std::string name, std::string label) {
    Field f = text(std::move(name), std::move(label));
    f.kind = FieldKind::Integer;
    return f;
}
Field Field::choice(std::string name, std::string label,
                    std::vector<std::pair<std::string, std::string>> choices) {
    Field f = text(std::move(name), std::move(label));
    f.kind = FieldKind::Choice;
    f.choices = std::move(choices);
    return f;
}
Field Field::boolean(std::string name, std::string label) {
    Field f = text(std::move(name), std::move(label));
    f.kind = FieldKind::Boolean;
    f.required = false;  // a required checkbox means "must be ticked"; rarely wanted
    return f;
}
Field Field::email(std::string name, std::string label) {
    Field f = text(std::move(name), std::move(label));
    f.kind = FieldKind::Email;
    f.max_length = 254;
    return f;
}
Field Field::url(std::string name, std::string label) {
    Field f = text(std::move(name), std::move(label));
    f.kind = FieldKind::Url;
    return f;
}
Field Field::slug(std::string name, std::string label) {
    Field f = text(std::move(name), std::move(label));
    f.kind = FieldKind::Slug;
    return f;
}
Field Field::password(std::string name, std::string label) {
    Field f = text(std::move(name), std::move(label));
    f.kind = FieldKind::Password;
    f.strip = false;  // spaces in passwords are the user's business
    return f;
}
Field Field::hidden(std::string name) {
    Field f = text(name, name);
    f.kind = FieldKind::Hidden;
    return f;
}

bool is_valid_email(std::string_view text) {
    size_t at = text.rfind('@');
    if (at == std::string_view::npos || text.size() > 254) return false;
    std::string_view local = text.substr(0, at), domain = text.substr(at + 1);
    if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.' ||
        local.find("..") != std::string_view::npos)
        return false;
    constexpr std::string_view atext = "!#$%&'*+-/=?^_`{|}~.";
    for (unsigned char c : local)
        if (!(std::isalnum(c) || atext.find(char(c)) != std::string_view::npos || c >= 0x80))
            return false;
    if (domain.size() > 2 && domain.front() == '[' && domain.back() == ']')
        return is_ipv4(domain.substr(1, domain.size() - 2));
    return is_domain(domain, false);
}

bool is_valid_url(std::string_view text) {
    if (text.size() > 2048) return false;
    for (unsigned char c : text)
        if (c <= 0x20 || c == 0x7F) return false;
    size_t sep = text.find("://");
    if (sep == std::string_view::npos) return false;
    std::string scheme = strings::to_lower(text.substr(0, sep));
    if (scheme != "http" && scheme != "https" && scheme != "ftp" && scheme != "ftps") return false;
    std::string_view rest = text.substr(sep + 3);
    std::string_view netloc = rest.substr(0, rest.find_first_of("/?#"));
    if (size_t at = netloc.rfind('@'); at != std::string_view::npos) netloc = netloc.substr(at + 1);
    std::string_view host = netloc;
    if (host.starts_with('[')) {  // an IPv6 literal: hex digits and colons
        size_t close = host.find(']');
        if (close == std::string_view::npos || close < 3) return false;
        std::string_view inside = host.substr(1, close - 1);
        if (!std::all_of(inside.begin(), inside.end(), [](char c) {
                return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
            }))
            return false;
        host = host.substr(close + 1);
        if (host.empty()) return true;
        if (host.front() != ':') return false;
        auto port = strings::parse_u64(host.substr(1));
        return port && *port <= 65535;
    }
    if (size_t colon = host.rfind(':'); colon != std::string_view::npos) {
        auto port = strings::parse_u64(host.substr(colon + 1));
        if (!port || *port > 65535) return false;
        host = host.substr(0, colon);
    }
    if (host.ends_with('.')) host.remove_suffix(1);
    return is_ipv4(host) || is_domain(host, true);
}

bool is_valid_slug(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    });
}

Form::Form(std::vector<Field> fields) : fields_(std::move(fields)), states_(fields_.size()) {}

void Form::clean(const Field& field, State& state, const FormData& data) const {
    auto submitted = data.get(field.name);
    state.raw = submitted ? std::string(*submitted) : std::string();
    auto fail = [&state](std::string message) { state.errors.push_back(std::move(message)); };

    if (field.kind == FieldKind::Boolean) {
        state.on = submitted && truthy_checkbox(*submitted);
        if (field.required && !state.on) fail("This field is required.");
        return;
    }
    std::string_view value = state.raw;
    if (field.strip) value = strings::trim(value);
    if (value.empty()) {
        if (field.required) fail("This field is required.");
        return;
    }
    const std::size_t length = text::cp_count(value);
    if (field.max_length && length > *field.max_length)
        fail("Ensure this value has at most " + plural(*field.max_length, "character") +
             " (it has " + std::to_string(length) + ").");
    if (field.min_length && length < *field.min_length)
        fail("Ensure this value has at least " + plural(*field.min_length, "character") +
             " (it has " + std::to_string(length) + ").");

    std::string cleaned(value);
    switch (field.kind) {
        case FieldKind::Integer: {
            std::string_view digits = value;
            bool negative = false;
            if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) {
                negative = digits.front() == '-';
                digits.remove_prefix(1);
            }
            auto n = strings::parse_i64(digits);
            if (!n) {
                fail("Enter a whole number.");
                break;
            }
            std::int64_t number = negative ? -*n : *n;
            if (field.max_value && number > *field.max_value)
                fail("Ensure this value is less than or equal to " +
                     std::to_string(*field.max_value) + ".");
            if (field.min_value && number < *field.min_value)
                fail("Ensure this value is greater than or equal to " +
                     std::to_string(*field.min_value) + ".");
            state.number = number;
            cleaned = std::to_string(number);
            break;
        }
        case FieldKind::Choice: {
            bool known = std::any_of(field.choices.begin(), field.choices.end(),
                                     [&](const auto& c) { return c.first == value; });
            if (!known)
                fail("Select a valid choice. " + cleaned + " is not one of the available choices.");
            break;
        }
        case FieldKind::Email:
            if (!is_valid_email(value)) fail("Enter a valid email address.");
            break;
        case FieldKind::Url:
            // As Django: "famigo.com/x" means http://famigo.com/x.
            if (cleaned.find("://") == std::string::npos) cleaned = "http://" + cleaned;
            if (!is_valid_url(cleaned)) fail("Enter a valid URL.");
            break;
        case FieldKind::Slug:
            if (!is_valid_slug(value))
                fail(
                    "Enter a valid \u201cslug\u201d consisting of letters, numbers, underscores "
                    "or hyphens.");
            break;
        default:
            break;
    }
    if (state.errors.empty()) state.cleaned = std::move(cleaned);
}

bool Form::validate(const FormData& data) {
    bound_ = true;
    non_field_errors_.clear();
    for (size_t i = 0; i < fields_.size(); ++i) {
        states_[i] = State{};
        clean(fields_[i], states_[i], data);
    }
    return is_valid();
}

bool Form::is_valid() const {
    if (!bound_ || !non_field_errors_.empty()) return false;
    return std::all_of(states_.begin(), states_.end(),
                       [](const State& s) { return s.errors.empty(); });
}

const Form::State* Form::find(std::string_view name) const {
    for (size_t i = 0; i < fields_.size(); ++i)
        if (fields_[i].name == name) return &states_[i];
    return nullptr;
}

std::string_view Form::value(std::string_view name) const {
    const State* s = find(name);
    return s ? std::string_view(s->cleaned) : std::string_view();
}

std::optional<std::int64_t> Form::integer(std::string_view name) const {
    const State* s = find(name);
    return s && s->errors.empty() ? s->number : std::nullopt;
}

bool Form::checked(std::string_view name) const {
    const State* s = find(name);
    return s && s->on;
}

void Form::add_error(std::string_view name, std::string message) {
    for (size_t i = 0; i < fields_.size(); ++i) {
        if (fields_[i].name == name) {
            states_[i].errors.push_back(std::move(message));
            states_[i].cleaned.clear();
            return;
        }
    }
    non_field_errors_.push_back(std::move(message));
}

const std::vector<std::string>& Form::errors(std::string_view name) const {
    const State* s = find(name);
    return s ? s->errors : kNoErrors;
}

nlohmann::json Form::context() const {
    nlohmann::json fields = nlohmann::json::array();
    nlohmann::json by_name = nlohmann::json::object();
    bool has_errors = !non_field_errors_.empty();
    for (size_t i = 0; i < fields_.size(); ++i) {
        const Field& f = fields_[i];
        const State& s = states_[i];
        // Bound forms show what was typed; a password is never sent back.
        std::string shown = f.kind == FieldKind::Password ? "" : bound_ ? s.raw : f.initial;
        bool on = bound_ ? s.on : truthy_checkbox(f.initial);
        nlohmann::json choices = nlohmann::json::array();
        for (const auto& [value, label] : f.choices)
            choices.push_back({{"value", value}, {"label", label}, {"selected", value == shown}});
        nlohmann::json field = {
            {"name", f.name},           {"label", f.label},   {"input_type", input_type(f.kind)},
            {"value", shown},           {"checked", on},      {"required", f.required},
            {"help_text", f.help_text}, {"errors", s.errors}, {"choices", choices},
        };
        if (f.max_length) field["max_length"] = *f.max_length;
        has_errors = has_errors || !s.errors.empty();
        by_name[f.name] = field;
        fields.push_back(std::move(field));
    }
    return {{"fields", fields},
            {"by_name", by_name},
            {"non_field_errors", non_field_errors_},
            {"has_errors", has_errors}};
}

}  // namespace famigo::web::security
