/* concilia import FILE...: read bank return files into the ledger.
 * A file is identified by its SHA-256: the same bytes twice is a no-op.
 * Each file is one transaction: refused files leave no trace. */
#include "config.h"
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli_util.h"
#include "codec/bank_file.h"
#include "core/date.h"
#include "core/fileio.h"
#include "core/sha256.h"

struct import_ctx {
	struct ledger *lg;
	int forced_bank; /* --layout of one bank: its events belong to that bank */
	const struct file_bytes *fb;
	size_t record_step; /* record length + 1: a lower bound of the bytes per line */
	size_t dropped;     /* bytes of the input released from memory so far */
	int64_t import_id;
	long events, payments, duplicates;
};

static int on_event(void *ctx, const struct bank_event *ev, struct diag *d)
{
	struct import_ctx *ic = ctx;
	struct bank_event copy;
	if (ic->forced_bank && ev->bank != ic->forced_bank) {
		/* Unicred files carry 001 or 748 in their header: the layout the
		 * user chose says whose titles these are. */
		copy = *ev;
		copy.bank = ic->forced_bank;
		ev = &copy;
	}
	if (ledger_event_queue(ic->lg, ic->import_id, ev, d))
		return -1;
	/* Release what the reader has gone past, so that the resident set stays
	 * flat whatever the file size. The position is a lower bound (lines may
	 * be longer, with CRLF), and a page dropped too early is only read
	 * again from the page cache. */
	size_t passed = (size_t)ev->line_end * ic->record_step;
	if (passed > ic->dropped + (16u << 20) + (1u << 20)) {
		file_bytes_drop(ic->fb, ic->dropped, passed - (1u << 20));
		ic->dropped = passed - (1u << 20);
	}
	return 0;
}

struct import_options {
	int dry_run;
	int strict;
	const char *layout_path;
};

/* Warnings are printed; under --strict the first one also refuses the file. */
struct warn_ctx {
	struct cli *cli;
	int strict;
	long count;
};

static void on_warning(void *ctx, const struct diag *d)
{
	struct warn_ctx *wc = ctx;
	wc->count++;
	cli_warning_sink(wc->cli, d);
}

/* SEQUENCE_GAP and late files: warnings (refusals under --strict). */
static void sequence_warning(const char *path, const struct cnab_file_info *info, long max_nsa,
			     struct warn_ctx *wc)
{
	if (max_nsa <= 0 || info->nsa <= 0)
		return;
	if (info->nsa > max_nsa + 1)
		diag_warn(on_warning, wc, path, 1, 158, "nsa",
			  "SEQUENCE_GAP: file sequence jumps from %ld to %ld for bank %03d, convênio '%s': "
			  "%ld file%s missing?",
			  max_nsa, info->nsa, info->bank, info->agreement, info->nsa - max_nsa - 1,
			  info->nsa - max_nsa - 1 == 1 ? "" : "s");
	else if (info->nsa < max_nsa)
		diag_warn(on_warning, wc, path, 1, 158, "nsa",
			  "file sequence %ld is older than the newest imported (%ld) for bank %03d, convênio '%s'",
			  info->nsa, max_nsa, info->bank, info->agreement);
}

/* What the ledger records of a parsed file's header. */
static struct ledger_import_header import_header(const char *family, const struct cnab_file_info *info)
{
	return (struct ledger_import_header){.format = family,
					     .layout = info->layout_name,
					     .bank = info->bank,
					     .agreement = info->agreement,
					     .nsa = info->nsa,
					     .generated = info->generated,
					     .records = info->records};
}

/* Records the file as held (bytes kept, no events) in its own transaction. */
static int hold_file(struct ledger *lg, const char *path, const char *sha, const struct file_bytes *fb,
		     const char *family, const struct cnab_file_info *info, int64_t conflict, int dry_run,
		     struct diag *d)
{
	char reason[200];
	int64_t id;
	struct ledger_import_header h = import_header(family, info);
	snprintf(reason, sizeof reason,
		 "SEQUENCE_CONFLICT: NSA %ld of bank %03d, convênio '%s' was already imported as import #%lld "
		 "with different content",
		 info->nsa, info->bank, info->agreement, (long long)conflict);
	if (!dry_run) {
		if (ledger_begin(lg, d) || ledger_import_add(lg, sha, path, fb->data, fb->len, &h, &id, d) ||
		    ledger_import_finish(lg, id, &h, 0, 0, d) || ledger_import_hold(lg, id, reason, d) ||
		    ledger_import_keep_bytes(lg, id, sha, fb, d) ||
		    ledger_journal(lg, "import.held", path, reason, d) || ledger_commit(lg, d)) {
			ledger_rollback(lg);
			return EXIT_SYSTEM;
		}
	}
	fprintf(stderr, "%s:1:158: error: field 'nsa': %s\n%s: held for a human%s, nothing imported\n", path,
		reason, path, dry_run ? " (dry run: not recorded)" : "");
	return EXIT_ATTENTION;
}

static int import_one(struct cli *cli, struct ledger *lg, const char *path, const struct import_options *opt)
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
	if (file_bytes_sha256(&fb, sha) != 0) {
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
		if (prior.held) {
			fprintf(stderr, "%s: received on %s by %s as import #%lld and held for a human: %s\n", path,
				prior.imported_at, prior.actor, (long long)prior.id, prior.hold_reason);
			return EXIT_ATTENTION;
		}
		if (!cli->quiet)
			printf("%s: already imported on %s by %s as import #%lld (%s); nothing to do\n", path,
			       prior.imported_at, prior.actor, (long long)prior.id, prior.filename);
		return EXIT_CLEAN;
	}
	struct bank_file_format fmt;
	struct layout *own = NULL;
	if (bank_file_detect(path, fb.data, fb.len, opt->layout_path, &fmt, &own, &d) != 0) {
		file_bytes_release(&fb);
		cli_print_diag(&d);
		fprintf(stderr, "%s: refused, nothing imported\n", path);
		return EXIT_REJECTED;
	}

	struct import_ctx ic = {.lg = lg,
				.forced_bank = opt->layout_path ? layout_single_bank(fmt.layout) : 0,
				.fb = &fb,
				/* statements have no fixed record length: no early release */
				.record_step = fmt.layout ? (size_t)layout_length(fmt.layout) + 1 : 0};
	struct warn_ctx wc = {.cli = cli, .strict = opt->strict};
	int64_t conflict = 0;
	long max_nsa = 0;
	struct cnab_file_info info;
	struct ledger_import_header h = {.format = fmt.family, .generated = CDATE_NONE};
	struct ledger_event_counts counts;
	int rc = EXIT_CLEAN;
	memset(&info, 0, sizeof info);
	if (ledger_begin(lg, &d) || ledger_import_add(lg, sha, path, fb.data, fb.len, &h, &ic.import_id, &d) ||
	    (!opt->dry_run && ledger_import_keep_bytes_start(lg, sha, &fb, &d))) {
		rc = EXIT_SYSTEM;
	} else if (bank_file_parse(&fmt, path, fb.data, fb.len, &info, on_event, &ic, on_warning, &wc, &d) ||
		   ledger_event_flush(lg, &counts, &d)) {
		rc = EXIT_REJECTED;
	} else if ((ic.events = counts.events, ic.payments = counts.payments, ic.duplicates = counts.duplicates,
		    0)) {
	} else if (info.nsa > 0 &&
		   ledger_import_sequence(lg, info.bank, info.agreement, info.nsa, &conflict, &max_nsa, &d)) {
		rc = EXIT_SYSTEM;
	} else if (conflict) {
		/* Same bank, convênio and NSA, different bytes: a corrected or
		 * forged file. Neither copy may win silently. */
		ledger_rollback(lg);
		rc = hold_file(lg, path, sha, &fb, fmt.family, &info, conflict, opt->dry_run, &d);
	} else if ((sequence_warning(path, &info, max_nsa, &wc), 0)) {
	} else if (opt->strict && wc.count > 0) {
		diag_set(&d, DIAG_ERROR, path, 0, 0, NULL, "%ld warning%s and --strict is on", wc.count,
			 wc.count == 1 ? "" : "s");
		rc = EXIT_REJECTED;
	} else {
		if (ic.forced_bank && info.bank != ic.forced_bank) {
			if (!cli->quiet)
				fprintf(stderr, "%s: note: header says bank %03d; read as bank %03d (layout %s)\n", path,
					info.bank, ic.forced_bank, layout_name(fmt.layout));
			info.bank = ic.forced_bank;
		}
		h = import_header(fmt.family, &info);
		char detail[300];
		snprintf(detail, sizeof detail, "sha256 %s; bank %03d; NSA %ld; %ld events, %ld duplicates", sha,
			 info.bank, info.nsa, ic.events, ic.duplicates);
		if (ledger_import_finish(lg, ic.import_id, &h, ic.events, ic.duplicates, &d) ||
		    ledger_journal(lg, "import", path, detail, &d) ||
		    (!opt->dry_run && ledger_import_keep_bytes(lg, ic.import_id, sha, &fb, &d)))
			rc = EXIT_SYSTEM;
		else if (opt->dry_run)
			ledger_rollback(lg);
		else if (ledger_commit(lg, &d))
			rc = EXIT_SYSTEM;
	}
	if (rc == EXIT_ATTENTION) {
		/* held: already said */
	} else if (rc != EXIT_CLEAN) {
		ledger_rollback(lg);
		cli_print_diag(&d);
		fprintf(stderr, "%s: refused, nothing imported\n", path);
	} else if (!cli->quiet && fmt.statement) {
		char gen[16];
		date_format_iso(info.generated, gen, sizeof gen);
		printf("%s: %s%ld entr%s, %ld new event%s (%ld payment%s), %ld already known; %s %s, account %s, "
		       "generated %s\n",
		       path, opt->dry_run ? "[dry run, nothing saved] " : "", info.titles, info.titles == 1 ? "y" : "ies",
		       ic.events, ic.events == 1 ? "" : "s", ic.payments, ic.payments == 1 ? "" : "s", ic.duplicates,
		       fmt.family, info.layout_name ? info.layout_name : "", info.agreement[0] ? info.agreement : "-",
		       gen[0] ? gen : "-");
	} else if (!cli->quiet) {
		char gen[16];
		date_format_iso(info.generated, gen, sizeof gen);
		printf("%s: %s%ld title%s, %ld new event%s (%ld payment%s), %ld already known; bank %03d, "
		       "NSA %ld, generated %s\n",
		       path, opt->dry_run ? "[dry run, nothing saved] " : "", info.titles, info.titles == 1 ? "" : "s",
		       ic.events, ic.events == 1 ? "" : "s", ic.payments, ic.payments == 1 ? "" : "s", ic.duplicates,
		       info.bank, info.nsa, gen[0] ? gen : "-");
	}
	layout_free(own);
	file_bytes_release(&fb);
	return rc;
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
	.summary = "import bank return files (CNAB 240 and CNAB 400 cobrança retorno)",
	.run = run,
};
