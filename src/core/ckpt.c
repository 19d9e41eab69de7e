/* ckpt.c - checkpoints in the safetensors format, so that the weights open in
 * other ecosystems (the safetensors/torch libraries read them as they are).
 *
 * File layout: an 8-byte little-endian header length N, N bytes of JSON (padded
 * with spaces to a multiple of 8), then the tensor data, little-endian F32, in the
 * order of the header's data_offsets (relative to the start of the data, which
 * they cover exactly, without holes or overlaps).
 *
 * The header is parsed by a small strict JSON reader: objects, strings (all JSON
 * escapes, \uXXXX with surrogate pairs, raw bytes checked as UTF-8), integers and
 * arrays of integers; anything else is GS_ERR_FORMAT. Reading checks everything
 * before touching the gan, so a failed load leaves it exactly as it was. */
#include "ckpt.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fileio.h"
#include "preset.h"

#define CKPT_FORMAT      "ganscope-1"
#define CKPT_MAX_HEADER  (100u * 1000u * 1000u) /* the limit safetensors itself uses */
#define JSON_MAX_DEPTH   8
#define JSON_MAX_MEMBERS 4096 /* per object; duplicate keys are checked pairwise */
#define JSON_MAX_ARRAY   64
#define JSON_MAX_VALUES  (1L << 20)
#define ST_MAX_RANK      8
#define CKPT_NAME_LEN    64

/* ---------------------------------------------------------------------------
 * JSON: a tree of values, freed with json_free. */

typedef enum json_type { JSON_OBJECT, JSON_ARRAY, JSON_STRING, JSON_INT } json_type;

typedef struct json_value {
    json_type type;
    int n;                   /* object members or array items */
    char *str;               /* JSON_STRING: NUL-terminated, no NUL inside */
    long long num;           /* JSON_INT */
    char **keys;             /* JSON_OBJECT: (n) */
    struct json_value *vals; /* JSON_OBJECT: (n) */
    long long *ints;         /* JSON_ARRAY: (n) */
} json_value;

typedef struct json_parser {
    const char *start, *p, *end;
    long values;
    int oom;
    char msg[200];
} json_parser;

static void json_free(json_value *v) {
    if (v->type == JSON_OBJECT) {
        for (int i = 0; i < v->n; i++) {
            free(v->keys[i]);
            json_free(&v->vals[i]);
        }
        free(v->keys);
        free(v->vals);
    }
    free(v->str);
    free(v->ints);
    memset(v, 0, sizeof *v);
}

/* Records the first error with its byte position; returns -1. */
static int json_fail(json_parser *jp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int json_fail(json_parser *jp, const char *fmt, ...) {
    if (jp->msg[0]) return -1;
    int k = snprintf(jp->msg, sizeof jp->msg, "at byte %ld: ", (long)(jp->p - jp->start));
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(jp->msg + k, sizeof jp->msg - (size_t)k, fmt, ap);
    va_end(ap);
    return -1;
}

static int json_oom(json_parser *jp) {
    jp->oom = 1;
    return json_fail(jp, "out of memory");
}

static int json_unexpected(json_parser *jp, const char *wanted) {
    if (jp->p >= jp->end) return json_fail(jp, "unexpected end of header, expected %s", wanted);
    unsigned char c = (unsigned char)*jp->p;
    if (c >= 0x20 && c < 0x7f) return json_fail(jp, "expected %s, found '%c'", wanted, c);
    return json_fail(jp, "expected %s, found byte 0x%02x", wanted, c);
}

static void json_skip_ws(json_parser *jp) {
    while (jp->p < jp->end && (*jp->p == ' ' || *jp->p == '\t' || *jp->p == '\n' || *jp->p == '\r'))
        jp->p++;
}

/* Length of the well-formed UTF-8 sequence at s (no overlongs, no surrogates,
 * nothing above U+10FFFF), or 0. */
static int utf8_len(const unsigned char *s, size_t avail) {
    unsigned char c = s[0];
    int n;
    unsigned char lo = 0x80, hi = 0xbf; /* range of the second byte */
    if (c < 0x80) return 1;
    if (c >= 0xc2 && c <= 0xdf)
        n = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        if (c == 0xe0) lo = 0xa0;
        if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        if (c == 0xf0) lo = 0x90;
        if (c == 0xf4) hi = 0x8f;
    } else
        return 0;
    if (avail < (size_t)n) return 0;
    if (s[1] < lo || s[1] > hi) return 0;
    for (int i = 2; i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xbf) return 0;
    return n;
}

static char *utf8_put(char *o, unsigned cp) {
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xc0 | cp >> 6);
        *o++ = (char)(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xe0 | cp >> 12);
        *o++ = (char)(0x80 | (cp >> 6 & 0x3f));
        *o++ = (char)(0x80 | (cp & 0x3f));
    } else {
        *o++ = (char)(0xf0 | cp >> 18);
        *o++ = (char)(0x80 | (cp >> 12 & 0x3f));
        *o++ = (char)(0x80 | (cp >> 6 & 0x3f));
        *o++ = (char)(0x80 | (cp & 0x3f));
    }
    return o;
}

static int json_hex4(json_parser *jp, unsigned *out) {
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        if (jp->p >= jp->end) return json_fail(jp, "unexpected end of header in \\u escape");
        char c = *jp->p;
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0) return json_fail(jp, "bad hex digit in \\u escape");
        v = v << 4 | (unsigned)d;
        jp->p++;
    }
    *out = v;
    return 0;
}

/* jp->p is at the opening quote. Escapes only shrink text (\uXXXX: 6 bytes ->
 * at most 3; a surrogate pair: 12 -> 4), so the raw length bounds the output. */
static int json_string(json_parser *jp, char **out) {
    const char *q = jp->p + 1;
    while (q < jp->end && *q != '"') q += (*q == '\\' && q + 1 < jp->end) ? 2 : 1;
    if (q >= jp->end) return json_fail(jp, "unterminated string");
    char *buf = malloc((size_t)(q - jp->p));
    if (!buf) return json_oom(jp);
    char *o = buf;
    jp->p++;
    for (;;) {
        unsigned char c = (unsigned char)*jp->p;
        if (c == '"') break;
        if (c < 0x20) {
            free(buf);
            return json_fail(jp, "control character 0x%02x in a string must be escaped", c);
        }
        if (c >= 0x80) {
            int n = utf8_len((const unsigned char *)jp->p, (size_t)(jp->end - jp->p));
            if (!n) {
                free(buf);
                return json_fail(jp, "invalid UTF-8 in a string");
            }
            memcpy(o, jp->p, (size_t)n);
            o += n;
            jp->p += n;
            continue;
        }
        if (c != '\\') {
            *o++ = (char)c;
            jp->p++;
            continue;
        }
        char e = jp->p[1];
        jp->p += 2;
        switch (e) {
        case '"':
            *o++ = '"';
            break;
        case '\\':
            *o++ = '\\';
            break;
        case '/':
            *o++ = '/';
            break;
        case 'b':
            *o++ = '\b';
            break;
        case 'f':
            *o++ = '\f';
            break;
        case 'n':
            *o++ = '\n';
            break;
        case 'r':
            *o++ = '\r';
            break;
        case 't':
            *o++ = '\t';
            break;
        case 'u': {
            unsigned cp = 0, lo = 0;
            if (json_hex4(jp, &cp) != 0) break;
            if (cp >= 0xdc00 && cp <= 0xdfff) {
                json_fail(jp, "unpaired low surrogate \\u%04x", cp);
                break;
            }
            if (cp >= 0xd800 && cp <= 0xdbff) {
                if (jp->end - jp->p < 2 || jp->p[0] != '\\' || jp->p[1] != 'u') {
                    json_fail(jp, "unpaired high surrogate \\u%04x", cp);
                    break;
                }
                jp->p += 2;
                if (json_hex4(jp, &lo) != 0) break;
                if (lo < 0xdc00 || lo > 0xdfff) {
                    json_fail(jp, "high surrogate \\u%04x not followed by a low one", cp);
                    break;
                }
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            }
            if (cp == 0) {
                json_fail(jp, "\\u0000 is not allowed in a string");
                break;
            }
            o = utf8_put(o, cp);
            break;
        }
        default:
            jp->p--;
            json_fail(jp, "bad escape '\\%c' in a string", (e >= 0x20 && e < 0x7f) ? e : '?');
        }
        if (jp->msg[0]) {
            free(buf);
            return -1;
        }
    }
    jp->p++; /* closing quote */
    *o = '\0';
    *out = buf;
    return 0;
}

static int json_int(json_parser *jp, long long *out) {
    int neg = 0;
    if (jp->p < jp->end && *jp->p == '-') {
        neg = 1;
        jp->p++;
    }
    if (jp->p >= jp->end || *jp->p < '0' || *jp->p > '9') return json_unexpected(jp, "a digit");
    if (*jp->p == '0' && jp->p + 1 < jp->end && jp->p[1] >= '0' && jp->p[1] <= '9')
        return json_fail(jp, "numbers may not have leading zeros");
    unsigned long long v = 0, lim = neg ? (unsigned long long)INT64_MAX + 1 : INT64_MAX;
    while (jp->p < jp->end && *jp->p >= '0' && *jp->p <= '9') {
        unsigned d = (unsigned)(*jp->p - '0');
        if (v > (lim - d) / 10) return json_fail(jp, "integer out of range");
        v = v * 10 + d;
        jp->p++;
    }
    if (jp->p < jp->end && (*jp->p == '.' || *jp->p == 'e' || *jp->p == 'E'))
        return json_fail(jp, "numbers must be integers here");
    *out = neg ? (long long)(0 - v) : (long long)v;
    return 0;
}

static int json_value_parse(json_parser *jp, json_value *v, int depth);

static int json_object(json_parser *jp, json_value *v, int depth) {
    int cap = 0;
    v->type = JSON_OBJECT;
    jp->p++;
    json_skip_ws(jp);
    if (jp->p < jp->end && *jp->p == '}') {
        jp->p++;
        return 0;
    }
    for (;;) {
        json_skip_ws(jp);
        if (jp->p >= jp->end || *jp->p != '"') return json_unexpected(jp, "a string key");
        if (v->n == JSON_MAX_MEMBERS)
            return json_fail(jp, "more than %d members in one object", JSON_MAX_MEMBERS);
        if (v->n == cap) {
            int nc = cap ? cap * 2 : 8;
            char **nk = realloc(v->keys, sizeof *nk * (size_t)nc);
            if (!nk) return json_oom(jp);
            v->keys = nk;
            json_value *nv = realloc(v->vals, sizeof *nv * (size_t)nc);
            if (!nv) return json_oom(jp);
            v->vals = nv;
            cap = nc;
        }
        const char *key_at = jp->p;
        char *key;
        if (json_string(jp, &key) != 0) return -1;
        for (int i = 0; i < v->n; i++) {
            if (strcmp(v->keys[i], key) == 0) {
                free(key);
                jp->p = key_at;
                return json_fail(jp, "duplicate key \"%.60s\"", v->keys[i]);
            }
        }
        v->keys[v->n] = key;
        memset(&v->vals[v->n], 0, sizeof v->vals[v->n]);
        v->n++; /* counted now so that json_free releases the key and value */
        json_skip_ws(jp);
        if (jp->p >= jp->end || *jp->p != ':') return json_unexpected(jp, "':' after a key");
        jp->p++;
        if (json_value_parse(jp, &v->vals[v->n - 1], depth + 1) != 0) return -1;
        json_skip_ws(jp);
        if (jp->p < jp->end && *jp->p == ',') {
            jp->p++;
            continue;
        }
        if (jp->p < jp->end && *jp->p == '}') {
            jp->p++;
            return 0;
        }
        return json_unexpected(jp, "',' or '}'");
    }
}

static int json_array(json_parser *jp, json_value *v) {
    v->type = JSON_ARRAY;
    v->ints = malloc(sizeof *v->ints * JSON_MAX_ARRAY);
    if (!v->ints) return json_oom(jp);
    jp->p++;
    json_skip_ws(jp);
    if (jp->p < jp->end && *jp->p == ']') {
        jp->p++;
        return 0;
    }
    for (;;) {
        json_skip_ws(jp);
        if (jp->p >= jp->end || (*jp->p != '-' && (*jp->p < '0' || *jp->p > '9')))
            return json_unexpected(jp, "an integer (arrays hold only integers here)");
        if (v->n == JSON_MAX_ARRAY)
            return json_fail(jp, "more than %d items in one array", JSON_MAX_ARRAY);
        if (json_int(jp, &v->ints[v->n]) != 0) return -1;
        v->n++;
        json_skip_ws(jp);
        if (jp->p < jp->end && *jp->p == ',') {
            jp->p++;
            continue;
        }
        if (jp->p < jp->end && *jp->p == ']') {
            jp->p++;
            return 0;
        }
        return json_unexpected(jp, "',' or ']'");
    }
}

static int json_value_parse(json_parser *jp, json_value *v, int depth) {
    if (depth > JSON_MAX_DEPTH) return json_fail(jp, "nested deeper than %d", JSON_MAX_DEPTH);
    if (++jp->values > JSON_MAX_VALUES)
        return json_fail(jp, "more than %ld values", (long)JSON_MAX_VALUES);
    json_skip_ws(jp);
    if (jp->p >= jp->end) return json_unexpected(jp, "a value");
    char c = *jp->p;
    if (c == '{') return json_object(jp, v, depth);
    if (c == '[') return json_array(jp, v);
    if (c == '"') {
        v->type = JSON_STRING;
        return json_string(jp, &v->str);
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
        v->type = JSON_INT;
        return json_int(jp, &v->num);
    }
    return json_unexpected(jp, "an object, string, integer or array of integers");
}

/* The whole text must be one object, optionally followed by whitespace (the
 * safetensors padding). Returns 0, -1 when malformed, -2 when out of memory. */
static int json_parse(const char *text, size_t n, json_value *root, char *msg, size_t msg_n) {
    json_parser jp = {.start = text, .p = text, .end = text + n};
    memset(root, 0, sizeof *root);
    int rc;
    if (n == 0 || text[0] != '{')
        rc = json_unexpected(&jp, "'{' as the first byte");
    else if ((rc = json_object(&jp, root, 1)) == 0) {
        json_skip_ws(&jp);
        if (jp.p != jp.end) rc = json_fail(&jp, "unexpected data after the header object");
    }
    if (rc != 0) {
        json_free(root);
        snprintf(msg, msg_n, "%s", jp.msg);
        return jp.oom ? -2 : -1;
    }
    return 0;
}

static const json_value *json_get(const json_value *obj, const char *key) {
    for (int i = 0; i < obj->n; i++)
        if (strcmp(obj->keys[i], key) == 0) return &obj->vals[i];
    return NULL;
}

/* ---------------------------------------------------------------------------
 * safetensors: header checks shared by loading and by reading the config. */

typedef struct st_tensor {
    const char *name;
    const json_value *shape;
    uint64_t begin, end;
    int used; /* matched by an expected tensor */
} st_tensor;

typedef struct st_file {
    char *buf;                 /* whole file, or only the header; owned */
    const unsigned char *data; /* tensor data; NULL when only the header was read */
    uint64_t data_len;         /* bytes after the header in the file */
    json_value root;
    const json_value *meta; /* __metadata__ or NULL */
    int n;
    st_tensor *t; /* (n) */
} st_file;

static void st_close(st_file *f) {
    json_free(&f->root);
    free(f->t);
    free(f->buf);
    memset(f, 0, sizeof *f);
}

static uint64_t le64(const unsigned char *b) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | b[i];
    return v;
}

static int st_cmp(const void *a, const void *b) {
    const st_tensor *x = a, *y = b;
    if (x->begin != y->begin) return x->begin < y->begin ? -1 : 1;
    if (x->end != y->end) return x->end < y->end ? -1 : 1;
    return 0;
}

#define BAD_HEADER(...) gs_fail(err, GS_ERR_FORMAT, __VA_ARGS__)

/* Checks every tensor entry (dtype F32, shape, offsets) and that the offsets
 * tile [0, data_len) exactly. */
static gs_status st_index(const char *path, st_file *f, gs_error *err) {
    const json_value *root = &f->root;
    f->t = calloc((size_t)root->n + 1, sizeof *f->t);
    if (!f->t) return gs_fail(err, GS_ERR_NOMEM, "%s: out of memory", path);
    for (int i = 0; i < root->n; i++) {
        const char *name = root->keys[i];
        const json_value *v = &root->vals[i];
        if (strcmp(name, "__metadata__") == 0) {
            if (v->type != JSON_OBJECT)
                return BAD_HEADER("%s: bad safetensors header: __metadata__ is not an object",
                                  path);
            for (int j = 0; j < v->n; j++)
                if (v->vals[j].type != JSON_STRING)
                    return BAD_HEADER("%s: bad safetensors header: __metadata__.%.60s is not a "
                                      "string",
                                      path, v->keys[j]);
            f->meta = v;
            continue;
        }
        if (v->type != JSON_OBJECT)
            return BAD_HEADER("%s: bad safetensors header: tensor \"%.60s\" is not an object", path,
                              name);
        const json_value *dtype = NULL, *shape = NULL, *offs = NULL;
        for (int j = 0; j < v->n; j++) {
            const char *k = v->keys[j];
            if (strcmp(k, "dtype") == 0)
                dtype = &v->vals[j];
            else if (strcmp(k, "shape") == 0)
                shape = &v->vals[j];
            else if (strcmp(k, "data_offsets") == 0)
                offs = &v->vals[j];
            else
                return BAD_HEADER("%s: bad safetensors header: tensor \"%.60s\": unknown key "
                                  "\"%.40s\"",
                                  path, name, k);
        }
        if (!dtype || !shape || !offs)
            return BAD_HEADER("%s: bad safetensors header: tensor \"%.60s\" lacks %s", path, name,
                              !dtype   ? "dtype"
                              : !shape ? "shape"
                                       : "data_offsets");
        if (dtype->type != JSON_STRING)
            return BAD_HEADER("%s: bad safetensors header: tensor \"%.60s\": dtype is not a "
                              "string",
                              path, name);
        if (strcmp(dtype->str, "F32") != 0)
            return BAD_HEADER("%s: tensor \"%.60s\" has dtype %.20s; ganscope reads only F32", path,
                              name, dtype->str);
        if (shape->type != JSON_ARRAY || shape->n > ST_MAX_RANK)
            return BAD_HEADER("%s: bad safetensors header: tensor \"%.60s\": shape must be an "
                              "array of at most %d sizes",
                              path, name, ST_MAX_RANK);
        uint64_t bytes = 4;
        for (int j = 0; j < shape->n; j++) {
            if (shape->ints[j] < 0)
                return BAD_HEADER("%s: bad safetensors header: tensor \"%.60s\": negative size "
                                  "in shape",
                                  path, name);
            if (__builtin_mul_overflow(bytes, (uint64_t)shape->ints[j], &bytes))
                return BAD_HEADER("%s: bad safetensors header: tensor \"%.60s\" is too large", path,
                                  name);
        }
        if (offs->type != JSON_ARRAY || offs->n != 2 || offs->ints[0] < 0 ||
            offs->ints[1] < offs->ints[0])
            return BAD_HEADER("%s: bad safetensors header: tensor \"%.60s\": data_offsets must "
                              "be [begin, end] with 0 <= begin <= end",
                              path, name);
        st_tensor *t = &f->t[f->n++];
        t->name = name;
        t->shape = shape;
        t->begin = (uint64_t)offs->ints[0];
        t->end = (uint64_t)offs->ints[1];
        if (t->end - t->begin != bytes)
            return BAD_HEADER("%s: bad safetensors header: tensor \"%.60s\" spans %" PRIu64
                              " bytes but its shape needs %" PRIu64,
                              path, name, t->end - t->begin, bytes);
    }
    /* Sort a copy by offset: names stay in header order for lookups and messages. */
    st_tensor *sorted = malloc(sizeof *sorted * ((size_t)f->n + 1));
    if (!sorted) return gs_fail(err, GS_ERR_NOMEM, "%s: out of memory", path);
    memcpy(sorted, f->t, sizeof *sorted * (size_t)f->n);
    qsort(sorted, (size_t)f->n, sizeof *sorted, st_cmp);
    uint64_t at = 0;
    gs_status s = GS_OK;
    for (int i = 0; i < f->n && s == GS_OK; i++) {
        if (sorted[i].begin < at)
            s = BAD_HEADER("%s: bad safetensors header: tensors \"%.60s\" and \"%.60s\" overlap",
                           path, sorted[i - 1].name, sorted[i].name);
        else if (sorted[i].begin > at)
            s = BAD_HEADER("%s: bad safetensors header: %" PRIu64
                           " unused bytes before tensor \"%.60s\"",
                           path, sorted[i].begin - at, sorted[i].name);
        at = sorted[i].end;
    }
    free(sorted);
    if (s != GS_OK) return s;
    if (at > f->data_len)
        return BAD_HEADER("%s: truncated checkpoint: the tensors need %" PRIu64
                          " bytes of data, the file holds %" PRIu64,
                          path, at, f->data_len);
    if (at < f->data_len)
        return BAD_HEADER("%s: bad safetensors file: %" PRIu64 " bytes after the last tensor", path,
                          f->data_len - at);
    return GS_OK;
}

static gs_status st_check_header_len(const char *path, uint64_t n, uint64_t file_size,
                                     gs_error *err) {
    if (file_size < 8)
        return BAD_HEADER("%s: not a safetensors file: %" PRIu64 " bytes, shorter than the "
                          "8-byte header length",
                          path, file_size);
    if (n > CKPT_MAX_HEADER)
        return BAD_HEADER("%s: bad safetensors header: length %" PRIu64 " is over the 100 MB limit",
                          path, n);
    if (n > file_size - 8)
        return BAD_HEADER("%s: truncated checkpoint: header length %" PRIu64 " but only %" PRIu64
                          " bytes follow",
                          path, n, file_size - 8);
    return GS_OK;
}

static gs_status st_finish(const char *path, st_file *f, const char *json, uint64_t n,
                           gs_error *err) {
    char msg[200];
    int rc = json_parse(json, (size_t)n, &f->root, msg, sizeof msg);
    if (rc == -2) return gs_fail(err, GS_ERR_NOMEM, "%s: out of memory reading the header", path);
    if (rc != 0) return BAD_HEADER("%s: bad safetensors header: %s", path, msg);
    return st_index(path, f, err);
}

/* Reads a safetensors file: with data, the whole file; otherwise only the header
 * (the data length then comes from the file size, so truncation still shows). */
static gs_status st_open(const char *path, int with_data, st_file *f, gs_error *err) {
    memset(f, 0, sizeof *f);
    gs_status s;
    if (with_data) {
        size_t len;
        s = file_read_all(path, &f->buf, &len, err);
        if (s != GS_OK) return s;
        uint64_t n = len >= 8 ? le64((const unsigned char *)f->buf) : 0;
        s = st_check_header_len(path, n, len, err);
        if (s == GS_OK) {
            f->data = (const unsigned char *)f->buf + 8 + n;
            f->data_len = len - 8 - n;
            s = st_finish(path, f, f->buf + 8, n, err);
        }
    } else {
        FILE *fp = fopen(path, "rb");
        if (!fp) return gs_fail(err, GS_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
        struct stat st;
        unsigned char b[8];
        uint64_t size = 0, n = 0;
        if (fstat(fileno(fp), &st) != 0) {
            s = gs_fail(err, GS_ERR_IO, "%s: cannot stat: %s", path, strerror(errno));
        } else {
            size = (uint64_t)st.st_size;
            if (size >= 8 && fread(b, 1, 8, fp) != 8)
                s = gs_fail(err, GS_ERR_IO, "%s: read error", path);
            else {
                if (size >= 8) n = le64(b);
                s = st_check_header_len(path, n, size, err);
            }
        }
        if (s == GS_OK) {
            f->buf = malloc((size_t)n + 1);
            if (!f->buf)
                s = gs_fail(err, GS_ERR_NOMEM, "%s: out of memory", path);
            else if (fread(f->buf, 1, (size_t)n, fp) != (size_t)n)
                s = gs_fail(err, GS_ERR_IO, "%s: read error", path);
        }
        fclose(fp);
        if (s == GS_OK) {
            f->data_len = size - 8 - n;
            s = st_finish(path, f, f->buf, n, err);
        }
    }
    if (s != GS_OK) st_close(f);
    return s;
}

static const char *st_meta(const st_file *f, const char *key) {
    const json_value *v = f->meta ? json_get(f->meta, key) : NULL;
    return v ? v->str : NULL;
}

static gs_status st_check_format(const char *path, const st_file *f, gs_error *err) {
    const char *fmt = st_meta(f, "format");
    if (!fmt)
        return gs_fail(err, GS_ERR_FORMAT, "%s: not a ganscope checkpoint (no __metadata__.format)",
                       path);
    if (strcmp(fmt, CKPT_FORMAT) != 0)
        return gs_fail(err, GS_ERR_FORMAT,
                       "%s: not a ganscope checkpoint (format \"%.60s\", expected \"%s\")", path,
                       fmt, CKPT_FORMAT);
    return GS_OK;
}

/* ---------------------------------------------------------------------------
 * Writing. */

typedef struct strbuf {
    char *p;
    size_t n, cap;
    int oom;
} strbuf;

static void sb_put(strbuf *b, const char *s, size_t n) {
    if (b->oom) return;
    if (b->n + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 1024;
        while (nc < b->n + n + 1) nc *= 2;
        char *np = realloc(b->p, nc);
        if (!np) {
            b->oom = 1;
            return;
        }
        b->p = np;
        b->cap = nc;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void sb_puts(strbuf *b, const char *s) {
    sb_put(b, s, strlen(s));
}

static void sb_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(strbuf *b, const char *fmt, ...) {
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (k < 0 || (size_t)k >= sizeof tmp) {
        b->oom = 1; /* only used for short fixed texts; never happens */
        return;
    }
    sb_put(b, tmp, (size_t)k);
}

/* A JSON string: quotes, backslashes and control characters escaped; other
 * bytes (UTF-8) copied. */
static void sb_json_str(strbuf *b, const char *s) {
    sb_put(b, "\"", 1);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '"':
            sb_puts(b, "\\\"");
            break;
        case '\\':
            sb_puts(b, "\\\\");
            break;
        case '\n':
            sb_puts(b, "\\n");
            break;
        case '\r':
            sb_puts(b, "\\r");
            break;
        case '\t':
            sb_puts(b, "\\t");
            break;
        case '\b':
            sb_puts(b, "\\b");
            break;
        case '\f':
            sb_puts(b, "\\f");
            break;
        default:
            if (c < 0x20)
                sb_printf(b, "\\u%04x", c);
            else
                sb_put(b, (const char *)&c, 1);
        }
    }
    sb_put(b, "\"", 1);
}

/* The shortest decimal that reads back as the same float ("0.2", not
 * "0.200000003"). */
static void fmt_float(char *buf, size_t n, float v) {
    for (int prec = 1; prec <= 9; prec++) {
        snprintf(buf, n, "%.*g", prec, (double)v);
        if (strtof(buf, NULL) == v) return;
    }
}

static const char *const net_names[2] = {"generator", "discriminator"};

static const mlp *gan_net(const gan *gn, int which) {
    return which == 0 ? &gn->g : &gn->d;
}

static void sb_activations(strbuf *b, const mlp *net) {
    for (int l = 0; l < net->n_layers; l++) {
        char num[32];
        fmt_float(num, sizeof num, net->layer[l].alpha[0]);
        sb_printf(b, "%s%s:%s", l ? "," : "", act_name(net->layer[l].act), num);
    }
}

static int write_f32le(FILE *fp, const float *x, size_t n) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    unsigned char tmp[4096];
    while (n > 0) {
        size_t k = n < sizeof tmp / 4 ? n : sizeof tmp / 4;
        for (size_t i = 0; i < k; i++) {
            uint32_t u;
            memcpy(&u, &x[i], 4);
            for (int j = 0; j < 4; j++) tmp[4 * i + j] = (unsigned char)(u >> (8 * j));
        }
        if (fwrite(tmp, 4, k, fp) != k) return -1;
        x += k;
        n -= k;
    }
    return 0;
#else
    return fwrite(x, 4, n, fp) == n ? 0 : -1;
#endif
}

static void read_f32le(float *dst, const unsigned char *src, size_t n) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    for (size_t i = 0; i < n; i++) {
        uint32_t u = 0;
        for (int j = 3; j >= 0; j--) u = u << 8 | src[4 * i + j];
        memcpy(&dst[i], &u, 4);
    }
#else
    memcpy(dst, src, n * 4);
#endif
}

/* The three tensors of a layer, in file order. */
enum { T_WEIGHT, T_BIAS, T_ALPHA, T_PER_LAYER };
static const char *const tensor_kinds[T_PER_LAYER] = {"weight", "bias", "alpha"};

static int tensor_shape(const mlp_layer *ly, int kind, long long shape[2]) {
    switch (kind) {
    case T_WEIGHT:
        shape[0] = ly->out;
        shape[1] = ly->in;
        return 2;
    case T_BIAS:
        shape[0] = ly->out;
        return 1;
    default:
        shape[0] = 1;
        return 1;
    }
}

static float *tensor_data(const mlp_layer *ly, int kind) {
    return kind == T_WEIGHT ? ly->w : kind == T_BIAS ? ly->b : ly->alpha;
}

static size_t shape_numel(const long long *shape, int rank) {
    size_t n = 1;
    for (int i = 0; i < rank; i++) n *= (size_t)shape[i];
    return n;
}

static gs_status header_build(const gan *gn, strbuf *b, gs_error *err) {
    size_t ini_len = preset_to_ini(&gn->cfg, NULL, 0);
    char *ini = malloc(ini_len + 1);
    if (!ini) return gs_fail(err, GS_ERR_NOMEM, "out of memory for the checkpoint header");
    preset_to_ini(&gn->cfg, ini, ini_len + 1);

    sb_puts(b, "{\"__metadata__\":{\"format\":\"" CKPT_FORMAT "\",\"preset\":");
    sb_json_str(b, ini);
    free(ini);
    sb_printf(b, ",\"step\":\"%ld\"", gn->step);
    for (int w = 0; w < 2; w++) {
        strbuf acts = {0};
        sb_activations(&acts, gan_net(gn, w));
        sb_printf(b, ",\"%s.activations\":", net_names[w]);
        sb_json_str(b, acts.p ? acts.p : "");
        if (acts.oom) b->oom = 1;
        free(acts.p);
    }
    sb_puts(b, "}");
    uint64_t off = 0;
    for (int w = 0; w < 2; w++) {
        const mlp *net = gan_net(gn, w);
        for (int l = 0; l < net->n_layers; l++) {
            for (int k = 0; k < T_PER_LAYER; k++) {
                long long shape[2];
                int rank = tensor_shape(&net->layer[l], k, shape);
                uint64_t bytes = 4 * (uint64_t)shape_numel(shape, rank);
                sb_printf(b, ",\"%s.%d.%s\":{\"dtype\":\"F32\",\"shape\":[", net_names[w], l,
                          tensor_kinds[k]);
                for (int i = 0; i < rank; i++) sb_printf(b, "%s%lld", i ? "," : "", shape[i]);
                sb_printf(b, "],\"data_offsets\":[%" PRIu64 ",%" PRIu64 "]}", off, off + bytes);
                off += bytes;
            }
        }
    }
    sb_puts(b, "}");
    while (!b->oom && b->n % 8 != 0) sb_puts(b, " ");
    if (b->oom) return gs_fail(err, GS_ERR_NOMEM, "out of memory for the checkpoint header");
    return GS_OK;
}

gs_status ckpt_save(const char *path, const gan *gn, gs_error *err) {
    strbuf hdr = {0};
    gs_status s = header_build(gn, &hdr, err);
    if (s != GS_OK) {
        free(hdr.p);
        return s;
    }
    atomic_file af;
    s = atomic_open(&af, path, err);
    if (s != GS_OK) {
        free(hdr.p);
        return s;
    }
    unsigned char len[8];
    for (int i = 0; i < 8; i++) len[i] = (unsigned char)((uint64_t)hdr.n >> (8 * i));
    int bad = fwrite(len, 1, 8, af.fp) != 8 || fwrite(hdr.p, 1, hdr.n, af.fp) != hdr.n;
    free(hdr.p);
    for (int w = 0; w < 2 && !bad; w++) {
        const mlp *net = gan_net(gn, w);
        for (int l = 0; l < net->n_layers && !bad; l++) {
            for (int k = 0; k < T_PER_LAYER && !bad; k++) {
                long long shape[2];
                int rank = tensor_shape(&net->layer[l], k, shape);
                bad = write_f32le(af.fp, tensor_data(&net->layer[l], k),
                                  shape_numel(shape, rank)) != 0;
            }
        }
    }
    if (bad) {
        int e = errno;
        atomic_abort(&af);
        return gs_fail(err, GS_ERR_IO, "%s: write failed: %s", path, strerror(e));
    }
    return atomic_commit(&af, err);
}

/* ---------------------------------------------------------------------------
 * Reading. */

/* Names and values quoted in messages come from the file and may hold any
 * character a JSON escape can make; a message stays one printable line. */
static gs_status one_line(gs_status s, gs_error *err) {
    if (s != GS_OK && err)
        for (char *c = err->msg; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f) *c = '?';
    return s;
}

gs_status ckpt_read_config(const char *path, gs_config *cfg, gs_error *err) {
    st_file f;
    gs_status s = st_open(path, 0, &f, err);
    if (s != GS_OK) return one_line(s, err);
    s = st_check_format(path, &f, err);
    const char *ini = st_meta(&f, "preset");
    if (s == GS_OK && !ini)
        s = gs_fail(err, GS_ERR_FORMAT, "%s: checkpoint has no __metadata__.preset", path);
    if (s == GS_OK) {
        gs_config *tmp = calloc(1, sizeof *tmp); /* large: keep it off the stack */
        char origin[600];
        snprintf(origin, sizeof origin, "%s (stored preset)", path);
        if (!tmp) {
            s = gs_fail(err, GS_ERR_NOMEM, "%s: out of memory", path);
        } else {
            preset_defaults(tmp);
            s = preset_parse_string(ini, origin, tmp, err);
            if (s == GS_OK) *cfg = *tmp;
            free(tmp);
        }
    }
    st_close(&f);
    return one_line(s, err);
}

static void shape_str(char *buf, size_t n, const long long *shape, int rank) {
    size_t k = (size_t)snprintf(buf, n, "[");
    for (int i = 0; i < rank && k < n; i++)
        k += (size_t)snprintf(buf + k, n - k, "%s%lld", i ? ", " : "", shape[i]);
    if (k < n) snprintf(buf + k, n - k, "]");
}

/* "relu:0.2,tanh:0" -> kinds; the slopes must be numbers, but the values loaded
 * are the alpha tensors (the metadata copy is for readers of the file). */
static gs_status parse_activations(const char *path, const char *key, const char *text,
                                   int n_layers, act_kind *out, gs_error *err) {
    if (!text)
        return gs_fail(err, GS_ERR_FORMAT, "%s: checkpoint has no __metadata__.%s", path, key);
    int count = 0;
    const char *p = text;
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char item[64];
        if (len >= sizeof item)
            return gs_fail(err, GS_ERR_FORMAT, "%s: __metadata__.%s: item \"%.40s...\" too long",
                           path, key, p);
        memcpy(item, p, len);
        item[len] = '\0';
        char *colon = strchr(item, ':');
        if (!colon)
            return gs_fail(err, GS_ERR_FORMAT, "%s: __metadata__.%s: item \"%s\" is not name:slope",
                           path, key, item);
        *colon = '\0';
        char *num_end;
        strtof(colon + 1, &num_end);
        if (colon[1] == '\0' || *num_end != '\0')
            return gs_fail(err, GS_ERR_FORMAT, "%s: __metadata__.%s: bad slope \"%s\" for %s", path,
                           key, colon + 1, item);
        if (count == n_layers)
            return gs_fail(err, GS_ERR_FORMAT,
                           "%s: __metadata__.%s lists more than the %d layers of the network", path,
                           key, n_layers);
        gs_error e = {0};
        if (act_parse(item, &out[count], &e) != GS_OK)
            return gs_fail(err, GS_ERR_FORMAT, "%s: __metadata__.%s: %s", path, key, e.msg);
        count++;
        if (!end) break;
        p = end + 1;
    }
    if (count != n_layers)
        return gs_fail(err, GS_ERR_FORMAT,
                       "%s: __metadata__.%s lists %d activations, the network has %d layers", path,
                       key, count, n_layers);
    return GS_OK;
}

static st_tensor *st_find(st_file *f, const char *name) {
    for (int i = 0; i < f->n; i++)
        if (strcmp(f->t[i].name, name) == 0) return &f->t[i];
    return NULL;
}

/* Every tensor of the gan is present with its exact shape, and nothing else. */
static gs_status match_tensors(const char *path, st_file *f, const gan *gn, gs_error *err) {
    for (int w = 0; w < 2; w++) {
        const mlp *net = gan_net(gn, w);
        for (int l = 0; l < net->n_layers; l++) {
            for (int k = 0; k < T_PER_LAYER; k++) {
                char name[CKPT_NAME_LEN], want[64], got[200];
                long long shape[2];
                int rank = tensor_shape(&net->layer[l], k, shape);
                snprintf(name, sizeof name, "%s.%d.%s", net_names[w], l, tensor_kinds[k]);
                shape_str(want, sizeof want, shape, rank);
                st_tensor *t = st_find(f, name);
                if (!t)
                    return gs_fail(err, GS_ERR_STATE,
                                   "%s: tensor %s is missing (the network has shape %s)", path,
                                   name, want);
                int same = t->shape->n == rank;
                for (int i = 0; same && i < rank; i++) same = t->shape->ints[i] == shape[i];
                if (!same) {
                    shape_str(got, sizeof got, t->shape->ints, t->shape->n);
                    return gs_fail(err, GS_ERR_STATE,
                                   "%s: tensor %s has shape %s, the network expects %s", path, name,
                                   got, want);
                }
                t->used = 1;
            }
        }
    }
    for (int i = 0; i < f->n; i++)
        if (!f->t[i].used)
            return gs_fail(err, GS_ERR_STATE,
                           "%s: unexpected tensor %.60s (the network has no such parameter)", path,
                           f->t[i].name);
    return GS_OK;
}

static gs_status parse_step(const char *path, const char *text, long *step, gs_error *err) {
    if (!text) return gs_fail(err, GS_ERR_FORMAT, "%s: checkpoint has no __metadata__.step", path);
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (text[0] < '0' || text[0] > '9' || *end != '\0' || errno != 0 || v > LONG_MAX)
        return gs_fail(err, GS_ERR_FORMAT, "%s: __metadata__.step \"%.40s\" is not a step count",
                       path, text);
    *step = (long)v;
    return GS_OK;
}

gs_status ckpt_load(const char *path, gan *gn, gs_error *err) {
    st_file f;
    gs_status s = st_open(path, 1, &f, err);
    if (s != GS_OK) return one_line(s, err);
    act_kind acts[2][MLP_MAX_LAYERS];
    long step = 0;
    s = st_check_format(path, &f, err);
    if (s == GS_OK) s = match_tensors(path, &f, gn, err);
    for (int w = 0; w < 2 && s == GS_OK; w++) {
        char key[64];
        snprintf(key, sizeof key, "%s.activations", net_names[w]);
        s = parse_activations(path, key, st_meta(&f, key), gan_net(gn, w)->n_layers, acts[w], err);
    }
    if (s == GS_OK) s = parse_step(path, st_meta(&f, "step"), &step, err);
    if (s != GS_OK) {
        st_close(&f);
        return one_line(s, err);
    }

    /* Every check passed: from here on nothing can fail. */
    for (int w = 0; w < 2; w++) {
        mlp *net = w == 0 ? &gn->g : &gn->d;
        for (int l = 0; l < net->n_layers; l++) {
            mlp_layer *ly = &net->layer[l];
            for (int k = 0; k < T_PER_LAYER; k++) {
                char name[CKPT_NAME_LEN];
                long long shape[2];
                int rank = tensor_shape(ly, k, shape);
                snprintf(name, sizeof name, "%s.%d.%s", net_names[w], l, tensor_kinds[k]);
                const st_tensor *t = st_find(&f, name);
                read_f32le(tensor_data(ly, k), f.data + t->begin, shape_numel(shape, rank));
            }
            ly->act = acts[w][l];
        }
        memset(net->grads, 0, sizeof *net->grads * (size_t)net->n_params);
        memset(net->m, 0, sizeof *net->m * (size_t)net->n_params);
        memset(net->v, 0, sizeof *net->v * (size_t)net->n_params);
    }
    gn->step = step;
    gn->opt_g.t = 0;
    gn->opt_d.t = 0;
    gn->fake_valid = 0;
    st_close(&f);
    return GS_OK;
}
