//===- Passes.td - mxc passes ------------------------------------*- tablegen -*-===//
#ifndef MXC_PASSES
#define MXC_PASSES

include "mlir/Pass/PassBase.td"

def ConvertArrayToLinalg : Pass<"convert-array-to-linalg", "ModuleOp"> {
  let summary = "Lower `array` ops to linalg, tensor, arith, math and scf";
  let description = [{
    Every non-transform `array` op becomes linalg on tensors (named ops or generics),
    tensor ops, or scf loops for scans, sorts and scatters. Unsigned element types
    become signless with unsigned arithmetic; function signatures are converted
    alongside. Transform ops (`vjp`, `jvp`, `vmap`) must be expanded first.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect", "::mlir::func::FuncDialect",
    "::mlir::complex::ComplexDialect", "::mlir::bufferization::BufferizationDialect"
  ];
}

def ArrayAutodiff : Pass<"array-autodiff", "ModuleOp"> {
  let summary = "Expand array.vjp and array.jvp into generated derivative functions";
  let description = [{
    Each `array.vjp @f` / `array.jvp @f` becomes a call to a new private function
    (`@f_vjp_N`, `@f_jvp_N`) that recomputes `f` and then applies the ops'
    DifferentiableOpInterface rules, in reverse (VJP) or forward (JVP) order.
    Transforms nested in `f` (and calls made by `f`) are expanded in place first,
    innermost first, so transforms compose to any depth. Run `inline` after it.
  }];
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

def ArrayVectorize : Pass<"array-vectorize", "ModuleOp"> {
  let summary = "Expand array.vmap into generated batched functions";
  let description = [{
    Each `array.vmap @f` becomes a call to a new private function (`@f_vmap_N`)
    that re-emits `f` with every op replaced by its batched form
    (BatchableOpInterface). Batch axes are kept at dimension 0 inside; inputs and
    outputs are transposed to and from `in_axes` / `out_axes`. Nested transforms
    and calls are expanded first. An op without a rule fails with
    "vmap not implemented for <op>".
  }];
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

def DistinctResults : Pass<"mxc-distinct-results", "ModuleOp"> {
  let summary = "Make public functions return each value once (copies repeats)";
  let description = [{
    Every result of a public function becomes its own caller-owned buffer; a value
    returned twice (after CSE) is copied so bufferization gives each its buffer.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect"];
}

def FuseElementwise : Pass<"mxc-fuse-elementwise", "func::FuncOp"> {
  let summary = "linalg-fuse-elementwise-ops that leaves named contractions named";
  let description = [{
    Upstream's elementwise fusion, reshape propagation by expansion and constant
    folding, with a control that never fuses into or through a named
    contraction (linalg.batch_matmul stays a named op for mxc-matmul-to-blas).
    With `max-operands` set, a fusion whose result would have more distinct
    tensor operands than that is not made: each operand of a GPU kernel is a
    storage buffer, and devices cap them per kernel (Metal: 31 buffers,
    lavapipe: 32).
  }];
  let options = [Option<"maxOperands", "max-operands", "int64_t", "0",
                        "Most distinct operands of a fused op (0: no limit)">];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect",
                           "::mlir::affine::AffineDialect", "::mlir::arith::ArithDialect"];
}

def FuseRows : Pass<"mxc-fuse-rows", "func::FuncOp"> {
  let summary = "Tile consumers of reductions by rows and fuse their producers";
  let description = [{
    Tiles each linalg op on tensors that depends on a (non-contraction)
    reduction along its leading parallel loops, about `tile-elements` loop
    iterations per tile, and fuses its producers into the tile loop where each
    tile needs a distinct slice of them. Softmax, layer norm and logsumexp
    become one pass over memory per block of rows.
  }];
  let options = [Option<"tileElements", "tile-elements", "int64_t", "16384",
                        "Iterations of the loops inside one tile (about)">,
                 Option<"parallel", "parallel", "bool", "false",
                        "Tile loops are scf.forall (their tiles are independent)">];
  let dependentDialects = ["::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect",
                           "::mlir::affine::AffineDialect", "::mlir::arith::ArithDialect"];
}

def Parallelize : Pass<"mxc-parallelize", "func::FuncOp"> {
  let summary = "Tile large linalg ops on tensors into scf.forall blocks of rows";
  let description = [{
    Each linalg op on tensors in a function's body (not inside a loop) with at
    least `min-work` loop iterations and a leading parallel loop is tiled along
    its leading parallel loops into an scf.forall of tiles of about
    `tile-elements` iterations, each writing its own slice of the result.
    After bufferization the forall becomes scf.parallel and then an OpenMP
    work-sharing loop. Contractions (BLAS threads them) and fills are left
    alone, as are transposes that only feed contractions (mxc-matmul-to-blas
    folds those into strides).
  }];
  let options = [Option<"tileElements", "tile-elements", "int64_t", "16384",
                        "Iterations of the loops inside one tile (about)">,
                 Option<"minWork", "min-work", "int64_t", "65536",
                        "Fewest loop iterations worth a parallel loop">];
  let dependentDialects = ["::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect",
                           "::mlir::affine::AffineDialect", "::mlir::arith::ArithDialect"];
}

def MatmulToBlas : Pass<"mxc-matmul-to-blas", "ModuleOp"> {
  let summary = "Call the CPU runtime's BLAS gemm for f32/f64 matmuls on buffers";
  let description = [{
    After bufferization, each f32/f64 `linalg.batch_matmul` or `linalg.matmul` with
    static shapes becomes a call of `mxc_rt_gemm_f32` / `mxc_rt_gemm_f64` (the CPU
    runtime in mxc's Python extension) with batch, m, n, k and each buffer's address
    and strides. The runtime accumulates into the output (C += A B) with the BLAS
    gemm, or a loop when no BLAS is loaded; when a zero `linalg.fill` of the output
    comes right before, the fill goes and the gemm overwrites instead (beta = 0).
  }];
  let dependentDialects = ["::mlir::func::FuncDialect", "::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect"];
}

def RoundEachOp : Pass<"mxc-round-each-op"> {
  let summary = "Keep the f32 -> f16/bf16 rounding after every emulated op";
  let description = [{
    After arith-emulate-unsupported-floats and math-extend-to-supported-types:
    clears the `contract` flag of their extf/truncf ops, which otherwise lets
    extf(truncf(x)) fold to x, so a fused half-precision chain rounds every op
    (MLX's and NumPy's results) instead of once at its end.
  }];
}

def VectorLibm : Pass<"mxc-vector-libm", "ModuleOp"> {
  let summary = "Map f32/f64 math in the LLVM dialect to libmvec's vector functions";
  let description = [{
    Each f32/f64 math intrinsic or libm call that glibc's libmvec provides becomes a
    call of `mxc_vm_<libm name>`, declared pure with a VFABI mapping to the AVX2
    vector variant (`_ZGVdN8v_expf` for f32, `_ZGVdN4v_exp` for f64), so LLVM's
    loop vectorizer can call the vector function. The runtime binds `mxc_vm_*` to
    libm and `_ZGVd*` to libmvec. `target=auto` (default) applies it when the host
    has AVX2 and FMA; `avx2` always; `none` never.
  }];
  let options = [Option<"target", "target", "std::string", "\"auto\"",
                        "auto, avx2 or none">];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def LinalgToGPU : Pass<"mxc-linalg-to-gpu", "func::FuncOp"> {
  let summary = "Distribute linalg ops on memrefs to gpu.launch kernels";
  let description = [{
    Each top-level linalg op of a bufferized host function becomes one gpu.launch:
    - parallel ops: a 1-D grid-stride loop over the linearized iteration space
      (`block-size` threads, at most `max-groups` workgroups), reductions done
      serially per output element when they are short; contiguous elementwise ops
      index 1-D views linearly, several elements per thread;
    - reductions with a recognized combiner (add, mul, min, max, and, or, xor):
      one workgroup per output element, threads striding over the reduced space
      and a tree reduction in workgroup memory;
    - matmul-shaped generics ((b,i,k) x (b,k,j) -> (b,i,j)): 128x128 output tiles
      with 8x8 outputs per thread and 8-deep K slices staged in workgroup memory
      as 4-vectors (64x64, 4x4, 16-deep, scalar when M or N < 128), the next
      slice prefetched into registers.
    memref.copy becomes a copy kernel. View ops and scalar computations used by a
    kernel are cloned into it, so kernels capture only base buffers (run
    fold-memref-alias-ops afterwards). Other ops with effects run in a
    single-thread kernel.
  }];
  let options = [
    Option<"blockSize", "block-size", "int64_t", "256", "threads per workgroup">,
    Option<"maxGroups", "max-groups", "int64_t", "65535", "workgroups per dispatch">
  ];
  let dependentDialects = ["::mlir::gpu::GPUDialect", "::mlir::scf::SCFDialect",
                           "::mlir::affine::AffineDialect", "::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect", "::mlir::vector::VectorDialect",
                           "::mlir::spirv::SPIRVDialect"];
}

def GPUMath : Pass<"mxc-gpu-math"> {
  let summary = "Rewrite math ops without an exact SPIR-V instruction in GPU kernels";
  let description = [{
    math.erf (f32) becomes a rational approximation; math.ipowi a
    square-and-multiply loop with the CPU's semantics for negative exponents;
    math.powf exp(y log|x|) with C's special cases; atan2 C's quadrants; exp,
    log (subnormals included) and friends MLIR's polynomial approximations.
    Run on gpu.module after math-extend-to-supported-types.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::scf::SCFDialect",
                           "::mlir::math::MathDialect"];
}

def GPUStorageAsInt : Pass<"mxc-gpu-storage-as-int", "ModuleOp"> {
  let summary = "Store bfloat16 as i16 and complex<f32> as i64 in a GPU module";
  let description = [{
    SPIR-V and MSL have no complex type (and bf16 only through extensions).
    After arith-emulate-unsupported-floats and arith-expand{include-bf16}, bf16
    values are only stored and moved; after convert-complex-to-standard, complex
    values are only stored, moved, built (complex.create, complex.constant) and
    taken apart (complex.re, complex.im). This pass makes that storage integer,
    module-wide so host functions, globals, kernels and their launches agree:
    memrefs, globals, function signatures and values of bf16 become i16 and of
    complex<f32> i64 (same bytes: the real part in the low word), i16 <-> bf16
    bitcasts disappear and the complex ops become shifts and bitcasts. Fails on
    bf16 arithmetic or complex ops that are left. It also rounds f32 -> f16 in
    integer ops.
  }];
}

def SPIRVNoContraction : Pass<"mxc-spirv-no-contraction"> {
  let summary = "Decorate float arithmetic in SPIR-V NoContraction (exact, as on the CPU)";
  let description = [{
    Drivers may otherwise reassociate and fuse float arithmetic (Mesa folds
    (1 + x) - 1 to x, breaking log1p and expm1).
  }];
  let dependentDialects = ["::mlir::spirv::SPIRVDialect"];
}

def GPUScalarArgs : Pass<"mxc-gpu-scalar-args", "func::FuncOp"> {
  let summary = "Pass one-element constants and read-only arguments to kernels by value";
  let description = [{
    Before gpu-kernel-outlining: loads of one-element constants inside gpu.launch
    become arith.constant; loads of read-only one-element function arguments
    (32/64-bit) become one host-side load per launch, so the kernel receives the
    value (mxc-spirv-push-constants then makes it a push constant).
  }];
  let options = [
    Option<"maxPushBytes", "max-push-bytes", "int64_t", "128",
           "push-constant bytes a kernel may use">
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::memref::MemRefDialect"];
}

def SPIRVPushConstants : Pass<"mxc-spirv-push-constants", "::mlir::spirv::ModuleOp"> {
  let summary = "Move a kernel's scalar arguments from storage buffers to push constants";
  let description = [{
    After spirv-lower-abi-attrs: each storage-buffer variable holding one scalar
    (a scalar kernel argument) becomes a member of one PushConstant block, in
    argument order at naturally aligned offsets; the remaining storage buffers
    are renumbered 0, 1, ... in argument order. The `mxc.push_layout` attribute
    on the module records (binding of the argument, offset, bytes) per member.
  }];
  let dependentDialects = ["::mlir::spirv::SPIRVDialect"];
}

#endif // MXC_PASSES
