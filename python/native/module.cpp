//===- module.cpp - the `mxc._mxc` extension -------------------------------===//
// Connects the `array` dialect and mxc's passes to the MLIR of `import mlir`.
#include "capi/MxcCAPI.h"
#include "mlir-c/Bindings/Python/Interop.h"

#include <nanobind/nanobind.h>

namespace nb = nanobind;

static MlirContext contextFrom(nb::handle context) {
  nb::object capsule = nb::getattr(context, MLIR_PYTHON_CAPI_PTR_ATTR);
  MlirContext ctx = mlirPythonCapsuleToContext(capsule.ptr());
  if (mlirContextIsNull(ctx))
    throw nb::type_error("expected an mlir.ir.Context");
  return ctx;
}

NB_MODULE(_mxc, m) {
  m.doc() = "mxc native parts: the `array` dialect and mxc's passes";
  m.def(
      "register_dialect",
      [](nb::handle context) { mxcRegisterArrayDialect(contextFrom(context)); },
      nb::arg("context"), "Register and load the `array` dialect in an mlir.ir.Context.");
  m.def("register_passes", &mxcRegisterPasses,
        "Register mxc's passes and pipelines with MLIR's global pass registry.");
}
