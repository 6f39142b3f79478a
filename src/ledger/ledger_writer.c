/* Rows written by a second thread while the caller goes on: a large import
 * keeps both cores busy (the parser and the identities on one, SQLite on
 * the other), and so does a large reconciliation run (the matcher on one,
 * its outcomes, allocations, candidates and bank states on the other).
 * Same transaction, same order, same checks as writing them directly; only
 * when an error is seen moves (a later ledger_event_queue, ledger_job_push,
 * ledger_event_flush or ledger_commit reports it).
 * A third thread copies the WAL back into the database after a large
 * commit (the checkpoint), while the caller and the writer go on with the
 * next file: the commit is already on disk, the checkpoint only tidies up.
 * It does so through a connection of its own, so the ledger may be used
 * meanwhile (SQLite coordinates the two as it would two programs).
 *
 * A run's rows also go into its digest (ledger_run_rows.c): a fourth
 * thread makes those lines from each batch the writer has written.
 * Hand-off is by whole batches under one mutex: the caller fills one batch
 * while the writer writes another and the digest thread hashes a third.
 * The connection is only ever used by one thread at a time: every other
 * ledger function that touches it first waits for the writer (and the
 * digest: ledger_writer_sync). */
#include "config.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/ledger_internal.h"

enum { BATCH = 2048, BATCHES = 3 };

struct ledger_writer {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct ledger_job *batch[BATCHES]; /* all of them, to free */
	struct ledger_job *fill;           /* the caller's batch */
	size_t filled;
	struct ledger_job *free_batch[BATCHES]; /* ready for the caller */
	int nfree;
	struct ledger_job *work; /* the writer's batch, NULL when idle */
	size_t work_len;
	pthread_t digest_thread;
	bool digest_started;
	struct ledger_job *to_digest; /* written, waiting for the digest thread */
	size_t digest_len;
	bool digesting;
	pthread_t ckpt_thread; /* started with the first checkpoint */
	bool ckpt_started;
	bool checkpoint;       /* a checkpoint to run */
	bool checkpointing;    /* one is running */
	sqlite3 *ckpt_db;      /* checkpoint thread only: its connection */
	sqlite3_stmt *touch; /* writer thread only: see touch_import */
	bool quit;
	/* Results since the last flush, guarded by mu. */
	struct ledger_event_counts counts;
	bool failed;
	struct diag error;
};

/* Reads the import's row and its import_by_sequence entry, both written at
 * the start of the transaction and updated at its end. Reading a page puts
 * it back at the young end of SQLite's dirty-page list, so that when a
 * large import overflows the page cache these pages are not the first
 * spilled to the WAL: a page spilled and then changed again is rewritten
 * in place in the WAL, and SQLite then recomputes the checksum of every
 * frame after it at commit (reading the whole WAL back: 0.1-0.2 s for a
 * 450 000-title file). */
static void touch_import(struct ledger *lg, struct ledger_writer *w, int64_t import_id)
{
	if (!w->touch &&
	    sqlite3_prepare_v3(lg->db,
	                       "SELECT (SELECT 1 FROM import x INDEXED BY import_by_sequence"
	                       " WHERE x.bank IS i.bank AND x.agreement IS i.agreement AND x.nsa IS i.nsa"
	                       " AND x.id = i.id) FROM import i WHERE i.id = ?",
	                       -1, SQLITE_PREPARE_PERSISTENT, &w->touch, NULL) != SQLITE_OK) {
		w->touch = NULL;
		return; /* only slower */
	}
	sqlite3_bind_int64(w->touch, 1, import_id);
	while (sqlite3_step(w->touch) == SQLITE_ROW)
		;
	sqlite3_reset(w->touch);
}

/* PASSIVE: never waits for readers or the writer; whatever it cannot copy
 * now, a later checkpoint will (or closing the ledger). A failure loses
 * nothing: the WAL keeps the committed pages. */
static void checkpoint(struct ledger *lg, struct ledger_writer *w)
{
	if (!w->ckpt_db &&
	    sqlite3_open_v2(lg->path, &w->ckpt_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		sqlite3_close(w->ckpt_db);
		w->ckpt_db = NULL;
		return;
	}
	/* Before SQLite 3.42 a connection that has read nothing has not opened
	 * the WAL, and its checkpoint silently copies nothing: read the schema
	 * cookie first (a no-op once the WAL is open). */
	sqlite3_exec(w->ckpt_db, "PRAGMA schema_version", NULL, NULL, NULL);
	sqlite3_wal_checkpoint_v2(w->ckpt_db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
}

static void count_event(struct ledger_event_counts *c, const struct ledger_queued_event *q, bool inserted)
{
	if (inserted) {
		c->events++;
		c->payments += event_kind_is_payment(q->kind) != 0;
	} else {
		c->duplicates++;
	}
}

static int run_job(struct ledger *lg, struct ledger_job *j, struct ledger_event_counts *c, struct diag *err)
{
	bool inserted;
	switch (j->kind) {
	case JOB_EVENT:
		if (ledger_event_write(lg, &j->u.ev, &inserted, err) != 0)
			return -1;
		count_event(c, &j->u.ev, inserted);
		return 0;
	case JOB_OUTCOME: {
		struct ledger_queued_outcome *one = &j->u.outcome;
		return ledger_outcomes_write(lg, &one, 1, err);
	}
	case JOB_CANDIDATE:
		return ledger_candidate_write(lg, &j->u.candidate, err);
	case JOB_STATE:
		return ledger_state_write(lg, &j->u.state, err);
	}
	return 0;
}

static int write_events(struct ledger *lg, struct ledger_job *jobs, int n, struct ledger_event_counts *c,
			struct diag *err)
{
	const struct ledger_queued_event *group[LEDGER_ROWS_PER_INSERT];
	bool inserted[LEDGER_ROWS_PER_INSERT];
	for (int i = 0; i < n; i++)
		group[i] = &jobs[i].u.ev;
	if (ledger_events_write(lg, group, n, inserted, err) != 0)
		return -1;
	for (int i = 0; i < n; i++)
		count_event(c, group[i], inserted[i]);
	return 0;
}

static int write_outcomes(struct ledger *lg, struct ledger_job *jobs, int n, struct diag *err)
{
	struct ledger_queued_outcome *group[LEDGER_ROWS_PER_INSERT];
	for (int i = 0; i < n; i++)
		group[i] = &jobs[i].u.outcome;
	return ledger_outcomes_write(lg, group, n, err);
}

/* Whether a written batch holds rows of a reconciliation run (their digest
 * lines are still to be made). */
static bool needs_digest(const struct ledger_job *batch, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (batch[i].kind != JOB_EVENT)
			return true;
	return false;
}

/* The digest lines of a written batch, in the order its rows were queued. */
static void digest_batch(struct ledger *lg, const struct ledger_job *batch, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct ledger_job *j = &batch[i];
		switch (j->kind) {
		case JOB_EVENT:
			break;
		case JOB_OUTCOME:
			ledger_outcome_digest(lg, &j->u.outcome);
			break;
		case JOB_CANDIDATE:
			ledger_run_rows_candidate(lg, j->u.candidate.id, j->u.candidate.outcome_id,
						  j->u.candidate.receivable_id, j->u.candidate.rule, j->u.candidate.cents);
			break;
		case JOB_STATE:
			ledger_run_rows_state(lg, j->u.state.id, j->u.state.receivable_id, j->u.state.state,
					      j->u.state.event_id);
			break;
		}
	}
}

/* The digest's own thread: formatting a million outcome and allocation
 * lines and hashing them is a tenth of a big run's work, done here on
 * whichever core the matcher or the writer leaves idle. Batches come from
 * the writer in order; each goes back to the caller when hashed. */
static void *digester_main(void *arg)
{
	struct ledger *lg = arg;
	struct ledger_writer *w = lg->writer;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->to_digest && !w->quit)
			pthread_cond_wait(&w->cv, &w->mu);
		if (!w->to_digest)
			break;
		struct ledger_job *batch = w->to_digest;
		size_t n = w->digest_len;
		w->to_digest = NULL;
		w->digesting = true;
		pthread_cond_broadcast(&w->cv);
		pthread_mutex_unlock(&w->mu);
		digest_batch(lg, batch, n);
		pthread_mutex_lock(&w->mu);
		w->free_batch[w->nfree++] = batch;
		w->digesting = false;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static void *writer_main(void *arg)
{
	struct ledger *lg = arg;
	struct ledger_writer *w = lg->writer;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->work && !w->quit)
			pthread_cond_wait(&w->cv, &w->mu);
		if (!w->work)
			break;
		struct ledger_job *batch = w->work;
		size_t n = w->work_len;
		bool failed = w->failed;
		pthread_mutex_unlock(&w->mu);

		struct ledger_event_counts c = {0};
		struct diag err;
		diag_clear(&err);
		if (!failed && n && batch[0].kind == JOB_EVENT)
			touch_import(lg, w, batch[0].u.ev.import_id);
		for (size_t i = 0; i < n && !failed;) {
			/* Events, and outcomes, that follow each other go in groups:
			 * one statement per group. */
			enum ledger_job_kind kind = batch[i].kind;
			int k = 0;
			while (i + k < n && k < LEDGER_ROWS_PER_INSERT && batch[i + k].kind == kind)
				k++;
			if (kind == JOB_EVENT && k > 1)
				failed = write_events(lg, &batch[i], k, &c, &err) != 0;
			else if (kind == JOB_OUTCOME && k > 1)
				failed = write_outcomes(lg, &batch[i], k, &err) != 0;
			else {
				k = 1;
				failed = run_job(lg, &batch[i], &c, &err) != 0;
			}
			i += (size_t)k;
		}

		pthread_mutex_lock(&w->mu);
		w->counts.events += c.events;
		w->counts.payments += c.payments;
		w->counts.duplicates += c.duplicates;
		if (failed && !w->failed) {
			w->failed = true;
			w->error = err;
		}
		bool digest = needs_digest(batch, n);
		if (digest && w->digest_started) {
			while (w->to_digest)
				pthread_cond_wait(&w->cv, &w->mu);
			w->to_digest = batch;
			w->digest_len = n;
		} else {
			if (digest)
				digest_batch(lg, batch, n); /* no digest thread */
			w->free_batch[w->nfree++] = batch;
		}
		w->work = NULL;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* The checkpoints' own thread: the writer goes straight on with the next
 * file's events while the last commit's pages are copied into the
 * database (on a core the parser leaves half idle). */
static void *checkpointer_main(void *arg)
{
	struct ledger *lg = arg;
	struct ledger_writer *w = lg->writer;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->checkpoint && !w->quit)
			pthread_cond_wait(&w->cv, &w->mu);
		if (!w->checkpoint)
			break;
		w->checkpoint = false;
		w->checkpointing = true;
		pthread_mutex_unlock(&w->mu);
		checkpoint(lg, w);
		pthread_mutex_lock(&w->mu);
		w->checkpointing = false;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static void writer_free(struct ledger_writer *w)
{
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	for (int i = 0; i < BATCHES; i++)
		free(w->batch[i]);
	free(w);
}

static int writer_start(struct ledger *lg, struct diag *d)
{
	struct ledger_writer *w = calloc(1, sizeof *w);
	if (!w)
		return diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL, "out of memory");
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	for (int i = 0; i < BATCHES; i++)
		if (!(w->batch[i] = malloc(BATCH * sizeof *w->batch[i]))) {
			writer_free(w);
			return diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL, "out of memory");
		}
	w->fill = w->batch[0];
	for (int i = 1; i < BATCHES; i++)
		w->free_batch[w->nfree++] = w->batch[i];
	lg->writer = w;
	if (pthread_create(&w->thread, NULL, writer_main, lg) != 0) {
		writer_free(w);
		lg->writer = NULL;
		return diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL, "cannot start the ledger writer thread");
	}
	/* Without it the writer makes the digest lines itself. */
	w->digest_started = pthread_create(&w->digest_thread, NULL, digester_main, lg) == 0;
	return 0;
}

/* Waits until the writer is idle and a batch is free for the caller; with
 * mu held on return. */
static void wait_idle(struct ledger_writer *w)
{
	pthread_mutex_lock(&w->mu);
	while (w->work || w->nfree == 0)
		pthread_cond_wait(&w->cv, &w->mu);
}

/* The same, and every written batch hashed: nothing of the writer's or
 * the digest thread's is in flight. */
static void wait_all(struct ledger_writer *w)
{
	pthread_mutex_lock(&w->mu);
	while (w->work || w->to_digest || w->digesting)
		pthread_cond_wait(&w->cv, &w->mu);
}

/* Hands the caller's batch to the writer (which must be idle, with a batch
 * free: mu held) and takes a free one. */
static void hand_off(struct ledger *lg)
{
	struct ledger_writer *w = lg->writer;
	w->work = w->fill;
	w->work_len = w->filled;
	w->fill = w->free_batch[--w->nfree];
	w->filled = 0;
	pthread_cond_broadcast(&w->cv);
}

struct ledger_job *ledger_job_slot(struct ledger *lg, struct diag *d)
{
	if (!lg->writer && writer_start(lg, d) != 0)
		return NULL;
	return &lg->writer->fill[lg->writer->filled];
}

int ledger_job_push(struct ledger *lg, struct diag *d)
{
	struct ledger_writer *w = lg->writer;
	if (++w->filled < BATCH)
		return 0;
	wait_idle(w);
	if (w->failed) {
		/* Stop the caller: the transaction is lost anyway. */
		*d = w->error;
		pthread_mutex_unlock(&w->mu);
		return -1;
	}
	hand_off(lg);
	pthread_mutex_unlock(&w->mu);
	return 0;
}

int ledger_event_queue(struct ledger *lg, int64_t import_id, const struct bank_event *ev, struct diag *d)
{
	struct ledger_job *j = ledger_job_slot(lg, d);
	if (!j)
		return -1;
	j->kind = JOB_EVENT;
	if (ledger_event_prepare(lg, import_id, ev, &j->u.ev, d) != 0)
		return -1;
	return ledger_job_push(lg, d);
}

void ledger_writer_claim(struct ledger *lg)
{
	struct ledger_writer *w = lg->writer;
	if (w && !pthread_equal(pthread_self(), w->thread))
		ledger_writer_sync(lg);
}

void ledger_writer_sync(struct ledger *lg)
{
	struct ledger_writer *w = lg->writer;
	if (!w)
		return;
	wait_idle(w);
	if (w->filled)
		hand_off(lg);
	while (w->work || w->to_digest || w->digesting)
		pthread_cond_wait(&w->cv, &w->mu);
	pthread_mutex_unlock(&w->mu);
}

int ledger_writer_checkpoint(struct ledger *lg, struct diag *d)
{
	if (!lg->writer && writer_start(lg, d) != 0)
		return -1;
	struct ledger_writer *w = lg->writer;
	pthread_mutex_lock(&w->mu);
	if (!w->ckpt_started) {
		if (pthread_create(&w->ckpt_thread, NULL, checkpointer_main, lg) != 0) {
			pthread_mutex_unlock(&w->mu);
			return diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL, "cannot start the checkpoint thread");
		}
		w->ckpt_started = true;
	}
	w->checkpoint = true;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	return 0;
}

int ledger_event_flush(struct ledger *lg, struct ledger_event_counts *counts, struct diag *d)
{
	struct ledger_writer *w = lg->writer;
	memset(counts, 0, sizeof *counts);
	if (!w)
		return 0;
	ledger_writer_sync(lg);
	pthread_mutex_lock(&w->mu);
	int rc = 0;
	if (w->failed) {
		*d = w->error;
		rc = -1;
	} else {
		*counts = w->counts;
	}
	memset(&w->counts, 0, sizeof w->counts);
	w->failed = false;
	pthread_mutex_unlock(&w->mu);
	return rc;
}

void ledger_writer_discard(struct ledger *lg)
{
	struct ledger_writer *w = lg->writer;
	if (!w)
		return;
	wait_all(w); /* the digest thread may still use the run's digest */
	w->filled = 0;
	memset(&w->counts, 0, sizeof w->counts);
	w->failed = false;
	pthread_mutex_unlock(&w->mu);
}

bool ledger_writer_pending(struct ledger *lg, struct diag *d)
{
	struct ledger_writer *w = lg->writer;
	if (!w)
		return false;
	ledger_writer_sync(lg);
	pthread_mutex_lock(&w->mu);
	bool failed = w->failed;
	if (failed)
		*d = w->error;
	pthread_mutex_unlock(&w->mu);
	return failed;
}

void ledger_writer_stop(struct ledger *lg)
{
	struct ledger_writer *w = lg->writer;
	if (!w)
		return;
	wait_all(w);
	while (w->checkpoint || w->checkpointing)
		pthread_cond_wait(&w->cv, &w->mu);
	w->quit = true;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	if (w->digest_started)
		pthread_join(w->digest_thread, NULL);
	if (w->ckpt_started)
		pthread_join(w->ckpt_thread, NULL);
	sqlite3_finalize(w->touch);
	sqlite3_close(w->ckpt_db);
	writer_free(w);
	lg->writer = NULL;
}
