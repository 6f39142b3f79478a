/* API Pix JSON reader (see pix_api.h for what becomes an event).
 *
 * jansson parses the whole document (duplicate keys refused: two "valor"
 * in one Pix would leave us guessing), then the tree is walked entry by
 * entry. jansson keeps no positions, so json_pos walks the same text in
 * step with the tree to find where each entry starts and ends (the lines
 * of the events) and, only when something is wrong, where the field is.
 *
 * Policy, where the spec leaves room:
 *   - amounts must be JSON strings "\d{1,10}.\d{2}" (the spec's type and
 *     pattern); a JSON number is refused with a message saying so, because
 *     its text would reach us only through a double;
 *   - endToEndId: length, characters and the leading 'E' are errors (they
 *     make the identity); a date part that is not a real yyyyMMddHHmm is a
 *     warning (the id still names one Pix: reference/pix.md says not to
 *     read meaning into it);
 *   - horario must carry its offset: a local time without one is refused;
 *   - leniency the spec's own examples need: unknown members are ignored
 *     (the file's bytes are kept by the ledger), "devolucoes" given as one
 *     object is read as a list of one, with a warning;
 *   - the same endToEndId twice in a file with the same valor, horario and
 *     txid is the same Pix (at-least-once webhooks): the ledger keeps one.
 *     With different content it is a conflict and the file is refused. */
#include "config.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/brcode.h"
#include "codec/json_pos.h"
#include "codec/pix_api.h"
#include "core/money.h"
#include "core/taxid.h"

const struct statement_reader pix_api_reader = {
    .family = "pix-api",
    .sniff = pix_api_sniff,
    .parse = pix_api_parse,
};

#define TEXT_MAX_CHARS 140 /* infoPagador, descricao, motivo */
#define KEY_MAX_CHARS  77  /* chave */
#define SNIFF_WINDOW   65536
#define MS_PER_DAY     INT64_C(86400000)
/* America/Sao_Paulo has been UTC-3 all year since 2019. */
#define SAO_PAULO_OFFSET_MS (INT64_C(-3) * 3600 * 1000)
/* Pix went live (restricted phase) on 3 November 2020: earlier horarios are
 * placeholders or test data. */
#define PIX_FIRST_DAY ((cdate)18569)

/* ---- field rules ---- */

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_alnum(int c)
{
	return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int all_alnum(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!is_alnum((unsigned char)s[i]))
			return 0;
	return 1;
}

static int digits_value(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int pix_api_amount(const char *s, size_t len, int64_t *cents)
{
	if (len < 4 || len > 13 || s[len - 3] != '.')
		return -1;
	int64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (i == len - 3)
			continue;
		if (!is_digit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*cents = v;
	return 0;
}

int pix_api_instant(const char *s, size_t len, int64_t *ms, const char **why)
{
	static const char shape[] = "expected an RFC 3339 date-time like 2026-11-20T14:03:07.512-03:00";
	*why = shape;
	/* YYYY-MM-DDTHH:MM:SS: 19 characters before the fraction and offset */
	if (len < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' ||
	    s[16] != ':')
		return -1;
	int y = digits_value(s, 4), mo = digits_value(s + 5, 2), d = digits_value(s + 8, 2);
	int h = digits_value(s + 11, 2), mi = digits_value(s + 14, 2), se = digits_value(s + 17, 2);
	if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || se < 0)
		return -1;
	size_t i = 19;
	int frac = 0;
	if (i < len && s[i] == '.') {
		size_t start = ++i;
		int scale = 100;
		while (i < len && is_digit((unsigned char)s[i])) {
			frac += (s[i] - '0') * scale;
			scale /= 10;
			i++;
		}
		if (i == start)
			return -1;
	}
	int64_t offset_s = 0;
	if (i == len) {
		*why = "has no time zone offset (Z or -03:00): the instant is ambiguous";
		return -1;
	}
	if (s[i] == 'Z' || s[i] == 'z') {
		i++;
	} else if (s[i] == '+' || s[i] == '-') {
		if (len - i != 6 || s[i + 3] != ':')
			return -1;
		int oh = digits_value(s + i + 1, 2), om = digits_value(s + i + 4, 2);
		if (oh < 0 || om < 0 || oh > 23 || om > 59) {
			*why = "the time zone offset is not a real one (hours 00-23, minutes 00-59)";
			return -1;
		}
		offset_s = (int64_t)(oh * 3600 + om * 60) * (s[i] == '-' ? -1 : 1);
		i += 6;
	}
	if (i != len)
		return -1;
	cdate day = date_from_ymd(y, mo, d);
	if (day == CDATE_NONE || h > 23 || mi > 59 || se > 60) {
		*why = "not a real date and time";
		return -1;
	}
	if (se == 60) /* a leap second: the same civil day either way */
		se = 59;
	int64_t secs = (int64_t)day * 86400 + h * 3600 + mi * 60 + se - offset_s;
	*ms = secs * 1000 + frac;
	return 0;
}

cdate pix_api_local_date(int64_t ms)
{
	int64_t local = ms + SAO_PAULO_OFFSET_MS;
	int64_t day = local / MS_PER_DAY;
	if (local % MS_PER_DAY < 0)
		day--;
	return (cdate)day;
}

int pix_api_check_e2e(const char *s, size_t len, const char **why)
{
	if (len != 32) {
		*why = "an endToEndId has exactly 32 characters";
		return -1;
	}
	if (!all_alnum(s, len)) {
		*why = "an endToEndId has only letters and digits";
		return -1;
	}
	if (s[0] != 'E') {
		*why = "an endToEndId starts with 'E' (a devolução's rtrId starts with 'D')";
		return -1;
	}
	/* E + ISPB (8) + yyyyMMddHHmm (12) + 11 */
	int y = digits_value(s + 9, 4), mo = digits_value(s + 13, 2), d = digits_value(s + 15, 2);
	int h = digits_value(s + 17, 2), mi = digits_value(s + 19, 2);
	if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || date_from_ymd(y, mo, d) == CDATE_NONE || h > 23 ||
	    mi > 59) {
		*why = "its characters 10-21 are not a real yyyyMMddHHmm";
		return 1;
	}
	*why = "";
	return 0;
}

/* ---- sniffing ---- */

int pix_api_sniff(const unsigned char *buf, size_t len)
{
	if (len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF) {
		buf += 3;
		len -= 3;
	}
	if (len > SNIFF_WINDOW)
		len = SNIFF_WINDOW;
	struct json_pos_object it;
	if (json_pos_object_begin(&it, buf, len, 0) != 0)
		return 0;
	int has_pix = 0, has_charge = 0;
	size_t key, key_len;
	while (json_pos_object_next(&it, &key, &key_len) != JSON_POS_NONE) {
		if (json_pos_key_is(buf, key, key_len, "endToEndId"))
			return 1;
		if (json_pos_key_is(buf, key, key_len, "pix"))
			has_pix = 1;
		else if (json_pos_key_is(buf, key, key_len, "calendario"))
			has_charge = 1;
	}
	return has_pix && !has_charge;
}

/* ---- the reader ---- */

/* One endToEndId already read in this file, to tell a repeat (fine) from a
 * conflict (refused). Strings point into the jansson tree. */
struct seen {
	const char *e2e;
	const char *txid;
	int64_t cents, ms;
	long line;
};

struct reader {
	const char *file;
	const unsigned char *b; /* the text after a BOM */
	size_t len;
	struct json_pos_cursor cur;
	diag_sink warn;
	void *wctx;
	struct diag *err;
	cnab_event_fn on_event;
	void *ctx;

	char prefix[32]; /* "pix[12]" while reading that entry; "" for a lone Pix */
	int have_window; /* a page: parametros.inicio / fim */
	int64_t window_from, window_to;
	char chave[KEY_MAX_CHARS + 4];
	int chave_state; /* 0: no entry yet, 1: every entry so far names chave, 2: not all the same */
	cdate latest;

	struct seen *seen;
	size_t seen_cap; /* power of two */

	struct bank_event ev;
};

static void field_path(const struct reader *r, const char *path, char *out, size_t n)
{
	if (r->prefix[0] && path[0])
		snprintf(out, n, "%s.%s", r->prefix, path);
	else
		snprintf(out, n, "%s", r->prefix[0] ? r->prefix : path);
}

static int fail(struct reader *r, size_t off, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(struct reader *r, size_t off, const char *path, const char *fmt, ...)
{
	char msg[sizeof r->err->msg], field[sizeof r->err->field];
	long line;
	int col;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	json_pos_locate(&r->cur, off, &line, &col);
	field_path(r, path, field, sizeof field);
	return diag_set(r->err, DIAG_ERROR, r->file, line, col, field[0] ? field : NULL, "%s", msg);
}

static void warn(struct reader *r, size_t off, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void warn(struct reader *r, size_t off, const char *path, const char *fmt, ...)
{
	char msg[sizeof r->err->msg], field[sizeof r->err->field];
	long line;
	int col;
	va_list ap;
	if (r->warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	json_pos_locate(&r->cur, off, &line, &col);
	field_path(r, path, field, sizeof field);
	diag_warn(r->warn, r->wctx, r->file, line, col, field[0] ? field : NULL, "%s", msg);
}

/* The offset of member key of the object at obj, or obj itself when the
 * member is absent (a missing field is reported at its object). */
static size_t at(const struct reader *r, size_t obj, const char *key)
{
	size_t v = json_pos_member(r->b, r->len, obj, key);
	return v == JSON_POS_NONE ? obj : v;
}

static size_t utf8_chars(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

/* Copies at most max_chars characters and n - 1 bytes of UTF-8 text,
 * never splitting a character; control characters become spaces (a line
 * break in a payer's name would break the text report's lines). */
static void copy_text(char *dst, size_t n, const char *src, size_t len, size_t max_chars)
{
	size_t i = 0, chars = 0;
	while (i < len && chars < max_chars) {
		size_t k = 1;
		unsigned char c = (unsigned char)src[i];
		while (i + k < len && ((unsigned char)src[i + k] & 0xC0) == 0x80)
			k++;
		if (i + k > n - 1)
			break;
		if (k == 1 && (c < 0x20 || c == 0x7F))
			dst[i] = ' ';
		else
			memcpy(dst + i, src + i, k);
		i += k;
		chars++;
	}
	dst[i] = '\0';
}

/* A short printable rendering of a JSON value for "found ..." messages. */
static const char *found(const struct reader *r, const json_t *v, size_t off, char *buf, size_t n)
{
	char text[48];
	if (v == NULL)
		return "nothing";
	switch (json_typeof(v)) {
	case JSON_STRING: {
		const char *s = json_string_value(v);
		size_t len = json_string_length(v);
		copy_text(text, sizeof text - 4, s, len, 40);
		size_t used = strlen(text);
		/* quotes inside would make the message ambiguous */
		for (size_t i = 0; i < used; i++)
			if (text[i] == '"')
				text[i] = '\'';
		snprintf(buf, n, "\"%s%s\"", text, used < len ? "..." : "");
		return buf;
	}
	case JSON_INTEGER:
	case JSON_REAL: {
		size_t end = json_pos_skip_value(r->b, r->len, off);
		size_t k = end > off ? end - off : 0;
		if (k > 40)
			k = 40;
		snprintf(buf, n, "the number %.*s", (int)k, (const char *)r->b + off);
		return buf;
	}
	case JSON_TRUE:
		return "true";
	case JSON_FALSE:
		return "false";
	case JSON_NULL:
		return "null";
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "a list";
	}
	return "something else";
}

/* Reads member key of obj (at offset obj_off) as a string. Absent or null:
 * *s = NULL and, when required, an error. Another type: an error. */
static int get_string(struct reader *r, const json_t *obj, size_t obj_off, const char *key, const char *path,
                      int required, const char **s, size_t *len)
{
	char tmp[80];
	const json_t *v = json_object_get(obj, key);
	*s = NULL;
	*len = 0;
	if (v == NULL || json_is_null(v)) {
		if (required)
			return fail(r, obj_off, path, "missing: required by the API Pix");
		return 0;
	}
	if (!json_is_string(v)) {
		size_t off = at(r, obj_off, key);
		return fail(r, off, path, "expected text, found %s", found(r, v, off, tmp, sizeof tmp));
	}
	*s = json_string_value(v);
	*len = json_string_length(v);
	return 0;
}

/* Reads an amount member. *present says whether it was there. */
static int get_amount(struct reader *r, const json_t *obj, size_t obj_off, const char *key, const char *path,
                      int required, int64_t *cents, int *present)
{
	char tmp[80];
	const json_t *v = json_object_get(obj, key);
	*cents = 0;
	*present = 0;
	if (v == NULL || json_is_null(v)) {
		if (required)
			return fail(r, obj_off, path, "missing: required by the API Pix");
		return 0;
	}
	size_t off = at(r, obj_off, key);
	if (json_is_number(v))
		return fail(r, off, path,
		            "expected an amount as JSON text like \"123.45\" (the API Pix writes amounts as "
		            "strings), found %s",
		            found(r, v, off, tmp, sizeof tmp));
	if (!json_is_string(v) || pix_api_amount(json_string_value(v), json_string_length(v), cents) != 0)
		return fail(r, off, path, "expected an amount like 123.45, found %s",
		            found(r, v, off, tmp, sizeof tmp));
	*present = 1;
	return 0;
}

static int get_instant(struct reader *r, const json_t *obj, size_t obj_off, const char *key, const char *path,
                       int required, int64_t *ms, int *present)
{
	char tmp[80];
	const char *s, *why;
	size_t len;
	*present = 0;
	if (get_string(r, obj, obj_off, key, path, required, &s, &len))
		return -1;
	if (s == NULL)
		return 0;
	if (pix_api_instant(s, len, ms, &why) != 0) {
		size_t off = at(r, obj_off, key);
		return fail(r, off, path, "%s, found %s", why,
		            found(r, json_object_get(obj, key), off, tmp, sizeof tmp));
	}
	*present = 1;
	return 0;
}

static int deliver(struct reader *r)
{
	if (r->ev.occurrence_date != CDATE_NONE &&
	    (r->latest == CDATE_NONE || r->ev.occurrence_date > r->latest))
		r->latest = r->ev.occurrence_date;
	if (r->on_event == NULL)
		return 0;
	r->err->msg[0] = '\0';
	if (r->on_event(r->ctx, &r->ev, r->err) != 0) {
		if (r->err->msg[0] == '\0')
			diag_set(r->err, DIAG_ERROR, r->file, r->ev.line, 0, NULL,
			         "import stopped while storing this entry");
		return -1;
	}
	return 0;
}

/* ---- pieces of a Pix ---- */

/* componentesValor: what the amount is made of. */
static int read_components(struct reader *r, const json_t *pix, size_t pix_off, int64_t valor)
{
	static const char *const names[] = {"original", "saque",      "troco",   "juros",
	                                    "multa",    "abatimento", "desconto"};
	enum { ORIGINAL, SAQUE, TROCO, JUROS, MULTA, ABATIMENTO, DESCONTO, NPARTS };
	int64_t part[NPARTS] = {0};
	int present[NPARTS] = {0};
	char tmp[80], path[64];
	const json_t *cv = json_object_get(pix, "componentesValor");
	size_t cv_off = at(r, pix_off, "componentesValor");

	r->ev.face_cents = valor;
	if (cv == NULL || json_is_null(cv))
		return 0;
	if (!json_is_object(cv))
		return fail(r, cv_off, "componentesValor", "expected an object, found %s",
		            found(r, cv, cv_off, tmp, sizeof tmp));
	for (int i = 0; i < NPARTS; i++) {
		const json_t *c = json_object_get(cv, names[i]);
		if (c == NULL || json_is_null(c))
			continue;
		size_t c_off = at(r, cv_off, names[i]);
		snprintf(path, sizeof path, "componentesValor.%s", names[i]);
		if (!json_is_object(c))
			return fail(r, c_off, path, "expected an object like {\"valor\": \"1.00\"}, found %s",
			            found(r, c, c_off, tmp, sizeof tmp));
		snprintf(path, sizeof path, "componentesValor.%s.valor", names[i]);
		if (get_amount(r, c, c_off, "valor", path, 1, &part[i], &present[i]))
			return -1;
		if (i == SAQUE || i == TROCO) {
			const char *m;
			size_t mlen;
			snprintf(path, sizeof path, "componentesValor.%s.modalidadeAgente", names[i]);
			if (get_string(r, c, c_off, "modalidadeAgente", path, 0, &m, &mlen))
				return -1;
			if (m && strcmp(m, "AGTEC") != 0 && strcmp(m, "AGTOT") != 0 &&
			    !(i == SAQUE && strcmp(m, "AGPSS") == 0))
				warn(r, at(r, c_off, "modalidadeAgente"), path,
				     "'%s' is not a modalidadeAgente of the API Pix for %s (AGTEC, AGTOT%s)",
				     m, names[i], i == SAQUE ? ", AGPSS" : "");
		}
	}
	if (present[SAQUE] && present[TROCO])
		warn(r, cv_off, "componentesValor",
		     "both saque and troco: the API Pix allows only one of them");
	int64_t others =
	    part[SAQUE] + part[TROCO] + part[JUROS] + part[MULTA] - part[ABATIMENTO] - part[DESCONTO];
	char a[32], b[32];
	if (present[ORIGINAL]) {
		if (part[ORIGINAL] + others != valor) {
			money_format(part[ORIGINAL] + others, a, sizeof a);
			money_format(valor, b, sizeof b);
			warn(r, cv_off, "componentesValor",
			     "original + saque + troco + multa + juros - abatimento - desconto = %s, but "
			     "valor is %s "
			     "(valor is what was credited)",
			     a, b);
		}
		r->ev.face_cents = part[ORIGINAL];
	} else if (valor - others < 0) {
		money_format(valor, b, sizeof b);
		warn(r, cv_off, "componentesValor",
		     "the components other than original add up to more than valor %s", b);
		r->ev.face_cents = 0;
	} else {
		r->ev.face_cents = valor - others;
	}
	r->ev.charges_cents = part[MULTA] + part[JUROS];
	r->ev.discount_cents = part[DESCONTO];
	r->ev.rebate_cents = part[ABATIMENTO];
	return 0;
}

/* A CPF or CNPJ as a PSP writes it in its pagador extension: checked, or
 * kept as partial when masked with '*'. */
static int read_document(struct reader *r, const char *s, size_t len, enum taxid_kind kind, size_t off,
                         const char *path)
{
	char tmp[80];
	const char *why = "";
	if (memchr(s, '*', len)) {
		char out[16];
		size_t n = 0;
		for (size_t i = 0; i < len; i++) {
			char c = s[i];
			if (c == '.' || c == '-' || c == '/' || c == ' ')
				continue;
			if (!(is_digit((unsigned char)c) || c == '*' ||
			      (kind == TAXID_CNPJ && c >= 'A' && c <= 'Z')) ||
			    n >= (size_t)kind) {
				n = 0;
				break;
			}
			out[n++] = c;
		}
		if (n != (size_t)kind) {
			copy_text(tmp, sizeof tmp, s, len, 40);
			return fail(r, off, path, "expected a %s (digits, or '*' where masked), found \"%s\"",
			            kind == TAXID_CPF ? "CPF of 11 digits" : "CNPJ of 14 characters", tmp);
		}
		out[n] = '\0';
		memcpy(r->ev.payer_document, out, n + 1);
		r->ev.payer_document_partial = 1;
		return 0;
	}
	enum taxid_kind got = taxid_normalize(s, len, r->ev.payer_document, &why);
	if (got != kind) {
		const char *want = kind == TAXID_CPF ? "CPF" : "CNPJ";
		r->ev.payer_document[0] = '\0';
		copy_text(tmp, sizeof tmp, s, len, 40);
		if (got == TAXID_NONE)
			return fail(r, off, path, "\"%s\" is not a valid %s: %s", tmp, want, why);
		return fail(r, off, path, "\"%s\" is a %s, not a %s", tmp, got == TAXID_CPF ? "CPF" : "CNPJ",
		            want);
	}
	return 0;
}

/* pagador {cpf | cnpj, nome}: not in the standard, added by PSPs. */
static int read_payer(struct reader *r, const json_t *pix, size_t pix_off)
{
	char tmp[80];
	const json_t *p = json_object_get(pix, "pagador");
	if (p == NULL || json_is_null(p))
		return 0;
	size_t p_off = at(r, pix_off, "pagador");
	if (!json_is_object(p))
		return fail(r, p_off, "pagador",
		            "expected an object like {\"cpf\": ..., \"nome\": ...}, found %s",
		            found(r, p, p_off, tmp, sizeof tmp));
	const char *cpf, *cnpj, *nome;
	size_t cpf_len, cnpj_len, nome_len;
	if (get_string(r, p, p_off, "cpf", "pagador.cpf", 0, &cpf, &cpf_len) ||
	    get_string(r, p, p_off, "cnpj", "pagador.cnpj", 0, &cnpj, &cnpj_len) ||
	    get_string(r, p, p_off, "nome", "pagador.nome", 0, &nome, &nome_len))
		return -1;
	if (cpf && cnpj)
		return fail(r, p_off, "pagador", "both cpf and cnpj: a payer is a person or a company");
	if (cpf && read_document(r, cpf, cpf_len, TAXID_CPF, at(r, p_off, "cpf"), "pagador.cpf"))
		return -1;
	if (cnpj && read_document(r, cnpj, cnpj_len, TAXID_CNPJ, at(r, p_off, "cnpj"), "pagador.cnpj"))
		return -1;
	if (nome)
		copy_text(r->ev.payer_name, sizeof r->ev.payer_name, nome, nome_len, (size_t)-1);
	return 0;
}

/* Optional free text of at most 140 characters: longer is a warning and
 * is cut there (the file keeps the whole). */
static int read_text(struct reader *r, const json_t *obj, size_t obj_off, const char *key, const char *path,
                     char *dst, size_t n)
{
	const char *s;
	size_t len;
	dst[0] = '\0';
	if (get_string(r, obj, obj_off, key, path, 0, &s, &len))
		return -1;
	if (s == NULL)
		return 0;
	size_t chars = utf8_chars(s, len);
	if (chars > TEXT_MAX_CHARS)
		warn(r, at(r, obj_off, key), path,
		     "%zu characters, more than the API Pix's 140: kept the first 140", chars);
	copy_text(dst, n, s, len, TEXT_MAX_CHARS);
	return 0;
}

static int read_chave(struct reader *r, const json_t *pix, size_t pix_off)
{
	const char *s, *why = "";
	size_t len;
	if (get_string(r, pix, pix_off, "chave", "chave", 0, &s, &len))
		return -1;
	if (s == NULL) {
		r->chave_state = 2;
		return 0;
	}
	size_t off = at(r, pix_off, "chave");
	if (len == 0 || utf8_chars(s, len) > KEY_MAX_CHARS)
		return fail(r, off, "chave", "a Pix key has 1 to 77 characters, found %zu",
		            utf8_chars(s, len));
	if (brcode_key_classify(s, len, &why) == BRCODE_KEY_UNKNOWN)
		warn(r, off, "chave", "'%s' is not a Pix key: %s", s,
		     why && why[0] ? why : "no DICT key type fits");
	copy_text(r->ev.agreement, sizeof r->ev.agreement, s, len, KEY_MAX_CHARS);
	if (r->chave_state == 0) {
		snprintf(r->chave, sizeof r->chave, "%s", r->ev.agreement);
		r->chave_state = 1;
	} else if (r->chave_state == 1 && strcmp(r->chave, r->ev.agreement) != 0) {
		r->chave_state = 2;
	}
	return 0;
}

/* ---- devoluções ---- */

enum dev_status { DEV_EM_PROCESSAMENTO, DEV_DEVOLVIDO, DEV_NAO_REALIZADO };

/* Reads devolução d (path "devolucoes[i]" or "devolucoes"); a DEVOLVIDO
 * one becomes a REVERSAL event. pix_ev is the Pix's own event. Adds what
 * it takes back from the Pix to *claimed (all but NAO_REALIZADO). */
static int read_devolucao(struct reader *r, const struct bank_event *pix_ev, const json_t *d, size_t d_off,
                          const char *dpath, int64_t *claimed)
{
	static const char *const naturezas[] = {"ORIGINAL", "RETIRADA", "MED_OPERACIONAL", "MED_FRAUDE",
	                                        "MED_PIX_AUTOMATICO"};
	char tmp[80], path[64];
	const char *id, *rtr, *status, *natureza;
	size_t id_len, rtr_len, status_len, natureza_len;
	int64_t cents, solicitacao = 0, liquidacao = 0;
	int present, have_sol, have_liq;

	if (!json_is_object(d))
		return fail(r, d_off, dpath, "expected a devolução object, found %s",
		            found(r, d, d_off, tmp, sizeof tmp));
#define P(name) (snprintf(path, sizeof path, "%s.%s", dpath, name), path)
	if (get_string(r, d, d_off, "id", P("id"), 1, &id, &id_len))
		return -1;
	if (id_len < 1 || id_len > 35 || !all_alnum(id, id_len))
		return fail(r, at(r, d_off, "id"), P("id"), "expected 1 to 35 letters or digits, found %s",
		            found(r, json_object_get(d, "id"), at(r, d_off, "id"), tmp, sizeof tmp));
	if (get_string(r, d, d_off, "rtrId", P("rtrId"), 0, &rtr, &rtr_len))
		return -1;
	if (rtr && (rtr_len != 32 || !all_alnum(rtr, rtr_len) || rtr[0] != 'D'))
		return fail(r, at(r, d_off, "rtrId"), P("rtrId"),
		            "expected a return id of 32 letters and digits starting with 'D', found %s (%zu "
		            "characters)",
		            found(r, json_object_get(d, "rtrId"), at(r, d_off, "rtrId"), tmp, sizeof tmp),
		            rtr_len);
	if (get_amount(r, d, d_off, "valor", P("valor"), 1, &cents, &present))
		return -1;
	if (cents == 0)
		return fail(r, at(r, d_off, "valor"), P("valor"), "a devolução of 0.00 returns nothing");
	if (get_string(r, d, d_off, "status", P("status"), 1, &status, &status_len))
		return -1;
	enum dev_status st;
	if (strcmp(status, "DEVOLVIDO") == 0)
		st = DEV_DEVOLVIDO;
	else if (strcmp(status, "EM_PROCESSAMENTO") == 0)
		st = DEV_EM_PROCESSAMENTO;
	else if (strcmp(status, "NAO_REALIZADO") == 0)
		st = DEV_NAO_REALIZADO;
	else
		return fail(r, at(r, d_off, "status"), P("status"),
		            "expected EM_PROCESSAMENTO, DEVOLVIDO or NAO_REALIZADO, found %s",
		            found(r, json_object_get(d, "status"), at(r, d_off, "status"), tmp, sizeof tmp));
	if (get_string(r, d, d_off, "natureza", P("natureza"), 0, &natureza, &natureza_len))
		return -1;
	if (natureza) {
		size_t k = 0;
		while (k < sizeof naturezas / sizeof *naturezas && strcmp(naturezas[k], natureza) != 0)
			k++;
		if (k == sizeof naturezas / sizeof *naturezas)
			warn(r, at(r, d_off, "natureza"), P("natureza"),
			     "'%s' is not a natureza of the API Pix (ORIGINAL, RETIRADA, MED_OPERACIONAL, "
			     "MED_FRAUDE, "
			     "MED_PIX_AUTOMATICO)",
			     natureza);
	}
	const json_t *h = json_object_get(d, "horario");
	size_t h_off = at(r, d_off, "horario");
	if (h == NULL || json_is_null(h))
		return fail(r, d_off, P("horario"), "missing: required by the API Pix");
	if (!json_is_object(h))
		return fail(r, h_off, P("horario"),
		            "expected an object {\"solicitacao\": ..., \"liquidacao\": ...}, found %s",
		            found(r, h, h_off, tmp, sizeof tmp));
	if (get_instant(r, h, h_off, "solicitacao", P("horario.solicitacao"), 0, &solicitacao, &have_sol) ||
	    get_instant(r, h, h_off, "liquidacao", P("horario.liquidacao"), 0, &liquidacao, &have_liq))
		return -1;
	char motivo[TEXT_MAX_CHARS * 4 + 1];
	if (read_text(r, d, d_off, "motivo", P("motivo"), motivo, sizeof motivo))
		return -1;

	if (st != DEV_NAO_REALIZADO)
		*claimed += cents;
	char amount[32];
	money_format(cents, amount, sizeof amount);
	if (st == DEV_EM_PROCESSAMENTO) {
		warn(r, d_off, dpath,
		     "devolução '%s' of %s is EM_PROCESSAMENTO (requested, not settled): no money moved yet, "
		     "not "
		     "recorded; the PSP notifies again when it settles",
		     id, amount);
		return 0;
	}
	if (st == DEV_NAO_REALIZADO) {
		warn(r, d_off, dpath,
		     "devolução '%s' of %s is NAO_REALIZADO (not made%s%s): no money moved, not recorded", id,
		     amount, motivo[0] ? ": " : "", motivo);
		return 0;
	}

	/* DEVOLVIDO: money went back to the payer. */
	if (rtr == NULL)
		return fail(r, d_off, P("rtrId"),
		            "missing in a DEVOLVIDO devolução: the rtrId names the return (the devolução's "
		            "identity)");
	if (!have_liq && !have_sol)
		return fail(r, h_off, P("horario"),
		            "a DEVOLVIDO devolução without horario.liquidacao or solicitacao");
	if (!have_liq) {
		warn(r, h_off, P("horario.liquidacao"),
		     "missing in a DEVOLVIDO devolução: dated by horario.solicitacao instead");
		liquidacao = solicitacao;
	}
	struct bank_event *ev = &r->ev;
	*ev = *pix_ev;
	ev->kind = EVENT_REVERSAL;
	ev->face_cents = cents;
	ev->paid_cents = cents;
	ev->net_cents = cents;
	ev->charges_cents = ev->discount_cents = ev->rebate_cents = 0;
	ev->occurrence_date = ev->credit_date = pix_api_local_date(liquidacao);
	memcpy(ev->refund_id, rtr, rtr_len + 1);
	memcpy(ev->statement_ref, id, id_len + 1);
	snprintf(ev->occurrence_text, sizeof ev->occurrence_text, "%s", natureza ? natureza : "ORIGINAL");
	if (read_text(r, d, d_off, "descricao", P("descricao"), ev->free_text, sizeof ev->free_text))
		return -1;
	snprintf(ev->identity, sizeof ev->identity, "pixdev|%s|%s", pix_ev->end_to_end_id, rtr);
	long line;
	int col;
	json_pos_locate(&r->cur, d_off, &line, &col);
	ev->line = line;
	json_pos_locate(&r->cur, json_pos_skip_value(r->b, r->len, d_off) - 1, &line, &col);
	ev->line_end = line;
#undef P
	return deliver(r);
}

static int read_devolucoes(struct reader *r, const json_t *pix, size_t pix_off,
                           const struct bank_event *pix_ev)
{
	char tmp[80], path[40];
	const json_t *list = json_object_get(pix, "devolucoes");
	size_t off = at(r, pix_off, "devolucoes");
	int64_t claimed = 0;
	if (list == NULL || json_is_null(list))
		return 0;
	if (json_is_object(list)) {
		/* As in the API Pix's own webhook example (pixWebhook1). */
		warn(r, off, "devolucoes", "one object where the API Pix says a list: read as a list of one");
		if (read_devolucao(r, pix_ev, list, off, "devolucoes", &claimed))
			return -1;
	} else if (json_is_array(list)) {
		struct json_pos_array it;
		json_pos_array_begin(&it, r->b, r->len, off);
		for (size_t i = 0; i < json_array_size(list); i++) {
			size_t d_off = json_pos_array_next(&it);
			if (d_off == JSON_POS_NONE)
				d_off = off;
			snprintf(path, sizeof path, "devolucoes[%zu]", i);
			if (read_devolucao(r, pix_ev, json_array_get(list, i), d_off, path, &claimed))
				return -1;
		}
	} else {
		return fail(r, off, "devolucoes", "expected a list of devoluções, found %s",
		            found(r, list, off, tmp, sizeof tmp));
	}
	if (claimed > pix_ev->paid_cents) {
		char a[32], b[32];
		money_format(claimed, a, sizeof a);
		money_format(pix_ev->paid_cents, b, sizeof b);
		return fail(r, off, "devolucoes",
		            "devoluções (settled or in progress) add up to %s, more than the Pix's valor %s",
		            a, b);
	}
	return 0;
}

/* ---- one Pix ---- */

static uint64_t hash_text(const char *s)
{
	uint64_t h = UINT64_C(14695981039346656037);
	while (*s)
		h = (h ^ (unsigned char)*s++) * UINT64_C(1099511628211);
	return h;
}

/* Remembers this Pix; refuses a repeat whose content differs. */
static int remember(struct reader *r, const char *e2e, const char *txid, int64_t instant, size_t pix_off)
{
	const struct bank_event *ev = &r->ev;
	if (r->seen == NULL)
		return 0;
	size_t mask = r->seen_cap - 1, i = (size_t)hash_text(e2e) & mask;
	while (r->seen[i].e2e && strcmp(r->seen[i].e2e, e2e) != 0)
		i = (i + 1) & mask;
	struct seen *s = &r->seen[i];
	if (s->e2e == NULL) {
		*s = (struct seen){
		    .e2e = e2e, .txid = txid, .cents = ev->paid_cents, .ms = instant, .line = ev->line};
		return 0;
	}
	int same_txid = (s->txid == NULL) == (txid == NULL) && (txid == NULL || strcmp(s->txid, txid) == 0);
	if (s->cents != ev->paid_cents || s->ms != instant || !same_txid)
		return fail(
		    r, at(r, pix_off, "endToEndId"), "endToEndId",
		    "%s also at line %ld with another %s: a repeated endToEndId with different content is a "
		    "conflict, not an update",
		    e2e, s->line,
		    s->cents != ev->paid_cents ? "valor"
		    : s->ms != instant         ? "horario"
		                               : "txid");
	return 0;
}

/* The Pix at off; end is the offset just past it. */
static int read_pix(struct reader *r, const json_t *pix, size_t off, size_t end)
{
	char tmp[80];
	const char *e2e, *txid, *why;
	size_t e2e_len, txid_len;
	int64_t valor, instant;
	int present;
	struct bank_event *ev = &r->ev;
	long line;
	int col;

	if (!json_is_object(pix))
		return fail(r, off, "", "expected a Pix object, found %s",
		            found(r, pix, off, tmp, sizeof tmp));
	memset(ev, 0, sizeof *ev);
	ev->kind = EVENT_CREDIT;
	ev->due_date = CDATE_NONE;
	json_pos_locate(&r->cur, off, &line, &col);
	ev->line = line;
	json_pos_locate(&r->cur, end > off ? end - 1 : off, &line, &col);
	ev->line_end = line;

	if (get_string(r, pix, off, "endToEndId", "endToEndId", 1, &e2e, &e2e_len))
		return -1;
	int e2e_rc = pix_api_check_e2e(e2e, e2e_len, &why);
	if (e2e_rc < 0)
		return fail(
		    r, at(r, off, "endToEndId"), "endToEndId", "%s, found %s (%zu characters)", why,
		    found(r, json_object_get(pix, "endToEndId"), at(r, off, "endToEndId"), tmp, sizeof tmp),
		    e2e_len);
	if (e2e_rc > 0)
		warn(r, at(r, off, "endToEndId"), "endToEndId", "%s: %s (kept: it still names one Pix)", e2e,
		     why);
	memcpy(ev->end_to_end_id, e2e, e2e_len + 1);

	if (get_string(r, pix, off, "txid", "txid", 0, &txid, &txid_len))
		return -1;
	if (txid && txid_len == 0) {
		warn(r, at(r, off, "txid"), "txid", "empty: read as no txid");
		txid = NULL;
	} else if (txid && (txid_len > 35 || !all_alnum(txid, txid_len))) {
		return fail(r, at(r, off, "txid"), "txid",
		            "expected 1 to 35 letters or digits, found %s (%zu characters)",
		            found(r, json_object_get(pix, "txid"), at(r, off, "txid"), tmp, sizeof tmp),
		            txid_len);
	}
	if (txid)
		memcpy(ev->txid, txid, txid_len + 1);

	if (get_amount(r, pix, off, "valor", "valor", 1, &valor, &present))
		return -1;
	if (valor == 0)
		return fail(r, at(r, off, "valor"), "valor", "a Pix of 0.00 moves no money");
	ev->paid_cents = ev->net_cents = valor;

	if (get_instant(r, pix, off, "horario", "horario", 1, &instant, &present))
		return -1;
	ev->occurrence_date = ev->credit_date = pix_api_local_date(instant);
	if (ev->occurrence_date < PIX_FIRST_DAY)
		warn(r, at(r, off, "horario"), "horario",
		     "before Pix existed (3 November 2020): a placeholder or test data?");
	if (r->have_window &&
	    (instant / 1000 < r->window_from / 1000 || instant / 1000 > r->window_to / 1000))
		warn(
		    r, at(r, off, "horario"), "horario",
		    "outside the query's window (parametros.inicio to parametros.fim): a time zone mistake?");

	if (read_components(r, pix, off, valor) || read_chave(r, pix, off) ||
	    read_text(r, pix, off, "infoPagador", "infoPagador", ev->free_text, sizeof ev->free_text) ||
	    read_payer(r, pix, off))
		return -1;
	snprintf(ev->identity, sizeof ev->identity, "pix|%s", e2e);

	if (remember(r, e2e, txid, instant, off))
		return -1;
	struct bank_event pix_ev = *ev;
	if (deliver(r))
		return -1;
	return read_devolucoes(r, pix, off, &pix_ev);
}

/* ---- the document ---- */

static int get_count(struct reader *r, const json_t *obj, size_t obj_off, const char *key, const char *path,
                     json_int_t *out)
{
	char tmp[80];
	const json_t *v = json_object_get(obj, key);
	*out = -1;
	if (v == NULL || json_is_null(v)) {
		warn(r, obj_off, path, "missing: required by the API Pix");
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		size_t off = at(r, obj_off, key);
		return fail(r, off, path, "expected a whole number >= 0, found %s",
		            found(r, v, off, tmp, sizeof tmp));
	}
	*out = json_integer_value(v);
	return 0;
}

/* parametros of a GET /pix page: the query's window, the page's place. */
static int read_parametros(struct reader *r, const json_t *root, size_t root_off, cdate *generated)
{
	char tmp[80];
	const json_t *p = json_object_get(root, "parametros");
	size_t p_off = at(r, root_off, "parametros");
	int present;
	if (!json_is_object(p))
		return fail(r, p_off, "parametros", "expected an object, found %s",
		            found(r, p, p_off, tmp, sizeof tmp));
	if (get_instant(r, p, p_off, "inicio", "parametros.inicio", 1, &r->window_from, &present) ||
	    get_instant(r, p, p_off, "fim", "parametros.fim", 1, &r->window_to, &present))
		return -1;
	if (r->window_to < r->window_from)
		warn(r, at(r, p_off, "fim"), "parametros.fim", "before parametros.inicio");
	r->have_window = 1;
	*generated = pix_api_local_date(r->window_to);
	return 0;
}

static int check_paginacao(struct reader *r, const json_t *root, size_t root_off, size_t entries)
{
	char tmp[80];
	const json_t *p = json_object_get(root, "parametros");
	size_t p_off = at(r, root_off, "parametros");
	const json_t *pg = json_object_get(p, "paginacao");
	size_t pg_off = at(r, p_off, "paginacao");
	json_int_t atual, por_pagina, paginas, total;
	if (pg == NULL || json_is_null(pg)) {
		warn(r, p_off, "parametros.paginacao",
		     "missing: required by the API Pix (is this the whole result or one page of it?)");
		return 0;
	}
	if (!json_is_object(pg))
		return fail(r, pg_off, "parametros.paginacao", "expected an object, found %s",
		            found(r, pg, pg_off, tmp, sizeof tmp));
	if (get_count(r, pg, pg_off, "paginaAtual", "parametros.paginacao.paginaAtual", &atual) ||
	    get_count(r, pg, pg_off, "itensPorPagina", "parametros.paginacao.itensPorPagina", &por_pagina) ||
	    get_count(r, pg, pg_off, "quantidadeDePaginas", "parametros.paginacao.quantidadeDePaginas",
	              &paginas) ||
	    get_count(r, pg, pg_off, "quantidadeTotalDeItens", "parametros.paginacao.quantidadeTotalDeItens",
	              &total))
		return -1;
	if (por_pagina >= 0 && (json_int_t)entries > por_pagina)
		warn(r, at(r, pg_off, "itensPorPagina"), "parametros.paginacao.itensPorPagina",
		     "%" JSON_INTEGER_FORMAT " items per page, but this page holds %zu Pix", por_pagina,
		     entries);
	if (atual >= 0 && paginas > 0 && atual >= paginas)
		warn(r, at(r, pg_off, "paginaAtual"), "parametros.paginacao.paginaAtual",
		     "page %" JSON_INTEGER_FORMAT " of %" JSON_INTEGER_FORMAT " (pages count from 0)", atual,
		     paginas);
	if (paginas == 1 && total >= 0 && total != (json_int_t)entries)
		warn(r, at(r, pg_off, "quantidadeTotalDeItens"),
		     "parametros.paginacao.quantidadeTotalDeItens",
		     "the only page holds %zu Pix, but the total says %" JSON_INTEGER_FORMAT, entries, total);
	return 0;
}

static int read_list(struct reader *r, const json_t *root, size_t root_off, struct cnab_file_info *info)
{
	char tmp[80];
	const json_t *list = json_object_get(root, "pix");
	size_t off = at(r, root_off, "pix");
	if (!json_is_array(list))
		return fail(r, off, "pix", "expected a list of Pix, found %s",
		            found(r, list, off, tmp, sizeof tmp));
	size_t n = json_array_size(list);
	r->seen_cap = 16;
	while (r->seen_cap < 2 * n)
		r->seen_cap *= 2;
	r->seen = calloc(r->seen_cap, sizeof *r->seen);
	if (r->seen == NULL)
		return diag_set(r->err, DIAG_ERROR, r->file, 0, 0, NULL, "out of memory for %zu Pix", n);
	struct json_pos_array it;
	json_pos_array_begin(&it, r->b, r->len, off);
	for (size_t i = 0; i < n; i++) {
		size_t e_off = json_pos_array_next(&it);
		if (e_off == JSON_POS_NONE)
			e_off = off;
		snprintf(r->prefix, sizeof r->prefix, "pix[%zu]", i);
		/* the walker has just skipped the element: its end is where it goes on */
		if (read_pix(r, json_array_get(list, i), e_off, it.next))
			return -1;
	}
	r->prefix[0] = '\0';
	info->titles = info->records = (long)n;
	return 0;
}

int pix_api_parse(const char *filename, const unsigned char *buf, size_t len, struct cnab_file_info *info,
                  cnab_event_fn on_event, void *ctx, diag_sink warn_sink, void *wctx, struct diag *err)
{
	struct cnab_file_info dummy;
	struct reader *r = calloc(1, sizeof *r);
	json_error_t je;
	int rc = -1;

	if (info == NULL)
		info = &dummy;
	memset(info, 0, sizeof *info);
	info->generated = CDATE_NONE;
	diag_clear(err);
	if (r == NULL)
		return diag_set(err, DIAG_ERROR, filename, 0, 0, NULL, "out of memory");
	if (len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF) {
		buf += 3;
		len -= 3;
	}
	r->file = filename;
	r->b = buf;
	r->len = len;
	r->err = err;
	r->warn = warn_sink;
	r->wctx = wctx;
	r->on_event = on_event;
	r->ctx = ctx;
	r->latest = CDATE_NONE;
	json_pos_cursor_init(&r->cur, buf, len);

	json_t *root = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		if (json_pos_skip_ws(buf, len, 0) >= len)
			diag_set(err, DIAG_ERROR, filename, 0, 0, NULL, "empty file: no JSON in it");
		else
			diag_set(err, DIAG_ERROR, filename, je.line > 0 ? je.line : 0,
			         je.column > 0 ? je.column : 0, NULL, "not valid JSON: %s", je.text);
		free(r);
		return -1;
	}
	size_t root_off = json_pos_skip_ws(buf, len, 0);
	cdate generated = CDATE_NONE;
	if (!json_is_object(root)) {
		char tmp[80];
		fail(r, root_off, "",
		     "expected a JSON object (a GET /pix page, a webhook body or one Pix), found %s",
		     found(r, root, root_off, tmp, sizeof tmp));
	} else if (json_object_get(root, "endToEndId")) {
		info->layout_name = PIX_API_LAYOUT_OBJECT;
		if (read_pix(r, root, root_off, json_pos_skip_value(buf, len, root_off)) == 0) {
			info->titles = info->records = 1;
			rc = 0;
		}
	} else if (json_object_get(root, "pix")) {
		int page = json_object_get(root, "parametros") != NULL;
		info->layout_name = page ? PIX_API_LAYOUT_LIST : PIX_API_LAYOUT_WEBHOOK;
		if ((!page || read_parametros(r, root, root_off, &generated) == 0) &&
		    read_list(r, root, root_off, info) == 0 &&
		    (!page ||
		     check_paginacao(r, root, root_off, json_array_size(json_object_get(root, "pix"))) == 0))
			rc = 0;
	} else {
		fail(r, root_off, "",
		     "neither a GET /pix page, a webhook body nor one Pix: no \"pix\" list and no "
		     "\"endToEndId\"");
	}
	if (rc == 0) {
		info->generated = generated != CDATE_NONE ? generated : r->latest;
		if (r->chave_state == 1)
			snprintf(info->agreement, sizeof info->agreement, "%s", r->chave);
	}
	json_decref(root);
	free(r->seen);
	free(r);
	return rc;
}
