"""Compiled programs on several CPU threads (mxc-parallelize, OpenMP through libomp).

Large elementwise chains, row reductions and fused row blocks (softmax, layer norm)
become OpenMP loops. Each thread computes whole rows, so results do not depend on
the thread count: every program here gives the same bits with 1, 2 and 3 threads
(each count is a fresh process: the count is fixed when mxc is imported), and the
same values as NumPy.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import mxc.compiler
import mxc.core as mx
from mxc import _compiler

pytestmark = pytest.mark.cpu_only(reason="threads of the CPU's compiled code")

PROGRAM = textwrap.dedent("""
    import json, sys
    import numpy as np
    import mxc.core as mx
    from mxc import _compiler
    rng = np.random.default_rng(0)
    a = mx.array(rng.standard_normal((1000, 700)).astype(np.float32))
    xs = mx.array(rng.standard_normal((4096, 100)).astype(np.float32))
    ys = mx.array(rng.standard_normal((100, 4096)).astype(np.float32))
    out = {
        "exp_sin": mx.exp(mx.sin(a) * 2 + 1),
        "softmax": mx.softmax(a, axis=-1),
        "layer_norm": (a - a.mean(-1, keepdims=True)) * mx.rsqrt(a.var(-1, keepdims=True) + 1e-5),
        "row_sum": mx.sum(a * a, axis=1),
        "col_sum": mx.sum(a, axis=0),
        "logsumexp": mx.logsumexp(a, axis=-1),
        "vmap_add": mx.vmap(lambda x, y: x + y, in_axes=(1, 0))(xs, ys),
        "argmax": mx.argmax(a, axis=1),
        "grad": mx.grad(lambda v: mx.sum(mx.softmax(v, axis=-1) * v))(a),
    }
    mx.eval(out)
    np.savez(sys.argv[1], **{k: np.array(v) for k, v in out.items()})
    print(json.dumps({"threads": _compiler.num_threads(), "stage": _compiler.STAGES[-1][1]}))
""")


def _run(tmp_path, threads):
    path = str(tmp_path / f"out{threads}.npz")
    env = dict(os.environ, MXC_NUM_THREADS=str(threads), MXC_DISK_CACHE="0")
    proc = subprocess.run([sys.executable, "-c", PROGRAM, path], env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.splitlines()[-1]), dict(np.load(path))


def test_thread_counts_give_the_same_bits(tmp_path):
    if _compiler._openmp() is None:
        pytest.fail("libomp did not load: install Debian's libomp5 (make system-deps)")
    meta1, one = _run(tmp_path, 1)
    assert meta1 == {"threads": 1, "stage": "mxc-linalg-to-llvm{parallel=false},mxc-vector-libm"}
    for n in (2, 3):
        meta, many = _run(tmp_path, n)
        assert meta == {"threads": n,
                        "stage": "mxc-linalg-to-llvm{parallel=true},mxc-vector-libm"}
        for k in one:
            np.testing.assert_array_equal(many[k], one[k], err_msg=f"{k} with {n} threads")
    a = np.random.default_rng(0).standard_normal((1000, 700)).astype(np.float32)
    a64 = a.astype(np.float64)
    sm = np.exp(a64 - a64.max(-1, keepdims=True))
    sm /= sm.sum(-1, keepdims=True)
    np.testing.assert_allclose(one["softmax"], sm, rtol=2e-5, atol=1e-7)
    np.testing.assert_allclose(one["exp_sin"], np.exp(np.sin(a64) * 2 + 1), rtol=2e-6)
    np.testing.assert_allclose(one["row_sum"], (a64 * a64).sum(1), rtol=1e-5)
    np.testing.assert_allclose(one["col_sum"], a64.sum(0), rtol=1e-4, atol=1e-4)
    np.testing.assert_array_equal(one["argmax"], a.argmax(1))
    ln = (a64 - a64.mean(-1, keepdims=True)) / np.sqrt(a64.var(-1, keepdims=True) + 1e-5)
    np.testing.assert_allclose(one["layer_norm"], ln, rtol=1e-4, atol=1e-5)


def _llvm_ir(fn, *args):
    return mxc.compiler.ir(fn, *args, stage="llvm")


def test_large_loops_are_openmp_and_small_ones_serial():
    if _compiler.num_threads() < 2:
        pytest.fail("these tests need 2 CPUs and libomp (MXC_NUM_THREADS unset or > 1)")
    big = mx.array(np.ones((512, 512), np.float32))
    small = mx.array(np.ones((16, 16), np.float32))
    assert "omp.parallel" in _llvm_ir(lambda v: mx.softmax(v, axis=-1), big)
    assert "omp.parallel" in _llvm_ir(lambda v: mx.exp(v) + 1, big)
    assert "omp.parallel" not in _llvm_ir(lambda v: mx.softmax(v, axis=-1), small)
    # A matmul is BLAS's (threaded there), its transposed operand a stride.
    text = _llvm_ir(lambda u, v: u.T @ v, big, big)
    assert "omp.parallel" not in text and "mxc_rt_gemm_f32" in text


@pytest.mark.parametrize("shape", [(3, 70000), (70000, 3), (257, 513), (1, 1 << 17), (2, 3, 4, 5000)])
def test_odd_shapes_match_numpy(shape):
    """Tile counts that do not divide the rows, a single row, one long row, 4-d."""
    x = np.random.default_rng(1).standard_normal(shape).astype(np.float32)
    got = mx.compile(lambda v: (mx.softmax(v, axis=-1), mx.tanh(v) * 3, v.sum(-1)))(mx.array(x))
    x64 = x.astype(np.float64)
    sm = np.exp(x64 - x64.max(-1, keepdims=True))
    np.testing.assert_allclose(np.array(got[0]), sm / sm.sum(-1, keepdims=True), rtol=2e-5, atol=1e-8)
    np.testing.assert_allclose(np.array(got[1]), np.tanh(x64) * 3, rtol=2e-6, atol=1e-6)
    np.testing.assert_allclose(np.array(got[2]), x64.sum(-1), rtol=1e-4, atol=1e-3)


def test_reversed_operands_match_numpy():
    """x[::-1] reads through a map with a negative coefficient, which linalg's tiling
    cannot slice: those ops stay whole, their consumers are still tiled."""
    x = np.random.default_rng(2).standard_normal((400, 300)).astype(np.float32)
    v = mx.array(x)
    x64 = x.astype(np.float64)

    def softmax(a):
        e = np.exp(a - a.max(-1, keepdims=True))
        return e / e.sum(-1, keepdims=True)

    got = [mx.exp(v[::-1]) + 1, mx.softmax(v[::-1], axis=-1), mx.softmax(v[:, ::-2], axis=-1),
           mx.sum(v[::-1, ::-1] * 2, axis=1)]
    want = [np.exp(x64[::-1]) + 1, softmax(x64[::-1]), softmax(x64[:, ::-2]),
            (x64[::-1, ::-1] * 2).sum(1)]
    for g, w in zip(got, want):
        np.testing.assert_allclose(np.array(g), w, rtol=2e-5, atol=1e-5)


def test_bad_thread_count_is_a_value_error():
    for bad in ("0", "two", "-3"):
        proc = subprocess.run([sys.executable, "-c", "import mxc.core"],
                              env=dict(os.environ, MXC_NUM_THREADS=bad),
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode != 0
        assert "ValueError" in proc.stderr and "MXC_NUM_THREADS" in proc.stderr, proc.stderr
