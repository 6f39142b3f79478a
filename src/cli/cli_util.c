/* Shared CLI plumbing. */
#include "config.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli_util.h"
#include "core/fileio.h"

void cli_print_diag(const struct diag *d)
{
	diag_print(stderr, d);
}

void cli_warning_sink(void *cli, const struct diag *d)
{
	const struct cli *c = cli;
	if (!c || !c->quiet)
		diag_print(stderr, d);
}

struct ledger *cli_open_ledger(struct cli *cli, int *status)
{
	struct ledger *lg;
	struct diag d;
	struct stat sb;
	diag_clear(&d);
	*status = EXIT_CLEAN;
	if (ledger_open(cli->db_path, false, &lg, NULL, &d) != 0) {
		cli_print_diag(&d);
		*status = stat(cli->db_path, &sb) != 0 ? EXIT_REJECTED : EXIT_SYSTEM;
		return NULL;
	}
	return lg;
}

struct calendar *cli_calendar(const struct cli *cli, int *status)
{
	struct calendar *cal = calendar_new();
	struct file_bytes fb;
	struct diag d;
	*status = EXIT_CLEAN;
	if (cal == NULL) {
		fprintf(stderr, "concilia: out of memory\n");
		*status = EXIT_SYSTEM;
		return NULL;
	}
	if (cli->holidays_path == NULL || cli->holidays_path[0] == '\0')
		return cal;
	int rc = file_bytes_read(cli->holidays_path, &fb, &d);
	if (rc == 0) {
		rc = calendar_load_holidays(cal, cli->holidays_path, fb.data, fb.len, &d);
		file_bytes_release(&fb);
	}
	if (rc != 0) {
		cli_print_diag(&d);
		calendar_free(cal);
		*status = EXIT_REJECTED;
		return NULL;
	}
	return cal;
}

int cli_usage(const struct command *cmd, const char *problem)
{
	if (problem)
		fprintf(stderr, "concilia %s: %s\n", cmd->name, problem);
	fprintf(stderr, "usage: concilia %s %s\n", cmd->name, cmd->usage);
	return EXIT_REJECTED;
}

int cli_output_open(struct cli_output *out, const char *path)
{
	memset(out, 0, sizeof *out);
	if (!path || strcmp(path, "-") == 0) {
		out->fp = stdout;
		return 0;
	}
	snprintf(out->path, sizeof out->path, "%s", path);
	snprintf(out->tmp, sizeof out->tmp, "%s.tmp.%ld", path, (long)getpid());
	out->fp = fopen(out->tmp, "w");
	if (!out->fp) {
		fprintf(stderr, "%s: cannot write: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int cli_output_close(struct cli_output *out, int ok)
{
	if (out->fp == stdout) {
		if (fflush(stdout) != 0)
			ok = 0;
		return ok ? 0 : -1;
	}
	if (fclose(out->fp) != 0)
		ok = 0;
	if (ok && rename(out->tmp, out->path) != 0) {
		fprintf(stderr, "%s: cannot write: %s\n", out->path, strerror(errno));
		ok = 0;
	}
	if (!ok)
		unlink(out->tmp);
	return ok ? 0 : -1;
}
