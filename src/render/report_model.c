/* Loading the report model from the ledger. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ledger/ledger.h"
#include "render/report.h"

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

struct load_ctx {
	struct report *r;
	struct diag *d;
};

static int add_item(void *ctx, const struct ledger_report_item *it)
{
	struct load_ctx *lc = ctx;
	struct report *r = lc->r;
	if (r->nitems == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct report_item *items = realloc(r->items, cap * sizeof *items);
		if (!items)
			return diag_set(lc->d, DIAG_ERROR, NULL, 0, 0, NULL, "out of memory");
		r->items = items;
		r->cap = cap;
	}
	struct report_item *ri = &r->items[r->nitems++];
	memset(ri, 0, sizeof *ri);
	ri->category = outcome_from_name(it->category);
	ri->receivable_id = dup_or_null(it->receivable_id);
	ri->debtor_name = dup_or_null(it->debtor_name);
	ri->debtor_document = dup_or_null(it->debtor_document);
	ri->nosso_numero = dup_or_null(it->nosso_numero);
	ri->bank = it->bank;
	ri->paid_cents = it->paid_cents;
	ri->expected_cents = it->expected_cents;
	ri->allocated_cents = it->allocated_cents;
	ri->excess_cents = it->excess_cents;
	ri->payment_date = dup_or_null(it->payment_date);
	ri->due_date = dup_or_null(it->due_date);
	ri->filename = dup_or_null(it->filename);
	ri->line = it->line;
	ri->rule = dup_or_null(it->rule);
	ri->detail = dup_or_null(it->detail);
	if (ri->category < OUTCOME_COUNT) {
		r->count[ri->category]++;
		r->cents[ri->category] += it->paid_cents;
	}
	r->total_count++;
	r->total_cents += it->paid_cents;
	if (outcome_needs_human(ri->category))
		r->needs_human++;
	return 0;
}

int report_load(struct ledger *lg, const char *ledger_path, struct report *r, struct diag *d)
{
	struct load_ctx lc = {r, d};
	memset(r, 0, sizeof *r);
	snprintf(r->ledger_path, sizeof r->ledger_path, "%s", ledger_path);
	const char *now = getenv("CONCILIA_NOW");
	if (now && *now) {
		snprintf(r->generated_at, sizeof r->generated_at, "%s", now);
	} else {
		time_t t = time(NULL);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(r->generated_at, sizeof r->generated_at, "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	if (ledger_totals(lg, &r->totals, d) || ledger_report_items(lg, add_item, &lc, d)) {
		report_free(r);
		return -1;
	}
	return 0;
}

void report_free(struct report *r)
{
	for (size_t i = 0; i < r->nitems; i++) {
		struct report_item *ri = &r->items[i];
		free(ri->receivable_id);
		free(ri->debtor_name);
		free(ri->debtor_document);
		free(ri->nosso_numero);
		free(ri->payment_date);
		free(ri->due_date);
		free(ri->filename);
		free(ri->rule);
		free(ri->detail);
	}
	free(r->items);
	r->items = NULL;
	r->nitems = r->cap = 0;
}
