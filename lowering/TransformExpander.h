//===- TransformExpander.h - expansion of vjp, jvp and vmap -----*- C++ -*-===//
//
// The shared engine of `array-autodiff` and `array-vectorize`. Expanding a
// transform op re-emits the body of the function it names ("flattening") with
// nested transforms and calls expanded in place, innermost first, then applies
// the ops' rules: DifferentiableOpInterface in reverse (vjp) or forward (jvp)
// order, BatchableOpInterface (vmap). So transforms mix and nest to any depth.
//
//===----------------------------------------------------------------------===//
#ifndef MXC_LOWERING_TRANSFORMEXPANDER_H
#define MXC_LOWERING_TRANSFORMEXPANDER_H

#include "dialect/ArrayOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::array {

class TransformExpander {
public:
  explicit TransformExpander(SymbolTableCollection &symbols) : symbols(symbols) {}

  /// Re-emits the body of `fn` at `b` with its arguments bound to `args`.
  FailureOr<SmallVector<Value>> flatten(OpBuilder &b, func::FuncOp fn, ValueRange args,
                                        int depth);
  /// Results of `callee(primals)`, then the cotangents of the `wrt` arguments.
  FailureOr<SmallVector<Value>> expandVjp(OpBuilder &b, Location loc, func::FuncOp callee,
                                          ValueRange primals, ValueRange cotangents,
                                          ArrayRef<int64_t> wrt, int depth);
  /// Results of `callee(primals)`, then their tangents.
  FailureOr<SmallVector<Value>> expandJvp(OpBuilder &b, Location loc, func::FuncOp callee,
                                          ValueRange primals, ValueRange tangents, int depth);
  /// Results of `callee` mapped over the batch axes `inAxes` (-1: shared).
  FailureOr<SmallVector<Value>> expandVmap(OpBuilder &b, Location loc, func::FuncOp callee,
                                           ValueRange inputs, ArrayRef<int64_t> inAxes,
                                           ArrayRef<int64_t> outAxes, int depth);

  /// Replaces each op of `module` for which `select` holds by a call to a new
  /// private function (named after the callee plus `suffix`) holding its expansion.
  LogicalResult expandAll(ModuleOp module, function_ref<bool(Operation *)> select);

private:
  FailureOr<func::FuncOp> lookup(Operation *from, FlatSymbolRefAttr name);
  FailureOr<SmallVector<Value>> expandOp(OpBuilder &b, Operation *op, ValueRange operands,
                                         int depth);

  SymbolTableCollection &symbols;
};

} // namespace mlir::array

#endif // MXC_LOWERING_TRANSFORMEXPANDER_H
