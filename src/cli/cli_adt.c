/* cli_adt: `import adt` (HL7 v2 ADT messages) and the list of messages
 * waiting for their patient (`adt list`, `adt match`, `adt drop`). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/adt.h"
#include "caseload/cli.h"
#include "caseload/hl7.h"
#include "caseload/store.h"
#include "caseload/store_adt.h"
#include "caseload/text.h"

static void write_ack(void *ctx, const char *text, size_t len)
{
	fwrite(text, 1, len, ((struct app *)ctx)->out);
}

static void say_refused(void *ctx, const char *why)
{
	struct app *app = ctx;
	char *clean = text_sanitize(why);
	fprintf(stderr, "%s: %s: %s\n", app->prog, app->cmd, clean);
	free(clean);
}

/* --dry-run --format F: each value as read, with its place. */
static const struct column leaf_cols[] = {
	{"message", "Msg", true, true}, {"segment", "Seg", false, true},
	{"seq", "#", true, true}, {"field", "Field", true, true}, {"rep", "Rep", true, true},
	{"comp", "Comp", true, true}, {"sub", "Sub", true, true}, {"value", "Value", false, true},
};

struct dump {
	struct table t;
	long ordinal;
};

static int dump_leaf(void *ctx, const char *seg, int seq, int field, int rep, int comp, int sub,
                     const char *value)
{
	struct dump *d = ctx;
	char n[6][24];
	snprintf(n[0], sizeof n[0], "%ld", d->ordinal);
	snprintf(n[1], sizeof n[1], "%d", seq);
	snprintf(n[2], sizeof n[2], "%d", field);
	snprintf(n[3], sizeof n[3], "%d", rep);
	snprintf(n[4], sizeof n[4], "%d", comp);
	snprintf(n[5], sizeof n[5], "%d", sub);
	table_row(&d->t, n[0], seg, n[1], n[2], n[3], n[4], n[5], value);
	return 0;
}

static int dump_fields(struct app *app, FILE *f, enum fmt fmt)
{
	struct dump d = {TABLE_OF(leaf_cols), 0};
	struct hl7_reader r;
	struct hl7_msg m = {0};
	long refused = 0, messages = 0;
	int rc;
	table_stream(&d.t, fmt, app->out);
	hl7_reader_init(&r, f);
	while ((rc = hl7_next(&r, &m, &app->err)) != 0 && rc != ERR_FAIL) {
		messages++;
		if (rc < 0) {
			refused++;
			char *why = xasprintf("message %ld: %s", m.ordinal, app->err.msg);
			say_refused(app, why);
			free(why);
			continue;
		}
		d.ordinal = m.ordinal;
		hl7_each(&m, dump_leaf, &d);
	}
	hl7_msg_free(&m);
	hl7_reader_free(&r);
	if (rc == ERR_FAIL) {
		table_free(&d.t);
		return ERR_FAIL;
	}
	table_print(&d.t, fmt, app->out);
	table_free(&d.t);
	err_clear(&app->err);
	if (refused)
		return err_set(&app->err, ERR_FAIL, "%ld of %ld message%s refused", refused, messages,
		               messages == 1 ? "" : "s");
	return 0;
}

int cmd_import_adt(struct app *app, int argc, char **argv)
{
	const char *format = NULL, *pos[1];
	bool ack = false, dry_run = false;
	const struct opt opts[] = {{"ack", NULL, &ack}, {"dry-run", NULL, &dry_run},
	                           {"format", &format, NULL}, {0}};
	enum fmt fmt = FMT_TABLE;
	int np, rc;
	if ((rc = cli_opts(app, argc, argv, opts, pos, 1, &np)) < 0 ||
	    (format && (rc = cli_format(app, format, &fmt)) < 0))
		return rc;
	if (np != 1)
		return app_usage(app, "which file? (import adt FILE, or - for standard input)");
	if (format && (!dry_run || ack))
		return app_usage(app, "--format goes with --dry-run (the values as read), without "
		                      "--ack");
	bool std_in = !strcmp(pos[0], "-");
	FILE *f = std_in ? stdin : fopen(pos[0], "rb");
	if (!f)
		return err_set_at(&app->err, ERR_FAIL, pos[0], 0, 0, "cannot open: %s",
		                  strerror(errno));
	if (format) {
		rc = dump_fields(app, f, fmt);
		if (!std_in)
			fclose(f);
		return rc;
	}
	if (!app_store(app)) {
		if (!std_in)
			fclose(f);
		return ERR_FAIL;
	}
	struct adt_opts o = {.zone = app->zone, .now = app->now, .dry_run = dry_run,
	                     .ack = ack ? write_ack : NULL, .refused = say_refused, .ctx = app};
	struct adt_summary sum;
	rc = adt_import_stream(app->store, f, &o, &sum, NULL, &app->err);
	if (!std_in)
		fclose(f);
	if (rc < 0)
		return rc;
	char line[160];
	adt_summary_format(&sum, dry_run, line, sizeof line);
	fprintf(ack ? stderr : app->out, "%s\n", line);
	if (sum.refused)
		return err_set(&app->err, ERR_FAIL, "%lld of %lld message%s refused", sum.refused,
		               sum.messages, sum.messages == 1 ? "" : "s");
	return 0;
}

static const struct column adt_cols[] = {
	{"id", "ID", true, true}, {"received", "Received", false, true},
	{"type", "Type", false, true}, {"control_id", "Control id", false, true},
	{"state", "State", false, true}, {"patient_id", "Patient", true, true},
	{"mrn", "MRN", false, true}, {"dob", "Born", false, true},
	{"entry_id", "Entry", true, false},
};

int cmd_adt_list(struct app *app, int argc, char **argv)
{
	const char *format = NULL;
	bool unmatched = false;
	const struct opt opts[] = {{"unmatched", NULL, &unmatched}, {"format", &format, NULL},
	                           {0}};
	enum fmt f = FMT_TABLE;
	int rc;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (rc = cli_format(app, format, &f)) < 0)
		return rc;
	if (!app_store(app))
		return ERR_FAIL;
	struct adt_message_list l = {0};
	if (store_adt_list(app->store, unmatched, &l, &app->err) < 0) {
		adt_message_list_free(&l);
		return ERR_FAIL;
	}
	struct table t = TABLE_OF(adt_cols);
	for (size_t i = 0; i < l.len; i++) {
		const struct adt_message *m = &l.items[i];
		char id[24], at[64], pid[24], eid[24];
		table_row(&t, fmt_int(m->id, id, sizeof id),
		          fmt_instant(app, m->received, false, f, at, sizeof at), m->type,
		          m->control_id, m->state, fmt_int(m->patient_id, pid, sizeof pid), m->mrn,
		          m->dob, fmt_int(m->entry_id, eid, sizeof eid));
	}
	table_print(&t, f, app->out);
	table_free(&t);
	adt_message_list_free(&l);
	return 0;
}

int cmd_adt_match(struct app *app, int argc, char **argv)
{
	const char *patient = NULL;
	const struct opt opts[] = {{"patient", &patient, NULL}, {0}};
	long long id, pid, entry_id;
	int rc;
	if ((rc = cli_one_id(app, argc, argv, opts, "message", &id)) < 0 ||
	    (rc = cli_need(app, patient, "patient")) < 0 ||
	    (rc = cli_id(app, patient, "patient", &pid)) < 0)
		return rc;
	if (!app_store(app) ||
	    adt_match(app->store, id, pid, app->zone, &entry_id, NULL, &app->err) < 0)
		return ERR_FAIL;
	if (entry_id)
		fprintf(app->out, "%lld\n", entry_id);
	return 0;
}

int cmd_adt_drop(struct app *app, int argc, char **argv)
{
	const struct opt opts[] = {{0}};
	long long id;
	int rc = cli_one_id(app, argc, argv, opts, "message", &id);
	if (rc < 0)
		return rc;
	if (!app_store(app) || adt_drop(app->store, id, NULL, &app->err) < 0)
		return ERR_FAIL;
	return 0;
}
