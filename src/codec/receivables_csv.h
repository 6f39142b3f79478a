/* The ERP export of open debts (receivables) as CSV: header row naming the
 * columns in any order. Pure: bytes in, validated rows out. */
#ifndef CONCILIA_RECEIVABLES_CSV_H
#define CONCILIA_RECEIVABLES_CSV_H

#include <stddef.h>
#include <stdint.h>
#include "core/date.h"
#include "core/diag.h"

/* The ERP's view of a receivable. Only OPEN ones may be charged; a payment
 * for a CANCELLED or RENEGOTIATED one is PAID_CLOSED_RECEIVABLE; DISPUTED
 * ones stay open for matching but no charge may be sent while disputed. */
enum receivable_status {
	RECEIVABLE_OPEN = 0,
	RECEIVABLE_CANCELLED = 1,
	RECEIVABLE_DISPUTED = 2,
	RECEIVABLE_RENEGOTIATED = 3,
};

/* "open", "cancelled", "disputed", "renegotiated". */
const char *receivable_status_name(enum receivable_status s);

struct receivable_row {
	long line;                 /* CSV line of the row */
	char id[65];               /* the ERP's id, unique per ledger */
	char debtor_document[15];  /* normalized CPF (11) or CNPJ (14) */
	char debtor_name[121];     /* UTF-8 */
	int64_t amount_cents;      /* face value, > 0 */
	cdate due_date;
	int bank;                  /* 1..999 */
	char nosso_numero_raw[21]; /* as written, trimmed */
	char nosso_numero[21];     /* normalized */
	char pix_txid[36];         /* "" when absent; 26-35 [A-Za-z0-9] */
	cdate issue_date;          /* CDATE_NONE when absent */
	/* Charge terms (README "Receivables CSV"); 0 / CDATE_NONE when absent.
	 * Of each pair "amount or percent" at most one is set. */
	int64_t fine_e4;            /* multa, percent x 10000 (2% = 20000) ... */
	int64_t fine_cents;         /* ... or a fixed amount */
	cdate fine_after;           /* fine only for payments after this date */
	int64_t interest_month_e4;  /* juros de mora per month, percent x 10000 ... */
	int64_t interest_day_cents; /* ... or a fixed amount per day */
	cdate interest_after;       /* interest runs only after this date */
	int64_t rebate_cents;       /* abatimento */
	int64_t discount_cents;     /* discount tier 1: an amount ... */
	int64_t discount_e4;        /* ... or percent x 10000 */
	cdate discount_until;       /* required with a discount */
	int64_t discount2_cents, discount2_e4; /* tiers 2 and 3: later limits */
	cdate discount2_until;
	int64_t discount3_cents, discount3_e4;
	cdate discount3_until;
	enum receivable_status status;
	char email[121];
	char phone[32];            /* digits and a leading '+' only */
	char state[3];             /* UF, uppercase, "" when absent */
	char account[33];          /* collection account label ("" = the bank's only account) */
};

/* fine_after and interest_after are at most this many days after the due
 * date: ten years, far beyond any real grace, within what dates can hold. */
#define RECEIVABLE_MAX_GRACE_DAYS 3660

typedef int (*receivable_fn)(void *ctx, const struct receivable_row *row, struct diag *d);

/* Parses the whole CSV. The first non-blank line is the header. Every row is
 * validated; on the first bad row returns -1 with err as
 * "FILE:LINE: column 'amount': expected an amount like 1234.56 or 1.234,56, found \"12x\""
 * (col = 0, field = column name). Duplicate ids in one file are an error.
 * Unknown columns are ignored with a warning. Returns the number of rows. */
long receivables_csv_parse(const char *filename, const unsigned char *buf, size_t len,
			   receivable_fn on_row, void *ctx, diag_sink warn, void *wctx,
			   struct diag *err);

#endif
