/* optim.c - Adam, SGD with momentum and RMSprop as single loops over an arena. */
#include "optim.h"

#include <math.h>
#include <string.h>

const char *const opt_names[OPT_COUNT] = {
    [OPT_ADAM] = "adam",
    [OPT_SGD] = "sgd",
    [OPT_RMSPROP] = "rmsprop",
};

gs_status opt_parse(const char *name, opt_kind *out, gs_error *err) {
    for (int k = 0; k < OPT_COUNT; k++) {
        if (strcmp(name, opt_names[k]) == 0) {
            *out = (opt_kind)k;
            return GS_OK;
        }
    }
    return gs_fail(err, GS_ERR_VALUE, "unknown optimizer '%s' (accepted: adam, sgd, rmsprop)",
                   name);
}

void optim_step(optim *o, float *restrict p, const float *restrict g, float *restrict m,
                float *restrict v, long n) {
    o->t++;
    const float lr = o->lr;
    switch (o->kind) {
    case OPT_ADAM: {
        const float b1 = o->beta1, b2 = o->beta2, eps = o->eps;
        /* Bias corrections folded into the step size and epsilon, as PyTorch does. */
        const float bc1 = 1.0f - powf(b1, (float)o->t);
        const float bc2 = 1.0f - powf(b2, (float)o->t);
        const float step = lr / bc1;
        const float rbc2 = 1.0f / sqrtf(bc2);
        for (long i = 0; i < n; i++) {
            m[i] = b1 * m[i] + (1.0f - b1) * g[i];
            v[i] = b2 * v[i] + (1.0f - b2) * g[i] * g[i];
            p[i] -= step * m[i] / (sqrtf(v[i]) * rbc2 + eps);
        }
        break;
    }
    case OPT_SGD: {
        const float mu = o->momentum;
        for (long i = 0; i < n; i++) {
            m[i] = mu * m[i] + g[i];
            p[i] -= lr * m[i];
        }
        break;
    }
    case OPT_RMSPROP: {
        const float a = o->beta2, eps = o->eps;
        for (long i = 0; i < n; i++) {
            v[i] = a * v[i] + (1.0f - a) * g[i] * g[i];
            p[i] -= lr * g[i] / (sqrtf(v[i]) + eps);
        }
        break;
    }
    default:
        break;
    }
}
