/* session.c - one GAN and everything around it: applying commands between two
 * steps, the schedule, the event list, the run log and snapshot filling. A
 * session belongs to exactly one thread (the trainer thread, or `train`'s main
 * thread); nothing here locks. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ckpt.h"
#include "engine.h"
#include "preset.h"

#define MODES_SEED 0x6d6f646573ULL /* fixed noise for the mode metrics */
#define FIXED_SEED 0x66697865ULL   /* fixed noise for the sample grid */

double engine_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static const char *net_name(int net) {
    return net == NET_G ? "G" : "D";
}

static mlp *net_of(session *s, int net) {
    return net == NET_G ? &s->gn.g : &s->gn.d;
}

static optim *opt_of(session *s, int net) {
    return net == NET_G ? &s->gn.opt_g : &s->gn.opt_d;
}

void session_event(session *s, int refused, const char *fmt, ...) {
    engine_event *ev = &s->events[s->n_events % SNAP_MAX_EVENTS];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ev->text, sizeof ev->text, fmt, ap);
    va_end(ap);
    ev->step = s->live ? s->gn.step : 0;
    ev->time_s = engine_now() - s->t0;
    ev->refused = refused;
    s->n_events++;
    char line[EVENT_TEXT + 16];
    snprintf(line, sizeof line, "%s%s", refused ? "refused: " : "", ev->text);
    for (int i = 0; i < 2; i++)
        if (s->logs[i]) runlog_event(s->logs[i], ev->step, ev->time_s, line);
}

/* Builds a gan and its buffers for cfg, with the weights of checkpoint ckpt
 * when it is not NULL; only on success replaces the session's, so a bad preset
 * or checkpoint leaves the run as it was. */
static gs_status session_build(session *s, const gs_config *cfg, const char *ckpt, gs_error *err) {
    gan fresh;
    gs_status st = gan_create(&fresh, cfg, err);
    if (st) return st;
    if (ckpt && (st = ckpt_load(ckpt, &fresh, err))) {
        gan_free(&fresh);
        return st;
    }
    size_t zx = (size_t)fresh.z_dim + fresh.x_dim;
    size_t need = (size_t)METRICS_SAMPLES * zx;
    size_t snap_need = (size_t)SNAP_GRID * SNAP_GRID * 3 + (size_t)SNAP_POINTS * zx +
                       (size_t)SNAP_IMAGES * fresh.x_dim;
    if (snap_need > need) need = snap_need;
    size_t nfixed = (size_t)(fresh.data.kind == DATA_IMAGES ? SNAP_IMAGES : SNAP_POINTS);
    float *scratch = malloc(need * sizeof(float));
    float *fixed = malloc(nfixed * fresh.z_dim * sizeof(float));
    if (!scratch || !fixed) {
        free(scratch);
        free(fixed);
        gan_free(&fresh);
        return gs_fail(err, GS_ERR_NOMEM, "out of memory for the session");
    }
    rng r;
    rng_seed(&r, FIXED_SEED);
    rng_fill_normal(&r, fixed, (long)(nfixed * fresh.z_dim), 1.0f);
    if (s->live) gan_free(&s->gn);
    free(s->scratch);
    free(s->fixed_z);
    s->gn = fresh;
    s->scratch = scratch;
    s->fixed_z = fixed;
    s->live = 1;
    s->next_sched = 0;
    s->has_modes = 0;
    s->rate_t = engine_now();
    s->rate_step = 0;
    s->steps_per_s = 0;
    history_init(&s->hist);
    return GS_OK;
}

gs_status session_open(session *s, const gs_config *cfg, runlog *log0, runlog *log1,
                       gs_error *err) {
    memset(s, 0, sizeof *s);
    s->t0 = engine_now();
    s->logs[0] = log0;
    s->logs[1] = log1;
    snprintf(s->save_dir, sizeof s->save_dir, ".");
    return session_build(s, cfg, NULL, err);
}

void session_close(session *s) {
    if (s->live) gan_free(&s->gn);
    free(s->scratch);
    free(s->fixed_z);
    memset(s, 0, sizeof *s);
}

static void record_history(session *s) {
    const gan_stats *g = &s->gn.last;
    float v[HIST_SERIES] = {g->d_loss, g->g_loss, g->d_real, g->d_fake};
    history_add(&s->hist, s->gn.step, v);
}

static void update_rate(session *s) {
    double now = engine_now();
    if (now - s->rate_t >= 0.5) {
        s->steps_per_s = (float)((s->gn.step - s->rate_step) / (now - s->rate_t));
        s->rate_t = now;
        s->rate_step = s->gn.step;
    }
}

static gs_status check_layer(session *s, const engine_cmd *c, gs_error *err) {
    if (c->net != NET_G && c->net != NET_D) return gs_fail(err, GS_ERR_VALUE, "unknown network");
    int nh = mlp_hidden_count(net_of(s, c->net));
    if (c->layer >= nh || c->layer < -1)
        return gs_fail(err, GS_ERR_VALUE, "%s has no hidden layer %d (it has %d)", net_name(c->net),
                       c->layer + 1, nh);
    return GS_OK;
}

static void layer_label(const engine_cmd *c, char *buf, size_t n) {
    if (c->layer < 0)
        snprintf(buf, n, "%s all layers", net_name(c->net));
    else
        snprintf(buf, n, "%s layer %d", net_name(c->net), c->layer + 1);
}

static int apply_act(session *s, const engine_cmd *c, act_kind k) {
    gs_error err;
    char where[48];
    if (check_layer(s, c, &err)) {
        session_event(s, 1, "%s", err.msg);
        return 0;
    }
    mlp *net = net_of(s, c->net);
    act_kind before = net->layer[c->layer < 0 ? 0 : c->layer].act;
    mlp_set_act(net, c->layer, k, NULL);
    layer_label(c, where, sizeof where);
    session_event(s, 0, "%s: %s -> %s", where, act_name(before), act_name(k));
    s->gn.fake_valid = 0;
    return 1;
}

static int apply_slope(session *s, const engine_cmd *c, double v) {
    gs_error err;
    char where[48];
    if (check_layer(s, c, &err)) {
        session_event(s, 1, "%s", err.msg);
        return 0;
    }
    if (!(v >= 0.0 && v <= 1.0)) {
        session_event(s, 1, "slope %g outside [0, 1]", v);
        return 0;
    }
    mlp *net = net_of(s, c->net);
    mlp_set_slope(net, c->layer, (float)v, NULL);
    layer_label(c, where, sizeof where);
    act_kind k = net->layer[c->layer < 0 ? 0 : c->layer].act;
    session_event(s, 0, "%s: %s %s = %.2f", where, act_name(k),
                  act_table[k].param ? act_table[k].param : "slope", v);
    s->gn.fake_valid = 0;
    return 1;
}

static int apply_lr(session *s, int net, double lr) {
    if (!(lr > 0.0 && lr <= 1.0)) {
        session_event(s, 1, "learning rate %g outside (0, 1]", lr);
        return 0;
    }
    opt_of(s, net)->lr = (float)lr;
    if (net == NET_G)
        s->gn.cfg.gen.lr = (float)lr;
    else
        s->gn.cfg.disc.lr = (float)lr;
    session_event(s, 0, "%s learning rate %.3g", net_name(net), lr);
    return 1;
}

static int apply_replace(session *s, const gs_config *cfg, const char *ckpt, const char *what) {
    gs_error err;
    if (session_build(s, cfg, ckpt, &err)) {
        session_event(s, 1, "%s", err.msg);
        return 0;
    }
    session_event(s, 0, "%s", what);
    return 1;
}

static int apply_load(session *s, const char *path) {
    gs_error err;
    gs_config cfg;
    if (ckpt_read_config(path, &cfg, &err)) {
        session_event(s, 1, "%s", err.msg);
        return 0;
    }
    char what[EVENT_TEXT];
    snprintf(what, sizeof what, "loaded %.100s", path);
    if (!apply_replace(s, &cfg, path, what)) return 0;
    s->rate_step = s->gn.step;
    return 1;
}

int session_apply(session *s, const engine_cmd *c) {
    gs_error err;
    switch (c->kind) {
    case CMD_PAUSE:
    case CMD_RESUME:
    case CMD_TOGGLE_PAUSE: {
        int p = c->kind == CMD_PAUSE ? 1 : c->kind == CMD_RESUME ? 0 : !s->paused;
        if (p == s->paused) return 1;
        s->paused = p;
        session_event(s, 0, p ? "paused" : "resumed");
        return 1;
    }
    case CMD_STEP:
    case CMD_STEP_D:
    case CMD_STEP_G:
        if (c->kind == CMD_STEP)
            gan_step(&s->gn);
        else if (c->kind == CMD_STEP_D)
            gan_step_d(&s->gn);
        else
            gan_step_g(&s->gn);
        record_history(s);
        return 1;
    case CMD_RESET:
    case CMD_RESEED: {
        uint64_t seed = s->gn.cfg.train.seed;
        if (c->kind == CMD_RESEED)
            seed = c->value >= 0 ? (uint64_t)c->value : (uint64_t)(engine_now() * 1e6);
        gan_reset(&s->gn, seed);
        history_init(&s->hist);
        s->has_modes = 0;
        s->rate_step = 0;
        s->rate_t = engine_now();
        session_event(s, 0, "reset (seed %llu)", (unsigned long long)seed);
        return 1;
    }
    case CMD_SET_ACT:
        if (c->act < 0 || c->act >= ACT_COUNT) {
            session_event(s, 1, "unknown activation %d", c->act);
            return 0;
        }
        return apply_act(s, c, (act_kind)c->act);
    case CMD_CYCLE_ACT: {
        if (check_layer(s, c, &err)) {
            session_event(s, 1, "%s", err.msg);
            return 0;
        }
        act_kind cur = net_of(s, c->net)->layer[c->layer < 0 ? 0 : c->layer].act;
        int dir = c->value < 0 ? -1 : 1;
        return apply_act(s, c, (act_kind)((cur + dir + ACT_COUNT) % ACT_COUNT));
    }
    case CMD_SET_SLOPE:
        return apply_slope(s, c, c->value);
    case CMD_ADD_SLOPE: {
        if (check_layer(s, c, &err)) {
            session_event(s, 1, "%s", err.msg);
            return 0;
        }
        double v = net_of(s, c->net)->layer[c->layer < 0 ? 0 : c->layer].alpha[0] + c->value;
        v = round(v * 1000.0) / 1000.0; /* keep 0.05 steps exact in the display */
        return apply_slope(s, c, v < 0 ? 0 : v > 1 ? 1 : v);
    }
    case CMD_SET_LR:
        return apply_lr(s, c->net, c->value);
    case CMD_SCALE_LR:
        return apply_lr(s, c->net, opt_of(s, c->net)->lr * c->value);
    case CMD_SET_LOSS:
    case CMD_CYCLE_LOSS: {
        int k = c->kind == CMD_SET_LOSS ? c->act : ((int)s->gn.cfg.train.loss + 1) % LOSS_COUNT;
        if (k < 0 || k >= LOSS_COUNT) {
            session_event(s, 1, "unknown loss %d", k);
            return 0;
        }
        s->gn.cfg.train.loss = (loss_kind)k;
        session_event(s, 0, "loss %s", loss_name((loss_kind)k));
        return 1;
    }
    case CMD_SET_DSTEPS:
    case CMD_CYCLE_DSTEPS: {
        static const int cycle[] = {1, 2, 3, 5};
        int v = (int)c->value;
        if (c->kind == CMD_CYCLE_DSTEPS) {
            int i = 0;
            while (i < 4 && cycle[i] <= s->gn.cfg.train.d_steps) i++;
            v = cycle[i % 4];
        }
        if (v < 1 || v > 100) {
            session_event(s, 1, "D steps %d outside 1..100", v);
            return 0;
        }
        s->gn.cfg.train.d_steps = v;
        session_event(s, 0, "D steps per G step %d", v);
        return 1;
    }
    case CMD_SETTING: {
        engine_cmd sub;
        if (engine_parse_setting(c->text, &sub, &err)) {
            session_event(s, 1, "%s", err.msg);
            return 0;
        }
        return session_apply(s, &sub);
    }
    case CMD_SAVE: {
        char path[1024];
        if (c->text[0])
            snprintf(path, sizeof path, "%s", c->text);
        else
            snprintf(path, sizeof path, "%s/ganscope-%s-step%ld.safetensors", s->save_dir,
                     s->gn.cfg.name[0] ? s->gn.cfg.name : "run", s->gn.step);
        if (ckpt_save(path, &s->gn, &err)) {
            session_event(s, 1, "%s", err.msg);
            return 0;
        }
        session_event(s, 0, "saved %s", path);
        return 1;
    }
    case CMD_LOAD:
        return apply_load(s, c->text);
    case CMD_PRESET: {
        gs_config cfg;
        preset_defaults(&cfg);
        if (preset_load(c->text, &cfg, &err) || preset_validate(&cfg, &err)) {
            session_event(s, 1, "%s", err.msg);
            return 0;
        }
        char what[EVENT_TEXT];
        snprintf(what, sizeof what, "preset %s", cfg.name);
        return apply_replace(s, &cfg, NULL, what);
    }
    case CMD_QUIT:
        s->quit = 1;
        return 1;
    default:
        session_event(s, 1, "unknown command %d", (int)c->kind);
        return 0;
    }
}

void session_step(session *s) {
    const gs_config *cfg = &s->gn.cfg;
    while (s->next_sched < cfg->n_sched && cfg->sched[s->next_sched].step <= s->gn.step) {
        engine_cmd c = {.kind = CMD_SETTING};
        snprintf(c.text, sizeof c.text, "%s", cfg->sched[s->next_sched].setting);
        s->next_sched++;
        session_apply(s, &c);
    }
    gan_step(&s->gn);
    record_history(s);
    update_rate(s);
}

static void compute_modes(session *s) {
    if (s->gn.data.n_modes == 0) return;
    if (s->has_modes && s->modes_step == s->gn.step) return;
    if (gan_mode_stats(&s->gn, MODES_SEED, s->scratch, &s->modes) == GS_OK) {
        s->has_modes = 1;
        s->modes_step = s->gn.step;
    }
}

void session_log_metrics(session *s, const char *type) {
    compute_modes(s);
    runlog_record r = {
        .step = s->gn.step,
        .time_s = engine_now() - s->t0,
        .d_loss = s->gn.last.d_loss,
        .g_loss = s->gn.last.g_loss,
        .d_real = s->gn.last.d_real,
        .d_fake = s->gn.last.d_fake,
        .steps_per_s = s->steps_per_s,
    };
    if (s->has_modes) {
        r.has_modes = 1;
        r.modes = s->modes.modes;
        r.n_modes = s->modes.n_modes;
        r.hq = s->modes.hq;
        r.kl = s->modes.kl;
    }
    for (int i = 0; i < 2; i++)
        if (s->logs[i]) runlog_metrics(s->logs[i], type, &r);
}

static uint8_t to_byte(float v) {
    float b = (v + 1.0f) * 127.5f;
    return (uint8_t)(b < 0 ? 0 : b > 255 ? 255 : b + 0.5f);
}

static void fill_net(const mlp *net, const optim *o, snap_net *out) {
    out->n_hidden = mlp_hidden_count(net);
    out->lr = o->lr;
    for (int l = 0; l < net->n_layers; l++) metrics_layer(net, l, &out->layer[l]);
}

static void fill_samples(session *s, snapshot *snap) {
    gan *gn = &s->gn;
    const dataset *ds = &gn->data;
    rng r;
    rng_seed(&r, FIXED_SEED + 1);
    if (ds->kind == DATA_IMAGES) {
        snap->images = 1;
        snap->width = ds->width;
        snap->height = ds->height;
        int pix = ds->width * ds->height;
        snap->n_images = pix <= SNAP_IMG_PIX ? SNAP_IMAGES : 0;
        if (!snap->n_images) return;
        float *out = s->scratch;
        gan_generate(gn, s->fixed_z, SNAP_IMAGES, out);
        for (long i = 0; i < (long)SNAP_IMAGES * pix; i++) snap->fake_img[i] = to_byte(out[i]);
        /* the same real images every time: the first ones of the training set */
        long nreal = ds->n_images < SNAP_REAL ? ds->n_images : SNAP_REAL;
        memcpy(snap->real_img, ds->images, (size_t)nreal * pix);
        return;
    }
    snap->images = 0;
    snap->n_points = SNAP_POINTS;
    memcpy(snap->view, ds->view, sizeof snap->view);
    gan_generate(gn, s->fixed_z, SNAP_POINTS, snap->fake_pts);
    data_batch(ds, &r, snap->real_pts, SNAP_POINTS);
    /* D over the view: row 0 is the top (ymax) */
    float *grid = s->scratch, *prob = s->scratch + 2 * SNAP_GRID * SNAP_GRID;
    for (int i = 0; i < SNAP_GRID; i++)
        for (int j = 0; j < SNAP_GRID; j++) {
            float *p = grid + 2 * (i * SNAP_GRID + j);
            p[0] = ds->view[0] + (ds->view[1] - ds->view[0]) * (j + 0.5f) / SNAP_GRID;
            p[1] = ds->view[3] - (ds->view[3] - ds->view[2]) * (i + 0.5f) / SNAP_GRID;
        }
    gan_discriminate(gn, grid, SNAP_GRID * SNAP_GRID, prob);
    memcpy(snap->heat, prob, sizeof snap->heat);
    /* G's manifold: the image of a grid over [-2.5, 2.5]^2 of 2-D noise */
    snap->has_manifold = gn->z_dim == 2;
    if (snap->has_manifold) {
        float *zg = s->scratch;
        const int M = SNAP_MANIFOLD;
        for (int i = 0; i < M; i++)
            for (int j = 0; j < M; j++) {
                zg[2 * (i * M + j)] = -2.5f + 5.0f * j / (M - 1);
                zg[2 * (i * M + j) + 1] = -2.5f + 5.0f * i / (M - 1);
            }
        gan_generate(gn, zg, M * M, snap->manifold);
    }
    compute_modes(s);
}

void session_fill_snapshot(session *s, snapshot *snap, int with_samples) {
    gan *gn = &s->gn;
    snap->step = gn->step;
    snap->time_s = engine_now() - s->t0;
    snap->steps_per_s = s->paused ? 0.0f : s->steps_per_s;
    snap->paused = s->paused;
    snap->running = !s->quit;
    snprintf(snap->preset, sizeof snap->preset, "%s", gn->cfg.name);
    snprintf(snap->data_name, sizeof snap->data_name, "%s", gn->data.name);
    snap->loss = gn->cfg.train.loss;
    snap->d_steps = gn->cfg.train.d_steps;
    snap->seed = gn->cfg.train.seed;
    snap->last = gn->last;
    /* layer statistics first: drawing samples below reuses the networks' buffers */
    fill_net(&gn->g, &gn->opt_g, &snap->g);
    fill_net(&gn->d, &gn->opt_d, &snap->d);
    snap->hist = s->hist;
    snap->n_events_total = s->n_events;
    int n = s->n_events < SNAP_MAX_EVENTS ? (int)s->n_events : SNAP_MAX_EVENTS;
    snap->n_events = n;
    for (int i = 0; i < n; i++)
        snap->events[i] = s->events[(s->n_events - n + i) % SNAP_MAX_EVENTS];
    if (with_samples) fill_samples(s, snap);
    snap->has_modes = s->has_modes;
    snap->modes_step = s->modes_step;
    snap->modes = s->modes;
}
