/* The drop-folder hook's bookkeeping: which file of which inbox is being
 * filed where (so that a run killed between the import's commit and the
 * move finishes that exact move), and the notices a human must receive. */
#include "config.h"
#include <stdlib.h>
#include <string.h>

#include "ledger/ledger_internal.h"

static char *column_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return t ? strdup((const char *)t) : NULL;
}

int ledger_set_durable(struct ledger *lg, struct diag *d)
{
	/* WAL with synchronous=NORMAL survives a killed process but may lose
	 * the last commits to a power cut; the hook moves files once their
	 * import is committed, so that commit must be on disk first. */
	if (sqlite3_exec(lg->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "making commits durable");
	return 0;
}

int ledger_intake_add(struct ledger *lg, const struct ledger_intake *rec, int64_t *id, struct diag *d)
{
	char now[32];
	sqlite3_stmt *st;
	ledger_now(now, sizeof now);
	if (sqlite3_prepare_v2(lg->db,
	                       "INSERT INTO intake(inbox, name, sha256, size, status, destination, import_id,"
	                       " diagnostics, recorded_at) VALUES (?,?,?,?,?,?,?,?,?)",
	                       -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "recording a file of the drop folder");
	sqlite3_bind_text(st, 1, rec->inbox, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, rec->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, rec->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, rec->size);
	sqlite3_bind_text(st, 5, rec->status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, rec->destination, -1, SQLITE_STATIC);
	if (rec->import_id)
		sqlite3_bind_int64(st, 7, rec->import_id);
	else
		sqlite3_bind_null(st, 7);
	ledger_bind_text_or_null(st, 8, rec->diagnostics);
	sqlite3_bind_text(st, 9, now, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "recording a file of the drop folder");
	*id = sqlite3_last_insert_rowid(lg->db);
	return 0;
}

int ledger_intake_filed(struct ledger *lg, int64_t id, const char *note, struct diag *d)
{
	char now[32], detail[300];
	sqlite3_stmt *st;
	char *subject = NULL;
	ledger_now(now, sizeof now);
	if (ledger_begin(lg, d))
		return -1;
	if (sqlite3_prepare_v2(lg->db,
	                       "UPDATE intake SET filed_at = ?, note = ? WHERE id = ? AND filed_at IS NULL"
	                       " RETURNING destination, status, sha256",
	                       -1, &st, NULL) != SQLITE_OK)
		goto sql_error;
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	ledger_bind_text_or_null(st, 2, note);
	sqlite3_bind_int64(st, 3, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		subject = column_dup(st, 0);
		snprintf(detail, sizeof detail, "%s; sha256 %s%s%s", (const char *)sqlite3_column_text(st, 1),
		         (const char *)sqlite3_column_text(st, 2), note ? "; " : "", note ? note : "");
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		goto sql_error;
	if (subject && ledger_journal(lg, "inbox.filed", subject, detail, d)) {
		free(subject);
		ledger_rollback(lg);
		return -1;
	}
	free(subject);
	return ledger_commit(lg, d);
sql_error:
	ledger_sql_error(lg, d, "marking a file as filed");
	ledger_rollback(lg);
	return -1;
}

int ledger_intake_unfiled(struct ledger *lg, const char *inbox, struct ledger_intake **rows, size_t *n,
                          struct diag *d)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	*rows = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(
	        lg->db,
	        "SELECT id, inbox, name, sha256, size, status, destination, import_id, diagnostics"
	        " FROM intake WHERE inbox = ? AND filed_at IS NULL ORDER BY id",
	        -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "reading the drop folder's pending moves");
	sqlite3_bind_text(st, 1, inbox, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			struct ledger_intake *more = realloc(*rows, cap * sizeof **rows);
			if (!more) {
				sqlite3_finalize(st);
				ledger_intake_free(*rows, *n);
				*rows = NULL;
				*n = 0;
				return diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL, "out of memory");
			}
			*rows = more;
		}
		struct ledger_intake *r = &(*rows)[(*n)++];
		memset(r, 0, sizeof *r);
		r->id = sqlite3_column_int64(st, 0);
		r->inbox = column_dup(st, 1);
		r->name = column_dup(st, 2);
		ledger_column_copy(st, 3, r->sha256, sizeof r->sha256);
		r->size = sqlite3_column_int64(st, 4);
		ledger_column_copy(st, 5, r->status, sizeof r->status);
		r->destination = column_dup(st, 6);
		r->import_id = sqlite3_column_int64(st, 7);
		r->diagnostics = column_dup(st, 8);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		ledger_intake_free(*rows, *n);
		*rows = NULL;
		*n = 0;
		return ledger_sql_error(lg, d, "reading the drop folder's pending moves");
	}
	return 0;
}

void ledger_intake_free(struct ledger_intake *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].inbox);
		free(rows[i].name);
		free(rows[i].destination);
		free(rows[i].diagnostics);
	}
	free(rows);
}

int ledger_notice_add(struct ledger *lg, const char *inbox, const char *status, const char *file,
                      const char *detail, struct diag *d)
{
	char now[32];
	sqlite3_stmt *st;
	ledger_now(now, sizeof now);
	if (sqlite3_prepare_v2(
	        lg->db,
	        "INSERT INTO intake_notice(inbox, status, file, detail, created_at) VALUES (?,?,?,?,?)", -1,
	        &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "recording a notice");
	sqlite3_bind_text(st, 1, inbox, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	ledger_bind_text_or_null(st, 3, file);
	ledger_bind_text_or_null(st, 4, detail);
	sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "recording a notice");
	return 0;
}

int ledger_notice_pending(struct ledger *lg, const char *inbox, struct ledger_notice **rows, size_t *n,
                          struct diag *d)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	*rows = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(lg->db,
	                       "SELECT id, status, file, detail, created_at FROM intake_notice"
	                       " WHERE inbox = ? AND notified_at IS NULL ORDER BY id",
	                       -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "reading pending notices");
	sqlite3_bind_text(st, 1, inbox, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			struct ledger_notice *more = realloc(*rows, cap * sizeof **rows);
			if (!more) {
				sqlite3_finalize(st);
				ledger_notice_free(*rows, *n);
				*rows = NULL;
				*n = 0;
				return diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL, "out of memory");
			}
			*rows = more;
		}
		struct ledger_notice *r = &(*rows)[(*n)++];
		memset(r, 0, sizeof *r);
		r->id = sqlite3_column_int64(st, 0);
		ledger_column_copy(st, 1, r->status, sizeof r->status);
		r->file = column_dup(st, 2);
		r->detail = column_dup(st, 3);
		ledger_column_copy(st, 4, r->created_at, sizeof r->created_at);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		ledger_notice_free(*rows, *n);
		*rows = NULL;
		*n = 0;
		return ledger_sql_error(lg, d, "reading pending notices");
	}
	return 0;
}

int ledger_notice_done(struct ledger *lg, int64_t id, struct diag *d)
{
	char now[32];
	sqlite3_stmt *st;
	ledger_now(now, sizeof now);
	if (sqlite3_prepare_v2(lg->db, "UPDATE intake_notice SET notified_at = ? WHERE id = ?", -1, &st,
	                       NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "marking a notice as sent");
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "marking a notice as sent");
	return 0;
}

void ledger_notice_free(struct ledger_notice *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].file);
		free(rows[i].detail);
	}
	free(rows);
}

int ledger_has_unreconciled(struct ledger *lg, bool *yes, struct diag *d)
{
	sqlite3_stmt *st;
	*yes = false;
	if (sqlite3_prepare_v2(lg->db,
	                       "SELECT EXISTS (SELECT 1 FROM event e WHERE e.id > " LEDGER_RECONCILED_MARK
	                       " AND e.kind IN " LEDGER_RECONCILED_KINDS
	                       " AND NOT EXISTS (SELECT 1 FROM outcome o WHERE o.event_id = e.id))",
	                       -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "looking for events to reconcile");
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*yes = sqlite3_column_int(st, 0) != 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return ledger_sql_error(lg, d, "looking for events to reconcile");
	return 0;
}

int ledger_intake_reserved(struct ledger *lg, const char *destination, bool *yes, struct diag *d)
{
	sqlite3_stmt *st;
	*yes = false;
	if (sqlite3_prepare_v2(
	        lg->db, "SELECT EXISTS (SELECT 1 FROM intake WHERE destination = ? AND filed_at IS NULL)", -1,
	        &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "checking a destination");
	sqlite3_bind_text(st, 1, destination, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*yes = sqlite3_column_int(st, 0) != 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return ledger_sql_error(lg, d, "checking a destination");
	return 0;
}
