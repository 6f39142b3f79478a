/* Interop: every OFX statement of ../shared/interop/pix/ofx (real exports
 * of Brazilian banks, SOURCES.md there) read by the OFX reader and
 * compared with what a person reading the file sees: transactions,
 * events, their amounts, dates and text, the account and the warnings. A
 * file in the folder without a row here fails the test (new samples must
 * be triaged), and so does a row without its file. Skipped, saying so,
 * when the folder is absent ($CONCILIA_INTEROP overrides its place). */
#include "config.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codec/ofx.h"

struct expected_event {
	int64_t cents;
	int y, m, d;
	enum event_kind kind;
	const char *fitid, *free_text, *payer;
};

struct expected_file {
	const char *name;
	int bank;
	const char *account;
	int gy, gm, gd; /* generated */
	long transactions;
	int warnings;
	int nevents;
	int64_t total_cents; /* of the events */
	struct expected_event first, last;
};

/* Read off the files by hand (amounts summed with bc). */
static const struct expected_file files[] = {
    /* 81 transactions, 12 positive (DEP, XFER): R$ 13.293,82; Windows-1252 text */
    {"bb-2010-cp1252.ofx",
     1,
     "12345-6",
     2010,
     10,
     25,
     81,
     0,
     12,
     1329382,
     {1883, 2010, 10, 6, EVENT_CREDIT, "2010100601883", "ESTORNO DE DÉBITO", ""},
     {82500, 2010, 10, 22, EVENT_CREDIT, "20101022082500", "DEPÓSITO ONLINE", ""}},
    /* 6 debits with decimal commas; DTSERVER of zeros: the date is DTEND */
    {"bradesco-2015.ofx", 237, "34545", 2015, 7, 30, 6, 0, 0, 0, {0}, {0}},
    /* one "SALDO DIA" balance line with a blank amount: skipped, warned */
    {"caixa-malformed-decimal.ofx", 104, "0000000000001", 2022, 4, 12, 1, 1, 0, 0, {0}, {0}},
    /* TRNTYPE C/D and "R$ 0,11": the yield is a credit, the tax a debit */
    {"inter-2021.ofx",
     77,
     "0001-9/123",
     2021,
     2,
     20,
     2,
     0,
     1,
     11,
     {11, 2021, 1, 28, EVENT_CREDIT, "20210128108", "Rendimento até esta data", ""},
     {11, 2021, 1, 28, EVENT_CREDIT, "20210128108", "Rendimento até esta data", ""}},
    /* BANKID 034 read as Santander (033); right-aligned amounts */
    {"santander-2017.ofx",
     33,
     "3423130031625",
     2017,
     9,
     4,
     4,
     0,
     1,
     4701,
     {4701, 2017, 9, 1, EVENT_CREDIT, "00050409", "RESGATE AUT CONTAMAX EMPRESARIAL", ""},
     {4701, 2017, 9, 1, EVENT_CREDIT, "00050409", "RESGATE AUT CONTAMAX EMPRESARIAL", ""}},
};

struct seen {
	int n;
	int64_t total;
	struct bank_event first, last;
	int warnings;
	char warning[600];
};

static int on_event(void *ctx, const struct bank_event *ev, struct diag *d)
{
	struct seen *s = ctx;
	(void)d;
	if (s->n == 0)
		s->first = *ev;
	s->last = *ev;
	s->n++;
	s->total += ev->paid_cents;
	return 0;
}

static void on_warn(void *ctx, const struct diag *d)
{
	struct seen *s = ctx;
	if (s->warnings++ == 0)
		diag_format(d, s->warning, sizeof s->warning);
}

static int check_event(const char *file, const char *which, const struct bank_event *ev,
                       const struct expected_event *x)
{
	int bad = ev->paid_cents != x->cents || ev->occurrence_date != date_from_ymd(x->y, x->m, x->d) ||
	          ev->kind != x->kind || strcmp(ev->statement_ref, x->fitid) != 0 ||
	          strcmp(ev->free_text, x->free_text) != 0 || strcmp(ev->payer_name, x->payer) != 0 ||
	          !ev->weak_identity;
	if (bad)
		print_error("%s: %s event: %lld cents, kind %s, FITID \"%s\", text \"%s\", payer \"%s\"\n",
		            file, which, (long long)ev->paid_cents, event_kind_name(ev->kind),
		            ev->statement_ref, ev->free_text, ev->payer_name);
	return bad;
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0, got;
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			unsigned char *nb = realloc(buf, cap);
			assert_non_null(nb);
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	*len = n;
	return buf;
}

static int check_file(const char *dir, const struct expected_file *x)
{
	char path[1400];
	size_t len;
	snprintf(path, sizeof path, "%s/%s", dir, x->name);
	unsigned char *buf = slurp(path, &len);
	if (!buf) {
		print_error("%s: in the table, missing from %s\n", x->name, dir);
		return 1;
	}
	struct seen s = {0};
	struct cnab_file_info info;
	struct diag err;
	diag_clear(&err);
	int failures = 0;
	assert_int_equal(ofx_sniff(buf, len), 1);
	if (ofx_parse(x->name, buf, len, &info, on_event, &s, on_warn, &s, &err) != 0) {
		char msg[700];
		print_error("%s: refused: %s\n", x->name, diag_format(&err, msg, sizeof msg));
		free(buf);
		return 1;
	}
	if (info.bank != x->bank || strcmp(info.agreement, x->account) != 0 ||
	    info.generated != date_from_ymd(x->gy, x->gm, x->gd) || info.titles != x->transactions ||
	    strcmp(info.layout_name, "OFX 1.02 SGML") != 0) {
		print_error("%s: bank %d, account \"%s\", %ld transactions, layout %s\n", x->name, info.bank,
		            info.agreement, info.titles, info.layout_name);
		failures++;
	}
	if (s.n != x->nevents || s.total != x->total_cents || s.warnings != x->warnings) {
		print_error("%s: %d events, %lld cents, %d warnings (first: %s)\n", x->name, s.n,
		            (long long)s.total, s.warnings, s.warning);
		failures++;
	}
	if (x->nevents) {
		failures += check_event(x->name, "first", &s.first, &x->first);
		failures += check_event(x->name, "last", &s.last, &x->last);
	}
	free(buf);
	return failures;
}

static void test_interop_ofx(void **state)
{
	(void)state;
	const char *env = getenv("CONCILIA_INTEROP");
	char dir[1024];
	snprintf(dir, sizeof dir, "%s/pix/ofx", env && env[0] ? env : SHARED_INTEROP_DIR);
	DIR *d = opendir(dir);
	if (!d) {
		print_message("SKIP: %s not present: the interop OFX files are not checked\n", dir);
		skip();
	}
	int failures = 0, found = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		found++;
		size_t i = 0;
		while (i < sizeof files / sizeof files[0] && strcmp(files[i].name, de->d_name) != 0)
			i++;
		if (i == sizeof files / sizeof files[0]) {
			print_error("%s/%s: a new sample: add its row to tests/test-interop-ofx.c\n", dir,
			            de->d_name);
			failures++;
		}
	}
	closedir(d);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		failures += check_file(dir, &files[i]);
	print_message("%d OFX files read, %d disagreement%s\n", found, failures, failures == 1 ? "" : "s");
	assert_int_equal(failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_interop_ofx),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
