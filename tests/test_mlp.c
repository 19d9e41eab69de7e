/* test_mlp.c - dense networks: finite-difference checks of weight, bias, slope
 * and input gradients for every hidden activation; activation swaps that keep
 * the weights; backward without weight gradients; chunked inference. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mlp.h"

#define N 4
static const int hidden[2] = {7, 6};

static double loss_of(mlp *net, const float *x, const float *c) {
    mlp_forward(net, x, N);
    const float *o = mlp_output(net);
    double s = 0;
    for (int i = 0; i < N * mlp_out_dim(net); i++) s += (double)c[i] * o[i];
    return s;
}

static void gradcheck(act_kind hid, act_kind out) {
    mlp net;
    assert_int_equal(mlp_create(&net, 5, 2, hidden, 3, hid, 0.2f, out, N, NULL), GS_OK);
    rng r;
    rng_seed(&r, 42 + hid);
    mlp_init_weights(&net, &r);
    /* Non-zero biases everywhere: with zero biases a row whose relu inputs all die
     * puts the next pre-activation exactly on the kink, where differences lie. */
    for (int l = 0; l < net.n_layers; l++)
        for (int i = 0; i < net.layer[l].out; i++) net.layer[l].b[i] = 0.3f * rng_normal(&r);
    float x[N * 5], c[N * 3], dx[N * 5];
    rng_fill_normal(&r, x, N * 5, 1.0f);
    rng_fill_normal(&r, c, N * 3, 1.0f);
    loss_of(&net, x, c);
    mlp_backward(&net, c, dx, 1); /* dL/dout = c */
    float *g = malloc(net.n_params * sizeof(float));
    memcpy(g, net.grads, net.n_params * sizeof(float));
    const double h = 2e-3;
    int checked = 0;
    for (int l = 0; l < net.n_layers; l++) {
        mlp_layer *L = &net.layer[l];
        float *ptrs[3] = {L->w, L->b, L->alpha};
        long lens[3] = {(long)L->out * L->in, L->out, act_table[L->act].learnable ? 1 : 0};
        for (int t = 0; t < 3; t++) {
            for (long i = 0; i < lens[t]; i++) {
                float *p = ptrs[t] + i, keep = *p;
                *p = keep + (float)h;
                double lp = loss_of(&net, x, c);
                *p = keep - (float)h;
                double lm = loss_of(&net, x, c);
                *p = keep;
                double num = (lp - lm) / (2 * h);
                double ana = g[p - net.params];
                if (fabs(num - ana) > 5e-3 + 2e-2 * fabs(num))
                    fail_msg("%s/%s layer %d tensor %d [%ld]: analytic %g numeric %g",
                             act_name(hid), act_name(out), l, t, i, ana, num);
                checked++;
            }
        }
    }
    for (int i = 0; i < N * 5; i++) {
        float keep = x[i];
        x[i] = keep + (float)h;
        double lp = loss_of(&net, x, c);
        x[i] = keep - (float)h;
        double lm = loss_of(&net, x, c);
        x[i] = keep;
        double num = (lp - lm) / (2 * h);
        if (fabs(num - dx[i]) > 5e-3 + 2e-2 * fabs(num))
            fail_msg("%s input grad [%d]: analytic %g numeric %g", act_name(hid), i, dx[i], num);
    }
    assert_true(checked > 100);
    free(g);
    mlp_free(&net);
}

static void test_gradients_every_activation(void **state) {
    for (int k = 0; k < ACT_COUNT; k++) gradcheck((act_kind)k, ACT_TANH);
    gradcheck(ACT_LEAKY_RELU, ACT_IDENTITY);
}

static void test_arena_layout(void **state) {
    mlp net;
    assert_int_equal(mlp_create(&net, 5, 2, hidden, 3, ACT_RELU, 0.2f, ACT_TANH, 8, NULL), GS_OK);
    for (int l = 0; l < net.n_layers; l++) {
        mlp_layer *L = &net.layer[l];
        /* gradients at the same offsets as parameters, tensors inside the arena */
        assert_int_equal(L->dw - net.grads, L->w - net.params);
        assert_int_equal(L->db - net.grads, L->b - net.params);
        assert_true(L->alpha + 1 <= net.params + net.n_params);
    }
    mlp_free(&net);
}

static void test_swap_keeps_weights(void **state) {
    mlp a, b;
    rng r;
    assert_int_equal(mlp_create(&a, 5, 2, hidden, 3, ACT_LEAKY_RELU, 0.2f, ACT_TANH, N, NULL),
                     GS_OK);
    assert_int_equal(mlp_create(&b, 5, 2, hidden, 3, ACT_SIGMOID, 0.2f, ACT_TANH, N, NULL), GS_OK);
    rng_seed(&r, 7);
    mlp_init_weights(&a, &r);
    memcpy(b.params, a.params, a.n_params * sizeof(float));
    float *before = malloc(a.n_params * sizeof(float));
    memcpy(before, a.params, a.n_params * sizeof(float));
    float x[N * 5], o1[N * 3], o2[N * 3];
    rng_fill_normal(&r, x, N * 5, 1.0f);

    assert_int_equal(mlp_set_act(&a, -1, ACT_SIGMOID, NULL), GS_OK);
    assert_memory_equal(a.params, before, a.n_params * sizeof(float));
    mlp_forward(&a, x, N);
    memcpy(o1, mlp_output(&a), sizeof o1);
    mlp_forward(&b, x, N);
    memcpy(o2, mlp_output(&b), sizeof o2);
    assert_memory_equal(o1, o2, sizeof o1); /* same as a net built with sigmoid */

    /* one layer to prelu: its slope starts from the current slope and learns */
    assert_int_equal(mlp_set_act(&a, 1, ACT_PRELU, NULL), GS_OK);
    assert_int_equal(a.layer[0].act, ACT_SIGMOID);
    assert_int_equal(a.layer[1].act, ACT_PRELU);
    assert_float_equal(a.layer[1].alpha[0], 0.2f, 0);
    float c[N * 3];
    for (int i = 0; i < N * 3; i++) c[i] = 1.0f;
    mlp_forward(&a, x, N);
    mlp_backward(&a, c, NULL, 1);
    /* back to leaky_relu: nothing else changed */
    assert_int_equal(mlp_set_act(&a, -1, ACT_LEAKY_RELU, NULL), GS_OK);
    assert_memory_equal(a.params, before, a.n_params * sizeof(float));
    assert_int_equal(a.layer[2].act, ACT_TANH); /* output layer untouched */

    gs_error err;
    assert_int_equal(mlp_set_act(&a, 2, ACT_RELU, &err), GS_ERR_VALUE);
    assert_non_null(strstr(err.msg, "out of range"));
    assert_int_equal(mlp_set_slope(&a, 0, 1.5f, &err), GS_ERR_VALUE);
    assert_int_equal(mlp_set_slope(&a, 0, NAN, &err), GS_ERR_VALUE);
    assert_int_equal(mlp_set_slope(&a, 0, 0.05f, NULL), GS_OK);
    assert_float_equal(a.layer[0].alpha[0], 0.05f, 0);
    assert_float_equal(a.layer[1].alpha[0], 0.2f, 0);
    free(before);
    mlp_free(&a);
    mlp_free(&b);
}

static void test_prelu_slope_trains(void **state) {
    mlp a;
    rng r;
    rng_seed(&r, 3);
    assert_int_equal(mlp_create(&a, 5, 2, hidden, 3, ACT_PRELU, 0.25f, ACT_IDENTITY, N, NULL),
                     GS_OK);
    mlp_init_weights(&a, &r);
    float x[N * 5], c[N * 3];
    rng_fill_normal(&r, x, N * 5, 1.0f);
    rng_fill_normal(&r, c, N * 3, 1.0f);
    mlp_forward(&a, x, N);
    mlp_backward(&a, c, NULL, 1);
    assert_true(a.layer[0].dalpha[0] != 0.0f);
    mlp_free(&a);
}

static void test_no_wgrad_leaves_grads(void **state) {
    mlp a;
    rng r;
    rng_seed(&r, 5);
    assert_int_equal(mlp_create(&a, 5, 2, hidden, 1, ACT_LEAKY_RELU, 0.2f, ACT_IDENTITY, N, NULL),
                     GS_OK);
    mlp_init_weights(&a, &r);
    for (long i = 0; i < a.n_params; i++) a.grads[i] = 123.0f;
    float x[N * 5], c[N], dx[N * 5];
    rng_fill_normal(&r, x, N * 5, 1.0f);
    rng_fill_normal(&r, c, N, 1.0f);
    mlp_forward(&a, x, N);
    mlp_backward(&a, c, dx, 0);
    for (long i = 0; i < a.n_params; i++) assert_float_equal(a.grads[i], 123.0f, 0);
    mlp_free(&a);
}

static void test_infer_chunks(void **state) {
    mlp a;
    rng r;
    rng_seed(&r, 9);
    assert_int_equal(mlp_create(&a, 5, 2, hidden, 3, ACT_GELU, 0.2f, ACT_TANH, 3, NULL), GS_OK);
    mlp_init_weights(&a, &r);
    float x[10 * 5], out[10 * 3];
    rng_fill_normal(&r, x, 50, 1.0f);
    mlp_infer(&a, x, 10, out);
    for (int i = 0; i < 10; i++) {
        mlp_forward(&a, x + 5 * i, 1);
        assert_memory_equal(out + 3 * i, mlp_output(&a), 3 * sizeof(float));
    }
    mlp_free(&a);
}

static void test_create_errors(void **state) {
    mlp a;
    gs_error err;
    int h[MLP_MAX_LAYERS + 1] = {0};
    for (int i = 0; i <= MLP_MAX_LAYERS; i++) h[i] = 4;
    assert_int_equal(mlp_create(&a, 5, MLP_MAX_LAYERS, h, 3, ACT_RELU, 0.2f, ACT_TANH, 4, &err),
                     GS_ERR_VALUE);
    int bad[1] = {0};
    assert_int_equal(mlp_create(&a, 5, 1, bad, 3, ACT_RELU, 0.2f, ACT_TANH, 4, &err), GS_ERR_VALUE);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gradients_every_activation),
        cmocka_unit_test(test_arena_layout),
        cmocka_unit_test(test_swap_keeps_weights),
        cmocka_unit_test(test_prelu_slope_trains),
        cmocka_unit_test(test_no_wgrad_leaves_grads),
        cmocka_unit_test(test_infer_chunks),
        cmocka_unit_test(test_create_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
