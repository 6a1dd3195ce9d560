// `famigo mail test ADDR`: renders templates/mail/test.{txt,html} with our
// template engine and enqueues the famigo.mail.send task, as the site sends
// every mail: through the queue, so an SMTP outage means retries, not a lost
// mail. A worker (serve's threads or `famigo worker`) delivers it.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/task_wiring.hpp"
#include "core/time.hpp"
#include "mail/message.hpp"
#include "tasks/factory.hpp"
#include "web/template/config.hpp"
#include "web/template/errors.hpp"

namespace famigo::cli {

std::string enqueue_mail(tasks::Broker& broker, const mail::Message& message) {
    tasks::EnqueueOptions o;
    o.max_retries = kMailRetries;
    o.keep_result = true;
    mail::Message m = message;
    if (m.id.empty()) m.id = mail::new_message_id();  // every send of this task: one Message-ID
    return broker.enqueue(kMailTask, tasks::Json::array(), mail::to_json(m), o);
}

int cmd_mail(int argc, char** argv, char** envp) {
    std::string action = argc > 1 ? argv[1] : "";
    if (action != "test") throw UsageError("expected `famigo mail test ADDRESS [--note TEXT]`");
    Args args(argc - 1, argv + 1);
    auto note = args.value("--note").value_or("no note");
    config::Config config = load_config(args, envp);
    auto positional = args.positional();
    args.finish();
    if (positional.size() != 1) throw UsageError("usage: famigo mail test ADDRESS [--note TEXT]");
    mail::Message m;
    try {
        auto box = mail::parse_mailbox(positional[0], "ADDRESS");
        m.to.push_back(positional[0]);
        tasks::Json context{{"name", box.name.empty() ? box.address : box.name},
                            {"sent_at", utc_now_iso()},
                            {"note", note}};
        web::tmpl::Engine engine(web::tmpl::engine_options(config));
        m.subject = "Famigo test mail: " + note;
        m.text = engine.render("mail/test.txt", context);
        m.html = engine.render("mail/test.html", context);
        auto checked = m;  // refuse bad input here, not later in a worker
        checked.from = config.str("mail.from");
        mail::render(checked, std::chrono::system_clock::now());
    } catch (const mail::BadMessage& e) {
        throw UsageError(e.what());
    } catch (const web::tmpl::TemplateError& e) {
        std::cerr << "famigo mail: " << e.what() << "\n";
        return 1;
    }
    auto broker = tasks::make_broker(config);
    std::cout << enqueue_mail(*broker, m) << "\n";
    return 0;
}

}  // namespace famigo::cli
