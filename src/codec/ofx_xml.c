/* OFX 2.x: XML read by libxml2's streaming reader, hardened for files
 * that come from outside.
 *
 * An OFX 2 file has no DTD, so any DOCTYPE is refused before libxml2 sees
 * the file: internal entities can multiply into gigabytes ("billion
 * laughs") and external ones read local files or the network (XXE). The
 * parser itself also runs without network access (XML_PARSE_NONET),
 * without loading DTDs and without substituting entities (neither
 * XML_PARSE_DTDLOAD nor XML_PARSE_NOENT), and keeps libxml2's default
 * limits (no XML_PARSE_HUGE): a reference to an undeclared entity is a
 * well-formedness error, reported with its line. Memory stays flat: the
 * reader frees each node once passed. */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "codec/ofx_internal.h"

#define XML_MAX_BYTES (1024L * 1024 * 1024)
#define XML_VALUE_MAX 4096
#define XML_NAME_MAX  64

struct xml_state {
	struct ofx_builder *b;
	int failed; /* libxml2 reported an error */
	long err_line;
	int err_col;
	char err_msg[256];
	/* an element whose content is not known yet: a value or an aggregate */
	int pending;
	char name[XML_NAME_MAX + 1];
	size_t name_len;
	long line;
	char text[XML_VALUE_MAX + 1];
	size_t text_len;
};

#if LIBXML_VERSION >= 21200
static void on_error(void *arg, const xmlError *e)
#else
static void on_error(void *arg, xmlErrorPtr e)
#endif
{
	struct xml_state *x = arg;
	if (x->failed || !e || e->level < XML_ERR_ERROR)
		return;
	x->failed = 1;
	x->err_line = e->line;
	x->err_col = e->int2;
	snprintf(x->err_msg, sizeof x->err_msg, "%s", e->message ? e->message : "malformed XML");
	size_t n = strlen(x->err_msg);
	while (n && (x->err_msg[n - 1] == '\n' || x->err_msg[n - 1] == ' '))
		x->err_msg[--n] = '\0';
}

static int is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The prolog, before libxml2 runs: an XML declaration, the OFX processing
 * instruction (its VERSION names the layout), comments; a DOCTYPE or any
 * other declaration is refused here. */
static int read_prolog(const unsigned char *buf, size_t len, struct ofx_builder *b)
{
	size_t i = 0;
	long line = 1;
	int version = 0, saw_ofx_pi = 0;
	if (len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF)
		i = 3;
	for (;;) {
		while (i < len && is_blank(buf[i]))
			line += buf[i++] == '\n';
		if (i >= len)
			return diag_set(ofx_builder_err(b), DIAG_ERROR, ofx_builder_file(b), line, 0, NULL,
			                "XML without a root element");
		if (len - i >= 2 && buf[i] == '<' && buf[i + 1] == '?') {
			const unsigned char *end = NULL;
			for (size_t k = i + 2; k + 1 < len; k++)
				if (buf[k] == '?' && buf[k + 1] == '>') {
					end = buf + k;
					break;
				}
			if (!end)
				return diag_set(ofx_builder_err(b), DIAG_ERROR, ofx_builder_file(b), line, 0,
				                NULL, "processing instruction without its closing '?>'");
			size_t pl = (size_t)(end - (buf + i));
			if (pl >= 5 && memcmp(buf + i + 2, "OFX", 3) == 0 && is_blank(buf[i + 5])) {
				saw_ofx_pi = 1;
				for (size_t k = i; k + 9 < i + pl; k++) {
					if (memcmp(buf + k, "VERSION=", 8) == 0 &&
					    (buf[k + 8] == '"' || buf[k + 8] == '\'')) {
						/* At most 4 digits, and a later <?OFX?>
						 * replaces an earlier one's version rather
						 * than adding digits to it (found by fuzzing:
						 * many PIs overflowed an int). */
						int v = 0;
						for (size_t c = k + 9; c < i + pl && c < k + 13 &&
						                       buf[c] >= '0' && buf[c] <= '9';
						     c++)
							v = v * 10 + (buf[c] - '0');
						version = v;
						break;
					}
				}
			}
			for (size_t k = i; k < i + pl; k++)
				line += buf[k] == '\n';
			i += pl + 2;
			continue;
		}
		if (len - i >= 4 && memcmp(buf + i, "<!--", 4) == 0) {
			size_t k = i + 4;
			while (k + 2 < len && memcmp(buf + k, "-->", 3) != 0)
				line += buf[k++] == '\n';
			i = k + 3;
			continue;
		}
		if (len - i >= 2 && buf[i] == '<' && buf[i + 1] == '!')
			return diag_set(
			    ofx_builder_err(b), DIAG_ERROR, ofx_builder_file(b), line, 0, NULL,
			    "DOCTYPE or other declaration refused: OFX 2 files have none, and a DTD can "
			    "expand entities without bound (billion laughs) or read other files (XXE)");
		break;
	}
	if (!saw_ofx_pi)
		ofx_builder_warn(b, 1, 0, "no <?OFX OFXHEADER=\"200\" ...?> header: read as OFX 2.x XML");
	else if (version)
		ofx_builder_set_version(b, version, 1);
	else
		ofx_builder_warn(b, 1, 0, "no VERSION in the <?OFX ...?> header: read as OFX 2.x XML");
	return 0;
}

static int emit(struct xml_state *x, enum ofx_elem_kind kind, const char *name, size_t name_len,
                const char *value, size_t value_len, long line)
{
	struct ofx_elem e = {.kind = kind,
	                     .name = name,
	                     .name_len = name_len,
	                     .value = value,
	                     .value_len = value_len,
	                     .line = line,
	                     .vline = line,
	                     .vcol = 0};
	return ofx_builder_elem(x->b, &e);
}

/* The pending element turns out to be an aggregate: its text must have
 * been blank. */
static int flush_pending_open(struct xml_state *x)
{
	if (!x->pending)
		return 0;
	x->pending = 0;
	for (size_t i = 0; i < x->text_len; i++)
		if (!is_blank((unsigned char)x->text[i]))
			return diag_set(ofx_builder_err(x->b), DIAG_ERROR, ofx_builder_file(x->b), x->line, 0,
			                NULL, "<%s> holds both text and elements", x->name);
	return emit(x, OFX_OPEN, x->name, x->name_len, NULL, 0, x->line);
}

static long node_line(xmlTextReaderPtr r)
{
	xmlNodePtr n = xmlTextReaderCurrentNode(r);
	long line = n ? xmlGetLineNo(n) : -1;
	return line > 0 ? line : xmlTextReaderGetParserLineNumber(r);
}

static int step(struct xml_state *x, xmlTextReaderPtr r)
{
	int type = xmlTextReaderNodeType(r);
	switch (type) {
	case XML_READER_TYPE_ELEMENT: {
		if (flush_pending_open(x))
			return -1;
		const char *name = (const char *)xmlTextReaderConstLocalName(r);
		size_t nl = name ? strlen(name) : 0;
		long line = node_line(r);
		if (nl == 0 || nl > XML_NAME_MAX)
			return diag_set(ofx_builder_err(x->b), DIAG_ERROR, ofx_builder_file(x->b), line, 0,
			                NULL, "element name missing or longer than %d characters",
			                XML_NAME_MAX);
		if (xmlTextReaderDepth(r) == 0 && strcmp(name, "OFX") != 0)
			return diag_set(ofx_builder_err(x->b), DIAG_ERROR, ofx_builder_file(x->b), line, 0,
			                NULL, "the root element is <%s>, not <OFX>", name);
		if (xmlTextReaderIsEmptyElement(r))
			return emit(x, OFX_LEAF, name, nl, "", 0, line);
		x->pending = 1;
		memcpy(x->name, name, nl + 1);
		x->name_len = nl;
		x->line = line;
		x->text_len = 0;
		return 0;
	}
	case XML_READER_TYPE_TEXT:
	case XML_READER_TYPE_CDATA:
	case XML_READER_TYPE_WHITESPACE:
	case XML_READER_TYPE_SIGNIFICANT_WHITESPACE: {
		const char *v = (const char *)xmlTextReaderConstValue(r);
		size_t vl = v ? strlen(v) : 0;
		if (!x->pending) {
			for (size_t i = 0; i < vl; i++)
				if (!is_blank((unsigned char)v[i]))
					return diag_set(ofx_builder_err(x->b), DIAG_ERROR,
					                ofx_builder_file(x->b), node_line(r), 0, NULL,
					                "text outside any value element");
			return 0;
		}
		if (x->text_len + vl > XML_VALUE_MAX)
			return diag_set(ofx_builder_err(x->b), DIAG_ERROR, ofx_builder_file(x->b), x->line, 0,
			                NULL, "value of <%s> longer than %d bytes", x->name, XML_VALUE_MAX);
		memcpy(x->text + x->text_len, v, vl);
		x->text_len += vl;
		return 0;
	}
	case XML_READER_TYPE_END_ELEMENT: {
		if (x->pending) {
			x->pending = 0;
			const char *s = x->text;
			size_t n = x->text_len;
			while (n && is_blank((unsigned char)*s)) {
				s++;
				n--;
			}
			while (n && is_blank((unsigned char)s[n - 1]))
				n--;
			return emit(x, OFX_LEAF, x->name, x->name_len, s, n, x->line);
		}
		const char *name = (const char *)xmlTextReaderConstLocalName(r);
		return emit(x, OFX_CLOSE, name ? name : "", name ? strlen(name) : 0, NULL, 0, node_line(r));
	}
	case XML_READER_TYPE_DOCUMENT_TYPE:
	case XML_READER_TYPE_ENTITY_REFERENCE:
	case XML_READER_TYPE_ENTITY:
		return diag_set(ofx_builder_err(x->b), DIAG_ERROR, ofx_builder_file(x->b), node_line(r), 0,
		                NULL, "entities and DTDs are refused in OFX 2 files");
	default:
		return 0; /* comments, processing instructions */
	}
}

int ofx_xml_read(const unsigned char *buf, size_t len, struct ofx_builder *b)
{
	if (len > (size_t)XML_MAX_BYTES)
		return diag_set(ofx_builder_err(b), DIAG_ERROR, ofx_builder_file(b), 0, 0, NULL,
		                "OFX 2 file larger than 1 GiB: refused");
	if (read_prolog(buf, len, b))
		return -1;
	struct xml_state *x = calloc(1, sizeof *x);
	if (!x)
		return diag_set(ofx_builder_err(b), DIAG_ERROR, ofx_builder_file(b), 0, 0, NULL,
		                "out of memory");
	x->b = b;
	/* No XML_PARSE_NOENT, DTDLOAD, DTDATTR, DTDVALID, XINCLUDE or HUGE. */
	int options = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES | XML_PARSE_NOXINCNODE;
	xmlTextReaderPtr r = xmlReaderForMemory((const char *)buf, (int)len, NULL, NULL, options);
	if (!r) {
		free(x);
		return diag_set(ofx_builder_err(b), DIAG_ERROR, ofx_builder_file(b), 0, 0, NULL,
		                "cannot start the XML reader (out of memory?)");
	}
	xmlTextReaderSetStructuredErrorHandler(r, on_error, x);
	int rc = 0, got;
	while ((got = xmlTextReaderRead(r)) == 1) {
		if (x->failed)
			break;
		if (step(x, r)) {
			rc = -1;
			break;
		}
	}
	if (rc == 0 && (got < 0 || x->failed)) {
		if (x->failed)
			diag_set(ofx_builder_err(b), DIAG_ERROR, ofx_builder_file(b), x->err_line,
			         x->err_col > 0 ? x->err_col : 0, NULL, "malformed XML: %s", x->err_msg);
		else
			diag_set(ofx_builder_err(b), DIAG_ERROR, ofx_builder_file(b),
			         xmlTextReaderGetParserLineNumber(r), 0, NULL, "malformed XML");
		rc = -1;
	}
	xmlFreeTextReader(r);
	free(x);
	return rc;
}
