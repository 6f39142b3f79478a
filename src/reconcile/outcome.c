/* Deciding the outcome of one payment: pure, so every branch is unit-tested. */
#include "config.h"
#include <stdio.h>
#include <string.h>

#include "core/money.h"
#include "core/text.h"
#include "reconcile/outcome.h"

static const struct {
	const char *name;
	const char *label_pt;
	bool needs_human;
} categories[OUTCOME_COUNT] = {
	[OUTCOME_MATCHED_EXACT] = {"MATCHED_EXACT", "Pago no valor exato", false},
	[OUTCOME_MATCHED_WITH_CHARGES] = {"MATCHED_WITH_CHARGES", "Pago com multa e juros corretos", false},
	[OUTCOME_MATCHED_WITH_DISCOUNT] = {"MATCHED_WITH_DISCOUNT", "Pago com desconto correto", false},
	[OUTCOME_UNDERPAID] = {"UNDERPAID", "Pago a menor (saldo em aberto)", true},
	[OUTCOME_OVERPAID] = {"OVERPAID", "Pago a maior (crédito do pagador)", true},
	[OUTCOME_DUPLICATE_PAYMENT] = {"DUPLICATE_PAYMENT", "Pagamento em duplicidade", true},
	[OUTCOME_UNKNOWN_REFERENCE] = {"UNKNOWN_REFERENCE", "Nosso número desconhecido", true},
	[OUTCOME_PAID_CLOSED_RECEIVABLE] = {"PAID_CLOSED_RECEIVABLE", "Pago após cancelamento ou baixa", true},
	[OUTCOME_REGISTRATION_REJECTED] = {"REGISTRATION_REJECTED", "Registro do boleto rejeitado", true},
	[OUTCOME_FEE_ONLY] = {"FEE_ONLY", "Tarifa bancária (despesa)", false},
	[OUTCOME_BANK_WRITEOFF] = {"BANK_WRITEOFF", "Baixa pelo banco (sem pagamento)", false},
	[OUTCOME_BANK_PROTEST] = {"BANK_PROTEST", "Protesto", false},
	[OUTCOME_UNKNOWN_OCCURRENCE] = {"UNKNOWN_OCCURRENCE", "Código de ocorrência desconhecido", true},
	[OUTCOME_AMBIGUOUS] = {"AMBIGUOUS", "Ambíguo (mais de um título possível)", true},
	[OUTCOME_UNIDENTIFIED_CREDIT] = {"UNIDENTIFIED_CREDIT", "Crédito não identificado", true},
	[OUTCOME_PAYER_MISMATCH] = {"PAYER_MISMATCH", "Pago por outro CPF/CNPJ", true},
	[OUTCOME_DATE_ANOMALY] = {"DATE_ANOMALY", "Datas incoerentes", true},
	[OUTCOME_REVERSAL] = {"REVERSAL", "Devolução ou estorno", true},
	[OUTCOME_BANK_CHARGES_DIFFER] = {"BANK_CHARGES_DIFFER", "Encargos do banco diferentes dos calculados", true},
	[OUTCOME_DUPLICATE_EVENT] = {"DUPLICATE_EVENT", "Evento repetido (ignorado)", false},
	[OUTCOME_EXPECTED_NOT_RECEIVED] = {"EXPECTED_NOT_RECEIVED", "Vencido sem pagamento", false},
};

const char *outcome_name(enum outcome_category c)
{
	return c < OUTCOME_COUNT ? categories[c].name : "UNKNOWN";
}

const char *outcome_label_pt(enum outcome_category c)
{
	return c < OUTCOME_COUNT ? categories[c].label_pt : "";
}

enum outcome_category outcome_from_name(const char *name)
{
	for (int c = 0; c < OUTCOME_COUNT; c++)
		if (name && strcmp(name, categories[c].name) == 0)
			return (enum outcome_category)c;
	return OUTCOME_COUNT;
}

bool outcome_needs_human(enum outcome_category c)
{
	return c >= OUTCOME_COUNT || categories[c].needs_human;
}

void outcome_decide(const struct outcome_input *in, struct outcome_decision *out)
{
	char paid[32], due[32], diff[32];
	memset(out, 0, sizeof *out);
	money_format(in->paid_cents, paid, sizeof paid);

	if (!in->receivable_found) {
		out->category = OUTCOME_UNKNOWN_REFERENCE;
		out->excess_cents = in->paid_cents;
		snprintf(out->detail, sizeof out->detail,
			 "no receivable has this nosso número at this bank; %s unapplied", paid);
		return;
	}
	if (in->payer_mismatch) {
		out->category = OUTCOME_PAYER_MISMATCH;
		out->excess_cents = in->paid_cents;
		snprintf(out->detail, sizeof out->detail,
			 "the reference matches, but the payer's document is not the debtor's; %s unapplied "
			 "until someone confirms a third-party payment",
			 paid);
		return;
	}
	if (in->receivable_cancelled) {
		out->category = OUTCOME_PAID_CLOSED_RECEIVABLE;
		out->excess_cents = in->paid_cents;
		snprintf(out->detail, sizeof out->detail,
			 "receivable was %s; %s received must be refunded or re-applied",
			 in->closed_state ? in->closed_state : "cancelled", paid);
		return;
	}
	if (in->receivable_settled || in->expected.total_cents - in->already_allocated <= 0) {
		/* Money really arrived twice: never re-settle, keep it as credit. */
		out->category = OUTCOME_DUPLICATE_PAYMENT;
		out->excess_cents = in->paid_cents;
		snprintf(out->detail, sizeof out->detail,
			 "receivable was already settled by an earlier payment; %s is a payer credit", paid);
		return;
	}

	int64_t still_due = in->expected.total_cents - in->already_allocated;
	out->expected_cents = still_due;
	money_format(still_due, due, sizeof due);
	if (in->paid_cents == still_due) {
		out->allocated_cents = in->paid_cents;
		out->settles = true;
		const struct expected_amount *e = &in->expected;
		if (e->fine_cents + e->interest_cents > 0) {
			char fine[32], interest[32];
			out->category = OUTCOME_MATCHED_WITH_CHARGES;
			money_format(e->fine_cents, fine, sizeof fine);
			money_format(e->interest_cents, interest, sizeof interest);
			snprintf(out->detail, sizeof out->detail,
				 "paid %s = face + fine %s + interest %s (%d days late)", paid, fine, interest,
				 e->days_late);
		} else if (e->discount_cents > 0) {
			char disc[32];
			out->category = OUTCOME_MATCHED_WITH_DISCOUNT;
			money_format(e->discount_cents, disc, sizeof disc);
			snprintf(out->detail, sizeof out->detail, "paid %s = face - discount %s", paid, disc);
		} else {
			out->category = OUTCOME_MATCHED_EXACT;
			/* "paid %s as expected%s", without printf: most payments */
			size_t n = text_append(out->detail, sizeof out->detail, 0, "paid ");
			n = text_append(out->detail, sizeof out->detail, n, paid);
			n = text_append(out->detail, sizeof out->detail, n, " as expected");
			if (in->already_allocated)
				text_append(out->detail, sizeof out->detail, n, " (balance of an earlier partial payment)");
		}
		return;
	}
	if (in->paid_cents < still_due) {
		out->category = OUTCOME_UNDERPAID;
		out->allocated_cents = in->paid_cents;
		money_format(still_due - in->paid_cents, diff, sizeof diff);
		snprintf(out->detail, sizeof out->detail, "paid %s, expected %s: %s stays open", paid, due, diff);
		return;
	}
	out->category = OUTCOME_OVERPAID;
	out->allocated_cents = still_due;
	out->excess_cents = in->paid_cents - still_due;
	out->settles = true;
	money_format(out->excess_cents, diff, sizeof diff);
	snprintf(out->detail, sizeof out->detail, "paid %s, expected %s: %s excess is a payer credit", paid,
		 due, diff);
}
