//===- Program.cpp - validation and the serialized form of programs --------===//
//
// Format (little-endian): "MXCP", u32 version, then kernels, buffers, constants
// and steps, each a u32 count followed by fixed fields and length-prefixed
// byte strings.
//
//===----------------------------------------------------------------------===//
#include "runtime/Program.h"

#include <cstring>

using namespace mxrt;

namespace {
constexpr uint32_t kVersion = 2;  // 2: push-constant slots

struct Writer {
  std::vector<uint8_t> out;
  template <typename T> void pod(T v) {
    const uint8_t *p = reinterpret_cast<const uint8_t *>(&v);
    out.insert(out.end(), p, p + sizeof(T));
  }
  void bytes(const void *data, size_t n) {
    pod<uint64_t>(n);
    const uint8_t *p = static_cast<const uint8_t *>(data);
    out.insert(out.end(), p, p + n);
  }
};

struct Reader {
  const uint8_t *p, *end;
  void need(size_t n) {
    if ((size_t)(end - p) < n)
      throw Error("truncated mxc GPU program");
  }
  template <typename T> T pod() {
    need(sizeof(T));
    T v;
    std::memcpy(&v, p, sizeof(T));
    p += sizeof(T);
    return v;
  }
  std::vector<uint8_t> bytes() {
    uint64_t n = pod<uint64_t>();
    need(n);
    std::vector<uint8_t> v(p, p + n);
    p += n;
    return v;
  }
};
} // namespace

void Program::validate() const {
  for (const Kernel &k : kernels)
    if (k.spirv.empty() && k.msl.empty())
      throw Error("kernel " + k.entry + " has no code");
  std::vector<bool> seenIn(numInputs), seenOut(numOutputs);
  for (const BufferSpec &b : buffers) {
    if (b.bytes == 0)
      throw Error("zero-size buffer in program");
    if (b.kind == BufferKind::Input && b.index >= numInputs)
      throw Error("input buffer index out of range");
    if (b.kind == BufferKind::Output && b.index >= numOutputs)
      throw Error("output buffer index out of range");
    if (b.kind == BufferKind::Constant &&
        (b.index >= constants.size() || constants[b.index].size() > b.bytes))
      throw Error("bad constant buffer");
  }
  for (const Step &s : steps) {
    if (s.op == Step::Op::Dispatch) {
      if (s.kernel >= kernels.size())
        throw Error("dispatch of an unknown kernel");
      if (s.bindings.size() != kernels[s.kernel].numBindings)
        throw Error("dispatch of " + kernels[s.kernel].entry + " binds " +
                    std::to_string(s.bindings.size()) + " buffers, the kernel has " +
                    std::to_string(kernels[s.kernel].numBindings));
      for (uint32_t id : s.bindings)
        if (id >= buffers.size())
          throw Error("dispatch binds an unknown buffer");
      if (s.push.size() != kernels[s.kernel].pushConstantBytes)
        throw Error("push constant size mismatch");
      for (const Step::PushSlot &slot : s.pushSlots)
        if (slot.buffer >= buffers.size() || slot.offset + slot.bytes > s.push.size() ||
            slot.bytes > buffers[slot.buffer].bytes ||
            (buffers[slot.buffer].kind != BufferKind::Input &&
             buffers[slot.buffer].kind != BufferKind::Constant))
          throw Error("bad push-constant slot (an input or constant inside the block)");
    } else {
      if (s.src >= buffers.size() || s.dst >= buffers.size() ||
          s.srcOffset + s.bytes > buffers[s.src].bytes ||
          s.dstOffset + s.bytes > buffers[s.dst].bytes)
        throw Error("copy out of range");
    }
  }
}

std::vector<uint8_t> Program::pushBytes(const Step &s,
                                        const std::vector<HostBuffer> &inputs) const {
  std::vector<uint8_t> out = s.push;
  for (const Step::PushSlot &slot : s.pushSlots) {
    const BufferSpec &b = buffers[slot.buffer];
    const uint8_t *src = b.kind == BufferKind::Input
                             ? static_cast<const uint8_t *>(inputs[b.index].data)
                             : constants[b.index].data();
    std::memcpy(out.data() + slot.offset, src, slot.bytes);
  }
  return out;
}

std::vector<uint8_t> Program::serialize() const {
  Writer w;
  w.out = {'M', 'X', 'C', 'P'};
  w.pod(kVersion);
  w.pod(numInputs);
  w.pod(numOutputs);
  w.pod<uint32_t>(kernels.size());
  for (const Kernel &k : kernels) {
    w.bytes(k.entry.data(), k.entry.size());
    w.bytes(k.spirv.data(), k.spirv.size() * 4);
    w.bytes(k.msl.data(), k.msl.size());
    for (uint32_t v : k.workgroup)
      w.pod(v);
    w.pod(k.numBindings);
    w.pod(k.pushConstantBytes);
  }
  w.pod<uint32_t>(buffers.size());
  for (const BufferSpec &b : buffers) {
    w.pod<uint8_t>((uint8_t)b.kind);
    w.pod(b.index);
    w.pod(b.bytes);
  }
  w.pod<uint32_t>(constants.size());
  for (const auto &c : constants)
    w.bytes(c.data(), c.size());
  w.pod<uint32_t>(steps.size());
  for (const Step &s : steps) {
    w.pod<uint8_t>((uint8_t)s.op);
    w.pod(s.kernel);
    w.bytes(s.bindings.data(), s.bindings.size() * 4);
    w.bytes(s.push.data(), s.push.size());
    w.pod<uint32_t>(s.pushSlots.size());
    for (const Step::PushSlot &slot : s.pushSlots) {
      w.pod(slot.offset);
      w.pod(slot.buffer);
      w.pod(slot.bytes);
    }
    for (uint32_t v : s.grid)
      w.pod(v);
    w.pod(s.src);
    w.pod(s.dst);
    w.pod(s.srcOffset);
    w.pod(s.dstOffset);
    w.pod(s.bytes);
  }
  return w.out;
}

Program Program::deserialize(const uint8_t *data, size_t size) {
  Reader r{data, data + size};
  r.need(4);
  if (std::memcmp(r.p, "MXCP", 4) != 0)
    throw Error("not an mxc GPU program (bad magic)");
  r.p += 4;
  if (r.pod<uint32_t>() != kVersion)
    throw Error("unsupported mxc GPU program version");
  Program p;
  p.numInputs = r.pod<uint32_t>();
  p.numOutputs = r.pod<uint32_t>();
  auto words = [](const std::vector<uint8_t> &b) {
    if (b.size() % 4)
      throw Error("corrupt mxc GPU program (word array)");
    std::vector<uint32_t> v(b.size() / 4);
    std::memcpy(v.data(), b.data(), b.size());
    return v;
  };
  p.kernels.resize(r.pod<uint32_t>());
  for (Kernel &k : p.kernels) {
    auto e = r.bytes();
    k.entry.assign(e.begin(), e.end());
    k.spirv = words(r.bytes());
    auto m = r.bytes();
    k.msl.assign(m.begin(), m.end());
    for (uint32_t &v : k.workgroup)
      v = r.pod<uint32_t>();
    k.numBindings = r.pod<uint32_t>();
    k.pushConstantBytes = r.pod<uint32_t>();
  }
  p.buffers.resize(r.pod<uint32_t>());
  for (BufferSpec &b : p.buffers) {
    uint8_t kind = r.pod<uint8_t>();
    if (kind > 3)
      throw Error("corrupt mxc GPU program (buffer kind)");
    b.kind = (BufferKind)kind;
    b.index = r.pod<uint32_t>();
    b.bytes = r.pod<uint64_t>();
  }
  p.constants.resize(r.pod<uint32_t>());
  for (auto &c : p.constants)
    c = r.bytes();
  p.steps.resize(r.pod<uint32_t>());
  for (Step &s : p.steps) {
    uint8_t op = r.pod<uint8_t>();
    if (op > 1)
      throw Error("corrupt mxc GPU program (step)");
    s.op = (Step::Op)op;
    s.kernel = r.pod<uint32_t>();
    s.bindings = words(r.bytes());
    s.push = r.bytes();
    s.pushSlots.resize(r.pod<uint32_t>());
    for (Step::PushSlot &slot : s.pushSlots) {
      slot.offset = r.pod<uint32_t>();
      slot.buffer = r.pod<uint32_t>();
      slot.bytes = r.pod<uint32_t>();
    }
    for (uint32_t &v : s.grid)
      v = r.pod<uint32_t>();
    s.src = r.pod<uint32_t>();
    s.dst = r.pod<uint32_t>();
    s.srcOffset = r.pod<uint64_t>();
    s.dstOffset = r.pod<uint64_t>();
    s.bytes = r.pod<uint64_t>();
  }
  p.validate();
  return p;
}
