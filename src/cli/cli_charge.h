/* What `boleto second-copy` and `pix qr` share: the options every charge
 * document takes (--pay-on, --accept-stale, --interest-from), running the
 * gate and printing its refusals. */
#ifndef CONCILIA_CLI_CHARGE_H
#define CONCILIA_CLI_CHARGE_H

#include "cli/cli_util.h"
#include "gate/charge.h"

struct cli_charge_args {
	const char *pay_on;        /* --pay-on, NULL = today */
	const char *accept_stale;  /* --accept-stale REASON */
	const char *interest_from; /* --interest-from due|business-day */
};

/* Fills o from the arguments (today from date_today(), which honours
 * CONCILIA_TODAY). Returns 0, or an exit status after printing why. */
int cli_charge_options(const struct command *cmd, const struct cli_charge_args *a, struct charge_options *o);

/* Prepares the charge of one receivable and prints the gate's refusals
 * ("ID: not sent: REASON: message", one per line, on stderr). Returns
 * EXIT_CLEAN when the document may go out, EXIT_ATTENTION when the gate
 * refused it, or the failure's status (diagnostic printed). */
int cli_charge_prepare(struct cli *cli, struct ledger *lg, const char *id, const struct charge_options *o,
                       struct charge *out);

/* The warning sink for charge_options.warn. */
void cli_charge_warning(void *cli, const struct diag *d);

/* The two subcommands (argv[0] is the subcommand's name). */
int cli_boleto_second_copy(struct cli *cli, int argc, char **argv);
int cli_pix_qr(struct cli *cli, int argc, char **argv);

#endif
