/* runlog.c - JSON Lines / CSV writer for metrics and events. */
#include "runlog.h"

#include <errno.h>
#include <math.h>
#include <string.h>

static const char csv_header[] =
    "type,step,time_s,d_loss,g_loss,d_real,d_fake,steps_per_s,modes,hq,kl,event\n";

gs_status runlog_open(runlog *lg, const char *path, gs_error *err) {
    memset(lg, 0, sizeof *lg);
    lg->fp = fopen(path, "w");
    if (!lg->fp) return gs_fail(err, GS_ERR_IO, "%s: cannot write log: %s", path, strerror(errno));
    size_t n = strlen(path);
    lg->csv = n >= 4 && strcmp(path + n - 4, ".csv") == 0;
    lg->owned = 1;
    if (lg->csv) {
        fputs(csv_header, lg->fp);
        fflush(lg->fp);
    }
    return GS_OK;
}

void runlog_wrap(runlog *lg, FILE *fp) {
    memset(lg, 0, sizeof *lg);
    lg->fp = fp;
}

void runlog_close(runlog *lg) {
    if (lg->fp && lg->owned) fclose(lg->fp);
    memset(lg, 0, sizeof *lg);
}

void runlog_json_string(FILE *fp, const char *s) {
    fputc('"', fp);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(fp, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", fp);
        else if (c < 0x20)
            fprintf(fp, "\\u%04x", c);
        else
            fputc(c, fp);
    }
    fputc('"', fp);
}

/* JSON has no NaN: a diverged loss is written as null. */
static void json_num(FILE *fp, const char *key, double v) {
    if (isfinite(v))
        fprintf(fp, ", \"%s\": %.6g", key, v);
    else
        fprintf(fp, ", \"%s\": null", key);
}

void runlog_metrics(runlog *lg, const char *type, const runlog_record *r) {
    if (!lg->fp) return;
    if (lg->csv) {
        fprintf(lg->fp, "%s,%ld,%.3f,%.6g,%.6g,%.6g,%.6g,%.2f,", type, r->step, r->time_s,
                r->d_loss, r->g_loss, r->d_real, r->d_fake, r->steps_per_s);
        if (r->has_modes)
            fprintf(lg->fp, "%d,%.4f,%.4f,\n", r->modes, r->hq, r->kl);
        else
            fputs(",,,\n", lg->fp);
    } else {
        fprintf(lg->fp, "{\"type\": \"%s\", \"step\": %ld", type, r->step);
        json_num(lg->fp, "time_s", r->time_s);
        json_num(lg->fp, "d_loss", r->d_loss);
        json_num(lg->fp, "g_loss", r->g_loss);
        json_num(lg->fp, "d_real", r->d_real);
        json_num(lg->fp, "d_fake", r->d_fake);
        json_num(lg->fp, "steps_per_s", r->steps_per_s);
        if (r->has_modes) {
            fprintf(lg->fp, ", \"modes\": %d, \"n_modes\": %d", r->modes, r->n_modes);
            json_num(lg->fp, "hq", r->hq);
            json_num(lg->fp, "kl", r->kl);
        }
        fputs("}\n", lg->fp);
    }
    fflush(lg->fp);
}

void runlog_event(runlog *lg, long step, double time_s, const char *text) {
    if (!lg->fp) return;
    if (lg->csv) {
        fprintf(lg->fp, "event,%ld,%.3f,,,,,,,,,\"", step, time_s);
        for (const char *s = text; *s; s++) {
            if (*s == '"') fputc('"', lg->fp);
            fputc(*s == '\n' ? ' ' : *s, lg->fp);
        }
        fputs("\"\n", lg->fp);
    } else {
        fprintf(lg->fp, "{\"type\": \"event\", \"step\": %ld, \"time_s\": %.3f, \"event\": ", step,
                time_s);
        runlog_json_string(lg->fp, text);
        fputs("}\n", lg->fp);
    }
    fflush(lg->fp);
}
