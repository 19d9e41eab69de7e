/* text.c - SDL_ttf rendering with a texture cache. Strings are rendered once in
 * white and tinted with a colour modulation, so the cache key is only (font,
 * string); entries not drawn for TEXT_TTL frames are freed, which bounds the
 * cache even though counters change every frame. */
#include "text.h"

#include <SDL_ttf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef GS_ASSET_DIR
#define GS_ASSET_DIR "assets"
#endif

#define TEXT_BUCKETS 512
#define TEXT_TTL     90 /* frames */
#define TEXT_MAX     2048

typedef struct text_entry {
    struct text_entry *next;
    unsigned hash;
    int font;
    unsigned last_used;
    int w, h;
    SDL_Texture *tex;
    char s[]; /* the string */
} text_entry;

struct text_cache {
    SDL_Renderer *ren;
    TTF_Font *font[FONT_COUNT];
    int px[FONT_COUNT];
    char path_sans[512], path_mono[512];
    text_entry *bucket[TEXT_BUCKETS];
    int count;
    unsigned frame;
    int ttf_started;
};

static unsigned text_hash(int font, const char *s) {
    unsigned h = 2166136261u ^ (unsigned)font;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static int find_font(const char *file, char *out, size_t n) {
    const char *dirs[] = {GS_ASSET_DIR "/fonts", "/usr/share/fonts/truetype/dejavu"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        snprintf(out, n, "%s/%s", dirs[i], file);
        FILE *fp = fopen(out, "rb");
        if (fp) {
            fclose(fp);
            return 1;
        }
    }
    return 0;
}

static void clear_cache(text_cache *tc) {
    for (int b = 0; b < TEXT_BUCKETS; b++) {
        text_entry *e = tc->bucket[b];
        while (e) {
            text_entry *next = e->next;
            SDL_DestroyTexture(e->tex);
            free(e);
            e = next;
        }
        tc->bucket[b] = NULL;
    }
    tc->count = 0;
}

text_cache *text_open(SDL_Renderer *ren, char *err, int n) {
    text_cache *tc = calloc(1, sizeof *tc);
    if (!tc) {
        snprintf(err, n, "out of memory for the text cache");
        return NULL;
    }
    tc->ren = ren;
    if (!find_font("DejaVuSans.ttf", tc->path_sans, sizeof tc->path_sans)) {
        snprintf(err, n, "font DejaVuSans.ttf not found in %s/fonts or the system's DejaVu folder",
                 GS_ASSET_DIR);
        free(tc);
        return NULL;
    }
    /* The mono face is optional: numbers then jitter a little, nothing more. */
    if (!find_font("DejaVuSansMono.ttf", tc->path_mono, sizeof tc->path_mono))
        snprintf(tc->path_mono, sizeof tc->path_mono, "%s", tc->path_sans);
    if (!TTF_WasInit()) {
        if (TTF_Init() != 0) {
            snprintf(err, n, "cannot start SDL_ttf: %s", TTF_GetError());
            free(tc);
            return NULL;
        }
        tc->ttf_started = 1;
    }
    if (!text_set_sizes(tc, 18, 14)) {
        snprintf(err, n, "cannot open %s: %s", tc->path_sans, TTF_GetError());
        text_close(tc);
        return NULL;
    }
    return tc;
}

void text_close(text_cache *tc) {
    if (!tc) return;
    clear_cache(tc);
    for (int f = 0; f < FONT_COUNT; f++)
        if (tc->font[f]) TTF_CloseFont(tc->font[f]);
    if (tc->ttf_started) TTF_Quit();
    free(tc);
}

int text_set_sizes(text_cache *tc, int body_px, int small_px) {
    int px[FONT_COUNT] = {[FONT_BODY] = body_px, [FONT_SMALL] = small_px, [FONT_MONO] = body_px};
    if (memcmp(px, tc->px, sizeof px) == 0) return 1;
    TTF_Font *nf[FONT_COUNT] = {0};
    for (int f = 0; f < FONT_COUNT; f++) {
        nf[f] = TTF_OpenFont(f == FONT_MONO ? tc->path_mono : tc->path_sans, px[f]);
        if (!nf[f]) {
            for (int g = 0; g < f; g++) TTF_CloseFont(nf[g]);
            return 0;
        }
        TTF_SetFontHinting(nf[f], TTF_HINTING_LIGHT);
    }
    clear_cache(tc);
    for (int f = 0; f < FONT_COUNT; f++) {
        if (tc->font[f]) TTF_CloseFont(tc->font[f]);
        tc->font[f] = nf[f];
        tc->px[f] = px[f];
    }
    return 1;
}

int text_line(const text_cache *tc, text_font f) {
    return TTF_FontLineSkip(tc->font[f]);
}

/* The cached texture of s, rendering it on a miss; NULL for an empty string or
 * when rendering fails. */
static text_entry *lookup(text_cache *tc, text_font f, const char *s) {
    if (!s[0]) return NULL;
    unsigned h = text_hash(f, s);
    text_entry **head = &tc->bucket[h % TEXT_BUCKETS];
    for (text_entry *e = *head; e; e = e->next)
        if (e->hash == h && e->font == (int)f && strcmp(e->s, s) == 0) {
            e->last_used = tc->frame;
            return e;
        }
    if (tc->count >= TEXT_MAX) clear_cache(tc); /* a pathological frame; start over */
    SDL_Surface *surf = TTF_RenderUTF8_Blended(tc->font[f], s, (SDL_Color){255, 255, 255, 255});
    if (!surf) return NULL;
    SDL_Texture *tex = SDL_CreateTextureFromSurface(tc->ren, surf);
    int w = surf->w, hh = surf->h;
    SDL_FreeSurface(surf);
    if (!tex) return NULL;
    size_t len = strlen(s);
    text_entry *e = malloc(sizeof *e + len + 1);
    if (!e) {
        SDL_DestroyTexture(tex);
        return NULL;
    }
    memcpy(e->s, s, len + 1);
    e->hash = h;
    e->font = f;
    e->last_used = tc->frame;
    e->w = w;
    e->h = hh;
    e->tex = tex;
    SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
    e->next = *head;
    *head = e;
    tc->count++;
    return e;
}

void text_measure(text_cache *tc, text_font f, const char *s, int *w, int *h) {
    int tw = 0, th = 0;
    if (s[0]) TTF_SizeUTF8(tc->font[f], s, &tw, &th);
    if (w) *w = tw;
    if (h) *h = th ? th : TTF_FontHeight(tc->font[f]);
}

int text_draw(text_cache *tc, text_font f, int x, int y, int align, SDL_Color c, const char *s) {
    text_entry *e = lookup(tc, f, s);
    if (!e) return 0;
    if (align & ALIGN_CENTER)
        x -= e->w / 2;
    else if (align & ALIGN_RIGHT)
        x -= e->w;
    if (align & ALIGN_MIDDLE)
        y -= e->h / 2;
    else if (align & ALIGN_BOTTOM)
        y -= e->h;
    SDL_SetTextureColorMod(e->tex, c.r, c.g, c.b);
    SDL_SetTextureAlphaMod(e->tex, c.a);
    SDL_Rect dst = {x, y, e->w, e->h};
    SDL_RenderCopy(tc->ren, e->tex, NULL, &dst);
    return e->w;
}

int text_drawf(text_cache *tc, text_font f, int x, int y, int align, SDL_Color c, const char *fmt,
               ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return text_draw(tc, f, x, y, align, c, buf);
}

void text_frame_end(text_cache *tc) {
    tc->frame++;
    if (tc->frame % 30) return; /* sweep twice a second at 60 fps */
    for (int b = 0; b < TEXT_BUCKETS; b++) {
        text_entry **pp = &tc->bucket[b];
        while (*pp) {
            text_entry *e = *pp;
            if (tc->frame - e->last_used > TEXT_TTL) {
                *pp = e->next;
                SDL_DestroyTexture(e->tex);
                free(e);
                tc->count--;
            } else {
                pp = &e->next;
            }
        }
    }
}
