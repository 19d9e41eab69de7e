/* test_tui_panels.c - the panels of the ncurses mode drawn from a made-up
 * snapshot into canvases: what the status line keeps when narrow, the selected
 * layer's highlight, event markers and labels (refused events get none), the
 * samples in both modes, the help overlay and the too-small message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tui_panels.h"

/* Row y of a canvas as ASCII, non-ASCII cells as '#'. */
static const char *row_text(const tui_canvas *cv, int y) {
    static char buf[1024];
    int n = 0;
    for (int x = 0; x < cv->w && n < (int)sizeof buf - 1; x++) {
        wchar_t ch = cv->c[(long)y * cv->w + x].ch;
        buf[n++] = ch >= 32 && ch < 127 ? (char)ch : '#';
    }
    buf[n] = 0;
    return buf;
}

static int canvas_has(const tui_canvas *cv, const char *s) {
    for (int y = 0; y < cv->h; y++)
        if (strstr(row_text(cv, y), s)) return 1;
    return 0;
}

static int row_of(const tui_canvas *cv, const char *s) {
    for (int y = 0; y < cv->h; y++)
        if (strstr(row_text(cv, y), s)) return y;
    return -1;
}

static snapshot *make_snapshot(void) {
    snapshot *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->version = 7;
    s->step = 1234;
    s->paused = 1;
    s->running = 1;
    snprintf(s->preset, sizeof s->preset, "ring8");
    snprintf(s->data_name, sizeof s->data_name, "ring8");
    s->loss = LOSS_NS;
    s->d_steps = 1;
    s->g.n_hidden = 2;
    s->d.n_hidden = 2;
    s->g.lr = s->d.lr = 1e-3f;
    for (int l = 0; l < 2; l++) {
        layer_stats *g = &s->g.layer[l], *d = &s->d.layer[l];
        g->act = l == 0 ? ACT_SIGMOID : ACT_RELU;
        d->act = ACT_LEAKY_RELU;
        d->slope = 0.2f;
        g->units = d->units = 16;
        for (int b = 0; b < HIST_BINS; b++) {
            g->post_hist[b] = g->pre_hist[b] = d->post_hist[b] = d->pre_hist[b] = 1.0f / HIST_BINS;
        }
        g->post_hi = d->post_hi = 1;
    }
    s->hist.stride = 10;
    s->hist.n = 100;
    for (int i = 0; i < 100; i++) {
        hist_bucket *b = &s->hist.b[i];
        b->step = 1 + i * 10;
        b->count = 10;
        float v[4] = {1.4f - i * 0.001f, 0.7f + i * 0.002f, 0.6f, 0.4f};
        for (int k = 0; k < 4; k++) b->mean[k] = b->min[k] = b->max[k] = v[k];
    }
    s->n_events = 2;
    s->n_events_total = 2;
    s->events[0] = (engine_event){.step = 500, .refused = 0};
    snprintf(s->events[0].text, EVENT_TEXT, "G layer 1: relu -> sigmoid");
    s->events[1] = (engine_event){.step = 800, .refused = 1};
    snprintf(s->events[1].text, EVENT_TEXT, "G has no hidden layer 5 (it has 2)");
    s->has_modes = 1;
    s->modes = (mode_stats){.modes = 7, .n_modes = 8, .hq = 0.9f, .kl = 0.1f};
    /* 2-D samples: real points at (1, 0), generated ones at (-1, 0) */
    s->images = 0;
    s->n_points = SNAP_POINTS;
    for (int i = 0; i < SNAP_POINTS; i++) {
        s->real_pts[2 * i] = 1;
        s->real_pts[2 * i + 1] = 0;
        s->fake_pts[2 * i] = -1;
        s->fake_pts[2 * i + 1] = 0;
    }
    s->view[0] = -2;
    s->view[1] = 2;
    s->view[2] = -2;
    s->view[3] = 2;
    for (int i = 0; i < SNAP_GRID * SNAP_GRID; i++) s->heat[i] = 0.95f;
    return s;
}

static void test_status_line(void **state) {
    (void)state;
    snapshot *s = make_snapshot();
    tui_view v;
    tui_view_defaults(&v);
    tui_canvas cv;
    assert_int_equal(tui_canvas_init(&cv, 150, 1), 0);
    tui_panel_status(&cv, s, &v);
    const char *r = row_text(&cv, 0);
    assert_non_null(strstr(r, "step 1234"));
    assert_non_null(strstr(r, "PAUSED"));
    assert_non_null(strstr(r, "[G all]"));
    assert_non_null(strstr(r, "modes 7/8 hq 0.90 kl 0.10"));
    assert_non_null(strstr(r, "loss ns"));
    assert_non_null(strstr(r, "d_steps 1"));
    assert_non_null(strstr(r, "lr G"));
    tui_canvas_free(&cv);
    /* narrow: the least important parts go, step and PAUSED stay */
    assert_int_equal(tui_canvas_init(&cv, 60, 1), 0);
    s->paused = 0;
    s->steps_per_s = 812;
    v.sel = (ui_selection){NET_D, 1};
    tui_panel_status(&cv, s, &v);
    r = row_text(&cv, 0);
    assert_non_null(strstr(r, "step 1234"));
    assert_non_null(strstr(r, "812 steps/s"));
    assert_non_null(strstr(r, "[D layer 2]"));
    assert_null(strstr(r, "d_steps"));
    tui_canvas_free(&cv);
    free(s);
}

static void test_hist_selection(void **state) {
    (void)state;
    snapshot *s = make_snapshot();
    tui_view v;
    tui_view_defaults(&v);
    tui_canvas cv;
    assert_int_equal(tui_canvas_init(&cv, 80, 17), 0);
    tui_panel_hist(&cv, s, &v);
    int g1 = row_of(&cv, "G1 sigmoid"), g2 = row_of(&cv, "G2 relu");
    int d1 = row_of(&cv, "D1 leaky_relu slope 0.20"), d2 = row_of(&cv, "D2 leaky_relu");
    assert_true(g1 > 0 && g2 > g1 && d1 > g2 && d2 > d1);
    /* "G all" selected: both G layers carry the marker, D layers none */
    assert_int_equal(cv.c[g1 * cv.w].ch, 0x25B6);
    assert_int_equal(cv.c[g2 * cv.w].ch, 0x25B6);
    assert_int_equal(cv.c[d1 * cv.w].ch, L' ');
    assert_int_equal(cv.c[d2 * cv.w].ch, L' ');
    /* bars under each header */
    assert_int_equal(cv.c[(g1 + 1) * cv.w + 2].ch, 0x2588);
    /* one D layer */
    v.sel = (ui_selection){NET_D, 1};
    tui_panel_hist(&cv, s, &v);
    assert_int_equal(cv.c[g1 * cv.w].ch, L' ');
    assert_int_equal(cv.c[d1 * cv.w].ch, L' ');
    assert_int_equal(cv.c[d2 * cv.w].ch, 0x25B6);
    /* compact: one line per layer when the panel is short */
    tui_canvas_free(&cv);
    assert_int_equal(tui_canvas_init(&cv, 70, 5), 0);
    tui_panel_hist(&cv, s, &v);
    assert_true(canvas_has(&cv, "G1 sigmoid"));
    assert_true(canvas_has(&cv, "D2 leaky_relu"));
    tui_canvas_free(&cv);
    free(s);
}

static void test_event_labels(void **state) {
    (void)state;
    char b[32];
    tui_event_label("G layer 1: relu -> sigmoid", b, sizeof b);
    assert_string_equal(b, "G1 sigmoid");
    tui_event_label("D all layers: relu -> tanh", b, sizeof b);
    assert_string_equal(b, "D tanh");
    tui_event_label("D layer 2: leaky_relu slope = 0.25", b, sizeof b);
    assert_string_equal(b, "D2 s=0.25");
    tui_event_label("G all layers: elu alpha = 0.50", b, sizeof b);
    assert_string_equal(b, "G a=0.50");
    tui_event_label("G learning rate 0.0005", b, sizeof b);
    assert_string_equal(b, "G lr 0.0005");
    tui_event_label("D steps per G step 3", b, sizeof b);
    assert_string_equal(b, "k=3");
    tui_event_label("loss hinge", b, sizeof b);
    assert_string_equal(b, "hinge");
    tui_event_label("reset (seed 1)", b, sizeof b);
    assert_string_equal(b, "reset");
    tui_event_label("paused", b, sizeof b);
    assert_string_equal(b, "paused");
}

static void test_loss_markers(void **state) {
    (void)state;
    snapshot *s = make_snapshot();
    tui_view v;
    tui_view_defaults(&v);
    tui_canvas cv;
    assert_int_equal(tui_canvas_init(&cv, 70, 14), 0);
    tui_panel_loss(&cv, s, &v);
    assert_true(canvas_has(&cv, "G1 sigmoid"));
    assert_false(canvas_has(&cv, "no hidden")); /* the refused event: no label */
    /* exactly one marker column: the applied event's */
    int marker_cols = 0;
    for (int x = 0; x < cv.w; x++) {
        int n = 0;
        for (int y = 1; y < cv.h; y++) n += cv.c[y * cv.w + x].ch == 0x250A;
        if (n >= 3) marker_cols++;
    }
    assert_int_equal(marker_cols, 1);
    /* curves are braille */
    int dots = 0;
    for (int i = 0; i < cv.w * cv.h; i++) dots += cv.c[i].ch >= 0x2800 && cv.c[i].ch <= 0x28ff;
    assert_true(dots > 40);
    /* the message line shows the latest event, refused in words */
    tui_canvas msg;
    assert_int_equal(tui_canvas_init(&msg, 100, 1), 0);
    tui_panel_message(&msg, s, &v);
    assert_non_null(strstr(row_text(&msg, 0), "step 800: refused: G has no hidden layer 5"));
    snprintf(v.notice, sizeof v.notice, "screenshots are window-only");
    tui_panel_message(&msg, s, &v);
    assert_non_null(strstr(row_text(&msg, 0), "screenshots are window-only"));
    tui_canvas_free(&msg);
    /* an empty history says so instead of plotting */
    s->hist.n = 0;
    tui_panel_loss(&cv, s, &v);
    assert_true(canvas_has(&cv, "waiting"));
    tui_canvas_free(&cv);
    free(s);
}

static void test_samples_points(void **state) {
    (void)state;
    snapshot *s = make_snapshot();
    tui_view v;
    tui_view_defaults(&v);
    tui_canvas cv;
    assert_int_equal(tui_canvas_init(&cv, 40, 21), 0);
    tui_panel_samples(&cv, s, &v);
    /* real points right of centre in the real colour, generated left in theirs */
    int real_x = -1, fake_x = -1, shaded = 0;
    for (int y = 1; y < cv.h; y++)
        for (int x = 0; x < cv.w; x++) {
            tui_cell *c = &cv.c[y * cv.w + x];
            if (c->ch >= 0x2800 && c->fg == TUI_C_REAL) real_x = x;
            if (c->ch >= 0x2800 && c->fg == TUI_C_FAKE) fake_x = x;
            shaded += c->bg == 88;
        }
    assert_true(real_x > cv.w / 2);
    assert_true(fake_x >= 0 && fake_x < cv.w / 2);
    assert_true(shaded > 100); /* D = 0.95 everywhere: the darkest red */
    /* heatmap off: no shading; points off: no dots */
    v.heatmap = 0;
    v.points = 0;
    tui_panel_samples(&cv, s, &v);
    for (int i = cv.w; i < cv.w * cv.h; i++) {
        assert_int_equal(cv.c[i].bg, TUI_DEFAULT);
        assert_int_equal(cv.c[i].ch, L' ');
    }
    /* no colours: generated points become letters */
    v.points = 1;
    v.st.colors = 0;
    tui_panel_samples(&cv, s, &v);
    assert_true(canvas_has(&cv, "o"));
    tui_canvas_free(&cv);
    free(s);
}

static void test_samples_images(void **state) {
    (void)state;
    snapshot *s = make_snapshot();
    s->images = 1;
    s->width = s->height = 28;
    s->n_images = SNAP_IMAGES;
    memset(s->fake_img, 255, sizeof s->fake_img);
    memset(s->real_img, 0, sizeof s->real_img);
    tui_view v;
    tui_view_defaults(&v);
    tui_canvas cv;
    assert_int_equal(tui_canvas_init(&cv, 60, 38), 0);
    tui_panel_samples(&cv, s, &v);
    int white = 0, black = 0;
    for (int i = 0; i < cv.w * cv.h; i++) {
        if (cv.c[i].ch != 0x2580) continue;
        white += cv.c[i].fg == 231 && cv.c[i].bg == 231;
        black += cv.c[i].fg == 16;
    }
    assert_true(white > 500);
    assert_true(black > 100); /* the row of real images */
    assert_true(canvas_has(&cv, "real:"));
    /* the grid: a dozen images at 60x37 cells, none smaller than 12 pixels */
    tui_grid g = tui_image_grid(60, 37, 28, 28, 80);
    assert_true(g.cols * g.rows >= 12);
    assert_true(g.px_w >= 12 && g.px_w <= 56);
    assert_true(g.cols * (g.cell_w + 1) - 1 <= 60 && g.rows * (g.cell_h + 1) - 1 <= 37);
    g = tui_image_grid(40, 21, 28, 28, 80);
    assert_true(g.px_w >= 12 && g.cols * g.rows >= 4);
    g = tui_image_grid(5, 3, 28, 28, 80);
    assert_true(g.cols * (g.cell_w + 1) - 1 <= 5 && g.rows * (g.cell_h + 1) - 1 <= 3);
    tui_canvas_free(&cv);
    free(s);
}

static void test_help_lists_every_key(void **state) {
    (void)state;
    tui_view v;
    tui_view_defaults(&v);
    tui_canvas cv;
    int sizes[3][2] = {{100, 32}, {78, 22}, {58, 16}};
    for (int k = 0; k < 3; k++) {
        assert_int_equal(tui_canvas_init(&cv, sizes[k][0], sizes[k][1]), 0);
        int pages = tui_help_pages(cv.w, cv.h);
        assert_true(pages >= 1 && pages <= 4);
        if (k == 0) assert_int_equal(pages, 1);
        /* collect the text of every page */
        static char all[16384];
        all[0] = 0;
        for (int p = 0; p < pages; p++) {
            v.help_page = p;
            tui_panel_help(&cv, &v);
            for (int y = 0; y < cv.h; y++) {
                strncat(all, row_text(&cv, y), sizeof all - strlen(all) - 2);
                strcat(all, "\n");
            }
        }
        for (int i = 0; i < keymap_count; i++) {
            if (keymap[i].action == KA_COMMAND && keymap[i].cmd == CMD_SET_ACT) {
                assert_non_null(strstr(all, act_name((act_kind)keymap[i].act)));
                continue;
            }
            if (!strstr(all, keymap[i].help)) {
                /* long help lines wrap: the first word is enough */
                char first[32];
                sscanf(keymap[i].help, "%31s", first);
                assert_non_null(strstr(all, first));
            }
        }
        tui_canvas_free(&cv);
    }
}

static void test_too_small(void **state) {
    (void)state;
    tui_canvas cv;
    assert_int_equal(tui_canvas_init(&cv, 50, 5), 0);
    tui_panel_too_small(&cv, 50, 5);
    assert_string_equal(row_text(&cv, 0), "terminal too small (50x5): need at least 60x18    ");
    tui_canvas_free(&cv);
    /* narrower than the message: wrapped at spaces, nothing lost */
    assert_int_equal(tui_canvas_init(&cv, 40, 10), 0);
    tui_panel_too_small(&cv, 40, 10);
    assert_non_null(strstr(row_text(&cv, 0), "terminal too small (40x10): need at"));
    assert_non_null(strstr(row_text(&cv, 1), "least 60x18"));
    tui_canvas_free(&cv);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_line),          cmocka_unit_test(test_hist_selection),
        cmocka_unit_test(test_event_labels),         cmocka_unit_test(test_loss_markers),
        cmocka_unit_test(test_samples_points),       cmocka_unit_test(test_samples_images),
        cmocka_unit_test(test_help_lists_every_key), cmocka_unit_test(test_too_small),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
