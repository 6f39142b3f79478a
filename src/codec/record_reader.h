/* Splitting a bank file into fixed-length records, for the CNAB readers.
 *
 * Bank and ERP software wrap the records in bytes that are not part of any
 * layout: a UTF-8 BOM, DOS end-of-file marks (0x1A), CR/LF line ends, blank
 * lines; and they damage records in a few known ways: trailing spaces
 * stripped, blanks added, the whole file re-saved as UTF-8. The rules of
 * reference/cnab.md §1 that undo this are the same for every record length,
 * so they live here once; what the records mean is the readers' business.
 * Errors and warnings are reported at the current line, in the same GNU
 * style for every reader.
 *
 * The line iterator and the fast path of record_reader_fit are inline: they
 * run once per record of files of millions of records. */
#ifndef CONCILIA_RECORD_READER_H
#define CONCILIA_RECORD_READER_H

#include <stddef.h>
#include <string.h>

#include "codec/layout.h"
#include "core/diag.h"

/* What a first record of the other CNAB family looks like: a file of the
 * wrong family is refused with that said, not with a length error. */
struct record_lookalike {
	size_t min, max;  /* length of the first record */
	const char *what; /* "CNAB 400 file, not CNAB 240" */
};

struct record_reader {
	const char *file;      /* for diagnostics */
	struct layout_where w; /* current line, warning sink */
	struct diag *err;
	size_t length; /* the layout's record length; 0 until a layout is chosen */
	const struct record_lookalike *lookalike;

	const unsigned char *buf;
	size_t pos, end;
	long line_no, pending_blank, first_blank;

	long short_records, long_records, utf8_records;
	unsigned char fixed[LAYOUT_MAX_LENGTH]; /* padded or re-encoded record */
};

/* Starts reading buf (kept, not copied): refuses UTF-16, skips a UTF-8
 * BOM and drops DOS end-of-file marks at the end. file (NULL: "<input>")
 * is only used in diagnostics; warn may be NULL. Returns 0, or -1 with err. */
int record_reader_open(struct record_reader *rr, const char *file, const unsigned char *buf, size_t len,
                       const struct record_lookalike *lookalike, diag_sink warn, void *wctx,
                       struct diag *err);

/* An error at the current line (column col, 0: none; field may be NULL).
 * Returns -1. */
int record_reader_fail(struct record_reader *rr, int col, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A warning at line (0: the whole file) and col, when there is a sink. */
void record_reader_warn(struct record_reader *rr, long line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The counts of damaged records beyond the first (each kind is warned about
 * in full once): call once at the end. */
void record_reader_summary(struct record_reader *rr);

/* Length of the UTF-8 BOM at the start of buf: 3 or 0. */
static inline size_t record_bom_length(const unsigned char *buf, size_t len)
{
	return len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF ? 3 : 0;
}

/* Blanks, tabs and 0x1A only: a line that carries no record. */
static inline int record_line_is_blank(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != 0x1A)
			return 0;
	return 1;
}

/* The first non-blank record of buf (after a UTF-8 BOM; CR, LF and a
 * trailing 0x1A not counted): its start in *start and its length, 0 when
 * there is none. 400 (or close to it) means CNAB 400, 240 CNAB 240. */
size_t record_first(const unsigned char *buf, size_t len, const unsigned char **start);

/* The 3-digit bank code at 1-based position pos of a record, or -1 when
 * the record is too short or those are not digits. */
static inline int record_bank_code(const unsigned char *rec, size_t len, size_t pos)
{
	if (pos < 1 || len < pos + 2)
		return -1;
	const unsigned char *p = rec + pos - 1;
	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9' || p[2] < '0' || p[2] > '9')
		return -1;
	return (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
}

/* Warns about the blank lines skipped before the current one. */
void record_reader_blank_lines(struct record_reader *rr);

/* The next line that is not blank, its CR/LF end removed: returns 1 with
 * *line, *len and the current line number set, 0 at the end of the file.
 * Blank lines between records are warned about; blank lines at the end
 * are not (editors and transfers add them). */
static inline int record_reader_next(struct record_reader *rr, const unsigned char **line, size_t *len)
{
	while (rr->pos < rr->end) {
		const unsigned char *s = rr->buf + rr->pos;
		const unsigned char *nl = memchr(s, '\n', rr->end - rr->pos);
		size_t n = nl ? (size_t)(nl - s) : rr->end - rr->pos;
		rr->pos += n + 1;
		rr->line_no++;
		while (n && s[n - 1] == '\r')
			n--;
		if (record_line_is_blank(s, n)) {
			if (rr->pending_blank++ == 0)
				rr->first_blank = rr->line_no;
			continue;
		}
		if (rr->pending_blank)
			record_reader_blank_lines(rr);
		rr->w.line = rr->line_no;
		*line = s;
		*len = n;
		return 1;
	}
	return 0;
}

/* record_reader_fit for a line that is not exactly rr->length long or
 * holds a NUL byte. */
int record_reader_fit_slow(struct record_reader *rr, const unsigned char *line, size_t len, int first,
                           const unsigned char **rec);

/* Brings the current line to exactly rr->length characters: *rec is the
 * line itself, or rr->fixed when it had to be padded or re-encoded from
 * UTF-8. first says whether this is the first record of the file (a
 * lookalike of the other family is refused as such). Returns 0, or -1
 * with the error set (NUL bytes, non-blank characters beyond the length). */
static inline int record_reader_fit(struct record_reader *rr, const unsigned char *line, size_t len,
                                    int first, const unsigned char **rec)
{
	if (len == rr->length && memchr(line, '\0', len) == NULL) {
		*rec = line;
		return 0;
	}
	return record_reader_fit_slow(rr, line, len, first, rec);
}

#endif
