/* Writes a realistic API Pix GET /pix response page with N Pix to stdout,
 * on one line as PSPs send it (-p: indented, as jq prints it). The mix:
 * 70 % with a txid (charges), 30 % plain key transfers; 10 % of the
 * charges paid late with multa and juros in componentesValor; 60 % with
 * the pagador extension (CPF or CNPJ with correct check digits); 3 % with
 * devoluções (DEVOLVIDO, some also with one EM_PROCESSAMENTO). Horarios are
 * spread over one day in Brasília. Deterministic, so runs compare. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const ispbs[] = {"00000000", "60701190", "18236120", "00416968", "90400888", "60746948"};
static const char alnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

static unsigned long long rng = 88172645463325252ULL;

static unsigned long long next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* 11 characters unique for each n (base 62), prefixed by kind and dated. */
static void make_id(char *out, char kind, const char *ispb, int hh, int mm, unsigned long n)
{
	char tail[12];
	for (int i = 10; i >= 0; i--) {
		tail[i] = alnum[n % 62];
		n /= 62;
	}
	tail[11] = '\0';
	sprintf(out, "%c%s20261123%02d%02d%s", kind, ispb, hh, mm, tail);
}

static void cpf(char *out, unsigned long n)
{
	int d[11];
	for (int i = 8; i >= 0; i--) {
		d[i] = (int)(n % 10);
		n /= 10;
	}
	for (int k = 9; k <= 10; k++) {
		int s = 0;
		for (int i = 0; i < k; i++)
			s += d[i] * (k + 1 - i);
		int r = (s * 10) % 11;
		d[k] = r == 10 ? 0 : r;
	}
	for (int i = 0; i < 11; i++)
		out[i] = (char)('0' + d[i]);
	out[11] = '\0';
}

static void cnpj(char *out, unsigned long n)
{
	static const int w1[] = {5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2},
	                 w2[] = {6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2};
	int d[14];
	for (int i = 7; i >= 0; i--) {
		d[i] = (int)(n % 10);
		n /= 10;
	}
	d[8] = 0, d[9] = 0, d[10] = 0, d[11] = 1;
	int s = 0;
	for (int i = 0; i < 12; i++)
		s += d[i] * w1[i];
	d[12] = s % 11 < 2 ? 0 : 11 - s % 11;
	s = 0;
	for (int i = 0; i < 13; i++)
		s += d[i] * w2[i];
	d[13] = s % 11 < 2 ? 0 : 11 - s % 11;
	for (int i = 0; i < 14; i++)
		out[i] = (char)('0' + d[i]);
	out[14] = '\0';
}

int main(int argc, char **argv)
{
	long n = 100000;
	int pretty = 0, c;
	while ((c = getopt(argc, argv, "n:p")) != -1) {
		if (c == 'n')
			n = atol(optarg);
		else if (c == 'p')
			pretty = 1;
		else {
			fprintf(stderr, "usage: gen-pix-api [-n PIX] [-p]\n");
			return 2;
		}
	}
	const char *nl = pretty ? "\n" : "", *in1 = pretty ? "  " : "", *in2 = pretty ? "    " : "";
	printf("{%s%s\"parametros\":{\"inicio\":\"2026-11-23T00:00:00-03:00\",\"fim\":\"2026-11-23T23:59:59-"
	       "03:00\","
	       "\"paginacao\":{\"paginaAtual\":0,\"itensPorPagina\":%ld,\"quantidadeDePaginas\":1,"
	       "\"quantidadeTotalDeItens\":%ld}},%s%s\"pix\":[%s",
	       nl, in1, n, n, nl, in1, nl);
	for (long i = 0; i < n; i++) {
		unsigned long long r = next();
		long sec = (long)((double)i / (double)n * 86399.0);
		int lh = (int)(sec / 3600), lm = (int)(sec / 60 % 60), ls = (int)(sec % 60);
		int uh = (lh + 3) % 24; /* the id's date part is in UTC */
		const char *ispb = ispbs[r % 6];
		char e2e[40], rtr[40], doc[16];
		make_id(e2e, 'E', ispb, uh, lm, (unsigned long)i);
		long cents = 500 + (long)(r >> 8) % 250000;
		int has_txid = (r >> 20) % 10 < 7, late = has_txid && (r >> 24) % 10 == 0;
		int payer = (r >> 28) % 10 < 6, dev = (r >> 32) % 100 < 3;
		long multa = late ? cents * 2 / 100 : 0, juros = late ? cents / 300 : 0;
		long valor = cents + multa + juros;
		printf("%s{\"endToEndId\":\"%s\"", in2, e2e);
		if (has_txid)
			printf(",\"txid\":\"cob%ldconcilia2026110%08ld\"", i % 97, i);
		printf(",\"valor\":\"%ld.%02ld\"", valor / 100, valor % 100);
		if (late)
			printf(",\"componentesValor\":{\"original\":{\"valor\":\"%ld.%02ld\"},\"multa\":{"
			       "\"valor\":\"%ld.%02ld\"},"
			       "\"juros\":{\"valor\":\"%ld.%02ld\"}}",
			       cents / 100, cents % 100, multa / 100, multa % 100, juros / 100, juros % 100);
		printf(",\"chave\":\"7d9f0335-8dcc-4054-9bf8-0b2f7a1c3e55\",\"horario\":\"2026-11-23T%02d:%"
		       "02d:%02d.%03d-03:00\"",
		       lh, lm, ls, (int)(r % 1000));
		if (!has_txid)
			printf(",\"infoPagador\":\"Pedido %ld, pagamento via chave\"", i);
		if (payer) {
			if ((r >> 36) % 4 == 0) {
				cnpj(doc, (unsigned long)(r >> 40) % 100000000UL);
				printf(
				    ",\"pagador\":{\"cnpj\":\"%s\",\"nome\":\"Empresa Pagadora %ld Ltda\"}",
				    doc, i);
			} else {
				cpf(doc, (unsigned long)(r >> 40) % 1000000000UL);
				printf(
				    ",\"pagador\":{\"cpf\":\"%s\",\"nome\":\"Pessoa Pagadora %ld da Silva\"}",
				    doc, i);
			}
		}
		if (dev) {
			long back = valor / 2 > 0 ? valor / 2 : 1;
			make_id(rtr, 'D', ispbs[0], uh, lm, (unsigned long)i);
			printf(",\"devolucoes\":[{\"id\":\"dev%ld\",\"rtrId\":\"%s\",\"valor\":\"%ld.%02ld\","
			       "\"natureza\":\"ORIGINAL\","
			       "\"horario\":{\"solicitacao\":\"2026-11-23T%02d:%02d:%02d-03:00\","
			       "\"liquidacao\":\"2026-11-23T%02d:%02d:%02d-03:00\"},"
			       "\"status\":\"DEVOLVIDO\"}",
			       i, rtr, back / 100, back % 100, lh, lm, ls, lh, lm, ls);
			if ((r >> 44) % 2)
				printf(",{\"id\":\"dev%ldb\",\"valor\":\"0.01\",\"horario\":{\"solicitacao\":"
				       "\"2026-11-23T%02d:%02d:%02d-03:00\"},"
				       "\"status\":\"EM_PROCESSAMENTO\"}",
				       i, lh, lm, ls);
			printf("]");
		}
		printf("}%s%s", i + 1 < n ? "," : "", nl);
	}
	printf("%s]%s}\n", in1, nl);
	return 0;
}
