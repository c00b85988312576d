"""The GPU path: programs -> `array` -> linalg -> gpu kernels -> SPIR-V (+ MSL) and a
host program of dispatches, replayed by the runtime (``mxc._mxrt``, no MLIR).

``compile_gpu(program, device)`` returns a ``GPUExecutable``; its ``.program`` is
an ``_mxrt.Program`` that ``save()``/``load_program()`` write and read, so a program
compiled here runs on another machine with only the runtime.
"""

from __future__ import annotations

import os
import threading

import numpy as np

from . import _compiler

_lock = threading.RLock()
_device = None
_device_error = None


def runtime():
    from . import _mxrt

    return _mxrt


def device():
    """The runtime device behind ``mx.gpu`` (Metal on Apple, else the best Vulkan
    device), or None when there is none. ``MXC_VULKAN_DEVICE=i`` picks a device."""
    global _device, _device_error
    with _lock:
        if _device is None and _device_error is None:
            try:
                rt = runtime()
                if rt.metal_available():
                    _device = rt.metal_device()
                elif rt.vulkan_devices():
                    _device = rt.vulkan_device(int(os.environ.get("MXC_VULKAN_DEVICE", "-1")))
                else:
                    _device_error = "no Metal or Vulkan device is present"
            except (ImportError, RuntimeError, ValueError) as e:
                _device_error = str(e)
        return _device


def unavailable_reason():
    device()
    return _device_error


def _target_env(info):
    """The SPIR-V target environment the device supports (spirv-attach-target)."""
    caps = ["Shader"]
    exts = ["SPV_KHR_storage_buffer_storage_class"]
    for flag, cap in (("int64", "Int64"), ("float64", "Float64"), ("int16", "Int16"),
                      ("int8", "Int8"), ("float16", "Float16")):
        if info[flag]:
            caps.append(cap)
    if info["storage8"]:
        caps += ["StorageBuffer8BitAccess"]
        exts += ["SPV_KHR_8bit_storage"]
    if info["storage16"]:
        caps += ["StorageBuffer16BitAccess"]
        exts += ["SPV_KHR_16bit_storage"]
    # Float controls: mxc-spirv-no-contraction asks for the f32 modes allowed here.
    controls = [cap for flag, cap in (("nan_inf_preserve32", "SignedZeroInfNanPreserve"),
                                      ("denorm_preserve32", "DenormPreserve")) if info.get(flag)]
    if controls:
        caps += controls
        exts += ["SPV_KHR_float_controls"]
    return ("spirv-attach-target{ver=v1.3 caps=" + ",".join(caps)
            + " exts=" + ",".join(exts) + "}")


# Metal's argument table holds 31 buffers, one of which carries a kernel's push
# constants (SPIRV-Cross passes them as a buffer): a kernel compiled here runs on
# Metal too when it binds at most 30 storage buffers.
_METAL_BUFFERS = 31 - 1


def max_bindings(info=None):
    """The most storage buffers one kernel may bind: the device's per-stage limit
    (Vulkan guarantees 4; lavapipe reports 32), and never more than Metal allows."""
    if info is None:
        return _METAL_BUFFERS
    return min(info["max_storage_buffers_per_stage"], _METAL_BUFFERS)


_device_bindings = None


def device_max_bindings():
    """``max_bindings`` of mx.gpu's device (read once)."""
    global _device_bindings
    if _device_bindings is None:
        dev = device()
        _device_bindings = max_bindings(dev.info if dev is not None else None)
    return _device_bindings


def kernel_pipeline(info=None, block_size=256):
    """The textual pipelines from linalg on tensors to spirv.module kernels: the
    first outlines kernels, the second converts them after ``_set_entry_abi``.
    Elementwise fusion stops where a kernel would bind more than
    ``max_bindings(info)`` buffers."""
    max_groups = 65535
    target = "spirv-attach-target{ver=v1.3 caps=Shader,Int64,Int16,Int8,Float64," \
             "StorageBuffer8BitAccess,StorageBuffer16BitAccess exts=" \
             "SPV_KHR_storage_buffer_storage_class,SPV_KHR_8bit_storage,SPV_KHR_16bit_storage}"
    push_bytes = 128  # Vulkan's guaranteed minimum
    if info is not None:
        push_bytes = min(256, info["max_push_constants_size"])
        max_groups = min(65535, info["max_workgroup_count"][0])
        block_size = min(block_size, info["max_workgroup_invocations"])
        target = _target_env(info)
    return ("builtin.module("
            "func.func(canonicalize,cse,"
            f"mxc-fuse-elementwise{{max-operands={max_bindings(info)}}},canonicalize),"
            "mxc-distinct-results,"
            "one-shot-bufferize{bufferize-function-boundaries allow-return-allocs-from-loops "
            "function-boundary-type-conversion=identity-layout-map},"
            "buffer-results-to-out-params{hoist-static-allocs modify-public-functions},"
            "canonicalize,func.func(linalg-generalize-named-ops,"
            f"mxc-linalg-to-gpu{{block-size={block_size} max-groups={max_groups}}}),"
            "canonicalize,cse,fold-memref-alias-ops,func.func(convert-linalg-to-loops),"
            "fold-memref-alias-ops,lower-affine,canonicalize,cse,"
            f"func.func(mxc-gpu-scalar-args{{max-push-bytes={push_bytes}}}),"
            "gpu-launch-sink-index-computations,gpu-kernel-outlining," + target + ")",
            # f16 and bf16 compute in f32 as on the CPU, rounding every op
            # (mxc-round-each-op; bf16 is stored as i16: the SPIR-V type
            # conversion emulates it, arith-expand turns its conversions into
            # integer ops).
            "builtin.module(gpu.module(convert-complex-to-standard,math-extend-to-supported-types{target-type=f32},"
            "mxc-round-each-op,"
            # (mxc-gpu-math rewrites sinh, asinh, acosh, atanh itself, after the
            # others are expanded, so that every exp/log gets its approximation;
            # the approximations' fmas become mul + add: lavapipe's Fma made exp
            # 60 ulp off at |x| ~ 70.)
            "math-expand-ops{ops=ctlz,tan,cosh,fma,exp2,fpowi,roundeven,round,"
            "rsqrt,clampf},mxc-gpu-math,math-expand-ops{ops=fma},"
            "arith-emulate-unsupported-floats{source-types=bf16,f16 target-type=f32},"
            "mxc-round-each-op,arith-expand{include-bf16=true}),mxc-gpu-storage-as-int,"
            "gpu.module(canonicalize,convert-math-to-spirv),"
            "convert-gpu-to-spirv{use-64bit-index=false},"
            "spirv.module(spirv-lower-abi-attrs,mxc-spirv-push-constants,"
            "mxc-spirv-no-contraction,spirv-update-vce))")


_UNSUPPORTED = set()


def check_dtypes(program, info, op="gpu"):
    """MLX's rule: a dtype the GPU cannot compute raises ValueError at eval."""
    names = {d for _, d in program.args}
    for _, _, _, results in program.nodes:
        names.update(d for _, d in results)
    for name in sorted(names):
        if name in _UNSUPPORTED or (name == "float64" and not info["float64"]) or (
                name == "float16" and not info["float16"]):
            raise ValueError(f"[{op}] {name} is not supported on the GPU "
                             f"({info['name']}); use the CPU (stream=mx.cpu).")


def _nbytes(memref_type):
    from mlir import ir

    t = ir.MemRefType(memref_type)
    n = int(np.prod(t.shape)) if t.shape else 1
    et = t.element_type
    if isinstance(et, ir.IndexType):
        return n * 4  # 32-bit indices on the GPU
    try:
        return n * max(1, ir.IntegerType(et).width // 8)  # i1 is stored as i8
    except ValueError:
        return n * ir.FloatType(et).width // 8


def _constant_bytes(global_op):
    from mlir import ir

    attr = global_op.attributes["initial_value"]
    t = ir.MemRefType(global_op.attributes["type"].value)
    n = int(np.prod(t.shape)) if t.shape else 1
    arr = np.array(ir.DenseElementsAttr(attr))
    if arr.size == 1 and n != 1:
        arr = np.full(n, arr.reshape(-1)[0])
    if arr.dtype == np.bool_:
        arr = arr.astype(np.uint8)
    if isinstance(t.element_type, ir.IndexType):
        arr = arr.astype(np.int32)  # 32-bit indices on the GPU (_nbytes)
    return arr.reshape(-1).tobytes()


class GPUExecutable:
    """A compiled GPU program: call it with NumPy inputs, get NumPy outputs."""

    __slots__ = ("program", "executable", "out_specs", "kernel_names", "msl")

    def __init__(self, program, executable, out_specs, kernel_names):
        self.program = program
        self.executable = executable
        self.out_specs = out_specs
        self.kernel_names = kernel_names

    def __call__(self, inputs, profile=None):
        outs = [np.empty(shape, dtype) for shape, dtype in self.out_specs]
        times = self.executable.run(list(inputs), outs, profile=profile is not None)
        if profile is not None:
            profile.extend(times)
        return outs

    def save(self, path):
        """Writes the program (kernels + host steps, no MLIR) to ``path``."""
        with open(path, "wb") as f:
            f.write(self.program.serialize())


def load_program(path):
    """Reads a program written by ``GPUExecutable.save`` (only the runtime is needed)."""
    with open(path, "rb") as f:
        return runtime().Program.deserialize(f.read())


def lower_to_spirv(module, info=None, tag=None):
    """Runs the GPU pipeline on a linalg-on-tensors module, in place. With
    ``MXC_DUMP_IR=<dir>`` the outlined kernels and their SPIR-V are written to
    ``<dir>/<tag>-gpu.mlir`` and ``<tag>-spirv.mlir``, each headed by the
    pipeline that made it from the previous stage."""
    from mlir import ir
    from mlir.passmanager import PassManager

    text = str(module)
    outline, convert = kernel_pipeline(info)
    dump = _compiler._dump_dir() if tag else None
    with _compiler.context():
        try:
            PassManager.parse(outline).run(module.operation)
            _set_entry_abi(module)
            if dump:
                _compiler._write_atomic(
                    os.path.join(dump, f"{tag}-gpu.mlir"),
                    f"// from {tag}-linalg.mlir: mxc-opt '--pass-pipeline={outline}', "
                    f"then each gpu.func's known_block_size as its "
                    f"spirv.entry_point_abi\n{module}")
            PassManager.parse(convert).run(module.operation)
            if dump:
                _compiler._write_atomic(
                    os.path.join(dump, f"{tag}-spirv.mlir"),
                    f"// from {tag}-gpu.mlir: mxc-opt '--pass-pipeline={convert}'\n{module}")
        except ir.MLIRError as e:
            raise _compiler._diagnose(str(e), "mxc-gpu", text, "gpu") from None
    return module


def _set_entry_abi(module):
    """convert-gpu-to-spirv needs each kernel's workgroup size as its entry point
    ABI; outlining recorded it as known_block_size."""
    from mlir import ir

    for op in module.body.operations:
        if op.operation.name != "gpu.module":
            continue
        for f in op.regions[0].blocks[0].operations:
            if f.operation.name == "gpu.func" and "known_block_size" in f.attributes:
                size = list(ir.DenseI32ArrayAttr(f.attributes["known_block_size"]))
                f.attributes["spirv.entry_point_abi"] = ir.Attribute.parse(
                    f"#spirv.entry_point_abi<workgroup_size = {size}>")


def extract(module, num_inputs, num_outputs, info=None):
    """The kernels and host steps of a module lowered by ``lower_to_spirv``:
    (kernels, buffers, constants, steps) as ``_mxrt.Program`` takes them.
    A kernel that binds more than ``max_bindings(info)`` buffers raises
    ValueError (fusion stays under the limit; one op over it cannot be split)."""
    from mlir import ir

    from . import _mxc

    body = module.body
    gpu_funcs, spirv_modules, globals_, main = {}, {}, {}, None
    for op in body.operations:
        name = op.operation.name
        if name == "gpu.module":
            mod = op.attributes["sym_name"].value
            for f in op.regions[0].blocks[0].operations:
                if f.operation.name == "gpu.func":
                    gpu_funcs[(mod, f.attributes["sym_name"].value)] = f
        elif name == "spirv.module":
            spirv_modules[op.attributes["sym_name"].value] = op
        elif name == "memref.global":
            globals_[op.attributes["sym_name"].value] = op
        elif name == "func.func" and op.attributes["sym_name"].value == "main":
            main = op
    block = main.regions[0].blocks[0]
    buffers, constants, steps, kernels, kernel_index = [], [], [], [], {}
    push_layouts = {}
    ids = {}
    for i, arg in enumerate(block.arguments):
        kind, index = (0, i) if i < num_inputs else (1, i - num_inputs)
        ids[arg] = len(buffers)
        buffers.append((kind, index, _nbytes(arg.type)))

    def const_int(value):
        return ir.IntegerAttr(value.owner.attributes["value"]).value

    scalars = {}  # host loads of one-element buffers -> the buffer (push constants)
    for op in block.operations:
        name = op.operation.name
        if name == "memref.load":
            scalars[op.result] = ids[op.operation.operands[0]]
            continue
        if name in ("memref.alloc", "memref.alloca"):
            ids[op.result] = len(buffers)
            buffers.append((2, 0, max(4, _nbytes(op.result.type))))
        elif name == "memref.get_global":
            g = globals_[ir.FlatSymbolRefAttr(op.attributes["name"]).value]
            data = _constant_bytes(g)
            ids[op.result] = len(buffers)
            buffers.append((3, len(constants), max(4, _nbytes(op.result.type))))
            constants.append(data)
        elif name == "gpu.launch_func":
            ref = ir.SymbolRefAttr(op.attributes["kernel"])
            mod, fn = str(ref).lstrip("@").split("::@")
            key = (mod, fn)
            if key not in kernel_index:
                f = gpu_funcs[key]
                spirv = spirv_modules.get("__spv__" + mod)
                if spirv is None:
                    raise _compiler.CompilerError(f"no SPIR-V module for kernel {mod}::{fn}")
                binary = _mxc.serialize_spirv(spirv.operation)
                nargs = len(f.regions[0].blocks[0].arguments)
                # Scalar arguments live in push constants: (argument, offset, bytes).
                layout = [tuple(ir.DenseI32ArrayAttr(a)) for a in
                          spirv.attributes["mxc.push_layout"]] \
                    if "mxc.push_layout" in spirv.attributes else []
                push = max((o + n for _, o, n in layout), default=0)
                push = (push + 3) // 4 * 4
                limit = max_bindings(info)
                if nargs - len(layout) > limit:
                    raise ValueError(
                        f"[gpu] kernel {fn} binds {nargs - len(layout)} storage buffers; "
                        f"the device allows {limit} per kernel. Evaluate part of the "
                        "graph first (mx.eval) or run it on the CPU (stream=mx.cpu).")
                kernel_index[key] = len(kernels)
                push_layouts[key] = layout
                kernels.append([fn, binary, "", None, nargs - len(layout), push])
            k = kernel_index[key]
            lf = op.opview
            grid = tuple(const_int(v) for v in (lf.gridSizeX, lf.gridSizeY, lf.gridSizeZ))
            block_size = tuple(const_int(v) for v in (lf.blockSizeX, lf.blockSizeY,
                                                       lf.blockSizeZ))
            kernels[k][3] = block_size
            operands = list(lf.kernelOperands)
            layout = push_layouts[key]
            pushed = {arg for arg, _, _ in layout}
            bindings, slots = [], []
            for i, v in enumerate(operands):
                if i in pushed:
                    continue
                if v not in ids:
                    raise _compiler.CompilerError(
                        f"kernel {fn} takes a value the host program cannot bind: {v}")
                bindings.append(ids[v])
            for arg, offset, size in layout:
                if operands[arg] not in scalars:
                    raise _compiler.CompilerError(
                        f"kernel {fn}: scalar argument {arg} is not a host load of an input")
                slots.append((offset, scalars[operands[arg]], size))
            steps.append(("dispatch", k, bindings, bytes(kernels[k][5]), grid, slots))
        elif name in ("memref.dealloc", "arith.constant", "func.return"):
            continue
        else:
            raise _compiler.CompilerError(
                f"the GPU host program cannot contain {name}: {op}")
    for k in kernels:
        k[2] = _mxc.spirv_to_msl(k[1], k[4])
    return [tuple(k) for k in kernels], buffers, constants, steps


def compile_gpu(program, dev=None, load=True) -> GPUExecutable:
    """Compiles ``program`` for ``dev`` (default: mx.gpu's device). With
    ``load=False`` the program is only compiled (``.executable`` is None): it
    can be saved for a bigger device than this one (buffers above this device's
    limits)."""
    from mlir import ir

    from .core._dtypes import _BY_NAME

    dev = dev or device()
    info = dev.info
    check_dtypes(program, info)
    module = _compiler.build_module(program)
    try:
        module.operation.verify()
    except ir.MLIRError as e:
        raise _compiler._diagnose(str(e), "verify", str(module), "gpu") from None
    tag = f"{next(_compiler._compiles)}-main"
    _compiler.lower(module, upto="linalg", tag=tag)
    lower_to_spirv(module, info, tag)
    with _compiler.context():
        kernels, buffers, constants, steps = extract(module, len(program.args),
                                                     len(program.outputs), info)
    rt = runtime()
    prog = rt.Program(kernels, buffers, constants, steps, len(program.args),
                      len(program.outputs))
    specs = [_compiler._result_spec(program, i) for i in program.outputs]
    out_specs = [(shape, _BY_NAME[d].np) for shape, d in specs]
    return GPUExecutable(prog, dev.load(prog) if load else None, out_specs,
                         [k[0] for k in kernels])


def from_program(prog, out_specs, dev=None):
    """A GPUExecutable for a loaded ``_mxrt.Program`` (e.g. from ``load_program``)."""
    dev = dev or device()
    return GPUExecutable(prog, dev.load(prog), out_specs, [k[0] for k in prog.kernels])


def main(argv=None):
    """``python -m mxc._gpu FILE.mlir [--spirv-dir DIR] [--msl]``: runs the GPU
    pipeline on a linalg-on-tensors module (a public ``@main``), prints a summary
    line per kernel (name, workgroup size, bindings), its MSL with ``--msl``, and
    writes each kernel's SPIR-V to DIR/<name>.spv (for spirv-val)."""
    import argparse

    from mlir import ir

    parser = argparse.ArgumentParser(prog="python -m mxc._gpu")
    parser.add_argument("file")
    parser.add_argument("--spirv-dir")
    parser.add_argument("--msl", action="store_true")
    parser.add_argument("--spirv-val", action="store_true",
                        help="run spirv-val (Vulkan 1.1 rules) on every kernel")
    args = parser.parse_args(argv)
    with _compiler.context():
        module = ir.Module.parse(open(args.file).read())
        main_fn = next(op for op in module.body.operations
                       if op.operation.name == "func.func"
                       and op.attributes["sym_name"].value == "main")
        ftype = ir.FunctionType(main_fn.attributes["function_type"].value)
        lower_to_spirv(module)
        kernels, buffers, constants, steps = extract(module, len(ftype.inputs),
                                                     len(ftype.results))
    for step in steps:
        name, _, _, wg, nbind, _ = kernels[step[1]]
        push = f" push={len(step[3])} slots={step[5]}" if step[3] else ""
        print(f"dispatch {name} grid={list(step[4])} workgroup={list(wg)} "
              f"bindings={step[2]}{push}")
    for i, (name, spirv, msl, wg, nbind, _) in enumerate(kernels):
        if args.spirv_dir:
            os.makedirs(args.spirv_dir, exist_ok=True)
            with open(os.path.join(args.spirv_dir, f"k{i}_{name}.spv"), "wb") as f:
                f.write(spirv)
        if args.spirv_val:
            import subprocess
            import tempfile

            with tempfile.NamedTemporaryFile(suffix=".spv") as f:
                f.write(spirv)
                f.flush()
                r = subprocess.run(["spirv-val", "--target-env", "vulkan1.1", f.name],
                                   capture_output=True, text=True)
            if r.returncode:
                raise SystemExit(f"spirv-val rejected kernel {i} ({name}):\n{r.stdout}{r.stderr}")
        if args.msl:
            print(f"// ----- MSL of kernel {i} ({name}, workgroup {list(wg)})")
            print(msl)
    if args.spirv_val:
        print(f"spirv-val: {len(kernels)} kernels valid")


if __name__ == "__main__":
    main()
