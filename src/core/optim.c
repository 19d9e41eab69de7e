/* optim.c - Adam, SGD with momentum and RMSprop as single loops over an arena. */
#include "optim.h"

#include <math.h>
#include <string.h>

#include "par.h"

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

typedef struct optim_job {
    const optim *o;
    float *p, *m, *v;
    const float *g;
    float step, rbc2; /* Adam: lr / bias correction 1, 1 / sqrt(bias correction 2) */
} optim_job;

/* One slice [lo, hi) of the update; slices are independent. */
static void optim_slice(void *ctx, long lo, long hi) {
    const optim_job *j = ctx;
    const optim *o = j->o;
    float *restrict p = j->p, *restrict m = j->m, *restrict v = j->v;
    const float *restrict g = j->g;
    const float lr = o->lr;
    switch (o->kind) {
    case OPT_ADAM: {
        const float b1 = o->beta1, b2 = o->beta2, eps = o->eps, step = j->step, rbc2 = j->rbc2;
        for (long i = lo; i < hi; i++) {
            m[i] = b1 * m[i] + (1.0f - b1) * g[i];
            v[i] = b2 * v[i] + (1.0f - b2) * g[i] * g[i];
            p[i] -= step * m[i] / (sqrtf(v[i]) * rbc2 + eps);
        }
        break;
    }
    case OPT_SGD: {
        const float mu = o->momentum;
        for (long i = lo; i < hi; i++) {
            m[i] = mu * m[i] + g[i];
            p[i] -= lr * m[i];
        }
        break;
    }
    case OPT_RMSPROP: {
        const float a = o->beta2, eps = o->eps;
        for (long i = lo; i < hi; i++) {
            v[i] = a * v[i] + (1.0f - a) * g[i] * g[i];
            p[i] -= lr * g[i] / (sqrtf(v[i]) + eps);
        }
        break;
    }
    default:
        break;
    }
}

void optim_step(optim *o, float *p, const float *g, float *m, float *v, long n) {
    o->t++;
    /* Bias corrections folded into the step size and epsilon, as PyTorch does. */
    optim_job j = {.o = o, .p = p, .m = m, .v = v, .g = g};
    j.step = o->lr / (1.0f - powf(o->beta1, (float)o->t));
    j.rbc2 = 1.0f / sqrtf(1.0f - powf(o->beta2, (float)o->t));
    par_for(optim_slice, &j, n);
}
