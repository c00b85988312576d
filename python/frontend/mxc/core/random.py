"""Random numbers from explicit keys (threefry-2x32), as ``mlx.core.random``.

A key is a ``uint32`` array of shape (2,). Functions without a ``key`` draw one
from a global key sequence (``seed`` resets it). Bits come from the dialect's
``random_bits`` op, so they are the same on every backend.
"""

from __future__ import annotations

import math
import time

import numpy as np

from . import _dtypes
from ._array import _from_numpy, _make, array
from ._ops import (_as_array, _normalize_axis, _shape_str, add, argmax, argsort, astype,
                   bitwise_or, broadcast_shapes, broadcast_to, clip, divide, erf, erfinv,
                   log, maximum, minimum, multiply, negative, reshape, right_shift, subtract,
                   take, less, sqrt)

__all__ = ["key", "split", "seed", "bits", "uniform", "normal", "randint", "bernoulli",
           "categorical", "truncated_normal", "permutation", "gumbel"]


def threefry2x32(key, x0, x1):
    """Reference threefry-2x32 in NumPy (uint32 arrays); used for the global key."""
    k0, k1 = np.uint32(key[0]), np.uint32(key[1])
    ks = [k0, k1, np.uint32(k0 ^ k1 ^ np.uint32(0x1BD11BDA))]
    rot = [[13, 15, 26, 6], [17, 29, 16, 24]]
    x0 = (x0 + ks[0]).astype(np.uint32)
    x1 = (x1 + ks[1]).astype(np.uint32)
    for g in range(5):
        for r in rot[g % 2]:
            x0 = (x0 + x1).astype(np.uint32)
            x1 = ((x1 << np.uint32(r)) | (x1 >> np.uint32(32 - r))).astype(np.uint32)
            x1 = x1 ^ x0
        x0 = (x0 + ks[(g + 1) % 3]).astype(np.uint32)
        x1 = (x1 + ks[(g + 2) % 3] + np.uint32(g + 1)).astype(np.uint32)
    return x0, x1


def _np_bits(key, n):
    """The dialect's random_bits in NumPy: N words from ``key``."""
    half = (n + 1) // 2
    j = np.arange(half, dtype=np.uint32)
    second = (j + np.uint32(half)).astype(np.uint32)
    second[second >= n] = 0  # past the end (odd n): 0, as MLX
    y0, y1 = threefry2x32(key, j, second)
    return np.concatenate([y0, y1])[:n] if n % 2 == 0 else np.concatenate([y0, y1[:-1]])


class _KeySequence:
    """The global key, kept in ``state`` (a list holding one key array, as MLX's
    ``mx.random.state``). Each draw splits it: threefry gives four words, the first
    two the next key, the last two the draw's key. Outside ``mx.compile`` the split
    runs at once in NumPy. In a compiled function that declares ``mx.random.state``
    in its ``inputs``/``outputs``, the split is part of the graph, so every call of
    the compiled function draws new numbers."""

    def __init__(self, s):
        self.state = [None]
        self.reset(s)

    def reset(self, s):
        self.state[0] = _from_numpy(
            np.array([(s >> 32) & 0xFFFFFFFF, s & 0xFFFFFFFF], dtype=np.uint32),
            _dtypes.uint32)

    def next(self):
        from . import _array

        current = self.state[0]
        traced = _array.compile_trace_inputs
        if traced and id(current) in traced[-1] or current._value is None:
            words = _make("random_bits", (current,), (), (4,), _dtypes.uint32)
            self.state[0] = words[:2]
            return words[2:]
        words = _np_bits(current._value, 4)
        self.state[0] = _from_numpy(words[:2].copy(), _dtypes.uint32)
        return _from_numpy(words[2:].copy(), _dtypes.uint32)


_state = _KeySequence(int(time.time_ns()) & 0xFFFFFFFFFFFF)
#: The global random state (MLX's ``mx.random.state``): pass it to ``mx.compile``'s
#: ``inputs`` and ``outputs`` so compiled functions draw new numbers on every call.
state = _state.state


def seed(s: int) -> None:
    """Seed the global key sequence."""
    _state.reset(int(s))


def key(s: int) -> array:
    """A key from an integer seed.

    >>> mx.random.key(3)
    array([0, 3], dtype=uint32)
    """
    s = int(s)
    return _from_numpy(np.array([(s >> 32) & 0xFFFFFFFF, s & 0xFFFFFFFF], np.uint32),
                       _dtypes.uint32)


def _key(k):
    if k is None:
        return _state.next()
    k = _as_array(k)
    if k.shape != (2,) or k.dtype != _dtypes.uint32:
        raise ValueError(f"[random] Expected a key of shape (2,) and dtype uint32, got "
                         f"{_shape_str(k.shape)} {k.dtype.name}.")
    return k


def _shape(shape):
    from ._ops import _shape_arg

    return _shape_arg(shape, "random")


def bits(shape=(), width: int = 4, key=None, stream=None) -> array:
    """Random bits: uint32 (``width=4``), uint16 (2) or uint8 (1)."""
    shape = _shape(shape)
    k = _key(key)
    if width not in (1, 2, 4):
        raise ValueError("[bits] width must be 1, 2 or 4.")
    out = _make("random_bits", (k,), (), shape, _dtypes.uint32)
    if width == 4:
        return out
    return astype(out, _dtypes.uint16 if width == 2 else _dtypes.uint8)


def split(key, num: int = 2, stream=None) -> array:
    """``num`` new keys from ``key``: an array of shape (num, 2)."""
    return bits((num, 2), key=_key(key))


def _unit_float(shape, k, dtype):
    """Uniform floats in [0, 1) from 23 random mantissa bits."""
    b = bits(shape, key=k)
    mant = bitwise_or(right_shift(b, 9), _from_numpy(np.array(0x3F800000, np.uint32),
                                                      _dtypes.uint32))
    one_two = _make("bitcast", (mant,), (), mant.shape, _dtypes.float32)
    u = subtract(one_two, 1.0)
    return astype(u, dtype)


def uniform(low=0.0, high=1.0, shape=(), dtype=_dtypes.float32, key=None, stream=None):
    """Uniform samples in ``[low, high)``."""
    if not dtype.is_float:
        raise ValueError(f"[uniform] Can only generate uniform numbers with real floating "
                         f"point type, got {dtype.name}.")
    lo = astype(_as_array(low), _dtypes.float32)
    hi = astype(_as_array(high), _dtypes.float32)
    shape = broadcast_shapes(_shape(shape), lo.shape, hi.shape)
    u = _unit_float(shape, _key(key), _dtypes.float32)
    out = astype(add(multiply(u, subtract(hi, lo)), lo), dtype)
    if isinstance(high, (int, float)):
        # Rounding may reach `high`: keep the interval half-open (on the side of `low`).
        toward = low if isinstance(low, (int, float)) else -np.inf
        below = np.nextafter(np.array(high, dtype.np), np.array(toward, dtype.np))
        bound = _from_numpy(np.asarray(below, dtype.np), dtype)
        out = maximum(out, bound) if toward > high else minimum(out, bound)
    return out


def normal(shape=(), dtype=_dtypes.float32, loc=0.0, scale=1.0, key=None, stream=None):
    """Standard normal samples (scaled by ``scale``, shifted by ``loc``)."""
    if not dtype.is_float:
        raise ValueError(f"[normal] Can only generate normal numbers with real floating point "
                         f"type, got {dtype.name}.")
    shape = _shape(shape)
    u = _unit_float(shape, _key(key), _dtypes.float32)
    # Map [0, 1) to (-1, 1) away from the endpoints, then through erfinv.
    lo = np.nextafter(np.float32(-1), np.float32(0))
    v = add(multiply(u, float(1 - lo)), float(lo))
    z = multiply(erfinv(v), math.sqrt(2.0))
    z = add(multiply(z, scale), loc)
    return astype(z, dtype)


def truncated_normal(lower, upper, shape=None, dtype=_dtypes.float32, key=None, stream=None):
    """Normal samples restricted to ``[lower, upper]``."""
    lower = astype(_as_array(lower), _dtypes.float32)
    upper = astype(_as_array(upper), _dtypes.float32)
    shape = broadcast_shapes(lower.shape, upper.shape) if shape is None else _shape(shape)
    broadcast_shapes(shape, lower.shape, upper.shape)
    s2 = math.sqrt(2.0)
    a = erf(divide(lower, s2))
    b = erf(divide(upper, s2))
    u = _unit_float(shape, _key(key), _dtypes.float32)
    v = add(a, multiply(u, subtract(b, a)))
    lo = np.nextafter(np.float32(-1), np.float32(0))
    v = clip(v, float(lo), float(-lo))
    z = multiply(erfinv(v), s2)
    return astype(clip(z, lower, upper), dtype)


def randint(low, high, shape=(), dtype=_dtypes.int32, key=None, stream=None):
    """Integers in ``[low, high)``."""
    if not dtype.is_integer:
        raise ValueError(f"[randint] randint only accepts integer dtypes, got {dtype.name}.")
    low = astype(_as_array(low), _dtypes.float32)
    high = astype(_as_array(high), _dtypes.float32)
    shape = broadcast_shapes(_shape(shape), low.shape, high.shape)
    u = _unit_float(shape, _key(key), _dtypes.float32)
    from ._ops import floor

    v = floor(add(multiply(u, subtract(high, low)), low))
    v = minimum(v, subtract(high, 1.0))
    return astype(v, dtype)


def bernoulli(p=0.5, shape=None, key=None, stream=None):
    """Booleans that are True with probability ``p``."""
    p = _as_array(p)
    shape = p.shape if shape is None else _shape(shape)
    broadcast_shapes(shape, p.shape)
    u = _unit_float(shape, _key(key), _dtypes.float32)
    return less(u, astype(p, _dtypes.float32))


def gumbel(shape=(), dtype=_dtypes.float32, key=None, stream=None):
    u = _unit_float(_shape(shape), _key(key), _dtypes.float32)
    tiny = float(np.finfo(np.float32).tiny)
    return astype(negative(log(negative(log(maximum(u, tiny))))), dtype)


def categorical(logits, axis: int = -1, shape=None, num_samples=None, key=None, stream=None):
    """Samples from the categorical distribution of ``logits`` along ``axis``."""
    logits = _as_array(logits)
    ax = _normalize_axis(axis, logits.ndim, "categorical")
    batch = logits.shape[:ax] + logits.shape[ax + 1:]
    if shape is not None and num_samples is not None:
        raise ValueError("[categorical] At most one of shape or num_samples can be specified.")
    if num_samples is not None:
        shape = batch + (num_samples,)
    out_shape = batch if shape is None else _shape(shape)
    from ._ops import expand_dims, moveaxis

    moved = moveaxis(logits, ax, -1)
    n = moved.shape[-1]
    if num_samples is not None:
        moved = expand_dims(moved, -2)
    target = out_shape + (n,)
    moved = broadcast_to(moved, target)
    g = gumbel(target, key=key)
    return argmax(add(moved, g), axis=-1)


def permutation(x, axis: int = 0, key=None, stream=None):
    """A random permutation of ``range(x)`` or of ``x`` along ``axis``."""
    if isinstance(x, (int, np.integer)):
        from ._ops import arange

        n = int(x)
        return argsort(bits((n,), key=key))  # uint32, as MLX
    x = _as_array(x)
    ax = _normalize_axis(axis, x.ndim, "permutation")
    order = argsort(bits((x.shape[ax],), key=key))
    return take(x, order, axis=ax)
