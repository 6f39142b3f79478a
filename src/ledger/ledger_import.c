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

static void ordinals_reset(struct ledger *lg)
{
	if (lg->ord_keys) {
		memset(lg->ord_keys, 0, lg->ord_cap * sizeof *lg->ord_keys);
		memset(lg->ord_counts, 0, lg->ord_cap * sizeof *lg->ord_counts);
	}
	lg->ord_len = 0;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = UINT64_C(1469598103934665603);
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	return h ? h : 1; /* 0 marks an empty slot */
}

/* Returns the 1-based ordinal of this identity within the current file, or
 * 0 when out of memory. */
static uint32_t ordinal_next(struct ledger *lg, const char *identity)
{
	if (2 * (lg->ord_len + 1) > lg->ord_cap) {
		size_t cap = lg->ord_cap ? lg->ord_cap * 2 : 4096;
		uint64_t *keys = calloc(cap, sizeof *keys);
		uint32_t *counts = calloc(cap, sizeof *counts);
		if (!keys || !counts) {
			free(keys);
			free(counts);
			return 0;
		}
		for (size_t i = 0; i < lg->ord_cap; i++) {
			if (!lg->ord_keys[i])
				continue;
			size_t j = lg->ord_keys[i] & (cap - 1);
			while (keys[j])
				j = (j + 1) & (cap - 1);
			keys[j] = lg->ord_keys[i];
			counts[j] = lg->ord_counts[i];
		}
		free(lg->ord_keys);
		free(lg->ord_counts);
		lg->ord_keys = keys;
		lg->ord_counts = counts;
		lg->ord_cap = cap;
	}
	uint64_t h = fnv1a(identity);
	size_t j = h & (lg->ord_cap - 1);
	while (lg->ord_keys[j] && lg->ord_keys[j] != h)
		j = (j + 1) & (lg->ord_cap - 1);
	if (!lg->ord_keys[j]) {
		lg->ord_keys[j] = h;
		lg->ord_len++;
	}
	return ++lg->ord_counts[j];
}

/* 64-bit hash of the identity text (multiply-xorshift over 8-byte words,
 * MurmurHash64A construction). */
static uint64_t identity_hash(const char *s, size_t len)
{
	const uint64_t m = UINT64_C(0xc6a4a7935bd1e995);
	uint64_t h = UINT64_C(0x2545f4914f6cdd1d) ^ (len * m);
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t k;
		memcpy(&k, s + i, 8);
		k *= m;
		k ^= k >> 47;
		k *= m;
		h ^= k;
		h *= m;
	}
	uint64_t tail = 0;
	for (size_t j = 0; i + j < len; j++)
		tail |= (uint64_t)(unsigned char)s[i + j] << (8 * j);
	if (len - i) {
		h ^= tail;
		h *= m;
	}
	h ^= h >> 47;
	h *= m;
	h ^= h >> 47;
	return h;
}

int ledger_import_add(struct ledger *lg, const char *sha256, const char *filename,
		      const unsigned char *bytes, size_t len, const struct ledger_import_header *h,
		      int64_t *import_id, struct diag *d)
{
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
	ordinals_reset(lg);
	return 0;
}

/* The identity of a CNAB event (reference/reconciliation.md §2.4): the same
 * fact reported again (a re-sent line in another file) has the same one;
 * line numbers are not part of it. */
static void event_identity(const struct bank_event *ev, char *buf, size_t n)
{
	char occ[16], cred[16];
	date_format_iso(ev->occurrence_date, occ, sizeof occ);
	date_format_iso(ev->credit_date, cred, sizeof cred);
	snprintf(buf, n, "cnab|%03d|%s|%s|%s|%s|%" PRId64 "|%s", ev->bank, ev->agreement, ev->nosso_numero_raw,
		 ev->occurrence, occ, ev->paid_cents, cred);
}

int ledger_event_add(struct ledger *lg, int64_t import_id, const struct bank_event *ev,
		     bool *inserted, struct diag *d)
{
	char identity[220];
	if (ev->identity[0])
		snprintf(identity, sizeof identity, "%s", ev->identity);
	else
		event_identity(ev, identity, sizeof identity);
	/* A bank id (endToEndId) names one fact: seen twice, even in one file,
	 * it is the same credit. CNAB and weak identities describe content, so
	 * identical rows within a file are numbered apart. */
	if (!ev->identity[0] || ev->weak_identity) {
		uint32_t ordinal = ordinal_next(lg, identity);
		if (!ordinal)
			return diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL, "out of memory");
		size_t used = strlen(identity);
		snprintf(identity + used, sizeof identity - used, "#%u", ordinal);
	}
	if (ledger_prepare(lg, &lg->st_event_insert,
			   "INSERT OR IGNORE INTO event(import_id, identity, identity_hash, line, line_end, bank, agreement,"
			   " nosso_numero, nosso_numero_raw, seu_numero, company_ref, occurrence, kind,"
			   " occurrence_text, reasons, is_payment, due_date, occurrence_date, credit_date,"
			   " face_cents, paid_cents, net_cents, tariff_cents, charges_cents, discount_cents,"
			   " rebate_cents, iof_cents, other_expenses_cents, other_credits_cents,"
			   " payer_document, payer_name, end_to_end_id, txid, refund_id, statement_ref, free_text,"
			   " weak_identity, payer_document_partial)"
			   " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
			   d))
		return -1;
	sqlite3_stmt *st = lg->st_event_insert;
	int i = 1;
	sqlite3_bind_int64(st, i++, import_id);
	size_t idlen = strlen(identity);
	int64_t hash = (int64_t)identity_hash(identity, idlen);
	sqlite3_bind_text(st, i++, identity, (int)idlen, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, i++, hash);
	sqlite3_bind_int64(st, i++, ev->line);
	sqlite3_bind_int64(st, i++, ev->line_end);
	sqlite3_bind_int(st, i++, ev->bank);
	ledger_bind_text_or_null(st, i++, ev->agreement);
	sqlite3_bind_text(st, i++, ev->nosso_numero, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, ev->nosso_numero_raw, -1, SQLITE_STATIC);
	ledger_bind_text_or_null(st, i++, ev->seu_numero);
	ledger_bind_text_or_null(st, i++, ev->company_ref);
	sqlite3_bind_text(st, i++, ev->occurrence, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, i++, event_kind_name(ev->kind), -1, SQLITE_STATIC);
	ledger_bind_text_or_null(st, i++, ev->occurrence_text);
	ledger_bind_text_or_null(st, i++, ev->reasons);
	sqlite3_bind_int(st, i++, event_kind_is_payment(ev->kind));
	ledger_bind_date(st, i++, ev->due_date);
	ledger_bind_date(st, i++, ev->occurrence_date);
	ledger_bind_date(st, i++, ev->credit_date);
	sqlite3_bind_int64(st, i++, ev->face_cents);
	sqlite3_bind_int64(st, i++, ev->paid_cents);
	sqlite3_bind_int64(st, i++, ev->net_cents);
	sqlite3_bind_int64(st, i++, ev->tariff_cents);
	sqlite3_bind_int64(st, i++, ev->charges_cents);
	sqlite3_bind_int64(st, i++, ev->discount_cents);
	sqlite3_bind_int64(st, i++, ev->rebate_cents);
	sqlite3_bind_int64(st, i++, ev->iof_cents);
	sqlite3_bind_int64(st, i++, ev->other_expenses_cents);
	sqlite3_bind_int64(st, i++, ev->other_credits_cents);
	ledger_bind_text_or_null(st, i++, ev->payer_document);
	ledger_bind_text_or_null(st, i++, ev->payer_name);
	ledger_bind_text_or_null(st, i++, ev->end_to_end_id);
	ledger_bind_text_or_null(st, i++, ev->txid);
	ledger_bind_text_or_null(st, i++, ev->refund_id);
	ledger_bind_text_or_null(st, i++, ev->statement_ref);
	ledger_bind_text_or_null(st, i++, ev->free_text);
	sqlite3_bind_int(st, i++, ev->weak_identity != 0);
	sqlite3_bind_int(st, i++, ev->payer_document_partial != 0);
	if (sqlite3_step(st) != SQLITE_DONE)
		return ledger_sql_error(lg, d, "recording a bank event");
	*inserted = sqlite3_changes(lg->db) == 1;
	if (!*inserted) {
		/* Same hash: make sure it is the same identity, not a collision. */
		sqlite3_stmt *q;
		int same = 0;
		int64_t known_cents = 0, known_import = 0;
		if (sqlite3_prepare_v2(lg->db, "SELECT identity, paid_cents, import_id FROM event WHERE identity_hash = ?",
				       -1, &q, NULL) != SQLITE_OK)
			return ledger_sql_error(lg, d, "checking an event identity");
		sqlite3_bind_int64(q, 1, hash);
		if (sqlite3_step(q) == SQLITE_ROW) {
			const unsigned char *t = sqlite3_column_text(q, 0);
			same = t && strcmp((const char *)t, identity) == 0;
			known_cents = sqlite3_column_int64(q, 1);
			known_import = sqlite3_column_int64(q, 2);
		}
		sqlite3_finalize(q);
		if (!same)
			return diag_set(d, DIAG_ERROR, lg->path, ev->line, 0, NULL,
					"event identity hash collision (%s); refusing rather than skipping it", identity);
		/* A bank id (endToEndId, rtrId) names one movement of money: seen
		 * again with another amount it is a conflict, never an update
		 * (reference/pix.md §8). Only the amount is compared: dates and
		 * references legitimately differ between an API Pix notification
		 * and a statement line of the same Pix. */
		if (ev->identity[0] && !ev->weak_identity && known_cents != ev->paid_cents) {
			char was[32], now[32];
			money_format(known_cents, was, sizeof was);
			money_format(ev->paid_cents, now, sizeof now);
			return diag_set(d, DIAG_ERROR, "", 0, 0, NULL,
					"line %ld: %s was recorded with amount %s by import #%lld, this file says %s: a "
					"repeated id with a different amount is a conflict, not an update",
					ev->line, identity, was, (long long)known_import, now);
		}
	}
	return 0;
}

int ledger_import_finish(struct ledger *lg, int64_t import_id, const struct ledger_import_header *h,
			 long events, long duplicates, struct diag *d)
{
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

int ledger_import_keep_bytes(struct ledger *lg, int64_t import_id, const char *sha256,
			     const struct file_bytes *fb, struct diag *d)
{
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
