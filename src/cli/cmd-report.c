/* concilia report: the reconciliation outcome for people and machines. */
#include "config.h"
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli_util.h"
#include "render/report.h"

static int run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
					     {"output", required_argument, NULL, 'o'},
					     {NULL, 0, NULL, 0}};
	const char *format = "text", *output = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "f:o:", opts, NULL)) != -1) {
		if (c == 'f')
			format = optarg;
		else if (c == 'o')
			output = optarg;
		else
			return cli_usage(&cmd_report, NULL);
	}
	int (*writer)(const struct report *, FILE *) = NULL;
	if (strcmp(format, "text") == 0)
		writer = report_write_text;
	else if (strcmp(format, "json") == 0)
		writer = report_write_json;
	else if (strcmp(format, "csv") == 0)
		writer = report_write_csv;
	else
		return cli_usage(&cmd_report, "--format takes text, json or csv");
	if (optind != argc)
		return cli_usage(&cmd_report, "takes no file arguments (use -o FILE)");

	int status;
	struct ledger *lg = cli_open_ledger(cli, &status);
	if (!lg)
		return status;
	struct report r;
	struct diag d;
	diag_clear(&d);
	int rc = report_load(lg, cli->db_path, &r, &d);
	ledger_close(lg);
	if (rc != 0) {
		cli_print_diag(&d);
		return EXIT_SYSTEM;
	}
	struct cli_output out;
	if (cli_output_open(&out, output) != 0) {
		report_free(&r);
		return EXIT_SYSTEM;
	}
	int ok = writer(&r, out.fp) == 0;
	report_free(&r);
	if (cli_output_close(&out, ok) != 0) {
		fprintf(stderr, "concilia report: writing the report failed\n");
		return EXIT_SYSTEM;
	}
	return EXIT_CLEAN;
}

const struct command cmd_report = {
	.name = "report",
	.usage = "[--format text|json|csv] [-o FILE]",
	.summary = "print the reconciliation outcome (totals per category, items needing attention)",
	.run = run,
};
