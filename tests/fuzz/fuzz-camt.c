/* libFuzzer target for the camt.053/054 reader: any bytes must give events
 * or one diagnostic, never a crash, a leak, undefined behaviour or a
 * lost entry. Each input is read twice, as import reads it (BRL only) and
 * with any currency, and the callbacks check what the reader promises:
 * events of the two statement kinds with sane fields and identities, and
 * every entry of an accepted file accounted for (an event, or counted as
 * not money received). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/camt.h"
#include "core/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TERMINATED(a) (memchr((a), '\0', sizeof(a)) != NULL)

static int alnum32(const char *s)
{
	size_t n = strlen(s);
	if (n != 32)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= 'a' && s[i] <= 'z')))
			return 0;
	return 1;
}

static int check_event(void *ctx, const struct bank_event *ev, struct diag *d)
{
	(void)ctx;
	(void)d;
	if (ev->line < 1 || ev->line_end < ev->line ||
	    (ev->kind != EVENT_CREDIT && ev->kind != EVENT_REVERSAL))
		abort();
	if (!TERMINATED(ev->agreement) || !TERMINATED(ev->occurrence_text) ||
	    !TERMINATED(ev->payer_document) || !TERMINATED(ev->payer_name) ||
	    !TERMINATED(ev->end_to_end_id) || !TERMINATED(ev->txid) || !TERMINATED(ev->refund_id) ||
	    !TERMINATED(ev->statement_ref) || !TERMINATED(ev->free_text) || !TERMINATED(ev->identity))
		abort();
	if (ev->paid_cents < 0 || ev->paid_cents != ev->net_cents || ev->occurrence_date == CDATE_NONE ||
	    ev->credit_date == CDATE_NONE)
		abort();
	size_t doc = strlen(ev->payer_document);
	if (doc != 0 && doc != 11 && doc != 14)
		abort();
	if (ev->payer_document_partial != (strchr(ev->payer_document, '*') != NULL))
		abort();
	if (ev->weak_identity) {
		if (strncmp(ev->identity, "camt|", 5) != 0 || strlen(ev->identity) != 37)
			abort();
	} else if (strncmp(ev->identity, "pix|", 4) == 0) {
		if (ev->kind != EVENT_CREDIT || !alnum32(ev->identity + 4) ||
		    strcmp(ev->identity + 4, ev->end_to_end_id))
			abort();
	} else if (strncmp(ev->identity, "pixdev|", 7) != 0 || ev->kind != EVENT_REVERSAL ||
	           !alnum32(ev->end_to_end_id)) {
		abort();
	}
	return 0;
}

static void check_warning(void *ctx, const struct diag *d)
{
	char buf[1400];
	(void)ctx;
	if ((d->severity != DIAG_WARNING && d->severity != DIAG_NOTE) || d->msg[0] == '\0' || d->line < 1)
		abort();
	diag_format(d, buf, sizeof buf);
}

static void read_once(int any_currency, const uint8_t *data, size_t size)
{
	struct camt_options opt = {.any_currency = any_currency};
	struct cnab_file_info info;
	struct camt_stats st;
	struct diag err;
	char buf[1400];
	int rc = camt_parse_with(&opt, "fuzz.xml", data, size, &info, &st, check_event, NULL, check_warning,
	                         NULL, &err);
	if (rc != 0 && (err.msg[0] == '\0' || err.severity != DIAG_ERROR))
		abort();
	if (rc == 0 && (info.layout_name == NULL || info.lotes < 1 || info.titles > info.records ||
	                st.debits + st.not_booked + st.credits_not_payment + info.titles != info.records ||
	                st.credits + st.reversals < info.titles))
		abort();
	if (!TERMINATED(info.agreement))
		abort();
	diag_format(&err, buf, sizeof buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	read_once(0, data, size);
	read_once(1, data, size);
	return 0;
}
