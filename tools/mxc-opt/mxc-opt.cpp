//===- mxc-opt.cpp - mlir-opt with the `array` dialect and mxc passes -----===//
#include "dialect/ArrayOps.h"
#include "lowering/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::array::registerMxcPassesAndPipelines();
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<mlir::array::ArrayDialect>();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "mxc optimizer driver\n", registry));
}
