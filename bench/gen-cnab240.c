/* Writes a realistic FEBRABAN CNAB 240 cobrança return with N titles (T+U
 * pairs; a segment Y every 10th title) to stdout, and the matching ERP
 * receivables CSV to the file named by -r. A mix of outcomes: most paid
 * exactly, some late with charges, some under/over-paid, some unknown.
 * Deterministic (fixed seed), so runs compare. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RL 240

static char rec[RL + 1];

static void blank(void)
{
	memset(rec, ' ', RL);
	rec[RL] = '\0';
}

static void put(int a, int b, const char *s)
{
	int n = b - a + 1, l = (int)strlen(s);
	memset(rec + a - 1, ' ', (size_t)n);
	memcpy(rec + a - 1, s, (size_t)(l < n ? l : n));
}

static void num(int a, int b, long long v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%0*lld", b - a + 1, v);
	memcpy(rec + a - 1, buf, (size_t)(b - a + 1));
}

static void emit(FILE *fp)
{
	fwrite(rec, 1, RL, fp);
	fputs("\r\n", fp);
}

static unsigned long long rng = 88172645463325252ULL;
static unsigned next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)rng;
}

/* CPF with valid check digits from a 9-digit base. */
static void cpf(unsigned base, char out[12])
{
	int d[11];
	for (int i = 8; i >= 0; i--, base /= 10)
		d[i] = (int)(base % 10);
	for (int n = 9; n <= 10; n++) {
		int s = 0;
		for (int i = 0; i < n; i++)
			s += d[i] * (n + 1 - i);
		int r = (s * 10) % 11;
		d[n] = r == 10 ? 0 : r;
	}
	for (int i = 0; i < 11; i++)
		out[i] = (char)('0' + d[i]);
	out[11] = '\0';
}

static void lote_header_record(FILE *out, long lote, long nsa)
{
	blank();
	put(1, 3, "237"), num(4, 7, lote), put(8, 8, "1"), put(9, 9, "T"), put(10, 11, "01"), put(14, 16, "045");
	put(18, 18, "2"), put(19, 33, "011222333000181"), put(34, 53, "4481234"), num(184, 191, nsa);
	put(192, 199, "17112026"), put(200, 207, "17112026");
	emit(out);
}

static void end_lote(FILE *out, long lote, long lote_records, long *records)
{
	blank();
	put(1, 3, "237"), num(4, 7, lote), put(8, 8, "5"), num(18, 23, lote_records + 1);
	emit(out);
	(*records)++;
}

int main(int argc, char **argv)
{
	long titles = 1000, first = 1, nsa = 1;
	const char *csv = NULL;
	int opt;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			titles = atol(argv[++i]);
		else if (!strcmp(argv[i], "-f") && i + 1 < argc)
			first = atol(argv[++i]);
		else if (!strcmp(argv[i], "-s") && i + 1 < argc)
			nsa = atol(argv[++i]);
		else if (!strcmp(argv[i], "-r") && i + 1 < argc)
			csv = argv[++i];
		else {
			fprintf(stderr, "usage: gen-cnab240 [-n TITLES] [-f FIRST_NOSSO_NUMERO] [-s NSA] [-r RECEIVABLES.csv]\n");
			return 2;
		}
	}
	(void)opt;
	if (titles < 1 || titles > 450000) {
		fprintf(stderr, "gen-cnab240: 1 to 450000 titles per file (6-digit record counters)\n");
		return 2;
	}
	FILE *rc = csv ? fopen(csv, "w") : NULL;
	if (csv && !rc) {
		perror(csv);
		return 1;
	}
	if (rc)
		fputs("id,debtor_document,debtor_name,amount,due_date,bank,nosso_numero,fine_percent,interest_percent_month\n", rc);
	FILE *out = stdout;
	blank();
	put(1, 3, "237"), num(4, 7, 0), put(8, 8, "0"), put(18, 18, "2"), put(19, 32, "11222333000181");
	put(33, 52, "4481234"), num(53, 57, 1234), put(58, 58, "5"), num(59, 70, 98765), put(71, 71, "0");
	put(73, 102, "EXEMPLO COMERCIO LTDA"), put(103, 132, "BANCO BRADESCO S.A."), put(143, 143, "2");
	put(144, 151, "17112026"), put(152, 157, "063000"), num(158, 163, nsa), put(164, 166, "089");
	emit(out);
	/* The detail sequence (9-13) has five digits: a new lote every 40 000
	 * titles keeps it under 99 999 (T + U + a Y every tenth). */
	const long per_lote = 40000;
	long seq = 0, records = 1, lote = 0, lote_records = 0;
	for (long t = 0; t < titles; t++) {
		if (t % per_lote == 0) {
			if (lote)
				end_lote(out, lote, lote_records, &records);
			lote++;
			seq = 0;
			lote_header_record(out, lote, nsa);
			records++;
			lote_records = 1;
		}
		long nn = first + t;
		unsigned r = next();
		long long face = 5000 + (long long)(r % 500000);
		long long paid = face;
		int late = 0;
		int kind = (int)(r >> 20) % 100;
		if (kind < 10) { /* late: 2% + 1%/month for 7 days from 05/11 to 12/11 */
			late = 1;
			long long per_day = (face * 10000 + 15000000) / 30000000;
			paid = face + (face * 20000 + 500000) / 1000000 + per_day * 7;
		} else if (kind < 13) {
			paid = face - 1000;
		} else if (kind < 15) {
			paid = face + 500;
		}
		char nsn[24], doc[12];
		snprintf(nsn, sizeof nsn, "%011ld", nn);
		cpf(100000000u + (unsigned)(nn % 800000000), doc);
		blank();
		put(1, 3, "237"), num(4, 7, lote), put(8, 8, "3"), num(9, 13, ++seq), put(14, 14, "T");
		put(16, 17, "06"), num(18, 22, 1234), put(24, 35, "000000098765"), put(38, 57, nsn);
		put(58, 58, "1"), put(59, 73, nsn), put(74, 81, late ? "05112026" : "10112026"), num(82, 96, face);
		put(97, 99, "237"), put(106, 130, nsn), put(133, 133, "1"), num(134, 148, atoll(doc));
		put(149, 188, "PAGADOR DE TESTE"), num(199, 213, 195);
		emit(out);
		blank();
		put(1, 3, "237"), num(4, 7, lote), put(8, 8, "3"), num(9, 13, ++seq), put(14, 14, "U");
		put(16, 17, "06"), num(18, 32, paid > face ? paid - face : 0), num(33, 47, 0), num(48, 62, 0);
		num(63, 77, 0), num(78, 92, paid), num(93, 107, paid - 195), num(108, 122, 0), num(123, 137, 0);
		put(138, 145, late ? "12112026" : "10112026"), put(146, 153, late ? "13112026" : "11112026");
		num(158, 165, 0), num(166, 180, 0);
		emit(out);
		records += 2;
		lote_records += 2;
		if (t % 10 == 9) {
			blank();
			put(1, 3, "237"), num(4, 7, lote), put(8, 8, "3"), num(9, 13, ++seq), put(14, 14, "Y");
			put(16, 17, "06"), put(18, 19, "03");
			emit(out);
			records++;
			lote_records++;
		}
		/* 1% of payments reference a nosso número the ERP never issued. */
		if (rc && kind != 99)
			fprintf(rc, "R%ld,%s,Pagador %ld,%lld.%02lld,%s,237,%s,2,1\n", nn, doc, nn, face / 100, face % 100,
				late ? "2026-11-05" : "2026-11-10", nsn);
	}
	end_lote(out, lote, lote_records, &records);
	blank();
	put(1, 3, "237"), num(4, 7, 9999), put(8, 8, "9"), num(18, 23, lote), num(24, 29, records + 1);
	emit(out);
	if (rc && fclose(rc) != 0) {
		perror(csv);
		return 1;
	}
	return fflush(out) == 0 ? 0 : 1;
}
