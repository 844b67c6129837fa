/*
 * versions.c: recognising a new version of a decided commit, and the
 * interdiff between the two, rebase left out (see versions.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/strbuf.h"
#include "decide/versions.h"
#include "git/message.h"
#include "git/remerge.h"
#include "judge/analyze.h"
#include "judge/item.h"
#include "queue/queue.h"

const char *version_match_name(enum version_match by)
{
	switch (by) {
	case VERSION_CHANGE_ID: return "change-id";
	case VERSION_BRANCH: return "branch";
	case VERSION_PATCH: return "patch";
	case VERSION_SUBJECT: return "subject";
	default: return "none";
	}
}

/* A key of two strings (NUL-separated, so "a" "bc" is not "ab" "c"). */
static void text_key(git_oid *out, const char *kind, const char *a, const char *b)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, kind);
	strbuf_addch(&sb, '\0');
	strbuf_addstr(&sb, a);
	strbuf_addch(&sb, '\0');
	strbuf_addstr(&sb, b ? b : "");
	git_odb_hash(out, sb.buf, sb.len, GIT_OBJECT_BLOB);
	strbuf_release(&sb);
}

char *versions_change_id(const git_commit *commit)
{
	git_buf header = GIT_BUF_INIT;
	struct message msg = MESSAGE_INIT;
	char *id = NULL;

	if (!git_commit_header_field(&header, commit, "change-id") && header.size) {
		id = xstrdup(header.ptr);
	} else {
		const char *raw = git_commit_message_raw(commit);

		message_parse_git(&msg, raw ? raw : "", 0);
		for (size_t i = msg.trailers_nr; i-- > 0 && !id;)
			if (message_trailer_is(&msg.trailers[i], "Change-Id") && *msg.trailers[i].value)
				id = xstrdup(msg.trailers[i].value);
		message_release(&msg);
	}
	git_error_clear();
	git_buf_dispose(&header);
	return id;
}

/* The subject key: the normalised author address and the subject. */
static void subject_key(git_oid *out, const git_commit *commit)
{
	struct strbuf email = STRBUF_INIT;
	const git_signature *author = git_commit_author(commit);
	const char *summary = git_commit_summary((git_commit *)commit);

	identity_normalize_email(&email, author && author->email ? author->email : "");
	text_key(out, "subject", email.buf, summary);
	strbuf_release(&email);
}

/* 1 when decided entry a is later than b (the latest decision wins, then the greater id). */
static int later(const struct decided *a, const struct decided *b)
{
	if (a->latest->time != b->latest->time)
		return a->latest->time > b->latest->time;
	return git_oid_cmp(&a->commit, &b->commit) > 0;
}

/* Points key at entry i of x in map, unless an entry decided later holds it. */
static void index_latest(struct version_index *x, struct oidmap *map, const git_oid *key, size_t i)
{
	size_t at;

	if (!oidmap_get(map, key, &at) || later(&x->v[i], &x->v[at]))
		oidmap_put(map, key, i);
}

/* Collects one record made on the commit it is noted on (a decision on that very commit). */
static int collect(const struct record *rec, const git_oid *noted_on, void *data)
{
	struct version_index *x = data;
	size_t at;

	if (rec->series || rec->verdict == VERDICT_WITHDRAW || !git_oid_equal(&rec->commit, noted_on))
		return 0;
	if (oidmap_get(&x->by_commit, noted_on, &at)) {
		if (rec->time >= x->v[at].latest->time)
			x->v[at].latest = rec;
		return 0;
	}
	ALLOC_GROW(x->v, x->nr + 1, x->alloc);
	git_oid_cpy(&x->v[x->nr].commit, noted_on);
	x->v[x->nr].latest = rec;
	oidmap_put(&x->by_commit, noted_on, x->nr++);
	return 0;
}

/* Indexes decided entry i by its record's patch-id and, when its commit is here, its Change-Id and subject. */
static void index_entry(struct version_index *x, size_t i)
{
	git_repository *repo = x->review->session->repo->git;
	git_commit *commit = NULL;
	git_oid key;
	char *change_id;

	index_latest(x, &x->by_patch, &x->v[i].latest->patch_id, i);
	if (git_commit_lookup(&commit, repo, &x->v[i].commit)) {
		git_error_clear();   /* gone (gc'd, or never fetched): only its patch-id is known */
		return;
	}
	if ((change_id = versions_change_id(commit))) {
		text_key(&key, "change-id", change_id, NULL);
		index_latest(x, &x->by_change_id, &key, i);
		free(change_id);
	}
	subject_key(&key, commit);
	index_latest(x, &x->by_subject, &key, i);
	git_commit_free(commit);
}

int versions_index_new(struct version_index **out, struct review *review)
{
	struct version_index *x = xcalloc(1, sizeof(*x));
	int rc;

	x->review = review;
	if (!(rc = review_each_record(review, collect, x)))
		for (size_t i = 0; i < x->nr; i++)
			index_entry(x, i);
	if (rc) {
		versions_index_free(x);
		x = NULL;
	}
	*out = x;
	return rc;
}

void versions_index_free(struct version_index *x)
{
	if (!x)
		return;
	free(x->v);
	oidmap_clear(&x->by_commit);
	oidmap_clear(&x->by_change_id);
	oidmap_clear(&x->by_patch);
	oidmap_clear(&x->by_subject);
	free(x);
}

/* 1 when entry at can be an earlier version of commit: another commit, not one it is built on. */
static int acceptable(const struct version_index *x, const git_commit *commit, size_t at)
{
	git_repository *repo = x->review->session->repo->git;
	const git_oid *old = &x->v[at].commit;
	int ancestor;

	if (git_oid_equal(old, git_commit_id(commit)))
		return 0;
	ancestor = git_graph_descendant_of(repo, git_commit_id(commit), old);
	git_error_clear();
	return ancestor == 0;
}

/* Looks key up in map: 1 and out set when an acceptable entry holds it. */
static int try_key(struct earlier_version *out, const struct version_index *x, const struct oidmap *map,
		   const git_oid *key, const git_commit *commit, enum version_match by)
{
	size_t at;

	if (!oidmap_get(map, key, &at) || !acceptable(x, commit, at))
		return 0;
	out->decided = &x->v[at];
	out->by = by;
	return 1;
}

/* A candidate ref whose reflog names a decided commit: the latest decided of them. */
static int try_branch(struct earlier_version *out, const struct version_index *x, const git_commit *commit,
		      const struct strvec *refs)
{
	git_repository *repo = x->review->session->repo->git;
	const struct decided *best = NULL;

	for (size_t i = 0; refs && i < refs->nr; i++) {
		struct strbuf name = STRBUF_INIT;
		git_reflog *log = NULL;

		strbuf_addf(&name, "%s%s", strncmp(refs->v[i], "refs/", 5) ? "refs/heads/" : "", refs->v[i]);
		if (git_reflog_read(&log, repo, name.buf))
			log = NULL;
		for (size_t e = 0; log && e < git_reflog_entrycount(log); e++) {
			const git_reflog_entry *entry = git_reflog_entry_byindex(log, e);
			size_t at;

			if (oidmap_get(&x->by_commit, git_reflog_entry_id_new(entry), &at) &&
			    acceptable(x, commit, at) && (!best || later(&x->v[at], best)))
				best = &x->v[at];
		}
		git_reflog_free(log);
		git_error_clear();
		strbuf_release(&name);
	}
	if (best) {
		out->decided = best;
		out->by = VERSION_BRANCH;
	}
	return best != NULL;
}

int versions_find(struct earlier_version *out, struct version_index *x, const git_commit *commit,
		  const struct strvec *refs, unsigned flags)
{
	char *change_id = versions_change_id(commit);
	git_oid key;
	int found = 0;

	out->decided = NULL;
	out->by = VERSION_NONE;
	if (!x->nr) {
		free(change_id);
		return REVQ_ENOTFOUND;
	}
	if (change_id) {
		text_key(&key, "change-id", change_id, NULL);
		found = try_key(out, x, &x->by_change_id, &key, commit, VERSION_CHANGE_ID);
	}
	if (!found)
		found = try_branch(out, x, commit, refs);
	if (!found) {
		subject_key(&key, commit);
		found = try_key(out, x, &x->by_subject, &key, commit, VERSION_SUBJECT);
	}
	if (!found && (flags & VERSIONS_EXACT) && !review_patch_id(&key, x->review->session, git_commit_id(commit)))
		found = try_key(out, x, &x->by_patch, &key, commit, VERSION_PATCH);
	error_clear();
	free(change_id);
	return found ? 0 : REVQ_ENOTFOUND;
}

/* 1 when two addresses are one, normalised as identities are (item.h). */
static int same_address(const char *a, const char *b)
{
	struct strbuf x = STRBUF_INIT, y = STRBUF_INIT;
	int same;

	identity_normalize_email(&x, a ? a : "");
	identity_normalize_email(&y, b ? b : "");
	same = x.len && !strcmp(x.buf, y.buf);
	strbuf_release(&x);
	strbuf_release(&y);
	return same;
}

/* Marks one item; with of, moves it to email when email decided its earlier version. */
static void mark_one(struct version_index *x, struct item *it, const char *email, enum need_of *of)
{
	git_repository *repo = x->review->session->repo->git;
	struct earlier_version found;
	git_commit *commit = NULL;

	it->has_earlier = 0;
	if (git_commit_lookup(&commit, repo, &it->id)) {
		git_error_clear();
		return;
	}
	if (!versions_find(&found, x, commit, &it->refs, 0)) {
		it->has_earlier = 1;
		git_oid_cpy(&it->earlier, &found.decided->commit);
		if (of && email && *of == NEEDS_SOMEONE_ELSE && same_address(found.decided->latest->reviewer_email, email) &&
		    !same_address(it->author_email, email))
			*of = NEEDS_ME;
	}
	git_commit_free(commit);
}

int versions_mark(struct review *review, struct item *const *items, size_t nr, const char *email,
		  enum need_of *of)
{
	struct version_index *x = NULL;
	int rc;

	if ((rc = versions_index_new(&x, review)))
		return rc;
	for (size_t i = 0; i < nr && x->nr; i++)
		mark_one(x, items[i], email, of ? &of[i] : NULL);
	versions_index_free(x);
	return 0;
}

/* ---- the interdiff ---- */

/* The first parent's tree of commit, or NULL (a root commit: the empty tree). */
static int parent_tree(git_tree **out, const git_commit *commit)
{
	git_commit *parent = NULL;
	int rc = 0;

	*out = NULL;
	if (!git_commit_parentcount(commit))
		return 0;
	if (git_commit_parent(&parent, commit, 0) || git_commit_tree(out, parent))
		rc = error_set_git(REVQ_ERROR, "cannot read the parent of %s", git_oid_tostr_s(git_commit_id(commit)));
	git_commit_free(parent);
	return rc;
}

/*
 * The old change applied on the new version's parent: old's parent tree
 * as the ancestor, the new parent's tree ours, old's tree theirs.  *out
 * NULL (no error) when that conflicts.
 */
static int apply_old(git_tree **out, git_repository *scratch, const git_commit *old, const git_commit *new)
{
	git_tree *base = NULL, *ours = NULL, *theirs = NULL;
	git_index *index = NULL;
	git_merge_options opts;
	git_oid tree;
	int rc;

	*out = NULL;
	git_merge_options_init(&opts, GIT_MERGE_OPTIONS_VERSION);
	if ((rc = parent_tree(&base, old)) || (rc = parent_tree(&ours, new)))
		goto done;
	if (!ours || git_commit_parentcount(old) > 1)
		goto done;   /* nothing to apply onto, or a merge: the plain fallback */
	if (git_commit_tree(&theirs, old) || git_merge_trees(&index, scratch, base, ours, theirs, &opts))
		rc = error_set_git(REVQ_ERROR, "cannot apply the earlier version again");
	else if (!git_index_has_conflicts(index) &&
		 (git_index_write_tree_to(&tree, index, scratch) || git_tree_lookup(out, scratch, &tree)))
		rc = error_set_git(REVQ_ERROR, "cannot write the earlier version applied again");
done:
	git_index_free(index);
	git_tree_free(base);
	git_tree_free(ours);
	git_tree_free(theirs);
	return rc;
}

/* Every path either commit changes, as a pathspec (an empty one would match everything). */
static int touched_paths(struct strvec *out, git_repository *repo, const git_commit *old, const git_commit *new)
{
	int rc;

	if (!(rc = analyze_changed_paths(out, repo, old)))
		rc = analyze_changed_paths(out, repo, new);
	return rc;
}

/* old's tree against new's, on the paths either change touches. */
static int fallback_diff(struct interdiff *out, const git_commit *old, const git_commit *new)
{
	git_diff_options opts;
	struct strvec paths = STRVEC_INIT;
	git_tree *a = NULL, *b = NULL;
	int rc;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	out->fallback = 1;
	if ((rc = touched_paths(&paths, out->scratch, old, new)))
		return rc;
	opts.pathspec.strings = (char **)paths.v;
	opts.pathspec.count = paths.nr;
	opts.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	if (git_commit_tree(&a, old) || git_commit_tree(&b, paths.nr ? new : old) ||
	    git_diff_tree_to_tree(&out->diff, out->scratch, a, b, &opts))
		rc = error_set_git(REVQ_ERROR, "cannot diff the two versions");
	git_tree_free(a);
	git_tree_free(b);
	strvec_clear(&paths);
	return rc;
}

static int compute(struct interdiff *out, const git_commit *old, const git_commit *new)
{
	git_tree *applied = NULL, *tree = NULL;
	int rc;

	if ((rc = apply_old(&applied, out->scratch, old, new)))
		return rc;
	if (!applied)
		return fallback_diff(out, old, new);
	if (git_commit_tree(&tree, new))
		rc = error_set_git(REVQ_ERROR, "cannot read the tree of the new version");
	else
		rc = analyze_trees_diff(&out->diff, out->scratch, applied, tree, 0, 0, NULL);
	git_tree_free(tree);
	git_tree_free(applied);
	return rc;
}

int interdiff_compute(struct interdiff *out, git_repository *repo, const git_oid *old_commit,
		      const git_oid *new_commit)
{
	git_commit *old = NULL, *new = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = remerge_open_scratch(&out->scratch, repo)))
		return rc;
	if (git_commit_lookup(&old, out->scratch, old_commit) || git_commit_lookup(&new, out->scratch, new_commit))
		rc = error_set_git(REVQ_ENOTFOUND, "the earlier version %s is not in the repository",
				   git_oid_tostr_s(old_commit));
	else
		rc = compute(out, old, new);
	git_commit_free(old);
	git_commit_free(new);
	if (rc)
		interdiff_release(out);
	return rc;
}

void interdiff_release(struct interdiff *d)
{
	git_diff_free(d->diff);
	git_repository_free(d->scratch);
	d->diff = NULL;
	d->scratch = NULL;
	d->fallback = 0;
}

/* ---- one item's earlier version, for the front ends ---- */

/* The latest record ev holds on commit itself, preferring one that counts. */
static const struct judged_record *latest_record(const struct evaluation *ev, const git_oid *commit)
{
	const struct judged_record *best = NULL, *counted = NULL;

	for (size_t i = 0; i < ev->records_nr; i++) {
		const struct judged_record *jr = &ev->records[i];

		if (jr->carried || jr->record.series || !git_oid_equal(&jr->record.commit, commit))
			continue;
		if (!best || jr->record.time >= best->record.time)
			best = jr;
		if (!jr->problem && (!counted || jr->record.time >= counted->record.time))
			counted = jr;
	}
	return counted ? counted : best;
}

/* Judges the earlier version's records and computes the interdiff. */
static int judge_earlier(struct earlier *out, struct review *review, const struct item *item)
{
	struct item *old = NULL;
	int rc;

	if ((rc = queue_load_item(&old, review->session, &out->commit)))
		return rc;
	out->subject = xstrdup(old->subject ? old->subject : "");
	if (!(rc = review_evaluate(&out->ev, review, old))) {
		out->latest = latest_record(&out->ev, &out->commit);
		if (interdiff_compute(&out->diff, review->session->repo->git, &out->commit, &item->id))
			out->diff_failed = 1;
	}
	item_free(old);
	return rc;
}

int versions_earlier(struct earlier *out, struct review *review, const struct item *item, const struct strvec *refs)
{
	struct version_index *index = NULL;
	struct earlier_version found;
	git_commit *commit = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = versions_index_new(&index, review)))
		return rc;
	if (git_commit_lookup(&commit, review->session->repo->git, &item->id)) {
		rc = error_set_git(REVQ_ENOTFOUND, "no commit %s", git_oid_tostr_s(&item->id));
	} else if (!versions_find(&found, index, commit, refs, VERSIONS_EXACT)) {
		out->found = 1;
		out->by = found.by;
		git_oid_cpy(&out->commit, &found.decided->commit);
		out->change_id = found.by == VERSION_CHANGE_ID ? versions_change_id(commit) : NULL;
		if ((rc = judge_earlier(out, review, item)))
			earlier_release(out);
	}
	git_commit_free(commit);
	versions_index_free(index);
	return rc;
}

void earlier_release(struct earlier *e)
{
	if (e->found) {
		evaluation_release(&e->ev);
		interdiff_release(&e->diff);
	}
	free(e->subject);
	free(e->change_id);
	memset(e, 0, sizeof(*e));
}
