/*
 * item.c: computing a queue item from a commit: metadata, AI markers,
 * and the risk of its diff.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "judge/ainotes.h"
#include "judge/analyze.h"
#include "base/error.h"
#include "judge/item.h"
#include "git/message.h"
#include "git/settings.h"
#include "base/strbuf.h"

#define ITEM_ALGORITHM "item-v7"   /* v4: paths include the old side of renames; v5: markers name their registry entry; v6: merges scored by their remerge diff; v7: history reasons */

/*
 * Co-authors, and the person an Assisted-by trailer names by address:
 * who prompted the tool may not approve its output (a tool's own
 * "AGENT:MODEL" has no address and adds nothing).
 */
static int is_co_author_trailer(const struct trailer *t)
{
	return message_trailer_is(t, "Co-authored-by") || message_trailer_is(t, "Co-developed-by") ||
	       message_trailer_is(t, "Assisted-by");
}

void item_author_emails(struct strvec *out, const git_commit *commit)
{
	struct strvec names = STRVEC_INIT, emails = STRVEC_INIT;
	struct message msg;

	strvec_push(out, git_commit_author(commit)->email);
	strvec_push(out, git_commit_committer(commit)->email);
	message_parse(&msg, git_commit_message(commit));
	for (size_t i = 0; i < msg.trailers_nr; i++)
		if (is_co_author_trailer(&msg.trailers[i]))
			message_split_identities(&names, &emails, msg.trailers[i].value);
	for (size_t i = 0; i < emails.nr; i++)
		if (*emails.v[i])
			strvec_push(out, emails.v[i]);
	strvec_clear(&names);
	strvec_clear(&emails);
	message_release(&msg);
}

void identity_normalize_email(struct strbuf *out, const char *email)
{
	const char *s = email ? email : "", *at, *plus;
	size_t len = strlen(s), start = out->len;

	while (len && isspace((unsigned char)*s))
		s++, len--;
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	at = len ? memrchr(s, '@', len) : NULL;
	plus = at ? memchr(s, '+', (size_t)(at - s)) : NULL;
	if (plus && plus > s) {
		strbuf_add(out, s, (size_t)(plus - s));
		strbuf_add(out, at, len - (size_t)(at - s));
	} else {
		strbuf_add(out, s, len);
	}
	for (size_t i = start; i < out->len; i++)
		if (out->buf[i] >= 'A' && out->buf[i] <= 'Z')
			out->buf[i] = (char)(out->buf[i] - 'A' + 'a');
}

/* Adds email, normalised, unless it is empty or already there; 1 when added. */
static int add_identity(struct strvec *self, const char *email, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	char *copy = xstrndup(email, len);

	identity_normalize_email(&sb, copy);
	free(copy);
	if (!sb.len || strvec_contains(self, sb.buf)) {
		strbuf_release(&sb);
		return 0;
	}
	strvec_push_nodup(self, strbuf_detach(&sb, NULL));
	return 1;
}

int item_identity_is_self(const struct strvec *self, const char *email)
{
	struct strbuf sb = STRBUF_INIT;
	int found;

	identity_normalize_email(&sb, email);
	found = sb.len && strvec_contains(self, sb.buf);
	strbuf_release(&sb);
	return found;
}

/* The "<...>" addresses of each .mailmap line with two of them: email pairs, flattened. */
static void mailmap_pairs(struct strvec *pairs, const char *buf, size_t len)
{
	struct lines it = LINES_INIT(buf, len);
	const char *p;
	size_t n_line;

	while (lines_next(&it, &p, &n_line)) {
		const char *eol = p + n_line, *at[2][2];
		int n = 0;

		for (const char *q = p; q < eol && n < 2 && *p != '#'; n++) {
			const char *lt = memchr(q, '<', (size_t)(eol - q));
			const char *gt = lt ? memchr(lt + 1, '>', (size_t)(eol - lt - 1)) : NULL;

			if (!gt)
				break;
			at[n][0] = lt + 1;
			at[n][1] = gt;
			q = gt + 1;
		}
		if (n == 2)
			for (int i = 0; i < 2; i++) {
				struct strbuf sb = STRBUF_INIT;
				char *copy = xstrndup(at[i][0], (size_t)(at[i][1] - at[i][0]));

				identity_normalize_email(&sb, copy);
				free(copy);
				strvec_push_nodup(pairs, strbuf_detach(&sb, NULL));
			}
	}
}

/* Joins self with every address a mailmap line pairs with one in it, until nothing changes. */
static void add_mailmap_identities(struct strvec *self, const struct strvec *pairs)
{
	int changed = 1;

	while (changed) {
		changed = 0;
		for (size_t i = 0; i + 1 < pairs->nr; i += 2) {
			int a = *pairs->v[i] && strvec_contains(self, pairs->v[i]);
			int b = *pairs->v[i + 1] && strvec_contains(self, pairs->v[i + 1]);

			if (a && !b)
				changed |= add_identity(self, pairs->v[i + 1], strlen(pairs->v[i + 1]));
			else if (b && !a)
				changed |= add_identity(self, pairs->v[i], strlen(pairs->v[i]));
		}
	}
}

/* The .mailmap blob at the root of commit id's tree; *out NULL when there is none. */
static int read_mailmap(git_blob **out, git_repository *repo, const git_oid *id)
{
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	const git_tree_entry *entry;
	int rc = 0;

	*out = NULL;
	if (git_commit_lookup(&commit, repo, id) || git_commit_tree(&tree, commit)) {
		rc = error_set_git(REVQ_ERROR, "cannot read the .mailmap of %s", git_oid_tostr_s(id));
	} else if ((entry = git_tree_entry_byname(tree, ".mailmap")) &&
		   (git_tree_entry_filemode(entry) == GIT_FILEMODE_BLOB ||
		    git_tree_entry_filemode(entry) == GIT_FILEMODE_BLOB_EXECUTABLE) &&
		   git_blob_lookup(out, repo, git_tree_entry_id(entry))) {
		rc = error_set_git(REVQ_ERROR, "cannot read the .mailmap of %s", git_oid_tostr_s(id));
	}
	git_tree_free(tree);
	git_commit_free(commit);
	return rc;
}

int item_mailmap_pairs(struct strvec *pairs, git_repository *repo, const git_oid *mailmap_commit)
{
	git_blob *mailmap;
	int rc;

	if ((rc = read_mailmap(&mailmap, repo, mailmap_commit)) || !mailmap)
		return rc;
	mailmap_pairs(pairs, git_blob_rawcontent(mailmap), (size_t)git_blob_rawsize(mailmap));
	git_blob_free(mailmap);
	return 0;
}

void item_self_identities(struct strvec *out, const git_commit *commit, const struct strvec *mailmap_pairs)
{
	struct strvec own = STRVEC_INIT;

	item_author_emails(&own, commit);
	for (size_t i = 0; i < own.nr; i++)
		add_identity(out, own.v[i], strlen(own.v[i]));
	strvec_clear(&own);
	if (mailmap_pairs)
		add_mailmap_identities(out, mailmap_pairs);
}

/*
 * revq.riskIgnore (a multivar) and revq.riskWeight.<name>, read from the
 * settings' config snapshot as "name=N"; the last value of a key wins,
 * as git's does.
 */
static void risk_config(struct strvec *ignore, struct strvec *weights, git_config *cfg)
{
	git_config_iterator *it;
	git_config_entry *entry;

	if (!cfg)
		return;
	if (!git_config_multivar_iterator_new(&it, cfg, "revq.riskignore", NULL)) {
		while (!git_config_next(&entry, it))
			if (entry->value && *entry->value)
				strvec_push(ignore, entry->value);
		git_config_iterator_free(it);
	}
	/*
	 * A subsection, which git keeps in the case it was written in.  No
	 * glob iterator: libgit2 1.5 leaks PCRE2 match data on every name
	 * its regex does not match.
	 */
	if (!git_config_iterator_new(&it, cfg)) {
		while (!git_config_next(&entry, it))
			if (!strncasecmp(entry->name, "revq.riskweight.", 16))
				strvec_pushf(weights, "%s=%s", entry->name + 16,
					     entry->value ? entry->value : "");
		git_config_iterator_free(it);
	}
}

int item_rules_init(struct item_rules *rules, const struct settings *settings)
{
	struct strvec ignore = STRVEC_INIT, weights = STRVEC_INIT;
	struct strbuf fp = STRBUF_INIT;
	int rc;

	memset(rules, 0, sizeof(*rules));
	if ((rc = detect_rules_init(&rules->detect, &settings->ai_patterns, settings->ai_registry)))
		return rc;
	if ((rc = risk_rules_init(&rules->risk, &settings->sensitive_paths,
				  &settings->risk_patterns))) {
		detect_rules_release(&rules->detect);
		return rc;
	}
	risk_config(&ignore, &weights, settings->snapshot);
	rc = risk_rules_configure(&rules->risk, &ignore, &weights);
	strvec_clear(&ignore);
	strvec_clear(&weights);
	if (rc) {
		risk_rules_release(&rules->risk);
		detect_rules_release(&rules->detect);
		return rc;
	}
	strbuf_addstr(&fp, ITEM_ALGORITHM " revq-" PACKAGE_VERSION "\n");
	for (size_t i = 0; i < settings->ai_patterns.nr; i++)
		strbuf_addf(&fp, "ai %s\n", settings->ai_patterns.v[i]);
	strbuf_addf(&fp, "registry %s\n", rules->detect.registry.digest);
	risk_rules_fingerprint(&fp, &rules->risk);
	rules->fingerprint = strbuf_detach(&fp, NULL);
	return 0;
}

void item_rules_release(struct item_rules *rules)
{
	detect_rules_release(&rules->detect);
	risk_rules_release(&rules->risk);
	free(rules->fingerprint);
	memset(rules, 0, sizeof(*rules));
}

struct item *item_new(void)
{
	return xcalloc(1, sizeof(struct item));
}

void item_free(struct item *item)
{
	if (!item)
		return;
	if (!item->strings) {   /* else they are part of the item's block */
		free(item->subject);
		free(item->author_name);
		free(item->author_email);
		free(item->committer_name);
		free(item->committer_email);
	}
	/* Lists borrowed from the block or a pool are only forgotten (strvec.h). */
	strvec_clear(&item->markers);
	strvec_clear(&item->reasons);
	strvec_clear(&item->reason_keys);
	strvec_clear(&item->paths);
	strvec_clear(&item->refs);
	free(item->status_detail);
	if (!item->pooled)
		free(item);
}

int item_is_ai(const struct item *item)
{
	return item->markers.nr > 0;
}

int item_priority(const struct item *it, int64_t now)
{
	int64_t hours = (now - it->commit_time) / 3600;
	int64_t ageing = hours > 0 ? hours * 10 / 24 : 0;

	return it->risk + (ageing > 100 ? 100 : (int)ageing);
}

void item_reset_review(struct item *it)
{
	it->status = ITEM_PENDING;
	it->approvals = it->approvals_needed = 0;
	it->decided_at = 0;
	it->has_earlier = 0;
	free(it->status_detail);
	it->status_detail = NULL;
}

const char *item_status_name(enum item_status status)
{
	switch (status) {
	case ITEM_APPROVED: return "approved";
	case ITEM_REJECTED: return "rejected";
	case ITEM_NEEDS_MORE: return "needs-approvals";
	case ITEM_UNKNOWN: return "unknown";
	default: return "pending";
	}
}

/* Re-encodes a message with an "encoding" header to UTF-8, as git log does. */
char *item_message_utf8(const git_commit *commit)
{
	const char *enc = git_commit_message_encoding(commit);
	const char *raw = git_commit_message_raw(commit);
	struct strbuf out = STRBUF_INIT;
	char *in = (char *)raw;
	size_t inleft = strlen(raw);
	iconv_t cd;

	if (!enc || !strcasecmp(enc, "UTF-8") || !strcasecmp(enc, "utf8"))
		return xstrdup(raw);
	cd = iconv_open("UTF-8", enc);
	if (cd == (iconv_t)-1)
		return xstrdup(raw);
	strbuf_grow(&out, inleft * 2 + 16);
	while (inleft) {
		char *outp = out.buf + out.len;
		size_t outleft = out.alloc - out.len - 1;
		size_t rc = iconv(cd, &in, &inleft, &outp, &outleft);

		strbuf_setlen(&out, (size_t)(outp - out.buf));
		if (rc == (size_t)-1) {
			if (errno == E2BIG) {
				strbuf_grow(&out, inleft * 2 + 16);
				continue;
			}
			/* Keep an undecodable byte as it is; the escaper shows it. */
			strbuf_addch(&out, *in++);
			inleft--;
		}
	}
	iconv_close(cd);
	return strbuf_detach(&out, NULL);
}

void item_fill_metadata(struct item *item, const git_commit *commit, const struct item_rules *rules)
{
	const git_signature *author = git_commit_author(commit);
	const git_signature *committer = git_commit_committer(commit);
	struct detect_identity a = { author->name, author->email };
	struct detect_identity c = { committer->name, committer->email };
	char *message = item_message_utf8(commit);
	struct message msg;

	git_oid_cpy(&item->id, git_commit_id(commit));
	git_oid_cpy(&item->tree, git_commit_tree_id(commit));
	message_parse(&msg, message);
	item->subject = msg.subject;
	msg.subject = NULL;
	message_release(&msg);
	item->author_name = xstrdup(author->name);
	item->author_email = xstrdup(author->email);
	item->author_time = author->when.time;
	item->author_offset = author->when.offset;
	item->committer_name = xstrdup(committer->name);
	item->committer_email = xstrdup(committer->email);
	item->commit_time = committer->when.time;
	detect_markers(&item->markers, &rules->detect, message, &a, &c);
	free(message);
}

int item_analyze(struct item *item, git_repository *repo, const git_commit *commit,
		 const struct item_rules *rules)
{
	const char *raw = git_commit_message_raw(commit);
	struct risk_reason *detail;
	size_t detail_nr;
	struct analysis a;
	int rc;

	if ((rc = analyze_commit(&a, repo, commit, &rules->risk, 0)))
		return rc;
	risk_scan_meta(&a.findings, "commit message", raw, strlen(raw));
	a.totals.message_lines = risk_message_lines(raw);
	item->files = a.totals.files;
	item->added = a.totals.added;
	item->deleted = a.totals.deleted;
	strvec_clear(&item->reasons);
	strvec_clear(&item->reason_keys);
	item->risk = risk_score_rules(&item->reasons, &detail, &detail_nr, &a.findings, &a.totals,
				      &rules->risk);
	for (size_t i = 0; i < detail_nr; i++)
		strvec_pushf(&item->reason_keys, "%s\t%u\t%s", detail[i].signal, detail[i].line,
			     detail[i].path ? detail[i].path : "");
	risk_reasons_free(detail, detail_nr);
	strvec_clear(&item->paths);
	/*
	 * Both sides of a rename or copy: moving a file out of a protected
	 * directory is a deletion there, and path rules must see it.
	 */
	for (size_t i = 0; i < a.files_nr; i++) {
		strvec_push(&item->paths, a.files[i].path);
		if (a.files[i].old_path && strcmp(a.files[i].old_path, a.files[i].path))
			strvec_push(&item->paths, a.files[i].old_path);
	}
	item->analyzed = 1;
	analysis_release(&a);
	return 0;
}

void item_add_history(struct item *item, const struct item_rules *rules, const struct risk_history *h)
{
	struct risk_reason r[RISK_HISTORY_REASONS];
	size_t nr = risk_history_score(r, h, rules ? &rules->risk : NULL);
	struct strvec reasons = STRVEC_INIT, keys = STRVEC_INIT;
	size_t next = 0;

	/* Each goes after the reasons of as many points or more, as risk_score_rules() orders them. */
	for (size_t i = 0; i <= item->reasons.nr && nr; i++) {
		int points = i < item->reasons.nr ? atoi(item->reasons.v[i] + 1) : -1;

		for (; next < nr && r[next].points > points; next++) {
			strvec_pushf(&reasons, "+%d %s", r[next].points, r[next].text);
			strvec_pushf(&keys, "%s\t0\t%s", r[next].signal, r[next].path ? r[next].path : "");
			item->risk = item->risk + r[next].points > 100 ? 100 : item->risk + r[next].points;
		}
		if (i < item->reasons.nr) {
			strvec_push(&reasons, item->reasons.v[i]);
			strvec_push(&keys, i < item->reason_keys.nr ? item->reason_keys.v[i] : "");
		}
	}
	if (nr) {
		strvec_move(&item->reasons, &reasons);
		strvec_move(&item->reason_keys, &keys);
	}
	for (size_t i = 0; i < nr; i++) {
		free(r[i].path);
		free(r[i].text);
	}
}

static void add_note_markers(struct strvec *markers, const struct ainote *note, const struct item_rules *rules);

/* item_compute(), with the markers of an AI authorship note when note is not NULL. */
static int compute(struct item **out, git_repository *repo, const git_oid *id,
		   const struct item_rules *rules, unsigned flags, const struct ainote *note)
{
	struct item *item;
	git_commit *commit;
	int rc;

	*out = NULL;
	if ((rc = git_commit_lookup(&commit, repo, id)))
		return error_set_git(rc == GIT_ENOTFOUND ? REVQ_ENOTFOUND : REVQ_ERROR,
				     "cannot read commit %s", git_oid_tostr_s(id));
	item = item_new();
	item_fill_metadata(item, commit, rules);
	if (note)
		add_note_markers(&item->markers, note, rules);
	if (item_is_ai(item) || (flags & ITEM_ANALYZE_ALWAYS))
		rc = item_analyze(item, repo, commit, rules);
	git_commit_free(commit);
	if (rc) {
		item_free(item);
		return rc;
	}
	*out = item;
	return 0;
}

int item_compute(struct item **out, git_repository *repo, const git_oid *id,
		 const struct item_rules *rules, unsigned flags)
{
	return compute(out, repo, id, rules, flags, NULL);
}

/* ---- AI authorship notes ---- */

#define AI_NOTE_MARKER "note " AINOTES_REF ":"

/* "Claude Code" as "claude-code", to compare with git-ai's tool names. */
static void tool_slug(struct strbuf *out, const char *name)
{
	strbuf_reset(out);
	for (; *name; name++)
		strbuf_addch(out, *name == ' ' ? '-' : (char)tolower((unsigned char)*name));
}

/* The registry entry a git-ai tool name ("claude", "github-copilot-cli") belongs to, or NULL. */
static const char *registry_tool(const struct item_rules *rules, const char *tool)
{
	const struct registry *reg = rules->detect.registry.tools.nr ? &rules->detect.registry
								       : registry_default();
	struct strbuf slug = STRBUF_INIT;
	const char *found = NULL;
	size_t tn = strlen(tool);

	for (size_t i = 0; reg && i < reg->tools.nr && !found; i++) {
		size_t n;

		tool_slug(&slug, reg->tools.v[i]);
		n = slug.len < tn ? slug.len : tn;
		/* Equal, or one is the other and more words: "claude" and "claude-code". */
		if (n && !strncasecmp(slug.buf, tool, n) &&
		    (slug.len == tn || (slug.len > tn ? slug.buf[n] : tool[n]) == '-'))
			found = reg->tools.v[i];
	}
	strbuf_release(&slug);
	return found;
}

static void add_note_markers(struct strvec *markers, const struct ainote *note, const struct item_rules *rules)
{
	for (size_t i = 0; i < note->sessions_nr; i++) {
		const struct ainote_session *s = &note->sessions[i];
		const char *tool = registry_tool(rules, s->tool);

		strvec_pushf(markers, AI_NOTE_MARKER " session %s of %s%s%s%s wrote %u line%s (%s)",
			     s->key, s->tool, *s->model ? " (model " : "", s->model, *s->model ? ")" : "",
			     s->lines, s->lines == 1 ? "" : "s", tool ? tool : s->tool);
	}
}

int item_compute_noted(struct item **out, git_repository *repo, const git_oid *id,
		       const struct item_rules *rules, const char *text, size_t len)
{
	struct ainote note;
	int rc = 1;   /* no note of AI sessions: nothing to apply */

	*out = NULL;
	if (ainote_parse(&note, text, len))
		return rc;
	if (note.sessions_nr)
		rc = compute(out, repo, id, rules, ITEM_ANALYZE_ALWAYS, &note);
	ainote_release(&note);
	return rc;
}

static int is_note_marker(const char *marker)
{
	return !strncmp(marker, AI_NOTE_MARKER, strlen(AI_NOTE_MARKER));
}

int item_has_ai_note(const struct item *item)
{
	for (size_t i = 0; i < item->markers.nr; i++)
		if (is_note_marker(item->markers.v[i]))
			return 1;
	return 0;
}

int item_ai_note_current(const struct item *item, const struct item_rules *rules, const char *note,
			 size_t len)
{
	struct strvec want = STRVEC_INIT;
	struct ainote parsed;
	size_t k = 0;
	int same = 1;

	if (note && !ainote_parse(&parsed, note, len)) {
		add_note_markers(&want, &parsed, rules);
		ainote_release(&parsed);
	} else {
		error_clear();   /* no note, or none to apply: no marker wanted */
	}
	for (size_t i = 0; i < item->markers.nr && same; i++)
		if (is_note_marker(item->markers.v[i]))
			same = k < want.nr && !strcmp(item->markers.v[i], want.v[k++]);
	same = same && k == want.nr;
	strvec_clear(&want);
	return same;
}
