/* What the matcher needs beyond receivables: the receivable's live
 * balance, the credit a devolução returns, allocations that can be undone,
 * and the candidates of an undecided outcome. */
#include "config.h"
#include <stdio.h>
#include <string.h>

#include "core/sha256.h"
#include "ledger/ledger_internal.h"

int ledger_receivable_facts(struct ledger *lg, struct ledger_receivable_facts *f, struct diag *d)
{
	if (ledger_receivable_allocated(lg, f->rec.rowid, &f->allocated_cents, &f->settled, d))
		return -1;
	return ledger_receivable_bank_state(lg, f->rec.rowid, f->bank_state, sizeof f->bank_state, d);
}

int ledger_credit_by_e2e(struct ledger *lg, const char *e2e, int64_t *event_id, struct diag *d)
{
	if (ledger_prepare(lg, &lg->st_credit_by_e2e,
			   "SELECT id FROM event WHERE end_to_end_id = ? AND kind = 'credit' ORDER BY id LIMIT 1", d))
		return -1;
	sqlite3_stmt *st = lg->st_credit_by_e2e;
	sqlite3_bind_text(st, 1, e2e, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*event_id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "looking up a Pix credit");
	return rc == SQLITE_ROW;
}

#define ALLOCATION_COLUMNS                                                                          \
	"a.id, a.event_id, a.receivable_id, a.cents,"                                               \
	" a.cents + COALESCE((SELECT SUM(b.cents) FROM allocation b WHERE b.reverses = a.id), 0),"  \
	" COALESCE(a.reverses, 0), a.settles, a.rule, a.created_at"

static void read_allocation(sqlite3_stmt *st, struct ledger_allocation *a)
{
	memset(a, 0, sizeof *a);
	a->id = sqlite3_column_int64(st, 0);
	a->event_id = sqlite3_column_int64(st, 1);
	a->receivable_id = sqlite3_column_int64(st, 2);
	a->cents = sqlite3_column_int64(st, 3);
	a->remaining = sqlite3_column_int64(st, 4);
	a->reverses = sqlite3_column_int64(st, 5);
	a->settles = sqlite3_column_int(st, 6) != 0;
	ledger_column_copy(st, 7, a->rule, sizeof a->rule);
	ledger_column_copy(st, 8, a->created_at, sizeof a->created_at);
}

int ledger_allocation_get(struct ledger *lg, int64_t id, struct ledger_allocation *out, struct diag *d)
{
	sqlite3_stmt *st;
	ledger_writer_claim(lg);
	if (sqlite3_prepare_v2(lg->db, "SELECT " ALLOCATION_COLUMNS " FROM allocation a WHERE a.id = ?", -1, &st,
			       NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "reading an allocation");
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_allocation(st, out);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "reading an allocation");
	return rc == SQLITE_ROW;
}

int ledger_event_live_allocations(struct ledger *lg, int64_t event_id, struct ledger_allocation *out, int max,
				  struct diag *d)
{
	if (ledger_prepare(lg, &lg->st_live_allocations,
			   "SELECT " ALLOCATION_COLUMNS " FROM allocation a WHERE a.event_id = ? AND a.reverses IS NULL"
			   " AND a.cents > 0 ORDER BY a.id DESC",
			   d))
		return -1;
	sqlite3_stmt *st = lg->st_live_allocations;
	sqlite3_bind_int64(st, 1, event_id);
	int n = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ledger_allocation a;
		read_allocation(st, &a);
		if (a.remaining > 0 && n < max)
			out[n++] = a;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "reading an event's allocations");
	return n;
}

int ledger_allocation_add(struct ledger *lg, int64_t event_id, int64_t receivable_id, int64_t cents,
			  const char *rule, bool settles, int64_t reverses, const char *reason, int64_t run_id,
			  int64_t *id, struct diag *d)
{
	if (ledger_prepare(lg, &lg->st_allocation_add,
			   "INSERT INTO allocation(event_id, receivable_id, cents, rule, settles, reverses, reason, actor,"
			   " created_at, run_id, id) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
			   d))
		return -1;
	sqlite3_stmt *st = lg->st_allocation_add;
	ledger_bind_id(st, 11, ledger_take_id(lg, ID_ALLOCATION)); /* given in a background run */
	char now[32];
	const char *at = lg->run_at;
	if (!run_id || !at[0]) {
		ledger_now(now, sizeof now);
		at = now;
	}
	sqlite3_bind_int64(st, 1, event_id);
	sqlite3_bind_int64(st, 2, receivable_id);
	sqlite3_bind_int64(st, 3, cents);
	sqlite3_bind_text(st, 4, rule, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, settles);
	if (reverses)
		sqlite3_bind_int64(st, 6, reverses);
	else
		sqlite3_bind_null(st, 6);
	ledger_bind_text_or_null(st, 7, reason);
	sqlite3_bind_text(st, 8, lg->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, at, -1, SQLITE_TRANSIENT);
	if (run_id)
		sqlite3_bind_int64(st, 10, run_id);
	else
		sqlite3_bind_null(st, 10);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "recording an allocation");
	int64_t row = sqlite3_last_insert_rowid(lg->db);
	if (id)
		*id = row;
	if (run_id) { /* the run's digest covers it */
		struct ledger_run_allocation ra = {
			.event_id = event_id,
			.receivable_id = receivable_id,
			.cents = cents,
			.reverses = reverses,
			.rule = rule,
			.reason = reason,
			.actor = lg->actor,
			.created_at = at,
			.settles = settles,
		};
		ledger_run_rows_allocation(lg, row, &ra);
		return 0;
	}
	char subject[40], detail[120], hex[SHA256_HEX_LEN + 1];
	if (ledger_allocation_digest(lg, row, hex, d))
		return -1;
	snprintf(subject, sizeof subject, "allocation %lld", (long long)row);
	snprintf(detail, sizeof detail, "%s sha256 %s", rule, hex);
	return ledger_journal(lg, "allocation.add", subject, detail, d);
}

int ledger_event_unapplied(struct ledger *lg, int64_t event_id, int64_t paid_cents, int64_t *unapplied,
			   struct diag *d)
{
	/* Rows of this event, and rows that reverse them (undo rows carry the
	 * same event; a devolução's rows carry the devolução's event). */
	if (ledger_prepare(lg, &lg->st_event_unapplied,
			   "SELECT COALESCE(SUM(a.cents), 0) + COALESCE((SELECT SUM(b.cents) FROM allocation b"
			   "  JOIN allocation o ON o.id = b.reverses WHERE o.event_id = ?1 AND b.event_id <> ?1), 0)"
			   " FROM allocation a WHERE a.event_id = ?1",
			   d))
		return -1;
	sqlite3_stmt *st = lg->st_event_unapplied;
	sqlite3_bind_int64(st, 1, event_id);
	int rc = sqlite3_step(st);
	int64_t applied = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return ledger_sql_error(lg, d, "reading an event's allocations");
	*unapplied = paid_cents - applied;
	return 0;
}

int ledger_candidate_write(struct ledger *lg, struct ledger_queued_candidate *q, struct diag *d)
{
	if (ledger_prepare(lg, &lg->st_candidate_add,
			   "INSERT INTO outcome_candidate(id, outcome_id, receivable_id, rule, cents) VALUES (?,?,?,?,?)",
			   d))
		return -1;
	sqlite3_stmt *st = lg->st_candidate_add;
	ledger_bind_id(st, 1, q->id);
	sqlite3_bind_int64(st, 2, q->outcome_id);
	sqlite3_bind_int64(st, 3, q->receivable_id);
	sqlite3_bind_text(st, 4, q->rule, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, q->cents);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "recording a candidate");
	if (!q->id)
		q->id = sqlite3_last_insert_rowid(lg->db);
	if (!q->queued)
		ledger_run_rows_candidate(lg, q->id, q->outcome_id, q->receivable_id, q->rule, q->cents);
	return 0;
}

int ledger_outcome_candidate_add(struct ledger *lg, int64_t outcome_id, int64_t receivable_id, const char *rule,
				 int64_t cents, struct diag *d)
{
	struct ledger_queued_candidate local, *q = &local;
	struct ledger_job *j = NULL;
	if (strlen(rule) >= sizeof q->rule)
		return diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL, "rule name '%s' is too long", rule);
	if (lg->run_background) {
		if (!(j = ledger_job_slot(lg, d)))
			return -1;
		j->kind = JOB_CANDIDATE;
		q = &j->u.candidate;
	}
	q->id = ledger_take_id(lg, ID_CANDIDATE);
	q->outcome_id = outcome_id;
	q->receivable_id = receivable_id;
	q->cents = cents;
	memcpy(q->rule, rule, strlen(rule) + 1);
	q->queued = j != NULL;
	if (j)
		return ledger_job_push(lg, d);
	ledger_writer_sync(lg);
	return ledger_candidate_write(lg, q, d);
}

int ledger_allocation_totals(struct ledger *lg,
			     int (*fn)(void *ctx, int64_t rowid, int64_t allocated_cents, bool settled), void *ctx,
			     struct diag *d)
{
	/* Same meaning as ledger_receivable_allocated, for every receivable. */
	sqlite3_stmt *st;
	ledger_writer_claim(lg);
	if (sqlite3_prepare_v2(lg->db,
			       "SELECT a.receivable_id, SUM(a.cents), MAX(a.settles AND a.id NOT IN (SELECT b.reverses"
			       " FROM allocation b WHERE b.reverses IS NOT NULL)) FROM allocation a"
			       " GROUP BY a.receivable_id",
			       -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "reading allocations");
	int rc, stop = 0;
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW)
		stop = fn(ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), sqlite3_column_int(st, 2) != 0);
	sqlite3_finalize(st);
	if (stop)
		return stop;
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "reading allocations");
	return 0;
}

int ledger_bank_states(struct ledger *lg, int (*fn)(void *ctx, int64_t rowid, const char *state), void *ctx,
		       struct diag *d)
{
	/* In id order: the last row of a receivable is its current state. */
	sqlite3_stmt *st;
	ledger_writer_claim(lg);
	if (sqlite3_prepare_v2(lg->db, "SELECT receivable_id, state FROM receivable_state ORDER BY id", -1, &st,
			       NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "reading bank states");
	int rc, stop = 0;
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 1);
		stop = fn(ctx, sqlite3_column_int64(st, 0), t ? (const char *)t : "");
	}
	sqlite3_finalize(st);
	if (stop)
		return stop;
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "reading bank states");
	return 0;
}
