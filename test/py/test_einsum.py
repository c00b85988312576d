"""``mx.einsum`` against ``np.einsum``."""

import numpy as np
import pytest

import mxc.core as mx

# Every test runs with the CPU and with the GPU as default device (conftest.py).
pytestmark = pytest.mark.usefixtures("on_device")

CASES = [
    # matrix products, explicit and implicit outputs
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),
    ("ij,kj->ik", [(2, 3), (4, 3)]),
    ("ji,jk->ki", [(3, 2), (3, 4)]),
    ("ij,jk->", [(2, 3), (3, 4)]),
    ("ij,j->i", [(2, 3), (3,)]),
    ("i,ij->j", [(2,), (2, 3)]),
    ("i,i", [(5,), (5,)]),
    ("i,i->i", [(5,), (5,)]),
    ("i,j->ij", [(3,), (4,)]),
    ("i,j", [(3,), (4,)]),
    ("ij,ij->", [(2, 3), (2, 3)]),
    ("ij,ij->ij", [(2, 3), (2, 3)]),
    ("ij,ij->ji", [(2, 3), (2, 3)]),
    ("ij,kl->ijkl", [(2, 3), (4, 5)]),
    ("ij,kl->iljk", [(2, 3), (4, 5)]),
    # single operand: permutations, sums, diagonals
    ("ij", [(2, 3)]),
    ("ji", [(2, 3)]),
    ("ij->ji", [(2, 3)]),
    ("ijk->kij", [(2, 3, 4)]),
    ("ij->", [(2, 3)]),
    ("ij->i", [(2, 3)]),
    ("ij->j", [(2, 3)]),
    ("ijk->j", [(2, 3, 4)]),
    ("ii", [(4, 4)]),
    ("ii->i", [(4, 4)]),
    ("ii->", [(4, 4)]),
    ("iij->ji", [(3, 3, 2)]),
    ("iji->j", [(2, 3, 2)]),
    ("iii->i", [(3, 3, 3)]),
    ("ijij->ij", [(2, 3, 2, 3)]),
    ("ijji->", [(2, 3, 3, 2)]),
    # batched
    ("bij,bjk->bik", [(3, 2, 4), (3, 4, 5)]),
    ("bij,bjk", [(3, 2, 4), (3, 4, 5)]),
    ("bhqd,bhkd->bhqk", [(2, 3, 4, 5), (2, 3, 6, 5)]),
    ("bhqk,bhkd->bhqd", [(2, 3, 4, 6), (2, 3, 6, 5)]),
    ("bld,de->ble", [(2, 3, 4), (4, 5)]),
    ("ijk,ikl->ijl", [(2, 3, 4), (2, 4, 5)]),
    ("ijk,jil->kl", [(3, 2, 4), (2, 3, 5)]),
    ("bi,bi->b", [(4, 3), (4, 3)]),
    # repeated indices with other operands
    ("ii,jj->", [(3, 3), (4, 4)]),
    ("ij,ji->", [(3, 4), (4, 3)]),
    ("iij,jk->ik", [(3, 3, 2), (2, 4)]),
    ("ii,i->i", [(3, 3), (3,)]),
    # indices summed in one operand only
    ("ij,k->i", [(2, 3), (4,)]),
    ("ijk,k->", [(2, 3, 4), (4,)]),
    ("ab,cd->a", [(2, 3), (4, 5)]),
    # three and more operands
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)]),
    ("ij,jk,kl", [(2, 3), (3, 4), (4, 5)]),
    ("abc,cd,de->abe", [(2, 3, 4), (4, 5), (5, 6)]),
    ("i,j,k->ijk", [(2,), (3,), (4,)]),
    ("i,i,i->", [(5,), (5,), (5,)]),
    ("i,j,ij->", [(2,), (3,), (2, 3)]),
    ("ea,fb,abcd,gc,hd->efgh", [(2, 3), (2, 4), (3, 4, 5, 6), (2, 5), (2, 6)]),
    ("ij,jk,ki->", [(2, 3), (3, 4), (4, 2)]),
    ("a,b,c,d,e->", [(2,), (3,), (1,), (4,), (2,)]),
    # ellipsis broadcasting
    ("...ij,...jk->...ik", [(5, 1, 2, 3), (4, 3, 2)]),
    ("...ij,...jk", [(2, 2, 3), (2, 3, 4)]),
    ("...ii->...i", [(4, 3, 3)]),
    ("...ii", [(4, 3, 3)]),
    ("i...->...", [(2, 3, 4)]),
    ("...i->...", [(2, 3, 4)]),
    ("...", [(2, 3)]),
    ("...,...", [(2, 3), (1, 3)]),
    ("ij...,jk...->ik...", [(2, 3, 5), (3, 4, 1)]),
    ("...i,...i->...", [(2, 3, 4), (3, 4)]),
    ("i...j,j...k->...ik", [(2, 5, 3), (3, 5, 4)]),
    ("...ij,...jk->...ik", [(2, 3), (3, 4)]),  # empty ellipsis
    ("a...a->...", [(3, 2, 3)]),
    # size-1 broadcasting of named indices (as NumPy)
    ("i,i", [(3,), (1,)]),
    ("ij,ij->ij", [(2, 3), (1, 3)]),
    ("ij,jk->ik", [(2, 1), (3, 4)]),
    # upper case, implicit output ordered like NumPy (upper before lower)
    ("bA", [(2, 3)]),
    ("Ba,aB", [(2, 3), (3, 2)]),
    ("aB,Bc", [(2, 3), (3, 4)]),
    ("zA,Ay", [(2, 3), (3, 4)]),
    ("aB", [(2, 3)]),
    ("cB,Bx", [(2, 3), (3, 4)]),
    # scalars
    ("", [()]),
    ("->", [()]),
    (",", [(), ()]),
    (",i->i", [(), (3,)]),
    ("i,->i", [(3,), ()]),
    (",ij", [(), (2, 3)]),
    # spaces are ignored
    (" ij , jk -> ik ", [(2, 3), (3, 4)]),
]


def _operands(shapes, dtype=np.float32, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(s).astype(dtype) for s in shapes]


@pytest.mark.parametrize("subscripts,shapes", CASES, ids=[c[0] for c in CASES])
def test_matches_numpy(subscripts, shapes):
    ops = _operands(shapes)
    expected = np.einsum(subscripts, *ops)
    got = mx.einsum(subscripts, *[mx.array(o) for o in ops])
    assert isinstance(got, mx.array)
    assert got.dtype == mx.float32
    assert got.shape == expected.shape
    np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-4, atol=1e-4)


ZERO_SIZE = [
    ("ij,jk->ik", [(2, 0), (0, 3)]),
    ("ij,jk->ik", [(0, 3), (3, 2)]),
    ("ij->", [(0, 3)]),
    ("ij->j", [(0, 3)]),
    ("ii->i", [(0, 0)]),
    ("bij,bjk->bik", [(0, 2, 3), (0, 3, 4)]),
    ("i,i", [(0,), (1,)]),
    ("...i,...i->...", [(0, 3), (1, 3)]),
]


@pytest.mark.parametrize("subscripts,shapes", ZERO_SIZE,
                         ids=[f"{c[0]}-{c[1]}" for c in ZERO_SIZE])
def test_zero_size(subscripts, shapes):
    ops = [np.zeros(s, np.float32) + 1 for s in shapes]
    expected = np.einsum(subscripts, *ops)
    got = mx.einsum(subscripts, *[mx.array(o) for o in ops])
    assert got.shape == expected.shape and got.dtype == mx.float32
    np.testing.assert_array_equal(np.asarray(got), expected)


@pytest.mark.parametrize("dtype", [np.int32, np.int8, np.int64, np.uint8])
def test_integers_exact(dtype):
    rng = np.random.default_rng(1)
    a = rng.integers(-5 if dtype != np.uint8 else 0, 20, (3, 4)).astype(dtype)
    b = rng.integers(-5 if dtype != np.uint8 else 0, 20, (4, 5)).astype(dtype)
    for s, ops in [("ij,jk->ik", (a, b)), ("ij->j", (a,)), ("ii", (a[:, :3],)),
                   ("ij,ij->", (a, a)), ("i,j->ij", (a[0], b[0]))]:
        expected = np.einsum(s, *ops)  # wraps around in the operands' type, as ours
        got = mx.einsum(s, *[mx.array(o, dtype=mx._dtypes.from_numpy(dtype)) for o in ops])
        assert got.dtype == mx._dtypes.from_numpy(dtype), s
        np.testing.assert_array_equal(np.asarray(got), expected, err_msg=s)


def test_bool():
    rng = np.random.default_rng(2)
    a, b = rng.random((3, 4)) > 0.6, rng.random((4, 5)) > 0.6
    for s, ops in [("ij,jk->ik", (a, b)), ("ij->i", (a,)), ("i,i->", (a[0], a[1]))]:
        expected = np.einsum(s, *ops)
        got = mx.einsum(s, *[mx.array(o) for o in ops])
        assert got.dtype == mx.bool_
        np.testing.assert_array_equal(np.asarray(got), expected)


@pytest.mark.parametrize("dtype,tol", [(mx.float16, 2e-2), (mx.bfloat16, 6e-2),
                                       (mx.float64, 1e-12)])
def test_other_float_types(dtype, tol):
    a, b, c = _operands([(3, 4), (4, 5), (5, 2)], seed=3)
    got = mx.einsum("ij,jk,kl->il", *[mx.array(x).astype(dtype) for x in (a, b, c)])
    assert got.dtype == dtype
    expected = np.einsum("ij,jk,kl->il", *[x.astype(dtype.np).astype(np.float64)
                                           for x in (a, b, c)])
    np.testing.assert_allclose(np.asarray(got).astype(np.float64), expected, rtol=tol,
                               atol=tol)


def test_mixed_dtypes_promote_like_mlx():
    a = np.arange(6, dtype=np.int8).reshape(2, 3)
    b = np.linspace(0, 1, 12, dtype=np.float32).reshape(3, 4)
    got = mx.einsum("ij,jk->ik", mx.array(a), mx.array(b))
    assert got.dtype == mx.result_type(mx.array(a), mx.array(b)) == mx.float32
    np.testing.assert_allclose(np.asarray(got), a.astype(np.float32) @ b, rtol=1e-5)


def test_lazy_and_non_contiguous_operands():
    base = np.arange(24, dtype=np.float32).reshape(4, 6)
    a = mx.transpose(mx.array(base))[1:5] * 2  # lazy, strided view of a transpose
    b = mx.array(base)[::2] + 1
    expected = np.einsum("ij,kj->ik", base.T[1:5] * 2, base[::2, :4] + 1)
    got = mx.einsum("ij,kj->ik", a, b[:, :4])
    np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-5)


def test_numpy_operands_and_stream_keyword():
    a, b = _operands([(2, 3), (3, 2)], seed=4)
    got = mx.einsum("ij,jk", a, b, stream=mx.cpu)
    np.testing.assert_allclose(np.asarray(got), a @ b, rtol=1e-5, atol=1e-6)


def test_matches_mlx():
    import mlx.core as mlx

    for subscripts, shapes in CASES[::3]:
        ops = _operands(shapes, seed=5)
        ours = np.asarray(mx.einsum(subscripts, *[mx.array(o) for o in ops]))
        theirs = np.array(mlx.einsum(subscripts, *[mlx.array(o) for o in ops]))
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-4, err_msg=subscripts)


ERRORS = [
    ("ij->k", [(2, 3)], "does not appear"),
    ("ij->ii", [(2, 3)], "more than once"),
    ("ii", [(2, 3)], "different sizes"),
    ("ijk", [(2, 3)], "dimension"),
    ("i", [(2, 3)], "dimension"),
    ("ij", [(2, 3), (2, 3)], "operand"),
    ("ij,jk", [(2, 3)], "operand"),
    ("..i", [(2, 3)], "ellipsis"),
    ("i....", [(2, 3)], "ellipsis"),
    ("......", [(2, 3)], "ellipsis"),
    ("i1", [(2, 3)], "letters"),
    ("i,j->i,j", [(2,), (3,)], "letters"),
    ("ij-", [(2, 3)], "->"),
    ("ij>", [(2, 3)], "->"),
    ("i->i->i", [(2,)], "'->'"),
    ("...i->", [(2, 3)], "'...'"),
    ("...i->i", [(2, 3)], "'...'"),
    ("ij,jk", [(2, 3), (4, 2)], "mismatch"),
    ("i,i->", [(3,), (2,)], "mismatch"),
    ("...,...", [(2, 3), (4, 3)], "mismatch"),
]


@pytest.mark.parametrize("subscripts,shapes,match", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors(subscripts, shapes, match):
    # NumPy rejects every one of these too.
    with pytest.raises(ValueError):
        np.einsum(subscripts, *[np.ones(s) for s in shapes])
    with pytest.raises(ValueError, match="einsum") as info:
        mx.einsum(subscripts, *[mx.ones(s) for s in shapes])
    assert match in str(info.value), str(info.value)


def test_bad_arguments():
    with pytest.raises(ValueError, match="operand"):
        mx.einsum("")
    with pytest.raises(TypeError):
        mx.einsum(3, mx.ones((2,)))
