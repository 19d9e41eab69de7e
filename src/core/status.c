/* status.c - status names and the error-recording helper used by every core module. */
#include "status.h"

#include <stdarg.h>
#include <stdio.h>

static const char *const status_names[GS_STATUS_COUNT] = {
    [GS_OK] = "ok",
    [GS_ERR_IO] = "i/o error",
    [GS_ERR_FORMAT] = "bad format",
    [GS_ERR_VALUE] = "bad value",
    [GS_ERR_NOMEM] = "out of memory",
    [GS_ERR_STATE] = "invalid state",
};

const char *gs_status_str(gs_status s) {
    return (s >= 0 && s < GS_STATUS_COUNT) ? status_names[s] : "unknown status";
}

gs_status gs_fail(gs_error *err, gs_status code, const char *fmt, ...) {
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}
