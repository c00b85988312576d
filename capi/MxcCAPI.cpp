//===- MxcCAPI.cpp - C entry points for the Python module -----------------===//
#include "capi/MxcCAPI.h"

#include "dialect/ArrayOps.h"
#include "lowering/Passes.h"
#include "mlir/CAPI/IR.h"
#include "mlir/Dialect/Func/Extensions/InlinerExtension.h"

#include <mutex>

void mxcRegisterArrayDialect(MlirContext context) {
  mlir::MLIRContext *ctx = unwrap(context);
  mlir::DialectRegistry registry;
  registry.insert<mlir::array::ArrayDialect>();
  mlir::func::registerInlinerExtension(registry);
  ctx->appendDialectRegistry(registry);
  ctx->getOrLoadDialect<mlir::array::ArrayDialect>();
}

void mxcRegisterPasses(void) {
  static std::once_flag once;
  std::call_once(once, [] { mlir::array::registerMxcPassesAndPipelines(); });
}
