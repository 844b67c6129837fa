/*
 * test_detect.c: commit message structure (message.h) and AI-assisted
 * commit detection (detect.h).
 */
#include "config.h"

#include <string.h>

#include "testlib.h"
#include "judge/detect.h"
#include "base/error.h"
#include "git/message.h"

/* The markers found in message (no identities), joined with " | "; caller frees. */
static char *markers_of(const struct detect_rules *rules, const char *message,
			const struct detect_identity *author, const struct detect_identity *committer)
{
	struct detect_rules none = DETECT_RULES_INIT;
	struct strvec markers = STRVEC_INIT;
	size_t n;
	char *joined;

	n = detect_markers(&markers, rules ? rules : &none, message, author, committer);
	assert_int_equal(n, markers.nr);
	joined = strvec_join(&markers, " | ");
	strvec_clear(&markers);
	return joined;
}

#define assert_markers(message, expected) do { \
	char *got_ = markers_of(NULL, (message), NULL, NULL); \
	if (strcmp(got_, (expected))) \
		fail_msg("markers of:\n%s\nare \"%s\", expected \"%s\"", (message), got_, (expected)); \
	free(got_); \
} while (0)

/* ---- message.h ---- */

static void test_message_subject_and_trailers(void **state)
{
	struct message msg = MESSAGE_INIT;

	(void)state;
	message_parse(&msg, "Fix the parser\n\nLonger explanation.\nMore: not a trailer here\nat all.\n\n"
		      "Signed-off-by: A U Thor <a@example.com>\n"
		      "co-authored-by:   Bob <bob@example.com>  \n"
		      "Reviewed-by: Carol\n  <carol@example.com>\n\n\n");
	assert_string_equal(msg.subject, "Fix the parser");
	assert_int_equal(msg.trailers_nr, 3);
	assert_string_equal(msg.trailers[0].key, "Signed-off-by");
	assert_string_equal(msg.trailers[0].value, "A U Thor <a@example.com>");
	assert_string_equal(msg.trailers[1].key, "co-authored-by");
	assert_string_equal(msg.trailers[1].value, "Bob <bob@example.com>");
	assert_true(message_trailer_is(&msg.trailers[1], "Co-Authored-By"));
	assert_false(message_trailer_is(&msg.trailers[1], "Co-authored"));
	/* a continuation line joins with one space */
	assert_string_equal(msg.trailers[2].value, "Carol <carol@example.com>");
	message_release(&msg);
}

static void test_message_multiline_subject_and_no_trailers(void **state)
{
	struct message msg = MESSAGE_INIT;

	(void)state;
	message_parse(&msg, "\n\nFirst line\nsecond line\n\nBody: with a colon but\nmostly prose\nand more prose\n");
	assert_string_equal(msg.subject, "First line second line");
	assert_int_equal(msg.trailers_nr, 0);
	message_release(&msg);

	/* a subject alone is never a trailer block */
	message_parse(&msg, "Fixes: the build");
	assert_string_equal(msg.subject, "Fixes: the build");
	assert_int_equal(msg.trailers_nr, 0);
	message_release(&msg);

	message_parse(&msg, NULL);
	assert_string_equal(msg.subject, "");
	assert_int_equal(msg.trailers_nr, 0);
	message_release(&msg);

	message_parse(&msg, "");
	assert_string_equal(msg.subject, "");
	message_release(&msg);
}

static void test_message_crlf_and_mostly_trailers(void **state)
{
	struct message msg = MESSAGE_INIT;

	(void)state;
	message_parse(&msg, "Subject\r\n\r\nCo-authored-by: Claude <noreply@anthropic.com>\r\n"
		      "Cc: someone\r\n");
	assert_int_equal(msg.trailers_nr, 2);
	assert_string_equal(msg.trailers[0].value, "Claude <noreply@anthropic.com>");
	assert_string_equal(msg.trailers[1].key, "Cc");
	assert_string_equal(msg.trailers[1].value, "someone");
	message_release(&msg);

	/* git accepts a block that is mostly trailers */
	message_parse(&msg, "S\n\nSigned-off-by: a <a@x>\n(cherry picked from commit 1234)\nAcked-by: b <b@x>\n");
	assert_int_equal(msg.trailers_nr, 2);
	assert_string_equal(msg.trailers[1].key, "Acked-by");
	message_release(&msg);

	/* ... but not one that is mostly prose */
	message_parse(&msg, "S\n\nSee also:\nthis line\nand this one\nKey: value\n");
	assert_int_equal(msg.trailers_nr, 0);
	message_release(&msg);
}

/* ---- detect.h ---- */

static void test_co_authored_by_ai_tools(void **state)
{
	static const struct { const char *trailer; const char *tool; } cases[] = {
		{ "Co-authored-by: Claude <noreply@anthropic.com>", "Claude" },
		{ "Co-Authored-By: Claude Opus 4.5 <noreply@anthropic.com>", "Claude" },
		{ "Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>", "GitHub Copilot" },
		{ "Co-authored-by: Cursor Agent <cursoragent@cursor.com>", "Cursor" },
		{ "Co-authored-by: aider (anthropic/claude-sonnet-4) <noreply@aider.chat>", "aider" },
		{ "Co-authored-by: Codex <noreply@openai.com>", "OpenAI Codex" },
		{ "Co-authored-by: ChatGPT <chatgpt@example.com>", "ChatGPT" },
		{ "Co-authored-by: Gemini <gemini@example.com>", "Gemini" },
		{ "Co-authored-by: Amazon Q <q@example.com>", "Amazon Q" },
		{ "Co-authored-by: devin-ai-integration[bot] <158243242+devin-ai-integration[bot]@users.noreply.github.com>", "Devin" },
		{ "Co-authored-by: Windsurf <noreply@windsurf.com>", "Windsurf" },
		{ "Co-authored-by: google-labs-jules[bot] <161369871+google-labs-jules[bot]@users.noreply.github.com>", "Jules" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf msg = STRBUF_INIT, expected = STRBUF_INIT;
		struct message parsed = MESSAGE_INIT;
		char *got;

		strbuf_addf(&msg, "Add a feature\n\nSome body text.\n\n%s\n", cases[i].trailer);
		strbuf_addf(&expected, "trailer %s (%s)", cases[i].trailer, cases[i].tool);
		got = markers_of(NULL, msg.buf, NULL, NULL);
		if (strcmp(got, expected.buf))
			fail_msg("markers for \"%s\": \"%s\"", cases[i].trailer, got);
		free(got);
		/* and the identity names the tool */
		message_parse(&parsed, msg.buf);
		assert_int_equal(parsed.trailers_nr, 1);
		{
			char *value = parsed.trailers[0].value, *lt = strchr(value, '<');
			char *name = xstrndup(value, (size_t)(lt - value - 1));
			char *email = xstrndup(lt + 1, strlen(lt + 1) - 1);
			const char *tool = detect_ai_identity(name, email);

			if (!tool || strcmp(tool, cases[i].tool))
				fail_msg("\"%s\" <%s> is %s, expected %s", name, email,
					 tool ? tool : "(null)", cases[i].tool);
			free(name);
			free(email);
		}
		message_release(&parsed);
		strbuf_release(&msg);
		strbuf_release(&expected);
	}
}

static void test_presence_trailers(void **state)
{
	(void)state;
	assert_markers("Change\n\nAssisted-by: GitHub Copilot\n", "trailer Assisted-by: GitHub Copilot (GitHub Copilot)");
	assert_markers("Change\n\nGenerated-by: some tool 1.2\n", "trailer Generated-by: some tool 1.2 (unnamed AI tool)");
	assert_markers("Change\n\nAI-assisted: yes\n", "trailer AI-assisted: yes (unnamed AI tool)");
	assert_markers("Change\n\nai-assisted: TRUE\n", "trailer ai-assisted: TRUE (unnamed AI tool)");
	assert_markers("Change\n\nAI-assisted: no\n", "");
	assert_markers("Change\n\nAI-assisted: false\n", "");
	/* a trailer-looking line in prose (not the last paragraph) is not a trailer */
	assert_markers("Change\n\nAssisted-by: nobody\nwas said in the meeting\nby several people\n\nSigned-off-by: A <a@x>\n", "");
}

static void test_aider_author_names(void **state)
{
	struct detect_identity author = { "Jane Doe (aider)", "jane@example.com" };
	struct detect_identity committer = { "Jane Doe", "jane@example.com" };
	char *got;

	(void)state;
	got = markers_of(NULL, "Refactor\n", &author, &committer);
	assert_string_equal(got, "author Jane Doe (aider) <jane@example.com> (aider)");
	free(got);
	author.name = "Jane Doe";
	committer.name = "Jane Doe (aider)";
	got = markers_of(NULL, "Refactor\n", &author, &committer);
	assert_string_equal(got, "committer Jane Doe (aider) <jane@example.com> (aider)");
	free(got);
	assert_string_equal(detect_ai_identity("aider", NULL), "aider");
	assert_null(detect_ai_identity("Raider", "raider@example.com"));
	/* aider's own "aider: " subject prefix */
	assert_markers("aider: fix the tests\n", "subject prefix \"aider: \" (aider)");
}

static void test_generated_with_lines(void **state)
{
	(void)state;
	assert_markers("Add login\n\n\xf0\x9f\xa4\x96 Generated with [Claude Code](https://claude.com/claude-code)\n\n"
		       "Co-Authored-By: Claude <noreply@anthropic.com>\n",
		       "trailer Co-Authored-By: Claude <noreply@anthropic.com> (Claude) | "
		       "message \xf0\x9f\xa4\x96 Generated with [Claude Code](https://claude.com/claude-code) (Claude)");
	assert_markers("Add login\n\nGenerated with [Claude Code](https://claude.ai/code)\n",
		       "message Generated with [Claude Code](https://claude.ai/code) (Claude)");
	assert_markers("Add login\n\nGenerated by Devin\n", "message Generated by Devin (Devin)");
	assert_markers("Add login\r\n\r\nGenerated with Cursor\r\n", "message Generated with Cursor (Cursor)");
	/* whole words only, and a tool must be named */
	assert_markers("Add login\n\nGenerated with the MAIL merge script\n", "");
	assert_markers("Add login\n\nGenerated by hand from the spec\n", "");
}

static void test_humans_and_prose_are_not_detected(void **state)
{
	struct detect_identity claude_human = { "Claude Dupont", "claude@dupont.fr" };
	struct detect_identity devin_human = { "Devin", "devin@example.com" };
	char *got;

	(void)state;
	assert_markers("Pair programming\n\nCo-authored-by: Alice <a@x>\n", "");
	assert_markers("Ask Claude about it\n\nClaude said this is fine, and Copilot agreed.\n"
		       "Gemini and ChatGPT were not consulted.\n", "");
	assert_markers("Fix\n\nCo-authored-by: Claude <claude@example.com>\n", "");
	assert_markers("Fix\n\nCo-authored-by: Jules Verne <jules@example.com>\n", "");
	assert_markers("Fix\n\nSigned-off-by: Claude <noreply@anthropic.com>\n", "");
	got = markers_of(NULL, "Fix\n", &claude_human, &devin_human);
	assert_string_equal(got, "");
	free(got);
	assert_null(detect_ai_identity("Claude", "claude@example.com"));
	assert_null(detect_ai_identity("Devin", NULL));
	assert_null(detect_ai_identity("Jules", "jules@example.com"));
	/* a human's GitHub noreply address */
	assert_null(detect_ai_identity("Alice", "12345+alice@users.noreply.github.com"));
	assert_null(detect_ai_identity(NULL, NULL));
}

static void test_identities(void **state)
{
	struct detect_identity author = { "Copilot", "198982749+Copilot@users.noreply.github.com" };
	char *got;

	(void)state;
	got = markers_of(NULL, "Fix\n", &author, NULL);
	assert_string_equal(got, "author Copilot <198982749+Copilot@users.noreply.github.com> (GitHub Copilot)");
	free(got);
	assert_string_equal(detect_ai_identity("x", "NoReply@Anthropic.com"), "Claude");
	assert_string_equal(detect_ai_identity("claude[bot]", NULL), "Claude");
	assert_string_equal(detect_ai_identity(NULL, "codex[bot]@users.noreply.github.com"), "OpenAI Codex");
	assert_string_equal(detect_ai_identity("Claude Sonnet 4", "x@example.com"), "Claude");
	/* a bot login without the [bot] suffix is a person's name */
	assert_null(detect_ai_identity("cursor", "someone@example.com"));
}

static void test_ai_pattern_rules(void **state)
{
	struct detect_rules rules;
	struct strvec patterns = STRVEC_INIT;
	struct detect_identity author = { "Build Robot", "robot@ci.example.com" };
	char *got;

	(void)state;
	strvec_pushl(&patterns, "^Made-with: *acme-ai", "@ci\\.example\\.com>$", NULL);
	assert_int_equal(detect_rules_init(&rules, &patterns, NULL), 0);
	assert_int_equal(rules.patterns.nr, 2);
	got = markers_of(&rules, "Change\n\nMADE-WITH: Acme-AI 3\n", NULL, NULL);
	assert_string_equal(got, "trailer MADE-WITH: Acme-AI 3 (revq.aiPattern)");
	free(got);
	got = markers_of(&rules, "Change\n", &author, NULL);
	assert_string_equal(got, "author Build Robot <robot@ci.example.com> (revq.aiPattern)");
	free(got);
	/* patterns do not look at prose */
	got = markers_of(&rules, "Made-with: acme-ai in the subject\n\nbody\n", NULL, NULL);
	assert_string_equal(got, "");
	free(got);
	/* built-in markers are not duplicated by a pattern that also matches */
	detect_rules_release(&rules);
	strvec_clear(&patterns);
	strvec_push(&patterns, "anthropic");
	assert_int_equal(detect_rules_init(&rules, &patterns, NULL), 0);
	got = markers_of(&rules, "Change\n\nCo-authored-by: Claude <noreply@anthropic.com>\n", NULL, NULL);
	assert_string_equal(got, "trailer Co-authored-by: Claude <noreply@anthropic.com> (Claude)");
	free(got);
	detect_rules_release(&rules);
	strvec_clear(&patterns);

	/* no patterns at all */
	assert_int_equal(detect_rules_init(&rules, NULL, NULL), 0);
	assert_int_equal(rules.patterns.nr, 0);
	detect_rules_release(&rules);
}

static void test_bad_ai_pattern_is_an_error(void **state)
{
	struct detect_rules rules;
	struct strvec patterns = STRVEC_INIT;

	(void)state;
	strvec_pushl(&patterns, "fine", "(unclosed", NULL);
	assert_int_equal(detect_rules_init(&rules, &patterns, NULL), REVQ_ERROR);
	assert_contains(error_last(), "bad revq.aiPattern '(unclosed': ");
	assert_int_equal(rules.patterns.nr, 0);
	assert_null(rules.patterns.v);
	detect_rules_release(&rules);
	strvec_clear(&patterns);
}

static void test_several_markers_in_order(void **state)
{
	struct detect_identity author = { "Alice", "alice@example.com" };
	struct detect_identity committer = { "Cursor Agent", "cursoragent@cursor.com" };
	char *got;

	(void)state;
	got = markers_of(NULL, "Feature\n\nGenerated with Gemini\n\nAssisted-by: Gemini\n"
			 "Co-authored-by: Alice <alice@example.com>\nCo-developed-by: Codex <codex@openai.com>\n",
			 &author, &committer);
	assert_string_equal(got, "committer Cursor Agent <cursoragent@cursor.com> (Cursor) | "
			    "trailer Assisted-by: Gemini (Gemini) | "
			    "trailer Co-developed-by: Codex <codex@openai.com> (OpenAI Codex) | "
			    "message Generated with Gemini (Gemini)");
	free(got);
}

/*
 * Regression (found by this test, since fixed):
 * claude_model_name() compares only a prefix of the word after "Claude ",
 * so the human "Claude Coderre" matches the model family "Code".
 */
static void test_regression_claude_surname_prefix(void **state)
{
	(void)state;
	assert_null(detect_ai_identity("Claude Coderre", "claude.coderre@example.ca"));
	assert_markers("Fix\n\nCo-authored-by: Claude Coderre <claude.coderre@example.ca>\n", "");
}

/*
 * KNOWN BUG: is_generator_line() looks only at the first occurrence of
 * each tool name, so when "ai" first appears inside a word ("main") the
 * later whole word "AI" is never seen.
 */
static void test_regression_generator_second_occurrence(void **state)
{
	(void)state;
	assert_markers("Add login\n\nGenerated by the main AI pipeline\n",
		       "message Generated by the main AI pipeline (unnamed AI tool)");
}

/* ---- the registry's newer entries (issue 11) ---- */

static void test_cli_agents_and_review_bots_of_the_registry(void **state)
{
	static const struct { const char *trailer; const char *tool; } cases[] = {
		{ "Co-authored-by: openhands <openhands@all-hands.dev>", "OpenHands" },
		{ "Co-authored-by: OpenHands-GPT-5 <openhands@all-hands.dev>", "OpenHands" },
		{ "Co-Authored-By: Crush <crush@charm.land>", "Crush" },
		{ "Co-Authored-By: Charm Crush <crush@charm.land>", "Crush" },
		{ "Co-Authored-By: Crush <noreply@crush.charm.land>", "Crush" },
		{ "Co-Authored-By: Crush", "Crush" },
		{ "Co-authored-by: hyperlint-ai[bot] <154288675+hyperlint-ai[bot]@users.noreply.github.com>", "Hyperlint" },
		{ "Co-authored-by: codeflash-ai[bot] <148906541+codeflash-ai[bot]@users.noreply.github.com>", "Codeflash" },
		{ "Co-authored-by: Copilot Autofix powered by AI <62310815+github-advanced-security[bot]@users.noreply.github.com>", "Copilot Autofix" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf msg = STRBUF_INIT, expected = STRBUF_INIT;
		char *got;

		strbuf_addf(&msg, "Fix the build\n\nBody.\n\n%s\n", cases[i].trailer);
		strbuf_addf(&expected, "trailer %s (%s)", cases[i].trailer, cases[i].tool);
		got = markers_of(NULL, msg.buf, NULL, NULL);
		if (strcmp(got, expected.buf))
			fail_msg("markers for \"%s\": \"%s\"", cases[i].trailer, got);
		free(got);
		strbuf_release(&msg);
		strbuf_release(&expected);
	}
	assert_string_equal(detect_ai_identity("OpenHands", "opendevin@all-hands.dev"), "OpenHands");
	assert_markers("Fix\n\n\xf0\x9f\x92\x98 Generated with Crush\n",
		       "message \xf0\x9f\x92\x98 Generated with Crush (Crush)");
	/* github-advanced-security[bot] alone also commits CodeQL's own changes */
	assert_null(detect_ai_identity("github-advanced-security[bot]",
				       "62310815+github-advanced-security[bot]@users.noreply.github.com"));
}

static void test_an_address_at_a_vendors_domain_is_a_person(void **state)
{
	struct detect_identity staff = { "Graham Neubig", "graham@all-hands.dev" };
	struct detect_identity anthropic = { "Jane Roe", "jane@anthropic.com" };
	struct detect_identity aider = { "Paul Gauthier", "paul@aider.chat" };
	char *got;

	(void)state;
	got = markers_of(NULL, "Fix\n", &staff, &anthropic);
	assert_string_equal(got, "");
	free(got);
	got = markers_of(NULL, "Fix\n", &aider, NULL);
	assert_string_equal(got, "");
	free(got);
	assert_markers("Fix\n\nCo-authored-by: Robert Brennan <rbren@all-hands.dev>\n", "");
	assert_markers("Fix\n\nCo-authored-by: Ann <ann@openai.com>\nCo-authored-by: Bo <bo@cursor.com>\n", "");
	assert_markers("Fix\n\nCo-authored-by: Kai <kai@charm.land>\n", "");
	/* ... while the tool's own address at that domain is the tool */
	assert_markers("Fix\n\nCo-authored-by: anyone <openhands@all-hands.dev>\n",
		       "trailer Co-authored-by: anyone <openhands@all-hands.dev> (OpenHands)");
}

static void test_assisted_by_counts_when_it_names_a_tool_not_a_person(void **state)
{
	(void)state;
	/* the kernel's AGENT:MODEL [tools] form, known agent or not */
	assert_markers("Fix\n\nAssisted-by: Crush:qwen3.7-max\n",
		       "trailer Assisted-by: Crush:qwen3.7-max (Crush)");
	assert_markers("Fix\n\nAssisted-by: Claude:claude-3-opus coccinelle sparse\n",
		       "trailer Assisted-by: Claude:claude-3-opus coccinelle sparse (Claude)");
	assert_markers("Fix\n\nAssisted-by: acme-agent:acme-7b\n",
		       "trailer Assisted-by: acme-agent:acme-7b (unnamed AI tool)");
	/* MODEL via TOOL, with or without the tool's address */
	assert_markers("Fix\n\nAssisted-by: GLM-4.7 via Crush <crush@charm.land>\n",
		       "trailer Assisted-by: GLM-4.7 via Crush <crush@charm.land> (Crush)");
	assert_markers("Fix\n\nAssisted-by: Claude Sonnet 4.5 via Crush\n",
		       "trailer Assisted-by: Claude Sonnet 4.5 via Crush (Crush)");
	/* a model, by name and version */
	assert_markers("Fix\n\nAssisted-by: Claude Fable 5\n", "trailer Assisted-by: Claude Fable 5 (Claude)");
	assert_markers("Fix\n\nAssisted-by: GPT-5\n", "trailer Assisted-by: GPT-5 (ChatGPT)");
	/* people are not tools */
	assert_markers("Fix\n\nAssisted-by: Jane Doe <jane@example.com>\n", "");
	assert_markers("Fix\n\nAssisted-by: Claude Fable <claude.fable@example.com>\n", "");
	assert_markers("Fix\n\nAssisted-by: Gemini Jones <gj@example.com>\n", "");
	assert_markers("Fix\n\nAssisted-by: Claude Fable\n", "");
	assert_markers("Fix\n\nAssisted-by: the release team\n", "");
	assert_markers("Fix\n\nAssisted-by: https://example.com/review/42\n", "");
}

/* GitHub's squash merge: "* subject" bullets, bodies, and a final "---------" block. */
static void test_trailers_of_a_squash_merge_body(void **state)
{
	(void)state;
	assert_markers("Add the parser (#42)\n\n* first step\n\n* second step\n\n"
		       "Co-authored-by: openhands <openhands@all-hands.dev>\n\n"
		       "---------\n\n"
		       "Co-authored-by: Alice <alice@example.com>\n",
		       "trailer Co-authored-by: openhands <openhands@all-hands.dev> (OpenHands)");
	assert_markers("Add the parser (#42)\n\n* first step\n\n"
		       "---------\n\n"
		       "Co-authored-by: Alice <alice@example.com>\n"
		       "Co-authored-by: Claude <noreply@anthropic.com>\n",
		       "trailer Co-authored-by: Claude <noreply@anthropic.com> (Claude)");
}

/* A paragraph of trailers inside the message counts; one in a code fence, indented or in prose does not. */
static void test_a_trailer_paragraph_followed_by_more_text_counts(void **state)
{
	(void)state;
	assert_markers("Fix mypy (#11366)\n\n<details><summary>Claude's draft</summary>\n\nDrop the guard.\n\n"
		       "Co-authored-by: Claude <noreply@anthropic.com>\n\n"
		       "Resume this Claude session:\n```\nclaude --resume 9faa\n```\n</details>\n",
		       "trailer Co-authored-by: Claude <noreply@anthropic.com> (Claude)");
	assert_markers("Document trailers\n\nWrite this:\n\n```\n\nCo-authored-by: Claude <noreply@anthropic.com>\n\n```\n\nDone.\n", "");
	assert_markers("Document trailers\n\nFor example:\n\n    Co-authored-by: Claude <noreply@anthropic.com>\n\nDone.\n", "");
	assert_markers("Document trailers\n\nClaude Code writes\nCo-authored-by: Claude <noreply@anthropic.com>\nby default.\n\nDone.\n", "");
	/* the title is never a trailer block */
	assert_markers("Co-authored-by: Claude <noreply@anthropic.com>\n\nDone.\n", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_message_subject_and_trailers),
		cmocka_unit_test(test_message_multiline_subject_and_no_trailers),
		cmocka_unit_test(test_message_crlf_and_mostly_trailers),
		cmocka_unit_test(test_co_authored_by_ai_tools),
		cmocka_unit_test(test_presence_trailers),
		cmocka_unit_test(test_aider_author_names),
		cmocka_unit_test(test_generated_with_lines),
		cmocka_unit_test(test_humans_and_prose_are_not_detected),
		cmocka_unit_test(test_identities),
		cmocka_unit_test(test_ai_pattern_rules),
		cmocka_unit_test(test_bad_ai_pattern_is_an_error),
		cmocka_unit_test(test_several_markers_in_order),
		cmocka_unit_test(test_regression_claude_surname_prefix),
		cmocka_unit_test(test_regression_generator_second_occurrence),
		cmocka_unit_test(test_cli_agents_and_review_bots_of_the_registry),
		cmocka_unit_test(test_an_address_at_a_vendors_domain_is_a_person),
		cmocka_unit_test(test_assisted_by_counts_when_it_names_a_tool_not_a_person),
		cmocka_unit_test(test_trailers_of_a_squash_merge_body),
		cmocka_unit_test(test_a_trailer_paragraph_followed_by_more_text_counts),
	};

	tl_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
