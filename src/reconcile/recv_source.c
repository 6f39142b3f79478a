/* The two receivable sources. The in-memory one keeps a compact view of
 * every receivable in one array and open-addressing indexes (positions,
 * not pointers) by reference, txid, ERP id, document and the masked-CPF
 * digits; the ledger one runs the same lookups as queries. */
#include "config.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/bigmem.h"
#include "reconcile/match.h"
#include "reconcile/recv_source.h"

void recv_view_from_row(const struct ledger_receivable *r, const struct reconcile_options *opt,
			struct recv_view *v)
{
	memset(v, 0, sizeof *v);
	v->rowid = r->rowid;
	memcpy(v->id, r->row.id, sizeof v->id);
	memcpy(v->debtor_document, r->row.debtor_document, sizeof v->debtor_document);
	memcpy(v->nosso_numero, r->row.nosso_numero, sizeof v->nosso_numero);
	memcpy(v->pix_txid, r->row.pix_txid, sizeof v->pix_txid);
	v->bank = r->row.bank;
	v->amount_cents = r->row.amount_cents;
	v->issue_date = r->row.issue_date;
	v->status = r->row.status;
	v->terms = match_terms(&r->row, opt);
	/* The payer's state holidays move its dates too. */
	v->calendar = opt->calendar ? calendar_for_state(opt->calendar, r->row.state) : NULL;
}

/* ---- hashing: FNV-1a 64 over a key, a bank mixed in for references */
static uint64_t hash_str(uint64_t h, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	return h;
}

static uint64_t hash_of(int kind, int bank, const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ (uint64_t)kind;
	h = (h ^ (uint64_t)(unsigned)bank) * 0x100000001b3ULL;
	return hash_str(h, s) | 1; /* 0 marks an empty slot */
}

enum { KEY_REF, KEY_TXID, KEY_EXT, KEY_DOC, KEY_CPF_MIDDLE, KEY_COUNT };

/* One index: slots of (hash, position). Several positions may share a
 * hash (documents): they are chained through next[]. */
struct index {
	uint64_t *hash;
	int32_t *pos;
	size_t cap;
};

struct cache {
	struct recv_view *v;
	size_t n, cap;
	/* Position + 1 of each row id below cap (0: no such row): ids are dense,
	 * a plain array is smaller and faster than a hash. */
	int32_t *pos_of;
	struct index ix[KEY_COUNT];
	int32_t *next_doc;    /* same document, due date order */
	int32_t *next_middle; /* same CPF digits 4-9 */
};

static int index_init(struct index *ix, size_t n)
{
	ix->cap = 16;
	while (ix->cap < n * 2)
		ix->cap <<= 1;
	ix->hash = bigmem_calloc(ix->cap, sizeof *ix->hash);
	ix->pos = bigmem_calloc(ix->cap, sizeof *ix->pos);
	return ix->hash && ix->pos ? 0 : -1;
}

static void index_free(struct index *ix)
{
	bigmem_free(ix->hash, ix->cap, sizeof *ix->hash);
	bigmem_free(ix->pos, ix->cap, sizeof *ix->pos);
}

/* Returns the slot holding h, or the empty slot where it goes. */
static size_t index_slot(const struct index *ix, uint64_t h)
{
	size_t i = (size_t)(h ^ (h >> 29)) & (ix->cap - 1);
	while (ix->hash[i] && ix->hash[i] != h)
		i = (i + 1) & (ix->cap - 1);
	return i;
}

/* Unique keys: the first position wins (the ledger's indexes already make
 * references and ids unique; a txid is unique in practice, first by id).
 * Lookups compare the real key, so two keys sharing a 64-bit hash (odds
 * about 1 in 10^7 per million keys) make the second one "not found": an
 * exception for a human, never money applied to the wrong receivable. */
static void index_put_first(struct index *ix, uint64_t h, int32_t pos)
{
	size_t i = index_slot(ix, h);
	if (!ix->hash[i]) {
		ix->hash[i] = h;
		ix->pos[i] = pos;
	}
}

/* Chained keys: the new position becomes the head. */
static void index_push(struct index *ix, int32_t *next, uint64_t h, int32_t pos)
{
	size_t i = index_slot(ix, h);
	next[pos] = ix->hash[i] ? ix->pos[i] : -1;
	ix->hash[i] = h;
	ix->pos[i] = pos;
}

static int32_t index_get(const struct index *ix, uint64_t h)
{
	size_t i = index_slot(ix, h);
	return ix->hash[i] ? ix->pos[i] : -1;
}

static int32_t position_of(const struct cache *c, int64_t rowid)
{
	return rowid > 0 && (uint64_t)rowid < c->cap ? c->pos_of[rowid] - 1 : -1;
}

/* One half of the load: rows land at v[base], v[base + 1], ... below
 * limit. */
struct loader {
	struct cache *c;
	const struct reconcile_options *opt;
	size_t base, n, limit;
	/* The second half, on its own thread and reader. */
	struct ledger_reader *rd;
	int64_t first, last;
	int rc;
	struct diag d;
};

static int load_row(void *ctx, const struct ledger_receivable *r)
{
	struct loader *l = ctx;
	if (l->base + l->n >= l->limit)
		return 1; /* more rows than ids: cannot be, in one transaction */
	recv_view_from_row(r, l->opt, &l->c->v[l->base + l->n++]);
	return 0;
}

static void *load_half(void *arg)
{
	struct loader *l = arg;
	diag_clear(&l->d);
	l->rc = ledger_reader_receivables(l->rd, l->first, l->last, load_row, l, &l->d);
	return NULL;
}

/* Every receivable into c->v in id order. With a reader, the upper half of
 * the ids is read by a second thread while this one reads the lower half
 * (each row is decoded and its terms worked out: CPU work that halves). */
static int load_rows(struct cache *c, struct ledger *lg, const struct reconcile_options *opt, int64_t max,
		     struct diag *d)
{
	struct loader lo = {.c = c, .opt = opt, .limit = c->cap};
	struct loader hi = {.c = c, .opt = opt};
	pthread_t t;
	bool two = false;
	int rc = 0;
	if (max >= 2 * 10000 && ledger_reader_open(lg, &hi.rd, d))
		return -1;
	if (hi.rd) {
		int64_t mid = max / 2;
		/* Ids start at 1, so at most mid rows have id <= mid. */
		lo.limit = (size_t)mid;
		hi.base = (size_t)mid;
		hi.limit = c->cap;
		hi.first = mid + 1;
		hi.last = max;
		two = pthread_create(&t, NULL, load_half, &hi) == 0;
		if (two)
			rc = ledger_receivables_scan_range(lg, 1, mid, load_row, &lo, d);
	}
	if (!two) {
		lo.limit = c->cap;
		rc = ledger_receivables_scan(lg, load_row, &lo, d);
	}
	if (two) {
		pthread_join(t, NULL);
		if (!rc && hi.rc) {
			rc = hi.rc;
			if (rc < 0)
				*d = hi.d;
		}
		/* Ids with no row (none in practice: receivables are never
		 * deleted) leave a gap between the halves: close it. */
		if (!rc && lo.n < hi.base) {
			memmove(&c->v[lo.n], &c->v[hi.base], hi.n * sizeof *c->v);
			memset(&c->v[lo.n + hi.n], 0, (hi.base - lo.n) * sizeof *c->v);
		}
		c->n = lo.n + hi.n;
	} else {
		c->n = lo.n;
	}
	ledger_reader_close(hi.rd);
	return rc;
}

static int load_totals(void *ctx, int64_t rowid, int64_t allocated, bool settled)
{
	struct cache *c = ctx;
	int32_t p = position_of(c, rowid);
	if (p >= 0) {
		c->v[p].allocated_cents = allocated;
		c->v[p].settled = settled;
	}
	return 0;
}

static int load_state(void *ctx, int64_t rowid, const char *state)
{
	struct cache *c = ctx;
	int32_t p = position_of(c, rowid);
	if (p >= 0) {
		size_t n = strlen(state);
		if (n >= sizeof c->v[p].bank_state)
			n = sizeof c->v[p].bank_state - 1;
		memcpy(c->v[p].bank_state, state, n);
		c->v[p].bank_state[n] = '\0';
	}
	return 0;
}

/* Digits 4-9 of an 11-character document, the part a Pix receipt shows. */
static bool cpf_middle(const char *doc, char out[7])
{
	if (strlen(doc) != 11)
		return false;
	memcpy(out, doc + 3, 6);
	out[6] = '\0';
	return true;
}

/* Sorting positions by (due date, id) so that document chains, built by
 * pushing from the back, come out oldest due first. */
static const struct recv_view *sort_base;
static int by_due(const void *a, const void *b)
{
	const struct recv_view *x = &sort_base[*(const int32_t *)a], *y = &sort_base[*(const int32_t *)b];
	if (x->terms.due_date != y->terms.due_date)
		return x->terms.due_date < y->terms.due_date ? -1 : 1;
	return (x->rowid > y->rowid) - (x->rowid < y->rowid);
}

static void cache_free(struct cache *c)
{
	if (!c)
		return;
	for (int k = 0; k < KEY_COUNT; k++)
		index_free(&c->ix[k]);
	bigmem_free(c->pos_of, c->cap, sizeof *c->pos_of);
	bigmem_free(c->next_doc, c->n + 1, sizeof *c->next_doc);
	bigmem_free(c->next_middle, c->n + 1, sizeof *c->next_middle);
	bigmem_free(c->v, c->cap, sizeof *c->v);
	free(c);
}

/* Sorts keys in place, least significant 16 bits first (a pass whose
 * digit is the same in every key is skipped); tmp holds n keys. */
static int radix_sort(uint64_t *keys, uint64_t *tmp, size_t n)
{
	size_t *count = malloc((1 << 16) * sizeof *count);
	if (!count)
		return -1;
	for (int shift = 0; shift < 64; shift += 16) {
		memset(count, 0, (1 << 16) * sizeof *count);
		for (size_t i = 0; i < n; i++)
			count[(keys[i] >> shift) & 0xffff]++;
		if (n && count[(keys[0] >> shift) & 0xffff] == n)
			continue;
		size_t sum = 0;
		for (size_t k = 0; k < (1 << 16); k++) {
			size_t c = count[k];
			count[k] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			tmp[count[(keys[i] >> shift) & 0xffff]++] = keys[i];
		memcpy(keys, tmp, n * sizeof *keys);
	}
	free(count);
	return 0;
}

/* The unique keys: reference, ERP id, txid. */
static int build_unique(struct cache *c)
{
	if (index_init(&c->ix[KEY_REF], c->n) || index_init(&c->ix[KEY_EXT], c->n) ||
	    index_init(&c->ix[KEY_TXID], c->n))
		return -1;
	for (size_t i = 0; i < c->n; i++) {
		const struct recv_view *v = &c->v[i];
		int32_t p = (int32_t)i;
		index_put_first(&c->ix[KEY_REF], hash_of(KEY_REF, v->bank, v->nosso_numero), p);
		index_put_first(&c->ix[KEY_EXT], hash_of(KEY_EXT, 0, v->id), p);
		if (v->pix_txid[0])
			index_put_first(&c->ix[KEY_TXID], hash_of(KEY_TXID, 0, v->pix_txid), p);
	}
	return 0;
}

static void *build_unique_thread(void *arg)
{
	return build_unique(arg) ? arg : NULL;
}

/* Row ids, and the document chains in (due date, id) order: c->v is in id
 * order, so a key of due date then position sorts as the ledger's query
 * does, and chains built by pushing from the back come out oldest due
 * first. */
static int build_chains(struct cache *c)
{
	c->pos_of = bigmem_calloc(c->cap, sizeof *c->pos_of);
	c->next_doc = bigmem_calloc(c->n + 1, sizeof *c->next_doc);
	c->next_middle = bigmem_calloc(c->n + 1, sizeof *c->next_middle);
	uint64_t *keys = malloc((c->n + 1) * sizeof *keys), *tmp = malloc((c->n + 1) * sizeof *tmp);
	int rc = -1;
	if (!c->pos_of || !c->next_doc || !c->next_middle || !keys || !tmp || index_init(&c->ix[KEY_DOC], c->n) ||
	    index_init(&c->ix[KEY_CPF_MIDDLE], c->n))
		goto out;
	for (size_t i = 0; i < c->n; i++) {
		const struct recv_view *v = &c->v[i];
		if (v->rowid > 0 && (uint64_t)v->rowid < c->cap)
			c->pos_of[v->rowid] = (int32_t)i + 1;
		keys[i] = (uint64_t)((uint32_t)v->terms.due_date ^ 0x80000000u) << 32 | (uint32_t)i;
	}
	if (radix_sort(keys, tmp, c->n))
		goto out;
	for (size_t i = c->n; i-- > 0;) {
		int32_t p = (int32_t)(uint32_t)keys[i];
		const struct recv_view *v = &c->v[p];
		char mid[7];
		index_push(&c->ix[KEY_DOC], c->next_doc, hash_of(KEY_DOC, 0, v->debtor_document), p);
		if (cpf_middle(v->debtor_document, mid))
			index_push(&c->ix[KEY_CPF_MIDDLE], c->next_middle, hash_of(KEY_CPF_MIDDLE, 0, mid), p);
	}
	rc = 0;
out:
	free(keys);
	free(tmp);
	return rc;
}

/* Both halves at once: each is a pass of random writes into tables of
 * tens of megabytes, and the first touch of each page is the kernel's
 * zeroing. */
static int build_indexes(struct cache *c, struct diag *d)
{
	pthread_t t;
	bool two = c->n >= 10000 && pthread_create(&t, NULL, build_unique_thread, c) == 0;
	int rc = build_chains(c);
	if (two) {
		void *failed;
		pthread_join(t, &failed);
		rc |= failed ? -1 : 0;
	} else if (!rc) {
		rc = build_unique(c);
	}
	return rc ? diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL, "out of memory indexing receivables") : 0;
}

int recv_source_load(struct recv_source *s, struct ledger *lg, const struct reconcile_options *opt,
		     struct diag *d)
{
	recv_source_ledger(s, lg, opt);
	struct cache *c = calloc(1, sizeof *c);
	if (!c)
		return diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL, "out of memory");
	int64_t max = 0;
	if (ledger_receivable_max_rowid(lg, &max, d)) {
		free(c);
		return -1;
	}
	c->cap = (size_t)max + 1;
	c->v = bigmem_calloc(c->cap, sizeof *c->v);
	int rc = c->v ? load_rows(c, lg, opt, max, d) : 1;
	if (rc > 0)
		diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL, "out of memory loading receivables");
	if (!rc)
		rc = build_indexes(c, d);
	if (!rc)
		rc = ledger_allocation_totals(lg, load_totals, c, d);
	if (!rc)
		rc = ledger_bank_states(lg, load_state, c, d);
	if (rc) {
		cache_free(c);
		return -1;
	}
	s->cache = c;
	return 0;
}

void recv_source_ledger(struct recv_source *s, struct ledger *lg, const struct reconcile_options *opt)
{
	s->lg = lg;
	s->opt = opt;
	s->cache = NULL;
}

void recv_source_free(struct recv_source *s)
{
	cache_free(s->cache);
	s->cache = NULL;
}

/* ---- lookups through the ledger */
static int from_ledger(struct recv_source *s, int found, const struct ledger_receivable *r, struct recv_view *out,
		       struct diag *d)
{
	if (found <= 0)
		return found;
	recv_view_from_row(r, s->opt, out);
	struct ledger_receivable_facts f = {.rec = *r};
	if (ledger_receivable_facts(s->lg, &f, d))
		return -1;
	out->allocated_cents = f.allocated_cents;
	out->settled = f.settled;
	memcpy(out->bank_state, f.bank_state, sizeof out->bank_state);
	return 1;
}

static int cached(const struct cache *c, int32_t p, struct recv_view *out)
{
	if (p < 0)
		return 0;
	*out = c->v[p];
	return 1;
}

int recv_by_ref(struct recv_source *s, int bank, const char *nosso_numero, struct recv_view *out, struct diag *d)
{
	struct cache *c = s->cache;
	if (c) {
		int32_t p = index_get(&c->ix[KEY_REF], hash_of(KEY_REF, bank, nosso_numero));
		/* A hash is not the key: confirm it. */
		if (p >= 0 && (c->v[p].bank != bank || strcmp(c->v[p].nosso_numero, nosso_numero) != 0))
			p = -1;
		return cached(c, p, out);
	}
	struct ledger_receivable r;
	return from_ledger(s, ledger_receivable_by_ref(s->lg, bank, nosso_numero, &r, d), &r, out, d);
}

int recv_by_txid(struct recv_source *s, const char *txid, struct recv_view *out, struct diag *d)
{
	struct cache *c = s->cache;
	if (c) {
		int32_t p = index_get(&c->ix[KEY_TXID], hash_of(KEY_TXID, 0, txid));
		if (p >= 0 && strcmp(c->v[p].pix_txid, txid) != 0)
			p = -1;
		return cached(c, p, out);
	}
	struct ledger_receivable r;
	return from_ledger(s, ledger_receivable_by_txid(s->lg, txid, &r, d), &r, out, d);
}

int recv_by_ext_id(struct recv_source *s, const char *id, struct recv_view *out, struct diag *d)
{
	struct cache *c = s->cache;
	if (c) {
		int32_t p = index_get(&c->ix[KEY_EXT], hash_of(KEY_EXT, 0, id));
		if (p >= 0 && strcmp(c->v[p].id, id) != 0)
			p = -1;
		return cached(c, p, out);
	}
	struct ledger_receivable r;
	return from_ledger(s, ledger_receivable_by_ext_id(s->lg, id, &r, d), &r, out, d);
}

static bool takes_payments(const struct recv_view *v)
{
	return v->status == RECEIVABLE_OPEN || v->status == RECEIVABLE_DISPUTED;
}

static bool fits_mask(const char *pattern, const char *doc)
{
	size_t n = strlen(pattern);
	if (n != strlen(doc))
		return false;
	for (size_t i = 0; i < n; i++)
		if (pattern[i] != '*' && pattern[i] != doc[i])
			return false;
	return true;
}

int recv_of_debtor(struct recv_source *s, const char *pattern, struct recv_view *out, int max, struct diag *d)
{
	struct cache *c = s->cache;
	if (!c) {
		struct ledger_receivable *rows = malloc((size_t)(max > 0 ? max : 1) * sizeof *rows);
		if (!rows)
			return diag_set(d, DIAG_ERROR, NULL, 0, 0, NULL, "out of memory");
		int total = ledger_receivables_of_debtor(s->lg, pattern, rows, max, d);
		for (int i = 0; i < total && i < max; i++)
			if (from_ledger(s, 1, &rows[i], &out[i], d) < 0) {
				total = -1;
				break;
			}
		free(rows);
		return total;
	}
	int total = 0;
	char mid[7];
	bool masked = strchr(pattern, '*') != NULL;
	const int32_t *next;
	int32_t p;
	if (!masked) {
		p = index_get(&c->ix[KEY_DOC], hash_of(KEY_DOC, 0, pattern));
		next = c->next_doc;
	} else if (strlen(pattern) == 11 && strspn(pattern, "*") == 3 && strspn(pattern + 3, "0123456789") == 6 &&
		   strcmp(pattern + 9, "**") == 0 && cpf_middle(pattern, mid)) {
		p = index_get(&c->ix[KEY_CPF_MIDDLE], hash_of(KEY_CPF_MIDDLE, 0, mid));
		next = c->next_middle;
	} else {
		/* Any other mask: a scan, in due order like the ledger's. */
		for (size_t i = 0; i < c->n; i++) {
			const struct recv_view *v = &c->v[i];
			if (takes_payments(v) && fits_mask(pattern, v->debtor_document)) {
				if (total < max)
					out[total] = *v;
				total++;
			}
		}
		/* c->v is in id order: put what was kept in due order. */
		int kept = total < max ? total : max;
		for (int i = 1; i < kept; i++)
			for (int j = i; j > 0; j--) {
				sort_base = out;
				int32_t a = j - 1, b = j;
				if (by_due(&a, &b) <= 0)
					break;
				struct recv_view t = out[j];
				out[j] = out[j - 1];
				out[j - 1] = t;
			}
		return total;
	}
	for (; p >= 0; p = next[p]) {
		const struct recv_view *v = &c->v[p];
		if (!takes_payments(v) || !fits_mask(pattern, v->debtor_document))
			continue;
		if (total < max)
			out[total] = *v;
		total++;
	}
	return total;
}

void recv_applied(struct recv_source *s, int64_t rowid, int64_t cents, bool settles)
{
	struct cache *c = s->cache;
	if (!c)
		return; /* the ledger already has the row */
	int32_t p = position_of(c, rowid);
	if (p < 0)
		return;
	c->v[p].allocated_cents += cents;
	if (cents < 0)
		c->v[p].settled = false;
	else if (settles)
		c->v[p].settled = true;
}

void recv_bank_state(struct recv_source *s, int64_t rowid, const char *state)
{
	if (s->cache)
		load_state(s->cache, rowid, state);
}
