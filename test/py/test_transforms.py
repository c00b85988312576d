"""grad / value_and_grad / vjp / jvp: the guide's examples, composite functions
against finite differences, jvp-vs-vjp consistency, higher order and the API.
(Every op's rules, one by one: test_derivatives_all.py.)"""

import math

import numpy as np
import pytest

import mxc.core as mx
from mxc_testutil import f64, gtol

# Every test runs with the CPU and with the GPU as default device (conftest.py).
pytestmark = pytest.mark.usefixtures("on_device")

RNG = np.random.default_rng(0)


def numeric_grad(f, x, eps=1e-6):
    """Central differences of scalar f at NumPy array x (float64, on the CPU)."""
    with mx.stream(mx.cpu):
        return _numeric_grad(f, x, eps)


def _numeric_grad(f, x, eps):
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
    np.testing.assert_allclose(g, numeric_grad(f, x), rtol=gtol(rtol), atol=gtol(atol))


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

# Composite functions through grad; each op alone is in test_derivatives_all.py.
REDUCTIONS = {
    "mean": lambda x: (mx.mean(x, axis=0) ** 2).sum(),
    "logsumexp": lambda x: mx.logsumexp(x, axis=1).sum(),
    "softmax": lambda x: (mx.softmax(x, axis=-1) * mx.arange(4)).sum(),
    "var": lambda x: mx.var(x, axis=0).sum(),
    "std": lambda x: mx.std(x),
}


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
def test_reduction_grad(name):
    x = RNG.uniform(0.5, 2.0, size=(3, 4))
    check_grad(REDUCTIONS[name], x)


SHAPE = {
    "int_index": lambda x: (x[1] ** 3).sum(),
    "broadcast": lambda x: (x[:, None, :] * mx.ones((3, 2, 4))).sum(),
    "where": lambda x: mx.where(x > 1.0, x * x, -x).sum(),
    "setitem": lambda x: _setitem(x),
    "stack_split": lambda x: (mx.split(mx.stack([x, x]), 2)[1] ** 2).sum(),
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
    assert math.isclose(lhs, rhs, rel_tol=gtol(1e-10))
    np.testing.assert_allclose(np.array(outs[0]), np.array(outs2[0]))


def test_fourth_derivative_of_sin():
    d4 = mx.grad(mx.grad(mx.grad(mx.grad(mx.sin))))
    x = 0.7
    np.testing.assert_allclose(d4(mx.array(x)).item(), math.sin(x), rtol=1e-5)


def test_grad_of_jvp_and_jvp_of_grad():
    x = f64(0.3)
    # d/dx [d/dx x^3 via jvp] = 6x
    g = mx.grad(lambda a: mx.jvp(lambda b: b ** 3, [a], [f64(1.0)])[1][0])(x)
    np.testing.assert_allclose(g.item(), 6 * 0.3, rtol=gtol(1e-7, 1e-6))
    _, t = mx.jvp(mx.grad(lambda a: a ** 3), [x], [f64(1.0)])
    np.testing.assert_allclose(t[0].item(), 6 * 0.3, rtol=gtol(1e-7, 1e-6))


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
    # argnums defaults to 0 only when no argnames are given: as MLX, (None, {name: grad})
    positional, named = grads
    assert positional is None and set(named) == {"scale"}
    assert named["scale"].item() == 3.0


def test_errors():
    with pytest.raises(ValueError, match=r"Output shape \(2\) does not match cotangent shape"):
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
    np.testing.assert_allclose(g(f64(x)).item(), d4(x), rtol=gtol(1e-9, 1e-5))


def test_fourth_derivative_of_a_matmul_chain():
    a = RNG.normal(size=(3, 3))
    am = f64(a)

    def f(s):  # sum((sA)^4) = s^4 sum(A^4): the fourth derivative is 24 sum(A^4)
        m = s * am
        return (m @ m @ m @ m).sum()

    d4 = mx.grad(mx.grad(mx.grad(mx.grad(f))))(f64(0.5)).item()
    np.testing.assert_allclose(d4, 24 * np.linalg.matrix_power(a, 4).sum(),
                               rtol=gtol(1e-9, 1e-5))
