"""The array object: construction, attributes, conversions, repr, operators."""

import copy
import operator
import pickle

import ml_dtypes
import mlx.core as mlx
import numpy as np
import pytest

import mxc.core as mx
from mxc_testutil import (ALL, DTYPES, FLOATS, INTS, assert_dtype, assert_raises_like, check,
                          computed_dtypes, data, mlx_np, mxd, mlxd, npd, on_gpu_refuses,
                          same_dtype, to_mlx, to_np)

# Every test runs with the CPU and with the GPU as default device (conftest.py).
pytestmark = pytest.mark.usefixtures("on_device")

# ------------------------------------------------------------------ construction


SCALARS = [True, False, 0, 1, -7, 2**31 - 1, -(2**31), 2**31, -(2**31) - 1, 2**40, 1.5,
           -0.0, float("inf"), float("nan"), 1e-30, 1 + 2j, -3j]


@pytest.mark.parametrize("v", SCALARS, ids=repr)
def test_from_python_scalar(v):
    a, m = mx.array(v), mlx.array(v)
    assert same_dtype(a.dtype, m.dtype)
    assert a.shape == () and a.ndim == 0 and a.size == 1
    check(a, mlx_np(m))
    assert type(a.item()) is type(m.item())


LISTS = [
    [1, 2, 3],
    [[1, 2], [3, 4]],
    [1, 2.5],
    [True, False],
    [True, 2],
    [1, 2**40],
    [[1.0], [2.0]],
    [],
    [[]],
    [[[1], [2]], [[3], [4]]],
    (1, 2),
    [(1, 2), [3, 4]],
    [1, 2j],
    [np.float64(1), np.float64(2)],
]


@pytest.mark.parametrize("v", LISTS, ids=repr)
def test_from_python_list(v):
    a, m = mx.array(v), mlx.array(v)
    assert same_dtype(a.dtype, m.dtype)
    assert a.shape == tuple(m.shape)
    check(a, mlx_np(m))


def test_from_list_of_arrays():
    x, y = mx.array([1, 2]), mx.array([3.0, 4.0])
    a = mx.array([x, y])
    assert_dtype(a, "float32")
    check(a, [[1, 2], [3, 4]])
    # lazy arrays inside a list are evaluated
    b = mx.array([x + 1, x * 2])
    check(b, [[2, 3], [2, 4]], dtype="int32")
    c = mx.array([mx.array(1), 2])
    check(c, [1, 2], dtype="int32")


@pytest.mark.parametrize("name", ALL)
def test_from_numpy_all_dtypes(name):
    v = data((2, 3), name)
    a, m = mx.array(v), mlx.array(v)
    assert same_dtype(a.dtype, m.dtype)
    check(a, v.astype(np.float32) if name == "bfloat16" else v)
    # a copy: writing the source does not change the array
    v0 = v.copy()
    v[...] = v[0, 0]
    check(a, v0.astype(np.float32) if name == "bfloat16" else v0)


@pytest.mark.parametrize("npdt", [np.float64, np.int64, np.complex128, np.uint64, np.int16,
                                  np.bool_])
def test_from_numpy_dtype_mapping(npdt):
    v = np.array([1, 0, 2]).astype(npdt)
    assert same_dtype(mx.array(v).dtype, mlx.array(v).dtype)
    s = npdt(1)
    assert same_dtype(mx.array(s).dtype, mlx.array(s).dtype)
    z = np.array(3).astype(npdt)
    assert same_dtype(mx.array(z).dtype, mlx.array(z).dtype)
    assert mx.array(z).shape == ()


def test_from_numpy_noncontiguous():
    v = np.arange(24, dtype=np.float32).reshape(4, 6)
    for view in (v.T, v[::2, 1::3], v[:, ::-1]):
        check(mx.array(view), view)
        check(mx.array(view) + 0, view)


@pytest.mark.parametrize("name", ALL)
def test_dtype_argument(name):
    src = [[0, 1, 2], [3, 4, 5]]
    a, m = mx.array(src, dtype=mxd(name)), mlx.array(src, dtype=mlxd(name))
    assert_dtype(a, name)
    check(a, mlx_np(m))
    f = [-1.7, 0.0, 2.7]
    a, m = mx.array(f, mxd(name)), mlx.array(f, mlxd(name))
    assert_dtype(a, name)
    if name not in ("uint8", "uint16", "uint32", "uint64"):  # negative floats: UB in C
        check(a, mlx_np(m))
    a = mx.array(mx.array([1, 2]), dtype=mxd(name))
    assert_dtype(a, name)


def test_scalar_with_dtype():
    cases = [(True, "float32"), (2.7, "int32"), (-1, "uint8"), (300, "int8"), (1, "bool"),
             (0.0, "bool"), (1.5, "float16"), (3, "complex64"), (-2.5, "int64")]
    for v, name in cases:
        a, m = mx.array(v, mxd(name)), mlx.array(v, mlxd(name))
        assert_dtype(a, name)
        check(a, mlx_np(m))


def test_construction_errors():
    assert_raises_like(lambda: mx.array([[1, 2], [3]]), lambda: mlx.array([[1, 2], [3]]))
    assert_raises_like(lambda: mx.array("abc"), lambda: mlx.array("abc"))
    assert_raises_like(lambda: mx.array(None), lambda: mlx.array(None))
    assert_raises_like(lambda: mx.array([1, 2], dtype=np.float32),
                       lambda: mlx.array([1, 2], dtype=np.float32))


def test_copy_semantics():
    a = mx.array([1, 2, 3])
    b = mx.array(a)
    b[0] = 10
    check(a, [1, 2, 3])
    check(b, [10, 2, 3])
    c = copy.copy(a)
    c[1] = 20
    check(a, [1, 2, 3])
    d = copy.deepcopy(a)
    check(d, [1, 2, 3], dtype="int32")
    e = pickle.loads(pickle.dumps(a + 1))
    check(e, [2, 3, 4], dtype="int32")
    f = pickle.loads(pickle.dumps(mx.array([1.5], mx.bfloat16)))
    check(f, [1.5], dtype="bfloat16")


# ------------------------------------------------------------------ attributes


@pytest.mark.parametrize("name", ALL)
def test_attributes(name):
    for shape in [(), (0,), (3,), (2, 3, 4), (1, 0, 2)]:
        a = mx.array(np.zeros(shape, npd(name)), mxd(name))
        m = mlx.zeros(shape, mlxd(name))
        assert a.shape == tuple(m.shape)
        assert isinstance(a.shape, tuple)
        assert a.ndim == m.ndim
        assert a.size == m.size
        assert a.itemsize == m.itemsize
        assert a.nbytes == m.nbytes
        assert same_dtype(a.dtype, m.dtype)
        assert a.dtype == mxd(name) and a.dtype != (mx.int8 if name != "int8" else mx.uint8)
    assert mxd(name).size == mlxd(name).size
    assert repr(mxd(name)) == repr(mlxd(name))


def test_T_and_methods():
    v = data((2, 3), "float32")
    a = mx.array(v)
    check(a.T, v.T)
    check(a.transpose(), v.T)
    check(a.transpose(1, 0), v.T)
    check(a.transpose((1, 0)), v.T)
    check(a.reshape(3, 2), v.reshape(3, 2))
    check(a.reshape((6,)), v.reshape(6))
    check(a.reshape(-1), v.reshape(-1))
    check(a.astype(mx.int32), v.astype(np.int32))
    check(a.sum(), v.sum())
    check(a.sum(axis=1, keepdims=True), v.sum(axis=1, keepdims=True))
    check(a.max(0), v.max(0))
    check(a.flatten(), v.flatten())
    check(a.square(), v**2)
    check(a.abs(), np.abs(v))
    check(a.swapaxes(0, 1), v.T)
    check(a.moveaxis(0, 1), v.T)
    check(a.reshape(1, 6).squeeze(), v.reshape(6))
    check(a.expand_dims(0), v[None])
    parts = a.split(3, axis=1)
    assert len(parts) == 3
    check(parts[2], v[:, 2:])


# ------------------------------------------------------------------ conversions


@pytest.mark.parametrize("name", ALL)
def test_item_tolist(name):
    v = data((2, 2), name)
    a, m = mx.array(v), to_mlx(mx.array(v))
    assert a.tolist() == m.tolist()
    t = a.tolist()
    assert isinstance(t, list) and isinstance(t[0], list)
    assert type(t[0][0]) is type(m.tolist()[0][0])
    s = a[1, 0]
    assert s.item() == m[1, 0].item()
    assert type(s.item()) is type(m[1, 0].item())
    assert type(s.tolist()) is type(m[1, 0].tolist())
    # item of a size-1 array of any rank
    assert a[:1, :1].item() == m[:1, :1].item()


def test_item_errors():
    for fn in (lambda M: M.array([1, 2]).item(), lambda M: M.array([]).item(),
               lambda M: bool(M.array([1, 2])), lambda M: bool(M.array([])),
               lambda M: float(M.array([1.0, 2.0])), lambda M: int(M.zeros((2, 2)))):
        assert_raises_like(lambda: fn(mx), lambda: fn(mlx))


def test_scalar_conversions():
    assert bool(mx.array([[3]])) is True
    assert bool(mx.array(0.0)) is False
    assert int(mx.array([1.7])) == 1
    assert int(mx.array(-1.7)) == -1
    assert float(mx.array(3)) == 3.0
    assert complex(mx.array(1 + 2j)) == 1 + 2j
    assert [10, 20, 30][mx.array(1)] == 20
    assert [10, 20, 30][mx.array(2, mx.uint8)] == 30
    assert_raises_like(lambda: [1, 2][mx.array(1.0)], lambda: [1, 2][mlx.array(1.0)])
    # conversions of lazy arrays evaluate them
    assert (mx.array([2]) * 3).item() == 6


def test_len_iter():
    a = mx.array([[1, 2], [3, 4], [5, 6]])
    assert len(a) == 3
    rows = list(a)
    assert len(rows) == 3
    check(rows[2], [5, 6], dtype="int32")
    assert [x.item() for x in mx.array([7, 8])] == [7, 8]
    assert list(mx.zeros((0, 2))) == []
    assert_raises_like(lambda: len(mx.array(1)), lambda: len(mlx.array(1)))
    assert_raises_like(lambda: iter(mx.array(1)), lambda: iter(mlx.array(1)))
    assert_raises_like(lambda: list(mx.array(1.5)), lambda: list(mlx.array(1.5)))


def test_numpy_conversion():
    for name in ALL:
        v = data((3, 2), name)
        a = mx.array(v, mxd(name))
        out = np.array(a)
        assert out.dtype == npd(name)
        np.testing.assert_array_equal(out, v)
        if name not in ("bool", "complex64"):  # complex arithmetic: test_complex_operators
            with on_gpu_refuses(name):
                np.testing.assert_array_equal(np.asarray(a + a), v + v)
    m = memoryview(mx.array([1.0, 2.0]))
    assert m.format == "f" and m.shape == (2,) and m.tolist() == [1.0, 2.0]
    assert np.array(mx.arange(3), dtype=np.float64).dtype == np.float64
    b = np.array(mx.array([[1, 2], [3, 4]]).T)
    np.testing.assert_array_equal(b, [[1, 3], [2, 4]])


def test_dlpack():
    a = mx.arange(4) * 2
    b = np.from_dlpack(a)
    np.testing.assert_array_equal(b, [0, 2, 4, 6])
    c = mx.from_dlpack(np.arange(3, dtype=np.float32))
    check(c, [0, 1, 2], dtype="float32")


# ------------------------------------------------------------------ repr


def _repr_cases(M):
    return [
        M.array([1.5, 2, 3]),
        M.array(1.0),
        M.array(-2),
        M.array(True),
        M.array([True, False]),
        M.array([]),
        M.zeros((0, 3)),
        M.array([float("nan"), float("inf"), -float("inf"), -0.0]),
        M.array([1e-8, 1e8, 123456789.0, 0.1, 1 / 3]),
        M.arange(24).reshape(2, 3, 4),
        M.arange(100),
        M.arange(7),
        M.arange(1000).reshape(10, 100),
        M.arange(2 * 8 * 3).reshape(2, 8, 3),
        M.array([1 + 2j, 3 - 4j, -1.5j]),
        M.array([1.5, 2.5, -3.25], dtype=M.bfloat16),
        M.array([1.5, 2.5, 65504], dtype=M.float16),
        M.array([-1, 2, 127], dtype=M.int8),
        M.array([255, 0], dtype=M.uint8),
        M.array([2**40, -5], dtype=M.int64),
        M.array([2**62 + 5], dtype=M.uint64),
        M.array([1e20, -1e-20, 1234567.0, 100000.0]),
        M.array([[1.0, -2.5], [3, 4]]),
        M.array([[[1]]], dtype=M.uint16),
        M.array([0.1, 0.2], dtype=M.float64) if M is mx else M.array([0.1, 0.2]).astype(
            M.float64),
        M.ones((1, 1, 1, 2)),
        M.array([3.0]) / M.array([7.0]),
        M.arange(12).reshape(3, 4) * 2.5,
    ]


def test_repr_matches_mlx():
    ours, theirs = _repr_cases(mx), _repr_cases(mlx)
    for a, m in zip(ours, theirs):
        assert repr(a) == repr(m)
        assert str(a) == str(m)


def test_repr_empty_inner_dims():
    for shape in [(2, 0), (0, 2, 3), (2, 0, 3)]:
        a = mx.array(np.zeros(shape, np.float32))
        assert repr(a) == repr(mlx.zeros(shape))


def test_repr_lazy_zero_size():
    # zeros() builds a program even for a zero-sized result
    assert repr(mx.zeros((2, 0))) == repr(mlx.zeros((2, 0)))


def test_repr_dtypes_all():
    for name in ALL:
        v = data((2, 3), name)
        a = mx.array(v)
        assert repr(a) == repr(to_mlx(a)), name


# ------------------------------------------------------------------ operators

BINOPS = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
    "//": operator.floordiv, "%": operator.mod, "**": operator.pow, "==": operator.eq,
    "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
    ">=": operator.ge,
}
BITOPS = {"&": operator.and_, "|": operator.or_, "^": operator.xor, "<<": operator.lshift,
          ">>": operator.rshift}


@pytest.mark.parametrize("name", ["int32", "float32", "int8", "uint8", "float16"])
def test_binary_operators(name):
    x = data((2, 3), name, seed=1)
    y = data((3,), name, seed=2, low=1, high=4) if name in INTS else data((3,), name, seed=2)
    if name in INTS:
        x = np.abs(x).astype(x.dtype)
    a, b = mx.array(x), mx.array(y)
    results, expected, dts = [], [], []
    # integer ** is tested in test_integer_power_operator
    ops = [s for s in BINOPS if not (s == "**" and name in INTS)]
    for sym in ops:
        op = BINOPS[sym]
        if sym == "**":
            r, e = op(mx.abs(a), b), op(np.abs(x), y)
            m = op(mlx.abs(to_mlx(a)), to_mlx(b))
        else:
            r, e = op(a, b), op(x, y)
            m = op(to_mlx(a), to_mlx(b))
        results.append(r)
        expected.append(e)
        dts.append(m.dtype)
    mx.eval(results)
    for sym, r, e, d in zip(ops, results, expected, dts):
        assert same_dtype(r.dtype, d), (sym, r.dtype, d)
        if r.dtype.is_inexact:
            check(r, e.astype(np.float64), rtol=1e-2 if name == "float16" else 1e-5,
                  atol=1e-2 if name == "float16" else 1e-5)
        else:
            check(r, e)


def test_integer_power_operator():
    a = mx.array([[2, 3, -2]], mx.int32)
    b = mx.array([3, 2, 3], mx.int32)
    check(a**b, [[8, 9, -8]], dtype="int32")
    check(a**2, [[4, 9, 4]], dtype="int32")
    check(2**b, [8, 4, 8], dtype="int32")
    check(mx.array([3], mx.uint8) ** mx.array([5], mx.uint8), [243], dtype="uint8")


@pytest.mark.parametrize("name", ["int32", "uint8", "bool", "int64"])
def test_bitwise_operators(name):
    x = data((2, 3), name, seed=3) if name == "bool" else data((2, 3), name, 3, 0, 16)
    y = data((3,), name, seed=4) if name == "bool" else data((3,), name, 4, 0, 4)
    a, b = mx.array(x), mx.array(y)
    for sym, op in BITOPS.items():
        r = op(a, b)
        m = op(to_mlx(a), to_mlx(b))
        assert same_dtype(r.dtype, m.dtype), (sym, r.dtype, m.dtype)
        check(r, mlx_np(m))
    check(~a, mlx_np(~to_mlx(a)), dtype=to_mlx(a).dtype)


def test_reflected_operators():
    x = np.array([[1.0, 2.0, 4.0]], np.float32)
    a = mx.array(x)
    check(2 + a, 2 + x, dtype="float32")
    check(2 - a, 2 - x)
    check(2 * a, 2 * x)
    check(2 / a, 2 / x)
    check(7 // a, 7 // x)
    check(7 % a, 7 % x)
    check(2**a, 2**x)
    check(2.5 < a, 2.5 < x, dtype="bool")
    check(2 == a, 2 == x)
    i = mx.array([1, 2, 3])
    check(1 << i, [2, 4, 8], dtype="int32")
    check(64 >> i, [32, 16, 8])
    check(5 & i, [1, 0, 1])
    check(5 | i, [5, 7, 7])
    check(5 ^ i, [4, 7, 6])
    check(True + i, [2, 3, 4], dtype="int32")
    check(1.5 * i, [1.5, 3, 4.5], dtype="float32")
    q, r = divmod(mx.array([7, -7]), 3)
    check(q, [2, -3]), check(r, [1, 2])
    q, r = divmod(7, mx.array([3, -3]))
    check(q, [2, -3]), check(r, [1, -2])
    m = mx.array([[1.0, 2.0], [3.0, 4.0]])
    check(m @ m, np.array([[7, 10], [15, 22]]))
    check(np.array([[1.0, 0.0], [0.0, 1.0]], np.float32) @ m, to_np(m))


def test_unary_operators():
    a = mx.array([1, -2, 3])
    check(-a, [-1, 2, -3], dtype="int32")
    check(+a, [1, -2, 3])
    check(abs(a), [1, 2, 3])
    check(~a, [-2, 1, -4])
    check(~mx.array([True, False]), [False, True], dtype="bool")
    f = mx.array([1.25, -2.5, 3.5])
    check(round(f), [1, -2, 4], dtype="float32")
    check(round(f, 1), [1.2, -2.5, 3.5])
    assert_raises_like(lambda: -mx.array([True]), lambda: -mlx.array([True]))
    assert_raises_like(lambda: ~mx.array([1.5]), lambda: ~mlx.array([1.5]))


@pytest.mark.parametrize("scalar", [1, -1, 2.5, True, 1 + 1j, 200, -200,
                                    np.int64(3), np.float64(0.5), np.bool_(True)],
                         ids=repr)
@pytest.mark.cpu_only(reason="dtype promotion against MLX without evaluation: the same on "
                       "every device (the GPU's complex64 refusal: test_gpu.py)")
def test_scalar_promotion_operators(scalar):
    """array op scalar: the Python scalar is weak (MLX's rules)."""
    for name in ALL:
        if name == "bool" and isinstance(scalar, np.generic):
            continue  # MLX casts NumPy scalars to bool there (True + np.int64(3) is bool)
        a = mx.array(data((2,), name, seed=5))
        m = to_mlx(a)
        for op in (operator.add, operator.mul, operator.lt):
            try:
                mr = op(m, scalar)
            except Exception as e:  # noqa: BLE001
                assert_raises_like(lambda: op(a, scalar), lambda: op(m, scalar))
                continue
            r = op(a, scalar)
            assert same_dtype(r.dtype, mr.dtype), (name, op, scalar, r.dtype, mr.dtype)
            if not isinstance(scalar, np.generic):  # NumPy scalars handle `scalar op a`
                r2 = op(scalar, a) if op is not operator.lt else operator.gt(scalar, a)
                assert same_dtype(r2.dtype, mr.dtype)


def test_scalar_values_operators():
    a = mx.array([1, 2, 3], mx.int8)
    check(a + 100, [101, 102, 103], dtype="int8")
    check(a * 2.5, [2.5, 5, 7.5], dtype="float32")
    check(mx.array([250], mx.uint8) + 10, [4], dtype="uint8")  # wraps
    h = mx.array([1.0], mx.float16)
    check(h + 1e6, [np.inf], dtype="float16")


def test_scalar_overflow_errors():
    for name, v in [("int8", 1000), ("uint8", -1), ("uint8", 256), ("int16", 2**15),
                    ("int32", 2**40), ("uint32", -1)]:
        a = mx.array([1], mxd(name))
        m = mlx.array([1], mlxd(name))
        assert_raises_like(lambda: a + v, lambda: m + v)
        assert_raises_like(lambda: a < v, lambda: m < v)
        assert_raises_like(lambda: mx.maximum(a, v), lambda: mlx.maximum(m, v))


def test_equality_with_other_types():
    a = mx.array([1, 2])
    assert (a == "a") is (mlx.array([1, 2]) == "a")
    assert (a != "a") is (mlx.array([1, 2]) != "a")
    assert_raises_like(lambda: a + "a", lambda: mlx.array([1, 2]) + "a")
    assert_raises_like(lambda: a < "a", lambda: mlx.array([1, 2]) < "a")
    assert_raises_like(lambda: a + None, lambda: mlx.array([1, 2]) + None)


def test_operator_broadcast_errors():
    a, b = mx.zeros((2, 3)), mx.zeros((4,))
    assert_raises_like(lambda: a + b, lambda: mlx.zeros((2, 3)) + mlx.zeros((4,)))
    assert_raises_like(lambda: a @ b, lambda: mlx.zeros((2, 3)) @ mlx.zeros((4,)))
    assert_raises_like(lambda: mx.array([1, 2]) @ mx.array([1, 2]),
                       lambda: mlx.array([1, 2]) @ mlx.array([1, 2]))


# ------------------------------------------------------------------ in-place


INPLACE = ["+=", "-=", "*=", "/=", "//=", "%=", "**=", "&=", "|=", "^=", "<<=", ">>="]


@pytest.mark.parametrize("name", ["int32", "float32", "bool", "int8", "float16"])
def test_inplace_operators(name):
    for sym in INPLACE:
        for other in (2, 1.5, True, mx.array([1, 2], mx.int32)):
            res = []
            for M in (mx, mlx):
                a = M.array([3, 4], dtype=mxd(name) if M is mx else mlxd(name))
                b = a
                o = other if not isinstance(other, mx.array) else (
                    other if M is mx else to_mlx(other))
                env = {"a": a, "o": o}
                try:
                    exec(f"a {sym} o", {}, env)
                except Exception as e:  # noqa: BLE001
                    res.append(type(e))
                    continue
                res.append((env["a"], b))
            if isinstance(res[1], type):
                assert isinstance(res[0], type) and issubclass(res[0], res[1]), (
                    sym, other, res)
                continue
            assert not isinstance(res[0], type), (sym, other, res[0])
            (a, b), (ma, mb) = res
            assert same_dtype(a.dtype, ma.dtype), (sym, other, a.dtype, ma.dtype)
            check(a, mlx_np(ma))
            # in-place updates are seen through every reference (as in MLX)
            assert b is a
            check(b, mlx_np(mb))


def test_inplace_broadcast_grows():
    a = mx.array([1, 2])
    m = mlx.array([1, 2])
    a += mx.array([[1, 2], [3, 4]])
    m += mlx.array([[1, 2], [3, 4]])
    check(a, mlx_np(m))


def test_inplace_matmul():
    a = mx.array([[1.0, 2.0], [3.0, 4.0]])
    b = a
    a @= mx.array([[0.0, 1.0], [1.0, 0.0]])
    check(b, [[2, 1], [4, 3]])


def test_complex_operators():
    x = np.array([1 + 2j, 3 - 1j, -0.5j], np.complex64)
    y = np.array([2 - 1j, 0.5 + 0.5j, 1], np.complex64)
    a, b = mx.array(x), mx.array(y)
    check(a + b, x + y, dtype="complex64")
    check(a - b, x - y)
    check(a * b, x * y)
    check(-a, -x)
    check(a == b, x == y)
    check(a * 2, x * 2, dtype="complex64")
    check(mx.array([1.0, 2.0]) + 1j, np.array([1 + 1j, 2 + 1j]), dtype="complex64")
    check(mx.sum(a), x.sum(), dtype="complex64")
    check(mx.array([1.0, 2.0]).astype(mx.complex64), [1, 2], dtype="complex64")


def test_complex_abs_and_real_conversion():
    """MLX: abs of complex64 is the float32 magnitude; astype(float32) keeps the real part."""
    x = np.array([3 + 4j, -1 - 1j], np.complex64)
    r, m = mx.abs(mx.array(x)), mlx.abs(mlx.array(x))
    assert same_dtype(r.dtype, m.dtype)
    check(r, np.abs(x))
    check(mx.array(x).astype(mx.float32), x.real, dtype="float32")


COMPLEX_UNARY = {
    "exp": np.exp, "log": np.log, "log1p": np.log1p, "log2": np.log2, "log10": np.log10,
    "sqrt": np.sqrt, "rsqrt": lambda z: 1 / np.sqrt(z), "reciprocal": lambda z: 1 / z,
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "sinh": np.sinh, "cosh": np.cosh,
    "tanh": np.tanh, "arcsin": np.arcsin, "arccos": np.arccos, "arctan": np.arctan,
    "arcsinh": np.arcsinh, "arccosh": np.arccosh, "arctanh": np.arctanh,
    "sign": lambda z: np.where(z == 0, 0, z / np.where(z == 0, 1, np.abs(z))),
    "round": np.round, "square": np.square, "conjugate": np.conjugate,
}


@pytest.mark.parametrize("name", sorted(COMPLEX_UNARY))
def test_complex_unary(name):
    """complex64 transcendentals against NumPy's complex128, over all four
    quadrants, small |z| (where the log1p forms matter), and points near the
    branch cuts; MLX's values agree where MLX has the op."""
    rng = np.random.default_rng(7)
    z = (rng.uniform(-3, 3, 64) + 1j * rng.uniform(-3, 3, 64)).astype(np.complex64)
    z = np.concatenate([z, np.array([1e-4 + 2e-4j, -3e-5j, 0.5 + 0j, -0.5 + 0.1j,
                                     2 + 0.1j, -2 - 0.1j, 0.1 + 2j, 0j], np.complex64)])
    if name in ("log", "log2", "log10", "rsqrt", "reciprocal"):
        z = z[z != 0]
    got = getattr(mx, name)(mx.array(z))
    assert got.dtype == mx.complex64
    want = COMPLEX_UNARY[name](z.astype(np.complex128))
    np.testing.assert_allclose(np.array(got), want, rtol=2e-5, atol=2e-6 * np.abs(want).max())
    if hasattr(mlx, name) and name not in ("sign", "round"):
        np.testing.assert_allclose(np.array(got), np.array(getattr(mlx, name)(mlx.array(z))),
                                   rtol=1e-4, atol=1e-5 * np.abs(want).max())


def test_complex_parts_predicates_and_matmul():
    """real/imag/conj (functions and properties) keep inf and nan where they are
    (imag(inf + 0j) is 0); isnan/isinf look at both parts; matmul and mean of
    complex64 against NumPy."""
    x = np.array([np.inf + 0j, complex(0, np.inf), complex(np.nan, 1), 1 - 2j], np.complex64)
    a = mx.array(x)
    check(mx.imag(a), x.imag, dtype="float32")
    check(a.imag, x.imag, dtype="float32")
    check(a.real, x.real, dtype="float32")
    check(mx.conj(a), np.conj(x), dtype="complex64")
    check(a.conj(), np.conj(x), dtype="complex64")
    check(mx.isnan(a), np.isnan(x))
    check(mx.isinf(a), np.isinf(x))
    check(mx.isfinite(a), np.isfinite(x))
    check(mx.conjugate(mx.array([1.0, -2.0])), [1.0, -2.0], dtype="float32")
    rng = np.random.default_rng(3)
    m = (rng.standard_normal((3, 5, 4)) + 1j * rng.standard_normal((3, 5, 4))).astype(np.complex64)
    n = (rng.standard_normal((4, 6)) + 1j * rng.standard_normal((4, 6))).astype(np.complex64)
    np.testing.assert_allclose(np.array(mx.array(m) @ mx.array(n)), m @ n, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(np.array(mx.mean(mx.array(m), axis=1)), m.mean(axis=1),
                               rtol=1e-5, atol=1e-6)


def test_complex_part_gradients():
    """vjp and jvp of real, imag and conj as MLX has them (imag's cotangent comes
    back as i * g)."""
    x = np.array([1 + 2j, 3 - 1j], np.complex64)
    g = np.array([1.0, 2.0], np.float32)
    for name in ("real", "imag"):
        ours = mx.vjp(getattr(mx, name), [mx.array(x)], [mx.array(g)])[1][0]
        theirs = mlx.vjp(getattr(mlx, name), [mlx.array(x)], [mlx.array(g)])[1][0]
        check(ours, np.array(theirs), dtype="complex64")
        ours = mx.jvp(getattr(mx, name), [mx.array(x)], [mx.array(x)])[1][0]
        check(ours, getattr(x, name), dtype="float32")
    ours = mx.vjp(mx.conj, [mx.array(x)], [mx.array(x)])[1][0]
    check(ours, np.conj(x), dtype="complex64")
    batched = mx.vmap(mx.imag)(mx.array(np.stack([x, 2 * x])))
    check(batched, np.stack([x, 2 * x]).imag, dtype="float32")


COMPLEX_VJP = {
    "exp": lambda m, a, b: m.exp(a) * b, "multiply": lambda m, a, b: a * b,
    "divide": lambda m, a, b: a / b, "sin": lambda m, a, b: m.sin(a * b),
    "matmul": lambda m, a, b: m.reshape(a, (2, 2)) @ m.reshape(b, (2, 2)),
    "prod": lambda m, a, b: m.prod(a * b, keepdims=True),
}


@pytest.mark.parametrize("name", sorted(COMPLEX_VJP))
def test_complex_vjp_matches_mlx(name):
    """The VJP of a holomorphic op on complex64 is g * conj(f'(z)) (MLX's and JAX's
    convention): against MLX for both inputs."""
    x = np.array([1 + 2j, 3 - 1j, -0.5 + 0.25j, 2j], np.complex64)
    y = np.array([0.5 - 1j, 1 + 1j, 2 - 0.5j, -1 + 0.5j], np.complex64)
    fn = COMPLEX_VJP[name]
    g = np.array(fn(mlx, mlx.array(x), mlx.array(y)))
    ours = mx.vjp(lambda a, b: fn(mx, a, b), [mx.array(x), mx.array(y)], [mx.array(g)])[1]
    theirs = mlx.vjp(lambda a, b: fn(mlx, a, b), [mlx.array(x), mlx.array(y)],
                     [mlx.array(g)])[1]
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(np.array(o), np.array(t), rtol=2e-5, atol=1e-5)


@pytest.mark.parametrize("op", ["argmax", "argmin", "max", "min", "sort", "cummax", "cummin"])
def test_complex_reductions_that_order_raise(op):
    """Reductions, scans and sorts that order complex64 are refused where the op is
    created (ValueError naming the op), never a compiler error."""
    a = mx.array(np.array([1 + 2j, 3 - 1j], np.complex64))
    with pytest.raises(ValueError, match=op):
        mx.eval(getattr(mx, op)(a))


@pytest.mark.parametrize("op", ["less", "less_equal", "greater", "greater_equal", "maximum",
                                "minimum", "floor_divide", "logaddexp"])
def test_complex_binary_orderings_match_mlx(op):
    """MLX orders complex64 lexicographically (real part, then imaginary part) in
    comparisons, maximum and minimum; its floor_divide divides and its logaddexp is
    max + log1p(exp(min - max)) in that order."""
    x = np.array([1 + 2j, 3 - 1j, 1 + 3j, -2 + 0j, 0.5 - 0.5j], np.complex64)
    y = np.array([1 + 1j, 3 - 1j, 0 + 5j, -2 + 1j, 0.5 - 0.5j], np.complex64)
    got = getattr(mx, op)(mx.array(x), mx.array(y))
    want = getattr(mlx, op)(mlx.array(x), mlx.array(y))
    assert same_dtype(got.dtype, want.dtype)
    np.testing.assert_allclose(np.array(got), np.array(want), rtol=2e-6, atol=1e-6)


def test_complex_cumprod_vjp():
    """cumprod's VJP on complex64 against the same products written as multiplies
    (MLX 0.32's cumprod VJP leaves out the conjugate: for [a, b] and g = [1, i]
    it gives 2+3j where g0 + g1 conj(b) = 3j)."""
    x = mx.array(np.array([1 + 2j, 3 - 1j, -0.5 + 0.25j, 2j], np.complex64))
    g = mx.array(np.array([1, 1j, -2 + 1j, 0.5], np.complex64))

    def by_multiplies(a):
        out = [a[0]]
        for i in range(1, 4):
            out.append(out[-1] * a[i])
        return mx.stack(out)

    ours = mx.vjp(mx.cumprod, [x], [g])[1][0]
    check(ours, np.array(mx.vjp(by_multiplies, [x], [g])[1][0]), dtype="complex64",
          rtol=1e-5, atol=1e-6)
    a, b = np.array(x)[:2]
    check(mx.vjp(mx.cumprod, [x[:2]], [g[:2]])[1][0], [1 + 1j * np.conj(b), 1j * np.conj(a)],
          rtol=1e-6, atol=1e-6)


# ------------------------------------------------------------------ module attributes


@pytest.mark.cpu_only(reason="checks the initial default device (the CPU)")
def test_devices_streams_constants():
    for M in (mx, mlx):
        assert repr(M.default_device()) == "Device(cpu, 0)"
    assert mx.default_device() == mx.cpu
    assert repr(mx.cpu) == repr(mlx.cpu) and repr(mx.gpu) == repr(mlx.gpu)
    assert repr(mx.default_stream(mx.cpu)) == repr(mlx.default_stream(mlx.cpu))
    assert mx.Device(mx.cpu) == mx.cpu
    with mx.stream(mx.cpu):
        check(mx.add(mx.array([1]), 1, stream=mx.cpu), [2])
    assert mx.pi == mlx.pi and mx.e == mlx.e and mx.inf == mlx.inf
    assert np.isnan(mx.nan) and mx.euler_gamma == mlx.euler_gamma and mx.newaxis is None
    a = mx.arange(3) * 2
    mx.async_eval(a)
    check(a, [0, 2, 4])


# ------------------------------------------------------------------ astype


REAL_NAMES = [n for n in ALL if n != "complex64"]


def _astype_source(src):
    if src == "bool":
        return np.array([True, False, True, True, False, True, False, False])
    if src in FLOATS:
        return np.array([0.0, 1.5, -0.0, 2.75, 100.25, 7.9, 3.0, 0.5])
    if src.startswith("int"):
        return np.array([0, -1, 3, -7, 100, 2, -5, 1])
    return np.array([0, 1, 3, 7, 100, 2, 5, 1])


@pytest.mark.parametrize("src", REAL_NAMES)
def test_astype_all_pairs(src):
    """Conversions from ``src`` to every other real dtype (one program), against MLX:
    floats truncate toward zero, nonzero is True, True is 1."""
    x = _astype_source(src)
    a = mx.array(x, mxd(src))
    lazy = a + 0 if src != "bool" else mx.logical_not(mx.logical_not(a))
    # Two programs: int8 and uint8 results of one input are the same signless values,
    # and identical results in one program crash the compiler (test_eval_identical_results).
    names = computed_dtypes(REAL_NAMES)
    targets = [d for d in names if d != src and not d.startswith("uint")]
    targets += [d for d in names if d != src and d.startswith("uint")]
    outs = [lazy.astype(mxd(d)) for d in targets]
    mx.eval([o for d, o in zip(targets, outs) if not d.startswith("uint")])
    mx.eval([o for d, o in zip(targets, outs) if d.startswith("uint")])
    m = to_mlx(a)
    for d, out in zip(targets, outs):
        assert_dtype(out, d)
        ref = mlx_np(m.astype(mlxd(d)))
        got = to_np(out)
        if d.startswith("uint") or (src in FLOATS and d not in FLOATS):
            keep = (x >= 0) & (x < 128)  # out-of-range conversions are undefined in C
            ref, got = ref[keep], got[keep]
        np.testing.assert_array_equal(got.astype(np.float64), ref.astype(np.float64),
                                      err_msg=f"{src} -> {d}")
    assert a.astype(mxd(src)) is a


def test_astype_special_values():
    f = mx.array([np.nan, np.inf, -np.inf, 0.0, -0.0])
    check(f.astype(mx.bool_), [True, True, True, False, False], dtype="bool")
    check(f.astype(mx.float16), [np.nan, np.inf, -np.inf, 0, 0], dtype="float16")
    check(mx.array([70000.0]).astype(mx.float16), [np.inf])
    check(mx.array([1e-8]).astype(mx.float16), [0.0])
    check(mx.array([1.7, -1.7, 2.5]).astype(mx.int32), [1, -1, 2])
    check(mx.array([300, -1]).astype(mx.uint8), [44, 255])  # integers wrap
    check(mx.array([2**40]).astype(mx.int32), [0])
    check(mx.array([1.5, 2.5], mx.bfloat16).astype(mx.float16), [1.5, 2.5], dtype="float16")
    assert_raises_like(lambda: mx.array([1]).astype("float32"),
                       lambda: mlx.array([1]).astype("float32"))
