/* The record of one run of the drop-folder hook (a pass of `inbox`, a
 * batch of `watch`) and its two renderings: JSON for programs (schema in
 * README "Drop folder") and a self-contained HTML page for people. */
#ifndef CONCILIA_INBOX_REPORT_H
#define CONCILIA_INBOX_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"
#include "reconcile/reconcile.h"

/* A growing text buffer (lines of diagnostics, of events). */
struct inbox_text {
	char *s;
	size_t len, cap;
};
void inbox_text_add(struct inbox_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void inbox_text_free(struct inbox_text *t);

struct inbox_file_record {
	char name[256];
	char sha256[65];
	int64_t size;
	const char *status;            /* "processed", "rejected", "held", "duplicate", "failed" */
	char destination[4096];        /* "" when the file stayed in the drop folder */
	struct inbox_text diagnostics; /* one GNU-style line each */
	struct inbox_text events;      /* "TIME what" lines: seen, waiting, imported, filed */
	/* What the import found (processed, held). */
	char format[16];
	int bank;
	long nsa;
	long titles, new_events, known_events, payments;
	int64_t import_id; /* this file's import, or for a duplicate the one it repeats */
	bool resumed;      /* finished after an interrupted run */
};

struct inbox_notice_record {
	char status[16]; /* "rejected", "held", "needs_human" */
	char file[4096];
	char detail[512];
	char created_at[32];
	int hook_status; /* exit status of the attention command; -1 none run */
};

struct inbox_run {
	const char *mode;               /* "inbox" or "watch" */
	char started[32], finished[32]; /* UTC, ISO 8601 */
	const char *inbox, *archive, *ledger;
	int settle, incomplete_timeout;
	struct inbox_file_record *files;
	size_t nfiles, cap_files;
	long waiting; /* files left in the drop folder, still arriving */
	bool reconciled;
	struct reconcile_summary summary;
	struct inbox_notice_record *notices;
	size_t nnotices, cap_notices;
};

/* Appends a zeroed record; NULL when out of memory. */
struct inbox_file_record *inbox_run_add_file(struct inbox_run *run);
struct inbox_notice_record *inbox_run_add_notice(struct inbox_run *run);
/* Frees the records and zeroes the lists (the run can be reused). */
void inbox_run_clear(struct inbox_run *run);

/* Writes DIR/inbox-STAMP.json and .html (STAMP from run->started, a
 * counter added when a name is taken: reports are never overwritten).
 * The paths go to json/html (>= 4096 bytes). Returns 0 or -1 with d. */
int inbox_report_write(const struct inbox_run *run, const char *dir, char *json, char *html, struct diag *d);

#endif
