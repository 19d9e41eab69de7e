/* classifier.h - the image classifier that turns generated images into numbers:
 * an MLP (in -> 256 -> 128 -> 10, relu) trained once with the project's own
 * core on the data set's labelled training images, cached on disk, and the
 * image metrics built on it: classes covered, KL of the predicted-class
 * histogram from uniform, mean confidence, and FCD (the Fréchet distance between
 * its 128-d penultimate features of generated and of real test images).
 *
 * The cache file lives in $XDG_CACHE_HOME/ganscope/ (~/.cache/ganscope/) and is
 * named by a key: FNV-1a 64 of the training images, the labels and the training
 * recipe, so a different data set or a new recipe never reuses old weights. The
 * file carries a magic, its key, the sizes, the test accuracy and an FNV-1a 64
 * checksum of everything before it; any mismatch means "retrain". */
#ifndef GS_CLASSIFIER_H
#define GS_CLASSIFIER_H

#include <stddef.h>
#include <stdint.h>

#include "data.h"
#include "fcd.h"
#include "gan.h"
#include "mlp.h"
#include "status.h"

#define CLF_CLASSES  10
#define CLF_FEATURES 128 /* width of the penultimate layer: the FCD features */
#define CLF_VERSION  1   /* bump when the recipe changes: old caches are ignored */

typedef struct classifier {
    mlp net; /* in -> 256 -> 128 -> CLF_CLASSES logits */
    int in_dim;
    uint64_t key;   /* classifier_key of the data it was trained on */
    float accuracy; /* on the test images (or the held-out training images) */
} classifier;

/* How classifier_get came by its classifier. */
typedef struct clf_origin {
    int trained;     /* 1: trained now; 0: loaded from the cache */
    int was_corrupt; /* a cache file existed but failed its checks */
    int cached;      /* the cache file now holds this classifier */
    char path[1024]; /* the cache file ("" when no cache folder could be found) */
    char note[512];  /* why the cache was not used or not written, when it was not */
} clf_origin;

/* Called after each epoch of training (may be NULL). */
typedef void (*clf_progress_fn)(void *ctx, int epoch, int epochs, float loss);

/* The cache key of a data set: FNV-1a 64 of its training images and labels, the
 * image size and the recipe (architecture, CLF_VERSION). */
uint64_t classifier_key(const dataset *ds);

/* The cache folder: $XDG_CACHE_HOME/ganscope, else $HOME/.cache/ganscope; created
 * if missing. */
gs_status classifier_cache_dir(char *buf, size_t n, gs_error *err);

/* Trains a fresh classifier on ds's labelled training images (the recipe is
 * fixed and seeded: same data, same weights) and measures its test accuracy.
 * GS_ERR_STATE when ds has no images or no labels. */
gs_status classifier_train(classifier *c, const dataset *ds, clf_progress_fn progress, void *ctx,
                           gs_error *err);
void classifier_free(classifier *c);

/* Saves atomically / loads a classifier. Loading checks size, magic, key (when
 * key is not 0), sizes and checksum: GS_ERR_FORMAT for a corrupt or foreign file,
 * GS_ERR_IO when it cannot be read. */
gs_status classifier_save(const classifier *c, const char *path, gs_error *err);
gs_status classifier_load(classifier *c, const char *path, uint64_t key, gs_error *err);

/* The classifier for ds: from the cache when a valid file is there, else trained
 * and written to the cache (a cache that cannot be written is noted in origin,
 * not an error). cache_dir NULL means classifier_cache_dir. */
gs_status classifier_get(classifier *c, const dataset *ds, const char *cache_dir,
                         clf_origin *origin, clf_progress_fn progress, void *ctx, gs_error *err);

/* Class probabilities probs (n, CLF_CLASSES) and penultimate features feats
 * (n, CLF_FEATURES) of n images x (n, in_dim) scaled to [-1, 1]; either output
 * may be NULL. */
void classifier_forward(classifier *c, const float *x, long n, float *probs, float *feats);

/* Fraction of n byte images pix (n, in_dim) whose predicted class is labels[i]. */
float classifier_accuracy(classifier *c, const uint8_t *pix, const uint8_t *labels, long n);

typedef struct image_metrics {
    long n;
    int classes;      /* classes predicted for >= 1% of the samples */
    float kl;         /* KL(predicted-class histogram || uniform) */
    float confidence; /* mean max softmax */
    double fcd;       /* Fréchet distance of features to the reference; NaN if undefined */
} image_metrics;

/* Feature statistics of the real test images of ds (the training images when it
 * has no test set), the reference of FCD. */
gs_status classifier_reference(classifier *c, const dataset *ds, gauss_stats *ref, gs_error *err);

/* Scores n images x (n, in_dim) in [-1, 1] against ref. */
gs_status classifier_score(classifier *c, const gauss_stats *ref, const float *x, long n,
                           image_metrics *out, gs_error *err);

/* Draws n generator samples from noise seeded by seed (the training RNG is
 * untouched) and scores them. */
gs_status classifier_score_gan(classifier *c, const gauss_stats *ref, gan *gn, long n,
                               uint64_t seed, image_metrics *out, gs_error *err);

#endif
