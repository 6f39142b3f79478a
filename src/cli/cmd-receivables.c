/* concilia receivables import FILE.csv...: load open debts from the ERP.
 * Each file is one transaction: a bad row refuses the whole file. */
#include "config.h"
#include <stdio.h>
#include <string.h>

#include "cli/cli_util.h"
#include "codec/receivables_csv.h"
#include "core/fileio.h"

struct load_ctx {
	struct ledger *lg;
	const char *filename;
	long inserted, updated, unchanged;
};

static int on_row(void *ctx, const struct receivable_row *row, struct diag *d)
{
	struct load_ctx *lc = ctx;
	enum ledger_change change;
	if (ledger_receivable_put(lc->lg, lc->filename, row, &change, d))
		return -1;
	if (change == LEDGER_INSERTED)
		lc->inserted++;
	else if (change == LEDGER_UPDATED)
		lc->updated++;
	else
		lc->unchanged++;
	return 0;
}

static int import_one(struct cli *cli, struct ledger *lg, const char *path)
{
	struct file_bytes fb;
	struct diag d;
	struct load_ctx lc = {.lg = lg, .filename = path};
	diag_clear(&d);
	if (file_bytes_read(path, &fb, &d) != 0) {
		cli_print_diag(&d);
		return EXIT_REJECTED;
	}
	int rc = EXIT_CLEAN;
	if (ledger_begin(lg, &d) != 0) {
		rc = EXIT_SYSTEM;
	} else if (receivables_csv_parse(path, fb.data, fb.len, on_row, &lc, cli_warning_sink, cli, &d) < 0) {
		/* A ledger error inside the callback is a system error; anything
		 * else is the file's fault. */
		rc = EXIT_REJECTED;
	} else {
		char detail[200];
		snprintf(detail, sizeof detail, "%ld new, %ld updated, %ld unchanged", lc.inserted, lc.updated,
			 lc.unchanged);
		if (ledger_journal(lg, "receivables.import", path, detail, &d) || ledger_commit(lg, &d))
			rc = EXIT_SYSTEM;
	}
	if (rc != EXIT_CLEAN) {
		ledger_rollback(lg);
		cli_print_diag(&d);
		fprintf(stderr, "%s: refused, nothing imported\n", path);
	} else if (!cli->quiet) {
		printf("%s: %ld receivables: %ld new, %ld updated, %ld unchanged\n", path,
		       lc.inserted + lc.updated + lc.unchanged, lc.inserted, lc.updated, lc.unchanged);
	}
	file_bytes_release(&fb);
	return rc;
}

static int run(struct cli *cli, int argc, char **argv)
{
	if (argc < 3 || strcmp(argv[1], "import") != 0)
		return cli_usage(&cmd_receivables, argc < 2 ? "missing subcommand" : "expected 'import FILE...'");
	int status;
	struct ledger *lg = cli_open_ledger(cli, &status);
	if (!lg)
		return status;
	int worst = EXIT_CLEAN;
	for (int i = 2; i < argc; i++) {
		int rc = import_one(cli, lg, argv[i]);
		if (rc > worst)
			worst = rc;
	}
	ledger_close(lg);
	return worst;
}

const struct command cmd_receivables = {
	.name = "receivables",
	.usage = "import FILE.csv...",
	.summary = "import open debts exported by the ERP (CSV)",
	.run = run,
};
