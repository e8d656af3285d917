/* config: the coordinator's settings from $XDG_CONFIG_HOME/caseload/
 * config.yaml (YAML).  A missing file means the defaults; a broken one is
 * an error naming the line and column. */
#ifndef CASELOAD_CONFIG_H
#define CASELOAD_CONFIG_H
#include <stdbool.h>
#include "caseload/date.h"
#include "caseload/err.h"

struct review_cfg {                /* thresholds of the daily review */
	int transport_days;            /* appointment needing transport: 3 */
	int confirm_days;              /* booked, not confirmed: 2 */
	int refill_days;               /* refill due within: 5 */
	int tcm_contact_bdays;         /* contact after discharge: 2 business days */
	int tcm_visit_days_high;       /* follow-up visit, high risk: 7 */
	int tcm_visit_days_other;      /* follow-up visit, others: 14 */
	int cadence_high, cadence_medium, cadence_low;   /* 7, 14, 30 */
	int ccm_minutes;               /* per calendar month: 20 */
	int ccm_days_left;             /* warn with this many days left: 7 */
	int noshow_days;               /* look back for missed visits: 7 */
};

struct binding {                   /* keys: in the file, checked by the TUI */
	char *action, *key;
	int line, col;
};
struct color_setting {             /* colors: element -> "fg" or "fg/bg" */
	char *element, *value;
	int line, col;
};

struct config {
	char *path;                    /* the file read, or NULL */
	char *coordinator;             /* display name; NULL: login name */
	char *timezone;                /* IANA zone; NULL: tz_default() */
	int idle_lock_minutes;         /* 0: never; default 5 */
	int import_max_component_kb;   /* an imported event larger is skipped: 1024 */
	struct holidays holidays;
	struct review_cfg review;
	struct binding *bindings;
	int n_bindings;
	struct color_setting *colors;
	int n_colors;
};

/* Defaults alone. */
void config_defaults(struct config *c);
/* Defaults, then `path` if given, else the default file if it exists. */
int config_load(struct config *c, const char *path, struct err *e);
/* $XDG_CONFIG_HOME/caseload (or ~/.config/caseload), caller frees. */
char *config_dir(void);
/* The zone to show times in. */
const char *config_zone(const struct config *c);
void config_free(struct config *c);

#endif
