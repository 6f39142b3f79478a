/* Per-bank part of the boleto: the 25-digit campo livre and the nosso
 * número check digit, for the banks in reference/boleto.md §4. Each bank
 * is a row of a table (codec/boleto_bank.c) listing its campo livre as
 * parts in position order, the DV rule by name and the --opt names it
 * takes; a few banks add a small hook for what a table cannot say.
 * Pure: no clock, no allocation, no printing. */
#ifndef CONCILIA_BOLETO_BANK_H
#define CONCILIA_BOLETO_BANK_H

#include <stddef.h>
#include <stdint.h>

#include "codec/boleto.h"
#include "core/date.h"
#include "core/diag.h"

/* The check-digit rules, one name per variant (weights, direction and the
 * mapping of remainders differ; reference/boleto.md §4). */
enum boleto_dv_rule {
	BOLETO_DV_NONE = 0,
	BOLETO_DV_MOD10,           /* FEBRABAN mod 10 (Itaú DAC, Inter, Daycoval) */
	BOLETO_DV_MOD11_BB,        /* 2..9 from the right, d = (11 - r) mod 11, 10 -> X */
	BOLETO_DV_MOD11_BRADESCO,  /* 2..7, r = 0 -> 0, r = 1 -> P, else 11 - r */
	BOLETO_DV_MOD11_SANTANDER, /* 2..9, r in {0,1} -> 0, r = 10 -> 1, else 11 - r */
	BOLETO_DV_MOD11_CEF,       /* 2..9, 11 - r, > 9 -> 0 (Caixa, Sicredi, Unicred, Ailos) */
	BOLETO_DV_MOD11_BNB,       /* 2..8, 11 - r, > 9 -> 0 */
	BOLETO_DV_MOD11_SICOOB,    /* 3,1,9,7 from the left, r in {0,1} -> 0, else 11 - r */
	BOLETO_DV_MOD11_SAFRA,     /* 2..9, r = 0 -> 1, r = 1 -> 0, else 11 - r */
	BOLETO_DV_BANRISUL_NC,     /* "duplo dígito": mod 10, then mod 11 2..7 with the bump on r = 1 */
	BOLETO_DV_BANESTES_NN,     /* two mod11_cef digits, the second over number + first */
};

/* Computes rule over n digits into out (1 or 2 characters + NUL, so out
 * needs 3 bytes). Returns the length, or -1 for BOLETO_DV_NONE. */
int boleto_dv(enum boleto_dv_rule rule, const char *digits, size_t n, char *out);
/* "mod11_bradesco", "banrisul_nc", ... */
const char *boleto_dv_rule_name(enum boleto_dv_rule rule);

/* One --opt KEY=VALUE. */
struct boleto_opt {
	const char *key;
	const char *value;
};

/* What a beneficiary knows about one slip. Strings are digits as the
 * bank writes them (leading zeros optional); NULL or "" = not given.
 * agency and account may carry their DV after a hyphen ("0403005-9"). */
struct boleto_request {
	int bank; /* COMPE code */
	const char *agency;
	const char *account;
	const char *wallet;       /* carteira */
	const char *agreement;    /* convênio / código do beneficiário / cedente / operação */
	const char *nosso_numero; /* the sequence, without DV */
	cdate due;                /* CDATE_NONE: no due date in the code (factor 0000) */
	int64_t amount_cents;     /* 0: value not fixed */
	const struct boleto_opt *opts;
	size_t nopts;
};

#define BOLETO_NN_MAX 31

struct boleto_slip {
	int bank;
	int factor;
	char nosso_numero[BOLETO_NN_MAX + 1]; /* as printed, without DV ("16/208879") */
	char nosso_numero_dv[3]; /* "" when the layout has none; digits, "P", "X" or two digits */
	char campo_livre[BOLETO_CAMPO_LIVRE_LEN + 1];
	char barcode[BOLETO_BARCODE_LEN + 1];
	char linha[BOLETO_LINHA_LEN + 1];
	char linha_formatted[BOLETO_LINHA_FMT_SIZE];
	const char *layout; /* which layout of the bank was used ("convênio 7"); static */
	const char *note;   /* how an ambiguous input was read, or NULL; static */
};

struct boleto_bank;

/* The bank with generation support for code, or NULL. */
const struct boleto_bank *boleto_bank_find(int code);
/* The i-th supported bank (0-based, ascending codes), NULL past the end. */
const struct boleto_bank *boleto_bank_at(size_t i);
int boleto_bank_code(const struct boleto_bank *b);
const char *boleto_bank_name(const struct boleto_bank *b);
/* 1 when the bank takes --opt key (or an alias of it). */
int boleto_bank_takes_option(const struct boleto_bank *b, const char *key);
/* Writes "posto (required), byte (default 2), ..." (or "none") into buf
 * for help and messages; returns buf. */
const char *boleto_bank_option_list(const struct boleto_bank *b, char *buf, size_t n);

/* Name of any COMPE code concilia knows (also banks it cannot generate
 * for, so that `check` can name them), or NULL. */
const char *boleto_bank_name_of(int code);

/* Builds the slip: nosso número DV, campo livre, barcode, linha. Returns 0,
 * or -1 with d saying which input is wrong and why (field = the input's
 * name: agency, account, wallet, agreement, nosso_numero, due, amount,
 * opt). No allocation, no printf unless an error is reported. */
int boleto_encode(const struct boleto_request *rq, struct boleto_slip *out, struct diag *d);

#endif
