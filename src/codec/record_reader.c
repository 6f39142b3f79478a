/* Splitting a bank file into fixed-length records (see record_reader.h). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "codec/record_reader.h"
#include "core/text.h"

int record_reader_open(struct record_reader *rr, const char *file, const unsigned char *buf, size_t len,
                       const struct record_lookalike *lookalike, diag_sink warn, void *wctx, struct diag *err)
{
	/* The fixed buffer is written before it is read: no need to clear it
	 * for every file. */
	memset(rr, 0, offsetof(struct record_reader, fixed));
	rr->file = file ? file : "<input>";
	rr->w.file = rr->file;
	rr->w.warn = warn;
	rr->w.wctx = wctx;
	rr->err = err;
	rr->lookalike = lookalike;
	rr->buf = buf;
	rr->end = len;
	if (len >= 2 && ((buf[0] == 0xFF && buf[1] == 0xFE) || (buf[0] == 0xFE && buf[1] == 0xFF)))
		return diag_set(err, DIAG_ERROR, rr->file, 1, 1, NULL,
		                "file is UTF-16; bank files are Latin-1 text");
	rr->pos = record_bom_length(buf, len);
	while (rr->end > rr->pos && buf[rr->end - 1] == 0x1A) /* DOS end-of-file mark */
		rr->end--;
	return 0;
}

int record_reader_fail(struct record_reader *rr, int col, const char *field, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return diag_set(rr->err, DIAG_ERROR, rr->file, rr->w.line, col, field, "%s", msg);
}

void record_reader_warn(struct record_reader *rr, long line, int col, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	if (rr->w.warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_warn(rr->w.warn, rr->w.wctx, rr->file, line, col, NULL, "%s", msg);
}

void record_reader_blank_lines(struct record_reader *rr)
{
	record_reader_warn(rr, rr->first_blank, 0, "%ld blank line(s) skipped", rr->pending_blank);
	rr->pending_blank = 0;
}

void record_reader_summary(struct record_reader *rr)
{
	if (rr->short_records > 1 && rr->length)
		record_reader_warn(rr, 0, 0,
		                   "%ld records were shorter than %d characters and were padded with spaces",
		                   rr->short_records, (int)rr->length);
	if (rr->long_records > 1 && rr->length)
		record_reader_warn(rr, 0, 0, "%ld records had trailing blanks beyond %d characters",
		                   rr->long_records, (int)rr->length);
}

/* Decodes UTF-8 into Latin-1 bytes (others become '?'). Returns the number
 * of characters, or -1 when they do not fit in n. */
static long utf8_to_latin1(const unsigned char *s, size_t len, unsigned char *out, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		unsigned c = s[i];
		unsigned cp;
		size_t k;
		if (c < 0x80) {
			cp = c;
			k = 1;
		} else if ((c & 0xE0) == 0xC0) {
			cp = c & 0x1F;
			k = 2;
		} else if ((c & 0xF0) == 0xE0) {
			cp = c & 0x0F;
			k = 3;
		} else {
			cp = c & 0x07;
			k = 4;
		}
		for (size_t j = 1; j < k && i + j < len; j++)
			cp = (cp << 6) | (s[i + j] & 0x3F);
		i += k;
		if (o == n)
			return -1;
		out[o++] = cp <= 0xFF ? (unsigned char)cp : '?';
	}
	return (long)o;
}

static int has_high_bytes(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] >= 0x80)
			return 1;
	return 0;
}

static int is_lookalike(const struct record_reader *rr, size_t len, int first)
{
	return first && rr->lookalike && len >= rr->lookalike->min && len <= rr->lookalike->max;
}

int record_reader_fit_slow(struct record_reader *rr, const unsigned char *line, size_t len, int first,
                           const unsigned char **rec)
{
	size_t L = rr->length;
	const unsigned char *nul = memchr(line, '\0', len);

	if (nul != NULL)
		return record_reader_fail(rr, (int)(nul - line) + 1, NULL,
		                          "NUL byte in record: this is not a text file (UTF-16?)");
	if (len == L) {
		*rec = line;
		return 0;
	}
	/* A UTF-8 file is accepted only when reading it as Latin-1 gives the
	 * wrong length and reading it as UTF-8 does not (reference/cnab.md §1). */
	if (has_high_bytes(line, len) && text_is_utf8(line, len)) {
		long n = utf8_to_latin1(line, len, rr->fixed, sizeof rr->fixed);
		if (n >= 0 && (size_t)n <= L) {
			if (rr->utf8_records++ == 0)
				record_reader_warn(rr, rr->w.line, 0,
				                   "record is UTF-8 text; read as %ld characters", n);
			if ((size_t)n == L) {
				*rec = rr->fixed;
				return 0;
			}
			line = rr->fixed;
			len = (size_t)n;
		}
	}
	if (len < L) {
		if (is_lookalike(rr, len, first))
			return record_reader_fail(rr, (int)len + 1, NULL,
			                          "record is %zu characters long: this looks like a %s", len,
			                          rr->lookalike->what);
		if (line != rr->fixed)
			memcpy(rr->fixed, line, len);
		memset(rr->fixed + len, ' ', L - len);
		if (rr->short_records++ == 0)
			record_reader_warn(rr, rr->w.line, (int)len + 1,
			                   "record is %zu characters long, padded with spaces to %zu "
			                   "(trailing spaces stripped?)",
			                   len, L);
		*rec = rr->fixed;
		return 0;
	}
	for (size_t i = L; i < len; i++)
		if (line[i] != ' ') {
			if (is_lookalike(rr, len, first))
				return record_reader_fail(
				    rr, (int)L + 1, NULL,
				    "record is %zu characters long: this looks like a %s", len,
				    rr->lookalike->what);
			return record_reader_fail(
			    rr, (int)L + 1, NULL,
			    "record is %zu characters long, expected %zu (extra characters "
			    "are not blanks)",
			    len, L);
		}
	if (rr->long_records++ == 0)
		record_reader_warn(
		    rr, rr->w.line, (int)L + 1,
		    "record is %zu characters long; the %zu blanks after position %zu are ignored", len,
		    len - L, L);
	*rec = line;
	return 0;
}

size_t record_first(const unsigned char *buf, size_t len, const unsigned char **start)
{
	size_t pos = record_bom_length(buf, len);
	*start = buf + pos;
	while (pos < len) {
		const unsigned char *nl = memchr(buf + pos, '\n', len - pos);
		size_t stop = nl ? (size_t)(nl - buf) : len;
		size_t llen = stop - pos;
		while (llen && (buf[pos + llen - 1] == '\r' || buf[pos + llen - 1] == 0x1A))
			llen--;
		if (!record_line_is_blank(buf + pos, llen)) {
			*start = buf + pos;
			return llen;
		}
		pos = stop + 1;
	}
	return 0;
}
