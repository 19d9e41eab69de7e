/* layout.c - panel rectangles from the window size, and plot scaling: value to
 * pixel maps (linear and log10), nice 1-2-5 axis ticks and their labels. Pure
 * functions only; test_gui_layout.c checks them without a window. */
#include "layout.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int clampi(int v, int lo, int hi) {
    return v < lo ? lo : v > hi ? hi : v;
}

void layout_compute(int w, int h, gui_layout *out) {
    memset(out, 0, sizeof *out);
    if (w < LAYOUT_MIN_W) w = LAYOUT_MIN_W;
    if (h < LAYOUT_MIN_H) h = LAYOUT_MIN_H;
    out->w = w;
    out->h = h;
    /* Text follows the smaller of height and width so long status lines still
     * fit a narrow window: 20 px at 1280x800, 27 px at 1920x1080. */
    int by_h = h / 40, by_w = w / 60;
    out->font_px = clampi(by_h < by_w ? by_h : by_w, 12, 48);
    out->small_px = clampi(out->font_px * 4 / 5, 11, 40);
    out->margin = clampi(h / 150, 4, 16);
    out->pad = clampi(out->font_px / 3, 4, 14);
    int m = out->margin;
    int line = out->font_px * 6 / 5 + 2;

    out->status = (lay_rect){0, 0, w, 2 * line + 2 * out->pad};
    int y0 = out->status.h + m;
    int ch = h - y0 - m; /* content height */

    /* Left column: samples above the activation plot. 42% of the width keeps
     * the 2-D view roughly square at 16:10. */
    int lw = w * 42 / 100;
    int act_h = ch * 28 / 100;
    out->samples = (lay_rect){m, y0, lw, ch - act_h - m};
    out->act = (lay_rect){m, y0 + out->samples.h + m, lw, act_h};

    /* Right column: curves, histograms, gradient norms. */
    int rx = m + lw + m, rw = w - rx - m;
    int loss_h = ch * 40 / 100, hist_h = ch * 38 / 100;
    out->loss = (lay_rect){rx, y0, rw, loss_h};
    out->hist = (lay_rect){rx, y0 + loss_h + m, rw, hist_h};
    int gy = out->hist.y + hist_h + m;
    out->grad = (lay_rect){rx, gy, rw, y0 + ch - gy};
}

lay_rect layout_cell(lay_rect area, int rows, int cols, int r, int c, int gap) {
    if (rows < 1) rows = 1;
    if (cols < 1) cols = 1;
    /* Cells start at rounded fractions of the area so gaps stay even and the
     * last cell ends exactly at the area's edge. */
    int x0 = area.x + (int)((long)(area.w + gap) * c / cols);
    int x1 = area.x + (int)((long)(area.w + gap) * (c + 1) / cols) - gap;
    int y0 = area.y + (int)((long)(area.h + gap) * r / rows);
    int y1 = area.y + (int)((long)(area.h + gap) * (r + 1) / rows) - gap;
    lay_rect out = {x0, y0, x1 - x0, y1 - y0};
    if (out.w < 0) out.w = 0;
    if (out.h < 0) out.h = 0;
    return out;
}

lay_rect layout_inset(lay_rect a, int left, int top, int right, int bottom) {
    lay_rect out = {a.x + left, a.y + top, a.w - left - right, a.h - top - bottom};
    if (out.w < 0) out.w = 0;
    if (out.h < 0) out.h = 0;
    return out;
}

lay_rect layout_square(lay_rect a) {
    int s = a.w < a.h ? a.w : a.h;
    return (lay_rect){a.x + (a.w - s) / 2, a.y + (a.h - s) / 2, s, s};
}

int layout_contains(lay_rect r, int x, int y) {
    return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

int layout_overlap(lay_rect a, lay_rect b) {
    if (a.w <= 0 || a.h <= 0 || b.w <= 0 || b.h <= 0) return 0;
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

int layout_inside(lay_rect in, lay_rect out) {
    return in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w &&
           in.y + in.h <= out.y + out.h;
}

/* ---- plot scaling ---- */

#define LOG_FLOOR 1e-30

lay_axis layout_axis(double lo, double hi, double p0, double p1, int log) {
    lay_axis a = {lo, hi, p0, p1, log};
    if (!isfinite(a.lo)) a.lo = log ? 1.0 : 0.0;
    if (!isfinite(a.hi)) a.hi = a.lo + 1.0;
    if (log) {
        if (a.lo < LOG_FLOOR) a.lo = LOG_FLOOR;
        if (a.hi <= a.lo) a.hi = a.lo * 10.0;
    } else if (a.hi <= a.lo) {
        a.hi = a.lo + 1.0;
    }
    return a;
}

double layout_map(const lay_axis *a, double v) {
    double t;
    if (isnan(v)) return a->p0;
    if (a->log) {
        if (v < a->lo) v = a->lo;
        t = (log10(v) - log10(a->lo)) / (log10(a->hi) - log10(a->lo));
    } else {
        t = (v - a->lo) / (a->hi - a->lo);
    }
    /* Keep far-off values finite and near the plot: SDL takes floats. */
    if (t < -10.0) t = -10.0;
    if (t > 10.0) t = 10.0;
    return a->p0 + t * (a->p1 - a->p0);
}

double layout_unmap(const lay_axis *a, double p) {
    double t = (p - a->p0) / (a->p1 - a->p0);
    if (a->log) return pow(10.0, log10(a->lo) + t * (log10(a->hi) - log10(a->lo)));
    return a->lo + t * (a->hi - a->lo);
}

double layout_nice_step(double span, int max_ticks) {
    if (!(span > 0) || !isfinite(span)) return 1.0;
    if (max_ticks < 2) max_ticks = 2;
    /* The smallest 1-2-5 step that cannot give more than max_ticks ticks
     * wherever the range starts: floor(span / step) + 1 <= max_ticks. */
    double raw = span / max_ticks;
    double mag = pow(10.0, floor(log10(raw)));
    static const double mult[3] = {1, 2, 5};
    for (int k = 0;; k++) {
        double step = mult[k % 3] * mag * pow(10.0, k / 3);
        if (step >= raw * (1 - 1e-9) && floor(span / step + 1e-9) + 1 <= max_ticks) return step;
    }
}

void layout_nice_range(double *lo, double *hi, int max_ticks) {
    if (!isfinite(*lo) || !isfinite(*hi)) {
        *lo = 0.0;
        *hi = 1.0;
    }
    if (*hi < *lo) {
        double t = *lo;
        *lo = *hi;
        *hi = t;
    }
    if (*hi - *lo <= fabs(*hi) * 1e-9) {
        double d = *lo == 0.0 ? 1.0 : fabs(*lo) * 0.1;
        *lo -= d;
        *hi += d;
    }
    double step = layout_nice_step(*hi - *lo, max_ticks);
    *lo = floor(*lo / step + 1e-9) * step;
    *hi = ceil(*hi / step - 1e-9) * step;
}

int layout_ticks(double lo, double hi, int max_ticks, double *out, int cap) {
    if (!(hi > lo) || !isfinite(lo) || !isfinite(hi)) return 0;
    double step = layout_nice_step(hi - lo, max_ticks);
    double k0 = ceil(lo / step - 1e-9), k1 = floor(hi / step + 1e-9);
    int n = 0;
    for (double k = k0; k <= k1 && n < cap; k += 1.0) {
        double v = k * step;
        if (fabs(v) < step * 1e-9) v = 0.0; /* no "-0" or 1e-17 */
        out[n++] = v;
    }
    return n;
}

void layout_log_range(double *lo, double *hi) {
    if (!(*lo > 0) || !isfinite(*lo)) *lo = LOG_FLOOR;
    if (!(*hi > 0) || !isfinite(*hi)) *hi = *lo * 10.0;
    if (*hi < *lo) {
        double t = *lo;
        *lo = *hi;
        *hi = t;
    }
    *lo = pow(10.0, floor(log10(*lo) + 1e-9));
    *hi = pow(10.0, ceil(log10(*hi) - 1e-9));
    if (*hi <= *lo) *hi = *lo * 10.0;
}

int layout_log_ticks(double lo, double hi, int max_ticks, double *out, int cap) {
    if (!(lo > 0) || !(hi > lo)) return 0;
    int e0 = (int)ceil(log10(lo) - 1e-9), e1 = (int)floor(log10(hi) + 1e-9);
    int decades = e1 - e0 + 1;
    if (max_ticks < 1) max_ticks = 1;
    int every = (decades + max_ticks - 1) / max_ticks;
    if (every < 1) every = 1;
    int n = 0;
    for (int e = e0; e <= e1 && n < cap; e += every) out[n++] = pow(10.0, e);
    return n;
}

/* Removes trailing zeros after a decimal point: "2.50" -> "2.5", "3.0" -> "3". */
static void trim_zeros(char *s) {
    char *dot = strchr(s, '.');
    if (!dot) return;
    char *end = s + strlen(s) - 1;
    while (end > dot && *end == '0') *end-- = '\0';
    if (end == dot) *end = '\0';
}

void layout_tick_label(double v, double step, char *buf, int n) {
    if (n <= 0) return;
    if (v == 0.0 || !isfinite(v)) {
        snprintf(buf, n, "%s", v == 0.0 ? "0" : "?");
        return;
    }
    double av = fabs(v);
    if (step <= 0.0) { /* log axis: powers of ten */
        int e = (int)lround(log10(av));
        if (fabs(log10(av) - e) > 1e-6)
            snprintf(buf, n, "%.2g", v);
        else if (e >= -2 && e <= 3) {
            snprintf(buf, n, "%.*f", e < 0 ? -e : 0, v);
        } else
            snprintf(buf, n, "%s1e%d", v < 0 ? "-" : "", e);
        return;
    }
    const char *suffix = "";
    double scale = 1.0;
    if (av >= 1e6 && step >= 1e5) {
        suffix = "M";
        scale = 1e6;
    } else if (av >= 1e4 && step >= 1e2) {
        suffix = "k";
        scale = 1e3;
    }
    double s = step / scale;
    int dec = s >= 1.0 ? 0 : (int)ceil(-log10(s) - 1e-9);
    if (dec > 6) {
        snprintf(buf, n, "%.2g", v);
        return;
    }
    snprintf(buf, n, "%.*f", dec, v / scale);
    trim_zeros(buf);
    size_t len = strlen(buf);
    if (*suffix && len + 1 < (size_t)n) snprintf(buf + len, n - len, "%s", suffix);
}
