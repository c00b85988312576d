"""Parameter initializers, as ``mlx.nn.init``.

Each function returns an *initializer*: a callable taking an array and
returning a new array of the same shape (its values are ignored).

>>> import mxc.core as mx
>>> import mxc.nn as nn
>>> nn.init.constant(0.5)(mx.zeros((2,)))
array([0.5, 0.5], dtype=float32)
"""

from __future__ import annotations

import math
from typing import Callable, Literal

from .. import core as mx

__all__ = ["constant", "normal", "uniform", "identity", "glorot_normal", "glorot_uniform",
           "he_normal", "he_uniform", "sparse", "orthogonal"]


def constant(value: float, dtype: mx.Dtype = mx.float32) -> Callable[[mx.array], mx.array]:
    """Fills with ``value``."""
    def initializer(a):
        return mx.full(a.shape, value, dtype=dtype)

    return initializer


def normal(mean: float = 0.0, std: float = 1.0,
           dtype: mx.Dtype = mx.float32) -> Callable[[mx.array], mx.array]:
    r"""Samples :math:`\mathcal{N}(\text{mean}, \text{std}^2)`."""
    def initializer(a):
        return mx.random.normal(shape=a.shape, scale=std, loc=mean, dtype=dtype)

    return initializer


def uniform(low: float = 0.0, high: float = 1.0,
            dtype: mx.Dtype = mx.float32) -> Callable[[mx.array], mx.array]:
    r"""Samples :math:`\mathcal{U}(\text{low}, \text{high})`."""
    def initializer(a):
        return mx.random.uniform(low, high, a.shape, dtype=dtype)

    return initializer


def identity(dtype: mx.Dtype = mx.float32) -> Callable[[mx.array], mx.array]:
    """The identity matrix (square 2-D arrays only)."""
    def initializer(arr):
        if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
            raise ValueError(f"The input array must be a square matrix but got shape {arr.shape}.")
        return mx.eye(n=arr.shape[0], dtype=dtype)

    return initializer


def _fans(x):
    """(fan_in, fan_out) of a ``(out, ..., in)`` weight: the inner axes are the
    receptive field."""
    if x.ndim < 2:
        raise ValueError(
            "Glorot / He initialization requires at least 2 dimensional input but input "
            f"with {x.ndim} dimensions.")
    receptive = math.prod(x.shape[1:-1])
    return x.shape[-1] * receptive, x.shape[0] * receptive


def _fan(x, mode):
    fan_in, fan_out = _fans(x)
    if mode == "fan_in":
        return fan_in
    if mode == "fan_out":
        return fan_out
    raise ValueError(f"Invalid mode: {mode}. Valid modes are: fan_in, fan_out")


def glorot_normal(dtype: mx.Dtype = mx.float32) -> Callable[[mx.array, float], mx.array]:
    r"""Samples :math:`\mathcal{N}(0, \sigma^2)`,
    :math:`\sigma = \text{gain}\sqrt{2/(\text{fan\_in} + \text{fan\_out})}`."""
    def initializer(a, gain: float = 1.0):
        fan_in, fan_out = _fans(a)
        return mx.random.normal(shape=a.shape, scale=gain * math.sqrt(2.0 / (fan_in + fan_out)),
                                dtype=dtype)

    return initializer


def glorot_uniform(dtype: mx.Dtype = mx.float32) -> Callable[[mx.array, float], mx.array]:
    r"""Samples :math:`\mathcal{U}(-L, L)`,
    :math:`L = \text{gain}\sqrt{6/(\text{fan\_in} + \text{fan\_out})}`."""
    def initializer(a, gain: float = 1.0):
        fan_in, fan_out = _fans(a)
        limit = gain * math.sqrt(6.0 / (fan_in + fan_out))
        return mx.random.uniform(-limit, limit, a.shape, dtype=dtype)

    return initializer


def he_normal(dtype: mx.Dtype = mx.float32) -> Callable[..., mx.array]:
    r"""Samples :math:`\mathcal{N}(0, \sigma^2)`, :math:`\sigma = \text{gain}/\sqrt{\text{fan}}`
    (``mode`` picks fan_in or fan_out)."""
    def initializer(a, mode: Literal["fan_in", "fan_out"] = "fan_in", gain: float = 1.0):
        return mx.random.normal(shape=a.shape, scale=gain / math.sqrt(_fan(a, mode)),
                                dtype=dtype)

    return initializer


def he_uniform(dtype: mx.Dtype = mx.float32) -> Callable[..., mx.array]:
    r"""Samples :math:`\mathcal{U}(-L, L)`, :math:`L = \text{gain}\sqrt{3/\text{fan}}`."""
    def initializer(a, mode: Literal["fan_in", "fan_out"] = "fan_in", gain: float = 1.0):
        limit = gain * math.sqrt(3.0 / _fan(a, mode))
        return mx.random.uniform(-limit, limit, a.shape, dtype=dtype)

    return initializer


def sparse(sparsity: float, mean: float = 0.0, std: float = 1.0,
           dtype: mx.Dtype = mx.float32) -> Callable[[mx.array], mx.array]:
    r"""Normal samples with ``ceil(sparsity * cols)`` random zeros in each row
    (2-D arrays only)."""
    def initializer(a):
        if a.ndim != 2:
            raise ValueError("Only tensors with 2 dimensions are supported")
        rows, cols = a.shape
        zeros = int(math.ceil(sparsity * cols))
        order = mx.argsort(mx.random.uniform(shape=a.shape), axis=1)
        out = mx.random.normal(shape=a.shape, scale=std, loc=mean, dtype=dtype)
        # Zero the first `zeros` entries of a random permutation of each row.
        drop = mx.put_along_axis(mx.zeros(a.shape, mx.bool_), order[:, :zeros],
                                 mx.array(True), axis=1)
        return mx.where(drop, mx.zeros_like(out), out)

    return initializer


def orthogonal(gain: float = 1.0,
               dtype: mx.Dtype = mx.float32) -> Callable[[mx.array], mx.array]:
    """A (semi-)orthogonal matrix scaled by ``gain``, from the QR decomposition of
    a normal sample (2-D arrays only)."""
    def initializer(a):
        import numpy as np

        if a.ndim != 2:
            raise ValueError(
                f"Orthogonal initialization requires a 2D array but got a {a.ndim}D array.")
        rows, cols = a.shape
        n = max(rows, cols)
        # No QR op in mxc.core yet: the decomposition of the sample is done by NumPy.
        sample = np.asarray(mx.random.normal(shape=(n, n)), dtype=np.float64)
        q, r = np.linalg.qr(sample)
        q = q * np.sign(np.diag(r))
        return (mx.array(q[:rows, :cols].astype(np.float32)) * gain).astype(dtype)

    return initializer
