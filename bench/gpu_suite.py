"""A GPU correctness kit for ``mxc-run``: saved programs that stand in for the test
suite on a machine without mxc's Python (the H100: Python 3.12, no network).

    python bench/gpu_suite.py [--out bench/gpu_suite] [--only NAME ...] [--family F ...]
                              [--list] [--all]

Each case is a small function of f32/i32 inputs covering one op family of
test/py (unary and binary math, i32 arithmetic, broadcasting, reductions on
shapes that are not multiples of workgroup sizes, softmax and norms, scans,
sorts, odd matmuls, shape ops, gathers and scatters, casts, random bits,
gradients and vmap). It is traced on the GPU device as mx.compile traces (no
eager shortcuts on the inputs), compiled to SPIR-V (``compile_gpu`` with the local
Vulkan device's limits, not loaded), saved as NAME.mxcp with every Python scalar
frozen into the kernels, and its sidecar NAME.mxcp.txt holds the expectations:

- inputs: mxc-run's deterministic fill (bench/gpu_programs.py ``fill``; i32:
  (r mod 201) - 100). Index arrays are computed inside the program from an i32
  input (remainder/abs), so they are always in range.
- expected outputs: the same function run by mxc on the CPU on exactly those
  inputs, cross-checked against NumPy (float64) where a NumPy reference is given.
- tolerance per case from the op's precision: integer ops and data movement are
  exact; transcendentals ~8 f32 ulp; a reduction over K terms 2*sqrt(K)*eps times
  the sum of |terms| (matmul: |A| @ |B|).
- a checksum of every output (the sum, allowing the sum of per-element
  tolerances) and ~16 sampled elements of it (every element when it has <= 64).

Outputs are f32 or i32 (mxc-run's dtypes): bool, uint32, f16 and bf16 results
are cast back inside the program. Cases in EXCLUDED (failing on lavapipe because
of a compiler bug, the reason next to each) are written only with --all or when
named by --only.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "python", "frontend"))

from gpu_programs import freeze_scalars, sample_indices  # noqa: E402

EPS = float(np.finfo(np.float32).eps)


def fill(dtype, i, shape):
    """Input i of ``shape`` exactly as mxc-run fills it."""
    n = int(np.prod(shape))
    j = np.arange(n, dtype=np.uint64)
    r = (j * np.uint64(2654435761) + np.uint64(977 * i)) % np.uint64(1000003)
    if dtype == "i32":
        v = (r % np.uint64(201)).astype(np.int32) - 100
    else:
        v = (r.astype(np.float64) / 1000003.0 - 0.5).astype(np.float32)
    return v.reshape(shape)


# ---------------------------------------------------------------- tolerances
# A tolerance is a function (inputs as NumPy, expected output) -> (atol, rtol),
# atol a scalar or an array of the output's shape.

def exact(ins, out):
    return 0.0, 0.0


def ulp(k, atol=1e-6):
    """Elementwise f32 math: k ulp relative (plus atol near zero)."""
    return lambda ins, out: (atol, k * EPS)


def acc(scale, k, c=2.0, atol=1e-6):
    """An accumulation of ``k`` terms: c * sqrt(k) * eps * scale(*inputs) + atol, where
    ``scale`` gives the sum of |terms| per output element."""
    def tol(ins, out):
        s = np.asarray(scale(*[a.astype(np.float64) for a in ins]), np.float64)
        return c * math.sqrt(k) * EPS * s + atol, 2 * EPS
    return tol


# ---------------------------------------------------------------- cases
CASES = []          # (name, family, inputs [(dtype, shape)], fn(mx, *xs), tol, ref)
EXCLUDED = {}       # name -> why (compiler bug on lavapipe)


def case(name, family, inputs, fn, tol=exact, ref=None):
    CASES.append((name, family, inputs, fn, tol, ref))


def F(*shape):
    return ("f32", shape)


def I(*shape):
    return ("i32", shape)


def _define():
    T = ulp(8)
    # --- unary math (f32 inputs in [-0.5, 0.5])
    N = (1000, 777)
    case("unary_exp", "unary", [F(*N)], lambda m, x: m.exp(x * 8.0), T,
         lambda x: np.exp(x * 8.0))
    case("unary_log", "unary", [F(*N)], lambda m, x: m.log(x + 0.5001), T,
         lambda x: np.log(np.float32(x + np.float32(0.5001))))
    case("unary_sin_cos_tan", "unary", [F(4097)],
         lambda m, x: (m.sin(x * 6.0), m.cos(x * 6.0), m.tan(x * 3.0)), [T, T, ulp(8, 2e-6)],
         lambda x: (np.sin(x * 6.0), np.cos(x * 6.0), np.tan(np.float32(x * 3.0))))
    case("unary_sin_cos_large", "unary", [F(4097)],
         lambda m, x: (m.sin(x * 2000.0), m.cos(x * 2000.0)), ulp(8, 4e-6),
         lambda x: (np.sin(np.float32(x * 2000.0)), np.cos(np.float32(x * 2000.0))))
    case("unary_tanh_sigmoid_erf", "unary", [F(3001)],
         lambda m, x: (m.tanh(x * 10.0), m.sigmoid(x * 30.0), m.erf(x * 6.0)), T,
         lambda x: (np.tanh(x * 10.0), 1 / (1 + np.exp(-np.float32(x * 30.0))),
                    np.vectorize(math.erf)(np.float32(x * 6.0).astype(np.float64))))
    case("unary_sqrt_rsqrt", "unary", [F(3001)],
         lambda m, x: (m.sqrt(x + 0.5), m.rsqrt(x + 0.5001)), T,
         lambda x: (np.sqrt(np.float32(x + 0.5)),
                    1 / np.sqrt(np.float32(x + np.float32(0.5001)))))
    case("unary_rounding", "unary", [F(5000)],
         lambda m, x: (m.abs(x), m.floor(x * 20.0), m.ceil(x * 20.0), m.round(x * 20.0)),
         exact, lambda x: (np.abs(x), np.floor(x * np.float32(20)), np.ceil(x * np.float32(20)),
                           np.round(x * np.float32(20))))
    case("unary_log1p_expm1", "unary", [F(3001)],
         lambda m, x: (m.log1p(x), m.expm1(x)), T, lambda x: (np.log1p(x), np.expm1(x)))

    # --- binary f32
    B = (333, 517)
    case("binary_arith", "binary", [F(*B), F(*B)],
         lambda m, x, y: (x + y, x - y, x * y, x / (m.abs(y) + 0.1)),
         [ulp(2, 1e-7)] * 3 + [ulp(4, 1e-7)],  # Vulkan's OpFDiv: 2.5 ulp
         lambda x, y: (x + y, x - y, x * y, x / (np.abs(y) + np.float32(0.1))))
    case("binary_pow", "binary", [F(*B), F(*B)],
         lambda m, x, y: m.power(x + 0.75, y * 4.0), ulp(16),
         lambda x, y: np.power(np.float32(x + np.float32(0.75)), np.float32(y * 4.0)))
    case("binary_max_min", "binary", [F(*B), F(*B)],
         lambda m, x, y: (m.maximum(x, y), m.minimum(x, y)), exact,
         lambda x, y: (np.maximum(x, y), np.minimum(x, y)))
    case("binary_atan2", "binary", [F(*B), F(*B)], lambda m, x, y: m.arctan2(x, y), ulp(64),
         lambda x, y: np.arctan2(x, y))
    case("binary_logaddexp", "binary", [F(*B), F(*B)],
         lambda m, x, y: m.logaddexp(x * 20.0, y * 20.0), ulp(8),
         lambda x, y: np.logaddexp(np.float32(x * 20), np.float32(y * 20)))
    case("binary_compare_where", "binary", [F(*B), F(*B)],
         lambda m, x, y: (x < y, x >= y, m.equal(m.floor(x * 4.0), m.floor(y * 4.0)),
                          m.where(x > y, x, y * 2.0)), exact,
         lambda x, y: (x < y, x >= y, np.floor(x * 4) == np.floor(y * 4),
                       np.where(x > y, x, y * np.float32(2))))
    case("binary_where_clip", "binary", [F(*B), F(*B)],
         lambda m, x, y: (m.clip(x, -0.25, 0.3), m.where(m.abs(x) < 0.1, 0.0, x * y)), exact,
         lambda x, y: (np.clip(x, -0.25, 0.3), np.where(np.abs(x) < 0.1, 0, x * y)))

    # --- i32 arithmetic (inputs in [-100, 100])
    def nz(m, y):
        return m.where(m.equal(y, 0), 7, y)
    case("int_add_mul", "int", [I(1001), I(1001)],
         lambda m, x, y: (x + y, x * y - y, x * y * 30011), exact,
         lambda x, y: (x + y, x * y - y, (x * y).astype(np.int64) * 30011 % 2**32))
    case("int_div_rem", "int", [I(2003), I(2003)],
         lambda m, x, y: (m.floor_divide(x, nz(m, y)), m.remainder(x, nz(m, y))), exact,
         lambda x, y: (np.floor_divide(x, np.where(y == 0, 7, y)),
                       np.remainder(x, np.where(y == 0, 7, y))))
    case("int_bitwise", "int", [I(2003), I(2003)],
         lambda m, x, y: (m.bitwise_and(x, y), m.bitwise_or(x, y), m.bitwise_xor(x, y)), exact,
         lambda x, y: (x & y, x | y, x ^ y))
    case("int_shifts", "int", [I(2003), I(2003)],
         lambda m, x, y: (m.left_shift(x, m.remainder(y, 20)),
                          m.right_shift(x, m.remainder(y, 8))),
         exact, lambda x, y: (np.left_shift(x, y % 20), np.right_shift(x, y % 8)))
    case("int_compare_max", "int", [I(2003), I(2003)],
         lambda m, x, y: (m.maximum(x, y), m.minimum(x, y), x == y, m.abs(x), -x), exact,
         lambda x, y: (np.maximum(x, y), np.minimum(x, y), x == y, np.abs(x), -x))

    # --- broadcasting
    case("bcast_ranks", "broadcast", [F(7, 1, 33), F(65, 1), F(33)],
         lambda m, a, b, c: (a + b) * c - a, ulp(2, 1e-7),
         lambda a, b, c: (a + b) * c - a)
    case("bcast_scalar_row_col", "broadcast", [F(300, 257), F(257), F(300, 1)],
         lambda m, a, b, c: m.maximum(a * b, c) + 1.0, ulp(2, 1e-7),
         lambda a, b, c: np.maximum(a * b, c) + 1)
    case("bcast_4d", "broadcast", [F(2, 1, 5, 1), F(1, 3, 1, 129)],
         lambda m, a, b: m.exp(a - b), T, lambda a, b: np.exp(a - b))

    # --- reductions
    def sum_abs(axis):
        return lambda x: np.abs(x).sum(axis=axis)

    def mean_abs(axis):
        return lambda x: np.abs(x).mean(axis=axis)

    for shape, tag in (((1000, 777), "1000x777"), ((3, 5, 7000), "3x5x7000")):
        axes = list(range(len(shape))) + [None]
        for ax in axes:
            k = int(np.prod(shape)) if ax is None else shape[ax]
            a = "all" if ax is None else str(ax)
            if ax is not None:
                case(f"reduce_sum_mean_{tag}_ax{a}", "reduce", [F(*shape)],
                     lambda m, x, ax=ax: (m.sum(x, axis=ax), m.mean(x, axis=ax)),
                     [acc(sum_abs(ax), k), acc(mean_abs(ax), k)],
                     lambda x, ax=ax: (x.astype(np.float64).sum(axis=ax),
                                       x.astype(np.float64).mean(axis=ax)))
            else:
                case(f"reduce_sum_mean_max_min_{tag}_axall", "reduce", [F(*shape)],
                     lambda m, x: (m.sum(x), m.mean(x), m.max(x), m.min(x)),
                     [acc(sum_abs(ax), k), acc(mean_abs(ax), k), exact, exact],
                     lambda x: (x.astype(np.float64).sum(), x.astype(np.float64).mean(),
                                x.max(), x.min()))
                case(f"reduce_argmax_{tag}_axall", "reduce", [F(*shape)],
                     lambda m, x: (m.argmax(x), m.argmin(x)), exact,
                     lambda x: (x.argmax(), x.argmin()))
                continue
            case(f"reduce_minmax_arg_{tag}_ax{a}", "reduce", [F(*shape)],
                 lambda m, x, ax=ax: (m.max(x, axis=ax), m.min(x, axis=ax),
                                      m.argmax(x, axis=ax), m.argmin(x, axis=ax)),
                 exact, lambda x, ax=ax: (x.max(axis=ax), x.min(axis=ax),
                                          x.argmax(axis=ax), x.argmin(axis=ax)))
        # var: mean((x - mean)^2); error scale ~ mean of squares
        ax = len(shape) - 1
        case(f"reduce_var_{tag}", "reduce", [F(*shape)],
             lambda m, x, ax=ax: (m.var(x, axis=ax), m.var(x)),
             [acc(lambda x, ax=ax: (x * x).mean(axis=ax) + np.abs(x).mean(axis=ax) ** 2,
                  shape[ax], c=4),
              acc(lambda x: (x * x).mean() + np.abs(x).mean() ** 2, int(np.prod(shape)), c=4)],
             lambda x, ax=ax: (x.astype(np.float64).var(axis=ax), x.astype(np.float64).var()))
    case("reduce_argmax_250x257_axall", "reduce", [F(250, 257)],
         lambda m, x: (m.argmax(x), m.argmin(x)), exact, lambda x: (x.argmax(), x.argmin()))
    case("reduce_prod", "reduce", [F(37, 301)],
         lambda m, x: (m.prod(1.0 + x * 0.05, axis=0), m.prod(1.0 + x * 0.05, axis=1)),
         [lambda ins, out: (1e-7, 2 * 37 * EPS), lambda ins, out: (1e-7, 2 * 301 * EPS)],
         lambda x: (np.prod(1 + x.astype(np.float64) * 0.05, axis=0),
                    np.prod(1 + x.astype(np.float64) * 0.05, axis=1)))
    case("reduce_int_sum_max", "reduce", [I(300, 1001)],
         lambda m, x: (m.sum(x, axis=1), m.sum(x, axis=0), m.max(x, axis=0), m.sum(x)), exact,
         lambda x: (x.sum(axis=1), x.sum(axis=0), x.max(axis=0), x.sum()))

    # --- softmax, logsumexp, layer norm
    case("softmax_rows", "norm", [F(100, 1001)], lambda m, x: m.softmax(x * 10.0, axis=-1),
         ulp(16, 1e-8), lambda x: _np_softmax(x * 10.0, -1))
    case("softmax_axis0", "norm", [F(513, 67)], lambda m, x: m.softmax(x * 10.0, axis=0),
         ulp(16, 1e-8), lambda x: _np_softmax(x * 10.0, 0))
    case("logsumexp", "norm", [F(3, 5, 7000)],
         lambda m, x: (m.logsumexp(x * 5.0, axis=-1), m.logsumexp(x * 5.0, axis=1)),
         ulp(32, 1e-5), lambda x: (_np_lse(x * 5.0, -1), _np_lse(x * 5.0, 1)))

    def layer_norm(m, x, w, b):
        mu = m.mean(x, axis=-1, keepdims=True)
        v = m.var(x, axis=-1, keepdims=True)
        return (x - mu) * m.rsqrt(v + 1e-5) * w + b

    def np_layer_norm(x, w, b):
        x = x.astype(np.float64)
        mu = x.mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(x.var(-1, keepdims=True) + 1e-5) * w + b
    case("layer_norm", "norm", [F(257, 768), F(768), F(768)], layer_norm,
         ulp(64, 2e-5), np_layer_norm)

    # --- scans
    for ax, shape in ((0, (300, 97)), (1, (31, 1001)), (2, (3, 5, 700)), (1, (97, 1001)),
                      (0, (1001, 97))):
        k = shape[ax]
        big = math.prod(shape) > 32768
        tag = f"ax{ax}_{shape[0]}x{shape[1]}" if big else f"ax{ax}"
        case(f"scan_cumsum_{tag}", "scan", [F(*shape)], lambda m, x, ax=ax: m.cumsum(x, axis=ax),
             acc(lambda x, ax=ax: np.cumsum(np.abs(x), axis=ax), k),
             lambda x, ax=ax: np.cumsum(x.astype(np.float64), axis=ax))
        case(f"scan_cummax_{tag}", "scan", [F(*shape)],
             lambda m, x, ax=ax: (m.cummax(x, axis=ax), m.cummin(x, axis=ax)), exact,
             lambda x, ax=ax: (np.maximum.accumulate(x, axis=ax),
                               np.minimum.accumulate(x, axis=ax)))
    case("scan_cumprod", "scan", [F(20, 301)], lambda m, x: m.cumprod(1.0 + x * 0.05, axis=1),
         lambda ins, out: (1e-7, 2 * 301 * EPS),
         lambda x: np.cumprod(1 + x.astype(np.float64) * 0.05, axis=1))
    for shape in ((30, 999), (50, 999)):
        tag = "" if shape == (30, 999) else "_50x999"
        case(f"scan_cumsum_int_reverse{tag}", "scan", [I(*shape)],
             lambda m, x: (m.cumsum(x, axis=1), m.cumsum(x, axis=0, reverse=True)), exact,
             lambda x: (np.cumsum(x, axis=1), np.cumsum(x[::-1], axis=0)[::-1]))

    # --- sort, argsort, topk (rows past one workgroup's 1024 threads included)
    for shape, tag in (((8, 250), ""), ((64, 1000), "_64x1000")):
        case(f"sort_rows{tag}", "sort", [F(*shape)],
             lambda m, x: (m.sort(x, axis=-1), m.sort(x, axis=0)), exact,
             lambda x: (np.sort(x, axis=-1), np.sort(x, axis=0)))
        case(f"argsort{tag}", "sort", [F(*shape)],
             lambda m, x: (m.argsort(x, axis=-1), m.argsort(x, axis=0)), exact,
             lambda x: (np.argsort(x, axis=-1), np.argsort(x, axis=0)))
    for n, tag in ((1000, ""), (5000, "_5000")):
        case(f"sort_flat_int{tag}", "sort", [I(n)], lambda m, x: m.sort(x), exact,
             lambda x: np.sort(x))
    for shape, tag in (((16, 127), ""), ((50, 999), "_50x999")):
        case(f"topk{tag}", "sort", [F(*shape)],
             lambda m, x: m.sort(m.topk(x, 7, axis=-1), axis=-1), exact,
             lambda x: np.sort(x, axis=-1)[:, -7:])

    # --- matmul
    def mm(shape_a, shape_b, tag, fa=lambda x: x, fb=lambda x: x, mfa=None, mfb=None):
        mfa = mfa or (lambda m, x: x)
        mfb = mfb or (lambda m, x: x)
        k = (fa(fill("f32", 0, shape_a))).shape[-1]
        case(f"matmul_{tag}", "matmul", [F(*shape_a), F(*shape_b)],
             lambda m, x, y: mfa(m, x) @ mfb(m, y),
             acc(lambda x, y: np.abs(fa(x)) @ np.abs(fb(y)), k),
             lambda x, y: fa(x.astype(np.float64)) @ fb(y.astype(np.float64)))
    mm((33, 65), (65, 17), "33x65x17")
    mm((4, 100, 70), (4, 70, 50), "batched_4x100x70x50")
    mm((65, 33), (65, 17), "transposed_a", fa=lambda x: np.swapaxes(x, -1, -2),
       mfa=lambda m, x: m.transpose(x))
    mm((33, 65), (17, 65), "transposed_b", fb=lambda x: np.swapaxes(x, -1, -2),
       mfb=lambda m, x: m.transpose(x))
    mm((301,), (301, 129), "vec_mat")
    mm((129, 301), (301,), "mat_vec")
    mm((257, 300), (300, 255), "257x300x255")
    mm((3, 40, 50), (50, 30), "broadcast_b")

    # --- shape ops
    case("shape_transpose_reshape", "shape", [F(6, 35, 11)],
         lambda m, x: (m.transpose(x, (2, 0, 1)) * 1.0, m.reshape(m.transpose(x), (77, 30)) + 0.0,
                       m.swapaxes(x, 0, 1) - 1.0), exact,
         lambda x: (x.transpose(2, 0, 1), x.T.reshape(77, 30), x.swapaxes(0, 1) - 1))
    case("shape_slices_steps", "shape", [F(100, 77)],
         lambda m, x: (x[3:90:4, ::3] * 2.0, x[::-2, 5:-5] + 1.0, x[-1, ::7] * 1.0), exact,
         lambda x: (x[3:90:4, ::3] * 2, x[::-2, 5:-5] + 1, x[-1, ::7]))
    case("shape_concat_stack_pad", "shape", [F(30, 17), F(30, 5), F(30, 17)],
         lambda m, a, b, c: (m.concatenate([a, b, c], axis=1), m.stack([a, c], axis=1),
                             m.pad(a, ((2, 3), (0, 4))),
                             m.pad(b, ((1, 1), (2, 0)), constant_values=1.5)),
         exact,
         lambda a, b, c: (np.concatenate([a, b, c], 1), np.stack([a, c], 1),
                          np.pad(a, ((2, 3), (0, 4))),
                          np.pad(b, ((1, 1), (2, 0)), constant_values=1.5)))
    case("shape_tile_repeat_expand", "shape", [F(7, 13)],
         lambda m, x: (m.tile(x, (2, 3)), m.repeat(x, 3, axis=0),
                       m.squeeze(m.expand_dims(x, 1) * 2.0, 1)), exact,
         lambda x: (np.tile(x, (2, 3)), np.repeat(x, 3, axis=0), x * 2))

    # --- gather / take / scatter (indices in range from the i32 fill)
    case("gather_take", "gather", [F(1000, 33), I(500)],
         lambda m, x, i: (m.take(x, m.remainder(i, 1000), axis=0),
                          m.take(x, m.abs(i) % 33, axis=1),
                          m.take(x, m.remainder(i * 37, 33000))), exact,
         lambda x, i: (np.take(x, i % 1000, axis=0), np.take(x, np.abs(i) % 33, axis=1),
                       np.take(x, (i * 37) % 33000)))
    case("gather_take_along_axis", "gather", [F(200, 77), I(200, 9)],
         lambda m, x, i: m.take_along_axis(x, m.remainder(i, 77), axis=1), exact,
         lambda x, i: np.take_along_axis(x, i % 77, axis=1))
    case("gather_index_rows", "gather", [F(300, 40), I(100)],
         lambda m, x, i: x[m.remainder(i, 300)] * 1.0, exact, lambda x, i: x[i % 300])
    case("scatter_at_add", "gather", [F(100, 8), I(1000), F(1000, 8)],
         lambda m, x, i, u: x.at[m.remainder(i, 100)].add(u),
         acc(lambda x, i, u: np.abs(x) + _np_scatter_add(np.abs(u), i.astype(np.int64) % 100, 100),
             20),
         lambda x, i, u: x + _np_scatter_add(u, i.astype(np.int64) % 100, 100))
    case("scatter_at_set_max", "gather", [F(1000), I(300), F(300)],
         lambda m, x, i, u: (x.at[m.remainder(i * 3, 1000)].multiply(2.0),
                             x.at[m.remainder(i, 1000)].maximum(u)), exact)

    # --- casts
    case("cast_f16_bf16", "cast", [F(4099)],
         lambda m, x: ((x * 1000.0).astype(m.float16).astype(m.float32),
                       (x * 1000.0).astype(m.bfloat16).astype(m.float32),
                       (x.astype(m.float16) * 3.0).astype(m.float32)), exact)
    case("cast_int_float", "cast", [F(4099), I(4099)],
         lambda m, x, i: ((x * 300.0).astype(m.int32), i.astype(m.float32) * 0.5,
                          i.astype(m.float16).astype(m.int32), (x > 0).astype(m.int32) + i,
                          i.astype(m.uint32).astype(m.int32)), exact,
         lambda x, i: ((x * np.float32(300)).astype(np.int32), i * np.float32(0.5), i,
                       (x > 0) + i, i))

    # --- random bits from a key derived from an input (fixed by the fill)
    def rand_bits(m, k):
        key = m.abs(k[:2]).astype(m.uint32)
        b = m.random.bits((3001,), key=key)
        return m.right_shift(b, 1).astype(m.int32), m.random.uniform(shape=(64, 33), key=key)
    case("random_bits_uniform", "random", [I(2)], rand_bits, exact,
         lambda k: (_np_random_bits(k, 3001), None))

    # --- gradients, vmap
    def mlp_grad(m, x, y, w1, b1, w2):
        def loss(w1, b1, w2):
            h = m.tanh(x @ w1 + b1)
            return m.mean(m.square(h @ w2 - y))
        return m.grad(loss, argnums=(0, 1, 2))(w1, b1, w2)
    case("grad_mlp", "grad", [F(64, 20), F(64, 3), F(20, 32), F(32), F(32, 3)], mlp_grad,
         ulp(64, 2e-6))

    def value_and_grad(m, x, w):
        f = m.value_and_grad(lambda w: m.sum(m.logsumexp(x @ w, axis=-1)))
        v, g = f(w)
        return v, g
    case("grad_value_and_grad_lse", "grad", [F(40, 30), F(30, 10)], value_and_grad,
         ulp(64, 2e-6))
    case("vmap_dot_in_axes", "grad", [F(16, 50), F(50, 16)],
         lambda m, a, b: m.vmap(lambda u, v: m.sum(u * v), in_axes=(0, 1))(a, b),
         acc(lambda a, b: (np.abs(a) * np.abs(b.T)).sum(-1), 50),
         lambda a, b: (a.astype(np.float64) * b.T).sum(-1))
    case("vmap_matvec_softmax", "grad", [F(8, 30, 20), F(20)],
         lambda m, a, v: m.vmap(lambda w: m.softmax(w @ v))(a), ulp(64, 1e-6))


def _np_softmax(x, axis):
    x = x.astype(np.float64)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _np_lse(x, axis):
    x = x.astype(np.float64)
    mx_ = x.max(axis=axis, keepdims=True)
    return (mx_ + np.log(np.exp(x - mx_).sum(axis=axis, keepdims=True))).squeeze(axis)


def _np_scatter_add(u, idx, n):
    out = np.zeros((n,) + u.shape[1:], np.float64)
    np.add.at(out, idx, u)
    return out


def _np_random_bits(k, n):
    from mxc.core.random import _np_bits

    key = np.abs(k[:2].astype(np.int64)).astype(np.uint32)
    return (_np_bits(key, n) >> np.uint32(1)).astype(np.int32)


_define()


# ---------------------------------------------------------------- writing
def _as_kit_dtype(mx, y):
    """Outputs as mxc-run reads them: f32 or i32."""
    if y.dtype == mx.float32 or y.dtype == mx.int32:
        return y
    if mx.issubdtype(y.dtype, mx.floating):
        return y.astype(mx.float32)
    return y.astype(mx.int32)


def _outputs(mx, fn, xs):
    out = fn(mx, *xs)
    out = list(out) if isinstance(out, (tuple, list)) else [out]
    return [_as_kit_dtype(mx, y) for y in out]


def expected(inputs, fn):
    """The outputs of ``fn`` computed by mxc on the CPU from the kit's fill."""
    import mxc.core as mx

    ins = [fill(dt, i, shape) for i, (dt, shape) in enumerate(inputs)]
    with mx.stream(mx.cpu):
        outs = _outputs(mx, fn, [mx.array(a) for a in ins])
        outs = [np.array(y) for y in outs]
    return ins, outs


def cross_check(name, ins, outs, tols, ref):
    refs = ref(*ins)
    refs = list(refs) if isinstance(refs, (tuple, list)) else [refs]
    for k, (o, r, (atol, rtol)) in enumerate(zip(outs, refs, tols)):
        if r is None:
            continue
        r = np.asarray(r)
        if o.dtype.kind in "iub":
            r = r.astype(np.int64).astype(np.uint32).astype(np.int32) if r.dtype.kind in "iu" else r
        if np.shape(r) != o.shape:
            raise SystemExit(f"{name}: output {k}: NumPy shape {np.shape(r)} != {o.shape}")
        diff = np.abs(o.astype(np.float64) - r.astype(np.float64))
        # The CPU's f32 result and NumPy's (float64 or f32) both sit inside the
        # tolerance band around the true value: allow twice it plus a little.
        allowed = 2 * (np.asarray(atol) + rtol * np.abs(r.astype(np.float64))) + (
            0 if o.dtype.kind in "iub" else 4 * EPS * np.abs(r.astype(np.float64)) + 1e-7)
        if not np.all(diff <= allowed):
            j = int(np.argmax(diff - allowed))
            raise SystemExit(f"{name}: output {k}: CPU and NumPy differ at {j}: "
                             f"{o.reshape(-1)[j]!r} vs {r.reshape(-1)[j]!r}")


def write_sidecar(path, name, inputs, outs, tols, family):
    with open(path, "w") as f:
        f.write(f"# {name} ({family}): written by bench/gpu_suite.py; read by mxc-run\n")
        f.write(f"name {name}\nflops 0\n")
        for i, (dt, shape) in enumerate(inputs):
            f.write(f"input {i} {dt} {int(np.prod(shape))}\n")
        for i, o in enumerate(outs):
            f.write(f"output {i} {'i32' if o.dtype == np.int32 else 'f32'} {o.size}\n")
        for i, (o, (atol, rtol)) in enumerate(zip(outs, tols)):
            v = o.reshape(-1).astype(np.float64)
            at = np.broadcast_to(np.asarray(atol, np.float64), o.shape).reshape(-1)
            if o.dtype == np.int32:
                csum_tol = 0.5  # exact: integers sum exactly in float64
            else:
                csum_tol = float((at + rtol * np.abs(v)).sum()) + 1e-9 * float(
                    np.abs(v).sum()) + 1e-9
            f.write(f"checksum {i} {float(v.sum())!r} {csum_tol!r}\n")
            idx = range(v.size) if v.size <= 64 else sample_indices(v.size, 16)
            for j in idx:
                f.write(f"sample {i} {j} {float(v[j])!r} {float(at[j])!r} {float(rtol)!r}\n")


def save_case(c, outdir, check_numpy=True):
    import mxc.core as mx
    from mxc import _gpu
    from mxc.core import _array
    from mxc.core._array import _program

    name, family, inputs, fn, tol, ref = c
    t0 = time.time()
    ins, outs = expected(inputs, fn)
    for o in outs:
        if not np.all(np.isfinite(o)):
            raise SystemExit(f"{name}: the CPU result is not finite")
    tol_fns = tol if isinstance(tol, list) else [tol] * len(outs)
    tols = [t(ins, o) for t, o in zip(tol_fns, outs)]
    if check_numpy and ref is not None:
        cross_check(name, ins, outs, tols, ref)
    previous = mx.default_device()
    mx.set_default_device(mx.gpu)
    try:
        xs = [mx.array(np.zeros(shape, np.float32 if dt == "f32" else np.int32))
              for dt, shape in inputs]
        # Trace as mx.compile does: ops on the inputs stay in the graph (no eager
        # reshape views of the placeholders), and reading their values raises.
        _array.tracing += 1
        _array.compile_trace_inputs.append(set(map(id, xs)))
        try:
            ys = _outputs(mx, fn, xs)
        finally:
            _array.compile_trace_inputs.pop()
            _array.tracing -= 1
        program, leaves = _program(ys)
        program, leaves = freeze_scalars(program, leaves, xs)
    finally:
        mx.set_default_device(previous)
    if len(leaves) != len(xs):
        raise SystemExit(f"{name}: an input is unused; the kit needs every input")
    exe = _gpu.compile_gpu(program, load=False)
    if exe.program.num_dispatches < 1:
        raise SystemExit(f"{name}: the program has no dispatch")
    path = os.path.join(outdir, name + ".mxcp")
    exe.save(path)
    write_sidecar(path + ".txt", name, inputs, outs, tols, family)
    print(f"{name}: {len(outs)} output(s), {len(exe.program.kernels)} kernel(s), "
          f"{exe.program.num_dispatches} dispatch(es), {os.path.getsize(path)} bytes, "
          f"{time.time() - t0:.1f}s", flush=True)


def selected(only=None, families=None, include_excluded=False):
    out = []
    for c in CASES:
        if only and c[0] not in only:
            continue
        if families and c[1] not in families:
            continue
        if c[0] in EXCLUDED and not include_excluded and not only:
            continue
        out.append(c)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(HERE, "gpu_suite"))
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--family", nargs="*")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--all", action="store_true", help="also the EXCLUDED cases")
    args = parser.parse_args(argv)
    cases = selected(args.only, args.family, args.all)
    if args.list:
        for c in cases:
            print(c[1], c[0], "(excluded: " + EXCLUDED[c[0]] + ")" if c[0] in EXCLUDED else "")
        return
    os.makedirs(args.out, exist_ok=True)
    for c in cases:
        save_case(c, args.out)
    print(f"{len(cases)} program(s) in {args.out}")


if __name__ == "__main__":
    main()
