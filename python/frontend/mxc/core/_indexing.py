"""NumPy indexing on lazy arrays: reads, writes, ``at[]`` updates, masks.

Basic indices (ints, slices, ``...``, ``None``) become slices; integer arrays
become one ``gather`` (or ``scatter`` for writes) with NumPy's placement of the
advanced dimensions. Python integers are program inputs, so a loop over
``xs[i]`` compiles once. Boolean masks evaluate the mask (a sync point, like
``.item()``) and become integer indices.

Semantics of run-time indices (the values of index arrays): negative values
count from the end, then values are clamped into range. Static indices (Python
ints, slices, evaluated index arrays) out of range raise IndexError.
"""

from __future__ import annotations

import math

import numpy as np

from . import _dtypes
from ._array import _from_numpy, _make, array
from ._ops import (_as_array, _broadcast_to, _check_int_scalar, _const, _is_scalar,
                   _shape_str, astype, broadcast_shapes, reshape, transpose)


class IndexingError(IndexError, ValueError):
    """A malformed index: an IndexError (as NumPy) and a ValueError (as MLX)."""


def _index_scalar(value):
    return _from_numpy(np.array(value, dtype=np.int32 if -(2**31) <= value < 2**31
                                else np.int64), _dtypes.int32 if -(2**31) <= value < 2**31
                       else _dtypes.int64)


def _is_int(x):
    return isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_))


def _expand(shape, index):
    """Per-dimension entries for ``index`` on an array of ``shape``.

    Returns (expanded shape with None dims inserted, entries) where each entry is
    ("slice", start, step, size), ("int", i) or ("array", int array).
    """
    if not isinstance(index, tuple):
        index = (index,)
    items = []
    for item in index:
        if item is None or item is Ellipsis or isinstance(item, slice):
            items.append(item)
        elif _is_int(item):
            items.append(int(item))
        elif isinstance(item, (bool, np.bool_)):
            items.append(("mask", _as_array(item)))
        elif isinstance(item, (array, list, tuple, np.ndarray)):
            arr = _as_array(item)
            if arr.dtype == _dtypes.bool_:
                items.append(("mask", arr))
            elif arr.dtype.is_integer:
                items.append(("array", arr))
            else:
                raise IndexingError("[index] Arrays used as indices must be of integer (or "
                                 f"boolean) type, got {arr.dtype.name}.")
        else:
            raise IndexingError(f"[index] Cannot index an array with {type(item).__name__}; use "
                             "ints, slices, None, ..., or integer/boolean arrays.")
    consumed = sum(1 if not isinstance(i, tuple) else (i[1].ndim if i[0] == "mask" else 1)
                   for i in items if i is not None and i is not Ellipsis)
    if consumed > len(shape):
        raise IndexingError(f"[index] Too many indices for array with {len(shape)} dimensions.")
    if sum(i is Ellipsis for i in items) > 1:
        raise IndexingError("[index] An index can only have a single ellipsis ('...').")
    if Ellipsis in items:
        k = items.index(Ellipsis)
        items[k:k + 1] = [slice(None)] * (len(shape) - consumed)
    else:
        items += [slice(None)] * (len(shape) - consumed)

    new_shape, entries, d = [], [], 0
    for item in items:
        if item is None:
            new_shape.append(1)
            entries.append(("slice", 0, 1, 1))
            continue
        if isinstance(item, tuple) and item[0] == "mask":
            mask = item[1]
            dims = shape[d:d + mask.ndim]
            if tuple(dims) != mask.shape:
                raise IndexingError(f"[index] Boolean index of shape {_shape_str(mask.shape)} "
                                 f"does not match the indexed dimensions {_shape_str(dims)}.")
            if mask.ndim == 0:
                # a[True] adds a dimension of size 1, a[False] one of size 0.
                new_shape.append(1)
                entries.append(("slice", 0, 1, 1 if bool(mask.item()) else 0))
                continue
            for coords in np.nonzero(mask._numpy()):
                new_shape.append(shape[d])
                entries.append(("array", _from_numpy(coords.astype(np.int32), _dtypes.int32),
                                "checked"))
                d += 1
            continue
        size = shape[d]
        if isinstance(item, slice):
            start, stop, step = item.indices(size)
            n = len(range(start, stop, step))
            entries.append(("slice", start if n else 0, step, n))
        elif isinstance(item, int):
            if not -size <= item < size:
                raise IndexError(f"[index] Index {item} is out of bounds for axis {d} with "
                                 f"size {size}.")
            entries.append(("int", item % size))
        else:
            arr = item[1]
            if arr._value is not None and arr.size:
                lo, hi = arr._value.min(), arr._value.max()
                if lo < -size or hi >= size:
                    bad = lo if lo < -size else hi
                    raise IndexError(f"[index] Index {bad} is out of bounds for axis {d} with "
                                     f"size {size}.")
            entries.append(("array", arr))
        new_shape.append(size)
        d += 1
    return tuple(new_shape), entries


def _basic_slice(x, entries):
    """Applies the slice and int entries (ints keep a dimension of size 1)."""
    if all(e[0] != "slice" or e[2] == 1 for e in entries):
        starts, sizes, dynamic = [], [], False
        for e, dim in zip(entries, x.shape):
            if e[0] == "int":
                starts.append(_index_scalar(e[1]))
                sizes.append(1)
                dynamic = True
            elif e[0] == "slice":
                starts.append(_index_scalar(e[1]) if e[1] else _const(0, _dtypes.int32))
                dynamic |= bool(e[1])
                sizes.append(e[3])
            else:
                starts.append(_const(0, _dtypes.int32))
                sizes.append(dim)
        if tuple(sizes) == x.shape:
            return x
        return _make("dynamic_slice", (x, *starts), (("slice_sizes", tuple(sizes)),),
                     tuple(sizes), x.dtype)
    start, sizes, strides = [], [], []
    for e, dim in zip(entries, x.shape):
        if e[0] == "int":
            start.append(e[1]), sizes.append(1), strides.append(1)
        elif e[0] == "slice":
            start.append(e[1]), sizes.append(e[3]), strides.append(e[2])
        else:
            start.append(0), sizes.append(dim), strides.append(1)
    return _make("slice", (x,), (("start_indices", tuple(start)), ("sizes", tuple(sizes)),
                                 ("strides", tuple(strides))), tuple(sizes), x.dtype)


def _gather_axes(x, axes, indices):
    """``x`` gathered at index arrays (one per axis in ``axes``, broadcast together):
    shape B + the other dimensions of ``x`` in order."""
    b = broadcast_shapes(*(i.shape for i in indices))
    empty = _gather_from_empty(x, axes, b + tuple(n for d, n in enumerate(x.shape)
                                                  if d not in axes))
    if empty is not None:
        return empty
    idx = [_broadcast_to(i, b) for i in indices]
    sizes = tuple(1 if d in axes else n for d, n in enumerate(x.shape))
    g = _make("gather", (x, *idx), (("axes", tuple(axes)), ("slice_sizes", sizes)),
              b + sizes, x.dtype)
    return reshape(g, b + tuple(n for d, n in enumerate(x.shape) if d not in axes))


def _gather_from_empty(x, axes, out_shape, op="take"):
    """A gather along an axis of size 0 has nothing to read: its result is empty
    (an empty array of ``out_shape``), or the index is out of range (an error, as
    NumPy and MLX)."""
    if all(x.shape[d] for d in axes):
        return None
    if math.prod(out_shape):
        raise IndexingError(f"[{op}] Cannot do a non-empty take from an empty axis (array "
                            f"of shape {_shape_str(x.shape)}).")
    return _broadcast_to(_const(0, x.dtype), tuple(out_shape))


def _gather_points(x, points, out_shape, index_axis=None):
    """Gather where ``points[d]`` is an index array for axis d or None (kept whole).

    With one index array at ``index_axis`` (``take``), its dimensions replace that
    axis; otherwise the index dimensions come first.
    """
    axes = [d for d, p in enumerate(points) if p is not None]
    g = _gather_axes(x, axes, [points[d] for d in axes])
    if index_axis is not None:
        k = len(g.shape) - (x.ndim - 1)
        perm = list(range(k, k + index_axis)) + list(range(k)) + list(range(k + index_axis,
                                                                           g.ndim))
        g = transpose(g, perm)
    if index_axis is None and len(axes) == 2 and axes == [x.ndim - 2, x.ndim - 1]:
        # diagonal: index dims last
        k = g.ndim - (x.ndim - 2)
        g = transpose(g, list(range(k, g.ndim)) + list(range(k)))
    return reshape(g, tuple(out_shape))


def _layout(entries):
    """(advanced dims, whether they are adjacent, slice dims)."""
    adv = [d for d, e in enumerate(entries) if e[0] in ("array", "int")]
    has_array = any(e[0] == "array" for e in entries)
    if not has_array:
        adv = []
    adjacent = bool(adv) and adv == list(range(adv[0], adv[-1] + 1))
    return adv, adjacent


def getitem(x, index):
    x = _as_array(x)
    shape, entries = _expand(x.shape, index)
    if shape != x.shape:
        x = reshape(x, shape)
    adv, adjacent = _layout(entries)
    if not adv:
        y = _basic_slice(x, entries)
        out_shape = tuple(n for n, e in zip(y.shape, entries) if e[0] != "int")
        return reshape(y, out_shape)
    # Slices first (advanced dims kept whole), then one gather.
    y = _basic_slice(x, [e if e[0] == "slice" else ("slice", 0, 1, n)
                         for e, n in zip(entries, x.shape)])
    arrays = [e[1] if e[0] == "array" else _index_scalar(e[1]) for e in
              (entries[d] for d in adv)]
    g = _gather_axes(y, adv, arrays)
    if adjacent and adv[0] > 0:
        nb = g.ndim - (y.ndim - len(adv))
        perm = list(range(nb, nb + adv[0])) + list(range(nb)) + list(range(nb + adv[0], g.ndim))
        g = transpose(g, perm)
    return g


def _coordinates(entries, shape):
    """One index array per dimension, all of the result shape of the read."""
    adv, adjacent = _layout(entries)
    slice_dims = [d for d in range(len(entries)) if d not in adv and entries[d][0] == "slice"]
    if adv:
        b = broadcast_shapes(*((entries[d][1].shape if entries[d][0] == "array" else ())
                               for d in adv))
        if adjacent:
            before = [d for d in slice_dims if d < adv[0]]
            after = [d for d in slice_dims if d > adv[0]]
            layout = [("s", d) for d in before] + [("b", None)] + [("s", d) for d in after]
        else:
            layout = [("b", None)] + [("s", d) for d in slice_dims]
    else:
        b = ()
        layout = [("s", d) for d in slice_dims]
    res_shape, positions, bpos = [], {}, 0
    for kind, d in layout:
        if kind == "b":
            bpos = len(res_shape)
            res_shape.extend(b)
        else:
            positions[d] = len(res_shape)
            res_shape.append(entries[d][3])
    res_shape = tuple(res_shape)
    coords = []
    for d, e in enumerate(entries):
        if e[0] == "slice":
            pos = positions[d]
            ramp = _make("iota", (), (("dimension", 0),), (e[3],), _dtypes.int32)
            if e[2] != 1 or e[1]:
                from ._ops import add, multiply

                ramp = add(multiply(ramp, e[2]), e[1])
            ramp = reshape(ramp, (1,) * pos + (e[3],) + (1,) * (len(res_shape) - pos - 1))
            coords.append(_broadcast_to(ramp, res_shape))
        elif e[0] == "int" and not adv:
            coords.append(_broadcast_to(_index_scalar(e[1]), res_shape))
        else:
            arr = e[1] if e[0] == "array" else _index_scalar(e[1])
            arr = _broadcast_to(arr, b)
            arr = reshape(arr, (1,) * bpos + b + (1,) * (len(res_shape) - bpos - len(b)))
            coords.append(_broadcast_to(arr, res_shape))
    return coords, res_shape


def _scatter(prim, x, index, values):
    x = _as_array(x)
    shape, entries = _expand(x.shape, index)
    xs = reshape(x, shape) if shape != x.shape else x
    if _is_scalar(values):  # MLX: a Python int must fit the array's integer dtype
        _check_int_scalar(values, x.dtype)
    v = astype(_as_array(values), x.dtype)
    adv, _ = _layout(entries)
    if prim == "scatter" and not adv and all(e[0] != "slice" or e[2] == 1 for e in entries):
        # A box write: dynamic_update_slice.
        box = tuple(1 if e[0] == "int" else e[3] for e in entries)
        read_shape = tuple(n for n, e in zip(box, entries) if e[0] != "int")
        v = reshape(_broadcast_checked(v, read_shape), box)
        starts = [_index_scalar(e[1]) if e[1] else _const(0, _dtypes.int32) for e in entries]
        if math.prod(box) == 0:
            return x
        out = _make("dynamic_update_slice", (xs, v, *starts), (), xs.shape, x.dtype)
        return reshape(out, x.shape)
    coords, res_shape = _coordinates(entries, shape)
    v = _broadcast_checked(v, res_shape)
    v = reshape(v, res_shape + (1,) * len(shape))
    out = _make(prim, (xs, *coords, v), (("axes", tuple(range(len(shape)))),), xs.shape,
                x.dtype)
    return reshape(out, x.shape)


def _broadcast_checked(v, shape):
    try:
        broadcast_shapes(v.shape, shape)
        if len(v.shape) > len(shape):
            raise ValueError
    except ValueError:
        # NumPy drops leading unit dimensions of the value.
        squeezed = v.shape
        while len(squeezed) > len(shape) and squeezed[0] == 1:
            squeezed = squeezed[1:]
        if squeezed != v.shape:
            return _broadcast_checked(reshape(v, squeezed), shape)
        raise ValueError(f"[index] Cannot broadcast a value of shape {_shape_str(v.shape)} "
                         f"into the indexed shape {_shape_str(shape)}.") from None
    return _broadcast_to(v, shape)


def setitem(x, index, values):
    return _scatter("scatter", x, index, values)


class _AtIndexer:
    """``a.at[idx]``: functional updates in which repeated indices accumulate."""

    def __init__(self, x):
        self._x = x

    def __getitem__(self, index):
        return _AtUpdate(self._x, index)


class _AtUpdate:
    def __init__(self, x, index):
        self._x, self._index = x, index

    def add(self, v):
        return _scatter("scatter_add", self._x, self._index, v)

    def subtract(self, v):
        from ._ops import negative

        return _scatter("scatter_add", self._x, self._index, negative(_as_array(v)))

    def multiply(self, v):
        return _scatter("scatter_multiply", self._x, self._index, v)

    def divide(self, v):
        from ._ops import reciprocal

        x = self._x
        if not x.dtype.is_inexact:
            raise ValueError("[at.divide] Only floating point arrays can be divided in place.")
        return _scatter("scatter_multiply", x, self._index,
                        reciprocal(astype(_as_array(v), x.dtype)))

    def maximum(self, v):
        return _scatter("scatter_max", self._x, self._index, v)

    def minimum(self, v):
        return _scatter("scatter_min", self._x, self._index, v)


def nonzero(a):
    """Indices of the nonzero elements, one int32 array per dimension (an
    evaluation: the result's shape depends on the values)."""
    a = _as_array(a)
    value = a._numpy()
    if value.ndim == 0:
        value = value.reshape(1)
    return tuple(_from_numpy(c.astype(np.int32), _dtypes.int32) for c in np.nonzero(value))


def _along_axis_coords(a, indices, axis, op):
    from ._ops import _normalize_axis

    if axis is None:
        a = reshape(a, (-1,))
        indices = reshape(indices, (-1,))
        axis = 0
    if not indices.dtype.is_integer:
        raise ValueError(f"[{op}] Indices must be integers, got {indices.dtype.name}.")
    if indices.ndim != a.ndim:
        raise ValueError(f"[{op}] Indices of shape {_shape_str(indices.shape)} must have as "
                         f"many dimensions as the array of shape {_shape_str(a.shape)}.")
    ax = _normalize_axis(axis, a.ndim, op)
    other = [a.shape[d] for d in range(a.ndim) if d != ax]
    other_i = [indices.shape[d] for d in range(a.ndim) if d != ax]
    bshape = list(broadcast_shapes(tuple(other), tuple(other_i)))
    bshape.insert(ax, indices.shape[ax])
    shape = tuple(bshape)
    coords = []
    for d in range(a.ndim):
        if d == ax:
            coords.append(_broadcast_to(indices, shape))
        else:
            coords.append(_make("iota", (), (("dimension", d),), shape, _dtypes.int32))
    return a, coords, shape


def take_along_axis(a, indices, axis):
    a, coords, shape = _along_axis_coords(a, indices, axis, "take_along_axis")
    empty = _gather_from_empty(a, range(a.ndim), shape, "take_along_axis")
    if empty is not None:
        return empty
    g = _make("gather", (a, *coords), (("axes", tuple(range(a.ndim))),
                                       ("slice_sizes", (1,) * a.ndim)),
              shape + (1,) * a.ndim, a.dtype)
    return reshape(g, shape)


def put_along_axis(a, indices, values, axis):
    orig = a
    a, coords, shape = _along_axis_coords(a, indices, axis, "put_along_axis")
    v = _broadcast_checked(astype(_as_array(values), a.dtype), shape)
    v = reshape(v, shape + (1,) * a.ndim)
    out = _make("scatter", (a, *coords, v), (("axes", tuple(range(a.ndim))),), a.shape,
                a.dtype)
    return reshape(out, orig.shape)
