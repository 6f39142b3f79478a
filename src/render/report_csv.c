/* The CSV report: one row per outcome, then an empty line and the balance
 * proof. Two dialects:
 * - rfc4180: ',' separator, amounts in reais with a decimal point, ISO
 *   dates, LF; for programs.
 * - excel-br: what Excel in Portuguese opens right with a double click:
 *   UTF-8 BOM (else it reads Windows-1252), ';' separator (',' is the
 *   decimal mark there), decimal comma, DD/MM/YYYY dates, CRLF,
 *   Portuguese headers, and identifiers made only of digits written as
 *   ="00123" so that leading zeros and long numbers survive. */
#include "config.h"
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/money.h"
#include "render/report.h"

struct csv {
	FILE *fp;
	enum report_csv_dialect dialect;
	char sep;
	const char *eol;
};

/* Writes prefix + s as one field (prefix only when s is not NULL),
 * quoted when it holds the separator, a quote or a line break. */
static void put_field(struct csv *c, const char *prefix, const char *s, int last)
{
	const char *special = c->dialect == REPORT_CSV_EXCEL_BR ? ";\"\r\n" : ",\"\r\n";
	if (s && strpbrk(s, special)) {
		fputc('"', c->fp);
		fputs(prefix, c->fp);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', c->fp);
			fputc(*s, c->fp);
		}
		fputc('"', c->fp);
	} else if (s) {
		fputs(prefix, c->fp);
		fputs(s, c->fp);
	}
	if (last)
		fputs(c->eol, c->fp);
	else
		fputc(c->sep, c->fp);
}

static void put_raw(struct csv *c, const char *s, int last)
{
	put_field(c, "", s, last);
}

/* Text from the ERP or the bank could start with '=' and be run as a
 * formula by the spreadsheet that opens this file: neutralize it. */
static void put_text(struct csv *c, const char *s, int last)
{
	int formula = s && (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r');
	put_field(c, formula ? "'" : "", s, last);
}

static int all_digits(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* An identifier (nosso número, CPF/CNPJ, bank code, ERP id). */
static void put_id(struct csv *c, const char *s, int last)
{
	if (c->dialect == REPORT_CSV_EXCEL_BR && all_digits(s) && strlen(s) < 100) {
		/* Only digits go inside the formula: nothing to inject. */
		char buf[112];
		snprintf(buf, sizeof buf, "=\"%s\"", s);
		put_raw(c, buf, last);
		return;
	}
	put_text(c, s, last);
}

static void put_money(struct csv *c, int64_t cents, int last)
{
	char buf[32];
	if (c->dialect == REPORT_CSV_EXCEL_BR)
		money_format_comma(cents, buf, sizeof buf);
	else
		money_format(cents, buf, sizeof buf);
	put_raw(c, buf, last);
}

static void put_date(struct csv *c, const char *iso)
{
	cdate d;
	char buf[16];
	if (c->dialect == REPORT_CSV_EXCEL_BR && iso && date_parse_iso(iso, strlen(iso), &d) == 0) {
		date_format_br(d, buf, sizeof buf);
		put_raw(c, buf, 0);
		return;
	}
	put_text(c, iso, 0);
}

static const char *const header_rfc4180[] = {
	"category", "needs_attention", "receivable_id", "nosso_numero", "bank", "paid", "expected",
	"allocated", "excess", "payment_date", "due_date", "debtor_name", "debtor_document", "source",
	"rule", "detail", "outcome_id", "reversed", "resolution",
};
static const char *const header_excel_br[] = {
	"Categoria", "Requer atenção", "Título", "Nosso número", "Banco", "Pago", "Devido",
	"Aplicado", "Excedente", "Data do pagamento", "Vencimento", "Devedor", "CPF/CNPJ", "Origem",
	"Regra", "Detalhe", "Resultado nº", "Desfeito", "Resolução",
};
#define NCOLUMNS (sizeof header_rfc4180 / sizeof header_rfc4180[0])
_Static_assert(sizeof header_excel_br / sizeof header_excel_br[0] == NCOLUMNS, "one header per column");

static void put_item(struct csv *c, const struct report_item *it)
{
	const int br = c->dialect == REPORT_CSV_EXCEL_BR;
	char bank[8], source[700], id[32];
	put_text(c, it->category_name, 0);
	put_raw(c, it->needs_human ? (br ? "sim" : "yes") : (br ? "não" : "no"), 0);
	put_id(c, it->receivable_id, 0);
	put_id(c, it->nosso_numero, 0);
	snprintf(bank, sizeof bank, "%03d", it->bank);
	put_id(c, bank, 0);
	put_money(c, it->paid_cents, 0);
	if (it->receivable_id)
		put_money(c, it->expected_cents, 0);
	else
		put_raw(c, NULL, 0);
	put_money(c, it->allocated_cents, 0);
	put_money(c, it->excess_cents, 0);
	put_date(c, it->payment_date);
	put_date(c, it->due_date);
	put_text(c, it->debtor_name, 0);
	put_id(c, it->debtor_document, 0);
	snprintf(source, sizeof source, "%s:%ld", it->filename ? it->filename : "", it->line);
	put_text(c, source, 0);
	put_text(c, it->rule, 0);
	put_text(c, it->detail, 0);
	snprintf(id, sizeof id, "%lld", (long long)it->outcome_id);
	put_raw(c, id, 0);
	put_raw(c, it->reversed ? (br ? "sim" : "yes") : (br ? "não" : "no"), 0);
	put_text(c, it->resolution_action, 1);
}

/* "opening_cents" -> "opening": the proof's amounts here are in reais. */
static void put_key(struct csv *c, const char *key)
{
	char buf[40];
	const char *suffix = strstr(key, "_cents");
	int n = suffix ? (int)(suffix - key) : (int)strlen(key);
	snprintf(buf, sizeof buf, "%.*s", n, key);
	put_raw(c, buf, 0);
}

static void put_proof_line(struct csv *c, const struct report_proof_line *l)
{
	char label[120];
	put_key(c, l->key);
	if (l->sign == ' ')
		snprintf(label, sizeof label, "%s", l->label_pt);
	else
		snprintf(label, sizeof label, "(%c) %s", l->sign, l->label_pt);
	put_text(c, label, 0);
	put_money(c, l->cents, 1);
}

static void put_proof(struct csv *c, const struct report *r)
{
	struct report_proof_line lines[REPORT_PROOF_LINES], info[REPORT_PROOF_INFO_LINES];
	report_proof_lines(&r->proof, lines, info);
	fputs(c->eol, c->fp);
	if (c->dialect == REPORT_CSV_EXCEL_BR) {
		put_raw(c, "Linha", 0);
		put_raw(c, "Prova do saldo em aberto", 0);
		put_raw(c, "Valor", 1);
	} else {
		put_raw(c, "proof_line", 0);
		put_raw(c, "label", 0);
		put_raw(c, "amount", 1);
	}
	for (int i = 0; i < REPORT_PROOF_LINES; i++)
		put_proof_line(c, &lines[i]);
	struct report_proof_line diff = {"difference_cents", "Diferença (0 = a prova confere)", ' ',
					 balance_proof_difference(&r->proof)};
	put_proof_line(c, &diff);
	for (int i = 0; i < REPORT_PROOF_INFO_LINES; i++)
		put_proof_line(c, &info[i]);
}

int report_write_csv(const struct report *r, enum report_csv_dialect dialect, FILE *fp)
{
	struct csv c = {fp, dialect, ',', "\n"};
	const char *const *header = header_rfc4180;
	if (dialect == REPORT_CSV_EXCEL_BR) {
		c.sep = ';';
		c.eol = "\r\n";
		header = header_excel_br;
		fputs("\xEF\xBB\xBF", fp);
	}
	for (size_t i = 0; i < NCOLUMNS; i++)
		put_raw(&c, header[i], i + 1 == NCOLUMNS);
	for (size_t i = 0; i < r->nitems; i++)
		put_item(&c, &r->items[i]);
	put_proof(&c, r);
	return ferror(fp) ? -1 : 0;
}
