#!/usr/bin/python3
"""torch_gan.py - the PyTorch reference for `ganscope bench`.

The same model and step as ganscope's benchmark, written the ordinary way:
G  z100 -> 256 -> 512 -> 1024 -> 784 (tanh)
D  784 -> 512 -> 256 -> 1 (logit)
leaky_relu(0.2) after every hidden layer, batch 64, Adam(2e-4, (0.5, 0.999))
for each network, non-saturating loss via BCEWithLogitsLoss, one D step per
G step, real batches drawn at random from Fashion-MNIST (kept as uint8 and
scaled to [-1, 1] per batch).

Prints one JSON object: {"impl", "torch", "threads", "steps", "steps_per_s"}.
Only the steps after the warm-up are timed.
"""

import argparse
import gzip
import json
import os
import sys
import time

DATA = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"
BATCH = 64
ZDIM = 100


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--steps", type=int, default=300, help="timed steps (default 300)")
    ap.add_argument("--threads", type=int, default=1, help="intra-op threads (default 1)")
    ap.add_argument("--warmup", type=int, default=20, help="untimed steps first (default 20)")
    ap.add_argument("--data", default=DATA, help="IDX3 images, .gz or raw")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    if args.steps < 1 or args.threads < 1 or args.warmup < 0:
        ap.error("--steps and --threads must be >= 1, --warmup >= 0")
    return args


def load_idx_images(path):
    import numpy as np

    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    magic, n, rows, cols = (int.from_bytes(raw[i:i + 4], "big") for i in range(0, 16, 4))
    if magic != 0x00000803 or len(raw) != 16 + n * rows * cols:
        sys.exit(f"{path}: not an IDX3 image file")
    return np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, rows * cols)


def main():
    args = parse_args()
    # Debian's torch calls OpenBLAS (its own pthread pool) for every matmul and
    # GNU OpenMP for the element-wise ops; set_num_threads only reaches the
    # latter. Pin both pools to --threads before import so that "1 thread"
    # means one. With T > 1 the two pools fight for the cores when OpenMP
    # threads spin-wait between ops (measured on 2 cores: 17 steps/s or worse
    # with spinning, against ~45 passive), a Debian packaging artefact that
    # official MKL builds do not have; so OpenMP waits passively unless the
    # caller's environment says otherwise.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

    import torch
    from torch import nn

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    images = torch.from_numpy(load_idx_images(args.data).copy())  # (N, 784) uint8

    G = nn.Sequential(
        nn.Linear(ZDIM, 256), nn.LeakyReLU(0.2),
        nn.Linear(256, 512), nn.LeakyReLU(0.2),
        nn.Linear(512, 1024), nn.LeakyReLU(0.2),
        nn.Linear(1024, 784), nn.Tanh(),
    )
    D = nn.Sequential(
        nn.Linear(784, 512), nn.LeakyReLU(0.2),
        nn.Linear(512, 256), nn.LeakyReLU(0.2),
        nn.Linear(256, 1),
    )
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    criterion = nn.BCEWithLogitsLoss()
    ones = torch.ones(BATCH, 1)
    zeros = torch.zeros(BATCH, 1)

    def step():
        idx = torch.randint(0, images.shape[0], (BATCH,))
        real = images[idx].float().div_(127.5).sub_(1.0)
        z = torch.randn(BATCH, ZDIM)
        fake = G(z)

        # D: real -> 1, fake -> 0; the generator is not updated here.
        opt_d.zero_grad(set_to_none=True)
        loss_d = criterion(D(real), ones) + criterion(D(fake.detach()), zeros)
        loss_d.backward()
        opt_d.step()

        # G: non-saturating loss, fake -> 1, through the just-updated D.
        opt_g.zero_grad(set_to_none=True)
        loss_g = criterion(D(fake), ones)
        loss_g.backward()
        opt_g.step()
        return loss_d, loss_g

    for _ in range(args.warmup):
        step()
    t0 = time.perf_counter()
    for _ in range(args.steps):
        loss_d, loss_g = step()
    elapsed = time.perf_counter() - t0

    # A diverged run would make the timing meaningless; say so instead.
    if not (torch.isfinite(loss_d) and torch.isfinite(loss_g)):
        sys.exit("torch_gan.py: losses went non-finite")

    print(json.dumps({
        "impl": "pytorch",
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "steps": args.steps,
        "steps_per_s": round(args.steps / elapsed, 2),
    }))


if __name__ == "__main__":
    main()
