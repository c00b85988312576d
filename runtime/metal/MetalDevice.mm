//===- MetalDevice.mm - the Metal backend of the GPU runtime ---------------===//
//
// Parallel to runtime/vulkan: the same Program, replayed on the default
// MTLDevice. Each kernel's MSL (made from its SPIR-V by SPIRV-Cross at compile
// time, binding i at [[buffer(i)]], push constants at [[buffer(numBindings)]]) is
// compiled with newLibraryWithSource; threadsPerThreadgroup is the recorded
// workgroup size, which MSL does not carry. Buffers are shared storage (Apple
// Silicon has unified memory), cached by size class. One command buffer and one
// compute encoder per run; Metal orders dispatches of one serial encoder.
// Built only on Apple platforms (CMake: if(APPLE)).
//
//===----------------------------------------------------------------------===//
#include "runtime/Program.h"

#import <Foundation/Foundation.h>
#import <Metal/Metal.h>

#include <cstring>

using namespace mxrt;

namespace {
struct MtlBuf {
  id<MTLBuffer> buffer = nil;
};

class MetalDevice;

class MetalExecutable : public Executable {
public:
  MetalExecutable(MetalDevice &device, const Program &program);
  void run(const std::vector<HostBuffer> &inputs, const std::vector<HostBuffer> &outputs,
           std::vector<double> *kernelTimesNs) override;

private:
  MetalDevice &dev;
  Program program;
  std::vector<id<MTLComputePipelineState>> pipelines;
  std::mutex runMutex;
};

class MetalDevice : public Device {
public:
  MetalDevice() {
    device = MTLCreateSystemDefaultDevice();
    if (!device)
      throw DeviceError("Metal: no device");
    queue = [device newCommandQueue];
    DeviceInfo &d = deviceInfo;
    d.name = [[device name] UTF8String];
    d.api = "Metal";
    d.type = [device hasUnifiedMemory] ? "integrated" : "discrete";
    d.maxStorageBuffersPerStage = 31;  // Metal's buffer argument table
    d.maxStorageBufferRange = [device maxBufferLength];
    d.maxPushConstantsSize = 4096;     // setBytes limit
    MTLSize t = [device maxThreadsPerThreadgroup];
    d.maxWorkgroupSize = {(uint32_t)t.width, (uint32_t)t.height, (uint32_t)t.depth};
    d.maxWorkgroupInvocations = 1024;
    d.maxWorkgroupCount = {UINT32_MAX, 65535, 65535};
    d.maxSharedMemoryBytes = (uint32_t)[device maxThreadgroupMemoryLength];
    d.int64 = d.int16 = d.int8 = d.storage8 = d.storage16 = d.float16 = true;
    d.float64 = false;  // Metal has no double
    d.unifiedMemory = true;
    allocator = std::make_unique<CachingAllocator<MtlBuf, MetalDevice>>(*this);
  }
  const DeviceInfo &info() const override { return deviceInfo; }
  std::unique_ptr<Executable> load(const Program &program) override {
    return std::make_unique<MetalExecutable>(*this, program);
  }
  uint64_t cachedBytes() const override { return allocator->cachedBytes(); }
  void clearCache() override { allocator->clear(); }
  MtlBuf allocate(uint64_t size) {
    MtlBuf b;
    b.buffer = [device newBufferWithLength:size options:MTLResourceStorageModeShared];
    if (!b.buffer)
      throw DeviceError("Metal: out of memory allocating " + std::to_string(size) + " bytes");
    return b;
  }
  void destroy(MtlBuf &b) { b.buffer = nil; }

  id<MTLDevice> device;
  id<MTLCommandQueue> queue;
  DeviceInfo deviceInfo;
  std::unique_ptr<CachingAllocator<MtlBuf, MetalDevice>> allocator;
};

MetalExecutable::MetalExecutable(MetalDevice &device, const Program &p)
    : dev(device), program(p) {
  program.validate();
  for (const Kernel &k : program.kernels) {
    if (k.msl.empty())
      throw Error("kernel " + k.entry + " has no MSL");
    NSError *error = nil;
    NSString *source = [NSString stringWithUTF8String:k.msl.c_str()];
    // Fast math (Metal's default) lets the compiler assume no NaN or inf; the
    // kernels keep IEEE semantics as on the CPU.
    MTLCompileOptions *options = [MTLCompileOptions new];
    options.fastMathEnabled = NO;
    id<MTLLibrary> library = [dev.device newLibraryWithSource:source
                                                      options:options
                                                        error:&error];
    if (!library)
      throw DeviceError("Metal: compiling " + k.entry + ": " +
                        [[error localizedDescription] UTF8String]);
    // SPIRV-Cross renames `main`-like entry points; the library has exactly one.
    NSString *name = [[library functionNames] firstObject];
    id<MTLFunction> fn = [library newFunctionWithName:name];
    id<MTLComputePipelineState> state = [dev.device newComputePipelineStateWithFunction:fn
                                                                                  error:&error];
    if (!state)
      throw DeviceError("Metal: pipeline for " + k.entry + ": " +
                        [[error localizedDescription] UTF8String]);
    if (k.workgroup[0] * k.workgroup[1] * k.workgroup[2] > [state maxTotalThreadsPerThreadgroup])
      throw Error("kernel " + k.entry + " needs more threads per threadgroup than Metal allows");
    pipelines.push_back(state);
  }
}

void MetalExecutable::run(const std::vector<HostBuffer> &inputs,
                          const std::vector<HostBuffer> &outputs,
                          std::vector<double> *kernelTimesNs) {
  if (inputs.size() != program.numInputs || outputs.size() != program.numOutputs)
    throw Error("wrong number of inputs or outputs");
  std::lock_guard<std::mutex> lock(runMutex);
  auto &alloc = *dev.allocator;
  std::vector<MtlBuf> bufs(program.buffers.size());
  struct Release {
    std::vector<MtlBuf> &bufs;
    const Program &p;
    CachingAllocator<MtlBuf, MetalDevice> &a;
    ~Release() {
      for (size_t i = 0; i < bufs.size(); ++i)
        if (bufs[i].buffer)
          a.release(bufs[i], p.buffers[i].bytes);
    }
  } release{bufs, program, alloc};
  for (size_t i = 0; i < program.buffers.size(); ++i) {
    const BufferSpec &b = program.buffers[i];
    bufs[i] = alloc.acquire(b.bytes);
    if (b.kind == BufferKind::Input) {
      if (inputs[b.index].bytes != b.bytes)
        throw Error("input " + std::to_string(b.index) + " has the wrong size");
      std::memcpy([bufs[i].buffer contents], inputs[b.index].data, b.bytes);
    } else if (b.kind == BufferKind::Constant) {
      const auto &c = program.constants[b.index];
      std::memcpy([bufs[i].buffer contents], c.data(), c.size());
    }
  }
  @autoreleasepool {
    id<MTLCommandBuffer> commands = [dev.queue commandBuffer];
    id<MTLComputeCommandEncoder> encoder = nil;
    for (const Step &s : program.steps) {
      if (s.op == Step::Op::Copy) {
        if (encoder) {
          [encoder endEncoding];
          encoder = nil;
        }
        id<MTLBlitCommandEncoder> blit = [commands blitCommandEncoder];
        [blit copyFromBuffer:bufs[s.src].buffer sourceOffset:s.srcOffset
                    toBuffer:bufs[s.dst].buffer destinationOffset:s.dstOffset size:s.bytes];
        [blit endEncoding];
        continue;
      }
      if (!encoder)
        encoder = [commands computeCommandEncoder];  // serial: dispatches are ordered
      const Kernel &k = program.kernels[s.kernel];
      [encoder setComputePipelineState:pipelines[s.kernel]];
      for (size_t i = 0; i < s.bindings.size(); ++i)
        [encoder setBuffer:bufs[s.bindings[i]].buffer offset:0 atIndex:i];
      if (!s.push.empty()) {
        std::vector<uint8_t> push = program.pushBytes(s, inputs);
        [encoder setBytes:push.data() length:push.size() atIndex:s.bindings.size()];
      }
      [encoder dispatchThreadgroups:MTLSizeMake(s.grid[0], s.grid[1], s.grid[2])
              threadsPerThreadgroup:MTLSizeMake(k.workgroup[0], k.workgroup[1], k.workgroup[2])];
    }
    if (encoder)
      [encoder endEncoding];
    [commands commit];
    [commands waitUntilCompleted];
    if ([commands status] == MTLCommandBufferStatusError)
      throw DeviceError(std::string("Metal: command buffer failed: ") +
                        [[[commands error] localizedDescription] UTF8String]);
    if (kernelTimesNs) {
      // Metal times the whole command buffer; spread it evenly over dispatches.
      size_t n = 0;
      for (const Step &s : program.steps)
        n += s.op == Step::Op::Dispatch;
      double total = ([commands GPUEndTime] - [commands GPUStartTime]) * 1e9;
      kernelTimesNs->assign(n, n ? total / n : 0.0);
    }
  }
  for (size_t i = 0; i < program.buffers.size(); ++i) {
    const BufferSpec &b = program.buffers[i];
    if (b.kind == BufferKind::Output) {
      if (outputs[b.index].bytes != b.bytes)
        throw Error("output " + std::to_string(b.index) + " has the wrong size");
      std::memcpy(outputs[b.index].data, [bufs[i].buffer contents], b.bytes);
    }
  }
}
} // namespace

bool mxrt::metalAvailable() {
  @autoreleasepool {
    return MTLCreateSystemDefaultDevice() != nil;
  }
}

std::unique_ptr<Device> mxrt::createMetalDevice() { return std::make_unique<MetalDevice>(); }
