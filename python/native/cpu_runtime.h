//===- cpu_runtime.h - functions that JIT-compiled CPU code calls ----*- C++ -*-===//
#ifndef MXC_PYTHON_NATIVE_CPU_RUNTIME_H
#define MXC_PYTHON_NATIVE_CPU_RUNTIME_H

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mxc {
/// Opens a CBLAS library and takes its sgemm and dgemm (64-bit integer
/// interface, as NumPy's OpenBLAS has it). False if either is missing.
bool loadBlas(const std::string &path, const std::string &sgemmName,
              const std::string &dgemmName);
/// The library loadBlas opened, or "" (the gemm entry points then loop).
const std::string &loadedBlas();
/// The names and addresses of the entry points compiled code may call, for the
/// ExecutionEngine's symbol table.
std::vector<std::pair<std::string, uintptr_t>> runtimeSymbols();
} // namespace mxc

#endif
