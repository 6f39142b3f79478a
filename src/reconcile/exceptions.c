/* Undo and resolution: the checks that keep a human's correction from
 * creating money (applying more than arrived, undoing twice) live here;
 * the rows are written by the ledger. */
#include "config.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/money.h"
#include "reconcile/exceptions.h"
#include "reconcile/match.h"

static enum human_refusal refuse(struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static enum human_refusal refuse(struct diag *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof d->msg, fmt, ap);
	va_end(ap);
	d->severity = DIAG_ERROR;
	return HUMAN_REFUSED;
}

static enum human_refusal failed(struct ledger *lg)
{
	ledger_rollback(lg);
	return HUMAN_ERROR;
}

enum human_refusal exceptions_undo(struct ledger *lg, int64_t id, const char *reason, int64_t *cents,
				   struct diag *d)
{
	struct ledger_allocation a;
	char ids[32], subject[40], detail[700], amount[32];
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	*cents = 0;
	if (!reason || !reason[0])
		return refuse(d, "undo needs --reason: say why allocation %s is wrong%s", ids, "");
	if (ledger_begin(lg, d))
		return HUMAN_ERROR;
	int found = ledger_allocation_get(lg, id, &a, d);
	if (found < 0)
		return failed(lg);
	if (!found) {
		ledger_rollback(lg);
		return refuse(d, "no allocation %s in this ledger%s", ids, "");
	}
	if (a.reverses) {
		char of[32];
		snprintf(of, sizeof of, "%lld", (long long)a.reverses);
		ledger_rollback(lg);
		return refuse(d, "allocation %s is itself a correction of allocation %s: undo cannot undo an undo", ids,
			      of);
	}
	if (a.remaining <= 0) {
		ledger_rollback(lg);
		return refuse(d, "allocation %s was already undone or reversed%s", ids, "");
	}
	int64_t row;
	money_format(a.remaining, amount, sizeof amount);
	snprintf(subject, sizeof subject, "allocation %lld", (long long)id);
	snprintf(detail, sizeof detail, "took back %s from receivable #%lld: %s", amount, (long long)a.receivable_id,
		 reason);
	if (ledger_allocation_add(lg, a.event_id, a.receivable_id, -a.remaining, "undo", false, a.id, reason, 0, &row,
				  d) ||
	    ledger_journal(lg, "allocation.undo", subject, detail, d) || ledger_commit(lg, d))
		return failed(lg);
	*cents = a.remaining;
	return HUMAN_OK;
}

static const char *const action_names[] = {"apply", "accept", "refund", "dismiss"};

int resolve_action_from_name(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (name && strcmp(name, action_names[i]) == 0)
			return i;
	return -1;
}

const char *resolve_action_name(enum resolve_action a)
{
	return (unsigned)a < 4 ? action_names[a] : "?";
}

/* Applies cents of the event to r; settles when that covers what is due
 * on the payment date. */
static int apply_to(struct ledger *lg, const struct reconcile_options *opt, const struct ledger_exception *x,
		    const struct ledger_receivable *r, int64_t cents, const char *rule, const char *reason,
		    int64_t *applied, struct diag *d)
{
	cdate paid_on;
	if (date_parse_iso(x->payment_date, strlen(x->payment_date), &paid_on) != 0)
		paid_on = date_today();
	struct recv_source src;
	struct recv_view v;
	struct match_candidate c;
	recv_source_ledger(&src, lg, opt);
	int found = recv_by_ext_id(&src, r->row.id, &v, d);
	if (found <= 0)
		return found < 0 ? -1 : diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL, "no receivable '%s'", r->row.id);
	if (match_candidate_fill(opt, &v, paid_on, &c, d))
		return -1;
	if (cents == 0)
		cents = x->unapplied_cents < c.still_due ? x->unapplied_cents : c.still_due;
	if (cents <= 0)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL, "receivable '%s' has nothing left to pay", r->row.id);
	if (ledger_allocation_add(lg, x->event_id, r->rowid, cents, rule, cents >= c.still_due, 0, reason, 0, NULL, d))
		return -1;
	*applied += cents;
	return 0;
}

enum human_refusal exceptions_resolve(struct ledger *lg, const struct reconcile_options *opt,
				      const struct resolve_request *req, int64_t *applied, struct diag *d)
{
	struct ledger_exception x;
	char ids[32], have[32], want[32];
	snprintf(ids, sizeof ids, "%lld", (long long)req->outcome_id);
	*applied = 0;
	if (!req->reason || !req->reason[0])
		return refuse(d, "resolving exception %s needs --reason: say what was done and why%s", ids, "");
	if (ledger_begin(lg, d))
		return HUMAN_ERROR;
	int found = ledger_exception_get(lg, req->outcome_id, &x, d);
	if (found < 0)
		return failed(lg);
	if (!found) {
		ledger_rollback(lg);
		return refuse(d, "no exception %s (see 'concilia exceptions list')%s", ids, "");
	}
	if (x.resolved) {
		ledger_rollback(lg);
		return refuse(d, "exception %s is already resolved: %s", ids, x.resolution);
	}
	money_format(x.unapplied_cents, have, sizeof have);
	if (req->action == RESOLVE_APPLY) {
		struct ledger_receivable r;
		if (!req->receivable_id) {
			ledger_rollback(lg);
			return refuse(d, "apply needs --receivable ID%s%s", "", "");
		}
		if (req->amount_cents > x.unapplied_cents || x.unapplied_cents <= 0) {
			money_format(req->amount_cents, want, sizeof want);
			ledger_rollback(lg);
			return refuse(d, "only %s of this payment is unapplied; cannot apply %s", have,
				      req->amount_cents ? want : "more");
		}
		int got = ledger_receivable_by_ext_id(lg, req->receivable_id, &r, d);
		if (got < 0)
			return failed(lg);
		if (!got) {
			ledger_rollback(lg);
			return refuse(d, "no receivable '%s'%s", req->receivable_id, "");
		}
		if (apply_to(lg, opt, &x, &r, req->amount_cents, "manual apply", req->reason, applied, d)) {
			ledger_rollback(lg);
			return HUMAN_REFUSED;
		}
	} else if (req->action == RESOLVE_ACCEPT) {
		struct ledger_candidate k[MATCH_MAX];
		int n = ledger_outcome_candidates(lg, x.outcome_id, k, MATCH_MAX, d);
		if (n < 0)
			return failed(lg);
		if (n == 0 || strcmp(x.category, "AMBIGUOUS") == 0) {
			ledger_rollback(lg);
			return refuse(d, n ? "exception %s is AMBIGUOUS: choose with --action apply --receivable ID%s"
					   : "exception %s has no proposal to accept: use --action apply --receivable ID%s",
				      ids, "");
		}
		/* One candidate (R3/R4, or R6 where this credit is one instalment)
		 * takes what this payment has; an R5 set needs all of its parts. */
		if (n == 1 && k[0].cents > x.unapplied_cents)
			k[0].cents = x.unapplied_cents;
		int64_t sum = 0;
		for (int i = 0; i < n; i++)
			sum += k[i].cents;
		if (sum > x.unapplied_cents) {
			money_format(sum, want, sizeof want);
			ledger_rollback(lg);
			return refuse(d, "the proposal needs %s but only %s of this payment is unapplied", want, have);
		}
		for (int i = 0; i < n; i++) {
			struct ledger_receivable r;
			int got = ledger_receivable_by_ext_id(lg, k[i].receivable_id, &r, d);
			if (got <= 0 || apply_to(lg, opt, &x, &r, k[i].cents, k[i].rule, req->reason, applied, d)) {
				ledger_rollback(lg);
				return got < 0 ? HUMAN_ERROR : HUMAN_REFUSED;
			}
		}
	}
	char action[200];
	money_format(*applied, want, sizeof want);
	if (req->action == RESOLVE_APPLY && *applied < x.unapplied_cents) {
		/* Money is still unapplied: the allocation and the journal say
		 * what was done, and the exception stays open for the rest. */
		char subject[40], detail[700];
		snprintf(subject, sizeof subject, "outcome %lld", (long long)x.outcome_id);
		snprintf(detail, sizeof detail, "apply (%s applied, part of the payment): %s", want, req->reason);
		if (ledger_journal(lg, "exception.apply", subject, detail, d) || ledger_commit(lg, d))
			return failed(lg);
		return HUMAN_OK;
	}
	if (req->action == RESOLVE_APPLY || req->action == RESOLVE_ACCEPT)
		snprintf(action, sizeof action, "%s (%s applied)", resolve_action_name(req->action), want);
	else
		snprintf(action, sizeof action, "%s", resolve_action_name(req->action));
	if (ledger_exception_resolve(lg, x.outcome_id, action, req->reason, d) || ledger_commit(lg, d))
		return failed(lg);
	return HUMAN_OK;
}
