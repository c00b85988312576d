"""The examples of the guide's sections "Indexing Arrays", "Lazy Evaluation" and
"Conversion to NumPy and Other Frameworks": they run and produce what it says."""

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import mxc
import mxc.core as mx

# Every test runs with the CPU and with the GPU as default device (conftest.py).
pytestmark = pytest.mark.usefixtures("on_device")


def _is_lazy(a):
    return a._value is None


# ------------------------------------------------------------------ Indexing Arrays


def test_indexing_integers_and_slices():
    arr = mx.arange(10)
    assert repr(arr[3]) == "array(3, dtype=int32)"
    assert repr(arr[-2]) == "array(8, dtype=int32)"  # negative indexing works
    assert repr(arr[2:8:2]) == "array([2, 4, 6], dtype=int32)"  # start, stop, stride


def test_indexing_ellipsis():
    arr = mx.arange(8).reshape(2, 2, 2)
    expected = "array([[0, 2],\n       [4, 6]], dtype=int32)"
    assert repr(arr[:, :, 0]) == expected
    assert repr(arr[..., 0]) == expected


def test_indexing_none():
    arr = mx.arange(8)
    assert arr.shape == (8,)
    assert arr[None].shape == (1, 8)


def test_indexing_with_arrays():
    arr = mx.arange(10)
    idx = mx.array([5, 7])
    assert repr(arr[idx]) == "array([5, 7], dtype=int32)"
    # mixing integers, slices, ... and arrays works as in NumPy
    a = mx.arange(24).reshape(2, 3, 4)
    n = np.arange(24).reshape(2, 3, 4)
    np.testing.assert_array_equal(np.array(a[1, ..., mx.array([0, 3])]), n[1, ..., [0, 3]])
    np.testing.assert_array_equal(np.array(a[mx.array([1, 0]), :, 2]), n[[1, 0], :, 2])
    # take and take_along_axis
    np.testing.assert_array_equal(np.array(mx.take(arr, mx.array([1, 8]))), [1, 8])
    np.testing.assert_array_equal(
        np.array(mx.take_along_axis(a, mx.array([[[0]], [[3]]]), axis=2)),
        np.take_along_axis(n, np.array([[[0]], [[3]]]), axis=2))


def test_in_place_updates():
    a = mx.array([1, 2, 3])
    a[2] = 0
    assert repr(a) == "array([1, 2, 0], dtype=int32)"


def test_in_place_updates_all_references():
    a = mx.array([1, 2, 3])
    b = a
    b[2] = 0
    assert repr(b) == "array([1, 2, 0], dtype=int32)"
    assert repr(a) == "array([1, 2, 0], dtype=int32)"


def test_in_place_update_gradient():
    def fun(x, idx):
        x[idx] = 2.0
        return x.sum()

    dfdx = mx.grad(fun)(mx.array([1.0, 2.0, 3.0]), mx.array([1]))
    assert repr(dfdx) == "array([1, 0, 1], dtype=float32)"


# ------------------------------------------------------------------ Lazy Evaluation


def test_nothing_computed_until_eval():
    x = mx.array([1.0, 2.0])
    misses = mxc._compiler.cache.misses
    y = mx.exp(x) * 2 + 1
    assert _is_lazy(y)
    assert mxc._compiler.cache.misses == misses  # no compilation yet
    mx.eval(y)
    assert not _is_lazy(y)
    np.testing.assert_allclose(np.array(y), np.exp([1.0, 2.0]) * 2 + 1, rtol=1e-6)


def test_only_compute_what_you_use():
    def fun1(x):
        return x + 1

    def expensive_fun(a):
        return mx.matmul(a, a.T).sum()

    def fun(x):
        a = fun1(x)
        b = expensive_fun(a)
        return a, b

    x = mx.ones((4, 4))
    y, unused = fun(x)
    mx.eval(y)
    assert not _is_lazy(y)
    assert _is_lazy(unused)  # never computed
    np.testing.assert_array_equal(np.array(y), np.full((4, 4), 2.0))


def test_when_to_evaluate_loop():
    a, b = mx.array([1.0, 2.0]), mx.array([1.0, 1.0])
    ra, rb = np.array([1.0, 2.0]), np.array([1.0, 1.0])
    misses = mxc._compiler.cache.misses
    for _ in range(100):
        a = a + b
        mx.eval(a)
        b = b * 2
        mx.eval(b)
        ra, rb = ra + rb, rb * 2
    np.testing.assert_allclose(np.array(a), ra.astype(np.float32), rtol=1e-6)
    np.testing.assert_allclose(np.array(b), rb.astype(np.float32), rtol=1e-6)
    # the graph of each step has the same structure: compiled once each
    assert mxc._compiler.cache.misses - misses <= 2


def test_eval_many_times_is_a_no_op():
    loss = (mx.array([1.0, 2.0]) ** 2).sum()
    params = {"w": mx.ones((2,)) * 3, "b": [mx.zeros((1,)) - 1]}
    mx.eval(loss, params)
    assert not _is_lazy(loss) and not _is_lazy(params["w"]) and not _is_lazy(params["b"][0])
    misses, hits = mxc._compiler.cache.misses, mxc._compiler.cache.hits
    mx.eval(loss, params)
    mx.eval(loss)
    assert (mxc._compiler.cache.misses, mxc._compiler.cache.hits) == (misses, hits)
    assert loss.item() == 5.0


def test_implicit_evaluation():
    # print, NumPy conversion, memoryview and item() all evaluate
    a = mx.arange(3) * 2
    assert _is_lazy(a)
    assert str(a) == "array([0, 2, 4], dtype=int32)"
    assert not _is_lazy(a)
    b = mx.arange(3) + 5
    assert _is_lazy(b)
    np.testing.assert_array_equal(np.array(b), [5, 6, 7])
    c = mx.arange(3) - 1
    assert memoryview(c).tolist() == [-1, 0, 1]
    loss = mx.array([1.5, 2.5]).sum()
    losses = [loss.item()]
    assert losses == [4.0]


def test_scalar_control_flow():
    def fun(x):
        h, y = x * 2, x.sum()
        if y > 0:  # an evaluation is done here
            z = h + 1
        else:
            z = h - 1
        return z

    np.testing.assert_array_equal(np.array(fun(mx.array([1.0, 2.0]))), [3.0, 5.0])
    np.testing.assert_array_equal(np.array(fun(mx.array([-1.0, -2.0]))), [-3.0, -5.0])


# ------------------------------------------------------------------ Conversion


def test_numpy_round_trip():
    a = mx.arange(3)
    b = np.array(a)  # copy of a
    c = mx.array(b)  # copy of b
    assert b.dtype == np.int32 and b.tolist() == [0, 1, 2]
    assert c.dtype == mx.int32 and c.tolist() == [0, 1, 2]
    b[0] = 7  # a copy: a is unchanged
    assert a.tolist() == [0, 1, 2] and c.tolist() == [0, 1, 2]


def test_bfloat16_to_numpy():
    a = mx.array([1.5, 2.25], mx.bfloat16)
    f = np.array(a.astype(mx.float32))
    assert f.dtype == np.float32 and f.tolist() == [1.5, 2.25]
    h = np.array(a.astype(mx.float16))
    assert h.dtype == np.float16 and h.tolist() == [1.5, 2.25]


def test_numpy_view():
    a = mx.arange(3)
    a_view = np.array(a, copy=False)
    assert a_view.flags.owndata is False
    a_view[0] = 1
    assert a[0].item() == 1


def test_value_and_grad_through_a_view():
    def f(x):
        x_view = np.array(x, copy=False)
        x_view[:] *= x_view  # modify memory without telling mx
        return x.sum()

    x = mx.array([3.0])
    y, df = mx.value_and_grad(f)(x)
    assert y.item() == 9.0  # f(x) = x² = 9.0
    assert df.item() == 1.0  # f'(x) = 2x != 1.0


def test_memoryview_for_other_frameworks():
    a = mx.arange(3)
    m = memoryview(a)
    assert m.format in ("i", "l") and m.itemsize == 4 and m.tolist() == [0, 1, 2]
    c = mx.array(np.asarray(m))
    assert c.tolist() == [0, 1, 2] and c.dtype == mx.int32
    f = memoryview(mx.array([[1.0, 2.0], [3.0, 4.0]]))
    assert f.shape == (2, 2) and f.tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_jax_round_trip():
    jnp = pytest.importorskip("jax.numpy")
    a = mx.arange(3)
    b = jnp.array(a)
    c = mx.array(b)
    assert b.tolist() == [0, 1, 2]
    assert c.tolist() == [0, 1, 2]


# ------------------------------------------------------------------ evaluation details


def test_eval_identical_results():
    """Two structurally identical results in one program (each computed once)."""
    code = textwrap.dedent("""
        import numpy as np
        import mxc.core as mx
        a = mx.array(np.array([0.0, 1.0, 2.0], np.float32))
        x, y = mx.exp(a), mx.exp(a)
        s, t = mx.sum(a), mx.sum(a, axis=0)
        mx.eval(x, y, s, t)
        print(json.dumps([np.array(x).tolist(), np.array(y).tolist(), s.item(), t.item()]))
    """)
    r = subprocess.run([sys.executable, "-c", "import json\n" + code], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, f"crashed with {r.returncode}: {r.stderr[-2000:]}"
    vals = json.loads(r.stdout.strip().splitlines()[-1])
    np.testing.assert_allclose(vals[0], np.exp([0.0, 1.0, 2.0]), rtol=1e-6)
    np.testing.assert_allclose(vals[1], np.exp([0.0, 1.0, 2.0]), rtol=1e-6)
    assert vals[2] == 3.0 and vals[3] == 3.0
