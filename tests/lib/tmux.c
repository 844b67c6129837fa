/*
 * tmux.c: a private tmux server per test, driven with send-keys and read
 * with capture-pane.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"
#include "tmux.h"

void tmux_start(struct tmux *t, const char *dir, int cols, int rows, const char *command)
{
	static int counter;
	struct strbuf cmd = STRBUF_INIT;

	snprintf(t->socket, sizeof(t->socket), "revq-test-%d-%d", (int)getpid(), counter++);
	snprintf(t->session, sizeof(t->session), "s");
	t->dir = dir;
	/*
	 * No status bar, so the program gets the whole window; the pane stays
	 * after the program exits, for the last capture.  command may not
	 * contain double quotes.
	 */
	strbuf_addf(&cmd, "tmux -L %s -f /dev/null start-server \\; set -g status off \\; "
		    "new-session -d -s %s -x %d -y %d \"cd '%s' && %s; sleep 600\"",
		    t->socket, t->session, cols, rows, dir, command);
	if (tl_sh(dir, "%s", cmd.buf))
		fail_msg("cannot start tmux: %s", cmd.buf);
	strbuf_release(&cmd);
}

void tmux_keys(struct tmux *t, const char *keys)
{
	if (tl_sh(t->dir, "tmux -L %s send-keys -t %s %s", t->socket, t->session, keys))
		fail_msg("tmux send-keys %s failed", keys);
}

void tmux_type(struct tmux *t, const char *text)
{
	struct strbuf quoted = STRBUF_INIT;

	for (const char *p = text; *p; p++) {
		if (*p == '\'')
			strbuf_addstr(&quoted, "'\\''");
		else
			strbuf_addch(&quoted, *p);
	}
	if (tl_sh(t->dir, "tmux -L %s send-keys -t %s -l '%s'", t->socket, t->session, quoted.buf))
		fail_msg("tmux send-keys -l %s failed", text);
	strbuf_release(&quoted);
}

char *tmux_screen(struct tmux *t)
{
	struct strbuf out = STRBUF_INIT;

	tl_sh_output(t->dir, &out, NULL, "tmux -L %s capture-pane -p -t %s", t->socket, t->session);
	return strbuf_detach(&out, NULL);
}

int tmux_wait_for(struct tmux *t, const char *text, int timeout_ms)
{
	for (int waited = 0; waited <= timeout_ms; waited += 50) {
		char *screen = tmux_screen(t);
		int found = strstr(screen, text) != NULL;

		free(screen);
		if (found)
			return 1;
		usleep(50000);
	}
	return 0;
}

void tmux_record(struct tmux *t, const char *file)
{
	if (tl_sh(t->dir, "tmux -L %s pipe-pane -o -t %s 'cat >> %s'", t->socket, t->session, file))
		fail_msg("tmux pipe-pane failed");
}

void tmux_resize(struct tmux *t, int cols, int rows)
{
	tl_sh(t->dir, "tmux -L %s resize-window -t %s -x %d -y %d", t->socket, t->session, cols, rows);
}

void tmux_stop(struct tmux *t)
{
	tl_sh(t->dir, "tmux -L %s kill-server 2>/dev/null", t->socket);
}
