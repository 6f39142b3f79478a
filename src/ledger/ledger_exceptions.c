/* The exception queue: outcomes that need a human (decided by the matcher
 * and stored with the outcome) and outcomes whose money was later undone,
 * until someone records what was done about them. */
#include "config.h"
#include <stdio.h>
#include <string.h>

#include "ledger/ledger_internal.h"

/* undo_at: the id of the latest undo of one of the event's own allocations
 * (an undo row carries the event of the row it undoes); res_at: the
 * newest allocation id a resolution had seen. Open = (needs a human or
 * undone) and not resolved since. */
#define EXCEPTION_SELECT                                                                            \
	"WITH x AS (SELECT o.*,"                                                                    \
	"  (SELECT MAX(b.id) FROM allocation a JOIN allocation b ON b.reverses = a.id"              \
	"    WHERE a.event_id = o.event_id AND b.event_id = a.event_id) AS undo_at,"                 \
	"  (SELECT MAX(r.after_allocation) FROM exception_resolution r WHERE r.outcome_id = o.id) AS res_at" \
	"  FROM outcome o WHERE %s)"                                                                \
	" SELECT x.id, x.event_id, x.category, x.rule, r.ext_id, r.debtor_name, e.payer_document,"  \
	"  e.payer_name, e.nosso_numero_raw, e.end_to_end_id, e.txid, e.free_text, x.paid_cents,"    \
	"  x.expected_cents, x.allocated_cents, x.excess_cents,"                                     \
	"  COALESCE(e.occurrence_date, e.credit_date, i.generated), i.filename, e.line, x.detail,"   \
	"  i.imported_at, x.undo_at IS NOT NULL,"                                                    \
	"  x.res_at IS NOT NULL AND (x.undo_at IS NULL OR x.res_at >= x.undo_at),"                   \
	"  (SELECT r2.action || ' by ' || r2.actor || ' at ' || r2.at || ': ' || r2.reason"          \
	"    FROM exception_resolution r2 WHERE r2.outcome_id = x.id ORDER BY r2.id DESC LIMIT 1),"  \
	"  (SELECT COUNT(*) FROM outcome_candidate k WHERE k.outcome_id = x.id),"                    \
	"  e.paid_cents - COALESCE((SELECT SUM(a.cents) FROM allocation a WHERE a.event_id = e.id), 0)" \
	"   - COALESCE((SELECT SUM(b.cents) FROM allocation b JOIN allocation a ON a.id = b.reverses"  \
	"      WHERE a.event_id = e.id AND b.event_id <> e.id), 0),"                                 \
	"  e.kind"                                                                                   \
	" FROM x JOIN event e ON e.id = x.event_id JOIN import i ON i.id = e.import_id"              \
	" LEFT JOIN receivable r ON r.id = x.receivable_id"

static void read_exception(sqlite3_stmt *st, struct ledger_exception *x)
{
	int c = 0;
	memset(x, 0, sizeof *x);
	x->outcome_id = sqlite3_column_int64(st, c++);
	x->event_id = sqlite3_column_int64(st, c++);
	ledger_column_copy(st, c++, x->category, sizeof x->category);
	ledger_column_copy(st, c++, x->rule, sizeof x->rule);
	ledger_column_copy(st, c++, x->receivable_id, sizeof x->receivable_id);
	ledger_column_copy(st, c++, x->debtor_name, sizeof x->debtor_name);
	ledger_column_copy(st, c++, x->payer_document, sizeof x->payer_document);
	ledger_column_copy(st, c++, x->payer_name, sizeof x->payer_name);
	ledger_column_copy(st, c++, x->nosso_numero, sizeof x->nosso_numero);
	ledger_column_copy(st, c++, x->end_to_end_id, sizeof x->end_to_end_id);
	ledger_column_copy(st, c++, x->txid, sizeof x->txid);
	ledger_column_copy(st, c++, x->free_text, sizeof x->free_text);
	x->paid_cents = sqlite3_column_int64(st, c++);
	x->expected_cents = sqlite3_column_int64(st, c++);
	x->allocated_cents = sqlite3_column_int64(st, c++);
	x->excess_cents = sqlite3_column_int64(st, c++);
	ledger_column_copy(st, c++, x->payment_date, sizeof x->payment_date);
	ledger_column_copy(st, c++, x->filename, sizeof x->filename);
	x->line = (long)sqlite3_column_int64(st, c++);
	ledger_column_copy(st, c++, x->detail, sizeof x->detail);
	ledger_column_copy(st, c++, x->imported_at, sizeof x->imported_at);
	x->undone = sqlite3_column_int(st, c++) != 0;
	x->resolved = sqlite3_column_int(st, c++) != 0;
	ledger_column_copy(st, c++, x->resolution, sizeof x->resolution);
	x->candidates = sqlite3_column_int(st, c++);
	x->unapplied_cents = sqlite3_column_int64(st, c++);
	/* Only money in can be applied: a devolução or a fee has nothing left
	 * to apply, whatever its amount. */
	const unsigned char *kind = sqlite3_column_text(st, c++);
	if (!kind || (strcmp((const char *)kind, "liquidation") != 0 &&
		      strcmp((const char *)kind, "liquidation_after_writeoff") != 0 &&
		      strcmp((const char *)kind, "credit") != 0))
		x->unapplied_cents = 0;
}

int ledger_exceptions(struct ledger *lg, bool all, int (*fn)(void *ctx, const struct ledger_exception *x),
		      void *ctx, struct diag *d)
{
	char sql[4096];
	snprintf(sql, sizeof sql, EXCEPTION_SELECT " %s ORDER BY x.id",
		 "o.needs_human = 1 OR o.event_id IN (SELECT a.event_id FROM allocation a JOIN allocation b"
		 " ON b.reverses = a.id WHERE b.event_id = a.event_id)",
		 all ? "" : "WHERE NOT (x.res_at IS NOT NULL AND (x.undo_at IS NULL OR x.res_at >= x.undo_at))");
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(lg->db, sql, -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "reading the exception queue");
	int rc, stop = 0;
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ledger_exception x;
		read_exception(st, &x);
		stop = fn(ctx, &x);
	}
	sqlite3_finalize(st);
	if (stop)
		return stop;
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "reading the exception queue");
	return 0;
}

int ledger_exception_get(struct ledger *lg, int64_t outcome_id, struct ledger_exception *x, struct diag *d)
{
	char sql[4096];
	snprintf(sql, sizeof sql, EXCEPTION_SELECT, "o.id = ?1");
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(lg->db, sql, -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "reading an exception");
	sqlite3_bind_int64(st, 1, outcome_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_exception(st, x);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "reading an exception");
	return rc == SQLITE_ROW;
}

int ledger_outcome_candidates(struct ledger *lg, int64_t outcome_id, struct ledger_candidate *out, int max,
			      struct diag *d)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(lg->db,
			       "SELECT k.receivable_id, r.ext_id, r.debtor_name, k.rule, k.cents FROM outcome_candidate k"
			       " JOIN receivable r ON r.id = k.receivable_id WHERE k.outcome_id = ? ORDER BY k.id",
			       -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "reading candidates");
	sqlite3_bind_int64(st, 1, outcome_id);
	int n = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < max) {
		struct ledger_candidate *k = &out[n++];
		memset(k, 0, sizeof *k);
		k->receivable_rowid = sqlite3_column_int64(st, 0);
		ledger_column_copy(st, 1, k->receivable_id, sizeof k->receivable_id);
		ledger_column_copy(st, 2, k->debtor_name, sizeof k->debtor_name);
		ledger_column_copy(st, 3, k->rule, sizeof k->rule);
		k->cents = sqlite3_column_int64(st, 4);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "reading candidates");
	return n;
}

int ledger_exception_resolve(struct ledger *lg, int64_t outcome_id, const char *action, const char *reason,
			     struct diag *d)
{
	sqlite3_stmt *st;
	char now[32];
	ledger_now(now, sizeof now);
	if (sqlite3_prepare_v2(lg->db,
			       "INSERT INTO exception_resolution(outcome_id, action, reason, actor, at, after_allocation)"
			       " VALUES (?,?,?,?,?,(SELECT COALESCE(MAX(id), 0) FROM allocation))",
			       -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "recording a resolution");
	sqlite3_bind_int64(st, 1, outcome_id);
	sqlite3_bind_text(st, 2, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, lg->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "recording a resolution");
	char subject[40], detail[700];
	snprintf(subject, sizeof subject, "outcome %lld", (long long)outcome_id);
	snprintf(detail, sizeof detail, "%s: %s", action, reason);
	return ledger_journal(lg, "exception.resolve", subject, detail, d);
}
