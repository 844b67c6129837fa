/*
 * fuzz_notes.c: the notes-tree reader (notes_load_commit, notes_read,
 * notes_check_append_only) on trees an attacker can push: any fan-out,
 * duplicate names, odd modes (executable, symlink, gitlink, unknown),
 * upper-case and non-hex names, entries that name missing objects.
 *
 * The input is up to 8 trees separated by a line "--".  Each line of a
 * tree is "MODE NAME" (octal mode, then the name) followed by " tN" (the
 * N-th tree, a later one, else an empty tree) or " =TEXT" (a blob;
 * \n, \r and \s in TEXT are a newline, a CR and a space).  The
 * trees are written raw, in input order, unsorted and with duplicates,
 * into an in-memory object database; tree 0 becomes a notes commit.
 * Invariants: reading never crashes; every note read is of a lower-case
 * object name and has no CR before a newline; a notes commit is
 * append-only against itself.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/repository.h>

#include "base/error.h"
#include "git/notes.h"
#include "base/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_TREES 8

struct chunk {
	const char *p;
	size_t n;
};

static size_t split_trees(struct chunk *out, const char *p, size_t n)
{
	size_t nr = 0;

	while (nr < MAX_TREES) {
		const char *sep = NULL;

		for (size_t i = 0; i + 3 <= n && !sep; i++)
			if (!memcmp(p + i, "--\n", 3) && (i == 0 || p[i - 1] == '\n'))
				sep = p + i;
		out[nr].p = p;
		out[nr++].n = sep ? (size_t)(sep - p) : n;
		if (!sep)
			break;
		n -= (size_t)(sep - p) + 3;
		p = sep + 3;
	}
	return nr;
}

/* "\\n", "\\r" and "\\s" stand for a newline, a CR and a space; returns the new length. */
static size_t unescape(char *s)
{
	size_t w = 0;

	for (size_t r = 0; s[r]; r++) {
		if (s[r] == '\\' && (s[r + 1] == 'n' || s[r + 1] == 'r' || s[r + 1] == 's')) {
			r++;
			s[w++] = s[r] == 'n' ? '\n' : s[r] == 'r' ? '\r' : ' ';
		} else {
			s[w++] = s[r];
		}
	}
	s[w] = '\0';
	return w;
}

/* Writes tree `t` raw from its lines; trees[] after it are written already. */
static int write_tree(git_oid *out, git_odb *odb, const struct chunk *c, size_t t, size_t nr,
		      const git_oid *trees, const git_oid *empty)
{
	struct strbuf raw = STRBUF_INIT;
	const char *p = c->p, *end = c->p + c->n;
	int rc;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t l = eol ? (size_t)(eol - p) : (size_t)(end - p);
		char *line = xstrndup(p, l), *name, *ref;
		unsigned long mode = strtoul(line, &name, 8);
		git_oid id;

		p += l + 1;
		if (*name != ' ' || !(ref = strrchr(name + 1, ' ')) || ref == name || !name[1]) {
			free(line);
			continue;
		}
		*ref++ = '\0';
		name++;
		if (ref[0] == 't') {
			size_t k = strtoul(ref + 1, NULL, 10);

			git_oid_cpy(&id, k > t && k < nr ? &trees[k] : empty);
		} else if (ref[0] == '=') {
			size_t len = unescape(ref + 1);

			if (git_odb_write(&id, odb, ref + 1, len, GIT_OBJECT_BLOB)) {
				free(line);
				continue;
			}
		} else {
			memset(&id, 0x42, sizeof(id));   /* a missing object */
		}
		strbuf_addf(&raw, "%lo %s", mode & 0777777, name);
		strbuf_addch(&raw, '\0');
		strbuf_add(&raw, id.id, GIT_OID_RAWSZ);
		free(line);
	}
	rc = git_odb_write(out, odb, raw.buf ? raw.buf : "", raw.len, GIT_OBJECT_TREE);
	strbuf_release(&raw);
	return rc;
}

static void check(git_repository *repo, const git_oid *commit)
{
	struct notes *n;
	struct strbuf text = STRBUF_INIT;

	if (notes_load_commit(&n, repo, commit))
		return;
	for (size_t i = 0; i < n->nr; i++) {
		char hex[GIT_OID_HEXSZ + 1];

		git_oid_tostr(hex, sizeof(hex), &n->entries[i].object);
		for (size_t k = 0; k < GIT_OID_HEXSZ; k++)
			if (hex[k] >= 'A' && hex[k] <= 'F')
				abort();
		strbuf_reset(&text);
		if (notes_read(&text, n, &n->entries[i].object))
			continue;
		if (strstr(text.buf, "\r\n") || (text.len && text.buf[text.len - 1] == '\r'))
			abort();   /* CRs are stripped from line ends */
	}
	notes_free(n);
	if (notes_check_append_only(repo, commit, commit, NULL))
		abort();
	strbuf_release(&text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static git_repository *repo;
	static git_odb *odb;
	static git_odb_backend *mem;
	struct chunk chunks[MAX_TREES];
	git_oid trees[MAX_TREES], empty, commit;
	git_signature *who;
	git_tree *root;
	size_t nr;

	if (!repo) {
		git_libgit2_init();
		git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 0);
		if (git_odb_new(&odb) || git_mempack_new(&mem) || git_odb_add_backend(odb, mem, 1) ||
		    git_repository_wrap_odb(&repo, odb))
			abort();
	}
	nr = split_trees(chunks, (const char *)data, size);
	if (git_odb_write(&empty, odb, "", 0, GIT_OBJECT_TREE))
		abort();
	for (size_t t = nr; t-- > 0; )
		if (write_tree(&trees[t], odb, &chunks[t], t, nr, trees, &empty))
			goto out;
	if (git_tree_lookup(&root, repo, &trees[0]))
		goto out;
	if (!git_signature_new(&who, "F", "f@example.com", 1, 0)) {
		if (!git_commit_create(&commit, repo, NULL, who, who, NULL, "notes", root, 0, NULL))
			check(repo, &commit);
		git_signature_free(who);
	}
	git_tree_free(root);
out:
	git_error_clear();
	error_clear();
	git_mempack_reset(mem);
	return 0;
}
