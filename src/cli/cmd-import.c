/* concilia import FILE...: read bank return files into the ledger.
 * A file is identified by its SHA-256: the same bytes twice is a no-op.
 * Each file is one transaction: refused files leave no trace. */
#include "config.h"
#include <getopt.h>
#include <stdio.h>

#include "cli/cli_util.h"
#include "core/date.h"
#include "intake/intake.h"

struct import_options {
	int dry_run;
	int strict;
	const char *layout_path;
};

/* Says what became of one file; returns its exit status. */
static int report_one(struct cli *cli, const char *path, const struct intake_result *r, int dry_run)
{
	char gen[16];
	switch (r->status) {
	case INTAKE_KNOWN:
		if (!cli->quiet)
			printf("%s: already imported on %s by %s as import #%lld (%s); nothing to do\n", path,
			       r->prior.imported_at, r->prior.actor, (long long)r->prior.id, r->prior.filename);
		return EXIT_CLEAN;
	case INTAKE_KNOWN_HELD:
		fprintf(stderr, "%s: received on %s by %s as import #%lld and held for a human: %s\n", path,
			r->prior.imported_at, r->prior.actor, (long long)r->prior.id, r->prior.hold_reason);
		return EXIT_ATTENTION;
	case INTAKE_HELD:
		fprintf(stderr, "%s:1:158: error: field 'nsa': %s\n%s: held for a human%s, nothing imported\n", path,
			r->hold_reason, path, dry_run ? " (dry run: not recorded)" : "");
		return EXIT_ATTENTION;
	case INTAKE_REJECTED:
	case INTAKE_FAILED:
		cli_print_diag(&r->error);
		if (r->stage == INTAKE_STAGE_IMPORT)
			fprintf(stderr, "%s: refused, nothing imported\n", path);
		return r->status == INTAKE_REJECTED ? EXIT_REJECTED : EXIT_SYSTEM;
	case INTAKE_IMPORTED:
		break;
	}
	if (cli->quiet)
		return EXIT_CLEAN;
	date_format_iso(r->info.generated, gen, sizeof gen);
	/* Statement entries that are not money received (debits, pending) are
	 * counted apart: records - titles. */
	long entries = r->info.records > r->info.titles ? r->info.records : r->info.titles;
	char skipped[80] = "";
	if (r->statement && entries > r->info.titles)
		snprintf(skipped, sizeof skipped, " (%ld not money received, not imported)", entries - r->info.titles);
	if (r->statement)
		printf("%s: %s%ld entr%s%s, %ld new event%s (%ld payment%s), %ld already known; %s %s, account %s, "
		       "generated %s\n",
		       path, dry_run ? "[dry run, nothing saved] " : "", entries, entries == 1 ? "y" : "ies", skipped,
		       r->events, r->events == 1 ? "" : "s", r->payments, r->payments == 1 ? "" : "s", r->duplicates,
		       r->family, r->layout_name, r->info.agreement[0] ? r->info.agreement : "-", gen[0] ? gen : "-");
	else
		printf("%s: %s%ld title%s, %ld new event%s (%ld payment%s), %ld already known; bank %03d, "
		       "NSA %ld, generated %s\n",
		       path, dry_run ? "[dry run, nothing saved] " : "", r->info.titles, r->info.titles == 1 ? "" : "s",
		       r->events, r->events == 1 ? "" : "s", r->payments, r->payments == 1 ? "" : "s", r->duplicates,
		       r->info.bank, r->info.nsa, gen[0] ? gen : "-");
	return EXIT_CLEAN;
}

/* Notes say what a reader left out on purpose (a statement's debits):
 * shown with -v only; intake never counts them as warnings. */
static void import_warning(void *ctx, const struct diag *d)
{
	struct cli *cli = ctx;
	if (d->severity == DIAG_NOTE && !cli->verbose)
		return;
	cli_warning_sink(cli, d);
}

static int import_one(struct cli *cli, struct ledger *lg, const char *path, const struct import_options *opt)
{
	struct intake_options io = {.dry_run = opt->dry_run,
				    .strict = opt->strict,
				    .layout_path = opt->layout_path,
				    /* warnings are printed as they come, before the file's summary */
				    .warn = import_warning,
				    .warn_ctx = cli};
	struct intake_result r;
	intake_file(lg, path, &io, &r);
	return report_one(cli, path, &r, opt->dry_run);
}

static int run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"dry-run", no_argument, NULL, 'n'},
					     {"strict", no_argument, NULL, 's'},
					     {"layout", required_argument, NULL, 'l'},
					     {NULL, 0, NULL, 0}};
	struct import_options opt = {0};
	int c;
	while ((c = getopt_long(argc, argv, "n", opts, NULL)) != -1) {
		if (c == 'n')
			opt.dry_run = 1;
		else if (c == 's')
			opt.strict = 1;
		else if (c == 'l')
			opt.layout_path = optarg;
		else
			return cli_usage(&cmd_import, NULL);
	}
	if (optind >= argc)
		return cli_usage(&cmd_import, "no file given");
	int status;
	struct ledger *lg = cli_open_ledger(cli, &status);
	if (!lg)
		return status;
	int worst = EXIT_CLEAN;
	for (int i = optind; i < argc; i++) {
		int rc = import_one(cli, lg, argv[i], &opt);
		if (rc > worst)
			worst = rc;
	}
	ledger_close(lg);
	return worst;
}

const struct command cmd_import = {
	.name = "import",
	.usage = "[--dry-run] [--strict] [--layout FILE] FILE...",
	.summary = "import bank return files (CNAB 240 and CNAB 400 cobrança retorno, camt.053/054 statements)",
	.run = run,
};
