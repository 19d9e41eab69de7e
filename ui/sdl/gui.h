/* gui.h - the SDL visualizer's shared state and the functions its panels
 * export. One `gui` per window, owned by the thread that runs the loop; the
 * panels read the latest snapshot from it and never talk to the engine. */
#ifndef GS_GUI_H
#define GS_GUI_H

#include <SDL.h>

#include "engine.h"
#include "frontend.h"
#include "keymap.h"
#include "layout.h"
#include "text.h"

/* ---- colours: dark background, one colour per meaning throughout ---- */
static const SDL_Color COL_BG = {14, 17, 22, 255};
static const SDL_Color COL_PANEL = {24, 29, 37, 255};
static const SDL_Color COL_BORDER = {52, 60, 72, 255};
static const SDL_Color COL_GRID = {46, 53, 64, 255};
static const SDL_Color COL_TEXT = {232, 236, 241, 255};
static const SDL_Color COL_DIM = {150, 160, 174, 255};
static const SDL_Color COL_G = {116, 192, 252, 255};    /* generator: blue */
static const SDL_Color COL_D = {255, 169, 77, 255};     /* discriminator: orange */
static const SDL_Color COL_REAL = {74, 222, 128, 255};  /* real data, D(x): green */
static const SDL_Color COL_FAKE = {232, 121, 249, 255}; /* generated, D(G(z)): magenta */
static const SDL_Color COL_EVENT = {255, 212, 59, 255}; /* swaps, selection: yellow */
static const SDL_Color COL_REFUSED = {255, 107, 107, 255};
static const SDL_Color COL_PAUSED = {255, 146, 43, 255};

#define GUI_NOTICES    5
#define GUI_NOTICE_SEC 3.0

typedef struct gui_notice {
    char text[200];
    int refused;
    double t; /* when it appeared (gui->now clock) */
} gui_notice;

typedef struct gui {
    SDL_Window *win;
    SDL_Renderer *ren;
    text_cache *tc;
    gui_layout lay;
    engine *eng;
    snapshot *snap; /* the latest copy, on the heap: it is ~200 KB */

    /* what the user chose */
    ui_selection sel;
    int smooth, logy, pre, help;
    int show_heat, show_manifold, show_points;

    /* loop state */
    int quit;
    int shot_pending;
    double now; /* seconds since the window opened */
    double fps;
    long seen_events; /* events already turned into notices */
    gui_notice notice[GUI_NOTICES];
    int n_notice;
    char title_preset[64];
    int help_px, help_kw, help_hw; /* help column widths at font size help_px */
    text_font help_font;

    /* samples panel textures (recreated when the image size changes) */
    SDL_Texture *fake_tex, *real_tex, *heat_tex;
    int tex_w, tex_h;
    uint64_t tex_version;
    int heat_w, heat_h;
    uint64_t heat_version;

    /* hit boxes of the histograms, for mouse selection: [net][layer] */
    lay_rect hist_cell[2][MLP_MAX_LAYERS];
    int hist_n[2];
    lay_rect hist_title[2];
} gui;

/* A scripted event for tests: pushed before the events of that frame. */
typedef struct gui_script_event {
    int frame;
    SDL_Event ev;
} gui_script_event;

/* The front-end loop, shared by gui_run and the tests: runs until quit, until
 * o->seconds have passed, or (frames > 0) for that many frames. script events
 * are pushed at their frame. When final is not NULL it receives the last
 * snapshot before the engine stops. Returns 0, or 2 when no window or engine
 * could be started (the message is on stderr). */
int gui_run_frames(const frontend_opts *o, int frames, const gui_script_event *script, int n_script,
                   snapshot *final);

/* Handles one front-end key code (GSK_* or ASCII) through the keymap. */
void gui_key(gui *g, int key);
/* Shows a short message for a few seconds. */
void gui_notice_push(gui *g, const char *text, int refused);

/* ---- drawing helpers (draw.c) ---- */
SDL_Color draw_alpha(SDL_Color c, int a);
/* Sets the draw colour, blending only when it is translucent. */
void draw_color(gui *g, SDL_Color c);
void draw_fill(gui *g, lay_rect r, SDL_Color c);
void draw_frame(gui *g, lay_rect r, SDL_Color c, int thickness);
/* A line through n points, width pixels wide; non-finite points break it. */
void draw_polyline(gui *g, const SDL_FPoint *p, int n, float width, SDL_Color c);
/* The area between lo[i] and hi[i] at x[i]. */
void draw_band(gui *g, const float *x, const float *lo, const float *hi, int n, SDL_Color c);
void draw_dashed_vline(gui *g, float x, int y0, int y1, int dash, SDL_Color c);
/* A panel background with a title; returns the area below the title. */
lay_rect draw_panel(gui *g, lay_rect r, const char *title);
/* Horizontal grid lines and labels left of plot for the ticks of ay. */
void draw_axis_y(gui *g, lay_rect plot, const lay_axis *ay, int max_ticks);
/* Vertical grid lines and labels below plot for the ticks of ax. */
void draw_axis_x(gui *g, lay_rect plot, const lay_axis *ax, int max_ticks);
/* A legend entry (colour swatch and label); returns its width. */
int draw_legend(gui *g, int x, int y, SDL_Color c, const char *label);

/* ---- panels ---- */
void panel_samples_draw(gui *g, lay_rect r);
void panel_samples_free(gui *g);
void panel_loss_draw(gui *g, lay_rect r);
void panel_hist_draw(gui *g, lay_rect r);
void panel_grad_draw(gui *g, lay_rect r);
/* Selects the layer under (x, y) if there is one; returns 1 when it did. */
int panel_hist_click(gui *g, int x, int y);
void panel_act_draw(gui *g, lay_rect r);
void panel_status_draw(gui *g, lay_rect r);
void panel_status_notices(gui *g);
void panel_status_help(gui *g);

#endif
