/* The ledger schema as ordered migrations. A released migration is never
 * edited: a change is a new entry, applied on open to older ledgers. */
#include "config.h"
#include "ledger/ledger_internal.h"

const char *const ledger_migrations[] = {
	/* 1: the walking skeleton. Dates are ISO text (readable in the sqlite3
	 * shell, sortable); money is INTEGER centavos. */
	"CREATE TABLE receivable ("
	"  id INTEGER PRIMARY KEY,"
	"  ext_id TEXT NOT NULL UNIQUE,"
	"  debtor_document TEXT NOT NULL,"
	"  debtor_name TEXT NOT NULL,"
	"  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),"
	"  due_date TEXT NOT NULL,"
	"  bank INTEGER NOT NULL,"
	"  nosso_numero TEXT NOT NULL,"
	"  nosso_numero_raw TEXT NOT NULL,"
	"  pix_txid TEXT,"
	"  issue_date TEXT,"
	"  fine_e4 INTEGER NOT NULL DEFAULT 0,"
	"  interest_month_e4 INTEGER NOT NULL DEFAULT 0,"
	"  discount_cents INTEGER NOT NULL DEFAULT 0,"
	"  discount_until TEXT,"
	"  status TEXT NOT NULL CHECK (status IN ('open','cancelled')),"
	"  email TEXT, phone TEXT, state TEXT,"
	"  source TEXT NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL"
	");"
	"CREATE UNIQUE INDEX receivable_by_ref ON receivable(bank, nosso_numero);"
	"CREATE INDEX receivable_by_debtor ON receivable(debtor_document);"
	"CREATE TABLE import ("
	"  id INTEGER PRIMARY KEY,"
	"  sha256 TEXT NOT NULL UNIQUE,"
	"  filename TEXT NOT NULL,"
	"  format TEXT NOT NULL,"
	"  layout TEXT,"
	"  bank INTEGER,"
	"  agreement TEXT,"
	"  nsa INTEGER,"
	"  generated TEXT,"
	"  records INTEGER,"
	"  events INTEGER NOT NULL DEFAULT 0,"
	"  duplicate_events INTEGER NOT NULL DEFAULT 0,"
	"  size INTEGER NOT NULL,"
	"  content BLOB NOT NULL,"
	"  imported_at TEXT NOT NULL,"
	"  actor TEXT NOT NULL"
	");"
	"CREATE TABLE event ("
	"  id INTEGER PRIMARY KEY,"
	"  import_id INTEGER NOT NULL REFERENCES import(id),"
	/* The identity text is kept for people; uniqueness is enforced on its
	 * 64-bit hash, an index a fraction of the size (a collision is
	 * detected on insert and refused, never taken for a duplicate). */
	"  identity TEXT NOT NULL,"
	"  identity_hash INTEGER NOT NULL UNIQUE,"
	"  line INTEGER NOT NULL, line_end INTEGER NOT NULL,"
	"  bank INTEGER NOT NULL, agreement TEXT,"
	"  nosso_numero TEXT NOT NULL, nosso_numero_raw TEXT NOT NULL,"
	"  seu_numero TEXT, company_ref TEXT,"
	"  occurrence TEXT NOT NULL, kind TEXT NOT NULL, occurrence_text TEXT, reasons TEXT,"
	"  is_payment INTEGER NOT NULL,"
	"  due_date TEXT, occurrence_date TEXT, credit_date TEXT,"
	"  face_cents INTEGER NOT NULL, paid_cents INTEGER NOT NULL, net_cents INTEGER NOT NULL,"
	"  tariff_cents INTEGER NOT NULL, charges_cents INTEGER NOT NULL,"
	"  discount_cents INTEGER NOT NULL, rebate_cents INTEGER NOT NULL, iof_cents INTEGER NOT NULL,"
	"  other_expenses_cents INTEGER NOT NULL, other_credits_cents INTEGER NOT NULL,"
	"  payer_document TEXT, payer_name TEXT"
	");"
	"CREATE TABLE run ("
	"  id INTEGER PRIMARY KEY,"
	"  started_at TEXT NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  events INTEGER"
	");"
	"CREATE TABLE outcome ("
	"  id INTEGER PRIMARY KEY,"
	"  event_id INTEGER NOT NULL UNIQUE REFERENCES event(id),"
	"  run_id INTEGER NOT NULL REFERENCES run(id),"
	"  receivable_id INTEGER REFERENCES receivable(id),"
	"  category TEXT NOT NULL,"
	"  rule TEXT,"
	"  paid_cents INTEGER NOT NULL,"
	"  expected_cents INTEGER NOT NULL,"
	"  allocated_cents INTEGER NOT NULL,"
	"  excess_cents INTEGER NOT NULL,"
	"  settles INTEGER NOT NULL,"
	"  detail TEXT"
	");"
	"CREATE INDEX outcome_by_receivable ON outcome(receivable_id);"
	"CREATE TABLE allocation ("
	"  id INTEGER PRIMARY KEY,"
	"  event_id INTEGER NOT NULL REFERENCES event(id),"
	"  receivable_id INTEGER NOT NULL REFERENCES receivable(id),"
	"  cents INTEGER NOT NULL,"
	"  rule TEXT NOT NULL,"
	"  settles INTEGER NOT NULL,"
	"  reverses INTEGER REFERENCES allocation(id),"
	"  reason TEXT,"
	"  actor TEXT NOT NULL,"
	"  created_at TEXT NOT NULL"
	");"
	"CREATE INDEX allocation_by_receivable ON allocation(receivable_id);"
	"CREATE TABLE journal ("
	"  id INTEGER PRIMARY KEY,"
	"  at TEXT NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  subject TEXT,"
	"  detail TEXT,"
	"  prev_hash TEXT NOT NULL,"
	"  hash TEXT NOT NULL"
	");"
	/* Append-only, enforced by the database itself. */
	"CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;"
	"CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;"
	"CREATE TRIGGER allocation_no_update BEFORE UPDATE ON allocation BEGIN SELECT RAISE(ABORT, 'allocations are append-only'); END;"
	"CREATE TRIGGER allocation_no_delete BEFORE DELETE ON allocation BEGIN SELECT RAISE(ABORT, 'allocations are append-only'); END;"
	"CREATE TRIGGER outcome_no_update BEFORE UPDATE ON outcome BEGIN SELECT RAISE(ABORT, 'outcomes are append-only'); END;"
	"CREATE TRIGGER event_no_update BEFORE UPDATE ON event BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;",

	/* 2: files held for a human (SEQUENCE_CONFLICT): kept with their bytes,
	 * no events, until someone decides. */
	"ALTER TABLE import ADD COLUMN status TEXT NOT NULL DEFAULT 'imported'"
	"  CHECK (status IN ('imported','held'));"
	"ALTER TABLE import ADD COLUMN hold_reason TEXT;"
	"CREATE INDEX import_by_sequence ON import(bank, agreement, nsa);",

	/* 3: what the bank says happened to a receivable besides payments
	 * (registration rejected, written off, protested); append-only, the
	 * latest row is the current bank-side state. */
	"CREATE TABLE receivable_state ("
	"  id INTEGER PRIMARY KEY,"
	"  receivable_id INTEGER NOT NULL REFERENCES receivable(id),"
	"  state TEXT NOT NULL CHECK (state IN ('registration_rejected','written_off','protested')),"
	"  event_id INTEGER REFERENCES event(id),"
	"  at TEXT NOT NULL"
	");"
	"CREATE INDEX receivable_state_by_receivable ON receivable_state(receivable_id);"
	"CREATE TRIGGER receivable_state_no_update BEFORE UPDATE ON receivable_state"
	" BEGIN SELECT RAISE(ABORT, 'receivable states are append-only'); END;"
	"CREATE TRIGGER receivable_state_no_delete BEFORE DELETE ON receivable_state"
	" BEGIN SELECT RAISE(ABORT, 'receivable states are append-only'); END;",

	/* 4: the original bytes of each file move to a content-addressed store
	 * beside the ledger (PATH.files/ab/abcdef...): a 200 MB return no longer
	 * goes through SQLite's WAL twice. `content` stays empty for new rows. */
	"ALTER TABLE import ADD COLUMN stored TEXT;",

	/* 5: Pix statements and the charge gate.
	 * - receivable.erp_status: the ERP's full state (disputed and
	 *   renegotiated join open and cancelled; `status` keeps its version-1
	 *   meaning); receivable.account: the collection account's label.
	 * - event: Pix and statement references (endToEndId, txid, devolução
	 *   id, the statement's own reference, free text such as an OFX memo)
	 *   and whether the identity is weak (content hash, no bank id).
	 * - exception_resolution: what a human decided about an outcome that
	 *   needed one (an exception is such an outcome without a row here). */
	"ALTER TABLE receivable ADD COLUMN erp_status TEXT NOT NULL DEFAULT 'open'"
	"  CHECK (erp_status IN ('open','cancelled','disputed','renegotiated'));"
	"UPDATE receivable SET erp_status = status;"
	"ALTER TABLE receivable ADD COLUMN account TEXT;"
	"CREATE INDEX receivable_by_txid ON receivable(pix_txid) WHERE pix_txid IS NOT NULL;"
	"ALTER TABLE event ADD COLUMN end_to_end_id TEXT;"
	"ALTER TABLE event ADD COLUMN txid TEXT;"
	"ALTER TABLE event ADD COLUMN refund_id TEXT;"
	"ALTER TABLE event ADD COLUMN statement_ref TEXT;"
	"ALTER TABLE event ADD COLUMN free_text TEXT;"
	"ALTER TABLE event ADD COLUMN weak_identity INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE event ADD COLUMN payer_document_partial INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX event_by_e2e ON event(end_to_end_id) WHERE end_to_end_id IS NOT NULL;"
	"CREATE TABLE exception_resolution ("
	"  id INTEGER PRIMARY KEY,"
	"  outcome_id INTEGER NOT NULL REFERENCES outcome(id),"
	"  action TEXT NOT NULL,"
	"  reason TEXT NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  at TEXT NOT NULL"
	");"
	"CREATE INDEX exception_resolution_by_outcome ON exception_resolution(outcome_id);"
	"CREATE TRIGGER exception_resolution_no_update BEFORE UPDATE ON exception_resolution"
	" BEGIN SELECT RAISE(ABORT, 'exception resolutions are append-only'); END;"
	"CREATE TRIGGER exception_resolution_no_delete BEFORE DELETE ON exception_resolution"
	" BEGIN SELECT RAISE(ABORT, 'exception resolutions are append-only'); END;",

	/* 6: faster large imports (bench/RESULTS.md).
	 * - A slimmer event row. A CNAB event's identity text is built from
	 *   columns the row already has, plus its ordinal within the file: new
	 *   rows keep that ordinal and store '' as identity (a fifth of the
	 *   row, written twice through the WAL, for a million-event import).
	 *   Rows with a parser-given identity (Pix, statements) keep the text.
	 *   Older rows are untouched (full text, no ordinal). The view shows
	 *   every event's identity text for people; the importer rebuilds it
	 *   the same way (ledger_identity_cnab) to tell a re-sent line from a
	 *   hash collision.
	 * - New CNAB rows' identity_hash is an identity key that starts with
	 *   bits of the nosso número (ledger_identity_key), so that a file's
	 *   events land side by side in the UNIQUE index. Rows from before
	 *   keep the plain hash: event_legacy_keys records the last of them,
	 *   and while there is one the importer also looks a new CNAB event up
	 *   by its plain hash, so that a line re-sent after the upgrade is
	 *   still a duplicate. */
	"ALTER TABLE event ADD COLUMN identity_ordinal INTEGER;"
	"CREATE TABLE event_legacy_keys(last_event_id INTEGER NOT NULL);"
	"INSERT INTO event_legacy_keys SELECT COALESCE(MAX(id), 0) FROM event WHERE identity LIKE 'cnab|%';"
	"CREATE VIEW event_identity(event_id, identity) AS SELECT id,"
	" CASE WHEN identity <> '' THEN identity"
	" ELSE 'cnab|' || printf('%03d', bank) || '|' || COALESCE(agreement, '') || '|' || nosso_numero_raw"
	"  || '|' || occurrence || '|' || COALESCE(occurrence_date, '') || '|' || paid_cents"
	"  || '|' || COALESCE(credit_date, '') || COALESCE('#' || identity_ordinal, '') END"
	" FROM event;",
};

const int ledger_migration_count = (int)(sizeof ledger_migrations / sizeof ledger_migrations[0]);

int ledger_schema_version(void)
{
	return ledger_migration_count;
}
