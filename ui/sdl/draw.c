/* draw.c - drawing helpers shared by the panels: filled and framed rectangles,
 * thick polylines (SDL's lines are 1 pixel, too thin for a projector), min-max
 * bands, dashed markers, panel frames with titles, and axes with grid lines
 * and tick labels. Everything is plain lines and rectangles, which the
 * software renderers (Xvfb, VMs) draw far faster than triangles. */
#include <math.h>

#include "gui.h"

#define LINE_CHUNK 256 /* points per SDL_RenderDrawLinesF call */

SDL_Color draw_alpha(SDL_Color c, int a) {
    c.a = (Uint8)(a < 0 ? 0 : a > 255 ? 255 : a);
    return c;
}

void draw_color(gui *g, SDL_Color c) {
    /* Opaque fills without blending: the software renderer fills them several
     * times faster. */
    SDL_SetRenderDrawBlendMode(g->ren, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(g->ren, c.r, c.g, c.b, c.a);
}

void draw_fill(gui *g, lay_rect r, SDL_Color c) {
    SDL_Rect q = {r.x, r.y, r.w, r.h};
    draw_color(g, c);
    SDL_RenderFillRect(g->ren, &q);
}

void draw_frame(gui *g, lay_rect r, SDL_Color c, int t) {
    draw_color(g, c);
    for (int i = 0; i < t; i++) {
        SDL_Rect q = {r.x + i, r.y + i, r.w - 2 * i, r.h - 2 * i};
        if (q.w > 0 && q.h > 0) SDL_RenderDrawRect(g->ren, &q);
    }
}

static int finite2(SDL_FPoint p) {
    return isfinite(p.x) && isfinite(p.y);
}

void draw_polyline(gui *g, const SDL_FPoint *p, int n, float width, SDL_Color c) {
    /* Thick lines as the same 1-pixel line drawn at small offsets: far
     * cheaper than triangles in the software renderers (SDL's own, and Mesa's
     * llvmpipe under Xvfb), and exact enough at 1 to 3 pixels. Overlapping
     * passes would darken translucent colours, so those get one pass. */
    static const SDL_FPoint offs[5] = {{0, 0}, {1, 0}, {0, 1}, {-1, 0}, {0, -1}};
    int passes = width < 1.5f || c.a < 255 ? 1 : width < 2.5f ? 3 : 5;
    SDL_FPoint run[LINE_CHUNK + 1];
    draw_color(g, c);
    int i = 0;
    while (i < n) {
        while (i < n && !finite2(p[i])) i++;
        int start = i;
        while (i < n && finite2(p[i]) && i - start <= LINE_CHUNK) i++;
        int len = i - start;
        if (len == 1) {
            SDL_FRect dot = {p[start].x - width / 2, p[start].y - width / 2, width, width};
            SDL_RenderFillRectF(g->ren, &dot);
        } else if (len > 1) {
            for (int k = 0; k < passes; k++) {
                for (int j = 0; j < len; j++)
                    run[j] = (SDL_FPoint){p[start + j].x + offs[k].x, p[start + j].y + offs[k].y};
                SDL_RenderDrawLinesF(g->ren, run, len);
            }
        }
        /* a chunk boundary: continue from the last point so the line is unbroken */
        if (i < n && finite2(p[i]) && len > 1) i--;
    }
}

void draw_band(gui *g, const float *x, const float *lo, const float *hi, int n, SDL_Color c) {
    /* One rectangle per pixel column, spanning every bucket that falls into
     * it: no overlaps (even translucency) and at most a plot's width of rects. */
    if (n < 1) return;
    float x0 = x[0], x1 = x[n - 1];
    int cols = (int)(x1 - x0) + 1;
    if (cols < 1 || cols > 8192) return;
    SDL_FRect *r = SDL_malloc(sizeof *r * (size_t)cols);
    float *top = SDL_malloc(sizeof *top * (size_t)cols * 2);
    if (!r || !top) {
        SDL_free(r);
        SDL_free(top);
        return;
    }
    float *bot = top + cols;
    for (int k = 0; k < cols; k++) {
        top[k] = INFINITY;
        bot[k] = -INFINITY;
    }
    for (int i = 0; i < n; i++) {
        if (!isfinite(lo[i]) || !isfinite(hi[i])) continue;
        /* a bucket covers the columns up to the next bucket's start */
        int k0 = (int)(x[i] - x0), k1 = i + 1 < n ? (int)(x[i + 1] - x0) : k0;
        if (k1 < k0) k1 = k0;
        float a = lo[i] < hi[i] ? lo[i] : hi[i], b = lo[i] < hi[i] ? hi[i] : lo[i];
        for (int k = k0; k <= k1 && k < cols; k++) {
            if (a < top[k]) top[k] = a;
            if (b > bot[k]) bot[k] = b;
        }
    }
    int m = 0;
    for (int k = 0; k < cols; k++)
        if (bot[k] >= top[k]) r[m++] = (SDL_FRect){x0 + k, top[k], 1.0f, bot[k] - top[k] + 1.0f};
    draw_color(g, c);
    SDL_RenderFillRectsF(g->ren, r, m);
    SDL_free(r);
    SDL_free(top);
}

void draw_dashed_vline(gui *g, float x, int y0, int y1, int dash, SDL_Color c) {
    if (dash < 1) dash = 1;
    SDL_FRect seg[128];
    int n = 0;
    for (int y = y0; y < y1 && n < 128; y += 2 * dash) {
        int e = y + dash < y1 ? y + dash : y1;
        seg[n++] = (SDL_FRect){x - 1.0f, (float)y, 2.0f, (float)(e - y)};
    }
    draw_color(g, c);
    SDL_RenderFillRectsF(g->ren, seg, n);
}

lay_rect draw_panel(gui *g, lay_rect r, const char *title) {
    draw_fill(g, r, COL_PANEL);
    draw_frame(g, r, COL_BORDER, 1);
    int pad = g->lay.pad;
    if (!title || !title[0]) return layout_inset(r, pad, pad, pad, pad);
    text_draw(g->tc, FONT_BODY, r.x + pad, r.y + pad / 2, ALIGN_LEFT, COL_TEXT, title);
    int th = text_line(g->tc, FONT_BODY);
    return layout_inset(r, pad, pad / 2 + th + pad / 2, pad, pad);
}

void draw_axis_y(gui *g, lay_rect plot, const lay_axis *ay, int max_ticks) {
    double t[32];
    int n = ay->log ? layout_log_ticks(ay->lo, ay->hi, max_ticks, t, 32)
                    : layout_ticks(ay->lo, ay->hi, max_ticks, t, 32);
    double step = ay->log ? 0.0 : layout_nice_step(ay->hi - ay->lo, max_ticks);
    char buf[32];
    for (int i = 0; i < n; i++) {
        int y = (int)lround(layout_map(ay, t[i]));
        if (y < plot.y - 1 || y > plot.y + plot.h + 1) continue;
        draw_color(g, t[i] == 0.0 && !ay->log ? COL_BORDER : COL_GRID);
        SDL_RenderDrawLine(g->ren, plot.x, y, plot.x + plot.w - 1, y);
        layout_tick_label(t[i], step, buf, sizeof buf);
        text_draw(g->tc, FONT_SMALL, plot.x - 4, y, ALIGN_RIGHT | ALIGN_MIDDLE, COL_DIM, buf);
    }
}

void draw_axis_x(gui *g, lay_rect plot, const lay_axis *ax, int max_ticks) {
    double t[32];
    int n = ax->log ? layout_log_ticks(ax->lo, ax->hi, max_ticks, t, 32)
                    : layout_ticks(ax->lo, ax->hi, max_ticks, t, 32);
    double step = ax->log ? 0.0 : layout_nice_step(ax->hi - ax->lo, max_ticks);
    char buf[32];
    for (int i = 0; i < n; i++) {
        int x = (int)lround(layout_map(ax, t[i]));
        if (x < plot.x - 1 || x > plot.x + plot.w + 1) continue;
        draw_color(g, t[i] == 0.0 && !ax->log ? COL_BORDER : COL_GRID);
        SDL_RenderDrawLine(g->ren, x, plot.y, x, plot.y + plot.h - 1);
        layout_tick_label(t[i], step, buf, sizeof buf);
        text_draw(g->tc, FONT_SMALL, x, plot.y + plot.h + 2, ALIGN_CENTER, COL_DIM, buf);
    }
}

int draw_legend(gui *g, int x, int y, SDL_Color c, const char *label) {
    int lh = text_line(g->tc, FONT_SMALL);
    int sw = lh * 6 / 5;
    SDL_FPoint seg[2] = {{(float)x, y + lh / 2.0f}, {(float)(x + sw), y + lh / 2.0f}};
    draw_polyline(g, seg, 2, 3.0f, c);
    int w = text_draw(g->tc, FONT_SMALL, x + sw + 4, y, ALIGN_LEFT, COL_TEXT, label);
    return sw + 4 + w;
}
