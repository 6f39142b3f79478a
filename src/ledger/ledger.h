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
/* A transaction whose rows reference only ids read inside it (a large
 * reconciliation run: events, receivables and the run itself), written
 * without SQLite's foreign-key lookups (six B-tree searches per payment,
 * a quarter of the writing). The references are still checked, in full,
 * by ledger_verify. Commit and rollback turn the checks back on. */
int ledger_begin_bulk(struct ledger *lg, struct diag *d);
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

/* ---- the drop-folder hook: files taken from an inbox, notices for a human */
/* Every commit of this connection reaches the disk before it returns
 * (PRAGMA synchronous=FULL): for a caller that acts on the file system
 * once a commit is done. */
int ledger_set_durable(struct ledger *lg, struct diag *d);

struct ledger_intake {
	int64_t id;
	char *inbox;       /* absolute path of the drop folder */
	char *name;        /* the file's name there */
	char sha256[65];
	int64_t size;
	char status[16];   /* "processed", "rejected", "held", "duplicate" */
	char *destination; /* absolute path it is filed under */
	int64_t import_id; /* 0 when none */
	char *diagnostics; /* NAME.error.txt of a rejected or held file; NULL when none */
};

/* Records where a file is being filed (filed_at NULL). Runs in the
 * caller's transaction when there is one (the import's), else on its own.
 * Strings are copied by SQLite; rec->id is not read. */
int ledger_intake_add(struct ledger *lg, const struct ledger_intake *rec, int64_t *id, struct diag *d);

/* Marks the move done (and journals it), in its own transaction; note
 * (may be NULL) says anything unusual ("finished after an interrupted
 * run"). */
int ledger_intake_filed(struct ledger *lg, int64_t id, const char *note, struct diag *d);

/* Whether an unfinished move (any drop folder) was promised destination. */
int ledger_intake_reserved(struct ledger *lg, const char *destination, bool *yes, struct diag *d);

/* The rows of inbox whose move was not marked done, oldest first, in a
 * malloc'ed array (free with ledger_intake_free). */
int ledger_intake_unfiled(struct ledger *lg, const char *inbox, struct ledger_intake **rows, size_t *n,
			  struct diag *d);
void ledger_intake_free(struct ledger_intake *rows, size_t n);

struct ledger_notice {
	int64_t id;
	char status[16]; /* "rejected", "held", "needs_human" */
	char *file;      /* where the file was filed; NULL for needs_human */
	char *detail;
	char created_at[32];
};

/* Records a notice for a human (in the caller's transaction if any). */
int ledger_notice_add(struct ledger *lg, const char *inbox, const char *status, const char *file,
		      const char *detail, struct diag *d);

/* The notices of inbox not yet handed to the attention command, oldest
 * first (free with ledger_notice_free). */
int ledger_notice_pending(struct ledger *lg, const char *inbox, struct ledger_notice **rows, size_t *n,
			  struct diag *d);
int ledger_notice_done(struct ledger *lg, int64_t id, struct diag *d);
void ledger_notice_free(struct ledger_notice *rows, size_t n);

/* Whether any event waits for a reconciliation run (the same events
 * ledger_pending_payments walks): a hook killed between its imports and
 * its reconciliation finds them on its next run. */
int ledger_has_unreconciled(struct ledger *lg, bool *yes, struct diag *d);

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
	bool needs_human;        /* goes to the exception queue */
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
	const char *rule_set;    /* version of the rules that decided (allocations) */
};

/* The bank-side state of a receivable: "" (none), "registration_rejected",
 * "written_off" or "protested" (latest event wins). out >= 32 bytes. */
int ledger_receivable_bank_state(struct ledger *lg, int64_t rowid, char *out, size_t n, struct diag *d);

/* Appends a bank-side state change caused by an event. */
int ledger_receivable_state_add(struct ledger *lg, int64_t rowid, const char *state, int64_t event_id,
				struct diag *d);

/* A second, read-only connection on the ledger's last committed state,
 * usable from another thread (ledger_reader.c). *out is NULL when the
 * ledger can't have one (not in WAL mode): read through the ledger then. */
struct ledger_reader;
int ledger_reader_open(struct ledger *lg, struct ledger_reader **out, struct diag *d);
void ledger_reader_close(struct ledger_reader *r);
/* Receivables with first_id <= id <= last_id, in id order, through the
 * ledger or a reader; fn as for ledger_receivables_scan (what the matcher
 * reads only). */
int ledger_receivables_scan_range(struct ledger *lg, int64_t first_id, int64_t last_id,
				  int (*fn)(void *ctx, const struct ledger_receivable *r), void *ctx, struct diag *d);
int ledger_reader_receivables(struct ledger_reader *r, int64_t first_id, int64_t last_id,
			      int (*fn)(void *ctx, const struct ledger_receivable *r), void *ctx, struct diag *d);

int ledger_run_start(struct ledger *lg, int64_t *run_id, struct diag *d);
/* Makes the run started above write its rows (outcomes, allocations,
 * candidates, bank states) from a second thread, and read its pending
 * events through a connection of its own, so that a large run keeps both
 * cores busy. Ids are handed out in advance, so callers see no
 * difference. Ended by ledger_run_finish or a rollback. */
int ledger_run_background(struct ledger *lg, struct diag *d);
/* Ends the run: its journal entry carries a digest of every outcome,
 * candidate and allocation row the run wrote (journal verify recomputes it). */
int ledger_run_finish(struct ledger *lg, int64_t run_id, long events, struct diag *d);
/* Records the outcome (and, when money is applied, its allocation with
 * the run and rule set); *outcome_id may be NULL. */
int ledger_outcome_add(struct ledger *lg, const struct ledger_outcome *o, int64_t *outcome_id, struct diag *d);

/* ---- matching (ledger_match.c) */

/* A receivable with what the matcher needs to know about it now. */
struct ledger_receivable_facts {
	struct ledger_receivable rec;
	int64_t allocated_cents; /* net of undone and reversed allocations */
	bool settled;            /* a settling allocation that nothing reversed */
	char bank_state[24];     /* "" or registration_rejected / written_off / protested */
};

/* Fills allocated_cents, settled and bank_state of f->rec. */
int ledger_receivable_facts(struct ledger *lg, struct ledger_receivable_facts *f, struct diag *d);
/* 1 found, 0 not, -1 error. */
int ledger_receivable_by_txid(struct ledger *lg, const char *txid, struct ledger_receivable *out,
			      struct diag *d);
int ledger_receivable_by_ext_id(struct ledger *lg, const char *ext_id, struct ledger_receivable *out,
				struct diag *d);
/* Receivables of a debtor that can still take money (ERP status open or
 * disputed), oldest due first; pattern may be masked with '*' (partial).
 * Writes up to max into out, returns how many exist in total (may be more
 * than max), -1 on error. */
int ledger_receivables_of_debtor(struct ledger *lg, const char *pattern, struct ledger_receivable *out, int max,
				 struct diag *d);

/* Streams every receivable (in id order), then what is applied to each
 * (net cents, settled) and each one's latest bank-side state: the
 * matcher's in-memory index for big runs. fn returning non-zero stops.
 * The scan fills what the matcher reads: the debtor's name, e-mail and
 * phone, the reference as written and the account come back empty. */
/* The highest receivable row id (0 when there is none): an upper bound
 * of the number of receivables, to size the matcher's arrays once. */
int ledger_receivable_max_rowid(struct ledger *lg, int64_t *max, struct diag *d);
int ledger_receivables_scan(struct ledger *lg, int (*fn)(void *ctx, const struct ledger_receivable *r), void *ctx,
			    struct diag *d);
int ledger_allocation_totals(struct ledger *lg,
			     int (*fn)(void *ctx, int64_t rowid, int64_t allocated_cents, bool settled), void *ctx,
			     struct diag *d);
int ledger_bank_states(struct ledger *lg, int (*fn)(void *ctx, int64_t rowid, const char *state), void *ctx,
		       struct diag *d);
/* How many events a run would reconcile now, counting no further than
 * limit (0: no limit): a caller that only compares with a threshold does
 * not pay for a full count over a large backlog. */
int ledger_pending_count(struct ledger *lg, long limit, long *count, struct diag *d);

/* The earliest money-in event with this endToEndId: 1 found (*event_id),
 * 0 not, -1 error. */
int ledger_credit_by_e2e(struct ledger *lg, const char *e2e, int64_t *event_id, struct diag *d);

struct ledger_allocation {
	int64_t id;
	int64_t event_id;
	int64_t receivable_id;
	int64_t cents;      /* negative for compensating rows */
	int64_t remaining;  /* cents minus what later rows reversed (positive rows) */
	int64_t reverses;   /* 0 = an original row */
	bool settles;
	char rule[64];
	char created_at[32];
};

/* 1 found, 0 not, -1 error. */
int ledger_allocation_get(struct ledger *lg, int64_t id, struct ledger_allocation *out, struct diag *d);
/* The event's original allocations that still hold money (remaining > 0),
 * newest first; returns the count written (<= max), -1 on error. */
int ledger_event_live_allocations(struct ledger *lg, int64_t event_id, struct ledger_allocation *out, int max,
				  struct diag *d);
/* Appends an allocation: a manual application, an undo or a reversal
 * (reverses != 0, cents < 0). run_id 0 = outside a run. */
int ledger_allocation_add(struct ledger *lg, int64_t event_id, int64_t receivable_id, int64_t cents,
			  const char *rule, bool settles, int64_t reverses, const char *reason, int64_t run_id,
			  int64_t *id, struct diag *d);
/* Money of an event not applied to any receivable: paid minus net allocations. */
int ledger_event_unapplied(struct ledger *lg, int64_t event_id, int64_t paid_cents, int64_t *unapplied,
			   struct diag *d);

/* A receivable an AMBIGUOUS or proposing outcome points at. */
int ledger_outcome_candidate_add(struct ledger *lg, int64_t outcome_id, int64_t receivable_id, const char *rule,
				 int64_t cents, struct diag *d);

/* ---- the exception queue (ledger_exceptions.c) */
struct ledger_exception {
	int64_t outcome_id;
	int64_t event_id;
	char category[32];
	char rule[64];
	char receivable_id[65];   /* ERP id, "" when none */
	char debtor_name[121];
	char payer_document[15];
	char payer_name[81];
	char nosso_numero[21];
	char end_to_end_id[36];
	char txid[36];
	char free_text[141];
	int64_t paid_cents, expected_cents, allocated_cents, excess_cents;
	int64_t unapplied_cents;  /* of the event, now */
	char payment_date[16];
	char filename[512];
	long line;
	char detail[300];
	char imported_at[32];
	bool undone;              /* an allocation of this event was undone */
	bool resolved;
	char resolution[200];     /* "action by actor at time: reason" of the latest */
	int candidates;
};

/* Calls fn for each open exception (all, with resolved ones too, when
 * all is true), oldest first. */
int ledger_exceptions(struct ledger *lg, bool all, int (*fn)(void *ctx, const struct ledger_exception *x),
		      void *ctx, struct diag *d);
/* 1 found, 0 no such outcome, -1 error. */
int ledger_exception_get(struct ledger *lg, int64_t outcome_id, struct ledger_exception *x, struct diag *d);

struct ledger_candidate {
	int64_t receivable_rowid;
	char receivable_id[65];
	char debtor_name[121];
	char rule[64];
	int64_t cents;
};
/* The candidates of an outcome; returns the count written (<= max). */
int ledger_outcome_candidates(struct ledger *lg, int64_t outcome_id, struct ledger_candidate *out, int max,
			      struct diag *d);
/* Appends a resolution (who: the ledger's actor, when: now) and journals it. */
int ledger_exception_resolve(struct ledger *lg, int64_t outcome_id, const char *action, const char *reason,
			     struct diag *d);

/* ---- audit (ledger_verify.c) */
struct ledger_verify_report {
	long journal_rows;
	long runs_checked;
	long imports_checked;
	long problems;
};
/* Recomputes the journal's hash chain, each run's row digest, each stored
 * file's SHA-256, checks every reference between rows and the append-only
 * triggers; every problem found goes
 * to report_fn as one sentence. Returns 0 when the checks could run (look
 * at r->problems), -1 on error. */
int ledger_verify(struct ledger *lg, struct ledger_verify_report *r, void (*report_fn)(void *ctx, const char *msg),
		  void *ctx, struct diag *d);

/* ---- reports */
/* A report's window over the ledger's own timestamps (UTC text,
 * "YYYY-MM-DDTHH:MM:SSZ", compared as text): the period holds what was
 * stamped at or after `from` and before `until`; the state "as of" the end
 * is everything stamped before `until`. NULL = unbounded (the beginning;
 * everything so far). Stamps: import.imported_at, run.started_at (the
 * outcomes of a run), allocation.created_at, exception_resolution.at,
 * receivable_version.at. */
struct ledger_window {
	const char *from;
	const char *until;
};

struct ledger_report_item {
	int64_t outcome_id;
	const char *category;
	const char *receivable_id;   /* ERP id, NULL when none */
	const char *debtor_name;     /* NULL when none; as of the window's end */
	const char *debtor_document;
	const char *nosso_numero;    /* raw, as the bank wrote it */
	int bank;
	int64_t paid_cents, expected_cents, allocated_cents, excess_cents;
	const char *payment_date;    /* ISO or NULL */
	const char *due_date;        /* receivable's, ISO or NULL; as of the window's end */
	const char *filename;
	long line;
	const char *rule;
	const char *detail;
	int64_t run_id;
	bool is_payment;             /* the event is money from a payer (not a tariff, a rejection...) */
	bool flagged;                /* the matcher sent it to a human (outcome.needs_human) */
	const char *decided_at;      /* the run's start */
	bool reversed;               /* a compensating allocation undid its allocation */
	/* The latest exception_resolution before the window's end (NULL: none). */
	const char *resolution_action, *resolution_reason, *resolution_actor, *resolution_at;
};

/* Calls fn for every outcome decided in the window, in event order.
 * Strings live until fn returns. */
int ledger_report_items(struct ledger *lg, const struct ledger_window *w,
			int (*fn)(void *ctx, const struct ledger_report_item *it), void *ctx, struct diag *d);

/* The ledger as of the window's end. */
struct ledger_totals {
	long receivables, receivables_open, receivables_settled, receivables_cancelled;
	long receivables_disputed, receivables_renegotiated;
	int64_t face_open_cents;   /* the open balance (balance_proof.h), = the proof's closing */
	long imports, events, payment_events, pending_events;
	long held_imports;
	int64_t tariff_cents; /* bank fees reported in the imported files */
};
int ledger_totals(struct ledger *lg, const struct ledger_window *w, struct ledger_totals *t, struct diag *d);

/* Events seen again at import (DUPLICATE_EVENT) in the window. */
int ledger_duplicate_events(struct ledger *lg, const struct ledger_window *w, long *count, struct diag *d);
/* Receivables that can take money, with nothing applied, due before `day`
 * (ISO date), as they stood at the window's end: fn(ctx, due, face) for
 * each (EXPECTED_NOT_RECEIVED once the caller applies the business-day
 * rule). */
int ledger_unpaid_due_before(struct ledger *lg, const struct ledger_window *w, const char *day,
			     int (*fn)(void *ctx, cdate due, int64_t face_cents), void *ctx, struct diag *d);

/* The open balance of all receivables (balance_proof.h) from the state
 * stamped before `until` (NULL: everything), computed directly. */
int ledger_open_balance(struct ledger *lg, const char *until, int64_t *cents, struct diag *d);

struct balance_proof;
/* The balance proof of the window: the lines by replaying every version
 * and allocation stamped before w->until, the ends by ledger_open_balance. */
int ledger_balance_proof(struct ledger *lg, const struct ledger_window *w, struct balance_proof *p,
			 struct diag *d);


/* ---- receivables by the ERP's id, and the ones past a date */

/* Finds the receivable whose ERP id is ext_id: 1 found, 0 not, -1 error. */
int ledger_receivable_by_id(struct ledger *lg, const char *ext_id, struct ledger_receivable *out,
			    struct diag *d);

/* Calls fn for every receivable the ERP still calls open (erp_status
 * open) whose due date is before `before`, in due-date then id order;
 * settled ones included (the gate says why they get no document). fn
 * returns 0 to go on, non-zero to stop (that value is returned). */
int ledger_receivables_due_before(struct ledger *lg, cdate before,
				  int (*fn)(void *ctx, const struct ledger_receivable *r), void *ctx,
				  struct diag *d);

/* ---- collection accounts (the beneficiary's bank accounts) */
#define LEDGER_ACCOUNT_MAX_OPTS 16

struct ledger_account {
	int64_t id;
	char label[33];     /* referenced by receivable.account */
	int bank;
	char agency[16];    /* as given, DV after a hyphen allowed ("1234-5") */
	char account[24];   /* "C-D" */
	char wallet[8];     /* carteira, "" when none */
	char agreement[24]; /* convênio / código do beneficiário, "" when none */
	int nopts;          /* the codec's per-bank options */
	struct {
		char key[48];
		char value[64];
	} opts[LEDGER_ACCOUNT_MAX_OPTS];
	bool nn_with_dv;    /* receivables' nosso número ends with its check digit */
	char name[121];     /* beneficiary: company name, document, address (CDC art. 42-A) */
	char document[24];  /* CNPJ (or CPF), normalized once checked */
	char address[201];
	char city[61];
	char uf[3];
	char cep[12];       /* 8 digits once checked, or "" */
	char pix_key[78];   /* as DICT stores it, "" when none */
	char created_at[32];
};

/* Adds an account (journaled). A label already in use is refused (-1,
 * field "label"). Must not run inside another transaction. */
int ledger_account_add(struct ledger *lg, const struct ledger_account *a, struct diag *d);

/* Calls fn for every account in label order. */
int ledger_account_list(struct ledger *lg, int (*fn)(void *ctx, const struct ledger_account *a), void *ctx,
			struct diag *d);

/* The account that collects for bank: the one labelled label when label
 * is not empty, else the bank's only account. Returns the number of
 * candidates (1: *out filled; 0: none; more: ambiguous, *out holds the
 * first), or -1 on error. A labelled account of another bank counts as
 * none. */
int ledger_account_for(struct ledger *lg, int bank, const char *label, struct ledger_account *out,
		       struct diag *d);

/* ---- what the charge gate needs to know (gate/ decides) */

/* One outcome that needed a human and has no exception_resolution row, of
 * an event that carried money, and that may concern a debtor. */
struct ledger_gate_exception {
	int64_t outcome_id;
	char category[40];
	int64_t paid_cents;
	cdate paid_on;              /* the event's occurrence (payment) date, else credit date */
	char payer_document[15];    /* as the event has it ("" when none) */
	bool payer_document_partial;/* '*' marks hidden characters */
	char receivable_debtor[15]; /* the outcome's receivable's debtor ("" when none) */
	char receivable_id[65];     /* the outcome's receivable's ERP id ("" when none) */
	char source[600];           /* "FILE:LINE" */
};

struct ledger_gate_query {
	int64_t receivable_rowid;
	int bank;
	const char *nosso_numero;   /* normalized */
	const char *pix_txid;       /* "" or NULL = none */
	const char *debtor_document;
	/* Outcome categories that never need a human, comma-separated
	 * ("MATCHED_EXACT,FEE_ONLY"): every other name is an exception,
	 * including categories this version does not know. */
	const char *settled_categories;
	/* Exceptions without the debtor's document or receivable qualify
	 * only as these categories and with a paid amount in this range. */
	const char *anonymous_categories; /* comma-separated */
	int64_t anonymous_min_cents, anonymous_max_cents;
	/* The collecting account: bank and convênio (digits compared without
	 * leading zeros; "" = any). */
	const char *agreement;
};

struct ledger_gate_rows {
	int64_t allocated_cents;
	bool settled;
	char bank_state[32];        /* ledger_receivable_bank_state */
	long pending_payments;      /* money events with the reference and no outcome */
	char pending_source[600];   /* the first one, "FILE:LINE" */
	bool has_import;            /* an imported (not held) file of the account with a date */
	cdate latest_import;        /* its generation date (the newest) */
	char latest_file[512];
	long held_imports;
	char held_file[512];        /* the first held one and why */
	char held_reason[200];
};

/* Reads everything above for one receivable; exceptions go to fn (which
 * returns 0 to go on). Read-only. */
int ledger_gate_read(struct ledger *lg, const struct ledger_gate_query *q, struct ledger_gate_rows *out,
		     int (*fn)(void *ctx, const struct ledger_gate_exception *e), void *ctx, struct diag *d);

#endif
