/* concilia journal verify: proves nobody edited the ledger behind
 * concilia's back (hash chain, run digests, kept files, triggers). */
#include "config.h"
#include <stdio.h>
#include <string.h>

#include "cli/cli_util.h"

static void print_problem(void *ctx, const char *msg)
{
	const char *db = ctx;
	printf("%s: %s\n", db, msg);
}

static int run(struct cli *cli, int argc, char **argv)
{
	if (argc != 2 || strcmp(argv[1], "verify") != 0)
		return cli_usage(&cmd_journal, "the only subcommand is 'verify'");
	int status;
	struct ledger *lg = cli_open_ledger(cli, &status);
	if (!lg)
		return status;
	struct ledger_verify_report r;
	struct diag d;
	diag_clear(&d);
	int rc = ledger_verify(lg, &r, print_problem, (void *)cli->db_path, &d);
	ledger_close(lg);
	if (rc != 0) {
		cli_print_diag(&d);
		return EXIT_SYSTEM;
	}
	if (r.problems) {
		printf("%s: %ld problem%s: the ledger was changed outside concilia\n", cli->db_path, r.problems,
		       r.problems == 1 ? "" : "s");
		return EXIT_ATTENTION;
	}
	if (!cli->quiet)
		printf("%s: journal intact: %ld entries chained, %ld reconciliation runs and %ld imported files "
		       "match what was journaled\n",
		       cli->db_path, r.journal_rows, r.runs_checked, r.imports_checked);
	return EXIT_CLEAN;
}

const struct command cmd_journal = {
	.name = "journal",
	.usage = "verify",
	.summary = "verify the hash-chained journal and that the ledger was not edited behind concilia's back",
	.run = run,
};
