/* Pix BR Code ("Pix copia e cola"): the EMV merchant-presented QR payload
 * that carries a Pix key or a charge URL. Encode from a request, decode
 * and validate any text against the Pix rules. Pure: no allocation, no
 * clock, no printing. Rules: reference/pix.md §1-§6 (decoder §4, encoder
 * §5); the decoder's policy agrees with interop/pix/brcode-vectors.tsv. */
#ifndef CONCILIA_BRCODE_H
#define CONCILIA_BRCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"

#define BRCODE_MAX_LEN      512 /* characters in a payload (EMV) */
#define BRCODE_NAME_MAX     25  /* 59 merchant name */
#define BRCODE_CITY_MAX     15  /* 60 merchant city */
#define BRCODE_TXID_MAX     25  /* 62-05 of a static code */
#define BRCODE_KEY_MAX      77  /* 26-01 */
#define BRCODE_URL_MAX      77  /* 26-25 */
#define BRCODE_AMOUNT_MAX   13  /* characters of 54 */
#define BRCODE_TEMPLATE_MAX 99  /* any value: LEN has two digits */
/* 54 as \d+\.\d{2} in at most 13 characters. */
#define BRCODE_MAX_CENTS INT64_C(999999999999)

/* Every object of a payload of BRCODE_MAX_LEN characters fits: each takes
 * at least 4 characters at each of the two levels. */
#define BRCODE_MAX_OBJECTS  256
#define BRCODE_MAX_PROBLEMS 16
#define BRCODE_TOP          255 /* brcode_object.parent of a top-level object */

/* CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final
 * XOR) of len bytes. */
unsigned brcode_crc16(const void *data, size_t len);

/* ---- keys ---- */

enum brcode_key_type {
	BRCODE_KEY_NONE = 0,
	BRCODE_KEY_CPF,   /* 11 digits, check digits right */
	BRCODE_KEY_CNPJ,  /* 14 characters [0-9A-Z], check digits right */
	BRCODE_KEY_EMAIL, /* DICT keeps e-mail keys in lower case */
	BRCODE_KEY_PHONE, /* +55, area code, number: ^\+55\d{10,11}$ */
	BRCODE_KEY_EVP,   /* random key: a UUID 8-4-4-4-12 */
	BRCODE_KEY_UNKNOWN,
};

/* "cpf", "cnpj", "email", "phone", "evp", "unknown", "" for NONE. */
const char *brcode_key_type_name(enum brcode_key_type t);

/* Classifies a key exactly as written in a payload (no clean-up). An
 * 11-digit key whose CPF check digits fail, or 14 characters that are not
 * a CNPJ, is UNKNOWN; *why (may be NULL) then gets a static explanation.
 * An e-mail key with upper-case letters is EMAIL (the caller may warn). */
enum brcode_key_type brcode_key_classify(const char *s, size_t len, const char **why);

/* What the encoder writes: the key a person typed, cleaned the way DICT
 * stores it (CPF/CNPJ punctuation removed, e-mail and random key in lower
 * case, phone blanks/hyphens/parentheses removed) into out (>= 78 bytes).
 * Returns the type, or BRCODE_KEY_NONE with *why set (static string) when
 * the text is no Pix key. */
enum brcode_key_type brcode_key_normalize(const char *s, char *out, const char **why);

/* ---- amounts (54): text on the wire, int64 centavos here ---- */

/* Reads 54 by ^(\d+\.\d{1,2}|\d+\.?|\.\d{2})$ in at most 13 characters.
 * Returns 0 and sets *cents and *canonical (true for \d+\.\d{2}), or -1.
 * Zero is returned as 0 (the decoder refuses it: our policy). */
int brcode_amount_parse(const char *s, size_t len, int64_t *cents, bool *canonical);

/* Writes cents (> 0) as \d+\.\d{2} plus a NUL; returns the length. out
 * needs 24 bytes. */
size_t brcode_amount_format(int64_t cents, char *out);

/* ---- encoding ---- */

struct brcode_request {
	const char *key;         /* static code: the Pix key (any form brcode_key_normalize takes) */
	const char *url;         /* dynamic code: the charge location; a scheme is removed (warning) */
	const char *name;        /* 59, UTF-8; transliterated to ASCII, cut at 25 with a warning */
	const char *city;        /* 60, UTF-8; transliterated to ASCII, cut at 15 with a warning */
	const char *description; /* 26-02, static only; NULL or "" = none; never cut */
	const char *txid;        /* 62-05, static only; NULL or "***" = none */
	const char *postal_code; /* 61, NULL = none; 8 digits, a hyphen allowed */
	int64_t amount_cents;    /* 54, static only; 0 = open amount (54 left out) */
	int initiation;          /* 01: 0 = default (left out; 12 on a dynamic code), 11 or 12 */
};

struct brcode_payload {
	char text[BRCODE_MAX_LEN + 1]; /* ASCII, NUL-terminated */
	size_t len;
};

/* Builds the payload: objects in the order 00 [01] 26 52 53 [54] 58 59
 * 60 [61] 62 63, GUI in lower case, CRC upper case and zero padded.
 * Exactly one of key/url. Problems that change what the payer sees
 * (name or city cut, characters left out, a scheme removed) go to warn
 * (may be NULL) as warnings naming the field ("59"); anything the code
 * cannot carry is refused: returns -1 with d (field named), else 0. The
 * caller should still decode the result (the gate does). */
int brcode_encode(const struct brcode_request *rq, struct brcode_payload *out, diag_sink warn, void *ctx,
                  struct diag *d);

/* ---- decoding ---- */

enum brcode_kind {
	BRCODE_UNKNOWN = 0,
	BRCODE_STATIC,    /* 26-01 key */
	BRCODE_DYNAMIC,   /* 26-25 URL of a charge (cob/cobv) */
	BRCODE_RECURRENCE /* 26 holds only the GUI; the URL is 80-25 (Pix Automático) */
};

/* "static", "dynamic", "recurrence", "unknown". */
const char *brcode_kind_name(enum brcode_kind k);

/* A piece of the payload: s points into the text given to brcode_decode
 * (NULL when absent), len in bytes. */
struct brcode_text {
	const char *s;
	size_t len;
};

struct brcode_object {
	unsigned char id;         /* 0..99 */
	unsigned char parent;     /* BRCODE_TOP, or the ID of the enclosing template */
	unsigned short column;    /* 1-based character position of the ID in the payload */
	unsigned short nchars;    /* LEN: characters (code points), not bytes */
	unsigned short nchildren; /* objects right after this one that are inside it */
	struct brcode_text value;
};

enum brcode_problem_code {
	/* errors: the code must be refused */
	BRCODE_E_EMPTY = 1,
	BRCODE_E_TOO_LONG,      /* more than 512 characters */
	BRCODE_E_LINE_BREAK,    /* CR or LF inside */
	BRCODE_E_UTF8,          /* not UTF-8 */
	BRCODE_E_TLV,           /* ID or LEN not two digits */
	BRCODE_E_TRUNCATED,     /* a value shorter than its LEN */
	BRCODE_E_TEMPLATE,      /* a Pix template (26-51, 62, 80-99) is not ID-LEN-value objects */
	BRCODE_E_AFTER_CRC,     /* data after object 63 */
	BRCODE_E_FIRST,         /* first object is not 00 = "01" */
	BRCODE_E_NO_CRC,        /* last object is not 63 */
	BRCODE_E_CRC_FORMAT,    /* 63 not 4 upper-case hex digits */
	BRCODE_E_CRC_MISMATCH,  /* 63 differs from the CRC of the text */
	BRCODE_E_DUPLICATE,     /* an ID twice at one level */
	BRCODE_E_MISSING,       /* a mandatory object is absent (52, 53, 58, 59, 60) */
	BRCODE_E_NOT_PIX,       /* no template in 26-51 with GUI br.gov.bcb.pix */
	BRCODE_E_KEY_AND_URL,   /* 26 holds both 01 and 25 */
	BRCODE_E_NO_KEY_OR_URL, /* 26 holds neither (and no recurrence URL in 80) */
	BRCODE_E_KEY,           /* 26-01 empty or longer than 77 */
	BRCODE_E_URL,           /* 26-25/80-25 empty, longer than 77, or with http(s):// */
	BRCODE_E_FSS,           /* 26-03 not 8 characters */
	BRCODE_E_INITIATION,    /* 01 not 11 or 12 */
	BRCODE_E_MCC,           /* 52 not 4 digits */
	BRCODE_E_CURRENCY,      /* 53 not 986 */
	BRCODE_E_AMOUNT,        /* 54 not a decimal, longer than 13, or zero */
	BRCODE_E_COUNTRY,       /* 58 not BR */
	BRCODE_E_NAME,          /* 59 empty or longer than 25 */
	BRCODE_E_CITY,          /* 60 empty or longer than 15 */
	BRCODE_E_NO_62,         /* 62 absent */
	BRCODE_E_NO_TXID,       /* 62-05 absent */
	BRCODE_E_TXID,          /* 62-05 neither *** nor 1-25 [A-Za-z0-9] */
	/* warnings: accepted, but worth a look */
	BRCODE_W_NON_ASCII,      /* 59, 60 or 26-02 outside printable ASCII */
	BRCODE_W_AMOUNT_FORM,    /* 54 readable but not \d+\.\d{2} */
	BRCODE_W_POSTAL_CODE,    /* 61 not 8 digits */
	BRCODE_W_DYNAMIC_TXID,   /* dynamic code with a txid in 62-05 (ignored) */
	BRCODE_W_DYNAMIC_AMOUNT, /* dynamic code carrying 54 (ignored) */
	BRCODE_W_KEY_FORMAT,     /* key of no DICT type */
	BRCODE_W_KEY_CASE,       /* e-mail key with upper case */
};

/* "crc_mismatch", "non_ascii", ... (for JSON and tests). */
const char *brcode_problem_name(enum brcode_problem_code c);

struct brcode_problem {
	enum diag_severity severity; /* DIAG_ERROR or DIAG_WARNING */
	enum brcode_problem_code code;
	char field[8]; /* "59", "26-01", "62-05"; "" = the payload as a whole */
	int column;    /* 1-based character position (of the object's ID); 0 = none */
	char msg[200]; /* English, without the field */
};

struct brcode_info {
	enum brcode_kind kind;
	size_t nchars;    /* characters (code points) */
	int initiation;   /* 01: 0 absent, 11, 12 (other values are an error) */
	int pix_template; /* ID (26..51) of the template with the Pix GUI; 0 = none */
	enum brcode_key_type key_type;
	struct brcode_text gui, key, description, fss, url; /* Pix template 00, 01, 02, 03, 25 */
	struct brcode_text mcc, currency, amount, country, name, city, postal_code;
	struct brcode_text txid;           /* 62-05 */
	struct brcode_text recurrence_url; /* 25 of an 80-99 template with the Pix GUI */
	struct brcode_text crc;            /* 63 as written */
	int64_t amount_cents;              /* when amount.s and no error in 54; else 0 */
	bool crc_checked;                  /* crc_computed holds the CRC of the text up to "6304" */
	unsigned crc_computed;
	int nobjects; /* objects in order: each template followed by its children */
	struct brcode_object objects[BRCODE_MAX_OBJECTS];
	int nerrors, nwarnings; /* all of them, even beyond BRCODE_MAX_PROBLEMS */
	int nproblems;          /* stored in problems[] */
	struct brcode_problem problems[BRCODE_MAX_PROBLEMS];
};

/* Decodes and validates s[0..len) (UTF-8; LEN counts characters). Every
 * error and warning found is listed in info->problems; info's texts point
 * into s. Returns 0 when the code is valid (warnings allowed), -1 when it
 * must be refused. Nothing is trimmed: a CR/LF is an error. */
int brcode_decode(const char *s, size_t len, struct brcode_info *info);

/* The standard's name of an object: "merchant name" for (BRCODE_TOP, 59),
 * "txid" for (62, 5), "Pix key" for (26, 1) when 26 is the Pix template
 * (pix_template as in brcode_info). NULL when it has no name we know. */
const char *brcode_object_name(int parent, int id, int pix_template);

#endif
