/*
 * testlib.h: helpers for revq's cmocka tests: temporary directories,
 * repositories built with the real git CLI, running the real revq
 * binary, and reading its JSON with SQLite's json_extract().
 *
 * Every helper fails the current test (cmocka's fail_msg) when the
 * environment lets it down, so tests can stay linear.  Strings returned
 * by tl_* functions are owned by the caller unless noted.
 */
#ifndef REVQ_TESTLIB_H
#define REVQ_TESTLIB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/strbuf.h"

/*
 * Call once from main(): isolates git from the user's configuration
 * (HOME, XDG dirs, GIT_CONFIG_NOSYSTEM), fixes identities, dates and the
 * locale (C.UTF-8), and sets REVQ_NOW.
 */
void tl_init(void);

/* The fixed "now" of every test, seconds since the epoch. */
#define TL_NOW 1767225600   /* 2026-01-01T00:00:00Z */

/* A fresh temporary directory, removed by tl_cleanup(). Static storage; do not free. */
const char *tl_tmpdir(void);
/* Removes every directory tl_tmpdir() made. */
void tl_cleanup(void);

/* Runs a shell command (printf-style) in dir; returns its exit status. */
int tl_sh(const char *dir, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Like tl_sh(), appending stdout to out and stderr to err (either may be NULL). */
int tl_sh_output(const char *dir, struct strbuf *out, struct strbuf *err,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Runs `git ARGS` in dir and fails the test unless it succeeds. */
void tl_git(const char *dir, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* `git ARGS` output, trailing newline removed; caller frees. */
char *tl_git_out(const char *dir, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Writes content to dir/path, creating parent directories. */
void tl_write(const char *dir, const char *path, const char *content);
void tl_write_bytes(const char *dir, const char *path, const void *data, size_t len);

/* A new repository with branch main and one commit; returns its directory. */
const char *tl_repo_new(void);
/*
 * Commits the working tree in dir with message (which may carry trailers),
 * days_ago before TL_NOW; returns the new commit id (caller frees).
 */
char *tl_commit(const char *dir, int days_ago, const char *message);
/* Writes path=content, then tl_commit(). */
char *tl_commit_file(const char *dir, const char *path, const char *content, int days_ago,
		     const char *message);

/*
 * Makes an ssh ed25519 key keys_dir/name (no passphrase) and lists it
 * for email in keys_dir/allowed, in the "revq" namespace.
 */
void tl_ssh_key(const char *keys_dir, const char *name, const char *email);

/* The message trailer of an AI-assisted commit, for convenience. */
#define TL_AI_TRAILER "\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n"

/*
 * Runs the revq binary under test (REVQ_BIN) in dir with the given
 * arguments (a shell fragment); captures stdout and stderr when the
 * buffers are given.  Returns the exit status.
 */
int tl_revq(const char *dir, struct strbuf *out, struct strbuf *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* json_extract(json, path) as text ("" when null or absent); caller frees. */
char *tl_json_text(const char *json, const char *path);
int64_t tl_json_int(const char *json, const char *path);
/* 1 when json is valid JSON. */
int tl_json_valid(const char *json);
/* The number of items in the array at path ("$" for the top). */
int64_t tl_json_length(const char *json, const char *path);

/* Asserts that json_extract(json, path) is the text `expected`. */
#define assert_json_text(json, path, expected) do { \
	char *got_ = tl_json_text((json), (path)); \
	int same_ = !strcmp(got_, (expected)); \
	if (!same_) \
		fail_msg("%s is \"%s\", expected \"%s\"", (path), got_, (expected)); \
	free(got_); \
} while (0)

/* 1 when haystack contains needle. */
int tl_contains(const char *haystack, const char *needle);
/*
 * Joins the pre-receive hook's wrapped messages in a push's stderr again
 * (git's padding, the newline, "remote: " and the continuation indent
 * become one space), so that a phrase is found wherever a line was wrapped.
 */
void tl_join_remote_lines(struct strbuf *err);

#define assert_contains(haystack, needle) do { \
	if (!tl_contains((haystack), (needle))) \
		fail_msg("expected to find \"%s\" in:\n%s", (needle), (haystack)); \
} while (0)
#define assert_not_contains(haystack, needle) do { \
	if (tl_contains((haystack), (needle))) \
		fail_msg("did not expect \"%s\" in:\n%s", (needle), (haystack)); \
} while (0)

/* Asserts that the strbuf holds exactly one line, ending in a newline: one clear error line. */
#define assert_one_line(sb) do { \
	const struct strbuf *sb_ = (sb); \
	const char *nl_ = memchr(sb_->buf, '\n', sb_->len); \
	if (!nl_ || (size_t)(nl_ - sb_->buf) + 1 != sb_->len) \
		fail_msg("expected one line, got:\n%s", sb_->buf); \
} while (0)

#endif
