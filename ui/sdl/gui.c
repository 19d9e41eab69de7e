/* gui.c - the SDL visualizer's entry points and its one loop: per frame, drain
 * events (keys through the shared keymap, mouse clicks on histograms), copy the
 * engine's latest snapshot, draw every panel, present. The trainer runs on its
 * own thread; nothing here waits for it (engine_send and engine_snapshot hold
 * a lock only for one copy). gui_run and the tests share gui_run_frames. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gui.h"
#include "pngio.h"

/* Frame caps. A GPU renderer draws at up to 60 fps for free; SDL's software
 * renderer (Xvfb, VMs, no GPU) spends CPU on every frame that the trainer
 * needs: on two cores, 60 fps cut a Fashion-MNIST run to a third of its speed,
 * 33 fps cost far less and still shows every snapshot (the engine publishes
 * at most 30 per second). */
#define FRAME_CAP_GPU (1.0 / 60.0)
#define FRAME_CAP_CPU (1.0 / 33.0)

int gui_display_available(void) {
    const char *x = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
    if (!(x && x[0]) && !(wl && wl[0])) return 0;
    /* Probe without leaving SDL running: gui_run initialises it again. */
    int was = SDL_WasInit(SDL_INIT_VIDEO) != 0;
    if (was) return 1;
    int ok = SDL_InitSubSystem(SDL_INIT_VIDEO) == 0;
    if (ok) SDL_QuitSubSystem(SDL_INIT_VIDEO);
    if (SDL_WasInit(SDL_INIT_EVERYTHING) == 0) SDL_Quit();
    return ok;
}

void gui_notice_push(gui *g, const char *text, int refused) {
    if (g->n_notice == GUI_NOTICES) {
        memmove(g->notice, g->notice + 1, (GUI_NOTICES - 1) * sizeof g->notice[0]);
        g->n_notice--;
    }
    gui_notice *n = &g->notice[g->n_notice++];
    snprintf(n->text, sizeof n->text, "%s", text);
    n->refused = refused;
    n->t = g->now;
}

/* Turns events the engine recorded since the last frame into notices. */
static void take_events(gui *g) {
    const snapshot *s = g->snap;
    long fresh = s->n_events_total - g->seen_events;
    if (fresh <= 0) return;
    if (fresh > s->n_events) fresh = s->n_events;
    if (fresh > GUI_NOTICES) fresh = GUI_NOTICES;
    for (int i = s->n_events - (int)fresh; i < s->n_events; i++) {
        char buf[EVENT_TEXT + 16];
        snprintf(buf, sizeof buf, "%s%s", s->events[i].refused ? "refused: " : "",
                 s->events[i].text);
        gui_notice_push(g, buf, s->events[i].refused);
    }
    g->seen_events = s->n_events_total;
}

static void save_screenshot(gui *g) {
    int w, h;
    if (SDL_GetRendererOutputSize(g->ren, &w, &h) != 0 || w <= 0 || h <= 0) return;
    uint8_t *pix = malloc((size_t)w * h * 3);
    if (!pix) {
        gui_notice_push(g, "screenshot: out of memory", 1);
        return;
    }
    char path[96], msg[160];
    snprintf(path, sizeof path, "./ganscope-screenshot-%ld.png", g->snap->step);
    gs_error err;
    if (SDL_RenderReadPixels(g->ren, NULL, SDL_PIXELFORMAT_RGB24, pix, w * 3) != 0) {
        snprintf(msg, sizeof msg, "screenshot: %.140s", SDL_GetError());
        gui_notice_push(g, msg, 1);
    } else if (png_write(path, w, h, 3, pix, w * 3, &err) != GS_OK) {
        snprintf(msg, sizeof msg, "screenshot: %.140s", err.msg);
        gui_notice_push(g, msg, 1);
    } else {
        snprintf(msg, sizeof msg, "saved %s", path);
        gui_notice_push(g, msg, 0);
    }
    free(pix);
}

void gui_key(gui *g, int key) {
    const keymap_entry *k = keymap_find(key);
    if (!k) return;
    switch (k->action) {
    case KA_COMMAND: {
        engine_cmd c;
        keymap_command(k, &g->sel, &c);
        if (!engine_send(g->eng, &c)) gui_notice_push(g, "busy: command dropped", 1);
        break;
    }
    case KA_SWITCH_NET:
    case KA_LAYER_UP:
    case KA_LAYER_DOWN:
        keymap_select(k->action, &g->sel, g->snap->g.n_hidden, g->snap->d.n_hidden);
        break;
    case KA_HELP:
        g->help = !g->help;
        break;
    case KA_HELP_CLOSE:
        g->help = 0;
        break;
    case KA_QUIT:
        g->quit = 1;
        break;
    case KA_SCREENSHOT:
        g->shot_pending = 1;
        break;
    case KA_TOGGLE_SMOOTH:
        g->smooth = !g->smooth;
        break;
    case KA_TOGGLE_LOGY:
        g->logy = !g->logy;
        break;
    case KA_TOGGLE_PREPOST:
        g->pre = !g->pre;
        break;
    case KA_TOGGLE_HEATMAP:
        g->show_heat = !g->show_heat;
        break;
    case KA_TOGGLE_MANIFOLD:
        g->show_manifold = !g->show_manifold;
        break;
    case KA_TOGGLE_POINTS:
        g->show_points = !g->show_points;
        break;
    }
}

/* Keys that type no text; printable keys arrive as SDL_TEXTINPUT instead, so
 * that the keyboard layout decides what '{', '}', 'A' or '?' are. */
static int special_key(SDL_Keycode sym) {
    switch (sym) {
    case SDLK_TAB:
        return GSK_TAB;
    case SDLK_ESCAPE:
        return GSK_ESC;
    case SDLK_UP:
        return GSK_UP;
    case SDLK_DOWN:
        return GSK_DOWN;
    case SDLK_LEFT:
        return GSK_LEFT;
    case SDLK_RIGHT:
        return GSK_RIGHT;
    case SDLK_F1:
        return GSK_F1;
    case SDLK_F12:
        return GSK_F12;
    default:
        return 0;
    }
}

static void handle_event(gui *g, const SDL_Event *ev) {
    switch (ev->type) {
    case SDL_QUIT:
        g->quit = 1;
        break;
    case SDL_WINDOWEVENT:
        if (ev->window.event == SDL_WINDOWEVENT_CLOSE) g->quit = 1;
        break;
    case SDL_KEYDOWN: {
        int k = special_key(ev->key.keysym.sym);
        if (k) gui_key(g, k);
        break;
    }
    case SDL_TEXTINPUT:
        for (const unsigned char *p = (const unsigned char *)ev->text.text; *p; p++)
            if (*p >= 32 && *p < 127) gui_key(g, *p);
        break;
    case SDL_MOUSEBUTTONDOWN:
        if (ev->button.button == SDL_BUTTON_LEFT) panel_hist_click(g, ev->button.x, ev->button.y);
        break;
    default:
        break;
    }
}

static void update_title(gui *g) {
    if (strcmp(g->title_preset, g->snap->preset) == 0) return;
    snprintf(g->title_preset, sizeof g->title_preset, "%s", g->snap->preset);
    char title[128];
    snprintf(title, sizeof title, "ganscope \xe2\x80\x94 %s", g->snap->preset);
    SDL_SetWindowTitle(g->win, title);
}

static void draw_window(gui *g) {
    int w, h;
    SDL_GetRendererOutputSize(g->ren, &w, &h);
    layout_compute(w, h, &g->lay);
    text_set_sizes(g->tc, g->lay.font_px, g->lay.small_px);
    SDL_SetRenderDrawBlendMode(g->ren, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(g->ren, COL_BG.r, COL_BG.g, COL_BG.b, 255);
    SDL_RenderClear(g->ren);
    panel_status_draw(g, g->lay.status);
    if (g->help) {
        /* the help on a plain background: a dimmed copy of every panel
         * behind it would cost the software renderer a third of its frames */
        panel_status_help(g);
        return;
    }
    panel_samples_draw(g, g->lay.samples);
    panel_act_draw(g, g->lay.act);
    panel_loss_draw(g, g->lay.loss);
    panel_hist_draw(g, g->lay.hist);
    panel_grad_draw(g, g->lay.grad);
}

/* 1 when OpenGL here is drawn by the CPU (Mesa's llvmpipe or softpipe, as
 * under Xvfb or in a VM): SDL's own software renderer is several times faster
 * there for flat 2-D drawing. Probed on a hidden window, so the visible one is
 * created once and never replaced (tools that wait for it see the final one). */
static int software_gl(void) {
    SDL_Window *w = SDL_CreateWindow("probe", 0, 0, 16, 16, SDL_WINDOW_HIDDEN | SDL_WINDOW_OPENGL);
    if (!w) return 0;
    int soft = 0;
    SDL_GLContext ctx = SDL_GL_CreateContext(w);
    if (ctx) {
        typedef const unsigned char *(*get_string_fn)(unsigned int);
        get_string_fn get = (get_string_fn)SDL_GL_GetProcAddress("glGetString");
        const char *name = get ? (const char *)get(0x1F01 /* GL_RENDERER */) : NULL;
        soft = name && (strstr(name, "llvmpipe") || strstr(name, "softpipe") ||
                        strstr(name, "Software Rasterizer"));
        SDL_GL_DeleteContext(ctx);
    }
    SDL_DestroyWindow(w);
    return soft;
}

/* Opens the window and a renderer: accelerated with vsync, else software. An
 * explicit SDL_RENDER_DRIVER is respected as it is. */
static int open_window(gui *g) {
    char title[128];
    snprintf(title, sizeof title, "ganscope \xe2\x80\x94 %s", g->snap->preset);
    snprintf(g->title_preset, sizeof g->title_preset, "%s", g->snap->preset);
    int soft = !SDL_GetHint(SDL_HINT_RENDER_DRIVER) && software_gl();
    /* SDL would otherwise show a software window through an OpenGL texture,
     * that is through the same slow llvmpipe; X11's shared memory is direct. */
    if (soft) SDL_SetHintWithPriority(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0", SDL_HINT_DEFAULT);
    g->win = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, 1280, 800,
                              SDL_WINDOW_RESIZABLE);
    if (!g->win) return 0;
    if (!soft)
        g->ren =
            SDL_CreateRenderer(g->win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
    if (!g->ren) g->ren = SDL_CreateRenderer(g->win, -1, SDL_RENDERER_SOFTWARE);
    if (!g->ren) return 0;
    SDL_SetWindowMinimumSize(g->win, LAYOUT_MIN_W, LAYOUT_MIN_H);
    return 1;
}

static void close_window(gui *g) {
    panel_samples_free(g);
    text_close(g->tc);
    if (g->ren) SDL_DestroyRenderer(g->ren);
    if (g->win) SDL_DestroyWindow(g->win);
    g->tc = NULL;
    g->ren = NULL;
    g->win = NULL;
}

int gui_run_frames(const frontend_opts *o, int frames, const gui_script_event *script, int n_script,
                   snapshot *final) {
    gui *g = calloc(1, sizeof *g);
    snapshot *snap = calloc(1, sizeof *snap);
    if (!g || !snap) {
        fputs("ganscope: out of memory for the window\n", stderr);
        free(g);
        free(snap);
        return 2;
    }
    g->snap = snap;
    g->sel = (ui_selection){NET_G, -1};
    g->smooth = 1;
    g->show_heat = g->show_manifold = g->show_points = 1;
    int rc = 0;

    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "ganscope: cannot start SDL video: %s\n", SDL_GetError());
        rc = 2;
        goto out;
    }
    gs_error err;
    if (engine_start(&g->eng, &o->cfg, o->log, o->start_paused, &err) != GS_OK) {
        fprintf(stderr, "ganscope: %s\n", err.msg);
        rc = 2;
        goto out_sdl;
    }
    engine_snapshot(g->eng, g->snap);
    char msg[600];
    if (!open_window(g)) {
        fprintf(stderr, "ganscope: cannot open a window: %s\n", SDL_GetError());
        rc = 2;
        goto out_engine;
    }
    if (!(g->tc = text_open(g->ren, msg, sizeof msg))) {
        fprintf(stderr, "ganscope: %s\n", msg);
        rc = 2;
        goto out_window;
    }
    SDL_StartTextInput();
    SDL_RendererInfo info;
    double cap = SDL_GetRendererInfo(g->ren, &info) == 0 && !(info.flags & SDL_RENDERER_SOFTWARE)
                     ? FRAME_CAP_GPU
                     : FRAME_CAP_CPU;

    Uint64 freq = SDL_GetPerformanceFrequency(), t0 = SDL_GetPerformanceCounter();
    double fps_t = 0.0;
    int fps_frames = 0;
    for (int frame = 0; !g->quit; frame++) {
        Uint64 fstart = SDL_GetPerformanceCounter();
        g->now = (double)(fstart - t0) / (double)freq;
        for (int i = 0; i < n_script; i++)
            if (script[i].frame == frame) {
                SDL_Event ev = script[i].ev;
                SDL_PushEvent(&ev);
            }
        SDL_Event ev;
        while (SDL_PollEvent(&ev)) handle_event(g, &ev);
        if (g->quit) break;

        engine_snapshot(g->eng, g->snap);
        update_title(g);
        take_events(g);
        draw_window(g);
        if (g->shot_pending) {
            /* read before presenting: the back buffer is undefined after */
            g->shot_pending = 0;
            save_screenshot(g);
        }
        panel_status_notices(g);
        SDL_RenderPresent(g->ren);
        text_frame_end(g->tc);

        fps_frames++;
        if (g->now - fps_t >= 0.5) {
            g->fps = fps_frames / (g->now - fps_t);
            fps_t = g->now;
            fps_frames = 0;
        }
        if (frames > 0 && frame + 1 >= frames) break;
        if (o->seconds > 0 && g->now >= o->seconds) break;
        /* the cap holds even when vsync is missing or ignored */
        double spent = (double)(SDL_GetPerformanceCounter() - fstart) / (double)freq;
        if (spent < cap) SDL_Delay((Uint32)((cap - spent) * 1000.0));
    }
    if (final) engine_snapshot(g->eng, final);
    SDL_StopTextInput();

out_window:
    close_window(g);
out_engine:
    engine_stop(g->eng);
out_sdl:
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    if (SDL_WasInit(SDL_INIT_EVERYTHING) == 0) SDL_Quit();
out:
    free(g->snap);
    free(g);
    return rc;
}

int gui_run(const frontend_opts *o) {
    return gui_run_frames(o, 0, NULL, 0, NULL);
}
