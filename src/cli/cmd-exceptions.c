/* concilia exceptions [list [--all] [--format text|json] | show ID |
 * resolve ID --action ACTION --reason TEXT [--receivable ID] [--amount A]]:
 * the queue of what needs a human, and the record of what was done. */
#include "config.h"
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_util.h"
#include "core/money.h"
#include "reconcile/exceptions.h"
#include "reconcile/match.h"

struct list_ctx {
	bool json;
	json_t *arr;
	long count;
	int64_t unapplied;
};

/* Labels padded by characters, not bytes ("nosso número" has an accent). */
static void label(const char *name)
{
	size_t chars = 0;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		chars += (*p & 0xC0) != 0x80;
	printf("  %s%*s ", name, chars < 14 ? (int)(14 - chars) : 0, "");
}

static void print_money(const char *name, int64_t cents)
{
	char buf[40];
	money_format_brl(cents, buf, sizeof buf);
	label(name);
	printf("%s\n", buf);
}

static const char *or_dash(const char *s)
{
	return s && s[0] ? s : "-";
}

static int list_one(void *ctx, const struct ledger_exception *x)
{
	struct list_ctx *lc = ctx;
	lc->count++;
	if (!x->resolved)
		lc->unapplied += x->unapplied_cents;
	if (lc->json) {
		json_t *o = json_pack("{s:I, s:I, s:s, s:s?, s:s?, s:s?, s:s?, s:I, s:I, s:I, s:s?, s:s, s:i, s:s,"
				      " s:b, s:b, s:s?, s:i}",
				      "id", (json_int_t)x->outcome_id, "event_id", (json_int_t)x->event_id, "category",
				      x->category, "rule", x->rule[0] ? x->rule : NULL, "receivable_id",
				      x->receivable_id[0] ? x->receivable_id : NULL, "payer_document",
				      x->payer_document[0] ? x->payer_document : NULL, "payer_name",
				      x->payer_name[0] ? x->payer_name : NULL, "paid_cents", (json_int_t)x->paid_cents,
				      "expected_cents", (json_int_t)x->expected_cents, "unapplied_cents",
				      (json_int_t)x->unapplied_cents, "payment_date",
				      x->payment_date[0] ? x->payment_date : NULL, "file", x->filename, "line",
				      (int)x->line, "detail", x->detail, "undone", x->undone, "resolved", x->resolved,
				      "resolution", x->resolution[0] ? x->resolution : NULL, "candidates", x->candidates);
		if (!o || json_array_append_new(lc->arr, o))
			return -1;
		return 0;
	}
	char paid[40];
	money_format_brl(x->paid_cents, paid, sizeof paid);
	char cands[40] = "";
	if (x->candidates)
		snprintf(cands, sizeof cands, " [%d candidate%s: see show]", x->candidates, x->candidates == 1 ? "" : "s");
	printf("%6lld  %-22s %-10s %14s  %-12s %s%s%s%s\n", (long long)x->outcome_id, x->category,
	       or_dash(x->payment_date), paid, or_dash(x->receivable_id), x->undone ? "[undone] " : "",
	       x->resolved ? "[resolved] " : "", x->detail, cands);
	return 0;
}

static int cmd_list(struct ledger *lg, bool all, bool json)
{
	struct list_ctx lc = {.json = json};
	struct diag d;
	diag_clear(&d);
	if (json)
		lc.arr = json_array();
	else
		printf("%6s  %-22s %-10s %14s  %-12s %s\n", "id", "category", "paid on", "amount", "receivable",
		       "why");
	int rc = ledger_exceptions(lg, all, list_one, &lc, &d);
	if (rc != 0) {
		json_decref(lc.arr);
		if (rc < 0)
			cli_print_diag(&d);
		return EXIT_SYSTEM;
	}
	if (json) {
		json_t *doc = json_pack("{s:i, s:o}", "schema", 1, "exceptions", lc.arr);
		char *text = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
		json_decref(doc);
		if (!text)
			return EXIT_SYSTEM;
		printf("%s\n", text);
		free(text);
	} else {
		char sum[40];
		money_format_brl(lc.unapplied, sum, sizeof sum);
		printf("%ld exception%s%s; %s of payments unapplied\n", lc.count, lc.count == 1 ? "" : "s",
		       all ? " (resolved ones included)" : " open", sum);
	}
	return lc.count && !all ? EXIT_ATTENTION : EXIT_CLEAN;
}

static int cmd_show(struct ledger *lg, int64_t id)
{
	struct ledger_exception x;
	struct diag d;
	diag_clear(&d);
	int found = ledger_exception_get(lg, id, &x, &d);
	if (found < 0) {
		cli_print_diag(&d);
		return EXIT_SYSTEM;
	}
	if (!found) {
		fprintf(stderr, "concilia exceptions: no outcome %lld\n", (long long)id);
		return EXIT_REJECTED;
	}
	printf("exception %lld: %s%s%s\n", (long long)x.outcome_id, x.category, x.undone ? " (allocation undone)" : "",
	       x.resolved ? " (resolved)" : "");
	printf("  %-14s %s\n", "why", x.detail);
	printf("  %-14s %s\n", "rule", or_dash(x.rule));
	printf("  %-14s %s:%ld (imported %s)\n", "from", x.filename, x.line, x.imported_at);
	printf("  %-14s %s\n", "paid on", or_dash(x.payment_date));
	print_money("paid", x.paid_cents);
	print_money("unapplied", x.unapplied_cents);
	if (x.receivable_id[0])
		printf("  %-14s %s (%s)\n", "receivable", x.receivable_id, x.debtor_name);
	if (x.payer_document[0] || x.payer_name[0])
		printf("  %-14s %s %s\n", "payer", or_dash(x.payer_document), x.payer_name);
	if (x.nosso_numero[0])
		label("nosso número"), printf("%s\n", x.nosso_numero);
	if (x.end_to_end_id[0])
		printf("  %-14s %s\n", "endToEndId", x.end_to_end_id);
	if (x.txid[0])
		printf("  %-14s %s\n", "txid", x.txid);
	if (x.free_text[0])
		printf("  %-14s %s\n", "text", x.free_text);
	struct ledger_candidate k[MATCH_MAX];
	int n = ledger_outcome_candidates(lg, id, k, MATCH_MAX, &d);
	if (n < 0) {
		cli_print_diag(&d);
		return EXIT_SYSTEM;
	}
	for (int i = 0; i < n; i++) {
		char due[40];
		money_format_brl(k[i].cents, due, sizeof due);
		printf("  %-14s %s (%s): %s due, by %s\n", i ? "" : "candidates", k[i].receivable_id, k[i].debtor_name,
		       due, k[i].rule);
	}
	if (x.resolution[0])
		printf("  %-14s %s\n", "resolution", x.resolution);
	else if (!x.resolved)
		printf("  %-14s concilia exceptions resolve %lld --action apply|accept|refund|dismiss --reason TEXT\n",
		       "next", (long long)id);
	return EXIT_CLEAN;
}

static int cmd_resolve(struct cli *cli, struct ledger *lg, const struct resolve_request *req)
{
	struct diag d;
	int64_t applied;
	diag_clear(&d);
	int status;
	struct calendar *cal = cli_calendar(cli, &status);
	if (!cal)
		return status;
	struct reconcile_options opt = {.calendar = cal, .interest_start = INTEREST_FROM_DUE_DATE};
	enum human_refusal r = exceptions_resolve(lg, &opt, req, &applied, &d);
	calendar_free(cal);
	if (r != HUMAN_OK) {
		fprintf(stderr, "concilia exceptions: %s\n", d.msg[0] ? d.msg : "out of memory");
		return r == HUMAN_REFUSED ? EXIT_REJECTED : EXIT_SYSTEM;
	}
	if (!cli->quiet) {
		char amount[40];
		money_format_brl(applied, amount, sizeof amount);
		struct ledger_exception x;
		struct diag ignored;
		int open = ledger_exception_get(lg, req->outcome_id, &x, &ignored) == 1 && !x.resolved;
		if (open) {
			char left[40];
			money_format_brl(x.unapplied_cents, left, sizeof left);
			printf("exception %lld: applied %s; %s still unapplied, the exception stays open\n",
			       (long long)req->outcome_id, amount, left);
		} else {
			printf("exception %lld resolved (%s by %s)%s%s\n", (long long)req->outcome_id,
			       resolve_action_name(req->action), ledger_actor(lg), applied ? ": applied " : "",
			       applied ? amount : "");
		}
	}
	return EXIT_CLEAN;
}

static int parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v <= 0)
		return -1;
	*id = v;
	return 0;
}

static int run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"all", no_argument, NULL, 'a'},
					     {"format", required_argument, NULL, 'f'},
					     {"action", required_argument, NULL, 'A'},
					     {"reason", required_argument, NULL, 'r'},
					     {"receivable", required_argument, NULL, 'R'},
					     {"amount", required_argument, NULL, 'm'},
					     {NULL, 0, NULL, 0}};
	bool all = false, json = false;
	struct resolve_request req = {.action = (enum resolve_action)-1};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			all = true;
			break;
		case 'f':
			if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0)
				return cli_usage(&cmd_exceptions, "--format takes text or json");
			json = strcmp(optarg, "json") == 0;
			break;
		case 'A': {
			int a = resolve_action_from_name(optarg);
			if (a < 0)
				return cli_usage(&cmd_exceptions, "--action takes apply, accept, refund or dismiss");
			req.action = (enum resolve_action)a;
			break;
		}
		case 'r':
			req.reason = optarg;
			break;
		case 'R':
			req.receivable_id = optarg;
			break;
		case 'm': {
			const char *why = NULL;
			if (money_parse_decimal(optarg, strlen(optarg), &req.amount_cents, &why) != 0 ||
			    req.amount_cents <= 0)
				return cli_usage(&cmd_exceptions, "--amount takes a positive amount like 123.45");
			break;
		}
		default:
			return cli_usage(&cmd_exceptions, NULL);
		}
	}
	const char *sub = optind < argc ? argv[optind] : "list";
	int rest = argc - optind - (optind < argc);
	int64_t id = 0;
	if (strcmp(sub, "list") == 0) {
		if (rest != 0)
			return cli_usage(&cmd_exceptions, "list takes no arguments");
	} else if (strcmp(sub, "show") == 0 || strcmp(sub, "resolve") == 0) {
		if (rest != 1 || parse_id(argv[optind + 1], &id) != 0)
			return cli_usage(&cmd_exceptions, "expected one exception ID (the number in the list)");
		if (strcmp(sub, "resolve") == 0) {
			if ((int)req.action < 0)
				return cli_usage(&cmd_exceptions, "resolve needs --action apply|accept|refund|dismiss");
			if (!req.reason || !req.reason[0])
				return cli_usage(&cmd_exceptions, "resolve needs --reason: the journal keeps why");
			if (req.action == RESOLVE_APPLY && !req.receivable_id)
				return cli_usage(&cmd_exceptions, "--action apply needs --receivable ID");
			req.outcome_id = id;
		}
	} else {
		return cli_usage(&cmd_exceptions, "subcommands: list, show ID, resolve ID");
	}
	int status;
	struct ledger *lg = cli_open_ledger(cli, &status);
	if (!lg)
		return status;
	if (strcmp(sub, "list") == 0)
		status = cmd_list(lg, all, json);
	else if (strcmp(sub, "show") == 0)
		status = cmd_show(lg, id);
	else
		status = cmd_resolve(cli, lg, &req);
	ledger_close(lg);
	return status;
}

const struct command cmd_exceptions = {
	.name = "exceptions",
	.usage = "[list [--all] [--format text|json] | show ID | resolve ID --action apply|accept|refund|dismiss "
		 "--reason TEXT [--receivable ID] [--amount A]]",
	.summary = "the queue of payments and events that need a human, and what was done about them",
	.run = run,
};
