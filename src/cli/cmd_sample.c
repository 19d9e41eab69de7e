/* cmd_sample.c - `ganscope sample`: generator samples from a checkpoint, as CSV
 * x,y for 2-D data, or for images an IDX3 ubyte file or a PNG grid. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckpt.h"
#include "cli.h"
#include "fileio.h"
#include "gan.h"
#include "pngio.h"

static void usage(FILE *fp) {
    fputs("usage: ganscope sample --load CKPT --n N --out FILE [--seed S]\n"
          "Draw N generator samples from a checkpoint.\n"
          "  2-D data: FILE.csv with columns x,y\n"
          "  images:   FILE.png (a grid) or any other name for IDX3 ubyte (N x 28 x 28)\n",
          fp);
}

static int ends_with(const char *s, const char *suf) {
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

static gs_status write_csv(const char *path, const float *x, long n, gs_error *err) {
    atomic_file f;
    gs_status st = atomic_open(&f, path, err);
    if (st) return st;
    fputs("x,y\n", f.fp);
    for (long i = 0; i < n; i++) fprintf(f.fp, "%.7g,%.7g\n", x[2 * i], x[2 * i + 1]);
    return atomic_commit(&f, err);
}

int cmd_sample(int argc, char **argv) {
    static const struct option opts[] = {
        {"load", required_argument, 0, 'l'}, {"n", required_argument, 0, 'n'},
        {"out", required_argument, 0, 'o'},  {"seed", required_argument, 0, 'S'},
        {"help", no_argument, 0, 'h'},       {0, 0, 0, 0}};
    const char *load = NULL, *out = NULL;
    long n = 64;
    unsigned long long seed = 1;
    int c, rc;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'l':
            load = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'n':
            if ((rc = cli_long("--n", optarg, 1, 1000000, &n))) return rc;
            break;
        case 'S':
            if ((rc = cli_u64("--seed", optarg, &seed))) return rc;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return EXIT_BAD_INPUT;
        }
    }
    if (optind < argc) return cli_bad("sample: unexpected argument '%s'", argv[optind]);
    if (!load || !out) return cli_bad("sample: --load CKPT and --out FILE are required");
    gs_config cfg;
    gs_error err;
    gan gn;
    if (ckpt_read_config(load, &cfg, &err)) return cli_bad("%s", err.msg);
    if (gan_create(&gn, &cfg, &err)) return cli_bad("%s", err.msg);
    if (ckpt_load(load, &gn, &err)) {
        gan_free(&gn);
        return cli_bad("%s", err.msg);
    }
    const int images = gn.data.kind == DATA_IMAGES;
    if (!images && !ends_with(out, ".csv")) {
        gan_free(&gn);
        return cli_bad("sample: %s: 2-D samples are written as CSV: give a .csv file", out);
    }
    float *z = malloc((size_t)n * gn.z_dim * sizeof(float));
    float *x = malloc((size_t)n * gn.x_dim * sizeof(float));
    uint8_t *pix = images ? malloc((size_t)n * gn.x_dim) : NULL;
    if (!z || !x || (images && !pix)) {
        free(z), free(x), free(pix);
        gan_free(&gn);
        return cli_bad("sample: out of memory for %ld samples", n);
    }
    gan_sample(&gn, seed, n, z, x);
    gs_status st;
    if (!images) {
        st = write_csv(out, x, n, &err);
    } else {
        for (long i = 0; i < n * gn.x_dim; i++) {
            float b = (x[i] + 1.0f) * 127.5f;
            pix[i] = (uint8_t)(b < 0 ? 0 : b > 255 ? 255 : b + 0.5f);
        }
        int cols = 1;
        while ((long)cols * cols < n) cols++;
        st = ends_with(out, ".png")
                 ? png_write_grid(out, pix, n, gn.data.height, gn.data.width, cols, &err)
                 : idx_write_images(out, pix, n, gn.data.height, gn.data.width, &err);
    }
    free(z), free(x), free(pix);
    gan_free(&gn);
    if (st) {
        fprintf(stderr, "ganscope: %s\n", err.msg);
        return st == GS_ERR_IO ? 1 : EXIT_BAD_INPUT;
    }
    fprintf(stderr, "wrote %ld samples to %s\n", n, out);
    return 0;
}
