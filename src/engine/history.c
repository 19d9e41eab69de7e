/* history.c - bucketed min/max/mean loss history with pairwise merging. */
#include "history.h"

#include <string.h>

void history_init(history *h) {
    memset(h, 0, sizeof *h);
    h->stride = 1;
}

static void merge_into(hist_bucket *a, const hist_bucket *b) {
    for (int s = 0; s < HIST_SERIES; s++) {
        if (b->min[s] < a->min[s]) a->min[s] = b->min[s];
        if (b->max[s] > a->max[s]) a->max[s] = b->max[s];
        a->mean[s] = (a->mean[s] * a->count + b->mean[s] * b->count) / (float)(a->count + b->count);
    }
    a->count += b->count;
}

void history_add(history *h, long step, const float v[HIST_SERIES]) {
    hist_bucket *last = h->n ? &h->b[h->n - 1] : NULL;
    if (last && step < last->step + h->stride && step >= last->step) {
        hist_bucket one = {.step = step, .count = 1};
        memcpy(one.min, v, sizeof one.min);
        memcpy(one.max, v, sizeof one.max);
        memcpy(one.mean, v, sizeof one.mean);
        merge_into(last, &one);
        return;
    }
    if (h->n == HIST_BUCKETS) {
        /* Halve the resolution of the whole run: merge neighbouring pairs. */
        for (int i = 0; i < HIST_BUCKETS / 2; i++) {
            hist_bucket m = h->b[2 * i];
            merge_into(&m, &h->b[2 * i + 1]);
            h->b[i] = m;
        }
        h->n = HIST_BUCKETS / 2;
        h->stride *= 2;
        history_add(h, step, v);
        return;
    }
    hist_bucket *nb = &h->b[h->n++];
    /* Buckets start on multiples of the stride so merged pairs stay aligned. */
    nb->step = step - step % h->stride;
    nb->count = 1;
    memcpy(nb->min, v, sizeof nb->min);
    memcpy(nb->max, v, sizeof nb->max);
    memcpy(nb->mean, v, sizeof nb->mean);
}
