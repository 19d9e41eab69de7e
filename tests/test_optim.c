/* test_optim.c - Adam, SGD with momentum and RMSprop against steps computed by
 * hand (in double, from the published update rules). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "optim.h"

static void test_adam_two_steps(void **state) {
    optim o = {.kind = OPT_ADAM, .lr = 0.1f, .beta1 = 0.5f, .beta2 = 0.999f, .eps = 1e-8f};
    float p[2] = {1.0f, -2.0f}, m[2] = {0}, v[2] = {0};
    const float g1[2] = {0.5f, -1.0f}, g2[2] = {-0.25f, 2.0f};
    optim_step(&o, p, g1, m, v, 2);
    /* step 1: m = 0.5 g, v = 0.001 g^2, mhat = g, vhat = g^2 -> p -= lr * sign(g) */
    assert_float_equal(p[0], 1.0 - 0.1, 1e-6);
    assert_float_equal(p[1], -2.0 + 0.1, 1e-6);
    optim_step(&o, p, g2, m, v, 2);
    for (int i = 0; i < 2; i++) {
        double mm = 0.5 * (0.5 * g1[i]) + 0.5 * g2[i];
        double vv = 0.999 * (0.001 * g1[i] * g1[i]) + 0.001 * g2[i] * g2[i];
        double mh = mm / (1 - 0.25), vh = vv / (1 - 0.999 * 0.999);
        double p1 = (i == 0 ? 0.9 : -1.9);
        double want = p1 - 0.1 * mh / (sqrt(vh) + 1e-8);
        assert_float_equal(p[i], want, 1e-5);
    }
    assert_int_equal(o.t, 2);
}

static void test_sgd_momentum(void **state) {
    optim o = {.kind = OPT_SGD, .lr = 0.5f, .momentum = 0.9f};
    float p[1] = {1.0f}, m[1] = {0}, v[1] = {0};
    const float g[1] = {2.0f};
    optim_step(&o, p, g, m, v, 1); /* buf = 2, p = 1 - 1 = 0 */
    assert_float_equal(p[0], 0.0, 1e-7);
    optim_step(&o, p, g, m, v, 1); /* buf = 3.8, p = -1.9 */
    assert_float_equal(p[0], -1.9, 1e-6);
}

static void test_rmsprop(void **state) {
    optim o = {.kind = OPT_RMSPROP, .lr = 0.01f, .beta2 = 0.99f, .eps = 1e-8f};
    float p[1] = {0.0f}, m[1] = {0}, v[1] = {0};
    const float g[1] = {3.0f};
    optim_step(&o, p, g, m, v, 1); /* v = 0.09, p = -0.01 * 3 / 0.3 = -0.1 */
    assert_float_equal(p[0], -0.1, 1e-6);
    optim_step(&o, p, g, m, v, 1); /* v = 0.99*0.09 + 0.09 = 0.1791 */
    assert_float_equal(p[0], -0.1 - 0.03 / sqrt(0.1791), 1e-6);
}

static void test_parse(void **state) {
    opt_kind k;
    assert_int_equal(opt_parse("rmsprop", &k, NULL), GS_OK);
    assert_int_equal(k, OPT_RMSPROP);
    gs_error err;
    assert_int_equal(opt_parse("lion", &k, &err), GS_ERR_VALUE);
    assert_non_null(strstr(err.msg, "lion"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_adam_two_steps),
        cmocka_unit_test(test_sgd_momentum),
        cmocka_unit_test(test_rmsprop),
        cmocka_unit_test(test_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
