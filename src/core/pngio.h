/* pngio.h - PNG output through libpng, written atomically. */
#ifndef GS_PNG_H
#define GS_PNG_H

#include <stdint.h>

#include "status.h"

/* channels: 1 (grey), 3 (RGB) or 4 (RGBA); stride in bytes between rows. */
gs_status png_write(const char *path, int w, int h, int channels, const uint8_t *pix, int stride,
                    gs_error *err);

/* Tiles n greyscale images (h, w) into a grid of cols columns with a 2-pixel gap
 * and writes it as PNG. */
gs_status png_write_grid(const char *path, const uint8_t *imgs, long n, int h, int w, int cols,
                         gs_error *err);

#endif
