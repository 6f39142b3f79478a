/* Boleto and Pix codec throughput, and second copies per second through
 * the real rendering path (boleto_render_file: check, draw, PDF to a file),
 * single thread. Prints one line per measurement; best of REPEAT runs.
 * Times are CPU time of the process (user + system), so that a busy
 * machine shows the cost of the work rather than the wait for a core.
 * Then Pix QR PNG files as `concilia pix qr ID -o FILE.png` writes them
 * (qr_image_file: libqrencode, cairo, 8 px modules), PDF_COUNT of them.
 * usage: codec-render [REPEAT] [PDF_COUNT] [DIR] [codec|pdf|qr|N]
 * (default: all; N = the Nth codec line alone)
 */
#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec/boleto.h"
#include "codec/boleto_bank.h"
#include "codec/brcode.h"
#include "render/boleto_render.h"
#include "render/qr_image.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static volatile unsigned sink; /* keeps the loops from being optimized away */

static void report(const char *what, long n, double s, const char *target)
{
	printf("%-52s %10.2f M/s  (%ld in %.3f s)  %s\n", what, (double)n / s / 1e6, n, s, target);
}

/* Full per-bank generation: nosso número DV, campo livre, barcode, linha. */
static double bench_encode(long n)
{
	static const struct {
		int bank;
		const char *agency, *account, *wallet, *agreement;
	} banks[] = {
	    {341, "0057", "12345", "110", NULL},      {237, "1234", "0012345", "09", NULL},
	    {1, "1234", "12345678", "17", "1234567"}, {104, "1234", NULL, "RG", "123456"},
	    {33, "1234", NULL, "101", "1234567"},     {756, "4321", NULL, "1", "1234567"},
	};
	struct boleto_request rq = {.due = 20800, .amount_cents = 12345};
	struct boleto_slip s;
	struct diag d;
	static char nns[1024][8];
	for (int i = 0; i < 1024; i++)
		snprintf(nns[i], sizeof nns[i], "%d", 1000 + i * 7);
	double t = now();
	for (long i = 0; i < n; i++) {
		int k = (int)(i % 6);
		rq.bank = banks[k].bank;
		rq.agency = banks[k].agency;
		rq.account = banks[k].account;
		rq.wallet = banks[k].wallet;
		rq.agreement = banks[k].agreement;
		rq.nosso_numero = nns[i & 1023];
		rq.amount_cents = 100 + i % 100000;
		if (boleto_encode(&rq, &s, &d) != 0) {
			fprintf(stderr, "bench: bank %d: %s\n", rq.bank, d.msg);
			exit(1);
		}
		sink += (unsigned)s.barcode[4];
	}
	return now() - t;
}

static double bench_build(long n)
{
	static const char campo[] = "1101234567880057123457000";
	char barcode[BOLETO_BARCODE_LEN + 1], linha[BOLETO_LINHA_LEN + 1];
	struct diag d;
	double t = now();
	for (long i = 0; i < n; i++) {
		if (boleto_barcode_build(341, 20800 + (cdate)(i % 1000), 100 + i % 100000, campo, barcode,
		                         &d) != 0)
			exit(1);
		boleto_barcode_to_linha(barcode, linha);
		sink += (unsigned)linha[9];
	}
	return now() - t;
}

/* typed = 0: codes as a scanner or a file gives them (44 or 47 digits);
 * 1: a linha as people type it, with dots and spaces. */
static double bench_check(long n, int typed)
{
	static const char *const digits[] = {
	    "34191101213456788005871234570001616670000012345",
	    "34196166700000123451101234567880057123457000",
	};
	static const char typed_linha[] = "34191.10121 34567.880058 71234.570001 6 16670000012345";
	struct boleto_info in;
	struct diag d;
	double t = now();
	for (long i = 0; i < n; i++) {
		const char *c = typed ? typed_linha : digits[i & 1];
		sink += (unsigned)boleto_check(c, strlen(c), 11500, &in, &d);
	}
	return now() - t;
}

static double bench_brcode(long n, int decode)
{
	static struct brcode_info in;
	struct brcode_request rq = {.key = "11222333000181",
	                            .name = "Exemplo Comercio Ltda",
	                            .city = "Sao Paulo",
	                            .txid = "PEDIDO123"};
	struct brcode_payload p;
	struct diag d;
	double t = now();
	for (long i = 0; i < n; i++) {
		rq.amount_cents = 100 + i % 100000;
		if (!decode || i == 0)
			if (brcode_encode(&rq, &p, NULL, NULL, &d) != 0)
				exit(1);
		if (decode)
			sink += (unsigned)brcode_decode(p.text, p.len, &in);
		else
			sink += (unsigned)p.len;
	}
	return now() - t;
}

/* n single-page PDFs, each a new file, as `boleto second-copy` writes them. */
static double bench_pdf(long n, const char *dir, int with_qr)
{
	struct boleto_request rq = {.bank = 237,
	                            .agency = "1234",
	                            .account = "0012345",
	                            .wallet = "09",
	                            .due = 20767,
	                            .amount_cents = 20000};
	struct brcode_request pq = {
	    .key = "contato@exemplo.com.br", .name = "Exemplo Comercio Ltda", .city = "Sao Paulo"};
	struct boleto_slip s;
	struct brcode_payload p;
	struct diag d;
	char nn[24], path[600], pdoc[32];
	struct boleto_copy c;
	double t = now();
	for (long i = 0; i < n; i++) {
		/* a different slip and payload each time: nothing cached by content */
		snprintf(nn, sizeof nn, "%ld", 200 + i);
		rq.nosso_numero = nn;
		if (boleto_encode(&rq, &s, &d) != 0)
			exit(1);
		pq.amount_cents = 20498 + i;
		if (with_qr && brcode_encode(&pq, &p, NULL, NULL, &d) != 0)
			exit(1);
		memset(&c, 0, sizeof c);
		c.bank = 237;
		c.barcode = s.barcode;
		c.linha = s.linha;
		c.beneficiary = (struct boleto_party){"Exemplo Comércio Ltda",
		                                      "11222333000181",
		                                      "Av. Paulista, 1000 - Bela Vista",
		                                      "01310100",
		                                      "São Paulo",
		                                      "SP"};
		c.agency_code = "1234-5 / 0012345-6";
		snprintf(pdoc, sizeof pdoc, "88899900078");
		c.payer = (struct boleto_party){"Rafael Alves", pdoc, NULL, NULL, NULL, NULL};
		c.nosso_numero = nn;
		c.numero_documento = "G-OK";
		c.carteira = "09";
		c.document_date = 20727;
		c.processing_date = 20781;
		c.due_date = 20767;
		c.amount_cents = 20000;
		c.mora_cents = 498;
		c.charged_cents = 20498;
		c.charges_date = 20781;
		c.instructions[0] = "Após 10/11/2026, multa de R$ 4,00 (2,00% do valor).";
		c.instructions[1] =
		    "Após 10/11/2026, juros de mora de R$ 0,07 por dia corrido (1,00% ao mês).";
		c.instructions[2] = "Juros simples (taxa mensal / 30), arredondados ao centavo por dia.";
		c.pix_payload = with_qr ? p.text : NULL;
		snprintf(path, sizeof path, "%s/copy-%ld.pdf", dir, i % 16);
		if (boleto_render_file(&c, 1, path, 0, &d) != 0) {
			fprintf(stderr, "bench: %s\n", d.msg);
			exit(1);
		}
	}
	return now() - t;
}

/* n QR PNG files, each a new payload (the amount changes), written whole
 * the way `pix qr -o FILE.png` writes them (default module size). */
static double bench_qr_png(long n, const char *dir)
{
	struct brcode_request rq = {.key = "contato@exemplo.com.br",
	                            .name = "Exemplo Comercio Ltda",
	                            .city = "Sao Paulo",
	                            .txid = "PEDIDO123"};
	struct brcode_payload p;
	struct diag d;
	char path[600];
	double t = now();
	for (long i = 0; i < n; i++) {
		rq.amount_cents = 20498 + i;
		if (brcode_encode(&rq, &p, NULL, NULL, &d) != 0)
			exit(1);
		snprintf(path, sizeof path, "%s/qr-%ld.png", dir, i % 16);
		if (qr_image_file(p.text, path, 0, &d) != 0) {
			fprintf(stderr, "bench: %s\n", d.msg);
			exit(1);
		}
	}
	return now() - t;
}

int main(int argc, char **argv)
{
	int repeat = argc > 1 ? atoi(argv[1]) : 3;
	long pdfs = argc > 2 ? atol(argv[2]) : 1000;
	const char *dir = argc > 3 ? argv[3] : "/tmp";
	const char *only = argc > 4 ? argv[4] : "";
	const long n = 2000000;
	struct {
		const char *what, *target;
		int kind;
		long n;
	} runs[] = {
	    {"boleto: full per-bank generation (boleto_encode)", "target > 5 M/s", 0, n},
	    {"boleto: barcode + linha from a campo livre", "target > 5 M/s", 1, 4 * n},
	    {"boleto: validate a linha or barcode (boleto_check)", "target > 5 M/s", 2, 4 * n},
	    {"boleto: validate a typed linha (dots and spaces)", "", 5, 4 * n},
	    {"pix: BR Code encode", "target > 2 M/s", 3, n},
	    {"pix: BR Code decode + validate", "target > 2 M/s", 4, n},
	};
	if (repeat < 1)
		repeat = 1;
	int codecs = strcmp(only, "pdf") != 0 && strcmp(only, "qr") != 0;
	for (size_t r = 0; codecs && r < sizeof runs / sizeof runs[0]; r++) {
		if (only[0] >= '0' && only[0] <= '9' && (size_t)atoi(only) != r)
			continue; /* one measurement alone, for a profiler */
		double best = 1e9;
		for (int i = 0; i < repeat; i++) {
			double s = runs[r].kind == 0   ? bench_encode(runs[r].n)
			           : runs[r].kind == 1 ? bench_build(runs[r].n)
			           : runs[r].kind == 2 ? bench_check(runs[r].n, 0)
			           : runs[r].kind == 5 ? bench_check(runs[r].n, 1)
			                               : bench_brcode(runs[r].n, runs[r].kind == 4);
			if (s < best)
				best = s;
		}
		report(runs[r].what, runs[r].n, best, runs[r].target);
	}
	if (strcmp(only, "codec") == 0 || (only[0] >= '0' && only[0] <= '9'))
		return 0;
	if (strcmp(only, "pdf") != 0) {
		double best = 1e9;
		bench_qr_png(20, dir); /* libqrencode and cairo initialized, files exist */
		for (int i = 0; i < repeat; i++) {
			double s = bench_qr_png(pdfs, dir);
			if (s < best)
				best = s;
		}
		printf("%-52s %10.0f /s   (%ld in %.3f s)\n", "pix: QR PNG file (pix qr -o FILE.png)",
		       (double)pdfs / best, pdfs, best);
		for (int i = 0; i < 16; i++) {
			char path[600];
			snprintf(path, sizeof path, "%s/qr-%d.png", dir, i);
			remove(path);
		}
		if (strcmp(only, "qr") == 0)
			return 0;
	}
#if defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
	/* the heap settings of `boleto second-copy --all-overdue` */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
	bench_pdf(20, dir, 1); /* fonts and caches warm, as in a run of --all-overdue */
	for (int qr = 0; qr <= 1; qr++) {
		double best = 1e9;
		for (int i = 0; i < repeat; i++) {
			double s = bench_pdf(pdfs, dir, qr);
			if (s < best)
				best = s;
		}
		printf("%-52s %10.0f /s   (%ld in %.3f s)  target >= 300 /s\n",
		       qr ? "second copy PDF file, with Pix QR" : "second copy PDF file, no QR",
		       (double)pdfs / best, pdfs, best);
	}
	for (int i = 0; i < 16; i++) {
		char path[600];
		snprintf(path, sizeof path, "%s/copy-%d.pdf", dir, i);
		remove(path);
	}
	boleto_render_release();
	return (int)(sink & 0);
}
