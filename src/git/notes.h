/*
 * notes.h: reading and writing the decisions notes ref.
 *
 * Notes trees are written with git's 2/38 fanout ("ab/cdef..."), which git
 * reads natively and which keeps lookups fast with many thousands of
 * notes (libgit2 itself writes flat trees).  Any fanout is read.  Every
 * update builds a new notes commit and moves the ref with compare-and-swap,
 * retrying when another writer got there first, so concurrent writers
 * all land and a crash leaves either the old or the new ref, never a
 * broken one.
 *
 * One note per object, however it is stored: a tree may hold several
 * copies of an object's note (a flat name beside the 2/38 fan-out one);
 * git concatenates them when it loads the tree, and so does
 * notes_read().  Writers consolidate every copy into one at the 2/38
 * path.  Only lower-case hex names are accepted: a note-shaped name in
 * upper case (which git would read) makes the tree malformed.  Lines
 * come back without a trailing CR.
 *
 * notes_load() returns a snapshot that owns its index; notes_free()
 * frees it.  Texts returned by notes_read() are owned by the caller.
 */
#ifndef REVQ_NOTES_H
#define REVQ_NOTES_H

#include <git2.h>

#include "base/oidmap.h"
#include "base/strbuf.h"

/* A further copy of a note on the same object, at another fan-out depth. */
struct notes_copy {
	git_oid blob;
	unsigned fanout;  /* directory levels of two hex digits above it */
};

struct notes_entry {
	git_oid object;            /* the annotated object */
	git_oid blob;              /* the note (its first copy in tree order) */
	unsigned fanout;           /* where that copy is: 0 flat, 1 "ab/cdef...", ... */
	struct notes_copy *more;   /* owned: other copies (flat beside 2/38, ...), or NULL */
	size_t more_nr, more_alloc;
};

struct notes {
	git_repository *repo;          /* not owned */
	git_oid tip;                   /* the notes commit; zero when there is none */
	int exists;
	struct notes_entry *entries;   /* owned */
	size_t nr, alloc;
	struct oidmap index;           /* object -> entry */
};

/*
 * Loads the notes at ref, which is a notes ref name (missing is fine:
 * no notes) or any revision naming a notes commit.
 */
int notes_load(struct notes **out, git_repository *repo, const char *ref);
/*
 * What notes_load() would load, without reading it: *tip the notes
 * commit ref names and *exists 1, or *exists 0 (tip zero) for a notes
 * ref that does not exist yet.  REVQ_ENOTFOUND for an unknown revision.
 */
int notes_resolve(git_oid *tip, int *exists, git_repository *repo, const char *ref);
/* Loads what notes_resolve() found: the notes of tip, or none when !exists. */
int notes_load_tip(struct notes **out, git_repository *repo, const git_oid *tip, int exists);
/* Loads the notes of a given notes commit. */
int notes_load_commit(struct notes **out, git_repository *repo, const git_oid *commit);
void notes_free(struct notes *notes);

/* The note on object, or REVQ_ENOTFOUND. */
int notes_read(struct strbuf *out, const struct notes *notes, const git_oid *object);

/*
 * One changed copy of a note between two notes commits: the annotated
 * object and the note blob before and after (zero when absent).
 */
typedef int (*notes_change_fn)(const git_oid *object, const git_oid *old_blob, const git_oid *new_blob,
			       void *data);
/*
 * Calls fn for every note copy that differs between the notes commits
 * old_tip and new_tip (a zero id: no notes), reading only the subtrees
 * that changed; stops at fn's first non-zero answer and returns it.
 * REVQ_ERROR when a side cannot be read, or a changed name is not a
 * lower-case note name (the caller then takes everything as changed).
 */
int notes_diff(git_repository *repo, const git_oid *old_tip, const git_oid *new_tip, notes_change_fn fn,
	       void *data);
/* The text of one note blob as notes_read() gives it: no line ends in CR. */
int notes_read_blob(struct strbuf *out, git_repository *repo, const git_oid *blob);

struct notes_line {
	git_oid object;
	const char *line;   /* one line, no newline */
};

/*
 * Appends lines to the notes of their objects (a line already present is
 * not repeated) in one notes commit, moving ref with compare-and-swap.
 */
int notes_append(git_repository *repo, const char *ref, const struct notes_line *lines, size_t nr,
		 const git_signature *who, const char *message);

/*
 * Points ref at id if it is still at *expected, or, with expected NULL,
 * if it still does not exist; both are checked under the ref's lock.
 * REVQ_ECONFLICT when someone else moved or created it first.
 */
int notes_move_ref(git_repository *repo, const char *ref, const git_oid *expected,
		   const git_oid *id, const char *message);

/*
 * Merges the notes commit `other` into ref by record union: every line of
 * either side survives.  Fast-forwards when one side contains the other.
 * *changed is set when ref moved.
 */
int notes_merge_union(git_repository *repo, const char *ref, const git_oid *other,
		      const git_signature *who, int *changed);

/*
 * Decisions are append-only.  0 when new_commit is old_commit or a
 * descendant of it (a fast-forward) and every non-empty line of every
 * note in old_commit is still a line of the note on the same object in
 * new_commit (copies combined, CRs stripped).  Otherwise REVQ_EDENIED,
 * with one sentence appended to why (when not NULL) naming the first
 * lost line or the missing ancestry; REVQ_ERROR when a side cannot be
 * read (a malformed notes tree included).
 */
int notes_check_append_only(git_repository *repo, const git_oid *old_commit,
			    const git_oid *new_commit, struct strbuf *why);

/* Union of two note texts: a's lines, then b's lines that a lacks. */
void notes_union_text(struct strbuf *out, const char *a, size_t alen, const char *b, size_t blen);

#endif
