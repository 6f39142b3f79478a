/* The shared input of bench/pix-compare.sh: N static Pix BR Codes with
 * varied keys (CPF, CNPJ, e-mail, phone, random key), names, cities,
 * amounts (10 % open) and txids (30 % none), encoded by concilia's own
 * encoder and written as TSV (key, name, city, txid, amount in centavos,
 * payload; an empty txid = none, amount 0 = open) so that other libraries
 * can encode the same inputs and decode the same codes. Then measures
 * brcode_encode over the N requests and brcode_decode over the N payloads
 * (best of REPEAT; each timed run makes at least 2 000 000 calls, going
 * over the set as often as needed). Wall-clock time, one thread, like the
 * JavaScript side it is compared with. Inputs are kept to what every
 * library writes the same way: keys already in DICT form, names and cities
 * in upper-case ASCII within their limits.
 * usage: pix-payloads [-n N] [-r REPEAT] [-s SEED] OUT.tsv
 * prints: "concilia encode RATE" and "concilia decode RATE" (calls/s)
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "codec/brcode.h"

static uint64_t rng_state;

static uint32_t rnd(uint32_t n) /* xorshift64*: reproducible across runs */
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * UINT64_C(2685821657736338717)) >> 32) % n;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void digits(char *out, int n)
{
	for (int i = 0; i < n; i++)
		out[i] = (char)('0' + rnd(10));
}

/* Modulus-11 check digit over d[0..n) with the given weights. */
static char dv11(const char *d, int n, const int *w, int cpf)
{
	int sum = 0;
	for (int i = 0; i < n; i++)
		sum += (d[i] - '0') * w[i];
	int r = cpf ? sum * 10 % 11 % 10 : (sum % 11 < 2 ? 0 : 11 - sum % 11);
	return (char)('0' + r);
}

static void make_key(char *k)
{
	static const char *const users[] = {"financeiro", "contato", "vendas", "joao.silva",
	                                    "maria_souza", "loja", "cobranca", "ana.lima"};
	static const char *const domains[] = {"exemplo.com.br", "gmail.com", "empresa.com",
	                                      "hotmail.com", "uol.com.br"};
	static const int area[] = {11, 21, 31, 41, 48, 51, 61, 71, 81, 85, 92, 98};
	static const int wcpf1[] = {10, 9, 8, 7, 6, 5, 4, 3, 2};
	static const int wcpf2[] = {11, 10, 9, 8, 7, 6, 5, 4, 3, 2};
	static const int wcnpj1[] = {5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2};
	static const int wcnpj2[] = {6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2};
	uint32_t kind = rnd(100);
	if (kind < 25) { /* CPF */
		digits(k, 9);
		k[9] = dv11(k, 9, wcpf1, 1);
		k[10] = dv11(k, 10, wcpf2, 1);
		k[11] = '\0';
	} else if (kind < 45) { /* CNPJ, head office */
		digits(k, 8);
		memcpy(k + 8, "0001", 4);
		k[12] = dv11(k, 12, wcnpj1, 0);
		k[13] = dv11(k, 13, wcnpj2, 0);
		k[14] = '\0';
	} else if (kind < 65) {
		sprintf(k, "%s%u@%s", users[rnd(8)], (unsigned)rnd(10000), domains[rnd(5)]);
	} else if (kind < 80) {
		sprintf(k, "+55%d9%08u", area[rnd(12)], (unsigned)rnd(100000000));
	} else { /* random key (EVP): a version 4 UUID in lower case */
		static const char hex[] = "0123456789abcdef";
		static const char form[] = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx";
		for (int i = 0; form[i]; i++)
			k[i] = form[i] == 'x' ? hex[rnd(16)] : form[i] == 'y' ? hex[8 + rnd(4)] : form[i];
		k[36] = '\0';
	}
}

struct code {
	char key[80], txid[26];
	const char *name, *city;
	struct brcode_request rq;
	struct brcode_payload p;
};

int main(int argc, char **argv)
{
	static const char *const names[] = {
	    "PADARIA SAO JORGE LTDA", "MERCADO BOM PRECO", "JOAO DA SILVA", "MARIA APARECIDA SOUZA",
	    "OFICINA MECANICA IRMAOS", "CLINICA VIDA E SAUDE", "ESCOLA ABC", "FARMACIA POPULAR",
	    "RESTAURANTE SABOR CASEIRO", "LOJA DO ZE", "ACADEMIA CORPO EM FORMA", "PET SHOP AMIGO"};
	static const char *const cities[] = {"SAO PAULO",     "RIO DE JANEIRO", "BELO HORIZONTE",
	                                     "CURITIBA",      "PORTO ALEGRE",   "RECIFE",
	                                     "SALVADOR",      "FORTALEZA",      "MANAUS",
	                                     "FLORIANOPOLIS", "CAMPINAS",       "JOAO PESSOA"};
	static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	long n = 100000;
	int repeat = 3, opt;
	rng_state = 20261124;
	while ((opt = getopt(argc, argv, "n:r:s:")) != -1) {
		if (opt == 'n')
			n = atol(optarg);
		else if (opt == 'r')
			repeat = atoi(optarg);
		else if (opt == 's')
			rng_state = strtoull(optarg, NULL, 10) | 1;
		else
			goto usage;
	}
	if (optind + 1 != argc || n < 1 || repeat < 1) {
	usage:
		fprintf(stderr, "usage: pix-payloads [-n N] [-r REPEAT] [-s SEED] OUT.tsv\n");
		return 2;
	}
	struct code *c = calloc((size_t)n, sizeof *c);
	FILE *out = fopen(argv[optind], "w");
	if (!c || !out) {
		perror(argv[optind]);
		return 3;
	}
	struct diag d;
	for (long i = 0; i < n; i++) {
		struct code *x = &c[i];
		make_key(x->key);
		if (rnd(10) < 7) {
			int len = 1 + (int)rnd(25);
			for (int j = 0; j < len; j++)
				x->txid[j] = alnum[rnd(sizeof alnum - 1)];
		}
		x->rq.key = x->key;
		x->rq.name = names[rnd(12)];
		x->rq.city = cities[rnd(12)];
		x->rq.txid = x->txid[0] ? x->txid : NULL;
		/* cents to a million reais, spread over every order of magnitude */
		x->rq.amount_cents = rnd(10) == 0 ? 0 : 1 + (int64_t)rnd(100000000) / (1 + (int64_t)rnd(10000));
		if (brcode_encode(&x->rq, &x->p, NULL, NULL, &d) != 0) {
			fprintf(stderr, "pix-payloads: code %ld (key %s): %s\n", i + 1, x->key, d.msg);
			return 1;
		}
		fprintf(out, "%s\t%s\t%s\t%s\t%lld\t%s\n", x->key, x->rq.name, x->rq.city, x->txid,
		        (long long)x->rq.amount_cents, x->p.text);
	}
	if (fclose(out) != 0) {
		perror(argv[optind]);
		return 3;
	}

	long passes = (2000000 + n - 1) / n, calls = passes * n;
	static struct brcode_info info;
	struct brcode_payload p;
	unsigned sink = 0;
	double best_enc = 1e9, best_dec = 1e9;
	for (int r = 0; r < repeat; r++) {
		double t = now();
		for (long k = 0; k < passes; k++)
			for (long i = 0; i < n; i++) {
				if (brcode_encode(&c[i].rq, &p, NULL, NULL, &d) != 0)
					return 1;
				sink += (unsigned)p.len;
			}
		t = now() - t;
		if (t < best_enc)
			best_enc = t;
		long refused = 0;
		t = now();
		for (long k = 0; k < passes; k++)
			for (long i = 0; i < n; i++)
				refused += brcode_decode(c[i].p.text, c[i].p.len, &info) != 0;
		t = now() - t;
		if (t < best_dec)
			best_dec = t;
		if (refused) { /* our own codes must all pass our own decoder */
			fprintf(stderr, "pix-payloads: %ld of our codes refused\n", refused / passes);
			return 1;
		}
	}
	printf("concilia encode %.0f\n", (double)calls / best_enc);
	printf("concilia decode %.0f\n", (double)calls / best_dec);
	fprintf(stderr, "(%ld codes, %ld calls per timed run, best of %d; checksum %u)\n", n, calls,
	        repeat, sink);
	free(c);
	return 0;
}
