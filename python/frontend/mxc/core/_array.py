"""The lazy array, its graph nodes, and evaluation.

An ``array`` either holds a buffer (``_value``, a C-contiguous NumPy array) or a
``Node`` that computes it from other arrays. Shapes and dtypes are known at once.
Evaluation gathers the unevaluated subgraph of the requested arrays into a
``Program`` (the structural compile-cache key), compiles it once, runs it, and
stores the buffers.
"""

from __future__ import annotations

import itertools
import numbers
import os
import weakref

import numpy as np

from .. import _compiler, _mxc
from . import _device, _dtypes
from ._dtypes import Dtype

__all__ = ["array", "eval", "Node"]


_counter = itertools.count()

#: How many function transforms are tracing right now. While tracing, evaluation
#: keeps the graph of evaluated arrays, so a value used for control flow inside a
#: traced function stays differentiable.
tracing = 0
#: ids of the input arrays of each compiled function being traced (see _compile.py).
compile_trace_inputs: list = []

#: id(placeholder) -> (list, index): where a transform keeps each of its input
#: placeholders. An in-place update of a placeholder rebinds the slot to the
#: snapshot of the old contents, which is what the traced function read.
placeholder_slots: dict = {}


class Node:
    """One op application: ``prim`` (an `array` dialect op name) on ``inputs``.

    ``seq`` orders nodes by creation: a transform's trace consists of the nodes
    created while it ran.
    """

    __slots__ = ("prim", "inputs", "attrs", "specs", "seq", "device", "__weakref__")

    def __init__(self, prim, inputs, attrs, specs):
        self.device = _device._op_device()
        if self.device.type is _device.gpu:
            _device.check_gpu_dtypes(prim, inputs, specs)
        self.prim = prim
        self.inputs = inputs  # tuple of arrays
        self.attrs = attrs  # tuple of (name, hashable value)
        self.specs = specs  # tuple of (shape, Dtype) per result
        self.seq = next(_counter)


def _new(cls=None):
    out = object.__new__(cls or array)
    out._users = None
    return out


def _register(node):
    """Records ``node`` (weakly) as a user of its inputs (see `_replace_contents`)."""
    ref = weakref.ref(node)
    for inp in node.inputs:
        users = getattr(inp, "_users", None)
        if users is None:
            inp._users = [ref]
            continue
        users.append(ref)
        n = len(users)
        if n >= 64 and not n & (n - 1):  # at powers of two: drop the dead ones
            users[:] = [r for r in users if r() is not None]
    return node


def _snapshot(arr):
    """A new array object with the current contents of ``arr``."""
    old = _new()
    old._shape, old._dtype = arr._shape, arr._dtype
    old._value, old._node, old._index = arr._value, arr._node, arr._index
    return old


def _replace_contents(arr, old, updated):
    """An in-place update (``a[i] = v``, ``a += b``): ``arr`` takes the contents of
    ``updated`` (so every reference to it sees them), while the graphs that read ``arr``
    before the update read ``old`` (its snapshot), as MLX's value semantics require."""
    users = getattr(arr, "_users", None)
    if users:
        for ref in users:
            node = ref()
            if node is not None:
                node.inputs = tuple(old if i is arr else i for i in node.inputs)
        old._users, arr._users = users, None
    slot = placeholder_slots.pop(id(arr), None)
    if slot is not None:
        slot[0][slot[1]] = old
        placeholder_slots[id(old)] = slot
    arr._shape, arr._dtype = updated._shape, updated._dtype
    arr._value, arr._node, arr._index = updated._value, updated._node, updated._index


def _memory_limit():
    """The largest array (in bytes) an op may create: ``MXC_MAX_ARRAY_BYTES``, else
    the machine's physical memory."""
    env = os.environ.get("MXC_MAX_ARRAY_BYTES")
    if env:
        return int(env)
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 2**62


_MAX_BYTES = _memory_limit()
_INT64_MAX = 2**63 - 1


def _human_bytes(n):
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"):
        if n < 1024 or unit == "EiB":
            return f"{n:.4g} {unit}" if unit != "bytes" else f"{n} bytes"
        n /= 1024
    return f"{n:.4g} EiB"


def check_shape(shape, dtype, op):
    """Validates the shape of an array op ``op`` is about to create, before anything
    is allocated: integer, non-negative dimensions (TypeError, ValueError), a size
    that int64 can index (ValueError) and that fits in memory (MemoryError)."""
    n, biggest = 1, 0
    for d in shape:
        if isinstance(d, (bool, np.bool_)) or not isinstance(d, (int, np.integer)):
            raise TypeError(f"[{op}] Shape dimensions must be integers, got "
                            f"{type(d).__name__} {d!r} in shape {tuple(shape)!r}.")
        if d < 0:
            raise ValueError(f"[{op}] Negative dimensions not allowed: "
                             f"({','.join(str(x) for x in shape)}).")
        n *= int(d)
        biggest = d if d > biggest else biggest
    nbytes = n * dtype.size
    if nbytes <= _MAX_BYTES and biggest <= _INT64_MAX:
        return
    desc = f"shape ({','.join(str(x) for x in shape)}) and dtype {dtype.name}"
    if nbytes > _INT64_MAX or biggest > _INT64_MAX:
        raise ValueError(f"[{op}] An array of {desc} is too big: its size does not fit "
                         "in a 64-bit integer.")
    raise MemoryError(f"[{op}] Cannot create an array of {desc}: it needs "
                      f"{_human_bytes(nbytes)}, more than the {_human_bytes(_MAX_BYTES)} "
                      "this machine has (MXC_MAX_ARRAY_BYTES sets the limit).")


def _make(prim, inputs, attrs, shape, dtype):
    """An array computed by op ``prim`` (one result)."""
    check_shape(shape, dtype, prim)
    node = _register(Node(prim, tuple(inputs), tuple(attrs), ((tuple(shape), dtype),)))
    out = _new()
    out._shape = tuple(shape)
    out._dtype = dtype
    out._value = None
    out._node = node
    out._index = 0
    return out


def _make_multi(prim, inputs, attrs, specs):
    for s, d in specs:
        check_shape(s, d, prim)
    node = _register(Node(prim, tuple(inputs), tuple(attrs),
                          tuple((tuple(s), d) for s, d in specs)))
    outs = []
    for i, (shape, dtype) in enumerate(node.specs):
        out = _new()
        out._shape = shape
        out._dtype = dtype
        out._value = None
        out._node = node
        out._index = i
        outs.append(out)
    return outs


#: Lazily loaded arrays not read yet (``mx.load`` of safetensors files): while
#: there are any, evaluation splits into independent groups (see `_evaluate`).
#: (id -> weak reference; arrays compare elementwise, so no WeakSet).
_lazy_loads: dict = {}


def _lazy(reader, shape, dtype):
    """An array whose data ``reader.read()`` gives when first needed (a leaf with
    a "load" node: never part of a program, read by `_collect`)."""
    with _device._using(_device.cpu):  # files are read on the host, any dtype
        out = _make("load", (), (("reader", reader),), shape, dtype)
    key = id(out)
    _lazy_loads[key] = weakref.ref(out, lambda _, key=key: _lazy_loads.pop(key, None))
    return out


def _materialize(arr):
    arr._value = _contiguous(arr._node.attrs[0][1].read(), arr._dtype.np)
    arr._node = None
    _lazy_loads.pop(id(arr), None)


def _contiguous(value, dtype=None):
    # np.ascontiguousarray would turn 0-d arrays into 1-d ones.
    value = np.asarray(value, dtype=dtype)
    return value if value.flags.c_contiguous else value.copy(order="C")


def _from_numpy(value: np.ndarray, dtype: Dtype):
    out = _new()
    value = _contiguous(value, dtype.np)
    out._shape = value.shape
    out._dtype = dtype
    out._value = value
    out._node = None
    out._index = 0
    return out


def _scalar_dtype(value):
    if isinstance(value, (bool, np.bool_)):
        return _dtypes.bool_
    if isinstance(value, numbers.Integral):
        return _dtypes.int32 if -(2**31) <= int(value) < 2**31 else _dtypes.int64
    if isinstance(value, numbers.Real):
        return _dtypes.float32
    if isinstance(value, numbers.Complex):
        return _dtypes.complex64
    raise TypeError(f"[array] Unsupported scalar type {type(value).__name__}.")


def _numpy_dtype_to_mx(np_dtype, from_python):
    """MLX's choice for data converted from NumPy (float64 becomes float32)."""
    if np_dtype == np.float64:
        return _dtypes.float32
    if np_dtype == np.complex128:
        return _dtypes.complex64
    if from_python and np_dtype == np.int64:
        return _dtypes.int32
    return _dtypes.from_numpy(np_dtype)


def _to_numpy_input(value):
    """Converts lists/tuples (possibly holding arrays) and buffer objects to NumPy."""
    if isinstance(value, (list, tuple)):
        if any(isinstance(v, array) for v in value) or any(
            isinstance(v, (list, tuple)) for v in value
        ):
            parts = [_to_numpy_input(v) for v in value]
            return np.array(parts)
        return np.array(value)
    if isinstance(value, array):
        return value._numpy()
    return np.asarray(value)


class array(_mxc.ArrayBase):
    """An N-dimensional array, evaluated lazily.

    >>> import mxc.core as mx
    >>> a = mx.array([1, 2, 3])
    >>> a * 2
    array([2, 4, 6], dtype=int32)
    """

    __slots__ = ("_shape", "_dtype", "_value", "_node", "_index", "_users", "__weakref__")
    __array_priority__ = 100

    def __init__(self, val, dtype: Dtype | None = None):
        if dtype is not None and not isinstance(dtype, Dtype):
            raise TypeError(f"[array] dtype must be an mx.Dtype, got {dtype!r}.")
        if isinstance(val, array):
            src = val.astype(dtype) if dtype is not None and dtype != val._dtype else val
            if tracing and src is val:
                # Inside a transform's trace, whose inputs are known by identity, a
                # copy must stay connected to what it copies (an alias of a
                # placeholder would be cut off from the gradient, or leak the
                # placeholder into the program under vmap): an identity op.
                src = _make("reshape", (val,), (), val._shape, val._dtype)
            self._shape, self._dtype = src._shape, src._dtype
            self._value, self._node, self._index = src._value, src._node, src._index
            return
        if isinstance(val, (bool, numbers.Number, np.generic)) and not isinstance(
            val, np.ndarray
        ):
            if isinstance(val, np.generic):
                target = dtype or _numpy_dtype_to_mx(val.dtype, from_python=False)
            else:
                target = dtype or _scalar_dtype(val)
            try:
                value = np.array(val, dtype=target.np)
            except OverflowError:
                value = np.array(val).astype(target.np)
        else:
            if val is None:
                raise TypeError("[array] Cannot initialize an array from None.")
            if isinstance(val, (str, bytes)):
                raise ValueError(f"[array] Invalid type {type(val).__name__} received in "
                                 "array initialization.")
            from_python = isinstance(val, (list, tuple))
            try:
                raw = _to_numpy_input(val)
            except ValueError:
                raw = None
            if raw is None or raw.dtype == object:
                raise ValueError(
                    "[array] Initialization encountered non-uniform length (a ragged or "
                    "mixed-type sequence)."
                )
            if raw.dtype.kind in "US":
                raise ValueError(f"[array] Invalid type {raw.dtype} received in array "
                                 "initialization.")
            if from_python and raw.dtype == np.int64 and raw.size and (
                raw.max() >= 2**31 or raw.min() < -(2**31)
            ):
                inferred = _dtypes.int64
            else:
                inferred = _numpy_dtype_to_mx(raw.dtype, from_python)
            target = dtype or inferred
            value = raw.astype(target.np, copy=False)
        value = _contiguous(value)
        if value is val:
            value = value.copy()
        self._shape = value.shape
        self._dtype = target
        self._value = value
        self._node = None
        self._index = 0

    # ------------------------------------------------------------------ attributes
    @property
    def shape(self) -> tuple:
        return self._shape

    @property
    def dtype(self) -> Dtype:
        return self._dtype

    @property
    def ndim(self) -> int:
        return len(self._shape)

    @property
    def size(self) -> int:
        n = 1
        for d in self._shape:
            n *= d
        return n

    @property
    def itemsize(self) -> int:
        return self._dtype.size

    @property
    def nbytes(self) -> int:
        return self.size * self._dtype.size

    @property
    def T(self):
        return _ops.transpose(self)

    @property
    def at(self):
        """``a.at[idx].add(v)``: updates that accumulate over repeated indices."""
        from ._indexing import _AtIndexer

        return _AtIndexer(self)

    # ------------------------------------------------------------------ evaluation
    def _numpy(self) -> np.ndarray:
        if compile_trace_inputs:
            from ._compile import check_no_eval

            check_no_eval(self)
        if self._value is None:
            eval(self)
        return self._value

    def _buffer_source(self):
        return self._numpy()

    def __array__(self, dtype=None, copy=None):
        value = self._numpy()
        if copy is False:
            if dtype is not None and np.dtype(dtype) != value.dtype:
                raise ValueError("[array] Cannot convert dtype without a copy.")
            return value.view()
        if dtype is not None:
            return value.astype(dtype)
        return value.copy() if copy else value.view()

    def __dlpack__(self, stream=None, **kwargs):
        return self._numpy().__dlpack__(**kwargs)

    def __dlpack_device__(self):
        return (1, 0)  # kDLCPU

    def item(self):
        if self.size != 1:
            raise ValueError("[convert] Only length-1 arrays can be converted to Python scalars.")
        return self._numpy().reshape(()).item()

    def tolist(self):
        if self.ndim == 0:
            return self.item()
        return self._numpy().tolist()

    def __bool__(self):
        if self.size != 1:
            raise ValueError("[convert] Only length-1 arrays can be converted to Python scalars.")
        return bool(self.item())

    def __int__(self):
        return int(self.item())

    def __float__(self):
        return float(self.item())

    def __complex__(self):
        return complex(self.item())

    def __index__(self):
        if not self._dtype.is_integer and self._dtype != _dtypes.bool_:
            raise TypeError("[array] Only integer arrays can be used as an index.")
        return int(self.item())

    def __len__(self):
        if not self._shape:
            raise TypeError("len() 0-dimensional array.")
        return self._shape[0]

    def __iter__(self):
        if not self._shape:
            raise TypeError("iter() 0-dimensional array.")
        return (self[i] for i in range(self._shape[0]))

    def __repr__(self):
        from ._repr import format_array

        return format_array(self._numpy(), self._dtype)

    def __str__(self):
        return self.__repr__()

    def __hash__(self):
        return id(self)

    def __copy__(self):
        return array(self)

    def __deepcopy__(self, memo):
        return _from_numpy(self._numpy().copy(), self._dtype)

    def __getstate__(self):
        return (self._numpy(), self._dtype.name)

    def __setstate__(self, state):
        value, name = state
        self._shape, self._dtype = value.shape, _dtypes._by_name(name)
        self._value, self._node, self._index = _contiguous(value), None, 0

    # ------------------------------------------------------------------ indexing
    def __getitem__(self, index):
        from ._indexing import getitem

        return getitem(self, index)

    def __setitem__(self, index, value):
        from ._indexing import setitem

        # The graph of the update reads a snapshot of the old contents, not `self`.
        old = _snapshot(self)
        updated = setitem(old, index, value)
        # The update replaces this object's contents, so every reference sees it.
        _replace_contents(self, old, updated)

    # ------------------------------------------------------------------ conversions
    def astype(self, dtype: Dtype, stream=None):
        return _ops.astype(self, dtype)

    def __reduce__(self):
        return (_rebuild, (self._numpy(), self._dtype.name))


def _rebuild(value, name):
    return _from_numpy(value, _dtypes._by_name(name))


# ---------------------------------------------------------------------------- eval


def _collect(targets):
    """The unevaluated subgraph needed by ``targets``: (leaves, nodes) in order."""
    leaves, leaf_ids = [], {}
    nodes, node_ids = [], {}
    stack = [(t, False) for t in reversed(targets)]
    while stack:
        arr, expanded = stack.pop()
        if arr._value is None and arr._node.prim == "load":
            _materialize(arr)
        if arr._value is not None:
            if id(arr) not in leaf_ids:
                leaf_ids[id(arr)] = len(leaves)
                leaves.append(arr)
            continue
        node = arr._node
        if id(node) in node_ids:
            continue
        if node.prim == "placeholder":
            raise ValueError(
                "[vmap] Cannot evaluate an array that depends on a vmapped argument inside "
                "the vmapped function (printing, .item(), bool(), NumPy conversion or Python "
                "control flow on it): there is no single value per batch element at trace "
                "time. Use mx.where instead of `if`.")
        if expanded:
            node_ids[id(node)] = len(nodes)
            nodes.append(node)
            continue
        stack.append((arr, True))
        for inp in reversed(node.inputs):
            if inp._value is None and inp._node.prim == "load":
                _materialize(inp)
            if inp._value is not None:
                if id(inp) not in leaf_ids:
                    leaf_ids[id(inp)] = len(leaves)
                    leaves.append(inp)
            elif id(inp._node) not in node_ids:
                stack.append((inp, False))
    return leaves, leaf_ids, nodes, node_ids


def _program(targets):
    leaves, leaf_ids, nodes, node_ids = _collect(targets)
    # Inputs with no elements carry no data: they become constants, so compiled
    # functions never take zero-size buffers.
    inputs = [a for a in leaves if a.size]
    empty = [a for a in leaves if not a.size]
    arg_id = {id(a): i for i, a in enumerate(inputs)}
    count = len(inputs)
    for a in empty:
        arg_id[id(a)] = count
        count += 1
    first_value = []
    for node in nodes:
        first_value.append(count)
        count += len(node.specs)

    def value_id(arr):
        if arr._value is not None:
            return arg_id[id(arr)]
        return first_value[node_ids[id(arr._node)]] + arr._index

    prog_nodes = tuple(
        ("constant", (("value", ("splat", a._shape, a._dtype.name, 0)),), (),
         ((a._shape, a._dtype.name),)) for a in empty
    ) + tuple(
        (
            node.prim,
            node.attrs,
            tuple(value_id(i) for i in node.inputs),
            tuple((s, d.name) for s, d in node.specs),
        )
        for node in nodes
    )
    outputs = tuple(value_id(t) for t in targets)
    args = tuple((a._shape, a._dtype.name) for a in inputs)
    return _compiler.Program(args, prog_nodes, outputs), inputs


def _evaluate(targets):
    """Computes the buffers of ``targets`` (unevaluated arrays) in one program."""
    # Deduplicate while keeping order.
    seen, unique = set(), []
    for t in targets:
        if t._value is None and t._node.prim == "load":
            _materialize(t)  # a lazily loaded array asked for as it is: just read it
        if t._value is None and id(t) not in seen:
            seen.add(id(t))
            if not t.size:  # nothing to compute
                t._value = np.empty(t._shape, t._dtype.np)
                if not tracing:
                    t._node = None
                continue
            unique.append(t)
    if not unique:
        return
    if _lazy_loads and len(unique) > 1:
        groups = _independent_groups(unique)
        if len(groups) > 1:
            for group in groups:  # each group's file reads are freed before the next
                _evaluate(group)
            return
    if compile_trace_inputs:
        from ._compile import check_no_eval

        check_no_eval(unique[0])
    if _device._gpu_used:
        groups = _split_by_device(unique)
    else:
        groups = {None: unique}
    for device, group in groups.items():
        program, leaves = _program(group)
        if (len(group) > 1 and not tracing and len(program.nodes) >= _SPLIT_MIN_NODES
                and not _compiler.cache.has(program, device)):
            parts = _repeated_parts(group)
            if parts is not None:
                for part in parts:
                    _evaluate(part)
                continue
        exe = _compiler.cache.get(program, device)
        outs = exe([leaf._value for leaf in leaves])
        for t, value in zip(group, outs):
            t._value = value
            if not tracing:
                t._node = None
                t._index = 0


#: An uncompiled program of this many ops or more, made of independent parts of
#: which some are the same program, is run part by part (see _repeated_parts).
_SPLIT_MIN_NODES = 64


def _repeated_parts(targets):
    """The independent parts of an evaluation when some are the same program (a
    model's initialization: each layer's weights drawn from keys of their own), so
    each distinct part is compiled once instead of the whole as one large program;
    None when every part differs (one program then costs least)."""
    parts = _independent_groups(targets, always=True)
    if len(parts) < 2:
        return None
    distinct = {_program(part)[0] for part in parts}
    return parts if len(distinct) < len(parts) else None


def _independent_groups(targets, always=False):
    """``targets`` grouped so that no two groups share an unevaluated array: cast
    every tensor of a lazily loaded file and each group reads only its own tensors,
    so the file's data never has to be in memory all at once (as in MLX). Without
    ``always``, one group unless a lazily loaded array is read."""
    parent = list(range(len(targets)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner, loads = {}, False
    for i, t in enumerate(targets):
        stack = [t]
        while stack:
            a = stack.pop()
            if a._value is not None:
                continue
            j = owner.get(id(a._node))
            if j is None:
                owner[id(a._node)] = i
                loads = loads or a._node.prim == "load"
                stack.extend(a._node.inputs)
            elif find(j) != find(i):
                parent[find(j)] = find(i)
    if not loads and not always:
        return [targets]
    groups = {}
    for i, t in enumerate(targets):
        groups.setdefault(find(i), []).append(t)
    return list(groups.values())


def _split_by_device(targets):
    """Groups ``targets`` by the device of their ops, after evaluating every array
    that one device computes for another (moving it, through host memory)."""
    _, _, nodes, _ = _collect(targets)
    boundary, seen = [], set()
    for node in nodes:
        for inp in node.inputs:
            if (inp._value is None and inp._node.device != node.device
                    and id(inp) not in seen):
                seen.add(id(inp))
                boundary.append(inp)
    if boundary:
        _evaluate(boundary)
    groups = {}
    for t in targets:
        if t._value is None:
            device = t._node.device
            groups.setdefault(None if device.type == _device.cpu else device, []).append(t)
    return groups


def _flatten_arrays(tree, out):
    if isinstance(tree, array):
        out.append(tree)
    elif isinstance(tree, (list, tuple)):
        for t in tree:
            _flatten_arrays(t, out)
    elif isinstance(tree, dict):
        for t in tree.values():
            _flatten_arrays(t, out)
    return out


def eval(*args):
    """Evaluates the arrays in ``args`` (arrays or nested lists/tuples/dicts).

    >>> import mxc.core as mx
    >>> a = mx.ones((2,)) * 3
    >>> mx.eval(a)
    >>> a
    array([3, 3], dtype=float32)
    """
    targets = _flatten_arrays(args, [])
    _evaluate([t for t in targets if t._value is None])


def async_eval(*args):
    """Like ``eval`` (evaluation on the CPU is synchronous)."""
    eval(*args)


from . import _ops  # noqa: E402  (operators are defined over the class above)
