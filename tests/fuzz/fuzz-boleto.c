/* libFuzzer target for the boleto checker: any bytes must give a verdict
 * (valid, or problems and a message), never a crash or undefined
 * behaviour, and a valid verdict must be self-consistent: both forms
 * re-check as valid and convert into each other. Inputs starting with
 * '#' instead drive the encoder ("#BANK\nagency\naccount\nwallet\n
 * agreement\nnosso número\nKEY=VALUE..."), whose every slip must check. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec/boleto.h"
#include "codec/boleto_bank.h"
#include "core/date.h"
#include "core/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REFERENCE 20254 /* 2025-06-15 */

static void check_valid(const struct boleto_info *in)
{
	struct boleto_info again;
	struct diag d;
	char conv[BOLETO_ARREC_LINHA_LEN + 1];

	if (strlen(in->barcode) != BOLETO_BARCODE_LEN)
		abort();
	size_t ll = strlen(in->linha);
	if (in->kind == BOLETO_BANCARIO) {
		if (ll != BOLETO_LINHA_LEN || in->barcode[0] == '8' || in->barcode[3] != '9' ||
		    in->barcode[4] == '0')
			abort();
		boleto_barcode_to_linha(in->barcode, conv);
		if (strcmp(conv, in->linha) != 0)
			abort();
		if (in->due_status == BOLETO_DUE_DATE && (boleto_factor_from_date(in->due) != in->factor ||
		                                          !boleto_due_in_window(in->due, REFERENCE)))
			abort();
		if (in->due_status != BOLETO_DUE_DATE && in->due != CDATE_NONE)
			abort();
		if (in->amount_cents < 0 || in->amount_cents > BOLETO_MAX_CENTS)
			abort();
	} else {
		if (ll != BOLETO_ARREC_LINHA_LEN || in->barcode[0] != '8')
			abort();
		if (boleto_arrec_barcode_to_linha(in->barcode, conv) != 0 || strcmp(conv, in->linha) != 0)
			abort();
	}
	if (boleto_check(in->barcode, BOLETO_BARCODE_LEN, REFERENCE, &again, &d) != 0 ||
	    strcmp(again.linha, in->linha) != 0 || again.kind != in->kind)
		abort();
	if (boleto_check(in->linha, ll, REFERENCE, &again, &d) != 0 ||
	    strcmp(again.barcode, in->barcode) != 0)
		abort();
	char f[BOLETO_LINHA_FMT_SIZE];
	if (boleto_linha_format(in->linha, ll, f) == 0 ||
	    boleto_check(f, strlen(f), REFERENCE, &again, &d) != 0 || strcmp(again.barcode, in->barcode) != 0)
		abort();
}

/* Splits "#BANK\nfield\nfield..." into a request; fields are NUL-terminated
 * copies in buf. */
static void fuzz_encode(const uint8_t *data, size_t size)
{
	char buf[512];
	char *field[16];
	int nf = 0;
	struct boleto_opt opts[8];
	struct boleto_request rq = {0};
	struct boleto_slip s;
	struct diag d;

	if (size >= sizeof buf)
		return;
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	field[nf++] = buf;
	for (char *p = buf; *p && nf < 16; p++)
		if (*p == '\n') {
			*p = '\0';
			field[nf++] = p + 1;
		}
	rq.bank = atoi(field[0]);
	const char **slot[5] = {&rq.agency, &rq.account, &rq.wallet, &rq.agreement, &rq.nosso_numero};
	for (int i = 0; i < 5 && i + 1 < nf; i++)
		*slot[i] = field[i + 1];
	for (int i = 6; i < nf && rq.nopts < 8; i++) {
		char *eq = strchr(field[i], '=');
		if (!eq)
			continue;
		*eq = '\0';
		opts[rq.nopts].key = field[i];
		opts[rq.nopts].value = eq + 1;
		rq.nopts++;
	}
	rq.opts = opts;
	rq.due = REFERENCE + (cdate)(size % 97);
	rq.amount_cents = (int64_t)(size * 1234567) % 100000000;
	if (boleto_encode(&rq, &s, &d) != 0) {
		if (d.msg[0] == '\0')
			abort();
		return;
	}
	struct boleto_info in;
	if (boleto_check(s.barcode, strlen(s.barcode), REFERENCE, &in, &d) != 0 || in.bank != rq.bank ||
	    in.amount_cents != rq.amount_cents || in.due != rq.due || strcmp(in.linha, s.linha) != 0 ||
	    strlen(s.campo_livre) != BOLETO_CAMPO_LIVRE_LEN || strcmp(in.campo_livre, s.campo_livre) != 0)
		abort();
	check_valid(&in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct boleto_info in;
	struct diag d;

	if (size > 0 && data[0] == '#') {
		fuzz_encode(data, size);
		return 0;
	}
	diag_clear(&d);
	int rc = boleto_check((const char *)data, size, REFERENCE, &in, &d);
	if ((rc == 0) != (in.nproblems == 0))
		abort();
	if (rc == 0)
		check_valid(&in);
	else if (d.msg[0] == '\0' || in.nproblems > BOLETO_MAX_PROBLEMS)
		abort();
	return 0;
}
