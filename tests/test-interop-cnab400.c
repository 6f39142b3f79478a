/* Interop: every CNAB 400 sample of ../shared/interop/cnab (returns of all
 * banks, the CNAB 400 remittances, the malformed files, all 400-ish)
 * against tests/data/interop-cnab400.tsv, which says for each file what
 * the reader must do with it, with the layout to force where the header
 * carries another bank's code (row format and rules: tests/interop-table.h,
 * the runner shared with the CNAB 240 test). Skipped when the interop
 * folder is absent. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "codec/cnab400.h"
#include "interop-table.h"

/* Folders under cnab/ whose files this table covers. */
static const char *const covered[] = {"cnab400", "remessa/cnab400", "malformed", NULL};

static void test_interop_cnab400(void **state)
{
	static const struct interop_table table = {"tests/data/interop-cnab400.tsv", covered, cnab400_parse};
	(void)state;
	interop_table_check(&table);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_interop_cnab400),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
