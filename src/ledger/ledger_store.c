/* The original bytes of every imported file, kept forever beside the
 * ledger and named by their SHA-256 (content-addressed, like git objects):
 * written once, never modified, safe against a crash at any point
 * (temporary name, fsync, rename, fsync of the folder). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
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

/* Where a file's bytes go, and the copy being made of them. */
struct store_copy {
	char top[600], sub[620], final[720], tmp[760];
	const struct file_bytes *fb;
	int state; /* 0: already stored, 1: tmp written and synced, -1: failed (err) */
	struct diag err;
};

static void store_paths(struct ledger *lg, const char *sha256, struct store_copy *c)
{
	snprintf(c->top, sizeof c->top, "%s.files", lg->path);
	snprintf(c->sub, sizeof c->sub, "%s/%.2s", c->top, sha256);
	snprintf(c->final, sizeof c->final, "%s/%s", c->sub, sha256);
	snprintf(c->tmp, sizeof c->tmp, "%s.tmp.%ld", c->final, (long)getpid());
}

/* Removes the temporary copies of this file left by a process killed in
 * the middle of storing it (another pid's name). Only a process holding
 * the ledger's write lock stores a file, and its temporary copy is renamed
 * or removed before it lets go: any other one is dead. */
static void store_remove_stale(const struct store_copy *c)
{
	const char *name = strrchr(c->tmp, '/') + 1;
	size_t stem = strlen(name) - strlen(strrchr(name, '.')) + 1; /* "<sha256>.tmp." */
	DIR *dir = opendir(c->sub);
	if (!dir)
		return;
	struct dirent *e;
	while ((e = readdir(dir)) != NULL)
		if (strncmp(e->d_name, name, stem) == 0 && strcmp(e->d_name, name) != 0)
			(void)unlinkat(dirfd(dir), e->d_name, 0);
	closedir(dir);
}

/* Copies the bytes to the temporary name and syncs them (c->state). */
static void store_copy_bytes(struct store_copy *c)
{
	struct stat sb;
	diag_clear(&c->err);
	c->state = -1;
	if (stat(c->final, &sb) == 0 && (size_t)sb.st_size == c->fb->len) {
		c->state = 0;
		return;
	}
	if (make_dir(c->top) || make_dir(c->sub)) {
		diag_set(&c->err, DIAG_ERROR, c->sub, 0, 0, NULL, "cannot create the file store: %s", strerror(errno));
		return;
	}
	store_remove_stale(c);
	int fd = open(c->tmp, O_WRONLY | O_CREAT | O_TRUNC, 0444);
	if (fd < 0) {
		diag_set(&c->err, DIAG_ERROR, c->tmp, 0, 0, NULL, "cannot write: %s", strerror(errno));
		return;
	}
	if (file_bytes_write(c->fb, fd) != 0 || fsync(fd) != 0) {
		int e = errno;
		close(fd);
		unlink(c->tmp);
		diag_set(&c->err, DIAG_ERROR, c->tmp, 0, 0, NULL, "cannot write: %s",
			 e == ESTALE ? "the file changed while it was being imported" : strerror(e));
		return;
	}
	if (close(fd) != 0) {
		int e = errno;
		unlink(c->tmp);
		diag_set(&c->err, DIAG_ERROR, c->tmp, 0, 0, NULL, "cannot write: %s", strerror(e));
		return;
	}
	c->state = 1;
}

/* Gives the synced copy its final name: from here on the store has it. */
static int store_publish(struct store_copy *c, struct diag *d)
{
	if (c->state < 0) {
		*d = c->err;
		return -1;
	}
	if (c->state == 1 && (rename(c->tmp, c->final) != 0 || sync_dir(c->sub) != 0)) {
		int e = errno;
		unlink(c->tmp);
		return diag_set(d, DIAG_ERROR, c->final, 0, 0, NULL, "cannot store the file: %s", strerror(e));
	}
	return 0;
}

/* A copy made by a second thread while the file is parsed: the copy and
 * its fsync (0.25 s for a 230 MB return) leave the import's critical path. */
struct ledger_store_job {
	pthread_t thread;
	char sha256[65];
	struct store_copy copy;
};

static void *store_main(void *arg)
{
	struct ledger_store_job *job = arg;
	/* Lowest CPU priority: the copy fills the gaps of the parser and the
	 * event writer instead of taking a core from them (on two cores the
	 * three threads would otherwise share). Only this thread is lowered. */
	(void)setpriority(PRIO_PROCESS, (id_t)gettid(), 19);
	store_copy_bytes(&job->copy);
	return NULL;
}

int ledger_store_start(struct ledger *lg, const char *sha256, const struct file_bytes *fb, struct diag *d)
{
	ledger_store_cancel(lg);
	struct ledger_store_job *job = calloc(1, sizeof *job);
	if (!job)
		return diag_set(d, DIAG_ERROR, lg->path, 0, 0, NULL, "out of memory");
	snprintf(job->sha256, sizeof job->sha256, "%s", sha256);
	store_paths(lg, sha256, &job->copy);
	job->copy.fb = fb;
	if (pthread_create(&job->thread, NULL, store_main, job) != 0) {
		free(job); /* ledger_store_file will copy in this thread */
		return 0;
	}
	lg->store_job = job;
	return 0;
}

/* Waits for the background copy, if any; the job is the caller's. */
static struct ledger_store_job *store_join(struct ledger *lg)
{
	struct ledger_store_job *job = lg->store_job;
	if (job) {
		pthread_join(job->thread, NULL);
		lg->store_job = NULL;
	}
	return job;
}

/* Removes the copy of a file that is not imported after all (and its
 * folder when it was the only one there: refused files leave no trace). */
static void store_discard(struct store_copy *c)
{
	if (c->state == 1)
		unlink(c->tmp);
	(void)rmdir(c->sub); /* fails, as it should, when not empty */
}

void ledger_store_cancel(struct ledger *lg)
{
	struct ledger_store_job *job = store_join(lg);
	if (job)
		store_discard(&job->copy);
	free(job);
}

int ledger_store_file(struct ledger *lg, const char *sha256, const struct file_bytes *fb, char *rel, size_t n,
		      struct diag *d)
{
	/* Relative to the ledger's folder, so that the pair can be moved. */
	char base[600];
	snprintf(base, sizeof base, "%s", lg->path);
	snprintf(rel, n, "%s.files/%.2s/%s", basename(base), sha256, sha256);

	struct ledger_store_job *job = store_join(lg);
	if (job && strcmp(job->sha256, sha256) == 0 && job->copy.fb == fb) {
		int rc = store_publish(&job->copy, d);
		free(job);
		return rc;
	}
	if (job) { /* another file's: not wanted any more */
		store_discard(&job->copy);
		free(job);
	}
	struct store_copy c;
	store_paths(lg, sha256, &c);
	c.fb = fb;
	store_copy_bytes(&c);
	return store_publish(&c, d);
}
