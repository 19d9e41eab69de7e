/* test_tui_draw.c - the pure drawing layer of the ncurses mode: braille dots and
 * lines, scatter mapping, half-block and ASCII-ramp images, block bars, colour
 * mapping and the screen layout at every supported size. No terminal needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tui_draw.h"

static tui_cell *at(tui_canvas *cv, int x, int y) {
    tui_cell *c = tui_canvas_at(cv, x, y);
    assert_non_null(c);
    return c;
}

/* ---- braille ---- */

static void test_braille_bits(void **state) {
    (void)state;
    /* Unicode numbering: 1 2 3 down the left, 4 5 6 down the right, then 7, 8 */
    assert_int_equal(tui_braille_bit(0, 0), 0x01);
    assert_int_equal(tui_braille_bit(0, 1), 0x02);
    assert_int_equal(tui_braille_bit(0, 2), 0x04);
    assert_int_equal(tui_braille_bit(1, 0), 0x08);
    assert_int_equal(tui_braille_bit(1, 1), 0x10);
    assert_int_equal(tui_braille_bit(1, 2), 0x20);
    assert_int_equal(tui_braille_bit(0, 3), 0x40);
    assert_int_equal(tui_braille_bit(1, 3), 0x80);
}

static void test_braille_dots_land(void **state) {
    (void)state;
    tui_canvas cv;
    assert_int_equal(tui_canvas_init(&cv, 4, 2), 0);
    tui_dot(&cv, 0, 0, 7, 1);
    assert_int_equal(at(&cv, 0, 0)->ch, 0x2801);
    assert_int_equal(at(&cv, 0, 0)->fg, 7);
    tui_dot(&cv, 1, 0, 7, 1); /* same cell, right column */
    assert_int_equal(at(&cv, 0, 0)->ch, 0x2809);
    tui_dot(&cv, 3, 7, 9, 1); /* cell (1, 1), bottom right dot */
    assert_int_equal(at(&cv, 1, 1)->ch, 0x2880);
    tui_dot(&cv, 6, 5, 9, 1); /* cell (3, 1), dot (0, 1) */
    assert_int_equal(at(&cv, 3, 1)->ch, 0x2802);
    /* nothing else was touched, and dots off the canvas are ignored */
    tui_dot(&cv, 8, 0, 1, 1);
    tui_dot(&cv, -1, 0, 1, 1);
    tui_dot(&cv, 0, 8, 1, 1);
    assert_int_equal(at(&cv, 1, 0)->ch, L' ');
    assert_int_equal(at(&cv, 2, 0)->ch, L' ');
    assert_int_equal(at(&cv, 0, 1)->ch, L' ');
    tui_canvas_free(&cv);
}

static void test_braille_ascii_fallback(void **state) {
    (void)state;
    tui_canvas cv;
    assert_int_equal(tui_canvas_init(&cv, 3, 1), 0);
    tui_dot(&cv, 0, 0, 1, 0); /* upper half */
    tui_dot(&cv, 2, 3, 1, 0); /* lower half */
    tui_dot(&cv, 4, 1, 1, 0);
    tui_dot(&cv, 5, 2, 1, 0); /* both */
    assert_int_equal(at(&cv, 0, 0)->ch, L'\'');
    assert_int_equal(at(&cv, 1, 0)->ch, L'.');
    assert_int_equal(at(&cv, 2, 0)->ch, L':');
    assert_int_equal(tui_dots_ascii(0), ' ');
    tui_canvas_free(&cv);
}

static void test_plot_line(void **state) {
    (void)state;
    tui_canvas cv;
    assert_int_equal(tui_canvas_init(&cv, 10, 3), 0);
    tui_rect r = {0, 0, 10, 3};
    /* a constant at the top of the range: only the top dot row */
    float top[5] = {1, 1, 1, 1, 1};
    tui_plot_line(&cv, r, top, 5, 0, 1, 3, 1);
    for (int x = 0; x < 10; x++) {
        wchar_t ch = at(&cv, x, 0)->ch;
        assert_true(ch >= 0x2800 && ch <= 0x28ff);
        assert_int_equal((ch - 0x2800) & ~0x09, 0); /* dots 1 and 4: the top row */
        assert_int_equal(at(&cv, x, 1)->ch, L' ');
        assert_int_equal(at(&cv, x, 2)->ch, L' ');
    }
    /* a rising line: bottom-left dot to top-right dot */
    tui_canvas_clear(&cv);
    float up[2] = {0, 1};
    tui_plot_line(&cv, r, up, 2, 0, 1, 3, 1);
    assert_true(at(&cv, 0, 2)->ch & 0x40);
    assert_true(at(&cv, 9, 0)->ch & 0x08);
    assert_int_equal(at(&cv, 0, 0)->ch, L' ');
    assert_int_equal(at(&cv, 9, 2)->ch, L' ');
    /* rows of values: clamped into the plot */
    assert_int_equal(tui_plot_row(r, 5.0f, 0, 1), 0);
    assert_int_equal(tui_plot_row(r, -5.0f, 0, 1), 11);
    assert_int_equal(tui_plot_row(r, 0.5f, 0, 1), 6);
    tui_canvas_free(&cv);
}

static void test_scatter_mapping(void **state) {
    (void)state;
    tui_canvas cv;
    assert_int_equal(tui_canvas_init(&cv, 20, 5), 0);
    /* 40 x 20 dots; a square view uses a centred 20 x 20 square: cells 5..14 */
    float view[4] = {-1, 1, -1, 1};
    tui_dotmap m = tui_dotmap_make((tui_rect){0, 0, 20, 5}, view);
    assert_int_equal(m.dots.w, 20);
    assert_int_equal(m.dots.h, 20);
    assert_int_equal(m.dots.x, 10);
    assert_int_equal(m.dots.y, 0);
    float pts[8] = {-1, 1, 0.99f, -0.99f, 3, 0, 0, 0};
    tui_scatter(&cv, &m, pts, 4, 5, 1, '.');
    assert_int_equal(at(&cv, 5, 0)->ch, 0x2801);  /* (-1, 1): top-left dot */
    assert_int_equal(at(&cv, 14, 4)->ch, 0x2880); /* near (1, -1): bottom-right dot */
    assert_int_equal(at(&cv, 10, 2)->ch, 0x2804); /* (0, 0): dot (20, 10) */
    /* (3, 0) is outside the view: no dot right of the square */
    for (int x = 15; x < 20; x++)
        for (int y = 0; y < 5; y++) assert_int_equal(at(&cv, x, y)->ch, L' ');
    /* ASCII: the given character per occupied cell */
    tui_canvas_clear(&cv);
    tui_scatter(&cv, &m, pts, 4, 5, 0, 'o');
    assert_int_equal(at(&cv, 5, 0)->ch, L'o');
    assert_int_equal(at(&cv, 10, 2)->ch, L'o');
    tui_canvas_free(&cv);
}

/* ---- images ---- */

static const uint8_t img4[16] = {
    0,   85,  170, 255, /* row 0 */
    255, 170, 85,  0,   /* row 1 */
    10,  20,  30,  40,  /* row 2 */
    128, 128, 128, 128,
};

static void test_grey_ramp(void **state) {
    (void)state;
    assert_int_equal(tui_grey_index(0), 16);
    assert_int_equal(tui_grey_index(255), 231);
    assert_int_equal(tui_grey_index(8), 232);
    assert_int_equal(tui_grey_index(238), 255);
    assert_int_equal(tui_grey_index(128), 244);
    assert_int_equal(tui_grey_index(3), 16);
    assert_int_equal(tui_grey_index(250), 231);
    for (int v = 0; v < 256; v++) {
        int lvl = tui_grey_level(tui_grey_index(v));
        /* greys are 10 apart, but 17 between the ramp's top (238) and white */
        assert_true(lvl - v <= 9 && v - lvl <= 9);
    }
}

static void test_half_block_image(void **state) {
    (void)state;
    tui_canvas cv;
    assert_int_equal(tui_canvas_init(&cv, 6, 3), 0);
    tui_style st = {1, 256};
    tui_image(&cv, 1, 1, img4, 4, 4, 4, 4, &st);
    for (int x = 0; x < 4; x++) {
        tui_cell *c0 = at(&cv, 1 + x, 1), *c1 = at(&cv, 1 + x, 2);
        assert_int_equal(c0->ch, 0x2580);
        assert_int_equal(c0->fg, tui_grey_index(img4[x]));
        assert_int_equal(c0->bg, tui_grey_index(img4[4 + x]));
        assert_int_equal(c1->ch, 0x2580);
        assert_int_equal(c1->fg, tui_grey_index(img4[8 + x]));
        assert_int_equal(c1->bg, tui_grey_index(img4[12 + x]));
    }
    assert_int_equal(at(&cv, 0, 1)->ch, L' ');
    assert_int_equal(at(&cv, 5, 1)->ch, L' ');
    assert_int_equal(at(&cv, 1, 0)->ch, L' ');
    assert_int_equal(at(&cv, 1, 1)->fg, 16);  /* black */
    assert_int_equal(at(&cv, 4, 1)->fg, 231); /* white */

    /* true colour: the exact grey */
    tui_canvas_clear(&cv);
    st.colors = TUI_TRUECOLOR;
    tui_image(&cv, 0, 0, img4, 4, 4, 4, 4, &st);
    assert_int_equal(at(&cv, 1, 0)->fg, TUI_RGB(85, 85, 85));
    assert_int_equal(at(&cv, 1, 0)->bg, TUI_RGB(170, 170, 170));
    assert_int_equal(at(&cv, 2, 1)->fg, TUI_RGB(30, 30, 30));

    /* box-filtered down to 2 x 2 pixels: one cell row of means */
    tui_canvas_clear(&cv);
    st.colors = 256;
    tui_image(&cv, 0, 0, img4, 4, 4, 2, 2, &st);
    assert_int_equal(at(&cv, 0, 0)->fg, tui_grey_index(128)); /* (0+85+255+170)/4 */
    assert_int_equal(at(&cv, 1, 0)->fg, tui_grey_index(128)); /* (170+255+85+0)/4 */
    assert_int_equal(at(&cv, 0, 0)->bg, tui_grey_index(72));  /* (10+20+128+128)/4 */
    assert_int_equal(at(&cv, 0, 1)->ch, L' ');
    tui_canvas_free(&cv);
}

static void test_ascii_ramp(void **state) {
    (void)state;
    assert_int_equal(tui_ascii_ramp(0), ' ');
    assert_int_equal(tui_ascii_ramp(255), '@');
    assert_int_equal(tui_ascii_ramp(128), '+');
    assert_int_equal(tui_ascii_ramp(-4), ' ');
    assert_int_equal(tui_ascii_ramp(999), '@');
    /* darker never maps above brighter */
    for (int v = 1; v < 256; v++) {
        const char *ramp = " .:-=+*#%@";
        assert_true(strchr(ramp, tui_ascii_ramp(v)) >= strchr(ramp, tui_ascii_ramp(v - 1)));
    }
    /* the fallback image (no UTF-8, or no 256 colours): the mean of two pixels */
    tui_canvas cv;
    assert_int_equal(tui_canvas_init(&cv, 4, 2), 0);
    tui_style plain = {0, 0}, eight = {1, 8};
    const tui_style *styles[2] = {&plain, &eight};
    for (int s = 0; s < 2; s++) {
        tui_canvas_clear(&cv);
        tui_image(&cv, 0, 0, img4, 4, 4, 4, 4, styles[s]);
        for (int x = 0; x < 4; x++) {
            assert_int_equal(at(&cv, x, 0)->ch, tui_ascii_ramp((img4[x] + img4[4 + x] + 1) / 2));
            assert_int_equal(at(&cv, x, 1)->ch,
                             tui_ascii_ramp((img4[8 + x] + img4[12 + x] + 1) / 2));
            assert_int_equal(at(&cv, x, 0)->fg, TUI_DEFAULT);
        }
    }
    tui_canvas_free(&cv);
}

/* ---- bars ---- */

static void test_bar_glyphs(void **state) {
    (void)state;
    assert_int_equal(tui_bar_glyph(0, 1), L' ');
    assert_int_equal(tui_bar_glyph(1, 1), 0x2581);
    assert_int_equal(tui_bar_glyph(4, 1), 0x2584);
    assert_int_equal(tui_bar_glyph(8, 1), 0x2588);
    assert_int_equal(tui_bar_glyph(12, 1), 0x2588);
    assert_int_equal(tui_bar_glyph(0, 0), L' ');
    assert_int_equal(tui_bar_glyph(1, 0), L'.');
    assert_int_equal(tui_bar_glyph(4, 0), L':');
    assert_int_equal(tui_bar_glyph(8, 0), L'#');
}

static void test_hist_bars(void **state) {
    (void)state;
    tui_canvas cv;
    assert_int_equal(tui_canvas_init(&cv, 4, 2), 0);
    float bins[4] = {0, 1, 2, 4};
    /* one row: the largest bin fills the cell */
    tui_bars(&cv, (tui_rect){0, 1, 4, 1}, bins, 4, 2, 1);
    assert_int_equal(at(&cv, 0, 1)->ch, L' ');
    assert_int_equal(at(&cv, 1, 1)->ch, 0x2582);
    assert_int_equal(at(&cv, 2, 1)->ch, 0x2584);
    assert_int_equal(at(&cv, 3, 1)->ch, 0x2588);
    assert_int_equal(at(&cv, 3, 1)->fg, 2);
    assert_int_equal(at(&cv, 3, 0)->ch, L' ');
    /* two rows: 16 eighths of height */
    tui_canvas_clear(&cv);
    tui_bars(&cv, (tui_rect){0, 0, 4, 2}, bins, 4, 2, 1);
    assert_int_equal(at(&cv, 3, 0)->ch, 0x2588);
    assert_int_equal(at(&cv, 3, 1)->ch, 0x2588);
    assert_int_equal(at(&cv, 2, 0)->ch, L' ');
    assert_int_equal(at(&cv, 2, 1)->ch, 0x2588);
    assert_int_equal(at(&cv, 1, 0)->ch, L' ');
    assert_int_equal(at(&cv, 1, 1)->ch, 0x2584);
    /* ASCII */
    tui_canvas_clear(&cv);
    tui_bars(&cv, (tui_rect){0, 1, 4, 1}, bins, 4, 2, 0);
    assert_int_equal(at(&cv, 0, 1)->ch, L' ');
    assert_int_equal(at(&cv, 1, 1)->ch, L'.');
    assert_int_equal(at(&cv, 2, 1)->ch, L':');
    assert_int_equal(at(&cv, 3, 1)->ch, L'#');
    tui_canvas_free(&cv);

    /* 40 bins into 10 columns: sums of four; a tiny nonzero bin stays visible */
    float many[40] = {0};
    many[0] = 1e-4f;
    for (int i = 36; i < 40; i++) many[i] = 1;
    assert_int_equal(tui_canvas_init(&cv, 10, 1), 0);
    tui_bars(&cv, (tui_rect){0, 0, 10, 1}, many, 40, 2, 1);
    assert_int_equal(at(&cv, 0, 0)->ch, 0x2581);
    assert_int_equal(at(&cv, 5, 0)->ch, L' ');
    assert_int_equal(at(&cv, 9, 0)->ch, 0x2588);
    tui_canvas_free(&cv);
}

/* ---- text, hash, colours ---- */

static void test_text_and_hash(void **state) {
    (void)state;
    tui_canvas cv;
    assert_int_equal(tui_canvas_init(&cv, 8, 1), 0);
    uint64_t h0 = tui_canvas_hash(&cv);
    assert_int_equal(tui_text(&cv, 1, 0,
                              "a\xe2\x94\x82"
                              "bcdefghij",
                              0, 1, 2, TUI_BOLD, 1),
                     7);
    assert_int_equal(at(&cv, 2, 0)->ch, 0x2502);
    assert_int_equal(at(&cv, 7, 0)->ch, L'f');
    assert_int_equal(at(&cv, 1, 0)->attr, TUI_BOLD);
    uint64_t h1 = tui_canvas_hash(&cv);
    assert_true(h0 != h1);
    assert_true(tui_canvas_hash(&cv) == h1);
    at(&cv, 3, 0)->fg = 9; /* a colour change alone changes the hash */
    assert_true(tui_canvas_hash(&cv) != h1);
    tui_canvas_clear(&cv);
    assert_true(tui_canvas_hash(&cv) == h0);
    /* without UTF-8, non-ASCII becomes '?' */
    tui_text(&cv, 0, 0, "\xe2\x94\x82x", 3, TUI_DEFAULT, TUI_DEFAULT, 0, 0);
    assert_int_equal(at(&cv, 0, 0)->ch, L'?');
    assert_int_equal(at(&cv, 1, 0)->ch, L'x');
    tui_canvas_free(&cv);
}

static void test_colors(void **state) {
    (void)state;
    assert_int_equal(tui_color8(TUI_DEFAULT), -1);
    assert_int_equal(tui_color8(1), 1);
    assert_int_equal(tui_color8(9), 1);
    assert_int_equal(tui_color8(203), 1); /* salmon: red */
    assert_int_equal(tui_color8(114), 2); /* green */
    assert_int_equal(tui_color8(215), 3); /* orange: yellow */
    assert_int_equal(tui_color8(81), 6);  /* cyan */
    assert_int_equal(tui_color8(16), 0);
    assert_int_equal(tui_color8(231), 7);
    assert_int_equal(tui_color8(TUI_RGB(0, 0, 200)), 4);
    assert_int_equal(tui_color256(TUI_RGB(255, 0, 0)), 196);
    assert_int_equal(tui_color256(TUI_RGB(128, 128, 128)), 244);
    assert_int_equal(tui_color256(114), 114);
    assert_int_equal(tui_color_rgb(196), 0xff0000);
    assert_int_equal(tui_color_rgb(244), 0x808080);
}

/* ---- layout ---- */

static void check_layout(int w, int h) {
    tui_layout L;
    assert_int_equal(tui_layout_compute(w, h, &L), 0);
    assert_false(L.too_small);
    tui_rect screen = {0, 0, w, h};
    tui_rect panels[5] = {L.status, L.samples, L.loss, L.hist, L.message};
    for (int i = 0; i < 5; i++) {
        assert_true(panels[i].w > 0 && panels[i].h > 0);
        assert_true(tui_rect_inside(panels[i], screen));
        for (int j = 0; j < i; j++) assert_false(tui_rect_overlap(panels[i], panels[j]));
    }
    assert_true(tui_rect_inside(L.help, screen));
    assert_int_equal(L.status.y, 0);
    assert_int_equal(L.status.w, w);
    assert_int_equal(L.message.y, h - 1);
    /* room enough to draw something in every panel */
    assert_true(L.samples.w >= 24 && L.samples.h >= 10);
    assert_true(L.loss.w >= 24 && L.loss.h >= 6);
    assert_true(L.hist.w >= 24 && L.hist.h >= 6);
    assert_true(L.help.w >= 40 && L.help.h >= 12);
}

static void test_layout_sizes(void **state) {
    (void)state;
    static const int sizes[][2] = {{60, 18},  {80, 24},   {100, 30}, {120, 40},
                                   {200, 60}, {300, 100}, {81, 25},  {250, 40}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        check_layout(sizes[i][0], sizes[i][1]);
    /* every size in between too */
    for (int w = 60; w <= 300; w += 7)
        for (int h = 18; h <= 100; h += 5) check_layout(w, h);
}

static void test_layout_too_small(void **state) {
    (void)state;
    static const int sizes[][2] = {{59, 18}, {60, 17}, {40, 10}, {1, 1}, {0, 0}, {300, 5}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        tui_layout L;
        assert_int_equal(tui_layout_compute(sizes[i][0], sizes[i][1], &L), -1);
        assert_true(L.too_small);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_braille_bits),
        cmocka_unit_test(test_braille_dots_land),
        cmocka_unit_test(test_braille_ascii_fallback),
        cmocka_unit_test(test_plot_line),
        cmocka_unit_test(test_scatter_mapping),
        cmocka_unit_test(test_grey_ramp),
        cmocka_unit_test(test_half_block_image),
        cmocka_unit_test(test_ascii_ramp),
        cmocka_unit_test(test_bar_glyphs),
        cmocka_unit_test(test_hist_bars),
        cmocka_unit_test(test_text_and_hash),
        cmocka_unit_test(test_colors),
        cmocka_unit_test(test_layout_sizes),
        cmocka_unit_test(test_layout_too_small),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
