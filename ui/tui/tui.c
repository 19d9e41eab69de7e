/* tui.c - the ncurses mode (`ganscope --tui`): the live lab in a terminal, made
 * for a remote machine over SSH.
 *
 * A thin client of the engine, like the window: per frame it reads keys, turns
 * them into engine commands through the shared key table, copies the latest
 * snapshot and redraws. Frames are capped at 15 per second, and each panel has
 * its own rate and is drawn into a canvas first (tui_panels.c): a panel whose
 * cells hash the same as last time is not sent again, and curses' own diffing
 * (wnoutrefresh + doupdate) keeps what goes over the wire to the cells that
 * changed.
 *
 * Signals: SIGINT, SIGTERM and SIGHUP only set a flag; the loop sees it and
 * leaves through the one exit path that calls endwin() and engine_stop().
 * SIGWINCH is ncurses' own, which turns it into KEY_RESIZE. */
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curses.h>

#include "frontend.h"
#include "keymap.h"
#include "tui_draw.h"
#include "tui_panels.h"

#define FRAME_S    (1.0 / 15.0) /* at most 15 redraws per second */
#define NOTICE_S   3.0          /* how long a notice stays on the message line */
#define KEY_CTRL_L 12

static volatile sig_atomic_t tui_signal;

static void tui_on_signal(int sig) {
    tui_signal = sig;
}

enum { P_STATUS, P_SAMPLES, P_LOSS, P_HIST, P_MESSAGE, P_HELP, P_COUNT };

/* A panel: its place, its window, its canvas and what it last showed. */
typedef struct tui_panel {
    tui_rect r;
    WINDOW *win;
    tui_canvas cv;
    double period;     /* seconds between redraws while training runs */
    double next;       /* earliest time of the next redraw */
    uint64_t hash;     /* of the cells on screen; 0 forces a copy */
    uint64_t snap_ver; /* snapshot and view the canvas was drawn from */
    unsigned view_gen;
} tui_panel;

typedef struct tui_app {
    engine *e;
    snapshot *snap; /* ~200 KB: on the heap */
    uint64_t snap_ver;
    tui_view view;
    unsigned view_gen; /* bumped by every change of the view */
    tui_layout lay;
    int too_small;
    tui_panel p[P_COUNT];
    double notice_until;
    int32_t pair_fg[4096], pair_bg[4096];
    int pair_id[4096];
} tui_app;

static const double panel_period[P_COUNT] = {
    [P_STATUS] = 1.0 / 15, [P_SAMPLES] = 1.0 / 10, [P_LOSS] = 1.0 / 8,
    [P_HIST] = 1.0 / 5,    [P_MESSAGE] = 1.0 / 15, [P_HELP] = 1.0 / 2,
};

/* ---- terminal capabilities ---- */

static int tui_term_is_plain(void) {
    const char *t = getenv("TERM");
    return !t || !*t || strcmp(t, "dumb") == 0 || strncmp(t, "vt1", 3) == 0 ||
           strncmp(t, "vt2", 3) == 0;
}

static int tui_detect_utf8(void) {
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0) && !tui_term_is_plain();
}

/* After the screen is up: how many colours, if any, we will use. */
static int tui_detect_colors(void) {
    const char *nc = getenv("NO_COLOR");
    if ((nc && *nc) || tui_term_is_plain() || !has_colors()) return 0;
    if (start_color() == ERR) return 0;
    use_default_colors();
    if (COLORS >= 0x1000000) return TUI_TRUECOLOR;
    return COLORS >= 256 ? 256 : 8;
}

/* ---- copying canvases to windows ---- */

static int32_t tui_term_color(const tui_app *a, int32_t c) {
    if (c < 0) return -1;
    int colors = a->view.st.colors;
    if (colors >= TUI_TRUECOLOR) {
        /* direct colour: numbers below 8 are the ANSI colours, the rest RGB */
        int32_t rgb = tui_color_rgb(c);
        return rgb < 8 ? 8 : rgb;
    }
    if (colors >= 256) return tui_color256(c);
    return tui_color8(c);
}

static int tui_pair(tui_app *a, int32_t fg, int32_t bg) {
    if (!a->view.st.colors || (fg < 0 && bg < 0)) return 0;
    unsigned h = ((unsigned)fg * 2654435761u ^ (unsigned)bg * 40503u) % 4096;
    for (int probe = 0; probe < 8; probe++, h = (h + 1) % 4096) {
        if (a->pair_id[h] > 0 && a->pair_fg[h] == fg && a->pair_bg[h] == bg) return a->pair_id[h];
        if (a->pair_id[h] == 0) {
            int id = alloc_pair(tui_term_color(a, fg), tui_term_color(a, bg));
            if (id < 0) return 0;
            a->pair_fg[h] = fg;
            a->pair_bg[h] = bg;
            a->pair_id[h] = id;
            return id;
        }
    }
    int id = alloc_pair(tui_term_color(a, fg), tui_term_color(a, bg));
    return id < 0 ? 0 : id;
}

static void tui_blit(tui_app *a, WINDOW *w, const tui_canvas *cv) {
    for (int y = 0; y < cv->h; y++)
        for (int x = 0; x < cv->w; x++) {
            const tui_cell *c = &cv->c[(long)y * cv->w + x];
            attr_t at = 0;
            if (c->attr & TUI_BOLD) at |= A_BOLD;
            if (c->attr & TUI_REVERSE) at |= A_REVERSE;
            if (c->attr & TUI_DIM) at |= A_DIM;
            if (c->attr & TUI_UNDERLINE) at |= A_UNDERLINE;
            int pair = tui_pair(a, c->fg, c->bg);
            wchar_t wc[2] = {c->ch ? c->ch : L' ', 0};
            cchar_t cc;
            setcchar(&cc, wc, at, (short)(pair < 32767 ? pair : 0), &pair);
            /* the bottom-right cell of the screen reports ERR but is drawn */
            mvwadd_wch(w, y, x, &cc);
        }
}

/* ---- layout and windows ---- */

static void tui_free_windows(tui_app *a) {
    for (int i = 0; i < P_COUNT; i++) {
        if (a->p[i].win) delwin(a->p[i].win);
        a->p[i].win = NULL;
        tui_canvas_free(&a->p[i].cv);
    }
}

/* (Re)builds the windows for the current screen size. */
static void tui_relayout(tui_app *a) {
    tui_free_windows(a);
    int h, w;
    getmaxyx(stdscr, h, w);
    werase(stdscr);
    wnoutrefresh(stdscr); /* stdscr stays untouched from here: wgetch will not repaint it */
    a->too_small = tui_layout_compute(w, h, &a->lay) != 0;
    if (a->too_small) {
        tui_canvas cv;
        if (tui_canvas_init(&cv, w, h) == 0) {
            tui_panel_too_small(&cv, w, h);
            tui_blit(a, stdscr, &cv);
            tui_canvas_free(&cv);
        }
        wnoutrefresh(stdscr);
        doupdate();
        return;
    }
    tui_rect rs[P_COUNT] = {a->lay.status, a->lay.samples, a->lay.loss,
                            a->lay.hist,   a->lay.message, a->lay.help};
    for (int i = 0; i < P_COUNT; i++) {
        tui_panel *p = &a->p[i];
        p->r = rs[i];
        p->win = newwin(p->r.h, p->r.w, p->r.y, p->r.x);
        if (p->win) leaveok(p->win, TRUE);
        tui_canvas_init(&p->cv, p->r.w, p->r.h);
        p->period = panel_period[i];
        p->next = 0;
        p->hash = 0;
        p->snap_ver = 0;
    }
}

/* ---- one frame ---- */

static void tui_render(tui_app *a, int i) {
    tui_canvas *cv = &a->p[i].cv;
    switch (i) {
    case P_STATUS:
        tui_panel_status(cv, a->snap, &a->view);
        break;
    case P_SAMPLES:
        tui_panel_samples(cv, a->snap, &a->view);
        break;
    case P_LOSS:
        tui_panel_loss(cv, a->snap, &a->view);
        break;
    case P_HIST:
        tui_panel_hist(cv, a->snap, &a->view);
        break;
    case P_MESSAGE:
        tui_panel_message(cv, a->snap, &a->view);
        break;
    case P_HELP:
        tui_panel_help(cv, &a->view);
        break;
    }
}

static void tui_frame(tui_app *a, double now) {
    a->snap_ver = engine_snapshot(a->e, a->snap);
    if (a->view.notice[0] && now >= a->notice_until) {
        a->view.notice[0] = 0;
        a->view_gen++;
    }
    if (a->too_small) return;
    int sent = 0;
    for (int i = 0; i < P_COUNT; i++) {
        tui_panel *p = &a->p[i];
        if (!p->win || (i == P_HELP && !a->view.help)) continue;
        int stale = p->snap_ver != a->snap_ver || p->view_gen != a->view_gen || p->hash == 0;
        /* view changes (keys) are drawn at once; new snapshots at the panel's rate */
        if (!stale || (p->view_gen == a->view_gen && p->hash && now < p->next)) continue;
        tui_render(a, i);
        p->snap_ver = a->snap_ver;
        p->view_gen = a->view_gen;
        /* images cost the most bytes per change (two colours a cell) and change
         * slowly: twice a second keeps them near 20 KB/s over SSH */
        p->next = now + (i == P_SAMPLES && a->snap->images ? 0.5 : p->period);
        uint64_t h = tui_canvas_hash(&p->cv);
        if (h == p->hash) continue;
        p->hash = h ? h : 1;
        tui_blit(a, p->win, &p->cv);
        wnoutrefresh(p->win);
        sent = 1;
    }
    if (a->view.help && a->p[P_HELP].win && sent) {
        /* the overlay stays on top of whatever was copied below it */
        touchwin(a->p[P_HELP].win);
        wnoutrefresh(a->p[P_HELP].win);
    }
    if (sent) doupdate();
}

/* Forces every panel to be copied again (after the help closes, or Ctrl-L);
 * stdscr, blank, repaints the gaps between the panels first. */
static void tui_touch_all(tui_app *a) {
    touchwin(stdscr);
    wnoutrefresh(stdscr);
    for (int i = 0; i < P_COUNT; i++) {
        a->p[i].hash = 0;
        if (a->p[i].win) touchwin(a->p[i].win);
    }
}

static void tui_notice(tui_app *a, double now, const char *msg) {
    snprintf(a->view.notice, sizeof a->view.notice, "%s", msg);
    a->notice_until = now + NOTICE_S;
    a->view_gen++;
}

/* ---- keys ---- */

static int tui_map_key(int ch) {
    switch (ch) {
    case KEY_UP:
        return GSK_UP;
    case KEY_DOWN:
        return GSK_DOWN;
    case KEY_LEFT:
        return GSK_LEFT;
    case KEY_RIGHT:
        return GSK_RIGHT;
    case KEY_F(1):
        return GSK_F1;
    case KEY_F(12):
        return GSK_F12;
    case '\t':
    case KEY_BTAB:
        return GSK_TAB;
    case 27:
        return GSK_ESC;
    default:
        return ch >= 32 && ch < 127 ? ch : -1;
    }
}

static void tui_toggle(tui_app *a, double now, int *flag, const char *on, const char *off) {
    *flag = !*flag;
    tui_notice(a, now, *flag ? on : off);
}

/* Handles one key; returns 1 when the user asked to quit. */
static int tui_key(tui_app *a, int ch, double now) {
    tui_view *v = &a->view;
    if (ch == KEY_RESIZE) {
        tui_relayout(a);
        return 0;
    }
    if (ch == KEY_CTRL_L) {
        clearok(curscr, TRUE);
        tui_relayout(a);
        return 0;
    }
    int k = tui_map_key(ch);
    if (v->help && (ch == KEY_NPAGE || ch == KEY_PPAGE || k == GSK_LEFT || k == GSK_RIGHT)) {
        int pages = tui_help_pages(a->lay.help.w, a->lay.help.h);
        int d = ch == KEY_NPAGE || k == GSK_RIGHT ? 1 : -1;
        v->help_page = (v->help_page + d + pages) % pages;
        a->view_gen++;
        return 0;
    }
    const keymap_entry *ke = keymap_find(k);
    if (!ke) return 0;
    int two_d = !a->snap->images;
    switch (ke->action) {
    case KA_COMMAND: {
        engine_cmd cmd;
        keymap_command(ke, &v->sel, &cmd);
        if (!engine_send(a->e, &cmd)) tui_notice(a, now, "command queue full: key dropped");
        break;
    }
    case KA_SWITCH_NET:
    case KA_LAYER_UP:
    case KA_LAYER_DOWN:
        if (keymap_select(ke->action, &v->sel, a->snap->g.n_hidden, a->snap->d.n_hidden))
            a->view_gen++;
        break;
    case KA_HELP:
        v->help = !v->help;
        v->help_page = 0;
        if (!v->help) tui_touch_all(a);
        a->view_gen++;
        break;
    case KA_HELP_CLOSE:
        if (!v->help) break;
        v->help = 0;
        tui_touch_all(a);
        a->view_gen++;
        break;
    case KA_QUIT:
        return 1;
    case KA_SCREENSHOT:
        tui_notice(a, now, "screenshots are window-only: use `ganscope --gui` on a display");
        break;
    case KA_TOGGLE_SMOOTH:
        tui_toggle(a, now, &v->smooth, "loss curves: smoothed", "loss curves: raw");
        break;
    case KA_TOGGLE_LOGY:
        tui_toggle(a, now, &v->logy, "loss curves: log scale", "loss curves: linear scale");
        break;
    case KA_TOGGLE_PREPOST:
        tui_toggle(a, now, &v->pre, "histograms: pre-activation", "histograms: post-activation");
        break;
    case KA_TOGGLE_HEATMAP:
        if (!two_d)
            tui_notice(a, now, "D's heatmap is for 2-D data");
        else if (v->st.colors < 256)
            tui_notice(a, now, "D's heatmap needs a 256-colour terminal");
        else
            tui_toggle(a, now, &v->heatmap, "D's heatmap: on", "D's heatmap: off");
        break;
    case KA_TOGGLE_MANIFOLD:
        if (!two_d || !a->snap->has_manifold)
            tui_notice(a, now, "G's manifold is for 2-D data with 2-D noise");
        else
            tui_toggle(a, now, &v->manifold, "G's manifold: on", "G's manifold: off");
        break;
    case KA_TOGGLE_POINTS:
        if (!two_d)
            tui_notice(a, now, "points are for 2-D data");
        else
            tui_toggle(a, now, &v->points, "points: on", "points: off");
        break;
    }
    return 0;
}

/* ---- entry point ---- */

int tui_run(const frontend_opts *o) {
    setlocale(LC_ALL, "");
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fputs("ganscope: the terminal mode needs a terminal on stdin and stdout\n", stderr);
        return 2;
    }
    tui_app *a = calloc(1, sizeof *a);
    snapshot *snap = calloc(1, sizeof *snap);
    if (!a || !snap) {
        free(a);
        free(snap);
        fputs("ganscope: out of memory\n", stderr);
        return 2;
    }
    a->snap = snap;
    tui_view_defaults(&a->view);
    a->view.st.utf8 = tui_detect_utf8();

    gs_error err;
    if (engine_start(&a->e, &o->cfg, o->log, o->start_paused, &err)) {
        fprintf(stderr, "ganscope: %s\n", err.msg);
        free(snap);
        free(a);
        return 2;
    }

    /* Our handlers go in before ncurses starts, so it keeps them instead of
     * installing its own (which would exit without stopping the engine). */
    struct sigaction sa, old_int, old_term, old_hup;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = tui_on_signal;
    sigemptyset(&sa.sa_mask);
    tui_signal = 0;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGHUP, &sa, &old_hup);

    int rc = 0;
    /* newterm, not initscr: initscr exits the process when there is no terminal */
    SCREEN *scr = newterm(NULL, stdout, stdin);
    if (!scr) {
        const char *t = getenv("TERM");
        fprintf(stderr, "ganscope: cannot start the terminal mode (TERM=%s)\n", t ? t : "unset");
        rc = 2;
        goto out;
    }
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    leaveok(stdscr, TRUE);
    a->view.st.colors = tui_detect_colors();
    tui_relayout(a);
    doupdate();

    double t0 = engine_now(), next_frame = 0;
    for (;;) {
        if (tui_signal) {
            rc = 128 + tui_signal;
            break;
        }
        double now = engine_now();
        if (o->seconds > 0 && now - t0 >= o->seconds) break;
        int wait_ms = (int)((next_frame - now) * 1000.0);
        wtimeout(stdscr, wait_ms < 0 ? 0 : wait_ms > 50 ? 50 : wait_ms);
        int ch = wgetch(stdscr);
        if (ch != ERR && tui_key(a, ch, engine_now())) break;
        now = engine_now();
        if (now >= next_frame) {
            tui_frame(a, now);
            next_frame = now + FRAME_S;
        }
    }

    tui_free_windows(a);
    endwin();
    delscreen(scr);
out:
    engine_stop(a->e);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    free(snap);
    free(a);
    return rc;
}
