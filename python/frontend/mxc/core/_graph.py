"""``mx.export_to_dot``: the lazy graph behind arrays, as Graphviz DOT."""

from __future__ import annotations

import io

from ._array import _collect, array


def _shape(a):
    return "(" + ",".join(map(str, a.shape)) + ")"


def export_to_dot(file, *args, **kwargs):
    """Writes the graph computing ``args`` (and ``kwargs`` values, used as labels)
    to ``file`` (a path or a text file object) in DOT.

    >>> import io
    >>> buf = io.StringIO()
    >>> mx.export_to_dot(buf, mx.sin(mx.array([1.0])) * 2)
    >>> "sin" in buf.getvalue()
    True
    """
    named = [(None, a) for a in args] + list(kwargs.items())
    targets = [a for _, a in named if isinstance(a, array)]
    leaves, leaf_ids, nodes, node_ids = _collect([t for t in targets if t._value is None])
    out = io.StringIO()
    out.write("digraph {\n  rankdir=LR;\n")
    for i, leaf in enumerate(leaves):
        out.write(f'  a{i} [shape=box, label="input {i}\\n{_shape(leaf)} {leaf.dtype.name}"];\n')
    for j, node in enumerate(nodes):
        out.write(f'  n{j} [label="{node.prim}"];\n')
        for inp in node.inputs:
            src = f"a{leaf_ids[id(inp)]}" if inp._value is not None else f"n{node_ids[id(inp._node)]}"
            out.write(f'  {src} -> n{j} [label="{_shape(inp)} {inp.dtype.name}"];\n')
    for k, (name, t) in enumerate(named):
        if not isinstance(t, array):
            continue
        label = name if name is not None else f"output {k}"
        out.write(f'  o{k} [shape=box, style=bold, label="{label}\\n{_shape(t)} {t.dtype.name}"];\n')
        src = f"a{leaf_ids[id(t)]}" if t._value is not None and id(t) in leaf_ids else (
            f"n{node_ids[id(t._node)]}" if t._value is None else None)
        if src:
            out.write(f"  {src} -> o{k};\n")
    out.write("}\n")
    text = out.getvalue()
    if hasattr(file, "write"):
        file.write(text)
    else:
        with open(file, "w") as f:
            f.write(text)
