/* Unit tests for the small core helpers: diag (message layout), text
 * (cp1252/UTF-8, ASCII transliteration), sha256 and fileio. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/diag.h"
#include "core/fileio.h"
#include "core/sha256.h"
#include "core/text.h"

static void test_diag_format(void **state)
{
	struct diag d;
	char buf[1280];

	(void)state;
	diag_clear(&d);
	assert_int_equal(d.severity, DIAG_ERROR);
	assert_string_equal(d.file, "");

	assert_int_equal(diag_set(&d, DIAG_ERROR, "ret.txt", 12, 83, "valor_pago", "not a number: '%s'",
				  "12a"),
			 -1);
	assert_string_equal(diag_format(&d, buf, sizeof(buf)),
			    "ret.txt:12:83: error: field 'valor_pago': not a number: '12a'");
	diag_set(&d, DIAG_WARNING, "r.csv", 7, 0, "amount", "ambiguous");
	assert_string_equal(diag_format(&d, buf, sizeof(buf)),
			    "r.csv:7: warning: column 'amount': ambiguous");
	diag_set(&d, DIAG_NOTE, "r.csv", 7, 0, NULL, "header here");
	assert_string_equal(diag_format(&d, buf, sizeof(buf)), "r.csv:7: note: header here");
	diag_set(&d, DIAG_ERROR, "x.ret", 0, 0, NULL, "empty file");
	assert_string_equal(diag_format(&d, buf, sizeof(buf)), "x.ret: error: empty file");
	diag_set(&d, DIAG_ERROR, "x.ret", 0, 0, "layout", "unknown");
	assert_string_equal(diag_format(&d, buf, sizeof(buf)), "x.ret: error: field 'layout': unknown");
	diag_set(&d, DIAG_ERROR, NULL, 3, 4, NULL, "no file");
	assert_string_equal(diag_format(&d, buf, sizeof(buf)), "error: no file");
	diag_set(&d, DIAG_ERROR, "", 0, 0, "cnpj", "bad");
	assert_string_equal(diag_format(&d, buf, sizeof(buf)), "error: field 'cnpj': bad");

	/* truncation: long inputs are cut, never overrun */
	char longname[2000];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	diag_set(&d, DIAG_ERROR, longname, 1, 1, longname, "%s", longname);
	assert_int_equal(strlen(d.file), sizeof(d.file) - 1);
	assert_int_equal(strlen(d.field), sizeof(d.field) - 1);
	assert_int_equal(strlen(d.msg), sizeof(d.msg) - 1);
	char small[10];
	assert_string_equal(diag_format(&d, small, sizeof(small)), "aaaaaaaaa");
}

struct sink_seen {
	int calls;
	struct diag last;
};

static void sink(void *ctx, const struct diag *d)
{
	struct sink_seen *s = ctx;
	s->calls++;
	s->last = *d;
}

static void test_diag_warn_print(void **state)
{
	struct sink_seen seen = {0};
	struct diag d;

	(void)state;
	diag_warn(sink, &seen, "a.ret", 2, 5, "data", "date in the future (%d days)", 3);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.last.severity, DIAG_WARNING);
	assert_string_equal(seen.last.msg, "date in the future (3 days)");
	diag_warn(NULL, NULL, "a.ret", 2, 5, "data", "nobody listens"); /* no crash */

	FILE *fp = tmpfile();
	assert_non_null(fp);
	diag_set(&d, DIAG_ERROR, "a.ret", 2, 5, "data", "bad");
	diag_print(fp, &d);
	rewind(fp);
	char line[200];
	assert_non_null(fgets(line, sizeof(line), fp));
	assert_string_equal(line, "a.ret:2:5: error: field 'data': bad\n");
	fclose(fp);
}

static void test_text_utf8(void **state)
{
	(void)state;
	assert_true(text_is_utf8((const unsigned char *)"", 0));
	assert_true(text_is_utf8((const unsigned char *)"abc", 3));
	assert_true(text_is_utf8((const unsigned char *)"Jo\xC3\xA3o", 5));
	assert_true(text_is_utf8((const unsigned char *)"\xE2\x82\xAC", 3));     /* € */
	assert_true(text_is_utf8((const unsigned char *)"\xF0\x9F\x98\x80", 4)); /* emoji */
	assert_false(text_is_utf8((const unsigned char *)"Jo\xE3o", 4));         /* Latin-1 ã */
	assert_false(text_is_utf8((const unsigned char *)"\xC3", 1));            /* cut */
	assert_false(text_is_utf8((const unsigned char *)"\xC0\xAF", 2));        /* overlong */
	assert_false(text_is_utf8((const unsigned char *)"\xE0\x80\xAF", 3));    /* overlong */
	assert_false(text_is_utf8((const unsigned char *)"\xED\xA0\x80", 3));    /* surrogate */
	assert_false(text_is_utf8((const unsigned char *)"\xF4\x90\x80\x80", 4)); /* > U+10FFFF */
	assert_false(text_is_utf8((const unsigned char *)"\x80", 1));
}

static void test_text_cp1252(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(text_cp1252_to_utf8((const unsigned char *)"Jo\xE3o", 4, out, sizeof(out)),
			 5);
	assert_string_equal(out, "Jo\xC3\xA3o");
	text_cp1252_to_utf8((const unsigned char *)"\x80\x93\x94\x9F\xA0\xFF", 6, out, sizeof(out));
	assert_string_equal(out, "\xE2\x82\xAC\xE2\x80\x9C\xE2\x80\x9D\xC5\xB8\xC2\xA0\xC3\xBF");
	/* undefined bytes become U+FFFD */
	static const unsigned char undef[] = {0x81, 0x8D, 0x8F, 0x90, 0x9D};
	for (size_t i = 0; i < sizeof(undef); i++) {
		text_cp1252_to_utf8(&undef[i], 1, out, sizeof(out));
		assert_string_equal(out, "\xEF\xBF\xBD");
	}
	/* the whole 0x80-0x9F block, undefined bytes left out */
	unsigned char block[27];
	size_t nb = 0;
	for (int b = 0x80; b <= 0x9F; b++)
		if (b != 0x81 && b != 0x8D && b != 0x8F && b != 0x90 && b != 0x9D)
			block[nb++] = (unsigned char)b;
	assert_int_equal(nb, sizeof(block));
	char wide[27 * 3 + 1];
	text_cp1252_to_utf8(block, nb, wide, sizeof(wide));
	assert_string_equal(wide, "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");
	/* 0xA0-0xFF are Latin-1: U+00A0-U+00FF */
	for (int b = 0xA0; b <= 0xFF; b++) {
		unsigned char in = (unsigned char)b;
		char expect2[3] = {(char)(0xC0 | (b >> 6)), (char)(0x80 | (b & 0x3F)), 0};
		text_cp1252_to_utf8(&in, 1, out, sizeof(out));
		assert_string_equal(out, expect2);
	}
	/* every byte converts to valid UTF-8 */
	unsigned char all[256];
	char big[256 * 3 + 1];
	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)(i ? i : ' ');
	size_t n = text_cp1252_to_utf8(all, 256, big, sizeof(big));
	assert_true(text_is_utf8((const unsigned char *)big, n));
	/* truncation at a character boundary: "ãã" needs 4 bytes + NUL */
	assert_int_equal(text_cp1252_to_utf8((const unsigned char *)"\xE3\xE3", 2, out, 4), 2);
	assert_string_equal(out, "\xC3\xA3");
	assert_int_equal(text_cp1252_to_utf8((const unsigned char *)"\xE3", 1, out, 2), 0);
	assert_string_equal(out, "");
}

static void test_text_trim(void **state)
{
	char out[32];

	(void)state;
	assert_int_equal(text_trim_to_utf8((const unsigned char *)"  JOS\xC9 \t", 8, out, sizeof(out)),
			 5);
	assert_string_equal(out, "JOS\xC3\x89");
	/* already UTF-8: copied, not converted twice */
	text_trim_to_utf8((const unsigned char *)" JOS\xC3\x89 ", 7, out, sizeof(out));
	assert_string_equal(out, "JOS\xC3\x89");
	text_trim_to_utf8((const unsigned char *)"    ", 4, out, sizeof(out));
	assert_string_equal(out, "");
	/* cut at a character boundary */
	text_trim_to_utf8((const unsigned char *)"a\xC3\x89", 3, out, 3);
	assert_string_equal(out, "a");

	const char *s = " \r\n\tabc d\t\r\n";
	size_t len = strlen(s);
	text_trim(&s, &len);
	assert_int_equal(len, 5);
	assert_memory_equal(s, "abc d", 5);
	s = " \t ";
	len = 3;
	text_trim(&s, &len);
	assert_int_equal(len, 0);

	assert_true(text_ieq("Pago", 4, "PAGO"));
	assert_true(text_ieq("pago!", 4, "PaGo"));
	assert_false(text_ieq("pag", 3, "pago"));
	assert_false(text_ieq("pagos", 5, "pago"));
	assert_true(text_ieq("", 0, ""));
}

static void test_text_to_ascii(void **state)
{
	char out[64];
	size_t dropped = 99;

	(void)state;
	/* precomposed accents, as typed */
	assert_int_equal(text_to_ascii("São Paulo", strlen("São Paulo"), out, sizeof(out), &dropped), 9);
	assert_string_equal(out, "Sao Paulo");
	assert_int_equal(dropped, 0);
	text_to_ascii("JOSÉ ÁVILA MACEIÓ Ç ÑÜ", strlen("JOSÉ ÁVILA MACEIÓ Ç ÑÜ"), out, sizeof(out), NULL);
	assert_string_equal(out, "JOSE AVILA MACEIO C NU");
	/* decomposed (NFD): letter + combining acute U+0301 / tilde U+0303 */
	text_to_ascii("Jose\xCC\x81 Sa\xCC\x83o", 12, out, sizeof(out), &dropped);
	assert_string_equal(out, "Jose Sao");
	assert_int_equal(dropped, 0);
	/* letters spelled out, ordinals, Latin Extended-A */
	text_to_ascii("Straße Æsir Œuvre 1ª Nº Łódź", strlen("Straße Æsir Œuvre 1ª Nº Łódź"), out, sizeof(out),
		      NULL);
	assert_string_equal(out, "Strasse AEsir OEuvre 1a No Lodz");
	/* blanks collapse and trim, typographic punctuation */
	text_to_ascii("  D\xE2\x80\x99\xC3\x81vila\t\n \xC2\xA0\xE2\x80\x93 \xE2\x80\x9CLtda\xE2\x80\x9D  ", 32, out,
		      sizeof(out), &dropped);
	assert_string_equal(out, "D'Avila - \"Ltda\"");
	assert_int_equal(dropped, 0);
	/* no ASCII form: left out and counted (emoji, euro sign, a control) */
	text_to_ascii("Caf\xC3\xA9 \xF0\x9F\x91\x80 \xE2\x82\xAC" "5\x01", 16, out, sizeof(out), &dropped);
	assert_string_equal(out, "Cafe 5");
	assert_int_equal(dropped, 3);
	/* not UTF-8: read as Windows-1252 */
	text_to_ascii("S\xE3o Jo\xE3o \x93x\x94", 13, out, sizeof(out), &dropped);
	assert_string_equal(out, "Sao Joao \"x\"");
	/* only blanks and symbols: empty */
	assert_int_equal(text_to_ascii(" \xE2\x98\x85 ", 5, out, sizeof(out), &dropped), 0);
	assert_string_equal(out, "");
	assert_int_equal(dropped, 1);
	/* the return says how long the whole result is; out keeps its start */
	assert_int_equal(text_to_ascii("Conceição", strlen("Conceição"), out, 5, NULL), 9);
	assert_string_equal(out, "Conc");
	assert_int_equal(text_to_ascii("Æ", 2, out, 2, NULL), 2);
	assert_string_equal(out, "A");
}

static void test_sha256(void **state)
{
	char hex[SHA256_HEX_LEN + 1];

	(void)state;
	assert_int_equal(sha256_hex("", 0, hex), 0);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_int_equal(sha256_hex(NULL, 0, hex), 0);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_int_equal(sha256_hex("abc", 3, hex), 0);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void write_file(const char *path, const char *content, size_t len)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(content, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static void test_fileio(void **state)
{
	char dir[] = "/tmp/concilia-test-XXXXXX";
	char path[64];
	struct file_bytes fb;
	struct diag d;

	(void)state;
	assert_non_null(mkdtemp(dir));

	snprintf(path, sizeof(path), "%s/a.ret", dir);
	write_file(path, "hello\n", 6);
	assert_int_equal(file_bytes_read(path, &fb, &d), 0);
	assert_int_equal(fb.len, 6);
	assert_memory_equal(fb.data, "hello\n", 6);
	file_bytes_release(&fb);
	assert_null(fb.data);

	write_file(path, "", 0);
	assert_int_equal(file_bytes_read(path, &fb, &d), 0);
	assert_int_equal(fb.len, 0);
	assert_non_null(fb.data);
	file_bytes_release(&fb);
	unlink(path);

	char buf[1280];
	snprintf(path, sizeof(path), "%s/missing.ret", dir);
	assert_int_equal(file_bytes_read(path, &fb, &d), -1);
	char expect[160];
	snprintf(expect, sizeof(expect), "%s: error: cannot open: No such file or directory", path);
	assert_string_equal(diag_format(&d, buf, sizeof(buf)), expect);
	assert_int_equal(file_bytes_read(dir, &fb, &d), -1);
	assert_non_null(strstr(d.msg, "Is a directory"));

	/* a pipe (not mappable) via /dev/stdin-like path: a FIFO */
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		FILE *fp = fopen(path, "wb");
		if (fp == NULL)
			_exit(1);
		for (int i = 0; i < 100000; i++)
			fputs("0123456789", fp);
		fclose(fp);
		_exit(0);
	}
	assert_int_equal(file_bytes_read(path, &fb, &d), 0);
	assert_int_equal(fb.len, 1000000);
	assert_memory_equal(fb.data + 999990, "0123456789", 10);
	file_bytes_release(&fb);
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(status, 0);
	unlink(path);
	rmdir(dir);

	/* "-" is standard input */
	int fds[2], saved = dup(STDIN_FILENO);
	assert_true(saved >= 0);
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "from stdin", 10), 10);
	close(fds[1]);
	assert_int_equal(dup2(fds[0], STDIN_FILENO), STDIN_FILENO);
	close(fds[0]);
	int rc = file_bytes_read("-", &fb, &d);
	dup2(saved, STDIN_FILENO);
	close(saved);
	assert_int_equal(rc, 0);
	assert_int_equal(fb.len, 10);
	assert_memory_equal(fb.data, "from stdin", 10);
	file_bytes_release(&fb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diag_format),
		cmocka_unit_test(test_diag_warn_print),
		cmocka_unit_test(test_text_utf8),
		cmocka_unit_test(test_text_cp1252),
		cmocka_unit_test(test_text_trim),
		cmocka_unit_test(test_text_to_ascii),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_fileio),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
