//===- Autodiff.cpp - array-autodiff ---------------------------------------===//
//
// A short driver: each array.vjp / array.jvp becomes a call to a generated
// function; TransformExpander recomputes the callee and asks each op for its rule
// (DifferentiableOpInterface, implemented in dialect/ArrayDerivatives.cpp).
//
//===----------------------------------------------------------------------===//
#include "lowering/Passes.h"
#include "lowering/TransformExpander.h"

namespace mlir::array {
#define GEN_PASS_DEF_ARRAYAUTODIFF
#include "lowering/Passes.h.inc"
} // namespace mlir::array

using namespace mlir;
using namespace mlir::array;

namespace {
struct ArrayAutodiffPass : array::impl::ArrayAutodiffBase<ArrayAutodiffPass> {
  void runOnOperation() override {
    SymbolTableCollection symbols;
    TransformExpander expander(symbols);
    if (failed(expander.expandAll(getOperation(),
                                  [](Operation *op) { return isa<VjpOp, JvpOp>(op); })))
      signalPassFailure();
  }
};
} // namespace
