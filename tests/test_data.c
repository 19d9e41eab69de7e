/* test_data.c - tests of the data sets (data.h): the generated distributions
 * (exact means and sigma of ring8/grid25, toys inside their view), CSV points
 * (header, comments, bad lines with their number, empty and missing files), the
 * IDX reader against good, gzip, truncated, mis-labelled and hostile files, image
 * folders and their scaling to [-1, 1], and Fashion-MNIST when it is installed.
 * Files are written into one mkdtemp folder that the group teardown removes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "data.h"

static char tmp_dir[64];

static int group_setup(void **state) {
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/gs_test_data_XXXXXX");
    return mkdtemp(tmp_dir) ? 0 : -1;
}

/* Removes every file under dir (one level of subfolders), then dir. */
static void remove_tree(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    char p[512];
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (stat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
            remove_tree(p);
        else
            unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

static int group_teardown(void **state) {
    remove_tree(tmp_dir);
    return 0;
}

static void tmp_path(char *out, size_t n, const char *name) {
    snprintf(out, n, "%s/%s", tmp_dir, name);
}

static void write_bytes(const char *path, const void *buf, size_t n) {
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(buf, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
}

static void write_gz(const char *path, const void *buf, size_t n) {
    gzFile gz = gzopen(path, "wb");
    assert_non_null(gz);
    assert_int_equal(gzwrite(gz, buf, (unsigned)n), (int)n);
    assert_int_equal(gzclose(gz), Z_OK);
}

static void write_text(const char *path, const char *text) {
    write_bytes(path, text, strlen(text));
}

/* An IDX header: magic 0 0 type ndim, then big-endian sizes. Returns its length. */
static size_t idx_header(uint8_t *h, int type, int nd, const uint32_t *dims) {
    h[0] = 0;
    h[1] = 0;
    h[2] = (uint8_t)type;
    h[3] = (uint8_t)nd;
    for (int i = 0; i < nd; i++) {
        h[4 + 4 * i] = (uint8_t)(dims[i] >> 24);
        h[5 + 4 * i] = (uint8_t)(dims[i] >> 16);
        h[6 + 4 * i] = (uint8_t)(dims[i] >> 8);
        h[7 + 4 * i] = (uint8_t)dims[i];
    }
    return 4 + 4 * (size_t)nd;
}

/* Writes header + data (plain or gz) as one IDX file. */
static void write_idx(const char *path, int gz, int nd, const uint32_t *dims, const uint8_t *data,
                      size_t n) {
    uint8_t *buf = malloc(16 + n);
    assert_non_null(buf);
    size_t hl = idx_header(buf, 0x08, nd, dims);
    if (n) memcpy(buf + hl, data, n);
    if (gz)
        write_gz(path, buf, hl + n);
    else
        write_bytes(path, buf, hl + n);
    free(buf);
}

static gs_status read_status(const char *path, gs_error *err) {
    uint8_t *data = (uint8_t *)1;
    int nd = -1, dims[3] = {-1, -1, -1};
    memset(err, 0, sizeof *err);
    gs_status st = idx_read(path, &data, &nd, dims, err);
    if (st == GS_OK)
        free(data);
    else
        assert_null(data);
    return st;
}

/* ---- sources ---- */

static void test_sources_list(void **state) {
    const char *names = data_sources();
    const char *want[] = {"ring8", "grid25", "spiral", "moons", "circles", "csv", "idx"};
    for (int i = 0; i < 7; i++) assert_non_null(strstr(names, want[i]));
    assert_string_equal(names, "ring8, grid25, spiral, moons, circles, csv, idx");

    dataset ds;
    gs_error err = {0};
    assert_int_equal(data_open("ring9", "", &ds, &err), GS_ERR_VALUE);
    assert_non_null(strstr(err.msg, "ring9"));
    assert_non_null(strstr(err.msg, names));
    assert_null(ds.points);
    assert_int_equal(data_open(NULL, NULL, &ds, &err), GS_ERR_VALUE);
}

/* Draws 10000 points and checks that each lies near a mode and that every mode's
 * empirical std per axis is near sigma. */
static void check_mixture(const dataset *ds, uint64_t seed) {
    enum { N = 10000 };
    rng r;
    rng_seed(&r, seed);
    float *x = malloc(N * 2 * sizeof *x);
    assert_non_null(x);
    data_batch(ds, &r, x, N);
    double sum[DATA_MAX_MODES][2] = {{0}}, sq[DATA_MAX_MODES][2] = {{0}};
    long cnt[DATA_MAX_MODES] = {0};
    for (int i = 0; i < N; i++) {
        int best = 0;
        double bd = INFINITY;
        for (int k = 0; k < ds->n_modes; k++) {
            double dx = x[2 * i] - ds->modes[2 * k], dy = x[2 * i + 1] - ds->modes[2 * k + 1];
            double d = sqrt(dx * dx + dy * dy);
            if (d < bd) bd = d, best = k;
        }
        assert_true(bd < 6.0 * ds->sigma); /* P(r > 6 sigma) = exp(-18) per point */
        cnt[best]++;
        for (int c = 0; c < 2; c++) {
            double dv = x[2 * i + c] - ds->modes[2 * best + c];
            sum[best][c] += dv;
            sq[best][c] += dv * dv;
        }
    }
    double expect = (double)N / ds->n_modes;
    for (int k = 0; k < ds->n_modes; k++) {
        assert_true(fabs(cnt[k] - expect) < 6.0 * sqrt(expect)); /* modes drawn uniformly */
        for (int c = 0; c < 2; c++) {
            double mean = sum[k][c] / cnt[k];
            double sd = sqrt(sq[k][c] / cnt[k] - mean * mean);
            assert_true(fabs(mean) < 0.2 * ds->sigma);
            assert_true(fabs(sd / ds->sigma - 1.0) < 0.15);
        }
    }
    free(x);
}

static void test_ring8(void **state) {
    dataset ds;
    gs_error err = {0};
    assert_int_equal(data_open("ring8", "", &ds, &err), GS_OK);
    assert_string_equal(ds.name, "ring8");
    assert_int_equal(ds.kind, DATA_POINTS);
    assert_int_equal(ds.dim, 2);
    assert_int_equal(ds.n_modes, 8);
    assert_float_equal(ds.sigma, 0.01f, 0.0f);
    for (int k = 0; k < 8; k++) {
        double a = 2.0 * M_PI * k / 8.0;
        assert_float_equal(ds.modes[2 * k], cos(a), 1e-6);
        assert_float_equal(ds.modes[2 * k + 1], sin(a), 1e-6);
    }
    assert_float_equal(ds.modes[0], 1.0f, 0.0f);
    assert_float_equal(ds.modes[5], 1.0f, 0.0f); /* k = 2 is (0, 1) */
    float view[4] = {-1.5f, 1.5f, -1.5f, 1.5f};
    for (int i = 0; i < 4; i++) assert_float_equal(ds.view[i], view[i], 0.0f);
    check_mixture(&ds, 1);
    data_close(&ds);
}

static void test_grid25(void **state) {
    dataset ds;
    gs_error err = {0};
    assert_int_equal(data_open("grid25", NULL, &ds, &err), GS_OK);
    assert_int_equal(ds.n_modes, 25);
    assert_float_equal(ds.sigma, 0.05f, 0.0f);
    int seen[5][5] = {{0}};
    for (int k = 0; k < 25; k++) {
        float mx = ds.modes[2 * k], my = ds.modes[2 * k + 1];
        int i = (int)lrintf((mx + 4.0f) / 2.0f), j = (int)lrintf((my + 4.0f) / 2.0f);
        assert_in_range(i, 0, 4);
        assert_in_range(j, 0, 4);
        assert_float_equal(mx, -4.0f + 2.0f * i, 0.0f);
        assert_float_equal(my, -4.0f + 2.0f * j, 0.0f);
        seen[i][j]++;
    }
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++) assert_int_equal(seen[i][j], 1);
    float view[4] = {-6.0f, 6.0f, -6.0f, 6.0f};
    for (int i = 0; i < 4; i++) assert_float_equal(ds.view[i], view[i], 0.0f);
    check_mixture(&ds, 2);
    data_close(&ds);
}

static void test_toys(void **state) {
    const char *names[] = {"spiral", "moons", "circles"};
    enum { N = 10000 };
    float *x = malloc(N * 2 * sizeof *x);
    assert_non_null(x);
    for (int s = 0; s < 3; s++) {
        dataset ds;
        gs_error err = {0};
        rng r;
        rng_seed(&r, 10 + s);
        assert_int_equal(data_open(names[s], "", &ds, &err), GS_OK);
        assert_int_equal(ds.n_modes, 0);
        assert_int_equal(ds.dim, 2);
        assert_null(ds.points);
        assert_true(ds.view[0] < ds.view[1] && ds.view[2] < ds.view[3]);
        data_batch(&ds, &r, x, N);
        double m[2] = {0}, q[2] = {0};
        for (int i = 0; i < N; i++) {
            for (int c = 0; c < 2; c++) {
                float v = x[2 * i + c];
                assert_true(isfinite(v));
                assert_true(v > ds.view[2 * c] && v < ds.view[2 * c + 1]);
                m[c] += v;
                q[c] += (double)v * v;
            }
        }
        for (int c = 0; c < 2; c++) { /* spread out, roughly centred */
            double mean = m[c] / N, sd = sqrt(q[c] / N - mean * mean);
            assert_true(sd > 0.2 && sd < 1.5);
            assert_true(fabs(mean) < 0.5);
        }
        /* The same seed gives the same stream. */
        float a[8], b[8];
        rng_seed(&r, 99);
        data_batch(&ds, &r, a, 4);
        rng_seed(&r, 99);
        data_batch(&ds, &r, b, 4);
        assert_memory_equal(a, b, sizeof a);
        data_close(&ds);
    }
    free(x);
}

/* ---- csv ---- */

static void test_csv_good(void **state) {
    char p[256];
    tmp_path(p, sizeof p, "good.csv");
    write_text(p, "# a comment first\n1,2\r\n3.5, -4\n\n   \n-1e-1,0 # trailing comment\n");
    dataset ds;
    gs_error err = {0};
    assert_int_equal(data_open("csv", p, &ds, &err), GS_OK);
    assert_int_equal(ds.kind, DATA_POINTS);
    assert_int_equal(ds.dim, 2);
    assert_int_equal(ds.n_points, 3);
    assert_int_equal(ds.n_modes, 0);
    float want[6] = {1, 2, 3.5f, -4, -0.1f, 0};
    for (int i = 0; i < 6; i++) assert_float_equal(ds.points[i], want[i], 0.0f);
    /* x in [-0.1, 3.5], y in [-4, 2], 10% margins */
    assert_float_equal(ds.view[0], -0.1 - 0.36, 1e-5);
    assert_float_equal(ds.view[1], 3.5 + 0.36, 1e-5);
    assert_float_equal(ds.view[2], -4.6, 1e-5);
    assert_float_equal(ds.view[3], 2.6, 1e-5);

    rng r;
    rng_seed(&r, 3);
    enum { N = 3000 };
    float x[2 * N];
    data_batch(&ds, &r, x, N);
    int hits[3] = {0};
    for (int i = 0; i < N; i++) {
        int found = -1;
        for (int k = 0; k < 3; k++)
            if (x[2 * i] == want[2 * k] && x[2 * i + 1] == want[2 * k + 1]) found = k;
        assert_true(found >= 0);
        hits[found]++;
    }
    for (int k = 0; k < 3; k++) assert_in_range(hits[k], 800, 1200);
    data_close(&ds);
}

static void test_csv_header(void **state) {
    char p[256];
    dataset ds;
    gs_error err = {0};
    tmp_path(p, sizeof p, "header.csv");
    write_text(p, "x,y\n1,2\n5,5");
    assert_int_equal(data_open("csv", p, &ds, &err), GS_OK);
    assert_int_equal(ds.n_points, 2);
    assert_float_equal(ds.points[3], 5.0f, 0.0f);
    data_close(&ds);

    write_text(p, "\n# comment\nlongitude;latitude\n0.5,0.25\n");
    assert_int_equal(data_open("csv", p, &ds, &err), GS_OK);
    assert_int_equal(ds.n_points, 1);
    /* A single point still gets a view of non-zero size. */
    assert_true(ds.view[0] < 0.5f && ds.view[1] > 0.5f);
    assert_true(ds.view[2] < 0.25f && ds.view[3] > 0.25f);
    data_close(&ds);

    /* Only the first content line may be a header. */
    write_text(p, "x,y\n1,2\nx,y\n");
    assert_int_equal(data_open("csv", p, &ds, &err), GS_ERR_FORMAT);
    assert_non_null(strstr(err.msg, ":3: expected two numbers x,y"));
}

static void test_csv_bad_line(void **state) {
    char p[256], want[300];
    tmp_path(p, sizeof p, "bad.csv");
    struct {
        const char *text;
        int line;
    } cases[] = {
        {"1,2\n3,abc\n", 2}, {"1,2\n\n# c\n5,\n", 4}, {"1,2,3\n", 1},   {"1\n", 1},
        {"nan,1\n", 1},      {"1,inf\n", 1},          {"1e39,0\n", 1},  {"0,0\n1 2\n", 2},
        {"x,y\nfoo\n", 2},   {"1,2x\n", 1},           {"2,3\n,4\n", 2}, {"1,2\n1,\x00\n", 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = strlen(cases[i].text);
        if (i == 11) len = 8; /* embedded NUL */
        write_bytes(p, cases[i].text, len);
        dataset ds;
        gs_error err = {0};
        assert_int_equal(data_open("csv", p, &ds, &err), GS_ERR_FORMAT);
        snprintf(want, sizeof want, "%s:%d: expected two numbers x,y", p, cases[i].line);
        assert_string_equal(err.msg, want);
        assert_null(ds.points);
        data_close(&ds);
    }
}

static void test_csv_empty_missing(void **state) {
    char p[256];
    dataset ds;
    gs_error err = {0};
    tmp_path(p, sizeof p, "empty.csv");
    write_text(p, "");
    assert_int_equal(data_open("csv", p, &ds, &err), GS_ERR_FORMAT);
    assert_non_null(strstr(err.msg, p));
    assert_non_null(strstr(err.msg, "empty"));
    write_text(p, "x,y\n# nothing else\n\n");
    assert_int_equal(data_open("csv", p, &ds, &err), GS_ERR_FORMAT);

    tmp_path(p, sizeof p, "does-not-exist.csv");
    assert_int_equal(data_open("csv", p, &ds, &err), GS_ERR_IO);
    assert_non_null(strstr(err.msg, p));
    assert_int_equal(data_open("csv", "", &ds, &err), GS_ERR_VALUE);
    /* A folder is not a CSV file. */
    assert_int_not_equal(data_open("csv", tmp_dir, &ds, &err), GS_OK);
    data_close(&ds);
}

/* ---- idx ---- */

static void fill_pattern(uint8_t *pix, size_t n) {
    for (size_t i = 0; i < n; i++) pix[i] = (uint8_t)(i * 37 + 11);
}

static void test_idx_roundtrip(void **state) {
    char p[256];
    tmp_path(p, sizeof p, "round-idx3-ubyte");
    uint8_t pix[5 * 3 * 4];
    fill_pattern(pix, sizeof pix);
    gs_error err = {0};
    assert_int_equal(idx_write_images(p, pix, 5, 3, 4, &err), GS_OK);

    FILE *fp = fopen(p, "rb");
    assert_non_null(fp);
    uint8_t head[16];
    assert_int_equal(fread(head, 1, 16, fp), 16);
    fclose(fp);
    uint8_t want[16] = {0, 0, 8, 3, 0, 0, 0, 5, 0, 0, 0, 3, 0, 0, 0, 4};
    assert_memory_equal(head, want, 16);

    uint8_t *data = NULL;
    int nd = 0, dims[3] = {0};
    assert_int_equal(idx_read(p, &data, &nd, dims, &err), GS_OK);
    assert_int_equal(nd, 3);
    assert_int_equal(dims[0], 5);
    assert_int_equal(dims[1], 3);
    assert_int_equal(dims[2], 4);
    assert_memory_equal(data, pix, sizeof pix);
    free(data);

    /* No temporary file is left beside the target. */
    DIR *d = opendir(tmp_dir);
    struct dirent *e;
    while ((e = readdir(d))) assert_null(strstr(e->d_name, ".tmp"));
    closedir(d);

    assert_int_equal(idx_write_images(p, pix, 0, 3, 4, &err), GS_ERR_VALUE);
    assert_int_equal(idx_write_images(p, pix, 1, 0, 4, &err), GS_ERR_VALUE);
    assert_int_equal(idx_write_images(p, pix, 100000, 1000, 1000, &err), GS_ERR_VALUE);
    tmp_path(p, sizeof p, "no-such-dir/x-idx3-ubyte");
    assert_int_equal(idx_write_images(p, pix, 1, 1, 1, &err), GS_ERR_IO);
}

static void test_idx_gz_and_1d(void **state) {
    char p[256];
    tmp_path(p, sizeof p, "img.gz");
    uint8_t pix[7 * 2 * 3];
    fill_pattern(pix, sizeof pix);
    uint32_t dims3[3] = {7, 2, 3};
    write_idx(p, 1, 3, dims3, pix, sizeof pix);
    uint8_t *data = NULL;
    int nd = 0, dims[3] = {0};
    gs_error err = {0};
    assert_int_equal(idx_read(p, &data, &nd, dims, &err), GS_OK);
    assert_int_equal(nd, 3);
    assert_int_equal(dims[0], 7);
    assert_int_equal(dims[1], 2);
    assert_int_equal(dims[2], 3);
    assert_memory_equal(data, pix, sizeof pix);
    free(data);

    tmp_path(p, sizeof p, "labels-1d");
    uint32_t dims1[1] = {9};
    write_idx(p, 0, 1, dims1, pix, 9);
    assert_int_equal(idx_read(p, &data, &nd, dims, &err), GS_OK);
    assert_int_equal(nd, 1);
    assert_int_equal(dims[0], 9);
    assert_int_equal(dims[1], 0);
    assert_memory_equal(data, pix, 9);
    free(data);
}

static void test_idx_bad_files(void **state) {
    char p[256];
    gs_error err;
    uint8_t buf[64] = {0}, pix[60];
    fill_pattern(pix, sizeof pix);
    uint32_t dims3[3] = {5, 3, 4};

    tmp_path(p, sizeof p, "bad-idx");
    /* truncated data, plain and gz */
    write_idx(p, 0, 3, dims3, pix, 10);
    assert_int_equal(read_status(p, &err), GS_ERR_FORMAT);
    char want[400];
    snprintf(want, sizeof want, "%s: truncated: expected 60 bytes of data, got 10", p);
    assert_string_equal(err.msg, want);
    write_idx(p, 1, 3, dims3, pix, 59);
    assert_int_equal(read_status(p, &err), GS_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "truncated"));
    /* trailing bytes */
    write_idx(p, 0, 3, dims3, pix, 60);
    assert_int_equal(read_status(p, &err), GS_OK);
    uint8_t big[16 + 61];
    size_t hl = idx_header(big, 8, 3, dims3);
    memcpy(big + hl, pix, 60);
    big[hl + 60] = 1;
    write_bytes(p, big, hl + 61);
    assert_int_equal(read_status(p, &err), GS_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "trailing"));
    /* truncated header and empty file */
    write_bytes(p, big, 9);
    assert_int_equal(read_status(p, &err), GS_ERR_FORMAT);
    write_bytes(p, big, 2);
    assert_int_equal(read_status(p, &err), GS_ERR_FORMAT);
    write_bytes(p, big, 0);
    assert_int_equal(read_status(p, &err), GS_ERR_FORMAT);
    /* wrong magic: text, other element types, bad ndim */
    write_text(p, "P5\n28 28\n255\n");
    assert_int_equal(read_status(p, &err), GS_ERR_FORMAT);
    assert_non_null(strstr(err.msg, p));
    assert_non_null(strstr(err.msg, "magic"));
    idx_header(buf, 0x0D, 3, dims3);
    write_bytes(p, buf, 64);
    assert_int_equal(read_status(p, &err), GS_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "0x0d"));
    for (int nd = 0; nd <= 255; nd += 4) {
        if (nd >= 1 && nd <= 3) continue;
        memset(buf, 0, sizeof buf);
        buf[2] = 8;
        buf[3] = (uint8_t)nd;
        write_bytes(p, buf, 64);
        assert_int_equal(read_status(p, &err), GS_ERR_FORMAT);
    }
    /* absurd and zero sizes */
    uint32_t huge[3] = {100000, 100000, 100000};
    hl = idx_header(buf, 8, 3, huge);
    write_bytes(p, buf, hl + 8);
    assert_int_equal(read_status(p, &err), GS_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "absurd"));
    uint32_t maxed[3] = {0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu};
    hl = idx_header(buf, 8, 3, maxed);
    write_bytes(p, buf, hl);
    assert_int_equal(read_status(p, &err), GS_ERR_FORMAT);
    uint32_t over1[1] = {100000001};
    hl = idx_header(buf, 8, 1, over1);
    write_bytes(p, buf, hl);
    assert_int_equal(read_status(p, &err), GS_ERR_FORMAT);
    uint32_t zero[3] = {5, 0, 4};
    hl = idx_header(buf, 8, 3, zero);
    write_bytes(p, buf, hl);
    assert_int_equal(read_status(p, &err), GS_ERR_FORMAT);
    /* a gzip file cut short: inside the data, inside the header */
    write_idx(p, 1, 3, dims3, pix, 60);
    FILE *fp = fopen(p, "rb");
    assert_non_null(fp);
    uint8_t gzfull[256];
    size_t gzlen = fread(gzfull, 1, sizeof gzfull, fp);
    fclose(fp);
    assert_true(gzlen > 30 && gzlen < sizeof gzfull);
    for (size_t cut = 1; cut < gzlen; cut++) {
        write_bytes(p, gzfull, cut);
        assert_int_equal(read_status(p, &err), GS_ERR_FORMAT);
    }
    write_bytes(p, gzfull, gzlen - 4); /* without the length trailer */
    assert_int_equal(read_status(p, &err), GS_ERR_FORMAT);
    /* a gzip header followed by garbage */
    uint8_t gzbad[32] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xde, 0xad, 0xbe, 0xef};
    write_bytes(p, gzbad, sizeof gzbad);
    assert_int_equal(read_status(p, &err), GS_ERR_FORMAT);
    /* missing file, and a folder */
    tmp_path(p, sizeof p, "missing-idx");
    assert_int_equal(read_status(p, &err), GS_ERR_IO);
    assert_non_null(strstr(err.msg, p));
    assert_int_not_equal(read_status(tmp_dir, &err), GS_OK);
}

/* Random corruption of a valid file, plain and gz: any answer but a crash. */
static void test_idx_fuzz(void **state) {
    char p[256];
    tmp_path(p, sizeof p, "fuzz-idx");
    rng r;
    rng_seed(&r, 7);
    uint8_t good[16 + 60], buf[16 + 80];
    uint32_t dims3[3] = {5, 3, 4};
    size_t hl = idx_header(good, 8, 3, dims3);
    fill_pattern(good + hl, 60);
    gs_error err;
    int ok = 0;
    for (int it = 0; it < 400; it++) {
        size_t len = rng_below(&r, sizeof buf + 1);
        memcpy(buf, good, len < sizeof good ? len : sizeof good);
        for (size_t i = sizeof good; i < len; i++) buf[i] = (uint8_t)rng_below(&r, 256);
        int flips = 1 + (int)rng_below(&r, 4);
        for (int f = 0; f < flips && len > 0; f++)
            buf[rng_below(&r, (uint32_t)len)] = (uint8_t)rng_below(&r, 256);
        if (it % 2)
            write_gz(p, buf, len);
        else
            write_bytes(p, buf, len);
        gs_status st = read_status(p, &err);
        assert_true(st == GS_OK || st == GS_ERR_FORMAT);
        ok += st == GS_OK;
    }
    assert_true(ok < 400);
}

/* Writes a tiny MNIST-like folder: n train and n_test images h x w with labels. */
static void make_image_dir(const char *dir, long n, long n_test, int h, int w) {
    char p[512];
    assert_int_equal(mkdir(dir, 0700), 0);
    gs_error err = {0};
    size_t sz = (size_t)n * h * w;
    uint8_t *pix = malloc(sz), lab[256];
    assert_non_null(pix);
    fill_pattern(pix, sz);
    for (int i = 0; i < 256; i++) lab[i] = (uint8_t)(i % 10);
    snprintf(p, sizeof p, "%s/train-images-idx3-ubyte", dir);
    assert_int_equal(idx_write_images(p, pix, n, h, w, &err), GS_OK);
    uint32_t d1[1] = {(uint32_t)n};
    snprintf(p, sizeof p, "%s/train-labels-idx1-ubyte.gz", dir);
    write_idx(p, 1, 1, d1, lab, (size_t)n);
    if (n_test > 0) {
        uint32_t d3[3] = {(uint32_t)n_test, (uint32_t)h, (uint32_t)w};
        snprintf(p, sizeof p, "%s/t10k-images-idx3-ubyte.gz", dir);
        write_idx(p, 1, 3, d3, pix, (size_t)n_test * h * w);
        d1[0] = (uint32_t)n_test;
        snprintf(p, sizeof p, "%s/t10k-labels-idx1-ubyte", dir);
        write_idx(p, 0, 1, d1, lab, (size_t)n_test);
    }
    free(pix);
}

static void test_image_folder(void **state) {
    char dir[256], p[512];
    tmp_path(dir, sizeof dir, "imgs");
    make_image_dir(dir, 12, 4, 5, 6);
    dataset ds;
    gs_error err = {0};
    assert_int_equal(data_open("idx", dir, &ds, &err), GS_OK);
    assert_string_equal(ds.name, "idx");
    assert_int_equal(ds.kind, DATA_IMAGES);
    assert_int_equal(ds.height, 5);
    assert_int_equal(ds.width, 6);
    assert_int_equal(ds.dim, 30);
    assert_int_equal(ds.n_images, 12);
    assert_int_equal(ds.n_test, 4);
    assert_non_null(ds.labels);
    assert_non_null(ds.test_images);
    assert_non_null(ds.test_labels);
    uint8_t pix[12 * 30];
    fill_pattern(pix, sizeof pix);
    assert_memory_equal(ds.images, pix, sizeof pix);
    assert_memory_equal(ds.test_images, pix, 4 * 30);
    for (int i = 0; i < 12; i++) assert_int_equal(ds.labels[i], i % 10);
    for (int i = 0; i < 4; i++) assert_int_equal(ds.test_labels[i], i % 10);
    data_close(&ds);

    /* Labels and the test set are optional. */
    tmp_path(dir, sizeof dir, "imgs-bare");
    make_image_dir(dir, 3, 0, 2, 2);
    snprintf(p, sizeof p, "%s/train-labels-idx1-ubyte.gz", dir);
    unlink(p);
    assert_int_equal(data_open("idx", dir, &ds, &err), GS_OK);
    assert_int_equal(ds.n_images, 3);
    assert_null(ds.labels);
    assert_null(ds.test_images);
    assert_int_equal(ds.n_test, 0);
    data_close(&ds);

    /* A label count that differs from the image count. */
    uint8_t lab[5] = {0};
    uint32_t d1[1] = {5};
    write_idx(p, 1, 1, d1, lab, 5);
    assert_int_equal(data_open("idx", dir, &ds, &err), GS_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "5 labels for 3 images"));
    assert_null(ds.images);
    /* Labels given as images, and images given as labels. */
    snprintf(p, sizeof p, "%s/train-labels-idx1-ubyte.gz", dir);
    unlink(p);
    snprintf(p, sizeof p, "%s/train-labels-idx1-ubyte", dir);
    uint8_t one[4] = {0};
    assert_int_equal(idx_write_images(p, one, 3, 1, 1, &err), GS_OK);
    assert_int_equal(data_open("idx", dir, &ds, &err), GS_ERR_FORMAT);
    unlink(p);
    snprintf(p, sizeof p, "%s/train-images-idx3-ubyte", dir);
    write_idx(p, 0, 1, d1, lab, 5);
    assert_int_equal(data_open("idx", dir, &ds, &err), GS_ERR_FORMAT);

    /* A test set of another size than the training set. */
    tmp_path(dir, sizeof dir, "imgs-mismatch");
    make_image_dir(dir, 3, 0, 2, 2);
    snprintf(p, sizeof p, "%s/t10k-images-idx3-ubyte", dir);
    assert_int_equal(idx_write_images(p, one, 1, 2, 1, &err), GS_OK);
    assert_int_equal(data_open("idx", dir, &ds, &err), GS_ERR_FORMAT);
    assert_non_null(strstr(err.msg, p));

    /* Missing folder, folder without images, a file instead of a folder. */
    tmp_path(dir, sizeof dir, "no-such-folder");
    assert_int_equal(data_open("idx", dir, &ds, &err), GS_ERR_IO);
    assert_non_null(strstr(err.msg, dir));
    tmp_path(dir, sizeof dir, "empty-folder");
    assert_int_equal(mkdir(dir, 0700), 0);
    assert_int_equal(data_open("idx", dir, &ds, &err), GS_ERR_IO);
    assert_non_null(strstr(err.msg, dir));
    assert_non_null(strstr(err.msg, "train-images-idx3-ubyte"));
    assert_null(strstr(err.msg, "dataset-fashion-mnist"));
    assert_int_equal(data_open("idx", p, &ds, &err), GS_ERR_IO);

    struct stat sb;
    if (stat(DATA_FASHION_DIR, &sb) != 0) {
        assert_int_equal(data_open("idx", "", &ds, &err), GS_ERR_IO);
        assert_non_null(strstr(err.msg, DATA_FASHION_DIR));
        assert_non_null(strstr(err.msg, "dataset-fashion-mnist"));
    }
}

static void test_image_batch_scaling(void **state) {
    char dir[256], p[512];
    tmp_path(dir, sizeof dir, "scale");
    assert_int_equal(mkdir(dir, 0700), 0);
    enum { H = 3, W = 2, D = H * W, N = 200 };
    uint8_t pix[3 * D];
    memset(pix, 0, D);
    memset(pix + D, 255, D);
    for (int j = 0; j < D; j++) pix[2 * D + j] = (uint8_t)(j * 51); /* 0, 51, ..., 255 */
    snprintf(p, sizeof p, "%s/train-images-idx3-ubyte", dir);
    gs_error err = {0};
    assert_int_equal(idx_write_images(p, pix, 3, H, W, &err), GS_OK);
    dataset ds;
    assert_int_equal(data_open("idx", dir, &ds, &err), GS_OK);
    rng r;
    rng_seed(&r, 5);
    float x[N * D];
    data_batch(&ds, &r, x, N);
    int kinds[3] = {0};
    for (int i = 0; i < N; i++) {
        const float *row = x + i * D;
        if (row[1] == -1.0f) {
            for (int j = 0; j < D; j++) assert_true(row[j] == -1.0f);
            kinds[0]++;
        } else if (row[0] == 1.0f) {
            for (int j = 0; j < D; j++) assert_true(row[j] == 1.0f);
            kinds[1]++;
        } else {
            for (int j = 0; j < D; j++) assert_float_equal(row[j], j * 51 / 127.5 - 1.0, 1e-6);
            assert_true(row[0] == -1.0f && row[D - 1] == 1.0f);
            kinds[2]++;
        }
    }
    for (int k = 0; k < 3; k++) assert_in_range(kinds[k], 40, 100);
    data_close(&ds);
}

static void test_close_twice(void **state) {
    dataset ds;
    memset(&ds, 0, sizeof ds);
    data_close(&ds);
    data_close(NULL);
    char p[256];
    tmp_path(p, sizeof p, "close.csv");
    write_text(p, "1,1\n2,2\n");
    gs_error err = {0};
    assert_int_equal(data_open("csv", p, &ds, &err), GS_OK);
    data_close(&ds);
    assert_null(ds.points);
    assert_int_equal(ds.n_points, 0);
    assert_string_equal(ds.name, "");
    data_close(&ds);
}

static void test_fashion_mnist(void **state) {
    struct stat sb;
    if (stat(DATA_FASHION_DIR, &sb) != 0) skip();
    dataset ds;
    gs_error err = {0};
    gs_status st = data_open("idx", "", &ds, &err);
    if (st != GS_OK) fail_msg("%s", err.msg);
    assert_int_equal(ds.n_images, 60000);
    assert_int_equal(ds.width, 28);
    assert_int_equal(ds.height, 28);
    assert_int_equal(ds.dim, 784);
    assert_int_equal(ds.n_test, 10000);
    assert_non_null(ds.labels);
    assert_non_null(ds.test_labels);
    long per_class[10] = {0};
    for (long i = 0; i < ds.n_images; i++) {
        assert_true(ds.labels[i] < 10);
        per_class[ds.labels[i]]++;
    }
    for (int c = 0; c < 10; c++) assert_int_equal(per_class[c], 6000);
    for (long i = 0; i < ds.n_test; i++) assert_true(ds.test_labels[i] < 10);

    rng r;
    rng_seed(&r, 11);
    float *x = malloc(64 * 784 * sizeof *x);
    assert_non_null(x);
    data_batch(&ds, &r, x, 64);
    for (int i = 0; i < 64 * 784; i++) assert_true(x[i] >= -1.0f && x[i] <= 1.0f);
    free(x);
    data_close(&ds);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sources_list),  cmocka_unit_test(test_ring8),
        cmocka_unit_test(test_grid25),        cmocka_unit_test(test_toys),
        cmocka_unit_test(test_csv_good),      cmocka_unit_test(test_csv_header),
        cmocka_unit_test(test_csv_bad_line),  cmocka_unit_test(test_csv_empty_missing),
        cmocka_unit_test(test_idx_roundtrip), cmocka_unit_test(test_idx_gz_and_1d),
        cmocka_unit_test(test_idx_bad_files), cmocka_unit_test(test_idx_fuzz),
        cmocka_unit_test(test_image_folder),  cmocka_unit_test(test_image_batch_scaling),
        cmocka_unit_test(test_close_twice),   cmocka_unit_test(test_fashion_mnist),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
