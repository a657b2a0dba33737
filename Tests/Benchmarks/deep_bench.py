#!/usr/bin/env python3
"""`make bench`, networks of any depth: seconds per epoch of `digits train` beside PyTorch and JAX
(deep_peers.py) on the same network, batch and thread count, in one run, and the ratios.

    deep_bench.py DIGITS MNIST_DIR [--layers 800 800,800] [--batches 1 32 128] [--threads 1 2]

One thread means each program pinned to one core (taskset -c 1, or $BENCH_CORE) with its own threading set to 1;
two means both cores and each program's threading set to 2 (`digits train --threads 2`: each
product's columns shared by two threads; doc 001's per-example run, 784-H-10 at batch 1, stays
on one). `digits` trains 3 epochs and the median is taken (the first epoch included:
nothing is compiled); PyTorch's and JAX's scripts time one epoch after a warm-up. Every program
trains the same thing: 784-<layers>-10, sigmoid hidden layers, softmax cross-entropy, plain SGD
at lr 0.1, no distortions, the 60,000 training images.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def parse():
    p = argparse.ArgumentParser()
    p.add_argument("digits")
    p.add_argument("mnist")
    p.add_argument("--layers", nargs="+", default=["800", "800,800"])
    p.add_argument("--batches", nargs="+", type=int, default=[1, 32, 128])
    p.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    p.add_argument("--epochs", type=int, default=3)
    return p.parse_args()


def pinned(threads):
    cores = os.environ.get("BENCH_CORE", "1") if threads == 1 else "0,1"
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    return ["taskset", "-c", cores], env


def digits_epoch(a, layers, batch, threads):
    prefix, env = pinned(threads)
    with tempfile.TemporaryDirectory() as folder:
        command = prefix + [a.digits, "train", "--data", a.mnist, "--hidden", layers, "--loss", "cross-entropy", "--lr", "0.1",
                            "--schedule", "constant", "--batch-size", str(batch), "--augment", "none", "--validation", "0",
                            "--epochs", str(a.epochs), "--threads", str(threads), "--json", "--output", os.path.join(folder, "m.safetensors")]
        out = subprocess.run(command, capture_output=True, text=True, env=env)
    if out.returncode != 0:
        return None, out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed"
    epochs = json.loads(out.stdout.strip().splitlines()[-1])["epochs"]
    return statistics.median(e["seconds"] for e in epochs), None


def peer(a, framework, layers, batch, threads):
    prefix, env = pinned(threads)
    command = prefix + [sys.executable, os.path.join(HERE, "deep_peers.py"), a.mnist, "--framework", framework,
                        "--layers", layers, "--batch", str(batch), "--threads", str(threads)]
    out = subprocess.run(command, capture_output=True, text=True, env=env)
    last = (out.stdout.strip().splitlines() or ["SKIP no output: " + out.stderr.strip()[-200:]])[-1]
    if last.startswith("RESULT "):
        return float(last.split("=")[1]), None
    return None, last.removeprefix("SKIP ")


def main():
    a = parse()
    rate, why = peer(a, "sgemm", "800", 128, 1)
    print(f"numpy float32 sgemm, 128×800 · 800×800, one core: " + (f"{rate:.1f} GFLOP/s" if rate else f"skipped: {why}"))
    print(f"{'network':<16}{'batch':>6}{'threads':>8}{'digits s':>10}{'torch s':>10}{'jax s':>10}{'torch/digits':>14}{'jax/digits':>12}")
    for layers in a.layers:
        for batch in a.batches:
            for threads in a.threads:
                mine, why = digits_epoch(a, layers, batch, threads)
                if mine is None:
                    print(f"784-{layers.replace(',', '-')}-10: digits failed: {why}")
                    continue
                torch, torch_why = peer(a, "torch", layers, batch, threads)
                jax, jax_why = peer(a, "jax", layers, batch, threads)
                cell = lambda s: f"{s:10.3f}" if s else f"{'—':>10}"
                ratio = lambda s, width: f"{s / mine:{width}.2f}×" if s else f"{'—':>{width + 1}}"
                print(f"{'784-' + layers.replace(',', '-') + '-10':<16}{batch:>6}{threads:>8}{mine:10.3f}{cell(torch)}{cell(jax)}"
                      f"{ratio(torch, 13)}{ratio(jax, 11)}", flush=True)
                for name, reason in (("PyTorch", torch_why), ("JAX", jax_why)):
                    if reason:
                        print(f"  {name} skipped: {reason}")


if __name__ == "__main__":
    main()
