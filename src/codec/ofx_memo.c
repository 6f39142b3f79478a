/* Payer, document and Pix ids out of OFX memo text.
 *
 * Banks write the same facts in different shapes (seen in real exports;
 * README "OFX statements"):
 *   Nubank     Transferência recebida pelo Pix - NAME - •••.123.456-•• - BANK (0341) Agência: 1 Conta: 2
 *              (a company shows its full CNPJ instead of the masked CPF)
 *   BB         Pix - Recebido - 09/03 18:04 00012345678909 NAME TRUNCA
 *   Inter      Pix recebido: "Cp :00000000-NAME"
 *   Itaú       PIX QR CODE RECEBIDO NAME 11/05, PIX RECEBIDO NAM11/05 NAME 123.456.789-09
 *   Bradesco   Transfe Pix Rem: NAME, DEVOLUCAO PIX NAME
 *   others     PIX RECEBIDO - NAME
 * The rules, in order: the name follows "Cp :<8-digit ISPB>-" (Inter),
 * else "Rem:" (Bradesco); else, in text cut by " - ", it is the first
 * piece after the leading pieces made only of keywords (Pix, recebido,
 * transferência ...); else, with no " - ", it is what follows leading
 * keywords that include "Pix". Inside that piece a date "dd/mm" splits a
 * short name from the full one (Itaú), a leading run of 8+ digits is an id
 * or a document (BB), and documents are cut out. Documents are taken only
 * when written in full with their punctuation and valid check digits, or
 * as the masked CPF shape, or as BB's digit run when its check digits
 * pass: never from a bare number elsewhere. Matching ignores case and
 * Portuguese accents. */
#include "config.h"

#include <string.h>

#include "codec/ofx_memo.h"
#include "core/taxid.h"

/* Base letters of U+00C0..U+00FF ('?' = not a plain letter). */
static const char latin1_base[65] = "AAAAAA?CEEEEIIIIDNOOOOO?OUUUUY??AAAAAA?CEEEEIIIIDNOOOOO?OUUUUY?Y";

/* The next code point of s at *i folded to an upper-case ASCII letter (or
 * the ASCII character itself); 0 for anything else. Advances *i. */
static int fold_next(const char *s, size_t len, size_t *i)
{
	unsigned char c = (unsigned char)s[*i];
	if (c < 0x80) {
		(*i)++;
		return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
	}
	if ((c == 0xC3) && *i + 1 < len) {
		unsigned char d = (unsigned char)s[*i + 1];
		*i += 2;
		if (d >= 0x80 && d <= 0xBF && latin1_base[d - 0x80] != '?')
			return latin1_base[d - 0x80];
		return 0;
	}
	/* skip one whole code point */
	(*i)++;
	while (*i < len && ((unsigned char)s[*i] & 0xC0) == 0x80)
		(*i)++;
	return 0;
}

static int is_alnum(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Does kw (upper-case ASCII; a space matches one or more blanks) match s
 * at pos? On success *end is the byte after the match. */
static int match_at(const char *s, size_t len, size_t pos, const char *kw, size_t *end)
{
	size_t i = pos;
	for (const char *k = kw; *k; k++) {
		if (*k == ' ') {
			if (i >= len || !is_blank((unsigned char)s[i]))
				return 0;
			while (i < len && is_blank((unsigned char)s[i]))
				i++;
			continue;
		}
		if (i >= len || fold_next(s, len, &i) != *k)
			return 0;
	}
	*end = i;
	return 1;
}

/* First match of kw in s[from, len) that starts a word. Returns its start,
 * or len when absent. */
static size_t find_kw(const char *s, size_t len, size_t from, const char *kw, size_t *end)
{
	for (size_t pos = from; pos < len; pos++) {
		if (((unsigned char)s[pos] & 0xC0) == 0x80)
			continue;
		if (pos > 0 && is_alnum((unsigned char)s[pos - 1]))
			continue;
		if (match_at(s, len, pos, kw, end))
			return pos;
	}
	return len;
}

static int contains_kw(const char *s, const char *kw)
{
	size_t end, len = strlen(s);
	return find_kw(s, len, 0, kw, &end) < len;
}

/* ---- Pix ids ---- */

static int two(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* E/D + ISPB (8 digits) + yyyyMMddHHmm + 11 characters: the shape of an
 * endToEndId (E) and of a devolução id (D). The date part must be a real
 * minute of this century, so that a 32-character reference that merely
 * starts with E is not taken for one. */
static int pix_id_shape(const char *s, char lead)
{
	if (s[0] != lead)
		return 0;
	for (int i = 1; i <= 20; i++)
		if (!is_digit((unsigned char)s[i]))
			return 0;
	int year = two(s + 9) * 100 + two(s + 11), month = two(s + 13), day = two(s + 15);
	int hour = two(s + 17), minute = two(s + 19);
	return year >= 2020 && year <= 2099 && month >= 1 && month <= 12 && day >= 1 && day <= 31 &&
	       hour <= 23 && minute <= 59;
}

static void find_pix_ids(const char *s, struct ofx_memo *out)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		if (!is_alnum((unsigned char)s[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < len && is_alnum((unsigned char)s[j]))
			j++;
		if (j - i == 32) {
			if (!out->end_to_end_id[0] && pix_id_shape(s + i, 'E')) {
				memcpy(out->end_to_end_id, s + i, 32);
				out->end_to_end_id[32] = '\0';
			} else if (!out->refund_id[0] && pix_id_shape(s + i, 'D')) {
				memcpy(out->refund_id, s + i, 32);
				out->refund_id[32] = '\0';
			}
		}
		i = j;
	}
}

/* ---- documents ---- */

/* U+2022 BULLET (Nubank's mask) or '*'; returns its byte length, 0 if not. */
static size_t mask_char(const char *s, size_t len, size_t i)
{
	if (i < len && s[i] == '*')
		return 1;
	if (i + 2 < len && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
	    (unsigned char)s[i + 2] == 0xA2)
		return 3;
	return 0;
}

/* "•••.123.456-••" at s+i: returns the length matched and writes
 * "***123456**" to doc, else 0. */
static size_t masked_cpf_at(const char *s, size_t len, size_t i, char *doc)
{
	size_t p = i, m;
	for (int k = 0; k < 3; k++) {
		if (!(m = mask_char(s, len, p)))
			return 0;
		p += m;
	}
	static const char shape[] = ".ddd.ddd-";
	char digits[7];
	int nd = 0;
	for (const char *c = shape; *c; c++, p++) {
		if (p >= len)
			return 0;
		if (*c == 'd') {
			if (!is_digit((unsigned char)s[p]))
				return 0;
			digits[nd++] = s[p];
		} else if (s[p] != *c) {
			return 0;
		}
	}
	for (int k = 0; k < 2; k++) {
		if (!(m = mask_char(s, len, p)))
			return 0;
		p += m;
	}
	memcpy(doc, "***", 3);
	memcpy(doc + 3, digits, 6);
	memcpy(doc + 9, "**", 3);
	return p - i;
}

/* A CPF "ddd.ddd.ddd-dd" or a CNPJ "xx.xxx.xxx/xxxx-dd" (x: digit or
 * letter) written in full with valid check digits at s+i. */
static size_t full_doc_at(const char *s, size_t len, size_t i, char *doc)
{
	static const char *const shapes[] = {"ddd.ddd.ddd-dd", "xx.xxx.xxx/xxxx-dd"};
	for (size_t k = 0; k < 2; k++) {
		size_t n = strlen(shapes[k]);
		if (i + n > len)
			continue;
		size_t c = 0;
		for (; c < n; c++) {
			unsigned char ch = (unsigned char)s[i + c];
			char want = shapes[k][c];
			if (want == 'd'   ? !is_digit(ch)
			    : want == 'x' ? !(is_digit(ch) || (ch >= 'A' && ch <= 'Z'))
			                  : ch != want)
				break;
		}
		if (c != n || (i + n < len && is_alnum((unsigned char)s[i + n])))
			continue;
		if (taxid_normalize(s + i, n, doc, NULL) != TAXID_NONE)
			return n;
	}
	return 0;
}

/* A document starting at s+i (either kind); fills out when it is the
 * first one found. Returns its length or 0. */
static size_t doc_at(const char *s, size_t len, size_t i, struct ofx_memo *out)
{
	char doc[15];
	if (i > 0 && is_alnum((unsigned char)s[i - 1]))
		return 0;
	size_t n = masked_cpf_at(s, len, i, doc);
	int partial = n != 0;
	if (!n)
		n = full_doc_at(s, len, i, doc);
	if (n && !out->payer_document[0]) {
		memcpy(out->payer_document, doc, sizeof out->payer_document);
		out->payer_document_partial = partial;
	}
	return n;
}

/* A BB-style digit run (an id, or a document: 11 digits of a CPF, 14 of a
 * CNPJ, or "000" + CPF) taken as a document only when its check digits
 * pass. */
static void digit_run_document(const char *s, size_t n, struct ofx_memo *out)
{
	char doc[15];
	if (out->payer_document[0])
		return;
	if ((n == 11 || n == 14) && taxid_normalize(s, n, doc, NULL) != TAXID_NONE) {
		memcpy(out->payer_document, doc, sizeof doc);
	} else if (n == 14 && memcmp(s, "000", 3) == 0 &&
	           taxid_normalize(s + 3, 11, doc, NULL) == TAXID_CPF) {
		memcpy(out->payer_document, doc, sizeof doc);
	}
}

/* ---- name ---- */

/* Words that describe the movement, never a payer. */
static int keyword_word(const char *w, size_t n)
{
	static const char *const exact[] = {
	    "PIX", "QR", "CODE",    "DINAMICO", "ESTATICO", "PELO", "VIA", "OPEN", "BANKING",   "DE", "DO",
	    "DA",  "IF", "CREDITO", "DEBITO",   "TED",      "DOC",  "CP",  "REM",  "REMETENTE", NULL};
	static const char *const prefix[] = {"RECEB",  "ENVIAD",   "TRANSF", "DEVOL",
	                                     "ESTORN", "REEMBOLS", NULL};
	char f[24];
	size_t fl = 0;
	for (size_t i = 0; i < n && fl < sizeof f - 1;) {
		int c = fold_next(w, n, &i);
		if (c == ':' || c == '.')
			break;
		f[fl++] = (char)(c ? c : '?');
	}
	f[fl] = '\0';
	if (fl == 0)
		return 1;
	for (int k = 0; exact[k]; k++)
		if (strcmp(f, exact[k]) == 0)
			return 1;
	for (int k = 0; prefix[k]; k++)
		if (strncmp(f, prefix[k], strlen(prefix[k])) == 0)
			return 1;
	return 0;
}

/* Every word of s[a, b) is a keyword; *has_pix tells whether "PIX" was one. */
static int keywords_only(const char *s, size_t a, size_t b, int *has_pix)
{
	size_t i = a;
	int words = 0;
	while (i < b) {
		while (i < b && is_blank((unsigned char)s[i]))
			i++;
		size_t w = i;
		while (i < b && !is_blank((unsigned char)s[i]))
			i++;
		if (i == w)
			break;
		if (!keyword_word(s + w, i - w))
			return 0;
		size_t e;
		if (has_pix && match_at(s, b, w, "PIX", &e))
			*has_pix = 1;
		words++;
	}
	return words > 0;
}

/* "dd/mm" (a real day and month) at s+i, not inside a longer number. */
static int day_month_at(const char *s, size_t len, size_t i)
{
	if (i + 5 > len || !is_digit((unsigned char)s[i]) || !is_digit((unsigned char)s[i + 1]) ||
	    s[i + 2] != '/' || !is_digit((unsigned char)s[i + 3]) || !is_digit((unsigned char)s[i + 4]))
		return 0;
	if ((i > 0 && is_digit((unsigned char)s[i - 1])) ||
	    (i + 5 < len && (is_digit((unsigned char)s[i + 5]) || s[i + 5] == '/')))
		return 0;
	int d = two(s + i), m = two(s + i + 3);
	return d >= 1 && d <= 31 && m >= 1 && m <= 12;
}

static void trim_range(const char *s, size_t *a, size_t *b)
{
	while (*a < *b && (is_blank((unsigned char)s[*a]) || s[*a] == '"' || s[*a] == '-' || s[*a] == ':'))
		(*a)++;
	while (*b > *a && (is_blank((unsigned char)s[*b - 1]) || s[*b - 1] == '"' || s[*b - 1] == '-'))
		(*b)--;
}

/* Copies s[a, b) to out with blank runs collapsed, cut at a character
 * boundary to fit; keeps it only when it has two letters or more. */
static void set_name(const char *s, size_t a, size_t b, struct ofx_memo *out)
{
	char *o = out->payer_name;
	size_t n = 0, cap = sizeof out->payer_name - 1;
	int letters = 0, pending_blank = 0;
	for (size_t i = a; i < b;) {
		unsigned char c = (unsigned char)s[i];
		if (is_blank(c)) {
			pending_blank = n > 0;
			i++;
			continue;
		}
		size_t cl = 1;
		while (i + cl < b && ((unsigned char)s[i + cl] & 0xC0) == 0x80)
			cl++;
		if (n + pending_blank + cl > cap)
			break;
		if (pending_blank)
			o[n++] = ' ';
		pending_blank = 0;
		memcpy(o + n, s + i, cl);
		n += cl;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c >= 0xC3)
			letters++;
		i += cl;
	}
	o[n] = '\0';
	if (letters < 2)
		o[0] = '\0';
}

/* The payer's name within s[a, b): cuts documents, BB's date/time and id,
 * Itaú's "short name + dd/mm". */
static void name_from_range(const char *s, size_t a, size_t b, struct ofx_memo *out)
{
	/* A document ends the name (Nubank, Itaú). */
	for (size_t i = a; i < b; i++) {
		size_t n = doc_at(s, b, i, out);
		if (n) {
			b = i;
			break;
		}
	}
	trim_range(s, &a, &b);
	/* dd/mm: BB writes "dd/mm hh:mm id NAME"; Itaú "NAME dd/mm" or
	 * "SHORTdd/mm FULL NAME". The name is what follows it, else what
	 * precedes it. */
	for (size_t i = a; i < b; i++) {
		if (!day_month_at(s, b, i))
			continue;
		size_t after = i + 5;
		if (after + 6 <= b && is_blank((unsigned char)s[after]) &&
		    is_digit((unsigned char)s[after + 1]) && is_digit((unsigned char)s[after + 2]) &&
		    s[after + 3] == ':' && is_digit((unsigned char)s[after + 4]) &&
		    is_digit((unsigned char)s[after + 5]))
			after += 6;
		size_t ta = after, tb = b;
		trim_range(s, &ta, &tb);
		if (ta < tb) {
			a = ta;
		} else {
			b = i;
			trim_range(s, &a, &b);
		}
		break;
	}
	/* BB: an id or a document as a run of digits before the name. */
	size_t d = a;
	while (d < b && is_digit((unsigned char)s[d]))
		d++;
	if (d - a >= 8 && (d == b || is_blank((unsigned char)s[d]))) {
		digit_run_document(s + a, d - a, out);
		a = d;
		trim_range(s, &a, &b);
	}
	set_name(s, a, b, out);
}

/* Start of the next " - " separator in s[from, len), or len. */
static size_t next_dash(const char *s, size_t len, size_t from)
{
	for (size_t i = from; i + 2 < len; i++)
		if (is_blank((unsigned char)s[i]) && s[i + 1] == '-' && is_blank((unsigned char)s[i + 2]))
			return i;
	return len;
}

static int extract_name(const char *s, struct ofx_memo *out)
{
	size_t len = strlen(s), start, end;

	/* Inter: Cp :<ISPB>-NAME */
	start = find_kw(s, len, 0, "CP", &end);
	if (start < len) {
		size_t i = end;
		while (i < len && (s[i] == ' ' || s[i] == ':'))
			i++;
		size_t d = i;
		while (d < len && is_digit((unsigned char)s[d]))
			d++;
		if (d - i == 8 && d < len && s[d] == '-') {
			size_t b = d + 1;
			while (b < len && s[b] != '"')
				b++;
			name_from_range(s, d + 1, b, out);
			return 1;
		}
	}
	/* Bradesco: ... Rem: NAME */
	start = find_kw(s, len, 0, "REM:", &end);
	if (start < len) {
		name_from_range(s, end, len, out);
		return 1;
	}

	/* Pieces cut by " - " */
	size_t cut = next_dash(s, len, 0);
	int has_pix = 0;
	if (cut < len) {
		if (!keywords_only(s, 0, cut, &has_pix))
			return 0;
		if (!has_pix && !contains_kw(s, "TRANSF") && !out->is_pix)
			return 0;
		size_t a = cut + 3;
		for (;;) {
			size_t b = next_dash(s, len, a);
			if (!keywords_only(s, a, b, NULL)) {
				name_from_range(s, a, b, out);
				return 1;
			}
			if (b >= len)
				return 0;
			a = b + 3;
		}
	}

	/* No separators: leading keywords with Pix, then the name. */
	size_t i = 0, last = 0;
	while (i < len) {
		while (i < len && is_blank((unsigned char)s[i]))
			i++;
		size_t w = i;
		while (i < len && !is_blank((unsigned char)s[i]))
			i++;
		if (i == w || !keyword_word(s + w, i - w)) {
			i = w;
			break;
		}
		size_t e;
		if (match_at(s, len, w, "PIX", &e))
			has_pix = 1;
		last = i;
	}
	if (!has_pix || last == 0)
		return 0;
	name_from_range(s, last, len, out);
	return 1;
}

void ofx_memo_read(const char *memo, const char *name, struct ofx_memo *out)
{
	memset(out, 0, sizeof *out);
	if (!memo)
		memo = "";
	if (!name)
		name = "";
	out->is_pix = contains_kw(memo, "PIX") || contains_kw(name, "PIX");
	out->is_reversal = contains_kw(memo, "DEVOL") || contains_kw(memo, "ESTORN") ||
	                   contains_kw(memo, "REEMBOLS") || contains_kw(name, "DEVOL") ||
	                   contains_kw(name, "ESTORN") || contains_kw(name, "REEMBOLS");
	find_pix_ids(memo, out);
	find_pix_ids(name, out);

	int shaped = extract_name(memo, out);
	if (!out->payer_name[0] && name[0]) {
		/* NAME holds the payer when MEMO had a Pix shape without one
		 * (Inter writes both), or it has the shape itself. */
		struct ofx_memo other;
		memset(&other, 0, sizeof other);
		other.is_pix = out->is_pix;
		if (extract_name(name, &other) && other.payer_name[0])
			memcpy(out->payer_name, other.payer_name, sizeof out->payer_name);
		else if (shaped)
			set_name(name, 0, strlen(name), out);
		if (!out->payer_document[0] && other.payer_document[0]) {
			memcpy(out->payer_document, other.payer_document, sizeof out->payer_document);
			out->payer_document_partial = other.payer_document_partial;
		}
	}
	/* A document written anywhere else in the text. */
	for (const char *t = memo; !out->payer_document[0] && t; t = t == memo ? name : NULL) {
		size_t len = strlen(t);
		for (size_t i = 0; i < len && !out->payer_document[0]; i++)
			doc_at(t, len, i, out);
	}
}

int ofx_memo_is_balance(const char *memo)
{
	size_t i = 0, len = strlen(memo), end;
	while (i < len && is_blank((unsigned char)memo[i]))
		i++;
	if (match_at(memo, len, i, "S A L D O", &end))
		return 1;
	if (!match_at(memo, len, i, "SALDO", &end))
		return 0;
	return end == len || !is_alnum((unsigned char)memo[end]);
}
