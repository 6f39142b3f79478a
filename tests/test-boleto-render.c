/* Tests for src/render (boleto second copy): the Interleaved 2 of 5
 * geometry against the digit table of reference/boleto.md §7, the checks
 * that refuse an inconsistent copy, and the printed page read back by
 * independent tools: the PDF rasterized by pdftoppm and decoded by zbarimg
 * (barcode = the exact 44 digits, QR = the exact Pix payload), skipped with
 * a message when those tools are absent. The PNG is also measured here
 * pixel by pixel: at 300 dpi a module is 3 px, so every bar and space must
 * be 3 or 9 px wide and the symbol 1215 px long (102.87 mm).
 * Set BOLETO_RENDER_KEEP=DIR to keep the files for a look. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo.h>
#include <cmocka.h>

#include "codec/boleto.h"
#include "codec/boleto_bank.h"
#include "core/date.h"
#include "core/diag.h"
#include "render/boleto_render.h"
#include "render/i2of5.h"

/* A dynamic (cobv) BR Code in the shape a bank returns; CRC computed apart. */
static const char PIX[] = "00020101021226860014br.gov.bcb.pix2564qrpix.exemplo.com.br/qr/v2/cobv/"
                          "9d36b84fc70b478fb95c12729b90ca255204000053039865802BR5919ACME INDUSTRIA "
                          "LTDA6009SAO PAULO62070503***63047E3B";

static char tmpdir[256];
static struct boleto_slip slip;
static char nn_printed[64];

static cdate iso(const char *s)
{
	cdate c;
	assert_int_equal(date_parse_iso(s, strlen(s), &c), 0);
	return c;
}

static int setup(void **state)
{
	(void)state;
	const char *keep = getenv("BOLETO_RENDER_KEEP");
	if (keep && keep[0]) {
		snprintf(tmpdir, sizeof tmpdir, "%s", keep);
		mkdir(tmpdir, 0777);
	} else {
		const char *t = getenv("TMPDIR");
		snprintf(tmpdir, sizeof tmpdir, "%s/boleto-render-XXXXXX", t && t[0] ? t : "/tmp");
		if (mkdtemp(tmpdir) == NULL)
			return -1;
	}

	/* the slip comes from the codec, as the CLI will get it */
	struct boleto_request rq = {
	    .bank = 341,
	    .agency = "0057",
	    .account = "12345",
	    .wallet = "109",
	    .nosso_numero = "12345678",
	    .due = iso("2026-03-10"),
	    .amount_cents = 123456,
	};
	struct diag d;
	if (boleto_encode(&rq, &slip, &d) != 0)
		return -1;
	snprintf(nn_printed, sizeof nn_printed, "%s-%s", slip.nosso_numero, slip.nosso_numero_dv);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	const char *keep = getenv("BOLETO_RENDER_KEEP");
	if (!(keep && keep[0])) {
		/* the directory is flat: files, then itself */
		DIR *dir = opendir(tmpdir);
		struct dirent *e;
		char path[600];
		if (dir == NULL)
			return -1;
		while ((e = readdir(dir)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(path, sizeof path, "%s/%s", tmpdir, e->d_name);
			unlink(path);
		}
		closedir(dir);
		if (rmdir(tmpdir) != 0)
			return -1;
	}
	boleto_render_release();
	return 0;
}

static void sample(struct boleto_copy *c)
{
	memset(c, 0, sizeof *c);
	c->bank = 341;
	c->barcode = slip.barcode;
	c->linha = slip.linha;
	c->beneficiary = (struct boleto_party){
	    .name = "ACME Indústria e Comércio de Peças Ltda",
	    .document = "11.222.333/0001-81",
	    .address = "Av. Paulista, 1000, 10º andar - Bela Vista",
	    .cep = "01310100",
	    .city = "São Paulo",
	    .uf = "SP",
	};
	c->agency_code = "0057 / 12345-7";
	c->payer = (struct boleto_party){
	    .name = "João da Silva Araújo",
	    .document = "12345678909",
	    .address = "Rua das Flores, 123, apto 45 - Centro",
	    .cep = "80010000",
	    .city = "Curitiba",
	    .uf = "PR",
	};
	c->nosso_numero = nn_printed;
	c->numero_documento = "NF 4521/1";
	c->carteira = "109";
	c->document_date = iso("2026-02-20");
	c->processing_date = iso("2026-02-20");
	c->due_date = iso("2026-03-10");
	c->amount_cents = 123456;
	c->mora_cents = 2963;
	c->charged_cents = 126419;
	c->charges_date = iso("2026-03-16");
	c->instructions[0] = "Após 10/03/2026, multa de R$ 24,69 (2%) e juros de R$ 0,41 por dia de atraso.";
	c->instructions[1] = "Até 05/03/2026, desconto de R$ 12,35.";
	c->instructions[2] = "Juros por dia corrido, total arredondado ao centavo (metade para cima).";
	c->instructions[3] = "Não receber após 60 dias do vencimento.";
	c->pix_payload = PIX;
}

static void path_of(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", tmpdir, name);
}

static long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* ---- Interleaved 2 of 5 ---- */

static void test_i2of5_elements(void **state)
{
	(void)state;
	unsigned char w[I2OF5_ELEMENTS(44)];

	/* "05": bars of 0 (nnwwn) interleaved with spaces of 5 (wnwnn) */
	assert_int_equal(i2of5_elements("05", 2, w, sizeof w), 4 + 10 + 3);
	const unsigned char want05[] = {1, 1, 1, 1, 1, 3, 1, 1, 3, 3, 3, 1, 1, 1, 3, 1, 1};
	assert_memory_equal(w, want05, sizeof want05);
	/* "38": 3 = wwnnn in the bars, 8 = wnnwn in the spaces */
	assert_int_equal(i2of5_elements("38", 2, w, sizeof w), 17);
	const unsigned char want38[] = {1, 1, 1, 1, 3, 3, 3, 1, 1, 1, 1, 3, 1, 1, 3, 1, 1};
	assert_memory_equal(w, want38, sizeof want38);

	/* the boleto: 405 modules, 103 mm at 0.254 mm */
	size_t ne = i2of5_elements(slip.barcode, 44, w, sizeof w);
	assert_int_equal(ne, 4 + 5 * 44 + 3);
	size_t sum = 0;
	for (size_t i = 0; i < ne; i++)
		sum += w[i];
	assert_int_equal(sum, 405);
	assert_int_equal(i2of5_modules(44), 405);

	/* never padded, never a non-digit, never past the buffer */
	assert_int_equal(i2of5_elements("123", 3, w, sizeof w), 0);
	assert_int_equal(i2of5_elements("1a", 2, w, sizeof w), 0);
	assert_int_equal(i2of5_elements("", 0, w, sizeof w), 0);
	assert_int_equal(i2of5_elements("12", 2, w, 16), 0);
}

/* ---- checks ---- */

static void test_bank_dv(void **state)
{
	(void)state;
	assert_int_equal(boleto_render_bank_dv(341), '7');
	assert_int_equal(boleto_render_bank_dv(1), '9');
	assert_int_equal(boleto_render_bank_dv(237), '2');
	assert_int_equal(boleto_render_bank_dv(104), '0');
	assert_int_equal(boleto_render_bank_dv(748), 'X');
	assert_int_equal(boleto_render_bank_dv(999), 0);
}

static void expect_refused(const struct boleto_copy *c, const char *field, const char *msg_part)
{
	struct diag d;
	assert_int_equal(boleto_render_check(c, &d), -1);
	if (strcmp(d.field, field) != 0 || (msg_part && strstr(d.msg, msg_part) == NULL))
		fail_msg("expected field '%s' (%s), got field '%s': %s", field, msg_part ? msg_part : "-",
		         d.field, d.msg);
}

static void test_check(void **state)
{
	(void)state;
	struct boleto_copy c;
	struct diag d;
	char bad[64];

	sample(&c);
	if (boleto_render_check(&c, &d) != 0)
		fail_msg("sample refused: %s: %s", d.field, d.msg);

	/* a barcode with one digit changed fails its DV */
	sample(&c);
	snprintf(bad, sizeof bad, "%s", slip.barcode);
	bad[30] = bad[30] == '9' ? '0' : (char)(bad[30] + 1);
	c.barcode = bad;
	expect_refused(&c, "barcode", "DV");
	/* a linha that is not the barcode's */
	sample(&c);
	snprintf(bad, sizeof bad, "%s", slip.linha);
	bad[12] = bad[12] == '9' ? '0' : (char)(bad[12] + 1);
	c.linha = bad;
	expect_refused(&c, "linha", "not the barcode's");
	sample(&c);
	c.linha = "3419";
	expect_refused(&c, "linha", "47 digits");
	/* value and due date must be the barcode's */
	sample(&c);
	c.amount_cents = 123455;
	c.charged_cents = 0;
	expect_refused(&c, "amount_cents", "barcode holds 123456");
	sample(&c);
	c.due_date = iso("2026-03-11");
	expect_refused(&c, "due_date", "fator");
	/* another bank's barcode */
	sample(&c);
	c.bank = 237;
	expect_refused(&c, "barcode", "bank 341");
	/* the boxes must add up */
	sample(&c);
	c.charged_cents += 1;
	expect_refused(&c, "charged_cents", NULL);
	sample(&c);
	c.mora_cents = -5;
	expect_refused(&c, "mora_cents", NULL);
	/* Lei 12.039/2009: beneficiary's name, document and address */
	sample(&c);
	c.beneficiary.document = NULL;
	expect_refused(&c, "beneficiary.document", "required");
	sample(&c);
	c.beneficiary.address = "";
	expect_refused(&c, "beneficiary.address", "required");
	sample(&c);
	c.payer.document = "123.456.789-00";
	expect_refused(&c, "payer.document", NULL);
	sample(&c);
	c.nosso_numero = NULL;
	expect_refused(&c, "nosso_numero", "required");
	/* text cairo could not show: broken UTF-8, control characters */
	sample(&c);
	c.payer.name = "Jo\xe3o";
	expect_refused(&c, "payer.name", "UTF-8");
	sample(&c);
	c.instructions[1] = "line\nbreak";
	expect_refused(&c, "instructions[1]", "UTF-8");
	sample(&c);
	c.beneficiary.city = "S\xc3";
	expect_refused(&c, "beneficiary.city", "UTF-8");
	sample(&c);
	c.payer.address = "\xc0\xaf"; /* overlong '/' */
	expect_refused(&c, "payer.address", "UTF-8");
	/* a date left at 0 (1970-01-01) instead of CDATE_NONE */
	sample(&c);
	c.charges_date = 0;
	expect_refused(&c, "charges_date", "CDATE_NONE");
	/* blank dates and boxes are fine */
	sample(&c);
	c.charges_date = c.document_date = CDATE_NONE;
	c.mora_cents = c.charged_cents = 0;
	c.pix_payload = NULL;
	if (boleto_render_check(&c, &d) != 0)
		fail_msg("%s: %s", d.field, d.msg);
	/* a bank whose printed DV we do not know must be told */
	sample(&c);
	c.bank_dv = '?';
	expect_refused(&c, "bank_dv", NULL);
	/* a payload too long for any QR */
	sample(&c);
	char *huge = malloc(4000);
	assert_non_null(huge);
	memset(huge, 'A', 3999);
	huge[3999] = '\0';
	c.pix_payload = huge;
	expect_refused(&c, "pix_payload", "at most 512");
	free(huge);
}

static void test_file_errors(void **state)
{
	(void)state;
	struct boleto_copy c[2];
	struct diag d;
	char path[400];

	sample(&c[0]);
	sample(&c[1]);
	path_of(path, sizeof path, "x.jpg");
	assert_int_equal(boleto_render_file(c, 1, path, 0, &d), -1);
	assert_non_null(strstr(d.msg, ".pdf"));
	assert_int_equal(boleto_render_format_of("a.PDF"), BOLETO_RENDER_PDF);
	assert_int_equal(boleto_render_format_of("a.svg"), BOLETO_RENDER_SVG);
	assert_int_equal(boleto_render_format_of(".png"), 0);
	/* a PNG holds one page */
	path_of(path, sizeof path, "two.png");
	assert_int_equal(boleto_render_file(c, 2, path, 0, &d), -1);
	assert_int_equal(file_size(path), -1);
	path_of(path, sizeof path, "dpi.png");
	assert_int_equal(boleto_render_file(c, 1, path, 20, &d), -1);
	assert_string_equal(d.field, "dpi");
	/* a bad second copy: refused before anything is written */
	c[1].payer.name = NULL;
	path_of(path, sizeof path, "bad.pdf");
	assert_int_equal(boleto_render_file(c, 2, path, 0, &d), -1);
	assert_non_null(strstr(d.msg, "copy 2"));
	assert_string_equal(d.field, "payer.name");
	assert_int_equal(file_size(path), -1);
	/* an unwritable place */
	assert_int_equal(boleto_render_file(c, 1, "/nonexistent-dir/x.pdf", 0, &d), -1);
	assert_string_equal(d.file, "/nonexistent-dir/x.pdf");
}

static int failing_sink(void *ctx, const unsigned char *bytes, size_t len)
{
	(void)bytes;
	(void)len;
	return ++*(int *)ctx > 1 ? -1 : 0;
}

static void test_sink_failure(void **state)
{
	(void)state;
	struct boleto_copy c;
	struct diag d;
	int calls = 0;

	sample(&c);
	assert_int_equal(boleto_render_stream(&c, 1, BOLETO_RENDER_PDF, 0, failing_sink, &calls, &d), -1);
	assert_non_null(strstr(d.msg, "write failed"));
}

/* ---- the printed page ---- */

static int have(const char *tool)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

/* Runs zbarimg on png; lines "SYMBOLOGY:data" into out. */
static void zbar(const char *png, char *out, size_t n)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "zbarimg -q -Si25.enable '%s' 2>&1", png);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t got = fread(out, 1, n - 1, p);
	out[got] = '\0';
	pclose(p);
}

static int has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = text; (p = strstr(p, line)) != NULL; p++)
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return 1;
	return 0;
}

static void test_pdf_scans(void **state)
{
	(void)state;
	struct boleto_copy c;
	struct diag d;
	char pdf[400], prefix[400], png[420], cmd[1000], out[4096], want[600];

	sample(&c);
	path_of(pdf, sizeof pdf, "second-copy.pdf");
	if (boleto_render_file(&c, 1, pdf, 0, &d) != 0)
		fail_msg("%s: %s", d.field, d.msg);
	assert_true(file_size(pdf) > 1000);

	if (!have("pdftoppm") || !have("zbarimg")) {
		print_message("pdftoppm or zbarimg not installed (poppler-utils, zbar-tools): "
		              "the scan of the printed PDF is skipped\n");
		skip();
	}
	path_of(prefix, sizeof prefix, "second-copy-300");
	snprintf(cmd, sizeof cmd, "pdftoppm -r 300 -png -singlefile '%s' '%s'", pdf, prefix);
	assert_int_equal(system(cmd), 0);
	snprintf(png, sizeof png, "%s.png", prefix);
	zbar(png, out, sizeof out);
	snprintf(want, sizeof want, "I2/5:%s", slip.barcode);
	if (!has_line(out, want))
		fail_msg("barcode not read back as %s; zbarimg said:\n%s", want, out);
	snprintf(want, sizeof want, "QR-Code:%s", PIX);
	if (!has_line(out, want))
		fail_msg("QR not read back as the Pix payload; zbarimg said:\n%s", out);

	/* without the Pix payload: the barcode alone, no QR on the page */
	c.pix_payload = NULL;
	path_of(pdf, sizeof pdf, "no-pix.pdf");
	assert_int_equal(boleto_render_file(&c, 1, pdf, 0, &d), 0);
	path_of(prefix, sizeof prefix, "no-pix-300");
	snprintf(cmd, sizeof cmd, "pdftoppm -r 300 -png -singlefile '%s' '%s'", pdf, prefix);
	assert_int_equal(system(cmd), 0);
	snprintf(png, sizeof png, "%s.png", prefix);
	zbar(png, out, sizeof out);
	snprintf(want, sizeof want, "I2/5:%s", slip.barcode);
	if (!has_line(out, want) || strstr(out, "QR-Code:") != NULL)
		fail_msg("expected the barcode only; zbarimg said:\n%s", out);
}

/* The PNG measured directly: find the barcode row, run-length it, compare
 * with the element widths x 3 px (300 dpi, module 0.254 mm = 3 px). */
static void test_png_geometry(void **state)
{
	(void)state;
	struct boleto_copy c;
	struct diag d;
	char path[400];
	unsigned char w[I2OF5_ELEMENTS(44)];

	sample(&c);
	path_of(path, sizeof path, "second-copy.png");
	if (boleto_render_file(&c, 1, path, 300, &d) != 0)
		fail_msg("%s: %s", d.field, d.msg);
	cairo_surface_t *s = cairo_image_surface_create_from_png(path);
	assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	int iw = cairo_image_surface_get_width(s), ih = cairo_image_surface_get_height(s);
	assert_int_equal(iw, 2480); /* A4 at 300 dpi */
	assert_int_equal(ih, 3508);
	const unsigned char *px = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	size_t ne = i2of5_elements(slip.barcode, 44, w, sizeof w);

	/* scan rows of the ficha's lower part for the run pattern */
	int found_rows = 0, first = -1;
	for (int y = ih * 3 / 4; y < ih; y++) {
		const uint32_t *row = (const uint32_t *)(const void *)(px + (size_t)y * (size_t)stride);
		int x = 0;
		while (x < iw && (row[x] & 0xff) > 127)
			x++;
		if (x >= iw)
			continue;
		int start = x;
		size_t k = 0;
		int ok = 1;
		while (k < ne && x < iw) {
			int dark = (row[x] & 0xff) <= 127, len = 0;
			while (x < iw && (((row[x] & 0xff) <= 127) == dark))
				x++, len++;
			if (dark != (k % 2 == 0) || len != 3 * w[k]) {
				ok = 0;
				break;
			}
			k++;
		}
		if (ok && k == ne) {
			assert_int_equal(x - start, 405 * 3);
			/* left quiet zone: >= 5 mm (59 px) inside the ficha (its edge at 10 mm) */
			assert_true(start >= (int)((10.0 + 5.0) / 25.4 * 300) - 1);
			if (first < 0)
				first = y;
			found_rows++;
		}
	}
	cairo_surface_destroy(s);
	/* 13 mm = 153.5 px */
	if (found_rows < 152 || found_rows > 155)
		fail_msg("barcode rows: %d (first at %d)", found_rows, first);
	/* centre at least 12 mm above the ficha's bottom (287 mm) */
	double centre_mm = (first + found_rows / 2.0) * 25.4 / 300;
	assert_true(287.0 - centre_mm >= 12.0);
}

static void test_svg_and_pages(void **state)
{
	(void)state;
	struct boleto_copy c[3];
	struct diag d;
	char path[400];

	for (int i = 0; i < 3; i++)
		sample(&c[i]);
	c[1].pix_payload = NULL;
	c[2].payer.name = "Maria Souza";
	path_of(path, sizeof path, "second-copy.svg");
	if (boleto_render_file(c, 1, path, 0, &d) != 0)
		fail_msg("%s: %s", d.field, d.msg);
	assert_true(file_size(path) > 1000);
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	char head[256] = "";
	size_t got = fread(head, 1, sizeof head - 1, fp);
	head[got] = '\0';
	fclose(fp);
	assert_non_null(strstr(head, "<svg"));

	/* many copies, one PDF page each */
	path_of(path, sizeof path, "three.pdf");
	assert_int_equal(boleto_render_file(c, 3, path, 0, &d), 0);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	long size = file_size(path);
	char *buf = malloc((size_t)size + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)size, fp), (size_t)size);
	buf[size] = '\0';
	fclose(fp);
	int pages = 0;
	for (char *p = buf; (p = memmem(p, (size_t)(buf + size - p), "/Type /Page", 11)) != NULL; p += 11)
		if (p[11] != 's')
			pages++;
	free(buf);
	assert_int_equal(pages, 3);
}

/* Same copy, same bytes: no clock in the output. */
struct membuf {
	unsigned char *p;
	size_t n, cap;
};

static int mem_sink(void *ctx, const unsigned char *bytes, size_t len)
{
	struct membuf *m = ctx;
	if (m->n + len > m->cap) {
		size_t cap = (m->n + len) * 2;
		unsigned char *np = realloc(m->p, cap);
		if (np == NULL)
			return -1;
		m->p = np;
		m->cap = cap;
	}
	memcpy(m->p + m->n, bytes, len);
	m->n += len;
	return 0;
}

static void test_reproducible(void **state)
{
	(void)state;
	struct boleto_copy c;
	struct diag d;
	struct membuf a = {0}, b = {0};

	sample(&c);
	assert_int_equal(boleto_render_stream(&c, 1, BOLETO_RENDER_PDF, 0, mem_sink, &a, &d), 0);
	assert_int_equal(boleto_render_stream(&c, 1, BOLETO_RENDER_PDF, 0, mem_sink, &b, &d), 0);
	assert_true(a.n > 1000);
	assert_int_equal(a.n, b.n);
	assert_memory_equal(a.p, b.p, a.n);
	assert_non_null(memmem(a.p, a.n, "%PDF-", 5));
	free(a.p);
	free(b.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_i2of5_elements), cmocka_unit_test(test_bank_dv),
	    cmocka_unit_test(test_check),          cmocka_unit_test(test_file_errors),
	    cmocka_unit_test(test_sink_failure),   cmocka_unit_test(test_pdf_scans),
	    cmocka_unit_test(test_png_geometry),   cmocka_unit_test(test_svg_and_pages),
	    cmocka_unit_test(test_reproducible),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
