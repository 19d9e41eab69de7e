/* par.h - a second thread for the element-wise loops (the optimizer) that
 * OpenBLAS's threads do not cover. With one thread everything runs on the
 * caller; with two, par_for splits a range in halves and runs one on a
 * persistent worker that sleeps on a condition variable between jobs.
 * Element-wise work gives the same bits either way. */
#ifndef GS_PAR_H
#define GS_PAR_H

typedef void (*par_fn)(void *ctx, long lo, long hi);

/* 1 (default) or 2; anything above 2 is 2. Not thread-safe: call from the
 * thread that trains, before training. */
void par_set_threads(int n);
int par_threads(void);

/* fn(ctx, lo, hi) over [0, n), split in two when worth it. */
void par_for(par_fn fn, void *ctx, long n);

#endif
