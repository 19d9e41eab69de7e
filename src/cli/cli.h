/* cli.h - helpers shared by the subcommands of `ganscope`: strict number
 * parsing, the common run options (--preset, --set, --at, --log) and the
 * convention that bad input is one line on stderr and exit code 2. */
#ifndef GS_CLI_H
#define GS_CLI_H

#include "classifier.h"
#include "config.h"
#include "runlog.h"
#include "status.h"

#define EXIT_BAD_INPUT 2

/* Prints "ganscope: MSG" and returns EXIT_BAD_INPUT. */
int cli_bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int cli_long(const char *opt, const char *s, long lo, long hi, long *out);
int cli_u64(const char *opt, const char *s, unsigned long long *out);

/* Options that build a run: collected during getopt, applied in order. */
typedef struct run_opts {
    const char *preset;
    const char *sets[64];
    int n_sets;
    const char *ats[GS_MAX_SCHEDULE];
    int n_ats;
    const char *log_path;
} run_opts;

/* Records --set / --at; returns 0 or an exit code. */
int cli_add_set(run_opts *r, const char *kv);
int cli_add_at(run_opts *r, const char *spec);
/* Loads the preset, applies --set and --at, validates. 0 or an exit code. */
int cli_build_config(const run_opts *r, const char *default_preset, gs_config *cfg);
/* Opens --log if given; 0 or an exit code. */
int cli_open_log(const run_opts *r, runlog *lg, int *opened);

/* BLAS threads: requested (0 = automatic: 1 for 2-D data, all cores for images). */
void cli_set_threads(int requested, const gs_config *cfg);

/* Image and 2-D quality metrics shared by eval, train and sweep (cmd_eval.c). */
#define CLI_EVAL_SEED 0x6576616cULL /* the same noise for every image evaluation */
/* 2-D data: the noise of the session's mode metrics (MODES_SEED in session.c),
 * so that eval records and `eval --load` agree with train's own records. */
#define CLI_EVAL_POINTS_SEED 0x6d6f646573ULL
#define CLI_EVAL_IMAGES_N    10000
#define CLI_EVAL_POINTS_N    2500
typedef struct cli_evaluator {
    classifier clf;
    gauss_stats ref; /* features of the real test images */
} cli_evaluator;
/* Loads the cached classifier for ds, or trains it (its accuracy on stderr), and
 * computes the reference; 0 or an exit code (the message is printed). */
int cli_evaluator_open(cli_evaluator *ev, const dataset *ds);
void cli_evaluator_close(cli_evaluator *ev);
/* n generator samples scored against the modes of a 2-D data set. */
gs_status cli_eval_points(gan *gn, long n, uint64_t seed, mode_stats *out, gs_error *err);
/* JSON members ", \"classes\": ..." for image metrics / mode statistics. */
void cli_json_image_metrics(FILE *fp, const image_metrics *m, float accuracy);
void cli_json_modes(FILE *fp, const mode_stats *m);

/* `train --eval-every N` and the image metrics of train's summary. */
struct session;
typedef struct cli_train_eval {
    long every; /* eval record interval, 0 for none */
    int images; /* clf is open */
    cli_evaluator clf;
    long step; /* step of the metrics below, -1 for none */
    image_metrics im;
    mode_stats ms;
    double seconds; /* time spent evaluating */
} cli_train_eval;
/* Opens the classifier for image data; 0 or an exit code. */
int cli_train_eval_open(cli_train_eval *ev, long every, struct session *s);
/* After each step: an "eval" record on the JSON logs when the step is due. */
void cli_train_eval_step(cli_train_eval *ev, struct session *s);
/* After the last step: the final image metrics. */
void cli_train_eval_finish(cli_train_eval *ev, struct session *s);
/* The summary record, with the image metrics for image data. */
void cli_train_eval_summary(cli_train_eval *ev, struct session *s);
void cli_train_eval_close(cli_train_eval *ev);

int cmd_train(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_sample(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_presets(int argc, char **argv);
int cmd_keys(int argc, char **argv);
int cmd_live(int argc, char **argv, int force); /* the window / terminal lab */

#endif
