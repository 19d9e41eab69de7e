/* test_preset.c - presets: every builtin loads and validates, errors name the
 * file, line and key, --set and preset_apply accept and refuse the right values,
 * the schedule keeps step order, preset_to_ini reads back to the same config,
 * and presets load from files. GS_SOURCE_DIR (the repo root) locates presets/. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "preset.h"

static const char *const expected_builtins[] = {"bench",       "fashion-best", "fashion",
                                                "grid25-best", "grid25",       "mnist",
                                                "ring8",       "spiral",       "tiny"};

/* Fails with the message when a call that should succeed does not. */
#define assert_ok(call, err)                                                                       \
    do {                                                                                           \
        gs_status st_ = (call);                                                                    \
        if (st_ != GS_OK) fail_msg("%s failed: %s", #call, (err).msg);                             \
    } while (0)

#define assert_has(haystack, needle)                                                               \
    do {                                                                                           \
        if (!strstr((haystack), (needle)))                                                         \
            fail_msg("expected '%s' in message '%s'", (needle), (haystack));                       \
    } while (0)

static void assert_net_equal(const net_config *a, const net_config *b) {
    assert_int_equal(a->n_hidden, b->n_hidden);
    for (int i = 0; i < a->n_hidden; i++) assert_int_equal(a->hidden[i], b->hidden[i]);
    assert_int_equal(a->act, b->act);
    assert_true(a->slope == b->slope);
    assert_int_equal(a->out_act, b->out_act);
    assert_true(a->lr == b->lr);
}

/* Field by field: everything preset_to_ini writes (origin is not a key). */
static void assert_config_equal(const gs_config *a, const gs_config *b) {
    assert_string_equal(a->name, b->name);
    assert_string_equal(a->description, b->description);
    assert_string_equal(a->data.source, b->data.source);
    assert_string_equal(a->data.path, b->data.path);
    assert_int_equal(a->z_dim, b->z_dim);
    assert_net_equal(&a->gen, &b->gen);
    assert_net_equal(&a->disc, &b->disc);
    assert_int_equal(a->train.steps, b->train.steps);
    assert_int_equal(a->train.batch, b->train.batch);
    assert_int_equal(a->train.loss, b->train.loss);
    assert_int_equal(a->train.d_steps, b->train.d_steps);
    assert_int_equal(a->train.opt, b->train.opt);
    assert_true(a->train.beta1 == b->train.beta1);
    assert_true(a->train.beta2 == b->train.beta2);
    assert_true(a->train.momentum == b->train.momentum);
    assert_true(a->train.eps == b->train.eps);
    assert_true(a->train.seed == b->train.seed);
    assert_int_equal(a->train.log_every, b->train.log_every);
    assert_int_equal(a->n_sched, b->n_sched);
    for (int i = 0; i < a->n_sched; i++) {
        assert_int_equal(a->sched[i].step, b->sched[i].step);
        assert_string_equal(a->sched[i].setting, b->sched[i].setting);
    }
}

/* Parses text over the defaults; expects failure with exactly msg. */
static void expect_parse_error(const char *text, const char *msg) {
    gs_config cfg;
    gs_error err = {0};
    preset_defaults(&cfg);
    gs_status st = preset_parse_string(text, "my.ini", &cfg, &err);
    if (st == GS_OK) fail_msg("parse of <<%s>> succeeded, expected '%s'", text, msg);
    assert_int_equal(st, GS_ERR_VALUE);
    assert_string_equal(err.msg, msg);
}

static void expect_set_error(const char *assignment, const char *needle) {
    gs_config cfg, before;
    gs_error err = {0};
    preset_defaults(&cfg);
    before = cfg;
    gs_status st = preset_set(&cfg, assignment, &err);
    if (st == GS_OK) fail_msg("--set %s succeeded", assignment);
    assert_int_equal(st, GS_ERR_VALUE);
    assert_has(err.msg, needle);
    assert_config_equal(&cfg, &before); /* a refused value changes nothing */
}

static void test_builtin_table(void **state) {
    (void)state;
    int n = preset_builtin_count();
    assert_int_equal(n, (int)(sizeof expected_builtins / sizeof expected_builtins[0]));
    for (int i = 0; i < n; i++) {
        assert_string_equal(preset_builtin_name(i), expected_builtins[i]);
        assert_non_null(preset_builtin_text(i));
    }
    assert_null(preset_builtin_name(n));
    assert_null(preset_builtin_text(-1));
}

static void test_builtins_load_and_validate(void **state) {
    (void)state;
    for (int i = 0; i < preset_builtin_count(); i++) {
        const char *name = preset_builtin_name(i);
        gs_config cfg;
        gs_error err = {0};
        assert_ok(preset_load(name, &cfg, &err), err);
        assert_string_equal(cfg.name, name);
        assert_true(cfg.description[0] != '\0');
        char origin[80];
        snprintf(origin, sizeof origin, "builtin:%s", name);
        assert_string_equal(cfg.origin, origin);
        gs_status st = preset_validate(&cfg, &err);
        if (strcmp(name, "mnist") == 0) {
            assert_int_equal(st, GS_ERR_VALUE);
            assert_string_equal(err.msg, "preset mnist needs data.path (a folder with MNIST IDX "
                                         "files): --set data.path=DIR");
            assert_ok(preset_set(&cfg, "data.path=/tmp/mnist", &err), err);
            assert_ok(preset_validate(&cfg, &err), err);
        } else {
            if (st != GS_OK) fail_msg("%s: %s", name, err.msg);
        }
    }
}

/* The embedded text is the file in presets/. */
static void test_builtins_match_files(void **state) {
    (void)state;
    const char *root = getenv("GS_SOURCE_DIR");
    if (!root) skip();
    for (int i = 0; i < preset_builtin_count(); i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/presets/%s.ini", root, preset_builtin_name(i));
        gs_config a, b;
        gs_error err = {0};
        assert_ok(preset_load(preset_builtin_name(i), &a, &err), err);
        assert_ok(preset_load(path, &b, &err), err);
        assert_config_equal(&a, &b);
        assert_string_equal(b.origin, path);
    }
}

static void test_builtin_values(void **state) {
    (void)state;
    gs_config c;
    gs_error err = {0};
    assert_ok(preset_load("bench", &c, &err), err);
    assert_string_equal(c.data.source, "idx");
    assert_string_equal(c.data.path, "");
    assert_int_equal(c.z_dim, 100);
    assert_int_equal(c.gen.n_hidden, 3);
    assert_int_equal(c.gen.hidden[0], 256);
    assert_int_equal(c.gen.hidden[1], 512);
    assert_int_equal(c.gen.hidden[2], 1024);
    assert_int_equal(c.gen.act, ACT_LEAKY_RELU);
    assert_int_equal(c.gen.out_act, ACT_TANH);
    assert_int_equal(c.disc.n_hidden, 2);
    assert_int_equal(c.disc.hidden[0], 512);
    assert_int_equal(c.disc.hidden[1], 256);
    assert_int_equal(c.disc.out_act, ACT_IDENTITY);
    assert_true(c.gen.lr == 2e-4f && c.disc.lr == 2e-4f);
    assert_true(c.train.beta1 == 0.5f && c.train.beta2 == 0.999f);
    assert_int_equal(c.train.batch, 64);
    assert_int_equal(c.train.steps, 200);
    assert_int_equal(c.train.loss, LOSS_NS);
    assert_int_equal(c.train.opt, OPT_ADAM);

    assert_ok(preset_load("tiny", &c, &err), err);
    assert_string_equal(c.data.source, "ring8");
    assert_int_equal(c.gen.hidden[0], 16);
    assert_int_equal(c.train.batch, 32);
    assert_int_equal(c.train.steps, 200);
    assert_int_equal(c.train.log_every, 50);
}

static void test_defaults(void **state) {
    (void)state;
    gs_config c;
    gs_error err = {0};
    preset_defaults(&c);
    assert_string_equal(c.data.source, "ring8");
    assert_int_equal(c.z_dim, 2);
    assert_int_equal(c.gen.act, ACT_RELU);
    assert_int_equal(c.disc.act, ACT_LEAKY_RELU);
    assert_int_equal(c.train.steps, 5000);
    assert_int_equal(c.train.batch, 128);
    assert_true(c.train.eps == 1e-8f);
    assert_int_equal(c.n_sched, 0);
    assert_ok(preset_validate(&c, &err), err);
    /* An empty text changes nothing. */
    gs_config d = c;
    assert_ok(preset_parse_string("", "empty.ini", &d, &err), err);
    assert_config_equal(&c, &d);
    assert_string_equal(d.origin, "empty.ini");
}

static void test_unknown_names(void **state) {
    (void)state;
    expect_parse_error("[generator]\nnoise = 4\nhiden = 64\n",
                       "my.ini:3: unknown key 'hiden' in [generator] (accepted: noise, hidden, "
                       "activation, slope, output, lr)");
    expect_parse_error("# comment\n\n[genrator]\nnoise = 4\n",
                       "my.ini:3: unknown section [genrator] (accepted: preset, data, generator, "
                       "discriminator, train, schedule)");
    /* Even with no keys under it. */
    expect_parse_error("[train]\nbatch = 8\n[extras]\n",
                       "my.ini:3: unknown section [extras] (accepted: preset, data, generator, "
                       "discriminator, train, schedule)");
    expect_parse_error("batch = 8\n", "my.ini:1: key 'batch' comes before any [section] "
                                      "(accepted: preset, data, generator, discriminator, "
                                      "train, schedule)");
    expect_parse_error("[train]\nbatch\n",
                       "my.ini:2: cannot read 'batch' (expected [section], key = value or a "
                       "comment)");
    expect_parse_error("[train\nbatch = 3\n",
                       "my.ini:1: cannot read '[train' (expected [section], key = value or a "
                       "comment)");
}

static void test_bad_values(void **state) {
    (void)state;
    expect_parse_error("[preset]\nname = x\n\n[train]\n; the batch\nbatch = -5\n",
                       "my.ini:6: [train] batch = -5: expected an integer from 1 to 4096");
    expect_parse_error("[train]\nbatch = 12abc\n",
                       "my.ini:2: [train] batch = 12abc: expected an integer from 1 to 4096");
    expect_parse_error("[train]\nsteps = 99999999999999999999\n",
                       "my.ini:2: [train] steps = 99999999999999999999: expected an integer "
                       "from 1 to 1000000000");
    expect_parse_error("[generator]\nlr = nan\n",
                       "my.ini:2: [generator] lr = nan: expected a number > 0 and <= 1");
    expect_parse_error("[generator]\nlr = inf\n",
                       "my.ini:2: [generator] lr = inf: expected a number > 0 and <= 1");
    expect_parse_error("[generator]\nlr = 0\n",
                       "my.ini:2: [generator] lr = 0: expected a number > 0 and <= 1");
    expect_parse_error("[generator]\nlr = 1e-3x\n",
                       "my.ini:2: [generator] lr = 1e-3x: expected a number > 0 and <= 1");
    expect_parse_error("[train]\neps = 1e-50\n",
                       "my.ini:2: [train] eps = 1e-50: expected a number > 0 and <= 1");
    expect_parse_error("[train]\nbeta1 = 1\n",
                       "my.ini:2: [train] beta1 = 1: expected a number >= 0 and < 1");
    expect_parse_error("[discriminator]\nslope = 1.5\n",
                       "my.ini:2: [discriminator] slope = 1.5: expected a number from 0 to 1");
    expect_parse_error("[generator]\noutput = relu\n",
                       "my.ini:2: [generator] output = relu: expected tanh or identity");
    expect_parse_error("[discriminator]\noutput = sigmoid\n",
                       "my.ini:2: [discriminator] output = sigmoid: expected logit (identity "
                       "is accepted as a synonym)");
    expect_parse_error("[data]\nsource = mnist\n",
                       "my.ini:2: [data] source = mnist: expected a data source: ring8, grid25, "
                       "spiral, moons, circles, csv or idx");
    expect_parse_error("[train]\nseed = -1\n", "my.ini:2: [train] seed = -1: expected a "
                                               "non-negative decimal integer below 2^64 "
                                               "(18446744073709551616)");
    expect_parse_error("[preset]\nname =\n",
                       "my.ini:2: [preset] name = : expected a name (1 to 63 characters)");

    const char *hidden_msg = "expected a comma-separated list of 1 to 8 layer widths, each from "
                             "1 to 8192 (e.g. 128,128), or none";
    const char *bad_hidden[] = {"128,,128", "128,", "0", "8193", "a,b", "1,2,3,4,5,6,7,8,9", "-4"};
    for (size_t i = 0; i < sizeof bad_hidden / sizeof bad_hidden[0]; i++) {
        char text[128], msg[512];
        snprintf(text, sizeof text, "[generator]\nhidden = %s\n", bad_hidden[i]);
        snprintf(msg, sizeof msg, "my.ini:2: [generator] hidden = %s: %s", bad_hidden[i],
                 hidden_msg);
        expect_parse_error(text, msg);
    }

    /* Parser messages from the other tables come through. */
    gs_config c;
    gs_error err = {0};
    preset_defaults(&c);
    assert_int_equal(preset_parse_string("[train]\nloss = wasserstein\n", "my.ini", &c, &err),
                     GS_ERR_VALUE);
    assert_has(err.msg, "my.ini:2: [train] loss = wasserstein: ");
    assert_has(err.msg, "hinge");
    assert_int_equal(preset_parse_string("[train]\noptimizer = adamw\n", "my.ini", &c, &err),
                     GS_ERR_VALUE);
    assert_has(err.msg, "my.ini:2: [train] optimizer = adamw: ");
    assert_has(err.msg, "rmsprop");
    assert_int_equal(preset_parse_string("[generator]\nactivation = swish\n", "my.ini", &c, &err),
                     GS_ERR_VALUE);
    assert_has(err.msg, "my.ini:2: [generator] activation = swish: ");
    assert_has(err.msg, "leaky_relu");
}

/* The first error is the one reported; a failed parse leaves cfg as it was. */
static void test_first_error_and_no_partial_update(void **state) {
    (void)state;
    expect_parse_error("[train]\nbatch = 64\nsteps = 0\nbatch = -1\nfoo\n",
                       "my.ini:3: [train] steps = 0: expected an integer from 1 to 1000000000");
    expect_parse_error("[train]\nbatch = 64\nfoo\nsteps = 0\n",
                       "my.ini:3: cannot read 'foo' (expected [section], key = value or a "
                       "comment)");
    gs_config c, before;
    gs_error err = {0};
    preset_defaults(&c);
    before = c;
    assert_int_equal(preset_parse_string("[train]\nbatch = 64\nsteps = 0\n", "x.ini", &c, &err),
                     GS_ERR_VALUE);
    assert_config_equal(&c, &before);
    assert_string_equal(c.origin, before.origin);
}

static void test_layout_errors(void **state) {
    (void)state;
    expect_parse_error("[generator]\nnoise = 4\n  hidden = 64\n",
                       "my.ini:3: indented line (keys and [sections] start in the first column)");
    char text[512], msg[128];
    char longval[300];
    memset(longval, 'a', 250);
    longval[250] = '\0';
    snprintf(text, sizeof text, "[preset]\ndescription = %s\n[train]\nbatch = 0\n", longval);
    snprintf(msg, sizeof msg, "my.ini:2: line too long (%d characters; at most 197)",
             (int)strlen("description = ") + 250);
    expect_parse_error(text, msg);

    /* Comments, blank lines, CRLF, inline ';' comments and a BOM are fine. */
    gs_config c;
    gs_error err = {0};
    preset_defaults(&c);
    assert_ok(preset_parse_string("\xEF\xBB\xBF# top\r\n[train]\r\n  ; indented comment\r\n"
                                  "batch = 48 ; inline\r\n\r\n[generator]\r\nhidden = 32, 16\r\n",
                                  "crlf.ini", &c, &err),
              err);
    assert_int_equal(c.train.batch, 48);
    assert_int_equal(c.gen.n_hidden, 2);
    assert_int_equal(c.gen.hidden[0], 32);
    assert_int_equal(c.gen.hidden[1], 16);
}

static void test_set(void **state) {
    (void)state;
    gs_config c;
    gs_error err = {0};
    preset_defaults(&c);
    assert_ok(preset_set(&c, "generator.lr=5e-4", &err), err);
    assert_true(c.gen.lr == 5e-4f);
    assert_ok(preset_set(&c, " train.batch = 64 ", &err), err);
    assert_int_equal(c.train.batch, 64);
    assert_ok(preset_set(&c, "generator.activation=gelu", &err), err);
    assert_int_equal(c.gen.act, ACT_GELU);
    assert_ok(preset_set(&c, "discriminator.hidden=none", &err), err);
    assert_int_equal(c.disc.n_hidden, 0);
    assert_ok(preset_set(&c, "generator.hidden=", &err), err);
    assert_int_equal(c.gen.n_hidden, 0);
    assert_ok(preset_set(&c, "generator.hidden=1,2,3,4,5,6,7,8192", &err), err);
    assert_int_equal(c.gen.n_hidden, 8);
    assert_int_equal(c.gen.hidden[7], 8192);
    assert_ok(preset_set(&c, "train.seed=18446744073709551615", &err), err);
    assert_true(c.train.seed == UINT64_MAX);
    assert_ok(preset_set(&c, "train.loss=hinge", &err), err);
    assert_int_equal(c.train.loss, LOSS_HINGE);
    assert_ok(preset_set(&c, "train.optimizer=rmsprop", &err), err);
    assert_int_equal(c.train.opt, OPT_RMSPROP);
    assert_ok(preset_set(&c, "data.path=/tmp/a=b.csv", &err), err);
    assert_string_equal(c.data.path, "/tmp/a=b.csv");
    assert_ok(preset_set(&c, "preset.description=fast; small", &err), err);
    assert_string_equal(c.description, "fast; small");
    assert_ok(preset_set(&c, "discriminator.output=identity", &err), err);
    assert_int_equal(c.disc.out_act, ACT_IDENTITY);

    expect_set_error("generator.lr=nan", "--set generator.lr=nan: expected a number > 0 and <= 1");
    expect_set_error("train.batch=-5", "--set train.batch=-5: expected an integer from 1 to 4096");
    expect_set_error("train.batch=4097", "expected an integer from 1 to 4096");
    expect_set_error("generator.activation=swish", "--set generator.activation=swish: ");
    expect_set_error("generator.activation=swish", "unknown activation 'swish'");
    expect_set_error("generator.hiden=3", "--set generator.hiden=3: unknown key 'hiden' in "
                                          "[generator] (accepted: noise, hidden, activation, "
                                          "slope, output, lr)");
    expect_set_error("gen.lr=1", "--set gen.lr=1: unknown section [gen] (accepted: preset, "
                                 "data, generator, discriminator, train, schedule)");
    expect_set_error("train.batch", "--set train.batch: expected section.key=value");
    expect_set_error("batch=3", "--set batch=3: expected section.key=value");
    expect_set_error(".batch=3", "expected section.key=value");
    expect_set_error("train.=3", "expected section.key=value");
    expect_set_error("train.seed=1.5", "non-negative decimal integer");
    expect_set_error("preset.description=fast ; small", "' ;' is not accepted");
    expect_set_error("preset.name=", "expected a name (1 to 63 characters)");
    char big[300] = "data.path=/";
    memset(big + 11, 'p', 200);
    big[211] = '\0';
    expect_set_error(big, "too long (at most 190 characters)");
}

static void test_apply(void **state) {
    (void)state;
    gs_config c;
    gs_error err = {0};
    preset_defaults(&c);
    assert_ok(preset_apply(&c, "generator", "activation", "sigmoid", &err), err);
    assert_int_equal(c.gen.act, ACT_SIGMOID);
    assert_int_equal(preset_apply(&c, "train", "batch", "0", &err), GS_ERR_VALUE);
    assert_string_equal(err.msg, "[train] batch = 0: expected an integer from 1 to 4096");
    assert_int_equal(preset_apply(&c, "train", "bach", "8", &err), GS_ERR_VALUE);
    assert_string_equal(err.msg, "unknown key 'bach' in [train] (accepted: steps, batch, loss, "
                                 "d_steps, optimizer, beta1, beta2, momentum, eps, seed, "
                                 "log_every)");
    assert_int_equal(c.train.batch, 128);
}

static void test_schedule(void **state) {
    (void)state;
    gs_config c;
    gs_error err = {0};
    preset_defaults(&c);
    assert_ok(preset_parse_string("[schedule]\n"
                                  "500 = generator.activation=sigmoid\n"
                                  "100 = generator.lr=1e-4\n"
                                  "500 = discriminator.lr = 5e-4\n"
                                  "0 = train.loss=hinge\n"
                                  "100 = train.d_steps=2\n",
                                  "s.ini", &c, &err),
              err);
    assert_int_equal(c.n_sched, 5);
    const long steps[] = {0, 100, 100, 500, 500};
    const char *settings[] = {"train.loss=hinge", "generator.lr=1e-4", "train.d_steps=2",
                              "generator.activation=sigmoid", "discriminator.lr=5e-4"};
    for (int i = 0; i < 5; i++) {
        assert_int_equal(c.sched[i].step, steps[i]);
        assert_string_equal(c.sched[i].setting, settings[i]);
    }
    /* The schedule is checked, not applied. */
    assert_int_equal(c.gen.act, ACT_RELU);
    assert_int_equal(c.train.loss, LOSS_NS);
    assert_ok(preset_validate(&c, &err), err);

    /* --set adds entries too. */
    assert_ok(preset_set(&c, "schedule.200=generator.slope=0.1", &err), err);
    assert_int_equal(c.n_sched, 6);
    assert_int_equal(c.sched[3].step, 200);
    assert_string_equal(c.sched[3].setting, "generator.slope=0.1");

    expect_parse_error("[schedule]\n10 = generator.activation=swish\n",
                       "my.ini:2: [schedule] 10 = generator.activation=swish: unknown "
                       "activation 'swish' (accepted: identity, sigmoid, tanh, relu, "
                       "leaky_relu, prelu, elu, selu, gelu, silu, softplus, mish)");
    expect_parse_error("[schedule]\n10 = generator.hiden=3\n",
                       "my.ini:2: [schedule] 10 = generator.hiden=3: unknown key 'hiden' in "
                       "[generator] (accepted: noise, hidden, activation, slope, output, lr)");
    expect_parse_error("[schedule]\n-1 = generator.lr=0.1\n",
                       "my.ini:2: [schedule] -1 = generator.lr=0.1: expected STEP = "
                       "section.key=value, with STEP an integer from 0 to 1000000000");
    expect_parse_error("[schedule]\nlater = generator.lr=0.1\n",
                       "my.ini:2: [schedule] later = generator.lr=0.1: expected STEP = "
                       "section.key=value, with STEP an integer from 0 to 1000000000");
    expect_parse_error("[schedule]\n10 = generator.lr\n",
                       "my.ini:2: [schedule] 10 = generator.lr: expected STEP = "
                       "section.key=value");
    expect_parse_error("[schedule]\n10 = lr=0.1\n",
                       "my.ini:2: [schedule] 10 = lr=0.1: expected STEP = section.key=value");
    expect_parse_error("[schedule]\n10 = generator.lr=2\n",
                       "my.ini:2: [schedule] 10 = generator.lr=2: expected a number > 0 and <= 1");
    expect_parse_error("[schedule]\n10 = schedule.20=generator.lr=0.1\n",
                       "my.ini:2: [schedule] 10 = schedule.20=generator.lr=0.1: a schedule "
                       "entry cannot change the schedule");

    /* Only what the engine can change between two steps; activation and slope
     * also for one layer, numbered from 1. */
    expect_parse_error("[schedule]\n10 = train.batch=64\n",
                       "my.ini:2: [schedule] 10 = train.batch=64: train.batch cannot change "
                       "during a run (accepted: generator.activation, generator.slope, "
                       "generator.lr, discriminator.activation, discriminator.slope, "
                       "discriminator.lr, train.loss, train.d_steps)");
    expect_parse_error("[schedule]\n10 = generator.hidden=64\n",
                       "my.ini:2: [schedule] 10 = generator.hidden=64: generator.hidden cannot "
                       "change during a run (accepted: generator.activation, generator.slope, "
                       "generator.lr, discriminator.activation, discriminator.slope, "
                       "discriminator.lr, train.loss, train.d_steps)");
    expect_parse_error("[schedule]\n10 = generator.2.lr=0.1\n",
                       "my.ini:2: [schedule] 10 = generator.2.lr=0.1: only activation and slope "
                       "can be set for one layer (generator.2.lr)");
    expect_parse_error("[schedule]\n10 = generator.0.activation=tanh\n",
                       "my.ini:2: [schedule] 10 = generator.0.activation=tanh: expected a layer "
                       "number from 1 to 10 after 'generator.'");
    expect_parse_error("[schedule]\n10 = discriminator.2.slope=3\n",
                       "my.ini:2: [schedule] 10 = discriminator.2.slope=3: expected a number "
                       "from 0 to 1");
    preset_defaults(&c);
    assert_ok(preset_parse_string("[schedule]\n"
                                  "20 = discriminator.2.slope = 0.1\n"
                                  "10 = generator.3.activation=tanh\n",
                                  "layers.ini", &c, &err),
              err);
    assert_int_equal(c.n_sched, 2);
    assert_string_equal(c.sched[0].setting, "generator.3.activation=tanh");
    assert_string_equal(c.sched[1].setting, "discriminator.2.slope=0.1");
    assert_ok(preset_validate(&c, &err), err); /* 128,128 + output: 3 layers */
    assert_ok(preset_set(&c, "generator.hidden=64", &err), err);
    assert_int_equal(preset_validate(&c, &err), GS_ERR_VALUE);
    assert_string_equal(err.msg,
                        "[schedule] 10 = generator.3.activation=tanh: the generator has 2 layers");

    /* At most GS_MAX_SCHEDULE entries. */
    preset_defaults(&c);
    for (int i = 0; i < GS_MAX_SCHEDULE; i++) {
        char s[64];
        snprintf(s, sizeof s, "schedule.%d=train.d_steps=%d", GS_MAX_SCHEDULE - i, i + 1);
        assert_ok(preset_set(&c, s, &err), err);
    }
    assert_int_equal(c.sched[0].step, 1);
    assert_int_equal(c.sched[GS_MAX_SCHEDULE - 1].step, GS_MAX_SCHEDULE);
    assert_int_equal(preset_set(&c, "schedule.5=train.d_steps=3", &err), GS_ERR_VALUE);
    assert_has(err.msg, "too many schedule entries (at most 64)");
}

static void round_trip(const gs_config *c) {
    size_t need = preset_to_ini(c, NULL, 0);
    char *text = malloc(need + 1);
    assert_non_null(text);
    assert_int_equal(preset_to_ini(c, text, need + 1), need);
    assert_int_equal(strlen(text), need);
    gs_config back;
    gs_error err = {0};
    preset_defaults(&back);
    if (preset_parse_string(text, "round-trip.ini", &back, &err) != GS_OK)
        fail_msg("%s\n%s", err.msg, text);
    assert_config_equal(c, &back);
    /* A short buffer gets a truncated, terminated prefix and the same length. */
    char small[16];
    assert_int_equal(preset_to_ini(c, small, sizeof small), need);
    assert_int_equal(strlen(small), sizeof small - 1);
    assert_memory_equal(small, text, sizeof small - 1);
    free(text);
}

static void test_round_trip(void **state) {
    (void)state;
    gs_config c;
    gs_error err = {0};
    preset_defaults(&c);
    round_trip(&c);
    for (int i = 0; i < preset_builtin_count(); i++) {
        assert_ok(preset_load(preset_builtin_name(i), &c, &err), err);
        round_trip(&c);
    }
    preset_defaults(&c);
    const char *sets[] = {
        "preset.name=odd one",
        "preset.description=Floats that need nine digits; a;b (and = signs)",
        "data.source=csv",
        "data.path=/tmp/some dir/points.csv",
        "generator.noise=1024",
        "generator.hidden=none",
        "generator.activation=elu",
        "generator.slope=0.123456789",
        "generator.output=tanh",
        "generator.lr=3.3333333e-4",
        "discriminator.hidden=7,6,5,4,3,2,1,8192",
        "discriminator.activation=prelu",
        "discriminator.slope=0",
        "discriminator.lr=1",
        "train.steps=1000000000",
        "train.batch=4096",
        "train.loss=lsgan",
        "train.d_steps=100",
        "train.optimizer=sgd",
        "train.beta1=0.999999",
        "train.beta2=0",
        "train.momentum=0.99",
        "train.eps=1.17549435e-38",
        "train.seed=18446744073709551615",
        "train.log_every=7",
        "schedule.30=generator.activation=sigmoid",
        "schedule.30=discriminator.9.activation=gelu",
        "schedule.0=train.loss=ns",
        "schedule.30=discriminator.lr=0.5",
    };
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++)
        assert_ok(preset_set(&c, sets[i], &err), err);
    round_trip(&c);
    /* The stored slope is the float nearest to what was asked. */
    assert_true(c.gen.slope == 0.123456789f);

    /* The written text is readable: shortest floats, the D output as logit. */
    char text[4096];
    preset_defaults(&c);
    preset_to_ini(&c, text, sizeof text);
    assert_has(text, "[generator]\nnoise = 2\nhidden = 128,128\nactivation = relu\n"
                     "slope = 0.2\noutput = identity\nlr = 0.001\n");
    assert_has(text, "output = logit\n");
    assert_has(text, "eps = 1e-08\n");
    assert_has(text, "\n[schedule]\n");
}

static void test_validate(void **state) {
    (void)state;
    gs_config c;
    gs_error err = {0};
    preset_defaults(&c);
    assert_ok(preset_set(&c, "data.source=csv", &err), err);
    assert_int_equal(preset_validate(&c, &err), GS_ERR_VALUE);
    assert_string_equal(err.msg, "data.source csv needs data.path (a CSV file of x,y rows): "
                                 "--set data.path=FILE");
    assert_ok(preset_set(&c, "data.path=points.csv", &err), err);
    assert_ok(preset_validate(&c, &err), err);

    /* A huge network is refused before anything is allocated. */
    preset_defaults(&c);
    assert_ok(preset_set(&c, "generator.hidden=8192,8192,8192,8192,8192,8192,8192,8192", &err),
              err);
    assert_int_equal(preset_validate(&c, &err), GS_ERR_VALUE);
    assert_has(err.msg, "the generator has ");
    preset_defaults(&c);
    assert_ok(preset_set(&c, "discriminator.hidden=2048,2048,2048,2048,2048,2048,2048,2048", &err),
              err);
    assert_ok(preset_set(&c, "train.batch=4096", &err), err);
    assert_int_equal(preset_validate(&c, &err), GS_ERR_VALUE);
    assert_has(err.msg, "activations for a batch of 4096");

    /* Configs built in code get the same checks as parsed ones. */
    preset_defaults(&c);
    c.train.batch = 0;
    assert_int_equal(preset_validate(&c, &err), GS_ERR_VALUE);
    assert_string_equal(err.msg, "[train] batch = 0: expected an integer from 1 to 4096");
    preset_defaults(&c);
    c.gen.lr = NAN;
    assert_int_equal(preset_validate(&c, &err), GS_ERR_VALUE);
    assert_has(err.msg, "[generator] lr = nan: expected a number > 0 and <= 1");
    preset_defaults(&c);
    c.disc.n_hidden = 9;
    assert_int_equal(preset_validate(&c, &err), GS_ERR_VALUE);
    assert_has(err.msg, "[discriminator] hidden: expected 0 to 8 hidden layers");
    preset_defaults(&c);
    c.n_sched = 1;
    c.sched[0].step = 3;
    strcpy(c.sched[0].setting, "generator.activation=swish");
    assert_int_equal(preset_validate(&c, &err), GS_ERR_VALUE);
    assert_has(err.msg, "[schedule] 3 = generator.activation=swish: unknown activation");
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_load_files(void **state) {
    (void)state;
    char dir[] = "/tmp/test_preset_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256], path2[256], missing[256];
    snprintf(path, sizeof path, "%s/my-run.ini", dir);
    snprintf(path2, sizeof path2, "%s/named.ini", dir);
    snprintf(missing, sizeof missing, "%s/nope.ini", dir);

    gs_config c;
    gs_error err = {0};
    /* Without [preset] name the basename names it; unspecified keys are defaults. */
    write_file(path, "[train]\nbatch = 16\n");
    assert_ok(preset_load(path, &c, &err), err);
    assert_string_equal(c.name, "my-run");
    assert_string_equal(c.origin, path);
    assert_int_equal(c.train.batch, 16);
    assert_int_equal(c.train.steps, 5000);

    write_file(path2, "[preset]\nname = custom\n\n[train]\nsteps = 10\n");
    assert_ok(preset_load(path2, &c, &err), err);
    assert_string_equal(c.name, "custom");
    assert_int_equal(c.train.steps, 10);
    assert_int_equal(c.train.batch, 128); /* from defaults, not from the previous load */

    /* Errors name the path given. */
    write_file(path2, "[train]\nsteps = 10\nbatch = x\n");
    assert_int_equal(preset_load(path2, &c, &err), GS_ERR_VALUE);
    char msg[600];
    snprintf(msg, sizeof msg, "%s:3: [train] batch = x: expected an integer from 1 to 4096", path2);
    assert_string_equal(err.msg, msg);

    assert_int_equal(preset_load(missing, &c, &err), GS_ERR_IO);
    snprintf(msg, sizeof msg, "%s: no such preset file", missing);
    assert_string_equal(err.msg, msg);
    assert_int_equal(preset_load("nope.ini", &c, &err), GS_ERR_IO);
    assert_string_equal(err.msg, "nope.ini: no such preset file");
    assert_int_equal(preset_load(dir, &c, &err), GS_ERR_IO);
    assert_has(err.msg, "is a directory");

    assert_int_equal(preset_load("ring9", &c, &err), GS_ERR_VALUE);
    assert_string_equal(err.msg, "unknown preset 'ring9' (builtin: bench, fashion-best, fashion, "
                                 "grid25-best, grid25, mnist, ring8, spiral, tiny; or give a path "
                                 "to an .ini file)");

    /* A builtin's errors point at its file in the source tree. */
    assert_int_equal(preset_parse_string("[train]\nbatch = 0\n", "presets/ring8.ini", &c, &err),
                     GS_ERR_VALUE);
    assert_string_equal(err.msg,
                        "presets/ring8.ini:2: [train] batch = 0: expected an integer from 1 to "
                        "4096");

    unlink(path);
    unlink(path2);
    rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin_table),
        cmocka_unit_test(test_builtins_load_and_validate),
        cmocka_unit_test(test_builtins_match_files),
        cmocka_unit_test(test_builtin_values),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_unknown_names),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_first_error_and_no_partial_update),
        cmocka_unit_test(test_layout_errors),
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_apply),
        cmocka_unit_test(test_schedule),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_validate),
        cmocka_unit_test(test_load_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
