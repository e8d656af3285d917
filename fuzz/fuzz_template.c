/* fuzz_template: the care-plan template loader (caseload-template(5)):
 * libyaml through yamldoc, then every check of the template's fields. */
#include <stdlib.h>

#include "caseload/template.h"
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact copy, without a NUL after it: the loader takes a length */
	char *text = xmalloc(size ? size : 1);
	for (size_t i = 0; i < size; i++)
		text[i] = (char)data[i];
	struct template t = {0};
	struct err e = {0};
	if (template_load_string(text, size, "fuzz.yaml", &t, &e) < 0 && !*e.msg)
		fuzz_fail("a refusal without a message", NULL);
	template_free(&t);
	free(text);
	return 0;
}
