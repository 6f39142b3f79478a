/* What every command shares: printing diagnostics, opening the ledger. */
#ifndef CONCILIA_CLI_UTIL_H
#define CONCILIA_CLI_UTIL_H

#include <stdio.h>
#include "cli/command.h"
#include "core/calendar.h"
#include "core/diag.h"
#include "ledger/ledger.h"

/* Prints d to stderr in GNU style. */
void cli_print_diag(const struct diag *d);

/* A diag_sink printing warnings to stderr unless cli->quiet. */
void cli_warning_sink(void *cli, const struct diag *d);

/* Opens an existing ledger (or prints why not). Returns NULL on failure
 * with *status set: EXIT_REJECTED when there is no ledger at that path (a
 * usage problem), EXIT_SYSTEM when it cannot be opened. */
struct ledger *cli_open_ledger(struct cli *cli, int *status);

/* The business-day calendar every command uses for due dates: national
 * bank holidays plus the holidays file of --holidays / $CONCILIA_HOLIDAYS
 * (README "Holidays"). Returns NULL on failure, with the reason printed and
 * *status set (EXIT_REJECTED for a bad file, EXIT_SYSTEM otherwise). Free
 * with calendar_free. */
struct calendar *cli_calendar(const struct cli *cli, int *status);

/* "concilia NAME: usage: ..." on stderr; returns EXIT_REJECTED. */
int cli_usage(const struct command *cmd, const char *problem);

/* Opens path for writing output atomically ("-" or NULL = stdout). Write,
 * then call cli_output_close, which renames into place only on success. */
struct cli_output {
	FILE *fp;
	char path[1024];
	char tmp[1100];
};
int cli_output_open(struct cli_output *out, const char *path);
int cli_output_close(struct cli_output *out, int ok);

#endif
