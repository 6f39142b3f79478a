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
	int fd;       /* internal: the mapped file, kept open for file_bytes_write */
	long long size, mtime_ns; /* internal: the file as mapped, to notice changes */
};

/* "-" reads stdin. Returns 0, or -1 with d filled (file name and the
 * system's reason). Release with file_bytes_release. Empty files are fine. */
int file_bytes_read(const char *path, struct file_bytes *fb, struct diag *d);
void file_bytes_release(struct file_bytes *fb);

/* Tells the kernel that bytes [from, to) of a mapped file will not be
 * needed soon: their pages leave this process's resident set (they stay in
 * the page cache, and reading them again is a cheap minor fault). Keeps the
 * RSS of a 200 MB import flat. No-op for buffers that are not mapped. */
void file_bytes_drop(const struct file_bytes *fb, size_t from, size_t to);

/* Writes the whole content to fd. A mapped file is copied by the kernel
 * (copy_file_range: no pass through this process's memory) after checking
 * that it still has the size and modification time it had when mapped
 * (ESTALE otherwise: it changed while being read); other buffers are
 * written in windows dropped behind the write. Returns 0, or -1 with errno
 * set. */
int file_bytes_write(const struct file_bytes *fb, int fd);

/* SHA-256 of the whole content (a large mapped file is read through its
 * descriptor rather than the mapping). */
int file_bytes_sha256(const struct file_bytes *fb, char *hex);

#endif
