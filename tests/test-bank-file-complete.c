/* Unit tests for the completeness check the drop folder asks before taking
 * a file: every prefix of a real file must look cut short, except those
 * that already hold the whole trailer record. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codec/bank_file.h"

#define C(s) (const unsigned char *)(s), strlen(s)

/* Reads top_srcdir/rel into a malloc'ed buffer; skips the test when the
 * tree is not where make check says. */
static unsigned char *read_source(const char *rel, size_t *len)
{
	const char *top = getenv("top_srcdir");
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", top && *top ? top : ".", rel);
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		fprintf(stderr, "SKIP: %s not found (top_srcdir unset?)\n", path);
		skip();
	}
	unsigned char *buf = malloc(1 << 20);
	assert_non_null(buf);
	*len = fread(buf, 1, 1 << 20, fp);
	fclose(fp);
	return buf;
}

/* Offset just past the last record's characters (line break excluded). */
static size_t last_record_end(const unsigned char *buf, size_t len)
{
	while (len &&
	       (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' ' || buf[len - 1] == 0x1A))
		len--;
	return len;
}

/* Every prefix shorter than the whole trailer record is incomplete; the
 * prefix that ends with the trailer's line break, and the whole file, are
 * complete. */
static void check_prefixes(const char *rel)
{
	size_t len;
	unsigned char *buf = read_source(rel, &len);
	size_t trailer_end = last_record_end(buf, len);
	for (size_t n = 0; n < trailer_end; n++) {
		if (bank_file_complete(buf, n))
			fail_msg("%s: prefix of %zu of %zu bytes taken as complete", rel, n, len);
	}
	assert_true(bank_file_complete(buf, len));
	free(buf);
}

static void test_cnab240_prefixes(void **state)
{
	(void)state;
	check_prefixes("samples/retorno-bradesco-240.ret");
	check_prefixes("tests/fuzz/seeds-cnab240/tuy-two-lotes.ret");
}

static void test_cnab400_prefixes(void **state)
{
	(void)state;
	check_prefixes("tests/fuzz/seeds-cnab400/itau-lf.ret");
	check_prefixes("tests/fuzz/seeds-cnab400/good-crlf.ret");
	check_prefixes("tests/fuzz/seeds-cnab400/bom-noeol.ret");
}

static void test_cnab_edges(void **state)
{
	(void)state;
	char rec[241];
	char file[2000];
	assert_false(bank_file_complete(C("")));
	assert_false(bank_file_complete(C("\n\n   \n")));
	/* A header alone, then header + trailer, then trailing blank lines
	 * and a DOS end-of-file mark. */
	memset(rec, ' ', 240);
	rec[240] = '\0';
	memcpy(rec, "23700000", 8);
	snprintf(file, sizeof file, "%s\n", rec);
	assert_false(bank_file_complete(C(file)));
	size_t hl = strlen(file);
	memcpy(rec, "23799999", 8);
	snprintf(file + hl, sizeof file - hl, "%s\r\n\r\n  \n\x1a", rec);
	assert_true(bank_file_complete(C(file)));
	/* The trailer without a final line break: whole when full length. */
	snprintf(file + hl, sizeof file - hl, "%s", rec);
	assert_true(bank_file_complete(C(file)));
	file[hl + 100] = '\0';
	assert_false(bank_file_complete(C(file)));
	/* Trailing blanks of the trailer stripped, line break present. */
	snprintf(file + hl, sizeof file - hl, "23799999   x\n");
	assert_true(bank_file_complete(C(file)));
	/* A detail last: still arriving. */
	snprintf(file + hl, sizeof file - hl, "2370001300001T 06\n");
	assert_false(bank_file_complete(C(file)));
}

static void test_xml(void **state)
{
	(void)state;
	const char *doc =
	    "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- camt -->\n<!DOCTYPE x [<!ENTITY a \"b\">]>\n"
	    "<Document xmlns=\"urn:iso\"><BkToCstmrStmt><Stmt/></BkToCstmrStmt></Document>\n"
	    "<!-- trailing comment --><?pi x?>\n";
	size_t len = strlen(doc);
	size_t close = strstr(doc, "</Document>") - doc + strlen("</Document>");
	for (size_t n = 0; n < close; n++)
		if (bank_file_xml_complete((const unsigned char *)doc, n))
			fail_msg("XML prefix of %zu bytes taken as complete", n);
	assert_true(bank_file_xml_complete((const unsigned char *)doc, close));
	assert_true(bank_file_xml_complete((const unsigned char *)doc, len));
	assert_true(bank_file_xml_complete(C("<ns:Doc a='1'>x</ns:Doc >")));
	assert_false(bank_file_xml_complete(C("<ns:Doc a='1'>x</ns:Do")));
	assert_false(bank_file_xml_complete(C("<Doc>x</Other>")));
	assert_true(bank_file_xml_complete(C("<Doc a='1'/>\n")));
	assert_false(bank_file_xml_complete(C("<!-- only a comment -->")));
	/* Through the general entry: statements are judged by first byte
	 * until their reader brings its own check. */
	assert_false(bank_file_complete(C("<?xml version=\"1.0\"?><Document><Stmt>")));
	assert_true(bank_file_complete(C("<?xml version=\"1.0\"?><Document><Stmt/></Document>")));
}

static void test_json_and_ofx(void **state)
{
	(void)state;
	const char *doc = "{\"pix\": [{\"endToEndId\": \"E1\", \"x\": \"a}]\\\"b\"}, {\"v\": [1, 2]}]}\n";
	size_t close = strrchr(doc, '}') - doc + 1;
	for (size_t n = 0; n < close; n++)
		if (bank_file_json_complete((const unsigned char *)doc, n))
			fail_msg("JSON prefix of %zu bytes taken as complete", n);
	assert_true(bank_file_json_complete((const unsigned char *)doc, close));
	assert_true(bank_file_json_complete(C(doc)));
	assert_true(bank_file_complete(C("[]")));
	assert_false(bank_file_complete(C("  [")));
	assert_true(
	    bank_file_complete(C("OFXHEADER:100\nDATA:OFXSGML\n<OFX><BANKMSGSRSV1></BANKMSGSRSV1></ofx>\n")));
	assert_false(bank_file_complete(C("OFXHEADER:100\nDATA:OFXSGML\n<OFX><BANKMSGSRSV1>")));
	/* Nothing concilia knows: complete, so that the import says what it is. */
	assert_true(bank_file_complete(C("hello")));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cnab240_prefixes), cmocka_unit_test(test_cnab400_prefixes),
	    cmocka_unit_test(test_cnab_edges),       cmocka_unit_test(test_xml),
	    cmocka_unit_test(test_json_and_ofx),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
