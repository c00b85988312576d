//===- SPIRVNoContraction.cpp - mxc-spirv-no-contraction ----------------------===//
//
// Decorates every float arithmetic op of a spirv.module NoContraction. Without
// it Vulkan drivers may treat float arithmetic as reassociable: Mesa's NIR folds
// (1 + x) - 1 to x, which undoes the exactness tricks of log1p, expm1 and friends
// (thousands of ulp lost on lavapipe), and fuses a * b + c. The CPU path does
// neither (LLVM without fast-math), so with this the GPU computes what the CPU
// does, operation by operation. Kernels that tile through workgroup memory (the
// matmuls and reductions) keep contraction: a matmul's a * b + c is an FMA, as in
// the CPU's BLAS, and without it the H100's f32 matmul peak halves.
//
// Where the target environment allows them (the device reported the float
// controls), every entry point also gets the execution modes
// SignedZeroInfNanPreserve 32 and DenormPreserve 32: without them a driver may
// assume no NaN and flush subnormals, and the H100's did both (exp(NaN) = 0 through
// the approximations' clamps; inf * 1e-45 = NaN, NaN ** 1e-45 = 1).
//
//===----------------------------------------------------------------------===//
#include "lowering/Passes.h"

#include "mlir/Dialect/SPIRV/IR/SPIRVDialect.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVOps.h"
#include "mlir/Dialect/SPIRV/IR/TargetAndABI.h"

namespace mlir::array {
#define GEN_PASS_DEF_SPIRVNOCONTRACTION
#include "lowering/Passes.h.inc"
} // namespace mlir::array

using namespace mlir;

namespace {
struct SPIRVNoContractionPass
    : array::impl::SPIRVNoContractionBase<SPIRVNoContractionPass> {
  void runOnOperation() override {
    auto unit = UnitAttr::get(&getContext());
    getOperation()->walk([&](spirv::EntryPointOp entry) {
      spirv::TargetEnv env(spirv::lookupTargetEnvOrDefault(entry));
      auto fn = SymbolTable::lookupNearestSymbolFrom<spirv::FuncOp>(entry, entry.getFnAttr());
      OpBuilder b(entry);
      b.setInsertionPointAfter(entry);
      for (auto [cap, mode] : {std::pair(spirv::Capability::SignedZeroInfNanPreserve,
                                         spirv::ExecutionMode::SignedZeroInfNanPreserve),
                               std::pair(spirv::Capability::DenormPreserve,
                                         spirv::ExecutionMode::DenormPreserve)})
        if (fn && env.allows(cap))
          spirv::ExecutionModeOp::create(b, entry.getLoc(), fn, mode, ArrayRef<int32_t>{32});
    });
    getOperation()->walk([&](spirv::FuncOp fn) {
      bool tiled = false;
      fn.walk([&](spirv::AddressOfOp addr) {
        auto ptr = dyn_cast<spirv::PointerType>(addr.getPointer().getType());
        tiled |= ptr && ptr.getStorageClass() == spirv::StorageClass::Workgroup;
      });
      if (tiled)
        return;
      fn.walk([&](Operation *op) {
        if (isa<spirv::FAddOp, spirv::FSubOp, spirv::FMulOp, spirv::FDivOp, spirv::FRemOp,
                spirv::FModOp, spirv::FNegateOp, spirv::VectorTimesScalarOp, spirv::DotOp>(op))
          op->setAttr("no_contraction", unit);
      });
    });
  }
};
} // namespace
