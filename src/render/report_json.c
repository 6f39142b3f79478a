/* The JSON report: a stable schema for machines, documented field by field
 * in README ("JSON report"). Fields are only ever added within a schema
 * version; a change of meaning bumps "schema". */
#include "config.h"
#include <jansson.h>
#include <stdio.h>

#include "render/report.h"

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *bound_or_null(const char *s)
{
	return s[0] ? json_string(s) : json_null();
}

static json_t *totals_json(const struct ledger_totals *t)
{
	json_t *o = json_object();
	json_object_set_new(o, "receivables", json_integer(t->receivables));
	json_object_set_new(o, "receivables_open", json_integer(t->receivables_open));
	json_object_set_new(o, "receivables_settled", json_integer(t->receivables_settled));
	json_object_set_new(o, "receivables_cancelled", json_integer(t->receivables_cancelled));
	json_object_set_new(o, "open_cents", json_integer(t->face_open_cents));
	json_object_set_new(o, "imports", json_integer(t->imports));
	json_object_set_new(o, "events", json_integer(t->events));
	json_object_set_new(o, "payment_events", json_integer(t->payment_events));
	json_object_set_new(o, "pending_events", json_integer(t->pending_events));
	json_object_set_new(o, "held_imports", json_integer(t->held_imports));
	json_object_set_new(o, "tariff_cents", json_integer(t->tariff_cents));
	json_object_set_new(o, "receivables_disputed", json_integer(t->receivables_disputed));
	json_object_set_new(o, "receivables_renegotiated", json_integer(t->receivables_renegotiated));
	return o;
}

static json_t *item_json(const struct report_item *it)
{
	char source[700];
	json_t *o = json_object();
	snprintf(source, sizeof source, "%s:%ld", it->filename ? it->filename : "", it->line);
	json_object_set_new(o, "category", json_string(it->category_name));
	json_object_set_new(o, "needs_attention", json_boolean(it->needs_human));
	json_object_set_new(o, "receivable_id", str_or_null(it->receivable_id));
	json_object_set_new(o, "nosso_numero", str_or_null(it->nosso_numero));
	json_object_set_new(o, "bank", json_integer(it->bank));
	json_object_set_new(o, "paid_cents", json_integer(it->paid_cents));
	json_object_set_new(o, "expected_cents", it->receivable_id ? json_integer(it->expected_cents) : json_null());
	json_object_set_new(o, "allocated_cents", json_integer(it->allocated_cents));
	json_object_set_new(o, "excess_cents", json_integer(it->excess_cents));
	json_object_set_new(o, "payment_date", str_or_null(it->payment_date));
	json_object_set_new(o, "due_date", str_or_null(it->due_date));
	json_object_set_new(o, "debtor_name", str_or_null(it->debtor_name));
	json_object_set_new(o, "debtor_document", str_or_null(it->debtor_document));
	json_object_set_new(o, "source", json_string(source));
	json_object_set_new(o, "rule", str_or_null(it->rule));
	json_object_set_new(o, "detail", str_or_null(it->detail));
	json_object_set_new(o, "outcome_id", json_integer(it->outcome_id));
	json_object_set_new(o, "decided_at", str_or_null(it->decided_at));
	json_object_set_new(o, "reversed", json_boolean(it->reversed));
	json_object_set_new(o, "resolution",
			    it->resolution_action
				    ? json_pack("{s:s,s:o,s:o,s:o}", "action", it->resolution_action, "reason",
						str_or_null(it->resolution_reason), "actor",
						str_or_null(it->resolution_actor), "at", str_or_null(it->resolution_at))
				    : json_null());
	return o;
}

static json_t *proof_json(const struct balance_proof *p)
{
	struct report_proof_line lines[REPORT_PROOF_LINES], info[REPORT_PROOF_INFO_LINES];
	json_t *o = json_object();
	report_proof_lines(p, lines, info);
	for (int i = 0; i < REPORT_PROOF_LINES; i++)
		json_object_set_new(o, lines[i].key, json_integer(lines[i].cents));
	for (int i = 0; i < REPORT_PROOF_INFO_LINES; i++)
		json_object_set_new(o, info[i].key, json_integer(info[i].cents));
	int64_t diff = balance_proof_difference(p);
	json_object_set_new(o, "difference_cents", json_integer(diff));
	json_object_set_new(o, "closes", json_boolean(diff == 0));
	return o;
}

int report_write_json(const struct report *r, FILE *fp)
{
	json_t *root = json_object();
	json_t *summary = json_object();
	json_t *items = json_array();

	json_object_set_new(root, "schema", json_integer(1));
	json_object_set_new(root, "ledger", json_string(r->ledger_path));
	json_object_set_new(root, "generated_at", json_string(r->generated_at));
	json_object_set_new(root, "period",
			    json_pack("{s:o,s:o}", "from", bound_or_null(r->period.from), "until",
				      bound_or_null(r->period.until)));
	for (size_t c = 0; c < r->ncategories; c++) {
		const struct report_category *cat = &r->categories[c];
		json_object_set_new(summary, cat->name,
				    json_pack("{s:I,s:I,s:b}", "count", (json_int_t)cat->count, "cents",
					      (json_int_t)cat->cents, "needs_attention", cat->needs_human));
	}
	json_object_set_new(root, "summary", summary);
	json_object_set_new(root, "needs_attention", json_integer(r->needs_human));
	json_object_set_new(root, "exceptions", json_integer(r->exceptions));
	json_object_set_new(root, "totals", totals_json(&r->totals));
	for (size_t i = 0; i < r->nitems; i++)
		json_array_append_new(items, item_json(&r->items[i]));
	json_object_set_new(root, "items", items);
	json_object_set_new(root, "proof", proof_json(&r->proof));
	int rc = json_dumpf(root, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (rc == 0)
		fputc('\n', fp);
	return rc == 0 && !ferror(fp) ? 0 : -1;
}
