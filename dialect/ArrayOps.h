//===- ArrayOps.h - the `array` dialect -------------------------*- C++ -*-===//
#ifndef MXC_DIALECT_ARRAYOPS_H
#define MXC_DIALECT_ARRAYOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::array {
/// The i1 tensor with the shape of `type` (result type of comparisons).
Type getI1TensorLike(Type type);
/// The ui32 tensor with the shape of `type` (result type of argsort).
Type getUI32TensorLike(Type type);
} // namespace mlir::array

#include "dialect/ArrayDialect.h.inc"
#include "dialect/ArrayInterfaces.h.inc"

#define GET_OP_CLASSES
#include "dialect/ArrayOps.h.inc"

#endif // MXC_DIALECT_ARRAYOPS_H
