/* engine.c - the trainer thread, its command queue and snapshot publishing.
 *
 * Who owns what (the rules every change here must keep):
 *  - The trainer thread alone touches the session: the networks, optimizers,
 *    data, RNG, event list and run log. No other thread reads them, ever.
 *  - qlock guards the command queue (q, q_head, q_len). Front-end threads push,
 *    the trainer pops everything at once between two steps; qcond wakes a
 *    paused trainer when a command arrives.
 *  - slock guards the published snapshot (pub) and its version. The trainer
 *    fills its private `work` snapshot without any lock, then holds slock only
 *    for one memcpy into pub; readers hold it only for one memcpy out.
 *  - reader_seen and running are atomics: a reader's last visit (publishing is
 *    skipped when nobody looks) and whether the thread is alive.
 *  - Publishing is rate-limited to 30 per second and to about 2% of the
 *    trainer's time (the interval grows with the measured cost of a publish). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"

#define QUEUE_CAP        1024
#define PUBLISH_INTERVAL (1.0 / 30.0)
#define PUBLISH_BUDGET   0.02 /* fraction of trainer time spent on snapshots */
#define READER_TIMEOUT   1.0  /* seconds without a reader before publishing stops */

struct engine {
    pthread_t thread;
    session s;

    pthread_mutex_t qlock;
    pthread_cond_t qcond;
    engine_cmd q[QUEUE_CAP];
    int q_head, q_len;

    pthread_mutex_t slock;
    snapshot *pub;
    uint64_t version;

    snapshot *work; /* trainer-owned */
    double last_pub, pub_cost;
    int unpublished; /* commands applied since the last publish (trainer-owned) */
    _Atomic double reader_seen;
    atomic_int running;
};

static void publish(engine *e) {
    double t = engine_now();
    session_fill_snapshot(&e->s, e->work, 1);
    pthread_mutex_lock(&e->slock);
    e->work->version = ++e->version;
    memcpy(e->pub, e->work, sizeof *e->pub);
    pthread_mutex_unlock(&e->slock);
    double now = engine_now();
    e->pub_cost = 0.8 * e->pub_cost + 0.2 * (now - t);
    e->last_pub = now;
}

static int publish_due(engine *e, int changed) {
    double now = engine_now();
    if (now - atomic_load(&e->reader_seen) > READER_TIMEOUT) return 0;
    double interval = e->pub_cost / PUBLISH_BUDGET;
    if (interval < PUBLISH_INTERVAL) interval = PUBLISH_INTERVAL;
    return (changed || !e->s.paused) && now - e->last_pub >= interval;
}

/* Takes every queued command; returns how many. */
static int drain(engine *e, engine_cmd *out, int wait) {
    pthread_mutex_lock(&e->qlock);
    if (wait && e->q_len == 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 30 * 1000 * 1000;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&e->qcond, &e->qlock, &ts);
    }
    int n = e->q_len;
    for (int i = 0; i < n; i++) out[i] = e->q[(e->q_head + i) % QUEUE_CAP];
    e->q_head = (e->q_head + n) % QUEUE_CAP;
    e->q_len = 0;
    pthread_mutex_unlock(&e->qlock);
    return n;
}

static void *trainer(void *arg) {
    engine *e = arg;
    engine_cmd *batch = malloc(QUEUE_CAP * sizeof *batch);
    long log_every = e->s.gn.cfg.train.log_every;
    while (batch && !e->s.quit) {
        int n = drain(e, batch, e->s.paused);
        for (int i = 0; i < n && !e->s.quit; i++) session_apply(&e->s, &batch[i]);
        if (e->s.quit) break;
        if (!e->s.paused) {
            session_step(&e->s);
            log_every = e->s.gn.cfg.train.log_every;
            if (log_every > 0 && e->s.gn.step % log_every == 0)
                session_log_metrics(&e->s, "metrics");
        }
        /* a change made inside the publish interval must still reach the
         * screen, also when the trainer is paused and nothing else happens */
        e->unpublished |= n > 0;
        if (publish_due(e, e->unpublished)) {
            publish(e);
            e->unpublished = 0;
        }
    }
    session_log_metrics(&e->s, "summary");
    /* a last snapshot that says the trainer has stopped */
    e->s.quit = 1;
    publish(e);
    free(batch);
    atomic_store(&e->running, 0);
    return NULL;
}

gs_status engine_start(engine **out, const gs_config *cfg, runlog *log, int start_paused,
                       gs_error *err) {
    engine *e = calloc(1, sizeof *e);
    if (!e) return gs_fail(err, GS_ERR_NOMEM, "out of memory for the engine");
    e->pub = calloc(1, sizeof *e->pub);
    e->work = calloc(1, sizeof *e->work);
    if (!e->pub || !e->work) {
        free(e->pub);
        free(e->work);
        free(e);
        return gs_fail(err, GS_ERR_NOMEM, "out of memory for snapshots");
    }
    gs_status st = session_open(&e->s, cfg, log, NULL, err);
    if (st) {
        free(e->pub);
        free(e->work);
        free(e);
        return st;
    }
    e->s.paused = start_paused;
    pthread_mutex_init(&e->qlock, NULL);
    pthread_cond_init(&e->qcond, NULL);
    pthread_mutex_init(&e->slock, NULL);
    /* the first snapshot is there before the thread starts */
    session_fill_snapshot(&e->s, e->pub, 1);
    e->pub->version = e->version = 1;
    atomic_store(&e->reader_seen, engine_now());
    atomic_store(&e->running, 1);
    if (pthread_create(&e->thread, NULL, trainer, e) != 0) {
        session_close(&e->s);
        free(e->pub);
        free(e->work);
        free(e);
        return gs_fail(err, GS_ERR_STATE, "cannot start the trainer thread");
    }
    *out = e;
    return GS_OK;
}

int engine_send(engine *e, const engine_cmd *c) {
    pthread_mutex_lock(&e->qlock);
    int ok = e->q_len < QUEUE_CAP;
    if (ok) {
        e->q[(e->q_head + e->q_len) % QUEUE_CAP] = *c;
        e->q_len++;
        pthread_cond_signal(&e->qcond);
    }
    pthread_mutex_unlock(&e->qlock);
    return ok;
}

uint64_t engine_snapshot(engine *e, snapshot *out) {
    atomic_store(&e->reader_seen, engine_now());
    pthread_mutex_lock(&e->slock);
    memcpy(out, e->pub, sizeof *out);
    uint64_t v = e->version;
    pthread_mutex_unlock(&e->slock);
    return v;
}

int engine_running(engine *e) {
    return atomic_load(&e->running);
}

void engine_stop(engine *e) {
    if (!e) return;
    engine_cmd q = {.kind = CMD_QUIT};
    /* a full queue must not stop the quit: wait for room */
    while (!engine_send(e, &q) && atomic_load(&e->running)) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    pthread_join(e->thread, NULL);
    session_close(&e->s);
    pthread_mutex_destroy(&e->qlock);
    pthread_cond_destroy(&e->qcond);
    pthread_mutex_destroy(&e->slock);
    free(e->pub);
    free(e->work);
    free(e);
}
