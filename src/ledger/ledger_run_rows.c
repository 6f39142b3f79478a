/* The digest of a reconciliation run, computed while its rows are
 * written: the same canonical text as ledger_run_digest (ledger_verify.c)
 * reads back from the tables, without reading a million rows back at the
 * end of a big run. Each section (outcomes, candidates, allocations, bank
 * states) has its own SHA-256, fed as its rows come, and the run digest
 * joins the four (ledger_run_digest_join): nothing waits in memory for
 * the sections before it. Setting $CONCILIA_CHECK_RUN_DIGEST makes the run
 * compare both digests (the test suite sets it). */
#include "config.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sha256.h"
#include "ledger/ledger_internal.h"

struct text_buf {
	char *p;
	size_t len, cap;
};

/* One section's text, hashed whenever it passes FLUSH_AT. */
struct section {
	struct sha256_ctx *sha;
	struct text_buf text;
};

struct run_rows {
	struct section sec[RUN_SECTIONS];
	bool failed; /* out of memory: the run falls back to reading back */
};

enum { FLUSH_AT = 64 * 1024 };

static bool reserve(struct text_buf *b, size_t more)
{
	if (b->len + more <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->len + more)
		cap *= 2;
	char *n = realloc(b->p, cap);
	if (!n)
		return false;
	b->p = n;
	b->cap = cap;
	return true;
}

/* One field as SQLite's column text shows it, then '|' (or '\n' last). */
static void put_text(struct text_buf *b, const char *s, bool last)
{
	size_t n = s ? strlen(s) : 0;
	memcpy(b->p + b->len, s ? s : "", n);
	b->len += n;
	b->p[b->len++] = last ? '\n' : '|';
}

/* Decimal as SQLite prints an integer ("%lld"), without printf: a big
 * run formats tens of millions of them. */
static void put_int(struct text_buf *b, int64_t v, bool last)
{
	/* Two digits per division: "00" "01" ... "99". */
	static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
				    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
				    "8081828384858687888990919293949596979899";
	char t[24];
	size_t i = sizeof t;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	while (u >= 100) {
		unsigned k = (unsigned)(u % 100) * 2;
		u /= 100;
		t[--i] = pairs[k + 1];
		t[--i] = pairs[k];
	}
	if (u >= 10) {
		t[--i] = pairs[u * 2 + 1];
		t[--i] = pairs[u * 2];
	} else {
		t[--i] = (char)('0' + u);
	}
	if (v < 0)
		t[--i] = '-';
	memcpy(b->p + b->len, t + i, sizeof t - i);
	b->len += sizeof t - i;
	b->p[b->len++] = last ? '\n' : '|';
}

/* NULL in the table (a zero id that is stored as NULL) is empty text. */
static void put_id_or_null(struct text_buf *b, int64_t v, bool last)
{
	if (v)
		put_int(b, v, last);
	else
		put_text(b, NULL, last);
}

static size_t len_of(const char *s)
{
	return s ? strlen(s) : 0;
}

static void run_rows_free(struct run_rows *r)
{
	if (!r)
		return;
	for (int k = 0; k < RUN_SECTIONS; k++) {
		if (r->sec[k].sha)
			sha256_end(r->sec[k].sha, NULL); /* frees the context */
		free(r->sec[k].text.p);
	}
	free(r);
}

void ledger_run_rows_begin(struct ledger *lg)
{
	ledger_run_rows_end(lg);
	struct run_rows *r = calloc(1, sizeof *r);
	for (int k = 0; r && k < RUN_SECTIONS; k++)
		if (!(r->sec[k].sha = sha256_begin())) {
			run_rows_free(r);
			r = NULL;
		}
	lg->run_rows = r; /* NULL: the digest is read back at the end */
}

void ledger_run_rows_end(struct ledger *lg)
{
	run_rows_free(lg->run_rows);
	lg->run_rows = NULL;
}

/* Room for more bytes in section k's text, hashing what it holds when it
 * is full enough; NULL (and the run falls back) when out of memory. */
static struct text_buf *section_text(struct run_rows *r, int k, size_t more)
{
	struct section *s = &r->sec[k];
	if (s->text.len >= FLUSH_AT) {
		if (sha256_update(s->sha, s->text.p, s->text.len) != 0) {
			r->failed = true;
			return NULL;
		}
		s->text.len = 0;
	}
	if (!reserve(&s->text, more)) {
		r->failed = true;
		return NULL;
	}
	return &s->text;
}

void ledger_run_rows_outcome(struct ledger *lg, int64_t id, const struct ledger_outcome *o)
{
	struct run_rows *r = lg->run_rows;
	if (!r || r->failed)
		return;
	struct text_buf *b = section_text(r, RUN_SECTION_OUTCOME,
					  12 * 24 + len_of(o->category) + len_of(o->rule) + len_of(o->detail) + 16);
	if (!b)
		return;
	put_text(b, "o", false);
	put_int(b, id, false);
	put_int(b, o->event_id, false);
	put_id_or_null(b, o->receivable_id, false);
	put_text(b, o->category, false);
	put_text(b, o->rule, false);
	put_int(b, o->paid_cents, false);
	put_int(b, o->expected_cents, false);
	put_int(b, o->allocated_cents, false);
	put_int(b, o->excess_cents, false);
	put_int(b, o->settles, false);
	put_int(b, o->needs_human, false);
	put_text(b, o->detail, true);
}

void ledger_run_rows_candidate(struct ledger *lg, int64_t id, int64_t outcome_id, int64_t receivable_id,
			       const char *rule, int64_t cents)
{
	struct run_rows *r = lg->run_rows;
	if (!r || r->failed)
		return;
	struct text_buf *b = section_text(r, RUN_SECTION_CANDIDATE, 5 * 24 + len_of(rule) + 8);
	if (!b)
		return;
	put_text(b, "c", false);
	put_int(b, id, false);
	put_int(b, outcome_id, false);
	put_int(b, receivable_id, false);
	put_text(b, rule, false);
	put_int(b, cents, true);
}

void ledger_run_rows_allocation(struct ledger *lg, int64_t id, const struct ledger_run_allocation *a)
{
	struct run_rows *r = lg->run_rows;
	if (!r || r->failed)
		return;
	struct text_buf *b = section_text(r, RUN_SECTION_ALLOCATION,
					  8 * 24 + len_of(a->rule) + len_of(a->reason) + len_of(a->actor) +
					      len_of(a->created_at) + len_of(a->rule_set) + 16);
	if (!b)
		return;
	put_text(b, "a", false);
	put_int(b, id, false);
	put_int(b, a->event_id, false);
	put_int(b, a->receivable_id, false);
	put_int(b, a->cents, false);
	put_text(b, a->rule, false);
	put_int(b, a->settles, false);
	put_id_or_null(b, a->reverses, false);
	put_text(b, a->reason, false);
	put_text(b, a->actor, false);
	put_text(b, a->created_at, false);
	put_text(b, a->rule_set, true);
}

void ledger_run_rows_state(struct ledger *lg, int64_t id, int64_t receivable_id, const char *state, int64_t event_id)
{
	struct run_rows *r = lg->run_rows;
	if (!r || r->failed)
		return;
	struct text_buf *b = section_text(r, RUN_SECTION_STATE, 4 * 24 + len_of(state) + 8);
	if (!b)
		return;
	put_text(b, "s", false);
	put_int(b, id, false);
	put_int(b, receivable_id, false);
	put_text(b, state, false);
	put_int(b, event_id, true);
}

int ledger_run_rows_digest(struct ledger *lg, int64_t run_id, char *hex, struct diag *d)
{
	struct run_rows *r = lg->run_rows;
	if (!r || r->failed) {
		ledger_run_rows_end(lg);
		return ledger_run_digest(lg, run_id, hex, d);
	}
	struct sha256_ctx *sec[RUN_SECTIONS];
	int bad = 0;
	for (int k = 0; k < RUN_SECTIONS; k++) {
		bad |= sha256_update(r->sec[k].sha, r->sec[k].text.p, r->sec[k].text.len) != 0;
		sec[k] = r->sec[k].sha;
		r->sec[k].sha = NULL;
	}
	bad |= ledger_run_digest_join(sec, hex) != 0;
	ledger_run_rows_end(lg);
	if (bad)
		return diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL, "SHA-256 failed");
	if (getenv("CONCILIA_CHECK_RUN_DIGEST")) {
		char back[SHA256_HEX_LEN + 1];
		if (ledger_run_digest(lg, run_id, back, d))
			return -1;
		if (strcmp(back, hex) != 0)
			return diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL,
					"run %" PRId64 ": digest while writing %s, read back %s", run_id, hex, back);
	}
	return 0;
}
