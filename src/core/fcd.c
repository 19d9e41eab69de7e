/* fcd.c - Gaussian statistics of feature sets and the Fréchet distance between
 * them, with a cyclic Jacobi eigen-solver for the matrix square root. */
#include "fcd.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define JACOBI_MAX_SWEEPS 100

gs_status fcd_stats(const float *x, long n, int d, gauss_stats *out, gs_error *err) {
    memset(out, 0, sizeof *out);
    if (n < 2 || d < 1)
        return gs_fail(err, GS_ERR_VALUE, "feature statistics need at least 2 samples, not %ld", n);
    double *mean = calloc((size_t)d, sizeof *mean);
    double *cov = calloc((size_t)d * d, sizeof *cov);
    double *row = malloc((size_t)d * sizeof *row);
    if (!mean || !cov || !row) {
        free(mean), free(cov), free(row);
        return gs_fail(err, GS_ERR_NOMEM, "out of memory for %dx%d covariance", d, d);
    }
    for (long i = 0; i < n; i++)
        for (int j = 0; j < d; j++) mean[j] += x[i * d + j];
    for (int j = 0; j < d; j++) mean[j] /= (double)n;
    /* Centred products, upper triangle only: two passes keep the precision that
     * the one-pass E[xx] - E[x]E[x] formula loses. */
    for (long i = 0; i < n; i++) {
        for (int j = 0; j < d; j++) row[j] = x[i * d + j] - mean[j];
        for (int j = 0; j < d; j++) {
            const double rj = row[j];
            double *c = cov + (size_t)j * d;
            for (int k = j; k < d; k++) c[k] += rj * row[k];
        }
    }
    for (int j = 0; j < d; j++)
        for (int k = j; k < d; k++) {
            cov[(size_t)j * d + k] /= (double)(n - 1);
            cov[(size_t)k * d + j] = cov[(size_t)j * d + k];
        }
    free(row);
    out->d = d;
    out->n = n;
    out->mean = mean;
    out->cov = cov;
    return GS_OK;
}

void fcd_stats_free(gauss_stats *s) {
    free(s->mean);
    free(s->cov);
    memset(s, 0, sizeof *s);
}

static int all_finite(const double *a, long n) {
    for (long i = 0; i < n; i++)
        if (!isfinite(a[i])) return 0;
    return 1;
}

gs_status fcd_eigen_sym(double *a, int n, double *w, double *v, gs_error *err) {
    if (!all_finite(a, (long)n * n))
        return gs_fail(err, GS_ERR_VALUE, "matrix has a non-finite entry");
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) v[(size_t)i * n + j] = i == j;
    double total = 0;
    for (long i = 0; i < (long)n * n; i++) total += a[i] * a[i];
    int converged = 0;
    for (int sweep = 0; sweep < JACOBI_MAX_SWEEPS && !converged; sweep++) {
        double off = 0;
        for (int p = 0; p < n; p++)
            for (int q = p + 1; q < n; q++) off += a[(size_t)p * n + q] * a[(size_t)p * n + q];
        /* Off-diagonal mass negligible against the whole matrix: the diagonal holds
         * the eigenvalues to rounding. */
        if (off <= 1e-30 * total || off == 0.0) {
            converged = 1;
            break;
        }
        for (int p = 0; p < n; p++) {
            for (int q = p + 1; q < n; q++) {
                const double apq = a[(size_t)p * n + q];
                if (apq == 0.0) continue;
                const double app = a[(size_t)p * n + p], aqq = a[(size_t)q * n + q];
                /* Rotation angle phi with cot(2 phi) = theta zeroes a[p][q]; t = tan phi
                 * is the smaller root of t^2 + 2 theta t - 1 = 0, for stability. */
                const double theta = (aqq - app) / (2.0 * apq);
                double t;
                if (fabs(theta) > 1e150)
                    t = 0.5 / theta;
                else
                    t = (theta >= 0 ? 1.0 : -1.0) / (fabs(theta) + sqrt(theta * theta + 1.0));
                const double c = 1.0 / sqrt(t * t + 1.0), s = t * c;
                for (int k = 0; k < n; k++) { /* columns p and q: A J */
                    double *rk = a + (size_t)k * n;
                    const double akp = rk[p], akq = rk[q];
                    rk[p] = c * akp - s * akq;
                    rk[q] = s * akp + c * akq;
                }
                double *rp = a + (size_t)p * n, *rq = a + (size_t)q * n;
                for (int k = 0; k < n; k++) { /* rows p and q: J^T (A J) */
                    const double apk = rp[k], aqk = rq[k];
                    rp[k] = c * apk - s * aqk;
                    rq[k] = s * apk + c * aqk;
                }
                rp[q] = rq[p] = 0.0;
                for (int k = 0; k < n; k++) {
                    double *vk = v + (size_t)k * n;
                    const double vkp = vk[p], vkq = vk[q];
                    vk[p] = c * vkp - s * vkq;
                    vk[q] = s * vkp + c * vkq;
                }
            }
        }
    }
    if (!converged)
        return gs_fail(err, GS_ERR_STATE, "Jacobi eigen-solver did not converge in %d sweeps",
                       JACOBI_MAX_SWEEPS);
    for (int i = 0; i < n; i++) w[i] = a[(size_t)i * n + i];
    return GS_OK;
}

gs_status fcd_sqrtm_psd(const double *a, int n, double *out, gs_error *err) {
    double *work = malloc((size_t)n * n * sizeof *work);
    double *v = malloc((size_t)n * n * sizeof *v);
    double *w = malloc((size_t)n * sizeof *w);
    gs_status st = GS_OK;
    if (!work || !v || !w) {
        st = gs_fail(err, GS_ERR_NOMEM, "out of memory for a %dx%d square root", n, n);
        goto done;
    }
    memcpy(work, a, (size_t)n * n * sizeof *work);
    if ((st = fcd_eigen_sym(work, n, w, v, err))) goto done;
    for (int k = 0; k < n; k++) w[k] = w[k] > 0 ? sqrt(w[k]) : 0.0;
    /* out = V diag(sqrt w) V^T */
    for (int i = 0; i < n; i++)
        for (int j = i; j < n; j++) {
            double sum = 0;
            const double *vi = v + (size_t)i * n, *vj = v + (size_t)j * n;
            for (int k = 0; k < n; k++) sum += vi[k] * w[k] * vj[k];
            out[(size_t)i * n + j] = out[(size_t)j * n + i] = sum;
        }
done:
    free(work), free(v), free(w);
    return st;
}

gs_status fcd_frechet(const gauss_stats *a, const gauss_stats *b, double *out, gs_error *err) {
    if (a->d != b->d)
        return gs_fail(err, GS_ERR_STATE, "feature sizes differ: %d and %d", a->d, b->d);
    const int d = a->d;
    const size_t dd = (size_t)d * d;
    if (!all_finite(a->mean, d) || !all_finite(b->mean, d) || !all_finite(a->cov, (long)dd) ||
        !all_finite(b->cov, (long)dd))
        return gs_fail(err, GS_ERR_VALUE, "features are not finite (diverged samples?)");
    double *r = malloc(dd * sizeof *r), *t = malloc(dd * sizeof *t), *m = malloc(dd * sizeof *m);
    double *v = malloc(dd * sizeof *v), *w = malloc((size_t)d * sizeof *w);
    gs_status st = GS_OK;
    if (!r || !t || !m || !v || !w) {
        st = gs_fail(err, GS_ERR_NOMEM, "out of memory for the Fréchet distance");
        goto done;
    }
    if ((st = fcd_sqrtm_psd(a->cov, d, r, err))) goto done;
    /* M = R S2 R with R = S1^(1/2): symmetric PSD and similar to S1 S2, so its
     * eigenvalues are those of S1 S2 and the trace of its root is the one wanted. */
    for (int i = 0; i < d; i++)
        for (int j = 0; j < d; j++) {
            double sum = 0;
            for (int k = 0; k < d; k++) sum += r[(size_t)i * d + k] * b->cov[(size_t)k * d + j];
            t[(size_t)i * d + j] = sum;
        }
    for (int i = 0; i < d; i++)
        for (int j = i; j < d; j++) {
            double sum = 0;
            for (int k = 0; k < d; k++) sum += t[(size_t)i * d + k] * r[(size_t)k * d + j];
            m[(size_t)i * d + j] = sum;
        }
    for (int i = 0; i < d; i++)
        for (int j = 0; j < i; j++) m[(size_t)i * d + j] = m[(size_t)j * d + i];
    if ((st = fcd_eigen_sym(m, d, w, v, err))) goto done;
    double diff = 0, tr = 0, tr_sqrt = 0;
    for (int i = 0; i < d; i++) {
        const double dm = a->mean[i] - b->mean[i];
        diff += dm * dm;
        tr += a->cov[(size_t)i * d + i] + b->cov[(size_t)i * d + i];
        tr_sqrt += w[i] > 0 ? sqrt(w[i]) : 0.0;
    }
    const double fd = diff + tr - 2.0 * tr_sqrt;
    /* A distance: rounding may leave -1e-12 for identical sets. */
    *out = fd > 0 ? fd : 0.0;
done:
    free(r), free(t), free(m), free(v), free(w);
    return st;
}
