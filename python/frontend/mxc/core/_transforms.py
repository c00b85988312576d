"""Function transforms: grad, value_and_grad, vjp, jvp.

A transform traces the user's function on *placeholder* arrays, which hold the
call's concrete inputs (so Python control flow on values works, as in MLX), and
records the nodes created meanwhile as a sub-program. The result is one lazy
graph node (``array.vjp`` / ``array.jvp`` naming that sub-program), expanded by
the ``array-autodiff`` pass when the graph is compiled. Transforms nest: the
sub-program of ``grad(grad(f))`` contains the inner ``vjp`` node.
"""

from __future__ import annotations

import functools

from .. import _compiler
from . import _array, _dtypes
from ._array import _make_multi, _new, array
from ._ops import _as_array, _const, _broadcast_to, _shape_str


# ----------------------------------------------------------------------- pytrees


def _flatten(tree, leaves):
    """Flattens lists/tuples/dicts of arrays; returns a rebuild function."""
    if isinstance(tree, array):
        leaves.append(tree)
        return lambda it: next(it)
    if isinstance(tree, (list, tuple)):
        parts = [_flatten(t, leaves) for t in tree]
        kind = type(tree)
        if kind not in (list, tuple):  # namedtuple
            return lambda it: kind(*(p(it) for p in parts))
        return lambda it: kind(p(it) for p in parts)
    if isinstance(tree, dict):
        keys = list(tree.keys())
        parts = [_flatten(tree[k], leaves) for k in keys]
        kind = type(tree)
        return lambda it: kind((k, p(it)) for k, p in zip(keys, parts))
    return lambda it: tree


def _unflatten(rebuild, leaves):
    return rebuild(iter(leaves))


# ------------------------------------------------------------------------ tracing


def _placeholder(a: array) -> array:
    """A leaf standing for input ``a`` in a trace: it shares ``a``'s buffer, so
    Python control flow on values works. Inside vmap the input has no single value,
    and inside a compiled function's trace it must not be read: the placeholder is
    then abstract, like vmap's own."""
    try:
        value = a._numpy()
    except ValueError:
        if not _array.tracing and not _array.compile_trace_inputs:
            raise
        return _vmap_placeholder(a._shape, a._dtype)
    p = _new()
    p._shape, p._dtype = a._shape, a._dtype
    p._value = value
    p._node, p._index = None, 0
    return p


class _Trace:
    """The sub-program computing ``outputs`` from ``placeholders``; anything else
    it reads (closures, arrays made before the trace) becomes an extra input."""

    def __init__(self, placeholders, outputs, start):
        self.placeholders = placeholders
        leaf_ids = {id(p): i for i, p in enumerate(placeholders)}
        free = []
        nodes, node_ids = [], {}

        def is_leaf(a):
            return id(a) in leaf_ids or a._node is None or a._node.seq < start

        stack = [(o, False) for o in reversed(outputs)]
        while stack:
            a, expanded = stack.pop()
            if is_leaf(a):
                if id(a) not in leaf_ids:
                    leaf_ids[id(a)] = len(placeholders) + len(free)
                    free.append(a)
                continue
            node = a._node
            if id(node) in node_ids:
                continue
            if expanded:
                node_ids[id(node)] = len(nodes)
                nodes.append(node)
                continue
            stack.append((a, True))
            for inp in reversed(node.inputs):
                if is_leaf(inp):
                    if id(inp) not in leaf_ids:
                        leaf_ids[id(inp)] = len(placeholders) + len(free)
                        free.append(inp)
                elif id(inp._node) not in node_ids:
                    stack.append((inp, False))
        n = len(placeholders) + len(free)
        first = []
        count = n
        for node in nodes:
            first.append(count)
            count += len(node.specs)

        def vid(a):
            if id(a) in leaf_ids:
                return leaf_ids[id(a)]
            return first[node_ids[id(a._node)]] + a._index

        args = tuple((a._shape, a._dtype.name) for a in (*placeholders, *free))
        prog_nodes = tuple(
            (node.prim, node.attrs, tuple(vid(i) for i in node.inputs),
             tuple((s, d.name) for s, d in node.specs)) for node in nodes)
        self.program = _compiler.Program(args, prog_nodes, tuple(vid(o) for o in outputs))
        self.free = free


def _trace(fun, args, kwargs, argnums):
    """Calls ``fun`` with placeholders for the arrays of ``args[argnums]``.

    Returns (placeholders, the original arrays they stand for, flat outputs,
    output rebuild function, trace start)."""
    start = next(_array._counter)
    originals, rebuilds = [], {}
    new_args = list(args)
    for i in argnums:
        leaves = []
        rebuilds[i] = _flatten(args[i], leaves)
        originals.append(leaves)
    placeholders = [[_placeholder(a) for a in leaves] for leaves in originals]
    for i, ph in zip(argnums, placeholders):
        new_args[i] = _unflatten(rebuilds[i], ph)
    with _Tracing(placeholders):
        out = fun(*new_args, **kwargs)
    return placeholders, originals, rebuilds, out, start


class _Tracing:
    """Marks a trace as running and tracks its placeholders (see placeholder_slots)."""

    def __init__(self, groups):
        self.slots = [(id(p), (group, i)) for group in groups for i, p in enumerate(group)]
        self.groups = groups

    def __enter__(self):
        _array.tracing += 1
        for key, slot in self.slots:
            _array.placeholder_slots[key] = slot

    def __exit__(self, *exc):
        _array.tracing -= 1
        for group in self.groups:
            for p in group:
                _array.placeholder_slots.pop(id(p), None)


def _as_output_array(x, op):
    if isinstance(x, array):
        return x
    raise TypeError(f"[{op}] The function must return arrays (or lists/tuples/dicts of "
                    f"arrays), got {type(x).__name__}.")


# --------------------------------------------------------------------------- vjp


def _vjp_node(trace: _Trace, primals, cotangents, wrt):
    """Lazy (outputs, cotangents of the ``wrt`` placeholders) from one vjp node."""
    prog = trace.program
    n_out = len(prog.outputs)
    out_specs = [_spec_of(prog, i) for i in prog.outputs]
    grad_specs = [(a._shape, a._dtype) for a in (trace.placeholders[i] for i in wrt)]
    operands = [*primals, *trace.free]
    results = _make_multi(
        "vjp", (*operands, *cotangents),
        (("callee", ("program", prog)), ("wrt", tuple(wrt)),
         ("operandSegmentSizes", ("i32array", (len(operands), len(cotangents))))),
        out_specs + grad_specs)
    return results[:n_out], results[n_out:]


def _jvp_node(trace: _Trace, primals, tangents):
    prog = trace.program
    out_specs = [_spec_of(prog, i) for i in prog.outputs]
    operands = [*primals, *trace.free]
    # Extra inputs (closures) have zero tangents.
    all_tangents = list(tangents) + [_zeros_like(a) for a in trace.free]
    results = _make_multi(
        "jvp", (*operands, *all_tangents),
        (("callee", ("program", prog)),
         ("operandSegmentSizes", ("i32array", (len(operands), len(all_tangents))))),
        out_specs + out_specs)
    n = len(prog.outputs)
    return results[:n], results[n:]


def _spec_of(prog, vid):
    shape, dtype = _compiler._result_spec(prog, vid)
    return shape, _dtypes._by_name(dtype)


def _zeros_like(a):
    return _broadcast_to(_const(0, a._dtype), a._shape)


def _ones_like(a):
    return _broadcast_to(_const(1, a._dtype), a._shape)


def vjp(fun, primals, cotangents):
    """The outputs of ``fun(*primals)`` and the vector-Jacobian products.

    >>> outs, vjps = mx.vjp(mx.sin, [mx.array(0.0)], [mx.array(1.0)])
    >>> vjps[0]
    array(1, dtype=float32)
    """
    primals = [_as_array(p) for p in primals]
    cotangents = [_as_array(c) for c in cotangents]
    placeholders, originals, _, out, start = _trace(
        lambda *xs: fun(*xs), primals, {}, tuple(range(len(primals))))
    flat_ph = [p[0] for p in placeholders]
    outs = []
    _flatten(out, outs)
    outs = [_as_output_array(o, "vjp") for o in outs]
    if len(cotangents) != len(outs):
        raise ValueError(f"[vjp] Number of outputs to compute the VJP of ({len(outs)}) does "
                         f"not match the number of cotangents ({len(cotangents)}).")
    for o, c in zip(outs, cotangents):
        if o.shape != c.shape:
            raise ValueError(f"[vjp] Output shape {_shape_str(o.shape)} does not match "
                             f"cotangent shape {_shape_str(c.shape)}.")
    cts = [c if c.dtype == o.dtype else c.astype(o.dtype) for o, c in zip(outs, cotangents)]
    trace = _Trace(flat_ph, outs, start)
    values, grads = _vjp_node(trace, primals, cts, range(len(primals)))
    return values, grads


def jvp(fun, primals, tangents):
    """The outputs of ``fun(*primals)`` and the Jacobian-vector products.

    >>> outs, jvps = mx.jvp(mx.sin, [mx.array(0.0)], [mx.array(1.0)])
    >>> jvps[0]
    array(1, dtype=float32)
    """
    primals = [_as_array(p) for p in primals]
    tangents = [_as_array(t) for t in tangents]
    if len(primals) != len(tangents):
        raise ValueError(f"[jvp] Number of inputs does not match the number of tangents "
                         f"({len(primals)} vs {len(tangents)}).")
    for p, t in zip(primals, tangents):
        if p.shape != t.shape:
            raise ValueError(f"[jvp] Input shape {_shape_str(p.shape)} does not match tangent "
                             f"shape {_shape_str(t.shape)}.")
    placeholders, _, _, out, start = _trace(
        lambda *xs: fun(*xs), primals, {}, tuple(range(len(primals))))
    flat_ph = [p[0] for p in placeholders]
    outs = []
    _flatten(out, outs)
    outs = [_as_output_array(o, "jvp") for o in outs]
    trace = _Trace(flat_ph, outs, start)
    ts = [t if t.dtype == p.dtype else t.astype(p.dtype) for p, t in zip(primals, tangents)]
    return _jvp_node(trace, primals, ts)


def _normalize_argnums(argnums, argnames, nargs, op):
    if argnums is None:
        argnums = () if argnames else 0
    single = isinstance(argnums, int)
    nums = (argnums,) if single else tuple(argnums)
    seen = set()
    for i in nums:
        if not isinstance(i, int):
            raise TypeError(f"[{op}] argnums must be an int or a sequence of ints.")
        if i < 0:
            raise ValueError(f"[{op}] Can't compute the gradient of negative argument index {i}")
        if i >= nargs:
            raise ValueError(f"[{op}] Can't compute the gradient of argument index {i} "
                             f"because the function is called with only {nargs} positional "
                             "arguments.")
        if i in seen:
            raise ValueError(f"[{op}] Duplicate argument index {i} is not allowed.")
        seen.add(i)
    if not nums and not argnames:
        raise ValueError(f"[{op}] Gradient wrt no argument requested")
    # As MLX: one argument (``argnums=0`` or ``argnums=[0]``) gives its gradient
    # alone, several give a tuple.
    return single or len(nums) == 1, nums


def _output_to_differentiate(out, op):
    """The scalar to differentiate and the auxiliary outputs (None for none), with
    MLX's checks and messages."""
    if op == "grad":
        if not isinstance(out, array):
            raise ValueError("[grad] The return value of the function whose gradient we want "
                             "to compute should be a scalar array; but "
                             f"{type(out).__name__} was returned.")
        first, rest = out, None
    else:
        what = ("[value_and_grad] The return value of the function whose gradient we want to "
                "compute should be either a scalar array or a tuple with the first value being "
                "a scalar array (Union[array, tuple[array, Any, ...]]); but ")
        if isinstance(out, array):
            first, rest = out, None
        elif isinstance(out, tuple) and out and isinstance(out[0], array):
            first, rest = out[0], out[1:]
        elif isinstance(out, tuple) and out:
            raise ValueError(what + "it was a tuple with the first value being of type "
                             f"{type(out[0]).__name__} .")
        else:
            raise ValueError(what + f"{type(out).__name__} was returned.")
    if first.ndim != 0:
        hint = " If you are using grad your function must return a scalar." if first.size == 1 else ""
        raise ValueError(f"[vjp] Output shape {_shape_str(first.shape)} does not match "
                         f"cotangent shape ().{hint}")
    return first, rest


def value_and_grad(fun, argnums=None, argnames=()):
    """A function returning ``(fun(*args), gradient)``.

    The gradient is taken of ``fun``'s output, or of its first element when it
    returns a tuple (the rest are auxiliary values, returned as they are), with
    respect to ``args[argnums]`` (default 0) and the keyword arguments named in
    ``argnames``; with ``argnames`` the gradient is ``(positional gradients or None,
    {name: gradient})``, as MLX's. Gradients keep the structure of the arguments.

    >>> loss, g = mx.value_and_grad(lambda w: (w * w).sum())(mx.array([1.0, 2.0]))
    >>> g
    array([2, 4], dtype=float32)
    """
    return _value_and_grad(fun, argnums, argnames, "value_and_grad")


def _value_and_grad(fun, argnums, argnames, op):
    if isinstance(argnames, str):
        argnames = (argnames,)
    argnames = tuple(argnames)

    @functools.wraps(fun)
    def wrapper(*args, **kwargs):
        single, nums = _normalize_argnums(argnums, argnames, len(args), op)
        for name in argnames:
            if name not in kwargs:
                raise ValueError(f"[{op}] Can't compute the gradient of keyword argument "
                                 f"'{name}' because the function is called with the following "
                                 "keyword arguments {" + "".join(f"{k}," for k in kwargs) + "}")
        # Keyword arguments to differentiate are moved into the positional list.
        names = [n for n in argnames]
        kw = {k: v for k, v in kwargs.items() if k not in names}
        all_args = list(args) + [kwargs[n] for n in names]
        positions = nums + tuple(range(len(args), len(args) + len(names)))

        def call(*xs):
            return fun(*xs[:len(args)], **kw, **dict(zip(names, xs[len(args):])))

        placeholders, originals, rebuilds, out, start = _trace(call, all_args, {}, positions)
        first, rest = _output_to_differentiate(out, op)
        flat_ph = [p for group in placeholders for p in group]
        flat_orig = [a for group in originals for a in group]
        if first.dtype.is_inexact:
            trace = _Trace(flat_ph, [first], start)
            (value,), grads = _vjp_node(trace, flat_orig, [_ones_like(first)],
                                        range(len(flat_ph)))
        else:  # as MLX: an integer or boolean output has zero gradients
            value, grads = first, [_zeros_like(a) for a in flat_orig]
        # Rebuild one gradient tree per differentiated argument.
        it = iter(grads)
        trees = []
        for group, pos in zip(originals, positions):
            trees.append(_unflatten(rebuilds[pos], [next(it) for _ in group]))
        pos_trees = trees[:len(nums)]
        name_trees = dict(zip(names, trees[len(nums):]))
        g = pos_trees[0] if single else tuple(pos_trees)
        if argnames:
            g = (g if nums else None, name_trees)
        if rest is None:
            return value, g
        return (value, *rest), g

    return wrapper


def grad(fun, argnums=None, argnames=()):
    """A function returning the gradient of ``fun`` (see ``value_and_grad``); ``fun``
    returns a scalar array.

    >>> mx.grad(mx.sin)(mx.array(0.0))
    array(1, dtype=float32)
    """
    vg = _value_and_grad(fun, argnums, argnames, "grad")

    @functools.wraps(fun)
    def wrapper(*args, **kwargs):
        return vg(*args, **kwargs)[1]

    return wrapper


# -------------------------------------------------------------------------- vmap


def _vmap_placeholder(shape, dtype):
    """A stand-in for one element of a batch: it has no value, so concretizing
    anything that depends on it raises (see ``_array._collect``)."""
    return _array._make("placeholder", (), (), shape, dtype)


def _tree_axes(axes, tree, op, what):
    """Expands an int/None/tree of axes to one entry per array leaf of ``tree``."""
    if axes is None or isinstance(axes, int):
        leaves = []
        _flatten(tree, leaves)
        return [axes] * len(leaves)
    if isinstance(tree, (list, tuple)) and isinstance(axes, (list, tuple)):
        if len(axes) != len(tree):
            raise ValueError(f"[{op}] {what} has {len(axes)} entries for {len(tree)} values.")
        return [a for t, ax in zip(tree, axes) for a in _tree_axes(ax, t, op, what)]
    if isinstance(tree, dict) and isinstance(axes, dict):
        if set(axes) != set(tree):
            raise ValueError(f"[{op}] {what} keys {sorted(axes)} do not match {sorted(tree)}.")
        return [a for k in tree for a in _tree_axes(axes[k], tree[k], op, what)]
    raise ValueError(f"[{op}] {what} {axes!r} does not match the structure of the values.")


def vmap(fun, in_axes=0, out_axes=0):
    """``fun`` mapped over an axis of its arguments (``in_axes``) with the mapped axis
    of the results at ``out_axes``.

    >>> f = mx.vmap(lambda x, y: x + y, in_axes=(1, 0))
    >>> f(mx.ones((2, 3)), mx.ones((3, 2))).shape
    (3, 2)
    """

    @functools.wraps(fun)
    def wrapper(*args):
        args = tuple(_as_array(a) if not isinstance(a, (list, tuple, dict, array)) else a
                     for a in args)
        leaves = []
        rebuild = _flatten(list(args), leaves)
        axes = in_axes
        if isinstance(in_axes, (list, tuple)):
            if len(in_axes) != len(args):
                raise ValueError(f"[vmap] The number of in axes ({len(in_axes)}) must match "
                                 f"the number of arguments ({len(args)}).")
            axes = list(in_axes)
        flat_axes = _tree_axes(axes, list(args), "vmap", "in_axes")
        size, norm = None, []
        for a, ax in zip(leaves, flat_axes):
            if ax is None:
                norm.append(-1)
                continue
            if a.ndim == 0:
                raise ValueError("[vmap] Cannot vmap over a scalar (0-d) array.")
            if not -a.ndim <= ax < a.ndim:
                raise ValueError(f"[vmap] Axis {ax} is out of bounds for an array with "
                                 f"{a.ndim} dimensions.")
            ax %= a.ndim
            if size is not None and a.shape[ax] != size:
                raise ValueError(f"[vmap] Inconsistent axis sizes: {size} and {a.shape[ax]}.")
            size = a.shape[ax]
            norm.append(ax)
        if size is None:
            raise ValueError("[vmap] At least one argument must be mapped (in_axes is all "
                             "None).")
        start = next(_array._counter)
        placeholders = []
        for a, ax in zip(leaves, norm):
            if ax < 0:
                placeholders.append(a)
            else:
                shape = a.shape[:ax] + a.shape[ax + 1:]
                placeholders.append(_vmap_placeholder(shape, a.dtype))
        inner_args = _unflatten(rebuild, placeholders)
        with _Tracing([placeholders]):
            out = fun(*inner_args)
        outs = []
        out_rebuild = _flatten(out, outs)
        outs = [_as_output_array(o, "vmap") for o in outs]
        flat_out_axes = _tree_axes(out_axes, out, "vmap", "out_axes")
        mapped = [p for p, ax in zip(placeholders, norm) if ax >= 0]
        mapped_src = [a for a, ax in zip(leaves, norm) if ax >= 0]
        mapped_axes = [ax for ax in norm if ax >= 0]
        trace = _Trace(mapped, outs, start)
        operands = [*mapped_src, *trace.free]
        in_ax = tuple(mapped_axes) + (-1,) * len(trace.free)
        specs, out_ax = [], []
        for o, ax in zip(outs, flat_out_axes):
            if ax is None:
                raise ValueError("[vmap] out_axes of None is not supported; every output is "
                                 "mapped.")
            if not -(o.ndim + 1) <= ax <= o.ndim:
                raise ValueError(f"[vmap] out_axes {ax} is out of bounds for an output with "
                                 f"{o.ndim} dimensions.")
            ax %= o.ndim + 1
            out_ax.append(ax)
            specs.append((o.shape[:ax] + (size,) + o.shape[ax:], o.dtype))
        results = _make_multi("vmap", operands, (("callee", ("program", trace.program)),
                                                 ("in_axes", in_ax),
                                                 ("out_axes", tuple(out_ax))), specs)
        return _unflatten(out_rebuild, results)

    return wrapper
