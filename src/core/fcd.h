/* fcd.h - the Fréchet distance between two Gaussians fitted to feature sets,
 * the "FID" recipe with this project's own classifier as the feature extractor
 * (hence FCD). Everything is in double: covariances of 128-d features are
 * ill-conditioned and float loses the trace term. The matrix square root comes
 * from a symmetric eigen-decomposition by cyclic Jacobi rotations, which is
 * exact to rounding for symmetric matrices and needs no library. */
#ifndef GS_FCD_H
#define GS_FCD_H

#include "status.h"

typedef struct gauss_stats {
    int d;
    long n;       /* samples the statistics came from */
    double *mean; /* (d) */
    double *cov;  /* (d, d) unbiased (divisor n - 1) */
} gauss_stats;

/* Mean and covariance of n rows x (n, d); n >= 2. */
gs_status fcd_stats(const float *x, long n, int d, gauss_stats *out, gs_error *err);
void fcd_stats_free(gauss_stats *s);

/* Eigen-decomposition of the symmetric matrix a (n, n), which is overwritten:
 * a = V diag(w) V^T with the eigenvectors in the columns of v (n, n). */
gs_status fcd_eigen_sym(double *a, int n, double *w, double *v, gs_error *err);

/* The symmetric square root of a symmetric positive semi-definite a (n, n) into
 * out (n, n); eigenvalues that rounding made slightly negative count as 0. */
gs_status fcd_sqrtm_psd(const double *a, int n, double *out, gs_error *err);

/* ||mu1 - mu2||^2 + Tr(S1 + S2 - 2 (S1 S2)^(1/2)), where the last trace is the sum
 * of the square roots of the eigenvalues of S1^(1/2) S2 S1^(1/2). */
gs_status fcd_frechet(const gauss_stats *a, const gauss_stats *b, double *out, gs_error *err);

#endif
