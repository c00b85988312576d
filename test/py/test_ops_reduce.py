"""Reductions, scans and softmax: values against NumPy, dtypes/errors against MLX."""

import mlx.core as mlx
import numpy as np
import pytest

import mxc.core as mx
from mxc_testutil import (ALL, FLOATS, INTS, assert_raises_like, check, computed_dtypes, data,
                          mlx_np, mxd,
                          mlxd, same_dtype, to_mlx)

# Every test runs with the CPU and with the GPU as default device (conftest.py).
pytestmark = pytest.mark.usefixtures("on_device")

# Distinct reductions only: two identical results in one program crash the compiler
# (test_eval_identical_results).
AXES = [None, 0, -1, 1, (0, 2), (-1, 1), ()]


def _np_reduce(name):
    return {"sum": np.sum, "prod": np.prod, "max": np.max, "min": np.min, "mean": np.mean,
            "var": np.var, "std": np.std, "all": np.all, "any": np.any}[name]


def _lse(x, axis=None, keepdims=False):
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis if axis is not None else None)


@pytest.mark.parametrize("op", ["sum", "prod", "max", "min", "mean", "var", "std", "all",
                                "any", "logsumexp"])
def test_reduce_axes_keepdims(op):
    """Every axis form (None, int, negative, tuple, (), all) with and without keepdims,
    evaluated in one program."""
    x = data((2, 3, 4), "float32", seed=1, low=0.5, high=1.5)
    if op in ("all", "any"):
        x = (data((2, 3, 4), "float32", seed=1) > 1.0).astype(np.float32)
    a = mx.array(x)
    outs, refs = [], []
    cases = [(axis, kd) for axis in AXES for kd in (False, True) if axis != () or not kd]
    for axis, keepdims in cases:
        if True:
            outs.append(getattr(mx, op)(a, axis=axis, keepdims=keepdims))
            ref_axis = axis if axis != () else ()
            if op == "logsumexp":
                ax = tuple(range(3)) if axis is None else ((axis,) if isinstance(axis, int)
                                                           else axis)
                refs.append(_lse(x.astype(np.float64), axis=ax, keepdims=keepdims) if ax
                            else x.astype(np.float64))
            else:
                refs.append(_np_reduce(op)(x.astype(np.float64), axis=ref_axis,
                                           keepdims=keepdims))
    mx.eval(outs)
    for out, ref in zip(outs, refs):
        check(out, ref, rtol=1e-5, atol=1e-5)
    # method form, and all axes spelled out
    check(getattr(a, op)(axis=-1), refs[4], rtol=1e-5, atol=1e-5)
    check(getattr(mx, op)(a, axis=(2, 0, 1)), refs[0], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("op", ["sum", "prod", "max", "min", "mean", "var", "all", "any",
                                "argmax", "argmin"])
def test_reduce_dtypes(op):
    """Result dtypes against MLX and values against NumPy for every real dtype."""
    names = computed_dtypes([n for n in ALL if n != "complex64"])
    outs, refs, theirs = [], [], []
    for name in names:
        x = data((3, 4), name, seed=2)
        if op == "prod" and name in INTS:
            x = data((3, 4), name, seed=2, low=1, high=3)
        a = mx.array(x, mxd(name))
        outs.append(getattr(mx, op)(a, axis=1))
        theirs.append(getattr(mlx, op)(to_mlx(a), axis=1))
        x64 = x.astype(np.float64) if name not in ("bool",) + tuple(INTS) else x
        if op in ("argmax", "argmin"):
            refs.append(getattr(np, op)(x64, axis=1))
        else:
            refs.append(_np_reduce(op)(x64, axis=1))
    mx.eval(outs)
    for name, out, ref, m in zip(names, outs, refs, theirs):
        assert same_dtype(out.dtype, m.dtype), (op, name, out.dtype, m.dtype)
        if name in INTS + ["bool"] and op in ("sum", "prod"):
            check(out, mlx_np(m))  # MLX's accumulator width
        else:
            check(out, ref, rtol=2e-2 if name in ("float16", "bfloat16") else 1e-5,
                  atol=2e-2 if name in ("float16", "bfloat16") else 1e-5)


def test_accumulation_widens():
    """Small integer sums accumulate in 32 bits (int8 sums don't wrap at 127)."""
    check(mx.sum(mx.array([100, 100, 100], mx.int8)), 300, dtype="int32")
    check(mx.sum(mx.array([200, 200], mx.uint8)), 400, dtype="uint32")
    check(mx.prod(mx.array([200, 2], mx.uint8)), 400, dtype="uint32")
    check(mx.sum(mx.array([True, True, True])), 3, dtype="int32")
    check(mx.sum(mx.array([2**40, 2**40], mx.int64)), 2**41, dtype="int64")
    check(mx.mean(mx.array([1, 2], mx.int64)), 1.5, dtype="float32")


def test_reduce_empty():
    e = mx.zeros((0, 3))
    check(mx.sum(e), 0.0)
    check(mx.sum(e, axis=0), [0, 0, 0])
    check(mx.prod(e, axis=0), [1, 1, 1])
    check(mx.all(e), True, dtype="bool")
    check(mx.any(e), False, dtype="bool")
    check(mx.max(e, axis=1), np.zeros((0,)))
    check(mx.mean(e), np.nan)
    check(mx.mean(e, axis=0), [np.nan] * 3)
    check(mx.var(e), np.nan)
    check(mx.sum(e, axis=1, keepdims=True), np.zeros((0, 1)))
    for fn in (lambda M: M.max(M.zeros((0, 3))), lambda M: M.min(M.zeros((0, 3)), axis=0),
               lambda M: M.argmax(M.zeros((0, 3))), lambda M: M.argmin(M.zeros((0, 3)), 1),
               lambda M: M.logsumexp(M.zeros((0, 3)))):
        assert_raises_like(lambda: fn(mx), lambda: fn(mlx))


def test_reduce_zero_d():
    z = mx.array(3.0)
    check(mx.sum(z), 3.0)
    check(mx.sum(z, axis=()), 3.0)
    check(mx.sum(z, keepdims=True), 3.0)
    check(mx.max(z), 3.0)
    check(mx.mean(z), 3.0)
    check(mx.argmax(z), 0, dtype="uint32")
    check(mx.sum(mx.array([1, 2]), axis=()), [1, 2], dtype="int32")


def test_reduce_nan_inf():
    x = np.array([[1.0, np.nan, 3.0], [np.inf, 2.0, -np.inf]], np.float32)
    a = mx.array(x)
    outs = [mx.max(a, 1), mx.min(a, 1), mx.sum(a, 1), mx.prod(a, 1), mx.mean(a, 1),
            mx.max(a, 0), mx.all(a, 1), mx.any(mx.array([0.0, np.nan]))]
    mx.eval(outs)
    check(outs[0], [np.nan, np.inf])
    check(outs[1], [np.nan, -np.inf])
    check(outs[2], [np.nan, np.nan])
    check(outs[3], [np.nan, -np.inf])
    check(outs[4], [np.nan, np.nan])
    check(outs[5], [np.inf, np.nan, 3.0])
    check(outs[6], [True, True])  # NaN is truthy
    check(outs[7], True)


def test_var_std_ddof():
    x = np.array([[1.0, 2.0, 4.0, 7.0], [0.5, 0.5, 0.5, 3.5]], np.float32)
    a = mx.array(x)
    for ddof in (0, 1, 2):
        check(mx.var(a, axis=1, ddof=ddof), np.var(x, axis=1, ddof=ddof))
        check(mx.std(a, axis=-1, ddof=ddof, keepdims=True),
              np.std(x, axis=-1, ddof=ddof, keepdims=True))
    check(mx.var(mx.array([1.0, 2.0]), ddof=2), np.inf)  # MLX and NumPy
    check(mx.var(mx.array([5, 5, 5], mx.int32)), 0.0, dtype="float32")


def test_argmax_argmin():
    x = np.array([[3, 1, 3, 0], [-1, 5, 5, 2], [2, 2, 2, 2]], np.int32)
    a = mx.array(x)
    outs = [mx.argmax(a), mx.argmin(a), mx.argmax(a, axis=0), mx.argmin(a, axis=1),
            mx.argmax(a, axis=-1, keepdims=True), mx.argmin(a, keepdims=True),
            mx.argmax(a, axis=0, keepdims=True)]
    mx.eval(outs)
    check(outs[0], np.argmax(x), dtype="uint32")
    check(outs[1], np.argmin(x))
    check(outs[2], np.argmax(x, axis=0))
    check(outs[3], np.argmin(x, axis=1))  # first of ties
    check(outs[4], np.argmax(x, axis=-1, keepdims=True))
    check(outs[5], np.argmin(x, keepdims=True).reshape(1, 1))
    check(outs[6], np.argmax(x, axis=0, keepdims=True))
    f = np.array([1.0, np.nan, 3.0, np.nan], np.float32)
    check(mx.argmax(mx.array(f)), 1)  # first NaN wins, as NumPy
    check(mx.argmin(mx.array(f)), 1)
    check(mx.argmax(mx.array([-np.inf, -np.inf])), 0)
    check(mx.argmax(mx.array([False, True, True])), 1)


def test_logsumexp_special():
    inf = np.inf
    check(mx.logsumexp(mx.array([-inf, -inf])), -inf)
    check(mx.logsumexp(mx.array([inf, 1.0])), inf)
    check(mx.logsumexp(mx.array([np.nan, 1.0])), np.nan)
    check(mx.logsumexp(mx.array([1000.0, 1000.0])), 1000 + np.log(2))
    check(mx.logsumexp(mx.array([[-1000.0, -1000.0], [0.0, -inf]]), axis=1),
          [-1000 + np.log(2), 0.0])
    check(mx.logsumexp(mx.array([1, 2])), np.log(np.e + np.e**2), dtype="float32")


@pytest.mark.parametrize("axis", [None, 0, -1, 1, (0, 1)])
def test_softmax(axis):
    x = data((3, 4), "float32", seed=3)
    a = mx.array(x)
    ax = tuple(range(2)) if axis is None else axis
    e = np.exp(x - x.max(axis=ax, keepdims=True))
    check(mx.softmax(a, axis=axis), e / e.sum(axis=ax, keepdims=True))
    check(mx.softmax(a, axis=axis, precise=True), e / e.sum(axis=ax, keepdims=True))


def test_softmax_special_and_dtypes():
    inf = np.inf
    check(mx.softmax(mx.array([-inf, 0.0])), [0, 1])
    check(mx.softmax(mx.array([1000.0, 1000.0])), [0.5, 0.5])
    check(mx.softmax(mx.array([-inf, -inf])), [np.nan, np.nan])
    check(mx.softmax(mx.array(2.0)), 1.0)
    for name in computed_dtypes(("float16", "bfloat16", "float64")):
        x = mx.array([1.0, 2.0, 3.0], mxd(name))
        r, m = mx.softmax(x, axis=-1), mlx.softmax(to_mlx(x), axis=-1)
        assert same_dtype(r.dtype, m.dtype)
        e = np.exp(np.array([1.0, 2.0, 3.0]) - 3.0)
        check(r, e / e.sum())  # the dtype's tolerance
    check(mx.softmax(mx.array([[1, 2]], mx.int32), axis=-1),
          mlx_np(mlx.softmax(mlx.array([[1, 2]]), axis=-1)), dtype="float32")


# ----------------------------------------------------------------- scans

SCANS = {"cumsum": np.cumsum, "cumprod": np.cumprod, "cummax": np.maximum.accumulate,
         "cummin": np.minimum.accumulate}


def _np_scan(op, x, axis, reverse, inclusive):
    f = SCANS[op]
    if axis is None:
        x, axis = x.reshape(-1), 0
    if reverse:
        x = np.flip(x, axis)
    out = f(x, axis=axis)
    if not inclusive:
        ident = {"cumsum": 0, "cumprod": 1}.get(op)
        if ident is None:
            info = (np.finfo if x.dtype.kind == "f" else np.iinfo)(x.dtype)
            ident = (-np.inf if op == "cummax" else np.inf) if x.dtype.kind == "f" else (
                info.min if op == "cummax" else info.max)
        pad = np.full_like(np.take(out, [0], axis=axis), ident)
        out = np.concatenate([pad, np.delete(out, -1, axis=axis)], axis=axis)
    if reverse:
        out = np.flip(out, axis)
    return out


@pytest.mark.parametrize("op", list(SCANS))
def test_scans(op):
    """All combinations of axis, reverse and inclusive in one program per op."""
    x = data((3, 4), "int32", seed=4, low=-3, high=4)
    if op == "cumprod":
        x = data((3, 4), "int32", seed=4, low=1, high=4)
    a = mx.array(x)
    cases = [(axis, rev, inc) for axis in (None, 0, 1, -1) for rev in (False, True)
             for inc in (True, False)]
    outs = [getattr(mx, op)(a, axis=axis, reverse=rev, inclusive=inc)
            for axis, rev, inc in cases]
    mx.eval(outs)
    for (axis, rev, inc), out in zip(cases, outs):
        check(out, _np_scan(op, x, axis, rev, inc), dtype="int32")
    check(getattr(a, op)(axis=1), _np_scan(op, x, 1, False, True))


@pytest.mark.parametrize("op", list(SCANS))
def test_scan_dtypes(op):
    names = computed_dtypes(["bool", "uint8", "int8", "int16", "int32", "uint32", "int64",
                             "float16", "bfloat16", "float32", "float64"])
    outs, theirs, xs = [], [], []
    for name in names:
        x = data((5,), name, seed=5, low=1, high=3) if name in INTS else data((5,), name, 5)
        a = mx.array(x, mxd(name))
        outs.append(getattr(mx, op)(a))
        theirs.append(getattr(mlx, op)(to_mlx(a)))
        xs.append(x)
    mx.eval(outs)
    for name, out, m, x in zip(names, outs, theirs, xs):
        assert same_dtype(out.dtype, m.dtype), (op, name, out.dtype, m.dtype)
        check(out, mlx_np(m), rtol=1e-2, atol=1e-2)


def test_scan_float_special():
    x = np.array([1.0, np.nan, 3.0, -np.inf], np.float32)
    a = mx.array(x)
    check(mx.cumsum(a), np.cumsum(x))
    check(mx.cummax(a), [1, np.nan, np.nan, np.nan])  # NaN propagates (MLX)
    check(mx.cummin(mx.array([1.0, 0.0, -np.inf, 2.0])), [1, 0, -np.inf, -np.inf])
    check(mx.cummax(mx.array([1.0, 3.0, 2.0]), inclusive=False), [-np.inf, 1, 3])
    check(mx.cummin(mx.array([1, 3, 2], mx.uint8), inclusive=False), [255, 1, 1])
    check(mx.cumsum(mx.array(3)), [3])
    check(mx.cumsum(mx.zeros((0,))), np.zeros((0,)))
    check(mx.cumsum(mx.array([[1.5, 2.5]]), axis=0), [[1.5, 2.5]])


def test_trace_diag_reductions():
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    check(mx.trace(mx.array(x)), np.trace(x))
    check(mx.trace(mx.array(x), offset=1), np.trace(x, offset=1))
    check(mx.trace(mx.array(x), offset=-1), np.trace(x, offset=-1))
    y = np.arange(24, dtype=np.int32).reshape(2, 3, 4)
    check(mx.trace(mx.array(y), axis1=1, axis2=2), np.trace(y, axis1=1, axis2=2))
    check(mx.trace(mx.array(y), 0, 0, 2), np.trace(y, 0, 0, 2))
    check(mx.trace(mx.array(x), dtype=mx.int32), 15, dtype="int32")


def test_reduce_errors():
    z, m = mx.zeros((2, 3)), mlx.zeros((2, 3))
    for op in ("sum", "prod", "max", "min", "mean", "var", "std", "all", "any",
               "logsumexp"):
        assert_raises_like(lambda: getattr(mx, op)(z, axis=2),
                           lambda: getattr(mlx, op)(m, axis=2))
        assert_raises_like(lambda: getattr(mx, op)(z, axis=-3),
                           lambda: getattr(mlx, op)(m, axis=-3))
        assert_raises_like(lambda: getattr(mx, op)(z, axis=(0, 0)),
                           lambda: getattr(mlx, op)(m, axis=(0, 0)))
        assert_raises_like(lambda: getattr(mx, op)(z, axis=(0, -2)),
                           lambda: getattr(mlx, op)(m, axis=(0, -2)))
    for op in ("argmax", "argmin", "cumsum", "cumprod", "cummax", "cummin", "softmax"):
        assert_raises_like(lambda: getattr(mx, op)(z, axis=2),
                           lambda: getattr(mlx, op)(m, axis=2))
    assert_raises_like(lambda: mx.argmax(z, axis=(0, 1)), lambda: mlx.argmax(m, axis=(0, 1)))
    assert_raises_like(lambda: mx.sum(mx.array(1.0), axis=0),
                       lambda: mlx.sum(mlx.array(1.0), axis=0))
    assert_raises_like(lambda: mx.argmax(mx.array(1.0), axis=0),
                       lambda: mlx.argmax(mlx.array(1.0), axis=0))
    assert_raises_like(lambda: mx.trace(mx.zeros((3,))), lambda: mlx.trace(mlx.zeros((3,))))


@pytest.mark.parametrize("n", [16383, 16384, 20000, 1 << 17, 777000])
@pytest.mark.parametrize("dtype", [np.float32, np.int32])
def test_argmax_argmin_of_long_vectors(n, dtype):
    """Over 16384 elements, a 1-D argmax runs in two stages (blocks of 1024, the tail
    padded, then the blocks' winners): the first of equal values still wins, a NaN
    wins, and an all -inf vector gives 0. (One GPU thread used to scan the whole
    vector: lavapipe stopped it after 65535 elements.)"""
    rng = np.random.default_rng(n)
    x = (rng.standard_normal(n) * 100).astype(dtype)
    x[rng.integers(0, n, 5)] = x.max()
    x[rng.integers(0, n, 5)] = x.min()
    a = mx.array(x)
    assert (mx.argmax(a).item(), mx.argmin(a).item()) == (x.argmax(), x.argmin())
    if dtype == np.float32:
        x[[n // 2, n - 1]] = np.nan
        assert mx.argmax(mx.array(x)).item() == n // 2 == np.argmax(x)
        assert mx.argmax(mx.full((n,), -np.inf)).item() == 0
    m = x.reshape(-1, 1)  # over all axes of a 2-D array: flattened first
    assert mx.argmin(mx.array(m)).item() == np.argmin(m)


LONG_SCANS = {"cumsum": np.cumsum, "cumprod": np.cumprod,
              "cummax": np.maximum.accumulate, "cummin": np.minimum.accumulate}


def _scan_reference(name, x, axis, reverse, inclusive):
    if reverse:
        x = np.flip(x, axis)
    r = LONG_SCANS[name](x, axis=axis)
    if not inclusive:
        first = {"cumsum": 0, "cumprod": 1}.get(name)
        if first is None:
            info = np.finfo(x.dtype) if x.dtype.kind == "f" else np.iinfo(x.dtype)
            first = -np.inf if x.dtype.kind == "f" and name == "cummax" else (
                np.inf if x.dtype.kind == "f" else (info.min if name == "cummax" else info.max))
        head = np.full(tuple(1 if d == axis else s for d, s in enumerate(x.shape)), first, r.dtype)
        r = np.concatenate([head, np.delete(r, -1, axis=axis)], axis=axis)
    return np.flip(r, axis) if reverse else r


@pytest.mark.parametrize("name", sorted(LONG_SCANS))
@pytest.mark.parametrize("shape,axis", [((70001,), 0), ((16385,), 0), ((3, 20000), 1),
                                        ((70000, 2), 0), ((2, 1 << 21), 1)])
def test_long_scans_in_blocks(name, shape, axis):
    """A scan along more than 16384 elements (with few rows, or past 65535) runs in
    blocks of 1024: blocks scanned in parallel, their totals scanned, offsets
    combined in (lavapipe stops a GPU thread's loop after 65535 iterations, and the
    CPU spreads the blocks over its threads). Values that add and multiply exactly,
    so the order of the combination cannot hide an error; both directions, both
    inclusive and exclusive, float32, int32 and uint8 (cummin)."""
    rng = np.random.default_rng(len(shape) * 7 + shape[axis])
    if name == "cumprod":
        # Windows of 16 holding four 2s, four 0.5s and eight 1s in random order: the
        # running product stays within 2^-4 .. 2^4 (an overflow would make the
        # order of the combination visible).
        n = int(np.prod(shape))
        window = np.array([2.0] * 4 + [0.5] * 4 + [1.0] * 8, np.float32)
        keys = rng.random((-(-n // 16), 16)).argsort(axis=1)
        x = window[keys].reshape(-1)[:n].reshape(np.moveaxis(np.empty(shape), axis, -1).shape)
        x = np.ascontiguousarray(np.moveaxis(x, -1, axis))
    elif name == "cummin":
        x = rng.integers(0, 255, shape).astype(np.uint8)
    else:
        x = rng.integers(-8, 8, shape).astype(np.int32 if name == "cumsum" and axis else np.float32)
    for reverse in (False, True):
        for inclusive in (True, False):
            got = getattr(mx, name)(mx.array(x), axis=axis, reverse=reverse, inclusive=inclusive)
            want = _scan_reference(name, x, axis, reverse, inclusive)
            assert got.dtype == mx.array(x).dtype
            np.testing.assert_array_equal(np.array(got), want.astype(x.dtype))
    z = (x[..., :3000] if axis else x[:3000]).astype(np.complex64) * (1 + 1j)
    if name == "cumsum":
        check(mx.cumsum(mx.array(np.tile(z, (8,) + (1,) * (z.ndim - 1))), axis=0),
              np.cumsum(np.tile(z, (8,) + (1,) * (z.ndim - 1)), axis=0))
