/* test_eval.c - tests of the evaluation metrics (fcd.h, classifier.h): the
 * Jacobi eigen-solver and matrix square root on matrices with known answers,
 * Gaussian statistics, the Fréchet distance against its closed form for
 * diagonal covariances and against itself (≈ 0); the classifier's cache on a
 * small synthetic data set (trained once, loaded the second time, every kind of
 * corruption detected and retrained); on Fashion-MNIST when installed, the real
 * test images scoring 10 classes, KL ≈ 0 and FCD ≈ 0, with a much larger FCD for
 * noise and for one repeated image; and grid25 points placed on the modes
 * scoring 25/25 with hq 1. Cache files go to a mkdtemp XDG_CACHE_HOME. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "classifier.h"
#include "data.h"
#include "fcd.h"
#include "metrics.h"
#include "rng.h"

static char tmp_dir[64];

static int group_setup(void **state) {
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/gs_test_eval_XXXXXX");
    if (!mkdtemp(tmp_dir)) return -1;
    return setenv("XDG_CACHE_HOME", tmp_dir, 1);
}

static int group_teardown(void **state) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_dir);
    return system(cmd) == 0 ? 0 : -1;
}

#define assert_ok(expr, err)                                                                       \
    do {                                                                                           \
        gs_status st_ = (expr);                                                                    \
        if (st_ != GS_OK) fail_msg("%s: %s", #expr, (err).msg);                                    \
    } while (0)

/* ---- linear algebra ---- */

/* A random orthogonal matrix: Gram-Schmidt on normal columns, stored by rows. */
static void random_orthogonal(double *q, int n, rng *r) {
    for (int i = 0; i < n * n; i++) q[i] = rng_normal(r);
    for (int j = 0; j < n; j++) {
        for (int k = 0; k < j; k++) {
            double dot = 0;
            for (int i = 0; i < n; i++) dot += q[i * n + j] * q[i * n + k];
            for (int i = 0; i < n; i++) q[i * n + j] -= dot * q[i * n + k];
        }
        double norm = 0;
        for (int i = 0; i < n; i++) norm += q[i * n + j] * q[i * n + j];
        for (int i = 0; i < n; i++) q[i * n + j] /= sqrt(norm);
    }
}

/* a = Q diag(w) Q^T */
static void compose(double *a, const double *q, const double *w, int n) {
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int k = 0; k < n; k++) s += q[i * n + k] * w[k] * q[j * n + k];
            a[i * n + j] = s;
        }
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void test_eigen_known(void **state) {
    enum { N = 12 };
    rng r;
    rng_seed(&r, 7);
    double q[N * N], w[N], a[N * N], a0[N * N], v[N * N], got[N];
    for (int i = 0; i < N; i++) w[i] = (i % 3 == 0 ? -1.0 : 1.0) * (i + 1) * 0.75;
    random_orthogonal(q, N, &r);
    compose(a, q, w, N);
    memcpy(a0, a, sizeof a);
    gs_error err;
    assert_ok(fcd_eigen_sym(a, N, got, v, &err), err);
    double want[N];
    memcpy(want, w, sizeof w);
    qsort(want, N, sizeof *want, cmp_double);
    double sorted[N];
    memcpy(sorted, got, sizeof got);
    qsort(sorted, N, sizeof *sorted, cmp_double);
    for (int i = 0; i < N; i++) assert_true(fabs(sorted[i] - want[i]) < 1e-10);
    /* A V = V diag(w), column by column */
    for (int k = 0; k < N; k++)
        for (int i = 0; i < N; i++) {
            double av = 0;
            for (int j = 0; j < N; j++) av += a0[i * N + j] * v[j * N + k];
            assert_true(fabs(av - got[k] * v[i * N + k]) < 1e-10);
        }
    /* a diagonal matrix is its own decomposition; a non-finite one is refused */
    double d[4] = {3, 0, 0, -2}, dw[2], dv[4];
    assert_ok(fcd_eigen_sym(d, 2, dw, dv, &err), err);
    assert_true(dw[0] == 3 && dw[1] == -2 && dv[0] == 1 && dv[3] == 1);
    double bad[4] = {1, NAN, NAN, 1};
    assert_int_equal(fcd_eigen_sym(bad, 2, dw, dv, &err), GS_ERR_VALUE);
}

static void test_sqrtm_known(void **state) {
    gs_error err;
    /* [[2,1],[1,2]]: eigenvalues 3 and 1 on (1,1) and (1,-1), so its root has
     * (sqrt3 + 1)/2 on the diagonal and (sqrt3 - 1)/2 off it. */
    const double a[4] = {2, 1, 1, 2};
    double s[4];
    assert_ok(fcd_sqrtm_psd(a, 2, s, &err), err);
    const double d = (sqrt(3.0) + 1) / 2, o = (sqrt(3.0) - 1) / 2;
    assert_true(fabs(s[0] - d) < 1e-14 && fabs(s[3] - d) < 1e-14);
    assert_true(fabs(s[1] - o) < 1e-14 && fabs(s[2] - o) < 1e-14);
    /* a random 30x30 SPD matrix with a spread of eigenvalues: R R = A */
    enum { N = 30 };
    rng r;
    rng_seed(&r, 11);
    double q[N * N], w[N], big[N * N], root[N * N];
    for (int i = 0; i < N; i++) w[i] = pow(10.0, -4 + 8.0 * i / (N - 1));
    random_orthogonal(q, N, &r);
    compose(big, q, w, N);
    assert_ok(fcd_sqrtm_psd(big, N, root, &err), err);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            double rr = 0;
            for (int k = 0; k < N; k++) rr += root[i * N + k] * root[k * N + j];
            assert_true(fabs(rr - big[i * N + j]) < 1e-8 * 1e4);
            assert_true(fabs(root[i * N + j] - root[j * N + i]) < 1e-12);
        }
    /* the known root: Q diag(sqrt w) Q^T */
    double sw[N], want[N * N];
    for (int i = 0; i < N; i++) sw[i] = sqrt(w[i]);
    compose(want, q, sw, N);
    for (int i = 0; i < N * N; i++) assert_true(fabs(root[i] - want[i]) < 1e-8);
}

static gauss_stats make_stats(int d, const double *mean, const double *cov) {
    gauss_stats s = {.d = d, .n = 100};
    s.mean = malloc((size_t)d * sizeof *s.mean);
    s.cov = malloc((size_t)d * d * sizeof *s.cov);
    memcpy(s.mean, mean, (size_t)d * sizeof *s.mean);
    memcpy(s.cov, cov, (size_t)d * d * sizeof *s.cov);
    return s;
}

static void test_frechet_diagonal(void **state) {
    enum { D = 16 };
    rng r;
    rng_seed(&r, 3);
    double m1[D], m2[D], c1[D * D] = {0}, c2[D * D] = {0}, want = 0;
    for (int i = 0; i < D; i++) {
        m1[i] = rng_normal(&r);
        m2[i] = rng_normal(&r);
        double v1 = 0.1 + rng_uniform(&r) * 4, v2 = 0.1 + rng_uniform(&r) * 4;
        c1[i * D + i] = v1;
        c2[i * D + i] = v2;
        /* closed form for commuting (here diagonal) covariances */
        want += (m1[i] - m2[i]) * (m1[i] - m2[i]) + (sqrt(v1) - sqrt(v2)) * (sqrt(v1) - sqrt(v2));
    }
    gauss_stats a = make_stats(D, m1, c1), b = make_stats(D, m2, c2);
    double got, back;
    gs_error err;
    assert_ok(fcd_frechet(&a, &b, &got, &err), err);
    assert_true(fabs(got - want) < 1e-10 * want);
    /* the same in a rotated basis (the trace term then needs the real root),
     * and symmetric in its arguments */
    double q[D * D], w1[D], w2[D];
    random_orthogonal(q, D, &r);
    for (int i = 0; i < D; i++) w1[i] = c1[i * D + i], w2[i] = c2[i * D + i];
    compose(a.cov, q, w1, D);
    compose(b.cov, q, w2, D);
    double rm1[D] = {0}, rm2[D] = {0};
    for (int i = 0; i < D; i++)
        for (int k = 0; k < D; k++) rm1[i] += q[i * D + k] * m1[k], rm2[i] += q[i * D + k] * m2[k];
    memcpy(a.mean, rm1, sizeof rm1);
    memcpy(b.mean, rm2, sizeof rm2);
    assert_ok(fcd_frechet(&a, &b, &got, &err), err);
    assert_ok(fcd_frechet(&b, &a, &back, &err), err);
    assert_true(fabs(got - want) < 1e-8 * want);
    assert_true(fabs(back - want) < 1e-8 * want);
    /* one dimension: (m1 - m2)^2 + (s1 - s2)^2 */
    gauss_stats x = make_stats(1, (double[]){1.0}, (double[]){4.0});
    gauss_stats y = make_stats(1, (double[]){-2.0}, (double[]){9.0});
    assert_ok(fcd_frechet(&x, &y, &got, &err), err);
    assert_true(fabs(got - (9.0 + 1.0)) < 1e-12);
    assert_int_equal(fcd_frechet(&x, &a, &got, &err), GS_ERR_STATE);
    fcd_stats_free(&a), fcd_stats_free(&b), fcd_stats_free(&x), fcd_stats_free(&y);
}

static void test_stats_and_self_distance(void **state) {
    /* four points of a square: mean (1, 2), unbiased variances 4/3, no covariance */
    const float sq[8] = {0, 1, 2, 1, 0, 3, 2, 3};
    gauss_stats s;
    gs_error err;
    assert_ok(fcd_stats(sq, 4, 2, &s, &err), err);
    assert_true(fabs(s.mean[0] - 1) < 1e-12 && fabs(s.mean[1] - 2) < 1e-12);
    assert_true(fabs(s.cov[0] - 4.0 / 3) < 1e-12 && fabs(s.cov[3] - 4.0 / 3) < 1e-12);
    assert_true(fabs(s.cov[1]) < 1e-12 && s.cov[1] == s.cov[2]);
    fcd_stats_free(&s);
    assert_int_equal(fcd_stats(sq, 1, 2, &s, &err), GS_ERR_VALUE);
    /* correlated 64-d features against themselves: 0 */
    enum { N = 2000, D = 64 };
    float *x = malloc(sizeof(float) * N * D);
    rng r;
    rng_seed(&r, 5);
    for (int i = 0; i < N; i++) {
        float common = rng_normal(&r);
        for (int j = 0; j < D; j++) x[i * D + j] = common * (j % 5) + rng_normal(&r) * 0.1f + j;
    }
    gauss_stats a;
    double fd;
    assert_ok(fcd_stats(x, N, D, &a, &err), err);
    assert_ok(fcd_frechet(&a, &a, &fd, &err), err);
    assert_true(fd >= 0 && fd < 1e-8);
    /* a shifted copy: exactly the squared shift */
    for (int i = 0; i < N * D; i++) x[i] += 0.5f;
    gauss_stats b;
    assert_ok(fcd_stats(x, N, D, &b, &err), err);
    assert_ok(fcd_frechet(&a, &b, &fd, &err), err);
    assert_true(fabs(fd - 0.25 * D) < 1e-3);
    fcd_stats_free(&a), fcd_stats_free(&b);
    free(x);
}

/* ---- the classifier's cache, on a small synthetic data set ---- */

/* 8x8 images, 10 classes: class k lights row k % 8 and, for k >= 8, a column
 * too, with noise. Easy enough that a few epochs learn it. */
static void synthetic(dataset *ds, long n, long n_test, uint64_t seed) {
    memset(ds, 0, sizeof *ds);
    ds->kind = DATA_IMAGES;
    snprintf(ds->name, sizeof ds->name, "synthetic");
    ds->width = ds->height = 8;
    ds->dim = 64;
    ds->n_images = n;
    ds->n_test = n_test;
    ds->images = malloc((size_t)n * 64);
    ds->labels = malloc((size_t)n);
    ds->test_images = malloc((size_t)n_test * 64);
    ds->test_labels = malloc((size_t)n_test);
    rng r;
    rng_seed(&r, seed);
    for (long i = 0; i < n + n_test; i++) {
        uint8_t *img = i < n ? ds->images + i * 64 : ds->test_images + (i - n) * 64;
        int k = (int)rng_below(&r, 10);
        for (int p = 0; p < 64; p++) {
            int on = p / 8 == k % 8 || (k >= 8 && p % 8 == k - 6);
            int v = (on ? 200 : 30) + (int)(rng_normal(&r) * 20);
            img[p] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
        }
        if (i < n)
            ds->labels[i] = (uint8_t)k;
        else
            ds->test_labels[i - n] = (uint8_t)k;
    }
}

static void synthetic_free(dataset *ds) {
    free(ds->images), free(ds->labels), free(ds->test_images), free(ds->test_labels);
}

static long file_size(const char *path) {
    struct stat sb;
    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

static void patch_byte(const char *path, long off, uint8_t xor_mask) {
    FILE *fp = fopen(path, "r+b");
    assert_non_null(fp);
    fseek(fp, off, SEEK_SET);
    int c = fgetc(fp);
    fseek(fp, off, SEEK_SET);
    fputc(c ^ xor_mask, fp);
    fclose(fp);
}

static void test_cache(void **state) {
    dataset ds;
    synthetic(&ds, 1500, 300, 21);
    classifier c, c2;
    clf_origin o;
    gs_error err;
    assert_ok(classifier_get(&c, &ds, NULL, &o, NULL, NULL, &err), err);
    assert_true(o.trained && o.cached && !o.was_corrupt);
    assert_non_null(strstr(o.path, tmp_dir));
    assert_true(c.accuracy > 0.95f);
    char path[1024];
    snprintf(path, sizeof path, "%s", o.path);
    const long size = file_size(path);
    assert_true(size > 48);

    /* second time: loaded, identical weights and accuracy */
    assert_ok(classifier_get(&c2, &ds, NULL, &o, NULL, NULL, &err), err);
    assert_true(!o.trained && o.cached);
    assert_true(c2.accuracy == c.accuracy && c2.key == c.key);
    assert_memory_equal(c2.net.layer[0].w, c.net.layer[0].w, 64 * 256 * sizeof(float));
    assert_memory_equal(c2.net.layer[2].b, c.net.layer[2].b, 10 * sizeof(float));
    classifier_free(&c2);

    /* other data: another key, so the file is not taken for it */
    dataset other;
    synthetic(&other, 1500, 300, 22);
    assert_true(classifier_key(&other) != classifier_key(&ds));
    assert_int_equal(classifier_load(&c2, path, classifier_key(&other), &err), GS_ERR_FORMAT);
    synthetic_free(&other);

    /* corruptions: a flipped weight bit, a bad magic, a truncated file, a grown
     * file, an empty one: each detected, retrained, and the cache made good */
    struct {
        const char *what;
        long off; /* byte to flip; -1 truncate, -2 append, -3 empty */
    } cases[] = {{"flipped weight", size / 2},
                 {"magic", 0},
                 {"accuracy", 36},
                 {"checksum", size - 1},
                 {"truncated", -1},
                 {"grown", -2},
                 {"empty", -3}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (cases[i].off >= 0) {
            patch_byte(path, cases[i].off, 0x10);
        } else if (cases[i].off == -1) {
            assert_int_equal(truncate(path, size - 100), 0);
        } else if (cases[i].off == -2) {
            FILE *fp = fopen(path, "ab");
            fputs("trailing", fp);
            fclose(fp);
        } else {
            assert_int_equal(truncate(path, 0), 0);
        }
        assert_int_equal(classifier_load(&c2, path, c.key, &err), GS_ERR_FORMAT);
        assert_ok(classifier_get(&c2, &ds, NULL, &o, NULL, NULL, &err), err);
        if (!o.trained || !o.was_corrupt || !o.cached) fail_msg("%s not retrained", cases[i].what);
        /* the recipe is seeded: retraining gives the same classifier */
        assert_memory_equal(c2.net.layer[1].w, c.net.layer[1].w, 256 * 128 * sizeof(float));
        classifier_free(&c2);
        assert_int_equal(file_size(path), size);
    }
    /* a missing file is an I/O error (the normal first run), not corruption */
    assert_int_equal(classifier_load(&c2, "/nonexistent/c.bin", 0, &err), GS_ERR_IO);
    /* no labels: refused with a message */
    uint8_t *labels = ds.labels;
    ds.labels = NULL;
    assert_int_equal(classifier_train(&c2, &ds, NULL, NULL, &err), GS_ERR_STATE);
    ds.labels = labels;
    classifier_free(&c);
    synthetic_free(&ds);
}

/* ---- Fashion-MNIST ---- */
static void test_fashion(void **state) {
    struct stat sb;
    if (stat(DATA_FASHION_DIR, &sb) != 0) skip();
    dataset ds;
    gs_error err;
    assert_ok(data_open("idx", "", &ds, &err), err);
    classifier c;
    clf_origin o;
    assert_ok(classifier_get(&c, &ds, NULL, &o, NULL, NULL, &err), err);
    assert_true(o.trained && o.cached);
    print_message("classifier test accuracy %.4f\n", c.accuracy);
    assert_true(c.accuracy >= 0.88f);
    classifier_free(&c);
    assert_ok(classifier_get(&c, &ds, NULL, &o, NULL, NULL, &err), err);
    assert_true(!o.trained);
    assert_true(c.accuracy >= 0.88f);
    /* the cached file of the real classifier fails its checks once touched */
    classifier bad;
    patch_byte(o.path, file_size(o.path) / 3, 0x01);
    assert_int_equal(classifier_load(&bad, o.path, c.key, &err), GS_ERR_FORMAT);
    patch_byte(o.path, file_size(o.path) / 3, 0x01);
    assert_ok(classifier_load(&bad, o.path, c.key, &err), err);
    classifier_free(&bad);

    gauss_stats ref;
    assert_ok(classifier_reference(&c, &ds, &ref, &err), err);
    const long n = ds.n_test;
    float *x = malloc(sizeof(float) * n * ds.dim);
    for (long i = 0; i < n * ds.dim; i++) x[i] = ds.test_images[i] / 127.5f - 1.0f;
    image_metrics real, train, noise, one;
    assert_ok(classifier_score(&c, &ref, x, n, &real, &err), err);
    print_message("real test: classes %d kl %.5f confidence %.3f fcd %.3g\n", real.classes, real.kl,
                  real.confidence, real.fcd);
    assert_int_equal(real.classes, 10);
    assert_true(real.kl < 0.05f);
    assert_true(real.fcd < 1e-6);
    assert_true(real.confidence > 0.8f);
    /* 10000 training images: other real images, a small distance */
    for (long i = 0; i < n * ds.dim; i++) x[i] = ds.images[i] / 127.5f - 1.0f;
    assert_ok(classifier_score(&c, &ref, x, n, &train, &err), err);
    /* uniform noise */
    rng r;
    rng_seed(&r, 9);
    for (long i = 0; i < n * ds.dim; i++) x[i] = rng_uniform(&r) * 2.0f - 1.0f;
    assert_ok(classifier_score(&c, &ref, x, n, &noise, &err), err);
    /* one test image repeated: a single class, no spread */
    for (long i = 0; i < n; i++)
        for (int j = 0; j < ds.dim; j++) x[i * ds.dim + j] = ds.test_images[j] / 127.5f - 1.0f;
    assert_ok(classifier_score(&c, &ref, x, n, &one, &err), err);
    print_message("train %.3g, noise %.3g, one image %.3g (classes %d, kl %.3f)\n", train.fcd,
                  noise.fcd, one.fcd, one.classes, one.kl);
    assert_true(train.fcd < 5.0);
    assert_true(noise.fcd > 50.0 && noise.fcd > 100.0 * train.fcd);
    assert_true(one.fcd > 50.0 && one.fcd > 100.0 * train.fcd);
    assert_int_equal(one.classes, 1);
    assert_true(fabs(one.kl - log(10.0)) < 1e-5);
    free(x);
    fcd_stats_free(&ref);
    classifier_free(&c);
    data_close(&ds);
}

/* ---- 2-D: grid25 points exactly on the modes ---- */
static void test_modes_exact(void **state) {
    dataset ds;
    gs_error err;
    assert_ok(data_open("grid25", "", &ds, &err), err);
    enum { N = 2500 };
    float *pts = malloc(sizeof(float) * N * 2);
    for (int i = 0; i < N; i++) {
        pts[2 * i] = ds.modes[2 * (i % 25)];
        pts[2 * i + 1] = ds.modes[2 * (i % 25) + 1];
    }
    mode_stats m;
    assert_ok(metrics_modes(&ds, pts, N, &m), err);
    assert_int_equal(m.modes, 25);
    assert_int_equal(m.n_modes, 25);
    assert_true(m.hq == 1.0f);
    assert_true(fabs(m.kl) < 1e-6);
    /* all on one mode: 1/25, kl = log 25 */
    for (int i = 0; i < N; i++) pts[2 * i] = ds.modes[0], pts[2 * i + 1] = ds.modes[1];
    assert_ok(metrics_modes(&ds, pts, N, &m), err);
    assert_int_equal(m.modes, 1);
    assert_true(fabs(m.kl - log(25.0)) < 1e-5);
    free(pts);
    data_close(&ds);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eigen_known),      cmocka_unit_test(test_sqrtm_known),
        cmocka_unit_test(test_frechet_diagonal), cmocka_unit_test(test_stats_and_self_distance),
        cmocka_unit_test(test_modes_exact),      cmocka_unit_test(test_cache),
        cmocka_unit_test(test_fashion),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
