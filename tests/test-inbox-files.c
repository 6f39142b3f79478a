/* Unit tests for the drop folder's file handling: the names never taken,
 * free names that never overwrite, moves (one file system and across two),
 * write-once files, and the open-for-writing probe. */
#include "config.h"

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "inbox/inbox_file.h"
#include "inbox/inbox_scan.h"

static char dir[256];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "%s/concilia-inbox-files.XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[400];
	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

static void assert_content(const char *path, const char *text)
{
	char buf[256] = "";
	FILE *fp = fopen(path, "r");
	assert_non_null(fp);
	size_t n = fread(buf, 1, sizeof buf - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	assert_string_equal(buf, text);
}

static void test_names_ignored(void **state)
{
	(void)state;
	const char *ignored[] = {".hidden",   ".CB0101.RET", "CB0101.RET.part", "x.filepart",
	                         "x.PARTIAL", "x.tmp",       "x.temp",          "x.crdownload",
	                         "x.swp",     "x~",          "x.ret.error.txt", "",
	                         NULL};
	const char *taken[] = {"CB0101.RET", "retorno.ret", "extrato.xml", "pix.json",
	                       "part",       "tmp.ret",     "a.tmp.ret",   NULL};
	for (int i = 0; ignored[i]; i++)
		if (!inbox_name_ignored(ignored[i]))
			fail_msg("'%s' should be ignored", ignored[i]);
	for (int i = 0; taken[i]; i++)
		if (inbox_name_ignored(taken[i]))
			fail_msg("'%s' should be taken", taken[i]);
}

static bool reserve_first(void *ctx, const char *path)
{
	return strcmp(path, (const char *)ctx) == 0;
}

static void test_reserve_never_reuses(void **state)
{
	char out[4096], want[4096], taken[4096];
	(void)state;
	assert_int_equal(inbox_reserve(dir, "processed", "CB0101.RET", "2026-11-24", false, NULL, NULL, out,
	                               sizeof out, NULL),
	                 0);
	snprintf(want, sizeof want, "%s/processed/2026-11-24/CB0101.RET", dir);
	assert_string_equal(out, want);
	write_file(out, "one");
	/* taken: the counter goes before the extension */
	assert_int_equal(inbox_reserve(dir, "processed", "CB0101.RET", "2026-11-24", false, NULL, NULL, out,
	                               sizeof out, NULL),
	                 0);
	snprintf(want, sizeof want, "%s/processed/2026-11-24/CB0101.2.RET", dir);
	assert_string_equal(out, want);
	/* no extension; an error.txt alone takes the name of a rejected file */
	snprintf(taken, sizeof taken, "%s/rejected/2026-11-24/RET01.error.txt", dir);
	assert_int_equal(
	    inbox_reserve(dir, "rejected", "RET01", "2026-11-24", true, NULL, NULL, out, sizeof out, NULL),
	    0);
	write_file(taken, "diagnostics");
	assert_int_equal(
	    inbox_reserve(dir, "rejected", "RET01", "2026-11-24", true, NULL, NULL, out, sizeof out, NULL),
	    0);
	snprintf(want, sizeof want, "%s/rejected/2026-11-24/RET01.2", dir);
	assert_string_equal(out, want);
	/* promised to an unfinished move */
	snprintf(taken, sizeof taken, "%s/duplicates/2026-11-24/a.ret", dir);
	assert_int_equal(inbox_reserve(dir, "duplicates", "a.ret", "2026-11-24", false, reserve_first, taken,
	                               out, sizeof out, NULL),
	                 0);
	snprintf(want, sizeof want, "%s/duplicates/2026-11-24/a.2.ret", dir);
	assert_string_equal(out, want);
}

static void test_move_and_write_new(void **state)
{
	char src[512], dst[512], other[512];
	struct diag d;
	(void)state;
	diag_clear(&d);
	snprintf(src, sizeof src, "%s/in.ret", dir);
	snprintf(dst, sizeof dst, "%s/out.ret", dir);
	write_file(src, "bytes");
	assert_int_equal(inbox_move(src, dst, &d), 0);
	assert_int_equal(access(src, F_OK), -1);
	assert_content(dst, "bytes");
	/* never over an existing file: refused, both left as they were */
	write_file(src, "new bytes");
	assert_int_equal(inbox_move(src, dst, &d), -1);
	assert_content(src, "new bytes");
	assert_content(dst, "bytes");
	/* write-once */
	snprintf(other, sizeof other, "%s/x.error.txt", dir);
	assert_int_equal(inbox_write_new(other, "first\n", 6, &d), 0);
	assert_int_equal(inbox_write_new(other, "second\n", 7, &d), 1);
	assert_content(other, "first\n");
}

static void test_move_across_file_systems(void **state)
{
	char shm[] = "/dev/shm/concilia-inbox-files.XXXXXX", src[512], dst[512], partial[512], cmd[512];
	struct stat a, b, sb;
	struct diag d;
	(void)state;
	diag_clear(&d);
	if (!mkdtemp(shm)) {
		fprintf(stderr, "SKIP: no /dev/shm\n");
		skip();
	}
	stat(shm, &a);
	stat(dir, &b);
	if (a.st_dev == b.st_dev) {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", shm);
		assert_int_equal(system(cmd), 0);
		fprintf(stderr, "SKIP: /dev/shm is the same file system\n");
		skip();
	}
	snprintf(src, sizeof src, "%s/far.ret", dir);
	snprintf(dst, sizeof dst, "%s/far.ret", shm);
	snprintf(partial, sizeof partial, "%s/.concilia-partial.far.ret", shm);
	write_file(src, "far bytes");
	write_file(partial, "stale half copy of a killed run");
	stat(src, &a);
	assert_int_equal(inbox_move(src, dst, &d), 0);
	assert_int_equal(access(src, F_OK), -1);
	assert_int_equal(access(partial, F_OK), -1);
	assert_content(dst, "far bytes");
	stat(dst, &sb);
	assert_int_equal(sb.st_mtime, a.st_mtime);
	assert_int_equal(sb.st_mode & 0777, a.st_mode & 0777);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", shm);
	assert_int_equal(system(cmd), 0);
}

static void test_writers_probe(void **state)
{
	char path[512];
	(void)state;
	snprintf(path, sizeof path, "%s/probe.ret", dir);
	write_file(path, "x");
	enum inbox_writers w = inbox_writers(path);
	if (w == INBOX_UNKNOWN) {
		fprintf(stderr, "SKIP: no leases here (another owner, or a file system without them)\n");
		skip();
	}
	assert_int_equal(w, INBOX_CLOSED);
	/* a writer in another process, like an SFTP server mid-upload */
	int ready[2], done[2];
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(done), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open(path, O_WRONLY | O_APPEND);
		char c;
		if (fd < 0 || write(ready[1], "r", 1) != 1 || read(done[0], &c, 1) < 0)
			_exit(1);
		close(fd);
		_exit(0);
	}
	char c;
	assert_int_equal(read(ready[0], &c, 1), 1);
	assert_int_equal(inbox_writers(path), INBOX_WRITING);
	assert_int_equal(write(done[1], "q", 1), 1);
	int st;
	waitpid(pid, &st, 0);
	close(ready[0]);
	close(ready[1]);
	close(done[0]);
	close(done[1]);
	assert_int_equal(inbox_writers(path), INBOX_CLOSED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names_ignored),
	    cmocka_unit_test_setup_teardown(test_reserve_never_reuses, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_move_and_write_new, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_move_across_file_systems, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_writers_probe, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
