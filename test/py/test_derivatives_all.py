"""Every op with a derivative rule, one table: the VJP and the JVP against a
central-difference Jacobian (float64, CPU) and against each other
(<v, J u> == <J^T v, u>), and the JVP of the VJP against differences of the VJP
(second order); non-differentiable ops give exactly zero. The table is
checked against dialect/ArrayOps.td, so an op with a rule cannot go untested.
Then MLX's conventions (ties, argnames, errors), compared with MLX itself, and
dtype edge cases. (test_transforms.py holds the guide's examples, higher order
and the API's basics.)"""

import math
import re
from pathlib import Path
from typing import Callable, NamedTuple

import mlx.core as mlx
import numpy as np
import pytest

import mxc.core as mx

# Every test runs with the CPU and with the GPU as default device (conftest.py).
pytestmark = pytest.mark.usefixtures("on_device")

R = np.random.default_rng(20240604)
TD = Path(__file__).resolve().parents[2] / "dialect" / "ArrayOps.td"


def on_gpu():
    return mx.default_device() == mx.gpu


def f64(x):
    """The table's working precision: float64 on the CPU; float32 on the GPU, which
    has no float64 (MLX's rule). The references stay float64 on the CPU."""
    return mx.array(np.asarray(x, dtype=np.float64), dtype=WORK())


def WORK():
    return mx.float32 if on_gpu() else mx.float64


#: Looser tolerances on the GPU where the case changes precision there.
GPU_TOL = {"convert": 2e-3}  # float32 -> float16 (the CPU's float64 -> float32)


def gtol(t):
    """A tolerance ``t`` of the float64 table, as float32 on the GPU can meet it."""
    return max(t, 2e-4) if on_gpu() else t


def uniform(*shape, lo=-1.5, hi=1.5):
    return R.uniform(lo, hi, size=shape)


def away_from_zero(*shape, lo=0.3, hi=1.5):
    return uniform(*shape, lo=lo, hi=hi) * R.choice([-1.0, 1.0], size=shape)


def distinct(*shape):
    """Values at least 0.05 apart (no ties for max, sort, scans)."""
    n = int(np.prod(shape))
    return R.permutation(np.arange(n) * 0.1 - 0.05 * n + R.uniform(0, 0.05, n)).reshape(shape)


class Case(NamedTuple):
    fn: Callable
    inputs: tuple  # NumPy float64 arrays; every one is differentiated
    zero: bool = False  # a non-differentiable op: every derivative is exactly 0
    fd: bool = True  # False where differences see through the op (stop_gradient)
    eps: float = 1e-6
    tol: float = 1e-6


def C(fn, *inputs, **kw):
    return Case(fn, tuple(np.asarray(x, dtype=np.float64) for x in inputs), **kw)


def Z(fn, *inputs):
    return C(fn, *inputs, zero=True)


IDX = mx.array([0, 2, 0])
KEY = mx.random.key(7)


def _set_rows(x, v):
    y = x * 1.0
    y[mx.array([2, 0])] = v
    return y


def _set_repeated(x, v):
    y = x * 1.0
    y[mx.array([0, 2, 0, 2])] = v  # the last write to a row wins
    return y


def _set_box(x, v):
    y = x * 1.0
    y[0, 1:3] = v
    return y


def _int(x):
    return (x * 4).astype(mx.int32)


def _float(a):
    return a.astype(WORK())


UNARY_DOMAIN = {
    "abs": away_from_zero, "log": lambda *s: uniform(*s, lo=0.5, hi=2),
    "log1p": lambda *s: uniform(*s, lo=-0.5, hi=2), "log2": lambda *s: uniform(*s, lo=0.5, hi=2),
    "log10": lambda *s: uniform(*s, lo=0.5, hi=2), "sqrt": lambda *s: uniform(*s, lo=0.5, hi=2),
    "rsqrt": lambda *s: uniform(*s, lo=0.5, hi=2), "reciprocal": away_from_zero,
    "tan": lambda *s: uniform(*s, lo=-1, hi=1), "arcsin": lambda *s: uniform(*s, lo=-0.8, hi=0.8),
    "arccos": lambda *s: uniform(*s, lo=-0.8, hi=0.8),
    "arccosh": lambda *s: uniform(*s, lo=1.5, hi=3),
    "arctanh": lambda *s: uniform(*s, lo=-0.8, hi=0.8),
    "erfinv": lambda *s: uniform(*s, lo=-0.8, hi=0.8),
}
UNARY = ["abs", "negative", "square", "exp", "expm1", "log", "log1p", "log2", "log10", "sin",
         "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "arcsinh",
         "arccosh", "arctanh", "sqrt", "rsqrt", "reciprocal", "erf", "erfinv", "sigmoid"]
BINARY = ["add", "subtract", "multiply", "divide", "power", "maximum", "minimum", "arctan2",
          "logaddexp"]


def _table():
    t = {}
    for name in UNARY:
        op, dom = getattr(mx, name), UNARY_DOMAIN.get(name, uniform)
        t[name] = [C(op, dom(2, 3)), C(op, dom())]
    for name in BINARY:
        op = getattr(mx, name)
        a, b = uniform(2, 3, lo=0.5, hi=2), uniform(3, lo=0.5, hi=2)
        t[name] = [C(op, a, b), C(lambda x, y, op=op: op(y, x), a, b)]  # broadcasting both ways
    t["remainder"] = [C(mx.remainder, uniform(2, 3, lo=0.2, hi=2), uniform(3, lo=2.5, hi=3)),
                      C(mx.remainder, uniform(2, 3, lo=2.2, hi=4), uniform(3, lo=1.0, hi=2.1))]
    t["select"] = [C(lambda x, y: mx.where(mx.array([[True, False, True], [False, False, True]]),
                                           x, y), uniform(2, 3), uniform(2, 3)),
                   C(lambda x: mx.where(x > 0, x * x, -x), away_from_zero(2, 3))]
    t["convert"] = [C(lambda x: x.astype(mx.float16 if on_gpu() else mx.float32) * 3, uniform(2, 3), eps=1e-2, tol=1e-4),
                    C(lambda x: x.astype(mx.float16).astype(mx.float32) * 2, uniform(3),
                      eps=1e-1, tol=1e-2)]
    # complex64 in the middle: imag is R-linear (cotangent i * g), conj linear.
    t["imag"] = [C(lambda x: mx.imag(x * (1 + 2j)) * x, uniform(2, 3), eps=1e-3, tol=2e-4)]
    t["conjugate"] = [C(lambda x: mx.real(mx.conj(x * (1 + 2j)) * (3 - 1j)) + mx.imag(mx.conj(x * 1j)) * x,
                        uniform(2, 3), eps=1e-3, tol=2e-4)]
    t["constant"] = [C(lambda x: x * 2.5 + mx.ones((2, 3), dtype=WORK()), uniform(2, 3))]
    t["iota"] = [C(lambda x: x * mx.arange(3, dtype=WORK()), uniform(2, 3))]
    # random bits -> bitcast to float32 -> uniform: constants to the derivative.
    t["random_bits"] = [C(lambda x: x * mx.random.uniform(shape=(2, 3), key=KEY), uniform(2, 3))]
    t["bitcast"] = t["random_bits"]
    t["stop_gradient"] = [C(lambda x: mx.stop_gradient(x) * 2.0, uniform(2, 3), zero=True,
                            fd=False),
                          C(lambda x: mx.stop_gradient(mx.sin(x)), uniform(3), zero=True,
                            fd=False)]
    # shape
    t["broadcast_in_dim"] = [C(lambda x: mx.broadcast_to(x[:, None, :], (2, 4, 3)), uniform(2, 3)),
                             C(lambda x: mx.broadcast_to(x, (2, 3)), uniform(1, 3)),
                             C(lambda x: x + 0 * mx.ones((2, 2)), uniform())]
    t["reshape"] = [C(lambda x: (x + x).reshape(3, 2), uniform(2, 3)),
                    C(lambda x: mx.sin(x).reshape(-1), uniform(2, 1, 3))]
    t["transpose"] = [C(lambda x: x.T, uniform(2, 3)),
                      C(lambda x: mx.transpose(x, (2, 0, 1)), uniform(2, 3, 2))]
    t["slice"] = [C(lambda x: x[::-1, ::2], uniform(3, 4)), C(lambda x: x[1:, 1::2], uniform(3, 4))]
    t["dynamic_slice"] = [C(lambda x: x[1], uniform(3, 4)), C(lambda x: x[:, 1:3], uniform(3, 4)),
                          C(lambda x: x[mx.array(2), 1:], uniform(3, 4))]
    t["dynamic_update_slice"] = [C(_set_box, uniform(2, 3), uniform(2))]
    t["concatenate"] = [C(lambda x, y: mx.concatenate([x, y, x], axis=1), uniform(2, 3),
                          uniform(2, 1)),
                        C(lambda x: mx.stack([x, x * 2]), uniform(3))]
    t["pad"] = [C(lambda x: mx.pad(x, [(1, 0), (0, 2)]), uniform(2, 3)),
                C(lambda x, c: mx.pad(x, [(1, 1), (2, 0)], constant_values=c), uniform(2, 3),
                  uniform())]
    # indexing (repeated indices where the op accumulates)
    t["gather"] = [C(lambda x: x[IDX], uniform(3, 4)),
                   C(lambda x: mx.take(x, mx.array([3, 1]), axis=1), uniform(3, 4)),
                   C(lambda x: mx.take_along_axis(x, mx.array([[1], [0], [3]]), 1), uniform(3, 4))]
    t["scatter"] = [C(_set_rows, uniform(3, 4), uniform(2, 4)),
                    C(_set_repeated, uniform(3, 2), uniform(4, 2)),
                    C(lambda x, v: mx.put_along_axis(x, mx.array([[1], [0]]), v, 1), uniform(2, 3),
                      uniform(2, 1))]
    t["scatter_add"] = [C(lambda x, v: x.at[IDX].add(v), uniform(3, 4), uniform(3, 4)),
                        C(lambda x, v: x.at[IDX].subtract(v), uniform(3), uniform(3))]
    t["scatter_multiply"] = [
        C(lambda x, v: x.at[IDX].multiply(v), uniform(3, 4), uniform(3, 4)),
        C(lambda x, v: x.at[IDX].divide(v), uniform(3), away_from_zero(3)),
        # zeros: one zero factor at position 0 (an update) and 1 (the operand), two at 3
        C(lambda x, v: x.at[mx.array([0, 0, 1, 3, 3])].multiply(v), [1.3, 0.0, -0.7, 2.0],
          [0.0, 1.5, 2.0, 0.0, 0.0])]
    for name, method in (("scatter_max", "maximum"), ("scatter_min", "minimum")):
        t[name] = [C(lambda x, v, m=method: getattr(x.at[IDX], m)(v), distinct(3, 4),
                     distinct(3, 4)),
                   C(lambda x, v, m=method: getattr(x.at[mx.array([1, 1])], m)(v), distinct(3),
                     distinct(2))]
    # reductions
    t["sum"] = [C(lambda x: mx.sum(x, axis=1), uniform(2, 3)), C(mx.sum, uniform(2, 3)),
                C(lambda x: mx.mean(x, axis=(0, 2), keepdims=True), uniform(2, 3, 2))]
    t["prod"] = [C(lambda x: mx.prod(x, axis=1), uniform(2, 3)),
                 C(lambda x: mx.prod(x, axis=(0, 2)), uniform(2, 3, 2)),
                 C(lambda x: mx.prod(x, axis=1), [[2.0, 0.0, 3.0], [0.0, -1.5, 0.0]]),
                 C(mx.prod, [[0.5, 0.0], [3.0, 1.5]])]
    for name in ("max", "min"):
        op = getattr(mx, name)
        t[name] = [C(lambda x, op=op: op(x, axis=1), distinct(2, 3)),
                   C(lambda x, op=op: op(x), distinct(2, 3)),
                   C(lambda x, op=op: op(x, axis=(0, 2)), distinct(2, 3, 2))]
    # scans: inclusive, exclusive, reverse, both
    variants = [dict(), dict(inclusive=False), dict(reverse=True),
                dict(reverse=True, inclusive=False)]
    for name in ("cumsum", "cumprod", "cummax", "cummin"):
        op = getattr(mx, name)
        t[name] = [C(lambda x, op=op, kw=kw: op(x, axis=1, **kw), distinct(3, 5)) for kw in variants]
        t[name].append(C(lambda x, op=op: op(x, axis=0, reverse=True), distinct(3, 2)))
    t["cumprod"] += [C(lambda x, kw=kw: mx.cumprod(x, axis=1, **kw),
                       [[2.0, 0.0, 3.0, 0.5, 0.0], [0.7, -1.2, 1.5, 0.0, 2.0]]) for kw in variants]
    t["sort"] = [C(lambda x: mx.sort(x, axis=1), distinct(3, 4)),
                 C(lambda x: mx.sort(x, axis=0), distinct(3, 4)), C(mx.sort, distinct(5))]
    t["matmul"] = [C(lambda a, b: a @ b, uniform(2, 3), uniform(3, 4)),
                   C(lambda a, b: a @ b, uniform(2, 2, 3), uniform(2, 3, 2)),
                   C(lambda a, b: a @ b, uniform(3), uniform(3, 2)),
                   C(lambda a: a @ a.T, uniform(2, 3))]
    # piecewise constant, boolean, integer ops: zero derivatives
    for name in ("sign", "floor", "ceil", "round"):
        op = getattr(mx, name)
        t[name] = [Z(lambda x, op=op: op(x * 3), away_from_zero(2, 3))]
    t["floor_divide"] = [Z(mx.floor_divide, uniform(2, 3, lo=0.5, hi=4),
                           uniform(3, lo=0.5, hi=2))]
    for name in ("equal", "not_equal", "less", "less_equal", "greater", "greater_equal"):
        op = getattr(mx, name)
        t[name] = [Z(lambda x, y, op=op: _float(op(x, y)), distinct(2, 3), distinct(2, 3))]
    t["isnan"] = [Z(lambda x: _float(mx.isnan(mx.log(x))), uniform(2, 3))]
    t["isinf"] = [Z(lambda x: _float(mx.isinf(1.0 / x)), away_from_zero(2, 3))]
    t["logical_not"] = [Z(lambda x: _float(mx.logical_not(x > 0)), away_from_zero(2, 3))]
    for name in ("logical_and", "logical_or"):
        op = getattr(mx, name)
        t[name] = [Z(lambda x, y, op=op: _float(op(x > 0, y > 0)), away_from_zero(2, 3),
                     away_from_zero(2, 3))]
    t["all"] = [Z(lambda x: _float(mx.all(x > 0, axis=1)), away_from_zero(2, 3))]
    t["any"] = [Z(lambda x: _float(mx.any(x > 0, axis=1)), away_from_zero(2, 3))]
    t["bitwise_invert"] = [Z(lambda x: _float(~_int(x)), uniform(2, 3))]
    for name in ("bitwise_and", "bitwise_or", "bitwise_xor", "left_shift", "right_shift"):
        op = getattr(mx, name)
        t[name] = [Z(lambda x, y, op=op: _float(op(mx.abs(_int(x)), mx.abs(_int(y)) % 3)),
                     uniform(2, 3), uniform(2, 3))]
    for name in ("argmax", "argmin", "argsort"):
        op = getattr(mx, name)
        t[name] = [Z(lambda x, op=op: _float(op(x, axis=1)), distinct(2, 3))]
    return t


TABLE = _table()


def differentiable_ops():
    """Mnemonics of the ops of ArrayOps.td that carry Transformable (and so
    DifferentiableOpInterface), directly or through their base class."""
    marked, ops = set(), set()
    for record in re.split(r"^(?=(?:class|def) )", TD.read_text(), flags=re.M):
        m = re.match(r"(class|def) (\w+)", record)
        if not m:
            continue
        header = re.split(r"[{;]", record, maxsplit=1)[0]
        base = re.search(r":\s*(\w+)", header)
        if "Transformable" in header or (base and base.group(1) in marked):
            marked.add(m.group(2))
            mnemonic = re.search(r':\s*\w+<"(\w+)"', header)
            if m.group(1) == "def" and mnemonic:
                ops.add(mnemonic.group(1))
    return ops


def test_table_covers_every_op_with_a_rule():
    ops = differentiable_ops()
    assert {"sin", "scatter_max", "cummin", "matmul", "random_bits"} <= ops  # the parse works
    assert "vjp" not in ops and "vmap" not in ops
    assert sorted(ops - set(TABLE)) == [], "ops with a derivative rule missing from TABLE"
    assert sorted(set(TABLE) - ops) == [], "TABLE names ops without a rule"


CASES = [(name, i) for name in sorted(TABLE) for i in range(len(TABLE[name]))]


def prims(outputs):
    """The dialect ops of the lazy graph behind ``outputs``."""
    seen, stack, found = set(), list(outputs), set()
    while stack:
        a = stack.pop()
        node = a._node
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        found.add(node.prim)
        stack.extend(node.inputs)
    return found


def fd_jacobians(fn, xs, eps):
    """dy/dx_k for each input by central differences: arrays of shape y.shape + x_k.shape
    (in float64 on the CPU, whatever the default device)."""
    with mx.stream(mx.cpu):
        return _fd_jacobians(fn, xs, eps)


def _fd_jacobians(fn, xs, eps):
    y0 = np.array(fn(*map(f64, xs)))
    jacs = []
    for k, x in enumerate(xs):
        jac = np.zeros(y0.shape + x.shape)
        for i in np.ndindex(x.shape):
            hi, lo = [list(xs), list(xs)]
            hi[k], lo[k] = x.copy(), x.copy()
            hi[k][i] += eps
            lo[k][i] -= eps
            up, down = (np.array(fn(*map(f64, p)), dtype=np.float64) for p in (hi, lo))
            # equal values (the infinite identity of an exclusive scan) do not move
            moved = np.subtract(up, down, out=np.zeros_like(up), where=up != down)
            jac[(...,) + i] = moved / (2 * eps)
        jacs.append(jac)
    return y0, jacs


@pytest.mark.parametrize("name,i", CASES, ids=[f"{n}-{i}" for n, i in CASES])
def test_vjp_and_jvp(name, i):
    case = TABLE[name][i]
    rng = np.random.default_rng(CASES.index((name, i)))
    xs = [f64(x) for x in case.inputs]
    assert name in prims([case.fn(*xs)]), f"the case does not use array.{name}"
    y0, jacs = fd_jacobians(case.fn, case.inputs, case.eps)
    v = rng.normal(size=y0.shape)
    us = [rng.normal(size=x.shape) for x in case.inputs]
    (y,), cts = mx.vjp(case.fn, xs, [f64(v)])
    (y2,), (jv,) = mx.jvp(case.fn, xs, [f64(u) for u in us])
    rtol = gtol(max(1e-12, GPU_TOL.get(name, 0) if on_gpu() else 0))
    np.testing.assert_allclose(np.array(y), y0, rtol=rtol, atol=0 if rtol < 1e-6 else rtol)
    np.testing.assert_allclose(np.array(y2), y0, rtol=rtol, atol=0 if rtol < 1e-6 else rtol)
    assert jv.dtype == y.dtype and jv.shape == y.shape
    for x, ct in zip(xs, cts):
        assert ct.dtype == x.dtype and ct.shape == x.shape
    cts = [np.array(c) for c in cts]
    jv = np.array(jv, dtype=np.float64)
    if case.zero:
        for ct in cts:
            assert not ct.any()
        assert not jv.any()
    # the JVP and the VJP are transposes of one linear map
    lhs = float((v * jv).sum())
    rhs = float(sum((ct * u).sum() for ct, u in zip(cts, us)))
    extra = GPU_TOL.get(name, 0) if on_gpu() else 0
    assert math.isclose(lhs, rhs, rel_tol=gtol(max(case.tol, 1e-10, extra)),
                        abs_tol=gtol(1e-12)), (lhs, rhs)
    if not case.fd:
        return
    scale = max(1.0, *(np.abs(j).max(initial=0) for j in jacs))
    tol = gtol(max(case.tol, extra))
    atol = tol * scale
    for ct, jac in zip(cts, jacs):
        np.testing.assert_allclose(ct, np.tensordot(v, jac, axes=v.ndim), rtol=tol,
                                   atol=atol)
    expected = sum(np.tensordot(jac, u, axes=u.ndim) for jac, u in zip(jacs, us))
    np.testing.assert_allclose(jv, expected, rtol=tol, atol=atol)


SECOND = [(n, i) for n, i in CASES if TABLE[n][i].fd and not TABLE[n][i].zero
          and TABLE[n][i].tol <= 1e-6]


@pytest.mark.parametrize("name,i", SECOND, ids=[f"{n}-{i}" for n, i in SECOND])
def test_second_order(name, i):
    """The rules of the rules: the JVP of the VJP (a Hessian-vector product)
    against central differences of the VJP."""
    case = TABLE[name][i]
    rng = np.random.default_rng(CASES.index((name, i)))
    v = rng.normal(size=np.shape(case.fn(*map(f64, case.inputs))))
    us = [rng.normal(size=x.shape) for x in case.inputs]

    def pullback(*xs):
        return mx.vjp(case.fn, list(xs), [f64(v)])[1]

    _, hvp = mx.jvp(pullback, [f64(x) for x in case.inputs], [f64(u) for u in us])
    eps = 1e-5
    with mx.stream(mx.cpu):  # the reference: float64 differences on the CPU
        up = pullback(*(f64(x + eps * u) for x, u in zip(case.inputs, us)))
        down = pullback(*(f64(x - eps * u) for x, u in zip(case.inputs, us)))
        expected = [(np.array(a) - np.array(b)) / (2 * eps) for a, b in zip(up, down)]
    tol = gtol(1e-5)
    for h, e in zip(hvp, expected):
        np.testing.assert_allclose(np.array(h), e, rtol=tol,
                                   atol=tol * max(1.0, np.abs(e).max(initial=0)))


# ------------------------------------------------------------- MLX's conventions


def both(fn_mxc, fn_mlx, *arrays):
    """``fn`` applied in mxc and in MLX to the same float32 data, as NumPy."""
    out = fn_mxc(*(mx.array(np.float32(a)) for a in arrays))
    ref = fn_mlx(*(mlx.array(np.float32(a)) for a in arrays))
    return out, ref


def assert_same(out, ref):
    if isinstance(out, (list, tuple)):
        assert isinstance(ref, (list, tuple)) and len(out) == len(ref)
        for o, r in zip(out, ref):
            assert_same(o, r)
        return
    np.testing.assert_allclose(np.array(out), np.array(ref), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name", ["maximum", "minimum"])
def test_ties_of_maximum_minimum_match_mlx(name):
    a, b = [1.0, 2.0, 3.0, -1.0], [1.0, 3.0, 3.0, -2.0]  # ties at 0 and 2

    def grads(lib):
        op = getattr(lib, name)
        return lib.grad(lambda x, y: op(x, y).sum(), argnums=(0, 1))

    assert_same(*both(grads(mx), grads(mlx), a, b))
    # the JVP follows the same side
    jv = mx.jvp(getattr(mx, name), [mx.array(a), mx.array(b)],
                [mx.ones((4,)), mx.full((4,), 10.0)])[1][0]
    ref = mlx.jvp(getattr(mlx, name), [mlx.array(a), mlx.array(b)],
                  [mlx.ones((4,)), mlx.full((4,), 10.0)])[1][0]
    assert_same(jv, ref)


@pytest.mark.parametrize("method", ["maximum", "minimum"])
def test_ties_of_scatter_extrema_match_jax(method):
    # Tied winners share the cotangent, as in JAX (and MLX's max reduction); MLX's
    # scatter gives each one all of it (see the next test for why we do not).
    import jax
    import jax.numpy as jnp

    x, u = [1.0, 2.0, 3.0, 0.5], [1.0, 1.0, 3.0, 0.25, 2.0]  # ties with the operand and within u
    idx = [0, 0, 2, 3, 1]
    ct, t = [1.0, 10.0, 100.0, 1000.0], ([1.0, 2.0, 3.0, 4.0], [10.0, 20.0, 30.0, 40.0, 50.0])
    jax_method = {"maximum": "max", "minimum": "min"}[method]

    def ref_f(p, q):
        return getattr(p.at[jnp.array(idx)], jax_method)(q)

    def f(p, q):
        return getattr(p.at[mx.array(idx)], method)(q)

    ref_cts = jax.vjp(ref_f, jnp.array(x), jnp.array(u))[1](jnp.array(ct))
    ref_jv = jax.jvp(ref_f, (jnp.array(x), jnp.array(u)), tuple(map(jnp.array, t)))[1]
    cts = mx.vjp(f, [mx.array(x), mx.array(u)], [mx.array(ct)])[1]
    jv = mx.jvp(f, [mx.array(x), mx.array(u)], [mx.array(a) for a in t])[1][0]
    for c, r in zip(cts, ref_cts):
        np.testing.assert_allclose(np.array(c), np.asarray(r), rtol=1e-6)
    np.testing.assert_allclose(np.array(jv), np.asarray(ref_jv), rtol=1e-6)


def test_scatter_extremum_of_a_broadcast_value_has_its_true_derivative():
    # d/ds sum(zeros(2).at[[0, 0]].maximum(s)) = 1 at s = 1: the two tied copies are
    # one variable. (MLX 0.32 gives 2 here.)
    for method in ("maximum", "minimum"):
        g = mx.grad(lambda s: getattr(mx.zeros((2,)).at[mx.array([0, 0])], method)(s).sum())
        assert g(mx.array(1.0 if method == "maximum" else -1.0)).item() == 1.0


def test_repeated_indices_of_setitem_match_jax():
    # The last write wins, so only it gets a cotangent: JAX's rule, and the true
    # derivative (MLX 0.32 gives every repeated update the cotangent).
    import jax
    import jax.numpy as jnp

    x, u, ct = [1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0], [1.0, 10.0, 100.0]

    def f(a, b):
        a = a * 1.0
        a[mx.array([0, 2, 0, 2])] = b
        return a

    ref = jax.vjp(lambda a, b: a.at[jnp.array([0, 2, 0, 2])].set(b), jnp.array(x),
                  jnp.array(u))[1](jnp.array(ct))
    out = mx.vjp(f, [mx.array(x), mx.array(u)], [mx.array(ct)])[1]
    for o, r in zip(out, ref):
        np.testing.assert_allclose(np.array(o), np.asarray(r))
    np.testing.assert_allclose(np.array(out[1]), [0.0, 0.0, 1.0, 100.0])


SCAN_TIES = [(name, kw) for name in ("cummax", "cummin")
             for kw in (dict(), dict(reverse=True), dict(inclusive=False),
                        dict(reverse=True, inclusive=False))]


@pytest.mark.parametrize("name,kw", SCAN_TIES, ids=[f"{n}-{k}" for n, k in SCAN_TIES])
def test_ties_of_scans_and_reductions_match_mlx(name, kw):
    x = [1.0, 1.0, 0.5, 1.0, 2.0, 0.5, 2.0]

    def grad(lib):
        op = getattr(lib, name)
        return lib.grad(lambda a: (op(a, **kw) * lib.arange(7)).sum())

    assert_same(*both(grad(mx), grad(mlx), x))
    red = "max" if name == "cummax" else "min"
    assert_same(*both(mx.grad(getattr(mx, red)), mlx.grad(getattr(mlx, red)), x))


@pytest.mark.parametrize("kw", [dict(), dict(reverse=True), dict(inclusive=False),
                                dict(reverse=True, inclusive=False)], ids=str)
def test_products_with_zeros_match_mlx(kw):
    x = [[2.0, 0.0, 3.0, 0.5, 0.0], [0.7, -1.2, 1.5, 0.0, 2.0], [1.0, 2.0, 0.5, 3.0, 1.5]]

    def grad(lib):
        return lib.grad(lambda a: (lib.cumprod(a, axis=1, **kw) * lib.arange(5)).sum())

    assert_same(*both(grad(mx), grad(mlx), x))

    def grad_prod(lib):
        return lib.grad(lambda a: (lib.prod(a, axis=1) * lib.arange(3)).sum())

    assert_same(*both(grad_prod(mx), grad_prod(mlx), x))


def _args_structure(lib, argnums, argnames):
    def f(x, z, *, y, w):
        return (x * y * z * w).sum()

    kwargs = {} if argnums is None else {"argnums": argnums}
    return lib.grad(f, argnames=argnames, **kwargs)(
        lib.array([1.0, 2.0]), lib.array(2.0), y=lib.array(3.0), w=lib.array(0.5))


ARGS = [(None, "y"), (None, ["y", "w"]), (0, "y"), ([0], ["w"]), ((0, 1), ("y",)), (1, ()),
        ((0, 1), ())]


@pytest.mark.parametrize("argnums,argnames", ARGS, ids=str)
def test_argnums_and_argnames_structure_matches_mlx(argnums, argnames):
    out = _args_structure(mx, argnums, argnames)
    ref = _args_structure(mlx, argnums, argnames)

    def same(o, r):
        if r is None or isinstance(r, mlx.array):
            assert (o is None) == (r is None), (out, ref)
            if r is not None:
                np.testing.assert_allclose(np.array(o), np.array(r))
            return
        assert type(o) is type(r), (out, ref)
        if isinstance(r, dict):
            assert list(o) == list(r)
            for k in r:
                same(o[k], r[k])
        else:
            assert len(o) == len(r)
            for a, b in zip(o, r):
                same(a, b)

    same(out, ref)
    value, g = mx.value_and_grad(lambda x, z, *, y, w: (x * y * z * w).sum(), argnames=argnames,
                                 **({} if argnums is None else {"argnums": argnums}))(
        mx.array([1.0, 2.0]), mx.array(2.0), y=mx.array(3.0), w=mx.array(0.5))
    assert value.item() == 9.0
    same(g, ref)


BAD = {
    "vector output": ("grad", lambda lib: lambda x: x * 2),
    "one-element output": ("grad", lambda lib: lambda x: x[:1]),
    "1x1 output": ("grad", lambda lib: lambda x: x[:1].reshape(1, 1)),
    "tuple output": ("grad", lambda lib: lambda x: (x.sum(), x)),
    "list output": ("grad", lambda lib: lambda x: [x.sum()]),
    "float output": ("grad", lambda lib: lambda x: 3.0),
    "None output": ("grad", lambda lib: lambda x: None),
    "vg vector output": ("value_and_grad", lambda lib: lambda x: x * 2),
    "vg list output": ("value_and_grad", lambda lib: lambda x: [x.sum(), x]),
    "vg float output": ("value_and_grad", lambda lib: lambda x: 3.0),
    "vg tuple of float": ("value_and_grad", lambda lib: lambda x: (3.0, x)),
    "vg tuple of vector": ("value_and_grad", lambda lib: lambda x: (x, x.sum())),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_errors_for_bad_outputs_match_mlx(case):
    transform, make = BAD[case]
    with pytest.raises(Exception) as ref:
        getattr(mlx, transform)(make(mlx))(mlx.array([1.0, 2.0, 3.0]))
    with pytest.raises(type(ref.value)) as err:
        mx.eval(getattr(mx, transform)(make(mx))(mx.array([1.0, 2.0, 3.0])))
    assert str(err.value) == str(ref.value)


def test_errors_for_bad_argnums_match_mlx():
    for kw in (dict(argnums=2), dict(argnums=[]), dict(argnames="q")):
        with pytest.raises(Exception) as ref:
            mlx.grad(lambda x: x.sum(), **kw)(mlx.array([1.0]))
        with pytest.raises(type(ref.value)) as err:
            mx.grad(lambda x: x.sum(), **kw)(mx.array([1.0]))
        assert str(err.value).rstrip(".") == str(ref.value).rstrip("."), kw


def test_integer_output_has_zero_gradient_like_mlx():
    for fn in (lambda a: (a > 1).sum(), lambda a: mx.argmax(a)):
        g = mx.grad(fn)(mx.array([1.0, 2.0, 3.0]))
        assert g.dtype == mx.float32 and not np.array(g).any()
    ref = mlx.grad(lambda a: (a > 1).sum())(mlx.array([1.0, 2.0, 3.0]))
    assert ref.dtype == mlx.float32 and not np.array(ref).any()


def test_integer_inputs_give_no_error_and_a_gradient_of_their_dtype():
    # As MLX: no error, and the gradient keeps the integer dtype. MLX runs the chain
    # rule through integer arithmetic; here only floating values carry derivatives
    # (as in JAX), so it is zero.
    def f(lib):
        return lib.grad(lambda a, b: (a * b).sum(), argnums=(0, 1))(lib.array([1, 2]),
                                                                    lib.array([0.5, 1.5]))

    g, ref = f(mx), f(mlx)
    assert (g[0].dtype, g[1].dtype) == (mx.int32, mx.float32)
    assert (ref[0].dtype, ref[1].dtype) == (mlx.int32, mlx.float32)
    assert not np.array(g[0]).any()
    np.testing.assert_allclose(np.array(g[1]), np.array(ref[1]))


# --------------------------------------------------------------- dtype edge cases


@pytest.mark.parametrize("dtype,rtol", [("float32", 1e-5), ("float16", 2e-2),
                                        ("bfloat16", 5e-2)])
def test_low_precision_gradients_keep_their_dtype(dtype, rtol):
    x = np.random.default_rng(1).uniform(0.5, 1.5, size=(2, 3))

    def f(a):
        return (mx.sin(a) * mx.cummax(a, axis=1) + mx.sort(a, axis=0) ** 2).sum() / mx.prod(a)

    g = mx.grad(f)(mx.array(x).astype(getattr(mx, dtype)))
    assert g.dtype == getattr(mx, dtype)
    with mx.stream(mx.cpu):
        ref = np.array(mx.grad(f)(f64(x)))
    np.testing.assert_allclose(np.array(g).astype(np.float64), ref, rtol=rtol, atol=rtol)


def test_mixed_dtypes_give_each_input_its_own_gradient_dtype():
    def f(a, b, c):
        return (a * b).sum() + (c.astype(mx.float32) * a).sum()

    a = mx.array([1.0, 2.0], dtype=mx.float16)
    b = mx.array([3.0, 4.0], dtype=WORK())  # float64 on the CPU
    c = mx.array([5.0, 6.0], dtype=mx.bfloat16)
    ga, gb, gc = mx.grad(f, argnums=(0, 1, 2))(a, b, c)
    assert (ga.dtype, gb.dtype, gc.dtype) == (mx.float16, WORK(), mx.bfloat16)
    np.testing.assert_allclose(np.array(ga).astype(np.float64), [8.0, 10.0])
    np.testing.assert_allclose(np.array(gb), [1.0, 2.0])
    np.testing.assert_allclose(np.array(gc).astype(np.float64), [1.0, 2.0])


def test_empty_and_scalar_arrays():
    g = mx.grad(lambda a: (a * 2).sum() + 1.0)(mx.zeros((0, 3)))
    assert g.shape == (0, 3)
    g = mx.grad(lambda a: mx.cumprod(a, axis=0).sum())(f64([3.0]))
    np.testing.assert_allclose(np.array(g), [1.0])
    g = mx.grad(lambda a: mx.cummax(a, axis=0, inclusive=False).sum())(f64([3.0]))
    np.testing.assert_allclose(np.array(g), [0.0])
