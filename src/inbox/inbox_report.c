/* The run report of the drop-folder hook: JSON and HTML. No amount is
 * computed here: the reconciliation's own totals are shown as they are. */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "core/text.h"
#include "inbox/inbox_file.h"
#include "inbox/inbox_report.h"

void inbox_text_add(struct inbox_text *t, const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	size_t len = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
	if (t->len + len + 2 > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		while (cap < t->len + len + 2)
			cap *= 2;
		char *s = realloc(t->s, cap);
		if (!s)
			return; /* a report line lost to memory pressure, not a file */
		t->s = s;
		t->cap = cap;
	}
	memcpy(t->s + t->len, line, len);
	t->len += len;
	t->s[t->len++] = '\n';
	t->s[t->len] = '\0';
}

void inbox_text_free(struct inbox_text *t)
{
	free(t->s);
	memset(t, 0, sizeof *t);
}

struct inbox_file_record *inbox_run_add_file(struct inbox_run *run)
{
	if (run->nfiles == run->cap_files) {
		size_t cap = run->cap_files ? run->cap_files * 2 : 16;
		struct inbox_file_record *f = realloc(run->files, cap * sizeof *f);
		if (!f)
			return NULL;
		run->files = f;
		run->cap_files = cap;
	}
	struct inbox_file_record *r = &run->files[run->nfiles++];
	memset(r, 0, sizeof *r);
	r->bank = -1;
	return r;
}

struct inbox_notice_record *inbox_run_add_notice(struct inbox_run *run)
{
	if (run->nnotices == run->cap_notices) {
		size_t cap = run->cap_notices ? run->cap_notices * 2 : 8;
		struct inbox_notice_record *n = realloc(run->notices, cap * sizeof *n);
		if (!n)
			return NULL;
		run->notices = n;
		run->cap_notices = cap;
	}
	struct inbox_notice_record *r = &run->notices[run->nnotices++];
	memset(r, 0, sizeof *r);
	r->hook_status = -1;
	return r;
}

void inbox_run_clear(struct inbox_run *run)
{
	for (size_t i = 0; i < run->nfiles; i++) {
		inbox_text_free(&run->files[i].diagnostics);
		inbox_text_free(&run->files[i].events);
	}
	free(run->files);
	free(run->notices);
	run->files = NULL;
	run->notices = NULL;
	run->nfiles = run->cap_files = run->nnotices = run->cap_notices = 0;
	run->waiting = 0;
	run->reconciled = false;
	memset(&run->summary, 0, sizeof run->summary);
}

/* ---- JSON */

/* A JSON string from bytes that may not be UTF-8 (file names and
 * diagnostics quoting a bank file are often Windows-1252): read as
 * Windows-1252 then, as everywhere else in concilia. NULL gives null. */
static json_t *jstrn(const char *s, size_t n)
{
	if (!s)
		return json_null();
	if (text_is_utf8((const unsigned char *)s, n))
		return json_stringn(s, n);
	char *buf = malloc(n * 3 + 1);
	if (!buf)
		return json_null();
	size_t len = text_cp1252_to_utf8((const unsigned char *)s, n, buf, n * 3 + 1);
	json_t *j = json_stringn(buf, len);
	free(buf);
	return j ? j : json_null();
}

static json_t *jstr(const char *s)
{
	return jstrn(s, s ? strlen(s) : 0);
}

static json_t *lines_json(const struct inbox_text *t)
{
	json_t *a = json_array();
	const char *p = t->s;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		json_array_append_new(a, jstrn(p, n));
		p = nl ? nl + 1 : p + n;
	}
	return a;
}

/* Event lines are "AT what": objects {"at", "event"}. */
static json_t *events_json(const struct inbox_text *t)
{
	json_t *a = json_array();
	const char *p = t->s;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		const char *sp = memchr(p, ' ', n);
		size_t at = sp ? (size_t)(sp - p) : 0;
		json_array_append_new(a, json_pack("{s:o,s:o}", "at", jstrn(p, at), "event",
		                                   jstrn(sp ? sp + 1 : p, sp ? n - at - 1 : n)));
		p = nl ? nl + 1 : p + n;
	}
	return a;
}

static long count_status(const struct inbox_run *run, const char *status)
{
	long n = 0;
	for (size_t i = 0; i < run->nfiles; i++)
		n += strcmp(run->files[i].status, status) == 0;
	return n;
}

static json_t *run_json(const struct inbox_run *run)
{
	json_t *files = json_array();
	for (size_t i = 0; i < run->nfiles; i++) {
		const struct inbox_file_record *f = &run->files[i];
		json_t *o = json_pack("{s:o,s:s,s:I,s:s,s:o}", "name", jstr(f->name), "sha256", f->sha256,
		                      "size", (json_int_t)f->size, "status", f->status, "destination",
		                      jstr(f->destination[0] ? f->destination : NULL));
		json_object_set_new(o, "import_id", f->import_id ? json_integer(f->import_id) : json_null());
		if (f->format[0]) {
			json_object_set_new(o, "format", json_string(f->format));
			json_object_set_new(o, "bank", f->bank >= 0 ? json_integer(f->bank) : json_null());
			json_object_set_new(o, "nsa", f->nsa > 0 ? json_integer(f->nsa) : json_null());
			json_object_set_new(o, "titles", json_integer(f->titles));
			json_object_set_new(o, "new_events", json_integer(f->new_events));
			json_object_set_new(o, "known_events", json_integer(f->known_events));
			json_object_set_new(o, "payments", json_integer(f->payments));
		}
		json_object_set_new(o, "resumed", json_boolean(f->resumed));
		json_object_set_new(o, "diagnostics", lines_json(&f->diagnostics));
		json_object_set_new(o, "events", events_json(&f->events));
		json_array_append_new(files, o);
	}
	json_t *totals =
	    json_pack("{s:i,s:i,s:i,s:i,s:i,s:i}", "processed", (int)count_status(run, "processed"),
	              "rejected", (int)count_status(run, "rejected"), "held", (int)count_status(run, "held"),
	              "duplicate", (int)count_status(run, "duplicate"), "failed",
	              (int)count_status(run, "failed"), "waiting", (int)run->waiting);
	json_t *rec = json_null();
	if (run->reconciled) {
		json_t *outcomes = json_object();
		for (int i = 0; i < OUTCOME_COUNT; i++)
			if (run->summary.count[i])
				json_object_set_new(outcomes, outcome_name((enum outcome_category)i),
				                    json_pack("{s:I,s:I}", "count",
				                              (json_int_t)run->summary.count[i], "cents",
				                              (json_int_t)run->summary.cents[i]));
		rec = json_pack("{s:I,s:I,s:o}", "events", (json_int_t)run->summary.events, "needs_human",
		                (json_int_t)run->summary.needs_human, "outcomes", outcomes);
	}
	json_t *attention = json_array();
	for (size_t i = 0; i < run->nnotices; i++) {
		const struct inbox_notice_record *n = &run->notices[i];
		json_array_append_new(
		    attention, json_pack("{s:s,s:o,s:o,s:s,s:o}", "status", n->status, "file",
		                         jstr(n->file[0] ? n->file : NULL), "detail", jstr(n->detail),
		                         "created_at", n->created_at, "hook_exit_status",
		                         n->hook_status >= 0 ? json_integer(n->hook_status) : json_null()));
	}
	return json_pack("{s:s,s:i,s:s,s:s,s:s,s:o,s:o,s:o,s:i,s:i,s:o,s:o,s:o,s:o}", "report",
	                 "concilia-inbox", "version", 1, "mode", run->mode, "started", run->started,
	                 "finished", run->finished, "inbox", jstr(run->inbox), "archive", jstr(run->archive),
	                 "ledger", jstr(run->ledger), "settle_seconds", run->settle,
	                 "incomplete_timeout_seconds", run->incomplete_timeout, "totals", totals, "files",
	                 files, "reconcile", rec, "attention", attention);
}

/* ---- HTML */

static void html_escape(struct inbox_text *t, const char *s)
{
	char buf[1800], utf8[1800];
	size_t k = 0;
	/* File names and diagnostics quoting a bank file may be
	 * Windows-1252: the page is UTF-8. */
	if (s && !text_is_utf8((const unsigned char *)s, strlen(s))) {
		text_cp1252_to_utf8((const unsigned char *)s, strlen(s), utf8, sizeof utf8);
		s = utf8;
	}
	for (; s && *s && k + 8 < sizeof buf; s++) {
		const char *rep = *s == '<'   ? "&lt;"
		                  : *s == '>' ? "&gt;"
		                  : *s == '&' ? "&amp;"
		                  : *s == '"' ? "&quot;"
		                              : NULL;
		if (rep) {
			memcpy(buf + k, rep, strlen(rep));
			k += strlen(rep);
		} else {
			buf[k++] = *s;
		}
	}
	buf[k] = '\0';
	/* inbox_text_add ends each piece with a newline: harmless in HTML. */
	inbox_text_add(t, "%s", buf);
}

static void html_lines(struct inbox_text *t, const struct inbox_text *lines)
{
	const char *p = lines->s;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char line[1700];
		snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line - 1 ? n : sizeof line - 1), p);
		html_escape(t, line);
		p = nl ? nl + 1 : p + n;
	}
}

static void run_html(const struct inbox_run *run, struct inbox_text *t)
{
	inbox_text_add(t, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
	inbox_text_add(t, "<title>concilia drop folder: %s</title>", run->started);
	inbox_text_add(
	    t, "<style>body{font:14px/1.4 sans-serif;margin:2em;color:#222}"
	       "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;"
	       "text-align:left;vertical-align:top}th{background:#f3f3f3}pre{margin:0;font-size:12px;"
	       "white-space:pre-wrap}.processed,.duplicate{color:#176b2c}.rejected,.held,.failed,"
	       ".needs_human{color:#a31515;font-weight:bold}.num{text-align:right}</style></head><body>");
	inbox_text_add(t, "<h1>Drop folder run</h1><p>");
	html_escape(t, run->inbox);
	inbox_text_add(t, "<br>%s, from %s to %s; archive ", run->mode, run->started, run->finished);
	html_escape(t, run->archive);
	inbox_text_add(t,
	               "</p><p>%ld processed, %ld rejected, %ld held, %ld duplicate%s, %ld failed, %ld still "
	               "arriving.</p>",
	               count_status(run, "processed"), count_status(run, "rejected"),
	               count_status(run, "held"), count_status(run, "duplicate"),
	               count_status(run, "duplicate") == 1 ? "" : "s", count_status(run, "failed"),
	               run->waiting);
	if (run->nnotices) {
		inbox_text_add(t, "<h2>Needs a human</h2><ul>");
		for (size_t i = 0; i < run->nnotices; i++) {
			const struct inbox_notice_record *n = &run->notices[i];
			inbox_text_add(t, "<li><span class=\"%s\">%s</span> ", n->status, n->status);
			html_escape(t, n->file[0] ? n->file : "");
			inbox_text_add(t, ": ");
			html_escape(t, n->detail);
			inbox_text_add(t, "</li>");
		}
		inbox_text_add(t, "</ul>");
	}
	if (run->nfiles) {
		inbox_text_add(t, "<h2>Files</h2><table><tr><th>File</th><th>Status</th><th>Import</th>"
		                  "<th>Filed as</th><th>Diagnostics and events</th></tr>");
		for (size_t i = 0; i < run->nfiles; i++) {
			const struct inbox_file_record *f = &run->files[i];
			inbox_text_add(t, "<tr><td>");
			html_escape(t, f->name);
			inbox_text_add(t, "<br><small>sha256 %.16s&hellip;, %lld bytes</small></td>",
			               f->sha256, (long long)f->size);
			inbox_text_add(t, "<td class=\"%s\">%s%s</td><td>", f->status, f->status,
			               f->resumed ? " (finished after an interrupted run)" : "");
			if (f->import_id)
				inbox_text_add(t, "#%lld<br>", (long long)f->import_id);
			if (f->format[0])
				inbox_text_add(t, "%s, %ld title%s, %ld new event%s", f->format, f->titles,
				               f->titles == 1 ? "" : "s", f->new_events,
				               f->new_events == 1 ? "" : "s");
			inbox_text_add(t, "</td><td>");
			html_escape(t, f->destination);
			inbox_text_add(t, "</td><td><pre>");
			html_lines(t, &f->diagnostics);
			html_lines(t, &f->events);
			inbox_text_add(t, "</pre></td></tr>");
		}
		inbox_text_add(t, "</table>");
	}
	if (run->reconciled) {
		inbox_text_add(
		    t, "<h2>Reconciliation</h2><p>%ld new bank event%s reconciled; %ld need%s a human.</p>",
		    run->summary.events, run->summary.events == 1 ? "" : "s", run->summary.needs_human,
		    run->summary.needs_human == 1 ? "s" : "");
		inbox_text_add(t, "<table><tr><th>Outcome</th><th>Count</th><th>Amount</th></tr>");
		for (int i = 0; i < OUTCOME_COUNT; i++) {
			char amount[40];
			if (!run->summary.count[i])
				continue;
			money_format_brl(run->summary.cents[i], amount, sizeof amount);
			inbox_text_add(
			    t, "<tr><td>%s</td><td class=\"num\">%ld</td><td class=\"num\">%s</td></tr>",
			    outcome_name((enum outcome_category)i), run->summary.count[i], amount);
		}
		inbox_text_add(t, "</table>");
	}
	inbox_text_add(t, "</body></html>");
}

int inbox_report_write(const struct inbox_run *run, const char *dir, char *json, char *html, struct diag *d)
{
	/* "2026-11-24T11:00:00Z" -> "20261124T110000Z" */
	char stamp[32];
	size_t k = 0;
	for (const char *p = run->started; *p && k + 1 < sizeof stamp; p++)
		if (*p != '-' && *p != ':')
			stamp[k++] = *p;
	stamp[k] = '\0';

	json_t *doc = run_json(run);
	char *jtext = doc ? json_dumps(doc, JSON_INDENT(2)) : NULL;
	json_decref(doc);
	struct inbox_text htext = {0};
	run_html(run, &htext);
	if (!jtext || !htext.s) {
		free(jtext);
		inbox_text_free(&htext);
		return diag_set(d, DIAG_ERROR, dir, 0, 0, NULL, "out of memory writing the run report");
	}
	int rc = -1;
	for (int i = 1; i < 1000; i++) {
		if (i == 1) {
			snprintf(json, 4096, "%s/inbox-%s.json", dir, stamp);
			snprintf(html, 4096, "%s/inbox-%s.html", dir, stamp);
		} else {
			snprintf(json, 4096, "%s/inbox-%s-%d.json", dir, stamp, i);
			snprintf(html, 4096, "%s/inbox-%s-%d.html", dir, stamp, i);
		}
		size_t jlen = strlen(jtext);
		jtext[jlen] = '\0';
		int w = inbox_write_new(json, jtext, jlen, d);
		if (w < 0)
			break;
		if (w == 1)
			continue; /* a run of the same second: next name */
		w = inbox_write_new(html, htext.s, htext.len, d);
		rc = w < 0 ? -1 : 0;
		break;
	}
	free(jtext);
	inbox_text_free(&htext);
	return rc;
}
