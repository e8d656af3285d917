/* fuzz_config: the config file (config_load reads it from a file, as the
 * program does), then the key bindings it names (keymap_apply_config, the
 * screen's check, which needs no terminal). */
#include <stdio.h>
#include <stdlib.h>

#include "caseload/config.h"
#include "caseload/tui.h"
#include "caseload/util.h"
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_path("config.yaml");
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		fuzz_fail("cannot write the config file", path);
	struct config c;
	struct err e = {0};
	if (config_load(&c, path, &e) == 0) {
		struct keymap km;
		struct strlist warnings = {0};
		keymap_defaults(&km);
		if (keymap_apply_config(&km, &c, &warnings, &e) < 0 && !*e.msg)
			fuzz_fail("a refused key binding without a message", NULL);
		strlist_free(&warnings);
	} else if (!*e.msg) {
		fuzz_fail("a refusal without a message", NULL);
	}
	config_free(&c);
	return 0;
}
