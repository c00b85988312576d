"""Shared helpers for the op tests: NumPy is the oracle for values, MLX for dtypes,
error types and repr."""

from __future__ import annotations

import ml_dtypes
import mlx.core as mlx
import numpy as np
import pytest

import mxc.core as mx

# name -> (mxc dtype, mlx dtype, numpy dtype)
DTYPES = {
    "bool": (mx.bool_, mlx.bool_, np.bool_),
    "uint8": (mx.uint8, mlx.uint8, np.uint8),
    "uint16": (mx.uint16, mlx.uint16, np.uint16),
    "uint32": (mx.uint32, mlx.uint32, np.uint32),
    "uint64": (mx.uint64, mlx.uint64, np.uint64),
    "int8": (mx.int8, mlx.int8, np.int8),
    "int16": (mx.int16, mlx.int16, np.int16),
    "int32": (mx.int32, mlx.int32, np.int32),
    "int64": (mx.int64, mlx.int64, np.int64),
    "float16": (mx.float16, mlx.float16, np.float16),
    "bfloat16": (mx.bfloat16, mlx.bfloat16, ml_dtypes.bfloat16),
    "float32": (mx.float32, mlx.float32, np.float32),
    "float64": (mx.float64, mlx.float64, np.float64),
    "complex64": (mx.complex64, mlx.complex64, np.complex64),
}
ALL = list(DTYPES)
INTS = ["uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64"]
FLOATS = ["float16", "bfloat16", "float32", "float64"]
REAL = ["bool"] + INTS + FLOATS


def mxd(name):
    return DTYPES[name][0]


def mlxd(name):
    return DTYPES[name][1]


def npd(name):
    return DTYPES[name][2]


def data(shape, name, seed=0, low=None, high=None):
    """Deterministic NumPy test data of dtype ``name`` (small magnitudes so that no
    integer type overflows in sums and products)."""
    rng = np.random.default_rng(seed)
    if name == "bool":
        return rng.random(shape) < 0.5
    if name.startswith("uint"):
        lo, hi = (0, 6) if low is None else (low, high)
        return rng.integers(lo, hi, size=shape).astype(npd(name))
    if name.startswith("int"):
        lo, hi = (-5, 6) if low is None else (low, high)
        return rng.integers(lo, hi, size=shape).astype(npd(name))
    if name == "complex64":
        return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(
            np.complex64)
    lo, hi = (-3.0, 3.0) if low is None else (low, high)
    return rng.uniform(lo, hi, size=shape).astype(npd(name))


def to_np(a):
    """An mxc array's values as NumPy (bfloat16 as float32)."""
    v = np.array(a)
    if v.dtype == ml_dtypes.bfloat16:
        v = v.astype(np.float32)
    return v


def to_mlx(x):
    """An mlx array with the values and dtype of ``x`` (an mxc array or NumPy)."""
    if isinstance(x, mx.array):
        name = x.dtype.name
        v = np.array(x)
        if name == "bfloat16":
            return mlx.array(v.astype(np.float32)).astype(mlx.bfloat16)
        return mlx.array(v).astype(mlxd(name))
    return x


def same_dtype(a, m):
    """An mxc dtype equals an MLX dtype."""
    return str(a) == str(m)


def assert_dtype(a, expected):
    """``a`` (mxc array) has dtype ``expected`` (an mxc or MLX dtype or a name)."""
    if isinstance(expected, str):
        assert a.dtype.name == expected, (a.dtype, expected)
    else:
        assert str(a.dtype) == str(expected), (a.dtype, expected)


def tol(dtype_name):
    return {"float16": (2e-3, 2e-3), "bfloat16": (1.6e-2, 1.6e-2),
            "float64": (1e-12, 1e-12)}.get(dtype_name, (2e-5, 2e-6))


def check(a, expected, dtype=None, rtol=None, atol=None):
    """``a`` (mxc array) has the values and shape of ``expected`` (NumPy-like),
    and dtype ``dtype`` when given. NaNs must match NaNs."""
    assert isinstance(a, mx.array), type(a)
    if dtype is not None:
        assert_dtype(a, dtype)
    got = to_np(a)
    exp = np.asarray(expected)
    assert got.shape == exp.shape, (got.shape, exp.shape)
    if a.dtype.is_inexact or exp.dtype.kind in "fc":
        r, t = tol(a.dtype.name)
        rtol = r if rtol is None else rtol
        atol = t if atol is None else atol
        kind = np.complex128 if (got.dtype.kind == "c" or exp.dtype.kind == "c") else np.float64
        np.testing.assert_allclose(got.astype(kind), exp.astype(kind), rtol=rtol, atol=atol,
                                   equal_nan=True)
    else:
        np.testing.assert_array_equal(got, exp)


def error_type(fn):
    """The exception type ``fn()`` raises (None when it does not raise)."""
    try:
        r = fn()
        if isinstance(r, mx.array):
            mx.eval(r)
        elif isinstance(r, mlx.array):
            mlx.eval(r)
    except Exception as e:  # noqa: BLE001
        return type(e)
    return None


def assert_raises_like(fn_mx, fn_mlx):
    """Both raise, and mxc's exception is an instance of MLX's exception type."""
    t_mlx = error_type(fn_mlx)
    assert t_mlx is not None, "MLX does not raise: the test is wrong"
    try:
        r = fn_mx()
        if isinstance(r, mx.array):
            mx.eval(r)
    except Exception as e:  # noqa: BLE001
        assert isinstance(e, t_mlx), f"mxc raised {type(e).__name__}: {e}; MLX raises {t_mlx}"
        return e
    pytest.fail(f"mxc did not raise; MLX raises {t_mlx.__name__}")


def both(fn, *args, **kwargs):
    """``fn(mx, *args)`` and ``fn(mlx, *mlx_args)`` where mxc arrays in args are
    converted for the MLX call."""
    r_mx = fn(mx, *args, **kwargs)
    r_mlx = fn(mlx, *[to_mlx(a) for a in args],
               **{k: to_mlx(v) for k, v in kwargs.items()})
    return r_mx, r_mlx


def mlx_np(m):
    """An mlx array's values as NumPy (bfloat16 as float32)."""
    if m.dtype == mlx.bfloat16:
        m = m.astype(mlx.float32)
    return np.array(m)


def on_gpu_refuses(*names):
    """A context for computing with dtypes ``names``: on the GPU (the default
    device), float64 must raise the GPU's refusal (MLX's
    ``ValueError: float64 is not supported on the GPU``); elsewhere it does
    nothing. Use inside loops over dtypes: ``with on_gpu_refuses(name): check(...)``."""
    import contextlib

    from mxc.core._device import GPU_UNSUPPORTED_DTYPES

    refused = [n for n in names if n in GPU_UNSUPPORTED_DTYPES]
    if refused and mx.default_device() == mx.gpu:
        return pytest.raises(ValueError, match=f"({'|'.join(refused)}) is not supported "
                             "on the GPU")
    return contextlib.nullcontext()


def on_gpu():
    """Whether the GPU is the default device (the ``[gpu]`` half of a test)."""
    return mx.default_device() == mx.gpu


def gpu_flushes_subnormals():
    """Whether the default device is a GPU that flushes float32 subnormals to zero.
    Kernels ask for DenormPreserve where the device reports it (Vulkan's float
    controls); the H100's driver does not, and flushes, as Apple's GPUs do. NumPy's
    expectations are then taken with zeros for subnormal inputs (``flush_subnormals``)."""
    return on_gpu() and (mx.array([1e-45], mx.float32) * 2.0**100).item() == 0.0


def flush_subnormals(x):
    """``x`` (NumPy floats) with float32 subnormals replaced by zeros of their sign."""
    x = np.asarray(x)
    tiny = np.finfo(np.float32).tiny
    return np.where(np.abs(x) < tiny, np.copysign(np.zeros_like(x), x), x)


def work_float():
    """The precision of derivative checks: float64 on the CPU; float32 on the GPU,
    which has no float64 (MLX's rule). References stay float64 on the CPU."""
    return mx.float32 if on_gpu() else mx.float64


def f64(x):
    """``x`` as an array of the working precision (``work_float``)."""
    return mx.array(np.asarray(x, dtype=np.float64), dtype=work_float())


def gtol(t, floor=2e-4):
    """A float64 tolerance ``t`` as float32 on the GPU can meet it."""
    return max(t, floor) if on_gpu() else t


def computed_dtypes(names):
    """The dtype names among ``names`` the default device computes: all of them on
    the CPU; on the GPU all but float64 and complex64, whose refusal
    test_gpu.py::test_gpu_refuses_float64_and_complex64 checks op by op."""
    from mxc.core._device import GPU_UNSUPPORTED_DTYPES

    if not on_gpu():
        return list(names)
    return [n for n in names if getattr(n, "name", n) not in GPU_UNSUPPORTED_DTYPES]
