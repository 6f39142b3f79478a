/* Private to src/ledger/: the connection and helpers shared by its files. */
#ifndef CONCILIA_LEDGER_INTERNAL_H
#define CONCILIA_LEDGER_INTERNAL_H

#include <sqlite3.h>
#include "ledger/ledger.h"

/* Rows per multi-row INSERT of a large import or background run (at most
 * 39 values each: well within SQLite's 32 766 parameters). */
enum { LEDGER_ROWS_PER_INSERT = 64 };

/* The tables whose ids a background run hands out (ledger_take_id). */
enum ledger_id_table { ID_OUTCOME, ID_ALLOCATION, ID_CANDIDATE, ID_STATE, LEDGER_ID_TABLES };

struct ledger {
	sqlite3 *db;
	char path[512];
	char actor[64];
	/* Statements prepared once and reused: imports of a million events run
	 * through these without re-parsing SQL. */
	sqlite3_stmt *st_event_many[LEDGER_ROWS_PER_INSERT + 1]; /* by row count */
	sqlite3_stmt *st_outcome_many[LEDGER_ROWS_PER_INSERT + 1]; /* by row count */
	sqlite3_stmt *st_allocation_many[LEDGER_ROWS_PER_INSERT + 1];
	sqlite3_stmt *st_receivable_by_ref;
	sqlite3_stmt *st_receivable_allocated;
	sqlite3_stmt *st_journal_insert;
	sqlite3_stmt *st_journal_last;
	sqlite3_stmt *st_receivable_by_ext;
	sqlite3_stmt *st_receivable_insert;
	sqlite3_stmt *st_receivable_update;
	sqlite3_stmt *st_receivable_bank_state;
	sqlite3_stmt *st_receivable_by_txid;
	sqlite3_stmt *st_receivables_of_debtor;
	sqlite3_stmt *st_receivables_of_cpf_middle;
	sqlite3_stmt *st_receivables_of_like;
	sqlite3_stmt *st_credit_by_e2e;
	sqlite3_stmt *st_live_allocations;
	sqlite3_stmt *st_allocation_add;
	sqlite3_stmt *st_event_unapplied;
	sqlite3_stmt *st_candidate_add;
	sqlite3_stmt *st_event_by_hash; /* ledger_import.c: the identity behind a key */
	/* Per-file count of identical event identities (64-bit hash -> count):
	 * two identical lines in one file are two real events (a boleto paid
	 * twice the same day), the same line in another file is a re-send. */
	/* Start time of the current reconciliation run: its allocations carry
	 * it rather than formatting the clock once per event. */
	char run_at[32];
	/* The reconciled mark of the current run (schema 13): the highest
	 * event id when it started, how many events it was given, how many
	 * outcomes it wrote. */
	int64_t run_last_event, run_fed, run_outcomes;
	/* The current run's digest, computed while its rows are written
	 * (ledger_run_rows.c); NULL outside a run. */
	struct run_rows *run_rows;
	struct ledger_ordinal {
		uint64_t key; /* hash of the identity without its ordinal; 0 = empty */
		uint32_t count;
	} *ord_slots;
	size_t ord_cap, ord_len;
	struct ledger_writer *writer; /* ledger_writer.c; NULL until events are queued */
	/* A large reconciliation run writes its rows through the writer
	 * (ledger_run_background): ids are handed out here, so that the run
	 * knows them before the rows exist. 0 = let SQLite choose. */
	bool run_background;
	bool references_unchecked; /* foreign keys off for this transaction (ledger_begin_bulk) */
	int64_t next_id[LEDGER_ID_TABLES];
	int wal_frames;               /* WAL size after the last commit (wal hook) */
	bool legacy_keys;             /* CNAB events from before schema 11 are in the ledger */
	struct ledger_store_job *store_job; /* ledger_store.c: a copy in progress */
};

/* One bank event ready to be written: what the writer needs of the event
 * and what the ledger derived from it on the caller's thread (identity,
 * ordinal, hash, the dates as stored), packed: its texts lie one after
 * another, each with its length, so that the writer (on the other core)
 * reads a few cache lines per event, not the whole struct bank_event. */
enum ledger_event_text {
	EVT_AGREEMENT, EVT_NOSSO_NUMERO, EVT_NOSSO_NUMERO_RAW, EVT_SEU_NUMERO, EVT_COMPANY_REF,
	EVT_OCCURRENCE, EVT_OCCURRENCE_TEXT, EVT_REASONS, EVT_DUE, EVT_OCC, EVT_CRED, EVT_PAYER_DOCUMENT,
	EVT_PAYER_NAME, EVT_END_TO_END_ID, EVT_TXID, EVT_REFUND_ID, EVT_STATEMENT_REF, EVT_FREE_TEXT,
	EVT_COUNT
};
enum { LEDGER_IDENTITY_MAX = 220 };
struct ledger_queued_event {
	int64_t import_id;
	int64_t hash;        /* the identity key stored in event.identity_hash */
	int64_t legacy_hash; /* the plain hash (the key of events before schema 11) */
	uint32_t ordinal; /* 0: none (a bank-given identity) */
	bool derived;     /* the identity is rebuilt from the columns: stored as '' */
	bool weak_identity, payer_document_partial;
	enum event_kind kind;
	int bank;
	long line, line_end;
	int64_t face_cents, paid_cents, net_cents, tariff_cents, charges_cents, discount_cents, rebate_cents,
	    iof_cents, other_expenses_cents, other_credits_cents;
	uint16_t idlen;
	uint16_t off[EVT_COUNT], len[EVT_COUNT]; /* into text, each text NUL-terminated */
	char identity[LEDGER_IDENTITY_MAX];
	/* Room for every text of a struct bank_event at its longest. */
	char text[sizeof(((struct bank_event *)0)->agreement) + sizeof(((struct bank_event *)0)->nosso_numero) +
		  sizeof(((struct bank_event *)0)->nosso_numero_raw) + sizeof(((struct bank_event *)0)->seu_numero) +
		  sizeof(((struct bank_event *)0)->company_ref) + sizeof(((struct bank_event *)0)->occurrence) +
		  sizeof(((struct bank_event *)0)->occurrence_text) + sizeof(((struct bank_event *)0)->reasons) +
		  3 * 16 + sizeof(((struct bank_event *)0)->payer_document) +
		  sizeof(((struct bank_event *)0)->payer_name) + sizeof(((struct bank_event *)0)->end_to_end_id) +
		  sizeof(((struct bank_event *)0)->txid) + sizeof(((struct bank_event *)0)->refund_id) +
		  sizeof(((struct bank_event *)0)->statement_ref) + sizeof(((struct bank_event *)0)->free_text)];
};

/* The rows a reconciliation run writes, as the writer thread takes them.
 * Every id is given (ledger_take_id) or 0 (SQLite chooses; a direct write
 * then fills it in). Texts are copied: the caller's buffers do not live
 * until the writer gets to them. category points at a static name.
 * A queued row is added to the run's digest by a third thread once the
 * writer has written it (batches go caller -> writer -> digest, in order);
 * a row written directly, by the write function. */
enum { LEDGER_DETAIL_MAX = 1024 };
struct ledger_queued_outcome {
	int64_t id, allocation_id; /* allocation_id 0 with want_allocation: SQLite's */
	bool want_allocation;
	bool queued; /* written by the writer thread, then hashed into the run's digest by the digest thread */
	int64_t event_id, run_id, receivable_id;
	int64_t paid_cents, expected_cents, allocated_cents, excess_cents;
	bool settles, needs_human;
	const char *category;
	const char *rule, *rule_set, *detail; /* NULL or the *_buf below (queued) */
	char at[32];
	char rule_buf[48], rule_set_buf[32], detail_buf[LEDGER_DETAIL_MAX];
};
struct ledger_queued_candidate {
	int64_t id, outcome_id, receivable_id, cents;
	bool queued;
	char rule[48];
};
struct ledger_queued_state {
	int64_t id, receivable_id, event_id;
	bool queued;
	char state[32], at[32];
};

/* ledger_reconcile.c and ledger_match.c: write one queued row on whichever
 * thread holds the connection; a zero id is filled in from SQLite. */
/* n rows (1 .. LEDGER_ROWS_PER_INSERT) in one statement per table; ids
 * must be given when n > 1. */
int ledger_outcomes_write(struct ledger *lg, struct ledger_queued_outcome *const *q, int n, struct diag *d);
int ledger_candidate_write(struct ledger *lg, struct ledger_queued_candidate *q, struct diag *d);
int ledger_state_write(struct ledger *lg, struct ledger_queued_state *q, struct diag *d);
/* ledger_reconcile.c: the digest lines of an outcome and its allocation. */
void ledger_outcome_digest(struct ledger *lg, const struct ledger_queued_outcome *q);

/* ledger_reader.c: a read-only connection on the last committed state. */
struct ledger_reader {
	sqlite3 *db;
	char path[512];
};
/* Whether the ledger is in WAL mode (readers and the writer coexist). */
bool ledger_is_wal(struct ledger *lg);
/* Fills d with the reader's SQLite error and returns -1. */
int ledger_reader_error(struct ledger_reader *r, struct diag *d, const char *what);

/* The next id of a table while a background run hands them out, else 0. */
int64_t ledger_take_id(struct ledger *lg, enum ledger_id_table t);

/* One unit of the writer's work. */
enum ledger_job_kind { JOB_EVENT, JOB_OUTCOME, JOB_CANDIDATE, JOB_STATE };
struct ledger_job {
	enum ledger_job_kind kind;
	union {
		struct ledger_queued_event ev;
		struct ledger_queued_outcome outcome;
		struct ledger_queued_candidate candidate;
		struct ledger_queued_state state;
	} u;
};

/* ledger_writer.c: the caller's next free job (NULL: out of memory, d
 * filled), then ledger_job_push hands it to the writer (-1: an earlier job
 * failed, d filled). */
struct ledger_job *ledger_job_slot(struct ledger *lg, struct diag *d);
int ledger_job_push(struct ledger *lg, struct diag *d);

/* ledger_import.c: the two halves of ledger_event_add. prepare runs on
 * the caller's thread (it owns the ordinals); write on whichever thread
 * holds the connection. */
int ledger_event_prepare(struct ledger *lg, int64_t import_id, const struct bank_event *ev,
			 struct ledger_queued_event *q, struct diag *d);
int ledger_event_write(struct ledger *lg, const struct ledger_queued_event *q, bool *inserted, struct diag *d);
/* n events (1 .. LEDGER_ROWS_PER_INSERT) in one statement; inserted[i]
 * tells whether q[i] is new (else the ledger had it: a re-sent line). */
int ledger_events_write(struct ledger *lg, const struct ledger_queued_event *const *q, int n, bool *inserted,
			struct diag *d);

/* ledger.c: the cached INSERT of n rows (head, then row n times, comma
 * separated), reset and ready for binding; NULL on error (d filled). */
sqlite3_stmt **ledger_many_insert(struct ledger *lg, sqlite3_stmt **cache, const char *head, const char *row, int n,
				   struct diag *d);

/* ledger_writer.c. sync: waits until every queued event is written (the
 * connection is then this thread's); errors stay pending. pending: sync,
 * then whether a queued event failed (d filled). discard: drops what was
 * not written yet and any pending error (rollback). stop: ends the thread
 * (close). */
void ledger_writer_sync(struct ledger *lg);
/* The same, except on the writer thread itself (a no-op there): called by
 * ledger_prepare, so that no statement runs while the writer holds the
 * connection. */
void ledger_writer_claim(struct ledger *lg);
bool ledger_writer_pending(struct ledger *lg, struct diag *d);
void ledger_writer_discard(struct ledger *lg);
void ledger_writer_stop(struct ledger *lg);
/* ledger_store.c: waits for a background copy started by
 * ledger_import_keep_bytes_start and removes it (rollback, close). */
void ledger_store_cancel(struct ledger *lg);
int ledger_store_start(struct ledger *lg, const char *sha256, const struct file_bytes *fb, struct diag *d);

/* Starts a checkpoint on the writer thread and returns at once. */
int ledger_writer_checkpoint(struct ledger *lg, struct diag *d);

/* WAL frames after which a commit is followed by a checkpoint (SQLite's
 * automatic checkpoint uses the same threshold). */
#define LEDGER_CHECKPOINT_FRAMES 1000

/* The event kinds a reconciliation run gives an outcome to (payments and
 * what changes a receivable's state), as an SQL list: the pending query
 * and the report's "not reconciled" count must agree. */
/* The events a run reconciles with an id above the highest reconciled
 * mark (schema 13): where the search for events without an outcome starts. */
#define LEDGER_RECONCILED_MARK "(SELECT COALESCE(MAX(through_event), 0) FROM run)"
#define LEDGER_RECONCILED_KINDS                                                                     \
	"('liquidation', 'liquidation_after_writeoff', 'entry_rejected', 'writeoff', 'protest', 'tariff', " \
	"'unknown', 'credit', 'reversal')"

/* The schema, one migration per array entry (index = version - 1). */
extern const char *const ledger_migrations[];
extern const int ledger_migration_count;

/* Fills d with the SQLite error of the connection and returns -1. */
int ledger_sql_error(struct ledger *lg, struct diag *d, const char *what);

/* Prepares *st once (lazily) and resets it for reuse. */
int ledger_prepare(struct ledger *lg, sqlite3_stmt **st, const char *sql, struct diag *d);

/* Binds text, or NULL when s is NULL or empty. */
void ledger_bind_text_or_null(sqlite3_stmt *st, int idx, const char *s);
/* Binds a row id, or NULL for 0 (SQLite then chooses). */
void ledger_bind_id(sqlite3_stmt *st, int idx, int64_t id);
/* The highest id of table (0 when empty); what names the step in an error. */
int ledger_max_id(struct ledger *lg, const char *table, const char *what, int64_t *max, struct diag *d);
/* Binds an ISO date, or NULL for CDATE_NONE. */
void ledger_bind_date(sqlite3_stmt *st, int idx, cdate d);
/* Reads an ISO date column (NULL -> CDATE_NONE). */
cdate ledger_column_date(sqlite3_stmt *st, int col);
/* Copies a text column into buf (empty when NULL). */
void ledger_column_copy(sqlite3_stmt *st, int col, char *buf, size_t n);

/* ---- event identities (ledger_identity.c) */
/* The identity text of a CNAB event (reference/reconciliation.md §2.4),
 * from the values stored in its row (dates as ISO text, "" when absent);
 * returns its length. */
size_t ledger_identity_cnab(char *buf, size_t n, int bank, const char *agreement, const char *nosso_numero_raw,
			    const char *occurrence, const char *occurrence_iso, int64_t paid_cents,
			    const char *credit_iso);
/* Appends "#ordinal" to the identity of length len; returns the new length. */
size_t ledger_identity_add_ordinal(char *buf, size_t n, size_t len, uint32_t ordinal);
/* The 64-bit hash of an identity text. */
uint64_t ledger_identity_hash(const char *s, size_t len);
/* The key stored in event.identity_hash for a CNAB identity from schema 11
 * on: 24 bits from the nosso número (normalized), then the top 40 bits of
 * the identity's hash. */
int64_t ledger_identity_key(const char *nosso_numero, uint64_t hash);
/* Forgets the previous file's ordinals; _free releases the table. */
void ledger_ordinals_reset(struct ledger *lg);
void ledger_ordinals_free(struct ledger *lg);
/* Starts loading key's slot into the CPU cache, to be probed a little
 * later by ledger_ordinal_next (hides the miss behind other work). */
void ledger_ordinal_prefetch(const struct ledger *lg, uint64_t key);
/* 1-based count of the identity whose hash (without ordinal) is key within
 * the current file; 0 when out of memory. */
uint32_t ledger_ordinal_next(struct ledger *lg, uint64_t key);

/* Current UTC time as "YYYY-MM-DDTHH:MM:SSZ" ($CONCILIA_NOW overrides, for tests). */
void ledger_now(char *buf, size_t n);

/* A run's digest covers its outcome, candidate, allocation and bank-state
 * rows, each section in a canonical text form (ledger_verify.c). Its
 * journal entry says "rows sha256 by section HEX": the SHA-256 of the
 * text "o H1\nc H2\na H3\ns H4\n", Hn the SHA-256 of section n's text, so
 * that each section is hashed as its rows are written. Runs journaled
 * before say "rows sha256 HEX": one SHA-256 over the four sections' text,
 * one after the other (RUN_DIGEST_WHOLE); journal verify checks both. */
#define RUN_DIGEST_MARK "rows sha256 by section "
#define RUN_DIGEST_WHOLE_MARK "rows sha256 "
enum { RUN_SECTION_OUTCOME, RUN_SECTION_CANDIDATE, RUN_SECTION_ALLOCATION, RUN_SECTION_STATE, RUN_SECTIONS };
/* Finishes (frees) the four section contexts into the run digest; hex >=
 * 65 bytes. 0, or -1 when SHA-256 fails. */
struct sha256_ctx;
int ledger_run_digest_join(struct sha256_ctx *sec[RUN_SECTIONS], char *hex);
/* A run's digest (by section) read back from the tables. */
int ledger_run_digest(struct ledger *lg, int64_t run_id, char *hex, struct diag *d);
/* The run digest computed while writing (ledger_run_rows.c): begun by
 * ledger_run_start, fed by every row a run writes, read by
 * ledger_run_finish; ended (freed) by a rollback or close. */
struct ledger_run_allocation {
	int64_t event_id, receivable_id, cents, reverses;
	const char *rule, *reason, *actor, *created_at, *rule_set;
	bool settles;
};
void ledger_run_rows_begin(struct ledger *lg);
void ledger_run_rows_end(struct ledger *lg);
void ledger_run_rows_outcome(struct ledger *lg, int64_t id, const struct ledger_outcome *o);
void ledger_run_rows_candidate(struct ledger *lg, int64_t id, int64_t outcome_id, int64_t receivable_id,
			       const char *rule, int64_t cents);
void ledger_run_rows_allocation(struct ledger *lg, int64_t id, const struct ledger_run_allocation *a);
void ledger_run_rows_state(struct ledger *lg, int64_t id, int64_t receivable_id, const char *state, int64_t event_id);
int ledger_run_rows_digest(struct ledger *lg, int64_t run_id, char *hex, struct diag *d);
/* The same for one allocation row (allocations made outside a run). */
int ledger_allocation_digest(struct ledger *lg, int64_t id, char *hex, struct diag *d);

#endif
