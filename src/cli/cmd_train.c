/* cmd_train.c - `ganscope train`: headless training on the calling thread
 * through the same session the live engine uses, so schedules (--at and
 * [schedule]) behave identically. JSON Lines on stdout, a progress line on
 * stderr, an optional --log file and checkpoint. Ctrl-C stops cleanly: the
 * summary is written and --save still happens. For image data the summary also
 * carries the image metrics (cmd_eval.c), and --eval-every N adds "eval"
 * records. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ckpt.h"
#include "cli.h"
#include "engine.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig) {
    (void)sig;
    interrupted = 1;
}

static void usage(FILE *fp) {
    fputs("usage: ganscope train --preset NAME|FILE [options]\n"
          "Train headless; JSON Lines on stdout (metrics every log interval, events,\n"
          "and a final summary), a progress line on stderr.\n"
          "  --preset NAME|FILE   a builtin preset (ganscope presets) or an .ini file\n"
          "  --steps N            training steps (default: the preset's train.steps)\n"
          "  --seed S             random seed (default: the preset's train.seed)\n"
          "  --set SECTION.KEY=V  override a preset key (repeatable)\n"
          "  --at STEP:SECTION.KEY=V  apply a change at a step, like a key press (repeatable)\n"
          "  --log FILE           also write the records to FILE (.csv gives CSV)\n"
          "  --save CKPT          save a .safetensors checkpoint at the end\n"
          "  --threads T          BLAS threads (default: 1 for 2-D data, all cores for images)\n"
          "  --eval-every N       an \"eval\" record every N steps: image metrics (classes, kl,\n"
          "                       confidence, fcd) or modes, hq, kl for ring8/grid25\n"
          "  --quiet              no progress line\n",
          fp);
}

int cmd_train(int argc, char **argv) {
    static const struct option opts[] = {{"preset", required_argument, 0, 'p'},
                                         {"steps", required_argument, 0, 'n'},
                                         {"seed", required_argument, 0, 'S'},
                                         {"set", required_argument, 0, 's'},
                                         {"at", required_argument, 0, 'a'},
                                         {"log", required_argument, 0, 'l'},
                                         {"save", required_argument, 0, 'o'},
                                         {"threads", required_argument, 0, 't'},
                                         {"quiet", no_argument, 0, 'q'},
                                         {"help", no_argument, 0, 'h'},
                                         {"eval-every", required_argument, 0, 'e'},
                                         {0, 0, 0, 0}};
    run_opts r = {0};
    long steps = -1, threads = 0, eval_every = 0;
    unsigned long long seed = 0;
    int have_seed = 0, quiet = 0, c, rc;
    const char *save = NULL;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            r.preset = optarg;
            break;
        case 'n':
            if ((rc = cli_long("--steps", optarg, 0, 1000000000L, &steps))) return rc;
            break;
        case 'S':
            if ((rc = cli_u64("--seed", optarg, &seed))) return rc;
            have_seed = 1;
            break;
        case 's':
            if ((rc = cli_add_set(&r, optarg))) return rc;
            break;
        case 'a':
            if ((rc = cli_add_at(&r, optarg))) return rc;
            break;
        case 'l':
            r.log_path = optarg;
            break;
        case 'o':
            save = optarg;
            break;
        case 't':
            if ((rc = cli_long("--threads", optarg, 1, 256, &threads))) return rc;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'e':
            if ((rc = cli_long("--eval-every", optarg, 1, 1000000000L, &eval_every))) return rc;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return EXIT_BAD_INPUT;
        }
    }
    if (optind < argc) return cli_bad("train: unexpected argument '%s'", argv[optind]);
    if (!r.preset) return cli_bad("train: --preset NAME|FILE is required (see ganscope presets)");
    gs_config cfg;
    if ((rc = cli_build_config(&r, NULL, &cfg))) return rc;
    if (steps >= 0) cfg.train.steps = steps;
    if (have_seed) cfg.train.seed = seed;
    cli_set_threads((int)threads, &cfg);

    runlog out, file;
    int have_file;
    runlog_wrap(&out, stdout);
    if ((rc = cli_open_log(&r, &file, &have_file))) return rc;
    session s;
    gs_error err;
    if (session_open(&s, &cfg, &out, have_file ? &file : NULL, &err)) {
        if (have_file) runlog_close(&file);
        return cli_bad("%s", err.msg);
    }
    cli_train_eval ev;
    if ((rc = cli_train_eval_open(&ev, eval_every, &s))) {
        session_close(&s);
        if (have_file) runlog_close(&file);
        return rc;
    }
    s.t0 = s.rate_t = engine_now(); /* the run starts now, not before the classifier */
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    const int tty = !quiet && isatty(STDERR_FILENO);
    double last_progress = 0;
    const long total = cfg.train.steps, every = cfg.train.log_every;
    while (s.gn.step < total && !interrupted) {
        session_step(&s);
        if (s.gn.step % every == 0 && s.gn.step < total) session_log_metrics(&s, "metrics");
        cli_train_eval_step(&ev, &s);
        if (tty && engine_now() - last_progress > 0.25) {
            last_progress = engine_now();
            fprintf(
                stderr,
                "\rstep %ld/%ld  D loss %.3f  G loss %.3f  D(x) %.2f  D(G(z)) %.2f  %.0f steps/s ",
                s.gn.step, total, s.gn.last.d_loss, s.gn.last.g_loss, s.gn.last.d_real,
                s.gn.last.d_fake, s.steps_per_s);
        }
    }
    if (tty) fputc('\n', stderr);
    /* steps/s of the summary is the whole run's average */
    cli_train_eval_finish(&ev, &s); /* before the rate: evaluation is not training time */
    double elapsed = engine_now() - s.t0 - ev.seconds;
    s.steps_per_s = elapsed > 0 ? (float)(s.gn.step / elapsed) : 0.0f;
    int status = 0;
    if (interrupted) session_event(&s, 0, "interrupted at step %ld", s.gn.step);
    if (save) {
        if (ckpt_save(save, &s.gn, &err)) {
            fprintf(stderr, "ganscope: %s\n", err.msg);
            status = 1;
        } else {
            session_event(&s, 0, "saved %s", save);
        }
    }
    cli_train_eval_summary(&ev, &s);
    cli_train_eval_close(&ev);
    session_close(&s);
    if (have_file) runlog_close(&file);
    if (interrupted && !status) status = 130;
    return status;
}
