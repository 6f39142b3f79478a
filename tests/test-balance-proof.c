/* Property tests of the balance proof: random histories of receivables
 * (created open or cancelled, face changed, disputed, cancelled,
 * renegotiated, reopened; partial payments, exact settlements, discounts,
 * overpayments, undo by compensating allocations, in any order and often
 * in the same second) cut into random periods. Whatever the history:
 *   - the proof closes to the centavo (opening + lines = closing);
 *   - opening and closing equal the open balance computed here, from the
 *     definition, by a separate naive model;
 *   - the information lines add up (applied = principal + charges) and no
 *     line has the wrong sign.
 * First on the pure replay, then through a real ledger (the receivable
 * history triggers of migration 6 and the SQL of ledger_balance_proof).
 * Seeds are fixed: a failure names its scenario and replays. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ledger/balance_proof.h"
#include "ledger/ledger_internal.h"

/* ---- a small deterministic generator */
static uint64_t rng;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}
static int64_t pick(int64_t lo, int64_t hi) /* inclusive */
{
	return lo + (int64_t)(next() % (uint64_t)(hi - lo + 1));
}

/* ---- the naive model: every change of every receivable with its time */
enum { MAX_ROWS = 600, MAX_RECEIVABLES = 12 };

struct change {
	int receivable;
	long t;            /* seconds */
	enum balance_row_kind kind;
	int64_t id;        /* allocation id */
	int64_t cents;     /* face or allocation cents */
	enum balance_status status;
	bool settles;
	int64_t reverses;
	long seq;          /* order of the change within its kind (ids) */
};

struct history {
	struct change rows[MAX_ROWS];
	int n;
};

/* Open balance of receivable k from the changes before time cut (the
 * definition in balance_proof.h, written out without the replay). */
static int64_t model_open(const struct history *h, int k, long cut)
{
	const struct change *version = NULL;
	int64_t applied = 0;
	bool settled = false;
	for (int i = 0; i < h->n; i++) {
		const struct change *c = &h->rows[i];
		if (c->receivable != k || c->t >= cut)
			continue;
		if (c->kind == BALANCE_ROW_VERSION) {
			if (!version || c->t > version->t || (c->t == version->t && c->seq > version->seq))
				version = c;
			continue;
		}
		applied += c->cents;
	}
	for (int i = 0; i < h->n && !settled; i++) {
		const struct change *a = &h->rows[i];
		if (a->receivable != k || a->t >= cut || a->kind != BALANCE_ROW_ALLOCATION || !a->settles ||
		    a->reverses)
			continue;
		bool reversed = false;
		for (int j = 0; j < h->n; j++) {
			const struct change *u = &h->rows[j];
			if (u->kind == BALANCE_ROW_ALLOCATION && u->t < cut && u->reverses == a->id)
				reversed = true;
		}
		settled = !reversed;
	}
	if (!version || version->status != BALANCE_OPEN || settled)
		return 0;
	return version->cents > applied ? version->cents - applied : 0;
}

static int64_t model_total(const struct history *h, int receivables, long cut)
{
	int64_t sum = 0;
	for (int k = 0; k < receivables; k++)
		sum += model_open(h, k, cut);
	return sum;
}

static int by_time(const void *a, const void *b)
{
	const struct change *x = a, *y = b;
	if (x->receivable != y->receivable)
		return x->receivable < y->receivable ? -1 : 1;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void check_signs(const struct balance_proof *p)
{
	assert_true(p->new_cents >= 0);
	assert_true(p->reopened_cents >= 0);
	assert_true(p->principal_cents >= 0);
	assert_true(p->discount_cents >= 0);
	assert_true(p->cancelled_cents >= 0);
	assert_true(p->renegotiated_cents >= 0);
	assert_true(p->charges_cents >= 0);
	assert_int_equal(p->applied_cents, p->principal_cents + p->charges_cents);
}

/* ---- random histories for the pure replay */
static void random_history(struct history *h, int receivables)
{
	int64_t next_alloc = 1;
	long seq = 0;
	h->n = 0;
	for (int k = 0; k < receivables; k++) {
		long t = pick(0, 20);
		int64_t face = pick(1, 100000);
		enum balance_status st = pick(0, 9) == 0 ? BALANCE_CANCELLED : BALANCE_OPEN;
		h->rows[h->n++] = (struct change){k, t, BALANCE_ROW_VERSION, 0, face, st, false, 0, seq++};
		int64_t ids[40];
		int nids = 0;
		int steps = (int)pick(0, 30);
		for (int s = 0; s < steps && h->n < MAX_ROWS - 1; s++) {
			t += pick(0, 3); /* ties are common */
			int what = (int)pick(0, 99);
			if (what < 10) {
				face = pick(1, 100000);
				h->rows[h->n++] = (struct change){k, t, BALANCE_ROW_VERSION, 0, face, st, false, 0, seq++};
			} else if (what < 22) {
				st = (enum balance_status)pick(0, 2);
				h->rows[h->n++] = (struct change){k, t, BALANCE_ROW_VERSION, 0, face, st, false, 0, seq++};
			} else if (what < 40 && nids > 0) {
				/* Undo; now and then twice the same one (bad data the
				 * definition still reads one way). */
				int64_t target = ids[pick(0, nids - 1)];
				int64_t cents = 0;
				for (int i = 0; i < h->n; i++)
					if (h->rows[i].kind == BALANCE_ROW_ALLOCATION && h->rows[i].id == target)
						cents = h->rows[i].cents;
				h->rows[h->n++] = (struct change){k, t, BALANCE_ROW_ALLOCATION, next_alloc++, -cents,
								  BALANCE_OPEN, false, target, seq++};
			} else if (what < 43) {
				/* A manual negative adjustment without a reversal link. */
				h->rows[h->n++] = (struct change){k, t, BALANCE_ROW_ALLOCATION, next_alloc++,
								  -pick(1, 5000), BALANCE_OPEN, false, 0, seq++};
			} else {
				int64_t cents = pick(0, 3) == 0 ? face : pick(0, face + face / 5);
				bool settles = pick(0, 2) == 0;
				if (nids < 40)
					ids[nids++] = next_alloc;
				h->rows[h->n++] = (struct change){k, t, BALANCE_ROW_ALLOCATION, next_alloc++, cents,
								  BALANCE_OPEN, settles, 0, seq++};
			}
		}
	}
	qsort(h->rows, (size_t)h->n, sizeof h->rows[0], by_time);
}

static void replay_window(const struct history *h, long from, long until, struct balance_proof *p)
{
	struct balance_replay rp;
	memset(p, 0, sizeof *p);
	balance_replay_init(&rp, p);
	for (int i = 0; i < h->n; i++) {
		const struct change *c = &h->rows[i];
		if (c->t >= until)
			continue;
		struct balance_row row = {c->receivable, c->t >= from, c->kind, c->id, c->cents, c->status,
					  c->settles, c->reverses};
		assert_int_equal(balance_replay_row(&rp, &row), 0);
	}
	balance_replay_finish(&rp);
}

static void pure_replay_closes(void **state)
{
	(void)state;
	static struct history h;
	for (int scenario = 1; scenario <= 3000; scenario++) {
		rng = 0x9E3779B97F4A7C15ull * (uint64_t)scenario;
		int receivables = (int)pick(1, MAX_RECEIVABLES);
		random_history(&h, receivables);
		long from = pick(0, 60), until = from + pick(0, 80);
		struct balance_proof p;
		replay_window(&h, from, until, &p);
		p.opening_cents = model_total(&h, receivables, from);
		p.closing_cents = model_total(&h, receivables, until);
		if (balance_proof_difference(&p) != 0 || p.opening_replayed_cents != p.opening_cents ||
		    p.closing_replayed_cents != p.closing_cents)
			print_error("scenario %d: window [%ld, %ld)\n", scenario, from, until);
		assert_int_equal(p.opening_replayed_cents, p.opening_cents);
		assert_int_equal(p.closing_replayed_cents, p.closing_cents);
		assert_int_equal(balance_proof_difference(&p), 0);
		check_signs(&p);
		/* From the beginning, the opening is nothing. */
		replay_window(&h, 0, until, &p);
		assert_int_equal(p.opening_replayed_cents, 0);
	}
}

static void examples(void **state)
{
	(void)state;
	/* One receivable per kind of movement, in the period [2, 4): R$ 300
	 * paid 285 with a discount; R$ 200 paid 204,49 with charges; R$ 500
	 * paid 450 then undone; R$ 90 cancelled; R$ 100 renegotiated, then
	 * reopened at R$ 120; R$ 70 raised to R$ 80; R$ 50 created. */
	static struct history h;
	const struct change rows[] = {
		{0, 1, BALANCE_ROW_VERSION, 0, 30000, BALANCE_OPEN, false, 0, 0},
		{0, 2, BALANCE_ROW_ALLOCATION, 1, 28500, BALANCE_OPEN, true, 0, 1},
		{1, 1, BALANCE_ROW_VERSION, 0, 20000, BALANCE_OPEN, false, 0, 2},
		{1, 2, BALANCE_ROW_ALLOCATION, 2, 20449, BALANCE_OPEN, true, 0, 3},
		{2, 1, BALANCE_ROW_VERSION, 0, 50000, BALANCE_OPEN, false, 0, 4},
		{2, 2, BALANCE_ROW_ALLOCATION, 3, 45000, BALANCE_OPEN, false, 0, 5},
		{2, 3, BALANCE_ROW_ALLOCATION, 4, -45000, BALANCE_OPEN, false, 3, 6},
		{3, 1, BALANCE_ROW_VERSION, 0, 9000, BALANCE_OPEN, false, 0, 7},
		{3, 3, BALANCE_ROW_VERSION, 0, 9000, BALANCE_CANCELLED, false, 0, 8},
		{4, 1, BALANCE_ROW_VERSION, 0, 10000, BALANCE_OPEN, false, 0, 9},
		{4, 2, BALANCE_ROW_VERSION, 0, 10000, BALANCE_RENEGOTIATED, false, 0, 10},
		{4, 3, BALANCE_ROW_VERSION, 0, 12000, BALANCE_OPEN, false, 0, 11},
		{5, 1, BALANCE_ROW_VERSION, 0, 7000, BALANCE_OPEN, false, 0, 12},
		{5, 2, BALANCE_ROW_VERSION, 0, 8000, BALANCE_OPEN, false, 0, 13},
		{6, 2, BALANCE_ROW_VERSION, 0, 5000, BALANCE_OPEN, false, 0, 14},
	};
	memcpy(h.rows, rows, sizeof rows);
	h.n = (int)(sizeof rows / sizeof rows[0]);
	struct balance_proof p;
	replay_window(&h, 2, 4, &p);
	p.opening_cents = model_total(&h, 7, 2);
	p.closing_cents = model_total(&h, 7, 4);
	assert_int_equal(p.opening_cents, 30000 + 20000 + 50000 + 9000 + 10000 + 7000);
	assert_int_equal(p.new_cents, 5000);
	assert_int_equal(p.reopened_cents, 12000);
	assert_int_equal(p.face_change_cents, 1000);
	assert_int_equal(p.renegotiated_cents, 10000);
	assert_int_equal(p.principal_cents, 28500 + 20000 + 45000);
	assert_int_equal(p.discount_cents, 1500);
	assert_int_equal(p.charges_cents, 449);
	assert_int_equal(p.reversal_cents, 45000);
	assert_int_equal(p.reversed_cents, 45000);
	assert_int_equal(p.cancelled_cents, 9000);
	assert_int_equal(p.closing_cents, 50000 + 12000 + 8000 + 5000);
	assert_int_equal(balance_proof_difference(&p), 0);
}

/* ---- the same through a ledger */
static void stamp(long t, char *buf, size_t n)
{
	/* 2026-11-01T00:00:00Z + t seconds, 0 <= t < 29 days */
	int day = (int)(t / 86400 % 29), h = (int)(t / 3600 % 24), min = (int)(t / 60 % 60), sec = (int)(t % 60);
	snprintf(buf, n, "2026-11-%02dT%02d:%02d:%02dZ", 1 + day, h, min, sec);
}

static void set_now(long t)
{
	char now[32];
	stamp(t, now, sizeof now);
	setenv("CONCILIA_NOW", now, 1);
}

static void exec_sql(struct ledger *lg, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(lg->db, sql, NULL, NULL, &err) != SQLITE_OK)
		print_error("%s: %s\n", sql, err ? err : "?");
	assert_null(err);
}

struct ledger_model {
	struct history h;
	int receivables;
	int64_t face[MAX_RECEIVABLES];
	enum receivable_status status[MAX_RECEIVABLES];
	int64_t allocs[200];      /* ids of the non-reversing allocations */
	int alloc_receivable[200];
	int64_t alloc_cents[200];
	bool alloc_undone[200];
	int nallocs;
	int64_t events;
	long seq;
};

static enum balance_status as_balance(enum receivable_status s)
{
	return s == RECEIVABLE_OPEN || s == RECEIVABLE_DISPUTED ? BALANCE_OPEN
	       : s == RECEIVABLE_RENEGOTIATED                    ? BALANCE_RENEGOTIATED
								 : BALANCE_CANCELLED;
}

static int64_t applied_now(const struct ledger_model *m, int k)
{
	int64_t sum = 0;
	for (int i = 0; i < m->h.n; i++)
		if (m->h.rows[i].receivable == k && m->h.rows[i].kind == BALANCE_ROW_ALLOCATION)
			sum += m->h.rows[i].cents;
	return sum;
}

/* was: the status before this change (the ledger checks transitions). */
static void put_receivable(struct ledger *lg, struct ledger_model *m, int k, long t, bool created,
			   enum receivable_status was)
{
	struct receivable_row row;
	struct diag d;
	enum ledger_change change;
	memset(&row, 0, sizeof row);
	snprintf(row.id, sizeof row.id, "R-%d", k);
	snprintf(row.debtor_document, sizeof row.debtor_document, "52998224725");
	snprintf(row.debtor_name, sizeof row.debtor_name, "Devedor %d", k);
	row.amount_cents = m->face[k];
	row.due_date = date_from_ymd(2026, 11, 10);
	row.bank = 237;
	snprintf(row.nosso_numero, sizeof row.nosso_numero, "%d", 100 + k);
	snprintf(row.nosso_numero_raw, sizeof row.nosso_numero_raw, "%d", 100 + k);
	row.issue_date = row.discount_until = CDATE_NONE;
	row.status = m->status[k];
	set_now(t);
	int rc = ledger_receivable_put(lg, "erp.csv", &row, &change, &d);
	/* The ledger refuses to cancel a receivable money is applied to. */
	bool refused = !created && was != RECEIVABLE_CANCELLED && row.status == RECEIVABLE_CANCELLED &&
		       applied_now(m, k) != 0;
	if (refused) {
		assert_int_equal(rc, -1);
		return;
	}
	if (rc != 0)
		print_error("%s\n", d.msg);
	assert_int_equal(rc, 0);
	m->h.rows[m->h.n++] = (struct change){k, t, BALANCE_ROW_VERSION, 0, m->face[k],
					      as_balance(m->status[k]), false, 0, m->seq++};
}

/* A payment: its event, a run, the outcome and the allocation, written
 * as the matcher writes them (plain SQL: the test does not depend on the
 * matcher's interfaces, only on the tables the proof reads). */
static void pay(struct ledger *lg, struct ledger_model *m, int k, long t, int64_t cents, bool settles)
{
	char sql[900], at[32];
	stamp(t, at, sizeof at);
	m->events++;
	snprintf(sql, sizeof sql,
		 "INSERT INTO event(id, import_id, identity, identity_hash, line, line_end, bank, nosso_numero,"
		 " nosso_numero_raw, occurrence, kind, is_payment, face_cents, paid_cents, net_cents, tariff_cents,"
		 " charges_cents, discount_cents, rebate_cents, iof_cents, other_expenses_cents,"
		 " other_credits_cents) VALUES (%lld, 1, 'e%lld', %lld, 1, 1, 237, '%d', '%d', '06', 'liquidation',"
		 " 1, 0, %lld, %lld, 0, 0, 0, 0, 0, 0, 0);"
		 "INSERT INTO run(id, started_at, actor) VALUES (%lld, '%s', 'tester');",
		 (long long)m->events, (long long)m->events, (long long)m->events, 100 + k, 100 + k,
		 (long long)cents, (long long)cents, (long long)m->events, at);
	exec_sql(lg, sql);
	snprintf(sql, sizeof sql,
		 "INSERT INTO outcome(event_id, run_id, receivable_id, category, paid_cents, expected_cents,"
		 " allocated_cents, excess_cents, settles) SELECT %lld, %lld, id, 'MATCHED_EXACT', %lld, %lld, %lld, 0,"
		 " %d FROM receivable WHERE ext_id = 'R-%d';"
		 "INSERT INTO allocation(event_id, receivable_id, cents, rule, settles, actor, created_at)"
		 " SELECT %lld, id, %lld, 'R1', %d, 'tester', '%s' FROM receivable WHERE ext_id = 'R-%d'",
		 (long long)m->events, (long long)m->events, (long long)cents, (long long)cents, (long long)cents,
		 settles, k, (long long)m->events, (long long)cents, settles, at, k);
	exec_sql(lg, sql);
	int64_t id = sqlite3_last_insert_rowid(lg->db);
	m->h.rows[m->h.n++] = (struct change){k, t, BALANCE_ROW_ALLOCATION, id, cents, BALANCE_OPEN, settles, 0,
					      m->seq++};
	m->allocs[m->nallocs] = id;
	m->alloc_receivable[m->nallocs] = k;
	m->alloc_cents[m->nallocs] = cents;
	m->alloc_undone[m->nallocs++] = false;
}

/* What `concilia undo` writes: cents = -original, reverses = its id. */
static void undo(struct ledger *lg, struct ledger_model *m, int i, long t)
{
	char sql[600], at[32];
	stamp(t, at, sizeof at);
	snprintf(sql, sizeof sql,
		 "INSERT INTO allocation(event_id, receivable_id, cents, rule, settles, reverses, reason, actor,"
		 " created_at) SELECT event_id, receivable_id, -cents, 'undo', 0, id, 'test', 'tester', '%s'"
		 " FROM allocation WHERE id = %lld",
		 at, (long long)m->allocs[i]);
	exec_sql(lg, sql);
	m->h.rows[m->h.n++] = (struct change){m->alloc_receivable[i], t, BALANCE_ROW_ALLOCATION,
					      sqlite3_last_insert_rowid(lg->db), -m->alloc_cents[i], BALANCE_OPEN,
					      false, m->allocs[i], m->seq++};
	m->alloc_undone[i] = true;
}

static void ledger_proof_closes(void **state)
{
	(void)state;
	static struct ledger_model m;
	for (int scenario = 1; scenario <= 60; scenario++) {
		struct ledger *lg;
		struct diag d;
		rng = 0xD1B54A32D192ED03ull * (uint64_t)scenario;
		memset(&m, 0, sizeof m);
		assert_int_equal(ledger_open(":memory:", true, &lg, NULL, &d), 0);
		exec_sql(lg, "INSERT INTO import(id, sha256, filename, format, size, content, imported_at, actor)"
			     " VALUES (1, 'x', 'ret.ret', 'cnab240', 0, x'', '2026-11-01T00:00:00Z', 't')");
		long t = 0;
		int steps = (int)pick(10, 45);
		for (int s = 0; s < steps && m.h.n < MAX_ROWS - 2 && m.nallocs < 199; s++) {
			t += pick(0, 2) == 0 ? 0 : pick(1, 7200);
			int what = (int)pick(0, 99);
			if (m.receivables == 0 || (what < 15 && m.receivables < MAX_RECEIVABLES)) {
				int k = m.receivables++;
				m.face[k] = pick(100, 500000);
				m.status[k] = pick(0, 9) == 0 ? RECEIVABLE_CANCELLED : RECEIVABLE_OPEN;
				put_receivable(lg, &m, k, t, true, m.status[k]);
				continue;
			}
			int k = (int)pick(0, m.receivables - 1);
			if (what < 25) {
				m.face[k] = pick(100, 500000);
				put_receivable(lg, &m, k, t, false, m.status[k]);
			} else if (what < 37) {
				enum receivable_status was = m.status[k];
				m.status[k] = (enum receivable_status)pick(0, 3);
				if (m.status[k] == was)
					continue;
				put_receivable(lg, &m, k, t, false, was);
				if (was != RECEIVABLE_CANCELLED && m.status[k] == RECEIVABLE_CANCELLED &&
				    applied_now(&m, k) != 0)
					m.status[k] = was; /* refused */
			} else if (what < 50 && m.nallocs > 0) {
				int i = (int)pick(0, m.nallocs - 1);
				if (!m.alloc_undone[i])
					undo(lg, &m, i, t);
			} else {
				/* Partial, exact, with discount (settles for less),
				 * with charges (settles for more). */
				int64_t open = m.face[k] - applied_now(&m, k);
				int kind = (int)pick(0, 3);
				int64_t cents = kind == 0 ? pick(1, m.face[k]) : open > 0 ? open : pick(1, 1000);
				if (kind == 2)
					cents = cents > 1 ? cents - pick(1, cents / 2 + 1) : cents;
				if (kind == 3)
					cents += pick(1, 2000);
				if (cents < 0)
					cents = 1;
				pay(lg, &m, k, t, cents, kind != 0);
			}
		}
		qsort(m.h.rows, (size_t)m.h.n, sizeof m.h.rows[0], by_time);
		for (int w = 0; w < 12; w++) {
			long from = w == 0 ? -1 : pick(0, t + 1), until = w == 1 ? -1 : from + pick(0, t + 2);
			char from_s[32], until_s[32];
			stamp(from < 0 ? 0 : from, from_s, sizeof from_s);
			stamp(until < 0 ? 0 : until, until_s, sizeof until_s);
			struct ledger_window win = {from < 0 ? NULL : from_s, until < 0 ? NULL : until_s};
			struct balance_proof p;
			assert_int_equal(ledger_balance_proof(lg, &win, &p, &d), 0);
			long cut_from = from < 0 ? 0 : from, cut_until = until < 0 ? t + 1 : until;
			int64_t opening = from < 0 ? 0 : model_total(&m.h, m.receivables, cut_from);
			int64_t closing = model_total(&m.h, m.receivables, cut_until);
			if (p.opening_cents != opening || p.closing_cents != closing || balance_proof_difference(&p))
				print_error("scenario %d window %d\n", scenario, w);
			assert_int_equal(p.opening_cents, opening);
			assert_int_equal(p.closing_cents, closing);
			assert_int_equal(balance_proof_difference(&p), 0);
			check_signs(&p);
			/* Money lines against the model. */
			int64_t applied = 0, reversed = 0, created = 0;
			for (int i = 0; i < m.h.n; i++) {
				const struct change *c = &m.h.rows[i];
				if (c->t < cut_from || c->t >= cut_until)
					continue;
				if (c->kind == BALANCE_ROW_ALLOCATION && c->reverses)
					reversed -= c->cents;
				else if (c->kind == BALANCE_ROW_ALLOCATION)
					applied += c->cents;
			}
			for (int k = 0; k < m.receivables; k++) {
				const struct change *first = NULL;
				for (int i = 0; i < m.h.n && !first; i++)
					if (m.h.rows[i].receivable == k)
						first = &m.h.rows[i];
				if (first && first->t >= cut_from && first->t < cut_until &&
				    first->status == BALANCE_OPEN)
					created += first->cents;
			}
			assert_int_equal(p.applied_cents, applied);
			assert_int_equal(p.reversed_cents, reversed);
			assert_int_equal(p.new_cents, created);
		}
		/* The totals' open balance is the proof's closing. */
		struct ledger_totals totals;
		struct balance_proof p;
		assert_int_equal(ledger_totals(lg, NULL, &totals, &d), 0);
		assert_int_equal(ledger_balance_proof(lg, NULL, &p, &d), 0);
		assert_int_equal(totals.face_open_cents, p.closing_cents);
		ledger_close(lg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(examples),
		cmocka_unit_test(pure_replay_closes),
		cmocka_unit_test(ledger_proof_closes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
