/* The pure pieces of the matcher: payer documents (full and masked), ids
 * found in free text (rule R2), and the exact-sum search of R5/R6. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "reconcile/outcome.h"
#include "reconcile/payer.h"
#include "reconcile/subset_sum.h"
#include "reconcile/text_refs.h"

static void payer_documents(void **state)
{
	(void)state;
	assert_int_equal(payer_compare("52998224725", false, "52998224725"), PAYER_SAME);
	assert_int_equal(payer_compare("11222333000181", false, "52998224725"), PAYER_DIFFERENT);
	assert_int_equal(payer_compare("", false, "52998224725"), PAYER_UNKNOWN);
	/* The Pix receipt mask shows digits 4 to 9 of a CPF. */
	assert_int_equal(payer_compare("***982247**", true, "52998224725"), PAYER_PARTIAL);
	assert_int_equal(payer_compare("***982248**", true, "52998224725"), PAYER_DIFFERENT);
	/* A mask that hides everything proves nothing. */
	assert_int_equal(payer_compare("***********", true, "52998224725"), PAYER_UNKNOWN);
	/* A full document flagged partial is still only partial evidence. */
	assert_int_equal(payer_compare("52998224725", true, "52998224725"), PAYER_PARTIAL);
}

static void refs_in_text(void **state)
{
	(void)state;
	char out[8][TEXT_REF_MAX];
	size_t n = text_refs_extract("Pagamento NF-2026/0042, ref. A-17; boleto 12 de novembro. Obrigado!", out, 8);
	assert_int_equal(n, 3);
	assert_string_equal(out[0], "NF-2026/0042");
	assert_string_equal(out[1], "A-17");
	assert_string_equal(out[2], "12");
	/* Words without digits are prose; repeats count once; joiners at the
	 * ends are not part of the id. */
	n = text_refs_extract("--R-1001-- e R-1001. pix", out, 8);
	assert_int_equal(n, 1);
	assert_string_equal(out[0], "R-1001");
	assert_int_equal(text_refs_extract(NULL, out, 8), 0);
	assert_int_equal(text_refs_extract("Transferência recebida", out, 8), 0);
	/* At most max. */
	assert_int_equal(text_refs_extract("a1 b2 c3 d4", out, 2), 2);
}

static void exact_sums(void **state)
{
	(void)state;
	int pick[SUBSET_MAX_K], k;
	int64_t v[] = {10000, 25000, 7050, 40000};
	/* One combination: 25 000 + 7 050. */
	assert_int_equal(subset_sum_find(v, 4, 32050, 2, 5, pick, &k), 1);
	assert_int_equal(k, 2);
	assert_int_equal(v[pick[0]] + v[pick[1]], 32050);
	/* None. */
	assert_int_equal(subset_sum_find(v, 4, 1, 2, 5, pick, &k), 0);
	/* A single item is not "many": kmin 2. */
	assert_int_equal(subset_sum_find(v, 4, 40000, 2, 5, pick, &k), 0);
	/* Two different ways: ambiguous. */
	int64_t w[] = {100, 200, 300, 400};
	assert_int_equal(subset_sum_find(w, 4, 500, 2, 5, pick, &k), 2);
	/* Too many items to search: said, not guessed. */
	int64_t many[SUBSET_MAX_N + 1] = {0};
	assert_int_equal(subset_sum_find(many, SUBSET_MAX_N + 1, 5, 2, 5, pick, &k), -1);
	/* All five. */
	int64_t five[] = {1, 2, 4, 8, 16};
	assert_int_equal(subset_sum_find(five, 5, 31, 2, 5, pick, &k), 1);
	assert_int_equal(k, 5);
}

static void category_names(void **state)
{
	(void)state;
	/* Every category has a stable name and a Portuguese label, and the
	 * name maps back. */
	for (int c = 0; c < OUTCOME_COUNT; c++) {
		const char *name = outcome_name((enum outcome_category)c);
		assert_true(strlen(name) > 0);
		assert_true(strlen(outcome_label_pt((enum outcome_category)c)) > 0);
		assert_int_equal(outcome_from_name(name), c);
	}
	assert_true(outcome_needs_human(OUTCOME_AMBIGUOUS));
	assert_true(outcome_needs_human(OUTCOME_REVERSAL));
	assert_false(outcome_needs_human(OUTCOME_DUPLICATE_EVENT));
}

static void payer_mismatch_decision(void **state)
{
	(void)state;
	struct outcome_input in = {.paid_cents = 15000, .receivable_found = true, .payer_mismatch = true};
	in.expected.face_cents = in.expected.total_cents = 15000;
	struct outcome_decision d;
	outcome_decide(&in, &d);
	assert_int_equal(d.category, OUTCOME_PAYER_MISMATCH);
	assert_int_equal(d.allocated_cents, 0);
	assert_int_equal(d.excess_cents, 15000);
	assert_false(d.settles);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(payer_documents), cmocka_unit_test(refs_in_text),
		cmocka_unit_test(exact_sums),	   cmocka_unit_test(category_names),
		cmocka_unit_test(payer_mismatch_decision),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
