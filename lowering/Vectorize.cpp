//===- Vectorize.cpp - array-vectorize --------------------------------------===//
//
// A short driver: each array.vmap becomes a call to a generated function;
// TransformExpander re-emits the callee batched, asking each op for its rule
// (BatchableOpInterface, implemented in dialect/ArrayBatching.cpp).
//
//===----------------------------------------------------------------------===//
#include "lowering/Passes.h"
#include "lowering/TransformExpander.h"

namespace mlir::array {
#define GEN_PASS_DEF_ARRAYVECTORIZE
#include "lowering/Passes.h.inc"
} // namespace mlir::array

using namespace mlir;
using namespace mlir::array;

namespace {
struct ArrayVectorizePass : array::impl::ArrayVectorizeBase<ArrayVectorizePass> {
  void runOnOperation() override {
    SymbolTableCollection symbols;
    TransformExpander expander(symbols);
    if (failed(expander.expandAll(getOperation(),
                                  [](Operation *op) { return isa<VmapOp>(op); })))
      signalPassFailure();
  }
};
} // namespace
