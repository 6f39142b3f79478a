/* Read-only queries behind the reports, over a window of time (see
 * struct ledger_window): "as of" a date means rows stamped before the
 * window's end, and receivables as their latest version before it. */
#include "config.h"
#include <string.h>

#include "ledger/ledger_internal.h"

/* SQL that reads the bound parameters ?1 (from) and ?2 (until); NULL
 * leaves that side open. */
#define BEFORE_UNTIL(col) "(?2 IS NULL OR " col " < ?2)"
#define IN_WINDOW(col) "(?1 IS NULL OR " col " >= ?1) AND " BEFORE_UNTIL(col)

/* The version of receivable `rid` valid at the window's end. */
#define VERSION_AT_UNTIL(rid)                                                                       \
	"(SELECT w.id FROM receivable_version w WHERE w.receivable_id = " rid " AND " BEFORE_UNTIL("w.at") \
	" ORDER BY w.at DESC, w.id DESC LIMIT 1)"

static const char *col_text(sqlite3_stmt *st, int c)
{
	return (const char *)sqlite3_column_text(st, c);
}

static void bind_window(sqlite3_stmt *st, const struct ledger_window *w)
{
	ledger_bind_text_or_null(st, 1, w ? w->from : NULL);
	ledger_bind_text_or_null(st, 2, w ? w->until : NULL);
}

int ledger_report_items(struct ledger *lg, const struct ledger_window *w,
			int (*fn)(void *ctx, const struct ledger_report_item *it), void *ctx, struct diag *d)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(
		    lg->db,
		    "SELECT o.id, o.category, r.ext_id, COALESCE(v.debtor_name, r.debtor_name),"
		    " COALESCE(v.debtor_document, r.debtor_document), e.nosso_numero_raw,"
		    " e.bank, o.paid_cents, o.expected_cents, o.allocated_cents, o.excess_cents,"
		    " COALESCE(e.occurrence_date, e.credit_date), COALESCE(v.due_date, r.due_date), i.filename,"
		    " e.line, o.rule, o.detail, o.run_id, run.started_at,"
		    " EXISTS (SELECT 1 FROM allocation a WHERE a.receivable_id = o.receivable_id"
		    "  AND a.event_id = o.event_id AND a.reverses IS NULL AND EXISTS (SELECT 1 FROM allocation u"
		    "  WHERE u.reverses = a.id AND " BEFORE_UNTIL("u.created_at") ")),"
		    " x.action, x.reason, x.actor, x.at, e.is_payment, o.needs_human"
		    " FROM outcome o JOIN run ON run.id = o.run_id JOIN event e ON e.id = o.event_id"
		    " JOIN import i ON i.id = e.import_id"
		    " LEFT JOIN receivable r ON r.id = o.receivable_id"
		    " LEFT JOIN receivable_version v ON v.id = " VERSION_AT_UNTIL("o.receivable_id")
		    " LEFT JOIN exception_resolution x ON x.id = (SELECT y.id FROM exception_resolution y"
		    "  WHERE y.outcome_id = o.id AND " BEFORE_UNTIL("y.at") " ORDER BY y.at DESC, y.id DESC LIMIT 1)"
		    " WHERE " IN_WINDOW("run.started_at") " ORDER BY e.id",
		    -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "reading outcomes");
	bind_window(st, w);
	int step, rc = 0;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct ledger_report_item it = {
			.outcome_id = sqlite3_column_int64(st, 0),
			.category = col_text(st, 1),
			.receivable_id = col_text(st, 2),
			.debtor_name = col_text(st, 3),
			.debtor_document = col_text(st, 4),
			.nosso_numero = col_text(st, 5),
			.bank = sqlite3_column_int(st, 6),
			.paid_cents = sqlite3_column_int64(st, 7),
			.expected_cents = sqlite3_column_int64(st, 8),
			.allocated_cents = sqlite3_column_int64(st, 9),
			.excess_cents = sqlite3_column_int64(st, 10),
			.payment_date = col_text(st, 11),
			.due_date = col_text(st, 12),
			.filename = col_text(st, 13),
			.line = (long)sqlite3_column_int64(st, 14),
			.rule = col_text(st, 15),
			.detail = col_text(st, 16),
			.run_id = sqlite3_column_int64(st, 17),
			.decided_at = col_text(st, 18),
			.reversed = sqlite3_column_int(st, 19) != 0,
			.resolution_action = col_text(st, 20),
			.resolution_reason = col_text(st, 21),
			.resolution_actor = col_text(st, 22),
			.resolution_at = col_text(st, 23),
			.is_payment = sqlite3_column_int(st, 24) != 0,
			.flagged = sqlite3_column_int(st, 25) != 0,
		};
		rc = fn(ctx, &it);
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = ledger_sql_error(lg, d, "reading outcomes");
	sqlite3_finalize(st);
	return rc;
}

/* Each receivable as of the window's end: its version then, what was
 * applied to it, and whether an allocation not undone settles it. The
 * open balance below is the definition in balance_proof.h; the replay
 * there must agree with it. */
#define RECEIVABLES_AS_OF                                                                           \
	"WITH cur AS (SELECT v.receivable_id AS rid, v.amount_cents AS face, v.erp_status AS st"   \
	"  FROM receivable_version v WHERE v.id = " VERSION_AT_UNTIL("v.receivable_id") "),"        \
	" alloc AS (SELECT id, receivable_id, cents, settles, reverses FROM allocation"             \
	"  WHERE " BEFORE_UNTIL("created_at") "),"                                                  \
	" bal AS (SELECT cur.rid, cur.face, cur.st,"                                                \
	"  COALESCE((SELECT SUM(a.cents) FROM alloc a WHERE a.receivable_id = cur.rid), 0) AS applied," \
	"  EXISTS (SELECT 1 FROM alloc a WHERE a.receivable_id = cur.rid AND a.settles = 1"         \
	"   AND a.reverses IS NULL AND NOT EXISTS (SELECT 1 FROM alloc u WHERE u.reverses = a.id))"  \
	"   AS settled FROM cur)"

#define OPEN_BALANCE                                                                                \
	"COALESCE(SUM(CASE WHEN st IN ('open','disputed') AND NOT settled"                          \
	" THEN MAX(0, face - applied) ELSE 0 END), 0)"

int ledger_open_balance(struct ledger *lg, const char *until, int64_t *cents, struct diag *d)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(lg->db, RECEIVABLES_AS_OF " SELECT " OPEN_BALANCE " FROM bal", -1, &st, NULL) !=
	    SQLITE_OK)
		return ledger_sql_error(lg, d, "computing the open balance");
	struct ledger_window w = {NULL, until};
	bind_window(st, &w);
	int rc = sqlite3_step(st);
	*cents = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return ledger_sql_error(lg, d, "computing the open balance");
	return 0;
}

static int scalars(struct ledger *lg, const char *sql, const struct ledger_window *w, int64_t *out, int n,
		   struct diag *d)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(lg->db, sql, -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "reading totals");
	bind_window(st, w);
	int rc = sqlite3_step(st);
	for (int i = 0; i < n; i++)
		out[i] = rc == SQLITE_ROW ? sqlite3_column_int64(st, i) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return ledger_sql_error(lg, d, "reading totals");
	return 0;
}

int ledger_totals(struct ledger *lg, const struct ledger_window *w, struct ledger_totals *t, struct diag *d)
{
	/* Only the end of the window matters: totals are a state, not a flow. */
	struct ledger_window end = {NULL, w ? w->until : NULL};
	int64_t r[7], f[6];
	if (scalars(lg,
		    RECEIVABLES_AS_OF " SELECT COUNT(*),"
				      " COALESCE(SUM(st IN ('open','disputed') AND NOT settled), 0),"
				      " COALESCE(SUM(settled), 0), COALESCE(SUM(st = 'cancelled'), 0),"
				      " COALESCE(SUM(st = 'disputed'), 0), COALESCE(SUM(st = 'renegotiated'), 0), "
			    OPEN_BALANCE " FROM bal",
		    &end, r, 7, d))
		return -1;
	if (scalars(lg,
		    "WITH imp AS (SELECT id, status FROM import WHERE " BEFORE_UNTIL("imported_at") "),"
		    " ev AS (SELECT e.* FROM event e JOIN imp ON imp.id = e.import_id)"
		    " SELECT (SELECT COUNT(*) FROM imp WHERE status = 'imported'),"
		    " (SELECT COUNT(*) FROM ev), (SELECT COUNT(*) FROM ev WHERE is_payment = 1),"
		    " (SELECT COUNT(*) FROM ev WHERE kind IN " LEDGER_RECONCILED_KINDS " AND NOT EXISTS"
		    "  (SELECT 1 FROM outcome o JOIN run ON run.id = o.run_id WHERE o.event_id = ev.id"
		    "   AND " BEFORE_UNTIL("run.started_at") ")),"
		    " (SELECT COUNT(*) FROM imp WHERE status = 'held'),"
		    " (SELECT COALESCE(SUM(tariff_cents), 0) FROM ev)",
		    &end, f, 6, d))
		return -1;
	memset(t, 0, sizeof *t);
	t->receivables = (long)r[0];
	t->receivables_open = (long)r[1];
	t->receivables_settled = (long)r[2];
	t->receivables_cancelled = (long)r[3];
	t->receivables_disputed = (long)r[4];
	t->receivables_renegotiated = (long)r[5];
	t->face_open_cents = r[6];
	t->imports = (long)f[0];
	t->events = (long)f[1];
	t->payment_events = (long)f[2];
	t->pending_events = (long)f[3];
	t->held_imports = (long)f[4];
	t->tariff_cents = f[5];
	return 0;
}

int ledger_duplicate_events(struct ledger *lg, const struct ledger_window *w, long *count, struct diag *d)
{
	int64_t v;
	if (scalars(lg, "SELECT COALESCE(SUM(duplicate_events), 0) FROM import WHERE " IN_WINDOW("imported_at"), w, &v,
		    1, d))
		return -1;
	*count = (long)v;
	return 0;
}

int ledger_unpaid_due_before(struct ledger *lg, const struct ledger_window *w, const char *day,
			     int (*fn)(void *ctx, cdate due, int64_t face_cents), void *ctx, struct diag *d)
{
	struct ledger_window end = {NULL, w ? w->until : NULL};
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(lg->db,
			       RECEIVABLES_AS_OF " SELECT v.due_date, bal.face FROM bal"
						 " JOIN receivable_version v ON v.id = " VERSION_AT_UNTIL("bal.rid")
						 " WHERE bal.st IN ('open','disputed') AND NOT bal.settled"
						 " AND bal.applied = 0 AND v.due_date < ?3",
			       -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "reading overdue receivables");
	bind_window(st, &end);
	sqlite3_bind_text(st, 3, day, -1, SQLITE_STATIC);
	int rc = 0, step;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
		rc = fn(ctx, ledger_column_date(st, 0), sqlite3_column_int64(st, 1));
	if (rc == 0 && step != SQLITE_DONE)
		rc = ledger_sql_error(lg, d, "reading overdue receivables");
	sqlite3_finalize(st);
	return rc;
}
