/* The ledger lock of the drop-folder hook. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "inbox/inbox_lock.h"

/* The pid the holder wrote into the file, 0 when unreadable. */
static long read_holder(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

int inbox_lock_take(const char *db_path, bool wait, struct inbox_lock *lk, long *holder, struct diag *d)
{
	char path[1100];
	lk->fd = -1;
	*holder = 0;
	snprintf(path, sizeof path, "%s.lock", db_path);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return diag_set(d, DIAG_ERROR, path, 0, 0, NULL, "cannot open the ledger's lock file: %s",
		                strerror(errno));
	while (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
		if (errno == EINTR && wait)
			continue;
		if (errno == EWOULDBLOCK) {
			*holder = read_holder(fd);
			close(fd);
			return 1;
		}
		int e = errno;
		close(fd);
		return diag_set(d, DIAG_ERROR, path, 0, 0, NULL, "cannot lock: %s", strerror(e));
	}
	/* Who holds it, for the message of the next one that tries. */
	char pid[32];
	int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
		/* the pid is only informative: the lock is what counts */
	}
	lk->fd = fd;
	return 0;
}

void inbox_lock_release(struct inbox_lock *lk)
{
	if (lk->fd >= 0) {
		/* The pid is left: a reader may find a stale number, never a
		 * stale lock (that is the kernel's). */
		close(lk->fd);
		lk->fd = -1;
	}
}
