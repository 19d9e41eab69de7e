/* fileio.c - atomic writes (temp + fsync + rename) and whole-file reads. */
#include "fileio.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

gs_status atomic_open(atomic_file *f, const char *path, gs_error *err) {
    memset(f, 0, sizeof *f);
    if (strlen(path) >= sizeof f->path)
        return gs_fail(err, GS_ERR_VALUE, "%s: path too long", path);
    strcpy(f->path, path);
    snprintf(f->tmp, sizeof f->tmp, "%s.tmp%ld", path, (long)getpid());
    f->fp = fopen(f->tmp, "wb");
    if (!f->fp) return gs_fail(err, GS_ERR_IO, "%s: cannot write: %s", path, strerror(errno));
    return GS_OK;
}

gs_status atomic_commit(atomic_file *f, gs_error *err) {
    int bad = ferror(f->fp) != 0;
    if (fflush(f->fp) != 0) bad = 1;
    if (!bad && fsync(fileno(f->fp)) != 0) bad = 1;
    int saved = errno;
    if (fclose(f->fp) != 0) bad = 1;
    f->fp = NULL;
    if (bad) {
        remove(f->tmp);
        return gs_fail(err, GS_ERR_IO, "%s: write failed: %s", f->path, strerror(saved));
    }
    if (rename(f->tmp, f->path) != 0) {
        saved = errno;
        remove(f->tmp);
        return gs_fail(err, GS_ERR_IO, "%s: cannot rename into place: %s", f->path,
                       strerror(saved));
    }
    return GS_OK;
}

void atomic_abort(atomic_file *f) {
    if (f->fp) fclose(f->fp);
    f->fp = NULL;
    remove(f->tmp);
}

gs_status file_read_all(const char *path, char **data, size_t *len, gs_error *err) {
    FILE *fp = fopen(path, "rb");
    if (!fp) return gs_fail(err, GS_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        fclose(fp);
        return gs_fail(err, GS_ERR_NOMEM, "%s: out of memory", path);
    }
    for (;;) {
        if (n == cap) {
            char *nb = realloc(buf, cap * 2 + 1);
            if (!nb) {
                free(buf);
                fclose(fp);
                return gs_fail(err, GS_ERR_NOMEM, "%s: out of memory", path);
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (got == 0) break;
    }
    int bad = ferror(fp);
    fclose(fp);
    if (bad) {
        free(buf);
        return gs_fail(err, GS_ERR_IO, "%s: read error", path);
    }
    buf[n] = '\0';
    *data = buf;
    if (len) *len = n;
    return GS_OK;
}
