"""Differential fuzzing: random small programs run by mxc, checked against NumPy.

Hypothesis draws a *program*: a few inputs (shapes with 0-d and size-1 dimensions,
float32 / int32 / bool data, optionally NaN, inf and signed zeros) and a sequence of
steps (elementwise unary and binary ops with broadcasting and Python scalars,
reductions with random axes and keepdims, cumsum, sort, argmax, softmax, clip,
power, reshapes, transposes, broadcasts, basic slicing, integer-array indexing with
evaluated and lazy indices, concatenate, stack, pad, where, casts, matmul,
``x[i] = v`` and ``x.at[i].add(v)`` updates, and evaluation in the middle).

Each program runs three ways:

* ``mlx.core`` builds it lazily (never evaluated): the dtype of every step, and
  whether a step is an error (mxc must then raise too, at the same step);
* mxc runs it (one compiled program, or a few where it evaluates midway);
* NumPy computes the ideal value of every step in float64 (NumPy's semantics,
  MLX's dtypes: the exact inputs of an op are converted to MLX's result dtype, and
  every float result is rounded to float32), together with a bound on the error a
  float32 implementation may make (per element: propagated through each op, plus
  a few ulps per op). Elements whose value the bound cannot pin down (a comparison
  of two nearly equal floats, a float cast to int near an integer) are unknown and
  not compared; everything else must match, NaN for NaN, inf for inf.

``mx.grad`` of the same programs (restricted to smooth float ops) is compared with
``mlx.core.grad``, and ``mx.vmap`` with the NumPy value of each batch element.

Each campaign runs in a child process, so that a crash of the compiler fails its
test (with the program that crashed) instead of killing pytest.

Budget: a fixed, derandomized set of examples in CI (80 programs, 24 grads, 24
vmaps). ``MXC_FUZZ_EXAMPLES=N`` (``make fuzz``: 2000) runs N random programs (and
N*24/80 grads and vmaps) instead and prints how many programs ran and how many
failed. Every real failure the fuzzer found is a plain regression test at the end
of this file (with the reproducer written for bugs in the C++ parts).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import warnings

import mlx.core as mlx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

import mxc.core as mx

# ---------------------------------------------------------------------- budget

_EXAMPLES = int(os.environ.get("MXC_FUZZ_EXAMPLES", "0") or 0)
_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile("mxc-ci", derandomize=True, deadline=None, database=None,
                          suppress_health_check=_HEALTH, print_blob=True)
settings.register_profile("mxc-fuzz", derandomize=False, deadline=None, database=None,
                          suppress_health_check=_HEALTH, print_blob=True)
_PROFILE = settings.get_profile("mxc-fuzz" if _EXAMPLES else "mxc-ci")


def budget(ci):
    """``ci`` examples in CI, ``MXC_FUZZ_EXAMPLES`` (scaled like ci/80) on demand."""
    n = max(1, _EXAMPLES * ci // 80) if _EXAMPLES else ci
    return settings(_PROFILE, max_examples=n)


STATS = {"programs": 0, "steps": 0, "failures": 0, "errors": 0,
         "elements": 0, "unknown": 0, "grads": 0, "failed": []}


@pytest.fixture(scope="module", autouse=True)
def _report(request):
    yield
    line = (f"mxc fuzz: {STATS['programs']} programs ({STATS['steps']} steps) tried, "
            f"{STATS['failures']} failed; "
            f"{STATS['errors']} end in an error (MLX's and mxc's); "
            f"{STATS['elements'] - STATS['unknown']} of {STATS['elements']} result elements "
            f"compared (the rest beyond the error bounds); {STATS['grads']} gradients "
            "compared with MLX's")
    capture = request.config.pluginmanager.getplugin("capturemanager")
    if _EXAMPLES and capture is not None:
        with capture.global_and_fixture_disabled():
            print("\n" + line)
            for text in STATS["failed"][:20]:
                print("  failing program:\n    " + text.replace("\n", "\n    "))
    path = os.environ.get("MXC_FUZZ_REPORT")
    if path:
        with open(path, "a") as f:
            f.write(line + "\n" + "".join(t + "\n\n" for t in STATS["failed"]))


# ------------------------------------------------------------------ the oracle

F32_MAX = float(np.finfo(np.float32).max)
U = 2.0**-23  # a float32 ulp, relative
TINY = 2.0**-149  # the smallest float32 subnormal
IEEE_ULPS = 1  # + - * / sqrt, correctly rounded
TRANS_ULPS = 8  # exp, log, sin, ... (libm and polynomial approximations)


def np_dtype(dt):
    """The NumPy dtype of an MLX or mxc dtype."""
    name = str(dt).rsplit(".", 1)[-1]
    return np.dtype(np.bool_ if name == "bool" else name)


class Ref:
    """The ideal value of a step (float64 holding float32 values for floats, the
    exact dtype for integers and bools) and a per-element error bound (inf: the
    element is unknown; integers and bools are exact (0) or unknown (inf))."""

    __slots__ = ("v", "e", "dt")

    def __init__(self, v, e, dt):
        self.v, self.dt = v, np.dtype(dt)
        self.e = np.broadcast_to(np.asarray(e, np.float64), np.shape(v)).copy()

    @property
    def is_float(self):
        return self.dt.kind == "f"


def _finite_abs(y):
    a = np.abs(y)
    return np.where(np.isfinite(a), a, 0.0)


def finish(y, e, ulps):
    """A float32 result from its ideal float64 value ``y`` and propagated error ``e``:
    rounds to float32 and adds ``ulps`` ulps of rounding; ambiguous overflow, NaN
    errors and non-finite values reached with an error become unknown."""
    y = np.asarray(y, np.float64)
    e = np.asarray(e, np.float64) + (ulps * U) * _finite_abs(y) + ulps * TINY
    exact_nonfinite = ~np.isfinite(y) & (np.asarray(e) <= ulps * TINY)
    e = np.where(np.isnan(e), np.inf, e)
    with np.errstate(all="ignore"):
        r = y.astype(np.float32).astype(np.float64)
        big = np.abs(y) + e
        overflow = np.isfinite(y) & (big >= F32_MAX)
        surely_inf = np.isfinite(y) & (np.abs(y) - e > F32_MAX * (1 + U))
    e = np.where(exact_nonfinite, 0.0, e)
    e = np.where(~np.isfinite(y) & ~exact_nonfinite, np.inf, e)
    e = np.where(overflow & ~surely_inf, np.inf, e)
    e = np.where(surely_inf, 0.0, e)
    r = np.where(surely_inf, np.sign(y) * np.inf, r)
    return Ref(r, e, np.float32)


def as_float(r: Ref):
    """``r`` converted to float32 (as MLX does before a float op): (value, error)."""
    if r.is_float:
        return r.v, r.e
    x = r.v.astype(np.float64)
    xf = x.astype(np.float32).astype(np.float64)
    return xf, r.e + np.abs(xf - x)


def cast(r: Ref, dt) -> Ref:
    """``r`` converted to ``dt`` (MLX's astype: floats truncate into integers)."""
    dt = np.dtype(dt)
    if dt == r.dt:
        return r
    if dt.kind == "f":
        x, e = as_float(r)
        return Ref(x, e, np.float32)
    if dt == np.bool_:
        if r.is_float:
            e = np.where((r.e > 0) & ~(np.abs(r.v) > r.e), np.inf, 0.0)
            return Ref(r.v != 0, e, np.bool_)
        return Ref(r.v != 0, r.e, np.bool_)
    if r.is_float:
        info = np.iinfo(dt)
        with np.errstate(all="ignore"):
            lo, hi = np.trunc(r.v - r.e), np.trunc(r.v + r.e)
            ok = np.isfinite(r.v) & (lo == hi) & (np.trunc(r.v) >= info.min) & (
                np.trunc(r.v) <= info.max)
            v = np.where(ok, np.trunc(np.where(ok, r.v, 0)), 0).astype(dt)
        return Ref(v, np.where(ok, 0.0, np.inf), dt)
    with np.errstate(all="ignore"):
        return Ref(r.v.astype(dt), r.e, dt)


def _unknown(*errs):
    """inf where any input error is non-zero (for exact int/bool results)."""
    out = 0.0
    for e in errs:
        out = np.where(np.asarray(e) > 0, np.inf, out)
    return out


def _mulz(x, e):
    """|x| * e with 0 * anything = 0 (NaN and inf values carry no error when exact)."""
    with np.errstate(all="ignore"):
        return np.where(e == 0, 0.0, np.abs(x) * e)


# Float unary ops: (NumPy function, error propagation, ulps). Propagation kinds:
# a number is a Lipschitz constant; "mono" evaluates the function at the ends of
# the error interval (monotonic or convex functions); "step" is a discontinuous
# function, exact only when both ends agree.
FLOAT_UNARY = {
    "sin": (np.sin, 1.0, TRANS_ULPS),
    "cos": (np.cos, 1.0, TRANS_ULPS),
    "tanh": (np.tanh, 1.0, TRANS_ULPS),
    "arctan": (np.arctan, 1.0, TRANS_ULPS),
    "sigmoid": (lambda x: 0.5 * (1 + np.tanh(0.5 * x)), 0.25, TRANS_ULPS),
    "erf": (None, 1.13, TRANS_ULPS),  # math.erf, vectorized below
    "exp": (np.exp, "mono", TRANS_ULPS),
    "expm1": (np.expm1, "mono", TRANS_ULPS),
    "log": (np.log, "mono", TRANS_ULPS),
    "log1p": (np.log1p, "mono", TRANS_ULPS),
    "log2": (np.log2, "mono", TRANS_ULPS),
    "sqrt": (np.sqrt, "mono", IEEE_ULPS),
    "rsqrt": (lambda x: 1 / np.sqrt(x), "mono", TRANS_ULPS),
    "reciprocal": (lambda x: 1 / x, "mono", IEEE_ULPS),
    "arcsin": (np.arcsin, "mono", TRANS_ULPS),
    "arcsinh": (np.arcsinh, "mono", TRANS_ULPS),
    "sinh": (np.sinh, "mono", TRANS_ULPS),
    "cosh": (np.cosh, "mono", TRANS_ULPS),
    "square": (np.square, "mono", IEEE_ULPS),
    "abs": (np.abs, 1.0, 0),
    "negative": (np.negative, 1.0, 0),
    "floor": (np.floor, "step", 0),
    "ceil": (np.ceil, "step", 0),
    "round": (np.rint, "step", 0),
    "sign": (np.sign, "step", 0),
}
_erf = np.vectorize(math.erf, otypes=[np.float64])
POLES = {"reciprocal": 0.0, "rsqrt": 0.0}


def float_unary(name, x, e):
    fn, kind, ulps = FLOAT_UNARY[name]
    fn = _erf if name == "erf" else fn
    with np.errstate(all="ignore"):
        y = fn(x)
        if isinstance(kind, float):
            prop = kind * e
        elif kind == "mono":
            lo, hi = fn(x - e), fn(x + e)
            prop = np.maximum(np.abs(lo - y), np.abs(hi - y))
            prop = np.where(e == 0, 0.0, prop)
            prop = np.where((e > 0) & np.isnan(prop), np.inf, prop)
            if name in POLES:
                prop = np.where((e > 0) & (x - e <= 0) & (x + e >= 0), np.inf, prop)
        else:  # step
            same = (fn(x - e) == fn(x + e)) | (e == 0)
            prop = np.where(same, 0.0, np.inf)
    return finish(y, prop, ulps)


def ref_unary(name, r: Ref, out_dt) -> Ref:
    out_dt = np.dtype(out_dt)
    if name in ("isnan", "isinf", "isfinite"):
        fn = getattr(np, name)
        if not r.is_float:
            return Ref(np.zeros(r.v.shape, bool) if name != "isfinite" else
                       np.ones(r.v.shape, bool), r.e, np.bool_)
        return Ref(fn(r.v), np.where(np.isfinite(r.e), 0.0, np.inf), np.bool_)
    if name == "logical_not":
        b = cast(r, np.bool_)
        return Ref(~b.v, b.e, np.bool_)
    if out_dt.kind == "f":
        x, e = as_float(r)
        return float_unary(name, x, e)
    # integers and bools keep their dtype: abs, negative, square, sign, floor, ...
    v = r.v
    with np.errstate(all="ignore"):
        if out_dt == np.bool_:
            out = {"abs": v, "square": v, "sign": v, "floor": v, "ceil": v,
                   "round": v}[name]
        else:
            out = {"abs": np.abs(v), "negative": np.negative(v), "square": v * v,
                   "sign": np.sign(v), "floor": v, "ceil": v, "round": v}[name]
    return Ref(np.asarray(out).astype(out_dt), r.e, out_dt)


COMPARE = {"equal": np.equal, "not_equal": np.not_equal, "less": np.less,
           "less_equal": np.less_equal, "greater": np.greater,
           "greater_equal": np.greater_equal}


def ref_binary(name, a: Ref, b: Ref, out_dt, compute_dt) -> Ref:
    out_dt, compute_dt = np.dtype(out_dt), np.dtype(compute_dt)
    if name in COMPARE:
        fn = COMPARE[name]
        if compute_dt.kind == "f":
            (x, ex), (y, ey) = as_float(cast(a, compute_dt)), as_float(cast(b, compute_dt))
            with np.errstate(all="ignore"):
                v = fn(x, y)
                nan = (np.isnan(x) & (ex == 0)) | (np.isnan(y) & (ey == 0))
                decided = (ex + ey < np.abs(x - y)) | ((ex == 0) & (ey == 0)) | nan
            return Ref(v, np.where(decided, 0.0, np.inf), np.bool_)
        x, y = cast(a, compute_dt), cast(b, compute_dt)
        return Ref(fn(x.v, y.v), _unknown(x.e, y.e), np.bool_)
    if name in ("logical_and", "logical_or"):
        x, y = cast(a, np.bool_), cast(b, np.bool_)
        fn = np.logical_and if name == "logical_and" else np.logical_or
        return Ref(fn(x.v, y.v), _unknown(x.e, y.e), np.bool_)
    if out_dt.kind == "f":
        (x, ex), (y, ey) = as_float(cast(a, out_dt)), as_float(cast(b, out_dt))
        return float_binary(name, x, ex, y, ey)
    # integer (wrapping) and bool arithmetic: NumPy on int64, then to the dtype
    wide = np.int64 if out_dt.kind in "ib" else np.uint64
    x, y = cast(a, out_dt), cast(b, out_dt)
    xv, yv = x.v.astype(wide), y.v.astype(wide)
    with np.errstate(all="ignore"):
        v = {
            "add": lambda: xv + yv, "subtract": lambda: xv - yv,
            "multiply": lambda: xv * yv, "maximum": lambda: np.maximum(xv, yv),
            "minimum": lambda: np.minimum(xv, yv),
            "floor_divide": lambda: np.floor_divide(xv, yv),
            "remainder": lambda: np.remainder(xv, yv),
            "power": lambda: np.power(xv, yv),
            "bitwise_and": lambda: xv & yv, "bitwise_or": lambda: xv | yv,
            "bitwise_xor": lambda: xv ^ yv,
            "left_shift": lambda: np.left_shift(xv, yv),
            "right_shift": lambda: np.right_shift(xv, yv),
        }[name]()
        v = (v != 0) if out_dt == np.bool_ else v.astype(out_dt)
    return Ref(v, _unknown(x.e, y.e), out_dt)


def float_binary(name, x, ex, y, ey) -> Ref:
    with np.errstate(all="ignore"):
        if name == "add":
            return finish(x + y, ex + ey, IEEE_ULPS)
        if name == "subtract":
            return finish(x - y, ex + ey, IEEE_ULPS)
        if name == "multiply":
            return finish(x * y, _mulz(x, ey) + _mulz(y, ex) + ex * ey, IEEE_ULPS)
        if name == "divide":
            v = x / y
            near0 = (ey > 0) & (np.abs(y) <= ey)
            prop = (_mulz(x, ey) + _mulz(y, ex)) / (np.abs(y) * np.maximum(
                np.abs(y) - ey, 0))
            prop = np.where((ex == 0) & (ey == 0), 0.0, prop)
            return finish(v, np.where(near0, np.inf, prop), IEEE_ULPS)
        if name in ("maximum", "minimum"):
            fn = np.maximum if name == "maximum" else np.minimum
            return finish(fn(x, y), np.maximum(ex, ey), 0)
        if name == "logaddexp":
            return finish(np.logaddexp(x, y), np.maximum(ex, ey), TRANS_ULPS)
        if name == "power":  # exponents here are exact small scalars
            v = np.power(x, y)
            lo, hi = np.power(x - ex, y), np.power(x + ex, y)
            prop = np.where(ex == 0, 0.0, np.maximum(np.abs(lo - v), np.abs(hi - v)))
            prop = np.where((ex > 0) & np.isnan(prop), np.inf, prop)
            return finish(v, prop, TRANS_ULPS)
        if name in ("floor_divide", "remainder"):
            q = x / y
            slack = 4 * U * np.abs(q) + np.where(
                (ex == 0) & (ey == 0), 0.0, (_mulz(x, ey) + _mulz(y, ex)) / (
                    np.abs(y) * np.maximum(np.abs(y) - ey, 0)))
            fq = np.floor(q)
            known = (np.floor(q - slack) == np.floor(q + slack)) & (np.abs(y) > ey)
            # exact zero divisors: NumPy's values (inf or NaN)
            known |= (y == 0) & (ey == 0) & (ex == 0)
            if name == "floor_divide":
                # MLX's float floor_divide: floor of the float32 quotient (inf // 2 is
                # inf, 1 // -inf is -0; NumPy's divmod gives NaN and -1); exact when the
                # inputs are.
                q32 = q.astype(np.float32).astype(np.float64)
                v = np.floor(q32)
                known |= (ex == 0) & (ey == 0)
                return finish(v, np.where(known, 0.0, np.inf), 0)
            v = np.remainder(x, y)
            prop = ex + _mulz(fq, ey) + 4 * U * (np.abs(x) + _finite_abs(y * fq))
            return finish(v, np.where(known, prop, np.inf), IEEE_ULPS)
    raise KeyError(name)


def ref_reduce(name, r: Ref, axes, keepdims, out_dt) -> Ref:
    out_dt = np.dtype(out_dt)
    n = int(np.prod([r.v.shape[a] for a in axes])) if axes else 1
    kw = dict(axis=axes, keepdims=keepdims)
    with np.errstate(all="ignore"):
        if name in ("all", "any"):
            b = cast(r, np.bool_)
            v = (np.all if name == "all" else np.any)(b.v, **kw)
            return Ref(v, np.max(b.e, initial=0.0, **kw), np.bool_)
        if out_dt.kind != "f":
            c = cast(r, out_dt)
            wide = np.int64 if out_dt.kind in "ib" else np.uint64
            fn = {"sum": np.sum, "prod": np.prod, "max": np.max, "min": np.min}[name]
            v = fn(c.v.astype(wide), **kw).astype(out_dt)
            return Ref(v, np.max(c.e, initial=0.0, **kw), out_dt)
        x, e = as_float(cast(r, out_dt))
        if name in ("sum", "mean"):
            v = np.sum(x, **kw)
            prop = np.sum(e, **kw) + (n + 1) * U * np.sum(_finite_abs(x), **kw)
            if name == "mean":
                return finish(v / n if n else v * np.nan, prop / max(n, 1), IEEE_ULPS)
            return finish(v, prop, IEEE_ULPS)
        if name == "prod":
            v = np.prod(x, **kw)
            ax = np.abs(x)
            prop = np.prod(ax + e, **kw) - np.prod(ax, **kw) + (n + 1) * U * np.prod(
                ax + e, **kw)
            prop = np.where(np.max(e, initial=0.0, **kw) == 0, (n + 1) * U * _finite_abs(v),
                            prop)
            return finish(v, prop, 0)
        if name in ("max", "min"):
            v = (np.max if name == "max" else np.min)(x, **kw)
            return finish(v, np.max(e, initial=0.0, **kw), 0)
        if name == "logsumexp":
            m = np.max(x, axis=axes, keepdims=True)
            m = np.where(np.isfinite(m), m, 0.0)
            v = np.log(np.sum(np.exp(x - m), **kw)) + (m if keepdims else np.squeeze(
                m, axis=axes))
            prop = np.max(e, initial=0.0, **kw) + (n + 8) * U * (_finite_abs(v) + 1 + np.max(
                _finite_abs(x), initial=0.0, **kw))
            return finish(v, prop, TRANS_ULPS)
    raise KeyError(name)


# --------------------------------------------------------------------- programs


class Step:
    """One step of a program: ``run(L, vals)`` builds it with mxc or MLX (L is the
    module) from earlier values; ``ref(refs)`` gives its NumPy Ref."""

    grad_ok = True  # differentiable and smooth enough to compare gradients

    def __str__(self):
        return self.desc


class Unary(Step):
    def __init__(self, name, i):
        self.name, self.i = name, i
        self.desc = f"{name}(v{i})"
        self.grad_ok = name in ("sin", "cos", "tanh", "arctan", "sigmoid", "exp", "square",
                                "negative", "erf", "arcsinh", "sinh")

    def run(self, L, vals):
        return getattr(L, self.name)(vals[self.i])

    def ref(self, refs):
        return ref_unary(self.name, refs[self.i], self.dtype)


class Binary(Step):
    def __init__(self, name, i, j, scalar=None, swap=False):
        self.name, self.i, self.j, self.scalar, self.swap = name, i, j, scalar, swap
        other = repr(scalar) if j is None else f"v{j}"
        args = (other, f"v{self.i}") if swap else (f"v{self.i}", other)
        self.desc = f"{name}({args[0]}, {args[1]})"
        # comparisons are constants to the gradient (they make where's conditions)
        self.grad_ok = name in BINARY_SMOOTH or name in COMPARE or (
            name == "power" and j is None)  # x ** 2, x ** 3

    def operands(self, vals):
        b = self.scalar if self.j is None else vals[self.j]
        return (b, vals[self.i]) if self.swap else (vals[self.i], b)

    def run(self, L, vals):
        a, b = self.operands(vals)
        return getattr(L, self.name)(a, b)

    def ref(self, refs):
        a, b = (x if isinstance(x, Ref) else _scalar_ref(x, self.compute)
                for x in self.operands(refs))
        return ref_binary(self.name, a, b, self.dtype, self.compute)


def _scalar_ref(x, dt):
    """A Python scalar operand in the dtype the op computes in (MLX's weak typing)."""
    v = np.array(x).astype(dt)
    return Ref(v.astype(np.float64) if v.dtype.kind == "f" else v, 0.0, dt)


class Reduce(Step):
    def __init__(self, name, i, axis, keepdims):
        self.name, self.i, self.axis, self.keepdims = name, i, axis, keepdims
        self.desc = f"{name}(v{i}, axis={axis!r}, keepdims={keepdims})"
        self.grad_ok = name in ("sum", "mean", "logsumexp", "prod")

    def run(self, L, vals):
        return getattr(L, self.name)(vals[self.i], axis=self.axis, keepdims=self.keepdims)

    def ref(self, refs):
        r = refs[self.i]
        nd = r.v.ndim
        if self.axis is None:
            axes = tuple(range(nd))
        elif isinstance(self.axis, int):
            axes = (self.axis % nd,)
        else:
            axes = tuple(sorted(a % nd for a in self.axis))
        return ref_reduce(self.name, r, axes, self.keepdims, self.dtype)


class Cumsum(Step):
    def __init__(self, i, axis, reverse, inclusive):
        self.i, self.axis, self.reverse, self.inclusive = i, axis, reverse, inclusive
        self.desc = f"cumsum(v{i}, axis={axis}, reverse={reverse}, inclusive={inclusive})"

    def run(self, L, vals):
        return L.cumsum(vals[self.i], axis=self.axis, reverse=self.reverse,
                        inclusive=self.inclusive)

    def ref(self, refs):
        r = cast(refs[self.i], self.dtype)
        ax = self.axis % r.v.ndim

        n = r.v.shape[ax]
        with np.errstate(all="ignore"):
            if r.is_float:
                v = _scan(r.v, ax, self.reverse, self.inclusive)
                prop = _scan(r.e, ax, self.reverse, True) + (n + 1) * U * _scan(
                    _finite_abs(r.v), ax, self.reverse, True)
                return finish(v, np.where(np.isfinite(prop), prop, np.inf), IEEE_ULPS)
            v = _scan(r.v.astype(np.int64), ax, self.reverse, self.inclusive)
            e = _scan(r.e, ax, self.reverse, True)  # inf once an unknown is summed
            return Ref(v.astype(self.dtype), e, self.dtype)


def _scan(v, ax, reverse, inclusive):
    """NumPy's cumsum along ``ax``, reversed and/or exclusive as MLX's options."""
    if reverse:
        v = np.flip(v, ax)
    c = np.cumsum(v, axis=ax)
    if not inclusive:
        pad = [(0, 0)] * v.ndim
        pad[ax] = (1, 0)
        c = np.pad(c, pad)[tuple(slice(0, -1) if d == ax else slice(None)
                                 for d in range(v.ndim))]
    return np.flip(c, ax) if reverse else c


class Structural(Step):
    """A step that only moves elements: the same function on values and errors."""

    def __init__(self, desc, i, fn, np_fn=None):
        self.desc, self.i, self.fn = desc, i, fn
        self.np_fn = np_fn

    def run(self, L, vals):
        return self.fn(L, vals[self.i])

    def ref(self, refs):
        r = refs[self.i]
        f = self.np_fn or (lambda x: self.fn(np, x))
        return Ref(np.asarray(f(r.v)), np.asarray(f(r.e)), r.dt)


class Index(Step):
    """``v[index]``: ints, slices, None, Ellipsis and integer arrays (given as NumPy;
    ``lazy`` arrays are computed in the program, so only their run-time values are
    known)."""

    def __init__(self, i, index, lazy):
        self.i, self.index, self.lazy = i, index, lazy
        self.desc = f"v{i}[{_index_str(index)}]" + (" (lazy index arrays)" if lazy else "")

    def _index(self, L):
        out = []
        for it in self.index:
            if isinstance(it, np.ndarray):
                a = L.array(it) if L is not np else it
                out.append(a + 0 if self.lazy and L is not np else a)
            else:
                out.append(it)
        return tuple(out)

    def run(self, L, vals):
        return vals[self.i][self._index(L)]

    def ref(self, refs):
        r = refs[self.i]
        idx = self._index(np)
        return Ref(np.asarray(r.v[idx]), np.asarray(r.e[idx]), r.dt)


def _index_str(index):
    parts = []
    for it in index:
        if isinstance(it, slice):
            parts.append(":".join("" if v is None else str(v)
                                  for v in (it.start, it.stop, it.step)))
        elif it is None:
            parts.append("None")
        elif it is Ellipsis:
            parts.append("...")
        elif isinstance(it, np.ndarray):
            parts.append(f"array({it.tolist()})")
        else:
            parts.append(str(it))
    return ", ".join(parts)


class Take(Step):
    def __init__(self, i, idx, axis):
        self.i, self.idx, self.axis = i, idx, axis
        self.desc = f"take(v{i}, {self.idx.tolist()}, axis={axis})"

    def run(self, L, vals):
        return L.take(vals[self.i], L.array(self.idx), axis=self.axis)

    def ref(self, refs):
        r = refs[self.i]
        return Ref(np.take(r.v, self.idx, axis=self.axis),
                   np.take(r.e, self.idx, axis=self.axis), r.dt)


class Concat(Step):
    def __init__(self, i, j, axis):
        self.i, self.j, self.axis = i, j, axis
        self.desc = f"concatenate([v{i}, v{j}], axis={axis})"

    def run(self, L, vals):
        return L.concatenate([vals[self.i], vals[self.j]], axis=self.axis)

    def ref(self, refs):
        a, b = cast(refs[self.i], self.dtype), cast(refs[self.j], self.dtype)
        return Ref(np.concatenate([a.v, b.v], self.axis),
                   np.concatenate([a.e, b.e], self.axis), self.dtype)


class Where(Step):
    def __init__(self, c, i, j, scalar=None):
        self.c, self.i, self.j, self.scalar = c, i, j, scalar
        other = repr(scalar) if j is None else f"v{j}"
        self.desc = f"where(v{c}, v{i}, {other})"

    def run(self, L, vals):
        return L.where(vals[self.c], vals[self.i], self.scalar if self.j is None else
                       vals[self.j])

    def ref(self, refs):
        c = cast(refs[self.c], np.bool_)
        x = cast(refs[self.i], self.dtype)
        y = (Ref(np.array(self.scalar, self.dtype), 0.0, self.dtype) if self.j is None else
             cast(refs[self.j], self.dtype))
        v = np.where(c.v, x.v, y.v)
        e = np.where(c.v, x.e, y.e)
        return Ref(v, np.where(c.e > 0, np.inf, e), self.dtype)


class AsType(Step):
    def __init__(self, i, name):
        self.i, self.name = i, name
        self.desc = f"v{i}.astype({name})"
        self.grad_ok = False

    def run(self, L, vals):
        return vals[self.i].astype(getattr(L, self.name))

    def ref(self, refs):
        return cast(refs[self.i], np_dtype(self.name))


def _axes_of(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    return (axis % ndim,) if isinstance(axis, int) else tuple(sorted(a % ndim for a in axis))


class Clip(Step):
    def __init__(self, i, lo, hi):
        self.i, self.lo, self.hi = i, lo, hi
        self.desc = f"clip(v{i}, {lo!r}, {hi!r})"

    def run(self, L, vals):
        return L.clip(vals[self.i], self.lo, self.hi)

    def ref(self, refs):
        r = cast(refs[self.i], self.dtype)
        with np.errstate(all="ignore"):
            v = r.v
            if self.lo is not None:
                v = np.maximum(v, np.array(self.lo).astype(self.dtype))
            if self.hi is not None:
                v = np.minimum(v, np.array(self.hi).astype(self.dtype))
        if r.is_float:
            return finish(v, r.e, 0)
        return Ref(v.astype(self.dtype), r.e, self.dtype)


class Sort(Step):
    """sort, argmax, argmin or softmax along one axis."""

    def __init__(self, name, i, axis, keepdims=False):
        self.name, self.i, self.axis, self.keepdims = name, i, axis, keepdims
        extra = f", keepdims={keepdims}" if name in ("argmax", "argmin") else ""
        self.desc = f"{name}(v{i}, axis={axis}{extra})"
        self.grad_ok = name in ("softmax", "sort")

    def run(self, L, vals):
        if self.name in ("argmax", "argmin"):
            return getattr(L, self.name)(vals[self.i], axis=self.axis, keepdims=self.keepdims)
        return getattr(L, self.name)(vals[self.i], axis=self.axis)

    def ref(self, refs):
        r = refs[self.i]
        if self.axis is None and self.name != "softmax":
            r = Ref(r.v.reshape(-1), r.e.reshape(-1), r.dt)
            ax = 0
        else:
            ax = None if self.axis is None else self.axis % max(r.v.ndim, 1)
        with np.errstate(all="ignore"):
            if self.name == "sort":
                v = np.sort(r.v, axis=ax)
                e = np.broadcast_to(np.max(r.e, axis=ax, keepdims=True, initial=0.0), v.shape)
                return Ref(v, e, r.dt)
            if self.name in ("argmax", "argmin"):
                v = getattr(np, self.name)(r.v, axis=ax, keepdims=self.keepdims)
                exact = np.max(r.e, axis=ax, keepdims=self.keepdims, initial=0.0) == 0
                if self.axis is None and self.keepdims:
                    shape = (1,) * refs[self.i].v.ndim
                    v, exact = v.reshape(shape), exact.reshape(shape)
                return Ref(v.astype(self.dtype), np.where(exact, 0.0, np.inf), self.dtype)
            x, e = as_float(cast(r, self.dtype))
            if x.size == 0:
                return Ref(x, e, self.dtype)
            axes = tuple(range(x.ndim)) if ax is None else ax
            m = np.max(x, axis=axes, keepdims=True)
            z = np.exp(x - m)
            v = z / np.sum(z, axis=axes, keepdims=True)
            n = x.size if ax is None else x.shape[ax]
            prop = 2 * np.max(e, axis=axes, keepdims=True, initial=0.0) + (n + 8) * U
            return finish(v, np.broadcast_to(prop, v.shape), TRANS_ULPS)


class Stack(Step):
    def __init__(self, i, j, axis):
        self.i, self.j, self.axis = i, j, axis
        self.desc = f"stack([v{i}, v{j}], axis={axis})"

    def run(self, L, vals):
        return L.stack([vals[self.i], vals[self.j]], axis=self.axis)

    def ref(self, refs):
        a, b = cast(refs[self.i], self.dtype), cast(refs[self.j], self.dtype)
        return Ref(np.stack([a.v, b.v], self.axis), np.stack([a.e, b.e], self.axis),
                   self.dtype)


class Pad(Step):
    def __init__(self, i, widths, value):
        self.i, self.widths, self.value = i, widths, value
        self.desc = f"pad(v{i}, {widths}, constant_values={value!r})"

    def run(self, L, vals):
        return L.pad(vals[self.i], self.widths, constant_values=self.value)

    def ref(self, refs):
        r = refs[self.i]
        c = np.array(self.value).astype(self.dtype)
        v = np.pad(r.v, self.widths, constant_values=c.astype(r.v.dtype))
        return Ref(v, np.pad(r.e, self.widths), r.dt)


class SetItem(Step):
    """``y = array(v); y[index] = value`` (an update of a copy) or, with ``add``,
    ``v.at[index].add(value)`` (repeated indices accumulate)."""

    def __init__(self, i, index, value, add=False):
        self.i, self.index, self.value, self.add_ = i, index, value, add
        what = f"v{i}.at[{_index_str(index)}].add({value!r})" if add else \
            f"v{i} with [{_index_str(index)}] = {value!r}"
        self.desc = what

    def _index(self, L):
        return tuple(L.array(it) if isinstance(it, np.ndarray) and L is not np else it
                     for it in self.index)

    def run(self, L, vals):
        if self.add_:
            return vals[self.i].at[self._index(L)].add(self.value)
        y = L.array(vals[self.i])
        y[self._index(L)] = self.value
        return y

    def ref(self, refs):
        r = refs[self.i]
        v, e = np.array(r.v), np.array(r.e)
        idx = self._index(np)
        c = np.array(self.value).astype(r.v.dtype if r.is_float else self.dtype)
        with np.errstate(all="ignore"):
            if self.add_:
                cnt = np.zeros(v.shape)
                np.add.at(cnt, idx, 1.0)
                if r.is_float:
                    np.add.at(v, idx, float(c))
                    return finish(v, e + cnt * U * (np.abs(v) + cnt * abs(float(c))),
                                  IEEE_ULPS)
                w = v.astype(np.int64)
                np.add.at(w, idx, int(c))
                return Ref(w.astype(self.dtype), e, self.dtype)
            v[idx] = c
            e[idx] = 0.0
        return Ref(v, e, r.dt)


class Matmul(Step):
    def __init__(self, i, j):
        self.i, self.j = i, j
        self.desc = f"matmul(v{i}, v{j})"

    def run(self, L, vals):
        return L.matmul(vals[self.i], vals[self.j])

    def ref(self, refs):
        (a, ea), (b, eb) = as_float(refs[self.i]), as_float(refs[self.j])
        with np.errstate(all="ignore"):
            v = a @ b
            k = a.shape[-1]
            prop = (np.abs(a) @ eb + ea @ np.abs(b) + ea @ eb +
                    (k + 1) * U * (np.abs(a) @ np.abs(b)))
            # matmul mixes in non-finite values through every product
            bad = ~np.isfinite(a).all() or ~np.isfinite(b).all()
        return finish(v, np.full(np.shape(v), np.inf) if bad else prop, IEEE_ULPS)


class Const(Step):
    """A constant array made inside the program (a fresh ``array(x)`` each run)."""

    def __init__(self, x):
        self.x = x
        self.desc = f"array({x.tolist()!r}, dtype={x.dtype})"

    def run(self, L, vals):
        return L.array(self.x)

    def ref(self, refs):
        x = self.x
        return Ref(x.astype(np.float64) if x.dtype.kind == "f" else x, 0.0, x.dtype)


class EvalHere(Step):
    """Evaluates the value in the middle of the program (mxc only)."""

    grad_ok = False

    def __init__(self, i):
        self.i = i
        self.desc = f"eval(v{i})"

    def run(self, L, vals):
        v = vals[self.i]
        if L is mx:
            mx.eval(v)
        return v

    def ref(self, refs):
        return refs[self.i]


class Program:
    def __init__(self):
        self.inputs = []  # NumPy arrays
        self.steps = []
        self.error_step = None  # (Step, MLX exception type) ending the program
        self.outputs = []

    def text(self):
        lines = []
        for k, x in enumerate(self.inputs):
            lines.append(f"v{k} = array({x.tolist()!r}, dtype={x.dtype}) # shape {x.shape}")
        n = len(self.inputs)
        for k, s in enumerate(self.steps):
            lines.append(f"v{n + k} = {s}")
        if self.error_step:
            lines.append(f"{self.error_step[0]}  # MLX raises "
                         f"{self.error_step[1].__name__}")
        lines.append(f"outputs: {', '.join(f'v{o}' for o in self.outputs)}")
        return "\n".join(lines)

    def run(self, L, inputs=None):
        vals = [L.array(x) for x in (inputs if inputs is not None else self.inputs)]
        for s in self.steps:
            vals.append(s.run(L, vals))
        return vals

    def refs(self, inputs=None):
        out = []
        for x in (inputs if inputs is not None else self.inputs):
            out.append(Ref(x.astype(np.float64) if x.dtype.kind == "f" else x, 0.0, x.dtype))
        for s in self.steps:
            out.append(s.ref(out))
        return out


# ------------------------------------------------------------------ generation

DTYPE_WEIGHTS = ["float32"] * 6 + ["int32"] * 3 + ["bool"] * 2
UNARY_ALL = ["sin", "cos", "tanh", "arctan", "sigmoid", "erf", "exp", "expm1", "log",
             "log1p", "log2", "sqrt", "rsqrt", "reciprocal", "arcsin", "arcsinh", "sinh",
             "cosh", "square", "abs", "negative", "floor", "ceil", "round", "sign",
             "isnan", "isinf", "isfinite", "logical_not"]
UNARY_SMOOTH = ["sin", "cos", "tanh", "arctan", "sigmoid", "exp", "square", "negative",
                "arcsinh", "sinh", "erf"]
BINARY_ALL = ["add", "subtract", "multiply", "divide", "maximum", "minimum", "logaddexp",
              "floor_divide", "remainder", "equal", "not_equal", "less", "less_equal",
              "greater", "greater_equal", "logical_and", "logical_or", "bitwise_and",
              "bitwise_or", "bitwise_xor"]
BINARY_SMOOTH = ["add", "subtract", "multiply", "divide", "logaddexp"]
REDUCE_ALL = ["sum", "prod", "max", "min", "mean", "all", "any", "logsumexp"]
REDUCE_SMOOTH = ["sum", "mean", "logsumexp", "prod"]
SPECIALS = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, 0.5], np.float32)
MAX_SIZE = 48


class Gen:
    """Draws a program step by step; MLX (lazy, never evaluated) tells the shapes,
    dtypes and errors of the steps drawn so far."""

    def __init__(self, data, smooth=False, specials=True, allow_eval=True):
        self.data, self.smooth = data, smooth
        self.specials, self.allow_eval = specials, allow_eval
        self.p = Program()
        self.ml = []  # MLX values
        self.rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), label="seed"))

    def draw(self, strategy, label=None):
        return self.data.draw(strategy, label=label)

    # ---- inputs
    def shape(self, ndim=None, allow_zero=True):
        if ndim is None:
            ndim = self.draw(st.sampled_from([0, 1, 1, 2, 2, 2, 3]), "ndim")
        # MLX's grad crashes on empty arrays (SIGFPE): no zero-size dims for grads
        allow_zero = allow_zero and not self.smooth
        dims = st.sampled_from([1, 2, 3, 3, 4] + ([0] if allow_zero else []))
        shape = tuple(self.draw(st.lists(dims, min_size=ndim, max_size=ndim), "shape"))
        while math.prod(shape) > MAX_SIZE:
            shape = shape[1:]
        return shape

    def values(self, shape, dtype):
        rng = self.rng
        if dtype == "bool":
            return rng.random(shape) < 0.5
        if dtype == "int32":
            return rng.integers(-6, 7, size=shape).astype(np.int32)
        x = rng.uniform(-3, 3, size=shape)
        if not self.smooth and rng.random() < 0.3:  # small exact values: ties, integers
            x = np.round(x * 2) / 2
        x = x.astype(np.float32)
        if self.specials and x.size and rng.random() < 0.3:
            mask = rng.random(shape) < 0.25
            x = np.where(mask, rng.choice(SPECIALS, size=shape), x).astype(np.float32)
        return np.asarray(x)

    def new_input(self, shape=None, dtype=None):
        shape = self.shape() if shape is None else shape
        if dtype is None:
            dtype = "float32" if self.smooth else self.draw(st.sampled_from(DTYPE_WEIGHTS),
                                                            "dtype")
        x = self.values(shape, dtype)
        self.p.inputs.append(x)
        self.ml.append(mlx.array(x))
        # inputs come first: shift the step references made so far
        assert not self.p.steps, "inputs are drawn before the steps"
        return len(self.ml) - 1

    # ---- steps
    def add(self, step):
        """Builds ``step`` with MLX: records it (and its dtype) or, if MLX rejects it,
        makes it the program's final error step."""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out = step.run(mlx, self.ml)
        except Exception as e:  # noqa: BLE001 - MLX's error is the expectation
            self.p.error_step = (step, type(e))
            return None
        if math.prod(out.shape) > 4 * MAX_SIZE:
            return -1  # too big: drop the step
        step.dtype = np_dtype(out.dtype)
        step.mlx_dtype, step.mlx_shape = out.dtype, tuple(out.shape)
        self.p.steps.append(step)
        self.ml.append(out)
        return len(self.ml) - 1

    def pick(self, pred=lambda v: True):
        cands = [k for k, v in enumerate(self.ml) if pred(v)]
        if not cands:
            return None
        # prefer recent values: programs chain
        weights = list(range(1, len(cands) + 1))
        k = self.draw(st.integers(0, sum(weights) - 1), "value")
        for c, w in zip(cands, weights):
            if k < w:
                return c
            k -= w
        return cands[-1]

    def broadcast_partner_shape(self, shape):
        kind = self.draw(st.sampled_from(["same", "ones", "drop", "lead", "scalar"]), "bshape")
        if kind == "same":
            return shape
        if kind == "ones":
            return tuple(1 if self.draw(st.booleans()) else d for d in shape)
        if kind == "drop":
            return shape[self.draw(st.integers(0, len(shape))):]
        if kind == "lead" and math.prod(shape) * 3 <= MAX_SIZE * 2:
            return (self.draw(st.sampled_from([1, 2, 3])),) + shape
        return ()

    def scalar(self, for_dtype):
        kinds = ["int", "float", "bool"] if not self.smooth else ["float", "int"]
        kind = self.draw(st.sampled_from(kinds), "scalar kind")
        if kind == "int":
            return self.draw(st.integers(-3, 3))
        if kind == "bool":
            return self.draw(st.booleans())
        return self.draw(st.sampled_from([0.5, -1.5, 2.0, 0.0, 3.25, -0.0] if not self.smooth
                                         else [0.5, -1.5, 2.0, 3.25]))

    def axis_arg(self, ndim):
        kind = self.draw(st.sampled_from(["none", "int", "tuple"]), "axis kind")
        if kind == "none" or ndim == 0:
            return None
        if kind == "int":
            return self.draw(st.integers(-ndim, ndim - 1))
        axes = self.draw(st.lists(st.integers(0, ndim - 1), unique=True, max_size=ndim))
        return tuple(a - ndim if self.draw(st.booleans()) else a for a in axes)

    def step(self):
        kinds = ["unary", "binary", "binary", "reduce", "shape", "index", "where",
                 "concat", "matmul", "extra", "update"]
        if not self.smooth:
            kinds += ["astype", "cumsum", "binary", "unary", "extra"] + (
                ["eval"] if self.allow_eval
                                                                else [])
        kind = self.draw(st.sampled_from(kinds), "step kind")
        i = self.pick()
        v = self.ml[i]
        shape = tuple(v.shape)
        if kind == "unary":
            names = UNARY_SMOOTH if self.smooth else UNARY_ALL
            return self.add(Unary(self.draw(st.sampled_from(names), "unary"), i))
        if kind == "binary":
            names = BINARY_SMOOTH if self.smooth else BINARY_ALL
            name = self.draw(st.sampled_from(names), "binary")
            swap = self.draw(st.booleans(), "swap")
            how = self.draw(st.sampled_from(["value", "new", "scalar"]), "operand")
            step = None
            if how == "value":
                j = self.pick(lambda w: _broadcastable(tuple(w.shape), shape))
                if j is not None:
                    step = Binary(name, i, j, swap=swap)
            if step is None and how in ("value", "new"):
                return self.add_binary_new(name, i, swap)
            if step is None:
                step = Binary(name, i, None, scalar=self.scalar(v.dtype), swap=swap)
            return self.add_binary(step)
        if kind == "reduce":
            names = REDUCE_SMOOTH if self.smooth else REDUCE_ALL
            name = self.draw(st.sampled_from(names), "reduce")
            return self.add(Reduce(name, i, self.axis_arg(len(shape)),
                                   self.draw(st.booleans(), "keepdims")))
        if kind == "cumsum" and shape:
            ax = self.draw(st.integers(-len(shape), len(shape) - 1))
            return self.add(Cumsum(i, ax, self.draw(st.booleans()), self.draw(st.booleans())))
        if kind == "shape":
            return self.add(self.shape_step(i, shape))
        if kind == "index" and shape:
            return self.add(self.index_step(i, shape))
        if kind == "where":
            c = self.pick(lambda w: _broadcastable(tuple(w.shape), shape) and
                          w.dtype == mlx.bool_)
            if c is None:
                c = self.add_binary(Binary(self.draw(st.sampled_from(
                    ["greater", "less_equal"])), i, None, scalar=0.5))
                if c is None or c < 0:
                    return c
            j = self.pick(lambda w: _broadcastable(tuple(w.shape), shape))
            if j is None or self.draw(st.booleans(), "where scalar"):
                return self.add(Where(c, i, None, scalar=self.scalar(v.dtype)))
            return self.add(Where(c, i, j))
        if kind == "concat" and shape:
            ax = self.draw(st.integers(-len(shape), len(shape) - 1), "axis")
            j = self.pick(lambda w: len(w.shape) == len(shape) and all(
                a == b for d, (a, b) in enumerate(zip(w.shape, shape)) if d != ax % len(shape)))
            return self.add(Concat(i, i if j is None else j, ax))
        if kind == "matmul" and shape:
            k = shape[-1]
            other = self.draw(st.sampled_from([(k,), (k, 2), (k, 1), (2, k, 3)]), "mm shape")
            if len(shape) == 1 and len(other) == 3:
                other = (k, 3)
            j = self.inline_input(other, "float32")
            return self.add(Matmul(i, j))
        if kind == "extra":
            return self.add(self.extra_step(i, shape))
        if kind == "update" and shape and all(shape):
            return self.add(self.update_step(i, shape))
        if kind == "astype":
            return self.add(AsType(i, self.draw(st.sampled_from(["float32", "int32", "bool"]))))
        if kind == "eval":
            return self.add(EvalHere(i))
        return self.add(Unary("negative" if self.smooth else "abs", i))

    def extra_step(self, i, shape):
        nd = len(shape)
        what = self.draw(st.sampled_from(
            ["clip", "power", "sort", "softmax", "stack", "pad"] if self.smooth else
            ["clip", "power", "sort", "argmax", "argmin", "softmax", "stack", "pad"]),
            "extra op")
        axis = self.draw(st.integers(-nd, nd - 1)) if nd else None
        if what == "clip":
            lo = self.draw(st.sampled_from([None, -1, 0, 0.5, -2.5]))
            hi = self.draw(st.sampled_from([None, 2, 1.5, 0] if lo is not None else [2, 1.5]))
            return Clip(i, lo, hi)
        if what == "power":
            e = self.draw(st.sampled_from([2, 3, 0, 0.5, -1.0, 2.0] if not self.smooth
                                          else [2, 3, 2.0]))
            step = Binary("power", i, None, scalar=e)
            self.add_binary_prepare(step)
            return step
        if what == "softmax" and self.ml[i].dtype != mlx.float32:
            what = "sort"  # MLX's softmax of an integer scalar stays an integer (a quirk)
        if what in ("sort", "argmax", "argmin", "softmax") and (nd or what == "softmax"):
            if what != "softmax" and self.draw(st.booleans(), "flat"):
                axis = None
            return Sort(what, i, axis, self.draw(st.booleans(), "keepdims"))
        if what == "stack":
            ax = self.draw(st.integers(-nd - 1, nd), "axis")
            j = self.pick(lambda w: tuple(w.shape) == shape)
            return Stack(i, i if j is None else j, ax)
        if what == "pad" and nd:
            widths = tuple((self.draw(st.integers(0, 2)), self.draw(st.integers(0, 1)))
                           for _ in shape)
            return Pad(i, widths, self.draw(st.sampled_from([0, 1, -2.5, True])))
        return Unary("abs", i)

    def update_step(self, i, shape):
        nd = len(shape)
        add = self.draw(st.booleans(), "at add")
        if self.draw(st.booleans(), "array index"):
            ax = self.draw(st.integers(0, nd - 1))
            idx = self.rng.integers(-shape[ax], shape[ax], size=self.draw(
                st.sampled_from([(1,), (3,), (2, 2)]))).astype(np.int32)
            if not add:  # repeated writes of one value: still well defined
                pass
            index = (slice(None),) * ax + (idx,)
        else:
            index = tuple(self.draw(st.sampled_from([slice(None), slice(1, None),
                                                     slice(None, None, 2), 0, -1]))
                          for _ in shape)
        value = self.draw(st.sampled_from(
            [0, 1, -2, 0.5, True] if not add else [1, -2, 0.5]) if not self.smooth else
            st.sampled_from([1, -2, 0.5]))
        return SetItem(i, index, value, add)

    def add_binary_prepare(self, step):
        try:
            a, b = step.operands(self.ml)
            step.compute = np_dtype(mlx.add(a, b).dtype)
        except Exception:  # noqa: BLE001
            step.compute = np.dtype(np.float32)

    def inline_input(self, shape, dtype):
        """A constant input created inside the program (a fresh mx.array per run)."""
        return self.add(Const(self.values(shape, dtype if not self.smooth else "float32")))

    def add_binary_new(self, name, i, swap):
        shape = tuple(self.ml[i].shape)
        other = self.broadcast_partner_shape(shape)
        dtype = "float32" if self.smooth else self.draw(st.sampled_from(DTYPE_WEIGHTS))
        j = self.inline_input(other, dtype)
        if j is None or j < 0:
            return j
        return self.add_binary(Binary(name, i, j, swap=swap))

    def add_binary(self, step):
        # The dtype the op computes in (comparisons): MLX's promotion of the operands.
        try:
            a, b = step.operands(self.ml)
            step.compute = np_dtype(mlx.add(a, b).dtype)
        except Exception:  # noqa: BLE001 - the op itself will raise for MLX
            step.compute = np.dtype(np.float32)
        return self.add(step)

    def shape_step(self, i, shape):
        size = math.prod(shape)
        nd = len(shape)
        kind = self.draw(st.sampled_from(["reshape", "transpose", "expand", "squeeze",
                                          "broadcast", "swapaxes", "flip"]), "shape op")
        if kind == "reshape":
            new = _factor(size, self.draw(st.integers(0, 3), "rank"), self.rng)
            if new and self.draw(st.booleans(), "infer") and size:
                k = self.draw(st.integers(0, len(new) - 1))
                new = new[:k] + (-1,) + new[k + 1:]
            return Structural(f"reshape(v{i}, {new})", i, lambda L, x, s=new: L.reshape(x, s))
        if kind == "transpose" and nd:
            perm = tuple(self.draw(st.permutations(range(nd)), "perm"))
            return Structural(f"transpose(v{i}, {perm})", i,
                              lambda L, x, p=perm: L.transpose(x, p))
        if kind == "expand":
            ax = self.draw(st.integers(-nd - 1, nd), "axis")
            return Structural(f"expand_dims(v{i}, {ax})", i,
                              lambda L, x, a=ax: L.expand_dims(x, a))
        if kind == "squeeze" and 1 in shape:
            ax = self.draw(st.sampled_from([None] + [d for d, n in enumerate(shape) if n == 1]))
            return Structural(f"squeeze(v{i}, {ax})", i, lambda L, x, a=ax: L.squeeze(x, a))
        if kind == "broadcast":
            target = tuple(self.draw(st.sampled_from([d, 2, 3])) if d == 1 else d for d in shape)
            if self.draw(st.booleans()) and math.prod(target) * 2 <= MAX_SIZE * 2:
                target = (2,) + target
            return Structural(f"broadcast_to(v{i}, {target})", i,
                              lambda L, x, t=target: L.broadcast_to(x, t))
        if kind == "swapaxes" and nd:
            a, b = self.draw(st.integers(-nd, nd - 1)), self.draw(st.integers(-nd, nd - 1))
            return Structural(f"swapaxes(v{i}, {a}, {b})", i,
                              lambda L, x, a=a, b=b: L.swapaxes(x, a, b))
        if kind == "flip" and nd:
            ax = self.draw(st.integers(0, nd - 1))
            idx = (slice(None),) * ax + (slice(None, None, -1),)
            return Index(i, idx, False)
        return Structural(f"reshape(v{i}, {shape})", i, lambda L, x, s=shape: L.reshape(x, s))

    def index_step(self, i, shape):
        nd = len(shape)
        kind = self.draw(st.sampled_from(["basic", "basic", "array", "take", "two arrays"]),
                         "index kind")
        if kind == "take":
            ax = self.draw(st.integers(-nd, nd - 1))
            n = shape[ax]
            if n == 0:
                return Take(i, np.zeros((0,), np.int32), ax)
            k = self.draw(st.sampled_from([(), (2,), (3,), (2, 2)]), "index shape")
            return Take(i, self.rng.integers(-n, n, size=k).astype(np.int32), ax)
        if kind in ("array", "two arrays") and all(shape):
            lazy = self.draw(st.booleans(), "lazy")
            ax = self.draw(st.integers(0, nd - 1))
            k = self.draw(st.sampled_from([(), (1,), (3,), (2, 2)]), "index shape")
            index = [slice(None)] * nd
            index[ax] = self.rng.integers(-shape[ax], shape[ax], size=k).astype(np.int32)
            if kind == "two arrays" and nd >= 2:
                ax2 = (ax + self.draw(st.integers(1, nd - 1))) % nd
                index[ax2] = self.rng.integers(0, shape[ax2], size=k[-1:] if k else ()).astype(
                    np.int32)
            return Index(i, tuple(index), lazy)
        index = []
        for n in shape:
            what = self.draw(st.sampled_from(["all", "slice", "slice", "int", "none"]), "item")
            if what == "int" and n:
                index.append(self.draw(st.integers(-n, n - 1)))
            elif what == "slice":
                lo = self.draw(st.sampled_from([None, 0, 1, -1, n, -n - 1, 2]))
                hi = self.draw(st.sampled_from([None, 0, 1, -1, n, n + 2, 2]))
                step = self.draw(st.sampled_from([None, 1, 2, -1, -2, 3]))
                index.append(slice(lo, hi, step))
            elif what == "none":
                index.extend([None, slice(None)])
            else:
                index.append(slice(None))
        if index and self.draw(st.booleans(), "ellipsis"):
            k = self.draw(st.integers(0, len(index)))
            index = index[:k] + [Ellipsis]
        return Index(i, tuple(index), False)


def _broadcastable(a, b):
    for x, y in zip(reversed(a), reversed(b)):
        if x != y and x != 1 and y != 1:
            return False
    return math.prod(np.broadcast_shapes(a, b)) <= 4 * MAX_SIZE


def _factor(size, rank, rng):
    """A random shape of ``rank`` dimensions holding ``size`` elements."""
    if rank == 0:
        return () if size == 1 else (size,)
    if size == 0:
        dims = [int(rng.integers(1, 4)) for _ in range(rank)]
        dims[int(rng.integers(0, rank))] = 0
        return tuple(dims)
    dims = []
    rest = size
    for _ in range(rank - 1):
        divisors = [d for d in range(1, rest + 1) if rest % d == 0]
        d = int(rng.choice(divisors))
        dims.append(d)
        rest //= d
    dims.append(rest)
    rng.shuffle(dims)
    return tuple(dims)


def draw_program(data, smooth=False, specials=True, allow_eval=True, n_inputs=None):
    g = Gen(data, smooth=smooth, specials=specials, allow_eval=allow_eval)
    for _ in range(n_inputs or g.draw(st.integers(1, 2), "inputs")):
        g.new_input()
    n = g.draw(st.integers(1, 6), "steps")
    for _ in range(n):
        if g.p.error_step is not None:
            break
        g.step()
    if g.p.error_step is None:
        last = len(g.ml) - 1
        outs = [last]
        if len(g.ml) > 2 and g.draw(st.booleans(), "two outputs"):
            outs.append(g.draw(st.integers(0, last - 1), "output"))
        g.p.outputs = outs
    return g.p


# --------------------------------------------------------------------- checks


def compare(got, r: Ref, what):
    """mxc's result ``got`` (an mx.array) against the NumPy Ref ``r``."""
    value = np.array(got)
    assert value.shape == r.v.shape, f"{what}: shape {value.shape}, NumPy {r.v.shape}"
    known = np.isfinite(r.e)
    STATS["elements"] += known.size
    STATS["unknown"] += int(known.size - known.sum())
    if r.is_float:
        g = value.astype(np.float64)
        ok = np.where(np.isnan(r.v), np.isnan(g),
                      np.where(np.isinf(r.v), g == r.v, np.abs(g - r.v) <= 2 * r.e + TINY))
    else:
        ok = value == r.v
    bad = known & ~ok
    if bad.any():
        k = tuple(np.argwhere(bad)[0])
        raise AssertionError(
            f"{what}: {int(bad.sum())} of {value.size} elements differ; at {k}: mxc "
            f"{value[k]!r}, NumPy {r.v[k]!r} (error bound {r.e[k]:.3g})\n"
            f"mxc:   {value.tolist()}\nNumPy: {r.v.tolist()}")


def check_program(p: Program):
    STATS["programs"] += 1
    STATS["steps"] += len(p.steps)
    text = p.text()
    note(text)
    _track("", text)
    try:
        _check_program(p)
    except Exception:
        STATS["failures"] += 1
        STATS["failed"].append(text)
        raise


def _check_program(p: Program):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if p.error_step is not None:
            step, err = p.error_step
            STATS["errors"] += 1
            vals = p.run(mx)
            try:
                out = step.run(mx, vals)
                mx.eval(out)
                if out.size == 0:  # nothing computed: as good as NumPy's empty result
                    return
            except Exception as e:  # noqa: BLE001
                assert isinstance(e, (err, ValueError, TypeError, IndexError)), (
                    f"MLX raises {err.__name__}, mxc {type(e).__name__}: {e}")
                assert type(e).__module__ != "mlir._mlir_libs._site_initialize", (
                    f"mxc raised a raw MLIR error: {e}")
                return
            raise AssertionError(f"MLX raises {err.__name__} for {step}; mxc gives "
                                 f"{np.array(out)!r}")
        vals = p.run(mx)
        n = len(p.inputs)
        for k, step in enumerate(p.steps):  # every step has MLX's dtype and shape
            got = vals[n + k]
            assert (str(got.dtype), tuple(got.shape)) == (str(step.mlx_dtype), step.mlx_shape), (
                f"v{n + k} = {step}: mxc gives {got.dtype} {got.shape}, MLX "
                f"{step.mlx_dtype} {step.mlx_shape}")
        outs = [vals[o] for o in p.outputs]
        mx.eval(*outs)
        refs = p.refs()
        for o, got in zip(p.outputs, outs):
            compare(got, refs[o], f"v{o}")


# ------------------------------------------------------------------------ tests


# The campaigns run in a child process (see `test_fuzz_campaign`), so that a crash
# of the compiler fails a test instead of killing pytest.


def fuzz_forward(data):
    """A random program's values equal NumPy's, its dtypes MLX's."""
    check_program(draw_program(data))


def fuzz_grad(data):
    """``mx.grad`` of a smooth random program (summed with random weights) equals
    ``mlx.core.grad`` of the same program, with respect to every input."""
    p = draw_program(data, smooth=True, specials=False, allow_eval=False,
                     n_inputs=data.draw(st.integers(1, 2)))
    STATS["programs"] += 1
    STATS["steps"] += len(p.steps)
    note(p.text())
    _track("grad of", p.text())
    if p.error_step is not None or not p.outputs:
        return
    out = p.outputs[0]
    if any(not s.grad_ok for s in p.steps):
        return
    if any(math.prod(v.shape) == 0 for v in p.run(mlx)):
        return  # the oracle, MLX's grad, dies of SIGFPE on empty arrays
    if p.run(mlx)[p.outputs[0]].dtype != mlx.float32:
        return  # gradients of float outputs only
    rng = np.random.default_rng(len(p.steps))
    n = len(p.inputs)
    shape = tuple(p.run(mlx)[out].shape)
    w = rng.uniform(0.5, 1.5, size=shape).astype(np.float32)

    def loss(L):
        def f(*xs):
            vals = list(xs)
            for s in p.steps:
                vals.append(s.run(L, vals))
            return L.sum(vals[out] * L.array(w))
        return f

    argnums = tuple(range(n))
    try:
        g_mx = mx.grad(loss(mx), argnums=argnums)(*[mx.array(x) for x in p.inputs])
        mx.eval(g_mx)
        g_ml = mlx.grad(loss(mlx), argnums=argnums)(*[mlx.array(x) for x in p.inputs])
        mlx.eval(g_ml)
        # one argument: its gradient alone (both), several: a tuple
        assert isinstance(g_mx, tuple) == isinstance(g_ml, tuple), (type(g_mx), type(g_ml))
        g_mx, g_ml = (g_mx, g_ml) if isinstance(g_ml, tuple) else ((g_mx,), (g_ml,))
        STATS["grads"] += 1
        for k, (a, b) in enumerate(zip(g_mx, g_ml)):
            a, b = np.array(a, np.float64), np.array(b, np.float64)
            finite = np.isfinite(b) & (np.abs(b) < 1e6)
            scale = max(1.0, float(np.max(np.abs(np.where(finite, b, 0)), initial=0)))
            np.testing.assert_allclose(a[finite], b[finite], rtol=2e-3, atol=2e-4 * scale,
                                       err_msg=f"gradient of input {k}")
    except Exception:
        STATS["failures"] += 1
        STATS["failed"].append("grad of\n" + p.text())
        raise


def fuzz_vmap(data):
    """``mx.vmap`` of a random program over a batch of its first input (and maybe
    the second) equals the NumPy value of each batch element."""
    p = draw_program(data, specials=True, allow_eval=False, n_inputs=data.draw(
        st.integers(1, 2)))
    STATS["programs"] += 1
    STATS["steps"] += len(p.steps)
    if p.error_step is not None or not p.outputs:
        return
    n = len(p.inputs)
    B = data.draw(st.integers(1, 3), "batch")
    batched = [True] + [data.draw(st.booleans(), "batched") for _ in p.inputs[1:]]
    rng = np.random.default_rng(B)
    batches = []
    for x, b in zip(p.inputs, batched):
        if not b:
            batches.append(x)
            continue
        xs = [x] + [_like(x, rng) for _ in range(B - 1)]
        batches.append(np.stack(xs))
    out = p.outputs[0]
    note(p.text() + f"\nvmap over a batch of {B}, batched inputs {batched}")
    _track(f"vmap (batch {B}, batched {batched}) of", p.text())

    def f(*xs):
        vals = list(xs)
        for s in p.steps:
            vals.append(s.run(mx, vals))
        return vals[out]

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = mx.vmap(f, in_axes=tuple(0 if b else None for b in batched))(
                *[mx.array(x) for x in batches])
            mx.eval(got)
            assert got.shape[0] == B, got.shape
            for k in range(B):
                inputs = [x[k] if b else x for x, b in zip(batches, batched)]
                compare(got[k], p.refs(inputs)[out], f"batch element {k}")
    except Exception:
        STATS["failures"] += 1
        STATS["failed"].append(f"vmap (batch {B}, batched {batched}) of\n" + p.text())
        raise


CAMPAIGNS = {"forward": (80, fuzz_forward), "grad": (24, fuzz_grad),
             "vmap": (24, fuzz_vmap)}


def _track(what, text):
    """Writes the program about to run to ``MXC_FUZZ_LAST`` (found there after a crash)."""
    path = os.environ.get("MXC_FUZZ_LAST")
    if path:
        with open(path, "w") as f:
            f.write((what + "\n" if what else "") + text + "\n")


def run_campaign(name):
    """Runs one campaign (in the child process); prints its statistics last."""
    ci, body = CAMPAIGNS[name]
    try:
        budget(ci)(given(st.data())(body))()
    finally:
        print("MXC-FUZZ-STATS " + json.dumps({k: v for k, v in STATS.items() if k != "failed"}),
              flush=True)


@pytest.mark.parametrize("name", list(CAMPAIGNS))
def test_fuzz_campaign(name, tmp_path):
    """The ``name`` campaign (forward values, grad or vmap) passes; a crash fails it
    with the program that crashed."""
    last = tmp_path / "last-program.txt"
    # Campaigns run each program once, which the rest of the suite leaves on the fast
    # tier (-O0): here every program is compiled by the optimizing tier (-O2).
    env = dict(os.environ, MXC_FUZZ_LAST=str(last), PYTHONFAULTHANDLER="1",
               MXC_JIT_TIERS="0")
    timeout = 240 + 3 * _EXAMPLES
    try:
        proc = subprocess.run([sys.executable, __file__, name], env=env, capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"the {name} campaign hung (no result in {timeout} s); last program:\n"
                    f"{last.read_text() if last.exists() else '?'}\n{e.stdout}\n{e.stderr}")
    stats = [json.loads(line.split(" ", 1)[1]) for line in proc.stdout.splitlines()
             if line.startswith("MXC-FUZZ-STATS ")]
    if stats:
        for k in ("programs", "steps", "errors", "elements", "unknown", "grads"):
            STATS[k] += stats[-1][k]
    output = (proc.stdout + proc.stderr)[-6000:]
    if proc.returncode < 0 or not stats:
        STATS["failures"] += 1
        crashed = last.read_text() if last.exists() else "?"
        STATS["failed"].append(f"CRASH ({name}, signal {-proc.returncode}):\n{crashed}")
        pytest.fail(f"the {name} campaign crashed (exit {proc.returncode}) running:\n"
                    f"{crashed}\n{output}")
    if proc.returncode != 0:
        STATS["failures"] += max(1, stats[-1]["failures"])
        STATS["failed"].append(f"{name}: see the falsifying example\n" + output[-3000:])
        pytest.fail(f"the {name} campaign found a failing program:\n{output}")


def _like(x, rng):
    if x.dtype == np.bool_:
        return rng.random(x.shape) < 0.5
    if x.dtype == np.int32:
        return rng.integers(-6, 7, size=x.shape).astype(np.int32)
    return rng.uniform(-3, 3, size=x.shape).astype(np.float32)


def test_the_oracle_catches_a_wrong_result():
    """The checker itself: a wrong value, NaN for a number, and a wrong dtype fail."""
    r = finish(np.array([1.0, 2.0]), 0.0, IEEE_ULPS)
    compare(mx.array([1.0, 2.0]), r, "ok")
    with pytest.raises(AssertionError):
        compare(mx.array([1.0, 2.001]), r, "wrong")
    with pytest.raises(AssertionError):
        compare(mx.array([1.0, float("nan")]), r, "nan")
    # unknown elements are not compared
    compare(mx.array([5.0, 2.0]), Ref(np.array([1.0, 2.0]), np.array([np.inf, 0.0]),
                                      np.float32), "unknown")


# ---------------------------------------------------------- regression tests
# Every failure the fuzzer found, as a plain test (see the module docstring).

def run_isolated(code, timeout=120):
    """Runs ``code`` in a fresh interpreter: (exit status, output). A crash is a
    negative status instead of the end of pytest."""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=timeout, env=dict(os.environ, PYTHONFAULTHANDLER="1"))
    return proc.returncode, proc.stdout + proc.stderr


def test_regression_identical_outputs_do_not_crash():
    """Found by the fuzzer: evaluating two structurally identical outputs together
    (``mx.eval(-x, -x)``; or a gradient whose two results are the same expression)
    made the compiled program return one value twice, and the CPU pipeline crashed
    with SIGSEGV (reproducer: /tmp/rel_bugs/dup_return.mlir)."""
    rc, out = run_isolated(
        "import mxc.core as mx\n"
        "x = mx.array(1.0)\n"
        "a, b = -x, -x\n"
        "mx.eval(a, b)\n"
        "assert a.item() == b.item() == -1.0\n"
        "c, d = mx.exp(mx.ones((2, 3))), mx.exp(mx.ones((2, 3)))\n"
        "mx.eval(c, d)\n"
        "ga, gb = mx.grad(lambda a, b: mx.sum(a + b), argnums=(0, 1))(\n"
        "    mx.array([1.0, 2.0]), mx.array([3.0, 4.0]))\n"
        "mx.eval(ga, gb)\n"
        "assert ga.tolist() == gb.tolist() == [1.0, 1.0]\n"
        "print('ok')\n")
    assert rc == 0 and "ok" in out, f"exit {rc}:\n{out[-3000:]}"


def test_regression_expm1_log1p_are_accurate_near_zero():
    """Found by the fuzzer (expm1(-0.01176) 19 ulps off): expm1 and log1p lower to
    exp(x) - 1 and log(1 + x), so small arguments lose every digit (expm1(1e-8) gave
    0). NumPy and MLX are within an ulp (reproducer:
    /tmp/rel_bugs/expm1_log1p_accuracy.py)."""
    x = np.array([1e-8, 1e-6, -1e-6, 1e-4, -0.01176, 0.3, -0.5, 3.0], np.float32)
    for name in ("expm1", "log1p"):
        ref = getattr(np, name)(x.astype(np.float64))
        got = np.array(getattr(mx, name)(mx.array(x)), np.float64)
        np.testing.assert_allclose(got, ref, rtol=4 * U, atol=0, err_msg=name)
    # logaddexp is max + log1p(exp(-|a - b|)): logaddexp(-6, 0) was 112 ulps off
    a, b = np.array([-6.0, -20.0, 3.0], np.float32), np.array([0.0, 0.0, 2.0], np.float32)
    got = np.array(mx.logaddexp(mx.array(a), mx.array(b)), np.float64)
    np.testing.assert_allclose(got, np.logaddexp(a.astype(np.float64), b), rtol=4 * U,
                               err_msg="logaddexp")


def test_regression_scan_of_size_1_then_broadcast():
    """Found by the vmap fuzzer: a scan (cumsum, cumprod) along an axis of size 1,
    then broadcast to more rows, accumulated across the broadcast rows
    (``broadcast_to(cumsum([0.25]), (3, 1))`` gave [[.25], [.5], [.75]]), and so did
    ``vmap`` of a scan of an unbatched value (reproducer:
    /tmp/rel_bugs/scan_size1_broadcast.py)."""
    c = mx.array([0.25])
    assert mx.broadcast_to(mx.cumsum(c, axis=0), (3, 1)).tolist() == [[0.25]] * 3
    assert (mx.cumsum(c, axis=0) + mx.zeros((3, 1))).tolist() == [[0.25]] * 3
    assert mx.broadcast_to(mx.cumprod(c, axis=0), (3, 1)).tolist() == [[0.25]] * 3
    got = mx.broadcast_to(mx.cumsum(mx.array([[1.0], [2.0]]), axis=1), (3, 2, 1))
    assert got.tolist() == [[[1.0], [2.0]]] * 3
    xb = mx.array([[1.0], [2.0], [3.0]])
    v = mx.vmap(lambda x: mx.cumsum(mx.array([0.25]), axis=0) + x)(xb)
    assert v.tolist() == [[1.25], [2.25], [3.25]]


def test_regression_pad_of_an_empty_array():
    """Found by the fuzzer: padding an empty array failed to compile (CompilerError
    in mxc-linalg-to-llvm: a zero-size insert out of bounds; reproducer
    /tmp/rel_bugs/pad_empty.mlir). The result is all padding."""
    got = mx.pad(mx.array(np.zeros((0,), np.float32)), ((1, 0),))
    assert got.tolist() == [0.0]
    got = mx.pad(mx.zeros((2, 0), mx.int32), ((0, 1), (1, 1)), constant_values=3)
    np.testing.assert_array_equal(np.array(got), np.full((3, 2), 3, np.int32))
    assert got.dtype == mx.int32


def test_regression_updates_check_python_ints_fit_the_dtype():
    """Found by the fuzzer: ``x.at[i].add(-2)`` and ``x[i] = -2`` on a uint32 array
    wrapped to 4294967294 where MLX raises ValueError (the rule every other op
    already follows for Python integers)."""
    for L in (mx, mlx):
        a = L.array([1, 2], L.uint32)
        for update in (lambda: a.at[0].add(-2), lambda: a.__setitem__(0, -2),
                       lambda: L.array([1], L.int8).at[0].add(300)):
            with pytest.raises(ValueError, match="overflow"):
                update()
    a = mx.array([1, 2], mx.uint32)
    assert a.at[0].add(1.5).tolist() == [2, 2] and a.at[1].multiply(3).tolist() == [1, 6]
    a[0] = 7
    assert a.tolist() == [7, 2]


def test_regression_array_copy_inside_transforms():
    """Found by the vmap fuzzer: ``mx.array(x)`` of a traced input made an alias the
    trace did not know, so ``grad`` through it was silently zero (MLX: the right
    gradient) and ``vmap`` through it failed to compile (an ``array.placeholder`` op
    leaked into the program)."""
    def update(L):
        def f(x):
            y = L.array(x)
            y[0] = 5.0
            return L.sum(y * y)
        return f

    for L in (mx, mlx):
        x = L.array([1.0, 2.0])
        assert L.grad(lambda v: L.sum(L.array(v) * 2))(x).tolist() == [2.0, 2.0]
        assert L.grad(update(L))(x).tolist() == [0.0, 4.0]
        xb = L.array([[1.0], [2.0]])
        assert L.vmap(lambda v: L.array(v) * 2)(xb).tolist() == [[2.0], [4.0]]

        def zero(v, L=L):
            y = L.array(v)
            y[::] = 0
            return y

        assert L.vmap(zero)(xb).tolist() == [[0.0], [0.0]]
        assert L.jvp(lambda v: L.array(v) * 3, [L.array([1.0])],
                     [L.array([1.0])])[1][0].tolist() == [3.0]


def test_regression_reduction_over_no_axes_keeps_the_array():
    """Found by the fuzzer: reducing nothing (a 0-d array, or ``axis=()``) returned
    the input converted to the accumulation dtype (``sum`` of a bool scalar was
    int32; MLX: bool), and ``max``/``min`` with ``axis=()`` of an empty array raised
    (MLX and NumPy return it)."""
    for name in ("sum", "prod", "max", "min"):
        for make in (lambda L: L.array(True), lambda L: L.array([True, False]),
                     lambda L: L.array([1, 2], L.int8)):
            got = getattr(mx, name)(make(mx), axis=() if make(mx).ndim else None)
            want = getattr(mlx, name)(make(mlx), axis=() if make(mlx).ndim else None)
            assert str(got.dtype) == str(want.dtype) and got.tolist() == want.tolist()
        e = getattr(mx, name)(mx.zeros((1, 0)), axis=())
        assert e.shape == (1, 0)
    assert mx.sum(mx.array([True, True])).item() == 2  # a real reduction still counts
    with pytest.raises(ValueError):
        mx.max(mx.zeros((1, 0)))


def test_regression_grad_of_one_argnum_in_a_sequence_is_the_array():
    """Found by the fuzzer: ``mx.grad(f, argnums=(0,))`` returned a 1-tuple where MLX
    returns the gradient itself (one argument in a sequence is one gradient); an
    empty ``argnums`` raised nothing (MLX: ValueError)."""
    f = lambda a, b: mx.sum(a * b)  # noqa: E731
    x, y = mx.array([1.0, 2.0]), mx.array([3.0, 4.0])
    for argnums in ((0,), [0]):
        g = mx.grad(f, argnums=argnums)(x, y)
        gm = mlx.grad(lambda a, b: mlx.sum(a * b), argnums=argnums)(
            mlx.array([1.0, 2.0]), mlx.array([3.0, 4.0]))
        assert isinstance(g, mx.array) and isinstance(gm, mlx.array)
        assert g.tolist() == gm.tolist() == [3.0, 4.0]
    v, g = mx.value_and_grad(f, argnums=[1])(x, y)
    assert v.item() == 11.0 and g.tolist() == [1.0, 2.0]
    ga, gb = mx.grad(f, argnums=(0, 1))(x, y)
    assert ga.tolist() == [3.0, 4.0] and gb.tolist() == [1.0, 2.0]
    with pytest.raises(ValueError):
        mx.grad(f, argnums=[])(x, y)


if __name__ == "__main__":
    run_campaign(sys.argv[1])
