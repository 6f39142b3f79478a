/* concilia watch DIR: the drop folder as a service: reacts to new files
 * (inotify) until SIGTERM, finishing the file in hand before it exits. */
#include "config.h"

#include "cli/inbox_args.h"

static int run(struct cli *cli, int argc, char **argv)
{
	struct inbox_options opt;
	int rc = inbox_args_parse(&cmd_watch, cli, argc, argv, &opt);
	return rc ? rc : inbox_args_run(&cmd_watch, cli, &opt, 1);
}

const struct command cmd_watch = {
    .name = "watch",
    .usage = "[--archive DIR] [--report-dir DIR] [--settle SECONDS] [--incomplete-timeout SECONDS] [--wait]\n"
             "       [--on-attention CMD] [--hook-timeout SECONDS] [--strict] [--layout NAME|FILE]\n"
             "       [--interest-from due|business-day] DIR",
    .summary = "drop folder as a service: like inbox, reacting to each new file until SIGTERM",
    .run = run,
};
