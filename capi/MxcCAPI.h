//===- MxcCAPI.h - C entry points for the Python module ---------*- C -*-===//
// The nanobind module is built with RTTI and exceptions, the dialect without: the
// two meet only through these C functions (upstream's examples/standalone pattern).
#ifndef MXC_CAPI_H
#define MXC_CAPI_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Registers and loads the `array` dialect in `context`.
MLIR_CAPI_EXPORTED void mxcRegisterArrayDialect(MlirContext context);
/// Registers mxc's passes and pipelines in the global pass registry (idempotent).
MLIR_CAPI_EXPORTED void mxcRegisterPasses(void);

/// Serializes a `spirv.module` to a SPIR-V binary, passed to `sink` as words.
/// Fails (with a diagnostic on the context) if `module` is not a spirv.module or
/// does not serialize.
MLIR_CAPI_EXPORTED MlirLogicalResult mxcSerializeSPIRV(
    MlirOperation module, void (*sink)(const uint32_t *, size_t, void *), void *userData);

#ifdef __cplusplus
}
#endif
#endif // MXC_CAPI_H
