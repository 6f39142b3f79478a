/* Read-only connections beside the ledger's own: another thread can read
 * the last committed state (the receivables a large run loads, half each)
 * while the main connection is busy, and a background run reads its
 * events while the writer thread writes through the main one. Only in WAL
 * mode, where a reader never blocks the writer nor sees its uncommitted
 * rows; elsewhere there is no reader and callers read the usual way. */
#include "config.h"
#include <stdlib.h>
#include <string.h>

#include "ledger/ledger_internal.h"

bool ledger_is_wal(struct ledger *lg)
{
	sqlite3_stmt *st;
	bool wal = false;
	ledger_writer_claim(lg);
	if (sqlite3_prepare_v2(lg->db, "PRAGMA journal_mode", -1, &st, NULL) != SQLITE_OK)
		return false;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *m = sqlite3_column_text(st, 0);
		wal = m && strcmp((const char *)m, "wal") == 0;
	}
	sqlite3_finalize(st);
	return wal;
}

int ledger_reader_open(struct ledger *lg, struct ledger_reader **out, struct diag *d)
{
	*out = NULL;
	if (!ledger_is_wal(lg))
		return 0;
	struct ledger_reader *r = calloc(1, sizeof *r);
	if (!r)
		return diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL, "out of memory");
	memcpy(r->path, lg->path, sizeof r->path);
	if (sqlite3_open_v2(lg->path, &r->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		sqlite3_close(r->db);
		free(r);
		return 0; /* only slower: the caller reads through the ledger */
	}
	sqlite3_busy_timeout(r->db, 5000);
	/* The read transaction starts at the first statement and keeps that
	 * snapshot until the reader is closed. */
	if (sqlite3_exec(r->db, "PRAGMA cache_size=-16384; BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_close(r->db);
		free(r);
		return 0;
	}
	*out = r;
	return 0;
}

int ledger_reader_error(struct ledger_reader *r, struct diag *d, const char *what)
{
	return diag_set(d, DIAG_ERROR, r->path, 0, 0, NULL, "%s: %s", what, sqlite3_errmsg(r->db));
}

void ledger_reader_close(struct ledger_reader *r)
{
	if (!r)
		return;
	sqlite3_stmt *st;
	while ((st = sqlite3_next_stmt(r->db, NULL)) != NULL)
		sqlite3_finalize(st);
	sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(r->db);
	free(r);
}
