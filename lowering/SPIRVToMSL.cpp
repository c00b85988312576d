//===- SPIRVToMSL.cpp - Metal Shading Language from SPIR-V kernels ---------===//
//
// Through SPIRV-Cross' C API (Debian libspirv-cross-c-shared-dev). The MSL does
// not carry the workgroup size (SPIR-V's LocalSize): the host passes the
// recorded size as threadsPerThreadgroup.
//
//===----------------------------------------------------------------------===//
#include "lowering/SPIRVToMSL.h"

#include <spirv_cross/spirv_cross_c.h>

#include <memory>
#include <stdexcept>

std::string mxc::spirvToMSL(const std::vector<uint32_t> &words, unsigned numBindings,
                            unsigned mslMajor, unsigned mslMinor) {
  spvc_context context = nullptr;
  if (spvc_context_create(&context) != SPVC_SUCCESS)
    throw std::runtime_error("SPIRV-Cross: cannot create a context");
  std::unique_ptr<spvc_context_s, void (*)(spvc_context)> owner(context, spvc_context_destroy);
  auto check = [&](spvc_result r, const char *what) {
    if (r != SPVC_SUCCESS)
      throw std::runtime_error(std::string("SPIRV-Cross: ") + what + ": " +
                               spvc_context_get_last_error_string(context));
  };
  spvc_parsed_ir ir = nullptr;
  check(spvc_context_parse_spirv(context, words.data(), words.size(), &ir), "parse");
  spvc_compiler compiler = nullptr;
  check(spvc_context_create_compiler(context, SPVC_BACKEND_MSL, ir,
                                     SPVC_CAPTURE_MODE_TAKE_OWNERSHIP, &compiler),
        "create MSL compiler");
  spvc_compiler_options options = nullptr;
  check(spvc_compiler_create_compiler_options(compiler, &options), "options");
  spvc_compiler_options_set_uint(options, SPVC_COMPILER_OPTION_MSL_VERSION,
                                 SPVC_MAKE_MSL_VERSION(mslMajor, mslMinor, 0));
  spvc_compiler_options_set_uint(options, SPVC_COMPILER_OPTION_MSL_PLATFORM,
                                 SPVC_MSL_PLATFORM_MACOS);
  check(spvc_compiler_install_compiler_options(compiler, options), "install options");
  for (unsigned i = 0; i <= numBindings; ++i) {
    spvc_msl_resource_binding binding;
    spvc_msl_resource_binding_init(&binding);
    binding.stage = SpvExecutionModelGLCompute;
    // The last slot is push constants (SPIRV-Cross' push-constant descriptor set).
    binding.desc_set = i < numBindings ? 0 : SPVC_MSL_PUSH_CONSTANT_DESC_SET;
    binding.binding = i < numBindings ? i : SPVC_MSL_PUSH_CONSTANT_BINDING;
    binding.msl_buffer = i;
    check(spvc_compiler_msl_add_resource_binding(compiler, &binding), "binding map");
  }
  const char *source = nullptr;
  check(spvc_compiler_compile(compiler, &source), "compile");
  return source;
}
