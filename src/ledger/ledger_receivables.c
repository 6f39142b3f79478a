/* Receivables from the ERP: insert new ones, update changed ones (each
 * change journaled with before and after), leave identical ones alone. */
#include "config.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/money.h"
#include "ledger/ledger_internal.h"

/* The columns read_row reads, in its order. The five texts the matcher
 * never reads (the debtor's name, the reference as written, e-mail,
 * phone, account) are parameters, so that one list serves both the full
 * row and the matcher's scan. */
#define RECEIVABLE_COLUMNS_WITH(name, raw, email, phone, account)                                  \
	"id, ext_id, debtor_document, " name ", amount_cents, due_date, bank, nosso_numero, " raw     \
	", pix_txid, issue_date, fine_e4, interest_month_e4, discount_cents, discount_until,"        \
	" erp_status, " email ", " phone ", state, " account ", fine_cents, fine_after,"              \
	" interest_day_cents, interest_after, rebate_cents, discount_e4, discount2_cents, discount2_e4," \
	" discount2_until, discount3_cents, discount3_e4, discount3_until"
#define RECEIVABLE_COLUMNS                                                                          \
	RECEIVABLE_COLUMNS_WITH("debtor_name", "nosso_numero_raw", "email", "phone", "account")
/* For the matcher's in-memory receivables: NULL (read as empty) where it
 * reads nothing, so those texts are not decoded and copied a million
 * times. */
#define RECEIVABLE_MATCH_COLUMNS RECEIVABLE_COLUMNS_WITH("NULL", "NULL", "NULL", "NULL", "NULL")

static enum receivable_status status_from_name(const unsigned char *s)
{
	for (int k = RECEIVABLE_OPEN; k <= RECEIVABLE_RENEGOTIATED; k++)
		if (s && strcmp((const char *)s, receivable_status_name((enum receivable_status)k)) == 0)
			return (enum receivable_status)k;
	return RECEIVABLE_OPEN;
}

static void read_row(sqlite3_stmt *st, struct ledger_receivable *out)
{
	struct receivable_row *r = &out->row;
	memset(out, 0, sizeof *out);
	out->rowid = sqlite3_column_int64(st, 0);
	ledger_column_copy(st, 1, r->id, sizeof r->id);
	ledger_column_copy(st, 2, r->debtor_document, sizeof r->debtor_document);
	ledger_column_copy(st, 3, r->debtor_name, sizeof r->debtor_name);
	r->amount_cents = sqlite3_column_int64(st, 4);
	r->due_date = ledger_column_date(st, 5);
	r->bank = sqlite3_column_int(st, 6);
	ledger_column_copy(st, 7, r->nosso_numero, sizeof r->nosso_numero);
	ledger_column_copy(st, 8, r->nosso_numero_raw, sizeof r->nosso_numero_raw);
	ledger_column_copy(st, 9, r->pix_txid, sizeof r->pix_txid);
	r->issue_date = ledger_column_date(st, 10);
	r->fine_e4 = sqlite3_column_int64(st, 11);
	r->interest_month_e4 = sqlite3_column_int64(st, 12);
	r->discount_cents = sqlite3_column_int64(st, 13);
	r->discount_until = ledger_column_date(st, 14);
	r->status = status_from_name(sqlite3_column_text(st, 15));
	ledger_column_copy(st, 16, r->email, sizeof r->email);
	ledger_column_copy(st, 17, r->phone, sizeof r->phone);
	ledger_column_copy(st, 18, r->state, sizeof r->state);
	ledger_column_copy(st, 19, r->account, sizeof r->account);
	r->fine_cents = sqlite3_column_int64(st, 20);
	r->fine_after = ledger_column_date(st, 21);
	r->interest_day_cents = sqlite3_column_int64(st, 22);
	r->interest_after = ledger_column_date(st, 23);
	r->rebate_cents = sqlite3_column_int64(st, 24);
	r->discount_e4 = sqlite3_column_int64(st, 25);
	r->discount2_cents = sqlite3_column_int64(st, 26);
	r->discount2_e4 = sqlite3_column_int64(st, 27);
	r->discount2_until = ledger_column_date(st, 28);
	r->discount3_cents = sqlite3_column_int64(st, 29);
	r->discount3_e4 = sqlite3_column_int64(st, 30);
	r->discount3_until = ledger_column_date(st, 31);
}

/* Names the first field that differs, or NULL when the rows are the same
 * (the line number and the ledger's own columns do not count). */
static const char *first_difference(const struct receivable_row *a, const struct receivable_row *b)
{
#define DIFF_STR(f)                                                                                 \
	if (strcmp(a->f, b->f) != 0)                                                                \
		return #f;
#define DIFF_NUM(f)                                                                                 \
	if (a->f != b->f)                                                                           \
		return #f;
	DIFF_STR(debtor_document)
	DIFF_STR(debtor_name)
	DIFF_NUM(amount_cents)
	DIFF_NUM(due_date)
	DIFF_NUM(bank)
	DIFF_STR(nosso_numero)
	DIFF_STR(nosso_numero_raw)
	DIFF_STR(pix_txid)
	DIFF_NUM(issue_date)
	DIFF_NUM(fine_e4)
	DIFF_NUM(interest_month_e4)
	DIFF_NUM(discount_cents)
	DIFF_NUM(discount_until)
	DIFF_NUM(status)
	DIFF_STR(email)
	DIFF_STR(phone)
	DIFF_STR(state)
	DIFF_STR(account)
	DIFF_NUM(fine_cents)
	DIFF_NUM(fine_after)
	DIFF_NUM(interest_day_cents)
	DIFF_NUM(interest_after)
	DIFF_NUM(rebate_cents)
	DIFF_NUM(discount_e4)
	DIFF_NUM(discount2_cents)
	DIFF_NUM(discount2_e4)
	DIFF_NUM(discount2_until)
	DIFF_NUM(discount3_cents)
	DIFF_NUM(discount3_e4)
	DIFF_NUM(discount3_until)
#undef DIFF_STR
#undef DIFF_NUM
	return NULL;
}

static int find_by_ext_id(struct ledger *lg, const char *ext_id, struct ledger_receivable *out,
			  struct diag *d)
{
	if (ledger_prepare(lg, &lg->st_receivable_by_ext,
			   "SELECT " RECEIVABLE_COLUMNS " FROM receivable WHERE ext_id = ?", d))
		return -1;
	sqlite3_stmt *st = lg->st_receivable_by_ext;
	sqlite3_bind_text(st, 1, ext_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_row(st, out);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "looking up a receivable");
	return rc == SQLITE_ROW;
}

static void bind_row(sqlite3_stmt *st, const struct receivable_row *r)
{
	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->debtor_document, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->debtor_name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, r->amount_cents);
	ledger_bind_date(st, 5, r->due_date);
	sqlite3_bind_int(st, 6, r->bank);
	sqlite3_bind_text(st, 7, r->nosso_numero, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, r->nosso_numero_raw, -1, SQLITE_STATIC);
	ledger_bind_text_or_null(st, 9, r->pix_txid);
	ledger_bind_date(st, 10, r->issue_date);
	sqlite3_bind_int64(st, 11, r->fine_e4);
	sqlite3_bind_int64(st, 12, r->interest_month_e4);
	sqlite3_bind_int64(st, 13, r->discount_cents);
	ledger_bind_date(st, 14, r->discount_until);
	sqlite3_bind_text(st, 15, receivable_status_name(r->status), -1, SQLITE_STATIC);
	ledger_bind_text_or_null(st, 16, r->email);
	ledger_bind_text_or_null(st, 17, r->phone);
	ledger_bind_text_or_null(st, 18, r->state);
	ledger_bind_text_or_null(st, 19, r->account);
	/* 20 and 21 are the source and the time (ledger_receivable_put). */
	sqlite3_bind_int64(st, 22, r->fine_cents);
	ledger_bind_date(st, 23, r->fine_after);
	sqlite3_bind_int64(st, 24, r->interest_day_cents);
	ledger_bind_date(st, 25, r->interest_after);
	sqlite3_bind_int64(st, 26, r->rebate_cents);
	sqlite3_bind_int64(st, 27, r->discount_e4);
	sqlite3_bind_int64(st, 28, r->discount2_cents);
	sqlite3_bind_int64(st, 29, r->discount2_e4);
	ledger_bind_date(st, 30, r->discount2_until);
	sqlite3_bind_int64(st, 31, r->discount3_cents);
	sqlite3_bind_int64(st, 32, r->discount3_e4);
	ledger_bind_date(st, 33, r->discount3_until);
}

int ledger_receivable_put(struct ledger *lg, const char *filename, const struct receivable_row *row,
			  enum ledger_change *change, struct diag *d)
{
	struct ledger_receivable old;
	char now[32], source[600];
	int found = find_by_ext_id(lg, row->id, &old, d);
	if (found < 0)
		return -1;
	*change = LEDGER_UNCHANGED;
	const char *diff = found ? first_difference(&old.row, row) : NULL;
	if (found && !diff)
		return 0;

	/* A nosso número names one title at its bank: two receivables sharing
	 * one would make every payment for it ambiguous. */
	struct ledger_receivable other;
	int taken = ledger_receivable_by_ref(lg, row->bank, row->nosso_numero, &other, d);
	if (taken < 0)
		return -1;
	if (taken && strcmp(other.row.id, row->id) != 0)
		return diag_set(d, DIAG_ERROR, filename, row->line, 0, "nosso_numero",
				"nosso número %s at bank %03d already belongs to receivable '%s'",
				row->nosso_numero_raw, row->bank, other.row.id);

	if (found && old.row.status != RECEIVABLE_CANCELLED && row->status == RECEIVABLE_CANCELLED) {
		/* Cancelling a debt that money was already applied to would hide
		 * that money: the allocation must be undone first. */
		int64_t applied;
		bool settled;
		if (ledger_receivable_allocated(lg, old.rowid, &applied, &settled, d))
			return -1;
		if (applied != 0) {
			char amount[40];
			money_format_brl(applied, amount, sizeof amount);
			return diag_set(d, DIAG_ERROR, filename, row->line, 0, "status",
					"receivable '%s' cannot be cancelled: %s of payments are applied to it",
					row->id, amount);
		}
	}

	ledger_now(now, sizeof now);
	snprintf(source, sizeof source, "%s:%ld", filename, row->line);
	/* status keeps the version-1 meaning (open or cancelled) for older
	 * readers; erp_status (schema 5) is the ERP's full state. */
	const char *sql =
		found ? "UPDATE receivable SET ext_id=?1, debtor_document=?2, debtor_name=?3, amount_cents=?4,"
			" due_date=?5, bank=?6, nosso_numero=?7, nosso_numero_raw=?8, pix_txid=?9,"
			" issue_date=?10, fine_e4=?11, interest_month_e4=?12, discount_cents=?13,"
			" discount_until=?14, erp_status=?15,"
			" status=CASE ?15 WHEN 'cancelled' THEN 'cancelled' ELSE 'open' END,"
			" email=?16, phone=?17, state=?18, account=?19, source=?20,"
			" updated_at=?21, fine_cents=?22, fine_after=?23, interest_day_cents=?24,"
			" interest_after=?25, rebate_cents=?26, discount_e4=?27, discount2_cents=?28,"
			" discount2_e4=?29, discount2_until=?30, discount3_cents=?31, discount3_e4=?32,"
			" discount3_until=?33 WHERE ext_id=?1"
		      : "INSERT INTO receivable(" RECEIVABLE_COLUMNS
			", status, source, created_at, updated_at) VALUES (NULL,?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,"
			"?12,?13,?14,?15,?16,?17,?18,?19,?22,?23,?24,?25,?26,?27,?28,?29,?30,?31,?32,?33,"
			"CASE ?15 WHEN 'cancelled' THEN 'cancelled' ELSE 'open' END,?20,?21,?21)";
	sqlite3_stmt **cached = found ? &lg->st_receivable_update : &lg->st_receivable_insert;
	if (ledger_prepare(lg, cached, sql, d))
		return -1;
	sqlite3_stmt *st = *cached;
	bind_row(st, row);
	sqlite3_bind_text(st, 20, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 21, now, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "saving a receivable");

	char detail[700];
	if (found)
		snprintf(detail, sizeof detail, "from %s; first changed field: %s", source, diff);
	else
		snprintf(detail, sizeof detail, "from %s", source);
	if (ledger_journal(lg, found ? "receivable.update" : "receivable.insert", row->id, detail, d))
		return -1;
	*change = found ? LEDGER_UPDATED : LEDGER_INSERTED;
	return 0;
}

int ledger_receivable_by_ref(struct ledger *lg, int bank, const char *nosso_numero,
			     struct ledger_receivable *out, struct diag *d)
{
	if (ledger_prepare(lg, &lg->st_receivable_by_ref,
			   "SELECT " RECEIVABLE_COLUMNS " FROM receivable WHERE bank = ? AND nosso_numero = ?", d))
		return -1;
	sqlite3_stmt *st = lg->st_receivable_by_ref;
	sqlite3_bind_int(st, 1, bank);
	sqlite3_bind_text(st, 2, nosso_numero, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_row(st, out);
		sqlite3_reset(st);
		return 1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "looking up a nosso número");
	return 0;
}

int ledger_receivable_allocated(struct ledger *lg, int64_t rowid, int64_t *allocated_cents,
				bool *settled, struct diag *d)
{
	/* Undo and reversal rows are negative and point at what they undo: the
	 * sum is what stays applied, and a settling row only counts while
	 * nothing reversed it. */
	if (ledger_prepare(lg, &lg->st_receivable_allocated,
			   "SELECT COALESCE(SUM(a.cents), 0),"
			   " COALESCE(MAX(a.settles AND NOT EXISTS (SELECT 1 FROM allocation b WHERE b.reverses = a.id)), 0)"
			   " FROM allocation a WHERE a.receivable_id = ?",
			   d))
		return -1;
	sqlite3_stmt *st = lg->st_receivable_allocated;
	sqlite3_bind_int64(st, 1, rowid);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return ledger_sql_error(lg, d, "reading allocations");
	}
	*allocated_cents = sqlite3_column_int64(st, 0);
	*settled = sqlite3_column_int(st, 1) != 0;
	sqlite3_reset(st);
	return 0;
}

/* One row by a unique key: 1 found, 0 not, -1 error. */
static int receivable_one(struct ledger *lg, sqlite3_stmt **cached, const char *sql, const char *key,
			  struct ledger_receivable *out, struct diag *d)
{
	if (ledger_prepare(lg, cached, sql, d))
		return -1;
	sqlite3_stmt *st = *cached;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_row(st, out);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "looking up a receivable");
	return rc == SQLITE_ROW;
}

int ledger_receivable_by_txid(struct ledger *lg, const char *txid, struct ledger_receivable *out,
			      struct diag *d)
{
	return receivable_one(lg, &lg->st_receivable_by_txid,
			      "SELECT " RECEIVABLE_COLUMNS " FROM receivable WHERE pix_txid = ? LIMIT 1", txid, out, d);
}

int ledger_receivable_by_ext_id(struct ledger *lg, const char *ext_id, struct ledger_receivable *out,
				struct diag *d)
{
	return find_by_ext_id(lg, ext_id, out, d);
}

int ledger_receivables_of_debtor(struct ledger *lg, const char *pattern, struct ledger_receivable *out, int max,
				 struct diag *d)
{
	/* A full document uses its index; the masked CPF of Pix receipts
	 * ("***123456**") the index on digits 4-9; any other mask is a LIKE. */
	size_t n = strlen(pattern);
	bool masked = strchr(pattern, '*') != NULL;
	bool cpf_middle = masked && n == 11 && strspn(pattern, "*") == 3 && strspn(pattern + 3, "0123456789") == 6 &&
			  strcmp(pattern + 9, "**") == 0;
	char like[16], middle[8];
	sqlite3_stmt **cached;
	const char *sql;
	const char *key = pattern;
	if (!masked) {
		cached = &lg->st_receivables_of_debtor;
		sql = "SELECT " RECEIVABLE_COLUMNS " FROM receivable WHERE debtor_document = ?1"
		      " AND erp_status IN ('open','disputed') ORDER BY due_date, id";
	} else if (cpf_middle) {
		memcpy(middle, pattern + 3, 6);
		middle[6] = '\0';
		key = middle;
		cached = &lg->st_receivables_of_cpf_middle;
		sql = "SELECT " RECEIVABLE_COLUMNS " FROM receivable WHERE length(debtor_document) = 11"
		      " AND substr(debtor_document, 4, 6) = ?1 AND erp_status IN ('open','disputed')"
		      " ORDER BY due_date, id";
	} else {
		if (n >= sizeof like)
			return 0;
		for (size_t i = 0; i <= n; i++)
			like[i] = pattern[i] == '*' ? '_' : pattern[i];
		key = like;
		cached = &lg->st_receivables_of_like;
		sql = "SELECT " RECEIVABLE_COLUMNS " FROM receivable WHERE debtor_document LIKE ?1"
		      " AND erp_status IN ('open','disputed') ORDER BY due_date, id";
	}
	if (ledger_prepare(lg, cached, sql, d))
		return -1;
	sqlite3_stmt *st = *cached;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int total = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (total < max)
			read_row(st, &out[total]);
		total++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "listing a debtor's receivables");
	return total;
}

int ledger_receivable_max_rowid(struct ledger *lg, int64_t *max, struct diag *d)
{
	return ledger_max_id(lg, "receivable", "counting receivables", max, d);
}

int ledger_receivables_scan(struct ledger *lg, int (*fn)(void *ctx, const struct ledger_receivable *r), void *ctx,
			    struct diag *d)
{
	return ledger_receivables_scan_range(lg, INT64_MIN, INT64_MAX, fn, ctx, d);
}

int ledger_receivables_scan_range(struct ledger *lg, int64_t first_id, int64_t last_id,
				  int (*fn)(void *ctx, const struct ledger_receivable *r), void *ctx, struct diag *d)
{
	struct ledger_reader main_connection = {.db = lg->db};
	ledger_writer_claim(lg);
	memcpy(main_connection.path, lg->path, sizeof main_connection.path);
	return ledger_reader_receivables(&main_connection, first_id, last_id, fn, ctx, d);
}

int ledger_reader_receivables(struct ledger_reader *rd, int64_t first_id, int64_t last_id,
			      int (*fn)(void *ctx, const struct ledger_receivable *r), void *ctx, struct diag *d)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(rd->db,
			       "SELECT " RECEIVABLE_MATCH_COLUMNS " FROM receivable WHERE id BETWEEN ? AND ? ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return ledger_reader_error(rd, d, "reading receivables");
	sqlite3_bind_int64(st, 1, first_id);
	sqlite3_bind_int64(st, 2, last_id);
	int rc, stop = 0;
	struct ledger_receivable r;
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_row(st, &r);
		stop = fn(ctx, &r);
	}
	if (!stop && rc != SQLITE_DONE)
		stop = ledger_reader_error(rd, d, "reading receivables");
	sqlite3_finalize(st);
	return stop;
}

int ledger_receivable_by_id(struct ledger *lg, const char *ext_id, struct ledger_receivable *out,
			    struct diag *d)
{
	return find_by_ext_id(lg, ext_id, out, d);
}

int ledger_receivables_due_before(struct ledger *lg, cdate before,
				  int (*fn)(void *ctx, const struct ledger_receivable *r), void *ctx,
				  struct diag *d)
{
	sqlite3_stmt *st;
	struct ledger_receivable r;
	int rc = 0, step;
	if (sqlite3_prepare_v2(lg->db,
			       "SELECT " RECEIVABLE_COLUMNS " FROM receivable"
			       " WHERE erp_status = 'open' AND due_date < ? ORDER BY due_date, id",
			       -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "listing overdue receivables");
	ledger_bind_date(st, 1, before);
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		read_row(st, &r);
		rc = fn(ctx, &r);
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = ledger_sql_error(lg, d, "listing overdue receivables");
	sqlite3_finalize(st);
	return rc;
}
