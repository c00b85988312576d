"""mx.compile: traced once per signature, replayed as one compiled program, with
MLX's semantics for constants, state (inputs=/outputs=) and evaluation inside."""

from functools import partial

import numpy as np
import pytest

import mxc.core as mx
import mxc.nn as nn
import mxc.optimizers as optim


def counted(fn):
    calls = []

    def wrapper(*a, **k):
        calls.append(1)
        return fn(*a, **k)

    return wrapper, calls


def test_values_match_eager_and_trace_once():
    fn, calls = counted(lambda x, y: mx.exp(-x) * mx.sin(y) + (x @ y.T) @ x)
    cf = mx.compile(fn)
    rng = np.random.default_rng(0)
    for _ in range(4):
        x, y = (mx.array(rng.standard_normal((3, 4)).astype(np.float32)) for _ in range(2))
        np.testing.assert_allclose(np.array(cf(x, y)), np.array(fn(x, y)), rtol=1e-6)
    assert len(calls) == 1 + 4  # one trace, then only the four eager reference calls


@pytest.mark.skipif(not mx.is_available(mx.gpu), reason="no Vulkan/Metal device")
def test_gpu_programs_replay_and_mixed_devices_run_as_written():
    x = np.arange(4, dtype=np.float32) / 4
    previous = mx.default_device()
    mx.set_default_device(mx.gpu)
    try:
        fn, calls = counted(lambda x: mx.exp(x) * 2)
        cf = mx.compile(fn)
        for i in range(3):
            np.testing.assert_allclose(np.array(cf(mx.array(x + i))), np.exp(x + i) * 2,
                                       rtol=1e-6)
        assert len(calls) == 1
        # A CPU op inside: one program cannot run on both devices, so the function
        # runs as written at each call (the first call's trace is its result).
        mixed, calls = counted(lambda x: mx.exp(x, stream=mx.cpu) + mx.sin(x))
        cm = mx.compile(mixed)
        for i in range(3):
            np.testing.assert_allclose(np.array(cm(mx.array(x + i))),
                                       np.exp(x + i) + np.sin(x + i), rtol=1e-6)
        assert len(calls) == 3
    finally:
        mx.set_default_device(previous)


def test_retrace_on_shape_dtype_constant_and_aliasing():
    fn, calls = counted(lambda x, y, scale=1: (x + y) * scale)
    cf = mx.compile(fn)
    x = mx.ones((2,))
    assert cf(x, x).tolist() == [2, 2]
    assert cf(x, mx.ones((2,))).tolist() == [2, 2]  # other aliasing: traced again
    assert len(calls) == 2
    assert cf(x, mx.ones((2,)), scale=3).tolist() == [6, 6]
    assert cf(x, mx.ones((2,)), scale=3).tolist() == [6, 6]
    assert len(calls) == 3
    assert cf(mx.ones((3,)), mx.ones((3,))).tolist() == [2, 2, 2]
    assert cf(mx.ones((2,), mx.int32), mx.ones((2,), mx.int32)).dtype == mx.int32
    assert len(calls) == 5
    assert cf(mx.array([1, 2]), mx.array([3, 4])).tolist() == [4, 6]  # replay: new values
    assert len(calls) == 5


def test_pytrees_in_and_out_and_passthrough_outputs():
    def fn(d, pair):
        a, b = pair
        return {"sum": d["x"] + a, "same": b, "list": [a * 2, 7, None]}

    cf = mx.compile(fn)
    x, a, b = mx.array([1.0, 2.0]), mx.array([3.0, 4.0]), mx.array(5.0)
    out = cf({"x": x}, (a, b))
    assert out["sum"].tolist() == [4, 6] and out["same"] is b
    assert out["list"][0].tolist() == [6, 8] and out["list"][1:] == [7, None]
    b2 = mx.array(9.0)
    out = cf({"x": x}, (a, b2))
    assert out["same"] is b2
    assert cf({"x": mx.zeros((0,))}, (mx.zeros((0,)), b))["sum"].shape == (0,)


def test_training_step_with_state_matches_uncompiled():
    def make():
        mx.random.seed(0)
        model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
        return model, optim.Adam(learning_rate=0.05)

    def loss_fn(model, x, y):
        return nn.losses.mse_loss(model(x), y)

    rng = np.random.default_rng(1)
    x = mx.array(rng.standard_normal((16, 4)).astype(np.float32))
    y = mx.array(rng.standard_normal((16, 2)).astype(np.float32))
    losses = {}
    for compiled in (False, True):
        model, opt = make()
        state = [model.state, opt.state]

        def step(x, y):
            loss, grads = nn.value_and_grad(model, loss_fn)(model, x, y)
            opt.update(model, grads)
            return loss

        if compiled:
            step = partial(mx.compile, inputs=state, outputs=state)(step)
        losses[compiled] = [step(x, y).item() for _ in range(6)]
        mx.eval(model.parameters())
        losses[compiled].append(np.array(model.layers[0].weight))
    for a, b in zip(losses[False], losses[True]):
        np.testing.assert_allclose(a, b, rtol=2e-5, atol=1e-6)
    assert losses[True][5] < losses[True][0]


def test_random_state_gives_new_numbers_like_eager():
    mx.random.seed(3)
    eager = [np.array(mx.random.normal((3,))) for _ in range(3)]
    mx.random.seed(3)
    f = partial(mx.compile, inputs=mx.random.state, outputs=mx.random.state)(
        lambda: mx.random.normal((3,)))
    compiled = [np.array(f()) for _ in range(3)]
    np.testing.assert_array_equal(np.stack(eager), np.stack(compiled))
    after = np.array(mx.random.normal((3,)))  # the global sequence went on
    mx.random.seed(3)
    for _ in range(3):
        mx.random.normal((3,))
    np.testing.assert_array_equal(after, np.array(mx.random.normal((3,))))


def test_transforms_compose_with_compile():
    f = lambda x: mx.sum(mx.sin(x) * x)
    x = mx.array([0.5, -1.0, 2.0])
    want = np.array(mx.grad(f)(x))
    np.testing.assert_allclose(np.array(mx.compile(mx.grad(f))(x)), want, rtol=1e-6)
    np.testing.assert_allclose(np.array(mx.grad(mx.compile(f))(x)), want, rtol=1e-6)
    np.testing.assert_allclose(np.array(mx.vmap(mx.compile(lambda v: v * 2))(x)),
                               [1, -2, 4])


def test_eval_inside_raises_and_bad_arguments():
    def branchy(x):
        return x if x > 0 else -x

    with pytest.raises(ValueError, match=r"\[compile\] Attempting to eval"):
        mx.compile(branchy)(mx.array(1.0))
    with pytest.raises(ValueError, match=r"\[compile\]"):
        mx.compile(lambda x: (x + 1).item())(mx.array(1.0))
    with pytest.raises(TypeError, match="callable"):
        mx.compile(3)
    state = (mx.array(1.0),)
    with pytest.raises(TypeError, match="tuple"):
        mx.compile(lambda: state[0] + 1, outputs=state)()


def test_disable_compile_runs_python_each_time():
    fn, calls = counted(lambda x: x + 1)
    cf = mx.compile(fn)
    mx.disable_compile()
    try:
        cf(mx.array(1.0))
        cf(mx.array(1.0))
        assert len(calls) == 2
    finally:
        mx.enable_compile()
    cf(mx.array(1.0))
    cf(mx.array(1.0))
    assert len(calls) == 3
