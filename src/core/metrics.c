/* metrics.c - mode coverage for ring8/grid25 (the PacGAN/VEEGAN protocol) and
 * per-layer statistics of a network's last forward/backward pass. */
#include "metrics.h"

#include <float.h>
#include <math.h>
#include <string.h>

gs_status metrics_modes(const dataset *ds, const float *pts, long n, mode_stats *out) {
    memset(out, 0, sizeof *out);
    if (ds->n_modes == 0) return GS_ERR_STATE;
    const int K = ds->n_modes;
    long count[DATA_MAX_MODES] = {0};
    long hq = 0;
    const float lim2 = 9.0f * ds->sigma * ds->sigma; /* within 3 sigma */
    for (long i = 0; i < n; i++) {
        float x = pts[2 * i], y = pts[2 * i + 1];
        int best = 0;
        float bd = FLT_MAX;
        for (int k = 0; k < K; k++) {
            float dx = x - ds->modes[2 * k], dy = y - ds->modes[2 * k + 1];
            float d = dx * dx + dy * dy;
            if (d < bd) {
                bd = d;
                best = k;
            }
        }
        if (bd <= lim2) {
            hq++;
            count[best]++;
        }
    }
    out->n_modes = K;
    out->hq = n ? (float)hq / (float)n : 0.0f;
    double kl = 0.0;
    for (int k = 0; k < K; k++) {
        if (count[k] > 0) {
            out->modes++;
            double p = (double)count[k] / (double)hq;
            kl += p * log(p * K);
        }
    }
    /* With no high-quality sample at all the histogram is undefined; report the
     * largest KL a histogram can have (all mass on one mode), log K. */
    out->kl = hq ? (float)kl : (float)log((double)K);
    return GS_OK;
}

static void histogram(const float *v, long n, float *hist, float *lo_out, float *hi_out) {
    float lo = FLT_MAX, hi = -FLT_MAX;
    for (long i = 0; i < n; i++) {
        if (v[i] < lo) lo = v[i];
        if (v[i] > hi) hi = v[i];
    }
    if (n == 0 || !(hi > lo)) {
        float c = n ? lo : 0.0f;
        lo = c - 1.0f;
        hi = c + 1.0f;
    }
    memset(hist, 0, HIST_BINS * sizeof *hist);
    const float scale = HIST_BINS / (hi - lo);
    for (long i = 0; i < n; i++) {
        int b = (int)((v[i] - lo) * scale);
        if (b < 0) b = 0;
        if (b >= HIST_BINS) b = HIST_BINS - 1;
        hist[b] += 1.0f;
    }
    for (int b = 0; b < HIST_BINS; b++) hist[b] /= (float)(n ? n : 1);
    *lo_out = lo;
    *hi_out = hi;
}

void metrics_layer(const mlp *net, int layer, layer_stats *out) {
    const mlp_layer *L = &net->layer[layer];
    const long rows = net->batch, units = L->out, n = rows * units;
    memset(out, 0, sizeof *out);
    out->act = L->act;
    out->slope = L->alpha[0];
    out->units = L->out;
    histogram(L->z, n, out->pre_hist, &out->pre_lo, &out->pre_hi);
    histogram(L->a, n, out->post_hist, &out->post_lo, &out->post_hi);
    out->grad_norm = mlp_grad_norm(net, layer);
    long dead = 0;
    for (long j = 0; j < units; j++) {
        long i = 0;
        while (i < rows && L->a[i * units + j] == 0.0f) i++;
        if (rows > 0 && i == rows) dead++;
    }
    out->dead = units ? (float)dead / (float)units : 0.0f;
    const act_info *ai = &act_table[L->act];
    if (ai->sat_hi > ai->sat_lo && n > 0) {
        long sat = 0;
        for (long i = 0; i < n; i++)
            if (L->a[i] <= ai->sat_lo + 0.01f || L->a[i] >= ai->sat_hi - 0.01f) sat++;
        out->saturated = (float)sat / (float)n;
    }
}
