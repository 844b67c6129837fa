/*
 * fs.h: the few file-system chores revq has, in one place: where
 * temporary files go ($TMPDIR, else /tmp: the only reader of TMPDIR),
 * a private temporary file with given contents, making directories, and
 * where revq's installed data files are.
 */
#ifndef REVQ_FS_H
#define REVQ_FS_H

#include <stddef.h>
#include <sys/types.h>

#include "base/strbuf.h"

/* $TMPDIR when set and not empty, else "/tmp"; not owned. */
const char *fs_tmpdir(void);
/*
 * Creates a new file readable by the user alone, named after prefix
 * ("revq-policy"), in fs_tmpdir(), holding len bytes of data; its path is
 * left in path.  The caller unlinks it.  REVQ_ERROR with a reason.
 */
int fs_temp_file(struct strbuf *path, const char *prefix, const void *data, size_t len);
/*
 * Where revq's data file `name` is: $REVQ_DATADIR/name when that is set,
 * else the installed pkgdatadir's, else (not installed yet: ./revq in
 * the build tree) the source tree's share/revq/name.
 */
void fs_data_path(struct strbuf *out, const char *name);
/* Creates dir and its missing parents with mode (like mkdir -p); 0 or -1 with errno. */
int fs_mkdir_p(const char *dir, mode_t mode);

#endif
