/* concilia init: create the ledger (harmless when it exists). */
#include "config.h"
#include <stdio.h>

#include "cli/cli_util.h"

static int run(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_usage(&cmd_init, "takes no arguments");
	struct ledger *lg;
	struct diag d;
	bool created;
	diag_clear(&d);
	if (ledger_open(cli->db_path, true, &lg, &created, &d) != 0) {
		cli_print_diag(&d);
		return EXIT_SYSTEM;
	}
	int rc = EXIT_CLEAN;
	if (created) {
		if (ledger_begin(lg, &d) || ledger_journal(lg, "ledger.init", cli->db_path, NULL, &d) ||
		    ledger_commit(lg, &d)) {
			cli_print_diag(&d);
			rc = EXIT_SYSTEM;
		}
	}
	if (rc == EXIT_CLEAN && !cli->quiet)
		printf("%s: %s (schema version %d)\n", cli->db_path,
		       created ? "ledger created" : "ledger already exists, up to date", ledger_schema_version());
	ledger_close(lg);
	return rc;
}

const struct command cmd_init = {
	.name = "init",
	.usage = "",
	.summary = "create the ledger (running it again is harmless)",
	.run = run,
};
