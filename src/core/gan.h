/* gan.h - one GAN: generator, discriminator, their optimizers, the data set and
 * the RNG, with the training steps. The discriminator sees real and fake rows as
 * one batch of 2*batch rows; the generator step back-propagates through D
 * without computing D's weight gradients. No allocation inside a step. */
#ifndef GS_GAN_H
#define GS_GAN_H

#include "config.h"
#include "data.h"
#include "metrics.h"
#include "mlp.h"
#include "optim.h"
#include "rng.h"

typedef struct gan_stats {
    float d_loss, g_loss;
    float d_real, d_fake; /* mean D(x) and D(G(z)) as probabilities */
} gan_stats;

typedef struct gan {
    gs_config cfg;
    dataset data;
    mlp g, d;
    optim opt_g, opt_d;
    rng rng;
    long step; /* G steps taken (a "training step" = d_steps D steps + 1 G step) */
    int batch, z_dim, x_dim;
    float *buf;     /* one block for the buffers below */
    float *z;       /* (batch, z_dim) noise */
    float *xd;      /* (2*batch, x_dim) D input: real rows then fake rows */
    float *dlogit;  /* (2*batch) */
    float *dx;      /* (batch, x_dim) gradient of G's loss w.r.t. G's output */
    int fake_valid; /* xd's fake half is G(z) for the current G and z */
    gan_stats last;
} gan;

/* Opens the data set, builds and initialises both networks from cfg. */
gs_status gan_create(gan *gn, const gs_config *cfg, gs_error *err);
void gan_free(gan *gn);

/* Re-initialises weights, optimizer state and the step count from seed, keeping
 * the current activations; the RNG restarts from seed. */
void gan_reset(gan *gn, uint64_t seed);

/* One training step: cfg.train.d_steps D steps, then one G step. */
gan_stats gan_step(gan *gn);
/* Single steps, for stepping one network by hand. */
gan_stats gan_step_d(gan *gn);
gan_stats gan_step_g(gan *gn);

/* G's output for n noise rows z (n, z_dim) into out (n, x_dim), in chunks. */
void gan_generate(gan *gn, const float *z, long n, float *out);
/* D's probability D(x) for n rows x (n, x_dim) into out (n). */
void gan_discriminate(gan *gn, const float *x, long n, float *out);

/* n generator samples x (n, x_dim) from noise z (n, z_dim, scratch) drawn with a
 * private RNG seeded by seed: the same seed gives the same samples, and the
 * training RNG is untouched. */
void gan_sample(gan *gn, uint64_t seed, long n, float *z, float *x);

/* Draws METRICS_SAMPLES generator samples with a private RNG (the training RNG is
 * untouched) and scores them; GS_ERR_STATE when the data set has no modes.
 * scratch must hold METRICS_SAMPLES*(z_dim+x_dim) floats. */
gs_status gan_mode_stats(gan *gn, uint64_t seed, float *scratch, mode_stats *out);

#endif
