"""The compiler driver: programs -> `array` dialect -> LLVM -> JIT, with a cache.

A *program* is the structural description of a traced graph (see ``Program``);
two graphs that differ only in the values of their inputs have equal programs,
so the compile cache is keyed by it. Compiled programs run through
``_mxc.call_packed`` with no MLIR work on a cache hit.
"""

from __future__ import annotations

import atexit
import collections
import ctypes
import functools
import itertools
import math
import os
import tempfile
import threading
from dataclasses import dataclass

import numpy as np

from . import _mxc

_lock = threading.RLock()
_context = None

#: The pass pipeline of the CPU path (registered by mxc as `mxc-cpu`).
CPU_PIPELINE = "builtin.module(mxc-cpu)"


class CompilerError(RuntimeError):
    """A pass failed on a program mxc generated: a bug in mxc, not in user code."""


def context():
    """The process-wide MLIR context with every upstream dialect and `array`."""
    global _context
    if _context is None:
        with _lock:
            if _context is None:
                from mlir import ir

                ctx = ir.Context()
                _mxc.register_dialect(ctx)
                _mxc.register_passes()
                _context = ctx
    return _context


@dataclass(frozen=True)
class Program:
    """A traced graph, structurally: the compile cache key.

    ``args``: (shape, dtype name) of each input; ``nodes``: (op name, attributes,
    operand value ids, result types) in topological order, where value ids count
    the inputs first and then every node result; ``outputs``: the value ids
    returned.
    """

    args: tuple
    nodes: tuple
    outputs: tuple


def _tensor_type(ir, shape, dtype_mlir):
    from mlir import ir as _ir

    return _ir.RankedTensorType.get(list(shape), _ir.Type.parse(dtype_mlir))


def _attribute(ir, name, value):
    if isinstance(value, bool):
        return ir.BoolAttr.get(value)
    if isinstance(value, int):
        return ir.IntegerAttr.get(ir.IntegerType.get_signless(64), value)
    if isinstance(value, tuple) and value and value[0] == "symbol":
        return ir.FlatSymbolRefAttr.get(value[1])
    if isinstance(value, tuple) and value and value[0] == "splat":
        # ("splat", shape, dtype name, Python scalar): a constant filled with it.
        from .core._dtypes import _BY_NAME

        _, shape, dtype, scalar = value
        et = ir.Type.parse(_BY_NAME[dtype].mlir)
        if _BY_NAME[dtype].kind == "c":
            return ir.DenseElementsAttr.get(np.full(shape, scalar, dtype=_BY_NAME[dtype].np))
        if _BY_NAME[dtype].kind == "f":
            element = ir.FloatAttr.get(et, float(scalar))
        else:
            element = ir.IntegerAttr.get(et, int(scalar))
        return ir.DenseElementsAttr.get_splat(ir.RankedTensorType.get(list(shape), et), element)
    if isinstance(value, tuple):
        return ir.DenseI64ArrayAttr.get(list(value))
    if isinstance(value, ir.Attribute):
        return value
    raise TypeError(f"cannot express attribute {name}={value!r}")


def build_module(program: Program, name="main"):
    """The `array`-dialect module of ``program``: a public ``@main`` plus one private
    function per transformed sub-program (the callees of vjp/jvp/vmap nodes)."""
    from mlir import ir

    with context(), ir.Location.unknown():
        module = ir.Module.create()
        _emit_function(module, program, name, {}, public=True)
        return module


def _emit_function(module, program, name, emitted, public):
    from mlir import ir
    from mlir.dialects import func

    from .core._dtypes import _BY_NAME

    def types(specs):
        return [_tensor_type(ir, s, _BY_NAME[d].mlir) for s, d in specs]

    def attribute(key, value):
        if isinstance(value, tuple) and value and value[0] == "program":
            sub = value[1]
            if sub not in emitted:
                emitted[sub] = f"f{len(emitted)}"
                _emit_function(module, sub, emitted[sub], emitted, public=False)
            return ir.FlatSymbolRefAttr.get(emitted[sub])
        if isinstance(value, tuple) and value and value[0] == "i32array":
            return ir.DenseI32ArrayAttr.get(list(value[1]))
        return _attribute(ir, key, value)

    arg_types = types(program.args)
    with ir.InsertionPoint(module.body):
        fn = func.FuncOp(name, (arg_types, []))
        if not public:
            fn.attributes["sym_visibility"] = ir.StringAttr.get("private")
        block = fn.add_entry_block()
    values = list(block.arguments)
    with ir.InsertionPoint(block):
        for op_name, attrs, operands, result_specs in program.nodes:
            attributes = {k: attribute(k, v) for k, v in attrs}
            op = ir.Operation.create(
                "array." + op_name,
                results=types(result_specs),
                operands=[values[i] for i in operands],
                attributes=attributes,
            )
            values.extend(op.results)
        results = [values[i] for i in program.outputs]
        func.ReturnOp(results)
    fn.attributes["function_type"] = ir.TypeAttr.get(
        ir.FunctionType.get(arg_types, [r.type for r in results]))
    if public:
        # Inputs are the caller's buffers: bufferization must never write them, and
        # as nothing writes them, LLVM may take them as not aliasing the outputs
        # (noalias), which lets it keep reduction accumulators in registers.
        readonly = ir.DictAttr.get({"bufferization.writable": ir.BoolAttr.get(False),
                                    "llvm.noalias": ir.UnitAttr.get()})
        fn.arg_attrs = ir.ArrayAttr.get([readonly] * len(arg_types))
    return fn


class Executable:
    """A compiled program: call it with NumPy inputs, get NumPy outputs.

    Programs start on the fast tier (LLVM at -O0, ten times quicker to compile);
    the second call of one starts its optimizing compile (-O2) on a background
    thread, which swaps the faster code in when done (see ``_tier_up``)."""

    __slots__ = ("engine", "function", "out_specs", "program", "calls", "retired")

    def __init__(self, engine, function, out_specs, program=None):
        self.engine = engine  # keeps the JIT-compiled code alive
        self.function = function
        self.out_specs = out_specs
        self.program = program  # set while a faster tier may follow
        self.calls = 0
        self.retired = None  # the fast tier's code, kept alive after the swap

    def __call__(self, inputs):
        outs = [np.empty(shape, dtype) for shape, dtype in self.out_specs]
        _mxc.call_packed(self.function, [*inputs, *outs])
        if self.program is not None:
            self.calls += 1
            if self.calls == 2:
                _tier_up(self)
        return outs


#: LLVM optimization levels of the two tiers; ``MXC_JIT_TIERS=0`` compiles every
#: program at the optimizing level at once.
FAST_TIER, OPTIMIZING_TIER = 0, 2
_pending_tier_ups: set = set()


#: Programs that compute more elements than this, per op, go to the optimizing tier
#: at once: their unoptimized code would cost more than the compile saves. (Per op:
#: the optimizing compile grows with the ops; 100 small adds in one program took
#: 1.4 s at -O2 and run in 0.4 ms either way.)
_FAST_TIER_WORK = 1 << 18


def _work(program):
    """Elements the program's ops produce (a rough measure of its run time)."""
    return sum(math.prod(shape) for _, _, _, results in program.nodes
               for shape, _ in results)


def _tiers_enabled():
    return os.environ.get("MXC_JIT_TIERS", "1") != "0"


def _tier_up(exe):
    """Compiles ``exe``'s program at -O2 and swaps the result in; a failure keeps
    the fast tier. The MLIR part runs here (it needs the GIL, and sharing the GIL
    with a busy caller would slow both); LLVM then runs on a daemon thread without
    the GIL."""
    program, exe.program = exe.program, None
    try:
        module = _lowered(program)
    except Exception:  # noqa: BLE001 - the fast tier is correct, only slower
        return

    def work():
        try:
            engine, function = _link(module, OPTIMIZING_TIER, disk_cache.key(program))
        except Exception:  # noqa: BLE001
            return
        finally:
            _pending_tier_ups.discard(thread)
        exe.retired = exe.engine  # a call may still be running the old code
        exe.engine, exe.function = engine, function

    thread = threading.Thread(target=work, name="mxc-tier-up", daemon=True)
    _pending_tier_ups.add(thread)
    thread.start()


def wait_for_tier_ups(timeout=None):
    """Waits until every background optimizing compile has finished."""
    for thread in list(_pending_tier_ups):
        thread.join(timeout)


# LLVM must not be compiling on a thread while the process tears down its statics.
atexit.register(wait_for_tier_ups)


def _default_threads():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@functools.cache
def _openmp():
    """LLVM's OpenMP runtime (libomp, Debian ``libomp5``), loaded with global symbols
    for the parallel loops of compiled programs and set to ``MXC_NUM_THREADS``
    threads (default: the CPUs this process may run on); None where it is missing."""
    threads = os.environ.get("MXC_NUM_THREADS", "")
    try:
        threads = int(threads) if threads else _default_threads()
    except ValueError:
        threads = 0
    if threads < 1:
        raise ValueError(f"MXC_NUM_THREADS={os.environ['MXC_NUM_THREADS']!r}: "
                         "expected a positive integer")
    for name in ("libomp.so.5", "libomp.so", "libomp.dylib"):
        try:
            lib = ctypes.CDLL(name, mode=ctypes.RTLD_GLOBAL)
        except OSError:
            continue
        # libomp reads its environment once, on this first call. Idle threads spin
        # for KMP_BLOCKTIME before they sleep: 200 ms by default, which takes a core
        # from whatever the process (NumPy, BLAS, another framework) does next; ours
        # is 1 ms unless the user set one. (Set only for that call, so children of
        # the process keep the environment they were given.)
        unset = "KMP_BLOCKTIME" not in os.environ
        if unset:
            os.environ["KMP_BLOCKTIME"] = "1"
        try:
            lib.omp_set_num_threads(threads)
        finally:
            if unset:
                del os.environ["KMP_BLOCKTIME"]
        return lib
    return None


def num_threads():
    """The threads a compiled program's parallel loops run on (1: serial code)."""
    lib = _openmp()
    return lib.omp_get_max_threads() if lib is not None else 1


#: The CPU path in stages: (name of the result, the mxc-opt pipeline making it).
#: With libomp and several threads, large loop nests run in parallel.
STAGES = (
    ("transformed", "mxc-transforms"),
    ("linalg", "convert-array-to-linalg"),
    ("llvm", "mxc-linalg-to-llvm{parallel=%s},mxc-vector-libm"
     % ("true" if num_threads() > 1 else "false")),
)
_compiles = itertools.count()


def _dump_dir():
    return os.environ.get("MXC_DUMP_IR") or None


def _write_atomic(path, text):
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def _diagnose(text, stage, module_text, tag, name=None):
    """The exception for a failed pass: a user-facing ValueError when a transform
    lacks a rule, otherwise a CompilerError naming the stage (pipeline ``stage``;
    ``name`` names the reproducer file, default the stage), with a reproducer."""
    for marker in ("vmap not implemented", "VJP not implemented", "JVP not implemented"):
        if marker in text:
            detail = text[text.index(marker):].splitlines()[0]
            return ValueError(f"[{marker.split()[0].lower()}] {detail}")
    directory = _dump_dir() or tempfile.mkdtemp(prefix="mxc-repro-")
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, f"{tag}-{name or stage}-failed-input.mlir")
    _write_atomic(path, module_text)
    return CompilerError(
        f"mxc failed to compile a program in stage '{name or stage}' (pipeline {stage}).\n"
        f"{text}\nReproduce with: mxc-opt {path} {flags(stage)}")


def flags(pipeline):
    """mxc-opt's command-line flags for a comma-separated pass pipeline
    (``name{options}`` becomes ``--name=options``, quoted for the shell)."""
    import shlex

    out = []
    for p in pipeline.split(","):
        name, _, options = p.partition("{")
        out.append(f"--{name}={shlex.quote(options[:-1])}" if options else f"--{name}")
    return " ".join(out)


def lower(module, upto="llvm", tag=None):
    """Runs the CPU stages on ``module`` in place up to stage ``upto`` ("traced"
    does nothing). With ``MXC_DUMP_IR=<dir>``, each stage's module is written to
    ``<dir>/<tag>-<stage>.mlir`` with the mxc-opt command that produced it."""
    from mlir import ir
    from mlir.passmanager import PassManager

    names = ["traced"] + [name for name, _ in STAGES]
    if upto not in names:
        raise ValueError(f"unknown stage {upto!r}; choose one of {names}")
    tag = tag or f"{next(_compiles)}-main"
    dump = _dump_dir()
    with context():
        if dump:
            os.makedirs(dump, exist_ok=True)
            _write_atomic(os.path.join(dump, f"{tag}-traced.mlir"), str(module))
        previous = "traced"
        for name, pipeline in STAGES:
            if names.index(upto) < names.index(name):
                break
            before = str(module) if not dump else None
            try:
                PassManager.parse(f"builtin.module({pipeline})").run(module.operation)
            except ir.MLIRError as e:
                source = before if before is not None else open(
                    os.path.join(dump, f"{tag}-{previous}.mlir")).read()
                raise _diagnose(str(e), pipeline, source, tag, name) from None
            if dump:
                _write_atomic(os.path.join(dump, f"{tag}-{name}.mlir"),
                              f"// mxc-opt {tag}-{previous}.mlir {flags(pipeline)}\n{module}")
            previous = name
    return module


def run_pipeline(module, pipeline=CPU_PIPELINE, what="program"):
    """Runs a textual pass pipeline on ``module`` (used by tests and tools)."""
    from mlir import ir
    from mlir.passmanager import PassManager

    with context():
        try:
            PassManager.parse(pipeline).run(module.operation)
        except ir.MLIRError as e:
            raise _diagnose(str(e), pipeline, "", "run") from None
    return module


def compile_program(program: Program, opt_level=None) -> Executable:
    """Compiles ``program`` for the CPU. With ``opt_level`` None: the optimized code
    from the on-disk cache if there, else the fast tier (which tiers up when the
    program is used again), or -O2 at once with ``MXC_JIT_TIERS=0``."""
    from .core._dtypes import _BY_NAME

    specs = [_result_spec(program, i) for i in program.outputs]
    out_specs = [(shape, _BY_NAME[d].np) for shape, d in specs]
    key = disk_cache.key(program)
    tiers = _tiers_enabled()
    if key is not None and opt_level is None:
        hit = disk_cache.load(key, OPTIMIZING_TIER if tiers else None)
        if hit is None and tiers:
            hit = disk_cache.load(key, FAST_TIER)
            if hit is not None:
                return Executable(*hit, out_specs, program)
        if hit is not None:
            return Executable(*hit, out_specs)
    if opt_level is None:
        per_op = _work(program) / max(1, len(program.nodes))
        opt_level = FAST_TIER if tiers and per_op < _FAST_TIER_WORK else OPTIMIZING_TIER
    engine, function = _link(_lowered(program), opt_level, key)
    return Executable(engine, function, out_specs,
                      None if opt_level == OPTIMIZING_TIER else program)


def _lowered(program):
    """``program`` as a module in the LLVM dialect."""
    from mlir import ir

    with _lock:
        module = build_module(program)
        try:
            module.operation.verify()
        except ir.MLIRError as e:
            # The frontend checks user input first: a module that fails to verify is an
            # mxc bug, reported with a reproducer rather than as raw MLIR.
            raise _diagnose(str(e), "verify", str(module),
                            f"{next(_compiles)}-main") from None
        lower(module)
    return module


def _link(module, opt_level, key):
    """JIT-compiles ``module`` (without the GIL); stores it on disk under ``key``."""
    engine = jit(module, opt_level, object_dump=key is not None)
    function = engine.lookup("main")
    if not function:
        raise CompilerError("mxc compiled a program but the JIT could not link it "
                            "(see the 'JIT session error' above)")
    if key is not None:
        disk_cache.store(key, engine, opt_level)
    return engine, function


class _DiskCache:
    """Compiled programs on disk, so a new process starts warm: each is a shared
    object (the JIT's position-independent object code, linked with ``ld -shared``)
    named by a hash of the program and of everything that shapes its code (mxc's
    native build, the pipelines, the host CPU), and by its tier (``-O0``/``-O2``). A
    hit is a ``dlopen``: no MLIR, no LLVM; fast-tier code found there still tiers up.
    ``MXC_CACHE_DIR`` (default ``~/.cache/mxc``) holds at most ``MXC_DISK_CACHE_LIMIT``
    programs (default 4096; the oldest half goes when full); ``MXC_DISK_CACHE=0``
    turns it off. Files are written atomically; unusable ones are recompiled."""

    def __init__(self):
        self.hits = self.stores = 0

    @functools.cached_property
    def directory(self):
        if os.environ.get("MXC_DISK_CACHE", "1") == "0" or os.uname().sysname != "Linux":
            return None
        import shutil

        self.linker = shutil.which("ld")
        if self.linker is None:
            return None
        path = os.environ.get("MXC_CACHE_DIR") or os.path.join(
            os.path.expanduser("~"), ".cache", "mxc")
        try:
            os.makedirs(path, mode=0o700, exist_ok=True)
        except OSError:
            return None
        return path

    @functools.cached_property
    def stamp(self):
        """What, besides the program, decides the compiled code."""
        import hashlib
        import platform

        h = hashlib.sha256()
        for lib in [_mxc.__file__, *_runtime_libraries()]:
            st = os.stat(lib)
            h.update(f"{lib}:{st.st_size}:{st.st_mtime_ns}".encode())
        h.update(repr(STAGES).encode() + platform.machine().encode())
        try:
            flags = [line for line in open("/proc/cpuinfo") if line.startswith("flags")]
            h.update((flags[0] if flags else "").encode())
        except OSError:
            pass
        return h.hexdigest()

    def key(self, program):
        if self.directory is None:
            return None
        import hashlib

        return hashlib.sha256((self.stamp + repr(program)).encode()).hexdigest()

    def load(self, key, opt_level=None):
        """The code of ``key`` at ``opt_level`` (None: the optimizing tier)."""
        path = self._path(key, OPTIMIZING_TIER if opt_level is None else opt_level)
        if not os.path.exists(path):
            return None
        _cpu_runtime()
        try:
            lib = ctypes.CDLL(path)
            function = ctypes.cast(lib._mlir_main, ctypes.c_void_p).value
        except (OSError, AttributeError):
            return None
        self.hits += 1
        return lib, function

    def _path(self, key, opt_level):
        return os.path.join(self.directory, f"{key}-O{opt_level}.so")

    def store(self, key, engine, opt_level):
        import subprocess

        final = self._path(key, opt_level)
        tmp = f"{final}.{os.getpid()}.{threading.get_ident()}"
        try:
            engine.dump_to_object_file(tmp + ".o")
            subprocess.run([self.linker, "-shared", "-o", tmp, tmp + ".o"],
                           check=True, capture_output=True, timeout=60)
            os.replace(tmp, final)
            self.stores += 1
            self._prune()
        except (OSError, subprocess.SubprocessError):
            pass  # the cache is an optimization: a program that cannot be stored runs
        finally:
            for leftover in (tmp, tmp + ".o"):
                if os.path.exists(leftover):
                    os.remove(leftover)

    def _prune(self):
        limit = int(os.environ.get("MXC_DISK_CACHE_LIMIT", "4096"))
        entries = [e for e in os.scandir(self.directory) if e.name.endswith(".so")]
        if len(entries) <= limit:
            return
        entries.sort(key=lambda e: e.stat().st_mtime)
        for e in entries[: len(entries) - limit // 2]:
            try:
                os.remove(e.path)
            except OSError:
                pass


disk_cache = _DiskCache()


def jit(module, opt_level=3, object_dump=False):
    """A JIT engine (``_mxc.Engine``: MLIR's ExecutionEngine, compiling without the
    GIL) for a module in the LLVM dialect, linked with the CPU runtime (gemm, scalar
    math, memrefCopy) and libmvec; ``engine.lookup("main")`` is the entry point."""
    _cpu_runtime()
    return _mxc.Engine(module, opt_level, _runtime_libraries(), object_dump)


def _runtime_libraries():
    """The library compiled programs call: mxc's CPU runtime (libmxc_cpu_runtime:
    BLAS gemm, scalar math, memrefCopy), which needs nothing of MLIR."""
    ext = ".dylib" if os.uname().sysname == "Darwin" else ".so"
    return [os.path.join(os.path.dirname(_mxc.__file__), "libmxc_cpu_runtime" + ext)]


@functools.cache
def _cpu_runtime():
    """Loads the runtime libraries, and glibc's vector math library where there is
    one, with global symbols (compiled programs, JIT or cached shared objects,
    resolve their calls there), and opens NumPy's OpenBLAS for the gemm
    (``MXC_BLAS=0`` keeps mxc's own loop)."""
    for path in _runtime_libraries():
        ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
    try:
        ctypes.CDLL("libmvec.so.1", mode=ctypes.RTLD_GLOBAL)
    except OSError:  # not glibc: mxc-vector-libm needs an AVX2 Linux host anyway
        pass
    lib = ctypes.CDLL(_runtime_libraries()[0])
    lib.mxc_rt_load_blas.argtypes = [ctypes.c_char_p] * 3
    lib.mxc_rt_loaded_blas.restype = ctypes.c_char_p
    if os.environ.get("MXC_BLAS", "1") != "0":
        for path, sgemm, dgemm in _blas_candidates():
            if lib.mxc_rt_load_blas(path.encode(), sgemm.encode(), dgemm.encode()):
                break
    return lib


def loaded_blas():
    """The path of the BLAS library compiled matmuls call, or "" (mxc's own loop)."""
    return _cpu_runtime().mxc_rt_loaded_blas().decode()


def _blas_candidates():
    """CBLAS libraries with 64-bit integers: the OpenBLAS inside NumPy's wheel."""
    import glob

    import numpy

    libs = os.path.join(os.path.dirname(os.path.dirname(numpy.__file__)), "numpy.libs")
    for path in sorted(glob.glob(os.path.join(libs, "libscipy_openblas64_*"))):
        yield path, "scipy_cblas_sgemm64_", "scipy_cblas_dgemm64_"


def _result_spec(program, value_id):
    n = len(program.args)
    if value_id < n:
        return program.args[value_id]
    k = value_id - n
    for _, _, _, results in program.nodes:
        if k < len(results):
            return results[k]
        k -= len(results)
    raise IndexError(value_id)


class _Cache:
    """An LRU of executables; its size is ``MXC_CACHE_SIZE`` (default 1024)."""

    def __init__(self, size):
        self.size = size
        self.entries = collections.OrderedDict()
        self.hits = 0
        self.misses = 0

    def has(self, program, device=None):
        """Whether ``program`` is compiled for ``device`` (None: the CPU)."""
        return (program if device is None else (program, device)) in self.entries

    def get(self, program, device=None):
        """The executable of ``program`` for ``device`` (None: the CPU). A GPU
        program's key holds the per-kernel buffer limit its kernels were split by."""
        if device is None:
            key = program
        else:
            from . import _gpu

            key = (program, device, _gpu.device_max_bindings())
        with _lock:
            exe = self.entries.get(key)
            if exe is not None:
                self.entries.move_to_end(key)
                self.hits += 1
                return exe
            self.misses += 1
            if device is None:
                exe = compile_program(program)
            else:
                from . import _gpu

                exe = _gpu.compile_gpu(program)
            self.entries[key] = exe
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
            return exe


cache = _Cache(int(os.environ.get("MXC_CACHE_SIZE", "1024")))
