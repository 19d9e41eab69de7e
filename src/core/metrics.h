/* metrics.h - what the core measures: the mode-coverage protocol for ring8 and
 * grid25 (PacGAN/VEEGAN), and per-layer statistics of a network's last pass
 * (histograms, gradient norm, dead and saturated units). */
#ifndef GS_METRICS_H
#define GS_METRICS_H

#include "data.h"
#include "mlp.h"

#define METRICS_SAMPLES 2500 /* generator samples of the standard protocol */
#define HIST_BINS       40

typedef struct mode_stats {
    int modes;   /* modes captured */
    int n_modes; /* modes the data set has */
    float hq;    /* fraction of samples within 3 sigma of their nearest mode */
    float kl;    /* KL(high-quality mode histogram || uniform) */
} mode_stats;

/* Scores n points (n, 2) against ds's modes. Returns GS_ERR_STATE if ds has none. */
gs_status metrics_modes(const dataset *ds, const float *pts, long n, mode_stats *out);

typedef struct layer_stats {
    act_kind act;
    float slope;
    int units;
    float pre_lo, pre_hi; /* histogram ranges */
    float post_lo, post_hi;
    float pre_hist[HIST_BINS]; /* fractions of values, summing to 1 */
    float post_hist[HIST_BINS];
    float grad_norm; /* L2 norm of the layer's weight+bias gradient */
    float dead;      /* fraction of units whose output is 0 for every row */
    float saturated; /* fraction of outputs within 0.01 of a saturating bound */
} layer_stats;

/* Statistics of layer `layer` from the network's last forward (and backward). */
void metrics_layer(const mlp *net, int layer, layer_stats *out);

#endif
