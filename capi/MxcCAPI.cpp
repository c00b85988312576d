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

#include "mlir/Dialect/SPIRV/IR/SPIRVOps.h"
#include "mlir/Target/SPIRV/Serialization.h"

MlirLogicalResult mxcSerializeSPIRV(MlirOperation module,
                                    void (*sink)(const uint32_t *, size_t, void *),
                                    void *userData) {
  auto spirvModule = llvm::dyn_cast<mlir::spirv::ModuleOp>(unwrap(module));
  if (!spirvModule)
    return mlirLogicalResultFailure();
  llvm::SmallVector<uint32_t> words;
  if (mlir::failed(mlir::spirv::serialize(spirvModule, words)))
    return mlirLogicalResultFailure();
  sink(words.data(), words.size(), userData);
  return mlirLogicalResultSuccess();
}
