/* main: the caseload program. */
#include <signal.h>

#include "caseload/cli.h"

int main(int argc, char **argv)
{
	/* A file size limit (ulimit -f) must fail a write like a full disk
	 * does, with an error caseload reports and cleans up after, not kill
	 * the process halfway through a file. */
	signal(SIGXFSZ, SIG_IGN);
	return cli_main(argc, argv);
}
