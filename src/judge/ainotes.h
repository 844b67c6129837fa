/*
 * ainotes.h: AI-attribution notes in the Git AI Standard (v3.0.0, the
 * git-ai project: github.com/git-ai-project/git-ai, its
 * specs/git_ai_standard_v3.0.0.md), one note per commit under
 * refs/notes/ai:
 *
 *     src/main.rs
 *       s_c9883b05a2487d::t_9f8e7d6c5b4a32 1-10,15-20
 *       h_31dce776f88375 42-50
 *     "src/my file.rs"
 *       abcd1234abcd1234 1-50
 *     ---
 *     {"schema_version": "authorship/3.0.0", "prompts": {...},
 *      "sessions": {"s_c9883b05a2487d": {"agent_id": {"tool": "cursor",
 *      "model": "..."}}}, "humans": {...}}
 *
 * Before the `---` line: per file (a path at the start of a line, in
 * double quotes when it holds blanks), the lines of that file in the
 * commit written by each author key, two spaces in.  Keys `s_<hex>::t_<hex>`
 * are AI sessions (looked up in "sessions"), bare hex keys legacy AI
 * prompts ("prompts"), `h_<hex>` known humans; lines under no key are
 * untracked.  After it, JSON metadata naming each session's tool and model.
 *
 * A note is untrusted text anybody can push: it is parsed within bounds
 * (AINOTE_MAX_BYTES, files, ranges, nesting), never trusted beyond "this
 * commit claims AI authorship of these lines", which only ever adds
 * review.  Tool and model names are cut to AINOTE_MAX_NAME bytes and
 * kept to [A-Za-z0-9._:/@+-] (anything else becomes '?').  The notes
 * are unsigned: a note cannot make a commit less reviewed, only more.
 *
 * An ainote owns its files, ranges and sessions; ainote_release() frees them.
 */
#ifndef REVQ_AINOTES_H
#define REVQ_AINOTES_H

#include <stddef.h>
#include <stdint.h>

#define AINOTES_REF "refs/notes/ai"

#define AINOTE_MAX_BYTES (4u << 20)    /* a larger note is ignored */
#define AINOTE_MAX_FILES 10000
#define AINOTE_MAX_RANGES 100000       /* in all files together */
#define AINOTE_MAX_LINE 100000000u     /* a larger line number ends the note's ranges */
#define AINOTE_MAX_SESSIONS 64         /* distinct AI sessions named */
#define AINOTE_MAX_NAME 64

struct ainote_range {
	uint32_t first, last;   /* inclusive, 1-based */
};

struct ainote_file {
	char *path;                    /* owned */
	struct ainote_range *ranges;   /* owned: lines written by AI sessions, sorted, disjoint */
	size_t nr, alloc;
};

struct ainote_session {
	char key[AINOTE_MAX_NAME + 1];    /* "s_<hex>" or the legacy hex key, sanitised */
	char tool[AINOTE_MAX_NAME + 1];   /* agent_id.tool, sanitised; "unknown" when absent */
	char model[AINOTE_MAX_NAME + 1];  /* agent_id.model, sanitised; may be empty */
	unsigned lines;                   /* lines attributed to it */
};

struct ainote {
	struct ainote_file *files;        /* owned */
	size_t files_nr, files_alloc;
	struct ainote_session *sessions;  /* owned: AI sessions with lines, in note order */
	size_t sessions_nr, sessions_alloc;
	unsigned ai_lines;                /* lines written by AI sessions, all files */
	size_t ranges;                    /* ranges kept, all files */
};

/*
 * Parses a note.  Returns 0 when it is an authorship log (a `---` line
 * followed by metadata whose schema_version starts with "authorship/"),
 * filled into out; else 1, out empty.  Never fails otherwise: what is
 * malformed is skipped.
 */
int ainote_parse(struct ainote *out, const char *text, size_t len);
void ainote_release(struct ainote *note);

/* The file of the note named path, or NULL. */
const struct ainote_file *ainote_file(const struct ainote *note, const char *path);
/* 1 when an AI session wrote line (1-based) of file (NULL: none). */
int ainote_file_has_line(const struct ainote_file *file, uint32_t line);

#endif
