/* test_loss.c - every GAN loss against finite differences, known values, and
 * stability at extreme logits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "loss.h"

#define N 6
static const float lr0[N] = {-3.0f, -0.7f, 0.0f, 0.4f, 1.3f, 5.0f};
static const float lf0[N] = {2.0f, -1.1f, 0.2f, -4.0f, 0.9f, -0.05f};

static void test_d_gradients(void **state) {
    for (int k = 0; k < LOSS_COUNT; k++) {
        float lr[N], lf[N], dlr[N], dlf[N], t1[N], t2[N];
        memcpy(lr, lr0, sizeof lr);
        memcpy(lf, lf0, sizeof lf);
        loss_d((loss_kind)k, lr, lf, N, dlr, dlf);
        const float h = 1e-3f;
        for (int i = 0; i < 2 * N; i++) {
            float *p = i < N ? &lr[i] : &lf[i - N], keep = *p;
            *p = keep + h;
            double a = loss_d((loss_kind)k, lr, lf, N, t1, t2);
            *p = keep - h;
            double b = loss_d((loss_kind)k, lr, lf, N, t1, t2);
            *p = keep;
            double num = (a - b) / (2 * h);
            double ana = i < N ? dlr[i] : dlf[i - N];
            if (fabs(num - ana) > 1e-3 + 1e-2 * fabs(num))
                fail_msg("%s d-loss [%d]: analytic %g numeric %g", loss_name(k), i, ana, num);
        }
    }
}

static void test_g_gradients(void **state) {
    for (int k = 0; k < LOSS_COUNT; k++) {
        float lf[N], dlf[N], t[N];
        memcpy(lf, lf0, sizeof lf);
        loss_g((loss_kind)k, lf, N, dlf);
        const float h = 1e-3f;
        for (int i = 0; i < N; i++) {
            float keep = lf[i];
            lf[i] = keep + h;
            double a = loss_g((loss_kind)k, lf, N, t);
            lf[i] = keep - h;
            double b = loss_g((loss_kind)k, lf, N, t);
            lf[i] = keep;
            double num = (a - b) / (2 * h);
            if (fabs(num - dlf[i]) > 1e-3 + 1e-2 * fabs(num))
                fail_msg("%s g-loss [%d]: analytic %g numeric %g", loss_name(k), i, dlf[i], num);
        }
    }
}

static void test_known_values(void **state) {
    float z[1] = {0.0f}, d1[1], d2[1];
    /* at D = 1/2 both BCE terms are log 2 */
    assert_float_equal(loss_d(LOSS_NS, z, z, 1, d1, d2), 2 * log(2.0), 1e-6);
    assert_float_equal(loss_g(LOSS_NS, z, 1, d1), log(2.0), 1e-6);
    assert_float_equal(loss_g(LOSS_MINIMAX, z, 1, d1), -log(2.0), 1e-6);
    assert_float_equal(loss_d(LOSS_LSGAN, z, z, 1, d1, d2), 0.5, 1e-6);
    assert_float_equal(loss_d(LOSS_HINGE, z, z, 1, d1, d2), 2.0, 1e-6);
}

static void test_minimax_saturates(void **state) {
    /* When D confidently rejects the fakes, the saturating loss gives G almost no
     * gradient while the non-saturating one gives nearly 1: the point of the demo. */
    float lf[1] = {-10.0f}, d[1];
    loss_g(LOSS_MINIMAX, lf, 1, d);
    assert_true(fabsf(d[0]) < 1e-4f);
    loss_g(LOSS_NS, lf, 1, d);
    assert_true(fabsf(d[0]) > 0.99f);
}

static void test_extreme_logits_finite(void **state) {
    float big[2] = {-1e4f, 1e4f}, d1[2], d2[2];
    for (int k = 0; k < LOSS_COUNT; k++) {
        float l = loss_d((loss_kind)k, big, big, 2, d1, d2);
        assert_true(isfinite(l));
        l = loss_g((loss_kind)k, big, 2, d1);
        assert_true(isfinite(l) && isfinite(d1[0]) && isfinite(d1[1]));
    }
}

static void test_parse(void **state) {
    loss_kind k;
    assert_int_equal(loss_parse("hinge", &k, NULL), GS_OK);
    assert_int_equal(k, LOSS_HINGE);
    gs_error err;
    assert_int_equal(loss_parse("wgan", &k, &err), GS_ERR_VALUE);
    assert_non_null(strstr(err.msg, "minimax"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_d_gradients),           cmocka_unit_test(test_g_gradients),
        cmocka_unit_test(test_known_values),          cmocka_unit_test(test_minimax_saturates),
        cmocka_unit_test(test_extreme_logits_finite), cmocka_unit_test(test_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
