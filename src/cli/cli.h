/*
 * cli.h: what the batch commands share: the command table, opening a
 * session, reporting errors once, and safe terminal output.
 */
#ifndef REVQ_CLI_H
#define REVQ_CLI_H

#include <stdio.h>

#include "base/error.h"
#include "show/escape.h"
#include "queue/queue.h"
#include "queue/session.h"
#include <getopt.h>

#include "base/strbuf.h"

struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

/* Terminal facts decided once at start-up. */
struct cli_term {
	unsigned escape_flags;   /* ESCAPE_ASCII when the locale is not UTF-8 */
	int color;               /* use colour on stdout */
	int stdout_tty;
	int progress;            /* stderr is a terminal: long operations show progress */
	size_t wrap;             /* columns messages are wrapped at (the hook: what fits after
				    git's "remote: "), 0: not wrapped */
};

extern struct cli_term cli_term;

/*
 * getopt_long() with "revq" as the name in its messages ("revq:
 * unrecognized option '--x'"), whatever the command; argv is unchanged.
 */
int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts);

/* The warning handler of the batch commands: "revq: warning: ", escaped (warnings quote data). */
void cli_warn(const char *message, void *data);
/* Continuation lines of a wrapped message start with this. */
#define CLI_WRAP_INDENT "    "
/* Appends an escaped message line to out, wrapped at cli_term.wrap. */
void cli_wrap(struct strbuf *out, const char *escaped);
/* Prints an escaped message line on stderr, wrapped at cli_term.wrap. */
void cli_eprint(const char *escaped);
/* Prints "revq: <last error>" (escaped) and returns the exit code for rc. */
int cli_fail(int rc);
/* Prints "revq: <message>" and returns EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Opens the session for the current directory, or prints why not. */
int cli_open_session(struct session **out);
/*
 * Progress on stderr (git's way): installed at start-up when stderr is a
 * terminal, shown once an operation has run $REVQ_PROGRESS_DELAY seconds
 * (default 1, like GIT_PROGRESS_DELAY); cli_quiet() (--quiet) removes it.
 */
void cli_progress_setup(void);
void cli_quiet(void);
/* Decides colour for stdout once the repository's settings are known. */
void cli_setup_color(const struct settings *settings);
/* Parses a positive integer option value, or returns -1. */
long cli_parse_count(const char *s);
/* Writes out to stdout; a closed pipe is not an error. */
int cli_write(const struct strbuf *out);
/*
 * Writes out and empties it once it holds CLI_FLUSH_SIZE bytes, so that a
 * long listing reuses one buffer: growing a fresh one touches new pages,
 * and a page fault is a few microseconds.
 */
#define CLI_FLUSH_SIZE 65536
int cli_flush(struct strbuf *out);
/* The usage text of a command, for --help and usage errors. */
int cli_print_usage(FILE *to, const char *usage);

/* Escapes untrusted s into out with the terminal's flags. */
void cli_escape(struct strbuf *out, const char *s);
/* Escapes s into exactly `width` columns (truncated with '~' or padded). */
void cli_escape_column(struct strbuf *out, const char *s, size_t width);

/* ANSI colour (only when cli_term.color); code like "31" or "1;33". */
void cli_color_begin(struct strbuf *out, const char *code);
void cli_color_end(struct strbuf *out, const char *code);

/* Options shared by the queue commands. */
enum queue_option {
	QOPT_JSON = 1 << 0,
	QOPT_ALL = 1 << 1,
	QOPT_LIMIT = 1 << 2,
	QOPT_TARGET = 1 << 3,
	QOPT_JOBS = 1 << 4,
	QOPT_NOTES = 1 << 5,
	QOPT_FOR_ME = 1 << 6,
	QOPT_QUIET = 1 << 7,
	QOPT_REPOS = 1 << 8,
	QOPT_SINCE = 1 << 9,
	QOPT_FORMAT = 1 << 10,
};

struct queue_cli {
	struct queue_options opts;   /* ranges point into argv */
	int json;
	long limit;                  /* -1: none */
	const char *notes_ref;       /* NULL: revq.notesRef */
	int for_me;                  /* --for-me: only what my approval would count for */
	int repos;                   /* --repos: the positional arguments are repositories, not ranges */
	const char *since;           /* --since DATE, or NULL */
	const char *format;          /* --format NAME (not owned: argv), or NULL */
};

/*
 * Parses the allowed options; positional arguments become opts.ranges.
 * Returns -1 to go on, or the exit status (help printed, usage error).
 */
int cli_parse_queue_options(struct queue_cli *qc, int argc, char **argv, unsigned allowed,
			    const char *usage);
struct evaluation;
struct json;
/* An evaluation's requirement, failures and decisions as JSON fields / as text. */
void cli_evaluation_json(struct json *j, const struct evaluation *ev);
void cli_evaluation_text(struct strbuf *out, const struct evaluation *ev);
/* Only ev's decisions, one a line under label ("Decisions:"), or as the array key. */
void cli_decisions_text(struct strbuf *out, const char *label, const struct evaluation *ev);
void cli_decisions_json(struct json *j, const char *key, const struct evaluation *ev);

/*
 * The repositories of one queue: with --repos its arguments, else
 * revq.repos (of here's settings, or of the user's configuration when
 * here is NULL: outside a repository), and without --repos the current
 * repository first.  out stays empty for one repository, as usual (and
 * for ranges, which name commits of the current one).
 */
void cli_queue_repos(struct strvec *out, const struct queue_cli *qc, const struct session *here);

/*
 * Opens what a queue command works on: the current repository's session
 * (*out, NULL outside one), and the paths of several (cli_queue_repos(),
 * empty for one).  Fails as cli_open_session() would when there is
 * neither.
 */
int cli_open_queue(struct session **out, struct strvec *paths, const struct queue_cli *qc);

/*
 * Opens the session of a command that judges a range (verify, attest):
 * qc's ranges default to HEAD, and on a repository with no commits that
 * default leaves nothing to judge: "nothing to VERB" is said on stderr
 * and 1 returned, with *s NULL.  0 with *s open, or a negative error.
 */
int cli_open_range(struct session **s, struct queue_cli *qc, const char *verb);

struct review;
/*
 * What `revq verify` judges: the review of qc's target and notes, and
 * the queue of qc's ranges under its policy (the trust root gated,
 * revq.gate = all honoured), failing closed on a shallow range, replace
 * refs or grafts.  The caller frees both, whatever the answer.
 */
int cli_judge_range(struct review **r, struct queue **q, struct session *s, struct queue_cli *qc);

/* Evaluates decisions into the items' status (a warning if that fails). */
void cli_apply_decisions(struct session *s, struct queue *q, const struct queue_cli *qc);

int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_cache(int argc, char **argv);
int cmd_approve(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_attest(int argc, char **argv);
int cmd_sync(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_console(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_hook(int argc, char **argv);
int cmd_setup(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
/* The names of revq init's policy templates, sorted; dir receives their folder. */
int cli_template_names(struct strvec *out, struct strbuf *dir);
/* `revq __complete WHAT`: words for the shell completion scripts (cmd_complete.c). */
int cmd_complete(int argc, char **argv, const struct cli_command *commands, size_t nr);
int cmd_comment(int argc, char **argv);
int cmd_comments(int argc, char **argv);

/* ---- comments (cmd_comment.c), shared with revq show ---- */

struct comment_set;
struct comment_map;
/* Places a commit's comments on its diff (read only when some comment is on a line). */
int cli_comments_place(struct comment_map *map, struct session *s, const struct comment_set *set,
		       const git_oid *commit);
/* Each comment as two escaped lines: where it is (outdated or not), then who said what. */
void cli_comments_text(struct strbuf *out, const struct comment_set *set, const struct comment_map *map,
		       const char *indent);
/* The comments as a JSON array under key; item is the commit they are shown on. */
void cli_comments_json(struct json *j, const char *key, const struct comment_set *set,
		       const struct comment_map *map, const git_oid *item);

/* Runs the console if stdout and stdin are terminals, else the list. */
int cmd_default(int argc, char **argv);

#endif
