"""Indexing: reads, writes, at[] updates, take/take_along_axis/put_along_axis, masks."""

import mlx.core as mlx
import numpy as np
import pytest

import mxc.core as mx
from mxc_testutil import assert_raises_like, check, data, mlx_np, same_dtype

# Every test runs with the CPU and with the GPU as default device (conftest.py).
pytestmark = pytest.mark.usefixtures("on_device")

X = np.arange(60, dtype=np.int32).reshape(3, 4, 5)


def I(*v):  # noqa: E743
    return np.array(v)


S = slice
ALL = slice(None)

# NumPy-style indices (numpy arrays for the advanced ones; converted per case below)
READS = [
    1, -1, -3, ALL, S(1, None), S(None, None, -1), S(None, None, -2), S(5, 0, -1),
    S(-1, -4, -1), S(10, 20), S(-100, 100), S(None, 2), S(1, 3, 2), Ellipsis,
    (Ellipsis, 0), (0, Ellipsis), None, (None, 1, None), (1, None, Ellipsis, None), (0, 1, 2),
    (-1, -1, -1), (ALL, 1), (ALL, ALL, 3), (S(None, None, 2), S(1, 3), S(None, None, -3)),
    (S(2, 0, -1), S(3, None, -1)), (S(-2, None), -2, S(None, None, 4)),
    I(0, 2), I(-1, 0), [0, 2], I([0, 1], [2, 0]), (I(0, 2), I(1, 3)),
    (I(0, 2), ALL, I(1, 3)), (ALL, I(0, 2), I(1, 3)), (0, ALL, I(1, 3)), (I(0, 2), 1),
    (1, I(0, 2)), (ALL, 1, I(0, 2)), (I(0, 2), 1, ALL), (Ellipsis, I(0, 4)),
    (I(0, 2), Ellipsis), (None, I(0, 2)), (I(0, 2), None), (ALL, None, I(0, 1)),
    (I([0], [2]), ALL, I([1, 3])), I(1), np.array(1), (np.int64(1), np.int32(2)),
    (S(1, 2), S(None, None, -1), I(0, 4)), (I(0, 1), ALL, 2),
    (I(2, 0), S(None, None, -1), I(4, 0)), (S(None, None, -1), I(0, -1)),
    (ALL, [[0, 1], [2, 3]]), (I([[0], [2]]), I([1, 2, 3]), 0),
    # a prefix [0:k) on one axis with a negative stride on another
    (S(0, 2), S(3, 0, -2)), (0, ALL, S(None, None, -2)), (S(None, 1), S(None, None, -1), 1),
]


def _ids(v):
    return repr(v).replace("array", "a").replace(" ", "")[:60]


def _mx_index(idx, kind):
    """The index with its NumPy arrays as NumPy (kind 'np'), mxc arrays or lists."""
    def conv(v):
        if isinstance(v, np.ndarray) and v.ndim > 0:
            return mx.array(v) if kind == "mx" else v.tolist() if kind == "list" else v
        return v
    return tuple(conv(v) for v in idx) if isinstance(idx, tuple) else conv(idx)


@pytest.mark.parametrize("idx", READS, ids=_ids)
def test_getitem_matches_numpy(idx):
    a = mx.array(X)
    ref = X[idx]
    out = a[_mx_index(idx, "mx")]
    check(out, ref, dtype="int32")
    assert out.shape == ref.shape


def test_getitem_index_kinds():
    """NumPy arrays, mxc arrays, lists and uint/int64 index arrays agree."""
    a = mx.array(X)
    for idx in [(I(0, 2), ALL, I(1, 3)), (ALL, I([0, 1], [2, 3]))]:
        for kind in ("np", "mx", "list"):
            check(a[_mx_index(idx, kind)], X[idx])
    check(a[mx.array([2, 0], mx.uint8)], X[[2, 0]])
    check(a[mx.array([2, 0], mx.int64)], X[[2, 0]])
    check(a[mx.array(1)], X[1])
    check(a[mx.array([-1, -3])], X[[-1, -3]])  # negative run-time indices count from the end
    check(a[mx.array([1, 2]) - 1], X[[0, 1]])  # a lazy index array


def test_getitem_zero_d_and_shapes():
    z = mx.array(5)
    check(z[...], 5)
    check(z[None], [5])
    assert z[None, None].shape == (1, 1)
    v = mx.arange(10)
    assert v[None].shape == (1, 10) and v[:, None].shape == (10, 1)
    assert v[2:8:2].tolist() == [2, 4, 6]
    assert v[::-3].tolist() == [9, 6, 3, 0]


def test_getitem_empty_results():
    a = mx.array(X)
    for idx in [S(2, 1), S(10, 20), S(0, 0), np.array([], dtype=np.int32)]:
        ref = X[idx]
        out = a[_mx_index(idx, "mx")]
        assert out.shape == ref.shape
        check(out, ref)


def test_getitem_empty_inner_dims():
    a = mx.array(X)
    for idx in [(ALL, np.array([], dtype=np.int32)), (0, S(3, 1)), (ALL, S(2, 2))]:
        ref = X[idx]
        out = a[_mx_index(idx, "mx")]
        assert out.shape == ref.shape
        check(out, ref)


def test_getitem_lazy_and_dtypes():
    for name in ("float16", "bool", "uint64", "bfloat16", "complex64", "int8"):
        from mxc_testutil import mxd

        from mxc_testutil import on_gpu_refuses

        v = data((4, 3), name, seed=1)
        a = mx.array(v, mxd(name))
        ref = v.astype(np.float32) if name == "bfloat16" else v
        with on_gpu_refuses(name):
            check(a[1:3, ::-1], ref[1:3, ::-1], dtype=name)
            check(a[I(3, 0), I(2, 1)], ref[[3, 0], [2, 1]], dtype=name)
    b = mx.array(X) * 2
    check(b[1, :, ::2], (X * 2)[1, :, ::2])


def test_boolean_masks():
    a = mx.array(X)
    for mask in [X > 30, X[:, :, 0] > 20, I(True, False, True), np.zeros(3, bool)]:
        check(a[mx.array(mask)], X[mask])
        check(a[mask], X[mask])
    m4 = I(True, False, True, False)
    check(a[ALL, m4], X[:, m4])
    check(a[0, m4], X[0, m4])
    check(a[I(0, 1), m4], X[[0, 1], m4])
    check(a[True], X[True])
    assert a[False].shape == X[False].shape
    check(a[a > 50], X[X > 50])
    with pytest.raises(IndexError):
        a[mx.array([True, False])]


def test_index_errors():
    a, m = mx.array(X), mlx.array(X)
    # static out-of-range indices raise IndexError (MLX does not check)
    for idx in [3, -4, (0, 4), (0, 0, 5), (ALL, -5), (I(0, 3),), (ALL, ALL, I(5))]:
        with pytest.raises(IndexError):
            a[_mx_index(idx, "mx")]
        with pytest.raises(IndexError):
            X[idx]
    # malformed indices: the same exception type as MLX
    for idx in [(0, 1, 2, 3), 1.5, "a", (Ellipsis, Ellipsis)]:
        assert_raises_like(lambda: a[idx], lambda: m[idx])
    assert_raises_like(lambda: a[mx.array([1.5])], lambda: m[mlx.array([1.5])])
    assert_raises_like(lambda: mx.array(5)[0], lambda: mlx.array(5)[0])
    with pytest.raises(IndexError):
        a[0, 0, 0, 0]


def test_guide_examples_indexing():
    arr = mx.arange(10)
    assert repr(arr[3]) == "array(3, dtype=int32)"
    assert repr(arr[-2]) == "array(8, dtype=int32)"
    assert repr(arr[2:8:2]) == "array([2, 4, 6], dtype=int32)"
    arr = mx.arange(8).reshape(2, 2, 2)
    assert repr(arr[:, :, 0]) == "array([[0, 2],\n       [4, 6]], dtype=int32)"
    assert repr(arr[..., 0]) == "array([[0, 2],\n       [4, 6]], dtype=int32)"
    arr = mx.arange(8)
    assert arr.shape == (8,) and arr[None].shape == (1, 8)
    arr = mx.arange(10)
    assert repr(arr[mx.array([5, 7])]) == "array([5, 7], dtype=int32)"


# ----------------------------------------------------------------- take & co


def test_take():
    v = np.arange(12, dtype=np.int32).reshape(3, 4)
    a = mx.array(v)
    check(mx.take(a, mx.array([0, 2]), axis=1), np.take(v, [0, 2], axis=1))
    check(mx.take(a, mx.array([[0, 11], [5, 1]])), np.take(v, [[0, 11], [5, 1]]))
    check(mx.take(a, mx.array([-1]), axis=0), np.take(v, [-1], axis=0))
    check(mx.take(a, mx.array([[1, 0], [2, 2]]), axis=-1), np.take(v, [[1, 0], [2, 2]],
                                                                   axis=-1))
    check(mx.take(a, 2, axis=1), np.take(v, 2, axis=1))
    check(mx.take(a, 5), np.take(v, 5))
    check(mx.take(a, mx.array(1), axis=0), np.take(v, 1, axis=0))
    check(mx.take(mx.array(v, mx.float16), mx.array([2, 0]), axis=0), v[[2, 0]],
          dtype="float16")
    assert_raises_like(lambda: mx.take(a, mx.array([0]), axis=2),
                       lambda: mlx.take(mlx.array(v), mlx.array([0]), axis=2))
    assert_raises_like(lambda: mx.take(a, mx.array([0.5]), axis=0),
                       lambda: mlx.take(mlx.array(v), mlx.array([0.5]), axis=0))


def test_take_along_axis():
    v = np.arange(12, dtype=np.int32).reshape(3, 4)
    a = mx.array(v)
    for idx, axis in [(np.array([[0], [3], [1]]), 1), (np.array([[0, 1, 2, 0]]), 0),
                      (np.array([[-1], [0], [1]]), -1), (np.array([[2, 0, 1, 1]]), 0)]:
        check(mx.take_along_axis(a, mx.array(idx), axis=axis),
              np.take_along_axis(v, idx % v.shape[axis], axis=axis))
    check(mx.take_along_axis(a, mx.array([0, 5, 11]), axis=None), v.reshape(-1)[[0, 5, 11]])
    # the sort/argsort identity
    x = data((3, 5), "float32", 3)
    idx = mx.argsort(mx.array(x), axis=1)
    check(mx.take_along_axis(mx.array(x), idx, axis=1), np.sort(x, axis=1))
    assert_raises_like(lambda: mx.take_along_axis(a, mx.array([0, 1]), axis=0),
                       lambda: mlx.take_along_axis(mlx.array(v), mlx.array([0, 1]), axis=0))


def test_put_along_axis():
    v = np.arange(12, dtype=np.int32).reshape(3, 4)
    idx = np.array([[0], [3], [1]])
    vals = np.array([[100], [200], [300]], np.int32)
    ref = v.copy()
    np.put_along_axis(ref, idx, vals, axis=1)
    check(mx.put_along_axis(mx.array(v), mx.array(idx), mx.array(vals), axis=1), ref)
    ref = v.copy()
    np.put_along_axis(ref, np.array([[1, 2, 0, 0]]), 0, axis=0)
    check(mx.put_along_axis(mx.array(v), mx.array([[1, 2, 0, 0]]), mx.array(0), axis=0), ref)
    ref = v.copy().reshape(-1)
    ref[[0, 5]] = 9
    check(mx.put_along_axis(mx.array(v), mx.array([0, 5]), mx.array([9, 9]), axis=None),
          ref.reshape(3, 4))
    ours = mx.put_along_axis(mx.array(v), mx.array(idx), mx.array([[2.7]]), axis=1)
    theirs = mlx.put_along_axis(mlx.array(v), mlx.array(idx), mlx.array([[2.7]]), axis=1)
    assert same_dtype(ours.dtype, theirs.dtype)
    check(ours, mlx_np(theirs))


# ----------------------------------------------------------------- writes

WRITES = [
    ((1,), 7.0), ((-1,), np.arange(20).reshape(4, 5)), ((ALL, 1), np.arange(5)),
    ((S(None, None, 2),), -1), ((S(None, None, -1), 0), np.arange(5)),
    ((Ellipsis, 0), np.arange(4)), ((None, 1), 3.5), ((0, 1, 2), 100), ((I(0, 2),), 9),
    ((I(0, 2), ALL, I(1, 3)), np.arange(8).reshape(2, 4)), ((ALL, I(0, 2), I(1, 3)), 5),
    ((ALL, I(0, 2), I(1, 3)), np.arange(3)[:, None]),
    ((S(1, 3), S(None, None, -2), 4), [[1, 2], [3, 4]]), ((0,), np.ones((1, 4, 5))),
    ((ALL, 2), np.arange(15).reshape(3, 5).astype(np.int64)), ((I(2, 0), 1, ALL), [7.5]),
    ((ALL, ALL, ALL), 2), ((Ellipsis,), np.zeros((5,))), ((I(1),), np.ones((1, 4, 5))),
    ((S(5, 10),), 3), ((S(1, 1),), 4),
    ((2, S(None, None, -1), I(0, 4)), np.arange(8).reshape(2, 4)),
    ((I([[0], [2]]), I([1, 3])), np.arange(20).reshape(2, 2, 5)),
]


@pytest.mark.parametrize("case", WRITES, ids=lambda c: _ids(c[0]))
def test_setitem_matches_numpy(case):
    idx, value = case
    ref = X.astype(np.float32)
    ref[idx] = value
    a = mx.array(X.astype(np.float32))
    a[_mx_index(idx, "mx")] = value
    check(a, ref, dtype="float32")


def test_setitem_cast_and_broadcast():
    a = mx.array([[1, 2, 3], [4, 5, 6]])
    a[0] = 2.7  # cast into the array's dtype (truncation)
    check(a, [[2, 2, 2], [4, 5, 6]], dtype="int32")
    a[:, 1] = mx.array([True, False])
    check(a, [[2, 1, 2], [4, 0, 6]])
    a[1] = mx.array([[7, 8, 9]])  # leading unit dims of the value are dropped
    check(a, [[2, 1, 2], [7, 8, 9]])
    b = mx.array([1.5, 2.5], mx.float16)
    b[1] = mx.array(4, mx.int64)
    check(b, [1.5, 4], dtype="float16")
    c = mx.array(X)
    c[mx.array(X > 50)] = -1
    ref = X.copy()
    ref[X > 50] = -1
    check(c, ref)
    d = mx.array([[1, 2], [3, 4]])
    d[mx.array([0, 0])] = mx.array([[5, 5], [6, 6]])  # repeated: one of them wins
    assert d.tolist()[0] in ([5, 5], [6, 6])
    e = mx.array([1, 2, 3])
    e[mx.array([-1])] = 0
    check(e, [1, 2, 0])
    with pytest.raises(ValueError):
        d[0] = mx.array([1, 2, 3])
    with pytest.raises(IndexError):
        d[5] = 1


def test_setitem_aliases_and_laziness():
    a = mx.array([1, 2, 3])
    b = a
    b[2] = 0
    assert repr(b) == "array([1, 2, 0], dtype=int32)"
    assert repr(a) == "array([1, 2, 0], dtype=int32)"
    c = a + 1  # built before the write: sees the old contents
    a[0] = 10
    check(c, [2, 3, 1])
    check(a, [10, 2, 0])
    x = mx.zeros((3,))
    for i in range(3):
        x[i] = i * 2.0
    check(x, [0, 2, 4])


# ----------------------------------------------------------------- at[] updates


def test_at_updates_accumulate():
    v = np.arange(12, dtype=np.int32).reshape(3, 4)
    a = mx.array(v)
    ref = v.copy()
    np.add.at(ref, [0, 0, 2], 1)
    check(a.at[mx.array([0, 0, 2])].add(1), ref)
    ref = v.copy()
    np.add.at(ref, (0, [1, 1, 1]), [1, 2, 3])
    check(a.at[0, mx.array([1, 1, 1])].add(mx.array([1, 2, 3])), ref)
    ref = v.copy()
    np.subtract.at(ref, ([0, 0], 1), 5)
    check(a.at[mx.array([0, 0]), 1].subtract(5), ref)
    ref = v.copy()
    np.multiply.at(ref, [1, 1], 2)
    check(a.at[mx.array([1, 1])].multiply(2), ref)
    ref = v.copy()
    np.maximum.at(ref, ([0, 0], [0, 0]), [5, 3])
    check(a.at[mx.array([0, 0]), mx.array([0, 0])].maximum(mx.array([5, 3])), ref)
    ref = v.copy()
    np.minimum.at(ref, ([2, 2], 0), [5, -3])
    check(a.at[mx.array([2, 2]), 0].minimum(mx.array([5, -3])), ref)
    f = np.ones((3,), np.float32)
    ref = f.copy()
    np.divide.at(ref, [1, 1], 2)
    check(mx.ones((3,)).at[mx.array([1, 1])].divide(2), ref)
    check(a.at[1:].add(10), np.concatenate([v[:1], v[1:] + 10]))
    check(a.at[1].add(mx.array([1, 2, 3, 4])), v + np.array([[0], [1], [0]]) * [1, 2, 3, 4])
    check(a.at[0].add(1.7), np.concatenate([v[:1] + 1, v[1:]]), dtype="int32")
    check(a, v)  # at[] is functional


def test_at_matches_mlx():
    v = np.arange(12, dtype=np.float32).reshape(3, 4)
    idx = np.array([2, 0, 2, 2])
    for op, val in [("add", 1.5), ("subtract", 2.0), ("multiply", 3.0), ("maximum", 9.0),
                    ("minimum", 4.0), ("divide", 2.0)]:
        ours = getattr(mx.array(v).at[mx.array(idx), 1:3], op)(val)
        theirs = getattr(mlx.array(v).at[mlx.array(idx), 1:3], op)(val)
        check(ours, mlx_np(theirs))


def test_at_errors():
    with pytest.raises(ValueError):
        mx.array([1, 2]).at[0].divide(2)
    with pytest.raises(IndexError):
        mx.array([1, 2]).at[2].add(1)


# ----------------------------------------------------------------- nonzero / compile cache


def test_nonzero_and_where_one_arg():
    v = np.array([[0, 1, 0], [2, 0, 3]])
    for got, ref in zip(mx.nonzero(mx.array(v)), np.nonzero(v)):
        check(got, ref, dtype="int32")
    for got, ref in zip(mx.where(mx.array(v)), np.nonzero(v)):
        check(got, ref)


def test_dynamic_int_index_compiles_once():
    import mxc

    cache = mxc._compiler.cache
    xs = mx.array(data((50, 8), "float32", 1))
    ys = mx.array(data((8, 50), "float32", 2))
    x_np, y_np = np.array(xs), np.array(ys)
    entries0, misses0 = len(cache.entries), cache.misses
    outs = []
    for i in range(50):
        out = xs[i] + ys[:, i]
        mx.eval(out)
        outs.append(out)
    assert cache.misses - misses0 <= 2
    assert len(cache.entries) - entries0 <= 2
    for i in (0, 17, 49):
        check(outs[i], x_np[i] + y_np[:, i])
    # so does a write at a Python-int position
    z = mx.zeros((10,))
    misses0 = cache.misses
    for i in range(10):
        z[i] = float(i)
        mx.eval(z)
    assert cache.misses - misses0 <= 2
    check(z, np.arange(10))
