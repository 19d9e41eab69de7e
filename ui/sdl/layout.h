/* layout.h - where every panel of the visualizer goes, and how values become
 * pixels. Pure functions of the window size and the data: no SDL, no state, so
 * tests can check every size without opening a window. */
#ifndef GS_LAYOUT_H
#define GS_LAYOUT_H

typedef struct lay_rect {
    int x, y, w, h;
} lay_rect;

/* The panels of one frame. Font sizes scale with the window so the text stays
 * readable on a projector. */
typedef struct gui_layout {
    int w, h;
    int font_px;      /* body text */
    int small_px;     /* axis labels, legends */
    int margin;       /* gap between panels */
    int pad;          /* inside a panel */
    lay_rect status;  /* top bar: step, rates, selection */
    lay_rect samples; /* images, or the 2-D view */
    lay_rect act;     /* the selected layer's activation and derivative */
    lay_rect loss;    /* loss and D output curves */
    lay_rect hist;    /* histograms of every hidden layer */
    lay_rect grad;    /* per-layer gradient norms */
} gui_layout;

#define LAYOUT_MIN_W 640
#define LAYOUT_MIN_H 480

/* Computes the panels for a window of w x h pixels (sizes below the minimum are
 * laid out as the minimum, clipped by the window). */
void layout_compute(int w, int h, gui_layout *out);

/* Cell (r, c) of a rows x cols grid over area with gap pixels between cells. */
lay_rect layout_cell(lay_rect area, int rows, int cols, int r, int c, int gap);
/* area shrunk by the given amounts (never below zero size). */
lay_rect layout_inset(lay_rect area, int left, int top, int right, int bottom);
/* The largest square centred in area. */
lay_rect layout_square(lay_rect area);

int layout_contains(lay_rect r, int x, int y);
/* 1 when the two rectangles share at least one pixel. */
int layout_overlap(lay_rect a, lay_rect b);
/* 1 when inner lies entirely inside outer. */
int layout_inside(lay_rect inner, lay_rect outer);

/* ---- plot scaling ---- */

/* A linear or log10 map from data values [lo, hi] to pixels [p0, p1]; p0 > p1
 * is fine (y axes grow upwards). */
typedef struct lay_axis {
    double lo, hi;
    double p0, p1;
    int log;
} lay_axis;

/* An axis; for log, lo and hi must be > 0 (they are clamped to a tiny positive
 * number otherwise), and an empty range is widened so the map stays finite. */
lay_axis layout_axis(double lo, double hi, double p0, double p1, int log);
/* Pixel of value v; on a log axis values <= 0 map to lo's pixel. */
double layout_map(const lay_axis *a, double v);
/* Value at pixel p (the inverse of layout_map). */
double layout_unmap(const lay_axis *a, double p);

/* A "nice" tick step (1, 2 or 5 times a power of ten) giving at most max_ticks
 * ticks over span. */
double layout_nice_step(double span, int max_ticks);
/* Widens [*lo, *hi] to multiples of the nice step; an empty range is widened
 * around its value first. */
void layout_nice_range(double *lo, double *hi, int max_ticks);
/* Multiples of the nice step inside [lo, hi] into out (at most cap); returns
 * how many. */
int layout_ticks(double lo, double hi, int max_ticks, double *out, int cap);
/* Widens [*lo, *hi] (both > 0) to powers of ten. */
void layout_log_range(double *lo, double *hi);
/* Powers of ten inside [lo, hi] into out (at most cap), thinned to every
 * second, third... decade so there are at most max_ticks; returns how many. */
int layout_log_ticks(double lo, double hi, int max_ticks, double *out, int cap);
/* A short tick label: "0", "0.25", "1.5k", "2M", "1e-4". step is the tick step
 * (0 for log axes) and decides the decimals. */
void layout_tick_label(double v, double step, char *buf, int n);

#endif
