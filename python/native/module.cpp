//===- module.cpp - the `mxc._mxc` extension -------------------------------===//
//
// The native parts of the Python package:
//  - registration of the `array` dialect and mxc's passes with the MLIR of
//    `import mlir` (through the C API in capi/, since this file has RTTI);
//  - `ArrayBase`, the base type of `mxc.core.array`, which gives arrays the
//    buffer protocol (`memoryview(a)`, PyTorch, TensorFlow);
//  - `call_packed`, the fast path that runs a JIT-compiled function on buffers.
// What compiled code itself calls is in libmxc_cpu_runtime (cpu_runtime.cpp).
//
//===----------------------------------------------------------------------===//
#include "capi/MxcCAPI.h"
#include "lowering/SPIRVToMSL.h"
#include "mlir-c/Bindings/Python/Interop.h"
#include "mlir-c/ExecutionEngine.h"

#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <cstdint>
#include <cstring>
#include <vector>

namespace nb = nanobind;

namespace {
MlirContext contextFrom(nb::handle context) {
  nb::object capsule = nb::getattr(context, MLIR_PYTHON_CAPI_PTR_ATTR);
  MlirContext ctx = mlirPythonCapsuleToContext(capsule.ptr());
  if (mlirContextIsNull(ctx))
    throw nb::type_error("expected an mlir.ir.Context");
  return ctx;
}

// The buffer of an array is the buffer of the NumPy array its `_buffer_source()`
// returns (evaluating it first); that NumPy array becomes `view->obj`, which keeps
// the memory alive for as long as the view exists.
int arrayGetBuffer(PyObject *self, Py_buffer *view, int flags) {
  PyObject *source = PyObject_CallMethod(self, "_buffer_source", nullptr);
  if (!source)
    return -1;
  int rc = PyObject_GetBuffer(source, view, flags);
  Py_DECREF(source);
  return rc;
}

PyType_Slot arrayBaseSlots[] = {
    {Py_bf_getbuffer, reinterpret_cast<void *>(arrayGetBuffer)},
    {Py_tp_doc, const_cast<char *>("Base of mxc.core.array: the buffer protocol.")},
    {0, nullptr},
};

PyType_Spec arrayBaseSpec = {
    "mxc._mxc.ArrayBase", sizeof(PyObject), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, arrayBaseSlots};

/// MLIR's ExecutionEngine with the GIL released while LLVM optimizes and generates
/// code, so a program can be compiled on a background thread (the optimizing tier)
/// while Python goes on. The module must stay alive until construction returns.
class Engine {
public:
  Engine(nb::handle module, int optLevel, const std::vector<std::string> &libs,
         bool objectDump) {
    nb::object capsule = nb::getattr(module, MLIR_PYTHON_CAPI_PTR_ATTR);
    MlirModule m = mlirPythonCapsuleToModule(capsule.ptr());
    if (mlirModuleIsNull(m))
      throw nb::type_error("expected an mlir.ir.Module");
    std::vector<MlirStringRef> paths;
    for (const std::string &lib : libs)
      paths.push_back(mlirStringRefCreate(lib.data(), lib.size()));
    {
      nb::gil_scoped_release unlocked;
      // Code that is dumped (for the on-disk cache) is position independent, so it
      // links into a shared object.
      engine = mlirExecutionEngineCreate(m, optLevel, static_cast<int>(paths.size()),
                                         paths.data(), objectDump, /*enablePIC=*/objectDump);
    }
    if (mlirExecutionEngineIsNull(engine))
      throw std::runtime_error("the LLVM JIT could not compile the module");
  }
  Engine(const Engine &) = delete;
  ~Engine() {
    if (!mlirExecutionEngineIsNull(engine))
      mlirExecutionEngineDestroy(engine);
  }
  /// The address of `name`'s packed entry point (code generation happens here), or 0.
  uintptr_t lookup(const std::string &name) {
    nb::gil_scoped_release unlocked;
    return reinterpret_cast<uintptr_t>(mlirExecutionEngineLookupPacked(
        engine, mlirStringRefCreate(name.data(), name.size())));
  }
  void dump(const std::string &path) {
    mlirExecutionEngineDumpToObjectFile(engine, mlirStringRefCreate(path.data(), path.size()));
  }

private:
  MlirExecutionEngine engine{};
};

/// Runs `void fn(void **packed)` where packed[i] points at the data pointer of
/// buffers[i]: the ExecutionEngine's packed calling convention with bare-pointer
/// memrefs. The GIL is released while the compiled code runs.
void callPacked(uintptr_t fn, nb::sequence buffers) {
  size_t n = nb::len(buffers);
  std::vector<Py_buffer> views(n);
  std::vector<void *> data(n), packed(n);
  size_t acquired = 0;
  auto release = [&] {
    for (size_t i = 0; i < acquired; ++i)
      PyBuffer_Release(&views[i]);
  };
  for (size_t i = 0; i < n; ++i) {
    nb::object item = buffers[i];
    if (PyObject_GetBuffer(item.ptr(), &views[i], PyBUF_C_CONTIGUOUS) != 0) {
      release();
      throw nb::python_error();
    }
    ++acquired;
    data[i] = views[i].buf;
    packed[i] = &data[i];
  }
  {
    nb::gil_scoped_release unlocked;
    reinterpret_cast<void (*)(void **)>(fn)(packed.data());
  }
  release();
}
MlirOperation operationFrom(nb::handle op) {
  nb::object capsule = nb::getattr(op, MLIR_PYTHON_CAPI_PTR_ATTR);
  MlirOperation operation = mlirPythonCapsuleToOperation(capsule.ptr());
  if (mlirOperationIsNull(operation))
    throw nb::type_error("expected an mlir.ir.Operation");
  return operation;
}

nb::bytes serializeSPIRV(nb::handle op) {
  std::vector<uint32_t> words;
  auto sink = [](const uint32_t *data, size_t n, void *user) {
    static_cast<std::vector<uint32_t> *>(user)->assign(data, data + n);
  };
  if (mlirLogicalResultIsFailure(mxcSerializeSPIRV(operationFrom(op), sink, &words)))
    throw nb::value_error("SPIR-V serialization failed (expected a valid spirv.module)");
  return nb::bytes(reinterpret_cast<const char *>(words.data()), words.size() * 4);
}

std::string spirvToMSL(nb::bytes binary, unsigned numBindings) {
  if (binary.size() % 4)
    throw nb::value_error("a SPIR-V binary is a sequence of 32-bit words");
  std::vector<uint32_t> words(binary.size() / 4);
  std::memcpy(words.data(), binary.c_str(), binary.size());
  try {
    return mxc::spirvToMSL(words, numBindings);
  } catch (const std::runtime_error &e) {
    throw nb::value_error(e.what());
  }
}
} // namespace

NB_MODULE(_mxc, m) {
  m.doc() = "mxc native parts: the `array` dialect, mxc's passes, the array buffer type";
  m.def(
      "register_dialect",
      [](nb::handle context) { mxcRegisterArrayDialect(contextFrom(context)); },
      nb::arg("context"), "Register and load the `array` dialect in an mlir.ir.Context.");
  m.def("register_passes", &mxcRegisterPasses,
        "Register mxc's passes and pipelines with MLIR's global pass registry.");
  m.def("call_packed", &callPacked, nb::arg("function"), nb::arg("buffers"),
        "Call a packed JIT entry point on C-contiguous buffers (inputs, then outputs).");
  m.def("serialize_spirv", &serializeSPIRV, nb::arg("module"),
        "The SPIR-V binary (bytes) of a spirv.module operation.");
  m.def("spirv_to_msl", &spirvToMSL, nb::arg("binary"), nb::arg("num_bindings"),
        "Metal Shading Language for a SPIR-V compute kernel: binding i of set 0 is "
        "[[buffer(i)]], push constants follow at [[buffer(num_bindings)]].");
  // Compiled programs live in module-level caches until the interpreter exits.
  nb::set_leak_warnings(false);
  nb::class_<Engine>(m, "Engine", "MLIR's ExecutionEngine, compiling without the GIL.")
      .def(nb::init<nb::handle, int, const std::vector<std::string> &, bool>(),
           nb::arg("module"), nb::arg("opt_level"), nb::arg("shared_libs"),
           nb::arg("object_dump") = false)
      .def("lookup", &Engine::lookup, nb::arg("name"),
           "Address of the packed entry point `_mlir_<name>` (0 if missing).")
      .def("dump_to_object_file", &Engine::dump, nb::arg("path"));
  PyObject *base = PyType_FromSpec(&arrayBaseSpec);
  if (!base)
    throw nb::python_error();
  m.attr("ArrayBase") = nb::steal(base);
}
