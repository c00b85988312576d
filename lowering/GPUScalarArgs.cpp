//===- GPUScalarArgs.cpp - mxc-gpu-scalar-args --------------------------------===//
//
// Scalars reach kernels by value, not each in a storage buffer of its own
// (Vulkan guarantees only 4 storage buffers per stage):
//   - a one-element constant (memref.get_global) read by a kernel is sunk into
//     it as an arith.constant;
//   - a one-element function argument that is only ever read (a program input:
//     a Python scalar or a 0-d array such as a learning rate) is loaded on the
//     host side of the launch, so outlining makes it a scalar kernel argument;
//     mxc-spirv-push-constants then puts those in the kernel's push constants
//     and the runtime fills them from the input at each run.
// Only 32- and 64-bit scalars move (push constants of 8/16-bit types need
// device features), at most `max-push-bytes` per kernel.
//
//===----------------------------------------------------------------------===//
#include "lowering/Passes.h"

#include "llvm/ADT/MapVector.h"

namespace mlir::array {
#define GEN_PASS_DEF_GPUSCALARARGS
#include "lowering/Passes.h.inc"
} // namespace mlir::array

using namespace mlir;

namespace {
bool isOneElement(Type t) {
  auto m = dyn_cast<MemRefType>(t);
  return m && m.hasStaticShape() && m.getNumElements() == 1 && m.getLayout().isIdentity();
}

bool isPushable(Type elem) {
  return (isa<FloatType>(elem) || elem.isSignlessInteger()) &&
         (elem.getIntOrFloatBitWidth() == 32 || elem.getIntOrFloatBitWidth() == 64);
}

/// Every use of `v` is a memref.load.
bool onlyLoaded(Value v) {
  return llvm::all_of(v.getUsers(), [](Operation *u) { return isa<memref::LoadOp>(u); });
}

struct GPUScalarArgsPass : array::impl::GPUScalarArgsBase<GPUScalarArgsPass> {
  using GPUScalarArgsBase::GPUScalarArgsBase;
  void runOnOperation() override {
    func::FuncOp fn = getOperation();
    if (fn.isExternal())
      return;
    // Constants: sink their value.
    fn.walk([&](memref::LoadOp load) {
      auto get = load.getMemRef().getDefiningOp<memref::GetGlobalOp>();
      if (!get || !isOneElement(get.getType()) || !load->getParentOfType<gpu::LaunchOp>())
        return;
      auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
          get, get.getNameAttr());
      auto init = global ? dyn_cast_or_null<DenseElementsAttr>(global.getInitialValueAttr())
                         : DenseElementsAttr();
      if (!global || !global.getConstant() || !init)
        return;
      OpBuilder b(load);
      TypedAttr v = cast<TypedAttr>(*init.getValues<Attribute>().begin());
      load.replaceAllUsesWith(arith::ConstantOp::create(b, load.getLoc(), v).getResult());
      load.erase();
    });
    // Read-only one-element arguments: load on the host, per launch.
    SmallVector<BlockArgument> scalars;
    for (BlockArgument a : fn.getArguments())
      if (isOneElement(a.getType()) &&
          isPushable(cast<MemRefType>(a.getType()).getElementType()) && onlyLoaded(a))
        scalars.push_back(a);
    SmallVector<gpu::LaunchOp> launches;
    fn.walk([&](gpu::LaunchOp l) { launches.push_back(l); });
    for (gpu::LaunchOp launch : launches) {
      int64_t bytes = 0;
      for (BlockArgument a : scalars) {
        SmallVector<memref::LoadOp> loads;
        for (Operation *u : a.getUsers())
          if (launch->isProperAncestor(u))
            loads.push_back(cast<memref::LoadOp>(u));
        if (loads.empty())
          continue;
        Type t = cast<MemRefType>(a.getType()).getElementType();
        int64_t size = t.getIntOrFloatBitWidth() / 8;
        if (bytes + 2 * size > maxPushBytes)  // room for alignment
          continue;
        bytes = (bytes + size - 1) / size * size + size;
        OpBuilder b(launch);
        auto type = cast<MemRefType>(a.getType());
        SmallVector<Value> zeros(type.getRank(),
                                 arith::ConstantIndexOp::create(b, launch.getLoc(), 0));
        Value v = memref::LoadOp::create(b, launch.getLoc(), a, zeros);
        for (memref::LoadOp l : loads) {
          l.replaceAllUsesWith(v);
          l.erase();
        }
      }
    }
  }
};
} // namespace
