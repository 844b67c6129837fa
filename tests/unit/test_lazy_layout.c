/*
 * test_lazy_layout.c: a layout opens with its files listed and none
 * diffed, and diffs each file when asked (show/layout.h), in any order,
 * to the same rows the layout of every file diffed at once has; moving
 * over files not diffed yet lands where it would have; the viewed marks'
 * keys keep the form they are stored under.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "show/layout.h"
#include "show/viewed.h"
#include "git/repo.h"

#define FILES 40

static const char *dir;
static git_repository *git;
static git_commit *head;

/* FILES files of 30 lines, then one commit editing each in two places and adding one more. */
static int setup(void **state)
{
	git_oid id;

	(void)state;
	dir = tl_repo_new();
	repo_library_init();
	tl_sh(dir, "for i in $(seq 1 %d); do seq -f \"line %%g of file $i\" 1 30 > f$i.txt; done && "
		   "git add . && git commit -qm base && "
		   "for i in $(seq 1 %d); do sed -i -e 3s/line/LINE/ -e 25s/line/LINE/ f$i.txt; done && "
		   "seq 1 $((7 * 7)) > new.txt && git add -A && git commit -qm edit", FILES, FILES);
	if (git_repository_open(&git, dir) || git_reference_name_to_id(&id, git, "HEAD") ||
	    git_commit_lookup(&head, git, &id))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	git_commit_free(head);
	git_repository_free(git);
	tl_cleanup();
	return 0;
}

static void test_opening_diffs_no_file_until_one_is_asked_for(void **state)
{
	struct layout *l;
	size_t before_next;

	(void)state;
	assert_int_equal(layout_open(&l, git, head, 0), 0);
	assert_int_equal(l->files_nr, FILES + 1);
	assert_int_equal(l->loaded_nr, 0);
	assert_int_equal(l->lines_nr, 0);
	/* Every file is its header alone. */
	assert_int_equal(layout_rows(l, LAYOUT_SPLIT), FILES + 1);
	before_next = l->files[21].rows_before[LAYOUT_SPLIT];
	assert_int_equal(layout_load_file(l, 20), 1);
	assert_int_equal(layout_load_file(l, 20), 0);   /* once */
	assert_int_equal(l->loaded_nr, 1);
	assert_true(l->files[20].loaded);
	assert_int_equal(l->files[20].added, 2);
	assert_int_equal(l->files[20].deleted, 2);
	assert_true(l->files[20].rows[LAYOUT_SPLIT] > 1);
	/* The files before it stay where they were; the ones after it move by its growth. */
	assert_int_equal(l->files[20].rows_before[LAYOUT_SPLIT], 20);
	assert_int_equal(l->files[21].rows_before[LAYOUT_SPLIT],
			 before_next + l->files[20].rows[LAYOUT_SPLIT] - 1);
	assert_false(l->files[19].loaded);
	assert_false(l->files[21].loaded);
	layout_free(l);
}

/* Row by row, in both modes, a and b show the same thing. */
static void assert_same_rows(const struct layout *a, const struct layout *b)
{
	for (int mode = 0; mode < 2; mode++) {
		assert_int_equal(layout_rows(a, (enum layout_mode)mode), layout_rows(b, (enum layout_mode)mode));
		for (size_t row = 0; row < layout_rows(a, (enum layout_mode)mode); row++) {
			struct layout_row x, y;

			layout_row(&x, a, (enum layout_mode)mode, row);
			layout_row(&y, b, (enum layout_mode)mode, row);
			assert_int_equal(x.kind, y.kind);
			assert_int_equal(x.file, y.file);
			assert_int_equal(!x.left, !y.left);
			assert_int_equal(!x.right, !y.right);
			if (x.left) {
				assert_int_equal(x.left->len, y.left->len);
				assert_memory_equal(layout_text(a, x.left), layout_text(b, y.left), x.left->len);
				assert_int_equal(x.left->old_no, y.left->old_no);
				assert_int_equal(layout_line_row(a, (enum layout_mode)mode, (size_t)(x.left - a->lines)), row);
			}
			if (x.right)
				assert_int_equal(x.right->new_no, y.right->new_no);
			assert_int_equal(layout_convert_row(a, (enum layout_mode)mode, row),
					 layout_convert_row(b, (enum layout_mode)mode, row));
		}
	}
}

static void test_files_diffed_in_any_order_give_the_rows_of_the_whole_diff(void **state)
{
	struct layout *lazy, *whole;

	(void)state;
	assert_int_equal(layout_load(&whole, git, head), 0);
	assert_int_equal(whole->loaded_nr, whole->files_nr);
	assert_int_equal(layout_open(&lazy, git, head, 0), 0);
	for (size_t i = lazy->files_nr; i-- > 0;)   /* last first: the lines' order is not the diff's */
		layout_load_file(lazy, i % 2 ? i : lazy->files_nr - 1 - i);
	layout_load_all(lazy, NULL, NULL);
	assert_same_rows(lazy, whole);
	layout_free(lazy);
	layout_free(whole);
}

static void test_next_hunk_diffs_the_files_on_its_way(void **state)
{
	struct layout *lazy, *whole;
	size_t a = 0, b = 0, hunks = 0;

	(void)state;
	assert_int_equal(layout_load(&whole, git, head), 0);
	assert_int_equal(layout_open(&lazy, git, head, 0), 0);
	/* n from the top, over files not diffed yet, stops at every hunk the whole diff has. */
	while ((a = layout_find(lazy, LAYOUT_SPLIT, a, 1, 0)) != SIZE_MAX) {
		b = layout_find(whole, LAYOUT_SPLIT, b, 1, 0);
		assert_int_equal(a, b);
		hunks++;
	}
	assert_int_equal(layout_find(whole, LAYOUT_SPLIT, b, 1, 0), SIZE_MAX);
	assert_true(hunks >= FILES);
	/* And back up from the end of a fresh layout, diffing the files above. */
	layout_free(lazy);
	assert_int_equal(layout_open(&lazy, git, head, 0), 0);
	a = layout_rows(lazy, LAYOUT_SPLIT) - 1;
	a = layout_find(lazy, LAYOUT_SPLIT, a, -1, 0);
	assert_int_not_equal(a, SIZE_MAX);
	/* The last hunk before the (lazy) end is in the file before new.txt, where the whole diff has it. */
	assert_int_equal(layout_row_file(lazy, LAYOUT_SPLIT, a), FILES - 1);
	layout_free(lazy);
	layout_free(whole);
}

static void test_showing_rows_keeps_the_row_on_the_same_line(void **state)
{
	struct layout *l;
	struct layout_row before, after;
	size_t row, line;

	(void)state;
	assert_int_equal(layout_open(&l, git, head, 0), 0);
	layout_load_file(l, 30);
	row = l->files[30].rows_before[LAYOUT_UNIFIED] + 3;
	layout_row(&before, l, LAYOUT_UNIFIED, row);
	assert_non_null(before.left);
	line = (size_t)(before.left - l->lines);   /* an index: loading moves the lines' array */
	/* A screen above and below: the files around are diffed, file 30 moves down by their growth. */
	assert_int_equal(layout_show(l, LAYOUT_UNIFIED, &row, 40, 40), 1);
	assert_true(l->files[29].loaded && l->files[31].loaded);
	assert_true(row > l->files[30].rows_before[LAYOUT_UNIFIED] - 1);
	layout_row(&after, l, LAYOUT_UNIFIED, row);
	assert_int_equal((size_t)(after.left - l->lines), line);
	assert_false(l->files[0].loaded);   /* far above: not diffed */
	layout_free(l);
}

/* The marks are stored under this key: changing its bytes would forget every reviewer's marks. */
static void test_a_viewed_key_is_the_hash_of_its_stored_form(void **state)
{
	struct layout_file f;
	git_oid got, want;
	const char form[] = "viewed 1111111111111111111111111111111111111111 2222222222222222222222222222222222222222\n"
			    "old.c\0new.c";

	(void)state;
	memset(&f, 0, sizeof(f));
	git_oid_fromstr(&f.old_id, "1111111111111111111111111111111111111111");
	git_oid_fromstr(&f.new_id, "2222222222222222222222222222222222222222");
	f.old_path = "old.c";
	f.new_path = "new.c";
	viewed_file_key(&got, &f);
	git_odb_hash(&want, form, sizeof(form), GIT_OBJECT_BLOB);
	assert_true(git_oid_equal(&got, &want));
}


/* A series' combined diff (base tree to tip tree) opens as lazily as a commit, to the same rows. */
static void test_a_combined_diff_of_trees_opens_with_no_file_diffed(void **state)
{
	struct layout *trees, *whole;
	git_commit *parent = NULL;
	git_tree *old_tree = NULL, *new_tree = NULL;
	size_t row;

	(void)state;
	assert_int_equal(git_commit_parent(&parent, head, 0), 0);
	assert_int_equal(git_commit_tree(&old_tree, parent), 0);
	assert_int_equal(git_commit_tree(&new_tree, head), 0);
	assert_int_equal(layout_open_trees(&trees, git, old_tree, new_tree, 0), 0);
	assert_int_equal(trees->files_nr, FILES + 1);
	assert_int_equal(trees->loaded_nr, 0);
	assert_int_equal(layout_rows(trees, LAYOUT_SPLIT), FILES + 1);
	/* The screen shown is diffed, and only it. */
	row = 10;
	layout_show(trees, LAYOUT_SPLIT, &row, 0, 5);
	assert_true(trees->loaded_nr > 0 && trees->loaded_nr < 10);
	/* Everything, as a search loads it: the rows of the commit's own diff. */
	layout_load_all(trees, NULL, NULL);
	assert_int_equal(layout_load(&whole, git, head), 0);
	assert_same_rows(trees, whole);
	layout_free(whole);
	layout_free(trees);
	git_tree_free(old_tree);
	git_tree_free(new_tree);
	git_commit_free(parent);
}

/* The console's position ("file 3/12 row 4/9") does not move when other files are diffed. */
static void test_a_rows_position_stays_the_same_as_other_files_are_diffed(void **state)
{
	struct layout *l;
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT, header = STRBUF_INIT;
	size_t row;

	(void)state;
	assert_int_equal(layout_open(&l, git, head, 0), 0);
	layout_describe_row(&header, l, LAYOUT_SPLIT, 30);
	assert_string_equal(header.buf, "file 31/41 (not diffed)");
	layout_load_file(l, 30);
	row = l->files[30].rows_before[LAYOUT_SPLIT] + 3;
	layout_describe_row(&before, l, LAYOUT_SPLIT, row);
	strbuf_addf(&header, "|file 31/41 row 4/%zu", l->files[30].rows[LAYOUT_SPLIT]);
	assert_string_equal(before.buf, strchr(header.buf, '|') + 1);
	layout_show(l, LAYOUT_SPLIT, &row, 40, 40);   /* the files above grow: the row moves down */
	assert_true(l->files[0].loaded || l->files[29].loaded);
	layout_describe_row(&after, l, LAYOUT_SPLIT, row);
	assert_string_equal(after.buf, before.buf);
	layout_load_all(l, NULL, NULL);
	row = l->files[30].rows_before[LAYOUT_SPLIT] + 3;
	strbuf_reset(&after);
	layout_describe_row(&after, l, LAYOUT_SPLIT, row);
	assert_string_equal(after.buf, before.buf);
	strbuf_release(&before);
	strbuf_release(&after);
	strbuf_release(&header);
	layout_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opening_diffs_no_file_until_one_is_asked_for),
		cmocka_unit_test(test_files_diffed_in_any_order_give_the_rows_of_the_whole_diff),
		cmocka_unit_test(test_next_hunk_diffs_the_files_on_its_way),
		cmocka_unit_test(test_showing_rows_keeps_the_row_on_the_same_line),
		cmocka_unit_test(test_a_viewed_key_is_the_hash_of_its_stored_form),
		cmocka_unit_test(test_a_combined_diff_of_trees_opens_with_no_file_diffed),
		cmocka_unit_test(test_a_rows_position_stays_the_same_as_other_files_are_diffed),
	};

	tl_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
