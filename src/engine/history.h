/* history.h - the loss history of a whole run in bounded memory: a fixed number
 * of buckets, each covering `stride` steps with min, max and mean of every
 * series; when full, neighbouring buckets merge and the stride doubles. */
#ifndef GS_HISTORY_H
#define GS_HISTORY_H

#define HIST_SERIES  4 /* d_loss, g_loss, d_real, d_fake */
#define HIST_BUCKETS 1024

typedef struct hist_bucket {
    long step; /* first step in the bucket */
    int count;
    float min[HIST_SERIES], max[HIST_SERIES], mean[HIST_SERIES];
} hist_bucket;

typedef struct history {
    long stride; /* steps per full bucket */
    int n;       /* buckets in use */
    hist_bucket b[HIST_BUCKETS];
} history;

void history_init(history *h);
void history_add(history *h, long step, const float v[HIST_SERIES]);

#endif
