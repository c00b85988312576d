"""mxc.utils: the tree helpers, compared with mlx.utils on the same trees."""

from collections import namedtuple

import mlx.utils as mu
import numpy as np
import pytest

import mxc.core as mx
from mxc import utils as xu

Point = namedtuple("Point", ["x", "y"])

TREES = [
    0,
    [[[0]]],
    {"a": {"b": 1}},
    {"model": [{"w": 0, "b": 1}, {"w": 2, "b": 3}], "step": 4},
    (1, [2, (3, {"c": 4})]),
    {"p": Point(1, [2, 3]), "q": []},
    {"empty": {}, "list": [], "x": 5},
    [None, 1.5, "s"],
]


@pytest.mark.parametrize("tree", TREES)
def test_tree_flatten_matches_mlx(tree):
    assert xu.tree_flatten(tree) == mu.tree_flatten(tree)
    assert xu.tree_flatten(tree, prefix=".root") == mu.tree_flatten(tree, prefix=".root")
    assert xu.tree_flatten(tree, destination={}) == mu.tree_flatten(tree, destination={})


def test_tree_flatten_prefix_and_destination():
    assert xu.tree_flatten([[[0]]], prefix=".hello") == [("hello.0.0.0", 0)]
    dest = {"keep": 1}
    out = xu.tree_flatten({"a": {"b": 1}}, destination=dest)
    assert out is dest and dest == {"keep": 1, "a.b": 1}
    with pytest.raises(ValueError, match="Destination"):
        xu.tree_flatten({"a": 1}, destination=set())


def test_tree_flatten_is_leaf():
    tree = {"a": [1, 2], "b": {"c": [3]}}

    def leaf(x):
        return isinstance(x, list)

    assert xu.tree_flatten(tree, is_leaf=leaf) == mu.tree_flatten(tree, is_leaf=leaf)
    assert xu.tree_flatten(tree, is_leaf=leaf) == [("a", [1, 2]), ("b.c", [3])]


def test_tree_flatten_arrays_are_leaves():
    a, b = mx.array([1.0, 2.0]), mx.zeros((2, 2))
    flat = xu.tree_flatten({"layers": [{"weight": a}, {"weight": b}]})
    assert [k for k, _ in flat] == ["layers.0.weight", "layers.1.weight"]
    assert flat[0][1] is a and flat[1][1] is b


@pytest.mark.parametrize("flat", [
    [("hello.world", 42)],
    {"hello.world": 42},
    [("", 7)],
    [("0", "a"), ("2", "c")],
    [("1", "b"), ("0", "a")],
    [("01", 1), ("1", 2)],
    [("layers.0.weight", 1), ("layers.0.bias", 2), ("layers.1.weight", 3), ("head", 4)],
    [("a.0.0", 1), ("a.0.1", 2), ("a.1", 3)],
    [],
])
def test_tree_unflatten_matches_mlx(flat):
    assert xu.tree_unflatten(flat) == mu.tree_unflatten(flat)


def test_tree_unflatten_values():
    assert xu.tree_unflatten([("hello.world", 42)]) == {"hello": {"world": 42}}
    assert xu.tree_unflatten({"0": "a", "2": "c"}) == ["a", {}, "c"]
    assert xu.tree_unflatten([("", 5)]) == 5
    # "01" and "1" are different keys, so that level is a dict.
    assert xu.tree_unflatten([("01", 1), ("1", 2)]) == {"01": 1, "1": 2}


@pytest.mark.parametrize("tree", TREES[1:6])
def test_flatten_unflatten_roundtrip_of_dicts_and_lists(tree):
    if isinstance(tree, dict) and all(not isinstance(v, tuple) for v in tree.values()):
        flat = xu.tree_flatten(tree)
        assert xu.tree_unflatten(flat) == mu.tree_unflatten(mu.tree_flatten(tree))


def test_tree_map_matches_mlx_and_keeps_types():
    tree = {"a": [1, 2], "b": (3, Point(4, 5)), "c": {"d": 6}}
    out = xu.tree_map(lambda x: x * 10, tree)
    assert out == mu.tree_map(lambda x: x * 10, tree)
    assert isinstance(out["b"], tuple) and isinstance(out["b"][1], Point)
    assert out["b"][1].y == 50


def test_tree_map_multiple_trees():
    a = {"x": [1, 2], "y": 3}
    b = {"x": [10, 20], "y": 30, "extra": 99}
    assert xu.tree_map(lambda u, v: u + v, a, b) == {"x": [11, 22], "y": 33}
    # `rest` may be deeper: the whole subtree is passed where `tree` has a leaf.
    deep = {"x": [{"k": 1}, {"k": 2}], "y": {"k": 3}}
    got = xu.tree_map(lambda leaf, sub: (leaf, sub), {"x": [1, 2], "y": 3}, deep)
    assert got == mu.tree_map(lambda leaf, sub: (leaf, sub), {"x": [1, 2], "y": 3}, deep)
    with pytest.raises(KeyError):
        xu.tree_map(lambda u, v: u, {"z": 1}, {"y": 2})


def test_tree_map_is_leaf():
    tree = {"a": [1, 2], "b": [3]}
    out = xu.tree_map(len, tree, is_leaf=lambda x: isinstance(x, list))
    assert out == {"a": 2, "b": 1}
    assert out == mu.tree_map(len, tree, is_leaf=lambda x: isinstance(x, list))


def test_tree_map_over_arrays():
    tree = {"w": mx.array([1.0, 2.0]), "b": [mx.array(3.0)]}
    out = xu.tree_map(lambda x: x * 2, tree)
    np.testing.assert_array_equal(np.array(out["w"]), [2.0, 4.0])
    assert float(out["b"][0]) == 6.0


def test_tree_map_with_path_matches_mlx():
    tree = {"model": [{"w": 0, "b": 1}, {"w": 0, "b": 1}], "t": (5, 6)}
    assert xu.tree_map_with_path(lambda p, x: p, tree) == mu.tree_map_with_path(
        lambda p, x: p, tree)
    assert xu.tree_map_with_path(lambda p, x: p, tree)["model"][1]["b"] == "model.1.b"
    got = xu.tree_map_with_path(lambda p, x: p, tree, path="root")
    assert got == mu.tree_map_with_path(lambda p, x: p, tree, path="root")
    assert got["t"] == ("root.t.0", "root.t.1")
    # Extra trees and is_leaf.
    other = {"model": [{"w": 10, "b": 11}, {"w": 12, "b": 13}], "t": (7, 8)}
    got = xu.tree_map_with_path(lambda p, x, y: (p, x + y), tree, other)
    assert got == mu.tree_map_with_path(lambda p, x, y: (p, x + y), tree, other)
    got = xu.tree_map_with_path(lambda p, x: p, tree, is_leaf=lambda x: isinstance(x, dict)
                                and "w" in x)
    assert got["model"] == ["model.0", "model.1"]
    assert xu.tree_map_with_path(lambda p, x: p, 3) is None


def test_tree_reduce():
    tree = {"a": [1, 2, 3], "b": [4, 5]}
    assert xu.tree_reduce(lambda acc, x: acc + x, tree, 0) == 15
    assert xu.tree_reduce(lambda acc, x: acc + x, tree) == 15
    assert xu.tree_reduce(lambda acc, x: acc * x, tree, 1) == 120
    assert xu.tree_reduce(lambda acc, x: acc + [x], tree, []) == [1, 2, 3, 4, 5]
    assert xu.tree_reduce(lambda acc, x: acc + x, {}, 7) == 7
    assert xu.tree_reduce(lambda acc, x: acc + x, {}) is None
    assert xu.tree_reduce(lambda acc, x: acc + x, 4) == 4
    assert xu.tree_reduce(lambda acc, x: acc + x, 4, 1) == 5

    def leaf(x):
        return isinstance(x, list)

    got = xu.tree_reduce(lambda acc, x: acc + len(x), tree, 0, is_leaf=leaf)
    assert got == 5 == mu.tree_reduce(lambda acc, x: acc + len(x), tree, 0, is_leaf=leaf)
    arrays = {"w": mx.array([1.0, 2.0]), "b": [mx.array([3.0])]}
    total = xu.tree_reduce(lambda acc, x: acc + x.sum(), arrays, 0.0)
    assert float(total) == 6.0


def test_tree_merge():
    assert xu.tree_merge({"a": 1}, {"b": [2]}) == {"a": 1, "b": [2]}
    a = {"x": [1, {}], "y": {"w": 4}}
    b = {"x": [{}, 2], "z": 3}
    assert xu.tree_merge(a, b) == mu.tree_merge(a, b) == {"x": [1, 2], "y": {"w": 4}, "z": 3}
    # An empty subtree on one side only stays empty (MLX raises there).
    assert xu.tree_merge({"e": {}}, {"f": 1}) == {"e": {}, "f": 1}
    assert xu.tree_merge([], []) == []
    with pytest.raises(ValueError, match="merge function"):
        xu.tree_merge({"a": 1}, {"a": 2})
    assert xu.tree_merge({"a": 1}, {"a": 2}, merge_fn=lambda u, v: u + v) == {"a": 3}
    with pytest.raises(ValueError, match="Cannot merge"):
        xu.tree_merge([], {})
