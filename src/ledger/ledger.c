/* Opening the ledger, migrations, transactions and the hash-chained journal. */
#include "config.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/date.h"
#include "core/sha256.h"
#include "ledger/ledger_internal.h"

int ledger_sql_error(struct ledger *lg, struct diag *d, const char *what)
{
	return diag_set(d, DIAG_ERROR, lg ? lg->path : NULL, 0, 0, NULL, "%s: %s", what,
			lg && lg->db ? sqlite3_errmsg(lg->db) : "no database");
}

int ledger_prepare(struct ledger *lg, sqlite3_stmt **st, const char *sql, struct diag *d)
{
	ledger_writer_claim(lg);
	if (!*st) {
		if (sqlite3_prepare_v3(lg->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
			return ledger_sql_error(lg, d, "preparing a statement");
	} else {
		sqlite3_reset(*st);
		sqlite3_clear_bindings(*st);
	}
	return 0;
}

void ledger_bind_text_or_null(sqlite3_stmt *st, int idx, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, idx);
}

void ledger_bind_id(sqlite3_stmt *st, int idx, int64_t id)
{
	if (id)
		sqlite3_bind_int64(st, idx, id);
	else
		sqlite3_bind_null(st, idx);
}

int ledger_max_id(struct ledger *lg, const char *table, const char *what, int64_t *max, struct diag *d)
{
	char sql[80];
	sqlite3_stmt *st;
	ledger_writer_claim(lg);
	snprintf(sql, sizeof sql, "SELECT COALESCE(MAX(id), 0) FROM %s", table);
	if (sqlite3_prepare_v2(lg->db, sql, -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, what);
	int rc = sqlite3_step(st);
	*max = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return ledger_sql_error(lg, d, what);
	return 0;
}

void ledger_bind_date(sqlite3_stmt *st, int idx, cdate d)
{
	char buf[16];
	if (d == CDATE_NONE) {
		sqlite3_bind_null(st, idx);
		return;
	}
	date_format_iso(d, buf, sizeof buf);
	sqlite3_bind_text(st, idx, buf, -1, SQLITE_TRANSIENT);
}

cdate ledger_column_date(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	cdate d;
	if (!s || date_parse_iso((const char *)s, strlen((const char *)s), &d) != 0)
		return CDATE_NONE;
	return d;
}

/* memcpy, not snprintf: a large reconciliation copies some forty million
 * columns, and the formatting machinery was a tenth of its time. Copies at
 * most n - 1 bytes, as snprintf would, and always terminates. */
void ledger_column_copy(sqlite3_stmt *st, int col, char *buf, size_t n)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	size_t len = s ? (size_t)sqlite3_column_bytes(st, col) : 0;
	if (n == 0)
		return;
	if (len > n - 1)
		len = n - 1;
	if (len)
		memcpy(buf, s, len);
	buf[len] = '\0';
}

void ledger_now(char *buf, size_t n)
{
	const char *fixed = getenv("CONCILIA_NOW");
	if (fixed && *fixed) {
		snprintf(buf, n, "%s", fixed);
		return;
	}
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int exec(struct ledger *lg, const char *sql, struct diag *d)
{
	char *msg = NULL;
	if (sqlite3_exec(lg->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL, "%s", msg ? msg : "SQL error");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* Replaces SQLite's automatic checkpoint (run inside COMMIT, by the
 * committing thread): remembers the WAL size for ledger_commit. */
static int on_wal_commit(void *ctx, sqlite3 *db, const char *name, int frames)
{
	(void)db;
	(void)name;
	((struct ledger *)ctx)->wal_frames = frames;
	return SQLITE_OK;
}

/* Whether CNAB events keyed by the plain identity hash (before schema 11)
 * are in the ledger (see migration 11). */
static int read_legacy_keys(struct ledger *lg, struct diag *d)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(lg->db, "SELECT MAX(last_event_id) FROM event_legacy_keys", -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "reading the identity key scheme");
	if (sqlite3_step(st) == SQLITE_ROW)
		lg->legacy_keys = sqlite3_column_int64(st, 0) > 0;
	sqlite3_finalize(st);
	return 0;
}

static int migrate(struct ledger *lg, struct diag *d)
{
	sqlite3_stmt *st;
	int version = 0;
	if (sqlite3_prepare_v2(lg->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "reading the schema version");
	if (sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version > ledger_migration_count)
		return diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL,
				"ledger schema version %d is newer than this concilia understands (%d); "
				"upgrade concilia",
				version, ledger_migration_count);
	for (int v = version; v < ledger_migration_count; v++) {
		char pragma[64];
		if (exec(lg, "BEGIN IMMEDIATE", d) != 0)
			return -1;
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
		if (exec(lg, ledger_migrations[v], d) != 0 || exec(lg, pragma, d) != 0) {
			sqlite3_exec(lg->db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
		if (exec(lg, "COMMIT", d) != 0)
			return -1;
	}
	return 0;
}

int ledger_open(const char *path, bool create, struct ledger **out, bool *created, struct diag *d)
{
	struct stat sb;
	bool exists = stat(path, &sb) == 0;
	*out = NULL;
	if (created)
		*created = false;
	if (!exists && !create)
		return diag_set(d, DIAG_ERROR, path, 0, 0, NULL,
				"no ledger here; create it with 'concilia --db %s init'", path);
	struct ledger *lg = calloc(1, sizeof *lg);
	if (!lg)
		return diag_set(d, DIAG_ERROR, path, 0, 0, NULL, "out of memory");
	snprintf(lg->path, sizeof lg->path, "%s", path);
	const char *actor = getenv("CONCILIA_ACTOR");
	if (!actor || !*actor)
		actor = getenv("USER");
	ledger_set_actor(lg, actor && *actor ? actor : "unknown");

	/* SQLite's memory statistics take a global mutex on every allocation
	 * (a few per inserted row); concilia never reads them. Only possible
	 * before SQLite's first use in the process: later calls fail, harmlessly. */
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	/* One connection, one thread: no per-call mutex. */
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &lg->db, flags, NULL) != SQLITE_OK) {
		ledger_sql_error(lg, d, "cannot open the ledger");
		ledger_close(lg);
		return -1;
	}
	sqlite3_busy_timeout(lg->db, 5000);
	/* A new ledger gets 16 KB pages (SQLite's default is 4 KB): a quarter
	 * of the B-tree pages, WAL frames and write calls for a large import,
	 * 15 % faster on the 1 M-title benchmark (bench/RESULTS.md). Only takes
	 * effect before the first table exists; older ledgers keep theirs. */
	if (!exists && exec(lg, "PRAGMA page_size=16384;", d) != 0) {
		ledger_close(lg);
		return -1;
	}
	/* WAL: readers (reports) never block the import.
	 * synchronous=FULL: the WAL is flushed to disk at every commit, so a
	 * file that concilia reports as imported survives a power cut (with
	 * NORMAL the last commits could be lost, though never half-applied).
	 * For a large import it costs nothing measurable: the checkpoint that
	 * follows the commit has to flush the same pages anyway. */
	/* cache_size: a 64 MB page cache keeps a large import's index pages in
	 * memory instead of spilling them to the WAL and reading them back.
	 * temp_store=MEMORY: a statement that fires a trigger (the receivable
	 * history of migration 6) keeps a statement journal: in a temporary
	 * file it made a receivables import 4.5 times slower than without the
	 * history, in memory 1.5 times. */
	if (exec(lg,
		 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
		 " PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;",
		 d) !=
		    0 ||
	    migrate(lg, d) != 0) {
		ledger_close(lg);
		return -1;
	}
	sqlite3_wal_hook(lg->db, on_wal_commit, lg);
	if (read_legacy_keys(lg, d) != 0) {
		ledger_close(lg);
		return -1;
	}
	if (created)
		*created = !exists;
	*out = lg;
	return 0;
}

/* Multi-row INSERT statements, one per row count, prepared when first
 * needed: a large import or run writes its rows LEDGER_ROWS_PER_INSERT at
 * a time, one statement execution instead of one per row. */
sqlite3_stmt **ledger_many_insert(struct ledger *lg, sqlite3_stmt **cache, const char *head, const char *row, int n,
				   struct diag *d)
{
	sqlite3_stmt **st = &cache[n];
	if (*st) {
		ledger_writer_claim(lg);
		sqlite3_reset(*st);
		return st;
	}
	size_t hl = strlen(head), rl = strlen(row);
	char *sql = malloc(hl + (size_t)n * (rl + 1) + 1);
	if (!sql) {
		diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL, "out of memory");
		return NULL;
	}
	char *p = sql;
	memcpy(p, head, hl);
	p += hl;
	for (int i = 0; i < n; i++) {
		if (i)
			*p++ = ',';
		memcpy(p, row, rl);
		p += rl;
	}
	*p = '\0';
	int rc = ledger_prepare(lg, st, sql, d);
	free(sql);
	return rc ? NULL : st;
}

void ledger_close(struct ledger *lg)
{
	if (!lg)
		return;
	ledger_writer_stop(lg);
	ledger_store_cancel(lg);
	/* Every cached statement, whoever prepared it: a new one can't leak. */
	sqlite3_stmt *st;
	while ((st = sqlite3_next_stmt(lg->db, NULL)) != NULL)
		sqlite3_finalize(st);
	sqlite3_close(lg->db);
	ledger_run_rows_end(lg);
	ledger_ordinals_free(lg);
	free(lg);
}

void ledger_set_actor(struct ledger *lg, const char *actor)
{
	snprintf(lg->actor, sizeof lg->actor, "%s", actor);
}

const char *ledger_actor(const struct ledger *lg)
{
	return lg->actor;
}

/* Foreign keys back on after a bulk transaction (ledger_begin_bulk). */
static void restore_references(struct ledger *lg)
{
	if (!lg->references_unchecked)
		return;
	sqlite3_exec(lg->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	lg->references_unchecked = false;
}

int ledger_begin(struct ledger *lg, struct diag *d)
{
	/* IMMEDIATE: take the write lock now, so that a second concilia waits
	 * (busy timeout) instead of failing half-way through a file. */
	ledger_writer_discard(lg);
	return exec(lg, "BEGIN IMMEDIATE", d);
}

int ledger_begin_bulk(struct ledger *lg, struct diag *d)
{
	/* Only possible outside a transaction: SQLite ignores the pragma
	 * inside one. */
	ledger_writer_discard(lg);
	if (exec(lg, "PRAGMA foreign_keys=OFF", d) != 0)
		return -1;
	lg->references_unchecked = true;
	if (ledger_begin(lg, d) == 0)
		return 0;
	restore_references(lg);
	return -1;
}

int ledger_commit(struct ledger *lg, struct diag *d)
{
	/* Queued events are part of the transaction: all written, or none. */
	if (ledger_writer_pending(lg, d))
		return -1;
	if (exec(lg, "COMMIT", d) != 0)
		return -1;
	restore_references(lg);
	/* The commit is durable (synchronous=FULL); copying the WAL into the
	 * database can happen while the caller does something else. */
	if (lg->wal_frames >= LEDGER_CHECKPOINT_FRAMES) {
		lg->wal_frames = 0;
		struct diag ignored;
		ledger_writer_checkpoint(lg, &ignored); /* no thread: the next commit or close will */
	}
	return 0;
}

void ledger_rollback(struct ledger *lg)
{
	ledger_writer_discard(lg);
	ledger_store_cancel(lg);
	ledger_run_rows_end(lg);
	lg->run_at[0] = '\0';
	lg->run_background = false;
	if (!sqlite3_get_autocommit(lg->db))
		sqlite3_exec(lg->db, "ROLLBACK", NULL, NULL, NULL);
	restore_references(lg);
}

int ledger_journal(struct ledger *lg, const char *action, const char *subject, const char *detail,
		   struct diag *d)
{
	char prev[SHA256_HEX_LEN + 1] = "0000000000000000000000000000000000000000000000000000000000000000";
	char at[32];
	ledger_writer_sync(lg);
	if (ledger_prepare(lg, &lg->st_journal_last, "SELECT hash FROM journal ORDER BY id DESC LIMIT 1", d))
		return -1;
	if (sqlite3_step(lg->st_journal_last) == SQLITE_ROW)
		ledger_column_copy(lg->st_journal_last, 0, prev, sizeof prev);
	sqlite3_reset(lg->st_journal_last);
	ledger_now(at, sizeof at);

	/* hash = SHA-256(prev_hash \n at \n actor \n action \n subject \n detail):
	 * editing or deleting any earlier row breaks every later hash. */
	size_t need = strlen(prev) + strlen(at) + strlen(lg->actor) + strlen(action) +
		      strlen(subject ? subject : "") + strlen(detail ? detail : "") + 8;
	char *buf = malloc(need);
	char hash[SHA256_HEX_LEN + 1];
	if (!buf)
		return diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL, "out of memory");
	int n = snprintf(buf, need, "%s\n%s\n%s\n%s\n%s\n%s", prev, at, lg->actor, action,
			 subject ? subject : "", detail ? detail : "");
	int rc = sha256_hex(buf, (size_t)n, hash);
	free(buf);
	if (rc != 0)
		return diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL, "SHA-256 failed");

	if (ledger_prepare(lg, &lg->st_journal_insert,
			   "INSERT INTO journal(at, actor, action, subject, detail, prev_hash, hash)"
			   " VALUES (?,?,?,?,?,?,?)",
			   d))
		return -1;
	sqlite3_stmt *st = lg->st_journal_insert;
	sqlite3_bind_text(st, 1, at, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, lg->actor, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
	ledger_bind_text_or_null(st, 4, subject);
	ledger_bind_text_or_null(st, 5, detail);
	sqlite3_bind_text(st, 6, prev, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 7, hash, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE)
		return ledger_sql_error(lg, d, "writing the journal");
	return 0;
}
