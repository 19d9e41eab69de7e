/* fileio.h - atomic file output: write to a temporary file beside the target,
 * fsync, then rename over it. A crash or an error never leaves a half-written
 * file under the final name. */
#ifndef GS_FILEIO_H
#define GS_FILEIO_H

#include <stdio.h>

#include "status.h"

typedef struct atomic_file {
    FILE *fp;
    char path[1024];
    char tmp[1040];
} atomic_file;

gs_status atomic_open(atomic_file *f, const char *path, gs_error *err);
/* Flushes, syncs and renames; on any failure removes the temporary file. */
gs_status atomic_commit(atomic_file *f, gs_error *err);
/* Drops the temporary file; the target is untouched. */
void atomic_abort(atomic_file *f);

/* Reads a whole file into a malloc'd, NUL-terminated buffer. */
gs_status file_read_all(const char *path, char **data, size_t *len, gs_error *err);

#endif
