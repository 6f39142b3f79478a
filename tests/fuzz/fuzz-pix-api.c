/* libFuzzer target for the API Pix JSON reader: any bytes must give events
 * or one diagnostic, never a crash, a leak or undefined behaviour. The
 * callbacks check what the reader promises about each event (kinds,
 * identities, amounts within the spec's range, dates, lines) and each
 * warning; the sniffer and json_pos run on the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/json_pos.h"
#include "codec/pix_api.h"
#include "core/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TERMINATED(a) (memchr((a), '\0', sizeof(a)) != NULL)

static int check_event(void *ctx, const struct bank_event *ev, struct diag *d)
{
	long *count = ctx;
	(void)d;
	(*count)++;
	if (ev->line < 1 || ev->line_end < ev->line)
		abort();
	if (!TERMINATED(ev->agreement) || !TERMINATED(ev->end_to_end_id) || !TERMINATED(ev->txid) ||
	    !TERMINATED(ev->refund_id) || !TERMINATED(ev->statement_ref) || !TERMINATED(ev->free_text) ||
	    !TERMINATED(ev->payer_document) || !TERMINATED(ev->payer_name) || !TERMINATED(ev->identity) ||
	    !TERMINATED(ev->occurrence_text))
		abort();
	if (strlen(ev->end_to_end_id) != 32 || ev->end_to_end_id[0] != 'E' || ev->weak_identity)
		abort();
	if (ev->paid_cents <= 0 || ev->paid_cents > PIX_API_MAX_CENTS || ev->net_cents != ev->paid_cents ||
	    ev->face_cents < 0 || ev->charges_cents < 0 || ev->discount_cents < 0 || ev->rebate_cents < 0)
		abort();
	if (ev->occurrence_date == CDATE_NONE || ev->credit_date != ev->occurrence_date)
		abort();
	char want[128];
	if (ev->kind == EVENT_CREDIT) {
		if (ev->refund_id[0])
			abort();
		memcpy(want, "pix|", 4);
		memcpy(want + 4, ev->end_to_end_id, 33);
	} else if (ev->kind == EVENT_REVERSAL) {
		if (strlen(ev->refund_id) != 32 || ev->refund_id[0] != 'D')
			abort();
		memcpy(want, "pixdev|", 7);
		memcpy(want + 7, ev->end_to_end_id, 32);
		want[39] = '|';
		memcpy(want + 40, ev->refund_id, 33);
	} else {
		abort();
	}
	if (strcmp(want, ev->identity) != 0)
		abort();
	return 0;
}

static void check_warning(void *ctx, const struct diag *d)
{
	char buf[1280];
	(void)ctx;
	if (d->severity != DIAG_WARNING || d->msg[0] == '\0' || d->line < 1 || d->col < 1)
		abort();
	diag_format(d, buf, sizeof buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag err;
	struct cnab_file_info info;
	char buf[1280];
	long events = 0;

	pix_api_sniff(data, size);
	int rc =
	    pix_api_parse("fuzz.json", data, size, &info, check_event, &events, check_warning, NULL, &err);
	if (rc != 0 && (err.msg[0] == '\0' || err.severity != DIAG_ERROR))
		abort();
	if (rc == 0 &&
	    (err.msg[0] != '\0' || info.layout_name == NULL || info.titles < 0 || info.titles > events))
		abort();
	if (!TERMINATED(info.agreement))
		abort();
	diag_format(&err, buf, sizeof buf);
	/* the same bytes without callbacks give the same verdict */
	if (pix_api_parse("fuzz.json", data, size, NULL, NULL, NULL, NULL, NULL, &err) != rc)
		abort();

	/* json_pos on raw bytes (no jansson before it) stays in bounds */
	struct json_pos_cursor c;
	long line;
	int col;
	json_pos_cursor_init(&c, data, size);
	size_t v = json_pos_member(data, size, 0, "pix");
	struct json_pos_array it;
	if (json_pos_array_begin(&it, data, size, v) == 0) {
		size_t e;
		while ((e = json_pos_array_next(&it)) != JSON_POS_NONE) {
			json_pos_locate(&c, e, &line, &col);
			json_pos_member(data, size, e, "valor");
		}
	}
	json_pos_locate(&c, size / 2, &line, &col);
	return 0;
}
