/* Intake: one bank file into the ledger, the way every entry point does it
 * (`concilia import`, the drop-folder hook). The file is identified by its
 * SHA-256 (the same bytes twice is a no-op), its format is detected from its
 * content (CNAB 240/400 and the statement readers), and it is imported in
 * one transaction: all of its events or none. A file whose NSA was already
 * imported with other bytes (SEQUENCE_CONFLICT) is recorded as held for a
 * human, bytes kept, no events.
 *
 * This layer sits between codec + ledger and the commands: it never prints.
 * The outcome and its diagnostics come back in struct intake_result;
 * warnings (and notes) go to the caller's diag_sink as they happen, in file
 * order, so a caller that prints them keeps the order a reader expects. */
#ifndef CONCILIA_INTAKE_H
#define CONCILIA_INTAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/cnab240.h"
#include "core/diag.h"
#include "core/fileio.h"
#include "core/sha256.h"
#include "ledger/ledger.h"

enum intake_status {
	INTAKE_IMPORTED = 0, /* new file, committed (or, in a dry run, rolled back) */
	INTAKE_KNOWN,        /* these bytes were imported before: nothing to do */
	INTAKE_KNOWN_HELD,   /* these bytes were received before and are held for a human */
	INTAKE_HELD,         /* SEQUENCE_CONFLICT: recorded now as held for a human */
	INTAKE_REJECTED,     /* refused (unreadable, unknown format, damaged, --strict) */
	INTAKE_FAILED,       /* system error (disk, database): nothing recorded */
};

/* How far the file got before it stopped (REJECTED and FAILED): a caller
 * that says "nothing imported" only says it once an import was tried. */
enum intake_stage {
	INTAKE_STAGE_READ = 0, /* reading the bytes or hashing them */
	INTAKE_STAGE_LOOKUP,   /* asking the ledger whether the bytes are known */
	INTAKE_STAGE_IMPORT,   /* detection, parsing, the import transaction */
};

struct intake_result {
	enum intake_status status;
	enum intake_stage stage;
	char sha256[SHA256_HEX_LEN + 1];
	size_t size;
	char family[16];                 /* "cnab240", "cnab400", a statement reader's */
	bool statement;                  /* read by a statement reader (camt, OFX, API Pix) */
	char layout_name[64];            /* the layout or statement version read */
	struct cnab_file_info info;      /* its layout_name points into this struct */
	long events;                     /* new bank events */
	long payments;                   /* of which payments */
	long duplicates;                 /* events already in the ledger (re-sent lines) */
	long warnings;                   /* warnings handed to the sink */
	int64_t import_id;               /* IMPORTED (0 in a dry run), HELD */
	struct ledger_import_info prior; /* KNOWN, KNOWN_HELD */
	char hold_reason[200];           /* HELD: the SEQUENCE_CONFLICT explanation */
	struct diag error;               /* REJECTED, FAILED */
};

struct intake_options {
	bool dry_run;            /* parse and check, record nothing */
	bool strict;             /* the first warning refuses the file */
	const char *layout_path; /* --layout: a built-in layout name or a layout file; NULL = detect */
	diag_sink warn;          /* warnings and notes, as they happen (may be NULL) */
	void *warn_ctx;
	/* Called inside the file's own transaction, just before its commit,
	 * when the file is IMPORTED or HELD (never in a dry run), with r
	 * filled as it will be returned. A caller records there what must
	 * commit together with the import (the drop-folder hook: where the
	 * file is being filed). Returns 0, or -1 with d set: the transaction
	 * is rolled back and the result is INTAKE_FAILED with d. */
	int (*before_commit)(void *ctx, struct ledger *lg, const struct intake_result *r, struct diag *d);
	void *before_commit_ctx;
};

/* Reads path and takes it in. Fills *r; returns r->status. */
enum intake_status intake_file(struct ledger *lg, const char *path, const struct intake_options *opt,
                               struct intake_result *r);

/* The same for bytes the caller has already read (and, when sha256 is not
 * NULL, hashed); path names the file in the ledger and in diagnostics. */
enum intake_status intake_bytes(struct ledger *lg, const char *path, const struct file_bytes *fb,
                                const char *sha256, const struct intake_options *opt,
                                struct intake_result *r);

#endif
