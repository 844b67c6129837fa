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
		for (enum level author = LEVEL_JUNIOR; author <= LEVEL_SENIOR; author++) {
			struct approver who[8];
			struct requirement_result res = { 0, 0, 0, NULL };
			struct requirement req;
			size_t nr = 0;

			policy_requirement_for(&req, &p, risks[i], &paths, author);
			if (req.level < LEVEL_JUNIOR || req.level > LEVEL_SENIOR || req.approvals < 1 ||
			    req.approvals > 20 || !req.groups)
				abort();
			/* the policy's first people, and an unknown junior, as approvers */
			for (size_t k = 0; k < p.persons_nr && nr < 7; k++) {
				who[nr].person = (long)k;
				who[nr++].level = policy_person_level(&p, (long)k);
			}
			who[nr].person = -1;
			who[nr++].level = LEVEL_JUNIOR;
			requirement_count(&res, &req, &p, who, nr);
			if (res.counted > nr || res.filled > 20 * req.groups || (res.met && res.filled < req.approvals))
				abort();
			requirement_release(&req);
		}
	}
	for (size_t i = 0; i < p.reviewers_nr; i++)
		if (policy_level_of(&p, p.reviewers[i].email) != p.reviewers[i].level &&
		    p.reviewers[i].level != LEVEL_NONE)
			abort();
	strvec_clear(&paths);
	policy_release(&p);
	return 0;
}
