/*
 * fuzz_ainotes.c: the Git AI authorship note parser (judge/ainotes.h) on
 * notes anybody can push to refs/notes/ai.  Invariants: parsing never
 * crashes or reads out of bounds; the kept ranges are sorted, disjoint,
 * 1-based and within AINOTE_MAX_LINE, and no more than AINOTE_MAX_RANGES;
 * at most AINOTE_MAX_SESSIONS sessions, each with lines; every session's
 * key, tool and model is printable ASCII without blanks; a line lookup
 * agrees with a linear scan.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "judge/ainotes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_name(const char *s)
{
	if (strlen(s) > AINOTE_MAX_NAME)
		abort();
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f)
			abort();
}

static int linear_has(const struct ainote_file *f, uint32_t line)
{
	for (size_t i = 0; i < f->nr; i++)
		if (line >= f->ranges[i].first && line <= f->ranges[i].last)
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ainote n;
	size_t ranges = 0;

	if (ainote_parse(&n, (const char *)data, size)) {
		if (n.files_nr || n.sessions_nr)
			abort();
		return 0;
	}
	if (n.sessions_nr > AINOTE_MAX_SESSIONS || n.files_nr > AINOTE_MAX_FILES)
		abort();
	for (size_t i = 0; i < n.sessions_nr; i++) {
		if (!n.sessions[i].lines)
			abort();
		check_name(n.sessions[i].key);
		check_name(n.sessions[i].tool);
		check_name(n.sessions[i].model);
	}
	for (size_t i = 0; i < n.files_nr; i++) {
		const struct ainote_file *f = &n.files[i];

		if (!f->path[0] || ainote_file(&n, f->path) == NULL)
			abort();
		for (size_t j = 0; j < f->nr; j++) {
			const struct ainote_range *r = &f->ranges[j];

			if (!r->first || r->last < r->first || r->last > AINOTE_MAX_LINE ||
			    (j && r->first <= f->ranges[j - 1].last + 1))
				abort();
			for (uint32_t probe = r->first > 1 ? r->first - 1 : 1; probe <= r->first + 1; probe++)
				if (ainote_file_has_line(f, probe) != linear_has(f, probe))
					abort();
		}
		ranges += f->nr;
	}
	if (ranges > AINOTE_MAX_RANGES)
		abort();
	ainote_release(&n);
	return 0;
}
