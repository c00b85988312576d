//===- SPIRVPushConstants.cpp - mxc-spirv-push-constants ----------------------===//
//
// convert-gpu-to-spirv gives every kernel argument a storage buffer, scalars
// included (a struct of one member, read once at entry after
// spirv-lower-abi-attrs). This pass moves the scalars into the kernel's one
// push-constant block: members in argument order at naturally aligned offsets,
// and renumbers the remaining storage buffers 0, 1, ... in argument order. The
// module's `mxc.push_layout` attribute records, per member, the argument's
// original binding (its kernel argument index), offset and size, which the host
// program uses to fill the block.
//
//===----------------------------------------------------------------------===//
#include "lowering/Passes.h"

#include "mlir/Dialect/SPIRV/IR/SPIRVDialect.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVOps.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVTypes.h"

namespace mlir::array {
#define GEN_PASS_DEF_SPIRVPUSHCONSTANTS
#include "lowering/Passes.h.inc"
} // namespace mlir::array

using namespace mlir;

namespace {
/// The scalar a storage-buffer variable holds, if it holds exactly one.
Type scalarOf(spirv::GlobalVariableOp v) {
  auto ptr = dyn_cast<spirv::PointerType>(v.getType());
  if (!ptr || ptr.getStorageClass() != spirv::StorageClass::StorageBuffer)
    return {};
  auto st = dyn_cast<spirv::StructType>(ptr.getPointeeType());
  if (!st || st.getNumElements() != 1)
    return {};
  Type t = st.getElementType(0);
  return isa<IntegerType, FloatType>(t) ? t : Type();
}

struct SPIRVPushConstantsPass : array::impl::SPIRVPushConstantsBase<SPIRVPushConstantsPass> {
  void runOnOperation() override {
    spirv::ModuleOp module = getOperation();
    SmallVector<spirv::GlobalVariableOp> buffers;
    for (auto v : module.getOps<spirv::GlobalVariableOp>())
      if (v.getBinding())
        buffers.push_back(v);
    llvm::sort(buffers, [](spirv::GlobalVariableOp a, spirv::GlobalVariableOp b) {
      return *a.getBinding() < *b.getBinding();
    });
    SmallVector<spirv::GlobalVariableOp> scalars;
    SmallVector<Type> memberTypes;
    SmallVector<spirv::StructType::OffsetInfo> offsets;
    SmallVector<Attribute> layout;
    Builder attrs(&getContext());
    uint32_t next = 0, offset = 0;
    for (spirv::GlobalVariableOp v : buffers) {
      Type t = scalarOf(v);
      if (!t) {
        v.setBinding(next++);
        continue;
      }
      uint32_t size = t.getIntOrFloatBitWidth() / 8;
      offset = (offset + size - 1) / size * size;
      layout.push_back(attrs.getDenseI32ArrayAttr(
          {(int32_t)*v.getBinding(), (int32_t)offset, (int32_t)size}));
      scalars.push_back(v);
      memberTypes.push_back(t);
      offsets.push_back(offset);
      offset += size;
    }
    if (scalars.empty())
      return;
    auto blockType = spirv::PointerType::get(spirv::StructType::get(memberTypes, offsets),
                                             spirv::StorageClass::PushConstant);
    OpBuilder b(scalars.front());
    auto block = spirv::GlobalVariableOp::create(b, scalars.front().getLoc(), blockType,
                                                 "__mxc_push_constants");
    // addressof @scalar -> access chain [0] -> load  becomes
    // addressof @block -> access chain [k] -> load.
    for (auto [k, var] : llvm::enumerate(scalars)) {
      SmallVector<spirv::AddressOfOp> refs;
      module.walk([&](spirv::AddressOfOp a) {
        if (a.getVariable() == var.getSymName())
          refs.push_back(a);
      });
      for (spirv::AddressOfOp ref : refs) {
        OpBuilder rb(ref);
        Value base = spirv::AddressOfOp::create(rb, ref.getLoc(), block);
        Value index = spirv::ConstantOp::create(rb, ref.getLoc(), rb.getI32Type(),
                                                rb.getI32IntegerAttr((int32_t)k));
        for (Operation *user : llvm::make_early_inc_range(ref->getUsers())) {
          auto chain = dyn_cast<spirv::AccessChainOp>(user);
          if (!chain || chain.getIndices().size() != 1) {
            user->emitOpError("unexpected use of a scalar kernel argument");
            return signalPassFailure();
          }
          OpBuilder cb(chain);
          Value member = spirv::AccessChainOp::create(cb, chain.getLoc(), base, ValueRange{index});
          for (Operation *u : llvm::make_early_inc_range(chain->getUsers())) {
            auto load = dyn_cast<spirv::LoadOp>(u);
            if (!load) {
              u->emitOpError("unexpected use of a scalar kernel argument");
              return signalPassFailure();
            }
            OpBuilder lb(load);
            load.replaceAllUsesWith(spirv::LoadOp::create(lb, load.getLoc(), member).getResult());
            load.erase();
          }
          chain.erase();
        }
        ref.erase();
      }
      var.erase();
    }
    module->setAttr("mxc.push_layout", attrs.getArrayAttr(layout));
  }
};
} // namespace
