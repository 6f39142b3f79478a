/* --from and --as-of: what a person means by a date, as bounds over the
 * ledger's UTC timestamps. A day is a civil day in Brasília (UTC-3, no
 * daylight saving since 2019), the same day date_today() gives. */
#include "config.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "render/report.h"

enum { BRASILIA_OFFSET_HOURS = 3 }; /* local midnight = 03:00 UTC */

struct instant {
	cdate day; /* UTC day */
	int secs;  /* seconds since UTC midnight */
};

/* -1 when the day is outside the years 1 to 9999. */
static int format_instant(struct instant t, char *buf, size_t n)
{
	char day[16];
	if (date_format_iso(t.day, day, sizeof day) != 10)
		return -1;
	int k = snprintf(buf, n, "%sT%02d:%02d:%02dZ", day, t.secs / 3600, t.secs / 60 % 60, t.secs % 60);
	return k > 0 && (size_t)k < n ? 0 : -1;
}

static struct instant add_seconds(struct instant t, int secs)
{
	t.secs += secs;
	while (t.secs >= 86400) {
		t.secs -= 86400;
		t.day++;
	}
	while (t.secs < 0) {
		t.secs += 86400;
		t.day--;
	}
	return t;
}

static int two_digits(const char *s, int max, int *out)
{
	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]))
		return -1;
	*out = (s[0] - '0') * 10 + (s[1] - '0');
	return *out <= max ? 0 : -1;
}

/* "YYYY-MM-DDTHH:MM:SSZ" -> 1; a date -> 0 (*t = its local midnight);
 * anything else -> -1. */
static int parse_point(const char *s, struct instant *t, cdate *local_day)
{
	size_t len = strlen(s);
	int h, m, sec;
	if (len == 20 && s[10] == 'T' && s[13] == ':' && s[16] == ':' && s[19] == 'Z') {
		if (date_parse_iso(s, 10, &t->day) != 0 || two_digits(s + 11, 23, &h) ||
		    two_digits(s + 14, 59, &m) || two_digits(s + 17, 59, &sec))
			return -1;
		t->secs = h * 3600 + m * 60 + sec;
		return 1;
	}
	if (date_parse_text(s, len, local_day) != 0)
		return -1;
	t->day = *local_day;
	t->secs = BRASILIA_OFFSET_HOURS * 3600;
	return 0;
}

int report_period_parse(const char *from, const char *as_of, struct report_period *p, struct diag *d)
{
	struct instant t;
	cdate day;
	char br[16];
	memset(p, 0, sizeof *p);
	snprintf(p->from_pt, sizeof p->from_pt, "desde o início");
	snprintf(p->until_pt, sizeof p->until_pt, "até agora");
	if (from) {
		int kind = parse_point(from, &t, &day);
		if (kind < 0 || format_instant(t, p->from, sizeof p->from) != 0)
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL,
					"--from '%s' is not a date (YYYY-MM-DD, DD/MM/YYYY) or a UTC time "
					"(YYYY-MM-DDTHH:MM:SSZ)",
					from);
		if (kind == 0) {
			date_format_br(day, br, sizeof br);
			snprintf(p->from_pt, sizeof p->from_pt, "de %s 00:00:00 (Brasília)", br);
		} else {
			snprintf(p->from_pt, sizeof p->from_pt, "de %s", p->from);
		}
	}
	if (as_of) {
		/* The bound is exclusive: the end of the day is the next local
		 * midnight; a given second is included whole. */
		int kind = parse_point(as_of, &t, &day);
		if (kind < 0 || format_instant(add_seconds(t, kind == 0 ? 86400 : 1), p->until, sizeof p->until) != 0)
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL,
					"--as-of '%s' is not a date (YYYY-MM-DD, DD/MM/YYYY) or a UTC time "
					"(YYYY-MM-DDTHH:MM:SSZ)",
					as_of);
		if (kind == 0) {
			date_format_br(day, br, sizeof br);
			snprintf(p->until_pt, sizeof p->until_pt, "até %s 23:59:59 (Brasília)", br);
		} else {
			snprintf(p->until_pt, sizeof p->until_pt, "até %s", as_of);
		}
	}
	if (p->from[0] && p->until[0] && strcmp(p->until, p->from) <= 0)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL, "--as-of %s ends before --from %s begins", as_of,
				from);
	return 0;
}
