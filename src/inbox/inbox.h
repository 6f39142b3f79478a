/* The drop-folder hook: banks and SFTP servers drop return files into a
 * folder; each one is taken when (and only when) it is complete, imported
 * (src/intake), filed into exactly one of processed/, rejected/ or
 * duplicates/, the ledger reconciled, a report written, and a human told
 * only when one is needed. Runs unattended: it never loses a file, never
 * imports one twice, and a kill at any instant is finished exactly by the
 * next run (README "Drop folder" lists the guarantees).
 *
 * This module decides and acts; it never prints. What it has to say goes
 * to the caller's log callback (one line each) and diag sink. */
#ifndef CONCILIA_INBOX_H
#define CONCILIA_INBOX_H

#include <signal.h>
#include <stdbool.h>

#include "core/diag.h"
#include "reconcile/expected.h"

enum inbox_log_level {
	INBOX_LOG_INFO = 0, /* a file filed, a reconciliation, a report written */
	INBOX_LOG_DETAIL,   /* a file still arriving, and why (-v) */
};

struct inbox_options {
	const char *dir;        /* the drop folder */
	const char *archive;    /* where processed/, rejected/, duplicates/ go; NULL = dir */
	const char *report_dir; /* NULL = ARCHIVE/reports */
	const char *db_path;
	int settle;              /* seconds a closed file must stay unchanged; 0 = at once */
	int incomplete_timeout;  /* seconds a file without its trailer is waited for */
	bool wait_lock;          /* --wait: block on the ledger lock */
	bool strict;             /* import: the first warning refuses a file */
	const char *layout_path; /* import --layout */
	enum interest_start interest_start;
	const char *on_attention; /* shell command, or NULL */
	int hook_timeout;         /* seconds */
	/* One line for a person (no newline), at a level. */
	void (*log)(void *ctx, enum inbox_log_level level, const char *line);
	void *log_ctx;
	diag_sink warn; /* warnings and errors about files, as they happen */
	void *warn_ctx;
	/* Asking for a stop: the file in hand is finished first. The caller
	 * blocks stop_signals and handles them by setting *stop; they are
	 * seen while blocked (pending) between two files, and they interrupt
	 * the waits, which run with wait_mask (the mask without them). */
	volatile sig_atomic_t *stop;
	const sigset_t *stop_signals; /* may be NULL */
	const sigset_t *wait_mask;    /* NULL = the current mask */
};

struct inbox;

/* Takes the ledger lock and opens the ledger. Returns 0; 1 when another
 * process holds the lock (and not wait_lock): *holder is its pid or 0;
 * 2 with d when the caller must fix something (no such folder, no
 * ledger); -1 with d on a system error. */
int inbox_open(const struct inbox_options *opt, struct inbox **out, long *holder, struct diag *d);

/* One-shot (`concilia inbox`): finishes what an interrupted run left,
 * takes every file that is ready (waiting at most --settle seconds more
 * for files that were closed but not yet quiet), reconciles, writes the
 * report, runs the attention command. Returns 0, or -1 with d on a
 * system error (the files not taken stay where they are). */
int inbox_run_once(struct inbox *ib, struct diag *d);

/* Keeps running (`concilia watch`), reacting to the folder (inotify) and
 * to the settle and trailer deadlines, until *opt->stop is set. Returns 0,
 * or -1 with d when it could not go on. */
int inbox_watch(struct inbox *ib, struct diag *d);

/* Exit status of everything done so far: 0 clean, 1 a file rejected or
 * held or something needs a human, 3 a system error. */
int inbox_status(const struct inbox *ib);

/* Closes the ledger and releases the lock. */
void inbox_close(struct inbox *ib);

#endif
