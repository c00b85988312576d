"""mxc.nn against mlx.nn: same parameters copied into both -> same outputs,
same Module bookkeeping, same losses and initializer statistics."""

import math
import os

import mlx.core as m
import mlx.nn as mnn
import mlx.utils as mu
import numpy as np
import pytest

import mxc.core as mx
import mxc.nn as nn
from mxc.utils import tree_flatten

# Every test runs with the CPU and with the GPU as default device (conftest.py).
pytestmark = pytest.mark.usefixtures("on_device")

RNG = np.random.default_rng(1234)


def randn(*shape, scale=1.0):
    return (RNG.standard_normal(shape) * scale).astype(np.float32)


def assert_close(a, b, atol=1e-5, rtol=1e-5):
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape, (a.shape, b.shape)
    np.testing.assert_allclose(a, b, atol=atol, rtol=rtol)


def to_mlx(tree):
    return mu.tree_map(lambda a: m.array(np.array(a)), tree)


def copy_params(xmodel, mmodel):
    """Copies mxc's (random) parameters into the MLX twin."""
    mmodel.update(to_mlx(xmodel.parameters()))
    return mmodel


def flat_keys(tree):
    return [k for k, _ in tree_flatten(tree)]


def flat_shapes(tree):
    return {k: tuple(v.shape) for k, v in tree_flatten(tree)}


def build_net(nn_, mx_):
    """The same architecture in either framework."""

    class Net(nn_.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn_.Embedding(12, 8)
            self.blocks = [nn_.Linear(8, 16), nn_.Linear(16, 16, bias=False)]
            self.norms = {"ln": nn_.LayerNorm(16), "rms": nn_.RMSNorm(16)}
            self.head = nn_.Sequential(nn_.GELU(), nn_.Dropout(0.25), nn_.Linear(16, 5))
            self.scale = mx_.array([1.5])
            self._hidden = mx_.array([2.0])  # private: not a parameter
            self.depth = 2  # plain attribute: not in the tree

        def __call__(self, ids):
            h = self.emb(ids)
            h = nn_.relu(self.blocks[0](h))
            h = self.norms["ln"](h)
            h = self.blocks[1](h) * self.scale
            h = self.norms["rms"](h)
            return self.head(h)

    return Net()


@pytest.fixture
def nets():
    x, y = build_net(nn, mx), build_net(mnn, m)
    copy_params(x, y)
    return x, y


IDS = np.array([[1, 5, 11], [0, 3, 7]], dtype=np.int32)


# ---------------------------------------------------------------------------- Module


def test_parameters_match_mlx(nets):
    x, y = nets
    assert flat_keys(x.parameters()) == flat_keys(y.parameters())
    assert flat_shapes(x.parameters()) == flat_shapes(y.parameters())
    assert "_hidden" not in x.parameters() and "depth" not in x.parameters()
    assert isinstance(x.parameters()["blocks"], list)
    assert x.depth == 2 and "depth" not in x
    assert x.state is x


def test_forward_matches_mlx(nets):
    x, y = nets
    x.eval()
    y.eval()
    assert_close(x(mx.array(IDS)), y(m.array(IDS)), atol=1e-5)


def test_repr_matches_mlx(nets):
    x, y = nets
    assert repr(x) == repr(y)
    assert repr(nn.Conv1d(4, 6, 3, stride=2, padding=1)) == repr(
        mnn.Conv1d(4, 6, 3, stride=2, padding=1))


@pytest.mark.parametrize("action", [
    lambda n: n.freeze(),
    lambda n: n.freeze(keys="bias"),
    lambda n: n.freeze(keys=["weight"], recurse=False),
    lambda n: n.freeze(recurse=False),
    lambda n: n.freeze().unfreeze(keys="bias"),
    lambda n: n.freeze().unfreeze(keys=["weight", "bias"], recurse=False),
    lambda n: n.blocks[0].freeze(),
    lambda n: n.freeze(keys="weight").unfreeze(),
    lambda n: n.freeze(keys="scale", strict=True),
    lambda n: n.apply_to_modules(lambda k, mod: mod.freeze() if k.startswith("norms") else None),
])
def test_freeze_unfreeze_match_mlx(nets, action):
    x, y = nets
    assert action(x) is not None
    action(y)
    assert flat_keys(x.trainable_parameters()) == flat_keys(y.trainable_parameters())
    # parameters() is unaffected by freezing
    assert flat_keys(x.parameters()) == flat_keys(y.parameters())


def test_freeze_semantics(nets):
    x, _ = nets
    x.freeze(keys="bias")
    keys = flat_keys(x.trainable_parameters())
    assert not any(k.endswith("bias") for k in keys)
    assert "blocks.0.weight" in keys
    x.unfreeze()
    assert flat_keys(x.trainable_parameters()) == flat_keys(x.parameters())
    x.freeze(recurse=False)
    assert flat_keys(x.trainable_parameters()) == [
        k for k in flat_keys(x.parameters()) if k != "scale"]
    with pytest.raises(KeyError, match="nope"):
        x.freeze(keys="nope", strict=True)
    with pytest.raises(KeyError, match="bias"):
        x.freeze(keys="bias", strict=True, recurse=False)  # the root has no bias
    with pytest.raises(KeyError, match="nope"):
        x.unfreeze(keys=["nope"], strict=True)
    x.freeze(keys="nope")  # not strict: ignored silently


def test_children_and_modules_match_mlx(nets):
    x, y = nets
    xc = tree_flatten(x.children(), is_leaf=nn.Module.is_module)
    yc = mu.tree_flatten(y.children(), is_leaf=mnn.Module.is_module)
    assert [k for k, _ in xc] == [k for k, _ in yc]
    assert [type(v).__name__ for _, v in xc] == [type(v).__name__ for _, v in yc]
    xl = tree_flatten(x.leaf_modules(), is_leaf=nn.Module.is_module)
    yl = mu.tree_flatten(y.leaf_modules(), is_leaf=mnn.Module.is_module)
    assert [k for k, _ in xl] == [k for k, _ in yl]
    assert [k for k, _ in x.named_modules()] == [k for k, _ in y.named_modules()]
    assert [type(v).__name__ for v in x.modules()] == [type(v).__name__ for v in y.modules()]
    assert x.modules()[0] is x and x.named_modules()[0] == ("", x)
    assert "head.layers.2" in dict(x.named_modules())


def test_update_partial_and_strict(nets):
    x, _ = nets
    w = mx.zeros((16, 8))
    assert x.update({"blocks": [{"weight": w}]}) is x
    assert x.blocks[0].weight is w
    old_bias = x.blocks[0].bias
    assert x.blocks[0].bias is old_bias
    with pytest.raises(ValueError, match='parameter named "nope"'):
        x.update({"nope": mx.zeros((1,))})
    with pytest.raises(ValueError, match="Received invalid type: int"):
        x.update({"scale": 3})
    with pytest.raises(ValueError, match="out of bounds"):
        x.update({"blocks": [{}, {}, {"weight": w}]})
    # Not strict: unknown names and out-of-range indices are ignored.
    x.update({"nope": mx.zeros((1,)), "blocks": [{}, {}, {}]}, strict=False)
    assert "nope" not in x


def test_update_modules(nets):
    x, y = nets
    new = nn.Linear(16, 16)
    x.update_modules({"blocks": [{}, new], "norms": {"ln": nn.LayerNorm(16, affine=False)}})
    assert x.blocks[1] is new
    assert "weight" not in x.norms["ln"]
    with pytest.raises(ValueError, match='sub-module named "nope"'):
        x.update_modules({"nope": nn.Linear(1, 1)})
    with pytest.raises(ValueError, match="Received invalid type"):
        x.update_modules({"scale": nn.Linear(1, 1)})
    x.update_modules({"nope": nn.Linear(1, 1)}, strict=False)
    assert "nope" not in x


def test_apply_and_set_dtype(nets):
    x, _ = nets
    x.apply(lambda a: a * 0)
    assert all(float(mx.abs(v).sum()) == 0 for _, v in tree_flatten(x.parameters()))
    x.apply(lambda a: a + 1, filter_fn=lambda mod, k, v: k != "bias"
            and nn.Module.valid_parameter_filter(mod, k, v))
    assert float(x.blocks[0].bias.sum()) == 0 and float(x.blocks[0].weight.sum()) == 16 * 8
    x.set_dtype(mx.float16)
    assert {v.dtype for _, v in tree_flatten(x.parameters())} == {mx.float16}
    layer = nn.Linear(2, 2)
    layer.idx = mx.array([1, 2])
    layer.set_dtype(mx.bfloat16)
    assert layer.weight.dtype == mx.bfloat16 and layer.idx.dtype == mx.int32


def test_train_eval_flags(nets):
    x, _ = nets
    assert x.training and all(mod.training for mod in x.modules())
    assert x.eval() is x
    assert not any(mod.training for mod in x.modules())
    x.train()
    assert all(mod.training for mod in x.modules())
    x.head.train(False)
    assert x.training and not x.head.layers[1].training


def test_attribute_semantics():
    mod = nn.Module()
    mod.n = 3
    assert mod.n == 3 and "n" not in mod
    mod.n = mx.ones((2,))  # now a member of the tree
    assert "n" in mod and "n" not in mod.__dict__
    mod.n = 4  # and back to a plain attribute
    assert "n" not in mod and mod.n == 4
    mod.arr = mx.zeros((1,))
    del mod.arr
    assert "arr" not in mod
    with pytest.raises(AttributeError):
        mod.missing
    mod.items_ = [nn.Linear(1, 1)]
    assert flat_keys(mod.parameters()) == ["items_.0.weight", "items_.0.bias"]


def test_module_containers_in_dicts_and_lists():
    mod = nn.Module()
    mod.d = {"a": mx.ones((1,)), "_b": mx.ones((1,)), "c": [mx.ones((2,)), 3]}
    mmod = mnn.Module()
    mmod.d = {"a": m.ones((1,)), "_b": m.ones((1,)), "c": [m.ones((2,)), 3]}
    assert flat_keys(mod.parameters()) == [k for k, _ in mu.tree_flatten(mmod.parameters())]
    # Inside a dict the filtered key is the dotted path ("d._b"), so it is kept, as
    # in MLX; a non-array list element stays as an empty placeholder.
    assert flat_keys(mod.parameters()) == ["d.a", "d._b", "d.c.0"]
    assert mod.parameters()["d"]["c"][1] == {}


# ---------------------------------------------------------------------------- layers


def _pair(ctor):
    """(mxc layer, mlx layer) built by ``ctor(nn)`` with the same parameters."""
    x, y = ctor(nn), ctor(mnn)
    assert flat_shapes(x.parameters()) == flat_shapes(y.parameters())
    copy_params(x, y)
    return x, y


LAYERS = [
    ("linear", lambda n: n.Linear(5, 3), (4, 5)),
    ("linear_nobias", lambda n: n.Linear(5, 3, bias=False), (2, 6, 5)),
    ("linear_1d", lambda n: n.Linear(5, 3), (5,)),
    ("bilinear", None, None),
    ("layernorm", lambda n: n.LayerNorm(6), (3, 4, 6)),
    ("layernorm_noaffine", lambda n: n.LayerNorm(6, affine=False), (3, 6)),
    ("layernorm_nobias", lambda n: n.LayerNorm(6, bias=False, eps=1e-3), (3, 6)),
    ("rmsnorm", lambda n: n.RMSNorm(6, eps=1e-6), (2, 3, 6)),
    ("groupnorm", lambda n: n.GroupNorm(2, 6), (2, 5, 6)),
    ("groupnorm_pt", lambda n: n.GroupNorm(3, 6, pytorch_compatible=True), (2, 4, 4, 6)),
    ("instancenorm", lambda n: n.InstanceNorm(6, affine=True), (2, 5, 6)),
    ("conv1d", lambda n: n.Conv1d(4, 6, 3), (2, 10, 4)),
    ("conv1d_strided", lambda n: n.Conv1d(4, 6, 3, stride=2, padding=1), (2, 11, 4)),
    ("conv1d_dilated", lambda n: n.Conv1d(4, 5, 2, padding=2, dilation=3, bias=False),
     (3, 8, 4)),
    ("conv1d_groups", lambda n: n.Conv1d(4, 6, 3, padding=1, groups=2), (2, 7, 4)),
    ("conv1d_k1", lambda n: n.Conv1d(3, 2, 1), (1, 5, 3)),
    ("conv2d", lambda n: n.Conv2d(3, 4, (3, 2), stride=(2, 1), padding=1), (2, 7, 6, 3)),
    ("sequential", lambda n: n.Sequential(n.Linear(4, 8), n.SiLU(), n.Linear(8, 2),
                                          n.LogSoftmax()), (3, 4)),
    ("prelu", lambda n: n.PReLU(1, 0.1), (3, 4)),
    ("gelu", lambda n: n.GELU(), (3, 4)),
    ("gelu_precise", lambda n: n.GELU("precise"), (3, 4)),
    ("gelu_tanh", lambda n: n.GELU("tanh"), (3, 4)),
    ("gelu_fast", lambda n: n.GELU("fast"), (3, 4)),
    ("glu", lambda n: n.GLU(axis=0), (4, 3)),
    ("leaky", lambda n: n.LeakyReLU(0.2), (3, 4)),
    ("elu", lambda n: n.ELU(0.5), (3, 4)),
    ("celu", lambda n: n.CELU(2.0), (3, 4)),
    ("softshrink", lambda n: n.Softshrink(0.3), (3, 4)),
    ("hardshrink", lambda n: n.HardShrink(0.3), (3, 4)),
    ("step", lambda n: n.Step(0.1), (3, 4)),
    ("identity", lambda n: n.Identity(3, foo=1), (3, 4)),
]
LAYERS = [entry for entry in LAYERS if entry[1] is not None]


@pytest.mark.parametrize("name,ctor,shape", LAYERS, ids=[e[0] for e in LAYERS])
def test_layer_forward_matches_mlx(name, ctor, shape):
    x, y = _pair(ctor)
    inp = randn(*shape, scale=2.0)
    assert_close(x(mx.array(inp)), y(m.array(inp)), atol=2e-5, rtol=2e-5)


def test_bilinear_matches_mlx():
    x, y = _pair(lambda n: n.Bilinear(3, 4, 5))
    a, b = randn(2, 6, 3), randn(2, 6, 4)
    assert_close(x(mx.array(a), mx.array(b)), y(m.array(a), m.array(b)), atol=2e-5)


@pytest.mark.parametrize("name", [
    "Sigmoid", "ReLU", "ReLU2", "ReLU6", "Softmax", "Softplus", "Softsign", "SiLU",
    "LogSoftmax", "LogSigmoid", "Mish", "Tanh", "Hardswish", "SELU", "HardTanh", "Softmin"])
def test_activation_modules_match_mlx(name):
    inp = randn(3, 7, scale=3.0)
    x, y = getattr(nn, name)(), getattr(mnn, name)()
    assert x.parameters() == {}
    assert_close(x(mx.array(inp)), y(m.array(inp)), atol=1e-5)


@pytest.mark.parametrize("name,kwargs", [
    ("relu", {}), ("gelu", {}), ("gelu_approx", {}), ("gelu_fast_approx", {}), ("silu", {}),
    ("sigmoid", {}), ("tanh", {}), ("softmax", {"axis": 0}), ("log_softmax", {"axis": 0}),
    ("leaky_relu", {"negative_slope": 0.3}), ("elu", {"alpha": 2.0}), ("softplus", {}),
    ("relu6", {}), ("relu2", {}), ("celu", {"alpha": 0.7}), ("selu", {}), ("mish", {}),
    ("log_sigmoid", {}), ("softsign", {}), ("softshrink", {"lambd": 1.0}), ("hardswish", {}),
    ("hard_tanh", {"min_val": -0.5, "max_val": 2.0}), ("hard_shrink", {}), ("softmin", {}),
    ("step", {"threshold": 0.5}), ("glu", {"axis": -1}),
])
def test_activation_functions_match_mlx(name, kwargs):
    inp = randn(4, 6, scale=4.0)
    assert_close(getattr(nn, name)(mx.array(inp), **kwargs),
                 getattr(mnn, name)(m.array(inp), **kwargs), atol=1e-5)


def test_activation_values():
    v = mx.array([-2.0, 0.0, 3.0])
    assert nn.relu(v).tolist() == [0.0, 0.0, 3.0]
    assert_close(nn.gelu(v), [-2 * 0.5 * (1 + math.erf(-2 / math.sqrt(2))), 0.0,
                              3 * 0.5 * (1 + math.erf(3 / math.sqrt(2)))])
    assert_close(nn.leaky_relu(v), [-0.02, 0.0, 3.0])
    assert_close(nn.elu(v), [math.exp(-2) - 1, 0.0, 3.0])
    assert_close(nn.softplus(v), [math.log1p(math.exp(-2)), math.log(2), math.log1p(math.exp(3))])
    assert_close(nn.prelu(v, mx.array([0.5])), [-1.0, 0.0, 3.0])
    with pytest.raises(ValueError, match="approximation"):
        nn.GELU("erf")


def test_linear_init_matches_mlx_distribution():
    layer = nn.Linear(64, 200)
    w, b = np.array(layer.weight), np.array(layer.bias)
    bound = 1 / math.sqrt(64)
    assert w.shape == (200, 64) and b.shape == (200,)
    assert np.abs(w).max() <= bound and np.abs(b).max() <= bound
    # uniform(-k, k): mean 0, std k / sqrt(3)
    assert abs(w.mean()) < 0.05 * bound
    assert abs(w.std() - bound / math.sqrt(3)) < 0.05 * bound
    assert "bias" not in nn.Linear(3, 2, bias=False)


def test_default_inits_match_mlx_shapes_and_values():
    for ctor in [lambda n: n.Conv1d(4, 6, 3), lambda n: n.Conv1d(4, 6, 3, groups=2),
                 lambda n: n.Embedding(10, 4), lambda n: n.LayerNorm(5),
                 lambda n: n.RMSNorm(5), lambda n: n.GroupNorm(2, 4), lambda n: n.BatchNorm(3),
                 lambda n: n.PReLU(2)]:
        x, y = ctor(nn), ctor(mnn)
        assert flat_shapes(x.parameters()) == flat_shapes(y.parameters())
    conv = nn.Conv1d(4, 6, 3, groups=2)
    assert np.abs(np.array(conv.weight)).max() <= math.sqrt(1 / (2 * 3))
    assert float(mx.abs(conv.bias).sum()) == 0
    ln = nn.LayerNorm(5)
    assert np.array(ln.weight).tolist() == [1.0] * 5 and np.array(ln.bias).tolist() == [0.0] * 5
    emb = np.array(nn.Embedding(1000, 16).weight)
    assert abs(emb.std() - 0.25) < 0.02


def test_layer_validation_errors():
    with pytest.raises(ValueError, match="divisible"):
        nn.Conv1d(3, 4, 2, groups=2)
    with pytest.raises(ValueError, match="eps"):
        nn.LayerNorm(4, eps=0)
    with pytest.raises(ValueError, match="eps"):
        nn.RMSNorm(4, eps=-1)
    with pytest.raises(ValueError, match="divisible"):
        nn.GroupNorm(3, 4)
    with pytest.raises(ValueError):
        nn.Conv1d(4, 2, 3)(mx.ones((5, 4)))  # needs (N, L, C)
    with pytest.raises(ValueError):
        nn.Conv1d(4, 2, 3)(mx.ones((1, 5, 3)))  # channel mismatch
    with pytest.raises(ValueError):
        nn.Conv1d(4, 2, 7)(mx.ones((1, 5, 4)))  # kernel longer than input


def test_embedding_lookup_and_as_linear():
    x, y = _pair(lambda n: n.Embedding(12, 4))
    assert_close(x(mx.array(IDS)), y(m.array(IDS)))
    np.testing.assert_array_equal(np.array(x(mx.array(IDS))), np.array(x.weight)[IDS])
    h = randn(3, 4)
    assert_close(x.as_linear(mx.array(h)), y.as_linear(m.array(h)), atol=1e-5)


def test_batchnorm_train_and_eval_match_mlx():
    x, y = _pair(lambda n: n.BatchNorm(4, momentum=0.2))
    assert flat_keys(x.trainable_parameters()) == ["weight", "bias"]
    x.unfreeze()
    assert flat_keys(x.trainable_parameters()) == ["weight", "bias"]
    for _ in range(2):
        inp = randn(8, 3, 4, scale=3.0) + 1.0
        assert_close(x(mx.array(inp)), y(m.array(inp)), atol=1e-4)
    assert_close(x.running_mean, y.running_mean, atol=1e-5)
    assert_close(x.running_var, y.running_var, atol=1e-4)
    x.eval()
    y.eval()
    inp = randn(5, 4)
    assert_close(x(mx.array(inp)), y(m.array(inp)), atol=1e-5)


def test_dropout():
    drop = nn.Dropout(0.3)
    out = np.array(drop(mx.ones((20000,))))
    kept = out != 0
    assert abs(1 - kept.mean() - 0.3) < 0.02
    np.testing.assert_allclose(out[kept], 1 / 0.7, rtol=1e-6)
    drop.eval()
    inp = mx.array(randn(4, 5))
    assert drop(inp) is inp
    assert nn.Dropout(0.0)(inp) is inp
    with pytest.raises(ValueError, match="not in \\[0, 1\\)"):
        nn.Dropout(1.0)
    d2 = np.array(nn.Dropout2d(0.5)(mx.ones((2, 3, 3, 64))))
    # whole channels are dropped: the mask is constant over H and W
    assert (d2 == d2[:, :1, :1, :]).all()
    assert 0.3 < (d2[:, 0, 0, :] == 0).mean() < 0.7
    with pytest.raises(ValueError, match="dimensions"):
        nn.Dropout2d()(mx.ones((2, 3)))
    assert repr(nn.Dropout(0.25)) == repr(mnn.Dropout(0.25))


# ---------------------------------------------------------------------------- init


def test_init_constant_identity_and_errors():
    a = mx.zeros((3, 3))
    assert np.array(nn.init.constant(0.5)(a)).tolist() == [[0.5] * 3] * 3
    assert nn.init.constant(2, dtype=mx.float16)(a).dtype == mx.float16
    np.testing.assert_array_equal(np.array(nn.init.identity()(a)), np.eye(3))
    with pytest.raises(ValueError, match="square"):
        nn.init.identity()(mx.zeros((2, 3)))
    with pytest.raises(ValueError, match="at least 2"):
        nn.init.glorot_uniform()(mx.zeros((4,)))
    with pytest.raises(ValueError, match="Invalid mode"):
        nn.init.he_normal()(mx.zeros((4, 4)), mode="fan_avg")


@pytest.mark.parametrize("shape", [(300, 200), (64, 3, 5, 40)])
def test_init_statistics(shape):
    a = mx.zeros(shape)
    receptive = math.prod(shape[1:-1])
    fan_in, fan_out = shape[-1] * receptive, shape[0] * receptive
    u = np.array(nn.init.uniform(-2.0, 3.0)(a))
    assert u.shape == shape and u.min() >= -2.0 and u.max() <= 3.0
    assert abs(u.mean() - 0.5) < 0.05
    n = np.array(nn.init.normal(1.0, 0.5)(a))
    assert abs(n.mean() - 1.0) < 0.02 and abs(n.std() - 0.5) < 0.02
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    g = np.array(nn.init.glorot_uniform()(a, gain=2.0))
    assert np.abs(g).max() <= 2 * limit and abs(g.std() - 2 * limit / math.sqrt(3)) < 0.03 * limit
    gn = np.array(nn.init.glorot_normal()(a))
    assert abs(gn.std() - math.sqrt(2.0 / (fan_in + fan_out))) < 0.03 * math.sqrt(
        2.0 / (fan_in + fan_out))
    hu = np.array(nn.init.he_uniform()(a, mode="fan_out"))
    assert np.abs(hu).max() <= math.sqrt(3.0 / fan_out)
    hn = np.array(nn.init.he_normal()(a, gain=3.0))
    assert abs(hn.std() - 3.0 / math.sqrt(fan_in)) < 0.03 * 3.0 / math.sqrt(fan_in)
    assert nn.init.he_normal(dtype=mx.float16)(a).dtype == mx.float16


def test_init_sparse_and_orthogonal():
    s = np.array(nn.init.sparse(0.25)(mx.zeros((6, 8))))
    assert ((s == 0).sum(axis=1) >= 2).all()
    q = np.array(nn.init.orthogonal(gain=2.0)(mx.zeros((5, 3))))
    np.testing.assert_allclose(q.T @ q, 4 * np.eye(3), atol=1e-5)


# ---------------------------------------------------------------------------- losses


def _losses_both(name, args, kwargs):
    xargs = [mx.array(a) if isinstance(a, np.ndarray) else a for a in args]
    margs = [m.array(a) if isinstance(a, np.ndarray) else a for a in args]
    xkw = {k: mx.array(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    mkw = {k: m.array(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    return getattr(nn.losses, name)(*xargs, **xkw), getattr(mnn.losses, name)(*margs, **mkw)


LOGITS = randn(6, 5, scale=3.0)
CLASSES = RNG.integers(0, 5, size=(6,)).astype(np.int32)
PROBS = np.exp(randn(6, 5))
PROBS = (PROBS / PROBS.sum(-1, keepdims=True)).astype(np.float32)
PRED, TARGET = randn(4, 3), randn(4, 3)
WEIGHTS6 = np.abs(randn(6))
BIN_T = (RNG.random((4, 3)) > 0.5).astype(np.float32)
PROB_IN = (RNG.random((4, 3)) * 0.98 + 0.01).astype(np.float32)

LOSS_CASES = [
    ("cross_entropy", (LOGITS, CLASSES), {}),
    ("cross_entropy", (LOGITS, PROBS), {}),
    ("cross_entropy", (LOGITS, CLASSES), {"label_smoothing": 0.1}),
    ("cross_entropy", (LOGITS, PROBS), {"label_smoothing": 0.3}),
    ("cross_entropy", (LOGITS, CLASSES), {"weights": WEIGHTS6}),
    ("cross_entropy", (LOGITS.T.copy(), CLASSES), {"axis": 0}),
    ("cross_entropy", (LOGITS.T.copy(), PROBS.T.copy()), {"axis": 0, "label_smoothing": 0.2}),
    ("binary_cross_entropy", (PRED, BIN_T), {}),
    ("binary_cross_entropy", (PROB_IN, BIN_T), {"with_logits": False}),
    ("binary_cross_entropy", (PRED, BIN_T), {"weights": np.abs(randn(4, 3))}),
    ("mse_loss", (PRED, TARGET), {}),
    ("l1_loss", (PRED, TARGET), {}),
    ("nll_loss", (LOGITS, CLASSES), {}),
    ("nll_loss", (LOGITS.T.copy(), CLASSES), {"axis": 0}),
    ("smooth_l1_loss", (PRED, TARGET), {"beta": 0.5}),
    ("huber_loss", (PRED, TARGET), {"delta": 0.7}),
    ("log_cosh_loss", (PRED, TARGET), {}),
    ("hinge_loss", (PRED, np.sign(TARGET)), {}),
    ("kl_div_loss", (np.log(PROBS), np.log(PROBS[::-1].copy())), {}),
    ("gaussian_nll_loss", (PRED, TARGET, np.abs(randn(4, 3))), {"full": True}),
    ("cosine_similarity_loss", (PRED, TARGET), {}),
    ("margin_ranking_loss", (PRED[:, 0].copy(), TARGET[:, 0].copy(),
                             np.sign(randn(4))), {"margin": 0.1}),
    ("triplet_loss", (PRED, TARGET, randn(4, 3)), {}),
]


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("name,args,kwargs", LOSS_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(LOSS_CASES)])
def test_losses_match_mlx(name, args, kwargs, reduction):
    got, want = _losses_both(name, args, dict(kwargs, reduction=reduction))
    assert got.dtype == mx.float32
    assert_close(got, want, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("name,args,kwargs", [c for c in LOSS_CASES if c[0] in (
    "cross_entropy", "binary_cross_entropy", "mse_loss", "l1_loss", "nll_loss")][:9])
def test_loss_default_reduction_matches_mlx(name, args, kwargs):
    got, want = _losses_both(name, args, kwargs)
    assert got.shape == want.shape
    assert_close(got, want, atol=1e-5)


def test_loss_values_by_hand():
    logits = np.array([[2.0, 1.0, 0.1]], dtype=np.float32)
    lse = math.log(sum(math.exp(v) for v in logits[0]))
    ce = nn.losses.cross_entropy(mx.array(logits), mx.array([0]))
    assert_close(ce, [lse - 2.0])
    assert_close(nn.losses.mse_loss(mx.array([1.0, 2.0]), mx.array([0.0, 0.0])), 2.5)
    assert_close(nn.losses.l1_loss(mx.array([1.0, -2.0]), mx.array([0.0, 0.0]),
                                   reduction="sum"), 3.0)
    assert_close(nn.losses.nll_loss(mx.array([[-0.5, -1.5]]), mx.array([1])), [1.5])


def test_loss_errors():
    with pytest.raises(ValueError, match="Invalid reduction"):
        nn.losses.mse_loss(mx.ones((2,)), mx.ones((2,)), reduction="avg")
    with pytest.raises(ValueError, match="does not match"):
        nn.losses.mse_loss(mx.ones((2,)), mx.ones((3,)))
    with pytest.raises(ValueError, match="does not match"):
        nn.losses.cross_entropy(mx.ones((2, 3)), mx.zeros((3,), mx.int32))
    with pytest.raises(ValueError, match="does not match"):
        nn.losses.cross_entropy(mx.ones((2, 3)), mx.ones((2, 4)))
    with pytest.raises(ValueError, match="Label smoothing"):
        nn.losses.cross_entropy(mx.ones((2, 3)), mx.zeros((2,), mx.int32), label_smoothing=1.0)
    with pytest.raises(ValueError, match="Weights"):
        nn.losses.cross_entropy(mx.ones((2, 3)), mx.zeros((2,), mx.int32), weights=mx.ones((3,)))
    with pytest.raises(ValueError, match="does not match"):
        nn.losses.binary_cross_entropy(mx.ones((2,)), mx.ones((2, 1)))


# ---------------------------------------------------------------------------- weights I/O


def _weights_of(model):
    return tree_flatten(model.parameters())


def test_load_weights_from_list(nets):
    x, _ = nets
    src = build_net(nn, mx)
    assert x.load_weights(_weights_of(src)) is x
    for (k1, a), (k2, b) in zip(_weights_of(x), _weights_of(src)):
        assert k1 == k2 and a is b
    # dicts work too
    x.load_weights(dict(_weights_of(build_net(nn, mx))))


def test_load_weights_strict_errors(nets):
    x, _ = nets
    good = _weights_of(build_net(nn, mx))
    before = {k: np.array(v) for k, v in _weights_of(x)}

    with pytest.raises(ValueError, match=r"Missing 1 parameters: \nblocks.0.bias"):
        x.load_weights([kv for kv in good if kv[0] != "blocks.0.bias"])
    with pytest.raises(ValueError, match=r"1 parameters not in model: \nhead.extra"):
        x.load_weights(good + [("head.extra", mx.zeros((2,)))])
    bad_shape = [(k, mx.zeros((3, 3)) if k == "emb.weight" else v) for k, v in good]
    with pytest.raises(ValueError, match=r"Expected shape \(12, 8\) but received shape "
                                         r"\(3, 3\) for parameter emb.weight"):
        x.load_weights(bad_shape)
    with pytest.raises(ValueError, match="Expected mx.array"):
        x.load_weights([(k, np.array(v) if k == "scale" else v) for k, v in good])
    # a failed strict load changes nothing
    for k, v in _weights_of(x):
        np.testing.assert_array_equal(np.array(v), before[k])

    # not strict: partial, unknown names ignored, shapes unchecked
    w = mx.ones((16, 8))
    x.load_weights([("blocks.0.weight", w), ("nope.weight", mx.zeros((1,)))], strict=False)
    assert x.blocks[0].weight is w and "nope" not in x


def test_load_weights_errors_match_mlx_messages(nets):
    x, y = nets
    good = _weights_of(build_net(nn, mx))
    cases = [
        [kv for kv in good if not kv[0].startswith("norms")],
        good + [("zzz", mx.zeros((1,)))],
        [(k, mx.zeros((2,)) if k == "scale" else v) for k, v in good],
    ]
    for case in cases:
        with pytest.raises(ValueError) as ours:
            x.load_weights(case)
        with pytest.raises(ValueError) as theirs:
            y.load_weights([(k, m.array(np.array(v))) for k, v in case])
        assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("ext", [".npz", ".safetensors"])
def test_save_load_roundtrip(nets, tmp_path, ext):
    x, y = nets
    path = str(tmp_path / f"weights{ext}")
    x.save_weights(path)
    assert os.path.exists(path)
    fresh = build_net(nn, mx)
    fresh.load_weights(path)
    for (k1, a), (k2, b) in zip(_weights_of(fresh), _weights_of(x)):
        assert k1 == k2
        np.testing.assert_array_equal(np.array(a), np.array(b))
    fresh.eval()
    x.eval()
    np.testing.assert_array_equal(np.array(fresh(mx.array(IDS))), np.array(x(mx.array(IDS))))
    # MLX reads our file into the same model ...
    twin = build_net(mnn, m)
    twin.load_weights(path)
    for (k1, a), (k2, b) in zip(_weights_of(x), mu.tree_flatten(twin.parameters())):
        assert k1 == k2
        np.testing.assert_array_equal(np.array(a), np.array(b))
    # ... and we read MLX's file.
    mpath = str(tmp_path / f"mlx{ext}")
    y.save_weights(mpath)
    other = build_net(nn, mx)
    other.load_weights(mpath)
    for (k1, a), (k2, b) in zip(_weights_of(other), mu.tree_flatten(y.parameters())):
        assert k1 == k2
        np.testing.assert_array_equal(np.array(a), np.array(b))


def test_load_weights_file_strictness(tmp_path):
    small = nn.Linear(4, 3)
    path = str(tmp_path / "small.safetensors")
    small.save_weights(path)
    with pytest.raises(ValueError, match="Expected shape"):
        nn.Linear(5, 3).load_weights(path)
    with pytest.raises(ValueError, match=r"Received 2 parameters not in model: \nbias,\nweight"):
        nn.Sequential(nn.Linear(4, 3)).load_weights(path)
    with pytest.raises(ValueError, match=r"Missing 1 parameters: \nbias"):
        nn.Linear(4, 3).load_weights([("weight", mx.zeros((3, 4)))])
    with pytest.raises(ValueError, match="not in model"):
        nn.Linear(4, 3, bias=False).load_weights(path)
    nobias = nn.Linear(4, 3, bias=False).load_weights(path, strict=False)
    np.testing.assert_array_equal(np.array(nobias.weight), np.array(small.weight))
    assert "bias" not in nobias


def test_save_weights_bad_extension(tmp_path):
    with pytest.raises(ValueError, match="Unsupported file extension"):
        nn.Linear(2, 2).save_weights(str(tmp_path / "w.pt"))


# ---------------------------------------------------------------------------- value_and_grad


def test_value_and_grad_matches_mlx(nets):
    x, y = nets
    x.eval()
    y.eval()
    labels = np.array([[0, 1, 2], [3, 4, 0]], dtype=np.int32)

    def xloss(ids, lab):
        return nn.losses.cross_entropy(x(ids), lab, reduction="mean")

    def yloss(ids, lab):
        return mnn.losses.cross_entropy(y(ids), lab, reduction="mean")

    x.freeze(keys="bias")
    y.freeze(keys="bias")
    params_before = x.trainable_parameters()
    xv, xg = nn.value_and_grad(x, xloss)(mx.array(IDS), mx.array(labels))
    yv, yg = mnn.value_and_grad(y, yloss)(m.array(IDS), m.array(labels))
    assert_close(xv, yv, atol=1e-5)
    assert flat_keys(xg) == [k for k, _ in mu.tree_flatten(yg)]
    for (k, a), (_, b) in zip(tree_flatten(xg), mu.tree_flatten(yg)):
        assert_close(a, b, atol=1e-5, rtol=1e-4)
    # the model holds the real parameters afterwards
    for (_, a), (_, b) in zip(tree_flatten(x.trainable_parameters()),
                              tree_flatten(params_before)):
        np.testing.assert_array_equal(np.array(a), np.array(b))


def test_value_and_grad_conv_and_norms_match_mlx():
    def ctor(n):
        return n.Sequential(n.Conv1d(3, 4, 3, padding=1, groups=1), n.GELU(), n.LayerNorm(4),
                            n.Conv1d(4, 4, 2, stride=2, groups=2), n.RMSNorm(4))

    x, y = _pair(ctor)
    inp, tgt = randn(2, 8, 3), randn(2, 4, 4)
    xv, xg = nn.value_and_grad(x, lambda a, t: nn.losses.mse_loss(x(a), t))(
        mx.array(inp), mx.array(tgt))
    yv, yg = mnn.value_and_grad(y, lambda a, t: mnn.losses.mse_loss(y(a), t))(
        m.array(inp), m.array(tgt))
    assert_close(xv, yv, atol=1e-5)
    for (k, a), (k2, b) in zip(tree_flatten(xg), mu.tree_flatten(yg)):
        assert k == k2
        assert_close(a, b, atol=1e-5, rtol=1e-4)


def test_mlp_digits_example_trains_and_reloads():
    import pathlib
    import subprocess
    import sys

    example = pathlib.Path(__file__).resolve().parents[2] / "examples" / "mlp_digits.py"
    out = subprocess.run([sys.executable, str(example)], capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.strip().splitlines()
    epochs = [ln for ln in lines if ln.startswith("epoch")]
    assert len(epochs) == 12
    final = lines[-1]
    assert final.startswith("final test accuracy") and "predictions match" in final
    assert float(final.split()[3].rstrip(";")) >= 0.95
