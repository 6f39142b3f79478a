/* The original bytes of every imported file, kept forever beside the
 * ledger and named by their SHA-256 (content-addressed, like git objects):
 * written once, never modified, safe against a crash at any point
 * (temporary name, fsync, rename, fsync of the folder). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ledger/ledger_internal.h"

static int make_dir(const char *path)
{
	return mkdir(path, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

static int sync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

int ledger_store_file(struct ledger *lg, const char *sha256, const struct file_bytes *fb, char *rel, size_t n,
		      struct diag *d)
{
	char top[600], sub[620], final[720], tmp[760];
	snprintf(top, sizeof top, "%s.files", lg->path);
	snprintf(sub, sizeof sub, "%s/%.2s", top, sha256);
	snprintf(final, sizeof final, "%s/%s", sub, sha256);
	/* Relative to the ledger's folder, so that the pair can be moved. */
	char base[600];
	snprintf(base, sizeof base, "%s", lg->path);
	snprintf(rel, n, "%s.files/%.2s/%s", basename(base), sha256, sha256);

	struct stat sb;
	if (stat(final, &sb) == 0 && (size_t)sb.st_size == fb->len)
		return 0;
	if (make_dir(top) || make_dir(sub))
		return diag_set(d, DIAG_ERROR, sub, 0, 0, NULL, "cannot create the file store: %s", strerror(errno));
	snprintf(tmp, sizeof tmp, "%s.tmp.%ld", final, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0444);
	if (fd < 0)
		return diag_set(d, DIAG_ERROR, tmp, 0, 0, NULL, "cannot write: %s", strerror(errno));
	if (file_bytes_write(fb, fd) != 0) {
		int e = errno;
		close(fd);
		unlink(tmp);
		return diag_set(d, DIAG_ERROR, tmp, 0, 0, NULL, "cannot write: %s", strerror(e));
	}
	if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, final) != 0 || sync_dir(sub) != 0) {
		int e = errno;
		unlink(tmp);
		return diag_set(d, DIAG_ERROR, final, 0, 0, NULL, "cannot store the file: %s", strerror(e));
	}
	return 0;
}
