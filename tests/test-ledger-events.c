/* Bank events in the ledger: identities (ordinals within a file, re-sent
 * lines across files, hash collisions refused), the writer thread (queue,
 * flush, commit, rollback), a bank id seen again with another amount,
 * ledgers whose events predate the identity keys of schema 11, and a
 * reconciliation run written in the background (ids handed out before
 * the rows exist, rows 64 per INSERT, rollback, foreign keys back on),
 * events 64 per INSERT with the skipped ones found, the checkpoint
 * after a large commit, a run's digest in both of its journaled forms, and
 * the reconciled mark where the search for events to reconcile starts. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/date.h"
#include "core/sha256.h"
#include "ledger/ledger_internal.h"

struct fixture {
	char dir[64];
	char path[128];
	struct ledger *lg;
	int files;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/concilia-test-ledger.XXXXXX");
	if (!f || !mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/ledger.db", f->dir);
	struct diag d;
	if (ledger_open(f->path, true, &f->lg, NULL, &d) != 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[160];
	ledger_close(f->lg);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* A liquidation of title nn paid with cents. */
static struct bank_event payment(const char *nn, int64_t cents, long line)
{
	struct bank_event ev;
	memset(&ev, 0, sizeof ev);
	ev.line = line;
	ev.line_end = line + 1;
	ev.bank = 237;
	snprintf(ev.agreement, sizeof ev.agreement, "4481234");
	snprintf(ev.nosso_numero_raw, sizeof ev.nosso_numero_raw, "%s", nn);
	snprintf(ev.nosso_numero, sizeof ev.nosso_numero, "%s", nn + strspn(nn, "0"));
	snprintf(ev.occurrence, sizeof ev.occurrence, "06");
	ev.kind = EVENT_LIQUIDATION;
	ev.due_date = date_from_ymd(2026, 11, 10);
	ev.occurrence_date = date_from_ymd(2026, 11, 10);
	ev.credit_date = date_from_ymd(2026, 11, 11);
	ev.face_cents = ev.paid_cents = cents;
	ev.net_cents = cents - 195;
	ev.tariff_cents = 195;
	return ev;
}

/* Starts the import of a new file (its own made-up SHA-256). */
static int64_t begin_file(struct fixture *f)
{
	char sha[65];
	int64_t id;
	struct diag d;
	struct ledger_import_header h = {.format = "cnab240", .generated = CDATE_NONE};
	snprintf(sha, sizeof sha, "%064d", ++f->files);
	assert_int_equal(ledger_begin(f->lg, &d), 0);
	assert_int_equal(ledger_import_add(f->lg, sha, "test.ret", NULL, 0, &h, &id, &d), 0);
	return id;
}

/* Queues events, flushes, commits; returns the counts. */
static struct ledger_event_counts import_file(struct fixture *f, const struct bank_event *evs, size_t n)
{
	struct diag d;
	struct ledger_event_counts c;
	int64_t id = begin_file(f);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(ledger_event_queue(f->lg, id, &evs[i], &d), 0);
	assert_int_equal(ledger_event_flush(f->lg, &c, &d), 0);
	assert_int_equal(ledger_commit(f->lg, &d), 0);
	return c;
}

/* Imports one file paying titles first..first + n - 1 (n distinct
 * payments). */
static void import_titles_from(struct fixture *f, int first, int n)
{
	struct bank_event *evs = calloc((size_t)n, sizeof *evs);
	assert_non_null(evs);
	for (int i = 0; i < n; i++) {
		char nn[16];
		snprintf(nn, sizeof nn, "%011d", first + i);
		evs[i] = payment(nn, 100 + i, 3 + 2 * i);
	}
	assert_int_equal(import_file(f, evs, (size_t)n).events, n);
	free(evs);
}

static void import_titles(struct fixture *f, int n)
{
	import_titles_from(f, 1, n);
}

static int64_t scalar(struct fixture *f, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;
	assert_int_equal(sqlite3_prepare_v2(f->lg->db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void ordinals_and_resent_lines(void **state)
{
	struct fixture *f = *state;
	struct bank_event a = payment("00000000001", 10000, 3), b = payment("00000000002", 20000, 5);
	/* Two identical lines in one file: a boleto paid twice the same day. */
	struct bank_event first[] = {a, a, b};
	struct ledger_event_counts c = import_file(f, first, 3);
	assert_int_equal(c.events, 3);
	assert_int_equal(c.payments, 3);
	assert_int_equal(c.duplicates, 0);
	/* Re-sent in another file: known; a third copy of a is new. */
	struct bank_event again[] = {a, b, a, a, payment("00000000003", 30000, 9)};
	c = import_file(f, again, 5);
	assert_int_equal(c.events, 2);
	assert_int_equal(c.duplicates, 3);
	assert_int_equal(scalar(f, "SELECT COUNT(*) FROM event"), 5);
	/* The identity text is rebuilt for people by the view. */
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(f->lg->db,
	                                    "SELECT identity FROM event_identity ORDER BY event_id LIMIT 2",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal(sqlite3_column_text(st, 0),
	                    "cnab|237|4481234|00000000001|06|2026-11-10|10000|2026-11-11#1");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal(sqlite3_column_text(st, 0),
	                    "cnab|237|4481234|00000000001|06|2026-11-10|10000|2026-11-11#2");
	sqlite3_finalize(st);
	assert_int_equal(scalar(f, "SELECT COUNT(*) FROM event WHERE identity <> ''"), 0);
}

static void synchronous_add_agrees(void **state)
{
	struct fixture *f = *state;
	struct bank_event a = payment("00000000007", 700, 3);
	struct bank_event first[] = {a};
	assert_int_equal(import_file(f, first, 1).events, 1);
	struct diag d;
	bool inserted;
	int64_t id = begin_file(f);
	assert_int_equal(ledger_event_add(f->lg, id, &a, &inserted, &d), 0);
	assert_false(inserted);
	assert_int_equal(ledger_event_add(f->lg, id, &a, &inserted, &d), 0);
	assert_true(inserted); /* the second copy in this file */
	assert_int_equal(ledger_commit(f->lg, &d), 0);
	assert_int_equal(scalar(f, "SELECT COUNT(*) FROM event"), 2);
}

static void rollback_drops_queued_events(void **state)
{
	struct fixture *f = *state;
	struct diag d;
	int64_t id = begin_file(f);
	for (int i = 0; i < 5000; i++) { /* more than one batch */
		char nn[16];
		snprintf(nn, sizeof nn, "%011d", i + 1);
		struct bank_event ev = payment(nn, 100 + i, 3 + 2 * i);
		assert_int_equal(ledger_event_queue(f->lg, id, &ev, &d), 0);
	}
	ledger_rollback(f->lg);
	assert_int_equal(scalar(f, "SELECT COUNT(*) FROM event"), 0);
	assert_int_equal(scalar(f, "SELECT COUNT(*) FROM import"), 0);
}

/* Inserts an event row behind the importer's back (as an older concilia
 * or a forged key would have). */
static int64_t raw_event(struct fixture *f, const char *identity, int64_t key)
{
	char sql[1000];
	snprintf(sql, sizeof sql,
	         "INSERT INTO import(sha256, filename, format, size, content, imported_at, actor)"
	         " VALUES ('raw%d', 'old.ret', 'cnab240', 0, X'', 'then', 'test');"
	         "INSERT INTO event(import_id, identity, identity_hash, line, line_end, bank, nosso_numero,"
	         " nosso_numero_raw, occurrence, kind, is_payment, face_cents, paid_cents, net_cents, "
	         "tariff_cents,"
	         " charges_cents, discount_cents, rebate_cents, iof_cents, other_expenses_cents, "
	         "other_credits_cents)"
	         " VALUES (last_insert_rowid(), '%s', %lld, 1, 2, 237, '9', '9', '06', 'liquidation', 1,"
	         " 1, 1, 1, 0, 0, 0, 0, 0, 0, 0);",
	         ++f->files, identity, (long long)key);
	assert_int_equal(sqlite3_exec(f->lg->db, sql, NULL, NULL, NULL), SQLITE_OK);
	return sqlite3_last_insert_rowid(f->lg->db);
}

static void events_from_before_schema_11(void **state)
{
	struct fixture *f = *state;
	struct bank_event a = payment("00000000001", 10000, 3);
	const char *text = "cnab|237|4481234|00000000001|06|2026-11-10|10000|2026-11-11#1";
	/* Before schema 11 the key was the plain hash and the text was kept. */
	int64_t old = raw_event(f, text, (int64_t)ledger_identity_hash(text, strlen(text)));
	char sql[100];
	snprintf(sql, sizeof sql, "UPDATE event_legacy_keys SET last_event_id = %lld", (long long)old);
	assert_int_equal(sqlite3_exec(f->lg->db, sql, NULL, NULL, NULL), SQLITE_OK);
	ledger_close(f->lg);
	struct diag d;
	assert_int_equal(ledger_open(f->path, false, &f->lg, NULL, &d), 0);

	struct bank_event evs[] = {a, a};
	struct ledger_event_counts c = import_file(f, evs, 2);
	assert_int_equal(c.duplicates, 1); /* the re-sent line */
	assert_int_equal(c.events, 1);     /* the second copy */
}

/* A Pix credit as the API Pix reader gives it: the bank's id is the
 * identity (strong: no ordinal). */
static struct bank_event pix_credit(const char *e2e, int64_t cents, long line)
{
	struct bank_event ev;
	memset(&ev, 0, sizeof ev);
	ev.line = line;
	ev.line_end = line;
	ev.bank = 1;
	snprintf(ev.occurrence, sizeof ev.occurrence, "00");
	ev.kind = EVENT_LIQUIDATION;
	ev.occurrence_date = ev.credit_date = date_from_ymd(2026, 11, 23);
	ev.paid_cents = ev.net_cents = cents;
	snprintf(ev.end_to_end_id, sizeof ev.end_to_end_id, "%s", e2e);
	snprintf(ev.identity, sizeof ev.identity, "pix|%s", e2e);
	return ev;
}

static void bank_id_with_another_amount(void **state)
{
	struct fixture *f = *state;
	struct bank_event a = pix_credit("E60701190202611231347Qm7Zt2Lp9Xa", 8990, 1);
	struct bank_event first[] = {a, a}; /* one id twice in a file: one credit */
	struct ledger_event_counts c = import_file(f, first, 2);
	assert_int_equal(c.events, 1);
	assert_int_equal(c.duplicates, 1);
	/* Seen again with the same amount: known. */
	struct bank_event again[] = {a};
	c = import_file(f, again, 1);
	assert_int_equal(c.events, 0);
	assert_int_equal(c.duplicates, 1);
	/* With another amount: a conflict, through the writer thread too. */
	struct diag d;
	struct bank_event changed = pix_credit("E60701190202611231347Qm7Zt2Lp9Xa", 9890, 4);
	int64_t id = begin_file(f);
	assert_int_equal(ledger_event_queue(f->lg, id, &changed, &d), 0);
	assert_int_equal(ledger_event_flush(f->lg, &c, &d), -1);
	assert_non_null(
	    strstr(d.msg, "line 4: pix|E60701190202611231347Qm7Zt2Lp9Xa was recorded with amount 89.90"));
	assert_non_null(strstr(d.msg, "this file says 98.90"));
	ledger_rollback(f->lg);
	/* And through the one-at-a-time path. */
	bool inserted;
	id = begin_file(f);
	assert_int_equal(ledger_event_add(f->lg, id, &changed, &inserted, &d), -1);
	assert_non_null(strstr(d.msg, "conflict, not an update"));
	ledger_rollback(f->lg);
	assert_int_equal(scalar(f, "SELECT COUNT(*) FROM event"), 1);
	assert_int_equal(scalar(f, "SELECT paid_cents FROM event"), 8990);
}

/* A ledger made by a concilia of schema 10 (migrations 1-10 only), with
 * events as that version wrote them (identity text kept, the plain hash
 * as key), then opened by this one (migration 11). */
static void ledger_of_schema_10_upgraded(void **state)
{
	struct fixture *f = *state;
	ledger_close(f->lg);
	f->lg = NULL;
	unlink(f->path);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_true(ledger_migration_count > 10);
	for (int v = 0; v < 10; v++)
		assert_int_equal(sqlite3_exec(db, ledger_migrations[v], NULL, NULL, NULL), SQLITE_OK);
	const char *texts[] = {"cnab|237|4481234|00000000001|06|2026-11-10|10000|2026-11-11#1",
	                       "cnab|237|4481234|00000000001|06|2026-11-10|10000|2026-11-11#2",
	                       "pix|E00000000202611231200aaaaaaaaaaa"};
	assert_int_equal(
	    sqlite3_exec(db,
	                 "INSERT INTO import(sha256, filename, format, size, content, imported_at, actor)"
	                 " VALUES ('old', 'old.ret', 'cnab240', 0, X'', 'then', 'test');"
	                 "PRAGMA user_version = 10;",
	                 NULL, NULL, NULL),
	    SQLITE_OK);
	for (int i = 0; i < 3; i++) {
		char sql[1000];
		snprintf(
		    sql, sizeof sql,
		    "INSERT INTO event(import_id, identity, identity_hash, line, line_end, bank, agreement,"
		    " nosso_numero, nosso_numero_raw, occurrence, kind, is_payment, occurrence_date, "
		    "credit_date,"
		    " face_cents, paid_cents, net_cents, tariff_cents, charges_cents, discount_cents, "
		    "rebate_cents,"
		    " iof_cents, other_expenses_cents, other_credits_cents, end_to_end_id)"
		    " VALUES (1, '%s', %lld, %d, %d, %d, %s, '%s', '%s', '%s', 'liquidation', 1, "
		    "'2026-11-%s',"
		    " '2026-11-%s', 10000, %d, 10000, 0, 0, 0, 0, 0, 0, 0, %s)",
		    texts[i], (long long)ledger_identity_hash(texts[i], strlen(texts[i])), 3 + i, 3 + i,
		    i < 2 ? 237 : 1, i < 2 ? "'4481234'" : "NULL", i < 2 ? "1" : "",
		    i < 2 ? "00000000001" : "", i < 2 ? "06" : "00", i < 2 ? "10" : "23", i < 2 ? "11" : "23",
		    i < 2 ? 10000 : 5000, i < 2 ? "NULL" : "'E00000000202611231200aaaaaaaaaaa'");
		assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	}
	sqlite3_close(db);

	struct diag d;
	assert_int_equal(ledger_open(f->path, false, &f->lg, NULL, &d), 0);
	assert_int_equal(scalar(f, "PRAGMA user_version"), ledger_migration_count);
	assert_int_equal(scalar(f, "SELECT last_event_id FROM event_legacy_keys"), 2);
	/* The events keep their identities: text, key, no ordinal column. */
	assert_int_equal(scalar(f, "SELECT COUNT(*) FROM event e JOIN event_identity v ON v.event_id = e.id"
	                           " WHERE v.identity = e.identity AND e.identity_ordinal IS NULL"),
	                 3);
	/* The same file again (both identical lines): nothing new. */
	struct bank_event a = payment("00000000001", 10000, 3);
	struct bank_event same_file[] = {a, a};
	struct ledger_event_counts c = import_file(f, same_file, 2);
	assert_int_equal(c.events, 0);
	assert_int_equal(c.duplicates, 2);
	/* One line re-sent in another file, with a new one beside it: the
	 * re-sent line is skipped, the new one gets a schema 11 key. */
	struct bank_event other[] = {a, payment("00000000005", 500, 5)};
	c = import_file(f, other, 2);
	assert_int_equal(c.events, 1);
	assert_int_equal(c.duplicates, 1);
	/* The Pix credit: known with its amount, a conflict with another. */
	struct bank_event p = pix_credit("E00000000202611231200aaaaaaaaaaa", 5000, 1);
	struct bank_event pix[] = {p};
	c = import_file(f, pix, 1);
	assert_int_equal(c.duplicates, 1);
	p.paid_cents = 5001;
	int64_t id = begin_file(f);
	assert_int_equal(ledger_event_queue(f->lg, id, &p, &d), 0);
	assert_int_equal(ledger_event_flush(f->lg, &c, &d), -1);
	assert_non_null(strstr(d.msg, "conflict, not an update"));
	ledger_rollback(f->lg);
	assert_int_equal(scalar(f, "SELECT COUNT(*) FROM event"), 4);
	assert_int_equal(scalar(f, "SELECT COUNT(*) FROM event WHERE identity = ''"), 1);
}

static void collision_refused(void **state)
{
	struct fixture *f = *state;
	struct bank_event a = payment("00000000004", 4000, 3);
	const char *text = "cnab|237|4481234|00000000004|06|2026-11-10|4000|2026-11-11#1";
	int64_t key = ledger_identity_key(a.nosso_numero, ledger_identity_hash(text, strlen(text)));
	raw_event(f, "cnab|something else entirely", key);

	struct diag d;
	struct ledger_event_counts c;
	int64_t id = begin_file(f);
	assert_int_equal(ledger_event_queue(f->lg, id, &a, &d), 0);
	assert_int_equal(ledger_event_flush(f->lg, &c, &d), -1);
	assert_non_null(strstr(d.msg, "collision"));
	assert_int_equal(d.line, 3);
	ledger_rollback(f->lg);

	/* Queued but not flushed: the commit refuses too. */
	id = begin_file(f);
	assert_int_equal(ledger_event_queue(f->lg, id, &a, &d), 0);
	assert_int_equal(ledger_commit(f->lg, &d), -1);
	assert_non_null(strstr(d.msg, "collision"));
	ledger_rollback(f->lg);
	assert_int_equal(scalar(f, "SELECT COUNT(*) FROM event"), 1);
}

static void identity_text_without_printf(void **state)
{
	(void)state;
	char buf[220];
	size_t n = ledger_identity_cnab(buf, sizeof buf, 1, NULL, "123", "02", "", -5, "2026-01-02");
	assert_string_equal(buf, "cnab|001||123|02||-5|2026-01-02");
	assert_int_equal(n, strlen(buf));
	n = ledger_identity_add_ordinal(buf, sizeof buf, n, 4294967295u);
	assert_string_equal(buf, "cnab|001||123|02||-5|2026-01-02#4294967295");
	ledger_identity_cnab(buf, sizeof buf, -7, "x", "y", "z", "d", INT64_MIN, "e");
	assert_string_equal(buf, "cnab|-07|x|y|z|d|-9223372036854775808|e");
	/* Truncated, never overrun. */
	char small[12];
	ledger_identity_cnab(small, sizeof small, 237, "4481234", "1", "06", "", 1, "");
	assert_string_equal(small, "cnab|237|44");
}

/* What a background run's callback writes for each event: an outcome,
 * an allocation for two events in three, a candidate naming the outcome
 * every 97 events, a bank state every 500, one detail too long to queue. */
struct run_writes {
	struct fixture *f;
	int64_t run_id, first_outcome, last_outcome;
	long events, candidates, allocations, states;
	char long_detail[1500];
};

static int write_one(void *ctx, const struct ledger_event *e)
{
	struct run_writes *w = ctx;
	struct diag d;
	char detail[64];
	snprintf(detail, sizeof detail, "paid %lld", (long long)e->ev.paid_cents);
	bool applies = w->events % 3 != 0;
	struct ledger_outcome o = {
		.event_id = e->rowid,
		.receivable_id = applies ? 1000 + w->events : 0,
		.category = applies ? "MATCHED_EXACT" : "UNKNOWN_REFERENCE",
		.rule = applies ? "R1 nosso_numero" : NULL,
		.paid_cents = e->ev.paid_cents,
		.expected_cents = applies ? e->ev.paid_cents : 0,
		.allocated_cents = applies ? e->ev.paid_cents : 0,
		.settles = applies,
		.needs_human = !applies,
		.detail = w->events == 2500 ? w->long_detail : detail,
		.run_id = w->run_id,
		.rule_set = "test-rules",
	};
	int64_t id;
	if (ledger_outcome_add(w->f->lg, &o, &id, &d) != 0)
		return -1;
	/* Ids come in order, known before the writer has the rows. */
	if (w->last_outcome)
		assert_int_equal(id, w->last_outcome + 1);
	else
		w->first_outcome = id;
	w->last_outcome = id;
	w->allocations += applies;
	if (w->events % 97 == 0) {
		if (ledger_outcome_candidate_add(w->f->lg, id, 7, "R4 payer+tolerance", 100, &d) != 0)
			return -1;
		w->candidates++;
	}
	if (w->events % 500 == 0) {
		if (ledger_receivable_state_add(w->f->lg, 1000 + w->events, "written_off", e->rowid, &d) != 0)
			return -1;
		w->states++;
	}
	w->events++;
	return 0;
}

static void background_run(struct fixture *f, struct run_writes *w, bool commit)
{
	struct diag d;
	memset(w, 0, sizeof *w);
	w->f = f;
	memset(w->long_detail, 'x', sizeof w->long_detail - 1);
	assert_int_equal(ledger_begin_bulk(f->lg, &d), 0);
	assert_int_equal(scalar(f, "PRAGMA foreign_keys"), 0);
	assert_int_equal(ledger_run_start(f->lg, &w->run_id, &d), 0);
	assert_int_equal(ledger_run_background(f->lg, &d), 0);
	assert_int_equal(ledger_pending_payments(f->lg, write_one, w, &d), 0);
	if (!commit) {
		ledger_rollback(f->lg);
		return;
	}
	/* The digest made while writing is compared with the rows read back. */
	assert_int_equal(ledger_run_finish(f->lg, w->run_id, w->events, &d), 0);
	assert_int_equal(ledger_commit(f->lg, &d), 0);
}

static void run_written_in_background(void **state)
{
	struct fixture *f = *state;
	enum { N = 5000 }; /* several of the writer's batches */
	import_titles(f, N);
	setenv("CONCILIA_CHECK_RUN_DIGEST", "1", 1);

	/* Rolled back: nothing stays, the checks are back on, and the ids
	 * handed out are handed out again. */
	struct run_writes *w = calloc(1, sizeof *w);
	background_run(f, w, false);
	assert_int_equal(w->events, N);
	int64_t first = w->first_outcome;
	assert_int_equal(scalar(f, "SELECT COUNT(*) FROM outcome"), 0);
	assert_int_equal(scalar(f, "SELECT COUNT(*) FROM outcome_candidate"), 0);
	assert_int_equal(scalar(f, "PRAGMA foreign_keys"), 1);

	background_run(f, w, true);
	assert_int_equal(w->first_outcome, first);
	assert_int_equal(scalar(f, "PRAGMA foreign_keys"), 1);
	assert_int_equal(scalar(f, "SELECT COUNT(*) FROM outcome"), N);
	assert_int_equal(scalar(f, "SELECT MAX(id) FROM outcome"), w->last_outcome);
	assert_int_equal(scalar(f, "SELECT COUNT(*) FROM allocation"), w->allocations);
	assert_int_equal(scalar(f, "SELECT COUNT(*) FROM receivable_state"), w->states);
	/* Each candidate and allocation names the outcome's event it was
	 * written for. */
	assert_int_equal(scalar(f, "SELECT COUNT(*) FROM outcome_candidate k JOIN outcome o ON o.id = k.outcome_id"
	                           " WHERE (o.id - (SELECT MIN(id) FROM outcome)) % 97 = 0"),
	                 w->candidates);
	assert_int_equal(scalar(f, "SELECT COUNT(*) FROM allocation a JOIN outcome o ON o.event_id = a.event_id"
	                           " WHERE o.allocated_cents = a.cents AND o.receivable_id = a.receivable_id"),
	                 w->allocations);
	assert_int_equal(scalar(f, "SELECT length(detail) FROM outcome ORDER BY length(detail) DESC LIMIT 1"),
	                 (int64_t)sizeof w->long_detail - 1);
	/* Nothing is left to reconcile. */
	long pending;
	struct diag d;
	assert_int_equal(ledger_pending_count(f->lg, 0, &pending, &d), 0);
	assert_int_equal(pending, 0);
	free(w);
}

/* Events are written 64 to a statement by the writer thread: rows the
 * ledger already had (re-sent lines, a bank id twice in one group) are
 * told apart from the new ones after the statement, and checked. */
static void grouped_writes_find_skipped_rows(void **state)
{
	struct fixture *f = *state;
	enum { FIRST = 150, SECOND = 100 };
	struct bank_event evs[FIRST + 3];
	for (int i = 0; i < FIRST; i++) {
		char nn[16];
		snprintf(nn, sizeof nn, "%011d", i + 1);
		evs[i] = payment(nn, 1000 + i, 3 + 2 * i);
	}
	assert_int_equal(import_file(f, evs, FIRST).events, FIRST);

	/* Titles 100-199: 100-150 re-sent, 151-199 new; a Pix credit twice in
	 * one group (one credit), another once. */
	struct bank_event again[SECOND + 3];
	int n = 0;
	for (int i = 99; i < 99 + SECOND; i++) {
		char nn[16];
		snprintf(nn, sizeof nn, "%011d", i + 1);
		again[n++] = payment(nn, 1000 + i, 3 + 2 * i);
		if (i == 109 || i == 139)
			again[n++] = pix_credit("E60701190202611231347Qm7Zt2Lp9Xa", 8990, 500 + i);
		if (i == 119)
			again[n++] = pix_credit("E60701190202611231347Qm7Zt2Lp9Xb", 4500, 500 + i);
	}
	struct ledger_event_counts c = import_file(f, again, (size_t)n);
	assert_int_equal(c.events, 49 + 2);
	assert_int_equal(c.duplicates, 51 + 1);
	assert_int_equal(scalar(f, "SELECT COUNT(*) FROM event"), FIRST + 49 + 2);
	assert_int_equal(scalar(f, "SELECT COUNT(DISTINCT nosso_numero) FROM event WHERE bank = 237"), 199);

	/* The same Pix with another amount, in the middle of a group of new
	 * lines: the whole file is refused, naming its line. */
	struct diag d;
	int64_t id = begin_file(f);
	for (int i = 0; i < 100; i++) {
		char nn[16];
		snprintf(nn, sizeof nn, "%011d", 1000 + i);
		struct bank_event ev = payment(nn, 500, 3 + 2 * i);
		if (i == 50)
			ev = pix_credit("E60701190202611231347Qm7Zt2Lp9Xa", 9890, 77);
		assert_int_equal(ledger_event_queue(f->lg, id, &ev, &d), 0);
	}
	assert_int_equal(ledger_event_flush(f->lg, &c, &d), -1);
	assert_non_null(strstr(d.msg, "line 77: pix|E60701190202611231347Qm7Zt2Lp9Xa was recorded with amount 89.90"));
	ledger_rollback(f->lg);
	assert_int_equal(scalar(f, "SELECT COUNT(*) FROM event"), FIRST + 49 + 2);
}

/* The checkpoint after a large commit runs on the writer's own connection,
 * which has read nothing yet: it must still copy the WAL into the database
 * (before SQLite 3.42 such a checkpoint silently did nothing, and the whole
 * WAL was copied at close instead). */
static void background_checkpoint_copies_the_wal(void **state)
{
	struct fixture *f = *state;
	struct stat before, after;
	assert_int_equal(stat(f->path, &before), 0);
	enum { N = 3000 };
	import_titles(f, N);
	struct diag d;
	assert_int_equal(ledger_writer_checkpoint(f->lg, &d), 0);
	ledger_writer_stop(f->lg); /* waits for the checkpoint */
	assert_int_equal(stat(f->path, &after), 0);
	assert_true(after.st_size > before.st_size + 100 * 1024);
}

/* ---- a run's digest, by section (now) or whole (journaled before) */

/* The SQL text of one canonical line per row, rebuilt here from the
 * columns (NULL shows as nothing), so that the digest's form is pinned. */
#define T(x) "COALESCE(" x ", '')"
static const char *const section_lines[4] = {
    "SELECT 'o|' || o.id || '|' || o.event_id || '|' || " T("o.receivable_id") " || '|' || o.category"
    " || '|' || " T("o.rule") " || '|' || o.paid_cents || '|' || o.expected_cents || '|' || o.allocated_cents"
    " || '|' || o.excess_cents || '|' || o.settles || '|' || o.needs_human || '|' || " T("o.detail")
    " FROM outcome o WHERE o.run_id = ? ORDER BY o.id",
    "SELECT 'c|' || k.id || '|' || k.outcome_id || '|' || k.receivable_id || '|' || k.rule || '|' || k.cents"
    " FROM outcome_candidate k JOIN outcome o ON o.id = k.outcome_id WHERE o.run_id = ? ORDER BY k.id",
    "SELECT 'a|' || a.id || '|' || a.event_id || '|' || a.receivable_id || '|' || a.cents || '|' || a.rule"
    " || '|' || a.settles || '|' || " T("a.reverses") " || '|' || " T("a.reason") " || '|' || a.actor"
    " || '|' || a.created_at || '|' || " T("a.rule_set") " FROM allocation a WHERE a.run_id = ? ORDER BY a.id",
    "SELECT 's|' || s.id || '|' || s.receivable_id || '|' || s.state || '|' || s.event_id FROM receivable_state s"
    " JOIN outcome o ON o.event_id = s.event_id WHERE o.run_id = ? ORDER BY s.id",
};
#undef T

struct text {
	char *p;
	size_t len;
};

/* Appends section k's lines of the run to t. */
static void section_text(struct fixture *f, int k, int64_t run, struct text *t)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(f->lg->db, section_lines[k], -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, run);
	while (sqlite3_step(st) == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_bytes(st, 0);
		t->p = realloc(t->p, t->len + n + 1);
		assert_non_null(t->p);
		memcpy(t->p + t->len, sqlite3_column_text(st, 0), n);
		t->len += n;
		t->p[t->len++] = '\n';
	}
	sqlite3_finalize(st);
}

struct messages {
	char text[4096];
	size_t len;
};

static void collect(void *ctx, const char *msg)
{
	struct messages *m = ctx;
	int n = snprintf(m->text + m->len, sizeof m->text - m->len, "%s\n", msg);
	if (n > 0 && m->len + (size_t)n < sizeof m->text)
		m->len += (size_t)n;
}

/* What journal verify says, one problem per line. */
static void verify_messages(struct fixture *f, struct messages *m)
{
	struct ledger_verify_report r;
	struct diag d;
	memset(&r, 0, sizeof r);
	m->len = 0;
	m->text[0] = '\0';
	assert_int_equal(ledger_verify(f->lg, &r, collect, m, &d), 0);
}

/* Whether journal verify finds the run's rows changed. */
static bool run_flagged(struct fixture *f, int64_t run)
{
	struct messages m;
	char needle[64];
	verify_messages(f, &m);
	snprintf(needle, sizeof needle, "run %lld: its outcomes", (long long)run);
	return strstr(m.text, needle) != NULL;
}

/* A run's journal detail naming a digest in one form (mark: "rows sha256 "
 * or "rows sha256 by section "). */
static void run_detail(char *buf, size_t n, const struct run_writes *w, const char *mark, const char *hex)
{
	snprintf(buf, n, "%ld bank events reconciled; %s%s", w->events, mark, hex);
}

/* Journals the run again (the latest entry counts) with that detail. */
static void journal_run(struct fixture *f, const struct run_writes *w, const char *mark, const char *hex)
{
	struct diag d;
	char subject[32], detail[160];
	snprintf(subject, sizeof subject, "run %lld", (long long)w->run_id);
	run_detail(detail, sizeof detail, w, mark, hex);
	assert_int_equal(ledger_begin(f->lg, &d), 0);
	assert_int_equal(ledger_journal(f->lg, "reconcile.run", subject, detail, &d), 0);
	assert_int_equal(ledger_commit(f->lg, &d), 0);
}

static void run_digest_by_section_or_whole(void **state)
{
	struct fixture *f = *state;
	import_titles(f, 1500);
	setenv("CONCILIA_CHECK_RUN_DIGEST", "1", 1);
	struct run_writes *w = calloc(1, sizeof *w);
	assert_non_null(w);
	background_run(f, w, true);
	assert_true(w->candidates > 0 && w->states > 0 && w->allocations > 0);

	/* The journal names the SHA-256 of the four sections' own SHA-256. */
	char sections[4 * 67 + 1], by_section[65], whole[65], detail[160];
	struct text all = {NULL, 0};
	size_t used = 0;
	for (int k = 0; k < 4; k++) {
		struct text one = {NULL, 0};
		char hex[65];
		section_text(f, k, w->run_id, &one);
		assert_true(one.len > 0);
		assert_int_equal(sha256_hex(one.p, one.len, hex), 0);
		used += (size_t)snprintf(sections + used, sizeof sections - used, "%c %s\n", "ocas"[k], hex);
		all.p = realloc(all.p, all.len + one.len);
		assert_non_null(all.p);
		memcpy(all.p + all.len, one.p, one.len);
		all.len += one.len;
		free(one.p);
	}
	assert_int_equal(sha256_hex(sections, used, by_section), 0);
	assert_int_equal(sha256_hex(all.p, all.len, whole), 0);
	free(all.p);
	assert_string_not_equal(by_section, whole);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(f->lg->db,
	                                    "SELECT detail FROM journal WHERE action = 'reconcile.run'"
	                                    " ORDER BY id DESC LIMIT 1",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	run_detail(detail, sizeof detail, w, "rows sha256 by section ", by_section);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), detail);
	sqlite3_finalize(st);
	assert_false(run_flagged(f, w->run_id));

	/* A run journaled before (one SHA-256 over the sections in turn) is
	 * checked in its own form... */
	journal_run(f, w, "rows sha256 ", whole);
	assert_false(run_flagged(f, w->run_id));
	/* ... and one form's digest does not pass for the other. */
	journal_run(f, w, "rows sha256 ", by_section);
	assert_true(run_flagged(f, w->run_id));
	journal_run(f, w, "rows sha256 by section ", whole);
	assert_true(run_flagged(f, w->run_id));
	/* An edited allocation is found in both forms. */
	journal_run(f, w, "rows sha256 ", whole);
	assert_int_equal(sqlite3_exec(f->lg->db,
	                              "DROP TRIGGER allocation_no_update; UPDATE allocation SET cents = cents + 1"
	                              " WHERE id = (SELECT MAX(id) FROM allocation)",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	assert_true(run_flagged(f, w->run_id));
	journal_run(f, w, "rows sha256 by section ", by_section);
	assert_true(run_flagged(f, w->run_id));
	free(w);
}

/* ---- the reconciled mark (schema 13) */

/* A run that gives an outcome to every second event only. */
struct half_run {
	struct fixture *f;
	int64_t run_id;
	long seen;
};

static int every_second(void *ctx, const struct ledger_event *e)
{
	struct half_run *h = ctx;
	struct diag d;
	if (h->seen++ % 2)
		return 0;
	struct ledger_outcome o = {
	    .event_id = e->rowid, .category = "UNKNOWN_REFERENCE", .paid_cents = e->ev.paid_cents,
	    .excess_cents = e->ev.paid_cents, .needs_human = true, .detail = "test", .run_id = h->run_id};
	return ledger_outcome_add(h->f->lg, &o, NULL, &d);
}

/* One run through the ledger's own connection with every_second; h->seen
 * goes on counting from where it is. */
static void run_every_second(struct half_run *h)
{
	struct diag d;
	long before = h->seen;
	assert_int_equal(ledger_begin(h->f->lg, &d), 0);
	assert_int_equal(ledger_run_start(h->f->lg, &h->run_id, &d), 0);
	assert_int_equal(ledger_pending_payments(h->f->lg, every_second, h, &d), 0);
	assert_int_equal(ledger_run_finish(h->f->lg, h->run_id, h->seen - before, &d), 0);
	assert_int_equal(ledger_commit(h->f->lg, &d), 0);
}

static long pending(struct fixture *f)
{
	long n = -1;
	struct diag d;
	bool any;
	assert_int_equal(ledger_pending_count(f->lg, 0, &n, &d), 0);
	assert_int_equal(ledger_has_unreconciled(f->lg, &any, &d), 0);
	assert_int_equal(any, n > 0);
	return n;
}

static void reconciled_mark(void **state)
{
	struct fixture *f = *state;
	import_titles(f, 300);
	struct run_writes *w = calloc(1, sizeof *w);
	assert_non_null(w);
	/* A run that reconciles every event marks them all. */
	background_run(f, w, true);
	assert_int_equal(scalar(f, "SELECT through_event FROM run"), scalar(f, "SELECT MAX(id) FROM event"));
	assert_int_equal(pending(f), 0);
	assert_false(run_flagged(f, w->run_id));
	int64_t mark = scalar(f, "SELECT MAX(id) FROM event");

	/* New events are found above the mark. A run that leaves some without
	 * an outcome marks nothing, and the next run still finds them. */
	import_titles_from(f, 1001, 200);
	assert_int_equal(pending(f), 200);
	struct half_run h = {.f = f};
	run_every_second(&h);
	assert_int_equal(h.seen, 200);
	assert_int_equal(scalar(f, "SELECT COUNT(*) FROM run WHERE through_event IS NULL"), 1);
	assert_int_equal(scalar(f, "SELECT MAX(through_event) FROM run"), mark);
	assert_int_equal(pending(f), 100);
	h.seen = 1; /* this time the first event it is given gets its outcome */
	run_every_second(&h);
	assert_int_equal(h.seen, 101);
	assert_int_equal(pending(f), 50);
	assert_int_equal(scalar(f, "SELECT MAX(through_event) FROM run"), mark);

	/* A mark moved over events still waiting hides them from every run:
	 * journal verify names it. */
	assert_false(run_flagged(f, h.run_id));
	char sql[160];
	snprintf(sql, sizeof sql, "UPDATE run SET through_event = (SELECT MAX(id) FROM event) WHERE id = %lld",
	         (long long)h.run_id);
	assert_int_equal(sqlite3_exec(f->lg->db, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(pending(f), 0);
	struct messages m;
	verify_messages(f, &m);
	snprintf(sql, sizeof sql, "run %lld: marks the events up to %lld reconciled, but event %lld has no outcome",
	         (long long)h.run_id, (long long)scalar(f, "SELECT MAX(id) FROM event"),
	         (long long)scalar(f, "SELECT MIN(e.id) FROM event e WHERE NOT EXISTS"
	                              " (SELECT 1 FROM outcome o WHERE o.event_id = e.id)"));
	assert_non_null(strstr(m.text, sql));
	free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(identity_text_without_printf),
	    cmocka_unit_test_setup_teardown(ordinals_and_resent_lines, setup, teardown),
	    cmocka_unit_test_setup_teardown(synchronous_add_agrees, setup, teardown),
	    cmocka_unit_test_setup_teardown(rollback_drops_queued_events, setup, teardown),
	    cmocka_unit_test_setup_teardown(events_from_before_schema_11, setup, teardown),
	    cmocka_unit_test_setup_teardown(ledger_of_schema_10_upgraded, setup, teardown),
	    cmocka_unit_test_setup_teardown(bank_id_with_another_amount, setup, teardown),
	    cmocka_unit_test_setup_teardown(collision_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(run_written_in_background, setup, teardown),
	    cmocka_unit_test_setup_teardown(grouped_writes_find_skipped_rows, setup, teardown),
	    cmocka_unit_test_setup_teardown(background_checkpoint_copies_the_wal, setup, teardown),
	    cmocka_unit_test_setup_teardown(run_digest_by_section_or_whole, setup, teardown),
	    cmocka_unit_test_setup_teardown(reconciled_mark, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
