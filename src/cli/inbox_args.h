/* What `concilia inbox` and `concilia watch` share: their options, how
 * they print, and how a stop signal reaches the hook. */
#ifndef CONCILIA_INBOX_ARGS_H
#define CONCILIA_INBOX_ARGS_H

#include "cli/command.h"
#include "inbox/inbox.h"

/* Parses argv (options, then one DIR) into opt for cmd; returns 0, or an
 * exit status (usage printed). */
int inbox_args_parse(const struct command *cmd, struct cli *cli, int argc, char **argv,
                     struct inbox_options *opt);

/* Opens the hook (lock, ledger), runs it (once, or watching until a stop
 * signal), prints, and returns the exit status. */
int inbox_args_run(const struct command *cmd, struct cli *cli, struct inbox_options *opt, int watch);

#endif
