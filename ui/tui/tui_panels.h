/* tui_panels.h - the panels of the ncurses mode, each drawn from a snapshot and
 * the front-end's view state into a canvas the size of its rectangle. Like
 * tui_draw, these never call curses: tui.c decides when to draw and copies the
 * result to the screen, and the tests can render a made-up snapshot. */
#ifndef GS_TUI_PANELS_H
#define GS_TUI_PANELS_H

#include "engine.h"
#include "keymap.h"
#include "tui_draw.h"

/* What the user has chosen to see, and how the terminal can show it. */
typedef struct tui_view {
    tui_style st;
    ui_selection sel;
    int smooth;   /* loss curves smoothed */
    int logy;     /* loss curves on a log scale */
    int pre;      /* histograms of pre-activation values */
    int heatmap;  /* 2-D: D(x) as background shading */
    int manifold; /* 2-D: G's image of a noise grid */
    int points;   /* 2-D: real and generated points */
    int help;     /* the help overlay is shown */
    int help_page;
    char notice[128]; /* a short-lived message from the front-end, or "" */
} tui_view;

/* Palette (256-colour indices); the blitter maps them down for 8 colours. */
enum {
    TUI_C_REAL = 114,  /* real data: green */
    TUI_C_FAKE = 215,  /* generated data: orange */
    TUI_C_DLOSS = 203, /* discriminator: red */
    TUI_C_GLOSS = 81,  /* generator: cyan */
    TUI_C_TITLE_FG = 252,
    TUI_C_TITLE_BG = 237,
    TUI_C_AXIS = 245,
    TUI_C_MARK = 242,
    TUI_C_LABEL = 180,
    TUI_C_SEL_BG = 24,
    TUI_C_WARN = 203,
    TUI_C_PAUSED = 220,
    TUI_C_MANIFOLD = 60,
};

void tui_view_defaults(tui_view *v);

void tui_panel_status(tui_canvas *cv, const snapshot *s, const tui_view *v);
void tui_panel_message(tui_canvas *cv, const snapshot *s, const tui_view *v);
void tui_panel_samples(tui_canvas *cv, const snapshot *s, const tui_view *v);
void tui_panel_loss(tui_canvas *cv, const snapshot *s, const tui_view *v);
void tui_panel_hist(tui_canvas *cv, const snapshot *s, const tui_view *v);
/* The help overlay: a box listing the shared key table, in pages when the box
 * is too small for all of it. */
void tui_panel_help(tui_canvas *cv, const tui_view *v);
/* How many pages the help takes in a w x h box. */
int tui_help_pages(int w, int h);
/* "terminal too small (WxH): need at least 60x18", wrapped to the canvas. */
void tui_panel_too_small(tui_canvas *cv, int w, int h);

/* The short label of an event for a marker ("G1 sigmoid", "D s=0.25"). */
void tui_event_label(const char *text, char *buf, int n);

/* Image grid geometry for n images of iw x ih pixels in an area of w x h cells:
 * the largest scale that shows at least min(8, n) of them. */
typedef struct tui_grid {
    int px_w, px_h;     /* pixels of one image */
    int cell_w, cell_h; /* cells of one image */
    int cols, rows;
} tui_grid;
tui_grid tui_image_grid(int w, int h, int iw, int ih, int n);

#endif
