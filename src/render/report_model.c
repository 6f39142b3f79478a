/* Loading the report model from the ledger. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/calendar.h"
#include "core/date.h"
#include "ledger/ledger.h"
#include "render/report.h"

static int dup_field(char **dst, const char *s)
{
	*dst = NULL;
	if (!s)
		return 0;
	*dst = strdup(s);
	return *dst ? 0 : -1;
}

struct load_ctx {
	struct report *r;
	struct diag *d;
};

static struct report_category *category_slot(struct report *r, const char *name)
{
	for (size_t i = 0; i < r->ncategories; i++)
		if (strcmp(r->categories[i].name, name) == 0)
			return &r->categories[i];
	if (r->ncategories == r->cap_categories) {
		size_t cap = r->cap_categories ? r->cap_categories * 2 : OUTCOME_COUNT + 4;
		struct report_category *c = realloc(r->categories, cap * sizeof *c);
		if (!c)
			return NULL;
		r->categories = c;
		r->cap_categories = cap;
	}
	struct report_category *c = &r->categories[r->ncategories++];
	memset(c, 0, sizeof *c);
	c->name = name;
	c->label_pt = "";
	c->needs_human = true;
	return c;
}

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
	struct report_item *ri = &r->items[r->nitems];
	memset(ri, 0, sizeof *ri);
	ri->outcome_id = it->outcome_id;
	ri->category = outcome_from_name(it->category);
	/* The category's rule, the matcher's own flag (a disputed receivable),
	 * or money a person took back with undo: the exception queue's view. */
	ri->needs_human = outcome_needs_human(ri->category) || it->flagged || it->reversed;
	ri->bank = it->bank;
	ri->paid_cents = it->paid_cents;
	ri->expected_cents = it->expected_cents;
	ri->allocated_cents = it->allocated_cents;
	ri->excess_cents = it->excess_cents;
	ri->line = it->line;
	ri->reversed = it->reversed;
	ri->is_payment = it->is_payment;
	ri->has_difference = it->is_payment && it->receivable_id && it->expected_cents > 0 &&
			     it->paid_cents != it->expected_cents;
	ri->difference_cents = ri->has_difference ? it->paid_cents - it->expected_cents : 0;
	r->nitems++; /* counted now so that report_free frees what was copied */
	if (dup_field(&ri->category_name, it->category ? it->category : "UNKNOWN") ||
	    dup_field(&ri->receivable_id, it->receivable_id) || dup_field(&ri->debtor_name, it->debtor_name) ||
	    dup_field(&ri->debtor_document, it->debtor_document) ||
	    dup_field(&ri->nosso_numero, it->nosso_numero) || dup_field(&ri->payment_date, it->payment_date) ||
	    dup_field(&ri->due_date, it->due_date) || dup_field(&ri->filename, it->filename) ||
	    dup_field(&ri->rule, it->rule) || dup_field(&ri->detail, it->detail) ||
	    dup_field(&ri->decided_at, it->decided_at) ||
	    dup_field(&ri->resolution_action, it->resolution_action) ||
	    dup_field(&ri->resolution_reason, it->resolution_reason) ||
	    dup_field(&ri->resolution_actor, it->resolution_actor) ||
	    dup_field(&ri->resolution_at, it->resolution_at))
		return diag_set(lc->d, DIAG_ERROR, NULL, 0, 0, NULL, "out of memory");

	struct report_category *c = ri->category < OUTCOME_COUNT ? &r->categories[ri->category]
							       : category_slot(r, ri->category_name);
	if (!c)
		return diag_set(lc->d, DIAG_ERROR, NULL, 0, 0, NULL, "out of memory");
	c->count++;
	c->cents += it->paid_cents;
	r->total_count++;
	r->total_cents += it->paid_cents;
	if (ri->needs_human)
		r->needs_human++;
	if (report_item_is_exception(ri))
		r->exceptions++;
	return 0;
}

static int load_non_outcomes(struct ledger *lg, struct report *r, const struct ledger_window *w, struct diag *d);

int report_load(struct ledger *lg, const char *ledger_path, const struct report_period *period,
		struct report *r, struct diag *d)
{
	struct load_ctx lc = {r, d};
	memset(r, 0, sizeof *r);
	snprintf(r->ledger_path, sizeof r->ledger_path, "%s", ledger_path);
	r->period = *period;
	const char *now = getenv("CONCILIA_NOW");
	if (now && *now) {
		snprintf(r->generated_at, sizeof r->generated_at, "%s", now);
	} else {
		time_t t = time(NULL);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(r->generated_at, sizeof r->generated_at, "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	/* The known categories first, in their order, zeros included. */
	for (int c = 0; c < OUTCOME_COUNT; c++) {
		struct report_category *cat = category_slot(r, outcome_name((enum outcome_category)c));
		if (!cat) {
			report_free(r);
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL, "out of memory");
		}
		cat->label_pt = outcome_label_pt((enum outcome_category)c);
		cat->needs_human = outcome_needs_human((enum outcome_category)c);
	}
	struct ledger_window w = {period->from[0] ? period->from : NULL, period->until[0] ? period->until : NULL};
	if (ledger_totals(lg, &w, &r->totals, d) || ledger_report_items(lg, &w, add_item, &lc, d) ||
	    ledger_balance_proof(lg, &w, &r->proof, d) || load_non_outcomes(lg, r, &w, d)) {
		report_free(r);
		return -1;
	}
	/* Items were copied; categories first seen in them point at their
	 * names, which live as long as the items. */
	return 0;
}

/* The civil day (Brasília, UTC-3) the report is "as of": the day of the
 * window's last second, or today. */
static cdate as_of_day(const struct report_period *p)
{
	int y, mo, d, h, mi, se;
	if (!p->until[0] || sscanf(p->until, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &se) != 6)
		return date_today();
	long secs = (long)h * 3600 + mi * 60 + se - 1 - 3 * 3600; /* exclusive bound, then UTC-3 */
	cdate day = date_from_ymd(y, mo, d);
	while (secs < 0) {
		secs += 86400;
		day--;
	}
	return day;
}

struct overdue_ctx {
	const struct calendar *cal;
	cdate day;
	struct report_category *cat;
};

/* EXPECTED_NOT_RECEIVED: due before the day, and past the business-day
 * grace too (a slip due on Saturday is not late on Monday). */
static int count_overdue(void *ctx, cdate due, int64_t face)
{
	struct overdue_ctx *oc = ctx;
	if (calendar_next_business_day(oc->cal, due) < oc->day) {
		oc->cat->count++;
		oc->cat->cents += face;
	}
	return 0;
}

/* The two categories that are no event's outcome: events seen again at
 * import, and receivables past due with nothing received. */
static int load_non_outcomes(struct ledger *lg, struct report *r, const struct ledger_window *w, struct diag *d)
{
	struct report_category *dup = category_slot(r, outcome_name(OUTCOME_DUPLICATE_EVENT));
	struct report_category *late = category_slot(r, outcome_name(OUTCOME_EXPECTED_NOT_RECEIVED));
	if (!dup || !late)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL, "out of memory");
	if (ledger_duplicate_events(lg, w, &dup->count, d))
		return -1;
	struct calendar *cal = calendar_new();
	if (!cal)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL, "out of memory");
	struct overdue_ctx oc = {.cal = cal, .day = as_of_day(&r->period), .cat = late};
	char iso[16];
	date_format_iso(oc.day, iso, sizeof iso);
	int rc = ledger_unpaid_due_before(lg, w, iso, count_overdue, &oc, d);
	calendar_free(cal);
	return rc;
}

void report_free(struct report *r)
{
	for (size_t i = 0; i < r->nitems; i++) {
		struct report_item *ri = &r->items[i];
		free(ri->category_name);
		free(ri->receivable_id);
		free(ri->debtor_name);
		free(ri->debtor_document);
		free(ri->nosso_numero);
		free(ri->payment_date);
		free(ri->due_date);
		free(ri->filename);
		free(ri->rule);
		free(ri->detail);
		free(ri->decided_at);
		free(ri->resolution_action);
		free(ri->resolution_reason);
		free(ri->resolution_actor);
		free(ri->resolution_at);
	}
	free(r->items);
	free(r->categories);
	r->items = NULL;
	r->categories = NULL;
	r->nitems = r->cap = r->ncategories = r->cap_categories = 0;
}

void report_proof_lines(const struct balance_proof *p, struct report_proof_line lines[REPORT_PROOF_LINES],
			struct report_proof_line info[REPORT_PROOF_INFO_LINES])
{
	const struct report_proof_line l[REPORT_PROOF_LINES] = {
		{"opening_cents", "Saldo em aberto no início", '=', p->opening_cents},
		{"new_cents", "Títulos novos", '+', p->new_cents},
		{"reopened_cents", "Títulos reabertos pelo ERP", '+', p->reopened_cents},
		{"face_change_cents", "Alterações de valor pelo ERP", '+', p->face_change_cents},
		{"principal_cents", "Recebido (principal)", '-', p->principal_cents},
		{"discount_cents", "Descontos e abatimentos", '-', p->discount_cents},
		{"reversal_cents", "Estornos (pagamentos desfeitos)", '+', p->reversal_cents},
		{"cancelled_cents", "Cancelados pelo ERP", '-', p->cancelled_cents},
		{"renegotiated_cents", "Renegociados", '-', p->renegotiated_cents},
		{"closing_cents", "Saldo em aberto no fim", '=', p->closing_cents},
	};
	const struct report_proof_line n[REPORT_PROOF_INFO_LINES] = {
		{"applied_cents", "Aplicado aos títulos (principal + encargos)", ' ', p->applied_cents},
		{"charges_cents", "Multa e juros recebidos", ' ', p->charges_cents},
		{"reversed_cents", "Valor estornado", ' ', p->reversed_cents},
	};
	memcpy(lines, l, sizeof l);
	memcpy(info, n, sizeof n);
}
