/* Writes a realistic camt.053.001.08 statement of a BRL account with N
 * entries to stdout, indented one element per line as banks write them:
 * ~85 % Pix credits (endToEndId, a txid for charges, payer name and
 * CPF/CNPJ, remittance text, acceptance time), ~3 % batched credits of 2-5
 * transactions, ~2 % TEDs without a Pix id, ~2 % devoluções, ~8 % debits
 * (tariffs, payments). Opening and closing balances agree with the
 * entries. Deterministic (fixed seed), so runs compare.
 * Usage: gen-camt [-n ENTRIES] [-d YYYY-MM-DD] */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned long long rng = 88172645463325252ULL;
static unsigned next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)rng;
}

static void cpf(unsigned base, char out[12])
{
	int d[11];
	for (int i = 8; i >= 0; i--, base /= 10)
		d[i] = (int)(base % 10);
	for (int n = 9; n <= 10; n++) {
		int s = 0;
		for (int i = 0; i < n; i++)
			s += d[i] * (n + 1 - i);
		d[n] = (s * 10) % 11 % 10;
	}
	for (int i = 0; i < 11; i++)
		out[i] = (char)('0' + d[i]);
	out[11] = '\0';
}

static void cnpj(unsigned base, char out[15])
{
	static const int w1[12] = {5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2};
	static const int w2[13] = {6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2};
	int d[14];
	for (int i = 7; i >= 0; i--, base /= 10)
		d[i] = (int)(base % 10);
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

static const char *const first[] = {"Maria",  "João",  "Ana",  "José",     "Francisco", "Antônia",
                                    "Carlos", "Paula", "Luiz", "Fernanda", "Márcio",    "Juliana"};
static const char *const last[] = {"da Silva", "dos Santos", "Oliveira",  "Souza",   "Pereira",   "Lima",
                                   "Carvalho", "Ferreira",   "Rodrigues", "Almeida", "Gonçalves", "Araújo"};
static const char *const ispb[] = {"18236120", "60701190", "00000000", "60746948", "00360305",
                                   "90400888", "00416968", "10573521", "31872495", "08561701"};

static FILE *out; /* /dev/null on the first pass */
static const char *date_text = "2026-11-23";
static long entry_no;

#define BAL                                                                                                  \
	"      <Bal>\n        <Tp>\n          <CdOrPrtry>\n            <Cd>%s</Cd>\n          "              \
	"</CdOrPrtry>\n"                                                                                     \
	"        </Tp>\n        <Amt Ccy=\"BRL\">%s</Amt>\n        <CdtDbtInd>CRDT</CdtDbtInd>\n"            \
	"        <Dt>\n          <Dt>%s</Dt>\n        </Dt>\n      </Bal>\n"

static void money(long long cents, char *buf, size_t n)
{
	snprintf(buf, n, "%lld.%02lld", cents / 100, cents % 100);
}

/* endToEndId: E + ISPB + yyyyMMddHHmm + 11 characters. */
static void e2e(char id[33], char kind, int hh, int mm)
{
	static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	char stamp[13];
	snprintf(stamp, sizeof stamp, "%.4s%.2s%.2s%02d%02d", date_text, date_text + 5, date_text + 8, hh,
	         mm);
	int n = snprintf(id, 33, "%c%s%s", kind, ispb[next() % 10], stamp);
	for (; n < 32; n++)
		id[n] = alnum[next() % (sizeof alnum - 1)];
	id[32] = '\0';
}

static void party(const char *role, int company)
{
	char doc[16];
	if (company)
		cnpj(next() % 90000000 + 10000000, doc);
	else
		cpf(next() % 900000000 + 100000000, doc);
	fprintf(out,
	        "              <%s>\n"
	        "                <Pty>\n"
	        "                  <Nm>%s %s%s</Nm>\n"
	        "                  <Id>\n"
	        "                    <%s>\n"
	        "                      <Othr>\n"
	        "                        <Id>%s</Id>\n"
	        "                      </Othr>\n"
	        "                    </%s>\n"
	        "                  </Id>\n"
	        "                </Pty>\n"
	        "              </%s>\n",
	        role, first[next() % 12], last[next() % 12], company ? " Ltda" : "",
	        company ? "OrgId" : "PrvtId", doc, company ? "OrgId" : "PrvtId", role);
}

static void entry_open(long long cents, const char *cdi, int hh, int mm, const char *dom, const char *fam,
                       const char *sub)
{
	char amt[32];
	money(cents, amt, sizeof amt);
	entry_no++;
	fprintf(out,
	        "      <Ntry>\n"
	        "        <NtryRef>%ld</NtryRef>\n"
	        "        <Amt Ccy=\"BRL\">%s</Amt>\n"
	        "        <CdtDbtInd>%s</CdtDbtInd>\n"
	        "        <Sts>\n"
	        "          <Cd>BOOK</Cd>\n"
	        "        </Sts>\n"
	        "        <BookgDt>\n"
	        "          <DtTm>%sT%02d:%02d:%02d-03:00</DtTm>\n"
	        "        </BookgDt>\n"
	        "        <ValDt>\n"
	        "          <Dt>%s</Dt>\n"
	        "        </ValDt>\n"
	        "        <AcctSvcrRef>BB%.4s%.2s%.2s%07ld</AcctSvcrRef>\n"
	        "        <BkTxCd>\n"
	        "          <Domn>\n"
	        "            <Cd>%s</Cd>\n"
	        "            <Fmly>\n"
	        "              <Cd>%s</Cd>\n"
	        "              <SubFmlyCd>%s</SubFmlyCd>\n"
	        "            </Fmly>\n"
	        "          </Domn>\n"
	        "        </BkTxCd>\n",
	        entry_no, amt, cdi, date_text, hh, mm, (int)(next() % 60), date_text, date_text,
	        date_text + 5, date_text + 8, entry_no, dom, fam, sub);
}

/* One TxDtls of a Pix credit (or of a devolução when rtr). */
static void pix_tx(long long cents, int hh, int mm, int rtr)
{
	char id[33], amt[32];
	money(cents, amt, sizeof amt);
	e2e(id, 'E', hh, mm);
	fprintf(out, "          <TxDtls>\n"
	             "            <Refs>\n");
	if (rtr) {
		char d[33];
		e2e(d, 'D', hh, mm);
		fprintf(out, "              <InstrId>%s</InstrId>\n", d);
	}
	fprintf(out, "              <EndToEndId>%s</EndToEndId>\n", id);
	if (!rtr && next() % 10 < 6)
		fprintf(out, "              <TxId>cob%.4s%07ld%016u</TxId>\n", date_text, entry_no, next());
	fprintf(out,
	        "            </Refs>\n"
	        "            <Amt Ccy=\"BRL\">%s</Amt>\n"
	        "            <RltdPties>\n",
	        amt);
	party(rtr ? "Cdtr" : "Dbtr", next() % 5 == 0);
	fprintf(out,
	        "            </RltdPties>\n"
	        "            <RltdAgts>\n"
	        "              <DbtrAgt>\n"
	        "                <FinInstnId>\n"
	        "                  <ClrSysMmbId>\n"
	        "                    <MmbId>%s</MmbId>\n"
	        "                  </ClrSysMmbId>\n"
	        "                </FinInstnId>\n"
	        "              </DbtrAgt>\n"
	        "            </RltdAgts>\n",
	        ispb[next() % 10]);
	if (next() % 3 == 0)
		fprintf(out,
		        "            <RmtInf>\n"
		        "              <Ustrd>Pedido %u - parcela %u/3</Ustrd>\n"
		        "            </RmtInf>\n",
		        next() % 100000, next() % 3 + 1);
	if (rtr)
		fprintf(out, "            <RtrInf>\n"
		             "              <Rsn>\n"
		             "                <Prtry>MD06</Prtry>\n"
		             "              </Rsn>\n"
		             "            </RtrInf>\n");
	fprintf(out,
	        "            <RltdDts>\n"
	        "              <AccptncDtTm>%sT%02d:%02d:%02d.%03u-03:00</AccptncDtTm>\n"
	        "            </RltdDts>\n"
	        "          </TxDtls>\n",
	        date_text, hh, mm, (int)(next() % 60), next() % 1000);
}

int main(int argc, char **argv)
{
	long n = 100000;
	int c;
	while ((c = getopt(argc, argv, "n:d:")) != -1) {
		if (c == 'n')
			n = atol(optarg);
		else if (c == 'd')
			date_text = optarg;
		else {
			fprintf(stderr, "usage: gen-camt [-n ENTRIES] [-d YYYY-MM-DD]\n");
			return 2;
		}
	}
	if (n < 1 || strlen(date_text) != 10) {
		fprintf(stderr, "gen-camt: bad arguments\n");
		return 2;
	}
	/* The entries are written first into the output, the balances need
	 * their sum: draw every amount twice from the same seed. */
	unsigned long long seed = rng;
	long long opening = 125000000, sum = 0;
	FILE *sink = fopen("/dev/null", "w");
	if (sink == NULL) {
		perror("/dev/null");
		return 1;
	}
	for (int pass = 0; pass < 2; pass++) {
		rng = seed;
		entry_no = 0;
		out = pass == 0 ? sink : stdout;
		if (pass == 1) {
			char o[32], cl[32];
			money(opening, o, sizeof o);
			money(opening + sum, cl, sizeof cl);
			fprintf(out,
			        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">\n"
			        "  <BkToCstmrStmt>\n"
			        "    <GrpHdr>\n"
			        "      <MsgId>BENCH%.4s%.2s%.2s</MsgId>\n"
			        "      <CreDtTm>%sT23:59:59-03:00</CreDtTm>\n"
			        "    </GrpHdr>\n"
			        "    <Stmt>\n"
			        "      <Id>STMT-%s</Id>\n"
			        "      <CreDtTm>%sT23:59:59-03:00</CreDtTm>\n"
			        "      <Acct>\n"
			        "        <Id>\n"
			        "          <IBAN>BR9500000000012340000567890C1</IBAN>\n"
			        "        </Id>\n"
			        "        <Ccy>BRL</Ccy>\n"
			        "        <Svcr>\n"
			        "          <FinInstnId>\n"
			        "            <ClrSysMmbId>\n"
			        "              <MmbId>00000000</MmbId>\n"
			        "            </ClrSysMmbId>\n"
			        "          </FinInstnId>\n"
			        "        </Svcr>\n"
			        "      </Acct>\n",
			        date_text, date_text + 5, date_text + 8, date_text, date_text, date_text);
			fprintf(out, BAL, "OPBD", o, date_text);
			fprintf(out, BAL, "CLBD", cl, date_text);
		}
		sum = 0;
		for (long i = 0; i < n; i++) {
			int hh = (int)(i * 24 / n), mm = (int)(next() % 60);
			unsigned r = next() % 100;
			long long cents = (long long)(next() % 250000) + 500;
			if (r < 85) {
				entry_open(cents, "CRDT", hh, mm, "PMNT", "RRCT", "DMCT");
				fprintf(out, "        <NtryDtls>\n");
				pix_tx(cents, hh, mm, 0);
				sum += cents;
			} else if (r < 88) {
				int k = (int)(next() % 4) + 2;
				long long part[5], total = 0;
				for (int j = 0; j < k; j++)
					total += part[j] = (long long)(next() % 50000) + 100;
				entry_open(total, "CRDT", hh, mm, "PMNT", "RRCT", "DMCT");
				fprintf(out,
				        "        <NtryDtls>\n"
				        "          <Btch>\n"
				        "            <NbOfTxs>%d</NbOfTxs>\n"
				        "          </Btch>\n",
				        k);
				for (int j = 0; j < k; j++)
					pix_tx(part[j], hh, mm, 0);
				sum += total;
			} else if (r < 90) {
				entry_open(cents, "CRDT", hh, mm, "PMNT", "RCDT", "DMCT");
				fprintf(out, "        <NtryDtls>\n"
				             "          <TxDtls>\n"
				             "            <RltdPties>\n");
				party("Dbtr", 1);
				fprintf(out,
				        "            </RltdPties>\n"
				        "            <RmtInf>\n"
				        "              <Ustrd>TED NF %ld</Ustrd>\n"
				        "            </RmtInf>\n"
				        "          </TxDtls>\n",
				        i);
				sum += cents;
			} else if (r < 92) {
				cents /= 10;
				entry_open(cents, "DBIT", hh, mm, "PMNT", "IRCT", "RRTN");
				fprintf(out, "        <NtryDtls>\n");
				pix_tx(cents, hh, mm, 1);
				sum -= cents;
			} else {
				cents = r < 96 ? 250 : cents;
				entry_open(cents, "DBIT", hh, mm, r < 96 ? "ACMT" : "PMNT",
				           r < 96 ? "MDOP" : "ICDT", r < 96 ? "CHRG" : "DMCT");
				fprintf(out,
				        "        <AddtlNtryInf>%s</AddtlNtryInf>\n"
				        "      </Ntry>\n",
				        r < 96 ? "TARIFA PIX RECEBIDO" : "PAGAMENTO FORNECEDOR");
				sum -= cents;
				continue;
			}
			fprintf(out, "        </NtryDtls>\n"
			             "      </Ntry>\n");
		}
		if (pass == 1)
			fprintf(out, "    </Stmt>\n"
			             "  </BkToCstmrStmt>\n"
			             "</Document>\n");
	}
	fclose(sink);
	return fflush(stdout) == 0 ? 0 : 1;
}
