// Flash messages, as Django's messages framework with its CookieStorage: a view
// adds "Saved." before redirecting, and the next page shows it once. Messages
// travel in the signed `messages` cookie, so they need no server storage and
// work on any host behind the load balancer.
//
// There is no middleware: add() and consume() read what the request brought
// and what this response already sets, and write the Set-Cookie themselves.
// That keeps the state where it belongs (the cookie) and off requests that
// never touch messages; the hot path pays nothing.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.hpp"
#include "http/response.hpp"
#include "web/security/cookies.hpp"
#include "web/security/options.hpp"
#include "web/security/signing.hpp"

namespace famigo::web::security {

enum class MessageLevel { Debug = 10, Info = 20, Success = 25, Warning = 30, Error = 40 };

// "debug", "info", "success", "warning", "error": Django's tags, for CSS classes.
std::string_view message_tag(MessageLevel level);

struct Message {
    MessageLevel level;
    std::string text;
    bool operator==(const Message&) const = default;
};

inline constexpr std::string_view kMessagesCookie = "messages";

class Messages {
  public:
    explicit Messages(const SecurityOptions& options);

    // Queues a message for the next page this client sees.
    void add(const http::Request& request, http::Response& response, MessageLevel level,
             std::string_view text) const;
    // The queued messages (those the request brought and those added during it),
    // and the cookie is cleared: each message is shown once.
    std::vector<Message> consume(const http::Request& request, http::Response& response) const;

    // [{"level": "success", "tags": "success", "message": "Saved."}, ...] for templates.
    static nlohmann::json to_context(const std::vector<Message>& messages);

    // The cookie value, and back; decode gives nullopt when tampered or malformed.
    std::string encode(const std::vector<Message>& messages) const;
    std::optional<std::vector<Message>> decode(std::string_view cookie_value) const;

    // Largest cookie value written; the oldest messages are dropped to fit.
    static constexpr size_t kMaxCookieBytes = 2048;

  private:
    std::vector<Message> pending(const http::Request& request,
                                 const http::Response& response) const;
    void store(http::Response& response, std::vector<Message> messages) const;

    Signer signer_;
    CookieOptions cookie_;
};

}  // namespace famigo::web::security
