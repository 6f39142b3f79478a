/* libFuzzer target for the OFX statement reader (OFX 1.x SGML and OFX 2.x
 * XML through libxml2): any bytes must give events or one diagnostic,
 * never a crash, a leak, undefined behaviour, or an XML entity expanded.
 * The callbacks check what the reader promises about each event (a credit
 * or a reversal, a positive amount, UTF-8 text, an identity); the memo
 * extractor also gets the raw bytes, split in two, as MEMO and NAME. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/ofx.h"
#include "codec/ofx_memo.h"
#include "core/diag.h"
#include "core/money.h"
#include "core/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TERMINATED(a) (memchr((a), '\0', sizeof(a)) != NULL)

static long delivered;

static int utf8(const char *s)
{
	return text_is_utf8((const unsigned char *)s, strlen(s));
}

static int check_event(void *ctx, const struct bank_event *ev, struct diag *d)
{
	(void)ctx;
	(void)d;
	delivered++;
	if (ev->line < 1 || ev->line_end < ev->line ||
	    (ev->kind != EVENT_CREDIT && ev->kind != EVENT_REVERSAL))
		abort();
	if (ev->paid_cents <= 0 || ev->paid_cents > MONEY_MAX_CENTS || ev->net_cents != ev->paid_cents ||
	    ev->occurrence_date == CDATE_NONE)
		abort();
	if (!TERMINATED(ev->agreement) || !TERMINATED(ev->statement_ref) || !TERMINATED(ev->free_text) ||
	    !TERMINATED(ev->payer_name) || !TERMINATED(ev->payer_document) || !TERMINATED(ev->identity) ||
	    !TERMINATED(ev->end_to_end_id) || !TERMINATED(ev->refund_id) || !TERMINATED(ev->occurrence_text))
		abort();
	if (!utf8(ev->free_text) || !utf8(ev->payer_name) || !utf8(ev->statement_ref))
		abort();
	/* weak identities are content hashes; strong ones name a Pix id */
	if (ev->weak_identity ? strncmp(ev->identity, "ofx|", 4) != 0 || strlen(ev->identity) != 36
	                      : strncmp(ev->identity, "pix", 3) != 0 || strlen(ev->end_to_end_id) != 32)
		abort();
	if (ev->payer_document_partial && strlen(ev->payer_document) != 11)
		abort();
	return 0;
}

static void check_warning(void *ctx, const struct diag *d)
{
	char buf[1280];
	(void)ctx;
	if (d->severity != DIAG_WARNING || d->msg[0] == '\0')
		abort();
	diag_format(d, buf, sizeof buf);
}

static void fuzz_memo(const uint8_t *data, size_t size)
{
	char memo[600], name[600];
	size_t half = size / 2;
	size_t a = half < sizeof memo - 1 ? half : sizeof memo - 1;
	size_t b = size - half < sizeof name - 1 ? size - half : sizeof name - 1;
	memcpy(memo, data, a);
	memo[a] = '\0';
	memcpy(name, data + half, b);
	name[b] = '\0';
	struct ofx_memo m;
	ofx_memo_read(memo, name, &m);
	if (!TERMINATED(m.payer_name) || !TERMINATED(m.payer_document) || !TERMINATED(m.end_to_end_id) ||
	    !TERMINATED(m.refund_id))
		abort();
	if (m.end_to_end_id[0] && (strlen(m.end_to_end_id) != 32 || m.end_to_end_id[0] != 'E'))
		abort();
	(void)ofx_memo_is_balance(memo);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cnab_file_info info;
	struct diag err;
	diag_clear(&err);
	delivered = 0;
	(void)ofx_sniff(data, size);
	int rc = ofx_parse("fuzz.ofx", data, size, &info, check_event, NULL, check_warning, NULL, &err);
	if (rc != 0 && (err.msg[0] == '\0' || err.severity != DIAG_ERROR))
		abort();
	if (rc == 0 && (!info.layout_name || info.titles < delivered || info.titles != info.records ||
	                !TERMINATED(info.agreement)))
		abort();
	fuzz_memo(data, size);
	return 0;
}
