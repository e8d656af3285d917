/* ical_parse: libical alone on a file, for bench/ical.sh to compare with.
 *   ical_parse parse FILE       parse the whole file into one tree, free it
 *   ical_parse serialise FILE   the same, then print the tree as text
 * Prints the VEVENTs found, the seconds taken and the peak memory. */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static char *read_line(char *s, size_t size, void *d)
{
	return fgets(s, (int)size, (FILE *)d);
}

int main(int argc, char **argv)
{
	if (argc != 3 || (strcmp(argv[1], "parse") && strcmp(argv[1], "serialise"))) {
		fprintf(stderr, "usage: ical_parse parse|serialise FILE\n");
		return 2;
	}
	FILE *f = fopen(argv[2], "r");
	if (!f) {
		perror(argv[2]);
		return 1;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	icalparser *p = icalparser_new();
	icalparser_set_gen_data(p, f);
	icalcomponent *root = icalparser_parse(p, read_line);
	icalparser_free(p);
	fclose(f);
	if (!root) {
		fprintf(stderr, "%s: libical returned nothing\n", argv[2]);
		return 1;
	}
	int n = icalcomponent_count_components(root, ICAL_VEVENT_COMPONENT);
	size_t out = 0;
	if (!strcmp(argv[1], "serialise")) {
		char *s = icalcomponent_as_ical_string_r(root);
		out = strlen(s);
		free(s);
	}
	icalcomponent_free(root);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("%d events %.2f s %ld MB%s\n", n,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	       ru.ru_maxrss / 1024, out ? " (serialised)" : "");
	return 0;
}
