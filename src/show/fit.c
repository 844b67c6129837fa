/*
 * fit.c: the split of a row's columns among its pieces of text (fit.h):
 * arithmetic on display widths, so that the console only paints it.
 */
#include "config.h"

#include <string.h>

#include "show/fit.h"

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

void fit_subject_reason(struct fit_split *out, size_t room, size_t subject_width, size_t subject_min,
			size_t reason_width)
{
	size_t avail = room > FIT_GAP ? room - FIT_GAP : 0;
	size_t subject_floor = min_size(subject_width, subject_min);

	memset(out, 0, sizeof(*out));
	if (!reason_width || avail < subject_floor + FIT_SHOWN_MIN) {
		/* No reason, or no room for a readable piece of one: the subject has the row. */
		out->subject = min_size(subject_width, room);
	} else {
		size_t share = room / 4 > FIT_REASON_MIN ? room / 4 : FIT_REASON_MIN;
		size_t want = min_size(min_size(reason_width, share), avail - subject_floor);
		size_t half = (want + 1) / 2 > FIT_SHOWN_MIN ? (want + 1) / 2 : FIT_SHOWN_MIN;

		/* A subject a few columns too long stays whole when the reason keeps half its share. */
		out->reason = subject_width + half <= avail && half <= want ? half : want;
		out->subject = min_size(subject_width, avail - out->reason);
		out->reason = min_size(reason_width, avail - out->subject);
		out->gap = FIT_GAP;
	}
	out->subject_cut = out->subject < subject_width;
	out->reason_cut = out->reason < reason_width;
}

size_t fit_hints(struct strbuf *out, const struct strvec *hints, const char *sep, size_t width)
{
	size_t used = 0, shown = 0, sep_len = strlen(sep);

	for (size_t i = 0; i < hints->nr; i++) {
		size_t need = strlen(hints->v[i]) + (shown ? sep_len : 0);

		if (used + need > width)
			break;   /* this one and every later (less important) one are dropped */
		strbuf_addf(out, "%s%s", shown ? sep : "", hints->v[i]);
		used += need;
		shown++;
	}
	return shown;
}
