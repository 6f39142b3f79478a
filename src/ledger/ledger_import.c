/* Bank files in the ledger: the file itself (bytes kept forever, identified
 * by SHA-256) and its events, each with an identity that makes re-sent
 * lines harmless. */
#include "config.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/money.h"
#include "ledger/ledger_internal.h"

int ledger_import_lookup(struct ledger *lg, const char *sha256, struct ledger_import_info *info,
			 struct diag *d)
{
	ledger_writer_sync(lg);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(lg->db,
			       "SELECT id, filename, imported_at, actor, format, events, status, hold_reason"
			       " FROM import WHERE sha256 = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "looking up a file");
	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && info) {
		memset(info, 0, sizeof *info);
		info->id = sqlite3_column_int64(st, 0);
		ledger_column_copy(st, 1, info->filename, sizeof info->filename);
		ledger_column_copy(st, 2, info->imported_at, sizeof info->imported_at);
		ledger_column_copy(st, 3, info->actor, sizeof info->actor);
		ledger_column_copy(st, 4, info->format, sizeof info->format);
		info->events = sqlite3_column_int(st, 5);
		const unsigned char *status = sqlite3_column_text(st, 6);
		info->held = status && strcmp((const char *)status, "held") == 0;
		ledger_column_copy(st, 7, info->hold_reason, sizeof info->hold_reason);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "looking up a file");
	return rc == SQLITE_ROW;
}

int ledger_import_add(struct ledger *lg, const char *sha256, const char *filename,
		      const unsigned char *bytes, size_t len, const struct ledger_import_header *h,
		      int64_t *import_id, struct diag *d)
{
	ledger_writer_sync(lg);
	char now[32];
	sqlite3_stmt *st;
	ledger_now(now, sizeof now);
	if (sqlite3_prepare_v2(lg->db,
			       "INSERT INTO import(sha256, filename, format, layout, bank, agreement, nsa,"
			       " generated, records, size, content, imported_at, actor)"
			       " VALUES (?,?,?,?,?,?,?,?,?,?,X'',?,?)",
			       -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "recording the file");
	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, filename, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, h->format, -1, SQLITE_STATIC);
	ledger_bind_text_or_null(st, 4, h->layout);
	sqlite3_bind_int(st, 5, h->bank);
	ledger_bind_text_or_null(st, 6, h->agreement);
	sqlite3_bind_int64(st, 7, h->nsa);
	ledger_bind_date(st, 8, h->generated);
	sqlite3_bind_int64(st, 9, h->records);
	sqlite3_bind_int64(st, 10, (sqlite3_int64)len);
	sqlite3_bind_text(st, 11, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, lg->actor, -1, SQLITE_STATIC);
	(void)bytes;
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "recording the file");
	*import_id = sqlite3_last_insert_rowid(lg->db);
	ledger_ordinals_reset(lg);
	return 0;
}

/* Whether the event already in the ledger under this hash has this very
 * identity (a re-sent line: 1), another one (a hash collision: 0), or
 * -1 on error; *known_id (may be NULL) gets its id, 0 when there is none;
 * when it is the same, *known_cents and *known_import (may be NULL) get its
 * amount and import. Rows keep the identity text only when
 * it cannot be rebuilt from their columns (identity = '' otherwise). */
static int same_identity(struct ledger *lg, int64_t hash, const char *identity, int64_t *known_cents,
			 int64_t *known_import, int64_t *known_id, struct diag *d)
{
	int same = 0;
	if (known_id)
		*known_id = 0;
	/* Kept prepared: a ledger upgraded from before schema 11 asks this for
	 * every new CNAB event (its legacy key). */
	if (ledger_prepare(lg, &lg->st_event_by_hash,
			   "SELECT identity, identity_ordinal, bank, agreement, nosso_numero_raw, occurrence,"
			   " occurrence_date, paid_cents, credit_date, import_id, id FROM event WHERE identity_hash = ?",
			   d))
		return -1;
	sqlite3_stmt *q = lg->st_event_by_hash;
	sqlite3_bind_int64(q, 1, hash);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		if (known_cents)
			*known_cents = sqlite3_column_int64(q, 7);
		if (known_import)
			*known_import = sqlite3_column_int64(q, 9);
		if (known_id)
			*known_id = sqlite3_column_int64(q, 10);
		const char *t = (const char *)sqlite3_column_text(q, 0);
		if (t && *t) {
			same = strcmp(t, identity) == 0;
		} else {
			char stored[220];
			size_t len = ledger_identity_cnab(
				stored, sizeof stored, sqlite3_column_int(q, 2), (const char *)sqlite3_column_text(q, 3),
				(const char *)sqlite3_column_text(q, 4), (const char *)sqlite3_column_text(q, 5),
				(const char *)sqlite3_column_text(q, 6), sqlite3_column_int64(q, 7),
				(const char *)sqlite3_column_text(q, 8));
			if (sqlite3_column_type(q, 1) != SQLITE_NULL)
				ledger_identity_add_ordinal(stored, sizeof stored, len,
							    (uint32_t)sqlite3_column_int64(q, 1));
			same = strcmp(stored, identity) == 0;
		}
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ledger_sql_error(lg, d, "checking an event identity");
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? same : -1;
}

/* Appends a text of at most cap bytes (its buffer's size) to q's texts. */
static void pack(struct ledger_queued_event *q, size_t *used, enum ledger_event_text t, const char *s, size_t cap)
{
	size_t len = strnlen(s, cap - 1);
	memcpy(q->text + *used, s, len);
	q->text[*used + len] = '\0';
	q->off[t] = (uint16_t)*used;
	q->len[t] = (uint16_t)len;
	*used += len + 1;
}

/* The dates as stored (ISO text, '' when absent), straight into q's texts. */
static void pack_date(struct ledger_queued_event *q, size_t *used, enum ledger_event_text t, cdate date)
{
	size_t len = date_format_iso(date, q->text + *used, 16);
	q->off[t] = (uint16_t)*used;
	q->len[t] = (uint16_t)len;
	*used += len + 1;
}

int ledger_event_prepare(struct ledger *lg, int64_t import_id, const struct bank_event *ev,
			 struct ledger_queued_event *q, struct diag *d)
{
	size_t used = 0;
	pack_date(q, &used, EVT_DUE, ev->due_date);
	pack_date(q, &used, EVT_OCC, ev->occurrence_date);
	pack_date(q, &used, EVT_CRED, ev->credit_date);
	/* The identity of a CNAB event (reference/reconciliation.md §2.4) is
	 * built from its columns: the same fact reported again (a re-sent line
	 * in another file) has the same one; line numbers are not part of it.
	 * Such rows store '' as identity text (it is rebuilt when needed, and
	 * the event_identity view shows it): a fifth of the row less to write. */
	q->derived = !ev->identity[0];
	size_t idlen;
	if (q->derived) {
		idlen = ledger_identity_cnab(q->identity, sizeof q->identity, ev->bank, ev->agreement,
					     ev->nosso_numero_raw, ev->occurrence, q->text + q->off[EVT_OCC],
					     ev->paid_cents, q->text + q->off[EVT_CRED]);
	} else {
		idlen = strnlen(ev->identity, sizeof ev->identity - 1);
		memcpy(q->identity, ev->identity, idlen);
		q->identity[idlen] = '\0';
	}
	/* A bank id (endToEndId) names one fact: seen twice, even in one file,
	 * it is the same credit. CNAB and weak identities describe content, so
	 * identical rows within a file are numbered apart. The ordinal's slot
	 * is fetched while the event is copied. */
	bool numbered = q->derived || ev->weak_identity;
	uint64_t base_hash = 0;
	if (numbered) {
		base_hash = ledger_identity_hash(q->identity, idlen);
		ledger_ordinal_prefetch(lg, base_hash);
	}
	q->import_id = import_id;
	q->weak_identity = ev->weak_identity != 0;
	q->payer_document_partial = ev->payer_document_partial != 0;
	q->kind = ev->kind;
	q->bank = ev->bank;
	q->line = ev->line;
	q->line_end = ev->line_end;
	q->face_cents = ev->face_cents;
	q->paid_cents = ev->paid_cents;
	q->net_cents = ev->net_cents;
	q->tariff_cents = ev->tariff_cents;
	q->charges_cents = ev->charges_cents;
	q->discount_cents = ev->discount_cents;
	q->rebate_cents = ev->rebate_cents;
	q->iof_cents = ev->iof_cents;
	q->other_expenses_cents = ev->other_expenses_cents;
	q->other_credits_cents = ev->other_credits_cents;
	pack(q, &used, EVT_AGREEMENT, ev->agreement, sizeof ev->agreement);
	pack(q, &used, EVT_NOSSO_NUMERO, ev->nosso_numero, sizeof ev->nosso_numero);
	pack(q, &used, EVT_NOSSO_NUMERO_RAW, ev->nosso_numero_raw, sizeof ev->nosso_numero_raw);
	pack(q, &used, EVT_SEU_NUMERO, ev->seu_numero, sizeof ev->seu_numero);
	pack(q, &used, EVT_COMPANY_REF, ev->company_ref, sizeof ev->company_ref);
	pack(q, &used, EVT_OCCURRENCE, ev->occurrence, sizeof ev->occurrence);
	pack(q, &used, EVT_OCCURRENCE_TEXT, ev->occurrence_text, sizeof ev->occurrence_text);
	pack(q, &used, EVT_REASONS, ev->reasons, sizeof ev->reasons);
	pack(q, &used, EVT_PAYER_DOCUMENT, ev->payer_document, sizeof ev->payer_document);
	pack(q, &used, EVT_PAYER_NAME, ev->payer_name, sizeof ev->payer_name);
	pack(q, &used, EVT_END_TO_END_ID, ev->end_to_end_id, sizeof ev->end_to_end_id);
	pack(q, &used, EVT_TXID, ev->txid, sizeof ev->txid);
	pack(q, &used, EVT_REFUND_ID, ev->refund_id, sizeof ev->refund_id);
	pack(q, &used, EVT_STATEMENT_REF, ev->statement_ref, sizeof ev->statement_ref);
	pack(q, &used, EVT_FREE_TEXT, ev->free_text, sizeof ev->free_text);
	q->ordinal = 0;
	if (numbered) {
		q->ordinal = ledger_ordinal_next(lg, base_hash);
		if (!q->ordinal)
			return diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL, "out of memory");
		idlen = ledger_identity_add_ordinal(q->identity, sizeof q->identity, idlen, q->ordinal);
	}
	q->idlen = (uint16_t)idlen;
	q->legacy_hash = (int64_t)ledger_identity_hash(q->identity, idlen);
	q->hash = q->derived ? ledger_identity_key(ev->nosso_numero, (uint64_t)q->legacy_hash) : q->legacy_hash;
	return 0;
}

#define EVENT_INSERT                                                                               \
	"INSERT OR IGNORE INTO event(import_id, identity, identity_hash, identity_ordinal, line,"     \
	" line_end, bank, agreement, nosso_numero, nosso_numero_raw, seu_numero, company_ref,"       \
	" occurrence, kind, occurrence_text, reasons, is_payment, due_date, occurrence_date,"        \
	" credit_date, face_cents, paid_cents, net_cents, tariff_cents, charges_cents,"              \
	" discount_cents, rebate_cents, iof_cents, other_expenses_cents, other_credits_cents,"       \
	" payer_document, payer_name, end_to_end_id, txid, refund_id, statement_ref, free_text,"     \
	" weak_identity, payer_document_partial) VALUES "
#define EVENT_ROW "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
enum { EVENT_COLUMNS = 39 };

/* A text of q, NULL when empty. */
static void bind_text_or_null(sqlite3_stmt *st, int idx, const struct ledger_queued_event *q,
			      enum ledger_event_text t)
{
	if (q->len[t])
		sqlite3_bind_text(st, idx, q->text + q->off[t], q->len[t], SQLITE_STATIC);
	else
		sqlite3_bind_null(st, idx);
}

/* A text of q, '' when empty. */
static void bind_text(sqlite3_stmt *st, int idx, const struct ledger_queued_event *q, enum ledger_event_text t)
{
	sqlite3_bind_text(st, idx, q->text + q->off[t], q->len[t], SQLITE_STATIC);
}

/* Every parameter of row k (0-based) is bound from q, which outlives the
 * step: no copies, and no strlen (the lengths were taken while packing). */
static void bind_event(sqlite3_stmt *st, int k, const struct ledger_queued_event *q)
{
	int i = k * EVENT_COLUMNS + 1;
	sqlite3_bind_int64(st, i++, q->import_id);
	sqlite3_bind_text(st, i++, q->derived ? "" : q->identity, q->derived ? 0 : (int)q->idlen, SQLITE_STATIC);
	sqlite3_bind_int64(st, i++, q->hash);
	if (q->ordinal)
		sqlite3_bind_int64(st, i++, q->ordinal);
	else
		sqlite3_bind_null(st, i++);
	sqlite3_bind_int64(st, i++, q->line);
	sqlite3_bind_int64(st, i++, q->line_end);
	sqlite3_bind_int(st, i++, q->bank);
	bind_text_or_null(st, i++, q, EVT_AGREEMENT);
	bind_text(st, i++, q, EVT_NOSSO_NUMERO);
	bind_text(st, i++, q, EVT_NOSSO_NUMERO_RAW);
	bind_text_or_null(st, i++, q, EVT_SEU_NUMERO);
	bind_text_or_null(st, i++, q, EVT_COMPANY_REF);
	bind_text(st, i++, q, EVT_OCCURRENCE);
	sqlite3_bind_text(st, i++, event_kind_name(q->kind), -1, SQLITE_STATIC);
	bind_text_or_null(st, i++, q, EVT_OCCURRENCE_TEXT);
	bind_text_or_null(st, i++, q, EVT_REASONS);
	sqlite3_bind_int(st, i++, event_kind_is_payment(q->kind));
	bind_text_or_null(st, i++, q, EVT_DUE);
	bind_text_or_null(st, i++, q, EVT_OCC);
	bind_text_or_null(st, i++, q, EVT_CRED);
	sqlite3_bind_int64(st, i++, q->face_cents);
	sqlite3_bind_int64(st, i++, q->paid_cents);
	sqlite3_bind_int64(st, i++, q->net_cents);
	sqlite3_bind_int64(st, i++, q->tariff_cents);
	sqlite3_bind_int64(st, i++, q->charges_cents);
	sqlite3_bind_int64(st, i++, q->discount_cents);
	sqlite3_bind_int64(st, i++, q->rebate_cents);
	sqlite3_bind_int64(st, i++, q->iof_cents);
	sqlite3_bind_int64(st, i++, q->other_expenses_cents);
	sqlite3_bind_int64(st, i++, q->other_credits_cents);
	bind_text_or_null(st, i++, q, EVT_PAYER_DOCUMENT);
	bind_text_or_null(st, i++, q, EVT_PAYER_NAME);
	bind_text_or_null(st, i++, q, EVT_END_TO_END_ID);
	bind_text_or_null(st, i++, q, EVT_TXID);
	bind_text_or_null(st, i++, q, EVT_REFUND_ID);
	bind_text_or_null(st, i++, q, EVT_STATEMENT_REF);
	bind_text_or_null(st, i++, q, EVT_FREE_TEXT);
	sqlite3_bind_int(st, i++, q->weak_identity);
	sqlite3_bind_int(st, i++, q->payer_document_partial);
}

/* An event whose key the ledger already holds: the same fact again (a
 * re-sent line: fine), or a refusal (a hash collision; a bank id seen again
 * with another amount). same is what same_identity said of it. */
static int check_known(struct ledger *lg, const struct ledger_queued_event *q, int same, int64_t known_cents,
		       int64_t known_import, struct diag *d)
{
	if (!same)
		return diag_set(d, DIAG_ERROR, lg->path, q->line, 0, NULL,
				"event identity hash collision (%s); refusing rather than skipping it", q->identity);
	/* A bank id (endToEndId, rtrId) names one movement of money: seen
	 * again with another amount it is a conflict, never an update
	 * (reference/pix.md §8). Only the amount is compared: dates and
	 * references legitimately differ between an API Pix notification
	 * and a statement line of the same Pix. */
	if (!q->derived && !q->weak_identity && known_cents != q->paid_cents) {
		char was[32], now[32];
		money_format(known_cents, was, sizeof was);
		money_format(q->paid_cents, now, sizeof now);
		return diag_set(d, DIAG_ERROR, "", 0, 0, NULL,
				"line %ld: %s was recorded with amount %s by import #%lld, this file says %s: a "
				"repeated id with a different amount is a conflict, not an update",
				q->line, q->identity, was, (long long)known_import, now);
	}
	return 0;
}

int ledger_event_write(struct ledger *lg, const struct ledger_queued_event *q, bool *inserted, struct diag *d)
{
	if (q->derived && lg->legacy_keys) {
		/* The ledger holds CNAB events keyed by the plain hash (before
		 * schema 11): a re-sent line may be one of them. */
		int same = same_identity(lg, q->legacy_hash, q->identity, NULL, NULL, NULL, d);
		if (same < 0)
			return -1;
		if (same) {
			*inserted = false;
			return 0;
		}
	}
	return ledger_events_write(lg, &q, 1, inserted, d);
}

int ledger_events_write(struct ledger *lg, const struct ledger_queued_event *const *q, int n, bool *inserted,
			struct diag *d)
{
	if (lg->legacy_keys && n > 1) {
		/* Each new CNAB event is also looked up by its legacy key. */
		for (int i = 0; i < n; i++)
			if (ledger_event_write(lg, q[i], &inserted[i], d) != 0)
				return -1;
		return 0;
	}
	sqlite3_stmt **st = ledger_many_insert(lg, lg->st_event_many, EVENT_INSERT, EVENT_ROW, n, d);
	if (!st)
		return -1;
	for (int i = 0; i < n; i++)
		bind_event(*st, i, q[i]);
	int rc = sqlite3_step(*st);
	sqlite3_reset(*st);
	sqlite3_clear_bindings(*st); /* drop the pointers into q */
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, n == 1 ? "recording a bank event" : "recording bank events");
	int changed = sqlite3_changes(lg->db);
	if (changed == n) {
		for (int i = 0; i < n; i++)
			inserted[i] = true;
		return 0;
	}
	/* Some rows were already there (a re-sent line; or, within the group,
	 * a bank id seen twice). The rows this statement inserted have the
	 * `changed` consecutive ids ending at the last inserted one (ids are
	 * the table's maximum plus one), so each row is looked up by its key:
	 * the first of the group to find a new id is the one that was
	 * inserted; any other was skipped and is checked. */
	int64_t first_new = changed ? sqlite3_last_insert_rowid(lg->db) - changed + 1 : INT64_MAX;
	int64_t claimed[LEDGER_ROWS_PER_INSERT];
	int nclaimed = 0;
	for (int i = 0; i < n; i++) {
		int64_t id, known_cents = 0, known_import = 0;
		int same = same_identity(lg, q[i]->hash, q[i]->identity, &known_cents, &known_import, &id, d);
		if (same < 0)
			return -1;
		if (!id)
			return diag_set(d, DIAG_ERROR, lg->path, q[i]->line, 0, NULL,
					"the bank event %s was not recorded (a required field is missing)",
					q[i]->identity);
		bool mine = id >= first_new;
		for (int k = 0; mine && k < nclaimed; k++)
			mine = claimed[k] != id;
		inserted[i] = mine;
		if (mine)
			claimed[nclaimed++] = id;
		else if (check_known(lg, q[i], same, known_cents, known_import, d) != 0)
			return -1;
	}
	return 0;
}

int ledger_event_add(struct ledger *lg, int64_t import_id, const struct bank_event *ev, bool *inserted,
		     struct diag *d)
{
	struct ledger_queued_event *q = malloc(sizeof *q);
	if (!q)
		return diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL, "out of memory");
	/* Events queued before this one are written first, in order. */
	ledger_writer_sync(lg);
	int rc = ledger_event_prepare(lg, import_id, ev, q, d);
	if (rc == 0)
		rc = ledger_event_write(lg, q, inserted, d);
	free(q);
	return rc;
}

int ledger_import_finish(struct ledger *lg, int64_t import_id, const struct ledger_import_header *h,
			 long events, long duplicates, struct diag *d)
{
	ledger_writer_sync(lg);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(lg->db,
			       "UPDATE import SET layout = ?, bank = ?, agreement = ?, nsa = ?, generated = ?,"
			       " records = ?, events = ?, duplicate_events = ? WHERE id = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "finishing the import");
	ledger_bind_text_or_null(st, 1, h->layout);
	sqlite3_bind_int(st, 2, h->bank);
	ledger_bind_text_or_null(st, 3, h->agreement);
	sqlite3_bind_int64(st, 4, h->nsa);
	ledger_bind_date(st, 5, h->generated);
	sqlite3_bind_int64(st, 6, h->records);
	sqlite3_bind_int64(st, 7, events);
	sqlite3_bind_int64(st, 8, duplicates);
	sqlite3_bind_int64(st, 9, import_id);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "finishing the import");
	return 0;
}

int ledger_import_sequence(struct ledger *lg, int bank, const char *agreement, long nsa, int64_t *conflict,
			   long *max_nsa, struct diag *d)
{
	ledger_writer_sync(lg);
	sqlite3_stmt *st;
	*conflict = 0;
	*max_nsa = 0;
	if (sqlite3_prepare_v2(lg->db,
			       "SELECT (SELECT id FROM import WHERE bank = ?1 AND COALESCE(agreement, '') = ?2"
			       "  AND nsa = ?3 AND status = 'imported' ORDER BY id LIMIT 1),"
			       " (SELECT MAX(nsa) FROM import WHERE bank = ?1 AND COALESCE(agreement, '') = ?2"
			       "  AND status = 'imported')",
			       -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "checking the file sequence");
	sqlite3_bind_int(st, 1, bank);
	sqlite3_bind_text(st, 2, agreement ? agreement : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, nsa);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*conflict = sqlite3_column_int64(st, 0);
		*max_nsa = (long)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return ledger_sql_error(lg, d, "checking the file sequence");
	return 0;
}

int ledger_import_hold(struct ledger *lg, int64_t import_id, const char *reason, struct diag *d)
{
	ledger_writer_sync(lg);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(lg->db, "UPDATE import SET status = 'held', hold_reason = ? WHERE id = ?", -1, &st,
			       NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "holding a file");
	sqlite3_bind_text(st, 1, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, import_id);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "holding a file");
	return 0;
}

int ledger_import_keep_bytes_start(struct ledger *lg, const char *sha256, const struct file_bytes *fb,
				   struct diag *d)
{
	return ledger_store_start(lg, sha256, fb, d);
}

int ledger_import_keep_bytes(struct ledger *lg, int64_t import_id, const char *sha256,
			     const struct file_bytes *fb, struct diag *d)
{
	ledger_writer_sync(lg);
	char rel[128];
	sqlite3_stmt *st;
	if (ledger_store_file(lg, sha256, fb, rel, sizeof rel, d))
		return -1;
	if (sqlite3_prepare_v2(lg->db, "UPDATE import SET stored = ? WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "recording where the file is kept");
	sqlite3_bind_text(st, 1, rel, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, import_id);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "recording where the file is kept");
	return 0;
}
