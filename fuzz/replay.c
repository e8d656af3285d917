/* replay: a main for a fuzz harness without libFuzzer, so that `make
 * check` (gcc, ASan/UBSan) runs the saved corpora and past crashes as
 * regression tests.  Each argument is a file, or a directory whose files
 * and folders (not those starting with '.') are run in name order.  Each
 * input is handed over in a buffer of exactly its size, so that a read
 * past its end is caught.  Exits 0 when every input ran, 2 when one could not be
 * read; a sanitizer report or an abort ends it at that input, which it
 * names first. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "caseload/util.h"
#include "harness.h"

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	if (!f || fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		if (f)
			fclose(f);
		return -1;
	}
	size_t size = (size_t)st.st_size;
	uint8_t *data = xmalloc(size ? size : 1);
	size_t got = fread(data, 1, size, f);
	fclose(f);
	if (got != size) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		free(data);
		return -1;
	}
	fprintf(stderr, "replay: %s\n", path);
	LLVMFuzzerTestOneInput(data, size);
	free(data);
	return 0;
}

static int skip_dot(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* The file, or every file under the directory; how many ran, or -1. */
static int run_path(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return run_file(path) < 0 ? -1 : 1;
	struct dirent **names;
	int n = scandir(path, &names, skip_dot, alphasort);
	if (n < 0) {
		fprintf(stderr, "replay: cannot read the directory %s\n", path);
		return -1;
	}
	int ran = 0;
	for (int i = 0; i < n; i++) {
		char *file = xasprintf("%s/%s", path, names[i]->d_name);
		int n_file = ran < 0 ? 0 : run_path(file);
		ran = n_file < 0 || ran < 0 ? -1 : ran + n_file;
		free(file);
		free(names[i]);
	}
	free(names);
	return ran;
}

int main(int argc, char **argv)
{
	int total = 0;
	for (int i = 1; i < argc; i++) {
		int n = run_path(argv[i]);
		if (n < 0)
			return 2;
		total += n;
	}
	printf("replayed %d inputs\n", total);
	return 0;
}
