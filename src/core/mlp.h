/* mlp.h - multilayer perceptrons over one arena per network.
 * A network is a chain of dense layers; every hidden layer has its own
 * activation (swappable between steps) and one activation parameter (slope or
 * alpha; trained when the activation is prelu). Parameters, gradients and the two
 * optimizer moments are four blocks with the same offsets, so an optimizer is one
 * loop over n_params. Activations of the last forward live in one more block sized
 * for max_batch rows. Nothing is allocated after mlp_create. */
#ifndef GS_MLP_H
#define GS_MLP_H

#include "act.h"
#include "rng.h"
#include "status.h"

#define MLP_MAX_LAYERS 10 /* dense layers, output layer included */

typedef struct mlp_layer {
    int in, out;
    act_kind act;
    float *w;      /* (out, in) in params */
    float *b;      /* (out) */
    float *alpha;  /* (1) slope / alpha of the activation; learnable for prelu */
    float *dw;     /* (out, in) in grads, same offsets */
    float *db;     /* (out) */
    float *dalpha; /* (1) */
    float *z;      /* (max_batch, out) pre-activation of the last forward */
    float *a;      /* (max_batch, out) output of the last forward */
} mlp_layer;

typedef struct mlp {
    int n_layers; /* dense layers; layer[n_layers-1] is the output layer */
    int in_dim;
    int max_batch;
    int batch;          /* rows of the last forward */
    const float *input; /* input of the last forward, (batch, in_dim); not owned */
    mlp_layer layer[MLP_MAX_LAYERS];
    long n_params;
    float *params;  /* (n_params) */
    float *grads;   /* (n_params) */
    float *m, *v;   /* (n_params) optimizer moments */
    float *acts;    /* z and a of every layer, (max_batch, out) each */
    float *scratch; /* two (max_batch, max_width) buffers for backward */
    int max_width;
} mlp;

/* Builds a network in_dim -> hidden[0] -> ... -> out_dim. Hidden layers start with
 * hidden_act and slope; the output layer uses out_act. Weights are not initialised:
 * call mlp_init_weights. */
gs_status mlp_create(mlp *net, int in_dim, int n_hidden, const int *hidden, int out_dim,
                     act_kind hidden_act, float slope, act_kind out_act, int max_batch,
                     gs_error *err);
void mlp_free(mlp *net);

static inline int mlp_hidden_count(const mlp *net) {
    return net->n_layers - 1;
}
static inline int mlp_out_dim(const mlp *net) {
    return net->layer[net->n_layers - 1].out;
}
static inline const float *mlp_output(const mlp *net) {
    return net->layer[net->n_layers - 1].a;
}

/* Draws every weight for the activation its layer has now (He for the ReLU family,
 * Glorot for tanh/sigmoid/identity, LeCun normal for SELU); zero biases; clears
 * gradients and moments. */
void mlp_init_weights(mlp *net, rng *r);

/* Forward pass of n <= max_batch rows of x (n, in_dim). The result is mlp_output. */
void mlp_forward(mlp *net, const float *x, int n);

/* Forward in chunks of max_batch rows for any n; out is (n, out_dim). Leaves the
 * last chunk's activations in the network. */
void mlp_infer(mlp *net, const float *x, long n, float *out);

void mlp_zero_grad(mlp *net);

/* Backward from dout (batch, out_dim) of the last forward. When wgrad, writes the
 * weight, bias and prelu-slope gradients into grads; when din is not NULL, writes
 * the gradient with respect to the input (batch, in_dim). */
void mlp_backward(mlp *net, const float *dout, float *din, int wgrad);

/* Changes the activation of hidden layer `layer` (or of every hidden layer when
 * layer < 0) without touching any weight. A switch to prelu starts its learnable
 * slope from the layer's current slope; moments of that slope are cleared. */
gs_status mlp_set_act(mlp *net, int layer, act_kind k, gs_error *err);
/* Sets the activation parameter (slope/alpha) of one hidden layer or all. */
gs_status mlp_set_slope(mlp *net, int layer, float slope, gs_error *err);

/* L2 norm of the weight gradient of one layer (dw and db). */
float mlp_grad_norm(const mlp *net, int layer);

#endif
