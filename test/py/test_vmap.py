"""vmap against Python loops, composition with grad/jvp, and its errors."""

import numpy as np
import pytest

import mxc.core as mx

# Every test runs with the CPU and with the GPU as default device (conftest.py).
pytestmark = pytest.mark.usefixtures("on_device")

RNG = np.random.default_rng(1)


def arr(*shape, dtype=np.float32):
    return mx.array(RNG.normal(size=shape).astype(dtype))


def loop(fun, args, in_axes, out_axis=0):
    """The reference: fun applied per batch element, stacked at out_axis."""
    size = next(a.shape[ax] for a, ax in zip(args, in_axes) if ax is not None)
    outs = []
    for i in range(size):
        sl = [a if ax is None else mx.take(a, mx.array(i), axis=ax) for a, ax in
              zip(args, in_axes)]
        outs.append(fun(*sl))
    return mx.stack(outs, axis=out_axis)


def check(fun, args, in_axes, out_axes=0, rtol=1e-5):
    got = mx.vmap(fun, in_axes=tuple(in_axes), out_axes=out_axes)(*args)
    want = loop(fun, args, in_axes, out_axes)
    assert got.shape == want.shape
    np.testing.assert_allclose(np.array(got), np.array(want), rtol=rtol, atol=1e-6)


def test_guide_vmap_add_matches_transpose():
    xs = mx.random.uniform(shape=(4096, 100))
    ys = mx.random.uniform(shape=(100, 4096))

    def naive_add(xs, ys):
        return [xs[i] + ys[:, i] for i in range(xs.shape[1])]

    vmap_add = mx.vmap(lambda x, y: x + y, in_axes=(1, 0))
    got = vmap_add(xs, ys)
    np.testing.assert_array_equal(np.array(got), np.array(xs + ys.T).T)
    # The guide's loop takes rows of xs (its example is contrived): row i + column i.
    want = np.array(xs)[:100] + np.array(ys)[:, :100].T
    np.testing.assert_array_equal(np.array(mx.stack(naive_add(xs, ys))), want)


CASES = {
    "elementwise": (lambda x, y: mx.sin(x) * y + 1.0, [(3, 4), (3, 4)], [0, 0]),
    "broadcast_unbatched": (lambda x, y: x * y, [(3, 4), (4,)], [0, None]),
    "axis1": (lambda x, y: x - y, [(4, 3), (3, 4)], [1, 0]),
    "sum": (lambda x: mx.sum(x, axis=0), [(5, 3, 4)], [1]),
    "mean_keepdims": (lambda x: mx.mean(x, axis=-1, keepdims=True), [(2, 3, 4)], [0]),
    "max": (lambda x: mx.max(x), [(3, 4)], [0]),
    "argmax": (lambda x: mx.argmax(x, axis=0), [(3, 4, 5)], [2]),
    "matmul_both": (lambda a, b: a @ b, [(3, 2, 4), (3, 4, 5)], [0, 0]),
    "matmul_one": (lambda a, b: a @ b, [(3, 2, 4), (4, 5)], [0, None]),
    "matvec": (lambda a, v: a @ v, [(2, 3, 4), (4, 2)], [None, 1]),
    "reshape_transpose": (lambda x: x.reshape(2, 6).T, [(3, 12)], [0]),
    "slice": (lambda x: x[1:3, ::2], [(4, 3, 5)], [1]),
    "int_index": (lambda x: x[2], [(4, 3, 5)], [0]),
    "gather_batched_indices": (lambda x, i: x[i], [(4, 6), None], [0, 0]),
    "take_unbatched_indices": (lambda x: mx.take(x, mx.array([2, 0, 2]), axis=0),
                               [(4, 3)], [1]),
    "concatenate": (lambda x, y: mx.concatenate([x, y], axis=0), [(3, 2), (3, 4)], [0, 0]),
    "pad": (lambda x: mx.pad(x, [(1, 2)]), [(3, 4)], [0]),
    "cumsum": (lambda x: mx.cumsum(x, axis=0, reverse=True), [(3, 5)], [0]),
    "sort": (lambda x: mx.sort(x), [(3, 6)], [1]),
    "softmax": (lambda x: mx.softmax(x, axis=-1), [(3, 5)], [0]),
    "where": (lambda x: mx.where(x > 0, x, 0.0), [(3, 4)], [0]),
    "setitem": (lambda x: _set(x), [(3, 4)], [0]),
    "at_add": (lambda x: x.at[mx.array([0, 0, 2])].add(1.0), [(3, 4)], [0]),
}


def _set(x):
    y = x * 1.0
    y[1] = 5.0
    return y


@pytest.mark.parametrize("name", sorted(CASES))
def test_vmap_matches_loop(name):
    fun, shapes, axes = CASES[name]
    args = []
    for s, ax in zip(shapes, axes):
        if s is None:  # batched integer indices
            args.append(mx.array(RNG.integers(0, 6, size=(4, 2)).astype(np.int32)))
        else:
            args.append(arr(*s))
    check(fun, args, axes)


def test_out_axes_and_trees():
    x, y = arr(3, 4), arr(3, 4)
    f = mx.vmap(lambda d: {"s": d["a"] + d["b"], "p": d["a"] * d["b"]},
                in_axes=({"a": 0, "b": 1},), out_axes={"s": 1, "p": 0})
    out = f({"a": x, "b": y.T})
    np.testing.assert_allclose(np.array(out["s"]), (np.array(x) + np.array(y)).T, rtol=1e-6)
    np.testing.assert_allclose(np.array(out["p"]), np.array(x) * np.array(y), rtol=1e-6)


def test_nested_vmap():
    x = arr(2, 3, 4)
    f = mx.vmap(mx.vmap(lambda v: (v * v).sum()))
    np.testing.assert_allclose(np.array(f(x)), (np.array(x) ** 2).sum(-1), rtol=1e-5)


def test_vmap_of_grad():
    x = arr(5, 3)
    g = mx.vmap(mx.grad(lambda v: (mx.sin(v) * v).sum()))(x)
    xn = np.array(x)
    np.testing.assert_allclose(np.array(g), np.cos(xn) * xn + np.sin(xn), rtol=1e-5)


def test_grad_of_vmap_through_reduction():
    w = arr(3)
    xs = arr(4, 3)
    f = lambda w: mx.vmap(lambda x: mx.tanh((w * x).sum()), in_axes=(0,))(xs).sum()  # noqa
    g = mx.grad(f)(w)
    t = np.tanh(np.array(xs) @ np.array(w))
    np.testing.assert_allclose(np.array(g), ((1 - t ** 2)[:, None] * np.array(xs)).sum(0),
                               rtol=1e-5)


def test_jvp_of_vmap():
    x, t = arr(4, 3), arr(4, 3)
    _, (jt,) = mx.jvp(mx.vmap(lambda v: mx.exp(v).sum()), [x], [t])
    np.testing.assert_allclose(np.array(jt), (np.exp(np.array(x)) * np.array(t)).sum(1),
                               rtol=1e-5)


def test_errors():
    with pytest.raises(ValueError, match="Inconsistent axis sizes"):
        mx.vmap(lambda a, b: a + b)(arr(3, 2), arr(4, 2))
    with pytest.raises(ValueError, match="out of bounds"):
        mx.vmap(lambda a: a, in_axes=2)(arr(3, 2))
    with pytest.raises(ValueError, match="scalar"):
        mx.vmap(lambda a: a)(mx.array(1.0))
    with pytest.raises(ValueError, match="number of in axes"):
        mx.vmap(lambda a: a, in_axes=(0, 0))(arr(3))

    def concretize(v):
        if v.sum() > 0:
            return v
        return -v

    with pytest.raises(ValueError, match="vmap"):
        mx.vmap(concretize)(arr(3, 2))


# Every op's batching rule against the loop: one case per dialect op family.
UNARY_OPS = ["abs", "negative", "sign", "square", "exp", "expm1", "log1p", "sin", "cos",
             "tan", "arctan", "sinh", "cosh", "tanh", "arcsinh", "sqrt", "rsqrt",
             "reciprocal", "floor", "ceil", "round", "erf", "sigmoid", "isnan", "isinf",
             "stop_gradient", "logical_not"]


@pytest.mark.parametrize("name", UNARY_OPS)
def test_vmap_unary_ops(name):
    x = mx.abs(arr(3, 4)) + 0.5
    check(getattr(mx, name), [x], [1])


BINARY_OPS = ["add", "subtract", "multiply", "divide", "floor_divide", "remainder", "power",
              "maximum", "minimum", "arctan2", "logaddexp", "equal", "not_equal", "less",
              "less_equal", "greater", "greater_equal", "logical_and", "logical_or"]


@pytest.mark.parametrize("name", BINARY_OPS)
def test_vmap_binary_ops(name):
    x, y = mx.abs(arr(3, 4)) + 0.5, mx.abs(arr(4)) + 0.5
    check(getattr(mx, name), [x, y], [0, None])
    check(getattr(mx, name), [x, x.T], [1, 0])


def test_vmap_integer_bitwise_ops():
    a = mx.array(RNG.integers(0, 64, size=(3, 4)).astype(np.int32))
    b = mx.array(RNG.integers(0, 5, size=(3, 4)).astype(np.int32))
    for f in (mx.bitwise_and, mx.bitwise_or, mx.bitwise_xor, mx.left_shift, mx.right_shift):
        check(f, [a, b], [0, 0])
    check(mx.bitwise_invert, [a], [1])
    check(lambda v: v.astype(mx.float32) / 2, [a], [0])


SHAPED = {
    "prod": lambda x: mx.prod(x, axis=0),
    "min": lambda x: mx.min(x, axis=-1),
    "all_any": lambda x: mx.all(x > 0) | mx.any(x > 1, axis=0),
    "argmin": lambda x: mx.argmin(x, axis=1),
    "cumprod": lambda x: mx.cumprod(x, axis=1),
    "cummax": lambda x: mx.cummax(x, axis=0, reverse=True),
    "cummin": lambda x: mx.cummin(x, axis=1, inclusive=False),
    "argsort": lambda x: mx.argsort(x, axis=0),
    "topk": lambda x: mx.topk(x, 2, axis=1),
    "logsumexp": lambda x: mx.logsumexp(x, axis=1),
    "swap_flatten": lambda x: mx.swapaxes(x, 0, 1).flatten(),
    "expand_squeeze": lambda x: mx.squeeze(mx.expand_dims(x, 1), 1) * 2,
    "tile_repeat": lambda x: mx.repeat(mx.tile(x, (1, 2)), 2, axis=0),
    "split_stack": lambda x: mx.stack(mx.split(x, 2, axis=1), axis=0).sum(0),
    "iota_inside": lambda x: x * mx.arange(x.shape[1]) + mx.eye(3, x.shape[1]),
    "broadcast_to": lambda x: mx.broadcast_to(x[:, None, :], (3, 2, 4)),
    "pad_edge": lambda x: mx.pad(x, [(0, 1), (2, 0)], mode="edge"),
    "clip_where": lambda x: mx.clip(x, -0.5, 0.5) + mx.where(x > 0, 1.0, -1.0),
    "take_along_axis": lambda x: mx.take_along_axis(x, mx.argsort(x, axis=1), axis=1),
    "put_along_axis": lambda x: mx.put_along_axis(x, mx.array([[0], [1], [2]]), 9.0, axis=1),
    "at_ops": lambda x: x.at[mx.array([0, 0])].maximum(0.5).at[mx.array([1, 2])].multiply(2.0)
    .at[mx.array([2])].minimum(-0.5).at[mx.array([1, 1])].subtract(1.0),
    "dynamic_slice": lambda x: x[1:3],
    "strided_negative": lambda x: x[::-1, ::2],
    "diag_tril": lambda x: mx.tril(x[:, :3]) + mx.diag(x[0, :3]),
    "matmul_T": lambda x: x @ x.T,
    "einsum": lambda x: mx.einsum("ij,kj->ik", x, x),
    "var_std": lambda x: mx.var(x, axis=0) + mx.std(x),
    "softmax_precise": lambda x: mx.softmax(x.astype(mx.float16), axis=0).astype(mx.float32),
}


@pytest.mark.parametrize("name", sorted(SHAPED))
def test_vmap_shape_and_reduction_ops(name):
    check(SHAPED[name], [arr(5, 3, 4)], [0], rtol=2e-3 if "precise" in name else 1e-5)


def test_vmap_batched_dynamic_indices():
    """Batched starts (dynamic_slice / dynamic_update_slice) and batched gathers."""
    x = arr(6, 5)
    idx = mx.array(np.array([0, 3, 1, 4], np.int32))

    def read(i):
        return x[i]  # batched start: a gather

    def write(i):
        y = x * 1.0
        y[i] = 0.0  # batched start: a scatter
        return y

    check(read, [idx], [0])
    check(write, [idx], [0])
    check(lambda v, i: mx.take(v, i, axis=0), [arr(4, 6, 3), mx.array(np.array([[0, 2], [5, 1], [3, 3], [1, 0]], np.int32))], [0, 0])


def test_vmap_random_with_batched_key_is_a_clear_error():
    keys = mx.random.split(mx.random.key(0), 3)
    with pytest.raises(ValueError, match="vmap not implemented for array.random_bits"):
        mx.eval(mx.vmap(lambda k: mx.random.uniform(shape=(2,), key=k))(keys))
