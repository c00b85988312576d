"""The GPU correctness kit (bench/gpu_suite.py): saved programs with sidecars that
stand in for the test suite on a machine with a GPU but no mxc Python. A few of its
programs are written here and replayed by ``mxc-run`` on the local Vulkan device
(lavapipe in CI), which checks them against the CPU's results; a wrong expectation
must fail."""

import os
import subprocess
import sys

import pytest

import mxc.core as mx
from mxc import _gpu

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "bench"))

import gpu_suite  # noqa: E402


def _mxc_run():
    from mxc._tools import binary

    try:
        return binary("mxc-run")
    except FileNotFoundError:
        import glob

        found = sorted(glob.glob(os.path.join(ROOT, "build", "*", "mxc-run")))
        return found[0] if found else None


MXC_RUN = _mxc_run()
pytestmark = [
    pytest.mark.skipif(not mx.is_available(mx.gpu),
                       reason=f"no Vulkan device: {_gpu.unavailable_reason()}"),
    pytest.mark.skipif(MXC_RUN is None, reason="mxc-run is not built"),
]

# One or two cases of each family, the quick ones.
SOME = ["unary_sin_cos_tan", "binary_compare_where", "int_div_rem", "bcast_ranks",
        "reduce_sum_mean_3x5x7000_ax1", "reduce_minmax_arg_3x5x7000_ax2", "layer_norm",
        "scan_cumsum_ax2", "sort_rows", "matmul_33x65x17", "shape_concat_stack_pad",
        "gather_take", "scatter_at_add", "cast_f16_bf16", "random_bits_uniform", "grad_mlp"]


def _run(path):
    r = subprocess.run([MXC_RUN, str(path), "--repeat", "1", "--warmup", "0"],
                       capture_output=True, text=True, timeout=120)
    return r.returncode, r.stdout + r.stderr


def test_case_names_are_unique_and_exclusions_exist():
    names = [c[0] for c in gpu_suite.CASES]
    assert len(names) == len(set(names))
    assert set(gpu_suite.EXCLUDED) <= set(names)
    assert set(SOME) <= {c[0] for c in gpu_suite.selected()}
    assert {c[1] for c in gpu_suite.selected()} >= {
        "unary", "binary", "int", "broadcast", "reduce", "norm", "scan", "sort", "matmul",
        "shape", "gather", "cast", "random", "grad"}


def test_suite_programs_pass_on_this_device(tmp_path):
    gpu_suite.main(["--out", str(tmp_path), "--only", *SOME])
    failed = {}
    for name in SOME:
        rc, out = _run(tmp_path / f"{name}.mxcp")
        if rc != 0 or "check: PASS" not in out:
            failed[name] = out[-1500:]
    assert not failed, failed


def test_a_wrong_expectation_fails(tmp_path):
    gpu_suite.main(["--out", str(tmp_path), "--only", "int_div_rem"])
    path = tmp_path / "int_div_rem.mxcp"
    side = (tmp_path / "int_div_rem.mxcp.txt").read_text().splitlines()
    k = next(i for i, line in enumerate(side) if line.startswith("sample 1 "))
    _, out, index, value, atol, rtol = side[k].split()
    side[k] = " ".join(["sample", out, index, repr(float(value) + 1), atol, rtol])
    (tmp_path / "int_div_rem.mxcp.txt").write_text("\n".join(side) + "\n")
    rc, text = _run(path)
    assert rc == 1 and "check: FAIL" in text and f"[{index}]" in text, text
