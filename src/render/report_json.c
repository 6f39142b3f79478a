/* The JSON report: a stable schema for machines (documented in README). */
#include "config.h"
#include <jansson.h>
#include <stdio.h>

#include "render/report.h"

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

int report_write_json(const struct report *r, FILE *fp)
{
	json_t *root = json_object();
	json_t *summary = json_object();
	json_t *items = json_array();
	char source[700];

	json_object_set_new(root, "schema", json_integer(1));
	json_object_set_new(root, "ledger", json_string(r->ledger_path));
	json_object_set_new(root, "generated_at", json_string(r->generated_at));
	for (int c = 0; c < OUTCOME_COUNT; c++)
		json_object_set_new(summary, outcome_name((enum outcome_category)c),
				    json_pack("{s:I,s:I}", "count", (json_int_t)r->count[c], "cents",
					      (json_int_t)r->cents[c]));
	json_object_set_new(root, "summary", summary);
	json_object_set_new(root, "needs_attention", json_integer(r->needs_human));
	json_object_set_new(
		root, "totals",
		json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "receivables", (json_int_t)r->totals.receivables,
			  "receivables_open", (json_int_t)r->totals.receivables_open, "receivables_settled",
			  (json_int_t)r->totals.receivables_settled, "receivables_cancelled",
			  (json_int_t)r->totals.receivables_cancelled, "open_cents",
			  (json_int_t)r->totals.face_open_cents, "imports", (json_int_t)r->totals.imports, "events",
			  (json_int_t)r->totals.events, "payment_events", (json_int_t)r->totals.payment_events,
			  "pending_events", (json_int_t)r->totals.pending_events, "held_imports",
			  (json_int_t)r->totals.held_imports, "tariff_cents", (json_int_t)r->totals.tariff_cents));
	for (size_t i = 0; i < r->nitems; i++) {
		const struct report_item *it = &r->items[i];
		json_t *o = json_object();
		snprintf(source, sizeof source, "%s:%ld", it->filename ? it->filename : "", it->line);
		json_object_set_new(o, "category", json_string(outcome_name(it->category)));
		json_object_set_new(o, "needs_attention", json_boolean(outcome_needs_human(it->category)));
		json_object_set_new(o, "receivable_id", str_or_null(it->receivable_id));
		json_object_set_new(o, "nosso_numero", str_or_null(it->nosso_numero));
		json_object_set_new(o, "bank", json_integer(it->bank));
		json_object_set_new(o, "paid_cents", json_integer(it->paid_cents));
		json_object_set_new(o, "expected_cents", it->receivable_id ? json_integer(it->expected_cents)
									   : json_null());
		json_object_set_new(o, "allocated_cents", json_integer(it->allocated_cents));
		json_object_set_new(o, "excess_cents", json_integer(it->excess_cents));
		json_object_set_new(o, "payment_date", str_or_null(it->payment_date));
		json_object_set_new(o, "due_date", str_or_null(it->due_date));
		json_object_set_new(o, "debtor_name", str_or_null(it->debtor_name));
		json_object_set_new(o, "debtor_document", str_or_null(it->debtor_document));
		json_object_set_new(o, "source", json_string(source));
		json_object_set_new(o, "rule", str_or_null(it->rule));
		json_object_set_new(o, "detail", str_or_null(it->detail));
		json_array_append_new(items, o);
	}
	json_object_set_new(root, "items", items);
	int rc = json_dumpf(root, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (rc == 0)
		fputc('\n', fp);
	return rc == 0 && !ferror(fp) ? 0 : -1;
}
