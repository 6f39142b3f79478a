/* Exhaustive search over combinations in index order, stopping at the
 * second solution: at n <= 24 and k <= 5 that is at most ~55 000 sums. */
#include "config.h"

#include "reconcile/subset_sum.h"

struct search {
	const int64_t *v;
	int n, kmax, kmin;
	int64_t target;
	int cur[SUBSET_MAX_K];
	int found;
	int *pick, *k;
};

static void walk(struct search *s, int from, int depth, int64_t sum)
{
	if (s->found >= 2)
		return;
	if (depth >= s->kmin && sum == s->target) {
		if (s->found++ == 0) {
			for (int i = 0; i < depth; i++)
				s->pick[i] = s->cur[i];
			*s->k = depth;
		}
		return; /* positive amounts: adding more only overshoots */
	}
	if (depth == s->kmax)
		return;
	for (int i = from; i < s->n && s->found < 2; i++) {
		if (s->v[i] <= 0 || s->v[i] > s->target - sum)
			continue;
		s->cur[depth] = i;
		walk(s, i + 1, depth + 1, sum + s->v[i]);
	}
}

int subset_sum_find(const int64_t *values, int n, int64_t target, int kmin, int kmax, int *pick, int *k)
{
	if (n > SUBSET_MAX_N)
		return -1;
	if (kmax > SUBSET_MAX_K)
		kmax = SUBSET_MAX_K;
	if (kmin < 1)
		kmin = 1;
	*k = 0;
	if (target <= 0 || kmin > kmax)
		return 0;
	struct search s = {.v = values, .n = n, .kmax = kmax, .kmin = kmin, .target = target, .pick = pick, .k = k};
	walk(&s, 0, 0, 0);
	return s.found;
}
