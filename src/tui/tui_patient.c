/* tui_patient: naming a patient on the screen.  A name alone is not an
 * identifier (the demo has two "Jackson, James"), so every place that
 * shows or acts on a patient carries a struct patient_ref and shows the
 * date of birth (and the MRN where there is room) beside the name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/model.h"
#include "caseload/store.h"
#include "caseload/text.h"
#include "pane.h"

void patient_ref_set(struct patient_ref *out, long long id, const char *name, const char *dob,
                     const char *mrn)
{
	out->id = id;
	snprintf(out->name, sizeof out->name, "%s", name ? name : "");
	snprintf(out->dob, sizeof out->dob, "%s", dob ? dob : "");
	snprintf(out->mrn, sizeof out->mrn, "%s", mrn ? mrn : "");
}

int tui_patient_ref(struct tui *t, long long id, struct patient_ref *out)
{
	struct patient pt = {0};
	if (store_patient_get(t->store, id, &pt, &t->err) < 0)
		return -1;
	char *name = patient_display_name(pt.family, pt.given);
	patient_ref_set(out, id, name, pt.dob, pt.mrn);
	free(name);
	patient_clear(&pt);
	return 0;
}

const char *patient_ref_ident(const struct patient_ref *r, char out[48])
{
	if (r->dob[0])
		snprintf(out, 48, "%s", r->dob);
	else if (r->mrn[0])
		snprintf(out, 48, "%s", r->mrn);
	else
		snprintf(out, 48, "#%lld", r->id);
	return out;
}

void tui_patient_label(const struct patient_ref *r, int width, struct buf *out)
{
	char full[128], short_[128];
	/* the identifiers: all of them, and the one that must stay */
	if (r->dob[0] && r->mrn[0])
		snprintf(full, sizeof full, " · DOB %s · %s", r->dob, r->mrn);
	else if (r->dob[0])
		snprintf(full, sizeof full, " · DOB %s", r->dob);
	else if (r->mrn[0])
		snprintf(full, sizeof full, " · %s", r->mrn);
	else
		snprintf(full, sizeof full, " · patient #%lld", r->id);
	if (r->dob[0])
		snprintf(short_, sizeof short_, " · DOB %s", r->dob);
	else
		snprintf(short_, sizeof short_, "%s", full);
	char *name = text_sanitize(r->name);
	int name_w = text_width(name), min_name = 12;
	const char *ids = full;
	if (width >= 0 && name_w + text_width(full) > width) {
		if (width - text_width(full) < min_name)
			ids = short_;
		int room = width - text_width(ids);
		name_w = room < 1 ? 1 : room < name_w ? room : name_w;
	}
	text_fit(out, name, name_w, false);
	buf_add(out, ids);
	free(name);
}
