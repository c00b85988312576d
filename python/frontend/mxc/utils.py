"""Python trees (nested lists, tuples and dicts) of arrays, as ``mlx.utils``.

A *tree* is any nesting of ``list``, ``tuple`` (named tuples included) and
``dict``; everything else is a leaf, unless ``is_leaf`` says otherwise. Flat
representations name every leaf by its path in dot notation (``"layers.0.weight"``).

>>> from mxc.utils import tree_flatten, tree_unflatten
>>> tree_flatten({"a": [1, {"b": 2}]})
[('a.0', 1), ('a.1.b', 2)]
>>> tree_unflatten([("a.0", 1), ("a.1.b", 2)])
{'a': [1, {'b': 2}]}
"""

from __future__ import annotations

from itertools import zip_longest
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

__all__ = [
    "tree_flatten",
    "tree_unflatten",
    "tree_map",
    "tree_map_with_path",
    "tree_reduce",
    "tree_merge",
]


def _rebuild_sequence(like, items):
    """A list/tuple of the same type as ``like`` holding ``items``."""
    items = list(items)
    if hasattr(like, "_fields"):  # named tuple: positional constructor
        return type(like)(*items)
    return type(like)(items)


def tree_map(fn: Callable, tree: Any, *rest: Any, is_leaf: Optional[Callable] = None) -> Any:
    """Applies ``fn`` to the leaves of ``tree`` and returns a tree of the results.

    Each tree in ``rest`` must contain ``tree``'s structure (it may be deeper: the
    subtree found where ``tree`` has a leaf is passed whole); its matching nodes
    are passed to ``fn`` as extra positional arguments.

    >>> tree_map(lambda x, y: x + y, {"a": [1, 2]}, {"a": [10, 20]})
    {'a': [11, 22]}
    """
    if is_leaf is not None and is_leaf(tree):
        return fn(tree, *rest)
    if isinstance(tree, (list, tuple)):
        return _rebuild_sequence(
            tree,
            (tree_map(fn, child, *(r[i] for r in rest), is_leaf=is_leaf)
             for i, child in enumerate(tree)),
        )
    if isinstance(tree, dict):
        return {
            key: tree_map(fn, child, *(r[key] for r in rest), is_leaf=is_leaf)
            for key, child in tree.items()
        }
    return fn(tree, *rest)


def tree_map_with_path(
    fn: Callable,
    tree: Any,
    *rest: Any,
    is_leaf: Optional[Callable] = None,
    path: Optional[Any] = None,
) -> Any:
    """Like :func:`tree_map`, but ``fn`` receives the leaf's dotted path first.

    ``path`` is the prefix of every path (``None`` at the root).

    >>> tree_map_with_path(lambda p, x: p, {"m": [0, 0]})
    {'m': ['m.0', 'm.1']}
    """
    if is_leaf is not None and is_leaf(tree):
        return fn(path, tree, *rest)
    prefix = f"{path}." if path else ""
    if isinstance(tree, (list, tuple)):
        return _rebuild_sequence(
            tree,
            (tree_map_with_path(fn, child, *(r[i] for r in rest), is_leaf=is_leaf,
                                path=f"{prefix}{i}")
             for i, child in enumerate(tree)),
        )
    if isinstance(tree, dict):
        return {
            key: tree_map_with_path(fn, child, *(r[key] for r in rest), is_leaf=is_leaf,
                                    path=f"{prefix}{key}")
            for key, child in tree.items()
        }
    return fn(path, tree, *rest)


def tree_flatten(
    tree: Any,
    prefix: str = "",
    is_leaf: Optional[Callable] = None,
    destination: Optional[Union[List[Tuple[str, Any]], Dict[str, Any]]] = None,
) -> Union[List[Tuple[str, Any]], Dict[str, Any]]:
    """Flattens ``tree`` into ``(dotted_path, leaf)`` pairs.

    ``prefix`` starts every path; its first character is dropped (so
    ``prefix=".model"`` gives ``"model.0"``). With ``destination`` a dict the
    pairs are stored in it instead of a list (and it is returned).

    >>> tree_flatten([[[0]]])
    [('0.0.0', 0)]
    >>> tree_flatten([[[0]]], prefix=".hello")
    [('hello.0.0.0', 0)]
    >>> tree_flatten({"a": {"b": 1}}, destination={})
    {'a.b': 1}
    """
    if destination is None:
        destination = []
    if isinstance(destination, list):
        add = destination.append
    elif isinstance(destination, dict):
        def add(pair):
            destination[pair[0]] = pair[1]
    else:
        raise ValueError("Destination should be either a list or a dictionary or None")

    def walk(node, path):
        if is_leaf is not None and is_leaf(node):
            add((path[1:], node))
        elif isinstance(node, (list, tuple)):
            for i, child in enumerate(node):
                walk(child, f"{path}.{i}")
        elif isinstance(node, dict):
            for key, child in node.items():
                walk(child, f"{path}.{key}")
        else:
            add((path[1:], node))

    walk(tree, prefix)
    return destination


def tree_unflatten(tree: Union[List[Tuple[str, Any]], Dict[str, Any]]) -> Any:
    """Rebuilds a tree from its flat ``(dotted_path, leaf)`` representation.

    A level whose keys are all integers becomes a list (gaps are filled with
    empty dicts); any other level becomes a dict.

    >>> tree_unflatten([("hello.world", 42)])
    {'hello': {'world': 42}}
    >>> tree_unflatten({"0": "a", "2": "c"})
    ['a', {}, 'c']
    """
    items = list(tree.items()) if isinstance(tree, dict) else list(tree)
    if len(items) == 1 and items[0][0] == "":
        return items[0][1]

    groups: Dict[str, list] = {}
    for key, value in items:
        head, _, tail = key.partition(".")
        groups.setdefault(head, []).append((tail, value))

    indices = {}
    for head in groups:
        try:
            indices[int(head)] = head
        except ValueError:
            indices = None
            break
    # "1" and "01" both parse as 1: then the level is not a list.
    if indices is not None and len(indices) == len(groups):
        out = []
        for i in sorted(indices):
            while len(out) < i:
                out.append({})
            out.append(tree_unflatten(groups[indices[i]]))
        return out
    return {head: tree_unflatten(sub) for head, sub in groups.items()}


def tree_reduce(fn: Callable, tree: Any, initializer: Any = None,
                is_leaf: Optional[Callable] = None) -> Any:
    """Folds ``fn(accumulator, leaf)`` over the leaves of ``tree`` in order.

    Without ``initializer`` (``None``) the first leaf starts the accumulation.

    >>> tree_reduce(lambda acc, x: acc + x, {"a": [1, 2, 3], "b": [4, 5]}, 0)
    15
    """
    acc = initializer

    def visit(node):
        nonlocal acc
        if (is_leaf is not None and is_leaf(node)) or not isinstance(node, (list, tuple, dict)):
            acc = node if acc is None else fn(acc, node)
            return
        for child in (node.values() if isinstance(node, dict) else node):
            visit(child)

    visit(tree)
    return acc


def tree_merge(tree_a: Any, tree_b: Any, merge_fn: Optional[Callable] = None) -> Any:
    """Merges two trees into one holding the leaves of both (a deep ``dict.update``).

    Empty containers and ``None`` count as empty subtrees. Where both trees have
    a leaf at the same place, ``merge_fn(a, b)`` decides (a ValueError without it).

    >>> tree_merge({"a": 1}, {"b": [2]})
    {'a': 1, 'b': [2]}
    """
    def empty(t):
        return isinstance(t, (dict, list, tuple)) and len(t) == 0

    if empty(tree_a) and empty(tree_b):
        if type(tree_a) is not type(tree_b):
            raise ValueError(
                f"Cannot merge {type(tree_a).__name__} with {type(tree_b).__name__}")
        return type(tree_a)()
    a = None if empty(tree_a) else tree_a
    b = None if empty(tree_b) else tree_b
    if a is None and b is None:
        # An empty container facing nothing stays an empty subtree.
        return tree_a if tree_a is not None else tree_b
    if a is None:
        return b
    if b is None:
        return a
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return _rebuild_sequence(a, (tree_merge(x, y, merge_fn) for x, y in zip_longest(a, b)))
    if isinstance(a, dict) and isinstance(b, dict):
        keys = list(a.keys()) + [k for k in b.keys() if k not in a]
        return {k: tree_merge(a.get(k), b.get(k), merge_fn) for k in keys}
    if merge_fn is None:
        raise ValueError(
            "Trees contain elements at the same locations but no merge function was provided")
    return merge_fn(a, b)
