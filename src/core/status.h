/* status.h - errors as values for the core library.
 * Every fallible core function returns a gs_status and, when given a gs_error,
 * fills a one-line human message. The core never prints and never exits:
 * front-ends decide what to do (the CLI prints the message and exits with 2). */
#ifndef GS_STATUS_H
#define GS_STATUS_H

typedef enum gs_status {
    GS_OK = 0,
    GS_ERR_IO,     /* file missing, unreadable, unwritable */
    GS_ERR_FORMAT, /* file present but malformed: bad magic, truncated, bad header */
    GS_ERR_VALUE,  /* a value out of range or of the wrong kind (preset, command) */
    GS_ERR_NOMEM,  /* allocation failed */
    GS_ERR_STATE,  /* operation not valid now (e.g. shapes differ from the network) */
    GS_STATUS_COUNT
} gs_status;

typedef struct gs_error {
    gs_status code;
    char msg[512];
} gs_error;

const char *gs_status_str(gs_status s);

/* Records code and a printf-style message in err (which may be NULL); returns code. */
gs_status gs_fail(gs_error *err, gs_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
