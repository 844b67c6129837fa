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
#include "base/strbuf.h"
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
	char *email;          /* owned: [reviewer "email"], as written */
	enum level level;
};

/*
 * One person: every address and key they review or commit under counts
 * as them, once.  A [reviewer "email"] becomes a person of its own with
 * that one address (legacy set); so does an address a team lists that no
 * person has.
 */
struct policy_person {
	char *name;           /* owned: [person "NAME"], or the reviewer's address */
	struct strvec emails; /* owned: as written */
	struct strvec keys;   /* owned: "SHA256:..." ssh fingerprints or upper-case OpenPGP ones */
	enum level level;     /* LEVEL_NONE when not given: counts as junior */
	int legacy;           /* from [reviewer "email"], or a team's bare address */
};

struct policy_team {
	char *name;           /* owned: [team "NAME"] */
	struct strvec members;/* owned: person names or addresses, as written */
	size_t *people;       /* owned: the members as indices into policy.persons */
	size_t people_nr;
};

/*
 * One line of a rule's `require`: COUNT approvals at LEVEL or above,
 * from TEAM when team is set.  The needs of one rule are met by distinct
 * people; separate rules each hold on their own, one approval counting
 * for several.
 */
struct policy_need {
	unsigned count;       /* 1-20 */
	enum level level;     /* junior: anyone */
	char *team;           /* owned by the policy's rule; NULL: any team */
};

struct policy_tier {
	char *name;
	int min_risk;
	enum level level;
	unsigned approvals;
	enum level author_level;  /* authorLevel: applies to authors at this level or below; NONE: any */
	int order;                /* position in the file: the later of two equal tiers wins */
	int legacy_keys;          /* level or approvals was written */
	struct policy_need *needs;/* owned: `require` lines (never with level or approvals) */
	size_t needs_nr, needs_alloc;
};

struct policy_path {
	char *glob;
	enum level level;
	unsigned approvals;   /* 0: does not raise the count */
	int legacy_keys;      /* level or approvals was written */
	struct policy_need *needs; /* owned: `require` lines (never with level or approvals) */
	size_t needs_nr, needs_alloc;
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
	int gate_all;                     /* revq.gate = all: every commit, not only AI-assisted ones */
	int require_signed_commits;       /* revq.requireSignedCommits */
	struct policy_person *persons;    /* [person] and [reviewer] sections, in file order */
	size_t persons_nr, persons_alloc;
	struct policy_team *teams;
	size_t teams_nr, teams_alloc;
};

/* One need of a requirement, in the group of the rule it came from. */
struct requirement_need {
	unsigned count;
	enum level level;
	const char *team;     /* not owned: the policy's */
	unsigned group;       /* needs of one group are met by distinct people */
};

struct requirement {
	enum level level;     /* the lowest level at which an approval can count for anything */
	unsigned approvals;   /* distinct approvals needed at least (the largest group) */
	struct requirement_need *needs;   /* owned */
	size_t needs_nr, needs_alloc;
	unsigned groups;
	struct strvec why;    /* "tier high (risk 72 >= 50)", "path infra/ ** (infra/main.tf)" */
};

/* Who approved, as requirement_count() sees them: each a distinct person. */
struct approver {
	long person;          /* index into policy.persons, or -1 for someone the policy does not list */
	enum level level;
};

/* What a set of approvers leaves open. */
struct requirement_result {
	int met;              /* every group is filled */
	unsigned counted;     /* approvers who fill at least one need */
	unsigned filled;      /* needs filled, summed over the groups (a maximum matching each) */
	struct strbuf *missing;  /* not owned, may be NULL: "needs 1 more from team security; has: 1 senior" */
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
/* The person an address (compared without case, trimmed) or a key belongs to; -1 when none. */
long policy_person_by_email(const struct policy *policy, const char *email);
long policy_person_by_key(const struct policy *policy, const char *key);
enum level policy_person_level(const struct policy *policy, long person);
int policy_person_in_team(const struct policy *policy, long person, const char *team);
/*
 * Every person's addresses as pairs to join (the flattened form of
 * item_mailmap_pairs()), normalised: the policy joins a person's
 * addresses the way the target's .mailmap does.  Appends to pairs.
 */
void policy_person_pairs(struct strvec *pairs, const struct policy *policy);
/*
 * Normalises a key as written in a policy: an ssh public key
 * ("ssh-ed25519 AAAA... [comment]") or "SHA256:..." becomes its
 * "SHA256:..." fingerprint; a 40-digit OpenPGP fingerprint is
 * upper-cased, blanks dropped.  NULL when it is neither; caller frees.
 */
char *policy_key_normalize(const char *key);

/* What a commit with this risk and these changed paths needs (author junior). */
void policy_requirement(struct requirement *out, const struct policy *policy, int risk,
			const struct strvec *paths);
/* The same for an author at author_level (junior when unknown). */
void policy_requirement_for(struct requirement *out, const struct policy *policy, int risk,
			    const struct strvec *paths, enum level author_level);
/* The tier for this risk and author level, or NULL (one approval at junior). */
const struct policy_tier *policy_tier_for(const struct policy *policy, int risk, enum level author_level);
void requirement_release(struct requirement *req);
/* 1 when an approval by this approver could fill some need of req. */
int requirement_accepts(const struct requirement *req, const struct policy *policy,
			const struct approver *who);
/*
 * Counts distinct approvers against req: each group needs its own
 * distinct people (a maximum matching of approvers to the group's
 * needs); res->missing gets what is still open, in words.
 */
void requirement_count(struct requirement_result *res, const struct requirement *req,
		       const struct policy *policy, const struct approver *approvers, size_t nr);
/* "1 senior + 1 from team security", groups joined by " and ". */
void requirement_describe(struct strbuf *out, const struct requirement *req);

/*
 * What `revq policy check` reports beyond parsing: errors (a person's
 * key the allowed signers do not hold; no policy at all) and warnings
 * (people no allowed signer names, keys of nobody, people without a
 * level, unreachable tiers, path globs matching no file of target's
 * tree).  Appends sentences to both.
 */
void policy_problems(struct strvec *errors, struct strvec *warnings, const struct policy *policy,
		     git_repository *repo, const git_oid *target);

const char *level_name(enum level level);
int level_parse(enum level *out, const char *name);

#endif
