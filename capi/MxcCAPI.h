//===- MxcCAPI.h - C entry points for the Python module ---------*- C -*-===//
// The nanobind module is built with RTTI and exceptions, the dialect without: the
// two meet only through these C functions (upstream's examples/standalone pattern).
#ifndef MXC_CAPI_H
#define MXC_CAPI_H

#include "mlir-c/IR.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Registers and loads the `array` dialect in `context`.
MLIR_CAPI_EXPORTED void mxcRegisterArrayDialect(MlirContext context);
/// Registers mxc's passes and pipelines in the global pass registry (idempotent).
MLIR_CAPI_EXPORTED void mxcRegisterPasses(void);

#ifdef __cplusplus
}
#endif
#endif // MXC_CAPI_H
