/* Whole-file input: mmap for regular files, a growing buffer for pipes
 * and stdin (which cannot be mapped). */
#include "config.h"

#include "core/fileio.h"
#include "core/sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* What an empty file yields: a valid pointer, so callers need not special
 * case NULL. */
static const unsigned char empty[1];

static int fail(struct diag *d, const char *path, const char *what, int err)
{
	if (d != NULL)
		diag_set(d, DIAG_ERROR, path, 0, 0, NULL, "%s: %s", what, strerror(err));
	return -1;
}

/* Reads fd to its end into a malloc'ed buffer (doubling from 64 KiB). */
static int read_all(int fd, const char *name, struct file_bytes *fb, struct diag *d)
{
	size_t cap = 64 * 1024, len = 0;
	unsigned char *buf = malloc(cap);

	if (buf == NULL)
		return fail(d, name, "cannot read", ENOMEM);
	for (;;) {
		if (len == cap) {
			unsigned char *p = cap <= SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
			if (p == NULL) {
				free(buf);
				return fail(d, name, "cannot read", ENOMEM);
			}
			buf = p;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + len, cap - len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int err = errno;
			free(buf);
			return fail(d, name, "cannot read", err);
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	fb->data = buf;
	fb->len = len;
	fb->mapped = 0;
	fb->owned = buf;
	return 0;
}

int file_bytes_read(const char *path, struct file_bytes *fb, struct diag *d)
{
	memset(fb, 0, sizeof(*fb));
	if (path == NULL)
		return fail(d, "", "cannot open", EINVAL);
	if (strcmp(path, "-") == 0)
		return read_all(STDIN_FILENO, "<stdin>", fb, d);

	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(d, path, "cannot open", errno);

	struct stat st;
	if (fstat(fd, &st) < 0) {
		int err = errno;
		close(fd);
		return fail(d, path, "cannot open", err);
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return fail(d, path, "cannot read", EISDIR);
	}
	if (!S_ISREG(st.st_mode)) {
		/* FIFO, character device, process substitution... */
		int rc = read_all(fd, path, fb, d);
		close(fd);
		return rc;
	}
	if (st.st_size == 0) {
		close(fd);
		fb->data = empty;
		return 0;
	}
	if ((uintmax_t)st.st_size > SIZE_MAX) {
		close(fd);
		return fail(d, path, "cannot map", EFBIG);
	}

	size_t len = (size_t)st.st_size;
	void *p = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		/* Some file systems cannot map; reading still works. */
		int rc = read_all(fd, path, fb, d);
		close(fd);
		return rc;
	}
	/* The descriptor stays open: storing the file copies it in the kernel
	 * from there (file_bytes_write). */
	(void)madvise(p, len, MADV_SEQUENTIAL);
	fb->data = p;
	fb->len = len;
	fb->mapped = 1;
	fb->owned = NULL;
	fb->fd = fd;
	fb->size = (long long)st.st_size;
	fb->mtime_ns = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
	return 0;
}

void file_bytes_release(struct file_bytes *fb)
{
	if (fb == NULL)
		return;
	if (fb->mapped) {
		munmap((void *)fb->data, fb->len);
		close(fb->fd);
	} else
		free(fb->owned);
	memset(fb, 0, sizeof(*fb));
}

void file_bytes_drop(const struct file_bytes *fb, size_t from, size_t to)
{
	if (!fb->mapped || to > fb->len || from >= to)
		return;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t a = (from + page - 1) / page * page, b = to / page * page;
	if (a < b)
		madvise((void *)(fb->data + a), b - a, MADV_DONTNEED);
}

/* SHA-256 of a mapped file read through its descriptor into a small
 * buffer: twice as fast as hashing the mapping (no page faults, which are
 * dear in a virtual machine) and nothing added to the resident set. */
static int sha256_by_read(const struct file_bytes *fb, char *hex)
{
	enum { CHUNK = 1 << 20 };
	unsigned char *buf = malloc(CHUNK);
	struct sha256_ctx *c = buf ? sha256_begin() : NULL;
	size_t off = 0;
	if (!c) {
		free(buf);
		return -1;
	}
	while (off < fb->len) {
		size_t want = fb->len - off < CHUNK ? fb->len - off : CHUNK;
		ssize_t n = pread(fb->fd, buf, want, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || sha256_update(c, buf, (size_t)n) != 0) {
			sha256_end(c, NULL);
			free(buf);
			return -1;
		}
		off += (size_t)n;
	}
	free(buf);
	return sha256_end(c, hex);
}

int file_bytes_sha256(const struct file_bytes *fb, char *hex)
{
	if (fb->mapped && fb->len > (1u << 20))
		return sha256_by_read(fb, hex);
	return sha256_hex(fb->data, fb->len, hex);
}

/* Kernel-side copy of the mapped file (page cache to page cache). Returns 1
 * when done, 0 when the file system cannot (caller falls back to write),
 * -1 on error (errno set). */
static int copy_mapped(const struct file_bytes *fb, int fd)
{
	struct stat st;
	if (fstat(fb->fd, &st) != 0)
		return -1;
	if ((long long)st.st_size != fb->size ||
	    (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec != fb->mtime_ns) {
		errno = ESTALE;
		return -1;
	}
	loff_t in = 0;
	size_t done = 0;
	while (done < fb->len) {
		ssize_t n = copy_file_range(fb->fd, &in, fd, NULL, fb->len - done, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && done == 0 &&
		    (errno == ENOSYS || errno == EXDEV || errno == EINVAL || errno == EOPNOTSUPP || errno == EBADF))
			return 0;
		if (n < 0)
			return -1;
		if (n == 0) { /* shorter than when it was mapped */
			errno = ESTALE;
			return -1;
		}
		done += (size_t)n;
	}
	return 1;
}

int file_bytes_write(const struct file_bytes *fb, int fd)
{
	enum { WINDOW = 8 << 20 };
	size_t off = 0;
	if (fb->mapped) {
		int rc = copy_mapped(fb, fd);
		if (rc != 0)
			return rc < 0 ? -1 : 0;
	}
	while (off < fb->len) {
		size_t n = fb->len - off < WINDOW ? fb->len - off : WINDOW;
		size_t done = 0;
		while (done < n) {
			ssize_t w = write(fd, fb->data + off + done, n - done);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return -1;
			done += (size_t)w;
		}
		file_bytes_drop(fb, off, off + n);
		off += n;
	}
	return 0;
}
