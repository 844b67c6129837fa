/*
 * strbuf.h: growable byte strings, in the style of git's strbuf.
 *
 * A strbuf owns its buffer; strbuf_release() frees it.  The buffer is
 * always NUL-terminated, but may also hold NUL bytes (len is the truth).
 * Allocation failure aborts: revq cannot do anything useful without memory.
 */
#ifndef REVQ_STRBUF_H
#define REVQ_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;   /* never NULL after init; owned */
	size_t len;
	size_t alloc;
};

#define STRBUF_INIT { strbuf_empty, 0, 0 }
extern char strbuf_empty[];

void strbuf_init(struct strbuf *sb, size_t hint);
void strbuf_release(struct strbuf *sb);
/* Hands the buffer to the caller, who frees it; sb is left empty. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_reset(struct strbuf *sb);
void strbuf_setlen(struct strbuf *sb, size_t len);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
void strbuf_addchars(struct strbuf *sb, char c, size_t n);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/*
 * Without printf's cost (hundreds of instructions a call, and a list
 * formats ten thousand lines): v in decimal, right-aligned in width
 * columns like "%*lld"; s padded with spaces to width columns of bytes,
 * like "%*s" (right-aligned) when width > 0 and "%-*s" when width < 0.
 */
void strbuf_addint(struct strbuf *sb, long long v, int width);
void strbuf_addpadded(struct strbuf *sb, const char *s, int width);
void strbuf_trim_trailing_newline(struct strbuf *sb);
/* Appends the whole file at path; -1 (errno set) when it cannot be read. */
int strbuf_read_file(struct strbuf *sb, const char *path);

/* Writes v in decimal, NUL-terminated, at buf; returns the digits written. */
#define DECIMAL_MAX 21   /* the buffer it needs: 20 digits and the NUL */
size_t decimal_format(char buf[DECIMAL_MAX], unsigned long long v);

/* Allocation helpers that abort on failure; results are freed with free(). */
void die_out_of_memory(size_t size) __attribute__((noreturn));
void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Grows an array of `alloc` elements so that it holds at least `nr`. */
/* The number of elements of an array (not of a pointer). */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define ALLOC_GROW(array, nr, alloc) do { \
	if ((nr) > (alloc)) { \
		(alloc) = (alloc) < 16 ? 16 : (alloc) * 2; \
		if ((alloc) < (nr)) (alloc) = (nr); \
		(array) = xrealloc((array), (alloc) * sizeof(*(array))); \
	} \
} while (0)

/*
 * The lines of a buffer, one a call, as every reader of notes, messages
 * and tool output walks them:
 *
 *	struct lines it = LINES_INIT(text, len);
 *	const char *line;
 *	size_t n;
 *
 *	while (lines_next(&it, &line, &n))
 *		... line[0..n), without its '\n' ...
 *
 * A last line without '\n' counts; an empty buffer has no lines.  The
 * lines point into the buffer, which the caller keeps.
 */
struct lines {
	const char *p, *end;   /* not owned */
};
#define LINES_INIT(text, len) { (text), (text) + (len) }
int lines_next(struct lines *it, const char **line, size_t *len);

#endif
