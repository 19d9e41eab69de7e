/* main.c - the `ganscope` command: subcommand dispatch, `presets`, `keys`, and
 * with no subcommand the live lab (the SDL window, or the ncurses mode where
 * there is no display). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "frontend.h"
#include "keymap.h"
#include "preset.h"

#define DEFAULT_PRESET "ring8"

typedef struct subcommand {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} subcommand;

static const subcommand subcommands[] = {
    {"train", cmd_train, "train headless, JSON Lines on stdout"},
    {"sample", cmd_sample, "draw generator samples from a checkpoint"},
    {"bench", cmd_bench, "time the reference model, print steps/s"},
    {"eval", cmd_eval, "score a checkpoint: image metrics (FCD...) or modes"},
    {"sweep", cmd_sweep, "run a grid of configurations x seeds, write a report"},
    {"presets", cmd_presets, "list the builtin presets"},
    {"keys", cmd_keys, "print the key table of the live lab"},
};
#define N_SUB ((int)(sizeof subcommands / sizeof subcommands[0]))

static void usage(FILE *fp) {
    fputs("usage: ganscope [--preset NAME|FILE] [--gui|--tui] [--set K=V]... [--log FILE]\n"
          "       ganscope COMMAND [--help]\n"
          "With no command, opens the live lab: a window, or the terminal mode where\n"
          "there is no display.\n\ncommands:\n",
          fp);
    for (int i = 0; i < N_SUB; i++)
        fprintf(fp, "  %-9s %s\n", subcommands[i].name, subcommands[i].summary);
    fputs("\nlive lab options:\n"
          "  --preset NAME|FILE  what to train (default " DEFAULT_PRESET ")\n"
          "  --gui / --tui       force the window / the terminal mode\n"
          "  --set SECTION.KEY=V override a preset key (repeatable)\n"
          "  --at STEP:SECTION.KEY=V  scripted change at a step (repeatable)\n"
          "  --log FILE          record metrics and every event (.csv gives CSV)\n"
          "  --paused            start paused\n"
          "  --seconds S         quit by itself after S seconds\n"
          "  --version           print the version\n",
          fp);
}

int cmd_presets(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        puts("usage: ganscope presets\nList the builtin presets with a one-line description.");
        return 0;
    }
    if (argc > 1) return cli_bad("presets: unexpected argument '%s'", argv[1]);
    int width = 0;
    for (int i = 0; i < preset_builtin_count(); i++) {
        int len = (int)strlen(preset_builtin_name(i));
        if (len > width) width = len;
    }
    for (int i = 0; i < preset_builtin_count(); i++) {
        gs_config cfg;
        gs_error err;
        preset_defaults(&cfg);
        const char *name = preset_builtin_name(i);
        if (preset_load(name, &cfg, &err))
            printf("%-*s  (broken: %s)\n", width, name, err.msg);
        else
            printf("%-*s  %s\n", width, name, cfg.description);
    }
    return 0;
}

int cmd_keys(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        puts("usage: ganscope keys\nPrint the keys of the live lab (window and terminal).");
        return 0;
    }
    if (argc > 1) return cli_bad("keys: unexpected argument '%s'", argv[1]);
    puts("Keys of the live lab (the selection is a network, G or D, and one hidden layer or all):");
    for (int i = 0; i < keymap_count; i++)
        printf("  %-6s %s\n", keymap[i].key_name, keymap[i].help);
    return 0;
}

int cmd_live(int argc, char **argv, int force) {
    static const struct option opts[] = {{"preset", required_argument, 0, 'p'},
                                         {"set", required_argument, 0, 's'},
                                         {"at", required_argument, 0, 'a'},
                                         {"log", required_argument, 0, 'l'},
                                         {"gui", no_argument, 0, 'g'},
                                         {"tui", no_argument, 0, 't'},
                                         {"paused", no_argument, 0, 'P'},
                                         {"seconds", required_argument, 0, 'S'},
                                         {"help", no_argument, 0, 'h'},
                                         {"version", no_argument, 0, 'V'},
                                         {0, 0, 0, 0}};
    run_opts r = {0};
    frontend_opts fo;
    memset(&fo, 0, sizeof fo);
    int c, rc, want_gui = force == 'g', want_tui = force == 't';
    long seconds = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            r.preset = optarg;
            break;
        case 's':
            if ((rc = cli_add_set(&r, optarg))) return rc;
            break;
        case 'a':
            if ((rc = cli_add_at(&r, optarg))) return rc;
            break;
        case 'l':
            r.log_path = optarg;
            break;
        case 'g':
            want_gui = 1;
            break;
        case 't':
            want_tui = 1;
            break;
        case 'P':
            fo.start_paused = 1;
            break;
        case 'S':
            if ((rc = cli_long("--seconds", optarg, 1, 100000000L, &seconds))) return rc;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf("ganscope %s\n", GS_VERSION);
            return 0;
        default:
            usage(stderr);
            return EXIT_BAD_INPUT;
        }
    }
    if (optind < argc) return cli_bad("unknown command '%s' (see ganscope --help)", argv[optind]);
    if (want_gui && want_tui) return cli_bad("--gui and --tui exclude each other");
    if ((rc = cli_build_config(&r, DEFAULT_PRESET, &fo.cfg))) return rc;
    cli_set_threads(0, &fo.cfg);
    fo.seconds = (double)seconds;
    runlog lg;
    int have_log;
    if ((rc = cli_open_log(&r, &lg, &have_log))) return rc;
    fo.log = have_log ? &lg : NULL;
    int status;
#if defined(GS_HAVE_GUI)
    if (!want_tui && gui_display_available()) {
        status = gui_run(&fo);
        goto done;
    }
    if (want_gui) {
        status = cli_bad("--gui: no display to open a window on (DISPLAY is not set); "
                         "try --tui");
        goto done;
    }
#else
    if (want_gui) {
        status = cli_bad("--gui: this build has no window support (SDL2 was not found)");
        goto done;
    }
#endif
#if defined(GS_HAVE_TUI)
    if (!want_tui) fputs("ganscope: no display; starting the terminal mode\n", stderr);
    status = tui_run(&fo);
#else
    status = cli_bad("no front-end in this build; use ganscope train");
#endif
done:
    if (have_log) runlog_close(&lg);
    return status;
}

int main(int argc, char **argv) {
    if (argc > 1 && argv[1][0] != '-') {
        for (int i = 0; i < N_SUB; i++)
            if (strcmp(argv[1], subcommands[i].name) == 0)
                return subcommands[i].run(argc - 1, argv + 1);
        return cli_bad(
            "unknown command '%s' (commands: train, sample, bench, eval, sweep, presets, keys)",
            argv[1]);
    }
    return cmd_live(argc, argv, 0);
}
