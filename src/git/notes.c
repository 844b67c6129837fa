/*
 * notes.c: the decisions notes ref: a fanout-aware index for reading,
 * and compare-and-swap updates for writing and merging.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/error.h"
#include "git/notes.h"
#include "git/treediff.h"
#include "base/strvec.h"

#define CAS_ATTEMPTS 200
#define STALE_LOCK_SECONDS 30

/* ---- reading ---- */

/*
 * A notes tree is read the way git's notes.c reads it (load_subtree): at
 * a depth of P hex digits, an entry whose name has the remaining 40 - P
 * hex digits and a regular-file mode is a note; a tree named by two hex
 * digits is a fan-out level; everything else is not a note (git keeps it
 * as a "non-note" and so do we, by leaving it alone).  git reads hex
 * digits of either case: revq accepts only lower case, so a note-shaped
 * name with an upper-case digit makes the tree malformed rather than
 * silently unread (git would show that note; we would not).
 */

#define MAX_FANOUT (GIT_OID_HEXSZ / 2)

static int hex_digit(int c, int *upper)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))
		return 1;
	if (c >= 'A' && c <= 'F') {
		*upper = 1;
		return 1;
	}
	return 0;
}

/* 1 when s[0..n) is hex (of any case, as git reads it); *upper when a digit is upper-case. */
static int all_hex(const char *s, size_t n, int *upper)
{
	for (size_t i = 0; i < n; i++)
		if (!hex_digit((unsigned char)s[i], upper))
			return 0;
	return 1;
}

/* Adds one copy of the note on object (a second copy is combined when read). */
static void add_copy(struct notes *n, const git_oid *object, const git_oid *blob, unsigned fanout)
{
	struct notes_entry *e;
	size_t i;

	if (oidmap_get(&n->index, object, &i)) {
		e = &n->entries[i];
		ALLOC_GROW(e->more, e->more_nr + 1, e->more_alloc);
		git_oid_cpy(&e->more[e->more_nr].blob, blob);
		e->more[e->more_nr++].fanout = fanout;
		return;
	}
	ALLOC_GROW(n->entries, n->nr + 1, n->alloc);
	e = &n->entries[n->nr];
	memset(e, 0, sizeof(*e));
	git_oid_cpy(&e->object, object);
	git_oid_cpy(&e->blob, blob);
	e->fanout = fanout;
	oidmap_put(&n->index, object, n->nr);
	n->nr++;
}

static int malformed(const char *prefix, const char *name)
{
	return error_set(REVQ_ERROR, "malformed notes tree: '%s%s' is named in upper-case hex; "
			 "git reads it as a note, revq accepts only lower-case names", prefix, name);
}

/* Reads tree, at fan-out depth `depth` under the hex prefix hex[0..2*depth). */
static int load_tree(struct notes *n, git_tree *tree, char *hex, unsigned depth)
{
	size_t have = depth * 2, count = git_tree_entrycount(tree);
	char prefix[GIT_OID_HEXSZ + MAX_FANOUT + 1];
	int rc = 0;

	for (unsigned i = 0; i < depth; i++)
		snprintf(prefix + i * 3, sizeof(prefix) - i * 3, "%.2s/", hex + i * 2);
	prefix[depth * 3] = '\0';
	for (size_t i = 0; i < count && !rc; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const char *name = git_tree_entry_name(e);
		unsigned mode = (unsigned)git_tree_entry_filemode_raw(e) & 0170000;
		size_t len = strlen(name);
		int upper = 0;
		git_oid object;
		git_tree *sub;

		if (len == GIT_OID_HEXSZ - have) {
			/* git: "notes must be blobs" (a regular file, executable or not). */
			if (mode != 0100000 || !all_hex(name, len, &upper))
				continue;
			if (upper)
				return malformed(prefix, name);
			memcpy(hex + have, name, len);
			hex[GIT_OID_HEXSZ] = '\0';
			if (git_oid_fromstr(&object, hex))
				continue;
			add_copy(n, &object, git_tree_entry_id(e), depth);
		} else if (len == 2 && mode == 0040000 && all_hex(name, 2, &upper)) {
			if (upper)
				return malformed(prefix, name);
			if (git_tree_lookup(&sub, n->repo, git_tree_entry_id(e)))
				return error_set_git(REVQ_ERROR, "cannot read notes tree %s%s", prefix, name);
			memcpy(hex + have, name, 2);
			rc = load_tree(n, sub, hex, depth + 1);
			git_tree_free(sub);
		}
	}
	return rc;
}

int notes_load_commit(struct notes **out, git_repository *repo, const git_oid *commit_id)
{
	struct notes *n = xcalloc(1, sizeof(*n));
	char hex[GIT_OID_HEXSZ + 1];
	git_commit *commit;
	git_tree *tree;
	int rc;

	*out = NULL;
	n->repo = repo;
	if (git_commit_lookup(&commit, repo, commit_id)) {
		notes_free(n);
		return error_set_git(REVQ_ERROR, "cannot read notes commit %s", git_oid_tostr_s(commit_id));
	}
	if (git_commit_tree(&tree, commit)) {
		git_commit_free(commit);
		notes_free(n);
		return error_set_git(REVQ_ERROR, "cannot read notes tree");
	}
	git_oid_cpy(&n->tip, commit_id);
	n->exists = 1;
	rc = load_tree(n, tree, hex, 0);
	git_tree_free(tree);
	git_commit_free(commit);
	if (rc) {
		notes_free(n);
		return rc;
	}
	*out = n;
	return 0;
}

int notes_resolve(git_oid *tip, int *exists, git_repository *repo, const char *ref)
{
	git_object *obj;
	int rc;

	*exists = 0;
	memset(tip, 0, sizeof(*tip));
	rc = git_reference_name_to_id(tip, repo, ref);
	if (rc == GIT_ENOTFOUND && !strncmp(ref, "refs/", 5)) {
		git_error_clear();
		return 0;   /* no notes yet */
	}
	if (rc) {
		git_error_clear();
		if (git_revparse_single(&obj, repo, ref)) {
			git_error_clear();
			return error_set(REVQ_ENOTFOUND, "unknown notes ref '%s'", ref);
		}
		git_oid_cpy(tip, git_object_id(obj));
		git_object_free(obj);
	}
	*exists = 1;
	return 0;
}

int notes_load_tip(struct notes **out, git_repository *repo, const git_oid *tip, int exists)
{
	if (exists)
		return notes_load_commit(out, repo, tip);
	*out = xcalloc(1, sizeof(**out));
	(*out)->repo = repo;
	return 0;
}

int notes_load(struct notes **out, git_repository *repo, const char *ref)
{
	git_oid id;
	int exists, rc;

	*out = NULL;
	if ((rc = notes_resolve(&id, &exists, repo, ref)))
		return rc;
	return notes_load_tip(out, repo, &id, exists);
}

void notes_free(struct notes *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->nr; i++)
		free(n->entries[i].more);
	free(n->entries);
	oidmap_clear(&n->index);
	free(n);
}

static int read_blob(struct strbuf *out, git_repository *repo, const git_oid *id)
{
	git_blob *blob;

	if (git_blob_lookup(&blob, repo, id))
		return error_set_git(REVQ_ERROR, "cannot read note %s", git_oid_tostr_s(id));
	strbuf_add(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return 0;
}

/*
 * Appends one copy as git's combine_notes_concatenate() does: an empty
 * copy adds nothing; otherwise the text so far loses one final newline
 * and a blank line separates the two.
 */
static int concatenate(struct strbuf *out, git_repository *repo, const git_oid *blob)
{
	struct strbuf copy = STRBUF_INIT;
	int rc = read_blob(&copy, repo, blob);

	if (!rc && copy.len) {
		if (out->len && out->buf[out->len - 1] == '\n')
			strbuf_setlen(out, out->len - 1);
		if (out->len)
			strbuf_addstr(out, "\n\n");
		strbuf_add(out, copy.buf, copy.len);
	}
	strbuf_release(&copy);
	return rc;
}

/* Drops the CRs that end a line (CRLF line ends, and CRs at the very end): no line ends in CR. */
static void strip_cr(struct strbuf *sb, size_t from)
{
	size_t w = from, r = from;

	while (r < sb->len) {
		size_t run = 0;

		while (r + run < sb->len && sb->buf[r + run] == '\r')
			run++;
		if (run && r + run < sb->len && sb->buf[r + run] != '\n') {
			memmove(sb->buf + w, sb->buf + r, run);   /* CRs inside a line stay */
			w += run;
		}
		r += run;
		if (r < sb->len)
			sb->buf[w++] = sb->buf[r++];
	}
	strbuf_setlen(sb, w);
}

static int read_entry(struct strbuf *out, const struct notes *n, const struct notes_entry *e)
{
	struct strbuf text = STRBUF_INIT;
	int rc = concatenate(&text, n->repo, &e->blob);

	for (size_t i = 0; i < e->more_nr && !rc; i++) {
		int seen = git_oid_equal(&e->more[i].blob, &e->blob);

		for (size_t j = 0; j < i && !seen; j++)
			seen = git_oid_equal(&e->more[i].blob, &e->more[j].blob);
		if (!seen)   /* git skips a copy identical to what it has */
			rc = concatenate(&text, n->repo, &e->more[i].blob);
	}
	if (!rc) {
		strip_cr(&text, 0);
		strbuf_add(out, text.buf, text.len);
	}
	strbuf_release(&text);
	return rc;
}

int notes_read(struct strbuf *out, const struct notes *n, const git_oid *object)
{
	size_t i;

	if (!oidmap_get(&n->index, object, &i))
		return REVQ_ENOTFOUND;
	return read_entry(out, n, &n->entries[i]);
}

int notes_read_blob(struct strbuf *out, git_repository *repo, const git_oid *blob)
{
	size_t from = out->len;
	int rc = read_blob(out, repo, blob);

	if (!rc)
		strip_cr(out, from);
	return rc;
}

/* The tree of a notes commit, or NULL for a zero id (no notes). */
static int notes_tree(git_tree **out, git_repository *repo, const git_oid *tip)
{
	git_commit *commit;
	int rc;

	*out = NULL;
	if (git_oid_is_zero(tip))
		return 0;
	if (git_commit_lookup(&commit, repo, tip))
		return error_set_git(REVQ_ERROR, "cannot read notes commit %s", git_oid_tostr_s(tip));
	rc = git_commit_tree(out, commit) ? error_set_git(REVQ_ERROR, "cannot read notes tree") : 0;
	git_commit_free(commit);
	return rc;
}

/* The object a note's path names ("ab/cdef...", any fan-out, lower-case hex); REVQ_ERROR when it names none. */
static int object_of_path(git_oid *out, const char *path)
{
	char hex[GIT_OID_HEXSZ + 1];
	size_t have = 0;
	int upper = 0;

	for (const char *p = path; *p; p++) {
		if (*p == '/' && have % 2 == 0 && p != path && p[-1] != '/')
			continue;
		if (have == GIT_OID_HEXSZ || !hex_digit((unsigned char)*p, &upper) || upper)
			return error_set(REVQ_ERROR, "'%s' in a notes tree is not a note", path);
		hex[have++] = *p;
	}
	hex[have] = '\0';
	if (have != GIT_OID_HEXSZ || git_oid_fromstr(out, hex))
		return error_set(REVQ_ERROR, "'%s' in a notes tree is not a note", path);
	return 0;
}

int notes_diff(git_repository *repo, const git_oid *old_tip, const git_oid *new_tip, notes_change_fn fn,
	       void *data)
{
	struct treediff diff = TREEDIFF_INIT;
	git_tree *old_tree = NULL, *new_tree = NULL;
	int rc = notes_tree(&old_tree, repo, old_tip);

	if (!rc)
		rc = notes_tree(&new_tree, repo, new_tip);
	if (!rc)
		rc = treediff_trees(&diff, repo, old_tree, new_tree);
	for (size_t i = 0; i < diff.nr && !rc; i++) {
		const git_diff_delta *d = &diff.deltas[i];
		const char *path = d->new_file.path ? d->new_file.path : d->old_file.path;
		git_oid object;

		if (!(rc = object_of_path(&object, path)))
			rc = fn(&object, &d->old_file.id, &d->new_file.id, data);
	}
	treediff_release(&diff);
	git_tree_free(old_tree);
	git_tree_free(new_tree);
	return rc;
}

/* ---- line sets ---- */

static int has_line(const char *text, size_t len, const char *line, size_t n)
{
	struct lines it = LINES_INIT(text, len);
	const char *p;
	size_t l;

	while (lines_next(&it, &p, &l))
		if (l == n && !memcmp(p, line, n))
			return 1;
	return 0;
}

static void add_line(struct strbuf *text, const char *line, size_t n)
{
	if (has_line(text->buf, text->len, line, n))
		return;
	if (text->len && text->buf[text->len - 1] != '\n')
		strbuf_addch(text, '\n');
	strbuf_add(text, line, n);
	strbuf_addch(text, '\n');
}

void notes_union_text(struct strbuf *out, const char *a, size_t alen, const char *b, size_t blen)
{
	struct lines it = LINES_INIT(b, blen);
	const char *p;
	size_t l;

	strbuf_add(out, a, alen);
	while (lines_next(&it, &p, &l))
		if (l)
			add_line(out, p, l);
}

/* ---- writing ---- */

/* The path of a copy of object's note at fan-out depth `fanout` ("ab/cd/ef..."). */
static void copy_path(char *out, const git_oid *object, unsigned fanout)
{
	char hex[GIT_OID_HEXSZ + 1];
	size_t w = 0;

	git_oid_tostr(hex, sizeof(hex), object);
	for (unsigned i = 0; i < fanout; i++) {
		out[w++] = hex[i * 2];
		out[w++] = hex[i * 2 + 1];
		out[w++] = '/';
	}
	strcpy(out + w, hex + fanout * 2);
}

#define NOTE_PATH_MAX (GIT_OID_HEXSZ + MAX_FANOUT + 1)

struct change {
	git_oid object;
	struct strbuf text;
	char (*old_paths)[NOTE_PATH_MAX];   /* owned: every copy the tip has */
	size_t old_nr;
	int dirty;
};

struct tip {
	int exists;
	git_oid commit;
	git_tree *tree;
	struct notes *notes;   /* owned: the tip's notes, every copy of each */
};

static int read_tip(struct tip *t, git_repository *repo, const char *ref)
{
	git_commit *c;
	int rc;

	memset(t, 0, sizeof(*t));
	rc = git_reference_name_to_id(&t->commit, repo, ref);
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		t->notes = xcalloc(1, sizeof(*t->notes));
		t->notes->repo = repo;
		return 0;
	}
	if (rc || git_commit_lookup(&c, repo, &t->commit))
		return error_set_git(REVQ_ERROR, "cannot read %s", ref);
	rc = git_commit_tree(&t->tree, c);
	git_commit_free(c);
	if (rc)
		return error_set_git(REVQ_ERROR, "cannot read the tree of %s", ref);
	t->exists = 1;
	return notes_load_commit(&t->notes, repo, &t->commit);
}

static void tip_release(struct tip *t)
{
	git_tree_free(t->tree);
	notes_free(t->notes);
}

static struct change *change_for(struct change **list, size_t *nr, size_t *alloc,
				 const git_oid *object, const struct tip *t, git_repository *repo)
{
	const struct notes_entry *e;
	struct change *c;
	size_t at;

	(void)repo;
	for (size_t i = 0; i < *nr; i++)
		if (git_oid_equal(&(*list)[i].object, object))
			return &(*list)[i];
	ALLOC_GROW(*list, *nr + 1, *alloc);
	c = &(*list)[(*nr)++];
	memset(c, 0, sizeof(*c));
	git_oid_cpy(&c->object, object);
	strbuf_init(&c->text, 0);
	if (!t->notes || !oidmap_get(&t->notes->index, object, &at))
		return c;
	e = &t->notes->entries[at];
	c->old_paths = xcalloc(e->more_nr + 1, sizeof(*c->old_paths));
	copy_path(c->old_paths[c->old_nr++], object, e->fanout);
	for (size_t i = 0; i < e->more_nr; i++)
		copy_path(c->old_paths[c->old_nr++], object, e->more[i].fanout);
	if (read_entry(&c->text, t->notes, e))
		return NULL;
	return c;
}

static void changes_release(struct change *list, size_t nr)
{
	for (size_t i = 0; i < nr; i++) {
		strbuf_release(&list[i].text);
		free(list[i].old_paths);
	}
	free(list);
}

/* Writes the changed notes into a new tree based on the tip's tree, one copy each. */
static int build_tree(git_oid *out, git_repository *repo, const struct tip *t,
		      struct change *changes, size_t nr)
{
	git_tree_update *updates;
	char (*paths)[NOTE_PATH_MAX] = xcalloc(nr + 1, sizeof(*paths));
	size_t n = 0, total = nr + 1;
	int rc = 0;

	for (size_t i = 0; i < nr; i++)
		total += changes[i].old_nr;
	updates = xcalloc(total, sizeof(*updates));
	for (size_t i = 0; i < nr && !rc; i++) {
		if (!changes[i].dirty)
			continue;
		copy_path(paths[i], &changes[i].object, 1);
		for (size_t k = 0; k < changes[i].old_nr; k++) {
			if (!strcmp(changes[i].old_paths[k], paths[i]))
				continue;
			updates[n].action = GIT_TREE_UPDATE_REMOVE;
			updates[n++].path = changes[i].old_paths[k];
		}
		updates[n].action = GIT_TREE_UPDATE_UPSERT;
		updates[n].filemode = GIT_FILEMODE_BLOB;
		updates[n].path = paths[i];
		if (git_blob_create_from_buffer(&updates[n].id, repo, changes[i].text.buf,
						changes[i].text.len))
			rc = error_set_git(REVQ_ERROR, "cannot write a note");
		n++;
	}
	if (!rc && git_tree_create_updated(out, repo, t->tree, n, updates))
		rc = error_set_git(REVQ_ERROR, "cannot write the notes tree");
	free(updates);
	free(paths);
	return rc;
}

int notes_move_ref(git_repository *repo, const char *ref, const git_oid *expected,
		   const git_oid *id, const char *message)
{
	git_reference *r = NULL;
	git_oid absent;
	int rc;

	/*
	 * A zero id as the old value means "must not exist", checked under
	 * the ref's lock.  git_reference_create() without force checks before
	 * taking the lock: two first writers could both pass, and the second
	 * replaced the first one's note.
	 */
	memset(&absent, 0, sizeof(absent));
	rc = git_reference_create_matching(&r, repo, ref, id, 1, expected ? expected : &absent, message);
	git_reference_free(r);
	if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS || rc == GIT_ELOCKED) {
		git_error_clear();
		return REVQ_ECONFLICT;
	}
	return rc ? error_set_git(REVQ_ERROR, "cannot update %s", ref) : 0;
}

/* Commits tree on top of parents and moves ref if it still points at t. */
static int commit_and_swap(git_repository *repo, const char *ref, const struct tip *t,
			   const git_oid *tree_id, const git_oid *second_parent,
			   const git_signature *who, const char *message)
{
	const git_commit *parents[2];
	git_commit *p1 = NULL, *p2 = NULL;
	git_tree *tree;
	git_oid commit;
	size_t np = 0;
	int rc;

	if (git_tree_lookup(&tree, repo, tree_id))
		return error_set_git(REVQ_ERROR, "cannot read the new notes tree");
	if (t->exists && !git_commit_lookup(&p1, repo, &t->commit))
		parents[np++] = p1;
	if (second_parent && !git_commit_lookup(&p2, repo, second_parent))
		parents[np++] = p2;
	rc = git_commit_create(&commit, repo, NULL, who, who, NULL, message, tree, np, parents);
	git_tree_free(tree);
	git_commit_free(p1);
	git_commit_free(p2);
	if (rc)
		return error_set_git(REVQ_ERROR, "cannot write the notes commit");
	return notes_move_ref(repo, ref, t->exists ? &t->commit : NULL, &commit, message);
}

/* A short random pause, growing with the attempt, so racing writers spread out. */
static void back_off(int attempt)
{
	struct timespec ts;
	unsigned seed = (unsigned)getpid() ^ (unsigned)attempt * 2654435761u ^ (unsigned)clock();
	long us = 500 + (long)(rand_r(&seed) % (1000 * (attempt < 20 ? attempt + 1 : 20)));

	ts.tv_sec = us / 1000000;
	ts.tv_nsec = (us % 1000000) * 1000;
	nanosleep(&ts, NULL);
}

static int append_once(git_repository *repo, const char *ref, const struct notes_line *lines,
		       size_t nr, const git_signature *who, const char *message)
{
	struct change *changes = NULL;
	size_t changes_nr = 0, changes_alloc = 0, dirty = 0;
	struct tip t;
	git_oid tree;
	int rc;

	if ((rc = read_tip(&t, repo, ref)))
		return rc;
	for (size_t i = 0; i < nr && !rc; i++) {
		struct change *c = change_for(&changes, &changes_nr, &changes_alloc, &lines[i].object,
					      &t, repo);
		size_t before;

		if (!c) {
			rc = REVQ_ERROR;
			break;
		}
		before = c->text.len;
		add_line(&c->text, lines[i].line, strlen(lines[i].line));
		if (c->text.len != before) {
			dirty += !c->dirty;
			c->dirty = 1;
		}
	}
	if (!rc && dirty && !(rc = build_tree(&tree, repo, &t, changes, changes_nr)))
		rc = commit_and_swap(repo, ref, &t, &tree, NULL, who, message);
	changes_release(changes, changes_nr);
	tip_release(&t);
	return rc;
}

/*
 * A writer killed between locking and renaming leaves "<ref>.lock".  As
 * git does, we never remove it ourselves (another writer may hold it),
 * but a lock at least min_age seconds old gets a message that names it.
 * Returns 1 (with the message set) when there is such a lock.
 */
static int locked(git_repository *repo, const char *ref, long min_age)
{
	struct strbuf path = STRBUF_INIT;
	struct stat st;
	int found;

	strbuf_addf(&path, "%s%s.lock", git_repository_commondir(repo), ref);
	found = !stat(path.buf, &st) && time(NULL) - st.st_mtime >= min_age;
	if (found)
		error_set(REVQ_ECONFLICT, "%s is locked by %s, left %ld seconds ago; if no revq or git "
			  "is running, remove it", ref, path.buf, (long)(time(NULL) - st.st_mtime));
	strbuf_release(&path);
	return found;
}

static int with_retries(int (*once)(void *), void *arg, git_repository *repo, const char *ref,
			const char *what)
{
	for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
		int rc = once(arg);

		if (rc != REVQ_ECONFLICT)
			return rc;
		if (locked(repo, ref, STALE_LOCK_SECONDS))
			return REVQ_ECONFLICT;
		back_off(attempt);
	}
	/* Out of attempts: a lock that never went away is the likelier cause. */
	if (locked(repo, ref, 0))
		return REVQ_ECONFLICT;
	return error_set(REVQ_ECONFLICT, "%s kept changing under us; nothing was %s", ref, what);
}

struct append_args {
	git_repository *repo;
	const char *ref;
	const struct notes_line *lines;
	size_t nr;
	const git_signature *who;
	const char *message;
};

static int append_attempt(void *arg)
{
	struct append_args *a = arg;

	return append_once(a->repo, a->ref, a->lines, a->nr, a->who, a->message);
}

int notes_append(git_repository *repo, const char *ref, const struct notes_line *lines, size_t nr,
		 const git_signature *who, const char *message)
{
	struct append_args a = { repo, ref, lines, nr, who, message };

	return with_retries(append_attempt, &a, repo, ref, "written");
}

/* ---- append-only ---- */

struct line_ref {
	const char *p;
	size_t n;
};

static int line_cmp(const void *a, const void *b)
{
	const struct line_ref *x = a, *y = b;
	int c = memcmp(x->p, y->p, x->n < y->n ? x->n : y->n);

	return c ? c : (x->n > y->n) - (x->n < y->n);
}

/* The non-empty lines of text, in order; the array is owned by the caller. */
static size_t split_lines(struct line_ref **out, const struct strbuf *text)
{
	struct lines it = LINES_INIT(text->buf, text->len);
	size_t nr = 0, alloc = 0, l;
	const char *p;

	*out = NULL;
	while (lines_next(&it, &p, &l)) {
		if (l) {
			ALLOC_GROW(*out, nr + 1, alloc);
			(*out)[nr].p = p;
			(*out)[nr++].n = l;
		}
	}
	return nr;
}

static int lost_line(struct strbuf *why, const git_oid *object, const struct line_ref *line)
{
	char id[GIT_OID_HEXSZ + 1];
	struct strbuf sb = STRBUF_INIT;
	int rc;

	git_oid_tostr(id, sizeof(id), object);
	strbuf_addf(&sb, "the note on %s loses the line '%.*s%s'", id,
		    (int)(line->n > 100 ? 100 : line->n), line->p, line->n > 100 ? "..." : "");
	if (why)
		strbuf_add(why, sb.buf, sb.len);
	rc = error_set(REVQ_EDENIED, "%s", sb.buf);
	strbuf_release(&sb);
	return rc;
}

/* REVQ_EDENIED when the note on object in `new` lacks a line of its note in `old`. */
static int keeps_lines(const struct notes *old, const struct notes *new, const git_oid *object,
		       struct strbuf *why)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	struct line_ref *la = NULL, *lb = NULL;
	size_t na, nb;
	int rc = notes_read(&a, old, object);

	if (!rc && (rc = notes_read(&b, new, object)) == REVQ_ENOTFOUND)
		rc = 0;
	if (!rc) {
		na = split_lines(&la, &a);
		nb = split_lines(&lb, &b);
		if (nb)
			qsort(lb, nb, sizeof(*lb), line_cmp);
		for (size_t i = 0; i < na && !rc; i++)
			if (!nb || !bsearch(&la[i], lb, nb, sizeof(*lb), line_cmp))
				rc = lost_line(why, object, &la[i]);
	}
	free(la);
	free(lb);
	strbuf_release(&a);
	strbuf_release(&b);
	return rc;
}

int notes_check_append_only(git_repository *repo, const git_oid *old_commit,
			    const git_oid *new_commit, struct strbuf *why)
{
	struct notes *old = NULL, *new = NULL;
	int rc;

	if (git_oid_equal(old_commit, new_commit))
		return 0;
	rc = git_graph_descendant_of(repo, new_commit, old_commit);
	if (rc < 0)
		return error_set_git(REVQ_ERROR, "cannot compare notes commits %s and %s",
				     git_oid_tostr_s(old_commit), git_oid_tostr_s(new_commit));
	if (!rc) {
		if (why)
			strbuf_addf(why, "not a fast-forward of %s", git_oid_tostr_s(old_commit));
		return error_set(REVQ_EDENIED, "notes commit %s is not a fast-forward of %s",
				 git_oid_tostr_s(new_commit), git_oid_tostr_s(old_commit));
	}
	if ((rc = notes_load_commit(&old, repo, old_commit)) ||
	    (rc = notes_load_commit(&new, repo, new_commit)))
		goto out;
	for (size_t i = 0; i < old->nr && !rc; i++)
		rc = keeps_lines(old, new, &old->entries[i].object, why);
out:
	notes_free(old);
	notes_free(new);
	return rc;
}

/* ---- merging ---- */

static int merge_once(git_repository *repo, const char *ref, const git_oid *other,
		      const git_signature *who, int *changed)
{
	struct change *changes = NULL;
	size_t changes_nr = 0, changes_alloc = 0, dirty = 0;
	struct notes *theirs = NULL;
	struct tip t;
	git_oid tree;
	int rc;

	*changed = 0;
	if ((rc = read_tip(&t, repo, ref)))
		return rc;
	if (t.exists && (git_oid_equal(&t.commit, other) ||
			 git_graph_descendant_of(repo, &t.commit, other) == 1)) {
		tip_release(&t);
		return 0;   /* we already have everything */
	}
	if (!t.exists || (git_graph_descendant_of(repo, other, &t.commit) == 1 &&
			  !notes_check_append_only(repo, &t.commit, other, NULL))) {
		/* Fast-forward (never one that drops a record: that one is merged below). */
		rc = notes_move_ref(repo, ref, t.exists ? &t.commit : NULL, other, "revq sync");
		tip_release(&t);
		if (!rc)
			*changed = 1;
		return rc;
	}
	if ((rc = notes_load_commit(&theirs, repo, other))) {
		tip_release(&t);
		return rc;
	}
	for (size_t i = 0; i < theirs->nr && !rc; i++) {
		struct strbuf text = STRBUF_INIT;
		struct change *c = change_for(&changes, &changes_nr, &changes_alloc,
					      &theirs->entries[i].object, &t, repo);
		size_t before;

		if (!c || notes_read(&text, theirs, &theirs->entries[i].object)) {
			strbuf_release(&text);
			rc = REVQ_ERROR;
			break;
		}
		before = c->text.len;
		if (!c->old_nr) {
			strbuf_add(&c->text, text.buf, text.len);
		} else {
			struct strbuf merged = STRBUF_INIT;

			notes_union_text(&merged, c->text.buf, c->text.len, text.buf, text.len);
			strbuf_release(&c->text);
			c->text = merged;
		}
		if (!c->old_nr || c->text.len != before) {
			dirty += !c->dirty;
			c->dirty = 1;
		}
		strbuf_release(&text);
	}
	if (!rc && !(rc = build_tree(&tree, repo, &t, changes, changes_nr)))
		rc = commit_and_swap(repo, ref, &t, &tree, other, who, "revq sync: union of notes");
	if (!rc)
		*changed = 1;
	(void)dirty;
	changes_release(changes, changes_nr);
	notes_free(theirs);
	tip_release(&t);
	return rc;
}

struct merge_args {
	git_repository *repo;
	const char *ref;
	const git_oid *other;
	const git_signature *who;
	int *changed;
};

static int merge_attempt(void *arg)
{
	struct merge_args *a = arg;

	return merge_once(a->repo, a->ref, a->other, a->who, a->changed);
}

int notes_merge_union(git_repository *repo, const char *ref, const git_oid *other,
		      const git_signature *who, int *changed)
{
	struct merge_args a = { repo, ref, other, who, changed };

	return with_retries(merge_attempt, &a, repo, ref, "merged");
}
