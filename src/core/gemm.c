/* gemm.c - thin wrapper over cblas_sgemm so every product goes through one place. */
#include "gemm.h"

#include <cblas.h>

#include "par.h"

void gemm(int trans_a, int trans_b, int M, int N, int K, float alpha, const float *A, int lda,
          const float *B, int ldb, float beta, float *C, int ldc) {
    cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                trans_b ? CblasTrans : CblasNoTrans, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

void gemm_set_threads(int n) {
    openblas_set_num_threads(n);
    par_set_threads(n); /* the optimizer loops follow the same count */
}

int gemm_get_threads(void) {
    return openblas_get_num_threads();
}
