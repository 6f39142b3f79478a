/* camt.053 / camt.054 reader: the XML walk.
 *
 * libxml2's SAX2 push parser, fed from the caller's buffer in windows, so
 * that memory does not grow with the file: no tree is built, only the
 * current statement and the current entry (with its transactions) are
 * kept. SAX rather than xmlTextReader because the reader's nodes keep
 * line numbers in 16 bits: a 100 000-entry statement has millions of
 * lines, and every diagnostic must point at the right one.
 *
 * Which elements matter is a table (parent, name, child): an element not
 * in it, or in another namespace, is skipped with everything inside it.
 *
 * Hardening, in this order:
 *   1. size limit (CAMT_MAX_BYTES), UTF-16/32 refused;
 *   2. the prolog is scanned before libxml2 sees a byte: a DOCTYPE is
 *      refused, so there is no DTD, no entity declaration, hence no
 *      entity expansion (billion laughs) and no external entity (XXE);
 *   3. the parser runs without XML_PARSE_NOENT, DTDLOAD, DTDATTR or HUGE
 *      and with XML_PARSE_NONET; its internalSubset callback refuses too,
 *      and only the five predefined entities resolve;
 *   4. depth and text limits of our own (CAMT_MAX_DEPTH, CAMT_MAX_TEXT),
 *      below libxml2's defaults. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/entities.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "codec/camt.h"
#include "codec/camt_internal.h"
#include "codec/ispb.h"
#include "core/money.h"

/* Kinds of element, by where they are. */
enum el {
	E_SKIP = 0, /* not read, nor anything inside */
	E_DOC,
	E_MSG,
	E_GRPHDR,
	E_GRP_CREDTTM,
	E_STMT,
	E_STMT_CREDTTM,
	E_ACCT,
	E_ACCT_ID,
	E_ACCT_IBAN,
	E_ACCT_OTHR,
	E_ACCT_OTHR_ID,
	E_ACCT_CCY,
	E_ACCT_SVCR,
	E_SVCR_FI,
	E_SVCR_CLR,
	E_SVCR_MMBID,
	E_BAL,
	E_BAL_TP,
	E_BAL_TPC,
	E_BAL_CD,
	E_BAL_AMT,
	E_BAL_CDI,
	E_NTRY,
	E_NTRY_REF,
	E_NTRY_AMT,
	E_NTRY_CDI,
	E_NTRY_RVSL,
	E_NTRY_STS,
	E_NTRY_STS_CD,
	E_NTRY_BOOKG,
	E_NTRY_VALDT,
	E_BOOKG_DT,
	E_BOOKG_DTTM,
	E_VALDT_DT,
	E_VALDT_DTTM,
	E_NTRY_SVCRREF,
	E_BKTX,
	E_BK_DOMN,
	E_BK_DOMN_CD,
	E_BK_FMLY,
	E_BK_FMLY_CD,
	E_BK_SUBFMLY,
	E_BK_PRTRY,
	E_BK_PRTRY_CD,
	E_NTRY_DTLS,
	E_TX,
	E_TX_REFS,
	E_REF_E2E,
	E_REF_TXID,
	E_REF_INSTR,
	E_REF_SVCR,
	E_REF_CLR,
	E_REF_PRTRY,
	E_REF_PRTRY_REF,
	E_TX_AMT,
	E_TX_AMTDTLS,
	E_TX_TXAMT,
	E_TX_TXAMT_AMT,
	E_TX_PTIES,
	E_DBTR,
	E_CDTR,
	E_PARTY_NM,
	E_PARTY_ID,
	E_PARTY_IDX,
	E_PARTY_OTHR,
	E_PARTY_OTHR_ID,
	E_TX_RMT,
	E_RMT_USTRD,
	E_RMT_STRD,
	E_RMT_CRI,
	E_RMT_CRI_REF,
	E_TX_RTR,
	E_RTR_RSN,
	E_RTR_RSN_CD,
	E_TX_DTS,
	E_TX_ACCPTNC,
	E_COUNT
};

#define CAP 1 /* the element's text is read */
#define CCY 2 /* and its Ccy attribute */

struct rule {
	unsigned char parent, child, flags;
	const char *name;
};

/* Paths of camt.053.001.02-08 and camt.054.001.02-08 (reference/pix.md §9).
 * The party of a transaction (Dbtr, Cdtr) keeps its kind through the v08
 * wrapper Pty; Sts is a code (v02-05) or holds Cd/Prtry (v06+). */
static const struct rule rules[] = {
    {E_DOC, E_MSG, 0, "BkToCstmrStmt"},
    {E_DOC, E_MSG, 0, "BkToCstmrDbtCdtNtfctn"},
    {E_MSG, E_GRPHDR, 0, "GrpHdr"},
    {E_MSG, E_STMT, 0, "Stmt"},
    {E_MSG, E_STMT, 0, "Ntfctn"},
    {E_GRPHDR, E_GRP_CREDTTM, CAP, "CreDtTm"},
    {E_STMT, E_STMT_CREDTTM, CAP, "CreDtTm"},
    {E_STMT, E_ACCT, 0, "Acct"},
    {E_STMT, E_BAL, 0, "Bal"},
    {E_STMT, E_NTRY, 0, "Ntry"},
    {E_ACCT, E_ACCT_ID, 0, "Id"},
    {E_ACCT, E_ACCT_CCY, CAP, "Ccy"},
    {E_ACCT, E_ACCT_SVCR, 0, "Svcr"},
    {E_ACCT_ID, E_ACCT_IBAN, CAP, "IBAN"},
    {E_ACCT_ID, E_ACCT_OTHR, 0, "Othr"},
    {E_ACCT_OTHR, E_ACCT_OTHR_ID, CAP, "Id"},
    {E_ACCT_SVCR, E_SVCR_FI, 0, "FinInstnId"},
    {E_SVCR_FI, E_SVCR_CLR, 0, "ClrSysMmbId"},
    {E_SVCR_CLR, E_SVCR_MMBID, CAP, "MmbId"},
    {E_BAL, E_BAL_TP, 0, "Tp"},
    {E_BAL, E_BAL_AMT, CAP | CCY, "Amt"},
    {E_BAL, E_BAL_CDI, CAP, "CdtDbtInd"},
    {E_BAL_TP, E_BAL_TPC, 0, "CdOrPrtry"},
    {E_BAL_TPC, E_BAL_CD, CAP, "Cd"},
    {E_NTRY, E_NTRY_REF, CAP, "NtryRef"},
    {E_NTRY, E_NTRY_AMT, CAP | CCY, "Amt"},
    {E_NTRY, E_NTRY_CDI, CAP, "CdtDbtInd"},
    {E_NTRY, E_NTRY_RVSL, CAP, "RvslInd"},
    {E_NTRY, E_NTRY_STS, CAP, "Sts"},
    {E_NTRY, E_NTRY_BOOKG, 0, "BookgDt"},
    {E_NTRY, E_NTRY_VALDT, 0, "ValDt"},
    {E_NTRY, E_NTRY_SVCRREF, CAP, "AcctSvcrRef"},
    {E_NTRY, E_BKTX, 0, "BkTxCd"},
    {E_NTRY, E_NTRY_DTLS, 0, "NtryDtls"},
    {E_NTRY_STS, E_NTRY_STS_CD, CAP, "Cd"},
    {E_NTRY_STS, E_NTRY_STS_CD, CAP, "Prtry"},
    {E_NTRY_BOOKG, E_BOOKG_DT, CAP, "Dt"},
    {E_NTRY_BOOKG, E_BOOKG_DTTM, CAP, "DtTm"},
    {E_NTRY_VALDT, E_VALDT_DT, CAP, "Dt"},
    {E_NTRY_VALDT, E_VALDT_DTTM, CAP, "DtTm"},
    {E_BKTX, E_BK_DOMN, 0, "Domn"},
    {E_BKTX, E_BK_PRTRY, 0, "Prtry"},
    {E_BK_DOMN, E_BK_DOMN_CD, CAP, "Cd"},
    {E_BK_DOMN, E_BK_FMLY, 0, "Fmly"},
    {E_BK_FMLY, E_BK_FMLY_CD, CAP, "Cd"},
    {E_BK_FMLY, E_BK_SUBFMLY, CAP, "SubFmlyCd"},
    {E_BK_PRTRY, E_BK_PRTRY_CD, CAP, "Cd"},
    {E_NTRY_DTLS, E_TX, 0, "TxDtls"},
    {E_TX, E_TX_REFS, 0, "Refs"},
    {E_TX, E_TX_AMT, CAP | CCY, "Amt"},
    {E_TX, E_TX_AMTDTLS, 0, "AmtDtls"},
    {E_TX, E_TX_PTIES, 0, "RltdPties"},
    {E_TX, E_TX_RMT, 0, "RmtInf"},
    {E_TX, E_TX_RTR, 0, "RtrInf"},
    {E_TX, E_TX_DTS, 0, "RltdDts"},
    {E_TX_REFS, E_REF_E2E, CAP, "EndToEndId"},
    {E_TX_REFS, E_REF_TXID, CAP, "TxId"},
    {E_TX_REFS, E_REF_INSTR, CAP, "InstrId"},
    {E_TX_REFS, E_REF_SVCR, CAP, "AcctSvcrRef"},
    {E_TX_REFS, E_REF_CLR, CAP, "ClrSysRef"},
    {E_TX_REFS, E_REF_PRTRY, 0, "Prtry"},
    {E_REF_PRTRY, E_REF_PRTRY_REF, CAP, "Ref"},
    {E_TX_AMTDTLS, E_TX_TXAMT, 0, "TxAmt"},
    {E_TX_TXAMT, E_TX_TXAMT_AMT, CAP | CCY, "Amt"},
    {E_TX_PTIES, E_DBTR, 0, "Dbtr"},
    {E_TX_PTIES, E_CDTR, 0, "Cdtr"},
    {E_DBTR, E_DBTR, 0, "Pty"},
    {E_CDTR, E_CDTR, 0, "Pty"},
    {E_DBTR, E_PARTY_NM, CAP, "Nm"},
    {E_CDTR, E_PARTY_NM, CAP, "Nm"},
    {E_DBTR, E_PARTY_ID, 0, "Id"},
    {E_CDTR, E_PARTY_ID, 0, "Id"},
    {E_PARTY_ID, E_PARTY_IDX, 0, "PrvtId"},
    {E_PARTY_ID, E_PARTY_IDX, 0, "OrgId"},
    {E_PARTY_IDX, E_PARTY_OTHR, 0, "Othr"},
    {E_PARTY_OTHR, E_PARTY_OTHR_ID, CAP, "Id"},
    {E_TX_RMT, E_RMT_USTRD, CAP, "Ustrd"},
    {E_TX_RMT, E_RMT_STRD, 0, "Strd"},
    {E_RMT_STRD, E_RMT_CRI, 0, "CdtrRefInf"},
    {E_RMT_CRI, E_RMT_CRI_REF, CAP, "Ref"},
    {E_TX_RTR, E_RTR_RSN, 0, "Rsn"},
    {E_RTR_RSN, E_RTR_RSN_CD, CAP, "Cd"},
    {E_RTR_RSN, E_RTR_RSN_CD, CAP, "Prtry"},
    {E_TX_DTS, E_TX_ACCPTNC, CAP, "AccptncDtTm"},
};
#define NRULES       (sizeof rules / sizeof rules[0])
#define MAX_CHILDREN 12
#define RULE_NONE    0xFF
#define RULE_ROOT    0xFE

/* Message versions read: camt.05X.001.02 to .08. */
#define VERSION_MIN 2
#define VERSION_MAX 8
static const char *const version_names[2][VERSION_MAX - VERSION_MIN + 1] = {
    {"camt.053.001.02", "camt.053.001.03", "camt.053.001.04", "camt.053.001.05", "camt.053.001.06",
     "camt.053.001.07", "camt.053.001.08"},
    {"camt.054.001.02", "camt.054.001.03", "camt.054.001.04", "camt.054.001.05", "camt.054.001.06",
     "camt.054.001.07", "camt.054.001.08"},
};
static const char camt_ns_prefix[] = "urn:iso:std:iso:20022:tech:xsd:camt.";

struct frame {
	unsigned char el, rule;
	int col;
	long line;
};

struct parser {
	xmlParserCtxtPtr ctxt;
	const char *file;
	struct diag *err;
	int failed;
	struct camt_emit em;
	struct cnab_file_info *info;

	unsigned char children[E_COUNT][MAX_CHILDREN]; /* rule indexes per parent */
	unsigned char nchildren[E_COUNT];

	int msg;     /* 53 or 54, once the root is read */
	int version; /* 2..8 */
	char ns[64];
	const xmlChar *ns_seen; /* last namespace pointer found equal to ns */

	int depth;
	struct frame stack[CAMT_MAX_DEPTH + 1];
	int cap_frame; /* frame whose text is being collected, -1 none */
	size_t text_len;
	int text_overflow;
	char text[CAMT_MAX_TEXT + 1];
	char ccy[4];

	cdate grp_created;
	long statements, entries, entries_read;
	struct camt_stmt stmt;
	int bal_type; /* 'O' opening, 'C' closing, 0 other, of the Bal being read */
	int64_t bal_amt;
	char bal_ccy[4];
	int bal_sign, bal_has_amt;

	struct camt_entry entry;
	struct camt_tx *txs; /* entry.tx: grows to the largest batch, reused */
	size_t tx_cap;
	struct camt_tx *tx; /* the TxDtls being read, NULL outside */
	struct camt_party *party;
};

static void stop(struct parser *p)
{
	p->failed = 1;
	xmlStopParser(p->ctxt);
}

/* The path of frame f relative to Stmt/Ntfctn (or to the message for the
 * group header): "Ntry/NtryDtls/TxDtls/Amt". The start is cut when it does
 * not fit, so that the element itself is always named. */
static const char *frame_path(const struct parser *p, int f, char *buf, size_t n)
{
	int from = 0;
	for (int i = 0; i < f; i++)
		if (p->stack[i].el == E_STMT || p->stack[i].el == E_MSG)
			from = i + 1;
	char tmp[512];
	size_t used = 0;
	tmp[0] = '\0';
	for (int i = from; i <= f && used < sizeof tmp; i++) {
		const char *name = p->stack[i].rule < NRULES       ? rules[p->stack[i].rule].name
		                   : p->stack[i].rule == RULE_ROOT ? "Document"
		                                                   : "?";
		used += (size_t)snprintf(tmp + used, sizeof tmp - used, "%s%s", i > from ? "/" : "", name);
	}
	if (used >= sizeof tmp)
		used = sizeof tmp - 1;
	size_t start = 0;
	while (used - start >= n) {
		const char *slash = strchr(tmp + start + 1, '/');
		if (!slash)
			break;
		start = (size_t)(slash - tmp) + 1;
	}
	snprintf(buf, n, "%s", tmp + start);
	return buf;
}

static void fail_at(struct parser *p, int f, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* An error about the element of frame f, at its start tag. */
static void fail_at(struct parser *p, int f, const char *fmt, ...)
{
	char msg[512], path[64];
	va_list ap;
	if (p->failed)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_set(p->err, DIAG_ERROR, p->file, p->stack[f].line, p->stack[f].col,
	         frame_path(p, f, path, sizeof path), "%s", msg);
	stop(p);
}

static void warn_at(struct parser *p, int f, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void warn_at(struct parser *p, int f, const char *fmt, ...)
{
	char msg[512], path[64];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	camt_notice(&p->em, DIAG_WARNING, p->stack[f].line, p->stack[f].col,
	            frame_path(p, f, path, sizeof path), "%s", msg);
}

/* Line and column of the '<' of the start tag just parsed. The parser
 * stands at its end, and a start tag holds no other '<'. */
static void tag_position(xmlParserCtxtPtr c, long *line, int *col)
{
	xmlParserInputPtr in = c->input;
	*line = in->line;
	*col = in->col;
	const xmlChar *lt = in->cur;
	int newlines = 0;
	while (lt > in->base && *lt != '<')
		newlines += *lt-- == '\n';
	if (*lt != '<')
		return;
	if (newlines == 0) {
		*col = in->col - (int)(in->cur - lt);
	} else {
		const xmlChar *bol = lt;
		while (bol > in->base && bol[-1] != '\n')
			bol--;
		*line -= newlines;
		*col = (int)(lt - bol) + 1;
	}
	if (*col < 1)
		*col = 1;
}

/* "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08" -> 53, 8. */
static int camt_namespace(const char *uri, int *msg, int *version)
{
	size_t plen = sizeof camt_ns_prefix - 1;
	if (strncmp(uri, camt_ns_prefix, plen) != 0)
		return -1;
	const char *s = uri + plen;
	if (strlen(s) != 10 || s[3] != '.' || memcmp(s + 4, "001.", 4) != 0)
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 3 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	*msg = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
	*version = (s[8] - '0') * 10 + (s[9] - '0');
	return 0;
}

static void root_started(struct parser *p, const char *name, const char *uri)
{
	int msg = 0, version = 0;
	if (uri == NULL || camt_namespace(uri, &msg, &version) != 0) {
		fail_at(
		    p, 0,
		    "root element %s in namespace '%s': not an ISO 20022 camt message (expected Document in "
		    "urn:iso:std:iso:20022:tech:xsd:camt.053.001.NN or camt.054.001.NN)",
		    name, uri ? uri : "(none)");
		return;
	}
	if (strcmp(name, "Document") != 0) {
		fail_at(p, 0, "root element %s: an ISO 20022 message starts with Document", name);
		return;
	}
	if ((msg != 53 && msg != 54) || version < VERSION_MIN || version > VERSION_MAX) {
		fail_at(p, 0,
		        "%s: concilia reads camt.053 (bank-to-customer statement) and camt.054 (debit/credit "
		        "notification), versions 001.%02d to 001.%02d%s",
		        uri + sizeof camt_ns_prefix - 1 - 5, VERSION_MIN, VERSION_MAX,
		        msg == 52
		            ? "; camt.052 is an intraday account report, not a statement of booked entries"
		            : "");
		return;
	}
	p->msg = msg;
	p->version = version;
	snprintf(p->ns, sizeof p->ns, "%s", uri);
}

static int same_namespace(struct parser *p, const xmlChar *uri)
{
	if (uri == NULL)
		return 0;
	if (uri == p->ns_seen)
		return 1;
	if (strcmp((const char *)uri, p->ns) != 0)
		return 0;
	p->ns_seen = uri;
	return 1;
}

static struct camt_tx *new_tx(struct parser *p, int f)
{
	if (p->entry.ntx == p->tx_cap) {
		if (p->tx_cap >= CAMT_MAX_TX_PER_ENTRY) {
			fail_at(p, f,
			        "more than %d transactions in one entry: refused (limit of this reader)",
			        CAMT_MAX_TX_PER_ENTRY);
			return NULL;
		}
		size_t cap = p->tx_cap ? p->tx_cap * 4 : 8;
		if (cap > CAMT_MAX_TX_PER_ENTRY)
			cap = CAMT_MAX_TX_PER_ENTRY;
		struct camt_tx *t = realloc(p->txs, cap * sizeof *t);
		if (t == NULL) {
			fail_at(p, f, "out of memory");
			return NULL;
		}
		p->txs = t;
		p->tx_cap = cap;
	}
	struct camt_tx *tx = &p->txs[p->entry.ntx];
	memset(tx, 0, sizeof *tx);
	tx->accepted = CDATE_NONE;
	p->entry.tx = p->txs;
	return tx;
}

static const char *attribute(const xmlChar **attrs, int n, const char *name, size_t *len)
{
	for (int i = 0; i < n; i++) {
		const xmlChar **a = attrs + 5 * i;
		if (strcmp((const char *)a[0], name) == 0 && a[2] == NULL) {
			*len = (size_t)(a[4] - a[3]);
			return (const char *)a[3];
		}
	}
	return NULL;
}

/* What starting an element does, beyond collecting its text. */
static void element_started(struct parser *p, int f, int nattrs, const xmlChar **attrs)
{
	switch (p->stack[f].el) {
	case E_STMT:
		if ((p->msg == 53) != (strcmp(rules[p->stack[f].rule].name, "Stmt") == 0)) {
			fail_at(p, f, "a camt.%03d message holds %s, not this", p->msg,
			        p->msg == 53 ? "Stmt" : "Ntfctn");
			return;
		}
		memset(&p->stmt, 0, sizeof p->stmt);
		p->stmt.created = CDATE_NONE;
		p->statements++;
		break;
	case E_BAL:
		p->bal_type = 0;
		p->bal_has_amt = 0;
		p->bal_sign = 1;
		p->bal_ccy[0] = '\0';
		break;
	case E_NTRY:
		memset(&p->entry, 0, sizeof p->entry);
		p->entry.line = p->stack[f].line;
		p->entry.col = p->stack[f].col;
		p->entry.booked = p->entry.value = CDATE_NONE;
		p->entry.tx = p->txs;
		p->entries++;
		break;
	case E_TX:
		p->tx = new_tx(p, f);
		break;
	case E_DBTR:
	case E_CDTR:
		p->party = p->tx ? (p->stack[f].el == E_DBTR ? &p->tx->dbtr : &p->tx->cdtr) : NULL;
		break;
	case E_TX_RTR:
		if (p->tx)
			p->tx->has_rtr = 1;
		break;
	default:
		break;
	}
	if (rules[p->stack[f].rule].flags & CCY) {
		size_t len;
		const char *v = attribute(attrs, nattrs, "Ccy", &len);
		p->ccy[0] = '\0';
		if (v && len == 3)
			memcpy(p->ccy, v, 3), p->ccy[3] = '\0';
		else if (v)
			fail_at(p, f, "currency \"%.*s\" is not an ISO 4217 code of three letters",
			        (int)(len > 20 ? 20 : len), v);
		else
			fail_at(p, f, "no currency: an amount has the attribute Ccy=\"BRL\"");
	}
}

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
                     int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
                     const xmlChar **attributes)
{
	struct parser *p = ctx;
	(void)prefix, (void)nb_namespaces, (void)namespaces, (void)nb_defaulted;
	if (p->failed)
		return;
	int f = p->depth;
	struct frame *fr = &p->stack[f];
	tag_position(p->ctxt, &fr->line, &fr->col);
	fr->el = E_SKIP;
	fr->rule = RULE_NONE;
	if (f >= CAMT_MAX_DEPTH) {
		p->depth++;
		fail_at(p, f, "elements nested deeper than %d: refused", CAMT_MAX_DEPTH);
		return;
	}
	p->depth++;
	if (f == 0) {
		fr->el = E_DOC;
		fr->rule = RULE_ROOT;
		root_started(p, (const char *)localname, (const char *)uri);
		return;
	}
	int parent = p->stack[f - 1].el;
	if (parent == E_SKIP || !same_namespace(p, uri))
		return;
	for (int i = 0; i < p->nchildren[parent]; i++) {
		const struct rule *r = &rules[p->children[parent][i]];
		if (r->name[0] == localname[0] && strcmp(r->name, (const char *)localname) == 0) {
			fr->el = r->child;
			fr->rule = p->children[parent][i];
			break;
		}
	}
	if (fr->el == E_SKIP)
		return;
	if (rules[fr->rule].flags & CAP) {
		p->cap_frame = f;
		p->text_len = 0;
		p->text_overflow = 0;
	}
	element_started(p, f, nb_attributes, attributes);
}

static void on_chars(void *ctx, const xmlChar *ch, int len)
{
	struct parser *p = ctx;
	if (p->cap_frame != p->depth - 1 || p->failed)
		return;
	if (p->text_len + (size_t)len > CAMT_MAX_TEXT) {
		p->text_overflow = 1;
		return;
	}
	memcpy(p->text + p->text_len, ch, (size_t)len);
	p->text_len += (size_t)len;
}

/* Copies an identifier (ISO Max35Text). A longer one is not used: a cut
 * id would name another payment. */
static void read_id(struct parser *p, int f, char *dst, const char *s, size_t len)
{
	char tmp[CAMT_MAX_TEXT + 1];
	camt_text_copy(tmp, sizeof tmp, s, len);
	if (strlen(tmp) > CAMT_ID_MAX) {
		warn_at(p, f,
		        "\"%.40s...\" is longer than the 35 characters of an ISO 20022 reference: not used",
		        tmp);
		return;
	}
	memcpy(dst, tmp, strlen(tmp) + 1);
}

static int read_amount(struct parser *p, int f, const char *s, size_t len, int64_t *cents)
{
	const char *why;
	int rc = camt_amount_parse(s, len, cents, &why);
	char shown[48];
	camt_text_copy(shown, sizeof shown, s, len);
	if (rc == -2)
		fail_at(
		    p, f,
		    "\"%s\" has decimals beyond the centavo that are not zero: concilia does not round money",
		    shown);
	else if (rc != 0)
		fail_at(p, f, "expected %s, found \"%s\"", why, shown);
	return rc;
}

static int brl_only(struct parser *p, int f, const char *what, const char *ccy)
{
	if (p->em.opt.any_currency || strcmp(ccy, "BRL") == 0)
		return 0;
	fail_at(
	    p, f,
	    "%s is in %s: concilia reconciles BRL accounts only, and amounts in %s cannot be matched against "
	    "receivables in reais",
	    what, ccy, ccy);
	return -1;
}

static void read_date(struct parser *p, int f, cdate *out, int with_time, const char *s, size_t len)
{
	char shown[48];
	if ((with_time ? camt_datetime_parse(s, len, out) : camt_date_parse(s, len, out)) == 0)
		return;
	camt_text_copy(shown, sizeof shown, s, len);
	fail_at(p, f, "expected %s, found \"%s\"",
	        with_time ? "a date and time like 2026-11-24T10:15:00-03:00" : "a date like 2026-11-24",
	        shown);
}

static void stmt_ended(struct parser *p, int f)
{
	struct camt_stmt *st = &p->stmt;
	if (p->statements == 1) {
		size_t alen = strlen(st->account);
		size_t keep = sizeof p->info->agreement - 1;
		snprintf(p->info->agreement, sizeof p->info->agreement, "%s",
		         st->account + (alen > keep ? alen - keep : 0));
		p->info->bank = st->bank;
		p->info->generated = st->created != CDATE_NONE ? st->created : p->grp_created;
	}
	/* Opening balance + booked entries = closing balance: a statement that
	 * lost or gained entries on the way says so here. */
	if (!st->has_open || !st->has_close || st->sum_mixed || strcmp(st->open_ccy, st->close_ccy) != 0 ||
	    (st->sum_ccy[0] && strcmp(st->sum_ccy, st->open_ccy) != 0))
		return;
	p->em.stats->balance_checks++;
	int64_t expected;
	if (__builtin_add_overflow(st->open, st->booked_sum, &expected) || expected == st->close)
		return;
	char o[40], s[40], c[40], d[40];
	money_format(st->open, o, sizeof o);
	money_format(st->booked_sum, s, sizeof s);
	money_format(st->close, c, sizeof c);
	money_format(st->close - expected, d, sizeof d);
	camt_notice(
	    &p->em, DIAG_WARNING, st->close_line, st->close_col, "Bal",
	    "closing balance %s %s is not the opening balance %s plus the booked entries %s (difference "
	    "%s): entries missing from this statement, or added?",
	    c, st->close_ccy, o, s, d);
	(void)f;
}

static void bal_ended(struct parser *p, int f)
{
	struct camt_stmt *st = &p->stmt;
	if (!p->bal_has_amt)
		return;
	int64_t v = p->bal_sign * p->bal_amt;
	if (p->bal_type == 'O' && !st->has_open) {
		st->has_open = 1;
		st->open = v;
		memcpy(st->open_ccy, p->bal_ccy, sizeof st->open_ccy);
	} else if (p->bal_type == 'C' && !st->has_close) {
		st->has_close = 1;
		st->close = v;
		memcpy(st->close_ccy, p->bal_ccy, sizeof st->close_ccy);
		st->close_line = p->stack[f].line;
		st->close_col = p->stack[f].col;
	}
}

static int direction(struct parser *p, int f, const char *s, size_t len)
{
	char v[8];
	camt_text_copy(v, sizeof v, s, len);
	if (strcmp(v, "CRDT") == 0)
		return 1;
	if (strcmp(v, "DBIT") == 0)
		return -1;
	fail_at(p, f, "expected CRDT or DBIT, found \"%s\"", v);
	return 0;
}

/* What the end of an element does with its text (s, len; "" for elements
 * whose text is not read). */
static void element_ended(struct parser *p, int f, const char *s, size_t len)
{
	struct camt_entry *e = &p->entry;
	struct camt_tx *tx = p->tx;
	struct camt_stmt *st = &p->stmt;
	const char *why;
	char tmp[CAMT_MAX_TEXT + 1];
	switch (p->stack[f].el) {
	case E_GRP_CREDTTM:
		read_date(p, f, &p->grp_created, 1, s, len);
		break;
	case E_STMT_CREDTTM:
		read_date(p, f, &st->created, 1, s, len);
		break;
	case E_ACCT_IBAN:
		camt_text_copy(st->account, sizeof st->account, s, len);
		break;
	case E_ACCT_OTHR_ID:
		if (st->account[0] == '\0')
			camt_text_copy(st->account, sizeof st->account, s, len);
		break;
	case E_ACCT_CCY:
		camt_text_copy(st->ccy, sizeof st->ccy, s, len);
		snprintf(tmp, sizeof tmp, "the account%s%.34s", st->account[0] ? " " : "", st->account);
		brl_only(p, f, tmp, st->ccy);
		break;
	case E_SVCR_MMBID:
		camt_text_copy(tmp, sizeof tmp, s, len);
		st->bank = ispb_bank_code(tmp, strlen(tmp));
		break;
	case E_BAL_CD:
		camt_text_copy(tmp, sizeof tmp, s, len);
		p->bal_type = strcmp(tmp, "OPBD") == 0 || strcmp(tmp, "PRCD") == 0 ? 'O'
		              : strcmp(tmp, "CLBD") == 0                           ? 'C'
		                                                                   : 0;
		break;
	case E_BAL_AMT:
		if (read_amount(p, f, s, len, &p->bal_amt) == 0 && brl_only(p, f, "a balance", p->ccy) == 0) {
			p->bal_has_amt = 1;
			memcpy(p->bal_ccy, p->ccy, sizeof p->bal_ccy);
		}
		break;
	case E_BAL_CDI:
		p->bal_sign = direction(p, f, s, len);
		break;
	case E_BAL:
		bal_ended(p, f);
		break;
	case E_NTRY_REF:
		read_id(p, f, e->ntry_ref, s, len);
		break;
	case E_NTRY_AMT:
		if (read_amount(p, f, s, len, &e->amt) != 0)
			break;
		if (!p->em.opt.any_currency && strcmp(p->ccy, "BRL") != 0) {
			char amount[40];
			money_format(e->amt, amount, sizeof amount);
			snprintf(tmp, sizeof tmp, "an entry of %s", amount);
			brl_only(p, f, tmp, p->ccy);
			break;
		}
		e->has_amt = 1;
		memcpy(e->ccy, p->ccy, sizeof e->ccy);
		break;
	case E_NTRY_CDI:
		e->cdi = direction(p, f, s, len);
		break;
	case E_NTRY_RVSL:
		e->rvsl = camt_bool_parse(s, len);
		if (e->rvsl < 0) {
			camt_text_copy(tmp, 48, s, len);
			fail_at(p, f, "expected true or false, found \"%s\"", tmp);
		}
		break;
	case E_NTRY_STS: /* v02-05: the code itself; v06+: Cd or Prtry inside */
	case E_NTRY_STS_CD:
		if (e->status[0] == '\0')
			camt_text_copy(e->status, sizeof e->status, s, len);
		break;
	case E_BOOKG_DT:
	case E_BOOKG_DTTM:
		read_date(p, f, &e->booked, p->stack[f].el == E_BOOKG_DTTM, s, len);
		break;
	case E_VALDT_DT:
	case E_VALDT_DTTM:
		read_date(p, f, &e->value, p->stack[f].el == E_VALDT_DTTM, s, len);
		break;
	case E_NTRY_SVCRREF:
		read_id(p, f, e->svcr_ref, s, len);
		break;
	case E_BK_DOMN_CD:
		camt_text_copy(e->domain, sizeof e->domain, s, len);
		break;
	case E_BK_FMLY_CD:
		camt_text_copy(e->family, sizeof e->family, s, len);
		break;
	case E_BK_SUBFMLY:
		camt_text_copy(e->subfamily, sizeof e->subfamily, s, len);
		break;
	case E_BK_PRTRY_CD:
		camt_text_copy(e->prtry_code, sizeof e->prtry_code, s, len);
		break;
	case E_NTRY: {
		e->line_end = p->ctxt->input->line;
		p->em.fallback_date = st->created != CDATE_NONE ? st->created : p->grp_created;
		long n = camt_entry_finish(&p->em, st, e);
		if (n < 0) {
			p->failed = 1;
			xmlStopParser(p->ctxt);
		} else if (n > 0) {
			p->entries_read++;
		}
		break;
	}
	case E_STMT:
		stmt_ended(p, f);
		break;
	default:
		break;
	}
	if (tx == NULL)
		return;
	switch (p->stack[f].el) {
	case E_TX:
		tx->line_end = p->ctxt->input->line;
		p->entry.ntx++;
		p->tx = NULL;
		break;
	case E_REF_E2E:
		read_id(p, f, tx->e2e, s, len);
		break;
	case E_REF_TXID:
		read_id(p, f, tx->txid, s, len);
		break;
	case E_REF_INSTR:
		read_id(p, f, tx->instr, s, len);
		break;
	case E_REF_SVCR:
		read_id(p, f, tx->svcr_ref, s, len);
		break;
	case E_REF_CLR:
		read_id(p, f, tx->clr_ref, s, len);
		break;
	case E_REF_PRTRY_REF:
		if (tx->prtry_ref[0] == '\0')
			read_id(p, f, tx->prtry_ref, s, len);
		break;
	case E_RMT_CRI_REF:
		if (tx->cdtr_ref[0] == '\0')
			read_id(p, f, tx->cdtr_ref, s, len);
		break;
	case E_TX_AMT:
		if (read_amount(p, f, s, len, &tx->amt) == 0)
			memcpy(tx->amt_ccy, p->ccy, sizeof tx->amt_ccy);
		break;
	case E_TX_TXAMT_AMT:
		if (read_amount(p, f, s, len, &tx->txamt) == 0)
			memcpy(tx->txamt_ccy, p->ccy, sizeof tx->txamt_ccy);
		break;
	case E_PARTY_NM:
		if (p->party && p->party->name[0] == '\0')
			camt_text_copy(p->party->name, sizeof p->party->name, s, len);
		break;
	case E_PARTY_OTHR_ID:
		if (p->party && camt_party_id(p->party, s, len, &why) != 0) {
			camt_text_copy(tmp, 48, s, len);
			warn_at(p, f,
			        "\"%s\" is not a valid CPF or CNPJ: %s; not used as the payer's document",
			        tmp, why ? why : "check digits do not match");
		}
		break;
	case E_DBTR:
	case E_CDTR:
		p->party = NULL;
		break;
	case E_RMT_USTRD: {
		size_t used = strlen(tx->ustrd);
		if (used + 2 < sizeof tx->ustrd) {
			if (used)
				tx->ustrd[used++] = ' ';
			camt_text_copy(tx->ustrd + used, sizeof tx->ustrd - used, s, len);
			if (used && tx->ustrd[used] == '\0')
				tx->ustrd[used - 1] = '\0';
		}
		break;
	}
	case E_RTR_RSN_CD:
		camt_text_copy(tx->rtr_reason, sizeof tx->rtr_reason, s, len);
		break;
	case E_TX_ACCPTNC:
		read_date(p, f, &tx->accepted, 1, s, len);
		break;
	default:
		break;
	}
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
	struct parser *p = ctx;
	(void)localname, (void)prefix, (void)uri;
	if (p->failed || p->depth == 0)
		return;
	int f = --p->depth;
	if (p->stack[f].el == E_SKIP || p->stack[f].rule == RULE_ROOT)
		return;
	const char *s = "";
	size_t len = 0;
	if (p->cap_frame == f) {
		p->cap_frame = -1;
		if (p->text_overflow) {
			fail_at(p, f, "text longer than %d bytes: refused", CAMT_MAX_TEXT);
			return;
		}
		p->text[p->text_len] = '\0';
		s = p->text;
		len = p->text_len;
	}
	element_ended(p, f, s, len);
}

static void on_internal_subset(void *ctx, const xmlChar *name, const xmlChar *external_id,
                               const xmlChar *system_id)
{
	struct parser *p = ctx;
	(void)name, (void)external_id, (void)system_id;
	if (p->failed)
		return;
	/* Never reached when the prolog check ran; kept so that a DOCTYPE
	 * cannot get through by another road. */
	diag_set(p->err, DIAG_ERROR, p->file, p->ctxt->input->line, 1, NULL,
	         "the document has a DOCTYPE declaration: refused (no DTD, no entities in a camt file)");
	stop(p);
}

/* Only the five predefined entities (&amp; &lt; &gt; &quot; &apos;). */
static xmlEntityPtr on_get_entity(void *ctx, const xmlChar *name)
{
	(void)ctx;
	return xmlGetPredefinedEntity(name);
}

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
	struct parser *p = ctx;
	if (p->failed || e == NULL || e->level < XML_ERR_ERROR)
		return;
	char msg[400];
	snprintf(msg, sizeof msg, "%s", e->message ? e->message : "malformed XML");
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	diag_set(p->err, DIAG_ERROR, p->file, e->line, e->int2 > 0 ? e->int2 : 1, NULL,
	         "not well-formed XML: %s", msg);
	p->failed = 1;
}

static int skip_to(const unsigned char *buf, size_t len, size_t *i, long *line, const char *end)
{
	size_t elen = strlen(end);
	for (; *i + elen <= len; (*i)++) {
		if (memcmp(buf + *i, end, elen) == 0) {
			*i += elen;
			return 0;
		}
		*line += buf[*i] == '\n';
	}
	return -1;
}

/* The encoding named by the XML declaration decl[0..len): one that keeps
 * ASCII bytes ASCII, or the prolog check would not see what libxml2 reads
 * (a DOCTYPE in EBCDIC behind an ASCII declaration). ISO 20022 messages
 * are UTF-8. */
static int declared_encoding_check(const char *file, const unsigned char *decl, size_t len, struct diag *err)
{
	static const char *const ok[] = {"UTF-8",      "UTF8",   "US-ASCII",    "ASCII",        "ISO-8859-1",
	                                 "ISO_8859-1", "LATIN1", "ISO-8859-15", "WINDOWS-1252", "CP1252"};
	const unsigned char *p = decl, *end = decl + len;
	static const char key[] = "encoding";
	for (; p + sizeof key - 1 <= end; p++)
		if (memcmp(p, key, sizeof key - 1) == 0)
			break;
	if (p + sizeof key - 1 > end)
		return 0; /* no encoding: UTF-8 */
	p += sizeof key - 1;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '='))
		p++;
	if (p >= end || (*p != '"' && *p != '\''))
		return 0; /* malformed: libxml2 says so */
	unsigned char quote = *p++;
	const unsigned char *v = p;
	while (p < end && *p != quote)
		p++;
	size_t vlen = (size_t)(p - v);
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (strlen(ok[i]) == vlen && strncasecmp(ok[i], (const char *)v, vlen) == 0)
			return 0;
	return diag_set(err, DIAG_ERROR, file, 1, 1, NULL,
	                "declared encoding \"%.*s\": concilia reads camt files in UTF-8 (also ISO-8859-1 and "
	                "Windows-1252)",
	                (int)(vlen > 40 ? 40 : vlen), (const char *)v);
}

/* Before libxml2 sees the bytes: encoding family and the prolog (XML
 * declaration, comments, processing instructions) up to the root element.
 * A DOCTYPE there is refused, whatever it declares. */
static int prolog_check(const char *file, const unsigned char *buf, size_t len, struct diag *err)
{
	size_t i = 0;
	long line = 1;
	if (len == 0)
		return diag_set(err, DIAG_ERROR, file, 0, 0, NULL, "empty file");
	if (len > CAMT_MAX_BYTES)
		return diag_set(
		    err, DIAG_ERROR, file, 0, 0, NULL,
		    "%zu bytes: larger than the %zu concilia reads in one camt file (split the statement)",
		    len, CAMT_MAX_BYTES);
	if ((len >= 2 && ((buf[0] == 0xFE && buf[1] == 0xFF) || (buf[0] == 0xFF && buf[1] == 0xFE))) ||
	    memchr(buf, 0, len < 4 ? len : 4) != NULL)
		return diag_set(
		    err, DIAG_ERROR, file, 1, 1, NULL,
		    "UTF-16 or UTF-32 text: concilia reads camt files in UTF-8 (or another ASCII-based "
		    "encoding)");
	if (len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF)
		i = 3;
	for (;;) {
		while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
			line += buf[i++] == '\n';
		if (i >= len)
			return 0; /* libxml2 says what is wrong */
		if (buf[i] != '<')
			return diag_set(
			    err, DIAG_ERROR, file, line, 1, NULL,
			    "does not start with '<': not an XML document in UTF-8 or another ASCII-based "
			    "encoding");
		if (i + 1 >= len)
			return 0;
		if (buf[i + 1] == '?') {
			size_t start = i;
			if (skip_to(buf, len, &i, &line, "?>") != 0)
				return 0;
			if (start == (len >= 3 && buf[0] == 0xEF ? 3u : 0u) &&
			    declared_encoding_check(file, buf + start, i - start, err) != 0)
				return -1;
		} else if (len - i >= 4 && memcmp(buf + i, "<!--", 4) == 0) {
			i += 4;
			if (skip_to(buf, len, &i, &line, "-->") != 0)
				return 0;
		} else if (buf[i + 1] == '!') {
			size_t bol = i;
			while (bol > 0 && buf[bol - 1] != '\n')
				bol--;
			int doctype = len - i >= 9 && strncasecmp((const char *)buf + i, "<!DOCTYPE", 9) == 0;
			return diag_set(
			    err, DIAG_ERROR, file, line, (int)(i - bol) + 1, NULL,
			    "%s before the root element: refused. A camt file has no DTD, and concilia does "
			    "not read DTDs (their entities could expand without bound or read local files)",
			    doctype ? "a DOCTYPE declaration" : "a markup declaration");
		} else {
			return 0; /* the root element */
		}
	}
}

int camt_sniff(const unsigned char *buf, size_t len)
{
	size_t i = 0;
	if (len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF)
		i = 3;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
		i++;
	if (i >= len || buf[i] != '<')
		return 0;
	/* The namespace is on the root element, after the prolog. */
	size_t window = len < 65536 ? len : 65536;
	size_t plen = sizeof camt_ns_prefix - 1;
	for (const unsigned char *q = buf + i; (q = memchr(q, 'u', window - (size_t)(q - buf))) != NULL; q++)
		if ((size_t)(buf + window - q) >= plen && memcmp(q, camt_ns_prefix, plen) == 0)
			return 1;
	return 0;
}

int camt_parse_with(const struct camt_options *opt, const char *filename, const unsigned char *buf,
                    size_t len, struct cnab_file_info *info, struct camt_stats *stats, cnab_event_fn on_event,
                    void *ctx, diag_sink warn, void *wctx, struct diag *err)
{
	struct cnab_file_info dummy_info;
	struct camt_stats dummy_stats;
	if (info == NULL)
		info = &dummy_info;
	if (stats == NULL)
		stats = &dummy_stats;
	if (filename == NULL)
		filename = "<input>";
	memset(info, 0, sizeof *info);
	memset(stats, 0, sizeof *stats);
	info->generated = CDATE_NONE;
	diag_clear(err);
	if (prolog_check(filename, buf, len, err) != 0)
		return -1;

	struct parser *p = calloc(1, sizeof *p);
	if (p == NULL)
		return diag_set(err, DIAG_ERROR, filename, 0, 0, NULL, "out of memory");
	p->file = filename;
	p->err = err;
	p->info = info;
	p->cap_frame = -1;
	p->grp_created = CDATE_NONE;
	p->em.file = filename;
	p->em.opt.any_currency = opt ? opt->any_currency : 0;
	p->em.stats = stats;
	p->em.on_event = on_event;
	p->em.ctx = ctx;
	p->em.warn = warn;
	p->em.wctx = wctx;
	p->em.err = err;
	for (size_t r = 0; r < NRULES; r++) {
		unsigned char parent = rules[r].parent;
		if (p->nchildren[parent] < MAX_CHILDREN)
			p->children[parent][p->nchildren[parent]++] = (unsigned char)r;
	}

	xmlSAXHandler sax;
	memset(&sax, 0, sizeof sax);
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_chars;
	sax.cdataBlock = on_chars;
	sax.ignorableWhitespace = on_chars;
	sax.internalSubset = on_internal_subset;
	sax.getEntity = on_get_entity;
	sax.serror = on_xml_error;
	p->ctxt = xmlCreatePushParserCtxt(&sax, p, NULL, 0, filename);
	if (p->ctxt == NULL) {
		free(p);
		return diag_set(err, DIAG_ERROR, filename, 0, 0, NULL, "out of memory (XML parser)");
	}
	/* No XML_PARSE_NOENT (entity substitution), DTDLOAD, DTDATTR, HUGE. */
	xmlCtxtUseOptions(p->ctxt, XML_PARSE_NONET);
	p->ctxt->replaceEntities = 0;
	p->ctxt->loadsubset = 0;
	p->ctxt->validate = 0;

	/* Windows of 256 KiB: the parser copies each into its own buffer and
	 * discards what it has read. */
	const size_t window = 256 * 1024;
	size_t off = 0;
	do {
		size_t n = len - off < window ? len - off : window;
		int last = off + n == len;
		xmlParseChunk(p->ctxt, (const char *)buf + off, (int)n, last);
		off += n;
	} while (off < len && !p->failed && !p->ctxt->disableSAX);

	int rc = 0;
	if (p->failed) {
		rc = -1;
	} else if (!p->ctxt->wellFormed) {
		rc = diag_set(err, DIAG_ERROR, filename, 0, 0, NULL, "not well-formed XML");
	} else if (p->msg == 0) {
		rc = diag_set(err, DIAG_ERROR, filename, 0, 0, NULL, "no XML element");
	} else if (p->statements == 0) {
		rc = diag_set(
		    err, DIAG_ERROR, filename, 0, 0, NULL,
		    "no %s in this camt.%03d: the file has a message header but no %s, so nothing to read",
		    p->msg == 53 ? "statement (Stmt)" : "notification (Ntfctn)", p->msg,
		    p->msg == 53 ? "statement" : "notification");
	}
	if (p->msg)
		info->layout_name = version_names[p->msg == 54][p->version - VERSION_MIN];
	info->lotes = p->statements;
	info->records = p->entries;
	info->titles = p->entries_read;
	stats->statements = p->statements;
	stats->entries = p->entries;
	xmlFreeParserCtxt(p->ctxt);
	free(p->txs);
	free(p);
	return rc;
}

int camt_parse(const char *filename, const unsigned char *buf, size_t len, struct cnab_file_info *info,
               cnab_event_fn on_event, void *ctx, diag_sink warn, void *wctx, struct diag *err)
{
	return camt_parse_with(NULL, filename, buf, len, info, NULL, on_event, ctx, warn, wctx, err);
}

const struct statement_reader camt_reader = {
    .family = "camt",
    .sniff = camt_sniff,
    .parse = camt_parse,
};
