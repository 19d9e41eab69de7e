/* loss.h - the GAN losses on discriminator logits.
 * D outputs a logit l; D(x) = sigmoid(l). Losses that need the sigmoid apply it
 * through stable softplus forms, never log(sigmoid(l)) directly. */
#ifndef GS_LOSS_H
#define GS_LOSS_H

#include "status.h"

typedef enum loss_kind {
    LOSS_NS,      /* non-saturating: G minimises -log D(G(z)) */
    LOSS_MINIMAX, /* saturating: G minimises log(1 - D(G(z))) */
    LOSS_LSGAN,   /* least squares on the raw output, targets 1 / 0 */
    LOSS_HINGE,   /* D: relu(1 - l_real) + relu(1 + l_fake); G: -l_fake */
    LOSS_COUNT
} loss_kind;

typedef struct loss_info {
    const char *name;
    const char *help;
} loss_info;

extern const loss_info loss_table[LOSS_COUNT];

gs_status loss_parse(const char *name, loss_kind *out, gs_error *err);
const char *loss_name(loss_kind k);

/* Discriminator loss, mean over each half: real logits lr (n), fake logits lf (n).
 * Writes dlr, dlf (n each), the gradient of the returned loss. */
float loss_d(loss_kind k, const float *lr, const float *lf, int n, float *dlr, float *dlf);
/* Generator loss on fake logits lf (n); writes dlf (n). */
float loss_g(loss_kind k, const float *lf, int n, float *dlf);

/* Numerically stable helpers, shared with the metrics. */
float loss_sigmoid(float x);
float loss_softplus(float x);

#endif
