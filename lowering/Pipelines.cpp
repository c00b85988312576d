//===- Pipelines.cpp - pass registration and named pipelines -------------===//
#include "lowering/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

namespace {
/// `array` to LLVM dialect for the CPU JIT. Public functions get out-params for
/// their results so the caller owns every buffer, and bare pointers for memrefs
/// (all shapes are static).
/// Function transforms expanded into plain `array` ops, inlined and cleaned up.
constexpr const char *kTransformsPipeline =
    "array-autodiff,inline,symbol-dce,canonicalize,cse";

constexpr const char *kCpuPipeline =
    "array-autodiff,inline,symbol-dce,canonicalize,cse,"
    "convert-array-to-linalg,"
    "func.func(canonicalize,cse,linalg-fuse-elementwise-ops,canonicalize),"
    "one-shot-bufferize{bufferize-function-boundaries allow-return-allocs-from-loops "
    "function-boundary-type-conversion=identity-layout-map},"
    "buffer-results-to-out-params{hoist-static-allocs modify-public-functions},"
    "buffer-deallocation-pipeline,func.func(convert-linalg-to-loops),"
    "canonicalize,"
    "expand-strided-metadata,lower-affine,"
    "func.func(math-extend-to-supported-types{extra-types=f32 target-type=f32}),"
    "arith-emulate-unsupported-floats{source-types=bf16,f16 target-type=f32},"
    "arith-expand,convert-scf-to-cf,convert-math-to-llvm,convert-math-to-libm,"
    "convert-arith-to-llvm,convert-complex-to-llvm,finalize-memref-to-llvm,"
    "convert-func-to-llvm{use-bare-ptr-memref-call-conv},convert-cf-to-llvm,"
    "convert-index-to-llvm,reconcile-unrealized-casts";
} // namespace

void mlir::array::registerMxcPassesAndPipelines() {
  registerMxcPasses();
  PassPipelineRegistration<>(
      "mxc-transforms", "Expand vjp/jvp/vmap into plain `array` ops and clean up",
      [](OpPassManager &pm) {
        if (failed(parsePassPipeline(kTransformsPipeline, pm)))
          llvm::report_fatal_error("mxc-transforms: bad pipeline text");
      });
  PassPipelineRegistration<>(
      "mxc-cpu", "Lower `array` functions to the LLVM dialect for the CPU JIT",
      [](OpPassManager &pm) {
        if (failed(parsePassPipeline(kCpuPipeline, pm)))
          llvm::report_fatal_error("mxc-cpu: bad pipeline text");
      });
}
