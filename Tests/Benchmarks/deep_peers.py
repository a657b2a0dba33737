#!/usr/bin/env python3
"""Peers of `make bench` for networks of any depth: seconds per training epoch of a sigmoid MLP
(softmax cross-entropy, plain SGD, the 60,000 MNIST training images in memory as float32 x/255)
in PyTorch and in JAX, in each one's strongest plain setup:

  torch: nn.Sequential of Linear + Sigmoid, CrossEntropyLoss, torch.optim.SGD, slices of
         in-memory tensors; one warm-up batch, then one timed epoch.
  jax:   one jitted step, lax.scan over the epoch's batches; the first epoch compiles and is not
         timed, the second is.
  sgemm: the float32 matrix-multiply rate numpy reaches on a 128 × 800 · 800 × 800 product.

    deep_peers.py MNIST_DIR --framework torch|jax|sgemm --layers 800,800 --batch 32 --threads 1

Prints one line:  RESULT epoch_s=SECONDS  (or gflops=RATE), or  SKIP REASON  when the
framework is not installed (python3 -m pip install "torch==2.13.0+cpu" "jax[cpu]").
"""
import argparse
import gzip
import os
import sys
import time


def parse():
    p = argparse.ArgumentParser()
    p.add_argument("mnist")
    p.add_argument("--framework", choices=["torch", "jax", "sgemm"], required=True)
    p.add_argument("--layers", default="800")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--lr", type=float, default=0.1)
    return p.parse_args()


def training_set(folder):
    import numpy as np

    def read(name, skip):
        for path in (os.path.join(folder, name), os.path.join(folder, name + ".gz")):
            if os.path.exists(path):
                data = open(path, "rb").read()
                if data[:2] == b"\x1f\x8b":
                    data = gzip.decompress(data)
                return np.frombuffer(data[skip:], np.uint8)
        raise SystemExit(f"{folder}: no {name}")

    x = read("train-images-idx3-ubyte", 16).reshape(-1, 784).astype(np.float32) / 255.0
    y = read("train-labels-idx1-ubyte", 8).astype(np.int64)
    order = np.random.default_rng(1).permutation(len(y))
    return x[order], y[order]


def sizes(a):
    return [784] + [int(s) for s in a.layers.split(",")] + [10]


def torch_epoch(a):
    import torch
    import torch.nn as nn
    torch.set_num_threads(a.threads)
    x, y = training_set(a.mnist)
    x, y = torch.from_numpy(x), torch.from_numpy(y)
    n = sizes(a)
    layers = []
    for i in range(len(n) - 1):
        layers.append(nn.Linear(n[i], n[i + 1]))
        if i < len(n) - 2:
            layers.append(nn.Sigmoid())
    net = nn.Sequential(*layers)
    optimizer = torch.optim.SGD(net.parameters(), lr=a.lr)
    loss = nn.CrossEntropyLoss()
    end = (len(y) // a.batch) * a.batch

    def step(i):
        optimizer.zero_grad(set_to_none=True)
        loss(net(x[i:i + a.batch]), y[i:i + a.batch]).backward()
        optimizer.step()

    step(0)
    start = time.perf_counter()
    for i in range(0, end, a.batch):
        step(i)
    return time.perf_counter() - start


def jax_epoch(a):
    if a.threads == 1:
        os.environ["XLA_FLAGS"] = os.environ.get("XLA_FLAGS", "") + " --xla_cpu_multi_thread_eigen=false"
    import jax
    import jax.numpy as jnp
    x, y = training_set(a.mnist)
    batches = len(y) // a.batch
    xb = jnp.asarray(x[:batches * a.batch].reshape(batches, a.batch, 784))
    yb = jnp.asarray(y[:batches * a.batch].reshape(batches, a.batch))
    n = sizes(a)
    key = jax.random.PRNGKey(1)
    params = []
    for i in range(len(n) - 1):
        key, k = jax.random.split(key)
        params.append((jax.random.normal(k, (n[i], n[i + 1])) * n[i] ** -0.5, jnp.zeros(n[i + 1])))

    def cost(ps, xs, ys):
        h = xs
        for w, b in ps[:-1]:
            h = jax.nn.sigmoid(h @ w + b)
        z = h @ ps[-1][0] + ps[-1][1]
        return -jnp.mean(jax.nn.log_softmax(z)[jnp.arange(ys.shape[0]), ys])

    @jax.jit
    def epoch(ps):
        def body(ps, batch):
            value, grad = jax.value_and_grad(cost)(ps, *batch)
            return jax.tree_util.tree_map(lambda p, d: p - a.lr * d, ps, grad), value
        return jax.lax.scan(body, ps, (xb, yb))

    params, values = epoch(params)
    jax.block_until_ready(values)
    start = time.perf_counter()
    params, values = epoch(params)
    jax.block_until_ready(values)
    return time.perf_counter() - start


def sgemm_rate(a):
    import numpy as np
    A = np.random.rand(128, 800).astype(np.float32)
    B = np.random.rand(800, 800).astype(np.float32)
    A @ B
    reps = 1000
    start = time.perf_counter()
    for _ in range(reps):
        A @ B
    return 2 * 128 * 800 * 800 * reps / (time.perf_counter() - start) / 1e9


if __name__ == "__main__":
    a = parse()
    module = {"torch": "torch", "jax": "jax", "sgemm": "numpy"}[a.framework]
    try:
        __import__(module)
    except ImportError:
        print(f"SKIP {module} is not installed (python3 -m pip install \"torch==2.13.0+cpu\" \"jax[cpu]\" numpy)")
        sys.exit(0)
    if a.framework == "sgemm":
        print(f"RESULT gflops={sgemm_rate(a):.2f}")
    else:
        print(f"RESULT epoch_s={(torch_epoch if a.framework == 'torch' else jax_epoch)(a):.4f}")
