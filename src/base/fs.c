/*
 * fs.c: temporary files and directories (see fs.h).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"
#include "base/fs.h"

const char *fs_tmpdir(void)
{
	const char *base = getenv("TMPDIR");

	return base && *base ? base : "/tmp";
}

int fs_temp_file(struct strbuf *path, const char *prefix, const void *data, size_t len)
{
	int fd, rc = 0;

	strbuf_reset(path);
	strbuf_addf(path, "%s/%s-XXXXXX", fs_tmpdir(), prefix);
	fd = mkstemp(path->buf);   /* mode 0600 */
	if (fd < 0)
		return error_set(REVQ_ERROR, "cannot create a temporary file: %s", strerror(errno));
	if (len && write(fd, data, len) != (ssize_t)len) {
		rc = error_set(REVQ_ERROR, "cannot write a temporary file: %s", strerror(errno));
		unlink(path->buf);
	}
	close(fd);
	return rc;
}

int fs_mkdir_p(const char *dir, mode_t mode)
{
	char *copy = xstrdup(dir);
	int rc = 0;

	for (char *p = copy + 1; *p && !rc; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, mode) && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	if (!rc && mkdir(copy, mode) && errno != EEXIST)
		rc = -1;
	free(copy);
	return rc;
}

void fs_data_path(struct strbuf *out, const char *name)
{
	const char *dir = getenv("REVQ_DATADIR");
	size_t start = out->len;

	strbuf_addf(out, "%s/%s", dir && *dir ? dir : REVQ_PKGDATADIR, name);
	if (!(dir && *dir) && access(out->buf + start, F_OK) && errno == ENOENT) {
		strbuf_setlen(out, start);
		strbuf_addf(out, "%s/%s", REVQ_SRCDATADIR, name);
	}
}
