/* test_act.c - every activation's backward against central finite differences,
 * near zero and on both sides of kinks; the prelu slope gradient; kink
 * conventions; the name table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "act.h"

static const float points[] = {-4.0f,  -2.5f, -1.0f, -0.5f, -0.1f, -0.01f, -0.003f,
                               0.003f, 0.01f, 0.1f,  0.5f,  1.0f,  2.5f,   4.0f};
#define NP ((long)(sizeof points / sizeof points[0]))

static double fwd1(act_kind k, float z, float p) {
    float a;
    act_forward(k, &z, &a, 1, p);
    return a;
}

static void check_one(act_kind k, float p) {
    float a[NP], da[NP], dz[NP];
    act_forward(k, points, a, NP, p);
    for (long i = 0; i < NP; i++) da[i] = 1.0f;
    act_backward(k, points, a, da, dz, NP, p, NULL);
    for (long i = 0; i < NP; i++) {
        /* central difference in double around the float point; h small enough
         * not to cross the kink at 0 from +-0.003 */
        const double h = 1e-3;
        double z = points[i];
        double num = (fwd1(k, (float)(z + h), p) - fwd1(k, (float)(z - h), p)) / (2 * h);
        double tol = 2e-3 + 2e-3 * fabs(num);
        if (fabs(num - dz[i]) > tol)
            fail_msg("%s(p=%g) at z=%g: analytic %g, numeric %g", act_name(k), p, z, dz[i], num);
    }
}

static void test_gradients_all(void **state) {
    const float slopes[] = {0.0f, 0.2f, 0.5f, 1.0f};
    for (int k = 0; k < ACT_COUNT; k++)
        for (int s = 0; s < 4; s++) check_one((act_kind)k, slopes[s]);
}

static void test_backward_scales_upstream(void **state) {
    /* dz = da * f'(z): a non-unit upstream gradient must be multiplied through. */
    for (int k = 0; k < ACT_COUNT; k++) {
        float a[NP], ones[NP], da[NP], d1[NP], d2[NP];
        act_forward((act_kind)k, points, a, NP, 0.2f);
        for (long i = 0; i < NP; i++) {
            ones[i] = 1.0f;
            da[i] = -1.5f + 0.25f * (float)i;
        }
        act_backward((act_kind)k, points, a, ones, d1, NP, 0.2f, NULL);
        act_backward((act_kind)k, points, a, da, d2, NP, 0.2f, NULL);
        for (long i = 0; i < NP; i++) assert_float_equal(d2[i], d1[i] * da[i], 1e-5);
    }
}

static void test_backward_in_place(void **state) {
    for (int k = 0; k < ACT_COUNT; k++) {
        float a[NP], da[NP], dz[NP], buf[NP];
        act_forward((act_kind)k, points, a, NP, 0.3f);
        for (long i = 0; i < NP; i++) buf[i] = da[i] = 0.7f - 0.1f * (float)i;
        act_backward((act_kind)k, points, a, da, dz, NP, 0.3f, NULL);
        act_backward((act_kind)k, points, a, buf, buf, NP, 0.3f, NULL);
        assert_memory_equal(dz, buf, sizeof dz);
    }
}

static void test_prelu_slope_gradient(void **state) {
    /* L = sum w_i prelu(z_i; p); dL/dp by finite differences */
    float w[NP], a[NP], dz[NP];
    for (long i = 0; i < NP; i++) w[i] = 0.3f + 0.05f * (float)i;
    const float p = 0.25f;
    act_forward(ACT_PRELU, points, a, NP, p);
    float dp = 0.0f;
    act_backward(ACT_PRELU, points, a, w, dz, NP, p, &dp);
    double h = 1e-3, lp = 0, lm = 0;
    for (long i = 0; i < NP; i++) {
        lp += w[i] * fwd1(ACT_PRELU, points[i], (float)(p + h));
        lm += w[i] * fwd1(ACT_PRELU, points[i], (float)(p - h));
    }
    double num = (lp - lm) / (2 * h);
    assert_true(fabs(num - dp) < 1e-3 * (1 + fabs(num)));
    assert_true(dp != 0.0f);
    /* the fixed-slope leaky_relu reports no slope gradient */
    float dp2 = 0.0f;
    act_backward(ACT_LEAKY_RELU, points, a, w, dz, NP, p, &dp2);
    assert_float_equal(dp2, 0.0f, 0.0);
}

static void test_kink_conventions(void **state) {
    float z = 0.0f, a, da = 1.0f, dz;
    act_forward(ACT_RELU, &z, &a, 1, 0);
    act_backward(ACT_RELU, &z, &a, &da, &dz, 1, 0, NULL);
    assert_float_equal(dz, 0.0f, 0.0);
    act_forward(ACT_LEAKY_RELU, &z, &a, 1, 0.2f);
    act_backward(ACT_LEAKY_RELU, &z, &a, &da, &dz, 1, 0.2f, NULL);
    assert_float_equal(dz, 0.2f, 1e-7);
}

static void test_values(void **state) {
    assert_float_equal(fwd1(ACT_SIGMOID, 0, 0), 0.5, 1e-7);
    assert_float_equal(fwd1(ACT_SIGMOID, -100, 0), 0.0, 1e-7);
    assert_float_equal(fwd1(ACT_SIGMOID, 100, 0), 1.0, 1e-7);
    assert_float_equal(fwd1(ACT_LEAKY_RELU, -2, 0.1f), -0.2, 1e-6);
    assert_float_equal(fwd1(ACT_ELU, -1, 1.0f), expm1(-1.0), 1e-6);
    assert_float_equal(fwd1(ACT_SELU, 1, 0), 1.0507009873554805, 1e-6);
    assert_float_equal(fwd1(ACT_GELU, 1, 0), 0.8413447460685429, 1e-6);
    assert_float_equal(fwd1(ACT_SILU, 1, 0), 0.7310585786300049, 1e-6);
    assert_float_equal(fwd1(ACT_SOFTPLUS, 0, 0), log(2.0), 1e-6);
    assert_float_equal(fwd1(ACT_SOFTPLUS, 100, 0), 100.0, 1e-4);
    assert_float_equal(fwd1(ACT_MISH, 1, 0), 0.8650983882673103, 1e-6);
    assert_true(isfinite(fwd1(ACT_MISH, -100, 0)));
}

static void test_names(void **state) {
    char buf[256] = "";
    for (int k = 0; k < ACT_COUNT; k++) {
        if (k) strcat(buf, ", ");
        strcat(buf, act_table[k].name);
        act_kind out;
        assert_int_equal(act_parse(act_table[k].name, &out, NULL), GS_OK);
        assert_int_equal(out, k);
    }
    assert_string_equal(buf, act_names());
    gs_error err;
    act_kind out = ACT_RELU;
    assert_int_equal(act_parse("relu6", &out, &err), GS_ERR_VALUE);
    assert_int_equal(out, ACT_RELU);
    assert_non_null(strstr(err.msg, "relu6"));
    assert_non_null(strstr(err.msg, "leaky_relu"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gradients_all),
        cmocka_unit_test(test_backward_scales_upstream),
        cmocka_unit_test(test_backward_in_place),
        cmocka_unit_test(test_prelu_slope_gradient),
        cmocka_unit_test(test_kink_conventions),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
