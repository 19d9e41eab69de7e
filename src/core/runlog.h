/* runlog.h - the run log: metrics records and events as JSON Lines or CSV, the
 * same format from `train`, the visualizer and the ncurses mode. Every line is
 * flushed when written, so an interrupted run keeps everything up to its end. */
#ifndef GS_RUNLOG_H
#define GS_RUNLOG_H

#include <stdio.h>

#include "status.h"

typedef struct runlog_record {
    long step;
    double time_s; /* seconds since the run started */
    float d_loss, g_loss, d_real, d_fake;
    float steps_per_s;
    int has_modes; /* the fields below are valid */
    int modes, n_modes;
    float hq, kl;
} runlog_record;

typedef struct runlog {
    FILE *fp;
    int csv;
    int owned; /* fclose on runlog_close */
} runlog;

/* Opens path for writing; CSV when it ends in .csv, JSON Lines otherwise. */
gs_status runlog_open(runlog *lg, const char *path, gs_error *err);
/* Wraps an already open stream (stdout) as JSON Lines. */
void runlog_wrap(runlog *lg, FILE *fp);
void runlog_close(runlog *lg);

/* type is "metrics" for periodic records and "summary" for the final one. */
void runlog_metrics(runlog *lg, const char *type, const runlog_record *r);
void runlog_event(runlog *lg, long step, double time_s, const char *text);

/* Writes s as a JSON string literal (with quotes) to fp. */
void runlog_json_string(FILE *fp, const char *s);

#endif
