/*
 * run.c: spawning helper programs with captured I/O and a timeout.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/error.h"
#include "base/run.h"

#define EXEC_FAILED 127

extern char **environ;

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void close_pair(int fd[2])
{
	if (fd[0] >= 0)
		close(fd[0]);
	if (fd[1] >= 0)
		close(fd[1]);
}

/*
 * The child's environment: ours, with c->env's "NAME=value" entries
 * replacing or adding names.  The array is owned by the caller (free()),
 * its strings by environ and c->env.
 */
static char **child_environment(const struct child *c)
{
	size_t n = 0, k = 0;
	char **envp;

	while (environ[n])
		n++;
	envp = xcalloc(n + c->env.nr + 1, sizeof(*envp));
	for (size_t i = 0; i < n; i++) {
		size_t len = strcspn(environ[i], "=");
		int replaced = 0;

		for (size_t j = 0; j < c->env.nr && !replaced; j++)
			replaced = !strncmp(c->env.v[j], environ[i], len) && c->env.v[j][len] == '=';
		if (!replaced)
			envp[k++] = environ[i];
	}
	for (size_t j = 0; j < c->env.nr; j++)
		envp[k++] = c->env.v[j];
	envp[k] = NULL;
	return envp;
}

/*
 * Starts the child with posix_spawn(), which glibc does with vfork
 * semantics: no copy of revq's page tables, whose cost grew with revq's
 * memory under fork() (3 ms a spawn at 64 MB, 11 ms at 256 MB).  The
 * child gets a process group of its own (so a timeout can kill what it
 * spawned), SIGPIPE at its default, and the pipes as its stdio.
 */
static int spawn_child(pid_t *pid, struct child *c, int in[2], int out[2], int err[2])
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t defaults;
	char **envp = child_environment(c);
	int rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	sigemptyset(&defaults);
	sigaddset(&defaults, SIGPIPE);
	posix_spawnattr_setsigdefault(&attr, &defaults);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
	if (c->input)
		posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	else
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err[1], 2);
	for (int i = 0; i < 2; i++) {
		if (in[i] > 2)
			posix_spawn_file_actions_addclose(&fa, in[i]);
		posix_spawn_file_actions_addclose(&fa, out[i]);
		posix_spawn_file_actions_addclose(&fa, err[i]);
	}
	if (c->dir)
		posix_spawn_file_actions_addchdir_np(&fa, c->dir);
	rc = posix_spawnp(pid, c->argv.v[0], &fa, &attr, c->argv.v, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	free(envp);
	return rc;
}

/*
 * Moves data between the pipes until both outputs close or time runs
 * out; fd[] holds stdin, stdout, stderr and each is set to -1 once closed.
 */
static int pump(struct child *c, int fd[3], int64_t deadline)
{
	int in_fd = fd[0], out_fd = fd[1], err_fd = fd[2];
	size_t written = 0;
	char buf[16384];
	int rc = 0;

	if (in_fd >= 0)
		fcntl(in_fd, F_SETFL, O_NONBLOCK);
	while (out_fd >= 0 || err_fd >= 0) {
		struct pollfd p[3];
		int n = 0, timeout = -1, ready;

		if (out_fd >= 0)
			p[n++] = (struct pollfd){ out_fd, POLLIN, 0 };
		if (err_fd >= 0)
			p[n++] = (struct pollfd){ err_fd, POLLIN, 0 };
		if (in_fd >= 0)
			p[n++] = (struct pollfd){ in_fd, POLLOUT, 0 };
		if (deadline) {
			int64_t left = deadline - now_ms();

			if (left <= 0) {
				rc = -1;
				break;
			}
			timeout = (int)left;
		}
		ready = poll(p, (nfds_t)n, timeout);
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready <= 0) {
			rc = -1;   /* timed out, or poll failed */
			break;
		}
		for (int i = 0; i < n; i++) {
			if (!p[i].revents)
				continue;
			if (p[i].fd == in_fd) {
				ssize_t w = write(in_fd, c->input + written, c->input_len - written);

				if (w > 0)
					written += (size_t)w;
				if (w < 0 && errno != EAGAIN) /* the child stopped reading */
					written = c->input_len;
				if (written == c->input_len) {
					close(in_fd);
					in_fd = -1;
				}
				continue;
			}
			{
				ssize_t got = read(p[i].fd, buf, sizeof(buf));
				struct strbuf *sb = p[i].fd == out_fd ? &c->out : &c->err;

				if (got > 0) {
					strbuf_add(sb, buf, (size_t)got);
				} else if (got == 0 || errno != EAGAIN) {
					close(p[i].fd);
					if (p[i].fd == out_fd)
						out_fd = -1;
					else
						err_fd = -1;
				}
			}
		}
	}
	fd[0] = in_fd;
	fd[1] = out_fd;
	fd[2] = err_fd;
	for (int i = 0; i < 3; i++)
		if (fd[i] >= 0) {
			close(fd[i]);
			fd[i] = -1;
		}
	return rc;
}

static int wait_child(pid_t pid, int64_t deadline)
{
	int status;

	for (;;) {
		pid_t r = waitpid(pid, &status, deadline ? WNOHANG : 0);

		if (r == pid)
			break;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (deadline && now_ms() >= deadline)
			return -2;
		usleep(2000);
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

int run_command(struct child *c)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 };
	int64_t deadline = c->timeout_ms ? now_ms() + c->timeout_ms : 0;
	void (*old_pipe)(int);
	pid_t pid;
	int rc;

	c->status = -1;
	c->timed_out = 0;
	if (c->dir && access(c->dir, X_OK))
		return error_set(REVQ_ERROR, "cannot run %s in %s: %s", c->argv.v[0], c->dir, strerror(errno));
	if ((c->input && pipe(in)) || pipe(out) || pipe(err)) {
		close_pair(in);
		close_pair(out);
		close_pair(err);
		return error_set(REVQ_ERROR, "cannot run %s: %s", c->argv.v[0], strerror(errno));
	}
	fflush(NULL);
	if ((rc = spawn_child(&pid, c, in, out, err))) {
		close_pair(in);
		close_pair(out);
		close_pair(err);
		return rc == ENOENT || rc == EACCES || rc == ENOEXEC || rc == ENOTDIR
			? error_set(REVQ_ERROR, "cannot run %s: not found or not executable", c->argv.v[0])
			: error_set(REVQ_ERROR, "cannot run %s: %s", c->argv.v[0], strerror(rc));
	}
	if (in[0] >= 0)
		close(in[0]);
	close(out[1]);
	close(err[1]);
	old_pipe = signal(SIGPIPE, SIG_IGN);
	rc = pump(c, (int[3]){ in[1], out[0], err[0] }, deadline);
	signal(SIGPIPE, old_pipe);
	if (rc == 0)
		rc = wait_child(pid, deadline);
	else
		rc = -2;
	if (rc == -2) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		c->timed_out = 1;
		return error_set(REVQ_ERROR, "%s did not finish within %d seconds; gave up",
				 c->argv.v[0], c->timeout_ms / 1000);
	}
	c->status = rc;
	if (rc == EXEC_FAILED && !c->out.len && !c->err.len)
		return error_set(REVQ_ERROR, "cannot run %s: not found or not executable",
				 c->argv.v[0]);
	return 0;
}

void child_release(struct child *c)
{
	strvec_clear(&c->argv);
	strvec_clear(&c->env);
	strbuf_release(&c->out);
	strbuf_release(&c->err);
}

const char *child_error_line(const struct child *c)
{
	static _Thread_local char line[512];
	const char *s = c->err.len ? c->err.buf : c->out.buf;
	size_t n = strcspn(s, "\r\n");   /* a tool's CRLF or progress CR ends the line too */

	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	memcpy(line, s, n);
	line[n] = '\0';
	return line;
}
