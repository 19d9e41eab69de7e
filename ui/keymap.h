/* keymap.h - the one table of keys, shared by the SDL visualizer, the ncurses
 * mode, their help overlays and `ganscope keys`. A key either becomes an engine
 * command (using the front-end's current selection: network and layer) or a
 * front-end action (selection, views, help, screenshot, quit). */
#ifndef GS_KEYMAP_H
#define GS_KEYMAP_H

#include "engine.h"

/* Front-end-neutral key codes: printable ASCII as itself, the rest below. */
enum {
    GSK_TAB = 9,
    GSK_ESC = 27,
    GSK_UP = 0x100,
    GSK_DOWN,
    GSK_LEFT,
    GSK_RIGHT,
    GSK_F1,
    GSK_F12,
};

typedef enum key_action {
    KA_COMMAND,    /* an engine command built from the entry and the selection */
    KA_SWITCH_NET, /* Tab: G <-> D */
    KA_LAYER_UP,   /* select the previous hidden layer (or "all") */
    KA_LAYER_DOWN,
    KA_HELP,
    KA_HELP_CLOSE, /* Esc: close the help if it is open */
    KA_QUIT,
    KA_SCREENSHOT,
    KA_TOGGLE_SMOOTH,   /* loss curves smoothed */
    KA_TOGGLE_LOGY,     /* loss curves on a log scale */
    KA_TOGGLE_PREPOST,  /* histograms of pre- or post-activation values */
    KA_TOGGLE_HEATMAP,  /* 2-D: D's heatmap */
    KA_TOGGLE_MANIFOLD, /* 2-D: G's manifold */
    KA_TOGGLE_POINTS,   /* 2-D: real and generated points */
} key_action;

typedef struct keymap_entry {
    int key;
    const char *key_name; /* as printed in help: "space", "Tab", "[" */
    key_action action;
    cmd_kind cmd; /* for KA_COMMAND */
    int act;      /* activation for CMD_SET_ACT */
    double value; /* slope delta, lr factor, cycle direction */
    const char *help;
} keymap_entry;

extern const keymap_entry keymap[];
extern const int keymap_count;

/* The entry for a key, or NULL. */
const keymap_entry *keymap_find(int key);

/* What a front-end has selected: a network and one hidden layer or all (-1). */
typedef struct ui_selection {
    int net;
    int layer;
} ui_selection;

/* Builds the engine command of a KA_COMMAND entry for the selection. */
void keymap_command(const keymap_entry *k, const ui_selection *sel, engine_cmd *out);

/* Applies KA_SWITCH_NET / KA_LAYER_UP / KA_LAYER_DOWN to a selection, given the
 * number of hidden layers of each network. Returns 1 when it changed. */
int keymap_select(key_action a, ui_selection *sel, int n_hidden_g, int n_hidden_d);

/* "G all" / "D layer 2" */
void keymap_selection_label(const ui_selection *sel, char *buf, int n);

#endif
