/* concilia undo ALLOCATION --reason TEXT: take back money the matcher or a
 * person applied, by a compensating row (nothing is edited). The payment
 * goes back to the exception queue; the receivable is open again. */
#include "config.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli_util.h"
#include "core/money.h"
#include "reconcile/exceptions.h"

static int run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"reason", required_argument, NULL, 'r'}, {NULL, 0, NULL, 0}};
	const char *reason = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'r')
			reason = optarg;
		else
			return cli_usage(&cmd_undo, NULL);
	}
	if (optind != argc - 1)
		return cli_usage(&cmd_undo, "expected exactly one ALLOCATION id");
	char *end;
	long long id = strtoll(argv[optind], &end, 10);
	if (*end || id <= 0)
		return cli_usage(&cmd_undo, "ALLOCATION is the number shown by 'concilia exceptions show' or the report");
	if (!reason || !reason[0])
		return cli_usage(&cmd_undo, "--reason is required: the journal keeps why money was taken back");
	int status;
	struct ledger *lg = cli_open_ledger(cli, &status);
	if (!lg)
		return status;
	struct diag d;
	int64_t cents;
	diag_clear(&d);
	enum human_refusal r = exceptions_undo(lg, id, reason, &cents, &d);
	ledger_close(lg);
	if (r != HUMAN_OK) {
		fprintf(stderr, "concilia undo: %s\n", d.msg);
		return r == HUMAN_REFUSED ? EXIT_REJECTED : EXIT_SYSTEM;
	}
	if (!cli->quiet) {
		char amount[40];
		money_format_brl(cents, amount, sizeof amount);
		printf("allocation %lld undone: %s is open again on its receivable; the payment is back in "
		       "'concilia exceptions'\n",
		       id, amount);
	}
	return EXIT_CLEAN;
}

const struct command cmd_undo = {
	.name = "undo",
	.usage = "ALLOCATION --reason TEXT",
	.summary = "take back an allocation with a compensating row (journaled with the reason)",
	.run = run,
};
