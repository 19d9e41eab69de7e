/* data.c - the data sets behind data.h: one table of sources (name, open, sample),
 * the 2D toy distributions drawn fresh from the caller's RNG, 2D points read from a
 * CSV file, and MNIST-format IDX images (plain or .gz through zlib, which reads both).
 * Every malformed input is an error value with one line naming the file; no input
 * may crash the reader, since users point it at arbitrary folders. */
#include "data.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "fileio.h"

#define DATA_PI        3.14159265358979323846
#define CSV_MAX_POINTS 10000000L
#define IDX_MAX_BYTES  100000000ULL /* larger than any real data set we expect: refuse */
#define IDX_CHUNK      (1u << 20)
#define DATA_PATH_MAX  1100
#define SPIRAL_NOISE   0.02f
#define MOONS_NOISE    0.05f
#define CIRCLES_NOISE  0.03f

typedef gs_status (*source_open_fn)(dataset *ds, const char *path, gs_error *err);
/* Draws one row of ds->dim floats. */
typedef void (*source_sample_fn)(const dataset *ds, rng *r, float *out);

typedef struct data_source {
    const char *name;
    source_open_fn open;
    source_sample_fn sample;
} data_source;

static void set_view(dataset *ds, float xmin, float xmax, float ymin, float ymax) {
    ds->view[0] = xmin;
    ds->view[1] = xmax;
    ds->view[2] = ymin;
    ds->view[3] = ymax;
}

/* ---- generated sources ---- */

static gs_status ring8_open(dataset *ds, const char *path, gs_error *err) {
    ds->n_modes = 8;
    for (int k = 0; k < 8; k++) {
        double a = 2.0 * DATA_PI * k / 8.0;
        ds->modes[2 * k] = (float)cos(a);
        ds->modes[2 * k + 1] = (float)sin(a);
    }
    ds->sigma = 0.01f;
    set_view(ds, -1.5f, 1.5f, -1.5f, 1.5f);
    return GS_OK;
}

static gs_status grid25_open(dataset *ds, const char *path, gs_error *err) {
    ds->n_modes = 25;
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++) {
            int k = i * 5 + j;
            ds->modes[2 * k] = (float)(-4 + 2 * i);
            ds->modes[2 * k + 1] = (float)(-4 + 2 * j);
        }
    ds->sigma = 0.05f;
    set_view(ds, -6.0f, 6.0f, -6.0f, 6.0f);
    return GS_OK;
}

static void mixture_sample(const dataset *ds, rng *r, float *out) {
    uint32_t k = rng_below(r, (uint32_t)ds->n_modes);
    out[0] = ds->modes[2 * k] + ds->sigma * rng_normal(r);
    out[1] = ds->modes[2 * k + 1] + ds->sigma * rng_normal(r);
}

/* Views are square so that plots keep the aspect ratio of the data. */
static gs_status spiral_open(dataset *ds, const char *path, gs_error *err) {
    set_view(ds, -1.75f, 1.75f, -1.75f, 1.75f);
    return GS_OK;
}

/* One and a half turns, radius growing linearly to 1.4; sqrt(u) keeps the density
 * along the arm roughly even instead of crowding the centre. */
static void spiral_sample(const dataset *ds, rng *r, float *out) {
    float t = 3.0f * (float)DATA_PI * sqrtf(rng_uniform(r));
    float rad = 1.4f * t / (3.0f * (float)DATA_PI);
    out[0] = rad * cosf(t) + SPIRAL_NOISE * rng_normal(r);
    out[1] = rad * sinf(t) + SPIRAL_NOISE * rng_normal(r);
}

static gs_status moons_open(dataset *ds, const char *path, gs_error *err) {
    set_view(ds, -2.0f, 2.0f, -2.0f, 2.0f);
    return GS_OK;
}

/* The two interleaved half circles of scikit-learn's make_moons, centred on the
 * origin: x in [-1.5, 1.5], y in [-0.75, 0.75]. */
static void moons_sample(const dataset *ds, rng *r, float *out) {
    float t = (float)DATA_PI * rng_uniform(r);
    float x, y;
    if (rng_below(r, 2) == 0) {
        x = cosf(t);
        y = sinf(t);
    } else {
        x = 1.0f - cosf(t);
        y = 0.5f - sinf(t);
    }
    out[0] = x - 0.5f + MOONS_NOISE * rng_normal(r);
    out[1] = y - 0.25f + MOONS_NOISE * rng_normal(r);
}

static gs_status circles_open(dataset *ds, const char *path, gs_error *err) {
    set_view(ds, -1.5f, 1.5f, -1.5f, 1.5f);
    return GS_OK;
}

/* Two concentric circles of radius 1 and 0.5, equally likely. */
static void circles_sample(const dataset *ds, rng *r, float *out) {
    float rad = rng_below(r, 2) == 0 ? 1.0f : 0.5f;
    float t = 2.0f * (float)DATA_PI * rng_uniform(r);
    out[0] = rad * cosf(t) + CIRCLES_NOISE * rng_normal(r);
    out[1] = rad * sinf(t) + CIRCLES_NOISE * rng_normal(r);
}

/* ---- csv ---- */

/* Parses "x,y" (spaces allowed around each number); 1 when both are finite floats. */
static int csv_parse_xy(const char *s, float *x, float *y) {
    double v[2];
    for (int i = 0; i < 2; i++) {
        char *end;
        v[i] = strtod(s, &end);
        if (end == s || !isfinite(v[i]) || fabs(v[i]) > FLT_MAX) return 0;
        s = end;
        while (isspace((unsigned char)*s)) s++;
        if (i == 0) {
            if (*s != ',') return 0;
            s++;
        }
    }
    if (*s != '\0') return 0;
    *x = (float)v[0];
    *y = (float)v[1];
    return 1;
}

/* A first line that does not start with a number is a header ("x,y", "a;b"...). */
static int csv_starts_numeric(const char *s) {
    char *end;
    strtod(s, &end);
    return end != s;
}

static gs_status csv_append(dataset *ds, long *cap, float x, float y, const char *path,
                            gs_error *err) {
    if (ds->n_points >= CSV_MAX_POINTS)
        return gs_fail(err, GS_ERR_FORMAT, "%s: more than %ld points", path, CSV_MAX_POINTS);
    if (ds->n_points == *cap) {
        long ncap = *cap ? *cap * 2 : 1024;
        if (ncap > CSV_MAX_POINTS) ncap = CSV_MAX_POINTS;
        float *np = realloc(ds->points, (size_t)ncap * 2 * sizeof *np);
        if (!np) return gs_fail(err, GS_ERR_NOMEM, "%s: out of memory for %ld points", path, ncap);
        ds->points = np;
        *cap = ncap;
    }
    ds->points[2 * ds->n_points] = x;
    ds->points[2 * ds->n_points + 1] = y;
    ds->n_points++;
    return GS_OK;
}

static gs_status csv_read(FILE *fp, dataset *ds, const char *path, gs_error *err) {
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    long lineno = 0, cap = 0;
    int seen_content = 0;
    gs_status st = GS_OK;
    while (st == GS_OK && (len = getline(&line, &lcap, fp)) >= 0) {
        lineno++;
        /* An embedded NUL would hide the rest of the line from the parser. */
        int has_nul = strlen(line) != (size_t)len;
        char *hash = strchr(line, '#');
        if (hash) *hash = '\0';
        char *s = line;
        while (isspace((unsigned char)*s)) s++;
        size_t n = strlen(s);
        while (n > 0 && isspace((unsigned char)s[n - 1])) s[--n] = '\0';
        if (n == 0 && !has_nul) continue;
        float x, y;
        if (!has_nul && csv_parse_xy(s, &x, &y)) {
            st = csv_append(ds, &cap, x, y, path, err);
        } else if (!seen_content && !has_nul && !csv_starts_numeric(s)) {
            /* header line */
        } else {
            st = gs_fail(err, GS_ERR_FORMAT, "%s:%ld: expected two numbers x,y", path, lineno);
        }
        seen_content = 1;
    }
    if (st == GS_OK && ferror(fp))
        st = gs_fail(err, GS_ERR_IO, "%s: read error: %s", path, strerror(errno));
    free(line);
    return st;
}

static gs_status csv_open(dataset *ds, const char *path, gs_error *err) {
    if (!path[0])
        return gs_fail(err, GS_ERR_VALUE, "data source csv needs a file path (data.path)");
    FILE *fp = fopen(path, "r");
    if (!fp) return gs_fail(err, GS_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    /* Numbers use '.' whatever locale a front-end has set (ncurses needs one). */
    locale_t cloc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    locale_t old = cloc ? uselocale(cloc) : (locale_t)0;
    gs_status st = csv_read(fp, ds, path, err);
    if (cloc) {
        uselocale(old);
        freelocale(cloc);
    }
    fclose(fp);
    if (st != GS_OK) return st;
    if (ds->n_points == 0) return gs_fail(err, GS_ERR_FORMAT, "%s: no points (empty file)", path);

    double lo[2] = {ds->points[0], ds->points[1]}, hi[2] = {lo[0], lo[1]};
    for (long i = 1; i < ds->n_points; i++)
        for (int c = 0; c < 2; c++) {
            double v = ds->points[2 * i + c];
            if (v < lo[c]) lo[c] = v;
            if (v > hi[c]) hi[c] = v;
        }
    for (int c = 0; c < 2; c++) {
        double m = 0.1 * (hi[c] - lo[c]);
        if (m <= 0.0) m = fabs(lo[c]) > 10.0 ? 0.1 * fabs(lo[c]) : 1.0; /* all equal */
        ds->view[2 * c] = (float)fmax(lo[c] - m, -FLT_MAX);
        ds->view[2 * c + 1] = (float)fmin(hi[c] + m, FLT_MAX);
    }
    return GS_OK;
}

static void csv_sample(const dataset *ds, rng *r, float *out) {
    uint32_t i = rng_below(r, (uint32_t)ds->n_points);
    out[0] = ds->points[2 * (size_t)i];
    out[1] = ds->points[2 * (size_t)i + 1];
}

/* ---- IDX files ---- */

/* Reads up to n bytes; returns the count, or -1 on a zlib or system error. */
static long long gz_read_full(gzFile gz, uint8_t *buf, unsigned long long n) {
    unsigned long long got = 0;
    while (got < n) {
        unsigned want = n - got > IDX_CHUNK ? IDX_CHUNK : (unsigned)(n - got);
        int k = gzread(gz, buf + got, want);
        if (k < 0) return -1;
        if (k == 0) break;
        got += (unsigned)k;
    }
    return (long long)got;
}

static gs_status gz_error(gzFile gz, const char *path, gs_error *err) {
    int code;
    const char *msg = gzerror(gz, &code);
    if (code == Z_ERRNO)
        return gs_fail(err, GS_ERR_IO, "%s: read error: %s", path, strerror(errno));
    return gs_fail(err, GS_ERR_FORMAT, "%s: corrupt gzip data: %s", path, msg);
}

/* zlib reports a compressed stream that stops early as Z_BUF_ERROR, not as an error. */
static int gz_truncated(gzFile gz) {
    int code;
    gzerror(gz, &code);
    return code == Z_BUF_ERROR;
}

/* Reads exactly total bytes into a buffer that grows with the data actually
 * present, so a 16-byte file claiming 100 MB costs no 100 MB allocation. */
static gs_status idx_read_data(gzFile gz, const char *path, unsigned long long total,
                               uint8_t **data, gs_error *err) {
    unsigned long long cap = total < IDX_CHUNK ? total : IDX_CHUNK, got = 0;
    uint8_t *buf = malloc(cap);
    if (!buf) return gs_fail(err, GS_ERR_NOMEM, "%s: out of memory", path);
    for (;;) {
        long long k = gz_read_full(gz, buf + got, cap - got);
        if (k < 0) {
            free(buf);
            return gz_error(gz, path, err);
        }
        got += (unsigned long long)k;
        if (got < cap || cap == total) break;
        unsigned long long ncap = cap * 2 < total ? cap * 2 : total;
        uint8_t *nb = realloc(buf, ncap);
        if (!nb) {
            free(buf);
            return gs_fail(err, GS_ERR_NOMEM, "%s: out of memory for %llu bytes", path, ncap);
        }
        buf = nb;
        cap = ncap;
    }
    if (got < total) {
        free(buf);
        return gs_fail(err, GS_ERR_FORMAT, "%s: truncated: expected %llu bytes of data, got %llu",
                       path, total, got);
    }
    uint8_t extra;
    long long k = gz_read_full(gz, &extra, 1);
    if (k != 0) {
        free(buf);
        if (k < 0) return gz_error(gz, path, err);
        return gs_fail(err, GS_ERR_FORMAT, "%s: trailing bytes after %llu bytes of data", path,
                       total);
    }
    if (gz_truncated(gz)) { /* the data came through but the CRC trailer did not */
        free(buf);
        return gs_fail(err, GS_ERR_FORMAT, "%s: truncated gzip stream (no trailer)", path);
    }
    *data = buf;
    return GS_OK;
}

static gs_status idx_read_gz(gzFile gz, const char *path, uint8_t **data, int *ndim, int dims[3],
                             gs_error *err) {
    uint8_t head[4 + 4 * 3];
    long long got = gz_read_full(gz, head, 4);
    if (got < 0) return gz_error(gz, path, err);
    if (got < 4) {
        if (gz_truncated(gz))
            return gs_fail(err, GS_ERR_FORMAT, "%s: truncated gzip stream (ends in the header)",
                           path);
        if (got == 0) return gs_fail(err, GS_ERR_FORMAT, "%s: empty file, expected IDX data", path);
        return gs_fail(err, GS_ERR_FORMAT, "%s: too short for an IDX file (%lld bytes)", path, got);
    }
    if (head[0] != 0 || head[1] != 0)
        return gs_fail(err, GS_ERR_FORMAT, "%s: not an IDX file (bad magic number)", path);
    if (head[2] != 0x08)
        return gs_fail(err, GS_ERR_FORMAT,
                       "%s: IDX element type 0x%02x is not supported (only unsigned bytes, 0x08)",
                       path, head[2]);
    int nd = head[3];
    if (nd < 1 || nd > 3)
        return gs_fail(err, GS_ERR_FORMAT, "%s: IDX file has %d dimensions (expected 1 to 3)", path,
                       nd);
    got = gz_read_full(gz, head + 4, 4 * (unsigned)nd);
    if (got < 0) return gz_error(gz, path, err);
    if (got < 4 * nd)
        return gs_fail(err, GS_ERR_FORMAT, "%s: truncated header: expected %d dimension sizes%s",
                       path, nd, gz_truncated(gz) ? " (gzip stream ends early)" : "");
    uint32_t d[3] = {0, 0, 0};
    unsigned long long total = 1;
    for (int i = 0; i < nd; i++) {
        const uint8_t *p = head + 4 + 4 * i;
        d[i] = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
        if (d[i] == 0)
            return gs_fail(err, GS_ERR_FORMAT, "%s: dimension %d has size 0", path, i + 1);
        /* Saturate: a factor below 2^32 times at most 1e8 cannot overflow 64 bits. */
        total = total > IDX_MAX_BYTES ? total : total * d[i];
    }
    if (total > IDX_MAX_BYTES) {
        char shape[48];
        if (nd == 1)
            snprintf(shape, sizeof shape, "%u", d[0]);
        else if (nd == 2)
            snprintf(shape, sizeof shape, "%u x %u", d[0], d[1]);
        else
            snprintf(shape, sizeof shape, "%u x %u x %u", d[0], d[1], d[2]);
        return gs_fail(err, GS_ERR_FORMAT, "%s: absurd size %s (more than %llu bytes)", path, shape,
                       IDX_MAX_BYTES);
    }
    gs_status st = idx_read_data(gz, path, total, data, err);
    if (st != GS_OK) return st;
    if (ndim) *ndim = nd;
    if (dims)
        for (int i = 0; i < 3; i++) dims[i] = (int)d[i];
    return GS_OK;
}

gs_status idx_read(const char *path, uint8_t **data, int *ndim, int dims[3], gs_error *err) {
    *data = NULL;
    if (ndim) *ndim = 0;
    if (dims) dims[0] = dims[1] = dims[2] = 0;
    errno = 0;
    gzFile gz = gzopen(path, "rb");
    if (!gz)
        return gs_fail(err, GS_ERR_IO, "%s: cannot open: %s", path,
                       errno ? strerror(errno) : "out of memory");
    gs_status st = idx_read_gz(gz, path, data, ndim, dims, err);
    gzclose(gz);
    return st;
}

static void put_be32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

gs_status idx_write_images(const char *path, const uint8_t *pix, long n, int h, int w,
                           gs_error *err) {
    if (n < 1 || h < 1 || w < 1 ||
        (unsigned long long)n * (unsigned long long)h * (unsigned long long)w > IDX_MAX_BYTES)
        return gs_fail(err, GS_ERR_VALUE,
                       "%s: cannot write %ld images of %d x %d (each size >= 1, at most %llu "
                       "bytes)",
                       path, n, h, w, IDX_MAX_BYTES);
    uint8_t head[16] = {0, 0, 0x08, 3};
    put_be32(head + 4, (uint32_t)n);
    put_be32(head + 8, (uint32_t)h);
    put_be32(head + 12, (uint32_t)w);
    atomic_file f;
    gs_status st = atomic_open(&f, path, err);
    if (st != GS_OK) return st;
    size_t bytes = (size_t)n * (size_t)h * (size_t)w;
    if (fwrite(head, 1, sizeof head, f.fp) != sizeof head || fwrite(pix, 1, bytes, f.fp) != bytes) {
        int e = errno;
        atomic_abort(&f);
        return gs_fail(err, GS_ERR_IO, "%s: write failed: %s", path, strerror(e));
    }
    return atomic_commit(&f, err);
}

/* ---- idx: a folder of MNIST-format files ---- */

/* Finds dir/base or dir/base.gz (plain first); 1 when one exists. */
static int idx_find(const char *dir, const char *base, char *out, size_t cap) {
    struct stat sb;
    snprintf(out, cap, "%s/%s", dir, base);
    if (stat(out, &sb) == 0) return 1;
    snprintf(out, cap, "%s/%s.gz", dir, base);
    return stat(out, &sb) == 0;
}

static gs_status idx_load_images(const char *file, uint8_t **pix, long *n, int *h, int *w,
                                 gs_error *err) {
    int nd, d[3];
    gs_status st = idx_read(file, pix, &nd, d, err);
    if (st != GS_OK) return st;
    if (nd != 3) {
        free(*pix);
        *pix = NULL;
        return gs_fail(err, GS_ERR_FORMAT,
                       "%s: expected images (3 dimensions: count, rows, columns), got %d "
                       "dimension(s)",
                       file, nd);
    }
    *n = d[0];
    *h = d[1];
    *w = d[2];
    return GS_OK;
}

static gs_status idx_load_labels(const char *file, long n_images, uint8_t **lab, gs_error *err) {
    int nd, d[3];
    gs_status st = idx_read(file, lab, &nd, d, err);
    if (st != GS_OK) return st;
    if (nd != 1 || d[0] != n_images) {
        free(*lab);
        *lab = NULL;
        if (nd != 1)
            return gs_fail(err, GS_ERR_FORMAT,
                           "%s: expected labels (1 dimension), got %d dimensions", file, nd);
        return gs_fail(err, GS_ERR_FORMAT, "%s: %d labels for %ld images", file, d[0], n_images);
    }
    return GS_OK;
}

static gs_status idx_open(dataset *ds, const char *path, gs_error *err) {
    const char *dir = path[0] ? path : DATA_FASHION_DIR;
    const char *hint = strcmp(dir, DATA_FASHION_DIR) == 0
                           ? " (install the Debian package dataset-fashion-mnist)"
                           : "";
    if (strlen(dir) > DATA_PATH_MAX - 40)
        return gs_fail(err, GS_ERR_VALUE, "%s: folder path too long", dir);
    struct stat sb;
    if (stat(dir, &sb) != 0)
        return gs_fail(err, GS_ERR_IO, "%s: cannot open folder: %s%s", dir, strerror(errno), hint);
    if (!S_ISDIR(sb.st_mode))
        return gs_fail(err, GS_ERR_IO, "%s: not a folder (idx wants a folder of IDX files)%s", dir,
                       hint);

    char file[DATA_PATH_MAX];
    if (!idx_find(dir, "train-images-idx3-ubyte", file, sizeof file))
        return gs_fail(err, GS_ERR_IO, "%s: no train-images-idx3-ubyte or .gz in this folder%s",
                       dir, hint);
    ds->kind = DATA_IMAGES;
    gs_status st = idx_load_images(file, &ds->images, &ds->n_images, &ds->height, &ds->width, err);
    if (st != GS_OK) return st;
    ds->dim = ds->width * ds->height;
    if (idx_find(dir, "train-labels-idx1-ubyte", file, sizeof file)) {
        st = idx_load_labels(file, ds->n_images, &ds->labels, err);
        if (st != GS_OK) return st;
    }

    if (idx_find(dir, "t10k-images-idx3-ubyte", file, sizeof file)) {
        int h = 0, w = 0;
        st = idx_load_images(file, &ds->test_images, &ds->n_test, &h, &w, err);
        if (st != GS_OK) return st;
        if (h != ds->height || w != ds->width)
            return gs_fail(err, GS_ERR_FORMAT,
                           "%s: test images are %d x %d but training images are %d x %d", file, h,
                           w, ds->height, ds->width);
        if (idx_find(dir, "t10k-labels-idx1-ubyte", file, sizeof file)) {
            st = idx_load_labels(file, ds->n_test, &ds->test_labels, err);
            if (st != GS_OK) return st;
        }
    }
    set_view(ds, -1.0f, 1.0f, -1.0f, 1.0f);
    return GS_OK;
}

static void idx_sample(const dataset *ds, rng *r, float *out) {
    uint32_t i = rng_below(r, (uint32_t)ds->n_images);
    const uint8_t *row = ds->images + (size_t)i * (size_t)ds->dim;
    for (int j = 0; j < ds->dim; j++) out[j] = row[j] / 127.5f - 1.0f;
}

/* ---- the table of sources ---- */

/* One list gives both the table and the names string, so they cannot disagree. */
#define DATA_SOURCE_LIST(X)                                                                        \
    X(ring8, ring8_open, mixture_sample)                                                           \
    X(grid25, grid25_open, mixture_sample)                                                         \
    X(spiral, spiral_open, spiral_sample)                                                          \
    X(moons, moons_open, moons_sample)                                                             \
    X(circles, circles_open, circles_sample)                                                       \
    X(csv, csv_open, csv_sample)                                                                   \
    X(idx, idx_open, idx_sample)

#define SOURCE_ENTRY(name, open, sample) {#name, open, sample},
#define SOURCE_NAME(name, open, sample)  ", " #name

static const data_source data_source_table[] = {DATA_SOURCE_LIST(SOURCE_ENTRY)};
static const char data_source_names[] = DATA_SOURCE_LIST(SOURCE_NAME);
#define DATA_SOURCE_COUNT ((int)(sizeof data_source_table / sizeof data_source_table[0]))

const char *data_sources(void) {
    return data_source_names + 2; /* skip the leading ", " */
}

static const data_source *find_source(const char *name) {
    for (int i = 0; i < DATA_SOURCE_COUNT; i++)
        if (strcmp(data_source_table[i].name, name) == 0) return &data_source_table[i];
    return NULL;
}

gs_status data_open(const char *source, const char *path, dataset *ds, gs_error *err) {
    memset(ds, 0, sizeof *ds);
    const data_source *src = source ? find_source(source) : NULL;
    if (!src)
        return gs_fail(err, GS_ERR_VALUE, "unknown data source '%s' (accepted: %s)",
                       source ? source : "", data_sources());
    snprintf(ds->name, sizeof ds->name, "%s", src->name);
    ds->kind = DATA_POINTS;
    ds->dim = 2;
    gs_status st = src->open(ds, path ? path : "", err);
    if (st != GS_OK) data_close(ds);
    return st;
}

void data_close(dataset *ds) {
    if (!ds) return;
    free(ds->points);
    free(ds->images);
    free(ds->labels);
    free(ds->test_images);
    free(ds->test_labels);
    memset(ds, 0, sizeof *ds);
}

void data_batch(const dataset *ds, rng *r, float *out, int n) {
    const data_source *src = find_source(ds->name);
    assert(src && "data_batch on a data set that data_open did not fill");
    if (!src) return;
    for (int i = 0; i < n; i++) src->sample(ds, r, out + (size_t)i * (size_t)ds->dim);
}
