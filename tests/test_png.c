/* test_png.c - PNG output: files start with the PNG signature and the right IHDR,
 * pixels survive a round trip through libpng's simplified reader, grids are laid
 * out with their gaps, and failed writes (missing directory, target that cannot
 * be replaced, a file-size limit hit in the middle of libpng's output) return
 * GS_ERR_IO and leave no file behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <png.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pngio.h"

static char tmpdir[256];

static int setup(void **state) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_png.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state) {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void path_in(char *out, size_t n, const char *name) {
    snprintf(out, n, "%s/%s", tmpdir, name);
}

static int count_entries(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(d);
    return n;
}

static uint32_t be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Checks the signature and IHDR (always the first chunk) byte by byte. */
static void check_header(const char *path, int w, int h, int color_type) {
    uint8_t b[33];
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    assert_int_equal(fread(b, 1, sizeof b, fp), sizeof b);
    fclose(fp);
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    assert_memory_equal(b, sig, 8);
    assert_int_equal(be32(b + 8), 13);
    assert_memory_equal(b + 12, "IHDR", 4);
    assert_int_equal(be32(b + 16), (uint32_t)w);
    assert_int_equal(be32(b + 20), (uint32_t)h);
    assert_int_equal(b[24], 8);
    assert_int_equal(b[25], color_type);
}

/* Decodes with the simplified API into a tight buffer (w*channels per row). */
static uint8_t *decode(const char *path, int *w, int *h, uint32_t format) {
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    assert_true(png_image_begin_read_from_file(&img, path));
    img.format = format;
    uint8_t *buf = malloc(PNG_IMAGE_SIZE(img));
    assert_non_null(buf);
    assert_true(png_image_finish_read(&img, NULL, buf, 0, NULL));
    *w = (int)img.width;
    *h = (int)img.height;
    return buf;
}

static void round_trip(int channels, int color_type, uint32_t format) {
    enum { W = 13, H = 7, PAD = 5 };
    int stride = W * channels + PAD; /* rows wider than the image: stride must be honoured */
    uint8_t *pix = malloc((size_t)stride * H);
    assert_non_null(pix);
    for (int i = 0; i < stride * H; i++) pix[i] = (uint8_t)(i * 37 + 11);
    char path[512];
    path_in(path, sizeof path, "img.png");
    gs_error err = {0};
    assert_int_equal(png_write(path, W, H, channels, pix, stride, &err), GS_OK);
    check_header(path, W, H, color_type);
    int w, h;
    uint8_t *got = decode(path, &w, &h, format);
    assert_int_equal(w, W);
    assert_int_equal(h, H);
    for (int y = 0; y < H; y++)
        assert_memory_equal(got + (size_t)y * W * channels, pix + (size_t)y * stride,
                            (size_t)W * channels);
    free(got);
    free(pix);
    assert_int_equal(count_entries(tmpdir), 1); /* no temporary file left beside it */
    remove(path);
}

static void test_grey_round_trip(void **state) {
    round_trip(1, PNG_COLOR_TYPE_GRAY, PNG_FORMAT_GRAY);
}

static void test_rgb_round_trip(void **state) {
    round_trip(3, PNG_COLOR_TYPE_RGB, PNG_FORMAT_RGB);
}

static void test_rgba_round_trip(void **state) {
    round_trip(4, PNG_COLOR_TYPE_RGB_ALPHA, PNG_FORMAT_RGBA);
}

static void test_overwrite(void **state) {
    char path[512];
    path_in(path, sizeof path, "over.png");
    uint8_t a[4] = {1, 2, 3, 4}, b[9] = {9, 8, 7, 6, 5, 4, 3, 2, 1};
    assert_int_equal(png_write(path, 2, 2, 1, a, 2, NULL), GS_OK);
    assert_int_equal(png_write(path, 3, 3, 1, b, 3, NULL), GS_OK);
    check_header(path, 3, 3, PNG_COLOR_TYPE_GRAY);
    int w, h;
    uint8_t *got = decode(path, &w, &h, PNG_FORMAT_GRAY);
    assert_memory_equal(got, b, 9);
    free(got);
    remove(path);
}

static void test_grid(void **state) {
    enum { N = 5, IH = 3, IW = 4, COLS = 2 };
    uint8_t imgs[N * IH * IW];
    for (int i = 0; i < N * IH * IW; i++) imgs[i] = (uint8_t)(200 + i % 50);
    char path[512];
    path_in(path, sizeof path, "grid.png");
    assert_int_equal(png_write_grid(path, imgs, N, IH, IW, COLS, NULL), GS_OK);
    int gw = COLS * IW + (COLS - 1) * 2, gh = 3 * IH + 2 * 2;
    check_header(path, gw, gh, PNG_COLOR_TYPE_GRAY);
    int w, h;
    uint8_t *got = decode(path, &w, &h, PNG_FORMAT_GRAY);
    assert_int_equal(w, gw);
    assert_int_equal(h, gh);
    /* Every image in its tile, row-major. */
    for (int i = 0; i < N; i++) {
        int x0 = (i % COLS) * (IW + 2), y0 = (i / COLS) * (IH + 2);
        for (int y = 0; y < IH; y++)
            for (int x = 0; x < IW; x++)
                assert_int_equal(got[(y0 + y) * gw + x0 + x], imgs[(i * IH + y) * IW + x]);
    }
    /* Gaps and the empty sixth tile hold one dark background value. */
    uint8_t bg = got[IW]; /* first gap column, top row */
    assert_true(bg < 128);
    for (int y = 0; y < gh; y++) {
        assert_int_equal(got[y * gw + IW], bg);
        assert_int_equal(got[y * gw + IW + 1], bg);
    }
    for (int x = 0; x < gw; x++) {
        assert_int_equal(got[IH * gw + x], bg);
        assert_int_equal(got[(IH + 1) * gw + x], bg);
    }
    for (int y = 2 * (IH + 2); y < gh; y++)
        for (int x = IW + 2; x < gw; x++) assert_int_equal(got[y * gw + x], bg);
    free(got);
    remove(path);

    /* More columns than images: no empty columns. */
    assert_int_equal(png_write_grid(path, imgs, 2, IH, IW, 10, NULL), GS_OK);
    check_header(path, 2 * IW + 2, IH, PNG_COLOR_TYPE_GRAY);
    remove(path);
}

static void test_bad_arguments(void **state) {
    char path[512];
    path_in(path, sizeof path, "bad.png");
    uint8_t pix[64] = {0};
    gs_error err = {0};
    assert_int_equal(png_write(path, 4, 4, 2, pix, 8, &err), GS_ERR_VALUE);
    assert_int_equal(png_write(path, 0, 4, 1, pix, 4, &err), GS_ERR_VALUE);
    assert_int_equal(png_write(path, 4, 4, 3, pix, 4, &err), GS_ERR_VALUE); /* stride too small */
    assert_int_equal(png_write_grid(path, pix, 0, 2, 2, 2, &err), GS_ERR_VALUE);
    assert_int_equal(png_write_grid(path, pix, 4, 2, 2, 0, &err), GS_ERR_VALUE);
    assert_int_equal(count_entries(tmpdir), 0);
}

static void test_unwritable(void **state) {
    uint8_t pix[16] = {0};
    char path[512];
    gs_error err = {0};

    /* Missing directory. */
    path_in(path, sizeof path, "no/such/dir/x.png");
    assert_int_equal(png_write(path, 4, 4, 1, pix, 4, &err), GS_ERR_IO);
    assert_non_null(strstr(err.msg, "x.png"));
    assert_int_equal(count_entries(tmpdir), 0);

    /* The target is a directory: the temporary is written but cannot replace it. */
    path_in(path, sizeof path, "adir");
    assert_int_equal(mkdir(path, 0755), 0);
    assert_int_equal(png_write(path, 4, 4, 1, pix, 4, &err), GS_ERR_IO);
    assert_int_equal(count_entries(tmpdir), 1);
    assert_int_equal(count_entries(path), 0);
    rmdir(path);

    /* A directory without write permission (meaningless for root). */
    if (geteuid() != 0) {
        path_in(path, sizeof path, "ro");
        assert_int_equal(mkdir(path, 0555), 0);
        char file[600];
        snprintf(file, sizeof file, "%s/x.png", path);
        assert_int_equal(png_write(file, 4, 4, 1, pix, 4, &err), GS_ERR_IO);
        assert_int_equal(count_entries(path), 0);
        rmdir(path);
    }
}

/* A file-size limit makes writes fail like a full disk: once inside libpng (a
 * large image overflows stdio's buffer, so libpng's own fwrite fails and it
 * longjmps) and once at the final flush (a small image). Either way the old file
 * at the target stays as it was and no temporary is left. */
static void test_write_failure_keeps_old_file(void **state) {
    char path[512];
    path_in(path, sizeof path, "keep.png");
    uint8_t small[4] = {10, 20, 30, 40};
    assert_int_equal(png_write(path, 2, 2, 1, small, 2, NULL), GS_OK);
    struct stat before;
    assert_int_equal(stat(path, &before), 0);

    enum { W = 512, H = 512 };
    uint8_t *noise = malloc((size_t)W * H * 3);
    assert_non_null(noise);
    uint32_t s = 12345; /* incompressible pixels: the output is large */
    for (size_t i = 0; i < (size_t)W * H * 3; i++) {
        s = s * 1664525u + 1013904223u;
        noise[i] = (uint8_t)(s >> 24);
    }

    struct rlimit old, lim;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    lim = old;
    lim.rlim_cur = 100;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    gs_error err = {0};
    gs_status big = png_write(path, W, H, 3, noise, W * 3, &err);
    gs_error err2 = {0};
    gs_status small_st = png_write(path, 32, 32, 1, noise, 32, &err2); /* ~1 KB: fits stdio */
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, old_handler);
    free(noise);

    assert_int_equal(big, GS_ERR_IO);
    assert_int_equal(err.code, GS_ERR_IO);
    assert_non_null(strstr(err.msg, "PNG write failed")); /* libpng's own error path */
    assert_int_equal(small_st, GS_ERR_IO);
    struct stat after;
    assert_int_equal(stat(path, &after), 0);
    assert_int_equal(after.st_size, before.st_size);
    int w, h;
    uint8_t *got = decode(path, &w, &h, PNG_FORMAT_GRAY);
    assert_int_equal(w, 2);
    assert_memory_equal(got, small, 4);
    free(got);
    assert_int_equal(count_entries(tmpdir), 1);
    remove(path);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grey_round_trip),
        cmocka_unit_test(test_rgb_round_trip),
        cmocka_unit_test(test_rgba_round_trip),
        cmocka_unit_test(test_overwrite),
        cmocka_unit_test(test_grid),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_unwritable),
        cmocka_unit_test(test_write_failure_keeps_old_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
