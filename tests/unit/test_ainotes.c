/*
 * test_ainotes.c: Git AI Standard authorship notes (judge/ainotes.h):
 * the standard's own examples parse to their line ranges and sessions;
 * hostile notes (huge numbers, control bytes, deep JSON, no metadata)
 * are bounded and escaped, never trusted further; and end to end, a
 * commit with no AI trailer but a note under refs/notes/ai (made with
 * `git notes --ref=ai add`) is AI-assisted in `revq list` and `show`,
 * and the console's model marks exactly the added lines the note names.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "git/repo.h"
#include "judge/ainotes.h"
#include "show/layout.h"

static const char sessions_note[] =
	"src/main.rs\n"
	"  s_c9883b05a2487d::t_9f8e7d6c5b4a32 1-10,15-20\n"
	"  s_c9883b05a2487d::t_a1b2c3d4e5f678 25,30-35\n"
	"  h_31dce776f88375 42-50\n"
	"\"src/my file.rs\"\n"
	"  abcd1234abcd1234 1-50\n"
	"---\n"
	"{\n"
	"  \"schema_version\": \"authorship/3.0.0\",\n"
	"  \"base_commit_sha\": \"7734793b756b3921c88db5375a8c156e9532447b\",\n"
	"  \"prompts\": {\"abcd1234abcd1234\": {\"agent_id\": {\"tool\": \"cursor\", \"model\": \"gpt-4\"},\n"
	"     \"total_additions\": 50, \"messages\": [1, [2, {\"a\": null}]]}},\n"
	"  \"humans\": {\"h_31dce776f88375\": {\"author\": \"Developer <dev@example.com>\"}},\n"
	"  \"sessions\": {\"s_c9883b05a2487d\": {\"agent_id\": {\"tool\": \"claude\", \"id\": \"x\",\n"
	"     \"model\": \"claude-sonnet-4-5-20250514\"}, \"human_author\": \"dev@example.com\"}}\n"
	"}\n";

static void test_the_standards_example_gives_its_ranges_and_sessions(void **state)
{
	struct ainote n;
	const struct ainote_file *f;

	(void)state;
	assert_int_equal(ainote_parse(&n, sessions_note, strlen(sessions_note)), 0);
	assert_int_equal(n.files_nr, 2);
	f = ainote_file(&n, "src/main.rs");
	assert_non_null(f);
	assert_true(ainote_file_has_line(f, 1));
	assert_true(ainote_file_has_line(f, 10));
	assert_false(ainote_file_has_line(f, 11));   /* untracked */
	assert_true(ainote_file_has_line(f, 25));
	assert_false(ainote_file_has_line(f, 45));   /* a known human's */
	f = ainote_file(&n, "src/my file.rs");
	assert_non_null(f);
	assert_true(ainote_file_has_line(f, 50));
	assert_false(ainote_file_has_line(f, 51));
	assert_int_equal(n.ai_lines, 10 + 6 + 1 + 6 + 50);
	assert_int_equal(n.sessions_nr, 2);
	assert_string_equal(n.sessions[0].key, "s_c9883b05a2487d");
	assert_string_equal(n.sessions[0].tool, "claude");
	assert_string_equal(n.sessions[0].model, "claude-sonnet-4-5-20250514");
	assert_int_equal(n.sessions[0].lines, 23);
	assert_string_equal(n.sessions[1].tool, "cursor");
	ainote_release(&n);
}

static void test_a_note_that_is_no_authorship_log_is_ignored(void **state)
{
	static const char *const texts[] = {
		"just a note\n",
		"src/a.c\n  s_1::t_2 1-3\n",                                /* no metadata */
		"src/a.c\n  s_1::t_2 1-3\n---\n{\"schema_version\": \"other/1\"}\n",
		"src/a.c\n  s_1::t_2 1-3\n---\nnot json\n",
		"",
	};
	struct ainote n;

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
		assert_int_equal(ainote_parse(&n, texts[i], strlen(texts[i])), 1);
		assert_int_equal(n.files_nr + n.sessions_nr, 0);
	}
}

static void test_hostile_notes_are_bounded_and_escaped(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct ainote n;

	(void)state;
	/* Line numbers past the bound, reversed ranges, junk: skipped, not wrapped around. */
	strbuf_addstr(&sb, "a.c\n  s_aa::t_bb 99999999999999999999,5-3,0,7-x,2\n"
			   "  h_cc 1-1000000\n  s_aa::t_bb 4294967297\n---\n"
			   "{\"schema_version\":\"authorship/3.0.0\",\"sessions\":{\"s_aa\":{\"agent_id\":"
			   "{\"tool\":\"evil\\u001b]52;c;AAAA\\u0007\\n\x1b[2J\",\"model\":\"m\"}}}}");
	assert_int_equal(ainote_parse(&n, sb.buf, sb.len), 0);
	assert_int_equal(n.ai_lines, 0);   /* the first bad part ends the entry */
	assert_int_equal(n.sessions_nr, 0);
	ainote_release(&n);
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "a.c\n  s_aa::t_bb 2\n---\n"
			   "{\"schema_version\":\"authorship/3.0.0\",\"sessions\":{\"s_aa\":{\"agent_id\":"
			   "{\"tool\":\"evil\\u001b]52;c;AAAA\\u0007\\n\x1b[2J\",\"model\":\"m\"}}}}");
	assert_int_equal(ainote_parse(&n, sb.buf, sb.len), 0);
	assert_int_equal(n.sessions_nr, 1);
	for (const char *p = n.sessions[0].tool; *p; p++)
		assert_true(*p > ' ' && *p < 0x7f);   /* no control byte survives */
	ainote_release(&n);
	/* JSON nested past the bound: no crash, the note is no log. */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "a.c\n  s_aa::t_bb 2\n---\n{\"x\":");
	for (int i = 0; i < 100000; i++)
		strbuf_addch(&sb, '[');
	assert_int_equal(ainote_parse(&n, sb.buf, sb.len), 1);
	/* Many sessions: lines still count past the bound on named sessions. */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "a.c\n");
	for (int i = 0; i < 200; i++)
		strbuf_addf(&sb, "  s_%04x::t_0 %d\n", i, i + 1);
	strbuf_addstr(&sb, "---\n{\"schema_version\":\"authorship/3.0.0\"}\n");
	assert_int_equal(ainote_parse(&n, sb.buf, sb.len), 0);
	assert_int_equal(n.sessions_nr, AINOTE_MAX_SESSIONS);
	assert_int_equal(n.ai_lines, 200);
	ainote_release(&n);
	strbuf_release(&sb);
}

static void add_note(const char *dir, const char *note)
{
	tl_write(dir, "../note.txt", note);
	tl_git(dir, "notes --ref=ai add -F ../note.txt HEAD");
}

static void test_a_commit_with_an_ai_note_is_ai_assisted(void **state)
{
	const char *dir = tl_repo_new();
	struct strbuf out = STRBUF_INIT;

	(void)state;
	tl_git(dir, "checkout -q -b feature");
	free(tl_commit_file(dir, "calc.py", "a = 1\nb = 2\nc = 3\nd = 4\n", 1, "plain commit\n"));
	assert_int_equal(tl_revq(dir, &out, NULL, "list --json"), 0);
	assert_int_equal(tl_json_length(out.buf, "$"), 0);   /* the control: no note, no marker */
	add_note(dir, "calc.py\n  s_e5ad0f6fb287dd::t_2bb1ca92c6a91b 2-3\n  h_0123456789abcd 1\n---\n"
		 "{\"schema_version\": \"authorship/3.0.0\", \"prompts\": {}, \"sessions\": "
		 "{\"s_e5ad0f6fb287dd\": {\"agent_id\": {\"tool\": \"claude\", \"id\": \"u\", "
		 "\"model\": \"claude-opus-4-5\"}}}}\n");
	strbuf_reset(&out);
	assert_int_equal(tl_revq(dir, &out, NULL, "list --json"), 0);
	assert_int_equal(tl_json_length(out.buf, "$"), 1);
	assert_contains(out.buf, "note refs/notes/ai: session s_e5ad0f6fb287dd of claude "
				 "(model claude-opus-4-5) wrote 2 lines (Claude");
	strbuf_reset(&out);
	assert_int_equal(tl_revq(dir, &out, NULL, "show HEAD"), 0);
	assert_contains(out.buf, "AI:        note refs/notes/ai:");
	strbuf_release(&out);
}

/* A note by a tool with a model, for the lines 2-3 of calc.py. */
static char *session_note(const char *tool, const char *model)
{
	struct strbuf note = STRBUF_INIT;

	strbuf_addf(&note, "calc.py\n  s_e5ad0f6fb287dd::t_2bb1ca92c6a91b 2-3\n---\n"
		    "{\"schema_version\": \"authorship/3.0.0\", \"prompts\": {}, \"sessions\": "
		    "{\"s_e5ad0f6fb287dd\": {\"agent_id\": {\"tool\": \"%s\", \"id\": \"u\", "
		    "\"model\": \"%s\"}}}}\n", tool, model);
	return strbuf_detach(&note, NULL);
}

static void test_a_note_rewritten_or_removed_after_caching_is_what_the_queue_shows(void **state)
{
	const char *dir = tl_repo_new();
	struct strbuf out = STRBUF_INIT;
	char *note = session_note("claude", "claude-opus-4-5");

	(void)state;
	tl_git(dir, "checkout -q -b feature");
	free(tl_commit_file(dir, "calc.py", "a = 1\nb = 2\nc = 3\n", 1, "plain commit\n"));
	add_note(dir, note);
	free(note);
	assert_int_equal(tl_revq(dir, &out, NULL, "list --json"), 0);   /* cached with the note */
	assert_contains(out.buf, "of claude (model claude-opus-4-5)");
	/* rewritten: the cached item's markers are the old note's */
	note = session_note("cursor", "gpt-5");
	tl_git(dir, "notes --ref=ai remove HEAD");
	add_note(dir, note);
	free(note);
	strbuf_reset(&out);
	assert_int_equal(tl_revq(dir, &out, NULL, "list --json"), 0);
	assert_contains(out.buf, "of cursor (model gpt-5)");
	assert_not_contains(out.buf, "claude-opus-4-5");
	/* removed, and the whole notes ref with it: the commit alone is no AI-assisted change */
	tl_git(dir, "update-ref -d refs/notes/ai");
	strbuf_reset(&out);
	assert_int_equal(tl_revq(dir, &out, NULL, "list --json"), 0);
	assert_int_equal(tl_json_length(out.buf, "$"), 0);
	strbuf_reset(&out);
	assert_int_equal(tl_revq(dir, &out, NULL, "show HEAD"), 0);
	assert_not_contains(out.buf, "note refs/notes/ai:");
	strbuf_release(&out);
}

static void test_a_note_naming_only_humans_is_no_ai_marker(void **state)
{
	const char *dir = tl_repo_new();
	struct strbuf out = STRBUF_INIT;

	(void)state;
	tl_git(dir, "checkout -q -b feature");
	free(tl_commit_file(dir, "calc.py", "a = 1\n", 1, "plain commit\n"));
	add_note(dir, "calc.py\n  h_0123456789abcd 1\n---\n"
		 "{\"schema_version\": \"authorship/3.0.0\", \"prompts\": {}, \"humans\": "
		 "{\"h_0123456789abcd\": {\"author\": \"A <a@x>\"}}}\n");
	assert_int_equal(tl_revq(dir, &out, NULL, "list --json"), 0);
	assert_int_equal(tl_json_length(out.buf, "$"), 0);
	strbuf_release(&out);
}

static void test_the_console_model_marks_the_lines_the_note_names(void **state)
{
	const char *dir = tl_repo_new();
	git_repository *git;
	git_commit *commit;
	git_oid id;
	struct layout *l;
	struct ainote n;
	char *hex;
	static const char note[] = "calc.py\n  s_e5ad0f6fb287dd::t_2bb1ca92c6a91b 2-3\n---\n"
				   "{\"schema_version\": \"authorship/3.0.0\", \"prompts\": {}}\n";
	unsigned marked[8] = { 0 };

	(void)state;
	free(tl_commit_file(dir, "calc.py", "a = 1\n", 2, "one\n"));
	hex = tl_commit_file(dir, "calc.py", "a = 1\nb = 2\nc = 3\nd = 4\n", 1, "two\n");
	assert_int_equal(git_repository_open(&git, dir), 0);
	assert_int_equal(git_oid_fromstr(&id, hex), 0);
	assert_int_equal(git_commit_lookup(&commit, git, &id), 0);
	assert_int_equal(layout_load(&l, git, commit), 0);
	assert_int_equal(ainote_parse(&n, note, strlen(note)), 0);
	layout_mark_ai(l, &n);
	for (size_t i = 0; i < l->lines_nr; i++)
		if (l->lines[i].kind == LINE_ADD && l->lines[i].new_no < 8)
			marked[l->lines[i].new_no] = !!(l->lines[i].flags & LINE_AI);
	assert_int_equal(marked[2], 1);
	assert_int_equal(marked[3], 1);
	assert_int_equal(marked[4], 0);   /* added, but untracked by the note */
	ainote_release(&n);
	layout_free(l);
	git_commit_free(commit);
	git_repository_free(git);
	free(hex);
}

static int teardown(void **state)
{
	(void)state;
	tl_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_standards_example_gives_its_ranges_and_sessions),
		cmocka_unit_test(test_a_note_that_is_no_authorship_log_is_ignored),
		cmocka_unit_test(test_hostile_notes_are_bounded_and_escaped),
		cmocka_unit_test(test_a_commit_with_an_ai_note_is_ai_assisted),
		cmocka_unit_test(test_a_note_rewritten_or_removed_after_caching_is_what_the_queue_shows),
		cmocka_unit_test(test_a_note_naming_only_humans_is_no_ai_marker),
		cmocka_unit_test(test_the_console_model_marks_the_lines_the_note_names),
	};

	tl_init();
	repo_library_init();
	return cmocka_run_group_tests(tests, NULL, teardown);
}
