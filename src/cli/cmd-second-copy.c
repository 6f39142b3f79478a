/* concilia boleto second-copy: the ficha de compensação and the recibo do
 * pagador of a receivable, through the charge gate, as PDF, PNG or SVG.
 * The gate and every figure come from gate/charge.c; the page from
 * render/boleto_render.c; this file maps one onto the other and writes
 * the file. */
#include "config.h"
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli_charge.h"
#include "core/money.h"
#include "render/boleto_render.h"

/* The page, field by field, from the prepared charge. Pointers into c. */
static void copy_of(const struct charge *c, cdate today, struct boleto_copy *b)
{
	const struct receivable_row *r = &c->rcv.row;
	const struct ledger_account *a = &c->account;
	int64_t mora = c->due.fine_cents + c->due.interest_cents;
	bool adjusted = mora || c->due.discount_cents || c->allocated_cents;

	memset(b, 0, sizeof *b);
	b->bank = c->slip.bank;
	b->barcode = c->slip.barcode;
	b->linha = c->slip.linha;
	b->beneficiary.name = a->name;
	b->beneficiary.document = a->document;
	b->beneficiary.address = a->address;
	b->beneficiary.cep = a->cep;
	b->beneficiary.city = a->city;
	b->beneficiary.uf = a->uf;
	b->agency_code = c->agency_code;
	b->payer.name = r->debtor_name;
	b->payer.document = r->debtor_document;
	b->nosso_numero = c->nosso_numero_printed;
	b->numero_documento = r->id;
	b->carteira = a->wallet;
	b->document_date = r->issue_date;
	b->processing_date = today;
	b->due_date = r->due_date;
	b->amount_cents = r->amount_cents;
	b->discount_cents = c->due.discount_cents;
	b->deduction_cents = c->allocated_cents;
	b->mora_cents = mora;
	b->charged_cents = adjusted ? c->amount_due_cents : 0;
	b->charges_date = adjusted ? c->pay_on : CDATE_NONE;
	for (int i = 0; i < c->ninstructions && i < BOLETO_RENDER_MAX_INSTRUCTIONS; i++)
		b->instructions[i] = c->instructions[i];
	b->pix_payload = c->has_pix ? c->pix.text : NULL;
}

/* Renders into a temporary name beside path (same extension, so the
 * format is known), journals, then renames: a file exists only for a
 * document the journal records. */
static int write_copy(struct cli *cli, struct ledger *lg, const struct charge *c, const char *path, int dpi,
                      const char *accept_stale, cdate today)
{
	struct boleto_copy b;
	struct diag d;
	char tmp[1200];
	const char *ext = strrchr(path, '.');

	copy_of(c, today, &b);
	snprintf(tmp, sizeof tmp, "%.*s.concilia-tmp-%ld%s", (int)strlen(path) - (int)strlen(ext ? ext : ""),
	         path, (long)getpid(), ext ? ext : "");
	if (boleto_render_file(&b, 1, tmp, dpi, &d) != 0) {
		if (strcmp(d.file, tmp) == 0)
			snprintf(d.file, sizeof d.file, "%s", path);
		cli_print_diag(&d);
		return d.field[0] ? EXIT_REJECTED : EXIT_SYSTEM;
	}
	if (charge_record(lg, c, "second_copy", path, accept_stale, &d) != 0) {
		remove(tmp);
		cli_print_diag(&d);
		return EXIT_SYSTEM;
	}
	if (rename(tmp, path) != 0) {
		fprintf(stderr, "%s: cannot write: %s\n", path, strerror(errno));
		remove(tmp);
		return EXIT_SYSTEM;
	}
	if (!cli->quiet) {
		char face[32], due[32], date[16];
		money_format_brl(c->rcv.row.amount_cents, face, sizeof face);
		money_format_brl(c->amount_due_cents, due, sizeof due);
		date_format_iso(c->pay_on, date, sizeof date);
		printf("%s: second copy of %s, face value %s, %s due on %s%s%s\n", path, c->rcv.row.id, face,
		       due, date, c->has_pix ? ", with Pix QR" : "",
		       c->decision.stale_overridden ? " (stale import accepted, journaled)" : "");
	}
	return EXIT_CLEAN;
}

/* A receivable id as a file name: what is not a letter, digit, '-', '_'
 * or '.' becomes '_', and a leading '.' too. */
static void file_name(const char *id, const char *dir, const char *ext, char *out, size_t n)
{
	char safe[70];
	size_t i;
	for (i = 0; id[i] && i < sizeof safe - 1; i++) {
		char ch = id[i];
		safe[i] = (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		                  ch == '-' || ch == '_' || (ch == '.' && i > 0)
		              ? ch
		              : '_';
	}
	safe[i] = '\0';
	snprintf(out, n, "%s%s%s%s", dir ? dir : "", dir ? "/" : "", safe, ext);
}

struct overdue {
	char (*ids)[65];
	size_t n, cap;
	const struct calendar *cal;
	cdate pay_on;
};

static int collect_overdue(void *ctx, const struct ledger_receivable *r)
{
	struct overdue *o = ctx;
	/* overdue = past the due date moved to a business day: a slip due on
	 * a Saturday is still on time on Monday */
	if (calendar_next_business_day(o->cal, r->row.due_date) >= o->pay_on)
		return 0;
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 64;
		void *p = realloc(o->ids, cap * sizeof *o->ids);
		if (!p)
			return -1;
		o->ids = p;
		o->cap = cap;
	}
	snprintf(o->ids[o->n++], sizeof o->ids[0], "%s", r->row.id);
	return 0;
}

static int all_overdue(struct cli *cli, struct ledger *lg, const char *dir, const char *ext, int dpi,
                       const struct charge_options *o)
{
	static struct charge c;
	struct overdue od = {NULL, 0, 0, o->cal, o->today};
	struct stat sb;
	struct diag d;
	int worst = EXIT_CLEAN;
	long written = 0, refused = 0;

	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "%s: not a directory\n", dir);
		return EXIT_REJECTED;
	}
#if defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
	/* Every PDF stream opens a zlib state of ~300 KB and frees it; by
	 * default glibc hands each back to the kernel (munmap, page faults
	 * on the next one): a third of the time of a page in a batch. Keep
	 * them in the heap for the batch. */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
	diag_clear(&d);
	/* ids first, documents after: the journal writes while no query is open */
	int rc = ledger_receivables_due_before(lg, o->today, collect_overdue, &od, &d);
	if (rc != 0) {
		if (rc < 0 && !d.msg[0])
			fprintf(stderr, "concilia boleto: out of memory\n");
		else
			cli_print_diag(&d);
		free(od.ids);
		return EXIT_SYSTEM;
	}
	for (size_t i = 0; i < od.n; i++) {
		char path[1200];
		int st = cli_charge_prepare(cli, lg, od.ids[i], o, &c);
		if (st == EXIT_CLEAN) {
			file_name(od.ids[i], dir, ext, path, sizeof path);
			st = write_copy(cli, lg, &c, path, dpi, o->accept_stale, o->today);
		}
		if (st == EXIT_CLEAN)
			written++;
		else
			refused++;
		if (st > worst)
			worst = st;
		if (st == EXIT_SYSTEM)
			break;
	}
	free(od.ids);
	if (!cli->quiet)
		printf("%s: %ld overdue receivable%s: %ld second cop%s written, %ld not sent\n", dir,
		       (long)od.n, od.n == 1 ? "" : "s", written, written == 1 ? "y" : "ies", refused);
	return worst;
}

int cli_boleto_second_copy(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"pay-on", required_argument, NULL, 'p'},        {"output", required_argument, NULL, 'o'},
	    {"all-overdue", required_argument, NULL, 'A'},   {"accept-stale", required_argument, NULL, 's'},
	    {"interest-from", required_argument, NULL, 'i'}, {"dpi", required_argument, NULL, 'r'},
	    {"format", required_argument, NULL, 'f'},        {NULL, 0, NULL, 0},
	};
	struct cli_charge_args args = {0};
	struct charge_options o = {.kind = CHARGE_BOLETO};
	const char *output = NULL, *dir = NULL, *ext = ".pdf";
	int c, dpi = 0;
	static struct charge ch; /* a few KB of candidates and codes: off the stack */

	optind = 0;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			args.pay_on = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'A':
			dir = optarg;
			break;
		case 's':
			args.accept_stale = optarg;
			break;
		case 'i':
			args.interest_from = optarg;
			break;
		case 'r':
			dpi = atoi(optarg);
			if (dpi < 72 || dpi > 1200)
				return cli_usage(&cmd_boleto, "--dpi takes 72..1200 (PNG only)");
			break;
		case 'f':
			if (strcmp(optarg, "pdf") == 0 || strcmp(optarg, "png") == 0 ||
			    strcmp(optarg, "svg") == 0)
				ext = strcmp(optarg, "pdf") == 0   ? ".pdf"
				      : strcmp(optarg, "png") == 0 ? ".png"
				                                   : ".svg";
			else
				return cli_usage(&cmd_boleto, "--format takes pdf, png or svg");
			break;
		default:
			return cli_usage(&cmd_boleto, NULL);
		}
	}
	if (dir ? optind != argc || output : optind + 1 != argc)
		return cli_usage(&cmd_boleto,
		                 dir ? "--all-overdue DIR takes no receivable id and no -o"
		                     : "second-copy takes one receivable id (or --all-overdue DIR)");
	if (output && boleto_render_format_of(output) == 0)
		return cli_usage(&cmd_boleto, "-o FILE must end in .pdf, .png or .svg");
	int st = cli_charge_options(&cmd_boleto, &args, &o);
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
	if (dir) {
		if (args.pay_on && o.pay_on != o.today)
			fprintf(stderr,
			        "concilia boleto: note: --all-overdue computes amounts for --pay-on but "
			        "picks receivables overdue today\n");
		st = all_overdue(cli, lg, dir, ext, dpi, &o);
	} else {
		const char *id = argv[optind];
		char path[1200];
		st = cli_charge_prepare(cli, lg, id, &o, &ch);
		if (st == EXIT_CLEAN) {
			if (!output)
				file_name(id, NULL, ext, path, sizeof path);
			else
				snprintf(path, sizeof path, "%s", output);
			st = write_copy(cli, lg, &ch, path, dpi, o.accept_stale, o.today);
		}
	}
	ledger_close(lg);
	calendar_free(cal);
	boleto_render_release();
	return st;
}
