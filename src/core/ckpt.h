/* ckpt.h - checkpoints in the safetensors format: an 8-byte little-endian header
 * length, a JSON header naming each tensor's dtype, shape and byte range, then the
 * raw little-endian F32 data. Tensors are "generator.L.weight" (out, in),
 * "generator.L.bias" (out), "generator.L.alpha" (1), likewise "discriminator.*".
 * __metadata__ holds the preset as INI text ("preset"), the step, and every
 * layer's activation and slope ("generator.activations" = "relu:0.2,tanh:0"...).
 * Written atomically; loading checks every name and shape. */
#ifndef GS_CKPT_H
#define GS_CKPT_H

#include "config.h"
#include "gan.h"
#include "status.h"

gs_status ckpt_save(const char *path, const gan *gn, gs_error *err);

/* Reads only the preset stored in a checkpoint, to build a matching gan. */
gs_status ckpt_read_config(const char *path, gs_config *cfg, gs_error *err);

/* Loads weights, activations, slopes and the step into an existing gan whose
 * shapes must match the checkpoint's exactly. Optimizer moments are cleared. On
 * error the gan is unchanged. */
gs_status ckpt_load(const char *path, gan *gn, gs_error *err);

#endif
