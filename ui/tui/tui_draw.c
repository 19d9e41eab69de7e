/* tui_draw.c - pure rendering into character-cell canvases: braille dot plots,
 * half-block and ASCII-ramp images, block-character bars, and the screen
 * layout. No curses here (see tui_draw.h); tests/test_tui_draw.c checks it. */
#include "tui_draw.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- canvas ---- */

int tui_canvas_init(tui_canvas *cv, int w, int h) {
    cv->w = w > 0 ? w : 0;
    cv->h = h > 0 ? h : 0;
    cv->c = NULL;
    if (cv->w && cv->h) {
        cv->c = malloc((size_t)cv->w * cv->h * sizeof *cv->c);
        if (!cv->c) {
            cv->w = cv->h = 0;
            return -1;
        }
    }
    tui_canvas_clear(cv);
    return 0;
}

void tui_canvas_free(tui_canvas *cv) {
    free(cv->c);
    cv->c = NULL;
    cv->w = cv->h = 0;
}

void tui_canvas_clear(tui_canvas *cv) {
    static const tui_cell blank = {L' ', TUI_DEFAULT, TUI_DEFAULT, 0, 0};
    for (long i = 0; i < (long)cv->w * cv->h; i++) cv->c[i] = blank;
}

tui_cell *tui_canvas_at(tui_canvas *cv, int x, int y) {
    if (x < 0 || y < 0 || x >= cv->w || y >= cv->h) return NULL;
    return &cv->c[(long)y * cv->w + x];
}

static uint64_t fnv(uint64_t h, uint32_t v) {
    for (int i = 0; i < 4; i++) {
        h ^= (v >> (8 * i)) & 0xff;
        h *= 0x100000001b3ULL;
    }
    return h;
}

uint64_t tui_canvas_hash(const tui_canvas *cv) {
    uint64_t h = 0xcbf29ce484222325ULL;
    h = fnv(h, (uint32_t)cv->w);
    h = fnv(h, (uint32_t)cv->h);
    for (long i = 0; i < (long)cv->w * cv->h; i++) {
        const tui_cell *c = &cv->c[i];
        h = fnv(h, (uint32_t)c->ch);
        h = fnv(h, (uint32_t)c->fg);
        h = fnv(h, (uint32_t)c->bg);
        h = fnv(h, c->attr);
    }
    return h;
}

void tui_put(tui_canvas *cv, int x, int y, wchar_t ch, int32_t fg, int32_t bg, int attr) {
    tui_cell *c = tui_canvas_at(cv, x, y);
    if (!c) return;
    c->ch = ch;
    c->fg = fg;
    c->bg = bg;
    c->attr = (uint8_t)attr;
    c->dots = 0;
}

/* Decodes one UTF-8 sequence; returns its length (1 for a malformed byte,
 * which becomes U+FFFD). */
static int utf8_next(const char *s, wchar_t *out) {
    const unsigned char *u = (const unsigned char *)s;
    int n = u[0] < 0x80         ? 1
            : (u[0] >> 5) == 6  ? 2
            : (u[0] >> 4) == 14 ? 3
            : (u[0] >> 3) == 30 ? 4
                                : 0;
    if (n == 1) {
        *out = u[0];
        return 1;
    }
    if (n == 0) {
        *out = 0xFFFD;
        return 1;
    }
    uint32_t cp = u[0] & (0x7f >> n);
    for (int i = 1; i < n; i++) {
        if ((u[i] & 0xc0) != 0x80) {
            *out = 0xFFFD;
            return 1;
        }
        cp = (cp << 6) | (u[i] & 0x3f);
    }
    *out = (wchar_t)cp;
    return n;
}

int tui_text(tui_canvas *cv, int x, int y, const char *s, int maxw, int32_t fg, int32_t bg,
             int attr, int utf8) {
    int lim = cv->w - x;
    if (maxw > 0 && maxw < lim) lim = maxw;
    int n = 0;
    while (*s && n < lim) {
        wchar_t ch;
        s += utf8_next(s, &ch);
        if (ch < 0x20 || ch == 0x7f) ch = ' ';
        if (!utf8 && ch > 0x7e) ch = '?';
        tui_put(cv, x + n, y, ch, fg, bg, attr);
        n++;
    }
    return n;
}

void tui_fill(tui_canvas *cv, tui_rect r, wchar_t ch, int32_t fg, int32_t bg, int attr) {
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++) tui_put(cv, x, y, ch, fg, bg, attr);
}

/* ---- braille ---- */

int tui_braille_bit(int dx, int dy) {
    static const int bits[2][4] = {{0x01, 0x02, 0x04, 0x40}, {0x08, 0x10, 0x20, 0x80}};
    return bits[dx & 1][dy & 3];
}

char tui_dots_ascii(int bits) {
    int upper = bits & 0x1b, lower = bits & 0xe4; /* dots 1,2,4,5 / 3,6,7,8 */
    return upper && lower ? ':' : upper ? '\'' : lower ? '.' : ' ';
}

void tui_dot(tui_canvas *cv, int px, int py, int32_t fg, int utf8) {
    if (px < 0 || py < 0) return;
    tui_cell *c = tui_canvas_at(cv, px / 2, py / 4);
    if (!c) return;
    /* a cell that held text (not dots) starts empty */
    if (!c->dots) c->attr = 0;
    c->dots |= (uint8_t)tui_braille_bit(px % 2, py % 4);
    c->ch = utf8 ? (wchar_t)(TUI_BRAILLE_BASE + c->dots) : (wchar_t)tui_dots_ascii(c->dots);
    c->fg = fg;
}

void tui_dot_line(tui_canvas *cv, int x0, int y0, int x1, int y1, int32_t fg, int utf8) {
    int dx = abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
    int dy = -abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
    int err = dx + dy;
    for (;;) {
        tui_dot(cv, x0, y0, fg, utf8);
        if (x0 == x1 && y0 == y1) break;
        int e2 = 2 * err;
        if (e2 >= dy) {
            err += dy;
            x0 += sx;
        }
        if (e2 <= dx) {
            err += dx;
            y0 += sy;
        }
    }
}

int tui_plot_row(tui_rect r, float v, float lo, float hi) {
    int hd = 4 * r.h;
    float t = hi > lo ? (hi - v) / (hi - lo) : 0.5f;
    if (!(t >= 0.0f)) t = 0.0f; /* also catches NaN */
    if (t > 1.0f) t = 1.0f;
    return 4 * r.y + (int)lroundf(t * (float)(hd - 1));
}

void tui_plot_line(tui_canvas *cv, tui_rect r, const float *y, int n, float lo, float hi,
                   int32_t fg, int utf8) {
    if (n <= 0 || r.w <= 0 || r.h <= 0) return;
    int wd = 2 * r.w;
    int have = 0, lx = 0, ly = 0;
    for (int i = 0; i < n; i++) {
        if (!isfinite(y[i])) {
            have = 0;
            continue;
        }
        int px = 2 * r.x + (n == 1 ? 0 : (int)((long)i * (wd - 1) / (n - 1)));
        int py = tui_plot_row(r, y[i], lo, hi);
        if (have)
            tui_dot_line(cv, lx, ly, px, py, fg, utf8);
        else
            tui_dot(cv, px, py, fg, utf8);
        lx = px;
        ly = py;
        have = 1;
    }
}

tui_dotmap tui_dotmap_make(tui_rect r, const float view[4]) {
    tui_dotmap m;
    float xr = view[1] - view[0], yr = view[3] - view[2];
    if (!(xr > 0)) xr = 1;
    if (!(yr > 0)) yr = 1;
    float wd = 2.0f * r.w, hd = 4.0f * r.h;
    float s = wd / xr < hd / yr ? wd / xr : hd / yr;
    int dw = (int)(xr * s), dh = (int)(yr * s);
    if (dw > (int)wd) dw = (int)wd;
    if (dh > (int)hd) dh = (int)hd;
    m.dots.x = 2 * r.x + ((int)wd - dw) / 2;
    m.dots.y = 4 * r.y + ((int)hd - dh) / 2;
    m.dots.w = dw;
    m.dots.h = dh;
    m.sx = s;
    m.sy = -s;
    m.ox = (float)m.dots.x - view[0] * s;
    m.oy = (float)m.dots.y + view[3] * s;
    return m;
}

void tui_scatter(tui_canvas *cv, const tui_dotmap *m, const float *pts, int n, int32_t fg, int utf8,
                 char ascii_ch) {
    for (int i = 0; i < n; i++) {
        float fx = m->ox + pts[2 * i] * m->sx, fy = m->oy + pts[2 * i + 1] * m->sy;
        if (!(fx >= m->dots.x && fx < m->dots.x + m->dots.w && fy >= m->dots.y &&
              fy < m->dots.y + m->dots.h))
            continue;
        int px = (int)fx, py = (int)fy;
        if (utf8) {
            tui_dot(cv, px, py, fg, 1);
        } else {
            tui_cell *c = tui_canvas_at(cv, px / 2, py / 4);
            if (!c) continue;
            c->ch = (wchar_t)ascii_ch;
            c->fg = fg;
            c->attr = 0;
            c->dots = 0xff;
        }
    }
}

/* ---- images ---- */

/* The 26 greys of the 256-colour palette, darkest first, with their indices. */
static int grey_value(int i) {
    return i == 0 ? 0 : i == 25 ? 255 : 8 + 10 * (i - 1);
}
static int grey_palette(int i) {
    return i == 0 ? 16 : i == 25 ? 231 : 232 + (i - 1);
}

int tui_grey_index(int level) {
    int best = 0, bd = 1 << 30;
    for (int i = 0; i < 26; i++) {
        int d = abs(grey_value(i) - level);
        if (d < bd) {
            bd = d;
            best = i;
        }
    }
    return grey_palette(best);
}

int tui_grey_level(int index) {
    if (index == 16) return 0;
    if (index == 231) return 255;
    if (index >= 232 && index <= 255) return 8 + 10 * (index - 232);
    return -1;
}

char tui_ascii_ramp(int level) {
    static const char ramp[] = " .:-=+*#%@";
    if (level < 0) level = 0;
    if (level > 255) level = 255;
    return ramp[level * 10 / 256];
}

/* Box-filtered value of output pixel (ox, oy) of an ow x oh rendering. */
static int box_sample(const uint8_t *img, int iw, int ih, int ow, int oh, int ox, int oy) {
    double x0 = (double)ox * iw / ow, x1 = (double)(ox + 1) * iw / ow;
    double y0 = (double)oy * ih / oh, y1 = (double)(oy + 1) * ih / oh;
    double sum = 0, wsum = 0;
    for (int sy = (int)y0; sy < ih && sy < y1; sy++) {
        double wy = fmin(y1, sy + 1.0) - fmax(y0, (double)sy);
        if (wy <= 0) continue;
        for (int sx = (int)x0; sx < iw && sx < x1; sx++) {
            double wx = fmin(x1, sx + 1.0) - fmax(x0, (double)sx);
            if (wx <= 0) continue;
            sum += wx * wy * img[(long)sy * iw + sx];
            wsum += wx * wy;
        }
    }
    return wsum > 0 ? (int)lround(sum / wsum) : 0;
}

static int32_t grey_color(int v, const tui_style *st) {
    return st->colors >= TUI_TRUECOLOR ? TUI_RGB(v, v, v) : tui_grey_index(v);
}

void tui_image(tui_canvas *cv, int x, int y, const uint8_t *img, int iw, int ih, int ow, int oh,
               const tui_style *st) {
    if (ow <= 0 || oh <= 0 || iw <= 0 || ih <= 0) return;
    int blocks = st->utf8 && st->colors >= 256;
    for (int cy = 0; cy < (oh + 1) / 2; cy++)
        for (int cx = 0; cx < ow; cx++) {
            int top = box_sample(img, iw, ih, ow, oh, cx, 2 * cy);
            int has_bottom = 2 * cy + 1 < oh;
            int bot = has_bottom ? box_sample(img, iw, ih, ow, oh, cx, 2 * cy + 1) : top;
            if (blocks)
                tui_put(cv, x + cx, y + cy, TUI_UPPER_HALF, grey_color(top, st),
                        has_bottom ? grey_color(bot, st) : TUI_DEFAULT, 0);
            else
                tui_put(cv, x + cx, y + cy, (wchar_t)tui_ascii_ramp((top + bot + 1) / 2),
                        TUI_DEFAULT, TUI_DEFAULT, 0);
        }
}

/* ---- bars ---- */

wchar_t tui_bar_glyph(int eighths, int utf8) {
    if (eighths <= 0) return L' ';
    if (eighths > 8) eighths = 8;
    if (utf8) return (wchar_t)(TUI_UPPER_HALF + eighths); /* U+2581 .. U+2588 */
    return eighths <= 2 ? L'.' : eighths <= 5 ? L':' : L'#';
}

void tui_bars(tui_canvas *cv, tui_rect r, const float *bins, int n, int32_t fg, int utf8) {
    if (r.w <= 0 || r.h <= 0 || n <= 0) return;
    float col[1024];
    int w = r.w < 1024 ? r.w : 1024;
    float mx = 0;
    for (int c = 0; c < w; c++) {
        float v = 0;
        if (w >= n) {
            v = bins[(long)c * n / w];
        } else {
            int b0 = (int)((long)c * n / w), b1 = (int)((long)(c + 1) * n / w);
            for (int b = b0; b < b1; b++) v += bins[b];
        }
        col[c] = v > 0 && isfinite(v) ? v : 0;
        if (col[c] > mx) mx = col[c];
    }
    for (int c = 0; c < w; c++) {
        int e = mx > 0 ? (int)lroundf(col[c] / mx * 8.0f * r.h) : 0;
        if (col[c] > 0 && e == 0) e = 1; /* a nonzero bin stays visible */
        for (int k = 0; k < r.h; k++) {
            int ek = e - 8 * k;
            tui_put(cv, r.x + c, r.y + r.h - 1 - k, tui_bar_glyph(ek, utf8), fg, TUI_DEFAULT, 0);
        }
    }
}

/* ---- layout ---- */

int tui_rect_inside(tui_rect in, tui_rect out) {
    return in.w >= 0 && in.h >= 0 && in.x >= out.x && in.y >= out.y &&
           in.x + in.w <= out.x + out.w && in.y + in.h <= out.y + out.h;
}

int tui_rect_overlap(tui_rect a, tui_rect b) {
    if (a.w <= 0 || a.h <= 0 || b.w <= 0 || b.h <= 0) return 0;
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

int tui_layout_compute(int w, int h, tui_layout *out) {
    memset(out, 0, sizeof *out);
    out->w = w;
    out->h = h;
    if (w < TUI_MIN_W || h < TUI_MIN_H) {
        out->too_small = 1;
        return -1;
    }
    int bh = h - 2; /* between the status line and the message line */
    /* The samples want a square of dots (2 columns per row); the curves and the
     * histograms need width too, so the samples take 40..50% of the width. */
    int sw = 2 * bh, lo = w * 2 / 5, hi = w / 2;
    if (sw < lo) sw = lo;
    if (sw > hi) sw = hi;
    int rx = sw + 1, rw = w - rx; /* one blank column between the two sides */
    int lh = bh * 9 / 20;
    out->status = (tui_rect){0, 0, w, 1};
    out->message = (tui_rect){0, h - 1, w, 1};
    out->samples = (tui_rect){0, 1, sw, bh};
    out->loss = (tui_rect){rx, 1, rw, lh};
    out->hist = (tui_rect){rx, 1 + lh, rw, bh - lh};
    int hw = w - 2 < 100 ? w - 2 : 100, hh = h - 2 < 32 ? h - 2 : 32;
    out->help = (tui_rect){(w - hw) / 2, (h - hh) / 2, hw, hh};
    return 0;
}

/* ---- colours ---- */

static void palette_rgb(int32_t c, int *r, int *g, int *b) {
    static const int lv[6] = {0, 95, 135, 175, 215, 255};
    static const int base16[16][3] = {
        {0, 0, 0},     {205, 0, 0},     {0, 205, 0},     {205, 205, 0},  {0, 0, 238}, {205, 0, 205},
        {0, 205, 205}, {229, 229, 229}, {127, 127, 127}, {255, 0, 0},    {0, 255, 0}, {255, 255, 0},
        {92, 92, 255}, {255, 0, 255},   {0, 255, 255},   {255, 255, 255}};
    if (c < 0) {
        *r = *g = *b = 0;
    } else if (c & TUI_RGB_FLAG) {
        *r = (c >> 16) & 0xff;
        *g = (c >> 8) & 0xff;
        *b = c & 0xff;
    } else if (c < 16) {
        *r = base16[c][0];
        *g = base16[c][1];
        *b = base16[c][2];
    } else if (c < 232) {
        *r = lv[(c - 16) / 36];
        *g = lv[(c - 16) / 6 % 6];
        *b = lv[(c - 16) % 6];
    } else {
        *r = *g = *b = 8 + 10 * (c - 232);
    }
}

int tui_color8(int32_t c) {
    if (c < 0) return -1;
    if (!(c & TUI_RGB_FLAG) && c < 16) return c % 8;
    int r, g, b;
    palette_rgb(c, &r, &g, &b);
    int mx = r > g ? (r > b ? r : b) : (g > b ? g : b);
    if (mx < 64) return 0;
    /* a component counts when it is close to the strongest one: hue over shade */
    int t = mx * 13 / 20;
    return (r >= t ? 1 : 0) | (g >= t ? 2 : 0) | (b >= t ? 4 : 0);
}

int tui_color256(int32_t rgb) {
    if (!(rgb & TUI_RGB_FLAG)) return rgb;
    static const int lv[6] = {0, 95, 135, 175, 215, 255};
    int c[3] = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff}, q[3];
    long dc = 0;
    for (int i = 0; i < 3; i++) {
        int best = 0;
        for (int j = 1; j < 6; j++)
            if (abs(lv[j] - c[i]) < abs(lv[best] - c[i])) best = j;
        q[i] = best;
        dc += (long)(lv[best] - c[i]) * (lv[best] - c[i]);
    }
    int grey = tui_grey_index((c[0] + c[1] + c[2]) / 3), gv = tui_grey_level(grey);
    long dg = 0;
    for (int i = 0; i < 3; i++) dg += (long)(gv - c[i]) * (gv - c[i]);
    return dg < dc ? grey : 16 + 36 * q[0] + 6 * q[1] + q[2];
}

int32_t tui_color_rgb(int32_t c) {
    int r, g, b;
    palette_rgb(c, &r, &g, &b);
    return (r << 16) | (g << 8) | b;
}
