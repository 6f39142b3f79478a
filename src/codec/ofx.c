/* OFX statements: format detection, the OFX 1.x header, and the statement
 * builder that turns the elements read by ofx_sgml.c (OFX 1.x) or
 * ofx_xml.c (OFX 2.x) into bank events.
 *
 * What becomes an event (README "OFX statements"):
 *   - a transaction with a positive TRNAMT whose TRNTYPE is not a debit
 *     type: EVENT_CREDIT (interest and dividends, TRNTYPE INT/DIV, are
 *     not payments: counted, not recorded);
 *   - a transaction with a negative TRNAMT whose memo says devolução,
 *     estorno or reembolso: EVENT_REVERSAL (money going back);
 *   - nothing else: other debits, zero amounts and balance lines that some
 *     banks list as transactions ("SALDO DO DIA") are counted, not
 *     recorded. The sign decides; a debit type with a positive amount
 *     (the two disagree) is never taken for a credit.
 * OFX has no bank-wide unique id: FITIDs repeat across exports and even
 * within a file. An event's identity is therefore "ofx|" + a hash of its
 * content (bank, account, date, amount, FITID, memo, name), flagged weak:
 * the same transaction in two overlapping exports has the same identity
 * and is recorded once, while identical transactions within one file are
 * numbered apart by the ledger. A Pix endToEndId written in the memo gives
 * the strong identity "pix|E2E" that camt and the API Pix also use. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/ofx.h"
#include "codec/ofx_internal.h"
#include "codec/ofx_memo.h"
#include "core/money.h"
#include "core/sha256.h"
#include "core/text.h"

/* Values longer than this (raw bytes) are refused: MEMO, the longest, is
 * 255 characters in every OFX version. */
#define VALUE_MAX 4096

/* ---- amounts and dates ---- */

static int blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int digit(int c)
{
	return c >= '0' && c <= '9';
}

int ofx_parse_amount(const char *s, size_t len, int64_t *cents, const char **why)
{
	const char *dummy;
	if (!why)
		why = &dummy;
	while (len && blank((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && blank((unsigned char)s[len - 1]))
		len--;
	if (len == 0) {
		*why = "empty amount";
		return -1;
	}
	size_t dots = 0, commas = 0, rs = 0;
	for (size_t i = 0; i < len; i++) {
		dots += s[i] == '.';
		commas += s[i] == ',';
		rs += s[i] == '$';
	}
	/* Inter writes "R$ 1.234,56": a person's form, read by the shared
	 * parser (grouping checked, "1.234" refused as ambiguous). */
	if (rs || (dots && commas))
		return money_parse_decimal(s, len, cents, why);

	size_t i = 0;
	int neg = 0;
	if (s[i] == '-' || s[i] == '+')
		neg = s[i++] == '-';
	int64_t v = 0;
	size_t int_digits = 0, dec_digits = 0;
	for (; i < len && digit((unsigned char)s[i]); i++, int_digits++) {
		if (v > MONEY_MAX_CENTS / 1000) {
			*why = "amount too large";
			return -1;
		}
		v = v * 10 + (s[i] - '0');
	}
	v *= 100;
	if (i < len && (s[i] == '.' || s[i] == ',')) {
		for (i++; i < len && digit((unsigned char)s[i]); i++, dec_digits++) {
			if (dec_digits == 0)
				v += (s[i] - '0') * 10;
			else if (dec_digits == 1)
				v += s[i] - '0';
			else if (s[i] != '0') {
				*why = "more than two decimals";
				return -1;
			}
		}
		if (dec_digits == 0) {
			*why = int_digits ? "no digits after the decimal separator" : "not a number";
			return -1;
		}
	}
	if (i != len || int_digits + dec_digits == 0) {
		*why = "not a number";
		return -1;
	}
	*cents = neg ? -v : v;
	return 0;
}

static int two_digits(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

int ofx_parse_datetime(const char *s, size_t len, cdate *date, const char **why)
{
	const char *dummy;
	if (!why)
		why = &dummy;
	while (len && blank((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && blank((unsigned char)s[len - 1]))
		len--;
	for (size_t i = 0; i < 8; i++) {
		if (i >= len || !digit((unsigned char)s[i])) {
			*why = "expected a date like 20240131 or 20240131120000[-3:BRT]";
			return -1;
		}
	}
	cdate d =
	    date_from_ymd(two_digits(s) * 100 + two_digits(s + 2), two_digits(s + 4), two_digits(s + 6));
	if (d == CDATE_NONE) {
		*why = "not a real date";
		return -1;
	}
	*date = d;
	size_t i = 8, n = 0;
	while (i + n < len && digit((unsigned char)s[i + n]))
		n++;
	if (n != 0 && n != 4 && n != 6) {
		*why = "the time after the date must be HHMM or HHMMSS";
		return 1;
	}
	if (n && (two_digits(s + i) > 23 || two_digits(s + i + 2) > 59 ||
	          (n == 6 && two_digits(s + i + 4) > 60))) {
		*why = "not a real time of day";
		return 1;
	}
	i += n;
	if (i < len && s[i] == '.' && n == 6) {
		size_t k = 0;
		for (i++; i < len && digit((unsigned char)s[i]); i++)
			k++;
		if (k == 0 || k > 6) {
			*why = "expected 1 to 3 digits of fractional seconds after '.'";
			return 1;
		}
	}
	if (i == len)
		return 0;
	/* [-3:BRT], [-03:EST], [0:GMT], [+5.30:IST], [-3]: the label is often
	 * wrong (Itaú writes EST on -3) and the date is taken as written. */
	if (s[i] != '[' || s[len - 1] != ']') {
		*why = "unexpected text after the date-time (a time zone is written like [-3:BRT])";
		return 1;
	}
	i++;
	if (i < len && (s[i] == '-' || s[i] == '+'))
		i++;
	size_t h = 0;
	while (i < len && digit((unsigned char)s[i]) && h < 3) {
		i++;
		h++;
	}
	if (h == 0 || h > 2) {
		*why = "the time zone offset must be hours, like [-3:BRT]";
		return 1;
	}
	if (i < len && s[i] == '.') {
		i++;
		size_t m = 0;
		while (i < len && digit((unsigned char)s[i]) && m < 3) {
			i++;
			m++;
		}
		if (m == 0 || m > 2) {
			*why = "the time zone offset must be hours, like [-3:BRT]";
			return 1;
		}
	}
	if (i < len && s[i] == ':') {
		for (i++; i < len - 1; i++) {
			unsigned char c = (unsigned char)s[i];
			if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || digit(c) || c == '_' ||
			      c == '/' || c == '+' || c == '-')) {
				*why = "the time zone label may hold only letters and digits";
				return 1;
			}
		}
	}
	if (i != len - 1) {
		*why = "unexpected text in the time zone";
		return 1;
	}
	return 0;
}

/* ---- sniffing ---- */

static size_t skip_bom_blanks(const unsigned char *buf, size_t len, size_t i)
{
	if (i == 0 && len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF)
		i = 3;
	while (i < len && blank(buf[i]))
		i++;
	return i;
}

static int starts_with_ci(const unsigned char *p, size_t n, const char *word)
{
	size_t k = 0;
	for (; word[k]; k++) {
		if (k >= n)
			return 0;
		unsigned char c = p[k];
		if (c >= 'a' && c <= 'z')
			c = (unsigned char)(c - 'a' + 'A');
		if (c != (unsigned char)word[k])
			return 0;
	}
	return 1;
}

static int find_ci(const unsigned char *p, size_t n, const char *word)
{
	size_t wl = strlen(word);
	for (size_t i = 0; i + wl <= n; i++)
		if (starts_with_ci(p + i, n - i, word))
			return 1;
	return 0;
}

int ofx_sniff(const unsigned char *buf, size_t len)
{
	size_t i = skip_bom_blanks(buf, len, 0);
	const unsigned char *p = buf + i;
	size_t n = len - i;
	if (starts_with_ci(p, n, "OFXHEADER:") || starts_with_ci(p, n, "<OFX>"))
		return 1;
	/* XML: the OFX processing instruction or root within the prolog */
	if (starts_with_ci(p, n, "<?XML") || starts_with_ci(p, n, "<?OFX")) {
		size_t window = n < 4096 ? n : 4096;
		return find_ci(p, window, "<?OFX") || find_ci(p, window, "<OFX>") ||
		       find_ci(p, window, "<OFX ");
	}
	return 0;
}

/* ---- the statement builder ---- */

enum elem_id {
	E_OTHER,
	E_OFX,
	E_SONRS,
	E_FI,
	E_STATUS,
	E_STMTRS,
	E_BANKACCTFROM,
	E_BANKTRANLIST,
	E_STMTTRN,
	E_CURRENCY,
};

struct txn {
	long line;
	char trntype[16];
	char dtposted[64];
	char trnamt[64];
	char fitid[256];
	char name[1024];
	char memo[1024];
	char cursym[8];
	long amt_line, date_line, type_line;
	int amt_col, date_col, type_col;
	int has_type, has_date, has_amt, has_fitid, has_name, has_memo;
};

struct ofx_builder {
	const char *file;
	struct cnab_file_info *info;
	cnab_event_fn on_event;
	void *ctx;
	diag_sink warn;
	void *wctx;
	struct diag *err;
	int xml;  /* values come decoded, as UTF-8 */
	int utf8; /* SGML: the file's text is UTF-8 (else Windows-1252) */
	const unsigned char *buf;
	size_t len;
	long col_line; /* cache of the last line start found (XML columns) */
	size_t col_off;

	enum elem_id stack[OFX_MAX_DEPTH];
	int depth;

	int statements;
	char bankid[32], branchid[32], acctid[64];
	int have_account;
	int bank;
	char account[21];
	char org[64], fid[32];
	char dtserver[64], dtend[64];
	long status_code;
	char status_msg[128];
	int in_txn;
	struct txn t;
	char scratch[VALUE_MAX * 3 + 1];
};

struct diag *ofx_builder_err(struct ofx_builder *b)
{
	return b->err;
}

const char *ofx_builder_file(const struct ofx_builder *b)
{
	return b->file;
}

void ofx_builder_warn(struct ofx_builder *b, long line, int col, const char *fmt, ...)
{
	struct diag d;
	va_list ap;
	char msg[sizeof d.msg];
	if (!b->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_set(&d, DIAG_WARNING, b->file, line, col, NULL, "%s", msg);
	b->warn(b->wctx, &d);
}

/* XML values carry no column: find it on the element's line, after the
 * tag (only for messages; the cache keeps this linear over a file). */
static int value_col(struct ofx_builder *b, long line, const char *name, int vcol)
{
	if (vcol > 0 || !b->buf || line <= 0)
		return vcol > 0 ? vcol : 0;
	if (b->col_line <= 0 || line < b->col_line) {
		b->col_line = 1;
		b->col_off = 0;
	}
	while (b->col_line < line && b->col_off < b->len) {
		const unsigned char *nl = memchr(b->buf + b->col_off, '\n', b->len - b->col_off);
		if (!nl)
			return 1;
		b->col_off = (size_t)(nl - b->buf) + 1;
		b->col_line++;
	}
	size_t start = b->col_off, end = start;
	while (end < b->len && b->buf[end] != '\n')
		end++;
	size_t nl = strlen(name);
	for (size_t i = start; i + nl + 2 <= end; i++) {
		if (b->buf[i] == '<' && starts_with_ci(b->buf + i + 1, end - i - 1, name) &&
		    b->buf[i + 1 + nl] == '>') {
			size_t v = i + nl + 2;
			while (v < end && blank(b->buf[v]))
				v++;
			return (int)(v - start + 1);
		}
	}
	return 1;
}

/* An error about a field's value: FILE:LINE:COL: error: field 'NAME': ... */
static int field_error(struct ofx_builder *b, long line, int col, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int field_error(struct ofx_builder *b, long line, int col, const char *name, const char *fmt, ...)
{
	char msg[sizeof b->err->msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	col = value_col(b, line, name, col);
	return diag_set(b->err, DIAG_ERROR, b->file, line, col ? col : 1, name, "%s", msg);
}

static void field_warn(struct ofx_builder *b, long line, int col, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void field_warn(struct ofx_builder *b, long line, int col, const char *name, const char *fmt, ...)
{
	struct diag d;
	char msg[sizeof d.msg];
	va_list ap;
	if (!b->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	col = value_col(b, line, name, col);
	diag_set(&d, DIAG_WARNING, b->file, line, col ? col : 1, name, "%s", msg);
	b->warn(b->wctx, &d);
}

static enum elem_id elem_id_of(const char *name, size_t len)
{
	static const struct {
		const char *name;
		enum elem_id id;
	} known[] = {{"OFX", E_OFX},
	             {"SONRS", E_SONRS},
	             {"FI", E_FI},
	             {"STATUS", E_STATUS},
	             {"STMTRS", E_STMTRS},
	             {"BANKACCTFROM", E_BANKACCTFROM},
	             {"BANKTRANLIST", E_BANKTRANLIST},
	             {"STMTTRN", E_STMTTRN},
	             {"CURRENCY", E_CURRENCY},
	             {"ORIGCURRENCY", E_CURRENCY}};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (ofx_name_is(name, len, known[i].name))
			return known[i].id;
	return E_OTHER;
}

/* Decodes the five SGML/XML entities and numeric references in place
 * (UTF-8 text; unknown ones are kept as written: banks write a bare '&'). */
static size_t decode_entities(char *s, size_t len)
{
	static const struct {
		const char *ent;
		char c;
	} named[] = {{"&amp;", '&'},  {"&lt;", '<'},    {"&gt;", '>'},
	             {"&quot;", '"'}, {"&apos;", '\''}, {"&nbsp;", ' '}};
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		if (s[i] != '&') {
			s[o++] = s[i++];
			continue;
		}
		size_t k;
		for (k = 0; k < sizeof named / sizeof named[0]; k++) {
			size_t el = strlen(named[k].ent);
			if (i + el <= len && memcmp(s + i, named[k].ent, el) == 0) {
				s[o++] = named[k].c;
				i += el;
				break;
			}
		}
		if (k < sizeof named / sizeof named[0])
			continue;
		if (i + 3 < len && s[i + 1] == '#') {
			size_t j = i + 2;
			unsigned long cp = 0;
			int hex = j < len && (s[j] == 'x' || s[j] == 'X');
			j += (size_t)hex;
			size_t nd = 0;
			for (; j < len && nd < 7; j++, nd++) {
				char c = s[j];
				int v = digit((unsigned char)c) ? c - '0'
				        : hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f'
				            ? (c | 0x20) - 'a' + 10
				            : -1;
				if (v < 0)
					break;
				cp = cp * (hex ? 16 : 10) + (unsigned long)v;
			}
			if (nd > 0 && j < len && s[j] == ';' && cp >= 0x20 && cp <= 0x10FFFF &&
			    !(cp >= 0xD800 && cp <= 0xDFFF) && j + 1 - i >= 4) {
				/* the UTF-8 form is never longer than the reference */
				if (cp < 0x80) {
					s[o++] = (char)cp;
				} else if (cp < 0x800) {
					s[o++] = (char)(0xC0 | (cp >> 6));
					s[o++] = (char)(0x80 | (cp & 0x3F));
				} else if (cp < 0x10000) {
					s[o++] = (char)(0xE0 | (cp >> 12));
					s[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
					s[o++] = (char)(0x80 | (cp & 0x3F));
				} else {
					s[o++] = (char)(0xF0 | (cp >> 18));
					s[o++] = (char)(0x80 | ((cp >> 12) & 0x3F));
					s[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
					s[o++] = (char)(0x80 | (cp & 0x3F));
				}
				i = j + 1;
				continue;
			}
		}
		s[o++] = s[i++];
	}
	return o;
}

/* The element's value as UTF-8 into out (n bytes), blanks trimmed, line
 * breaks as spaces, cut at a character boundary when it does not fit
 * (*cut set). Returns 0, or -1 when the value is absurdly long. */
static int value_utf8(struct ofx_builder *b, const struct ofx_elem *e, char *out, size_t n, int *cut)
{
	char *tmp = b->scratch;
	size_t len;
	if (e->value_len > VALUE_MAX)
		return field_error(b, e->vline, e->vcol, "", "value of <%.*s> longer than %d bytes",
		                   (int)e->name_len, e->name, VALUE_MAX);
	if (b->xml || b->utf8) {
		memcpy(tmp, e->value, e->value_len);
		len = e->value_len;
		tmp[len] = '\0';
	} else {
		len = text_cp1252_to_utf8((const unsigned char *)e->value, e->value_len, tmp,
		                          sizeof b->scratch);
	}
	if (!b->xml)
		len = decode_entities(tmp, len);
	for (size_t i = 0; i < len; i++)
		if (tmp[i] == '\r' || tmp[i] == '\n' || tmp[i] == '\t')
			tmp[i] = ' ';
	const char *s = tmp;
	text_trim(&s, &len);
	*cut = 0;
	if (len >= n) {
		*cut = 1;
		len = n - 1;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}

static int copy_value(struct ofx_builder *b, const struct ofx_elem *e, char *out, size_t n)
{
	int cut;
	return value_utf8(b, e, out, n, &cut);
}

/* ---- layout names ---- */

static const struct {
	int version;
	const char *name;
} versions[] = {
    {102, "OFX 1.02 SGML"}, {103, "OFX 1.03 SGML"}, {151, "OFX 1.5.1 SGML"}, {160, "OFX 1.6 SGML"},
    {200, "OFX 2.0 XML"},   {201, "OFX 2.0.1 XML"}, {202, "OFX 2.0.2 XML"},  {203, "OFX 2.0.3 XML"},
    {210, "OFX 2.1 XML"},   {211, "OFX 2.1.1 XML"}, {220, "OFX 2.2 XML"},    {230, "OFX 2.3 XML"},
};

static const char *layout_for(int version, int xml)
{
	for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++)
		if (versions[i].version == version && (version >= 200) == (xml != 0))
			return versions[i].name;
	return NULL;
}

void ofx_builder_set_version(struct ofx_builder *b, int version, long line)
{
	const char *name = layout_for(version, b->xml);
	b->info->layout_version = version;
	if (name) {
		b->info->layout_name = name;
		return;
	}
	b->info->layout_name = b->xml ? "OFX 2.x XML" : "OFX 1.x SGML";
	ofx_builder_warn(b, line, 0, "OFX version %d is not one concilia knows (%s): read as %s", version,
	                 b->xml ? "200 to 230" : "102, 103, 151, 160", b->info->layout_name);
}

/* ---- accounts ---- */

/* Copies src, cut at a UTF-8 character boundary to fit n bytes. */
static void cut_copy(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src);
	if (len >= n) {
		len = n - 1;
		while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static int digits_value(const char *s, int *v)
{
	long n = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (!digit((unsigned char)*s) || n > 100000)
			return -1;
		n = n * 10 + (*s - '0');
	}
	*v = (int)n;
	return 0;
}

static int close_account(struct ofx_builder *b, long line)
{
	if (!b->acctid[0])
		return diag_set(b->err, DIAG_ERROR, b->file, line, 0, NULL,
		                "<BANKACCTFROM> without <ACCTID>");
	int n;
	if (b->branchid[0])
		n = snprintf(b->account, sizeof b->account, "%s/%s", b->branchid, b->acctid);
	else
		n = snprintf(b->account, sizeof b->account, "%s", b->acctid);
	if (n >= (int)sizeof b->account) {
		/* the account alone still names it; the agency is in the file */
		n = snprintf(b->account, sizeof b->account, "%s", b->acctid);
		if (n >= (int)sizeof b->account)
			return diag_set(b->err, DIAG_ERROR, b->file, line, 0, NULL,
			                "account number <ACCTID> \"%s\" is longer than %zu characters",
			                b->acctid, sizeof b->account - 1);
	}
	int code = 0;
	b->bank = 0;
	if (digits_value(b->bankid, &code) == 0 && code >= 1 && code <= 999)
		b->bank = code;
	/* Santander's exports say 034 (Santander is 033), naming themselves in
	 * <FI><ORG> or <FID>: a known slip, corrected without a warning. */
	if (b->bank == 34 && (strstr(b->org, "SANTANDER") || strstr(b->fid, "SANTANDER")))
		b->bank = 33;
	b->have_account = 1;
	if (b->statements == 1) {
		b->info->bank = b->bank;
		snprintf(b->info->agreement, sizeof b->info->agreement, "%s", b->account);
		cut_copy(b->info->account, sizeof b->info->account, b->acctid);
		cut_copy(b->info->agency, sizeof b->info->agency, b->branchid);
	}
	return 0;
}

/* ---- transactions ---- */

static int in_list(const char *s, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

/* Upper case ASCII, blank runs collapsed: the same memo exported twice
 * (padded differently) hashes the same. */
static size_t normalized(const char *s, char *out, size_t n)
{
	size_t o = 0;
	int pend = 0;
	for (; *s && o + 2 < n; s++) {
		unsigned char c = (unsigned char)*s;
		if (blank(c)) {
			pend = o > 0;
			continue;
		}
		if (pend)
			out[o++] = ' ';
		pend = 0;
		out[o++] = (char)(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
	}
	out[o] = '\0';
	return o;
}

static int weak_identity(struct ofx_builder *b, const struct txn *t, cdate date, int64_t cents, char *out,
                         size_t n)
{
	char text[2600], memo[1024], name[1024], iso[16], hex[SHA256_HEX_LEN + 1];
	normalized(t->memo, memo, sizeof memo);
	normalized(t->name, name, sizeof name);
	date_format_iso(date, iso, sizeof iso);
	int len = snprintf(text, sizeof text, "%d|%s|%s|%lld|%s|%s|%s", b->bank, b->account, iso,
	                   (long long)cents, t->fitid, memo, name);
	if (len < 0 || (size_t)len >= sizeof text)
		len = (int)strlen(text);
	if (sha256_hex(text, (size_t)len, hex) != 0)
		return diag_set(b->err, DIAG_ERROR, b->file, t->line, 0, NULL, "cannot compute SHA-256");
	/* 128 bits of the digest: collisions are out of reach */
	snprintf(out, n, "ofx|%.32s", hex);
	return 0;
}

static int finish_txn(struct ofx_builder *b, long end_line)
{
	static const char *const debit_types[] = {"DEBIT", "D",           "PAYMENT",   "CHECK",
	                                          "ATM",   "POS",         "FEE",       "SRVCHG",
	                                          "CASH",  "DIRECTDEBIT", "REPEATPMT", NULL};
	static const char *const credit_types[] = {"CREDIT", "C", "DEP", "DIRECTDEP", "INT", "DIV", NULL};
	static const char *const all_types[] = {"XFER", "OTHER", "HOLD", NULL};
	struct txn *t = &b->t;
	b->in_txn = 0;
	b->info->titles++;
	b->info->records++;

	if (!b->have_account)
		return diag_set(b->err, DIAG_ERROR, b->file, t->line, 0, NULL,
		                "<STMTTRN> outside a bank statement, or before its account (<BANKACCTFROM>)");
	/* Balance lines listed as transactions: not movements, whatever
	 * their amount (Caixa writes a blank one). */
	if (ofx_memo_is_balance(t->has_memo ? t->memo : t->name)) {
		int64_t ignored;
		if (t->has_amt && ofx_parse_amount(t->trnamt, strlen(t->trnamt), &ignored, NULL) != 0)
			field_warn(b, t->amt_line, t->amt_col, "TRNAMT",
			           "balance line \"%s\" with no amount (\"%s\"): not a movement, skipped",
			           t->has_memo ? t->memo : t->name, t->trnamt);
		return 0;
	}
	if (!t->has_amt)
		return diag_set(b->err, DIAG_ERROR, b->file, t->line, 0, NULL, "<STMTTRN> without <TRNAMT>");
	if (!t->has_date)
		return diag_set(b->err, DIAG_ERROR, b->file, t->line, 0, NULL,
		                "<STMTTRN> without <DTPOSTED>");
	int64_t cents;
	const char *why;
	if (ofx_parse_amount(t->trnamt, strlen(t->trnamt), &cents, &why) != 0) {
		if (strcmp(why, "not a number") == 0 || strcmp(why, "empty amount") == 0)
			return field_error(b, t->amt_line, t->amt_col, "TRNAMT",
			                   "expected an amount like -12.34, found \"%s\"", t->trnamt);
		return field_error(b, t->amt_line, t->amt_col, "TRNAMT",
		                   "expected an amount like -12.34, found \"%s\" (%s)", t->trnamt, why);
	}
	cdate date;
	int drc = ofx_parse_datetime(t->dtposted, strlen(t->dtposted), &date, &why);
	if (drc < 0)
		return field_error(b, t->date_line, t->date_col, "DTPOSTED", "%s, found \"%s\"", why,
		                   t->dtposted);
	if (drc > 0)
		field_warn(b, t->date_line, t->date_col, "DTPOSTED",
		           "%s in \"%s\": the date is read, the rest ignored", why, t->dtposted);
	if (!t->has_fitid)
		ofx_builder_warn(b, t->line, 0, "<STMTTRN> without <FITID>");
	if (t->cursym[0] && strcmp(t->cursym, "BRL") != 0)
		return diag_set(b->err, DIAG_ERROR, b->file, t->line, 0, NULL,
		                "transaction in %s: concilia reads amounts in reais (BRL) only", t->cursym);

	int is_debit_type = in_list(t->trntype, debit_types),
	    is_credit_type = in_list(t->trntype, credit_types);
	if (!t->has_type)
		ofx_builder_warn(b, t->line, 0, "<STMTTRN> without <TRNTYPE>: the sign of TRNAMT decides");
	else if (!is_debit_type && !is_credit_type && !in_list(t->trntype, all_types))
		field_warn(b, t->type_line, t->type_col, "TRNTYPE",
		           "'%s' is not an OFX transaction type: the sign of TRNAMT decides", t->trntype);
	if (cents == 0)
		return 0;

	struct ofx_memo m;
	ofx_memo_read(t->memo, t->name, &m);
	enum event_kind kind;
	if (cents > 0) {
		if (is_debit_type) {
			field_warn(
			    b, t->amt_line, t->amt_col, "TRNAMT",
			    "TRNTYPE %s with a positive amount: type and sign disagree, not read as a credit",
			    t->trntype);
			return 0;
		}
		if (strcmp(t->trntype, "INT") == 0 || strcmp(t->trntype, "DIV") == 0)
			return 0; /* interest and dividends are not payments */
		kind = EVENT_CREDIT;
	} else {
		if (is_credit_type)
			field_warn(b, t->amt_line, t->amt_col, "TRNAMT",
			           "TRNTYPE %s with a negative amount: read as a debit", t->trntype);
		if (!m.is_reversal)
			return 0;
		kind = EVENT_REVERSAL;
		cents = -cents;
	}

	struct bank_event ev;
	memset(&ev, 0, sizeof ev);
	ev.line = t->line;
	ev.line_end = end_line;
	ev.bank = b->bank;
	snprintf(ev.agreement, sizeof ev.agreement, "%s", b->account);
	ev.kind = kind;
	cut_copy(ev.occurrence_text, sizeof ev.occurrence_text, t->trntype);
	ev.due_date = CDATE_NONE;
	ev.occurrence_date = date;
	ev.credit_date = date;
	ev.paid_cents = cents;
	ev.net_cents = cents;
	cut_copy(ev.statement_ref, sizeof ev.statement_ref, t->fitid);
	if (t->memo[0] && t->name[0] && strcmp(t->memo, t->name) != 0) {
		char both[sizeof t->memo + sizeof t->name + 4];
		snprintf(both, sizeof both, "%s / %s", t->memo, t->name);
		cut_copy(ev.free_text, sizeof ev.free_text, both);
	} else {
		cut_copy(ev.free_text, sizeof ev.free_text, t->memo[0] ? t->memo : t->name);
	}
	cut_copy(ev.payer_name, sizeof ev.payer_name, m.payer_name);
	memcpy(ev.payer_document, m.payer_document, sizeof ev.payer_document);
	ev.payer_document_partial = m.payer_document_partial;
	memcpy(ev.end_to_end_id, m.end_to_end_id, sizeof m.end_to_end_id);
	if (kind == EVENT_REVERSAL)
		memcpy(ev.refund_id, m.refund_id, sizeof m.refund_id);
	if (kind == EVENT_CREDIT && m.end_to_end_id[0]) {
		snprintf(ev.identity, sizeof ev.identity, "pix|%s", m.end_to_end_id);
	} else if (kind == EVENT_REVERSAL && m.end_to_end_id[0] && m.refund_id[0]) {
		snprintf(ev.identity, sizeof ev.identity, "pixdev|%s|%s", m.end_to_end_id, m.refund_id);
	} else {
		if (weak_identity(b, t, date, kind == EVENT_REVERSAL ? -cents : cents, ev.identity,
		                  sizeof ev.identity))
			return -1;
		ev.weak_identity = 1;
	}
	if (!b->on_event)
		return 0;
	if (b->on_event(b->ctx, &ev, b->err) != 0) {
		if (b->err->msg[0] == '\0')
			diag_set(b->err, DIAG_ERROR, b->file, t->line, 0, NULL,
			         "stopped while recording the transaction");
		return -1;
	}
	return 0;
}

/* A value inside <STMTTRN>: kept for finish_txn. */
static int txn_field(struct ofx_builder *b, const struct ofx_elem *e)
{
	struct txn *t = &b->t;
	struct {
		const char *name;
		char *dst;
		size_t n;
		int *seen;
		long *line;
		int *col;
	} fields[] = {
	    {"TRNTYPE", t->trntype, sizeof t->trntype, &t->has_type, &t->type_line, &t->type_col},
	    {"DTPOSTED", t->dtposted, sizeof t->dtposted, &t->has_date, &t->date_line, &t->date_col},
	    {"TRNAMT", t->trnamt, sizeof t->trnamt, &t->has_amt, &t->amt_line, &t->amt_col},
	    {"FITID", t->fitid, sizeof t->fitid, &t->has_fitid, NULL, NULL},
	    {"NAME", t->name, sizeof t->name, &t->has_name, NULL, NULL},
	    {"MEMO", t->memo, sizeof t->memo, &t->has_memo, NULL, NULL},
	};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		if (!ofx_name_is(e->name, e->name_len, fields[i].name))
			continue;
		if (*fields[i].seen)
			return field_error(b, e->vline, e->vcol, fields[i].name,
			                   "given twice in the transaction that starts at line %ld", t->line);
		int cut;
		if (value_utf8(b, e, fields[i].dst, fields[i].n, &cut))
			return -1;
		if (cut && i < 4)
			return field_error(b, e->vline, e->vcol, fields[i].name,
			                   "value longer than %zu bytes", fields[i].n - 1);
		*fields[i].seen = 1;
		if (fields[i].line) {
			*fields[i].line = e->vline;
			*fields[i].col = e->vcol;
		}
		if (i == 0)
			for (char *c = t->trntype; *c; c++)
				if (*c >= 'a' && *c <= 'z')
					*c = (char)(*c - 'a' + 'A');
		return 0;
	}
	return 0;
}

static int leaf(struct ofx_builder *b, const struct ofx_elem *e)
{
	enum elem_id parent = b->depth ? b->stack[b->depth - 1] : E_OTHER;
	switch (parent) {
	case E_STMTTRN:
		return txn_field(b, e);
	case E_CURRENCY:
		if (b->in_txn && ofx_name_is(e->name, e->name_len, "CURSYM"))
			return copy_value(b, e, b->t.cursym, sizeof b->t.cursym);
		return 0;
	case E_BANKACCTFROM:
		if (ofx_name_is(e->name, e->name_len, "BANKID"))
			return copy_value(b, e, b->bankid, sizeof b->bankid);
		if (ofx_name_is(e->name, e->name_len, "BRANCHID"))
			return copy_value(b, e, b->branchid, sizeof b->branchid);
		if (ofx_name_is(e->name, e->name_len, "ACCTID"))
			return copy_value(b, e, b->acctid, sizeof b->acctid);
		return 0;
	case E_BANKTRANLIST:
		if (ofx_name_is(e->name, e->name_len, "DTEND"))
			return copy_value(b, e, b->dtend, sizeof b->dtend);
		return 0;
	case E_SONRS:
		if (ofx_name_is(e->name, e->name_len, "DTSERVER"))
			return copy_value(b, e, b->dtserver, sizeof b->dtserver);
		return 0;
	case E_FI:
		if (ofx_name_is(e->name, e->name_len, "ORG") &&
		    copy_value(b, e, b->org, sizeof b->org) == 0) {
			for (char *c = b->org; *c; c++)
				if (*c >= 'a' && *c <= 'z')
					*c = (char)(*c - 'a' + 'A');
			return 0;
		}
		if (ofx_name_is(e->name, e->name_len, "FID") &&
		    copy_value(b, e, b->fid, sizeof b->fid) == 0) {
			for (char *c = b->fid; *c; c++)
				if (*c >= 'a' && *c <= 'z')
					*c = (char)(*c - 'a' + 'A');
			return 0;
		}
		return 0;
	case E_STMTRS:
		if (ofx_name_is(e->name, e->name_len, "CURDEF")) {
			char cur[16];
			if (copy_value(b, e, cur, sizeof cur))
				return -1;
			if (strcmp(cur, "BRL") != 0)
				return field_error(
				    b, e->vline, e->vcol, "CURDEF",
				    "statement in %s: concilia reads statements in reais (BRL) only", cur);
		}
		return 0;
	case E_STATUS:
		if (ofx_name_is(e->name, e->name_len, "CODE")) {
			char code[16];
			int v;
			if (copy_value(b, e, code, sizeof code))
				return -1;
			if (digits_value(code, &v) == 0 && v != 0 && !b->status_code)
				b->status_code = v;
		} else if (ofx_name_is(e->name, e->name_len, "MESSAGE") && !b->status_msg[0]) {
			return copy_value(b, e, b->status_msg, sizeof b->status_msg);
		}
		return 0;
	default:
		return 0;
	}
}

int ofx_builder_elem(struct ofx_builder *b, const struct ofx_elem *e)
{
	if (e->kind == OFX_LEAF)
		return leaf(b, e);
	if (e->kind == OFX_CLOSE) {
		if (b->depth == 0)
			return diag_set(b->err, DIAG_ERROR, b->file, e->line, 0, NULL,
			                "</%.*s> closes nothing", (int)e->name_len, e->name);
		enum elem_id id = b->stack[--b->depth];
		if (id == E_STMTTRN)
			return finish_txn(b, e->line);
		if (id == E_BANKACCTFROM)
			return close_account(b, e->line);
		if (id == E_STMTRS)
			b->have_account = 0;
		return 0;
	}
	if (b->depth >= OFX_MAX_DEPTH)
		return diag_set(b->err, DIAG_ERROR, b->file, e->line, 0, NULL,
		                "<%.*s> is nested too deep (OFX files have fewer than %d levels)",
		                (int)e->name_len, e->name, OFX_MAX_DEPTH);
	enum elem_id id = elem_id_of(e->name, e->name_len);
	if (ofx_name_is(e->name, e->name_len, "CCSTMTRS"))
		return diag_set(
		    b->err, DIAG_ERROR, b->file, e->line, 0, NULL,
		    "a credit-card statement (<CCSTMTRS>): concilia reads bank account statements");
	if (ofx_name_is(e->name, e->name_len, "INVSTMTRS"))
		return diag_set(
		    b->err, DIAG_ERROR, b->file, e->line, 0, NULL,
		    "an investment statement (<INVSTMTRS>): concilia reads bank account statements");
	if (id == E_STMTTRN) {
		if (b->in_txn)
			return diag_set(b->err, DIAG_ERROR, b->file, e->line, 0, NULL,
			                "<STMTTRN> inside another");
		memset(&b->t, 0, sizeof b->t);
		b->t.line = e->line;
		b->in_txn = 1;
	} else if (id == E_STMTRS) {
		b->statements++;
		b->have_account = 0;
		b->bankid[0] = b->branchid[0] = b->acctid[0] = '\0';
	} else if (id == E_BANKACCTFROM) {
		b->bankid[0] = b->branchid[0] = b->acctid[0] = '\0';
	}
	b->stack[b->depth++] = id;
	return 0;
}

/* ---- the OFX 1.x header ---- */

struct header {
	int version;
	int declared_utf8;
	const unsigned char *body; /* the first '<' */
	long line;
	int col;
};

static int header_value_is(const char *v, size_t n, const char *word)
{
	return ofx_name_is(v, n, word);
}

static int read_header(struct ofx_builder *b, const unsigned char *buf, size_t len, struct header *h)
{
	size_t i = 0;
	long line = 1;
	int keys = 0, saw_ofxheader = 0;
	if (len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF)
		i = 3;
	memset(h, 0, sizeof *h);
	while (i < len) {
		size_t start = i;
		const unsigned char *nl = memchr(buf + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - buf) : len;
		size_t a = start, z = end;
		while (a < z && blank(buf[a]))
			a++;
		while (z > a && blank(buf[z - 1]))
			z--;
		if (a < z && buf[a] == '<') {
			h->body = buf + a;
			h->line = line;
			h->col = (int)(a - start + 1);
			break;
		}
		if (a < z) {
			const unsigned char *colon = memchr(buf + a, ':', z - a);
			if (!colon || colon == buf + a) {
				char shown[60];
				text_cp1252_to_utf8(buf + a, z - a < 40 ? z - a : 40, shown, sizeof shown);
				return diag_set(b->err, DIAG_ERROR, b->file, line, (int)(a - start + 1), NULL,
				                "expected an OFX header line like VERSION:102, found \"%s\"",
				                shown);
			}
			const char *k = (const char *)buf + a, *v = (const char *)colon + 1;
			size_t kl = (size_t)(colon - (buf + a)), vl = (size_t)((const char *)buf + z - v);
			while (vl && blank((unsigned char)*v)) {
				v++;
				vl--;
			}
			if (keys == 0 && !ofx_name_is(k, kl, "OFXHEADER"))
				return diag_set(b->err, DIAG_ERROR, b->file, line, 1, NULL,
				                "an OFX 1.x file starts with OFXHEADER:100");
			keys++;
			if (ofx_name_is(k, kl, "OFXHEADER")) {
				saw_ofxheader = 1;
				if (!header_value_is(v, vl, "100"))
					ofx_builder_warn(b, line, 0, "OFXHEADER:%.*s (expected 100)", (int)vl,
					                 v);
			} else if (ofx_name_is(k, kl, "DATA")) {
				if (!header_value_is(v, vl, "OFXSGML"))
					return diag_set(b->err, DIAG_ERROR, b->file, line,
					                (int)(v - (const char *)buf - start + 1), "DATA",
					                "expected OFXSGML, found \"%.*s\"",
					                (int)(vl < 40 ? vl : 40), v);
			} else if (ofx_name_is(k, kl, "VERSION")) {
				int version = 0;
				for (size_t c = 0; c < vl && c < 4 && digit((unsigned char)v[c]); c++)
					version = version * 10 + (v[c] - '0');
				h->version = version;
			} else if (ofx_name_is(k, kl, "ENCODING")) {
				if (header_value_is(v, vl, "UTF-8") || header_value_is(v, vl, "UTF8"))
					h->declared_utf8 = 1;
			} else if (ofx_name_is(k, kl, "CHARSET")) {
				if (header_value_is(v, vl, "UTF-8") || header_value_is(v, vl, "65001"))
					h->declared_utf8 = 1;
			} else if (ofx_name_is(k, kl, "COMPRESSION")) {
				if (!header_value_is(v, vl, "NONE") && vl)
					return diag_set(b->err, DIAG_ERROR, b->file, line, 0, NULL,
					                "compressed OFX (COMPRESSION:%.*s) is not read: "
					                "export it uncompressed",
					                (int)(vl < 20 ? vl : 20), v);
			}
		}
		i = end + 1;
		line++;
	}
	if (!h->body)
		return diag_set(b->err, DIAG_ERROR, b->file, line > 1 ? line - 1 : 1, 0, NULL,
		                "OFX header without a body: no <OFX> element");
	if (!saw_ofxheader) {
		ofx_builder_warn(b, 1, 0, "no OFX header (OFXHEADER:100 ...): read as OFX 1.x SGML");
		b->info->layout_name = "OFX 1.x SGML";
	} else if (!h->version) {
		ofx_builder_warn(b, 1, 0, "no VERSION in the OFX header: read as OFX 1.02");
		h->version = 102;
	}
	return 0;
}

static int starts_xml(const unsigned char *buf, size_t len)
{
	size_t i = skip_bom_blanks(buf, len, 0);
	return starts_with_ci(buf + i, len - i, "<?XML") || starts_with_ci(buf + i, len - i, "<?OFX");
}

int ofx_parse(const char *filename, const unsigned char *buf, size_t len, struct cnab_file_info *info,
              cnab_event_fn on_event, void *ctx, diag_sink warn, void *wctx, struct diag *err)
{
	/* heap: the builder holds a value buffer of 12 KiB */
	struct ofx_builder *b = calloc(1, sizeof *b);
	if (!b)
		return diag_set(err, DIAG_ERROR, filename, 0, 0, NULL, "out of memory");
	memset(info, 0, sizeof *info);
	info->generated = CDATE_NONE;
	b->file = filename;
	b->info = info;
	b->on_event = on_event;
	b->ctx = ctx;
	b->warn = warn;
	b->wctx = wctx;
	b->err = err;
	b->buf = buf;
	b->len = len;

	int rc;
	if (starts_xml(buf, len)) {
		b->xml = 1;
		info->layout_name = "OFX 2.x XML";
		rc = ofx_xml_read(buf, len, b);
	} else {
		struct header h;
		rc = read_header(b, buf, len, &h);
		if (rc == 0) {
			if (h.version)
				ofx_builder_set_version(b, h.version, 1);
			/* Windows-1252 unless the text says UTF-8 and is UTF-8:
			 * bytes that are valid UTF-8 and not ASCII are practically
			 * never Windows-1252 text. */
			int valid = text_is_utf8(h.body, (size_t)(buf + len - h.body));
			b->utf8 = valid;
			if (h.declared_utf8 && !valid)
				ofx_builder_warn(b, 1, 0,
				                 "the header says UTF-8 but the text is not valid UTF-8: "
				                 "read as Windows-1252");
			rc = ofx_sgml_read(h.body, buf + len, h.line, h.col, b);
		}
	}
	if (rc == 0 && b->statements == 0) {
		if (b->status_code)
			rc = diag_set(
			    err, DIAG_ERROR, filename, 0, 0, NULL,
			    "no bank statement: the bank's response is an error (STATUS CODE %ld%s%s)",
			    b->status_code, b->status_msg[0] ? ": " : "", b->status_msg);
		else
			rc = diag_set(err, DIAG_ERROR, filename, 0, 0, NULL,
			              "no bank statement (<STMTRS>) in the file");
	}
	if (rc == 0) {
		cdate d;
		if (ofx_parse_datetime(b->dtserver, strlen(b->dtserver), &d, NULL) >= 0 ||
		    ofx_parse_datetime(b->dtend, strlen(b->dtend), &d, NULL) >= 0)
			info->generated = d;
		cut_copy(info->bank_name, sizeof info->bank_name, b->org);
	}
	free(b);
	return rc;
}

static int sniff(const unsigned char *buf, size_t len)
{
	return ofx_sniff(buf, len);
}

const struct statement_reader ofx_statement_reader = {
    .family = "ofx",
    .sniff = sniff,
    .parse = ofx_parse,
};
