"""Row fusion on the CPU (mxc-fuse-rows): reductions and their consumers computed
per block of rows. Shapes are large enough to be tiled (more than 16384 elements),
row counts are not multiples of the tile, and results are checked against NumPy
in float64 and against MLX; gradients of the fused programs against NumPy's
closed forms."""

import numpy as np
import pytest

import mxc.compiler
import mxc.core as mx
import mxc.nn as nn
from mxc import _compiler

SHAPES = [(300, 100), (7, 5000), (3, 7, 2001), (1000, 17), (2, 70000), (1025, 64)]
RNG = np.random.default_rng(0)


def _data(shape, scale=3.0):
    return (RNG.standard_normal(shape) * scale).astype(np.float32)


def _softmax64(x, axis=-1):
    x = x.astype(np.float64)
    e = np.exp(x - x.max(axis, keepdims=True))
    return e / e.sum(axis, keepdims=True)


def _layer_norm64(x, eps=1e-5):
    x = x.astype(np.float64)
    return (x - x.mean(-1, keepdims=True)) / np.sqrt(x.var(-1, keepdims=True) + eps)


def _logsumexp64(x, axis=-1):
    x = x.astype(np.float64)
    m = x.max(axis, keepdims=True)
    return (np.log(np.exp(x - m).sum(axis, keepdims=True)) + m).squeeze(axis)


def _top_level(fun, *args):
    """The op names directly in the body of the program's function after
    elementwise fusion and mxc-fuse-rows."""
    from mlir import ir

    text = mxc.compiler.ir(fun, *args, stage="linalg")
    with _compiler.context():
        module = ir.Module.parse(text)
        _compiler.run_pipeline(module, "builtin.module(func.func(canonicalize,cse,"
                               "linalg-fuse-elementwise-ops,canonicalize,mxc-fuse-rows,"
                               "canonicalize,cse))")
        func = module.body.operations[0]
        return [op.operation.name for op in func.regions[0].blocks[0].operations]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_softmax_layer_norm_logsumexp(shape):
    x = _data(shape)
    a = mx.array(x)
    sm = mx.compile(lambda v: mx.softmax(v, axis=-1))(a)
    ln = mx.compile(lambda v: (v - v.mean(-1, keepdims=True))
                    * mx.rsqrt(v.var(-1, keepdims=True) + 1e-5))(a)
    lse = mx.compile(lambda v: mx.logsumexp(v, axis=-1))(a)
    # float32 softmax error grows with the row (the sum): MLX's own reaches 8e-6
    # for 5000 terms and 9e-5 for 70000.
    rtol = max(2e-5, 3e-9 * shape[-1])
    np.testing.assert_allclose(np.array(sm), _softmax64(x), rtol=rtol, atol=1e-7)
    np.testing.assert_allclose(np.array(ln), _layer_norm64(x), rtol=1e-5, atol=2e-5)
    np.testing.assert_allclose(np.array(lse), _logsumexp64(x), rtol=max(1e-6, 1e-10 * shape[-1]),
                               atol=1e-5)


def test_softmax_is_one_loop():
    x = mx.array(_data((1024, 512)))
    ops = _top_level(lambda v: mx.softmax(v, axis=-1), x)
    assert ops.count("scf.for") == 1, ops
    assert "linalg.generic" not in ops, ops


def test_column_reduction_is_not_recomputed_per_tile():
    # Standardizing columns, then rows: the column statistics are computed once
    # outside the row loop; the row statistics inside it.
    x = _data((600, 300))
    f = lambda v: (lambda c: c - c.mean(-1, keepdims=True))(v - v.mean(0))  # noqa: E731
    ops = _top_level(f, mx.array(x))
    assert ops.count("scf.for") == 1 and ops.count("linalg.reduce") == 1, ops
    x64 = x.astype(np.float64)
    c = x64 - x64.mean(0)
    np.testing.assert_allclose(np.array(mx.compile(f)(mx.array(x))),
                               c - c.mean(-1, keepdims=True), atol=1e-4)


def test_intermediates_used_outside_are_yielded():
    # The row max and row sums are results too: the loop returns them.
    x = _data((900, 70))
    f = lambda v: (lambda m: (lambda e: (e / e.sum(-1, keepdims=True), m,  # noqa: E731
                                         e.sum(-1)))(mx.exp(v - m)))(v.max(-1, keepdims=True))
    ops = _top_level(f, mx.array(x))
    assert ops.count("scf.for") == 1 and "linalg.generic" not in ops, ops
    y, m, s = mx.compile(f)(mx.array(x))
    x64 = x.astype(np.float64)
    e = np.exp(x64 - x64.max(-1, keepdims=True))
    np.testing.assert_allclose(np.array(y), e / e.sum(-1, keepdims=True), rtol=2e-6, atol=1e-7)
    np.testing.assert_array_equal(np.array(m), x.max(-1, keepdims=True))
    np.testing.assert_allclose(np.array(s), e.sum(-1), rtol=1e-5)


@pytest.mark.parametrize("targets", ["indices", "probs"])
@pytest.mark.parametrize("smoothing", [0.0, 0.1])
def test_cross_entropy_matches_mlx(targets, smoothing):
    import mlx.core as mlx
    import mlx.nn as mlx_nn

    logits = _data((333, 250), scale=10.0)
    if targets == "indices":
        t = RNG.integers(0, 250, 333).astype(np.int32)
    else:
        t = _softmax64(_data((333, 250))).astype(np.float32)
    got = mx.compile(lambda v: nn.losses.cross_entropy(v, mx.array(t), label_smoothing=smoothing,
                                                       reduction="none"))(mx.array(logits))
    want = mlx_nn.losses.cross_entropy(mlx.array(logits), mlx.array(t),
                                       label_smoothing=smoothing, reduction="none")
    np.testing.assert_allclose(np.array(got), np.array(want), rtol=1e-5, atol=1e-4)


def test_gradients_of_fused_programs():
    # d/dx sum(w * softmax(x)) = s * (w - sum(w * s)); layer norm by its closed form.
    x = _data((513, 40))
    w = _data((513, 40))
    g = mx.compile(mx.grad(lambda v: (mx.array(w) * mx.softmax(v, axis=-1)).sum()))(mx.array(x))
    s = _softmax64(x)
    want = s * (w - (w * s).sum(-1, keepdims=True))
    np.testing.assert_allclose(np.array(g), want, rtol=1e-4, atol=1e-6)

    def ln(v):
        return ((v - v.mean(-1, keepdims=True)) * mx.rsqrt(v.var(-1, keepdims=True) + 1e-5)
                * mx.array(w)).sum()

    g = mx.compile(mx.grad(ln))(mx.array(x))
    x64 = x.astype(np.float64)
    n = x.shape[-1]
    r = 1 / np.sqrt(x64.var(-1, keepdims=True) + 1e-5)
    xh = (x64 - x64.mean(-1, keepdims=True)) * r
    want = r / n * (n * w - w.sum(-1, keepdims=True) - xh * (w * xh).sum(-1, keepdims=True))
    np.testing.assert_allclose(np.array(g), want, rtol=1e-3, atol=1e-4)


@pytest.mark.parametrize("case", range(5))
def test_reductions_feeding_consumers_match_numpy(case):
    # Reductions over the last or the first axis feeding elementwise consumers,
    # written once for both namespaces.
    fn = [
        lambda M, v: M.exp(v - v.max(-1, keepdims=True)) * v.sum(0),
        lambda M, v: M.maximum(v, v.mean(-1, keepdims=True)).sum(-1) + v.min(-1),
        lambda M, v: (v * v).sum(-1, keepdims=True) / (M.abs(v).max(-1, keepdims=True) + 1) - v,
        lambda M, v: M.cumsum(v, axis=-1) - v.sum(-1, keepdims=True),
        lambda M, v: M.argmax(v - v.mean(-1, keepdims=True), axis=-1),
    ][case]
    x = _data((400, 90))
    got = np.array(mx.compile(lambda v: fn(mx, v))(mx.array(x)))
    want = fn(np, x.astype(np.float64))
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-3)



@pytest.fixture(params=["serial", "parallel"])
def tiny_tiles(request, monkeypatch):
    """Programs lowered with 8-element tiles, so small shapes take every tiled path
    (partial tiles, yielded producers, producers also used before the loop), with
    serial tile loops and with OpenMP ones (every op of 8 iterations or more)."""
    if request.param == "parallel" and _compiler._openmp() is None:
        pytest.fail("libomp did not load: install Debian's libomp5 (make system-deps)")
    options = ("parallel=true min-work=8" if request.param == "parallel" else "parallel=false")
    text = f"mxc-linalg-to-llvm{{{options} tile-elements=8}},mxc-vector-libm"
    monkeypatch.setattr(_compiler, "STAGES", tuple(
        (name, text if name == "llvm" else p) for name, p in _compiler.STAGES))


TINY = {
    "softmax": lambda M, v: M.exp(v - v.max(-1, keepdims=True))
    / M.exp(v - v.max(-1, keepdims=True)).sum(-1, keepdims=True),
    "layer_norm": lambda M, v: (v - v.mean(-1, keepdims=True))
    / M.sqrt(((v - v.mean(-1, keepdims=True)) ** 2).mean(-1, keepdims=True) + 1e-5),
    "intermediates": lambda M, v: (v / v.sum(-1, keepdims=True), v.max(-1), v.sum(-1)),
    "used_before": lambda M, v: (v.sum(-1) * 2, v - v.sum(-1, keepdims=True), v.mean(0)),
    "column_then_row": lambda M, v: (v - v.mean(0)) - (v - v.mean(0)).max(-1, keepdims=True),
    "three_d": lambda M, v: M.exp(v.reshape(3, 5, 4) - v.reshape(3, 5, 4).max(-1, keepdims=True)),
}


@pytest.mark.parametrize("name", list(TINY))
def test_tiny_tiles_match_numpy(tiny_tiles, name):
    fn = TINY[name]
    x = _data((15, 4)) + 1.0  # a shape no other test here compiles (no cached programs)
    got = mx.compile(lambda v: fn(mx, v))(mx.array(x))
    want = fn(np, x.astype(np.float64))
    for g, w in zip(*[(o,) if not isinstance(o, tuple) else o for o in (got, want)]):
        np.testing.assert_allclose(np.array(g), w, rtol=1e-5, atol=1e-4)


def test_tiny_tiles_gradient(tiny_tiles):
    x, w = _data((11, 6)), _data((11, 6))
    g = mx.compile(mx.grad(lambda v: (mx.array(w) * mx.softmax(v, axis=-1)).sum()))(mx.array(x))
    s = _softmax64(x)
    np.testing.assert_allclose(np.array(g), s * (w - (w * s).sum(-1, keepdims=True)),
                               rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("case", ["aT_b", "a_bT", "aT_aT", "batched", "transposed_twice_used",
                                  "output_in_transpose_input"])
def test_matmul_reads_transposes_as_views(case):
    # mxc-matmul-to-blas hands BLAS the transpose's input through a permuted view
    # (no copy) unless the transposed buffer is used elsewhere.
    a, b = _data((70, 50)), _data((70, 30))
    c = _data((4, 20, 9))
    fns = {
        "aT_b": (lambda x, y: x.T @ y, (a, b)),
        "a_bT": (lambda x, y: x @ y.T, (b.T.copy(), _data((40, 70)))),
        "aT_aT": (lambda x, y: (x.T @ x.T[:, :50].T).sum() + y.sum(), (_data((50, 50)), b)),
        "batched": (lambda x, y: x.transpose(0, 2, 1) @ y, (c, _data((4, 20, 5)))),
        "transposed_twice_used": (lambda x, y: (x.T @ y, x.T * 2), (a, b)),
        # Bufferization puts the product's output in the buffer the transpose read
        # (found by the grad fuzz campaign: a view there raced with BLAS's writes).
        "output_in_transpose_input": (lambda x, y: (x.reshape(1, 1, 1) @ y) * 1.0,
                                      (np.float32(0.8), np.array([-2.9], np.float32))),
    }
    fn, args = fns[case]
    got = mx.compile(lambda *v: fn(*v))(*[mx.array(v) for v in args])
    want = fn(*[v.astype(np.float64) for v in args])
    for g, w in zip(*[(o,) if not isinstance(o, tuple) else o for o in (got, want)]):
        np.testing.assert_allclose(np.array(g), w, rtol=1e-4, atol=1e-3)


def test_gradient_through_a_matmul_of_a_reshaped_scalar():
    v7 = mx.array([-2.9], dtype=mx.float32)
    g = mx.grad(lambda v: (mx.reshape(v, (1, 1, 1)) @ v7).sum())(mx.array(0.8))
    np.testing.assert_allclose(g.item(), -2.9, rtol=1e-6)
