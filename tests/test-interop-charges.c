/* Interop: the charges banks report in the liquidations of
 * ../shared/interop/cnab, read through the CNAB 240 and CNAB 400 readers
 * (every file their interop tables say reads `ok`), against
 * tests/data/interop-charges.tsv: every liquidation must add up
 * (face - discount - rebate + charges == paid) unless the table says why
 * not, and the rows with terms compare the bank's charges with
 * expected_on (BANK_CHARGES_DIFFER). Prints, per bank, how many add up and
 * lists the ones that do not. Skipped when the interop folder is absent. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codec/cnab240.h"
#include "codec/cnab400.h"
#include "core/money.h"
#include "interop-table.h"
#include "reconcile/charges_check.h"

#define MAX_ROWS 128

struct row {
	char path[256];
	long line;
	char expect[16];
	char terms[256];
	char detail[256];
	char note[512];
	int tsv_line;
	int seen;
};

static struct row rows[MAX_ROWS];
static int nrows;
static char tsv[1024];
static int failures;

/* Per bank: liquidations that add up, do not, or cannot be checked. */
static struct {
	long consistent, inconsistent, unchecked;
} per_bank[1000];

static void copy(char *dst, size_t cap, const char *src, int lineno)
{
	size_t n = strlen(src);
	if (n >= cap)
		fail_msg("%s:%d: a column is longer than %zu bytes", tsv, lineno, cap - 1);
	memcpy(dst, src, n + 1);
}

static void load(void)
{
	const char *src = getenv("top_srcdir");
	static const char suffix[] = "/../shared/interop";
	size_t len = strlen(SHARED_INTEROP_DIR);
	if (src)
		snprintf(tsv, sizeof tsv, "%s/tests/data/interop-charges.tsv", src);
	else if (len > strlen(suffix))
		snprintf(tsv, sizeof tsv, "%.*s/tests/data/interop-charges.tsv", (int)(len - strlen(suffix)),
		         SHARED_INTEROP_DIR);
	FILE *fp = fopen(tsv, "r");
	char line[2048];
	int lineno = 0;
	if (fp == NULL)
		fail_msg("cannot open %s", tsv);
	nrows = 0;
	while (fgets(line, sizeof line, fp)) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		char *col[6] = {line};
		int n = 1;
		for (char *p = line; n < 6 && (p = strchr(p, '\t')) != NULL; n++) {
			*p++ = '\0';
			col[n] = p;
		}
		if (n < 5)
			fail_msg("%s:%d: expected PATH, LINE, EXPECT, TERMS, DETAIL [, NOTE]", tsv, lineno);
		if (nrows == MAX_ROWS)
			fail_msg("%s: more than %d rows", tsv, MAX_ROWS);
		struct row *r = &rows[nrows++];
		memset(r, 0, sizeof *r);
		copy(r->path, sizeof r->path, col[0], lineno);
		r->line = atol(col[1]);
		copy(r->expect, sizeof r->expect, col[2], lineno);
		copy(r->terms, sizeof r->terms, col[3], lineno);
		copy(r->detail, sizeof r->detail, col[4], lineno);
		copy(r->note, sizeof r->note, n > 5 ? col[5] : "", lineno);
		r->tsv_line = lineno;
		if (strcmp(r->expect, "inconsistent") && strcmp(r->expect, "unchecked") &&
		    strcmp(r->expect, "agree") && strcmp(r->expect, "differ"))
			fail_msg("%s:%d: EXPECT must be inconsistent, unchecked, agree or differ", tsv,
			         lineno);
	}
	fclose(fp);
}

static struct row *find(const char *rel, long line)
{
	for (int i = 0; i < nrows; i++)
		if (rows[i].line == line && strcmp(rows[i].path, rel) == 0)
			return &rows[i];
	return NULL;
}

/* "fine=2% interest=0.01/day discount=6.00@due" -> terms (due date from the
 * bank's record). Returns 0, or -1 with why set. */
static int parse_terms(const char *text, cdate due, struct charge_terms *t, const char **why)
{
	char buf[256], *save = NULL;
	int tiers = 0;

	memset(t, 0, sizeof *t);
	snprintf(buf, sizeof buf, "%s", text);
	for (char *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (strcmp(tok, "-") == 0)
			continue;
		char *val = strchr(tok, '=');
		if (val == NULL)
			return *why = "expected KEY=VALUE", -1;
		*val++ = '\0';
		char *pct = strchr(val, '%');
		char *tail = strpbrk(val, "/@");
		char *num_end = pct ? pct : tail ? tail : val + strlen(val);
		int64_t v;
		const char *w = NULL;
		if ((pct ? percent_parse(val, (size_t)(num_end - val), &v, &w)
		         : money_parse_decimal(val, (size_t)(num_end - val), &v, &w)) != 0)
			return *why = "bad number", -1;
		if (strcmp(tok, "fine") == 0) {
			*(pct ? &t->fine_e4 : &t->fine_cents) = v;
		} else if (strcmp(tok, "rebate") == 0 && !pct) {
			t->rebate_cents = v;
		} else if (strcmp(tok, "interest") == 0 && tail && strcmp(tail, "/month") == 0 && pct) {
			t->interest_month_e4 = v;
		} else if (strcmp(tok, "interest") == 0 && tail && strcmp(tail, "/day") == 0 && !pct) {
			t->interest_day_cents = v;
		} else if (strcmp(tok, "discount") == 0 && tail && *tail == '@' &&
		           tiers < CHARGE_DISCOUNT_TIERS) {
			struct discount_tier *d = &t->discounts[tiers++];
			*(pct ? &d->e4 : &d->cents) = v;
			if (strcmp(tail, "@due") == 0)
				d->until = due;
			else if (date_parse_iso(tail + 1, strlen(tail + 1), &d->until) != 0)
				return *why = "bad discount date", -1;
		} else {
			return *why = "unknown term", -1;
		}
	}
	return 0;
}

static void on_event(void *ctx, const char *rel, const struct bank_event *ev)
{
	char why[800] = "";
	struct charges_check c;
	(void)ctx;
	if (!event_kind_is_payment(ev->kind))
		return;
	charges_check_arithmetic(ev, &c);
	if (ev->bank >= 0 && ev->bank < 1000) {
		if (c.arithmetic == BANK_ARITHMETIC_CONSISTENT)
			per_bank[ev->bank].consistent++;
		else if (c.arithmetic == BANK_ARITHMETIC_INCONSISTENT)
			per_bank[ev->bank].inconsistent++;
		else
			per_bank[ev->bank].unchecked++;
	}
	struct row *r = find(rel, ev->line);
	if (r == NULL) {
		if (c.arithmetic != BANK_ARITHMETIC_CONSISTENT) {
			print_error("%s:%ld: not in %s: %s\n", rel, ev->line, tsv, c.detail);
			failures++;
		}
		return;
	}
	r->seen = 1;
	const char *got = c.arithmetic == BANK_ARITHMETIC_INCONSISTENT ? "inconsistent"
	                  : c.arithmetic == BANK_ARITHMETIC_UNCHECKED  ? "unchecked"
	                                                               : "consistent";
	if (strcmp(r->expect, "agree") == 0 || strcmp(r->expect, "differ") == 0) {
		struct charge_terms t;
		struct expected_amount exp;
		const char *bad = NULL;
		cdate paid_on = ev->occurrence_date != CDATE_NONE ? ev->occurrence_date : ev->credit_date;
		if (parse_terms(r->terms, ev->due_date, &t, &bad) != 0)
			fail_msg("%s:%d: terms \"%s\": %s", tsv, r->tsv_line, r->terms, bad);
		t.face_cents = ev->face_cents;
		t.due_date = ev->due_date;
		if (expected_on(&t, paid_on, NULL, &exp) != 0) {
			snprintf(why, sizeof why, "expected_on refused the terms");
		} else {
			charges_check(ev, &exp, 0, &c);
			got = !c.compared ? got : c.differs ? "differ" : "agree";
		}
	}
	if (!why[0] && strcmp(got, r->expect) != 0)
		snprintf(why, sizeof why, "%s, table says %s: %s", got, r->expect, c.detail);
	else if (!why[0] && strstr(c.detail, r->detail) == NULL)
		snprintf(why, sizeof why, "detail \"%s\" lacks \"%s\"", c.detail, r->detail);
	if (why[0]) {
		print_error("%s:%d: %s:%ld: %s\n", tsv, r->tsv_line, rel, ev->line, why);
		failures++;
		return;
	}
	print_message("%s:%ld: %s: %s%s%s\n", rel, ev->line, r->expect, c.detail, r->note[0] ? " -- " : "",
	              r->note);
}

static void test_interop_charges(void **state)
{
	static const char *const covered240[] = {"cnab240", NULL};
	static const char *const covered400[] = {"cnab400", NULL};
	static const struct interop_table t240 = {"tests/data/interop-cnab240.tsv", covered240,
	                                          cnab240_parse};
	static const struct interop_table t400 = {"tests/data/interop-cnab400.tsv", covered400,
	                                          cnab400_parse};
	(void)state;

	load();
	failures = 0;
	memset(per_bank, 0, sizeof per_bank);
	interop_table_each_event(&t240, on_event, NULL);
	interop_table_each_event(&t400, on_event, NULL);
	print_message("liquidations per bank: add up / do not / cannot be checked\n");
	for (int b = 0; b < 1000; b++)
		if (per_bank[b].consistent + per_bank[b].inconsistent + per_bank[b].unchecked)
			print_message("  %03d %4ld %4ld %4ld\n", b, per_bank[b].consistent,
			              per_bank[b].inconsistent, per_bank[b].unchecked);
	for (int i = 0; i < nrows; i++)
		if (!rows[i].seen) {
			print_error("%s:%d: %s:%ld: no liquidation there\n", tsv, rows[i].tsv_line,
			            rows[i].path, rows[i].line);
			failures++;
		}
	if (failures)
		fail_msg("%d liquidation(s) disagree with %s", failures, tsv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_interop_charges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
