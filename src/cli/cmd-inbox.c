/* concilia inbox DIR: takes what is complete in a drop folder once, then
 * exits (for cron or a systemd timer or path unit). */
#include "config.h"

#include "cli/inbox_args.h"

static int run(struct cli *cli, int argc, char **argv)
{
	struct inbox_options opt;
	int rc = inbox_args_parse(&cmd_inbox, cli, argc, argv, &opt);
	return rc ? rc : inbox_args_run(&cmd_inbox, cli, &opt, 0);
}

const struct command cmd_inbox = {
    .name = "inbox",
    .usage = "[--archive DIR] [--report-dir DIR] [--settle SECONDS] [--incomplete-timeout SECONDS] [--wait]\n"
             "       [--on-attention CMD] [--hook-timeout SECONDS] [--strict] [--layout NAME|FILE]\n"
             "       [--interest-from due|business-day] DIR",
    .summary = "drop folder, once: import, file away and reconcile every complete file in DIR",
    .run = run,
};
