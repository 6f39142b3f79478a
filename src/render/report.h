/* Reconciliation report: a model read from the ledger once, and writers
 * that only format it (text for people, JSON and CSV for machines). */
#ifndef CONCILIA_REPORT_H
#define CONCILIA_REPORT_H

#include <stdint.h>
#include <stdio.h>
#include "ledger/ledger.h"
#include "reconcile/outcome.h"

struct report_item {
	enum outcome_category category;
	char *receivable_id;   /* NULL when none */
	char *debtor_name;
	char *debtor_document;
	char *nosso_numero;
	int bank;
	int64_t paid_cents, expected_cents, allocated_cents, excess_cents;
	char *payment_date;
	char *due_date;
	char *filename;
	long line;
	char *rule;
	char *detail;
};

struct report {
	char ledger_path[512];
	char generated_at[32];
	long count[OUTCOME_COUNT];
	int64_t cents[OUTCOME_COUNT];
	long total_count;
	int64_t total_cents;
	long needs_human;
	struct ledger_totals totals;
	struct report_item *items;
	size_t nitems, cap;
};

/* Reads every outcome. Free with report_free. */
int report_load(struct ledger *lg, const char *ledger_path, struct report *r, struct diag *d);
void report_free(struct report *r);

int report_write_text(const struct report *r, FILE *fp);
int report_write_json(const struct report *r, FILE *fp);
int report_write_csv(const struct report *r, FILE *fp);

#endif
