/*
 * testlib.c: the shared machinery of revq's tests (see testlib.h).
 */
#include "config.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

static char *dirs[256];
static size_t dirs_nr;
static char home[4096];

static const char *tmp_root(void)
{
	const char *t = getenv("TMPDIR");

	return t && *t ? t : "/tmp";
}

const char *tl_tmpdir(void)
{
	char path[4096];

	if (dirs_nr == sizeof(dirs) / sizeof(dirs[0]))
		fail_msg("too many temporary directories");
	snprintf(path, sizeof(path), "%s/revq-test-XXXXXX", tmp_root());
	if (!mkdtemp(path))
		fail_msg("mkdtemp: %s", strerror(errno));
	dirs[dirs_nr] = xstrdup(path);
	return dirs[dirs_nr++];
}

void tl_cleanup(void)
{
	if (getenv("REVQ_KEEP_TMP"))
		return;
	for (size_t i = 0; i < dirs_nr; i++) {
		char cmd[4200];

		snprintf(cmd, sizeof(cmd), "chmod -R u+w '%s' 2>/dev/null; rm -rf '%s'", dirs[i], dirs[i]);
		if (system(cmd))
			fprintf(stderr, "could not remove %s\n", dirs[i]);
		free(dirs[i]);
	}
	dirs_nr = 0;
}

static void cleanup_at_exit(void)
{
	tl_cleanup();
	if (*home && !getenv("REVQ_KEEP_TMP")) {
		char cmd[4200];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", home);
		if (system(cmd))
			fprintf(stderr, "could not remove %s\n", home);
	}
}

void tl_init(void)
{
	char now[32];

	/* REVQ_TEST=pattern runs only the matching tests of a program. */
	if (getenv("REVQ_TEST"))
		cmocka_set_test_filter(getenv("REVQ_TEST"));

	snprintf(home, sizeof(home), "%s/revq-home-XXXXXX", tmp_root());
	if (!mkdtemp(home)) {
		fprintf(stderr, "mkdtemp: %s\n", strerror(errno));
		exit(99);
	}
	setenv("HOME", home, 1);
	setenv("XDG_CONFIG_HOME", home, 1);
	unsetenv("XDG_CACHE_HOME");
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_AUTHOR_NAME", "Test Author", 1);
	setenv("GIT_AUTHOR_EMAIL", "author@example.com", 1);
	setenv("GIT_COMMITTER_NAME", "Test Committer", 1);
	setenv("GIT_COMMITTER_EMAIL", "committer@example.com", 1);
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	unsetenv("NO_COLOR");
	setenv("LC_ALL", "C.UTF-8", 1);
	setenv("TERM", "dumb", 1);
	snprintf(now, sizeof(now), "%d", TL_NOW);
	setenv("REVQ_NOW", now, 1);
	if (system("git config --global init.defaultBranch main && "
		   "git config --global advice.detachedHead false && "
		   "git config --global protocol.file.allow always")) {
		fprintf(stderr, "cannot configure git\n");
		exit(99);
	}
	atexit(cleanup_at_exit);
}

static int run(const char *dir, const char *cmd, struct strbuf *out, struct strbuf *err)
{
	struct strbuf full = STRBUF_INIT;
	char errfile[sizeof(home) + 16] = "";
	FILE *p;
	int status;

	if (err) {
		snprintf(errfile, sizeof(errfile), "%s/stderr", home);
		unlink(errfile);
	}
	/* A newline, not ';', ends the command: it may end in '&'. */
	strbuf_addf(&full, "cd '%s' && { %s\n}%s%s%s", dir ? dir : ".", cmd,
		    err ? " 2>'" : "", err ? errfile : "", err ? "'" : "");
	if (!out)
		strbuf_addstr(&full, " >/dev/null");
	p = popen(full.buf, "r");
	if (!p)
		fail_msg("popen: %s", strerror(errno));
	if (out) {
		char buf[65536];
		size_t n;

		while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
			strbuf_add(out, buf, n);
	}
	status = pclose(p);
	if (err) {
		FILE *f = fopen(errfile, "r");
		char buf[4096];
		size_t n;

		while (f && (n = fread(buf, 1, sizeof(buf), f)) > 0)
			strbuf_add(err, buf, n);
		if (f)
			fclose(f);
	}
	strbuf_release(&full);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

int tl_sh(const char *dir, const char *fmt, ...)
{
	struct strbuf cmd = STRBUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	strbuf_vaddf(&cmd, fmt, ap);
	va_end(ap);
	rc = run(dir, cmd.buf, NULL, NULL);
	strbuf_release(&cmd);
	return rc;
}

int tl_sh_output(const char *dir, struct strbuf *out, struct strbuf *err, const char *fmt, ...)
{
	struct strbuf cmd = STRBUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	strbuf_vaddf(&cmd, fmt, ap);
	va_end(ap);
	rc = run(dir, cmd.buf, out, err);
	strbuf_release(&cmd);
	return rc;
}

void tl_git(const char *dir, const char *fmt, ...)
{
	struct strbuf cmd = STRBUF_INIT, err = STRBUF_INIT;
	va_list ap;
	int rc;

	strbuf_addstr(&cmd, "git ");
	va_start(ap, fmt);
	strbuf_vaddf(&cmd, fmt, ap);
	va_end(ap);
	rc = run(dir, cmd.buf, NULL, &err);
	if (rc)
		fail_msg("'%s' failed (%d): %s", cmd.buf, rc, err.buf);
	strbuf_release(&cmd);
	strbuf_release(&err);
}

char *tl_git_out(const char *dir, const char *fmt, ...)
{
	struct strbuf cmd = STRBUF_INIT, out = STRBUF_INIT, err = STRBUF_INIT;
	va_list ap;
	int rc;

	strbuf_addstr(&cmd, "git ");
	va_start(ap, fmt);
	strbuf_vaddf(&cmd, fmt, ap);
	va_end(ap);
	rc = run(dir, cmd.buf, &out, &err);
	if (rc)
		fail_msg("'%s' failed (%d): %s", cmd.buf, rc, err.buf);
	strbuf_trim_trailing_newline(&out);
	strbuf_release(&cmd);
	strbuf_release(&err);
	return strbuf_detach(&out, NULL);
}

void tl_write_bytes(const char *dir, const char *path, const void *data, size_t len)
{
	char full[4096], *slash;
	FILE *f;

	snprintf(full, sizeof(full), "%s/%s", dir, path);
	for (slash = full + strlen(dir) + 1; (slash = strchr(slash, '/')); slash++) {
		*slash = '\0';
		mkdir(full, 0777);
		*slash = '/';
	}
	f = fopen(full, "wb");
	if (!f)
		fail_msg("cannot write %s: %s", full, strerror(errno));
	if (len && fwrite(data, 1, len, f) != len)
		fail_msg("short write to %s", full);
	fclose(f);
}

void tl_write(const char *dir, const char *path, const char *content)
{
	tl_write_bytes(dir, path, content, strlen(content));
}

char *tl_commit(const char *dir, int days_ago, const char *message)
{
	char msgfile[sizeof(home) + 16];
	long when = (long)TL_NOW - (long)days_ago * 86400;

	snprintf(msgfile, sizeof(msgfile), "%s/message", home);
	tl_write_bytes("/", msgfile + 1, message, strlen(message));
	tl_git(dir, "add -A");
	/* The committer date decides the age in the queue; pin both dates. */
	if (tl_sh(dir, "GIT_AUTHOR_DATE=@%ld GIT_COMMITTER_DATE=@%ld git commit -q "
		  "--allow-empty --cleanup=verbatim -F '%s'", when, when, msgfile))
		fail_msg("git commit failed in %s", dir);
	return tl_git_out(dir, "rev-parse HEAD");
}

char *tl_commit_file(const char *dir, const char *path, const char *content, int days_ago,
		     const char *message)
{
	tl_write(dir, path, content);
	return tl_commit(dir, days_ago, message);
}

const char *tl_repo_new(void)
{
	const char *dir = tl_tmpdir();

	tl_git(dir, "init -q -b main");
	free(tl_commit_file(dir, "README", "hello\n", 30, "Initial commit\n"));
	return dir;
}

int tl_revq(const char *dir, struct strbuf *out, struct strbuf *err, const char *fmt, ...)
{
	const char *bin = getenv("REVQ_BIN");
	struct strbuf cmd = STRBUF_INIT;
	va_list ap;
	int rc;

	if (!bin)
		fail_msg("REVQ_BIN is not set (run the tests with make check)");
	strbuf_addf(&cmd, "'%s' ", bin);
	va_start(ap, fmt);
	strbuf_vaddf(&cmd, fmt, ap);
	va_end(ap);
	rc = run(dir, cmd.buf, out, err);
	strbuf_release(&cmd);
	return rc;
}

static sqlite3_stmt *json_query(sqlite3 **db, const char *sql, const char *json, const char *path)
{
	sqlite3_stmt *st;

	if (sqlite3_open(":memory:", db) || sqlite3_prepare_v2(*db, sql, -1, &st, NULL))
		fail_msg("sqlite: %s", sqlite3_errmsg(*db));
	sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
	if (path)
		sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		fail_msg("json query failed on path %s: %s\n%s", path ? path : "", sqlite3_errmsg(*db),
			 json);
	return st;
}

char *tl_json_text(const char *json, const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *st = json_query(&db, "SELECT json_extract(?1, ?2)", json, path);
	const unsigned char *t = sqlite3_column_text(st, 0);
	char *res = xstrdup(t ? (const char *)t : "");

	sqlite3_finalize(st);
	sqlite3_close(db);
	return res;
}

int64_t tl_json_int(const char *json, const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *st = json_query(&db, "SELECT json_extract(?1, ?2)", json, path);
	int64_t v;

	if (sqlite3_column_type(st, 0) == SQLITE_NULL)
		fail_msg("no number at %s in:\n%s", path, json);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

int tl_json_valid(const char *json)
{
	sqlite3 *db;
	sqlite3_stmt *st = json_query(&db, "SELECT json_valid(?1)", json, NULL);
	int v = sqlite3_column_int(st, 0);

	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

int64_t tl_json_length(const char *json, const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *st = json_query(&db, "SELECT json_array_length(?1, ?2)", json, path);
	int64_t v = sqlite3_column_int64(st, 0);

	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

int tl_contains(const char *haystack, const char *needle)
{
	return strstr(haystack, needle) != NULL;
}

void tl_join_remote_lines(struct strbuf *err)
{
	static const char continuation[] = "\nremote:     ";
	struct strbuf joined = STRBUF_INIT;

	for (size_t i = 0; i < err->len; i++) {
		if (!strncmp(err->buf + i, continuation, sizeof(continuation) - 1)) {
			while (joined.len && joined.buf[joined.len - 1] == ' ')
				strbuf_setlen(&joined, joined.len - 1);
			strbuf_addch(&joined, ' ');
			i += sizeof(continuation) - 2;
		} else {
			strbuf_addch(&joined, err->buf[i]);
		}
	}
	strbuf_reset(err);
	strbuf_add(err, joined.buf, joined.len);
	strbuf_release(&joined);
}

void tl_ssh_key(const char *keys_dir, const char *name, const char *email)
{
	tl_sh(keys_dir, "ssh-keygen -q -t ed25519 -N '' -C %s -f %s", name, name);
	tl_sh(keys_dir, "printf '%%s namespaces=\"revq\" %%s\\n' '%s' \"$(cut -d' ' -f1,2 %s.pub)\" >> allowed",
	      email, name);
}
