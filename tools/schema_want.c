/* schema_want: the schema caseload's migrations make, as C on standard
 * output ($(BUILD)/gen/schema_want.c, linked into caseload: store.h,
 * store_schema_want).  Run by make when the library changes. */
#include <stdio.h>

#include "caseload/store.h"

int main(void)
{
	struct err e = {0};
	if (store_schema_want_c(stdout, &e) < 0 || fflush(stdout) != 0) {
		fprintf(stderr, "schema_want: %s\n", e.msg[0] ? e.msg : "cannot write");
		return 1;
	}
	return 0;
}
