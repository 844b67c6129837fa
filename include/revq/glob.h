/*
 * glob.h: path patterns with gitignore-like rules.
 *
 *   - a pattern without '/' matches the file name at any depth ("*.tf");
 *   - a pattern with '/' is anchored at the top ("infra/main.tf");
 *   - '*' and '?' stay inside one path component, "[...]" is a class;
 *   - "**" matches any number of directories ("infra/ **" and "** /auth/ **", written here with spaces).
 */
#ifndef REVQ_GLOB_H
#define REVQ_GLOB_H

/* 1 when path matches pattern; case-sensitive, like git. */
int glob_match_path(const char *pattern, const char *path);

#endif
