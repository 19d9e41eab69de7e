/* frontend.h - what the command line hands a live front-end (the SDL window or
 * the ncurses screen): the run's config, its log, and test hooks. Each
 * front-end starts its own engine from this and returns an exit code. */
#ifndef GS_FRONTEND_H
#define GS_FRONTEND_H

#include "config.h"
#include "runlog.h"

typedef struct frontend_opts {
    gs_config cfg;
    runlog *log;    /* --log, or NULL */
    double seconds; /* quit by itself after this long (0: run until quit) */
    int start_paused;
} frontend_opts;

/* 1 when a window can be opened (a display is set). */
int gui_display_available(void);
/* Runs the visualizer; 0 on a normal quit, 2 when no window can be opened. */
int gui_run(const frontend_opts *o);
/* Runs the ncurses mode; 0 on a normal quit. */
int tui_run(const frontend_opts *o);

#endif
