/* The table-driven interop check shared by the CNAB 240 and CNAB 400
 * tests (see interop-table.h). */
#include "config.h"

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "core/fileio.h"
#include "core/money.h"
#include "interop-table.h"

#define MAX_ROWS 512
#define MAX_PATH 1024

struct row {
	char path[MAX_PATH];
	char result[16];
	char detail[512];
	char layout[64]; /* forced layout, "" = chosen from the header */
	int line;
	int seen;
};

static struct row rows[MAX_ROWS];
static int nrows;
static char interop_root[MAX_PATH];
static char table_path[MAX_PATH];

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static const char *find_table(const struct interop_table *table)
{
	const char *src = getenv("top_srcdir");
	if (src) {
		snprintf(table_path, sizeof table_path, "%s/%s", src, table->name);
		return table_path;
	}
	/* Run by hand: SHARED_INTEROP_DIR is "$(abs_top_srcdir)/../shared/interop". */
	static const char suffix[] = "/../shared/interop";
	size_t len = strlen(SHARED_INTEROP_DIR);
	if (len > strlen(suffix) && strcmp(SHARED_INTEROP_DIR + len - strlen(suffix), suffix) == 0)
		snprintf(table_path, sizeof table_path, "%.*s/%s", (int)(len - strlen(suffix)),
		         SHARED_INTEROP_DIR, table->name);
	else
		snprintf(table_path, sizeof table_path, "%s", table->name);
	return table_path;
}

static void load_table(const struct interop_table *table)
{
	const char *path = find_table(table);
	FILE *fp = fopen(path, "r");
	char line[2048];
	int lineno = 0;
	if (fp == NULL)
		fail_msg("cannot open %s", path);
	nrows = 0;
	while (fgets(line, sizeof line, fp)) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		char *f1 = line, *f2 = strchr(f1, '\t');
		if (f2 == NULL)
			fail_msg("%s:%d: expected PATH<TAB>RESULT<TAB>DETAIL[<TAB>NOTE]", path, lineno);
		*f2++ = '\0';
		char *f3 = strchr(f2, '\t');
		if (f3)
			*f3++ = '\0';
		char *f4 = f3 ? strchr(f3, '\t') : NULL;
		if (f4)
			*f4 = '\0';
		if (nrows == MAX_ROWS)
			fail_msg("%s: more than %d rows", path, MAX_ROWS);
		struct row *r = &rows[nrows++];
		memset(r, 0, sizeof *r);
		if (strlen(f1) >= sizeof r->path || strlen(f2) >= sizeof r->result ||
		    (f3 && strlen(f3) >= sizeof r->detail))
			fail_msg("%s:%d: a column is too long", path, lineno);
		memcpy(r->path, f1, strlen(f1) + 1);
		memcpy(r->result, f2, strlen(f2) + 1);
		if (f3 && strncmp(f3, "layout=", 7) == 0) {
			size_t n = strcspn(f3 + 7, " ");
			if (n == 0 || n >= sizeof r->layout)
				fail_msg("%s:%d: bad layout= token", path, lineno);
			memcpy(r->layout, f3 + 7, n);
			r->layout[n] = '\0';
			f3 += 7 + n;
			f3 += strspn(f3, " ");
		}
		if (f3)
			memcpy(r->detail, f3, strlen(f3) + 1);
		r->line = lineno;
		if (strcmp(r->result, "ok") != 0 && strcmp(r->result, "error") != 0)
			fail_msg("%s:%d: result must be ok or error, not '%s'", path, lineno, r->result);
	}
	fclose(fp);
}

static struct row *find_row(const char *rel)
{
	for (int i = 0; i < nrows; i++)
		if (strcmp(rows[i].path, rel) == 0)
			return &rows[i];
	return NULL;
}

struct outcome {
	long events;
	struct bank_event first;
	int warnings;
	char warn_text[4096];
};

static int count_event(void *ctx, const struct bank_event *ev, struct diag *d)
{
	struct outcome *o = ctx;
	(void)d;
	if (o->events++ == 0)
		o->first = *ev;
	return 0;
}

static void count_warning(void *ctx, const struct diag *d)
{
	struct outcome *o = ctx;
	char buf[1024];
	size_t used = strlen(o->warn_text);
	o->warnings++;
	snprintf(o->warn_text + used, sizeof o->warn_text - used, "%s\n", diag_format(d, buf, sizeof buf));
}

/* Checks `ok` details: "TITLES [nn=X] [paid=1.23] [kind=NAME] [warnings=N]". */
static int check_ok(const struct row *r, const struct outcome *o, char *why, size_t n)
{
	char detail[512];
	snprintf(detail, sizeof detail, "%s", r->detail);
	char *save = NULL;
	char *tok = strtok_r(detail, " ", &save);
	if (tok == NULL)
		return snprintf(why, n, "row has no title count"), -1;
	if (atol(tok) != o->events)
		return snprintf(why, n, "%ld titles, table says %s", o->events, tok), -1;
	while ((tok = strtok_r(NULL, " ", &save)) != NULL) {
		char *eq = strchr(tok, '=');
		if (eq == NULL)
			return snprintf(why, n, "bad check '%s'", tok), -1;
		*eq++ = '\0';
		char got[64];
		if (strcmp(tok, "nn") == 0)
			snprintf(got, sizeof got, "%s", o->first.nosso_numero);
		else if (strcmp(tok, "paid") == 0)
			money_format(o->first.paid_cents, got, sizeof got);
		else if (strcmp(tok, "kind") == 0)
			snprintf(got, sizeof got, "%s", event_kind_name(o->first.kind));
		else if (strcmp(tok, "warnings") == 0)
			snprintf(got, sizeof got, "%d", o->warnings);
		else
			return snprintf(why, n, "unknown check '%s'", tok), -1;
		if (strcmp(got, eq) != 0)
			return snprintf(why, n, "%s is %s, table says %s", tok, got, eq), -1;
	}
	return 0;
}

static int failures;

static void check_file(const struct interop_table *table, const char *abs, const char *rel)
{
	struct row *r = find_row(rel);
	if (r == NULL) {
		print_error("%s: not in %s: add a row (ok TITLES / error SUBSTRING)\n", rel, table_path);
		failures++;
		return;
	}
	r->seen = 1;

	struct file_bytes fb;
	struct diag err;
	struct cnab_file_info info;
	static struct outcome o;
	char msg[1280] = "";
	if (file_bytes_read(abs, &fb, &err) != 0)
		fail_msg("%s: %s", rel, diag_format(&err, msg, sizeof msg));
	memset(&o, 0, sizeof o);
	/* Layout chosen from the header's bank code, as `concilia import`
	 * does, unless the row forces one. */
	const struct layout *forced = NULL;
	if (r->layout[0]) {
		forced = layout_builtin(r->layout, &err);
		if (forced == NULL)
			fail_msg("%s:%d: %s", table_path, r->line, diag_format(&err, msg, sizeof msg));
	}
	int rc = table->parse(forced, rel, fb.data, fb.len, &info, count_event, &o, count_warning, &o, &err);
	file_bytes_release(&fb);
	if (rc != 0)
		diag_format(&err, msg, sizeof msg);

	char why[600] = "";
	if (strcmp(r->result, "ok") == 0) {
		if (rc != 0)
			snprintf(why, sizeof why, "failed: %s", msg);
		else
			check_ok(r, &o, why, sizeof why);
	} else if (rc == 0) {
		snprintf(why, sizeof why, "parsed (%ld titles) but should fail with \"%s\"", o.events,
		         r->detail);
	} else if (strstr(msg, r->detail) == NULL) {
		snprintf(why, sizeof why, "failed with \"%s\", table wants \"%s\"", msg, r->detail);
	}
	if (why[0]) {
		print_error("%s:%d: %s: %s\n", table_path, r->line, rel, why);
		if (o.warnings)
			print_error("warnings:\n%s", o.warn_text);
		failures++;
	} else {
		const char *shown = rc == 0 ? r->detail : strstr(msg, "error: ");
		print_message("%-72s %s %s\n", rel, r->result,
		              shown == r->detail || shown == NULL ? r->detail : shown + 7);
	}
}

static void walk(const struct interop_table *table, const char *abs, const char *rel)
{
	DIR *d = opendir(abs);
	struct dirent *e;
	if (d == NULL)
		return;
	char **names = NULL;
	size_t n = 0, cap = 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = realloc(names, cap * sizeof *names);
			assert_non_null(names);
		}
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	/* Sorted, so the report reads like the folder. */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char *t = names[j];
			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	for (size_t i = 0; i < n; i++) {
		char a[2 * MAX_PATH], r[2 * MAX_PATH];
		snprintf(a, sizeof a, "%s/%s", abs, names[i]);
		snprintf(r, sizeof r, "%s/%s", rel, names[i]);
		if (is_dir(a))
			walk(table, a, r);
		else
			check_file(table, a, r);
		free(names[i]);
	}
	free(names);
}

/* Sets interop_root, or skips the test when the folder is absent. */
static void find_root(void)
{
	const char *env = getenv("CONCILIA_INTEROP");
	snprintf(interop_root, sizeof interop_root, "%s/cnab", env && env[0] ? env : SHARED_INTEROP_DIR);
	if (!is_dir(interop_root)) {
		print_message("SKIP: %s not present (interop samples live outside the repository)\n",
		              interop_root);
		skip();
	}
}

struct each_ctx {
	interop_event_fn fn;
	void *ctx;
	const char *rel;
};

static int each_event(void *ctx, const struct bank_event *ev, struct diag *d)
{
	struct each_ctx *e = ctx;
	(void)d;
	e->fn(e->ctx, e->rel, ev);
	return 0;
}

void interop_table_each_event(const struct interop_table *table, interop_event_fn fn, void *ctx)
{
	find_root();
	load_table(table);
	for (int i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];
		if (strcmp(r->result, "ok") != 0)
			continue;
		char abs[2 * MAX_PATH], msg[1280];
		struct file_bytes fb;
		struct diag err;
		struct cnab_file_info info;
		snprintf(abs, sizeof abs, "%s/%s", interop_root, r->path);
		if (file_bytes_read(abs, &fb, &err) != 0)
			fail_msg("%s: %s", r->path, diag_format(&err, msg, sizeof msg));
		const struct layout *forced = NULL;
		if (r->layout[0] && (forced = layout_builtin(r->layout, &err)) == NULL)
			fail_msg("%s:%d: %s", table_path, r->line, diag_format(&err, msg, sizeof msg));
		struct each_ctx e = {fn, ctx, r->path};
		int rc = table->parse(forced, r->path, fb.data, fb.len, &info, each_event, &e, NULL, NULL, &err);
		file_bytes_release(&fb);
		if (rc != 0)
			fail_msg("%s: %s", r->path, diag_format(&err, msg, sizeof msg));
	}
}

void interop_table_check(const struct interop_table *table)
{
	find_root();
	load_table(table);
	failures = 0;
	for (size_t i = 0; table->covered[i] != NULL; i++) {
		char abs[MAX_PATH + 32];
		snprintf(abs, sizeof abs, "%s/%s", interop_root, table->covered[i]);
		walk(table, abs, table->covered[i]);
	}
	for (int i = 0; i < nrows; i++)
		if (!rows[i].seen) {
			print_error("%s:%d: %s: no such file under %s\n", table_path, rows[i].line,
			            rows[i].path, interop_root);
			failures++;
		}
	if (failures)
		fail_msg("%d interop file(s) disagree with %s", failures, table_path);
}
