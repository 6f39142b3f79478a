/* Private to src/ledger/: the connection and helpers shared by its files. */
#ifndef CONCILIA_LEDGER_INTERNAL_H
#define CONCILIA_LEDGER_INTERNAL_H

#include <sqlite3.h>
#include "ledger/ledger.h"

struct ledger {
	sqlite3 *db;
	char path[512];
	char actor[64];
	/* Statements prepared once and reused: imports of a million events run
	 * through these without re-parsing SQL. */
	sqlite3_stmt *st_event_insert;
	sqlite3_stmt *st_outcome_insert;
	sqlite3_stmt *st_allocation_insert;
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
	/* Per-file count of identical event identities (64-bit hash -> count):
	 * two identical lines in one file are two real events (a boleto paid
	 * twice the same day), the same line in another file is a re-send. */
	/* Start time of the current reconciliation run: its allocations carry
	 * it rather than formatting the clock once per event. */
	char run_at[32];
	/* The current run's digest, computed while its rows are written
	 * (ledger_run_rows.c); NULL outside a run. */
	struct run_rows *run_rows;
	uint64_t *ord_keys;
	uint32_t *ord_counts;
	size_t ord_cap, ord_len;
};

/* The event kinds a reconciliation run gives an outcome to (payments and
 * what changes a receivable's state), as an SQL list: the pending query
 * and the report's "not reconciled" count must agree. */
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
/* Binds an ISO date, or NULL for CDATE_NONE. */
void ledger_bind_date(sqlite3_stmt *st, int idx, cdate d);
/* Reads an ISO date column (NULL -> CDATE_NONE). */
cdate ledger_column_date(sqlite3_stmt *st, int col);
/* Copies a text column into buf (empty when NULL). */
void ledger_column_copy(sqlite3_stmt *st, int col, char *buf, size_t n);

/* Current UTC time as "YYYY-MM-DDTHH:MM:SSZ" ($CONCILIA_NOW overrides, for tests). */
void ledger_now(char *buf, size_t n);

/* SHA-256 over a run's outcome, candidate, allocation and state rows in a
 * canonical text form (ledger_verify.c); hex >= 65 bytes. */
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
