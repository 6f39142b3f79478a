/* Listing a drop folder and probing its files. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "inbox/inbox_scan.h"

static bool has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);
	return n > s && strcasecmp(name + n - s, suffix) == 0;
}

bool inbox_name_ignored(const char *name)
{
	/* WinSCP: .filepart; FileZilla/lftp/curl and others: .part, .partial;
	 * many scripts: .tmp/.temp; browsers: .crdownload; editors: .swp, ~. */
	static const char *const suffixes[] = {".part",       ".filepart", ".partial",   ".tmp",  ".temp",
	                                       ".crdownload", ".swp",      ".error.txt", ".lock", NULL};
	if (name[0] == '.' || name[0] == '\0')
		return true;
	if (name[strlen(name) - 1] == '~')
		return true;
	for (size_t i = 0; suffixes[i]; i++)
		if (has_suffix(name, suffixes[i]))
			return true;
	return false;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct inbox_entry *)a)->name, ((const struct inbox_entry *)b)->name);
}

int inbox_list(const char *dir, struct inbox_entry **out, size_t *n, struct diag *d)
{
	*out = NULL;
	*n = 0;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return diag_set(d, DIAG_ERROR, dir, 0, 0, NULL, "cannot read the drop folder: %s",
		                strerror(errno));
	DIR *dp = fdopendir(dfd);
	if (!dp) {
		close(dfd);
		return diag_set(d, DIAG_ERROR, dir, 0, 0, NULL, "cannot read the drop folder: %s",
		                strerror(errno));
	}
	size_t cap = 0;
	struct dirent *de;
	errno = 0;
	while ((de = readdir(dp)) != NULL) {
		if (inbox_name_ignored(de->d_name) || strlen(de->d_name) >= sizeof(*out)->name)
			continue;
		struct stat st;
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
			continue; /* gone meanwhile, a folder, a link, a fifo */
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			struct inbox_entry *more = realloc(*out, cap * sizeof **out);
			if (!more) {
				closedir(dp);
				free(*out);
				*out = NULL;
				*n = 0;
				return diag_set(d, DIAG_ERROR, dir, 0, 0, NULL, "out of memory");
			}
			*out = more;
		}
		struct inbox_entry *e = &(*out)[(*n)++];
		snprintf(e->name, sizeof e->name, "%s", de->d_name);
		e->st = st;
		e->changed = st.st_mtime > st.st_ctime ? st.st_mtime : st.st_ctime;
	}
	closedir(dp);
	if (*n > 1)
		qsort(*out, *n, sizeof **out, by_name);
	return 0;
}

enum inbox_writers inbox_writers(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return INBOX_UNKNOWN;
	enum inbox_writers w;
	if (fcntl(fd, F_SETLEASE, F_RDLCK) == 0) {
		fcntl(fd, F_SETLEASE, F_UNLCK);
		w = INBOX_CLOSED;
	} else {
		w = errno == EAGAIN || errno == EBUSY ? INBOX_WRITING : INBOX_UNKNOWN;
	}
	close(fd);
	return w;
}
