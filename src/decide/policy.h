/*
 * policy.h: who may approve what, read from `.revq/policy` in the tree of
 * the target ref: never from the change under review, never from the
 * working tree.  The file uses git-config syntax and is parsed by
 * libgit2's config parser; the format is specified in revq-policy(5).
 *
 * A loaded policy owns all its strings; policy_release() frees them.
 */
#ifndef REVQ_POLICY_H
#define REVQ_POLICY_H

#include <git2.h>

#include "git/settings.h"
#include "base/strvec.h"

#define POLICY_PATH ".revq/policy"
/* Whatever changes under it changes the trust root: gated with or without AI markers. */
#define POLICY_DIR ".revq"

enum level {
	LEVEL_NONE = 0,
	LEVEL_JUNIOR,
	LEVEL_MID,
	LEVEL_SENIOR,
};

struct policy_reviewer {
	char *email;
	enum level level;
};

struct policy_tier {
	char *name;
	int min_risk;
	enum level level;
	unsigned approvals;
};

struct policy_path {
	char *glob;
	enum level level;
	unsigned approvals;   /* 0: does not raise the count */
};

struct policy {
	int present;                      /* .revq/policy exists in the target */
	char *origin;                     /* "main:.revq/policy", or a description */
	char *allowed_signers_path;       /* revq.allowedSigners: a path in the target tree */
	char *allowed_signers;            /* content of the ssh allowed signers, or NULL */
	char *allowed_origin;             /* where that came from */
	struct policy_reviewer *reviewers;
	size_t reviewers_nr, reviewers_alloc;
	struct policy_tier *tiers;        /* sorted by min_risk */
	size_t tiers_nr, tiers_alloc;
	struct policy_path *paths;
	size_t paths_nr, paths_alloc;
	int carry_over_rebase;            /* revq.carryOverRebase, default true */
};

struct requirement {
	enum level level;
	unsigned approvals;
	struct strvec why;    /* "tier high (risk 72 >= 50)", "path infra/ ** (infra/main.tf)" */
};

/*
 * Loads the policy from the tree of commit `target` (named target_name in
 * messages).  Without a policy file the allowed signers come from
 * gpg.ssh.allowedSignersFile and one approval from anyone in them suffices.
 * A malformed policy is an error: the gate fails closed.
 */
int policy_load(struct policy *out, git_repository *repo, const git_oid *target,
		const char *target_name, const struct settings *settings);
/* Parses policy text (git-config syntax); allowed signers are not read. */
int policy_parse(struct policy *out, const char *text, size_t len, const char *origin);
void policy_release(struct policy *policy);

/* The level of a reviewer (junior when the policy does not list them). */
enum level policy_level_of(const struct policy *policy, const char *email);
/* What a commit with this risk and these changed paths needs. */
void policy_requirement(struct requirement *out, const struct policy *policy, int risk,
			const struct strvec *paths);
void requirement_release(struct requirement *req);

const char *level_name(enum level level);
int level_parse(enum level *out, const char *name);

#endif
