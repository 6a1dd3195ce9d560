// The famigo subcommands. Each takes its own argv (argv[0] is the subcommand
// name) and the process environment, and returns the process exit code.
#pragma once

#include <string_view>

namespace famigo::docstore {
class ModelRegistry;
}

namespace famigo::cli {

struct Command {
    std::string_view name;
    std::string_view summary;
    std::string_view usage;  // the full --help text
    int (*run)(int argc, char** argv, char** envp);
};

int cmd_serve(int argc, char** argv, char** envp);
int cmd_user(int argc, char** argv, char** envp);    // user_commands.cpp
int cmd_apikey(int argc, char** argv, char** envp);  // apikey_command.cpp
int cmd_check(int argc, char** argv, char** envp);
int cmd_check_tasks(int argc, char** argv, char** envp);  // check queue|backup
int cmd_collectstatic(int argc, char** argv, char** envp);
int cmd_config(int argc, char** argv, char** envp);
int cmd_render(int argc, char** argv, char** envp);
int cmd_version(int argc, char** argv, char** envp);
int cmd_db(int argc, char** argv, char** envp);
int cmd_migrate(int argc, char** argv, char** envp);
int cmd_backup(int argc, char** argv, char** envp);
int cmd_restore(int argc, char** argv, char** envp);
int cmd_store(int argc, char** argv, char** envp);  // db_commands.cpp: store copy
int cmd_import(int argc, char** argv, char** envp);
int cmd_editorial(int argc, char** argv, char** envp);
int cmd_reindex(int argc, char** argv, char** envp);  // search_commands.cpp
int cmd_worker(int argc, char** argv, char** envp);   // tasks_commands.cpp
int cmd_beat(int argc, char** argv, char** envp);
int cmd_mail(int argc, char** argv, char** envp);  // mail_command.cpp
int cmd_tasks(int argc, char** argv, char** envp);

int main(int argc, char** argv, char** envp);

}  // namespace famigo::cli
