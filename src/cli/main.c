/* concilia: global options, then dispatch through the command table. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/command.h"
#include "config.h"

static const struct command *const commands[] = {
	&cmd_init, &cmd_receivables, &cmd_import, &cmd_inspect, &cmd_reconcile, &cmd_report, &cmd_boleto,
	&cmd_pix,      &cmd_exceptions, &cmd_undo, &cmd_journal, &cmd_account, &cmd_inbox, &cmd_watch,
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void print_help(FILE *fp)
{
	fprintf(fp, "usage: concilia [--db PATH] [--holidays FILE] [--format FMT] [-q] [-v] COMMAND [ARGS]\n\n"
		    "Reconciles Brazilian bank return files against receivables.\n\n"
		    "Commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(fp, "  %-12s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(fp, "  %-12s %s\n", "help", "show this help, or a command's usage");
	fprintf(fp, "\nGlobal options:\n"
		    "  --db PATH     the ledger (default $CONCILIA_DB, else ./concilia.db)\n"
		    "  --holidays FILE\n"
		    "                state and city holidays besides the national ones (default\n"
		    "                $CONCILIA_HOLIDAYS; one a line: YYYY-MM-DD|MM-DD [UF] name)\n"
		    "  --format FMT  output format of commands that have one (report: text, csv,\n"
		    "                json, xlsx, html)\n"
		    "  -q, --quiet   no warnings, no progress\n"
		    "  -v, --verbose more detail\n"
		    "  --version     print the version\n"
		    "\nExit status: 0 clean, 1 something needs a human, 2 input or usage rejected,\n"
		    "3 system error.\n");
}

static const struct command *find(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'}, {"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},  {"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},  {"holidays", required_argument, NULL, 'H'},
		{"format", required_argument, NULL, 'F'},
		{NULL, 0, NULL, 0},
	};
	struct cli cli = {0};
	const char *env = getenv("CONCILIA_DB");
	cli.db_path = env && *env ? env : "concilia.db";
	cli.holidays_path = getenv("CONCILIA_HOLIDAYS");
	int c;
	/* '+': stop at the command name, its options are its own. */
	while ((c = getopt_long(argc, argv, "+qvh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			cli.db_path = optarg;
			break;
		case 'H':
			cli.holidays_path = optarg;
			break;
		case 'q':
			cli.quiet = 1;
			break;
		case 'v':
			cli.verbose = 1;
			break;
		case 'F':
			cli.format = optarg;
			break;
		case 'h':
			print_help(stdout);
			return EXIT_CLEAN;
		case 'V':
			printf("concilia %s\n", PACKAGE_VERSION);
			return EXIT_CLEAN;
		default:
			print_help(stderr);
			return EXIT_REJECTED;
		}
	}
	if (optind >= argc) {
		print_help(stderr);
		return EXIT_REJECTED;
	}
	const char *name = argv[optind];
	if (strcmp(name, "help") == 0) {
		const struct command *cmd = optind + 1 < argc ? find(argv[optind + 1]) : NULL;
		if (cmd) {
			printf("usage: concilia %s %s\n  %s\n", cmd->name, cmd->usage, cmd->summary);
			return EXIT_CLEAN;
		}
		print_help(stdout);
		return optind + 1 < argc ? EXIT_REJECTED : EXIT_CLEAN;
	}
	const struct command *cmd = find(name);
	if (!cmd) {
		fprintf(stderr, "concilia: '%s' is not a command; see 'concilia help'\n", name);
		return EXIT_REJECTED;
	}
	optind++; /* the command parses argv from its own name on */
	int sub_argc = argc - optind + 1;
	char **sub_argv = argv + optind - 1;
	optind = 0; /* glibc: re-initialize getopt for the command's own options */
	return cmd->run(&cli, sub_argc, sub_argv);
}
