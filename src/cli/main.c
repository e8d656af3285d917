/* main: the caseload program.  Before anything else (the config, the
 * database, patient data): no core dumps, not dumpable. */
#include <stdio.h>

#include "caseload/cli.h"
#include "caseload/harden.h"

int main(int argc, char **argv)
{
	struct err e = {0};
	if (harden_process(&e) < 0) {
		fprintf(stderr, "caseload: %s\n", e.msg);
		return EXIT_FAIL;
	}
	return cli_main(argc, argv);
}
