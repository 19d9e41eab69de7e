/* keymap.c - the shared key table and the selection logic of the front-ends. */
#include "keymap.h"

#include <stdio.h>
#include <string.h>

#define ACT_KEY(k, a, h)                                                                           \
    { k, #k, KA_COMMAND, CMD_SET_ACT, a, 0, h }

const keymap_entry keymap[] = {
    {' ', "space", KA_COMMAND, CMD_TOGGLE_PAUSE, 0, 0, "pause / resume training"},
    {'n', "n", KA_COMMAND, CMD_STEP, 0, 0, "one training step (while paused)"},
    {'r', "r", KA_COMMAND, CMD_RESET, 0, 0, "reset: re-initialise with the same seed"},
    {GSK_TAB, "Tab", KA_SWITCH_NET, 0, 0, 0, "select generator / discriminator"},
    {GSK_UP, "Up", KA_LAYER_UP, 0, 0, 0, "select previous hidden layer (or all)"},
    {GSK_DOWN, "Down", KA_LAYER_DOWN, 0, 0, 0, "select next hidden layer (or all)"},
    {'1', "1", KA_COMMAND, CMD_SET_ACT, ACT_RELU, 0, "activation of the selection: relu"},
    {'2', "2", KA_COMMAND, CMD_SET_ACT, ACT_LEAKY_RELU, 0, "activation: leaky_relu"},
    {'3', "3", KA_COMMAND, CMD_SET_ACT, ACT_PRELU, 0, "activation: prelu"},
    {'4', "4", KA_COMMAND, CMD_SET_ACT, ACT_ELU, 0, "activation: elu"},
    {'5', "5", KA_COMMAND, CMD_SET_ACT, ACT_SELU, 0, "activation: selu"},
    {'6', "6", KA_COMMAND, CMD_SET_ACT, ACT_GELU, 0, "activation: gelu"},
    {'7', "7", KA_COMMAND, CMD_SET_ACT, ACT_SILU, 0, "activation: silu"},
    {'8', "8", KA_COMMAND, CMD_SET_ACT, ACT_TANH, 0, "activation: tanh"},
    {'9', "9", KA_COMMAND, CMD_SET_ACT, ACT_SIGMOID, 0, "activation: sigmoid"},
    {'0', "0", KA_COMMAND, CMD_SET_ACT, ACT_IDENTITY, 0, "activation: identity"},
    {'a', "a", KA_COMMAND, CMD_CYCLE_ACT, 0, 1, "next activation in the full list"},
    {'A', "A", KA_COMMAND, CMD_CYCLE_ACT, 0, -1, "previous activation in the full list"},
    {'[', "[", KA_COMMAND, CMD_ADD_SLOPE, 0, -0.05, "slope / alpha - 0.05"},
    {']', "]", KA_COMMAND, CMD_ADD_SLOPE, 0, 0.05, "slope / alpha + 0.05"},
    {'{', "{", KA_COMMAND, CMD_ADD_SLOPE, 0, -0.01, "slope / alpha - 0.01"},
    {'}', "}", KA_COMMAND, CMD_ADD_SLOPE, 0, 0.01, "slope / alpha + 0.01"},
    {'-', "-", KA_COMMAND, CMD_SCALE_LR, 0, 0.5, "halve the selected network's learning rate"},
    {'=', "=", KA_COMMAND, CMD_SCALE_LR, 0, 2.0, "double the selected network's learning rate"},
    {'l', "l", KA_COMMAND, CMD_CYCLE_LOSS, 0, 0, "cycle the loss: ns, minimax, lsgan, hinge"},
    {'k', "k", KA_COMMAND, CMD_CYCLE_DSTEPS, 0, 0, "cycle D steps per G step: 1, 2, 3, 5"},
    {'s', "s", KA_COMMAND, CMD_SAVE, 0, 0, "save a checkpoint (.safetensors) here"},
    {'c', "c", KA_TOGGLE_SMOOTH, 0, 0, 0, "smooth the loss curves on / off"},
    {'o', "o", KA_TOGGLE_LOGY, 0, 0, 0, "loss curves: linear / log scale"},
    {'v', "v", KA_TOGGLE_PREPOST, 0, 0, 0, "histograms: post- / pre-activation"},
    {'b', "b", KA_TOGGLE_HEATMAP, 0, 0, 0, "2-D: D's heatmap on / off"},
    {'m', "m", KA_TOGGLE_MANIFOLD, 0, 0, 0, "2-D: G's manifold on / off"},
    {'x', "x", KA_TOGGLE_POINTS, 0, 0, 0, "2-D: points on / off"},
    {'p', "p", KA_SCREENSHOT, 0, 0, 0, "save a PNG screenshot (window only; also F12)"},
    {GSK_F12, "F12", KA_SCREENSHOT, 0, 0, 0, "save a PNG screenshot (window only)"},
    {'h', "h", KA_HELP, 0, 0, 0, "show / hide this help"},
    {'?', "?", KA_HELP, 0, 0, 0, "show / hide this help"},
    {GSK_F1, "F1", KA_HELP, 0, 0, 0, "show / hide this help"},
    {GSK_ESC, "Esc", KA_HELP_CLOSE, 0, 0, 0, "close this help"},
    {'q', "q", KA_QUIT, 0, 0, 0, "quit"},
};
const int keymap_count = (int)(sizeof keymap / sizeof keymap[0]);

const keymap_entry *keymap_find(int key) {
    for (int i = 0; i < keymap_count; i++)
        if (keymap[i].key == key) return &keymap[i];
    return NULL;
}

void keymap_command(const keymap_entry *k, const ui_selection *sel, engine_cmd *out) {
    memset(out, 0, sizeof *out);
    out->kind = k->cmd;
    out->net = sel->net;
    out->layer = sel->layer;
    out->act = k->act;
    out->value = k->value;
}

int keymap_select(key_action a, ui_selection *sel, int n_hidden_g, int n_hidden_d) {
    ui_selection old = *sel;
    if (a == KA_SWITCH_NET) {
        sel->net = sel->net == NET_G ? NET_D : NET_G;
        int nh = sel->net == NET_G ? n_hidden_g : n_hidden_d;
        if (sel->layer >= nh) sel->layer = -1;
    } else if (a == KA_LAYER_UP || a == KA_LAYER_DOWN) {
        int nh = sel->net == NET_G ? n_hidden_g : n_hidden_d;
        /* positions: -1 (all), 0 .. nh-1, wrapping */
        int pos = sel->layer + 1, npos = nh + 1;
        pos = (pos + (a == KA_LAYER_DOWN ? 1 : -1) + npos) % npos;
        sel->layer = pos - 1;
    }
    return sel->net != old.net || sel->layer != old.layer;
}

void keymap_selection_label(const ui_selection *sel, char *buf, int n) {
    if (sel->layer < 0)
        snprintf(buf, n, "%s all", sel->net == NET_G ? "G" : "D");
    else
        snprintf(buf, n, "%s layer %d", sel->net == NET_G ? "G" : "D", sel->layer + 1);
}
