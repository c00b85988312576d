//===- Program.h - the device-neutral GPU runtime core ----------*- C++ -*-===//
//
// What a compiled GPU graph is at run time, with nothing of MLIR: kernels (SPIR-V
// for Vulkan, MSL for Metal, the workgroup size and binding count recorded by the
// compiler) and a straight-line host program over numbered buffers (inputs,
// outputs, temporaries, constants): dispatches and copies, in order. A Program
// serializes to bytes, so a program compiled on one machine replays on another.
//
//===----------------------------------------------------------------------===//
#ifndef MXC_RUNTIME_PROGRAM_H
#define MXC_RUNTIME_PROGRAM_H

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace mxrt {

/// A user error in a program or its arguments (Python ValueError).
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};
/// The device or driver failed (Python RuntimeError).
struct DeviceError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Kernel {
  std::string entry;
  std::vector<uint32_t> spirv;
  std::string msl;
  std::array<uint32_t, 3> workgroup{1, 1, 1};
  uint32_t numBindings = 0;
  uint32_t pushConstantBytes = 0;
};

enum class BufferKind : uint8_t { Input = 0, Output = 1, Temp = 2, Constant = 3 };

struct BufferSpec {
  BufferKind kind = BufferKind::Temp;
  uint32_t index = 0;  // the input/output position, or the constant's index
  uint64_t bytes = 0;
};

struct Step {
  enum class Op : uint8_t { Dispatch = 0, Copy = 1 } op = Op::Dispatch;
  // Dispatch
  uint32_t kernel = 0;
  std::vector<uint32_t> bindings;   // buffer ids, binding i = bindings[i]
  std::vector<uint8_t> push;        // push-constant bytes
  /// Push-constant members filled at each run from a buffer's host data (a
  /// program input or constant: the scalars of the graph, e.g. a learning rate).
  struct PushSlot {
    uint32_t offset = 0, buffer = 0, bytes = 0;
  };
  std::vector<PushSlot> pushSlots;
  std::array<uint32_t, 3> grid{1, 1, 1};
  // Copy
  uint32_t src = 0, dst = 0;
  uint64_t srcOffset = 0, dstOffset = 0, bytes = 0;
};

struct HostBuffer;

struct Program {
  std::vector<Kernel> kernels;
  std::vector<BufferSpec> buffers;
  std::vector<std::vector<uint8_t>> constants;
  std::vector<Step> steps;
  uint32_t numInputs = 0, numOutputs = 0;

  /// Checks ids and sizes; throws Error naming what is wrong.
  void validate() const;
  /// The push-constant bytes of dispatch `s` for this run's inputs.
  std::vector<uint8_t> pushBytes(const Step &s, const std::vector<HostBuffer> &inputs) const;
  std::vector<uint8_t> serialize() const;
  static Program deserialize(const uint8_t *data, size_t size);
};

struct DeviceInfo {
  std::string name, api, type;  // type: discrete, integrated, virtual, cpu, other
  uint32_t maxStorageBuffersPerStage = 4;
  uint64_t maxStorageBufferRange = 128u << 20;
  uint32_t maxPushConstantsSize = 128;
  std::array<uint32_t, 3> maxWorkgroupCount{65535, 65535, 65535};
  std::array<uint32_t, 3> maxWorkgroupSize{128, 128, 64};
  uint32_t maxWorkgroupInvocations = 128;
  uint32_t maxSharedMemoryBytes = 16384;
  bool int64 = false, float64 = false, int16 = false, float16 = false, int8 = false,
       storage8 = false, storage16 = false;
  // Float controls (VK_KHR_shader_float_controls): kernels may ask the driver to
  // keep f32 NaN/inf/-0 and subnormals (else drivers may assume no NaN and flush).
  bool nanInfPreserve32 = false, denormPreserve32 = false;
  bool unifiedMemory = false;  // host-visible device memory: no staging copies
  double timestampPeriodNs = 0;
};

struct HostBuffer {
  void *data;
  uint64_t bytes;
};

/// A program made ready on a device (pipelines built). run() is synchronous.
class Executable {
public:
  virtual ~Executable() = default;
  /// Uploads inputs, replays the steps in one submission, downloads outputs.
  /// With `kernelTimesNs`, fills the GPU time of each dispatch step.
  virtual void run(const std::vector<HostBuffer> &inputs, const std::vector<HostBuffer> &outputs,
                   std::vector<double> *kernelTimesNs) = 0;
};

class Device {
public:
  virtual ~Device() = default;
  virtual const DeviceInfo &info() const = 0;
  virtual std::unique_ptr<Executable> load(const Program &program) = 0;
  /// Bytes held in the caching allocator's free lists.
  virtual uint64_t cachedBytes() const = 0;
  virtual void clearCache() = 0;
};

/// A caching allocator over a backend's raw buffers: freed buffers go to a free
/// list by size class (powers of two above 4 KiB) and are reused.
template <typename Buffer, typename Backend> class CachingAllocator {
public:
  explicit CachingAllocator(Backend &backend) : backend(backend) {}
  ~CachingAllocator() { clear(); }
  static uint64_t sizeClass(uint64_t bytes) {
    uint64_t c = 4096;
    while (c < bytes)
      c *= 2;
    return c;
  }
  Buffer acquire(uint64_t bytes) {
    uint64_t c = sizeClass(bytes);
    {
      std::lock_guard<std::mutex> lock(mutex);
      auto it = free.find(c);
      if (it != free.end() && !it->second.empty()) {
        Buffer b = it->second.back();
        it->second.pop_back();
        cached -= c;
        return b;
      }
    }
    return backend.allocate(c);
  }
  void release(Buffer b, uint64_t bytes) {
    uint64_t c = sizeClass(bytes);
    std::lock_guard<std::mutex> lock(mutex);
    free[c].push_back(b);
    cached += c;
  }
  void clear() {
    std::lock_guard<std::mutex> lock(mutex);
    for (auto &[c, list] : free)
      for (Buffer &b : list)
        backend.destroy(b);
    free.clear();
    cached = 0;
  }
  uint64_t cachedBytes() const { return cached; }

private:
  Backend &backend;
  std::mutex mutex;
  std::map<uint64_t, std::vector<Buffer>> free;
  uint64_t cached = 0;
};

/// The Metal device (runtime/metal, Apple only); throws DeviceError without one.
std::unique_ptr<Device> createMetalDevice();
bool metalAvailable();

/// The Vulkan device (runtime/vulkan); throws DeviceError if none is usable.
std::unique_ptr<Device> createVulkanDevice(int index = -1);
/// The names of the Vulkan devices present (empty without a loader or driver).
std::vector<std::string> listVulkanDevices();

} // namespace mxrt

#endif
