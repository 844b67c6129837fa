/*
 * worddiff.c: word-level highlighting of modified lines, reusing
 * libgit2's (xdiff's) diff engine on token lists instead of a new LCS.
 */
#include "config.h"

#include <ctype.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/strbuf.h"
#include "show/worddiff.h"

struct tokens {
	struct byte_range *at;   /* where each token is in the line */
	size_t nr, alloc;
	struct strbuf lines;     /* one token per line, for the diff engine */
};

static int is_word_byte(unsigned char c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

static int tokenize(struct tokens *t, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t j = i + 1;
		unsigned char c = (unsigned char)s[i];

		if (is_word_byte(c))
			while (j < len && is_word_byte((unsigned char)s[j]))
				j++;
		else if (c == ' ' || c == '\t')
			while (j < len && (s[j] == ' ' || s[j] == '\t'))
				j++;
		if (t->nr == WORDDIFF_MAX_TOKENS)
			return -1;
		ALLOC_GROW(t->at, t->nr + 1, t->alloc);
		t->at[t->nr].start = (uint32_t)i;
		t->at[t->nr++].end = (uint32_t)j;
		/* A token never holds a newline: lines given to us have none. */
		for (size_t k = i; k < j; k++)
			strbuf_addch(&t->lines, s[k] == '\n' || s[k] == '\r' ? ' ' : s[k]);
		strbuf_addch(&t->lines, '\n');
		i = j;
	}
	return 0;
}

struct collect {
	const struct tokens *old, *new;
	struct worddiff *out;
	size_t old_alloc, new_alloc;
};

static void add_range(struct byte_range **list, size_t *nr, size_t *alloc, const struct tokens *t,
		      int first, int count)
{
	if (count <= 0)
		return;
	ALLOC_GROW(*list, *nr + 1, *alloc);
	(*list)[*nr].start = t->at[first - 1].start;
	(*list)[*nr].end = t->at[first - 1 + count - 1].end;
	(*nr)++;
}

static int on_hunk(const git_diff_delta *delta, const git_diff_hunk *h, void *payload)
{
	struct collect *c = payload;

	(void)delta;
	add_range(&c->out->old_changed, &c->out->old_nr, &c->old_alloc, c->old, h->old_start, h->old_lines);
	add_range(&c->out->new_changed, &c->out->new_nr, &c->new_alloc, c->new, h->new_start, h->new_lines);
	return 0;
}

static void whole(struct worddiff *out, size_t old_len, size_t new_len)
{
	out->whole_line = 1;
	if (old_len) {
		out->old_changed = xcalloc(1, sizeof(*out->old_changed));
		out->old_changed[0].end = (uint32_t)old_len;
		out->old_nr = 1;
	}
	if (new_len) {
		out->new_changed = xcalloc(1, sizeof(*out->new_changed));
		out->new_changed[0].end = (uint32_t)new_len;
		out->new_nr = 1;
	}
}

int worddiff_compute(struct worddiff *out, const char *old_text, size_t old_len,
		     const char *new_text, size_t new_len)
{
	struct tokens a = { NULL, 0, 0, STRBUF_INIT }, b = { NULL, 0, 0, STRBUF_INIT };
	struct collect c = { &a, &b, out, 0, 0 };
	git_diff_options opts;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (old_len > WORDDIFF_MAX_BYTES || new_len > WORDDIFF_MAX_BYTES ||
	    tokenize(&a, old_text, old_len) || tokenize(&b, new_text, new_len)) {
		whole(out, old_len, new_len);
	} else {
		git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
		opts.context_lines = 0;
		opts.interhunk_lines = 0;
		opts.flags |= GIT_DIFF_FORCE_TEXT;
		if (git_diff_buffers(a.lines.buf, a.lines.len, NULL, b.lines.buf, b.lines.len, NULL,
				     &opts, NULL, NULL, on_hunk, NULL, &c)) {
			worddiff_release(out);
			rc = error_set_git(REVQ_ERROR, "word diff failed");
		}
	}
	free(a.at);
	free(b.at);
	strbuf_release(&a.lines);
	strbuf_release(&b.lines);
	return rc;
}

void worddiff_release(struct worddiff *wd)
{
	free(wd->old_changed);
	free(wd->new_changed);
	memset(wd, 0, sizeof(*wd));
}
