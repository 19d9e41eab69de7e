/* panel_hist.c - inside the networks: a histogram of every hidden layer's
 * values (post-activation, or pre-activation with v) titled with its
 * activation and its dead and saturated fractions, the selection highlighted;
 * and a bar chart of per-layer gradient norms on a log scale, where vanishing
 * gradients (sigmoid, saturated tanh) show as bars that shrink by decades.
 * Clicking a histogram selects its layer; clicking G or D selects all. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gui.h"

static const snap_net *net_of(const snapshot *s, int net) {
    return net == NET_G ? &s->g : &s->d;
}

static SDL_Color net_color(int net) {
    return net == NET_G ? COL_G : COL_D;
}

static int selected(const gui *g, int net, int layer) {
    return g->sel.net == net && (g->sel.layer < 0 || g->sel.layer == layer);
}

/* "leaky_relu 0.20" or "relu" */
static void act_label(const layer_stats *ls, char *buf, size_t n) {
    const act_info *ai = &act_table[ls->act];
    if (ai->param)
        snprintf(buf, n, "%s %.2f", ai->name, ls->slope);
    else
        snprintf(buf, n, "%s", ai->name);
}

static void draw_cell(gui *g, lay_rect cell, int net, int l) {
    const layer_stats *ls = &net_of(g->snap, net)->layer[l];
    int sel = selected(g, net, l);
    SDL_Color nc = net_color(net);
    draw_fill(g, cell, sel ? (SDL_Color){34, 40, 50, 255} : COL_BG);
    draw_frame(g, cell, sel ? COL_EVENT : COL_BORDER, sel ? 2 : 1);
    int lh = text_line(g->tc, FONT_SMALL), p = 4;
    char buf[64], act[48];
    act_label(ls, act, sizeof act);
    int x = cell.x + p, y = cell.y + 2;
    x += text_drawf(g->tc, FONT_SMALL, x, y, ALIGN_LEFT, nc, "%c%d", net == NET_G ? 'G' : 'D',
                    l + 1) +
         6;
    text_draw(g->tc, FONT_SMALL, x, y, ALIGN_LEFT, COL_TEXT, act);
    int warn = ls->dead >= 0.25f || ls->saturated >= 0.25f;
    snprintf(buf, sizeof buf, "dead %.0f%%  sat %.0f%%", 100.0 * ls->dead, 100.0 * ls->saturated);
    text_draw(g->tc, FONT_SMALL, cell.x + p, y + lh, ALIGN_LEFT, warn ? COL_REFUSED : COL_DIM, buf);

    const float *hist = g->pre ? ls->pre_hist : ls->post_hist;
    float lo = g->pre ? ls->pre_lo : ls->post_lo, hi = g->pre ? ls->pre_hi : ls->post_hi;
    lay_rect bars = layout_inset(cell, p, 2 * lh + 4, p, lh + 2);
    if (bars.h < 4 || bars.w < HIST_BINS) return;
    /* Scale to the tallest bin, unless one bin towers over the rest (ReLU's
     * zeros): then scale to the runner-up and label the clipped bin, so the
     * shape of everything else stays visible. */
    float top = 0.0f, second = 0.0f;
    int top_bin = -1;
    for (int b = 0; b < HIST_BINS; b++)
        if (hist[b] > top) {
            second = top;
            top = hist[b];
            top_bin = b;
        } else if (hist[b] > second) {
            second = hist[b];
        }
    float scale = top;
    int clipped = second > 0 && top > 3.0f * second;
    if (clipped) scale = second * 1.5f;
    SDL_FRect r[HIST_BINS];
    int n = 0;
    float bw = (float)bars.w / HIST_BINS;
    for (int b = 0; b < HIST_BINS && scale > 0; b++) {
        float hgt = hist[b] / scale * bars.h;
        if (hgt > bars.h) hgt = (float)bars.h;
        if (hgt < 0.5f) continue;
        r[n++] = (SDL_FRect){bars.x + b * bw, bars.y + bars.h - hgt, bw > 2 ? bw - 1 : bw, hgt};
    }
    draw_color(g, draw_alpha(nc, 230));
    SDL_RenderFillRectsF(g->ren, r, n);
    if (clipped) {
        char pct[16];
        snprintf(pct, sizeof pct, "%.0f%%", 100.0 * top);
        int bx = (int)(bars.x + (top_bin + 1) * bw) + 2;
        int right = top_bin > HIST_BINS / 2;
        text_draw(g->tc, FONT_SMALL, right ? (int)(bars.x + top_bin * bw) - 2 : bx, bars.y,
                  right ? ALIGN_RIGHT : ALIGN_LEFT, nc, pct);
    }
    if (hi > lo && lo < 0 && hi > 0) { /* where zero is: dead ReLUs pile up there */
        float zx = bars.x + (0 - lo) / (hi - lo) * bars.w;
        draw_dashed_vline(g, zx, bars.y, bars.y + bars.h, 3, draw_alpha(COL_TEXT, 110));
    }
    char l0[24], l1[24];
    snprintf(l0, sizeof l0, "%.3g", lo);
    snprintf(l1, sizeof l1, "%.3g", hi);
    text_draw(g->tc, FONT_SMALL, bars.x, bars.y + bars.h + 1, ALIGN_LEFT, COL_DIM, l0);
    text_draw(g->tc, FONT_SMALL, bars.x + bars.w, bars.y + bars.h + 1, ALIGN_RIGHT, COL_DIM, l1);
}

void panel_hist_draw(gui *g, lay_rect r) {
    const snapshot *s = g->snap;
    char title[96];
    snprintf(title, sizeof title, "Hidden layers: %s-activation values", g->pre ? "pre" : "post");
    lay_rect c = draw_panel(g, r, title);
    int ty = r.y + g->lay.pad / 2 + 2, tx = r.x + r.w - g->lay.pad;
    tx -= text_draw(g->tc, FONT_SMALL, tx, ty, ALIGN_RIGHT, COL_TEXT, g->pre ? "post" : "pre") + 4;
    text_draw(g->tc, FONT_SMALL, tx, ty, ALIGN_RIGHT, COL_EVENT, "v");

    int cols = s->g.n_hidden > s->d.n_hidden ? s->g.n_hidden : s->d.n_hidden;
    if (cols < 1) cols = 1;
    int label_w = g->lay.font_px * 2;
    lay_rect grid = layout_inset(c, label_w, 0, 0, 0);
    for (int net = 0; net < 2; net++) {
        const snap_net *sn = net_of(s, net);
        lay_rect row = layout_cell(grid, 2, 1, net, 0, g->lay.pad);
        lay_rect lab = {c.x, row.y, label_w - g->lay.pad, row.h};
        g->hist_title[net] = lab;
        int all = g->sel.net == net && g->sel.layer < 0;
        if (all) draw_frame(g, lab, COL_EVENT, 2);
        text_draw(g->tc, FONT_BODY, lab.x + lab.w / 2, lab.y + lab.h / 2,
                  ALIGN_CENTER | ALIGN_MIDDLE, net_color(net), net == NET_G ? "G" : "D");
        g->hist_n[net] = sn->n_hidden;
        for (int l = 0; l < sn->n_hidden && l < MLP_MAX_LAYERS; l++) {
            lay_rect cell = layout_cell(row, 1, cols, 0, l, g->lay.pad);
            g->hist_cell[net][l] = cell;
            draw_cell(g, cell, net, l);
        }
    }
}

int panel_hist_click(gui *g, int x, int y) {
    for (int net = 0; net < 2; net++) {
        if (layout_contains(g->hist_title[net], x, y)) {
            g->sel = (ui_selection){net, -1};
            return 1;
        }
        for (int l = 0; l < g->hist_n[net]; l++)
            if (layout_contains(g->hist_cell[net][l], x, y)) {
                g->sel = (ui_selection){net, l};
                return 1;
            }
    }
    return 0;
}

void panel_grad_draw(gui *g, lay_rect r) {
    const snapshot *s = g->snap;
    lay_rect c = draw_panel(g, r, "Gradient norm per layer (log scale)");
    int nb = 0, nbar[2];
    double lo = INFINITY, hi = -INFINITY;
    for (int net = 0; net < 2; net++) {
        const snap_net *sn = net_of(s, net);
        nbar[net] = sn->n_hidden + 1; /* hidden layers and the output layer */
        nb += nbar[net];
        for (int l = 0; l < nbar[net]; l++) {
            double v = sn->layer[l].grad_norm;
            if (!(v > 0) || !isfinite(v)) continue;
            if (v < lo) lo = v;
            if (v > hi) hi = v;
        }
    }
    if (!isfinite(lo)) {
        lo = 1e-4;
        hi = 1.0;
    }
    if (lo < 1e-12) lo = 1e-12;
    layout_log_range(&lo, &hi);
    if (hi / lo < 100) lo = hi / 100; /* at least two decades: small changes stay small */
    int lh = text_line(g->tc, FONT_SMALL), ylab_w, th;
    text_measure(g->tc, FONT_SMALL, "1e-10", &ylab_w, &th);
    lay_rect plot = layout_inset(c, ylab_w + 6, lh, 4, lh + 2);
    if (plot.h < 10 || plot.w < 10) return;
    draw_fill(g, plot, COL_BG);
    lay_axis ay = layout_axis(lo, hi, plot.y + plot.h - 1, plot.y, 1);
    draw_axis_y(g, plot, &ay, plot.h / lh > 1 ? plot.h / lh : 1);

    /* one slot per bar plus one between the networks */
    int slots = nb + 1, slot = 0;
    float sw = (float)plot.w / slots;
    for (int net = 0; net < 2; net++) {
        const snap_net *sn = net_of(s, net);
        for (int l = 0; l < nbar[net]; l++, slot++) {
            double v = sn->layer[l].grad_norm;
            float x0 = plot.x + slot * sw + sw * 0.15f, bw = sw * 0.7f;
            float y = (float)layout_map(&ay, v > 0 && isfinite(v) ? v : lo);
            int out = l == sn->n_hidden;
            int sel = !out && selected(g, net, l);
            SDL_Color col = net_color(net);
            if (out) col = draw_alpha(col, 150);
            SDL_FRect bar = {x0, y, bw, plot.y + plot.h - y};
            draw_color(g, col);
            SDL_RenderFillRectF(g->ren, &bar);
            if (sel)
                draw_frame(
                    g,
                    (lay_rect){(int)x0 - 2, (int)y - 2, (int)bw + 4, plot.y + plot.h - (int)y + 2},
                    COL_EVENT, 2);
            char name[16], val[16];
            if (out)
                snprintf(name, sizeof name, "%cout", net == NET_G ? 'G' : 'D');
            else
                snprintf(name, sizeof name, "%c%d", net == NET_G ? 'G' : 'D', l + 1);
            snprintf(val, sizeof val, "%.2g", v);
            int cx = (int)(x0 + bw / 2);
            text_draw(g->tc, FONT_SMALL, cx, plot.y + plot.h + 1, ALIGN_CENTER, col, name);
            int vw, vh;
            text_measure(g->tc, FONT_SMALL, val, &vw, &vh);
            if (vw <= sw)
                text_draw(g->tc, FONT_SMALL, cx, (int)y - 1, ALIGN_CENTER | ALIGN_BOTTOM, COL_TEXT,
                          val);
        }
        slot++;
    }
}
