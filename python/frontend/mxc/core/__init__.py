"""``import mxc.core as mx``: MLX's array API, compiled by MLIR.

>>> import mxc.core as mx
>>> a = mx.array([1.0, 2.0, 3.0])
>>> (a * 2).sum()
array(12, dtype=float32)
"""

import math as _math

from . import _dtypes
from ._array import array, async_eval, eval
from ._device import (Device, DeviceType, Stream, clear_cache, cpu, default_device,
                      default_stream, get_cache_memory, gpu, is_available, new_stream,
                      set_default_device, set_default_stream, stream)
from . import metal
from ._compile import compile, disable_compile, enable_compile
from ._dtypes import Dtype, DtypeCategory, issubdtype, promote_types
from ._graph import export_to_dot
from ._indexing import nonzero
from ._io import load, save, save_gguf, save_safetensors, savez, savez_compressed
from ._ops import *  # noqa: F401,F403
from ._ops import AxisError, broadcast_shapes, result_type
from ._transforms import grad, jvp, value_and_grad, vjp, vmap
from . import random

bool_ = _dtypes.bool_
uint8, uint16, uint32, uint64 = _dtypes.uint8, _dtypes.uint16, _dtypes.uint32, _dtypes.uint64
int8, int16, int32, int64 = _dtypes.int8, _dtypes.int16, _dtypes.int32, _dtypes.int64
float16, bfloat16 = _dtypes.float16, _dtypes.bfloat16
float32, float64, complex64 = _dtypes.float32, _dtypes.float64, _dtypes.complex64
generic, number, integer = _dtypes.generic, _dtypes.number, _dtypes.integer
signedinteger, unsignedinteger = _dtypes.signedinteger, _dtypes.unsignedinteger
inexact, floating, complexfloating = _dtypes.inexact, _dtypes.floating, _dtypes.complexfloating

pi = _math.pi
e = _math.e
inf = float("inf")
nan = float("nan")
euler_gamma = 0.5772156649015329
newaxis = None


def from_dlpack(x):
    """An array from any object implementing ``__dlpack__`` (a copy)."""
    import numpy as _np

    return array(_np.from_dlpack(x))
