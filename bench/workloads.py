"""The benchmark workloads.

A ``Workload`` makes its inputs in NumPy (fixed seed), computes a float64 NumPy
reference, and builds for each framework a ``run()`` that does one call and forces
the result (``mx.eval`` / ``block_until_ready``) before returning it. Everything a
user would do once (building a ``vmap``/``grad`` wrapper, ``jax.jit``) happens in
``build``; everything a user does per call (tracing a lazy graph, the compile-cache
lookup, the computation) happens in ``run``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from frameworks import np_logsumexp, np_softmax


@dataclass
class Workload:
    name: str
    desc: str
    make_inputs: Callable[[np.random.Generator], dict]
    reference: Callable[[dict], object]
    build: Callable  # (framework, inputs in that framework) -> run()
    frameworks: tuple = ("mxc", "jax", "numpy", "mlx")
    rtol: float = 1e-4
    atol: float = 1e-5
    #: (workload, factor): skip a framework when its time on that workload times
    #: ``factor`` predicts a call longer than --max-call-s (matmul's n^3 scaling).
    scale_from: tuple | None = None
    #: Per-framework remarks shown under the table (e.g. what numpy runs instead).
    notes: dict = field(default_factory=dict)


def f32(a):
    return np.asarray(a, dtype=np.float32)


def pure(fn, names):
    """A build for ``fn(ns, *inputs)``: jitted for JAX, called as is for the others."""

    def build(fw, inp):
        ns = fw.ns
        f = fw.jit(lambda *args: fn(ns, *args))
        args = [inp[n] for n in names]

        def run():
            return fw.block(f(*args))

        return run

    return build


def as64(tree):
    if isinstance(tree, dict):
        return {k: as64(v) for k, v in tree.items()}
    if isinstance(tree, (list, tuple)):
        return type(tree)(as64(t) for t in tree)
    return np.asarray(tree, dtype=np.float64) if np.asarray(tree).dtype.kind == "f" else tree


# ------------------------------------------------------------------ vmap guide example

N_LOOP = 100


def _xs_ys(rng):
    return {"xs": f32(rng.uniform(size=(4096, 100))), "ys": f32(rng.uniform(size=(100, 4096)))}


def _build_vmap(fw, inp):
    xs, ys = inp["xs"], inp["ys"]
    if fw.name == "numpy":
        return lambda: xs.T + ys
    vmap_add = fw.jit(fw.ns.vmap(lambda x, y: x + y, in_axes=(1, 0)))
    return lambda: fw.block(vmap_add(xs, ys))


def _naive(ns, xs, ys):
    return [xs[i] + ys[:, i] for i in range(N_LOOP)]


def _build_xs_loop(fw, inp):
    """``for i in range(100): eval(xs[i] + ys[:, i])``: one evaluation per step."""
    xs, ys = inp["xs"], inp["ys"]
    step = fw.jit(lambda xs, ys, i: xs[i] + ys[:, i])  # JAX: i is a traced argument

    def run():
        out = []
        for i in range(N_LOOP):
            out.append(fw.block(step(xs, ys, i)))
        return out

    return run


# ------------------------------------------------------------------ elementwise / reductions


def _exp_sin(ns, a):
    xp = ns.xp
    return xp.exp(xp.sin(a) * 2 + 1)


def _sum1(ns, a):
    return ns.xp.sum(a, axis=1)


def _softmax(ns, a):
    return ns.softmax(a, axis=-1)


def _layer_norm(ns, x, w, b):
    xp = ns.xp
    mean = xp.mean(x, axis=-1, keepdims=True)
    var = xp.var(x, axis=-1, keepdims=True)
    return (x - mean) * ns.rsqrt(var + 1e-5) * w + b


def _cross_entropy(ns, logits, labels):
    xp = ns.xp
    picked = xp.take_along_axis(logits, labels[:, None], axis=1)[:, 0]
    return xp.mean(ns.logsumexp(logits, axis=1) - picked)


def _ref_layer_norm(i):
    x = i["x"].astype(np.float64)
    mean = x.mean(-1, keepdims=True)
    var = x.var(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-5) * i["w"] + i["b"]


def _ref_cross_entropy(i):
    lg = i["logits"].astype(np.float64)
    return np.mean(np_logsumexp(lg, 1) - lg[np.arange(len(lg)), i["labels"]])


def _matmul(ns, a, b):
    return ns.xp.matmul(a, b)


# ------------------------------------------------------------------ MLP (784 -> 256 -> 10)

MLP_BATCH, MLP_IN, MLP_HIDDEN, MLP_OUT = 128, 784, 256, 10


def mlp_inputs(rng):
    def init(fan_in, shape):
        return f32(rng.uniform(-1, 1, size=shape) / np.sqrt(fan_in))

    params = {"W1": init(MLP_IN, (MLP_IN, MLP_HIDDEN)), "b1": init(MLP_IN, (MLP_HIDDEN,)),
              "W2": init(MLP_HIDDEN, (MLP_HIDDEN, MLP_OUT)), "b2": init(MLP_HIDDEN, (MLP_OUT,))}
    return {"params": params, "x": f32(rng.normal(size=(MLP_BATCH, MLP_IN))),
            "y": rng.integers(0, MLP_OUT, size=(MLP_BATCH,)).astype(np.int32)}


def mlp_loss(ns, p, x, y):
    xp = ns.xp
    h = ns.relu(xp.matmul(x, p["W1"]) + p["b1"])
    logits = xp.matmul(h, p["W2"]) + p["b2"]
    picked = xp.take_along_axis(logits, y[:, None], axis=1)[:, 0]
    return xp.mean(ns.logsumexp(logits, axis=1) - picked)


def mlp_value_and_grad_numpy(p, x, y):
    """The loss and its gradient, by hand (the reference and NumPy's entry)."""
    z1 = x @ p["W1"] + p["b1"]
    h = np.maximum(z1, 0)
    logits = h @ p["W2"] + p["b2"]
    n = x.shape[0]
    loss = np.mean(np_logsumexp(logits, 1) - logits[np.arange(n), y])
    d = np_softmax(logits, 1)
    d[np.arange(n), y] -= 1
    d /= n
    dh = d @ p["W2"].T
    dz1 = dh * (z1 > 0)
    return loss, {"W1": x.T @ dz1, "b1": dz1.sum(0), "W2": h.T @ d, "b2": d.sum(0)}


def mlp_build(fw, inp):
    p, x, y = inp["params"], inp["x"], inp["y"]
    if fw.name == "numpy":
        return lambda: mlp_value_and_grad_numpy(p, x, y)
    ns = fw.ns
    vg = fw.jit(ns.value_and_grad(lambda p, x, y: mlp_loss(ns, p, x, y)))
    return lambda: fw.block(vg(p, x, y))


def mlp_reference(i):
    return mlp_value_and_grad_numpy(as64(i["params"]), i["x"].astype(np.float64), i["y"])


# ------------------------------------------------------------------ small graphs


def _build_grad4(fw, inp):
    ns = fw.ns
    g4 = fw.jit(ns.grad(ns.grad(ns.grad(ns.grad(ns.sin)))))
    x = inp["x"]
    return lambda: fw.block(g4(x))


# ------------------------------------------------------------------ the list


def all_workloads():
    w = []
    w.append(Workload(
        "vmap_add", "guide: mx.vmap(lambda x, y: x + y, in_axes=(1, 0)), xs (4096,100), "
        "ys (100,4096)", _xs_ys, lambda i: i["xs"].T.astype(np.float64) + i["ys"],
        _build_vmap, notes={"numpy": "numpy runs xs.T + ys (no vmap)"}))
    w.append(Workload(
        "naive_add", "guide: mx.eval([xs[i] + ys[:, i] for i in range(100)]) (one eval)",
        _xs_ys, lambda i: _naive(None, as64(i["xs"]), i["ys"]), pure(_naive, ["xs", "ys"]),
        notes={"jax": "jax jits the whole list (one XLA program)"}))
    w.append(Workload(
        "xs_loop", "for i in range(100): eval(xs[i] + ys[:, i]) (100 evals)",
        _xs_ys, lambda i: _naive(None, as64(i["xs"]), i["ys"]), _build_xs_loop,
        notes={"jax": "jax: one jitted step, i passed as a traced argument"}))
    w.append(Workload(
        "exp_sin", "exp(sin(a) * 2 + 1), a (2048,2048) f32",
        lambda r: {"a": f32(r.uniform(-1, 1, size=(2048, 2048)))},
        lambda i: _exp_sin(_ns64, i["a"].astype(np.float64)), pure(_exp_sin, ["a"])))
    w.append(Workload(
        "sum_axis1", "sum(a, axis=1), a (4096,4096) f32",
        lambda r: {"a": f32(r.uniform(size=(4096, 4096)))},
        lambda i: i["a"].astype(np.float64).sum(1), pure(_sum1, ["a"])))
    w.append(Workload(
        "softmax", "softmax(a, axis=-1), a (1024,4096) f32",
        lambda r: {"a": f32(r.normal(size=(1024, 4096)))},
        lambda i: np_softmax(i["a"].astype(np.float64), -1), pure(_softmax, ["a"]),
        atol=1e-7, notes={"numpy": "numpy: exp(x - max) / sum, by hand"}))
    w.append(Workload(
        "layer_norm", "(x - mean) * rsqrt(var + 1e-5) * w + b over the last axis, x (1024,4096)",
        lambda r: {"x": f32(r.normal(size=(1024, 4096))), "w": f32(r.normal(size=(4096,))),
                   "b": f32(r.normal(size=(4096,)))},
        _ref_layer_norm, pure(_layer_norm, ["x", "w", "b"]), atol=1e-4))
    w.append(Workload(
        "cross_entropy", "mean(logsumexp(logits) - logits[label]), logits (1024,1000), "
        "int32 labels",
        lambda r: {"logits": f32(r.normal(size=(1024, 1000)) * 3),
                   "labels": r.integers(0, 1000, size=(1024,)).astype(np.int32)},
        _ref_cross_entropy, pure(_cross_entropy, ["logits", "labels"])))
    prev = None
    for n in (256, 512, 1024, 2048):
        w.append(Workload(
            f"matmul_{n}", f"a @ b, ({n},{n}) f32",
            (lambda n: lambda r: {"a": f32(r.uniform(-1, 1, size=(n, n))),
                                  "b": f32(r.uniform(-1, 1, size=(n, n)))})(n),
            lambda i: i["a"].astype(np.float64) @ i["b"], pure(_matmul, ["a", "b"]),
            rtol=1e-3, atol=1e-3, scale_from=(prev, 8.0) if prev else None))
        prev = f"matmul_{n}"
    w.append(Workload(
        "mlp_value_and_grad", f"value_and_grad of an MLP loss, batch {MLP_BATCH}, "
        f"{MLP_IN}->{MLP_HIDDEN}->{MLP_OUT}, relu, cross-entropy",
        mlp_inputs, mlp_reference, mlp_build, rtol=1e-3, atol=1e-5,
        notes={"numpy": "numpy: gradient written by hand",
               "mlx": "mlx: eager value_and_grad (no mx.compile)"}))
    w.append(Workload(
        "tiny_cached", "x + 1 on a 0-d f32 array (cached graph: per-call overhead)",
        lambda r: {"x": np.float32(1.5).reshape(())}, lambda i: i["x"].astype(np.float64) + 1,
        pure(lambda ns, x: x + 1, ["x"])))
    w.append(Workload(
        "grad4_sin", "grad(grad(grad(grad(sin)))) at a scalar",
        lambda r: {"x": np.float32(0.7).reshape(())}, lambda i: np.sin(np.float64(i["x"])),
        _build_grad4, frameworks=("mxc", "jax", "mlx")))
    return w


class _NS64:
    xp = np


_ns64 = _NS64()
