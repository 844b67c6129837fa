/*
 * tui.h: the console.  A stack of views (queue, item, files, help), each
 * with a small struct of operations as in tig; the main loop reads keys,
 * maps them to actions and lets the top view handle them.  Views compute
 * what to show with the core (spans, layout, worddiff) and only paint it.
 */
#ifndef REVQ_TUI_H
#define REVQ_TUI_H

#include <curses.h>
#include <stdint.h>
#include <wchar.h>

#include "keymap.h"
#include "queue/queue.h"
#include "queue/repos.h"
#include "decide/review.h"
#include "queue/session.h"
#include "show/needs.h"
#include "show/spans.h"
#include "show/units.h"

struct tui;
struct view;

/* How the movement keys act on a view (view_move()). */
enum view_mode {
	VIEW_SELECT,      /* a cursor selects one row; the top row follows it */
	VIEW_SCROLL,      /* the top row is the position; it may reach the last row */
};

struct view_ops {
	const char *name;
	size_t private_size;   /* bytes of view state the framework allocates (zeroed) and frees */
	enum view_mode mode;
	/* Paints rows [1, LINES - 2]; the title and status lines are the loop's. */
	void (*draw)(struct view *v);
	/* Returns 1 when the action was handled. */
	int (*handle)(struct view *v, enum action a);
	/* The title line (left part) of this view. */
	void (*title)(struct view *v, struct strbuf *out);
	/* The position shown on the right of the status line. */
	void (*position)(struct view *v, struct strbuf *out);
	/* Frees what the view's state owns (not the state itself); may be NULL. */
	void (*release)(struct view *v);
	unsigned in;                   /* the view's IN_* bit: which keys mean what here */
	const enum action *footer;     /* the keys the status line offers, most important first (the last
					  are dropped whole when they do not fit), ending in ACTION_NONE */
	/* Sees a key before the keymap (typing into a filter); 1 when it took it. May be NULL. */
	int (*key)(struct view *v, int kind, wint_t ch);
};

struct view {
	const struct view_ops *ops;
	struct tui *tui;          /* not owned */
	void *data;               /* owned by the framework: ops->private_size bytes */
	size_t lines;             /* rows the view has, which the view keeps current */
	size_t cursor;            /* VIEW_SELECT: the selected row */
	size_t top;               /* the first row on screen */
	size_t fixed;             /* body rows above the moving ones (the queue's column headings) */
};

/* A decision the console wrote in this session, for undo (undo.c). */
struct tui_decided {
	size_t repo;                   /* its repository: an index into tui->repos */
	git_oid commit;                /* a series': its tip */
	git_oid base;                  /* a series': its base */
	int series;                    /* a decision on the series base..commit (decide/series.h) */
	enum verdict verdict;
	char *line;                    /* owned: the record line written */
};

struct console_options {
	struct queue_options queue;
	const char *notes_ref;
};

struct tui {
	struct repo_set *repos;        /* not owned: the repositories (one, or several with --repos or
					  revq.repos), their sessions and queues */
	struct session *session;       /* not owned: the first repository's, whose settings the console
					  reads (keys, colours, the view) */
	struct console_options opts;
	/*
	 * owned: every repository's items as one queue, in the one ranking
	 * (repos->rows); its items array is its own, the items are the
	 * repositories' queues'.  An index into it is a queue index below.
	 */
	struct queue *queue;
	struct review **reviews;       /* owned: per repository, each may be NULL (decisions unavailable) */
	struct keymap keymap;
	unsigned escape_flags;         /* ESCAPE_ASCII outside UTF-8 locales */
	int color;
	struct view *stack[8];
	int depth;
	struct strbuf message;         /* the status line's message, if any */
	struct strvec log;             /* every message of the session, in full */
	int message_error;
	int64_t message_until;         /* ms clock */
	int quit;
	struct spans spans;            /* scratch for drawing */
	struct strvec script;          /* keys from $REVQ_KEYS, read before the terminal's */
	size_t script_next;
	unsigned tabwidth;             /* revq.tabWidth, else core.whitespace's tabwidth, else 8 */
	int wrap;                      /* revq.wrap: fold long lines in the item view */
	int record_viewed;             /* revq.recordViewed: the files viewed go into decisions */
	unsigned char *opened;         /* owned: per queue item, 1 once its view was opened */
	size_t opened_nr;
	int64_t progress_ms;           /* when the cold-start progress was last drawn (progress.c) */
	int progress_held;             /* REVQ_PROGRESS_HOLD waited once */
	struct tui_decided *decided;   /* owned: this session's decisions, oldest first (u takes back the last) */
	size_t decided_nr, decided_alloc;
	struct units units;            /* owned: the queue's series (show/units.h), built with it */
	enum unit_mode unit_mode;      /* revq.reviewUnit; s switches */
	enum need_view view;          /* "needs me" or the whole queue (revq.consoleView, the v key) */
	enum need_of *need;            /* owned: per queue item, whose move it is for email */
	char *email;                   /* owned: the reviewer's address, or NULL (no identity: view all) */
	unsigned routed;               /* changes whenever need or view does (the queue view refilters) */
};

/*
 * Runs the console on the terminal until the user quits, over the
 * repositories of repos (opened, their queues not built yet).
 */
int tui_run(struct repo_set *repos, const struct console_options *opts);

/* The repository of queue item index (an index into t->repos); the first one when out of range. */
size_t tui_repo_of(const struct tui *t, long index);
/* The session of queue item index's repository. */
struct session *tui_session_of(const struct tui *t, long index);
/* The review of queue item index's repository, or NULL (decisions unavailable there). */
struct review *tui_review_of(const struct tui *t, long index);
/* The label rows show for queue item index's repository, or NULL with one repository. */
const char *tui_repo_label(const struct tui *t, long index);

/* ---- for views ---- */

void tui_push(struct tui *t, struct view *v);
void tui_pop(struct tui *t);
void tui_message(struct tui *t, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Reloads the queue and the decisions, keeping the filter; 0 or an error. */
int tui_reload(struct tui *t);
/* Re-reads the decisions into every item's status. */
void tui_refresh_decisions(struct tui *t);
/*
 * Asks for one line on the status line, with a line editor (lineedit.h);
 * on_change runs after each edit and the view is redrawn.  NULL when
 * cancelled (Esc, C-c, C-g).  Caller frees.
 */
char *tui_prompt(struct tui *t, const char *label, void (*on_change)(struct tui *, const char *, void *),
		 void *data);
/* Asks a yes/no question on the status line; 1 only for y. */
int tui_confirm(struct tui *t, const char *question);
/*
 * The line editor's operation (show/lineedit.h) for a key as next_key()
 * read it (kind OK or KEY_CODE_YES): the prompt's keys, shared by every
 * text field; -1 when the key is no edit.
 */
int tui_edit_op(int kind, wint_t ch);
/*
 * Approves or rejects the item at index through decision_write(), the
 * code path of `revq approve`; reports on the status line.  Asks first
 * before approving unopened an item that needs a senior, or overturning
 * the reviewer's own decision.  Returns 0 when written.
 * ask_comment: ask for an approval's comment first (A); an empty
 * rejection reason takes the item's unresolved comments.  viewed is the
 * record's viewed field (revq.recordViewed), or NULL.
 */
int tui_decide_with(struct tui *t, long index, enum verdict verdict, int ask_comment, const char *viewed);
/* A screen saying what the console is doing before its queue exists (progress.c). */
void tui_show_loading(struct tui *t, const char *what);
/* The console's progress handler (base/progress.h; data is the tui): drawn, and q cancels. */
void tui_progress(const char *title, uint64_t done, uint64_t total, int finished, void *data);
/* layout_load_all()'s progress (data: the tui): the files diffed for a search, at most every 50 ms. */
void tui_progress_files(void *data, size_t done, size_t total);
/* Remembers a decision written in repository repo (for u); tui_undo_release() forgets them all. */
void tui_undo_push(struct tui *t, size_t repo, const git_oid *commit, enum verdict verdict, const char *line);
/* The same for a decision on the series base..tip. */
void tui_undo_push_series(struct tui *t, size_t repo, const git_oid *base, const git_oid *tip,
			  enum verdict verdict, const char *line);
void tui_undo_release(struct tui *t);
/*
 * Takes back the session's last decision with a withdrawal record
 * (decision_write(), as `revq undo`), asking first when a remote already
 * has it; says on the status line what was undone.
 */
void tui_undo(struct tui *t);
/*
 * Approves or rejects the series of unit u (t->units) as one change
 * through decision_write_series(), the code path of `revq approve
 * --series`; asks first before approving it from the queue unopened.
 * Returns 0 when written.
 */
int tui_decide_series(struct tui *t, const struct unit *u, enum verdict verdict, int opened);
/*
 * The index of the next item after `from` (in the queue view's filtered
 * order, wrapping round to earlier ones) that still needs a decision, or
 * -1.  The queue's cursor follows what the item view shows (tui_follow).
 */
long tui_next_undecided(struct tui *t, long from);
/* The item shown step (1 or -1) places after index in the filtered order, or -1. */
long tui_step_item(struct tui *t, long index, int step);
/* Moves the queue's cursor to the item at index. */
void tui_follow(struct tui *t, long index);
/* Switches between the "needs me" view and the whole queue. */
void tui_toggle_view(struct tui *t);
/* 1 when the current view shows the item at index. */
int tui_view_shows(const struct tui *t, size_t index);
/* Records that the item at index was opened. */
void tui_mark_opened(struct tui *t, long index);

/* Rows available to a view's body. */
int tui_body_rows(void);

/* ---- drawing (draw.c) ---- */

enum tui_color {
	COLOR_PAIR_NONE = 0,
	PAIR_ADDED,
	PAIR_DELETED,
	PAIR_HUNK,
	PAIR_FILE,
	PAIR_WARN,
	PAIR_HIGH,
	PAIR_MEDIUM,
	PAIR_BAR,
	PAIR_ERROR,
};

void draw_setup_colors(struct tui *t);
attr_t draw_attr(const struct tui *t, enum tui_color pair, attr_t plain);
/* Paints spans at (y, x) on top of base; returns the columns painted. */
int draw_spans(const struct tui *t, int y, int x, const struct spans *s, attr_t base,
	       attr_t changed);
/* Lays out and paints untrusted text in at most width columns. */
int draw_text(struct tui *t, int y, int x, const char *text, size_t len, size_t width, attr_t base);
/* The same, a cut shown by a reverse '>' in the last column (spans_layout_marked()). */
int draw_text_marked(struct tui *t, int y, int x, const char *text, size_t len, size_t width, attr_t base);
/* Paints revq's own ASCII text. */
int draw_plain(int y, int x, const char *text, int width, attr_t attr);
void draw_fill(int y, int x, int width, attr_t attr);

/* ---- views ---- */

/* ---- the view framework (view.c) ---- */

/* A view with zeroed state of ops->private_size bytes; view_free() frees it. */
struct view *view_new(struct tui *t, const struct view_ops *ops);
void view_free(struct view *v);
/* The one cursor model: the movement actions on v (1 when a was one); keeps v in range. */
int view_move(struct view *v, enum action a);
/* Keeps the cursor in [0, lines) and on screen, the top row in range. */
void view_clamp(struct view *v);

/* ---- views ---- */

struct view *view_queue_new(struct tui *t);
struct view *view_item_new(struct tui *t, long index);
/* The series of t->units.v[unit] as one item: its combined diff, its commits (1-9 open them). */
struct view *view_item_new_series(struct tui *t, size_t unit);
struct view *view_help_new(struct tui *t);
struct view *view_files_new(struct tui *t, struct view *item);
struct view *view_log_new(struct tui *t);
/* NULL (and a message) when the decisions cannot be judged. */
struct view *view_stats_new(struct tui *t);

/* The queue view's filtered order: indices into the queue; the count is returned. */
size_t view_queue_shown(struct view *queue, const size_t **shown);
void view_queue_select(struct view *queue, size_t index);

/* For the file picker: the item view's layout, and a jump. */
struct layout *view_item_layout(struct view *item);
void view_item_jump_to_file(struct view *item, size_t file);
/* The item view's viewed marks (show/viewed.h), for the file picker. */
const struct viewed *view_item_viewed(struct view *item);

#endif
