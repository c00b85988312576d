//===- SPIRVToMSL.h - Metal Shading Language from SPIR-V kernels -*- C++ -*-===//
#ifndef MXC_LOWERING_SPIRVTOMSL_H
#define MXC_LOWERING_SPIRVTOMSL_H

#include <cstdint>
#include <string>
#include <vector>

namespace mxc {
/// Translates one SPIR-V compute module to MSL with SPIRV-Cross. Binding i of
/// descriptor set 0 becomes `[[buffer(i)]]` (recorded explicitly, not left to
/// SPIRV-Cross' defaults), and push constants go to `[[buffer(numBindings)]]`.
/// Throws std::runtime_error with SPIRV-Cross' message on failure.
std::string spirvToMSL(const std::vector<uint32_t> &words, unsigned numBindings,
                       unsigned mslMajor = 2, unsigned mslMinor = 3);
} // namespace mxc

#endif
