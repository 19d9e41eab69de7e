/* setting.c - "section[.LAYER].key=value" settings (schedules, --at, the
 * engine's CMD_SETTING) turned into engine commands. Which keys may change
 * between two steps, and which values are valid, is the preset table's to say
 * (preset_check_setting); this file only maps a checked setting to a command. */
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "preset.h"

gs_status engine_parse_setting(const char *setting, engine_cmd *out, gs_error *err) {
    gs_config *defaults = malloc(sizeof *defaults);
    if (!defaults) return gs_fail(err, GS_ERR_NOMEM, "out of memory");
    preset_defaults(defaults);
    preset_setting ps;
    gs_status st = preset_check_setting(defaults, setting, &ps, err);
    free(defaults);
    if (st != GS_OK) return st;
    memset(out, 0, sizeof *out);
    out->layer = ps.layer;
    out->net = strcmp(ps.section, "discriminator") == 0 ? NET_D : NET_G;
    const char *k = ps.key, *v = ps.value;
    if (strcmp(k, "activation") == 0) {
        act_kind a;
        act_parse(v, &a, NULL);
        out->kind = CMD_SET_ACT;
        out->act = a;
    } else if (strcmp(k, "slope") == 0) {
        out->kind = CMD_SET_SLOPE;
        out->value = strtod(v, NULL);
    } else if (strcmp(k, "lr") == 0) {
        out->kind = CMD_SET_LR;
        out->value = strtod(v, NULL);
    } else if (strcmp(k, "loss") == 0) {
        loss_kind l;
        loss_parse(v, &l, NULL);
        out->kind = CMD_SET_LOSS;
        out->act = l;
    } else if (strcmp(k, "d_steps") == 0) {
        out->kind = CMD_SET_DSTEPS;
        out->value = strtod(v, NULL);
    } else {
        /* the preset table marks a key live that has no command here */
        return gs_fail(err, GS_ERR_STATE, "'%s': no engine command for %s.%s", setting, ps.section,
                       k);
    }
    return GS_OK;
}
