#include "mail/message.hpp"

#include <cstdio>
#include <ctime>
#include <random>

#include "core/encoding.hpp"

namespace famigo::mail {
namespace {

bool mail_has_control(std::string_view s) {
    for (unsigned char c : s)
        if (c == '\r' || c == '\n' || c == '\0') return true;
    return false;
}

bool mail_is_plain_ascii(std::string_view s) {
    for (unsigned char c : s)
        if (c < 0x20 || c >= 0x7f) return false;
    return true;
}

// local@domain with no spaces, quotes, brackets or commas: what we send to
// needs no quoting, and anything else is more likely an attack than a user.
bool mail_valid_address(std::string_view a) {
    auto at = a.find('@');
    if (at == std::string_view::npos || at == 0 || at + 1 >= a.size() || a.size() > 254)
        return false;
    if (a.find('@', at + 1) != std::string_view::npos) return false;
    for (unsigned char c : a)
        if (c <= 0x20 || c >= 0x7f ||
            std::string_view("<>()[]\\,;:\"").find(char(c)) != std::string_view::npos)
            return false;
    auto domain = a.substr(at + 1);
    return domain.front() != '.' && domain.back() != '.' &&
           domain.find("..") == std::string_view::npos;
}

std::string mail_format_mailbox(const Mailbox& m) {
    if (m.name.empty()) return m.address;
    std::string name;
    if (!mail_is_plain_ascii(m.name)) {
        name = encode_header_words(m.name);
    } else if (m.name.find_first_of("()<>[]:;@\\,.\"") != std::string::npos) {
        name = "\"";
        for (char c : m.name) {
            if (c == '"' || c == '\\') name += '\\';
            name += c;
        }
        name += "\"";
    } else {
        name = m.name;
    }
    return name + " <" + m.address + ">";
}

std::string mail_date(std::chrono::system_clock::time_point now) {
    static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[128];
    std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                  tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                  tm.tm_sec);
    return text;
}

std::string mail_random_hex(std::size_t bytes) {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    std::string raw;
    for (std::size_t i = 0; i < bytes; ++i) raw += char(rng() & 0xff);
    return encoding::to_hex(raw);
}

// base64 in lines of 76 characters (RFC 2045).
void mail_append_base64_body(std::string& out, std::string_view body) {
    std::string encoded = encoding::base64_encode(body);
    for (std::size_t i = 0; i < encoded.size(); i += 76) {
        out.append(encoded, i, 76);
        out += "\r\n";
    }
}

void mail_append_part(std::string& out, std::string_view type, std::string_view body) {
    out += "Content-Type: ";
    out += type;
    out += "; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    mail_append_base64_body(out, body);
}

}  // namespace

std::string new_message_id() {
    return mail_random_hex(16) + "." + std::to_string(std::time(nullptr));
}

Mailbox parse_mailbox(std::string_view text, std::string_view field) {
    auto bad = [&](std::string_view why) {
        return BadMessage(std::string(field) + ": " + std::string(why));
    };
    if (mail_has_control(text)) throw bad("contains a line break or NUL");
    Mailbox m;
    auto lt = text.rfind('<');
    if (lt != std::string_view::npos) {
        if (text.empty() || text.back() != '>') throw bad("'<' without a closing '>' at the end");
        m.address = std::string(text.substr(lt + 1, text.size() - lt - 2));
        auto name = text.substr(0, lt);
        while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
        while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
        if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
            name = name.substr(1, name.size() - 2);
        m.name = std::string(name);
    } else {
        auto a = text;
        while (!a.empty() && a.back() == ' ') a.remove_suffix(1);
        while (!a.empty() && a.front() == ' ') a.remove_prefix(1);
        m.address = std::string(a);
    }
    if (!mail_valid_address(m.address))
        throw bad("'" + m.address + "' is not an address of the form local@domain");
    return m;
}

std::string encode_header_words(std::string_view text) {
    if (mail_is_plain_ascii(text)) return std::string(text);
    // 45 bytes of UTF-8 make 60 base64 characters, 72 with "=?UTF-8?B?" and
    // "?=": under the 75 of RFC 2047. A word never splits a character.
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t end = std::min(text.size(), i + 45);
        while (end < text.size() && end > i &&
               (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
            --end;
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + encoding::base64_encode(text.substr(i, end - i)) + "?=";
        i = end;
    }
    return out;
}

nlohmann::json to_json(const Message& m) {
    return {{"from", m.from},
            {"to", m.to},
            {"reply_to", m.reply_to},
            {"subject", m.subject},
            {"text", m.text},
            {"html", m.html},
            {"id", m.id}};
}

Message message_from_json(const nlohmann::json& json) {
    if (!json.is_object()) throw BadMessage("a mail is a JSON object");
    Message m;
    auto text = [&](const char* key, std::string& out, bool required) {
        auto it = json.find(key);
        if (it == json.end() || it->is_null()) {
            if (required) throw BadMessage(std::string(key) + ": missing");
            return;
        }
        if (!it->is_string()) throw BadMessage(std::string(key) + ": must be a string");
        out = it->get<std::string>();
    };
    text("from", m.from, false);
    text("reply_to", m.reply_to, false);
    text("subject", m.subject, true);
    text("text", m.text, true);
    text("html", m.html, false);
    text("id", m.id, false);
    auto to = json.find("to");
    if (to != json.end() && to->is_string()) {
        m.to.push_back(to->get<std::string>());
    } else if (to != json.end() && to->is_array()) {
        for (const auto& a : *to) {
            if (!a.is_string()) throw BadMessage("to: every recipient must be a string");
            m.to.push_back(a.get<std::string>());
        }
    } else {
        throw BadMessage("to: missing (a string or a list of strings)");
    }
    return m;
}

Rendered render(const Message& message, std::chrono::system_clock::time_point now) {
    if (message.to.empty()) throw BadMessage("to: no recipient");
    if (message.to.size() > 100) throw BadMessage("to: more than 100 recipients");
    if (mail_has_control(message.subject))
        throw BadMessage("subject: contains a line break or NUL");
    if (message.subject.size() > 998) throw BadMessage("subject: longer than 998 bytes");
    if (message.text.empty()) throw BadMessage("text: empty (every mail has a text part)");
    Mailbox from = parse_mailbox(message.from, "from");
    Rendered r;
    r.envelope_from = from.address;
    std::string to_header;
    for (const auto& t : message.to) {
        Mailbox m = parse_mailbox(t, "to");
        r.recipients.push_back(m.address);
        if (!to_header.empty()) to_header += ",\r\n ";
        to_header += mail_format_mailbox(m);
    }
    std::string id = message.id.empty() ? new_message_id() : message.id;
    if (id.size() > 64 ||
        id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                             "0123456789.-") != std::string::npos)
        throw BadMessage("id: 1 to 64 letters, digits, dots and dashes");
    r.message_id = "<" + id + "@" + from.address.substr(from.address.find('@') + 1) + ">";
    std::string& d = r.data;
    d += "Date: " + mail_date(now) + "\r\n";
    d += "From: " + mail_format_mailbox(from) + "\r\n";
    d += "To: " + to_header + "\r\n";
    if (!message.reply_to.empty())
        d += "Reply-To: " + mail_format_mailbox(parse_mailbox(message.reply_to, "reply_to")) +
             "\r\n";
    d += "Subject: " + encode_header_words(message.subject) + "\r\n";
    d += "Message-ID: " + r.message_id + "\r\n";
    d += "MIME-Version: 1.0\r\n";
    if (message.html.empty()) {
        mail_append_part(d, "text/plain", message.text);
        return r;
    }
    std::string boundary = "=_famigo_" + mail_random_hex(12);
    d += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
    d += "--" + boundary + "\r\n";
    mail_append_part(d, "text/plain", message.text);
    d += "--" + boundary + "\r\n";
    mail_append_part(d, "text/html", message.html);
    d += "--" + boundary + "--\r\n";
    return r;
}

}  // namespace famigo::mail
