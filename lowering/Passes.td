//===- Passes.td - mxc passes ------------------------------------*- tablegen -*-===//
#ifndef MXC_PASSES
#define MXC_PASSES

include "mlir/Pass/PassBase.td"

def ConvertArrayToLinalg : Pass<"convert-array-to-linalg", "ModuleOp"> {
  let summary = "Lower `array` ops to linalg, tensor, arith, math and scf";
  let description = [{
    Every non-transform `array` op becomes linalg on tensors (named ops or generics),
    tensor ops, or scf loops for scans, sorts and scatters. Unsigned element types
    become signless with unsigned arithmetic; function signatures are converted
    alongside. Transform ops (`vjp`, `jvp`, `vmap`) must be expanded first.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect", "::mlir::func::FuncDialect",
    "::mlir::complex::ComplexDialect", "::mlir::bufferization::BufferizationDialect"
  ];
}

#endif // MXC_PASSES
