/* Reconciliation report: a model read from the ledger once, and writers
 * that only format it (text and HTML for people, XLSX and CSV for
 * spreadsheets, JSON and CSV for machines). No writer computes an amount:
 * every figure, the balance proof included, comes from the model. */
#ifndef CONCILIA_REPORT_H
#define CONCILIA_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "ledger/balance_proof.h"
#include "ledger/ledger.h"
#include "reconcile/outcome.h"

struct report_item {
	int64_t outcome_id;
	enum outcome_category category; /* OUTCOME_COUNT when this build does not know the name */
	char *category_name;            /* as the ledger has it */
	char *receivable_id;            /* NULL when none */
	char *debtor_name;
	char *debtor_document;
	char *nosso_numero;
	int bank;
	int64_t paid_cents, expected_cents, allocated_cents, excess_cents;
	bool is_payment;                /* money from a payer (not a tariff, a rejection...) */
	/* paid - expected for a payment to a receivable that was due, when
	 * they differ (under- or overpayment); has_difference false otherwise. */
	bool has_difference;
	int64_t difference_cents;
	char *payment_date;
	char *due_date;
	char *filename;
	long line;
	char *rule;
	char *detail;
	char *decided_at;               /* when the reconciliation run decided it */
	bool needs_human;               /* outcome_needs_human of the category */
	bool reversed;                  /* its allocation was undone */
	/* The latest resolution of the exception (NULL: unresolved). */
	char *resolution_action, *resolution_reason, *resolution_actor, *resolution_at;
};

/* An exception: an outcome that needs a person and nobody resolved yet. */
static inline bool report_item_is_exception(const struct report_item *it)
{
	return it->needs_human && !it->resolution_action;
}

/* Totals per category: every category of outcome.h in its order (zeros
 * included), then any name found in the ledger that this build does not
 * know (a newer matcher wrote it), in order of appearance. */
struct report_category {
	const char *name;      /* points into outcome.h's table or into an item */
	const char *label_pt;  /* "" when unknown */
	bool needs_human;
	long count;
	int64_t cents;         /* sum paid (for FEE_ONLY: the tariff) */
};

/* The report's period, parsed from --from and --as-of. */
struct report_period {
	char from[32];        /* window bound (UTC, inclusive); "" = the beginning */
	char until[32];       /* window bound (UTC, exclusive); "" = everything so far */
	char from_pt[80];     /* "desde o início", "de 01/11/2026 00:00:00 (Brasília)" */
	char until_pt[80];    /* "até agora", "até 24/11/2026 23:59:59 (Brasília)" */
};

/* Parses --from and --as-of (either may be NULL): a date (YYYY-MM-DD or
 * DD/MM/YYYY, a civil day in Brasília time, UTC-3: --from is its start,
 * --as-of its end) or a UTC instant YYYY-MM-DDTHH:MM:SSZ (--as-of
 * includes that second). Refuses (-1, d set) bad text and an --as-of
 * before --from. */
int report_period_parse(const char *from, const char *as_of, struct report_period *p, struct diag *d);

struct report {
	char ledger_path[512];
	char generated_at[32];
	struct report_period period;
	struct report_category *categories;
	size_t ncategories, cap_categories;
	long total_count;
	int64_t total_cents;
	long needs_human;     /* outcomes whose category needs a person */
	long exceptions;      /* ...of which nobody resolved yet */
	struct ledger_totals totals;
	struct balance_proof proof;
	struct report_item *items;
	size_t nitems, cap;
};

/* Reads the outcomes of the period, the totals and the balance proof.
 * Free with report_free. */
int report_load(struct ledger *lg, const char *ledger_path, const struct report_period *period,
		struct report *r, struct diag *d);
void report_free(struct report *r);

/* The lines of the balance proof in the order every writer prints them. */
enum { REPORT_PROOF_LINES = 10, REPORT_PROOF_INFO_LINES = 3 };
struct report_proof_line {
	const char *key;      /* JSON name: "opening_cents" */
	const char *label_pt; /* "Saldo em aberto no início" */
	char sign;            /* '=' for the two ends, '+' or '-' for a movement */
	int64_t cents;        /* as it moves the balance with that sign (>= 0 but for face changes) */
};
void report_proof_lines(const struct balance_proof *p, struct report_proof_line lines[REPORT_PROOF_LINES],
			struct report_proof_line info[REPORT_PROOF_INFO_LINES]);

enum report_csv_dialect {
	REPORT_CSV_RFC4180,  /* ',' and '.', LF, no BOM: for programs */
	REPORT_CSV_EXCEL_BR, /* ';' and ',', CRLF, UTF-8 BOM, Portuguese headers: Excel in pt-BR */
};

int report_write_text(const struct report *r, FILE *fp);
int report_write_json(const struct report *r, FILE *fp);
int report_write_csv(const struct report *r, enum report_csv_dialect dialect, FILE *fp);
int report_write_html(const struct report *r, FILE *fp);
/* XLSX is a zip built through a temporary file ($TMPDIR, else /tmp), then
 * copied to fp. */
int report_write_xlsx(const struct report *r, FILE *fp);

#endif
