"""grad / value_and_grad / vjp / jvp: the guide's examples, finite differences,
jvp-vs-vjp consistency and higher order."""

import math

import numpy as np
import pytest

import mxc.core as mx

RNG = np.random.default_rng(0)


def f64(x):
    return mx.array(np.asarray(x, dtype=np.float64), dtype=mx.float64)


def numeric_grad(f, x, eps=1e-6):
    """Central differences of scalar f at NumPy array x (float64)."""
    x = np.asarray(x, dtype=np.float64)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += eps
        xm[i] -= eps
        g[i] = (f(f64(xp)).item() - f(f64(xm)).item()) / (2 * eps)
    return g


def check_grad(f, x, rtol=1e-5, atol=1e-6):
    g = np.array(mx.grad(f)(f64(x)))
    np.testing.assert_allclose(g, numeric_grad(f, x), rtol=rtol, atol=atol)


# ------------------------------------------------------------------ the guide


def test_guide_sin_derivatives():
    dfdx = mx.grad(mx.sin)
    assert repr(dfdx(mx.array(mx.pi))) == "array(-1, dtype=float32)"
    assert repr(mx.cos(mx.array(mx.pi))) == "array(-1, dtype=float32)"
    d2fdx2 = mx.grad(mx.grad(mx.sin))
    assert repr(d2fdx2(mx.array(mx.pi / 2))) == "array(-1, dtype=float32)"
    assert repr(mx.sin(mx.array(mx.pi / 2))) == "array(1, dtype=float32)"


def loss_fn(w, x, y):
    return mx.mean(mx.square(w * x - y))


def test_guide_loss_fn():
    w = mx.array(1.0)
    x = mx.array([0.5, -0.5])
    y = mx.array([1.5, -1.5])
    assert repr(mx.grad(loss_fn)(w, x, y)) == "array(-1, dtype=float32)"
    assert repr(mx.grad(loss_fn, argnums=1)(w, x, y)) == "array([-1, 1], dtype=float32)"
    loss, dloss_dw = mx.value_and_grad(loss_fn)(w, x, y)
    assert repr(loss) == "array(1, dtype=float32)"
    assert repr(dloss_dw) == "array(-1, dtype=float32)"


def test_guide_nested_params():
    def loss(params, x, y):
        w, b = params["weight"], params["bias"]
        h = w * x + b
        return mx.mean(mx.square(h - y))

    params = {"weight": mx.array(1.0), "bias": mx.array(0.0)}
    x = mx.array([0.5, -0.5])
    y = mx.array([1.5, -1.5])
    grads = mx.grad(loss)(params, x, y)
    assert str(grads) == "{'weight': array(-1, dtype=float32), 'bias': array(0, dtype=float32)}"


def test_guide_inplace_update_gradient():
    def fun(x, idx):
        x[idx] = 2.0
        return x.sum()

    dfdx = mx.grad(fun)(mx.array([1.0, 2.0, 3.0]), mx.array([1]))
    assert repr(dfdx) == "array([1, 0, 1], dtype=float32)"


def test_guide_numpy_view_inside_value_and_grad():
    def f(x):
        x_view = np.array(x, copy=False)
        x_view[:] *= x_view  # modify memory without telling mx
        return x.sum()

    x = mx.array([3.0])
    y, df = mx.value_and_grad(f)(x)
    assert y.item() == 9.0
    assert df.item() == 1.0


# ----------------------------------------------------------- finite differences

UNARY = {
    "sin": (mx.sin, None), "cos": (mx.cos, None), "tan": (mx.tan, (-1, 1)),
    "exp": (mx.exp, None), "expm1": (mx.expm1, None), "log": (mx.log, (0.5, 2)),
    "log1p": (mx.log1p, (0, 2)), "log2": (mx.log2, (0.5, 2)), "log10": (mx.log10, (0.5, 2)),
    "sqrt": (mx.sqrt, (0.5, 2)), "rsqrt": (mx.rsqrt, (0.5, 2)),
    "reciprocal": (mx.reciprocal, (0.5, 2)), "square": (mx.square, None),
    "tanh": (mx.tanh, None), "sinh": (mx.sinh, None), "cosh": (mx.cosh, None),
    "arcsin": (mx.arcsin, (-0.8, 0.8)), "arccos": (mx.arccos, (-0.8, 0.8)),
    "arctan": (mx.arctan, None), "arcsinh": (mx.arcsinh, None),
    "arccosh": (mx.arccosh, (1.5, 3)), "arctanh": (mx.arctanh, (-0.8, 0.8)),
    "sigmoid": (mx.sigmoid, None), "erf": (mx.erf, None), "erfinv": (mx.erfinv, (-0.8, 0.8)),
    "abs": (mx.abs, (0.2, 1)), "negative": (mx.negative, None),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_grad(name):
    op, rng = UNARY[name]
    lo, hi = rng or (-1.5, 1.5)
    x = RNG.uniform(lo, hi, size=(3,))
    check_grad(lambda a: op(a).sum(), x)


BINARY = {
    "add": mx.add, "subtract": mx.subtract, "multiply": mx.multiply, "divide": mx.divide,
    "power": mx.power, "maximum": mx.maximum, "minimum": mx.minimum,
    "arctan2": mx.arctan2, "logaddexp": mx.logaddexp, "remainder": mx.remainder,
}


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_grad_both_arguments(name):
    op = BINARY[name]
    a = RNG.uniform(0.5, 2.0, size=(2, 3))
    b = RNG.uniform(0.5, 2.0, size=(3,)) + 0.1  # broadcast
    check_grad(lambda x: op(x, f64(b)).sum(), a)
    check_grad(lambda y: op(f64(a), y).sum(), b)


REDUCTIONS = {
    "sum": lambda x: mx.sum(x, axis=1).sum(),
    "mean": lambda x: (mx.mean(x, axis=0) ** 2).sum(),
    "prod": lambda x: mx.prod(x, axis=1).sum(),
    "max": lambda x: mx.max(x, axis=1).sum(),
    "min": lambda x: mx.min(x),
    "logsumexp": lambda x: mx.logsumexp(x, axis=1).sum(),
    "softmax": lambda x: (mx.softmax(x, axis=-1) * mx.arange(4)).sum(),
    "var": lambda x: mx.var(x, axis=0).sum(),
    "std": lambda x: mx.std(x),
    "cumsum": lambda x: (mx.cumsum(x, axis=1) ** 2).sum(),
    "cumsum_rev_excl": lambda x: (mx.cumsum(x, axis=0, reverse=True, inclusive=False) ** 2).sum(),
    "cumprod": lambda x: mx.cumprod(x, axis=1).sum(),
    "sort": lambda x: (mx.sort(x, axis=1) * mx.arange(4)).sum(),
    "cummax": lambda x: (mx.cummax(x, axis=1) * mx.arange(4)).sum(),
    "cummin_reverse": lambda x: (mx.cummin(x, axis=0, reverse=True) ** 2).sum(),
}


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
def test_reduction_grad(name):
    x = RNG.uniform(0.5, 2.0, size=(3, 4))
    check_grad(REDUCTIONS[name], x)


SHAPE = {
    "reshape": lambda x: (x.reshape(4, 3) * mx.arange(3)).sum(),
    "transpose": lambda x: (x.T * mx.arange(3)).sum(),
    "slice": lambda x: (x[1:, ::2] ** 2).sum(),
    "negative_step": lambda x: (x[::-1, 1] * mx.arange(3)).sum(),
    "int_index": lambda x: (x[1] ** 3).sum(),
    "gather": lambda x: (x[mx.array([0, 2, 0])] ** 2).sum(),
    "take": lambda x: (mx.take(x, mx.array([3, 1]), axis=1) ** 2).sum(),
    "concatenate": lambda x: (mx.concatenate([x, x * 2], axis=1) ** 2).sum(),
    "pad": lambda x: (mx.pad(x, [(1, 0), (0, 2)], constant_values=1.0) ** 2).sum(),
    "broadcast": lambda x: (x[:, None, :] * mx.ones((3, 2, 4))).sum(),
    "where": lambda x: mx.where(x > 1.0, x * x, -x).sum(),
    "matmul": lambda x: (x @ x.T).sum(),
    "setitem": lambda x: _setitem(x),
    "stack_split": lambda x: (mx.split(mx.stack([x, x]), 2)[1] ** 2).sum(),
    "take_along_axis": lambda x: (mx.take_along_axis(x, mx.array([[1], [0], [3]]), 1) ** 2).sum(),
    "at_maximum": lambda x: (x.at[mx.array([0, 2, 0])].maximum(x[1] * 1.5) ** 2).sum(),
    "at_minimum": lambda x: (x.at[mx.array([1, 1])].minimum(x[0] * 0.5) ** 2).sum(),
    "at_multiply": lambda x: (x.at[mx.array([0, 2, 0])].multiply(x[1]) ** 2).sum(),
}


def _setitem(x):
    y = x * 1.0
    y[0, 1:3] = x[1, 1:3] * 5
    return (y ** 2).sum()


@pytest.mark.parametrize("name", sorted(SHAPE))
def test_shape_and_indexing_grad(name):
    x = RNG.uniform(0.5, 2.0, size=(3, 4))
    check_grad(SHAPE[name], x)


# ------------------------------------------------------- consistency, high order


def test_jvp_of_scans_and_sort_matches_vjp():
    x = f64(RNG.normal(size=(3, 5)))
    for f in (lambda a: mx.cummax(a, axis=1), lambda a: mx.cummin(a, axis=0, reverse=True),
              lambda a: mx.sort(a, axis=1)):
        t = f64(RNG.normal(size=(3, 5)))
        u = f64(RNG.normal(size=(3, 5)))
        _, (jt,) = mx.jvp(f, [x], [t])
        _, (ct,) = mx.vjp(f, [x], [u])
        lhs = (np.array(jt) * np.array(u)).sum()
        rhs = (np.array(ct) * np.array(t)).sum()
        assert math.isclose(lhs, rhs, rel_tol=1e-10, abs_tol=1e-12)


def test_jvp_matches_vjp():
    def f(x, y):
        return [mx.sin(x) * y, (x @ y.T).sum(axis=0)]

    x = f64(RNG.normal(size=(2, 3)))
    y = f64(RNG.normal(size=(2, 3)))
    tx = f64(RNG.normal(size=(2, 3)))
    ty = f64(RNG.normal(size=(2, 3)))
    outs, tangents = mx.jvp(f, [x, y], [tx, ty])
    u0 = f64(RNG.normal(size=(2, 3)))
    u1 = f64(RNG.normal(size=(2,)))
    outs2, cts = mx.vjp(f, [x, y], [u0, u1])
    lhs = (np.array(tangents[0]) * np.array(u0)).sum() + (np.array(tangents[1]) * np.array(u1)).sum()
    rhs = (np.array(cts[0]) * np.array(tx)).sum() + (np.array(cts[1]) * np.array(ty)).sum()
    assert math.isclose(lhs, rhs, rel_tol=1e-10)
    np.testing.assert_allclose(np.array(outs[0]), np.array(outs2[0]))


def test_fourth_derivative_of_sin():
    d4 = mx.grad(mx.grad(mx.grad(mx.grad(mx.sin))))
    x = 0.7
    np.testing.assert_allclose(d4(mx.array(x)).item(), math.sin(x), rtol=1e-5)


def test_grad_of_jvp_and_jvp_of_grad():
    x = f64(0.3)
    # d/dx [d/dx x^3 via jvp] = 6x
    g = mx.grad(lambda a: mx.jvp(lambda b: b ** 3, [a], [f64(1.0)])[1][0])(x)
    np.testing.assert_allclose(g.item(), 6 * 0.3)
    _, t = mx.jvp(mx.grad(lambda a: a ** 3), [x], [f64(1.0)])
    np.testing.assert_allclose(t[0].item(), 6 * 0.3)


def test_stop_gradient_blocks():
    g = mx.grad(lambda x: (x * mx.stop_gradient(x)).sum())(mx.array([2.0, 3.0]))
    np.testing.assert_allclose(np.array(g), [2.0, 3.0])


def test_python_control_flow_follows_value():
    def f(x):
        y = x * 2
        if y > 0:
            return mx.sin(y)
        return y * y

    np.testing.assert_allclose(mx.grad(f)(mx.array(0.5)).item(), 2 * math.cos(1.0), rtol=1e-6)
    np.testing.assert_allclose(mx.grad(f)(mx.array(-0.5)).item(), 8 * -0.5, rtol=1e-6)


def test_closure_and_argnums_tuple():
    c = mx.array([1.0, 2.0])

    def f(a, b):
        return (a * b * c).sum()

    ga, gb = mx.grad(f, argnums=(0, 1))(mx.array([3.0, 4.0]), mx.array([5.0, 6.0]))
    np.testing.assert_allclose(np.array(ga), [5.0, 12.0])
    np.testing.assert_allclose(np.array(gb), [3.0, 8.0])


def test_argnames_and_aux():
    def f(x, *, scale):
        return (x * scale).sum(), x * 2

    (value, aux), grads = mx.value_and_grad(f, argnames="scale")(mx.array([1.0, 2.0]),
                                                                 scale=mx.array(3.0))
    assert value.item() == 9.0
    np.testing.assert_allclose(np.array(aux), [2.0, 4.0])
    # argnums defaults to 0 only when no argnames are given
    assert set(grads) == {"scale"}
    assert grads["scale"].item() == 3.0


def test_errors():
    with pytest.raises(ValueError, match="scalar"):
        mx.grad(lambda x: x * 2)(mx.array([1.0, 2.0]))
    with pytest.raises(ValueError):
        mx.grad(lambda x: x.sum(), argnums=2)(mx.array([1.0]))
    with pytest.raises(ValueError):
        mx.vjp(lambda x: x, [mx.array([1.0])], [mx.array([1.0]), mx.array([2.0])])


def test_lazy_and_cached():
    import mxc._compiler as compiler

    vg = mx.value_and_grad(lambda w, x: mx.mean((w * x) ** 2))
    x = mx.array([1.0, 2.0, 3.0])
    mx.eval(*vg(mx.array(0.5), x))
    before = compiler.cache.misses
    for w in (0.1, 0.2, 0.3):
        loss, g = vg(mx.array(w), x)
        mx.eval(loss, g)
        np.testing.assert_allclose(g.item(), 2 * w * (1 + 4 + 9) / 3, rtol=1e-6)
    assert compiler.cache.misses == before


ORDER4 = {
    "exp": (mx.exp, lambda x: math.exp(x), 0.3),
    "tanh": (mx.tanh, lambda x: 8 * math.tanh(x) * (1 - math.tanh(x) ** 2)
             * (2 - 3 * math.tanh(x) ** 2), 0.4),
    "log": (mx.log, lambda x: -6 / x ** 4, 1.3),
    "power": (lambda x: mx.power(x, 5.0), lambda x: 120 * x, 0.7),
}


@pytest.mark.parametrize("name", sorted(ORDER4))
def test_fourth_derivatives_match_closed_forms(name):
    f, d4, x = ORDER4[name]
    g = mx.grad(mx.grad(mx.grad(mx.grad(f))))
    np.testing.assert_allclose(g(f64(x)).item(), d4(x), rtol=1e-9)


def test_fourth_derivative_of_a_matmul_chain():
    a = RNG.normal(size=(3, 3))
    am = f64(a)

    def f(s):  # sum((sA)^4) = s^4 sum(A^4): the fourth derivative is 24 sum(A^4)
        m = s * am
        return (m @ m @ m @ m).sum()

    d4 = mx.grad(mx.grad(mx.grad(mx.grad(f))))(f64(0.5)).item()
    np.testing.assert_allclose(d4, 24 * np.linalg.matrix_power(a, 4).sum(), rtol=1e-9)


def test_jvp_of_scatter_extrema_is_a_clear_error():
    x = mx.array([1.0, 2.0])
    with pytest.raises(ValueError, match="JVP not implemented for array.scatter_max"):
        mx.eval(mx.jvp(lambda v: v.at[mx.array([0])].maximum(1.5), [x], [x])[1])
