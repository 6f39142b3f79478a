/* Which k of n amounts add up exactly to a target (rules R5 and R6: one
 * credit for several receivables, several credits for one). Pure, and
 * bounded: n and k are small by construction (one payer's open items). */
#ifndef CONCILIA_SUBSET_SUM_H
#define CONCILIA_SUBSET_SUM_H

#include <stdint.h>

#define SUBSET_MAX_N 24 /* more items than this: not searched (reported by the caller) */
#define SUBSET_MAX_K 5

/* Looks for subsets of kmin..kmax of values[0..n) summing to target.
 * Returns 0 (none), 1 (exactly one: its indexes in pick[0..*k)), or 2
 * (two or more: ambiguous; pick holds the first). -1 when n > SUBSET_MAX_N. */
int subset_sum_find(const int64_t *values, int n, int64_t target, int kmin, int kmax, int *pick, int *k);

#endif
