/* gemm.h - the one matrix product of the project, over cblas_sgemm (OpenBLAS).
 * Row-major: C (M, N) = alpha * op(A) (M, K) * op(B) (K, N) + beta * C. */
#ifndef GS_GEMM_H
#define GS_GEMM_H

void gemm(int trans_a, int trans_b, int M, int N, int K, float alpha, const float *A, int lda,
          const float *B, int ldb, float beta, float *C, int ldc);

/* Sets OpenBLAS's thread count (1 for bit-identical runs). */
void gemm_set_threads(int n);
int gemm_get_threads(void);

#endif
