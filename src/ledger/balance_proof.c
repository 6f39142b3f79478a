/* Replaying a receivable's history into the lines of the balance proof. */
#include "config.h"
#include <stdlib.h>
#include <string.h>

#include "ledger/balance_proof.h"

int64_t balance_proof_difference(const struct balance_proof *p)
{
	int64_t moved = p->new_cents + p->reopened_cents + p->face_change_cents - p->principal_cents -
			p->discount_cents + p->reversal_cents - p->cancelled_cents - p->renegotiated_cents;
	return p->closing_cents - (p->opening_cents + moved);
}

enum balance_status balance_status_from_erp(const char *erp_status)
{
	if (!erp_status)
		return BALANCE_CANCELLED;
	if (strcmp(erp_status, "open") == 0 || strcmp(erp_status, "disputed") == 0)
		return BALANCE_OPEN;
	if (strcmp(erp_status, "renegotiated") == 0)
		return BALANCE_RENEGOTIATED;
	/* cancelled, and a state a newer ERP import may bring: not owed (the
	 * direct computation in the ledger reads it the same way). */
	return BALANCE_CANCELLED;
}

void balance_replay_init(struct balance_replay *rp, struct balance_proof *proof)
{
	memset(rp, 0, sizeof *rp);
	rp->proof = proof;
	proof->new_cents = proof->reopened_cents = proof->face_change_cents = 0;
	proof->principal_cents = proof->discount_cents = proof->reversal_cents = 0;
	proof->cancelled_cents = proof->renegotiated_cents = 0;
	proof->applied_cents = proof->charges_cents = proof->reversed_cents = 0;
	proof->opening_replayed_cents = proof->closing_replayed_cents = 0;
}

int64_t balance_replay_open(const struct balance_replay *rp)
{
	if (!rp->have || !rp->exists || rp->status != BALANCE_OPEN || rp->effective_settling > 0)
		return 0;
	return rp->face > rp->applied ? rp->face - rp->applied : 0;
}

static bool contains(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

static int push(int64_t **ids, size_t *n, size_t *cap, int64_t id)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		int64_t *p = realloc(*ids, ncap * sizeof *p);
		if (!p)
			return -1;
		*ids = p;
		*cap = ncap;
	}
	(*ids)[(*n)++] = id;
	return 0;
}

/* Ends the receivable in progress: its balance at the end, and at the
 * start when no row of it fell in the period. */
static void close_receivable(struct balance_replay *rp)
{
	if (!rp->have)
		return;
	int64_t b = balance_replay_open(rp);
	if (!rp->period_started)
		rp->proof->opening_replayed_cents += b;
	rp->proof->closing_replayed_cents += b;
	rp->have = false;
}

static void start_receivable(struct balance_replay *rp, int64_t receivable_id)
{
	rp->have = true;
	rp->receivable_id = receivable_id;
	rp->exists = rp->period_started = false;
	rp->face = rp->applied = 0;
	rp->status = BALANCE_OPEN;
	rp->effective_settling = 0;
	rp->nsettling = rp->nreversed = 0;
}

/* A new version of the ERP data: which line its effect goes to depends on
 * what changed (creation, state, or the face value). */
static void apply_version(struct balance_replay *rp, const struct balance_row *row, int64_t before,
			  struct balance_proof *lines)
{
	bool existed = rp->exists;
	enum balance_status was = rp->status;
	rp->exists = true;
	rp->face = row->cents;
	rp->status = row->status;
	if (!lines)
		return;
	int64_t delta = balance_replay_open(rp) - before;
	if (!existed)
		lines->new_cents += delta;
	else if (was == BALANCE_OPEN && rp->status == BALANCE_RENEGOTIATED)
		lines->renegotiated_cents -= delta;
	else if (was == BALANCE_OPEN && rp->status != BALANCE_OPEN)
		lines->cancelled_cents -= delta;
	else if (was != BALANCE_OPEN && rp->status == BALANCE_OPEN)
		lines->reopened_cents += delta;
	else
		lines->face_change_cents += delta;
}

static int apply_allocation(struct balance_replay *rp, const struct balance_row *row, int64_t before,
			    struct balance_proof *lines)
{
	rp->applied += row->cents;
	if (row->reverses) {
		/* Undo: the reversed allocation stops settling (if it did), once,
		 * whichever of the two rows comes first. */
		if (!contains(rp->reversed, rp->nreversed, row->reverses)) {
			if (push(&rp->reversed, &rp->nreversed, &rp->cap_reversed, row->reverses))
				return -1;
			if (contains(rp->settling, rp->nsettling, row->reverses))
				rp->effective_settling--;
		}
	} else if (row->settles) {
		if (push(&rp->settling, &rp->nsettling, &rp->cap_settling, row->id))
			return -1;
		if (!contains(rp->reversed, rp->nreversed, row->id))
			rp->effective_settling++;
	}
	if (!lines)
		return 0;
	int64_t delta = balance_replay_open(rp) - before;
	if (row->reverses || row->cents < 0) {
		lines->reversal_cents += delta;
		lines->reversed_cents -= row->cents;
		return 0;
	}
	/* Money in: the balance went down by -delta (>= 0). What paid it is
	 * principal; what the money did not cover but the settlement closed
	 * is a discount; money beyond it is charges. */
	int64_t down = -delta;
	int64_t principal = row->cents < down ? row->cents : down;
	lines->principal_cents += principal;
	lines->discount_cents += down - principal;
	lines->applied_cents += row->cents;
	lines->charges_cents += row->cents - principal;
	return 0;
}

int balance_replay_row(struct balance_replay *rp, const struct balance_row *row)
{
	if (!rp->have || rp->receivable_id != row->receivable_id) {
		close_receivable(rp);
		start_receivable(rp, row->receivable_id);
	}
	int64_t before = balance_replay_open(rp);
	if (row->in_period && !rp->period_started) {
		rp->period_started = true;
		rp->proof->opening_replayed_cents += before;
	}
	struct balance_proof *lines = row->in_period ? rp->proof : NULL;
	if (row->kind == BALANCE_ROW_VERSION) {
		apply_version(rp, row, before, lines);
		return 0;
	}
	return apply_allocation(rp, row, before, lines);
}

void balance_replay_finish(struct balance_replay *rp)
{
	close_receivable(rp);
	free(rp->settling);
	free(rp->reversed);
	rp->settling = rp->reversed = NULL;
	rp->nsettling = rp->nreversed = rp->cap_settling = rp->cap_reversed = 0;
}
