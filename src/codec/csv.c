/* RFC 4180 reader over an in-memory buffer. The cells of one record are
 * unquoted into r->store back to back, so a record costs no allocation once
 * the store and the field array have grown to the widest record seen. */
#include "config.h"

#include "codec/csv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char csv_oom[] = "out of memory";

/* Grows *p (elements of size elem) to hold at least need elements. */
static int csv_reserve(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t ncap;
	void *np;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 64;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / elem)
			return -1;
		ncap *= 2;
	}
	np = realloc(*p, ncap * elem);
	if (!np)
		return -1;
	*p = np;
	*cap = ncap;
	return 0;
}

static int csv_store_append(struct csv_reader *r, size_t *used, const unsigned char *s, size_t n)
{
	void *p = r->store;

	if (n > SIZE_MAX - *used || csv_reserve(&p, &r->store_cap, *used + n, 1) < 0)
		return -1;
	r->store = p;
	memcpy(r->store + *used, s, n);
	*used += n;
	return 0;
}

static int csv_push_field(struct csv_reader *r, size_t len)
{
	void *p = r->fields;

	if (csv_reserve(&p, &r->fields_cap, r->nfields + 1, sizeof *r->fields) < 0)
		return -1;
	r->fields = p;
	/* s is fixed up once the record is complete: the store may still move */
	r->fields[r->nfields].s = NULL;
	r->fields[r->nfields].len = len;
	r->nfields++;
	return 0;
}

/* Length of the line break at b[i] (LF, CRLF or a lone CR as old Mac Excel
 * writes), 0 when b[i] is not one. */
static size_t csv_eol(const unsigned char *b, size_t n, size_t i)
{
	if (i >= n)
		return 0;
	if (b[i] == '\n')
		return 1;
	if (b[i] == '\r')
		return (i + 1 < n && b[i + 1] == '\n') ? 2 : 1;
	return 0;
}

void csv_init(struct csv_reader *r, const unsigned char *buf, size_t len)
{
	size_t i, commas = 0, semis = 0;
	int quoted = 0;

	memset(r, 0, sizeof *r);
	r->buf = buf;
	r->len = len;
	r->line = 1;
	r->next_line = 1;
	if (len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF)
		r->pos = 3;

	/* Separator: count both candidates on the first non-blank line, outside
	 * quotes; a pt-BR Excel writes ';' because ',' is its decimal mark. */
	i = r->pos;
	for (;;) {
		size_t j = i, e;

		while (j < len && (buf[j] == ' ' || buf[j] == '\t'))
			j++;
		e = csv_eol(buf, len, j);
		if (e == 0)
			break;
		i = j + e;
	}
	for (; i < len; i++) {
		unsigned char c = buf[i];

		if (c == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (c == '\n' || c == '\r')
			break;
		else if (c == ',')
			commas++;
		else if (c == ';')
			semis++;
	}
	r->sep = semis > commas ? ';' : ',';
}

int csv_next(struct csv_reader *r, const char **why)
{
	const unsigned char *b = r->buf;
	size_t n = r->len, i = r->pos, used = 0, k;
	char *p;

	r->nfields = 0;
	/* Skip blank lines (only spaces or tabs), counting them. */
	for (;;) {
		size_t j = i, e;

		while (j < n && (b[j] == ' ' || b[j] == '\t'))
			j++;
		if (j >= n) {
			r->pos = n;
			r->line = r->next_line;
			return 0;
		}
		e = csv_eol(b, n, j);
		if (e == 0)
			break;
		i = j + e;
		r->next_line++;
	}
	r->line = r->next_line;

	/* The store always has a byte, so an empty cell never points at NULL. */
	{
		void *s = r->store;

		if (csv_reserve(&s, &r->store_cap, 1, 1) < 0)
			goto oom;
		r->store = s;
	}

	for (;;) {
		size_t start = used, j = i;

		/* Blanks before an opening quote are dropped (", "x"" is a common
		 * hand-written form); otherwise they belong to the cell. */
		while (j < n && (b[j] == ' ' || b[j] == '\t'))
			j++;
		if (j < n && b[j] == '"') {
			i = j + 1;
			for (;;) {
				size_t run = i;

				while (run < n && b[run] != '"') {
					if (b[run] == '\n' ||
					    (b[run] == '\r' && csv_eol(b, n, run) == 1))
						r->next_line++;
					run++;
				}
				if (csv_store_append(r, &used, b + i, run - i) < 0)
					goto oom;
				if (run >= n) {
					r->pos = n;
					r->nfields = 0;
					*why = "unterminated quoted field";
					return -1;
				}
				if (run + 1 < n && b[run + 1] == '"') {
					if (csv_store_append(r, &used, b + run, 1) < 0)
						goto oom;
					i = run + 2;
					continue;
				}
				i = run + 1;
				break;
			}
		}
		/* Unquoted cell, or stray text after a closing quote: kept as is,
		 * since refusing it would only move the problem to the user. */
		j = i;
		while (j < n && b[j] != (unsigned char)r->sep && b[j] != '\n' && b[j] != '\r')
			j++;
		if (csv_store_append(r, &used, b + i, j - i) < 0)
			goto oom;
		i = j;
		if (csv_push_field(r, used - start) < 0)
			goto oom;
		if (i < n && b[i] == (unsigned char)r->sep) {
			i++;
			continue;
		}
		if (csv_eol(b, n, i)) {
			i += csv_eol(b, n, i);
			r->next_line++;
		}
		break;
	}
	r->pos = i;

	p = r->store;
	for (k = 0; k < r->nfields; k++) {
		r->fields[k].s = p;
		p += r->fields[k].len;
	}
	return 1;

oom:
	r->pos = n;
	r->nfields = 0;
	*why = csv_oom;
	return -1;
}

void csv_free(struct csv_reader *r)
{
	free(r->store);
	free(r->fields);
	r->store = NULL;
	r->fields = NULL;
	r->store_cap = r->fields_cap = r->nfields = 0;
}
