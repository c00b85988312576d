"""MLX's operations, with NumPy broadcasting and MLX's type promotion.

This is the only layer that knows about broadcasting, promotion and Python
scalars: every op here emits strict `array` dialect ops with explicit
``broadcast_in_dim`` and ``convert`` nodes, so nothing below re-derives them.
"""

from __future__ import annotations

import builtins
import functools
import math
import numbers

import numpy as np

from . import _array, _device, _dtypes
from ._array import _from_numpy, _make, _make_multi, array
from ._dtypes import Dtype

_pyabs, _pymax, _pymin, _pyround, _pysum = (
    builtins.abs, builtins.max, builtins.min, builtins.round, builtins.sum)


class AxisError(ValueError, IndexError):
    """An axis out of range (a ValueError, as MLX, and an IndexError, as NumPy)."""


# ------------------------------------------------------------------------- helpers

_scalar_cache: dict = {}


def _scalar(value, dtype: Dtype) -> array:
    """A 0-d evaluated array: a program input, so its value is not in the cache key."""
    with np.errstate(all="ignore"):  # wrapping casts are intended (uint64 - 1)
        return _from_numpy(np.array(value).astype(dtype.np), dtype)


def _const(value, dtype: Dtype, shape=()) -> array:
    """A constant folded into the program (for structural constants such as 0)."""
    if dtype == _dtypes.complex64:
        # No complex splat attribute: a complex constant is a 0-d program input.
        return _broadcast_to(_scalar(value, dtype), tuple(shape))
    return _make("constant", (), (("value", ("splat", tuple(shape), dtype.name, value)),),
                 shape, dtype)


def _is_scalar(x):
    """Python scalars and NumPy scalars: both are weakly typed, as in MLX."""
    return isinstance(x, (bool, np.bool_, numbers.Number)) and not isinstance(x, np.ndarray)


def _check_int_scalar(x, dt: Dtype):
    """MLX refuses a Python integer that does not fit the integer dtype it takes."""
    if (dt.is_integer and dt.size < 8 and isinstance(x, numbers.Integral)
            and not isinstance(x, (bool, np.bool_))):
        info = np.iinfo(dt.np)
        if not info.min <= int(x) <= info.max:
            raise ValueError(f"Converting {int(x)} to {dt.name} would result in overflow.")


def _as_array(x, dtype: Dtype | None = None) -> array:
    if isinstance(x, array):
        return x if dtype is None or x.dtype == dtype else astype(x, dtype)
    if _is_scalar(x):
        return _scalar(x, dtype or _scalar_dtype(x))
    return array(x, dtype)


def _scalar_dtype(x):
    from ._array import _scalar_dtype as sd

    return sd(x)


def _weak_dtype(scalar, other: Dtype) -> Dtype:
    """The dtype of ``array op scalar``: a Python scalar does not promote an array
    of its own kind (``int8_array + 1`` stays int8)."""
    if isinstance(scalar, (bool, np.bool_)):
        return other
    if isinstance(scalar, numbers.Integral):
        return other if other != _dtypes.bool_ else _dtypes.int32
    if isinstance(scalar, numbers.Real):
        return other if other.is_inexact else _dtypes.float32
    return _dtypes.complex64


def _dtype_of(x):
    if isinstance(x, array):
        return x.dtype
    if _is_scalar(x):
        return _scalar_dtype(x)
    return _as_array(x).dtype


def result_type(*args) -> Dtype:
    """The dtype of an elementwise op on ``args`` (arrays, dtypes, Python scalars)."""
    arrays = [a for a in args if not _is_scalar(a)]
    if not arrays:
        dt = _scalar_dtype(args[0])
        for a in args[1:]:
            dt = _dtypes.promote_types(dt, _scalar_dtype(a))
        return dt
    dt = None
    for a in arrays:
        d = a if isinstance(a, Dtype) else _dtype_of(a)
        dt = d if dt is None else _dtypes.promote_types(dt, d)
    for s in args:
        if _is_scalar(s):
            _check_int_scalar(s, dt)
            dt = _dtypes.promote_types(dt, _weak_dtype(s, dt))
    return dt


def broadcast_shapes(*shapes) -> tuple:
    """NumPy's broadcast of ``shapes``."""
    ndim = _pymax((len(s) for s in shapes), default=0)
    out = []
    for i in range(-ndim, 0):
        size = 1
        for s in shapes:
            if len(s) >= -i:
                d = s[i]
                if d != 1:
                    if size != 1 and d != size:
                        raise ValueError(
                            "[broadcast_shapes] Shapes "
                            + " and ".join(_shape_str(s) for s in shapes)
                            + " cannot be broadcast."
                        )
                    size = d
        out.append(size)
    return tuple(out)


def _shape_str(shape):
    return "(" + ",".join(str(d) for d in shape) + ")"


def _broadcast_to(a: array, shape) -> array:
    shape = tuple(shape)
    if a.shape == shape:
        return a
    offset = len(shape) - a.ndim
    if offset < 0:
        raise ValueError(f"[broadcast_to] Cannot broadcast array of shape {_shape_str(a.shape)} "
                         f"to shape {_shape_str(shape)}.")
    for i, d in enumerate(a.shape):
        if d != 1 and d != shape[offset + i]:
            raise ValueError(f"[broadcast_to] Cannot broadcast array of shape "
                             f"{_shape_str(a.shape)} to shape {_shape_str(shape)}.")
    dims = tuple(range(offset, len(shape)))
    return _make("broadcast_in_dim", (a,), (("broadcast_dimensions", dims),), shape, a.dtype)


def astype(a, dtype: Dtype, stream=None) -> array:
    """``a`` converted to ``dtype`` (floats truncate toward zero into integers)."""
    a = _as_array(a)
    if not isinstance(dtype, Dtype):
        raise TypeError(f"[astype] Expected an mx.Dtype, got {dtype!r}.")
    if a.dtype == dtype:
        return a
    if a._value is not None and a.size <= 1 and not _array.tracing:
        # Small evaluated arrays convert eagerly, as NumPy would.
        return _from_numpy(_np_cast(a._value, dtype), dtype)
    return _make("convert", (a,), (), a.shape, dtype)


def _np_cast(value, dtype):
    with np.errstate(all="ignore"):
        if dtype == _dtypes.bool_:
            return value != 0
        return value.astype(dtype.np)


def _prepare(args, dtype=None):
    """Arrays from ``args`` promoted to one dtype and broadcast to one shape."""
    dt = dtype or result_type(*args)
    arrays = [_as_array(a, dt) if _is_scalar(a) else astype(_as_array(a), dt) for a in args]
    shape = broadcast_shapes(*(a.shape for a in arrays))
    return [_broadcast_to(a, shape) for a in arrays], dt, shape


def _public(fn):
    """Accepts MLX's ``stream=`` keyword on every op: the ops it creates run there."""

    @functools.wraps(fn)
    def wrapper(*args, stream=None, **kwargs):
        if stream is None:
            return fn(*args, **kwargs)
        with _device._using(stream):
            return fn(*args, **kwargs)

    return wrapper


def _normalize_axis(axis, ndim, op):
    if not isinstance(axis, (int, np.integer)):
        raise TypeError(f"[{op}] axis must be an integer, got {type(axis).__name__}.")
    if axis < -ndim or axis >= ndim:
        raise AxisError(f"[{op}] Invalid axis {axis} for array with {ndim} dimensions.")
    return int(axis) % ndim if ndim else 0


def _normalize_axes(axis, ndim, op):
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (int, np.integer)):
        axis = (axis,)
    axes = tuple(_normalize_axis(a, ndim, op) for a in axis)
    if len(set(axes)) != len(axes):
        raise ValueError(f"[{op}] Received duplicate axes.")
    return tuple(sorted(axes))


# ---------------------------------------------------------------------- elementwise


_NO_COMPLEX = {"expm1", "erf", "erfinv", "sigmoid", "floor", "ceil"}


def _unary(prim, a, *, float_only=False, keep_ints=False):
    a = _as_array(a)
    if prim in _NO_COMPLEX and a.dtype == _dtypes.complex64:
        raise ValueError(f"[{prim}] Not supported for complex64.")
    if float_only and not a.dtype.is_inexact:
        if keep_ints:
            return a
        a = astype(a, _dtypes.float32)
    return _make(prim, (a,), (), a.shape, a.dtype)


def _def_unary(name, float_only=True, keep_ints=False, doc=""):
    def op(a, /):
        return _unary(name, a, float_only=float_only, keep_ints=keep_ints)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc or f"Elementwise ``{name}``."
    return _public(op)


exp = _def_unary("exp")
expm1 = _def_unary("expm1")
log = _def_unary("log")
log1p = _def_unary("log1p")
log2 = _def_unary("log2")
log10 = _def_unary("log10")
sin = _def_unary("sin", doc="Elementwise sine.\n\n>>> mx.sin(mx.array(0.0))\narray(0, dtype=float32)")
cos = _def_unary("cos")
tan = _def_unary("tan")
arcsin = _def_unary("arcsin")
arccos = _def_unary("arccos")
arctan = _def_unary("arctan")
sinh = _def_unary("sinh")
cosh = _def_unary("cosh")
tanh = _def_unary("tanh")
arcsinh = _def_unary("arcsinh")
arccosh = _def_unary("arccosh")
arctanh = _def_unary("arctanh")
sqrt = _def_unary("sqrt")
rsqrt = _def_unary("rsqrt")
reciprocal = _def_unary("reciprocal")
erf = _def_unary("erf")
erfinv = _def_unary("erfinv")
sigmoid = _def_unary("sigmoid")
floor = _def_unary("floor", keep_ints=True)
ceil = _def_unary("ceil", keep_ints=True)
_square = _def_unary("square", float_only=False)


@_public
def square(a, /):
    """Elementwise ``a * a`` (a bool squares to itself, as in MLX)."""
    a = _as_array(a)
    if a.dtype == _dtypes.bool_:
        return a
    return _square(a)


stop_gradient = _def_unary("stop_gradient", float_only=False,
                           doc="The identity whose gradient is zero.")


def _check_complex(a, op):
    if a.dtype == _dtypes.complex64:
        raise TypeError(f"[{op}] Not supported for complex64.")


@_public
def abs(a, /):
    """Elementwise absolute value."""
    a = _as_array(a)
    if a.dtype == _dtypes.bool_ or a.dtype.kind == "u":
        return a
    if a.dtype == _dtypes.complex64:
        # |z| = sqrt(re^2 + im^2), a float32 (as MLX).
        return sqrt(add(square(real(a)), square(imag(a))))
    return _make("abs", (a,), (), a.shape, a.dtype)


@_public
def real(a, /):
    """The real part (float32 for complex64; other dtypes are returned as they are)."""
    a = _as_array(a)
    if a.dtype != _dtypes.complex64:
        return a
    return _make("convert", (a,), (), a.shape, _dtypes.float32)


@_public
def imag(a, /):
    """The imaginary part (zeros for real dtypes)."""
    a = _as_array(a)
    if a.dtype != _dtypes.complex64:
        return zeros_like(a)
    return _make("imag", (a,), (), a.shape, _dtypes.float32)


@_public
def conjugate(a, /):
    """The complex conjugate (other dtypes are returned as they are)."""
    a = _as_array(a)
    if a.dtype != _dtypes.complex64:
        return a
    return _make("conjugate", (a,), (), a.shape, a.dtype)


conj = conjugate


@_public
def negative(a, /):
    """Elementwise negation."""
    a = _as_array(a)
    if a.dtype == _dtypes.bool_:
        raise ValueError("[negative] Not supported for bool, use logical_not instead.")
    return _make("negative", (a,), (), a.shape, a.dtype)


@_public
def sign(a, /):
    """Elementwise sign: -1, 0 or 1 (NaN stays NaN)."""
    a = _as_array(a)
    if a.dtype == _dtypes.bool_:
        return a
    return _make("sign", (a,), (), a.shape, a.dtype)


@_public
def round(a, /, decimals: int = 0):
    """Round half to even, to ``decimals`` places."""
    a = _as_array(a)
    if not a.dtype.is_inexact:
        return a
    if decimals == 0:
        return _make("round", (a,), (), a.shape, a.dtype)
    scale = 10.0**decimals
    return divide(_make("round", (multiply(a, scale),), (), a.shape, a.dtype), scale)


@_public
def logical_not(a, /):
    a = astype(_as_array(a), _dtypes.bool_)
    return _make("logical_not", (a,), (), a.shape, a.dtype)


@_public
def bitwise_invert(a, /):
    a = _as_array(a)
    if a.dtype.is_inexact:
        raise ValueError(f"[bitwise_invert] Bitwise inverse only allowed on integer types "
                         f"but got {a.dtype.name}.")
    if a.dtype == _dtypes.bool_:
        return logical_not(a)
    return _make("bitwise_invert", (a,), (), a.shape, a.dtype)


def _predicate(prim, a):
    a = _as_array(a)
    if not a.dtype.is_inexact:
        return zeros(a.shape, _dtypes.bool_)
    return _make(prim, (a,), (), a.shape, _dtypes.bool_)


@_public
def isnan(a, /):
    return _predicate("isnan", a)


@_public
def isinf(a, /):
    return _predicate("isinf", a)


@_public
def isposinf(a, /):
    a = _as_array(a)
    return logical_and(isinf(a), greater(a, 0))


@_public
def isneginf(a, /):
    a = _as_array(a)
    return logical_and(isinf(a), less(a, 0))


@_public
def isfinite(a, /):
    return logical_not(logical_or(isnan(a), isinf(a)))


@_public
def degrees(a, /):
    return multiply(a, 180.0 / math.pi)


@_public
def radians(a, /):
    return multiply(a, math.pi / 180.0)


def _binary(prim, a, b, dtype=None, out_dtype=None):
    (x, y), dt, shape = _prepare((a, b), dtype)
    if prim in _COMPLEX_BINARY and dt == _dtypes.complex64:
        return _COMPLEX_BINARY[prim](x, y)
    return _make(prim, (x, y), (), shape, out_dtype or dt)


def _lexicographic(x, y, strict_less):
    """complex64 order as MLX has it: real parts first, then imaginary parts."""
    rx, ry = real(x), real(y)
    return logical_or(strict_less(rx, ry),
                      logical_and(equal(rx, ry), strict_less(imag(x), imag(y))))


def _complex_logaddexp(x, y):
    hi, lo = maximum(x, y), minimum(x, y)
    return add(hi, log1p(exp(subtract(lo, hi))))


#: MLX's complex64 versions of ops that order their operands or floor a quotient:
#: comparisons, maximum and minimum are lexicographic, floor_divide divides, and
#: logaddexp is max + log1p(exp(min - max)) with that order.
_COMPLEX_BINARY = {
    "less": lambda x, y: _lexicographic(x, y, less),
    "greater": lambda x, y: _lexicographic(y, x, less),
    "less_equal": lambda x, y: logical_not(_lexicographic(y, x, less)),
    "greater_equal": lambda x, y: logical_not(_lexicographic(x, y, less)),
    "maximum": lambda x, y: where(_lexicographic(y, x, less), x, y),
    "minimum": lambda x, y: where(_lexicographic(x, y, less), x, y),
    "floor_divide": lambda x, y: divide(x, y),
    "logaddexp": _complex_logaddexp,
}


@_public
def add(a, b, /):
    """Elementwise ``a + b`` with broadcasting."""
    return _binary("add", a, b)


@_public
def subtract(a, b, /):
    return _bool_arith("subtract", a, b)


def _bool_arith(prim, a, b):
    """Arithmetic with MLX's bool results: on two bools the op runs on integers and
    the result converts back to bool (True - True is False, False - True is True)."""
    dt = result_type(a, b)
    if dt == _dtypes.bool_:
        return astype(_binary(prim, a, b, dtype=_dtypes.int32), _dtypes.bool_)
    return _binary(prim, a, b, dtype=dt)


@_public
def multiply(a, b, /):
    return _binary("multiply", a, b)


def _float_type(dt):
    return dt if dt.is_inexact else _dtypes.float32


@_public
def divide(a, b, /):
    """True division: integer inputs give float32."""
    return _binary("divide", a, b, dtype=_float_type(result_type(a, b)))


@_public
def floor_divide(a, b, /):
    return _bool_arith("floor_divide", a, b)


@_public
def remainder(a, b, /):
    if result_type(a, b) == _dtypes.complex64:
        raise ValueError("[remainder] Not supported for complex64.")
    return _bool_arith("remainder", a, b)


@_public
def divmod(a, b, /):
    return floor_divide(a, b), remainder(a, b)


@_public
def power(a, b, /):
    return _bool_arith("power", a, b)


@_public
def maximum(a, b, /):
    return _binary("maximum", a, b)


@_public
def minimum(a, b, /):
    return _binary("minimum", a, b)


@_public
def arctan2(a, b, /):
    if result_type(a, b) == _dtypes.complex64:
        raise ValueError("[arctan2] Not supported for complex64.")
    return _binary("arctan2", a, b, dtype=_float_type(result_type(a, b)))


@_public
def logaddexp(a, b, /):
    return _binary("logaddexp", a, b, dtype=_float_type(result_type(a, b)))


def _compare(prim, a, b):
    return _binary(prim, a, b, out_dtype=_dtypes.bool_)


@_public
def equal(a, b, /):
    return _compare("equal", a, b)


@_public
def not_equal(a, b, /):
    return _compare("not_equal", a, b)


@_public
def less(a, b, /):
    return _compare("less", a, b)


@_public
def less_equal(a, b, /):
    return _compare("less_equal", a, b)


@_public
def greater(a, b, /):
    return _compare("greater", a, b)


@_public
def greater_equal(a, b, /):
    return _compare("greater_equal", a, b)


@_public
def logical_and(a, b, /):
    return _binary("logical_and", a, b, dtype=_dtypes.bool_)


@_public
def logical_or(a, b, /):
    return _binary("logical_or", a, b, dtype=_dtypes.bool_)


def _bitwise(prim, a, b):
    dt = result_type(a, b)
    if dt.is_inexact:
        raise RuntimeError(f"[{prim}] Only allowed on integer or boolean types but got types "
                         f"{_dtype_of(a).name} and {_dtype_of(b).name}.")
    return _binary(prim, a, b, dtype=dt)


@_public
def bitwise_and(a, b, /):
    return _bitwise("bitwise_and", a, b)


@_public
def bitwise_or(a, b, /):
    return _bitwise("bitwise_or", a, b)


@_public
def bitwise_xor(a, b, /):
    return _bitwise("bitwise_xor", a, b)


@_public
def left_shift(a, b, /):
    dt = result_type(a, b)
    if dt == _dtypes.bool_:
        dt = _dtypes.uint8
    return _bitwise("left_shift", astype(_as_array(a), dt) if not _is_scalar(a) else a,
                    astype(_as_array(b), dt) if not _is_scalar(b) else b)


@_public
def right_shift(a, b, /):
    dt = result_type(a, b)
    if dt == _dtypes.bool_:
        dt = _dtypes.uint8
    return _bitwise("right_shift", astype(_as_array(a), dt) if not _is_scalar(a) else a,
                    astype(_as_array(b), dt) if not _is_scalar(b) else b)


@_public
def where(condition, x=None, y=None, /):
    """``x`` where ``condition`` holds, else ``y``; with one argument, the indices of
    the nonzero elements (an evaluation, as NumPy's ``nonzero``)."""
    if x is None and y is None:
        from ._indexing import nonzero

        return nonzero(condition)
    if x is None or y is None:
        raise ValueError("[where] Either both or neither of x and y should be given.")
    dt = result_type(x, y)
    c = astype(_as_array(condition), _dtypes.bool_)
    xs = _as_array(x, dt) if _is_scalar(x) else astype(_as_array(x), dt)
    ys = _as_array(y, dt) if _is_scalar(y) else astype(_as_array(y), dt)
    shape = broadcast_shapes(c.shape, xs.shape, ys.shape)
    return _make("select", (_broadcast_to(c, shape), _broadcast_to(xs, shape),
                            _broadcast_to(ys, shape)), (), shape, dt)


@_public
def clip(a, /, a_min, a_max):
    """Clamp ``a`` to ``[a_min, a_max]`` (either may be None)."""
    if a_min is None and a_max is None:
        raise ValueError("[clip] One of a_min and a_max must be given.")
    a = _as_array(a)
    if a_min is not None:
        a = maximum(a, a_min)
    if a_max is not None:
        a = minimum(a, a_max)
    return a


@_public
def nan_to_num(a, /, nan: float = 0.0, posinf=None, neginf=None):
    a = _as_array(a)
    if not a.dtype.is_inexact:
        return a
    import ml_dtypes

    info = ml_dtypes.finfo(a.dtype.np)
    posinf = float(info.max) if posinf is None else posinf
    neginf = float(info.min) if neginf is None else neginf
    a = where(isnan(a), nan, a)
    a = where(isposinf(a), posinf, a)
    return where(isneginf(a), neginf, a)


@_public
def isclose(a, b, /, rtol: float = 1e-5, atol: float = 1e-8, equal_nan: bool = False):
    a, b = _as_array(a), _as_array(b)
    dt = _float_type(result_type(a, b))
    a, b = astype(a, dt), astype(b, dt)
    close = less_equal(abs(subtract(a, b)), add(atol, multiply(rtol, abs(b))))
    # An infinity is close only to itself (NumPy); NaN is close to NaN only when asked.
    close = where(logical_or(isinf(a), isinf(b)), equal(a, b), close)
    if equal_nan:
        close = logical_or(close, logical_and(isnan(a), isnan(b)))
    return close


@_public
def allclose(a, b, /, rtol: float = 1e-5, atol: float = 1e-8, equal_nan: bool = False):
    return all(isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))


@_public
def array_equal(a, b, equal_nan: bool = False):
    a, b = _as_array(a), _as_array(b)
    if a.shape != b.shape:
        return _scalar(False, _dtypes.bool_)
    eq = equal(a, b)
    if equal_nan:
        eq = logical_or(eq, logical_and(isnan(a), isnan(b)))
    return all(eq)


# --------------------------------------------------------------------------- shapes


@_public
def reshape(a, /, shape):
    """Same elements, new shape (one dimension may be -1)."""
    a = _as_array(a)
    if isinstance(shape, (int, np.integer)):
        shape = (shape,)
    if isinstance(shape, (str, bytes)) or not isinstance(shape, (list, tuple)):
        raise TypeError(f"[reshape] Expected a shape (an int or a sequence of ints), got "
                        f"{type(shape).__name__} {shape!r}.")
    for s in shape:
        if isinstance(s, (bool, np.bool_)) or not isinstance(s, (int, np.integer)):
            raise TypeError(f"[reshape] Shape dimensions must be integers, got "
                            f"{type(s).__name__} {s!r}.")
    shape = [int(s) for s in shape]
    if shape.count(-1) > 1:
        raise ValueError("[reshape] Can only infer one dimension.")
    if -1 in shape:
        known = 1
        for s in shape:
            if s != -1:
                known *= s
        if known == 0 or a.size % known:
            raise ValueError(f"[reshape] Cannot infer the shape of an array of size {a.size} "
                             f"into shape {_shape_str(shape)}.")
        shape[shape.index(-1)] = a.size // known
    shape = tuple(shape)
    if builtins.any(s < 0 for s in shape) or math.prod(shape) != a.size:
        raise ValueError(f"[reshape] Cannot reshape array of size {a.size} into shape "
                         f"{_shape_str(shape)}.")
    if shape == a.shape:
        return a
    if a._value is not None and not _array.tracing:
        # Evaluated arrays reshape eagerly (a view), except inside a transform's trace
        # where the reshape must stay in the graph to be differentiated.
        return _from_numpy(a._value.reshape(shape), a.dtype)
    return _make("reshape", (a,), (), shape, a.dtype)


@_public
def flatten(a, /, start_axis: int = 0, end_axis: int = -1):
    a = _as_array(a)
    if a.ndim == 0:
        return reshape(a, (1,))
    s = _normalize_axis(start_axis, a.ndim, "flatten")
    e = _normalize_axis(end_axis, a.ndim, "flatten")
    if s > e:
        raise ValueError("[flatten] start_axis must be less than or equal to end_axis.")
    shape = a.shape[:s] + (math.prod(a.shape[s:e + 1]),) + a.shape[e + 1:]
    return reshape(a, shape)


@_public
def squeeze(a, /, axis=None):
    a = _as_array(a)
    if axis is None:
        axes = [i for i, d in enumerate(a.shape) if d == 1]
    else:
        axes = _normalize_axes(axis, a.ndim, "squeeze")
        for ax in axes:
            if a.shape[ax] != 1:
                raise ValueError("[squeeze] Cannot squeeze axis with size != 1.")
    return reshape(a, tuple(d for i, d in enumerate(a.shape) if i not in axes))


@_public
def expand_dims(a, /, axis):
    a = _as_array(a)
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    ndim = a.ndim + len(axes)
    axes = sorted(_normalize_axis(ax, ndim, "expand_dims") for ax in axes)
    if len(set(axes)) != len(axes):
        raise ValueError("[expand_dims] Received duplicate axes.")
    shape = list(a.shape)
    for ax in axes:
        shape.insert(ax, 1)
    return reshape(a, tuple(shape))


@_public
def transpose(a, /, axes=None):
    """Permute the dimensions (reverse them by default)."""
    a = _as_array(a)
    if axes is None:
        axes = tuple(range(a.ndim - 1, -1, -1))
    if len(axes) != a.ndim:
        raise ValueError(f"[transpose] Recived {len(axes)} axes for array with {a.ndim} "
                         "dimensions.")
    perm = tuple(_normalize_axis(ax, a.ndim, "transpose") for ax in axes)
    if len(set(perm)) != len(perm):
        raise ValueError("[transpose] Repeat axes not allowed.")
    if perm == tuple(range(a.ndim)):
        return a
    return _make("transpose", (a,), (("permutation", perm),),
                 tuple(a.shape[p] for p in perm), a.dtype)


@_public
def swapaxes(a, /, axis1: int, axis2: int):
    a = _as_array(a)
    perm = list(range(a.ndim))
    i = _normalize_axis(axis1, a.ndim, "swapaxes")
    j = _normalize_axis(axis2, a.ndim, "swapaxes")
    perm[i], perm[j] = perm[j], perm[i]
    return transpose(a, perm)


@_public
def moveaxis(a, /, source: int, destination: int):
    a = _as_array(a)
    s = _normalize_axis(source, a.ndim, "moveaxis")
    d = _normalize_axis(destination, a.ndim, "moveaxis")
    perm = [i for i in range(a.ndim) if i != s]
    perm.insert(d, s)
    return transpose(a, perm)


@_public
def broadcast_to(a, /, shape):
    a = _as_array(a)
    shape = _shape_arg(shape, "broadcast_to", a.dtype)
    broadcast_shapes(a.shape, shape)
    return _broadcast_to(a, shape)


@_public
def broadcast_arrays(*arrays):
    arrays = [_as_array(a) for a in arrays]
    shape = broadcast_shapes(*(a.shape for a in arrays))
    return [_broadcast_to(a, shape) for a in arrays]


@_public
def atleast_1d(*arrays):
    out = [reshape(a, (1,)) if _as_array(a).ndim == 0 else _as_array(a) for a in arrays]
    return out[0] if len(out) == 1 else out


@_public
def atleast_2d(*arrays):
    out = []
    for a in arrays:
        a = _as_array(a)
        out.append(reshape(a, (1,) * (2 - a.ndim) + a.shape) if a.ndim < 2 else a)
    return out[0] if len(out) == 1 else out


@_public
def concatenate(arrays, axis: int | None = 0):
    """Join arrays along an existing axis (flattening them when ``axis`` is None)."""
    arrays = [_as_array(a) for a in arrays]
    if not arrays:
        raise ValueError("[concatenate] No arrays provided for concatenation.")
    if axis is None:
        arrays = [reshape(a, (-1,)) for a in arrays]
        axis = 0
    dt = result_type(*arrays)
    arrays = [astype(a, dt) for a in arrays]
    ndim = arrays[0].ndim
    if builtins.any(a.ndim != ndim for a in arrays):
        raise ValueError("[concatenate] All the input arrays must have the same number of "
                         "dimensions.")
    ax = _normalize_axis(axis, ndim, "concatenate")  # 0-d arrays: an AxisError
    for a in arrays:
        if a.shape[:ax] + a.shape[ax + 1:] != arrays[0].shape[:ax] + arrays[0].shape[ax + 1:]:
            raise ValueError(
                "[concatenate] All the input array dimensions must match exactly except for "
                "the concatenation axis. However, the provided shapes are "
                + ", ".join(_shape_str(a.shape) for a in arrays)
                + f", and the concatenation axis is {ax}.")
    if len(arrays) == 1:
        return arrays[0]
    if len(arrays) > 16:
        # A long chain of slice insertions bufferizes in superlinear time: join in a
        # tree of at most 16 operands per node instead.
        return concatenate([concatenate(arrays[i:i + 16], axis=ax)
                            for i in range(0, len(arrays), 16)], axis=ax)
    shape = list(arrays[0].shape)
    shape[ax] = _pysum(a.shape[ax] for a in arrays)
    return _make("concatenate", arrays, (("dimension", ax),), tuple(shape), dt)


@_public
def stack(arrays, axis: int = 0):
    arrays = [_as_array(a) for a in arrays]
    if not arrays:
        raise ValueError("[stack] No arrays provided for stacking.")
    if builtins.any(a.shape != arrays[0].shape for a in arrays):
        raise ValueError("[stack] All arrays must have the same shape.")
    ax = _normalize_axis(axis, arrays[0].ndim + 1, "stack")
    return concatenate([expand_dims(a, ax) for a in arrays], axis=ax)


@_public
def split(a, /, indices_or_sections, axis: int = 0):
    a = _as_array(a)
    ax = _normalize_axis(axis, a.ndim, "split")
    n = a.shape[ax]
    if isinstance(indices_or_sections, (int, np.integer)):
        k = int(indices_or_sections)
        if k <= 0 or n % k:
            raise ValueError(f"[split] Array split does not result in sub arrays with equal "
                             f"size (size {n} into {k} sections).")
        bounds = [i * (n // k) for i in range(1, k)]
    else:
        bounds = [int(i) for i in indices_or_sections]
    edges = [0] + [_pymin(_pymax(b if b >= 0 else b + n, 0), n) for b in bounds] + [n]
    out = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        hi = _pymax(hi, lo)
        out.append(_slice_axis(a, ax, lo, hi))
    return out


def _slice_axis(a, axis, lo, hi, step=1):
    start = [0] * a.ndim
    sizes = list(a.shape)
    strides = [1] * a.ndim
    start[axis] = lo if hi > lo else 0
    sizes[axis] = len(range(lo, hi, step))
    strides[axis] = step
    if tuple(sizes) == a.shape:
        return a
    return _make("slice", (a,), (("start_indices", tuple(start)), ("sizes", tuple(sizes)),
                                 ("strides", tuple(strides))), tuple(sizes), a.dtype)


@_public
def repeat(a, /, repeats: int, axis: int | None = None):
    a = _as_array(a)
    if axis is None:
        a = reshape(a, (-1,))
        axis = 0
    ax = _normalize_axis(axis, a.ndim, "repeat")
    if isinstance(repeats, (bool, np.bool_)) or not isinstance(repeats, (int, np.integer)):
        raise TypeError(f"[repeat] repeats must be an integer, got {type(repeats).__name__}.")
    if repeats < 0:
        raise ValueError("[repeat] Number of repeats cannot be negative.")
    expanded = expand_dims(a, ax + 1)
    shape = list(expanded.shape)
    shape[ax + 1] = repeats
    out = _broadcast_to(expanded, tuple(shape))
    final = list(a.shape)
    final[ax] *= repeats
    return reshape(out, tuple(final))


@_public
def tile(a, /, reps):
    a = _as_array(a)
    reps = _shape_arg(reps, "tile", a.dtype)
    ndim = _pymax(a.ndim, len(reps))
    reps = (1,) * (ndim - len(reps)) + reps
    a = reshape(a, (1,) * (ndim - a.ndim) + a.shape)
    inter = []
    for r, d in zip(reps, a.shape):
        inter += [r, d]
    b = reshape(a, tuple(x for d in a.shape for x in (1, d)))
    b = _broadcast_to(b, tuple(inter))
    return reshape(b, tuple(r * d for r, d in zip(reps, a.shape)))


@_public
def pad(a, /, pad_width, mode: str = "constant", constant_values=0):
    """Pad with a constant (``mode="constant"``) or the edge values (``"edge"``)."""
    a = _as_array(a)
    # NumPy's rules: n, (n,), (before, after), ((before, after),) or one pair per axis.
    try:
        pw = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (a.ndim, 2))
    except ValueError:
        raise ValueError(f"[pad] Invalid number of padding sizes passed to pad with input "
                         f"of shape {_shape_str(a.shape)}.") from None
    widths = [(int(lo), int(hi)) for lo, hi in pw]
    if builtins.any(lo < 0 or hi < 0 for lo, hi in widths):
        raise ValueError("[pad] Padding sizes must be non-negative.")
    if mode == "constant":
        value = astype(_as_array(constant_values), a.dtype)
        if value.ndim:
            raise ValueError("[pad] constant_values must be a scalar.")
        shape = tuple(d + lo + hi for d, (lo, hi) in zip(a.shape, widths))
        if a.size == 0:  # nothing to place: all padding (the pad lowering needs data)
            return _broadcast_to(value, shape)
        return _make("pad", (a, value), (("low", tuple(w[0] for w in widths)),
                                         ("high", tuple(w[1] for w in widths))), shape, a.dtype)
    if mode == "edge":
        out = a
        for ax, (lo, hi) in enumerate(widths):
            if lo == 0 and hi == 0:
                continue
            if out.shape[ax] == 0:
                raise ValueError("[pad] Cannot edge-pad an empty axis.")
            idx = clip(arange(-lo, out.shape[ax] + hi), 0, out.shape[ax] - 1)
            out = take(out, idx, axis=ax)
        return out
    raise ValueError(f"[pad] Unsupported mode {mode!r}; use 'constant' or 'edge'.")


# ------------------------------------------------------------------------ creation


def _shape_arg(shape, op="full", dtype=_dtypes.float32):
    """A shape argument (an int or a sequence of ints) validated for an array of
    ``dtype`` created by ``op`` (see `_array.check_shape`)."""
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, (bool, np.bool_)):
        shape = (shape,)
    elif isinstance(shape, (str, bytes)) or not isinstance(shape, (list, tuple)):
        raise TypeError(f"[{op}] Expected a shape (an int or a sequence of ints), got "
                        f"{type(shape).__name__} {shape!r}.")
    shape = tuple(shape)
    _array.check_shape(shape, dtype, op)
    return tuple(int(s) for s in shape)


def _dtype_arg(dtype, op):
    if not isinstance(dtype, Dtype):
        raise TypeError(f"[{op}] dtype must be an mx.Dtype (such as mx.float32), got "
                        f"{dtype!r}.")
    return dtype


@_public
def full(shape, vals, dtype: Dtype | None = None):
    """An array of ``shape`` filled with ``vals`` (broadcast)."""
    if dtype is not None:
        _dtype_arg(dtype, "full")
    v = _as_array(vals, dtype) if _is_scalar(vals) else _as_array(vals)
    if dtype is not None:
        v = astype(v, dtype)
    shape = _shape_arg(shape, "full", v.dtype)
    return broadcast_to(v, shape)


@_public
def zeros(shape, dtype: Dtype = _dtypes.float32):
    shape = _shape_arg(shape, "zeros", _dtype_arg(dtype, "zeros"))
    return _broadcast_to(_const(0, dtype), shape)


@_public
def ones(shape, dtype: Dtype = _dtypes.float32):
    shape = _shape_arg(shape, "ones", _dtype_arg(dtype, "ones"))
    return _broadcast_to(_const(1, dtype), shape)


@_public
def zeros_like(a, /):
    a = _as_array(a)
    return zeros(a.shape, a.dtype)


@_public
def ones_like(a, /):
    a = _as_array(a)
    return ones(a.shape, a.dtype)


@_public
def full_like(a, /, vals, dtype: Dtype | None = None):
    a = _as_array(a)
    return full(a.shape, vals, dtype or a.dtype)


def _iota(shape, dim, dtype):
    return _make("iota", (), (("dimension", dim),), tuple(shape), dtype)


@_public
def arange(start, stop=None, step=None, dtype: Dtype | None = None):
    """Evenly spaced values in ``[start, stop)``.

    >>> mx.arange(3)
    array([0, 1, 2], dtype=int32)
    """
    if stop is None:
        start, stop = 0, start
    if step is None:
        step = 1
    if step == 0:
        raise ValueError("[arange] Cannot compute length with step 0.")
    for v in (start, stop, step):
        if not _is_scalar(v) or isinstance(v, (bool, np.bool_, complex, np.complexfloating)):
            raise TypeError(f"[arange] start, stop and step must be real numbers, got "
                            f"{type(v).__name__} {v!r}.")
    if dtype is not None:
        _dtype_arg(dtype, "arange")
    is_float = builtins.any(isinstance(v, (float, np.floating)) for v in (start, stop, step))
    big = builtins.any(not -(2**31) <= v < 2**31 for v in (start, stop, step))
    dt = dtype or (_dtypes.float32 if is_float else _dtypes.int64 if big else _dtypes.int32)
    length = (stop - start) / step
    if not math.isfinite(length):
        raise ValueError("[arange] Cannot compute length.")
    n = _pymax(math.ceil(length), 0)
    _array.check_shape((n,), dt, "arange")
    if dt == _dtypes.bool_:
        raise ValueError("[arange] Cannot create an arange of booleans.")
    ramp = _iota((n,), 0, dt if dt not in (_dtypes.float16, _dtypes.bfloat16) else _dtypes.float32)
    if step != 1:
        ramp = multiply(ramp, step)
    if start != 0:
        ramp = add(ramp, start)
    return astype(ramp, dt)


@_public
def linspace(start, stop, num: int = 50, dtype: Dtype = _dtypes.float32):
    if isinstance(num, (bool, np.bool_)) or not isinstance(num, (int, np.integer)):
        raise TypeError(f"[linspace] num must be an integer, got {type(num).__name__}.")
    if num < 0:
        raise ValueError("[linspace] num must be non-negative.")
    _dtype_arg(dtype, "linspace")
    _array.check_shape((num,), _dtypes.float32, "linspace")
    if num == 1:
        return full((1,), start, dtype)
    step = (stop - start) / _pymax(num - 1, 1)
    ramp = add(multiply(_iota((num,), 0, _dtypes.float32), step), float(start))
    # The last point is exactly stop.
    ramp = where(equal(_iota((num,), 0, _dtypes.int32), num - 1), float(stop), ramp)
    return astype(ramp, dtype)


@_public
def tri(n: int, m: int | None = None, k: int = 0, dtype: Dtype = _dtypes.float32):
    m = n if m is None else m
    n, m = _shape_arg((n, m), "tri", _dtype_arg(dtype, "tri"))
    rows = _iota((n, m), 0, _dtypes.int32)
    cols = _iota((n, m), 1, _dtypes.int32)
    return astype(less_equal(cols, add(rows, k)), dtype)


@_public
def eye(n: int, m: int | None = None, k: int = 0, dtype: Dtype = _dtypes.float32):
    m = n if m is None else m
    n, m = _shape_arg((n, m), "eye", _dtype_arg(dtype, "eye"))
    rows = _iota((n, m), 0, _dtypes.int32)
    cols = _iota((n, m), 1, _dtypes.int32)
    return astype(equal(cols, add(rows, k)), dtype)


@_public
def identity(n: int, dtype: Dtype = _dtypes.float32):
    return eye(n, dtype=dtype)


@_public
def tril(x, /, k: int = 0):
    x = _as_array(x)
    if x.ndim < 2:
        raise ValueError("[tril] array must be at least 2-D.")
    mask = tri(x.shape[-2], x.shape[-1], k, _dtypes.bool_)
    return where(mask, x, zeros((), x.dtype))


@_public
def triu(x, /, k: int = 0):
    x = _as_array(x)
    if x.ndim < 2:
        raise ValueError("[triu] array must be at least 2-D.")
    mask = tri(x.shape[-2], x.shape[-1], k - 1, _dtypes.bool_)
    return where(mask, zeros((), x.dtype), x)


# ---------------------------------------------------------------------- reductions


def _reduce(prim, a, axis, keepdims, dtype):
    a = _as_array(a)
    axes = _normalize_axes(axis, a.ndim, prim)
    if not axes:
        # Nothing to reduce (a 0-d array, or axis=()): the input as it is, dtype
        # included, as MLX (sum of a bool scalar is that bool).
        return a
    if a.dtype != dtype:
        a = astype(a, dtype)
    shape = tuple(d for i, d in enumerate(a.shape) if i not in axes)
    out = _make(prim, (a,), (("axes", axes),), shape, dtype) if axes else a
    if keepdims:
        out = reshape(out, tuple(1 if i in axes else d for i, d in enumerate(a.shape)))
    return out


def _accumulation_dtype(dt):
    if dt == _dtypes.bool_:
        return _dtypes.int32
    if dt.kind == "i" and dt.size < 4:
        return _dtypes.int32
    if dt.kind == "u" and dt.size < 4:
        return _dtypes.uint32
    return dt


@_public
def sum(a, /, axis=None, keepdims: bool = False):
    """Sum over ``axis`` (all axes by default)."""
    a = _as_array(a)
    return _reduce("sum", a, axis, keepdims, _accumulation_dtype(a.dtype))


@_public
def prod(a, /, axis=None, keepdims: bool = False):
    a = _as_array(a)
    return _reduce("prod", a, axis, keepdims, _accumulation_dtype(a.dtype))


@_public
def max(a, /, axis=None, keepdims: bool = False):
    a = _as_array(a)
    _check_nonempty(a, axis, "max")
    return _reduce("max", a, axis, keepdims, a.dtype)


@_public
def min(a, /, axis=None, keepdims: bool = False):
    a = _as_array(a)
    _check_nonempty(a, axis, "min")
    return _reduce("min", a, axis, keepdims, a.dtype)


def _check_nonempty(a, axis, op):
    _check_real(a, op)
    axes = _normalize_axes(axis, a.ndim, op)
    # axis=() reduces nothing: an empty array stays empty (NumPy and MLX).
    if builtins.any(a.shape[ax] == 0 for ax in axes):
        raise ValueError(f"[{op}] Cannot {op} reduce zero size array.")


@_public
def all(a, /, axis=None, keepdims: bool = False):
    return _reduce("all", astype(_as_array(a), _dtypes.bool_), axis, keepdims, _dtypes.bool_)


@_public
def any(a, /, axis=None, keepdims: bool = False):
    return _reduce("any", astype(_as_array(a), _dtypes.bool_), axis, keepdims, _dtypes.bool_)


def _count(a, axis):
    axes = _normalize_axes(axis, a.ndim, "mean")
    return math.prod(a.shape[ax] for ax in axes)


@_public
def mean(a, /, axis=None, keepdims: bool = False):
    a = _as_array(a)
    dt = _float_type(a.dtype)
    total = sum(astype(a, dt), axis=axis, keepdims=keepdims)
    n = _count(a, axis)
    return divide(total, _scalar(n, dt)) if n else multiply(total, _scalar(np.nan, dt))


@_public
def var(a, /, axis=None, keepdims: bool = False, ddof: int = 0):
    a = _as_array(a)
    dt = _float_type(a.dtype)
    a = astype(a, dt)
    mu = mean(a, axis=axis, keepdims=True)
    sq = sum(square(subtract(a, mu)), axis=axis, keepdims=keepdims)
    # NumPy and MLX divide by max(n - ddof, 0): inf (or NaN for 0/0) past the end.
    return divide(sq, _scalar(_pymax(_count(a, axis) - ddof, 0), dt))


@_public
def std(a, /, axis=None, keepdims: bool = False, ddof: int = 0):
    return sqrt(var(a, axis=axis, keepdims=keepdims, ddof=ddof))


@_public
def logsumexp(a, /, axis=None, keepdims: bool = False):
    a = _as_array(a)
    a = astype(a, _float_type(a.dtype))
    m = stop_gradient(max(a, axis=axis, keepdims=True))
    m = where(isinf(m), 0.0, m)
    out = add(log(sum(exp(subtract(a, m)), axis=axis, keepdims=True)), m)
    if not keepdims:
        out = squeeze(out, _normalize_axes(axis, a.ndim, "logsumexp"))
    return out


@_public
def softmax(a, /, axis=None, precise: bool = False):
    a = _as_array(a)
    dt = _float_type(a.dtype)
    # Half precision inputs compute in float32 (as MLX on the CPU), then round once.
    a = astype(a, _dtypes.float32 if dt.size < 4 else dt)
    axis = tuple(range(a.ndim)) if axis is None else axis
    if a.size == 0:  # nothing to normalize (MLX returns the empty array)
        _normalize_axes(axis, a.ndim, "softmax")
        return astype(a, dt)
    m = stop_gradient(max(a, axis=axis, keepdims=True))
    e = exp(subtract(a, m))
    # One reciprocal per row and a multiply per element, as MLX's kernel does.
    return astype(multiply(e, reciprocal(sum(e, axis=axis, keepdims=True))), dt)


def _arg_reduce(prim, a, axis, keepdims):
    a = _as_array(a)
    _check_real(a, prim)
    if axis is None:
        flat = reshape(a, (-1,))
        out = _arg_reduce(prim, flat, 0, False)
        return reshape(out, (1,) * a.ndim) if keepdims else out
    ax = _normalize_axis(axis, a.ndim, prim)
    if a.size == 0:
        raise ValueError(f"[{prim}] Cannot {prim} reduce zero size array.")
    shape = tuple(d for i, d in enumerate(a.shape) if i != ax)
    out = _make(prim, (a,), (("axis", ax),), shape, _dtypes.uint32)
    if keepdims:
        out = expand_dims(out, ax)
    return out


@_public
def argmax(a, /, axis=None, keepdims: bool = False):
    return _arg_reduce("argmax", a, axis, keepdims)


@_public
def argmin(a, /, axis=None, keepdims: bool = False):
    return _arg_reduce("argmin", a, axis, keepdims)


def _check_real(a, op):
    if a.dtype == _dtypes.complex64:
        raise ValueError(f"[{op}] Not supported for complex64 (complex numbers are not "
                         "ordered, or the op is not implemented for them yet).")


def _scan(prim, a, axis, reverse, inclusive, dtype_rule):
    a = _as_array(a)
    if prim in ("cummax", "cummin"):
        _check_real(a, prim)
    if axis is None:
        a = reshape(a, (-1,))
        axis = 0
    ax = _normalize_axis(axis, a.ndim, prim)
    a = astype(a, dtype_rule(a.dtype))
    return _make(prim, (a,), (("axis", ax), ("reverse", bool(reverse)),
                              ("inclusive", bool(inclusive))), a.shape, a.dtype)


@_public
def cumsum(a, /, axis=None, reverse: bool = False, inclusive: bool = True):
    # MLX: scans keep the input dtype, except that a sum of bools counts in int32.
    return _scan("cumsum", a, axis, reverse, inclusive,
                 lambda d: _dtypes.int32 if d == _dtypes.bool_ else d)


@_public
def cumprod(a, /, axis=None, reverse: bool = False, inclusive: bool = True):
    return _scan("cumprod", a, axis, reverse, inclusive, lambda d: d)


@_public
def cummax(a, /, axis=None, reverse: bool = False, inclusive: bool = True):
    return _scan("cummax", a, axis, reverse, inclusive, lambda d: d)


@_public
def cummin(a, /, axis=None, reverse: bool = False, inclusive: bool = True):
    return _scan("cummin", a, axis, reverse, inclusive, lambda d: d)


@_public
def sort(a, /, axis: int | None = -1):
    """Stable ascending sort along ``axis`` (NaN last)."""
    a = _as_array(a)
    _check_real(a, "sort")
    if axis is None:
        a, axis = reshape(a, (-1,)), 0
    ax = _normalize_axis(axis, a.ndim, "sort")
    return _make("sort", (a,), (("axis", ax),), a.shape, a.dtype)


@_public
def argsort(a, /, axis: int | None = -1):
    a = _as_array(a)
    _check_real(a, "argsort")
    if axis is None:
        a, axis = reshape(a, (-1,)), 0
    ax = _normalize_axis(axis, a.ndim, "argsort")
    return _make("argsort", (a,), (("axis", ax),), a.shape, _dtypes.uint32)


@_public
def partition(a, /, kth: int, axis: int | None = -1):
    """Elements before ``kth`` are no larger than it, those after no smaller."""
    a = _as_array(a)
    n = a.size if axis is None else a.shape[_normalize_axis(axis, a.ndim, "partition")]
    if not -n <= kth < n:
        raise ValueError(f"[partition] Received invalid kth {kth} along axis of size {n}.")
    return sort(a, axis=axis)


@_public
def argpartition(a, /, kth: int, axis: int | None = -1):
    a = _as_array(a)
    n = a.size if axis is None else a.shape[_normalize_axis(axis, a.ndim, "argpartition")]
    if not -n <= kth < n:
        raise ValueError(f"[argpartition] Received invalid kth {kth} along axis of size {n}.")
    return argsort(a, axis=axis)


@_public
def topk(a, /, k: int, axis: int | None = -1):
    """The ``k`` largest elements along ``axis`` (in ascending order)."""
    a = _as_array(a)
    if axis is None:
        a, axis = reshape(a, (-1,)), 0
    ax = _normalize_axis(axis, a.ndim, "topk")
    n = a.shape[ax]
    if not 0 <= k <= n:
        raise ValueError(f"[topk] Received invalid k={k} along axis {ax} of size {n}.")
    return _slice_axis(sort(a, axis=ax), ax, n - k, n)


# ------------------------------------------------------------------ linear algebra


@_public
def matmul(a, b, /):
    """Matrix product with NumPy's rules for 1-D operands and batch broadcasting."""
    a, b = _as_array(a), _as_array(b)
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError("[matmul] Got 0 dimension input. Inputs must have at least one "
                         "dimension.")
    dt = result_type(a, b)
    if not dt.is_inexact:
        raise ValueError(f"[matmul] Only real floating point types are supported but "
                         f"{a.dtype.name} and {b.dtype.name} were provided which results in "
                         f"{dt.name}, which is not a real floating point type.")
    a, b = astype(a, dt), astype(b, dt)
    squeeze_a = a.ndim == 1
    squeeze_b = b.ndim == 1
    if squeeze_a:
        a = reshape(a, (1, a.shape[0]))
    if squeeze_b:
        b = reshape(b, (b.shape[0], 1))
    if a.shape[-1] != b.shape[-2]:
        raise ValueError(f"[matmul] Last dimension of first input with shape "
                         f"{_shape_str(a.shape)} must match second to last dimension of second "
                         f"input with shape {_shape_str(b.shape)}.")
    batch = broadcast_shapes(a.shape[:-2], b.shape[:-2])
    a = _broadcast_to(a, batch + a.shape[-2:])
    b = _broadcast_to(b, batch + b.shape[-2:])
    out = _make("matmul", (a, b), (), batch + (a.shape[-2], b.shape[-1]), dt)
    if squeeze_a and squeeze_b:
        return reshape(out, batch)
    if squeeze_a:
        return reshape(out, batch + (out.shape[-1],))
    if squeeze_b:
        return reshape(out, batch + (out.shape[-2],))
    return out


@_public
def addmm(c, a, b, /, alpha: float = 1.0, beta: float = 1.0):
    return add(multiply(alpha, matmul(a, b)), multiply(beta, c))


@_public
def inner(a, b, /):
    a, b = _as_array(a), _as_array(b)
    if a.ndim == 0 or b.ndim == 0:
        return multiply(a, b)
    return tensordot(a, b, axes=([-1], [-1]))


@_public
def outer(a, b, /):
    a, b = reshape(_as_array(a), (-1,)), reshape(_as_array(b), (-1,))
    return multiply(reshape(a, (-1, 1)), reshape(b, (1, -1)))


@_public
def tensordot(a, b, /, axes=2):
    a, b = _as_array(a), _as_array(b)
    if isinstance(axes, (int, np.integer)):
        ax_a = list(range(a.ndim - axes, a.ndim))
        ax_b = list(range(axes))
    else:
        ax_a, ax_b = axes
        ax_a = [ax_a] if isinstance(ax_a, (int, np.integer)) else list(ax_a)
        ax_b = [ax_b] if isinstance(ax_b, (int, np.integer)) else list(ax_b)
    ax_a = [_normalize_axis(x, a.ndim, "tensordot") for x in ax_a]
    ax_b = [_normalize_axis(x, b.ndim, "tensordot") for x in ax_b]
    if len(ax_a) != len(ax_b) or builtins.any(a.shape[i] != b.shape[j]
                                             for i, j in zip(ax_a, ax_b)):
        raise ValueError("[tensordot] The contracted dimensions must match in size.")
    free_a = [i for i in range(a.ndim) if i not in ax_a]
    free_b = [i for i in range(b.ndim) if i not in ax_b]
    k = math.prod(a.shape[i] for i in ax_a)
    at = reshape(transpose(a, free_a + ax_a), (math.prod(a.shape[i] for i in free_a), k))
    bt = reshape(transpose(b, ax_b + free_b), (k, math.prod(b.shape[i] for i in free_b)))
    out = matmul(at, bt)
    return reshape(out, tuple(a.shape[i] for i in free_a) + tuple(b.shape[i] for i in free_b))


@_public
def diagonal(a, /, offset: int = 0, axis1: int = 0, axis2: int = 1):
    a = _as_array(a)
    if a.ndim < 2:
        raise ValueError("[diagonal] Array must have at least two dimensions.")
    i = _normalize_axis(axis1, a.ndim, "diagonal")
    j = _normalize_axis(axis2, a.ndim, "diagonal")
    if i == j:
        raise ValueError("[diagonal] axis1 and axis2 cannot be the same axis.")
    rest = [d for d in range(a.ndim) if d not in (i, j)]
    a = transpose(a, rest + [i, j])
    n, m = a.shape[-2], a.shape[-1]
    length = _pymax(0, _pymin(n - _pymax(-offset, 0), m - _pymax(offset, 0)))
    ramp = _iota((length,), 0, _dtypes.int32)
    rows = add(ramp, _pymax(-offset, 0))
    cols = add(ramp, _pymax(offset, 0))
    batch = a.shape[:-2]
    from ._indexing import _gather_points

    return _gather_points(a, [None] * len(batch) + [rows, cols], batch + (length,))


@_public
def diag(a, /, k: int = 0):
    a = _as_array(a)
    if a.ndim == 1:
        n = a.shape[0] + _pyabs(k)
        rows = _iota((n, n), 0, _dtypes.int32)
        cols = _iota((n, n), 1, _dtypes.int32)
        on = equal(cols, add(rows, k))
        idx = clip(rows if k >= 0 else cols, 0, _pymax(a.shape[0] - 1, 0))
        vals = take(a, idx, axis=0) if a.shape[0] else zeros((n, n), a.dtype)
        return where(on, vals, zeros((), a.dtype))
    if a.ndim == 2:
        return diagonal(a, offset=k)
    raise ValueError("[diag] Input must be 1-D or 2-D.")


@_public
def trace(a, /, offset: int = 0, axis1: int = 0, axis2: int = 1, dtype=None):
    out = sum(diagonal(a, offset, axis1, axis2), axis=-1)
    return astype(out, dtype) if dtype is not None else out


@_public
def einsum(subscripts: str, *operands):
    """Einstein summation, contracted pairwise with matmul."""
    from ._einsum import einsum as _einsum

    return _einsum(subscripts, *[_as_array(o) for o in operands])


# ------------------------------------------------------------------------ indexing


@_public
def take(a, /, indices, axis: int | None = None):
    """Elements of ``a`` at ``indices`` along ``axis`` (of the flattened array when
    ``axis`` is None). Negative indices count from the end."""
    a = _as_array(a)
    if axis is None:
        a, axis = reshape(a, (-1,)), 0
    ax = _normalize_axis(axis, a.ndim, "take")
    if isinstance(indices, (int, np.integer)):
        from ._indexing import getitem

        return getitem(a, (slice(None),) * ax + (int(indices),))
    idx = _as_array(indices)
    if not idx.dtype.is_integer:
        raise ValueError(f"[take] Indices must be integers, got {idx.dtype.name}.")
    from ._indexing import _gather_points

    points = [None] * a.ndim
    points[ax] = idx
    return _gather_points(a, points, a.shape[:ax] + idx.shape + a.shape[ax + 1:],
                          index_axis=ax)


@_public
def take_along_axis(a, /, indices, axis: int | None = None):
    from ._indexing import take_along_axis as impl

    return impl(_as_array(a), _as_array(indices), axis)


@_public
def put_along_axis(a, /, indices, values, axis: int | None = None):
    from ._indexing import put_along_axis as impl

    return impl(_as_array(a), _as_array(indices), values, axis)


# ------------------------------------------------------------------------- methods


def _method(fn):
    def m(self, *args, **kwargs):
        return fn(self, *args, **kwargs)

    m.__name__ = fn.__name__
    m.__doc__ = fn.__doc__
    return m


def _reshape_method(self, *shape, stream=None):
    if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)):
        shape = shape[0]
    return reshape(self, shape)


def _transpose_method(self, *axes, stream=None):
    if len(axes) == 1 and not isinstance(axes[0], (int, np.integer)):
        axes = axes[0]
    return transpose(self, axes or None)


def _swap(fn):
    return lambda self, other: fn(other, self)


def _bitwise_operator(fn, what):
    """MLX's bitwise operators refuse floats with a ValueError (the functions raise a
    RuntimeError)."""

    def op(a, b):
        if result_type(a, b).is_inexact:
            raise ValueError(f"Floating point types not allowed with {what}.")
        return fn(a, b)

    op.__name__ = fn.__name__
    return op


_bitwise_and_op = _bitwise_operator(bitwise_and, "bitwise and")
_bitwise_or_op = _bitwise_operator(bitwise_or, "bitwise or")
_bitwise_xor_op = _bitwise_operator(bitwise_xor, "bitwise xor")
_left_shift_op = _bitwise_operator(left_shift, "left shift")
_right_shift_op = _bitwise_operator(right_shift, "right shift")

for _name, _fn in {
    "__add__": add, "__radd__": _swap(add), "__sub__": subtract,
    "__rsub__": _swap(subtract), "__mul__": multiply, "__rmul__": _swap(multiply),
    "__truediv__": divide, "__rtruediv__": _swap(divide), "__floordiv__": floor_divide,
    "__rfloordiv__": _swap(floor_divide), "__mod__": remainder,
    "__rmod__": _swap(remainder), "__pow__": power, "__rpow__": _swap(power),
    "__matmul__": matmul, "__rmatmul__": _swap(matmul), "__eq__": equal,
    "__ne__": not_equal, "__lt__": less, "__le__": less_equal, "__gt__": greater,
    "__ge__": greater_equal, "__and__": _bitwise_and_op,
    "__rand__": _swap(_bitwise_and_op), "__or__": _bitwise_or_op,
    "__ror__": _swap(_bitwise_or_op), "__xor__": _bitwise_xor_op,
    "__rxor__": _swap(_bitwise_xor_op), "__lshift__": _left_shift_op,
    "__rlshift__": _swap(_left_shift_op), "__rshift__": _right_shift_op,
    "__rrshift__": _swap(_right_shift_op), "__divmod__": divmod,
    "__rdivmod__": _swap(divmod),
}.items():
    setattr(array, _name, _fn)


def _inplace(fn):
    """MLX's in-place operators: the result (with the usual promotion and broadcasting)
    replaces the contents of ``self``, so every reference to it sees the update."""

    def op(self, other):
        if fn is divide and not self.dtype.is_inexact:
            raise ValueError("In place division cannot cast to non-floating point type.")
        # The graph of the result reads a snapshot of the old contents, not `self`.
        old = _array._snapshot(self)
        result = _as_array(fn(old, old if other is self else other))
        _array._replace_contents(self, old, result)
        return self

    return op


def _eq_method(fn, unsupported):
    def op(self, other):
        if isinstance(other, (str, bytes)):
            return unsupported
        return fn(self, other)

    op.__name__ = fn.__name__
    return op


for _name, _fn in {"__iadd__": add, "__isub__": subtract, "__imul__": multiply,
                   "__itruediv__": divide, "__ifloordiv__": floor_divide,
                   "__imod__": remainder, "__ipow__": power, "__imatmul__": matmul,
                   "__iand__": _bitwise_and_op, "__ior__": _bitwise_or_op,
                   "__ixor__": _bitwise_xor_op, "__ilshift__": _left_shift_op,
                   "__irshift__": _right_shift_op}.items():
    setattr(array, _name, _inplace(_fn))

array.__eq__ = _eq_method(equal, False)
array.__ne__ = _eq_method(not_equal, True)
array.__neg__ = lambda self: negative(self)
array.__pos__ = lambda self: self
array.__abs__ = lambda self: abs(self)
array.__invert__ = lambda self: bitwise_invert(self)
array.__round__ = lambda self, ndigits=0: round(self, ndigits)
array.reshape = _reshape_method
array.real = property(lambda self: real(self), doc="The real part (as ``mx.real``).")
array.imag = property(lambda self: imag(self), doc="The imaginary part (as ``mx.imag``).")
array.conj = _method(conjugate)
array.transpose = _transpose_method

for _fn in (sum, prod, mean, var, std, max, min, argmax, argmin, all, any, logsumexp,
            cumsum, cumprod, cummax, cummin, flatten, squeeze, swapaxes, moveaxis,
            expand_dims, split, round, abs, square, sqrt, rsqrt, reciprocal, exp, log,
            log1p, log2, log10, sin, cos, diagonal, diag, sort, argsort, topk, tril, triu,
            trace):
    setattr(array, _fn.__name__, _method(_fn))


__all__ = [
    'abs', 'add', 'addmm', 'all', 'allclose', 'any', 'arange', 'arccos', 'arccosh',
    'arcsin', 'arcsinh', 'arctan', 'arctan2', 'arctanh', 'argmax', 'argmin',
    'argpartition', 'argsort', 'array_equal', 'astype', 'atleast_1d', 'atleast_2d',
    'bitwise_and', 'bitwise_invert', 'bitwise_or', 'bitwise_xor', 'broadcast_arrays',
    'broadcast_shapes', 'broadcast_to', 'ceil', 'clip', 'concatenate', 'conj', 'conjugate',
    'cos', 'cosh',
    'cummax', 'cummin', 'cumprod', 'cumsum', 'degrees', 'diag', 'diagonal', 'divide',
    'divmod', 'einsum', 'equal', 'erf', 'erfinv', 'exp', 'expand_dims', 'expm1', 'eye',
    'flatten', 'floor', 'floor_divide', 'full', 'full_like', 'greater', 'greater_equal',
    'identity', 'imag', 'inner', 'isclose', 'isfinite', 'isinf', 'isnan', 'isneginf',
    'isposinf', 'left_shift', 'less', 'less_equal', 'linspace', 'log', 'log10', 'log1p',
    'log2', 'logaddexp', 'logical_and', 'logical_not', 'logical_or', 'logsumexp',
    'matmul', 'max', 'maximum', 'mean', 'min', 'minimum', 'moveaxis', 'multiply',
    'nan_to_num', 'negative', 'not_equal', 'ones', 'ones_like', 'outer', 'pad',
    'partition', 'power', 'prod', 'put_along_axis', 'radians', 'real', 'reciprocal',
    'remainder', 'repeat', 'reshape', 'result_type', 'right_shift', 'round', 'rsqrt',
    'sigmoid', 'sign', 'sin', 'sinh', 'softmax', 'sort', 'split', 'sqrt', 'square',
    'squeeze', 'stack', 'std', 'stop_gradient', 'subtract', 'sum', 'swapaxes', 'take',
    'take_along_axis', 'tan', 'tanh', 'tensordot', 'tile', 'topk', 'trace', 'transpose',
    'tri', 'tril', 'triu', 'var', 'where', 'zeros', 'zeros_like',
]
