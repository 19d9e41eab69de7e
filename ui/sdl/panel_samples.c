/* panel_samples.c - what the generator makes. Image data: the 64 images G
 * draws from a fixed noise batch (so change is visible, not noise), next to 16
 * real ones. 2-D data, in the manner of GAN Lab: D's verdict over the plane as
 * a heatmap (green: "real", purple: "fake"), real points in green, generated
 * ones in magenta, and G's manifold (the image of a noise grid) as a warped
 * mesh; keys b, m and x toggle the three layers. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gui.h"

#define FAKE_COLS 8
#define REAL_COLS 4

static SDL_Texture *make_tex(gui *g, int w, int h, SDL_ScaleMode mode) {
    SDL_Texture *t =
        SDL_CreateTexture(g->ren, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING, w, h);
    if (t) {
        SDL_SetTextureScaleMode(t, mode);
        SDL_SetTextureBlendMode(t, SDL_BLENDMODE_NONE); /* opaque: cheaper to copy */
    }
    return t;
}

void panel_samples_free(gui *g) {
    if (g->fake_tex) SDL_DestroyTexture(g->fake_tex);
    if (g->real_tex) SDL_DestroyTexture(g->real_tex);
    if (g->heat_tex) SDL_DestroyTexture(g->heat_tex);
    g->fake_tex = g->real_tex = g->heat_tex = NULL;
    g->tex_w = g->tex_h = g->heat_w = g->heat_h = 0;
}

/* Tiles n greyscale images (h, w) into a streaming texture, cols per row with
 * a one-pixel gap in the panel colour. */
static void fill_atlas(SDL_Texture *t, const uint8_t *img, int n, int w, int h, int cols) {
    void *pixels;
    int pitch;
    if (!t || SDL_LockTexture(t, NULL, &pixels, &pitch) != 0) return;
    int rows = (n + cols - 1) / cols;
    int aw = cols * (w + 1) - 1, ah = rows * (h + 1) - 1;
    Uint32 gap = 0xff000000u | (COL_PANEL.r << 16) | (COL_PANEL.g << 8) | COL_PANEL.b;
    for (int y = 0; y < ah; y++) {
        Uint32 *row = (Uint32 *)((uint8_t *)pixels + (size_t)y * pitch);
        for (int x = 0; x < aw; x++) row[x] = gap;
    }
    for (int i = 0; i < n; i++) {
        int ox = (i % cols) * (w + 1), oy = (i / cols) * (h + 1);
        const uint8_t *src = img + (size_t)i * w * h;
        for (int y = 0; y < h; y++) {
            Uint32 *row = (Uint32 *)((uint8_t *)pixels + (size_t)(oy + y) * pitch) + ox;
            for (int x = 0; x < w; x++) {
                Uint32 v = src[y * w + x];
                row[x] = 0xff000000u | (v << 16) | (v << 8) | v;
            }
        }
    }
    SDL_UnlockTexture(t);
}

static void draw_images(gui *g, lay_rect c) {
    const snapshot *s = g->snap;
    int w = s->width, h = s->height;
    if (s->n_images <= 0 || w <= 0 || h <= 0) {
        text_draw(g->tc, FONT_BODY, c.x, c.y, ALIGN_LEFT, COL_DIM, "images too large to show");
        return;
    }
    int fake_rows = (s->n_images + FAKE_COLS - 1) / FAKE_COLS;
    int real_rows = (SNAP_REAL + REAL_COLS - 1) / REAL_COLS;
    int fw = FAKE_COLS * (w + 1) - 1, fh = fake_rows * (h + 1) - 1;
    int rw = REAL_COLS * (w + 1) - 1, rh = real_rows * (h + 1) - 1;
    if (g->tex_w != w || g->tex_h != h || !g->fake_tex || !g->real_tex) {
        panel_samples_free(g);
        g->fake_tex = make_tex(g, fw, fh, SDL_ScaleModeLinear);
        g->real_tex = make_tex(g, rw, rh, SDL_ScaleModeLinear);
        g->tex_w = w;
        g->tex_h = h;
        g->tex_version = 0;
    }
    if (g->tex_version != s->version) {
        fill_atlas(g->fake_tex, s->fake_img, s->n_images, w, h, FAKE_COLS);
        fill_atlas(g->real_tex, s->real_img, SNAP_REAL, w, h, REAL_COLS);
        g->tex_version = s->version;
    }
    /* The generated grid as large as fits, the real images at half its cell
     * size either beside it (4x4) or under it (one row of 16), whichever
     * leaves the generated grid larger. */
    int lh = text_line(g->tc, FONT_SMALL), gap = g->lay.pad * 2;
    int beside = (c.w - gap) * 2 / 3, under = (c.h - 2 * lh - gap) * 16 / 17;
    if (beside > c.h - lh) beside = c.h - lh;
    if (under > c.w) under = c.w;
    int side = beside > under ? beside : under;
    if (side < 8) return;
    SDL_Rect fd = {c.x, c.y + lh, side, side * fh / fw};
    SDL_Rect rd;
    SDL_Texture *rt = g->real_tex;
    if (beside >= under) {
        rd = (SDL_Rect){fd.x + side + gap, fd.y, side / 2, side / 2 * rh / rw};
    } else {
        rd = (SDL_Rect){fd.x, fd.y + fd.h + gap + lh, side, side / 16};
    }
    text_draw(g->tc, FONT_SMALL, fd.x, c.y, ALIGN_LEFT, COL_FAKE, "generated (fixed noise)");
    text_draw(g->tc, FONT_SMALL, rd.x, rd.y - lh, ALIGN_LEFT, COL_REAL, "real");
    SDL_RenderCopy(g->ren, g->fake_tex, NULL, &fd);
    if (beside >= under) {
        SDL_RenderCopy(g->ren, rt, NULL, &rd);
    } else { /* the 4x4 atlas as one row: its rows side by side */
        for (int i = 0; i < real_rows; i++) {
            SDL_Rect src = {0, i * (h + 1), rw, h};
            SDL_Rect dst = {rd.x + side * i / real_rows, rd.y,
                            side * (i + 1) / real_rows - side * i / real_rows, rd.h};
            SDL_RenderCopy(g->ren, rt, &src, &dst);
        }
    }
    draw_frame(g, (lay_rect){fd.x - 1, fd.y - 1, fd.w + 2, fd.h + 2}, COL_FAKE, 1);
    draw_frame(g, (lay_rect){rd.x - 1, rd.y - 1, rd.w + 2, rd.h + 2}, COL_REAL, 1);
}

/* D(x) in [0, 1] to a muted diverging colour: purple (fake) through the panel
 * colour to green (real), dim enough that the points stay visible on it. */
static Uint32 heat_color(float p) {
    static const float fake[3] = {88, 40, 112}, mid[3] = {30, 34, 42}, real[3] = {26, 104, 62};
    if (!(p >= 0.0f)) p = 0.0f;
    if (p > 1.0f) p = 1.0f;
    const float *a = p < 0.5f ? fake : mid, *b = p < 0.5f ? mid : real;
    float t = p < 0.5f ? p * 2.0f : (p - 0.5f) * 2.0f;
    Uint32 r = (Uint32)(a[0] + (b[0] - a[0]) * t), gg = (Uint32)(a[1] + (b[1] - a[1]) * t),
           bl = (Uint32)(a[2] + (b[2] - a[2]) * t);
    return 0xff000000u | (r << 16) | (gg << 8) | bl;
}

/* The 64x64 grid interpolated bilinearly to the texture's full size. Done
 * here, once per snapshot, rather than by a linear-filtered stretch every
 * frame: the software renderers pay for a stretch on each frame. */
static void fill_heat(SDL_Texture *t, const float *heat, int w, int h) {
    void *pixels;
    int pitch;
    if (SDL_LockTexture(t, NULL, &pixels, &pitch) != 0) return;
    const int G = SNAP_GRID;
    for (int y = 0; y < h; y++) {
        float fy = (y + 0.5f) * G / h - 0.5f;
        int y0 = (int)floorf(fy);
        float ty = fy - y0;
        int ya = y0 < 0 ? 0 : y0, yb = y0 + 1 >= G ? G - 1 : y0 + 1;
        Uint32 *row = (Uint32 *)((uint8_t *)pixels + (size_t)y * pitch);
        for (int x = 0; x < w; x++) {
            float fx = (x + 0.5f) * G / w - 0.5f;
            int x0 = (int)floorf(fx);
            float tx = fx - x0;
            int xa = x0 < 0 ? 0 : x0, xb = x0 + 1 >= G ? G - 1 : x0 + 1;
            float top = heat[ya * G + xa] * (1 - tx) + heat[ya * G + xb] * tx;
            float bot = heat[yb * G + xa] * (1 - tx) + heat[yb * G + xb] * tx;
            row[x] = heat_color(top * (1 - ty) + bot * ty);
        }
    }
    SDL_UnlockTexture(t);
}

static void draw_heat(gui *g, SDL_Rect dst) {
    const snapshot *s = g->snap;
    if (g->heat_tex && (g->heat_w != dst.w || g->heat_h != dst.h)) {
        SDL_DestroyTexture(g->heat_tex);
        g->heat_tex = NULL;
    }
    if (!g->heat_tex) {
        g->heat_tex = make_tex(g, dst.w, dst.h, SDL_ScaleModeNearest);
        g->heat_w = dst.w;
        g->heat_h = dst.h;
        g->heat_version = 0;
    }
    if (!g->heat_tex) return;
    if (g->heat_version != s->version) {
        fill_heat(g->heat_tex, s->heat, dst.w, dst.h);
        g->heat_version = s->version;
    }
    SDL_RenderCopy(g->ren, g->heat_tex, NULL, &dst);
}

typedef struct view_map {
    float x0, y0, sx, sy; /* pixel = origin + (value - view min) * scale */
    float xmin, ymax;
} view_map;

static SDL_FPoint to_px(const view_map *m, float x, float y) {
    return (SDL_FPoint){m->x0 + (x - m->xmin) * m->sx, m->y0 + (m->ymax - y) * m->sy};
}

static void draw_points(gui *g, const view_map *m, const float *pts, int n, float size,
                        SDL_Color c) {
    SDL_FRect r[SNAP_POINTS];
    int k = 0;
    for (int i = 0; i < n && i < SNAP_POINTS; i++) {
        SDL_FPoint p = to_px(m, pts[2 * i], pts[2 * i + 1]);
        if (!isfinite(p.x) || !isfinite(p.y)) continue;
        r[k++] = (SDL_FRect){p.x - size / 2, p.y - size / 2, size, size};
    }
    draw_color(g, c);
    SDL_RenderFillRectsF(g->ren, r, k);
}

static void draw_manifold(gui *g, const view_map *m) {
    const snapshot *s = g->snap;
    const int M = SNAP_MANIFOLD;
    SDL_FPoint line[SNAP_MANIFOLD];
    SDL_Color c = draw_alpha(COL_TEXT, 120);
    for (int dir = 0; dir < 2; dir++)
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < M; j++) {
                int idx = dir == 0 ? i * M + j : j * M + i;
                line[j] = to_px(m, s->manifold[2 * idx], s->manifold[2 * idx + 1]);
            }
            draw_polyline(g, line, M, 1.0f, c);
        }
}

static void draw_plane(gui *g, lay_rect c) {
    const snapshot *s = g->snap;
    int lh = text_line(g->tc, FONT_SMALL);
    int legend_h = lh * (s->has_modes ? 2 : 1) + g->lay.pad;
    lay_rect sq = layout_square(layout_inset(c, 0, 0, 0, legend_h));
    if (sq.w < 8) return;
    SDL_Rect dst = {sq.x, sq.y, sq.w, sq.h};
    float xr = s->view[1] - s->view[0], yr = s->view[3] - s->view[2];
    if (!(xr > 0) || !(yr > 0)) return;
    view_map m = {(float)sq.x, (float)sq.y, sq.w / xr, sq.h / yr, s->view[0], s->view[3]};

    SDL_RenderSetClipRect(g->ren, &dst);
    if (g->show_heat)
        draw_heat(g, dst);
    else
        draw_fill(g, sq, COL_BG);
    float size = sq.w / 160.0f;
    if (size < 2.0f) size = 2.0f;
    /* The mesh under the points; real points larger and under the generated
     * ones: a covered mode shows magenta in a green halo, a missed one green
     * only, and a collapsed G still shows where its samples went. */
    if (g->show_manifold && s->has_manifold) draw_manifold(g, &m);
    if (g->show_points) {
        draw_points(g, &m, s->real_pts, s->n_points, size * 2.0f, draw_alpha(COL_REAL, 200));
        draw_points(g, &m, s->fake_pts, s->n_points, size, draw_alpha(COL_FAKE, 220));
    }
    SDL_RenderSetClipRect(g->ren, NULL);
    draw_frame(g, sq, COL_BORDER, 1);

    /* legend, then the mode metrics */
    int x = c.x, y = sq.y + sq.h + g->lay.pad / 2;
    int sw = lh / 2;
    SDL_Color items[2] = {COL_REAL, COL_FAKE};
    const char *names[2] = {"real", "generated"};
    for (int i = 0; i < 2; i++) {
        draw_fill(g, (lay_rect){x, y + lh / 2 - sw / 2, sw, sw}, items[i]);
        x += sw + 4;
        x += text_draw(g->tc, FONT_SMALL, x, y, ALIGN_LEFT, COL_TEXT, names[i]) + lh;
    }
    x += text_draw(g->tc, FONT_SMALL, x, y, ALIGN_LEFT, COL_DIM, "D(x):") + 6;
    x += text_draw(g->tc, FONT_SMALL, x, y, ALIGN_LEFT, COL_REAL, "real") + 6;
    text_draw(g->tc, FONT_SMALL, x, y, ALIGN_LEFT, COL_FAKE, "fake");
    if (s->has_modes) {
        text_drawf(g->tc, FONT_SMALL, c.x, y + lh, ALIGN_LEFT, COL_TEXT,
                   "modes %d/%d   high quality %.0f%%   KL %.2f   (step %ld)", s->modes.modes,
                   s->modes.n_modes, 100.0 * s->modes.hq, s->modes.kl, s->modes_step);
    }
}

/* "b heat  m mesh  x points" with the active toggles bright. */
static void draw_toggles(gui *g, lay_rect r) {
    struct {
        const char *key, *name;
        int on;
    } t[3] = {{"x", "points", g->show_points},
              {"m", "mesh", g->show_manifold && g->snap->has_manifold},
              {"b", "heat", g->show_heat}};
    int x = r.x + r.w - g->lay.pad, y = r.y + g->lay.pad / 2 + 2;
    for (int i = 0; i < 3; i++) {
        x -= text_draw(g->tc, FONT_SMALL, x, y, ALIGN_RIGHT, t[i].on ? COL_TEXT : COL_DIM,
                       t[i].name) +
             4;
        x -= text_draw(g->tc, FONT_SMALL, x, y, ALIGN_RIGHT, COL_EVENT, t[i].key) + g->lay.pad;
    }
}

void panel_samples_draw(gui *g, lay_rect r) {
    const snapshot *s = g->snap;
    char title[96];
    /* the preset says more than the loader ("fashion", not "idx") */
    const char *name = strcmp(s->data_name, "idx") == 0 || strcmp(s->data_name, "csv") == 0
                           ? s->preset
                           : s->data_name;
    snprintf(title, sizeof title, "%s: %s", s->images ? "Samples" : "Data space", name);
    lay_rect c = draw_panel(g, r, title);
    if (s->images) {
        draw_images(g, c);
    } else {
        draw_toggles(g, r);
        draw_plane(g, c);
    }
}
