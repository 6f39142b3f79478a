/* Campo livre and nosso número per bank, as a table.
 *
 * Each bank row lists its campo livre (barcode positions 20-44) as parts
 * in position order, so a reviewer can put a row beside the bank manual
 * (or reference/boleto.md §4) and tick the parts off; the nosso número DV
 * is a rule name plus the parts it runs over. What a table cannot say
 * (which of BB's convênio layouts applies, Caixa's modalidade prefix,
 * Sicredi's year) lives in a few small hooks next to their row.
 *
 * Layouts marked "peer layout" in reference/boleto.md (Inter, Daycoval,
 * Unicred, Ailos, BNB, Safra, C6, and BRB/Banestes here) follow what the
 * peers implement and the shared vectors confirm; no bank manual was at
 * hand for them. */
#include "config.h"

#include "codec/boleto_bank.h"

#include <stdio.h>
#include <string.h>

/* ---- check-digit rules ---- */

/* mod 10 then mod 11 (weights 2..7) over the string plus the first digit;
 * a remainder of 1 is not allowed, so the first digit is bumped. */
static void duplo_digito(const char *digits, size_t n, char *out)
{
	char tmp[64];
	size_t m = n < sizeof tmp - 1 ? n : sizeof tmp - 1;
	int d1 = boleto_mod10(digits, n);
	memcpy(tmp, digits + (n - m), m);
	/* r moves by 2 x d1 (mod 11), so at most one of the ten d1 values
	 * leaves remainder 1: the loop bumps at most once. */
	for (int tries = 0; tries < 10; tries++) {
		tmp[m] = (char)('0' + d1);
		unsigned r = boleto_mod11_sum(tmp, m + 1, 2, 7) % 11;
		if (r == 1) {
			d1 = (d1 + 1) % 10;
			continue;
		}
		out[0] = (char)('0' + d1);
		out[1] = (char)('0' + (r == 0 ? 0 : (int)(11 - r)));
		out[2] = '\0';
		return;
	}
	out[0] = out[1] = '0'; /* unreachable, see above */
	out[2] = '\0';
}

static int mod11_cef(const char *digits, size_t n)
{
	int d = 11 - (int)(boleto_mod11_sum(digits, n, 2, 9) % 11);
	return d > 9 ? 0 : d;
}

int boleto_dv(enum boleto_dv_rule rule, const char *digits, size_t n, char *out)
{
	unsigned r;
	int d;

	switch (rule) {
	case BOLETO_DV_MOD10:
		d = boleto_mod10(digits, n);
		break;
	case BOLETO_DV_MOD11_BB:
		d = (int)((11 - boleto_mod11_sum(digits, n, 2, 9) % 11) % 11);
		if (d == 10) {
			out[0] = 'X';
			out[1] = '\0';
			return 1;
		}
		break;
	case BOLETO_DV_MOD11_BRADESCO:
		r = boleto_mod11_sum(digits, n, 2, 7) % 11;
		if (r == 1) {
			out[0] = 'P';
			out[1] = '\0';
			return 1;
		}
		d = r == 0 ? 0 : (int)(11 - r);
		break;
	case BOLETO_DV_MOD11_SANTANDER: /* the same mapping as Caixa's, named apart on purpose */
	case BOLETO_DV_MOD11_CEF:
		d = mod11_cef(digits, n);
		break;
	case BOLETO_DV_MOD11_BNB:
		d = 11 - (int)(boleto_mod11_sum(digits, n, 2, 8) % 11);
		if (d > 9)
			d = 0;
		break;
	case BOLETO_DV_MOD11_SICOOB: {
		static const unsigned char w[4] = {3, 1, 9, 7};
		unsigned sum = 0;
		for (size_t i = 0; i < n; i++) /* from the left */
			sum += (unsigned)(digits[i] - '0') * w[i % 4];
		r = sum % 11;
		d = r <= 1 ? 0 : (int)(11 - r);
		break;
	}
	case BOLETO_DV_MOD11_SAFRA:
		r = boleto_mod11_sum(digits, n, 2, 9) % 11;
		d = r == 0 ? 1 : r == 1 ? 0 : (int)(11 - r);
		break;
	case BOLETO_DV_BANRISUL_NC:
		duplo_digito(digits, n, out);
		return 2;
	case BOLETO_DV_BANESTES_NN: {
		char tmp[64];
		size_t m = n < sizeof tmp - 1 ? n : sizeof tmp - 1;
		memcpy(tmp, digits + (n - m), m);
		int d1 = mod11_cef(tmp, m);
		tmp[m] = (char)('0' + d1);
		out[0] = (char)('0' + d1);
		out[1] = (char)('0' + mod11_cef(tmp, m + 1));
		out[2] = '\0';
		return 2;
	}
	case BOLETO_DV_NONE:
	default:
		out[0] = '\0';
		return -1;
	}
	out[0] = (char)('0' + d);
	out[1] = '\0';
	return 1;
}

const char *boleto_dv_rule_name(enum boleto_dv_rule rule)
{
	switch (rule) {
	case BOLETO_DV_MOD10:
		return "mod10";
	case BOLETO_DV_MOD11_BB:
		return "mod11_bb";
	case BOLETO_DV_MOD11_BRADESCO:
		return "mod11_bradesco";
	case BOLETO_DV_MOD11_SANTANDER:
		return "mod11_santander";
	case BOLETO_DV_MOD11_CEF:
		return "mod11_cef";
	case BOLETO_DV_MOD11_BNB:
		return "mod11_bnb";
	case BOLETO_DV_MOD11_SICOOB:
		return "mod11_sicoob";
	case BOLETO_DV_MOD11_SAFRA:
		return "mod11_safra";
	case BOLETO_DV_BANRISUL_NC:
		return "banrisul_nc";
	case BOLETO_DV_BANESTES_NN:
		return "banestes_nn";
	case BOLETO_DV_NONE:
	default:
		return "none";
	}
}

/* ---- the table's vocabulary ---- */

enum part_kind {
	P_END = 0,
	P_LIT,    /* text, as is */
	P_AGENCY, /* request fields, left-padded with zeros to width */
	P_ACCOUNT,
	P_WALLET,
	P_AGREEMENT,
	P_NN,         /* nosso número; with from/count only those digits of the padded number */
	P_OPT,        /* --opt text=VALUE, padded to width */
	P_NN_DV,      /* the nosso número DV computed for this slip */
	P_AGENCY_DV,  /* given: --opt agencia_dv or "NNNN-D" */
	P_ACCOUNT_DV, /* given, or computed by the layout's account rule */
	P_VALUE_FLAG, /* 1 when the slip carries a value, else 0 (Sicredi) */
	P_CAMPO_DV,   /* rule over every campo digit before it */
	P_CAMPO,      /* in nn_print only: campo positions from..from+count-1 (1-based) */
};

struct part {
	unsigned char kind;
	unsigned char width; /* digits of the padded source */
	unsigned char from;  /* P_NN, P_CAMPO: 1-based first digit taken; 0 = all */
	unsigned char count; /* digits taken when from != 0 */
	unsigned char rule;  /* P_CAMPO_DV */
	const char *text;    /* P_LIT digits, P_OPT option name */
};

#define LIT(s)                                                                                               \
	{                                                                                                    \
		.kind = P_LIT, .width = sizeof(s) - 1, .text = (s)                                           \
	}
#define AG(w)                                                                                                \
	{                                                                                                    \
		.kind = P_AGENCY, .width = (w)                                                               \
	}
#define AC(w)                                                                                                \
	{                                                                                                    \
		.kind = P_ACCOUNT, .width = (w)                                                              \
	}
#define WA(w)                                                                                                \
	{                                                                                                    \
		.kind = P_WALLET, .width = (w)                                                               \
	}
#define CV(w)                                                                                                \
	{                                                                                                    \
		.kind = P_AGREEMENT, .width = (w)                                                            \
	}
#define NN(w)                                                                                                \
	{                                                                                                    \
		.kind = P_NN, .width = (w)                                                                   \
	}
#define NN_AT(w, pos, cnt)                                                                                   \
	{                                                                                                    \
		.kind = P_NN, .width = (w), .from = (pos), .count = (cnt)                                    \
	}
#define OPT(name, w)                                                                                         \
	{                                                                                                    \
		.kind = P_OPT, .width = (w), .text = (name)                                                  \
	}
#define NN_DV(w)                                                                                             \
	{                                                                                                    \
		.kind = P_NN_DV, .width = (w)                                                                \
	}
#define AG_DV                                                                                                \
	{                                                                                                    \
		.kind = P_AGENCY_DV, .width = 1                                                              \
	}
#define AC_DV                                                                                                \
	{                                                                                                    \
		.kind = P_ACCOUNT_DV, .width = 1                                                             \
	}
#define VALUE_FLAG                                                                                           \
	{                                                                                                    \
		.kind = P_VALUE_FLAG, .width = 1                                                             \
	}
#define CAMPO_DV(r, w)                                                                                       \
	{                                                                                                    \
		.kind = P_CAMPO_DV, .width = (w), .rule = (r)                                                \
	}
#define CAMPO(pos, cnt)                                                                                      \
	{                                                                                                    \
		.kind = P_CAMPO, .width = (cnt), .from = (pos), .count = (cnt)                               \
	}

enum { ACDV_UNUSED = 0, ACDV_GIVEN, ACDV_COMPUTED };

#define MAX_CAMPO_PARTS 13
#define MAX_OPTS        5
#define MAX_LAYOUTS     5

struct work;

struct layout {
	const char *name;
	int (*when)(const struct work *w); /* NULL: always */
	struct part campo[MAX_CAMPO_PARTS];
	unsigned char nn_rule; /* enum boleto_dv_rule */
	struct part nn_over[8];
	struct part nn_print[6];
	unsigned char ac_dv; /* ACDV_* */
	unsigned char ac_rule;
	struct part ac_over[3];
};

struct opt_def {
	const char *name;
	const char *alias;
	unsigned char width;
	const char *dflt; /* NULL: required when a part uses it (or set by the hook) */
	const char *help; /* for the option list, when the default is not the whole story */
};

struct boleto_bank {
	int code;
	const char *name;
	int64_t max_cents;       /* 0 = BOLETO_MAX_CENTS */
	const char *layout_rule; /* why no layout fits, when none does */
	struct opt_def opts[MAX_OPTS];
	int (*prepare)(struct work *w, const struct layout *l, struct diag *d);
	struct layout layouts[MAX_LAYOUTS];
};

struct text {
	const char *s;
	size_t n;
	/* set by scan_text: the request's fields are used by several parts
	 * (Itaú reads agency and account twice), so they are checked once */
	unsigned char scanned;
	unsigned char not_digits;
	size_t sig; /* digits after the leading zeros */
};

static void scan_text(struct text *t)
{
	size_t lead = t->n;
	t->not_digits = 0;
	for (size_t i = 0; i < t->n; i++) {
		char c = t->s[i];
		if (c < '0' || c > '9') {
			t->not_digits = 1;
			break;
		}
		if (c != '0' && lead == t->n)
			lead = i;
	}
	t->sig = t->n - lead;
	t->scanned = 1;
}

struct work {
	const struct boleto_request *rq;
	const struct boleto_bank *bank;
	struct text ag, ac, wa, cv, nn;
	char ag_dv, ac_dv; /* 0 = not given */
	struct text opt[MAX_OPTS];
	char opt_buf[MAX_OPTS][4];
	char nn_buf[24];
	char nn_dv[3];
	const char *campo; /* while printing the nosso número */
	const char *note;
};

/* ---- hooks and layout conditions ---- */

static size_t significant(const struct text *t)
{
	size_t i = 0;
	while (i < t->n && t->s[i] == '0')
		i++;
	return t->n - i;
}

/* s[0..n) is exactly word (a short literal): no library call for the
 * few bytes of a wallet name. */
static int text_is_word(const char *s, size_t n, const char *word)
{
	for (size_t i = 0; i < n; i++)
		if (word[i] != s[i])
			return 0; /* also when word ends first: its NUL differs */
	return word[n] == '\0';
}

static int opt_index(const struct boleto_bank *b, const char *name)
{
	/* The table's parts and option list usually share one merged string
	 * literal: try the pointers first, it is the hot path. */
	for (int i = 0; i < MAX_OPTS && b->opts[i].name; i++)
		if (b->opts[i].name == name)
			return i;
	for (int i = 0; i < MAX_OPTS && b->opts[i].name; i++)
		if ((b->opts[i].name[0] == name[0] && strcmp(b->opts[i].name, name) == 0) ||
		    (b->opts[i].alias && strcmp(b->opts[i].alias, name) == 0))
			return i;
	return -1;
}

static int opt_is(const struct work *w, const char *name, const char *value)
{
	int i = opt_index(w->bank, name);
	return i >= 0 && w->opt[i].s && text_is_word(w->opt[i].s, w->opt[i].n, value);
}

static void opt_set(struct work *w, const char *name, const char *value, size_t n)
{
	int i = opt_index(w->bank, name);
	if (i < 0 || n >= sizeof w->opt_buf[i])
		return;
	memcpy(w->opt_buf[i], value, n);
	w->opt_buf[i][n] = '\0';
	w->opt[i].s = w->opt_buf[i];
	w->opt[i].n = n;
}

/* Wallet compared as text padded to three digits, never as a number (a
 * peer's integer/string mix-up skipped its own exception list). */
static int wallet_in(const struct work *w, const char *list)
{
	char pad[4] = "000";
	if (!w->wa.s)
		return 0;
	for (size_t i = 0; i < w->wa.n; i++)
		if (w->wa.s[i] < '0' || w->wa.s[i] > '9')
			return 0;
	size_t sig = significant(&w->wa);
	if (sig > 3)
		return 0;
	memcpy(pad + 3 - sig, w->wa.s + w->wa.n - sig, sig);
	/* three byte compares: a memcmp call per entry was a tenth of the
	 * time of an Itaú slip */
	for (const char *p = list; *p; p += p[3] ? 4 : 3)
		if (p[0] == pad[0] && p[1] == pad[1] && p[2] == pad[2])
			return 1;
	return 0;
}


static int cv_len_is(const struct work *w, size_t n)
{
	return w->cv.s && w->cv.n == n;
}

/* BB: the convênio's length as registered picks the layout (Anexos VII-XI);
 * convênio 6 with a number beyond 5 digits (or serviço 21) is the free
 * 17-digit number of the sem-registro portfolios. */
static int bb_free17(const struct work *w)
{
	return cv_len_is(w, 6) && (opt_is(w, "servico", "21") || significant(&w->nn) > 5);
}
static int bb_conv4(const struct work *w)
{
	return cv_len_is(w, 4);
}
static int bb_conv6(const struct work *w)
{
	return cv_len_is(w, 6) && !bb_free17(w);
}
static int bb_conv7(const struct work *w)
{
	return cv_len_is(w, 7);
}
static int bb_conv8(const struct work *w)
{
	return cv_len_is(w, 8);
}

static int layout_nn_width(const struct layout *l)
{
	for (int i = 0; i < MAX_CAMPO_PARTS && l->campo[i].kind != P_END; i++)
		if (l->campo[i].kind == P_NN)
			return l->campo[i].width;
	return 0;
}

static int bb_prepare(struct work *w, const struct layout *l, struct diag *d)
{
	int i = opt_index(w->bank, "servico");
	if (w->opt[i].s && !opt_is(w, "servico", "21"))
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "servico",
		                "BB knows only serviço 21 (nosso número livre of 17 digits)");
	/* A number written with its convênio in front ("1234567" +
	 * "0000000001") is the same number: drop the prefix. */
	size_t nw = (size_t)layout_nn_width(l);
	if (l->when != bb_free17 && w->nn.s && w->cv.s && w->nn.n == w->cv.n + nw &&
	    memcmp(w->nn.s, w->cv.s, w->cv.n) == 0) {
		w->nn.s += w->cv.n;
		w->nn.n -= w->cv.n;
	}
	return 0;
}

/* Caixa SIGCB: a 17-digit nosso número starts with modalidade (1
 * registrada, 2 sem registro) and emissão (4 = beneficiário). A shorter
 * number gets that prefix from --opt modalidade or the wallet's name. */
static int caixa7(const struct work *w)
{
	return w->cv.s && significant(&w->cv) == 7;
}
static int caixa6(const struct work *w)
{
	return !w->cv.s || significant(&w->cv) <= 6;
}

static int caixa_prepare(struct work *w, const struct layout *l, struct diag *d)
{
	(void)l;
	if (!w->nn.s)
		return 0; /* reported when the part is built */
	size_t sig = significant(&w->nn);
	if (w->nn.n == 17 || sig > 15) {
		char m = w->nn.n == 17 ? w->nn.s[0] : '0';
		if (w->nn.n != 17 || (m != '1' && m != '2'))
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, "nosso_numero",
			                "a Caixa nosso número has 17 digits starting with modalidade 1 or 2, "
			                "or at most 15 digits");
		return 0;
	}
	char mod = 0;
	int mi = opt_index(w->bank, "modalidade");
	if (w->opt[mi].s && w->opt[mi].n == 1)
		mod = w->opt[mi].s[0];
	else if (w->wa.s) {
		static const char *const reg[] = {"1", "01", "11", "14", "RG", "rg", NULL};
		static const char *const sem[] = {"2", "02", "21", "24", "SR", "sr", NULL};
		for (int k = 0; reg[k]; k++)
			if (text_is_word(w->wa.s, w->wa.n, reg[k]))
				mod = '1';
		for (int k = 0; sem[k]; k++)
			if (text_is_word(w->wa.s, w->wa.n, sem[k]))
				mod = '2';
	}
	if (mod != '1' && mod != '2')
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "modalidade",
		                "a nosso número shorter than 17 digits needs the modalidade: --opt "
		                "modalidade=1 (registrada) or 2 (sem registro), or wallet RG/SR");
	int ei = opt_index(w->bank, "emissao");
	char em = w->opt[ei].s && w->opt[ei].n == 1 ? w->opt[ei].s[0] : '4';
	if (em < '0' || em > '9')
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "emissao",
		                "emissão is one digit (4 = beneficiário)");
	w->nn_buf[0] = mod;
	w->nn_buf[1] = em;
	memset(w->nn_buf + 2, '0', 15);
	memcpy(w->nn_buf + 2 + 15 - (sig < w->nn.n ? sig : w->nn.n), w->nn.s + w->nn.n - sig, sig);
	w->nn_buf[17] = '\0';
	w->nn.s = w->nn_buf;
	w->nn.n = 17;
	return 0;
}

/* Sicredi: tipo 1 (registrada) or 3 (sem registro), defaulting to what
 * the wallet says when it is 3; the number's year defaults to the due
 * date's; an 8-digit number is year + byte + sequence. */
static int sicredi_prepare(struct work *w, const struct layout *l, struct diag *d)
{
	(void)l;
	int ti = opt_index(w->bank, "tipo");
	if (!w->opt[ti].s)
		opt_set(w, "tipo", w->wa.s && w->wa.n == 1 && w->wa.s[0] == '3' ? "3" : "1", 1);
	if (!opt_is(w, "tipo", "1") && !opt_is(w, "tipo", "3"))
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "tipo",
		                "Sicredi tipo is 1 (com registro) or 3 (sem registro)");
	if (w->nn.s && w->nn.n == 8) {
		opt_set(w, "ano", w->nn.s, 2);
		opt_set(w, "byte", w->nn.s + 2, 1);
		w->nn.s += 3;
		w->nn.n = 5;
	}
	int ai = opt_index(w->bank, "ano");
	if (!w->opt[ai].s) {
		if (w->rq->due == CDATE_NONE)
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, "ano",
			                "without a due date the nosso número's year needs --opt ano=YY");
		int y, m, day;
		date_to_ymd(w->rq->due, &y, &m, &day);
		char yy[2] = {(char)('0' + y / 10 % 10), (char)('0' + y % 10)};
		opt_set(w, "ano", yy, 2);
	}
	return 0;
}

/* Ailos: its account numbers (nrdconta) carry their DV as last digit, and
 * peers pass them either way. An explicit DV wins; an 8-digit account is
 * nrdconta; a shorter one whose last digit is the DV of the digits before
 * it is read as nrdconta; otherwise the DV is computed and appended. The
 * slip's note says which reading was taken. */
static int ailos_prepare(struct work *w, const struct layout *l, struct diag *d)
{
	(void)l;
	(void)d;
	if (w->ac_dv || !w->ac.s || w->ac.n < 2)
		return 0;
	for (size_t i = 0; i < w->ac.n; i++)
		if (w->ac.s[i] < '0' || w->ac.s[i] > '9')
			return 0; /* reported when the part is built */
	char dv[3];
	boleto_dv(BOLETO_DV_MOD11_CEF, w->ac.s, w->ac.n - 1, dv);
	if (significant(&w->ac) >= 8 || dv[0] == w->ac.s[w->ac.n - 1]) {
		w->ac_dv = w->ac.s[w->ac.n - 1];
		w->ac.n--;
		w->note = "account read as nrdconta, its last digit being its DV; "
		          "write NUMBER-D or --opt conta_dv=D to say otherwise";
	} else {
		boleto_dv(BOLETO_DV_MOD11_CEF, w->ac.s, w->ac.n, dv);
		w->ac_dv = dv[0];
		w->note = "account read without its DV, which was computed (mod11_cef); "
		          "write NUMBER-D or --opt conta_dv=D to say otherwise";
	}
	return 0;
}

/* C6: the 12-digit código do beneficiário, given as agreement or account. */
static int c6_prepare(struct work *w, const struct layout *l, struct diag *d)
{
	(void)l;
	(void)d;
	if (!w->cv.s)
		w->cv = w->ac;
	return 0;
}

static int itau_special(const struct work *w)
{
	return wallet_in(w, "107 122 142 143 196 198");
}
static int itau_short_dac(const struct work *w)
{
	return wallet_in(w, "126 131 146 150 168");
}

/* ---- the table (campo livre = barcode positions 20-44, in order) ----
 * .campo: the parts in position order; .nn_rule over .nn_over: the nosso
 * número DV; .nn_print: the number as printed (without its DV);
 * .ac_dv: whether the account DV is given or computed (.ac_rule over
 * .ac_over). */

#define OPTION(n, w, d, h)                                                                                   \
	{                                                                                                    \
		.name = (n), .width = (w), .dflt = (d), .help = (h)                                          \
	}
#define ACCOUNT_DV_GIVEN "required, or --account NUMBER-D"

/* One bank per block, parts in position order: kept as written. */
/* clang-format off */
static const struct boleto_bank banks[] = {
	{
		.code = 1, .name = "Banco do Brasil",
		.layout_rule = "the convênio must have 4, 6, 7 or 8 digits",
		.opts = {OPTION("variacao", 3, "", "accepted, not in the barcode"),
			 OPTION("servico", 2, "", "21: free 17-digit nosso número, convênio 6")},
		.prepare = bb_prepare,
		.layouts = {
			/* BB 2016 Anexo IX: 20-23 convênio, 24-30 nn, 31-34 agência, 35-42 conta, 43-44 carteira */
			{.name = "convênio 4", .when = bb_conv4,
			 .campo = {CV(4), NN(7), AG(4), AC(8), WA(2)},
			 .nn_rule = BOLETO_DV_MOD11_BB, .nn_over = {CV(4), NN(7)}, .nn_print = {CV(4), NN(7)}},
			/* Anexo X: 20-25 convênio, 26-30 nn, then as above */
			{.name = "convênio 6", .when = bb_conv6,
			 .campo = {CV(6), NN(5), AG(4), AC(8), WA(2)},
			 .nn_rule = BOLETO_DV_MOD11_BB, .nn_over = {CV(6), NN(5)}, .nn_print = {CV(6), NN(5)}},
			/* Anexo XI: 20-25 convênio, 26-42 nn (17, free), 43-44 "21" */
			{.name = "convênio 6, nosso número livre 17 (serviço 21)", .when = bb_free17,
			 .campo = {CV(6), NN(17), LIT("21")}, .nn_print = {NN(17)}},
			/* Anexo VII: 20-25 zeros, 26-32 convênio, 33-42 nn, 43-44 carteira */
			{.name = "convênio 7", .when = bb_conv7,
			 .campo = {LIT("000000"), CV(7), NN(10), WA(2)}, .nn_print = {CV(7), NN(10)}},
			/* not in the 2016 manual; as peers emit it: zeros, convênio 8, nn 9, carteira */
			{.name = "convênio 8", .when = bb_conv8,
			 .campo = {LIT("000000"), CV(8), NN(9), WA(2)}, .nn_print = {CV(8), NN(9)}},
		},
	},
	{
		/* peer layout: agência 4, conta 7 + DV, nn 7 + DV, carteira 2, "000" */
		.code = 4, .name = "Banco do Nordeste",
		.opts = {OPTION("conta_dv", 1, NULL, ACCOUNT_DV_GIVEN)},
		.layouts = {{.name = "", .campo = {AG(4), AC(7), AC_DV, NN(7), NN_DV(1), WA(2), LIT("000")},
			     .nn_rule = BOLETO_DV_MOD11_BNB, .nn_over = {NN(7)}, .nn_print = {NN(7)},
			     .ac_dv = ACDV_GIVEN}},
	},
	{
		/* chave ASBACE: nn 8, conta 10 + DV, tipo de cobrança, 021, duplo dígito */
		.code = 21, .name = "Banestes",
		.opts = {OPTION("conta_dv", 1, NULL, ACCOUNT_DV_GIVEN),
			 OPTION("tipo", 1, "2", "tipo de cobrança, default 2")},
		.layouts = {{.name = "",
			     .campo = {NN(8), AC(10), AC_DV, OPT("tipo", 1), LIT("021"),
				       CAMPO_DV(BOLETO_DV_BANRISUL_NC, 2)},
			     .nn_rule = BOLETO_DV_BANESTES_NN, .nn_over = {NN(8)}, .nn_print = {NN(8)},
			     .ac_dv = ACDV_GIVEN}},
	},
	{
		/* Santander 2012: 20 "9", 21-27 código, 28-39 nn, 40 DV, 41 IOF, 42-44 carteira */
		.code = 33, .name = "Santander",
		.opts = {OPTION("iof", 1, "0", NULL)},
		.layouts = {{.name = "", .campo = {LIT("9"), CV(7), NN(12), NN_DV(1), OPT("iof", 1), WA(3)},
			     .nn_rule = BOLETO_DV_MOD11_SANTANDER, .nn_over = {NN(12)}, .nn_print = {NN(12)}}},
	},
	{
		/* produto, "1", agência 4, código 7, nn 8, "40", NC */
		.code = 41, .name = "Banrisul",
		.opts = {OPTION("produto", 1, "2", NULL)},
		.layouts = {{.name = "",
			     .campo = {OPT("produto", 1), LIT("1"), AG(4), CV(7), NN(8), LIT("40"),
				       CAMPO_DV(BOLETO_DV_BANRISUL_NC, 2)},
			     .nn_rule = BOLETO_DV_BANRISUL_NC, .nn_over = {NN(8)}, .nn_print = {NN(8)}}},
	},
	{
		/* chave BRB: incremento 3, agência 3, conta 7, modalidade 1, nn 6, 070, duplo dígito;
		 * the printed nosso número is modalidade + nn + 070 + those two digits */
		.code = 70, .name = "BRB - Banco de Brasília",
		.opts = {OPTION("nosso_numero_incremento", 3, "000", NULL)},
		.layouts = {{.name = "",
			     .campo = {OPT("nosso_numero_incremento", 3), AG(3), AC(7), WA(1), NN(6), LIT("070"),
				       CAMPO_DV(BOLETO_DV_BANRISUL_NC, 2)},
			     .nn_print = {WA(1), NN(6), LIT("070"), CAMPO(24, 2)}}},
	},
	{
		/* peer layout: agência 4, carteira 3, operação 7, nn 10, DV */
		.code = 77, .name = "Banco Inter",
		.layouts = {{.name = "", .campo = {AG(4), WA(3), CV(7), NN(10), NN_DV(1)},
			     .nn_rule = BOLETO_DV_MOD10, .nn_over = {AG(4), WA(3), NN(10)}, .nn_print = {NN(10)}}},
	},
	{
		/* Bradesco's layout */
		.code = 84, .name = "Uniprime",
		.layouts = {{.name = "", .campo = {AG(4), WA(2), NN(11), AC(7), LIT("0")},
			     .nn_rule = BOLETO_DV_MOD11_BRADESCO, .nn_over = {WA(2), NN(11)},
			     .nn_print = {WA(2), LIT("/"), NN(11)}}},
	},
	{
		/* peer layout: convênio 6, conta 7 + DV, nn 9, carteira 2 */
		.code = 85, .name = "Ailos",
		.opts = {OPTION("conta_dv", 1, NULL, "optional; else read from the account")},
		.prepare = ailos_prepare,
		.layouts = {{.name = "", .campo = {CV(6), AC(7), AC_DV, NN(9), WA(2)}, .nn_print = {NN(9)},
			     .ac_dv = ACDV_GIVEN}},
	},
	{
		/* SIGCB Anexo II: 20-25 código, 26 its DV, 27-29 nn 3-5, 30 nn 1, 31-33 nn 6-8,
		 * 34 nn 2, 35-43 nn 9-17, 44 DV of 20-43 */
		.code = 104, .name = "Caixa Econômica Federal",
		.max_cents = INT64_C(999999999), /* Caixa: R$ 9.999.999,99 */
		.layout_rule = "the código do beneficiário has at most 7 digits",
		.opts = {OPTION("modalidade", 1, "", "1 or 2, for a number under 17 digits; default from the wallet: RG 1, SR 2"),
			 OPTION("emissao", 1, "4", NULL)},
		.prepare = caixa_prepare,
		.layouts = {
			{.name = "SIGCB", .when = caixa6,
			 .campo = {CV(6), CAMPO_DV(BOLETO_DV_MOD11_CEF, 1), NN_AT(17, 3, 3), NN_AT(17, 1, 1),
				   NN_AT(17, 6, 3), NN_AT(17, 2, 1), NN_AT(17, 9, 9), CAMPO_DV(BOLETO_DV_MOD11_CEF, 1)},
			 .nn_rule = BOLETO_DV_MOD11_CEF, .nn_over = {NN(17)}, .nn_print = {NN(17)}},
			/* 7-digit beneficiary codes fill 20-26, without their own DV */
			{.name = "SIGCB, código de 7 dígitos", .when = caixa7,
			 .campo = {CV(7), NN_AT(17, 3, 3), NN_AT(17, 1, 1), NN_AT(17, 6, 3), NN_AT(17, 2, 1),
				   NN_AT(17, 9, 9), CAMPO_DV(BOLETO_DV_MOD11_CEF, 1)},
			 .nn_rule = BOLETO_DV_MOD11_CEF, .nn_over = {NN(17)}, .nn_print = {NN(17)}},
		},
	},
	{
		/* peer layout: agência 4, conta 9 + DV, nn 10, DV */
		.code = 136, .name = "Unicred",
		.opts = {OPTION("conta_dv", 1, NULL, ACCOUNT_DV_GIVEN)},
		.layouts = {{.name = "", .campo = {AG(4), AC(9), AC_DV, NN(10), NN_DV(1)},
			     .nn_rule = BOLETO_DV_MOD11_CEF, .nn_over = {NN(10)}, .nn_print = {NN(10)},
			     .ac_dv = ACDV_GIVEN}},
	},
	{
		/* 20-23 agência, 24-25 carteira, 26-36 nn, 37-43 conta, 44 "0" */
		.code = 237, .name = "Bradesco",
		.layouts = {{.name = "", .campo = {AG(4), WA(2), NN(11), AC(7), LIT("0")},
			     .nn_rule = BOLETO_DV_MOD11_BRADESCO, .nn_over = {WA(2), NN(11)},
			     .nn_print = {WA(2), LIT("/"), NN(11)}}},
	},
	{
		/* peer layout: código 12, nn 10, carteira 2, billing type */
		.code = 336, .name = "C6 Bank",
		.opts = {OPTION("billing_type", 1, "3", NULL)},
		.prepare = c6_prepare,
		.layouts = {{.name = "", .campo = {CV(12), NN(10), WA(2), OPT("billing_type", 1)},
			     .nn_print = {NN(10)}}},
	},
	{
		/* Itaú 2015 Anexos 4-5 */
		.code = 341, .name = "Itaú Unibanco",
		.opts = {{.name = "seu_numero", .alias = "numero_documento", .width = 7,
			  .help = "carteiras 107 122 142 143 196 198"},
			 OPTION("codigo_cliente", 5, NULL, "carteiras 107 122 142 143 196 198")},
		.layouts = {
			/* 20-22 carteira, 23-30 nn, 31-37 seu número, 38-42 código do cliente,
			 * 43 DAC of 20-42, 44 "0" */
			{.name = "carteira especial", .when = itau_special,
			 .campo = {WA(3), NN(8), OPT("seu_numero", 7), OPT("codigo_cliente", 5),
				   CAMPO_DV(BOLETO_DV_MOD10, 1), LIT("0")},
			 .nn_rule = BOLETO_DV_MOD10, .nn_over = {AG(4), AC(5), WA(3), NN(8)},
			 .nn_print = {WA(3), LIT("/"), NN(8)}},
			/* 20-22 carteira, 23-30 nn, 31 DAC (carteira + nn only), 32-35 agência,
			 * 36-40 conta, 41 DAC of agência + conta, 42-44 "000" */
			{.name = "carteira 126/131/146/150/168", .when = itau_short_dac,
			 .campo = {WA(3), NN(8), NN_DV(1), AG(4), AC(5), AC_DV, LIT("000")},
			 .nn_rule = BOLETO_DV_MOD10, .nn_over = {WA(3), NN(8)}, .nn_print = {WA(3), LIT("/"), NN(8)},
			 .ac_dv = ACDV_COMPUTED, .ac_rule = BOLETO_DV_MOD10, .ac_over = {AG(4), AC(5)}},
			/* the same, DAC over agência + conta + carteira + nn */
			{.name = "", .campo = {WA(3), NN(8), NN_DV(1), AG(4), AC(5), AC_DV, LIT("000")},
			 .nn_rule = BOLETO_DV_MOD10, .nn_over = {AG(4), AC(5), WA(3), NN(8)},
			 .nn_print = {WA(3), LIT("/"), NN(8)},
			 .ac_dv = ACDV_COMPUTED, .ac_rule = BOLETO_DV_MOD10, .ac_over = {AG(4), AC(5)}},
		},
	},
	{
		/* peer layout: "7", agência 4 + DV, conta 8 + DV, nn 8, DV, "2" */
		.code = 422, .name = "Safra",
		.opts = {OPTION("agencia_dv", 1, NULL, "required, or --agency NUMBER-D"),
			 OPTION("conta_dv", 1, NULL, ACCOUNT_DV_GIVEN)},
		.layouts = {{.name = "",
			     .campo = {LIT("7"), AG(4), AG_DV, AC(8), AC_DV, NN(8), NN_DV(1), LIT("2")},
			     .nn_rule = BOLETO_DV_MOD11_SAFRA, .nn_over = {NN(8)}, .nn_print = {NN(8)},
			     .ac_dv = ACDV_GIVEN}},
	},
	{
		/* peer layout: agência 4, carteira 3, operação 7, "00", nn 8, DV */
		.code = 707, .name = "Daycoval",
		.layouts = {{.name = "", .campo = {AG(4), WA(3), CV(7), LIT("00"), NN(8), NN_DV(1)},
			     .nn_rule = BOLETO_DV_MOD10, .nn_over = {AG(4), WA(3), NN(8)}, .nn_print = {NN(8)}}},
	},
	{
		/* Sicredi 2014: tipo, carteira "1", nn 9 (ano, byte, seq 5, DV), cooperativa 4,
		 * posto 2, código 5, value flag, "0", DV of the 24 */
		.code = 748, .name = "Sicredi",
		.opts = {OPTION("tipo", 1, NULL, "1 registrada, default; 3 sem registro, default with --wallet 3"),
			 OPTION("posto", 2, NULL, "required"),
			 OPTION("byte", 1, "2", NULL),
			 OPTION("ano", 2, NULL, "default: the due date's year")},
		.prepare = sicredi_prepare,
		.layouts = {{.name = "",
			     .campo = {OPT("tipo", 1), LIT("1"), OPT("ano", 2), OPT("byte", 1), NN(5), NN_DV(1),
				       AG(4), OPT("posto", 2), CV(5), VALUE_FLAG, LIT("0"),
				       CAMPO_DV(BOLETO_DV_MOD11_CEF, 1)},
			     .nn_rule = BOLETO_DV_MOD11_CEF,
			     .nn_over = {AG(4), OPT("posto", 2), CV(5), OPT("ano", 2), OPT("byte", 1), NN(5)},
			     .nn_print = {OPT("ano", 2), LIT("/"), OPT("byte", 1), NN(5)}}},
	},
	{
		/* carteira 1, cooperativa 4, modalidade 2, código do cliente 7, nn 7 + DV, parcela 3;
		 * the DV runs over cooperativa + código (10) + nn */
		.code = 756, .name = "Sicoob",
		.opts = {OPTION("modalidade", 2, "01", NULL), OPTION("parcela", 3, "001", NULL)},
		.layouts = {{.name = "",
			     .campo = {WA(1), AG(4), OPT("modalidade", 2), CV(7), NN(7), NN_DV(1), OPT("parcela", 3)},
			     .nn_rule = BOLETO_DV_MOD11_SICOOB, .nn_over = {AG(4), CV(10), NN(7)},
			     .nn_print = {NN(7)}}},
	},
};
/* clang-format on */

#define NBANKS (sizeof banks / sizeof banks[0])

const struct boleto_bank *boleto_bank_find(int code)
{
	for (size_t i = 0; i < NBANKS; i++)
		if (banks[i].code == code)
			return &banks[i];
	return NULL;
}

const struct boleto_bank *boleto_bank_at(size_t i)
{
	return i < NBANKS ? &banks[i] : NULL;
}
int boleto_bank_code(const struct boleto_bank *b)
{
	return b->code;
}
const char *boleto_bank_name(const struct boleto_bank *b)
{
	return b->name;
}

int boleto_bank_takes_option(const struct boleto_bank *b, const char *key)
{
	return key && opt_index(b, key) >= 0;
}

const char *boleto_bank_option_list(const struct boleto_bank *b, char *buf, size_t n)
{
	size_t used = 0;
	if (n == 0)
		return buf;
	buf[0] = '\0';
	for (int i = 0; i < MAX_OPTS && b->opts[i].name; i++) {
		const struct opt_def *o = &b->opts[i];
		int w = snprintf(buf + used, n - used, "%s%s%s%s", i ? ", " : "", o->name,
		                 o->alias ? " or " : "", o->alias ? o->alias : "");
		if (w >= 0 && (size_t)w < n - used) {
			used += (size_t)w;
			if (o->help)
				w = snprintf(buf + used, n - used, " (%s)", o->help);
			else if (o->dflt && o->dflt[0])
				w = snprintf(buf + used, n - used, " (default %s)", o->dflt);
			else
				w = 0;
		}
		if (w < 0 || (size_t)w >= n - used)
			break;
		used += (size_t)w;
	}
	if (used == 0)
		snprintf(buf, n, "none");
	return buf;
}

/* COMPE codes for naming banks in `check`; the supported ones come from
 * the table above. */
static const struct {
	int code;
	const char *name;
} other_banks[] = {
    {25, "Banco Alfa"},
    {37, "Banpará"},
    {47, "Banese"},
    {69, "Crefisa"},
    {121, "Agibank"},
    {197, "Stone"},
    {208, "BTG Pactual"},
    {212, "Banco Original"},
    {218, "BS2"},
    {246, "Banco ABC Brasil"},
    {260, "Nu Pagamentos"},
    {290, "PagSeguro"},
    {318, "Banco BMG"},
    {323, "Mercado Pago"},
    {380, "PicPay"},
    {389, "Banco Mercantil do Brasil"},
    {399, "HSBC"},
    {403, "Cora"},
    {623, "Banco Pan"},
    {633, "Banco Rendimento"},
    {637, "Banco Sofisa"},
    {643, "Banco Pine"},
    {655, "Banco Votorantim"},
    {745, "Citibank"},
};

const char *boleto_bank_name_of(int code)
{
	const struct boleto_bank *b = boleto_bank_find(code);
	if (b)
		return b->name;
	for (size_t i = 0; i < sizeof other_banks / sizeof other_banks[0]; i++)
		if (other_banks[i].code == code)
			return other_banks[i].name;
	return NULL;
}

/* ---- building a slip ---- */

static const char *part_field(const struct part *p)
{
	switch (p->kind) {
	case P_AGENCY:
		return "agency";
	case P_ACCOUNT:
		return "account";
	case P_WALLET:
		return "wallet";
	case P_AGREEMENT:
		return "agreement";
	case P_NN:
		return "nosso_numero";
	case P_OPT:
		return p->text;
	default:
		return "";
	}
}

static int needs(const struct work *w, const struct part *p, struct diag *d)
{
	if (p->kind == P_OPT)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, p->text, "bank %03d (%s) needs --opt %s=VALUE",
		                w->bank->code, w->bank->name, p->text);
	return diag_set(d, DIAG_ERROR, NULL, 0, 0, part_field(p), "bank %03d (%s) needs the %s",
	                w->bank->code, w->bank->name, part_field(p));
}

#if defined(__GNUC__)
#define COLD __attribute__((cold, noinline))
#else
#define COLD
#endif

/* Why t cannot fill part p; kept out of put_number's fast path. */
COLD static int number_error(const struct work *w, const struct part *p, const struct text *t, struct diag *d)
{
	if (!t->s || t->n == 0)
		return needs(w, p, d);
	if (t->not_digits)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, part_field(p),
		                "'%.*s' is not a number (digits only)", (int)(t->n > 40 ? 40 : t->n), t->s);
	return diag_set(d, DIAG_ERROR, NULL, 0, 0, part_field(p),
	                "'%.*s' has %zu digits; bank %03d (%s) takes at most %u here",
	                (int)(t->n > 40 ? 40 : t->n), t->s, t->sig, w->bank->code, w->bank->name,
	                (unsigned)p->width);
}

/* Writes t left-padded with zeros to width, then keeps from/count. */
static int put_number(const struct work *w, const struct part *p, const struct text *t, char *out,
                      struct diag *d)
{
	struct text tmp;
	if (t->s && !t->scanned) { /* options: scanned here, they are used once */
		tmp = *t;
		scan_text(&tmp);
		t = &tmp;
	}
	if (!t->s || t->n == 0 || t->not_digits || t->sig > p->width)
		return number_error(w, p, t, d);
	size_t take = t->n < p->width ? t->n : p->width;
	size_t zeros = p->width - take;
	const char *src = t->s + t->n - take;
	if (!p->from) {
		/* byte loops: these fields are a few digits long, and library
		 * calls of variable size cost more than the copy */
		for (size_t k = 0; k < zeros; k++)
			out[k] = '0';
		for (size_t k = 0; k < take; k++)
			out[zeros + k] = src[k];
		return p->width;
	}
	/* digit k of the padded number is '0' below zeros, else src[k - zeros] */
	for (size_t k = 0; k < p->count; k++) {
		size_t at = (size_t)p->from - 1 + k;
		out[k] = at < zeros ? '0' : src[at - zeros];
	}
	return p->count;
}

/* Appends the parts to out (cap bytes); returns the new length or -1. */
static int emit(const struct work *w, const struct part *parts, size_t nparts, char *out, size_t cap,
                struct diag *d)
{
	size_t len = 0;
	for (size_t i = 0; i < nparts && parts[i].kind != P_END; i++) {
		const struct part *p = &parts[i];
		size_t need = p->from ? p->count : p->width;
		int n = 0;
		char dv[3];
		if (len + need > cap)
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, "layout", "bank %03d: layout too long",
			                w->bank->code);
		switch (p->kind) {
		case P_LIT:
			memcpy(out + len, p->text, p->width);
			n = p->width;
			break;
		case P_AGENCY:
			n = put_number(w, p, &w->ag, out + len, d);
			break;
		case P_ACCOUNT:
			n = put_number(w, p, &w->ac, out + len, d);
			break;
		case P_WALLET:
			n = put_number(w, p, &w->wa, out + len, d);
			break;
		case P_AGREEMENT:
			n = put_number(w, p, &w->cv, out + len, d);
			break;
		case P_NN:
			n = put_number(w, p, &w->nn, out + len, d);
			break;
		case P_OPT: {
			int oi = opt_index(w->bank, p->text);
			if (oi < 0)
				return diag_set(d, DIAG_ERROR, NULL, 0, 0, "layout",
				                "bank %03d: layout names an undeclared option",
				                w->bank->code);
			struct text t = w->opt[oi];
			if (!t.s && w->bank->opts[oi].dflt && w->bank->opts[oi].dflt[0]) {
				t.s = w->bank->opts[oi].dflt;
				t.n = strlen(t.s);
			}
			n = put_number(w, p, &t, out + len, d);
			break;
		}
		case P_NN_DV:
			if (strlen(w->nn_dv) != p->width || w->nn_dv[0] < '0' || w->nn_dv[0] > '9')
				return diag_set(
				    d, DIAG_ERROR, NULL, 0, 0, "nosso_numero",
				    "bank %03d: the nosso número DV '%s' does not fit the barcode",
				    w->bank->code, w->nn_dv);
			memcpy(out + len, w->nn_dv, p->width);
			n = p->width;
			break;
		case P_AGENCY_DV:
		case P_ACCOUNT_DV: {
			char c = p->kind == P_AGENCY_DV ? w->ag_dv : w->ac_dv;
			const char *what = p->kind == P_AGENCY_DV ? "agencia_dv" : "conta_dv";
			if (!c)
				return diag_set(
				    d, DIAG_ERROR, NULL, 0, 0, what,
				    "bank %03d (%s) needs the %s check digit: --opt %s=D or --%s NUMBER-D",
				    w->bank->code, w->bank->name,
				    p->kind == P_AGENCY_DV ? "agency" : "account", what,
				    p->kind == P_AGENCY_DV ? "agency" : "account");
			if (c < '0' || c > '9')
				return diag_set(d, DIAG_ERROR, NULL, 0, 0, what,
				                "the check digit '%c' does not fit the barcode (digits only)",
				                c);
			out[len] = c;
			n = 1;
			break;
		}
		case P_VALUE_FLAG:
			out[len] = w->rq->amount_cents > 0 ? '1' : '0';
			n = 1;
			break;
		case P_CAMPO_DV:
			if (boleto_dv((enum boleto_dv_rule)p->rule, out, len, dv) != (int)p->width)
				return diag_set(d, DIAG_ERROR, NULL, 0, 0, "layout",
				                "bank %03d: bad campo DV rule", w->bank->code);
			memcpy(out + len, dv, p->width);
			n = p->width;
			break;
		case P_CAMPO:
			if (!w->campo)
				return -1;
			memcpy(out + len, w->campo + p->from - 1, p->count);
			n = p->count;
			break;
		default:
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, "layout", "bank %03d: bad layout part",
			                w->bank->code);
		}
		if (n < 0)
			return -1;
		len += (size_t)n;
	}
	return (int)len;
}

/* "0403005-9" -> "0403005" and DV '9'. */
static void split_dv(const char *s, struct text *t, char *dv)
{
	t->s = NULL;
	t->n = 0;
	t->scanned = 0;
	*dv = 0;
	if (!s || !*s)
		return;
	size_t n = strlen(s);
	if (n >= 3 && s[n - 2] == '-') {
		char c = s[n - 1];
		if (c == 'x' || c == 'p')
			c = (char)(c - 'a' + 'A');
		*dv = c;
		n -= 2;
	}
	t->s = s;
	t->n = n;
}

static void set_text(const char *s, struct text *t)
{
	t->s = s && *s ? s : NULL;
	t->n = t->s ? strlen(s) : 0;
	t->scanned = 0;
}

int boleto_encode(const struct boleto_request *rq, struct boleto_slip *out, struct diag *d)
{
	struct work w;
	char buf[64];

	/* Only what is read before being written is cleared: clearing the
	 * whole work area (buffers included) was a fifth of this function.
	 * split_dv and set_text fill ag, ac, wa, cv, nn below. */
	memset(w.opt, 0, sizeof w.opt);
	memset(w.nn_dv, 0, sizeof w.nn_dv);
	w.campo = NULL;
	w.note = NULL;
	w.rq = rq;
	w.bank = boleto_bank_find(rq->bank);
	if (!w.bank) {
		const char *name = rq->bank >= 1 && rq->bank <= 999 ? boleto_bank_name_of(rq->bank) : NULL;
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "bank",
		                "bank %03d%s%s%s has no campo livre layout in concilia", rq->bank,
		                name ? " (" : "", name ? name : "", name ? ")" : "");
	}
	const struct boleto_bank *b = w.bank;
	split_dv(rq->agency, &w.ag, &w.ag_dv);
	split_dv(rq->account, &w.ac, &w.ac_dv);
	set_text(rq->wallet, &w.wa);
	set_text(rq->agreement, &w.cv);
	set_text(rq->nosso_numero, &w.nn);
	for (size_t i = 0; i < rq->nopts; i++) {
		const struct boleto_opt *o = &rq->opts[i];
		int oi = o->key ? opt_index(b, o->key) : -1;
		if (oi < 0)
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, "opt",
			                "bank %03d (%s) takes no option '%s'; it takes: %s", b->code, b->name,
			                o->key ? o->key : "", boleto_bank_option_list(b, buf, sizeof buf));
		set_text(o->value, &w.opt[oi]);
		if (!w.opt[oi].s)
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, o->key, "--opt %s= has no value", o->key);
	}
	/* conta_dv / agencia_dv options and the "NUMBER-D" form must agree */
	static const char *const dv_opts[2] = {"agencia_dv", "conta_dv"};
	for (int k = 0; k < 2 && rq->nopts; k++) {
		int oi = opt_index(b, dv_opts[k]);
		char *slot = k ? &w.ac_dv : &w.ag_dv;
		if (oi < 0 || !w.opt[oi].s)
			continue;
		if (w.opt[oi].n != 1)
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, dv_opts[k],
			                "a check digit is one character");
		if (*slot && *slot != w.opt[oi].s[0])
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, dv_opts[k],
			                "--opt %s=%c contradicts the DV written after the hyphen (%c)",
			                dv_opts[k], w.opt[oi].s[0], *slot);
		*slot = w.opt[oi].s[0];
	}

	const struct layout *l = NULL;
	for (int i = 0; i < MAX_LAYOUTS && b->layouts[i].campo[0].kind != P_END; i++)
		if (!b->layouts[i].when || b->layouts[i].when(&w)) {
			l = &b->layouts[i];
			break;
		}
	if (!l)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "agreement", "bank %03d (%s): %s", b->code,
		                b->name, b->layout_rule ? b->layout_rule : "no layout fits these inputs");
	if (b->prepare && b->prepare(&w, l, d))
		return -1;
	scan_text(&w.ag);
	scan_text(&w.ac);
	scan_text(&w.wa);
	scan_text(&w.cv);
	scan_text(&w.nn);

	if (l->ac_dv == ACDV_COMPUTED) {
		char dv[3];
		int n = emit(&w, l->ac_over, sizeof l->ac_over / sizeof l->ac_over[0], buf, sizeof buf, d);
		if (n < 0)
			return -1;
		boleto_dv((enum boleto_dv_rule)l->ac_rule, buf, (size_t)n, dv);
		/* A DV from configuration that disagrees is a known peer bug:
		 * refuse it rather than print an account the bank never had. */
		if (w.ac_dv && w.ac_dv != dv[0])
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, "conta_dv",
			                "the account DV given (%c) is not the DAC of agency + account (%c)",
			                w.ac_dv, dv[0]);
		w.ac_dv = dv[0];
	}
	if (l->nn_rule != BOLETO_DV_NONE) {
		int n = emit(&w, l->nn_over, sizeof l->nn_over / sizeof l->nn_over[0], buf, sizeof buf, d);
		if (n < 0)
			return -1;
		boleto_dv((enum boleto_dv_rule)l->nn_rule, buf, (size_t)n, w.nn_dv);
	}
	int n = emit(&w, l->campo, MAX_CAMPO_PARTS, out->campo_livre, BOLETO_CAMPO_LIVRE_LEN, d);
	if (n < 0)
		return -1;
	if (n != BOLETO_CAMPO_LIVRE_LEN)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "layout", "bank %03d: campo livre of %d digits",
		                b->code, n);
	out->campo_livre[BOLETO_CAMPO_LIVRE_LEN] = '\0';

	w.campo = out->campo_livre;
	n = emit(&w, l->nn_print, sizeof l->nn_print / sizeof l->nn_print[0], out->nosso_numero,
	         BOLETO_NN_MAX, d);
	if (n < 0)
		return -1;
	out->nosso_numero[n] = '\0';
	memcpy(out->nosso_numero_dv, w.nn_dv, sizeof out->nosso_numero_dv);

	int64_t cap = b->max_cents ? b->max_cents : BOLETO_MAX_CENTS;
	if (rq->amount_cents > cap)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, "amount",
		                "bank %03d (%s) accepts at most %lld.%02lld in a barcode", b->code, b->name,
		                (long long)(cap / 100), (long long)(cap % 100));
	if (boleto_barcode_build(b->code, rq->due, rq->amount_cents, out->campo_livre, out->barcode, d))
		return -1;
	boleto_barcode_to_linha(out->barcode, out->linha);
	boleto_linha_format(out->linha, BOLETO_LINHA_LEN, out->linha_formatted);
	out->bank = b->code;
	out->factor = rq->due == CDATE_NONE ? 0 : boleto_factor_from_date(rq->due);
	out->layout = l->name;
	out->note = w.note;
	return 0;
}
