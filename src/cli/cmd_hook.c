/*
 * cmd_hook.c: `revq hook pre-receive`: the server's gate, in C so that
 * ref patterns, symbolic refs, the push's quarantine and the notes' history
 * are handled exactly rather than by a shell script.  It reads git's
 * "OLD NEW REF" lines on stdin and refuses the whole push (exit 1) when any
 * update breaks a rule, one escaped line on stderr per reason:
 *
 *   - info/grafts exists, or the push creates or moves a refs/replace/... ref
 *     (git honours both in checkout and archive; revq's walk does not);
 *   - the decisions ref (revq.notesRef) is deleted, or moved to a commit that
 *     is not a fast-forward or that loses a record line (append-only);
 *   - a protected branch (revq.protect patterns on full ref names, matched
 *     before and after following symbolic refs) would get an AI-assisted
 *     commit that `revq verify` does not pass.
 *
 * HEAD plays no part.  Branches are judged with the server's decisions,
 * plus what the push adds to them when that passed the append-only check
 * (then the pushed notes are a superset of the server's: their union).
 */
#include "config.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "git/notes.h"
#include "base/strvec.h"

static const char hook_usage[] =
	"usage: revq hook pre-receive < OLD NEW REF lines\n"
	"\n"
	"The pre-receive hook (share/revq/pre-receive execs it).  Refuses the push\n"
	"when a protected branch (revq.protect) would get an AI-assisted commit\n"
	"that is not approved, when the decisions ref loses a record or is not\n"
	"fast-forwarded, and on refs/replace/* updates or info/grafts.\n";

#define SYMREF_DEPTH 10
/* git prefixes each line the pusher sees with "remote: " (8 columns): 80 - 8. */
#define HOOK_WIDTH 72

struct update {
	git_oid old, new;
	char *ref;        /* owned: as pushed */
	char *resolved;   /* owned: the ref git will write, symbolic refs followed */
};

struct hook {
	struct session *s;          /* owned */
	struct update *u;           /* owned */
	size_t nr, alloc;
	struct strvec protect;      /* owned: full ref name patterns */
	char notes[GIT_OID_HEXSZ + 1];   /* the pushed notes commit to judge with, or "" */
	int refused;
};

/* One refusal line on stderr: "revq: refusing REF: WHY", every data byte escaped. */
static void refuse(struct hook *h, const char *ref, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void refuse(struct hook *h, const char *ref, const char *fmt, ...)
{
	struct strbuf why = STRBUF_INIT, line = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&why, fmt, ap);
	va_end(ap);
	strbuf_addstr(&line, "revq: refusing ");
	if (ref) {
		strbuf_addstr(&line, "to update ");
		cli_escape(&line, ref);
	} else {
		strbuf_addstr(&line, "the push");
	}
	strbuf_addstr(&line, ": ");
	cli_escape(&line, why.buf);
	cli_eprint(line.buf);
	strbuf_release(&why);
	strbuf_release(&line);
	h->refused = 1;
}

/* ---- input ---- */

static char *resolve_symref(git_repository *repo, const char *name)
{
	char *cur = xstrdup(name);

	for (int i = 0; i < SYMREF_DEPTH; i++) {
		git_reference *r;

		if (git_reference_lookup(&r, repo, cur)) {
			git_error_clear();
			break;
		}
		if (git_reference_type(r) != GIT_REFERENCE_SYMBOLIC) {
			git_reference_free(r);
			break;
		}
		free(cur);
		cur = xstrdup(git_reference_symbolic_target(r));
		git_reference_free(r);
	}
	return cur;
}

static int read_updates(struct hook *h, FILE *in)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int rc = 0;

	while (!rc && (len = getline(&line, &cap, in)) >= 0) {
		char old[GIT_OID_HEXSZ + 1], new[GIT_OID_HEXSZ + 1];
		struct update *u;

		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!len)
			continue;
		if ((size_t)len < 2 * GIT_OID_HEXSZ + 3 || line[GIT_OID_HEXSZ] != ' ' ||
		    line[2 * GIT_OID_HEXSZ + 1] != ' ') {
			rc = error_set(REVQ_EUSAGE, "malformed hook input line '%s'", line);
			break;
		}
		memcpy(old, line, GIT_OID_HEXSZ);
		old[GIT_OID_HEXSZ] = '\0';
		memcpy(new, line + GIT_OID_HEXSZ + 1, GIT_OID_HEXSZ);
		new[GIT_OID_HEXSZ] = '\0';
		ALLOC_GROW(h->u, h->nr + 1, h->alloc);
		u = &h->u[h->nr];
		memset(u, 0, sizeof(*u));
		if (git_oid_fromstr(&u->old, old) || git_oid_fromstr(&u->new, new)) {
			rc = error_set(REVQ_EUSAGE, "malformed hook input line '%s'", line);
			break;
		}
		u->ref = xstrdup(line + 2 * GIT_OID_HEXSZ + 2);
		u->resolved = resolve_symref(h->s->repo->git, u->ref);
		h->nr++;
	}
	free(line);
	return rc;
}

/* ---- protected refs ---- */

/* "main" means refs/heads/main; a full name or pattern is taken as it is. */
static void add_pattern(struct strvec *out, const char *value)
{
	struct strbuf sb = STRBUF_INIT;

	if (!*value)
		return;
	if (strncmp(value, "refs/", 5))
		strbuf_addstr(&sb, "refs/heads/");
	strbuf_addstr(&sb, value);
	strvec_push(out, sb.buf);
	strbuf_release(&sb);
}

/*
 * revq.protect, or when it is unset: revq.target, refs/heads/main,
 * refs/heads/master and the branch HEAD names (born or not), so that a
 * forgotten setting protects more, never less.
 */
static int load_protect(struct hook *h)
{
	git_repository *repo = h->s->repo->git;
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *entry;
	git_reference *head;

	if (git_repository_config_snapshot(&cfg, repo))
		return error_set_git(REVQ_ERROR, "cannot read the configuration");
	if (!git_config_multivar_iterator_new(&it, cfg, "revq.protect", NULL)) {
		while (!git_config_next(&entry, it))
			add_pattern(&h->protect, entry->value);
		git_config_iterator_free(it);
	}
	git_error_clear();
	git_config_free(cfg);
	if (h->protect.nr)
		return 0;
	if (h->s->repo->settings.target)
		add_pattern(&h->protect, h->s->repo->settings.target);
	add_pattern(&h->protect, "refs/heads/main");
	add_pattern(&h->protect, "refs/heads/master");
	if (!git_reference_lookup(&head, repo, "HEAD")) {
		if (git_reference_type(head) == GIT_REFERENCE_SYMBOLIC)
			add_pattern(&h->protect, git_reference_symbolic_target(head));
		git_reference_free(head);
	}
	git_error_clear();
	return 0;
}

static int matches(const struct hook *h, const char *ref)
{
	for (size_t i = 0; i < h->protect.nr; i++)
		if (!fnmatch(h->protect.v[i], ref, 0))
			return 1;
	return 0;
}

static int is_protected(const struct hook *h, const struct update *u)
{
	return matches(h, u->ref) || matches(h, u->resolved);
}

/* ---- the server-wide rules ---- */

static void check_grafts(struct hook *h)
{
	struct strbuf path = STRBUF_INIT;

	if (pending_grafts_path(&path, h->s->repo->git))
		refuse(h, NULL, "%s exists: grafts rewrite history for git but not for revq; remove it",
		       path.buf);
	strbuf_release(&path);
}

static int is_replace(const char *ref)
{
	return !strncmp(ref, "refs/replace/", 13);
}

static void check_replace(struct hook *h, const struct update *u)
{
	if (!git_oid_is_zero(&u->new) && (is_replace(u->ref) || is_replace(u->resolved)))
		refuse(h, u->ref, "replace refs make git check out other commits than revq verified");
}

/* The decisions ref may only grow: a fast-forward that keeps every line. */
static void check_notes(struct hook *h, const struct update *u, int *seen)
{
	git_repository *repo = h->s->repo->git;
	struct strbuf why = STRBUF_INIT;
	struct notes *pushed;
	git_oid cur;
	int rc;

	if (strcmp(u->ref, h->s->repo->settings.notes_ref) &&
	    strcmp(u->resolved, h->s->repo->settings.notes_ref))
		return;
	if ((*seen)++) {
		refuse(h, u->ref, "the push updates the decisions ref twice");
		return;
	}
	if (git_oid_is_zero(&u->new)) {
		refuse(h, u->ref, "decisions are append-only: the notes ref cannot be deleted");
		return;
	}
	if (!git_reference_name_to_id(&cur, repo, u->resolved)) {
		rc = notes_check_append_only(repo, &cur, &u->new, &why);
	} else {
		/* Created by this push: there is nothing to lose, but it must read. */
		git_error_clear();
		if (!(rc = notes_load_commit(&pushed, repo, &u->new)))
			notes_free(pushed);
	}
	if (rc == REVQ_EDENIED)
		refuse(h, u->ref, "decisions are append-only: %s", why.buf);
	else if (rc)
		refuse(h, u->ref, "cannot check the pushed notes: %s", error_last());
	else
		git_oid_tostr(h->notes, sizeof(h->notes), &u->new);
	strbuf_release(&why);
}

/* ---- protected branches ---- */

/* `revq verify --target TARGET [--notes-ref NOTES] RANGE`, in this process, output on stderr. */
static int run_verify(struct hook *h, const char *target, const char *range)
{
	char *argv[8];
	int argc = 0;

	argv[argc++] = "verify";
	argv[argc++] = "--target";
	argv[argc++] = (char *)target;
	if (*h->notes) {
		argv[argc++] = "--notes-ref";
		argv[argc++] = h->notes;
	}
	argv[argc++] = (char *)range;
	argv[argc] = NULL;
	optind = 0;
	return cmd_verify(argc, argv);
}

/*
 * A new protected branch with no target ref to hold a policy: no approval
 * can count, so it may bring in no AI-assisted commit at all (its whole
 * history is checked).
 */
static int check_without_policy(struct hook *h, const struct update *u)
{
	git_repository *repo = h->s->repo->git;
	git_revwalk *walk = NULL;
	git_oid *ids = NULL, id;
	struct item **items;
	size_t nr = 0, alloc = 0, ai = 0;
	int rc;

	if (git_revwalk_new(&walk, repo) || git_revwalk_push(walk, &u->new)) {
		git_revwalk_free(walk);
		return error_set_git(REVQ_ERROR, "cannot walk %s", git_oid_tostr_s(&u->new));
	}
	while (!(rc = git_revwalk_next(&id, walk))) {
		ALLOC_GROW(ids, nr + 1, alloc);
		git_oid_cpy(&ids[nr++], &id);
	}
	git_revwalk_free(walk);
	if (rc != GIT_ITEROVER) {
		free(ids);
		return error_set_git(REVQ_ERROR, "cannot walk %s", git_oid_tostr_s(&u->new));
	}
	items = xcalloc(nr ? nr : 1, sizeof(*items));
	if (!(rc = queue_compute_items(items, h->s, ids, nr, 0, 0))) {
		for (size_t i = 0; i < nr; i++) {
			if (!item_is_ai(items[i]))
				continue;
			if (!ai++)
				refuse(h, u->ref, "no target ref holds a policy yet, so no approval can count, "
				       "and %s is AI-assisted; push the target branch first",
				       git_oid_tostr_s(&ids[i]));
		}
	}
	for (size_t i = 0; i < nr; i++)
		item_free(items[i]);
	free(items);
	free(ids);
	return rc;
}

static void check_branch(struct hook *h, const struct update *u)
{
	char range[2 * GIT_OID_HEXSZ + 3], cur_hex[GIT_OID_HEXSZ + 1], new_hex[GIT_OID_HEXSZ + 1];
	struct target t;
	git_oid cur;
	int rc;

	if (git_oid_is_zero(&u->new))
		return;   /* deleting: receive.denyDeletes is git's rule for that */
	git_oid_tostr(new_hex, sizeof(new_hex), &u->new);
	if (!git_reference_name_to_id(&cur, h->s->repo->git, u->resolved)) {
		/* Against the branch as it is, whatever OLD the pusher sent. */
		git_oid_tostr(cur_hex, sizeof(cur_hex), &cur);
		snprintf(range, sizeof(range), "%s..%s", cur_hex, new_hex);
		rc = run_verify(h, u->resolved, range);
	} else if (git_error_clear(), !repo_find_target(&t, h->s->repo, NULL)) {
		if (t.refname && strcmp(t.refname, u->resolved)) {
			rc = run_verify(h, t.refname, new_hex);   /* TARGET..NEW */
		} else {
			rc = check_without_policy(h, u);
		}
		target_release(&t);
	} else {
		error_clear();
		rc = check_without_policy(h, u);
	}
	if (rc < 0)
		refuse(h, u->ref, "%s", error_last());
	else if (rc == EXIT_FAILED)
		refuse(h, u->ref, "AI-assisted commits lack approval (see above); approve with 'revq approve "
		       "COMMIT', push refs/notes/revq, push again");
	else if (rc)
		refuse(h, u->ref, "revq verify could not judge the update (see above)");
}

static int pre_receive(void)
{
	struct hook h;
	int notes_seen = 0, rc;

	memset(&h, 0, sizeof(h));   /* an empty strvec is all zeros (STRVEC_INIT) */
	if ((rc = cli_open_session(&h.s)))
		return cli_fail(rc);
	if ((rc = read_updates(&h, stdin)) || (rc = load_protect(&h))) {
		refuse(&h, NULL, "%s", error_last());
	} else {
		check_grafts(&h);
		for (size_t i = 0; i < h.nr; i++) {
			check_replace(&h, &h.u[i]);
			check_notes(&h, &h.u[i], &notes_seen);
		}
		/* Branches last: with the pushed notes only once they passed the append-only check. */
		for (size_t i = 0; i < h.nr; i++)
			if (is_protected(&h, &h.u[i]))
				check_branch(&h, &h.u[i]);
	}
	for (size_t i = 0; i < h.nr; i++) {
		free(h.u[i].ref);
		free(h.u[i].resolved);
	}
	free(h.u);
	strvec_clear(&h.protect);
	session_free(h.s);
	return h.refused ? EXIT_FAILED : EXIT_OK;
}

int cmd_hook(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
		return cli_print_usage(stdout, hook_usage);
	if (argc != 2 || strcmp(argv[1], "pre-receive"))
		return cli_print_usage(stderr, hook_usage);
	/* Everything a hook prints goes to the pusher; keep it on one stream. */
	fflush(stdout);
	if (dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
		return cli_usage_error("cannot redirect output");
	cli_term.wrap = HOOK_WIDTH;
	return pre_receive();
}
