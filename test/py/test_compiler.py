"""The compiler you can watch: IR dumps that replay, reproducers, the IR API, DOT."""

import io
import json
import os
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import mxc.compiler
import mxc.core as mx
from mxc.core._array import _make
from mxc._tools import binary

MXC_OPT = binary("mxc-opt")


def run_opt(path, *flags):
    return subprocess.run([MXC_OPT, path, *flags], capture_output=True, text=True)


def test_dump_ir_writes_every_stage_and_each_replays(tmp_path, monkeypatch):
    monkeypatch.setenv("MXC_DUMP_IR", str(tmp_path))
    mxc.compiler.cache.entries.clear()  # dumps are written when a program compiles

    def loss_fn(w, x, y):
        return mx.mean(mx.square(w * x - y))

    g = mx.grad(loss_fn)(mx.array(1.0), mx.array([0.5, -0.5]), mx.array([1.5, -1.5]))
    assert g.item() == -1.0
    files = sorted(os.listdir(tmp_path))
    stages = {f.split("-", 2)[2] for f in files}
    # after linalg the CPU's stage is LLVM, the GPU's the kernels and their SPIR-V
    last = ({"gpu.mlir", "spirv.mlir"} if mx.default_device() == mx.Device(mx.gpu)
            else {"llvm.mlir"})
    assert {"traced.mlir", "transformed.mlir", "linalg.mlir"} | last <= stages
    for f in files:
        path = str(tmp_path / f)
        text = open(path).read()
        # every file parses back
        assert run_opt(path).returncode == 0, f
        m = re.match(r"// mxc-opt (\S+) (--.+)", text)
        if m:  # and replays: the previous stage through the named pipeline gives it
            prev = str(tmp_path / m.group(1))
            replay = run_opt(prev, *m.group(2).split())
            assert replay.returncode == 0, replay.stderr
            again = run_opt(path)
            assert replay.stdout == again.stdout
    traced = [f for f in files if f.endswith("traced.mlir")][0]
    assert "array.vjp" in open(tmp_path / traced).read()


def test_failure_names_the_stage_and_writes_a_reproducer(tmp_path, monkeypatch):
    monkeypatch.setenv("MXC_DUMP_IR", str(tmp_path))
    a = mx.array(np.array([[1 + 2j]], np.complex64))
    with pytest.raises(mxc.compiler.CompilerError) as info:
        # array.abs verifies on complex64 but has no lowering for it (mx.abs
        # computes the float32 magnitude from the parts instead): made directly,
        # the op fails in convert-array-to-linalg.
        _make("abs", (a,), (), a.shape, a.dtype).item()
    message = str(info.value)
    assert "convert-array-to-linalg" in message and "array.abs" in message
    path = re.search(r"Reproduce with: mxc-opt (\S+) (--.+)", message)
    assert path and os.path.exists(path.group(1))
    result = run_opt(path.group(1), *path.group(2).split())
    assert result.returncode != 0 and "cannot lower" in result.stderr


def test_ir_api_at_each_stage():
    f = lambda x: mx.exp(x).sum()  # noqa: E731
    x = mx.array([1.0, 2.0])
    assert "array.exp" in mxc.compiler.ir(f, x, stage="traced")
    assert "linalg.generic" in mxc.compiler.ir(f, x, stage="linalg")
    assert "llvm.func @main" in mxc.compiler.ir(f, x, stage="llvm")
    derivative = mxc.compiler.ir(lambda v: mx.grad(mx.sin)(v), mx.array(1.0),
                                 stage="transformed")
    assert "array.cos" in derivative and "array.vjp" not in derivative
    with pytest.raises(ValueError):
        mxc.compiler.ir(f, x, stage="nope")


def test_export_to_dot():
    buf = io.StringIO()
    x = mx.array([1.0, 2.0])
    mx.export_to_dot(buf, mx.sin(x) * 2, loss=(x * x).sum())
    text = buf.getvalue()
    assert text.startswith("digraph")
    for word in ("sin", "multiply", "sum", "loss"):
        assert word in text


def test_mxc_opt_lists_passes_and_pipelines():
    out = subprocess.run([MXC_OPT, "--help"], capture_output=True, text=True).stdout
    for name in ("convert-array-to-linalg", "array-autodiff", "array-vectorize",
                 "mxc-transforms", "mxc-linalg-to-llvm", "mxc-cpu"):
        assert f"--{name}" in out


def test_docs_page_commands_run(tmp_path, monkeypatch):
    """docs/compiler.md: the program, the dump, each replay command, the IR API."""
    monkeypatch.setenv("MXC_DUMP_IR", str(tmp_path))
    mxc.compiler.cache.entries.clear()

    def loss_fn(w, x, y):
        return mx.mean(mx.square(w * x - y))

    w = mx.array(1.0)
    x = mx.array([0.5, -0.5])
    y = mx.array([1.5, -1.5])
    assert repr(mx.grad(loss_fn)(w, x, y)) == "array(-1, dtype=float32)"
    tag = sorted(f for f in os.listdir(tmp_path) if f.endswith("-traced.mlir"))[-1][:-len("-traced.mlir")]
    stage = lambda s: str(tmp_path / f"{tag}-{s}.mlir")  # noqa: E731
    for src, flag in (("traced", "--mxc-transforms"), ("transformed", "--convert-array-to-linalg"),
                      ("linalg", "--mxc-linalg-to-llvm"), ("traced", "--mxc-cpu")):
        assert run_opt(stage(src), flag).returncode == 0, (src, flag)
    timing = run_opt(stage("traced"), "--mxc-cpu", "--mlir-timing")
    assert timing.returncode == 0 and "Execution time report" in timing.stderr
    text = mxc.compiler.ir(lambda v: mx.grad(loss_fn)(v, x, y), w, stage="transformed")
    assert "array.vjp" not in text and "func.func @main" in text
    buf = io.StringIO()
    mx.export_to_dot(buf, loss_fn(w, x, y))
    assert "digraph" in buf.getvalue()


@pytest.mark.cpu_only(reason="the disk cache holds the CPU's compiled shared objects")
def test_disk_cache_starts_a_second_process_warm(tmp_path):
    """Programs compiled by one process are shared objects in MXC_CACHE_DIR; the next
    process loads them (no MLIR, no LLVM) and gets the same numbers."""
    code = textwrap.dedent("""
        import json, numpy as np, mxc.core as mx
        from mxc import _compiler
        x = mx.array(np.linspace(-2, 2, 12, dtype=np.float32).reshape(3, 4))
        f = lambda x: mx.softmax(mx.exp(x) @ x.T, axis=-1).sum(axis=0)
        g = mx.grad(lambda x: (mx.sin(x) * x).sum())(x)
        out = [np.array(f(x)).tolist(), np.array(g).tolist()]
        d = _compiler.disk_cache
        print(json.dumps([out, d.hits, d.stores]))
    """)
    env = dict(os.environ, MXC_DISK_CACHE="1", MXC_CACHE_DIR=str(tmp_path / "c"))
    runs = [json.loads(subprocess.run([sys.executable, "-c", code], env=env, check=True,
                                      capture_output=True, text=True).stdout)
            for _ in range(2)]
    (out1, hits1, stores1), (out2, hits2, stores2) = runs
    assert hits1 == 0 and stores1 >= 2
    assert hits2 == stores1 and stores2 == 0
    assert out1 == out2
    files = os.listdir(tmp_path / "c")
    assert len(files) == stores1 and all(f.endswith(".so") for f in files)
    # A damaged entry is recompiled (and replaced), not a crash.
    for f in files:
        (tmp_path / "c" / f).write_bytes(b"not an ELF file")
    out3, hits3, stores3 = json.loads(subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True,
        text=True).stdout)
    assert out3 == out1 and hits3 == 0 and stores3 == stores1
    # MXC_DISK_CACHE=0: nothing is read or written.
    env0 = dict(env, MXC_DISK_CACHE="0", MXC_CACHE_DIR=str(tmp_path / "off"))
    out4, hits4, stores4 = json.loads(subprocess.run(
        [sys.executable, "-c", code], env=env0, check=True, capture_output=True,
        text=True).stdout)
    assert out4 == out1 and hits4 == stores4 == 0 and not (tmp_path / "off").exists()


TIER_PROGRAMS = {
    "transcendental": lambda x: mx.exp(mx.sin(x) * 2 + 1) - mx.tanh(x),
    "reductions": lambda x: mx.softmax(x, axis=-1).sum(axis=0) + x.max(axis=0),
    "matmul": lambda x: (x @ x.T) @ x,
    "sort_scan": lambda x: mx.cumsum(mx.sort(x, axis=1), axis=0),
    "grad": lambda x: mx.grad(lambda v: (mx.log1p(v * v) * v).sum())(x),
}


@pytest.mark.cpu_only(reason="LLVM's -O0 and -O2 tiers are the CPU JIT's")
@pytest.mark.parametrize("name", sorted(TIER_PROGRAMS))
def test_fast_tier_then_optimizing_tier_give_the_same_numbers(name):
    """A program starts on -O0; its second call compiles -O2 in the background, which
    is swapped in: every call gives the same numbers."""
    from mxc import _compiler

    fn = TIER_PROGRAMS[name]
    x = mx.array(np.random.default_rng(3).standard_normal((6, 8)).astype(np.float32))
    cf = mx.compile(fn)
    first = np.array(cf(x))
    exe = next(e for e in reversed(_compiler.cache.entries.values())
               if isinstance(e, _compiler.Executable))
    second = np.array(cf(x))  # starts the optimizing compile
    _compiler.wait_for_tier_ups()
    assert exe.program is None and exe.retired is not None  # swapped to -O2
    third = np.array(cf(x))
    np.testing.assert_allclose(second, first, rtol=2e-6, atol=1e-6)
    np.testing.assert_allclose(third, first, rtol=2e-6, atol=1e-6)
    np.testing.assert_allclose(np.array(fn(x)), first, rtol=2e-6, atol=1e-6)


@pytest.mark.cpu_only(reason="LLVM's -O0 and -O2 tiers are the CPU JIT's")
def test_jit_tiers_off_compiles_optimized_at_once():
    code = textwrap.dedent("""
        import mxc.core as mx
        from mxc import _compiler
        mx.eval(mx.exp(mx.arange(4.0)))
        exe = list(_compiler.cache.entries.values())[-1]
        print(exe.program is None, exe.retired is None)
    """)
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, env=dict(os.environ, MXC_JIT_TIERS="0")).stdout
    assert out.split() == ["True", "True"]


def test_repeated_independent_parts_compile_once():
    """A model's initialization evaluates many independent draws of a few shapes: the
    parts that are the same program compile once (not one large program) and give
    the values each gives alone."""
    import mxc.nn as nn

    mx.random.seed(3)
    layers = [nn.Linear(64, 64) for _ in range(12)] + [nn.Linear(64, 8)]
    cache = mxc.compiler.cache
    before, misses = set(cache.entries), cache.misses
    mx.eval([l.parameters() for l in layers])
    # At most: weight and bias of the 64x64 layers and of the 64x8 one (the draws
    # run on keys of their own), each a small program; never all 26 draws as one.
    # (keys are programs, or (program, device) on the GPU)
    new = [p[0] if isinstance(p, tuple) else p for p in cache.entries if p not in before]
    assert cache.misses - misses <= 4 and len(new) <= 4
    assert all(len(p.nodes) < 20 for p in new), [len(p.nodes) for p in new]
    mx.random.seed(3)
    again = [nn.Linear(64, 64) for _ in range(12)] + [nn.Linear(64, 8)]
    for a, b in zip(layers, again):
        for name in ("weight", "bias"):
            mx.eval(getattr(b, name))  # alone: a program of one draw
            np.testing.assert_array_equal(np.array(getattr(a, name)), np.array(getattr(b, name)))
    w = np.array(layers[0].weight)
    assert np.abs(w).max() <= 1 / 8 and w.std() > 0.05  # uniform(-1/sqrt(64), 1/sqrt(64))
    # Parts that all differ stay one program.
    xs = [mx.array(np.full((4, 4), i, np.float32)) for i in range(3)]
    mx.eval(xs)
    outs = [mx.exp(xs[0]) + 1, mx.sin(xs[1]) * 2, mx.sqrt(xs[2]) - 3]
    misses = mxc.compiler.cache.misses
    mx.eval(outs)
    assert mxc.compiler.cache.misses - misses <= 1
    np.testing.assert_allclose(np.array(outs[1]), np.sin(np.ones((4, 4))) * 2, rtol=1e-6)
