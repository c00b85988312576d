"""Evaluating and compiling from several Python threads at once.

4 threads each evaluate 20 varied graphs (elementwise chains, reductions,
indexing, matmul, in-place updates, grads and vmaps), started together behind a
barrier. Some graphs have the same structure in every thread (so their compile
is raced for, and the others hit the cache while it is being filled), some are
distinct, some arrays are shared between threads and evaluated by all of them at
once. Every result must equal NumPy's, each shared structure must compile once,
and nothing may deadlock: the work runs in a child process with a timeout, so a
hang (or a crash) fails the test instead of stopping pytest.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import traceback

import numpy as np
import pytest

N_THREADS = 4
N_GRAPHS = 20


def _graphs(k, rng):
    """Thread ``k``'s graphs: (name, shared structure?, build() -> (mx array or
    list, NumPy expectation))."""
    import mxc.core as mx

    x_np = rng.standard_normal((3, 4)).astype(np.float32)
    x = mx.array(x_np)
    s = float(k + 1)
    out = []

    # The same structures in every thread, on this thread's values.
    out.append(("chain", True, lambda: (mx.tanh(x * s + 1.0).sum(axis=0),
                                        np.tanh(x_np * s + 1.0).sum(axis=0))))
    out.append(("softmax", True, lambda: (mx.softmax(x, axis=-1), _softmax(x_np))))
    out.append(("matmul", True, lambda: (x @ x.T + s, x_np @ x_np.T + s)))
    out.append(("grad", True, lambda: (
        mx.grad(lambda w: mx.sum(mx.sin(w) * w))(x), np.cos(x_np) * x_np + np.sin(x_np))))
    out.append(("vmap", True, lambda: (
        mx.vmap(lambda r: mx.max(r) - mx.min(r))(x), x_np.max(1) - x_np.min(1))))
    out.append(("index", True, lambda: (x[mx.array([2, 0]), 1:] * s,
                                        x_np[[2, 0], 1:] * s)))
    out.append(("cumsum", True, lambda: (mx.cumsum(x, axis=1), np.cumsum(x_np, axis=1))))
    out.append(("where", True, lambda: (mx.where(x > 0, x, -s), np.where(x_np > 0, x_np, -s))))

    def inplace():
        y = mx.array(x)
        y[0] = s
        y += 1
        e = x_np.copy()
        e[0] = s
        return y, e + 1

    out.append(("inplace", True, inplace))
    out.append(("value_and_grad", True, lambda: (
        list(mx.value_and_grad(lambda w: mx.mean(w * w))(x)),
        [np.mean(x_np * x_np), 2 * x_np / x_np.size])))
    # Structures of this thread alone (k extra steps).
    for j in range(N_GRAPHS - len(out)):
        def distinct(j=j):
            y, e = x, x_np.astype(np.float64)
            for t in range(k + j % 5 + 1):
                if (t + j) % 3 == 0:
                    y, e = mx.exp(y * 0.1), np.exp(e * 0.1)
                elif (t + j) % 3 == 1:
                    y, e = y - mx.mean(y, axis=0, keepdims=True), e - e.mean(0, keepdims=True)
                else:
                    y, e = mx.abs(y) + j, np.abs(e) + j
            return y, e

        out.append((f"distinct{j}", False, distinct))
    return out


def _softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def _check(got, want, what):
    import mxc.core as mx

    if isinstance(want, list):
        for g, w in zip(got, want):
            _check(g, w, what)
        return
    assert isinstance(got, mx.array), (what, type(got))
    np.testing.assert_allclose(np.array(got, np.float64), np.asarray(want, np.float64),
                               rtol=2e-5, atol=2e-5, err_msg=what)


def workload():
    """Runs the threads (in the child process); prints a JSON report last."""
    import mxc.core as mx
    from mxc import _compiler

    misses0 = _compiler.cache.misses
    barrier = threading.Barrier(N_THREADS)
    errors, done = [], []
    shared_x = np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)
    # Lazy arrays every thread evaluates at once (the first to finish stores them).
    shared = [mx.exp(mx.array(shared_x)) * float(i) + mx.sin(mx.array(shared_x))
              for i in range(8)]

    def run(k):
        rng = np.random.default_rng(k)
        try:
            graphs = _graphs(k, rng)
            barrier.wait(timeout=60)
            for i, (name, _, build) in enumerate(graphs):
                got, want = build()
                mx.eval(got)
                _check(got, want, f"thread {k}: {name}")
                s = shared[(i + k) % len(shared)]
                _check(s, np.exp(shared_x) * float((i + k) % len(shared)) + np.sin(shared_x),
                       f"thread {k}: shared {(i + k) % len(shared)}")
            done.append(k)
        except Exception:  # noqa: BLE001
            errors.append(traceback.format_exc())

    threads = [threading.Thread(target=run, args=(k,), daemon=True)
               for k in range(N_THREADS)]
    t0 = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=240)
    hung = [t.name for t in threads if t.is_alive()]
    n_shared = sum(1 for _, shared_structure, _ in _graphs(0, np.random.default_rng(0))
                   if shared_structure)
    n_distinct = N_GRAPHS - n_shared
    report = {"errors": errors, "hung": hung, "done": sorted(done),
              "seconds": round(time.time() - t0, 2),
              "misses": _compiler.cache.misses - misses0,
              "hits": _compiler.cache.hits, "entries": len(_compiler.cache.entries),
              "n_shared": n_shared, "n_distinct": n_distinct}
    print("MXC-THREADS " + json.dumps(report), flush=True)
    os._exit(0 if not errors and not hung else 1)  # do not wait for hung threads


def _run_child(timeout=300):
    here = os.path.abspath(__file__)
    proc = subprocess.run([sys.executable, here, "workload"], capture_output=True, text=True,
                          timeout=timeout, env=dict(os.environ, PYTHONFAULTHANDLER="1"))
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("MXC-THREADS ")]
    report = json.loads(lines[-1].split(" ", 1)[1]) if lines else None
    return proc, report


def test_threads_evaluate_and_compile_concurrently():
    try:
        proc, report = _run_child()
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"deadlock: the threads did not finish in time\n{e.stdout}\n{e.stderr}")
    out = (proc.stdout + proc.stderr)[-4000:]
    assert report is not None, f"the child died (exit {proc.returncode}):\n{out}"
    assert not report["hung"], f"deadlock: threads {report['hung']} never finished\n{out}"
    assert not report["errors"], "\n".join(report["errors"][:3])
    assert report["done"] == list(range(N_THREADS))
    # Each structure compiles once, however many threads race for it: at most the
    # shared ones (plus the small helper programs some of them need: grad, vmap and
    # the in-place update evaluate a few extra structures) and every distinct one.
    shared, distinct = report["n_shared"], report["n_distinct"]
    assert report["misses"] <= 3 * shared + N_THREADS * distinct + 8, report
    # no structure was compiled twice (the cache is far from full: nothing evicted)
    assert report["misses"] == report["entries"], report
    assert report["hits"] >= (N_THREADS - 1) * shared, report


def test_one_array_evaluated_by_many_threads():
    """In-process: 8 threads evaluate the same lazy arrays at the same moment, many
    times over; all see the same right values and nothing raises."""
    import mxc.core as mx

    base = np.arange(16, dtype=np.float32)
    errors = []
    for trial in range(25):
        x = mx.array(base)
        ys = [mx.exp(x * 0.01) * float(trial) + mx.sin(x) - j for j in range(3)]
        want = [np.exp(base * 0.01) * float(trial) + np.sin(base) - j for j in range(3)]
        barrier = threading.Barrier(8)

        def run(k, ys=ys, want=want, barrier=barrier):
            try:
                barrier.wait(timeout=30)
                v = np.array(ys[k % 3])
                np.testing.assert_allclose(v, want[k % 3], rtol=1e-5, atol=1e-5)
            except Exception:  # noqa: BLE001
                errors.append(traceback.format_exc())

        threads = [threading.Thread(target=run, args=(k,), daemon=True) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not any(t.is_alive() for t in threads), "deadlock"
    assert not errors, errors[0]


def test_compile_errors_in_threads_do_not_poison_others():
    """A thread whose graph fails (a user error at eval: a vmapped value read in
    Python) leaves the lock and the cache usable for the others."""
    import mxc.core as mx

    results, errors = [], []

    def bad():
        try:
            mx.vmap(lambda r: r * r.sum().item())(mx.ones((2, 3)))
        except ValueError:
            results.append("bad raised")
        except Exception:  # noqa: BLE001
            errors.append(traceback.format_exc())

    def good(k):
        try:
            v = (mx.arange(6).reshape(2, 3) * k).sum().item()
            results.append(v)
        except Exception:  # noqa: BLE001
            errors.append(traceback.format_exc())

    threads = [threading.Thread(target=bad, daemon=True)] + [
        threading.Thread(target=good, args=(k,), daemon=True) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "deadlock"
    assert not errors, errors[0]
    assert sorted(r for r in results if r != "bad raised") == [0, 15, 30]
    assert "bad raised" in results


if __name__ == "__main__":
    if sys.argv[1:] == ["workload"]:
        workload()
