/* cmd_sweep.c - `ganscope sweep`: the activation study from one command. The
 * grid of configurations (the product of every --vary list) x seeds x presets
 * runs as child processes (`ganscope train ... --log DIR/runs/NAME.jsonl`), at
 * most --jobs at a time. A run's log is written under a temporary name and
 * renamed when the run exits cleanly, so a rerun of the same command skips the
 * finished runs and redoes only the others. Then DIR/results.csv (one row per
 * run), DIR/report.md (per preset: mean ± standard error over seeds, best
 * first) and PNG plots drawn here with a 5x7 bitmap font and written by the
 * project's PNG writer. --emit-jobs prints the command lines instead. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "engine.h"
#include "fileio.h"
#include "pngio.h"
#include "preset.h"

#define MAX_PRESETS 8
#define MAX_VARY    8
#define MAX_VALUES  64
#define MAX_RUNS    100000
#define OUT_MAX     1024
#define RUN_PATH    1500 /* OUT_MAX + /runs/ + a run name + a suffix */

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig) {
    (void)sig;
    stop_requested = 1;
}

/* ---- the metrics a run reports ---- */
enum {
    M_D_LOSS,
    M_G_LOSS,
    M_D_REAL,
    M_D_FAKE,
    M_MODES,
    M_HQ,
    M_KL,
    M_CLASSES,
    M_CONF,
    M_FCD,
    M_SPS,
    M_COUNT
};

static const struct metric_info {
    const char *key;   /* JSON member and CSV column */
    const char *label; /* report column */
    const char *fmt;   /* for a mean and a standard error */
} metric_info[M_COUNT] = {
    [M_D_LOSS] = {"d_loss", "D loss", "%.3f"},
    [M_G_LOSS] = {"g_loss", "G loss", "%.3f"},
    [M_D_REAL] = {"d_real", "D(x)", "%.3f"},
    [M_D_FAKE] = {"d_fake", "D(G(z))", "%.3f"},
    [M_MODES] = {"modes", "modes", "%.2f"},
    [M_HQ] = {"hq", "hq", "%.3f"},
    [M_KL] = {"kl", "kl", "%.3f"},
    [M_CLASSES] = {"classes", "classes", "%.2f"},
    [M_CONF] = {"confidence", "confidence", "%.3f"},
    [M_FCD] = {"fcd", "FCD", "%.2f"},
    [M_SPS] = {"steps_per_s", "steps/s", "%.0f"},
};

typedef enum { KIND_MODES, KIND_IMAGES, KIND_OTHER } preset_kind;

/* Per kind: the report's columns (main metric first), the bar plots, the curves. */
static const int table_modes[] = {M_MODES, M_HQ, M_KL, M_D_LOSS, M_G_LOSS, M_SPS, -1};
static const int table_images[] = {M_FCD, M_CLASSES, M_KL, M_CONF, M_D_LOSS, M_G_LOSS, M_SPS, -1};
static const int table_other[] = {M_D_LOSS, M_G_LOSS, M_D_REAL, M_D_FAKE, M_SPS, -1};
static const int bars_modes[] = {M_MODES, M_HQ, -1};
static const int bars_images[] = {M_FCD, M_CLASSES, -1};
static const int bars_other[] = {M_D_LOSS, M_G_LOSS, -1};
static const int curves_modes[] = {M_HQ, M_D_LOSS, M_G_LOSS, -1};
static const int curves_images[] = {M_FCD, M_D_LOSS, M_G_LOSS, -1};
static const int curves_other[] = {M_D_LOSS, M_G_LOSS, -1};

typedef struct curve {
    long *step;
    double *val;
    int n, cap;
} curve;

typedef enum { RUN_PENDING, RUN_RUNNING, RUN_DONE, RUN_FAILED } run_state;

typedef struct run {
    int preset;
    int config;          /* index of the configuration within the preset */
    int value[MAX_VARY]; /* index into each --vary list */
    unsigned long long seed;
    char name[400];
    run_state state;
    int reused; /* finished by an earlier invocation */
    pid_t pid;
    double t_start;
    double final[M_COUNT]; /* summary record; NaN when absent */
    curve curves[M_COUNT];
} run;

typedef struct vary {
    char key[160];
    int n;
    char *values[MAX_VALUES]; /* into text */
    char *text;
} vary;

typedef struct sweep {
    int n_presets;
    const char *preset_arg[MAX_PRESETS];
    char preset_path[MAX_PRESETS][PATH_MAX]; /* as passed to the children */
    gs_config cfg[MAX_PRESETS];
    preset_kind kind[MAX_PRESETS];
    long steps[MAX_PRESETS];
    int n_vary;
    vary vary[MAX_VARY];
    int n_configs; /* per preset */
    long seeds, steps_opt, jobs, eval_every;
    char out[OUT_MAX];
    char exe[PATH_MAX];
    run *runs;
    long n_runs;
} sweep;

static void usage(FILE *fp) {
    fputs("usage: ganscope sweep --preset P [--preset P2]... [--vary SECTION.KEY=V1,V2,...]...\n"
          "                      [--seeds K] [--steps N] --out DIR [--jobs J] [--eval-every N]\n"
          "                      [--emit-jobs]\n"
          "Train every configuration of the grid (the product of the --vary lists) with\n"
          "seeds 1..K, as `ganscope train` child processes, then write DIR/results.csv,\n"
          "DIR/report.md (mean +- standard error over seeds, best first) and PNG plots.\n"
          "Rerunning the same command skips the runs that finished (DIR/runs/*.jsonl).\n"
          "  --preset P      builtin preset or .ini file (repeatable: one table each)\n"
          "  --vary K=V,...  a preset key and the values it takes (repeatable)\n"
          "  --seeds K       seeds 1..K per configuration (default 3)\n"
          "  --steps N       training steps per run (default: the preset's)\n"
          "  --out DIR       output folder (created)\n"
          "  --jobs J        runs at once (default: the number of cores)\n"
          "  --eval-every N  eval records every N steps (default for images: steps/5)\n"
          "  --emit-jobs     print one shell command per unfinished run instead of\n"
          "                  running it (for GNU parallel or a job array); rerun\n"
          "                  without --emit-jobs afterwards to write the report\n",
          fp);
}

/* ---- small helpers ---- */
static double now_s(void) {
    return engine_now();
}

static int mkdir_p(const char *path) {
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(buf, 0755) && errno != EEXIST) return -1;
        *p = '/';
    }
    if (mkdir(buf, 0755) && errno != EEXIST) return -1;
    struct stat sb;
    return stat(buf, &sb) == 0 && S_ISDIR(sb.st_mode) ? 0 : -1;
}

/* Keeps a value usable in a file name. */
static void name_part(char *dst, size_t n, const char *s) {
    size_t j = 0;
    for (; *s && j + 1 < n; s++) {
        char c = *s;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '-' || c == '_';
        dst[j++] = ok ? c : '_';
    }
    dst[j] = '\0';
}

static void shell_quote(FILE *fp, const char *s) {
    int plain = *s != '\0';
    for (const char *p = s; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./=,:+-@%", *p))
            plain = 0;
    if (plain) {
        fputs(s, fp);
        return;
    }
    fputc('\'', fp);
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", fp);
        else
            fputc(*s, fp);
    }
    fputc('\'', fp);
}

static void run_path(const sweep *sw, const run *r, const char *suffix, char *buf, size_t n) {
    snprintf(buf, n, "%.1000s/runs/%s%s", sw->out, r->name, suffix);
}

/* ---- the grid ---- */
static int parse_vary(sweep *sw, const char *arg) {
    if (sw->n_vary >= MAX_VARY) return cli_bad("sweep: at most %d --vary options", MAX_VARY);
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1])
        return cli_bad("--vary %s: expected SECTION.KEY=V1,V2,...", arg);
    vary *v = &sw->vary[sw->n_vary];
    if ((size_t)(eq - arg) >= sizeof v->key) return cli_bad("--vary %s: key too long", arg);
    memcpy(v->key, arg, eq - arg);
    v->key[eq - arg] = '\0';
    if (strcmp(v->key, "train.steps") == 0 || strcmp(v->key, "train.seed") == 0)
        return cli_bad("--vary %s: use --steps and --seeds for %s", arg, v->key);
    for (int i = 0; i < sw->n_vary; i++)
        if (strcmp(sw->vary[i].key, v->key) == 0)
            return cli_bad("--vary %s: key %s is varied twice", arg, v->key);
    v->text = strdup(eq + 1);
    if (!v->text) return cli_bad("sweep: out of memory");
    v->n = 0;
    char *save = NULL;
    for (char *tok = v->text;; tok = NULL) {
        char *val = strtok_r(tok, ",", &save);
        if (!val) break;
        if (v->n >= MAX_VALUES) return cli_bad("--vary %s: at most %d values", arg, MAX_VALUES);
        v->values[v->n++] = val;
    }
    /* strtok skips empty fields: an empty value shows as fewer values than commas + 1 */
    int commas = 0;
    for (const char *p = eq + 1; *p; p++) commas += *p == ',';
    if (v->n != commas + 1) return cli_bad("--vary %s: an empty value", arg);
    sw->n_vary++;
    return 0;
}

/* The --set values of one configuration into cfg; 0 or an exit code. */
static int apply_config(const sweep *sw, const int *value, gs_config *cfg) {
    for (int k = 0; k < sw->n_vary; k++) {
        char setting[400];
        gs_error err;
        snprintf(setting, sizeof setting, "%s=%s", sw->vary[k].key, sw->vary[k].values[value[k]]);
        if (preset_set(cfg, setting, &err)) return cli_bad("--vary %s: %s", setting, err.msg);
    }
    gs_error err;
    if (preset_validate(cfg, &err)) return cli_bad("sweep: %s", err.msg);
    return 0;
}

static void config_values(const sweep *sw, int config, int *value) {
    for (int k = sw->n_vary - 1; k >= 0; k--) {
        value[k] = config % sw->vary[k].n;
        config /= sw->vary[k].n;
    }
}

static int build_grid(sweep *sw) {
    long configs = 1;
    for (int k = 0; k < sw->n_vary; k++) configs *= sw->vary[k].n;
    long total = configs * sw->seeds * sw->n_presets;
    if (total > MAX_RUNS) return cli_bad("sweep: %ld runs is more than %d", total, MAX_RUNS);
    sw->n_configs = (int)configs;
    for (int p = 0; p < sw->n_presets; p++) {
        gs_config *cfg = &sw->cfg[p];
        gs_error err;
        preset_defaults(cfg);
        if (preset_load(sw->preset_arg[p], cfg, &err)) return cli_bad("%s", err.msg);
        if (preset_validate(cfg, &err)) return cli_bad("%s", err.msg);
        const char *src = cfg->data.source;
        sw->kind[p] = strcmp(src, "idx") == 0                                   ? KIND_IMAGES
                      : strcmp(src, "ring8") == 0 || strcmp(src, "grid25") == 0 ? KIND_MODES
                                                                                : KIND_OTHER;
        sw->steps[p] = sw->steps_opt > 0 ? sw->steps_opt : cfg->train.steps;
        /* Children may run from another folder (--emit-jobs): a preset file by
         * its absolute path, a builtin by name. */
        const char *arg = sw->preset_arg[p];
        char real[PATH_MAX];
        if (strncmp(cfg->origin, "builtin:", 8) != 0 && realpath(arg, real))
            snprintf(sw->preset_path[p], sizeof sw->preset_path[p], "%s", real);
        else
            snprintf(sw->preset_path[p], sizeof sw->preset_path[p], "%s", arg);
        for (int q = 0; q < p; q++)
            if (strcmp(sw->cfg[q].name, cfg->name) == 0)
                return cli_bad("sweep: two presets named %s", cfg->name);
    }
    /* Every value and every combination, checked before anything runs. */
    for (int p = 0; p < sw->n_presets; p++)
        for (int c = 0; c < sw->n_configs; c++) {
            int value[MAX_VARY];
            config_values(sw, c, value);
            gs_config tmp = sw->cfg[p];
            int rc = apply_config(sw, value, &tmp);
            if (rc) return rc;
        }
    sw->runs = calloc((size_t)total, sizeof *sw->runs);
    if (!sw->runs) return cli_bad("sweep: out of memory for %ld runs", total);
    sw->n_runs = total;
    long i = 0;
    for (int p = 0; p < sw->n_presets; p++)
        for (int c = 0; c < sw->n_configs; c++)
            for (long s = 1; s <= sw->seeds; s++, i++) {
                run *r = &sw->runs[i];
                r->preset = p;
                r->config = c;
                r->seed = (unsigned long long)s;
                config_values(sw, c, r->value);
                char name[400];
                size_t len = (size_t)snprintf(name, sizeof name, "%s", sw->cfg[p].name);
                for (int k = 0; k < sw->n_vary && len < sizeof name; k++) {
                    char key[160], val[160];
                    name_part(key, sizeof key, sw->vary[k].key);
                    name_part(val, sizeof val, sw->vary[k].values[r->value[k]]);
                    len += (size_t)snprintf(name + len, sizeof name - len, "__%s-%s", key, val);
                }
                if (len < sizeof name)
                    snprintf(name + len, sizeof name - len, "__seed%lld", (long long)s);
                name_part(r->name, sizeof r->name, name);
                for (int m = 0; m < M_COUNT; m++) r->final[m] = NAN;
            }
    return 0;
}

/* ---- the JSON Lines a run wrote ---- */
static int json_number(const char *line, const char *key, double *out) {
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *p = strstr(line, pat);
    if (!p) return 0;
    p += strlen(pat);
    if (strncmp(p, "null", 4) == 0) {
        *out = NAN;
        return 1;
    }
    char *end;
    double v = strtod(p, &end);
    if (end == p) return 0;
    *out = v;
    return 1;
}

static int curve_add(curve *c, long step, double v) {
    if (c->n && c->step[c->n - 1] >= step) return 0;
    if (c->n == c->cap) {
        int cap = c->cap ? 2 * c->cap : 64;
        long *s = realloc(c->step, (size_t)cap * sizeof *s);
        if (!s) return -1;
        c->step = s;
        double *d = realloc(c->val, (size_t)cap * sizeof *d);
        if (!d) return -1;
        c->val = d;
        c->cap = cap;
    }
    c->step[c->n] = step;
    c->val[c->n] = v;
    c->n++;
    return 0;
}

static void run_free_curves(run *r) {
    for (int m = 0; m < M_COUNT; m++) {
        free(r->curves[m].step);
        free(r->curves[m].val);
        memset(&r->curves[m], 0, sizeof r->curves[m]);
    }
}

/* Reads a run's log; returns 1 when its last record is a summary at step `steps`
 * (the run finished), 0 otherwise. */
static int read_run(const char *path, run *r, preset_kind kind, long steps) {
    FILE *fp = fopen(path, "r");
    if (!fp) return 0;
    run_free_curves(r);
    for (int m = 0; m < M_COUNT; m++) r->final[m] = NAN;
    char *line = NULL;
    size_t cap = 0;
    int finished = 0;
    while (getline(&line, &cap, fp) > 0) {
        double step;
        if (!json_number(line, "step", &step)) continue;
        const int is_metrics = strstr(line, "\"type\": \"metrics\"") != NULL;
        const int is_eval = strstr(line, "\"type\": \"eval\"") != NULL;
        const int is_summary = strstr(line, "\"type\": \"summary\"") != NULL;
        finished = is_summary && (long)step == steps;
        if (!is_metrics && !is_eval && !is_summary) continue;
        for (int m = 0; m < M_COUNT; m++) {
            const int quality = m == M_MODES || m == M_HQ || m == M_KL || m == M_CLASSES ||
                                m == M_CONF || m == M_FCD;
            /* Curves: losses from metrics records; quality from metrics records for
             * 2-D data, from eval records for images (where metrics have none). */
            int use =
                is_summary || (quality ? (kind == KIND_IMAGES ? is_eval : is_metrics) : is_metrics);
            if (m == M_SPS) use = is_summary;
            double v;
            if (!use || !json_number(line, metric_info[m].key, &v)) continue;
            if (is_summary) r->final[m] = v;
            curve_add(&r->curves[m], (long)step, v);
        }
    }
    free(line);
    fclose(fp);
    return finished;
}

/* ---- running ---- */
static int spawn(const sweep *sw, run *r, int threads) {
    const char *argv[64 + 2 * MAX_VARY];
    char seed[32], steps[32], thr[16], every[32], part[RUN_PATH], errp[RUN_PATH];
    char sets[MAX_VARY][400];
    int a = 0;
    argv[a++] = sw->exe;
    argv[a++] = "train";
    argv[a++] = "--preset";
    argv[a++] = sw->preset_path[r->preset];
    for (int k = 0; k < sw->n_vary; k++) {
        snprintf(sets[k], sizeof sets[k], "%s=%s", sw->vary[k].key,
                 sw->vary[k].values[r->value[k]]);
        argv[a++] = "--set";
        argv[a++] = sets[k];
    }
    snprintf(seed, sizeof seed, "%llu", r->seed);
    snprintf(steps, sizeof steps, "%ld", sw->steps[r->preset]);
    snprintf(thr, sizeof thr, "%d", threads);
    argv[a++] = "--seed";
    argv[a++] = seed;
    argv[a++] = "--steps";
    argv[a++] = steps;
    argv[a++] = "--threads";
    argv[a++] = thr;
    argv[a++] = "--quiet";
    long ee = sw->eval_every;
    if (ee == 0 && sw->kind[r->preset] == KIND_IMAGES)
        ee = sw->steps[r->preset] / 5 > 0 ? sw->steps[r->preset] / 5 : 1;
    if (ee > 0) {
        snprintf(every, sizeof every, "%ld", ee);
        argv[a++] = "--eval-every";
        argv[a++] = every;
    }
    run_path(sw, r, ".jsonl.part", part, sizeof part);
    run_path(sw, r, ".err", errp, sizeof errp);
    argv[a++] = "--log";
    argv[a++] = part;
    argv[a] = NULL;
    if (!sw->jobs) { /* --emit-jobs: one shell line, renamed on success like here */
        char done[RUN_PATH];
        run_path(sw, r, ".jsonl", done, sizeof done);
        for (int i = 0; i < a; i++) {
            if (i) fputc(' ', stdout);
            shell_quote(stdout, argv[i]);
        }
        fputs(" >/dev/null && mv ", stdout);
        shell_quote(stdout, part);
        fputc(' ', stdout);
        shell_quote(stdout, done);
        fputc('\n', stdout);
        return 0;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDWR);
        int err = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (devnull >= 0) {
            dup2(devnull, STDIN_FILENO);
            dup2(devnull, STDOUT_FILENO);
        }
        if (err >= 0) dup2(err, STDERR_FILENO);
        execv(sw->exe, (char *const *)argv);
        _exit(127);
    }
    r->pid = pid;
    r->state = RUN_RUNNING;
    r->t_start = now_s();
    return 0;
}

static run *run_of_pid(sweep *sw, pid_t pid) {
    for (long i = 0; i < sw->n_runs; i++)
        if (sw->runs[i].state == RUN_RUNNING && sw->runs[i].pid == pid) return &sw->runs[i];
    return NULL;
}

/* Runs every pending run; returns the number that failed. */
static long run_all(sweep *sw, long pending) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (cores < 1) cores = 1;
    const int threads = (int)(cores / sw->jobs > 1 ? cores / sw->jobs : 1);
    long next = 0, running = 0, done = 0, failed = 0;
    while (1) {
        while (!stop_requested && running < sw->jobs && next < sw->n_runs) {
            run *r = &sw->runs[next++];
            if (r->state != RUN_PENDING) continue;
            if (spawn(sw, r, sw->kind[r->preset] == KIND_IMAGES ? threads : 1)) {
                fprintf(stderr, "ganscope: sweep: cannot start %s: %s\n", r->name, strerror(errno));
                r->state = RUN_FAILED;
                failed++;
                continue;
            }
            running++;
        }
        if (running == 0) break;
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) {
            if (errno != EINTR) break;
            /* Interrupted: the children of a terminal's Ctrl-C got it too; pass on
             * a signal sent to this process alone. They stop cleanly. */
            for (long i = 0; i < sw->n_runs; i++)
                if (sw->runs[i].state == RUN_RUNNING) kill(sw->runs[i].pid, SIGINT);
            continue;
        }
        run *r = run_of_pid(sw, pid);
        if (!r) continue;
        running--;
        char part[RUN_PATH], final[RUN_PATH], errp[RUN_PATH];
        run_path(sw, r, ".jsonl.part", part, sizeof part);
        run_path(sw, r, ".jsonl", final, sizeof final);
        run_path(sw, r, ".err", errp, sizeof errp);
        const int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        if (ok && rename(part, final) == 0) {
            r->state = RUN_DONE;
            unlink(errp);
            done++;
            fprintf(stderr, "sweep: %ld/%ld %s (%.1f s)\n", done + failed, pending, r->name,
                    now_s() - r->t_start);
        } else {
            r->state = RUN_FAILED;
            failed++;
            unlink(part);
            if (!stop_requested)
                fprintf(stderr, "ganscope: sweep: %s failed (%s %d), see %s\n", r->name,
                        WIFEXITED(status) ? "exit" : "signal",
                        WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), errp);
        }
    }
    return failed;
}

/* The evaluation classifier once, before children that would each train it. */
static int prepare_classifier(const sweep *sw) {
    for (int p = 0; p < sw->n_presets; p++) {
        if (sw->kind[p] != KIND_IMAGES) continue;
        int needed = 0;
        for (long i = 0; i < sw->n_runs && !needed; i++)
            needed = sw->runs[i].preset == p && sw->runs[i].state == RUN_PENDING;
        if (!needed) continue;
        dataset ds;
        gs_error err;
        if (data_open(sw->cfg[p].data.source, sw->cfg[p].data.path, &ds, &err))
            return cli_bad("%s", err.msg);
        cli_evaluator ev;
        int rc = cli_evaluator_open(&ev, &ds);
        if (!rc) cli_evaluator_close(&ev);
        data_close(&ds);
        if (rc) return rc;
    }
    return 0;
}

/* ---- statistics over seeds ---- */
typedef struct summary {
    int n;
    double mean, se; /* se NaN when n < 2 */
} summary;

static summary summarise(const double *v, int n) {
    summary s = {0, NAN, NAN};
    double sum = 0;
    for (int i = 0; i < n; i++)
        if (isfinite(v[i])) sum += v[i], s.n++;
    if (!s.n) return s;
    s.mean = sum / s.n;
    if (s.n > 1) {
        double ss = 0;
        for (int i = 0; i < n; i++)
            if (isfinite(v[i])) ss += (v[i] - s.mean) * (v[i] - s.mean);
        s.se = sqrt(ss / (s.n - 1)) / sqrt((double)s.n);
    }
    return s;
}

/* Mean and standard error of metric m over the finished seeds of one configuration. */
static summary config_summary(const sweep *sw, int p, int c, int m) {
    double v[1024];
    int n = 0;
    for (long i = 0; i < sw->n_runs && n < 1024; i++) {
        const run *r = &sw->runs[i];
        if (r->preset == p && r->config == c && r->state == RUN_DONE) v[n++] = r->final[m];
    }
    return summarise(v, n);
}

static int config_runs(const sweep *sw, int p, int c) {
    int n = 0;
    for (long i = 0; i < sw->n_runs; i++)
        n += sw->runs[i].preset == p && sw->runs[i].config == c && sw->runs[i].state == RUN_DONE;
    return n;
}

/* The mean curve over seeds: the first finished seed's steps, averaged over every
 * seed that has that step. */
static void config_curve(const sweep *sw, int p, int c, int m, curve *out) {
    memset(out, 0, sizeof *out);
    const run *first = NULL;
    for (long i = 0; i < sw->n_runs && !first; i++)
        if (sw->runs[i].preset == p && sw->runs[i].config == c && sw->runs[i].state == RUN_DONE)
            first = &sw->runs[i];
    if (!first) return;
    const curve *fc = &first->curves[m];
    for (int j = 0; j < fc->n; j++) {
        double sum = 0;
        int n = 0;
        for (long i = 0; i < sw->n_runs; i++) {
            const run *r = &sw->runs[i];
            if (r->preset != p || r->config != c || r->state != RUN_DONE) continue;
            const curve *rc = &r->curves[m];
            for (int k = 0; k < rc->n; k++)
                if (rc->step[k] == fc->step[j] && isfinite(rc->val[k])) {
                    sum += rc->val[k];
                    n++;
                    break;
                }
        }
        if (n && curve_add(out, fc->step[j], sum / n)) return;
    }
}

static const int *kind_table(preset_kind k) {
    return k == KIND_MODES ? table_modes : k == KIND_IMAGES ? table_images : table_other;
}

/* Best first: most modes then highest hq for 2-D data; lowest FCD for images;
 * lowest G loss otherwise. NaN (no finished run, a diverged run) last. */
static const sweep *sort_sw;
static int sort_preset;

static double sort_key(int c, int which) {
    const preset_kind k = sort_sw->kind[sort_preset];
    if (k == KIND_MODES) {
        double v = config_summary(sort_sw, sort_preset, c, which ? M_HQ : M_MODES).mean;
        return isfinite(v) ? -v : INFINITY;
    }
    if (which) return 0;
    double v = config_summary(sort_sw, sort_preset, c, k == KIND_IMAGES ? M_FCD : M_G_LOSS).mean;
    return isfinite(v) ? v : INFINITY;
}

static int cmp_config(const void *a, const void *b) {
    const int ca = *(const int *)a, cb = *(const int *)b;
    for (int which = 0; which < 2; which++) {
        double ka = sort_key(ca, which), kb = sort_key(cb, which);
        if (ka < kb) return -1;
        if (ka > kb) return 1;
    }
    return ca - cb;
}

static void config_label(const sweep *sw, int c, char *buf, size_t n) {
    int value[MAX_VARY];
    config_values(sw, c, value);
    size_t len = 0;
    buf[0] = '\0';
    for (int k = 0; k < sw->n_vary && len < n; k++)
        len += (size_t)snprintf(buf + len, n - len, "%s%s", k ? ", " : "",
                                sw->vary[k].values[value[k]]);
    if (!sw->n_vary) snprintf(buf, n, "preset");
}

/* ---- plots: a tiny RGB rasteriser ---- */
typedef struct canvas {
    int w, h;
    uint8_t *px; /* (h, w, 3) */
} canvas;

typedef struct rgb {
    uint8_t r, g, b;
} rgb;

static const rgb black = {0, 0, 0}, grey = {200, 200, 200};
/* Ten distinguishable colours (the common "tab10" palette). */
static const rgb palette[10] = {{31, 119, 180},  {255, 127, 14}, {44, 160, 44},   {214, 39, 40},
                                {148, 103, 189}, {140, 86, 75},  {227, 119, 194}, {127, 127, 127},
                                {188, 189, 34},  {23, 190, 207}};

/* The classic public-domain 5x7 LCD font, ASCII 32..126: five column bytes per
 * glyph, bit 0 at the top. */
static const uint8_t font5x7[95][5] = {
    {0x00, 0x00, 0x00, 0x00, 0x00}, {0x00, 0x00, 0x5F, 0x00, 0x00}, {0x00, 0x07, 0x00, 0x07, 0x00},
    {0x14, 0x7F, 0x14, 0x7F, 0x14}, {0x24, 0x2A, 0x7F, 0x2A, 0x12}, {0x23, 0x13, 0x08, 0x64, 0x62},
    {0x36, 0x49, 0x55, 0x22, 0x50}, {0x00, 0x05, 0x03, 0x00, 0x00}, {0x00, 0x1C, 0x22, 0x41, 0x00},
    {0x00, 0x41, 0x22, 0x1C, 0x00}, {0x08, 0x2A, 0x1C, 0x2A, 0x08}, {0x08, 0x08, 0x3E, 0x08, 0x08},
    {0x00, 0x50, 0x30, 0x00, 0x00}, {0x08, 0x08, 0x08, 0x08, 0x08}, {0x00, 0x60, 0x60, 0x00, 0x00},
    {0x20, 0x10, 0x08, 0x04, 0x02}, {0x3E, 0x51, 0x49, 0x45, 0x3E}, {0x00, 0x42, 0x7F, 0x40, 0x00},
    {0x42, 0x61, 0x51, 0x49, 0x46}, {0x21, 0x41, 0x45, 0x4B, 0x31}, {0x18, 0x14, 0x12, 0x7F, 0x10},
    {0x27, 0x45, 0x45, 0x45, 0x39}, {0x3C, 0x4A, 0x49, 0x49, 0x30}, {0x01, 0x71, 0x09, 0x05, 0x03},
    {0x36, 0x49, 0x49, 0x49, 0x36}, {0x06, 0x49, 0x49, 0x29, 0x1E}, {0x00, 0x36, 0x36, 0x00, 0x00},
    {0x00, 0x56, 0x36, 0x00, 0x00}, {0x08, 0x14, 0x22, 0x41, 0x00}, {0x14, 0x14, 0x14, 0x14, 0x14},
    {0x00, 0x41, 0x22, 0x14, 0x08}, {0x02, 0x01, 0x51, 0x09, 0x06}, {0x32, 0x49, 0x79, 0x41, 0x3E},
    {0x7E, 0x11, 0x11, 0x11, 0x7E}, {0x7F, 0x49, 0x49, 0x49, 0x36}, {0x3E, 0x41, 0x41, 0x41, 0x22},
    {0x7F, 0x41, 0x41, 0x22, 0x1C}, {0x7F, 0x49, 0x49, 0x49, 0x41}, {0x7F, 0x09, 0x09, 0x01, 0x01},
    {0x3E, 0x41, 0x41, 0x51, 0x32}, {0x7F, 0x08, 0x08, 0x08, 0x7F}, {0x00, 0x41, 0x7F, 0x41, 0x00},
    {0x20, 0x40, 0x41, 0x3F, 0x01}, {0x7F, 0x08, 0x14, 0x22, 0x41}, {0x7F, 0x40, 0x40, 0x40, 0x40},
    {0x7F, 0x02, 0x04, 0x02, 0x7F}, {0x7F, 0x04, 0x08, 0x10, 0x7F}, {0x3E, 0x41, 0x41, 0x41, 0x3E},
    {0x7F, 0x09, 0x09, 0x09, 0x06}, {0x3E, 0x41, 0x51, 0x21, 0x5E}, {0x7F, 0x09, 0x19, 0x29, 0x46},
    {0x46, 0x49, 0x49, 0x49, 0x31}, {0x01, 0x01, 0x7F, 0x01, 0x01}, {0x3F, 0x40, 0x40, 0x40, 0x3F},
    {0x1F, 0x20, 0x40, 0x20, 0x1F}, {0x7F, 0x20, 0x18, 0x20, 0x7F}, {0x63, 0x14, 0x08, 0x14, 0x63},
    {0x03, 0x04, 0x78, 0x04, 0x03}, {0x61, 0x51, 0x49, 0x45, 0x43}, {0x00, 0x00, 0x7F, 0x41, 0x41},
    {0x02, 0x04, 0x08, 0x10, 0x20}, {0x41, 0x41, 0x7F, 0x00, 0x00}, {0x04, 0x02, 0x01, 0x02, 0x04},
    {0x40, 0x40, 0x40, 0x40, 0x40}, {0x00, 0x01, 0x02, 0x04, 0x00}, {0x20, 0x54, 0x54, 0x54, 0x78},
    {0x7F, 0x48, 0x44, 0x44, 0x38}, {0x38, 0x44, 0x44, 0x44, 0x20}, {0x38, 0x44, 0x44, 0x48, 0x7F},
    {0x38, 0x54, 0x54, 0x54, 0x18}, {0x08, 0x7E, 0x09, 0x01, 0x02}, {0x08, 0x14, 0x54, 0x54, 0x3C},
    {0x7F, 0x08, 0x04, 0x04, 0x78}, {0x00, 0x44, 0x7D, 0x40, 0x00}, {0x20, 0x40, 0x44, 0x3D, 0x00},
    {0x00, 0x7F, 0x10, 0x28, 0x44}, {0x00, 0x41, 0x7F, 0x40, 0x00}, {0x7C, 0x04, 0x18, 0x04, 0x78},
    {0x7C, 0x08, 0x04, 0x04, 0x78}, {0x38, 0x44, 0x44, 0x44, 0x38}, {0x7C, 0x14, 0x14, 0x14, 0x08},
    {0x08, 0x14, 0x14, 0x18, 0x7C}, {0x7C, 0x08, 0x04, 0x04, 0x08}, {0x48, 0x54, 0x54, 0x54, 0x20},
    {0x04, 0x3F, 0x44, 0x40, 0x20}, {0x3C, 0x40, 0x40, 0x20, 0x7C}, {0x1C, 0x20, 0x40, 0x20, 0x1C},
    {0x3C, 0x40, 0x30, 0x40, 0x3C}, {0x44, 0x28, 0x10, 0x28, 0x44}, {0x0C, 0x50, 0x50, 0x50, 0x3C},
    {0x44, 0x64, 0x54, 0x4C, 0x44}, {0x00, 0x08, 0x36, 0x41, 0x00}, {0x00, 0x00, 0x7F, 0x00, 0x00},
    {0x00, 0x41, 0x36, 0x08, 0x00}, {0x08, 0x08, 0x2A, 0x1C, 0x08},
};

#define GLYPH_W 6 /* advance, one column of space */
#define LINE_H  11

static int canvas_init(canvas *cv, int w, int h) {
    cv->w = w;
    cv->h = h;
    cv->px = malloc((size_t)w * h * 3);
    if (!cv->px) return -1;
    memset(cv->px, 255, (size_t)w * h * 3);
    return 0;
}

static void put(canvas *cv, int x, int y, rgb c) {
    if (x < 0 || y < 0 || x >= cv->w || y >= cv->h) return;
    uint8_t *p = cv->px + ((size_t)y * cv->w + x) * 3;
    p[0] = c.r, p[1] = c.g, p[2] = c.b;
}

static void fill(canvas *cv, int x0, int y0, int x1, int y1, rgb c) {
    if (x0 > x1) {
        int t = x0;
        x0 = x1;
        x1 = t;
    }
    if (y0 > y1) {
        int t = y0;
        y0 = y1;
        y1 = t;
    }
    for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++) put(cv, x, y, c);
}

static void line(canvas *cv, int x0, int y0, int x1, int y1, rgb c) {
    int dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
    int e = dx + dy;
    for (;;) { /* Bresenham */
        put(cv, x0, y0, c);
        if (x0 == x1 && y0 == y1) break;
        int e2 = 2 * e;
        if (e2 >= dy) e += dy, x0 += sx;
        if (e2 <= dx) e += dx, y0 += sy;
    }
}

static int text(canvas *cv, int x, int y, const char *s, rgb c) {
    int x0 = x;
    for (; *s; s++, x += GLYPH_W) {
        unsigned ch = (unsigned char)*s;
        if (ch < 32 || ch > 126) ch = '?';
        const uint8_t *g = font5x7[ch - 32];
        for (int col = 0; col < 5; col++)
            for (int row = 0; row < 7; row++)
                if (g[col] >> row & 1) put(cv, x + col, y + row, c);
    }
    return x - x0;
}

static int text_w(const char *s) {
    return (int)strlen(s) * GLYPH_W;
}

/* A tick step of 1, 2 or 5 times a power of ten giving about n ticks. */
static double nice_step(double range, int n) {
    double raw = range / n, p = pow(10.0, floor(log10(raw))), f = raw / p;
    return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * p;
}

static void tick_label(char *buf, size_t n, double v, double step) {
    int dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
    if (fabs(v) < step * 1e-6) v = 0;
    if (fabs(v) >= 1e5)
        snprintf(buf, n, "%.0e", v);
    else
        snprintf(buf, n, "%.*f", dec, v);
}

typedef struct axes {
    int x0, y0, x1, y1; /* plot box in pixels: left, top, right, bottom */
    double xlo, xhi, ylo, yhi;
} axes;

static int ax_x(const axes *a, double x) {
    return a->x0 + (int)lround((x - a->xlo) / (a->xhi - a->xlo) * (a->x1 - a->x0));
}
static int ax_y(const axes *a, double y) {
    return a->y1 - (int)lround((y - a->ylo) / (a->yhi - a->ylo) * (a->y1 - a->y0));
}

/* Panel frame, title, y ticks with grid lines, and x ticks when xticks. */
static void draw_axes(canvas *cv, axes *a, const char *title, int xticks) {
    if (!(a->yhi > a->ylo)) a->yhi = a->ylo + 1;
    double st = nice_step(a->yhi - a->ylo, 5);
    a->ylo = floor(a->ylo / st + 1e-9) * st;
    a->yhi = ceil(a->yhi / st - 1e-9) * st;
    if (!(a->yhi > a->ylo)) a->yhi = a->ylo + st;
    for (double v = a->ylo; v <= a->yhi + st * 1e-6; v += st) {
        int y = ax_y(a, v);
        line(cv, a->x0, y, a->x1, y, grey);
        line(cv, a->x0 - 3, y, a->x0, y, black);
        char lab[32];
        tick_label(lab, sizeof lab, v, st);
        text(cv, a->x0 - 5 - text_w(lab), y - 3, lab, black);
    }
    if (xticks && a->xhi > a->xlo) {
        double sx = nice_step(a->xhi - a->xlo, 4);
        for (double v = ceil(a->xlo / sx) * sx; v <= a->xhi + sx * 1e-6; v += sx) {
            int x = ax_x(a, v);
            line(cv, x, a->y1, x, a->y1 + 3, black);
            char lab[32];
            tick_label(lab, sizeof lab, v, sx);
            text(cv, x - text_w(lab) / 2, a->y1 + 6, lab, black);
        }
    }
    line(cv, a->x0, a->y0, a->x0, a->y1, black);
    line(cv, a->x0, a->y1, a->x1, a->y1, black);
    text(cv, (a->x0 + a->x1) / 2 - text_w(title) / 2, a->y0 - 14, title, black);
}

/* Bars of mean per configuration (in the given order) with standard-error bars. */
static void bar_panel(canvas *cv, int px, int py, int pw, int ph, const char *title, int n,
                      const int *order, const summary *s) {
    axes a = {px + 50, py + 22, px + pw - 10, py + ph - 22, 0, 1, 0, 1};
    double lo = 0, hi = 0;
    for (int i = 0; i < n; i++) {
        if (!isfinite(s[i].mean)) continue;
        double e = isfinite(s[i].se) ? s[i].se : 0;
        if (s[i].mean - e < lo) lo = s[i].mean - e;
        if (s[i].mean + e > hi) hi = s[i].mean + e;
    }
    a.ylo = lo;
    a.yhi = hi > lo ? hi * 1.05 : lo + 1;
    draw_axes(cv, &a, title, 0);
    const double slot = (double)(a.x1 - a.x0) / (n > 0 ? n : 1);
    const int half = (int)(slot * 0.35) > 1 ? (int)(slot * 0.35) : 1;
    for (int i = 0; i < n; i++) {
        const int c = order[i], xc = a.x0 + (int)(slot * (i + 0.5));
        char lab[16];
        snprintf(lab, sizeof lab, "%d", i + 1);
        if (slot >= text_w(lab) + 2 || i % 5 == 4)
            text(cv, xc - text_w(lab) / 2, a.y1 + 5, lab, black);
        if (!isfinite(s[i].mean)) continue;
        fill(cv, xc - half, ax_y(&a, s[i].mean), xc + half, ax_y(&a, 0) - (s[i].mean >= 0),
             palette[c % 10]);
        if (isfinite(s[i].se) && s[i].se > 0) {
            const int ylo = ax_y(&a, s[i].mean - s[i].se), yhi = ax_y(&a, s[i].mean + s[i].se);
            const int cap = half / 2 > 2 ? half / 2 : 2;
            line(cv, xc, ylo, xc, yhi, black);
            line(cv, xc - cap, ylo, xc + cap, ylo, black);
            line(cv, xc - cap, yhi, xc + cap, yhi, black);
        }
    }
}

/* One line per configuration over steps. */
static void curve_panel(canvas *cv, int px, int py, int pw, int ph, const char *title, int n,
                        const curve *cs) {
    axes a = {px + 50, py + 22, px + pw - 10, py + ph - 22, 0, 1, INFINITY, -INFINITY};
    for (int c = 0; c < n; c++)
        for (int j = 0; j < cs[c].n; j++) {
            const double v = cs[c].val[j];
            if (!isfinite(v)) continue;
            if (v < a.ylo) a.ylo = v;
            if (v > a.yhi) a.yhi = v;
            if (cs[c].step[j] > a.xhi) a.xhi = (double)cs[c].step[j];
        }
    if (!isfinite(a.ylo)) a.ylo = 0, a.yhi = 1;
    draw_axes(cv, &a, title, 1);
    for (int c = 0; c < n; c++) {
        int have = 0, lx = 0, ly = 0;
        for (int j = 0; j < cs[c].n; j++) {
            const double v = cs[c].val[j];
            if (!isfinite(v)) {
                have = 0;
                continue;
            }
            const int x = ax_x(&a, (double)cs[c].step[j]), y = ax_y(&a, v);
            if (have) {
                line(cv, lx, ly, x, y, palette[c % 10]);
                line(cv, lx, ly + 1, x, y + 1, palette[c % 10]);
            } else {
                fill(cv, x - 1, y - 1, x + 1, y + 1, palette[c % 10]);
            }
            have = 1, lx = x, ly = y;
        }
    }
}

/* Legend: "N  values" per configuration with its colour, under the panels. */
static void legend(canvas *cv, const sweep *sw, int x, int y, int n, const int *order,
                   int numbered) {
    char head[600];
    size_t len = (size_t)snprintf(head, sizeof head, "%s", numbered ? "bar: " : "");
    for (int k = 0; k < sw->n_vary && len < sizeof head; k++)
        len +=
            (size_t)snprintf(head + len, sizeof head - len, "%s%s", k ? ", " : "", sw->vary[k].key);
    if (!sw->n_vary) snprintf(head, sizeof head, "one configuration");
    text(cv, x, y, head, black);
    for (int i = 0; i < n; i++) {
        const int c = order[i], yy = y + (i + 1) * LINE_H;
        char lab[400], row[420];
        config_label(sw, c, lab, sizeof lab);
        fill(cv, x, yy, x + 10, yy + 6, palette[c % 10]);
        if (numbered)
            snprintf(row, sizeof row, "%d: %s", i + 1, lab);
        else
            snprintf(row, sizeof row, "%s", lab);
        text(cv, x + 16, yy, row, black);
    }
}

static const int *kind_bars(preset_kind k) {
    return k == KIND_MODES ? bars_modes : k == KIND_IMAGES ? bars_images : bars_other;
}
static const int *kind_curves(preset_kind k) {
    return k == KIND_MODES ? curves_modes : k == KIND_IMAGES ? curves_images : curves_other;
}

static int count_list(const int *l) {
    int n = 0;
    while (l[n] >= 0) n++;
    return n;
}

static int legend_width(const sweep *sw, int n) {
    int w = 0;
    for (int c = 0; c < n; c++) {
        char lab[400];
        config_label(sw, c, lab, sizeof lab);
        int t = 16 + text_w(lab) + 5 * GLYPH_W;
        if (t > w) w = t;
    }
    return w + 20;
}

static int write_png(canvas *cv, const char *path) {
    gs_error err;
    gs_status st = png_write(path, cv->w, cv->h, 3, cv->px, cv->w * 3, &err);
    free(cv->px);
    cv->px = NULL;
    if (st) fprintf(stderr, "ganscope: %s\n", err.msg);
    return st ? -1 : 0;
}

/* DIR/PRESET-final.png: the final quality per configuration, best first. */
static int plot_final(const sweep *sw, int p, const int *order, char *path, size_t pn) {
    const int n = sw->n_configs, *bars = kind_bars(sw->kind[p]), nb = count_list(bars);
    const int pw = 90 + 24 * n > 320 ? 90 + 24 * n : 320, ph = 260;
    int w = nb * pw + 20, lw = legend_width(sw, n);
    if (lw > w) w = lw;
    canvas cv;
    if (canvas_init(&cv, w, ph + 30 + LINE_H * (n + 1) + 10)) return -1;
    summary *s = malloc((size_t)n * sizeof *s);
    if (!s) return free(cv.px), -1;
    for (int b = 0; b < nb; b++) {
        for (int i = 0; i < n; i++) s[i] = config_summary(sw, p, order[i], bars[b]);
        char title[96];
        snprintf(title, sizeof title, "%s: %s (mean, se over seeds)", sw->cfg[p].name,
                 metric_info[bars[b]].label);
        bar_panel(&cv, 10 + b * pw, 8, pw, ph, title, n, order, s);
    }
    free(s);
    legend(&cv, sw, 20, ph + 24, n, order, 1);
    snprintf(path, pn, "%s/%s-final.png", sw->out, sw->cfg[p].name);
    return write_png(&cv, path);
}

/* DIR/PRESET-curves.png: quality and losses over steps, mean over seeds. */
static int plot_curves(const sweep *sw, int p, const int *order, char *path, size_t pn) {
    const int n = sw->n_configs, *cl = kind_curves(sw->kind[p]), nc = count_list(cl);
    const int pw = 340, ph = 260;
    int w = nc * pw + 20, lw = legend_width(sw, n);
    if (lw > w) w = lw;
    canvas cv;
    if (canvas_init(&cv, w, ph + 30 + LINE_H * (n + 1) + 10)) return -1;
    curve *cs = calloc((size_t)n, sizeof *cs);
    if (!cs) return free(cv.px), -1;
    for (int k = 0; k < nc; k++) {
        for (int c = 0; c < n; c++) config_curve(sw, p, c, cl[k], &cs[c]);
        char title[96];
        snprintf(title, sizeof title, "%s: %s over steps", sw->cfg[p].name,
                 metric_info[cl[k]].label);
        curve_panel(&cv, 10 + k * pw, 8, pw, ph, title, n, cs);
        for (int c = 0; c < n; c++) free(cs[c].step), free(cs[c].val);
    }
    free(cs);
    legend(&cv, sw, 20, ph + 24, n, order, 0);
    snprintf(path, pn, "%s/%s-curves.png", sw->out, sw->cfg[p].name);
    return write_png(&cv, path);
}

/* ---- results.csv and report.md ---- */
static void csv_field(FILE *fp, const char *s) {
    if (!strpbrk(s, ",\"\n")) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"') fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

static int write_results(const sweep *sw) {
    char path[RUN_PATH];
    snprintf(path, sizeof path, "%s/results.csv", sw->out);
    atomic_file f;
    gs_error err;
    if (atomic_open(&f, path, &err)) return cli_bad("%s", err.msg);
    fputs("run,preset", f.fp);
    for (int k = 0; k < sw->n_vary; k++) fputc(',', f.fp), csv_field(f.fp, sw->vary[k].key);
    fputs(",seed,steps", f.fp);
    for (int m = 0; m < M_COUNT; m++) fprintf(f.fp, ",%s", metric_info[m].key);
    fputc('\n', f.fp);
    for (long i = 0; i < sw->n_runs; i++) {
        const run *r = &sw->runs[i];
        if (r->state != RUN_DONE) continue;
        fprintf(f.fp, "%s,", r->name);
        csv_field(f.fp, sw->cfg[r->preset].name);
        for (int k = 0; k < sw->n_vary; k++)
            fputc(',', f.fp), csv_field(f.fp, sw->vary[k].values[r->value[k]]);
        fprintf(f.fp, ",%llu,%ld", r->seed, sw->steps[r->preset]);
        for (int m = 0; m < M_COUNT; m++) {
            if (isfinite(r->final[m]))
                fprintf(f.fp, ",%.6g", r->final[m]);
            else
                fputc(',', f.fp);
        }
        fputc('\n', f.fp);
    }
    if (atomic_commit(&f, &err)) return cli_bad("%s", err.msg);
    return 0;
}

static void md_cell(FILE *fp, const summary *s, const char *fmt) {
    fputs(" | ", fp);
    if (!isfinite(s->mean)) {
        fputs("–", fp);
        return;
    }
    fprintf(fp, fmt, s->mean);
    if (isfinite(s->se)) {
        fputs(" ± ", fp);
        fprintf(fp, fmt, s->se);
    }
}

static const char *base_name(const char *path) {
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int write_report(const sweep *sw, int argc, char **argv) {
    char path[RUN_PATH];
    snprintf(path, sizeof path, "%s/report.md", sw->out);
    atomic_file f;
    gs_error err;
    if (atomic_open(&f, path, &err)) return cli_bad("%s", err.msg);
    FILE *fp = f.fp;
    fputs("# Sweep report\n\nMade by\n\n```\nganscope sweep", fp);
    for (int i = 0; i < argc; i++) fputc(' ', fp), shell_quote(fp, argv[i]);
    fprintf(fp,
            "\n```\n\nEach cell is the mean ± standard error over the seeds that finished "
            "(seeds 1 to %ld); rows are best first. `modes`, `hq`, `kl` (ring8, grid25) "
            "follow the PacGAN/VEEGAN protocol on 2500 samples; `FCD`, `classes`, `kl`, "
            "`confidence` (images) come from the evaluation classifier on 10000 samples "
            "(`ganscope eval --help`). Losses and D outputs are the last step's; "
            "steps/s excludes evaluation time. One row per run is in `results.csv`, "
            "the logs are in `runs/`.\n",
            sw->seeds);
    int *order = malloc((size_t)sw->n_configs * sizeof *order);
    if (!order) {
        atomic_abort(&f);
        return cli_bad("sweep: out of memory");
    }
    for (int p = 0; p < sw->n_presets; p++) {
        for (int c = 0; c < sw->n_configs; c++) order[c] = c;
        sort_sw = sw;
        sort_preset = p;
        qsort(order, (size_t)sw->n_configs, sizeof *order, cmp_config);
        const preset_kind k = sw->kind[p];
        fprintf(fp, "\n## %s\n\n%s; %ld steps per run; best first by %s.\n\n", sw->cfg[p].name,
                sw->cfg[p].description, sw->steps[p],
                k == KIND_MODES    ? "modes, then hq"
                : k == KIND_IMAGES ? "FCD (lower is better)"
                                   : "G loss");
        fputs("| # |", fp);
        for (int v = 0; v < sw->n_vary; v++) fprintf(fp, " %s |", sw->vary[v].key);
        fputs(" runs", fp);
        const int *cols = kind_table(k);
        for (int j = 0; cols[j] >= 0; j++) fprintf(fp, " | %s", metric_info[cols[j]].label);
        fputs(" |\n|---|", fp);
        for (int v = 0; v < sw->n_vary; v++) fputs("---|", fp);
        fputs("---", fp);
        for (int j = 0; cols[j] >= 0; j++) fputs("|---", fp);
        fputs("|\n", fp);
        for (int i = 0; i < sw->n_configs; i++) {
            const int c = order[i];
            int value[MAX_VARY];
            config_values(sw, c, value);
            fprintf(fp, "| %d |", i + 1);
            for (int v = 0; v < sw->n_vary; v++) fprintf(fp, " %s |", sw->vary[v].values[value[v]]);
            fprintf(fp, " %d/%ld", config_runs(sw, p, c), sw->seeds);
            for (int j = 0; cols[j] >= 0; j++) {
                summary s = config_summary(sw, p, c, cols[j]);
                md_cell(fp, &s, metric_info[cols[j]].fmt);
            }
            fputs(" |\n", fp);
        }
        char png[RUN_PATH];
        if (plot_final(sw, p, order, png, sizeof png) == 0)
            fprintf(fp, "\n![final %s](%s)\n", sw->cfg[p].name, base_name(png));
        if (plot_curves(sw, p, order, png, sizeof png) == 0)
            fprintf(fp, "\n![curves %s](%s)\n", sw->cfg[p].name, base_name(png));
    }
    long failed = 0;
    for (long i = 0; i < sw->n_runs; i++) failed += sw->runs[i].state != RUN_DONE;
    if (failed) {
        fprintf(fp, "\n## Unfinished runs (%ld)\n\n", failed);
        for (long i = 0; i < sw->n_runs; i++)
            if (sw->runs[i].state != RUN_DONE) fprintf(fp, "- `%s`\n", sw->runs[i].name);
    }
    free(order);
    if (atomic_commit(&f, &err)) return cli_bad("%s", err.msg);
    return 0;
}

/* ---- the command ---- */
int cmd_sweep(int argc, char **argv) {
    static const struct option opts[] = {{"preset", required_argument, 0, 'p'},
                                         {"vary", required_argument, 0, 'v'},
                                         {"seeds", required_argument, 0, 'k'},
                                         {"steps", required_argument, 0, 'n'},
                                         {"out", required_argument, 0, 'o'},
                                         {"jobs", required_argument, 0, 'j'},
                                         {"eval-every", required_argument, 0, 'e'},
                                         {"emit-jobs", no_argument, 0, 'E'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    static sweep sw_storage;
    sweep *sw = &sw_storage;
    memset(sw, 0, sizeof *sw);
    sw->seeds = 3;
    sw->steps_opt = -1;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    sw->jobs = cores > 0 ? cores : 1;
    const char *out = NULL;
    int c, rc, emit = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            if (sw->n_presets >= MAX_PRESETS)
                return cli_bad("sweep: at most %d presets", MAX_PRESETS);
            sw->preset_arg[sw->n_presets++] = optarg;
            break;
        case 'v':
            if ((rc = parse_vary(sw, optarg))) return rc;
            break;
        case 'k':
            if ((rc = cli_long("--seeds", optarg, 1, 1000, &sw->seeds))) return rc;
            break;
        case 'n':
            if ((rc = cli_long("--steps", optarg, 1, 1000000000L, &sw->steps_opt))) return rc;
            break;
        case 'o':
            out = optarg;
            break;
        case 'j':
            if ((rc = cli_long("--jobs", optarg, 1, 1024, &sw->jobs))) return rc;
            break;
        case 'e':
            if ((rc = cli_long("--eval-every", optarg, 1, 1000000000L, &sw->eval_every))) return rc;
            break;
        case 'E':
            emit = 1;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return EXIT_BAD_INPUT;
        }
    }
    if (optind < argc) return cli_bad("sweep: unexpected argument '%s'", argv[optind]);
    if (!sw->n_presets) return cli_bad("sweep: --preset NAME|FILE is required");
    if (!out) return cli_bad("sweep: --out DIR is required");
    if ((rc = build_grid(sw))) return rc;
    ssize_t n = readlink("/proc/self/exe", sw->exe, sizeof sw->exe - 1);
    if (n <= 0) return cli_bad("sweep: cannot find the ganscope binary (/proc/self/exe)");
    sw->exe[n] = '\0';
    char runs_dir[RUN_PATH], real_out[PATH_MAX];
    if (mkdir_p(out))
        return cli_bad("sweep: %s: cannot create the folder: %s", out, strerror(errno));
    if (!realpath(out, real_out)) return cli_bad("sweep: %s: %s", out, strerror(errno));
    if (strlen(real_out) >= sizeof sw->out) return cli_bad("sweep: %s: path too long", out);
    memcpy(sw->out, real_out, strlen(real_out) + 1);
    snprintf(runs_dir, sizeof runs_dir, "%.1000s/runs", sw->out);
    if (mkdir_p(runs_dir))
        return cli_bad("sweep: %s: cannot create: %s", runs_dir, strerror(errno));

    /* Resume: a run whose log ends with its summary at the final step is done. */
    long pending = 0, reused = 0;
    for (long i = 0; i < sw->n_runs; i++) {
        run *r = &sw->runs[i];
        char done[RUN_PATH];
        run_path(sw, r, ".jsonl", done, sizeof done);
        if (read_run(done, r, sw->kind[r->preset], sw->steps[r->preset])) {
            r->state = RUN_DONE;
            r->reused = 1;
            reused++;
        } else {
            r->state = RUN_PENDING;
            pending++;
        }
    }
    if (emit) {
        const long jobs = sw->jobs;
        sw->jobs = 0; /* spawn prints instead of forking */
        for (long i = 0; i < sw->n_runs; i++)
            if (sw->runs[i].state == RUN_PENDING) spawn(sw, &sw->runs[i], 1);
        sw->jobs = jobs;
        for (long i = 0; i < sw->n_runs; i++) run_free_curves(&sw->runs[i]);
        free(sw->runs);
        return 0;
    }
    fprintf(stderr,
            "sweep: %ld runs (%d preset%s x %d configuration%s x %ld seed%s): %ld to run, "
            "%ld finished before\n",
            sw->n_runs, sw->n_presets, sw->n_presets > 1 ? "s" : "", sw->n_configs,
            sw->n_configs > 1 ? "s" : "", sw->seeds, sw->seeds > 1 ? "s" : "", pending, reused);
    if (pending && (rc = prepare_classifier(sw))) return rc;
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    long failed = pending ? run_all(sw, pending) : 0;
    for (long i = 0; i < sw->n_runs; i++) {
        run *r = &sw->runs[i];
        char done[RUN_PATH];
        run_path(sw, r, ".jsonl", done, sizeof done);
        if (r->state == RUN_DONE && !r->reused &&
            !read_run(done, r, sw->kind[r->preset], sw->steps[r->preset])) {
            r->state = RUN_FAILED;
            failed++;
        }
    }
    rc = write_results(sw);
    if (!rc) rc = write_report(sw, argc - 1, argv + 1);
    for (long i = 0; i < sw->n_runs; i++) run_free_curves(&sw->runs[i]);
    free(sw->runs);
    for (int k = 0; k < sw->n_vary; k++) free(sw->vary[k].text);
    if (rc) return rc;
    fprintf(stderr, "sweep: wrote %s/results.csv and %s/report.md\n", sw->out, sw->out);
    if (stop_requested) return 130;
    if (failed) {
        fprintf(stderr, "ganscope: sweep: %ld runs did not finish; rerun to retry them\n", failed);
        return 1;
    }
    return 0;
}
