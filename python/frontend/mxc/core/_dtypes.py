"""MLX's dtypes, their NumPy and MLIR spellings, and MLX's promotion rules."""

from __future__ import annotations

import numpy as np
import ml_dtypes

__all__ = ["Dtype", "DtypeCategory"]


class DtypeCategory:
    """The abstract dtype classes of ``mx.issubdtype`` (MLX's hierarchy)."""

    def __init__(self, name, parents=()):
        self.name = name
        self.parents = parents

    def __repr__(self):
        return f"mlx.core.{self.name}"

    def _ancestors(self):
        out = {self}
        for p in self.parents:
            out |= p._ancestors()
        return out


generic = DtypeCategory("generic")
number = DtypeCategory("number", (generic,))
integer = DtypeCategory("integer", (number,))
signedinteger = DtypeCategory("signedinteger", (integer,))
unsignedinteger = DtypeCategory("unsignedinteger", (integer,))
inexact = DtypeCategory("inexact", (number,))
floating = DtypeCategory("floating", (inexact,))
complexfloating = DtypeCategory("complexfloating", (inexact,))


class Dtype:
    """An array element type (``mx.float32``, ...). Compare with ``==``."""

    __slots__ = ("name", "size", "kind", "np", "mlir", "_rank", "category")

    def __init__(self, name, size, kind, np_dtype, mlir, rank, category):
        self.name = name
        self.size = size
        self.kind = kind  # 'b', 'u', 'i', 'f', 'c'
        self.np = np.dtype(np_dtype)
        self.mlir = mlir
        self._rank = rank
        self.category = category

    def __repr__(self):
        return f"mlx.core.{self.name}"

    __str__ = __repr__

    def __hash__(self):
        return hash(self.name)

    def __eq__(self, other):
        return isinstance(other, Dtype) and other.name == self.name

    def __reduce__(self):
        return (_by_name, (self.name,))

    @property
    def is_float(self):
        return self.kind == "f"

    @property
    def is_inexact(self):
        return self.kind in "fc"

    @property
    def is_integer(self):
        return self.kind in "iu"


bool_ = Dtype("bool", 1, "b", np.bool_, "i1", 0, generic)
uint8 = Dtype("uint8", 1, "u", np.uint8, "ui8", 1, unsignedinteger)
uint16 = Dtype("uint16", 2, "u", np.uint16, "ui16", 2, unsignedinteger)
uint32 = Dtype("uint32", 4, "u", np.uint32, "ui32", 3, unsignedinteger)
uint64 = Dtype("uint64", 8, "u", np.uint64, "ui64", 4, unsignedinteger)
int8 = Dtype("int8", 1, "i", np.int8, "i8", 5, signedinteger)
int16 = Dtype("int16", 2, "i", np.int16, "i16", 6, signedinteger)
int32 = Dtype("int32", 4, "i", np.int32, "i32", 7, signedinteger)
int64 = Dtype("int64", 8, "i", np.int64, "i64", 8, signedinteger)
float16 = Dtype("float16", 2, "f", np.float16, "f16", 9, floating)
bfloat16 = Dtype("bfloat16", 2, "f", ml_dtypes.bfloat16, "bf16", 10, floating)
float32 = Dtype("float32", 4, "f", np.float32, "f32", 11, floating)
float64 = Dtype("float64", 8, "f", np.float64, "f64", 12, floating)
complex64 = Dtype("complex64", 8, "c", np.complex64, "complex<f32>", 13, complexfloating)

ALL = (bool_, uint8, uint16, uint32, uint64, int8, int16, int32, int64, float16,
       bfloat16, float32, float64, complex64)
_BY_NAME = {d.name: d for d in ALL}
_BY_NP = {d.np: d for d in ALL}


def _by_name(name):
    return _BY_NAME[name]


def from_numpy(np_dtype) -> Dtype:
    """The mxc dtype of a NumPy dtype (float64 stays float64, as MLX on the CPU)."""
    np_dtype = np.dtype(np_dtype)
    if np_dtype in _BY_NP:
        return _BY_NP[np_dtype]
    if np_dtype == np.complex128:
        return complex64
    raise TypeError(f"[array] Unsupported NumPy dtype {np_dtype}.")


# MLX's promotion table, rows and columns in the order of ALL (checked against MLX
# in test/py/test_dtypes.py).
_b, _u8, _u16, _u32, _u64 = bool_, uint8, uint16, uint32, uint64
_i8, _i16, _i32, _i64 = int8, int16, int32, int64
_f16, _bf, _f32, _f64, _c = float16, bfloat16, float32, float64, complex64
_TABLE = [
    [_b, _u8, _u16, _u32, _u64, _i8, _i16, _i32, _i64, _f16, _bf, _f32, _f64, _c],
    [_u8, _u8, _u16, _u32, _u64, _i16, _i16, _i32, _i64, _f16, _bf, _f32, _f64, _c],
    [_u16, _u16, _u16, _u32, _u64, _i32, _i32, _i32, _i64, _f16, _bf, _f32, _f64, _c],
    [_u32, _u32, _u32, _u32, _u64, _i64, _i64, _i64, _i64, _f16, _bf, _f32, _f64, _c],
    [_u64, _u64, _u64, _u64, _u64, _f32, _f32, _f32, _f32, _f16, _bf, _f32, _f64, _c],
    [_i8, _i16, _i32, _i64, _f32, _i8, _i16, _i32, _i64, _f16, _bf, _f32, _f64, _c],
    [_i16, _i16, _i32, _i64, _f32, _i16, _i16, _i32, _i64, _f16, _bf, _f32, _f64, _c],
    [_i32, _i32, _i32, _i64, _f32, _i32, _i32, _i32, _i64, _f16, _bf, _f32, _f64, _c],
    [_i64, _i64, _i64, _i64, _f32, _i64, _i64, _i64, _i64, _f16, _bf, _f32, _f64, _c],
    [_f16] * 9 + [_f16, _f32, _f32, _f64, _c],
    [_bf] * 9 + [_f32, _bf, _f32, _f64, _c],
    [_f32] * 12 + [_f64, _c],
    [_f64] * 13 + [_c],
    [_c] * 14,
]


def promote_types(a: Dtype, b: Dtype) -> Dtype:
    """The dtype MLX gives a binary op on arrays of dtypes ``a`` and ``b``."""
    return _TABLE[a._rank][b._rank]


def issubdtype(a, b) -> bool:
    """``mx.issubdtype``: dtype or category ``a`` is ``b`` or below it."""
    if isinstance(b, Dtype):
        return a == b
    ancestors = a.category._ancestors() if isinstance(a, Dtype) else a._ancestors()
    return b in ancestors
