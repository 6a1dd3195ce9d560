// The famigo binary: every subcommand lives in src/cli/.
#include "cli/commands.hpp"

int main(int argc, char** argv, char** envp) {
    return famigo::cli::main(argc, argv, envp);
}
