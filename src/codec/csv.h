/* A small RFC 4180 CSV reader: ',' or ';' separator (detected from the
 * header line), quoted fields with doubled quotes, CRLF or LF, UTF-8 BOM
 * skipped. Pure and streaming over a buffer; fields point into a reusable
 * buffer owned by the reader. */
#ifndef CONCILIA_CSV_H
#define CONCILIA_CSV_H

#include <stddef.h>

struct csv_field {
	const char *s; /* not NUL-terminated */
	size_t len;
};

struct csv_reader {
	const unsigned char *buf;
	size_t len, pos;
	char sep;       /* ',' or ';' */
	long line;      /* line where the current record starts (1-based) */
	long next_line;
	/* internal storage of the current record */
	char *store;
	size_t store_cap;
	struct csv_field *fields;
	size_t nfields, fields_cap;
};

/* Starts reading; detects the separator from the first line (the one with
 * more ';' than ',' outside quotes is ';'). */
void csv_init(struct csv_reader *r, const unsigned char *buf, size_t len);

/* Reads the next record. Returns 1 with r->fields/r->nfields set, 0 at the
 * end, -1 on an unterminated quote (*why set). Blank lines are skipped. */
int csv_next(struct csv_reader *r, const char **why);

void csv_free(struct csv_reader *r);

#endif
