/*
 * cmd_policy.c: `revq policy check [--pending] [REF]`: reads the policy
 * of a ref as the gate will, lists its people, levels, teams, tiers and
 * path rules, and reports what would surprise its authors (people who
 * cannot sign, keys of nobody, unreachable tiers, globs that match
 * nothing) before a push finds out.  Exit 1 on an error in the policy.
 */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "decide/review.h"

static const char policy_usage[] =
	"usage: revq policy check [--pending] [REF]\n"
	"\n"
	"Parses .revq/policy in REF's tree (default: the target) and lists its\n"
	"people, teams, tiers and path rules, then the problems found.  Exit status\n"
	"1 when the policy has errors.\n"
	"\n"
	"  --pending   for each pending item, what it needs and who may approve it\n";

static void list_people(struct strbuf *out, const struct policy *p)
{
	strbuf_addstr(out, "People:\n");
	if (!p->persons_nr)
		strbuf_addstr(out, "  (none: everyone is junior)\n");
	for (size_t i = 0; i < p->persons_nr; i++) {
		const struct policy_person *who = &p->persons[i];
		char *emails = strvec_join(&who->emails, ", ");

		strbuf_addstr(out, "  ");
		cli_escape_column(out, who->name, 20);
		strbuf_addf(out, " %-7s ", level_name(policy_person_level(p, (long)i)));
		cli_escape(out, emails);
		for (size_t k = 0; k < who->keys.nr; k++) {
			strbuf_addstr(out, k ? ", " : "; key ");
			cli_escape(out, who->keys.v[k]);
		}
		strbuf_addch(out, '\n');
		free(emails);
	}
	for (size_t t = 0; t < p->teams_nr; t++) {
		strbuf_addstr(out, t ? "  " : "Teams:\n  ");
		cli_escape(out, p->teams[t].name);
		strbuf_addch(out, ':');
		for (size_t m = 0; m < p->teams[t].people_nr; m++) {
			strbuf_addstr(out, m ? ", " : " ");
			cli_escape(out, p->persons[p->teams[t].people[m]].name);
		}
		strbuf_addch(out, '\n');
	}
}

/* The needs of one rule, as a requirement_describe() of that rule alone. */
static void rule_needs(struct strbuf *out, const struct policy_need *needs, size_t nr, enum level level,
		       unsigned approvals)
{
	struct requirement req;

	memset(&req, 0, sizeof(req));
	req.needs = xcalloc(nr + 1, sizeof(*req.needs));
	for (size_t i = 0; i < nr; i++) {
		req.needs[i].count = needs[i].count;
		req.needs[i].level = needs[i].level;
		req.needs[i].team = needs[i].team;
	}
	if (!nr) {
		req.needs[0].count = approvals ? approvals : 1;
		req.needs[0].level = level ? level : LEVEL_JUNIOR;
		nr = 1;
	}
	req.needs_nr = nr;
	req.groups = 1;
	requirement_describe(out, &req);
	requirement_release(&req);
}

static void list_rules(struct strbuf *out, const struct policy *p)
{
	strbuf_addf(out, "Gate:      %s\n", p->gate_all ? "every commit (gate = all)"
		    : "AI-assisted commits and changes to .revq/ (gate = ai)");
	strbuf_addstr(out, "Tiers:     (the highest minRisk reached wins; authors not listed are junior)\n");
	if (!p->tiers_nr)
		strbuf_addstr(out, "  (none: 1 approval)\n");
	for (size_t i = 0; i < p->tiers_nr; i++) {
		const struct policy_tier *t = &p->tiers[i];

		strbuf_addstr(out, "  ");
		cli_escape_column(out, t->name, 16);
		strbuf_addf(out, " risk >= %-3d ", t->min_risk);
		if (t->author_level)
			strbuf_addf(out, "authors %s or below: ", level_name(t->author_level));
		else
			strbuf_addstr(out, "any author: ");
		rule_needs(out, t->needs, t->needs_nr, t->level, t->approvals);
		strbuf_addch(out, '\n');
	}
	for (size_t i = 0; i < p->paths_nr; i++) {
		const struct policy_path *r = &p->paths[i];

		strbuf_addstr(out, i ? "  " : "Paths:\n  ");
		cli_escape_column(out, r->glob, 29);
		strbuf_addch(out, ' ');
		if (r->needs_nr)
			rule_needs(out, r->needs, r->needs_nr, LEVEL_JUNIOR, 1);
		else
			strbuf_addf(out, "raises to level %s, %u approval%s",
				    level_name(r->level ? r->level : LEVEL_JUNIOR), r->approvals ? r->approvals : 1,
				    r->approvals > 1 ? "s" : "");
		strbuf_addch(out, '\n');
	}
}

/* Who could fill a need of ev's requirement and is not one of the commit's people. */
static void list_approvers(struct strbuf *out, struct review *r, const struct item *it,
			   const struct evaluation *ev)
{
	const struct policy *p = &r->policy;
	struct strvec self = STRVEC_INIT;
	git_commit *commit = NULL;
	int any = 0, failed;

	failed = git_commit_lookup(&commit, r->session->repo->git, &it->id) ||
		 review_self_identities(&self, r, commit);
	git_commit_free(commit);
	git_error_clear();
	strbuf_addstr(out, "    may approve:");
	for (size_t i = 0; i < p->persons_nr && !failed; i++) {
		struct approver who = { (long)i, policy_person_level(p, (long)i) };
		int is_self = 0;

		for (size_t k = 0; k < p->persons[i].emails.nr; k++)
			is_self |= item_identity_is_self(&self, p->persons[i].emails.v[k]);
		if (is_self || !requirement_accepts(&ev->requirement, p, &who))
			continue;
		strbuf_addstr(out, any++ ? ", " : " ");
		cli_escape(out, p->persons[i].name);
	}
	strbuf_addstr(out, failed ? " (unknown: the commit's people cannot be read)\n" : any ? "\n" : " nobody\n");
	strvec_clear(&self);
}

static int list_pending(struct strbuf *out, struct session *s, struct review *r, const char *target)
{
	struct queue_options opts;
	struct queue *q;
	int rc;

	memset(&opts, 0, sizeof(opts));
	opts.target = target;
	opts.all = r->policy.gate_all;
	if ((rc = queue_build(&q, s, &opts)))
		return rc;
	strbuf_addf(out, "Pending:   %zu item%s\n", q->nr, q->nr == 1 ? "" : "s");
	for (size_t i = 0; i < q->nr && !rc; i++) {
		struct evaluation ev;
		char id[16];

		if ((rc = review_evaluate(&ev, r, q->items[i])))
			break;
		oid_short_id(id, sizeof(id), &q->items[i]->id, SHORT_ID_LEN);
		strbuf_addf(out, "  %s %s, author %s: needs ", id, item_status_name(ev.status),
			    level_name(ev.author_level));
		requirement_describe(out, &ev.requirement);
		strbuf_addstr(out, " (");
		cli_escape(out, q->items[i]->subject);
		strbuf_addstr(out, ")\n");
		if (ev.missing) {
			strbuf_addstr(out, "    ");
			cli_escape(out, ev.missing);
			strbuf_addch(out, '\n');
		}
		list_approvers(out, r, q->items[i], &ev);
		evaluation_release(&ev);
	}
	queue_free(q);
	return rc;
}

static void list_problems(struct strbuf *out, const struct strvec *errors, const struct strvec *warnings)
{
	for (size_t i = 0; i < errors->nr; i++) {
		strbuf_addstr(out, "error: ");
		cli_escape(out, errors->v[i]);
		strbuf_addch(out, '\n');
	}
	for (size_t i = 0; i < warnings->nr; i++) {
		strbuf_addstr(out, "warning: ");
		cli_escape(out, warnings->v[i]);
		strbuf_addch(out, '\n');
	}
	strbuf_addf(out, "%zu error%s, %zu warning%s\n", errors->nr, errors->nr == 1 ? "" : "s",
		    warnings->nr, warnings->nr == 1 ? "" : "s");
}

static int policy_check(struct session *s, const char *ref, int pending)
{
	struct strvec errors = STRVEC_INIT, warnings = STRVEC_INIT;
	struct strbuf out = STRBUF_INIT;
	struct review *r = NULL;
	int rc;

	if ((rc = review_open(&r, s, ref, NULL))) {
		/* A policy that does not parse is the error this command exists to find. */
		if (rc != REVQ_ERROR)
			return cli_fail(rc);
		cli_fail(rc);
		return EXIT_FAILED;
	}
	strbuf_addstr(&out, "Policy:    ");
	cli_escape(&out, r->policy.origin);
	strbuf_addch(&out, '\n');
	if (r->policy.allowed_origin) {
		strbuf_addstr(&out, "Signers:   ");
		cli_escape(&out, r->policy.allowed_origin);
		strbuf_addch(&out, '\n');
	}
	list_rules(&out, &r->policy);
	list_people(&out, &r->policy);
	if (pending)
		rc = list_pending(&out, s, r, ref);
	policy_problems(&errors, &warnings, &r->policy, s->repo->git, &r->target.id);
	list_problems(&out, &errors, &warnings);
	if (!rc)
		rc = cli_write(&out);
	review_free(r);
	strbuf_release(&out);
	strvec_clear(&warnings);
	if (rc) {
		strvec_clear(&errors);
		return cli_fail(rc);
	}
	rc = errors.nr ? EXIT_FAILED : EXIT_OK;
	strvec_clear(&errors);
	return rc;
}

int cmd_policy(int argc, char **argv)
{
	static const struct option options[] = {
		{ "pending", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct session *s;
	int c, pending = 0, rc;

	if (argc < 2 || strcmp(argv[1], "check")) {
		if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
			return cli_print_usage(stdout, policy_usage);
		return cli_print_usage(stderr, policy_usage);
	}
	argc--;
	argv++;
	while ((c = cli_getopt(argc, argv, "+h", options)) != -1) {
		switch (c) {
		case 'p': pending = 1; break;
		case 'h': return cli_print_usage(stdout, policy_usage);
		default: return cli_print_usage(stderr, policy_usage);
		}
	}
	if (argc - optind > 1)
		return cli_usage_error("policy check takes at most one ref");
	if ((rc = cli_open_session(&s)))
		return cli_fail(rc);
	rc = policy_check(s, argc - optind == 1 ? argv[optind] : NULL, pending);
	session_free(s);
	return rc;
}
