//===- Pipelines.cpp - pass registration and named pipelines -------------===//
//
// The CPU path in three stages, each a named pipeline so every step of a program
// can be replayed with mxc-opt:
//   mxc-transforms      vmap/vjp/jvp expanded into plain `array` ops, inlined
//   convert-array-to-linalg
//   mxc-linalg-to-llvm  fusion, bufferization, loops, LLVM dialect
// and `mxc-cpu`, all three in a row (what the Python side runs).
//
//===----------------------------------------------------------------------===//
#include "lowering/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include <string>

using namespace mlir;

namespace {
constexpr const char *kTransformsPipeline =
    "array-vectorize,array-autodiff,inline,symbol-dce,canonicalize,cse";

/// Public functions get out-params for their results so the caller owns every
/// buffer, and bare pointers for memrefs (all shapes are static).
/// `parallel`: large loop nests become OpenMP work-sharing loops (the JIT links
/// libomp); row tiles of fused reductions are independent, so they run in
/// parallel too.
std::string linalgToLLVMPipeline(bool parallel, int64_t tileElements, int64_t minWork) {
  std::string tiles = "tile-elements=" + std::to_string(tileElements);
  return "func.func(canonicalize,cse,mxc-fuse-elementwise,canonicalize,mxc-fuse-rows{" + tiles +
         (parallel ? " parallel=true},mxc-parallelize{" + tiles +
                         " min-work=" + std::to_string(minWork) + "}," : "},") +
         "canonicalize,cse),"
         "mxc-distinct-results,"
         "one-shot-bufferize{bufferize-function-boundaries allow-return-allocs-from-loops "
         "function-boundary-type-conversion=identity-layout-map},"
         "canonicalize,buffer-results-to-out-params{hoist-static-allocs modify-public-functions},"
         // Per-tile temporaries stay inside scf.parallel: buffer-loop-hoisting
         // does not hoist out of it (each thread needs its own).
         + (parallel ? "scf-forall-to-parallel," : "") +
         "func.func(buffer-loop-hoisting),buffer-deallocation-pipeline,mxc-matmul-to-blas,"
         "func.func(convert-linalg-to-loops),"
         "canonicalize,"
         "expand-strided-metadata,lower-affine," +
         // convert-scf-to-openmp wraps each body in a memref.alloca_scope, which
         // canonicalize inlines (there are no allocas).
         (parallel ? "convert-scf-to-openmp,canonicalize," : "") +
         "func.func(math-extend-to-supported-types{extra-types=f32 target-type=f32}),"
         "arith-emulate-unsupported-floats{source-types=bf16,f16 target-type=f32},"
         "mxc-round-each-op,convert-complex-to-standard,convert-math-to-funcs,arith-expand,convert-scf-to-cf,"
         "convert-math-to-llvm,"
         "convert-math-to-libm,convert-arith-to-llvm,convert-complex-to-llvm,"
         "finalize-memref-to-llvm{use-aligned-alloc},convert-func-to-llvm{use-bare-ptr-memref-call-conv},"
         "convert-cf-to-llvm,convert-index-to-llvm," +
         (parallel ? "convert-openmp-to-llvm," : "") + "reconcile-unrealized-casts";
}

struct CPUPipelineOptions : public PassPipelineOptions<CPUPipelineOptions> {
  Option<bool> parallel{*this, "parallel",
                        llvm::cl::desc("Run large loop nests on OpenMP threads (libomp)"),
                        llvm::cl::init(false)};
  Option<int64_t> tileElements{*this, "tile-elements",
                               llvm::cl::desc("Loop iterations in one row tile (about)"),
                               llvm::cl::init(16384)};
  Option<int64_t> minWork{*this, "min-work",
                          llvm::cl::desc("Fewest loop iterations worth a parallel loop"),
                          llvm::cl::init(65536)};
};

/// The GPU path: fuse, bufferize (the caller owns every buffer; the host program
/// frees temporaries, so no deallocation is inserted), generalize and distribute
/// each linalg op to a gpu.launch, fold views into kernel indices.
constexpr const char *kLinalgToGPUPipeline =
    "func.func(canonicalize,cse,mxc-fuse-elementwise{max-operands=30},canonicalize),"
    "mxc-distinct-results,"
    "one-shot-bufferize{bufferize-function-boundaries allow-return-allocs-from-loops "
    "function-boundary-type-conversion=identity-layout-map},"
    "buffer-results-to-out-params{hoist-static-allocs modify-public-functions},"
    "canonicalize,func.func(linalg-generalize-named-ops,mxc-linalg-to-gpu),"
    "canonicalize,cse,fold-memref-alias-ops,func.func(convert-linalg-to-loops),"
    "fold-memref-alias-ops,lower-affine,canonicalize,cse";

/// Outlines the launches and converts each kernel module to SPIR-V (the default
/// target environment is Vulkan 1.1's baseline plus 8/16-bit storage; the Python
/// driver attaches one made from the device's reported features instead).
constexpr const char *kGPUToSPIRVPipeline =
    "func.func(mxc-gpu-scalar-args),gpu-launch-sink-index-computations,gpu-kernel-outlining,"
    "gpu.module(convert-complex-to-standard,math-extend-to-supported-types{target-type=f32},"
    "mxc-round-each-op,"
    "math-expand-ops{ops=ctlz,tan,cosh,fma,exp2,fpowi,roundeven,round,rsqrt,clampf},"
    "mxc-gpu-math,math-expand-ops{ops=fma},arith-emulate-unsupported-floats{source-types=bf16,f16 target-type=f32},"
    "mxc-round-each-op,arith-expand{include-bf16=true}),"
    "mxc-gpu-storage-as-int,gpu.module(canonicalize,convert-math-to-spirv,convert-scf-to-cf),"
    "convert-gpu-to-spirv{use-64bit-index=false},"
    "spirv.module(spirv-lower-abi-attrs,mxc-spirv-push-constants,mxc-spirv-no-contraction,"
    "spirv-update-vce)";

void registerPipeline(const char *name, const char *summary, std::string text) {
  PassPipelineRegistration<>(name, summary, [name, text](OpPassManager &pm) {
    if (failed(parsePassPipeline(text, pm)))
      llvm::report_fatal_error(llvm::Twine(name) + ": bad pipeline text");
  });
}

void registerCPUPipeline(const char *name, const char *summary, std::string prefix) {
  PassPipelineRegistration<CPUPipelineOptions>(
      name, summary, [name, prefix](OpPassManager &pm, const CPUPipelineOptions &options) {
        if (failed(parsePassPipeline(prefix + linalgToLLVMPipeline(options.parallel, options.tileElements,
                                                                  options.minWork), pm)))
          llvm::report_fatal_error(llvm::Twine(name) + ": bad pipeline text");
      });
}
} // namespace

void mlir::array::registerMxcPassesAndPipelines() {
  registerMxcPasses();
  registerPipeline("mxc-transforms",
                   "Expand vmap/vjp/jvp into plain `array` ops, inline and clean up",
                   kTransformsPipeline);
  registerCPUPipeline("mxc-linalg-to-llvm",
                      "Fuse, bufferize and lower linalg on tensors to the LLVM dialect (CPU)", "");
  registerPipeline("mxc-linalg-to-gpu-launch",
                   "Fuse, bufferize and distribute linalg on tensors to gpu.launch kernels",
                   kLinalgToGPUPipeline);
  registerPipeline("mxc-gpu-to-spirv",
                   "Outline gpu.launch kernels and convert them to spirv.module",
                   kGPUToSPIRVPipeline);
  registerCPUPipeline("mxc-cpu", "Lower `array` functions to the LLVM dialect for the CPU JIT",
                      std::string(kTransformsPipeline) + ",convert-array-to-linalg,");
}
