#include "mail/smtp.hpp"

#include <curl/curl.h>

#include <cstring>
#include <memory>
#include <mutex>

namespace famigo::mail {
namespace {

std::optional<std::string> valid_mail_url(const config::Value& value) {
    const auto& url = std::get<std::string>(value);
    if ((url.starts_with("smtp://") && url.size() > 7) ||
        (url.starts_with("smtps://") && url.size() > 8))
        return std::nullopt;
    return "must be smtp://host:port or smtps://host:port";
}

std::optional<std::string> valid_starttls(const config::Value& value) {
    const auto& v = std::get<std::string>(value);
    if (v == "never" || v == "try" || v == "always") return std::nullopt;
    return "must be never, try or always";
}

std::optional<std::string> valid_from(const config::Value& value) {
    try {
        parse_mailbox(std::get<std::string>(value), "mail.from");
        return std::nullopt;
    } catch (const BadMessage& e) {
        return e.what();
    }
}

struct SmtpUpload {
    const std::string* data;
    std::size_t offset = 0;
};

std::size_t smtp_read(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* upload = static_cast<SmtpUpload*>(user);
    std::size_t n = std::min(size * count, upload->data->size() - upload->offset);
    std::memcpy(buffer, upload->data->data() + upload->offset, n);
    upload->offset += n;
    return n;
}

}  // namespace

void define_config(config::Schema& schema) {
    using config::Kind;
    schema
        .add({"mail.url", Kind::String, "smtp://127.0.0.1:25",
              "SMTP server: smtp://host:port (STARTTLS per mail.starttls) or smtps://host:port "
              "(TLS from the start)",
              valid_mail_url})
        .add({"mail.starttls", Kind::String, "try",
              "smtp:// STARTTLS: never, try (when offered) or always (refuse to send without)",
              valid_starttls})
        .add({"mail.username", Kind::String, "", "SMTP AUTH user name (empty: no AUTH)", {}})
        .add({"mail.password", Kind::String, "", "SMTP AUTH password", {}, true})
        .add({"mail.from", Kind::String, "Famigo <noreply@example.org>",
              "From of mail that names no sender", valid_from})
        .add({"mail.timeout", Kind::DurationMs, "30s",
              "longest an SMTP exchange (connect to the end of the message) may take",
              config::positive})
        .add({"mail.ca_file",
              Kind::String,
              "",
              "CA certificates (PEM) to check the SMTP server's TLS certificate against (a "
              "private relay's CA); empty: the system's",
              {}});
}

SmtpOptions smtp_options(const config::Config& config) {
    SmtpOptions o;
    o.url = config.str("mail.url");
    o.starttls = config.str("mail.starttls");
    o.username = config.str("mail.username");
    o.password = config.str("mail.password");
    o.from = config.str("mail.from");
    o.timeout = std::chrono::milliseconds(config.integer("mail.timeout"));
    o.ca_file = config.str("mail.ca_file");
    return o;
}

SmtpSender::SmtpSender(SmtpOptions options) : options_(std::move(options)) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string SmtpSender::send(Message message) {
    if (message.from.empty()) message.from = options_.from;
    Rendered r = render(message, std::chrono::system_clock::now());
    std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) throw SendFailed("smtp: curl_easy_init failed");
    std::string from = "<" + r.envelope_from + ">";
    curl_slist* rcpt = nullptr;
    for (const auto& a : r.recipients) rcpt = curl_slist_append(rcpt, ("<" + a + ">").c_str());
    std::unique_ptr<curl_slist, void (*)(curl_slist*)> rcpt_guard(rcpt, curl_slist_free_all);
    SmtpUpload upload{&r.data};
    char error[CURL_ERROR_SIZE] = {};
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, options_.url.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, smtp_read);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, long(options_.timeout.count()));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                     long(std::min<std::int64_t>(options_.timeout.count(), 10000)));
    long use_ssl = options_.starttls == "always" ? CURLUSESSL_ALL
                   : options_.starttls == "try"  ? CURLUSESSL_TRY
                                                 : CURLUSESSL_NONE;
    if (options_.url.starts_with("smtps://")) use_ssl = CURLUSESSL_ALL;
    curl_easy_setopt(c, CURLOPT_USE_SSL, use_ssl);
    // The certificate is always verified (libcurl's default); a private CA
    // is trusted by naming it, never by turning verification off.
    if (!options_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
    if (!options_.username.empty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, options_.username.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, options_.password.c_str());
    }
    CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK) {
        long code = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
        std::string why = error[0] ? error : curl_easy_strerror(rc);
        throw SendFailed("smtp " + options_.url + ": " + why +
                         (code ? " (server said " + std::to_string(code) + ")" : ""));
    }
    return r.message_id;
}

}  // namespace famigo::mail
