/* The beneficiary's collection accounts: stored, listed, and found for a
 * receivable (by its account label, else by its bank). Validation of what
 * an account holds is the caller's (gate/charge.c); this file only keeps
 * it. */
#include "config.h"
#include <stdio.h>
#include <string.h>

#include "ledger/ledger_internal.h"

#define ACCOUNT_COLUMNS                                                                             \
	"id, label, bank, agency, account, wallet, agreement, options, nn_with_dv, name, document,"  \
	" address, city, uf, cep, pix_key, created_at"

/* options: one KEY=VALUE per line (keys and values never hold a newline,
 * keys never an '='). */
static void read_options(const char *text, struct ledger_account *a)
{
	a->nopts = 0;
	while (text && *text && a->nopts < LEDGER_ACCOUNT_MAX_OPTS) {
		size_t n = strcspn(text, "\n");
		const char *eq = memchr(text, '=', n);
		if (eq) {
			snprintf(a->opts[a->nopts].key, sizeof a->opts[a->nopts].key, "%.*s", (int)(eq - text),
				 text);
			snprintf(a->opts[a->nopts].value, sizeof a->opts[a->nopts].value, "%.*s",
				 (int)(n - (size_t)(eq - text) - 1), eq + 1);
			a->nopts++;
		}
		text += n;
		if (*text == '\n')
			text++;
	}
}

static void read_account(sqlite3_stmt *st, struct ledger_account *a)
{
	memset(a, 0, sizeof *a);
	a->id = sqlite3_column_int64(st, 0);
	ledger_column_copy(st, 1, a->label, sizeof a->label);
	a->bank = sqlite3_column_int(st, 2);
	ledger_column_copy(st, 3, a->agency, sizeof a->agency);
	ledger_column_copy(st, 4, a->account, sizeof a->account);
	ledger_column_copy(st, 5, a->wallet, sizeof a->wallet);
	ledger_column_copy(st, 6, a->agreement, sizeof a->agreement);
	read_options((const char *)sqlite3_column_text(st, 7), a);
	a->nn_with_dv = sqlite3_column_int(st, 8) != 0;
	ledger_column_copy(st, 9, a->name, sizeof a->name);
	ledger_column_copy(st, 10, a->document, sizeof a->document);
	ledger_column_copy(st, 11, a->address, sizeof a->address);
	ledger_column_copy(st, 12, a->city, sizeof a->city);
	ledger_column_copy(st, 13, a->uf, sizeof a->uf);
	ledger_column_copy(st, 14, a->cep, sizeof a->cep);
	ledger_column_copy(st, 15, a->pix_key, sizeof a->pix_key);
	ledger_column_copy(st, 16, a->created_at, sizeof a->created_at);
}

static int label_taken(struct ledger *lg, const char *label, struct diag *d)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(lg->db, "SELECT 1 FROM account WHERE label = ?", -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "looking up an account");
	sqlite3_bind_text(st, 1, label, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "looking up an account");
	return rc == SQLITE_ROW;
}

int ledger_account_add(struct ledger *lg, const struct ledger_account *a, struct diag *d)
{
	char opts[LEDGER_ACCOUNT_MAX_OPTS * 120] = "", now[32], detail[512];
	size_t used = 0;
	sqlite3_stmt *st;
	int rc;

	for (int i = 0; i < a->nopts && used < sizeof opts; i++)
		used += (size_t)snprintf(opts + used, sizeof opts - used, "%s%s=%s", i ? "\n" : "",
					 a->opts[i].key, a->opts[i].value);
	if (ledger_begin(lg, d) != 0)
		return -1;
	rc = label_taken(lg, a->label, d);
	if (rc != 0) {
		ledger_rollback(lg);
		if (rc > 0)
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, "label",
					"an account labelled '%s' already exists (accounts are not edited: "
					"add one with another --label)",
					a->label);
		return -1;
	}
	ledger_now(now, sizeof now);
	if (sqlite3_prepare_v2(lg->db,
			       "INSERT INTO account(label, bank, agency, account, wallet, agreement, options,"
			       " nn_with_dv, name, document, address, city, uf, cep, pix_key, created_at, actor)"
			       " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
			       -1, &st, NULL) != SQLITE_OK) {
		ledger_sql_error(lg, d, "adding an account");
		ledger_rollback(lg);
		return -1;
	}
	int i = 1;
	sqlite3_bind_text(st, i++, a->label, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, i++, a->bank);
	sqlite3_bind_text(st, i++, a->agency, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, a->account, -1, SQLITE_STATIC);
	ledger_bind_text_or_null(st, i++, a->wallet);
	ledger_bind_text_or_null(st, i++, a->agreement);
	ledger_bind_text_or_null(st, i++, opts);
	sqlite3_bind_int(st, i++, a->nn_with_dv ? 1 : 0);
	sqlite3_bind_text(st, i++, a->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, a->document, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, a->address, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, a->city, -1, SQLITE_STATIC);
	ledger_bind_text_or_null(st, i++, a->uf);
	ledger_bind_text_or_null(st, i++, a->cep);
	ledger_bind_text_or_null(st, i++, a->pix_key);
	sqlite3_bind_text(st, i++, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, lg->actor, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		ledger_sql_error(lg, d, "adding an account");
		ledger_rollback(lg);
		return -1;
	}
	snprintf(detail, sizeof detail, "bank %03d agency %s account %s%s%s%s%s, %s, pix key %s", a->bank,
		 a->agency, a->account, a->wallet[0] ? " wallet " : "", a->wallet,
		 a->agreement[0] ? " agreement " : "", a->agreement, a->document,
		 a->pix_key[0] ? a->pix_key : "none");
	if (ledger_journal(lg, "account_add", a->label, detail, d) != 0 || ledger_commit(lg, d) != 0) {
		ledger_rollback(lg);
		return -1;
	}
	return 0;
}

int ledger_account_list(struct ledger *lg, int (*fn)(void *ctx, const struct ledger_account *a), void *ctx,
			struct diag *d)
{
	sqlite3_stmt *st;
	struct ledger_account a;
	int rc = 0, step;
	if (sqlite3_prepare_v2(lg->db, "SELECT " ACCOUNT_COLUMNS " FROM account ORDER BY label", -1, &st, NULL) !=
	    SQLITE_OK)
		return ledger_sql_error(lg, d, "listing accounts");
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		read_account(st, &a);
		rc = fn(ctx, &a);
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = ledger_sql_error(lg, d, "listing accounts");
	sqlite3_finalize(st);
	return rc;
}

int ledger_account_for(struct ledger *lg, int bank, const char *label, struct ledger_account *out,
		       struct diag *d)
{
	sqlite3_stmt *st;
	int n = 0, step;
	const char *sql = label && *label
				  ? "SELECT " ACCOUNT_COLUMNS " FROM account WHERE bank = ?1 AND label = ?2"
				  : "SELECT " ACCOUNT_COLUMNS " FROM account WHERE bank = ?1 ORDER BY label";
	if (sqlite3_prepare_v2(lg->db, sql, -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "looking up an account");
	sqlite3_bind_int(st, 1, bank);
	if (label && *label)
		sqlite3_bind_text(st, 2, label, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == 0)
			read_account(st, out);
		n++;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return ledger_sql_error(lg, d, "looking up an account");
	return n;
}
