/* Filing a file away from the drop folder: dated folders, names that are
 * never reused, and moves that a kill at any instant leaves either not
 * done or done (never half done, never overwriting, never deleting a file
 * that is not safe elsewhere). */
#ifndef CONCILIA_INBOX_FILE_H
#define CONCILIA_INBOX_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/diag.h"

/* Picks where NAME goes: ROOT/KIND/DAY/NAME (DAY: "YYYY-MM-DD"),
 * or NAME with ".2", ".3"... before its extension when that name is taken
 * (with_error_txt: NAME.error.txt must be free too), or promised to a
 * move not yet done (reserved, may be NULL: another drop folder filing
 * into the same archive whose run was interrupted). Creates the folders
 * (and makes their entries durable). out >= 4096 bytes. Returns 0 or -1
 * with d. */
int inbox_reserve(const char *root, const char *kind, const char *name, const char *day, bool with_error_txt,
                  bool (*reserved)(void *ctx, const char *path), void *ctx, char *out, size_t n,
                  struct diag *d);

/* Moves src to dst, which must not exist: rename without replace on one
 * file system; across file systems a copy to a temporary name beside dst,
 * fsync, rename into place, fsync of the folder, and only then src
 * removed. Both folders are synced before it returns. Returns 0, or -1
 * with d (src is then still in place). */
int inbox_move(const char *src, const char *dst, struct diag *d);

/* Writes text to path, which must not exist yet: temporary name, fsync,
 * link into place. Returns 0, 1 when path already exists (left as it is),
 * or -1 with d. */
int inbox_write_new(const char *path, const char *text, size_t len, struct diag *d);

/* Removes the temporary files (".concilia-partial.*") a killed run left in
 * dir (missing dir: nothing to do). Only with the ledger lock held. */
void inbox_clean_partial(const char *dir);

/* fsync of a folder (its entries: a rename, a new file). */
int inbox_sync_dir(const char *dir);

/* Tests only: CONCILIA_TEST_DELAY_MS=N sleeps N ms at the points where a
 * kill is most interesting (inside the import transaction, between a
 * commit and the move, between a cross-file-system copy and the removal
 * of the original), so that a kill test lands there often. Unset: nothing. */
void inbox_test_pause(void);

#endif
