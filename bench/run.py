"""mxc against JAX (jit), NumPy and MLX (CPU), in one process.

    python bench/run.py                 # everything (~5 minutes on 2 cores)
    python bench/run.py --quick         # shorter budgets, slow calls skipped sooner
    python bench/run.py --only matmul --only softmax
    python bench/run.py --list          # the workload and section names

Prints a table of median milliseconds per call and the speedup of mxc against each
peer (peer time / mxc time: above 1 means mxc is faster), then the first-call times
and peak memory measured in fresh subprocesses; writes everything to
bench/results/latest.json. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def _cpus():
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)


def _limit_threads(argv):
    """``--threads N`` (default: every CPU this process may use): thread pools are
    sized when a library loads, so the limits go into the environment before NumPy,
    JAX, MLX or mxc is imported (and so reach the subprocesses too). 0 leaves every
    framework at its default."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--threads", type=int, default=_cpus())
    n = early.parse_known_args(argv)[0].threads
    if n > 0:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                    "MXC_NUM_THREADS"):
            os.environ[var] = str(n)
        # And the process (so every child) runs on n CPUs: XLA's CPU client runs
        # dots on a pool of its own whatever XLA_FLAGS say (a 2048 matmul kept 3
        # threads busy with the flags below), so only affinity makes rows comparable.
        if hasattr(os, "sched_setaffinity"):
            cpus = sorted(os.sched_getaffinity(0))
            os.sched_setaffinity(0, cpus[:n])
        if n == 1:
            flags = os.environ.get("XLA_FLAGS", "")
            if "multi_thread_eigen" not in flags:
                os.environ["XLA_FLAGS"] = (flags + " --xla_cpu_multi_thread_eigen=false "
                                           "intra_op_parallelism_threads=1").strip()
    return n


THREADS = _limit_threads(sys.argv[1:]) if __name__ == "__main__" else 0

import numpy as np  # noqa: E402

import frameworks  # noqa: E402
from frameworks import ORDER, flatten  # noqa: E402
from workloads import all_workloads  # noqa: E402

#: The sections measured in subprocesses (selectable with --only like workloads).
SECTIONS = ("mlp_first_call", "mem_mlp", "mem_load")
PEERS = [f for f in ORDER if f != "mxc"]


def log(*args):
    print(*args, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------- timing


class Runner:
    """One framework's ``run`` on one workload, sampled by ``sample()``."""

    def __init__(self, fw, run):
        self.fw = fw
        self.run = run
        self.inner = 1
        self.samples = []  # seconds per call, one entry per sample
        self.spent = 0.0

    def sample(self):
        run, n = self.run, self.inner
        t = time.perf_counter()
        for _ in range(n):
            run()
        dt = time.perf_counter() - t
        self.spent += dt
        self.samples.append(dt / n)


def compare(got, ref, rtol, atol):
    """None when ``got`` matches the reference, else what differs."""
    g, r = flatten(got), flatten(ref)
    if len(g) != len(r):
        return f"{len(g)} outputs, expected {len(r)}"
    for k, (a, b) in enumerate(zip(g, r)):
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape:
            return f"output {k}: shape {a.shape}, expected {b.shape}"
        a64 = a.astype(np.float64)
        if not np.allclose(a64, b, rtol=rtol, atol=atol):
            with np.errstate(invalid="ignore"):
                err = np.nanmax(np.abs(a64 - b)) if a.size else 0.0
            nans = int(np.isnan(a64).sum())
            return (f"output {k}: max abs err {err:.3g} vs rtol {rtol:g}/atol {atol:g}"
                    + (f", {nans} NaN" if nans else ""))
    return None


def short(e: BaseException, n=300):
    text = f"{type(e).__name__}: {e}".replace("\n", " ")
    return text if len(text) <= n else text[:n] + "..."


def bench_workload(wl, fws, cfg, results):
    """Verifies and times ``wl`` on every framework in ``fws``; returns a dict per fw."""
    out = {}
    rng = np.random.default_rng(0)
    np_inputs = wl.make_inputs(rng)
    ref = wl.reference(np_inputs)
    runners = []
    for name in ORDER:
        if name not in fws:
            continue
        if name not in wl.frameworks:
            out[name] = {"status": "n/a", "note": "no such operation in this framework"}
            continue
        fw = fws[name]
        if isinstance(fw, str):  # failed to import
            out[name] = {"status": "error", "note": fw}
            continue
        if wl.scale_from:
            base, factor = wl.scale_from
            prev = results.get(base, {}).get(name, {})
            t_prev = (prev.get("median_s") or prev.get("estimate_s")
                      or prev.get("first_call_s"))
            if prev.get("status") == "skipped" and "estimate_s" not in prev:
                t_prev = float("inf")
            if t_prev is not None and t_prev * factor > cfg.max_call_s:
                out[name] = {"status": "skipped", "estimate_s": t_prev * factor,
                             "note": f"predicted {t_prev * factor:.1f} s/call from {base} "
                                     f"(x{factor:g}) > --max-call-s {cfg.max_call_s:g}"}
                log(f"  {name:6s} skipped ({out[name]['note']})")
                continue
        try:
            inp = fw.inputs(np_inputs)
            run = wl.build(fw, inp)
            t = time.perf_counter()
            got = run()  # first call: trace + compile (+ run)
            first = time.perf_counter() - t
            bad = compare(fw.to_numpy(got), ref, wl.rtol, wl.atol)
            del got
            if bad:
                out[name] = {"status": "mismatch", "first_call_s": first, "note": bad}
                log(f"  {name:6s} MISMATCH: {bad}")
                continue
            run()  # the second call (mxc starts its optimizing compile here)
            fw.settle()
            t = time.perf_counter()
            run()
            one = time.perf_counter() - t
        except Exception as e:  # noqa: BLE001 (a framework's failure is a result)
            out[name] = {"status": "error", "note": short(e)}
            log(f"  {name:6s} ERROR: {short(e, 2000)}")
            if cfg.verbose:
                traceback.print_exc()
            continue
        if one > cfg.max_call_s:
            out[name] = {"status": "skipped", "first_call_s": first, "estimate_s": one,
                         "note": f"one call took {one:.1f} s > --max-call-s "
                                 f"{cfg.max_call_s:g}; not sampled"}
            log(f"  {name:6s} skipped ({out[name]['note']})")
            continue
        r = Runner(name, run)
        r.inner = max(1, round(cfg.target_sample_s / max(one, 1e-9)))
        if r.inner == 1:
            r.samples.append(one)
            r.spent += one
        r.first = first
        runners.append(r)
    # Samples interleave round-robin over frameworks, so background load on the shared
    # cores falls on every framework alike.
    gc.collect()
    gc.disable()
    try:
        while True:
            todo = [r for r in runners
                    if len(r.samples) < cfg.min_samples
                    or (r.spent < cfg.budget_s and len(r.samples) < cfg.max_samples)]
            if not todo:
                break
            for r in todo:
                try:
                    r.sample()
                except Exception as e:  # noqa: BLE001
                    out[r.fw] = {"status": "error", "note": "while timing: " + short(e)}
                    runners.remove(r)
    finally:
        gc.enable()
    for r in runners:
        if r.fw in out:
            continue
        s = sorted(r.samples)
        q = statistics.quantiles(s, n=4) if len(s) >= 2 else [s[0], s[0], s[0]]
        out[r.fw] = {"status": "ok", "median_s": statistics.median(s), "min_s": s[0],
                     "q1_s": q[0], "q3_s": q[2], "samples": len(s), "inner": r.inner,
                     "first_call_s": r.first}
        log(f"  {r.fw:6s} {out[r.fw]['median_s'] * 1e3:10.3f} ms  "
            f"({len(s)} samples x {r.inner}, first call {r.first * 1e3:.1f} ms)")
    for fw_name, note in wl.notes.items():
        if fw_name in out and out[fw_name].get("status") == "ok":
            out[fw_name]["remark"] = note
    return out


# ------------------------------------------------------------------------ subprocesses


def child(args, timeout, env=None):
    cmd = [sys.executable, os.path.join(HERE, "child.py"), *map(str, args)]
    t = time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                           env=None if env is None else {**os.environ, **env})
    except subprocess.TimeoutExpired:
        return {"status": "error", "note": f"timed out after {timeout} s"}
    wall = time.perf_counter() - t
    lines = p.stdout.strip().splitlines()
    if p.returncode != 0 or not lines:
        err = (p.stderr.strip().splitlines() or ["(no output)"])[-1]
        return {"status": "error", "note": f"exit {p.returncode}: {err[:300]}"}
    try:
        res = json.loads(lines[-1])
    except json.JSONDecodeError:
        return {"status": "error", "note": f"bad output: {lines[-1][:200]}"}
    res["status"] = "ok"
    res["process_wall_s"] = wall
    return res


def run_first_call(fws, cfg):
    """mxc twice on an empty on-disk cache of its own: 'mxc (cold)' compiles, then
    'mxc (warm)' is a new process that finds the programs the first one stored."""
    import tempfile

    out = {}
    with tempfile.TemporaryDirectory(prefix="mxc-bench-cache-") as cache:
        for name in ("mxc", "jax", "mlx"):
            if name in fws and not isinstance(fws[name], str):
                runs = [("mxc (cold)", {"MXC_CACHE_DIR": cache}),
                        ("mxc (warm)", {"MXC_CACHE_DIR": cache})] if name == "mxc" else \
                    [(name, None)]
                for label, env in runs:
                    log(f"  first call, {label} (fresh process)")
                    out[label] = child(["first-call", name], cfg.child_timeout, env)
                    log(f"    {out[label]}")
    return out


def run_mem_mlp(fws, cfg):
    out = {}
    for name in ORDER:
        if name in fws and not isinstance(fws[name], str):
            log(f"  MLP training-step memory, {name} (fresh process)")
            out[name] = child(["mem-mlp", name, cfg.mem_steps], cfg.child_timeout)
            log(f"    {out[name]}")
    return out


def run_mem_load(fws, cfg):
    out = {"file_mb": None}
    if isinstance(fws.get("mxc"), str) or "mxc" not in fws:
        out["error"] = "mxc is not available to write the weights file"
        return out
    mx = fws["mxc"].mx
    tmp = tempfile.mkdtemp(prefix="mxc-bench-")
    path = os.path.join(tmp, "weights.safetensors")
    try:
        rng = np.random.default_rng(0)
        n = cfg.load_mb // 4  # tensors of 1024x1024 float32 (4 MiB each)
        weights = {f"layer{i}.weight": mx.array(
            rng.standard_normal((1024, 1024), dtype=np.float32)) for i in range(n)}
        mx.save_safetensors(path, weights)
        del weights
        gc.collect()
        out["file_mb"] = os.path.getsize(path) / 2**20
        for name in ("mxc", "mlx"):
            if name not in fws or isinstance(fws[name], str):
                continue
            for mode in ("lazy", "eager"):
                log(f"  load + cast to float16, {name} {mode} (fresh process)")
                out[f"{name}_{mode}"] = child(["mem-load", name, mode, path],
                                              cfg.child_timeout)
                log(f"    {out[f'{name}_{mode}']}")
        # The guide's pattern: Model() (lazy float32 init), then load_weights(fp16).
        os.remove(path)
        path16 = os.path.join(tmp, "model_fp16.safetensors")
        layers = max(1, cfg.load_mb // 4)
        mx.save_safetensors(path16, {
            **{f"layers.{i}.weight": mx.array(rng.standard_normal(
                (1024, 1024), dtype=np.float32)).astype(mx.float16) for i in range(layers)},
            **{f"layers.{i}.bias": mx.zeros((1024,), mx.float16) for i in range(layers)}})
        out["init_file_mb"] = os.path.getsize(path16) / 2**20
        for name in ("mxc", "mlx"):
            if name not in fws or isinstance(fws[name], str):
                continue
            for mode in ("lazy", "eager"):
                log(f"  Model() + load_weights(fp16), {name} {mode} (fresh process)")
                out[f"init_{name}_{mode}"] = child(["mem-init", name, mode, path16, layers],
                                                   cfg.child_timeout)
                log(f"    {out[f'init_{name}_{mode}']}")
        os.remove(path16)
    except Exception as e:  # noqa: BLE001
        out["error"] = short(e)
        log("  mem_load ERROR:", short(e, 2000))
    finally:
        if os.path.exists(path):
            os.remove(path)
        os.rmdir(tmp)
    return out


# ---------------------------------------------------------------------------- output


def cell_ms(r):
    if r is None:
        return ""
    st = r["status"]
    if st == "ok":
        ms = r["median_s"] * 1e3
        return f"{ms:.4f}" if ms < 0.1 else f"{ms:.3f}" if ms < 10 else f"{ms:.1f}"
    return {"n/a": "-", "error": "ERROR", "mismatch": "MISMATCH", "skipped": "skip"}[st]


def speedup(res, peer):
    a, b = res.get("mxc"), res.get(peer)
    if a and b and a["status"] == "ok" and b["status"] == "ok":
        return b["median_s"] / a["median_s"]
    return None


def table(rows, header, aligns):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]

    def fmt(row):
        return "  ".join(str(c).rjust(w) if a == "r" else str(c).ljust(w)
                         for c, w, a in zip(row, widths, aligns))

    lines = [fmt(header), fmt(["-" * w for w in widths])]
    lines += [fmt(r) for r in rows]
    return "\n".join(lines)


def report(doc, fw_names):
    lines = []
    meta = doc["meta"]
    lines.append(f"mxc benchmarks  {meta['date']}  {meta['machine']}  "
                 f"{meta['cpus']} CPUs  threads: {meta['threads']}  "
                 f"{'QUICK ' if meta['quick'] else ''}"
                 f"({meta['wall_s']:.0f} s)")
    lines.append("versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()))
    if meta.get("openblas_env"):
        lines.append(f"WARNING: {meta['openblas_env']} set: NumPy's BLAS runs a slower "
                     "kernel (run with them unset: `make bench` does)")
    peers = [p for p in PEERS if p in fw_names]
    wl = doc["workloads"]
    if wl:
        lines.append("")
        lines.append("Median ms per call (lower is better); speedup = peer / mxc "
                     "(> 1: mxc faster); mxc 1st = mxc's first call (trace + compile + run)")
        header = (["workload"] + [f"{f} ms" for f in fw_names] + [f"{p}/mxc" for p in peers]
                  + (["mxc 1st ms"] if "mxc" in fw_names else []))
        rows, notes = [], []
        for name, entry in wl.items():
            res = entry["results"]
            row = [name] + [cell_ms(res.get(f)) for f in fw_names]
            for p in peers:
                s = speedup(res, p)
                row.append(f"{s:.2f}x" if s is not None else "")
            if "mxc" in fw_names:
                first = (res.get("mxc") or {}).get("first_call_s")
                row.append(f"{first * 1e3:.0f}" if first is not None else "")
            rows.append(row)
            for f in fw_names:
                r = res.get(f)
                if r and r["status"] in ("error", "mismatch", "skipped"):
                    notes.append(f"  {name} / {f}: {r['status']}: {r.get('note', '')}")
                elif r and r.get("remark"):
                    notes.append(f"  {name} / {f}: {r['remark']}")
        lines.append(table(rows, header, "l" + "r" * (len(header) - 1)))
        if notes:
            lines.append("notes:")
            lines += notes
    fc = doc.get("first_call")
    if fc:
        lines.append("")
        lines.append("MLP value_and_grad, fresh process: first call = trace + compile + "
                     "run (after a tiny warm-up op started the backend); mxc (warm): a "
                     "second process, with the programs in the on-disk cache")
        rows = []
        for f, r in fc.items():
            if r["status"] != "ok":
                rows.append([f, "ERROR", "", "", "", r.get("note", "")])
                continue
            rows.append([f, f"{r['import_s'] * 1e3:.0f}", f"{r['init_s'] * 1e3:.0f}",
                         f"{r['first_call_s'] * 1e3:.1f}", f"{r['second_call_s'] * 1e3:.2f}",
                         "ok" if r["matches_numpy"] else "MISMATCH"])
        lines.append(table(rows, ["framework", "import ms", "init ms", "first call ms",
                                  "2nd call ms", "result"], "lrrrrl"))
    mm = doc.get("mem_mlp")
    if mm:
        lines.append("")
        lines.append("Peak RSS of MLP training steps (value_and_grad + SGD update), fresh "
                     "process; 'before' is after import + a tiny warm-up op + inputs")
        rows = []
        for f, r in mm.items():
            if r["status"] != "ok":
                rows.append([f, "ERROR", "", "", "", r.get("note", "")])
                continue
            rows.append([f, f"{r['base_mb']:.0f}", f"{r['after_first_mb']:.0f}",
                         f"{r['peak_mb']:.0f}", f"{r['peak_mb'] - r['base_mb']:.0f}",
                         f"{r['steps']} steps"])
        lines.append(table(rows, ["framework", "before MB", "after 1st step MB", "peak MB",
                                  "steps +MB", ""], "lrrrrl"))
    ml = doc.get("mem_load")
    if ml:
        lines.append("")
        lines.append(f"Peak RSS loading {ml.get('file_mb') or 0:.0f} MB of float32 "
                     "safetensors and casting to float16, fresh process "
                     "(lazy: cast then eval; eager: eval at float32, then cast)")
        if ml.get("error"):
            lines.append(f"  ERROR: {ml['error']}")
        rows = []
        for key, r in ml.items():
            if not isinstance(r, dict) or key.startswith("init_"):
                continue
            if r["status"] != "ok":
                rows.append([key, "ERROR", "", "", "", "", r.get("note", "")])
                continue
            rows.append([key, f"{r['base_mb']:.0f}", f"{r['after_load_mb']:.0f}",
                         f"{r['peak_mb']:.0f}", f"{r['peak_mb'] - r['base_mb']:.0f}",
                         f"{r['seconds'] * 1e3:.0f}", ""])
        lines.append(table(rows, ["run", "before MB", "after load MB", "peak MB",
                                  "load +MB", "ms", ""], "lrrrrrl"))
        init = {k[5:]: r for k, r in ml.items() if k.startswith("init_") and
                isinstance(r, dict)}
        if init:
            lines.append("")
            lines.append(f"The guide's pattern: model = Model() (float32 weights, lazy), then "
                         f"model.load_weights() of {ml.get('init_file_mb') or 0:.0f} MB of "
                         "float16; eager: the float32 weights evaluated first")
            rows = []
            for key, r in init.items():
                if r["status"] != "ok":
                    rows.append([key, "ERROR", "", "", "", r.get("note", "")])
                    continue
                rows.append([key, f"{r['base_mb']:.0f}", f"{r['peak_mb']:.0f}",
                             f"{r['peak_mb'] - r['base_mb']:.0f}",
                             f"{r['seconds'] * 1e3:.0f}", ""])
            lines.append(table(rows, ["run", "before MB", "peak MB", "+MB", "ms", ""],
                               "lrrrrl"))
    return "\n".join(lines)


# ------------------------------------------------------------------------------ main


def select(names, only):
    if not only:
        return list(names)
    wanted = [w for o in only for w in o.split(",") if w]
    picked = [n for n in names if any(n == w or n.startswith(w) for w in wanted)]
    return picked


def environment(fws):
    versions = {"python": platform.python_version()}
    for name in ORDER:
        fw = fws.get(name)
        if fw is not None:
            versions[name] = fw if isinstance(fw, str) else fw.version
    meta = {"date": datetime.datetime.now().isoformat(timespec="seconds"),
            "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
            "cpus": os.cpu_count(), "versions": versions,
            "affinity": sorted(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity") else None}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    meta["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    meta["thread_env"] = {v: os.environ[v] for v in (
        "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "XLA_FLAGS")
        if v in os.environ}
    env = [v for v in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if os.environ.get(v)]
    if env:
        meta["openblas_env"] = ", ".join(f"{v}={os.environ[v]}" for v in env)
    try:
        import threadpoolctl

        meta["threadpools"] = [{k: i.get(k) for k in ("internal_api", "num_threads",
                                                      "architecture", "version")}
                               for i in threadpoolctl.threadpool_info()]
    except Exception:  # noqa: BLE001
        pass
    return meta


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="shorter budgets (about a minute)")
    ap.add_argument("--only", action="append", default=[], metavar="NAME",
                    help="workloads/sections to run: a name or prefix, comma-separated, "
                         "repeatable (see --list)")
    ap.add_argument("--frameworks", default=",".join(ORDER),
                    help=f"comma-separated subset of {','.join(ORDER)}")
    ap.add_argument("--max-call-s", type=float, default=None,
                    help="skip a framework on a workload whose one call takes longer "
                         "(default 8, quick 1.5)")
    ap.add_argument("--threads", type=int, default=_cpus(),
                    help="threads per framework (mxc's and NumPy's BLAS, XLA, MLX), and "
                         "the CPUs the process runs on; default: all CPUs it may use; "
                         "0: each framework's default")
    ap.add_argument("--json", default=os.path.join(HERE, "results", "latest.json"),
                    help="where to write the results (default bench/results/latest.json)")
    ap.add_argument("--list", action="store_true", help="list workloads and sections")
    ap.add_argument("-v", "--verbose", action="store_true", help="tracebacks of errors")
    cfg = ap.parse_args(argv)
    wls = all_workloads()
    if cfg.list:
        for w in wls:
            print(f"{w.name:20s} {w.desc}")
        print(f"{'mlp_first_call':20s} first MLP value_and_grad call in a fresh process "
              "(mxc, jax, mlx)")
        print(f"{'mem_mlp':20s} peak RSS of MLP training steps in a fresh process")
        print(f"{'mem_load':20s} peak RSS of loading float32 safetensors as float16, "
              "lazy vs eager (mxc, mlx)")
        return 0
    q = cfg.quick
    cfg.target_sample_s = 0.01 if q else 0.025  # one sample runs at least this long
    cfg.budget_s = 0.25 if q else 1.0  # per framework and workload, beyond min_samples
    cfg.min_samples = 5
    cfg.max_samples = 11 if q else 41
    cfg.max_call_s = cfg.max_call_s or (1.5 if q else 8.0)
    cfg.mem_steps = 5 if q else 20
    cfg.load_mb = 64 if q else 200
    cfg.child_timeout = 300

    names = [w.name for w in wls] + list(SECTIONS)
    chosen = select(names, cfg.only)
    if not chosen:
        ap.error(f"--only matched nothing; names: {', '.join(names)}")
    want = [f for f in cfg.frameworks.split(",") if f]
    for f in want:
        if f not in ORDER:
            ap.error(f"unknown framework {f!r}")
    fw_names = [f for f in ORDER if f in want]

    # mxc's on-disk program cache starts empty, so 'mxc 1st ms' is a real compile
    # (subprocess sections set their own).
    import tempfile

    import atexit
    import shutil

    os.environ["MXC_CACHE_DIR"] = tempfile.mkdtemp(prefix="mxc-bench-cache-")
    atexit.register(shutil.rmtree, os.environ["MXC_CACHE_DIR"], True)
    t_start = time.perf_counter()
    fws = {}
    for name in fw_names:
        try:
            fws[name] = frameworks.load(name)
        except Exception as e:  # noqa: BLE001
            fws[name] = "import failed: " + short(e)
            log(f"{name}: {fws[name]}")
    doc = {"meta": environment(fws), "workloads": {}}
    doc["meta"].update(threads=cfg.threads or "framework defaults", quick=q, only=cfg.only, max_call_s=cfg.max_call_s,
                       frameworks=fw_names, budget_s=cfg.budget_s,
                       target_sample_s=cfg.target_sample_s, min_samples=cfg.min_samples)
    if doc["meta"].get("openblas_env"):
        log(f"WARNING: {doc['meta']['openblas_env']} is set: NumPy (OpenBLAS) runs a "
            "slower kernel; unset both for NumPy timings (make bench does).")
    results = {}
    for wl in wls:
        if wl.name not in chosen:
            continue
        log(f"{wl.name}: {wl.desc}")
        try:
            res = bench_workload(wl, fws, cfg, results)
        except Exception as e:  # noqa: BLE001 (input or reference failure)
            log(f"  ERROR: {short(e, 2000)}")
            res = {f: {"status": "error", "note": short(e)} for f in fw_names}
        results[wl.name] = res
        entry = {"desc": wl.desc, "results": res,
                 "speedup_vs": {p: speedup(res, p) for p in PEERS if p in fw_names}}
        doc["workloads"][wl.name] = entry
        gc.collect()
    if "mlp_first_call" in chosen:
        log("mlp_first_call: MLP value_and_grad first call in a fresh process")
        doc["first_call"] = run_first_call(fws, cfg)
    if "mem_mlp" in chosen:
        log("mem_mlp: peak RSS of MLP training steps")
        doc["mem_mlp"] = run_mem_mlp(fws, cfg)
    if "mem_load" in chosen:
        log("mem_load: float32 safetensors -> float16, lazy vs eager")
        doc["mem_load"] = run_mem_load(fws, cfg)
    doc["meta"]["wall_s"] = time.perf_counter() - t_start

    text = report(doc, fw_names)
    print(text)
    if cfg.json:
        os.makedirs(os.path.dirname(os.path.abspath(cfg.json)), exist_ok=True)
        with open(cfg.json, "w") as f:
            json.dump(doc, f, indent=1, default=str)
        rel = os.path.relpath(cfg.json)
        print(f"\nwrote {cfg.json if rel.startswith('..') else rel}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
