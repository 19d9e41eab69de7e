/* classifier.c - the evaluation classifier: training with the project's own MLP,
 * softmax cross-entropy and Adam; the checksummed cache file; the image metrics
 * (classes, KL, confidence, FCD) computed from its outputs and features. */
#include "classifier.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "optim.h"
#include "rng.h"

#define CLF_H1     256
#define CLF_H2     CLF_FEATURES
#define CLF_BATCH  128
#define CLF_EPOCHS 8
#define CLF_LR     1e-3f
#define CLF_SEED   0x636c6173ULL

static const char clf_magic[8] = {'G', 'S', 'C', 'L', 'A', 'S', 'S', '1'};
#define HEADER_BYTES 48 /* magic, key, version, 4 sizes, accuracy, float count */

/* ---- FNV-1a 64 ---- */
#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME  0x100000001b3ULL

static uint64_t fnv1a(uint64_t h, const void *data, size_t n) {
    const uint8_t *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= FNV_PRIME;
    }
    return h;
}

uint64_t classifier_key(const dataset *ds) {
    char recipe[160];
    snprintf(recipe, sizeof recipe,
             "ganscope-classifier v%d %dx%d -> %d relu %d relu -> %d; adam %g batch %d "
             "epochs %d seed %llx",
             CLF_VERSION, ds->width, ds->height, CLF_H1, CLF_H2, CLF_CLASSES, CLF_LR, CLF_BATCH,
             CLF_EPOCHS, (unsigned long long)CLF_SEED);
    uint64_t h = fnv1a(FNV_OFFSET, recipe, strlen(recipe));
    const size_t dim = (size_t)ds->dim;
    if (ds->images) h = fnv1a(h, ds->images, (size_t)ds->n_images * dim);
    if (ds->labels) h = fnv1a(h, ds->labels, (size_t)ds->n_images);
    /* The stored accuracy depends on the test set too. */
    if (ds->test_images) h = fnv1a(h, ds->test_images, (size_t)ds->n_test * dim);
    if (ds->test_labels) h = fnv1a(h, ds->test_labels, (size_t)ds->n_test);
    return h;
}

/* ---- little-endian fields ---- */
static void put_u32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static void put_u64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static uint32_t get_u32(const uint8_t *p) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v |= (uint32_t)p[i] << (8 * i);
    return v;
}
static uint64_t get_u64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}
static void put_f32(uint8_t *p, float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    put_u32(p, u);
}
static float get_f32(const uint8_t *p) {
    uint32_t u = get_u32(p);
    float f;
    memcpy(&f, &u, 4);
    return f;
}

/* ---- the network ---- */
static gs_status clf_create(classifier *c, int in_dim, gs_error *err) {
    memset(c, 0, sizeof *c);
    const int hidden[2] = {CLF_H1, CLF_H2};
    gs_status st = mlp_create(&c->net, in_dim, 2, hidden, CLF_CLASSES, ACT_RELU, 0.0f, ACT_IDENTITY,
                              CLF_BATCH, err);
    if (st) return st;
    c->in_dim = in_dim;
    return GS_OK;
}

void classifier_free(classifier *c) {
    if (c->net.params) mlp_free(&c->net);
    memset(c, 0, sizeof *c);
}

/* Floats the file stores: every layer's weight and bias (the ReLU and identity
 * layers have no parameter of their own). */
static long stored_floats(const mlp *net) {
    long n = 0;
    for (int l = 0; l < net->n_layers; l++)
        n += (long)net->layer[l].out * net->layer[l].in + net->layer[l].out;
    return n;
}

static void to_floats(const uint8_t *pix, long n, int dim, float *out) {
    for (long i = 0; i < n * dim; i++) out[i] = pix[i] * (1.0f / 127.5f) - 1.0f;
}

/* Softmax of one row of logits into p; returns log-sum-exp. */
static float softmax_row(const float *logit, float *p, int k) {
    float mx = logit[0];
    for (int j = 1; j < k; j++)
        if (logit[j] > mx) mx = logit[j];
    float sum = 0;
    for (int j = 0; j < k; j++) {
        p[j] = expf(logit[j] - mx);
        sum += p[j];
    }
    for (int j = 0; j < k; j++) p[j] /= sum;
    return mx + logf(sum);
}

void classifier_forward(classifier *c, const float *x, long n, float *probs, float *feats) {
    mlp *net = &c->net;
    for (long i = 0; i < n; i += net->max_batch) {
        const int rows = (int)(n - i < net->max_batch ? n - i : net->max_batch);
        mlp_forward(net, x + i * c->in_dim, rows);
        if (feats)
            memcpy(feats + i * CLF_FEATURES, net->layer[1].a,
                   (size_t)rows * CLF_FEATURES * sizeof(float));
        if (probs) {
            const float *logit = mlp_output(net);
            for (int r = 0; r < rows; r++)
                softmax_row(logit + r * CLF_CLASSES, probs + (i + r) * CLF_CLASSES, CLF_CLASSES);
        }
    }
}

static int argmax(const float *p, int k) {
    int best = 0;
    for (int j = 1; j < k; j++)
        if (p[j] > p[best]) best = j;
    return best;
}

float classifier_accuracy(classifier *c, const uint8_t *pix, const uint8_t *labels, long n) {
    const int dim = c->in_dim;
    float *buf = malloc((size_t)CLF_BATCH * dim * sizeof *buf);
    float probs[CLF_BATCH * CLF_CLASSES];
    if (!buf || n <= 0) {
        free(buf);
        return 0.0f;
    }
    long right = 0;
    for (long i = 0; i < n; i += CLF_BATCH) {
        const long rows = n - i < CLF_BATCH ? n - i : CLF_BATCH;
        to_floats(pix + i * dim, rows, dim, buf);
        classifier_forward(c, buf, rows, probs, NULL);
        for (long r = 0; r < rows; r++)
            right += argmax(probs + r * CLF_CLASSES, CLF_CLASSES) == labels[i + r];
    }
    free(buf);
    return (float)right / (float)n;
}

/* ---- training ---- */
gs_status classifier_train(classifier *c, const dataset *ds, clf_progress_fn progress, void *ctx,
                           gs_error *err) {
    memset(c, 0, sizeof *c);
    if (ds->kind != DATA_IMAGES || !ds->images || ds->n_images < 2)
        return gs_fail(err, GS_ERR_STATE, "the classifier needs a data set of images");
    if (!ds->labels)
        return gs_fail(err, GS_ERR_STATE,
                       "%s has no train-labels-idx1-ubyte: the evaluation classifier needs labels",
                       ds->name);
    for (long i = 0; i < ds->n_images; i++)
        if (ds->labels[i] >= CLF_CLASSES)
            return gs_fail(err, GS_ERR_FORMAT, "label %d of image %ld: labels must be 0 to %d",
                           ds->labels[i], i, CLF_CLASSES - 1);
    /* Without a test set, the last sixth of the training images is held out. */
    const int have_test = ds->test_images && ds->test_labels && ds->n_test > 0;
    const long n_train = have_test ? ds->n_images : ds->n_images - ds->n_images / 6;
    if (n_train < CLF_BATCH)
        return gs_fail(err, GS_ERR_STATE,
                       "%s: %ld labelled training images; the classifier needs at least %d",
                       ds->name, n_train, CLF_BATCH);
    const int dim = ds->dim;
    gs_status st = clf_create(c, dim, err);
    if (st) return st;
    float *x = malloc((size_t)CLF_BATCH * dim * sizeof *x);
    float *dlogit = malloc((size_t)CLF_BATCH * CLF_CLASSES * sizeof *dlogit);
    long *order = malloc((size_t)n_train * sizeof *order);
    if (!x || !dlogit || !order) {
        free(x), free(dlogit), free(order);
        classifier_free(c);
        return gs_fail(err, GS_ERR_NOMEM, "out of memory for the classifier");
    }
    rng r;
    rng_seed(&r, CLF_SEED);
    mlp_init_weights(&c->net, &r);
    optim opt = {.kind = OPT_ADAM, .lr = CLF_LR, .beta1 = 0.9f, .beta2 = 0.999f, .eps = 1e-8f};
    for (long i = 0; i < n_train; i++) order[i] = i;
    const long per_epoch = n_train / CLF_BATCH; /* the last partial batch is dropped */
    const long total = per_epoch * CLF_EPOCHS;
    long t = 0;
    for (int epoch = 0; epoch < CLF_EPOCHS; epoch++) {
        for (long i = n_train - 1; i > 0; i--) { /* Fisher-Yates */
            long j = (long)rng_below(&r, (uint32_t)(i + 1));
            long tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        double loss_sum = 0;
        for (long b = 0; b < per_epoch; b++, t++) {
            const long *idx = order + b * CLF_BATCH;
            for (int k = 0; k < CLF_BATCH; k++)
                to_floats(ds->images + idx[k] * dim, 1, dim, x + (long)k * dim);
            mlp_forward(&c->net, x, CLF_BATCH);
            const float *logit = mlp_output(&c->net);
            /* Softmax cross-entropy, mean over the batch: d loss / d logit = (p - y) / B. */
            for (int k = 0; k < CLF_BATCH; k++) {
                float *g = dlogit + k * CLF_CLASSES;
                const int y = ds->labels[idx[k]];
                const float lse = softmax_row(logit + k * CLF_CLASSES, g, CLF_CLASSES);
                loss_sum += lse - logit[k * CLF_CLASSES + y];
                g[y] -= 1.0f;
                for (int j = 0; j < CLF_CLASSES; j++) g[j] *= 1.0f / CLF_BATCH;
            }
            mlp_backward(&c->net, dlogit, NULL, 1);
            /* Cosine decay to a twentieth of the rate: the last epochs settle. */
            opt.lr = CLF_LR * (0.05f + 0.95f * 0.5f * (1.0f + cosf(3.14159265f * t / total)));
            optim_step(&opt, c->net.params, c->net.grads, c->net.m, c->net.v, c->net.n_params);
        }
        if (progress)
            progress(ctx, epoch + 1, CLF_EPOCHS,
                     (float)(loss_sum / ((double)per_epoch * CLF_BATCH)));
    }
    free(x), free(dlogit), free(order);
    c->key = classifier_key(ds);
    c->accuracy = have_test ? classifier_accuracy(c, ds->test_images, ds->test_labels, ds->n_test)
                            : classifier_accuracy(c, ds->images + n_train * dim,
                                                  ds->labels + n_train, ds->n_images - n_train);
    return GS_OK;
}

/* ---- the cache file ---- */
gs_status classifier_save(const classifier *c, const char *path, gs_error *err) {
    const mlp *net = &c->net;
    const long nf = stored_floats(net);
    const size_t len = HEADER_BYTES + (size_t)nf * 4 + 8;
    uint8_t *buf = malloc(len);
    if (!buf) return gs_fail(err, GS_ERR_NOMEM, "out of memory writing %s", path);
    memcpy(buf, clf_magic, 8);
    put_u64(buf + 8, c->key);
    put_u32(buf + 16, CLF_VERSION);
    put_u32(buf + 20, (uint32_t)c->in_dim);
    put_u32(buf + 24, CLF_H1);
    put_u32(buf + 28, CLF_H2);
    put_u32(buf + 32, CLF_CLASSES);
    put_f32(buf + 36, c->accuracy);
    put_u64(buf + 40, (uint64_t)nf);
    uint8_t *p = buf + HEADER_BYTES;
    for (int l = 0; l < net->n_layers; l++) {
        const mlp_layer *L = &net->layer[l];
        for (long i = 0; i < (long)L->out * L->in; i++, p += 4) put_f32(p, L->w[i]);
        for (long i = 0; i < L->out; i++, p += 4) put_f32(p, L->b[i]);
    }
    put_u64(p, fnv1a(FNV_OFFSET, buf, len - 8));
    atomic_file f;
    gs_status st = atomic_open(&f, path, err);
    if (!st) {
        if (fwrite(buf, 1, len, f.fp) != len) {
            atomic_abort(&f);
            st = gs_fail(err, GS_ERR_IO, "%s: write failed: %s", path, strerror(errno));
        } else {
            st = atomic_commit(&f, err);
        }
    }
    free(buf);
    return st;
}

gs_status classifier_load(classifier *c, const char *path, uint64_t key, gs_error *err) {
    memset(c, 0, sizeof *c);
    char *data;
    size_t len;
    gs_status st = file_read_all(path, &data, &len, err);
    if (st) return st;
    const uint8_t *b = (const uint8_t *)data;
    const char *why = NULL;
    if (len < HEADER_BYTES + 8)
        why = "too short";
    else if (memcmp(b, clf_magic, 8) != 0)
        why = "bad magic";
    else if (get_u32(b + 16) != CLF_VERSION)
        why = "another classifier version";
    else if (get_u32(b + 24) != CLF_H1 || get_u32(b + 28) != CLF_H2 ||
             get_u32(b + 32) != CLF_CLASSES || get_u32(b + 20) < 1 || get_u32(b + 20) > (1u << 20))
        why = "unexpected layer sizes";
    else if (key && get_u64(b + 8) != key)
        why = "trained on other data";
    else if (fnv1a(FNV_OFFSET, b, len - 8) != get_u64(b + len - 8))
        why = "checksum mismatch";
    if (!why) {
        st = clf_create(c, (int)get_u32(b + 20), err);
        if (st) {
            free(data);
            return st;
        }
        const long nf = stored_floats(&c->net);
        const float acc = get_f32(b + 36);
        if (get_u64(b + 40) != (uint64_t)nf || len != HEADER_BYTES + (size_t)nf * 4 + 8)
            why = "size does not match the layers";
        else if (!(acc >= 0.0f && acc <= 1.0f))
            why = "bad accuracy field";
        if (!why) {
            const uint8_t *p = b + HEADER_BYTES;
            for (int l = 0; l < c->net.n_layers && !why; l++) {
                mlp_layer *L = &c->net.layer[l];
                for (long i = 0; i < (long)L->out * L->in; i++, p += 4) L->w[i] = get_f32(p);
                for (long i = 0; i < L->out; i++, p += 4) L->b[i] = get_f32(p);
            }
            c->key = get_u64(b + 8);
            c->accuracy = acc;
        }
    }
    free(data);
    if (why) {
        classifier_free(c);
        return gs_fail(err, GS_ERR_FORMAT, "%s: not a usable classifier cache (%s)", path, why);
    }
    return GS_OK;
}

static gs_status make_dir(const char *path, gs_error *err) {
    if (mkdir(path, 0755) == 0 || errno == EEXIST) {
        struct stat sb;
        if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) return GS_OK;
    }
    return gs_fail(err, GS_ERR_IO, "%s: cannot create the cache folder: %s", path,
                   strerror(errno ? errno : ENOTDIR));
}

gs_status classifier_cache_dir(char *buf, size_t n, gs_error *err) {
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    char base[1024];
    if (xdg && xdg[0] == '/') {
        snprintf(base, sizeof base, "%s", xdg);
    } else if (home && home[0]) {
        snprintf(base, sizeof base, "%s/.cache", home);
    } else {
        return gs_fail(err, GS_ERR_IO, "neither XDG_CACHE_HOME nor HOME is set: no cache folder");
    }
    gs_status st = make_dir(base, err);
    if (st) return st;
    if ((size_t)snprintf(buf, n, "%s/ganscope", base) >= n)
        return gs_fail(err, GS_ERR_IO, "%s: cache path too long", base);
    return make_dir(buf, err);
}

gs_status classifier_get(classifier *c, const dataset *ds, const char *cache_dir,
                         clf_origin *origin, clf_progress_fn progress, void *ctx, gs_error *err) {
    memset(origin, 0, sizeof *origin);
    const uint64_t key = classifier_key(ds);
    char dir[900];
    gs_error e;
    int have_dir = 1;
    if (cache_dir)
        snprintf(dir, sizeof dir, "%s", cache_dir);
    else if (classifier_cache_dir(dir, sizeof dir, &e)) {
        have_dir = 0;
        snprintf(origin->note, sizeof origin->note, "%s", e.msg);
    }
    if (have_dir) {
        snprintf(origin->path, sizeof origin->path, "%s/classifier-%016llx.bin", dir,
                 (unsigned long long)key);
        gs_status st = classifier_load(c, origin->path, key, &e);
        if (st == GS_OK && c->in_dim == ds->dim) {
            origin->cached = 1;
            return GS_OK;
        }
        if (st == GS_OK) {
            classifier_free(c);
            snprintf(e.msg, sizeof e.msg, "%.400s: image size differs", origin->path);
            st = GS_ERR_FORMAT;
        }
        if (st == GS_ERR_FORMAT) origin->was_corrupt = 1;
        /* A missing file is the normal first run: nothing to note. */
        if (st == GS_ERR_FORMAT || access(origin->path, F_OK) == 0)
            snprintf(origin->note, sizeof origin->note, "%s", e.msg);
    }
    gs_status st = classifier_train(c, ds, progress, ctx, err);
    if (st) return st;
    origin->trained = 1;
    if (have_dir) {
        if (classifier_save(c, origin->path, &e) == GS_OK)
            origin->cached = 1;
        else
            snprintf(origin->note, sizeof origin->note, "%s", e.msg);
    }
    return GS_OK;
}

/* ---- metrics ---- */
static gs_status features_of_bytes(classifier *c, const uint8_t *pix, long n, float *feats,
                                   gs_error *err) {
    float *buf = malloc((size_t)CLF_BATCH * c->in_dim * sizeof *buf);
    if (!buf) return gs_fail(err, GS_ERR_NOMEM, "out of memory for features");
    for (long i = 0; i < n; i += CLF_BATCH) {
        const long rows = n - i < CLF_BATCH ? n - i : CLF_BATCH;
        to_floats(pix + i * c->in_dim, rows, c->in_dim, buf);
        classifier_forward(c, buf, rows, NULL, feats + i * CLF_FEATURES);
    }
    free(buf);
    return GS_OK;
}

gs_status classifier_reference(classifier *c, const dataset *ds, gauss_stats *ref, gs_error *err) {
    memset(ref, 0, sizeof *ref);
    if (ds->kind != DATA_IMAGES || ds->dim != c->in_dim)
        return gs_fail(err, GS_ERR_STATE, "the data set's images do not fit the classifier");
    const int test = ds->test_images && ds->n_test >= 2;
    const uint8_t *pix = test ? ds->test_images : ds->images;
    const long n = test ? ds->n_test : ds->n_images;
    float *feats = malloc((size_t)n * CLF_FEATURES * sizeof *feats);
    if (!feats) return gs_fail(err, GS_ERR_NOMEM, "out of memory for %ld features", n);
    gs_status st = features_of_bytes(c, pix, n, feats, err);
    if (!st) st = fcd_stats(feats, n, CLF_FEATURES, ref, err);
    free(feats);
    return st;
}

gs_status classifier_score(classifier *c, const gauss_stats *ref, const float *x, long n,
                           image_metrics *out, gs_error *err) {
    memset(out, 0, sizeof *out);
    if (n < 2) return gs_fail(err, GS_ERR_VALUE, "scoring needs at least 2 images, not %ld", n);
    float *feats = malloc((size_t)n * CLF_FEATURES * sizeof *feats);
    float *probs = malloc((size_t)n * CLF_CLASSES * sizeof *probs);
    if (!feats || !probs) {
        free(feats), free(probs);
        return gs_fail(err, GS_ERR_NOMEM, "out of memory for %ld samples' features", n);
    }
    classifier_forward(c, x, n, probs, feats);
    long count[CLF_CLASSES] = {0};
    double conf = 0;
    for (long i = 0; i < n; i++) {
        const float *p = probs + i * CLF_CLASSES;
        const int k = argmax(p, CLF_CLASSES);
        count[k]++;
        conf += p[k];
    }
    double kl = 0;
    for (int k = 0; k < CLF_CLASSES; k++) {
        if (count[k] * 100 >= n) out->classes++;
        if (count[k] > 0) {
            const double p = (double)count[k] / (double)n;
            kl += p * log(p * CLF_CLASSES);
        }
    }
    out->n = n;
    out->kl = (float)kl;
    out->confidence = (float)(conf / (double)n);
    gauss_stats gs;
    gs_status st = fcd_stats(feats, n, CLF_FEATURES, &gs, err);
    free(feats), free(probs);
    if (st) return st;
    gs_error e;
    /* Diverged samples give no distance: NaN, written as null. */
    if (fcd_frechet(&gs, ref, &out->fcd, &e)) out->fcd = NAN;
    fcd_stats_free(&gs);
    return GS_OK;
}

gs_status classifier_score_gan(classifier *c, const gauss_stats *ref, gan *gn, long n,
                               uint64_t seed, image_metrics *out, gs_error *err) {
    memset(out, 0, sizeof *out);
    if (gn->data.kind != DATA_IMAGES || gn->x_dim != c->in_dim)
        return gs_fail(err, GS_ERR_STATE, "the generator's images do not fit the classifier");
    float *z = malloc((size_t)n * gn->z_dim * sizeof *z);
    float *x = malloc((size_t)n * gn->x_dim * sizeof *x);
    if (!z || !x) {
        free(z), free(x);
        return gs_fail(err, GS_ERR_NOMEM, "out of memory for %ld samples", n);
    }
    gan_sample(gn, seed, n, z, x);
    gs_status st = classifier_score(c, ref, x, n, out, err);
    free(z), free(x);
    return st;
}
