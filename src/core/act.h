/* act.h - the activation functions, one table for the whole family.
 * Each entry has a forward pass, a backward pass that takes both the
 * pre-activation z and the output a (GELU and SiLU need z), the weight
 * initialisation that suits it, and its parameter if it has one
 * (leaky_relu and prelu: the negative slope; elu: alpha). */
#ifndef GS_ACT_H
#define GS_ACT_H

#include "status.h"

typedef enum act_kind {
    ACT_IDENTITY,
    ACT_SIGMOID,
    ACT_TANH,
    ACT_RELU,
    ACT_LEAKY_RELU,
    ACT_PRELU,
    ACT_ELU,
    ACT_SELU,
    ACT_GELU,
    ACT_SILU,
    ACT_SOFTPLUS,
    ACT_MISH,
    ACT_COUNT
} act_kind;

typedef enum init_kind { INIT_HE, INIT_GLOROT, INIT_LECUN } init_kind;

/* a[i] = f(z[i]; p) */
typedef void (*act_fwd_fn)(const float *z, float *a, long n, float p);
/* dz[i] = da[i] * f'(z[i]; p). When dp is not NULL, *dp += sum da * df/dp
 * (only prelu has a learnable parameter). dz may alias da. */
typedef void (*act_bwd_fn)(const float *z, const float *a, const float *da, float *dz, long n,
                           float p, float *dp);

typedef struct act_info {
    const char *name;
    act_fwd_fn fwd;
    act_bwd_fn bwd;
    init_kind init;
    const char *param;    /* "slope", "alpha" or NULL */
    int learnable;        /* parameter is trained (prelu) */
    int can_die;          /* output is exactly 0 on a half-line: dead units are meaningful */
    float sat_lo, sat_hi; /* saturating bounds (sigmoid 0..1, tanh -1..1); equal when none */
    const char *help;     /* one line for help texts */
} act_info;

extern const act_info act_table[ACT_COUNT];

/* Parses a name from the table; unknown names are an error listing the accepted ones. */
gs_status act_parse(const char *name, act_kind *out, gs_error *err);
const char *act_name(act_kind k);
/* Comma-separated list of every name, for error messages and help. */
const char *act_names(void);

static inline void act_forward(act_kind k, const float *z, float *a, long n, float p) {
    act_table[k].fwd(z, a, n, p);
}
static inline void act_backward(act_kind k, const float *z, const float *a, const float *da,
                                float *dz, long n, float p, float *dp) {
    act_table[k].bwd(z, a, da, dz, n, p, dp);
}

#endif
