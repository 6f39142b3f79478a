/* Reading input files whole, without surprises: regular files are mapped
 * (no per-record allocation, constant RSS growth only from the page cache),
 * pipes and stdin are read into a growing buffer. */
#ifndef CONCILIA_FILEIO_H
#define CONCILIA_FILEIO_H

#include <stddef.h>
#include "core/diag.h"

struct file_bytes {
	const unsigned char *data;
	size_t len;
	int mapped;   /* internal */
	void *owned;  /* internal */
};

/* "-" reads stdin. Returns 0, or -1 with d filled (file name and the
 * system's reason). Release with file_bytes_release. Empty files are fine. */
int file_bytes_read(const char *path, struct file_bytes *fb, struct diag *d);
void file_bytes_release(struct file_bytes *fb);

#endif
