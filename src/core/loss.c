/* loss.c - GAN losses on logits, in stable softplus form, with their gradients. */
#include "loss.h"

#include <math.h>
#include <string.h>

const loss_info loss_table[LOSS_COUNT] = {
    [LOSS_NS] = {"ns", "non-saturating: G minimises -log D(G(z))"},
    [LOSS_MINIMAX] = {"minimax", "saturating: G minimises log(1 - D(G(z)))"},
    [LOSS_LSGAN] = {"lsgan", "least squares on D's raw output"},
    [LOSS_HINGE] = {"hinge", "hinge loss for D, -D(G(z)) for G"},
};

gs_status loss_parse(const char *name, loss_kind *out, gs_error *err) {
    for (int k = 0; k < LOSS_COUNT; k++) {
        if (strcmp(name, loss_table[k].name) == 0) {
            *out = (loss_kind)k;
            return GS_OK;
        }
    }
    return gs_fail(err, GS_ERR_VALUE, "unknown loss '%s' (accepted: ns, minimax, lsgan, hinge)",
                   name);
}

const char *loss_name(loss_kind k) {
    return (k >= 0 && k < LOSS_COUNT) ? loss_table[k].name : "?";
}

float loss_sigmoid(float x) {
    if (x >= 0.0f) return 1.0f / (1.0f + expf(-x));
    float e = expf(x);
    return e / (1.0f + e);
}

float loss_softplus(float x) {
    return fmaxf(x, 0.0f) + log1pf(expf(-fabsf(x)));
}

float loss_d(loss_kind k, const float *lr, const float *lf, int n, float *dlr, float *dlf) {
    double total = 0.0;
    const float inv = 1.0f / (float)n;
    for (int i = 0; i < n; i++) {
        float r = lr[i], f = lf[i];
        switch (k) {
        case LOSS_NS:
        case LOSS_MINIMAX: /* -log D(x) - log(1 - D(G(z))) */
            total += loss_softplus(-r) + loss_softplus(f);
            dlr[i] = (loss_sigmoid(r) - 1.0f) * inv;
            dlf[i] = loss_sigmoid(f) * inv;
            break;
        case LOSS_LSGAN: /* 0.5 (D(x) - 1)^2 + 0.5 D(G(z))^2 */
            total += 0.5 * (r - 1.0f) * (r - 1.0f) + 0.5 * f * f;
            dlr[i] = (r - 1.0f) * inv;
            dlf[i] = f * inv;
            break;
        case LOSS_HINGE:
            total += fmaxf(0.0f, 1.0f - r) + fmaxf(0.0f, 1.0f + f);
            dlr[i] = (r < 1.0f ? -1.0f : 0.0f) * inv;
            dlf[i] = (f > -1.0f ? 1.0f : 0.0f) * inv;
            break;
        default:
            dlr[i] = dlf[i] = 0.0f;
        }
    }
    return (float)(total / n);
}

float loss_g(loss_kind k, const float *lf, int n, float *dlf) {
    double total = 0.0;
    const float inv = 1.0f / (float)n;
    for (int i = 0; i < n; i++) {
        float f = lf[i];
        switch (k) {
        case LOSS_NS: /* -log D(G(z)) */
            total += loss_softplus(-f);
            dlf[i] = (loss_sigmoid(f) - 1.0f) * inv;
            break;
        case LOSS_MINIMAX: /* log(1 - D(G(z))) = -softplus(f) */
            total -= loss_softplus(f);
            dlf[i] = -loss_sigmoid(f) * inv;
            break;
        case LOSS_LSGAN:
            total += 0.5 * (f - 1.0f) * (f - 1.0f);
            dlf[i] = (f - 1.0f) * inv;
            break;
        case LOSS_HINGE:
            total -= f;
            dlf[i] = -inv;
            break;
        default:
            dlf[i] = 0.0f;
        }
    }
    return (float)(total / n);
}
