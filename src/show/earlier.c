/*
 * earlier.c: the sentence and the patch text of a new version (see
 * earlier.h), computed without a terminal.
 */
#include "config.h"

#include <string.h>

#include "base/oidmap.h"
#include "judge/analyze.h"
#include "show/earlier.h"
#include "show/escape.h"
#include "show/format.h"

static const char *verdict_done(enum verdict v)
{
	switch (v) {
	case VERDICT_APPROVE: return "approved";
	case VERDICT_REJECT: return "rejected";
	default: return "withdrawn";
	}
}

void earlier_sentence(struct strbuf *out, const struct earlier *e, int64_t now, unsigned flags)
{
	const struct judged_record *jr = e->latest;
	char id[16], age[16];

	oid_short_id(id, sizeof(id), &e->commit, SHORT_ID_LEN);
	strbuf_addf(out, "new version of %s (", id);
	escape_addstr(out, e->subject ? e->subject : "", flags);
	strbuf_addstr(out, ")");
	if (!jr) {
		strbuf_addf(out, ", matched by %s", version_match_name(e->by));
		return;
	}
	format_age(age, sizeof(age), now - jr->record.time);
	strbuf_addstr(out, ", reviewed by ");
	escape_addstr(out, jr->record.reviewer_email, flags);
	strbuf_addf(out, " %s ago (%s", age, verdict_done(jr->record.verdict));
	if (*jr->record.comment) {
		strbuf_addstr(out, ": ");
		escape_addstr(out, jr->record.comment, flags);
	}
	if (jr->problem)
		strbuf_addf(out, "; that record does not count: %s", problem_text(jr->problem));
	strbuf_addf(out, "), matched by %s", version_match_name(e->by));
}

const char *earlier_diff_basis(const struct earlier *e)
{
	if (e->diff_failed || !e->diff.diff)
		return "none: the interdiff could not be computed";
	return e->diff.fallback ? "the earlier change does not apply on the new parent: the two trees compared "
				  "on the paths either version changes"
				: "the earlier change applied again on the new parent, against the new version";
}

static void patch_path(struct strbuf *out, const char *side, const git_diff_file *f, int absent)
{
	if (absent)
		strbuf_addf(out, "%s /dev/null\n", side);
	else
		strbuf_addf(out, "%s %c/%s\n", side, *side == '-' ? 'a' : 'b', f->path);
}

static int patch_binary(const git_diff_delta *delta, const git_diff_binary *binary, void *payload)
{
	(void)delta;
	(void)binary;
	strbuf_addstr(payload, "Binary files differ\n");
	return 0;
}

static int patch_hunk(const git_diff_delta *delta, const git_diff_hunk *hunk, void *payload)
{
	(void)delta;
	strbuf_add(payload, hunk->header, hunk->header_len);
	return 0;
}

static int patch_line(const git_diff_delta *delta, const git_diff_hunk *hunk,
		      const git_diff_line *line, void *payload)
{
	struct strbuf *out = payload;

	(void)delta;
	(void)hunk;
	switch (line->origin) {
	case GIT_DIFF_LINE_ADDITION:
	case GIT_DIFF_LINE_DELETION:
	case GIT_DIFF_LINE_CONTEXT:
		strbuf_addch(out, line->origin);
		strbuf_add(out, line->content, line->content_len);
		if (!line->content_len || line->content[line->content_len - 1] != '\n')
			strbuf_addch(out, '\n');
		break;
	case GIT_DIFF_LINE_CONTEXT_EOFNL:
	case GIT_DIFF_LINE_ADD_EOFNL:
	case GIT_DIFF_LINE_DEL_EOFNL:
		strbuf_addstr(out, "\\ No newline at end of file\n");
		break;
	default:
		break;
	}
	return 0;
}

int earlier_patch(struct strbuf *out, git_diff *diff, git_repository *repo)
{
	int rc = 0;

	for (size_t i = 0; i < git_diff_num_deltas(diff) && !rc; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		strbuf_addf(out, "diff --git a/%s b/%s\n", d->old_file.path, d->new_file.path);
		if (d->old_file.mode != d->new_file.mode && d->old_file.mode && d->new_file.mode)
			strbuf_addf(out, "old mode %06o\nnew mode %06o\n", d->old_file.mode, d->new_file.mode);
		patch_path(out, "---", &d->old_file, d->status == GIT_DELTA_ADDED);
		patch_path(out, "+++", &d->new_file, d->status == GIT_DELTA_DELETED);
		rc = analyze_delta(repo, d, patch_binary, patch_hunk, patch_line, out, 3);
	}
	return rc;
}
