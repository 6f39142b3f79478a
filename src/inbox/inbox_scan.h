/* What is in a drop folder, and what of it may be taken: the names the
 * hook never touches, the regular files it lists, and whether some process
 * still has a file open for writing. Readiness as a whole (settle time,
 * completeness) is decided by inbox.c from these facts. */
#ifndef CONCILIA_INBOX_SCAN_H
#define CONCILIA_INBOX_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <time.h>

#include "core/diag.h"

/* Names that are never taken: dot-files (hidden, and what rsync and many
 * clients upload under) and the temporary names of transfer clients
 * (*.part, *.filepart, *.partial, *.tmp, *.temp, *.crdownload, *.swp,
 * *~, *.error.txt of our own rejected/). Case-insensitive suffixes. */
bool inbox_name_ignored(const char *name);

struct inbox_entry {
	char name[256];
	struct stat st;
	time_t changed; /* the later of mtime and ctime: a client can set the
	                 * mtime back (sftp -p), not the ctime */
};

/* The regular files directly in dir whose names are not ignored, sorted by
 * name (sub-folders such as processed/, and symbolic links, are skipped).
 * Returns 0 with a malloc'ed array (free()), or -1 with d. */
int inbox_list(const char *dir, struct inbox_entry **out, size_t *n, struct diag *d);

enum inbox_writers {
	INBOX_CLOSED,  /* nobody has the file open for writing */
	INBOX_WRITING, /* some process is writing it */
	INBOX_UNKNOWN, /* cannot tell (another owner without CAP_LEASE, a
	                * file system without leases): the settle time decides */
};

/* Probes with a read lease (F_SETLEASE F_RDLCK, refused while any process
 * has the file open for writing), released at once. The process must
 * ignore SIGIO (a writer that opens the file meanwhile breaks the lease
 * with it). */
enum inbox_writers inbox_writers(const char *path);

#endif
