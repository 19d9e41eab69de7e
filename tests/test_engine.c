/* test_engine.c - the live engine: thousands of random commands from another
 * thread while snapshots are read (every valid command applied in order, every
 * invalid one refused, training advancing); activation swaps through a session
 * keep the weights; schedules fire at their step; the keymap builds commands. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "keymap.h"
#include "optim.h"
#include "par.h"
#include "preset.h"

static void load(const char *name, gs_config *cfg) {
    gs_error err;
    preset_defaults(cfg);
    if (preset_load(name, cfg, &err)) fail_msg("%s", err.msg);
}

#define N_CMDS 3000
typedef struct expect {
    int refused;
    char needle[64];
} expect;

typedef struct sender {
    engine *e;
    expect *ex;
    int n;
    atomic_int done;
} sender;

static void *send_random(void *arg) {
    sender *s = arg;
    rng r;
    rng_seed(&r, 2024);
    int paused = 0;
    for (int i = 0; i < N_CMDS; i++) {
        engine_cmd c;
        memset(&c, 0, sizeof c);
        expect *x = &s->ex[s->n];
        c.net = (int)rng_below(&r, 2);
        switch (rng_below(&r, 5)) {
        case 0: /* activation: layers 0,1 exist in tiny; 2 does not */
            c.kind = CMD_SET_ACT;
            c.layer = (int)rng_below(&r, 4) - 1;
            c.act = (int)rng_below(&r, ACT_COUNT + 1);
            x->refused = c.layer >= 2 || c.act == ACT_COUNT;
            snprintf(x->needle, sizeof x->needle, "%s",
                     c.act == ACT_COUNT ? "unknown activation"
                     : c.layer >= 2     ? "no hidden layer"
                                        : act_name(c.act));
            break;
        case 1:
            c.kind = CMD_SET_SLOPE;
            c.layer = -1;
            c.value = (int)rng_below(&r, 160) / 100.0 - 0.3; /* -0.3 .. 1.29 */
            x->refused = c.value < 0 || c.value > 1;
            if (x->refused)
                snprintf(x->needle, sizeof x->needle, "outside [0, 1]");
            else
                snprintf(x->needle, sizeof x->needle, "= %.2f", c.value);
            break;
        case 2:
            c.kind = CMD_SET_LR;
            c.value = rng_below(&r, 4) == 0 ? 3.0 : 1e-4 * (1 + rng_below(&r, 9));
            x->refused = c.value > 1;
            snprintf(x->needle, sizeof x->needle, "%s",
                     x->refused ? "outside (0, 1]" : "learning rate");
            break;
        case 3:
            c.kind = CMD_TOGGLE_PAUSE;
            paused = !paused;
            x->refused = 0;
            snprintf(x->needle, sizeof x->needle, "%s", paused ? "\"paused\"" : "\"resumed\"");
            break;
        default:
            c.kind = CMD_SETTING;
            if (rng_below(&r, 2)) {
                snprintf(c.text, sizeof c.text, "train.d_steps=%u", 1 + rng_below(&r, 3));
                x->refused = 0;
                snprintf(x->needle, sizeof x->needle, "D steps per G step");
            } else {
                snprintf(c.text, sizeof c.text, "train.batch=%u", 1 + rng_below(&r, 3));
                x->refused = 1;
                snprintf(x->needle, sizeof x->needle, "cannot change during a run");
            }
            break;
        }
        s->n++;
        while (!engine_send(s->e, &c)) usleep(100);
        if (i % 4 == 0) usleep(1000);
    }
    if (paused) { /* leave it running */
        engine_cmd c = {.kind = CMD_TOGGLE_PAUSE};
        while (!engine_send(s->e, &c)) usleep(100);
        snprintf(s->ex[s->n].needle, sizeof s->ex[0].needle, "\"resumed\"");
        s->ex[s->n++].refused = 0;
    }
    atomic_store(&s->done, 1);
    return NULL;
}

static void test_thread_stress(void **state) {
    gs_config cfg;
    load("tiny", &cfg);
    cfg.train.log_every = 1000000; /* events only in the log */
    char path[] = "/tmp/gs_engine_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    runlog lg;
    assert_int_equal(runlog_open(&lg, path, NULL), GS_OK);
    engine *e;
    gs_error err;
    if (engine_start(&e, &cfg, &lg, 0, &err)) fail_msg("%s", err.msg);
    sender s = {.e = e, .ex = calloc(N_CMDS + 1, sizeof(expect))};
    pthread_t th;
    pthread_create(&th, NULL, send_random, &s);
    snapshot *snap = malloc(sizeof *snap);
    uint64_t last = 0;
    long max_step = 0;
    int reads = 0;
    for (;;) {
        uint64_t v = engine_snapshot(e, snap);
        assert_true(v >= last);
        last = v;
        if (snap->step > max_step) max_step = snap->step;
        reads++;
        /* the copy is consistent: hidden layer counts match the preset */
        assert_int_equal(snap->g.n_hidden, cfg.gen.n_hidden);
        if (atomic_load(&s.done)) break;
        struct timespec ts = {0, 2000000};
        nanosleep(&ts, NULL);
        if (reads > 100000) break;
    }
    pthread_join(th, NULL);
    usleep(200000); /* let it train a little after the last command */
    engine_snapshot(e, snap);
    if (snap->step > max_step) max_step = snap->step;
    engine_stop(e);
    runlog_close(&lg);
    assert_true(max_step > 0);
    assert_true(reads > 10);

    /* every command's event, in order */
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    char line[1024];
    int i = 0, refused = 0;
    while (fgets(line, sizeof line, fp)) {
        if (!strstr(line, "\"type\": \"event\"")) continue;
        if (i >= s.n) break;
        int is_refused = strstr(line, "\"refused: ") != NULL;
        if (is_refused != s.ex[i].refused || !strstr(line, s.ex[i].needle))
            fail_msg("command %d: expected %s'%s', got %s", i, s.ex[i].refused ? "refused " : "",
                     s.ex[i].needle, line);
        refused += is_refused;
        i++;
    }
    fclose(fp);
    unlink(path);
    assert_int_equal(i, s.n);
    assert_true(refused > 100 && refused < s.n - 100);
    print_message("%d commands (%d refused), %d snapshot reads, step %ld\n", s.n, refused, reads,
                  max_step);
    free(s.ex);
    free(snap);
}

static void test_swap_keeps_weights(void **state) {
    gs_config cfg;
    load("tiny", &cfg);
    session s;
    gs_error err;
    if (session_open(&s, &cfg, NULL, NULL, &err)) fail_msg("%s", err.msg);
    for (int i = 0; i < 50; i++) session_step(&s);
    mlp *d = &s.gn.d;
    float *w = malloc(d->n_params * sizeof(float));
    memcpy(w, d->params, d->n_params * sizeof(float));
    float x[4] = {0.5f, -0.25f, 0.1f, 0.9f}, before[2], after[2];
    gan_discriminate(&s.gn, x, 2, before);
    engine_cmd c = {.kind = CMD_SET_ACT, .net = NET_D, .layer = -1, .act = ACT_SIGMOID};
    assert_true(session_apply(&s, &c));
    assert_memory_equal(w, d->params, d->n_params * sizeof(float));
    gan_discriminate(&s.gn, x, 2, after);
    assert_true(before[0] != after[0]);
    /* the same forward by hand: sigmoid hidden layers over the same weights */
    mlp ref;
    assert_int_equal(mlp_create(&ref, 2, cfg.disc.n_hidden, cfg.disc.hidden, 1, ACT_SIGMOID, 0.2f,
                                ACT_IDENTITY, 2, NULL),
                     GS_OK);
    memcpy(ref.params, d->params, d->n_params * sizeof(float));
    mlp_forward(&ref, x, 2);
    assert_float_equal(after[0], 1.0f / (1.0f + expf(-mlp_output(&ref)[0])), 1e-6);
    mlp_free(&ref);

    /* prelu: the slope parameter starts from the layer's slope and learns */
    float slope = d->layer[0].alpha[0];
    engine_cmd p = {.kind = CMD_SET_ACT, .net = NET_D, .layer = 0, .act = ACT_PRELU};
    assert_true(session_apply(&s, &p));
    assert_float_equal(d->layer[0].alpha[0], slope, 0);
    for (int i = 0; i < 30; i++) session_step(&s);
    assert_true(d->layer[0].alpha[0] != slope);
    /* swap back: weights are untouched by the swap itself */
    memcpy(w, d->params, d->n_params * sizeof(float));
    engine_cmd b = {.kind = CMD_SET_ACT, .net = NET_D, .layer = -1, .act = ACT_LEAKY_RELU};
    assert_true(session_apply(&s, &b));
    assert_memory_equal(w, d->params, d->n_params * sizeof(float));
    /* invalid commands are refused and change nothing */
    engine_cmd bad = {.kind = CMD_SET_SLOPE, .net = NET_G, .layer = 5, .value = 0.1};
    assert_false(session_apply(&s, &bad));
    assert_true(s.events[(s.n_events - 1) % SNAP_MAX_EVENTS].refused);
    free(w);
    session_close(&s);
}

static void test_schedule_fires(void **state) {
    gs_config cfg;
    load("tiny", &cfg);
    cfg.n_sched = 2;
    cfg.sched[0].step = 30;
    snprintf(cfg.sched[0].setting, sizeof cfg.sched[0].setting, "discriminator.activation=sigmoid");
    cfg.sched[1].step = 60;
    snprintf(cfg.sched[1].setting, sizeof cfg.sched[1].setting, "generator.2.slope=0.35");
    session s;
    assert_int_equal(session_open(&s, &cfg, NULL, NULL, NULL), GS_OK);
    for (int i = 0; i < 100; i++) {
        session_step(&s);
        if (s.gn.step == 30) assert_int_equal(s.gn.d.layer[0].act, cfg.disc.act);
        if (s.gn.step == 31) assert_int_equal(s.gn.d.layer[0].act, ACT_SIGMOID);
    }
    assert_float_equal(s.gn.g.layer[1].alpha[0], 0.35f, 1e-7);
    assert_float_equal(s.gn.g.layer[0].alpha[0], cfg.gen.slope, 1e-7);
    assert_int_equal(s.n_events, 2);
    assert_int_equal(s.events[0].step, 30);
    assert_int_equal(s.events[1].step, 60);
    session_close(&s);
}

static void test_settings(void **state) {
    engine_cmd c;
    gs_error err;
    assert_int_equal(engine_parse_setting("generator.activation=gelu", &c, NULL), GS_OK);
    assert_int_equal(c.kind, CMD_SET_ACT);
    assert_int_equal(c.net, NET_G);
    assert_int_equal(c.layer, -1);
    assert_int_equal(c.act, ACT_GELU);
    assert_int_equal(engine_parse_setting("discriminator.2.slope=0.1", &c, NULL), GS_OK);
    assert_int_equal(c.layer, 1);
    assert_int_equal(engine_parse_setting("generator.slope=1.5", &c, &err), GS_ERR_VALUE);
    assert_int_equal(engine_parse_setting("generator.activation=relu7", &c, &err), GS_ERR_VALUE);
    assert_int_equal(engine_parse_setting("train.batch=3", &c, &err), GS_ERR_VALUE);
    assert_non_null(strstr(err.msg, "cannot change during a run"));
    assert_int_equal(engine_parse_setting("nonsense", &c, &err), GS_ERR_VALUE);
}

static void test_keymap(void **state) {
    ui_selection sel = {NET_G, -1};
    const keymap_entry *k = keymap_find('9');
    assert_non_null(k);
    engine_cmd c;
    keymap_command(k, &sel, &c);
    assert_int_equal(c.kind, CMD_SET_ACT);
    assert_int_equal(c.act, ACT_SIGMOID);
    assert_int_equal(c.net, NET_G);
    assert_true(keymap_select(KA_SWITCH_NET, &sel, 2, 3));
    assert_int_equal(sel.net, NET_D);
    keymap_select(KA_LAYER_DOWN, &sel, 2, 3);
    assert_int_equal(sel.layer, 0);
    keymap_select(KA_LAYER_UP, &sel, 2, 3);
    keymap_select(KA_LAYER_UP, &sel, 2, 3);
    assert_int_equal(sel.layer, 2); /* wraps from "all" to the last layer */
    keymap_select(KA_SWITCH_NET, &sel, 2, 3);
    assert_int_equal(sel.layer, -1); /* G has no layer 3 */
    /* every key is listed once */
    for (int i = 0; i < keymap_count; i++)
        for (int j = i + 1; j < keymap_count; j++)
            assert_int_not_equal(keymap[i].key, keymap[j].key);
    const int required[] = {' ', 'n', 'r', GSK_TAB, GSK_UP, GSK_DOWN, 'a', 'A', '[', ']',
                            '{', '}', '-', '=',     'l',    'k',      's', 'h', '?', 'q'};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        assert_non_null(keymap_find(required[i]));
}

static void test_history_bounded(void **state) {
    history h;
    history_init(&h);
    for (long s = 0; s < 100000; s++) {
        float v[HIST_SERIES] = {(float)(s % 7), 1.0f, 0.5f, (float)s};
        history_add(&h, s, v);
    }
    assert_true(h.n <= HIST_BUCKETS);
    assert_true(h.n > HIST_BUCKETS / 4);
    long total = 0;
    for (int i = 0; i < h.n; i++) {
        total += h.b[i].count;
        if (i) assert_true(h.b[i].step > h.b[i - 1].step);
        assert_true(h.b[i].min[0] <= h.b[i].mean[0] && h.b[i].mean[0] <= h.b[i].max[0]);
    }
    assert_int_equal(total, 100000); /* nothing dropped, only merged */
    assert_float_equal(h.b[0].min[0], 0.0f, 0);
    assert_float_equal(h.b[0].max[0], 6.0f, 0);
}

/* Save and load through commands: a checkpoint brings back the weights, the
 * activations and the step; a bad one is refused and the run goes on as it was. */
static void test_save_load_commands(void **state) {
    gs_config cfg;
    load("tiny", &cfg);
    session s;
    assert_int_equal(session_open(&s, &cfg, NULL, NULL, NULL), GS_OK);
    for (int i = 0; i < 40; i++) session_step(&s);
    engine_cmd act = {.kind = CMD_SET_ACT, .net = NET_G, .layer = 1, .act = ACT_ELU};
    assert_true(session_apply(&s, &act));
    char path[] = "/tmp/gs_ckpt_XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    engine_cmd save = {.kind = CMD_SAVE};
    snprintf(save.text, sizeof save.text, "%s", path);
    assert_true(session_apply(&s, &save));
    float *w = malloc(s.gn.g.n_params * sizeof(float));
    memcpy(w, s.gn.g.params, s.gn.g.n_params * sizeof(float));
    for (int i = 0; i < 40; i++) session_step(&s);
    engine_cmd ld = {.kind = CMD_LOAD};
    snprintf(ld.text, sizeof ld.text, "%s", path);
    assert_true(session_apply(&s, &ld));
    assert_int_equal(s.gn.step, 40);
    assert_int_equal(s.gn.g.layer[1].act, ACT_ELU);
    assert_memory_equal(w, s.gn.g.params, s.gn.g.n_params * sizeof(float));
    /* a truncated checkpoint: refused, nothing changes */
    FILE *fp = fopen(path, "r+b");
    assert_non_null(fp);
    assert_int_equal(ftruncate(fileno(fp), 50), 0);
    fclose(fp);
    session_step(&s);
    memcpy(w, s.gn.g.params, s.gn.g.n_params * sizeof(float));
    assert_false(session_apply(&s, &ld));
    assert_true(s.events[(s.n_events - 1) % SNAP_MAX_EVENTS].refused);
    assert_int_equal(s.gn.step, 41);
    assert_memory_equal(w, s.gn.g.params, s.gn.g.n_params * sizeof(float));
    unlink(path);
    free(w);
    session_close(&s);
}

/* The optimizer split over two threads gives the same bits as one thread. */
static void test_par_optimizer(void **state) {
    const long n = 300001;
    float *p1 = malloc(n * sizeof(float)), *p2 = malloc(n * sizeof(float));
    float *g = malloc(n * sizeof(float)), *m1 = calloc(n, sizeof(float)),
          *v1 = calloc(n, sizeof(float)), *m2 = calloc(n, sizeof(float)),
          *v2 = calloc(n, sizeof(float));
    rng r;
    rng_seed(&r, 11);
    rng_fill_normal(&r, p1, n, 1.0f);
    memcpy(p2, p1, n * sizeof(float));
    optim a = {.kind = OPT_ADAM, .lr = 1e-3f, .beta1 = 0.5f, .beta2 = 0.999f, .eps = 1e-8f};
    optim b = a;
    for (int step = 0; step < 5; step++) {
        rng_fill_normal(&r, g, n, 1.0f);
        par_set_threads(1);
        optim_step(&a, p1, g, m1, v1, n);
        par_set_threads(2);
        optim_step(&b, p2, g, m2, v2, n);
    }
    par_set_threads(1);
    assert_memory_equal(p1, p2, n * sizeof(float));
    assert_memory_equal(v1, v2, n * sizeof(float));
    free(p1), free(p2), free(g), free(m1), free(v1), free(m2), free(v2);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_settings),        cmocka_unit_test(test_keymap),
        cmocka_unit_test(test_history_bounded), cmocka_unit_test(test_swap_keeps_weights),
        cmocka_unit_test(test_schedule_fires),  cmocka_unit_test(test_thread_stress),
        cmocka_unit_test(test_par_optimizer),   cmocka_unit_test(test_save_load_commands),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
