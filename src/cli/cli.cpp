#include <csignal>
#include <exception>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"

namespace famigo::cli {
namespace {

constexpr std::string_view kCommonOptions = R"(
Common options:
  --config PATH      TOML configuration file (default: $FAMIGO_CONFIG, else built-in defaults)
  --set KEY=VALUE    set one configuration key, e.g. --set server.workers=32 (repeatable)
  --help             show this help
Environment: FAMIGO_SECTION__KEY=value sets section.key (e.g. FAMIGO_SERVER__LISTEN=0.0.0.0:80).
Precedence: defaults < config file < environment < flags.
)";

const Command kCommands[] = {
    {"serve", "run the web server",
     R"(usage: famigo serve [--listen HOST:PORT | --fastcgi HOST:PORT] [--config PATH] [--set KEY=VALUE]...

Runs the HTTP server in the foreground. SIGTERM or SIGINT starts a graceful
drain: /readyz turns 503 at once, the listener stays open for server.drain_grace,
then in-flight requests finish (up to server.drain_timeout) and the process exits 0.
  --listen HOST:PORT   same as --set server.listen=HOST:PORT (default 127.0.0.1:8000)
  --fastcgi HOST:PORT  listen there as a FastCGI responder for a web server (lighttpd)
                       in front: --set server.listen=HOST:PORT --set server.protocol=fastcgi
)",
     cmd_serve},
    {"check", "Nagios plugins: a URL's status and time, the task queue backlog, the last backup",
     R"(usage: famigo check --url URL [--warn-ms N] [--crit-ms N] [--timeout-ms N] [--expect-status CODE]
                    [--bearer-token-file PATH]
       famigo check queue [--queue Q]... [--warn-depth N] [--crit-depth N] [--warn-age D] [--crit-age D]
       famigo check backup [--warn-age D] [--crit-age D]

Fetches URL (http:// only) and prints one line with perfdata
"time=<ms>ms;<warn>;<crit>;0". Exit codes: 0 OK, 1 WARNING (slower than
--warn-ms, default 1000), 2 CRITICAL (slower than --crit-ms, default 3000, a
status other than --expect-status, default 200, or no answer within
--timeout-ms, default 10000), 3 UNKNOWN (bad arguments).
--bearer-token-file sends the token in PATH's first line as
"Authorization: Bearer <token>" (for /metrics with metrics.bearer_token).

queue: every queue of tasks.url (or each --queue): WARNING/CRITICAL when its
ready tasks reach --warn-depth/--crit-depth (100, 1000) or its oldest ready
task's age reaches --warn-age/--crit-age (60s, 5m); CRITICAL when the broker
does not answer. backup: the newest backup in backup.dir that passed its
restore drill; WARNING/CRITICAL when older than --warn-age/--crit-age (26h,
50h), CRITICAL when there is none. Durations as in config: 90s, 5m, 26h.
)",
     cmd_check},
    {"collectstatic", "copy static files into the build folder, fingerprinted and compressed",
     R"(usage: famigo collectstatic [--config PATH] [--set KEY=VALUE]...

Copies every file under static.source into static.build_dir under its plain
name and a content-hash fingerprinted name (css/site.css -> css/site.<hash>.css),
rewrites url() references in CSS to the fingerprinted names, writes .gz and .br
variants of compressible files and manifest.json. Idempotent; prints a line per
file and a summary. `famigo serve` then serves the build folder with year-long
immutable caching for fingerprinted names.
)",
     cmd_collectstatic},
    {"config", "validate the configuration and show every key",
     R"(usage: famigo config check [--deploy [--fail-level warning]] [--config PATH] [--set KEY=VALUE]...
       famigo config keys

check: loads the configuration exactly as `serve` would and prints every key
with its value and origin; exits 1 naming the key and its origin when a key
is unknown or a value is malformed.
  --deploy             also list settings that are unsafe on a public site (empty
                       secret key, no HSTS or https redirect, cookies not Secure,
                       debug routes...), one line each with an id like security.W004,
                       and their count; exits 0 unless --fail-level warning is given
                       and there is at least one (see docs/web-security.md)
keys: lists every configuration key with its default and meaning.
)",
     cmd_config},
    {"render", "render a template with a JSON context (debugging, comparing with Django)",
     R"(usage: famigo render NAME [--context JSON] [--dir DIR]... [--config PATH] [--set KEY=VALUE]...

Renders template NAME, found under each --dir in order (default: the folders of
templates.dirs), with the JSON object --context (default {}) and prints it.
Exit codes: 0 rendered; 1 template error (the message names file and line);
2 the context is not a JSON object.
)",
     cmd_render},
    {"user", "create users and set their passwords",
     R"(usage: famigo user create USERNAME [--email EMAIL] [--staff]
       famigo user set-password USERNAME

Creates a user (Argon2id password hash) or replaces a user's password in the
users collection of store.url. The password is read from stdin: asked twice
without echo on a terminal, else the first line (`echo pw | famigo user ...`).
Usernames are at most 150 letters, digits and @.+-_ (Django's rules).
Exit codes: 0 done, 1 the user exists (create) or does not (set-password),
2 usage error (bad username or email, empty password). See docs/auth.md.
)",
     cmd_user},
    {"apikey", "create, list and revoke the Sandbox API's client app keys",
     R"(usage: famigo apikey create NAME
       famigo apikey list
       famigo apikey revoke NAME

create prints a new X-Api-Key for the client app NAME (1-64 letters, digits,
. _ -) on stdout, once: the store keeps only its hash. list prints each key's
name, first characters, creation time and state; revoke stops a key at once.
Exit codes: 0 done, 1 the name exists (create) or does not (revoke), 2 usage
error. See docs/families.md.
)",
     cmd_apikey},
    {"db", "query the document store: find, count, indexes, insert",
     R"(usage: famigo db find COLLECTION ['FILTER_JSON'] [--sort F,-G] [--limit N] [--skip N] [--fields a,b]
       famigo db count COLLECTION ['FILTER_JSON']
       famigo db indexes COLLECTION
       famigo db insert COLLECTION < documents.jsonl

find prints the matching documents as JSON lines; count prints their number;
indexes lists the collection's indexes; insert reads one JSON document per line. FILTER_JSON is MongoDB's filter syntax
({"rating": {"$gte": 4}, "tags": "puzzle"}); $where, $expr and unknown
operators are refused. The store is store.url.
)",
     cmd_db},
    {"migrate", "create the collections and indexes the models declare",
     R"(usage: famigo migrate [--sample-models]

Creates every registered model's collection and indexes in store.url;
idempotent. --sample-models also registers the docstore's two sample models.
)",
     cmd_migrate},
    {"backup", "write a consistent backup of the document store",
     R"(usage: famigo backup DEST

SQLite: an online snapshot with SQLite's backup API (writers keep going).
MongoDB: a streaming export of every collection and index as extended JSON
lines. Either way DEST.sha256 holds the checksum `famigo restore` checks.
)",
     cmd_backup},
    {"restore", "restore the document store from a backup",
     R"(usage: famigo restore SRC [--force]

Checks SRC against SRC.sha256, then loads every document and index into
store.url. Refuses a store that holds documents unless --force.
)",
     cmd_restore},
    {"store", "copy a whole document store to another backend",
     R"(usage: famigo store copy SRC_URL DEST_URL [--force]

Copies every collection, document and declared index of the store at SRC_URL
into the one at DEST_URL, any backend to any other (sqlite:///a.db,
postgresql://host:port/db, mongodb://host:port/db): the move from the embedded
store to a scale-out one and back. Documents go in _id order in batches of
500 with progress on stderr; indexes are built after the data. Then the counts
and a content checksum of both stores must agree, or the command fails.
Refuses a destination that holds documents unless --force, which drops its
collections of the same names first. Other store.* keys (timeouts) apply to both.
)",
     cmd_store},
    {"import", "import the demo catalog from Google Play / App Store CSV exports",
     R"(usage: famigo import [--if-empty] [--quiet] PATH...

Reads each PATH (a CSV file, or a folder: its *.csv files by name) as a Google
Play (googleplaystore.csv) or App Store (AppleStore.csv) export, told apart by
the header row, and loads it into the apps collection of store.url (creating
its indexes first). Idempotent: apps are matched by source_id; a re-import
inserts nothing and updates only store fields that changed (never the slug nor
editorial fields). Rows that cannot be mapped are rejected and listed as
FILE:LINE: rejected: REASON. When anything changed, meta/catalog's generation
is incremented. Progress goes to stderr (a bar on a terminal, otherwise a line
every 2,000 rows); the summary to stdout. See docs/catalog.md.
  --if-empty   do nothing (and say so) when the apps collection holds documents
  --quiet      no progress output
Exit codes: 0 imported (even with rejected rows), 1 a file is missing,
unreadable or not a known export, 2 usage error.
)",
     cmd_import},
    {"editorial", "apply reviewers' fields (APProved, review, descriptors) from a JSON file",
     R"(usage: famigo editorial PATH

Reads PATH, a JSON array of entries such as
  {"source_id": "ios:728293409", "approved": true,
   "review": {"cool": "...", "drool": "..."},
   "descriptors": {"ads": "no", "in_app_purchases": "yes"},
   "age_band": "6-8", "developer": "..."}
and sets those fields on the app with that source_id (see docs/catalog.md).
Every entry is checked against the App model first: a bad file changes nothing.
Entries whose app is not in the catalog are listed and skipped. When anything
changed, meta/catalog's generation is incremented (cached pages are dropped).
Exit codes: 0 applied, 1 unreadable or invalid file, 2 usage error.
)",
     cmd_editorial},
    {"reindex", "build a new site search index of the catalog and swap it in",
     R"(usage: famigo reindex [--quiet]

Builds a new search index (search.url: Xapian by default, or Solr) of every
published app in store.url beside the current one, makes it current in one
step (readers see the old index or the new one, never a mix), and checks its
document count against the apps written. Progress goes to stderr (a bar on a
terminal, otherwise a line every 5,000 apps), the summary to stdout. This is
also how the index is restored: it is not in `famigo backup` (docs/search.md).
`famigo import` and `famigo editorial` keep the index up to date through the
task queue (famigo.search.index_apps); run this after a restore, a change of
search.url, or to start over.
  --quiet   no progress output
Exit codes: 0 built, 1 the index cannot be written or its count is wrong,
2 usage error.
)",
     cmd_reindex},
    {"worker", "run task workers (the queues of tasks.url) until SIGTERM",
     R"(usage: famigo worker [--queues A,B] [--concurrency N] [--config PATH] [--set KEY=VALUE]...

Runs N worker threads (default 2) taking tasks from the queues (default
tasks.queues, "famigo") of the broker tasks.url. SIGTERM or SIGINT stops
fetching; running tasks finish within tasks.shutdown_grace, and what still
runs then is handed back to the queue for another worker. See docs/tasks.md.
)",
     cmd_worker},
    {"beat", "run the periodic task scheduler (beat.schedules) until SIGTERM",
     R"(usage: famigo beat [--config PATH] [--set KEY=VALUE]...

Enqueues the periodic tasks of beat.schedules on the broker tasks.url when
they are due, e.g.
  beat.schedules = ["purge-sessions every 1h famigo.sessions.purge",
                    "backup cron 30 3 * * * famigo.backup"]
(`every DURATION`, or five cron fields in UTC). Run one on each of several
hosts: only the holder of the broker's scheduler lock enqueues; another takes
over within beat.lease when it stops. A slot missed while no beat ran is run
once. SIGTERM or SIGINT frees the lock and exits 0. See docs/tasks.md.
)",
     cmd_beat},
    {"tasks", "look at and act on the task queues: list, show, dead, retry, purge, send",
     R"(usage: famigo tasks list [QUEUE] [--limit N]
       famigo tasks show ID
       famigo tasks dead [--limit N]
       famigo tasks retry ID
       famigo tasks purge QUEUE
       famigo tasks send NAME [--args JSON] [--kwargs JSON] [--queue Q] [--countdown S]
                         [--max-retries N] [--idempotency-key K] [--no-result]

list: every queue with its ready, scheduled, running and dead tasks and the
age of its oldest ready task; with QUEUE, that queue's tasks, oldest first.
show: one task (state, retries, last error, arguments) and its result.
dead: the dead-lettered tasks with their last error. retry: a dead task back
to its queue with its retries reset. purge: drops a queue's waiting tasks.
send: enqueues task NAME (args a JSON array, kwargs a JSON object; queue
default "famigo"; run no sooner than S seconds from now) and prints its id;
its result is kept unless --no-result. Exit codes: 0 done, 1 no such task,
2 usage error (bad JSON, bad name).
)",
     cmd_tasks},
    {"mail", "send a test mail through the task queue",
     R"(usage: famigo mail test ADDRESS [--note TEXT]

Renders templates/mail/test.txt and test.html (our template engine) and
enqueues the famigo.mail.send task for ADDRESS ("Name <a@b>" or "a@b");
prints the task id. A worker sends it over SMTP (mail.url, mail.starttls,
mail.username, mail.password, mail.from), retrying while the server is
unreachable; `famigo tasks show ID` shows its Message-ID once sent.
Exit codes: 0 enqueued, 1 template error, 2 a bad address. See docs/tasks.md.
)",
     cmd_mail},
    {"version", "print the version", "usage: famigo version\n", cmd_version},
};

void print_overview(std::ostream& out) {
    out << "usage: famigo COMMAND [options]\n\nCommands:\n";
    for (const auto& command : kCommands) {
        std::string name(command.name);
        name.resize(16, ' ');
        out << "  " << name << command.summary << "\n";
    }
    out << "\nRun `famigo COMMAND --help` for a command's options.\n";
}

}  // namespace

int main(int argc, char** argv, char** envp) {
    // A peer that closes its socket must be an error on the write, not a
    // process kill: sendfile(2) has no MSG_NOSIGNAL, so SIGPIPE is ignored.
    std::signal(SIGPIPE, SIG_IGN);
    if (argc < 2 || std::string_view(argv[1]) == "--help" || std::string_view(argv[1]) == "-h" ||
        std::string_view(argv[1]) == "help") {
        print_overview(std::cout);
        return argc < 2 ? 2 : 0;
    }
    std::string_view name = argv[1];
    if (name == "--version") name = "version";
    for (const auto& command : kCommands) {
        if (command.name != name) continue;
        for (int i = 2; i < argc; ++i) {
            std::string_view arg = argv[i];
            if (arg == "--help" || arg == "-h") {
                std::cout << command.usage;
                if (command.name != "version") std::cout << kCommonOptions;
                return 0;
            }
        }
        try {
            return command.run(argc - 1, argv + 1, envp);
        } catch (const UsageError& e) {
            std::cerr << "famigo " << name << ": " << e.what() << "\n";
            return 2;
        } catch (const ConfigError& e) {
            std::cerr << "famigo " << name << ": configuration error: " << e.what() << "\n";
            return 1;
        } catch (const std::exception& e) {
            std::cerr << "famigo " << name << ": " << e.what() << "\n";
            return 1;
        }
    }
    std::cerr << "famigo: unknown command '" << name << "'\n\n";
    print_overview(std::cerr);
    return 2;
}

}  // namespace famigo::cli
