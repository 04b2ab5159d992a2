"""numpy side of the side-by-side benchmark (run by scripts/bench-side-by-side.sh).

The numpy formulations follow the seed notebook 002 (course notes): the vectorised multiclass SVM loss and gradient
(cs231n `svm_loss_vectorized` layout, X n×d with the bias column already in d = 3073), its every-entry numerical gradient
(forward difference, h = 1e-5, one full loss evaluation per entry of W) and random search (a fresh
W = 1e-4·randn(d, c) per draw, scored with the vectorised loss). Written for this project; correctness of the numpy
loss is checked against a plain loop on a small case before timing (see `self_check`).

Output: one table row per workload, ratio = numpy seconds / ours. Where numpy would take minutes, only part of the work
is timed and scaled linearly; such rows say "extrapolated" and how much was timed.

To add a workload: append a Workload to WORKLOADS with the key of the matching C# entry in Linear/SideBySide.cs.
"""
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Callable, Tuple

import numpy as np


def svm_loss(X, y, W, reg):
    """Mean multiclass hinge (Δ = 1) + reg·‖W‖², vectorised."""
    n = X.shape[0]
    scores = X.dot(W)
    correct = scores[np.arange(n), y][:, None]
    margins = np.maximum(0, scores - correct + 1.0)
    margins[np.arange(n), y] = 0
    return margins.sum() / n + reg * np.sum(W * W)


def svm_loss_grad(X, y, W, reg):
    n = X.shape[0]
    scores = X.dot(W)
    correct = scores[np.arange(n), y][:, None]
    margins = np.maximum(0, scores - correct + 1.0)
    margins[np.arange(n), y] = 0
    loss = margins.sum() / n + reg * np.sum(W * W)
    mask = (margins > 0).astype(X.dtype)
    mask[np.arange(n), y] = -mask.sum(axis=1)
    dW = X.T.dot(mask) / n + 2 * reg * W
    return loss, dW


def eval_numerical_gradient(f, x, entries=None):
    """The seed's method: forward difference, h = 1e-5, one f evaluation per entry (optionally only the first `entries`)."""
    fx = f(x)
    grad = np.zeros_like(x)
    h = 0.00001
    it = np.nditer(x, flags=['multi_index'], op_flags=['readwrite'])
    done = 0
    while not it.finished and (entries is None or done < entries):
        ix = it.multi_index
        old = x[ix]
        x[ix] = old + h
        fxh = f(x)
        x[ix] = old
        grad[ix] = (fxh - fx) / h
        done += 1
        it.iternext()
    return grad


def self_check():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((7, 5)); y = rng.integers(0, 3, 7); W = rng.standard_normal((5, 3))
    loop = 0.0
    for i in range(7):
        s = X[i].dot(W)
        for j in range(3):
            if j != y[i]:
                loop += max(0.0, s[j] - s[y[i]] + 1.0)
    loop = loop / 7 + 0.1 * np.sum(W * W)
    loss, dW = svm_loss_grad(X, y, W, 0.1)
    assert abs(loss - loop) < 1e-12, (loss, loop)
    num = eval_numerical_gradient(lambda w: svm_loss(X, y, w, 0.1), W.copy())
    assert np.max(np.abs(num - dW)) < 1e-3, np.max(np.abs(num - dW))
    # Brier / CE numpy formulas vs central differences of their values on one row.
    Z, Y, Wt = score_data(1, 5, 0)
    f = lambda z: np.sum(Wt * (softmax(z) - Y) ** 2)
    G, H = brier_grad_hess(Z, Y, Wt)
    e = 1e-4
    for l in range(5):
        d = np.zeros_like(Z); d[0, l] = e
        assert abs((f(Z + d) - f(Z - d)) / (2 * e) - G[0, l]) < 1e-6
        assert abs((f(Z + d) - 2 * f(Z) + f(Z - d)) / e ** 2 - H[0, l]) < 1e-4
    g = lambda z: -np.sum(Y * np.log(softmax(z)))
    Gc, Hc = softmax_ce_grad_hess(Z, Y)
    for l in range(5):
        d = np.zeros_like(Z); d[0, l] = e
        assert abs((g(Z + d) - g(Z - d)) / (2 * e) - Gc[0, l]) < 1e-6
        assert abs((g(Z + d) - 2 * g(Z) + g(Z - d)) / e ** 2 - Hc[0, l]) < 1e-4


def seed_data(n, d, c, seed):
    rng = np.random.RandomState(seed)
    return rng.randn(n, d), rng.randint(0, c, size=n)


def best_of(runs, fn):
    best = float('inf')
    fn()  # warm-up
    for _ in range(runs):
        t = time.perf_counter(); fn(); best = min(best, time.perf_counter() - t)
    return best


@dataclass
class Workload:
    key: str          # the C# workload key (Linear/SideBySide.cs)
    label: str
    target: float     # required numpy/ours ratio
    numpy: Callable[[int], Tuple[float, str]]  # runs -> (seconds for the whole workload, note)


def np_svm_loss_grad(runs):
    X, y = seed_data(10000, 3073, 10, 1)
    W = np.random.RandomState(2).randn(3073, 10) * 1e-4
    return best_of(runs, lambda: svm_loss_grad(X, y, W, 1e-3)), f"best of {runs}"


NUMERIC_ENTRIES = int(os.environ.get("NUMERIC_ENTRIES", "400"))


def np_svm_numeric_grad(runs):
    X, y = seed_data(500, 3073, 10, 3)
    W = np.random.RandomState(4).randn(3073, 10) * 1e-4
    f = lambda w: svm_loss(X, y, w, 1e-3)
    k = min(NUMERIC_ENTRIES, W.size)
    # f(x) once plus k entries; every entry costs the same loss evaluation, so time scales linearly with entries.
    t = best_of(runs, lambda: eval_numerical_gradient(f, W, k))
    return t * W.size / k, f"extrapolated: {k} of {W.size} entries timed (x{W.size / k:.1f}), best of {runs}"


SEARCH_DRAWS = int(os.environ.get("SEARCH_DRAWS", "40"))


def np_random_search(runs):
    X, y = seed_data(10000, 3073, 10, 5)
    draws = 1000
    k = min(SEARCH_DRAWS, draws)

    def search():
        rng = np.random.RandomState(6)
        best = float('inf'); best_W = None
        for _ in range(k):
            W = rng.randn(3073, 10) * 0.0001
            loss = svm_loss(X, y, W, 0.0)
            if loss < best:
                best, best_W = loss, W
        return best_W

    t = best_of(runs, search)
    return t * draws / k, f"extrapolated: {k} of {draws} draws timed (x{draws / k:.0f}), best of {runs}"


def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def softmax_ce_grad_hess(Z, Y):
    """Seed 001 layout (one-hot labels Y, n×c): gradient p − y and diagonal Hessian p(1 − p)."""
    P = softmax(Z)
    return P - Y, P * (1 - P)


def brier_grad_hess(Z, Y, Wt):
    """Weighted Brier on softmax: the seed's gradient; the diagonal with the corrected ∂S/∂z (see WeightedBrier.cs)."""
    P = softmax(Z)
    A = (P - Y) * Wt
    S = np.sum(A * P, axis=1)[:, None]
    T = np.sum(Wt * P * P, axis=1)[:, None]
    G = 2 * P * (A - S)
    H = 2 * (P * (1 - P) * (A - S) + P * P * (Wt * (1 - 2 * P) - A + T + S))
    return G, H


def score_data(n, c, seed):
    rng = np.random.RandomState(seed)
    Z = rng.uniform(-3, 3, (n, c))
    y = rng.randint(0, c, size=n)
    Y = np.zeros((n, c)); Y[np.arange(n), y] = 1.0  # the seed's labels matrix, built outside the timing
    return Z, Y, rng.uniform(0.5, 1.5, (n, c))


def np_softmax_grad_hess(runs):
    Z, Y, _ = score_data(100000, 100, 7)
    return best_of(runs, lambda: softmax_ce_grad_hess(Z, Y)), f"best of {runs}"


def np_brier_grad_hess(runs):
    Z, Y, Wt = score_data(100000, 100, 8)
    return best_of(runs, lambda: brier_grad_hess(Z, Y, Wt)), f"best of {runs}"


WORKLOADS = [
    Workload("svm-loss-grad", "SVM loss + gradient, linear model, N=10000 D=3073 C=10", 2, np_svm_loss_grad),
    Workload("svm-numeric-grad", "full numeric gradient, SVM loss wrt W (3073x10), N=500", 100, np_svm_numeric_grad),
    Workload("random-search", "random search, 1000 draws, N=10000 D=3073 C=10", 3, np_random_search),
    Workload("softmax-grad-hess", "softmax cross-entropy gradient + diagonal Hessian, n=100000 c=100", 3, np_softmax_grad_hess),
    Workload("brier-grad-hess", "weighted Brier gradient + diagonal Hessian, n=100000 c=100", 4, np_brier_grad_hess),
]


def main():
    bench_dll, runs = sys.argv[1], int(os.environ.get("RUNS", "3"))
    keys = sys.argv[2:] or [w.key for w in WORKLOADS]
    chosen = [w for w in WORKLOADS if w.key in keys]
    self_check()
    print(f"numpy {np.__version__}, python {sys.version.split()[0]}, cores {os.cpu_count()}", flush=True)
    rows = []
    for w in chosen:
        # Ours then numpy, workload by workload: on a shared machine the load drifts, so the two sides of a ratio are
        # measured as close together in time as possible.
        out = subprocess.run(["dotnet", bench_dll, "side-by-side", "--runs", str(runs), w.key],
                             check=True, capture_output=True, text=True).stdout
        line = next(l for l in out.splitlines() if l.startswith("RESULT " + w.key + " "))
        _, _, seconds, note_ours = line.split(" ", 3)
        t_ours = float(seconds)
        t_np, note_np = w.numpy(runs)
        ratio = t_np / t_ours
        rows.append((w.label, t_np, t_ours, ratio, w.target, note_np))
        load = open("/proc/loadavg").read().split()[0]
        print(f"  measured {w.key}: numpy {t_np:.4g} s ({note_np}), ours {t_ours:.4g} s ({note_ours}), load {load}", flush=True)
    print()
    print(f"| workload | numpy s | ours s | numpy/ours | target | met | numpy timing |")
    print(f"| --- | --- | --- | --- | --- | --- | --- |")
    for label, t_np, t_ours, ratio, target, note in rows:
        print(f"| {label} | {t_np:.4g} | {t_ours:.4g} | {ratio:.1f} | >= {target:g} | {'yes' if ratio >= target else 'NO'} | {note} |")


if __name__ == "__main__":
    main()
