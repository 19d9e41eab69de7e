/* act.c - the activation table: forward and backward of every activation.
 * Conventions at kinks follow PyTorch: relu'(0) = 0, leaky_relu'(0) = slope. */
#include "act.h"

#include <math.h>
#include <string.h>

#define SELU_LAMBDA 1.0507009873554805f
#define SELU_ALPHA  1.6732632423543772f

static inline float sigm(float x) {
    if (x >= 0.0f) return 1.0f / (1.0f + expf(-x));
    float e = expf(x);
    return e / (1.0f + e);
}
static inline float softplus(float x) {
    return fmaxf(x, 0.0f) + log1pf(expf(-fabsf(x)));
}

static void identity_fwd(const float *z, float *a, long n, float p) {
    if (a != z) memcpy(a, z, (size_t)n * sizeof *a);
}
static void identity_bwd(const float *z, const float *a, const float *da, float *dz, long n,
                         float p, float *dp) {
    if (dz != da) memcpy(dz, da, (size_t)n * sizeof *dz);
}

static void sigmoid_fwd(const float *z, float *a, long n, float p) {
    for (long i = 0; i < n; i++) a[i] = sigm(z[i]);
}
static void sigmoid_bwd(const float *z, const float *a, const float *da, float *dz, long n, float p,
                        float *dp) {
    for (long i = 0; i < n; i++) dz[i] = da[i] * a[i] * (1.0f - a[i]);
}

static void tanh_fwd(const float *z, float *a, long n, float p) {
    for (long i = 0; i < n; i++) a[i] = tanhf(z[i]);
}
static void tanh_bwd(const float *z, const float *a, const float *da, float *dz, long n, float p,
                     float *dp) {
    for (long i = 0; i < n; i++) dz[i] = da[i] * (1.0f - a[i] * a[i]);
}

static void relu_fwd(const float *z, float *a, long n, float p) {
    for (long i = 0; i < n; i++) a[i] = z[i] > 0.0f ? z[i] : 0.0f;
}
static void relu_bwd(const float *z, const float *a, const float *da, float *dz, long n, float p,
                     float *dp) {
    for (long i = 0; i < n; i++) dz[i] = z[i] > 0.0f ? da[i] : 0.0f;
}

static void leaky_fwd(const float *z, float *a, long n, float p) {
    for (long i = 0; i < n; i++) a[i] = z[i] > 0.0f ? z[i] : p * z[i];
}
static void leaky_bwd(const float *z, const float *a, const float *da, float *dz, long n, float p,
                      float *dp) {
    for (long i = 0; i < n; i++) dz[i] = z[i] > 0.0f ? da[i] : p * da[i];
}
static void prelu_bwd(const float *z, const float *a, const float *da, float *dz, long n, float p,
                      float *dp) {
    if (dp) {
        double s = 0.0;
        for (long i = 0; i < n; i++)
            if (z[i] <= 0.0f) s += (double)da[i] * z[i];
        *dp += (float)s;
    }
    leaky_bwd(z, a, da, dz, n, p, NULL);
}

static void elu_fwd(const float *z, float *a, long n, float p) {
    for (long i = 0; i < n; i++) a[i] = z[i] > 0.0f ? z[i] : p * expm1f(z[i]);
}
static void elu_bwd(const float *z, const float *a, const float *da, float *dz, long n, float p,
                    float *dp) {
    for (long i = 0; i < n; i++) dz[i] = z[i] > 0.0f ? da[i] : da[i] * p * expf(z[i]);
}

static void selu_fwd(const float *z, float *a, long n, float p) {
    for (long i = 0; i < n; i++)
        a[i] = SELU_LAMBDA * (z[i] > 0.0f ? z[i] : SELU_ALPHA * expm1f(z[i]));
}
static void selu_bwd(const float *z, const float *a, const float *da, float *dz, long n, float p,
                     float *dp) {
    for (long i = 0; i < n; i++)
        dz[i] = da[i] * SELU_LAMBDA * (z[i] > 0.0f ? 1.0f : SELU_ALPHA * expf(z[i]));
}

/* Exact GELU, x * Phi(x), as PyTorch's default. */
static void gelu_fwd(const float *z, float *a, long n, float p) {
    for (long i = 0; i < n; i++) a[i] = 0.5f * z[i] * (1.0f + erff(z[i] * 0.70710678118654752f));
}
static void gelu_bwd(const float *z, const float *a, const float *da, float *dz, long n, float p,
                     float *dp) {
    for (long i = 0; i < n; i++) {
        float x = z[i];
        float cdf = 0.5f * (1.0f + erff(x * 0.70710678118654752f));
        float pdf = 0.39894228040143268f * expf(-0.5f * x * x);
        dz[i] = da[i] * (cdf + x * pdf);
    }
}

static void silu_fwd(const float *z, float *a, long n, float p) {
    for (long i = 0; i < n; i++) a[i] = z[i] * sigm(z[i]);
}
static void silu_bwd(const float *z, const float *a, const float *da, float *dz, long n, float p,
                     float *dp) {
    for (long i = 0; i < n; i++) {
        float s = sigm(z[i]);
        dz[i] = da[i] * s * (1.0f + z[i] * (1.0f - s));
    }
}

static void softplus_fwd(const float *z, float *a, long n, float p) {
    for (long i = 0; i < n; i++) a[i] = softplus(z[i]);
}
static void softplus_bwd(const float *z, const float *a, const float *da, float *dz, long n,
                         float p, float *dp) {
    for (long i = 0; i < n; i++) dz[i] = da[i] * sigm(z[i]);
}

static void mish_fwd(const float *z, float *a, long n, float p) {
    for (long i = 0; i < n; i++) a[i] = z[i] * tanhf(softplus(z[i]));
}
static void mish_bwd(const float *z, const float *a, const float *da, float *dz, long n, float p,
                     float *dp) {
    for (long i = 0; i < n; i++) {
        float t = tanhf(softplus(z[i]));
        dz[i] = da[i] * (t + z[i] * (1.0f - t * t) * sigm(z[i]));
    }
}

const act_info act_table[ACT_COUNT] = {
    [ACT_IDENTITY] = {"identity", identity_fwd, identity_bwd, INIT_GLOROT, NULL, 0, 0, 0, 0,
                      "f(x) = x"},
    [ACT_SIGMOID] = {"sigmoid", sigmoid_fwd, sigmoid_bwd, INIT_GLOROT, NULL, 0, 0, 0, 1,
                     "1 / (1 + e^-x): saturates at 0 and 1"},
    [ACT_TANH] = {"tanh", tanh_fwd, tanh_bwd, INIT_GLOROT, NULL, 0, 0, -1, 1,
                  "tanh(x): saturates at -1 and 1"},
    [ACT_RELU] = {"relu", relu_fwd, relu_bwd, INIT_HE, NULL, 0, 1, 0, 0,
                  "max(0, x): units can die"},
    [ACT_LEAKY_RELU] = {"leaky_relu", leaky_fwd, leaky_bwd, INIT_HE, "slope", 0, 1, 0, 0,
                        "x > 0 ? x : slope * x"},
    [ACT_PRELU] = {"prelu", leaky_fwd, prelu_bwd, INIT_HE, "slope", 1, 1, 0, 0,
                   "leaky_relu with a learned slope per layer"},
    [ACT_ELU] = {"elu", elu_fwd, elu_bwd, INIT_HE, "alpha", 0, 0, 0, 0,
                 "x > 0 ? x : alpha * (e^x - 1)"},
    [ACT_SELU] = {"selu", selu_fwd, selu_bwd, INIT_LECUN, NULL, 0, 0, 0, 0,
                  "scaled elu, self-normalising"},
    [ACT_GELU] = {"gelu", gelu_fwd, gelu_bwd, INIT_HE, NULL, 0, 0, 0, 0, "x * Phi(x)"},
    [ACT_SILU] = {"silu", silu_fwd, silu_bwd, INIT_HE, NULL, 0, 0, 0, 0, "x * sigmoid(x)"},
    [ACT_SOFTPLUS] = {"softplus", softplus_fwd, softplus_bwd, INIT_HE, NULL, 0, 0, 0, 0,
                      "log(1 + e^x)"},
    [ACT_MISH] = {"mish", mish_fwd, mish_bwd, INIT_HE, NULL, 0, 0, 0, 0, "x * tanh(softplus(x))"},
};

gs_status act_parse(const char *name, act_kind *out, gs_error *err) {
    for (int k = 0; k < ACT_COUNT; k++) {
        if (strcmp(name, act_table[k].name) == 0) {
            *out = (act_kind)k;
            return GS_OK;
        }
    }
    return gs_fail(err, GS_ERR_VALUE, "unknown activation '%s' (accepted: %s)", name, act_names());
}

const char *act_name(act_kind k) {
    return (k >= 0 && k < ACT_COUNT) ? act_table[k].name : "?";
}

/* A literal rather than a lazily built buffer, so any thread may call it; a test
 * checks that it lists the table in order. */
const char *act_names(void) {
    return "identity, sigmoid, tanh, relu, leaky_relu, prelu, elu, selu, gelu, silu, softplus, "
           "mish";
}
