/* setting.c - "section.key=value" settings (schedules, --at, the engine's
 * CMD_SETTING) turned into engine commands. Only what can change between two
 * steps is accepted; everything else is refused with the list of what is. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

static const char accepted[] = "generator|discriminator[.LAYER].activation|slope, "
                               "generator|discriminator.lr, train.loss, train.d_steps";

static int parse_double(const char *s, double *out) {
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !isfinite(v)) return 0;
    *out = v;
    return 1;
}

gs_status engine_parse_setting(const char *setting, engine_cmd *out, gs_error *err) {
    char buf[256];
    if (strlen(setting) >= sizeof buf)
        return gs_fail(err, GS_ERR_VALUE, "setting too long: %.40s...", setting);
    strcpy(buf, setting);
    char *eq = strchr(buf, '=');
    if (!eq || eq == buf || !eq[1])
        return gs_fail(err, GS_ERR_VALUE, "'%s': expected section.key=value", setting);
    *eq = '\0';
    const char *value = eq + 1;
    char *dot = strchr(buf, '.');
    if (!dot) return gs_fail(err, GS_ERR_VALUE, "'%s': expected section.key=value", setting);
    *dot = '\0';
    const char *section = buf;
    char *key = dot + 1;
    int layer = -1;
    char *dot2 = strchr(key, '.');
    if (dot2) {
        *dot2 = '\0';
        char *end;
        long l = strtol(key, &end, 10);
        if (end == key || *end || l < 1 || l > MLP_MAX_LAYERS)
            return gs_fail(err, GS_ERR_VALUE, "'%s': layer '%s' is not a number from 1 to %d",
                           setting, key, MLP_MAX_LAYERS);
        layer = (int)l - 1;
        key = dot2 + 1;
    }
    memset(out, 0, sizeof *out);
    out->layer = layer;
    double v;
    int net = strcmp(section, "generator") == 0 ? NET_G
              : strcmp(section, "discriminator") == 0 ? NET_D
                                                      : -1;
    if (net >= 0) {
        out->net = net;
        if (strcmp(key, "activation") == 0) {
            act_kind k;
            if (act_parse(value, &k, err)) return GS_ERR_VALUE;
            out->kind = CMD_SET_ACT;
            out->act = k;
            return GS_OK;
        }
        if (strcmp(key, "slope") == 0) {
            if (!parse_double(value, &v) || v < 0 || v > 1)
                return gs_fail(err, GS_ERR_VALUE, "'%s': slope must be a number in [0, 1]",
                               setting);
            out->kind = CMD_SET_SLOPE;
            out->value = v;
            return GS_OK;
        }
        if (strcmp(key, "lr") == 0 && layer < 0) {
            if (!parse_double(value, &v) || v <= 0 || v > 1)
                return gs_fail(err, GS_ERR_VALUE, "'%s': lr must be a number in (0, 1]",
                               setting);
            out->kind = CMD_SET_LR;
            out->value = v;
            return GS_OK;
        }
    } else if (strcmp(section, "train") == 0 && layer < 0) {
        if (strcmp(key, "loss") == 0) {
            loss_kind k;
            if (loss_parse(value, &k, err)) return GS_ERR_VALUE;
            out->kind = CMD_SET_LOSS;
            out->act = k;
            return GS_OK;
        }
        if (strcmp(key, "d_steps") == 0) {
            if (!parse_double(value, &v) || v != floor(v) || v < 1 || v > 100)
                return gs_fail(err, GS_ERR_VALUE,
                               "'%s': d_steps must be an integer from 1 to 100", setting);
            out->kind = CMD_SET_DSTEPS;
            out->value = v;
            return GS_OK;
        }
    }
    return gs_fail(err, GS_ERR_VALUE, "'%s' cannot be changed during a run (accepted: %s)",
                   setting, accepted);
}
