/* The balance proof of a window: every version and allocation of every
 * receivable, streamed in time order into the replay of balance_proof.c,
 * and the two ends computed directly from the state (ledger_report.c). */
#include "config.h"
#include <string.h>

#include "ledger/balance_proof.h"
#include "ledger/ledger_internal.h"

int ledger_balance_proof(struct ledger *lg, const struct ledger_window *w, struct balance_proof *p,
			 struct diag *d)
{
	const char *from = w ? w->from : NULL, *until = w ? w->until : NULL;
	memset(p, 0, sizeof *p);
	/* Before the first stamp nothing exists: the opening of an unbounded
	 * period is 0 by definition. */
	if (from && ledger_open_balance(lg, from, &p->opening_cents, d))
		return -1;
	if (ledger_open_balance(lg, until, &p->closing_cents, d))
		return -1;

	/* Ties at one timestamp: the ERP version first (a receivable exists
	 * before money is applied to it), then by id within each table. */
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(lg->db,
			       "SELECT receivable_id, at, 0, id, amount_cents, erp_status, 0, NULL"
			       " FROM receivable_version WHERE ?2 IS NULL OR at < ?2"
			       " UNION ALL"
			       " SELECT receivable_id, created_at, 1, id, cents, NULL, settles, reverses"
			       " FROM allocation WHERE ?2 IS NULL OR created_at < ?2"
			       " ORDER BY 1, 2, 3, 4",
			       -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "reading the receivables' history");
	ledger_bind_text_or_null(st, 1, from);
	ledger_bind_text_or_null(st, 2, until);
	struct balance_replay rp;
	balance_replay_init(&rp, p);
	int step, rc = 0;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *at = (const char *)sqlite3_column_text(st, 1);
		struct balance_row row = {
			.receivable_id = sqlite3_column_int64(st, 0),
			.in_period = !from || (at && strcmp(at, from) >= 0),
			.kind = sqlite3_column_int(st, 2) ? BALANCE_ROW_ALLOCATION : BALANCE_ROW_VERSION,
			.id = sqlite3_column_int64(st, 3),
			.cents = sqlite3_column_int64(st, 4),
			.status = balance_status_from_erp((const char *)sqlite3_column_text(st, 5)),
			.settles = sqlite3_column_int(st, 6) != 0,
			.reverses = sqlite3_column_int64(st, 7),
		};
		if (balance_replay_row(&rp, &row) != 0)
			rc = diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL, "out of memory");
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = ledger_sql_error(lg, d, "reading the receivables' history");
	balance_replay_finish(&rp);
	sqlite3_finalize(st);
	return rc;
}
