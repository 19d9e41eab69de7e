/* data.h - data sets: 2D distributions generated in-process (ring8, grid25,
 * spiral, moons, circles), 2D points from a CSV file, and images from IDX files
 * (MNIST format, plain or .gz). Images stay as bytes and are scaled to [-1, 1]
 * per batch. */
#ifndef GS_DATA_H
#define GS_DATA_H

#include <stdint.h>

#include "rng.h"
#include "status.h"

#define DATA_MAX_MODES   25
#define DATA_FASHION_DIR "/usr/share/datasets/fashion-mnist"

typedef enum data_kind { DATA_POINTS, DATA_IMAGES } data_kind;

typedef struct dataset {
    data_kind kind;
    char name[32]; /* source name: ring8, grid25, spiral, moons, circles, csv, idx */
    int dim;       /* 2 for points, width*height for images */
    /* points */
    float *points; /* (n_points, 2) for csv; NULL for generated sets */
    long n_points;
    int n_modes;                     /* ring8: 8, grid25: 25, else 0 */
    float modes[DATA_MAX_MODES * 2]; /* (n_modes, 2) */
    float sigma;                     /* std of each mode */
    float view[4];                   /* xmin, xmax, ymin, ymax for plots */
    /* images */
    int width, height;
    uint8_t *images; /* (n_images, height*width) training set */
    uint8_t *labels; /* (n_images), may be NULL */
    long n_images;
    uint8_t *test_images; /* (n_test, height*width) test set, may be NULL */
    uint8_t *test_labels;
    long n_test;
} dataset;

/* Opens a data set by source name; path is the CSV file or the IDX folder (an
 * empty path for idx means DATA_FASHION_DIR). */
gs_status data_open(const char *source, const char *path, dataset *ds, gs_error *err);
void data_close(dataset *ds);

/* Draws n samples into out (n, dim); images are scaled from bytes to [-1, 1]. */
void data_batch(const dataset *ds, rng *r, float *out, int n);

/* Reads an IDX file (plain or gzip): ubyte tensors of 1 to 3 dimensions.
 * *dims receives up to 3 sizes; the caller frees *data. Checks magic, sizes
 * against the file length, and refuses absurd sizes. */
gs_status idx_read(const char *path, uint8_t **data, int *ndim, int dims[3], gs_error *err);
/* Writes n images h x w as an IDX3 ubyte file, atomically. */
gs_status idx_write_images(const char *path, const uint8_t *pix, long n, int h, int w,
                           gs_error *err);

/* Names of the sources data_open accepts, for messages. */
const char *data_sources(void);

#endif
