// `famigo user create USERNAME [--email E] [--staff]` and `famigo user
// set-password USERNAME`: accounts in the document store (store.url). The
// password is read from stdin: asked twice without echo on a terminal, the
// first line otherwise (so scripts can pipe it in; it never appears in argv).
#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <string>

#include "apps/accounts/emails.hpp"
#include "apps/accounts/models.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "docstore/config.hpp"
#include "docstore/errors.hpp"
#include "docstore/model.hpp"
#include "web/auth/users.hpp"
#include "web/security/forms.hpp"
#include "web/security/options.hpp"

namespace famigo::cli {
namespace {

std::string read_line_from(std::istream& in) {
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

std::string ask_hidden(const char* prompt) {
    std::cerr << prompt << std::flush;
    termios old{};
    bool restore = tcgetattr(STDIN_FILENO, &old) == 0;
    if (restore) {
        termios quiet = old;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    std::string line = read_line_from(std::cin);
    if (restore) tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    std::cerr << "\n";
    return line;
}

std::string read_password() {
    std::string password;
    if (isatty(STDIN_FILENO)) {
        password = ask_hidden("Password: ");
        if (ask_hidden("Password (again): ") != password)
            throw UsageError("the two passwords differ");
    } else {
        password = read_line_from(std::cin);
    }
    if (password.empty()) throw UsageError("the password is empty (it is read from stdin)");
    return password;
}

}  // namespace

int cmd_user(int argc, char** argv, char** envp) {
    std::string action = argc > 1 ? argv[1] : "";
    if (action != "create" && action != "set-password")
        throw UsageError("expected `famigo user create|set-password USERNAME ...`");
    Args args(argc - 1, argv + 1);
    config::Config config = load_config(args, envp);
    std::string email;
    bool staff = false;
    if (action == "create") {
        email = args.value("--email").value_or("");
        staff = args.flag("--staff");
    }
    auto positional = args.positional();
    args.finish();
    if (positional.size() != 1) throw UsageError("expected one USERNAME");
    const std::string& username = positional[0];
    if (auto problem = web::auth::username_problem(username))
        throw UsageError("username '" + username + "': " + *problem);
    if (!email.empty() && !web::security::is_valid_email(email))
        throw UsageError("'" + email + "': Enter a valid email address.");

    auto security = web::security::security_options(config);
    web::security::PasswordHasher hasher(security.password_ops_limit, security.password_mem_limit);
    auto store = docstore::open_store(docstore::store_options(config));
    docstore::ModelRegistry models;
    apps::accounts::register_models(models);
    docstore::migrate(*store, models);  // the users collection and its indexes
    web::auth::Users users(*store, hasher);

    if (action == "create") {
        if (users.find_by_username(username)) {
            std::cerr << "famigo user: '" << username << "' already exists\n";
            return 1;
        }
        // One account per address, in any case (the accounts app's claims).
        apps::accounts::AccountEmails emails(*store);
        if (!email.empty() && emails.owner(email)) {
            std::cerr << "famigo user: another account uses '" << email << "'\n";
            return 1;
        }
        std::string password = read_password();
        try {
            auto user = users.create(username, email, password, staff);
            if (!email.empty()) emails.claim(email, user.id);
            std::cout << "created user " << user.username << " (" << user.id << ")"
                      << (staff ? ", staff" : "") << "\n";
        } catch (const docstore::DuplicateKey&) {
            std::cerr << "famigo user: '" << username << "' already exists\n";
            return 1;
        }
        return 0;
    }
    if (!users.find_by_username(username)) {
        std::cerr << "famigo user: no user '" << username << "'\n";
        return 1;
    }
    if (!users.set_password(username, read_password())) return 1;
    std::cout << "password changed for " << username << "\n";
    return 0;
}

}  // namespace famigo::cli
