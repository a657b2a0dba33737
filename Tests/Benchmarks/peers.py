#!/usr/bin/env python3
"""Peers for `make bench`: the same 784-100-10 sigmoid network of doc 001, trained per example
on the same MNIST files, written here from the formulas (not from any published code).

Prints one line per peer:  peer NAME SECONDS_PER_EPOCH TEST_ACCURACY  (or: skip NAME REASON)
"""
import gzip
import os
import sys
import time

import numpy as np


def idx(path):
    for candidate in (path, path + ".gz"):
        if os.path.exists(candidate):
            with open(candidate, "rb") as f:
                data = f.read()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            dims = data[3]
            shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
            return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)
    raise SystemExit(f"{path}[.gz]: not found")


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def doc001_epoch(X, T, W_ih, W_ho, lr, count, in_place):
    """Doc 001's rule, one example at a time: e = t - o, W_ho += lr h (e o (1-o))^T,
    e_h = W_ho e, W_ih += lr x (e_h h (1-h))^T."""
    for n in range(count):
        x = X[n]
        t = T[n]
        h = sigmoid(W_ih.T @ x)
        o = sigmoid(W_ho.T @ h)
        e = t - o
        e_h = W_ho @ e
        if in_place:
            # Rank-1 updates written into the weights (no temporary matrix kept around).
            W_ho += np.multiply.outer(h, lr * e * o * (1 - o))
            W_ih += np.multiply.outer(x, lr * e_h * h * (1 - h))
        else:
            # As the book writes it: column vectors and np.dot outer products.
            xc, hc = x.reshape(-1, 1), h.reshape(-1, 1)
            W_ho += lr * np.dot(hc, (e * o * (1 - o)).reshape(1, -1))
            W_ih += lr * np.dot(xc, (e_h * h * (1 - h)).reshape(1, -1))


def accuracy(X, labels, W_ih, W_ho):
    o = sigmoid(sigmoid(X @ W_ih) @ W_ho)
    return float((o.argmax(axis=1) == labels).mean())


def numpy_peer(name, dtype, data, count, in_place):
    (Xtr, ytr), (Xte, yte) = data
    rng = np.random.default_rng(1)
    W_ih = rng.normal(0, 100 ** -0.5, (784, 100)).astype(dtype)
    W_ho = rng.normal(0, 10 ** -0.5, (100, 10)).astype(dtype)
    X = (Xtr.reshape(-1, 784) / 255.0 * 0.99 + 0.01).astype(dtype)
    T = np.full((len(ytr), 10), 0.01, dtype=dtype)
    T[np.arange(len(ytr)), ytr] = 0.99
    lr = dtype(0.1)
    start = time.perf_counter()
    doc001_epoch(X, T, W_ih, W_ho, lr, count, in_place)
    seconds = (time.perf_counter() - start) * len(ytr) / count
    Xt = (Xte.reshape(-1, 784) / 255.0 * 0.99 + 0.01).astype(dtype)
    acc = accuracy(Xt, yte, W_ih, W_ho) if count == len(ytr) else float("nan")
    print(f"peer {name} {seconds:.3f} {acc:.4f}", flush=True)


def torch_peer(name, data, batch, loss):
    try:
        import torch
    except ImportError:
        print(f"skip {name} PyTorch is not installed (pip install torch)", flush=True)
        return
    torch.set_num_threads(2)
    torch.manual_seed(1)
    (Xtr, ytr), (Xte, yte) = data
    X = torch.tensor(Xtr.reshape(-1, 784) / 255.0, dtype=torch.float32)
    y = torch.tensor(ytr.astype(np.int64))
    model = torch.nn.Sequential(torch.nn.Linear(784, 100), torch.nn.Sigmoid(), torch.nn.Linear(100, 10))
    if loss == "mse":
        model.append(torch.nn.Sigmoid())
        optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
        criterion = lambda out, target: 0.5 * ((out - torch.nn.functional.one_hot(target, 10).float()) ** 2).sum(1).mean()
    else:
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        criterion = torch.nn.functional.cross_entropy
    order = torch.randperm(len(y))
    start = time.perf_counter()
    for b in range(0, len(y), batch):
        i = order[b:b + batch]
        optimizer.zero_grad()
        criterion(model(X[i]), y[i]).backward()
        optimizer.step()
    seconds = time.perf_counter() - start
    with torch.no_grad():
        Xt = torch.tensor(Xte.reshape(-1, 784) / 255.0, dtype=torch.float32)
        acc = float((model(Xt).argmax(1) == torch.tensor(yte.astype(np.int64))).float().mean())
    print(f"peer {name} {seconds:.3f} {acc:.4f}", flush=True)


def main():
    folder = sys.argv[1]
    data = (
        (idx(f"{folder}/train-images-idx3-ubyte"), idx(f"{folder}/train-labels-idx1-ubyte")),
        (idx(f"{folder}/t10k-images-idx3-ubyte"), idx(f"{folder}/t10k-labels-idx1-ubyte")),
    )
    numpy_peer("numpy-float32-per-example", np.float32, data, 60000, in_place=True)
    # The float64 np.dot version takes tens of seconds an epoch: time 10,000 examples and scale.
    numpy_peer("numpy-float64-doc001-dot", np.float64, data, 10000, in_place=False)
    torch_peer("pytorch-mse-batch10", data, 10, "mse")
    torch_peer("pytorch-ce-momentum-batch32", data, 32, "ce")


if __name__ == "__main__":
    main()
