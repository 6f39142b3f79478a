/* The CSV report: one row per reconciled payment, RFC 4180 quoting,
 * amounts with a decimal point in reais. */
#include "config.h"
#include <stdio.h>
#include <string.h>

#include "core/money.h"
#include "render/report.h"

static void put_field(FILE *fp, const char *s, int last)
{
	if (s && strpbrk(s, ",\"\r\n")) {
		fputc('"', fp);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', fp);
			fputc(*s, fp);
		}
		fputc('"', fp);
	} else if (s) {
		fputs(s, fp);
	}
	fputc(last ? '\n' : ',', fp);
}

/* Text from the ERP or the bank could start with '=' and be run as a
 * formula by the spreadsheet that opens this file: neutralize it. */
static void put_text(FILE *fp, const char *s, int last)
{
	if (s && (*s == '=' || *s == '+' || *s == '-' || *s == '@')) {
		char buf[1024];
		snprintf(buf, sizeof buf, "'%s", s);
		put_field(fp, buf, last);
		return;
	}
	put_field(fp, s, last);
}

static void put_money(FILE *fp, int64_t cents)
{
	char buf[32];
	money_format(cents, buf, sizeof buf);
	put_field(fp, buf, 0);
}

int report_write_csv(const struct report *r, FILE *fp)
{
	char bank[8], source[700];
	fputs("category,needs_attention,receivable_id,nosso_numero,bank,paid,expected,allocated,excess,"
	      "payment_date,due_date,debtor_name,debtor_document,source,rule,detail\n",
	      fp);
	for (size_t i = 0; i < r->nitems; i++) {
		const struct report_item *it = &r->items[i];
		put_field(fp, outcome_name(it->category), 0);
		put_field(fp, outcome_needs_human(it->category) ? "yes" : "no", 0);
		put_text(fp, it->receivable_id, 0);
		put_text(fp, it->nosso_numero, 0);
		snprintf(bank, sizeof bank, "%03d", it->bank);
		put_field(fp, bank, 0);
		put_money(fp, it->paid_cents);
		if (it->receivable_id)
			put_money(fp, it->expected_cents);
		else
			put_field(fp, NULL, 0);
		put_money(fp, it->allocated_cents);
		put_money(fp, it->excess_cents);
		put_field(fp, it->payment_date, 0);
		put_field(fp, it->due_date, 0);
		put_text(fp, it->debtor_name, 0);
		put_field(fp, it->debtor_document, 0);
		snprintf(source, sizeof source, "%s:%ld", it->filename ? it->filename : "", it->line);
		put_field(fp, source, 0);
		put_text(fp, it->rule, 0);
		put_text(fp, it->detail, 1);
	}
	return ferror(fp) ? -1 : 0;
}
