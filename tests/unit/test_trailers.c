/*
 * test_trailers.c: trailers are parsed the way git parses them.  A
 * differential test writes a few thousand random messages (odd spacing
 * and case, continuation lines, Signed-off-by blocks, comments, "---"
 * dividers, prose) and compares message_parse_git() with `git
 * interpret-trailers --parse` (with and without --no-divider), then
 * revq's several-paragraph rule (message.h) with git run on each cut of
 * the message.  Also the AI markers and identities git's rules expose.
 * REVQ_SEED=N picks another random seed; REVQ_MESSAGES=N another count.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "testlib.h"
#include "judge/detect.h"
#include "judge/item.h"
#include "git/message.h"
#include "base/strvec.h"

/* ---- random messages ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static unsigned pick(unsigned n)
{
	return (unsigned)(rnd() % n);
}

#define PICK(array) ((array)[pick(sizeof(array) / sizeof((array)[0]))])

static const char *const keys[] = {
	"Co-authored-by", "Co-Authored-By", "co-authored-by", "CO-AUTHORED-BY", "Co-developed-by",
	"Signed-off-by", "Assisted-by", "Reviewed-by", "Acked-by", "Bug", "Fixes", "X-1",
	"Key_With_Underscore", "Two Words", "-Dash", "9lives", "K\xc3\xa9y", "Cc",
};
static const char *const separators[] = {
	": ", ":", " : ", "\t:", "  :   ", ":\t", " :", ": \t ",
};
static const char *const values[] = {
	"Claude <noreply@anthropic.com>", "Alice <a@example.com>, Bob <b@example.com>",
	"Reviewer <reviewer@example.com >", "x", "", "  padded  ", "value with : colon",
	"v\r", "123", "<only@example.com>", "Caf\xc3\xa9 <cafe@example.com>",
};
static const char *const prose[] = {
	"This changes the parser.", "See also: the manual", "More text here", "a: b c",
	"  indented prose", "\tindented with a tab", "(cherry picked from commit abc)",
	"(cherry picked from commit 0123456789abcdef)", "Signed-off-by: A U Thor <a@example.com>",
	"Signed-off-by:nospace", "--- not a divider?", "---", "----", "-- ", "#comment",
	"# comment", "Conflicts:", "\tsrc/file.c", ":starts with colon", "Key:", "a\rb",
	"ends with space ", "http://example.com/x", "x\v: y", "Word\f: y",
};
static const char *const blanks[] = { "", "", "", " ", "\t", "\r", "  \t" };

static void add_trailer_line(struct strbuf *m)
{
	strbuf_addf(m, "%s%s%s", PICK(keys), PICK(separators), PICK(values));
}

/* A paragraph: trailers mostly, prose sometimes, continuation lines now and then. */
static void add_paragraph(struct strbuf *m, int trailerish)
{
	unsigned lines = 1 + pick(5);

	for (unsigned i = 0; i < lines; i++) {
		unsigned what = pick(20);

		if (trailerish ? what < 12 : what < 3)
			add_trailer_line(m);
		else if (what < 14)
			strbuf_addf(m, "%s%s", pick(2) ? " " : "\t", PICK(prose));
		else if (what < 15)
			strbuf_addstr(m, "Signed-off-by: Someone <someone@example.com>");
		else
			strbuf_addstr(m, PICK(prose));
		strbuf_addch(m, '\n');
	}
}

static void random_message(struct strbuf *m)
{
	unsigned paragraphs = pick(6);

	if (!pick(15))
		strbuf_addstr(m, PICK(blanks)), strbuf_addch(m, '\n');
	strbuf_addstr(m, pick(10) ? "Subject line" : "Co-authored-by: Claude <noreply@anthropic.com>");
	strbuf_addch(m, '\n');
	if (!pick(6))
		strbuf_addstr(m, "second subject line\n");
	for (unsigned p = 0; p < paragraphs; p++) {
		unsigned gap = 1 + pick(2);

		while (gap--)
			strbuf_addf(m, "%s\n", PICK(blanks));
		if (!pick(25))
			strbuf_addstr(m, "# ------------------------ >8 ------------------------\n");
		add_paragraph(m, p + 2 >= paragraphs || pick(2));
	}
	for (unsigned tail = pick(3); tail; tail--)
		strbuf_addf(m, "%s\n", pick(3) ? PICK(blanks) : "# trailing comment");
	if (m->len && !pick(8))
		strbuf_setlen(m, m->len - 1);   /* no newline at the end */
}

/* git loops forever on a cut line after a "---" divider (git 2.39); do not ask it. */
static int git_would_hang(const char *m)
{
	const char *divider = NULL;

	for (const char *p = m; *p; p = strchrnul(p, '\n') + !!*strchrnul(p, '\n'))
		if (!strncmp(p, "---", 3) && (p[3] == ' ' || p[3] == '\t' || p[3] == '\n' || p[3] == '\r')) {
			divider = p;
			break;
		}
	return divider && strstr(divider, "\n# ------------------------ >8 ------------------------");
}

/* What `git interpret-trailers --parse` prints for msg's trailers. */
static void format_like_git(struct strbuf *out, const struct message *msg)
{
	for (size_t i = 0; i < msg->trailers_nr; i++)
		strbuf_addf(out, "%s: %s\n", msg->trailers[i].key, msg->trailers[i].value);
}

static unsigned env_count(const char *name, unsigned fallback)
{
	const char *v = getenv(name);

	return v && *v ? (unsigned)strtoul(v, NULL, 10) : fallback;
}

static void read_output(struct strbuf *out, const char *dir, const char *sub, unsigned i)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s/%05u", dir, sub, i);
	strbuf_reset(out);
	if (strbuf_read_file(out, path) < 0)
		fail_msg("cannot read %s", path);
}

static void fail_with_message(const char *what, const char *m, const char *git, const char *revq)
{
	struct strbuf shown = STRBUF_INIT;

	for (const char *p = m; *p; p++)
		if (*p == '\n')
			strbuf_addstr(&shown, "\\n\n");
		else if ((unsigned char)*p < ' ')
			strbuf_addf(&shown, "\\x%02x", (unsigned char)*p);
		else
			strbuf_addch(&shown, *p);
	fail_msg("%s (seed %" PRIu64 ") for the message:\n%s\ngit:\n%s\nrevq:\n%s", what,
		 (uint64_t)env_count("REVQ_SEED", 20260101), shown.buf, git, revq);
}

/*
 * The last block of every message, with and without the divider, is what
 * git says; so is each block of the several-paragraph chain (git run on
 * the message cut before the block after it), and message_parse() returns
 * them all, in order.
 */
static void test_random_messages_parse_as_git_interpret_trailers_does(void **state)
{
	unsigned n = env_count("REVQ_MESSAGES", 2500), cuts = 0, chained = 0;
	const char *dir = tl_tmpdir();
	struct strvec messages = STRVEC_INIT, cut_messages = STRVEC_INIT;
	struct strbuf m = STRBUF_INIT, got = STRBUF_INIT, want = STRBUF_INIT, all = STRBUF_INIT;
	size_t *cut_of = NULL;   /* cut_messages[k] belongs to messages[cut_of[k]] */
	size_t cut_alloc = 0;

	(void)state;
	rng_state = env_count("REVQ_SEED", 20260101) * 2654435761u + 1;
	tl_sh(dir, "mkdir m d n c cn");
	for (unsigned i = 0; i < n; i++) {
		char path[32];

		strbuf_reset(&m);
		do {
			strbuf_reset(&m);
			random_message(&m);
		} while (git_would_hang(m.buf));
		strvec_push(&messages, m.buf);
		snprintf(path, sizeof(path), "m/%05u", i);
		tl_write_bytes(dir, path, m.buf, m.len);
	}
	/* The chain's cuts, for the messages without a divider (no union there). */
	for (unsigned i = 0; i < n; i++) {
		const char *raw = messages.v[i];
		char *cut = xstrdup(raw);
		size_t start, end;

		message_trailer_block(cut, MESSAGE_NO_DIVIDER, &start, &end);
		while (start < end) {
			char path[32];

			cut[start] = '\0';
			message_trailer_block(cut, MESSAGE_NO_DIVIDER, &start, &end);
			if (start >= end)
				break;
			ALLOC_GROW(cut_of, cut_messages.nr + 1, cut_alloc);
			cut_of[cut_messages.nr] = i;
			snprintf(path, sizeof(path), "c/%05u", (unsigned)cut_messages.nr);
			tl_write_bytes(dir, path, cut, strlen(cut));
			strvec_push(&cut_messages, cut);
		}
		free(cut);
	}
	/* One shell loop per directory, not one helper per message. */
	if (tl_sh(dir, "for f in m/*; do b=${f#m/}; "
		  "git interpret-trailers --parse <\"$f\" >\"d/$b\" && "
		  "git interpret-trailers --parse --no-divider <\"$f\" >\"n/$b\" || exit 1; done && "
		  "for f in c/*; do [ -e \"$f\" ] || continue; "
		  "git interpret-trailers --parse --no-divider <\"$f\" >\"cn/${f#c/}\" || exit 1; done"))
		fail_msg("git interpret-trailers failed");

	for (unsigned i = 0; i < n; i++) {
		static const struct { const char *sub; unsigned flags; } modes[] = {
			{ "d", 0 }, { "n", MESSAGE_NO_DIVIDER },
		};

		for (size_t k = 0; k < 2; k++) {
			struct message msg;

			read_output(&want, dir, modes[k].sub, i);
			message_parse_git(&msg, messages.v[i], modes[k].flags);
			strbuf_reset(&got);
			format_like_git(&got, &msg);
			message_release(&msg);
			if (strcmp(got.buf, want.buf))
				fail_with_message(modes[k].flags ? "--parse --no-divider differs" : "--parse differs",
						  messages.v[i], want.buf, got.buf);
		}
	}
	/* Each cut: git's last block there is the chain's next block. */
	for (size_t k = 0; k < cut_messages.nr; k++) {
		struct message msg;

		read_output(&want, dir, "cn", (unsigned)k);
		message_parse_git(&msg, cut_messages.v[k], MESSAGE_NO_DIVIDER);
		strbuf_reset(&got);
		format_like_git(&got, &msg);
		message_release(&msg);
		if (strcmp(got.buf, want.buf))
			fail_with_message("a cut differs", cut_messages.v[k], want.buf, got.buf);
		cuts++;
	}
	/* message_parse(): the chain's blocks, earliest first, for messages without a divider. */
	for (unsigned i = 0, k = 0; i < n; i++) {
		struct message msg;
		const char *raw = messages.v[i];
		int divider = 0;

		for (const char *p = raw; *p; p = strchrnul(p, '\n') + !!*strchrnul(p, '\n'))
			divider |= !strncmp(p, "---", 3) && p[3] && strchr(" \t\n\r", p[3]);
		strbuf_reset(&all);
		/* the cuts of message i, latest cut (earliest block) first */
		{
			size_t first = k;

			while (k < cut_messages.nr && cut_of[k] == i)
				k++;
			for (size_t c = k; c > first; c--) {
				read_output(&want, dir, "cn", (unsigned)(c - 1));
				strbuf_addstr(&all, want.buf);
			}
			chained += k > first;
		}
		read_output(&want, dir, "n", i);
		strbuf_addstr(&all, want.buf);
		if (divider)
			continue;
		message_parse(&msg, raw);
		strbuf_reset(&got);
		format_like_git(&got, &msg);
		message_release(&msg);
		if (strcmp(got.buf, all.buf))
			fail_with_message("message_parse() is not the chain of git's blocks", raw, all.buf, got.buf);
	}
	print_message("%u messages, %u cuts, %u with several trailer paragraphs\n", n, cuts, chained);
	assert_true(chained > n / 20);
	strvec_clear(&messages);
	strvec_clear(&cut_messages);
	free(cut_of);
	strbuf_release(&m);
	strbuf_release(&got);
	strbuf_release(&want);
	strbuf_release(&all);
}

/* ---- what git's rules expose ---- */

static char *markers_of(const char *message)
{
	struct detect_rules none = DETECT_RULES_INIT;
	struct strvec markers = STRVEC_INIT;
	char *joined;

	detect_markers(&markers, &none, message, NULL, NULL);
	joined = strvec_join(&markers, " | ");
	strvec_clear(&markers);
	return joined;
}

#define assert_markers(message, expected) do { \
	char *got_ = markers_of(message); \
	if (strcmp(got_, (expected))) \
		fail_msg("markers of:\n%s\nare \"%s\", expected \"%s\"", (message), got_, (expected)); \
	free(got_); \
} while (0)

static void test_a_blank_before_the_colon_is_still_a_trailer(void **state)
{
	(void)state;
	assert_markers("Add login\n\nCo-Authored-By : Claude <noreply@anthropic.com>\n",
		       "trailer Co-Authored-By: Claude <noreply@anthropic.com> (Claude)");
	assert_markers("Add login\n\nco-authored-by\t:\tClaude <noreply@anthropic.com>\n",
		       "trailer co-authored-by: Claude <noreply@anthropic.com> (Claude)");
	assert_markers("Add login\n\nCO-AUTHORED-BY:Claude <noreply@anthropic.com>\n",
		       "trailer CO-AUTHORED-BY: Claude <noreply@anthropic.com> (Claude)");
	/* control: a key with a blank inside is not a key, for git either */
	assert_markers("Add login\n\nCo authored by: Claude <noreply@anthropic.com>\n", "");
}

static void test_a_paragraph_made_only_of_trailers_counts_wherever_it_stands(void **state)
{
	(void)state;
	assert_markers("Add login\n\nBody.\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n\n"
		       "Signed-off-by: A U Thor <a@example.com>\n",
		       "trailer Co-Authored-By: Claude <noreply@anthropic.com> (Claude)");
	assert_markers("Add login\n\nAssisted-by: Copilot\n\nReviewed-by: R <r@x>\n\n"
		       "Signed-off-by: A <a@x>\n", "trailer Assisted-by: Copilot (GitHub Copilot)");
	/* a paragraph of trailers only counts even with prose after it */
	assert_markers("Add login\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n\n"
		       "Some prose here.\n\nSigned-off-by: A <a@x>\n",
		       "trailer Co-Authored-By: Claude <noreply@anthropic.com> (Claude)");
	/* controls: a trailer line inside prose, fenced or indented is an example */
	assert_markers("Add login\n\nWe used to write\nCo-Authored-By: Claude <noreply@anthropic.com>\n"
		       "in every commit.\n\nSigned-off-by: A <a@x>\n", "");
	assert_markers("Add login\n\n```\nCo-Authored-By: Claude <noreply@anthropic.com>\n```\n\n"
		       "Signed-off-by: A <a@x>\n", "");
	assert_markers("Add login\n\n    Co-Authored-By: Claude <noreply@anthropic.com>\n\n"
		       "Signed-off-by: A <a@x>\n", "");
}

static void test_continuation_lines_and_dividers(void **state)
{
	(void)state;
	assert_markers("Add login\n\nCo-Authored-By: Claude\n <noreply@anthropic.com>\n",
		       "trailer Co-Authored-By: Claude <noreply@anthropic.com> (Claude)");
	/* a "---" line ends the message for interpret-trailers, not for git log */
	assert_markers("Add login\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n---\nnotes\n",
		       "trailer Co-Authored-By: Claude <noreply@anthropic.com> (Claude)");
	assert_markers("Add login\n\nnotes\n---\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n",
		       "trailer Co-Authored-By: Claude <noreply@anthropic.com> (Claude)");
	/* comments are not trailers; the cut line ends the message */
	assert_markers("Add login\n\n# Co-Authored-By: Claude <noreply@anthropic.com>\n", "");
	assert_markers("Add login\n\nAcked-by: a\n# ------------------------ >8 ------------------------\n"
		       "Co-Authored-By: Claude <noreply@anthropic.com>\n", "");
}

static void test_two_identities_in_one_trailer(void **state)
{
	struct strvec names = STRVEC_INIT, emails = STRVEC_INIT;

	(void)state;
	assert_markers("Pair\n\nCo-authored-by: Alice <a@x>, Claude <noreply@anthropic.com>\n",
		       "trailer Co-authored-by: Alice <a@x>, Claude <noreply@anthropic.com> (Claude)");
	assert_int_equal(message_split_identities(&names, &emails,
						  "Alice <a@x>, Bob B. < b@x > and Carol <c@x>; d@x"), 4);
	assert_string_equal(names.v[1], "Bob B.");
	assert_string_equal(emails.v[1], "b@x");
	assert_string_equal(names.v[2], "Carol");
	assert_string_equal(emails.v[3], "d@x");
	assert_string_equal(names.v[3], "");
	strvec_clear(&names);
	strvec_clear(&emails);
	assert_int_equal(message_split_identities(&names, &emails, "Claude Code"), 1);
	assert_string_equal(names.v[0], "Claude Code");
	assert_string_equal(emails.v[0], "");
	strvec_clear(&names);
	strvec_clear(&emails);
	assert_int_equal(message_split_identities(&names, &emails, ""), 0);
}

static void test_addresses_normalise_to_one_identity(void **state)
{
	static const char *const same[] = {
		"reviewer@example.com", " reviewer@example.com ", "Reviewer@Example.COM",
		"reviewer+ci@example.com", "REVIEWER+x+y@example.com\t",
	};
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		strbuf_reset(&sb);
		identity_normalize_email(&sb, same[i]);
		assert_string_equal(sb.buf, "reviewer@example.com");
	}
	/* a plus in the domain, or a local part that is only a tag, stays */
	strbuf_reset(&sb);
	identity_normalize_email(&sb, "+tag@example.com");
	assert_string_equal(sb.buf, "+tag@example.com");
	strbuf_reset(&sb);
	identity_normalize_email(&sb, "a@b+c.example");
	assert_string_equal(sb.buf, "a@b+c.example");
	strbuf_reset(&sb);
	identity_normalize_email(&sb, NULL);
	assert_string_equal(sb.buf, "");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_messages_parse_as_git_interpret_trailers_does),
		cmocka_unit_test(test_a_blank_before_the_colon_is_still_a_trailer),
		cmocka_unit_test(test_a_paragraph_made_only_of_trailers_counts_wherever_it_stands),
		cmocka_unit_test(test_continuation_lines_and_dividers),
		cmocka_unit_test(test_two_identities_in_one_trailer),
		cmocka_unit_test(test_addresses_normalise_to_one_identity),
	};

	tl_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
