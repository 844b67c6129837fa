/*
 * test_run.c: running helper programs: input, output, environment, exit
 * status, a program that does not exist, and the timeout that kills a
 * hung helper together with its children.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testlib.h"
#include "base/error.h"
#include "base/run.h"

static void test_input_output_and_status(void **state)
{
	struct child c = CHILD_INIT;

	(void)state;
	strvec_pushl(&c.argv, "sh", "-c", "tr a-z A-Z; echo oops >&2; echo \"$GREETING\"; exit 3", NULL);
	strvec_push(&c.env, "GREETING=hello");
	c.input = "payload\n";
	c.input_len = 8;
	assert_int_equal(run_command(&c), 0);
	assert_int_equal(c.status, 3);
	assert_false(c.timed_out);
	assert_string_equal(c.out.buf, "PAYLOAD\nhello\n");
	assert_string_equal(c.err.buf, "oops\n");
	assert_string_equal(child_error_line(&c), "oops");
	child_release(&c);
}

static void test_large_input_and_output_do_not_deadlock(void **state)
{
	struct child c = CHILD_INIT;
	size_t n = 4 << 20;
	char *big = malloc(n);

	(void)state;
	memset(big, 'x', n);
	strvec_pushl(&c.argv, "cat", NULL);
	c.input = big;
	c.input_len = n;
	assert_int_equal(run_command(&c), 0);
	assert_int_equal(c.status, 0);
	assert_int_equal(c.out.len, n);
	child_release(&c);
	free(big);
}

static void test_missing_program_is_named(void **state)
{
	struct child c = CHILD_INIT;

	(void)state;
	strvec_pushl(&c.argv, "/nonexistent/signer", "-Y", "sign", NULL);
	assert_int_not_equal(run_command(&c), 0);
	assert_contains(error_last(), "/nonexistent/signer");
	child_release(&c);
}

/* The environment given replaces a variable of ours of the same name, and the directory is used. */
static void test_environment_replaces_and_directory_is_used(void **state)
{
	struct child c = CHILD_INIT;

	(void)state;
	setenv("REVQ_RUN_TEST", "ours", 1);
	strvec_pushl(&c.argv, "sh", "-c", "printf '%s %s\\r\\nnext' \"$REVQ_RUN_TEST\" \"$(pwd)\" >&2", NULL);
	strvec_push(&c.env, "REVQ_RUN_TEST=theirs");
	c.dir = "/";
	assert_int_equal(run_command(&c), 0);
	/* A tool's CRLF does not reach our messages. */
	assert_string_equal(child_error_line(&c), "theirs /");
	child_release(&c);
	memset(&c, 0, sizeof(c));
	c = (struct child)CHILD_INIT;
	strvec_push(&c.argv, "true");
	c.dir = "/nonexistent/dir";
	assert_int_not_equal(run_command(&c), 0);
	assert_contains(error_last(), "/nonexistent/dir");
	child_release(&c);
	unsetenv("REVQ_RUN_TEST");
}

static void test_timeout_kills_the_process_group(void **state)
{
	const char *dir = tl_tmpdir();
	struct child c = CHILD_INIT;
	struct strbuf script = STRBUF_INIT, out = STRBUF_INIT;
	time_t start = time(NULL);

	(void)state;
	/* The helper starts a grandchild that would outlive it. */
	strbuf_addf(&script, "sleep 30 & echo $! > %s/grandchild; wait", dir);
	strvec_pushl(&c.argv, "sh", "-c", script.buf, NULL);
	c.timeout_ms = 500;
	assert_int_not_equal(run_command(&c), 0);
	assert_true(c.timed_out);
	assert_true(time(NULL) - start < 10);
	assert_contains(error_last(), "did not finish");
	/* Gone, or a zombie waiting for whoever reaps orphans here. */
	tl_sh_output(dir, &out, NULL, "sleep 0.2; case $(ps -o stat= -p $(cat grandchild)) in "
		     "''|Z*) echo gone ;; *) echo alive ;; esac");
	assert_string_equal(out.buf, "gone\n");
	child_release(&c);
	strbuf_release(&script);
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_input_output_and_status),
		cmocka_unit_test(test_large_input_and_output_do_not_deadlock),
		cmocka_unit_test(test_missing_program_is_named),
		cmocka_unit_test(test_environment_replaces_and_directory_is_used),
		cmocka_unit_test(test_timeout_kills_the_process_group),
	};
	int rc;

	tl_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tl_cleanup();
	return rc;
}
