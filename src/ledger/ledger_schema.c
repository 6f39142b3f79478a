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

	/* 6: the full matcher (rules R1-R6, undo, the exception queue).
	 * - outcome.needs_human: decided by the matcher when it writes the row,
	 *   so the queue is one indexed query (rows written before are filled
	 *   in once, with the append-only trigger lifted for that statement).
	 * - outcome_candidate: the receivables an AMBIGUOUS or proposed (R4-R6)
	 *   outcome points at, for the human who decides.
	 * - allocation.run_id / rule_set: which run and which version of the
	 *   rules applied the money; undo rows carry the reason.
	 * - the masked CPF of Pix receipts shows digits 4-9: an index on them. */
	"ALTER TABLE outcome ADD COLUMN needs_human INTEGER NOT NULL DEFAULT 0;"
	"DROP TRIGGER outcome_no_update;"
	"UPDATE outcome SET needs_human = 1 WHERE category IN ('UNDERPAID','OVERPAID','DUPLICATE_PAYMENT',"
	"  'UNKNOWN_REFERENCE','PAID_CLOSED_RECEIVABLE','REGISTRATION_REJECTED','UNKNOWN_OCCURRENCE');"
	"CREATE TRIGGER outcome_no_update BEFORE UPDATE ON outcome BEGIN SELECT RAISE(ABORT, 'outcomes are append-only'); END;"
	"CREATE TRIGGER outcome_no_delete BEFORE DELETE ON outcome BEGIN SELECT RAISE(ABORT, 'outcomes are append-only'); END;"
	"CREATE TRIGGER event_no_delete BEFORE DELETE ON event BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
	"CREATE INDEX outcome_needing_human ON outcome(id) WHERE needs_human = 1;"
	"ALTER TABLE allocation ADD COLUMN run_id INTEGER REFERENCES run(id);"
	"ALTER TABLE allocation ADD COLUMN rule_set TEXT;"
	"CREATE INDEX allocation_by_event ON allocation(event_id);"
	"CREATE INDEX allocation_by_reverses ON allocation(reverses) WHERE reverses IS NOT NULL;"
	"CREATE TABLE outcome_candidate ("
	"  id INTEGER PRIMARY KEY,"
	"  outcome_id INTEGER NOT NULL REFERENCES outcome(id),"
	"  receivable_id INTEGER NOT NULL REFERENCES receivable(id),"
	"  rule TEXT NOT NULL,"
	"  cents INTEGER NOT NULL"
	");"
	"CREATE INDEX outcome_candidate_by_outcome ON outcome_candidate(outcome_id);"
	"CREATE TRIGGER outcome_candidate_no_update BEFORE UPDATE ON outcome_candidate"
	" BEGIN SELECT RAISE(ABORT, 'candidates are append-only'); END;"
	"CREATE TRIGGER outcome_candidate_no_delete BEFORE DELETE ON outcome_candidate"
	" BEGIN SELECT RAISE(ABORT, 'candidates are append-only'); END;"
	"CREATE INDEX receivable_by_cpf_middle ON receivable(substr(debtor_document, 4, 6))"
	"  WHERE length(debtor_document) = 11;"
	/* A resolution covers the undos before it: the newest allocation id
	 * when it was written (timestamps can tie; ids can't). */
	"ALTER TABLE exception_resolution ADD COLUMN after_allocation INTEGER NOT NULL DEFAULT 0;",

	/* 7: the rest of a receivable's charge terms (CNAB 240 segments P and
	 * R): a fixed fine instead of a percentage, a fixed amount of interest
	 * per day instead of a monthly rate, the dates after which each
	 * starts, the rebate (abatimento), discount tier 1 as a percentage,
	 * and discount tiers 2 and 3. Existing rows keep their meaning: all
	 * zero / NULL. */
	"ALTER TABLE receivable ADD COLUMN fine_cents INTEGER NOT NULL DEFAULT 0 CHECK (fine_cents >= 0);"
	"ALTER TABLE receivable ADD COLUMN fine_after TEXT;"
	"ALTER TABLE receivable ADD COLUMN interest_day_cents INTEGER NOT NULL DEFAULT 0"
	"  CHECK (interest_day_cents >= 0);"
	"ALTER TABLE receivable ADD COLUMN interest_after TEXT;"
	"ALTER TABLE receivable ADD COLUMN rebate_cents INTEGER NOT NULL DEFAULT 0 CHECK (rebate_cents >= 0);"
	"ALTER TABLE receivable ADD COLUMN discount_e4 INTEGER NOT NULL DEFAULT 0 CHECK (discount_e4 >= 0);"
	"ALTER TABLE receivable ADD COLUMN discount2_cents INTEGER NOT NULL DEFAULT 0"
	"  CHECK (discount2_cents >= 0);"
	"ALTER TABLE receivable ADD COLUMN discount2_e4 INTEGER NOT NULL DEFAULT 0 CHECK (discount2_e4 >= 0);"
	"ALTER TABLE receivable ADD COLUMN discount2_until TEXT;"
	"ALTER TABLE receivable ADD COLUMN discount3_cents INTEGER NOT NULL DEFAULT 0"
	"  CHECK (discount3_cents >= 0);"
	"ALTER TABLE receivable ADD COLUMN discount3_e4 INTEGER NOT NULL DEFAULT 0 CHECK (discount3_e4 >= 0);"
	"ALTER TABLE receivable ADD COLUMN discount3_until TEXT;",

	/* 8: reports "as of" a past date. A receivable row is updated in place
	 * by later ERP imports, so what the report needs of it (face value, ERP
	 * state, due date, debtor) is copied by triggers into an append-only
	 * history; the version valid at time T is the latest with at < T. Rows
	 * that existed before this migration get one version (origin
	 * 'migration') stamped with their creation time and their values of
	 * today: history older than the upgrade is not known.
	 * allocation_by_reverses: the balance of a receivable skips allocations
	 * that a later compensating row (undo) reverses. */
	"CREATE TABLE receivable_version ("
	"  id INTEGER PRIMARY KEY,"
	"  receivable_id INTEGER NOT NULL REFERENCES receivable(id),"
	"  amount_cents INTEGER NOT NULL,"
	"  erp_status TEXT NOT NULL,"
	"  due_date TEXT NOT NULL,"
	"  debtor_document TEXT NOT NULL,"
	"  debtor_name TEXT NOT NULL,"
	"  origin TEXT NOT NULL CHECK (origin IN ('insert','update','migration')),"
	"  at TEXT NOT NULL"
	");"
	"CREATE INDEX receivable_version_by_receivable ON receivable_version(receivable_id, at, id);"
	"CREATE INDEX IF NOT EXISTS allocation_by_reverses ON allocation(reverses) WHERE reverses IS NOT NULL;"
	"INSERT INTO receivable_version(receivable_id, amount_cents, erp_status, due_date, debtor_document,"
	"  debtor_name, origin, at)"
	" SELECT id, amount_cents, erp_status, due_date, debtor_document, debtor_name, 'migration', created_at"
	" FROM receivable ORDER BY id;"
	"CREATE TRIGGER receivable_version_on_insert AFTER INSERT ON receivable BEGIN"
	" INSERT INTO receivable_version(receivable_id, amount_cents, erp_status, due_date, debtor_document,"
	"  debtor_name, origin, at)"
	" VALUES (NEW.id, NEW.amount_cents, NEW.erp_status, NEW.due_date, NEW.debtor_document,"
	"  NEW.debtor_name, 'insert', NEW.created_at);"
	" END;"
	"CREATE TRIGGER receivable_version_on_update AFTER UPDATE ON receivable"
	" WHEN OLD.amount_cents IS NOT NEW.amount_cents OR OLD.erp_status IS NOT NEW.erp_status"
	"  OR OLD.due_date IS NOT NEW.due_date OR OLD.debtor_document IS NOT NEW.debtor_document"
	"  OR OLD.debtor_name IS NOT NEW.debtor_name BEGIN"
	" INSERT INTO receivable_version(receivable_id, amount_cents, erp_status, due_date, debtor_document,"
	"  debtor_name, origin, at)"
	" VALUES (NEW.id, NEW.amount_cents, NEW.erp_status, NEW.due_date, NEW.debtor_document,"
	"  NEW.debtor_name, 'update', NEW.updated_at);"
	" END;"
	"CREATE TRIGGER receivable_version_no_update BEFORE UPDATE ON receivable_version"
	" BEGIN SELECT RAISE(ABORT, 'receivable versions are append-only'); END;"
	"CREATE TRIGGER receivable_version_no_delete BEFORE DELETE ON receivable_version"
	" BEGIN SELECT RAISE(ABORT, 'receivable versions are append-only'); END;",

	/* 9: the beneficiary's collection accounts (what every boleto and Pix
	 * QR prints: bank data, company name, CNPJ and address, Pix key) and
	 * the lookups the charge gate makes for every outbound document.
	 * - account: one row per collection account, referenced by label from
	 *   receivable.account (or found by bank when the bank has one
	 *   account). options holds the codec's per-bank --opt pairs, one
	 *   KEY=VALUE per line. nn_with_dv: the receivables' nosso número ends
	 *   with its check digit (as some banks' returns write it).
	 * - event_by_ref, event_by_txid: "is a payment with this reference
	 *   waiting to be reconciled?" is asked per document; without them
	 *   it is a scan of every event. */
	"CREATE TABLE account ("
	"  id INTEGER PRIMARY KEY,"
	"  label TEXT NOT NULL UNIQUE,"
	"  bank INTEGER NOT NULL CHECK (bank BETWEEN 1 AND 999),"
	"  agency TEXT NOT NULL,"
	"  account TEXT NOT NULL,"
	"  wallet TEXT,"
	"  agreement TEXT,"
	"  options TEXT,"
	"  nn_with_dv INTEGER NOT NULL DEFAULT 0,"
	"  name TEXT NOT NULL,"
	"  document TEXT NOT NULL,"
	"  address TEXT NOT NULL,"
	"  city TEXT NOT NULL,"
	"  uf TEXT,"
	"  cep TEXT,"
	"  pix_key TEXT,"
	"  created_at TEXT NOT NULL,"
	"  actor TEXT NOT NULL"
	");"
	"CREATE INDEX account_by_bank ON account(bank);"
	"CREATE INDEX event_by_ref ON event(bank, nosso_numero);"
	"CREATE INDEX event_by_txid ON event(txid) WHERE txid IS NOT NULL;",

	/* 10: the drop-folder hook (concilia inbox / watch).
	 * - intake: one row per file the hook took from a drop folder, written
	 *   in the same transaction as its import (or on its own for rejected
	 *   files and duplicates) before the file is moved: where it goes
	 *   (destination, an absolute path reserved for it) and what it was.
	 *   filed_at stays NULL until the move is done and durable, so a run
	 *   killed in between finishes that exact move on restart: a file
	 *   imported by the interrupted run goes to processed/, never to
	 *   duplicates/. At most one unfiled row per inbox file name.
	 * - intake_notice: what a human must hear about (a rejected or held
	 *   file, a reconciliation that needs one); notified_at is set once the
	 *   attention command ran, so a kill in between repeats the notice
	 *   rather than losing it. */
	"CREATE TABLE intake ("
	"  id INTEGER PRIMARY KEY,"
	"  inbox TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN ('processed','rejected','held','duplicate')),"
	"  destination TEXT NOT NULL,"
	"  import_id INTEGER REFERENCES import(id),"
	"  diagnostics TEXT,"
	"  recorded_at TEXT NOT NULL,"
	"  filed_at TEXT,"
	"  note TEXT"
	");"
	"CREATE UNIQUE INDEX intake_unfiled ON intake(inbox, name) WHERE filed_at IS NULL;"
	"CREATE INDEX intake_by_sha ON intake(sha256);"
	"CREATE TRIGGER intake_no_delete BEFORE DELETE ON intake"
	" BEGIN SELECT RAISE(ABORT, 'intake rows are kept'); END;"
	"CREATE TABLE intake_notice ("
	"  id INTEGER PRIMARY KEY,"
	"  inbox TEXT NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN ('rejected','held','needs_human')),"
	"  file TEXT,"
	"  detail TEXT,"
	"  created_at TEXT NOT NULL,"
	"  notified_at TEXT"
	");"
	"CREATE INDEX intake_notice_pending ON intake_notice(inbox) WHERE notified_at IS NULL;",

	/* 11: faster large imports (bench/RESULTS.md).
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

	/* 12: outcome_by_receivable goes. No query looks outcomes up by
	 * receivable (reports and the gate go from the outcome to its
	 * receivable, balances read allocation_by_receivable), and receivables
	 * are never deleted nor renumbered, so the foreign key does not need
	 * it either; it cost a random-order index insert per payment in every
	 * reconciliation run (bench/RESULTS.md). */
	"DROP INDEX outcome_by_receivable;",

	/* 13: run.through_event, the reconciled mark. Every event a run
	 * reconciles (LEDGER_RECONCILED_KINDS) with an id up to it has an
	 * outcome: written by a run that gave one to every event it was given,
	 * up to the last event there was when it started; NULL otherwise (and
	 * for older runs). Outcomes are never deleted and event ids only grow,
	 * so the mark stays true, and looking for events to reconcile starts
	 * after the highest mark instead of at the ledger's first event, which
	 * grew with every day of history. journal verify checks it. */
	"ALTER TABLE run ADD COLUMN through_event INTEGER;",
};

const int ledger_migration_count = (int)(sizeof ledger_migrations / sizeof ledger_migrations[0]);

int ledger_schema_version(void)
{
	return ledger_migration_count;
}
