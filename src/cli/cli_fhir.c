/* cli_fhir: `export fhir`, a patient's record as a FHIR R4 Bundle or the
 * whole caseload as Bulk Data NDJSON files (services/fhir_export.c). */
#include <stdlib.h>

#include "caseload/cli.h"
#include "caseload/fhir_export.h"
#include "caseload/text.h"

/* "N resources written to PATH (of M patients)" when it went to a file. */
static void written(struct app *app, const char *path, const struct fhir_export_result *r)
{
	size_t n = 0;
	for (int t = 0; t < FHIR_TYPE_N; t++)
		n += r->count[t];
	char *clean = text_sanitize(path);
	fprintf(app->out, "%zu resource%s of %zu patient%s written to %s\n", n, n == 1 ? "" : "s",
	        r->patients, r->patients == 1 ? "" : "s", clean);
	free(clean);
}

int cmd_export_fhir(struct app *app, int argc, char **argv)
{
	const char *patient = NULL, *detail = NULL, *output = NULL, *dir = NULL;
	bool all = false, force = false;
	const struct opt opts[] = {{"patient", &patient, NULL}, {"all", NULL, &all},
	                           {"ndjson", &dir, NULL}, {"detail", &detail, NULL},
	                           {"output", &output, NULL}, {"force", NULL, &force}, {0}};
	int rc = cli_opts_o(app, argc, argv, opts);
	if (rc < 0)
		return rc;
	if (!patient == !all)
		return app_usage(app, "give --patient ID or --all --ndjson DIR");
	if (all && !dir)
		return app_usage(app, "--all writes NDJSON files: give --ndjson DIR");
	if (patient && dir)
		return app_usage(app, "--ndjson DIR is for --all; one patient is one Bundle (-o FILE)");
	if (all && output)
		return app_usage(app, "--all writes into --ndjson DIR, not -o FILE");
	if (force && !output)
		return app_usage(app, "--force replaces the file of -o FILE: give -o too");
	struct fhir_export_req rq = {.detail = detail, .path = output, .replace = force,
	                             .dir = dir, .today = app->today, .now = app->now,
	                             .zone = app->zone};
	if (patient && cli_id(app, patient, "patient", &rq.patient_id) < 0)
		return ERR_USAGE;
	if (!app_store(app))
		return ERR_FAIL;
	struct fhir_export_result res;
	if (all) {
		if (fhir_export_ndjson(app->store, &rq, &res, &app->err) < 0)
			return app->err.code ? app->err.code : ERR_FAIL;
		written(app, dir, &res);
		return 0;
	}
	if (fhir_export_bundle(app->store, &rq, app->out, &res, &app->err) < 0)
		return output ? cli_file_failed(app, output) : app->err.code ? app->err.code : ERR_FAIL;
	if (output)
		written(app, output, &res);
	return 0;
}
