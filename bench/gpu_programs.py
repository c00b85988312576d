"""Saves GPU benchmark programs for ``mxc-run`` (tools/mxc-run), with sidecars.

    python bench/gpu_programs.py [--out bench/gpu_programs] [--only NAME ...] [--list]

Each program is compiled here through the real GPU path (mx.gpu's compile_gpu on
the local Vulkan device, lavapipe on this machine) and written as NAME.mxcp: the
kernels and host steps only, no data, so the files are small. NAME.mxcp.txt is its
sidecar: dtypes and element counts of inputs and outputs, FLOPs, and the expected
float64 checksum and ~16 sampled elements of every output, computed with NumPy
from the same deterministic fill that mxc-run uses:

    r = (j * 2654435761 + 977 * i) mod 1000003      element j of input i (uint64)
    f32 value = float32(r / 1000003.0 - 0.5)         (the division in float64)

Programs: copy (y = x * 1, the copy-bandwidth baseline), ew (exp(x * y + 1) - y)
at 2^24 and 2^26 f32 elements, copy at the same sizes, and f32 matmul at 1024
(for lavapipe), 2048, 4096, 8192. Inputs above 128 MB (2^26 elements, matmul 8192)
do not fit a lavapipe storage buffer: those run only on a real GPU.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "python", "frontend"))


def fill(i, n):
    """Input i of n f32 elements, exactly as mxc-run fills it."""
    j = np.arange(n, dtype=np.uint64)
    r = (j * np.uint64(2654435761) + np.uint64(977 * i)) % np.uint64(1000003)
    return (r.astype(np.float64) / 1000003.0 - 0.5).astype(np.float32)


def sample_indices(n, k=16):
    idx = {0, n - 1, n // 2}
    rng = np.random.default_rng(12345)
    idx.update(int(v) for v in rng.integers(0, n, k - len(idx)))
    return sorted(idx)[:k]


def elementwise_case(name, n, expr):
    def build(mx):
        x = mx.array(np.empty(n, np.float32))
        y = mx.array(np.empty(n, np.float32))
        return expr(mx, x, y), [x, y]

    def expect():
        x, y = fill(0, n), fill(1, n)
        # The GPU computes in f32: the reference rounds where it does, then sums
        # in float64.
        out = expr(np, x, y).astype(np.float32)
        o = out.astype(np.float64)
        idx = sample_indices(n)
        csum = float(o.sum())
        atol = 1e-6 * float(np.abs(o).sum()) + 1e-3
        samples = [(j, float(o[j]), 1e-6, 2e-6) for j in idx]
        return [("f32", n)] * 2, [("f32", n)], [(csum, atol)], samples

    return name, build, expect, 0


def matmul_case(n):
    def build(mx):
        a = mx.array(np.empty((n, n), np.float32))
        b = mx.array(np.empty((n, n), np.float32))
        return a @ b, [a, b]

    def expect():
        a = fill(0, n * n).reshape(n, n).astype(np.float64)
        b = fill(1, n * n).reshape(n, n).astype(np.float64)
        # sum(A @ B) = colsum(A) . rowsum(B): exact in float64 without the product.
        csum = float(a.sum(axis=0) @ b.sum(axis=1))
        # f32 accumulation over K: each element's error grows ~ sqrt(K) * eps * |terms|.
        elem_atol = 4e-7 * n + 1e-4
        typical = math.sqrt(n) / 12.0
        atol = 1e-5 * n * n * typical + n * elem_atol
        samples = []
        for flat in sample_indices(n * n):
            i, j = divmod(flat, n)
            samples.append((flat, float(a[i] @ b[:, j]), elem_atol, 1e-4))
        return [("f32", n * n)] * 2, [("f32", n * n)], [(csum, atol)], samples

    return f"matmul_{n}", build, expect, 2.0 * n ** 3


def cases():
    out = []
    for log2 in (24, 26):
        n = 1 << log2
        out.append(elementwise_case(f"copy_2p{log2}", n, lambda m, x, y: x * 1.0))
        out.append(elementwise_case(f"ew_2p{log2}", n,
                                    lambda m, x, y: m.exp(x * y + 1.0) - y))
    for n in (1024, 2048, 4096, 8192):
        out.append(matmul_case(n))
    return out


def freeze_scalars(program, leaves, keep):
    """The program with only ``keep`` (arrays, in order) as arguments: every other
    leaf (Python scalars such as the 1.0 in x * 1.0) becomes a splat constant
    compiled into the kernels."""
    from mxc import _compiler

    keep_ids = [id(a) for a in keep]
    kept = [a for a in leaves if id(a) in keep_ids]
    kept.sort(key=lambda a: keep_ids.index(id(a)))
    others = [a for a in leaves if id(a) not in keep_ids]
    new_id = {}
    pos = {id(a): k for k, a in enumerate(leaves)}
    for k, a in enumerate(kept):
        new_id[pos[id(a)]] = k
    consts = []
    for j, a in enumerate(others):
        if a.size != 1:
            raise SystemExit("only scalar leaves can become constants")
        new_id[pos[id(a)]] = len(kept) + j
        value = np.asarray(a._value).reshape(-1)[0].item()
        consts.append(("constant", (("value", ("splat", a._shape, a._dtype.name, value)),),
                       (), ((a._shape, a._dtype.name),)))
    n = len(leaves)

    def remap(v):
        return new_id[v] if v < n else v

    nodes = tuple(consts) + tuple((prim, attrs, tuple(remap(v) for v in ins), specs)
                                  for prim, attrs, ins, specs in program.nodes)
    args = tuple((a._shape, a._dtype.name) for a in kept)
    return _compiler.Program(args, nodes, tuple(remap(v) for v in program.outputs)), kept


def save_case(name, build, expect, flops, outdir):
    import mxc.core as mx
    from mxc import _gpu
    from mxc.core._array import _program

    t0 = time.time()
    previous = mx.default_device()
    mx.set_default_device(mx.gpu)
    try:
        out, inputs = build(mx)
        program, leaves = _program([out])
        program, leaves = freeze_scalars(program, leaves, inputs)
    finally:
        mx.set_default_device(previous)
    exe = _gpu.compile_gpu(program, load=False)
    nd = exe.program.num_dispatches
    if nd < 1:
        raise SystemExit(f"{name}: the program has no dispatch")
    path = os.path.join(outdir, name + ".mxcp")
    exe.save(path)
    ins, outs, checksums, samples = expect()
    ins = ins[:len(leaves)]  # copy uses one input
    with open(path + ".txt", "w") as f:
        f.write(f"# {name}: written by bench/gpu_programs.py; read by mxc-run\n")
        f.write(f"name {name}\nflops {flops:.0f}\n")
        for i, (dt, n) in enumerate(ins):
            f.write(f"input {i} {dt} {n}\n")
        for i, (dt, n) in enumerate(outs):
            f.write(f"output {i} {dt} {n}\n")
        for s, atol in checksums:
            f.write(f"checksum 0 {s!r} {atol!r}\n")
        for j, v, atol, rtol in samples:
            f.write(f"sample 0 {j} {v!r} {atol!r} {rtol!r}\n")
    size = os.path.getsize(path)
    print(f"{name}: {len(exe.program.kernels)} kernel(s), {nd} dispatch(es), "
          f"{size} bytes, {time.time() - t0:.1f}s -> {path}")


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(HERE, "gpu_programs"))
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args(argv)
    all_cases = cases()
    if args.list:
        for c in all_cases:
            print(c[0])
        return
    os.makedirs(args.out, exist_ok=True)
    for name, build, expect, flops in all_cases:
        if args.only and name not in args.only:
            continue
        save_case(name, build, expect, flops, args.out)


if __name__ == "__main__":
    main()
