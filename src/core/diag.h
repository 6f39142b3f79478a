/* Diagnostics in GNU style: FILE:LINE:COL: field 'name': message.
 * Functions below src/cli/ never print; they fill a struct diag (errors)
 * or call a diag_sink (warnings), and the CLI prints. */
#ifndef CONCILIA_DIAG_H
#define CONCILIA_DIAG_H

#include <stdio.h>

enum diag_severity { DIAG_ERROR = 0, DIAG_WARNING = 1, DIAG_NOTE = 2 };

struct diag {
	enum diag_severity severity;
	char file[512];  /* "" when not about a file */
	long line;       /* 1-based; 0 = not about a line */
	int col;         /* 1-based; 0 = not about a column */
	char field[64];  /* "" when not about a field */
	char msg[512];
};

typedef void (*diag_sink)(void *ctx, const struct diag *d);

/* Clears d (no error). */
void diag_clear(struct diag *d);

/* Fills d. file and field may be NULL. Always returns -1 so that callers
 * can write `return diag_set(...)`. */
int diag_set(struct diag *d, enum diag_severity sev, const char *file, long line, int col,
	     const char *field, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* Like diag_set for a warning, then hands it to sink (if non-NULL). */
void diag_warn(diag_sink sink, void *ctx, const char *file, long line, int col, const char *field,
	       const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* Writes one line, then '\n'. SEV is "error", "warning" or "note"; parts
 * that are unset are left out:
 *   FILE:LINE:COL: SEV: field 'NAME': MSG     (fixed-width records)
 *   FILE:LINE: SEV: column 'NAME': MSG        (col == 0: CSV, named columns)
 *   FILE: SEV: MSG                            (line == 0: the file as a whole)
 *   SEV: MSG                                  (file == "": line/col ignored)
 * The "field/column 'NAME': " part appears only when field is set. */
void diag_print(FILE *fp, const struct diag *d);

/* Formats the same text into buf; returns buf. */
const char *diag_format(const struct diag *d, char *buf, size_t n);

#endif
