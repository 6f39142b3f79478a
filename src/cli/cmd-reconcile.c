/* concilia reconcile: match every new payment to its receivable and record
 * the outcome. Exit 1 when this run found anything that needs a human. */
#include "config.h"
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli_util.h"
#include "core/money.h"
#include "reconcile/reconcile.h"

static int run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"interest-from", required_argument, NULL, 'i'},
					     {"tolerance", required_argument, NULL, 't'},
					     {"allow-third-party", no_argument, NULL, 'p'},
					     {NULL, 0, NULL, 0}};
	struct reconcile_options opt = {.interest_start = INTEREST_FROM_DUE_DATE, .today = CDATE_NONE};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		const char *why = NULL;
		if (c == 't') {
			if (money_parse_decimal(optarg, strlen(optarg), &opt.tolerance_cents, &why) != 0 ||
			    opt.tolerance_cents < 0)
				return cli_usage(&cmd_reconcile, "--tolerance takes an amount like 0.50");
		} else if (c == 'p')
			opt.allow_third_party = true;
		else if (c == 'i' && strcmp(optarg, "due") == 0)
			opt.interest_start = INTEREST_FROM_DUE_DATE;
		else if (c == 'i' && strcmp(optarg, "business-day") == 0)
			opt.interest_start = INTEREST_FROM_EFFECTIVE_DUE;
		else
			return cli_usage(&cmd_reconcile, c == 'i' ? "--interest-from takes 'due' or 'business-day'"
								  : NULL);
	}
	if (optind != argc)
		return cli_usage(&cmd_reconcile, "takes no file arguments");
	int status;
	struct calendar *cal = cli_calendar(cli, &status);
	if (!cal)
		return status;
	struct ledger *lg = cli_open_ledger(cli, &status);
	if (!lg) {
		calendar_free(cal);
		return status;
	}
	struct reconcile_summary sum;
	struct diag d;
	diag_clear(&d);
	opt.calendar = cal;
	int rc = reconcile_run(lg, &opt, &sum, &d);
	calendar_free(cal);
	ledger_close(lg);
	if (rc != 0) {
		cli_print_diag(&d);
		return EXIT_SYSTEM;
	}
	if (!cli->quiet) {
		printf("reconciled %ld new bank event%s\n", sum.events, sum.events == 1 ? "" : "s");
		for (int i = 0; i < OUTCOME_COUNT; i++) {
			char amount[40];
			if (!sum.count[i])
				continue;
			money_format_brl(sum.cents[i], amount, sizeof amount);
			printf("  %-24s %6ld  %s\n", outcome_name((enum outcome_category)i), sum.count[i], amount);
		}
		if (sum.needs_human)
			printf("%ld need%s a human: see 'concilia exceptions'%s\n", sum.needs_human,
			       sum.needs_human == 1 ? "s" : "",
			       sum.proposals ? " (some with a proposed receivable)" : "");
	}
	return sum.needs_human ? EXIT_ATTENTION : EXIT_CLEAN;
}

const struct command cmd_reconcile = {
	.name = "reconcile",
	.usage = "[--interest-from due|business-day] [--tolerance AMOUNT] [--allow-third-party]",
	.summary = "match imported payments and bank events to receivables and classify each one",
	.run = run,
};
