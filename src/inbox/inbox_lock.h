/* One drop-folder hook per ledger at a time: an flock on DB.lock beside
 * the ledger, held for the whole run (the kernel drops it when the process
 * dies, however it dies, so a killed run never leaves a stale lock). The
 * lock file is never removed: removing it would let two processes lock two
 * different files of the same name. */
#ifndef CONCILIA_INBOX_LOCK_H
#define CONCILIA_INBOX_LOCK_H

#include <stdbool.h>
#include "core/diag.h"

struct inbox_lock {
	int fd; /* -1 when not held */
};

/* Takes the lock of the ledger at db_path. Returns 0 when held; 1 when
 * another process holds it and wait is false (*holder = its pid, or 0
 * when unknown); -1 with d on error. With wait, blocks until it is free. */
int inbox_lock_take(const char *db_path, bool wait, struct inbox_lock *lk, long *holder, struct diag *d);

/* Releases the lock (no-op when not held). */
void inbox_lock_release(struct inbox_lock *lk);

#endif
