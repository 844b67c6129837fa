/*
 * analyze.c: one pass over a commit's diff that counts lines the way
 * `git log --numstat` does and feeds every added line to the risk
 * scanner.  Context lines are not generated: they cost time and carry
 * no signal.
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>

#include "judge/analyze.h"
#include "base/error.h"
#include "base/strbuf.h"
#include "git/treediff.h"

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

int analyze_rename_limit(git_repository *repo)
{
	git_config *cfg;
	int32_t limit = ANALYZE_DEFAULT_RENAME_LIMIT;

	if (!git_repository_config_snapshot(&cfg, repo)) {
		if (git_config_get_int32(&limit, cfg, "diff.renamelimit"))
			limit = ANALYZE_DEFAULT_RENAME_LIMIT;
		git_config_free(cfg);
	}
	git_error_clear();
	return limit < 0 ? 0 : limit;
}

/*
 * git's bound on rename detection (diffcore-rename.c): comparing every
 * new file against every old one is skipped when the matrix is larger
 * than limit x limit (0: no limit); copies (old = deleted and edited
 * files) are dropped first, then inexact renames.  The find flags that fit.
 */
static uint32_t bounded_find_flags(git_diff *diff, int limit, int *limited)
{
	uint64_t added = 0, deleted = 0, edited = 0, square = (uint64_t)limit * (uint64_t)limit;

	for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
		git_delta_t status = git_diff_get_delta(diff, i)->status;

		added += status == GIT_DELTA_ADDED;
		deleted += status == GIT_DELTA_DELETED;
		edited += status == GIT_DELTA_MODIFIED;
	}
	*limited = 0;
	if (!limit || added * (deleted + edited) <= square)
		return GIT_DIFF_FIND_RENAMES | GIT_DIFF_FIND_COPIES;
	if (added * deleted <= square)
		return GIT_DIFF_FIND_RENAMES;
	*limited = 1;
	return GIT_DIFF_FIND_RENAMES | GIT_DIFF_FIND_EXACT_MATCH_ONLY;
}

/*
 * The diff between two trees of commit, renames and copies found when
 * flags ask, as far as diff.renameLimit (read from config) allows.
 */
static int diff_trees(git_diff **out, git_repository *repo, const git_commit *commit,
		      git_tree *old_tree, git_tree *new_tree, unsigned flags, git_repository *config,
		      int *limited)
{
	int limit = flags & ANALYZE_RENAMES ? analyze_rename_limit(config) : 0;
	int rc = analyze_trees_diff(out, repo, old_tree, new_tree, flags, limit, limited);

	if (rc) {
		char *why = xstrdup(error_last());   /* error_set() writes where error_last() points */

		error_set(rc, "cannot diff %s: %s", git_oid_tostr_s(git_commit_id(commit)), why);
		free(why);
	}
	return rc;
}

/* The two sides a reviewer's diff is between, and where their contents are read. */
struct sides {
	git_tree *old_tree, *new_tree;   /* owned; old may be NULL (the empty tree) */
	git_repository *contents;        /* not owned: repo, or remerge.scratch */
	struct remerge remerge;          /* owned: set for a merge merged again */
};

/* A merge: its parents merged again against its tree, both read from the scratch repository. */
static int remerge_sides(struct sides *s, git_repository *repo, const git_commit *commit)
{
	if (remerge_commit(&s->remerge, repo, commit))
		return -1;
	s->contents = s->remerge.scratch;
	if (git_object_dup((git_object **)&s->old_tree, (git_object *)s->remerge.tree) ||
	    git_tree_lookup(&s->new_tree, s->contents, git_commit_tree_id(commit))) {
		error_set_git(REVQ_ERROR, "cannot read tree of %s", git_oid_tostr_s(git_commit_id(commit)));
		git_tree_free(s->old_tree);
		s->old_tree = NULL;
		remerge_release(&s->remerge);
		s->contents = repo;
		return -1;
	}
	return 0;
}

static int review_sides(struct sides *s, git_repository *repo, const git_commit *commit)
{
	memset(s, 0, sizeof(*s));
	s->contents = repo;
	if (git_commit_parentcount(commit) > 1) {
		if (!remerge_sides(s, repo, commit))
			return 0;
		/* More to read, never less: the whole topic, as before. */
		error_warn("merge %s is scored by its first-parent diff: %s",
			   git_oid_tostr_s(git_commit_id(commit)), error_last());
		git_error_clear();
	}
	return commit_trees(&s->old_tree, &s->new_tree, repo, commit);
}

static void sides_release(struct sides *s)
{
	git_tree_free(s->old_tree);
	git_tree_free(s->new_tree);
	remerge_release(&s->remerge);
}

int analyze_review_diff(struct review_diff *out, git_repository *repo, const git_commit *commit,
			unsigned flags)
{
	struct sides s;
	int rc;

	memset(out, 0, sizeof(*out));
	out->parents = git_commit_parentcount(commit);
	if ((rc = review_sides(&s, repo, commit)))
		return rc;
	rc = diff_trees(&out->diff, s.contents, commit, s.old_tree, s.new_tree, flags, repo, &out->renames_limited);
	git_tree_free(s.old_tree);
	git_tree_free(s.new_tree);
	out->remerge = s.remerge;   /* the diff's trees and blobs live in its scratch repository */
	out->contents = s.contents;
	if (rc)
		review_diff_release(out);
	return rc;
}

void review_diff_release(struct review_diff *rd)
{
	git_diff_free(rd->diff);
	remerge_release(&rd->remerge);
	memset(rd, 0, sizeof(*rd));
}

int analyze_commit_diff(git_diff **out, git_repository *repo, const git_commit *commit,
			unsigned flags)
{
	git_tree *old_tree, *new_tree;
	int rc, limited;

	*out = NULL;
	if ((rc = commit_trees(&old_tree, &new_tree, repo, commit)))
		return rc;
	rc = diff_trees(out, repo, commit, old_tree, new_tree, flags, repo, &limited);
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
	if (delta->status == GIT_DELTA_ADDED)
		a->totals.new_files++;
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
	f->binary = 1;   /* noted by analyze_file(), unless it is wide text */
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
 * Diffs one file's contents.  The blobs are diffed without their paths
 * on purpose: libgit2 would otherwise look up .gitattributes in the
 * working tree for every file (a realpath and a dozen stats each), and
 * attributes from a checkout such as "*.tf -diff" could hide lines from
 * review.
 * Binary files are recognised by their content, as git does by default.
 */
int analyze_delta(git_repository *repo, const git_diff_delta *delta, git_diff_binary_cb binary_cb,
		  git_diff_hunk_cb hunk_cb, git_diff_line_cb line_cb, void *payload,
		  uint32_t context_lines)
{
	return analyze_delta_flags(repo, delta, binary_cb, hunk_cb, line_cb, payload, context_lines, 0);
}

int analyze_delta_flags(git_repository *repo, const git_diff_delta *delta, git_diff_binary_cb binary_cb,
			git_diff_hunk_cb hunk_cb, git_diff_line_cb line_cb, void *payload,
			uint32_t context_lines, uint32_t diff_flags)
{
	git_diff_options opts;
	git_blob *old_blob = NULL, *new_blob = NULL;
	int rc = 0;

	if (delta->old_file.mode == GIT_FILEMODE_COMMIT || delta->new_file.mode == GIT_FILEMODE_COMMIT)
		return 0;   /* a submodule pointer has no lines */
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.context_lines = context_lines;
	opts.interhunk_lines = 0;
	opts.flags |= diff_flags;
	if ((!git_oid_is_zero(&delta->old_file.id) &&
	     git_blob_lookup(&old_blob, repo, &delta->old_file.id)) ||
	    (!git_oid_is_zero(&delta->new_file.id) &&
	     git_blob_lookup(&new_blob, repo, &delta->new_file.id)))
		rc = error_set_git(REVQ_ERROR, "cannot read the contents of %s", delta->new_file.path);
	/*
	 * Blobs without a path: libgit2 looks up attributes only by path, so
	 * it looks up none, and it knows their ids (buffers it would hash,
	 * both, for every file: 40% of a cold list's instructions).
	 */
	if (!rc && git_diff_blobs(old_blob, NULL, new_blob, NULL, &opts, NULL, binary_cb, hunk_cb, line_cb,
				  payload))
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

/* ---- text in UTF-16 or UTF-32 ---- */

/*
 * git and libgit2 call UTF-16 and UTF-32 text binary (it is full of
 * NULs), so a UTF-16 shell script had no line scanned.  Such text is
 * recognised by its byte order mark or by the NUL pattern of ASCII in it,
 * decoded to UTF-8 and scanned like any other text.
 */
struct wide {
	const char *charset;   /* not owned: for iconv, NULL when not wide text */
	size_t bom;            /* bytes of byte order mark to skip */
};

#define WIDE_SAMPLE 4096

/* Of the first units of s, how many have a NUL exactly where ASCII in this width puts them? */
static int ascii_units(const unsigned char *s, size_t len, size_t width, size_t at)
{
	size_t units = (len < WIDE_SAMPLE ? len : WIDE_SAMPLE) / width, ascii = 0;

	for (size_t u = 0; u < units; u++) {
		const unsigned char *c = s + u * width;
		int ok = c[at] != 0;

		for (size_t b = 0; b < width && ok; b++)
			ok = b == at || c[b] == 0;
		ascii += ok;
	}
	/* Nearly every unit: a binary format rarely looks like this for long. */
	return units >= 2 && ascii * 10 >= units * 9;
}

static struct wide wide_encoding(const char *data, size_t len)
{
	const unsigned char *s = (const unsigned char *)data;
	struct wide w = { NULL, 0 };

	if (len >= 4 && !memcmp(s, "\xff\xfe\0\0", 4))
		w = (struct wide){ "UTF-32LE", 4 };
	else if (len >= 4 && !memcmp(s, "\0\0\xfe\xff", 4))
		w = (struct wide){ "UTF-32BE", 4 };
	else if (len >= 2 && s[0] == 0xff && s[1] == 0xfe)
		w = (struct wide){ "UTF-16LE", 2 };
	else if (len >= 2 && s[0] == 0xfe && s[1] == 0xff)
		w = (struct wide){ "UTF-16BE", 2 };
	else if (len % 4 == 0 && ascii_units(s, len, 4, 0))
		w.charset = "UTF-32LE";
	else if (len % 4 == 0 && ascii_units(s, len, 4, 3))
		w.charset = "UTF-32BE";
	else if (len % 2 == 0 && ascii_units(s, len, 2, 0))
		w.charset = "UTF-16LE";
	else if (len % 2 == 0 && ascii_units(s, len, 2, 1))
		w.charset = "UTF-16BE";
	return w;
}

/*
 * Decodes wide text to UTF-8; an undecodable unit becomes U+FFFD and a
 * NUL character 0x1A, so that the result is text to libgit2 too.
 */
static void decode_wide(struct strbuf *out, const char *data, size_t len, struct wide w)
{
	char *in = (char *)data + w.bom;
	size_t inleft = len - w.bom, unit = w.charset[4] == '3' ? 4 : 2;
	iconv_t cd = iconv_open("UTF-8", w.charset);

	strbuf_reset(out);
	if (cd == (iconv_t)-1)
		return;
	strbuf_grow(out, inleft * 2 + 16);
	while (inleft) {
		char *outp = out->buf + out->len;
		size_t outleft = out->alloc - out->len - 1;
		size_t rc = iconv(cd, &in, &inleft, &outp, &outleft);

		strbuf_setlen(out, (size_t)(outp - out->buf));
		if (rc != (size_t)-1)
			break;
		if (errno == E2BIG) {
			strbuf_grow(out, inleft * 2 + 16);
			continue;
		}
		strbuf_addstr(out, "\xef\xbf\xbd");   /* skip one unit */
		unit = unit < inleft ? unit : inleft;
		in += unit;
		inleft -= unit;
	}
	iconv_close(cd);
	for (size_t i = 0; i < out->len; i++)
		if (!out->buf[i])
			out->buf[i] = '\x1a';
}

/* The contents of one side of a delta, or an empty buffer. */
static int side_contents(git_blob **out, git_repository *repo, const git_diff_file *file)
{
	*out = NULL;
	if (git_oid_is_zero(&file->id))
		return 0;
	if (git_blob_lookup(out, repo, &file->id))
		return error_set_git(REVQ_ERROR, "cannot read the contents of %s", file->path);
	return 0;
}

/* One side as text: decoded when wide, as it is when not; sets *wide when decoded. */
static void side_text(struct strbuf *out, git_blob *blob, int *wide)
{
	const char *data = blob ? git_blob_rawcontent(blob) : "";
	size_t len = blob ? (size_t)git_blob_rawsize(blob) : 0;
	struct wide w = wide_encoding(data, len);

	strbuf_reset(out);
	if (w.charset) {
		decode_wide(out, data, len, w);
		*wide = 1;
	} else {
		strbuf_add(out, data, len);
	}
}

/*
 * A file libgit2 called binary: when either side is wide text, diff the
 * decoded texts and scan their lines.  *scanned says whether it did.
 */
static int analyze_wide(struct walk *w, git_repository *repo, const git_diff_delta *delta,
			int *scanned)
{
	struct strbuf old_text = STRBUF_INIT, new_text = STRBUF_INIT;
	git_blob *old_blob, *new_blob = NULL;
	git_diff_options opts;
	int rc, wide = 0;

	*scanned = 0;
	if ((rc = side_contents(&old_blob, repo, &delta->old_file)) ||
	    (rc = side_contents(&new_blob, repo, &delta->new_file)))
		goto done;
	side_text(&old_text, old_blob, &wide);
	side_text(&new_text, new_blob, &wide);
	if (!wide)
		goto done;
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.context_lines = 0;
	opts.interhunk_lines = 0;
	opts.flags |= GIT_DIFF_FORCE_TEXT;
	if (git_diff_buffers(old_text.buf, old_text.len, NULL, new_text.buf, new_text.len, NULL,
			     &opts, NULL, NULL, NULL, on_line, w))
		rc = error_set_git(REVQ_ERROR, "cannot diff %s", delta->new_file.path);
	*scanned = !rc;
done:
	git_blob_free(old_blob);
	git_blob_free(new_blob);
	strbuf_release(&old_text);
	strbuf_release(&new_text);
	return rc;
}

/* Counts and scans one changed file. */
static int analyze_file(struct walk *w, git_repository *repo, const git_diff_delta *delta)
{
	struct file_stat *f;
	int rc, scanned;

	on_file(delta, 0, w);
	f = &w->a->files[w->a->files_nr - 1];
	if ((rc = analyze_delta(repo, delta, on_binary, NULL, on_line, w, 0)) || !f->binary)
		return rc;
	if ((rc = analyze_wide(w, repo, delta, &scanned)))
		return rc;
	if (scanned) {
		f->binary = 0;
		risk_note(&w->a->findings, RISK_WIDE_TEXT, f->path);
	} else {
		risk_note_rules(&w->a->findings, w->rules, RISK_BINARY, f->path);
	}
	return 0;
}

/*
 * With libgit2's diff machinery: renames to pair, or to detect for
 * display.  Slower than treediff (see treediff.h), so only then.
 */
static int analyze_with_git_diff(struct walk *w, git_repository *repo, const git_commit *commit,
				 git_tree *old_tree, git_tree *new_tree, unsigned flags)
{
	git_diff *diff;
	int rc, limited;

	if ((rc = diff_trees(&diff, repo, commit, old_tree, new_tree, flags, repo, &limited)))
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

static int compare_dirs(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	const char *xs = strrchr(x, '/'), *ys = strrchr(y, '/');
	size_t xn = xs ? (size_t)(xs - x) : 0, yn = ys ? (size_t)(ys - y) : 0;
	int c = memcmp(x, y, xn < yn ? xn : yn);

	return c ? c : (xn > yn) - (xn < yn);
}

/* The spread of a change: how many distinct directories its paths sit in. */
static unsigned count_dirs(const struct analysis *a)
{
	const char **paths;
	unsigned dirs = 0;

	if (!a->files_nr)
		return 0;
	paths = xcalloc(a->files_nr, sizeof(*paths));
	for (size_t i = 0; i < a->files_nr; i++)
		paths[i] = a->files[i].path;
	qsort(paths, a->files_nr, sizeof(*paths), compare_dirs);
	for (size_t i = 0; i < a->files_nr; i++)
		dirs += !i || compare_dirs(&paths[i - 1], &paths[i]);
	free(paths);
	return dirs;
}

int analyze_commit(struct analysis *out, git_repository *repo, const git_commit *commit,
		   const struct risk_rules *rules, unsigned flags)
{
	struct walk w = { out, rules };
	struct sides s;
	int rc;

	memset(out, 0, sizeof(*out));
	risk_findings_init(&out->findings);
	out->parents = git_commit_parentcount(commit);
	if ((rc = review_sides(&s, repo, commit))) {
		analysis_release(out);
		return rc;
	}
	out->remerged = s.remerge.scratch != NULL;
	out->octopus = s.remerge.octopus;
	out->conflicts = s.remerge.conflicts;
	rc = flags & ANALYZE_RENAMES
		? analyze_with_git_diff(&w, s.contents, commit, s.old_tree, s.new_tree, flags)
		: analyze_trees(&w, s.contents, commit, s.old_tree, s.new_tree);
	sides_release(&s);
	if (rc)
		analysis_release(out);
	else
		out->totals.dirs = count_dirs(out);
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

/* The identity of one tree diff (it is freed here). */
static int diff_patch_id(git_oid *out, git_repository *repo, git_diff *diff)
{
	struct patch_text p;
	int rc = 0;

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

int analyze_patch_id(git_oid *out, git_repository *repo, const git_commit *commit)
{
	git_diff *diff;
	int rc;

	if ((rc = analyze_commit_diff(&diff, repo, commit, 0)))
		return rc;
	return diff_patch_id(out, repo, diff);
}

int analyze_trees_diff(git_diff **out, git_repository *repo, git_tree *old_tree, git_tree *new_tree,
		       unsigned flags, int rename_limit, int *limited)
{
	git_diff_options opts;
	int limited_here;

	*out = NULL;
	if (!limited)
		limited = &limited_here;
	*limited = 0;
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.context_lines = 0;
	opts.interhunk_lines = 0;
	if (git_diff_tree_to_tree(out, repo, old_tree, new_tree, &opts))
		return error_set_git(REVQ_ERROR, "cannot diff to tree %s", git_oid_tostr_s(git_tree_id(new_tree)));
	if (flags & ANALYZE_RENAMES) {
		git_diff_find_options find;

		git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
		find.flags = bounded_find_flags(*out, rename_limit, limited);
		if (rename_limit)
			find.rename_limit = (size_t)rename_limit;
		if (git_diff_find_similar(*out, &find)) {
			git_diff_free(*out);
			*out = NULL;
			return error_set_git(REVQ_ERROR, "cannot detect renames to tree %s",
					     git_oid_tostr_s(git_tree_id(new_tree)));
		}
	}
	return 0;
}

int analyze_trees_patch_id(git_oid *out, git_repository *repo, git_tree *old_tree, git_tree *new_tree)
{
	git_diff *diff;
	int rc = analyze_trees_diff(&diff, repo, old_tree, new_tree, 0, 0, NULL);

	return rc ? rc : diff_patch_id(out, repo, diff);
}

/* ---- the paths of a change, without reading a blob ---- */

int analyze_changed_paths(struct strvec *out, git_repository *repo, const git_commit *commit)
{
	struct treediff changes = TREEDIFF_INIT;
	git_tree *old_tree, *new_tree;
	int rc;

	if ((rc = commit_trees(&old_tree, &new_tree, repo, commit)))
		return rc;
	rc = treediff_trees(&changes, repo, old_tree, new_tree);
	for (size_t i = 0; i < changes.nr && !rc; i++) {
		strvec_push(out, changes.deltas[i].old_file.path);
		strvec_push(out, changes.deltas[i].new_file.path);
	}
	treediff_release(&changes);
	git_tree_free(old_tree);
	git_tree_free(new_tree);
	return rc;
}
