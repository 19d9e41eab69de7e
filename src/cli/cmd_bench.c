/* cmd_bench.c - `ganscope bench`: times training steps of the `bench` preset
 * (the reference model, see presets/bench.ini) after a warm-up and prints one
 * JSON object. bench/compare.sh sets it against PyTorch on the same model. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "engine.h"
#include "gemm.h"

static void usage(FILE *fp) {
    fputs("usage: ganscope bench [--steps N] [--threads T] [--preset NAME|FILE] [--set K=V]...\n"
          "Time N training steps (after 20 warm-up steps) of the bench preset:\n"
          "G z100-256-512-1024-784 tanh, D 784-512-256-1, leaky_relu 0.2, batch 64, Adam.\n"
          "Prints one JSON object with steps_per_s.\n",
          fp);
}

int cmd_bench(int argc, char **argv) {
    static const struct option opts[] = {
        {"steps", required_argument, 0, 'n'}, {"threads", required_argument, 0, 't'},
        {"preset", required_argument, 0, 'p'}, {"set", required_argument, 0, 's'},
        {"help", no_argument, 0, 'h'},        {0, 0, 0, 0}};
    long steps = 300, threads = 0;
    run_opts r = {0};
    int c, rc;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'n': if ((rc = cli_long("--steps", optarg, 1, 100000000L, &steps))) return rc; break;
        case 't': if ((rc = cli_long("--threads", optarg, 1, 256, &threads))) return rc; break;
        case 'p': r.preset = optarg; break;
        case 's': if ((rc = cli_add_set(&r, optarg))) return rc; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return EXIT_BAD_INPUT;
        }
    }
    if (optind < argc) return cli_bad("bench: unexpected argument '%s'", argv[optind]);
    gs_config cfg;
    if ((rc = cli_build_config(&r, "bench", &cfg))) return rc;
    cli_set_threads((int)threads, &cfg);
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
