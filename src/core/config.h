/* config.h - everything a run is made of, as parsed from a preset (preset.h) and
 * overridden by --set. Plain data: the engine copies it, checkpoints store it. */
#ifndef GS_CONFIG_H
#define GS_CONFIG_H

#include <stdint.h>

#include "act.h"
#include "loss.h"
#include "optim.h"

#define GS_MAX_HIDDEN   8
#define GS_MAX_SCHEDULE 64

typedef struct net_config {
    int n_hidden;
    int hidden[GS_MAX_HIDDEN]; /* widths of the hidden layers */
    act_kind act;              /* activation of every hidden layer at start */
    float slope;               /* leaky_relu / prelu slope, elu alpha */
    act_kind out_act;          /* generator: tanh or identity; discriminator: identity (logits) */
    float lr;
} net_config;

typedef struct schedule_entry {
    long step;
    char setting[160]; /* "section.key=value", applied before that step */
} schedule_entry;

typedef struct gs_config {
    char name[64];
    char description[200];
    char origin[512]; /* where it came from, for messages: a path or "builtin:NAME" */
    struct {
        char source[32]; /* ring8 grid25 spiral moons circles csv idx */
        char path[512];  /* csv file, or folder of IDX files */
    } data;
    int z_dim; /* [generator] noise */
    net_config gen, disc;
    struct {
        long steps;
        int batch;
        loss_kind loss;
        int d_steps;
        opt_kind opt;
        float beta1, beta2, momentum, eps;
        uint64_t seed;
        int log_every;
    } train;
    int n_sched;
    schedule_entry sched[GS_MAX_SCHEDULE];
} gs_config;

#endif
