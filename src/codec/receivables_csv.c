/* The receivables CSV exported by an ERP: maps the header to known columns,
 * validates every cell into a struct receivable_row and hands rows to the
 * caller one at a time. Stops at the first bad row: a half-understood
 * receivables file must not reach the ledger. */
#include "config.h"

#include "codec/receivables_csv.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/csv.h"
#include "codec/nosso_numero.h"
#include "core/money.h"
#include "core/taxid.h"
#include "core/text.h"

enum rcol {
	COL_ID,
	COL_DOCUMENT,
	COL_NAME,
	COL_AMOUNT,
	COL_DUE,
	COL_BANK,
	COL_NOSSO,
	COL_TXID,
	COL_ISSUE,
	COL_FINE,
	COL_INTEREST,
	COL_DISCOUNT,
	COL_DISCOUNT_UNTIL,
	COL_FINE_AMOUNT,
	COL_FINE_AFTER,
	COL_INTEREST_DAY,
	COL_INTEREST_AFTER,
	COL_REBATE,
	COL_DISCOUNT_PERCENT,
	COL_DISCOUNT2,
	COL_DISCOUNT2_PERCENT,
	COL_DISCOUNT2_UNTIL,
	COL_DISCOUNT3,
	COL_DISCOUNT3_PERCENT,
	COL_DISCOUNT3_UNTIL,
	COL_STATUS,
	COL_EMAIL,
	COL_PHONE,
	COL_STATE,
	COL_ACCOUNT,
	COL_COUNT
};

/* Order matters twice: it is the order in which cells are checked (so the
 * error reported for a row is deterministic) and the order in which missing
 * required columns are named. */
static const struct {
	const char *name;
	bool required;
} rcsv_columns[COL_COUNT] = {
	[COL_ID] = {"id", true},
	[COL_DOCUMENT] = {"debtor_document", true},
	[COL_NAME] = {"debtor_name", true},
	[COL_AMOUNT] = {"amount", true},
	[COL_DUE] = {"due_date", true},
	[COL_BANK] = {"bank", true},
	[COL_NOSSO] = {"nosso_numero", true},
	[COL_TXID] = {"pix_txid", false},
	[COL_ISSUE] = {"issue_date", false},
	[COL_FINE] = {"fine_percent", false},
	[COL_INTEREST] = {"interest_percent_month", false},
	[COL_DISCOUNT] = {"discount_amount", false},
	[COL_DISCOUNT_UNTIL] = {"discount_until", false},
	[COL_FINE_AMOUNT] = {"fine_amount", false},
	[COL_FINE_AFTER] = {"fine_after", false},
	[COL_INTEREST_DAY] = {"interest_amount_day", false},
	[COL_INTEREST_AFTER] = {"interest_after", false},
	[COL_REBATE] = {"rebate_amount", false},
	[COL_DISCOUNT_PERCENT] = {"discount_percent", false},
	[COL_DISCOUNT2] = {"discount2_amount", false},
	[COL_DISCOUNT2_PERCENT] = {"discount2_percent", false},
	[COL_DISCOUNT2_UNTIL] = {"discount2_until", false},
	[COL_DISCOUNT3] = {"discount3_amount", false},
	[COL_DISCOUNT3_PERCENT] = {"discount3_percent", false},
	[COL_DISCOUNT3_UNTIL] = {"discount3_until", false},
	[COL_STATUS] = {"status", false},
	[COL_EMAIL] = {"email", false},
	[COL_PHONE] = {"phone", false},
	[COL_STATE] = {"state", false},
	[COL_ACCOUNT] = {"account", false},
};

static const char *const rcsv_states[27] = {
	"AC", "AL", "AP", "AM", "BA", "CE", "DF", "ES", "GO", "MA", "MT", "MS", "MG", "PA",
	"PB", "PR", "PE", "PI", "RJ", "RN", "RS", "RO", "RR", "SC", "SP", "SE", "TO",
};

/* Ids seen so far: open addressing over copies kept in one arena, so the
 * duplicate check costs no allocation per row (both only double). */
struct rcsv_id {
	size_t off;
	long line;     /* 0 = empty slot */
	uint32_t hash; /* to skip most compares and to rehash */
	uint32_t len;  /* ids are at most 64 bytes */
};

struct rcsv_ids {
	struct rcsv_id *slots;
	size_t cap, count;
	char *arena;
	size_t arena_len, arena_cap;
};

struct rcsv {
	const char *file;
	struct diag *err;
	long line;
	bool utf8;		/* whole file is valid UTF-8; otherwise Windows-1252 */
	long colpos[COL_COUNT]; /* cell index, -1 when the column is absent */
	size_t ncols;		/* cells in the header, hence in every row */
	const struct csv_field *cells;
	char *conv; /* reusable UTF-8 conversion buffer */
	size_t conv_cap;
	struct rcsv_ids ids;
};

static int rcsv_grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t ncap;
	void *np;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 256;
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

static int rcsv_error(struct rcsv *p, int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int rcsv_error(struct rcsv *p, int col, const char *fmt, ...)
{
	char msg[sizeof p->err->msg];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return diag_set(p->err, DIAG_ERROR, p->file, p->line, 0,
			col >= 0 ? rcsv_columns[col].name : NULL, "%s", msg);
}

static int rcsv_oom(struct rcsv *p)
{
	return rcsv_error(p, -1, "out of memory");
}

/* The cell as UTF-8: as is when the file is UTF-8, else converted into the
 * reusable buffer (valid until the next call). */
static int rcsv_to_utf8(struct rcsv *p, const char *s, size_t len, const char **u, size_t *ulen)
{
	void *b = p->conv;

	if (p->utf8) {
		*u = s;
		*ulen = len;
		return 0;
	}
	/* a cp1252 byte becomes at most 3 UTF-8 bytes */
	if (len > (SIZE_MAX - 1) / 3 || rcsv_grow(&b, &p->conv_cap, len * 3 + 1, 1) < 0)
		return -1;
	p->conv = b;
	*ulen = text_cp1252_to_utf8((const unsigned char *)s, len, p->conv, p->conv_cap);
	*u = p->conv;
	return 0;
}

/* A short, quoted, escaped UTF-8 excerpt of a cell for a message. Works on a
 * local copy so that it never disturbs p->conv. */
static const char *rcsv_echo(const struct rcsv *p, const char *s, size_t len, char *out, size_t n)
{
	enum { SHOWN = 60 };
	char tmp[SHOWN * 3 + 1];
	size_t shown = len > SHOWN ? SHOWN : len, tl, o = 0, i;

	if (p->utf8) {
		/* do not cut a character in half */
		while (shown < len && shown > 0 && ((unsigned char)s[shown] & 0xC0) == 0x80)
			shown--;
		memcpy(tmp, s, shown);
		tl = shown;
	} else {
		tl = text_cp1252_to_utf8((const unsigned char *)s, shown, tmp, sizeof tmp);
	}
	out[o++] = '"';
	for (i = 0; i < tl && o + 8 < n; i++) {
		unsigned char c = (unsigned char)tmp[i];

		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c < 0x20 || c == 0x7F) {
			o += (size_t)snprintf(out + o, n - o, "\\x%02X", c);
		} else {
			out[o++] = (char)c;
		}
	}
	if (shown < len && o + 5 < n) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o++] = '"';
	out[o] = '\0';
	return out;
}

static int rcsv_expected(struct rcsv *p, int col, const char *what, const char *s, size_t len)
{
	char echo[256];

	return rcsv_error(p, col, "expected %s, found %s", what,
			  rcsv_echo(p, s, len, echo, sizeof echo));
}

/* The trimmed cell of column col; false when the column is absent or the
 * cell blank (blank optional cells mean "absent"). */
static bool rcsv_cell(const struct rcsv *p, int col, const char **s, size_t *len)
{
	long k = p->colpos[col];

	if (k < 0)
		return false;
	*s = p->cells[k].s;
	*len = p->cells[k].len;
	text_trim(s, len);
	return *len > 0;
}

static int rcsv_required(struct rcsv *p, int col, const char **s, size_t *len)
{
	if (!rcsv_cell(p, col, s, len))
		return rcsv_error(p, col, "required value is blank");
	return 0;
}

/* Copies free text (ids, names, e-mail) as UTF-8. Never truncates: an id or
 * a name cut short would silently become another one. */
static int rcsv_text(struct rcsv *p, int col, const char *s, size_t len, char *out, size_t cap)
{
	const char *u;
	size_t ul, i;

	if (rcsv_to_utf8(p, s, len, &u, &ul) < 0)
		return rcsv_oom(p);
	if (ul > cap - 1)
		return rcsv_error(p, col, "too long: %zu bytes, the limit is %zu bytes", ul,
				  cap - 1);
	for (i = 0; i < ul; i++) {
		unsigned char c = (unsigned char)u[i];

		if (c < 0x20 || c == 0x7F) {
			char echo[256];

			return rcsv_error(p, col,
					  "control character (line break, tab) not allowed in %s",
					  rcsv_echo(p, s, len, echo, sizeof echo));
		}
	}
	memcpy(out, u, ul);
	out[ul] = '\0';
	return 0;
}

static int rcsv_date(struct rcsv *p, int col, const char *s, size_t len, cdate *out)
{
	if (date_parse_text(s, len, out) < 0 || *out == CDATE_NONE)
		return rcsv_expected(p, col, "a date like 2026-11-24 or 24/11/2026", s, len);
	return 0;
}

static int rcsv_percent(struct rcsv *p, int col, int64_t *e4)
{
	const char *s, *why = NULL;
	size_t len;
	char echo[256];

	if (!rcsv_cell(p, col, &s, &len))
		return 0;
	if (percent_parse(s, len, e4, &why) < 0)
		return rcsv_error(p, col, "expected a percentage like 2 or 0,033, found %s: %s",
				  rcsv_echo(p, s, len, echo, sizeof echo),
				  why ? why : "not a percentage");
	return 0;
}

/* FNV-1a, folded to 32 bits: plenty for the ids of one file. */
static uint32_t rcsv_hash(const char *s, size_t len)
{
	uint64_t h = UINT64_C(14695981039346656037);
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= UINT64_C(1099511628211);
	}
	return (uint32_t)(h ^ (h >> 32));
}

/* Records id at line; returns 0, or the line where it was first seen, or -1
 * when out of memory. */
static long rcsv_id_seen(struct rcsv_ids *t, const char *id, size_t len, long line)
{
	uint32_t h = rcsv_hash(id, len);
	size_t i;

	if ((t->count + 1) * 2 > t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 1024, k;
		struct rcsv_id *ns;

		if (ncap > SIZE_MAX / sizeof *ns)
			return -1;
		ns = calloc(ncap, sizeof *ns);
		if (!ns)
			return -1;
		for (k = 0; k < t->cap; k++) {
			if (t->slots[k].line == 0)
				continue;
			i = (size_t)t->slots[k].hash & (ncap - 1);
			while (ns[i].line != 0)
				i = (i + 1) & (ncap - 1);
			ns[i] = t->slots[k];
		}
		free(t->slots);
		t->slots = ns;
		t->cap = ncap;
	}
	i = (size_t)h & (t->cap - 1);
	while (t->slots[i].line != 0) {
		const struct rcsv_id *e = &t->slots[i];

		if (e->hash == h && e->len == len && memcmp(t->arena + e->off, id, len) == 0)
			return e->line;
		i = (i + 1) & (t->cap - 1);
	}
	{
		void *a = t->arena;

		if (rcsv_grow(&a, &t->arena_cap, t->arena_len + len, 1) < 0)
			return -1;
		t->arena = a;
	}
	memcpy(t->arena + t->arena_len, id, len);
	t->slots[i].off = t->arena_len;
	t->slots[i].len = (uint32_t)len;
	t->slots[i].hash = h;
	t->slots[i].line = line;
	t->arena_len += len;
	t->count++;
	return 0;
}

static int rcsv_parse_id(struct rcsv *p, struct receivable_row *row)
{
	const char *s;
	size_t len;
	long first;
	char echo[256];

	if (rcsv_required(p, COL_ID, &s, &len) < 0 ||
	    rcsv_text(p, COL_ID, s, len, row->id, sizeof row->id) < 0)
		return -1;
	first = rcsv_id_seen(&p->ids, row->id, strlen(row->id), p->line);
	if (first < 0)
		return rcsv_oom(p);
	if (first > 0)
		return rcsv_error(p, COL_ID, "duplicate id %s, first on line %ld",
				  rcsv_echo(p, s, len, echo, sizeof echo), first);
	return 0;
}

static int rcsv_parse_bank(struct rcsv *p, struct receivable_row *row)
{
	const char *s;
	size_t len, i;
	int v = 0;

	if (rcsv_required(p, COL_BANK, &s, &len) < 0)
		return -1;
	for (i = 0; i < len && len <= 3; i++) {
		if (s[i] < '0' || s[i] > '9')
			break;
		v = v * 10 + (s[i] - '0');
	}
	if (len > 3 || i < len || v < 1)
		return rcsv_expected(p, COL_BANK, "a bank code of 1 to 3 digits like 001 or 341", s,
				     len);
	row->bank = v;
	return 0;
}

static int rcsv_parse_nosso(struct rcsv *p, struct receivable_row *row)
{
	static const char what[] = "a nosso numero of letters and digits (at most 20 without "
				   "punctuation and leading zeros)";
	const char *s;
	size_t len, i;

	if (rcsv_required(p, COL_NOSSO, &s, &len) < 0)
		return -1;
	if (len > sizeof row->nosso_numero_raw - 1)
		return rcsv_error(p, COL_NOSSO, "too long: %zu bytes, the limit is %zu bytes", len,
				  sizeof row->nosso_numero_raw - 1);
	/* Only what normalization knows how to drop; anything else is a
	 * different reference, not punctuation. */
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      c == ' ' || c == '-' || c == '/' || c == '.'))
			return rcsv_expected(p, COL_NOSSO, what, s, len);
	}
	if (nosso_numero_normalize(s, len, row->nosso_numero) < 0)
		return rcsv_expected(p, COL_NOSSO, what, s, len);
	memcpy(row->nosso_numero_raw, s, len);
	row->nosso_numero_raw[len] = '\0';
	return 0;
}

static int rcsv_parse_txid(struct rcsv *p, struct receivable_row *row)
{
	const char *s;
	size_t len, i;

	if (!rcsv_cell(p, COL_TXID, &s, &len))
		return 0;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
			break;
	}
	if (i < len || len < 26 || len > 35)
		return rcsv_expected(p, COL_TXID, "a Pix txid of 26 to 35 letters and digits", s,
				     len);
	memcpy(row->pix_txid, s, len);
	row->pix_txid[len] = '\0';
	return 0;
}

/* An optional amount of zero or more; 0 when blank (ERPs also write 0,00
 * for "none", which the callers treat like a blank cell). */
static int rcsv_amount(struct rcsv *p, int col, int64_t *cents)
{
	const char *s, *why = NULL;
	size_t len;

	if (!rcsv_cell(p, col, &s, &len))
		return 0;
	if (money_parse_decimal(s, len, cents, &why) < 0)
		return rcsv_expected(p, col, "an amount like 1234.56 or 1.234,56", s, len);
	if (*cents < 0)
		return rcsv_expected(p, col, "an amount of zero or more", s, len);
	return 0;
}

/* An optional date; CDATE_NONE when blank. */
static int rcsv_opt_date(struct rcsv *p, int col, cdate *out)
{
	const char *s;
	size_t len;

	*out = CDATE_NONE;
	if (!rcsv_cell(p, col, &s, &len))
		return 0;
	return rcsv_date(p, col, s, len, out);
}

static int rcsv_both(struct rcsv *p, int col_a, int col_b)
{
	return rcsv_error(p, col_b, "give %s or %s, not both", rcsv_columns[col_a].name,
			  rcsv_columns[col_b].name);
}

/* A start date (fine_after, interest_after): only with the charge it delays,
 * and never before the due date (the charge already starts there). */
static int rcsv_after(struct rcsv *p, int col, bool charged, int col_a, int col_b, cdate due, cdate *out)
{
	if (rcsv_opt_date(p, col, out) < 0)
		return -1;
	if (*out == CDATE_NONE)
		return 0;
	if (!charged)
		return rcsv_error(p, col, "given without %s or %s", rcsv_columns[col_a].name,
				  rcsv_columns[col_b].name);
	if (*out < due || *out - due > RECEIVABLE_MAX_GRACE_DAYS) {
		char a[16], d[16];

		date_format_iso(*out, a, sizeof a);
		date_format_iso(due, d, sizeof d);
		return rcsv_error(p, col, "%s is %s the due date %s", a,
				  *out < due ? "before" : "more than ten years after", d);
	}
	return 0;
}

/* Fine (multa): a percentage or a fixed amount, optionally from a later
 * date; interest (juros): a monthly percentage or an amount per day, the
 * same way. Neither interest column = exempt. */
static int rcsv_parse_fine_interest(struct rcsv *p, struct receivable_row *row)
{
	if (rcsv_percent(p, COL_FINE, &row->fine_e4) < 0 ||
	    rcsv_amount(p, COL_FINE_AMOUNT, &row->fine_cents) < 0)
		return -1;
	if (row->fine_e4 && row->fine_cents)
		return rcsv_both(p, COL_FINE, COL_FINE_AMOUNT);
	if (row->fine_cents > row->amount_cents) {
		char f[32], a[32];

		money_format(row->fine_cents, f, sizeof f);
		money_format(row->amount_cents, a, sizeof a);
		return rcsv_error(p, COL_FINE_AMOUNT, "fine %s is more than the amount %s", f, a);
	}
	if (rcsv_after(p, COL_FINE_AFTER, row->fine_e4 || row->fine_cents, COL_FINE, COL_FINE_AMOUNT,
		       row->due_date, &row->fine_after) < 0)
		return -1;

	if (rcsv_percent(p, COL_INTEREST, &row->interest_month_e4) < 0 ||
	    rcsv_amount(p, COL_INTEREST_DAY, &row->interest_day_cents) < 0)
		return -1;
	if (row->interest_month_e4 && row->interest_day_cents)
		return rcsv_both(p, COL_INTEREST, COL_INTEREST_DAY);
	if (row->interest_day_cents > row->amount_cents) {
		char f[32], a[32];

		money_format(row->interest_day_cents, f, sizeof f);
		money_format(row->amount_cents, a, sizeof a);
		return rcsv_error(p, COL_INTEREST_DAY, "interest of %s a day is more than the amount %s", f,
				  a);
	}
	return rcsv_after(p, COL_INTEREST_AFTER, row->interest_month_e4 || row->interest_day_cents,
			  COL_INTEREST, COL_INTEREST_DAY, row->due_date, &row->interest_after);
}

static int rcsv_parse_rebate(struct rcsv *p, struct receivable_row *row)
{
	if (rcsv_amount(p, COL_REBATE, &row->rebate_cents) < 0)
		return -1;
	if (row->rebate_cents >= row->amount_cents) {
		char r[32], a[32];

		money_format(row->rebate_cents, r, sizeof r);
		money_format(row->amount_cents, a, sizeof a);
		return rcsv_error(p, COL_REBATE, "rebate %s must be less than the amount %s", r, a);
	}
	return 0;
}

/* The three discount tiers: columns and where the row keeps them. */
struct rcsv_tier {
	int col_amount, col_percent, col_until;
};

static const struct rcsv_tier rcsv_tiers[3] = {
	{COL_DISCOUNT, COL_DISCOUNT_PERCENT, COL_DISCOUNT_UNTIL},
	{COL_DISCOUNT2, COL_DISCOUNT2_PERCENT, COL_DISCOUNT2_UNTIL},
	{COL_DISCOUNT3, COL_DISCOUNT3_PERCENT, COL_DISCOUNT3_UNTIL},
};

/* Discount tier k: an amount or a percentage until a date, on or before the
 * due date (a discount is for paying early), each tier's date after the
 * previous one's, no tier without the one before. */
static int rcsv_parse_tier(struct rcsv *p, struct receivable_row *row, int k, int64_t *cents, int64_t *e4,
			   cdate *until, cdate prev_until, bool prev_given)
{
	const struct rcsv_tier *t = &rcsv_tiers[k];
	const char *s;
	size_t len;
	bool has_until;

	if (rcsv_amount(p, t->col_amount, cents) < 0 || rcsv_percent(p, t->col_percent, e4) < 0)
		return -1;
	has_until = rcsv_cell(p, t->col_until, &s, &len);
	if (has_until && rcsv_date(p, t->col_until, s, len, until) < 0)
		return -1;
	if (*cents && *e4)
		return rcsv_both(p, t->col_amount, t->col_percent);
	if (*cents == 0 && *e4 == 0) {
		*until = CDATE_NONE;
		if (!has_until)
			return 0;
		if (p->colpos[t->col_percent] >= 0)
			return rcsv_error(p, t->col_amount,
					  "%s or %s required (greater than zero) when %s is given",
					  rcsv_columns[t->col_amount].name, rcsv_columns[t->col_percent].name,
					  rcsv_columns[t->col_until].name);
		return rcsv_error(p, t->col_amount, "required (greater than zero) when %s is given",
				  rcsv_columns[t->col_until].name);
	}
	int given = *cents ? t->col_amount : t->col_percent;
	if (!has_until)
		return rcsv_error(p, t->col_until, "required when %s is given", rcsv_columns[given].name);
	if (!prev_given)
		return rcsv_error(p, given, "given without discount tier %d (%s or %s)", k,
				  rcsv_columns[rcsv_tiers[k - 1].col_amount].name,
				  rcsv_columns[rcsv_tiers[k - 1].col_percent].name);
	if (*until > row->due_date || (prev_until != CDATE_NONE && *until <= prev_until)) {
		char u[16], o[16];

		date_format_iso(*until, u, sizeof u);
		if (*until > row->due_date) {
			date_format_iso(row->due_date, o, sizeof o);
			return rcsv_error(p, t->col_until, "%s is after the due date %s", u, o);
		}
		date_format_iso(prev_until, o, sizeof o);
		return rcsv_error(p, t->col_until, "%s must be after %s %s", u,
				  rcsv_columns[rcsv_tiers[k - 1].col_until].name, o);
	}
	if (*e4 >= 1000000)
		return rcsv_error(p, t->col_percent, "a discount must be less than 100%%");
	if (*cents >= row->amount_cents - row->rebate_cents) {
		char d[32], a[32];

		money_format(*cents, d, sizeof d);
		money_format(row->amount_cents - row->rebate_cents, a, sizeof a);
		return rcsv_error(p, t->col_amount, "discount %s must be less than the amount %s%s", d, a,
				  row->rebate_cents ? " less the rebate" : "");
	}
	return 0;
}

static int rcsv_parse_discounts(struct rcsv *p, struct receivable_row *row)
{
	if (rcsv_parse_tier(p, row, 0, &row->discount_cents, &row->discount_e4, &row->discount_until,
			    CDATE_NONE, true) < 0)
		return -1;
	if (rcsv_parse_tier(p, row, 1, &row->discount2_cents, &row->discount2_e4, &row->discount2_until,
			    row->discount_until, row->discount_until != CDATE_NONE) < 0)
		return -1;
	return rcsv_parse_tier(p, row, 2, &row->discount3_cents, &row->discount3_e4, &row->discount3_until,
			       row->discount2_until, row->discount2_until != CDATE_NONE);
}

static int rcsv_parse_status(struct rcsv *p, struct receivable_row *row)
{
	const char *s;
	size_t len;

	row->status = RECEIVABLE_OPEN;
	if (!rcsv_cell(p, COL_STATUS, &s, &len) || text_ieq(s, len, "open"))
		return 0;
	/* both spellings: ERPs in American English write "canceled" */
	if (text_ieq(s, len, "cancelled") || text_ieq(s, len, "canceled")) {
		row->status = RECEIVABLE_CANCELLED;
		return 0;
	}
	if (text_ieq(s, len, "disputed")) {
		row->status = RECEIVABLE_DISPUTED;
		return 0;
	}
	if (text_ieq(s, len, "renegotiated")) {
		row->status = RECEIVABLE_RENEGOTIATED;
		return 0;
	}
	return rcsv_expected(p, COL_STATUS, "open, cancelled, disputed or renegotiated", s, len);
}

static int rcsv_parse_email(struct rcsv *p, struct receivable_row *row)
{
	const char *s, *at = NULL;
	size_t len, i, ats = 0;

	if (!rcsv_cell(p, COL_EMAIL, &s, &len))
		return 0;
	/* A light check only: catch a phone or a name in the wrong column, or
	 * two addresses in one cell, without pretending to validate RFC 5322. */
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c == 0x7F || c == ',' || c == ';')
			break;
		if (c == '@') {
			ats++;
			at = s + i;
		}
	}
	if (i < len || ats != 1 || at == s || at == s + len - 1)
		return rcsv_expected(p, COL_EMAIL, "an e-mail address like name@example.com", s,
				     len);
	return rcsv_text(p, COL_EMAIL, s, len, row->email, sizeof row->email);
}

static int rcsv_parse_phone(struct rcsv *p, struct receivable_row *row)
{
	static const char what[] = "a phone number of 8 to 20 digits, with an optional leading '+'";
	const char *s;
	size_t len, i, o = 0, digits = 0;

	if (!rcsv_cell(p, COL_PHONE, &s, &len))
		return 0;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9') {
			if (digits == 20)
				return rcsv_expected(p, COL_PHONE, what, s, len);
			row->phone[o++] = c;
			digits++;
		} else if (c == '+' && o == 0) {
			row->phone[o++] = c;
		} else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')' && c != '/') {
			return rcsv_expected(p, COL_PHONE, what, s, len);
		}
	}
	if (digits < 8)
		return rcsv_expected(p, COL_PHONE, what, s, len);
	row->phone[o] = '\0';
	return 0;
}

static int rcsv_parse_state(struct rcsv *p, struct receivable_row *row)
{
	const char *s;
	size_t len, i;

	if (!rcsv_cell(p, COL_STATE, &s, &len))
		return 0;
	for (i = 0; len == 2 && i < sizeof rcsv_states / sizeof rcsv_states[0]; i++) {
		if (text_ieq(s, len, rcsv_states[i])) {
			memcpy(row->state, rcsv_states[i], 3);
			return 0;
		}
	}
	return rcsv_expected(p, COL_STATE, "a Brazilian state code (UF) like SP or RJ", s, len);
}

/* The collection account a receivable belongs to, when the company collects
 * through several accounts at one bank: the label given to `account add`. */
static int rcsv_parse_account(struct rcsv *p, struct receivable_row *row)
{
	const char *s;
	size_t len, i;

	if (!rcsv_cell(p, COL_ACCOUNT, &s, &len))
		return 0;
	if (len >= sizeof row->account)
		return rcsv_expected(p, COL_ACCOUNT, "an account label of at most 32 characters", s, len);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' ||
		      c == '_' || c == '.'))
			return rcsv_expected(p, COL_ACCOUNT, "an account label (letters, digits, '-', '_', '.')", s,
					     len);
	}
	memcpy(row->account, s, len);
	row->account[len] = '\0';
	return 0;
}

/* Fills row from the current record; returns 0 or -1 with p->err set. */
static int rcsv_row(struct rcsv *p, struct receivable_row *row)
{
	const char *s, *why = NULL;
	size_t len;

	memset(row, 0, sizeof *row);
	row->line = p->line;
	row->issue_date = CDATE_NONE;
	row->discount_until = CDATE_NONE;
	row->discount2_until = CDATE_NONE;
	row->discount3_until = CDATE_NONE;
	row->fine_after = CDATE_NONE;
	row->interest_after = CDATE_NONE;

	if (rcsv_parse_id(p, row) < 0)
		return -1;

	if (rcsv_required(p, COL_DOCUMENT, &s, &len) < 0)
		return -1;
	if (taxid_normalize(s, len, row->debtor_document, &why) == TAXID_NONE) {
		char echo[256];

		return rcsv_error(p, COL_DOCUMENT, "expected a CPF or CNPJ, found %s: %s",
				  rcsv_echo(p, s, len, echo, sizeof echo), why ? why : "invalid");
	}

	if (rcsv_required(p, COL_NAME, &s, &len) < 0 ||
	    rcsv_text(p, COL_NAME, s, len, row->debtor_name, sizeof row->debtor_name) < 0)
		return -1;

	if (rcsv_required(p, COL_AMOUNT, &s, &len) < 0)
		return -1;
	if (money_parse_decimal(s, len, &row->amount_cents, &why) < 0)
		return rcsv_expected(p, COL_AMOUNT, "an amount like 1234.56 or 1.234,56", s, len);
	if (row->amount_cents <= 0)
		return rcsv_expected(p, COL_AMOUNT, "an amount greater than zero", s, len);

	if (rcsv_required(p, COL_DUE, &s, &len) < 0 ||
	    rcsv_date(p, COL_DUE, s, len, &row->due_date) < 0)
		return -1;
	if (rcsv_parse_bank(p, row) < 0 || rcsv_parse_nosso(p, row) < 0 ||
	    rcsv_parse_txid(p, row) < 0)
		return -1;

	if (rcsv_cell(p, COL_ISSUE, &s, &len)) {
		if (rcsv_date(p, COL_ISSUE, s, len, &row->issue_date) < 0)
			return -1;
		if (row->issue_date > row->due_date) {
			char i[16], d[16];

			date_format_iso(row->issue_date, i, sizeof i);
			date_format_iso(row->due_date, d, sizeof d);
			return rcsv_error(p, COL_ISSUE, "issue date %s is after the due date %s", i,
					  d);
		}
	}
	if (rcsv_parse_fine_interest(p, row) < 0 || rcsv_parse_rebate(p, row) < 0 ||
	    rcsv_parse_discounts(p, row) < 0 || rcsv_parse_status(p, row) < 0 ||
	    rcsv_parse_email(p, row) < 0 || rcsv_parse_phone(p, row) < 0 ||
	    rcsv_parse_state(p, row) < 0 || rcsv_parse_account(p, row) < 0)
		return -1;
	return 0;
}

const char *receivable_status_name(enum receivable_status s)
{
	switch (s) {
	case RECEIVABLE_CANCELLED:
		return "cancelled";
	case RECEIVABLE_DISPUTED:
		return "disputed";
	case RECEIVABLE_RENEGOTIATED:
		return "renegotiated";
	default:
		return "open";
	}
}

/* A column name for a message: UTF-8, cut at a character boundary to fit
 * struct diag's field. */
static void rcsv_name(struct rcsv *p, const char *s, size_t len, char *out, size_t n)
{
	const char *u;
	size_t ul;

	if (rcsv_to_utf8(p, s, len, &u, &ul) < 0) {
		out[0] = '\0';
		return;
	}
	if (ul > n - 1) {
		ul = n - 1;
		while (ul > 0 && ((unsigned char)u[ul] & 0xC0) == 0x80)
			ul--;
	}
	memcpy(out, u, ul);
	out[ul] = '\0';
}

/* Maps header cells to columns; returns 0 or -1 with p->err set. */
static int rcsv_header(struct rcsv *p, const struct csv_reader *r, diag_sink warn, void *wctx)
{
	size_t k;
	int c, missing = -1;
	char others[256] = "";

	p->ncols = r->nfields;
	for (c = 0; c < COL_COUNT; c++)
		p->colpos[c] = -1;
	for (k = 0; k < r->nfields; k++) {
		const char *s = r->fields[k].s;
		size_t len = r->fields[k].len;
		char name[sizeof p->err->field];

		text_trim(&s, &len);
		if (len == 0) {
			diag_warn(warn, wctx, p->file, p->line, 0, NULL,
				  "column %zu has no name; ignored", k + 1);
			continue;
		}
		for (c = 0; c < COL_COUNT; c++)
			if (text_ieq(s, len, rcsv_columns[c].name))
				break;
		if (c == COL_COUNT) {
			rcsv_name(p, s, len, name, sizeof name);
			diag_warn(warn, wctx, p->file, p->line, 0, name, "unknown column ignored");
			continue;
		}
		if (p->colpos[c] >= 0)
			return rcsv_error(p, c, "duplicate column (columns %ld and %zu)",
					  p->colpos[c] + 1, k + 1);
		p->colpos[c] = (long)k;
	}
	for (c = 0; c < COL_COUNT; c++) {
		if (!rcsv_columns[c].required || p->colpos[c] >= 0)
			continue;
		if (missing < 0) {
			missing = c;
		} else {
			size_t o = strlen(others);

			snprintf(others + o, sizeof others - o, "%s'%s'", o ? ", " : "",
				 rcsv_columns[c].name);
		}
	}
	if (missing >= 0 && others[0])
		return rcsv_error(p, missing, "required column missing (also missing: %s)", others);
	if (missing >= 0)
		return rcsv_error(p, missing, "required column missing");
	return 0;
}

/* A row of blank cells is what spreadsheets write for an empty row. */
static bool rcsv_blank_record(const struct csv_reader *r)
{
	size_t k;

	for (k = 0; k < r->nfields; k++) {
		const char *s = r->fields[k].s;
		size_t len = r->fields[k].len;

		text_trim(&s, &len);
		if (len)
			return false;
	}
	return true;
}

long receivables_csv_parse(const char *filename, const unsigned char *buf, size_t len,
			   receivable_fn on_row, void *ctx, diag_sink warn, void *wctx,
			   struct diag *err)
{
	struct diag local;
	struct rcsv p;
	struct csv_reader r;
	struct receivable_row row;
	const char *why = NULL;
	long rows = 0;
	int rc;

	if (!err)
		err = &local;
	diag_clear(err);
	memset(&p, 0, sizeof p);
	p.file = filename;
	p.err = err;
	p.line = 1;
	/* One decision per file: Excel in pt-BR saves Windows-1252, everything
	 * else UTF-8, and a file is never both. */
	p.utf8 = text_is_utf8(buf, len);
	csv_init(&r, buf, len);

	rc = csv_next(&r, &why);
	p.line = r.line;
	if (rc < 0) {
		rcsv_error(&p, -1, "%s", why);
		goto fail;
	}
	if (rc == 0) {
		p.line = 1;
		rcsv_error(&p, -1, "no header row: the file is empty");
		goto fail;
	}
	if (rcsv_header(&p, &r, warn, wctx) < 0)
		goto fail;

	while ((rc = csv_next(&r, &why)) > 0) {
		p.line = r.line;
		if (rcsv_blank_record(&r))
			continue;
		if (r.nfields != p.ncols) {
			rcsv_error(&p, -1, "row has %zu cells, but the header has %zu columns",
				   r.nfields, p.ncols);
			goto fail;
		}
		p.cells = r.fields;
		if (rcsv_row(&p, &row) < 0)
			goto fail;
		if (on_row && on_row(ctx, &row, err) != 0) {
			if (!err->msg[0])
				rcsv_error(&p, -1, "row rejected");
			goto fail;
		}
		rows++;
	}
	if (rc < 0) {
		p.line = r.line;
		rcsv_error(&p, -1, "%s", why);
		goto fail;
	}
	csv_free(&r);
	free(p.conv);
	free(p.ids.slots);
	free(p.ids.arena);
	return rows;

fail:
	csv_free(&r);
	free(p.conv);
	free(p.ids.slots);
	free(p.ids.arena);
	return -1;
}
