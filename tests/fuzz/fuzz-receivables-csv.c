/* libFuzzer target for the receivables CSV: any bytes must give rows or a
 * diagnostic, never a crash, a leak or undefined behaviour. The callback
 * checks what the parser promises about every row it hands over. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/receivables_csv.h"
#include "core/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_row(void *ctx, const struct receivable_row *row, struct diag *d)
{
	(void)ctx;
	(void)d;
	if (row->amount_cents <= 0 || row->bank < 1 || row->bank > 999 || row->id[0] == '\0' ||
	    row->due_date == CDATE_NONE || row->nosso_numero[0] == '\0' ||
	    memchr(row->id, '\0', sizeof row->id) == NULL ||
	    memchr(row->debtor_name, '\0', sizeof row->debtor_name) == NULL ||
	    memchr(row->email, '\0', sizeof row->email) == NULL ||
	    memchr(row->phone, '\0', sizeof row->phone) == NULL ||
	    (row->discount_cents > 0 &&
	     (row->discount_until == CDATE_NONE || row->discount_cents >= row->amount_cents)) ||
	    (row->issue_date != CDATE_NONE && row->issue_date > row->due_date) ||
	    (row->fine_e4 && row->fine_cents) || (row->interest_month_e4 && row->interest_day_cents) ||
	    (row->discount_cents && row->discount_e4) || row->rebate_cents >= row->amount_cents ||
	    (row->fine_after != CDATE_NONE && row->fine_after < row->due_date) ||
	    (row->discount2_until != CDATE_NONE && row->discount2_until <= row->discount_until) ||
	    (row->discount3_until != CDATE_NONE && row->discount3_until <= row->discount2_until))
		abort();
	return 0;
}

static void fuzz_warn(void *ctx, const struct diag *d)
{
	(void)ctx;
	if (d->severity != DIAG_WARNING)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag err;
	long n = receivables_csv_parse("fuzz.csv", data, size, fuzz_row, NULL, fuzz_warn, NULL,
				       &err);

	if (n < 0 && (err.msg[0] == '\0' || err.line < 1))
		abort();
	if (n >= 0 && err.msg[0] != '\0')
		abort();
	return 0;
}
