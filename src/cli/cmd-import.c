/* concilia import FILE...: read bank return files into the ledger.
 * A file is identified by its SHA-256: the same bytes twice is a no-op.
 * Each file is one transaction: refused files leave no trace. */
#include "config.h"
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli_util.h"
#include "codec/cnab240.h"
#include "core/date.h"
#include "core/fileio.h"
#include "core/sha256.h"

struct import_ctx {
	struct ledger *lg;
	int64_t import_id;
	long events, payments, duplicates;
};

static int on_event(void *ctx, const struct bank_event *ev, struct diag *d)
{
	struct import_ctx *ic = ctx;
	bool inserted;
	if (ledger_event_add(ic->lg, ic->import_id, ev, &inserted, d))
		return -1;
	if (inserted) {
		ic->events++;
		if (event_kind_is_payment(ev->kind))
			ic->payments++;
	} else {
		ic->duplicates++;
	}
	return 0;
}

/* Length of the first record, after a UTF-8 BOM: tells CNAB 240 from 400. */
static size_t first_record_length(const unsigned char *p, size_t n)
{
	size_t i = 0;
	if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		i = 3;
	size_t start = i;
	while (i < n && p[i] != '\n' && p[i] != '\r')
		i++;
	return i - start;
}

static int import_one(struct cli *cli, struct ledger *lg, const char *path, int dry_run)
{
	struct file_bytes fb;
	struct diag d;
	char sha[SHA256_HEX_LEN + 1];
	struct ledger_import_info prior;
	diag_clear(&d);
	if (file_bytes_read(path, &fb, &d) != 0) {
		cli_print_diag(&d);
		return EXIT_REJECTED;
	}
	if (sha256_hex(fb.data, fb.len, sha) != 0) {
		file_bytes_release(&fb);
		fprintf(stderr, "%s: cannot compute SHA-256\n", path);
		return EXIT_SYSTEM;
	}
	int found = ledger_import_lookup(lg, sha, &prior, &d);
	if (found != 0) {
		file_bytes_release(&fb);
		if (found < 0) {
			cli_print_diag(&d);
			return EXIT_SYSTEM;
		}
		if (!cli->quiet)
			printf("%s: already imported on %s by %s as import #%lld (%s); nothing to do\n", path,
			       prior.imported_at, prior.actor, (long long)prior.id, prior.filename);
		return EXIT_CLEAN;
	}
	size_t reclen = first_record_length(fb.data, fb.len);
	if (reclen >= 390 && reclen <= 450) {
		file_bytes_release(&fb);
		fprintf(stderr, "%s:1:1: error: this looks like a CNAB 400 file (first record has %zu characters); "
				"this version of concilia reads CNAB 240 returns only\n",
			path, reclen);
		return EXIT_REJECTED;
	}

	struct import_ctx ic = {.lg = lg};
	struct cnab_file_info info;
	struct ledger_import_header h = {.format = "cnab240", .generated = CDATE_NONE};
	int rc = EXIT_CLEAN;
	memset(&info, 0, sizeof info);
	if (ledger_begin(lg, &d) || ledger_import_add(lg, sha, path, fb.data, fb.len, &h, &ic.import_id, &d)) {
		rc = EXIT_SYSTEM;
	} else if (cnab240_parse(NULL, path, fb.data, fb.len, &info, on_event, &ic, cli_warning_sink, cli, &d)) {
		rc = EXIT_REJECTED;
	} else {
		h.layout = info.layout_name;
		h.bank = info.bank;
		h.agreement = info.agreement;
		h.nsa = info.nsa;
		h.generated = info.generated;
		h.records = info.records;
		char detail[300];
		snprintf(detail, sizeof detail, "sha256 %s; bank %03d; NSA %ld; %ld events, %ld duplicates", sha,
			 info.bank, info.nsa, ic.events, ic.duplicates);
		if (ledger_import_finish(lg, ic.import_id, &h, ic.events, ic.duplicates, &d) ||
		    ledger_journal(lg, "import", path, detail, &d))
			rc = EXIT_SYSTEM;
		else if (dry_run)
			ledger_rollback(lg);
		else if (ledger_commit(lg, &d))
			rc = EXIT_SYSTEM;
	}
	if (rc != EXIT_CLEAN) {
		ledger_rollback(lg);
		cli_print_diag(&d);
		fprintf(stderr, "%s: refused, nothing imported\n", path);
	} else if (!cli->quiet) {
		char gen[16];
		date_format_iso(info.generated, gen, sizeof gen);
		printf("%s: %s%ld titles, %ld new events (%ld payments), %ld already known; bank %03d, "
		       "NSA %ld, generated %s\n",
		       path, dry_run ? "[dry run, nothing saved] " : "", info.titles, ic.events, ic.payments,
		       ic.duplicates, info.bank, info.nsa, gen[0] ? gen : "-");
	}
	file_bytes_release(&fb);
	return rc;
}

static int run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"dry-run", no_argument, NULL, 'n'}, {NULL, 0, NULL, 0}};
	int dry_run = 0, c;
	while ((c = getopt_long(argc, argv, "n", opts, NULL)) != -1) {
		if (c == 'n')
			dry_run = 1;
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
		int rc = import_one(cli, lg, argv[i], dry_run);
		if (rc > worst)
			worst = rc;
	}
	ledger_close(lg);
	return worst;
}

const struct command cmd_import = {
	.name = "import",
	.usage = "[--dry-run] FILE...",
	.summary = "import bank return files (CNAB 240 cobrança retorno)",
	.run = run,
};
