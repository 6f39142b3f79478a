/* The attention command: a user's shell command run when a human is
 * needed (a file rejected or held, a reconciliation with exceptions), with
 * what happened in its environment. It may fail or hang: that is reported,
 * it never stops the hook nor costs a file. */
#ifndef CONCILIA_INBOX_HOOK_H
#define CONCILIA_INBOX_HOOK_H

#include "core/diag.h"

/* Runs `/bin/sh -c cmd` with the variables of env ("NAME=value" strings,
 * NULL-terminated) added to the environment, stdin from /dev/null, in its
 * own process group, with default signal dispositions and an empty signal
 * mask. Waits at most timeout_s seconds, then kills the group. *status is
 * its exit status (128 + signal when killed). Returns 0 when it ran (any
 * status), -1 with d when it could not be started or had to be killed. */
int inbox_hook_run(const char *cmd, char *const *env, int timeout_s, int *status, struct diag *d);

#endif
