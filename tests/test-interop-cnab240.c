/* Interop: every CNAB 240 sample of ../shared/interop/cnab (returns and
 * statements of all banks, the CNAB 240 remittances, the malformed files)
 * against tests/data/interop-cnab240.tsv, which says for each file what
 * the reader must do with it (row format and rules: tests/interop-table.h,
 * the runner shared with the CNAB 400 test). Skipped when the interop
 * folder is absent. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "codec/cnab240.h"
#include "interop-table.h"

/* Folders under cnab/ whose files this table covers. */
static const char *const covered[] = {"cnab240", "remessa/cnab240", "malformed", NULL};

static void test_interop_cnab240(void **state)
{
	static const struct interop_table table = {"tests/data/interop-cnab240.tsv", covered, cnab240_parse};
	(void)state;
	interop_table_check(&table);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_interop_cnab240),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
