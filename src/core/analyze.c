/*
 * analyze.c: one pass over a commit's diff that counts lines the way
 * `git log --numstat` does and feeds every added line to the risk
 * scanner.  Context lines are not generated: they cost time and carry
 * no signal.
 */
#include "config.h"

#include <string.h>

#include "revq/analyze.h"
#include "revq/error.h"
#include "revq/strbuf.h"
#include "revq/treediff.h"

static int parent_tree(git_tree **out, git_repository *repo, const git_commit *commit)
{
	git_commit *parent;
	int rc;

	*out = NULL;
	if (!git_commit_parentcount(commit))
		return 0;
	rc = git_commit_parent(&parent, commit, 0);
	if (rc == GIT_ENOTFOUND) {
		/* Shallow clone boundary: diff against the empty tree, as git does. */
		git_error_clear();
		return 0;
	}
	if (rc)
		return error_set_git(REVQ_ERROR, "cannot read parent of %s",
				     git_oid_tostr_s(git_commit_id(commit)));
	rc = git_commit_tree(out, parent);
	git_commit_free(parent);
	if (rc)
		return error_set_git(REVQ_ERROR, "cannot read tree of parent of %s",
				     git_oid_tostr_s(git_commit_id(commit)));
	(void)repo;
	return 0;
}

/* The trees a commit's diff is between: its first parent's (NULL for none) and its own. */
static int commit_trees(git_tree **old_tree, git_tree **new_tree, git_repository *repo,
			const git_commit *commit)
{
	int rc;

	*new_tree = NULL;
	if ((rc = parent_tree(old_tree, repo, commit)))
		return rc;
	if (git_commit_tree(new_tree, commit)) {
		git_tree_free(*old_tree);
		*old_tree = NULL;
		return error_set_git(REVQ_ERROR, "cannot read tree of %s",
				     git_oid_tostr_s(git_commit_id(commit)));
	}
	return 0;
}

/* The diff between two trees of commit, renames and copies found when flags ask. */
static int diff_trees(git_diff **out, git_repository *repo, const git_commit *commit,
		      git_tree *old_tree, git_tree *new_tree, unsigned flags)
{
	git_diff_options opts;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.context_lines = 0;
	opts.interhunk_lines = 0;
	if (git_diff_tree_to_tree(out, repo, old_tree, new_tree, &opts))
		return error_set_git(REVQ_ERROR, "cannot diff %s", git_oid_tostr_s(git_commit_id(commit)));
	if (flags & ANALYZE_RENAMES) {
		git_diff_find_options find;

		git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
		find.flags = GIT_DIFF_FIND_RENAMES | GIT_DIFF_FIND_COPIES;
		if (git_diff_find_similar(*out, &find)) {
			git_diff_free(*out);
			*out = NULL;
			return error_set_git(REVQ_ERROR, "cannot detect renames in %s",
					     git_oid_tostr_s(git_commit_id(commit)));
		}
	}
	return 0;
}

int analyze_commit_diff(git_diff **out, git_repository *repo, const git_commit *commit,
			unsigned flags)
{
	git_tree *old_tree, *new_tree;
	int rc;

	*out = NULL;
	if ((rc = commit_trees(&old_tree, &new_tree, repo, commit)))
		return rc;
	rc = diff_trees(out, repo, commit, old_tree, new_tree, flags);
	git_tree_free(old_tree);
	git_tree_free(new_tree);
	return rc;
}

struct walk {
	struct analysis *a;
	const struct risk_rules *rules;
};

static char status_letter(git_delta_t status)
{
	switch (status) {
	case GIT_DELTA_ADDED: return 'A';
	case GIT_DELTA_DELETED: return 'D';
	case GIT_DELTA_RENAMED: return 'R';
	case GIT_DELTA_COPIED: return 'C';
	case GIT_DELTA_TYPECHANGE: return 'T';
	default: return 'M';
	}
}

static int is_executable(uint32_t mode)
{
	return mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

static int on_file(const git_diff_delta *delta, float progress, void *payload)
{
	struct walk *w = payload;
	struct analysis *a = w->a;
	struct file_stat *f;
	const char *path = delta->status == GIT_DELTA_DELETED ? delta->old_file.path
							       : delta->new_file.path;

	(void)progress;
	ALLOC_GROW(a->files, a->files_nr + 1, a->files_alloc);
	f = &a->files[a->files_nr++];
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	f->status = status_letter(delta->status);
	if (delta->status == GIT_DELTA_RENAMED || delta->status == GIT_DELTA_COPIED) {
		f->old_path = xstrdup(delta->old_file.path);
		f->similarity = delta->similarity;
	}
	f->old_mode = delta->old_file.mode;
	f->new_mode = delta->new_file.mode;
	f->submodule = delta->old_file.mode == GIT_FILEMODE_COMMIT ||
		       delta->new_file.mode == GIT_FILEMODE_COMMIT;
	a->totals.files++;
	if (delta->status == GIT_DELTA_DELETED)
		a->totals.deleted_files++;
	risk_scan_path(&a->findings, w->rules, path);
	if (f->old_path)
		risk_scan_path(&a->findings, w->rules, f->old_path);
	if (is_executable(f->new_mode) && !is_executable(f->old_mode))
		risk_note(&a->findings, RISK_EXECUTABLE, path);
	if (f->submodule)
		risk_note(&a->findings, RISK_SUBMODULE, path);
	return 0;
}

static int on_binary(const git_diff_delta *delta, const git_diff_binary *binary, void *payload)
{
	struct walk *w = payload;
	struct file_stat *f = &w->a->files[w->a->files_nr - 1];

	(void)binary;
	(void)delta;
	if (!f->binary) {
		f->binary = 1;
		risk_note(&w->a->findings, RISK_BINARY, f->path);
	}
	return 0;
}

static int on_line(const git_diff_delta *delta, const git_diff_hunk *hunk,
		   const git_diff_line *line, void *payload)
{
	struct walk *w = payload;
	struct file_stat *f = &w->a->files[w->a->files_nr - 1];
	size_t len = line->content_len;

	(void)delta;
	(void)hunk;
	if (line->origin == GIT_DIFF_LINE_ADDITION) {
		f->added++;
		w->a->totals.added++;
		if (len && line->content[len - 1] == '\n')
			len--;
		risk_scan_line(&w->a->findings, w->rules, f->path, (unsigned)line->new_lineno,
			       line->content, len);
	} else if (line->origin == GIT_DIFF_LINE_DELETION) {
		f->deleted++;
		w->a->totals.deleted++;
	}
	return 0;
}

/*
 * Diffs one file's contents.  The blobs are diffed as plain buffers on
 * purpose: libgit2 would otherwise look up .gitattributes in the working
 * tree for every file (a realpath and a dozen stats each), and attributes
 * from a checkout such as "*.tf -diff" could hide lines from review.
 * Binary files are recognised by their content, as git does by default.
 */
int analyze_delta(git_repository *repo, const git_diff_delta *delta, git_diff_binary_cb binary_cb,
		  git_diff_hunk_cb hunk_cb, git_diff_line_cb line_cb, void *payload,
		  uint32_t context_lines)
{
	git_diff_options opts;
	git_blob *old_blob = NULL, *new_blob = NULL;
	int rc = 0;

	if (delta->old_file.mode == GIT_FILEMODE_COMMIT || delta->new_file.mode == GIT_FILEMODE_COMMIT)
		return 0;   /* a submodule pointer has no lines */
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.context_lines = context_lines;
	opts.interhunk_lines = 0;
	if ((!git_oid_is_zero(&delta->old_file.id) &&
	     git_blob_lookup(&old_blob, repo, &delta->old_file.id)) ||
	    (!git_oid_is_zero(&delta->new_file.id) &&
	     git_blob_lookup(&new_blob, repo, &delta->new_file.id)))
		rc = error_set_git(REVQ_ERROR, "cannot read the contents of %s", delta->new_file.path);
	/* Buffers have no repository, so libgit2 looks up no attributes for them. */
	if (!rc && git_diff_buffers(old_blob ? git_blob_rawcontent(old_blob) : NULL,
				    old_blob ? (size_t)git_blob_rawsize(old_blob) : 0, NULL,
				    new_blob ? git_blob_rawcontent(new_blob) : NULL,
				    new_blob ? (size_t)git_blob_rawsize(new_blob) : 0, NULL,
				    &opts, NULL, binary_cb, hunk_cb, line_cb, payload))
		rc = error_set_git(REVQ_ERROR, "cannot diff %s", delta->new_file.path);
	git_blob_free(old_blob);
	git_blob_free(new_blob);
	return rc;
}

/*
 * A file moved unchanged is no added and deleted code: pair exact renames
 * (same blob id, no content read) so that risk does not count a move as
 * a large change and a deleted file.  Edited moves stay an addition and a
 * deletion; full similarity detection is for display only (it reads and
 * hashes every candidate blob).
 */
static int find_exact_renames(git_diff *diff, const git_commit *commit)
{
	git_diff_find_options find;

	git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
	find.flags = GIT_DIFF_FIND_RENAMES | GIT_DIFF_FIND_EXACT_MATCH_ONLY;
	if (git_diff_find_similar(diff, &find))
		return error_set_git(REVQ_ERROR, "cannot detect renames in %s",
				     git_oid_tostr_s(git_commit_id(commit)));
	return 0;
}

/* Counts and scans one changed file. */
static int analyze_file(struct walk *w, git_repository *repo, const git_diff_delta *delta)
{
	on_file(delta, 0, w);
	return analyze_delta(repo, delta, on_binary, NULL, on_line, w, 0);
}

/*
 * With libgit2's diff machinery: renames to pair, or to detect for
 * display.  Slower than treediff (see treediff.h), so only then.
 */
static int analyze_with_git_diff(struct walk *w, git_repository *repo, const git_commit *commit,
				 git_tree *old_tree, git_tree *new_tree, unsigned flags)
{
	git_diff *diff;
	int rc;

	if ((rc = diff_trees(&diff, repo, commit, old_tree, new_tree, flags)))
		return rc;
	if (!(flags & ANALYZE_RENAMES))
		rc = find_exact_renames(diff, commit);
	for (size_t i = 0; i < git_diff_num_deltas(diff) && !rc; i++)
		rc = analyze_file(w, repo, git_diff_get_delta(diff, i));
	git_diff_free(diff);
	return rc;
}

/* With treediff, unless there are moves to pair (an addition and a deletion). */
static int analyze_trees(struct walk *w, git_repository *repo, const git_commit *commit,
			 git_tree *old_tree, git_tree *new_tree)
{
	struct treediff changes = TREEDIFF_INIT;
	int rc;

	if ((rc = treediff_trees(&changes, repo, old_tree, new_tree)))
		return rc;
	if (changes.added && changes.deleted)
		rc = analyze_with_git_diff(w, repo, commit, old_tree, new_tree, 0);
	else
		for (size_t i = 0; i < changes.nr && !rc; i++)
			rc = analyze_file(w, repo, &changes.deltas[i]);
	treediff_release(&changes);
	return rc;
}

int analyze_commit(struct analysis *out, git_repository *repo, const git_commit *commit,
		   const struct risk_rules *rules, unsigned flags)
{
	struct walk w = { out, rules };
	git_tree *old_tree, *new_tree;
	int rc;

	memset(out, 0, sizeof(*out));
	risk_findings_init(&out->findings);
	if ((rc = commit_trees(&old_tree, &new_tree, repo, commit))) {
		analysis_release(out);
		return rc;
	}
	rc = flags & ANALYZE_RENAMES
		? analyze_with_git_diff(&w, repo, commit, old_tree, new_tree, flags)
		: analyze_trees(&w, repo, commit, old_tree, new_tree);
	git_tree_free(old_tree);
	git_tree_free(new_tree);
	if (rc)
		analysis_release(out);
	return rc;
}

void analysis_release(struct analysis *a)
{
	for (size_t i = 0; i < a->files_nr; i++) {
		free(a->files[i].path);
		free(a->files[i].old_path);
	}
	free(a->files);
	risk_findings_release(&a->findings);
	memset(a, 0, sizeof(*a));
}

/* ---- the exact patch identity ---- */

/*
 * Every byte of the change goes in, length-prefixed so that no two
 * changes can spell the same text: paths, modes, submodule pointers,
 * binary contents by blob id, and each diff line with its origin and its
 * exact content, the newline (or its absence) included.  Only the line
 * numbers of hunks are left out, so that a byte-identical rebase or
 * cherry-pick keeps the identity.  git's patch-id strips whitespace,
 * which changes what code does (an `if` body dedented, `rm -rf / tmp`):
 * it is never used for trust.
 */
struct patch_text {
	struct strbuf text;
};

static void add_counted(struct strbuf *sb, const char *tag, const char *s, size_t len)
{
	strbuf_addf(sb, "%s %zu:", tag, len);
	strbuf_add(sb, s, len);
	strbuf_addch(sb, '\n');
}

static int patch_hunk(const git_diff_delta *delta, const git_diff_hunk *hunk, void *payload)
{
	struct patch_text *p = payload;

	(void)delta;
	(void)hunk;
	strbuf_addstr(&p->text, "@@\n");   /* hunk boundaries count; line numbers do not */
	return 0;
}

static int patch_line(const git_diff_delta *delta, const git_diff_hunk *hunk,
		      const git_diff_line *line, void *payload)
{
	struct patch_text *p = payload;
	char tag[2] = { line->origin, '\0' };

	(void)delta;
	(void)hunk;
	switch (line->origin) {
	case GIT_DIFF_LINE_ADDITION:
	case GIT_DIFF_LINE_DELETION:
	case GIT_DIFF_LINE_CONTEXT:
		add_counted(&p->text, tag, line->content, line->content_len);
		break;
	case GIT_DIFF_LINE_CONTEXT_EOFNL:
	case GIT_DIFF_LINE_ADD_EOFNL:
	case GIT_DIFF_LINE_DEL_EOFNL:
		strbuf_addf(&p->text, "%c no newline\n", line->origin);
		break;
	default:
		break;
	}
	return 0;
}

static int patch_binary(const git_diff_delta *delta, const git_diff_binary *binary, void *payload)
{
	struct patch_text *p = payload;
	char old_hex[GIT_OID_HEXSZ + 1], new_hex[GIT_OID_HEXSZ + 1];

	(void)binary;
	/* Binary changes are identified by their contents, not just their paths. */
	strbuf_addf(&p->text, "binary %s %s\n", git_oid_tostr(old_hex, sizeof(old_hex), &delta->old_file.id),
		    git_oid_tostr(new_hex, sizeof(new_hex), &delta->new_file.id));
	return 0;
}

int analyze_patch_id(git_oid *out, git_repository *repo, const git_commit *commit)
{
	struct patch_text p;
	git_diff *diff;
	int rc;

	if ((rc = analyze_commit_diff(&diff, repo, commit, 0)))
		return rc;
	strbuf_init(&p.text, 4096);
	strbuf_addstr(&p.text, "revq exact patch v2\n");
	for (size_t i = 0; i < git_diff_num_deltas(diff) && !rc; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		char old_hex[GIT_OID_HEXSZ + 1], new_hex[GIT_OID_HEXSZ + 1];

		add_counted(&p.text, "file", d->old_file.path, strlen(d->old_file.path));
		add_counted(&p.text, "to", d->new_file.path, strlen(d->new_file.path));
		strbuf_addf(&p.text, "mode %06o %06o\n", d->old_file.mode, d->new_file.mode);
		if (d->old_file.mode == GIT_FILEMODE_COMMIT || d->new_file.mode == GIT_FILEMODE_COMMIT)
			strbuf_addf(&p.text, "submodule %s %s\n",
				    git_oid_tostr(old_hex, sizeof(old_hex), &d->old_file.id),
				    git_oid_tostr(new_hex, sizeof(new_hex), &d->new_file.id));
		rc = analyze_delta(repo, d, patch_binary, patch_hunk, patch_line, &p, 3);
		strbuf_addstr(&p.text, "end\n");
	}
	git_diff_free(diff);
	if (!rc)
		git_odb_hash(out, p.text.buf, p.text.len, GIT_OBJECT_BLOB);
	strbuf_release(&p.text);
	return rc;
}
