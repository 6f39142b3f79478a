/* The shared plumbing of `concilia inbox` and `concilia watch`. */
#include "config.h"
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_util.h"
#include "cli/inbox_args.h"

static int seconds(const char *s, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > INT_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

int inbox_args_parse(const struct command *cmd, struct cli *cli, int argc, char **argv,
                     struct inbox_options *opt)
{
	static const struct option opts[] = {{"archive", required_argument, NULL, 'a'},
	                                     {"report-dir", required_argument, NULL, 'r'},
	                                     {"settle", required_argument, NULL, 's'},
	                                     {"incomplete-timeout", required_argument, NULL, 't'},
	                                     {"wait", no_argument, NULL, 'w'},
	                                     {"on-attention", required_argument, NULL, 'o'},
	                                     {"hook-timeout", required_argument, NULL, 'h'},
	                                     {"strict", no_argument, NULL, 'S'},
	                                     {"layout", required_argument, NULL, 'l'},
	                                     {"interest-from", required_argument, NULL, 'i'},
	                                     {NULL, 0, NULL, 0}};
	memset(opt, 0, sizeof *opt);
	opt->db_path = cli->db_path;
	opt->settle = 10;
	opt->incomplete_timeout = 3600;
	opt->hook_timeout = 300;
	opt->interest_start = INTEREST_FROM_DUE_DATE;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			opt->archive = optarg;
			break;
		case 'r':
			opt->report_dir = optarg;
			break;
		case 's':
			if (seconds(optarg, &opt->settle))
				return cli_usage(cmd, "--settle takes a number of seconds (0 or more)");
			break;
		case 't':
			if (seconds(optarg, &opt->incomplete_timeout))
				return cli_usage(
				    cmd, "--incomplete-timeout takes a number of seconds (0 or more)");
			break;
		case 'w':
			opt->wait_lock = true;
			break;
		case 'o':
			opt->on_attention = optarg;
			break;
		case 'h':
			if (seconds(optarg, &opt->hook_timeout) || opt->hook_timeout == 0)
				return cli_usage(cmd, "--hook-timeout takes a number of seconds (1 or more)");
			break;
		case 'S':
			opt->strict = true;
			break;
		case 'l':
			opt->layout_path = optarg;
			break;
		case 'i':
			if (strcmp(optarg, "due") == 0)
				opt->interest_start = INTEREST_FROM_DUE_DATE;
			else if (strcmp(optarg, "business-day") == 0)
				opt->interest_start = INTEREST_FROM_EFFECTIVE_DUE;
			else
				return cli_usage(cmd, "--interest-from takes 'due' or 'business-day'");
			break;
		default:
			return cli_usage(cmd, NULL);
		}
	}
	if (optind >= argc)
		return cli_usage(cmd, "no drop folder given");
	if (optind + 1 < argc)
		return cli_usage(cmd, "one drop folder at a time");
	opt->dir = argv[optind];
	return 0;
}

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

struct printer {
	struct cli *cli;
	const char *name;
};

static void print_line(void *ctx, enum inbox_log_level level, const char *line)
{
	struct printer *pr = ctx;
	if (pr->cli->quiet || (level == INBOX_LOG_DETAIL && !pr->cli->verbose))
		return;
	printf("%s\n", line);
	fflush(stdout); /* a journal or a log file sees each line as it happens */
}

/* Errors always; warnings unless -q. */
static void print_diag(void *ctx, const struct diag *d)
{
	struct printer *pr = ctx;
	if (d->severity == DIAG_ERROR || !pr->cli->quiet)
		cli_print_diag(d);
}

int inbox_args_run(const struct command *cmd, struct cli *cli, struct inbox_options *opt, int watch)
{
	struct printer pr = {.cli = cli, .name = cmd->name};
	opt->log = print_line;
	opt->log_ctx = &pr;
	opt->warn = print_diag;
	opt->warn_ctx = &pr;

	/* TERM, INT and HUP stop the hook after the file in hand. They stay
	 * blocked outside the waits, so that none arrives unseen. */
	sigset_t stops, old;
	sigemptyset(&stops);
	sigaddset(&stops, SIGTERM);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGHUP);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigprocmask(SIG_BLOCK, &stops, &old);
	/* A closed stdout (`concilia watch | head`) is an error to report, not
	 * a signal that ends the hook in the middle of a file. */
	signal(SIGPIPE, SIG_IGN);
	sigset_t wait_mask = old;
	sigdelset(&wait_mask, SIGTERM);
	sigdelset(&wait_mask, SIGINT);
	sigdelset(&wait_mask, SIGHUP);
	opt->stop = &stop_requested;
	opt->stop_signals = &stops;
	opt->wait_mask = &wait_mask;

	struct inbox *ib;
	struct diag d;
	long holder;
	diag_clear(&d);
	int rc = inbox_open(opt, &ib, &holder, &d);
	if (rc == 1) {
		if (holder)
			fprintf(
			    stderr,
			    "concilia %s: %s is in use by another concilia inbox or watch (pid %ld); nothing "
			    "done (--wait waits for it)\n",
			    cmd->name, opt->db_path, holder);
		else
			fprintf(stderr,
			        "concilia %s: %s is in use by another concilia inbox or watch; nothing done "
			        "(--wait waits for it)\n",
			        cmd->name, opt->db_path);
		return EXIT_SYSTEM;
	}
	if (rc != 0) {
		cli_print_diag(&d);
		return rc == 2 ? EXIT_REJECTED : EXIT_SYSTEM;
	}
	rc = watch ? inbox_watch(ib, &d) : inbox_run_once(ib, &d);
	if (rc != 0)
		cli_print_diag(&d);
	int status = inbox_status(ib);
	inbox_close(ib);
	sigset_t pending;
	bool stopped = stop_requested;
	if (sigpending(&pending) == 0)
		for (int sig = 1; sig < NSIG; sig++)
			if (sigismember(&stops, sig) == 1 && sigismember(&pending, sig) == 1)
				stopped = true;
	if (stopped && !cli->quiet)
		printf("stopped by a signal after finishing the file in hand\n");
	return status;
}
