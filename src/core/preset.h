/* preset.h - INI presets (parsed with inih) into a gs_config.
 * Presets shipped in presets/ are embedded in the binary at build time, so a
 * name works from anywhere; a path to an .ini file works too. Sections:
 * [preset] [data] [generator] [discriminator] [train] [schedule]. Any unknown
 * section or key, or a bad value, is an error naming file, line, key and what is
 * accepted. */
#ifndef GS_PRESET_H
#define GS_PRESET_H

#include <stddef.h>

#include "config.h"
#include "status.h"

/* The values used for keys a preset leaves out. */
void preset_defaults(gs_config *cfg);

/* A builtin preset name (see preset_builtin_*) or a path to an INI file. */
gs_status preset_load(const char *name_or_path, gs_config *cfg, gs_error *err);

/* Parses INI text over the current contents of cfg; origin names it in messages. */
gs_status preset_parse_string(const char *text, const char *origin, gs_config *cfg, gs_error *err);

/* Applies one override "section.key=value" (as given to --set). */
gs_status preset_set(gs_config *cfg, const char *assignment, gs_error *err);

/* Applies one key of one section; the single place where keys are understood. */
gs_status preset_apply(gs_config *cfg, const char *section, const char *key, const char *value,
                       gs_error *err);

/* A setting that may change between two training steps (schedules, --at, the
 * engine): "section[.LAYER].key=value". Checks that the key is one of those and
 * that the value is valid for cfg; splits it. layer is -1 when none is given. */
typedef struct preset_setting {
    char section[32];
    char key[32];
    int layer;
    char value[512];
} preset_setting;
gs_status preset_check_setting(const gs_config *cfg, const char *setting, preset_setting *out,
                               gs_error *err);

/* Cross-field checks after parsing and overrides (e.g. mnist needs data.path). */
gs_status preset_validate(const gs_config *cfg, gs_error *err);

/* Writes cfg back as INI text that preset_parse_string reads to the same config.
 * Returns the length written (or needed, like snprintf). */
size_t preset_to_ini(const gs_config *cfg, char *buf, size_t n);

/* Builtin presets, generated from the .ini files in presets/ at build time. */
int preset_builtin_count(void);
const char *preset_builtin_name(int i);
const char *preset_builtin_text(int i);

#endif
