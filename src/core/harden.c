/* harden: no core dumps, not dumpable.  A crash still ends the process
 * the way it did (the screen's crash handler gives the terminal back
 * first); only the copy of its memory is gone. */
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "caseload/harden.h"

int harden_process(struct err *e)
{
	struct rlimit none = {0, 0};
	if (setrlimit(RLIMIT_CORE, &none) != 0)
		return err_set(e, ERR_FAIL, "cannot turn core dumps off: %s", strerror(errno));
#ifdef __linux__
	if (prctl(PR_SET_DUMPABLE, 0L, 0L, 0L, 0L) != 0)
		return err_set(e, ERR_FAIL, "cannot make the process not dumpable: %s",
		               strerror(errno));
#endif
	return 0;
}
