/* panel_loss.c - the whole run's curves from the bucketed history: D and G
 * loss above, D(x) and D(G(z)) below on a fixed 0..1 scale, each bucket's
 * min-max band drawn faintly under its mean. Every engine event (not the
 * refused ones) is a vertical marker with a short label, so the effect of an
 * activation swap can be read off the curve. Keys: c smooths, o toggles a log
 * scale for the losses. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gui.h"

#define MAX_LABEL_ROWS 3

static const int series_loss[2] = {0, 1}; /* d_loss, g_loss */
static const int series_prob[2] = {2, 3}; /* d_real, d_fake */

static SDL_Color series_color(int s) {
    switch (s) {
    case 0:
        return COL_D;
    case 1:
        return COL_G;
    case 2:
        return COL_REAL;
    default:
        return COL_FAKE;
    }
}

/* Centred moving average of the bucket means of series s into out. */
static void smooth_series(const history *h, int s, int k, float *out) {
    int half = k / 2;
    for (int i = 0; i < h->n; i++) {
        double sum = 0.0;
        int cnt = 0;
        for (int j = i - half; j <= i + half; j++)
            if (j >= 0 && j < h->n && isfinite(h->b[j].mean[s])) {
                sum += h->b[j].mean[s];
                cnt++;
            }
        out[i] = cnt ? (float)(sum / cnt) : NAN;
    }
}

/* Index of the first event after the last one that restarted the history
 * (reset, preset, load): older markers belong to another curve. */
static int first_event(const snapshot *s) {
    int first = 0;
    for (int i = 0; i < s->n_events; i++) {
        const char *t = s->events[i].text;
        if (s->events[i].refused) continue;
        if (strncmp(t, "reset", 5) == 0 || strncmp(t, "preset ", 7) == 0 ||
            strncmp(t, "loaded ", 7) == 0 || strncmp(t, "loading", 7) == 0)
            first = i;
    }
    return first;
}

/* Replaces the first occurrence of from with to in buf (size n), truncating
 * at the end of buf when the result is longer. */
static void replace(char *buf, size_t n, const char *from, const char *to) {
    char *p = strstr(buf, from);
    if (!p) return;
    size_t flen = strlen(from), tlen = strlen(to), pos = (size_t)(p - buf);
    size_t tail = strlen(p + flen);
    if (pos + tlen >= n) tlen = n - 1 - pos;
    if (pos + tlen + tail >= n) tail = n - 1 - pos - tlen;
    memmove(buf + pos + tlen, p + flen, tail);
    memcpy(buf + pos, to, tlen);
    buf[pos + tlen + tail] = '\0';
}

/* A marker label short enough to sit beside the curve:
 * "G all layers: relu -> sigmoid" -> "G: relu→sigmoid",
 * "D layer 1: leaky_relu slope = 0.25" -> "D1: slope 0.25". */
static int short_label(const char *text, char *buf, size_t n) {
    snprintf(buf, n, "%s", text);
    int swap = strstr(text, " -> ") != NULL;
    int slope = strstr(text, " slope = ") != NULL || strstr(text, " alpha = ") != NULL;
    replace(buf, n, " all layers:", ":");
    replace(buf, n, " layer ", "");
    if (swap) replace(buf, n, " -> ", "\xe2\x86\x92");
    if (slope) {
        char *colon = strchr(buf, ':');
        const char *eq = strstr(buf, " = ");
        const char *name = strstr(buf, " alpha = ") ? "alpha" : "slope";
        if (colon && eq) {
            char val[32];
            snprintf(val, sizeof val, "%s", eq + 3);
            snprintf(colon, n - (size_t)(colon - buf), ": %s %s", name, val);
        }
    }
    replace(buf, n, "learning rate", "lr");
    replace(buf, n, " per G step", "");
    if (strncmp(buf, "saved ", 6) == 0) buf[5] = '\0';
    if (strncmp(buf, "reset", 5) == 0) buf[5] = '\0';
    return swap || slope;
}

typedef struct label_rows {
    int end[MAX_LABEL_ROWS]; /* right edge of the last label in each row */
} label_rows;

static void draw_events(gui *g, lay_rect top, lay_rect bottom, const lay_axis *ax) {
    const snapshot *s = g->snap;
    label_rows rows;
    for (int i = 0; i < MAX_LABEL_ROWS; i++) rows.end[i] = -100000;
    int lh = text_line(g->tc, FONT_SMALL);
    for (int i = first_event(s); i < s->n_events; i++) {
        const engine_event *ev = &s->events[i];
        if (ev->refused || ev->step < ax->lo || ev->step > ax->hi) continue;
        char label[EVENT_TEXT + 16];
        int key = short_label(ev->text, label, sizeof label);
        SDL_Color c = key ? COL_EVENT : COL_DIM;
        float x = (float)layout_map(ax, (double)ev->step);
        draw_dashed_vline(g, x, top.y, bottom.y + bottom.h, 4, draw_alpha(c, key ? 220 : 150));
        int tw, th;
        text_measure(g->tc, FONT_SMALL, label, &tw, &th);
        int lx = (int)x + 4;
        if (lx + tw > top.x + top.w) lx = (int)x - 4 - tw;
        for (int r = 0; r < MAX_LABEL_ROWS; r++) {
            if (lx <= rows.end[r] + 4) continue;
            int ly = top.y + 2 + r * lh;
            draw_fill(g, (lay_rect){lx - 2, ly, tw + 4, th}, draw_alpha(COL_PANEL, 210));
            text_draw(g->tc, FONT_SMALL, lx, ly, ALIGN_LEFT, c, label);
            rows.end[r] = lx + tw;
            break;
        }
    }
}

/* Draws series (band and mean) of one plot. */
static void draw_series(gui *g, lay_rect plot, const lay_axis *ax, const lay_axis *ay,
                        const int *series, int ns) {
    const history *h = &g->snap->hist;
    float xs[HIST_BUCKETS], lo[HIST_BUCKETS], hi[HIST_BUCKETS], mean[HIST_BUCKETS];
    SDL_FPoint pts[HIST_BUCKETS];
    int k = h->n / 30;
    if (k < 1 || !g->smooth) k = 1;
    SDL_Rect clip = {plot.x, plot.y, plot.w, plot.h};
    SDL_RenderSetClipRect(g->ren, &clip);
    for (int i = 0; i < h->n; i++) {
        double mid = h->b[i].step + (h->b[i].count - 1) * 0.5;
        xs[i] = (float)layout_map(ax, mid);
    }
    for (int j = 0; j < ns; j++) {
        int s = series[j];
        for (int i = 0; i < h->n; i++) {
            lo[i] = (float)layout_map(ay, h->b[i].min[s]);
            hi[i] = (float)layout_map(ay, h->b[i].max[s]);
        }
        draw_band(g, xs, lo, hi, h->n, draw_alpha(series_color(s), 45));
    }
    for (int j = 0; j < ns; j++) {
        int s = series[j];
        smooth_series(h, s, k, mean);
        for (int i = 0; i < h->n; i++)
            pts[i] = (SDL_FPoint){xs[i], isfinite(mean[i]) ? (float)layout_map(ay, mean[i]) : NAN};
        if (h->n == 1) { /* one bucket: a dot, so the curve is not invisible */
            lay_rect d = {(int)pts[0].x - 2, (int)pts[0].y - 2, 5, 5};
            draw_fill(g, d, series_color(s));
        }
        draw_polyline(g, pts, h->n, 2.5f, series_color(s));
    }
    SDL_RenderSetClipRect(g->ren, NULL);
}

static int cmp_float(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* The y range of the loss plot: the 1st to 99th percentile of the bucket
 * means, so that one early spike does not flatten the rest of the run (the
 * spike is clipped at the plot's edge). */
static lay_axis loss_axis(gui *g, lay_rect plot, int *log_out) {
    const history *h = &g->snap->hist;
    float v[2 * HIST_BUCKETS];
    int n = 0;
    for (int i = 0; i < h->n; i++)
        for (int j = 0; j < 2; j++) {
            float m = h->b[i].mean[series_loss[j]];
            if (isfinite(m) && (!g->logy || m > 0)) v[n++] = m;
        }
    int log = g->logy && n > 0;
    double lo = 0.0, hi = 1.0;
    if (n > 0) {
        qsort(v, (size_t)n, sizeof v[0], cmp_float);
        lo = v[n / 100];
        hi = v[n - 1 - n / 100];
    }
    if (log) {
        layout_log_range(&lo, &hi);
    } else {
        if (lo > 0) lo = 0; /* losses read best from zero */
        hi += (hi - lo) * 0.05;
        layout_nice_range(&lo, &hi, 5);
    }
    *log_out = log;
    return layout_axis(lo, hi, plot.y + plot.h - 1, plot.y, log);
}

void panel_loss_draw(gui *g, lay_rect r) {
    const snapshot *s = g->snap;
    const history *h = &s->hist;
    lay_rect c = draw_panel(g, r, "Training curves");

    /* toggles on the title line */
    int ty = r.y + g->lay.pad / 2 + 2, tx = r.x + r.w - g->lay.pad;
    tx -=
        text_draw(g->tc, FONT_SMALL, tx, ty, ALIGN_RIGHT, COL_TEXT, g->logy ? "log" : "linear") + 4;
    tx -= text_draw(g->tc, FONT_SMALL, tx, ty, ALIGN_RIGHT, COL_EVENT, "o") + g->lay.pad;
    tx -= text_draw(g->tc, FONT_SMALL, tx, ty, ALIGN_RIGHT, COL_TEXT,
                    g->smooth ? "smoothed" : "raw") +
          4;
    text_draw(g->tc, FONT_SMALL, tx, ty, ALIGN_RIGHT, COL_EVENT, "c");

    /* legend */
    int lh = text_line(g->tc, FONT_SMALL), x = c.x;
    const char *names[4] = {"D loss", "G loss", "D(x) real", "D(G(z)) fake"};
    for (int i = 0; i < 4; i++) x += draw_legend(g, x, c.y, series_color(i), names[i]) + lh;

    int ylab_w, th;
    text_measure(g->tc, FONT_SMALL, "0.0000", &ylab_w, &th);
    lay_rect area = layout_inset(c, ylab_w + 6, lh + g->lay.pad / 2, 4, lh + 2);
    if (area.h < 20 || area.w < 20) return;
    int gap = lh; /* room for the two plots' end labels */
    lay_rect top = {area.x, area.y, area.w, (area.h - gap) * 3 / 5};
    lay_rect bot = {area.x, top.y + top.h + gap, area.w, area.y + area.h - (top.y + top.h + gap)};
    draw_fill(g, top, COL_BG);
    draw_fill(g, bot, COL_BG);

    double x_lo = h->n ? (double)h->b[0].step : 0.0;
    double x_hi = h->n ? (double)(h->b[h->n - 1].step + h->b[h->n - 1].count) : 1.0;
    if (x_hi < x_lo + 10) x_hi = x_lo + 10;
    lay_axis ax = layout_axis(x_lo, x_hi, area.x, area.x + area.w - 1, 0);
    int max_xt = area.w / (g->lay.small_px * 5);
    if (max_xt < 2) max_xt = 2;

    int log;
    lay_axis ay = loss_axis(g, top, &log);
    lay_axis ap = layout_axis(0.0, 1.0, bot.y + bot.h - 1, bot.y, 0);
    draw_axis_y(g, top, &ay, top.h / (lh * 2) + 1);
    draw_axis_y(g, bot, &ap, bot.h / (lh * 2) < 3 ? 2 : 3);
    draw_axis_x(g, bot, &ax, max_xt);
    { /* the step grid over the upper plot too */
        double t[32];
        int n = layout_ticks(ax.lo, ax.hi, max_xt, t, 32);
        draw_color(g, COL_GRID);
        for (int i = 0; i < n; i++) {
            int px = (int)lround(layout_map(&ax, t[i]));
            SDL_RenderDrawLine(g->ren, px, top.y, px, top.y + top.h - 1);
        }
    }
    if (log)
        text_draw(g->tc, FONT_SMALL, top.x + top.w - 4, top.y + top.h - 2,
                  ALIGN_RIGHT | ALIGN_BOTTOM, COL_DIM, "log scale");
    text_draw(g->tc, FONT_SMALL, c.x, bot.y + bot.h + 2, ALIGN_LEFT, COL_DIM, "step");

    if (h->n > 0) {
        draw_series(g, top, &ax, &ay, series_loss, 2);
        draw_series(g, bot, &ax, &ap, series_prob, 2);
    }
    draw_events(g, top, bot, &ax);
}
