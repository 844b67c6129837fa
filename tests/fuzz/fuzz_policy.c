/*
 * fuzz_policy.c: the policy reader (git-config syntax through libgit2's
 * parser) and the requirement computed from it.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "decide/policy.h"
#include "git/repo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int risks[] = { 0, 1, 49, 50, 99, 100 };
	struct strvec paths = STRVEC_INIT;
	struct policy p;

	repo_library_init();
	if (policy_parse(&p, (const char *)data, size, "fuzz:.revq/policy")) {
		policy_release(&p);
		return 0;
	}
	strvec_push(&paths, "infra/main.tf");
	strvec_push(&paths, "docs/readme.md");
	for (size_t i = 0; i < sizeof(risks) / sizeof(risks[0]); i++) {
		struct requirement req;

		policy_requirement(&req, &p, risks[i], &paths);
		if (req.level < LEVEL_JUNIOR || req.level > LEVEL_SENIOR || req.approvals < 1 ||
		    req.approvals > 20)
			abort();
		requirement_release(&req);
	}
	for (size_t i = 0; i < p.reviewers_nr; i++)
		if (policy_level_of(&p, p.reviewers[i].email) != p.reviewers[i].level &&
		    p.reviewers[i].level != LEVEL_NONE)
			abort();
	strvec_clear(&paths);
	policy_release(&p);
	return 0;
}
