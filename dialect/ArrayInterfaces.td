//===- ArrayInterfaces.td - transform rules attached to array ops -*- tablegen -*-===//
//
// Every op carries its own derivative and batching rules (MLX keeps `jvp`, `vjp`
// and `vmap` beside each primitive; we keep them beside each op). The passes
// `array-autodiff` and `array-vectorize` are drivers that ask ops for these rules.
//
//===----------------------------------------------------------------------===//
#ifndef ARRAY_INTERFACES
#define ARRAY_INTERFACES

include "mlir/IR/OpBase.td"

def DifferentiableOpInterface : OpInterface<"DifferentiableOpInterface"> {
  let cppNamespace = "::mlir::array";
  let description = [{
    An op that knows its derivatives. `buildVJP` receives one cotangent per result
    (null for results that do not influence the output) and appends one cotangent per
    operand (null for operands that get none). `buildJVP` receives one tangent per
    operand (null when zero) and appends one tangent per result. Both emit only
    `array` ops, which have rules of their own: that is what makes higher order work.
  }];
  let methods = [
    InterfaceMethod<"Emit the vector-Jacobian product of this op.",
      "::llvm::LogicalResult", "buildVJP",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::ValueRange":$cotangents,
           "::llvm::SmallVectorImpl<::mlir::Value> &":$operandCotangents),
      /*methodBody=*/"", /*defaultImplementation=*/[{
        return $_op->emitOpError("VJP not implemented for ") << $_op->getName();
      }]>,
    InterfaceMethod<"Emit the Jacobian-vector product of this op.",
      "::llvm::LogicalResult", "buildJVP",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::ValueRange":$tangents,
           "::llvm::SmallVectorImpl<::mlir::Value> &":$resultTangents),
      /*methodBody=*/"", /*defaultImplementation=*/[{
        return $_op->emitOpError("JVP not implemented for ") << $_op->getName();
      }]>,
  ];
}

def BatchableOpInterface : OpInterface<"BatchableOpInterface"> {
  let cppNamespace = "::mlir::array";
  let description = [{
    An op that knows how to run over a batch. `operandBatchAxes` gives, per operand,
    the axis that carries the batch or -1 when the operand is not batched. The rule
    emits the batched computation and reports, per result, the new value and the
    axis its batch lives in.
  }];
  let methods = [
    InterfaceMethod<"Emit the batched form of this op.",
      "::llvm::LogicalResult", "buildBatched",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::ValueRange":$batchedOperands,
           "::llvm::ArrayRef<int64_t>":$operandBatchAxes, "int64_t":$batchSize,
           "::llvm::SmallVectorImpl<::mlir::Value> &":$results,
           "::llvm::SmallVectorImpl<int64_t> &":$resultBatchAxes),
      /*methodBody=*/"", /*defaultImplementation=*/[{
        return $_op->emitOpError("vmap not implemented for ") << $_op->getName();
      }]>,
  ];
}

#endif // ARRAY_INTERFACES
