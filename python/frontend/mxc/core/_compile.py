"""``mx.compile``: trace a function once per input signature, then replay its
compiled program on new inputs with no tracing and no graph building.

The trace runs the function on the real (evaluated) inputs. Every leaf of the
resulting graph is then one of: a positional/keyword argument, an array of the
``inputs=`` state tree (both by position, so new arrays take their place on later
calls), or a captured array (a constant, read at each call). Outputs come back
evaluated; arrays of the ``outputs=`` state tree are written back into it, as MLX
does for models and optimizers (``partial(mx.compile, inputs=state, outputs=state)``).
"""

from __future__ import annotations

import functools
import os

import numpy as np

from . import _array, _device
from ._array import _flatten_arrays, array

_enabled = os.environ.get("MXC_DISABLE_COMPILE", os.environ.get("MLX_DISABLE_COMPILE", "")) \
    in ("", "0")
#: While a compiled function is being traced: ids of its input arrays.
_trace_inputs = _array.compile_trace_inputs


def enable_compile():
    """Turn compilation back on after ``disable_compile``."""
    global _enabled
    _enabled = True


def disable_compile():
    """Make ``mx.compile`` a no-op: compiled functions run as written (debugging)."""
    global _enabled
    _enabled = False


def check_no_eval(arr):
    """Raised when a traced compiled function needs a value (MLX's rule: the trace
    must not depend on input values, or replays would follow the traced branch)."""
    if _trace_inputs and (arr._value is None or id(arr) in _trace_inputs[-1]):
        raise ValueError(
            "[compile] Attempting to eval an array during function transformations like "
            "compile or vmap is not allowed. Compiled functions must not depend on the "
            "values of their inputs (no .item(), bool(), printing or NumPy conversion).")


def _structure(tree, arrays, constants):
    """The tree's shape with arrays replaced by their position in ``arrays``; other
    leaves are kept as constants of the signature."""
    if isinstance(tree, array):
        arrays.append(tree)
        return ("a",)
    if isinstance(tree, (list, tuple)):
        return (type(tree).__name__, tuple(_structure(t, arrays, constants) for t in tree))
    if isinstance(tree, dict):
        return ("d", tuple((k, _structure(v, arrays, constants)) for k, v in tree.items()))
    constants.append(tree)
    return ("c", len(constants) - 1)


def _rebuild(structure, leaves, constants):
    kind = structure[0]
    if kind == "a":
        return next(leaves)
    if kind == "c":
        return constants[structure[1]]
    if kind == "d":
        return {k: _rebuild(v, leaves, constants) for k, v in structure[1]}
    items = [_rebuild(s, leaves, constants) for s in structure[1]]
    return tuple(items) if kind == "tuple" else items


def _fill(tree, values, what):
    """Puts ``values`` (in flattening order) at the array leaves of ``tree``."""
    if isinstance(tree, (list, dict)):
        keys = range(len(tree)) if isinstance(tree, list) else list(tree.keys())
        for k in keys:
            v = tree[k]
            if isinstance(v, array):
                tree[k] = next(values)
            else:
                _fill(v, values, what)
    elif isinstance(tree, tuple):
        for v in tree:
            if isinstance(v, array):
                raise TypeError(f"[compile] The {what} state must be made of lists and "
                                "dicts (a tuple cannot be updated in place).")
            _fill(v, values, what)


def _signature(arrays, constants):
    ids = [id(a) for a in arrays]
    alias = None
    if len(set(ids)) != len(ids):
        first = {}
        alias = tuple(first.setdefault(i, k) for k, i in enumerate(ids))
    try:
        hash(tuple(constants))
        consts = tuple(constants)
    except TypeError:  # unhashable non-array arguments: compared by identity
        consts = tuple(id(c) for c in constants)
    return tuple([(a._shape, a._dtype) for a in arrays]), alias, consts


class _Entry:
    """One traced signature: how to find each program input and each output."""

    __slots__ = ("exe", "leaves", "outputs", "out_structure", "out_constants", "n_state_out")


def _trace(fun, args, kwargs, arrays, state_out):
    inputs = set(map(id, arrays))
    _trace_inputs.append(inputs)
    try:
        result = fun(*args, **kwargs)
    finally:
        _trace_inputs.pop()
    out_arrays, out_constants = [], []
    out_structure = _structure(result, out_arrays, out_constants)
    new_state = _flatten_arrays(state_out, []) if state_out is not None else []
    targets = out_arrays + new_state
    unique = list({id(t): t for t in targets}.values())
    lazy = [t for t in unique if t._value is None and t.size]
    entry = _Entry()
    position = {}
    for i, a in enumerate(arrays):
        position.setdefault(id(a), i)

    def locate(leaf):
        i = position.get(id(leaf))
        return ("arg", i) if i is not None else ("const", leaf)

    if lazy:
        devices = {node.device for node in _array._collect(lazy)[2]}
        if len(devices) > 1:
            # Ops on both devices: evaluating it moves arrays between them, which
            # one program cannot do. The function runs as written at each call
            # (this call's result is the trace's, lazy).
            return None, result
        device = devices.pop()
        program, leaves = _array._program(lazy)
        from .. import _compiler

        entry.exe = _compiler.cache.get(program,
                                        None if device.type is _device.cpu else device)
        entry.leaves = [locate(leaf) for leaf in leaves]
    else:
        entry.exe, entry.leaves = None, []
    slot = {id(t): i for i, t in enumerate(lazy)}
    entry.outputs = [("out", slot[id(t)], t._dtype) if id(t) in slot else
                     ("empty", t._shape, t._dtype) if not t.size and t._value is None else
                     locate(t) for t in targets]
    entry.out_structure, entry.out_constants = out_structure, out_constants
    entry.n_state_out = len(new_state)
    return entry, None


def _wrap(value, dtype):
    out = _array._new()
    out._shape, out._dtype = value.shape, dtype
    out._value, out._node, out._index = value, None, 0
    return out


def _run(entry, arrays):
    values = [(arrays[where] if kind == "arg" else where)._numpy()
              for kind, where in entry.leaves]
    outs = entry.exe(values) if entry.exe is not None else []
    results = []
    for spec in entry.outputs:
        if spec[0] == "out":
            results.append(_wrap(outs[spec[1]], spec[2]))
        elif spec[0] == "empty":
            results.append(_wrap(np.empty(spec[1], spec[2].np), spec[2]))
        elif spec[0] == "arg":
            results.append(arrays[spec[1]])
        else:
            results.append(spec[1])
    return results


def compile(fun, inputs=None, outputs=None, shapeless=False):
    """Returns a compiled ``fun``: traced once per signature (the shapes and dtypes
    of its array arguments, the values of its other arguments), then replayed as
    one compiled program. ``inputs``/``outputs``: state trees (lists/dicts of
    arrays, e.g. ``model.state``) read before and written after each call.
    ``shapeless`` is accepted for MLX compatibility; a new shape traces again.

    >>> import mxc.core as mx
    >>> f = mx.compile(lambda x, y: mx.exp(-x) + y)
    >>> f(mx.array(0.0), mx.array(1.0))
    array(2, dtype=float32)
    """
    if not callable(fun):
        raise TypeError(f"[compile] Expected a callable, got {type(fun).__name__}.")
    cache: dict = {}

    @functools.wraps(fun)
    def compiled(*args, **kwargs):
        if not _enabled or _array.tracing or _trace_inputs:
            return fun(*args, **kwargs)
        if not kwargs and all([type(a) is array for a in args]):  # the fast path
            arrays, constants, structure = list(args), (), len(args)
        else:
            arrays, constants = [], []
            structure = _structure((args, kwargs), arrays, constants)
        state_in = _flatten_arrays(inputs, []) if inputs is not None else []
        arrays += state_in
        lazy = [a for a in arrays if a._value is None]
        if lazy:
            _array.eval(lazy)
        key = (structure, _signature(arrays, constants))
        entry = cache.get(key, False)
        if entry is None:  # a program on both devices (see _trace)
            return fun(*args, **kwargs)
        if entry is False:
            entry, result = _trace(fun, args, kwargs, arrays, outputs)
            cache[key] = entry
            if entry is None:
                return result
        results = _run(entry, arrays)
        n_out = len(results) - entry.n_state_out
        if entry.n_state_out:
            _fill(outputs, iter(results[n_out:]), "outputs")
        return _rebuild(entry.out_structure, iter(results[:n_out]), entry.out_constants)

    return compiled
