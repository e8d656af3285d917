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
struct attest {                    /* apcm.attest: a practice-scope APCM element */
	char *id;                      /* as the rules file names it ("access") */
	int line, col;                 /* where: services check it against the rules */
};
struct color_setting {             /* colors: element -> "fg" or "fg/bg" */
	char *element, *value;
	int line, col;
};

/* Where a setting's value came from (`caseload config` shows it). */
enum config_source { CFG_DEFAULT, CFG_FILE, CFG_ENV, CFG_OPTION, CFG_SYSTEM };

/* The longest idle lock a config file may ask for, fixed when caseload is
 * built (make IDLE_LOCK_MAX=15): whoever installs it decides, not each
 * user's config file.  The lock cannot be turned off. */
#ifndef CASELOAD_IDLE_LOCK_MAX
#define CASELOAD_IDLE_LOCK_MAX 60
#endif
enum { IDLE_LOCK_MAX_MINUTES = CASELOAD_IDLE_LOCK_MAX };

struct config {
	char *path;                    /* the file read, or NULL */
	char *coordinator;             /* display name; NULL: login name */
	char *phone;                   /* the number patients call (the handout's); NULL: none */
	char *database;                /* database: a file or a PostgreSQL connection; NULL: none */
	char *timezone;                /* IANA zone; NULL: tz_default() */
	int idle_lock_minutes;         /* 1 to IDLE_LOCK_MAX_MINUTES; default 5 */
	int import_max_component_kb;   /* an imported event larger is skipped: 1024 */
	struct holidays holidays;
	struct review_cfg review;
	struct binding *bindings;
	int n_bindings;
	struct color_setting *colors;
	int n_colors;
	struct attest *attest;         /* the practice's APCM elements, attested */
	int n_attest;
	unsigned long long from_file;  /* the keys the file set: one bit each */
};

/* One effective setting: key as the file spells it ("review.confirm_days",
 * "keys.note"), value as text, its source, and where exactly: the file's
 * path, the variable's name, the system file; NULL for a default. */
struct config_setting {
	char *key, *value;
	enum config_source source;
	const char *origin;
};
struct config_settings {
	struct config_setting *items;
	size_t len, cap;
};

/* Defaults alone. */
void config_defaults(struct config *c);
/* Defaults, then `path` if given, else the default file if it exists. */
int config_load(struct config *c, const char *path, struct err *e);
/* $XDG_CONFIG_HOME/caseload (or ~/.config/caseload), caller frees. */
char *config_dir(void);
/* Whether a database location (--db, CASELOAD_DB, database:) names a
 * PostgreSQL server's database (a postgresql:// or postgres:// URI, or a
 * libpq conninfo: a keyword and its '=', "host=... dbname=...") rather
 * than an SQLite file.  The one test every layer uses. */
bool config_db_is_server(const char *where);
/* The zone to show times in. */
const char *config_zone(const struct config *c);
/* Where that zone came from: the file, CASELOAD_TZ (CFG_ENV), the
 * system (TZ, /etc/localtime, /etc/timezone) or the default, UTC;
 * *origin as in struct config_setting. */
enum config_source config_zone_source(const struct config *c, const char **origin);
/* The coordinator chose the zone (the file or CASELOAD_TZ), rather than
 * caseload taking the system's. */
bool config_zone_chosen(const struct config *c);
/* Every setting the file knows, in the file's order, with its value now
 * and its source; `user` is the coordinator's name when none is set. */
void config_settings(const struct config *c, const char *user, struct config_settings *out);
void config_settings_add(struct config_settings *l, const char *key, const char *value,
                         enum config_source source, const char *origin);
void config_settings_free(struct config_settings *l);
/* "default", "file", "environment", "option", "system". */
const char *config_source_name(enum config_source s);
void config_free(struct config *c);

#endif
