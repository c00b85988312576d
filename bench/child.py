"""Measurements that need a fresh process; run.py starts one per measurement.

    python bench/child.py first-call FRAMEWORK
    python bench/child.py mem-mlp FRAMEWORK STEPS
    python bench/child.py mem-load FRAMEWORK lazy|eager PATH

Each prints one JSON object as its last line of stdout. Peak memory is the
process's peak resident set (``VmHWM``; see ``maxrss_mb``), read before the measured
part (``base_mb``: interpreter, framework and inputs) and after it (``peak_mb``).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def maxrss_mb():
    """The peak resident set of this process, in MiB.

    Linux's ``ru_maxrss`` survives fork + exec: a child of a big parent starts with
    the parent's peak (the copied address space is resident until exec replaces it),
    so it would report the benchmark driver's memory. ``VmHWM`` belongs to the
    address space that exec made, so it is the child's own peak; ``ru_maxrss`` is
    the fallback elsewhere."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def warm_up(fw):
    """Starts the backend (for mxc: the MLIR context and the JIT) with a tiny
    unrelated computation, so its one-time memory is in ``base_mb``."""
    import numpy as np

    fw.block(fw.array(np.ones((4,), np.float32)) * 2)


def first_call(fw_name):
    """Import, backend start-up, then the first MLP value_and_grad (trace + compile +
    run) and the second (cached), each timed on its own."""
    import numpy as np

    t = time.perf_counter()
    import frameworks
    import workloads

    fw = frameworks.load(fw_name)
    import_s = time.perf_counter() - t
    # Start the backend with an unrelated tiny computation, so first_call_s is the
    # MLP's own trace + compile (+ run), not the framework's one-time start-up.
    t = time.perf_counter()
    fw.block(fw.array(np.float32(1)) + 1)
    init_s = time.perf_counter() - t
    inp = fw.inputs(workloads.mlp_inputs(np.random.default_rng(0)))
    t = time.perf_counter()
    run = workloads.mlp_build(fw, inp)
    first = run()
    first_s = time.perf_counter() - t
    t = time.perf_counter()
    run()
    second_s = time.perf_counter() - t
    ref = workloads.mlp_reference(workloads.mlp_inputs(np.random.default_rng(0)))
    ok = all(np.allclose(a, b, rtol=1e-3, atol=1e-5) for a, b in zip(
        frameworks.flatten(fw.to_numpy(first)), frameworks.flatten(ref)))
    return {"import_s": import_s, "init_s": init_s, "first_call_s": first_s,
            "second_call_s": second_s, "matches_numpy": bool(ok)}


def mem_mlp(fw_name, steps):
    """Peak RSS over ``steps`` training steps: value_and_grad + an SGD update."""
    import numpy as np

    import frameworks
    import workloads

    fw = frameworks.load(fw_name)
    inp = fw.inputs(workloads.mlp_inputs(np.random.default_rng(0)))
    p, x, y = inp["params"], inp["x"], inp["y"]
    if fw_name == "numpy":
        step = workloads.mlp_value_and_grad_numpy
    else:
        ns = fw.ns
        step = fw.jit(ns.value_and_grad(lambda p, x, y: workloads.mlp_loss(ns, p, x, y)))
    warm_up(fw)
    base = maxrss_mb()
    first = None
    for _ in range(steps):
        loss, g = step(p, x, y)
        p = {k: p[k] - 0.1 * g[k] for k in p}
        fw.block((loss, p))
        first = first or maxrss_mb()
    return {"base_mb": base, "after_first_mb": first, "peak_mb": maxrss_mb(),
            "steps": steps, "final_loss": float(np.asarray(loss))}


def mem_load(fw_name, mode, path):
    """Load a float32 safetensors file and cast every weight to float16.

    lazy: cast, then evaluate (the float32 weights need never all exist at once
    where loading is lazy); eager: evaluate at float32 first, then cast."""
    import frameworks

    fw = frameworks.load(fw_name)
    mx = fw.mx
    warm_up(fw)
    base = maxrss_mb()
    t = time.perf_counter()
    weights = mx.load(path)
    if mode == "eager":
        mx.eval(weights)
    after_load = maxrss_mb()
    for k in list(weights):
        weights[k] = weights[k].astype(mx.float16)
    mx.eval(weights)
    secs = time.perf_counter() - t
    nbytes = sum(v.nbytes for v in weights.values())
    assert all(v.dtype == mx.float16 for v in weights.values())
    return {"base_mb": base, "after_load_mb": after_load, "peak_mb": maxrss_mb(),
            "fp16_mb": nbytes / 2**20, "seconds": secs, "tensors": len(weights)}


def mem_init(fw_name, mode, path, layers):
    """The guide's pattern: ``model = Model()`` (float32 initial weights, lazy) then
    ``model.load_weights(<float16 file>)``. lazy: the float32 weights are never
    computed; eager: they are evaluated first, as an eager framework would."""
    import importlib

    import frameworks

    fw = frameworks.load(fw_name)
    mx = fw.mx
    nn = importlib.import_module(mx.__name__.rsplit(".", 1)[0] + ".nn")
    warm_up(fw)
    base = maxrss_mb()
    t = time.perf_counter()
    model = nn.Sequential(*[nn.Linear(1024, 1024) for _ in range(int(layers))])
    if mode == "eager":
        mx.eval(model.parameters())
    after_init = maxrss_mb()
    model.load_weights(path)
    mx.eval(model.parameters())
    secs = time.perf_counter() - t
    assert model.layers[0].weight.dtype == mx.float16
    return {"base_mb": base, "after_init_mb": after_init, "peak_mb": maxrss_mb(),
            "seconds": secs}


def main(argv):
    task = argv[0]
    if task == "first-call":
        out = first_call(argv[1])
    elif task == "mem-mlp":
        out = mem_mlp(argv[1], int(argv[2]))
    elif task == "mem-load":
        out = mem_load(argv[1], argv[2], argv[3])
    elif task == "mem-init":
        out = mem_init(argv[1], argv[2], argv[3], argv[4])
    else:
        raise SystemExit(f"unknown task {task!r}")
    # For the record: inflated by the parent's peak on Linux (see maxrss_mb).
    out["ru_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
