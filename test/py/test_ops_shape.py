"""Shape ops, joins, sorting, linear algebra, creation and comparison helpers."""

import mlx.core as mlx
import numpy as np
import pytest

import mxc.core as mx
from mxc_testutil import (ALL, assert_raises_like, check, data, mlx_np, mxd, mlxd, same_dtype,
                          on_gpu_refuses, to_mlx)

# Every test runs with the CPU and with the GPU as default device (conftest.py).
pytestmark = pytest.mark.usefixtures("on_device")

X = np.arange(24, dtype=np.float32).reshape(2, 3, 4)


def _a():
    return mx.array(X)


def _m():
    return mlx.array(X)


# ----------------------------------------------------------------- reshaping


def test_reshape():
    a = _a()
    check(mx.reshape(a, (4, -1)), X.reshape(4, -1))
    check(a.reshape(-1, 2, 2), X.reshape(-1, 2, 2))
    check(mx.reshape(a, 24), X.reshape(24))
    check(mx.reshape(a + 1, (6, 4)), X.reshape(6, 4) + 1)  # lazy input
    check(mx.reshape(mx.array(5), (1, 1)), [[5]])
    check(mx.reshape(mx.array([5]), ()), 5)
    assert mx.reshape(mx.zeros((0, 3)), (-1, 3)).shape == (0, 3)
    assert mx.reshape(mx.zeros((0, 3)), (3, 0, 1)).shape == (3, 0, 1)
    for shape in [(5, -1), (-1, -1), (5, 5), (-2, 12)]:
        assert_raises_like(lambda: mx.reshape(a, shape), lambda: mlx.reshape(_m(), shape))


def test_flatten_squeeze_expand():
    a = _a()
    check(mx.flatten(a), X.reshape(-1))
    check(mx.flatten(a, 1, 2), X.reshape(2, 12))
    check(mx.flatten(a, -2), X.reshape(2, 12))
    check(mx.flatten(a, 0, 1), X.reshape(6, 4))
    check(mx.flatten(mx.array(3)), [3])
    assert_raises_like(lambda: mx.flatten(a, 2, 1), lambda: mlx.flatten(_m(), 2, 1))
    z = np.zeros((1, 2, 1), np.float32)
    assert mx.squeeze(mx.array(z)).shape == (2,)
    assert mx.squeeze(mx.array(z), -1).shape == (1, 2)
    assert mx.squeeze(mx.array(z), (0, 2)).shape == (2,)
    assert mx.squeeze(mx.array(np.ones((1, 1)))).shape == ()
    for ax in (1, 3, -4):
        assert_raises_like(lambda: mx.squeeze(mx.array(z), ax),
                           lambda: mlx.squeeze(mlx.array(z), ax))
    y = mx.zeros((2, 3))
    for axes in [0, -1, (0, 3), (-1, -2), (1,)]:
        assert mx.expand_dims(y, axes).shape == tuple(mlx.expand_dims(mlx.zeros((2, 3)),
                                                                      axes).shape)
        assert mx.expand_dims(y, axes).shape == np.expand_dims(np.zeros((2, 3)), axes).shape
    check(mx.expand_dims(mx.array([1, 2]), 0), [[1, 2]])
    for axes in [3, -4, (0, 0)]:
        assert_raises_like(lambda: mx.expand_dims(y, axes),
                           lambda: mlx.expand_dims(mlx.zeros((2, 3)), axes))


def test_transpose_swap_move():
    a = _a()
    # (one program per result: identical results in one program crash the compiler)
    outs = [mx.transpose(a), mx.transpose(a, (2, 0, 1)), mx.transpose(a, (-1, 0, 1)),
            mx.swapaxes(a, 0, -1), mx.moveaxis(a, 0, -1), mx.moveaxis(a, -1, 1), a.T,
            mx.swapaxes(a, 1, 1), a.transpose(0, 2, 1)]
    refs = [X.transpose(), X.transpose(2, 0, 1), X.transpose(2, 0, 1), X.swapaxes(0, -1),
            np.moveaxis(X, 0, -1), np.moveaxis(X, -1, 1), X.T, X, X.transpose(0, 2, 1)]
    for o, r in zip(outs, refs):
        check(o, r)
    check(mx.transpose(mx.array(3.0)), 3.0)
    for axes in [(0, 1), (0, 0, 1), (0, 1, 3)]:
        assert_raises_like(lambda: mx.transpose(a, axes), lambda: mlx.transpose(_m(), axes))
    assert_raises_like(lambda: mx.swapaxes(a, 0, 3), lambda: mlx.swapaxes(_m(), 0, 3))
    assert_raises_like(lambda: mx.moveaxis(a, 3, 0), lambda: mlx.moveaxis(_m(), 3, 0))


def test_broadcast_to_and_arrays():
    check(mx.broadcast_to(mx.array([1, 2]), (3, 2)), np.broadcast_to([1, 2], (3, 2)))
    check(mx.broadcast_to(mx.array([[1], [2]]), (2, 2, 3)), np.broadcast_to([[1], [2]],
                                                                           (2, 2, 3)))
    check(mx.broadcast_to(5, (2,)), [5, 5], dtype="int32")
    check(mx.broadcast_to(mx.array(1.5), ()), 1.5)
    assert mx.broadcast_to(mx.zeros((1, 3)), (0, 3)).shape == (0, 3)
    for shape in [(3, 3), (2,)]:
        src = [[1, 2]] if shape == (2,) else [1, 2]
        assert_raises_like(lambda: mx.broadcast_to(mx.array(src), shape),
                           lambda: mlx.broadcast_to(mlx.array(src), shape))
    a, b = mx.broadcast_arrays(mx.array([1, 2]), mx.array([[1.0], [2.0]]))
    check(a, [[1, 2], [1, 2]], dtype="int32")
    check(b, [[1, 1], [2, 2]], dtype="float32")
    check(mx.atleast_1d(mx.array(1)), [1])
    check(mx.atleast_2d(mx.array([1, 2])), [[1, 2]])
    p, q = mx.atleast_2d(mx.array(1), mx.array([1, 2]))
    assert p.shape == (1, 1) and q.shape == (1, 2)


# ----------------------------------------------------------------- joins/splits


def test_concatenate():
    x, y = data((2, 3), "float32", 1), data((1, 3), "float32", 2)
    check(mx.concatenate([mx.array(x), mx.array(y)]), np.concatenate([x, y]))
    check(mx.concatenate([mx.array(x), mx.array(x[:, :1])], axis=-1),
          np.concatenate([x, x[:, :1]], axis=-1))
    check(mx.concatenate([mx.array(x), mx.array([1.0])], axis=None),
          np.concatenate([x.ravel(), [1.0]]))
    check(mx.concatenate([mx.array([1]), mx.array([2.5])]), [1, 2.5], dtype="float32")
    check(mx.concatenate([mx.array([1], mx.int8), mx.array([2], mx.uint8)]), [1, 2],
          dtype="int16")
    check(mx.concatenate([mx.zeros((0, 3)), mx.array(x)]), x)
    check(mx.concatenate([mx.array(x)]), x)
    check(mx.concatenate((mx.array([1, 2]), mx.array([3]), mx.array([4, 5]))), [1, 2, 3, 4, 5])
    cases = [lambda M: M.concatenate([M.zeros((2, 3)), M.ones((2, 2))]),
             lambda M: M.concatenate([M.zeros((2, 3)), M.ones((3,))]),
             lambda M: M.concatenate([]),
             lambda M: M.concatenate([M.array(1), M.array(2)]),
             lambda M: M.concatenate([M.zeros((2, 3)), M.ones((2, 3))], axis=2)]
    for fn in cases:
        assert_raises_like(lambda: fn(mx), lambda: fn(mlx))


def test_stack():
    x, y = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    for axis in (0, 1, -1):
        check(mx.stack([mx.array(x), mx.array(y)], axis=axis), np.stack([x, y], axis=axis))
    check(mx.stack([mx.array(1), mx.array(2)]), [1, 2])
    cases = [lambda M: M.stack([M.zeros((2,)), M.ones((3,))]),
             lambda M: M.stack([M.zeros((2,)), M.ones((2,))], axis=2),
             lambda M: M.stack([])]
    for fn in cases:
        assert_raises_like(lambda: fn(mx), lambda: fn(mlx))


def test_split():
    v = np.arange(12, dtype=np.int32).reshape(2, 6)
    a = mx.array(v)
    for arg, axis in [(3, 1), ([1, 4], 1), ([-2], 1), (2, 0), ([], 1), (1, -1)]:
        ours = mx.split(a, arg, axis=axis)
        ref = np.split(v, arg, axis=axis)
        theirs = mlx.split(mlx.array(v), arg, axis=axis)
        assert len(ours) == len(ref) == len(theirs), arg
        for o, r in zip(ours, ref):
            check(o, r, dtype="int32")
    for arg in (4, 0):
        assert_raises_like(lambda: mx.split(a, arg, axis=1),
                           lambda: mlx.split(mlx.array(v), arg, axis=1))
    assert_raises_like(lambda: mx.split(a, 2, axis=2), lambda: mlx.split(mlx.array(v), 2, 2))


def test_split_empty_pieces():
    v = np.arange(12, dtype=np.int32).reshape(2, 6)
    for arg in ([4, 2], [2, 10], [0]):
        ours, ref = mx.split(mx.array(v), arg, axis=1), np.split(v, arg, axis=1)
        assert [o.shape for o in ours] == [r.shape for r in ref]
        for o, r in zip(ours, ref):
            check(o, r, dtype="int32")


def test_repeat_tile():
    v = np.array([[1, 2], [3, 4]], np.int32)
    a = mx.array(v)
    check(mx.repeat(a, 2), np.repeat(v, 2))
    check(mx.repeat(a, 2, axis=1), np.repeat(v, 2, axis=1))
    check(mx.repeat(a, 3, axis=-2), np.repeat(v, 3, axis=-2))
    check(mx.repeat(a, 0, axis=0), np.repeat(v, 0, axis=0))
    check(mx.repeat(mx.array(3), 3), [3, 3, 3])
    assert_raises_like(lambda: mx.repeat(a, -1), lambda: mlx.repeat(mlx.array(v), -1))
    assert_raises_like(lambda: mx.repeat(a, 2, 2), lambda: mlx.repeat(mlx.array(v), 2, 2))
    for reps in [2, (2, 2), (2, 1, 2), (1,), (3, 1)]:
        check(mx.tile(a, reps), np.tile(v, reps))
    check(mx.tile(mx.array([1, 2]), (2, 2)), np.tile([1, 2], (2, 2)))


def test_tile_zero():
    check(mx.tile(mx.array([[1, 2]]), 0), np.zeros((1, 0)))


def test_pad():
    v = np.array([[1, 2], [3, 4]], np.int32)
    a = mx.array(v)
    check(mx.pad(a, 1), np.pad(v, 1))
    check(mx.pad(a, ((1, 0), (0, 2)), constant_values=9),
          np.pad(v, ((1, 0), (0, 2)), constant_values=9))
    check(mx.pad(a, (1, 2)), np.pad(v, (1, 2)))  # (before, after) for every axis
    check(mx.pad(a, [(1, 2)]), np.pad(v, [(1, 2)]))
    check(mx.pad(a, [[0, 1], [2, 0]]), np.pad(v, [[0, 1], [2, 0]]))
    check(mx.pad(a, 1, mode="edge"), np.pad(v, 1, mode="edge"))
    check(mx.pad(a, ((2, 1), (0, 3)), mode="edge"), np.pad(v, ((2, 1), (0, 3)), mode="edge"))
    check(mx.pad(mx.array([1.5, 2.5]), 1, constant_values=-1), [-1, 1.5, 2.5, -1])
    check(mx.pad(mx.array([1, 2]), 1, constant_values=2.5), [2, 1, 2, 2], dtype="int32")
    check(mx.pad(a, 0), v)
    assert_raises_like(lambda: mx.pad(a, -1), lambda: mlx.pad(mlx.array(v), -1))
    assert_raises_like(lambda: mx.pad(a, ((1, 0), (0, 2), (1, 1))),
                       lambda: mlx.pad(mlx.array(v), ((1, 0), (0, 2), (1, 1))))


# ----------------------------------------------------------------- where / clip


def test_where():
    c = np.array([True, False, True])
    x = np.array([[1, 2, 3]], np.int32)
    y = np.array([[10.5], [20.5]], np.float32)
    r, m = mx.where(mx.array(c), mx.array(x), mx.array(y)), mlx.where(
        mlx.array(c), mlx.array(x), mlx.array(y))
    assert same_dtype(r.dtype, m.dtype)
    check(r, np.where(c, x, y))
    check(mx.where(mx.array(c), 1, 2.5), np.where(c, 1, 2.5), dtype="float32")
    check(mx.where(mx.array([1, 0]), 1, 2), [1, 2], dtype="int32")
    check(mx.where(mx.array([np.nan, 0.0]), 1, 2), [1, 2])
    check(mx.where(mx.array(True), mx.array([1, 2]), 0), [1, 2])
    check(mx.where(mx.array([True, False]), mx.array([1, 2], mx.int8), 7), [1, 7],
          dtype="int8")
    check(mx.where(mx.zeros((0, 2)) > 0, 1.0, 2.0), np.zeros((0, 2)))
    assert_raises_like(lambda: mx.where(mx.array([True, False, True]), mx.array([1, 2]), 0),
                       lambda: mlx.where(mlx.array([True, False, True]), mlx.array([1, 2]),
                                         0))
    assert_raises_like(lambda: mx.where(mx.array([True]), mx.array([1], mx.int8), 1000),
                       lambda: mlx.where(mlx.array([True]), mlx.array([1], mlx.int8), 1000))


def test_clip():
    v = np.array([1, 5, 10], np.int32)
    a = mx.array(v)
    check(mx.clip(a, 2, 8), np.clip(v, 2, 8), dtype="int32")
    check(mx.clip(a, None, 8), np.clip(v, None, 8))
    check(mx.clip(a, 2, None), np.clip(v, 2, None))
    check(mx.clip(a, 2.5, 8), [2.5, 5, 8], dtype="float32")
    check(mx.clip(a, mx.array([0, 6, 0]), mx.array([2, 7, 9])), [1, 6, 9])
    check(mx.clip(mx.array([np.nan, 1.0, -np.inf]), 0, 0.5), [np.nan, 0.5, 0])
    check(mx.clip(mx.array([[1.0], [3.0]]), mx.array([0.0, 2.0]), 2.5),
          np.clip([[1.0], [3.0]], [0.0, 2.0], 2.5))
    assert_raises_like(lambda: mx.clip(a, None, None), lambda: mlx.clip(mlx.array(v), None,
                                                                        None))


# ----------------------------------------------------------------- sorting


def test_sort_argsort():
    x = np.array([[3.0, 1.0, 2.0, 1.0], [np.nan, -1.0, 5.0, -np.inf]], np.float32)
    a = mx.array(x)
    outs = [mx.sort(a), mx.sort(a, axis=0), mx.sort(a, axis=None), mx.argsort(a),
            mx.argsort(a, axis=0), mx.argsort(a, axis=None), a.sort(), mx.sort(a, -2)]
    check(outs[0], np.sort(x))  # NaN last, as NumPy
    check(outs[1], np.sort(x, axis=0))
    check(outs[2], np.sort(x, axis=None))
    check(outs[3], np.argsort(x, kind="stable"), dtype="uint32")
    check(outs[4], np.argsort(x, axis=0, kind="stable"))
    check(outs[5], np.argsort(x, axis=None, kind="stable"))
    check(outs[6], np.sort(x))
    check(outs[7], np.sort(x, axis=0))
    # stability and other dtypes
    s = np.array([2, 1, 2, 1, 0, 2], np.int32)
    check(mx.argsort(mx.array(s)), np.argsort(s, kind="stable"))
    for name in ("int8", "uint8", "bool", "float16", "int64", "bfloat16"):
        v = data((7,), name, seed=3)
        r = mx.sort(mx.array(v, mxd(name)))
        check(r, np.sort(v.astype(np.float32) if name == "bfloat16" else v), dtype=name)
    assert_raises_like(lambda: mx.sort(a, axis=2), lambda: mlx.sort(mlx.array(x), axis=2))
    assert_raises_like(lambda: mx.sort(mx.array(1.0)), lambda: mlx.sort(mlx.array(1.0)))


def test_topk_partition():
    v = np.array([3, 1, 4, 1, 5, 9, 2], np.int32)
    a = mx.array(v)
    for k in (0, 1, 3, 7):
        r = mx.topk(a, k)
        assert r.shape == (k,)
        check(mx.sort(r), np.sort(v)[len(v) - k:])
    m2 = np.array([[3, 1], [4, 1], [5, 9]], np.int32)
    check(mx.sort(mx.topk(mx.array(m2), 2, axis=0), axis=0), np.sort(m2, axis=0)[1:])
    check(mx.sort(mx.topk(mx.array(m2), 2, axis=None)), [5, 9])
    check(mx.topk(mx.array(m2), 1, axis=-1), mlx_np(mlx.topk(mlx.array(m2), 1, axis=-1)))
    for kth in (0, 3, -2, 6):
        p = np.array(mx.partition(a, kth))
        pi = np.array(mx.argpartition(a, kth))
        k = kth % len(v)
        s = np.sort(v)
        assert p[k] == s[k] and (p[:k] <= p[k]).all() and (p[k + 1:] >= p[k]).all()
        np.testing.assert_array_equal(np.sort(v[pi]), s)
        assert v[pi[k]] == s[k] and (v[pi[:k]] <= s[k]).all()
    for fn in (lambda M: M.topk(M.array([3, 1]), 3), lambda M: M.topk(M.array([3, 1]), -1),
               lambda M: M.partition(M.array([3, 1, 4]), 3),
               lambda M: M.topk(M.array([3, 1]), 1, axis=1)):
        assert_raises_like(lambda: fn(mx), lambda: fn(mlx))


# ----------------------------------------------------------------- linear algebra


@pytest.mark.parametrize("shapes", [((2, 3), (3, 4)), ((3,), (3, 4)), ((3,), (3,)),
                                    ((2, 3), (3,)), ((2, 1, 2, 3), (5, 3, 4)),
                                    ((4, 2, 3), (3, 2))], ids=str)
def test_matmul_shapes(shapes):
    s1, s2 = shapes
    x, y = data(s1, "float32", 1), data(s2, "float32", 2)
    check(mx.matmul(mx.array(x), mx.array(y)), x @ y, rtol=1e-5, atol=1e-5)
    check(mx.array(x) @ mx.array(y), x @ y, rtol=1e-5, atol=1e-5)


def test_matmul_dtypes_and_errors():
    x, y = data((2, 3), "float32", 1), data((3, 4), "float32", 2)
    for n1, n2 in [("float16", "float32"), ("float64", "float64"), ("bfloat16", "bfloat16"),
                   ("int32", "float32"), ("float16", "float16")]:
        with on_gpu_refuses(n1, n2):
            a, b = mx.array(x, mxd(n1)), mx.array(y, mxd(n2))
            r, m = mx.matmul(a, b), mlx.matmul(to_mlx(a), to_mlx(b))
            assert same_dtype(r.dtype, m.dtype), (n1, n2)
            check(r, np.array(a).astype(np.float64) @ np.array(b).astype(np.float64)
                  if n1 != "bfloat16" else mlx_np(m), rtol=2e-2, atol=2e-2)
    check(mx.matmul(mx.zeros((2, 0)), mx.zeros((0, 3))), np.zeros((2, 3)))
    for fn in (lambda M: M.matmul(M.ones((2, 3)), M.ones((4, 3))),
               lambda M: M.matmul(M.ones((2, 3), M.int32), M.ones((3, 4), M.int32)),
               lambda M: M.matmul(M.array(1.0), M.ones((3, 4))),
               lambda M: M.matmul(M.ones((2, 2, 3)), M.ones((3, 3, 4)))):
        assert_raises_like(lambda: fn(mx), lambda: fn(mlx))


# f32/f64 matmuls call BLAS with each operand's strides: transposes and unit-stride
# views go straight in, other views are packed, a fused elementwise producer feeds it.
BLAS_VIEWS = {
    "plain": lambda x, y: (x, y),
    "lhs_T": lambda x, y: (x.T, y),
    "both_T": lambda x, y: (x.T, y.T),
    "row_step": lambda x, y: (x[::2], y),
    "col_step": lambda x, y: (x[:, ::3], y[::3]),
    "negative": lambda x, y: (x[::-1, ::-1], y[::-1]),
    "scaled": lambda x, y: (x * 2 + 1, y),
}


@pytest.mark.parametrize("view", sorted(BLAS_VIEWS))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_matmul_blas_views(view, dtype):
    tol = 1e-4 if dtype == "float32" else 1e-12
    x, y = data((12, 12), dtype, 1), data((12, 12), dtype, 2)[:, :9]
    if view == "both_T":
        y = y.T.copy()
    a, b = BLAS_VIEWS[view](x, y)
    r = BLAS_VIEWS[view](mx.array(x, mxd(dtype)), mx.array(y, mxd(dtype)))
    check(r[0] @ r[1], a @ b, rtol=tol, atol=tol)
    check((r[0] @ r[1]).T @ r[0], (a @ b).T @ a, rtol=tol, atol=tol)


def test_matmul_blas_batched_and_broadcast():
    x, y = data((3, 1, 4, 5), "float32", 1), data((2, 5, 6), "float32", 2)
    check(mx.array(x) @ mx.array(y), x @ y, rtol=1e-5, atol=1e-5)
    check(mx.array(x).swapaxes(-1, -2)[..., :3, :] @ mx.array(y)[:, :4],
          x.swapaxes(-1, -2)[..., :3, :] @ y[:, :4], rtol=1e-5, atol=1e-5)
    big = data((300, 200), "float32", 3)
    check(mx.array(big) @ mx.array(big).T, big @ big.T, rtol=1e-4, atol=1e-3)


def test_matmul_without_blas_matches():
    """MXC_BLAS=0 runs the runtime's own loop: the same numbers."""
    import subprocess
    import sys
    from mxc import _compiler
    assert "openblas" in _compiler.loaded_blas()  # NumPy's, by default
    code = ("import numpy as np, mxc.core as mx\n"
            "x = np.arange(24, dtype=np.float32).reshape(4, 6) / 7\n"
            "r = np.array(mx.array(x).T[::2] @ mx.array(x)[:, 1::2])\n"
            "from mxc import _compiler\n"
            "assert _compiler.loaded_blas() == '', _compiler.loaded_blas()\n"
            "np.testing.assert_allclose(r, x.T[::2] @ x[:, 1::2], rtol=1e-6)\n"
            "print('ok')\n")
    env = dict(__import__("os").environ, MXC_BLAS="0")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.stdout.strip() == "ok", out.stderr


def test_matmul_empty_result():
    check(mx.matmul(mx.zeros((0, 2)), mx.zeros((2, 3))), np.zeros((0, 3)))


def test_addmm():
    c, a, b = data((2, 4), "float32", 0), data((2, 3), "float32", 1), data((3, 4), "float32", 2)
    check(mx.addmm(mx.array(c), mx.array(a), mx.array(b), alpha=2.0, beta=0.5),
          2 * a @ b + 0.5 * c, rtol=1e-5, atol=1e-5)


def test_inner_outer_tensordot():
    a = np.arange(6.0, dtype=np.float32).reshape(2, 3)
    b = np.arange(3.0, dtype=np.float32)
    check(mx.inner(mx.array(a), mx.array(b)), np.inner(a, b))
    check(mx.inner(mx.array(a), mx.array(a)), np.inner(a, a))
    check(mx.inner(mx.array(2.0), mx.array(b)), np.inner(2.0, b))
    check(mx.outer(mx.array(b), mx.array([1.0, 2.0])), np.outer(b, [1.0, 2.0]))
    check(mx.outer(mx.array(a), mx.array([1.0, 2.0])), np.outer(a, [1.0, 2.0]))
    check(mx.outer(mx.array([1, 2]), mx.array([3, 4])), np.outer([1, 2], [3, 4]),
          dtype="int32")
    t3 = np.arange(24.0, dtype=np.float32).reshape(2, 3, 4)
    for other, axes in [(np.arange(12.0, dtype=np.float32).reshape(3, 4), 2),
                        (np.arange(6.0, dtype=np.float32).reshape(3, 2), ([1], [0])),
                        (np.arange(8.0, dtype=np.float32).reshape(2, 4), ([0, 2], [0, 1])),
                        (np.arange(8.0, dtype=np.float32).reshape(4, 2), ([-1], [0])),
                        (np.arange(2.0, dtype=np.float32), 0)]:
        check(mx.tensordot(mx.array(t3), mx.array(other), axes=axes),
              np.tensordot(t3, other, axes=axes))
    for fn in (lambda M: M.inner(M.ones((2, 3)), M.ones((2,))),
               lambda M: M.tensordot(M.arange(2.0), M.arange(3.0), 1)):
        assert_raises_like(lambda: fn(mx), lambda: fn(mlx))


def test_diag_diagonal_tril_triu():
    m34 = np.arange(12, dtype=np.int32).reshape(3, 4)
    t = np.arange(24, dtype=np.int32).reshape(2, 3, 4)
    a, b = mx.array(m34), mx.array(t)
    outs = [mx.diag(mx.array([1, 2, 3])), mx.diag(mx.array([1, 2]), k=1),
            mx.diag(mx.array([1, 2]), k=-2), mx.diag(a, 1), mx.diag(a, -2), mx.diag(a, 5),
            mx.diagonal(b, 1, 1, 2), mx.diagonal(b, 0, 0, 2), mx.diagonal(b, -1, -1, 0),
            mx.tril(a), mx.tril(a, 1), mx.triu(a, -1), mx.triu(b, 1), a.diagonal(),
            mx.diagonal(a, 0, 1, 0)]
    refs = [np.diag([1, 2, 3]), np.diag([1, 2], 1), np.diag([1, 2], -2), np.diag(m34, 1),
            np.diag(m34, -2), np.diag(m34, 5), np.diagonal(t, 1, 1, 2),
            np.diagonal(t, 0, 0, 2), np.diagonal(t, -1, -1, 0), np.tril(m34),
            np.tril(m34, 1), np.triu(m34, -1), np.triu(t, 1), np.diagonal(m34),
            np.diagonal(m34, 0, 1, 0)]
    mx.eval([o for o in outs if o.size])
    for o, r in zip(outs, refs):
        check(o, r, dtype="int32")
    check(mx.tril(mx.ones((2, 2), mx.bool_)), np.tril(np.ones((2, 2), bool)))
    for fn in (lambda M: M.diag(M.ones((2, 2, 2))), lambda M: M.diag(M.array(1)),
               lambda M: M.diagonal(M.arange(24).reshape(2, 3, 4), 0, 1, 1),
               lambda M: M.diagonal(M.arange(3)), lambda M: M.tril(M.arange(3)),
               lambda M: M.triu(M.arange(3))):
        assert_raises_like(lambda: fn(mx), lambda: fn(mlx))


# ----------------------------------------------------------------- creation


def test_arange():
    cases = [((5,), {}), ((0, 1, 0.25), {}), ((5, 0, -2), {}), ((5, 0), {}), ((2.5,), {}),
             ((5,), {"dtype": "float16"}), ((0.5, 5), {"dtype": "int32"}),
             ((2**31, 2**31 + 3), {}), ((3,), {"dtype": "uint8"}), ((0.1, 0.35, 0.1), {}),
             ((3,), {"dtype": "int64"}), ((0, 1, 0.3), {"dtype": "float64"}),
             ((-3, 3), {"dtype": "bfloat16"}), ((1, -1, -0.5), {})]
    for args, kw in cases:
        with on_gpu_refuses(kw.get("dtype", "")):
            r = mx.arange(*args, **{k: mxd(v) for k, v in kw.items()})
            m = mlx.arange(*args, **{k: mlxd(v) for k, v in kw.items()})
            assert same_dtype(r.dtype, m.dtype), (args, kw)
            check(r, mlx_np(m))
            if not kw:
                check(r, np.arange(*args), rtol=1e-6, atol=1e-6)
    check(mx.arange(start=1, stop=4), [1, 2, 3])
    for fn in (lambda M: M.arange(0, 5, 0), lambda M: M.arange(3, dtype=M.bool_)):
        assert_raises_like(lambda: fn(mx), lambda: fn(mlx))


def test_linspace():
    for args, dt in [((0, 1, 5), None), ((0, 1, 1), None), ((5, -5, 3), None),
                     ((0, 10, 4), "int32"), ((0, 49), None), ((-1.5, 2.5, 9), "float16"),
                     ((0, 1, 7), "float64")]:
        with on_gpu_refuses(dt or ""):
            r = mx.linspace(*args, dtype=mxd(dt)) if dt else mx.linspace(*args)
            m = mlx.linspace(*args, dtype=mlxd(dt)) if dt else mlx.linspace(*args)
            assert same_dtype(r.dtype, m.dtype)
            check(r, mlx_np(m), rtol=1e-6, atol=1e-6)
        if dt is None:
            check(r, np.linspace(*args), rtol=1e-6, atol=1e-6)
    assert mx.linspace(0, 1, 0).shape == (0,)
    assert_raises_like(lambda: mx.linspace(0, 1, -1), lambda: mlx.linspace(0, 1, -1))


def test_eye_identity_tri():
    outs = [mx.eye(3), mx.eye(2, 4, 1), mx.eye(3, k=-1, dtype=mx.int32),
            mx.identity(2, mx.bool_), mx.tri(3), mx.tri(2, 4, 1, mx.int32), mx.eye(3, 2, -5)]
    refs = [np.eye(3), np.eye(2, 4, 1), np.eye(3, k=-1, dtype=np.int32),
            np.identity(2, bool), np.tri(3), np.tri(2, 4, 1, dtype=np.int32), np.eye(3, 2, -5)]
    dts = ["float32", "float32", "int32", "bool", "float32", "int32", "float32"]
    mx.eval(outs)
    for o, r, d in zip(outs, refs, dts):
        check(o, r, dtype=d)


def test_eye_empty():
    check(mx.eye(0), np.zeros((0, 0)))


def test_full_zeros_ones():
    cases = [lambda M: M.full((2, 3), 7), lambda M: M.full((2,), 7.5),
             lambda M: M.full((2, 3), M.array([1, 2, 3])), lambda M: M.full(3, True),
             lambda M: M.zeros((2,), M.int8), lambda M: M.zeros(3), lambda M: M.ones((2, 1),
                                                                                     M.bool_),
             lambda M: M.ones(()), lambda M: M.zeros_like(M.array([1, 2], M.uint16)),
             lambda M: M.ones_like(M.array([[1.5]])), lambda M: M.full_like(M.array([1, 2]),
                                                                            2.5),
             lambda M: M.full_like(M.array([1, 2]), 2.5, dtype=M.float16),
             lambda M: M.zeros((2, 3), M.complex64)]
    for k, fn in enumerate(cases):
        with on_gpu_refuses("complex64" if k == len(cases) - 1 else ""):
            r, m = fn(mx), fn(mlx)
            assert same_dtype(r.dtype, m.dtype)
            check(r, mlx_np(m))
    check(mx.full((2,), 7.5, mx.int32), [7, 7], dtype="int32")  # NumPy's full
    for fn in (lambda M: M.full((2, 3), M.array([1, 2])), lambda M: M.full((-1,), 1),
               lambda M: M.zeros((2, -1))):
        assert_raises_like(lambda: fn(mx), lambda: fn(mlx))


# ----------------------------------------------------------------- comparisons


def test_isclose_allclose_array_equal():
    inf, nan = np.inf, np.nan
    x = np.array([1.0, 1.00001, nan, inf, -inf, 1e-9], np.float32)
    y = np.array([1.0, 1.0, nan, inf, inf, 0.0], np.float32)
    check(mx.isclose(mx.array(x), mx.array(y)), np.isclose(x, y), dtype="bool")
    check(mx.isclose(mx.array(x), mx.array(y), equal_nan=True), np.isclose(x, y,
                                                                          equal_nan=True))
    check(mx.isclose(mx.array([1.0, 2.0]), mx.array([1.1, 2.5]), rtol=0.1, atol=0.0),
          np.isclose([1.0, 2.0], [1.1, 2.5], rtol=0.1, atol=0.0))
    check(mx.isclose(mx.array([1, 2]), mx.array([1, 3])), [True, False])
    check(mx.isclose(mx.array([[1.0], [2.0]]), mx.array([1.0, 2.0])),
          np.isclose([[1.0], [2.0]], [1.0, 2.0]))
    assert mx.allclose(mx.array([1.0, 2.0]), mx.array([1.0, 2.0000001])).item() is True
    assert mx.allclose(mx.array([nan]), mx.array([nan])).item() is False
    assert mx.allclose(mx.array([nan]), mx.array([nan]), equal_nan=True).item() is True
    assert mx.allclose(mx.array([1.0]), mx.array([1.1]), atol=0.2).item() is True
    assert mx.array_equal(mx.array([1, 2]), mx.array([1.0, 2.0])).item() is True
    assert mx.array_equal(mx.array([1, 2]), mx.array([[1, 2]])).item() is False
    assert mx.array_equal(mx.array([nan]), mx.array([nan])).item() is False
    assert mx.array_equal(mx.array([nan]), mx.array([nan]), equal_nan=True).item() is True
    assert mx.array_equal(mx.array([True]), mx.array([1])).item() is True
    r = mx.array_equal(mx.array([1, 2]), mx.array([1, 3]))
    assert r.dtype == mx.bool_ and r.shape == () and r.item() is False


def test_nan_to_num():
    x = np.array([np.nan, np.inf, -np.inf, 1.0], np.float32)
    check(mx.nan_to_num(mx.array(x)), np.nan_to_num(x))
    check(mx.nan_to_num(mx.array(x), 5.0, 100, -100), np.nan_to_num(x, nan=5.0, posinf=100,
                                                                    neginf=-100))
    for name in ("float16", "bfloat16"):
        r = mx.nan_to_num(mx.array(x, mxd(name)))
        m = mlx.nan_to_num(mlx.array(x).astype(mlxd(name)))
        check(r, mlx_np(m), dtype=name)
    check(mx.nan_to_num(mx.array([1, 2])), [1, 2], dtype="int32")


def test_einsum():
    rng = np.random.default_rng(0)
    a = rng.random((2, 3), np.float32)
    b = rng.random((3, 4), np.float32)
    c = rng.random((4,), np.float32)
    e = np.eye(3, dtype=np.float32) * 2
    cases = [("ij,jk->ik", (a, b)), ("ij->ji", (a,)), ("ii->i", (e,)), ("ii", (e,)),
             ("ij,jk,k->i", (a, b, c)), ("i,i->", (c, c)), ("ij->", (a,)),
             ("bij,bjk->bik", (rng.random((2, 2, 3), np.float32),
                               rng.random((2, 3, 2), np.float32))),
             ("i,j->ij", (c, c)), ("...j,jk->...k", (a, b)), ("ij,kj", (a, a))]
    for sub, ops in cases:
        check(mx.einsum(sub, *[mx.array(o) for o in ops]), np.einsum(sub, *ops),
              rtol=1e-5, atol=1e-5)
    for fn in (lambda M: M.einsum("ij,jk->ik", M.ones((2, 3)), M.ones((2, 3))),
               lambda M: M.einsum("ij->k", M.ones((2, 3))),
               lambda M: M.einsum("ij,jk->ik", M.ones((2, 3)))):
        assert_raises_like(lambda: fn(mx), lambda: fn(mlx))
