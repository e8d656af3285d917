/* stage_order: the order in which an import merges what it staged (see
 * ical_internal.h).  A staged row's id is its run's base, its cell and
 * its place in the file:
 *
 *     base | cell << ORDER_SEQ_BITS | seq
 *
 * and the merge reads the stage in id order: cell by cell, each cell in
 * file order.  A cell is a range of UIDs crossed with a range of start
 * times, both cut at the quantiles of the file's first ORDER_SAMPLE
 * events, so that a merge batch writes a few neighbouring pages of the
 * UID index and of the start-keyed indexes instead of a page of each
 * for every row (issue 12).  Every row of a UID goes to the cell of its
 * first row, so the rows of an event (versions, overrides, cancels) keep
 * their file order; the rows that have no UID, the sample's, the end of
 * a calendar and everything after it go to the last cell, where the file
 * order is kept too. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/util.h"
#include "ical_internal.h"

#define SLOT_BITS 21                          /* the UID table: 8 MB */
#define SLOTS ((size_t)1 << SLOT_BITS)
#define SLOTS_USED (SLOTS / 4 * 3)            /* full beyond: last cell */
#define CELL_LAST ((1 << ORDER_CELL_BITS) - 1)
#define RANGES (1 << (ORDER_CELL_BITS / 2))   /* ranges of UIDs, of starts */

void stage_order_init(struct stage_order *o, long long base, int sample)
{
	memset(o, 0, sizeof *o);
	o->base = base;
	o->sample_max = sample;
}

void stage_order_free(struct stage_order *o)
{
	free(o->slots);
	for (int i = 0; i < o->nsample; i++)
		free(o->uids[i]);
	free(o->uids);
	free(o->starts);
	for (int i = 0; i < RANGES - 1 && o->bounded; i++)
		free(o->uid_bound[i]);
	memset(o, 0, sizeof *o);
}

long long stage_order_key(long long id)
{
	return id & (((long long)1 << ORDER_SEQ_BITS) - 1);
}

long long stage_order_base(long long max_id)
{
	long long run = (max_id > 0 ? max_id : 0) >> ORDER_RUN_BITS;
	return (run + 1) << ORDER_RUN_BITS;
}

static uint64_t uid_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325u;            /* FNV-1a, then mixed */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3u;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdu;
	h ^= h >> 33;
	return h;
}

static int cmp_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

/* The sample is whole: its quantiles cut the ranges. */
static void cut_ranges(struct stage_order *o)
{
	qsort(o->uids, (size_t)o->nsample, sizeof *o->uids, cmp_text);
	qsort(o->starts, (size_t)o->nsample, sizeof *o->starts, cmp_ll);
	for (int i = 0; i < RANGES - 1; i++) {
		int at = (i + 1) * o->nsample / RANGES;
		o->uid_bound[i] = xstrdup(o->uids[at]);
		o->start_bound[i] = o->starts[at];
	}
	for (int i = 0; i < o->nsample; i++)
		free(o->uids[i]);
	free(o->uids);
	free(o->starts);
	o->uids = NULL;
	o->starts = NULL;
	o->nsample = 0;
	o->bounded = true;
}

/* How many bounds are at or below the value: its range. */
static int uid_range(const struct stage_order *o, const char *uid)
{
	int lo = 0, hi = RANGES - 1;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (strcmp(o->uid_bound[mid], uid) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int start_range(const struct stage_order *o, long long start)
{
	int lo = 0, hi = RANGES - 1;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (o->start_bound[mid] <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A UID's first row: its cell (the last one while the sample fills). */
static int first_cell(struct stage_order *o, const char *uid, bool event, long long start)
{
	if (o->bounded)
		return uid_range(o, uid) * RANGES + (event ? start_range(o, start) : RANGES - 1);
	if (event && o->sample_max > 0) {
		if (!o->uids) {
			o->uids = xcalloc((size_t)o->sample_max, sizeof *o->uids);
			o->starts = xcalloc((size_t)o->sample_max, sizeof *o->starts);
		}
		o->uids[o->nsample] = xstrdup(uid);
		o->starts[o->nsample++] = start;
		if (o->nsample == o->sample_max)
			cut_ranges(o);
	}
	return CELL_LAST;
}

/* A slot: the hash's high 24 bits (the lowest of them set), then the
 * cell; 0 is empty. */
static int uid_cell(struct stage_order *o, const char *uid, bool event, long long start)
{
	if (!o->slots)
		o->slots = xcalloc(SLOTS, sizeof *o->slots);
	uint64_t h = uid_hash(uid);
	uint32_t tag = (uint32_t)((h >> 40) | 1) << ORDER_CELL_BITS;
	size_t at = (size_t)h & (SLOTS - 1);
	for (; o->slots[at]; at = (at + 1) & (SLOTS - 1))
		if ((o->slots[at] & ~(uint32_t)CELL_LAST) == tag)
			return (int)(o->slots[at] & CELL_LAST);
	if (o->used >= SLOTS_USED)   /* every row of a UID not kept goes last */
		return CELL_LAST;
	int cell = first_cell(o, uid, event, start);
	o->slots[at] = tag | (uint32_t)cell;
	o->used++;
	return cell;
}

long long stage_order_id(struct stage_order *o, enum stage_kind kind, const char *uid,
                         long long start)
{
	int cell = CELL_LAST;
	if (kind == STAGE_END)
		o->ended = true;
	else if (!o->ended && uid && (kind == STAGE_EVENT || kind == STAGE_CANCEL))
		cell = uid_cell(o, uid, kind == STAGE_EVENT, start);
	return o->base + ((long long)cell << ORDER_SEQ_BITS) + ++o->seq;
}
