"""The GPU backend (Vulkan; lavapipe in CI) against the CPU and NumPy.

Every op-family test runs on both devices; kernels are checked with spirv-val and
their MSL; saved programs replay through the runtime alone.
"""

import os
import shutil
import subprocess

import math

import numpy as np
import pytest

import mxc.core as mx
from mxc import _compiler, _gpu
from mxc_testutil import flush_subnormals

HAVE_GPU = mx.is_available(mx.gpu)
needs_gpu = pytest.mark.skipif(
    not HAVE_GPU, reason=f"no Vulkan/Metal device: {_gpu.unavailable_reason()}")
DEVICES = [mx.cpu, pytest.param(mx.gpu, marks=needs_gpu)]

rng = np.random.default_rng(0)


def randn(*shape):
    return rng.standard_normal(shape).astype(np.float32)


@pytest.fixture(params=DEVICES, ids=["cpu", "gpu"])
def device(request):
    previous = mx.default_device()
    mx.set_default_device(request.param)
    yield request.param
    mx.set_default_device(previous)


def check(x, expected, rtol=1e-5, atol=1e-5):
    got = np.array(x)
    assert got.shape == np.shape(expected)
    assert got.dtype == np.asarray(expected).dtype
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol)


# ------------------------------------------------------------------- elementwise
def test_elementwise_chain(device):
    a, b, c = randn(33, 65), randn(33, 65), randn(65)
    x = (mx.array(a) + mx.array(b)) * mx.array(c) - 2.0
    check(x, (a + b) * c - 2.0)


@pytest.mark.parametrize("name", ["exp", "log", "sin", "cos", "tanh", "sqrt", "abs",
                                  "floor", "ceil", "sigmoid", "rsqrt", "log1p", "expm1"])
def test_unary_math(device, name):
    a = np.abs(randn(7, 9)) + 0.1
    ref = {"sigmoid": lambda v: 1 / (1 + np.exp(-v)), "rsqrt": lambda v: 1 / np.sqrt(v)}
    f = ref[name] if name in ref else getattr(np, name)
    check(getattr(mx, name)(mx.array(a)), f(a).astype(np.float32), rtol=2e-5, atol=2e-6)


def test_power_maximum_where(device):
    a, b = randn(50), randn(50)
    x = mx.where(mx.array(a) > mx.array(b), mx.maximum(mx.array(a), 0.5),
                 mx.power(mx.abs(mx.array(b)), 1.5))
    check(x, np.where(a > b, np.maximum(a, 0.5), np.abs(b) ** 1.5).astype(np.float32),
          rtol=1e-5)


def test_integers_and_bools(device):
    a = rng.integers(-100, 100, (40,)).astype(np.int32)
    b = rng.integers(1, 10, (40,)).astype(np.int32)
    check(mx.array(a) * mx.array(b) + 3, a * b + 3)
    check(mx.array(a) // mx.array(b), a // b)
    check((mx.array(a) > 0) & (mx.array(b) > 4), (a > 0) & (b > 4))
    check(mx.array(a).astype(mx.float32) / 2, a.astype(np.float32) / 2)


def test_large_elementwise_grid_stride(device):
    # More than 65535 workgroups of 256 threads: the kernel strides over the grid.
    n = 65535 * 256 + 1234
    a = np.arange(n, dtype=np.float32)
    check(mx.array(a) * 2 + 1, a * 2 + 1)


# -------------------------------------------------------------------- reductions
@pytest.mark.parametrize("op", ["sum", "max", "min", "mean", "prod"])
@pytest.mark.parametrize("axis", [None, 0, 1, (0, 2)])
def test_reductions(device, op, axis):
    a = randn(6, 70, 5) * 0.5 + (1.0 if op == "prod" else 0.0)
    if op == "prod":
        a = np.clip(a, 0.9, 1.1)
    got = getattr(mx, op)(mx.array(a), axis=axis)
    want = getattr(np, op)(a, axis=axis).astype(np.float32)
    check(got, want, rtol=1e-4, atol=1e-4)


def test_long_reduction(device):
    a = randn(3, 100_000)
    check(mx.sum(mx.array(a), axis=1), a.sum(axis=1), rtol=1e-4, atol=1e-2)
    check(mx.max(mx.array(a)), a.max())


def test_argmax_and_int_sum(device):
    a = randn(9, 130)
    check(mx.argmax(mx.array(a), axis=1), np.argmax(a, axis=1).astype(np.uint32))
    b = rng.integers(-5, 5, (4, 300)).astype(np.int32)
    check(mx.sum(mx.array(b), axis=1), b.sum(axis=1).astype(np.int32))


def test_softmax_logsumexp(device):
    a = randn(17, 129)
    e = np.exp(a - a.max(axis=1, keepdims=True))
    check(mx.softmax(mx.array(a), axis=1), e / e.sum(axis=1, keepdims=True), rtol=1e-5,
          atol=1e-6)


# ------------------------------------------------------------------------ matmul
# 128x128 tiles (8x8 per thread) from 128 rows and columns: exact multiples and
# ragged edges in every dimension; 64x64 tiles below.
@pytest.mark.parametrize("m,k,n", [(1, 1, 1), (64, 64, 64), (70, 33, 129), (5, 300, 7),
                                   (256, 64, 128), (130, 67, 257)])
def test_matmul(device, m, k, n):
    a, b = randn(m, k), randn(k, n)
    check(mx.array(a) @ mx.array(b), a @ b, rtol=1e-4, atol=1e-4)


def test_batched_matmul_large_tiles(device):
    a, b = randn(2, 129, 40), randn(2, 40, 131)
    check(mx.array(a) @ mx.array(b), a @ b, rtol=1e-4, atol=1e-4)


def test_elementwise_broadcast_flat(device):
    # Linear indexing with inputs broadcast along outer dims, scalars and a ragged
    # tail (n not a multiple of 4 x 256).
    a, b, c = randn(3, 5, 1031), randn(1031), randn(5, 1031)
    check(mx.array(a) * mx.array(b) + mx.array(c) - 1.5, a * b + c - 1.5)
    # More elements than 65535 workgroups x 256 threads x 4: 8 per thread (int8
    # keeps the buffers under lavapipe's 128 MB; the grid-stride loop starts above
    # 2^28 elements).
    big = (np.arange(65535 * 1024 + 3) % 101).astype(np.int8)
    check(mx.array(big) * 2 + 1, big * 2 + 1)


def test_batched_matmul_and_chain(device):
    a, b = randn(3, 20, 40), randn(3, 40, 10)
    c = randn(10)
    x = mx.maximum(mx.array(a) @ mx.array(b) + mx.array(c), 0.0)
    check(x, np.maximum(a @ b + c, 0), rtol=1e-4, atol=1e-4)


# ---------------------------------------------------------------- shape, indexing
def test_shape_ops(device):
    a = randn(4, 6, 8)
    x = mx.array(a)
    check(mx.transpose(x, (2, 0, 1)) * 1.0, a.transpose(2, 0, 1))
    check(mx.reshape(x, (24, 8)) + 1, a.reshape(24, 8) + 1)
    check(x[1:3, ::2, 5] * 2, a[1:3, ::2, 5] * 2)
    check(mx.concatenate([x, x * 2], axis=1), np.concatenate([a, a * 2], axis=1))
    check(mx.broadcast_to(mx.array(a[0, 0]), (3, 8)) + 0, np.broadcast_to(a[0, 0], (3, 8)))


def test_indexing(device):
    a = randn(10, 5)
    x = mx.array(a)
    i = mx.array(np.array([3, 0, 9, 3], dtype=np.int32))
    check(x[i] + 0, a[[3, 0, 9, 3]])
    check(mx.take(x, i, axis=0) * 1, a[[3, 0, 9, 3]])
    check(x[mx.array(7)] + 0, a[7])


# ------------------------------------------------------------- transforms on GPU
def test_grad(device):
    a = randn(8, 16)
    w = randn(16, 4)

    def loss(w):
        return mx.sum(mx.tanh(mx.array(a) @ w) ** 2)

    g = mx.grad(loss)(mx.array(w))
    t = np.tanh(a @ w)
    check(g, a.T @ (2 * t * (1 - t * t)), rtol=1e-4, atol=1e-4)


def test_vmap(device):
    a, b = randn(5, 7), randn(5, 7)
    f = mx.vmap(lambda x, y: mx.sum(x * y) + mx.max(x))
    check(f(mx.array(a), mx.array(b)), (a * b).sum(1) + a.max(1), rtol=1e-5)


# ------------------------------------------------------------------ devices, API
def test_metal_is_available_is_false_here():
    assert mx.metal.is_available() is False


@needs_gpu
def test_stream_argument_routes_ops():
    a = randn(30)
    x = mx.exp(mx.array(a), stream=mx.gpu)
    assert x._node.device == mx.Device(mx.gpu)
    y = mx.add(x, 1.0, stream=mx.cpu)  # gpu result moves to the cpu on demand
    assert y._node.device == mx.Device(mx.cpu)
    check(y, np.exp(a) + 1, rtol=1e-6)
    with mx.stream(mx.gpu):
        z = mx.array(a) * 3
    assert z._node.device == mx.Device(mx.gpu)
    check(z, a * 3)


@needs_gpu
def test_half_types_compute_in_f32_like_the_cpu():
    # bf16 is stored as i16 in kernels (no bf16 type in SPIR-V/Metal here), both
    # half types compute in f32 and round every op on both devices (mxc-round-
    # each-op keeps the emulation's truncf from folding away in fused chains; the
    # GPU rounds to f16 in integer ops: the H100's driver dropped SPIR-V's
    # f32 -> f16 -> f32 pair). bf16: the CPU's bits; float16: NumPy's per-op
    # rounding bit for bit, and the devices within an f16 ulp of the terms (their
    # f32 exp and erf differ in the last bits).
    a = randn(300)
    for dt in (mx.bfloat16, mx.float16):
        def f(x):
            x = x.astype(dt)
            return [(mx.exp(x) * x - mx.erf(x) / x).astype(mx.float32),
                    mx.sum(x * x).astype(mx.float32)]
        with mx.stream(mx.gpu):
            g, gs = map(np.array, f(mx.array(a)))
        with mx.stream(mx.cpu):
            c, cs = map(np.array, f(mx.array(a)))
        if dt == mx.bfloat16:
            np.testing.assert_array_equal(g, c)
        else:
            a16 = a.astype(np.float16).astype(np.float64)
            terms = np.abs(np.exp(a16) * a16) + np.abs(np.vectorize(math.erf)(a16) / a16)
            assert np.all(np.abs(g - c) <= 2 * 2.0 ** -11 * terms), np.abs(g - c).max()
            # and both are NumPy's per-op float16 rounding, bit for bit
            x = a.astype(np.float16)
            e = np.exp(x.astype(np.float32)).astype(np.float16)
            want = ((e * x).astype(np.float16) + x).astype(np.float16)
            for device in (mx.gpu, mx.cpu):
                with mx.stream(device):
                    y = mx.array(x)
                    got = np.array((mx.exp(y) * y + y).astype(mx.float32))
                np.testing.assert_array_equal(got, want.astype(np.float32), err_msg=str(device))
        # a sum of 300 half values: the order of additions differs
        np.testing.assert_allclose(gs, cs, rtol=0.1)


REFUSED_OPS = {
    "add": lambda x: x + 1,
    "exp": mx.exp,
    "sum": mx.sum,
    "cumsum": mx.cumsum,
    "matmul": lambda x: x[None] @ x[:, None],
    "astype": lambda x: x.astype(mx.float32),
    "take": lambda x: x[mx.array([1, 0])],
}


@needs_gpu
@pytest.mark.parametrize("dtype,op", [("float64", op) for op in sorted(REFUSED_OPS)])
def test_gpu_refuses_float64(op, dtype):
    """MLX's rule (Metal has no 64-bit floats; MSL no doubles in buffers): the op
    raises where it is created on the GPU, naming itself, the dtype and the fix;
    the same op runs on the CPU."""
    x = mx.array(np.arange(1, 4), getattr(mx, dtype))
    with mx.stream(mx.gpu):
        with pytest.raises(ValueError, match=rf"\[\w+\] {dtype} is not supported on the GPU: "
                           r"run this op on the CPU \(stream=mx.cpu\)"):
            REFUSED_OPS[op](x)
    with mx.stream(mx.cpu):
        mx.eval(REFUSED_OPS[op](x))
    # Creating an array of the type is not an op: it is allowed (as in MLX).
    with mx.stream(mx.gpu):
        assert mx.array([1.0, 2.0], getattr(mx, dtype)).dtype == getattr(mx, dtype)
        with pytest.raises(ValueError, match=f"{dtype} is not supported on the GPU"):
            mx.arange(3, dtype=getattr(mx, dtype))


@needs_gpu
@pytest.mark.parametrize("op", sorted(REFUSED_OPS))
def test_gpu_complex64_matches_cpu(op):
    """complex64 is stored as i64 on the GPU (mxc-gpu-storage-as-int) and its
    arithmetic expanded to float32 parts: the ops the GPU refuses for float64 run
    for complex64 and give the CPU's values."""
    x = mx.array(np.array([1 + 2j, -3 + 0.5j, 0.25 - 4j], np.complex64))
    with mx.stream(mx.cpu):
        expected = np.array(REFUSED_OPS[op](x))
    with mx.stream(mx.gpu):
        got = REFUSED_OPS[op](x)
    assert got.dtype == (mx.float32 if op == "astype" else mx.complex64)
    np.testing.assert_allclose(np.array(got), expected, rtol=2e-6, atol=1e-6)


# name -> (domain, largest error in float32 ulp against the CPU's libm)
GPU_MATH = {
    "exp": ((-80, 80), 8), "expm1": ((-3, 3), 8), "log": ((1e-30, 1e30), 4),
    "log1p": ((-0.99, 10), 4), "log2": ((1e-30, 1e30), 4), "log10": ((1e-30, 1e30), 4),
    "sin": ((-3, 3), 4), "cos": ((-3, 3), 4), "tan": ((-1.5, 1.5), 4),
    "arcsin": ((-1, 1), 4), "arccos": ((-1, 1), 4), "arctan": ((-100, 100), 48),
    "sinh": ((-80, 80), 8), "cosh": ((-80, 80), 8), "tanh": ((-10, 10), 8),
    "arcsinh": ((-1e3, 1e3), 4), "arccosh": ((1, 1e3), 4), "arctanh": ((-0.999, 0.999), 4),
    "erf": ((-4, 4), 8), "sigmoid": ((-20, 20), 8), "sqrt": ((0, 1e6), 0),
}


@needs_gpu
@pytest.mark.parametrize("name", sorted(GPU_MATH))
def test_gpu_math_accuracy(name):
    """f32 transcendentals on the GPU within a few ulp of the CPU's (Vulkan allows
    GLSL's thousands: lavapipe's log, atan, asin lose up to 4000 ulp), including
    near 0 where textbook forms cancel; NaN, infinities and signed zeros where
    the CPU has them."""
    (lo, hi), max_ulp = GPU_MATH[name]
    r = np.random.default_rng(5)
    x = r.uniform(lo, hi, 4000)
    if lo > 0 and hi / lo > 1e6:
        x = np.exp(r.uniform(np.log(lo), np.log(hi), 4000))
    x = np.concatenate([x, r.uniform(-1e-3, 1e-3, 200) * (hi - lo > 0),
                        [0.0, -0.0, np.inf, -np.inf, np.nan]]).astype(np.float32)
    fn = getattr(mx, name)
    with mx.stream(mx.gpu):
        got = np.array(fn(mx.array(x)))
    with mx.stream(mx.cpu):
        want = np.array(fn(mx.array(x)))
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    finite = np.isfinite(want)
    np.testing.assert_array_equal(got[~finite & ~np.isnan(want)], want[~finite & ~np.isnan(want)])
    zero = finite & (want == 0)
    np.testing.assert_array_equal(np.signbit(got[zero]), np.signbit(want[zero]))
    ulp = np.spacing(np.abs(want[finite])).astype(np.float64)
    err = np.abs(got[finite].astype(np.float64) - want[finite]) / np.maximum(
        ulp, np.finfo(np.float32).tiny)
    assert err.max() <= max_ulp, (name, x[finite][np.argmax(err)], err.max())


@needs_gpu
def test_device_limits_are_queried():
    info = _gpu.device().info
    assert info["max_storage_buffers_per_stage"] >= 4
    assert info["max_workgroup_count"][0] >= 65535
    assert info["max_storage_buffer_range"] >= 1 << 27


def _compile(f, *arrays):
    """The GPU executable of f(*arrays), through the real compile path."""
    out = f(*arrays)
    from mxc.core._array import _program

    program, leaves = _program([out])
    return _gpu.compile_gpu(program), [leaf._value for leaf in leaves], out


@needs_gpu
@pytest.mark.skipif(shutil.which("spirv-val") is None, reason="spirv-val not installed")
def test_every_kernel_passes_spirv_val(tmp_path):
    a, b = mx.array(randn(70, 33)), mx.array(randn(33, 129))
    exe, _, _ = _compile(lambda x, y: mx.softmax(x @ y, axis=1).sum(axis=0), a, b)
    assert len(exe.program.kernels) >= 3
    for i, (name, spirv, msl, wg, nbind, _) in enumerate(exe.program.kernels):
        path = tmp_path / f"k{i}.spv"
        path.write_bytes(spirv)
        r = subprocess.run(["spirv-val", "--target-env", "vulkan1.1", str(path)],
                           capture_output=True, text=True)
        assert r.returncode == 0, (name, r.stdout + r.stderr)
        assert "kernel void" in msl and f"[[buffer({nbind - 1})]]" in msl
        assert all(w >= 1 for w in wg)


@needs_gpu
def test_saved_program_replays_without_the_compiler(tmp_path):
    a, b = randn(40, 50), randn(50, 30)
    exe, inputs, _ = _compile(lambda x, y: mx.exp(x @ y * 0.1), mx.array(a), mx.array(b))
    path = tmp_path / "prog.mxcp"
    exe.save(path)
    # A fresh process importing only the runtime extension replays it.
    code = (
        "import sys, numpy as np\n"
        "from mxc import _mxrt\n"
        f"p = _mxrt.Program.deserialize(open({str(path)!r}, 'rb').read())\n"
        "d = _mxrt.metal_device() if _mxrt.metal_available() else _mxrt.vulkan_device()\n"
        f"z = np.load({str(tmp_path / 'in.npz')!r})\n"
        "out = np.empty((40, 30), np.float32)\n"
        "d.load(p).run([z[f'arr_{i}'] for i in range(len(z.files))], [out])\n"
        "assert 'mlir' not in sys.modules\n"
        f"np.save({str(tmp_path / 'out.npy')!r}, out)\n")
    np.savez(tmp_path / "in.npz", *inputs)
    import sys
    subprocess.run([sys.executable, "-c", code], check=True)
    np.testing.assert_allclose(np.load(tmp_path / "out.npy"), np.exp(a @ b * 0.1), rtol=1e-4)


@needs_gpu
def test_runtime_rejects_bad_programs():
    from mxc import _mxrt

    with pytest.raises(ValueError, match="bad magic"):
        _mxrt.Program.deserialize(b"nope" + b"\0" * 20)
    with pytest.raises(ValueError, match="unknown kernel"):
        _mxrt.Program([], [(0, 0, 4)], [], [("dispatch", 0, [0], b"", (1, 1, 1))], 1, 0)
    exe, inputs, _ = _compile(lambda x: x + 1, mx.array(randn(8)))
    with pytest.raises(ValueError, match="bytes"):
        exe.executable.run([np.zeros(3, np.float32)] + inputs[1:], [np.zeros(8, np.float32)])


@needs_gpu
def test_profile_gives_kernel_times():
    exe, inputs, _ = _compile(lambda x: mx.sum(mx.exp(x)), mx.array(randn(1000)))
    times = []
    exe(inputs, profile=times)
    assert len(times) == exe.program.num_dispatches and all(t >= 0 for t in times)


@needs_gpu
def test_grid_stride_loops_with_few_workgroups(monkeypatch):
    # A device allowing 3 workgroups per dimension: elementwise kernels (exact and
    # ragged chunks) and reductions loop over the grid.
    original = _gpu.kernel_pipeline

    def few_groups(info=None, block_size=256):
        info = dict(info or _gpu.device().info)
        info["max_workgroup_count"] = [3, 3, 3]
        return original(info, block_size)

    monkeypatch.setattr(_gpu, "kernel_pipeline", few_groups)
    for n in (3 * 4096 * 2, 3 * 4096 * 2 + 7):  # 16 per thread: 2 rounds, + a tail
        a = randn(n)
        exe, inputs, _ = _compile(lambda x: mx.exp(x) * 2.0 - 1.0, mx.array(a))
        (got,) = exe(inputs)
        np.testing.assert_allclose(got, np.exp(a) * 2.0 - 1.0, rtol=2e-6, atol=1e-6)
    m = randn(10, 300)
    exe, inputs, _ = _compile(lambda x: mx.sum(x, axis=1), mx.array(m))
    (got,) = exe(inputs)
    np.testing.assert_allclose(got, m.sum(axis=1), rtol=1e-5, atol=1e-4)


@needs_gpu
def test_scalars_travel_in_push_constants():
    """Python scalars and 0-d arrays (a learning rate, a step) are kernel push
    constants filled from the inputs at each run, not a storage buffer each: a
    compiled program replays with new scalar values."""
    from mxc.core._array import _program

    x = randn(1000)
    a, lr, step = mx.array(x), mx.array(0.1), mx.array(3.0)
    program, leaves = _program([a * lr - step * 0.5])
    exe = _gpu.compile_gpu(program)
    assert [(k[4], k[5]) for k in exe.program.kernels] == [(2, 12)]  # x, out; 3 scalars
    (kernel, bindings, push, slots), = exe.program.dispatches
    assert push == 12 and [(o, n) for o, _, n in slots] == [(0, 4), (4, 4), (8, 4)]
    for lr_value, step_value in ((0.1, 3), (-2.5, 7), (0.0, -1)):
        values = {id(lr): np.array(lr_value, np.float32),
                  id(step): np.array(step_value, np.float32)}
        (got,) = exe([values.get(id(leaf), leaf._value) for leaf in leaves])
        np.testing.assert_allclose(got, x * np.float32(lr_value) - step_value * 0.5, rtol=1e-6,
                                   atol=1e-6)


@needs_gpu
@pytest.mark.parametrize("n", [2, 3, 5])
def test_small_sorts_keep_program_order(n):
    """Tiny sorts unroll to host-side loads and stores: they run in one kernel in
    program order (each store in a kernel of its own re-read updated values: a
    2-element sort gave [1, 1] for [3, 1])."""
    x = np.array([3.0, 1.0, np.inf, -np.inf, 2.0][:n], np.float32)[::-1].copy()
    with mx.stream(mx.gpu):
        got = np.array(mx.sort(mx.array(x)))
        order = np.array(mx.argsort(mx.array(x)))
    np.testing.assert_array_equal(got, np.sort(x))
    np.testing.assert_array_equal(order, np.argsort(x, kind="stable").astype(np.uint32))


@needs_gpu
def test_binary_special_values_match_numpy():
    """power, remainder and log at the special values C's libm (NumPy) defines:
    x^0 = 1^y = 1 (NaN included), (-1)^inf = 1, odd powers of -0 and -inf, fmod
    by an infinity, huge quotients, subnormal logs (scaled past the polynomial's
    clamp at 2^-126)."""
    s = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, 0.5, 2.0, -2.5, 3.0,
                  1e-45, 1e-40, 3.4e38, -3.4e38], np.float32)
    a, b = np.repeat(s, len(s)), np.tile(s, len(s))
    with mx.stream(mx.gpu):
        pw = np.array(mx.power(mx.array(a), mx.array(b)))
        rm = np.array(mx.remainder(mx.array(a), mx.array(b)))
        lg = np.array(mx.log(mx.array(s)))
        l2 = np.array(mx.log2(mx.array(s)))
        # A device that flushes float32 subnormals (the H100's driver reports no
        # DenormPreserve): NumPy's values at zeros where s has subnormals.
        flushes = (mx.array([1e-45]) * 2.0**100).item() == 0
    if flushes:
        a, b, s = flush_subnormals(a), flush_subnormals(b), flush_subnormals(s)
    with np.errstate(all="ignore"):
        # (a zero remainder keeps the dividend's sign, as MLX's and the CPU's)
        for got, want in ((pw, np.power(a, b)), (rm, np.remainder(a, b)),
                          (lg, np.log(s)), (l2, np.log2(s))):
            np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
            if got is not rm:
                np.testing.assert_array_equal(np.signbit(got[want == 0]),
                                              np.signbit(want[want == 0]))
            # results below 2^-126 come from exp's polynomial, which flushes them
            np.testing.assert_allclose(got, want, rtol=4e-6, atol=2e-38)
    if not flushes:
        assert lg[s == np.float32(1e-45)] == np.float32(-103.27893)


@pytest.mark.parametrize("axis, reverse", [(-1, False), (0, False), (1, True)])
def test_scans_run_one_thread_per_row(device, axis, reverse):
    """A scan runs a thread per slab element: 36000 elements (past lavapipe's
    65535 iterations for one thread's loop when one thread did it all)."""
    x = randn(400, 90)
    got = mx.cumsum(mx.array(x), axis=axis, reverse=reverse)
    want = np.flip(np.cumsum(np.flip(x, axis), axis), axis) if reverse else np.cumsum(x, axis)
    check(got, want.astype(np.float32), rtol=1e-4, atol=1e-3)
    check(mx.cummax(mx.array(x), axis=axis), np.maximum.accumulate(x, axis))


@needs_gpu
def test_fusion_stops_at_the_storage_buffer_limit(monkeypatch):
    """300 inputs summed in one elementwise chain: every kernel binds at most the
    device's limit (and Metal's 31 minus the push-constant buffer); with the limit
    set to 4, still right; a single op over the limit raises ValueError."""
    xs = [randn(8) for _ in range(300)]

    def chain(*arrays):
        out = arrays[0]
        for a in arrays[1:]:
            out = out + a
        return out

    limit = _gpu.max_bindings(_gpu.device().info)
    assert 4 <= limit <= 30
    exe, inputs, _ = _compile(chain, *map(mx.array, xs))
    assert all(k[4] <= limit for k in exe.program.kernels)
    assert len(exe.program.kernels) >= 300 // limit
    want = np.sum(np.stack(xs), axis=0, dtype=np.float64)
    np.testing.assert_allclose(exe(inputs)[0], want, rtol=1e-5, atol=1e-5)
    monkeypatch.setattr(_gpu, "max_bindings", lambda info=None: 4)
    exe, inputs, _ = _compile(chain, *map(mx.array, xs[:40]))
    assert all(k[4] <= 4 for k in exe.program.kernels)
    np.testing.assert_allclose(exe(inputs)[0], np.sum(np.stack(xs[:40]), axis=0), rtol=1e-5,
                               atol=1e-5)
    monkeypatch.setattr(_gpu, "max_bindings", lambda info=None: 2)
    with pytest.raises(ValueError, match=r"binds 3 storage buffers; the device allows 2"):
        _compile(lambda a, b: a * b, mx.array(xs[0]), mx.array(xs[1]))


@needs_gpu
def test_freed_buffers_are_cached_until_clear_cache():
    mx.clear_cache()
    with mx.stream(mx.gpu):
        a = mx.exp(mx.ones((1 << 20,)))
        mx.eval(a)
    assert mx.get_cache_memory() >= 4 << 20  # the program's buffers, back in the cache
    assert np.array(a)[0] == pytest.approx(np.e)
    mx.clear_cache()
    assert mx.get_cache_memory() == 0


@needs_gpu
@pytest.mark.parametrize("name, max_ulp", [("sin", 4), ("cos", 4), ("tan", 6)])
def test_trig_of_huge_arguments(name, max_ulp):
    """GLSL defines sin and cos on [-pi, pi] only (lavapipe's were off by up to 2
    past 1e6): from 2^13 on the argument is reduced exactly first, so the GPU is
    within a few ulp of the float64 result up to 3.4e38, both signs."""
    r = np.random.default_rng(7)
    x = np.exp(r.uniform(np.log(1e3), np.log(3.4e38), 4000)) * r.choice([-1, 1], 4000)
    x = np.concatenate([x, [8192.0, -8192.0, 3.4e38, -3.4e38, 1e10]]).astype(np.float32)
    with mx.stream(mx.gpu):
        got = np.array(getattr(mx, name)(mx.array(x))).astype(np.float64)
    want = getattr(np, name)(x.astype(np.float64))
    ulp = np.abs(got - want) / np.spacing(np.abs(want).astype(np.float32)).astype(np.float64)
    assert ulp.max() <= max_ulp, (x[np.argmax(ulp)], ulp.max())


@pytest.mark.parametrize("shape, axis", [((20000,), 0), ((100, 90), -1), ((100, 90), 0)])
def test_sorts_run_a_workgroup_per_row(device, shape, axis):
    """A sort's network runs a workgroup per row, threads over its pairs (on one
    thread, lavapipe stopped its loops after 65535 iterations: a sort of 2000
    elements came out wrong); argsort stays stable."""
    x = np.round(randn(*shape) * 4)  # ties, to check stability
    check(mx.sort(mx.array(x), axis=axis), np.sort(x, axis=axis))
    check(mx.argsort(mx.array(x), axis=axis),
          np.argsort(x, axis=axis, kind="stable").astype(np.uint32))
