/* What a Brazilian bank's OFX memo says about a Pix or transfer: OFX has
 * no payer fields, so the payer's name and document, and sometimes the
 * Pix endToEndId, exist only as text that each bank writes its own way
 * (README "OFX statements" lists the shapes read). Pure text in, fields
 * out; nothing is guessed beyond the shapes listed there. */
#ifndef CONCILIA_OFX_MEMO_H
#define CONCILIA_OFX_MEMO_H

#include <stddef.h>

struct ofx_memo {
	char payer_name[81];        /* UTF-8, blanks collapsed; "" when not found */
	char payer_document[15];    /* CPF/CNPJ (check digits verified) or a masked CPF
	                             * "***123456**"; "" when not found */
	int payer_document_partial; /* payer_document is masked */
	char end_to_end_id[33];     /* a Pix endToEndId written in the text, or "" */
	char refund_id[33];         /* a Pix devolução id (rtrId, "D..."), or "" */
	int is_pix;                 /* the text names Pix */
	int is_reversal;            /* devolução / estorno / reembolso of a Pix */
};

/* Reads memo (MEMO) and name (NAME; either may be NULL or empty), both
 * UTF-8. Always fills *out (zeroed first). */
void ofx_memo_read(const char *memo, const char *name, struct ofx_memo *out);

/* True when memo is a balance line that some banks list as a transaction
 * ("SALDO DO DIA", "SALDO ANTERIOR", "S A L D O"): not a movement. */
int ofx_memo_is_balance(const char *memo);

#endif
