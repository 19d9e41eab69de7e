/* test_ckpt.c - checkpoints: a trained gan saved and loaded into a fresh gan
 * built from the stored preset has bit-identical weights, activations, slopes and
 * outputs; every kind of damaged file (truncated, absurd header length, bad JSON,
 * wrong dtype, bad offsets, wrong shapes, bad metadata) is refused with a clear
 * message and leaves the gan exactly as it was; failed saves leave no file and
 * never replace an existing checkpoint. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ckpt.h"
#include "fileio.h"
#include "gan.h"
#include "preset.h"

static char tmpdir[256];

static int setup(void **state) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_ckpt.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state) {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void path_in(char *out, size_t n, const char *name) {
    snprintf(out, n, "%s/%s", tmpdir, name);
}

static int count_entries(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(d);
    return n;
}

static gs_config tiny_config(void) {
    gs_config cfg;
    gs_error err = {0};
    gs_status s = preset_load("tiny", &cfg, &err);
    if (s != GS_OK) fail_msg("preset_load(tiny): %s", err.msg);
    return cfg;
}

static void make_gan(gan *gn, const gs_config *cfg) {
    gs_error err = {0};
    gs_status s = gan_create(gn, cfg, &err);
    if (s != GS_OK) fail_msg("gan_create: %s", err.msg);
}

/* A tiny gan trained a few steps, with unusual activations in two layers. */
static void make_trained(gan *gn) {
    gs_config cfg = tiny_config();
    make_gan(gn, &cfg);
    for (int i = 0; i < 7; i++) gan_step(gn);
    gs_error err = {0};
    assert_int_equal(mlp_set_act(&gn->g, 0, ACT_PRELU, &err), GS_OK);
    assert_int_equal(mlp_set_slope(&gn->g, 0, 0.37f, &err), GS_OK);
    assert_int_equal(mlp_set_act(&gn->d, 1, ACT_SIGMOID, &err), GS_OK);
    for (int i = 0; i < 3; i++) gan_step(gn); /* the prelu slope moves */
}

static void save_ok(const char *path, const gan *gn) {
    gs_error err = {0};
    gs_status s = ckpt_save(path, gn, &err);
    if (s != GS_OK) fail_msg("ckpt_save: %s", err.msg);
}

static char *read_file(const char *path, size_t *len) {
    char *buf;
    gs_error err = {0};
    if (file_read_all(path, &buf, len, &err) != GS_OK) fail_msg("%s", err.msg);
    return buf;
}

static void write_bytes(const char *path, const void *p, size_t n) {
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(p, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
}

static uint64_t get_le64(const void *p) {
    const unsigned char *b = p;
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | b[i];
    return v;
}

static void put_le64(void *p, uint64_t v) {
    unsigned char *b = p;
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
}

/* Writes a safetensors file from a header text and data bytes. */
static void write_st(const char *path, const char *header, const void *data, size_t data_len) {
    size_t hl = strlen(header);
    unsigned char *buf = malloc(8 + hl + data_len + 1);
    assert_non_null(buf);
    put_le64(buf, hl);
    memcpy(buf + 8, header, hl);
    if (data_len) memcpy(buf + 8 + hl, data, data_len);
    write_bytes(path, buf, 8 + hl + data_len);
    free(buf);
}

/* A checkpoint split into header text and data, for editing. */
typedef struct st_parts {
    char *header; /* NUL-terminated */
    char *data;
    size_t data_len;
    char *raw;
} st_parts;

static st_parts split(const char *path) {
    st_parts p;
    size_t len;
    p.raw = read_file(path, &len);
    uint64_t n = get_le64(p.raw);
    assert_true(n + 8 <= len);
    p.header = malloc(n + 1);
    memcpy(p.header, p.raw + 8, n);
    p.header[n] = '\0';
    p.data = p.raw + 8 + n;
    p.data_len = len - 8 - n;
    return p;
}

static void parts_free(st_parts *p) {
    free(p->header);
    free(p->raw);
}

/* Writes path_out from src's parts with the first `from` in the header replaced
 * by `to` (which must be present). */
static void edit_header(const char *src, const char *path_out, const char *from, const char *to) {
    st_parts p = split(src);
    char *at = strstr(p.header, from);
    if (!at) fail_msg("\"%s\" not in the header", from);
    size_t n = strlen(p.header) - strlen(from) + strlen(to);
    char *h = malloc(n + 1);
    memcpy(h, p.header, (size_t)(at - p.header));
    strcpy(h + (at - p.header), to);
    strcat(h, at + strlen(from));
    write_st(path_out, h, p.data, p.data_len);
    free(h);
    parts_free(&p);
}

/* Everything ckpt_load may change, to check that a failed load changed nothing. */
typedef struct snapshot {
    float *blocks[2][4];
    long n[2];
    act_kind acts[2][MLP_MAX_LAYERS];
    long step, tg, td;
    int fake_valid;
} snapshot;

static mlp *net_of(gan *gn, int w) {
    return w == 0 ? &gn->g : &gn->d;
}

static void snap_take(snapshot *s, gan *gn) {
    for (int w = 0; w < 2; w++) {
        mlp *net = net_of(gn, w);
        float *src[4] = {net->params, net->grads, net->m, net->v};
        s->n[w] = net->n_params;
        for (int k = 0; k < 4; k++) {
            s->blocks[w][k] = malloc(sizeof(float) * (size_t)net->n_params);
            memcpy(s->blocks[w][k], src[k], sizeof(float) * (size_t)net->n_params);
        }
        for (int l = 0; l < net->n_layers; l++) s->acts[w][l] = net->layer[l].act;
    }
    s->step = gn->step;
    s->tg = gn->opt_g.t;
    s->td = gn->opt_d.t;
    s->fake_valid = gn->fake_valid;
}

static void snap_check_free(snapshot *s, gan *gn) {
    for (int w = 0; w < 2; w++) {
        mlp *net = net_of(gn, w);
        float *cur[4] = {net->params, net->grads, net->m, net->v};
        assert_int_equal(s->n[w], net->n_params);
        for (int k = 0; k < 4; k++) {
            assert_memory_equal(s->blocks[w][k], cur[k], sizeof(float) * (size_t)net->n_params);
            free(s->blocks[w][k]);
        }
        for (int l = 0; l < net->n_layers; l++) assert_int_equal(s->acts[w][l], net->layer[l].act);
    }
    assert_int_equal(s->step, gn->step);
    assert_int_equal(s->tg, gn->opt_g.t);
    assert_int_equal(s->td, gn->opt_d.t);
    assert_int_equal(s->fake_valid, gn->fake_valid);
}

/* Loading `path` into gn fails with `code`, a message holding `needle`, and gn
 * stays as it was. */
static void expect_load_fails(const char *path, gan *gn, gs_status code, const char *needle) {
    snapshot s;
    snap_take(&s, gn);
    gs_error err = {0};
    gs_status st = ckpt_load(path, gn, &err);
    if (st != code || !strstr(err.msg, path) || (needle && !strstr(err.msg, needle)))
        fail_msg("load of %s: status %d (want %d), message \"%s\" (want \"%s\")", path, st, code,
                 err.msg, needle ? needle : "");
    snap_check_free(&s, gn);
}

/* ------------------------------------------------------------------------- */

static void test_round_trip(void **state) {
    gan a, b;
    make_trained(&a);
    assert_true(a.g.layer[0].alpha[0] != 0.37f); /* trained as prelu */
    char path[512];
    path_in(path, sizeof path, "a.safetensors");
    save_ok(path, &a);
    assert_int_equal(count_entries(tmpdir), 1);

    gs_config cfg;
    gs_error err = {0};
    assert_int_equal(ckpt_read_config(path, &cfg, &err), GS_OK);
    assert_string_equal(cfg.name, "tiny");
    assert_non_null(strstr(cfg.origin, "(stored preset)"));
    assert_int_equal(cfg.z_dim, a.cfg.z_dim);
    assert_int_equal(cfg.gen.n_hidden, a.cfg.gen.n_hidden);
    assert_memory_equal(cfg.gen.hidden, a.cfg.gen.hidden, sizeof cfg.gen.hidden);
    assert_memory_equal(cfg.disc.hidden, a.cfg.disc.hidden, sizeof cfg.disc.hidden);
    assert_int_equal(cfg.train.seed, a.cfg.train.seed);

    make_gan(&b, &cfg);
    for (int i = 0; i < 2; i++) gan_step(&b); /* non-zero moments and step, to be cleared */
    assert_int_equal(ckpt_load(path, &b, &err), GS_OK);

    for (int w = 0; w < 2; w++) {
        mlp *na = net_of(&a, w), *nb = net_of(&b, w);
        assert_int_equal(na->n_params, nb->n_params);
        assert_int_equal(na->n_layers, nb->n_layers);
        assert_memory_equal(na->params, nb->params, sizeof(float) * (size_t)na->n_params);
        for (int l = 0; l < na->n_layers; l++) {
            assert_int_equal(na->layer[l].act, nb->layer[l].act);
            assert_memory_equal(na->layer[l].alpha, nb->layer[l].alpha, sizeof(float));
        }
        for (long i = 0; i < nb->n_params; i++) {
            assert_true(nb->grads[i] == 0.0f);
            assert_true(nb->m[i] == 0.0f);
            assert_true(nb->v[i] == 0.0f);
        }
    }
    assert_int_equal(b.g.layer[0].act, ACT_PRELU);
    assert_int_equal(b.d.layer[1].act, ACT_SIGMOID);
    assert_int_equal(b.step, a.step);
    assert_int_equal(b.step, 10);
    assert_int_equal(b.opt_g.t, 0);
    assert_int_equal(b.opt_d.t, 0);
    assert_int_equal(b.fake_valid, 0);

    /* The same noise gives bit-identical samples and discriminator outputs. */
    enum { N = 100 };
    float *z = malloc(sizeof(float) * N * (size_t)a.z_dim);
    float *xa = malloc(sizeof(float) * N * (size_t)a.x_dim);
    float *xb = malloc(sizeof(float) * N * (size_t)a.x_dim);
    float da[N], db[N];
    rng r;
    rng_seed(&r, 99);
    for (long i = 0; i < N * a.z_dim; i++) z[i] = rng_normal(&r);
    gan_generate(&a, z, N, xa);
    gan_generate(&b, z, N, xb);
    assert_memory_equal(xa, xb, sizeof(float) * N * (size_t)a.x_dim);
    gan_discriminate(&a, xa, N, da);
    gan_discriminate(&b, xa, N, db);
    assert_memory_equal(da, db, sizeof da);

    /* Saving the loaded gan gives the same bytes: nothing is lost or added. */
    char path2[512];
    path_in(path2, sizeof path2, "b.safetensors");
    save_ok(path2, &b);
    size_t la, lb;
    char *fa = read_file(path, &la), *fb = read_file(path2, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(fa, fb, la);
    free(fa);
    free(fb);

    free(z);
    free(xa);
    free(xb);
    gan_free(&a);
    gan_free(&b);
    remove(path);
    remove(path2);
}

/* The layout other readers rely on: padded header, metadata, names in order. */
static void test_layout(void **state) {
    gan a;
    make_trained(&a);
    char path[512];
    path_in(path, sizeof path, "layout.safetensors");
    save_ok(path, &a);
    st_parts p = split(path);
    assert_int_equal(strlen(p.header) % 8, 0);
    assert_non_null(strstr(p.header, "\"format\":\"ganscope-1\""));
    assert_non_null(strstr(p.header, "\"step\":\"10\""));
    assert_non_null(strstr(p.header, "\\n")); /* the preset's newlines, escaped */
    char want[128];
    snprintf(want, sizeof want, "\"generator.activations\":\"prelu:");
    assert_non_null(strstr(p.header, want));
    assert_non_null(strstr(p.header, "\"discriminator.activations\":\"leaky_relu:0.2,sigmoid:"));
    snprintf(want, sizeof want, "\"generator.0.weight\":{\"dtype\":\"F32\",\"shape\":[%d,%d],",
             a.g.layer[0].out, a.g.layer[0].in);
    assert_non_null(strstr(p.header, want));
    const char *g0 = strstr(p.header, "\"generator.0.weight\"");
    const char *d0 = strstr(p.header, "\"discriminator.0.weight\"");
    assert_true(g0 && d0 && g0 < d0);
    size_t total = 0; /* n_params may include alignment padding: count the tensors */
    for (int w = 0; w < 2; w++) {
        mlp *net = net_of(&a, w);
        for (int l = 0; l < net->n_layers; l++)
            total += 4 * ((size_t)net->layer[l].out * (size_t)net->layer[l].in +
                          (size_t)net->layer[l].out + 1);
    }
    assert_int_equal(p.data_len, total);
    /* First tensor's data is generator.0.weight, little-endian F32. */
    float w0;
    memcpy(&w0, p.data, 4);
    assert_memory_equal(&w0, a.g.layer[0].w, 4);
    parts_free(&p);
    gan_free(&a);
    remove(path);
}

static void test_truncated(void **state) {
    gan a, b;
    make_trained(&a);
    gs_config cfg = tiny_config();
    make_gan(&b, &cfg);
    gan_step(&b);
    char path[512], cut[512];
    path_in(path, sizeof path, "full.safetensors");
    path_in(cut, sizeof cut, "cut.safetensors");
    save_ok(path, &a);
    size_t len;
    char *raw = read_file(path, &len);
    size_t hdr_end = 8 + (size_t)get_le64(raw);
    size_t cuts[] = {0,
                     1,
                     7,
                     8,
                     9,
                     50,
                     hdr_end - 1,
                     hdr_end,
                     hdr_end + 1,
                     hdr_end + 5,
                     (hdr_end + len) / 2,
                     len - 4,
                     len - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        write_bytes(cut, raw, cuts[i]);
        expect_load_fails(cut, &b, GS_ERR_FORMAT, NULL);
        gs_config c2;
        gs_error err = {0};
        assert_int_equal(ckpt_read_config(cut, &c2, &err), GS_ERR_FORMAT);
    }
    /* Every length that cuts the data gives a message that says so. */
    write_bytes(cut, raw, len - 1);
    expect_load_fails(cut, &b, GS_ERR_FORMAT, "truncated");
    /* Bytes after the last tensor are refused too. */
    char *longer = malloc(len + 4);
    memcpy(longer, raw, len);
    memset(longer + len, 0, 4);
    write_bytes(cut, longer, len + 4);
    expect_load_fails(cut, &b, GS_ERR_FORMAT, "after the last tensor");
    free(longer);
    free(raw);
    gan_free(&a);
    gan_free(&b);
}

static void test_header_length(void **state) {
    gan a;
    gs_config cfg = tiny_config();
    make_gan(&a, &cfg);
    char path[512], bad[512];
    path_in(path, sizeof path, "h.safetensors");
    path_in(bad, sizeof bad, "hbad.safetensors");
    save_ok(path, &a);
    size_t len;
    char *raw = read_file(path, &len);
    uint64_t lens[] = {UINT64_MAX, (uint64_t)1 << 40, 100000001, len - 7, 0};
    const char *why[] = {"100 MB", "100 MB", "100 MB", "truncated", "bad safetensors header"};
    for (int i = 0; i < 5; i++) {
        put_le64(raw, lens[i]);
        write_bytes(bad, raw, len);
        expect_load_fails(bad, &a, GS_ERR_FORMAT, why[i]);
        gs_config c2;
        gs_error err = {0};
        assert_int_equal(ckpt_read_config(bad, &c2, &err), GS_ERR_FORMAT);
        assert_non_null(strstr(err.msg, why[i]));
    }
    free(raw);
    gan_free(&a);
}

/* Headers that are not the strict JSON we accept, and JSON that is not a valid
 * safetensors index. */
static void test_bad_header(void **state) {
    gan a;
    gs_config cfg = tiny_config();
    make_gan(&a, &cfg);
    char path[512];
    path_in(path, sizeof path, "bad.safetensors");
    static const char four[4] = {0};
#define T(name) "\"" name "\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}"
    static const char *const bad_json[] = {
        "",
        " {}",
        "{",
        "[]",
        "{\"a\":1.5}",
        "{\"a\":1e3}",
        "{\"a\":true}",
        "{\"a\":null}",
        "{'a':1}",
        "{\"a\" 1}",
        "{\"a\":1,}",
        "{\"a\":1 \"b\":2}",
        "{\"a\":[1,]}",
        "{\"a\":[\"x\"]}",
        "{\"a\":01}",
        "{\"a\":-}",
        "{\"a\":99999999999999999999}",
        "{\"a\":\"x\\q\"}",
        "{\"a\":\"x\\u12G4\"}",
        "{\"a\":\"\\ud800\"}",
        "{\"a\":\"\\udc00\"}",
        "{\"a\":\"\\ud800\\u0041\"}",
        "{\"a\":\"\\u0000\"}",
        "{\"a\":\"line\nbreak\"}",
        "{\"a\":\"\xff\"}",
        "{\"a\":\"\xc0\xaf\"}",
        "{\"a\":\"\xed\xa0\x80\"}",
        "{\"a\":\"unterminated}",
        "{\"a\":\"x\\",
        "{\"a\":1}}",
        "{\"a\":1} x",
        "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":1}}}}}}}}}",
        "{" T("x") "," T("x") "}",
        "{\"__metadata__\":{\"format\":1}," T("x") "}",
        "{\"__metadata__\":[1]," T("x") "}",
        "{\"x\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}",
        "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}",
        "{\"x\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}",
        "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}",
        "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}",
        "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}",
        "{\"x\":{\"dtype\":\"F32\",\"shape\":[1]}}",
        "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"extra\":1}}",
        "{\"x\":{\"dtype\":\"F32\",\"shape\":1,\"data_offsets\":[0,4]}}",
        "{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
        "{\"x\":\"F32\"}",
        "{\"x\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,4]}}",
    };
    for (size_t i = 0; i < sizeof bad_json / sizeof bad_json[0]; i++) {
        write_st(path, bad_json[i], four, sizeof four);
        expect_load_fails(path, &a, GS_ERR_FORMAT, NULL);
        gs_error err = {0};
        gs_config c2;
        assert_int_equal(ckpt_read_config(path, &c2, &err), GS_ERR_FORMAT);
        if (!strstr(err.msg, path)) fail_msg("case %zu: message without path: %s", i, err.msg);
    }

    /* Messages name the problem. */
    struct {
        const char *header;
        size_t data;
        const char *needle;
    } named[] = {
        {"{\"a\":1.5}", 4, "bad safetensors header: at byte 6: numbers must be integers"},
        {"{\"a\":\"\\ud800\"}", 4, "unpaired high surrogate"},
        {"{\"x\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4, "BF16"},
        {"{" T("x") "," T("y") "}", 4, "overlap"},
        {"{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "unused bytes"},
        {"{" T("x") "}", 4, "not a ganscope checkpoint"},
        {"{\"__metadata__\":{\"format\":\"other\"}," T("x") "}", 4, "not a ganscope checkpoint"},
        {"{\"a\":1,\"a\":2}", 0, "duplicate key"},
    };
    static const char eight[8] = {0};
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        write_st(path, named[i].header, eight, named[i].data);
        expect_load_fails(path, &a, GS_ERR_FORMAT, named[i].needle);
    }
#undef T
    gan_free(&a);
    remove(path);
}

/* A header as another writer might produce it: spaces, other key order, no
 * padding, escapes, metadata first or last. It loads. */
static void test_foreign_header(void **state) {
    gan a, b;
    make_trained(&a);
    gs_config cfg = tiny_config();
    make_gan(&b, &cfg);
    char path[512], out[512];
    path_in(path, sizeof path, "src.safetensors");
    path_in(out, sizeof out, "foreign.safetensors");
    save_ok(path, &a);
    /* Escapes in the stored preset: "tin\u0079\/x" is "tiny/x", and a description
     * with a two-byte character and a surrogate pair. */
    edit_header(path, out, "name = tiny", "name = tin\\u0079\\/x");
    gs_config c2;
    gs_error err = {0};
    assert_int_equal(ckpt_read_config(out, &c2, &err), GS_OK);
    assert_string_equal(c2.name, "tiny/x");
    edit_header(path, out, "description = ", "description = caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" ");
    assert_int_equal(ckpt_read_config(out, &c2, &err), GS_OK);
    assert_non_null(strstr(c2.description, "caf\xc3\xa9 \xf0\x9f\x98\x80 \"q\" "));
    /* Every tensor entry rewritten with its keys in another order and whitespace
     * around the tokens, and the padding dropped. */
    st_parts q = split(path);
    size_t n = strlen(q.header);
    while (n > 0 && q.header[n - 1] == ' ') n--;
    q.header[n] = '\0';
    const char *from = "{\"dtype\":\"F32\",\"shape\":[";
    char *h = malloc(2 * n + 4096);
    h[0] = '\0';
    const char *s = q.header, *at;
    while ((at = strstr(s, from))) {
        const char *shape = at + strlen(from);
        const char *close = strchr(shape, ']');
        const char *offs = strstr(close, "\"data_offsets\":[") + 16;
        const char *oclose = strchr(offs, ']');
        assert_memory_equal(oclose, "]}", 2);
        strncat(h, s, (size_t)(at - s));
        strcat(h, "{ \"data_offsets\" : [ ");
        strncat(h, offs, (size_t)(oclose - offs));
        strcat(h, " ] ,\n \"shape\" : [");
        strncat(h, shape, (size_t)(close - shape));
        strcat(h, "], \"dtype\"\t:\"F32\" }");
        s = oclose + 2;
    }
    strcat(h, s);
    strcat(h, "\r\n");
    write_st(out, h, q.data, q.data_len);
    parts_free(&q);
    assert_int_equal(ckpt_load(out, &b, &err), GS_OK);
    assert_memory_equal(a.g.params, b.g.params, sizeof(float) * (size_t)a.g.n_params);
    assert_memory_equal(a.d.params, b.d.params, sizeof(float) * (size_t)a.d.n_params);
    free(h);
    gan_free(&a);
    gan_free(&b);
}

static void test_shape_mismatch(void **state) {
    gan tiny, wide, deep;
    gs_config cfg = tiny_config();
    make_gan(&tiny, &cfg);
    gan_step(&tiny);
    gs_config cw = cfg;
    cw.gen.hidden[0] = 24;
    make_gan(&wide, &cw);
    gs_config cd = cfg;
    cd.disc.n_hidden = 3;
    cd.disc.hidden[2] = 16;
    make_gan(&deep, &cd);

    char pw[512], pd[512], pt[512];
    path_in(pw, sizeof pw, "wide.safetensors");
    path_in(pd, sizeof pd, "deep.safetensors");
    path_in(pt, sizeof pt, "tiny.safetensors");
    save_ok(pw, &wide);
    save_ok(pd, &deep);
    save_ok(pt, &tiny);
    char want[128];
    snprintf(want, sizeof want,
             "tensor generator.0.weight has shape [24, %d], the network expects "
             "[16, %d]",
             cfg.z_dim, cfg.z_dim);
    expect_load_fails(pw, &tiny, GS_ERR_STATE, want);
    expect_load_fails(pd, &tiny, GS_ERR_STATE, "discriminator.2.weight has shape [16, 16]");
    expect_load_fails(pt, &deep, GS_ERR_STATE,
                      "discriminator.2.weight has shape [1, 16], the network expects [16, 16]");
    expect_load_fails(pt, &wide, GS_ERR_STATE, "generator.0.weight");

    /* A tensor the network has is missing from the file. */
    char px[512];
    path_in(px, sizeof px, "extra.safetensors");
    edit_header(pt, px, "\"generator.1.bias\"", "\"generator.1.biax\"");
    expect_load_fails(px, &tiny, GS_ERR_STATE, "tensor generator.1.bias is missing");

    /* An extra tensor the network does not have. */
    st_parts p = split(pt);
    size_t n = strlen(p.header);
    while (p.header[n - 1] == ' ') n--;
    p.header[n - 1] = '\0'; /* drop the closing brace */
    char *h = malloc(n + 200), *data = malloc(p.data_len + 4);
    snprintf(h, n + 200,
             "%s,\"generator.0.extra\":{\"dtype\":\"F32\",\"shape\":[1],"
             "\"data_offsets\":[%zu,%zu]}}",
             p.header, p.data_len, p.data_len + 4);
    memcpy(data, p.data, p.data_len);
    memset(data + p.data_len, 0, 4);
    write_st(px, h, data, p.data_len + 4);
    expect_load_fails(px, &tiny, GS_ERR_STATE, "unexpected tensor generator.0.extra");
    free(h);
    free(data);
    parts_free(&p);
    gan_free(&tiny);
    gan_free(&wide);
    gan_free(&deep);
}

static void test_bad_metadata(void **state) {
    gan a;
    gs_config cfg = tiny_config();
    make_gan(&a, &cfg);
    gan_step(&a);
    char path[512], out[512];
    path_in(path, sizeof path, "m.safetensors");
    path_in(out, sizeof out, "m2.safetensors");
    save_ok(path, &a);
    /* The stored list, e.g. relu:0.2,relu:0.2,identity:0.2, and edits of it. */
    st_parts p = split(path);
    const char *key = "\"generator.activations\":\"";
    char *v0 = strstr(p.header, key);
    assert_non_null(v0);
    v0 += strlen(key);
    char acts[200], whole[300], first[64];
    snprintf(acts, sizeof acts, "%.*s", (int)(strchr(v0, '"') - v0), v0);
    snprintf(whole, sizeof whole, "%s%s\"", key, acts);
    snprintf(first, sizeof first, "%.*s", (int)(strchr(acts, ',') - acts), acts);
    parts_free(&p);
    assert_memory_equal(first, "relu:", 5);
    char fewer[300], more[300], rulu[300], noslope[300], badslope[300], empty[300];
    snprintf(fewer, sizeof fewer, "%s%s\"", key, strchr(acts, ',') + 1);
    snprintf(more, sizeof more, "%s%s,relu:0\"", key, acts);
    snprintf(rulu, sizeof rulu, "%sru%s\"", key, acts + 2);
    snprintf(noslope, sizeof noslope, "%srelu%s\"", key, strchr(acts, ','));
    snprintf(badslope, sizeof badslope, "%s%sx%s\"", key, first, strchr(acts, ','));
    snprintf(empty, sizeof empty, "%s\"", key);
    struct {
        const char *from, *to, *needle;
    } cases[] = {
        {whole, rulu, "unknown activation 'rulu'"},
        {whole, fewer, "lists 2 activations, the network has 3 layers"},
        {whole, more, "more than the 3 layers"},
        {whole, noslope, "not name:slope"},
        {whole, badslope, "bad slope"},
        {whole, empty, "not name:slope"},
        {"\"generator.activations\"", "\"generator.actuations\"", "generator.activations"},
        {"\"step\":\"1\"", "\"step\":\"-1\"", "step"},
        {"\"step\":\"1\"", "\"step\":\"1x\"", "step"},
        {"\"step\":\"1\"", "\"stop\":\"1\"", "step"},
        {"\"format\":\"ganscope-1\"", "\"format\":\"ganscope-2\"", "ganscope-2"},
        {"\"format\":\"ganscope-1\",", "", "no __metadata__.format"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        edit_header(path, out, cases[i].from, cases[i].to);
        expect_load_fails(out, &a, GS_ERR_FORMAT, cases[i].needle);
    }
    /* A stored preset that does not parse: the error names it as such. */
    edit_header(path, out, "[train]", "[nonsense]");
    gs_config c2;
    gs_error err = {0};
    assert_int_not_equal(ckpt_read_config(out, &c2, &err), GS_OK);
    assert_non_null(strstr(err.msg, "(stored preset)"));
    gan_free(&a);
}

static void test_missing_file(void **state) {
    gan a;
    gs_config cfg = tiny_config();
    make_gan(&a, &cfg);
    char path[512];
    path_in(path, sizeof path, "does-not-exist.safetensors");
    expect_load_fails(path, &a, GS_ERR_IO, NULL);
    gs_config c2;
    gs_error err = {0};
    assert_int_equal(ckpt_read_config(path, &c2, &err), GS_ERR_IO);
    assert_non_null(strstr(err.msg, path));
    gan_free(&a);
}

static void test_unwritable(void **state) {
    gan a, b;
    make_trained(&a);
    gs_config cfg = tiny_config();
    make_gan(&b, &cfg);
    char path[512];
    gs_error err = {0};
    int before = count_entries(tmpdir);

    path_in(path, sizeof path, "no/such/dir/x.safetensors");
    assert_int_equal(ckpt_save(path, &a, &err), GS_ERR_IO);
    assert_non_null(strstr(err.msg, "x.safetensors"));
    assert_int_equal(count_entries(tmpdir), before);

    /* An existing checkpoint survives a save that fails midway (a file-size
     * limit behaves like a full disk). */
    path_in(path, sizeof path, "keep.safetensors");
    save_ok(path, &b);
    size_t len0;
    char *old = read_file(path, &len0);
    struct rlimit lim0, lim;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &lim0), 0);
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    lim = lim0;
    lim.rlim_cur = 1000;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    gs_status st = ckpt_save(path, &a, &err);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim0), 0);
    signal(SIGXFSZ, old_handler);
    assert_int_equal(st, GS_ERR_IO);
    size_t len1;
    char *now = read_file(path, &len1);
    assert_int_equal(len0, len1);
    assert_memory_equal(old, now, len0);
    free(now);
    assert_int_equal(count_entries(tmpdir), before + 1);

    /* A read-only directory (root writes anyway, so only checked for others). */
    if (geteuid() != 0) {
        char dir[512], file[600];
        path_in(dir, sizeof dir, "ro");
        assert_int_equal(mkdir(dir, 0755), 0);
        snprintf(file, sizeof file, "%s/c.safetensors", dir);
        save_ok(file, &b);
        assert_int_equal(chmod(dir, 0555), 0);
        assert_int_equal(ckpt_save(file, &a, &err), GS_ERR_IO);
        assert_int_equal(chmod(dir, 0755), 0);
        assert_int_equal(count_entries(dir), 1);
        char *again = read_file(file, &len1);
        assert_int_equal(len1, len0);
        assert_memory_equal(again, old, len0);
        free(again);
    }
    free(old);
    gan_free(&a);
    gan_free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),     cmocka_unit_test(test_layout),
        cmocka_unit_test(test_truncated),      cmocka_unit_test(test_header_length),
        cmocka_unit_test(test_bad_header),     cmocka_unit_test(test_foreign_header),
        cmocka_unit_test(test_shape_mismatch), cmocka_unit_test(test_bad_metadata),
        cmocka_unit_test(test_missing_file),   cmocka_unit_test(test_unwritable),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
