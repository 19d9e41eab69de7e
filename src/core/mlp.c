/* mlp.c - dense networks over one arena: creation, initialisation, batched
 * forward and backward through gemm, and swapping activations between steps. */
#include "mlp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gemm.h"

#define ALIGN_FLOATS 16 /* 64-byte alignment for every tensor in an arena */

static long round_up(long n) {
    return (n + ALIGN_FLOATS - 1) / ALIGN_FLOATS * ALIGN_FLOATS;
}

static float *alloc_floats(long n) {
    size_t bytes = (size_t)round_up(n > 0 ? n : 1) * sizeof(float);
    float *p = aligned_alloc(64, bytes);
    if (p) memset(p, 0, bytes);
    return p;
}

gs_status mlp_create(mlp *net, int in_dim, int n_hidden, const int *hidden, int out_dim,
                     act_kind hidden_act, float slope, act_kind out_act, int max_batch,
                     gs_error *err) {
    memset(net, 0, sizeof *net);
    if (n_hidden < 0 || n_hidden + 1 > MLP_MAX_LAYERS)
        return gs_fail(err, GS_ERR_VALUE, "a network has 0 to %d hidden layers, not %d",
                       MLP_MAX_LAYERS - 1, n_hidden);
    if (in_dim < 1 || out_dim < 1 || max_batch < 1)
        return gs_fail(err, GS_ERR_VALUE, "network sizes must be positive");
    net->n_layers = n_hidden + 1;
    net->in_dim = in_dim;
    net->max_batch = max_batch;
    long n_params = 0, n_acts = 0;
    int prev = in_dim, max_width = in_dim;
    for (int l = 0; l < net->n_layers; l++) {
        mlp_layer *L = &net->layer[l];
        L->in = prev;
        L->out = l < n_hidden ? hidden[l] : out_dim;
        if (L->out < 1) return gs_fail(err, GS_ERR_VALUE, "layer %d has width %d", l, L->out);
        L->act = l < n_hidden ? hidden_act : out_act;
        n_params += round_up((long)L->out * L->in) + round_up(L->out) + round_up(1);
        n_acts += 2 * round_up((long)max_batch * L->out);
        if (L->out > max_width) max_width = L->out;
        prev = L->out;
    }
    net->n_params = n_params;
    net->max_width = max_width;
    long n_scratch = 2 * round_up((long)max_batch * max_width);
    net->params = alloc_floats(n_params);
    net->grads = alloc_floats(n_params);
    net->m = alloc_floats(n_params);
    net->v = alloc_floats(n_params);
    net->acts = alloc_floats(n_acts);
    net->scratch = alloc_floats(n_scratch);
    if (!net->params || !net->grads || !net->m || !net->v || !net->acts || !net->scratch) {
        mlp_free(net);
        return gs_fail(err, GS_ERR_NOMEM, "out of memory for a network of %ld parameters",
                       n_params);
    }
    long off = 0, aoff = 0;
    for (int l = 0; l < net->n_layers; l++) {
        mlp_layer *L = &net->layer[l];
        L->w = net->params + off;
        L->dw = net->grads + off;
        off += round_up((long)L->out * L->in);
        L->b = net->params + off;
        L->db = net->grads + off;
        off += round_up(L->out);
        L->alpha = net->params + off;
        L->dalpha = net->grads + off;
        off += round_up(1);
        L->alpha[0] = l < n_hidden ? slope : 0.0f;
        L->z = net->acts + aoff;
        aoff += round_up((long)max_batch * L->out);
        L->a = net->acts + aoff;
        aoff += round_up((long)max_batch * L->out);
    }
    return GS_OK;
}

void mlp_free(mlp *net) {
    free(net->params);
    free(net->grads);
    free(net->m);
    free(net->v);
    free(net->acts);
    free(net->scratch);
    memset(net, 0, sizeof *net);
}

void mlp_init_weights(mlp *net, rng *r) {
    for (int l = 0; l < net->n_layers; l++) {
        mlp_layer *L = &net->layer[l];
        long n = (long)L->out * L->in;
        switch (act_table[L->act].init) {
        case INIT_HE: {
            /* Kaiming normal with the gain of a leaky slope: sqrt(2 / (1 + s^2)). */
            float s = act_table[L->act].param && L->act != ACT_ELU ? L->alpha[0] : 0.0f;
            rng_fill_normal(r, L->w, n, sqrtf(2.0f / ((1.0f + s * s) * (float)L->in)));
            break;
        }
        case INIT_LECUN:
            rng_fill_normal(r, L->w, n, sqrtf(1.0f / (float)L->in));
            break;
        case INIT_GLOROT: {
            float lim = sqrtf(6.0f / (float)(L->in + L->out));
            for (long i = 0; i < n; i++) L->w[i] = (2.0f * rng_uniform(r) - 1.0f) * lim;
            break;
        }
        }
        memset(L->b, 0, (size_t)L->out * sizeof(float));
    }
    memset(net->grads, 0, (size_t)net->n_params * sizeof(float));
    memset(net->m, 0, (size_t)net->n_params * sizeof(float));
    memset(net->v, 0, (size_t)net->n_params * sizeof(float));
}

void mlp_forward(mlp *net, const float *x, int n) {
    net->batch = n;
    net->input = x;
    const float *in = x;
    for (int l = 0; l < net->n_layers; l++) {
        mlp_layer *L = &net->layer[l];
        for (int i = 0; i < n; i++) memcpy(L->z + (long)i * L->out, L->b, L->out * sizeof(float));
        gemm(0, 1, n, L->out, L->in, 1.0f, in, L->in, L->w, L->in, 1.0f, L->z, L->out);
        act_forward(L->act, L->z, L->a, (long)n * L->out, L->alpha[0]);
        in = L->a;
    }
}

void mlp_infer(mlp *net, const float *x, long n, float *out) {
    int od = mlp_out_dim(net);
    for (long i = 0; i < n; i += net->max_batch) {
        int rows = (int)(n - i < net->max_batch ? n - i : net->max_batch);
        mlp_forward(net, x + i * net->in_dim, rows);
        memcpy(out + i * od, mlp_output(net), (size_t)rows * od * sizeof(float));
    }
}

void mlp_zero_grad(mlp *net) {
    memset(net->grads, 0, (size_t)net->n_params * sizeof(float));
}

void mlp_backward(mlp *net, const float *dout, float *din, int wgrad) {
    const int n = net->batch;
    float *cur = net->scratch;
    float *next = net->scratch + round_up((long)net->max_batch * net->max_width);
    for (int l = net->n_layers - 1; l >= 0; l--) {
        mlp_layer *L = &net->layer[l];
        const float *da = l == net->n_layers - 1 ? dout : cur;
        const float *x = l > 0 ? net->layer[l - 1].a : net->input;
        /* dz = da * f'(z), in place in the scratch buffer */
        if (wgrad) L->dalpha[0] = 0.0f;
        act_backward(L->act, L->z, L->a, da, cur, (long)n * L->out, L->alpha[0],
                     wgrad && act_table[L->act].learnable ? L->dalpha : NULL);
        if (wgrad) {
            /* dW (out, in) = dz^T (out, n) x (n, in); db = column sums of dz */
            gemm(1, 0, L->out, L->in, n, 1.0f, cur, L->out, x, L->in, 0.0f, L->dw, L->in);
            memset(L->db, 0, (size_t)L->out * sizeof(float));
            for (int i = 0; i < n; i++) {
                const float *row = cur + (long)i * L->out;
                for (int j = 0; j < L->out; j++) L->db[j] += row[j];
            }
        }
        float *dx = l > 0 ? next : din;
        if (dx) gemm(0, 0, n, L->in, L->out, 1.0f, cur, L->out, L->w, L->in, 0.0f, dx, L->in);
        float *t = cur;
        cur = next;
        next = t;
    }
}

static gs_status check_layer(const mlp *net, int layer, gs_error *err) {
    if (layer >= mlp_hidden_count(net))
        return gs_fail(err, GS_ERR_VALUE, "layer %d out of range (the network has %d hidden)",
                       layer + 1, mlp_hidden_count(net));
    return GS_OK;
}

gs_status mlp_set_act(mlp *net, int layer, act_kind k, gs_error *err) {
    if (k < 0 || k >= ACT_COUNT) return gs_fail(err, GS_ERR_VALUE, "unknown activation");
    if (check_layer(net, layer, err)) return err ? err->code : GS_ERR_VALUE;
    for (int l = 0; l < mlp_hidden_count(net); l++) {
        if (layer >= 0 && l != layer) continue;
        mlp_layer *L = &net->layer[l];
        if (L->act == k) continue;
        L->act = k;
        /* The slope moments restart: a prelu slope learns from the current value. */
        long off = L->alpha - net->params;
        net->m[off] = net->v[off] = net->grads[off] = 0.0f;
    }
    return GS_OK;
}

gs_status mlp_set_slope(mlp *net, int layer, float slope, gs_error *err) {
    if (!(slope >= 0.0f && slope <= 1.0f))
        return gs_fail(err, GS_ERR_VALUE, "slope %g outside [0, 1]", slope);
    if (check_layer(net, layer, err)) return err ? err->code : GS_ERR_VALUE;
    for (int l = 0; l < mlp_hidden_count(net); l++) {
        if (layer >= 0 && l != layer) continue;
        mlp_layer *L = &net->layer[l];
        L->alpha[0] = slope;
        long off = L->alpha - net->params;
        net->m[off] = net->v[off] = 0.0f;
    }
    return GS_OK;
}

float mlp_grad_norm(const mlp *net, int layer) {
    const mlp_layer *L = &net->layer[layer];
    double s = 0.0;
    long n = (long)L->out * L->in;
    for (long i = 0; i < n; i++) s += (double)L->dw[i] * L->dw[i];
    for (int i = 0; i < L->out; i++) s += (double)L->db[i] * L->db[i];
    return (float)sqrt(s);
}
