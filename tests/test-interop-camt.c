/* Interop: every camt sample of ../shared/interop/pix/camt (European test
 * files of two mature camt parsers, versions 001.02 to 001.08) read twice:
 *   - with any currency (camt_options.any_currency), checking what the
 *     reader extracts from each: message version, account, entries, every
 *     event's kind, amount, dates and references, the warnings;
 *   - as `concilia import` reads them (BRL only): each is refused, for its
 *     own reason (the account, a balance or an entry in EUR, SEK, RON), and
 *     the "wrong" sample for having no statement.
 * A file on disk without a row below fails the test, so that new samples
 * get looked at; a row without its file fails too. Skipped when the interop
 * folder is absent. */
#include "config.h"

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "codec/camt.h"
#include "core/fileio.h"

struct want_event {
	enum event_kind kind;
	int64_t cents;
	const char *date, *credit_date; /* occurrence_date, credit_date */
	const char *e2e, *txid, *statement_ref, *payer_name, *free_text, *occurrence_text;
};

#define MAX_EVENTS 4

struct sample {
	const char *file;
	const char *error;     /* reading with any currency: NULL = succeeds, else part of the error */
	const char *brl_error; /* part of the refusal under the BRL rule */
	const char *layout, *account, *generated;
	long entries, debits, warnings;
	int nevents;
	struct want_event ev[MAX_EVENTS];
};

static const struct sample samples[] = {
    {"genkgo-camt053.only-Dt-with-DtTm.xml",
     NULL,
     "t.xml:23:17: error: field 'Bal/Amt': a balance is in RON",
     "camt.053.001.02",
     "GB33BUKB20201555555555",
     "2025-07-24",
     0,
     0,
     0,
     0,
     {{0}}},
    {"genkgo-camt053.v2.five-decimals.xml",
     NULL,
     "t.xml:35:17: error: field 'Acct/Ccy': the account NL26VAYB8060476890 is in EUR",
     "camt.053.001.02",
     "NL26VAYB8060476890",
     "2015-03-10",
     1,
     0,
     1, /* its closing balance is 27.05, opening 18.15 + 8.85 = 27.00 */
     1,
     {{EVENT_CREDIT, 885, "2014-12-31", "2015-01-02", "000000001", "", "", "", "Transaction Description",
       "544"}}},
    {"genkgo-camt053.v2.minimal.xml",
     NULL,
     "t.xml:40:17: error: field 'Acct/Ccy': the account NL26VAYB8060476890 is in EUR",
     "camt.053.001.02",
     "NL26VAYB8060476890",
     "2015-03-10",
     1,
     0,
     0,
     1,
     {{EVENT_CREDIT, 885, "2014-12-31", "2015-01-02", "", "4654654654654654", "", "NAME NAME", "", "544"}}},
    {"genkgo-camt053.v2.wrong.xml",
     "t.xml: error: no statement (Stmt) in this camt.053",
     "t.xml: error: no statement (Stmt) in this camt.053",
     "camt.053.001.02",
     "",
     "",
     0,
     0,
     0,
     0,
     {{0}}},
    {"genkgo-camt053.v8.xml",
     NULL,
     "t.xml:68:17: error: field 'Bal/Amt': a balance is in EUR",
     "camt.053.001.08",
     "NL26VAYB8060476890",
     "2015-03-10",
     1,
     0,
     0,
     1,
     /* BookgDt 2014-12-31T13:15:00+01:00; its TxDtls amount is SEK 0, not the entry's */
     {{EVENT_CREDIT, 885, "2014-12-31", "2015-01-02", "MUELL/FINP/RA12345", "4654654654654654",
       "AAAASESS-FP-CN_98765/01", "NAME NAME", "", "PMNT/RCDT/BOOK"}}},
    {"genkgo-camt054.v2.xml",
     NULL,
     "t.xml:59:17: error: field 'Ntry/Amt': an entry of 200000.00 is in SEK",
     "camt.054.001.02",
     "CH2801234000123456789",
     "2007-10-18",
     1,
     1,
     0,
     0,
     {{0}}},
    {"genkgo-camt054.v8-with-UETR.xml",
     NULL,
     "t.xml:17:9: error: field 'Ntry/Amt': an entry of 200000.00 is in SEK",
     "camt.054.001.08",
     "CH2801234000123456789",
     "2007-10-18",
     1,
     1,
     0,
     0,
     {{0}}},
    {"oca-test-camt053.xml",
     NULL,
     "t.xml:32:17: error: field 'Bal/Amt': a balance is in EUR",
     "camt.053.001.02",
     "NL77ABNA0574908765",
     "2014-01-06",
     3,
     1,
     1, /* opening 15568.27 - 754.25 - 664.05 + 1405.31 is not the closing 15121.12 */
     3,
     {{EVENT_REVERSAL, 56405, "2014-01-05", "2014-01-05", "TESTBANK/NL/20141229/01206408", "", "",
       "Test Customer", "Direct Debit S14 0410", "PMNT/IDDT/UPDD return AC06"},
      {EVENT_REVERSAL, 10000, "2014-01-05", "2014-01-05", "TESTBANK/NL/20141229/01206407", "", "",
       "Test Customer", "Direct Debit S14 0410", "PMNT/IDDT/UPDD return AC06"},
      {EVENT_CREDIT, 140531, "2014-01-05", "2014-01-05", "115", "", "", "3rd party Media", "",
       "PMNT/RCDT/ESCT"}}},
    {"oca-test-camt054.xml",
     NULL,
     "t.xml:33:9: error: field 'Ntry/Amt': an entry of 5.00 is in EUR",
     "camt.054.001.04",
     "NL77ABNA0574908765",
     "2022-01-26",
     1,
     0,
     0,
     1,
     {{EVENT_CREDIT, 500, "2022-01-26", "2022-01-26", "ENDTOENDID-01", "000000000000000000000000003",
       "15180015077602405", "Test Customer", "", "PMNT/RCDT/VCOM"}}},
};
#define NSAMPLES (sizeof samples / sizeof samples[0])

static struct bank_event events[16];
static int nevents, nwarnings;

static int on_event(void *ctx, const struct bank_event *ev, struct diag *d)
{
	(void)ctx, (void)d;
	if (nevents < 16)
		events[nevents] = *ev;
	nevents++;
	return 0;
}

static void on_warn(void *ctx, const struct diag *d)
{
	(void)ctx;
	nwarnings += d->severity == DIAG_WARNING;
}

static int failures;

static void check(int ok, const char *file, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void check(int ok, const char *file, const char *fmt, ...)
{
	va_list ap;
	if (ok)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", file);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	failures++;
}

#define CHECK_STR(field, got, want)                                                                          \
	check(strcmp((got), (want)) == 0, s->file, "%s \"%s\", expected \"%s\"", (field), (got), (want))

static void check_sample(const struct sample *s, const struct file_bytes *fb)
{
	struct camt_options any = {.any_currency = 1};
	struct cnab_file_info info;
	struct camt_stats stats;
	struct diag err;
	char buf[1400], date[16];

	check(camt_sniff(fb->data, fb->len) == 1, s->file, "not recognized as camt");
	nevents = nwarnings = 0;
	int rc = camt_parse_with(&any, "t.xml", fb->data, fb->len, &info, &stats, on_event, NULL, on_warn,
	                         NULL, &err);
	diag_format(&err, buf, sizeof buf);
	if (s->error) {
		check(rc == -1 && strstr(buf, s->error) != NULL, s->file,
		      "expected the error \"%s\", got \"%s\"", s->error, rc ? buf : "(accepted)");
	} else {
		check(rc == 0, s->file, "refused: %s", buf);
	}
	CHECK_STR("layout", info.layout_name ? info.layout_name : "", s->layout);
	CHECK_STR("account", info.agreement, s->account);
	date_format_iso(info.generated, date, sizeof date);
	CHECK_STR("generated", date, s->generated);
	check(info.records == s->entries, s->file, "%ld entries, expected %ld", info.records, s->entries);
	check(stats.debits == s->debits, s->file, "%ld debits, expected %ld", stats.debits, s->debits);
	check(nwarnings == s->warnings, s->file, "%d warnings, expected %ld", nwarnings, s->warnings);
	check(nevents == s->nevents, s->file, "%d events, expected %d", nevents, s->nevents);
	for (int i = 0; i < s->nevents && i < nevents; i++) {
		const struct want_event *w = &s->ev[i];
		const struct bank_event *ev = &events[i];
		check(ev->kind == w->kind, s->file, "event %d: kind %s", i, event_kind_name(ev->kind));
		check(ev->paid_cents == w->cents, s->file, "event %d: %lld cents, expected %lld", i,
		      (long long)ev->paid_cents, (long long)w->cents);
		date_format_iso(ev->occurrence_date, date, sizeof date);
		CHECK_STR("date", date, w->date);
		date_format_iso(ev->credit_date, date, sizeof date);
		CHECK_STR("credit_date", date, w->credit_date);
		CHECK_STR("end_to_end_id", ev->end_to_end_id, w->e2e);
		CHECK_STR("txid", ev->txid, w->txid);
		CHECK_STR("statement_ref", ev->statement_ref, w->statement_ref);
		CHECK_STR("payer_name", ev->payer_name, w->payer_name);
		CHECK_STR("free_text", ev->free_text, w->free_text);
		CHECK_STR("occurrence_text", ev->occurrence_text, w->occurrence_text);
		CHECK_STR("agreement", ev->agreement, s->account);
		/* none of them carries a Pix endToEndId */
		check(ev->weak_identity && strncmp(ev->identity, "camt|", 5) == 0, s->file,
		      "event %d: identity %s", i, ev->identity);
	}

	/* what `concilia import` does with it */
	nevents = 0;
	rc = camt_parse_with(NULL, "t.xml", fb->data, fb->len, &info, &stats, on_event, NULL, NULL, NULL,
	                     &err);
	diag_format(&err, buf, sizeof buf);
	check(rc == -1 && strncmp(buf, s->brl_error, strlen(s->brl_error)) == 0, s->file,
	      "under the BRL rule: expected \"%s...\", got \"%s\"", s->brl_error, rc ? buf : "(accepted)");
}

static void test_interop_camt(void **state)
{
	char dir[1024], path[2048];
	const char *env = getenv("CONCILIA_INTEROP");
	int seen[NSAMPLES] = {0};
	struct dirent *e;
	(void)state;
	snprintf(dir, sizeof dir, "%s/pix/camt", env && env[0] ? env : SHARED_INTEROP_DIR);
	DIR *d = opendir(dir);
	if (d == NULL) {
		print_message("SKIP: %s not present (interop samples live outside the repository)\n", dir);
		skip();
	}
	failures = 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		size_t i = 0;
		while (i < NSAMPLES && strcmp(samples[i].file, e->d_name) != 0)
			i++;
		if (i == NSAMPLES) {
			check(0, e->d_name,
			      "a sample without a row in tests/test-interop-camt.c: say what it must give");
			continue;
		}
		struct file_bytes fb;
		struct diag err;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (file_bytes_read(path, &fb, &err) != 0) {
			check(0, e->d_name, "cannot read: %s", err.msg);
			continue;
		}
		seen[i] = 1;
		check_sample(&samples[i], &fb);
		file_bytes_release(&fb);
	}
	closedir(d);
	for (size_t i = 0; i < NSAMPLES; i++)
		check(seen[i], samples[i].file, "row without a file in %s", dir);
	if (failures)
		fail_msg("%d disagreement(s) with the interop samples (listed above)", failures);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_interop_camt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
