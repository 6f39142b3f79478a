/* The layout engine: parses formats/NAME.layout into records of typed fields,
 * matches fixed-width lines to records and extracts fields from them.
 * The syntax is documented in layout.h. Parsing happens once per layout;
 * the per-record functions below do no lookups by name and no allocation,
 * because the readers call them millions of times per file. */
#include "config.h"

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/layout.h"
#include "core/money.h"
#include "core/text.h"

#define MAX_CONDS      8
#define MAX_COND_VALUE 16
#define MAX_BANKS      32
#define MAX_TOKENS     32
#define MAX_MANUAL     256
#define MAX_FILE_BYTES (1024 * 1024)

struct layout_cond {
	int start, end;
	char value[MAX_COND_VALUE + 1];
};

struct layout_record {
	char name[LAYOUT_NAME_MAX + 1];
	struct layout_cond cond[MAX_CONDS];
	int ncond;
	int weight;     /* positions covered by the conditions: more wins */
	size_t order;   /* declaration order: breaks ties */
	int local_line; /* line that defined it in the file being parsed; 0 = inherited */
	struct layout_field *fields;
	int *field_local; /* same meaning as local_line, per field */
	size_t nfields, cap;
};

struct layout {
	char name[LAYOUT_NAME_MAX + 1];
	char parent[LAYOUT_NAME_MAX + 1];
	char family[LAYOUT_NAME_MAX + 1];
	char manual[MAX_MANUAL];
	int length;
	int lote_details;
	int paid_net; /* `paid-amount net-of-tariff` */
	int bank_any;
	int banks[MAX_BANKS];
	int nbanks;
	struct layout_record *records;
	size_t nrecords, rcap;
	size_t *match_order; /* record indexes, most specific first */
	struct layout_occurrence *occ;
	int *occ_local;
	size_t nocc, ocap;
	short occ_by_number[100]; /* index into occ for two-digit codes, -1 when absent */
};

/* ------------------------------------------------------------------ */
/* Small helpers */

static int is_blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static int is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '-' || c == '.';
}

/* Copies a field into a diagnostic-safe quoted form: printable ASCII as is,
 * anything else as \xNN, so the message shows exactly what the file holds. */
static void quote_bytes(const unsigned char *s, size_t len, char *out, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	for (size_t i = 0; i < len && o + 5 < n; i++) {
		unsigned char c = s[i];
		if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
			out[o++] = (char)c;
		} else if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
}

/* ------------------------------------------------------------------ */
/* Tokenizer: one line at a time. Words, '=' and "strings". */

struct token {
	const char *s; /* for strings: the decoded text in buf */
	size_t len;
	int col; /* 1-based column of the token's first character */
	int quoted;
};

struct line_tokens {
	struct token tok[MAX_TOKENS];
	int n;
	char buf[1024]; /* decoded string contents */
	size_t used;
};

struct parser {
	const char *file;
	int line;
	struct diag *err;
	struct layout *l;
	layout_resolve_fn resolve;
	void *rctx;
	int seen_layout;
	int seen_other; /* a directive other than layout/manual: inherits is too late */
	int seen_bank;
	int seen_family;
	int seen_length;
	int seen_lote_count;
	int seen_paid_amount;
	int seen_manual;
	int seen_inherits;
	int seen_occ_reset;
	int seen_occurrence; /* an `occurrence` line in this file: too late for a reset */
	struct layout_record *cur; /* the record fields are added to */
	size_t cur_index;
};

static int perr(struct parser *p, int col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int perr(struct parser *p, int col, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return diag_set(p->err, DIAG_ERROR, p->file, p->line, col, NULL, "%s", msg);
}

static int tokenize(struct parser *p, const char *s, size_t len, struct line_tokens *lt)
{
	size_t i = 0;
	lt->n = 0;
	lt->used = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (is_blank(c) || c == '\r') {
			i++;
			continue;
		}
		if (c == '#')
			break;
		if (lt->n == MAX_TOKENS)
			return perr(p, (int)i + 1, "too many words on one line (at most %d)", MAX_TOKENS);
		struct token *t = &lt->tok[lt->n++];
		t->col = (int)i + 1;
		t->quoted = 0;
		if (c == '=') {
			t->s = s + i;
			t->len = 1;
			i++;
			continue;
		}
		if (c == '"') {
			size_t start = lt->used;
			i++;
			for (;;) {
				if (i >= len)
					return perr(p, t->col, "unterminated string");
				c = (unsigned char)s[i];
				if (c == '"') {
					i++;
					break;
				}
				if (c == '\\') {
					if (i + 1 >= len || (s[i + 1] != '"' && s[i + 1] != '\\'))
						return perr(p, (int)i + 1,
						            "unknown escape in string (only \\\" and \\\\)");
					i++;
					c = (unsigned char)s[i];
				}
				if (c < 0x20 && c != '\t')
					return perr(p, (int)i + 1, "control character in string");
				if (lt->used + 1 >= sizeof lt->buf)
					return perr(p, t->col, "string too long");
				lt->buf[lt->used++] = (char)c;
				i++;
			}
			lt->buf[lt->used++] = '\0';
			t->s = lt->buf + start;
			t->len = lt->used - start - 1;
			t->quoted = 1;
			if (i < len && !is_blank((unsigned char)s[i]) && s[i] != '#' && s[i] != '\r')
				return perr(p, (int)i + 1, "expected a blank after the closing quote");
			continue;
		}
		t->s = s + i;
		while (i < len && !is_blank((unsigned char)s[i]) && s[i] != '=' && s[i] != '"' &&
		       s[i] != '#' && s[i] != '\r')
			i++;
		t->len = (size_t)(s + i - t->s);
	}
	return 0;
}

static int tok_is(const struct token *t, const char *word)
{
	return !t->quoted && strlen(word) == t->len && memcmp(t->s, word, t->len) == 0;
}

/* A word made of name characters, copied into out. */
static int tok_name(struct parser *p, const struct token *t, const char *what, char *out)
{
	if (t->quoted)
		return perr(p, t->col, "%s must be a plain word, not a string", what);
	if (t->len == 0 || t->len > LAYOUT_NAME_MAX)
		return perr(p, t->col, "%s must be 1 to %d characters long", what, LAYOUT_NAME_MAX);
	for (size_t i = 0; i < t->len; i++)
		if (!is_name_char(t->s[i]))
			return perr(p, t->col + (int)i,
			            "invalid character '%c' in %s (letters, digits, '_', '-', '.')", t->s[i],
			            what);
	memcpy(out, t->s, t->len);
	out[t->len] = '\0';
	return 0;
}

/* Unsigned decimal with at most 9 digits. */
static int parse_uint(const char *s, size_t len, int *out)
{
	int v = 0;
	if (len == 0 || len > 9)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int tok_uint(struct parser *p, const struct token *t, const char *what, int *out)
{
	if (t->quoted || parse_uint(t->s, t->len, out) != 0)
		return perr(p, t->col, "%s: expected a number, found \"%.*s\"", what, (int)t->len, t->s);
	return 0;
}

/* "A-B" or "A": positions of a condition. */
static int tok_range(struct parser *p, const struct token *t, int *a, int *b)
{
	const char *dash = t->quoted ? NULL : memchr(t->s, '-', t->len);
	if (dash == NULL) {
		if (t->quoted || parse_uint(t->s, t->len, a) != 0)
			goto bad;
		*b = *a;
	} else {
		size_t la = (size_t)(dash - t->s);
		if (parse_uint(t->s, la, a) != 0 || parse_uint(dash + 1, t->len - la - 1, b) != 0)
			goto bad;
	}
	return 0;
bad:
	return perr(p, t->col, "expected positions START-END, found \"%.*s\"", (int)t->len, t->s);
}

static int check_positions(struct parser *p, int col, int a, int b)
{
	if (a < 1)
		return perr(p, col, "positions start at 1 (1-based, as in the manual), found %d", a);
	if (b < a)
		return perr(p, col, "end position %d is before start position %d", b, a);
	if (b > p->l->length)
		return perr(p, col, "position %d is beyond the record length %d", b, p->l->length);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Building blocks of a layout */

static struct layout *layout_alloc(void)
{
	struct layout *l = calloc(1, sizeof *l);
	if (l)
		memset(l->occ_by_number, 0xff, sizeof l->occ_by_number);
	return l;
}

static void record_free(struct layout_record *r)
{
	free(r->fields);
	free(r->field_local);
}

void layout_free(struct layout *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->nrecords; i++)
		record_free(&l->records[i]);
	free(l->records);
	free(l->match_order);
	free(l->occ);
	free(l->occ_local);
	free(l);
}

static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 8;
	while (ncap < need)
		ncap *= 2;
	void *n = realloc(*arr, ncap * elem);
	if (n == NULL)
		return -1;
	*arr = n;
	*cap = ncap;
	return 0;
}

static int record_reserve(struct layout_record *r, size_t need)
{
	size_t cap = r->cap;
	if (grow((void **)&r->fields, &cap, need, sizeof *r->fields) != 0)
		return -1;
	size_t cap2 = r->cap;
	if (grow((void **)&r->field_local, &cap2, need, sizeof *r->field_local) != 0)
		return -1;
	r->cap = cap < cap2 ? cap : cap2;
	return 0;
}

static int occ_reserve(struct layout *l, size_t need)
{
	size_t cap = l->ocap, cap2 = l->ocap;
	if (grow((void **)&l->occ, &cap, need, sizeof *l->occ) != 0 ||
	    grow((void **)&l->occ_local, &cap2, need, sizeof *l->occ_local) != 0)
		return -1;
	l->ocap = cap < cap2 ? cap : cap2;
	return 0;
}

/* Deep copy of parent into l (everything but the name and the banks, which
 * belong to the variant). */
static int layout_copy_from(struct layout *l, const struct layout *parent)
{
	snprintf(l->family, sizeof l->family, "%s", parent->family);
	if (l->manual[0] == '\0') /* a `manual` line above `inherits` wins */
		snprintf(l->manual, sizeof l->manual, "%s", parent->manual);
	l->length = parent->length;
	l->lote_details = parent->lote_details;
	l->paid_net = parent->paid_net;
	if (parent->nrecords) {
		l->records = calloc(parent->nrecords, sizeof *l->records);
		if (l->records == NULL)
			return -1;
		l->rcap = parent->nrecords;
	}
	for (size_t i = 0; i < parent->nrecords; i++) {
		const struct layout_record *src = &parent->records[i];
		struct layout_record *dst = &l->records[i];
		*dst = *src;
		dst->fields = NULL;
		dst->field_local = NULL;
		dst->nfields = dst->cap = 0;
		dst->local_line = 0;
		l->nrecords = i + 1;
		if (record_reserve(dst, src->nfields ? src->nfields : 1) != 0)
			return -1;
		memcpy(dst->fields, src->fields, src->nfields * sizeof *src->fields);
		for (size_t f = 0; f < src->nfields; f++)
			dst->field_local[f] = 0;
		dst->nfields = src->nfields;
	}
	if (parent->nocc) {
		if (occ_reserve(l, parent->nocc) != 0)
			return -1;
		memcpy(l->occ, parent->occ, parent->nocc * sizeof *l->occ);
		for (size_t i = 0; i < parent->nocc; i++)
			l->occ_local[i] = 0;
		l->nocc = parent->nocc;
	}
	return 0;
}

static struct layout_record *find_record(struct layout *l, const char *name, size_t *index)
{
	for (size_t i = 0; i < l->nrecords; i++)
		if (strcmp(l->records[i].name, name) == 0) {
			if (index)
				*index = i;
			return &l->records[i];
		}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Directives */

static int need_args(struct parser *p, const struct line_tokens *lt, int min, int max, const char *usage)
{
	if (lt->n < min)
		return perr(p, lt->tok[lt->n - 1].col + (int)lt->tok[lt->n - 1].len,
		            "missing argument: usage: %s", usage);
	if (max >= 0 && lt->n > max)
		return perr(p, lt->tok[max].col, "unexpected \"%.*s\": usage: %s", (int)lt->tok[max].len,
		            lt->tok[max].s, usage);
	return 0;
}

static const struct layout *resolve_parent(struct parser *p, const char *name);

static int dir_inherits(struct parser *p, const struct line_tokens *lt)
{
	if (need_args(p, lt, 2, 2, "inherits NAME") != 0)
		return -1;
	if (p->seen_inherits)
		return perr(p, lt->tok[0].col, "`inherits` given twice (one parent per layout)");
	if (p->seen_other)
		return perr(p, lt->tok[0].col,
		            "`inherits` must come right after `layout`, before anything it would override");
	p->seen_inherits = 1;
	if (tok_is(&lt->tok[1], "-"))
		return 0;
	char name[LAYOUT_NAME_MAX + 1];
	if (tok_name(p, &lt->tok[1], "parent layout name", name) != 0)
		return -1;
	if (strcmp(name, p->l->name) == 0)
		return perr(p, lt->tok[1].col, "layout '%s' cannot inherit from itself", name);
	const struct layout *parent = resolve_parent(p, name);
	if (parent == NULL) {
		/* resolve_parent may have filled err with a deeper reason. */
		if (p->err->msg[0] == '\0')
			perr(p, lt->tok[1].col, "unknown parent layout '%s'", name);
		return -1;
	}
	if (layout_copy_from(p->l, parent) != 0)
		return perr(p, lt->tok[1].col, "out of memory");
	snprintf(p->l->parent, sizeof p->l->parent, "%s", name);
	p->seen_family = p->seen_length = 0;
	return 0;
}

static int dir_bank(struct parser *p, const struct line_tokens *lt)
{
	if (need_args(p, lt, 2, -1, "bank * | bank CODE [CODE...]") != 0)
		return -1;
	if (p->seen_bank)
		return perr(p, lt->tok[0].col, "`bank` given twice");
	p->seen_bank = 1;
	for (int i = 1; i < lt->n; i++) {
		const struct token *t = &lt->tok[i];
		int code;
		if (tok_is(t, "*")) {
			p->l->bank_any = 1;
			continue;
		}
		if (t->quoted || parse_uint(t->s, t->len, &code) != 0 || code > 999)
			return perr(p, t->col, "bank code: expected * or a number 0-999, found \"%.*s\"",
			            (int)t->len, t->s);
		if (p->l->nbanks == MAX_BANKS)
			return perr(p, t->col, "too many bank codes (at most %d)", MAX_BANKS);
		p->l->banks[p->l->nbanks++] = code;
	}
	return 0;
}

static int parse_cond(struct parser *p, const struct line_tokens *lt, int i, struct layout_cond *c)
{
	/* A-B = "value" */
	const struct token *last = &lt->tok[lt->n - 1];
	if (i >= lt->n)
		return perr(p, last->col + (int)last->len,
		            "incomplete condition: expected START-END = \"VALUE\"");
	if (tok_range(p, &lt->tok[i], &c->start, &c->end) != 0)
		return -1;
	if (check_positions(p, lt->tok[i].col, c->start, c->end) != 0)
		return -1;
	if (i + 1 >= lt->n || !tok_is(&lt->tok[i + 1], "="))
		return perr(p, i + 1 < lt->n ? lt->tok[i + 1].col : last->col + (int)last->len,
		            "expected '=' after the positions");
	if (i + 2 >= lt->n)
		return perr(p, last->col + 1, "missing value after '='");
	const struct token *v = &lt->tok[i + 2];
	if (!v->quoted)
		return perr(p, v->col, "the value must be quoted: \"%.*s\"", (int)v->len, v->s);
	size_t width = (size_t)(c->end - c->start + 1);
	if (v->len != width)
		return perr(p, v->col, "value \"%s\" has %zu characters, positions %d-%d cover %zu", v->s,
		            v->len, c->start, c->end, width);
	if (width > MAX_COND_VALUE)
		return perr(p, v->col, "condition values are at most %d characters", MAX_COND_VALUE);
	memcpy(c->value, v->s, v->len);
	c->value[v->len] = '\0';
	return 0;
}

static int dir_record(struct parser *p, const struct line_tokens *lt)
{
	if (need_args(p, lt, 2, -1, "record NAME [when START-END = \"VALUE\" [and ...]]") != 0)
		return -1;
	if (p->l->length == 0)
		return perr(p, lt->tok[0].col, "`length` must come before the first record");
	char name[LAYOUT_NAME_MAX + 1];
	if (tok_name(p, &lt->tok[1], "record name", name) != 0)
		return -1;
	struct layout_cond conds[MAX_CONDS];
	int ncond = 0;
	if (lt->n > 2) {
		if (!tok_is(&lt->tok[2], "when"))
			return perr(p, lt->tok[2].col, "expected `when` after the record name");
		int i = 3;
		for (;;) {
			if (ncond == MAX_CONDS)
				return perr(p, lt->tok[i < lt->n ? i : lt->n - 1].col,
				            "too many conditions (at most %d)", MAX_CONDS);
			if (parse_cond(p, lt, i, &conds[ncond]) != 0)
				return -1;
			ncond++;
			i += 3;
			if (i == lt->n)
				break;
			if (!tok_is(&lt->tok[i], "and"))
				return perr(p, lt->tok[i].col, "expected `and` between conditions");
			i++;
			if (i == lt->n)
				return perr(p, lt->tok[i - 1].col + 3, "missing condition after `and`");
		}
	}
	size_t index;
	struct layout_record *r = find_record(p->l, name, &index);
	if (r && r->local_line)
		return perr(p, lt->tok[1].col, "record '%s' already defined at line %d", name, r->local_line);
	if (r == NULL) {
		if (ncond == 0)
			return perr(p, lt->tok[1].col,
			            "record '%s' needs a `when` condition (it is not inherited)", name);
		if (grow((void **)&p->l->records, &p->l->rcap, p->l->nrecords + 1, sizeof *p->l->records) !=
		    0)
			return perr(p, lt->tok[0].col, "out of memory");
		index = p->l->nrecords++;
		r = &p->l->records[index];
		memset(r, 0, sizeof *r);
		snprintf(r->name, sizeof r->name, "%s", name);
		r->order = index;
	}
	r->local_line = p->line;
	if (ncond) {
		memcpy(r->cond, conds, sizeof conds[0] * (size_t)ncond);
		r->ncond = ncond;
		r->weight = 0;
		for (int i = 0; i < ncond; i++)
			r->weight += conds[i].end - conds[i].start + 1;
	}
	p->cur = r;
	p->cur_index = index;
	return 0;
}

static const struct {
	const char *name;
	enum layout_type type;
} type_names[] = {
    {"num", LAYOUT_NUM},     {"alnum", LAYOUT_ALNUM}, {"money", LAYOUT_MONEY},
    {"date8", LAYOUT_DATE8}, {"date6", LAYOUT_DATE6}, {"date8ymd", LAYOUT_DATE8YMD},
};

static int dir_field(struct parser *p, const struct line_tokens *lt)
{
	if (need_args(p, lt, 5, -1, "field NAME START END TYPE [blank-ok]") != 0)
		return -1;
	if (p->cur == NULL)
		return perr(p, lt->tok[0].col, "`field` outside a record (write `record NAME ...` first)");
	struct layout_field f;
	memset(&f, 0, sizeof f);
	if (tok_name(p, &lt->tok[1], "field name", f.name) != 0)
		return -1;
	if (tok_uint(p, &lt->tok[2], "start position", &f.start) != 0 ||
	    tok_uint(p, &lt->tok[3], "end position", &f.end) != 0)
		return -1;
	if (check_positions(p, lt->tok[2].col, f.start, f.end) != 0)
		return -1;
	const struct token *tt = &lt->tok[4];
	size_t ti;
	for (ti = 0; ti < sizeof type_names / sizeof type_names[0]; ti++)
		if (tok_is(tt, type_names[ti].name))
			break;
	if (ti == sizeof type_names / sizeof type_names[0])
		return perr(p, tt->col, "unknown type \"%.*s\" (num, alnum, money, date8, date6, date8ymd)",
		            (int)tt->len, tt->s);
	f.type = type_names[ti].type;
	int width = f.end - f.start + 1;
	if ((f.type == LAYOUT_NUM || f.type == LAYOUT_MONEY) && width > 18)
		return perr(p, lt->tok[3].col, "%s fields are at most 18 digits, this one has %d",
		            type_names[ti].name, width);
	if ((f.type == LAYOUT_DATE8 || f.type == LAYOUT_DATE8YMD) && width != 8)
		return perr(p, lt->tok[3].col, "%s fields are 8 positions wide, this one has %d",
		            type_names[ti].name, width);
	if (f.type == LAYOUT_DATE6 && width != 6)
		return perr(p, lt->tok[3].col, "date6 fields are 6 positions wide, this one has %d", width);
	for (int i = 5; i < lt->n; i++) {
		if (tok_is(&lt->tok[i], "blank-ok"))
			f.flags |= LAYOUT_BLANK_OK;
		else
			return perr(p, lt->tok[i].col, "unknown field option \"%.*s\" (blank-ok)",
			            (int)lt->tok[i].len, lt->tok[i].s);
	}
	f.decl_line = p->line;
	struct layout_record *r = p->cur;
	for (size_t i = 0; i < r->nfields; i++) {
		if (strcmp(r->fields[i].name, f.name) != 0)
			continue;
		if (r->field_local[i])
			return perr(p, lt->tok[1].col, "field '%s' already defined at line %d", f.name,
			            r->field_local[i]);
		r->fields[i] = f; /* a variant overrides its parent's field in place */
		r->field_local[i] = p->line;
		return 0;
	}
	if (record_reserve(r, r->nfields + 1) != 0)
		return perr(p, lt->tok[0].col, "out of memory");
	r->fields[r->nfields] = f;
	r->field_local[r->nfields] = p->line;
	r->nfields++;
	return 0;
}

static int dir_occurrence(struct parser *p, const struct line_tokens *lt)
{
	if (need_args(p, lt, 4, 4, "occurrence CODE KIND \"Description\"") != 0)
		return -1;
	const struct token *ct = &lt->tok[1], *kt = &lt->tok[2], *dt = &lt->tok[3];
	if (ct->quoted || ct->len == 0 || ct->len > 3)
		return perr(p, ct->col, "occurrence code: expected 1 to 3 characters, found \"%.*s\"",
		            (int)ct->len, ct->s);
	for (size_t i = 0; i < ct->len; i++)
		if (!((ct->s[i] >= '0' && ct->s[i] <= '9') || (ct->s[i] >= 'A' && ct->s[i] <= 'Z')))
			return perr(p, ct->col + (int)i, "occurrence code: digits and capital letters only");
	char kind_name[LAYOUT_NAME_MAX + 1];
	if (kt->quoted || kt->len > LAYOUT_NAME_MAX)
		return perr(p, kt->col, "event kind must be a plain word");
	memcpy(kind_name, kt->s, kt->len);
	kind_name[kt->len] = '\0';
	enum event_kind kind = event_kind_from_name(kind_name);
	if (kind == EVENT_KIND_COUNT || kind == EVENT_UNKNOWN)
		return perr(p, kt->col,
		            "unknown event kind '%s' (entry_confirmed, entry_rejected, liquidation, "
		            "liquidation_after_writeoff, writeoff, protest, instruction_ack, "
		            "instruction_rejected, tariff, other)",
		            kind_name);
	if (!dt->quoted)
		return perr(p, dt->col, "the description must be a quoted string");
	if (dt->len >= sizeof((struct layout_occurrence *)0)->text)
		return perr(p, dt->col, "description longer than %zu bytes",
		            sizeof((struct layout_occurrence *)0)->text - 1);
	if (!text_is_utf8((const unsigned char *)dt->s, dt->len))
		return perr(p, dt->col, "description is not valid UTF-8");

	struct layout *l = p->l;
	size_t i;
	for (i = 0; i < l->nocc; i++)
		if (strlen(l->occ[i].code) == ct->len && memcmp(l->occ[i].code, ct->s, ct->len) == 0)
			break;
	if (i < l->nocc && l->occ_local[i])
		return perr(p, ct->col, "occurrence %.*s already defined at line %d", (int)ct->len, ct->s,
		            l->occ_local[i]);
	if (i == l->nocc) {
		if (occ_reserve(l, l->nocc + 1) != 0)
			return perr(p, ct->col, "out of memory");
		l->nocc++;
	}
	struct layout_occurrence *o = &l->occ[i];
	p->seen_occurrence = 1;
	memset(o, 0, sizeof *o);
	memcpy(o->code, ct->s, ct->len);
	o->kind = kind;
	memcpy(o->text, dt->s, dt->len);
	l->occ_local[i] = p->line;
	return 0;
}

/* `occurrences reset`: a bank whose movement-code table is its own (not
 * FEBRABAN's with additions) drops the inherited table, so that a code the
 * bank never defined is reported as unknown instead of with the meaning
 * FEBRABAN gives it (Itaú 17 is a rejection, FEBRABAN 17 a payment). */
static int dir_occurrences(struct parser *p, const struct line_tokens *lt)
{
	if (need_args(p, lt, 2, 2, "occurrences reset") != 0)
		return -1;
	if (!tok_is(&lt->tok[1], "reset"))
		return perr(p, lt->tok[1].col, "expected `reset` after `occurrences`");
	if (p->seen_occ_reset)
		return perr(p, lt->tok[0].col, "`occurrences reset` given twice");
	if (p->seen_occurrence)
		return perr(p, lt->tok[0].col,
		            "`occurrences reset` must come before the layout's own `occurrence` lines");
	p->seen_occ_reset = 1;
	p->l->nocc = 0;
	return 0;
}

static int directive(struct parser *p, const struct line_tokens *lt)
{
	const struct token *d = &lt->tok[0];
	struct layout *l = p->l;

	if (d->quoted)
		return perr(p, d->col, "expected a directive, found a string");
	if (!p->seen_layout) {
		if (!tok_is(d, "layout"))
			return perr(p, d->col, "the first directive must be `layout NAME`");
		if (need_args(p, lt, 2, 2, "layout NAME") != 0)
			return -1;
		if (tok_name(p, &lt->tok[1], "layout name", l->name) != 0)
			return -1;
		p->seen_layout = 1;
		return 0;
	}
	if (tok_is(d, "layout"))
		return perr(p, d->col, "`layout` given twice (one layout per file)");
	if (tok_is(d, "inherits"))
		return dir_inherits(p, lt);
	if (tok_is(d, "manual")) {
		if (need_args(p, lt, 2, 2, "manual \"Title, version\"") != 0)
			return -1;
		if (!lt->tok[1].quoted)
			return perr(p, lt->tok[1].col, "the manual must be a quoted string");
		if (p->seen_manual)
			return perr(p, d->col, "`manual` given twice");
		if (lt->tok[1].len >= sizeof l->manual)
			return perr(p, lt->tok[1].col, "manual title too long");
		p->seen_manual = 1;
		snprintf(l->manual, sizeof l->manual, "%s", lt->tok[1].s);
		return 0;
	}
	p->seen_other = 1;
	if (tok_is(d, "family")) {
		if (need_args(p, lt, 2, 2, "family NAME") != 0)
			return -1;
		if (p->seen_family)
			return perr(p, d->col, "`family` given twice");
		char fam[LAYOUT_NAME_MAX + 1];
		if (tok_name(p, &lt->tok[1], "family", fam) != 0)
			return -1;
		if (l->parent[0] && strcmp(fam, l->family) != 0)
			return perr(p, lt->tok[1].col, "a variant cannot change the family ('%s')",
			            l->family);
		p->seen_family = 1;
		snprintf(l->family, sizeof l->family, "%s", fam);
		return 0;
	}
	if (tok_is(d, "length")) {
		int n;
		if (need_args(p, lt, 2, 2, "length N") != 0)
			return -1;
		if (p->seen_length)
			return perr(p, d->col, "`length` given twice");
		if (tok_uint(p, &lt->tok[1], "record length", &n) != 0)
			return -1;
		if (n < 1 || n > LAYOUT_MAX_LENGTH)
			return perr(p, lt->tok[1].col, "record length must be 1 to %d", LAYOUT_MAX_LENGTH);
		if (l->length && n != l->length)
			return perr(p, lt->tok[1].col, "a variant cannot change the record length (%d)",
			            l->length);
		if (l->nrecords && !l->parent[0])
			return perr(p, d->col, "`length` must come before the first record");
		p->seen_length = 1;
		l->length = n;
		return 0;
	}
	if (tok_is(d, "bank"))
		return dir_bank(p, lt);
	if (tok_is(d, "lote-count")) {
		if (need_args(p, lt, 2, 2, "lote-count all|details") != 0)
			return -1;
		if (p->seen_lote_count)
			return perr(p, d->col, "`lote-count` given twice");
		p->seen_lote_count = 1;
		if (tok_is(&lt->tok[1], "all"))
			l->lote_details = 0;
		else if (tok_is(&lt->tok[1], "details"))
			l->lote_details = 1;
		else
			return perr(p, lt->tok[1].col, "expected `all` or `details`");
		return 0;
	}
	if (tok_is(d, "paid-amount")) {
		if (need_args(p, lt, 2, 2, "paid-amount gross|net-of-tariff") != 0)
			return -1;
		if (p->seen_paid_amount)
			return perr(p, d->col, "`paid-amount` given twice");
		p->seen_paid_amount = 1;
		if (tok_is(&lt->tok[1], "gross"))
			l->paid_net = 0;
		else if (tok_is(&lt->tok[1], "net-of-tariff"))
			l->paid_net = 1;
		else
			return perr(p, lt->tok[1].col, "expected `gross` or `net-of-tariff`");
		return 0;
	}
	if (tok_is(d, "occurrences"))
		return dir_occurrences(p, lt);
	if (tok_is(d, "record"))
		return dir_record(p, lt);
	if (tok_is(d, "field"))
		return dir_field(p, lt);
	if (tok_is(d, "occurrence"))
		return dir_occurrence(p, lt);
	return perr(p, d->col,
	            "unknown directive \"%.*s\" (layout, inherits, manual, family, length, bank, "
	            "lote-count, paid-amount, record, field, occurrences, occurrence)",
	            (int)d->len, d->s);
}

/* Most specific record first; ties keep declaration order. */
static int finish(struct parser *p)
{
	struct layout *l = p->l;
	if (!p->seen_layout)
		return perr(p, 1, "empty layout: the first directive must be `layout NAME`");
	if (l->family[0] == '\0')
		return perr(p, 0, "layout '%s' has no `family`", l->name);
	if (l->length == 0)
		return perr(p, 0, "layout '%s' has no `length`", l->name);
	if (l->nrecords == 0)
		return perr(p, 0, "layout '%s' has no records", l->name);
	l->match_order = malloc(l->nrecords * sizeof *l->match_order);
	if (l->match_order == NULL)
		return perr(p, 0, "out of memory");
	for (size_t i = 0; i < l->nrecords; i++) {
		size_t j = i;
		while (j > 0) {
			const struct layout_record *a = &l->records[l->match_order[j - 1]];
			const struct layout_record *b = &l->records[i];
			if (a->weight >= b->weight)
				break;
			l->match_order[j] = l->match_order[j - 1];
			j--;
		}
		l->match_order[j] = i;
	}
	memset(l->occ_by_number, 0xff, sizeof l->occ_by_number);
	for (size_t i = 0; i < l->nocc; i++) {
		const char *c = l->occ[i].code;
		if (c[0] >= '0' && c[0] <= '9' && c[1] >= '0' && c[1] <= '9' && c[2] == '\0')
			l->occ_by_number[(c[0] - '0') * 10 + (c[1] - '0')] = (short)i;
	}
	/* The parse-time "defined here" marks mean nothing to a child layout. */
	for (size_t i = 0; i < l->nrecords; i++) {
		l->records[i].local_line = 0;
		for (size_t f = 0; f < l->records[i].nfields; f++)
			l->records[i].field_local[f] = 0;
	}
	for (size_t i = 0; i < l->nocc; i++)
		l->occ_local[i] = 0;
	return 0;
}

static struct layout *parse_text(const char *filename, const char *text, size_t len,
                                 layout_resolve_fn resolve, void *rctx, struct diag *err)
{
	struct parser p;
	struct line_tokens lt;
	memset(&p, 0, sizeof p);
	p.file = filename ? filename : "<layout>";
	p.err = err;
	p.resolve = resolve;
	p.rctx = rctx;
	diag_clear(err);
	p.l = layout_alloc();
	if (p.l == NULL) {
		diag_set(err, DIAG_ERROR, p.file, 0, 0, NULL, "out of memory");
		return NULL;
	}
	size_t pos = 0;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		p.line++;
		if (memchr(text + pos, '\0', end - pos) != NULL) {
			perr(&p, 0, "NUL byte in layout file");
			goto fail;
		}
		if (tokenize(&p, text + pos, end - pos, &lt) != 0)
			goto fail;
		if (lt.n > 0 && directive(&p, &lt) != 0)
			goto fail;
		pos = end + 1;
	}
	if (finish(&p) != 0)
		goto fail;
	return p.l;
fail:
	layout_free(p.l);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Built-in layouts: parsed once, on first use. */

enum { BUILTIN_MAX = 64 };

static struct {
	size_t count;
	char names[BUILTIN_MAX][LAYOUT_NAME_MAX + 1];
	struct layout *parsed[BUILTIN_MAX];
	struct diag errors[BUILTIN_MAX];
	int state[BUILTIN_MAX]; /* 0 todo, 1 parsing (cycle guard), 2 done */
} builtins;

static pthread_once_t builtins_once = PTHREAD_ONCE_INIT;

/* The name on the `layout` line, found without a full parse so that parents
 * can be looked up before they are parsed. */
static void scan_name(const char *text, char *out)
{
	out[0] = '\0';
	const char *s = text;
	while (*s) {
		while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			s++;
		if (*s == '#') {
			while (*s && *s != '\n')
				s++;
			continue;
		}
		if (strncmp(s, "layout", 6) == 0 && (s[6] == ' ' || s[6] == '\t')) {
			s += 6;
			while (*s == ' ' || *s == '\t')
				s++;
			size_t n = 0;
			while (is_name_char(s[n]) && n < LAYOUT_NAME_MAX)
				n++;
			memcpy(out, s, n);
			out[n] = '\0';
		}
		return;
	}
}

static const struct layout *builtin_resolve(void *ctx, const char *name);

static void builtin_parse(size_t i)
{
	char fname[300];
	const struct layout_source *src = &layout_builtin_sources[i];
	if (builtins.state[i] != 0)
		return;
	builtins.state[i] = 1;
	snprintf(fname, sizeof fname, "formats/%s", src->name);
	builtins.parsed[i] =
	    parse_text(fname, src->text, strlen(src->text), builtin_resolve, NULL, &builtins.errors[i]);
	builtins.state[i] = 2;
}

static const struct layout *builtin_resolve(void *ctx, const char *name)
{
	(void)ctx;
	for (size_t i = 0; i < builtins.count; i++) {
		if (strcmp(builtins.names[i], name) != 0)
			continue;
		if (builtins.state[i] == 1)
			return NULL; /* inheritance cycle: reported as an unknown parent */
		builtin_parse(i);
		return builtins.parsed[i];
	}
	return NULL;
}

static void builtins_load(void)
{
	size_t n = 0;
	while (layout_builtin_sources[n].name != NULL && n < BUILTIN_MAX)
		n++;
	builtins.count = n;
	for (size_t i = 0; i < n; i++)
		scan_name(layout_builtin_sources[i].text, builtins.names[i]);
	for (size_t i = 0; i < n; i++)
		builtin_parse(i);
}

size_t layout_builtin_count(void)
{
	pthread_once(&builtins_once, builtins_load);
	return builtins.count;
}

const struct layout *layout_builtin_at(size_t i, struct diag *err)
{
	pthread_once(&builtins_once, builtins_load);
	if (i >= builtins.count) {
		diag_set(err, DIAG_ERROR, NULL, 0, 0, NULL, "no built-in layout #%zu", i);
		return NULL;
	}
	if (builtins.parsed[i] == NULL)
		*err = builtins.errors[i];
	return builtins.parsed[i];
}

const struct layout *layout_builtin(const char *name, struct diag *err)
{
	pthread_once(&builtins_once, builtins_load);
	for (size_t i = 0; i < builtins.count; i++)
		if (strcmp(builtins.names[i], name) == 0)
			return layout_builtin_at(i, err);
	diag_set(err, DIAG_ERROR, NULL, 0, 0, NULL, "no built-in layout called '%s'", name);
	return NULL;
}

const struct layout *layout_builtin_for_bank(const char *family, int bank, struct diag *err)
{
	const struct layout *any = NULL;
	pthread_once(&builtins_once, builtins_load);
	for (size_t i = 0; i < builtins.count; i++) {
		const struct layout *l = builtins.parsed[i];
		if (l == NULL || strcmp(l->family, family) != 0)
			continue;
		if (layout_has_bank(l, bank, 0))
			return l;
		if (l->bank_any && any == NULL)
			any = l;
	}
	if (any)
		return any;
	/* A broken built-in of this family is the likely reason: say so. */
	for (size_t i = 0; i < builtins.count; i++)
		if (builtins.parsed[i] == NULL) {
			*err = builtins.errors[i];
			return NULL;
		}
	diag_set(err, DIAG_ERROR, NULL, 0, 0, NULL, "no built-in %s layout for bank %03d", family, bank);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Public loading */

static const struct layout *resolve_parent(struct parser *p, const char *name)
{
	if (p->resolve)
		return p->resolve(p->rctx, name);
	struct diag ignored;
	diag_clear(&ignored);
	return layout_builtin(name, &ignored);
}

struct layout *layout_parse_with(const char *filename, const char *text, size_t len,
                                 layout_resolve_fn resolve, void *rctx, struct diag *err)
{
	return parse_text(filename, text, len, resolve, rctx, err);
}

struct layout *layout_parse(const char *filename, const char *text, size_t len, struct diag *err)
{
	return parse_text(filename, text, len, NULL, NULL, err);
}

struct layout *layout_load_file(const char *path, struct diag *err)
{
	FILE *fp = fopen(path, "rb");
	if (fp == NULL) {
		diag_set(err, DIAG_ERROR, path, 0, 0, NULL, "cannot open layout: %s", strerror(errno));
		return NULL;
	}
	char *buf = malloc(MAX_FILE_BYTES + 1);
	if (buf == NULL) {
		fclose(fp);
		diag_set(err, DIAG_ERROR, path, 0, 0, NULL, "out of memory");
		return NULL;
	}
	size_t n = fread(buf, 1, MAX_FILE_BYTES + 1, fp);
	int bad = ferror(fp);
	fclose(fp);
	struct layout *l = NULL;
	if (bad)
		diag_set(err, DIAG_ERROR, path, 0, 0, NULL, "cannot read layout");
	else if (n > MAX_FILE_BYTES)
		diag_set(err, DIAG_ERROR, path, 0, 0, NULL, "layout file larger than %d bytes",
		         MAX_FILE_BYTES);
	else
		l = layout_parse(path, buf, n, err);
	free(buf);
	return l;
}

/* ------------------------------------------------------------------ */
/* Metadata */

const char *layout_name(const struct layout *l)
{
	return l->name;
}
const char *layout_manual(const struct layout *l)
{
	return l->manual;
}
const char *layout_family(const struct layout *l)
{
	return l->family;
}
const char *layout_parent(const struct layout *l)
{
	return l->parent;
}
int layout_length(const struct layout *l)
{
	return l->length;
}
int layout_lote_counts_details(const struct layout *l)
{
	return l->lote_details;
}

int layout_paid_is_net_of_tariff(const struct layout *l)
{
	return l->paid_net;
}

int layout_single_bank(const struct layout *l)
{
	return l->nbanks == 1 && !l->bank_any ? l->banks[0] : 0;
}

int layout_has_bank(const struct layout *l, int bank, int any_ok)
{
	for (int i = 0; i < l->nbanks; i++)
		if (l->banks[i] == bank)
			return 1;
	return any_ok && l->bank_any;
}

size_t layout_record_count(const struct layout *l)
{
	return l->nrecords;
}

const struct layout_record *layout_record_at(const struct layout *l, size_t i)
{
	return i < l->nrecords ? &l->records[i] : NULL;
}

const struct layout_record *layout_record_by_name(const struct layout *l, const char *name)
{
	for (size_t i = 0; i < l->nrecords; i++)
		if (strcmp(l->records[i].name, name) == 0)
			return &l->records[i];
	return NULL;
}

const char *layout_record_name(const struct layout_record *r)
{
	return r->name;
}

size_t layout_field_count(const struct layout_record *r)
{
	return r->nfields;
}

const struct layout_field *layout_field_at(const struct layout_record *r, size_t i)
{
	return i < r->nfields ? &r->fields[i] : NULL;
}

const struct layout_field *layout_field_by_name(const struct layout_record *r, const char *name)
{
	for (size_t i = 0; i < r->nfields; i++)
		if (strcmp(r->fields[i].name, name) == 0)
			return &r->fields[i];
	return NULL;
}

int layout_bind(const struct layout *l, const struct layout_binding *bindings, size_t n, void *base,
                struct diag *err)
{
	for (size_t i = 0; i < n; i++) {
		const struct layout_binding *b = &bindings[i];
		const struct layout_record *r = layout_record_by_name(l, b->record);
		if (r == NULL)
			return diag_set(err, DIAG_ERROR, NULL, 0, 0, NULL, "layout '%s' has no record '%s'",
			                layout_name(l), b->record);
		const void *p = r;
		if (b->field) {
			p = layout_field_by_name(r, b->field);
			if (p == NULL && !b->optional)
				return diag_set(err, DIAG_ERROR, NULL, 0, 0, NULL,
				                "layout '%s': record '%s' has no field '%s'", layout_name(l),
				                b->record, b->field);
		}
		/* memcpy: base is the caller's struct of pointers, seen as bytes. */
		memcpy((char *)base + b->off, &p, sizeof p);
	}
	return 0;
}

const struct layout_record *layout_match(const struct layout *l, const unsigned char *rec)
{
	for (size_t k = 0; k < l->nrecords; k++) {
		const struct layout_record *r = &l->records[l->match_order[k]];
		int ok = 1;
		for (int c = 0; c < r->ncond && ok; c++) {
			const struct layout_cond *cd = &r->cond[c];
			ok = memcmp(rec + cd->start - 1, cd->value, (size_t)(cd->end - cd->start + 1)) == 0;
		}
		if (ok)
			return r;
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Field extraction */

const unsigned char *layout_field_bytes(const struct layout_field *f, const unsigned char *rec, size_t *len)
{
	*len = (size_t)(f->end - f->start + 1);
	return rec + f->start - 1;
}

int layout_field_is_blank(const struct layout_field *f, const unsigned char *rec)
{
	const unsigned char *s = rec + f->start - 1;
	for (int i = 0; i <= f->end - f->start; i++)
		if (s[i] != ' ')
			return 0;
	return 1;
}

static int field_error(const struct layout_field *f, const struct layout_where *w, struct diag *err,
                       const char *what, const unsigned char *s, size_t len)
{
	char shown[200];
	quote_bytes(s, len, shown, sizeof shown);
	return diag_set(err, DIAG_ERROR, w ? w->file : NULL, w ? w->line : 0, f->start, f->name,
	                "expected %s, found \"%s\"", what, shown);
}

static int blanks_error(const struct layout_field *f, const struct layout_where *w, struct diag *err,
                        const char *what)
{
	return diag_set(err, DIAG_ERROR, w ? w->file : NULL, w ? w->line : 0, f->start, f->name,
	                "expected %s, found blanks", what);
}

/* Value of len (<= 18) ASCII digits, or -1 when one is not a digit. Eight
 * digits at a time where the byte order allows: amounts are most of what a
 * return file holds, and this loop is the reader's hottest. */
static int parse_digits(const unsigned char *s, size_t len, int64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (len >= 8) {
		size_t lead = len % 8;
		while (i < len) {
			uint64_t x;
			memcpy(&x, s + i, 8);
			if (lead) {
				/* The first chunk: keep its `lead` digits and put
				 * '0's in front (the low bytes hold the first ones). */
				x = (x << (8 * (8 - lead))) | (UINT64_C(0x3030303030303030) >> (8 * lead));
				i += lead;
				lead = 0;
			} else {
				i += 8;
			}
			/* every byte in '0'..'9': high nibble 3, and no carry
			 * out of the low nibble when 6 is added */
			if ((x & UINT64_C(0xF0F0F0F0F0F0F0F0)) != UINT64_C(0x3030303030303030) ||
			    ((x + UINT64_C(0x0606060606060606)) & UINT64_C(0xF0F0F0F0F0F0F0F0)) !=
			        UINT64_C(0x3030303030303030))
				return -1;
			x &= UINT64_C(0x0F0F0F0F0F0F0F0F);
			x = (x * 10 + (x >> 8)) & UINT64_C(0x00FF00FF00FF00FF);     /* pairs */
			x = (x * 100 + (x >> 16)) & UINT64_C(0x0000FFFF0000FFFF);   /* quads */
			x = (x * 10000 + (x >> 32)) & UINT64_C(0x00000000FFFFFFFF); /* eight */
			v = v * 100000000 + x;
		}
		*out = (int64_t)v;
		return 0;
	}
#endif
	for (; i < len; i++) {
		unsigned d = (unsigned)s[i] - '0';
		if (d > 9)
			return -1;
		v = v * 10 + d;
	}
	*out = (int64_t)v;
	return 0;
}

int layout_read_num(const struct layout_field *f, const unsigned char *rec, const struct layout_where *w,
                    int64_t *out, struct diag *err)
{
	const unsigned char *s = rec + f->start - 1;
	size_t len = (size_t)(f->end - f->start + 1);
	int64_t v = 0;
	if (len > 18) /* only an alnum field can be this wide */
		return diag_set(err, DIAG_ERROR, w ? w->file : NULL, w ? w->line : 0, f->start, f->name,
		                "field of %zu positions read as a number", len);
	if (parse_digits(s, len, &v) == 0) { /* at most 18 digits: cannot overflow */
		*out = v;
		return 0;
	}
	if (layout_field_is_blank(f, rec)) {
		if (f->flags & LAYOUT_BLANK_OK) {
			*out = 0;
			return 0;
		}
		return blanks_error(f, w, err, "digits");
	}
	return field_error(f, w, err, "digits", s, len);
}

int layout_read_money(const struct layout_field *f, const unsigned char *rec, const struct layout_where *w,
                      int64_t *cents, struct diag *err)
{
	const unsigned char *s = rec + f->start - 1;
	size_t len = (size_t)(f->end - f->start + 1);
	int64_t v = 0;
	if (len > 18)
		return diag_set(err, DIAG_ERROR, w ? w->file : NULL, w ? w->line : 0, f->start, f->name,
		                "field of %zu positions read as an amount", len);
	if (parse_digits(s, len, &v) != 0) {
		if (layout_field_is_blank(f, rec)) {
			if (f->flags & LAYOUT_BLANK_OK) {
				if (w && w->warn)
					diag_warn(w->warn, w->wctx, w->file, w->line, f->start, f->name,
					          "blank amount read as 0");
				*cents = 0;
				return 0;
			}
			return blanks_error(f, w, err, "digits");
		}
		return field_error(f, w, err, "digits", s, len);
	}
	if (v > MONEY_MAX_CENTS)
		return diag_set(err, DIAG_ERROR, w ? w->file : NULL, w ? w->line : 0, f->start, f->name,
		                "amount too large");
	*cents = v;
	return 0;
}

int layout_read_date(const struct layout_field *f, const unsigned char *rec, const struct layout_where *w,
                     cdate pivot, cdate *out, struct diag *err)
{
	const char *s = (const char *)rec + f->start - 1;
	size_t len = (size_t)(f->end - f->start + 1);
	const char *pattern = f->type == LAYOUT_DATE6      ? "a date (DDMMAA)"
	                      : f->type == LAYOUT_DATE8YMD ? "a date (AAAAMMDD)"
	                                                   : "a date (DDMMAAAA)";
	if (layout_field_is_blank(f, rec)) {
		if (f->flags & LAYOUT_BLANK_OK) {
			*out = CDATE_NONE;
			return 0;
		}
		return blanks_error(f, w, err, pattern);
	}
	int rc;
	switch (f->type) {
	case LAYOUT_DATE6:
		rc = date_parse_ddmmyy(s, len, pivot, out);
		break;
	case LAYOUT_DATE8YMD:
		rc = date_parse_yyyymmdd(s, len, out);
		break;
	default:
		rc = date_parse_ddmmyyyy(s, len, out);
		break;
	}
	if (rc < 0)
		return field_error(f, w, err, pattern, (const unsigned char *)s, len);
	if (rc == 1)
		*out = CDATE_NONE;
	return 0;
}

size_t layout_read_raw(const struct layout_field *f, const unsigned char *rec, char *out, size_t n)
{
	const unsigned char *s = rec + f->start - 1;
	size_t len = (size_t)(f->end - f->start + 1);
	while (len && is_blank(s[0]))
		s++, len--;
	while (len && is_blank(s[len - 1]))
		len--;
	if (n == 0)
		return 0;
	if (len > n - 1)
		len = n - 1;
	memcpy(out, s, len);
	out[len] = '\0';
	return len;
}

size_t layout_read_text(const struct layout_field *f, const unsigned char *rec, char *out, size_t n)
{
	const unsigned char *s = rec + f->start - 1;
	size_t len = (size_t)(f->end - f->start + 1);
	while (len && is_blank(s[0]))
		s++, len--;
	while (len && is_blank(s[len - 1]))
		len--;
	/* Plain ASCII (the usual case) needs no conversion. */
	for (size_t i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] >= 0x7F)
			return text_trim_to_utf8(s, len, out, n);
	if (n == 0)
		return 0;
	if (len > n - 1)
		len = n - 1;
	memcpy(out, s, len);
	out[len] = '\0';
	return len;
}

/* ------------------------------------------------------------------ */
/* Occurrences */

const struct layout_occurrence *layout_occurrence(const struct layout *l, const char *code, size_t len)
{
	if (len == 2 && code[0] >= '0' && code[0] <= '9' && code[1] >= '0' && code[1] <= '9') {
		short i = l->occ_by_number[(code[0] - '0') * 10 + (code[1] - '0')];
		return i >= 0 ? &l->occ[i] : NULL;
	}
	for (size_t i = 0; i < l->nocc; i++)
		if (strlen(l->occ[i].code) == len && memcmp(l->occ[i].code, code, len) == 0)
			return &l->occ[i];
	return NULL;
}

size_t layout_occurrence_count(const struct layout *l)
{
	return l->nocc;
}

const struct layout_occurrence *layout_occurrence_at(const struct layout *l, size_t i)
{
	return i < l->nocc ? &l->occ[i] : NULL;
}
