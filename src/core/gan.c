/* gan.c - a GAN's training steps. The D step sees [real; fake] as one batch;
 * the G step reuses the fake batch of the last D step when G has not changed
 * since (it is the same G(z) - no approximation), and back-propagates through D
 * with D's weight gradients switched off. */
#include "gan.h"

#include <stdlib.h>
#include <string.h>

static void init_optim(optim *o, const gs_config *cfg, float lr) {
    memset(o, 0, sizeof *o);
    o->kind = cfg->train.opt;
    o->lr = lr;
    o->beta1 = cfg->train.beta1;
    o->beta2 = cfg->train.beta2;
    o->momentum = cfg->train.momentum;
    o->eps = cfg->train.eps;
}

gs_status gan_create(gan *gn, const gs_config *cfg, gs_error *err) {
    memset(gn, 0, sizeof *gn);
    gn->cfg = *cfg;
    gs_status st = data_open(cfg->data.source, cfg->data.path, &gn->data, err);
    if (st) return st;
    gn->batch = cfg->train.batch;
    gn->z_dim = cfg->z_dim;
    gn->x_dim = gn->data.dim;
    const int B = gn->batch;
    /* G runs on batch rows in training and in chunks of 256 for samples. */
    int g_max = B > 256 ? B : 256;
    st = mlp_create(&gn->g, gn->z_dim, cfg->gen.n_hidden, cfg->gen.hidden, gn->x_dim, cfg->gen.act,
                    cfg->gen.slope, cfg->gen.out_act, g_max, err);
    if (!st)
        st = mlp_create(&gn->d, gn->x_dim, cfg->disc.n_hidden, cfg->disc.hidden, 1, cfg->disc.act,
                        cfg->disc.slope, ACT_IDENTITY, 2 * g_max, err);
    if (!st) {
        size_t n = (size_t)B * gn->z_dim + 2 * (size_t)B * gn->x_dim + 2 * (size_t)B +
                   (size_t)B * gn->x_dim;
        gn->buf = calloc(n, sizeof(float));
        if (!gn->buf) st = gs_fail(err, GS_ERR_NOMEM, "out of memory for batch buffers");
    }
    if (st) {
        gan_free(gn);
        return st;
    }
    gn->z = gn->buf;
    gn->xd = gn->z + (size_t)B * gn->z_dim;
    gn->dlogit = gn->xd + 2 * (size_t)B * gn->x_dim;
    gn->dx = gn->dlogit + 2 * (size_t)B;
    init_optim(&gn->opt_g, cfg, cfg->gen.lr);
    init_optim(&gn->opt_d, cfg, cfg->disc.lr);
    gan_reset(gn, cfg->train.seed);
    return GS_OK;
}

void gan_free(gan *gn) {
    mlp_free(&gn->g);
    mlp_free(&gn->d);
    data_close(&gn->data);
    free(gn->buf);
    memset(gn, 0, sizeof *gn);
}

void gan_reset(gan *gn, uint64_t seed) {
    gn->cfg.train.seed = seed;
    rng_seed(&gn->rng, seed);
    mlp_init_weights(&gn->g, &gn->rng);
    mlp_init_weights(&gn->d, &gn->rng);
    gn->opt_g.t = gn->opt_d.t = 0;
    gn->step = 0;
    gn->fake_valid = 0;
    memset(&gn->last, 0, sizeof gn->last);
}

/* Fills the fake half of xd with G(z) for fresh noise; G keeps the activations. */
static void make_fake(gan *gn) {
    const int B = gn->batch;
    rng_fill_normal(&gn->rng, gn->z, (long)B * gn->z_dim, 1.0f);
    mlp_forward(&gn->g, gn->z, B);
    memcpy(gn->xd + (size_t)B * gn->x_dim, mlp_output(&gn->g),
           (size_t)B * gn->x_dim * sizeof(float));
    gn->fake_valid = 1;
}

static float mean_prob(const float *logits, int n) {
    double s = 0.0;
    for (int i = 0; i < n; i++) s += loss_sigmoid(logits[i]);
    return (float)(s / n);
}

static void d_step(gan *gn) {
    const int B = gn->batch;
    data_batch(&gn->data, &gn->rng, gn->xd, B);
    make_fake(gn);
    mlp_forward(&gn->d, gn->xd, 2 * B);
    const float *logit = mlp_output(&gn->d);
    gn->last.d_loss = loss_d(gn->cfg.train.loss, logit, logit + B, B, gn->dlogit, gn->dlogit + B);
    gn->last.d_real = mean_prob(logit, B);
    gn->last.d_fake = mean_prob(logit + B, B);
    mlp_backward(&gn->d, gn->dlogit, NULL, 1);
    optim_step(&gn->opt_d, gn->d.params, gn->d.grads, gn->d.m, gn->d.v, gn->d.n_params);
}

static void g_step(gan *gn) {
    const int B = gn->batch;
    if (!gn->fake_valid) make_fake(gn);
    float *fake = gn->xd + (size_t)B * gn->x_dim;
    mlp_forward(&gn->d, fake, B);
    gn->last.g_loss = loss_g(gn->cfg.train.loss, mlp_output(&gn->d), B, gn->dlogit);
    mlp_backward(&gn->d, gn->dlogit, gn->dx, 0);
    mlp_backward(&gn->g, gn->dx, NULL, 1);
    optim_step(&gn->opt_g, gn->g.params, gn->g.grads, gn->g.m, gn->g.v, gn->g.n_params);
    gn->fake_valid = 0;
}

gan_stats gan_step(gan *gn) {
    for (int k = 0; k < gn->cfg.train.d_steps; k++) d_step(gn);
    g_step(gn);
    gn->step++;
    return gn->last;
}

gan_stats gan_step_d(gan *gn) {
    d_step(gn);
    gn->step++;
    return gn->last;
}

gan_stats gan_step_g(gan *gn) {
    g_step(gn);
    gn->step++;
    return gn->last;
}

void gan_generate(gan *gn, const float *z, long n, float *out) {
    mlp_infer(&gn->g, z, n, out);
    gn->fake_valid = 0; /* G's activations now belong to this inference */
}

void gan_discriminate(gan *gn, const float *x, long n, float *out) {
    mlp_infer(&gn->d, x, n, out);
    for (long i = 0; i < n; i++) out[i] = loss_sigmoid(out[i]);
}

void gan_sample(gan *gn, uint64_t seed, long n, float *z, float *x) {
    rng r;
    rng_seed(&r, seed);
    rng_fill_normal(&r, z, n * gn->z_dim, 1.0f);
    gan_generate(gn, z, n, x);
}

gs_status gan_mode_stats(gan *gn, uint64_t seed, float *scratch, mode_stats *out) {
    if (gn->data.n_modes == 0) return gs_fail(NULL, GS_ERR_STATE, "data set has no modes");
    float *z = scratch, *x = scratch + (size_t)METRICS_SAMPLES * gn->z_dim;
    gan_sample(gn, seed, METRICS_SAMPLES, z, x);
    return metrics_modes(&gn->data, x, METRICS_SAMPLES, out);
}
