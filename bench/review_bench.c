/* review_bench: how long review_build takes on a database (run by
 * bench/review.sh).  usage: review_bench DB YYYY-MM-DD [REPEAT] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "caseload/config.h"
#include "caseload/review.h"
#include "caseload/store.h"
#include "caseload/tz.h"

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1e3 + (t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	struct store *s = NULL;
	struct store_opts o = {.user = "bench", .no_create = true};
	struct config cfg;
	struct err e = {0};
	int day, repeat = argc > 3 ? atoi(argv[3]) : 10;
	if (argc < 3 || date_parse_iso(argv[2], &day) < 0 || repeat < 1) {
		fprintf(stderr, "usage: review_bench DB YYYY-MM-DD [REPEAT]\n");
		return 2;
	}
	config_defaults(&cfg);
	if (store_open(&s, argv[1], &o, &e) < 0) {
		fprintf(stderr, "review_bench: %s\n", e.msg);
		return 1;
	}
	double *t = calloc((size_t)repeat, sizeof *t);
	size_t items = 0;
	for (int i = 0; i < repeat; i++) {
		struct review_list l = {0};
		struct timespec t0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (review_build(s, day, &cfg, &l, &e) < 0) {
			fprintf(stderr, "review_bench: %s\n", e.msg);
			return 1;
		}
		review_group(&l);
		t[i] = ms_since(&t0);
		items = l.len;
		review_list_free(&l);
	}
	qsort(t, (size_t)repeat, sizeof *t, by_double);
	printf("review_build (whole caseload): %zu items; best %.1f ms, median %.1f ms over %d runs\n",
	       items, t[0], t[repeat / 2], repeat);
	/* the review card: one patient's items, as the screen rebuilds them */
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int n = 1000;
	for (int i = 1; i <= n; i++) {
		struct review_list l = {0};
		if (review_build_patient(s, i, day, &cfg, &l, &e) < 0) {
			fprintf(stderr, "review_bench: %s\n", e.msg);
			return 1;
		}
		review_list_free(&l);
	}
	printf("review_build_patient: %.3f ms per patient (%d patients)\n", ms_since(&t0) / n, n);
	free(t);
	store_close(&s);
	config_free(&cfg);
	tz_shutdown();
	return 0;
}
