/* The two receivable sources give the same answers: every lookup the
 * matcher makes (reference, txid, ERP id, a debtor's receivables by full
 * document, by the masked CPF of a Pix receipt, by any other mask) is
 * asked of the ledger and of the in-memory cache of a ledger large enough
 * for the cache's parallel build (24 000 receivables, 3 000 debtors, due
 * dates shared within a debtor so that the id breaks ties, every kind of
 * charge terms, state calendars), and every field of the views compared. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/calendar.h"
#include "core/date.h"
#include "ledger/ledger.h"
#include "reconcile/recv_source.h"
#include "reconcile/reconcile.h"

enum { RECEIVABLES = 24000, DEBTORS = 3000, MAXLIST = 64 };

struct fixture {
	char dir[64];
	char path[128];
	struct ledger *lg;
	struct reconcile_options opt;
	struct calendar *cal;
	struct recv_source ledger_src, cache_src;
};

static void cpf_of(int debtor, char out[15])
{
	/* Debtors 0-9 share CPF digits 4-9 in pairs: a masked receipt fits
	 * two of them. */
	snprintf(out, 15, "%03d%06d%02d", debtor % 1000, debtor < 10 ? 123456 : 100000 + debtor, debtor % 97);
}

static void doc_of(int debtor, char out[15])
{
	if (debtor % 5 == 4)
		snprintf(out, 15, "%014d", 11222333 + debtor); /* a CNPJ */
	else
		cpf_of(debtor, out);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/concilia-test-recv.XXXXXX");
	if (!f || !mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/ledger.db", f->dir);
	struct diag d;
	if (ledger_open(f->path, true, &f->lg, NULL, &d) != 0 || ledger_begin(f->lg, &d) != 0)
		return -1;
	uint32_t seed = 12345;
	for (int i = 0; i < RECEIVABLES; i++) {
		struct receivable_row r;
		memset(&r, 0, sizeof r);
		seed = seed * 1103515245u + 12345u;
		int debtor = (int)((seed >> 8) % DEBTORS);
		snprintf(r.id, sizeof r.id, "R%06d", i + 1);
		doc_of(debtor, r.debtor_document);
		snprintf(r.debtor_name, sizeof r.debtor_name, "Debtor %d", debtor);
		r.amount_cents = 1000 + (int64_t)(seed % 90000);
		/* Few distinct due dates: many ties within a debtor. */
		r.due_date = date_from_ymd(2026, 1 + (int)((seed >> 4) % 12), 1 + (int)((seed >> 12) % 3) * 10);
		r.bank = i % 2 ? 237 : 341;
		snprintf(r.nosso_numero_raw, sizeof r.nosso_numero_raw, "%011d", i + 1);
		snprintf(r.nosso_numero, sizeof r.nosso_numero, "%d", i + 1);
		if (i % 7 == 0)
			snprintf(r.pix_txid, sizeof r.pix_txid, "TXID%026d", i + 1);
		r.issue_date = i % 4 ? CDATE_NONE : r.due_date - 30;
		r.fine_after = r.interest_after = r.discount_until = CDATE_NONE;
		r.discount2_until = r.discount3_until = CDATE_NONE;
		/* Every kind of terms: percent or fixed fine and interest, grace
		 * days, one to three discount tiers, a rebate; a state calendar. */
		if (i % 6 == 1)
			r.fine_cents = 250;
		else
			r.fine_e4 = 20000;
		if (i % 6 == 2)
			r.interest_day_cents = 33;
		else
			r.interest_month_e4 = 10000;
		if (i % 9 == 3) {
			r.fine_after = r.due_date + 2;
			r.interest_after = r.due_date + 5;
		}
		if (i % 3 == 0) {
			r.discount_cents = 100;
			r.discount_until = r.due_date - 10;
		}
		if (i % 15 == 0) {
			r.discount2_e4 = 5000;
			r.discount2_until = r.due_date - 5;
			r.discount3_cents = 20;
			r.discount3_until = r.due_date;
		}
		if (i % 11 == 0)
			r.rebate_cents = 150;
		snprintf(r.state, sizeof r.state, "%s", i % 8 == 0 ? "SP" : i % 8 == 1 ? "RJ" : "");
		r.status = i % 13 == 0 ? RECEIVABLE_CANCELLED : i % 17 == 0 ? RECEIVABLE_DISPUTED : RECEIVABLE_OPEN;
		enum ledger_change change;
		if (ledger_receivable_put(f->lg, "test.csv", &r, &change, &d) != 0) {
			fprintf(stderr, "%s\n", d.msg);
			return -1;
		}
	}
	if (ledger_commit(f->lg, &d) != 0)
		return -1;
	f->opt.today = date_from_ymd(2026, 11, 24);
	f->opt.interest_start = INTEREST_FROM_EFFECTIVE_DUE;
	f->cal = calendar_new();
	if (!f->cal || !calendar_state(f->cal, "SP") ||
	    calendar_add_annual_holiday(calendar_state(f->cal, "SP"), 1, 25, "Aniversário de São Paulo"))
		return -1;
	f->opt.calendar = f->cal;
	recv_source_ledger(&f->ledger_src, f->lg, &f->opt);
	if (recv_source_load(&f->cache_src, f->lg, &f->opt, &d) != 0) {
		fprintf(stderr, "%s\n", d.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[160];
	recv_source_free(&f->cache_src);
	ledger_close(f->lg);
	calendar_free(f->cal);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static void same_view(const struct recv_view *a, const struct recv_view *b)
{
	assert_int_equal(a->rowid, b->rowid);
	assert_string_equal(a->id, b->id);
	assert_string_equal(a->debtor_document, b->debtor_document);
	assert_string_equal(a->nosso_numero, b->nosso_numero);
	assert_string_equal(a->pix_txid, b->pix_txid);
	assert_int_equal(a->bank, b->bank);
	assert_int_equal(a->amount_cents, b->amount_cents);
	assert_int_equal(a->status, b->status);
	assert_int_equal(a->issue_date, b->issue_date);
	assert_ptr_equal(a->calendar, b->calendar);
	const struct charge_terms *x = &a->terms, *y = &b->terms;
	assert_int_equal(x->face_cents, y->face_cents);
	assert_int_equal(x->due_date, y->due_date);
	assert_int_equal(x->rebate_cents, y->rebate_cents);
	for (int k = 0; k < CHARGE_DISCOUNT_TIERS; k++) {
		assert_int_equal(x->discounts[k].cents, y->discounts[k].cents);
		assert_int_equal(x->discounts[k].e4, y->discounts[k].e4);
		assert_int_equal(x->discounts[k].until, y->discounts[k].until);
	}
	assert_int_equal(x->fine_e4, y->fine_e4);
	assert_int_equal(x->fine_cents, y->fine_cents);
	assert_int_equal(x->fine_grace_days, y->fine_grace_days);
	assert_int_equal(x->interest_month_e4, y->interest_month_e4);
	assert_int_equal(x->interest_day_cents, y->interest_day_cents);
	assert_int_equal(x->interest_grace_days, y->interest_grace_days);
	assert_int_equal(x->interest_start, y->interest_start);
	assert_int_equal(a->allocated_cents, b->allocated_cents);
	assert_int_equal(a->settled, b->settled);
	assert_string_equal(a->bank_state, b->bank_state);
}

static void single_lookups_agree(void **state)
{
	struct fixture *f = *state;
	struct diag d;
	struct recv_view a, b;
	for (int i = 0; i < RECEIVABLES; i++) {
		char nn[16], id[16], txid[40];
		int bank = i % 2 ? 237 : 341;
		snprintf(nn, sizeof nn, "%d", i + 1);
		assert_int_equal(recv_by_ref(&f->ledger_src, bank, nn, &a, &d), 1);
		assert_int_equal(recv_by_ref(&f->cache_src, bank, nn, &b, &d), 1);
		same_view(&a, &b);
		assert_int_equal(recv_by_ref(&f->cache_src, bank == 237 ? 341 : 237, nn, &b, &d), 0);
		snprintf(id, sizeof id, "R%06d", i + 1);
		assert_int_equal(recv_by_ext_id(&f->cache_src, id, &b, &d), 1);
		same_view(&a, &b);
		snprintf(txid, sizeof txid, "TXID%026d", i + 1);
		int want = i % 7 == 0;
		assert_int_equal(recv_by_txid(&f->ledger_src, txid, &a, &d), want);
		assert_int_equal(recv_by_txid(&f->cache_src, txid, &b, &d), want);
		if (want)
			same_view(&a, &b);
	}
	assert_int_equal(recv_by_ref(&f->cache_src, 237, "99999999", &b, &d), 0);
	assert_int_equal(recv_by_ext_id(&f->cache_src, "R999999", &b, &d), 0);
}

static void same_list(struct fixture *f, const char *pattern)
{
	struct diag d;
	static struct recv_view a[MAXLIST], b[MAXLIST];
	int na = recv_of_debtor(&f->ledger_src, pattern, a, MAXLIST, &d);
	int nb = recv_of_debtor(&f->cache_src, pattern, b, MAXLIST, &d);
	assert_true(na >= 0);
	assert_int_equal(na, nb);
	for (int i = 0; i < na && i < MAXLIST; i++)
		same_view(&a[i], &b[i]);
}

static void debtor_lists_agree(void **state)
{
	struct fixture *f = *state;
	for (int debtor = 0; debtor < DEBTORS; debtor++) {
		char doc[15], masked[15];
		doc_of(debtor, doc);
		same_list(f, doc);
		cpf_of(debtor, masked);
		memcpy(masked, "***", 3);
		memcpy(masked + 9, "**", 2); /* the masked CPF of a Pix receipt */
		if (debtor % 10 == 0)
			same_list(f, masked);
	}
	same_list(f, "***123456**"); /* fits several debtors */
	same_list(f, "0*0100020*0");  /* another mask: a scan */
	same_list(f, "00000000000");  /* nobody */
}

static void applied_money_is_seen(void **state)
{
	struct fixture *f = *state;
	struct diag d;
	struct recv_view b;
	assert_int_equal(recv_by_ref(&f->cache_src, 341, "3", &b, &d), 1);
	recv_applied(&f->cache_src, b.rowid, 500, false);
	recv_applied(&f->cache_src, b.rowid, 700, true);
	assert_int_equal(recv_by_ref(&f->cache_src, 341, "3", &b, &d), 1);
	assert_int_equal(b.allocated_cents, 1200);
	assert_true(b.settled);
	recv_applied(&f->cache_src, b.rowid, -700, false);
	recv_bank_state(&f->cache_src, b.rowid, "written_off");
	assert_int_equal(recv_by_ext_id(&f->cache_src, "R000003", &b, &d), 1);
	assert_int_equal(b.allocated_cents, 500);
	assert_false(b.settled);
	assert_string_equal(b.bank_state, "written_off");
	/* Unknown ids change nothing and do not crash. */
	recv_applied(&f->cache_src, 0, 1, true);
	recv_applied(&f->cache_src, RECEIVABLES + 10, 1, true);
	recv_bank_state(&f->cache_src, -4, "protested");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(single_lookups_agree),
	    cmocka_unit_test(debtor_lists_agree),
	    cmocka_unit_test(applied_money_is_seen), /* last: it changes the cache */
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
