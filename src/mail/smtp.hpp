// Sends rendered mail over SMTP with libcurl (Debian's, private to this
// module): smtp:// with optional STARTTLS, or smtps://, with optional
// authentication, bounded by a timeout. Configuration ([mail]):
//   mail.url       smtp://host:port (STARTTLS per mail.starttls) or smtps://host:port
//   mail.starttls  "never", "try" (when the server offers it) or "always" (fail without it)
//   mail.username, mail.password (secret)   SMTP AUTH, when a username is set
//   mail.from      the From of mail that names none, "Famigo <noreply@example.org>"
//   mail.timeout   for the whole exchange
//   mail.ca_file   CA certificates (PEM) the server's TLS certificate is checked
//                  against; empty: the system's
// A failure to connect or a refusal is SendFailed (transient: the mail task
// retries it); a message that cannot be built is BadMessage (permanent).
#pragma once

#include <chrono>
#include <string>

#include "core/config.hpp"
#include "mail/message.hpp"

namespace famigo::mail {

class SendFailed : public Error {
  public:
    using Error::Error;
};

struct SmtpOptions {
    std::string url = "smtp://127.0.0.1:25";
    std::string starttls = "try";
    std::string username, password;
    std::string from = "Famigo <noreply@example.org>";
    std::chrono::milliseconds timeout{30000};
    std::string ca_file;
};

void define_config(config::Schema& schema);
SmtpOptions smtp_options(const config::Config& config);

class SmtpSender {
  public:
    explicit SmtpSender(SmtpOptions options);
    // Builds and sends `message` (From defaults to mail.from); returns its
    // Message-ID. Throws BadMessage or SendFailed.
    std::string send(Message message);

  private:
    SmtpOptions options_;
};

}  // namespace famigo::mail
