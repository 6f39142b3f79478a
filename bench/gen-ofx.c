/* Generates a large OFX statement for the benchmark (bench/ofx.sh): N
 * transactions of a Brazilian checking account, as OFX 1.02 SGML (values
 * without end tags, Windows-1252) or, with -x, OFX 2.1.1 XML. The mix is
 * what a company account shows: about 55 % Pix credits in the memo shapes
 * of Nubank, Banco do Brasil and Itaú (masked CPF, CNPJ, BB's id, Itaú's
 * date), 10 % other credits, 5 % Pix devoluções, 30 % other debits.
 * Deterministic (fixed pseudo-random sequence). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned long long seed = 88172645463325252ULL;

static unsigned rnd(unsigned n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (unsigned)(seed % n);
}

static const char *const first[] = {"MARIA",    "JOAO",  "ANA",     "CARLOS",
                                    "FERNANDA", "LUCAS", "JULIANA", "PEDRO"};
static const char *const last[] = {"SILVA", "SANTOS",  "OLIVEIRA", "SOUZA",
                                   "LIMA",  "PEREIRA", "COSTA",    "ROCHA"};

int main(int argc, char **argv)
{
	long n = 100000;
	int xml = 0, c;
	while ((c = getopt(argc, argv, "n:x")) != -1) {
		if (c == 'n')
			n = atol(optarg);
		else if (c == 'x')
			xml = 1;
		else {
			fprintf(stderr, "usage: gen-ofx [-n TRANSACTIONS] [-x]\n");
			return 2;
		}
	}
	const char *nl = xml ? "\n" : "\r\n";
	if (xml)
		printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<?OFX OFXHEADER=\"200\" VERSION=\"211\" "
		       "SECURITY=\"NONE\" OLDFILEUID=\"NONE\" NEWFILEUID=\"NONE\"?>\n");
	else
		printf("OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:USASCII\r\n"
		       "CHARSET:1252\r\nCOMPRESSION:NONE\r\nOLDFILEUID:NONE\r\nNEWFILEUID:NONE\r\n\r\n");
#define LEAF(tag, ...)                                                                                       \
	do {                                                                                                 \
		printf("<" tag ">");                                                                         \
		printf(__VA_ARGS__);                                                                         \
		printf(xml ? "</" tag ">%s" : "%s", nl);                                                     \
	} while (0)
	printf("<OFX>%s<SIGNONMSGSRSV1>%s<SONRS>%s", nl, nl, nl);
	LEAF("DTSERVER", "20240401000000[-3:BRT]");
	printf("</SONRS>%s</SIGNONMSGSRSV1>%s<BANKMSGSRSV1>%s<STMTTRNRS>%s<STMTRS>%s", nl, nl, nl, nl, nl);
	LEAF("CURDEF", "BRL");
	printf("<BANKACCTFROM>%s", nl);
	LEAF("BANKID", "001");
	LEAF("BRANCHID", "1234-5");
	LEAF("ACCTID", "67890-1");
	printf("</BANKACCTFROM>%s<BANKTRANLIST>%s", nl, nl);
	LEAF("DTSTART", "20240101");
	LEAF("DTEND", "20240331");
	for (long i = 0; i < n; i++) {
		unsigned kind = rnd(100), day = 1 + (unsigned)(i * 90 / (n ? n : 1));
		unsigned month = 1 + day / 31, dom = 1 + day % 28;
		unsigned long cents = 100 + rnd(500000);
		char memo[200];
		const char *f = first[rnd(8)], *l = last[rnd(8)];
		int credit = kind < 65, reversal = kind >= 65 && kind < 70;
		if (kind < 20)
			snprintf(memo, sizeof memo,
			         "Transfer%sncia recebida pelo Pix - %s %s - %s%s%s.%03u.%03u-%s%s - BCO DO "
			         "BRASIL S.A. "
			         "(0001) Ag%sncia: %u Conta: %u-%u",
			         xml ? "\xC3\xAA" : "\xEA", f, l, xml ? "\xE2\x80\xA2" : "*",
			         xml ? "\xE2\x80\xA2" : "*", xml ? "\xE2\x80\xA2" : "*", rnd(1000), rnd(1000),
			         xml ? "\xE2\x80\xA2" : "*", xml ? "\xE2\x80\xA2" : "*",
			         xml ? "\xC3\xAA" : "\xEA", rnd(9999), rnd(99999), rnd(10));
		else if (kind < 40)
			snprintf(memo, sizeof memo, "Pix - Recebido - %02u/%02u %02u:%02u %014u %s %s", dom,
			         month, rnd(24), rnd(60), rnd(1000000000), f, l);
		else if (kind < 55)
			snprintf(memo, sizeof memo, "PIX QR CODE RECEBIDO %s %s %02u/%02u", f, l, dom, month);
		else if (kind < 65)
			snprintf(memo, sizeof memo, "DEP%sSITO COMPE", xml ? "\xC3\x93" : "\xD3");
		else if (kind < 70)
			snprintf(memo, sizeof memo, "DEVOLUCAO PIX %s %s", f, l);
		else
			snprintf(memo, sizeof memo, "Pagamento de Boleto - FORNECEDOR %u", rnd(1000));
		printf("<STMTTRN>%s", nl);
		LEAF("TRNTYPE", "%s", credit ? "CREDIT" : "DEBIT");
		LEAF("DTPOSTED", "2024%02u%02u120000[-3:BRT]", month, dom);
		LEAF("TRNAMT", "%s%lu.%02lu", credit ? "" : "-", cents / 100, cents % 100);
		LEAF("FITID", "2024%02u%02u%07ld", month, dom, i);
		LEAF("CHECKNUM", "%06u", rnd(1000000));
		LEAF("MEMO", "%s", memo);
		printf("</STMTTRN>%s", nl);
		(void)reversal;
	}
	printf("</BANKTRANLIST>%s<LEDGERBAL>%s", nl, nl);
	LEAF("BALAMT", "0.00");
	LEAF("DTASOF", "20240331");
	printf("</LEDGERBAL>%s</STMTRS>%s</STMTTRNRS>%s</BANKMSGSRSV1>%s</OFX>%s", nl, nl, nl, nl, nl);
	return 0;
}
