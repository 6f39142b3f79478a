/* The facts the charge gate decides on, read in one place: what was
 * applied to the receivable, its bank-side state, payments with its
 * reference still waiting for reconcile, open exceptions that may be this
 * debtor's money, and how fresh the collecting account's imports are.
 * Read-only; gate/ decides what they mean. */
#include "config.h"
#include <stdio.h>
#include <string.h>

#include "codec/nosso_numero.h"
#include "ledger/ledger_internal.h"

/* Money events with the receivable's reference (bank + nosso número, or
 * its Pix txid) that no reconcile run has given an outcome yet. Two
 * queries rather than an OR, so that each uses its index. */
static int pending_payments(struct ledger *lg, const struct ledger_gate_query *q, struct ledger_gate_rows *out,
			    struct diag *d)
{
	static const char *const sql[2] = {
	    "SELECT i.filename, e.line FROM event e JOIN import i ON i.id = e.import_id"
	    " WHERE e.bank = ?1 AND e.nosso_numero = ?2 AND e.is_payment = 1"
	    " AND NOT EXISTS (SELECT 1 FROM outcome o WHERE o.event_id = e.id) ORDER BY e.id",
	    "SELECT i.filename, e.line FROM event e JOIN import i ON i.id = e.import_id"
	    " WHERE e.txid = ?3 AND NOT (e.bank = ?1 AND e.nosso_numero = ?2) AND e.is_payment = 1"
	    " AND NOT EXISTS (SELECT 1 FROM outcome o WHERE o.event_id = e.id) ORDER BY e.id",
	};
	int nq = q->pix_txid && *q->pix_txid ? 2 : 1;
	for (int k = 0; k < nq; k++) {
		sqlite3_stmt *st;
		int step;
		if (sqlite3_prepare_v2(lg->db, sql[k], -1, &st, NULL) != SQLITE_OK)
			return ledger_sql_error(lg, d, "looking for unreconciled payments");
		sqlite3_bind_int(st, 1, q->bank);
		sqlite3_bind_text(st, 2, q->nosso_numero, -1, SQLITE_STATIC);
		if (k == 1)
			sqlite3_bind_text(st, 3, q->pix_txid, -1, SQLITE_STATIC);
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			if (out->pending_payments++ == 0)
				snprintf(out->pending_source, sizeof out->pending_source, "%s:%lld",
					 (const char *)sqlite3_column_text(st, 0),
					 (long long)sqlite3_column_int64(st, 1));
		}
		sqlite3_finalize(st);
		if (step != SQLITE_DONE)
			return ledger_sql_error(lg, d, "looking for unreconciled payments");
	}
	return 0;
}

/* Category lists arrive as "A,B,C"; instr over ",A,B,C," matches whole
 * names only. A category not in settled_categories is an exception, so
 * categories added after this was written need no change here. */
static int exceptions(struct ledger *lg, const struct ledger_gate_query *q,
		      int (*fn)(void *ctx, const struct ledger_gate_exception *e), void *ctx, struct diag *d)
{
	sqlite3_stmt *st;
	struct ledger_gate_exception ex;
	int rc = 0, step;
	if (sqlite3_prepare_v2(
		lg->db,
		"SELECT o.id, o.category, o.paid_cents, COALESCE(e.occurrence_date, e.credit_date),"
		" e.payer_document, e.payer_document_partial, r.debtor_document, r.ext_id, i.filename, e.line"
		" FROM outcome o JOIN event e ON e.id = o.event_id JOIN import i ON i.id = e.import_id"
		" LEFT JOIN receivable r ON r.id = o.receivable_id"
		" WHERE e.is_payment = 1"
		" AND instr(',' || ?1 || ',', ',' || o.category || ',') = 0"
		" AND NOT EXISTS (SELECT 1 FROM exception_resolution x WHERE x.outcome_id = o.id)"
		" AND (r.debtor_document = ?2"
		"   OR (e.payer_document_partial = 0 AND e.payer_document = ?2)"
		"   OR (e.payer_document_partial = 1 AND ?2 GLOB replace(e.payer_document, '*', '?'))"
		"   OR (instr(',' || ?3 || ',', ',' || o.category || ',') > 0"
		"       AND o.paid_cents BETWEEN ?4 AND ?5))"
		" ORDER BY o.id",
		-1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "looking for open exceptions");
	sqlite3_bind_text(st, 1, q->settled_categories ? q->settled_categories : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, q->debtor_document, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, q->anonymous_categories ? q->anonymous_categories : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, q->anonymous_min_cents);
	sqlite3_bind_int64(st, 5, q->anonymous_max_cents);
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&ex, 0, sizeof ex);
		ex.outcome_id = sqlite3_column_int64(st, 0);
		ledger_column_copy(st, 1, ex.category, sizeof ex.category);
		ex.paid_cents = sqlite3_column_int64(st, 2);
		ex.paid_on = ledger_column_date(st, 3);
		ledger_column_copy(st, 4, ex.payer_document, sizeof ex.payer_document);
		ex.payer_document_partial = sqlite3_column_int(st, 5) != 0;
		ledger_column_copy(st, 6, ex.receivable_debtor, sizeof ex.receivable_debtor);
		ledger_column_copy(st, 7, ex.receivable_id, sizeof ex.receivable_id);
		snprintf(ex.source, sizeof ex.source, "%s:%lld", (const char *)sqlite3_column_text(st, 8),
			 (long long)sqlite3_column_int64(st, 9));
		rc = fn(ctx, &ex);
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = ledger_sql_error(lg, d, "looking for open exceptions");
	sqlite3_finalize(st);
	return rc;
}

/* Convênios as banks write them differ in padding ("0012345" in one
 * file, "12345" in the account): compared normalized like a nosso número
 * (letters and digits, no leading zeros). */
static void agreement_key(const char *s, char *out)
{
	if (!s || nosso_numero_normalize(s, strlen(s), out) < 0)
		out[0] = '\0';
}

static int imports(struct ledger *lg, const struct ledger_gate_query *q, struct ledger_gate_rows *out,
		   struct diag *d)
{
	sqlite3_stmt *st;
	char want[NOSSO_NUMERO_MAX + 1], have[NOSSO_NUMERO_MAX + 1];
	int step;
	agreement_key(q->agreement, want);
	if (sqlite3_prepare_v2(lg->db,
			       "SELECT status, agreement, generated, filename, hold_reason FROM import"
			       " WHERE bank = ? ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "reading the account's imports");
	sqlite3_bind_int(st, 1, q->bank);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *status = (const char *)sqlite3_column_text(st, 0);
		agreement_key((const char *)sqlite3_column_text(st, 1), have);
		/* a file that names no convênio may be any account's of the bank */
		if (want[0] && have[0] && strcmp(want, have) != 0)
			continue;
		if (status && strcmp(status, "held") == 0) {
			if (out->held_imports++ == 0) {
				ledger_column_copy(st, 3, out->held_file, sizeof out->held_file);
				ledger_column_copy(st, 4, out->held_reason, sizeof out->held_reason);
			}
			continue;
		}
		cdate g = ledger_column_date(st, 2);
		if (g == CDATE_NONE)
			continue;
		if (!out->has_import || g > out->latest_import) {
			out->has_import = true;
			out->latest_import = g;
			ledger_column_copy(st, 3, out->latest_file, sizeof out->latest_file);
		}
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return ledger_sql_error(lg, d, "reading the account's imports");
	return 0;
}

int ledger_gate_read(struct ledger *lg, const struct ledger_gate_query *q, struct ledger_gate_rows *out,
		     int (*fn)(void *ctx, const struct ledger_gate_exception *e), void *ctx, struct diag *d)
{
	memset(out, 0, sizeof *out);
	out->latest_import = CDATE_NONE;
	if (ledger_receivable_allocated(lg, q->receivable_rowid, &out->allocated_cents, &out->settled, d) != 0 ||
	    ledger_receivable_bank_state(lg, q->receivable_rowid, out->bank_state, sizeof out->bank_state, d) !=
		0 ||
	    pending_payments(lg, q, out, d) != 0 || imports(lg, q, out, d) != 0)
		return -1;
	return exceptions(lg, q, fn, ctx, d);
}
