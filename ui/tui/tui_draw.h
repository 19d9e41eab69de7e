/* tui_draw.h - the pure drawing layer of the ncurses mode: a buffer of character
 * cells (code point, colours, attributes) and the helpers that render plots,
 * images, bars and the screen layout into it. Nothing here calls curses, so the
 * tests can check every helper without a terminal; tui.c copies the cells of a
 * canvas to the screen.
 *
 * Colours are 256-colour palette indices (0..255), TUI_DEFAULT for the
 * terminal's own colour, or TUI_RGB(r, g, b) for true colour. The blitter maps
 * them down to what the terminal has (8 colours, or none). */
#ifndef GS_TUI_DRAW_H
#define GS_TUI_DRAW_H

#include <stdint.h>
#include <wchar.h>

#define TUI_DEFAULT      (-1)
#define TUI_RGB_FLAG     0x1000000
#define TUI_RGB(r, g, b) (TUI_RGB_FLAG | ((int32_t)(r) << 16) | ((int32_t)(g) << 8) | (int32_t)(b))

/* cell attributes */
enum { TUI_BOLD = 1, TUI_REVERSE = 2, TUI_DIM = 4, TUI_UNDERLINE = 8 };

#define TUI_BRAILLE_BASE 0x2800
#define TUI_UPPER_HALF   0x2580

/* The smallest screen the panels are drawn on; below it a message says so. */
#define TUI_MIN_W 60
#define TUI_MIN_H 18

typedef struct tui_cell {
    wchar_t ch;     /* a code point; ASCII only when the terminal is not UTF-8 */
    int32_t fg, bg; /* palette index, TUI_DEFAULT or TUI_RGB(...) */
    uint8_t attr;   /* TUI_BOLD | ... */
    uint8_t dots;   /* braille dot bits drawn in this cell (see tui_dot) */
} tui_cell;

typedef struct tui_canvas {
    int w, h;
    tui_cell *c; /* (h, w) */
} tui_canvas;

typedef struct tui_rect {
    int x, y, w, h;
} tui_rect;

/* How the terminal can show things: the helpers pick glyphs and colours by it. */
typedef struct tui_style {
    int utf8;   /* braille, half blocks and block bars; else ASCII */
    int colors; /* 0 (none), 8, 256, or TUI_TRUECOLOR */
} tui_style;
#define TUI_TRUECOLOR 0x1000000

/* ---- canvas ---- */
/* Allocates a blank w x h canvas; returns 0, or -1 when out of memory. */
int tui_canvas_init(tui_canvas *cv, int w, int h);
void tui_canvas_free(tui_canvas *cv);
/* Every cell a default-coloured space. */
void tui_canvas_clear(tui_canvas *cv);
/* The cell at (x, y), or NULL outside the canvas. */
tui_cell *tui_canvas_at(tui_canvas *cv, int x, int y);
/* FNV-1a over the cells: equal hashes mean (almost surely) nothing to redraw. */
uint64_t tui_canvas_hash(const tui_canvas *cv);
/* Sets one cell (ignored outside the canvas). */
void tui_put(tui_canvas *cv, int x, int y, wchar_t ch, int32_t fg, int32_t bg, int attr);
/* Writes UTF-8 text from (x, y), at most maxw columns (<= 0: to the right edge);
 * returns the columns written. Without utf8, non-ASCII characters become '?'. */
int tui_text(tui_canvas *cv, int x, int y, const char *s, int maxw, int32_t fg, int32_t bg,
             int attr, int utf8);
/* Fills a rectangle with ch. */
void tui_fill(tui_canvas *cv, tui_rect r, wchar_t ch, int32_t fg, int32_t bg, int attr);

/* ---- braille plots: each cell holds 2 x 4 dots ---- */
/* The bit of dot (dx, dy) inside a cell, dx in 0..1, dy in 0..3 (Unicode order:
 * dots 1-2-3 down the left column, 4-5-6 down the right, then 7 and 8). */
int tui_braille_bit(int dx, int dy);
/* Sets dot (px, py) of the canvas (2 * w by 4 * h dots) with colour fg, keeping
 * the cell's background. Without utf8 the cell shows an ASCII stand-in: '\''
 * for dots in the upper half, '.' for the lower half, ':' for both. */
void tui_dot(tui_canvas *cv, int px, int py, int32_t fg, int utf8);
/* A line of dots from (x0, y0) to (x1, y1) (Bresenham). */
void tui_dot_line(tui_canvas *cv, int x0, int y0, int x1, int y1, int32_t fg, int utf8);
/* The ASCII stand-in for a set of braille dot bits. */
char tui_dots_ascii(int bits);

/* A line plot of y[0..n) spread across the dot columns of r, values mapped from
 * [lo, hi] (bottom to top, clamped). Non-finite values break the line. */
void tui_plot_line(tui_canvas *cv, tui_rect r, const float *y, int n, float lo, float hi,
                   int32_t fg, int utf8);
/* The dot of a value v in a plot of r over [lo, hi] (row of dots, top = 0). */
int tui_plot_row(tui_rect r, float v, float lo, float hi);

/* Maps data coordinates over view (xmin, xmax, ymin, ymax) into r in dots with
 * one scale for both axes (circles stay round: dots are about square), centred.
 * Returns the dot rectangle used, in canvas dot coordinates. */
typedef struct tui_dotmap {
    float sx, sy;  /* dots per data unit (sy negative: y grows upwards) */
    float ox, oy;  /* dot coordinates of data (0, 0) */
    tui_rect dots; /* the area in dots */
} tui_dotmap;
tui_dotmap tui_dotmap_make(tui_rect r, const float view[4]);
/* Scatter of n points (n, 2). Without utf8 each occupied cell shows ascii_ch. */
void tui_scatter(tui_canvas *cv, const tui_dotmap *m, const float *pts, int n, int32_t fg, int utf8,
                 char ascii_ch);

/* ---- images ---- */
/* Grey level 0..255 to the nearest of the 26 greys of the 256-colour palette
 * (16 = black, 232..255 the ramp, 231 = white). */
int tui_grey_index(int level);
/* The grey a palette grey index shows, 0..255 (inverse of tui_grey_index). */
int tui_grey_level(int index);
/* " .:-=+*#%@" for level 0..255. */
char tui_ascii_ramp(int level);
/* Draws image img (iw x ih bytes, row 0 at the top) scaled by box filtering to
 * ow x oh pixels at cell (x, y). With utf8 and 256 colours or true colour, each
 * cell is an upper half block: fg the top pixel, bg the bottom one, so the
 * image takes ow x ceil(oh / 2) cells; otherwise each cell is a character of
 * the ASCII ramp for the mean of its two pixels. */
void tui_image(tui_canvas *cv, int x, int y, const uint8_t *img, int iw, int ih, int ow, int oh,
               const tui_style *st);

/* ---- bars ---- */
/* The block glyph for eighths 0..8 of a cell (' ', U+2581 .. U+2588) or its
 * ASCII stand-in (' ', '.', ':', '#' bands). */
wchar_t tui_bar_glyph(int eighths, int utf8);
/* Vertical bars of bins[0..n) (any non-negative scale: the largest fills the
 * height) resampled across r.w columns, r.h rows tall. */
void tui_bars(tui_canvas *cv, tui_rect r, const float *bins, int n, int32_t fg, int utf8);

/* ---- layout ---- */
typedef struct tui_layout {
    int w, h;
    int too_small;    /* below TUI_MIN_W x TUI_MIN_H: nothing else is valid */
    tui_rect status;  /* top line: step, rates, settings, selection */
    tui_rect samples; /* images or the 2-D view */
    tui_rect loss;    /* loss and D-output curves */
    tui_rect hist;    /* per-layer histograms */
    tui_rect message; /* bottom line: the latest event, notices, key hints */
    tui_rect help;    /* the help overlay, centred (over the other panels) */
} tui_layout;

/* Lays out a w x h screen. Returns 0, or -1 (and too_small) when it is too small. */
int tui_layout_compute(int w, int h, tui_layout *out);
int tui_rect_inside(tui_rect inner, tui_rect outer);
int tui_rect_overlap(tui_rect a, tui_rect b);

/* ---- colours ---- */
/* The nearest of the 8 basic curses colours (0..7) to a palette index or RGB. */
int tui_color8(int32_t c);
/* The nearest 256-colour palette index to an RGB colour (palette indices pass). */
int tui_color256(int32_t rgb);
/* The 24-bit RGB value (0xRRGGBB) a palette index or TUI_RGB colour shows. */
int32_t tui_color_rgb(int32_t c);

#endif
