/* program: consent, enrollment and the minutes that count toward a
 * program (issue 16).  Each use case is one transaction, undone as one. */
#include <stdlib.h>
#include <string.h>

#include "caseload/config.h"
#include "caseload/date.h"
#include "caseload/program.h"
#include "caseload/rules.h"
#include "caseload/store.h"
#include "caseload/store_program.h"
#include "caseload/store_undo.h"
#include "caseload/text.h"
#include "caseload/util.h"

/* The programs in enum program's order (rules.h): the codes consent and
 * episode rows spell (migration 16's CHECK) and the names people read.
 * The one table: PROGRAM, program_name, program_title, program_find and
 * program_label all read it. */
static const char *const programs[PROG_N] = {"ccm", "pcm", "apcm", "tcm", "pin", "chi"};
static const char *const program_titles[PROG_N] = {"CCM", "PCM", "APCM", "TCM", "PIN", "CHI"};
static const char *const methods[] = {"verbal", "written", "unrecorded"};
static const char *const statuses[] = {"planned", "active", "onhold", "finished", "cancelled"};
/* Whose minutes: time_log.role, in enum performer's order (rules.h). */
static const char *const roles[PERF_N] = {"staff", "practitioner", "navigator"};
#define N(a) (int)(sizeof(a) / sizeof(a)[0])
enum { EPISODE_ONHOLD = 2, EPISODE_FINISHED = 3, EPISODE_CANCELLED = 4 };   /* in statuses[] */
const struct codeset PROGRAM = {"program", programs, PROG_N};
const struct codeset CONSENT_METHOD = {"method", methods, N(methods)};
const struct codeset EPISODE_STATUS = {"status", statuses, N(statuses)};
const struct codeset TIME_ROLE = {"role", roles, PERF_N};

const char *performer_name(enum performer p)
{
	return p >= 0 && p < PERF_N ? roles[p] : "";
}

int performer_find(const char *name)
{
	return name ? code_find(&TIME_ROLE, name) : -1;
}

const char *program_name(enum program p)
{
	return p >= 0 && p < PROG_N ? programs[p] : "?";
}

const char *program_title(enum program p)
{
	return p >= 0 && p < PROG_N ? program_titles[p] : "?";
}

int program_find(const char *name)
{
	return name ? code_find(&PROGRAM, name) : -1;
}

const char *program_label(const char *program)
{
	return program_title((enum program)program_find(program));
}

bool episode_open(const char *status)
{
	int i = code_find(&EPISODE_STATUS, status);
	return i >= 0 && i <= EPISODE_ONHOLD;   /* planned, active, onhold */
}

const char *episode_status_on(const struct episode *ep, int today)
{
	int last;
	if (episode_open(ep->status) && ep->ended && date_parse_iso(ep->ended, &last) == 0 &&
	    last < today)
		return statuses[EPISODE_FINISHED];
	return ep->status;
}

bool episode_open_on(const struct episode *ep, int today)
{
	return episode_open(episode_status_on(ep, today));
}

void consent_clear(struct consent *c)
{
	str_free(c->program);
	str_free(c->method);
	str_free(c->given);
	str_free(c->captured_by);
	str_free(c->withdrawn);
	str_free(c->note);
	memset(c, 0, sizeof *c);
}

void episode_clear(struct episode *ep)
{
	str_free(ep->program);
	str_free(ep->status);
	str_free(ep->started);
	str_free(ep->ended);
	str_free(ep->practitioner);
	str_free(ep->face_to_face);
	str_free(ep->med_rec);
	str_free(ep->complexity);
	memset(ep, 0, sizeof *ep);
}

void consent_list_free(struct consent_list *l)
{
	for (size_t i = 0; i < l->len; i++)
		consent_clear(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof *l);
}

void episode_list_free(struct episode_list *l)
{
	for (size_t i = 0; i < l->len; i++)
		episode_clear(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof *l);
}

/* A day as YYYY-MM-DD, named in the message when it is not one. */
static int check_day(const char *day, const char *what, struct err *e)
{
	int d;
	char back[DATE_STRLEN];
	if (!day || date_parse_iso(day, &d) < 0 || !date_in_range(d) ||
	    strcmp(date_format(d, back), day) != 0)
		return err_set(e, ERR_USAGE, "%s %s is not a date (YYYY-MM-DD)", what,
		               TEXT_ARG(day ? day : ""));
	return 0;
}

static int check_program(const char *program, struct err *e)
{
	if (!program || code_find(&PROGRAM, program) < 0)
		return err_set(e, ERR_USAGE, "program %s is not one of %s", TEXT_ARG(program ? program : ""),
		               code_list(&PROGRAM));
	return 0;
}

int program_consent_add(struct store *s, struct consent *c, struct change *ch, struct err *e)
{
	const struct text_field f[] = {{"note", c->note, true}, {"captured by", c->captured_by, false}};
	long long in_force;
	if (check_program(c->program, e) < 0 || check_day(c->given, "the consent's day", e) < 0 ||
	    text_check_fields(f, sizeof f / sizeof f[0], e) < 0)
		return e->code;
	if (!c->method || code_find(&CONSENT_METHOD, c->method) < 0)
		return err_set(e, ERR_USAGE, "consent method %s is not one of verbal, written",
		               TEXT_ARG(c->method ? c->method : ""));
	if (c->withdrawn)
		return err_set(e, ERR_USAGE, "a new consent is not withdrawn (consent withdraw)");
	if (store_begin(s, e) < 0)
		return e->code;
	store_undo_what(s, c->patient_id, "consent to %s for patient %lld",
	                program_label(c->program), c->patient_id);
	if (store_patient_exists(s, c->patient_id, e) < 0 ||
	    store_consent_in_force(s, c->patient_id, c->program, c->given, &in_force, e) < 0)
		goto fail;
	if (in_force) {
		err_set(e, ERR_CONFLICT, "patient %lld has consent %lld to %s in force on %s already",
		        c->patient_id, in_force, program_label(c->program), c->given);
		goto fail;
	}
	if (store_consent_add(s, c, e) < 0)
		goto fail;
	if (store_commit(s, e) < 0)
		return e->code;
	return change_record(ch, CHANGE_PATIENT, c->patient_id, c->id);
fail:
	store_rollback(s);
	return e->code;
}

/* End the patient's open episodes of a program on day (finished). */
static int end_open(struct store *s, long long patient_id, const char *program, const char *day,
                    int *ended, struct err *e)
{
	struct episode_list open = {0};
	int rc = store_episode_open(s, patient_id, program, &open, e);
	for (size_t i = 0; rc == 0 && i < open.len; i++) {
		struct episode *ep = &open.items[i];
		const char *end = strcmp(day, ep->started) < 0 ? ep->started : day;
		str_set(&ep->status, "finished");
		str_set(&ep->ended, end);
		if ((rc = store_episode_update(s, ep, e)) == 0 && ended)
			(*ended)++;
	}
	episode_list_free(&open);
	return rc;
}

int program_consent_withdraw(struct store *s, long long id, const char *day, long long version,
                             int *ended, struct change *ch, struct err *e)
{
	struct consent c = {0};
	if (ended)
		*ended = 0;
	if (check_day(day, "the withdrawal's day", e) < 0)
		return e->code;
	if (store_begin(s, e) < 0)
		return e->code;
	store_undo_what(s, 0, "withdrew consent %lld", id);
	if (store_consent_get(s, id, &c, e) < 0)
		goto fail;
	store_undo_what(s, c.patient_id, "withdrew consent %lld", id);
	if (c.withdrawn) {
		err_set(e, ERR_USAGE, "consent %lld was withdrawn on %s already", id, c.withdrawn);
		goto fail;
	}
	if (strcmp(day, c.given) < 0) {
		err_set(e, ERR_USAGE, "consent %lld was given on %s: it cannot be withdrawn before (%s)",
		        id, c.given, day);
		goto fail;
	}
	if (version)   /* the one the caller read: the update checks it */
		c.version = version;
	str_set(&c.withdrawn, day);
	if (store_consent_update(s, &c, e) < 0 ||
	    end_open(s, c.patient_id, c.program, day, ended, e) < 0)
		goto fail;
	if (store_commit(s, e) < 0) {
		consent_clear(&c);
		return e->code;
	}
	change_record(ch, CHANGE_PATIENT | CHANGE_TIME, c.patient_id, id);
	consent_clear(&c);
	return 0;
fail:
	consent_clear(&c);
	store_rollback(s);
	return e->code;
}

int program_enroll(struct store *s, struct episode *ep, struct change *ch, struct err *e)
{
	const struct text_field f[] = {{"practitioner", ep->practitioner, false}};
	struct episode_list open = {0};
	if (check_program(ep->program, e) < 0 || check_day(ep->started, "the first day", e) < 0 ||
	    text_check_fields(f, 1, e) < 0)
		return e->code;
	if (!strcmp(ep->program, "tcm"))
		return err_set(e, ERR_USAGE, "patient %lld: a discharge opens transitional care (TCM), "
		               "not an enrollment", ep->patient_id);
	if (ep->status && (!episode_open(ep->status)))
		return err_set(e, ERR_USAGE, "a new enrollment's status %s is not one of planned, "
		               "active, onhold", TEXT_ARG(ep->status));
	if (store_begin(s, e) < 0)
		return e->code;
	store_undo_what(s, ep->patient_id, "enrolled patient %lld in %s", ep->patient_id,
	                program_label(ep->program));
	if (store_patient_exists(s, ep->patient_id, e) < 0 ||
	    store_consent_in_force(s, ep->patient_id, ep->program, ep->started, &ep->consent_id, e) < 0 ||
	    store_episode_open(s, ep->patient_id, ep->program, &open, e) < 0)
		goto fail;
	if (!ep->consent_id) {
		err_set(e, ERR_USAGE, "no consent to %s on file for patient %lld on %s "
		        "(consent add first)", program_label(ep->program), ep->patient_id, ep->started);
		goto fail;
	}
	if (open.len) {
		err_set(e, ERR_CONFLICT, "patient %lld is enrolled in %s already (episode %lld, "
		        "from %s)", ep->patient_id, program_label(ep->program), open.items[0].id,
		        open.items[0].started);
		goto fail;
	}
	if (store_episode_add(s, ep, e) < 0)
		goto fail;
	episode_list_free(&open);
	if (store_commit(s, e) < 0)
		return e->code;
	return change_record(ch, CHANGE_PATIENT, ep->patient_id, ep->id);
fail:
	episode_list_free(&open);
	store_rollback(s);
	return e->code;
}

int program_end(struct store *s, long long id, const char *status, const char *day,
                long long version, struct change *ch, struct err *e)
{
	struct episode ep = {0};
	if (!status)
		status = "finished";
	int how = code_find(&EPISODE_STATUS, status);
	if (how != EPISODE_FINISHED && how != EPISODE_CANCELLED)
		return err_set(e, ERR_USAGE, "an enrollment ends finished or cancelled, not %s",
		               TEXT_ARG(status));
	if (check_day(day, "the last day", e) < 0 || store_begin(s, e) < 0)
		return e->code;
	store_undo_what(s, 0, "ended program episode %lld", id);
	if (store_episode_get(s, id, &ep, e) < 0)
		goto fail;
	store_undo_what(s, ep.patient_id, "ended program episode %lld", id);
	if (!episode_open(ep.status)) {
		err_set(e, ERR_USAGE, "program episode %lld is %s already", id, ep.status);
		goto fail;
	}
	if (strcmp(day, ep.started) < 0) {
		err_set(e, ERR_USAGE, "program episode %lld began on %s: it cannot end before (%s)",
		        id, ep.started, day);
		goto fail;
	}
	if (version)
		ep.version = version;
	str_set(&ep.status, status);
	str_set(&ep.ended, day);
	if (store_episode_update(s, &ep, e) < 0)
		goto fail;
	if (store_commit(s, e) < 0) {
		episode_clear(&ep);
		return e->code;
	}
	change_record(ch, CHANGE_PATIENT | CHANGE_TIME, ep.patient_id, id);
	episode_clear(&ep);
	return 0;
fail:
	episode_clear(&ep);
	store_rollback(s);
	return e->code;
}

int program_list(struct store *s, long long patient_id, const char *program, const char *from,
                 const char *to, int today, struct episode_list *out, struct err *e)
{
	if (program && check_program(program, e) < 0)
		return e->code;
	size_t start = out->len, keep = start;
	if (store_episode_list(s, patient_id, program, from, to, out, e) < 0)
		return e->code;
	for (size_t i = start; i < out->len; i++) {
		struct episode *ep = &out->items[i];
		const char *status = episode_status_on(ep, today);
		if (status != ep->status)
			str_set(&ep->status, status);
		if (patient_id || episode_open(ep->status))
			out->items[keep++] = *ep;   /* everyone's: the open ones */
		else
			episode_clear(ep);
	}
	out->len = keep;
	return 0;
}

int program_consents(struct store *s, long long patient_id, struct consent_list *out,
                     struct err *e)
{
	return store_consent_list(s, patient_id, out, e);
}

/* The first consent to an open episode's program given after `day`
 * (c->given NULL: none): minutes before it do not count. */
static int consent_after(struct store *s, long long patient_id, const struct episode_list *open,
                         const char *day, struct consent *c, struct err *e)
{
	struct consent_list l = {0};
	if (store_consent_list(s, patient_id, &l, e) < 0) {
		consent_list_free(&l);
		return e->code;
	}
	size_t pick = l.len;
	for (size_t i = 0; i < l.len; i++) {
		const struct consent *x = &l.items[i];
		bool ours = false;
		for (size_t j = 0; j < open->len && !ours; j++)
			ours = str_eq(open->items[j].program, x->program);
		if (ours && strcmp(x->given, day) > 0 &&
		    (pick == l.len || strcmp(x->given, l.items[pick].given) < 0))
			pick = i;
	}
	if (pick < l.len) {
		*c = l.items[pick];
		l.items[pick] = (struct consent){0};
	}
	consent_list_free(&l);
	return 0;
}

int program_episode_for_time(struct store *s, long long patient_id, const char *program,
                             const char *day, long long *episode_id, struct err *e)
{
	struct episode_list open = {0};
	long long consent = 0;
	size_t pick = 0, n = 0;
	*episode_id = 0;
	if (program && check_program(program, e) < 0)
		return e->code;
	int rc = store_episode_open(s, patient_id, program, &open, e);
	/* an episode counts when its consent is in force on the day and it had begun */
	for (size_t i = 0; rc == 0 && i < open.len; i++) {
		const struct episode *ep = &open.items[i];
		bool tcm = !strcmp(ep->program, "tcm");
		/* a discharge's TCM episode is untimed: minutes go to it only
		 * when named, so that a CCM patient just discharged still logs
		 * to CCM without saying so */
		if (strcmp(ep->started, day) > 0 || (ep->ended && strcmp(ep->ended, day) < 0) ||
		    (tcm && !program))
			continue;
		if ((rc = store_consent_in_force(s, patient_id, ep->program, day, &consent, e)) < 0)
			break;
		if (consent || tcm)
			pick = i, n++;
	}
	struct consent later = {0};
	if (rc == 0 && n == 0)
		rc = consent_after(s, patient_id, &open, day, &later, e);
	if (rc == 0 && later.given)
		rc = err_set(e, program ? ERR_USAGE : ERR_NOTFOUND,
		             "patient %lld's consent to %s was given on %s: minutes on %s, "
		             "before it, do not count", patient_id, program_label(later.program),
		             later.given, day);
	else if (rc == 0 && n == 1)
		*episode_id = open.items[pick].id;
	else if (rc == 0 && n > 1)
		rc = err_set(e, ERR_USAGE, "patient %lld is enrolled in more than one program on %s: "
		             "name the program the minutes count toward (the form's Program, "
		             "--program)", patient_id, day);
	else if (rc == 0 && program)
		rc = err_set(e, ERR_USAGE, "patient %lld is not enrolled in %s with consent on %s: "
		             "minutes count only toward a program the patient is enrolled in and "
		             "consented to", patient_id, program_label(program), day);
	else if (rc == 0)
		rc = err_set(e, ERR_NOTFOUND, "patient %lld is not enrolled in a program with consent on "
		             "%s: minutes count only toward a program the patient is enrolled in and "
		             "consented to (caseload program enroll)", patient_id, day);
	consent_clear(&later);
	episode_list_free(&open);
	return rc;
}

/* The month's minutes a program's first code needs, from the billing rules
 * in force on the month's first day (data/rules/YEAR.yaml, the one
 * source of the thresholds): the lowest threshold among the program's
 * base codes counted from staff or navigator minutes (CCM 99490: 20, PCM
 * 99426: 30, PIN G0023 and CHI G0019: 60); 0 for an untimed program
 * (APCM, TCM).  No rules file for that day: the config's
 * review.ccm_minutes for CCM, none for the others. */
int program_threshold(const struct config *cfg, const char *program, const char *month)
{
	int day, p = program_find(program);
	const struct rules *r = NULL;
	struct err e = {0};
	if (date_parse_iso(month, &day) < 0 || rules_for_day(day, &r, &e) < 0 || !r)
		return p == PROG_CCM ? cfg->review.ccm_minutes : 0;
	int least = 0;
	for (size_t i = 0; i < r->n_codes; i++) {
		const struct rule_code *c = &r->codes[i];
		if ((int)c->program == p && !c->addon_to && c->minutes > 0 &&
		    c->performer != PERF_PRACTITIONER && (!least || c->minutes < least))
			least = c->minutes;
	}
	return least;
}
