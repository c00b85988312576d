//===- VulkanDevice.cpp - the Vulkan backend of the GPU runtime ------------===//
//
// One VkDevice with one compute queue. Buffers come from a caching allocator:
// host-visible on CPU and integrated devices (lavapipe: inputs and outputs are
// memcpy'd), device-local with staging copies on discrete GPUs. A program run is
// one command buffer: uploads, every dispatch with a barrier after it, downloads,
// and optional timestamp queries around each dispatch.
//
//===----------------------------------------------------------------------===//
#include "runtime/Program.h"

#include <vulkan/vulkan.h>

#include <algorithm>
#include <cstring>

using namespace mxrt;

namespace {
void check(VkResult r, const char *what) {
  if (r != VK_SUCCESS)
    throw DeviceError(std::string("Vulkan: ") + what + " failed (VkResult " +
                      std::to_string((int)r) + ")");
}

VkInstance createInstance() {
  VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
  app.pApplicationName = "mxc";
  app.apiVersion = VK_API_VERSION_1_2;
  VkInstanceCreateInfo ci{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
  ci.pApplicationInfo = &app;
  VkInstance instance = VK_NULL_HANDLE;
  check(vkCreateInstance(&ci, nullptr, &instance), "vkCreateInstance");
  return instance;
}

std::vector<VkPhysicalDevice> physicalDevices(VkInstance instance) {
  uint32_t n = 0;
  check(vkEnumeratePhysicalDevices(instance, &n, nullptr), "vkEnumeratePhysicalDevices");
  std::vector<VkPhysicalDevice> devices(n);
  check(vkEnumeratePhysicalDevices(instance, &n, devices.data()), "vkEnumeratePhysicalDevices");
  return devices;
}

int rank(VkPhysicalDeviceType t) {
  switch (t) {
  case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return 4;
  case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return 3;
  case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return 2;
  case VK_PHYSICAL_DEVICE_TYPE_CPU: return 1;
  default: return 0;
  }
}

const char *typeName(VkPhysicalDeviceType t) {
  switch (t) {
  case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return "discrete";
  case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return "integrated";
  case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return "virtual";
  case VK_PHYSICAL_DEVICE_TYPE_CPU: return "cpu";
  default: return "other";
  }
}

struct VkBuf {
  VkBuffer buffer = VK_NULL_HANDLE;
  VkDeviceMemory memory = VK_NULL_HANDLE;
  void *mapped = nullptr;  // host-visible buffers stay mapped
  uint64_t size = 0;
};

class VulkanDevice;

class VulkanExecutable : public Executable {
public:
  VulkanExecutable(VulkanDevice &device, const Program &program);
  ~VulkanExecutable() override;
  void run(const std::vector<HostBuffer> &inputs, const std::vector<HostBuffer> &outputs,
           std::vector<double> *kernelTimesNs) override;

private:
  VulkanDevice &dev;
  Program program;
  struct Pipeline {
    VkShaderModule module = VK_NULL_HANDLE;
    VkDescriptorSetLayout setLayout = VK_NULL_HANDLE;
    VkPipelineLayout layout = VK_NULL_HANDLE;
    VkPipeline pipeline = VK_NULL_HANDLE;
  };
  std::vector<Pipeline> pipelines;
  VkDescriptorPool pool = VK_NULL_HANDLE;
  VkCommandPool commandPool = VK_NULL_HANDLE;
  VkCommandBuffer commands = VK_NULL_HANDLE;
  VkFence fence = VK_NULL_HANDLE;
  VkQueryPool queries = VK_NULL_HANDLE;
  uint32_t numDispatches = 0;
  std::mutex runMutex;
};

class VulkanDevice : public Device {
public:
  explicit VulkanDevice(int index) {
    instance = createInstance();
    try {
      init(index);
    } catch (...) {
      vkDestroyInstance(instance, nullptr);
      throw;
    }
  }
  ~VulkanDevice() override {
    allocator.reset();
    for (VkBuf &b : staging)
      destroy(b);
    if (device)
      vkDestroyDevice(device, nullptr);
    vkDestroyInstance(instance, nullptr);
  }
  const DeviceInfo &info() const override { return deviceInfo; }
  std::unique_ptr<Executable> load(const Program &program) override {
    return std::make_unique<VulkanExecutable>(*this, program);
  }
  uint64_t cachedBytes() const override { return allocator->cachedBytes(); }
  void clearCache() override { allocator->clear(); }

  VkBuf allocate(uint64_t size) { return allocate(size, !deviceInfo.unifiedMemory); }
  VkBuf allocate(uint64_t size, bool deviceLocal) {
    VkBuf b;
    b.size = size;
    VkBufferCreateInfo ci{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
    ci.size = size;
    ci.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
               VK_BUFFER_USAGE_TRANSFER_DST_BIT;
    ci.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
    check(vkCreateBuffer(device, &ci, nullptr, &b.buffer), "vkCreateBuffer");
    VkMemoryRequirements req;
    vkGetBufferMemoryRequirements(device, b.buffer, &req);
    VkMemoryPropertyFlags want =
        deviceLocal ? VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT
                    : VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
    int type = -1;
    for (uint32_t i = 0; i < memory.memoryTypeCount && type < 0; ++i)
      if ((req.memoryTypeBits & (1u << i)) &&
          (memory.memoryTypes[i].propertyFlags & want) == want)
        type = (int)i;
    if (type < 0) {
      vkDestroyBuffer(device, b.buffer, nullptr);
      throw DeviceError("Vulkan: no memory type for a buffer");
    }
    VkMemoryAllocateInfo ai{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
    ai.allocationSize = req.size;
    ai.memoryTypeIndex = (uint32_t)type;
    VkResult r = vkAllocateMemory(device, &ai, nullptr, &b.memory);
    if (r != VK_SUCCESS) {
      vkDestroyBuffer(device, b.buffer, nullptr);
      throw DeviceError("Vulkan: out of device memory allocating " + std::to_string(size) +
                        " bytes");
    }
    check(vkBindBufferMemory(device, b.buffer, b.memory, 0), "vkBindBufferMemory");
    if (!deviceLocal)
      check(vkMapMemory(device, b.memory, 0, VK_WHOLE_SIZE, 0, &b.mapped), "vkMapMemory");
    return b;
  }
  void destroy(VkBuf &b) {
    if (b.mapped)
      vkUnmapMemory(device, b.memory);
    vkDestroyBuffer(device, b.buffer, nullptr);
    vkFreeMemory(device, b.memory, nullptr);
    b = VkBuf{};
  }

  VkInstance instance = VK_NULL_HANDLE;
  VkPhysicalDevice physical = VK_NULL_HANDLE;
  VkDevice device = VK_NULL_HANDLE;
  VkQueue queue = VK_NULL_HANDLE;
  uint32_t family = 0;
  bool timestamps = false;
  VkPhysicalDeviceMemoryProperties memory{};
  DeviceInfo deviceInfo;
  std::unique_ptr<CachingAllocator<VkBuf, VulkanDevice>> allocator;
  std::vector<VkBuf> staging;  // host-visible buffers for discrete devices
  std::mutex queueMutex;

private:
  void init(int index) {
    auto devices = physicalDevices(instance);
    if (devices.empty())
      throw DeviceError("Vulkan: no physical device");
    if (index >= (int)devices.size())
      throw Error("Vulkan: no device " + std::to_string(index));
    if (index < 0) {
      index = 0;
      for (size_t i = 0; i < devices.size(); ++i) {
        VkPhysicalDeviceProperties a, b;
        vkGetPhysicalDeviceProperties(devices[i], &a);
        vkGetPhysicalDeviceProperties(devices[index], &b);
        if (rank(a.deviceType) > rank(b.deviceType))
          index = (int)i;
      }
    }
    physical = devices[index];
    VkPhysicalDeviceProperties props;
    vkGetPhysicalDeviceProperties(physical, &props);
    vkGetPhysicalDeviceMemoryProperties(physical, &memory);
    DeviceInfo &d = deviceInfo;
    d.name = props.deviceName;
    d.api = "Vulkan " + std::to_string(VK_API_VERSION_MAJOR(props.apiVersion)) + "." +
            std::to_string(VK_API_VERSION_MINOR(props.apiVersion));
    d.type = typeName(props.deviceType);
    const VkPhysicalDeviceLimits &l = props.limits;
    d.maxStorageBuffersPerStage = l.maxPerStageDescriptorStorageBuffers;
    d.maxStorageBufferRange = l.maxStorageBufferRange;
    d.maxPushConstantsSize = l.maxPushConstantsSize;
    for (int i = 0; i < 3; ++i) {
      d.maxWorkgroupCount[i] = l.maxComputeWorkGroupCount[i];
      d.maxWorkgroupSize[i] = l.maxComputeWorkGroupSize[i];
    }
    d.maxWorkgroupInvocations = l.maxComputeWorkGroupInvocations;
    d.maxSharedMemoryBytes = l.maxComputeSharedMemorySize;
    d.timestampPeriodNs = l.timestampPeriod;
    d.unifiedMemory = props.deviceType == VK_PHYSICAL_DEVICE_TYPE_CPU ||
                      props.deviceType == VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU;

    VkPhysicalDeviceVulkan12Features f12{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
    VkPhysicalDeviceVulkan11Features f11{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES};
    f11.pNext = &f12;
    VkPhysicalDeviceFeatures2 features{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
    bool v12 = props.apiVersion >= VK_API_VERSION_1_2;
    if (v12)
      features.pNext = &f11;
    vkGetPhysicalDeviceFeatures2(physical, &features);
    d.int64 = features.features.shaderInt64;
    d.float64 = features.features.shaderFloat64;
    d.int16 = features.features.shaderInt16;
    d.storage16 = v12 && f11.storageBuffer16BitAccess;
    d.storage8 = v12 && f12.storageBuffer8BitAccess;
    d.int8 = v12 && f12.shaderInt8;
    d.float16 = v12 && f12.shaderFloat16;
    if (v12) {
      VkPhysicalDeviceVulkan12Properties p12{
          VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_PROPERTIES};
      VkPhysicalDeviceProperties2 props2{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2};
      props2.pNext = &p12;
      vkGetPhysicalDeviceProperties2(physical, &props2);
      d.nanInfPreserve32 = p12.shaderSignedZeroInfNanPreserveFloat32;
      d.denormPreserve32 = p12.shaderDenormPreserveFloat32;
    }
    // Enable exactly what we report; nothing else.
    VkPhysicalDeviceFeatures2 enable{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
    VkPhysicalDeviceVulkan12Features e12{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
    VkPhysicalDeviceVulkan11Features e11{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES};
    enable.features.shaderInt64 = d.int64;
    enable.features.shaderFloat64 = d.float64;
    enable.features.shaderInt16 = d.int16;
    if (v12) {
      e11.storageBuffer16BitAccess = d.storage16;
      e12.storageBuffer8BitAccess = d.storage8;
      e12.shaderInt8 = d.int8;
      e12.shaderFloat16 = d.float16;
      e11.pNext = &e12;
      enable.pNext = &e11;
    }

    uint32_t nf = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(physical, &nf, nullptr);
    std::vector<VkQueueFamilyProperties> families(nf);
    vkGetPhysicalDeviceQueueFamilyProperties(physical, &nf, families.data());
    int chosen = -1;
    for (uint32_t i = 0; i < nf; ++i)
      if (families[i].queueFlags & VK_QUEUE_COMPUTE_BIT) {
        // Prefer a compute family without graphics (async compute on GPUs).
        if (chosen < 0 || !(families[i].queueFlags & VK_QUEUE_GRAPHICS_BIT))
          chosen = (int)i;
      }
    if (chosen < 0)
      throw DeviceError("Vulkan: the device has no compute queue");
    family = (uint32_t)chosen;
    timestamps = families[family].timestampValidBits > 0 && l.timestampComputeAndGraphics;
    float priority = 1.0f;
    VkDeviceQueueCreateInfo qi{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
    qi.queueFamilyIndex = family;
    qi.queueCount = 1;
    qi.pQueuePriorities = &priority;
    VkDeviceCreateInfo ci{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
    ci.pNext = &enable;
    ci.queueCreateInfoCount = 1;
    ci.pQueueCreateInfos = &qi;
    check(vkCreateDevice(physical, &ci, nullptr, &device), "vkCreateDevice");
    vkGetDeviceQueue(device, family, 0, &queue);
    allocator = std::make_unique<CachingAllocator<VkBuf, VulkanDevice>>(*this);
  }
};

VulkanExecutable::VulkanExecutable(VulkanDevice &device, const Program &p)
    : dev(device), program(p) {
  program.validate();
  const DeviceInfo &info = dev.info();
  for (const BufferSpec &b : program.buffers)
    if (b.bytes > info.maxStorageBufferRange)
      throw Error("a buffer of " + std::to_string(b.bytes) + " bytes exceeds the device's " +
                  "maximum storage buffer range (" + std::to_string(info.maxStorageBufferRange) +
                  " bytes on " + info.name + ")");
  VkDevice d = dev.device;
  uint32_t totalBindings = 0;
  for (const Kernel &k : program.kernels) {
    if (k.numBindings > info.maxStorageBuffersPerStage)
      throw Error("kernel " + k.entry + " binds " + std::to_string(k.numBindings) +
                  " storage buffers; the device allows " +
                  std::to_string(info.maxStorageBuffersPerStage) + " per stage");
    if (k.pushConstantBytes > info.maxPushConstantsSize)
      throw Error("kernel " + k.entry + " needs more push constants than the device has");
    uint32_t threads = k.workgroup[0] * k.workgroup[1] * k.workgroup[2];
    if (threads > info.maxWorkgroupInvocations)
      throw Error("kernel " + k.entry + " has " + std::to_string(threads) +
                  " threads per workgroup; the device allows " +
                  std::to_string(info.maxWorkgroupInvocations));
    if (k.spirv.empty())
      throw Error("kernel " + k.entry + " has no SPIR-V");
    Pipeline pl;
    VkShaderModuleCreateInfo si{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
    si.codeSize = k.spirv.size() * 4;
    si.pCode = k.spirv.data();
    check(vkCreateShaderModule(d, &si, nullptr, &pl.module), "vkCreateShaderModule");
    std::vector<VkDescriptorSetLayoutBinding> bindings(k.numBindings);
    for (uint32_t i = 0; i < k.numBindings; ++i) {
      bindings[i] = {};
      bindings[i].binding = i;
      bindings[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
      bindings[i].descriptorCount = 1;
      bindings[i].stageFlags = VK_SHADER_STAGE_COMPUTE_BIT;
    }
    VkDescriptorSetLayoutCreateInfo li{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
    li.bindingCount = k.numBindings;
    li.pBindings = bindings.data();
    check(vkCreateDescriptorSetLayout(d, &li, nullptr, &pl.setLayout), "descriptor set layout");
    VkPushConstantRange range{VK_SHADER_STAGE_COMPUTE_BIT, 0, k.pushConstantBytes};
    VkPipelineLayoutCreateInfo pi{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
    pi.setLayoutCount = 1;
    pi.pSetLayouts = &pl.setLayout;
    pi.pushConstantRangeCount = k.pushConstantBytes ? 1 : 0;
    pi.pPushConstantRanges = &range;
    check(vkCreatePipelineLayout(d, &pi, nullptr, &pl.layout), "pipeline layout");
    VkComputePipelineCreateInfo cpi{VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
    cpi.stage = {VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO};
    cpi.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
    cpi.stage.module = pl.module;
    cpi.stage.pName = k.entry.c_str();
    cpi.layout = pl.layout;
    check(vkCreateComputePipelines(d, VK_NULL_HANDLE, 1, &cpi, nullptr, &pl.pipeline),
          "vkCreateComputePipelines");
    pipelines.push_back(pl);
  }
  for (const Step &s : program.steps)
    if (s.op == Step::Op::Dispatch) {
      ++numDispatches;
      totalBindings += (uint32_t)s.bindings.size();
      for (int i = 0; i < 3; ++i)
        if (s.grid[i] > info.maxWorkgroupCount[i])
          throw Error("a dispatch of " + program.kernels[s.kernel].entry + " has " +
                      std::to_string(s.grid[i]) + " workgroups in dimension " +
                      std::to_string(i) + "; the device allows " +
                      std::to_string(info.maxWorkgroupCount[i]));
    }
  VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, std::max(1u, totalBindings)};
  VkDescriptorPoolCreateInfo dpi{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
  dpi.maxSets = std::max(1u, numDispatches);
  dpi.poolSizeCount = 1;
  dpi.pPoolSizes = &size;
  check(vkCreateDescriptorPool(d, &dpi, nullptr, &pool), "descriptor pool");
  VkCommandPoolCreateInfo cpi{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
  cpi.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
  cpi.queueFamilyIndex = dev.family;
  check(vkCreateCommandPool(d, &cpi, nullptr, &commandPool), "command pool");
  VkCommandBufferAllocateInfo cai{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
  cai.commandPool = commandPool;
  cai.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  cai.commandBufferCount = 1;
  check(vkAllocateCommandBuffers(d, &cai, &commands), "command buffer");
  VkFenceCreateInfo fi{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
  check(vkCreateFence(d, &fi, nullptr, &fence), "fence");
  if (dev.timestamps && numDispatches) {
    VkQueryPoolCreateInfo qi{VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO};
    qi.queryType = VK_QUERY_TYPE_TIMESTAMP;
    qi.queryCount = 2 * numDispatches;
    check(vkCreateQueryPool(d, &qi, nullptr, &queries), "query pool");
  }
}

VulkanExecutable::~VulkanExecutable() {
  VkDevice d = dev.device;
  if (queries)
    vkDestroyQueryPool(d, queries, nullptr);
  vkDestroyFence(d, fence, nullptr);
  vkDestroyCommandPool(d, commandPool, nullptr);
  vkDestroyDescriptorPool(d, pool, nullptr);
  for (Pipeline &p : pipelines) {
    vkDestroyPipeline(d, p.pipeline, nullptr);
    vkDestroyPipelineLayout(d, p.layout, nullptr);
    vkDestroyDescriptorSetLayout(d, p.setLayout, nullptr);
    vkDestroyShaderModule(d, p.module, nullptr);
  }
}

void VulkanExecutable::run(const std::vector<HostBuffer> &inputs,
                           const std::vector<HostBuffer> &outputs,
                           std::vector<double> *kernelTimesNs) {
  if (inputs.size() != program.numInputs || outputs.size() != program.numOutputs)
    throw Error("program takes " + std::to_string(program.numInputs) + " inputs and " +
                std::to_string(program.numOutputs) + " outputs");
  std::lock_guard<std::mutex> lock(runMutex);
  VkDevice d = dev.device;
  bool unified = dev.info().unifiedMemory;
  auto &alloc = *dev.allocator;
  std::vector<VkBuf> bufs(program.buffers.size());
  std::vector<VkBuf> stagingBufs;
  struct Release {
    std::vector<VkBuf> &bufs;
    const Program &p;
    decltype(alloc) a;
    VulkanDevice &dev;
    std::vector<VkBuf> &staging;
    ~Release() {
      for (size_t i = 0; i < bufs.size(); ++i)
        if (bufs[i].buffer)
          a.release(bufs[i], p.buffers[i].bytes);
      for (VkBuf &b : staging)
        dev.destroy(b);
    }
  } release{bufs, program, alloc, dev, stagingBufs};

  for (size_t i = 0; i < program.buffers.size(); ++i) {
    const BufferSpec &b = program.buffers[i];
    if (b.kind == BufferKind::Input && inputs[b.index].bytes != b.bytes)
      throw Error("input " + std::to_string(b.index) + " has " +
                  std::to_string(inputs[b.index].bytes) + " bytes, the program expects " +
                  std::to_string(b.bytes));
    if (b.kind == BufferKind::Output && outputs[b.index].bytes != b.bytes)
      throw Error("output " + std::to_string(b.index) + " has the wrong size");
    bufs[i] = alloc.acquire(b.bytes);
  }
  // Host data into buffers: directly when mapped, else through staging buffers.
  struct Transfer {
    size_t buffer;
    const void *src;
    void *dst;
    uint64_t bytes;
    VkBuf stage;
  };
  std::vector<Transfer> uploads, downloads;
  for (size_t i = 0; i < program.buffers.size(); ++i) {
    const BufferSpec &b = program.buffers[i];
    const void *src = nullptr;
    if (b.kind == BufferKind::Input)
      src = inputs[b.index].data;
    else if (b.kind == BufferKind::Constant)
      src = program.constants[b.index].data();
    uint64_t n = b.kind == BufferKind::Constant ? program.constants[b.index].size() : b.bytes;
    if (src && n) {
      if (unified) {
        std::memcpy(bufs[i].mapped, src, n);
      } else {
        stagingBufs.push_back(dev.allocate(n, false));
        std::memcpy(stagingBufs.back().mapped, src, n);
        uploads.push_back({i, src, nullptr, n, stagingBufs.back()});
      }
    }
    if (b.kind == BufferKind::Output && !unified) {
      stagingBufs.push_back(dev.allocate(b.bytes, false));
      downloads.push_back({i, nullptr, outputs[b.index].data, b.bytes, stagingBufs.back()});
    }
  }

  check(vkResetDescriptorPool(d, pool, 0), "vkResetDescriptorPool");
  check(vkResetCommandBuffer(commands, 0), "vkResetCommandBuffer");
  VkCommandBufferBeginInfo bi{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
  bi.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  check(vkBeginCommandBuffer(commands, &bi), "vkBeginCommandBuffer");
  auto barrier = [&](VkPipelineStageFlags from, VkPipelineStageFlags to) {
    VkMemoryBarrier mb{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
    mb.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
    mb.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT |
                       VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT |
                       VK_ACCESS_HOST_READ_BIT;
    vkCmdPipelineBarrier(commands, from, to, 0, 1, &mb, 0, nullptr, 0, nullptr);
  };
  const VkPipelineStageFlags all = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT |
                                   VK_PIPELINE_STAGE_TRANSFER_BIT;
  if (queries)
    vkCmdResetQueryPool(commands, queries, 0, 2 * numDispatches);
  for (Transfer &t : uploads) {
    VkBufferCopy region{0, 0, t.bytes};
    vkCmdCopyBuffer(commands, t.stage.buffer, bufs[t.buffer].buffer, 1, &region);
  }
  if (!uploads.empty())
    barrier(VK_PIPELINE_STAGE_TRANSFER_BIT, all);
  uint32_t dispatchIndex = 0;
  for (const Step &s : program.steps) {
    if (s.op == Step::Op::Copy) {
      VkBufferCopy region{s.srcOffset, s.dstOffset, s.bytes};
      vkCmdCopyBuffer(commands, bufs[s.src].buffer, bufs[s.dst].buffer, 1, &region);
      barrier(all, all);
      continue;
    }
    Pipeline &pl = pipelines[s.kernel];
    VkDescriptorSetAllocateInfo ai{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
    ai.descriptorPool = pool;
    ai.descriptorSetCount = 1;
    ai.pSetLayouts = &pl.setLayout;
    VkDescriptorSet set;
    check(vkAllocateDescriptorSets(d, &ai, &set), "vkAllocateDescriptorSets");
    std::vector<VkDescriptorBufferInfo> infos(s.bindings.size());
    std::vector<VkWriteDescriptorSet> writes(s.bindings.size());
    for (size_t i = 0; i < s.bindings.size(); ++i) {
      infos[i] = {bufs[s.bindings[i]].buffer, 0, program.buffers[s.bindings[i]].bytes};
      writes[i] = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
      writes[i].dstSet = set;
      writes[i].dstBinding = (uint32_t)i;
      writes[i].descriptorCount = 1;
      writes[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
      writes[i].pBufferInfo = &infos[i];
    }
    vkUpdateDescriptorSets(d, (uint32_t)writes.size(), writes.data(), 0, nullptr);
    vkCmdBindPipeline(commands, VK_PIPELINE_BIND_POINT_COMPUTE, pl.pipeline);
    vkCmdBindDescriptorSets(commands, VK_PIPELINE_BIND_POINT_COMPUTE, pl.layout, 0, 1, &set, 0,
                            nullptr);
    if (!s.push.empty()) {
      std::vector<uint8_t> push = program.pushBytes(s, inputs);
      vkCmdPushConstants(commands, pl.layout, VK_SHADER_STAGE_COMPUTE_BIT, 0,
                         (uint32_t)push.size(), push.data());
    }
    // The start stamp at BOTTOM_OF_PIPE: written once all earlier commands (the
    // uploads, the previous dispatch) have completed; a TOP_OF_PIPE stamp may be
    // written as soon as the command is reached, which counts their time too.
    if (queries)
      vkCmdWriteTimestamp(commands, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, queries,
                          2 * dispatchIndex);
    vkCmdDispatch(commands, s.grid[0], s.grid[1], s.grid[2]);
    if (queries)
      vkCmdWriteTimestamp(commands, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, queries,
                          2 * dispatchIndex + 1);
    ++dispatchIndex;
    barrier(all, all);
  }
  for (Transfer &t : downloads) {
    VkBufferCopy region{0, 0, t.bytes};
    vkCmdCopyBuffer(commands, bufs[t.buffer].buffer, t.stage.buffer, 1, &region);
  }
  barrier(all, VK_PIPELINE_STAGE_HOST_BIT);
  check(vkEndCommandBuffer(commands), "vkEndCommandBuffer");
  VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
  submit.commandBufferCount = 1;
  submit.pCommandBuffers = &commands;
  check(vkResetFences(d, 1, &fence), "vkResetFences");
  {
    std::lock_guard<std::mutex> q(dev.queueMutex);
    check(vkQueueSubmit(dev.queue, 1, &submit, fence), "vkQueueSubmit");
  }
  check(vkWaitForFences(d, 1, &fence, VK_TRUE, UINT64_MAX), "vkWaitForFences");
  for (size_t i = 0; i < program.buffers.size(); ++i) {
    const BufferSpec &b = program.buffers[i];
    if (b.kind == BufferKind::Output && unified)
      std::memcpy(outputs[b.index].data, bufs[i].mapped, b.bytes);
  }
  for (Transfer &t : downloads)
    std::memcpy(t.dst, t.stage.mapped, t.bytes);
  if (kernelTimesNs) {
    kernelTimesNs->assign(numDispatches, 0.0);
    if (queries) {
      std::vector<uint64_t> ticks(2 * numDispatches);
      check(vkGetQueryPoolResults(d, queries, 0, 2 * numDispatches, ticks.size() * 8,
                                  ticks.data(), 8, VK_QUERY_RESULT_64_BIT),
            "vkGetQueryPoolResults");
      for (uint32_t i = 0; i < numDispatches; ++i)
        (*kernelTimesNs)[i] =
            double(ticks[2 * i + 1] - ticks[2 * i]) * dev.info().timestampPeriodNs;
    }
  }
}
} // namespace

std::unique_ptr<Device> mxrt::createVulkanDevice(int index) {
  return std::make_unique<VulkanDevice>(index);
}

std::vector<std::string> mxrt::listVulkanDevices() {
  std::vector<std::string> names;
  VkInstance instance;
  try {
    instance = createInstance();
  } catch (const DeviceError &) {
    return names;
  }
  try {
    for (VkPhysicalDevice p : physicalDevices(instance)) {
      VkPhysicalDeviceProperties props;
      vkGetPhysicalDeviceProperties(p, &props);
      names.push_back(props.deviceName);
    }
  } catch (const DeviceError &) {
  }
  vkDestroyInstance(instance, nullptr);
  return names;
}
