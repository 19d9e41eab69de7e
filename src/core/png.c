/* png.c - PNG output through libpng: single images (grey, RGB, RGBA) and grids of
 * greyscale samples for the generator's picture of a data set. Files are written
 * to a temporary file and renamed into place (fileio.h), so a failed write never
 * leaves a half-written PNG under the final name. libpng reports errors by
 * longjmp; our handler records the message instead of printing it, since the
 * core never prints. */
#include "pngio.h"

#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"

#define PNG_GRID_GAP 2
#define PNG_GRID_BG  48 /* dark grey, so that black-background samples stay apart */
/* Far beyond any picture we make; keeps every size computation inside int. */
#define PNG_MAX_DIM 65536

typedef struct png_ctx {
    char msg[200];
} png_ctx;

static void png_on_error(png_structp png, png_const_charp msg) {
    png_ctx *ctx = png_get_error_ptr(png);
    snprintf(ctx->msg, sizeof ctx->msg, "%s", msg ? msg : "unknown libpng error");
    png_longjmp(png, 1);
}

static void png_on_warning(png_structp png, png_const_charp msg) {
    /* Warnings are not failures, and the core does not print. */
}

/* Runs libpng under setjmp. The error message is written through ctx, which
 * lives in the caller: no local of this function changes between setjmp and
 * the longjmp, so none needs to be volatile. */
static gs_status png_encode(atomic_file *af, png_ctx *ctx, int w, int h, int channels,
                            const uint8_t *pix, int stride, gs_error *err) {
    static const int color_types[5] = {0, PNG_COLOR_TYPE_GRAY, 0, PNG_COLOR_TYPE_RGB,
                                       PNG_COLOR_TYPE_RGB_ALPHA};
    png_structp png =
        png_create_write_struct(PNG_LIBPNG_VER_STRING, ctx, png_on_error, png_on_warning);
    if (!png) return gs_fail(err, GS_ERR_NOMEM, "%s: cannot create PNG writer", af->path);
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        return gs_fail(err, GS_ERR_NOMEM, "%s: cannot create PNG writer", af->path);
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return gs_fail(err, GS_ERR_IO, "%s: PNG write failed: %s", af->path, ctx->msg);
    }
    png_init_io(png, af->fp);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, color_types[channels],
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < h; y++) png_write_row(png, pix + (size_t)y * (size_t)stride);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return GS_OK;
}

gs_status png_write(const char *path, int w, int h, int channels, const uint8_t *pix, int stride,
                    gs_error *err) {
    if (channels != 1 && channels != 3 && channels != 4)
        return gs_fail(err, GS_ERR_VALUE, "%s: PNG channels must be 1, 3 or 4, not %d", path,
                       channels);
    if (w <= 0 || h <= 0 || w > PNG_MAX_DIM || h > PNG_MAX_DIM)
        return gs_fail(err, GS_ERR_VALUE, "%s: bad PNG size %dx%d (1..%d each)", path, w, h,
                       PNG_MAX_DIM);
    if (!pix || stride < w * channels)
        return gs_fail(err, GS_ERR_VALUE, "%s: PNG row stride %d is less than %d bytes", path,
                       stride, w * channels);
    atomic_file af;
    gs_status s = atomic_open(&af, path, err);
    if (s != GS_OK) return s;
    png_ctx ctx = {{0}};
    s = png_encode(&af, &ctx, w, h, channels, pix, stride, err);
    if (s != GS_OK) {
        atomic_abort(&af);
        return s;
    }
    return atomic_commit(&af, err);
}

gs_status png_write_grid(const char *path, const uint8_t *imgs, long n, int h, int w, int cols,
                         gs_error *err) {
    if (n <= 0 || h <= 0 || w <= 0 || cols <= 0 || !imgs)
        return gs_fail(err, GS_ERR_VALUE, "%s: bad image grid (%ld images of %dx%d in %d columns)",
                       path, n, w, h, cols);
    if (cols > n) cols = (int)n; /* no empty columns when there are few images */
    long rows = (n + cols - 1) / cols;
    long gw = (long)cols * w + (long)(cols - 1) * PNG_GRID_GAP;
    long gh = rows * h + (rows - 1) * PNG_GRID_GAP;
    if (gw > PNG_MAX_DIM || gh > PNG_MAX_DIM)
        return gs_fail(err, GS_ERR_VALUE, "%s: image grid %ldx%ld is too large (max %d)", path, gw,
                       gh, PNG_MAX_DIM);
    uint8_t *grid = malloc((size_t)gw * (size_t)gh);
    if (!grid) return gs_fail(err, GS_ERR_NOMEM, "%s: out of memory for image grid", path);
    memset(grid, PNG_GRID_BG, (size_t)gw * (size_t)gh);
    for (long i = 0; i < n; i++) {
        long x0 = (i % cols) * (w + PNG_GRID_GAP), y0 = (i / cols) * (h + PNG_GRID_GAP);
        const uint8_t *src = imgs + (size_t)i * (size_t)h * (size_t)w;
        for (int y = 0; y < h; y++)
            memcpy(grid + (size_t)(y0 + y) * (size_t)gw + (size_t)x0, src + (size_t)y * w,
                   (size_t)w);
    }
    gs_status s = png_write(path, (int)gw, (int)gh, 1, grid, (int)gw, err);
    free(grid);
    return s;
}
