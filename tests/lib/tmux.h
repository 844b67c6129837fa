/*
 * tmux.h: driving the real console in a private tmux server for tests:
 * start it, send keys, wait for text, read the screen, record raw bytes.
 * Strings returned are the caller's to free.
 */
#ifndef REVQ_TEST_TMUX_H
#define REVQ_TEST_TMUX_H

struct tmux {
	char socket[64];     /* a private server per test */
	char session[32];
	const char *dir;
};

/* Starts `command` (a shell fragment run in dir) in a cols x rows window. */
void tmux_start(struct tmux *t, const char *dir, int cols, int rows, const char *command);
void tmux_keys(struct tmux *t, const char *keys);   /* tmux send-keys arguments */
/* Types text as it is, as literal keys (send-keys -l), whatever its quotes. */
void tmux_type(struct tmux *t, const char *text);
/* 1 when text shows up on the screen within timeout_ms. */
int tmux_wait_for(struct tmux *t, const char *text, int timeout_ms);
char *tmux_screen(struct tmux *t);
/* Appends everything the program writes to the terminal to file. */
void tmux_record(struct tmux *t, const char *file);
void tmux_resize(struct tmux *t, int cols, int rows);
void tmux_stop(struct tmux *t);

#endif
