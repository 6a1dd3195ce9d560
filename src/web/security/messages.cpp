#include "web/security/messages.hpp"

#include <nlohmann/json.hpp>

#include "web/security/crypto.hpp"

namespace famigo::web::security {
namespace {

std::optional<MessageLevel> level_of(std::int64_t n) {
    switch (n) {
        case 10:
            return MessageLevel::Debug;
        case 20:
            return MessageLevel::Info;
        case 25:
            return MessageLevel::Success;
        case 30:
            return MessageLevel::Warning;
        case 40:
            return MessageLevel::Error;
        default:
            return std::nullopt;
    }
}

}  // namespace

std::string_view message_tag(MessageLevel level) {
    switch (level) {
        case MessageLevel::Debug:
            return "debug";
        case MessageLevel::Info:
            return "info";
        case MessageLevel::Success:
            return "success";
        case MessageLevel::Warning:
            return "warning";
        case MessageLevel::Error:
            return "error";
    }
    return "info";
}

Messages::Messages(const SecurityOptions& options)
    : signer_(options.secret_key, "famigo.messages") {
    cookie_.secure = options.session_cookie_secure;
    cookie_.same_site = options.cookie_samesite;
    cookie_.http_only = true;
}

std::string Messages::encode(const std::vector<Message>& messages) const {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& m : messages) list.push_back({int(m.level), m.text});
    // base64url keeps the cookie value within RFC 6265's characters.
    return signer_.sign(
        base64url_encode(list.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
}

std::optional<std::vector<Message>> Messages::decode(std::string_view cookie_value) const {
    auto payload = signer_.unsign(cookie_value);
    if (!payload) return std::nullopt;
    auto text = base64url_decode(*payload);
    if (!text) return std::nullopt;
    auto list = nlohmann::json::parse(*text, nullptr, false);
    if (!list.is_array()) return std::nullopt;
    std::vector<Message> out;
    for (const auto& item : list) {
        if (!item.is_array() || item.size() != 2 || !item[0].is_number_integer() ||
            !item[1].is_string())
            return std::nullopt;
        auto level = level_of(item[0].get<std::int64_t>());
        if (!level) return std::nullopt;
        out.push_back({*level, item[1].get<std::string>()});
    }
    return out;
}

std::vector<Message> Messages::pending(const http::Request& request,
                                       const http::Response& response) const {
    // What this response already sets wins: it holds the request's messages too.
    std::optional<std::string_view> value = find_set_cookie(response, kMessagesCookie);
    if (!value) value = find_cookie(request, kMessagesCookie);
    if (!value || value->empty()) return {};
    return decode(*value).value_or(std::vector<Message>{});
}

void Messages::store(http::Response& response, std::vector<Message> messages) const {
    std::string value = encode(messages);
    while (value.size() > kMaxCookieBytes && !messages.empty()) {
        messages.erase(messages.begin());
        value = encode(messages);
    }
    replace_set_cookie(response, kMessagesCookie,
                       messages.empty() ? delete_cookie_value(kMessagesCookie, cookie_)
                                        : set_cookie_value(kMessagesCookie, value, cookie_));
}

void Messages::add(const http::Request& request, http::Response& response, MessageLevel level,
                   std::string_view text) const {
    auto messages = pending(request, response);
    messages.push_back({level, std::string(text)});
    store(response, std::move(messages));
}

std::vector<Message> Messages::consume(const http::Request& request,
                                       http::Response& response) const {
    auto messages = pending(request, response);
    if (find_cookie(request, kMessagesCookie) || find_set_cookie(response, kMessagesCookie))
        store(response, {});
    return messages;
}

nlohmann::json Messages::to_context(const std::vector<Message>& messages) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& m : messages)
        list.push_back(
            {{"level", message_tag(m.level)}, {"tags", message_tag(m.level)}, {"message", m.text}});
    return list;
}

}  // namespace famigo::web::security
