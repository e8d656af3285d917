/* main: the caseload program.  Before anything else (the config, the
 * database, patient data): no core dumps, not dumpable. */
#include <signal.h>
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
	/* A file size limit (ulimit -f) must fail a write like a full disk
	 * does, with an error caseload reports and cleans up after, not kill
	 * the process halfway through a file. */
	signal(SIGXFSZ, SIG_IGN);
	return cli_main(argc, argv);
}
