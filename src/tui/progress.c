/*
 * progress.c: what the console shows before its queue exists.  On a cold
 * cache analysing every pending commit takes seconds (1,200 commits: about
 * 3 s), so the screen says what is happening and how far it is (the core's
 * progress reports, base/progress.h: items scanned of total), and q stops
 * it (progress_cancel()) and quits.  The queue itself comes
 * only at the end: it is in priority order, which needs every item's risk,
 * so no first page is known before the last item is analysed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/progress.h"
#include "tui.h"

#define PROGRESS_MS 50   /* at most this often a redraw (and a look at the keyboard) */

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void tui_show_loading(struct tui *t, const char *what)
{
	attr_t bar = draw_attr(t, PAIR_BAR, A_REVERSE);

	erase();
	draw_fill(0, 0, COLS, bar);
	draw_plain(0, 0, " revq  starting", COLS, bar);
	draw_plain(2, 2, what, COLS - 2, A_BOLD);
	draw_plain(LINES - 1, 0, "q:quit", COLS, A_NORMAL);
	refresh();
}

/* "Scanning commits: 340 of 1200 (28%)", a bar under it, and note. */
static void draw_progress(struct tui *t, const char *title, uint64_t done, uint64_t total, const char *note)
{
	char line[160];
	int width = COLS > 8 ? COLS - 4 : 4, filled = total ? (int)((double)done / (double)total * width) : 0;

	snprintf(line, sizeof(line), "%.60s: %llu of %llu (%llu%%)", title, (unsigned long long)done,
		 (unsigned long long)total, (unsigned long long)(total ? done * 100 / total : 100));
	tui_show_loading(t, line);
	move(4, 2);
	for (int i = 0; i < width; i++)
		addch(i < filled ? '#' : '.');
	draw_plain(6, 2, note, COLS - 2, A_NORMAL);
	refresh();
}

/* 1 when the user asked to stop: q or Q.  hold: wait for a key (REVQ_PROGRESS_HOLD, for tests). */
static int stop_asked(int hold)
{
	int stop = 0, kind;
	wint_t ch;

	timeout(hold ? -1 : 0);
	while ((kind = get_wch(&ch)) != ERR) {
		if (kind == OK && (ch == 'q' || ch == 'Q'))
			stop = 1;
		if (hold || stop)
			break;
	}
	timeout(-1);
	return stop;
}

void tui_progress(const char *title, uint64_t done, uint64_t total, int finished, void *data)
{
	struct tui *t = data;
	int64_t now = now_ms();
	int hold = 0;

	if (finished)
		return;   /* the queue (or the error) comes next */
	if (done && !t->progress_held && getenv("REVQ_PROGRESS_HOLD")) {
		t->progress_held = 1;   /* once, after the first item: a test can look, then go on or quit */
		hold = 1;
	}
	if (!hold && done && done < total && now - t->progress_ms < PROGRESS_MS)
		return;
	t->progress_ms = now;
	draw_progress(t, title, done, total, "The queue opens when every commit is scored: its order needs every risk.");
	if (stop_asked(hold))
		progress_cancel();
}

void tui_progress_files(void *data, size_t done, size_t total)
{
	struct tui *t = data;
	int64_t now = now_ms();

	if (done < total && now - t->progress_ms < PROGRESS_MS)
		return;
	t->progress_ms = now;
	draw_progress(t, "Diffing the files to search", done, total,
		      "A search reads every file of the item, once; n and N then cost nothing more.");
}
