/* Where the matcher looks receivables up. Two implementations give the
 * same answers: one asks the ledger per lookup (a daily file of a few
 * thousand payments against any number of receivables), the other loads
 * every receivable once into memory (a million payments in one run), so
 * that a run costs one pass instead of a query per rule per payment. */
#ifndef CONCILIA_RECV_SOURCE_H
#define CONCILIA_RECV_SOURCE_H

#include <stdbool.h>
#include <stdint.h>
#include "ledger/ledger.h"
#include "reconcile/expected.h"

struct reconcile_options;

/* What the matcher knows about one receivable. */
struct recv_view {
	int64_t rowid;
	char id[65];               /* the ERP's id */
	char debtor_document[15];
	char nosso_numero[21];     /* normalized */
	char pix_txid[36];
	int bank;
	int64_t amount_cents;      /* face value */
	cdate issue_date;
	enum receivable_status status;
	struct charge_terms terms; /* what expected_on needs */
	const struct calendar *calendar; /* the debtor's state's, NULL = the national one */
	int64_t allocated_cents;   /* net of undone and reversed allocations */
	bool settled;
	char bank_state[24];
};

struct recv_source {
	struct ledger *lg;
	const struct reconcile_options *opt;
	void *cache; /* NULL: ask the ledger */
};

/* The terms and the view of a stored receivable (facts not filled). */
void recv_view_from_row(const struct ledger_receivable *r, const struct reconcile_options *opt,
			struct recv_view *v);

/* Per-lookup source. */
void recv_source_ledger(struct recv_source *s, struct ledger *lg, const struct reconcile_options *opt);
/* In-memory source: every receivable and its facts, loaded now. */
int recv_source_load(struct recv_source *s, struct ledger *lg, const struct reconcile_options *opt,
		     struct diag *d);
void recv_source_free(struct recv_source *s);

/* 1 found, 0 not, -1 error. */
int recv_by_ref(struct recv_source *s, int bank, const char *nosso_numero, struct recv_view *out, struct diag *d);
int recv_by_txid(struct recv_source *s, const char *txid, struct recv_view *out, struct diag *d);
int recv_by_ext_id(struct recv_source *s, const char *id, struct recv_view *out, struct diag *d);
/* The debtor's receivables that can take money (ERP status open or
 * disputed), oldest due first; pattern may be masked with '*'. Returns
 * the total found (may exceed max), -1 on error. */
int recv_of_debtor(struct recv_source *s, const char *pattern, struct recv_view *out, int max, struct diag *d);
/* Tells the source that money was applied (cents > 0) or taken back
 * (cents < 0, which also ends "settled"). */
void recv_applied(struct recv_source *s, int64_t rowid, int64_t cents, bool settles);
/* Tells the source of a new bank-side state (a write-off, a protest...). */
void recv_bank_state(struct recv_source *s, int64_t rowid, const char *state);

#endif
