/* cli.h - helpers shared by the subcommands of `ganscope`: strict number
 * parsing, the common run options (--preset, --set, --at, --log) and the
 * convention that bad input is one line on stderr and exit code 2. */
#ifndef GS_CLI_H
#define GS_CLI_H

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

int cmd_train(int argc, char **argv);
int cmd_sample(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_presets(int argc, char **argv);
int cmd_keys(int argc, char **argv);
int cmd_live(int argc, char **argv, int force); /* the window / terminal lab */

#endif
