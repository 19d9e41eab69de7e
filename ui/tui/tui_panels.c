/* tui_panels.c - the panels of the ncurses mode (status line, samples, loss
 * curves, histograms, message line, help overlay) rendered from a snapshot into
 * canvases. Pure: no curses, no clock; tui.c owns the screen and the timing. */
#include "tui_panels.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void tui_view_defaults(tui_view *v) {
    memset(v, 0, sizeof *v);
    v->st.utf8 = 1;
    v->st.colors = 256;
    v->sel.net = NET_G;
    v->sel.layer = -1;
    v->heatmap = 1;
    v->points = 1;
}

/* A colour when the terminal has colours, else the terminal's default. */
static int32_t col(const tui_view *v, int32_t c) {
    return v->st.colors ? c : TUI_DEFAULT;
}

/* Backgrounds only in 256 colours and up: 8-colour backgrounds are garish. */
static int32_t bgc(const tui_view *v, int32_t c) {
    return v->st.colors >= 256 ? c : TUI_DEFAULT;
}

/* The title bar of a panel: row 0, a shaded (or reverse) bar with bold text.
 * Returns the column after the title. */
static int title_bar(tui_canvas *cv, const tui_view *v, const char *title) {
    int shaded = v->st.colors >= 256;
    int attr = shaded ? 0 : TUI_REVERSE;
    tui_fill(cv, (tui_rect){0, 0, cv->w, 1}, L' ', col(v, TUI_C_TITLE_FG), bgc(v, TUI_C_TITLE_BG),
             attr);
    return 1 + tui_text(cv, 1, 0, title, 0, col(v, TUI_C_TITLE_FG), bgc(v, TUI_C_TITLE_BG),
                        attr | TUI_BOLD, v->st.utf8);
}

/* Text on the title bar from column x, clipped one column before the edge;
 * returns the column after it. */
static int title_text(tui_canvas *cv, const tui_view *v, int x, const char *s, int32_t fg) {
    int attr = v->st.colors >= 256 ? 0 : TUI_REVERSE;
    int room = cv->w - x - 1;
    if (room <= 0) return x;
    return x + tui_text(cv, x, 0, s, room, col(v, fg), bgc(v, TUI_C_TITLE_BG), attr, v->st.utf8);
}

static void fmt_steps(long n, char *buf, int sz) {
    if (n >= 10000000)
        snprintf(buf, sz, "%.0fM", n / 1e6);
    else if (n >= 100000)
        snprintf(buf, sz, "%.0fk", n / 1e3);
    else if (n >= 10000)
        snprintf(buf, sz, "%.1fk", n / 1e3);
    else
        snprintf(buf, sz, "%ld", n);
}

/* ---- status line ---- */

typedef struct seg {
    char text[96];
    int prio; /* 1 = keep longest */
    int32_t fg;
    int attr;
} seg;

void tui_panel_status(tui_canvas *cv, const snapshot *s, const tui_view *v) {
    tui_canvas_clear(cv);
    seg sg[12];
    int n = 0;
#define SEG(p, f, a, ...)                                                                          \
    do {                                                                                           \
        snprintf(sg[n].text, sizeof sg[n].text, __VA_ARGS__);                                      \
        sg[n].prio = p;                                                                            \
        sg[n].fg = f;                                                                              \
        sg[n].attr = a;                                                                            \
        n++;                                                                                       \
    } while (0)
    SEG(2, TUI_DEFAULT, TUI_BOLD, "%s", s->preset[0] ? s->preset : "ganscope");
    SEG(1, TUI_DEFAULT, 0, "step %ld", s->step);
    if (!s->running)
        SEG(1, TUI_C_WARN, TUI_BOLD, "STOPPED");
    else if (s->paused)
        SEG(1, TUI_C_PAUSED, TUI_BOLD | (v->st.colors ? 0 : TUI_REVERSE), "PAUSED");
    else
        SEG(1, TUI_DEFAULT, 0, "%.0f steps/s", s->steps_per_s);
    char lbl[32];
    keymap_selection_label(&v->sel, lbl, sizeof lbl);
    SEG(2, v->sel.net == NET_G ? TUI_C_GLOSS : TUI_C_DLOSS, TUI_BOLD, "[%s]", lbl);
    if (s->has_modes)
        SEG(3, TUI_DEFAULT, 0, "modes %d/%d hq %.2f kl %.2f", s->modes.modes, s->modes.n_modes,
            s->modes.hq, s->modes.kl);
    SEG(4, TUI_DEFAULT, 0, "loss %s", loss_name(s->loss));
    SEG(4, TUI_DEFAULT, 0, "lr G %.1e D %.1e", s->g.lr, s->d.lr);
    SEG(5, TUI_DEFAULT, 0, "d_steps %d", s->d_steps);
#undef SEG
    /* the most important segments that fit, in their display order */
    const char *sep = v->st.utf8 ? " \u2502 " : " | ";
    int keep[12] = {0}, len = 1;
    for (int p = 1; p <= 5; p++)
        for (int i = 0; i < n; i++) {
            int need = (int)strlen(sg[i].text) + (len > 1 ? 3 : 0);
            if (sg[i].prio == p && len + need <= cv->w) keep[i] = 1, len += need;
        }
    int x = 1;
    for (int i = 0; i < n; i++) {
        if (!keep[i]) continue;
        if (x > 1) x += tui_text(cv, x, 0, sep, 0, col(v, TUI_C_AXIS), TUI_DEFAULT, 0, v->st.utf8);
        x += tui_text(cv, x, 0, sg[i].text, 0, col(v, sg[i].fg), TUI_DEFAULT, sg[i].attr, 1);
    }
}

/* ---- message line ---- */

void tui_panel_message(tui_canvas *cv, const snapshot *s, const tui_view *v) {
    tui_canvas_clear(cv);
    const char *hint = "h help  q quit";
    int hw = (int)strlen(hint);
    int room = cv->w - hw - 3;
    if (room < 10) room = cv->w - 1, hw = 0;
    char line[256];
    int32_t fg = TUI_DEFAULT;
    int attr = 0;
    if (v->notice[0]) {
        snprintf(line, sizeof line, "%s", v->notice);
        fg = TUI_C_PAUSED;
        attr = TUI_BOLD;
    } else if (s->n_events > 0) {
        const engine_event *e = &s->events[s->n_events - 1];
        snprintf(line, sizeof line, "step %ld: %s%s", e->step, e->refused ? "refused: " : "",
                 e->text);
        if (e->refused) fg = TUI_C_WARN, attr = TUI_BOLD;
    } else {
        snprintf(line, sizeof line,
                 "Tab G/D  Up/Down layer  1-0 activation  [ ] slope  "
                 "space pause");
    }
    tui_text(cv, 1, 0, line, room, col(v, fg), TUI_DEFAULT, attr, v->st.utf8);
    if (hw) tui_text(cv, cv->w - hw - 1, 0, hint, 0, col(v, TUI_C_AXIS), TUI_DEFAULT, 0, 1);
}

/* ---- samples ---- */

/* D(x) shading, dark so the dots stay readable: navy where D says fake, grey
 * where it cannot tell, red where it says real. */
static int32_t heat_color(float d) {
    static const int32_t ramp[6] = {17, 233, 235, 236, 52, 88};
    int k = (int)(d * 6.0f);
    return ramp[k < 0 ? 0 : k > 5 ? 5 : k];
}

static void samples_points(tui_canvas *cv, const snapshot *s, const tui_view *v, tui_rect area) {
    tui_dotmap m = tui_dotmap_make(area, s->view);
    int utf8 = v->st.utf8;
    if (v->heatmap && v->st.colors >= 256) {
        int cx0 = m.dots.x / 2, cx1 = (m.dots.x + m.dots.w + 1) / 2;
        int cy0 = m.dots.y / 4, cy1 = (m.dots.y + m.dots.h + 3) / 4;
        float xr = s->view[1] - s->view[0], yr = s->view[3] - s->view[2];
        for (int cy = cy0; cy < cy1; cy++)
            for (int cx = cx0; cx < cx1; cx++) {
                float x = ((float)(2 * cx + 1) - m.ox) / m.sx;
                float y = ((float)(4 * cy + 2) - m.oy) / m.sy;
                int j = (int)((x - s->view[0]) / xr * SNAP_GRID);
                int i = (int)((s->view[3] - y) / yr * SNAP_GRID);
                j = j < 0 ? 0 : j >= SNAP_GRID ? SNAP_GRID - 1 : j;
                i = i < 0 ? 0 : i >= SNAP_GRID ? SNAP_GRID - 1 : i;
                tui_cell *c = tui_canvas_at(cv, cx, cy);
                if (c) c->bg = heat_color(s->heat[i * SNAP_GRID + j]);
            }
    }
    if (v->manifold && s->has_manifold) {
        const int M = SNAP_MANIFOLD;
        int32_t fg = col(v, TUI_C_MANIFOLD);
        for (int i = 0; i < M; i++)
            for (int j = 0; j < M; j++) {
                const float *p = &s->manifold[2 * (i * M + j)];
                int x0 = (int)(m.ox + p[0] * m.sx), y0 = (int)(m.oy + p[1] * m.sy);
                for (int k = 0; k < 2; k++) {
                    int ii = i + k, jj = j + 1 - k;
                    if (ii >= M || jj >= M) continue;
                    const float *q = &s->manifold[2 * (ii * M + jj)];
                    int x1 = (int)(m.ox + q[0] * m.sx), y1 = (int)(m.oy + q[1] * m.sy);
                    /* clip by skipping segments with an end outside the view */
                    if (x0 < m.dots.x || x1 < m.dots.x || y0 < m.dots.y || y1 < m.dots.y ||
                        x0 >= m.dots.x + m.dots.w || x1 >= m.dots.x + m.dots.w ||
                        y0 >= m.dots.y + m.dots.h || y1 >= m.dots.y + m.dots.h)
                        continue;
                    tui_dot_line(cv, x0, y0, x1, y1, fg, utf8);
                }
            }
    }
    if (v->points) {
        int n = s->n_points < SNAP_POINTS ? s->n_points : SNAP_POINTS;
        tui_scatter(cv, &m, s->real_pts, n, col(v, TUI_C_REAL), utf8, '.');
        /* without colours, generated points are letters so they stay apart */
        tui_scatter(cv, &m, s->fake_pts, n, col(v, TUI_C_FAKE), utf8 && v->st.colors, 'o');
    }
}

tui_grid tui_image_grid(int w, int h, int iw, int ih, int n) {
    tui_grid g = {0};
    if (iw <= 0 || ih <= 0 || n <= 0 || w <= 0 || h <= 0) return g;
    /* the largest images that show a dozen; but not below 12 pixels (about
     * where Fashion-MNIST stops being recognisable) unless nothing fits */
    int want = n < 12 ? n : 12, smin = iw < 12 ? iw : 12;
    int best_s = 0, best_n = 0;
    for (int s = 2 * iw; s >= 4; s--) {
        int ph = (s * ih + iw / 2) / iw;
        if (ph < 1) ph = 1;
        int ch = (ph + 1) / 2;
        int cols = (w + 1) / (s + 1), rows = (h + 1) / (ch + 1);
        int k = cols * rows < n ? cols * rows : n;
        if (k >= want) {
            best_s = s;
            break;
        }
        if (k > best_n && (s >= smin || best_n == 0)) {
            best_n = k;
            best_s = s;
        }
        if (s <= smin && best_n > 0) break;
    }
    if (!best_s) return g;
    g.px_w = best_s;
    g.px_h = (best_s * ih + iw / 2) / iw;
    if (g.px_h < 1) g.px_h = 1;
    g.cell_w = g.px_w;
    g.cell_h = (g.px_h + 1) / 2;
    g.cols = (w + 1) / (g.cell_w + 1);
    g.rows = (h + 1) / (g.cell_h + 1);
    return g;
}

static void samples_images(tui_canvas *cv, const snapshot *s, const tui_view *v, tui_rect area) {
    int pix = s->width * s->height;
    if (s->n_images <= 0 || pix <= 0 || pix > SNAP_IMG_PIX) {
        tui_text(cv, area.x + 1, area.y, "(no images in this snapshot)", 0, TUI_DEFAULT,
                 TUI_DEFAULT, 0, v->st.utf8);
        return;
    }
    tui_grid g = tui_image_grid(area.w, area.h, s->width, s->height, s->n_images + SNAP_REAL);
    if (!g.cols || !g.rows) return;
    /* with three rows or more, the last row shows real images for comparison */
    int real_row = g.rows >= 3 ? g.rows - 1 : -1;
    int gw = g.cols * (g.cell_w + 1) - 1;
    int x0 = area.x + (area.w - gw) / 2;
    int fake_i = 0;
    for (int r = 0; r < g.rows; r++) {
        int y = area.y + r * (g.cell_h + 1);
        if (r == real_row && r > 0)
            tui_text(cv, x0, y - 1, "real:", 0, col(v, TUI_C_REAL), TUI_DEFAULT, TUI_BOLD, 1);
        for (int c = 0; c < g.cols; c++) {
            const uint8_t *img;
            if (r == real_row) {
                if (c >= SNAP_REAL) break;
                img = s->real_img + (long)c * pix;
            } else {
                if (fake_i >= s->n_images) break;
                img = s->fake_img + (long)fake_i++ * pix;
            }
            tui_image(cv, x0 + c * (g.cell_w + 1), y, img, s->width, s->height, g.px_w, g.px_h,
                      &v->st);
        }
    }
}

void tui_panel_samples(tui_canvas *cv, const snapshot *s, const tui_view *v) {
    tui_canvas_clear(cv);
    char t[96];
    if (s->images)
        snprintf(t, sizeof t, "Samples  %dx%d images", s->width, s->height);
    else
        snprintf(t, sizeof t, "Samples  %s", s->data_name);
    int x = title_bar(cv, v, t) + 2;
    const char *dot = v->st.utf8 ? "\u28ff" : ".";
    if (s->images) {
        title_text(cv, v, x, "G(z) for fixed noise", TUI_C_TITLE_FG);
    } else {
        x = title_text(cv, v, x, dot, TUI_C_REAL);
        x = title_text(cv, v, x, " real  ", TUI_C_TITLE_FG);
        x = title_text(cv, v, x, v->st.utf8 && v->st.colors ? dot : "o", TUI_C_FAKE);
        x = title_text(cv, v, x, " generated", TUI_C_TITLE_FG);
        if (v->heatmap && v->st.colors >= 256 && x + 19 < cv->w) {
            x = title_text(cv, v, x, "  D(x): ", TUI_C_TITLE_FG);
            x = title_text(cv, v, x, "fake", 75);
            x = title_text(cv, v, x, "..", TUI_C_TITLE_FG);
            title_text(cv, v, x, "real", 167);
        }
    }
    tui_rect area = {0, 1, cv->w, cv->h - 1};
    if (area.h <= 0) return;
    if (s->images)
        samples_images(cv, s, v, area);
    else
        samples_points(cv, s, v, area);
}

/* ---- loss curves ---- */

void tui_event_label(const char *text, char *buf, int n) {
    char net[8] = "";
    const char *rest = text;
    if ((text[0] == 'G' || text[0] == 'D') && text[1] == ' ') {
        int layer;
        if (sscanf(text + 2, "layer %d:", &layer) == 1)
            snprintf(net, sizeof net, "%c%d ", text[0], layer);
        else if (strncmp(text + 2, "all layers:", 11) == 0)
            snprintf(net, sizeof net, "%c ", text[0]);
        const char *colon = strchr(text, ':');
        if (net[0] && colon) rest = colon + 1;
    }
    const char *arrow = strstr(rest, "-> ");
    const char *eq = strstr(rest, " = ");
    if (arrow) {
        snprintf(buf, n, "%s%s", net, arrow + 3);
    } else if (net[0] && eq) {
        const char *p = strstr(rest, "alpha") ? "a" : "s";
        snprintf(buf, n, "%s%s=%s", net, p, eq + 3);
    } else if (strncmp(text, "G learning rate ", 16) == 0 ||
               strncmp(text, "D learning rate ", 16) == 0) {
        snprintf(buf, n, "%c lr %s", text[0], text + 16);
    } else if (strncmp(text, "D steps per G step ", 19) == 0) {
        snprintf(buf, n, "k=%s", text + 19);
    } else if (strncmp(text, "loss ", 5) == 0) {
        snprintf(buf, n, "%s", text + 5);
    } else {
        /* the first word */
        int k = 0;
        while (text[k] && text[k] != ' ' && text[k] != '(' && k < 12) k++;
        snprintf(buf, n, "%.*s", k, text);
    }
    /* one line, no trailing blank */
    for (char *p = buf; *p; p++)
        if (*p == '\n') *p = ' ';
    size_t len = strlen(buf);
    while (len && buf[len - 1] == ' ') buf[--len] = 0;
}

#define MAX_BUCKETS HIST_BUCKETS

/* Series s of the history resampled to at most cols points (the mean of the
 * buckets that fall in each plot column), smoothed or not, log10 when logy;
 * returns the number of points. */
static int series(const history *h, int s, int cols, int smooth, int logy, float *out) {
    int n = h->n, m = n <= cols ? n : cols;
    for (int c = 0; c < m; c++) {
        int b0 = (int)((long)c * n / m), b1 = (int)((long)(c + 1) * n / m);
        double sum = 0;
        int k = 0;
        for (int b = b0; b < b1; b++)
            if (isfinite(h->b[b].mean[s])) sum += h->b[b].mean[s], k++;
        float v = k ? (float)(sum / k) : NAN;
        out[c] = logy && isfinite(v) ? log10f(v > 1e-4f ? v : 1e-4f) : v;
    }
    if (smooth && m > 3) {
        /* centred moving average, about 1/25 of the plot each side */
        float tmp[MAX_BUCKETS];
        int r = m / 25 < 1 ? 1 : m / 25;
        for (int i = 0; i < m; i++) {
            double sum = 0;
            int c = 0;
            for (int j = i - r; j <= i + r; j++)
                if (j >= 0 && j < m && isfinite(out[j])) sum += out[j], c++;
            tmp[i] = c ? (float)(sum / c) : NAN;
        }
        memcpy(out, tmp, (size_t)m * sizeof *out);
    }
    return m;
}

static void axis_label(tui_canvas *cv, const tui_view *v, int x, int y, int w, float val,
                       int logy) {
    char b[16];
    if (logy)
        snprintf(b, sizeof b, "%.2g", pow(10.0, val));
    else
        snprintf(b, sizeof b, "%.3g", val);
    int len = (int)strlen(b);
    if (len > w) len = w;
    tui_text(cv, x + w - len, y, b, w, col(v, TUI_C_AXIS), TUI_DEFAULT, 0, 1);
}

/* Event markers: a dotted column per applied event at its step (drawn before
 * the curves, which win), and a short label on label_row when there is room. */
static void event_markers(tui_canvas *cv, const snapshot *s, const tui_view *v, tui_rect plot,
                          int label_row, int y_top, int y_bot, long x0, long x1) {
    wchar_t mark = v->st.utf8 ? 0x250A : L'|'; /* dashed vertical */
    int wd = 2 * plot.w, last_end = -1;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < s->n_events; i++) {
            const engine_event *e = &s->events[i];
            if (e->refused || e->step < x0 || e->step > x1) continue;
            int px = x1 > x0 ? (int)((double)(e->step - x0) / (double)(x1 - x0) * (wd - 1)) : 0;
            int cx = plot.x + px / 2;
            if (pass == 0) {
                for (int y = y_top; y <= y_bot; y++)
                    tui_put(cv, cx, y, mark, col(v, TUI_C_MARK), TUI_DEFAULT, 0);
                if (label_row >= 0)
                    tui_put(cv, cx, label_row, mark, col(v, TUI_C_MARK), TUI_DEFAULT, 0);
                continue;
            }
            if (label_row < 0) continue;
            char lbl[32];
            tui_event_label(e->text, lbl, sizeof lbl);
            int len = (int)strlen(lbl);
            int lx = cx + 1;
            if (lx + len > plot.x + plot.w) lx = cx - len; /* at the right edge: to the left */
            if (lx <= last_end || lx < plot.x) continue;
            tui_text(cv, lx, label_row, lbl, plot.x + plot.w - lx, col(v, TUI_C_LABEL), TUI_DEFAULT,
                     0, v->st.utf8);
            last_end = lx + len;
        }
}

void tui_panel_loss(tui_canvas *cv, const snapshot *s, const tui_view *v) {
    tui_canvas_clear(cv);
    int x = title_bar(cv, v, "Loss") + 1;
    const char *bar = v->st.utf8 ? "\u2501" : "-";
    x = title_text(cv, v, x, bar, TUI_C_DLOSS);
    x = title_text(cv, v, x, "D ", TUI_C_TITLE_FG);
    x = title_text(cv, v, x, bar, TUI_C_GLOSS);
    x = title_text(cv, v, x, "G   ", TUI_C_TITLE_FG);
    x = title_text(cv, v, x, bar, TUI_C_REAL);
    x = title_text(cv, v, x, "D(x) ", TUI_C_TITLE_FG);
    x = title_text(cv, v, x, bar, TUI_C_FAKE);
    x = title_text(cv, v, x, "D(G(z))", TUI_C_TITLE_FG);
    if (v->smooth) x = title_text(cv, v, x, "  smooth", TUI_C_LABEL);
    if (v->logy) x = title_text(cv, v, x, "  log", TUI_C_LABEL);

    const history *h = &s->hist;
    int rows = cv->h - 1;
    if (rows < 2) return;
    if (h->n < 2) {
        tui_text(cv, 2, 1 + rows / 2, "waiting for training steps...", 0, col(v, TUI_C_AXIS),
                 TUI_DEFAULT, 0, 1);
        return;
    }
    int axis_row = rows >= 9;  /* step labels under the plots */
    int label_row = rows >= 7; /* event labels above them */
    int avail = rows - axis_row - label_row;
    int top_h = avail >= 5 ? avail * 3 / 5 : avail;
    int bot_h = avail - top_h;
    int lw = 6; /* y labels */
    tui_rect top = {lw + 1, 1 + label_row, cv->w - lw - 2, top_h};
    tui_rect bot = {lw + 1, top.y + top_h, cv->w - lw - 2, bot_h};
    if (top.w < 4) return;
    long x0 = h->b[0].step, x1 = h->b[h->n - 1].step;
    if (s->step > x1) x1 = s->step;

    float dl[MAX_BUCKETS], gl[MAX_BUCKETS], dr[MAX_BUCKETS], df[MAX_BUCKETS];
    int cols = 2 * top.w < MAX_BUCKETS ? 2 * top.w : MAX_BUCKETS;
    int n = series(h, 0, cols, v->smooth, v->logy, dl);
    series(h, 1, cols, v->smooth, v->logy, gl);
    series(h, 2, cols, v->smooth, 0, dr);
    series(h, 3, cols, v->smooth, 0, df);
    float lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < n; i++) {
        if (isfinite(dl[i])) lo = fminf(lo, dl[i]), hi = fmaxf(hi, dl[i]);
        if (isfinite(gl[i])) lo = fminf(lo, gl[i]), hi = fmaxf(hi, gl[i]);
    }
    if (!isfinite(lo)) lo = 0, hi = 1;
    if (hi - lo < 1e-6f) lo -= 0.5f, hi += 0.5f;
    float pad = (hi - lo) * 0.05f;
    lo -= pad;
    hi += pad;

    event_markers(cv, s, v, top, label_row ? 1 : -1, top.y, bot.y + bot.h - 1, x0, x1);
    tui_plot_line(cv, top, dl, n, lo, hi, col(v, TUI_C_DLOSS), v->st.utf8);
    tui_plot_line(cv, top, gl, n, lo, hi, col(v, TUI_C_GLOSS), v->st.utf8);
    axis_label(cv, v, 0, top.y, lw, hi, v->logy);
    axis_label(cv, v, 0, top.y + top.h - 1, lw, lo, v->logy);
    if (bot.h > 0) {
        /* a faint line at D = 0.5, where an optimal D sits at equilibrium */
        int mid = tui_plot_row(bot, 0.5f, 0, 1) / 4;
        for (int c = bot.x; c < bot.x + bot.w; c++) {
            tui_cell *cell = tui_canvas_at(cv, c, mid);
            if (cell && cell->ch == L' ')
                tui_put(cv, c, mid, v->st.utf8 ? 0x2508 : L'-', col(v, TUI_C_MARK), TUI_DEFAULT, 0);
        }
        tui_plot_line(cv, bot, dr, n, 0, 1, col(v, TUI_C_REAL), v->st.utf8);
        tui_plot_line(cv, bot, df, n, 0, 1, col(v, TUI_C_FAKE), v->st.utf8);
        tui_text(cv, lw - 3, bot.y, "D 1", 0, col(v, TUI_C_AXIS), TUI_DEFAULT, 0, 1);
        if (bot.h > 2) tui_text(cv, lw - 2, mid, ".5", 0, col(v, TUI_C_AXIS), TUI_DEFAULT, 0, 1);
        if (bot.h > 1)
            tui_text(cv, lw - 1, bot.y + bot.h - 1, "0", 0, col(v, TUI_C_AXIS), TUI_DEFAULT, 0, 1);
    }
    /* the separation between the y labels and the plots */
    for (int y = top.y; y < top.y + avail; y++)
        tui_put(cv, lw, y, v->st.utf8 ? 0x2502 : L'|', col(v, TUI_C_AXIS), TUI_DEFAULT, 0);
    if (axis_row) {
        char a[24], b[24];
        fmt_steps(x0, a, sizeof a);
        fmt_steps(x1, b, sizeof b);
        int y = cv->h - 1;
        tui_text(cv, top.x, y, a, 0, col(v, TUI_C_AXIS), TUI_DEFAULT, 0, 1);
        tui_text(cv, top.x + top.w - (int)strlen(b), y, b, 0, col(v, TUI_C_AXIS), TUI_DEFAULT, 0,
                 1);
        const char *st = "step";
        tui_text(cv, top.x + top.w / 2 - 2, y, st, 0, col(v, TUI_C_AXIS), TUI_DEFAULT, 0, 1);
    }
}

/* ---- histograms ---- */

/* The header of a layer's histogram, as much as fits in w columns: the
 * statistics in words when they fit, else abbreviated (d dead, s saturated,
 * g gradient norm). */
static void layer_header(const layer_stats *L, int net, int l, int pre, char *buf, int n, int w) {
    char part[7][48];
    const act_info *a = &act_table[L->act];
    float lo = pre ? L->pre_lo : L->post_lo, hi = pre ? L->pre_hi : L->post_hi;
    if (a->param)
        snprintf(part[0], sizeof part[0], "%c%d %s %s %.2f", net == NET_G ? 'G' : 'D', l + 1,
                 act_name(L->act), a->param, L->slope);
    else
        snprintf(part[0], sizeof part[0], "%c%d %s", net == NET_G ? 'G' : 'D', l + 1,
                 act_name(L->act));
    snprintf(part[4], sizeof part[4], "[%.2g, %.2g]", lo, hi);
    snprintf(part[5], sizeof part[5], "%d units", L->units);
    for (int shortform = 0; shortform < 2; shortform++) {
        const char *sep = shortform ? " " : "  ";
        if (!shortform) {
            snprintf(part[1], sizeof part[1], "dead %.0f%%", 100.0f * L->dead);
            snprintf(part[2], sizeof part[2], "sat %.0f%%", 100.0f * L->saturated);
            snprintf(part[3], sizeof part[3], "|grad| %.2g", L->grad_norm);
        } else {
            if (a->param)
                snprintf(part[0], sizeof part[0], "%c%d %s %.2f", net == NET_G ? 'G' : 'D', l + 1,
                         act_name(L->act), L->slope);
            snprintf(part[1], sizeof part[1], "d%.0f%%", 100.0f * L->dead);
            snprintf(part[2], sizeof part[2], "s%.0f%%", 100.0f * L->saturated);
            snprintf(part[3], sizeof part[3], "g%.2g", L->grad_norm);
        }
        snprintf(buf, n, "%s", part[0]);
        int k;
        for (k = 1; k < 6; k++) {
            size_t len = strlen(buf);
            if ((int)(len + strlen(sep) + strlen(part[k])) > w) break;
            snprintf(buf + len, n - len, "%s%s", sep, part[k]);
        }
        if (k > 3) return; /* dead, saturated and gradient all shown */
    }
}

void tui_panel_hist(tui_canvas *cv, const snapshot *s, const tui_view *v) {
    tui_canvas_clear(cv);
    int x = title_bar(cv, v, "Histograms") + 1;
    const char *what = v->pre ? "pre-activation, sqrt height  (v: post)"
                              : "post-activation, sqrt height  (v: pre)";
    if (x + (int)strlen(what) >= cv->w)
        what = v->pre ? "pre-activation  (v)" : "post-activation  (v)";
    title_text(cv, v, x, what, TUI_C_TITLE_FG);
    const snap_net *nets[2] = {&s->g, &s->d};
    int ng = s->g.n_hidden, nd = s->d.n_hidden, nl = ng + nd;
    int rows = cv->h - 1;
    if (nl <= 0 || rows <= 0) return;
    int per = rows / nl;
    int bar_h = per - 1 > 6 ? 6 : per - 1; /* block mode: a header line, then bars */
    int compact = per < 2;
    int y = 1;
    for (int k = 0; k < nl && y < cv->h; k++) {
        int net = k < ng ? NET_G : NET_D, l = k < ng ? k : k - ng;
        const layer_stats *L = &nets[net]->layer[l];
        /* square-root heights: relu's spike at 0 would flatten everything else */
        float bins[HIST_BINS];
        for (int b = 0; b < HIST_BINS; b++) {
            float f = v->pre ? L->pre_hist[b] : L->post_hist[b];
            bins[b] = f > 0 ? sqrtf(f) : 0;
        }
        int selected = v->sel.net == net && (v->sel.layer < 0 || v->sel.layer == l);
        int32_t fg = col(v, net == NET_G ? TUI_C_GLOSS : TUI_C_DLOSS);
        int32_t hbg = selected ? bgc(v, TUI_C_SEL_BG) : TUI_DEFAULT;
        int hattr = selected ? (TUI_BOLD | (v->st.colors >= 256 ? 0 : TUI_REVERSE)) : 0;
        char hdr[160];
        layer_header(L, net, l, v->pre, hdr, sizeof hdr, cv->w - 3);
        wchar_t mark = selected ? (v->st.utf8 ? 0x25B6 : L'>') : L' ';
        if (compact) {
            /* one line: label, bars, stats */
            char lab[40], st[40];
            const act_info *a = &act_table[L->act];
            if (a->param)
                snprintf(lab, sizeof lab, "%c%d %s %.2f", net == NET_G ? 'G' : 'D', l + 1,
                         act_name(L->act), L->slope);
            else
                snprintf(lab, sizeof lab, "%c%d %s", net == NET_G ? 'G' : 'D', l + 1,
                         act_name(L->act));
            snprintf(st, sizeof st, "d%.0f%% s%.0f%% g%.1e", 100.0f * L->dead,
                     100.0f * L->saturated, L->grad_norm);
            int lw = 18, sw = (int)strlen(st) + 1;
            tui_put(cv, 0, y, mark, fg, hbg, hattr);
            tui_fill(cv, (tui_rect){1, y, lw, 1}, L' ', TUI_DEFAULT, hbg, hattr);
            tui_text(cv, 1, y, lab, lw - 1, TUI_DEFAULT, hbg, hattr, v->st.utf8);
            int bw = cv->w - lw - 1 - sw;
            if (bw < 8) sw = 0, bw = cv->w - lw - 1;
            tui_bars(cv, (tui_rect){lw + 1, y, bw, 1}, bins, HIST_BINS, fg, v->st.utf8);
            if (sw) tui_text(cv, cv->w - sw, y, st, 0, col(v, TUI_C_AXIS), TUI_DEFAULT, 0, 1);
            y++;
        } else {
            tui_fill(cv, (tui_rect){0, y, cv->w, 1}, L' ', TUI_DEFAULT, hbg, hattr);
            tui_put(cv, 0, y, mark, fg, hbg, hattr);
            tui_text(cv, 2, y, hdr, cv->w - 3, TUI_DEFAULT, hbg, hattr, v->st.utf8);
            /* the activation name stands out in the network's colour */
            int ax = 2 + (int)(strchr(hdr, ' ') - hdr) + 1;
            tui_text(cv, ax, y, act_name(L->act), cv->w - ax - 1, fg, hbg, hattr | TUI_BOLD, 1);
            int bw = cv->w - 4 < 120 ? cv->w - 4 : 120;
            tui_bars(cv, (tui_rect){2, y + 1, bw, bar_h}, bins, HIST_BINS, fg, v->st.utf8);
            y += 1 + bar_h;
        }
    }
}

/* ---- help ---- */

typedef struct help_entry {
    char keys[24];
    char text[200];
} help_entry;

/* The key table as help entries: keys with the same help share an entry
 * ("h ?"), and the ten activation keys become one ("1..0"). */
static int help_entries(help_entry *out, int cap) {
    int n = 0, act_i = -1;
    for (int i = 0; i < keymap_count && n < cap; i++) {
        const keymap_entry *k = &keymap[i];
        if (k->action == KA_COMMAND && k->cmd == CMD_SET_ACT) {
            if (act_i < 0) {
                act_i = n++;
                snprintf(out[act_i].keys, sizeof out[act_i].keys, "%s", k->key_name);
                snprintf(out[act_i].text, sizeof out[act_i].text, "activation of the selection:");
            } else {
                size_t len = strlen(out[act_i].keys);
                const char *dots = strstr(out[act_i].keys, "..");
                /* "1..0": the first and the latest key */
                snprintf(out[act_i].keys + (dots ? (size_t)(dots - out[act_i].keys) : len),
                         sizeof out[act_i].keys - (dots ? (size_t)(dots - out[act_i].keys) : len),
                         "..%s", k->key_name);
            }
            size_t len = strlen(out[act_i].text);
            snprintf(out[act_i].text + len, sizeof out[act_i].text - len, " %s %s", k->key_name,
                     act_name((act_kind)k->act));
            continue;
        }
        int j;
        for (j = 0; j < n; j++)
            if (strcmp(out[j].text, k->help) == 0) break;
        if (j < n) {
            size_t len = strlen(out[j].keys);
            snprintf(out[j].keys + len, sizeof out[j].keys - len, " %s", k->key_name);
            continue;
        }
        snprintf(out[n].keys, sizeof out[n].keys, "%s", k->key_name);
        snprintf(out[n].text, sizeof out[n].text, "%s", k->help);
        n++;
    }
    return n;
}

/* The length of the first line of text wrapped at width (at a space when it can). */
static int wrap_len(const char *t, int width) {
    int len = (int)strlen(t);
    if (len <= width) return len;
    int k = width;
    while (k > 0 && t[k] != ' ') k--;
    return k > 0 ? k : width;
}

static int wrapped_lines(const char *t, int width) {
    int n = 0;
    while (*t) {
        int k = wrap_len(t, width);
        t += k;
        while (*t == ' ') t++;
        n++;
    }
    return n ? n : 1;
}

typedef struct help_geom {
    int ncols, cw, tw, rows, pages;
    int page[64], col[64], row[64], lines[64];
} help_geom;

/* Places the entries in columns of a w x h box, page by page; columns are
 * balanced when everything fits on one page. */
static void help_layout(const help_entry *e, int n, int w, int h, help_geom *g) {
    g->rows = h - 3 > 1 ? h - 3 : 1; /* frame and footer */
    g->ncols = (w - 2) / 46 > 0 ? (w - 2) / 46 : 1;
    g->cw = (w - 2) / g->ncols;
    g->tw = g->cw - 10;
    int total = 0;
    for (int i = 0; i < n; i++) total += g->lines[i] = wrapped_lines(e[i].text, g->tw);
    int target = g->rows;
    if (total <= g->rows * g->ncols) {
        target = (total + g->ncols - 1) / g->ncols;
        if (target > g->rows) target = g->rows;
    }
    int pg = 0, c = 0, r = 0;
    for (int i = 0; i < n; i++) {
        int limit = target;
        /* a balanced column may not hold the tail: fall back to full columns */
        if (c == g->ncols - 1) limit = g->rows;
        if (r + g->lines[i] > limit && r > 0) {
            r = 0;
            if (++c == g->ncols) c = 0, pg++;
        }
        g->page[i] = pg;
        g->col[i] = c;
        g->row[i] = r;
        r += g->lines[i];
    }
    g->pages = pg + 1;
}

int tui_help_pages(int w, int h) {
    help_entry e[64];
    help_geom g;
    int n = help_entries(e, 64);
    help_layout(e, n, w, h, &g);
    return g.pages;
}

void tui_panel_help(tui_canvas *cv, const tui_view *v) {
    tui_canvas_clear(cv);
    int32_t bg = bgc(v, 235), fg = col(v, 252);
    int attr = v->st.colors >= 256 ? 0 : TUI_REVERSE;
    tui_fill(cv, (tui_rect){0, 0, cv->w, cv->h}, L' ', fg, bg, attr);
    /* the frame */
    int u = v->st.utf8;
    for (int x = 0; x < cv->w; x++) {
        tui_put(cv, x, 0, u ? 0x2500 : L'-', fg, bg, attr);
        tui_put(cv, x, cv->h - 1, u ? 0x2500 : L'-', fg, bg, attr);
    }
    for (int y = 0; y < cv->h; y++) {
        tui_put(cv, 0, y, u ? 0x2502 : L'|', fg, bg, attr);
        tui_put(cv, cv->w - 1, y, u ? 0x2502 : L'|', fg, bg, attr);
    }
    tui_put(cv, 0, 0, u ? 0x250C : L'+', fg, bg, attr);
    tui_put(cv, cv->w - 1, 0, u ? 0x2510 : L'+', fg, bg, attr);
    tui_put(cv, 0, cv->h - 1, u ? 0x2514 : L'+', fg, bg, attr);
    tui_put(cv, cv->w - 1, cv->h - 1, u ? 0x2518 : L'+', fg, bg, attr);
    tui_text(cv, 2, 0, " Keys  (selection: Tab switches G/D, Up/Down picks a layer) ", cv->w - 4,
             fg, bg, attr | TUI_BOLD, u);

    help_entry e[64];
    help_geom g;
    int n = help_entries(e, 64);
    help_layout(e, n, cv->w, cv->h, &g);
    int pages = g.pages, page = v->help_page % g.pages;
    for (int i = 0; i < n; i++) {
        if (g.page[i] != page) continue;
        int x = 2 + g.col[i] * g.cw, y = 1 + g.row[i];
        tui_text(cv, x, y, e[i].keys, 7, col(v, 229), bg, attr | TUI_BOLD, u);
        const char *t = e[i].text;
        for (int l = 0; l < g.lines[i] && y + l < cv->h - 2; l++) {
            int k = wrap_len(t, g.tw);
            tui_text(cv, x + 8, y + l, t, k, fg, bg, attr, u);
            t += k;
            while (*t == ' ') t++;
        }
    }
    char foot[128];
    if (pages > 1)
        snprintf(foot, sizeof foot, "page %d/%d: PgDn/Right next, PgUp/Left back.  h ? Esc close",
                 page + 1, pages);
    else
        snprintf(foot, sizeof foot,
                 "h ? Esc close this help.  Screenshots (p, F12) need the window.");
    tui_text(cv, 2, cv->h - 2, foot, cv->w - 4, col(v, TUI_C_AXIS), bg, attr, u);
}

void tui_panel_too_small(tui_canvas *cv, int w, int h) {
    tui_canvas_clear(cv);
    char msg[128];
    snprintf(msg, sizeof msg, "terminal too small (%dx%d): need at least %dx%d", w, h, TUI_MIN_W,
             TUI_MIN_H);
    /* one line when it fits, else wrapped at spaces */
    int len = (int)strlen(msg), y = 0;
    const char *p = msg;
    while (len > 0 && y < cv->h) {
        int take = len;
        if (take > cv->w) {
            take = cv->w;
            while (take > 0 && p[take] != ' ') take--;
            if (take == 0) take = cv->w;
        }
        tui_text(cv, 0, y++, p, take, TUI_DEFAULT, TUI_DEFAULT, TUI_BOLD, 0);
        p += take;
        len -= take;
        while (*p == ' ') p++, len--;
    }
}
