/* What the matcher reads (payment events not yet reconciled) and writes
 * (one outcome per event, an allocation when money is applied). */
#include "config.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sha256.h"
#include "ledger/ledger_internal.h"

#define EVENT_COLUMNS                                                                               \
	"e.id, e.import_id, i.filename, i.generated, e.line, e.line_end, e.bank, e.agreement,"      \
	" e.nosso_numero, e.nosso_numero_raw, e.seu_numero, e.company_ref, e.occurrence, e.kind,"    \
	" e.occurrence_text, e.reasons, e.due_date, e.occurrence_date, e.credit_date, e.face_cents," \
	" e.paid_cents, e.net_cents, e.tariff_cents, e.charges_cents, e.discount_cents,"             \
	" e.rebate_cents, e.iof_cents, e.other_expenses_cents, e.other_credits_cents,"               \
	" e.payer_document, e.payer_name, e.end_to_end_id, e.txid, e.refund_id, e.statement_ref,"     \
	" e.free_text, e.weak_identity, e.payer_document_partial, e.identity"

static void read_event(sqlite3_stmt *st, struct ledger_event *out)
{
	struct bank_event *ev = &out->ev;
	char kind[40];
	int c = 0;
	memset(out, 0, sizeof *out);
	out->rowid = sqlite3_column_int64(st, c++);
	out->import_id = sqlite3_column_int64(st, c++);
	ledger_column_copy(st, c++, out->filename, sizeof out->filename);
	out->generated = ledger_column_date(st, c++);
	ev->line = (long)sqlite3_column_int64(st, c++);
	ev->line_end = (long)sqlite3_column_int64(st, c++);
	ev->bank = sqlite3_column_int(st, c++);
	ledger_column_copy(st, c++, ev->agreement, sizeof ev->agreement);
	ledger_column_copy(st, c++, ev->nosso_numero, sizeof ev->nosso_numero);
	ledger_column_copy(st, c++, ev->nosso_numero_raw, sizeof ev->nosso_numero_raw);
	ledger_column_copy(st, c++, ev->seu_numero, sizeof ev->seu_numero);
	ledger_column_copy(st, c++, ev->company_ref, sizeof ev->company_ref);
	ledger_column_copy(st, c++, ev->occurrence, sizeof ev->occurrence);
	ledger_column_copy(st, c++, kind, sizeof kind);
	ev->kind = event_kind_from_name(kind);
	ledger_column_copy(st, c++, ev->occurrence_text, sizeof ev->occurrence_text);
	ledger_column_copy(st, c++, ev->reasons, sizeof ev->reasons);
	ev->due_date = ledger_column_date(st, c++);
	ev->occurrence_date = ledger_column_date(st, c++);
	ev->credit_date = ledger_column_date(st, c++);
	ev->face_cents = sqlite3_column_int64(st, c++);
	ev->paid_cents = sqlite3_column_int64(st, c++);
	ev->net_cents = sqlite3_column_int64(st, c++);
	ev->tariff_cents = sqlite3_column_int64(st, c++);
	ev->charges_cents = sqlite3_column_int64(st, c++);
	ev->discount_cents = sqlite3_column_int64(st, c++);
	ev->rebate_cents = sqlite3_column_int64(st, c++);
	ev->iof_cents = sqlite3_column_int64(st, c++);
	ev->other_expenses_cents = sqlite3_column_int64(st, c++);
	ev->other_credits_cents = sqlite3_column_int64(st, c++);
	ledger_column_copy(st, c++, ev->payer_document, sizeof ev->payer_document);
	ledger_column_copy(st, c++, ev->payer_name, sizeof ev->payer_name);
	ledger_column_copy(st, c++, ev->end_to_end_id, sizeof ev->end_to_end_id);
	ledger_column_copy(st, c++, ev->txid, sizeof ev->txid);
	ledger_column_copy(st, c++, ev->refund_id, sizeof ev->refund_id);
	ledger_column_copy(st, c++, ev->statement_ref, sizeof ev->statement_ref);
	ledger_column_copy(st, c++, ev->free_text, sizeof ev->free_text);
	ev->weak_identity = sqlite3_column_int(st, c++);
	ev->payer_document_partial = sqlite3_column_int(st, c++);
	ledger_column_copy(st, c++, ev->identity, sizeof ev->identity);
}

int64_t ledger_take_id(struct ledger *lg, enum ledger_id_table t)
{
	return lg->run_background ? lg->next_id[t]++ : 0;
}

static int copy_text(char *dst, size_t n, const char *s)
{
	size_t len = s ? strlen(s) : 0;
	if (len >= n)
		return -1;
	memcpy(dst, s ? s : "", len + 1);
	return 0;
}

enum { PENDING_BATCH = 4096 };

/* ?1: the last event id read (at first, the reconciled mark). */
#define PENDING_QUERY                                                                               \
	"SELECT " EVENT_COLUMNS " FROM event e JOIN import i ON i.id = e.import_id"                 \
	" WHERE e.kind IN " LEDGER_RECONCILED_KINDS " AND e.id > ?"                                  \
	" AND NOT EXISTS (SELECT 1 FROM outcome o WHERE o.event_id = e.id)"                          \
	" ORDER BY e.id LIMIT ?"

/* A background run reads its events through a connection of its own: the
 * snapshot committed before the run began (the run holds the write lock,
 * so nothing else commits meanwhile), in one pass, while the writer thread
 * writes outcomes through the main connection. The reading itself (the
 * query, and decoding 39 columns into a struct ledger_event) runs on a
 * thread of its own too, a batch ahead of the matcher: it is over a third
 * of the matcher's work. */
enum { FEED_BATCH = 128 };

struct event_feed {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct ledger_event *buf[2];
	int len[2];
	bool ready[2]; /* filled, the matcher's until it clears it */
	bool done;     /* no batch will follow (rc, d tell why) */
	bool stop;     /* the matcher wants no more */
	int rc;
	struct diag d;
	struct ledger_reader *rd;
	sqlite3_stmt *st;
};

static void *feed_main(void *arg)
{
	struct event_feed *f = arg;
	int step = SQLITE_ROW, rc = 0;
	for (int b = 0; step == SQLITE_ROW; b ^= 1) {
		pthread_mutex_lock(&f->mu);
		while (f->ready[b] && !f->stop)
			pthread_cond_wait(&f->cv, &f->mu);
		bool stop = f->stop;
		pthread_mutex_unlock(&f->mu);
		if (stop)
			break;
		int n = 0;
		while (n < FEED_BATCH && (step = sqlite3_step(f->st)) == SQLITE_ROW)
			read_event(f->st, &f->buf[b][n++]);
		if (step != SQLITE_ROW && step != SQLITE_DONE)
			rc = ledger_reader_error(f->rd, &f->d, "reading pending payments");
		pthread_mutex_lock(&f->mu);
		f->len[b] = n;
		f->ready[b] = n > 0;
		pthread_cond_broadcast(&f->cv);
		pthread_mutex_unlock(&f->mu);
		if (rc)
			break;
	}
	pthread_mutex_lock(&f->mu);
	f->rc = rc;
	f->done = true;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
	return NULL;
}

/* The highest reconciled mark (schema 13), through db: 0 when none. */
static int reconciled_mark(sqlite3 *db, int64_t *mark)
{
	sqlite3_stmt *st;
	*mark = 0;
	if (sqlite3_prepare_v2(db, "SELECT " LEDGER_RECONCILED_MARK, -1, &st, NULL) != SQLITE_OK)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*mark = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* 1: not possible here (the caller reads in batches instead). */
static int pending_from_snapshot(struct ledger *lg, int (*fn)(void *ctx, const struct ledger_event *e), void *ctx,
				 struct diag *d)
{
	struct event_feed f = {0};
	if (ledger_reader_open(lg, &f.rd, d))
		return -1;
	if (!f.rd)
		return 1;
	int rc = 0;
	pthread_t t;
	f.buf[0] = malloc(2 * FEED_BATCH * sizeof *f.buf[0]);
	f.buf[1] = f.buf[0] ? f.buf[0] + FEED_BATCH : NULL;
	if (!f.buf[0])
		rc = diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL, "out of memory");
	else if (sqlite3_prepare_v2(f.rd->db, PENDING_QUERY, -1, &f.st, NULL) != SQLITE_OK)
		rc = ledger_reader_error(f.rd, d, "reading pending payments");
	int64_t mark = 0;
	if (!rc && reconciled_mark(f.rd->db, &mark) != 0)
		rc = ledger_reader_error(f.rd, d, "reading the reconciled mark");
	if (!rc) {
		sqlite3_bind_int64(f.st, 1, mark);
		sqlite3_bind_int64(f.st, 2, -1); /* no limit */
		pthread_mutex_init(&f.mu, NULL);
		pthread_cond_init(&f.cv, NULL);
		if (pthread_create(&t, NULL, feed_main, &f) != 0) {
			rc = 1; /* no thread: the caller reads in batches */
		} else {
			for (int b = 0; rc == 0; b ^= 1) {
				pthread_mutex_lock(&f.mu);
				while (!f.ready[b] && !f.done)
					pthread_cond_wait(&f.cv, &f.mu);
				bool have = f.ready[b];
				pthread_mutex_unlock(&f.mu);
				if (!have)
					break;
				for (int i = 0; i < f.len[b] && rc == 0; i++) {
					lg->run_fed++;
					rc = fn(ctx, &f.buf[b][i]);
				}
				pthread_mutex_lock(&f.mu);
				f.ready[b] = false;
				pthread_cond_broadcast(&f.cv);
				pthread_mutex_unlock(&f.mu);
			}
			pthread_mutex_lock(&f.mu);
			f.stop = true;
			pthread_cond_broadcast(&f.cv);
			pthread_mutex_unlock(&f.mu);
			pthread_join(t, NULL);
			if (rc == 0 && f.rc) {
				*d = f.d;
				rc = f.rc;
			}
		}
		pthread_mutex_destroy(&f.mu);
		pthread_cond_destroy(&f.cv);
	}
	sqlite3_finalize(f.st);
	ledger_reader_close(f.rd);
	free(f.buf[0]);
	return rc;
}

int ledger_pending_payments(struct ledger *lg, int (*fn)(void *ctx, const struct ledger_event *e),
			    void *ctx, struct diag *d)
{
	if (lg->run_background) {
		int rc = pending_from_snapshot(lg, fn, ctx, d);
		if (rc <= 0)
			return rc;
	}
	/* Batches read fully before the callback writes: SQLite does not
	 * promise what a cursor sees of rows inserted while it steps. */
	struct ledger_event *batch = malloc(PENDING_BATCH * sizeof *batch);
	sqlite3_stmt *st;
	int64_t after = 0;
	int rc = 0;
	if (!batch)
		return diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL, "out of memory");
	ledger_writer_sync(lg);
	if (reconciled_mark(lg->db, &after) != 0 ||
	    sqlite3_prepare_v2(lg->db, PENDING_QUERY, -1, &st, NULL) != SQLITE_OK) {
		free(batch);
		return ledger_sql_error(lg, d, "reading pending payments");
	}
	for (;;) {
		int n = 0, step;
		ledger_writer_sync(lg);
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, after);
		sqlite3_bind_int(st, 2, PENDING_BATCH);
		while ((step = sqlite3_step(st)) == SQLITE_ROW)
			read_event(st, &batch[n++]);
		if (step != SQLITE_DONE) {
			rc = ledger_sql_error(lg, d, "reading pending payments");
			break;
		}
		sqlite3_reset(st);
		for (int i = 0; i < n && rc == 0; i++) {
			lg->run_fed++;
			rc = fn(ctx, &batch[i]);
		}
		if (rc != 0 || n < PENDING_BATCH)
			break;
		after = batch[n - 1].rowid;
	}
	ledger_writer_sync(lg);
	sqlite3_finalize(st);
	free(batch);
	return rc;
}

int ledger_pending_count(struct ledger *lg, long limit, long *count, struct diag *d)
{
	sqlite3_stmt *st;
	ledger_writer_claim(lg);
	if (sqlite3_prepare_v2(lg->db,
			       "SELECT COUNT(*) FROM (SELECT 1 FROM event e WHERE e.id > " LEDGER_RECONCILED_MARK
			       " AND e.kind IN " LEDGER_RECONCILED_KINDS
			       " AND NOT EXISTS (SELECT 1 FROM outcome o WHERE o.event_id = e.id) LIMIT ?)",
			       -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "counting pending events");
	sqlite3_bind_int64(st, 1, limit > 0 ? limit : -1); /* LIMIT -1: none */
	int rc = sqlite3_step(st);
	*count = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return ledger_sql_error(lg, d, "counting pending events");
	return 0;
}

int ledger_receivable_bank_state(struct ledger *lg, int64_t rowid, char *out, size_t n, struct diag *d)
{
	out[0] = '\0';
	if (ledger_prepare(lg, &lg->st_receivable_bank_state,
			   "SELECT state FROM receivable_state WHERE receivable_id = ? ORDER BY id DESC LIMIT 1", d))
		return -1;
	sqlite3_stmt *st = lg->st_receivable_bank_state;
	sqlite3_bind_int64(st, 1, rowid);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		ledger_column_copy(st, 0, out, n);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "reading a receivable's bank state");
	return 0;
}

int ledger_state_write(struct ledger *lg, struct ledger_queued_state *q, struct diag *d)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(lg->db, "INSERT INTO receivable_state(id, receivable_id, state, event_id, at) VALUES (?,?,?,?,?)",
			       -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "recording a receivable's bank state");
	ledger_bind_id(st, 1, q->id);
	sqlite3_bind_int64(st, 2, q->receivable_id);
	sqlite3_bind_text(st, 3, q->state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, q->event_id);
	sqlite3_bind_text(st, 5, q->at, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "recording a receivable's bank state");
	if (!q->id)
		q->id = sqlite3_last_insert_rowid(lg->db);
	if (!q->queued)
		ledger_run_rows_state(lg, q->id, q->receivable_id, q->state, q->event_id);
	return 0;
}

int ledger_receivable_state_add(struct ledger *lg, int64_t rowid, const char *state, int64_t event_id,
				struct diag *d)
{
	struct ledger_queued_state local, *q = &local;
	struct ledger_job *j = NULL;
	if (strlen(state) >= sizeof q->state)
		return diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL, "bank state '%s' is too long", state);
	if (lg->run_background) {
		if (!(j = ledger_job_slot(lg, d)))
			return -1;
		j->kind = JOB_STATE;
		q = &j->u.state;
	}
	q->id = ledger_take_id(lg, ID_STATE);
	q->receivable_id = rowid;
	q->event_id = event_id;
	snprintf(q->state, sizeof q->state, "%s", state);
	ledger_now(q->at, sizeof q->at);
	q->queued = j != NULL;
	if (j)
		return ledger_job_push(lg, d);
	ledger_writer_sync(lg);
	return ledger_state_write(lg, q, d);
}

int ledger_run_start(struct ledger *lg, int64_t *run_id, struct diag *d)
{
	char *now = lg->run_at;
	sqlite3_stmt *st;
	ledger_writer_claim(lg);
	ledger_now(lg->run_at, sizeof lg->run_at);
	if (sqlite3_prepare_v2(lg->db, "INSERT INTO run(started_at, actor) VALUES (?, ?)", -1, &st, NULL) !=
	    SQLITE_OK)
		return ledger_sql_error(lg, d, "starting a reconciliation run");
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, lg->actor, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "starting a reconciliation run");
	*run_id = sqlite3_last_insert_rowid(lg->db);
	lg->run_fed = lg->run_outcomes = 0;
	if (ledger_max_id(lg, "event", "reading the last event", &lg->run_last_event, d))
		return -1;
	ledger_run_rows_begin(lg);
	return 0;
}

int ledger_run_background(struct ledger *lg, struct diag *d)
{
	static const char *const tables[LEDGER_ID_TABLES] = {
		[ID_OUTCOME] = "outcome",
		[ID_ALLOCATION] = "allocation",
		[ID_CANDIDATE] = "outcome_candidate",
		[ID_STATE] = "receivable_state",
	};
	ledger_writer_sync(lg);
	for (int t = 0; t < LEDGER_ID_TABLES; t++) {
		if (ledger_max_id(lg, tables[t], "reading the last id", &lg->next_id[t], d))
			return -1;
		lg->next_id[t]++;
	}
	lg->run_background = true;
	return 0;
}

int ledger_run_finish(struct ledger *lg, int64_t run_id, long events, struct diag *d)
{
	sqlite3_stmt *st;
	/* Every row of the run is written (or its error reported) first. */
	bool failed = ledger_writer_pending(lg, d);
	lg->run_background = false;
	if (failed)
		return -1;
	if (sqlite3_prepare_v2(lg->db, "UPDATE run SET events = ?, through_event = ? WHERE id = ?", -1, &st, NULL) !=
	    SQLITE_OK)
		return ledger_sql_error(lg, d, "finishing a reconciliation run");
	sqlite3_bind_int64(st, 1, events);
	/* Each event given to the run has its outcome (one at most, by the
	 * UNIQUE key) when the counts agree: every event that was waiting up to
	 * the last one at the start is reconciled. */
	if (lg->run_fed == lg->run_outcomes)
		sqlite3_bind_int64(st, 2, lg->run_last_event);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_int64(st, 3, run_id);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "finishing a reconciliation run");
	char subject[32], detail[160], digest[SHA256_HEX_LEN + 1];
	if (ledger_run_rows_digest(lg, run_id, digest, d))
		return -1;
	snprintf(subject, sizeof subject, "run %lld", (long long)run_id);
	snprintf(detail, sizeof detail, "%ld bank events reconciled; " RUN_DIGEST_MARK "%s", events, digest);
	/* Allocations made after the run (by a person, in the same process)
	 * carry their own time, not the run's. */
	lg->run_at[0] = '\0';
	return ledger_journal(lg, "reconcile.run", subject, detail, d);
}

#define OUTCOME_INSERT                                                                              \
	"INSERT INTO outcome(id, event_id, run_id, receivable_id, category, rule, paid_cents,"      \
	" expected_cents, allocated_cents, excess_cents, settles, detail, needs_human) VALUES "
#define OUTCOME_ROW "(?,?,?,?,?,?,?,?,?,?,?,?,?)"
#define ALLOCATION_INSERT                                                                           \
	"INSERT INTO allocation(id, event_id, receivable_id, cents, rule, settles, actor, created_at,"  \
	" run_id, rule_set) VALUES "
#define ALLOCATION_ROW "(?,?,?,?,?,?,?,?,?,?)"

/* A queued row's texts stay put until its statement has run: SQLite need
 * not copy them (SQLITE_TRANSIENT costs a malloc and a free per text). */
static void bind_kept_text_or_null(sqlite3_stmt *st, int idx, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, idx, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, idx);
}

static void bind_outcome(sqlite3_stmt *st, int k, const struct ledger_queued_outcome *q)
{
	ledger_bind_id(st, k + 1, q->id);
	sqlite3_bind_int64(st, k + 2, q->event_id);
	sqlite3_bind_int64(st, k + 3, q->run_id);
	ledger_bind_id(st, k + 4, q->receivable_id);
	sqlite3_bind_text(st, k + 5, q->category, -1, SQLITE_STATIC);
	bind_kept_text_or_null(st, k + 6, q->rule);
	sqlite3_bind_int64(st, k + 7, q->paid_cents);
	sqlite3_bind_int64(st, k + 8, q->expected_cents);
	sqlite3_bind_int64(st, k + 9, q->allocated_cents);
	sqlite3_bind_int64(st, k + 10, q->excess_cents);
	sqlite3_bind_int(st, k + 11, q->settles);
	bind_kept_text_or_null(st, k + 12, q->detail);
	sqlite3_bind_int(st, k + 13, q->needs_human);
}

static void bind_allocation(struct ledger *lg, sqlite3_stmt *st, int k, const struct ledger_queued_outcome *q)
{
	ledger_bind_id(st, k + 1, q->allocation_id);
	sqlite3_bind_int64(st, k + 2, q->event_id);
	sqlite3_bind_int64(st, k + 3, q->receivable_id);
	sqlite3_bind_int64(st, k + 4, q->allocated_cents);
	sqlite3_bind_text(st, k + 5, q->rule ? q->rule : "manual", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, k + 6, q->settles);
	sqlite3_bind_text(st, k + 7, lg->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, k + 8, q->at, -1, SQLITE_STATIC);
	ledger_bind_id(st, k + 9, q->run_id);
	bind_kept_text_or_null(st, k + 10, q->rule_set);
}

void ledger_outcome_digest(struct ledger *lg, const struct ledger_queued_outcome *q)
{
	struct ledger_outcome o = {
		.event_id = q->event_id,
		.needs_human = q->needs_human,
		.receivable_id = q->receivable_id,
		.category = q->category,
		.rule = q->rule,
		.paid_cents = q->paid_cents,
		.expected_cents = q->expected_cents,
		.allocated_cents = q->allocated_cents,
		.excess_cents = q->excess_cents,
		.settles = q->settles,
		.detail = q->detail,
	};
	ledger_run_rows_outcome(lg, q->id, &o);
	if (!q->want_allocation)
		return;
	struct ledger_run_allocation ra = {
		.event_id = q->event_id,
		.receivable_id = q->receivable_id,
		.cents = q->allocated_cents,
		.rule = q->rule ? q->rule : "manual",
		.actor = lg->actor,
		.created_at = q->at,
		.rule_set = q->rule_set,
		.settles = q->settles,
	};
	ledger_run_rows_allocation(lg, q->allocation_id, &ra);
}

int ledger_outcomes_write(struct ledger *lg, struct ledger_queued_outcome *const *q, int n, struct diag *d)
{
	sqlite3_stmt **st = ledger_many_insert(lg, lg->st_outcome_many, OUTCOME_INSERT, OUTCOME_ROW, n, d);
	if (!st)
		return -1;
	int alloc = 0;
	for (int i = 0; i < n; i++) {
		bind_outcome(*st, 13 * i, q[i]);
		alloc += q[i]->want_allocation;
	}
	int rc = sqlite3_step(*st);
	sqlite3_reset(*st);
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, n == 1 ? "recording an outcome" : "recording outcomes");
	/* An id left to SQLite (one row at a time only) is read back. */
	if (!q[0]->id)
		q[0]->id = sqlite3_last_insert_rowid(lg->db);
	if (alloc) {
		st = ledger_many_insert(lg, lg->st_allocation_many, ALLOCATION_INSERT, ALLOCATION_ROW, alloc, d);
		if (!st)
			return -1;
		for (int i = 0, k = 0; i < n; i++)
			if (q[i]->want_allocation)
				bind_allocation(lg, *st, 10 * k++, q[i]);
		rc = sqlite3_step(*st);
		sqlite3_reset(*st);
		if (rc != SQLITE_DONE)
			return ledger_sql_error(lg, d, n == 1 ? "recording an allocation" : "recording allocations");
		if (!q[0]->allocation_id)
			q[0]->allocation_id = sqlite3_last_insert_rowid(lg->db);
	}
	for (int i = 0; i < n; i++)
		if (!q[i]->queued)
			ledger_outcome_digest(lg, q[i]);
	return 0;
}

/* Money applied to a receivable (or a settlement) gets an allocation row. */
static bool wants_allocation(const struct ledger_outcome *o)
{
	return o->receivable_id && (o->allocated_cents != 0 || o->settles);
}

/* Fills q from o. With copy, the texts are copied into q (a queued row
 * outlives the caller's buffers): -1 when one does not fit. Without, q
 * points at o's texts (written at once). */
static int fill_outcome(const struct ledger_outcome *o, const char *at, bool copy, struct ledger_queued_outcome *q)
{
	q->event_id = o->event_id;
	q->run_id = o->run_id;
	q->receivable_id = o->receivable_id;
	q->category = o->category;
	q->paid_cents = o->paid_cents;
	q->expected_cents = o->expected_cents;
	q->allocated_cents = o->allocated_cents;
	q->excess_cents = o->excess_cents;
	q->settles = o->settles;
	q->needs_human = o->needs_human;
	q->want_allocation = wants_allocation(o);
	memcpy(q->at, at, sizeof q->at);
	if (!copy) {
		q->rule = o->rule;
		q->rule_set = o->rule_set;
		q->detail = o->detail;
		return 0;
	}
	if (copy_text(q->rule_buf, sizeof q->rule_buf, o->rule) || copy_text(q->rule_set_buf, sizeof q->rule_set_buf, o->rule_set) ||
	    copy_text(q->detail_buf, sizeof q->detail_buf, o->detail))
		return -1;
	q->rule = o->rule ? q->rule_buf : NULL;
	q->rule_set = o->rule_set ? q->rule_set_buf : NULL;
	q->detail = o->detail ? q->detail_buf : NULL;
	return 0;
}

int ledger_outcome_add(struct ledger *lg, const struct ledger_outcome *o, int64_t *outcome_id, struct diag *d)
{
	lg->run_outcomes++; /* counts for the reconciled mark inside a run */
	int64_t id = ledger_take_id(lg, ID_OUTCOME);
	int64_t allocation_id = wants_allocation(o) ? ledger_take_id(lg, ID_ALLOCATION) : 0;
	char at[32];
	if (lg->run_at[0])
		memcpy(at, lg->run_at, sizeof at);
	else /* an allocation outside a run */
		ledger_now(at, sizeof at);
	bool queued = false;
	if (lg->run_background) {
		struct ledger_job *j = ledger_job_slot(lg, d);
		if (!j)
			return -1;
		j->kind = JOB_OUTCOME;
		if (fill_outcome(o, at, true, &j->u.outcome) == 0) {
			j->u.outcome.id = id;
			j->u.outcome.allocation_id = allocation_id;
			j->u.outcome.queued = true;
			if (ledger_job_push(lg, d)) /* the slot is the writer's from here */
				return -1;
			queued = true;
		}
	}
	if (!queued) {
		/* Outside a background run, or a text too long for a queued row. */
		struct ledger_queued_outcome q;
		fill_outcome(o, at, false, &q);
		q.queued = false;
		q.id = id;
		q.allocation_id = allocation_id;
		struct ledger_queued_outcome *one = &q;
		ledger_writer_sync(lg);
		if (ledger_outcomes_write(lg, &one, 1, d))
			return -1;
		id = q.id;
	}
	if (outcome_id)
		*outcome_id = id;
	return 0;
}
