/* concilia report: the reconciliation outcome for people and machines. */
#include "config.h"
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_util.h"
#include "core/money.h"
#include "render/report.h"

enum report_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_CSV, FORMAT_XLSX, FORMAT_HTML };

static int format_from_name(const char *name, enum report_format *out)
{
	static const char *const names[] = {"text", "json", "csv", "xlsx", "html"};
	for (int i = 0; i < 5; i++)
		if (strcmp(name, names[i]) == 0) {
			*out = (enum report_format)i;
			return 0;
		}
	return -1;
}

static int write_report(const struct report *r, enum report_format f, enum report_csv_dialect dialect, FILE *fp)
{
	switch (f) {
	case FORMAT_JSON:
		return report_write_json(r, fp);
	case FORMAT_CSV:
		return report_write_csv(r, dialect, fp);
	case FORMAT_XLSX:
		return report_write_xlsx(r, fp);
	case FORMAT_HTML:
		return report_write_html(r, fp);
	case FORMAT_TEXT:
		break;
	}
	return report_write_text(r, fp);
}

static int run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
					     {"output", required_argument, NULL, 'o'},
					     {"csv-dialect", required_argument, NULL, 'D'},
					     {"from", required_argument, NULL, 'F'},
					     {"as-of", required_argument, NULL, 'A'},
					     {NULL, 0, NULL, 0}};
	const char *format = cli->format ? cli->format : "text", *output = NULL, *from = NULL, *as_of = NULL;
	const char *dialect_name = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "f:o:", opts, NULL)) != -1) {
		if (c == 'f')
			format = optarg;
		else if (c == 'o')
			output = optarg;
		else if (c == 'D')
			dialect_name = optarg;
		else if (c == 'F')
			from = optarg;
		else if (c == 'A')
			as_of = optarg;
		else
			return cli_usage(&cmd_report, NULL);
	}
	enum report_format f;
	if (format_from_name(format, &f) != 0)
		return cli_usage(&cmd_report, "--format takes text, csv, json, xlsx or html");
	enum report_csv_dialect dialect = REPORT_CSV_RFC4180;
	if (dialect_name) {
		if (strcmp(dialect_name, "excel-br") == 0)
			dialect = REPORT_CSV_EXCEL_BR;
		else if (strcmp(dialect_name, "rfc4180") != 0)
			return cli_usage(&cmd_report, "--csv-dialect takes rfc4180 or excel-br");
		if (f != FORMAT_CSV)
			return cli_usage(&cmd_report, "--csv-dialect goes with --format csv");
	}
	if (optind != argc)
		return cli_usage(&cmd_report, "takes no file arguments (use -o FILE)");
	/* A zip on a terminal is garbage and can upset it. */
	if (f == FORMAT_XLSX && (!output || strcmp(output, "-") == 0) && isatty(STDOUT_FILENO))
		return cli_usage(&cmd_report, "XLSX is binary: write it with -o FILE.xlsx (or redirect stdout)");

	struct diag d;
	struct report_period period;
	diag_clear(&d);
	if (report_period_parse(from, as_of, &period, &d) != 0) {
		cli_print_diag(&d);
		return EXIT_REJECTED;
	}
	int status;
	struct ledger *lg = cli_open_ledger(cli, &status);
	if (!lg)
		return status;
	struct report r;
	int rc = report_load(lg, cli->db_path, &period, &r, &d);
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
	int ok = write_report(&r, f, dialect, out.fp) == 0;
	int64_t difference = balance_proof_difference(&r.proof);
	report_free(&r);
	if (cli_output_close(&out, ok) != 0) {
		fprintf(stderr, "concilia report: writing the report failed\n");
		return EXIT_SYSTEM;
	}
	if (difference != 0) {
		/* Cannot happen by construction of the proof; if the ledger holds
		 * something the proof does not model, a person must look. */
		char amount[40];
		money_format_brl(difference, amount, sizeof amount);
		fprintf(stderr, "concilia report: the balance proof does not close: difference %s\n", amount);
		return EXIT_ATTENTION;
	}
	return EXIT_CLEAN;
}

const struct command cmd_report = {
	.name = "report",
	.usage = "[--format text|csv|json|xlsx|html] [--csv-dialect rfc4180|excel-br] [--from DATE]"
		 " [--as-of DATE] [-o FILE]",
	.summary = "print the reconciliation outcome (totals per category, exceptions, balance proof)",
	.run = run,
};
