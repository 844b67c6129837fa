/*
 * fuzz_registry.c: the AI tool registry loader (judge/registry.h) on any
 * file a user or a distribution could install as share/revq/ai-tools,
 * then detection with it.  Invariants: parsing never crashes; a parse
 * either fails or yields rules whose every tool is one of the entries
 * and whose every text is non-empty; each rule's own text looks up to a
 * tool of its kind; detecting markers with the registry never crashes.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "judge/detect.h"
#include "judge/registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int is_entry(const struct registry *reg, const char *tool)
{
	for (size_t i = 0; i < reg->tools.nr; i++)
		if (reg->tools.v[i] == tool)
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct detect_rules rules;
	struct detect_identity who = { "Claude", "noreply@anthropic.com" };
	struct strvec markers = STRVEC_INIT;

	memset(&rules, 0, sizeof(rules));   /* no patterns; the registry is the input */

	if (registry_parse(&rules.registry, (const char *)data, size, "fuzz:ai-tools")) {
		registry_release(&rules.registry);
		return 0;
	}
	for (size_t i = 0; i < rules.registry.nr; i++) {
		const struct registry_rule *r = &rules.registry.rules[i];

		if (r->kind >= REGISTRY_KINDS || !r->text || !is_entry(&rules.registry, r->tool) ||
		    !registry_lookup(&rules.registry, r->kind, r->text))
			abort();
	}
	detect_markers(&markers, &rules, "Fix it\n\nCo-authored-by: Claude <noreply@anthropic.com>\n"
		       "Assisted-by: claude-code:opus [gcc]\n", &who, &who);
	strvec_clear(&markers);
	registry_release(&rules.registry);
	return 0;
}
