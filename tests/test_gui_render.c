/* test_gui_render.c - the real front-end loop, headless: SDL's dummy video
 * driver, the tiny preset, a few hundred frames with scripted key events. The
 * keys must reach the engine through the shared keymap (an activation swap,
 * slope changes with shifted keys, layer selection, pause), the screenshot key
 * must write a PNG, and quit and --seconds must end the loop. Skipped when no
 * window or renderer can be created. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include <cmocka.h>

#include "gui.h"
#include "preset.h"

static char tmpdir[256];

static gui_script_event text_at(int frame, const char *text) {
    gui_script_event e;
    memset(&e, 0, sizeof e);
    e.frame = frame;
    e.ev.type = SDL_TEXTINPUT;
    snprintf(e.ev.text.text, sizeof e.ev.text.text, "%s", text);
    return e;
}

static gui_script_event key_at(int frame, SDL_Keycode sym) {
    gui_script_event e;
    memset(&e, 0, sizeof e);
    e.frame = frame;
    e.ev.type = SDL_KEYDOWN;
    e.ev.key.state = SDL_PRESSED;
    e.ev.key.keysym.sym = sym;
    e.ev.key.keysym.scancode = SDL_GetScancodeFromKey(sym);
    return e;
}

static gui_script_event click_at(int frame, int x, int y) {
    gui_script_event e;
    memset(&e, 0, sizeof e);
    e.frame = frame;
    e.ev.type = SDL_MOUSEBUTTONDOWN;
    e.ev.button.button = SDL_BUTTON_LEFT;
    e.ev.button.state = SDL_PRESSED;
    e.ev.button.clicks = 1;
    e.ev.button.x = x;
    e.ev.button.y = y;
    return e;
}

static void tiny_opts(frontend_opts *o) {
    gs_error err;
    memset(o, 0, sizeof *o);
    preset_defaults(&o->cfg);
    assert_int_equal(preset_load("tiny", &o->cfg, &err), GS_OK);
    assert_int_equal(preset_validate(&o->cfg, &err), GS_OK);
}

static int has_event(const snapshot *s, const char *needle) {
    for (int i = 0; i < s->n_events; i++)
        if (!s->events[i].refused && strstr(s->events[i].text, needle)) return 1;
    return 0;
}

static int count_screenshots(void) {
    DIR *d = opendir(".");
    int n = 0;
    struct dirent *de;
    while (d && (de = readdir(d)))
        if (strncmp(de->d_name, "ganscope-screenshot-", 20) == 0) {
            char *dot = strrchr(de->d_name, '.');
            FILE *fp = fopen(de->d_name, "rb");
            unsigned char sig[8] = {0};
            if (fp) {
                if (fread(sig, 1, 8, fp) != 8) sig[0] = 0;
                fclose(fp);
            }
            if (dot && strcmp(dot, ".png") == 0 && sig[0] == 0x89 && sig[1] == 'P') n++;
        }
    if (d) closedir(d);
    return n;
}

/* Can the dummy driver give us a window and a renderer at all? */
static int window_possible(void) {
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) return 0;
    SDL_Window *w = SDL_CreateWindow("probe", 0, 0, 64, 64, 0);
    SDL_Renderer *r = w ? SDL_CreateRenderer(w, -1, SDL_RENDERER_SOFTWARE) : NULL;
    int ok = r != NULL;
    if (r) SDL_DestroyRenderer(r);
    if (w) SDL_DestroyWindow(w);
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    SDL_Quit();
    return ok;
}

static void test_keys_reach_the_engine(void **state) {
    (void)state;
    if (!window_possible()) skip();
    frontend_opts o;
    tiny_opts(&o);
    gui_script_event script[] = {
        text_at(10, "9"),       /* G all: relu -> sigmoid */
        key_at(20, SDLK_TAB),   /* select D */
        text_at(30, "]"),       /* D slope 0.20 -> 0.25 */
        text_at(40, "}"),       /* shifted: +0.01 -> 0.26 */
        key_at(50, SDLK_TAB),   /* back to G */
        text_at(55, "A"),       /* shifted: previous activation, sigmoid -> identity */
        text_at(60, "?"),       /* help on ... */
        text_at(70, "h"),       /* ... and off */
        text_at(75, "p"),       /* screenshot into the current directory */
        text_at(80, " "),       /* pause */
        key_at(85, SDLK_DOWN),  /* G layer 1 */
        text_at(90, "1"),       /* G layer 1 -> relu */
        text_at(95, "cobmxv"),  /* every view toggle, several keys in one event */
        text_at(100, "cobmxv"), /* and back */
    };
    /* Mouse selection: the tiny preset has two hidden layers per network, so
     * the histogram grid is 2x2 right of a column of G / D labels; aim at the
     * middle of G's second cell and at D's label (the window is 1280x800). */
    gui_layout l;
    layout_compute(1280, 800, &l);
    lay_rect body = layout_inset(l.hist, 0, l.font_px * 2, 0, 0);
    int gx = body.x + 2 * l.font_px + (body.w - 2 * l.font_px) * 3 / 4;
    int gy = body.y + body.h / 4, dy = body.y + body.h * 3 / 4;
    gui_script_event more[] = {
        click_at(110, gx, gy),                               /* G layer 2 */
        text_at(115, "8"),                                   /* -> tanh */
        click_at(120, l.hist.x + l.pad + l.font_px / 2, dy), /* D all */
        text_at(125, "7"),                                   /* -> silu */
    };
    gui_script_event all[32];
    int n = (int)(sizeof script / sizeof script[0]);
    memcpy(all, script, sizeof script);
    memcpy(all + n, more, sizeof more);
    n += (int)(sizeof more / sizeof more[0]);
    snapshot *fin = calloc(1, sizeof *fin);
    assert_non_null(fin);
    int before = count_screenshots();
    assert_int_equal(gui_run_frames(&o, 240, all, n, fin), 0);

    assert_true(has_event(fin, "G all layers: relu -> sigmoid"));
    assert_true(has_event(fin, "sigmoid -> identity"));
    assert_int_equal(fin->g.layer[0].act, ACT_RELU);
    assert_int_equal(fin->g.layer[1].act, ACT_TANH);
    assert_true(has_event(fin, "G layer 2: identity -> tanh"));
    assert_int_equal(fin->d.layer[0].act, ACT_SILU);
    assert_int_equal(fin->d.layer[1].act, ACT_SILU);
    assert_true(fabsf(fin->d.layer[0].slope - 0.26f) < 1e-4f);
    assert_true(fabsf(fin->d.layer[1].slope - 0.26f) < 1e-4f);
    assert_true(fin->paused);
    assert_true(has_event(fin, "paused"));
    assert_int_equal(count_screenshots(), before + 1);
    free(fin);
}

static void test_quit_key_and_seconds(void **state) {
    (void)state;
    if (!window_possible()) skip();
    frontend_opts o;
    tiny_opts(&o);
    gui_script_event quit = text_at(5, "q");
    Uint64 t0 = SDL_GetPerformanceCounter();
    assert_int_equal(gui_run_frames(&o, 100000, &quit, 1, NULL), 0);
    double secs = (double)(SDL_GetPerformanceCounter() - t0) / SDL_GetPerformanceFrequency();
    assert_true(secs < 20.0);

    SDL_Event close;
    memset(&close, 0, sizeof close);
    close.type = SDL_QUIT;
    gui_script_event q2 = {3, close};
    assert_int_equal(gui_run_frames(&o, 100000, &q2, 1, NULL), 0);

    o.seconds = 1.0;
    t0 = SDL_GetPerformanceCounter();
    assert_int_equal(gui_run(&o), 0);
    secs = (double)(SDL_GetPerformanceCounter() - t0) / SDL_GetPerformanceFrequency();
    assert_true(secs >= 0.9 && secs < 20.0);
}

static void test_bad_config_fails_cleanly(void **state) {
    (void)state;
    if (!window_possible()) skip();
    frontend_opts o;
    tiny_opts(&o);
    snprintf(o.cfg.data.source, sizeof o.cfg.data.source, "idx");
    snprintf(o.cfg.data.path, sizeof o.cfg.data.path, "/nonexistent/ganscope-test");
    assert_int_equal(gui_run_frames(&o, 10, NULL, 0, NULL), 2);
}

static void test_no_display(void **state) {
    (void)state;
    char *d = getenv("DISPLAY") ? strdup(getenv("DISPLAY")) : NULL;
    char *w = getenv("WAYLAND_DISPLAY") ? strdup(getenv("WAYLAND_DISPLAY")) : NULL;
    unsetenv("DISPLAY");
    unsetenv("WAYLAND_DISPLAY");
    assert_int_equal(gui_display_available(), 0);
    if (d) setenv("DISPLAY", d, 1);
    if (w) setenv("WAYLAND_DISPLAY", w, 1);
    free(d);
    free(w);
    assert_int_equal(SDL_WasInit(SDL_INIT_VIDEO), 0);
}

static int setup(void **state) {
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/ganscope-gui-test-XXXXXX");
    if (!mkdtemp(tmpdir) || chdir(tmpdir) != 0) return -1;
    return 0;
}

static int teardown(void **state) {
    (void)state;
    DIR *d = opendir(tmpdir);
    struct dirent *de;
    char path[512];
    while (d && (de = readdir(d)))
        if (de->d_name[0] != '.') {
            snprintf(path, sizeof path, "%s/%s", tmpdir, de->d_name);
            unlink(path);
        }
    if (d) closedir(d);
    if (chdir("/") != 0) return -1;
    rmdir(tmpdir);
    return 0;
}

int main(void) {
    /* before any SDL call: no real display, no audio */
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    setenv("SDL_AUDIODRIVER", "dummy", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_display),
        cmocka_unit_test(test_keys_reach_the_engine),
        cmocka_unit_test(test_quit_key_and_seconds),
        cmocka_unit_test(test_bad_config_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
