/* What the matcher reads (payment events not yet reconciled) and writes
 * (one outcome per event, an allocation when money is applied). */
#include "config.h"
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

enum { PENDING_BATCH = 4096 };

int ledger_pending_payments(struct ledger *lg, int (*fn)(void *ctx, const struct ledger_event *e),
			    void *ctx, struct diag *d)
{
	/* Batches read fully before the callback writes: SQLite does not
	 * promise what a cursor sees of rows inserted while it steps. */
	struct ledger_event *batch = malloc(PENDING_BATCH * sizeof *batch);
	sqlite3_stmt *st;
	int64_t after = 0;
	int rc = 0;
	if (!batch)
		return diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL, "out of memory");
	if (sqlite3_prepare_v2(lg->db,
			       "SELECT " EVENT_COLUMNS " FROM event e JOIN import i ON i.id = e.import_id"
			       " WHERE e.kind IN " LEDGER_RECONCILED_KINDS " AND e.id > ?"
			       " AND NOT EXISTS (SELECT 1 FROM outcome o WHERE o.event_id = e.id)"
			       " ORDER BY e.id LIMIT ?",
			       -1, &st, NULL) != SQLITE_OK) {
		free(batch);
		return ledger_sql_error(lg, d, "reading pending payments");
	}
	for (;;) {
		int n = 0, step;
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
		for (int i = 0; i < n && rc == 0; i++)
			rc = fn(ctx, &batch[i]);
		if (rc != 0 || n < PENDING_BATCH)
			break;
		after = batch[n - 1].rowid;
	}
	sqlite3_finalize(st);
	free(batch);
	return rc;
}

int ledger_pending_count(struct ledger *lg, long limit, long *count, struct diag *d)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(lg->db,
			       "SELECT COUNT(*) FROM (SELECT 1 FROM event e WHERE e.kind IN " LEDGER_RECONCILED_KINDS
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

int ledger_receivable_state_add(struct ledger *lg, int64_t rowid, const char *state, int64_t event_id,
				struct diag *d)
{
	sqlite3_stmt *st;
	char now[32];
	ledger_now(now, sizeof now);
	if (sqlite3_prepare_v2(lg->db,
			       "INSERT INTO receivable_state(receivable_id, state, event_id, at) VALUES (?,?,?,?)", -1,
			       &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "recording a receivable's bank state");
	sqlite3_bind_int64(st, 1, rowid);
	sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, event_id);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "recording a receivable's bank state");
	ledger_run_rows_state(lg, sqlite3_last_insert_rowid(lg->db), rowid, state, event_id);
	return 0;
}

int ledger_run_start(struct ledger *lg, int64_t *run_id, struct diag *d)
{
	char *now = lg->run_at;
	sqlite3_stmt *st;
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
	ledger_run_rows_begin(lg);
	return 0;
}

int ledger_run_finish(struct ledger *lg, int64_t run_id, long events, struct diag *d)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(lg->db, "UPDATE run SET events = ? WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "finishing a reconciliation run");
	sqlite3_bind_int64(st, 1, events);
	sqlite3_bind_int64(st, 2, run_id);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "finishing a reconciliation run");
	char subject[32], detail[160], digest[SHA256_HEX_LEN + 1];
	if (ledger_run_rows_digest(lg, run_id, digest, d))
		return -1;
	snprintf(subject, sizeof subject, "run %lld", (long long)run_id);
	snprintf(detail, sizeof detail, "%ld bank events reconciled; rows sha256 %s", events, digest);
	/* Allocations made after the run (by a person, in the same process)
	 * carry their own time, not the run's. */
	lg->run_at[0] = '\0';
	return ledger_journal(lg, "reconcile.run", subject, detail, d);
}

int ledger_outcome_add(struct ledger *lg, const struct ledger_outcome *o, int64_t *outcome_id, struct diag *d)
{
	if (ledger_prepare(lg, &lg->st_outcome_insert,
			   "INSERT INTO outcome(event_id, run_id, receivable_id, category, rule, paid_cents,"
			   " expected_cents, allocated_cents, excess_cents, settles, detail, needs_human)"
			   " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
			   d))
		return -1;
	sqlite3_stmt *st = lg->st_outcome_insert;
	sqlite3_bind_int64(st, 1, o->event_id);
	sqlite3_bind_int64(st, 2, o->run_id);
	if (o->receivable_id)
		sqlite3_bind_int64(st, 3, o->receivable_id);
	else
		sqlite3_bind_null(st, 3);
	sqlite3_bind_text(st, 4, o->category, -1, SQLITE_STATIC);
	ledger_bind_text_or_null(st, 5, o->rule);
	sqlite3_bind_int64(st, 6, o->paid_cents);
	sqlite3_bind_int64(st, 7, o->expected_cents);
	sqlite3_bind_int64(st, 8, o->allocated_cents);
	sqlite3_bind_int64(st, 9, o->excess_cents);
	sqlite3_bind_int(st, 10, o->settles);
	ledger_bind_text_or_null(st, 11, o->detail);
	sqlite3_bind_int(st, 12, o->needs_human);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "recording an outcome");
	int64_t oid = sqlite3_last_insert_rowid(lg->db);
	if (outcome_id)
		*outcome_id = oid;
	ledger_run_rows_outcome(lg, oid, o);

	if (!o->receivable_id || (o->allocated_cents == 0 && !o->settles))
		return 0;
	if (ledger_prepare(lg, &lg->st_allocation_insert,
			   "INSERT INTO allocation(event_id, receivable_id, cents, rule, settles, actor, created_at,"
			   " run_id, rule_set)"
			   " VALUES (?,?,?,?,?,?,?,?,?)",
			   d))
		return -1;
	st = lg->st_allocation_insert;
	sqlite3_bind_int64(st, 1, o->event_id);
	sqlite3_bind_int64(st, 2, o->receivable_id);
	sqlite3_bind_int64(st, 3, o->allocated_cents);
	sqlite3_bind_text(st, 4, o->rule ? o->rule : "manual", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, o->settles);
	sqlite3_bind_text(st, 6, lg->actor, -1, SQLITE_STATIC);
	char now[32];
	const char *at = lg->run_at;
	if (!at[0]) { /* an allocation outside a run */
		ledger_now(now, sizeof now);
		at = now;
	}
	sqlite3_bind_text(st, 7, at, -1, SQLITE_TRANSIENT);
	if (o->run_id)
		sqlite3_bind_int64(st, 8, o->run_id);
	else
		sqlite3_bind_null(st, 8);
	ledger_bind_text_or_null(st, 9, o->rule_set);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "recording an allocation");
	struct ledger_run_allocation ra = {
		.event_id = o->event_id,
		.receivable_id = o->receivable_id,
		.cents = o->allocated_cents,
		.rule = o->rule ? o->rule : "manual",
		.actor = lg->actor,
		.created_at = at,
		.rule_set = o->rule_set,
		.settles = o->settles,
	};
	ledger_run_rows_allocation(lg, sqlite3_last_insert_rowid(lg->db), &ra);
	return 0;
}
