/* cli_handout: `caseload handout`, the patient's page. */
#include <stdio.h>
#include <stdlib.h>

#include "caseload/cli.h"
#include "caseload/handout.h"
#include "caseload/text.h"

int cmd_handout(struct app *app, int argc, char **argv)
{
	const char *patient = NULL, *output = NULL, *lang = NULL;
	bool force = false;
	const struct opt opts[] = {{"patient", &patient, NULL}, {"output", &output, NULL},
	                           {"lang", &lang, NULL}, {"force", NULL, &force}, {0}};
	int rc = cli_opts_o(app, argc, argv, opts);
	if (rc < 0)
		return rc;
	struct handout_req rq = {.lang = lang, .today = app->today, .now = app->now,
	                         .zone = app->zone, .cfg = &app->cfg};
	if (cli_need(app, patient, "--patient") < 0 || cli_need(app, output, "-o") < 0 ||
	    cli_id(app, patient, "patient", &rq.patient_id) < 0)
		return ERR_USAGE;
	if (lang && !handout_lang(lang))
		return app_usage(app, "--lang %s: the handout is written in en or es", TEXT_ARG(lang));
	if (lang)
		rq.lang = handout_lang(lang);
	if (!app_store(app))
		return ERR_FAIL;
	struct handout_result res;
	if (handout_write(app->store, &rq, output, force, &res, &app->err) < 0)
		return cli_file_failed(app, output);
	if (res.fallback)
		fprintf(stderr, "%s: patient %lld's preferred language has no handout translation "
		                "(en, es): written in English\n", app->prog, rq.patient_id);
	char *clean = text_sanitize(output);
	fprintf(app->out, "handout in %s written to %s (%zu appointment%s, %zu medicine%s)\n",
	        res.lang, clean, res.appointments, res.appointments == 1 ? "" : "s", res.medications,
	        res.medications == 1 ? "" : "s");
	free(clean);
	return 0;
}
