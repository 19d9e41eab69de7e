/* test_gui_layout.c - the visualizer's pure layout and plot scaling: every
 * panel inside the window and none overlapping at the common screen sizes,
 * grid cells tiling their area, value-to-pixel maps (linear and log), nice
 * ticks and their labels. No window is opened. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "layout.h"

/* cmocka's assert_float_equal compares in float; these checks need double */
#define assert_near(a, b, eps) assert_true(fabs((double)(a) - (double)(b)) <= (eps))

static const int sizes[][2] = {{800, 600}, {1024, 768}, {1280, 800}, {1920, 1080}, {2560, 1440}};
#define N_SIZES ((int)(sizeof sizes / sizeof sizes[0]))

static void panels(const gui_layout *l, lay_rect out[6]) {
    out[0] = l->status;
    out[1] = l->samples;
    out[2] = l->act;
    out[3] = l->loss;
    out[4] = l->hist;
    out[5] = l->grad;
}

static void test_panels_inside_and_disjoint(void **state) {
    (void)state;
    for (int s = 0; s < N_SIZES; s++) {
        gui_layout l;
        layout_compute(sizes[s][0], sizes[s][1], &l);
        lay_rect win = {0, 0, sizes[s][0], sizes[s][1]}, p[6];
        panels(&l, p);
        for (int i = 0; i < 6; i++) {
            assert_true(layout_inside(p[i], win));
            /* big enough to hold a title line and something under it */
            assert_true(p[i].w >= 4 * l.font_px);
            assert_true(p[i].h >= 2 * l.font_px);
            for (int j = i + 1; j < 6; j++) assert_false(layout_overlap(p[i], p[j]));
        }
    }
}

static void test_fonts_scale_with_window(void **state) {
    (void)state;
    int prev = 0;
    for (int s = 0; s < N_SIZES; s++) {
        gui_layout l;
        layout_compute(sizes[s][0], sizes[s][1], &l);
        assert_true(l.font_px >= 12);
        assert_true(l.small_px >= 11 && l.small_px <= l.font_px);
        assert_true(l.font_px >= prev);
        prev = l.font_px;
    }
    gui_layout l;
    layout_compute(1280, 800, &l);
    assert_true(l.font_px >= 18); /* readable from the back of a room */
}

static void test_uses_most_of_the_window(void **state) {
    (void)state;
    for (int s = 0; s < N_SIZES; s++) {
        gui_layout l;
        layout_compute(sizes[s][0], sizes[s][1], &l);
        lay_rect p[6];
        panels(&l, p);
        long area = 0;
        for (int i = 0; i < 6; i++) area += (long)p[i].w * p[i].h;
        assert_true(area > (long)sizes[s][0] * sizes[s][1] * 85 / 100);
    }
}

static void test_small_window_is_clamped(void **state) {
    (void)state;
    gui_layout l;
    layout_compute(100, 50, &l);
    assert_int_equal(l.w, LAYOUT_MIN_W);
    assert_int_equal(l.h, LAYOUT_MIN_H);
    assert_true(l.samples.w > 0 && l.samples.h > 0);
}

static void test_cells_tile_the_area(void **state) {
    (void)state;
    lay_rect area = {10, 20, 301, 157};
    const int rows = 2, cols = 3, gap = 5;
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) {
            lay_rect a = layout_cell(area, rows, cols, r, c, gap);
            assert_true(layout_inside(a, area));
            assert_true(a.w > 0 && a.h > 0);
            for (int r2 = 0; r2 < rows; r2++)
                for (int c2 = 0; c2 < cols; c2++)
                    if (r2 != r || c2 != c)
                        assert_false(layout_overlap(a, layout_cell(area, rows, cols, r2, c2, gap)));
        }
    lay_rect last = layout_cell(area, rows, cols, rows - 1, cols - 1, gap);
    assert_int_equal(last.x + last.w, area.x + area.w);
    assert_int_equal(last.y + last.h, area.y + area.h);
    lay_rect sq = layout_square(area);
    assert_int_equal(sq.w, sq.h);
    assert_true(layout_inside(sq, area));
    assert_true(layout_contains(area, 10, 20));
    assert_false(layout_contains(area, 311, 20));
}

static void test_linear_map(void **state) {
    (void)state;
    lay_axis a = layout_axis(0.0, 10.0, 100.0, 0.0, 0); /* a y axis: up is smaller */
    assert_near(layout_map(&a, 0.0), 100.0, 1e-9);
    assert_near(layout_map(&a, 10.0), 0.0, 1e-9);
    assert_near(layout_map(&a, 2.5), 75.0, 1e-9);
    assert_near(layout_unmap(&a, 75.0), 2.5, 1e-9);
    assert_near(layout_map(&a, NAN), 100.0, 1e-9);
    assert_true(isfinite(layout_map(&a, 1e30)));
    lay_axis e = layout_axis(3.0, 3.0, 0.0, 10.0, 0); /* empty range stays finite */
    assert_true(isfinite(layout_map(&e, 3.0)));
}

static void test_log_map(void **state) {
    (void)state;
    lay_axis a = layout_axis(1e-4, 1.0, 0.0, 400.0, 1);
    assert_near(layout_map(&a, 1e-4), 0.0, 1e-6);
    assert_near(layout_map(&a, 1e-2), 200.0, 1e-6);
    assert_near(layout_map(&a, 1.0), 400.0, 1e-6);
    assert_near(layout_unmap(&a, 100.0), 1e-3, 1e-12);
    assert_near(layout_map(&a, 0.0), 0.0, 1e-6); /* <= 0 sits at the bottom */
    assert_near(layout_map(&a, -5.0), 0.0, 1e-6);
    lay_axis b = layout_axis(0.0, 0.0, 0.0, 1.0, 1); /* degenerate: still finite */
    assert_true(isfinite(layout_map(&b, 1.0)));
}

static void test_nice_ticks(void **state) {
    (void)state;
    double t[32];
    assert_near(layout_nice_step(10.0, 6), 2.0, 1e-12);
    assert_near(layout_nice_step(1.0, 3), 0.5, 1e-12);
    assert_near(layout_nice_step(0.7, 8), 0.1, 1e-12);
    assert_near(layout_nice_step(3000.0, 4), 1000.0, 1e-9);
    int n = layout_ticks(0.0, 1.0, 3, t, 32);
    assert_int_equal(n, 3);
    assert_near(t[0], 0.0, 1e-12);
    assert_near(t[1], 0.5, 1e-12);
    assert_near(t[2], 1.0, 1e-12);
    n = layout_ticks(-0.3, 0.71, 6, t, 32);
    assert_true(n >= 2 && n <= 6);
    for (int i = 0; i < n; i++) {
        assert_true(t[i] >= -0.3 - 1e-12 && t[i] <= 0.71 + 1e-12);
        if (i) assert_near(t[i] - t[i - 1], 0.2, 1e-9);
    }
    assert_int_equal(layout_ticks(1.0, 1.0, 5, t, 32), 0);
    /* ticks never exceed the cap */
    assert_true(layout_ticks(0.0, 1e6, 1000, t, 32) <= 32);
    for (int m = 2; m <= 10; m++) {
        n = layout_ticks(0.0, 13.7, m, t, 32);
        assert_true(n <= m);
        assert_true(n >= 2);
    }
    /* zero is exactly zero */
    n = layout_ticks(-1.0, 1.0, 5, t, 32);
    int zero = 0;
    for (int i = 0; i < n; i++) zero |= t[i] == 0.0;
    assert_true(zero);
}

static void test_nice_range(void **state) {
    (void)state;
    double lo = 0.13, hi = 2.71;
    layout_nice_range(&lo, &hi, 5);
    assert_near(lo, 0.0, 1e-12);
    assert_near(hi, 3.0, 1e-12);
    lo = hi = 5.0;
    layout_nice_range(&lo, &hi, 5);
    assert_true(lo < 5.0 && hi > 5.0);
    lo = hi = 0.0;
    layout_nice_range(&lo, &hi, 5);
    assert_true(lo < 0.0 && hi > 0.0);
    lo = NAN;
    hi = 1.0;
    layout_nice_range(&lo, &hi, 5);
    assert_true(isfinite(lo) && isfinite(hi) && hi > lo);
}

static void test_log_ticks(void **state) {
    (void)state;
    double lo = 3e-5, hi = 0.4, t[32];
    layout_log_range(&lo, &hi);
    assert_near(lo, 1e-5, 1e-18);
    assert_near(hi, 1.0, 1e-12);
    int n = layout_log_ticks(lo, hi, 10, t, 32);
    assert_int_equal(n, 6);
    for (int i = 0; i < n; i++) assert_near(t[i], pow(10.0, -5 + i), 1e-12 * pow(10, i));
    n = layout_log_ticks(1e-10, 1e2, 4, t, 32); /* 13 decades thinned to <= 4 */
    assert_true(n <= 4 && n >= 3);
    lo = hi = 0.01;
    layout_log_range(&lo, &hi);
    assert_true(hi > lo);
    assert_int_equal(layout_log_ticks(0.0, 1.0, 5, t, 32), 0);
}

static void test_tick_labels(void **state) {
    (void)state;
    char b[32];
    layout_tick_label(0.0, 0.5, b, sizeof b);
    assert_string_equal(b, "0");
    layout_tick_label(0.5, 0.5, b, sizeof b);
    assert_string_equal(b, "0.5");
    layout_tick_label(1.0, 0.5, b, sizeof b);
    assert_string_equal(b, "1");
    layout_tick_label(0.25, 0.05, b, sizeof b);
    assert_string_equal(b, "0.25");
    layout_tick_label(-1.5, 0.5, b, sizeof b);
    assert_string_equal(b, "-1.5");
    layout_tick_label(2000.0, 500.0, b, sizeof b);
    assert_string_equal(b, "2000");
    layout_tick_label(15000.0, 5000.0, b, sizeof b);
    assert_string_equal(b, "15k");
    layout_tick_label(2500000.0, 500000.0, b, sizeof b);
    assert_string_equal(b, "2.5M");
    layout_tick_label(1e-4, 0.0, b, sizeof b);
    assert_string_equal(b, "1e-4");
    layout_tick_label(0.01, 0.0, b, sizeof b);
    assert_string_equal(b, "0.01");
    layout_tick_label(100.0, 0.0, b, sizeof b);
    assert_string_equal(b, "100");
    layout_tick_label(1e6, 0.0, b, sizeof b);
    assert_string_equal(b, "1e6");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_panels_inside_and_disjoint),
        cmocka_unit_test(test_fonts_scale_with_window),
        cmocka_unit_test(test_uses_most_of_the_window),
        cmocka_unit_test(test_small_window_is_clamped),
        cmocka_unit_test(test_cells_tile_the_area),
        cmocka_unit_test(test_linear_map),
        cmocka_unit_test(test_log_map),
        cmocka_unit_test(test_nice_ticks),
        cmocka_unit_test(test_nice_range),
        cmocka_unit_test(test_log_ticks),
        cmocka_unit_test(test_tick_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
