/* Intake of one bank file: identity, detection, one transaction. */
#include "config.h"
#include <stdio.h>
#include <string.h>

#include "codec/bank_file.h"
#include "core/date.h"
#include "intake/intake.h"

struct event_ctx {
	struct ledger *lg;
	int forced_bank; /* --layout of one bank: its events belong to that bank */
	const struct file_bytes *fb;
	size_t record_step; /* record length + 1: a lower bound of the bytes per line;
			     * for statements, the mean line length of the first MiB */
	size_t dropped;     /* bytes of the input released from memory so far */
	int64_t import_id;
};

static int on_event(void *ctx, const struct bank_event *ev, struct diag *d)
{
	struct event_ctx *ec = ctx;
	struct bank_event copy;
	if (ec->forced_bank && ev->bank != ec->forced_bank) {
		/* Unicred files carry 001 or 748 in their header: the layout the
		 * user chose says whose titles these are. */
		copy = *ev;
		copy.bank = ec->forced_bank;
		ev = &copy;
	}
	/* Written by the ledger's writer thread while parsing goes on; the
	 * counts come from ledger_event_flush once the file is parsed. */
	if (ledger_event_queue(ec->lg, ec->import_id, ev, d))
		return -1;
	/* Release what the reader has gone past, so that the resident set stays
	 * flat whatever the file size. The position is a lower bound (lines may
	 * be longer, with CRLF), and a page dropped too early is only read
	 * again from the page cache. */
	size_t passed = (size_t)ev->line_end * ec->record_step;
	if (passed > ec->dropped + (16u << 20) + (1u << 20)) {
		file_bytes_drop(ec->fb, ec->dropped, passed - (1u << 20));
		ec->dropped = passed - (1u << 20);
	}
	return 0;
}

/* Statements have no fixed record length, but XML written by a bank is
 * uniform: the mean line length of the first MiB says roughly where line N
 * is, enough to release the pages a statement reader has gone past (a page
 * released early is only read again). 0 (never release) for files of one
 * long line. */
static size_t statement_line_step(const struct file_bytes *fb)
{
	size_t sample = fb->len < ((size_t)1 << 20) ? fb->len : (size_t)1 << 20, lines = 0;
	for (const unsigned char *p = fb->data, *end = fb->data + sample; (p = memchr(p, '\n', (size_t)(end - p)));
	     p++)
		lines++;
	return lines ? sample / lines : 0;
}

/* Warnings are counted (--strict refuses on the first) and passed on.
 * Notes are passed on, not counted. */
struct warn_ctx {
	const struct intake_options *opt;
	struct intake_result *r;
};

static void on_warning(void *ctx, const struct diag *d)
{
	struct warn_ctx *wc = ctx;
	if (d->severity == DIAG_WARNING)
		wc->r->warnings++;
	if (wc->opt->warn)
		wc->opt->warn(wc->opt->warn_ctx, d);
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
		diag_warn(
		    on_warning, wc, path, 1, 158, "nsa",
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

/* The parsed header goes into the result; layout_name is copied, since the
 * layout it points into may be freed before the caller reads it. */
static void keep_info(struct intake_result *r, const struct cnab_file_info *info)
{
	r->info = *info;
	snprintf(r->layout_name, sizeof r->layout_name, "%s", info->layout_name ? info->layout_name : "");
	r->info.layout_name = r->layout_name[0] ? r->layout_name : NULL;
}

static int call_before_commit(const struct intake_options *opt, struct ledger *lg,
                              const struct intake_result *r, struct diag *d)
{
	return opt->before_commit ? opt->before_commit(opt->before_commit_ctx, lg, r, d) : 0;
}

/* Records the file as held (bytes kept, no events) in its own transaction. */
static enum intake_status hold_file(struct ledger *lg, const char *path, const struct file_bytes *fb,
                                    const char *family, const struct cnab_file_info *info, int64_t conflict,
                                    const struct intake_options *opt, struct intake_result *r)
{
	int64_t id = 0;
	struct ledger_import_header h = import_header(family, info);
	struct diag *d = &r->error;
	snprintf(
	    r->hold_reason, sizeof r->hold_reason,
	    "SEQUENCE_CONFLICT: NSA %ld of bank %03d, convênio '%s' was already imported as import #%lld "
	    "with different content",
	    info->nsa, info->bank, info->agreement, (long long)conflict);
	if (!opt->dry_run) {
		if (ledger_begin(lg, d) ||
		    ledger_import_add(lg, r->sha256, path, fb->data, fb->len, &h, &id, d) ||
		    ledger_import_finish(lg, id, &h, 0, 0, d) ||
		    ledger_import_hold(lg, id, r->hold_reason, d) ||
		    ledger_import_keep_bytes(lg, id, r->sha256, fb, d) ||
		    ledger_journal(lg, "import.held", path, r->hold_reason, d))
			return INTAKE_FAILED;
		r->import_id = id;
		r->status = INTAKE_HELD;
		if (call_before_commit(opt, lg, r, d) || ledger_commit(lg, d)) {
			r->import_id = 0;
			return INTAKE_FAILED;
		}
	}
	return INTAKE_HELD;
}

enum intake_status intake_bytes(struct ledger *lg, const char *path, const struct file_bytes *fb,
                                const char *sha256, const struct intake_options *opt, struct intake_result *r)
{
	memset(r, 0, sizeof *r);
	diag_clear(&r->error);
	r->size = fb->len;
	r->stage = INTAKE_STAGE_READ;
	if (sha256) {
		snprintf(r->sha256, sizeof r->sha256, "%s", sha256);
	} else if (file_bytes_sha256(fb, r->sha256) != 0) {
		diag_set(&r->error, DIAG_ERROR, path, 0, 0, NULL, "cannot compute SHA-256");
		return r->status = INTAKE_FAILED;
	}

	r->stage = INTAKE_STAGE_LOOKUP;
	int found = ledger_import_lookup(lg, r->sha256, &r->prior, &r->error);
	if (found < 0)
		return r->status = INTAKE_FAILED;
	if (found > 0)
		return r->status = r->prior.held ? INTAKE_KNOWN_HELD : INTAKE_KNOWN;

	r->stage = INTAKE_STAGE_IMPORT;
	struct bank_file_format fmt;
	struct layout *own = NULL;
	if (bank_file_detect(path, fb->data, fb->len, opt->layout_path, &fmt, &own, &r->error) != 0)
		return r->status = INTAKE_REJECTED;
	snprintf(r->family, sizeof r->family, "%s", fmt.family);
	r->statement = fmt.statement != NULL;

	struct event_ctx ec = {.lg = lg,
	                       .forced_bank = opt->layout_path ? layout_single_bank(fmt.layout) : 0,
	                       .fb = fb,
	                       .record_step = fmt.layout ? (size_t)layout_length(fmt.layout) + 1
	                                                 : statement_line_step(fb)};
	struct warn_ctx wc = {.opt = opt, .r = r};
	struct diag *d = &r->error;
	int64_t conflict = 0;
	long max_nsa = 0;
	struct cnab_file_info info;
	struct ledger_import_header h = {.format = fmt.family, .generated = CDATE_NONE};
	struct ledger_event_counts counts = {0};
	enum intake_status st = INTAKE_IMPORTED;
	memset(&info, 0, sizeof info);
	/* The file's bytes are copied to the store by a second thread while
	 * it is parsed (a dry run keeps nothing); a refused file's copy is
	 * thrown away by the rollback.
	 * A bulk transaction (foreign-key lookups off): its events refer only
	 * to the import row written first in the same transaction, so a
	 * lookup per event would prove nothing; `journal verify` checks every
	 * reference of the ledger. */
	if (ledger_begin_bulk(lg, d) ||
	    ledger_import_add(lg, r->sha256, path, fb->data, fb->len, &h, &ec.import_id, d) ||
	    (!opt->dry_run && ledger_import_keep_bytes_start(lg, r->sha256, fb, d))) {
		st = INTAKE_FAILED;
	} else if (bank_file_parse(&fmt, path, fb->data, fb->len, &info, on_event, &ec, on_warning, &wc, d) ||
	           ledger_event_flush(lg, &counts, d)) {
		st = INTAKE_REJECTED;
	} else if (info.nsa > 0 &&
	           ledger_import_sequence(lg, info.bank, info.agreement, info.nsa, &conflict, &max_nsa, d)) {
		st = INTAKE_FAILED;
	} else if (conflict) {
		/* Same bank, convênio and NSA, different bytes: a corrected or
		 * forged file. Neither copy may win silently. */
		ledger_rollback(lg);
		keep_info(r, &info);
		st = hold_file(lg, path, fb, fmt.family, &info, conflict, opt, r);
	} else if ((sequence_warning(path, &info, max_nsa, &wc), 0)) {
	} else if (opt->strict && r->warnings > 0) {
		diag_set(d, DIAG_ERROR, path, 0, 0, NULL, "%ld warning%s and --strict is on", r->warnings,
		         r->warnings == 1 ? "" : "s");
		st = INTAKE_REJECTED;
	} else {
		if (ec.forced_bank && info.bank != ec.forced_bank) {
			struct diag note;
			diag_set(&note, DIAG_NOTE, path, 0, 0, NULL,
			         "header says bank %03d; read as bank %03d (layout %s)", info.bank,
			         ec.forced_bank, layout_name(fmt.layout));
			if (opt->warn)
				opt->warn(opt->warn_ctx, &note);
			info.bank = ec.forced_bank;
		}
		h = import_header(fmt.family, &info);
		char detail[300];
		snprintf(detail, sizeof detail, "sha256 %s; bank %03d; NSA %ld; %ld events, %ld duplicates",
		         r->sha256, info.bank, info.nsa, counts.events, counts.duplicates);
		r->events = counts.events;
		r->payments = counts.payments;
		r->duplicates = counts.duplicates;
		keep_info(r, &info);
		if (ledger_import_finish(lg, ec.import_id, &h, counts.events, counts.duplicates, d) ||
		    ledger_journal(lg, "import", path, detail, d) ||
		    (!opt->dry_run && ledger_import_keep_bytes(lg, ec.import_id, r->sha256, fb, d))) {
			st = INTAKE_FAILED;
		} else if (opt->dry_run) {
			ledger_rollback(lg);
		} else {
			r->import_id = ec.import_id;
			r->status = INTAKE_IMPORTED;
			if (call_before_commit(opt, lg, r, d) || ledger_commit(lg, d))
				st = INTAKE_FAILED;
		}
	}
	if (st == INTAKE_REJECTED || st == INTAKE_FAILED) {
		ledger_rollback(lg);
		r->import_id = 0;
		r->events = r->payments = r->duplicates = 0;
		if (st == INTAKE_REJECTED)
			keep_info(r, &info);
	}
	layout_free(own);
	return r->status = st;
}

enum intake_status intake_file(struct ledger *lg, const char *path, const struct intake_options *opt,
                               struct intake_result *r)
{
	struct file_bytes fb;
	memset(r, 0, sizeof *r);
	diag_clear(&r->error);
	if (file_bytes_read(path, &fb, &r->error) != 0) {
		r->stage = INTAKE_STAGE_READ;
		return r->status = INTAKE_REJECTED;
	}
	enum intake_status st = intake_bytes(lg, path, &fb, NULL, opt, r);
	file_bytes_release(&fb);
	return st;
}
