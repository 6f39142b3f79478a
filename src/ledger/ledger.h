/* The ledger: the only module that speaks SQL (SQLite today; the interface
 * is shaped so that a PostgreSQL backend can sit behind it later).
 * Financial rows (events, outcomes, allocations, journal) are only ever
 * inserted; corrections are new rows. One transaction per imported file. */
#ifndef CONCILIA_LEDGER_H
#define CONCILIA_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "codec/bank_event.h"
#include "codec/receivables_csv.h"
#include "core/diag.h"
#include "core/fileio.h"

struct ledger;

/* The schema version (PRAGMA user_version): the number of migrations in
 * ledger_schema.c, which run in order on open. */
int ledger_schema_version(void);

/* Opens the ledger at path. With create, a missing file is created and the
 * schema installed (running it on an existing ledger is harmless); without,
 * a missing file is an error that tells the user to run `concilia init`.
 * *created tells whether the file was new (may be NULL). Close with
 * ledger_close. */
int ledger_open(const char *path, bool create, struct ledger **out, bool *created, struct diag *d);
void ledger_close(struct ledger *lg);

/* Who acts (journal, imports): $CONCILIA_ACTOR, else $USER, else "unknown".
 * The string is copied. */
void ledger_set_actor(struct ledger *lg, const char *actor);
const char *ledger_actor(const struct ledger *lg);

int ledger_begin(struct ledger *lg, struct diag *d);
int ledger_commit(struct ledger *lg, struct diag *d);
void ledger_rollback(struct ledger *lg);

/* Appends to the hash-chained journal (inside the caller's transaction). */
int ledger_journal(struct ledger *lg, const char *action, const char *subject, const char *detail,
		   struct diag *d);

/* ---- receivables */
enum ledger_change { LEDGER_UNCHANGED = 0, LEDGER_INSERTED, LEDGER_UPDATED };

/* Inserts or updates the receivable whose ERP id is row->id. An update
 * that changes nothing writes nothing. Refuses (-1, d set, field set) a
 * nosso número already used by another receivable of the same bank. */
int ledger_receivable_put(struct ledger *lg, const char *filename, const struct receivable_row *row,
			  enum ledger_change *change, struct diag *d);

struct ledger_receivable {
	int64_t rowid;
	struct receivable_row row;
};

/* Finds the receivable of bank + normalized nosso número: 1 found, 0 not, -1 error. */
int ledger_receivable_by_ref(struct ledger *lg, int bank, const char *nosso_numero,
			     struct ledger_receivable *out, struct diag *d);

/* Money already applied to a receivable and whether an outcome settled it. */
int ledger_receivable_allocated(struct ledger *lg, int64_t rowid, int64_t *allocated_cents,
				bool *settled, struct diag *d);

/* ---- imports */
struct ledger_import_info {
	int64_t id;
	char filename[512];
	char imported_at[32];
	char actor[64];
	char format[16];
	long events;
	bool held;             /* kept for a human, not imported */
	char hold_reason[200];
};

/* 1 when a file with this SHA-256 was imported before (info filled), 0 when
 * not, -1 on error. */
int ledger_import_lookup(struct ledger *lg, const char *sha256, struct ledger_import_info *info,
			 struct diag *d);

struct ledger_import_header {
	const char *format;   /* "cnab240" */
	const char *layout;   /* layout name */
	int bank;
	const char *agreement;
	long nsa;
	cdate generated;
	long records;
};

/* Records the file and returns its id. Its bytes are kept by
 * ledger_import_keep_bytes once the file is accepted.
 * Must run inside a transaction. The header may be filled in later by
 * ledger_import_finish, once the parser has read it. */
int ledger_import_add(struct ledger *lg, const char *sha256, const char *filename,
		      const unsigned char *bytes, size_t len, const struct ledger_import_header *h,
		      int64_t *import_id, struct diag *d);

/* Adds one bank event; *inserted = 0 when the same event identity was
 * already in the ledger (re-sent line: DUPLICATE_EVENT, counted, skipped). */
int ledger_event_add(struct ledger *lg, int64_t import_id, const struct bank_event *ev,
		     bool *inserted, struct diag *d);

/* The same, written by a second thread while the caller goes on (a large
 * file's parsing and its SQLite inserts then run on two cores). An error
 * (SQL, identity hash collision) is reported by a later ledger_event_queue
 * or by ledger_event_flush, which waits for every queued event and returns
 * the counts since the previous flush. Between the first queue and the
 * flush, call no other ledger function (commit and rollback wait; a
 * rollback drops what was queued). */
struct ledger_event_counts {
	long events;     /* new events */
	long payments;   /* of which payments */
	long duplicates; /* already in the ledger: skipped */
};
int ledger_event_queue(struct ledger *lg, int64_t import_id, const struct bank_event *ev, struct diag *d);
int ledger_event_flush(struct ledger *lg, struct ledger_event_counts *counts, struct diag *d);

/* Writes bytes to PATH.files/<first two hex>/<sha256> (temporary file,
 * fsync, rename; nothing to do when it is already there) and returns the
 * path relative to the ledger's folder in rel (>= 100 bytes). */
int ledger_store_file(struct ledger *lg, const char *sha256, const struct file_bytes *fb, char *rel, size_t n,
		      struct diag *d);

/* Starts copying the file's bytes to the store in a second thread while
 * the file is parsed (optional: it only saves time). fb must stay valid
 * until ledger_import_keep_bytes, ledger_rollback or ledger_close, which
 * finish the copy or throw it away. */
int ledger_import_keep_bytes_start(struct ledger *lg, const char *sha256, const struct file_bytes *fb,
				   struct diag *d);

/* Keeps the accepted file's bytes forever (ledger_store_file) and records
 * where; call inside the import's transaction, before the commit. */
int ledger_import_keep_bytes(struct ledger *lg, int64_t import_id, const char *sha256,
			     const struct file_bytes *fb, struct diag *d);

/* File sequence (NSA) per bank and convênio, among files already in the
 * ledger: *conflict = the import with this same NSA (0 when none), *max_nsa
 * = the highest NSA imported so far (0 when none). */
int ledger_import_sequence(struct ledger *lg, int bank, const char *agreement, long nsa, int64_t *conflict,
			   long *max_nsa, struct diag *d);

/* Marks an import as held for a human, with the reason. */
int ledger_import_hold(struct ledger *lg, int64_t import_id, const char *reason, struct diag *d);

/* The parsed header and final counts of the import. */
int ledger_import_finish(struct ledger *lg, int64_t import_id, const struct ledger_import_header *h,
			 long events, long duplicates, struct diag *d);

/* ---- reconciliation */
struct ledger_event {
	int64_t rowid;
	int64_t import_id;
	char filename[512];
	cdate generated;
	struct bank_event ev;
};

/* Calls fn for every event that needs reconciling (payments, rejections,
 * write-offs, protests, tariffs, unknown codes) and has no outcome yet, in
 * import and line order, in batches (the callback may write outcomes). fn
 * returns 0 to go on, non-zero to stop (that value is returned). */
int ledger_pending_payments(struct ledger *lg, int (*fn)(void *ctx, const struct ledger_event *e),
			    void *ctx, struct diag *d);

struct ledger_outcome {
	int64_t event_id;
	int64_t receivable_id;   /* 0 = none */
	const char *category;    /* "MATCHED_EXACT", ... */
	const char *rule;        /* "R1 nosso_numero", or NULL */
	int64_t paid_cents;
	int64_t expected_cents;  /* 0 when no receivable */
	int64_t allocated_cents; /* applied to the receivable (allocation row) */
	int64_t excess_cents;    /* payer credit (overpayment, duplicate) */
	bool settles;            /* the receivable is paid in full by this */
	const char *detail;      /* human explanation */
	int64_t run_id;
};

/* The bank-side state of a receivable: "" (none), "registration_rejected",
 * "written_off" or "protested" (latest event wins). out >= 32 bytes. */
int ledger_receivable_bank_state(struct ledger *lg, int64_t rowid, char *out, size_t n, struct diag *d);

/* Appends a bank-side state change caused by an event. */
int ledger_receivable_state_add(struct ledger *lg, int64_t rowid, const char *state, int64_t event_id,
				struct diag *d);

int ledger_run_start(struct ledger *lg, int64_t *run_id, struct diag *d);
int ledger_run_finish(struct ledger *lg, int64_t run_id, long events, struct diag *d);
int ledger_outcome_add(struct ledger *lg, const struct ledger_outcome *o, struct diag *d);

/* ---- reports */
struct ledger_report_item {
	const char *category;
	const char *receivable_id;   /* ERP id, NULL when none */
	const char *debtor_name;     /* NULL when none */
	const char *debtor_document;
	const char *nosso_numero;    /* raw, as the bank wrote it */
	int bank;
	int64_t paid_cents, expected_cents, allocated_cents, excess_cents;
	const char *payment_date;    /* ISO or NULL */
	const char *due_date;        /* receivable's, ISO or NULL */
	const char *filename;
	long line;
	const char *rule;
	const char *detail;
	int64_t run_id;
};

/* Calls fn for every outcome in event order. Strings live until fn returns. */
int ledger_report_items(struct ledger *lg, int (*fn)(void *ctx, const struct ledger_report_item *it),
			void *ctx, struct diag *d);

struct ledger_totals {
	long receivables, receivables_open, receivables_settled, receivables_cancelled;
	int64_t face_open_cents;   /* open receivables' face value minus what was applied */
	long imports, events, payment_events, pending_events;
	long held_imports;
	int64_t tariff_cents; /* bank fees reported in the imported files */
};
int ledger_totals(struct ledger *lg, struct ledger_totals *t, struct diag *d);

#endif
