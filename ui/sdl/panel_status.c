/* panel_status.c - the status bar (step, rates, pause, preset, loss, learning
 * rates, D steps, the selection), the short notices that confirm each event for
 * a few seconds (refused commands in red), and the help overlay that lists
 * every entry of the shared keymap. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gui.h"

/* 1234567 -> "1,234,567" */
static void thousands(long v, char *buf, int n) {
    char raw[32];
    snprintf(raw, sizeof raw, "%ld", v < 0 ? -v : v);
    int len = (int)strlen(raw), o = 0;
    if (v < 0 && o < n - 1) buf[o++] = '-';
    for (int i = 0; i < len && o < n - 1; i++) {
        buf[o++] = raw[i];
        int left = len - 1 - i;
        if (left > 0 && left % 3 == 0 && o < n - 1) buf[o++] = ',';
    }
    buf[o] = '\0';
}

/* Draws a dim label then a bright value; advances *x past both and a gap. */
static void field(gui *g, int *x, int y, const char *label, SDL_Color vc, const char *value) {
    int gap = g->lay.font_px;
    if (label && label[0]) *x += text_draw(g->tc, FONT_BODY, *x, y, ALIGN_LEFT, COL_DIM, label) + 6;
    *x += text_draw(g->tc, FONT_MONO, *x, y, ALIGN_LEFT, vc, value) + gap;
}

void panel_status_draw(gui *g, lay_rect r) {
    const snapshot *s = g->snap;
    char buf[64];
    draw_fill(g, r, COL_PANEL);
    draw_fill(g, (lay_rect){r.x, r.y + r.h - 1, r.w, 1}, COL_BORDER);
    int pad = g->lay.pad, line = (r.h - 2 * pad) / 2;
    int x = r.x + pad, y = r.y + pad;

    /* line 1: what runs and how fast */
    x += text_draw(g->tc, FONT_BODY, x, y, ALIGN_LEFT, COL_TEXT, s->preset) + g->lay.font_px;
    thousands(s->step, buf, sizeof buf);
    field(g, &x, y, "step", COL_TEXT, buf);
    snprintf(buf, sizeof buf, "%.0f", s->steps_per_s);
    field(g, &x, y, "steps/s", COL_TEXT, buf);
    snprintf(buf, sizeof buf, "%.0f", g->fps);
    field(g, &x, y, "fps", g->fps >= 30 || g->fps == 0 ? COL_TEXT : COL_REFUSED, buf);
    if (s->paused) {
        int tw, th;
        text_measure(g->tc, FONT_BODY, "PAUSED", &tw, &th);
        draw_fill(g, (lay_rect){x - 4, y - 1, tw + 8, th + 2}, COL_PAUSED);
        x += text_draw(g->tc, FONT_BODY, x, y, ALIGN_LEFT, COL_BG, "PAUSED") + g->lay.font_px;
    }
    text_draw(g->tc, FONT_BODY, r.x + r.w - pad, y, ALIGN_RIGHT, COL_DIM, "h or ?: keys");

    /* line 2: the settings a key can change, coloured by network */
    x = r.x + pad;
    y += line;
    field(g, &x, y, "loss", COL_TEXT, loss_name(s->loss));
    snprintf(buf, sizeof buf, "%.3f", s->last.d_loss);
    field(g, &x, y, "D", COL_D, buf);
    snprintf(buf, sizeof buf, "%.3f", s->last.g_loss);
    field(g, &x, y, "G", COL_G, buf);
    snprintf(buf, sizeof buf, "%.2g", s->g.lr);
    field(g, &x, y, "lr G", COL_G, buf);
    snprintf(buf, sizeof buf, "%.2g", s->d.lr);
    field(g, &x, y, "lr D", COL_D, buf);
    snprintf(buf, sizeof buf, "%d", s->d_steps);
    field(g, &x, y, "D steps", COL_TEXT, buf);
    keymap_selection_label(&g->sel, buf, sizeof buf);
    int tw, th;
    text_measure(g->tc, FONT_BODY, buf, &tw, &th);
    int lx = x + text_draw(g->tc, FONT_BODY, x, y, ALIGN_LEFT, COL_DIM, "selected") + 8;
    draw_frame(g, (lay_rect){lx - 4, y - 1, tw + 8, th + 2}, COL_EVENT, 2);
    text_draw(g->tc, FONT_BODY, lx, y, ALIGN_LEFT, COL_EVENT, buf);
}

void panel_status_notices(gui *g) {
    /* drop the expired ones */
    int keep = 0;
    for (int i = 0; i < g->n_notice; i++)
        if (g->now - g->notice[i].t < GUI_NOTICE_SEC) g->notice[keep++] = g->notice[i];
    g->n_notice = keep;
    int line = text_line(g->tc, FONT_BODY), pad = g->lay.pad;
    int y = g->lay.h - g->lay.margin - pad;
    for (int i = g->n_notice - 1; i >= 0; i--) {
        const gui_notice *n = &g->notice[i];
        double left = GUI_NOTICE_SEC - (g->now - n->t);
        int a = left < 0.5 ? (int)(255 * left / 0.5) : 255;
        int tw, th;
        text_measure(g->tc, FONT_BODY, n->text, &tw, &th);
        lay_rect box = {(g->lay.w - tw) / 2 - 2 * pad, y - line - pad, tw + 4 * pad, line + pad};
        SDL_Color edge = n->refused ? COL_REFUSED : COL_EVENT;
        draw_fill(g, box, draw_alpha((SDL_Color){8, 10, 14, 255}, a * 9 / 10));
        draw_frame(g, box, draw_alpha(edge, a), 2);
        text_draw(g->tc, FONT_BODY, g->lay.w / 2, box.y + pad / 2, ALIGN_CENTER,
                  draw_alpha(n->refused ? COL_REFUSED : COL_TEXT, a), n->text);
        y = box.y - pad / 2;
    }
}

/* Column widths of the help for the current font sizes, measured once per
 * size rather than every frame. */
static void help_measure(gui *g) {
    if (g->help_px == g->lay.font_px) return;
    const int rows = (keymap_count + 1) / 2;
    text_font f = FONT_BODY;
    for (int pass = 0; pass < 2; pass++) {
        int kw = 0, hw = 0;
        for (int i = 0; i < keymap_count; i++) {
            int w, h;
            text_measure(g->tc, f == FONT_BODY ? FONT_MONO : FONT_SMALL, keymap[i].key_name, &w,
                         &h);
            if (w > kw) kw = w;
            text_measure(g->tc, f, keymap[i].help, &w, &h);
            if (w > hw) hw = w;
        }
        g->help_font = f;
        g->help_kw = kw;
        g->help_hw = hw;
        int need_h = (rows + 4) * text_line(g->tc, f), need_w = 2 * (kw + hw) + 8 * g->lay.pad;
        if (f == FONT_SMALL || (need_h < g->lay.h * 9 / 10 && need_w < g->lay.w * 95 / 100)) break;
        f = FONT_SMALL;
    }
    g->help_px = g->lay.font_px;
}

void panel_status_help(gui *g) {
    const int rows = (keymap_count + 1) / 2;
    help_measure(g);
    text_font f = g->help_font;
    int kw = g->help_kw, hw = g->help_hw;
    text_font kf = f == FONT_BODY ? FONT_MONO : FONT_SMALL;
    int line = text_line(g->tc, f), pad = g->lay.pad;
    int col_w = kw + 2 * pad + hw;
    int bw = 2 * col_w + 5 * pad, bh = (rows + 4) * line + 2 * pad;
    if (bw > g->lay.w) bw = g->lay.w;
    lay_rect box = {(g->lay.w - bw) / 2, (g->lay.h - bh) / 2, bw, bh};
    draw_fill(g, box, (SDL_Color){20, 24, 31, 255});
    draw_frame(g, box, COL_EVENT, 2);
    int y = box.y + pad;
    text_draw(g->tc, FONT_BODY, box.x + 2 * pad, y, ALIGN_LEFT, COL_TEXT,
              "Keys of the live lab (h, ? or Esc closes this)");
    y += line * 3 / 2;
    for (int i = 0; i < keymap_count; i++) {
        int col = i / rows, row = i % rows;
        int x = box.x + 2 * pad + col * (col_w + pad);
        int yy = y + row * line;
        text_draw(g->tc, kf, x + kw, yy, ALIGN_RIGHT, COL_EVENT, keymap[i].key_name);
        text_draw(g->tc, f, x + kw + 2 * pad, yy, ALIGN_LEFT, COL_TEXT, keymap[i].help);
    }
    char sel[48];
    keymap_selection_label(&g->sel, sel, sizeof sel);
    text_drawf(g->tc, FONT_SMALL, box.x + 2 * pad, y + rows * line + line / 2, ALIGN_LEFT, COL_DIM,
               "Commands act on the selection (now %s). Mouse: click a histogram to select its "
               "layer, a network's label for all of its layers.",
               sel);
}
