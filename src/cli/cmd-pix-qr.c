/* concilia pix qr: a static Pix BR Code for what a receivable is due on a
 * date, from its collecting account's key, through the charge gate;
 * printed as "copia e cola", drawn in the terminal, or written as PNG/SVG. */
#include "config.h"
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_charge.h"
#include "core/money.h"
#include "render/boleto_render.h"
#include "render/qr_image.h"

int cli_pix_qr(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"pay-on", required_argument, NULL, 'p'},       {"output", required_argument, NULL, 'o'},
	    {"accept-stale", required_argument, NULL, 's'}, {"interest-from", required_argument, NULL, 'i'},
	    {"module", required_argument, NULL, 'm'},       {NULL, 0, NULL, 0},
	};
	struct cli_charge_args args = {0};
	struct charge_options o = {.kind = CHARGE_PIX};
	const char *output = NULL;
	int c, module = 0;
	static struct charge ch;

	optind = 0;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			args.pay_on = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 's':
			args.accept_stale = optarg;
			break;
		case 'i':
			args.interest_from = optarg;
			break;
		case 'm':
			module = atoi(optarg);
			if (module < 1 || module > 64)
				return cli_usage(&cmd_pix, "--module takes 1..64 pixels per module (PNG)");
			break;
		default:
			return cli_usage(&cmd_pix, NULL);
		}
	}
	if (optind + 1 != argc)
		return cli_usage(&cmd_pix, "qr takes one receivable id");
	if (output && strcmp(output, "-") != 0 && qr_image_format_of(output) == 0)
		return cli_usage(&cmd_pix, "-o takes FILE.png, FILE.svg or - (the terminal)");
	int st = cli_charge_options(&cmd_pix, &args, &o);
	if (st != EXIT_CLEAN)
		return st;
	/* National holidays plus --holidays: the same calendar as reconcile. */
	struct calendar *cal = cli_calendar(cli, &st);
	if (!cal)
		return st;
	o.cal = cal;
	o.warn = cli_charge_warning;
	o.warn_ctx = cli;
	struct ledger *lg = cli_open_ledger(cli, &st);
	if (!lg) {
		calendar_free(cal);
		return st;
	}
	const char *id = argv[optind];
	st = cli_charge_prepare(cli, lg, id, &o, &ch);
	struct diag d;
	diag_clear(&d);
	if (st == EXIT_CLEAN && output && strcmp(output, "-") != 0) {
		/* written under a temporary name, journaled, then renamed: a file
		 * exists only for a QR the journal records */
		char tmp[1200];
		const char *ext = strrchr(output, '.');
		snprintf(tmp, sizeof tmp, "%.*s.concilia-tmp-%ld%s", (int)(ext - output), output,
		         (long)getpid(), ext);
		if (qr_image_file(ch.pix.text, tmp, module, &d) != 0) {
			cli_print_diag(&d);
			st = EXIT_SYSTEM;
		} else if (charge_record(lg, &ch, "pix_qr", output, o.accept_stale, &d) != 0) {
			cli_print_diag(&d);
			remove(tmp);
			st = EXIT_SYSTEM;
		} else if (rename(tmp, output) != 0) {
			fprintf(stderr, "%s: cannot write: %s\n", output, strerror(errno));
			remove(tmp);
			st = EXIT_SYSTEM;
		}
	} else if (st == EXIT_CLEAN) {
		if (charge_record(lg, &ch, "pix_qr", output ? "terminal" : "stdout", o.accept_stale, &d) !=
		    0) {
			cli_print_diag(&d);
			st = EXIT_SYSTEM;
		} else if (output && qr_image_text(ch.pix.text, stdout, &d) != 0) {
			cli_print_diag(&d);
			st = EXIT_SYSTEM;
		}
	}
	if (st == EXIT_CLEAN) {
		char due[32], date[16];
		money_format_brl(ch.amount_due_cents, due, sizeof due);
		date_format_iso(ch.pay_on, date, sizeof date);
		if (output && !cli->quiet && strcmp(output, "-") != 0)
			printf("%s: Pix QR of %s, %s due on %s%s\n", output, ch.rcv.row.id, due, date,
			       ch.decision.stale_overridden ? " (stale import accepted, journaled)" : "");
		else if (output && !cli->quiet)
			printf("Pix QR above: %s, %s due on %s%s\n", ch.rcv.row.id, due, date,
			       ch.decision.stale_overridden ? " (stale import accepted, journaled)" : "");
		/* the copia-e-cola text, always: what the payer pastes */
		printf("%s\n", ch.pix.text);
		if (fflush(stdout) != 0)
			st = EXIT_SYSTEM;
	}
	ledger_close(lg);
	calendar_free(cal);
	if (output && strcmp(output, "-") != 0)
		boleto_render_release();
	return st;
}
