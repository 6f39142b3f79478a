/* Event identities: the text that names one bank fact, its 64-bit hash
 * (what the UNIQUE index holds) and the per-file ordinal that keeps two
 * identical lines of one file apart. Everything here runs once per event
 * of a million-event import: no printf, no allocation per event. */
#include "config.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "ledger/ledger_internal.h"

/* Tables from this size on are mapped (and may get huge pages). */
#define LEDGER_ORDINAL_MAP_MIN (2u << 20)

/* Appends s (NUL-terminated) at *pos, never past n - 1. */
static void put(char *buf, size_t n, size_t *pos, const char *s)
{
	size_t len = strlen(s);
	if (*pos + len >= n)
		len = *pos < n - 1 ? n - 1 - *pos : 0;
	memcpy(buf + *pos, s, len);
	*pos += len;
	buf[*pos] = '\0';
}

/* Decimal text of v, as printf's "%" PRId64 writes it. */
static void put_int(char *buf, size_t n, size_t *pos, int64_t v)
{
	char tmp[24];
	size_t i = sizeof tmp;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	tmp[--i] = '\0';
	do {
		tmp[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		tmp[--i] = '-';
	put(buf, n, pos, tmp + i);
}

size_t ledger_identity_cnab(char *buf, size_t n, int bank, const char *agreement,
                            const char *nosso_numero_raw, const char *occurrence, const char *occurrence_iso,
                            int64_t paid_cents, const char *credit_iso)
{
	size_t pos = 0;
	buf[0] = '\0';
	put(buf, n, &pos, "cnab|");
	if (bank < 0) { /* never in a real file; same text as before */
		char t[16];
		snprintf(t, sizeof t, "%03d", bank);
		put(buf, n, &pos, t);
	} else {
		if (bank < 100) /* "%03d" */
			put(buf, n, &pos, bank < 10 ? "00" : "0");
		put_int(buf, n, &pos, bank);
	}
	const char *rest[] = {agreement, nosso_numero_raw, occurrence, occurrence_iso};
	for (size_t i = 0; i < sizeof rest / sizeof rest[0]; i++) {
		put(buf, n, &pos, "|");
		put(buf, n, &pos, rest[i] ? rest[i] : "");
	}
	put(buf, n, &pos, "|");
	put_int(buf, n, &pos, paid_cents);
	put(buf, n, &pos, "|");
	put(buf, n, &pos, credit_iso ? credit_iso : "");
	return pos;
}

size_t ledger_identity_add_ordinal(char *buf, size_t n, size_t len, uint32_t ordinal)
{
	put(buf, n, &len, "#");
	put_int(buf, n, &len, ordinal);
	return len;
}

/* 64-bit hash of the identity text (multiply-xorshift over 8-byte words,
 * MurmurHash64A construction). Stored in every ledger: never change it. */
uint64_t ledger_identity_hash(const char *s, size_t len)
{
	const uint64_t m = UINT64_C(0xc6a4a7935bd1e995);
	uint64_t h = UINT64_C(0x2545f4914f6cdd1d) ^ (len * m);
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t k;
		memcpy(&k, s + i, 8);
		k *= m;
		k ^= k >> 47;
		k *= m;
		h ^= k;
		h *= m;
	}
	uint64_t tail = 0;
	for (size_t j = 0; i + j < len; j++)
		tail |= (uint64_t)(unsigned char)s[i + j] << (8 * j);
	if (len - i) {
		h ^= tail;
		h *= m;
	}
	h ^= h >> 47;
	h *= m;
	h ^= h >> 47;
	return h;
}

/* The table of a large file is a few megabytes probed at random: huge
 * pages spare a TLB miss per event on top of the cache miss. */
static struct ledger_ordinal *slots_alloc(size_t cap)
{
	size_t bytes = cap * sizeof(struct ledger_ordinal);
	if (bytes < LEDGER_ORDINAL_MAP_MIN)
		return calloc(cap, sizeof(struct ledger_ordinal));
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	(void)madvise(p, bytes, MADV_HUGEPAGE); /* a hint: fine if refused */
	return p;
}

void ledger_ordinals_free(struct ledger *lg)
{
	size_t bytes = lg->ord_cap * sizeof *lg->ord_slots;
	if (!lg->ord_slots)
		return;
	if (bytes < LEDGER_ORDINAL_MAP_MIN)
		free(lg->ord_slots);
	else
		munmap(lg->ord_slots, bytes);
	lg->ord_slots = NULL;
	lg->ord_cap = lg->ord_len = 0;
}

/* Why not the hash alone: the UNIQUE index on identity_hash is the one
 * random-order structure a large import writes, and a random insert costs
 * a few cache misses and, once the index outgrows the cache, a disk read.
 * Banks number titles in sequence, and a return lists them roughly in
 * that order: with the nosso número first, consecutive events land next
 * to each other in the index (a third less time for 1 M titles).
 *
 * Uniqueness is as strong as with the hash: two identities can only share
 * a key if their nosso números agree in these 24 bits (otherwise the keys
 * differ), and then 40 hash bits must match too; as long as the numbers
 * spread over the 24 bits (a bank's sequence does; a title has only a
 * handful of events), the expected number of collisions over N events is
 * still about N^2 / 2^65. A collision is detected and refused, as before. */
int64_t ledger_identity_key(const char *nosso_numero, uint64_t hash)
{
	uint64_t n = 0;
	for (const char *p = nosso_numero; *p; p++) {
		if (*p >= '0' && *p <= '9')
			n = n * 10 + (uint64_t)(*p - '0');
		else /* a letter: keeps the number of a title apart from its neighbours' */
			n = n * 37 + (uint64_t)(unsigned char)*p;
	}
	/* No nosso número (blank or zeros): nothing to order by, and such
	 * events would all share the same 24 bits; all 64 bits of hash. */
	if (n == 0)
		return (int64_t)hash;
	return (int64_t)(((n & 0xffffffu) << 40) | (hash >> 24));
}

void ledger_ordinals_reset(struct ledger *lg)
{
	if (lg->ord_slots)
		memset(lg->ord_slots, 0, lg->ord_cap * sizeof *lg->ord_slots);
	lg->ord_len = 0;
}

void ledger_ordinal_prefetch(const struct ledger *lg, uint64_t key)
{
	key = key ? key : 1;
	if (lg->ord_slots)
		__builtin_prefetch(&lg->ord_slots[key & (lg->ord_cap - 1)], 1);
}

/* Open addressing, key and count side by side: one cache miss per event
 * (the table outgrows the CPU caches on a 450 000-title file). */
uint32_t ledger_ordinal_next(struct ledger *lg, uint64_t key)
{
	key = key ? key : 1; /* 0 marks an empty slot */
	if (2 * (lg->ord_len + 1) > lg->ord_cap) {
		size_t cap = lg->ord_cap ? lg->ord_cap * 2 : 4096;
		struct ledger_ordinal *slots = slots_alloc(cap);
		if (!slots)
			return 0;
		for (size_t i = 0; i < lg->ord_cap; i++) {
			if (!lg->ord_slots[i].key)
				continue;
			size_t j = lg->ord_slots[i].key & (cap - 1);
			while (slots[j].key)
				j = (j + 1) & (cap - 1);
			slots[j] = lg->ord_slots[i];
		}
		size_t len = lg->ord_len;
		ledger_ordinals_free(lg);
		lg->ord_slots = slots;
		lg->ord_cap = cap;
		lg->ord_len = len;
	}
	size_t j = key & (lg->ord_cap - 1);
	while (lg->ord_slots[j].key && lg->ord_slots[j].key != key)
		j = (j + 1) & (lg->ord_cap - 1);
	if (!lg->ord_slots[j].key) {
		lg->ord_slots[j].key = key;
		lg->ord_len++;
	}
	return ++lg->ord_slots[j].count;
}
