#!/usr/bin/python3
"""check_safetensors.py - reads a ganscope checkpoint exactly as the safetensors
spec says, with nothing but the standard library and numpy, to prove that the
files are usable outside ganscope (the end-to-end tests run it).

Usage: check_safetensors.py CKPT [EXPECTED.csv [Z.csv]]

Checks: 8-byte little-endian header length, JSON header, every tensor F32 with
data_offsets matching its shape, offsets tiling the data exactly (no hole, no
overlap, no trailing bytes), ganscope metadata (format, one activation per
layer). Prints each tensor's name and shape.

With EXPECTED.csv, runs the generator forward (torch ops when `import torch`
works, numpy otherwise) and compares with the expected outputs:
  - EXPECTED.csv alone: each row is z (z_dim values) then G(z) (x_dim values);
  - EXPECTED.csv and Z.csv: Z rows are z, EXPECTED rows are G(z).
A first line that is not numeric is taken as a column header and skipped.

Exit status: 0 on success, 1 on any mismatch or malformed file, 2 on usage.
"""
import json
import math
import struct
import sys

import numpy as np

RTOL, ATOL = 1e-4, 1e-5  # BLAS and torch sum in different orders
SELU_LAMBDA, SELU_ALPHA = 1.0507009873554805, 1.6732632423543772


class Bad(Exception):
    pass


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 8:
        raise Bad("file shorter than the 8-byte header length")
    (n,) = struct.unpack("<Q", raw[:8])
    if n > len(raw) - 8:
        raise Bad(f"header length {n} but only {len(raw) - 8} bytes follow")
    header = json.loads(raw[8 : 8 + n].decode("utf-8"))
    data = raw[8 + n :]
    meta = header.pop("__metadata__", {})
    spans = []
    tensors = {}
    for name, info in header.items():
        if set(info) != {"dtype", "shape", "data_offsets"}:
            raise Bad(f"{name}: keys {sorted(info)}")
        if info["dtype"] != "F32":
            raise Bad(f"{name}: dtype {info['dtype']}, expected F32")
        shape = info["shape"]
        begin, end = info["data_offsets"]
        if end - begin != 4 * math.prod(shape):
            raise Bad(f"{name}: {end - begin} bytes for shape {shape}")
        spans.append((begin, end, name))
        tensors[name] = (
            np.frombuffer(data, dtype="<f4", count=math.prod(shape), offset=begin)
            .reshape(shape)
            .astype(np.float32)
        )
    at = 0
    for begin, end, name in sorted(spans):
        if begin != at:
            raise Bad(f"{name}: begins at {begin}, expected {at} (hole or overlap)")
        at = end
    if at != len(data):
        raise Bad(f"tensors cover {at} bytes of data, the file holds {len(data)}")
    return meta, tensors


def network(meta, tensors, net):
    """[(weight, bias, alpha, activation)] for every layer of net, checked."""
    acts = meta.get(f"{net}.activations")
    if acts is None:
        raise Bad(f"no __metadata__ {net}.activations")
    acts = [a.split(":")[0] for a in acts.split(",")]
    layers = []
    for i, act in enumerate(acts):
        w, b, a = (tensors.get(f"{net}.{i}.{k}") for k in ("weight", "bias", "alpha"))
        if w is None or b is None or a is None:
            raise Bad(f"{net}.{i}: missing tensors")
        if w.ndim != 2 or b.shape != (w.shape[0],) or a.shape != (1,):
            raise Bad(f"{net}.{i}: shapes {w.shape} {b.shape} {a.shape}")
        if layers and layers[-1][0].shape[0] != w.shape[1]:
            raise Bad(f"{net}.{i}: input width {w.shape[1]} after {layers[-1][0].shape[0]}")
        layers.append((w, b, float(a[0]), act))
    if f"{net}.{len(acts)}.weight" in tensors:
        raise Bad(f"{net}: more layers than activations")
    return layers


def forward_torch(layers, z):
    import torch
    import torch.nn.functional as F

    fns = {
        "identity": lambda x, p: x,
        "relu": lambda x, p: F.relu(x),
        "leaky_relu": lambda x, p: F.leaky_relu(x, p),
        "prelu": lambda x, p: F.prelu(x, torch.tensor([p])),
        "tanh": lambda x, p: torch.tanh(x),
        "sigmoid": lambda x, p: torch.sigmoid(x),
        "elu": lambda x, p: F.elu(x, p),
        "selu": lambda x, p: F.selu(x),
        "gelu": lambda x, p: F.gelu(x),
        "silu": lambda x, p: F.silu(x),
        "softplus": lambda x, p: F.softplus(x),
        "mish": lambda x, p: F.mish(x),
    }
    x = torch.from_numpy(z)
    with torch.no_grad():
        for w, b, p, act in layers:
            x = fns[act](F.linear(x, torch.from_numpy(w), torch.from_numpy(b)), p)
    return x.numpy()


def forward_numpy(layers, z):
    erf = np.vectorize(math.erf)
    sig = lambda x: 1 / (1 + np.exp(-x))
    sp = lambda x: np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))
    fns = {
        "identity": lambda x, p: x,
        "relu": lambda x, p: np.maximum(x, 0),
        "leaky_relu": lambda x, p: np.where(x > 0, x, p * x),
        "prelu": lambda x, p: np.where(x > 0, x, p * x),
        "tanh": lambda x, p: np.tanh(x),
        "sigmoid": lambda x, p: sig(x),
        "elu": lambda x, p: np.where(x > 0, x, p * np.expm1(x)),
        "selu": lambda x, p: SELU_LAMBDA * np.where(x > 0, x, SELU_ALPHA * np.expm1(x)),
        "gelu": lambda x, p: 0.5 * x * (1 + erf(x / math.sqrt(2))),
        "silu": lambda x, p: x * sig(x),
        "softplus": lambda x, p: sp(x),
        "mish": lambda x, p: x * np.tanh(sp(x)),
    }
    x = z.astype(np.float64)
    for w, b, p, act in layers:
        x = fns[act](x @ w.T.astype(np.float64) + b, p)
    return x.astype(np.float32)


def read_csv(path):
    with open(path) as f:
        lines = [l.strip() for l in f if l.strip()]
    try:
        float(lines[0].split(",")[0])
    except (ValueError, IndexError):
        lines = lines[1:]
    return np.array([[float(v) for v in l.split(",")] for l in lines], dtype=np.float32)


def main(argv):
    if len(argv) not in (2, 3, 4):
        print(next(l for l in __doc__.splitlines() if l.startswith("Usage")), file=sys.stderr)
        return 2
    path = argv[1]
    try:
        meta, tensors = read_safetensors(path)
        if meta.get("format") != "ganscope-1":
            raise Bad(f"__metadata__ format {meta.get('format')!r}")
        for name, t in tensors.items():
            print(f"{name} {list(t.shape)}")
        gen = network(meta, tensors, "generator")
        network(meta, tensors, "discriminator")
        print(f"step {meta.get('step')}")
        if len(argv) == 2:
            return 0
        z_dim, x_dim = gen[0][0].shape[1], gen[-1][0].shape[0]
        expected = read_csv(argv[2])
        if len(argv) == 4:
            z = read_csv(argv[3])
        else:
            z, expected = expected[:, :z_dim], expected[:, z_dim:]
        if z.shape[1] != z_dim or expected.shape[1] != x_dim or len(z) != len(expected):
            raise Bad(f"CSV shapes z {z.shape}, expected {expected.shape}; "
                      f"the generator maps {z_dim} -> {x_dim}")
        try:
            import torch  # noqa: F401

            engine, out = "torch", forward_torch(gen, z)
        except ImportError:
            engine, out = "numpy", forward_numpy(gen, z)
        err = np.abs(out - expected)
        worst = float(err.max()) if err.size else 0.0
        ok = bool(np.all(err <= ATOL + RTOL * np.abs(expected)))
        print(f"forward ({engine}): {len(z)} rows, max abs difference {worst:.3g}: "
              f"{'ok' if ok else 'MISMATCH'}")
        return 0 if ok else 1
    except (Bad, ValueError, KeyError, IndexError, UnicodeDecodeError, OSError) as e:
        print(f"{path}: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
