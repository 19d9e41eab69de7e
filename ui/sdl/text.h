/* text.h - text for the visualizer: SDL_ttf fonts at sizes that follow the
 * window, and a cache of rendered strings so that a label drawn every frame is
 * rasterised once. */
#ifndef GS_TEXT_H
#define GS_TEXT_H

#include <SDL.h>

typedef enum text_font {
    FONT_BODY,  /* titles, status */
    FONT_SMALL, /* axis labels, legends */
    FONT_MONO,  /* numbers that change every frame (no jitter) */
    FONT_COUNT
} text_font;

typedef enum text_align {
    ALIGN_LEFT = 0,
    ALIGN_CENTER = 1,
    ALIGN_RIGHT = 2,
    /* vertical, or-ed with the above: y is the top by default */
    ALIGN_MIDDLE = 4,
    ALIGN_BOTTOM = 8,
} text_align;

typedef struct text_cache text_cache;

/* Finds the fonts (GS_ASSET_DIR/fonts, then the system's DejaVu) and starts
 * SDL_ttf. NULL on failure, with a message in err. */
text_cache *text_open(SDL_Renderer *ren, char *err, int n);
void text_close(text_cache *tc);

/* Reopens the fonts when the sizes changed (a window resize); clears the cache
 * then. Returns 0 on failure (the old fonts stay). */
int text_set_sizes(text_cache *tc, int body_px, int small_px);

/* Line height of a font in pixels. */
int text_line(const text_cache *tc, text_font f);
/* Size of s in pixels (0 when empty). */
void text_measure(text_cache *tc, text_font f, const char *s, int *w, int *h);
/* Draws UTF-8 s at (x, y) in colour c; returns its width. */
int text_draw(text_cache *tc, text_font f, int x, int y, int align, SDL_Color c, const char *s);
int text_drawf(text_cache *tc, text_font f, int x, int y, int align, SDL_Color c, const char *fmt,
               ...) __attribute__((format(printf, 7, 8)));

/* Called once a frame: forgets strings not drawn for a while. */
void text_frame_end(text_cache *tc);

#endif
