/* OFX 1.x body: SGML as banks write it, read by a small strict tokenizer.
 *
 * OFX 1.x leaves out the end tag of elements that hold a value
 * ("<TRNAMT>-12.34" then a new line), and some exporters write it anyway,
 * for some elements and not others (Banco do Brasil, Caixa, Inter): both
 * are read. An element with text is a value; one without is an aggregate
 * when its name is a known aggregate, an empty value when its own end tag
 * follows, its name is a known value element or it sits directly in a
 * <STMTTRN>, and an (unknown, skipped) aggregate otherwise. An aggregate must be closed: when an end tag
 * closes an outer aggregate, or a new <STMTTRN> starts inside one, the inner ones are closed with a warning
 * naming the line they opened on; a file that ends inside an aggregate is refused (truncated). Text anywhere
 * else than a value, '<' not starting a tag, or a second root are errors. No DTD, comments or processing
 * instructions exist in OFX 1.x: "<!" and "<?" are refused. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "codec/ofx_internal.h"

#define NAME_MAX_LEN 40

static const char *const aggregates[] = {
    "OFX",          "SIGNONMSGSRSV1",     "SONRS",          "STATUS",       "FI",
    "BANKMSGSRSV1", "STMTTRNRS",          "STMTRS",         "BANKACCTFROM", "BANKACCTTO",
    "CCACCTFROM",   "CCACCTTO",           "BANKTRANLIST",   "STMTTRN",      "PAYEE",
    "CURRENCY",     "ORIGCURRENCY",       "LEDGERBAL",      "AVAILBAL",     "BALLIST",
    "BAL",          "CREDITCARDMSGSRSV1", "CCSTMTTRNRS",    "CCSTMTRS",     "INVSTMTMSGSRSV1",
    "INVSTMTTRNRS", "INVSTMTRS",          "SIGNUPMSGSRSV1", "IMAGEDATA",    NULL};

static const char *const values[] = {
    "TRNTYPE",       "DTPOSTED",    "DTUSER",   "DTAVAIL",   "TRNAMT",   "FITID",    "CORRECTFITID",
    "CORRECTACTION", "SRVRTID",     "CHECKNUM", "REFNUM",    "SIC",      "PAYEEID",  "NAME",
    "EXTDNAME",      "MEMO",        "CURDEF",   "BANKID",    "BRANCHID", "ACCTID",   "ACCTTYPE",
    "ACCTKEY",       "DTSTART",     "DTEND",    "BALAMT",    "DTASOF",   "CODE",     "SEVERITY",
    "MESSAGE",       "DTSERVER",    "USERKEY",  "LANGUAGE",  "DTPROFUP", "DTACCTUP", "ORG",
    "FID",           "SESSCOOKIE",  "TRNUID",   "CLTCOOKIE", "MKTGINFO", "CURRATE",  "CURSYM",
    "INTU.BID",      "INTU.USERID", NULL};

int ofx_name_is(const char *name, size_t len, const char *word)
{
	size_t i = 0;
	for (; i < len && word[i]; i++) {
		char c = name[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c != word[i])
			return 0;
	}
	return i == len && word[i] == '\0';
}

static int in_list(const char *const *list, const char *name, size_t len)
{
	for (size_t i = 0; list[i]; i++)
		if (ofx_name_is(name, len, list[i]))
			return 1;
	return 0;
}

/* One tag and the text that follows it, up to the next '<'. */
struct raw {
	int is_end;
	const char *name;
	size_t name_len;
	long line;
	int col;
	const char *text; /* trimmed */
	size_t text_len;
	long tline;
	int tcol;
};

struct scan {
	const unsigned char *p, *end;
	const unsigned char *line_start;
	long line;
	struct ofx_builder *b;
	struct raw peeked;
	int has_peeked;
	struct {
		const char *name;
		size_t len;
		long line;
	} stack[OFX_MAX_DEPTH];
	int depth;
	int root_closed;
};

static int blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static int col_of(const struct scan *s, const unsigned char *at)
{
	long c = (long)(at - s->line_start) + 1;
	return c > 1000000 ? 1000000 : (int)c;
}

/* Advances s->p to `to`, counting lines. */
static void advance(struct scan *s, const unsigned char *to)
{
	const unsigned char *q = s->p;
	while (q < to) {
		const unsigned char *nl = memchr(q, '\n', (size_t)(to - q));
		if (!nl)
			break;
		s->line++;
		s->line_start = nl + 1;
		q = nl + 1;
	}
	s->p = to;
}

/* An error quoting a piece of the input: BEFORE "piece" AFTER. */
static int fail(struct scan *s, long line, int col, const char *before, const char *a, size_t alen,
                const char *after)
{
	char shown[80];
	size_t n = alen < sizeof shown - 1 ? alen : sizeof shown - 1;
	memcpy(shown, a, n);
	shown[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)shown[i] < 0x20)
			shown[i] = ' ';
	return diag_set(ofx_builder_err(s->b), DIAG_ERROR, ofx_builder_file(s->b), line, col, NULL, "%s%s%s",
	                before, shown, after);
}

/* Reads the tag at s->p (which is '<') and the text after it. Returns 1
 * with *r, 0 at the end of input, -1 on error. */
static int next_raw(struct scan *s, struct raw *r)
{
	if (s->has_peeked) {
		*r = s->peeked;
		s->has_peeked = 0;
		return 1;
	}
	if (s->p >= s->end)
		return 0;
	const unsigned char *q = s->p + 1;
	memset(r, 0, sizeof *r);
	r->line = s->line;
	r->col = col_of(s, s->p);
	if (q < s->end && *q == '/') {
		r->is_end = 1;
		q++;
	}
	const unsigned char *name = q;
	while (q < s->end && (((*q | 0x20) >= 'a' && (*q | 0x20) <= 'z') || (*q >= '0' && *q <= '9') ||
	                      *q == '.' || *q == '_' || *q == '-'))
		q++;
	if (q == name) {
		if (q < s->end && (*q == '!' || *q == '?'))
			return fail(s, r->line, r->col, "'<", (const char *)q, 1,
			            "': declarations, comments and processing instructions have no place in "
			            "OFX 1.x SGML");
		return fail(s, r->line, r->col, "expected an element name after '<', found \"",
		            (const char *)q, (size_t)(s->end - q) < 10 ? (size_t)(s->end - q) : 10, "\"");
	}
	if ((size_t)(q - name) > NAME_MAX_LEN)
		return fail(s, r->line, r->col, "element name \"", (const char *)name, 20,
		            "...\" is too long");
	if (q >= s->end || *q != '>')
		return fail(s, r->line, col_of(s, q < s->end ? q : s->end - 1),
		            "expected '>' to end the tag <", (const char *)name, (size_t)(q - name), "");
	r->name = (const char *)name;
	r->name_len = (size_t)(q - name);
	q++;
	const unsigned char *lt = memchr(q, '<', (size_t)(s->end - q));
	const unsigned char *text_end = lt ? lt : s->end;
	const unsigned char *a = q, *z = text_end;
	/* NUL and ^Z (DOS end of file) pad the tail of some exports */
	while (a < z && (blank(*a) || *a == 0 || *a == 0x1A))
		a++;
	while (z > a && (blank(z[-1]) || z[-1] == 0 || z[-1] == 0x1A))
		z--;
	advance(s, a);
	r->text = (const char *)a;
	r->text_len = (size_t)(z - a);
	r->tline = s->line;
	r->tcol = col_of(s, a);
	advance(s, text_end);
	return 1;
}

static int emit(struct scan *s, enum ofx_elem_kind kind, const struct raw *r)
{
	struct ofx_elem e = {.kind = kind,
	                     .name = r->name,
	                     .name_len = r->name_len,
	                     .value = r->text,
	                     .value_len = kind == OFX_LEAF ? r->text_len : 0,
	                     .line = r->line,
	                     .vline = r->tline,
	                     .vcol = r->tcol};
	return ofx_builder_elem(s->b, &e);
}

static int close_top(struct scan *s, long line)
{
	struct raw r = {
	    .name = s->stack[s->depth - 1].name, .name_len = s->stack[s->depth - 1].len, .line = line};
	s->depth--;
	if (s->depth == 0)
		s->root_closed = 1;
	return emit(s, OFX_CLOSE, &r);
}

/* Closes the aggregates above stack[k], each with a warning (it had no
 * end tag), then stack[k] itself (warned too when warn_k). */
static int close_down_to(struct scan *s, int k, const struct raw *by, const char *by_what, int warn_k)
{
	while (s->depth - 1 >= k) {
		int t = s->depth - 1;
		if (t > k || warn_k)
			ofx_builder_warn(s->b, by->line, by->col,
			                 "<%.*s> opened at line %ld has no closing tag: closed by %s",
			                 (int)s->stack[t].len, s->stack[t].name, s->stack[t].line, by_what);
		if (close_top(s, by->line))
			return -1;
	}
	return 0;
}

static int same_text(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen != blen)
		return 0;
	for (size_t i = 0; i < alen; i++)
		if ((a[i] | 0x20) != (b[i] | 0x20))
			return 0;
	return 1;
}

static int open_aggregate(struct scan *s, const struct raw *r)
{
	if (s->root_closed)
		return fail(s, r->line, r->col, "element <", r->name, r->name_len,
		            "> after the end of the OFX document");
	if (s->depth == 0 && !ofx_name_is(r->name, r->name_len, "OFX"))
		return fail(s, r->line, r->col, "expected <OFX> as the first element, found <", r->name,
		            r->name_len, ">");
	/* A transaction cannot hold another: the previous one lacks its end tag. */
	if (ofx_name_is(r->name, r->name_len, "STMTTRN")) {
		for (int k = s->depth - 1; k >= 0; k--) {
			if (ofx_name_is(s->stack[k].name, s->stack[k].len, "STMTTRN")) {
				char what[48];
				snprintf(what, sizeof what, "the <STMTTRN> at line %ld", r->line);
				if (close_down_to(s, k, r, what, 1))
					return -1;
				break;
			}
		}
	}
	if (s->depth >= OFX_MAX_DEPTH)
		return fail(s, r->line, r->col, "<", r->name, r->name_len,
		            "> is nested too deep (OFX files have fewer than 32 levels)");
	s->stack[s->depth].name = r->name;
	s->stack[s->depth].len = r->name_len;
	s->stack[s->depth].line = r->line;
	s->depth++;
	return emit(s, OFX_OPEN, r);
}

static int end_tag(struct scan *s, const struct raw *r)
{
	if (r->text_len)
		return fail(s, r->tline, r->tcol, "text \"", r->text, r->text_len, "\" outside any element");
	for (int k = s->depth - 1; k >= 0; k--) {
		if (same_text(s->stack[k].name, s->stack[k].len, r->name, r->name_len)) {
			char what[64];
			snprintf(what, sizeof what, "</%.*s> at line %ld", (int)r->name_len, r->name,
			         r->line);
			return close_down_to(s, k, r, what, 0);
		}
	}
	return fail(s, r->line, r->col, "closing tag </", r->name, r->name_len,
	            "> has no open element of that name");
}

static int same_name(const struct raw *a, const struct raw *b)
{
	return same_text(a->name, a->name_len, b->name, b->name_len);
}

/* After a value: its own end tag, if written, belongs to it. */
static int eat_end_of(struct scan *s, const struct raw *r)
{
	struct raw n;
	int got = next_raw(s, &n);
	if (got < 0)
		return -1;
	if (got == 0)
		return 0;
	if (n.is_end && same_name(&n, r)) {
		if (n.text_len)
			return fail(s, n.tline, n.tcol, "text \"", n.text, n.text_len,
			            "\" outside any element");
		return 1;
	}
	s->peeked = n;
	s->has_peeked = 1;
	return 0;
}

int ofx_sgml_read(const unsigned char *p, const unsigned char *end, long line, int col, struct ofx_builder *b)
{
	struct scan s = {.p = p, .end = end, .line = line, .b = b};
	s.line_start = p - (col - 1);
	struct raw r;
	int got;
	while ((got = next_raw(&s, &r)) > 0) {
		if (r.is_end) {
			if (end_tag(&s, &r))
				return -1;
			continue;
		}
		if (s.depth == 0 || s.root_closed) {
			if (open_aggregate(&s, &r))
				return -1;
			if (r.text_len)
				return fail(&s, r.tline, r.tcol, "text \"", r.text, r.text_len,
				            "\" outside any element");
			continue;
		}
		if (r.text_len) {
			if (in_list(aggregates, r.name, r.name_len))
				return fail(&s, r.tline, r.tcol, "aggregate <", r.name, r.name_len,
				            "> cannot hold a value");
			if (emit(&s, OFX_LEAF, &r) || eat_end_of(&s, &r) < 0)
				return -1;
			continue;
		}
		if (in_list(aggregates, r.name, r.name_len)) {
			if (open_aggregate(&s, &r))
				return -1;
			continue;
		}
		int closed = eat_end_of(&s, &r);
		if (closed < 0)
			return -1;
		/* Inside a transaction every aggregate has a known name: an
		 * unknown empty element there is a value a bank added. */
		int in_txn = ofx_name_is(s.stack[s.depth - 1].name, s.stack[s.depth - 1].len, "STMTTRN");
		if (closed || in_txn || in_list(values, r.name, r.name_len)) {
			if (emit(&s, OFX_LEAF, &r))
				return -1;
		} else if (open_aggregate(&s, &r)) {
			return -1;
		}
	}
	if (got < 0)
		return -1;
	long last = s.line - (end > p && end[-1] == '\n'); /* the last line with text */
	if (s.depth > 0)
		return diag_set(
		    ofx_builder_err(b), DIAG_ERROR, ofx_builder_file(b), last, 0, NULL,
		    "the file ends inside <%.*s> opened at line %ld: it is truncated, or that element has no "
		    "closing tag",
		    (int)s.stack[s.depth - 1].len, s.stack[s.depth - 1].name, s.stack[s.depth - 1].line);
	if (!s.root_closed)
		return diag_set(ofx_builder_err(b), DIAG_ERROR, ofx_builder_file(b), last, 0, NULL,
		                "no <OFX> element: the file has a header and no body");
	return 0;
}
