/* panel_act.c - the selected layer's activation f(z) and its derivative f'(z)
 * over [-4, 4], computed with the core's own forward and backward functions
 * and the layer's current slope, so a swap or a slope key changes the plot at
 * once. Behind them, faintly, the layer's pre-activation histogram: where the
 * inputs actually fall on the curve (flat parts mean small gradients). */
#include <math.h>
#include <stdio.h>

#include "gui.h"

#define ACT_N    161
#define ACT_ZMAX 4.0f

/* The pre-activation histogram mapped onto [-ZMAX, ZMAX]; returns the
 * fraction of values outside that range. */
static float draw_pre_hist(gui *g, lay_rect plot, const lay_axis *ax, const layer_stats *ls,
                           SDL_Color c) {
    float lo = ls->pre_lo, hi = ls->pre_hi, top = 0.0f, outside = 0.0f;
    if (!(hi > lo)) return 0.0f;
    for (int b = 0; b < HIST_BINS; b++)
        if (ls->pre_hist[b] > top) top = ls->pre_hist[b];
    if (!(top > 0)) return 0.0f;
    float bw = (hi - lo) / HIST_BINS;
    SDL_FRect r[HIST_BINS];
    int n = 0;
    for (int b = 0; b < HIST_BINS; b++) {
        float z0 = lo + b * bw, z1 = z0 + bw, zc = (z0 + z1) / 2;
        if (zc < -ACT_ZMAX || zc > ACT_ZMAX) {
            outside += ls->pre_hist[b];
            continue;
        }
        float x0 = (float)layout_map(ax, z0 < -ACT_ZMAX ? -ACT_ZMAX : z0);
        float x1 = (float)layout_map(ax, z1 > ACT_ZMAX ? ACT_ZMAX : z1);
        float h = ls->pre_hist[b] / top * plot.h * 0.85f;
        r[n++] = (SDL_FRect){x0, plot.y + plot.h - h, x1 - x0 > 1 ? x1 - x0 : 1, h};
    }
    draw_color(g, draw_alpha(c, 40));
    SDL_RenderFillRectsF(g->ren, r, n);
    return outside;
}

void panel_act_draw(gui *g, lay_rect r) {
    const snapshot *s = g->snap;
    const snap_net *sn = g->sel.net == NET_G ? &s->g : &s->d;
    int layer = g->sel.layer < 0 ? 0 : g->sel.layer;
    if (layer >= sn->n_hidden) layer = 0;
    const layer_stats *ls = &sn->layer[layer];
    act_kind k = ls->act;
    if ((int)k < 0 || k >= ACT_COUNT) k = ACT_IDENTITY;
    const act_info *ai = &act_table[k];

    char sel[32], title[128];
    keymap_selection_label(&g->sel, sel, sizeof sel);
    if (ai->param)
        snprintf(title, sizeof title, "%s: %s (%s %.2f)", sel, ai->name, ai->param, ls->slope);
    else
        snprintf(title, sizeof title, "%s: %s", sel, ai->name);
    lay_rect c = draw_panel(g, r, title);

    float z[ACT_N], a[ACT_N], one[ACT_N], dz[ACT_N];
    for (int i = 0; i < ACT_N; i++) {
        z[i] = -ACT_ZMAX + 2.0f * ACT_ZMAX * i / (ACT_N - 1);
        one[i] = 1.0f;
    }
    act_forward(k, z, a, ACT_N, ls->slope);
    act_backward(k, z, a, one, dz, ACT_N, ls->slope, NULL);
    double lo = -0.5, hi = 1.0;
    for (int i = 0; i < ACT_N; i++) {
        if (isfinite(a[i]) && a[i] < lo) lo = a[i];
        if (isfinite(a[i]) && a[i] > hi) hi = a[i];
        if (isfinite(dz[i]) && dz[i] < lo) lo = dz[i];
        if (isfinite(dz[i]) && dz[i] > hi) hi = dz[i];
    }
    layout_nice_range(&lo, &hi, 5);

    int lh = text_line(g->tc, FONT_SMALL), ylab_w, th;
    text_measure(g->tc, FONT_SMALL, "-0.5", &ylab_w, &th);
    /* legend on the right, the plot on the left */
    int legend_w;
    text_measure(g->tc, FONT_SMALL, "pre-activations", &legend_w, &th);
    legend_w += lh * 2 + g->lay.pad;
    lay_rect plot = layout_inset(c, ylab_w + 6, 2, legend_w, lh + 2);
    if (plot.w < 20 || plot.h < 20) return;
    draw_fill(g, plot, COL_BG);
    lay_axis ax = layout_axis(-ACT_ZMAX, ACT_ZMAX, plot.x, plot.x + plot.w - 1, 0);
    lay_axis ay = layout_axis(lo, hi, plot.y + plot.h - 1, plot.y, 0);
    draw_axis_x(g, plot, &ax, 9);
    draw_axis_y(g, plot, &ay, plot.h / (lh * 2) + 1 < 6 ? plot.h / (lh * 2) + 1 : 6);
    SDL_Color nc = g->sel.net == NET_G ? COL_G : COL_D;
    SDL_Rect clip = {plot.x, plot.y, plot.w, plot.h};
    SDL_RenderSetClipRect(g->ren, &clip);
    float outside = draw_pre_hist(g, plot, &ax, ls, nc);
    SDL_FPoint pf[ACT_N], pd[ACT_N];
    for (int i = 0; i < ACT_N; i++) {
        float x = (float)layout_map(&ax, z[i]);
        pf[i] = (SDL_FPoint){x, isfinite(a[i]) ? (float)layout_map(&ay, a[i]) : NAN};
        pd[i] = (SDL_FPoint){x, isfinite(dz[i]) ? (float)layout_map(&ay, dz[i]) : NAN};
    }
    /* the derivative dashed: every other run of 4 segments */
    for (int i = 0; i + 1 < ACT_N; i += 8) {
        int n = ACT_N - i < 5 ? ACT_N - i : 5;
        draw_polyline(g, pd + i, n, 2.0f, COL_EVENT);
    }
    draw_polyline(g, pf, ACT_N, 3.0f, nc);
    SDL_RenderSetClipRect(g->ren, NULL);

    int lx = plot.x + plot.w + g->lay.pad, ly = plot.y;
    draw_legend(g, lx, ly, nc, "f(z)");
    draw_legend(g, lx, ly + lh, COL_EVENT, "f'(z)");
    lay_rect sw = {lx, ly + 2 * lh + lh / 4, lh * 6 / 5, lh / 2};
    draw_fill(g, sw, draw_alpha(nc, 90));
    text_draw(g->tc, FONT_SMALL, lx + sw.w + 4, ly + 2 * lh, ALIGN_LEFT, COL_DIM, "inputs z");
    if (outside > 0.005f)
        text_drawf(g->tc, FONT_SMALL, lx, ly + 3 * lh, ALIGN_LEFT, COL_DIM,
                   "%.0f%% beyond \xc2\xb1%g", 100.0 * outside, (double)ACT_ZMAX);
    /* the formula on the title line, when it fits beside the title */
    int tw, hw;
    text_measure(g->tc, FONT_BODY, title, &tw, &th);
    text_measure(g->tc, FONT_SMALL, ai->help ? ai->help : "", &hw, &th);
    if (ai->help && r.x + 2 * g->lay.pad + tw + hw + g->lay.font_px < r.x + r.w)
        text_draw(g->tc, FONT_SMALL, r.x + r.w - g->lay.pad, r.y + g->lay.pad / 2 + 2, ALIGN_RIGHT,
                  COL_DIM, ai->help);
}
