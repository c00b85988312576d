//===- python.cpp - the `mxc._mxrt` extension: the GPU runtime for Python ---===//
//
// Separate from `_mxc` on purpose: it links no MLIR, only the runtime and the
// platform's GPU API, so saved programs replay with nothing of the compiler.
//
//===----------------------------------------------------------------------===//
#include "runtime/Program.h"

#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/unique_ptr.h>
#include <nanobind/stl/vector.h>

#include <cstring>

namespace nb = nanobind;
using namespace mxrt;

namespace {
std::vector<uint8_t> toBytes(nb::bytes b) {
  const uint8_t *p = reinterpret_cast<const uint8_t *>(b.c_str());
  return std::vector<uint8_t>(p, p + b.size());
}

Program makeProgram(nb::list kernels, nb::list buffers, nb::list constants, nb::list steps,
                    uint32_t numInputs, uint32_t numOutputs) {
  Program p;
  p.numInputs = numInputs;
  p.numOutputs = numOutputs;
  for (nb::handle h : kernels) {
    nb::tuple t = nb::cast<nb::tuple>(h);
    Kernel k;
    k.entry = nb::cast<std::string>(t[0]);
    auto spirv = toBytes(nb::cast<nb::bytes>(t[1]));
    if (spirv.size() % 4)
      throw Error("SPIR-V must be whole 32-bit words");
    k.spirv.resize(spirv.size() / 4);
    std::memcpy(k.spirv.data(), spirv.data(), spirv.size());
    k.msl = nb::cast<std::string>(t[2]);
    nb::tuple wg = nb::cast<nb::tuple>(t[3]);
    for (int i = 0; i < 3; ++i)
      k.workgroup[i] = nb::cast<uint32_t>(wg[i]);
    k.numBindings = nb::cast<uint32_t>(t[4]);
    k.pushConstantBytes = nb::cast<uint32_t>(t[5]);
    p.kernels.push_back(std::move(k));
  }
  for (nb::handle h : buffers) {
    nb::tuple t = nb::cast<nb::tuple>(h);
    BufferSpec b;
    b.kind = (BufferKind)nb::cast<uint8_t>(t[0]);
    b.index = nb::cast<uint32_t>(t[1]);
    b.bytes = nb::cast<uint64_t>(t[2]);
    p.buffers.push_back(b);
  }
  for (nb::handle h : constants)
    p.constants.push_back(toBytes(nb::cast<nb::bytes>(h)));
  for (nb::handle h : steps) {
    nb::tuple t = nb::cast<nb::tuple>(h);
    Step s;
    std::string op = nb::cast<std::string>(t[0]);
    if (op == "dispatch") {
      s.op = Step::Op::Dispatch;
      s.kernel = nb::cast<uint32_t>(t[1]);
      s.bindings = nb::cast<std::vector<uint32_t>>(t[2]);
      s.push = toBytes(nb::cast<nb::bytes>(t[3]));
      nb::tuple g = nb::cast<nb::tuple>(t[4]);
      for (int i = 0; i < 3; ++i)
        s.grid[i] = nb::cast<uint32_t>(g[i]);
      if (t.size() > 5)  // push slots: (offset, buffer, bytes)
        for (nb::handle slot : nb::cast<nb::sequence>(t[5])) {
          nb::tuple st = nb::cast<nb::tuple>(slot);
          s.pushSlots.push_back({nb::cast<uint32_t>(st[0]), nb::cast<uint32_t>(st[1]),
                                 nb::cast<uint32_t>(st[2])});
        }
    } else if (op == "copy") {
      s.op = Step::Op::Copy;
      s.src = nb::cast<uint32_t>(t[1]);
      s.dst = nb::cast<uint32_t>(t[2]);
      s.srcOffset = nb::cast<uint64_t>(t[3]);
      s.dstOffset = nb::cast<uint64_t>(t[4]);
      s.bytes = nb::cast<uint64_t>(t[5]);
    } else {
      throw Error("unknown step " + op);
    }
    p.steps.push_back(std::move(s));
  }
  p.validate();
  return p;
}

struct View {
  Py_buffer view{};
  bool held = false;
  View(nb::handle obj, bool writable) {
    int flags = PyBUF_C_CONTIGUOUS | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj.ptr(), &view, flags) != 0)
      throw nb::python_error();
    held = true;
  }
  View(View &&o) noexcept : view(o.view), held(o.held) { o.held = false; }
  ~View() {
    if (held)
      PyBuffer_Release(&view);
  }
};

nb::object run(Executable &exe, nb::list inputs, nb::list outputs, bool profile) {
  std::vector<View> views;
  views.reserve(nb::len(inputs) + nb::len(outputs));
  std::vector<HostBuffer> in, out;
  for (nb::handle h : inputs) {
    views.emplace_back(h, false);
    in.push_back({views.back().view.buf, (uint64_t)views.back().view.len});
  }
  for (nb::handle h : outputs) {
    views.emplace_back(h, true);
    out.push_back({views.back().view.buf, (uint64_t)views.back().view.len});
  }
  std::vector<double> times;
  {
    nb::gil_scoped_release unlocked;
    exe.run(in, out, profile ? &times : nullptr);
  }
  if (!profile)
    return nb::none();
  return nb::cast(times);
}

nb::dict infoDict(const DeviceInfo &d) {
  nb::dict r;
  r["name"] = d.name;
  r["api"] = d.api;
  r["type"] = d.type;
  r["max_storage_buffers_per_stage"] = d.maxStorageBuffersPerStage;
  r["max_storage_buffer_range"] = d.maxStorageBufferRange;
  r["max_push_constants_size"] = d.maxPushConstantsSize;
  r["max_workgroup_count"] = nb::make_tuple(d.maxWorkgroupCount[0], d.maxWorkgroupCount[1],
                                            d.maxWorkgroupCount[2]);
  r["max_workgroup_size"] = nb::make_tuple(d.maxWorkgroupSize[0], d.maxWorkgroupSize[1],
                                           d.maxWorkgroupSize[2]);
  r["max_workgroup_invocations"] = d.maxWorkgroupInvocations;
  r["max_shared_memory_bytes"] = d.maxSharedMemoryBytes;
  r["int64"] = d.int64;
  r["float64"] = d.float64;
  r["int16"] = d.int16;
  r["float16"] = d.float16;
  r["int8"] = d.int8;
  r["storage8"] = d.storage8;
  r["storage16"] = d.storage16;
  r["nan_inf_preserve32"] = d.nanInfPreserve32;
  r["denorm_preserve32"] = d.denormPreserve32;
  r["unified_memory"] = d.unifiedMemory;
  r["timestamp_period_ns"] = d.timestampPeriodNs;
  return r;
}
} // namespace

NB_MODULE(_mxrt, m) {
  m.doc() = "mxc's GPU runtime: programs of dispatches replayed on Vulkan (or Metal)";
  nb::register_exception_translator([](const std::exception_ptr &p, void *) {
    try {
      std::rethrow_exception(p);
    } catch (const Error &e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const DeviceError &e) {
      PyErr_SetString(PyExc_RuntimeError, e.what());
    }
  });
  nb::class_<Program>(m, "Program")
      .def(nb::new_(&makeProgram), nb::arg("kernels"), nb::arg("buffers"),
           nb::arg("constants"), nb::arg("steps"), nb::arg("num_inputs"),
           nb::arg("num_outputs"),
           "kernels: (entry, spirv bytes, msl, workgroup size, bindings, push bytes); "
           "buffers: (kind 0 input/1 output/2 temp/3 constant, index, bytes); steps: "
           "('dispatch', kernel, bindings, push bytes, grid[, push slots]) or ('copy', "
           "src, dst, src offset, dst offset, bytes); a push slot (offset, buffer, bytes) "
           "copies an input's or constant's bytes into the push constants at each run.")
      .def("serialize",
           [](const Program &p) {
             auto v = p.serialize();
             return nb::bytes(reinterpret_cast<const char *>(v.data()), v.size());
           })
      .def_static("deserialize",
                  [](nb::bytes b) {
                    return Program::deserialize(reinterpret_cast<const uint8_t *>(b.c_str()),
                                                b.size());
                  })
      .def_prop_ro("num_inputs", [](const Program &p) { return p.numInputs; })
      .def_prop_ro("num_outputs", [](const Program &p) { return p.numOutputs; })
      .def_prop_ro("num_dispatches",
                   [](const Program &p) {
                     size_t n = 0;
                     for (const Step &s : p.steps)
                       n += s.op == Step::Op::Dispatch;
                     return n;
                   })
      .def_prop_ro("dispatches",
                   [](const Program &p) {
                     nb::list out;
                     for (const Step &s : p.steps) {
                       if (s.op != Step::Op::Dispatch)
                         continue;
                       nb::list slots;
                       for (const Step::PushSlot &slot : s.pushSlots)
                         slots.append(nb::make_tuple(slot.offset, slot.buffer, slot.bytes));
                       out.append(nb::make_tuple(s.kernel, s.bindings, s.push.size(), slots));
                     }
                     return out;
                   },
                   "(kernel, bindings, push-constant bytes, push slots) per dispatch.")
      .def_prop_ro("kernels", [](const Program &p) {
        nb::list out;
        for (const Kernel &k : p.kernels)
          out.append(nb::make_tuple(
              k.entry, nb::bytes(reinterpret_cast<const char *>(k.spirv.data()), k.spirv.size() * 4),
              k.msl, nb::make_tuple(k.workgroup[0], k.workgroup[1], k.workgroup[2]),
              k.numBindings, k.pushConstantBytes));
        return out;
      });
  nb::class_<Executable>(m, "Executable")
      .def("run", &run, nb::arg("inputs"), nb::arg("outputs"), nb::arg("profile") = false,
           "Runs the program: inputs are read-only buffers, outputs writable ones; with "
           "profile=True returns each dispatch's GPU time in ns.");
  nb::class_<Device>(m, "Device")
      .def_prop_ro("info", [](const Device &d) { return infoDict(d.info()); })
      .def("load", &Device::load, nb::arg("program"), nb::keep_alive<0, 1>())
      .def_prop_ro("cached_bytes", &Device::cachedBytes)
      .def("clear_cache", &Device::clearCache);
#ifdef MXC_HAVE_METAL
  m.def("metal_available", &metalAvailable);
  m.def("metal_device", &createMetalDevice, "Opens the system's default Metal device.");
#else
  m.def("metal_available", [] { return false; });
#endif
#ifndef MXC_HAVE_VULKAN
  m.def("vulkan_devices", [] { return std::vector<std::string>{}; });
  m.def("vulkan_device", [](int) -> std::unique_ptr<Device> {
    throw DeviceError("this build of mxc has no Vulkan backend");
  }, nb::arg("index") = -1);
#else
  m.def("vulkan_devices", &listVulkanDevices, "Names of the Vulkan devices present.");
  m.def("vulkan_device", &createVulkanDevice, nb::arg("index") = -1,
        "Opens a Vulkan device (-1: the best present).");
#endif
}
