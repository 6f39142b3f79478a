/* The audit: the journal's hash chain, a digest of every reconciliation
 * run's rows (written into the run's journal entry), the stored files'
 * SHA-256 and the append-only triggers. Editing the ledger with the
 * sqlite3 shell breaks at least one of them. */
#include "config.h"
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fileio.h"
#include "core/sha256.h"
#include "ledger/ledger_internal.h"

/* The canonical text of a run's rows: each section's columns and tables,
 * selected for one run (ledger_run_digest) or, with the run first, for
 * every run in one pass (verify_runs). */
#define DIGEST_OUTCOMES                                                                             \
	"'o', o.id, o.event_id, o.receivable_id, o.category, o.rule, o.paid_cents, o.expected_cents,"  \
	" o.allocated_cents, o.excess_cents, o.settles, o.needs_human, o.detail FROM outcome o"
#define DIGEST_CANDIDATES                                                                           \
	"'c', k.id, k.outcome_id, k.receivable_id, k.rule, k.cents FROM outcome_candidate k"         \
	" JOIN outcome o ON o.id = k.outcome_id"
#define DIGEST_ALLOCATIONS                                                                          \
	"'a', a.id, a.event_id, a.receivable_id, a.cents, a.rule, a.settles, a.reverses, a.reason,"  \
	" a.actor, a.created_at, a.rule_set FROM allocation a"
#define DIGEST_STATES                                                                               \
	"'s', s.id, s.receivable_id, s.state, s.event_id FROM receivable_state s"                     \
	" JOIN outcome o ON o.event_id = s.event_id"

/* Columns first.. of the current row as one canonical text line. */
static void hash_row(struct sha256_ctx *c, sqlite3_stmt *st, int first)
{
	int n = sqlite3_column_count(st);
	for (int i = first; i < n; i++) {
		const unsigned char *t = sqlite3_column_text(st, i);
		int len = sqlite3_column_bytes(st, i);
		if (t)
			sha256_update(c, t, (size_t)len);
		sha256_update(c, i + 1 < n ? "|" : "\n", 1);
	}
}

/* Each row as one canonical text line, in id order. */
static int digest_query(struct ledger *lg, struct sha256_ctx *c, const char *sql, int64_t run_id, struct diag *d)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(lg->db, sql, -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "digesting a run");
	sqlite3_bind_int64(st, 1, run_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		hash_row(c, st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "digesting a run");
	return 0;
}

/* The four sections' queries for one run, in canonical order. */
static const char *const run_section_sql[RUN_SECTIONS] = {
	[RUN_SECTION_OUTCOME] = "SELECT " DIGEST_OUTCOMES " WHERE o.run_id = ? ORDER BY o.id",
	[RUN_SECTION_CANDIDATE] = "SELECT " DIGEST_CANDIDATES " WHERE o.run_id = ? ORDER BY k.id",
	[RUN_SECTION_ALLOCATION] = "SELECT " DIGEST_ALLOCATIONS " WHERE a.run_id = ? ORDER BY a.id",
	[RUN_SECTION_STATE] = "SELECT " DIGEST_STATES " WHERE o.run_id = ? ORDER BY s.id",
};

int ledger_run_digest_join(struct sha256_ctx *sec[RUN_SECTIONS], char *hex)
{
	static const char tag[RUN_SECTIONS] = {'o', 'c', 'a', 's'};
	char text[RUN_SECTIONS * (SHA256_HEX_LEN + 3) + 1];
	size_t len = 0;
	int bad = 0;
	for (int k = 0; k < RUN_SECTIONS; k++) {
		char h[SHA256_HEX_LEN + 1];
		bad |= sha256_end(sec[k], h) != 0;
		sec[k] = NULL;
		len += (size_t)snprintf(text + len, sizeof text - len, "%c %s\n", tag[k], h);
	}
	return bad || sha256_hex(text, len, hex) != 0 ? -1 : 0;
}

int ledger_run_digest(struct ledger *lg, int64_t run_id, char *hex, struct diag *d)
{
	struct sha256_ctx *sec[RUN_SECTIONS] = {NULL};
	int rc = 0;
	for (int k = 0; k < RUN_SECTIONS && !rc; k++)
		if (!(sec[k] = sha256_begin()))
			rc = diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL, "out of memory");
	for (int k = 0; k < RUN_SECTIONS && !rc; k++)
		rc = digest_query(lg, sec[k], run_section_sql[k], run_id, d);
	if (rc) {
		for (int k = 0; k < RUN_SECTIONS; k++)
			if (sec[k])
				sha256_end(sec[k], NULL);
		return rc;
	}
	if (ledger_run_digest_join(sec, hex) != 0)
		return diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL, "SHA-256 failed");
	return 0;
}

/* The canonical digest of one allocation row (those written outside a
 * run are journaled one by one with it). */
int ledger_allocation_digest(struct ledger *lg, int64_t id, char *hex, struct diag *d)
{
	struct sha256_ctx *c = sha256_begin();
	if (!c)
		return diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL, "out of memory");
	int rc = digest_query(lg, c,
			      "SELECT 'a', id, event_id, receivable_id, cents, rule, settles, reverses, reason, actor,"
			      " created_at FROM allocation WHERE id = ?",
			      id, d);
	char tmp[SHA256_HEX_LEN + 1];
	if (sha256_end(c, rc ? tmp : hex) != 0 && !rc)
		return diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL, "SHA-256 failed");
	return rc;
}

struct problems {
	struct ledger_verify_report *r;
	void (*fn)(void *ctx, const char *msg);
	void *ctx;
};

static void problem(struct problems *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(struct problems *p, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	p->r->problems++;
	if (p->fn)
		p->fn(p->ctx, msg);
}

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

/* What the journal says of each run, manual allocation and exception
 * resolution, gathered during the one pass over the journal: looking each
 * up with a query would read the whole journal once per run or row (no
 * index serves action + subject), and a ledger that runs every day has
 * thousands of runs and millions of journal rows. */
struct note {
	int64_t key;  /* the run, allocation or outcome id of the subject */
	int64_t jid;  /* the journal row, for "first" and "last" */
	bool detail;  /* the entry's detail is not empty */
	bool mark;    /* ... and names a digest, in hex */
	bool by_section; /* a run's digest, by section (RUN_DIGEST_MARK) */
	char hex[SHA256_HEX_LEN + 1];
};

struct notes {
	struct note *v;
	size_t n, cap;
};

struct journal_notes {
	struct notes runs, allocations, resolutions;
};

static void notes_free(struct journal_notes *jn)
{
	free(jn->runs.v);
	free(jn->allocations.v);
	free(jn->resolutions.v);
}

/* The id in a subject "<prefix><id>", exactly as SQL's prefix || id writes
 * it; 0 when the subject is not of that form. */
static int64_t subject_id(const char *subject, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strncmp(subject, prefix, n) != 0)
		return 0;
	char *end;
	long long id = strtoll(subject + n, &end, 10);
	char again[40];
	snprintf(again, sizeof again, "%s%lld", prefix, id);
	return *end == '\0' && strcmp(again, subject) == 0 ? (int64_t)id : 0;
}

static int note_add(struct notes *ns, int64_t key, int64_t jid, const char *detail, const char *marker)
{
	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? ns->cap * 2 : 64;
		struct note *v = realloc(ns->v, cap * sizeof *v);
		if (!v)
			return -1;
		ns->v = v;
		ns->cap = cap;
	}
	struct note *t = &ns->v[ns->n++];
	memset(t, 0, sizeof *t);
	t->key = key;
	t->jid = jid;
	t->detail = detail[0] != '\0';
	const char *m = marker ? strstr(detail, marker) : NULL;
	if (m) {
		t->mark = true;
		snprintf(t->hex, sizeof t->hex, "%s", m + strlen(marker));
	}
	return 0;
}

static int by_key_then_row(const void *a, const void *b)
{
	const struct note *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->jid > y->jid) - (x->jid < y->jid);
}

/* The entries of key: *first and the count (0: none). */
static size_t notes_find(const struct notes *ns, int64_t key, const struct note **first)
{
	size_t lo = 0, hi = ns->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ns->v[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t n = 0;
	while (lo + n < ns->n && ns->v[lo + n].key == key)
		n++;
	*first = n ? &ns->v[lo] : NULL;
	return n;
}

/* Remembers what the verification needs of one journal row. */
static int take_note(struct journal_notes *jn, int64_t jid, const char *action, const char *subject,
		     const char *detail)
{
	int64_t key;
	if (strcmp(action, "reconcile.run") == 0 && (key = subject_id(subject, "run ")) != 0) {
		bool by_section = strstr(detail, RUN_DIGEST_MARK) != NULL;
		if (note_add(&jn->runs, key, jid, detail, by_section ? RUN_DIGEST_MARK : RUN_DIGEST_WHOLE_MARK))
			return -1;
		jn->runs.v[jn->runs.n - 1].by_section = by_section;
		return 0;
	}
	if (strcmp(action, "allocation.add") == 0 && (key = subject_id(subject, "allocation ")) != 0)
		return note_add(&jn->allocations, key, jid, detail, "sha256 ");
	if (strcmp(action, "exception.resolve") == 0 && (key = subject_id(subject, "outcome ")) != 0)
		return note_add(&jn->resolutions, key, jid, detail, NULL);
	return 0;
}

static int verify_chain(struct ledger *lg, struct problems *p, struct journal_notes *jn, struct diag *d)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(lg->db, "SELECT id, at, actor, action, subject, detail, prev_hash, hash FROM journal"
				       " ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "reading the journal");
	char prev[SHA256_HEX_LEN + 1] = "0000000000000000000000000000000000000000000000000000000000000000";
	int64_t last_id = 0;
	int rc;
	char *buf = NULL;
	size_t cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		p->r->journal_rows++;
		if (id != last_id + 1)
			problem(p, "journal: rows %" PRId64 " to %" PRId64 " are missing", last_id + 1, id - 1);
		last_id = id;
		if (strcmp(col(st, 6), prev) != 0)
			problem(p, "journal row %" PRId64 ": prev_hash does not match row %" PRId64 "'s hash", id, id - 1);
		size_t need = strlen(col(st, 6)) + strlen(col(st, 1)) + strlen(col(st, 2)) + strlen(col(st, 3)) +
			      strlen(col(st, 4)) + strlen(col(st, 5)) + 8;
		if (need > cap) {
			char *nb = realloc(buf, need);
			if (!nb) {
				free(buf);
				sqlite3_finalize(st);
				return diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL, "out of memory");
			}
			buf = nb;
			cap = need;
		}
		int n = snprintf(buf, cap, "%s\n%s\n%s\n%s\n%s\n%s", col(st, 6), col(st, 1), col(st, 2), col(st, 3),
				 col(st, 4), col(st, 5));
		char hash[SHA256_HEX_LEN + 1];
		if (sha256_hex(buf, (size_t)n, hash) != 0 || strcmp(hash, col(st, 7)) != 0)
			problem(p, "journal row %" PRId64 " (%s %s): its content does not hash to its stored hash", id,
				col(st, 3), col(st, 4));
		snprintf(prev, sizeof prev, "%s", col(st, 7));
		if (take_note(jn, id, col(st, 3), col(st, 4), col(st, 5)) != 0) {
			free(buf);
			sqlite3_finalize(st);
			return diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL, "out of memory");
		}
	}
	free(buf);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "reading the journal");
	return 0;
}

/* A run being checked: its id, its latest journal entry (which names the
 * digest) and its digest so far. */
struct run_check {
	int64_t id;
	const struct note *entry;
	/* By section: one context per section; whole: sha[0] takes them all. */
	struct sha256_ctx *sha[RUN_SECTIONS];
};

static struct run_check *run_of(struct run_check *runs, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (runs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && runs[lo].id == id ? &runs[lo] : NULL;
}

/* One section of every checked run's canonical text, in one pass: sql
 * selects the run first, then the columns ledger_run_digest hashes, in
 * the same id order. */
static int digest_pass(struct ledger *lg, struct run_check *runs, size_t n, int section, const char *sql,
		       struct diag *d)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(lg->db, sql, -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "digesting runs");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct run_check *r = run_of(runs, n, sqlite3_column_int64(st, 0));
		if (r && r->sha[0])
			hash_row(r->sha[r->entry->by_section ? section : 0], st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "digesting runs");
	return 0;
}

/* Every run's journal entry names its digest; recompute them all from the
 * rows, each table read once whatever the number of runs (the same
 * canonical text as ledger_run_digest, which reads one run). */
static int verify_runs(struct ledger *lg, struct problems *p, const struct journal_notes *jn, struct diag *d)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(lg->db, "SELECT id FROM run ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "reading runs");
	struct run_check *runs = NULL;
	size_t n = 0, cap = 0;
	int rc, failed = 0;
	while (!failed && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t run = sqlite3_column_int64(st, 0);
		const struct note *first;
		size_t k = notes_find(&jn->runs, run, &first);
		const struct note *last = k ? &first[k - 1] : NULL; /* the latest entry */
		p->r->runs_checked++;
		if (!last || !last->detail) {
			problem(p, "run %" PRId64 ": no journal entry", run);
			continue;
		}
		if (!last->mark)
			continue; /* a run from before schema 6 recorded no digest */
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 64;
			struct run_check *nr = realloc(runs, nc * sizeof *nr);
			if (!nr) {
				failed = 1;
				break;
			}
			runs = nr;
			cap = nc;
		}
		struct run_check *r = &runs[n++];
		memset(r, 0, sizeof *r);
		r->id = run;
		r->entry = last;
		for (int sec = 0; sec < (last->by_section ? RUN_SECTIONS : 1); sec++)
			if (!(r->sha[sec] = sha256_begin()))
				failed = 1;
	}
	sqlite3_finalize(st);
	if (failed)
		rc = diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL, "out of memory");
	else if (rc != SQLITE_DONE)
		rc = ledger_sql_error(lg, d, "reading runs");
	else
		rc = 0;
	static const char *const passes[RUN_SECTIONS] = {
		[RUN_SECTION_OUTCOME] = "SELECT o.run_id, " DIGEST_OUTCOMES " ORDER BY o.id",
		[RUN_SECTION_CANDIDATE] = "SELECT o.run_id, " DIGEST_CANDIDATES " ORDER BY k.id",
		[RUN_SECTION_ALLOCATION] =
		    "SELECT a.run_id, " DIGEST_ALLOCATIONS " WHERE a.run_id IS NOT NULL ORDER BY a.id",
		[RUN_SECTION_STATE] = "SELECT o.run_id, " DIGEST_STATES " ORDER BY s.id",
	};
	for (int k = 0; k < RUN_SECTIONS && !rc && n; k++)
		rc = digest_pass(lg, runs, n, k, passes[k], d);
	for (size_t i = 0; i < n; i++) {
		char hex[SHA256_HEX_LEN + 1];
		struct run_check *r = &runs[i];
		int bad = 0;
		if (r->entry->by_section && r->sha[RUN_SECTIONS - 1])
			bad = ledger_run_digest_join(r->sha, hex) != 0;
		else if (!r->entry->by_section && r->sha[0])
			bad = sha256_end(r->sha[0], hex) != 0;
		else {
			for (int k = 0; k < RUN_SECTIONS; k++) /* out of memory half-way */
				if (r->sha[k])
					sha256_end(r->sha[k], NULL);
			continue;
		}
		if (rc)
			continue; /* only freeing */
		if (bad || strncmp(runs[i].entry->hex, hex, SHA256_HEX_LEN) != 0)
			problem(p, "run %" PRId64 ": its outcomes, candidates or allocations were changed after it was "
				   "journaled",
				runs[i].id);
	}
	free(runs);
	return rc;
}

/* Each imported file's kept bytes still hash to the recorded SHA-256,
 * and its journal entry names that hash. */
static int verify_imports(struct ledger *lg, struct problems *p, struct diag *d)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(lg->db,
			       "SELECT i.id, i.sha256, i.stored, i.filename, (SELECT COUNT(*) FROM event e WHERE"
			       " e.import_id = i.id), i.events, i.status FROM import i ORDER BY i.id",
			       -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "reading imports");
	int rc;
	char dir[600];
	snprintf(dir, sizeof dir, "%s", lg->path);
	char *slash = strrchr(dir, '/');
	if (slash)
		slash[1] = '\0';
	else
		dir[0] = '\0';
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *sha = col(st, 1), *stored = col(st, 2);
		p->r->imports_checked++;
		if (sqlite3_column_int64(st, 4) != sqlite3_column_int64(st, 5))
			problem(p, "import #%" PRId64 " (%s): %lld events in the ledger, %lld recorded at import", id,
				col(st, 3), (long long)sqlite3_column_int64(st, 4), (long long)sqlite3_column_int64(st, 5));
		if (!stored[0])
			continue; /* bytes kept inside the row (schema < 4) */
		char path[1200], hex[SHA256_HEX_LEN + 1];
		struct file_bytes fb;
		struct diag ignored;
		snprintf(path, sizeof path, "%s%s", stored[0] == '/' ? "" : dir, stored);
		if (file_bytes_read(path, &fb, &ignored) != 0) {
			problem(p, "import #%" PRId64 " (%s): the kept copy %s cannot be read", id, col(st, 3), path);
			continue;
		}
		int bad = file_bytes_sha256(&fb, hex) != 0 || strcmp(hex, sha) != 0;
		file_bytes_release(&fb);
		if (bad)
			problem(p, "import #%" PRId64 " (%s): the kept copy no longer hashes to %s", id, col(st, 3), sha);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "reading imports");
	return 0;
}

/* Allocations made by people (apply, accept, undo) each have their own
 * journal entry naming the row's digest; resolutions each have one. */
static int verify_manual(struct ledger *lg, struct problems *p, const struct journal_notes *jn, struct diag *d)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(lg->db, "SELECT a.id FROM allocation a WHERE a.run_id IS NULL ORDER BY a.id", -1, &st,
			       NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "reading allocations");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const struct note *first;
		char hex[SHA256_HEX_LEN + 1];
		if (!notes_find(&jn->allocations, id, &first) || !first->detail) {
			/* Rows from before schema 6 were journaled by their run. */
			continue;
		}
		if (ledger_allocation_digest(lg, id, hex, d)) {
			sqlite3_finalize(st);
			return -1;
		}
		if (!first->mark || strncmp(first->hex, hex, SHA256_HEX_LEN) != 0)
			problem(p, "allocation %" PRId64 ": changed after it was journaled", id);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "reading allocations");
	if (sqlite3_prepare_v2(lg->db,
			       "SELECT r.outcome_id, COUNT(*) FROM exception_resolution r GROUP BY r.outcome_id"
			       " ORDER BY r.outcome_id",
			       -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "reading resolutions");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const struct note *first;
		int64_t journaled = (int64_t)notes_find(&jn->resolutions, sqlite3_column_int64(st, 0), &first);
		if (sqlite3_column_int64(st, 1) != journaled)
			problem(p, "exception %lld: %lld resolutions in the ledger, %lld in the journal",
				(long long)sqlite3_column_int64(st, 0), (long long)sqlite3_column_int64(st, 1),
				(long long)journaled);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "reading resolutions");
	return 0;
}

/* Every reference between rows points at a row that exists: SQLite's
 * foreign keys are enforced as rows are written, except in bulk runs
 * (ledger_begin_bulk), and a ledger edited with the checks off could hold
 * anything. A full pass over every table. */
static int verify_references(struct ledger *lg, struct problems *p, struct diag *d)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(lg->db, "PRAGMA foreign_key_check", -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "checking references");
	int rc;
	long shown = 0, more = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (shown == 20) {
			more++;
			continue;
		}
		shown++;
		problem(p, "%s row %lld refers to a %s row that does not exist", col(st, 0),
			(long long)sqlite3_column_int64(st, 1), col(st, 2));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "checking references");
	if (more)
		problem(p, "and %ld more rows with a reference to nothing", more);
	return 0;
}

static int verify_triggers(struct ledger *lg, struct problems *p, struct diag *d)
{
	static const char *const needed[] = {
		"journal_no_update",	     "journal_no_delete",	 "allocation_no_update",
		"allocation_no_delete",	     "outcome_no_update",	 "outcome_no_delete",
		"event_no_update",	     "event_no_delete",		 "receivable_state_no_update",
		"receivable_state_no_delete", "exception_resolution_no_update", "exception_resolution_no_delete",
		"outcome_candidate_no_update", "outcome_candidate_no_delete",
	};
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(lg->db, "SELECT 1 FROM sqlite_schema WHERE type = 'trigger' AND name = ?", -1, &st,
			       NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "reading the schema");
	for (size_t i = 0; i < sizeof needed / sizeof needed[0]; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, needed[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_ROW)
			problem(p, "schema: the append-only trigger %s was dropped", needed[i]);
	}
	sqlite3_finalize(st);
	return 0;
}

/* The highest reconciled mark (schema 13) holds: no event it covers waits
 * for an outcome (reconciliation would never look at it again). */
static int verify_reconciled_mark(struct ledger *lg, struct problems *p, struct diag *d)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(lg->db,
			       "SELECT r.id, r.through_event, (SELECT MIN(e.id) FROM event e WHERE e.id <= r.through_event"
			       " AND e.kind IN " LEDGER_RECONCILED_KINDS
			       " AND NOT EXISTS (SELECT 1 FROM outcome o WHERE o.event_id = e.id))"
			       " FROM run r WHERE r.through_event IS NOT NULL ORDER BY r.through_event DESC, r.id LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		return ledger_sql_error(lg, d, "checking the reconciled mark");
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 2) != SQLITE_NULL)
		problem(p,
			"run %" PRId64 ": marks the events up to %" PRId64 " reconciled, but event %" PRId64
			" has no outcome",
			(int64_t)sqlite3_column_int64(st, 0), (int64_t)sqlite3_column_int64(st, 1),
			(int64_t)sqlite3_column_int64(st, 2));
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ledger_sql_error(lg, d, "checking the reconciled mark");
	return 0;
}

int ledger_verify(struct ledger *lg, struct ledger_verify_report *r, void (*report_fn)(void *ctx, const char *msg),
		  void *ctx, struct diag *d)
{
	struct problems p = {.r = r, .fn = report_fn, .ctx = ctx};
	struct journal_notes jn = {0};
	memset(r, 0, sizeof *r);
	int rc = verify_chain(lg, &p, &jn, d);
	struct notes *all[] = {&jn.runs, &jn.allocations, &jn.resolutions};
	for (size_t i = 0; i < sizeof all / sizeof all[0] && !rc; i++)
		if (all[i]->n)
			qsort(all[i]->v, all[i]->n, sizeof *all[i]->v, by_key_then_row);
	if (rc || verify_runs(lg, &p, &jn, d) || verify_imports(lg, &p, d) || verify_manual(lg, &p, &jn, d) ||
	    verify_reconciled_mark(lg, &p, d) || verify_references(lg, &p, d) || verify_triggers(lg, &p, d))
		rc = -1;
	notes_free(&jn);
	return rc;
}
