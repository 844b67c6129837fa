/*
 * glob.h: path patterns with gitignore-like rules.
 *
 *   - a pattern without '/' (other than a trailing one) matches a file or
 *     directory name at any depth ("*.tf", "infra/");
 *   - a pattern with another '/' is anchored at the top ("infra/main.tf",
 *     "/infra"); a leading '/' only anchors;
 *   - a trailing '/' means a directory; a pattern that matches a directory
 *     covers everything below it ("infra", "infra/ *" cover infra/prod/a.tf);
 *   - trailing blanks are dropped unless escaped with a backslash;
 *   - '*' and '?' stay inside one path component, "[...]" is a class;
 *   - "**" matches any number of directories ("infra/ **" and "** /auth/ **", written here with spaces).
 */
#ifndef REVQ_GLOB_H
#define REVQ_GLOB_H

/* The longest pattern accepted; a longer one is an error, not a silent no-match. */
#define GLOB_MAX 4096

/*
 * 0 when pattern can be used; else -1 and *why says why (too long, empty,
 * with '//', or negated with '!', which means nothing for a single rule).
 */
int glob_check(const char *pattern, const char **why);

/*
 * 1 when path (a file's path) matches pattern or lies below a directory
 * that does; case-sensitive, like git.  A pattern glob_check() refuses
 * matches every path (fail closed: callers refuse such patterns first).
 */
int glob_match_path(const char *pattern, const char *path);

#endif
