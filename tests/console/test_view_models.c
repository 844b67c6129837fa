/*
 * test_view_models.c: what the console shows, computed without a
 * terminal: the side-by-side and unified row layout, the word-level
 * diff, the spans a line of untrusted text becomes, and key bindings.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "keymap.h"
#include "show/layout.h"
#include "show/lineedit.h"
#include "git/repo.h"
#include "git/settings.h"
#include "show/spans.h"
#include "show/worddiff.h"

static struct layout *load(const char *old_text, const char *new_text)
{
	struct layout *l;

	assert_int_equal(layout_load_texts(&l, old_text, strlen(old_text), new_text, strlen(new_text)), 0);
	return l;
}

/* "L|R" for a row: each side's number, kind and text; for checking rows at a glance. */
static char *describe_row(const struct layout *l, enum layout_mode mode, size_t row)
{
	struct layout_row r;
	struct strbuf sb = STRBUF_INIT;
	const struct layout_line *sides[2];

	layout_row(&r, l, mode, row);
	sides[0] = r.left;
	sides[1] = mode == LAYOUT_UNIFIED ? NULL : r.right;   /* unified: the line is on the left */
	switch (r.kind) {
	case ROW_FILE: return strdup("file");
	case ROW_NOTE: return strdup("note");
	case ROW_HUNK: return strdup("hunk");
	default: break;
	}
	for (int i = 0; i < 2; i++) {
		const struct layout_line *line = sides[i];

		if (i)
			strbuf_addch(&sb, '|');
		if (!line)
			continue;
		strbuf_addf(&sb, "%u%c", i || mode == LAYOUT_UNIFIED ? (line->new_no ? line->new_no : line->old_no)
								     : line->old_no,
			    line->kind == LINE_ADD ? '+' : line->kind == LINE_DELETE ? '-' : ' ');
		strbuf_add(&sb, layout_text(l, line), line->len);
	}
	return strbuf_detach(&sb, NULL);
}

static void assert_rows(const struct layout *l, enum layout_mode mode, const char *const *expected)
{
	size_t n = 0;

	while (expected[n])
		n++;
	assert_int_equal(layout_rows(l, mode), n);
	for (size_t i = 0; i < n; i++) {
		char *got = describe_row(l, mode, i);

		if (strcmp(got, expected[i]))
			fail_msg("row %zu is \"%s\", expected \"%s\"", i, got, expected[i]);
		free(got);
	}
}

static void test_split_pairs_deletions_with_additions(void **state)
{
	static const char *const split[] = {
		"file", "hunk",
		"1 one|1 one",
		"2-two|2+TWO",
		"3-three|3+THREE",
		"|4+extra",
		"4 four|5 four",
		NULL,
	};
	static const char *const unified[] = {
		"file", "hunk",
		"1 one|",
		"2-two|", "3-three|", "2+TWO|", "3+THREE|", "4+extra|",
		"5 four|",
		NULL,
	};
	struct layout *l = load("one\ntwo\nthree\nfour\n", "one\nTWO\nTHREE\nextra\nfour\n");

	(void)state;
	assert_rows(l, LAYOUT_SPLIT, split);
	assert_rows(l, LAYOUT_UNIFIED, unified);
	assert_int_equal(l->max_line_no, 5);
	layout_free(l);
}

static void test_longer_deletion_continues_alone_on_the_left(void **state)
{
	static const char *const split[] = {
		"file", "hunk", "1-a|1+A", "2-b|", "3-c|", NULL,
	};
	struct layout *l = load("a\nb\nc\n", "A\n");

	(void)state;
	assert_rows(l, LAYOUT_SPLIT, split);
	layout_free(l);
}

static void test_hunks_and_conversion_between_modes(void **state)
{
	struct strbuf old_text = STRBUF_INIT, new_text = STRBUF_INIT;
	struct layout *l;
	size_t first, second, row;
	struct layout_row r;

	(void)state;
	for (int i = 1; i <= 100; i++) {
		strbuf_addf(&old_text, "line %d\n", i);
		strbuf_addf(&new_text, i == 10 || i == 90 ? "changed %d\nadded\n" : "line %d\n", i);
	}
	l = load(old_text.buf, new_text.buf);
	first = layout_find(l, LAYOUT_SPLIT, 0, 1, 0);
	second = layout_find(l, LAYOUT_SPLIT, first, 1, 0);
	assert_int_not_equal(first, SIZE_MAX);
	assert_int_not_equal(second, SIZE_MAX);
	assert_int_equal(layout_find(l, LAYOUT_SPLIT, second, 1, 0), SIZE_MAX);
	assert_int_equal(layout_find(l, LAYOUT_SPLIT, second, -1, 0), first);
	layout_row(&r, l, LAYOUT_SPLIT, second);
	assert_int_equal(r.kind, ROW_HUNK);
	assert_int_equal(r.block->old_start, 87);
	/* The same place in the other mode: the second hunk's header. */
	row = layout_convert_row(l, LAYOUT_SPLIT, second);
	layout_row(&r, l, LAYOUT_UNIFIED, row);
	assert_int_equal(r.kind, ROW_HUNK);
	assert_int_equal(r.block->old_start, 87);
	assert_int_equal(layout_file_row(l, LAYOUT_UNIFIED, 0), 0);
	layout_free(l);
	strbuf_release(&old_text);
	strbuf_release(&new_text);
}

static void test_suspicious_and_control_lines_are_flagged(void **state)
{
	struct layout *l = load("a\n", "a\nif (x\xe2\x80\xae) {\nprintf(\"\033]52;c;x\007\");\n");
	struct layout_row r;

	(void)state;
	assert_true(l->files[0].suspicious);
	layout_row(&r, l, LAYOUT_UNIFIED, 3);
	assert_int_equal(r.kind, ROW_ADD);
	assert_true(r.left->flags & LINE_SUSPICIOUS);
	layout_row(&r, l, LAYOUT_UNIFIED, 4);
	assert_true(r.left->flags & LINE_CONTROL);
	assert_false(r.left->flags & LINE_SUSPICIOUS);
	layout_free(l);
}

static void test_huge_diff_rows_are_found_without_walking(void **state)
{
	struct strbuf text = STRBUF_INIT;
	struct layout *l;
	struct layout_row r;

	(void)state;
	for (int i = 1; i <= 100000; i++)
		strbuf_addf(&text, "line %d\n", i);
	l = load("", text.buf);
	assert_int_equal(layout_rows(l, LAYOUT_SPLIT), 100002);
	layout_row(&r, l, LAYOUT_SPLIT, 100001);
	assert_int_equal(r.right->new_no, 100000);
	assert_null(r.left);
	assert_int_equal(l->max_line_no, 100000);
	layout_free(l);
	strbuf_release(&text);
}

static void test_binary_file_is_a_note_with_sizes(void **state)
{
	struct layout *l;
	struct layout_row r;

	(void)state;
	assert_int_equal(layout_load_texts(&l, "a\0b", 3, "a\0bcd", 5), 0);
	assert_true(l->files[0].binary);
	assert_int_equal(l->files[0].old_size, 3);
	assert_int_equal(l->files[0].new_size, 5);
	assert_int_equal(layout_rows(l, LAYOUT_SPLIT), 2);   /* the file header and the note */
	layout_row(&r, l, LAYOUT_SPLIT, 1);
	assert_int_equal(r.kind, ROW_NOTE);
	assert_int_equal(r.block->note, NOTE_BINARY);
	layout_free(l);
}

/* The changed ranges as "[text]" markers over the line, for reading. */
static char *mark(const char *text, const struct byte_range *ranges, size_t nr)
{
	struct strbuf sb = STRBUF_INIT;
	size_t at = 0;

	for (size_t i = 0; i < nr; i++) {
		strbuf_add(&sb, text + at, ranges[i].start - at);
		strbuf_addch(&sb, '[');
		strbuf_add(&sb, text + ranges[i].start, ranges[i].end - ranges[i].start);
		strbuf_addch(&sb, ']');
		at = ranges[i].end;
	}
	strbuf_addstr(&sb, text + at);
	return strbuf_detach(&sb, NULL);
}

static void assert_worddiff(const char *old_line, const char *new_line, const char *old_marked,
			    const char *new_marked)
{
	struct worddiff wd;
	char *o, *n;

	assert_int_equal(worddiff_compute(&wd, old_line, strlen(old_line), new_line, strlen(new_line)), 0);
	assert_false(wd.whole_line);
	o = mark(old_line, wd.old_changed, wd.old_nr);
	n = mark(new_line, wd.new_changed, wd.new_nr);
	assert_string_equal(o, old_marked);
	assert_string_equal(n, new_marked);
	free(o);
	free(n);
	worddiff_release(&wd);
}

static void test_worddiff_marks_changed_words(void **state)
{
	(void)state;
	assert_worddiff("return a + b;", "return a - b;", "return a [+] b;", "return a [-] b;");
	assert_worddiff("int count = 0;", "long count = 10;", "[int] count = [0];", "[long] count = [10];");
	assert_worddiff("foo(x)", "foo(x, y)", "foo(x)", "foo(x[, y])");
	assert_worddiff("same", "same", "same", "same");
	assert_worddiff("", "new", "", "[new]");
}

static void test_worddiff_gives_up_on_huge_lines(void **state)
{
	struct worddiff wd;
	char *old_line = malloc(WORDDIFF_MAX_BYTES + 10), *new_line = malloc(WORDDIFF_MAX_BYTES + 10);

	(void)state;
	memset(old_line, 'a', WORDDIFF_MAX_BYTES + 10);
	memset(new_line, 'b', WORDDIFF_MAX_BYTES + 10);
	assert_int_equal(worddiff_compute(&wd, old_line, WORDDIFF_MAX_BYTES + 10, new_line,
					  WORDDIFF_MAX_BYTES + 10), 0);
	assert_true(wd.whole_line);
	worddiff_release(&wd);
	/* Many tokens under the byte cap: ", " repeated. */
	for (int i = 0; i < WORDDIFF_MAX_BYTES; i += 2)
		memcpy(old_line + i, "a,", 2);
	assert_int_equal(worddiff_compute(&wd, old_line, WORDDIFF_MAX_BYTES, "x", 1), 0);
	assert_true(wd.whole_line);
	worddiff_release(&wd);
	free(old_line);
	free(new_line);
}

/* The spans as "text" pieces, changed ones in [], suspicious in {}, control in <>. */
static char *describe_spans(const struct spans *s)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < s->nr; i++) {
		const struct span *sp = &s->v[i];
		const char *open = sp->attr & SPAN_SUSPICIOUS ? "{" : sp->attr & SPAN_CONTROL ? "<"
				 : sp->attr & SPAN_CHANGED ? "[" : sp->attr & SPAN_CUT ? "|" : "";
		const char *close = sp->attr & SPAN_SUSPICIOUS ? "}" : sp->attr & SPAN_CONTROL ? ">"
				  : sp->attr & SPAN_CHANGED ? "]" : sp->attr & SPAN_CUT ? "|" : "";

		strbuf_addf(&sb, "%s%.*s%s", open, (int)sp->len, s->text.buf + sp->offset, close);
	}
	return strbuf_detach(&sb, NULL);
}

static void assert_spans(const char *text, const struct byte_range *hl, size_t hl_nr, size_t scroll,
			 size_t width, const char *expected, size_t expected_width)
{
	struct spans s = SPANS_INIT;
	char *got;

	spans_layout(&s, text, strlen(text), hl, hl_nr, scroll, width, 0);
	got = describe_spans(&s);
	assert_string_equal(got, expected);
	assert_int_equal(s.width, expected_width);
	assert_true(s.width <= width);
	free(got);
	spans_release(&s);
}

static void test_spans_escape_and_highlight(void **state)
{
	static const struct byte_range hl[] = { { 7, 8 } };

	(void)state;
	assert_spans("return a + b;", hl, 1, 0, 40, "return [a] + b;", 13);
	assert_spans("x\033]52;c;eA==\007y", NULL, 0, 0, 40, "x<^[>]52;c;eA==<^G>y", 16);
	assert_spans("ok\xe2\x80\xae", NULL, 0, 0, 40, "ok{<U+202E>}", 10);
	assert_spans("a\tb", NULL, 0, 0, 40, "a       b", 9);
	assert_spans("bad \xff byte", NULL, 0, 0, 40, "bad <\\xff> byte", 13);
}

static void test_spans_scroll_and_clip_by_columns(void **state)
{
	struct spans s = SPANS_INIT;

	(void)state;
	assert_spans("abcdefghij", NULL, 0, 3, 4, "defg", 4);
	/* A wide character cut by an edge becomes spaces; nothing spills over. */
	assert_spans("\xe4\xb8\xad\xe6\x96\x87xyz", NULL, 0, 1, 10, " \xe6\x96\x87xyz", 6);
	assert_spans("\xe4\xb8\xad\xe6\x96\x87xyz", NULL, 0, 0, 3, "\xe4\xb8\xad ", 3);
	spans_layout(&s, "abcdefghij", 10, NULL, 0, 3, 4, 0);
	assert_true(s.more_left);
	assert_true(s.more_right);
	spans_release(&s);
	/* In an ASCII terminal, non-ASCII is notation. */
	spans_layout(&s, "caf\xc3\xa9", 5, NULL, 0, 0, 20, ESCAPE_ASCII);
	assert_int_equal(s.text.len, 11);
	assert_memory_equal(s.text.buf, "caf<U+00E9>", 11);
	spans_release(&s);
}


static void test_every_cut_edge_is_marked(void **state)
{
	struct spans s = SPANS_INIT;
	char *got;

	(void)state;
	/* Cut on the right: the last column says so; on both sides, both do. */
	spans_layout_marked(&s, "abcdefghij", 10, NULL, 0, 0, 5, 0);
	got = describe_spans(&s);
	assert_string_equal(got, "abcd|>|");
	assert_int_equal(s.width, 5);
	free(got);
	spans_layout_marked(&s, "abcdefghij", 10, NULL, 0, 3, 5, 0);
	got = describe_spans(&s);
	assert_string_equal(got, "|<|efg|>|");
	free(got);
	/* A line that fits is left alone. */
	spans_layout_marked(&s, "abc", 3, NULL, 0, 0, 5, 0);
	got = describe_spans(&s);
	assert_string_equal(got, "abc");
	free(got);
	/* Scrolled to its end: only the left edge is cut. */
	spans_layout_marked(&s, "abcdefghij", 10, NULL, 0, 6, 5, 0);
	got = describe_spans(&s);
	assert_string_equal(got, "|<|hij");
	free(got);
	spans_release(&s);
}

static void test_folding_keeps_every_glyph_whole(void **state)
{
	const char *text = "ab\xe4\xb8\xad\xe6\x96\x87" "cd\tx";
	struct spans s = SPANS_INIT;
	struct spans_at at = { 0, 0 };
	struct strbuf all = STRBUF_INIT;
	int rows = 0;

	(void)state;
	/* Width 3: "ab" then a CJK character (2 columns) that does not fit moves to the next row. */
	do {
		spans_layout_from(&s, text, strlen(text), NULL, 0, &at, 3, 0);
		assert_true(s.width <= 3);
		strbuf_add(&all, s.text.buf, s.text.len);
		strbuf_addch(&all, '/');
		rows++;
	} while (at.byte < strlen(text));
	/* The tab runs from column 8 of the line to 16: wider than a row, it fills one. */
	assert_string_equal(all.buf, "ab/\xe4\xb8\xad/\xe6\x96\x87" "c/d/   /x/");
	assert_int_equal(rows, 6);
	strbuf_release(&all);
	spans_release(&s);
}

static void test_tab_width_is_a_setting(void **state)
{
	struct spans s = SPANS_INIT;

	(void)state;
	s.tabwidth = 4;
	spans_layout(&s, "a\tb", 3, NULL, 0, 0, 40, 0);
	assert_int_equal(s.width, 5);
	spans_reset(&s);
	assert_int_equal(s.tabwidth, 4);   /* kept across layouts */
	assert_int_equal(spans_column("a\tb\tc", 5, 4, 4, 0), 8);
	assert_int_equal(spans_column("a\tb\tc", 5, 4, 0, 0), 16);
	spans_release(&s);
}

static void test_line_editor_moves_and_erases_words(void **state)
{
	struct lineedit le;

	(void)state;
	lineedit_init(&le);
	for (const char *p = "hello wrold"; *p; p++)
		lineedit_apply(&le, LINEEDIT_INSERT, *p);
	assert_true(lineedit_apply(&le, LINEEDIT_WORD_ERASE, 0));
	assert_string_equal(le.text.buf, "hello ");
	lineedit_apply(&le, LINEEDIT_INSERT, 0xe9);   /* é: two bytes */
	lineedit_apply(&le, LINEEDIT_HOME, 0);
	lineedit_apply(&le, LINEEDIT_INSERT, 'X');
	assert_string_equal(le.text.buf, "Xhello \xc3\xa9");
	lineedit_apply(&le, LINEEDIT_END, 0);
	lineedit_apply(&le, LINEEDIT_LEFT, 0);   /* one character, not one byte */
	assert_int_equal(le.cursor, 7);
	assert_true(lineedit_apply(&le, LINEEDIT_DELETE, 0));
	assert_string_equal(le.text.buf, "Xhello ");
	assert_false(lineedit_apply(&le, LINEEDIT_DELETE, 0));   /* nothing under the cursor */
	lineedit_apply(&le, LINEEDIT_LEFT, 0);
	lineedit_apply(&le, LINEEDIT_BACKSPACE, 0);
	assert_string_equal(le.text.buf, "Xhell ");
	assert_true(lineedit_apply(&le, LINEEDIT_KILL, 0));
	assert_string_equal(le.text.buf, " ");
	assert_int_equal(le.cursor, 0);
	lineedit_apply(&le, LINEEDIT_RIGHT, 0);
	lineedit_apply(&le, LINEEDIT_RIGHT, 0);   /* stays at the end */
	assert_int_equal(le.cursor, 1);
	lineedit_release(&le);
}

static void test_lines_map_to_rows_and_hunks_name_their_function(void **state)
{
	struct strbuf old_text = STRBUF_INIT, new_text = STRBUF_INIT;
	struct layout *l;
	struct layout_row r;
	size_t len, hunk;
	const char *func;

	(void)state;
	strbuf_addstr(&old_text, "int compute(int x)\n{\n");
	for (int i = 0; i < 10; i++)
		strbuf_addf(&old_text, "\tint v%d = %d;\n", i, i);
	strbuf_addstr(&new_text, old_text.buf);
	strbuf_addstr(&old_text, "\treturn x;\n}\n");
	strbuf_addstr(&new_text, "\treturn x + v1;\n\t/* more */\n}\n");
	l = load(old_text.buf, new_text.buf);
	/* Hunks only: the file header is not a stop. */
	hunk = layout_find(l, LAYOUT_SPLIT, 0, 1, 0);
	layout_row(&r, l, LAYOUT_SPLIT, hunk);
	assert_int_equal(r.kind, ROW_HUNK);
	assert_int_equal(layout_find(l, LAYOUT_SPLIT, hunk, -1, 0), SIZE_MAX);
	func = layout_hunk_function(l, r.block, &len);
	assert_int_equal(len, strlen("int compute(int x)"));
	assert_memory_equal(func, "int compute(int x)", len);
	/* Every line's row shows that line, in both modes. */
	for (size_t i = 0; i < l->lines_nr; i++) {
		for (int mode = 0; mode < 2; mode++) {
			size_t row = layout_line_row(l, (enum layout_mode)mode, i);

			layout_row(&r, l, (enum layout_mode)mode, row);
			assert_true(r.left == &l->lines[i] || r.right == &l->lines[i]);
		}
	}
	layout_free(l);
	strbuf_release(&old_text);
	strbuf_release(&new_text);
}

static void test_keys_mean_what_the_view_says(void **state)
{
	struct keymap km;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	keymap_init(&km, NULL, NULL);
	/* / filters the queue and searches the diff; ? is help, except where it searches back. */
	assert_int_equal(keymap_lookup(&km, IN_QUEUE, '/'), ACTION_FILTER);
	assert_int_equal(keymap_lookup(&km, IN_ITEM, '/'), ACTION_SEARCH);
	assert_int_equal(keymap_lookup(&km, IN_QUEUE, '?'), ACTION_HELP);
	assert_int_equal(keymap_lookup(&km, IN_ITEM, '?'), ACTION_SEARCH_BACK);
	assert_int_equal(keymap_lookup(&km, IN_ITEM, KEY_F(1)), ACTION_HELP);
	assert_int_equal(keymap_lookup(&km, IN_ITEM, 'n'), ACTION_NEXT_MATCH);
	assert_int_equal(keymap_lookup(&km, IN_ITEM, '}'), ACTION_NEXT_HUNK);
	/* Keys do nothing where their action does not apply. */
	assert_int_equal(keymap_lookup(&km, IN_HELP, 'a'), ACTION_NONE);
	assert_int_equal(keymap_lookup(&km, IN_HELP, '\n'), ACTION_NONE);
	keymap_describe_in(&sb, &km, IN_ITEM, ACTION_HELP);
	assert_string_equal(sb.buf, "F1");
	strbuf_reset(&sb);
	keymap_describe(&sb, &km, ACTION_HELP);
	assert_string_equal(sb.buf, "?, F1");
	strbuf_release(&sb);
}

static void test_keys_default_and_rebound(void **state)
{
	const char *dir = tl_tmpdir();
	struct settings settings;
	struct strvec warnings = STRVEC_INIT;
	struct keymap km;
	struct strbuf sb = STRBUF_INIT, path = STRBUF_INIT;

	(void)state;
	repo_library_init();
	keymap_init(&km, NULL, NULL);
	assert_int_equal(keymap_lookup(&km, IN_QUEUE, 'a'), ACTION_APPROVE);
	assert_int_equal(keymap_lookup(&km, IN_QUEUE, KEY_NPAGE), ACTION_PAGE_DOWN);
	assert_int_equal(keymap_lookup(&km, IN_QUEUE, -1), ACTION_NONE);
	assert_int_equal(keymap_parse_key("C-f"), KEY_CTRL('f'));
	assert_int_equal(keymap_parse_key("Enter"), '\n');
	assert_int_equal(keymap_parse_key("F5"), KEY_F(5));
	assert_int_equal(keymap_parse_key("not a key"), -1);
	keymap_key_name(&sb, KEY_NPAGE);
	assert_string_equal(sb.buf, "PgDn");
	assert_int_equal(action_by_name("toggle-split"), ACTION_TOGGLE_SPLIT);
	/* From git config: approve moves to A and F9; a bad value is a warning. */
	tl_write(dir, "config", "[revq \"key\"]\n\tapprove = A F9\n\treject = Ctrl+Nonsense\n");
	strbuf_addf(&path, "%s/config", dir);
	memset(&settings, 0, sizeof(settings));
	assert_int_equal(git_config_open_ondisk(&settings.snapshot, path.buf), 0);
	keymap_init(&km, &settings, &warnings);
	assert_int_equal(keymap_lookup(&km, IN_QUEUE, 'A'), ACTION_APPROVE);
	assert_int_equal(keymap_lookup(&km, IN_QUEUE, KEY_F(9)), ACTION_APPROVE);
	assert_int_equal(keymap_lookup(&km, IN_QUEUE, 'a'), ACTION_NONE);
	assert_int_equal(keymap_lookup(&km, IN_QUEUE, 'r'), ACTION_REJECT);   /* the bad override is ignored */
	assert_int_equal(warnings.nr, 1);
	assert_contains(warnings.v[0], "revq.key.reject");
	strbuf_reset(&sb);
	keymap_describe(&sb, &km, ACTION_APPROVE);
	assert_string_equal(sb.buf, "A, F9");
	git_config_free(settings.snapshot);
	strvec_clear(&warnings);
	strbuf_release(&sb);
	strbuf_release(&path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_pairs_deletions_with_additions),
		cmocka_unit_test(test_longer_deletion_continues_alone_on_the_left),
		cmocka_unit_test(test_hunks_and_conversion_between_modes),
		cmocka_unit_test(test_suspicious_and_control_lines_are_flagged),
		cmocka_unit_test(test_huge_diff_rows_are_found_without_walking),
		cmocka_unit_test(test_binary_file_is_a_note_with_sizes),
		cmocka_unit_test(test_worddiff_marks_changed_words),
		cmocka_unit_test(test_worddiff_gives_up_on_huge_lines),
		cmocka_unit_test(test_spans_escape_and_highlight),
		cmocka_unit_test(test_spans_scroll_and_clip_by_columns),
		cmocka_unit_test(test_keys_default_and_rebound),
		cmocka_unit_test(test_every_cut_edge_is_marked),
		cmocka_unit_test(test_folding_keeps_every_glyph_whole),
		cmocka_unit_test(test_tab_width_is_a_setting),
		cmocka_unit_test(test_line_editor_moves_and_erases_words),
		cmocka_unit_test(test_lines_map_to_rows_and_hunks_name_their_function),
		cmocka_unit_test(test_keys_mean_what_the_view_says),
	};

	tl_init();
	setlocale(LC_ALL, "C.UTF-8");
	repo_library_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
