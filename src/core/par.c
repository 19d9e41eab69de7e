/* par.c - the two-way parallel-for of par.h.
 * Rules: `lock` guards job, generation and done; the worker waits on `wake`
 * for a new generation, runs its half, sets done and signals `finished`. The
 * caller runs the other half meanwhile and waits for done. One job at a time:
 * par_for is called only from the training thread. */
#include "par.h"

#include <pthread.h>

#define PAR_MIN 32768 /* below this a wake-up costs more than it saves */

static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake, finished;
    pthread_t thread;
    int started;
    int threads;
    unsigned long generation;
    int done;
    par_fn fn;
    void *ctx;
    long lo, hi;
} par = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER,
         .threads = 1};

static void *worker(void *arg) {
    (void)arg;
    unsigned long seen = 0;
    pthread_mutex_lock(&par.lock);
    for (;;) {
        while (par.generation == seen) pthread_cond_wait(&par.wake, &par.lock);
        seen = par.generation;
        par_fn fn = par.fn;
        void *ctx = par.ctx;
        long lo = par.lo, hi = par.hi;
        pthread_mutex_unlock(&par.lock);
        fn(ctx, lo, hi);
        pthread_mutex_lock(&par.lock);
        par.done = 1;
        pthread_cond_signal(&par.finished);
    }
    return NULL;
}

void par_set_threads(int n) {
    par.threads = n >= 2 ? 2 : 1;
    if (par.threads == 2 && !par.started) {
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&par.thread, &attr, worker, NULL) == 0)
            par.started = 1;
        else
            par.threads = 1;
        pthread_attr_destroy(&attr);
    }
}

int par_threads(void) {
    return par.threads;
}

void par_for(par_fn fn, void *ctx, long n) {
    if (par.threads < 2 || !par.started || n < PAR_MIN) {
        fn(ctx, 0, n);
        return;
    }
    long mid = n / 2;
    pthread_mutex_lock(&par.lock);
    par.fn = fn;
    par.ctx = ctx;
    par.lo = mid;
    par.hi = n;
    par.done = 0;
    par.generation++;
    pthread_cond_signal(&par.wake);
    pthread_mutex_unlock(&par.lock);
    fn(ctx, 0, mid);
    pthread_mutex_lock(&par.lock);
    while (!par.done) pthread_cond_wait(&par.finished, &par.lock);
    pthread_mutex_unlock(&par.lock);
}
