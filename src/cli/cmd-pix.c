/* concilia pix encode|decode: build a Pix BR Code ("copia e cola") from a
 * key or a charge URL, or read one and say whether it is valid and what
 * it holds, field by field. The rules live in codec/brcode.c; this file
 * parses arguments and prints. */
#include "config.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli_charge.h"
#include "cli/cli_util.h"
#include "codec/brcode.h"
#include "core/money.h"

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

static int json_print(json_t *o, int compact)
{
	int rc = json_dumpf(o, stdout, compact ? JSON_COMPACT : JSON_INDENT(2));
	json_decref(o);
	fputc('\n', stdout);
	return rc;
}

/* A piece of the payload as a JSON string, or null when absent. The
 * decoder only fills texts of valid UTF-8 payloads. */
static json_t *json_text(struct brcode_text t)
{
	json_t *j = t.s ? json_stringn(t.s, t.len) : NULL;
	return j ? j : json_null();
}

/* ---- encode ---- */

struct warnings {
	struct cli *cli;
	json_t *list; /* NULL in text mode */
};

static void encode_warning(void *ctx, const struct diag *d)
{
	struct warnings *w = ctx;
	if (!w->cli->quiet)
		cli_print_diag(d);
	if (w->list) {
		json_t *o = json_object();
		json_object_set_new(o, "field", json_string(d->field));
		json_object_set_new(o, "message", json_string(d->msg));
		json_array_append_new(w->list, o);
	}
}

static int run_encode(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"key", required_argument, NULL, 'k'},
	    {"url", required_argument, NULL, 'u'},
	    {"name", required_argument, NULL, 'n'},
	    {"city", required_argument, NULL, 'c'},
	    {"amount", required_argument, NULL, 'a'},
	    {"txid", required_argument, NULL, 't'},
	    {"description", required_argument, NULL, 'd'},
	    {"postal-code", required_argument, NULL, 'p'},
	    {"initiation", required_argument, NULL, 'i'},
	    {"format", required_argument, NULL, 'f'},
	    {NULL, 0, NULL, 0},
	};
	struct brcode_request rq = {0};
	enum out_format fmt = FMT_TEXT;
	const char *amount_arg = NULL, *why = NULL;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'k':
			rq.key = optarg;
			break;
		case 'u':
			rq.url = optarg;
			break;
		case 'n':
			rq.name = optarg;
			break;
		case 'c':
			rq.city = optarg;
			break;
		case 'a':
			amount_arg = optarg;
			break;
		case 't':
			rq.txid = optarg;
			break;
		case 'd':
			rq.description = optarg;
			break;
		case 'p':
			rq.postal_code = optarg;
			break;
		case 'i':
			if (strcmp(optarg, "11") == 0)
				rq.initiation = 11;
			else if (strcmp(optarg, "12") == 0)
				rq.initiation = 12;
			else
				return cli_usage(&cmd_pix,
				                 "--initiation takes 11 (reusable) or 12 (single use)");
			break;
		case 'f':
			if (parse_format(optarg, &fmt) != 0)
				return cli_usage(&cmd_pix, "--format takes text or json");
			break;
		default:
			return cli_usage(&cmd_pix, NULL);
		}
	}
	if (optind != argc)
		return cli_usage(&cmd_pix, "encode takes no positional arguments");
	if ((rq.key != NULL) == (rq.url != NULL))
		return cli_usage(&cmd_pix,
		                 "encode needs --key (static code) or --url (dynamic code), not both");
	if (!rq.name || !rq.city)
		return cli_usage(&cmd_pix, "encode needs --name and --city");
	if (amount_arg) {
		if (money_parse_decimal(amount_arg, strlen(amount_arg), &rq.amount_cents, &why) != 0) {
			fprintf(stderr, "concilia pix: --amount '%s': %s\n", amount_arg, why);
			return EXIT_REJECTED;
		}
		if (rq.amount_cents <= 0) {
			fprintf(stderr,
			        "concilia pix: --amount must be more than zero (leave it out for a code "
			        "where the payer types the amount)\n");
			return EXIT_REJECTED;
		}
	}

	struct warnings w = {cli, fmt == FMT_JSON ? json_array() : NULL};
	struct brcode_payload p;
	struct diag d;
	diag_clear(&d);
	if (brcode_encode(&rq, &p, encode_warning, &w, &d) != 0) {
		json_decref(w.list);
		cli_print_diag(&d);
		return EXIT_REJECTED;
	}
	/* What we emit must pass our own decoder (pix.md §5). */
	static struct brcode_info in;
	if (brcode_decode(p.text, p.len, &in) != 0 || in.nwarnings != 0) {
		json_decref(w.list);
		fprintf(stderr, "concilia pix: internal error: the code built does not decode cleanly: %s\n",
		        in.nproblems ? in.problems[0].msg : "?");
		return EXIT_SYSTEM;
	}
	if (fmt == FMT_JSON) {
		char amount[32];
		json_t *o = json_object();
		json_object_set_new(o, "payload", json_stringn(p.text, p.len));
		json_object_set_new(o, "kind", json_string(brcode_kind_name(in.kind)));
		json_object_set_new(o, "key", json_text(in.key));
		json_object_set_new(o, "key_type",
		                    in.key.s ? json_string(brcode_key_type_name(in.key_type)) : json_null());
		json_object_set_new(o, "url", json_text(in.url));
		json_object_set_new(o, "name", json_text(in.name));
		json_object_set_new(o, "city", json_text(in.city));
		if (in.amount.s) {
			money_format(in.amount_cents, amount, sizeof amount);
			json_object_set_new(o, "amount", json_string(amount));
			json_object_set_new(o, "amount_cents", json_integer(in.amount_cents));
		} else {
			json_object_set_new(o, "amount", json_null());
			json_object_set_new(o, "amount_cents", json_null());
		}
		json_object_set_new(o, "txid", json_text(in.txid));
		json_object_set_new(o, "description", json_text(in.description));
		json_object_set_new(o, "postal_code", json_text(in.postal_code));
		json_object_set_new(o, "initiation",
		                    in.initiation ? json_integer(in.initiation) : json_null());
		json_object_set_new(o, "crc", json_text(in.crc));
		json_object_set_new(o, "length", json_integer((json_int_t)p.len));
		json_object_set_new(o, "warnings", w.list);
		return json_print(o, 0) == 0 ? EXIT_CLEAN : EXIT_SYSTEM;
	}
	printf("%s\n", p.text);
	return fflush(stdout) == 0 ? EXIT_CLEAN : EXIT_SYSTEM;
}

/* ---- decode ---- */

static json_t *objects_json(const struct brcode_info *in, int from, int to)
{
	json_t *arr = json_array();
	for (int i = from; i < to; i += 1 + in->objects[i].nchildren) {
		const struct brcode_object *o = &in->objects[i];
		char id[4];
		snprintf(id, sizeof id, "%02u", o->id);
		const char *name = brcode_object_name(o->parent, o->id, in->pix_template);
		json_t *j = json_object();
		json_object_set_new(j, "id", json_string(id));
		json_object_set_new(j, "length", json_integer(o->nchars));
		json_object_set_new(j, "column", json_integer(o->column));
		json_object_set_new(j, "name", name ? json_string(name) : json_null());
		json_object_set_new(j, "value", json_text(o->value));
		if (o->nchildren)
			json_object_set_new(j, "objects", objects_json(in, i + 1, i + 1 + o->nchildren));
		json_array_append_new(arr, j);
	}
	return arr;
}

static json_t *problems_json(const struct brcode_info *in, enum diag_severity sev)
{
	json_t *arr = json_array();
	for (int i = 0; i < in->nproblems; i++) {
		const struct brcode_problem *p = &in->problems[i];
		if (p->severity != sev)
			continue;
		json_t *j = json_object();
		json_object_set_new(j, "code", json_string(brcode_problem_name(p->code)));
		json_object_set_new(j, "field", p->field[0] ? json_string(p->field) : json_null());
		json_object_set_new(j, "column", p->column ? json_integer(p->column) : json_null());
		json_object_set_new(j, "message", json_string(p->msg));
		json_array_append_new(arr, j);
	}
	return arr;
}

static json_t *decode_json(const char *input, size_t len, int rc, const struct brcode_info *in)
{
	json_t *o = json_object();
	json_t *inp = json_stringn(input, len);
	char buf[32];
	json_object_set_new(o, "input", inp ? inp : json_null());
	json_object_set_new(o, "valid", json_boolean(rc == 0));
	json_object_set_new(o, "kind", json_string(brcode_kind_name(in->kind)));
	json_object_set_new(o, "length", json_integer((json_int_t)in->nchars));
	json_object_set_new(o, "initiation", in->initiation ? json_integer(in->initiation) : json_null());
	json_object_set_new(o, "gui", json_text(in->gui));
	json_object_set_new(o, "key", json_text(in->key));
	json_object_set_new(o, "key_type",
	                    in->key.s ? json_string(brcode_key_type_name(in->key_type)) : json_null());
	json_object_set_new(o, "url", json_text(in->url));
	json_object_set_new(o, "recurrence_url", json_text(in->recurrence_url));
	json_object_set_new(o, "description", json_text(in->description));
	json_object_set_new(o, "fss", json_text(in->fss));
	json_object_set_new(o, "mcc", json_text(in->mcc));
	json_object_set_new(o, "currency", json_text(in->currency));
	if (in->amount.s && in->amount_cents > 0) {
		money_format(in->amount_cents, buf, sizeof buf);
		json_object_set_new(o, "amount", json_string(buf));
		json_object_set_new(o, "amount_cents", json_integer(in->amount_cents));
	} else {
		json_object_set_new(o, "amount", json_null());
		json_object_set_new(o, "amount_cents", json_null());
	}
	json_object_set_new(o, "amount_text", json_text(in->amount));
	json_object_set_new(o, "country", json_text(in->country));
	json_object_set_new(o, "name", json_text(in->name));
	json_object_set_new(o, "city", json_text(in->city));
	json_object_set_new(o, "postal_code", json_text(in->postal_code));
	json_object_set_new(o, "txid", json_text(in->txid));
	json_object_set_new(o, "crc", json_text(in->crc));
	if (in->crc_checked) {
		snprintf(buf, sizeof buf, "%04X", in->crc_computed);
		json_object_set_new(o, "crc_computed", json_string(buf));
	} else {
		json_object_set_new(o, "crc_computed", json_null());
	}
	json_object_set_new(o, "objects", objects_json(in, 0, in->nobjects));
	json_object_set_new(o, "errors", problems_json(in, DIAG_ERROR));
	json_object_set_new(o, "warnings", problems_json(in, DIAG_WARNING));
	return o;
}

static void print_line(const char *label, struct brcode_text t, const char *absent)
{
	if (t.s)
		printf("%-14s %.*s\n", label, (int)t.len, t.s);
	else if (absent)
		printf("%-14s %s\n", label, absent);
}

static void objects_text(const struct brcode_info *in)
{
	printf("objects:\n");
	for (int i = 0; i < in->nobjects; i++) {
		const struct brcode_object *o = &in->objects[i];
		const char *name = brcode_object_name(o->parent, o->id, in->pix_template);
		char id[8];
		if (o->parent == BRCODE_TOP)
			snprintf(id, sizeof id, "%02u", o->id);
		else
			snprintf(id, sizeof id, "  %02u", o->id);
		if (o->nchildren)
			printf("  %-5s %2u  (%u object%s)%s%s%s\n", id, o->nchars, o->nchildren,
			       o->nchildren == 1 ? "" : "s", name ? "  [" : "", name ? name : "",
			       name ? "]" : "");
		else
			printf("  %-5s %2u  %.*s%s%s%s\n", id, o->nchars, (int)o->value.len, o->value.s,
			       name ? "  [" : "", name ? name : "", name ? "]" : "");
	}
}

static void decode_text(const struct brcode_info *in, int rc)
{
	char buf[32];
	if (rc == 0)
		printf("%-14s yes, %s Pix code%s\n", "valid:", brcode_kind_name(in->kind),
		       in->nwarnings ? " (with warnings)" : "");
	else
		printf("%-14s no (%d error%s)\n", "valid:", in->nerrors, in->nerrors == 1 ? "" : "s");
	if (in->key.s)
		printf("%-14s %.*s (%s)\n", "key:", (int)in->key.len, in->key.s,
		       brcode_key_type_name(in->key_type));
	print_line("url:", in->url, NULL);
	print_line("recurrence:", in->recurrence_url, NULL);
	if (in->amount.s && in->amount_cents > 0) {
		char canon[24];
		brcode_amount_format(in->amount_cents, canon);
		money_format_brl(in->amount_cents, buf, sizeof buf);
		if (in->amount.len == strlen(canon) && memcmp(in->amount.s, canon, in->amount.len) == 0)
			printf("%-14s %s\n", "amount:", buf);
		else
			printf("%-14s %s (written %.*s)\n", "amount:", buf, (int)in->amount.len,
			       in->amount.s);
	} else if (in->kind == BRCODE_STATIC && !in->amount.s) {
		printf("%-14s %s\n", "amount:", "not fixed (the payer types it)");
	}
	print_line("txid:", in->txid, NULL);
	print_line("name:", in->name, NULL);
	print_line("city:", in->city, NULL);
	print_line("postal code:", in->postal_code, NULL);
	print_line("information:", in->description, NULL);
	if (in->initiation)
		printf("%-14s %d (%s)\n", "initiation:", in->initiation,
		       in->initiation == 11 ? "reusable" : "single use");
	if (in->crc.s) {
		char state[48] = "not checked";
		if (in->crc_checked) {
			snprintf(buf, sizeof buf, "%04X", in->crc_computed);
			if (in->crc.len == 4 && memcmp(in->crc.s, buf, 4) == 0)
				snprintf(state, sizeof state, "ok");
			else
				snprintf(state, sizeof state, "computed %s", buf);
		}
		printf("%-14s %.*s (%s)\n", "crc:", (int)in->crc.len, in->crc.s, state);
	}
	if (in->nobjects)
		objects_text(in);
}

/* line > 0: the payload is that line of stdin. */
static int decode_one(struct cli *cli, const char *input, size_t len, enum out_format fmt, long line)
{
	static struct brcode_info in;
	int rc = brcode_decode(input, len, &in);
	if (fmt == FMT_JSON) {
		if (json_print(decode_json(input, len, rc, &in), line > 0) != 0)
			return EXIT_SYSTEM;
	} else {
		decode_text(&in, rc);
	}
	fflush(stdout); /* keep stdout and stderr in order on a terminal */
	for (int i = 0; i < in.nproblems; i++) {
		const struct brcode_problem *p = &in.problems[i];
		if (p->severity == DIAG_WARNING ? cli->quiet : fmt == FMT_JSON && cli->quiet)
			continue;
		struct diag d;
		diag_clear(&d);
		/* a problem about the payload as a whole (a missing object) is
		 * placed at its first column */
		diag_set(&d, p->severity, line > 0 ? "<stdin>" : "payload", line > 0 ? line : 1,
		         p->column ? p->column : 1, p->field[0] ? p->field : NULL, "%s", p->msg);
		cli_print_diag(&d);
	}
	int more = in.nerrors + in.nwarnings - in.nproblems;
	if (more > 0 && !cli->quiet)
		fprintf(stderr, "concilia pix: %d more problem%s not shown\n", more, more == 1 ? "" : "s");
	return rc == 0 ? EXIT_CLEAN : EXIT_REJECTED;
}

static int run_decode(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"format", required_argument, NULL, 'f'},
	    {NULL, 0, NULL, 0},
	};
	enum out_format fmt = FMT_TEXT;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'f' || parse_format(optarg, &fmt) != 0)
			return cli_usage(&cmd_pix, c == 'f' ? "--format takes text or json" : NULL);
	}
	if (optind + 1 != argc)
		return cli_usage(&cmd_pix, optind == argc
		                               ? "decode needs a payload (or - to read lines)"
		                               : "decode takes one payload: quote it (it holds spaces)");
	if (strcmp(argv[optind], "-") != 0)
		return decode_one(cli, argv[optind], strlen(argv[optind]), fmt, 0);

	/* One payload per line; the line end (LF or CRLF) is not part of it.
	 * The worst status wins. */
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0;
	int worst = EXIT_CLEAN, seen = 0;
	while ((n = getline(&line, &cap, stdin)) != -1) {
		lineno++;
		size_t len = (size_t)n;
		if (len && line[len - 1] == '\n')
			len--;
		if (len && line[len - 1] == '\r')
			len--;
		if (len == 0)
			continue;
		if (seen++ && fmt == FMT_TEXT)
			putchar('\n');
		int rc = decode_one(cli, line, len, fmt, lineno);
		if (rc > worst)
			worst = rc;
	}
	free(line);
	if (!seen) {
		fprintf(stderr, "concilia pix: no payload on standard input\n");
		return EXIT_REJECTED;
	}
	return worst;
}

static int run(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(&cmd_pix, "missing subcommand: encode, decode or qr");
	if (strcmp(argv[1], "encode") == 0)
		return run_encode(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "decode") == 0)
		return run_decode(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "qr") == 0)
		return cli_pix_qr(cli, argc - 1, argv + 1);
	return cli_usage(&cmd_pix, "the subcommands are encode, decode and qr");
}

const struct command cmd_pix = {
    .name = "pix",
    .usage = "encode (--key KEY | --url URL) --name NAME --city CITY [--amount A] [--txid T]\n"
             "                    [--description D] [--postal-code CEP] [--initiation 11|12] [--format "
             "text|json]\n"
             "       concilia pix decode [--format text|json] PAYLOAD|-\n"
             "       concilia pix qr RECEIVABLE_ID [--pay-on DATE] [-o FILE.png|FILE.svg|-] [--module PX]\n"
             "                    [--accept-stale REASON] [--interest-from due|business-day]",
    .summary = "build a Pix BR Code (copia e cola), or decode and check one (exit 2 when invalid)",
    .run = run,
};
