/* main: the caseload program. */
#include "caseload/cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
