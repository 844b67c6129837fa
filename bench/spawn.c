/*
 * spawn.c: what one helper process costs revq (base/run.c) as revq's
 * memory grows, against fork()+exec of the same program measured in the
 * same run.  bench/spawn builds and runs it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/run.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double with_run_command(int n)
{
	double start = now_ms();

	for (int i = 0; i < n; i++) {
		struct child c = CHILD_INIT;

		strvec_push(&c.argv, "true");
		if (run_command(&c) || c.status)
			exit(1);
		child_release(&c);
	}
	return (now_ms() - start) / n;
}

static double with_fork(int n)
{
	double start = now_ms();

	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		int status;

		if (!pid) {
			execlp("true", "true", (char *)NULL);
			_exit(127);
		}
		waitpid(pid, &status, 0);
	}
	return (now_ms() - start) / n;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 200;
	static const size_t sizes[] = { 16, 64, 256, 1024 };
	size_t have = 0;
	char *mem = NULL;

	printf("| revq's memory | run_command ms | fork+exec ms | ratio |\n|---|---|---|---|\n");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		double a, b;

		mem = realloc(mem, sizes[i] << 20);
		memset(mem + have, 1, (sizes[i] << 20) - have);   /* touched: the pages exist */
		have = sizes[i] << 20;
		a = with_run_command(n);
		b = with_fork(n);
		printf("| %zu MB | %.3f | %.3f | %.2fx |\n", sizes[i], a, b, a / b);
	}
	free(mem);
	return 0;
}
