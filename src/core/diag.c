/* Diagnostics: filling struct diag and rendering it in GNU style. */
#include "config.h"

#include "core/diag.h"

#include <stdarg.h>
#include <string.h>

void diag_clear(struct diag *d)
{
	memset(d, 0, sizeof(*d));
	d->severity = DIAG_ERROR;
}

/* Copies src into a fixed field, truncated; NULL becomes "". */
static void copy_field(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static void diag_vset(struct diag *d, enum diag_severity sev, const char *file, long line, int col,
		      const char *field, const char *fmt, va_list ap) __attribute__((format(printf, 7, 0)));

static void diag_vset(struct diag *d, enum diag_severity sev, const char *file, long line, int col,
		      const char *field, const char *fmt, va_list ap)
{
	d->severity = sev;
	copy_field(d->file, sizeof(d->file), file);
	d->line = line > 0 ? line : 0;
	d->col = col > 0 ? col : 0;
	copy_field(d->field, sizeof(d->field), field);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
}

int diag_set(struct diag *d, enum diag_severity sev, const char *file, long line, int col,
	     const char *field, const char *fmt, ...)
{
	va_list ap;

	if (d == NULL)
		return -1;
	va_start(ap, fmt);
	diag_vset(d, sev, file, line, col, field, fmt, ap);
	va_end(ap);
	return -1;
}

void diag_warn(diag_sink sink, void *ctx, const char *file, long line, int col, const char *field,
	       const char *fmt, ...)
{
	struct diag d;
	va_list ap;

	if (sink == NULL)
		return;
	va_start(ap, fmt);
	diag_vset(&d, DIAG_WARNING, file, line, col, field, fmt, ap);
	va_end(ap);
	sink(ctx, &d);
}

static const char *severity_word(enum diag_severity sev)
{
	switch (sev) {
	case DIAG_WARNING:
		return "warning";
	case DIAG_NOTE:
		return "note";
	case DIAG_ERROR:
	default:
		return "error";
	}
}

const char *diag_format(const struct diag *d, char *buf, size_t n)
{
	char where[560] = "";
	char what[96] = "";

	if (n == 0)
		return buf;
	/* Location: as much of FILE:LINE:COL as is known, and only with a
	 * file (a bare line number would not say of what). */
	if (d->file[0] != '\0') {
		if (d->line > 0 && d->col > 0)
			snprintf(where, sizeof(where), "%s:%ld:%d: ", d->file, d->line, d->col);
		else if (d->line > 0)
			snprintf(where, sizeof(where), "%s:%ld: ", d->file, d->line);
		else
			snprintf(where, sizeof(where), "%s: ", d->file);
	}
	/* With a line but no column the record is a CSV row, whose fields
	 * are named columns. */
	if (d->field[0] != '\0')
		snprintf(what, sizeof(what), "%s '%s': ",
			 d->file[0] != '\0' && d->line > 0 && d->col == 0 ? "column" : "field",
			 d->field);
	snprintf(buf, n, "%s%s: %s%s", where, severity_word(d->severity), what, d->msg);
	return buf;
}

void diag_print(FILE *fp, const struct diag *d)
{
	char buf[1280];

	fprintf(fp, "%s\n", diag_format(d, buf, sizeof(buf)));
}
