/* The command table: one file per command, each defining one constant
 * entry; help, dispatch and the man page all read the same table. */
#ifndef CONCILIA_COMMAND_H
#define CONCILIA_COMMAND_H

/* Exit statuses (README "Exit codes"). */
enum {
	EXIT_CLEAN = 0,    /* done, nothing needs a human */
	EXIT_ATTENTION = 1,/* done, something needs a human */
	EXIT_REJECTED = 2, /* input or usage rejected */
	EXIT_SYSTEM = 3,   /* system error (disk, database) */
};

struct cli {
	const char *db_path; /* --db, $CONCILIA_DB, or ./concilia.db */
	const char *holidays_path; /* --holidays, $CONCILIA_HOLIDAYS, or NULL (national only) */
	int quiet;
	int verbose;
	const char *format;  /* global --format (design.md 5), NULL = the command's default */
};

struct command {
	const char *name;
	const char *usage;   /* after "concilia NAME " */
	const char *summary; /* one line for `concilia help` */
	int (*run)(struct cli *cli, int argc, char **argv); /* argv[0] is the command name */
};

extern const struct command cmd_init;
extern const struct command cmd_receivables;
extern const struct command cmd_import;
extern const struct command cmd_reconcile;
extern const struct command cmd_report;
extern const struct command cmd_inspect;
extern const struct command cmd_boleto;
extern const struct command cmd_pix;
extern const struct command cmd_exceptions;
extern const struct command cmd_undo;
extern const struct command cmd_journal;
extern const struct command cmd_account;
extern const struct command cmd_inbox;
extern const struct command cmd_watch;

#endif
