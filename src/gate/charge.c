/* Preparing a charge document: read at send time, decide with the gate,
 * compute the amount due, build the registered slip's codes and the Pix
 * code. The order matters: nothing is built for a receivable the gate
 * refuses, so a refused charge cannot leak through a half-built file. */
#include "config.h"
#include <stdio.h>
#include <string.h>

#include "codec/boleto.h"
#include "codec/nosso_numero.h"
#include "core/money.h"
#include "core/taxid.h"
#include "gate/charge.h"
#include "reconcile/outcome.h"

/* ---- the boleto's nosso número ---- */

static void boleto_request_of(const struct ledger_account *a, struct boleto_opt *opts,
                              struct boleto_request *rq)
{
	memset(rq, 0, sizeof *rq);
	rq->bank = a->bank;
	rq->agency = a->agency;
	rq->account = a->account;
	rq->wallet = a->wallet[0] ? a->wallet : NULL;
	rq->agreement = a->agreement[0] ? a->agreement : NULL;
	for (int i = 0; i < a->nopts; i++) {
		opts[i].key = a->opts[i].key;
		opts[i].value = a->opts[i].value;
	}
	rq->opts = opts;
	rq->nopts = (size_t)a->nopts;
}

/* The receivable's nosso número is written as the bank's return carries
 * it (README "Matching by nosso número"); the slip needs the sequence the
 * codec takes. A check digit is recognised only where it is said to be
 * there: after a hyphen ("00012345-6"), or at the end when the account
 * says its receivables carry it (--nosso-numero-with-dv). Then it must be
 * the digit the bank's rule gives, or no slip is printed: a guessed split
 * would print another boleto's number. */
static int encode_slip(const struct charge *c, struct boleto_slip *s, struct diag *d)
{
	struct boleto_opt opts[LEDGER_ACCOUNT_MAX_OPTS];
	struct boleto_request rq;
	char seq[NOSSO_NUMERO_MAX + 1], dv[3] = "";
	const char *raw = c->rcv.row.nosso_numero_raw;
	const char *hyphen = strrchr(raw, '-');

	boleto_request_of(&c->account, opts, &rq);
	rq.due = c->rcv.row.due_date;
	rq.amount_cents = c->rcv.row.amount_cents;
	if (hyphen && strlen(hyphen + 1) >= 1 && strlen(hyphen + 1) <= 2) {
		if (nosso_numero_normalize(raw, (size_t)(hyphen - raw), seq) < 0)
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, "nosso_numero",
			                "'%s' has no number before its DV", raw);
		snprintf(dv, sizeof dv, "%s", hyphen + 1);
	} else {
		snprintf(seq, sizeof seq, "%s", c->rcv.row.nosso_numero);
		if (c->account.nn_with_dv) {
			size_t n = strlen(seq);
			if (n < 2)
				return diag_set(d, DIAG_ERROR, NULL, 0, 0, "nosso_numero",
				                "'%s' is too short to end with a check digit", raw);
			/* one digit, or two for the banks whose DV has two (the
			 * codec says which by what it computes) */
			snprintf(dv, sizeof dv, "%s", seq + n - 1);
			seq[n - 1] = '\0';
			rq.nosso_numero = seq;
			if (boleto_encode(&rq, s, d) != 0)
				return -1;
			if (strlen(s->nosso_numero_dv) == 2 && n >= 3) {
				snprintf(seq, sizeof seq, "%s", c->rcv.row.nosso_numero);
				snprintf(dv, sizeof dv, "%s", seq + n - 2);
				seq[n - 2] = '\0';
			}
		}
	}
	rq.nosso_numero = seq;
	if (boleto_encode(&rq, s, d) != 0)
		return -1;
	if (dv[0]) {
		if (!s->nosso_numero_dv[0])
			return diag_set(
			    d, DIAG_ERROR, NULL, 0, 0, "nosso_numero",
			    "'%s' carries a check digit, but bank %03d's nosso número (%s) has none", raw,
			    s->bank, s->layout ? s->layout : "this layout");
		for (char *p = dv; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
		if (strcmp(dv, s->nosso_numero_dv) != 0)
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, "nosso_numero",
			                "'%s': check digit %s, but bank %03d's rule gives %s for %s", raw, dv,
			                s->bank, s->nosso_numero_dv, seq);
	}
	return 0;
}

/* ---- instructions: every condition as values and dates ---- */

static void percent_e4(int64_t e4, char *out, size_t n)
{
	snprintf(out, n, "%lld,%02lld%%", (long long)(e4 / 10000), (long long)(e4 % 10000 / 100));
}

static void add_instruction(struct charge *c, const char *text)
{
	size_t n = strlen(text);
	if (c->ninstructions == CHARGE_MAX_INSTRUCTIONS)
		return;
	/* the texts are ours and shorter; never cut a UTF-8 sequence anyway */
	if (n >= sizeof c->instructions[0]) {
		n = sizeof c->instructions[0] - 1;
		while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(c->instructions[c->ninstructions], text, n);
	c->instructions[c->ninstructions++][n] = '\0';
}

static void build_instructions(struct charge *c)
{
	const struct receivable_row *r = &c->rcv.row;
	char buf[400], m1[32], m2[32], p1[32], p2[32], d1[16];

	if (r->discount_cents > 0 && c->due.effective_discount_until != CDATE_NONE) {
		money_format_brl(r->discount_cents, m1, sizeof m1);
		date_format_br(c->due.effective_discount_until, d1, sizeof d1);
		snprintf(buf, sizeof buf, "Até %s, desconto de %s.", d1, m1);
		add_instruction(c, buf);
	}
	if (r->fine_e4 > 0 || r->interest_month_e4 > 0) {
		/* the same figures expected_on charges: fine on the face value,
		 * interest rounded to centavos per day; one condition a line */
		int64_t fine = money_muldiv_round(r->amount_cents, r->fine_e4, 1000000);
		int64_t per_day = money_muldiv_round(r->amount_cents, r->interest_month_e4, 30000000);
		date_format_br(c->due.effective_due, d1, sizeof d1);
		money_format_brl(fine, m1, sizeof m1);
		money_format_brl(per_day, m2, sizeof m2);
		percent_e4(r->fine_e4, p1, sizeof p1);
		percent_e4(r->interest_month_e4, p2, sizeof p2);
		if (r->fine_e4 > 0) {
			snprintf(buf, sizeof buf, "Após %s, multa de %s (%s do valor).", d1, m1, p1);
			add_instruction(c, buf);
		}
		if (r->interest_month_e4 > 0) {
			snprintf(buf, sizeof buf, "Após %s, juros de mora de %s por dia corrido (%s ao mês).",
			         d1, m2, p2);
			add_instruction(c, buf);
			add_instruction(c,
			                "Juros simples (taxa mensal / 30), arredondados ao centavo por dia.");
		}
	}
	if (c->allocated_cents > 0) {
		money_format_brl(c->allocated_cents, m1, sizeof m1);
		snprintf(buf, sizeof buf, "Pagamento parcial já recebido: %s (em Outras deduções).", m1);
		add_instruction(c, buf);
	}
}

/* ---- Pix ---- */

static int build_pix(struct charge *c, const struct charge_options *o, struct diag *d)
{
	static struct brcode_info check; /* 10 KB: kept off the stack */
	struct brcode_request rq = {0};
	const char *txid = c->rcv.row.pix_txid;

	if (c->amount_due_cents <= 0)
		return 0;
	/* A static code's 62-05 holds at most 25 characters; the receivables'
	 * txids (26-35) name a cob/cobv charge at the PSP, which only that
	 * charge's own dynamic code can carry. */
	if (txid[0] && strlen(txid) > BRCODE_TXID_MAX) {
		if (o->kind == CHARGE_PIX)
			return diag_set(
			    d, DIAG_ERROR, NULL, 0, 0, "pix_txid",
			    "receivable %s has the Pix charge txid %s (%zu characters): a static QR "
			    "carries at most %d; show the PSP's QR of that charge instead",
			    c->rcv.row.id, txid, strlen(txid), BRCODE_TXID_MAX);
		diag_warn(
		    o->warn, o->warn_ctx, NULL, 0, 0, "pix_txid",
		    "receivable %s has the Pix charge txid %s: a static QR cannot carry it, so the second "
		    "copy has no Pix QR",
		    c->rcv.row.id, txid);
		return 0;
	}
	rq.key = c->account.pix_key;
	rq.name = c->account.name;
	rq.city = c->account.city;
	rq.txid = txid[0] ? txid : "***";
	rq.postal_code = c->account.cep[0] ? c->account.cep : NULL;
	rq.amount_cents = c->amount_due_cents;
	if (brcode_encode(&rq, &c->pix, o->warn, o->warn_ctx, d) != 0)
		return -1;
	/* what leaves must pass our own decoder (reference/pix.md §5) */
	if (brcode_decode(c->pix.text, c->pix.len, &check) != 0 || check.amount_cents != c->amount_due_cents)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "pix",
		                "internal error: the BR Code built does not decode: %s",
		                check.nproblems ? check.problems[0].msg : "amount differs");
	c->has_pix = true;
	return 0;
}

/* ---- the gate's facts ---- */

struct gather {
	struct charge *c;
	const struct charge_terms *terms;
	const struct calendar *cal;
	int n;
	bool truncated;
};

static int on_exception(void *ctx, const struct ledger_gate_exception *e)
{
	struct gather *g = ctx;
	struct gate_candidate *k;
	struct expected_amount then;

	if (g->n == CHARGE_MAX_CANDIDATES) {
		g->truncated = true;
		return 1; /* enough to refuse; stop reading */
	}
	k = &g->c->candidates[g->n++];
	memset(k, 0, sizeof *k);
	snprintf(k->category, sizeof k->category, "%s", e->category);
	k->paid_cents = e->paid_cents;
	k->due_then_cents = -1;
	if (e->paid_on != CDATE_NONE && expected_on(g->terms, e->paid_on, g->cal, &then) == 0)
		k->due_then_cents = then.total_cents - g->c->allocated_cents;
	snprintf(k->payer_document, sizeof k->payer_document, "%s", e->payer_document);
	k->payer_document_partial = e->payer_document_partial;
	snprintf(k->receivable_debtor, sizeof k->receivable_debtor, "%s", e->receivable_debtor);
	snprintf(k->receivable_id, sizeof k->receivable_id, "%s", e->receivable_id);
	snprintf(k->source, sizeof k->source, "%s", e->source);
	return 0;
}

/* Categories settled without a human, from the one rule that says so:
 * every other category name in the ledger is an exception. */
static void settled_categories(char *out, size_t n)
{
	size_t used = 0;
	out[0] = '\0';
	for (int k = 0; k < OUTCOME_COUNT && used < n; k++)
		if (!outcome_needs_human((enum outcome_category)k))
			used += (size_t)snprintf(out + used, n - used, "%s%s", used ? "," : "",
			                         outcome_name((enum outcome_category)k));
}

static int find_account(struct ledger *lg, struct charge *c, int *status, struct diag *d)
{
	const struct receivable_row *r = &c->rcv.row;
	int n = ledger_account_for(lg, r->bank, r->account, &c->account, d);
	if (n < 0) {
		*status = 3;
		return -1;
	}
	*status = 2;
	if (n == 0 && r->account[0])
		return diag_set(
		    d, DIAG_ERROR, NULL, 0, 0, "account",
		    "receivable %s names account '%s', and no account of bank %03d has that label "
		    "(concilia account list)",
		    r->id, r->account, r->bank);
	if (n == 0)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "account",
		                "no collection account at bank %03d for receivable %s: add it with 'concilia "
		                "account add --bank %03d ...'",
		                r->bank, r->id, r->bank);
	if (n > 1)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "account",
		                "%d accounts at bank %03d: receivable %s must name one in the receivables' "
		                "'account' column",
		                n, r->bank, r->id);
	*status = 0;
	return 0;
}

int charge_prepare(struct ledger *lg, const char *receivable_id, const struct charge_options *o,
                   struct charge *out, int *status, struct diag *d)
{
	struct ledger_gate_rows rows;
	struct gate_facts f;
	struct gate_options go = {o->accept_stale};
	char settled[512];

	memset(out, 0, sizeof *out);
	diag_clear(d);
	*status = 2;
	int found = ledger_receivable_by_id(lg, receivable_id, &out->rcv, d);
	if (found < 0) {
		*status = 3;
		return -1;
	}
	if (found == 0)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL, "no receivable with id '%s' in the ledger",
		                receivable_id);
	if (o->pay_on < o->today) {
		char t[16];
		date_format_br(o->today, t, sizeof t);
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "pay-on", "a payment date before today (%s)", t);
	}
	if (find_account(lg, out, status, d) != 0)
		return -1;

	const struct receivable_row *r = &out->rcv.row;
	/* The same terms and calendar (the payer's state) the matcher uses. */
	struct charge_terms terms;
	charge_terms_from_receivable(r, o->interest_start, &terms);
	out->pay_on = o->pay_on;
	if (expected_on(&terms, o->pay_on, calendar_for_state(o->cal, r->state), &out->due) != 0)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL,
		                "receivable %s: its charge terms give no amount", r->id);

	/* allocations first: the anonymous-credit window and every amount
	 * below are net of what was already received */
	int64_t alloc = 0;
	bool settled_flag = false;
	if (ledger_receivable_allocated(lg, out->rcv.rowid, &alloc, &settled_flag, d) != 0) {
		*status = 3;
		return -1;
	}
	out->allocated_cents = alloc;
	out->amount_due_cents = out->due.total_cents - alloc;

	settled_categories(settled, sizeof settled);
	struct ledger_gate_query q = {
	    .receivable_rowid = out->rcv.rowid,
	    .bank = r->bank,
	    .nosso_numero = r->nosso_numero,
	    .pix_txid = r->pix_txid,
	    .debtor_document = r->debtor_document,
	    .settled_categories = settled,
	    .anonymous_categories = "UNIDENTIFIED_CREDIT,UNKNOWN_REFERENCE",
	    /* between the discounted face and what is due now: every amount
	     * the receivable was worth on an earlier date lies in there */
	    .anonymous_min_cents = r->amount_cents - r->discount_cents - alloc,
	    .anonymous_max_cents = out->amount_due_cents,
	    .agreement = out->account.agreement,
	};
	if (q.anonymous_max_cents < q.anonymous_min_cents)
		q.anonymous_max_cents = q.anonymous_min_cents;
	struct gather g = {out, &terms, o->cal, 0, false};
	if (ledger_gate_read(lg, &q, &rows, on_exception, &g, d) < 0) {
		*status = 3;
		return -1;
	}

	memset(&f, 0, sizeof f);
	f.receivable_id = r->id;
	f.debtor_document = r->debtor_document;
	f.erp_status = r->status;
	f.settled = rows.settled;
	f.allocated_cents = rows.allocated_cents;
	f.amount_due_cents = out->amount_due_cents;
	f.bank_state = rows.bank_state;
	f.pending_payments = rows.pending_payments;
	f.pending_source = rows.pending_source;
	f.candidates = out->candidates;
	f.ncandidates = g.n;
	f.candidates_truncated = g.truncated;
	f.account_label = out->account.label;
	f.has_import = rows.has_import;
	f.latest_import = rows.latest_import;
	f.latest_file = rows.latest_file;
	f.held_imports = rows.held_imports;
	f.held_file = rows.held_file;
	f.held_reason = rows.held_reason;
	f.previous_business_day = calendar_previous_business_day(o->cal, o->today);
	gate_decide(&f, &go, &out->decision);
	*status = 0;
	if (!out->decision.allowed)
		return 0;

	/* allowed: build what will be printed */
	*status = 2;
	if (o->kind == CHARGE_BOLETO) {
		if (encode_slip(out, &out->slip, d) != 0)
			return -1;
		snprintf(out->nosso_numero_printed, sizeof out->nosso_numero_printed, "%s%s%s",
		         out->slip.nosso_numero, out->slip.nosso_numero_dv[0] ? "-" : "",
		         out->slip.nosso_numero_dv);
		snprintf(out->agency_code, sizeof out->agency_code, "%s / %s", out->account.agency,
		         out->account.agreement[0] ? out->account.agreement : out->account.account);
		build_instructions(out);
	}
	if (out->account.pix_key[0] && build_pix(out, o, d) != 0)
		return -1;
	if (o->kind == CHARGE_PIX && !out->has_pix)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "pix-key",
		                out->account.pix_key[0]
		                    ? "receivable %s: nothing is due, so no QR"
		                    : "account '%s' has no Pix key (account add --pix-key)",
		                out->account.pix_key[0] ? r->id : out->account.label);
	*status = 0;
	return 0;
}

int charge_record(struct ledger *lg, const struct charge *c, const char *action, const char *where,
                  const char *accept_stale, struct diag *d)
{
	char detail[1200], money[32], date[16];

	money_format_brl(c->amount_due_cents, money, sizeof money);
	date_format_iso(c->pay_on, date, sizeof date);
	snprintf(detail, sizeof detail, "%s due on %s, account %s, to %s", money, date, c->account.label,
	         where);
	if (ledger_begin(lg, d) != 0)
		return -1;
	if (c->decision.stale_overridden) {
		char why[1200];
		snprintf(why, sizeof why, "STALE_IMPORT accepted for %s: %s; reason: %s", action,
		         c->decision.stale_message, accept_stale ? accept_stale : "");
		if (ledger_journal(lg, "gate_override", c->rcv.row.id, why, d) != 0) {
			ledger_rollback(lg);
			return -1;
		}
	}
	if (ledger_journal(lg, action, c->rcv.row.id, detail, d) != 0 || ledger_commit(lg, d) != 0) {
		ledger_rollback(lg);
		return -1;
	}
	return 0;
}

/* ---- accounts ---- */

int charge_account_check(struct ledger_account *a, struct diag *d)
{
	char norm[24], key[BRCODE_KEY_MAX + 1];
	const char *why;
	const struct boleto_bank *b;
	char list[512];

	diag_clear(d);
	b = boleto_bank_find(a->bank);
	if (!b)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "bank",
		                "bank %03d has no boleto layout in concilia (concilia boleto banks)",
		                a->bank);
	for (int i = 0; i < a->nopts; i++)
		if (!boleto_bank_takes_option(b, a->opts[i].key))
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, "opt",
			                "bank %03d (%s) takes no option '%s'; it takes: %s", a->bank,
			                boleto_bank_name(b), a->opts[i].key,
			                boleto_bank_option_list(b, list, sizeof list));
	if (taxid_normalize(a->document, strlen(a->document), norm, &why) == TAXID_NONE)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "document", "'%s': %s", a->document, why);
	snprintf(a->document, sizeof a->document, "%s", norm);
	if (!a->name[0] || !a->address[0] || !a->city[0])
		return diag_set(d, DIAG_ERROR, NULL, 0, 0,
		                !a->name[0]      ? "name"
		                : !a->address[0] ? "address"
		                                 : "city",
		                "required: every boleto prints the beneficiary's name, address and city");
	if (a->uf[0]) {
		if (strlen(a->uf) != 2 || a->uf[0] < 'A' || a->uf[0] > 'Z' || a->uf[1] < 'A' ||
		    a->uf[1] > 'Z')
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, "uf",
			                "'%s' is not a state (two capital letters, SP)", a->uf);
	}
	if (a->cep[0]) {
		char digits[9];
		size_t n = 0;
		for (const char *p = a->cep; *p; p++) {
			if (*p >= '0' && *p <= '9' && n < 8)
				digits[n++] = *p;
			else if (*p != '-' && *p != '.')
				return diag_set(d, DIAG_ERROR, NULL, 0, 0, "cep",
				                "'%s' is not a CEP (8 digits)", a->cep);
			else if (*p >= '0' && *p <= '9')
				n = 9;
		}
		if (n != 8)
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, "cep", "'%s' is not a CEP (8 digits)",
			                a->cep);
		memcpy(a->cep, digits, 8);
		a->cep[8] = '\0';
	}
	if (a->pix_key[0]) {
		if (brcode_key_normalize(a->pix_key, key, &why) == BRCODE_KEY_NONE)
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, "pix-key", "'%s': %s", a->pix_key, why);
		memcpy(a->pix_key, key, sizeof key);
		/* a trial code: name and city must make a BR Code */
		struct brcode_request rq = {
		    .key = a->pix_key, .name = a->name, .city = a->city, .amount_cents = 100};
		struct brcode_payload p;
		if (brcode_encode(&rq, &p, NULL, NULL, d) != 0)
			return -1;
	}
	/* a trial slip: agency, account, wallet, convênio and options must
	 * make a barcode for this bank */
	struct boleto_opt opts[LEDGER_ACCOUNT_MAX_OPTS];
	struct boleto_request rq;
	struct boleto_slip s;
	boleto_request_of(a, opts, &rq);
	rq.nosso_numero = "1";
	rq.due = BOLETO_FACTOR_FIRST + 9000; /* any date the factor can hold */
	rq.amount_cents = 100;
	/* the trial number itself may not suit the bank (Caixa's 17 digits):
	 * only the account's own data are judged here */
	if (boleto_encode(&rq, &s, d) != 0) {
		char msg[sizeof d->msg];
		if (strcmp(d->field, "nosso_numero") == 0) {
			diag_clear(d);
			return 0;
		}
		snprintf(msg, sizeof msg, "%s", d->msg);
		snprintf(d->msg, sizeof d->msg, "these account data make no boleto: %.470s", msg);
		return -1;
	}
	return 0;
}
