/* layout: each region's rectangle for a terminal size; pure, so that it
 * is unit-tested at 200x60, 80x24 and too small. */
#include "caseload/tui.h"

void layout_compute(int rows, int cols, struct layout *out)
{
	*out = (struct layout){0};
	if (rows < LAYOUT_MIN_ROWS || cols < LAYOUT_MIN_COLS) {
		out->mode = LAYOUT_TOO_SMALL;
		out->title = (struct rect){0, 0, rows > 0 ? 1 : 0, cols > 0 ? cols : 0};
		return;
	}
	out->title = (struct rect){0, 0, 1, cols};
	out->status = (struct rect){rows - 1, 0, 1, cols};
	int body = rows - 2;
	if (rows < LAYOUT_FULL_MIN_ROWS || cols < LAYOUT_FULL_MIN_COLS) {
		out->mode = LAYOUT_TABS;
		out->caseload = out->timeline = out->tasks = (struct rect){1, 0, body, cols};
		return;
	}
	out->mode = LAYOUT_FULL;
	int left = cols * 38 / 100;
	if (left < 34)
		left = 34;
	if (left > 64)
		left = 64;
	int top = body * 55 / 100;
	out->caseload = (struct rect){1, 0, body, left};
	out->timeline = (struct rect){1, left, top, cols - left};
	out->tasks = (struct rect){1 + top, left, body - top, cols - left};
}
