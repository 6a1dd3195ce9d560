// An email as the site sends it: one or more recipients, a subject, a plain
// text part and an optional HTML part (then multipart/alternative), and its
// RFC 5322 text with Date, Message-ID and MIME-Version. Non-ASCII is UTF-8
// throughout: the subject and display names as RFC 2047 encoded words, the
// bodies base64. Every address, name and subject is checked before anything
// is built: CR, LF or NUL in any of them (header injection) or an address that
// is not a plain local@domain is BadMessage, which no retry can fix. The
// parts arrive rendered (templates are the caller's, in the web layer), so
// this module knows nothing of templates or of the task queue.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace famigo::mail {

class BadMessage : public Error {
  public:
    using Error::Error;
};

struct Message {
    std::string from;             // "Name <addr@host>" or "addr@host"; empty: mail.from
    std::vector<std::string> to;  // the same forms
    std::string reply_to;         // optional
    std::string subject;
    std::string text;  // the text/plain part (required)
    std::string html;  // the text/html part; empty: a single-part text mail
    // The left part of the Message-ID (1-64 of A-Z a-z 0-9 . -); empty: a
    // random one. The queue sets it once at enqueue, so a mail sent again
    // (a retry after the server took it, a redelivery) carries the same
    // Message-ID and receivers can tell the copies apart.
    std::string id;
};

// A fresh random Message.id.
std::string new_message_id();

// The form the mail task carries: {"to": [...], "subject", "text", "html",
// "from", "reply_to"}; from_json throws BadMessage naming the field.
nlohmann::json to_json(const Message& message);
Message message_from_json(const nlohmann::json& json);

struct Mailbox {
    std::string name;     // display name, possibly empty
    std::string address;  // local@domain, the SMTP envelope's
};
// Parses "Name <a@b>", "<a@b>" or "a@b"; throws BadMessage naming `field`.
Mailbox parse_mailbox(std::string_view text, std::string_view field);

// RFC 2047 encoded words (UTF-8, base64) when `text` is not plain printable
// ASCII, each at most 75 characters, folded onto continuation lines.
std::string encode_header_words(std::string_view text);

struct Rendered {
    std::string envelope_from;            // the address only
    std::vector<std::string> recipients;  // addresses only
    std::string data;                     // the whole message, CRLF line ends
    std::string message_id;               // "<...>"
};
// Checks and builds the message; throws BadMessage.
Rendered render(const Message& message, std::chrono::system_clock::time_point now);

}  // namespace famigo::mail
