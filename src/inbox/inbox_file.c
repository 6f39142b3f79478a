/* Dated folders, free names and crash-safe moves. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "inbox/inbox_file.h"

void inbox_test_pause(void)
{
	static long ms = -1;
	if (ms < 0) {
		const char *s = getenv("CONCILIA_TEST_DELAY_MS");
		ms = s && *s ? strtol(s, NULL, 10) : 0;
		if (ms < 0)
			ms = 0;
	}
	if (ms > 0) {
		struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
		}
	}
}

void inbox_clean_partial(const char *dir)
{
	DIR *dp = opendir(dir);
	if (!dp)
		return;
	struct dirent *de;
	while ((de = readdir(dp)) != NULL)
		if (strncmp(de->d_name, ".concilia-partial.", 18) == 0)
			unlinkat(dirfd(dp), de->d_name, 0);
	closedir(dp);
}

int inbox_sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

/* The folder part of path, in buf. */
static const char *dir_of(const char *path, char *buf, size_t n)
{
	snprintf(buf, n, "%s", path);
	char *slash = strrchr(buf, '/');
	if (!slash)
		snprintf(buf, n, ".");
	else if (slash == buf)
		buf[1] = '\0';
	else
		*slash = '\0';
	return buf;
}

/* mkdir that is fine with an existing folder; a new one is made durable
 * in its parent. */
static int make_dir(const char *path, struct diag *d)
{
	char parent[4096];
	if (mkdir(path, 0755) == 0) {
		inbox_sync_dir(dir_of(path, parent, sizeof parent));
		return 0;
	}
	struct stat sb;
	if (errno == EEXIST && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return 0;
	return diag_set(d, DIAG_ERROR, path, 0, 0, NULL, "cannot create the folder: %s", strerror(errno));
}

static bool exists(const char *path)
{
	struct stat sb;
	return lstat(path, &sb) == 0 || errno != ENOENT;
}

int inbox_reserve(const char *root, const char *kind, const char *name, const char *date, bool with_error_txt,
                  bool (*reserved)(void *ctx, const char *path), void *ctx, char *out, size_t n,
                  struct diag *d)
{
	char top[4096], day[4096];
	if (snprintf(top, sizeof top, "%s/%s", root, kind) >= (int)sizeof top ||
	    snprintf(day, sizeof day, "%s/%s", top, date) >= (int)sizeof day)
		return diag_set(d, DIAG_ERROR, root, 0, 0, NULL, "folder name too long");
	if (make_dir(root, d) || make_dir(top, d) || make_dir(day, d))
		return -1;
	/* "CB240101.RET" -> "CB240101.2.RET": the counter goes before the
	 * extension, so the copy still opens with the same program. */
	const char *dot = strrchr(name, '.');
	size_t stem = dot && dot != name ? (size_t)(dot - name) : strlen(name);
	for (long i = 1; i < 100000; i++) {
		char errpath[4200];
		int len = i == 1 ? snprintf(out, n, "%s/%s", day, name)
		                 : snprintf(out, n, "%s/%.*s.%ld%s", day, (int)stem, name, i, name + stem);
		if (len < 0 || (size_t)len >= n)
			return diag_set(d, DIAG_ERROR, day, 0, 0, NULL, "file name too long: %s", name);
		snprintf(errpath, sizeof errpath, "%s.error.txt", out);
		if (!exists(out) && !(with_error_txt && exists(errpath)) && !(reserved && reserved(ctx, out)))
			return 0;
	}
	return diag_set(d, DIAG_ERROR, day, 0, 0, NULL, "no free name for %s", name);
}

/* Renames without ever replacing: renameat2(RENAME_NOREPLACE), else (a
 * file system without it) link + unlink, whose in-between state (two names
 * of one inode) the recovery of an interrupted run recognizes. */
static int rename_noreplace(const char *src, const char *dst)
{
	if (renameat2(AT_FDCWD, src, AT_FDCWD, dst, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
		return -1;
	if (link(src, dst) != 0)
		return -1;
	return unlink(src);
}

/* Copies src's bytes, mode and times to a new file tmp, made durable. */
static int copy_durable(const char *src, const char *tmp, struct diag *d)
{
	int in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return diag_set(d, DIAG_ERROR, src, 0, 0, NULL, "cannot read: %s", strerror(errno));
	struct stat sb;
	int out = -1;
	if (fstat(in, &sb) != 0 || (out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
		int e = errno;
		close(in);
		return diag_set(d, DIAG_ERROR, tmp, 0, 0, NULL, "cannot write: %s", strerror(e));
	}
	static char buf[1 << 16];
	ssize_t r;
	int rc = 0;
	while ((r = read(in, buf, sizeof buf)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			rc = -1;
			break;
		}
		for (ssize_t off = 0; off < r;) {
			ssize_t w = write(out, buf + off, (size_t)(r - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				rc = -1;
				break;
			}
			off += w;
		}
		if (rc)
			break;
	}
	struct timespec times[2] = {sb.st_atim, sb.st_mtim};
	if (rc == 0 && (fchmod(out, sb.st_mode & 07777) != 0 || futimens(out, times) != 0 || fsync(out) != 0))
		rc = -1;
	int e = errno;
	close(in);
	if (close(out) != 0 && rc == 0) {
		rc = -1;
		e = errno;
	}
	if (rc) {
		unlink(tmp);
		return diag_set(d, DIAG_ERROR, tmp, 0, 0, NULL, "cannot copy %s: %s", src, strerror(e));
	}
	return 0;
}

int inbox_move(const char *src, const char *dst, struct diag *d)
{
	char sdir[4096], ddir[4096];
	dir_of(src, sdir, sizeof sdir);
	dir_of(dst, ddir, sizeof ddir);
	if (rename_noreplace(src, dst) == 0) {
		if (inbox_sync_dir(ddir) != 0 || inbox_sync_dir(sdir) != 0)
			return diag_set(d, DIAG_ERROR, ddir, 0, 0, NULL, "cannot sync the folder: %s",
			                strerror(errno));
		return 0;
	}
	if (errno != EXDEV)
		return diag_set(d, DIAG_ERROR, src, 0, 0, NULL, "cannot move to %s: %s", dst,
		                strerror(errno));

	/* Another file system. The temporary name is fixed per destination:
	 * one left by a killed run (we hold the ledger lock, so nobody else
	 * writes here) is stale and goes. */
	char tmp[4300];
	const char *base = strrchr(dst, '/');
	snprintf(tmp, sizeof tmp, "%s/.concilia-partial.%s", ddir, base ? base + 1 : dst);
	if (unlink(tmp) != 0 && errno != ENOENT)
		return diag_set(d, DIAG_ERROR, tmp, 0, 0, NULL, "cannot remove a stale copy: %s",
		                strerror(errno));
	if (copy_durable(src, tmp, d))
		return -1;
	if (rename_noreplace(tmp, dst) != 0) {
		int e = errno;
		unlink(tmp);
		return diag_set(d, DIAG_ERROR, dst, 0, 0, NULL, "cannot file the copy: %s", strerror(e));
	}
	if (inbox_sync_dir(ddir) != 0)
		return diag_set(d, DIAG_ERROR, ddir, 0, 0, NULL, "cannot sync the folder: %s",
		                strerror(errno));
	/* The copy is durable under its final name: now, and only now, the
	 * original may go. */
	inbox_test_pause();
	if (unlink(src) != 0 || inbox_sync_dir(sdir) != 0)
		return diag_set(d, DIAG_ERROR, src, 0, 0, NULL,
		                "filed as %s, but cannot remove the original: %s", dst, strerror(errno));
	return 0;
}

int inbox_write_new(const char *path, const char *text, size_t len, struct diag *d)
{
	char tmp[4300], dir[4096];
	if (exists(path))
		return 1;
	dir_of(path, dir, sizeof dir);
	const char *base = strrchr(path, '/');
	snprintf(tmp, sizeof tmp, "%s/.concilia-partial.%s", dir, base ? base + 1 : path);
	unlink(tmp);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return diag_set(d, DIAG_ERROR, tmp, 0, 0, NULL, "cannot write: %s", strerror(errno));
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	int ok = off == len && fsync(fd) == 0;
	int e = errno;
	if (close(fd) != 0)
		ok = 0;
	if (!ok) {
		unlink(tmp);
		return diag_set(d, DIAG_ERROR, path, 0, 0, NULL, "cannot write: %s", strerror(e));
	}
	if (rename_noreplace(tmp, path) != 0) {
		e = errno;
		unlink(tmp);
		if (e == EEXIST)
			return 1;
		return diag_set(d, DIAG_ERROR, path, 0, 0, NULL, "cannot write: %s", strerror(e));
	}
	inbox_sync_dir(dir);
	return 0;
}
