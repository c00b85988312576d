"""Elementwise ops: values against NumPy, dtypes and errors against MLX."""

import math

import mlx.core as mlx
import numpy as np
import pytest

import mxc.core as mx
from mxc_testutil import (ALL, DTYPES, FLOATS, INTS, assert_dtype, assert_raises_like, check,
                          computed_dtypes,
                          data, mlx_np, mxd, mlxd, npd, same_dtype, to_mlx, to_np)

# Every test runs with the CPU and with the GPU as default device (conftest.py).
pytestmark = pytest.mark.usefixtures("on_device")

UNARY = ["abs", "negative", "sign", "square", "sqrt", "rsqrt", "reciprocal", "exp", "expm1",
         "log", "log1p", "log2", "log10", "sin", "cos", "tan", "arcsin", "arccos", "arctan",
         "sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh", "erf", "erfinv", "sigmoid",
         "floor", "ceil", "round", "logical_not", "bitwise_invert", "isnan", "isinf",
         "isposinf", "isneginf", "isfinite", "degrees", "radians", "stop_gradient",
         "nan_to_num"]
BINARY = ["add", "subtract", "multiply", "divide", "floor_divide", "remainder", "power",
          "maximum", "minimum", "arctan2", "logaddexp", "equal", "not_equal", "less",
          "less_equal", "greater", "greater_equal", "logical_and", "logical_or", "bitwise_and",
          "bitwise_or", "bitwise_xor", "left_shift", "right_shift"]

# Known, deliberate differences from MLX's dtype results.
UNARY_EXCEPTIONS = {
    ("abs", "complex64"),  # MLX: float32 magnitude (no complex lowering in mxc)
    ("nan_to_num", "float64"), ("nan_to_num", "complex64"),  # MLX refuses these
}


def _result(M, fn):
    """The result dtype's name, or the exception type raised."""
    try:
        r = fn(M)
        return str(r.dtype)
    except Exception as e:  # noqa: BLE001
        return type(e)


def _agree(ours, theirs):
    if isinstance(theirs, type):
        return isinstance(ours, type) and issubclass(ours, theirs)
    return ours == theirs


def _z(M, name, shape=(2, 2)):
    return M.zeros(shape, mxd(name) if M is mx else mlxd(name))


@pytest.mark.cpu_only(reason="dtype promotion against MLX without evaluation: the same "
                       "on every device (the GPU's float64/complex64 refusal is checked in "
                       "test_gpu.py)")
@pytest.mark.parametrize("op", UNARY)
def test_unary_dtype_table(op):
    """Result dtype (or the error type) for every input dtype, against MLX."""
    for name in ALL:
        if (op, name) in UNARY_EXCEPTIONS:
            continue
        ours = _result(mx, lambda M: getattr(M, op)(_z(M, name)))
        theirs = _result(mlx, lambda M: getattr(M, op)(_z(M, name)))
        assert _agree(ours, theirs), (op, name, ours, theirs)


@pytest.mark.cpu_only(reason="dtype promotion against MLX without evaluation: the same "
                       "on every device (the GPU's float64/complex64 refusal is checked in "
                       "test_gpu.py)")
@pytest.mark.parametrize("op", BINARY)
def test_binary_dtype_table(op):
    """Result dtype for every pair of input dtypes, against MLX (no evaluation)."""
    bad = []
    for n1 in ALL:
        for n2 in ALL:
            ours = _result(mx, lambda M: getattr(M, op)(_z(M, n1), _z(M, n2, (2,))))
            theirs = _result(mlx, lambda M: getattr(M, op)(_z(M, n1), _z(M, n2, (2,))))
            if not _agree(ours, theirs):
                bad.append((n1, n2, ours, theirs))
    assert not bad, bad


SCALARS = [True, 2, -2, 2.5, 300, 1j, float("inf")]


@pytest.mark.cpu_only(reason="dtype promotion against MLX without evaluation: the same "
                       "on every device (the GPU's float64/complex64 refusal is checked in "
                       "test_gpu.py)")
@pytest.mark.parametrize("op", BINARY + ["where"])
def test_scalar_dtype_table(op):
    """array op scalar and scalar op array (weak Python scalars, overflow errors)."""
    bad = []
    for name in ALL:
        for s in SCALARS:
            for first in (True, False):
                def fn(M):
                    a = _z(M, name)
                    if op == "where":
                        c = M.array([True, False])
                        return M.where(c, a, s) if first else M.where(c, s, a)
                    f = getattr(M, op)
                    return f(a, s) if first else f(s, a)

                ours, theirs = _result(mx, fn), _result(mlx, fn)
                if not _agree(ours, theirs):
                    bad.append((name, s, first, ours, theirs))
    assert not bad, bad


def test_result_type_and_promote():
    for n1 in ALL:
        for n2 in ALL:
            assert same_dtype(mx.promote_types(mxd(n1), mxd(n2)),
                              (mlx.zeros((1,), mlxd(n1)) + mlx.zeros((1,), mlxd(n2))).dtype)
    assert mx.result_type(mx.zeros((1,), mx.int8), 1) == mx.int8
    assert mx.result_type(mx.zeros((1,), mx.int8), 1.0) == mx.float32
    assert mx.result_type(mx.zeros((1,), mx.float16), mx.int64) == mx.float16
    assert mx.result_type(1, 2.0) == mx.float32
    assert mx.issubdtype(mx.int8, mx.signedinteger)
    assert mx.issubdtype(mx.uint8, mx.integer) and not mx.issubdtype(mx.uint8, mx.floating)
    assert mx.issubdtype(mx.bfloat16, mx.floating) and mx.issubdtype(mx.float16, mx.inexact)
    assert mx.issubdtype(mx.complex64, mx.complexfloating)
    assert mx.issubdtype(mx.float32, mx.float32) and not mx.issubdtype(mx.float32, mx.float16)
    for name in ALL:
        for cat in ("integer", "floating", "inexact", "number", "signedinteger",
                    "unsignedinteger", "complexfloating", "generic"):
            assert mx.issubdtype(mxd(name), getattr(mx, cat)) == mlx.issubdtype(
                mlxd(name), getattr(mlx, cat)), (name, cat)


# ----------------------------------------------------------------- unary values

# op -> (numpy reference, domain (low, high))
UNARY_REF = {
    "abs": (np.abs, (-3, 3)), "negative": (np.negative, (-3, 3)), "sign": (np.sign, (-3, 3)),
    "square": (np.square, (-3, 3)), "sqrt": (np.sqrt, (0, 4)),
    "rsqrt": (lambda x: 1 / np.sqrt(x), (0.1, 4)), "reciprocal": (np.reciprocal, (0.5, 3)),
    "exp": (np.exp, (-3, 3)), "expm1": (np.expm1, (-1, 1)), "log": (np.log, (0.1, 5)),
    "log1p": (np.log1p, (-0.5, 3)), "log2": (np.log2, (0.1, 5)),
    "log10": (np.log10, (0.1, 5)), "sin": (np.sin, (-3, 3)), "cos": (np.cos, (-3, 3)),
    "tan": (np.tan, (-1.2, 1.2)), "arcsin": (np.arcsin, (-0.99, 0.99)),
    "arccos": (np.arccos, (-0.99, 0.99)), "arctan": (np.arctan, (-3, 3)),
    "sinh": (np.sinh, (-3, 3)), "cosh": (np.cosh, (-3, 3)), "tanh": (np.tanh, (-3, 3)),
    "arcsinh": (np.arcsinh, (-3, 3)), "arccosh": (np.arccosh, (1, 4)),
    "arctanh": (np.arctanh, (-0.9, 0.9)),
    "erf": (np.vectorize(math.erf), (-2, 2)),
    "sigmoid": (lambda x: 1 / (1 + np.exp(-x)), (-5, 5)),
    "floor": (np.floor, (-3, 3)), "ceil": (np.ceil, (-3, 3)), "round": (np.round, (-3, 3)),
    "degrees": (np.degrees, (-3, 3)), "radians": (np.radians, (-100, 100)),
    "stop_gradient": (lambda x: x, (-3, 3)),
}


def _erfinv_ref(y):
    # Newton on erf (float64): accurate to ~1e-12 in this domain.
    x = np.zeros_like(y, dtype=np.float64)
    erf = np.vectorize(math.erf)
    for _ in range(60):
        x = x - (erf(x) - y) / (2 / math.sqrt(math.pi) * np.exp(-x * x))
    return x


@pytest.mark.parametrize("name", ["float32", "float16", "bfloat16", "float64"])
def test_unary_float_values(name):
    """Every float unary op on one array per dtype, evaluated in one program."""
    outs, refs = [], []
    for i, (op, (ref, (lo, hi))) in enumerate(UNARY_REF.items()):
        x = data((3, 4), name, seed=i, low=lo, high=hi)
        x64 = x.astype(np.float64)
        if op == "round":
            x = (np.round(x64 * 2) / 2).astype(x.dtype)  # exact halves: half to even
            x64 = x.astype(np.float64)
        outs.append(getattr(mx, op)(mx.array(x, mxd(name))))
        refs.append(ref(x64))
    mx.eval(outs)
    for op, out, ref in zip(UNARY_REF, outs, refs):
        assert_dtype(out, name)
        rtol, atol = {"float16": (3e-3, 3e-3), "bfloat16": (2e-2, 2e-2),
                      "float64": (1e-10, 1e-10)}.get(name, (3e-5, 3e-6))
        if op in ("tan", "arctanh", "cosh", "sinh", "exp", "degrees"):
            rtol *= 4
        if name in ("float16", "bfloat16") and op == "radians":
            atol *= 2
        check(out, ref, rtol=rtol, atol=atol)


@pytest.mark.parametrize("name", ["float32", "float16", "bfloat16", "float64"])
def test_erfinv(name):
    x = data((3, 4), name, seed=7, low=-0.95, high=0.95)
    # float64: single precision accuracy, as MLX
    rtol, atol = {"float16": (1e-2, 1e-2), "bfloat16": (4e-2, 4e-2)}.get(name, (1e-4, 1e-5))
    check(mx.erfinv(mx.array(x, mxd(name))), _erfinv_ref(x.astype(np.float64)), dtype=name,
          rtol=rtol, atol=atol)


def test_erfinv_domain_ends():
    check(mx.erfinv(mx.array([-1.0, 1.0, 0.0, 2.0])), [-np.inf, np.inf, 0, np.nan])


def test_unary_integer_inputs():
    """Float ops on integers compute in float32; floor/ceil/round keep integers."""
    x = np.array([[1, 2, 3], [4, 5, 6]], np.int32)
    a = mx.array(x)
    outs = [mx.sqrt(a), mx.exp(mx.array(x, mx.int8)), mx.log(mx.array(x, mx.uint16)),
            mx.sin(mx.array(x > 2)), mx.floor(a), mx.ceil(mx.array(x, mx.uint8)),
            mx.round(a), mx.square(mx.array(x, mx.int16)), mx.abs(-a), mx.sign(-a),
            mx.negative(mx.array(x, mx.uint8)), mx.degrees(a)]
    mx.eval(outs)
    check(outs[0], np.sqrt(x), dtype="float32")
    check(outs[1], np.exp(x), dtype="float32")
    check(outs[2], np.log(x), dtype="float32")
    check(outs[3], np.sin((x > 2).astype(np.float32)), dtype="float32")
    check(outs[4], x, dtype="int32")
    check(outs[5], x, dtype="uint8")
    check(outs[6], x, dtype="int32")
    check(outs[7], x**2, dtype="int16")
    check(outs[8], x, dtype="int32")
    check(outs[9], -np.ones_like(x), dtype="int32")
    check(outs[10], (-x).astype(np.uint8), dtype="uint8")  # wraps
    check(outs[11], np.degrees(x), dtype="float32")


def test_unary_special_values():
    x = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, -1.0, 1.0], np.float32)
    a = mx.array(x)
    ops = {"exp": np.exp, "log": np.log, "sqrt": np.sqrt, "log1p": np.log1p,
           "tanh": np.tanh, "sigmoid": lambda v: 1 / (1 + np.exp(-v)), "abs": np.abs,
           "sign": np.sign, "floor": np.floor, "reciprocal": lambda v: 1 / v,
           "arctan": np.arctan, "sin": np.sin, "square": np.square, "negative": np.negative,
           "expm1": np.expm1, "rsqrt": lambda v: 1 / np.sqrt(v), "log2": np.log2,
           "erf": np.vectorize(lambda v: math.erf(v) if not math.isnan(v) else v)}
    with np.errstate(all="ignore"):
        refs = {k: f(x.astype(np.float64)) for k, f in ops.items()}
    outs = {k: getattr(mx, k)(a) for k in ops}
    mx.eval(list(outs.values()))
    for k in ops:
        check(outs[k], refs[k], rtol=1e-5, atol=1e-6)
    check(mx.arcsin(mx.array([2.0])), [np.nan])
    check(mx.arccosh(mx.array([0.5])), [np.nan])


def test_predicates():
    x = np.array([0.0, np.inf, -np.inf, np.nan, -2.5], np.float32)
    outs = [mx.isnan(mx.array(x)), mx.isinf(mx.array(x)), mx.isposinf(mx.array(x)),
            mx.isneginf(mx.array(x)), mx.isfinite(mx.array(x))]
    names = computed_dtypes(("float16", "bfloat16", "float64"))
    for name in names:
        outs.append(mx.isnan(mx.array(x, mxd(name))))
        outs.append(mx.isinf(mx.array(x, mxd(name))))
    mx.eval(outs)
    check(outs[0], np.isnan(x), dtype="bool")
    check(outs[1], np.isinf(x), dtype="bool")
    check(outs[2], np.isposinf(x), dtype="bool")
    check(outs[3], np.isneginf(x), dtype="bool")
    check(outs[4], np.isfinite(x), dtype="bool")
    for k in range(len(names)):
        check(outs[5 + 2 * k], np.isnan(x))
        check(outs[6 + 2 * k], np.isinf(x))
    i = mx.array([1, 2, 3])
    check(mx.isnan(i), [False] * 3, dtype="bool")
    check(mx.isinf(i), [False] * 3)
    check(mx.isfinite(i), [True] * 3)
    check(mx.isposinf(i), [False] * 3)


def test_logical_and_bitwise_unary():
    b = np.array([[True, False], [False, True]])
    check(mx.logical_not(mx.array(b)), ~b, dtype="bool")
    check(mx.logical_not(mx.array([0, 2, -1])), [True, False, False], dtype="bool")
    check(mx.logical_not(mx.array([0.0, 0.5])), [True, False], dtype="bool")
    for name in ("int8", "uint8", "int32", "uint16", "int64", "uint64"):
        x = data((5,), name, seed=3)
        check(mx.bitwise_invert(mx.array(x)), ~x, dtype=name)
    check(mx.bitwise_invert(mx.array(b)), ~b, dtype="bool")
    assert_raises_like(lambda: mx.bitwise_invert(mx.array([1.0])),
                       lambda: mlx.bitwise_invert(mlx.array([1.0])))
    assert_raises_like(lambda: mx.negative(mx.array([True])),
                       lambda: mlx.negative(mlx.array([True])))


def test_abs_sign_integer_edges():
    x = np.array([-128, -1, 0, 127], np.int8)
    check(mx.abs(mx.array(x)), np.abs(x), dtype="int8")  # -128 wraps like NumPy
    check(mx.sign(mx.array(x)), np.sign(x), dtype="int8")
    u = np.array([0, 3, 255], np.uint8)
    check(mx.abs(mx.array(u)), u, dtype="uint8")
    check(mx.sign(mx.array(u)), np.sign(u), dtype="uint8")
    check(mx.sign(mx.array([-0.0, np.nan, -3.0, 2.0])), [0, np.nan, -1, 1])
    check(mx.sign(mx.array([True, False])), [True, False], dtype="bool")
    check(mx.abs(mx.array([True, False])), [True, False], dtype="bool")


def test_round_decimals():
    x = np.array([1.2345, -2.5, 0.5, 1.5, 2.675, -0.125], np.float32)
    a = mx.array(x)
    check(mx.round(a), np.round(x))
    check(mx.round(a, 1), np.round(x, 1), atol=1e-6)
    check(mx.round(a, 2), np.round(x, 2), atol=1e-2)  # float32 rounding of 2.675
    check(mx.round(mx.array([1234.5, 1250.0]), -2), [1200, 1200])
    check(mx.round(mx.array([3, 4], mx.int32), 1), [3, 4], dtype="int32")
    check(round(mx.array([2.5, 3.5])), [2, 4])


# ----------------------------------------------------------------- binary values

BROADCASTS = [((2, 3), (2, 3)), ((2, 3), (3,)), ((4, 1), (1, 5)), ((3, 1, 2), (4, 1)),
              ((), (2, 2)), ((0, 3), (1, 3)), ((2, 0), (2, 1))]
ARITH = {"add": np.add, "subtract": np.subtract, "multiply": np.multiply,
         "maximum": np.maximum, "minimum": np.minimum, "less": np.less,
         "equal": np.equal, "greater_equal": np.greater_equal}


@pytest.mark.parametrize("shapes", BROADCASTS, ids=str)
def test_binary_broadcasting(shapes):
    s1, s2 = shapes
    x, y = data(s1, "float32", 1), data(s2, "float32", 2)
    a, b = mx.array(x), mx.array(y)
    outs = {k: getattr(mx, k)(a, b) for k in ARITH}
    if 0 not in s1 + s2:
        mx.eval(list(outs.values()))
    for k, f in ARITH.items():
        assert outs[k].shape == np.broadcast_shapes(s1, s2)
        check(outs[k], f(x, y))
    rev = mx.subtract(b, a)
    check(rev, y - x)


@pytest.mark.parametrize("name", ["int8", "uint8", "int16", "int32", "uint32", "int64",
                                  "uint64", "float16", "bfloat16", "float32", "float64"])
def test_binary_arith_dtypes(name):
    x = data((3, 4), name, seed=1)
    y = data((4,), name, seed=2)
    if name in INTS:
        y = np.where(y == 0, 1, y).astype(y.dtype)
    a, b = mx.array(x, mxd(name)), mx.array(y, mxd(name))
    ops = ["add", "subtract", "multiply", "divide", "floor_divide", "remainder", "maximum",
           "minimum", "not_equal", "less_equal"]
    outs = [getattr(mx, k)(a, b) for k in ops]
    mx.eval(outs)
    x64, y64 = x.astype(np.float64), y.astype(np.float64)
    for k, out in zip(ops, outs):
        m = getattr(mlx, k)(to_mlx(a), to_mlx(b))
        assert same_dtype(out.dtype, m.dtype), (k, out.dtype, m.dtype)
        if name in INTS and k in ("add", "subtract", "multiply", "floor_divide", "remainder"):
            with np.errstate(all="ignore"):
                ref = getattr(np, k)(x, y)  # wrapping integer arithmetic
            check(out, ref)
        elif k == "divide":
            check(out, x64 / y64, rtol=1e-2 if name in ("float16", "bfloat16") else 1e-6,
                  atol=1e-2 if name in ("float16", "bfloat16") else 1e-6)
        elif k in ("floor_divide", "remainder"):
            # float floor_divide/remainder: compare against the rounded inputs' result
            ref = getattr(np, k)(x, y)
            check(out, ref.astype(np.float64), rtol=2e-2, atol=2e-2)
        else:
            check(out, getattr(np, k)(x, y))


def test_integer_division_semantics():
    """Floor division and remainder round toward -inf, as Python and NumPy."""
    x = np.array([7, -7, 7, -7, 0, 5], np.int32)
    y = np.array([2, 2, -2, -2, 3, 5], np.int32)
    a, b = mx.array(x), mx.array(y)
    check(a // b, x // y, dtype="int32")
    check(a % b, x % y, dtype="int32")
    check(mx.divide(a, b), x / y, dtype="float32")
    q, r = mx.divmod(a, b)
    check(q, x // y), check(r, x % y)
    f = np.array([7.5, -7.5, 7.5, -7.5], np.float32)
    g = np.array([2.0, 2.0, -2.0, -2.0], np.float32)
    check(mx.array(f) // mx.array(g), f // g)
    check(mx.array(f) % mx.array(g), f % g)
    u = np.array([7, 200], np.uint8)
    check(mx.array(u) // mx.array([2, 3], mx.uint8), u // np.array([2, 3], np.uint8))
    check(mx.array(u) % 3, u % 3, dtype="uint8")
    check(mx.array([-7, 7]) // 2, [-4, 3])
    check(-7 % mx.array([3, -3]), [2, -1])


def test_float_division_special():
    x = np.array([1.0, -1.0, 0.0, np.inf, np.nan], np.float32)
    with np.errstate(all="ignore"):
        ref = x / np.float32(0.0)
    check(mx.array(x) / 0.0, ref)
    check(mx.array(x) / mx.array(-0.0), -ref)


def test_power_values():
    x = np.array([[0.5, 2.0, 3.0]], np.float32)
    y = np.array([[2.0], [0.5], [-1.0]], np.float32)
    check(mx.power(mx.array(x), mx.array(y)), np.power(x, y))
    check(mx.array(x) ** 2, x**2, dtype="float32")
    check(2 ** mx.array(x), 2**x)
    check(mx.power(mx.array([-8.0]), 1 / 3), [np.nan])
    check(mx.power(mx.array([0.0, 2.0]), mx.array([0.0, np.inf])), [1, np.inf])


def test_integer_power_values():
    x = np.array([2, -3, 0, 1, 5], np.int32)
    y = np.array([3, 3, 0, 7, 2], np.int32)
    check(mx.power(mx.array(x), mx.array(y)), x**y, dtype="int32")
    check(mx.array(x, mx.int64) ** 3, x.astype(np.int64) ** 3, dtype="int64")
    check(mx.power(mx.array([True, False]), mx.array([False, True])), [True, False],
          dtype="bool")


def test_maximum_minimum_nan_inf():
    x = np.array([1.0, np.nan, -np.inf, 2.0, np.nan], np.float32)
    y = np.array([np.nan, 1.0, 0.0, np.inf, np.nan], np.float32)
    check(mx.maximum(mx.array(x), mx.array(y)), np.maximum(x, y))
    check(mx.minimum(mx.array(x), mx.array(y)), np.minimum(x, y))
    check(mx.maximum(mx.array([1, -5], mx.int8), mx.array([-1, 3], mx.int8)), [1, 3])
    check(mx.minimum(mx.array([200, 5], mx.uint8), 7), [7, 5], dtype="uint8")
    check(mx.maximum(mx.array([True, False]), mx.array([False, False])), [True, False],
          dtype="bool")


def test_comparisons_nan_inf():
    x = np.array([1.0, np.nan, np.inf, -np.inf, 0.0], np.float32)
    y = np.array([np.nan, np.nan, np.inf, 0.0, -0.0], np.float32)
    a, b = mx.array(x), mx.array(y)
    outs = [a == b, a != b, a < b, a <= b, a > b, a >= b]
    refs = [x == y, x != y, x < y, x <= y, x > y, x >= y]
    mx.eval(outs)
    for o, r in zip(outs, refs):
        check(o, r, dtype="bool")
    # mixed signedness compares by value
    check(mx.array([-1], mx.int8) < mx.array([1], mx.uint8), [True])
    check(mx.array([True, False]) == mx.array([1, 0]), [True, True])


def test_arctan2_logaddexp():
    y = np.array([1.0, 1.0, -1.0, -1.0, 0.0, 0.0], np.float32)
    x = np.array([1.0, -1.0, 1.0, -1.0, -1.0, 1.0], np.float32)
    check(mx.arctan2(mx.array(y), mx.array(x)), np.arctan2(y, x))
    check(mx.arctan2(mx.array([1, 2]), mx.array([2, 1])), np.arctan2([1, 2], [2, 1]),
          dtype="float32")
    a = np.array([0.0, 100.0, -np.inf, np.inf, -np.inf, 1.0, np.nan], np.float32)
    b = np.array([0.0, 100.5, -np.inf, 1.0, 3.0, -1000.0, 1.0], np.float32)
    check(mx.logaddexp(mx.array(a), mx.array(b)), np.logaddexp(a, b))


def test_logical_binary():
    x = np.array([True, True, False, False])
    y = np.array([True, False, True, False])
    check(mx.logical_and(mx.array(x), mx.array(y)), x & y, dtype="bool")
    check(mx.logical_or(mx.array(x), mx.array(y)), x | y, dtype="bool")
    check(mx.logical_and(mx.array([0, 2]), mx.array([3.0, 1.0])), [False, True])
    check(mx.logical_or(mx.array([[0], [1]]), mx.array([0, 0])), [[False, False],
                                                                   [True, True]])
    check(mx.logical_and(mx.array([1, 0]), True), [True, False], dtype="bool")


@pytest.mark.parametrize("name", ["uint8", "int16", "int32", "uint32", "int64", "bool"])
def test_bitwise_binary(name):
    x = data((2, 4), name, 1) if name == "bool" else data((2, 4), name, 1, 0, 64)
    y = data((4,), name, 2) if name == "bool" else data((4,), name, 2, 0, 5)
    a, b = mx.array(x), mx.array(y)
    outs = [mx.bitwise_and(a, b), mx.bitwise_or(a, b), mx.bitwise_xor(a, b),
            mx.left_shift(a, b), mx.right_shift(a, b)]
    mx.eval(outs)
    check(outs[0], x & y, dtype=name)
    check(outs[1], x | y, dtype=name)
    check(outs[2], x ^ y, dtype=name)
    if name == "bool":
        check(outs[3], x.astype(np.uint8) << y.astype(np.uint8), dtype="uint8")
        check(outs[4], x.astype(np.uint8) >> y.astype(np.uint8), dtype="uint8")
    else:
        check(outs[3], x << y, dtype=name)
        check(outs[4], x >> y, dtype=name)


def test_shift_negative_and_scalar():
    check(mx.right_shift(mx.array([-16, -1, 16], mx.int32), 2), np.array([-16, -1, 16]) >> 2)
    check(mx.left_shift(mx.array([1, 3], mx.uint8), 7), [128, 128], dtype="uint8")
    check(mx.array([1, 2], mx.int16) << 3, [8, 16], dtype="int16")


def test_bool_arithmetic():
    x = mx.array([True, True, False, False])
    y = mx.array([True, False, True, False])
    check(x + y, [True, True, True, False], dtype="bool")
    check(x * y, [True, False, False, False], dtype="bool")
    check(x - y, [False, True, True, False], dtype="bool")
    check(mx.floor_divide(x, mx.array([True] * 4)), [True, True, False, False], dtype="bool")
    check(mx.remainder(x, mx.array([True] * 4)), [False] * 4, dtype="bool")
    check(x / y, np.array([1, 1, 0, 0]) / np.array([1, 0, 1, 0]), dtype="float32")
    check(x + 1, [2, 2, 1, 1], dtype="int32")
    check(x * 1.5, [1.5, 1.5, 0, 0], dtype="float32")


def test_degrees_radians_stop_gradient():
    x = np.array([0.0, 90.0, -180.0, 360.0], np.float32)
    check(mx.radians(mx.array(x)), np.radians(x))
    check(mx.degrees(mx.radians(mx.array(x))), x, rtol=1e-5, atol=1e-4)
    check(mx.stop_gradient(mx.array([1, 2])), [1, 2], dtype="int32")


def test_scalar_only_and_zero_d():
    check(mx.add(1, 2), 3, dtype="int32")
    check(mx.multiply(2, 2.5), 5.0, dtype="float32")
    check(mx.maximum(mx.array(3.0), mx.array([1.0, 4.0])), [3, 4])
    z = mx.array(2.0) * mx.array(3.0)
    assert z.shape == ()
    check(z, 6.0)
    e = mx.zeros((0,)) + 1
    assert e.shape == (0,)
    check(mx.exp(mx.zeros((0, 3))), np.zeros((0, 3)))


def test_elementwise_errors():
    a, b = mx.zeros((2, 3)), mx.zeros((3, 2))
    ma, mb = mlx.zeros((2, 3)), mlx.zeros((3, 2))
    for op in ("add", "multiply", "maximum", "less", "logical_and", "arctan2", "power",
               "bitwise_and"):
        aa = a.astype(mx.int32) if op == "bitwise_and" else a
        mma = ma.astype(mlx.int32) if op == "bitwise_and" else ma
        assert_raises_like(lambda: getattr(mx, op)(aa, b if op != "bitwise_and"
                                                   else b.astype(mx.int32)),
                           lambda: getattr(mlx, op)(mma, mb if op != "bitwise_and"
                                                    else mb.astype(mlx.int32)))
    assert_raises_like(lambda: mx.bitwise_and(mx.array([1.0]), mx.array([1])),
                       lambda: mlx.bitwise_and(mlx.array([1.0]), mlx.array([1])))
    assert_raises_like(lambda: mx.left_shift(mx.array([1.0]), 1),
                       lambda: mlx.left_shift(mlx.array([1.0]), 1))
    assert_raises_like(lambda: mx.erf(mx.array([1j])), lambda: mlx.erf(mlx.array([1j])))
    assert_raises_like(lambda: mx.remainder(mx.array([1j]), 2),
                       lambda: mlx.remainder(mlx.array([1j]), 2))
    assert_raises_like(lambda: mx.broadcast_shapes((2, 3), (4,)),
                       lambda: mlx.broadcast_shapes((2, 3), (4,)))
    assert_raises_like(lambda: mx.add(mx.array([1], mx.int8), 1000),
                       lambda: mlx.add(mlx.array([1], mlx.int8), 1000))


def test_broadcast_shapes():
    for shapes in [((2, 3), (3,)), ((4, 1, 3), (2, 1)), ((), (5,)), ((0, 1), (1, 4)),
                   ((1,), (1, 1, 1))]:
        assert mx.broadcast_shapes(*shapes) == tuple(mlx.broadcast_shapes(*shapes))
        assert mx.broadcast_shapes(*shapes) == np.broadcast_shapes(*shapes)


# ------------------------------------------------- vectorized math (libmvec) accuracy

_ULP_INPUTS = None


def _ulp_inputs():
    global _ULP_INPUTS
    if _ULP_INPUTS is None:
        rng = np.random.default_rng(11)
        x = np.concatenate([rng.standard_normal(4000) * 3, rng.uniform(-100, 100, 4000),
                            [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-30, -1e-30, 88.7, 89.0,
                             -104.0, 710.0, -745.0, 1e30, -1e30]])
        _ULP_INPUTS = x
    return _ULP_INPUTS


# name -> (NumPy reference in float64, domain map)
VECTOR_MATH = {
    "exp": (np.exp, None), "log": (np.log, np.abs), "log2": (np.log2, np.abs),
    "log10": (np.log10, np.abs), "sin": (np.sin, None), "cos": (np.cos, None),
    "tan": (np.tan, None), "tanh": (np.tanh, None), "sinh": (np.sinh, None),
    "cosh": (np.cosh, None), "arcsin": (np.arcsin, lambda v: np.clip(v / 100, -1, 1)),
    "arccos": (np.arccos, lambda v: np.clip(v / 100, -1, 1)), "arctan": (np.arctan, None),
    "arcsinh": (np.arcsinh, None), "arccosh": (np.arccosh, lambda v: np.abs(v) + 1),
    "arctanh": (np.arctanh, lambda v: np.clip(v / 100, -1, 1)),
    "erf": (np.vectorize(math.erf), None), "sigmoid": (lambda v: 1 / (1 + np.exp(-v)), None),
    "log1p": (np.log1p, np.abs), "expm1": (np.expm1, None),
}


@pytest.mark.cpu_only(reason="the CPU's libmvec vector calls at 4 ulp up to huge arguments; "
                       "the GPU's math is checked by test_gpu.py::test_gpu_math_accuracy")
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", sorted(VECTOR_MATH))
def test_vector_math_accuracy(name, dtype):
    """Transcendentals run as vector calls (libmvec's AVX2 functions where the CPU has
    them): at most 4 ulp from the float64 reference over normal, huge, tiny and special
    inputs, with inf and NaN exactly where NumPy has them."""
    ref_fn, domain = VECTOR_MATH[name]
    npdt = np.dtype(dtype)
    x = _ulp_inputs()
    x = (domain(x) if domain else x).astype(npdt)
    with np.errstate(all="ignore"):
        ref = ref_fn(x.astype(np.float64)).astype(npdt)
    got = np.array(getattr(mx, name)(mx.array(x, mxd(dtype))))
    np.testing.assert_array_equal(np.isnan(got), np.isnan(ref))
    np.testing.assert_array_equal(got[np.isinf(ref)], ref[np.isinf(ref)])
    finfo = np.finfo(npdt)
    ok = np.isfinite(ref) & (np.abs(ref) >= finfo.tiny)
    rel = np.abs(got[ok].astype(np.float64) - ref[ok]) / np.abs(ref[ok].astype(np.float64))
    assert rel.max() <= 4 * finfo.eps, (name, dtype, rel.max() / finfo.eps)
    # Results below the normal range are within 4 ulp of the smallest normal.
    assert np.all(np.abs(got[~ok & np.isfinite(ref)] - ref[~ok & np.isfinite(ref)])
                  <= 4 * finfo.tiny)


@pytest.mark.cpu_only(reason="inspects the CPU's LLVM IR")
def test_vector_math_is_used_on_avx2_hosts():
    from mxc import compiler
    try:
        flags = open("/proc/cpuinfo").read().split()
    except OSError:
        flags = []
    x = mx.array(np.linspace(-1, 1, 64, dtype=np.float32))
    text = str(compiler.ir(lambda a: mx.exp(mx.sin(a)), x, stage="llvm"))
    vector = "avx2" in flags and "fma" in flags
    assert ("llvm.call @mxc_vm_expf" in text) == vector
    assert ("_ZGV_LLVM_N8v_mxc_vm_sinf(_ZGVdN8v_sinf)" in text) == vector
