/* concilia inspect FILE: a bank file record by record, with field names,
 * raw bytes and decoded values, and each problem marked under the record it
 * belongs to. No database: this is what staff run when a bank sends a
 * strange file. */
#include "config.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_util.h"
#include "codec/bank_file.h"
#include "codec/cnab240.h"
#include "codec/layout.h"
#include "core/date.h"
#include "core/fileio.h"
#include "core/money.h"
#include "core/text.h"

struct collected {
	struct diag *d;
	size_t n, cap;
};

static void collect(void *ctx, const struct diag *d)
{
	struct collected *c = ctx;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 32;
		struct diag *nd = realloc(c->d, cap * sizeof *nd);
		if (!nd)
			return; /* inspecting goes on; the record listing is still right */
		c->d = nd;
		c->cap = cap;
	}
	c->d[c->n++] = *d;
}

static const char *severity_word(enum diag_severity sev)
{
	return sev == DIAG_ERROR ? "error" : sev == DIAG_NOTE ? "note" : "warning";
}

static void print_marks(const struct collected *c, long line)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct diag *d = &c->d[i];
		if (d->line != line)
			continue;
		printf("    ^ %s", severity_word(d->severity));
		if (d->col)
			printf(" at column %d", d->col);
		if (d->field[0])
			printf(", field '%s'", d->field);
		printf(": %s\n", d->msg);
	}
}

/* The field decoded as its type says, or the reason it cannot be. */
static void print_field(const struct layout *l, const struct layout_field *f, const unsigned char *rec,
			long line, cdate pivot)
{
	size_t len;
	const unsigned char *raw = layout_field_bytes(f, rec, &len);
	char shown[512], value[160] = "";
	struct layout_where w = {.file = "", .line = line};
	struct diag err;
	diag_clear(&err);
	text_cp1252_to_utf8(raw, len, shown, sizeof shown);

	int rc = 0;
	switch (f->type) {
	case LAYOUT_MONEY: {
		int64_t cents;
		rc = layout_read_money(f, rec, &w, &cents, &err);
		if (rc == 0)
			money_format_brl(cents, value, sizeof value);
		break;
	}
	case LAYOUT_DATE8:
	case LAYOUT_DATE6:
	case LAYOUT_DATE8YMD: {
		cdate d;
		rc = layout_read_date(f, rec, &w, pivot, &d, &err);
		if (rc == 0) {
			if (d == CDATE_NONE)
				snprintf(value, sizeof value, "(no date)");
			else
				date_format_iso(d, value, sizeof value);
		}
		break;
	}
	case LAYOUT_NUM: {
		int64_t v;
		rc = layout_read_num(f, rec, &w, &v, &err);
		if (rc == 0)
			snprintf(value, sizeof value, "%lld", (long long)v);
		break;
	}
	default:
		break;
	}
	/* Movement codes: say what the bank means by them. */
	if (rc == 0 && strcmp(f->name, "codigo_movimento") == 0) {
		char code[8];
		layout_read_raw(f, rec, code, sizeof code);
		const struct layout_occurrence *o = layout_occurrence(l, code, strlen(code));
		snprintf(value, sizeof value, "%s", o ? o->text : "(code not in this layout's table)");
		if (o)
			snprintf(value + strlen(value), sizeof value - strlen(value), " [%s]",
				 event_kind_name(o->kind));
	}
	printf("  %3d-%-3d %-26s \"%s\"", f->start, f->end, f->name, shown);
	if (rc != 0)
		printf("  <-- %s", err.msg);
	else if (value[0])
		printf("  = %s", value);
	putchar('\n');
}

/* Statements (camt, API Pix JSON, OFX) have no fixed records: each entry
 * is listed as the normalized event concilia would record, with the line
 * it starts on. Problems and notes (entries not imported) are shown in
 * line order: under the event whose lines they fall in, or on their own
 * line between events. */
struct statement_listing {
	const struct diag **marks; /* sorted by line, line 0 last */
	size_t n, next;
	long events;
};

static void print_mark_line(const struct diag *d)
{
	printf("line %ld: %s", d->line, severity_word(d->severity));
	if (d->col)
		printf(" at column %d", d->col);
	if (d->field[0])
		printf(", field '%s'", d->field);
	printf(": %s\n", d->msg);
}

static void print_mark_under(const struct diag *d)
{
	printf("    ^ %s", severity_word(d->severity));
	if (d->line && d->col)
		printf(" at column %d", d->col);
	else if (d->line)
		printf(" at line %ld", d->line);
	if (d->field[0])
		printf(", field '%s'", d->field);
	printf(": %s\n", d->msg);
}

/* Marks before line `before` on their own lines. */
static void flush_marks_before(struct statement_listing *sl, long before)
{
	while (sl->next < sl->n && sl->marks[sl->next]->line > 0 && sl->marks[sl->next]->line < before)
		print_mark_line(sl->marks[sl->next++]);
}

static int mark_order(const void *a, const void *b)
{
	const struct diag *x = *(const struct diag *const *)a, *y = *(const struct diag *const *)b;
	long lx = x->line ? x->line : LONG_MAX, ly = y->line ? y->line : LONG_MAX;
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return x < y ? -1 : x > y; /* stable: parse order */
}

static void print_text(const char *name, const char *value)
{
	if (value[0])
		printf("    %-16s %s\n", name, value);
}

static void print_cents(const char *name, int64_t cents)
{
	char buf[40];
	money_format(cents, buf, sizeof buf);
	printf("    %-16s %s\n", name, buf);
}

static void print_date(const char *name, cdate d)
{
	char buf[16];
	if (d == CDATE_NONE)
		return;
	date_format_iso(d, buf, sizeof buf);
	printf("    %-16s %s\n", name, buf);
}

static int print_statement_event(void *ctx, const struct bank_event *ev, struct diag *d)
{
	struct statement_listing *sl = ctx;
	(void)d;
	sl->events++;
	flush_marks_before(sl, ev->line);
	printf("line %ld: %s%s\n", ev->line, event_kind_name(ev->kind), ev->weak_identity ? " (weak identity)" : "");
	print_text("identity", ev->identity);
	print_text("end_to_end_id", ev->end_to_end_id);
	print_text("txid", ev->txid);
	print_text("refund_id", ev->refund_id);
	print_text("statement_ref", ev->statement_ref);
	print_cents("amount", ev->paid_cents);
	print_date("date", ev->occurrence_date);
	print_date("credit_date", ev->credit_date);
	print_text("payer_name", ev->payer_name);
	if (ev->payer_document[0])
		printf("    %-16s %s%s\n", "payer_document", ev->payer_document,
		       ev->payer_document_partial ? " (masked: partial)" : "");
	print_text("free_text", ev->free_text);
	while (sl->next < sl->n && sl->marks[sl->next]->line >= ev->line &&
	       sl->marks[sl->next]->line <= (ev->line_end > ev->line ? ev->line_end : ev->line))
		print_mark_under(sl->marks[sl->next++]);
	return 0;
}

static int inspect_statement(const char *path, const struct bank_file_format *fmt, const struct file_bytes *fb)
{
	struct collected marks = {0};
	struct statement_listing sl = {0};
	struct cnab_file_info info;
	struct diag err;
	diag_clear(&err);
	memset(&info, 0, sizeof info);
	/* Problems first (collected by a dry parse), then the listing. */
	int prc = bank_file_parse(fmt, path, fb->data, fb->len, &info, NULL, NULL, collect, &marks, &err);
	if (prc != 0)
		collect(&marks, &err);
	sl.marks = marks.n ? malloc(marks.n * sizeof *sl.marks) : NULL;
	if (marks.n && !sl.marks) {
		free(marks.d);
		return EXIT_SYSTEM;
	}
	for (size_t i = 0; i < marks.n; i++)
		sl.marks[i] = &marks.d[i];
	sl.n = marks.n;
	if (sl.n)
		qsort(sl.marks, sl.n, sizeof *sl.marks, mark_order);
	printf("%s: %s, %s", path, fmt->family, info.layout_name ? info.layout_name : "-");
	if (info.agreement[0])
		printf(", account %s", info.agreement);
	printf("\n");
	if (prc == 0) {
		struct diag ignored;
		diag_clear(&ignored);
		bank_file_parse(fmt, path, fb->data, fb->len, &info, print_statement_event, &sl, NULL, NULL, &ignored);
	}
	flush_marks_before(&sl, LONG_MAX);
	while (sl.next < sl.n)
		print_mark_under(sl.marks[sl.next++]);
	long errors = 0, warnings = 0, notes = 0;
	for (size_t i = 0; i < marks.n; i++) {
		if (marks.d[i].severity == DIAG_ERROR)
			errors++;
		else if (marks.d[i].severity == DIAG_NOTE)
			notes++;
		else
			warnings++;
	}
	printf("%s: ", path);
	if (prc == 0) {
		printf("%ld entr%s, %ld event%s", info.records, info.records == 1 ? "y" : "ies", sl.events,
		       sl.events == 1 ? "" : "s");
		if (info.records > info.titles)
			printf(" (%ld entr%s not imported: not money received)", info.records - info.titles,
			       info.records - info.titles == 1 ? "y" : "ies");
		printf("; ");
	}
	printf("%ld error%s, %ld warning%s", errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
	if (notes)
		printf(", %ld note%s", notes, notes == 1 ? "" : "s");
	printf(": %s\n", prc == 0 ? "concilia would import it" : "concilia would refuse it");
	free(sl.marks);
	free(marks.d);
	return prc == 0 ? EXIT_CLEAN : EXIT_REJECTED;
}

static int run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"layout", required_argument, NULL, 'l'}, {NULL, 0, NULL, 0}};
	const char *layout_path = NULL;
	int c;
	(void)cli;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'l')
			layout_path = optarg;
		else
			return cli_usage(&cmd_inspect, NULL);
	}
	if (optind != argc - 1)
		return cli_usage(&cmd_inspect, "expected exactly one FILE");
	const char *path = argv[optind];

	struct file_bytes fb;
	struct diag d;
	diag_clear(&d);
	if (file_bytes_read(path, &fb, &d) != 0) {
		cli_print_diag(&d);
		return EXIT_REJECTED;
	}
	struct bank_file_format fmt;
	struct layout *own = NULL;
	if (bank_file_detect(path, fb.data, fb.len, layout_path, &fmt, &own, &d) != 0) {
		cli_print_diag(&d);
		file_bytes_release(&fb);
		return EXIT_REJECTED;
	}
	if (fmt.statement) {
		int rc = inspect_statement(path, &fmt, &fb);
		file_bytes_release(&fb);
		return rc;
	}

	/* First the parser's verdict, collected; then the listing. */
	struct collected marks = {0};
	struct cnab_file_info info;
	struct diag err;
	diag_clear(&err);
	memset(&info, 0, sizeof info);
	int prc = bank_file_parse(&fmt, path, fb.data, fb.len, &info, NULL, NULL, collect, &marks, &err);
	if (prc != 0)
		collect(&marks, &err);

	int reclen = layout_length(fmt.layout);
	printf("%s: %s, layout %s", path, fmt.family, layout_name(fmt.layout));
	if (layout_manual(fmt.layout)[0])
		printf(" (%s)", layout_manual(fmt.layout));
	printf("\n");

	unsigned char *rec = malloc((size_t)reclen + 1);
	if (!rec) {
		file_bytes_release(&fb);
		layout_free(own);
		free(marks.d);
		return EXIT_SYSTEM;
	}
	const unsigned char *p = fb.data, *end = fb.data + fb.len;
	if (end - p >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		p += 3;
	long line = 0;
	while (p < end) {
		const unsigned char *nl = memchr(p, '\n', (size_t)(end - p));
		const unsigned char *stop = nl ? nl : end;
		size_t n = (size_t)(stop - p);
		line++;
		if (n && p[n - 1] == '\r')
			n--;
		size_t used = n > (size_t)reclen ? (size_t)reclen : n;
		memset(rec, ' ', (size_t)reclen);
		memcpy(rec, p, used);
		const struct layout_record *lr = n ? layout_match(fmt.layout, rec) : NULL;
		if (n == 0 || (n == 1 && p[0] == 0x1A))
			printf("line %ld: (blank)\n", line);
		else
			printf("line %ld: %s, %zu characters\n", line, lr ? layout_record_name(lr) : "(unknown record)", n);
		if (lr)
			for (size_t i = 0; i < layout_field_count(lr); i++)
				print_field(fmt.layout, layout_field_at(lr, i), rec, line, info.generated);
		print_marks(&marks, line);
		p = nl ? nl + 1 : end;
	}
	print_marks(&marks, 0);
	long errors = 0, warnings = 0;
	for (size_t i = 0; i < marks.n; i++) {
		if (marks.d[i].severity == DIAG_ERROR)
			errors++;
		else
			warnings++;
	}
	printf("%s: %ld record%s, %ld title%s; %ld error%s, %ld warning%s: %s\n", path, line, line == 1 ? "" : "s",
	       info.titles, info.titles == 1 ? "" : "s", errors, errors == 1 ? "" : "s", warnings,
	       warnings == 1 ? "" : "s", prc == 0 ? "concilia would import it" : "concilia would refuse it");
	free(rec);
	free(marks.d);
	layout_free(own);
	file_bytes_release(&fb);
	return prc == 0 ? EXIT_CLEAN : EXIT_REJECTED;
}

const struct command cmd_inspect = {
	.name = "inspect",
	.usage = "[--layout FILE] FILE",
	.summary = "print a bank file record by record, decoded, with each problem marked (no database)",
	.run = run,
};
