/* The interop check of a CNAB reader: every sample file of the folders it
 * covers under ../shared/interop/cnab (or $CONCILIA_INTEROP/cnab) is read
 * and compared with a table (tests/data/interop-*.tsv) that says for each
 * file what the reader must do with it:
 *   PATH <TAB> ok <TAB> [layout=NAME] TITLES [nn=X] [paid=1.23] [kind=NAME] [warnings=N]
 *   PATH <TAB> error <TAB> [layout=NAME] SUBSTRING
 * (layout= forces a built-in layout, as an account configuration does). A
 * file on disk without a row fails the test, so that new samples get
 * triaged; a row without its file fails too, so the table stays true. */
#ifndef CONCILIA_TEST_INTEROP_TABLE_H
#define CONCILIA_TEST_INTEROP_TABLE_H

#include <stddef.h>

#include "codec/cnab240.h"

/* cnab240_parse, cnab400_parse. */
typedef int (*interop_parse_fn)(const struct layout *layout, const char *filename, const unsigned char *buf,
                                size_t len, struct cnab_file_info *info, cnab_event_fn on_event, void *ctx,
                                diag_sink warn, void *wctx, struct diag *err);

struct interop_table {
	const char *name;           /* "tests/data/interop-cnab240.tsv", from top_srcdir */
	const char *const *covered; /* folders under cnab/, NULL-terminated */
	interop_parse_fn parse;
};

/* Runs the check inside a cmocka test: fails it with every disagreement
 * listed, or skips it when the interop folder is absent. */
void interop_table_check(const struct interop_table *table);

/* Calls fn for every event of every file the table says is read `ok`, in
 * table order, with the file's path under cnab/ (layout forced as the row
 * says). Skips the cmocka test when the interop folder is absent; fails it
 * when such a file no longer reads. */
typedef void (*interop_event_fn)(void *ctx, const char *rel, const struct bank_event *ev);
void interop_table_each_event(const struct interop_table *table, interop_event_fn fn, void *ctx);

#endif
