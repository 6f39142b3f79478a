/* concilia boleto encode|check|banks: build a boleto's barcode and linha
 * digitável from the beneficiary's data, or say whether a typed or read
 * code is valid and what it holds. The rules live in codec/boleto*.c;
 * this file parses arguments and prints. */
#include "config.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli_charge.h"
#include "cli/cli_util.h"
#include "codec/boleto.h"
#include "codec/boleto_bank.h"
#include "core/date.h"
#include "core/money.h"

#define MAX_OPTS 16

enum out_format { FMT_TEXT, FMT_JSON };

static int parse_format(const char *s, enum out_format *f)
{
	if (strcmp(s, "text") == 0)
		*f = FMT_TEXT;
	else if (strcmp(s, "json") == 0)
		*f = FMT_JSON;
	else
		return -1;
	return 0;
}

static int parse_bank(const char *s, int *code)
{
	size_t n = strlen(s);
	if (n == 0 || n > 3 || strspn(s, "0123456789") != n)
		return -1;
	*code = atoi(s);
	return *code >= 1 ? 0 : -1;
}

/* YYYY-MM-DD or DD/MM/YYYY; "today" is not accepted on purpose (say the date). */
static int parse_date_arg(const char *s, cdate *out)
{
	return date_parse_text(s, strlen(s), out);
}

static void json_put_date(json_t *o, const char *key, cdate d)
{
	char buf[16];
	if (d == CDATE_NONE) {
		json_object_set_new(o, key, json_null());
		return;
	}
	date_format_iso(d, buf, sizeof buf);
	json_object_set_new(o, key, json_string(buf));
}

static void json_put_money(json_t *o, const char *key, int64_t cents)
{
	char buf[32];
	money_format(cents, buf, sizeof buf);
	json_object_set_new(o, key, json_string(buf));
}

static int json_print(json_t *o, int compact)
{
	int rc = json_dumpf(o, stdout, compact ? JSON_COMPACT : JSON_INDENT(2));
	json_decref(o);
	fputc('\n', stdout);
	return rc;
}

/* ---- encode ---- */

static int run_encode(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"bank", required_argument, NULL, 'b'},      {"agency", required_argument, NULL, 'a'},
	    {"account", required_argument, NULL, 'c'},   {"wallet", required_argument, NULL, 'w'},
	    {"agreement", required_argument, NULL, 'g'}, {"nosso-numero", required_argument, NULL, 'n'},
	    {"due", required_argument, NULL, 'd'},       {"amount", required_argument, NULL, 'm'},
	    {"opt", required_argument, NULL, 'o'},       {"format", required_argument, NULL, 'f'},
	    {"today", required_argument, NULL, 't'},     {NULL, 0, NULL, 0},
	};
	struct boleto_request rq = {.due = CDATE_NONE};
	struct boleto_opt bopts[MAX_OPTS];
	char keys[MAX_OPTS][48];
	enum out_format fmt = FMT_TEXT;
	const char *due_arg = NULL, *amount_arg = NULL, *why = NULL;
	cdate today = CDATE_NONE;
	int c, have_bank = 0;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			if (parse_bank(optarg, &rq.bank) != 0)
				return cli_usage(&cmd_boleto,
				                 "--bank takes the 3-digit COMPE code (e.g. 341)");
			have_bank = 1;
			break;
		case 'a':
			rq.agency = optarg;
			break;
		case 'c':
			rq.account = optarg;
			break;
		case 'w':
			rq.wallet = optarg;
			break;
		case 'g':
			rq.agreement = optarg;
			break;
		case 'n':
			rq.nosso_numero = optarg;
			break;
		case 'd':
			due_arg = optarg;
			break;
		case 'm':
			amount_arg = optarg;
			break;
		case 'o': {
			const char *eq = strchr(optarg, '=');
			if (!eq || eq == optarg || (size_t)(eq - optarg) >= sizeof keys[0])
				return cli_usage(&cmd_boleto, "--opt takes KEY=VALUE");
			if (rq.nopts == MAX_OPTS)
				return cli_usage(&cmd_boleto, "too many --opt");
			memcpy(keys[rq.nopts], optarg, (size_t)(eq - optarg));
			keys[rq.nopts][eq - optarg] = '\0';
			bopts[rq.nopts].key = keys[rq.nopts];
			bopts[rq.nopts].value = eq + 1;
			rq.nopts++;
			break;
		}
		case 'f':
			if (parse_format(optarg, &fmt) != 0)
				return cli_usage(&cmd_boleto, "--format takes text or json");
			break;
		case 't':
			if (parse_date_arg(optarg, &today) != 0)
				return cli_usage(&cmd_boleto, "--today takes YYYY-MM-DD");
			break;
		default:
			return cli_usage(&cmd_boleto, NULL);
		}
	}
	if (optind != argc)
		return cli_usage(&cmd_boleto, "encode takes no positional arguments");
	if (!have_bank || !rq.nosso_numero || !due_arg || !amount_arg)
		return cli_usage(&cmd_boleto, "encode needs --bank, --nosso-numero, --due and --amount");
	rq.opts = bopts;
	if (strcmp(due_arg, "none") != 0 && parse_date_arg(due_arg, &rq.due) != 0)
		return cli_usage(&cmd_boleto, "--due takes YYYY-MM-DD (or 'none': no due date in the code)");
	if (money_parse_decimal(amount_arg, strlen(amount_arg), &rq.amount_cents, &why) != 0) {
		fprintf(stderr, "concilia boleto: --amount '%s': %s\n", amount_arg, why);
		return EXIT_REJECTED;
	}
	if (rq.amount_cents < 0) {
		fprintf(stderr, "concilia boleto: --amount cannot be negative\n");
		return EXIT_REJECTED;
	}

	struct boleto_slip s;
	struct diag d;
	diag_clear(&d);
	if (boleto_encode(&rq, &s, &d) != 0) {
		cli_print_diag(&d);
		return EXIT_REJECTED;
	}
	if (!cli->quiet) {
		if (s.note)
			fprintf(stderr, "note: %s\n", s.note);
		if (today == CDATE_NONE)
			today = date_today();
		if (rq.due != CDATE_NONE && !boleto_due_in_window(rq.due, today)) {
			char t[16];
			date_format_iso(today, t, sizeof t);
			fprintf(stderr,
			        "warning: the due date is outside the window banks accept on %s (%d days "
			        "back to %d ahead); "
			        "the factor would be read as another date or refused\n",
			        t, BOLETO_WINDOW_PAST, BOLETO_WINDOW_FUTURE);
		}
	}

	const char *bank_name = boleto_bank_name(boleto_bank_find(s.bank));
	char due[16] = "", amount[32];
	date_format_iso(rq.due, due, sizeof due);
	if (fmt == FMT_JSON) {
		char code[4];
		snprintf(code, sizeof code, "%03d", s.bank);
		json_t *o = json_object();
		json_object_set_new(o, "bank", json_string(code));
		json_object_set_new(o, "bank_name", json_string(bank_name));
		json_object_set_new(o, "layout", s.layout[0] ? json_string(s.layout) : json_null());
		json_object_set_new(o, "nosso_numero", json_string(s.nosso_numero));
		json_object_set_new(o, "nosso_numero_dv",
		                    s.nosso_numero_dv[0] ? json_string(s.nosso_numero_dv) : json_null());
		json_object_set_new(o, "campo_livre", json_string(s.campo_livre));
		json_object_set_new(o, "barcode", json_string(s.barcode));
		json_object_set_new(o, "linha", json_string(s.linha));
		json_object_set_new(o, "linha_formatted", json_string(s.linha_formatted));
		json_object_set_new(o, "factor", json_integer(s.factor));
		json_put_date(o, "due", rq.due);
		json_put_money(o, "amount", rq.amount_cents);
		json_object_set_new(o, "amount_cents", json_integer(rq.amount_cents));
		if (s.note)
			json_object_set_new(o, "note", json_string(s.note));
		if (json_print(o, 0) != 0)
			return EXIT_SYSTEM;
		return EXIT_CLEAN;
	}
	money_format_brl(rq.amount_cents, amount, sizeof amount);
	printf("bank:          %03d %s%s%s\n", s.bank, bank_name, s.layout[0] ? ", " : "", s.layout);
	printf("nosso número:  %s%s%s\n", s.nosso_numero, s.nosso_numero_dv[0] ? "-" : "", s.nosso_numero_dv);
	printf("due date:      %s (factor %04d)\n", rq.due == CDATE_NONE ? "none" : due, s.factor);
	printf("amount:        %s\n", rq.amount_cents ? amount : "not fixed (0)");
	printf("campo livre:   %s\n", s.campo_livre);
	printf("barcode:       %s\n", s.barcode);
	printf("linha:         %s\n", s.linha_formatted);
	return fflush(stdout) == 0 ? EXIT_CLEAN : EXIT_SYSTEM;
}

/* ---- check ---- */

static const char *due_status_name(enum boleto_due_status st)
{
	switch (st) {
	case BOLETO_DUE_DATE:
		return "date";
	case BOLETO_DUE_NONE:
		return "none";
	case BOLETO_DUE_BELOW_1000:
		return "below_1000";
	case BOLETO_DUE_OUT_OF_WINDOW:
		return "out_of_window";
	}
	return "";
}

static const char *problem_code_name(enum boleto_problem_code c)
{
	switch (c) {
	case BOLETO_P_EMPTY:
		return "empty";
	case BOLETO_P_NOT_DIGIT:
		return "not_digit";
	case BOLETO_P_LENGTH:
		return "length";
	case BOLETO_P_ARREC_LENGTH:
		return "arrecadacao_length";
	case BOLETO_P_LINE48_NOT_8:
		return "line48_not_arrecadacao";
	case BOLETO_P_FIELD_DV:
		return "field_dv";
	case BOLETO_P_GENERAL_DV:
		return "general_dv";
	case BOLETO_P_CURRENCY:
		return "currency";
	case BOLETO_P_VALUE_ID:
		return "value_identifier";
	case BOLETO_P_ARREC_DV:
		return "arrecadacao_dv";
	case BOLETO_P_BLOCK_DV:
		return "block_dv";
	}
	return "unknown";
}

static json_t *check_json(const char *input, int rc, const struct boleto_info *in, const struct diag *d,
                          cdate reference)
{
	json_t *o = json_object();
	json_object_set_new(o, "input", json_string(input));
	json_object_set_new(o, "valid", json_boolean(rc == 0));
	json_put_date(o, "reference", reference);
	if (in->kind)
		json_object_set_new(o, "kind",
		                    json_string(in->kind == BOLETO_ARRECADACAO ? "arrecadacao" : "bancario"));
	if (in->form)
		json_object_set_new(o, "form",
		                    json_string(in->form == BOLETO_FORM_LINHA ? "linha" : "barcode"));
	if (rc != 0) {
		json_t *arr = json_array();
		char text[200];
		for (int i = 0; i < in->nproblems; i++) {
			const struct boleto_problem *p = &in->problems[i];
			json_t *po = json_object();
			json_object_set_new(po, "code", json_string(problem_code_name(p->code)));
			if (p->code == BOLETO_P_FIELD_DV || p->code == BOLETO_P_BLOCK_DV)
				json_object_set_new(po, "field", json_integer(p->where));
			if (p->code == BOLETO_P_FIELD_DV || p->code == BOLETO_P_BLOCK_DV ||
			    p->code == BOLETO_P_GENERAL_DV || p->code == BOLETO_P_ARREC_DV ||
			    p->code == BOLETO_P_CURRENCY)
				json_object_set_new(po, "expected", json_integer(p->expected));
			if (p->code != BOLETO_P_EMPTY)
				json_object_set_new(po, "found", json_integer(p->found));
			if (p->code == BOLETO_P_NOT_DIGIT)
				json_object_set_new(po, "position", json_integer(p->where));
			json_object_set_new(po, "message",
			                    json_string(boleto_problem_text(p, text, sizeof text)));
			json_array_append_new(arr, po);
		}
		json_object_set_new(o, "problems", arr);
		json_object_set_new(o, "message", json_string(d->msg));
		return o;
	}
	char fmt[BOLETO_LINHA_FMT_SIZE];
	boleto_linha_format(in->linha, strlen(in->linha), fmt);
	json_object_set_new(o, "barcode", json_string(in->barcode));
	json_object_set_new(o, "linha", json_string(in->linha));
	json_object_set_new(o, "linha_formatted", json_string(fmt));
	if (in->kind == BOLETO_BANCARIO) {
		char code[4];
		snprintf(code, sizeof code, "%03d", in->bank);
		const char *name = boleto_bank_name_of(in->bank);
		json_object_set_new(o, "bank", json_string(code));
		json_object_set_new(o, "bank_name", name ? json_string(name) : json_null());
		json_object_set_new(o, "currency", json_integer(in->currency));
		json_object_set_new(o, "factor", json_integer(in->factor));
		json_object_set_new(o, "due_status", json_string(due_status_name(in->due_status)));
		json_put_date(o, "due", in->due);
		if (in->due_status == BOLETO_DUE_OUT_OF_WINDOW)
			json_put_date(o, "due_nearest_reading", in->due_nearest);
		json_put_money(o, "amount", in->amount_cents);
		json_object_set_new(o, "amount_cents", json_integer(in->amount_cents));
		json_object_set_new(o, "campo_livre", json_string(in->campo_livre));
	} else {
		const char *seg = boleto_arrec_segment_name(in->segment);
		json_object_set_new(o, "segment", json_integer(in->segment));
		json_object_set_new(o, "segment_name", seg ? json_string(seg) : json_null());
		json_object_set_new(o, "value_identifier", json_integer(in->value_id));
		if (in->value_id == 6 || in->value_id == 8) {
			json_put_money(o, "amount", in->arrec_value);
			json_object_set_new(o, "amount_cents", json_integer(in->arrec_value));
		} else {
			json_object_set_new(o, "reference_quantity", json_integer(in->arrec_value));
		}
		json_object_set_new(o, "company", json_string(in->company));
		json_object_set_new(o, "free_field", json_string(in->free_field));
		json_put_date(o, "free_field_date", in->free_date);
	}
	return o;
}

static void check_text(const struct boleto_info *in, cdate reference)
{
	char fmt[BOLETO_LINHA_FMT_SIZE], buf[32], buf2[32];
	boleto_linha_format(in->linha, strlen(in->linha), fmt);
	printf("valid:         %s (%s)\n", in->kind == BOLETO_ARRECADACAO ? "arrecadação" : "boleto bancário",
	       in->form == BOLETO_FORM_LINHA ? "linha digitável" : "barcode");
	if (in->kind == BOLETO_BANCARIO) {
		const char *name = boleto_bank_name_of(in->bank);
		printf("bank:          %03d %s\n", in->bank, name ? name : "(not a bank concilia knows)");
	} else {
		const char *seg = boleto_arrec_segment_name(in->segment);
		printf("segment:       %d %s\n", in->segment, seg ? seg : "(unknown)");
	}
	printf("barcode:       %s\n", in->barcode);
	printf("linha:         %s\n", fmt);
	if (in->kind == BOLETO_ARRECADACAO) {
		if (in->value_id == 6 || in->value_id == 8) {
			money_format_brl(in->arrec_value, buf, sizeof buf);
			printf("amount:        %s\n", buf);
		} else {
			printf("quantity:      %lld (reference value, identifier %d)\n",
			       (long long)in->arrec_value, in->value_id);
		}
		printf("company:       %s\n", in->company);
		printf("free field:    %s\n", in->free_field);
		if (in->free_date != CDATE_NONE) {
			date_format_iso(in->free_date, buf, sizeof buf);
			printf("free date:     %s (first 8 free digits; issuer-defined)\n", buf);
		}
		return;
	}
	switch (in->due_status) {
	case BOLETO_DUE_DATE:
		date_format_iso(in->due, buf, sizeof buf);
		printf("due date:      %s (factor %04d)\n", buf, in->factor);
		break;
	case BOLETO_DUE_NONE:
		printf("due date:      none in the code (factor 0000)\n");
		break;
	case BOLETO_DUE_BELOW_1000:
		printf("due date:      none usable (factor %04d is below 1000)\n", in->factor);
		break;
	case BOLETO_DUE_OUT_OF_WINDOW:
		date_format_iso(reference, buf, sizeof buf);
		date_format_iso(in->due_nearest, buf2, sizeof buf2);
		printf("due date:      unknown: factor %04d is outside the window accepted on %s "
		       "(nearest reading %s; banks refuse such slips)\n",
		       in->factor, buf, buf2);
		break;
	}
	money_format_brl(in->amount_cents, buf, sizeof buf);
	printf("amount:        %s\n", in->amount_cents ? buf : "not fixed (0)");
	printf("campo livre:   %s\n", in->campo_livre);
}

/* line > 0: the input is that line of stdin, and the diagnostic says so. */
static int check_one(struct cli *cli, const char *input, cdate reference, enum out_format fmt, long line)
{
	int compact = line > 0;
	struct boleto_info in;
	struct diag d;
	diag_clear(&d);
	int rc = boleto_check(input, strlen(input), reference, &in, &d);
	if (fmt == FMT_JSON) {
		if (json_print(check_json(input, rc, &in, &d, reference), compact) != 0)
			return EXIT_SYSTEM;
	} else if (rc == 0) {
		check_text(&in, reference);
	}
	if (rc != 0) {
		if (fmt == FMT_TEXT || !cli->quiet) {
			fflush(stdout); /* keep the order of a batch on a shared terminal */
			if (line > 0) {
				snprintf(d.file, sizeof d.file, "<stdin>");
				d.line = line;
				d.field[0] = '\0'; /* the line is the whole code */
			}
			cli_print_diag(&d);
		}
		return EXIT_REJECTED;
	}
	if (!cli->quiet && in.kind == BOLETO_BANCARIO && !boleto_bank_name_of(in.bank))
		fprintf(stderr, "warning: bank %03d is not a bank concilia knows; the code's DVs are right\n",
		        in.bank);
	if (!cli->quiet && in.kind == BOLETO_BANCARIO && in.due_status == BOLETO_DUE_OUT_OF_WINDOW)
		fprintf(stderr,
		        "warning: factor %04d is outside the accepted window; banks refuse this slip\n",
		        in.factor);
	return EXIT_CLEAN;
}

static int run_check(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"format", required_argument, NULL, 'f'},
	    {"reference", required_argument, NULL, 'r'},
	    {NULL, 0, NULL, 0},
	};
	enum out_format fmt = FMT_TEXT;
	cdate reference = CDATE_NONE;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'f') {
			if (parse_format(optarg, &fmt) != 0)
				return cli_usage(&cmd_boleto, "--format takes text or json");
		} else if (c == 'r') {
			if (parse_date_arg(optarg, &reference) != 0)
				return cli_usage(&cmd_boleto, "--reference takes YYYY-MM-DD");
		} else {
			return cli_usage(&cmd_boleto, NULL);
		}
	}
	if (optind >= argc)
		return cli_usage(&cmd_boleto,
		                 "check needs a linha digitável or barcode (or - to read lines)");
	if (reference == CDATE_NONE)
		reference = date_today();

	if (optind + 1 == argc && strcmp(argv[optind], "-") == 0) {
		/* one code per line; the worst status wins */
		char line[512];
		int worst = EXIT_CLEAN;
		long lineno = 0;
		while (fgets(line, sizeof line, stdin)) {
			lineno++;
			size_t n = strcspn(line, "\r\n");
			if (line[n] == '\0' && !feof(stdin)) {
				fprintf(stderr, "concilia boleto: input line too long\n");
				return EXIT_REJECTED;
			}
			line[n] = '\0';
			if (n == 0)
				continue;
			int rc = check_one(cli, line, reference, fmt, lineno);
			if (rc > worst)
				worst = rc;
			if (fmt == FMT_TEXT && rc == EXIT_CLEAN)
				putchar('\n');
		}
		return worst;
	}
	/* An unquoted linha arrives as several arguments: it is one code. */
	char input[512];
	size_t used = 0;
	for (int i = optind; i < argc; i++) {
		int w = snprintf(input + used, sizeof input - used, "%s%s", i > optind ? " " : "", argv[i]);
		if (w < 0 || (size_t)w >= sizeof input - used)
			return cli_usage(&cmd_boleto, "the code is too long");
		used += (size_t)w;
	}
	return check_one(cli, input, reference, fmt, 0);
}

/* ---- banks ---- */

static int run_banks(void)
{
	char buf[512];
	const struct boleto_bank *b;
	for (size_t i = 0; (b = boleto_bank_at(i)) != NULL; i++) {
		const char *name = boleto_bank_name(b);
		/* pad by characters, not bytes: UTF-8 continuation bytes take no column */
		int width = 24;
		for (const char *p = name; *p; p++)
			if (((unsigned char)*p & 0xc0) == 0x80)
				width++;
		printf("%03d  %-*s --opt: %s\n", boleto_bank_code(b), width, name,
		       boleto_bank_option_list(b, buf, sizeof buf));
	}
	return fflush(stdout) == 0 ? EXIT_CLEAN : EXIT_SYSTEM;
}

static int run(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(&cmd_boleto, "missing subcommand: encode, check, banks or second-copy");
	/* the subcommand is argv[0] of its own option parsing */
	if (strcmp(argv[1], "encode") == 0)
		return run_encode(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "check") == 0)
		return run_check(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "banks") == 0 && argc == 2)
		return run_banks();
	if (strcmp(argv[1], "second-copy") == 0)
		return cli_boleto_second_copy(cli, argc - 1, argv + 1);
	return cli_usage(&cmd_boleto, "the subcommands are encode, check, banks and second-copy");
}

const struct command cmd_boleto = {
    .name = "boleto",
    .usage =
        "encode --bank B [--agency A] [--account C] [--wallet W] [--agreement V] --nosso-numero N\n"
        "                       --due YYYY-MM-DD|none --amount A [--opt KEY=VALUE]... [--format text|json]\n"
        "                       [--today YYYY-MM-DD]\n"
        "       concilia boleto check [--reference YYYY-MM-DD] [--format text|json] LINHA_OR_BARCODE|-\n"
        "       concilia boleto banks\n"
        "       concilia boleto second-copy RECEIVABLE_ID [--pay-on DATE] [-o FILE.pdf|.png|.svg]\n"
        "                       [--accept-stale REASON] [--interest-from due|business-day] [--dpi N]\n"
        "       concilia boleto second-copy --all-overdue DIR [--format pdf|png|svg] [--pay-on DATE] ...",
    .summary = "build or check a boleto's codes; print a receivable's second copy (through the gate)",
    .run = run,
};
