/* engine.h - the live engine: a session (one GAN plus its command handling,
 * schedule, event list and run log) and the trainer thread that drives it.
 *
 * Front-ends are thin clients: they send commands (engine_send) and copy
 * snapshots (engine_snapshot). `ganscope train` drives a session directly,
 * without a thread, so schedules and commands behave identically headless. */
#ifndef GS_ENGINE_H
#define GS_ENGINE_H

#include <stdint.h>

#include "config.h"
#include "gan.h"
#include "history.h"
#include "metrics.h"
#include "runlog.h"

/* ---- commands ---- */
typedef enum cmd_kind {
    CMD_PAUSE,
    CMD_RESUME,
    CMD_TOGGLE_PAUSE,
    CMD_STEP,      /* one training step (while paused) */
    CMD_STEP_D,    /* one D step only */
    CMD_STEP_G,    /* one G step only */
    CMD_RESET,     /* re-initialise with the same seed */
    CMD_RESEED,    /* re-initialise with seed = value (or a new seed when value < 0) */
    CMD_SET_ACT,   /* net, layer (-1 all), act */
    CMD_CYCLE_ACT, /* net, layer, value = +1 / -1 through the table */
    CMD_SET_SLOPE, /* net, layer, value in [0, 1] */
    CMD_ADD_SLOPE, /* net, layer, value = delta; clamped into [0, 1] */
    CMD_SET_LR,    /* net, value */
    CMD_SCALE_LR,  /* net, value = factor */
    CMD_SET_LOSS,  /* act field holds the loss_kind */
    CMD_CYCLE_LOSS,
    CMD_SET_DSTEPS, /* value */
    CMD_CYCLE_DSTEPS,
    CMD_SETTING, /* text = "section.key=value", as in a schedule */
    CMD_SAVE,    /* text = path, or empty for an automatic name */
    CMD_LOAD,    /* text = path */
    CMD_PRESET,  /* text = preset name or path: switch preset */
    CMD_QUIT,
    CMD_COUNT
} cmd_kind;

enum { NET_G = 0, NET_D = 1 };

typedef struct engine_cmd {
    cmd_kind kind;
    int net;   /* NET_G or NET_D */
    int layer; /* hidden layer index, -1 for all hidden layers */
    int act;   /* act_kind, or loss_kind for CMD_SET_LOSS */
    double value;
    char text[512];
} engine_cmd;

/* Parses a "section.key=value" setting into a command (activation, slope, lr,
 * loss, d_steps of a network, or any [train] key). "generator.activation=relu"
 * sets every hidden layer; "generator.2.activation=relu" sets hidden layer 2
 * (counting from 1). */
gs_status engine_parse_setting(const char *setting, engine_cmd *out, gs_error *err);

/* ---- events ---- */
#define EVENT_TEXT 120
typedef struct engine_event {
    long step;
    double time_s;
    int refused; /* the command was invalid; text says why */
    char text[EVENT_TEXT];
} engine_event;

/* ---- snapshots: everything a front-end draws, copied out whole ---- */
#define SNAP_MAX_EVENTS 64 /* the most recent events */
#define SNAP_IMAGES     64 /* generated images for a fixed noise batch */
#define SNAP_REAL       16 /* real images beside them */
#define SNAP_IMG_PIX    784
#define SNAP_POINTS     2000
#define SNAP_GRID       64 /* D heatmap resolution */
#define SNAP_MANIFOLD   21 /* noise grid for G's manifold (2-D noise only) */

typedef struct snap_net {
    int n_hidden;
    float lr;
    layer_stats layer[MLP_MAX_LAYERS]; /* hidden layers, then the output layer */
} snap_net;

typedef struct snapshot {
    uint64_t version; /* increases with every publish */
    long step;
    double time_s;
    float steps_per_s;
    int paused;
    int running; /* 0 once the trainer has stopped (quit or error) */
    char preset[64];
    char data_name[32];
    loss_kind loss;
    int d_steps;
    uint64_t seed;
    gan_stats last;
    snap_net g, d;
    history hist;
    /* events: total count and the last SNAP_MAX_EVENTS of them (oldest first) */
    long n_events_total;
    int n_events;
    engine_event events[SNAP_MAX_EVENTS];
    /* samples */
    int images; /* 1: image data, 0: 2-D points */
    int width, height;
    int n_images;
    uint8_t fake_img[SNAP_IMAGES * SNAP_IMG_PIX];
    uint8_t real_img[SNAP_REAL * SNAP_IMG_PIX];
    int n_points;
    float fake_pts[SNAP_POINTS * 2];
    float real_pts[SNAP_POINTS * 2];
    float view[4];                     /* xmin, xmax, ymin, ymax */
    float heat[SNAP_GRID * SNAP_GRID]; /* D(x) over the view, row 0 at ymax */
    int has_manifold;
    float manifold[SNAP_MANIFOLD * SNAP_MANIFOLD * 2]; /* G(noise grid) */
    int has_modes;
    long modes_step;
    mode_stats modes;
} snapshot;

/* ---- session: a GAN and everything around it, driven by one thread ---- */
typedef struct session {
    gan gn;
    int live;  /* gn is valid */
    double t0; /* monotonic start time */
    int paused;
    int quit;
    long next_sched; /* index into gn.cfg.sched of the next schedule entry */
    runlog *logs[2]; /* run logs (stdout, --log file); NULL entries are skipped */
    long n_events;
    engine_event events[SNAP_MAX_EVENTS]; /* ring of the last events */
    history hist;
    float steps_per_s;
    double rate_t; /* for steps/s */
    long rate_step;
    int has_modes;
    long modes_step;
    mode_stats modes;
    float *scratch; /* for metrics and snapshot samples */
    float *fixed_z; /* fixed noise for the sample grid */
    char save_dir[512];
} session;

double engine_now(void); /* monotonic seconds */

gs_status session_open(session *s, const gs_config *cfg, runlog *log0, runlog *log1, gs_error *err);
void session_close(session *s);
/* Applies one command between two steps. Invalid commands are refused with an
 * event; the return value says whether it was applied. */
int session_apply(session *s, const engine_cmd *c);
/* Applies due schedule entries, then one training step. */
void session_step(session *s);
/* Records an event (also to the run log). */
void session_event(session *s, int refused, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Writes a metrics record to the run log, computing modes when due. */
void session_log_metrics(session *s, const char *type);
/* Fills a snapshot from the session; samples are drawn when with_samples. */
void session_fill_snapshot(session *s, snapshot *snap, int with_samples);

/* ---- the engine: a session on a trainer thread ---- */
typedef struct engine engine;

/* Starts the trainer thread on cfg; log may be NULL. The engine keeps the log
 * pointer and writes it from the trainer thread only. */
gs_status engine_start(engine **out, const gs_config *cfg, runlog *log, int start_paused,
                       gs_error *err);
/* Queues a command; returns 0 when the queue is full (the command is dropped). */
int engine_send(engine *e, const engine_cmd *c);
/* Copies the latest snapshot into out; returns its version. */
uint64_t engine_snapshot(engine *e, snapshot *out);
/* Asks the thread to quit, joins it and frees everything. */
void engine_stop(engine *e);
/* 1 while the trainer thread runs (a quit command ends it). */
int engine_running(engine *e);

#endif
