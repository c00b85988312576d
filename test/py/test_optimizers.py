"""mxc.optimizers against mlx.optimizers: same parameters and the same gradient
sequence in both -> the same parameters, state and learning rates each step."""

import math

import mlx.core as m
import mlx.nn as mnn
import mlx.optimizers as mopt
import mlx.utils as mu
import numpy as np
import pytest

import mxc.core as mx
import mxc.nn as nn
import mxc.optimizers as optim
from mxc.utils import tree_flatten, tree_map

# Every test runs with the CPU and with the GPU as default device (conftest.py).
pytestmark = pytest.mark.usefixtures("on_device")

RNG = np.random.default_rng(7)

SHAPES = {"layer": {"weight": (4, 3), "bias": (3,)}, "blocks": [(2,), {"w": (2, 2)}],
          "scale": ()}


def np_tree(scale=1.0):
    return mu.tree_map(lambda s: (RNG.standard_normal(s) * scale).astype(np.float32), SHAPES,
                       is_leaf=lambda s: isinstance(s, tuple))


def as_mx(tree):
    return tree_map(lambda a: mx.array(a), tree)


def as_m(tree):
    return mu.tree_map(lambda a: m.array(a), tree)


def assert_trees_close(ours, theirs, atol=1e-6, rtol=1e-5):
    a, b = tree_flatten(ours), mu.tree_flatten(theirs)
    assert [k for k, _ in a] == [k for k, _ in b]
    for (k, u), (_, v) in zip(a, b):
        u, v = np.asarray(u), np.asarray(v)
        assert u.shape == v.shape and u.dtype == v.dtype, (k, u.dtype, v.dtype)
        np.testing.assert_allclose(u, v, atol=atol, rtol=rtol, err_msg=k)


CONFIGS = {
    "sgd": lambda o: o.SGD(learning_rate=0.1),
    "sgd_momentum": lambda o: o.SGD(0.1, momentum=0.9),
    "sgd_all": lambda o: o.SGD(0.05, momentum=0.9, weight_decay=0.01, dampening=0.1),
    "sgd_nesterov": lambda o: o.SGD(0.05, momentum=0.8, weight_decay=0.02, nesterov=True),
    "sgd_wd_no_momentum": lambda o: o.SGD(0.05, weight_decay=0.1),
    "adam": lambda o: o.Adam(learning_rate=1e-2),
    "adam_bias_correction": lambda o: o.Adam(1e-2, betas=[0.8, 0.95], eps=1e-6,
                                             bias_correction=True),
    "adamw": lambda o: o.AdamW(learning_rate=1e-2),
    "adamw_wd_bc": lambda o: o.AdamW(3e-2, betas=[0.85, 0.99], weight_decay=0.1,
                                     bias_correction=True),
    "rmsprop": lambda o: o.RMSprop(1e-2, alpha=0.9),
    "adagrad": lambda o: o.Adagrad(0.1),
    "adadelta": lambda o: o.AdaDelta(1.0, rho=0.8),
    "adamax": lambda o: o.Adamax(1e-2, betas=[0.9, 0.99]),
    "lion": lambda o: o.Lion(1e-3, weight_decay=0.1),
    "sgd_cosine": lambda o: o.SGD(learning_rate=o.cosine_decay(0.1, 4, end=0.01), momentum=0.5),
    "adam_warmup": lambda o: o.Adam(learning_rate=o.join_schedules(
        [o.linear_schedule(0.0, 1e-2, 3), o.exponential_decay(1e-2, 0.9)], [3])),
    "adamw_step_decay": lambda o: o.AdamW(learning_rate=o.step_decay(1e-2, 0.5, 2),
                                          bias_correction=True),
}


@pytest.mark.parametrize("name", list(CONFIGS))
def test_optimizer_steps_match_mlx(name):
    ours, theirs = CONFIGS[name](optim), CONFIGS[name](mopt)
    params = np_tree()
    xp, mp = as_mx(params), as_m(params)
    for step in range(6):
        grads = np_tree(scale=0.5 + step)
        xp = ours.apply_gradients(as_mx(grads), xp)
        mp = theirs.apply_gradients(as_m(grads), mp)
        assert_trees_close(xp, mp)
        assert_trees_close(ours.state, theirs.state)
        assert int(ours.step) == step + 1
        assert ours.step.dtype == mx.uint64
        np.testing.assert_allclose(float(ours.learning_rate), float(theirs.learning_rate),
                                   rtol=1e-6, atol=1e-9)


def test_sgd_by_hand():
    opt = optim.SGD(learning_rate=0.5, momentum=0.9)
    p = {"w": mx.array([1.0, 2.0])}
    p = opt.apply_gradients({"w": mx.array([1.0, -1.0])}, p)
    np.testing.assert_allclose(np.array(p["w"]), [0.5, 2.5])
    p = opt.apply_gradients({"w": mx.array([1.0, -1.0])}, p)
    # v = 0.9 * 1 + 1 = 1.9
    np.testing.assert_allclose(np.array(p["w"]), [0.5 - 0.95, 2.5 + 0.95], rtol=1e-6)
    np.testing.assert_allclose(np.array(opt.state["w"]["v"]), [1.9, -1.9], rtol=1e-6)


def test_adam_by_hand():
    opt = optim.Adam(learning_rate=0.1, bias_correction=True)
    p = opt.apply_gradients({"w": mx.array([2.0])}, {"w": mx.array([1.0])})
    # first bias-corrected step: m_hat = g, v_hat = g^2 -> step = lr * sign(g)
    np.testing.assert_allclose(np.array(p["w"]), [0.9], rtol=1e-5)
    opt = optim.Adam(learning_rate=0.1)
    p = opt.apply_gradients({"w": mx.array([2.0])}, {"w": mx.array([1.0])})
    m_, v_ = 0.1 * 2.0, 0.001 * 4.0
    np.testing.assert_allclose(np.array(p["w"]), [1.0 - 0.1 * m_ / (math.sqrt(v_) + 1e-8)],
                               rtol=1e-5)
    opt = optim.AdamW(learning_rate=0.1, weight_decay=0.5)
    p = opt.apply_gradients({"w": mx.array([0.0])}, {"w": mx.array([1.0])})
    np.testing.assert_allclose(np.array(p["w"]), [0.95], rtol=1e-6)


def _twin_models():
    def build(n):
        return n.Sequential(n.Linear(3, 4), n.ReLU(), n.Linear(4, 2))

    x, y = build(nn), build(mnn)
    y.update(mu.tree_map(lambda a: m.array(np.array(a)), x.parameters()))
    return x, y


@pytest.mark.parametrize("name", ["sgd_nesterov", "adamw_wd_bc", "adam_warmup"])
def test_update_model_matches_mlx(name):
    x, y = _twin_models()
    ours, theirs = CONFIGS[name](optim), CONFIGS[name](mopt)
    for step in range(4):
        grads = mu.tree_map(lambda a: RNG.standard_normal(a.shape).astype(np.float32),
                            x.parameters())
        assert ours.update(x, as_mx(grads)) is None
        theirs.update(y, as_m(grads))
        assert_trees_close(x.parameters(), y.parameters())
        assert_trees_close(ours.state, theirs.state)


def test_update_only_touches_given_parameters():
    x, _ = _twin_models()
    x.freeze(keys="bias")
    before = {k: np.array(v) for k, v in tree_flatten(x.parameters())}
    grads = tree_map(lambda a: mx.ones(a.shape), x.trainable_parameters())
    optim.SGD(0.1).update(x, grads)
    for k, v in tree_flatten(x.parameters()):
        if k.endswith("bias"):
            np.testing.assert_array_equal(np.array(v), before[k])
        else:
            np.testing.assert_allclose(np.array(v), before[k] - 0.1, rtol=1e-6)


def test_state_init_and_setters():
    opt = optim.Adam(learning_rate=1e-3)
    assert set(opt.state) == {"step", "learning_rate"}
    assert int(opt.step) == 0 and opt.step.dtype == mx.uint64
    params = as_mx(np_tree())
    opt.init(params)
    assert_trees_close(opt.state, _mlx_init_state(params))
    assert float(mx.abs(opt.state["layer"]["weight"]["m"]).sum()) == 0
    # init keeps state that exists and adds what is new
    opt.state["layer"]["weight"]["m"] = mx.ones((4, 3))
    opt.init({**params, "new": mx.zeros((5,))})
    assert float(opt.state["layer"]["weight"]["m"].sum()) == 12
    assert opt.state["new"]["v"].shape == (5,)
    # the learning rate can be changed (kept as an array)
    opt.learning_rate = 0.5
    assert isinstance(opt.learning_rate, mx.array) and float(opt.learning_rate) == 0.5
    # a state can be saved and restored
    saved = tree_map(lambda a: a, opt.state)  # a copy of the tree (arrays are immutable)
    fresh = optim.Adam(learning_rate=0.5)
    fresh.state = saved
    assert fresh.state is saved
    a = fresh.apply_gradients({"new": mx.ones((5,))}, {"new": mx.zeros((5,))})
    b = opt.apply_gradients({"new": mx.ones((5,))}, {"new": mx.zeros((5,))})
    np.testing.assert_array_equal(np.array(a["new"]), np.array(b["new"]))


def _mlx_init_state(params):
    opt = mopt.Adam(learning_rate=1e-3)
    opt.init(as_m(tree_map(lambda a: np.array(a), params)))
    return opt.state


def test_init_with_lists_and_new_parameters_matches_mlx():
    ours, theirs = optim.SGD(0.1, momentum=0.9), mopt.SGD(0.1, momentum=0.9)
    p = {"a": [np.ones(2, np.float32)]}
    ours.init(as_mx(p))
    theirs.init(as_m(p))
    p2 = {"a": [np.ones(2, np.float32), np.ones(3, np.float32)], "b": np.ones(1, np.float32)}
    ours.init(as_mx(p2))
    theirs.init(as_m(p2))
    assert_trees_close(ours.state, theirs.state)


SCHEDULES = [
    ("exponential_decay", (0.1, 0.9)),
    ("step_decay", (0.1, 0.5, 3)),
    ("cosine_decay", (0.1, 7)),
    ("cosine_decay", (0.1, 5, 0.02)),
    ("linear_schedule", (0.0, 1.0, 4)),
    ("linear_schedule", (1e-2, 1e-4, 6)),
]


@pytest.mark.parametrize("name,args", SCHEDULES)
def test_schedules_match_mlx(name, args):
    ours, theirs = getattr(optim, name)(*args), getattr(mopt, name)(*args)
    for step in range(12):
        a = ours(mx.array(step, mx.uint64))
        b = theirs(m.array(step, m.uint64))
        np.testing.assert_allclose(float(a), float(b), rtol=1e-6, atol=1e-9)


def test_schedule_values_by_hand():
    assert math.isclose(float(optim.step_decay(0.1, 0.5, 10)(mx.array(25))), 0.025, rel_tol=1e-6)
    assert math.isclose(float(optim.exponential_decay(2.0, 0.5)(mx.array(3))), 0.25)
    cos = optim.cosine_decay(1.0, 10, end=0.1)
    assert math.isclose(float(cos(mx.array(0))), 1.0, rel_tol=1e-6)
    assert math.isclose(float(cos(mx.array(5))), 0.55, rel_tol=1e-6)
    assert math.isclose(float(cos(mx.array(20))), 0.1, rel_tol=1e-6)
    lin = optim.linear_schedule(0.0, 1.0, 4)
    assert [round(float(lin(mx.array(s))), 6) for s in range(6)] == [0, 0.25, 0.5, 0.75, 1, 1]


def test_join_schedules_match_mlx():
    def make(o):
        return o.join_schedules([o.linear_schedule(0.0, 0.1, 3), o.cosine_decay(0.1, 4),
                                 o.exponential_decay(0.05, 0.5)], [3, 7])

    ours, theirs = make(optim), make(mopt)
    for step in range(12):
        np.testing.assert_allclose(float(ours(mx.array(step))), float(theirs(m.array(step))),
                                   rtol=1e-6, atol=1e-9)
    assert math.isclose(float(ours(mx.array(8))), 0.025, rel_tol=1e-6)


def test_scheduled_learning_rate_in_state():
    opt = optim.SGD(learning_rate=optim.step_decay(1.0, 0.5, 1))
    assert float(opt.learning_rate) == 1.0
    p = {"w": mx.array([0.0])}
    seen = []
    for _ in range(3):
        p = opt.apply_gradients({"w": mx.array([1.0])}, p)
        seen.append(float(opt.learning_rate))
    # the schedule is evaluated at the step before the update
    assert seen == [1.0, 0.5, 0.25]
    np.testing.assert_allclose(np.array(p["w"]), [-1.75])


def test_multi_optimizer_matches_mlx():
    def make(o):
        return o.MultiOptimizer([o.Adam(1e-2), o.SGD(0.1, momentum=0.9)],
                                [lambda name, g: name.endswith("bias")])

    ours, theirs = make(optim), make(mopt)
    params = np_tree()
    xp, mp = as_mx(params), as_m(params)
    for _ in range(3):
        grads = np_tree()
        xp = ours.apply_gradients(as_mx(grads), xp)
        mp = theirs.apply_gradients(as_m(grads), mp)
        # The merged tree's key order is not specified (MLX merges through a set).
        a = tree_flatten(xp, destination={})
        b = mu.tree_flatten(mp, destination={})
        assert set(a) == set(b) == set(tree_flatten(params, destination={}))
        for k in a:
            np.testing.assert_allclose(np.array(a[k]), np.array(b[k]), atol=1e-6, rtol=1e-5)
    # the bias went through Adam, the rest through SGD with momentum
    assert set(ours.state["states"][0]["layer"]) == {"bias"}
    assert set(ours.state["states"][0]["layer"]["bias"]) == {"m", "v"}
    assert set(ours.state["states"][1]["layer"]["weight"]) == {"v"}
    assert len(ours.state["states"]) == 2
    with pytest.raises(ValueError, match="filters"):
        optim.MultiOptimizer([optim.SGD(0.1), optim.SGD(0.1)], [])


def test_clip_grad_norm_matches_mlx():
    grads = np_tree(scale=3.0)
    for max_norm in (0.5, 1e6):
        a, na = optim.clip_grad_norm(as_mx(grads), max_norm)
        b, nb = mopt.clip_grad_norm(as_m(grads), max_norm)
        assert_trees_close(a, b, atol=1e-6)
        np.testing.assert_allclose(float(na), float(nb), rtol=1e-6)
    total = math.sqrt(sum(float((v.astype(np.float64) ** 2).sum())
                          for _, v in mu.tree_flatten(grads)))
    clipped, norm = optim.clip_grad_norm(as_mx(grads), 1.0)
    np.testing.assert_allclose(float(norm), total, rtol=1e-5)
    new_total = math.sqrt(sum(float((np.array(v) ** 2).sum()) for _, v in tree_flatten(clipped)))
    np.testing.assert_allclose(new_total, 1.0, rtol=1e-4)
    with pytest.raises(ValueError, match="max_norm"):
        optim.clip_grad_norm(as_mx(grads), -1.0)


@pytest.mark.parametrize("make,match", [
    (lambda: optim.SGD(0.1, nesterov=True), "Nesterov"),
    (lambda: optim.SGD(0.1, momentum=0.9, dampening=0.1, nesterov=True), "Nesterov"),
    (lambda: optim.Adam(0.1, betas=[1.0, 0.9]), "beta1"),
    (lambda: optim.AdamW(0.1, betas=[0.9, -0.1]), "beta2"),
    (lambda: optim.Adam(0.1, eps=-1.0), "epsilon"),
    (lambda: optim.RMSprop(0.1, alpha=-0.5), "alpha"),
    (lambda: optim.RMSprop(0.1, eps=0.0), "epsilon"),
    (lambda: optim.Adagrad(0.1, eps=0.0), "epsilon"),
    (lambda: optim.AdaDelta(0.1, rho=-1.0), "rho"),
    (lambda: optim.Lion(0.1, betas=[0.9, 1.5]), "beta2"),
    (lambda: optim.step_decay(0.1, 0.5, 0), "step_size"),
    (lambda: optim.cosine_decay(0.1, 0), "decay_steps"),
    (lambda: optim.linear_schedule(0.1, 0.0, 0), "steps"),
    (lambda: optim.join_schedules([], []), "at least 1"),
    (lambda: optim.join_schedules([optim.exponential_decay(0.1, 0.9)], [3]), "boundaries"),
])
def test_optimizer_argument_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_base_optimizer_is_abstract():
    opt = optim.Optimizer()
    with pytest.raises(NotImplementedError):
        opt.init({"w": mx.zeros((1,))})


@pytest.mark.parametrize("name", ["sgd_all", "adamw_wd_bc"])
def test_training_steps_match_mlx(name):
    """Same initial weights and batches: nn.value_and_grad + optimizer.update give
    the same losses and parameters as MLX, step after step."""
    x, y = _twin_models()
    ours, theirs = CONFIGS[name](optim), CONFIGS[name](mopt)
    data = RNG.standard_normal((8, 3)).astype(np.float32)
    labels = RNG.integers(0, 2, size=(8,)).astype(np.int32)

    def xloss(a, t):
        return nn.losses.cross_entropy(x(a), t, reduction="mean")

    def yloss(a, t):
        return mnn.losses.cross_entropy(y(a), t, reduction="mean")

    x_step, y_step = nn.value_and_grad(x, xloss), mnn.value_and_grad(y, yloss)
    losses = []
    for _ in range(5):
        xl, xg = x_step(mx.array(data), mx.array(labels))
        yl, yg = y_step(m.array(data), m.array(labels))
        assert_trees_close(xg, yg, atol=1e-5, rtol=1e-4)
        ours.update(x, xg)
        theirs.update(y, yg)
        mx.eval(x.parameters(), ours.state)
        np.testing.assert_allclose(float(xl), float(yl), rtol=1e-5)
        assert_trees_close(x.parameters(), y.parameters(), atol=1e-5, rtol=1e-4)
        losses.append(float(xl))
    assert losses[-1] < losses[0]
