/* optim.h - optimizers as one loop over a network's arena (params, grads, m, v). */
#ifndef GS_OPTIM_H
#define GS_OPTIM_H

#include "status.h"

typedef enum opt_kind { OPT_ADAM, OPT_SGD, OPT_RMSPROP, OPT_COUNT } opt_kind;

typedef struct optim {
    opt_kind kind;
    float lr;
    float beta1, beta2; /* Adam; RMSprop uses beta2 as its decay */
    float momentum;     /* SGD */
    float eps;
    long t; /* steps taken, for Adam's bias correction */
} optim;

extern const char *const opt_names[OPT_COUNT];
gs_status opt_parse(const char *name, opt_kind *out, gs_error *err);

/* One update of p (n) from g (n), with moments m and v (n each; SGD uses m only). */
void optim_step(optim *o, float *p, const float *g, float *m, float *v, long n);

#endif
