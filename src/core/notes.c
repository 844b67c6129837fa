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

#include "revq/error.h"
#include "revq/notes.h"
#include "revq/strvec.h"

#define CAS_ATTEMPTS 200
#define STALE_LOCK_SECONDS 30

/* ---- reading ---- */

struct walk_state {
	struct notes *notes;
	char hex[GIT_OID_HEXSZ + 1];
};

static int all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int on_entry(const char *root, const git_tree_entry *entry, void *payload)
{
	struct walk_state *w = payload;
	struct notes *n = w->notes;
	const char *name = git_tree_entry_name(entry);
	size_t rootlen = strlen(root), namelen = strlen(name), have = 0;
	git_oid object;

	/* root is "", "ab/" or "ab/cd/": fanout directories of two hex digits. */
	for (size_t i = 0; i < rootlen; i++)
		if (root[i] != '/' && have < GIT_OID_HEXSZ)
			w->hex[have++] = root[i];
	if (git_tree_entry_type(entry) == GIT_OBJECT_TREE)
		return namelen == 2 && all_hex(name, 2) && have + 2 < GIT_OID_HEXSZ ? 0 : 1;
	if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB || have + namelen != GIT_OID_HEXSZ ||
	    !all_hex(name, namelen))
		return 0;
	memcpy(w->hex + have, name, namelen);
	w->hex[GIT_OID_HEXSZ] = '\0';
	if (git_oid_fromstr(&object, w->hex))
		return 0;
	ALLOC_GROW(n->entries, n->nr + 1, n->alloc);
	git_oid_cpy(&n->entries[n->nr].object, &object);
	git_oid_cpy(&n->entries[n->nr].blob, git_tree_entry_id(entry));
	oidmap_put(&n->index, &object, n->nr);
	n->nr++;
	return 0;
}

int notes_load_commit(struct notes **out, git_repository *repo, const git_oid *commit_id)
{
	struct notes *n = xcalloc(1, sizeof(*n));
	struct walk_state w;
	git_commit *commit;
	git_tree *tree;

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
	w.notes = n;
	git_tree_walk(tree, GIT_TREEWALK_PRE, on_entry, &w);
	git_tree_free(tree);
	git_commit_free(commit);
	*out = n;
	return 0;
}

int notes_load(struct notes **out, git_repository *repo, const char *ref)
{
	git_object *obj;
	git_oid id;
	int rc;

	*out = NULL;
	rc = git_reference_name_to_id(&id, repo, ref);
	if (rc == GIT_ENOTFOUND && !strncmp(ref, "refs/", 5)) {
		git_error_clear();
		*out = xcalloc(1, sizeof(**out));
		(*out)->repo = repo;
		return 0;   /* no notes yet */
	}
	if (rc) {
		git_error_clear();
		if (git_revparse_single(&obj, repo, ref)) {
			git_error_clear();
			return error_set(REVQ_ENOTFOUND, "unknown notes ref '%s'", ref);
		}
		git_oid_cpy(&id, git_object_id(obj));
		git_object_free(obj);
	}
	return notes_load_commit(out, repo, &id);
}

void notes_free(struct notes *n)
{
	if (!n)
		return;
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

int notes_read(struct strbuf *out, const struct notes *n, const git_oid *object)
{
	size_t i;

	if (!oidmap_get(&n->index, object, &i))
		return REVQ_ENOTFOUND;
	return read_blob(out, n->repo, &n->entries[i].blob);
}

/* ---- line sets ---- */

static int has_line(const char *text, size_t len, const char *line, size_t n)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t l = eol ? (size_t)(eol - p) : (size_t)(end - p);

		if (l == n && !memcmp(p, line, n))
			return 1;
		p += l + 1;
	}
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
	const char *p = b, *end = b + blen;

	strbuf_add(out, a, alen);
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t l = eol ? (size_t)(eol - p) : (size_t)(end - p);

		if (l)
			add_line(out, p, l);
		p += l + 1;
	}
}

/* ---- writing ---- */

static void fanout_path(char *out, const git_oid *object)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), object);
	memcpy(out, hex, 2);
	out[2] = '/';
	memcpy(out + 3, hex + 2, GIT_OID_HEXSZ - 2);
	out[GIT_OID_HEXSZ + 1] = '\0';
}

/* Where the note of object lives in tree now, in any of git's fanouts. */
static int find_note(char *path, git_oid *blob, git_tree *tree, const git_oid *object)
{
	char hex[GIT_OID_HEXSZ + 1];
	char candidates[3][GIT_OID_HEXSZ + 3];

	if (!tree)
		return 0;
	git_oid_tostr(hex, sizeof(hex), object);
	fanout_path(candidates[0], object);
	memcpy(candidates[1], hex, GIT_OID_HEXSZ + 1);
	snprintf(candidates[2], sizeof(candidates[2]), "%.2s/%.2s/%s", hex, hex + 2, hex + 4);
	for (int i = 0; i < 3; i++) {
		git_tree_entry *e;

		if (!git_tree_entry_bypath(&e, tree, candidates[i])) {
			int is_blob = git_tree_entry_type(e) == GIT_OBJECT_BLOB;

			if (is_blob) {
				strcpy(path, candidates[i]);
				git_oid_cpy(blob, git_tree_entry_id(e));
			}
			git_tree_entry_free(e);
			if (is_blob)
				return 1;
		}
	}
	git_error_clear();
	return 0;
}

struct change {
	git_oid object;
	struct strbuf text;
	char old_path[GIT_OID_HEXSZ + 3];
	int had_note;
	int dirty;
};

struct tip {
	int exists;
	git_oid commit;
	git_tree *tree;
};

static int read_tip(struct tip *t, git_repository *repo, const char *ref)
{
	git_commit *c;
	int rc;

	memset(t, 0, sizeof(*t));
	rc = git_reference_name_to_id(&t->commit, repo, ref);
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		return 0;
	}
	if (rc || git_commit_lookup(&c, repo, &t->commit))
		return error_set_git(REVQ_ERROR, "cannot read %s", ref);
	rc = git_commit_tree(&t->tree, c);
	git_commit_free(c);
	if (rc)
		return error_set_git(REVQ_ERROR, "cannot read the tree of %s", ref);
	t->exists = 1;
	return 0;
}

static struct change *change_for(struct change **list, size_t *nr, size_t *alloc,
				 const git_oid *object, const struct tip *t, git_repository *repo)
{
	struct change *c;
	git_oid blob;

	for (size_t i = 0; i < *nr; i++)
		if (git_oid_equal(&(*list)[i].object, object))
			return &(*list)[i];
	ALLOC_GROW(*list, *nr + 1, *alloc);
	c = &(*list)[(*nr)++];
	memset(c, 0, sizeof(*c));
	git_oid_cpy(&c->object, object);
	strbuf_init(&c->text, 0);
	if (find_note(c->old_path, &blob, t->tree, object)) {
		c->had_note = 1;
		if (read_blob(&c->text, repo, &blob))
			return NULL;
	}
	return c;
}

static void changes_release(struct change *list, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		strbuf_release(&list[i].text);
	free(list);
}

/* Writes the changed notes into a new tree based on the tip's tree. */
static int build_tree(git_oid *out, git_repository *repo, const struct tip *t,
		      struct change *changes, size_t nr)
{
	git_tree_update *updates = xcalloc(nr * 2 + 1, sizeof(*updates));
	char (*paths)[GIT_OID_HEXSZ + 3] = xcalloc(nr + 1, sizeof(*paths));
	size_t n = 0;
	int rc = 0;

	for (size_t i = 0; i < nr && !rc; i++) {
		if (!changes[i].dirty)
			continue;
		fanout_path(paths[i], &changes[i].object);
		if (changes[i].had_note && strcmp(changes[i].old_path, paths[i])) {
			updates[n].action = GIT_TREE_UPDATE_REMOVE;
			updates[n++].path = changes[i].old_path;
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
	git_tree_free(t.tree);
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
		git_tree_free(t.tree);
		return 0;   /* we already have everything */
	}
	if (!t.exists || git_graph_descendant_of(repo, other, &t.commit) == 1) {
		/* Fast-forward. */
		rc = notes_move_ref(repo, ref, t.exists ? &t.commit : NULL, other, "revq sync");
		git_tree_free(t.tree);
		if (!rc)
			*changed = 1;
		return rc;
	}
	if ((rc = notes_load_commit(&theirs, repo, other))) {
		git_tree_free(t.tree);
		return rc;
	}
	for (size_t i = 0; i < theirs->nr && !rc; i++) {
		struct strbuf text = STRBUF_INIT;
		struct change *c = change_for(&changes, &changes_nr, &changes_alloc,
					      &theirs->entries[i].object, &t, repo);
		size_t before;

		if (!c || read_blob(&text, repo, &theirs->entries[i].blob)) {
			strbuf_release(&text);
			rc = REVQ_ERROR;
			break;
		}
		before = c->text.len;
		if (!c->had_note) {
			strbuf_add(&c->text, text.buf, text.len);
		} else {
			struct strbuf merged = STRBUF_INIT;

			notes_union_text(&merged, c->text.buf, c->text.len, text.buf, text.len);
			strbuf_release(&c->text);
			c->text = merged;
		}
		if (!c->had_note || c->text.len != before) {
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
	git_tree_free(t.tree);
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
