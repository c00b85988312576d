"""The four frameworks behind one small interface.

Each ``Framework`` knows how to import itself, turn a NumPy input into one of its
arrays (materialized, so no input-creation work is timed), make a workload's
function runnable (``jax.jit`` for JAX, ``mx.compile`` for mxc, as written for NumPy
and MLX, which runs eagerly) and force a result
to be computed (``mx.eval`` for mxc and MLX, ``block_until_ready`` for JAX). ``ns``
is a namespace of the few ops whose names differ between the four (softmax,
logsumexp, relu, value_and_grad, vmap, ...), so one function body serves all of them.
"""

from __future__ import annotations

import os
import types

import numpy as np

ORDER = ("mxc", "jax", "numpy", "mlx")


def _flat(tree, out):
    if isinstance(tree, dict):
        for k in sorted(tree):
            _flat(tree[k], out)
    elif isinstance(tree, (list, tuple)):
        for t in tree:
            _flat(t, out)
    elif tree is not None:
        out.append(tree)
    return out


def flatten(tree):
    """The leaves of a pytree (lists, tuples, dicts with keys sorted)."""
    return _flat(tree, [])


def tree_map(fn, tree):
    if isinstance(tree, dict):
        return {k: tree_map(fn, v) for k, v in tree.items()}
    if isinstance(tree, (list, tuple)):
        return type(tree)(tree_map(fn, t) for t in tree)
    return fn(tree)


def np_logsumexp(x, axis):
    m = np.max(x, axis=axis, keepdims=True)
    return np.squeeze(m, axis) + np.log(np.sum(np.exp(x - m), axis=axis))


def np_softmax(x, axis=-1):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


class Framework:
    name = "?"
    #: Whether ``jit`` compiles (JAX's jax.jit, mxc's mx.compile) or is the identity.
    compiles = False

    def __init__(self):
        self.ns = None
        self.version = None

    def load(self):
        """Imports the framework; raises ImportError when it is missing."""
        raise NotImplementedError

    def array(self, x: np.ndarray):
        raise NotImplementedError

    def block(self, result):
        """Forces ``result`` (a pytree of arrays) to be computed; returns it."""
        return result

    def jit(self, fn):
        return fn

    def settle(self):
        """Waits for background work started by earlier calls (steady state)."""

    def to_numpy(self, result):
        return tree_map(lambda a: np.asarray(a), result)

    def inputs(self, np_inputs: dict):
        """The workload's NumPy inputs as this framework's arrays (materialized)."""
        out = {k: tree_map(self.array, v) for k, v in np_inputs.items()}
        self.block(list(out.values()))
        return out


class Mxc(Framework):
    name = "mxc"
    compiles = True

    def load(self):
        import mxc.core as mx

        self.mx = mx
        self.version = _pkg_version("mxc")
        self.ns = types.SimpleNamespace(
            xp=mx, softmax=mx.softmax, logsumexp=mx.logsumexp,
            relu=lambda x: mx.maximum(x, 0), rsqrt=mx.rsqrt,
            value_and_grad=mx.value_and_grad, grad=mx.grad, vmap=mx.vmap, sin=mx.sin)

    def array(self, x):
        return self.mx.array(x)

    def block(self, result):
        self.mx.eval(result)
        return result

    def jit(self, fn):
        return self.mx.compile(fn)

    def settle(self):
        # Programs run twice have their -O3 compile in flight: time the result.
        from mxc import _compiler

        _compiler.wait_for_tier_ups()


class Mlx(Framework):
    name = "mlx"

    def load(self):
        import mlx.core as mlx

        self.mx = mlx
        self.mx.set_default_device(mlx.cpu)
        self.version = mlx.__version__
        self.ns = types.SimpleNamespace(
            xp=mlx, softmax=mlx.softmax, logsumexp=mlx.logsumexp,
            relu=lambda x: mlx.maximum(x, 0), rsqrt=mlx.rsqrt,
            value_and_grad=mlx.value_and_grad, grad=mlx.grad, vmap=mlx.vmap, sin=mlx.sin)

    def array(self, x):
        return self.mx.array(x)

    def block(self, result):
        self.mx.eval(result)
        return result


class Jax(Framework):
    name = "jax"
    compiles = True

    def load(self):
        os.environ.setdefault("JAX_PLATFORMS", "cpu")
        import jax
        import jax.numpy as jnp

        self.jax = jax
        self.version = jax.__version__
        self.ns = types.SimpleNamespace(
            xp=jnp, softmax=lambda x, axis=-1: jax.nn.softmax(x, axis=axis),
            logsumexp=lambda x, axis: jax.nn.logsumexp(x, axis=axis),
            relu=lambda x: jnp.maximum(x, 0), rsqrt=jax.lax.rsqrt,
            value_and_grad=jax.value_and_grad, grad=jax.grad, vmap=jax.vmap, sin=jnp.sin)

    def array(self, x):
        return self.jax.device_put(x)

    def block(self, result):
        return self.jax.block_until_ready(result)

    def jit(self, fn):
        return self.jax.jit(fn)


class Numpy(Framework):
    name = "numpy"

    def load(self):
        self.version = np.__version__
        self.ns = types.SimpleNamespace(
            xp=np, softmax=np_softmax, logsumexp=np_logsumexp,
            relu=lambda x: np.maximum(x, 0), rsqrt=lambda x: 1 / np.sqrt(x),
            value_and_grad=None, grad=None, vmap=None, sin=np.sin)

    def array(self, x):
        return np.array(x, order="C")  # a copy; keeps 0-d arrays 0-d


def _pkg_version(name):
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


CLASSES = {"mxc": Mxc, "jax": Jax, "numpy": Numpy, "mlx": Mlx}


def load(name):
    fw = CLASSES[name]()
    fw.load()
    return fw
