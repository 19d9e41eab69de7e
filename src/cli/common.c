/* common.c - option parsing shared by the subcommands. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "engine.h"
#include "gemm.h"
#include "preset.h"

int cli_bad(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("ganscope: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return EXIT_BAD_INPUT;
}

int cli_long(const char *opt, const char *s, long lo, long hi, long *out) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno || v < lo || v > hi)
        return cli_bad("%s %s: expected an integer from %ld to %ld", opt, s, lo, hi);
    *out = v;
    return 0;
}

int cli_u64(const char *opt, const char *s, unsigned long long *out) {
    char *end;
    errno = 0;
    if (*s == '-') return cli_bad("%s %s: expected a non-negative integer", opt, s);
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || *end || errno) return cli_bad("%s %s: expected a non-negative integer", opt, s);
    *out = v;
    return 0;
}

int cli_add_set(run_opts *r, const char *kv) {
    if (r->n_sets >= (int)(sizeof r->sets / sizeof r->sets[0]))
        return cli_bad("too many --set options");
    r->sets[r->n_sets++] = kv;
    return 0;
}

int cli_add_at(run_opts *r, const char *spec) {
    if (r->n_ats >= GS_MAX_SCHEDULE) return cli_bad("too many --at options");
    r->ats[r->n_ats++] = spec;
    return 0;
}

int cli_build_config(const run_opts *r, const char *default_preset, gs_config *cfg) {
    gs_error err;
    preset_defaults(cfg);
    if (preset_load(r->preset ? r->preset : default_preset, cfg, &err))
        return cli_bad("%s", err.msg);
    for (int i = 0; i < r->n_sets; i++)
        if (preset_set(cfg, r->sets[i], &err)) return cli_bad("%s", err.msg);
    for (int i = 0; i < r->n_ats; i++) {
        const char *spec = r->ats[i], *colon = strchr(spec, ':');
        long step = 0;
        char num[32];
        if (!colon || colon == spec || (size_t)(colon - spec) >= sizeof num)
            return cli_bad("--at %s: expected STEP:section.key=value", spec);
        memcpy(num, spec, colon - spec);
        num[colon - spec] = '\0';
        if (cli_long("--at", num, 0, 1000000000L, &step)) return EXIT_BAD_INPUT;
        engine_cmd probe;
        if (engine_parse_setting(colon + 1, &probe, &err))
            return cli_bad("--at %s: %s", spec, err.msg);
        if (cfg->n_sched >= GS_MAX_SCHEDULE) return cli_bad("--at %s: schedule is full", spec);
        /* insert after every entry at the same or an earlier step: stable order */
        int pos = cfg->n_sched;
        while (pos > 0 && cfg->sched[pos - 1].step > step) pos--;
        memmove(&cfg->sched[pos + 1], &cfg->sched[pos],
                (cfg->n_sched - pos) * sizeof cfg->sched[0]);
        cfg->sched[pos].step = step;
        snprintf(cfg->sched[pos].setting, sizeof cfg->sched[pos].setting, "%s", colon + 1);
        cfg->n_sched++;
    }
    if (preset_validate(cfg, &err)) return cli_bad("%s", err.msg);
    return 0;
}

int cli_open_log(const run_opts *r, runlog *lg, int *opened) {
    *opened = 0;
    if (!r->log_path) return 0;
    gs_error err;
    if (runlog_open(lg, r->log_path, &err)) return cli_bad("%s", err.msg);
    *opened = 1;
    return 0;
}

void cli_set_threads(int requested, const gs_config *cfg) {
    int n = requested;
    if (n <= 0) {
        /* Small 2-D networks are fastest, and bit-reproducible, on one thread. */
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        n = strcmp(cfg->data.source, "idx") == 0 ? (int)(cores > 0 ? cores : 1) : 1;
    }
    gemm_set_threads(n);
}
