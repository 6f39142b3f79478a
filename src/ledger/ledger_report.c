/* Read-only queries behind the reports. */
#include "config.h"
#include <string.h>

#include "ledger/ledger_internal.h"

static const char *col_text(sqlite3_stmt *st, int c)
{
	return (const char *)sqlite3_column_text(st, c);
}

int ledger_report_items(struct ledger *lg, int (*fn)(void *ctx, const struct ledger_report_item *it),
			void *ctx, struct diag *d)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(lg->db,
			       "SELECT o.category, r.ext_id, r.debtor_name, r.debtor_document, e.nosso_numero_raw,"
			       " e.bank, o.paid_cents, o.expected_cents, o.allocated_cents, o.excess_cents,"
			       " COALESCE(e.occurrence_date, e.credit_date), r.due_date, i.filename, e.line,"
			       " o.rule, o.detail, o.run_id"
			       " FROM outcome o JOIN event e ON e.id = o.event_id JOIN import i ON i.id = e.import_id"
			       " LEFT JOIN receivable r ON r.id = o.receivable_id ORDER BY e.id",
			       -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "reading outcomes");
	int step, rc = 0;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct ledger_report_item it = {
			.category = col_text(st, 0),
			.receivable_id = col_text(st, 1),
			.debtor_name = col_text(st, 2),
			.debtor_document = col_text(st, 3),
			.nosso_numero = col_text(st, 4),
			.bank = sqlite3_column_int(st, 5),
			.paid_cents = sqlite3_column_int64(st, 6),
			.expected_cents = sqlite3_column_int64(st, 7),
			.allocated_cents = sqlite3_column_int64(st, 8),
			.excess_cents = sqlite3_column_int64(st, 9),
			.payment_date = col_text(st, 10),
			.due_date = col_text(st, 11),
			.filename = col_text(st, 12),
			.line = (long)sqlite3_column_int64(st, 13),
			.rule = col_text(st, 14),
			.detail = col_text(st, 15),
			.run_id = sqlite3_column_int64(st, 16),
		};
		rc = fn(ctx, &it);
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = ledger_sql_error(lg, d, "reading outcomes");
	sqlite3_finalize(st);
	return rc;
}

static int scalar(struct ledger *lg, const char *sql, int64_t *out, struct diag *d)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(lg->db, sql, -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "reading totals");
	int rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return ledger_sql_error(lg, d, "reading totals");
	return 0;
}

int ledger_totals(struct ledger *lg, struct ledger_totals *t, struct diag *d)
{
	int64_t v[11];
	static const char *const sql[11] = {
		"SELECT COUNT(*) FROM receivable",
		"SELECT COUNT(*) FROM receivable r WHERE status = 'open' AND NOT EXISTS"
		" (SELECT 1 FROM allocation a WHERE a.receivable_id = r.id AND a.settles = 1)",
		"SELECT COUNT(DISTINCT receivable_id) FROM allocation WHERE settles = 1",
		"SELECT COUNT(*) FROM receivable WHERE status = 'cancelled'",
		"SELECT COALESCE(SUM(r.amount_cents - COALESCE((SELECT SUM(a.cents) FROM allocation a"
		" WHERE a.receivable_id = r.id), 0)), 0) FROM receivable r WHERE status = 'open' AND NOT EXISTS"
		" (SELECT 1 FROM allocation a WHERE a.receivable_id = r.id AND a.settles = 1)",
		"SELECT COUNT(*) FROM import WHERE status = 'imported'",
		"SELECT COUNT(*) FROM event",
		"SELECT COUNT(*) FROM event WHERE is_payment = 1",
		"SELECT COUNT(*) FROM event e WHERE kind IN " LEDGER_RECONCILED_KINDS " AND NOT EXISTS"
		" (SELECT 1 FROM outcome o WHERE o.event_id = e.id)",
		"SELECT COUNT(*) FROM import WHERE status = 'held'",
		"SELECT COALESCE(SUM(tariff_cents), 0) FROM event",
	};
	for (int i = 0; i < 11; i++)
		if (scalar(lg, sql[i], &v[i], d))
			return -1;
	memset(t, 0, sizeof *t);
	t->receivables = (long)v[0];
	t->receivables_open = (long)v[1];
	t->receivables_settled = (long)v[2];
	t->receivables_cancelled = (long)v[3];
	t->face_open_cents = v[4];
	t->imports = (long)v[5];
	t->events = (long)v[6];
	t->payment_events = (long)v[7];
	t->pending_events = (long)v[8];
	t->held_imports = (long)v[9];
	t->tariff_cents = v[10];
	return 0;
}
