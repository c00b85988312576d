"""mx.random: keys, determinism, ranges and statistics (and MLX's streams)."""

import math

import mlx.core as mlx
import numpy as np
import pytest

import mxc.core as mx
from mxc_testutil import assert_raises_like, check, mlx_np, same_dtype

# Every test runs with the CPU and with the GPU as default device (conftest.py).
pytestmark = pytest.mark.usefixtures("on_device")

N = 20000  # samples for the statistical checks (tolerances are ~5 standard errors)


def _np(a):
    return np.array(a)


def test_key_and_split():
    k = mx.random.key(3)
    assert k.dtype == mx.uint32 and k.shape == (2,)
    check(k, [0, 3])
    check(mx.random.key(2**40 + 5), [256, 5])
    s = mx.random.split(k)
    assert s.shape == (2, 2) and s.dtype == mx.uint32
    check(s, mlx_np(mlx.random.split(mlx.random.key(3))))
    s4 = mx.random.split(mx.random.key(7), 4)
    assert s4.shape == (4, 2)
    check(s4, mlx_np(mlx.random.split(mlx.random.key(7), 4)))
    assert len({tuple(r) for r in _np(s4).tolist()}) == 4
    check(mx.random.split(mx.random.key(7), 1), mlx_np(mlx.random.split(mlx.random.key(7), 1)))
    # a split key row works as a key
    u = mx.random.uniform(shape=(4,), key=mx.random.split(mx.random.key(1))[1])
    check(u, mlx_np(mlx.random.uniform(shape=(4,), key=mlx.random.split(mlx.random.key(1))[1])))


def test_determinism_per_key():
    k = mx.random.key(42)
    for fn in (lambda key: mx.random.uniform(shape=(8,), key=key),
               lambda key: mx.random.normal((8,), key=key),
               lambda key: mx.random.randint(0, 100, (8,), key=key),
               lambda key: mx.random.bernoulli(0.5, (8,), key=key),
               lambda key: mx.random.permutation(8, key=key),
               lambda key: mx.random.truncated_normal(-1.0, 1.0, (8,), key=key),
               lambda key: mx.random.categorical(mx.zeros((2, 4)), key=key),
               lambda key: mx.random.gumbel((8,), key=key)):
        a, b = _np(fn(k)), _np(fn(mx.random.key(42)))
        np.testing.assert_array_equal(a, b)
        c = _np(fn(mx.random.key(43)))
        assert not np.array_equal(a, c)


def test_seed_reproducible():
    mx.random.seed(5)
    a1, a2 = _np(mx.random.uniform(shape=(4,))), _np(mx.random.uniform(shape=(4,)))
    mx.random.seed(5)
    b1, b2 = _np(mx.random.uniform(shape=(4,))), _np(mx.random.uniform(shape=(4,)))
    np.testing.assert_array_equal(a1, b1)
    np.testing.assert_array_equal(a2, b2)
    assert not np.array_equal(a1, a2)  # the global key advances
    mx.random.seed(6)
    assert not np.array_equal(_np(mx.random.uniform(shape=(4,))), a1)
    # the same stream as MLX's global key
    mx.random.seed(5)
    mlx.random.seed(5)
    check(mx.random.uniform(shape=(2,)), mlx_np(mlx.random.uniform(shape=(2,))))
    check(mx.random.randint(0, 100, (4,)), mlx_np(mlx.random.randint(0, 100, (4,))))
    check(mx.random.normal((4,)), mlx_np(mlx.random.normal((4,))), rtol=1e-5, atol=1e-5)


def test_streams_match_mlx_even_sizes():
    k, mk = mx.random.key(0), mlx.random.key(0)
    check(mx.random.uniform(shape=(4,), key=k), mlx_np(mlx.random.uniform(shape=(4,), key=mk)))
    check(mx.random.uniform(shape=(2, 3), key=k), mlx_np(mlx.random.uniform(shape=(2, 3),
                                                                            key=mk)))
    check(mx.random.normal((4,), key=k), mlx_np(mlx.random.normal((4,), key=mk)), rtol=1e-5,
          atol=1e-5)
    check(mx.random.randint(0, 10, (6,), key=k), mlx_np(mlx.random.randint(0, 10, (6,),
                                                                           key=mk)))
    check(mx.random.bernoulli(0.5, (6,), key=k), mlx_np(mlx.random.bernoulli(0.5, (6,),
                                                                             key=mk)))
    check(mx.random.truncated_normal(-1, 1, (4,), key=k),
          mlx_np(mlx.random.truncated_normal(-1, 1, (4,), key=mk)), rtol=1e-5, atol=1e-5)
    r, m = mx.random.permutation(6, key=k), mlx.random.permutation(6, key=mk)
    assert same_dtype(r.dtype, m.dtype)
    check(r, mlx_np(m))
    check(mx.random.gumbel((2, 2), key=mx.random.key(1)),
          mlx_np(mlx.random.gumbel((2, 2), key=mlx.random.key(1))), rtol=1e-5, atol=1e-5)


def test_streams_match_mlx_odd_sizes():
    for n in (1, 3, 5):
        check(mx.random.uniform(shape=(n,), key=mx.random.key(0)),
              mlx_np(mlx.random.uniform(shape=(n,), key=mlx.random.key(0))))


def test_uniform():
    u = _np(mx.random.uniform(shape=(N,), key=mx.random.key(1)))
    assert u.dtype == np.float32 and u.shape == (N,)
    assert u.min() >= 0.0 and u.max() < 1.0
    assert abs(u.mean() - 0.5) < 5 * math.sqrt(1 / 12 / N)
    assert abs(u.var() - 1 / 12) < 0.005
    # histogram: every tenth gets ~N/10
    counts = np.histogram(u, bins=10, range=(0, 1))[0]
    assert np.all(np.abs(counts - N / 10) < 5 * math.sqrt(N / 10))
    v = _np(mx.random.uniform(-2.0, 3.0, (N,), key=mx.random.key(2)))
    assert v.min() >= -2.0 and v.max() < 3.0 and abs(v.mean() - 0.5) < 0.1
    w = _np(mx.random.uniform(mx.array([0.0, 10.0]), mx.array([1.0, 20.0]), (N // 2, 2),
                              key=mx.random.key(3)))
    assert w[:, 0].max() < 1 and w[:, 1].min() >= 10 and w[:, 1].max() < 20
    h = mx.random.uniform(1, 2, (100,), mx.float16, key=mx.random.key(4))
    assert h.dtype == mx.float16
    assert _np(h).min() >= 1 and _np(h).max() < 2
    b = mx.random.uniform(shape=(100,), dtype=mx.bfloat16, key=mx.random.key(4))
    assert b.dtype == mx.bfloat16 and _np(b.astype(mx.float32)).max() < 1
    r = _np(mx.random.uniform(1.0, 0.0, (100,), key=mx.random.key(5)))  # low > high
    assert r.min() > 0.0 and r.max() <= 1.0
    assert mx.random.uniform(key=mx.random.key(1)).shape == ()
    assert mx.random.uniform(shape=(0,), key=mx.random.key(1)).shape == (0,)


def test_normal():
    z = _np(mx.random.normal((N,), key=mx.random.key(1)))
    assert z.dtype == np.float32
    assert np.isfinite(z).all()
    se = 1 / math.sqrt(N)
    assert abs(z.mean()) < 5 * se
    assert abs(z.std() - 1) < 5 * se
    assert abs((np.abs(z) < 1).mean() - 0.6827) < 0.015
    assert abs((z > 2).mean() - 0.02275) < 0.005
    y = _np(mx.random.normal((N,), loc=3.0, scale=2.0, key=mx.random.key(2)))
    assert abs(y.mean() - 3) < 5 * 2 * se and abs(y.std() - 2) < 5 * 2 * se
    from mxc_testutil import computed_dtypes

    for dt in computed_dtypes((mx.float16, mx.bfloat16, mx.float64)):
        assert mx.random.normal((4,), dtype=dt, key=mx.random.key(1)).dtype == dt


def test_randint():
    r = _np(mx.random.randint(0, 10, (N,), key=mx.random.key(1)))
    assert r.dtype == np.int32 and r.min() == 0 and r.max() == 9
    counts = np.bincount(r, minlength=10)
    assert np.all(np.abs(counts - N / 10) < 5 * math.sqrt(N / 10))
    n = _np(mx.random.randint(-5, 5, (1000,), key=mx.random.key(2)))
    assert n.min() == -5 and n.max() == 4
    u8 = mx.random.randint(0, 200, (1000,), dtype=mx.uint8, key=mx.random.key(3))
    assert u8.dtype == mx.uint8 and _np(u8).max() < 200
    a = _np(mx.random.randint(mx.array([0, 100]), mx.array([10, 110]), (500, 2),
                              key=mx.random.key(4)))
    assert a[:, 0].max() < 10 and a[:, 1].min() >= 100 and a[:, 1].max() < 110
    big = _np(mx.random.randint(0, 2**20, (1000,), key=mx.random.key(5)))
    assert big.max() < 2**20 and big.max() > 2**19


def test_bernoulli():
    b = _np(mx.random.bernoulli(0.3, (N,), key=mx.random.key(1)))
    assert b.dtype == np.bool_
    assert abs(b.mean() - 0.3) < 5 * math.sqrt(0.3 * 0.7 / N)
    p = mx.array([0.0, 1.0, 0.5])
    s = _np(mx.random.bernoulli(p, (N // 4, 3), key=mx.random.key(2)))
    assert not s[:, 0].any() and s[:, 1].all() and abs(s[:, 2].mean() - 0.5) < 0.05
    assert mx.random.bernoulli(mx.array([0.2, 0.8]), key=mx.random.key(3)).shape == (2,)
    assert mx.random.bernoulli(key=mx.random.key(3)).shape == ()


def test_truncated_normal():
    t = _np(mx.random.truncated_normal(-1.0, 2.0, (N,), key=mx.random.key(1)))
    assert t.min() >= -1.0 and t.max() <= 2.0
    # mean of N(0,1) truncated to [a, b]: (phi(a) - phi(b)) / (Phi(b) - Phi(a))
    phi = lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    Phi = lambda x: 0.5 * (1 + math.erf(x / math.sqrt(2)))  # noqa: E731
    mean = (phi(-1) - phi(2)) / (Phi(2) - Phi(-1))
    assert abs(t.mean() - mean) < 0.03
    a = _np(mx.random.truncated_normal(mx.array([-1.0, 0.0]), mx.array([1.0, 2.0]), (500, 2),
                                       key=mx.random.key(2)))
    assert a[:, 0].min() >= -1 and a[:, 0].max() <= 1 and a[:, 1].min() >= 0
    assert mx.random.truncated_normal(mx.zeros((3,)), 1.0, key=mx.random.key(3)).shape == (3,)


def test_categorical():
    logits = mx.log(mx.array([[0.1, 0.2, 0.7], [0.5, 0.5, 0.0]]))
    s = _np(mx.random.categorical(logits, num_samples=N // 2, key=mx.random.key(1)))
    assert s.shape == (2, N // 2) and s.dtype == np.uint32
    f0 = np.bincount(s[0], minlength=3) / s.shape[1]
    np.testing.assert_allclose(f0, [0.1, 0.2, 0.7], atol=0.03)
    assert (s[1] != 2).all()  # probability 0
    np.testing.assert_allclose(np.bincount(s[1], minlength=3)[:2] / s.shape[1], [0.5, 0.5],
                               atol=0.03)
    assert mx.random.categorical(logits, key=mx.random.key(2)).shape == (2,)
    assert mx.random.categorical(logits, shape=(4, 2), key=mx.random.key(2)).shape == (4, 2)
    c0 = _np(mx.random.categorical(mx.array([[0.0, -np.inf], [-np.inf, 0.0]]), axis=0,
                                   key=mx.random.key(3)))
    np.testing.assert_array_equal(c0, [0, 1])
    assert_raises_like(
        lambda: mx.random.categorical(mx.zeros((1, 2)), shape=(1,), num_samples=2,
                                      key=mx.random.key(1)),
        lambda: mlx.random.categorical(mlx.zeros((1, 2)), shape=(1,), num_samples=2,
                                       key=mlx.random.key(1)))


def test_permutation():
    p = _np(mx.random.permutation(50, key=mx.random.key(1)))
    np.testing.assert_array_equal(np.sort(p), np.arange(50))
    assert not np.array_equal(p, np.arange(50))
    x = np.arange(8).reshape(4, 2)
    q = _np(mx.random.permutation(mx.array(x), key=mx.random.key(2)))
    assert sorted(map(tuple, q.tolist())) == sorted(map(tuple, x.tolist()))
    y = np.arange(8).reshape(2, 4)
    r = _np(mx.random.permutation(mx.array(y), axis=1, key=mx.random.key(3)))
    np.testing.assert_array_equal(np.sort(r, axis=1), y)
    np.testing.assert_array_equal(r[1] - r[0], [4, 4, 4, 4])  # same order for every row
    # each position is roughly uniform over many keys
    keys = mx.random.split(mx.random.key(4), 400)
    firsts = np.array([int(mx.random.permutation(4, key=keys[i])[0].item())
                       for i in range(40)])
    assert len(set(firsts.tolist())) == 4


def test_gumbel():
    g = _np(mx.random.gumbel((N,), key=mx.random.key(1)))
    assert np.isfinite(g).all()
    assert abs(g.mean() - 0.5772156649) < 0.05
    assert abs(g.std() - math.pi / math.sqrt(6)) < 0.05


def test_random_errors():
    cases = [
        lambda M: M.random.uniform(shape=(2,), dtype=M.int32, key=M.random.key(1)),
        lambda M: M.random.normal((2,), dtype=M.int32, key=M.random.key(1)),
        lambda M: M.random.randint(0, 5, (2,), dtype=M.float32, key=M.random.key(1)),
        lambda M: M.random.uniform(M.zeros((3,)), 1.0, (2,), key=M.random.key(1)),
        lambda M: M.random.bernoulli(M.array([0.1, 0.2]), (3,), key=M.random.key(1)),
        lambda M: M.random.uniform(shape=(2,), key=M.array([1, 2, 3], M.uint32)),
    ]
    for fn in cases:
        assert_raises_like(lambda: fn(mx), lambda: fn(mlx))


def test_bits():
    b = mx.random.bits((1000,), key=mx.random.key(1))
    assert b.dtype == mx.uint32
    v = _np(b)
    assert len(np.unique(v)) > 990
    # every bit is set about half of the time
    frac = np.array([(v >> i & 1).mean() for i in range(32)])
    assert np.all(np.abs(frac - 0.5) < 0.07)
    assert mx.random.bits((4,), 2, key=mx.random.key(1)).dtype == mx.uint16
    assert mx.random.bits((4,), 1, key=mx.random.key(1)).dtype == mx.uint8
