/* libFuzzer target for the holidays file (--holidays): any bytes must load
 * or give a diagnostic with its line, never a crash, a leak or undefined
 * behaviour; whatever loaded must leave the calendar usable (stepping to a
 * business day lands on one, for the country and for every state). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "core/calendar.h"
#include "core/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_steps(const struct calendar *cal)
{
	cdate d = date_from_ymd(2026, 12, 24);
	for (int i = 0; i < 14; i++, d++) {
		cdate next = calendar_next_business_day(cal, d);
		if (next != CDATE_NONE && (next < d || !calendar_is_business_day(cal, next)))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const some[] = {"SP", "RJ", "MG", "PR", ""};
	struct calendar *cal = calendar_new();
	struct diag err;

	if (cal == NULL)
		return 0;
	int rc = calendar_load_holidays(cal, "fuzz.txt", data, size, &err);
	if (rc != 0 && (err.msg[0] == '\0' || err.line < 1))
		abort();
	if (rc == 0 && err.msg[0] != '\0')
		abort();
	check_steps(cal);
	for (size_t i = 0; i < sizeof some / sizeof some[0]; i++)
		check_steps(calendar_for_state(cal, some[i]));
	calendar_free(cal);
	return 0;
}
