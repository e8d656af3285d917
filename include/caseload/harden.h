/* harden: what the process does before it reads any patient data, so that
 * its memory, which holds that data, is not written out when it crashes
 * and cannot be read by other processes of the same user. */
#ifndef CASELOAD_HARDEN_H
#define CASELOAD_HARDEN_H
#include "caseload/err.h"

/* No core dumps (RLIMIT_CORE 0, soft and hard) and, on Linux, not
 * dumpable (PR_SET_DUMPABLE 0: no core through a core_pattern pipe such
 * as systemd-coredump, no ptrace or /proc/PID/mem by the same user).
 * 0, or ERR_FAIL naming what could not be set. */
int harden_process(struct err *e);

#endif
