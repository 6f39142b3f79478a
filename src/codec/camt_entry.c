/* What a camt entry means for concilia: which entries are money received
 * (credits) or given back (reversals), the amount of each transaction of
 * a batch, the Pix references, the payer, and the identity that makes the
 * same credit read from a camt.054 notification and from the camt.053
 * statement of the same day one event, not two. */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "codec/camt_internal.h"
#include "core/money.h"
#include "core/sha256.h"
#include "core/taxid.h"

void camt_notice(struct camt_emit *em, enum diag_severity sev, long line, int col, const char *field,
                 const char *fmt, ...)
{
	char msg[512];
	struct diag d;
	va_list ap;
	if (em->warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_set(&d, sev, em->file, line, col, field, "%s", msg);
	em->warn(em->wctx, &d);
}

/* Copies src into a fixed field, cut to fit (the fields are sized for what
 * they receive; only a bound is needed). snprintf("%s") costs more than
 * the rest of an event. */
#define COPY(dst, src)        copy_text((dst), sizeof(dst), (src))
#define COPY_AT(dst, at, src) copy_text((dst) + (at), sizeof(dst) - (at), (src))
static void copy_text(char *dst, size_t n, const char *src)
{
	size_t len = strnlen(src, n - 1);
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static long fail(struct camt_emit *em, const struct camt_entry *e, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static long fail(struct camt_emit *em, const struct camt_entry *e, const char *field, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_set(em->err, DIAG_ERROR, em->file, e->line, e->col, field, "%s", msg);
	return -1;
}

int camt_party_id(struct camt_party *p, const char *s, size_t len, const char **why)
{
	char bare[20];
	size_t n = 0;
	int masked = 0, letters = 0;
	*why = NULL;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '.' || c == '-' || c == '/' || c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (n + 1 >= sizeof bare)
			return 0; /* too long for a CPF/CNPJ: some other id */
		if (c == '*' || (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
		                 (unsigned char)s[i + 2] == 0xA2)) {
			/* '*' or U+2022 (•): a digit the bank hides (LGPD) */
			if (c == 0xE2)
				i += 2;
			bare[n++] = '*';
			masked = 1;
		} else if (c >= '0' && c <= '9') {
			bare[n++] = (char)c;
		} else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
			bare[n++] = (char)(c & ~0x20);
			letters = 1;
		} else {
			return 0;
		}
	}
	bare[n] = '\0';
	if (n != 11 && n != 14)
		return 0;
	if (masked) {
		if (p->doc[0] == '\0') {
			memcpy(p->doc, bare, n + 1);
			p->doc_partial = 1;
		}
		return 0;
	}
	char out[15];
	if (taxid_normalize(s, len, out, why) != TAXID_NONE) {
		if (p->doc[0] == '\0' || p->doc_partial) {
			COPY(p->doc, out);
			p->doc_partial = 0;
		}
		*why = NULL;
		return 0;
	}
	/* Eleven digits, or a CNPJ shape (12 letters/digits + 2 digits), that
	 * fail the check digits: a typing or export error worth a warning. */
	if ((n == 11 && !letters) ||
	    (n == 14 && bare[12] >= '0' && bare[12] <= '9' && bare[13] >= '0' && bare[13] <= '9'))
		return -1;
	return 0;
}

/* The amount of a transaction in the entry's currency: AmtDtls/TxAmt (the
 * amount as booked), else TxDtls/Amt. Another currency is the payer's
 * instructed amount, not what reached the account. */
static int tx_amount(const struct camt_entry *e, const struct camt_tx *tx, int64_t *cents)
{
	if (tx->txamt_ccy[0] && strcmp(tx->txamt_ccy, e->ccy) == 0) {
		*cents = tx->txamt;
		return 1;
	}
	if (tx->amt_ccy[0] && strcmp(tx->amt_ccy, e->ccy) == 0) {
		*cents = tx->amt;
		return 1;
	}
	return 0;
}

static void upper_ascii(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
}

/* A content hash for an event without a bank id. Only what both a camt.054
 * and the camt.053 of the same day say about the payment goes in: no line,
 * no file, no statement id. */
static void weak_identity(struct bank_event *ev, const char *account, const struct camt_entry *e)
{
	char buf[1024], name[81], hex[SHA256_HEX_LEN + 1], booked[16], value[16];
	snprintf(name, sizeof name, "%s", ev->payer_name);
	upper_ascii(name);
	date_format_iso(e->booked, booked, sizeof booked);
	date_format_iso(e->value, value, sizeof value);
	int n = snprintf(
	    buf, sizeof buf, "%s\x1f%s\x1f%s\x1f%s\x1f%lld\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s",
	    event_kind_name(ev->kind), account, booked, value, (long long)ev->paid_cents, ev->end_to_end_id,
	    ev->txid, ev->refund_id, ev->statement_ref, ev->payer_document, name, ev->free_text);
	if (n < 0 || sha256_hex(buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1, hex) != 0)
		hex[0] = '\0';
	snprintf(ev->identity, sizeof ev->identity, "camt|%.32s", hex);
	ev->weak_identity = 1;
}

static int not_provided(const char *s)
{
	return strcmp(s, "NOTPROVIDED") == 0;
}

/* Where a return carries the Pix ids (no Brazilian sample exists; see
 * README): the devolução id (rtrId, "D...") in any reference, the original
 * credit's endToEndId in Refs/EndToEndId or, when that holds the rtrId, in
 * another reference. */
static void reversal_refs(struct bank_event *ev, const struct camt_tx *tx)
{
	const char *refs[] = {tx->e2e, tx->instr, tx->txid, tx->clr_ref, tx->prtry_ref, tx->cdtr_ref};
	const size_t nrefs = sizeof refs / sizeof refs[0];
	for (size_t i = 0; i < nrefs && !ev->refund_id[0]; i++)
		if (camt_is_refund_id(refs[i]))
			COPY(ev->refund_id, refs[i]);
	for (size_t i = 0; i < nrefs && !ev->end_to_end_id[0]; i++)
		if (camt_is_pix_id(refs[i]) && !camt_is_refund_id(refs[i]))
			COPY(ev->end_to_end_id, refs[i]);
	if (!ev->end_to_end_id[0] && tx->e2e[0] && !not_provided(tx->e2e) &&
	    strcmp(tx->e2e, ev->refund_id) != 0)
		COPY(ev->end_to_end_id, tx->e2e);
	if (camt_is_txid(tx->txid) && strcmp(tx->txid, ev->refund_id) != 0 &&
	    strcmp(tx->txid, ev->end_to_end_id) != 0)
		COPY(ev->txid, tx->txid);
}

static void copy_party(struct bank_event *ev, const struct camt_party *p)
{
	COPY(ev->payer_name, p->name);
	COPY(ev->payer_document, p->doc);
	ev->payer_document_partial = p->doc_partial;
}

/* One event: tx is NULL when the entry is read as a whole. */
static int emit(struct camt_emit *em, const struct camt_stmt *st, const struct camt_entry *e,
                const struct camt_tx *tx, enum event_kind kind, int64_t cents)
{
	struct bank_event *ev = &em->ev;
	memset(ev, 0, sizeof *ev);
	ev->line = e->line;
	/* Each transaction of a batch ends where its TxDtls ends, so that
	 * inspect shows a problem under the transaction it is about. */
	ev->line_end = tx && tx != &e->tx[e->ntx - 1] ? tx->line_end : e->line_end;
	ev->bank = st->bank;
	size_t alen = strlen(st->account);
	COPY(ev->agreement,
	     st->account + (alen >= sizeof ev->agreement ? alen - (sizeof ev->agreement - 1) : 0));
	ev->kind = kind;
	if (e->domain[0])
		snprintf(ev->occurrence_text, sizeof ev->occurrence_text, "%s/%s/%s", e->domain, e->family,
		         e->subfamily);
	else if (e->prtry_code[0])
		snprintf(ev->occurrence_text, sizeof ev->occurrence_text, "%.50s", e->prtry_code);
	if (tx && tx->rtr_reason[0]) {
		size_t used = strlen(ev->occurrence_text);
		snprintf(ev->occurrence_text + used, sizeof ev->occurrence_text - used, "%sreturn %s",
		         used ? " " : "", tx->rtr_reason);
	}
	ev->due_date = CDATE_NONE;
	ev->occurrence_date = tx && tx->accepted != CDATE_NONE ? tx->accepted
	                      : e->booked != CDATE_NONE        ? e->booked
	                      : e->value != CDATE_NONE         ? e->value
	                                                       : em->fallback_date;
	ev->credit_date = e->value != CDATE_NONE    ? e->value
	                  : e->booked != CDATE_NONE ? e->booked
	                                            : ev->occurrence_date;
	ev->paid_cents = ev->net_cents = cents;
	const char *sref = tx && tx->svcr_ref[0] ? tx->svcr_ref : e->svcr_ref[0] ? e->svcr_ref : e->ntry_ref;
	COPY(ev->statement_ref, sref);
	if (tx) {
		COPY(ev->free_text, tx->ustrd);
		if (kind == EVENT_CREDIT) {
			if (!not_provided(tx->e2e))
				COPY(ev->end_to_end_id, tx->e2e);
			const char *txid = camt_is_txid(tx->txid)       ? tx->txid
			                   : camt_is_txid(tx->cdtr_ref) ? tx->cdtr_ref
			                                                : "";
			COPY(ev->txid, txid);
			copy_party(ev, &tx->dbtr);
		} else {
			reversal_refs(ev, tx);
			copy_party(ev, &tx->cdtr);
		}
	}
	if (kind == EVENT_CREDIT && camt_is_pix_id(ev->end_to_end_id)) {
		memcpy(ev->identity, "pix|", 4);
		COPY_AT(ev->identity, 4, ev->end_to_end_id);
	} else if (kind == EVENT_REVERSAL && camt_is_pix_id(ev->end_to_end_id) &&
	           (ev->refund_id[0] || ev->statement_ref[0]))
		snprintf(ev->identity, sizeof ev->identity, "pixdev|%.35s|%.35s", ev->end_to_end_id,
		         ev->refund_id[0] ? ev->refund_id : ev->statement_ref);
	else
		weak_identity(ev, st->account, e);
	if (kind == EVENT_CREDIT)
		em->stats->credits++;
	else
		em->stats->reversals++;
	if (em->on_event == NULL)
		return 0;
	/* Only the message tells whether the callback explained itself. */
	em->err->msg[0] = '\0';
	if (em->on_event(em->ctx, ev, em->err) != 0) {
		if (em->err->msg[0] == '\0')
			diag_set(em->err, DIAG_ERROR, em->file, e->line, e->col, NULL,
			         "import stopped while storing this entry");
		return -1;
	}
	return 0;
}

long camt_entry_finish(struct camt_emit *em, struct camt_stmt *st, const struct camt_entry *e)
{
	char amount[40];
	if (!e->has_amt)
		return fail(em, e, "Ntry/Amt", "missing: every entry has an amount");
	if (e->cdi == 0)
		return fail(em, e, "Ntry/CdtDbtInd",
		            "missing: every entry says CRDT (money in) or DBIT (money out)");
	if (e->status[0] == '\0')
		return fail(em, e, "Ntry/Sts",
		            "missing: every entry has a status, and only booked (BOOK) entries are money");
	money_format(e->amt, amount, sizeof amount); /* for notes and messages */
	const char *dir = e->cdi > 0 ? "credit" : "debit";
	if (strcmp(e->status, "BOOK") != 0) {
		em->stats->not_booked++;
		camt_notice(em, DIAG_NOTE, e->line, e->col, "Ntry/Sts",
		            "%s of %s %s with status %s: not booked, not imported", dir, amount, e->ccy,
		            e->status);
		return 0;
	}
	if (st->sum_ccy[0] == '\0')
		memcpy(st->sum_ccy, e->ccy, sizeof st->sum_ccy);
	else if (strcmp(st->sum_ccy, e->ccy) != 0)
		st->sum_mixed = 1;
	if (__builtin_add_overflow(st->booked_sum, e->cdi * e->amt, &st->booked_sum))
		st->sum_mixed = 1; /* no balance check then */

	int any_return = 0;
	for (size_t i = 0; i < e->ntx; i++)
		any_return |= e->tx[i].has_rtr;
	enum event_kind kind;
	if (e->cdi > 0) {
		if (e->rvsl || any_return) {
			em->stats->credits_not_payment++;
			camt_notice(em, DIAG_NOTE, e->line, e->col,
			            e->rvsl ? "Ntry/RvslInd" : "TxDtls/RtrInf",
			            "credit of %s %s %s: not money received, not imported", amount, e->ccy,
			            e->rvsl ? "reverses an earlier debit"
			                    : "brings back a payment made from this account");
			return 0;
		}
		kind = EVENT_CREDIT;
	} else {
		/* A debit gives money back when the bank says so: RvslInd, a return
		 * (RtrInf) on any of its transactions, or sub-family RRTN. */
		if (!e->rvsl && !any_return && strcmp(e->subfamily, "RRTN") != 0) {
			em->stats->debits++;
			camt_notice(em, DIAG_NOTE, e->line, e->col, "Ntry/CdtDbtInd",
			            "debit of %s %s: not a payment, not imported", amount, e->ccy);
			return 0;
		}
		kind = EVENT_REVERSAL;
	}

	if (e->booked == CDATE_NONE && e->value == CDATE_NONE) {
		/* Tolerated (pix.md §9), but a payment needs a date. */
		if (em->fallback_date == CDATE_NONE)
			return fail(em, e, "Ntry/BookgDt",
			            "missing, as are ValDt and the statement's creation date: the %s of %s "
			            "%s cannot be "
			            "dated",
			            kind == EVENT_CREDIT ? "credit" : "reversal", amount, e->ccy);
		char created[16];
		date_format_iso(em->fallback_date, created, sizeof created);
		camt_notice(em, DIAG_WARNING, e->line, e->col, "Ntry/BookgDt",
		            "no booking date (BookgDt) nor value date (ValDt): dated %s, the statement's "
		            "creation date",
		            created);
	}

	int64_t sum = 0, c;
	int all = e->ntx > 0;
	for (size_t i = 0; i < e->ntx; i++) {
		if (tx_amount(e, &e->tx[i], &c)) {
			if (__builtin_add_overflow(sum, c, &sum))
				sum = INT64_MAX;
		} else
			all = 0;
	}
	if (e->ntx == 0)
		return emit(em, st, e, NULL, kind, e->amt) ? -1 : 1;
	if (all && sum == e->amt) {
		for (size_t i = 0; i < e->ntx; i++) {
			tx_amount(e, &e->tx[i], &c);
			if (emit(em, st, e, &e->tx[i], kind, c))
				return -1;
		}
		return (long)e->ntx;
	}
	char other[40];
	money_format(sum, other, sizeof other);
	if (e->ntx == 1) {
		if (all)
			camt_notice(em, DIAG_WARNING, e->line, e->col, "Ntry/Amt",
			            "the transaction says %s %s but the entry %s %s: the entry amount (what "
			            "was booked) "
			            "is used",
			            other, e->ccy, amount, e->ccy);
		return emit(em, st, e, &e->tx[0], kind, e->amt) ? -1 : 1;
	}
	if (all)
		return fail(
		    em, e, "Ntry/Amt",
		    "the entry is %s %s but its %zu transactions (TxDtls) add up to %s %s: which one is "
		    "right cannot be told",
		    amount, e->ccy, e->ntx, other, e->ccy);
	camt_notice(em, DIAG_WARNING, e->line, e->col, "Ntry/NtryDtls",
	            "batch of %zu transactions without an amount for each: read as one %s of %s %s", e->ntx,
	            kind == EVENT_CREDIT ? "credit" : "reversal", amount, e->ccy);
	return emit(em, st, e, NULL, kind, e->amt) ? -1 : 1;
}
