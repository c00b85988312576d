//===- DistinctResults.cpp - mxc-distinct-results ---------------------------===//
//
// After CSE a public function may return one value twice (two outputs that
// compute the same thing). Each result becomes a caller-owned out-parameter, and
// buffer-results-to-out-params' hoisting cannot give one buffer two homes (it
// crashes upstream). This pass makes every returned value distinct by copying
// repeats on tensors, before bufferization.
//
//===----------------------------------------------------------------------===//
#include "lowering/Passes.h"

#include "llvm/ADT/DenseSet.h"

namespace mlir::array {
#define GEN_PASS_DEF_DISTINCTRESULTS
#include "lowering/Passes.h.inc"
} // namespace mlir::array

using namespace mlir;

namespace {
struct DistinctResultsPass : array::impl::DistinctResultsBase<DistinctResultsPass> {
  void runOnOperation() override {
    getOperation().walk([](func::ReturnOp ret) {
      auto fn = dyn_cast<func::FuncOp>(ret->getParentOp());
      if (!fn || !fn.isPublic())
        return;
      llvm::DenseSet<Value> seen;
      OpBuilder b(ret);
      for (OpOperand &operand : ret->getOpOperands()) {
        Value v = operand.get();
        auto type = dyn_cast<RankedTensorType>(v.getType());
        if (!type || seen.insert(v).second)
          continue;
        Value init = tensor::EmptyOp::create(b, ret.getLoc(), type.getShape(),
                                             type.getElementType());
        operand.set(linalg::CopyOp::create(b, ret.getLoc(), v, init).getResult(0));
      }
    });
  }
};
} // namespace
