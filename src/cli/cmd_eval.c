/* cmd_eval.c - `ganscope eval`: the quality of a checkpoint's generator as one
 * JSON object. Images are scored by the evaluation classifier (classifier.h:
 * classes covered, KL from uniform, confidence, FCD); ring8 and grid25 by the
 * mode protocol (modes, hq, kl). `--real` scores real data instead, a sanity
 * check of the metrics themselves. Also the evaluation helpers that `train` and
 * `sweep` share: the classifier with its reference statistics, and train's
 * "eval" records and summary metrics. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ckpt.h"
#include "cli.h"
#include "engine.h"
#include "gan.h"
#include "metrics.h"

static void usage(FILE *fp) {
    fputs("usage: ganscope eval --load CKPT [--n N] [--seed S] [--threads T]\n"
          "       ganscope eval --real [--preset NAME|FILE] [--set K=V]... [--n N]\n"
          "Score a generator as one JSON object on stdout.\n"
          "  images (fashion, mnist): classes covered (>= 1% of samples), kl of the\n"
          "    predicted-class histogram from uniform, mean confidence, fcd (Frechet\n"
          "    distance of classifier features to the real test images), the\n"
          "    classifier's test accuracy. The classifier is trained once per data set\n"
          "    and cached in $XDG_CACHE_HOME/ganscope (default ~/.cache/ganscope).\n"
          "  ring8, grid25: modes captured, hq (fraction within 3 sigma), kl.\n"
          "  --load CKPT   a checkpoint from ganscope train --save\n"
          "  --real        score real data (test images, or points of the distribution)\n"
          "  --preset P    with --real: the data set (default fashion)\n"
          "  --n N         samples (default 10000 for images, 2500 for 2-D data)\n"
          "  --seed S      noise seed (default: fixed, the noise train's metrics use, so\n"
          "                runs compare on equal noise and eval repeats train's figures)\n"
          "  --threads T   BLAS threads (default: all cores for images)\n",
          fp);
}

static void on_progress(void *ctx, int epoch, int epochs, float loss) {
    (void)ctx;
    if (!isatty(STDERR_FILENO)) return;
    fprintf(stderr,
            "\rganscope: training the evaluation classifier (once): epoch %d/%d, loss %.3f ", epoch,
            epochs, loss);
    if (epoch == epochs) fputc('\n', stderr);
}

int cli_evaluator_open(cli_evaluator *ev, const dataset *ds) {
    memset(ev, 0, sizeof *ev);
    clf_origin o;
    gs_error err;
    if (classifier_get(&ev->clf, ds, NULL, &o, on_progress, NULL, &err))
        return cli_bad("%s", err.msg);
    if (o.trained) {
        if (o.was_corrupt) fprintf(stderr, "ganscope: %s; retrained\n", o.note);
        fprintf(stderr, "ganscope: evaluation classifier trained: test accuracy %.2f%%",
                100.0 * ev->clf.accuracy);
        if (o.cached)
            fprintf(stderr, " (cached in %s)\n", o.path);
        else
            fprintf(stderr, " (not cached: %s)\n", o.note);
    }
    if (classifier_reference(&ev->clf, ds, &ev->ref, &err)) {
        classifier_free(&ev->clf);
        return cli_bad("%s", err.msg);
    }
    return 0;
}

void cli_evaluator_close(cli_evaluator *ev) {
    fcd_stats_free(&ev->ref);
    classifier_free(&ev->clf);
}

gs_status cli_eval_points(gan *gn, long n, uint64_t seed, mode_stats *out, gs_error *err) {
    if (gn->data.n_modes == 0)
        return gs_fail(err, GS_ERR_STATE,
                       "%s has no modes to score (ring8 and grid25 have; images use a classifier)",
                       gn->data.name);
    float *z = malloc((size_t)n * gn->z_dim * sizeof *z);
    float *x = malloc((size_t)n * gn->x_dim * sizeof *x);
    if (!z || !x) {
        free(z), free(x);
        return gs_fail(err, GS_ERR_NOMEM, "out of memory for %ld samples", n);
    }
    gan_sample(gn, seed, n, z, x);
    gs_status st = metrics_modes(&gn->data, x, n, out);
    free(z), free(x);
    return st;
}

/* JSON has no NaN: an undefined metric is null. */
static void json_num(FILE *fp, const char *key, double v) {
    if (isfinite(v))
        fprintf(fp, ", \"%s\": %.6g", key, v);
    else
        fprintf(fp, ", \"%s\": null", key);
}

void cli_json_image_metrics(FILE *fp, const image_metrics *m, float accuracy) {
    fprintf(fp, ", \"classes\": %d", m->classes);
    json_num(fp, "kl", m->kl);
    json_num(fp, "confidence", m->confidence);
    json_num(fp, "fcd", m->fcd);
    json_num(fp, "classifier_accuracy", accuracy);
    fprintf(fp, ", \"n\": %ld", m->n);
}

void cli_json_modes(FILE *fp, const mode_stats *m) {
    fprintf(fp, ", \"modes\": %d, \"n_modes\": %d", m->modes, m->n_modes);
    json_num(fp, "hq", m->hq);
    json_num(fp, "kl", m->kl);
}

/* ---- `train`: eval records and the summary's image metrics ---- */

int cli_train_eval_open(cli_train_eval *ev, long every, session *s) {
    memset(ev, 0, sizeof *ev);
    ev->every = every;
    ev->step = -1;
    if (s->gn.data.kind == DATA_IMAGES) {
        int rc = cli_evaluator_open(&ev->clf, &s->gn.data);
        if (rc && ev->every) return rc;
        if (rc) fputs("ganscope: training on without image metrics\n", stderr);
        ev->images = !rc;
    } else if (ev->every && s->gn.data.n_modes == 0) {
        return cli_bad("--eval-every: %s has no metric to evaluate (ring8, grid25 and images have)",
                       s->gn.data.name);
    }
    return 0;
}

/* Computes the metrics for the current step (once per step). */
static int eval_now(cli_train_eval *ev, session *s) {
    if (ev->step == s->gn.step) return 1;
    double t = engine_now();
    gs_error err;
    gs_status st =
        ev->images
            ? classifier_score_gan(&ev->clf.clf, &ev->clf.ref, &s->gn, CLI_EVAL_IMAGES_N,
                                   CLI_EVAL_SEED, &ev->im, &err)
            : cli_eval_points(&s->gn, CLI_EVAL_POINTS_N, CLI_EVAL_POINTS_SEED, &ev->ms, &err);
    ev->seconds += engine_now() - t;
    if (st) {
        session_event(s, 1, "eval: %s", err.msg);
        return 0;
    }
    ev->step = s->gn.step;
    return 1;
}

static void eval_members(const cli_train_eval *ev, FILE *fp) {
    if (ev->images)
        cli_json_image_metrics(fp, &ev->im, ev->clf.clf.accuracy);
    else
        cli_json_modes(fp, &ev->ms);
}

/* When due, an "eval" record on every JSON Lines log (a CSV log has fixed columns). */
void cli_train_eval_step(cli_train_eval *ev, session *s) {
    if (!ev->every || s->gn.step % ev->every != 0 || !eval_now(ev, s)) return;
    for (int i = 0; i < 2; i++) {
        runlog *lg = s->logs[i];
        if (!lg || !lg->fp || lg->csv) continue;
        fprintf(lg->fp, "{\"type\": \"eval\", \"step\": %ld, \"time_s\": %.3f", s->gn.step,
                engine_now() - s->t0);
        eval_members(ev, lg->fp);
        fputs("}\n", lg->fp);
        fflush(lg->fp);
    }
}

/* The summary record; for image data with the image metrics added before its
 * closing brace, so that every usual field stays as runlog writes it. */
void cli_train_eval_summary(cli_train_eval *ev, session *s) {
    if (!ev->images || ev->step != s->gn.step) {
        session_log_metrics(s, "summary");
        return;
    }
    runlog *logs[2] = {s->logs[0], s->logs[1]};
    char *text = NULL, *extra = NULL;
    size_t len = 0, elen = 0;
    FILE *mem = open_memstream(&text, &len), *emem = open_memstream(&extra, &elen);
    if (!mem || !emem) {
        if (mem) fclose(mem), free(text);
        if (emem) fclose(emem), free(extra);
        session_log_metrics(s, "summary");
        return;
    }
    eval_members(ev, emem);
    fclose(emem);
    runlog ml;
    runlog_wrap(&ml, mem);
    s->logs[0] = &ml;
    s->logs[1] = NULL;
    session_log_metrics(s, "summary");
    fclose(mem);
    for (int i = 0; i < 2; i++) {
        runlog *lg = logs[i];
        if (!lg || !lg->fp) continue;
        if (lg->csv || len < 2 || strcmp(text + len - 2, "}\n") != 0) {
            s->logs[0] = lg;
            session_log_metrics(s, "summary");
        } else {
            fwrite(text, 1, len - 2, lg->fp);
            fprintf(lg->fp, "%s}\n", extra);
            fflush(lg->fp);
        }
    }
    s->logs[0] = logs[0];
    s->logs[1] = logs[1];
    free(text);
    free(extra);
}

void cli_train_eval_finish(cli_train_eval *ev, session *s) {
    if (ev->images) eval_now(ev, s);
}

void cli_train_eval_close(cli_train_eval *ev) {
    if (ev->images) cli_evaluator_close(&ev->clf);
    ev->images = 0;
}

/* Scores n images from the data set itself: its test images (the first n). */
static int eval_real_images(const dataset *ds, long n) {
    cli_evaluator ev;
    int rc = cli_evaluator_open(&ev, ds);
    if (rc) return rc;
    const int test = ds->test_images && ds->n_test >= 2;
    const uint8_t *pix = test ? ds->test_images : ds->images;
    const long avail = test ? ds->n_test : ds->n_images;
    if (n > avail) n = avail;
    float *x = malloc((size_t)n * ds->dim * sizeof *x);
    if (!x) {
        cli_evaluator_close(&ev);
        return cli_bad("eval: out of memory for %ld images", n);
    }
    for (long i = 0; i < n * ds->dim; i++) x[i] = pix[i] * (1.0f / 127.5f) - 1.0f;
    image_metrics m;
    gs_error err;
    gs_status st = classifier_score(&ev.clf, &ev.ref, x, n, &m, &err);
    free(x);
    if (!st) {
        fputs("{\"real\": true", stdout);
        cli_json_image_metrics(stdout, &m, ev.clf.accuracy);
        fputs("}\n", stdout);
    }
    cli_evaluator_close(&ev);
    return st ? cli_bad("%s", err.msg) : 0;
}

static int eval_real(const run_opts *r, long n, int have_n, unsigned long long seed) {
    gs_config cfg;
    int rc = cli_build_config(r, "fashion", &cfg);
    if (rc) return rc;
    cli_set_threads(0, &cfg);
    dataset ds;
    gs_error err;
    if (data_open(cfg.data.source, cfg.data.path, &ds, &err)) return cli_bad("%s", err.msg);
    if (ds.kind == DATA_IMAGES) {
        rc = eval_real_images(&ds, have_n ? n : CLI_EVAL_IMAGES_N);
        data_close(&ds);
        return rc;
    }
    if (ds.n_modes == 0) {
        data_close(&ds);
        return cli_bad("eval: %s has no modes to score (ring8 and grid25 have)", ds.name);
    }
    if (!have_n) n = CLI_EVAL_POINTS_N;
    float *x = malloc((size_t)n * 2 * sizeof *x);
    if (!x) {
        data_close(&ds);
        return cli_bad("eval: out of memory for %ld points", n);
    }
    rng rg;
    rng_seed(&rg, seed);
    for (long i = 0; i < n; i += 1024)
        data_batch(&ds, &rg, x + 2 * i, (int)(n - i < 1024 ? n - i : 1024));
    mode_stats m;
    metrics_modes(&ds, x, n, &m);
    free(x);
    data_close(&ds);
    fputs("{\"real\": true", stdout);
    cli_json_modes(stdout, &m);
    printf(", \"n\": %ld}\n", n);
    return 0;
}

int cmd_eval(int argc, char **argv) {
    static const struct option opts[] = {{"load", required_argument, 0, 'l'},
                                         {"n", required_argument, 0, 'n'},
                                         {"seed", required_argument, 0, 'S'},
                                         {"real", no_argument, 0, 'r'},
                                         {"preset", required_argument, 0, 'p'},
                                         {"set", required_argument, 0, 's'},
                                         {"threads", required_argument, 0, 't'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *load = NULL;
    run_opts r = {0};
    long n = 0, threads = 0;
    unsigned long long seed = 0;
    int have_seed = 0;
    int c, rc, real = 0, have_n = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'l':
            load = optarg;
            break;
        case 'n':
            if ((rc = cli_long("--n", optarg, 2, 10000000L, &n))) return rc;
            have_n = 1;
            break;
        case 'S':
            if ((rc = cli_u64("--seed", optarg, &seed))) return rc;
            break;
        case 'r':
            real = 1;
            break;
        case 'p':
            r.preset = optarg;
            break;
        case 's':
            if ((rc = cli_add_set(&r, optarg))) return rc;
            break;
        case 't':
            if ((rc = cli_long("--threads", optarg, 1, 256, &threads))) return rc;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return EXIT_BAD_INPUT;
        }
    }
    if (optind < argc) return cli_bad("eval: unexpected argument '%s'", argv[optind]);
    if (real && load) return cli_bad("eval: --real and --load exclude each other");
    if (real) return eval_real(&r, n, have_n, have_seed ? seed : CLI_EVAL_SEED);
    if (!load) return cli_bad("eval: --load CKPT (or --real) is required");
    if (r.preset || r.n_sets) return cli_bad("eval: --preset and --set go with --real only");

    gs_config cfg;
    gs_error err;
    gan gn;
    if (ckpt_read_config(load, &cfg, &err)) return cli_bad("%s", err.msg);
    cli_set_threads((int)threads, &cfg);
    if (gan_create(&gn, &cfg, &err)) return cli_bad("%s", err.msg);
    if (ckpt_load(load, &gn, &err)) {
        gan_free(&gn);
        return cli_bad("%s", err.msg);
    }
    if (gn.data.kind == DATA_IMAGES) {
        cli_evaluator ev;
        if ((rc = cli_evaluator_open(&ev, &gn.data))) {
            gan_free(&gn);
            return rc;
        }
        image_metrics m;
        gs_status st = classifier_score_gan(&ev.clf, &ev.ref, &gn, have_n ? n : CLI_EVAL_IMAGES_N,
                                            have_seed ? seed : CLI_EVAL_SEED, &m, &err);
        if (!st) {
            printf("{\"step\": %ld", gn.step);
            cli_json_image_metrics(stdout, &m, ev.clf.accuracy);
            fputs("}\n", stdout);
        }
        cli_evaluator_close(&ev);
        gan_free(&gn);
        return st ? cli_bad("%s", err.msg) : 0;
    }
    mode_stats m;
    const long np = have_n ? n : CLI_EVAL_POINTS_N;
    const long step = gn.step;
    gs_status st = cli_eval_points(&gn, np, have_seed ? seed : CLI_EVAL_POINTS_SEED, &m, &err);
    gan_free(&gn);
    if (st) return cli_bad("eval: %s", err.msg);
    printf("{\"step\": %ld", step);
    cli_json_modes(stdout, &m);
    printf(", \"n\": %ld}\n", np);
    return 0;
}
