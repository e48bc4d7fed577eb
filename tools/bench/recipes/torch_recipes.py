#!/usr/bin/env python3
"""PyTorch references for the training recipes of docs/benchmarks.md (Debian's python3-torch, 1 thread).

Each recipe mirrors the Myelin one in tools/bench/src/recipes/catalog.ts: the same data (Fashion-MNIST
pixels / 255; digits counts / 16 with a random 80/20 split), the same architecture with PyTorch's default
initialisation, Adam 1e-3, the same batch size, a fresh shuffle every epoch, no augmentation. Prints one
JSON object per seed and epoch: {"recipe", "seed", "epoch", "test_accuracy", "seconds" (training time
so far, evaluation excluded), "samples_per_second"}.

usage: /usr/bin/python3 torch_recipes.py RECIPE [--seeds 0,1,2] [--epochs N] [--fashion DIR]
       /usr/bin/python3 torch_recipes.py throughput   (the bench's MLP and LeNet training cases)
"""
import argparse
import gzip
import json
import os
import struct
import sys
import time

import numpy as np
import torch
from torch import nn

torch.set_num_threads(1)


def read_idx(path):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def fashion(folder):
    def images(name):
        return torch.from_numpy(read_idx(f"{folder}/{name}").astype(np.float32) / 255.0).unsqueeze(1)

    def labels(name):
        return torch.from_numpy(read_idx(f"{folder}/{name}").astype(np.int64))

    return (images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz"),
            images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz"))


def digits(path):
    rows = np.loadtxt(gzip.open(path, "rt"), delimiter=",", dtype=np.float32)
    x = torch.from_numpy(rows[:, :64] / 16.0)
    y = torch.from_numpy(rows[:, 64].astype(np.int64))
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(20240501))
    cut = int(round(len(x) * 0.8))
    return x[order[:cut]], y[order[:cut]], x[order[cut:]], y[order[cut:]]


def mlp():
    """MLP 64-64-10 for the 8x8 digits."""
    return nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))


def lenet():
    """The issue's LeNet-style CNN: conv 5x5x8, ReLU, pool 2, conv 5x5x16, ReLU, pool 2, linear 10."""
    return nn.Sequential(nn.Conv2d(1, 8, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 16, 5), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(256, 10))


def cnn():
    """The CLI's `cnn` preset with --batch-norm."""
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))


# name: (model, epochs, batch size, dataset)
RECIPES = {
    "digits": (mlp, 30, 32, "digits"),
    "lenet": (lenet, 2, 64, "fashion"),
    "cnn": (cnn, 10, 64, "fashion"),
}


def accuracy(model, x, y, batch=1000):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    model.train()
    return correct / len(x)


def run(name, seed, epochs, data):
    build, default_epochs, batch, _ = RECIPES[name]
    epochs = epochs or default_epochs
    xtr, ytr, xte, yte = data
    torch.manual_seed(seed)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    g = torch.Generator().manual_seed(seed)
    training = 0.0
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        order = torch.randperm(len(xtr), generator=g)
        for i in range(0, len(xtr), batch):
            idx = order[i:i + batch]
            opt.zero_grad()
            loss_fn(model(xtr[idx]), ytr[idx]).backward()
            opt.step()
        training += time.perf_counter() - start
        print(json.dumps({"recipe": name, "seed": seed, "epoch": epoch,
                          "test_accuracy": accuracy(model, xte, yte),
                          "seconds": round(training, 3),
                          "samples_per_second": round(epoch * len(xtr) / training, 1)}), flush=True)


def mlp784():
    """The bench's MLP 784-128-64-10."""
    return nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))


def throughput(seconds=3.0):
    """Training throughput on random data, batch 64, Adam 1e-3: the bench's MLP and LeNet-style cases."""
    for name, build, shape in (("mlp", mlp784, (64, 784)), ("lenet", lenet, (64, 1, 28, 28))):
        torch.manual_seed(0)
        model = build()
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        x = torch.randn(*shape)
        y = torch.arange(64) * 7 % 10

        def step():
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            return loss

        for _ in range(20):
            step()
        runs = []
        for _ in range(7):
            steps, start = 0, time.perf_counter()
            while time.perf_counter() - start < seconds / 7:
                step().item()
                steps += 1
            runs.append(64 * steps / (time.perf_counter() - start))
        runs.sort()
        print(json.dumps({"recipe": "throughput", "model": name, "samples_per_second": round(runs[3], 1)}),
              flush=True)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "throughput":
        return throughput()
    p = argparse.ArgumentParser()
    p.add_argument("recipe", choices=sorted(RECIPES))
    p.add_argument("--seeds", default="0")
    p.add_argument("--epochs", type=int, default=0)
    p.add_argument("--fashion", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--digits", default=os.path.join(os.path.dirname(__file__), "../../../packages/data/assets/digits.csv.gz"))
    a = p.parse_args()
    data = digits(a.digits) if RECIPES[a.recipe][3] == "digits" else fashion(a.fashion)
    for seed in [int(s) for s in a.seeds.split(",")]:
        run(a.recipe, seed, a.epochs, data)


if __name__ == "__main__":
    sys.exit(main())
