/* demo: the synthetic caseload.  A small seeded generator (splitmix64)
 * picks from fixed lists, so a seed always gives the same caseload. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/date.h"
#include "caseload/demo.h"
#include "caseload/model.h"
#include "caseload/store.h"
#include "caseload/store_program.h"
#include "caseload/tz.h"
#include "caseload/util.h"
#include "caseload/zone.h"

struct rng {
	unsigned long long s;
};

static unsigned long long next(struct rng *r)
{
	unsigned long long z = (r->s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static int pick(struct rng *r, int n)
{
	return (int)(next(r) % (unsigned long long)n);
}

static bool chance(struct rng *r, int percent)
{
	return pick(r, 100) < percent;
}

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* The first names are always used, so that every demo shows accents,
 * CJK and Vietnamese diacritics. */
static const char *const fixed[][3] = {
	{"Núñez", "José", "Spanish"}, {"Ødegaard", "Zoë", "Norwegian"},
	{"王", "伟", "Mandarin"}, {"Nguyễn", "Thị Hoa", "Vietnamese"},
};
static const char *const families[] = {
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
	"Rodriguez", "Martinez", "Hernández", "Lopez", "Gonzalez", "Wilson", "Anderson",
	"Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Pérez", "Thompson",
	"White", "Harris", "Sánchez", "Clark", "Ramírez", "Lewis", "Robinson", "Walker",
	"Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
	"Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell",
	"Carter", "Roberts", "Kowalski", "O'Brien", "Chen", "Kim", "Patel", "Okafor",
	"Müller", "Søren", "Dubois", "Yamamoto", "Ivanova", "Haddad", "Björk", "Cohen",
};
static const char *const givens[] = {
	"Margaret", "Wei", "Robert", "Maria", "James", "Linda", "Michael", "Dorothy",
	"William", "Patricia", "David", "Barbara", "Richard", "Elizabeth", "Joseph",
	"Susan", "Thomas", "Jessica", "Charles", "Sarah", "Ana", "Luis", "Fatima",
	"Ahmed", "Mei", "Hiroshi", "Olga", "Chinedu", "Priya", "Renée", "François",
	"Ingrid", "Siobhán", "Mateo", "Aaliyah", "Dmitri", "Grace", "Samuel", "Rosa",
};
static const char *const languages[] = {"English", "English", "English", "English",
                                        "Spanish", "Spanish", "Mandarin", "Vietnamese",
                                        "Russian", "Arabic", "Haitian Creole", "Polish"};
static const char *const conditions[] = {
	"COPD", "Heart failure", "Type 2 diabetes", "Chronic kidney disease, stage 3",
	"Hypertension", "Depression", "Atrial fibrillation", "Asthma",
};
static const struct {
	const char *name, *dose;
} meds[] = {
	{"Metformin", "500 mg twice daily"}, {"Lisinopril", "10 mg daily"},
	{"Furosemide", "40 mg daily"}, {"Carvedilol", "6.25 mg twice daily"},
	{"Tiotropium inhaler", "18 mcg daily"}, {"Albuterol inhaler", "2 puffs as needed"},
	{"Sertraline", "50 mg daily"}, {"Atorvastatin", "40 mg nightly"},
	{"Apixaban", "5 mg twice daily"}, {"Insulin glargine", "20 units nightly"},
	{"Amlodipine", "5 mg daily"}, {"Spironolactone", "25 mg daily"},
};
/* The clinics have street addresses, and the specialists (whose
 * organizations name the specialty) a public label: what a minimal export
 * gives as the place. */
static const struct {
	const char *name, *kind, *org, *phone, *address, *label;
} shared_contacts[] = {
	{"Dr. Alicia Moreno", "primary-care", "Riverside Family Medicine", "555-0101",
	 "410 Oak Avenue", NULL},
	{"Dr. Samuel Okoye", "primary-care", "Eastside Community Health", "555-0102",
	 "88 Dunmore Road", NULL},
	{"Dr. Hannah Berg", "specialist", "Lakeview Cardiology", "555-0141",
	 "1200 Shoreline Drive, Suite 300", "Lakeview Clinic"},
	{"Dr. Rajesh Iyer", "specialist", "Lakeview Pulmonology", "555-0142",
	 "1200 Shoreline Drive, Suite 410", "Lakeview Clinic"},
	{"Dr. Lucía Fernández", "specialist", "Metro Endocrinology", "555-0143",
	 "55 Commerce Street", "Metro Medical Offices"},
	{"Dr. Kwame Mensah", "specialist", "Metro Nephrology", "555-0144",
	 "55 Commerce Street, 2nd floor", "Metro Medical Offices"},
	{"Corner Pharmacy", "pharmacy", "Corner Pharmacy", "555-0161", NULL, NULL},
	{"Main Street Drugs", "pharmacy", "Main Street Drugs", "555-0162", NULL, NULL},
	{"Ride Assist", "transport", "County Paratransit", "555-0181", NULL, NULL},
	{"Meals on Wheels", "community", "Meals on Wheels of the Valley", "555-0191", NULL, NULL},
	{"Terry Walsh, LCSW", "social-worker", "St. Mary's Hospital", "555-0121", NULL, NULL},
};
enum { PCP0 = 0, SPEC0 = 2, NSPEC = 4, PHARM0 = 6, TRANSPORT_C = 8, MEALS = 9, SW = 10 };
static const char *const spec_titles[] = {"Cardiology follow-up", "Pulmonology visit",
                                          "Endocrinology visit", "Nephrology visit"};
static const char *const facilities[] = {"St. Mary's Hospital", "County General Hospital",
                                         "Lakeview Medical Center"};
static const struct {
	const char *title, *kind, *priority;
} task_kinds[] = {
	{"Call after discharge", "call", "urgent"},
	{"Confirm transport", "transport", "routine"},
	{"Request refill", "refill", "routine"},
	{"Send referral to cardiology", "referral", "routine"},
	{"Prior authorization for CPAP", "preauth", "urgent"},
	{"Follow up on lab results", "followup", "routine"},
	{"Review inhaler technique", "education", "routine"},
	{"Check in on home scale readings", "call", "routine"},
	{"Schedule eye exam", "followup", "routine"},
	{"Arrange home health evaluation", "referral", "asap"},
};
static const char *const note_texts[] = {
	"Discussed low-salt diet; patient keeps a daily weight log.",
	"Daughter will drive to the next visit.",
	"Blood sugars in range this week per patient.",
	"Patient reports more shortness of breath on stairs; told PCP.",
	"Reviewed medication list; no changes.",
	"Patient asked for large-print appointment reminders.",
};

struct gen {
	struct store *s;
	struct rng r;
	const struct demo_opts *o;
	struct demo_counts *n;
	long long contacts[N(shared_contacts)];
	long long episode;         /* the patient's CCM episode (0: none) */
	int in_ccm;                /* patients in CCM so far */
	struct err *e;
};

static char *day_text(int d, char *buf)
{
	return date_format(d, buf);
}

/* A local time on a day in the coordinator's zone. */
static long long at(struct gen *g, int day, int minutes)
{
	long long t;
	struct err e;
	if (tz_local_to_utc(g->o->zone, day, minutes, &t, &e) < 0)
		t = date_utc_midnight(day) + minutes * 60LL;
	return t;
}

static int add_appt(struct gen *g, long long pid, int day, int minutes, int dur,
                    const char *title, const char *location, long long provider,
                    const char *status, const char *transport, int booked_ago)
{
	struct appointment a = {0};
	/* clinics keep office hours: a weekend visit moves to the Monday,
	 * or (in the past) back to the Friday */
	int w = date_weekday(day);
	if (w == 6)
		day += day > g->o->today ? 2 : -1;
	else if (w == 0)
		day += day > g->o->today ? 1 : -2;
	a.patient_id = pid;
	a.uid = appointment_new_uid();
	a.title = title;
	a.location = location;
	a.provider_id = provider;
	a.start = at(g, day, minutes);
	a.end = a.start + dur * 60LL;
	a.tzid = g->o->zone;
	a.status = status;
	a.transport = transport;
	a.source = "demo";
	/* booked at 07:00, before any of the day's demo calls (9:00 on): the
	 * review does not depend on the hour the demo is made */
	a.booked_at = at(g, g->o->today - booked_ago, 7 * 60);
	int rc = store_appt_add(g->s, &a, g->e);
	str_free(a.uid);
	g->n->appointments += rc == 0;
	return rc;
}

static int add_task(struct gen *g, long long pid, int k, int due_in, bool done)
{
	const char *status = done ? "completed" : "requested";
	char buf[DATE_STRLEN];
	struct task t = {.patient_id = pid, .title = task_kinds[k].title,
	                 .kind = task_kinds[k].kind,
	                 .priority = task_kinds[k].priority, .status = status};
	t.due = day_text(g->o->today + due_in, buf);
	if (done)
		t.completed_at = g->o->now - DAY_SECONDS * (long long)pick(&g->r, 20);
	int rc = store_task_add(g->s, &t, g->e);
	g->n->tasks += rc == 0;
	return rc;
}

static int add_entry(struct gen *g, long long pid, const char *kind, const char *outcome,
                     long long when, int minutes, const char *facility, const char *text,
                     bool needs_review)
{
	struct entry en = {.patient_id = pid, .kind = kind, .outcome = outcome,
	                   .at = when, .minutes = minutes, .facility = facility,
	                   .text = text, .needs_review = needs_review};
	int rc = store_entry_add(g->s, &en, g->e);
	g->n->entries += rc == 0;
	if (rc == 0 && minutes > 0) {
		char buf[DATE_STRLEN];
		int d, m;
		tz_utc_to_local(g->o->zone, when, &d, &m, g->e);
		struct time_entry t = {.patient_id = pid, .day = day_text(d, buf), .minutes = minutes,
		                       .activity = kind, .episode_id = g->episode};
		/* minutes count only toward a program the patient is in */
		if (g->episode)
			rc = store_time_add(g->s, &t, g->e);
	}
	return rc;
}

static int one_patient(struct gen *g, int i)
{
	struct rng *r = &g->r;
	int today = g->o->today;
	char buf[DATE_STRLEN], mrn[32], phone[32], email[96];
	struct patient p = {0};
	const char *lang;
	if (i < N(fixed)) {
		p.family = fixed[i][0];
		p.given = fixed[i][1];
		lang = fixed[i][2];
	} else {
		p.family = families[pick(r, N(families))];
		p.given = givens[pick(r, N(givens))];
		lang = languages[pick(r, N(languages))];
	}
	p.language = lang;
	int y, m, d;
	date_to_ymd(today, &y, &m, &d);
	p.dob = day_text(date_from_ymd(y - 45 - pick(r, 45), 1 + pick(r, 12), 1 + pick(r, 28)), buf);
	snprintf(mrn, sizeof mrn, "MRN%07d", 1000 + i);
	snprintf(phone, sizeof phone, "555-%04d", 2000 + (i % 8000));
	snprintf(email, sizeof email, "patient%d@example.org", i + 1);
	p.mrn = mrn;
	p.phone = phone;
	p.email = email;
	int risk = pick(r, 10);
	p.risk = risk < 3 ? "high" : risk < 7 ? "medium" : "low";
	char consent[DATE_STRLEN];
	bool ccm = chance(r, 60);
	p.coordinator = NULL;
	int rc = store_patient_add(g->s, &p, g->e);
	if (rc < 0)
		return rc;
	long long pid = p.id;
	g->n->patients++;
	/* most are in chronic care management, with a consent on file */
	if (ccm) {
		struct consent c = {.patient_id = pid, .program = "ccm",
		                    .method = pid % 2 ? "verbal" : "written",
		                    .given = day_text(today - 30 - pick(r, 300), consent)};
		struct episode ep = {.patient_id = pid, .program = "ccm", .started = c.given};
		if ((rc = store_consent_add(g->s, &c, g->e)) < 0)
			return rc;
		ep.consent_id = c.id;
		if ((rc = store_episode_add(g->s, &ep, g->e)) < 0)
			return rc;
		g->episode = ep.id;
		/* now and then principal care management too, its consent
		 * not on file (an enrollment carried over from elsewhere):
		 * what the review's consent-missing finds */
		struct episode pcm = {.patient_id = pid, .program = "pcm", .started = c.given};
		if (++g->in_ccm % 25 == 3 && (rc = store_episode_add(g->s, &pcm, g->e)) < 0)
			return rc;
	} else {
		g->episode = 0;
	}

	/* conditions: one to three */
	int c0 = pick(r, N(conditions)), nc = 1 + pick(r, 3);
	for (int k = 0; k < nc; k++) {
		long long id;
		char onset[DATE_STRLEN];
		if ((rc = store_condition_add(g->s, pid, conditions[(c0 + k * 3) % N(conditions)],
		                              day_text(today - 200 - pick(r, 3000), onset), &id, g->e)) < 0)
			return rc;
	}
	/* care team: PCP, a specialist, a pharmacy, maybe transport and family */
	long long id;
	int pcp = PCP0 + pick(r, 2), spec = SPEC0 + pick(r, NSPEC), pharm = PHARM0 + pick(r, 2);
	if ((rc = store_team_add(g->s, pid, g->contacts[pcp], "primary care", &id, g->e)) < 0 ||
	    (rc = store_team_add(g->s, pid, g->contacts[spec], "specialist", &id, g->e)) < 0 ||
	    (rc = store_team_add(g->s, pid, g->contacts[pharm], "pharmacy", &id, g->e)) < 0)
		return rc;
	bool needs_ride = chance(r, 35);
	if (needs_ride &&
	    (rc = store_team_add(g->s, pid, g->contacts[TRANSPORT_C], "transport", &id, g->e)) < 0)
		return rc;
	if (chance(r, 50)) {
		char name[128], ph[32];
		struct contact fam = {0};
		snprintf(name, sizeof name, "%s %s", givens[pick(r, N(givens))], p.family);
		snprintf(ph, sizeof ph, "555-%04d", 5000 + pick(r, 4000));
		fam.name = name;
		fam.kind = "family";
		fam.phone = ph;
		if ((rc = store_contact_add(g->s, &fam, g->e)) < 0 ||
		    (rc = store_team_add(g->s, pid, fam.id, "family caregiver", &id, g->e)) < 0)
			return rc;
		g->n->contacts++;
	}
	/* medications with refill dates around today */
	int nm = 1 + pick(r, 4), m0 = pick(r, N(meds));
	for (int k = 0; k < nm; k++) {
		char due[DATE_STRLEN];
		struct medication md = {.patient_id = pid, .name = meds[(m0 + k) % N(meds)].name,
		                        .dose = meds[(m0 + k) % N(meds)].dose,
		                        .pharmacy_id = g->contacts[pharm]};
		md.refill_due = day_text(today - 2 + pick(r, 40), due);
		if ((rc = store_med_add(g->s, &md, g->e)) < 0)
			return rc;
		g->n->medications++;
	}
	/* appointments: a past one, a future PCP visit, maybe a specialist visit
	 * needing transport, sometimes a missed one */
	const char *ride = needs_ride ? (chance(r, 50) ? "needed" : "confirmed") : "none";
	if ((rc = add_appt(g, pid, today - 10 - pick(r, 40), 9 * 60 + 30 * pick(r, 14), 30,
	                   "Primary care visit", shared_contacts[pcp].org, g->contacts[pcp],
	                   "fulfilled", "none", 60)) < 0)
		return rc;
	if ((rc = add_appt(g, pid, today + 1 + pick(r, 30), 8 * 60 + 15 * pick(r, 36), 30,
	                   "Primary care visit", shared_contacts[pcp].org, g->contacts[pcp],
	                   "booked", "none", 5 + pick(r, 20))) < 0)
		return rc;
	if (chance(r, 60) &&
	    (rc = add_appt(g, pid, today + pick(r, 6), 9 * 60 + 30 * pick(r, 14), 45,
	                   spec_titles[spec - SPEC0], shared_contacts[spec].org, g->contacts[spec],
	                   "booked", ride, 3 + pick(r, 10))) < 0)
		return rc;
	if (chance(r, 12) &&
	    (rc = add_appt(g, pid, today - 1 - pick(r, 5), 10 * 60, 30, "Lab draw",
	                   "Riverside Lab", 0, "noshow", "none", 20)) < 0)
		return rc;
	/* a recent hospital stay for some */
	if (chance(r, 15)) {
		int out = today - pick(r, 6), in = out - 2 - pick(r, 5);
		const char *fac = facilities[pick(r, N(facilities))];
		if ((rc = add_entry(g, pid, "admission", NULL, at(g, in, 14 * 60), 0, fac, NULL, false)) < 0 ||
		    (rc = add_entry(g, pid, "discharge", NULL, at(g, out, 11 * 60), 0, fac, NULL,
		                    chance(r, 70))) < 0)
			return rc;
		if ((rc = add_task(g, pid, 0, out - today + 2, false)) < 0)
			return rc;
	}
	/* contact attempts and notes over the last weeks */
	int ncalls = pick(r, 4);
	for (int k = 0; k < ncalls; k++) {
		static const char *const outcomes[] = {"reached", "reached", "no-answer", "voicemail",
		                                       "left-message"};
		const char *oc = outcomes[pick(r, N(outcomes))];
		int ago = 1 + pick(r, 35);
		if ((rc = add_entry(g, pid, "call", oc, at(g, today - ago, 9 * 60 + 7 * pick(r, 60)),
		                    !strcmp(oc, "reached") ? 5 + pick(r, 20) : 0, NULL, NULL, false)) < 0)
			return rc;
	}
	if (chance(r, 50) &&
	    (rc = add_entry(g, pid, "note", NULL, at(g, today - pick(r, 20), 15 * 60), 0, NULL,
	                    note_texts[pick(r, N(note_texts))], false)) < 0)
		return rc;
	if (chance(r, 10) &&
	    (rc = add_entry(g, pid, "result", NULL, at(g, today - pick(r, 3), 8 * 60), 0, NULL,
	                    "HbA1c 8.1% (lab)", true)) < 0)
		return rc;
	/* tasks: open ones around today (some overdue), a completed one */
	int nt = pick(r, 4);
	for (int k = 0; k < nt; k++)
		if ((rc = add_task(g, pid, 1 + pick(r, N(task_kinds) - 1), -5 + pick(r, 20),
		                   false)) < 0)
			return rc;
	if (chance(r, 40) && (rc = add_task(g, pid, 1 + pick(r, N(task_kinds) - 1), -pick(r, 20),
	                                    true)) < 0)
		return rc;
	return 0;
}

int demo_fill(struct store *s, const struct demo_opts *o, struct demo_counts *n,
              struct err *e)
{
	struct gen g = {.s = s, .r = {o->seed ^ 0x5EEDCA5E10ADULL}, .o = o, .n = n, .e = e};
	memset(n, 0, sizeof *n);
	long long have;
	if (store_patient_count(s, &have, e) < 0)
		return e->code;
	if (have > 0)
		return err_set(e, ERR_CONFLICT, "the database already has %lld patients; the demo "
		               "only fills an empty one (use --db demo.db)", have);
	/* the pages go straight into the file, not through a WAL as large
	 * as the database; a big cache keeps the indexes in memory */
	if (store_fill_journal(s, true, e) < 0 || store_cache_kb(s, 32 * 1024, e) < 0 ||
	    store_begin_bulk(s, e) < 0) {
		store_fill_journal(s, false, &(struct err){0});
		return e->code;
	}
	/* the search tokens' and the caseload's orders by name and by due
	 * date: each patient, and each task that moves a patient's next due
	 * date, would rewrite them at random places (at 100,000 patients
	 * beyond the cache); made again, sorted, before the commit */
	static const char *const later[] = {
		"search_first_need", "search_first_name", "patient_need", "patient_name",
		"patient_given", "patient_email", "patient_name_key", "appointment_next",
		"appointment_start", "appointment_zone", "entry_kind_at", "task_owner",
		"task_open_due", "medication_refill", NULL};
	struct strlist saved = {0};
	int rc = store_bulk_indexes_drop(s, later, &saved, e);
	/* the clinic hours below are local to this zone: note it, so that
	 * `caseload check` can say when the zone in use is another */
	if (rc == 0)
		rc = zone_set_demo(s, o->zone ? o->zone : "UTC", e);
	for (int i = 0; i < N(shared_contacts) && rc == 0; i++) {
		struct contact c = {.name = shared_contacts[i].name,
		                    .kind = shared_contacts[i].kind,
		                    .organization = shared_contacts[i].org,
		                    .phone = shared_contacts[i].phone,
		                    .address = shared_contacts[i].address,
		                    .public_label = shared_contacts[i].label};
		rc = store_contact_add(s, &c, e);
		g.contacts[i] = c.id;
		n->contacts++;
	}
	int total = o->patients > 0 ? o->patients : 60;
	for (int i = 0; i < total && rc == 0; i++)
		rc = one_patient(&g, i);
	/* the sorts spill to a file past the default cache: memory stays
	 * that of the fill (a failed setting costs time, nothing else) */
	if (rc == 0 && saved.len) {
		store_cache_kb(s, 4 * 1024, &(struct err){0});
		rc = store_bulk_indexes_make(s, &saved, e);
	}
	strlist_free(&saved);
	if (rc < 0)
		store_rollback(s);
	else if ((rc = store_commit(s, e)) == 0)
		rc = store_analyze(s, e);
	store_cache_kb(s, STORE_CACHE_DEFAULT_KB, &(struct err){0});
	/* (if this fails, the next open puts the WAL back) */
	store_fill_journal(s, false, &(struct err){0});
	return rc;
}

int demo_rezone(struct store *s, const char *zone, long long *moved, struct err *e)
{
	*moved = 0;
	char *from = NULL;
	if (zone_of_demo(s, &from, e) < 0)
		return e->code;
	if (!from || !zone || !strcmp(from, zone)) {
		free(from);
		return 0;
	}
	struct appointment_list l = {0};
	int rc = store_begin(s, e);
	if (rc == 0)
		rc = store_appt_by_source(s, "demo", from, &l, e);
	for (size_t i = 0; rc == 0 && i < l.len; i++) {
		struct appointment *a = &l.items[i];
		int day, minutes;
		long long t;
		if ((rc = tz_utc_to_local(from, a->start, &day, &minutes, e)) < 0 ||
		    (rc = tz_local_to_utc(zone, day, minutes, &t, e)) < 0)
			break;
		a->end = t + (a->end - a->start);
		a->start = t;
		str_set(&a->tzid, zone);
		rc = store_appt_update(s, a, e);
	}
	if (rc == 0)
		rc = zone_set_demo(s, zone, e);
	if (rc == 0)
		rc = store_commit(s, e);
	else
		store_rollback(s);
	if (rc == 0)
		*moved = (long long)l.len;
	appointment_list_free(&l);
	free(from);
	return rc < 0 ? e->code : 0;
}
