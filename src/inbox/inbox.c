/* The drop-folder hook: readiness, the life of one file, recovery of an
 * interrupted run, the one-shot run and the watch loop.
 *
 * Where a kill can land, and what the next run does about it:
 *  - before a file's transaction commits: nothing of it is in the ledger;
 *    the file is still in the drop folder and is taken again;
 *  - after the commit (import + intake row saying where the file goes),
 *    before or during the move: the intake row has no filed_at; recovery
 *    finishes that exact move (processed/, never duplicates/), and a copy
 *    across file systems that was complete but whose original was not yet
 *    removed is recognized by its SHA-256;
 *  - after the move, before filed_at: recovery sees the destination and
 *    only marks it;
 *  - before the reconciliation: the next run reconciles (events without
 *    an outcome);
 *  - before the attention command ran: the notice is still pending and
 *    the next run sends it (at least once, never zero times). */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "codec/bank_file.h"
#include "core/calendar.h"
#include "core/date.h"
#include "core/fileio.h"
#include "inbox/inbox.h"
#include "inbox/inbox_file.h"
#include "inbox/inbox_hook.h"
#include "inbox/inbox_lock.h"
#include "inbox/inbox_report.h"
#include "inbox/inbox_scan.h"
#include "intake/intake.h"
#include "ledger/ledger.h"
#include "reconcile/reconcile.h"

/* A file seen in the drop folder and not taken yet. */
struct pending {
	char name[256];
	dev_t dev;
	ino_t ino;
	off_t size;
	time_t changed;
	int complete;       /* cached verdict for this dev/ino/size/changed: -1 unknown */
	time_t retry_after; /* after a failure to read it */
	char reason[160];   /* the last reason logged for waiting */
	struct inbox_text events;
	bool seen;
};

struct inbox {
	struct inbox_options opt;
	char dir[PATH_MAX], root[PATH_MAX], reports[PATH_MAX];
	struct ledger *lg;
	struct inbox_lock lock;
	struct inbox_run run;
	struct pending *pending;
	size_t npending, cap_pending;
	int status;
	bool recovered; /* the interrupted run's leftovers were dealt with */
};

static bool stopping(const struct inbox *ib)
{
	if (ib->opt.stop && *ib->opt.stop)
		return true;
	if (ib->opt.stop_signals) {
		sigset_t pending;
		if (sigpending(&pending) == 0)
			for (int sig = 1; sig < NSIG; sig++)
				if (sigismember(ib->opt.stop_signals, sig) == 1 &&
				    sigismember(&pending, sig) == 1)
					return true;
	}
	return false;
}

static void worse(struct inbox *ib, int status)
{
	if (status > ib->status)
		ib->status = status;
}

static void say(struct inbox *ib, enum inbox_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(struct inbox *ib, enum inbox_log_level level, const char *fmt, ...)
{
	char line[4800];
	va_list ap;
	if (!ib->opt.log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	ib->opt.log(ib->opt.log_ctx, level, line);
}

/* Now, UTC, ISO 8601 ($CONCILIA_NOW pins it, as for the ledger). */
static void iso_now(char *buf, size_t n)
{
	const char *fixed = getenv("CONCILIA_NOW");
	if (fixed && *fixed) {
		snprintf(buf, n, "%s", fixed);
		return;
	}
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* An event line of a file's timeline: "AT what". */
static void event(struct inbox_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void event(struct inbox_text *t, const char *fmt, ...)
{
	char at[32], what[1800];
	va_list ap;
	iso_now(at, sizeof at);
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	inbox_text_add(t, "%s %s", at, what);
}

static void report_error(struct inbox *ib, const struct diag *d)
{
	if (ib->opt.warn)
		ib->opt.warn(ib->opt.warn_ctx, d);
}

/* ---- opening */

int inbox_open(const struct inbox_options *opt, struct inbox **out, long *holder, struct diag *d)
{
	*out = NULL;
	*holder = 0;
	struct inbox *ib = calloc(1, sizeof *ib);
	if (!ib)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL, "out of memory");
	ib->opt = *opt;
	ib->lock.fd = -1;
	struct stat sb;
	errno = 0;
	if (!realpath(opt->dir, ib->dir) || stat(ib->dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		diag_set(d, DIAG_ERROR, opt->dir, 0, 0, NULL, "not a folder%s%s", errno ? ": " : "",
		         errno ? strerror(errno) : "");
		free(ib);
		return 2;
	}
	const char *archive = opt->archive ? opt->archive : ib->dir;
	errno = 0;
	if (!realpath(archive, ib->root) || stat(ib->root, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		diag_set(d, DIAG_ERROR, archive, 0, 0, NULL, "archive is not a folder%s%s", errno ? ": " : "",
		         errno ? strerror(errno) : "");
		free(ib);
		return 2;
	}
	if (opt->report_dir) {
		if (mkdir(opt->report_dir, 0755) != 0 && errno != EEXIST) {
			diag_set(d, DIAG_ERROR, opt->report_dir, 0, 0, NULL,
			         "cannot create the report folder: %s", strerror(errno));
			free(ib);
			return -1;
		}
		if (!realpath(opt->report_dir, ib->reports)) {
			diag_set(d, DIAG_ERROR, opt->report_dir, 0, 0, NULL, "%s", strerror(errno));
			free(ib);
			return -1;
		}
	} else {
		if (snprintf(ib->reports, sizeof ib->reports, "%s/reports", ib->root) >=
		    (int)sizeof ib->reports) {
			diag_set(d, DIAG_ERROR, ib->root, 0, 0, NULL, "folder name too long");
			free(ib);
			return -1;
		}
	}
	/* No ledger: the user's to fix (concilia init), and no lock file is
	 * left beside a ledger that does not exist. */
	if (stat(opt->db_path, &sb) != 0) {
		diag_set(d, DIAG_ERROR, opt->db_path, 0, 0, NULL,
		         "no ledger here; create it with 'concilia --db %s init'", opt->db_path);
		free(ib);
		return 2;
	}
	int lk = inbox_lock_take(opt->db_path, opt->wait_lock, &ib->lock, holder, d);
	if (lk != 0) {
		free(ib);
		return lk;
	}
	if (ledger_open(opt->db_path, false, &ib->lg, NULL, d) != 0 || ledger_set_durable(ib->lg, d) != 0) {
		if (ib->lg)
			ledger_close(ib->lg);
		inbox_lock_release(&ib->lock);
		free(ib);
		return -1;
	}
	/* A report being written when a run was killed left its temporary
	 * file; with the lock held, any such file is stale. */
	inbox_clean_partial(ib->reports);
	/* The read-lease probe (inbox_writers): a writer opening a file in the
	 * instant we hold the lease would signal us with SIGIO, whose default
	 * action ends the process. */
	signal(SIGIO, SIG_IGN);
	ib->run.inbox = ib->dir;
	ib->run.archive = ib->root;
	ib->run.ledger = opt->db_path;
	ib->run.settle = opt->settle;
	ib->run.incomplete_timeout = opt->incomplete_timeout;
	*out = ib;
	return 0;
}

void inbox_close(struct inbox *ib)
{
	if (!ib)
		return;
	for (size_t i = 0; i < ib->npending; i++)
		inbox_text_free(&ib->pending[i].events);
	free(ib->pending);
	inbox_run_clear(&ib->run);
	ledger_close(ib->lg);
	inbox_lock_release(&ib->lock);
	free(ib);
}

int inbox_status(const struct inbox *ib)
{
	return ib->status;
}

/* ---- filing */

/* The day folder: today in Brasília ($CONCILIA_TODAY pins it), the date a
 * finance team reads the folder by. */
static const char *today(char *buf, size_t n)
{
	date_format_iso(date_today(), buf, n);
	return buf;
}

/* What a file becomes in the report, and the warnings it got. */
struct file_ctx {
	struct inbox *ib;
	struct inbox_file_record *rec;
	const char *path;
	int64_t intake_id;
	char dest[4096];
	struct inbox_text held_text; /* held: the error.txt, built inside the transaction */
};

static void on_warning(void *ctx, const struct diag *d)
{
	struct file_ctx *fc = ctx;
	char line[1400];
	inbox_text_add(&fc->rec->diagnostics, "%s", diag_format(d, line, sizeof line));
	report_error(fc->ib, d);
}

/* A destination promised to a move that an interrupted run of another
 * drop folder (same ledger, same archive) has not finished. */
static bool reserved(void *ctx, const char *path)
{
	struct inbox *ib = ctx;
	struct diag d;
	bool yes = false;
	diag_clear(&d);
	if (ledger_intake_reserved(ib->lg, path, &yes, &d)) {
		report_error(ib, &d);
		return true; /* when in doubt, another name */
	}
	return yes;
}

/* Marks the intake row filed; a failure here is only a flag left unset,
 * which the next run sets (the file is where it should be). */
static void mark_filed(struct inbox *ib, int64_t id, const char *note)
{
	struct diag d;
	diag_clear(&d);
	if (ledger_intake_filed(ib->lg, id, note, &d)) {
		report_error(ib, &d);
		worse(ib, 3);
	}
}

/* Writes DEST.error.txt (kept as it is when an interrupted run wrote it). */
static int write_error_txt(const char *dest, const char *text, struct diag *d)
{
	char path[4200];
	snprintf(path, sizeof path, "%s.error.txt", dest);
	return inbox_write_new(path, text ? text : "", text ? strlen(text) : 0, d) < 0 ? -1 : 0;
}

/* Records, commits, moves, marks: the life of a file that the ledger
 * does not import (rejected, duplicate). The diagnostics go with it. */
static int file_without_import(struct file_ctx *fc, const char *status, const char *kind, int64_t import_id,
                               const char *notice_detail, struct diag *d)
{
	struct inbox *ib = fc->ib;
	bool rejected = strcmp(status, "rejected") == 0;
	char day[16];
	if (inbox_reserve(ib->root, kind, fc->rec->name, today(day, sizeof day), rejected, reserved, ib,
	                  fc->dest, sizeof fc->dest, d))
		return -1;
	struct ledger_intake row = {.inbox = ib->dir,
	                            .name = fc->rec->name,
	                            .size = fc->rec->size,
	                            .destination = fc->dest,
	                            .import_id = import_id,
	                            .diagnostics = rejected ? fc->rec->diagnostics.s : NULL};
	snprintf(row.sha256, sizeof row.sha256, "%s", fc->rec->sha256);
	snprintf(row.status, sizeof row.status, "%s", status);
	if (ledger_begin(ib->lg, d) || ledger_intake_add(ib->lg, &row, &fc->intake_id, d) ||
	    (rejected && ledger_notice_add(ib->lg, ib->dir, "rejected", fc->dest, notice_detail, d))) {
		ledger_rollback(ib->lg);
		return -1;
	}
	inbox_test_pause();
	if (ledger_commit(ib->lg, d)) {
		ledger_rollback(ib->lg);
		return -1;
	}
	inbox_test_pause();
	if ((rejected && write_error_txt(fc->dest, fc->rec->diagnostics.s, d)) ||
	    inbox_move(fc->path, fc->dest, d))
		return -1;
	mark_filed(ib, fc->intake_id, NULL);
	snprintf(fc->rec->destination, sizeof fc->rec->destination, "%s", fc->dest);
	return 0;
}

/* Inside the import's transaction: where the file goes, and for a held
 * file its notice, commit with it. */
static int before_commit(void *ctx, struct ledger *lg, const struct intake_result *r, struct diag *d)
{
	struct file_ctx *fc = ctx;
	struct inbox *ib = fc->ib;
	bool held = r->status == INTAKE_HELD;
	char day[16];
	if (inbox_reserve(ib->root, held ? "rejected" : "processed", fc->rec->name, today(day, sizeof day),
	                  held, reserved, ib, fc->dest, sizeof fc->dest, d))
		return -1;
	inbox_text_free(&fc->held_text);
	if (held) {
		inbox_text_add(&fc->held_text, "%s:1:158: error: field 'nsa': %s", fc->path, r->hold_reason);
		if (fc->rec->diagnostics.s)
			inbox_text_add(&fc->held_text, "%.*s", (int)fc->rec->diagnostics.len - 1,
			               fc->rec->diagnostics.s);
		inbox_text_add(&fc->held_text,
		               "held for a human as import #%lld: nothing imported; decide which "
		               "copy is right",
		               (long long)r->import_id);
	}
	struct ledger_intake row = {.inbox = ib->dir,
	                            .name = fc->rec->name,
	                            .size = fc->rec->size,
	                            .destination = fc->dest,
	                            .import_id = r->import_id,
	                            .diagnostics = held ? fc->held_text.s : NULL};
	snprintf(row.sha256, sizeof row.sha256, "%s", r->sha256);
	snprintf(row.status, sizeof row.status, "%s", held ? "held" : "processed");
	if (ledger_intake_add(lg, &row, &fc->intake_id, d) ||
	    (held && ledger_notice_add(lg, ib->dir, "held", fc->dest, r->hold_reason, d)))
		return -1;
	inbox_test_pause(); /* a kill here: the whole import rolls back */
	return 0;
}

/* Takes one ready file: duplicate, import (processed or held) or reject.
 * Returns 0, or -1 with d on a system error (the file stays or its
 * intake row says where it goes). */
static int take_file(struct inbox *ib, const struct inbox_entry *e, const struct file_bytes *fb,
                     bool truncated, struct pending *p, struct diag *d)
{
	char path[PATH_MAX + 256];
	snprintf(path, sizeof path, "%s/%s", ib->dir, e->name);
	struct inbox_file_record *rec = inbox_run_add_file(&ib->run);
	if (!rec)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL, "out of memory");
	snprintf(rec->name, sizeof rec->name, "%s", e->name);
	rec->size = (int64_t)fb->len;
	rec->status = "failed";
	if (p) {
		rec->events = p->events;
		memset(&p->events, 0, sizeof p->events);
	}
	struct file_ctx fc = {.ib = ib, .rec = rec, .path = path};
	if (file_bytes_sha256(fb, rec->sha256) != 0)
		return diag_set(d, DIAG_ERROR, path, 0, 0, NULL, "cannot compute SHA-256");
	event(&rec->events, "taken: %zu bytes, sha256 %s", fb->len, rec->sha256);

	struct ledger_import_info prior;
	int known = ledger_import_lookup(ib->lg, rec->sha256, &prior, d);
	if (known < 0)
		return -1;
	if (known) {
		event(&rec->events, "same bytes as import #%lld (%s, %s)", (long long)prior.id,
		      prior.filename, prior.imported_at);
		if (file_without_import(&fc, "duplicate", "duplicates", prior.id, NULL, d))
			return -1;
		rec->status = "duplicate";
		rec->import_id = prior.id;
		event(&rec->events, "filed as %s", fc.dest);
		say(ib, INBOX_LOG_INFO, "%s: duplicate of import #%lld (%s) -> %s", e->name,
		    (long long)prior.id, prior.filename, fc.dest);
		return 0;
	}

	struct intake_options io = {.strict = ib->opt.strict,
	                            .layout_path = ib->opt.layout_path,
	                            .warn = on_warning,
	                            .warn_ctx = &fc,
	                            .before_commit = before_commit,
	                            .before_commit_ctx = &fc};
	struct intake_result r;
	intake_bytes(ib->lg, path, fb, rec->sha256, &io, &r);
	if (r.family[0])
		snprintf(rec->format, sizeof rec->format, "%s", r.family);
	if (r.status == INTAKE_IMPORTED || r.status == INTAKE_HELD) {
		/* what was read; a refused file's partial header would mislead */
		rec->bank = r.info.bank > 0 ? r.info.bank : -1;
		rec->nsa = r.info.nsa;
		rec->titles = r.info.titles;
	}
	int rc = 0;
	char line[1400];
	switch (r.status) {
	case INTAKE_IMPORTED:
	case INTAKE_HELD: {
		bool held = r.status == INTAKE_HELD;
		rec->import_id = r.import_id;
		rec->new_events = r.events;
		rec->known_events = r.duplicates;
		rec->payments = r.payments;
		if (held) {
			inbox_text_free(&rec->diagnostics);
			rec->diagnostics = fc.held_text;
			memset(&fc.held_text, 0, sizeof fc.held_text);
			event(&rec->events, "held for a human as import #%lld: %s", (long long)r.import_id,
			      r.hold_reason);
		} else {
			event(&rec->events,
			      "imported as import #%lld: %ld new events (%ld payments), %ld already known",
			      (long long)r.import_id, r.events, r.payments, r.duplicates);
		}
		rec->status = held ? "held" : "processed";
		/* Committed: from here on the intake row says where it goes. */
		inbox_test_pause();
		if ((held && write_error_txt(fc.dest, rec->diagnostics.s, d)) ||
		    inbox_move(path, fc.dest, d)) {
			rc = -1;
			break;
		}
		mark_filed(ib, fc.intake_id, NULL);
		snprintf(rec->destination, sizeof rec->destination, "%s", fc.dest);
		event(&rec->events, "filed as %s", fc.dest);
		if (held) {
			worse(ib, 1);
			say(ib, INBOX_LOG_INFO, "%s: held for a human (%s) -> %s", e->name, r.hold_reason,
			    fc.dest);
		} else {
			say(ib, INBOX_LOG_INFO,
			    "%s: processed: import #%lld, %ld title%s, %ld new event%s (%ld payment%s), %ld "
			    "already known "
			    "-> %s",
			    e->name, (long long)r.import_id, r.info.titles, r.info.titles == 1 ? "" : "s",
			    r.events, r.events == 1 ? "" : "s", r.payments, r.payments == 1 ? "" : "s",
			    r.duplicates, fc.dest);
		}
		break;
	}
	case INTAKE_KNOWN:
	case INTAKE_KNOWN_HELD:
		/* Imported between our lookup and the import: only another
		 * process could, and the lock forbids it; file it as what it is. */
		if (file_without_import(&fc, "duplicate", "duplicates", r.prior.id, NULL, d)) {
			rc = -1;
			break;
		}
		rec->status = "duplicate";
		rec->import_id = r.prior.id;
		say(ib, INBOX_LOG_INFO, "%s: duplicate of import #%lld -> %s", e->name, (long long)r.prior.id,
		    fc.dest);
		break;
	case INTAKE_REJECTED:
		if (truncated) {
			/* first, what the reader's error means here */
			struct inbox_text t = {0};
			inbox_text_add(&t,
			               "%s: error: still without its trailer (or end of document) %d s after its "
			               "last change: taken as truncated",
			               path, ib->opt.incomplete_timeout);
			if (rec->diagnostics.s)
				inbox_text_add(&t, "%.*s", (int)rec->diagnostics.len - 1, rec->diagnostics.s);
			inbox_text_free(&rec->diagnostics);
			rec->diagnostics = t;
		}
		diag_format(&r.error, line, sizeof line);
		inbox_text_add(&rec->diagnostics, "%s", line);
		report_error(ib, &r.error);
		event(&rec->events, "rejected: %s", r.error.msg);
		if (file_without_import(&fc, "rejected", "rejected", 0, line, d)) {
			rc = -1;
			break;
		}
		rec->status = "rejected";
		worse(ib, 1);
		event(&rec->events, "filed as %s", fc.dest);
		say(ib, INBOX_LOG_INFO, "%s: rejected -> %s (diagnostics in %s.error.txt)", e->name, fc.dest,
		    fc.dest);
		break;
	case INTAKE_FAILED:
		*d = r.error;
		rc = -1;
		break;
	}
	inbox_text_free(&fc.held_text);
	if (rc) {
		inbox_text_add(&rec->diagnostics, "%s", diag_format(d, line, sizeof line));
		event(&rec->events, "not filed: %s", d->msg);
	}
	return rc;
}

/* ---- recovery of an interrupted run */

/* SHA-256 of a file's bytes; 0, or -1 when unreadable. */
static int sha_of(const char *path, char *hex)
{
	struct file_bytes fb;
	struct diag d;
	if (file_bytes_read(path, &fb, &d) != 0)
		return -1;
	int rc = file_bytes_sha256(&fb, hex);
	file_bytes_release(&fb);
	return rc;
}

static int recover_one(struct inbox *ib, const struct ledger_intake *row, struct diag *d)
{
	char src[PATH_MAX + 256], sha[SHA256_HEX_LEN + 1], dsha[SHA256_HEX_LEN + 1];
	struct stat ss, ds;
	snprintf(src, sizeof src, "%s/%s", ib->dir, row->name);
	bool have_src = lstat(src, &ss) == 0 && S_ISREG(ss.st_mode);
	bool have_dest = lstat(row->destination, &ds) == 0;
	bool needs_error = strcmp(row->status, "rejected") == 0 || strcmp(row->status, "held") == 0;
	const char *note = "finished after an interrupted run";

	struct inbox_file_record *rec = inbox_run_add_file(&ib->run);
	if (!rec)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL, "out of memory");
	snprintf(rec->name, sizeof rec->name, "%s", row->name);
	snprintf(rec->sha256, sizeof rec->sha256, "%s", row->sha256);
	rec->size = row->size;
	rec->status = strcmp(row->status, "processed") == 0  ? "processed"
	              : strcmp(row->status, "rejected") == 0 ? "rejected"
	              : strcmp(row->status, "held") == 0     ? "held"
	                                                     : "duplicate";
	rec->import_id = row->import_id;
	rec->resumed = true;
	if (row->diagnostics) {
		size_t len = strlen(row->diagnostics);
		while (len && row->diagnostics[len - 1] == '\n')
			len--;
		inbox_text_add(&rec->diagnostics, "%.*s", (int)len, row->diagnostics);
	}
	if (needs_error && write_error_txt(row->destination, row->diagnostics, d))
		return -1;
	if (have_dest) {
		if (have_src) {
			if (ss.st_dev == ds.st_dev && ss.st_ino == ds.st_ino) {
				/* link + unlink interrupted: two names of one file */
				if (unlink(src) != 0)
					return diag_set(d, DIAG_ERROR, src, 0, 0, NULL, "cannot remove: %s",
					                strerror(errno));
				inbox_sync_dir(ib->dir);
			} else if (sha_of(src, sha) == 0 && strcmp(sha, row->sha256) == 0 &&
			           sha_of(row->destination, dsha) == 0 && strcmp(dsha, row->sha256) == 0) {
				/* a copy across file systems was durable, its original
				 * not yet removed */
				if (unlink(src) != 0)
					return diag_set(d, DIAG_ERROR, src, 0, 0, NULL, "cannot remove: %s",
					                strerror(errno));
				inbox_sync_dir(ib->dir);
			}
			/* else: a new file has taken the name; the scan takes it */
		}
	} else if (have_src && sha_of(src, sha) == 0 && strcmp(sha, row->sha256) == 0) {
		if (inbox_move(src, row->destination, d))
			return -1;
	} else {
		note = "the file was gone from the drop folder when the interrupted run was finished";
		inbox_text_add(&rec->diagnostics,
		               "%s: warning: %s (its bytes are in the ledger when it was imported)", src,
		               note);
	}
	mark_filed(ib, row->id, note);
	snprintf(rec->destination, sizeof rec->destination, "%s", row->destination);
	event(&rec->events, "%s: filed as %s", note, row->destination);
	say(ib, INBOX_LOG_INFO, "%s: %s (%s) -> %s", row->name, note, row->status, row->destination);
	return 0;
}

static int recover(struct inbox *ib, struct diag *d)
{
	struct ledger_intake *rows;
	size_t n;
	if (ledger_intake_unfiled(ib->lg, ib->dir, &rows, &n, d))
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = recover_one(ib, &rows[i], d);
	ledger_intake_free(rows, n);
	if (rc == 0)
		ib->recovered = true;
	return rc;
}

/* ---- scanning */

static struct pending *pending_get(struct inbox *ib, const struct inbox_entry *e)
{
	for (size_t i = 0; i < ib->npending; i++)
		if (strcmp(ib->pending[i].name, e->name) == 0)
			return &ib->pending[i];
	if (ib->npending == ib->cap_pending) {
		size_t cap = ib->cap_pending ? ib->cap_pending * 2 : 16;
		struct pending *p = realloc(ib->pending, cap * sizeof *p);
		if (!p)
			return NULL;
		ib->pending = p;
		ib->cap_pending = cap;
	}
	struct pending *p = &ib->pending[ib->npending++];
	memset(p, 0, sizeof *p);
	snprintf(p->name, sizeof p->name, "%s", e->name);
	p->complete = -1;
	event(&p->events, "seen: %lld bytes", (long long)e->st.st_size);
	return p;
}

static void pending_drop(struct inbox *ib, struct pending *p)
{
	inbox_text_free(&p->events);
	size_t i = (size_t)(p - ib->pending);
	memmove(&ib->pending[i], &ib->pending[i + 1], (ib->npending - i - 1) * sizeof *p);
	ib->npending--;
}

/* Logs why a file waits, once per change of reason. */
static void waiting(struct inbox *ib, struct pending *p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void waiting(struct inbox *ib, struct pending *p, const char *fmt, ...)
{
	char reason[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	if (strcmp(reason, p->reason) == 0)
		return;
	snprintf(p->reason, sizeof p->reason, "%s", reason);
	event(&p->events, "waiting: %s", reason);
	say(ib, INBOX_LOG_DETAIL, "%s: waiting: %s", p->name, reason);
}

static void wake_at(time_t *wake, time_t t)
{
	if (*wake == 0 || t < *wake)
		*wake = t;
}

/* One look at the folder: takes every ready file. *settle_wake is the
 * earliest time a file waiting for its settle time may be ready, *wake the
 * earliest of every deadline (settle, trailer timeout, retry); 0 = none. */
static int scan_once(struct inbox *ib, time_t *settle_wake, time_t *wake, struct diag *d)
{
	struct inbox_entry *list;
	size_t n;
	*settle_wake = *wake = 0;
	if (inbox_list(ib->dir, &list, &n, d))
		return -1;
	for (size_t i = 0; i < ib->npending; i++)
		ib->pending[i].seen = false;
	int rc = 0;
	for (size_t i = 0; i < n && !stopping(ib); i++) {
		const struct inbox_entry *e = &list[i];
		struct pending *p = pending_get(ib, e);
		if (!p) {
			rc = diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL, "out of memory");
			break;
		}
		p->seen = true;
		if (p->dev != e->st.st_dev || p->ino != e->st.st_ino || p->size != e->st.st_size ||
		    p->changed != e->st.st_ctime) {
			p->dev = e->st.st_dev;
			p->ino = e->st.st_ino;
			p->size = e->st.st_size;
			p->changed = e->st.st_ctime;
			p->complete = -1;
		}
		time_t now = time(NULL);
		if (p->retry_after > now) {
			wake_at(wake, p->retry_after);
			continue;
		}
		/* The change time, which no client can set: quiet for --settle s. */
		if (now - p->changed < ib->opt.settle) {
			waiting(ib, p, "changed less than %d s ago", ib->opt.settle);
			wake_at(settle_wake, p->changed + ib->opt.settle);
			wake_at(wake, p->changed + ib->opt.settle);
			continue;
		}
		char path[PATH_MAX + 256];
		snprintf(path, sizeof path, "%s/%s", ib->dir, e->name);
		if (inbox_writers(path) == INBOX_WRITING) {
			waiting(ib, p, "open for writing");
			continue; /* its close wakes the watch; the next run takes it */
		}
		struct file_bytes fb;
		struct diag rd;
		if (file_bytes_read(path, &fb, &rd) != 0) {
			struct stat sb;
			if (lstat(path, &sb) != 0)
				continue; /* gone meanwhile */
			report_error(ib, &rd);
			worse(ib, 3);
			p->retry_after = now + 30;
			wake_at(wake, p->retry_after);
			waiting(ib, p, "unreadable: %s", rd.msg);
			continue;
		}
		if (p->complete < 0)
			p->complete = bank_file_complete(fb.data, fb.len);
		bool truncated = false;
		if (!p->complete) {
			if (now - p->changed < ib->opt.incomplete_timeout) {
				waiting(ib, p,
				        "no trailer (or end of document) yet: waiting up to %d s after its "
				        "last change",
				        ib->opt.incomplete_timeout);
				wake_at(wake, p->changed + ib->opt.incomplete_timeout);
				file_bytes_release(&fb);
				continue;
			}
			truncated = true;
		}
		/* What was read is what was listed: a file changed meanwhile is
		 * left for the next look. */
		struct stat now_st;
		if (lstat(path, &now_st) != 0 || now_st.st_ino != e->st.st_ino ||
		    now_st.st_size != e->st.st_size || now_st.st_ctime != e->st.st_ctime ||
		    (size_t)now_st.st_size != fb.len) {
			file_bytes_release(&fb);
			wake_at(wake, now + 1);
			continue;
		}
		rc = take_file(ib, e, &fb, truncated, p, d);
		file_bytes_release(&fb);
		pending_drop(ib, p);
		if (rc)
			break;
	}
	free(list);
	/* Files that went away without being taken (renamed by their sender)
	 * are forgotten. */
	for (size_t i = ib->npending; i-- > 0;)
		if (!ib->pending[i].seen && rc == 0 && !stopping(ib))
			pending_drop(ib, &ib->pending[i]);
	ib->run.waiting = (long)ib->npending;
	return rc;
}

/* ---- the end of a run: reconcile, report, notices */

static void run_start(struct inbox *ib, const char *mode)
{
	inbox_run_clear(&ib->run);
	ib->run.mode = mode;
	iso_now(ib->run.started, sizeof ib->run.started);
}

static int reconcile_if_needed(struct inbox *ib, struct diag *d)
{
	bool pending;
	if (ledger_has_unreconciled(ib->lg, &pending, d))
		return -1;
	if (!pending)
		return 0;
	struct calendar *cal = calendar_new();
	if (!cal)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL, "out of memory");
	struct reconcile_options ro = {.calendar = cal, .interest_start = ib->opt.interest_start};
	int rc = reconcile_run(ib->lg, &ro, &ib->run.summary, d);
	calendar_free(cal);
	if (rc)
		return -1;
	ib->run.reconciled = true;
	say(ib, INBOX_LOG_INFO, "reconciled %ld new bank event%s; %ld need%s a human", ib->run.summary.events,
	    ib->run.summary.events == 1 ? "" : "s", ib->run.summary.needs_human,
	    ib->run.summary.needs_human == 1 ? "s" : "");
	if (ib->run.summary.needs_human > 0) {
		char detail[200];
		snprintf(detail, sizeof detail,
		         "%ld outcome%s of this reconciliation need%s a human: see 'concilia report'",
		         ib->run.summary.needs_human, ib->run.summary.needs_human == 1 ? "" : "s",
		         ib->run.summary.needs_human == 1 ? "s" : "");
		if (ledger_notice_add(ib->lg, ib->dir, "needs_human", NULL, detail, d))
			return -1;
	}
	return 0;
}

/* Runs the attention command for one notice. */
static int notify(struct inbox *ib, struct inbox_notice_record *n, const char *json, const char *html)
{
	if (!ib->opt.on_attention)
		return 0;
	char e_report[4200], e_html[4200], e_file[4200], e_status[64], e_detail[600], e_inbox[PATH_MAX + 32];
	snprintf(e_report, sizeof e_report, "CONCILIA_REPORT=%s", json);
	snprintf(e_html, sizeof e_html, "CONCILIA_REPORT_HTML=%s", html);
	snprintf(e_file, sizeof e_file, "CONCILIA_FILE=%s", n->file);
	snprintf(e_status, sizeof e_status, "CONCILIA_STATUS=%s", n->status);
	snprintf(e_detail, sizeof e_detail, "CONCILIA_DETAIL=%s", n->detail);
	snprintf(e_inbox, sizeof e_inbox, "CONCILIA_INBOX=%s", ib->dir);
	char *env[] = {e_report, e_html, e_file, e_status, e_detail, e_inbox, NULL};
	struct diag d;
	diag_clear(&d);
	int status;
	if (inbox_hook_run(ib->opt.on_attention, env, ib->opt.hook_timeout, &status, &d)) {
		report_error(ib, &d);
		n->hook_status = status;
		return -1;
	}
	n->hook_status = status;
	if (status != 0) {
		diag_set(&d, DIAG_WARNING, NULL, 0, 0, NULL,
		         "attention command for %s%s%s exited with status %d", n->status,
		         n->file[0] ? " " : "", n->file, status);
		report_error(ib, &d);
	}
	return 0;
}

static int run_finish(struct inbox *ib, struct diag *d)
{
	int rc = 0;
	struct diag rd;
	diag_clear(&rd);
	/* Even after a stop request: the files taken are reconciled, so that
	 * the exit status tells the truth about them. */
	if (reconcile_if_needed(ib, &rd)) {
		report_error(ib, &rd);
		worse(ib, 3);
		rc = -1;
		*d = rd;
	}
	struct ledger_notice *rows = NULL;
	size_t n = 0;
	if (ledger_notice_pending(ib->lg, ib->dir, &rows, &n, &rd)) {
		report_error(ib, &rd);
		worse(ib, 3);
		*d = rd;
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		struct inbox_notice_record *nr = inbox_run_add_notice(&ib->run);
		if (!nr)
			break;
		snprintf(nr->status, sizeof nr->status, "%s", rows[i].status);
		snprintf(nr->file, sizeof nr->file, "%s", rows[i].file ? rows[i].file : "");
		snprintf(nr->detail, sizeof nr->detail, "%s", rows[i].detail ? rows[i].detail : "");
		snprintf(nr->created_at, sizeof nr->created_at, "%s", rows[i].created_at);
	}
	if (n)
		worse(ib, 1);
	if (ib->run.nfiles == 0 && !ib->run.reconciled && n == 0) {
		ledger_notice_free(rows, n);
		return rc;
	}
	iso_now(ib->run.finished, sizeof ib->run.finished);
	char json[4096] = "", html[4096] = "";
	if (mkdir(ib->reports, 0755) != 0 && errno != EEXIST) {
		diag_set(&rd, DIAG_ERROR, ib->reports, 0, 0, NULL, "cannot create the report folder: %s",
		         strerror(errno));
		report_error(ib, &rd);
		worse(ib, 3);
	} else if (inbox_report_write(&ib->run, ib->reports, json, html, &rd)) {
		report_error(ib, &rd);
		worse(ib, 3);
		json[0] = html[0] = '\0';
	} else {
		say(ib, INBOX_LOG_INFO, "report: %s", json);
	}
	/* The notices: the command runs (if any), then the notice is marked;
	 * a kill in between repeats it next time rather than losing it. */
	for (size_t i = 0; i < n && i < ib->run.nnotices; i++) {
		struct inbox_notice_record *nr = &ib->run.notices[i];
		say(ib, INBOX_LOG_INFO, "needs a human: %s%s%s: %s", nr->status, nr->file[0] ? " " : "",
		    nr->file, nr->detail);
		notify(ib, nr, json, html);
		/* A command killed by the signal that stops us (systemd signals
		 * the whole group) may not have told anybody: the next run tells
		 * again. */
		if (nr->hook_status > 128 && stopping(ib))
			continue;
		if (ledger_notice_done(ib->lg, rows[i].id, &rd)) {
			report_error(ib, &rd);
			worse(ib, 3);
		}
	}
	ledger_notice_free(rows, n);
	return rc;
}

/* ---- waiting */

/* Sleeps until t (or a stop signal). */
static void sleep_until(struct inbox *ib, time_t t)
{
	time_t now = time(NULL);
	if (t <= now)
		return;
	struct timespec ts = {t - now, 0};
	ppoll(NULL, 0, &ts, ib->opt.wait_mask);
}

int inbox_run_once(struct inbox *ib, struct diag *d)
{
	run_start(ib, "inbox");
	if (recover(ib, d)) {
		worse(ib, 3);
		run_finish(ib, d);
		return -1;
	}
	time_t start = time(NULL);
	int rc = 0;
	while (!stopping(ib)) {
		time_t settle_wake, wake;
		if (scan_once(ib, &settle_wake, &wake, d)) {
			worse(ib, 3);
			rc = -1;
			break;
		}
		/* Wait only for files that were closed when the run began, or
		 * soon after; anything later is the next run's. */
		if (settle_wake == 0 || settle_wake > start + ib->opt.settle + 1)
			break;
		sleep_until(ib, settle_wake);
	}
	struct diag fd;
	diag_clear(&fd);
	if (run_finish(ib, &fd) && rc == 0) {
		*d = fd;
		rc = -1;
	}
	return rc;
}

int inbox_watch(struct inbox *ib, struct diag *d)
{
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0)
		return diag_set(d, DIAG_ERROR, ib->dir, 0, 0, NULL, "cannot watch: %s", strerror(errno));
	/* A file is worth a look when it is closed after writing, moved in,
	 * or its attributes change (a client setting times after the upload). */
	if (inotify_add_watch(fd, ib->dir,
	                      IN_CLOSE_WRITE | IN_MOVED_TO | IN_ATTRIB | IN_CREATE | IN_DELETE_SELF |
	                          IN_MOVE_SELF) < 0) {
		close(fd);
		return diag_set(d, DIAG_ERROR, ib->dir, 0, 0, NULL, "cannot watch: %s", strerror(errno));
	}
	int rc = 0;
	bool first = true;
	while (rc == 0) {
		run_start(ib, "watch");
		struct diag sd;
		diag_clear(&sd);
		if (!ib->recovered && recover(ib, &sd)) {
			report_error(ib, &sd);
			worse(ib, 3);
		}
		time_t settle_wake, wake;
		if (scan_once(ib, &settle_wake, &wake, &sd)) {
			report_error(ib, &sd);
			worse(ib, 3);
			/* a move that failed after its commit is retried first */
			ib->recovered = false;
			wake_at(&wake, time(NULL) + 10); /* try again, not in a loop */
		}
		if (ib->run.nfiles || first)
			run_finish(ib, &sd);
		first = false;
		if (stopping(ib))
			break;
		/* Until the next deadline, an event, or 30 s (a look now and then
		 * catches what inotify cannot see: a full event queue, a network
		 * file system). */
		time_t now = time(NULL);
		long ms = 30000;
		if (wake && (wake - now) * 1000 < ms)
			ms = wake > now ? (long)(wake - now) * 1000 : 0;
		struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		int pr = ppoll(&pfd, 1, &ts, ib->opt.wait_mask);
		if (pr > 0) {
			char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
			ssize_t len;
			while ((len = read(fd, buf, sizeof buf)) > 0) {
				for (char *p = buf; p < buf + len;) {
					struct inotify_event *ev = (struct inotify_event *)p;
					if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) {
						rc = diag_set(d, DIAG_ERROR, ib->dir, 0, 0, NULL,
						              "the drop folder was removed or moved away");
						worse(ib, 3);
					}
					p += sizeof *ev + ev->len;
				}
			}
			/* Let a burst of files settle into one batch. */
			struct timespec pause = {0, 100000000L};
			ppoll(NULL, 0, &pause, ib->opt.wait_mask);
		}
	}
	close(fd);
	return rc;
}
