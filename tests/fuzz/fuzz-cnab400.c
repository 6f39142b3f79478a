/* libFuzzer target for the CNAB 400 return reader: any bytes must give
 * titles or one diagnostic, never a crash, a leak or undefined behaviour.
 * The callbacks check what the reader promises about each title and each
 * warning. The same bytes are read with the layout chosen from the header
 * and with two forced layouts of different shapes (Itaú: amounts net of
 * tarifa; Sicredi: 8-digit dates), so that every branch gets the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/cnab400.h"
#include "codec/layout.h"
#include "codec/nosso_numero.h"
#include "core/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TERMINATED(a) (memchr((a), '\0', sizeof(a)) != NULL)

static int check_event(void *ctx, const struct bank_event *ev, struct diag *d)
{
	(void)ctx;
	(void)d;
	if (ev->line < 1 || ev->line_end < ev->line || ev->kind < 0 || ev->kind >= EVENT_KIND_COUNT ||
	    !TERMINATED(ev->agreement) || !TERMINATED(ev->nosso_numero_raw) ||
	    !TERMINATED(ev->nosso_numero) || !TERMINATED(ev->seu_numero) || !TERMINATED(ev->company_ref) ||
	    !TERMINATED(ev->occurrence) || !TERMINATED(ev->occurrence_text) || !TERMINATED(ev->reasons) ||
	    !TERMINATED(ev->payer_document) || !TERMINATED(ev->payer_name))
		abort();
	/* CNAB amounts are unsigned digit fields; the gross is never below
	 * the net. */
	if (ev->face_cents < 0 || ev->paid_cents < 0 || ev->net_cents < 0 || ev->tariff_cents < 0 ||
	    ev->charges_cents < 0 || ev->discount_cents < 0 || ev->rebate_cents < 0 || ev->iof_cents < 0 ||
	    ev->other_expenses_cents < 0 || ev->other_credits_cents < 0 || ev->net_cents > ev->paid_cents)
		abort();
	if (strlen(ev->nosso_numero) > NOSSO_NUMERO_MAX)
		abort();
	if ((ev->kind == EVENT_UNKNOWN) != (ev->occurrence_text[0] == '\0'))
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

static void read_once(const struct layout *l, const uint8_t *data, size_t size)
{
	struct diag err;
	struct cnab_file_info info;
	char buf[1280];
	int rc =
	    cnab400_parse(l, "fuzz.ret", data, size, &info, check_event, NULL, check_warning, NULL, &err);
	if (rc != 0 && (err.msg[0] == '\0' || err.severity != DIAG_ERROR))
		abort();
	if (rc == 0 && (err.msg[0] != '\0' || info.records < 2 || info.titles < 0 || info.layout_name == NULL))
		abort();
	if (!TERMINATED(info.bank_name) || !TERMINATED(info.company_name) || !TERMINATED(info.agreement) ||
	    !TERMINATED(info.agency) || !TERMINATED(info.account))
		abort();
	diag_format(&err, buf, sizeof buf);
}

static const struct layout *builtin(const char *name)
{
	struct diag err;
	const struct layout *l = layout_builtin(name, &err);
	if (l == NULL)
		abort();
	return l;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	read_once(NULL, data, size);
	read_once(builtin("cnab400-itau"), data, size);
	read_once(builtin("cnab400-sicredi"), data, size);
	return 0;
}
