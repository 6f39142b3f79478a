/* The balance proof of a report period: how the open balance of the
 * receivables moved from the start of the period to its end, line by line,
 * to the centavo (README "Balance proof").
 *
 * Open balance of a receivable at time T (its "principal still open"):
 *   0 when it does not exist yet, when its ERP state is cancelled or
 *   renegotiated, or when an allocation settled it (and no later
 *   compensating allocation reversed that one);
 *   otherwise max(0, face - sum of its allocations), all as of T.
 * Money applied beyond the face (fine, interest) is "charges"; a receivable
 * settled for less than its open face (discount, rebate) moves by the
 * difference on the "discounts" line. Every change of a receivable's open
 * balance in the period is put on exactly one line, so
 *   opening + new + reopened + face changes - principal - discounts
 *   + reversals - cancelled - renegotiated = closing
 * holds by construction of the replay. The ledger also computes opening and
 * closing directly from the state at each end (ledger_open_balance): the
 * proof "closes" when both ways agree.
 *
 * The replay here is pure (no SQL): rows in, sums out. */
#ifndef CONCILIA_BALANCE_PROOF_H
#define CONCILIA_BALANCE_PROOF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct balance_proof {
	int64_t opening_cents;      /* open balance at the start (direct) */
	int64_t new_cents;          /* + receivables created in the period (open face) */
	int64_t reopened_cents;     /* + cancelled/renegotiated ones made open again by the ERP */
	int64_t face_change_cents;  /* +/- face value changed by the ERP while open */
	int64_t principal_cents;    /* - payments applied, up to the open face */
	int64_t discount_cents;     /* - settled for less than the open face */
	int64_t reversal_cents;     /* + compensating allocations (undo) reopening balance */
	int64_t cancelled_cents;    /* - cancelled by the ERP while open */
	int64_t renegotiated_cents; /* - renegotiated by the ERP while open */
	int64_t closing_cents;      /* open balance at the end (direct) */
	/* Information: money movements that do not change the open balance. */
	int64_t applied_cents;      /* all payments applied to receivables (principal + charges) */
	int64_t charges_cents;      /* applied beyond the open face: fine, interest */
	int64_t reversed_cents;     /* money un-applied by compensating allocations */
	/* The same two ends as the replay sees them (must equal the direct ones). */
	int64_t opening_replayed_cents, closing_replayed_cents;
};

/* closing - (opening + every line): 0 when the proof closes. */
int64_t balance_proof_difference(const struct balance_proof *p);

/* ERP state of a receivable as far as the open balance is concerned. */
enum balance_status {
	BALANCE_OPEN = 0,      /* open, disputed: still owed */
	BALANCE_CANCELLED,     /* cancelled (and any state this code does not know) */
	BALANCE_RENEGOTIATED,  /* replaced by new receivables */
};
enum balance_status balance_status_from_erp(const char *erp_status);

enum balance_row_kind { BALANCE_ROW_VERSION = 0, BALANCE_ROW_ALLOCATION = 1 };

/* One change of one receivable: a version of its ERP data, or an
 * allocation. */
struct balance_row {
	int64_t receivable_id;
	bool in_period;            /* false: before the period (counts for the opening) */
	enum balance_row_kind kind;
	int64_t id;                /* allocation id (reversals name it) */
	int64_t cents;             /* version: face value; allocation: cents */
	enum balance_status status;/* version only */
	bool settles;              /* allocation only */
	int64_t reverses;          /* allocation only: id of the allocation it undoes, 0 none */
};

struct balance_replay {
	struct balance_proof *proof;
	bool have;                 /* a receivable is in progress */
	int64_t receivable_id;
	bool exists, period_started;
	int64_t face, applied;
	enum balance_status status;
	long effective_settling;   /* settling allocations not reversed */
	int64_t *settling, *reversed; /* ids, for reversals in either order */
	size_t nsettling, nreversed, cap_settling, cap_reversed;
};

/* Rows must come grouped by receivable, each group in time order, rows
 * before the period first. balance_replay_row returns -1 when out of
 * memory. finish adds the last receivable and frees the replay's memory;
 * the lines and the replayed ends are then in *proof (which init zeroes
 * only in those fields). */
void balance_replay_init(struct balance_replay *rp, struct balance_proof *proof);
int balance_replay_row(struct balance_replay *rp, const struct balance_row *row);
void balance_replay_finish(struct balance_replay *rp);

/* The open balance of the receivable in progress (after the rows so far). */
int64_t balance_replay_open(const struct balance_replay *rp);

#endif
