/* fuzz_rules: the billing rules reader (rules check FILE): libyaml
 * through yamldoc, then every check of the programs, codes, sources and
 * exclusions. */
#include <stdlib.h>

#include "caseload/rules.h"
#include "caseload/util.h"
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact copy, without a NUL after it: the reader takes a length */
	char *text = xmalloc(size ? size : 1);
	for (size_t i = 0; i < size; i++)
		text[i] = (char)data[i];
	struct rules r;
	struct err e = {0};
	if (rules_load_string(text, size, "fuzz.yaml", &r, &e) < 0) {
		if (!*e.msg)
			fuzz_fail("a refusal without a message", NULL);
	} else {
		for (size_t i = 0; i < r.n_codes; i++)
			if (r.codes[i].addon_to && !rules_code(&r, r.codes[i].addon_to))
				fuzz_fail("an add-on without its base", NULL);
		rules_free(&r);
	}
	free(text);
	return 0;
}
