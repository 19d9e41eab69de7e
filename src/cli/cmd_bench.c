/* cmd_bench.c - `ganscope bench`: times training steps of the `bench` preset
 * (the reference model, see presets/bench.ini) after a warm-up and prints one
 * JSON object. bench/compare.sh sets it against PyTorch on the same model. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "engine.h"
#include "gemm.h"

static void usage(FILE *fp) {
    fputs("usage: ganscope bench [--steps N] [--threads T] [--preset NAME|FILE] [--set K=V]...\n"
          "Time N training steps (after 20 warm-up steps) of the bench preset:\n"
          "G z100-256-512-1024-784 tanh, D 784-512-256-1, leaky_relu 0.2, batch 64, Adam.\n"
          "Prints one JSON object with steps_per_s.\n"
          "  --engine        train on the live engine's thread instead and report its steps/s\n"
          "  --reader-hz H   with --engine: copy a snapshot H times a second meanwhile,\n"
          "                  as a front-end does (0: no reader)\n"
          "  --seconds S     with --engine: how long to measure (default 10)\n",
          fp);
}

/* Training throughput of the trainer thread, with a reader copying snapshots at
 * reader_hz (0: none), measured over the trainer's own step counter. */
static int bench_engine(const gs_config *cfg, long seconds, long reader_hz) {
    engine *e;
    gs_error err;
    if (engine_start(&e, cfg, NULL, 0, &err)) return cli_bad("%s", err.msg);
    snapshot *snap = malloc(sizeof *snap);
    if (!snap) {
        engine_stop(e);
        return cli_bad("out of memory");
    }
    /* Every snapshot carries the step and the time it was published at, so a
     * rate from two snapshots is exact even when one is older than the copy
     * (with no reader the engine stops publishing a second after a copy). */
    struct timespec warm = {2, 0}, settle = {0, 300000000};
    nanosleep(&warm, NULL);
    engine_snapshot(e, snap);
    nanosleep(&settle, NULL);
    engine_snapshot(e, snap);
    long s0 = snap->step, copies = 0;
    double t0 = snap->time_s, start = engine_now();
    while (engine_now() - start < seconds) {
        if (reader_hz > 0) {
            engine_snapshot(e, snap);
            copies++;
        }
        double wait = reader_hz > 0 ? 1.0 / reader_hz : 0.05;
        struct timespec ts = {(time_t)wait, (long)((wait - (time_t)wait) * 1e9)};
        nanosleep(&ts, NULL);
    }
    engine_snapshot(e, snap);
    nanosleep(&settle, NULL);
    engine_snapshot(e, snap);
    long s1 = snap->step;
    double dt = snap->time_s - t0;
    engine_stop(e);
    free(snap);
    printf("{\"impl\": \"ganscope-engine\", \"preset\": \"%s\", \"seconds\": %.1f, "
           "\"reader_hz\": %ld, \"snapshot_copies\": %ld, \"steps\": %ld, \"steps_per_s\": %.2f}\n",
           cfg->name, dt, reader_hz, copies, s1 - s0, (s1 - s0) / dt);
    return 0;
}

int cmd_bench(int argc, char **argv) {
    static const struct option opts[] = {{"steps", required_argument, 0, 'n'},
                                         {"threads", required_argument, 0, 't'},
                                         {"preset", required_argument, 0, 'p'},
                                         {"set", required_argument, 0, 's'},
                                         {"engine", no_argument, 0, 'e'},
                                         {"reader-hz", required_argument, 0, 'r'},
                                         {"seconds", required_argument, 0, 'S'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    long steps = 300, threads = 0, reader_hz = 0, seconds = 10;
    int use_engine = 0;
    run_opts r = {0};
    int c, rc;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'n':
            if ((rc = cli_long("--steps", optarg, 1, 100000000L, &steps))) return rc;
            break;
        case 't':
            if ((rc = cli_long("--threads", optarg, 1, 256, &threads))) return rc;
            break;
        case 'p':
            r.preset = optarg;
            break;
        case 's':
            if ((rc = cli_add_set(&r, optarg))) return rc;
            break;
        case 'e':
            use_engine = 1;
            break;
        case 'r':
            if ((rc = cli_long("--reader-hz", optarg, 0, 1000, &reader_hz))) return rc;
            break;
        case 'S':
            if ((rc = cli_long("--seconds", optarg, 1, 3600, &seconds))) return rc;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return EXIT_BAD_INPUT;
        }
    }
    if (optind < argc) return cli_bad("bench: unexpected argument '%s'", argv[optind]);
    gs_config cfg;
    if ((rc = cli_build_config(&r, "bench", &cfg))) return rc;
    cli_set_threads((int)threads, &cfg);
    if (use_engine) return bench_engine(&cfg, seconds, reader_hz);
    gan gn;
    gs_error err;
    if (gan_create(&gn, &cfg, &err)) return cli_bad("%s", err.msg);
    for (int i = 0; i < 20; i++) gan_step(&gn);
    double t0 = engine_now();
    for (long i = 0; i < steps; i++) gan_step(&gn);
    double dt = engine_now() - t0;
    printf("{\"impl\": \"ganscope\", \"preset\": \"%s\", \"steps\": %ld, \"threads\": %d, "
           "\"batch\": %d, \"steps_per_s\": %.2f, \"ms_per_step\": %.3f, \"d_loss\": %.4f}\n",
           cfg.name, steps, gemm_get_threads(), cfg.train.batch, steps / dt, 1000.0 * dt / steps,
           gn.last.d_loss);
    gan_free(&gn);
    return 0;
}
