/* Shared plumbing of the charge documents (see cli_charge.h). */
#include "config.h"
#include <stdio.h>
#include <string.h>

#include "cli/cli_charge.h"

void cli_charge_warning(void *cli, const struct diag *d)
{
	cli_warning_sink(cli, d);
}

int cli_charge_options(const struct command *cmd, const struct cli_charge_args *a, struct charge_options *o)
{
	o->today = date_today();
	o->pay_on = o->today;
	o->interest_start = INTEREST_FROM_DUE_DATE;
	if (a->pay_on && date_parse_text(a->pay_on, strlen(a->pay_on), &o->pay_on) != 0)
		return cli_usage(cmd, "--pay-on takes YYYY-MM-DD or DD/MM/YYYY");
	if (a->accept_stale) {
		/* the reason goes into the journal: it must say something */
		size_t n = strspn(a->accept_stale, " \t");
		if (a->accept_stale[n] == '\0')
			return cli_usage(cmd, "--accept-stale needs a reason (it is journaled)");
		o->accept_stale = a->accept_stale;
	}
	if (a->interest_from) {
		if (strcmp(a->interest_from, "due") == 0)
			o->interest_start = INTEREST_FROM_DUE_DATE;
		else if (strcmp(a->interest_from, "business-day") == 0)
			o->interest_start = INTEREST_FROM_EFFECTIVE_DUE;
		else
			return cli_usage(cmd, "--interest-from takes due or business-day");
	}
	return EXIT_CLEAN;
}

int cli_charge_prepare(struct cli *cli, struct ledger *lg, const char *id, const struct charge_options *o,
                       struct charge *out)
{
	struct diag d;
	int status;
	if (charge_prepare(lg, id, o, out, &status, &d) != 0) {
		/* in a batch (--all-overdue) the receivable is what names the line */
		if (d.file[0] == '\0')
			snprintf(d.file, sizeof d.file, "%s", id);
		cli_print_diag(&d);
		return status == 3 ? EXIT_SYSTEM : EXIT_REJECTED;
	}
	(void)cli;
	if (out->decision.allowed)
		return EXIT_CLEAN;
	fflush(stdout);
	for (int i = 0; i < out->decision.nrefusals; i++)
		fprintf(stderr, "%s: not sent: %s: %s\n", id,
		        gate_reason_name(out->decision.refusals[i].reason),
		        out->decision.refusals[i].message);
	return EXIT_ATTENTION;
}
