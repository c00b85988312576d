//===- mxc-run.cpp - replay a saved GPU program and time it ------------------===//
//
//   mxc-run PROGRAM.mxcp [--repeat N] [--warmup W] [--device I] [--no-check]
//
// Loads a program saved by GPUExecutable.save (kernels and host steps, no data),
// fills its inputs deterministically, runs W warm-up and N timed runs on the
// Vulkan device and prints wall time per run (upload + kernels + download) and
// kernel time from timestamp queries (the sum over the program's dispatches),
// effective bandwidth and, for a matmul, GFLOP/s. With the sidecar
// PROGRAM.mxcp.txt (written by bench/gpu_programs.py) it knows the dtypes and
// checks the outputs against checksums computed by NumPy; exit status 1 on a
// mismatch. Links only the runtime core and the Vulkan loader: no MLIR, no Python.
//
// Fill (what bench/gpu_programs.py reproduces): element j of input i is
//   r = (j * 2654435761 + 977 * i) mod 1000003   (64-bit unsigned arithmetic)
//   f32: (float)((double)r / 1000003.0 - 0.5)
//   i32: (int32_t)(r % 201) - 100
// Inputs without a sidecar are filled as f32 (trailing bytes zero).
//
// Sidecar lines (whitespace separated; '#' starts a comment):
//   name NAME              | flops F          (2*M*N*K for a matmul, else 0)
//   input I DTYPE COUNT    | output I DTYPE COUNT
//   checksum I SUM ATOL    (float64 sum of output I, allowed |difference|)
//   sample I INDEX VALUE ATOL RTOL
//
//===----------------------------------------------------------------------===//
#include "runtime/Program.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace mxrt;

namespace {
struct Slot {
  std::string dtype = "f32";
  uint64_t count = 0;
};
struct Checksum {
  uint32_t output;
  double sum, atol;
};
struct Sample {
  uint32_t output;
  uint64_t index;
  double value, atol, rtol;
};
struct Sidecar {
  bool present = false;
  std::string name;
  double flops = 0;
  std::vector<Slot> inputs, outputs;
  std::vector<Checksum> checksums;
  std::vector<Sample> samples;
};

Sidecar readSidecar(const std::string &path) {
  Sidecar s;
  std::ifstream f(path);
  if (!f)
    return s;
  s.present = true;
  std::string line;
  int lineNo = 0;
  while (std::getline(f, line)) {
    ++lineNo;
    if (auto h = line.find('#'); h != std::string::npos)
      line.resize(h);
    std::istringstream in(line);
    std::string key;
    if (!(in >> key))
      continue;
    bool ok = true;
    if (key == "name") {
      ok = bool(in >> s.name);
    } else if (key == "flops") {
      ok = bool(in >> s.flops);
    } else if (key == "input" || key == "output") {
      uint32_t i;
      Slot slot;
      ok = bool(in >> i >> slot.dtype >> slot.count);
      auto &v = key == "input" ? s.inputs : s.outputs;
      if (ok) {
        if (v.size() <= i)
          v.resize(i + 1);
        v[i] = slot;
      }
    } else if (key == "checksum") {
      Checksum c;
      ok = bool(in >> c.output >> c.sum >> c.atol);
      s.checksums.push_back(c);
    } else if (key == "sample") {
      Sample c;
      ok = bool(in >> c.output >> c.index >> c.value >> c.atol >> c.rtol);
      s.samples.push_back(c);
    }
    if (!ok) {
      std::fprintf(stderr, "mxc-run: %s:%d: cannot parse '%s'\n", path.c_str(), lineNo,
                   line.c_str());
      std::exit(2);
    }
  }
  return s;
}

uint64_t fillValue(uint64_t j, uint64_t i) {
  return (j * 2654435761ull + 977ull * i) % 1000003ull;
}

void fill(std::vector<uint8_t> &buf, const std::string &dtype, uint32_t input) {
  if (dtype == "f32") {
    float *p = reinterpret_cast<float *>(buf.data());
    size_t n = buf.size() / 4;
    for (size_t j = 0; j < n; ++j)
      p[j] = (float)((double)fillValue(j, input) / 1000003.0 - 0.5);
  } else if (dtype == "i32") {
    int32_t *p = reinterpret_cast<int32_t *>(buf.data());
    size_t n = buf.size() / 4;
    for (size_t j = 0; j < n; ++j)
      p[j] = (int32_t)(fillValue(j, input) % 201) - 100;
  } else {
    std::fprintf(stderr, "mxc-run: unsupported input dtype %s\n", dtype.c_str());
    std::exit(2);
  }
}

double element(const std::vector<uint8_t> &buf, const std::string &dtype, uint64_t j) {
  if (dtype == "i32")
    return reinterpret_cast<const int32_t *>(buf.data())[j];
  return reinterpret_cast<const float *>(buf.data())[j];
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

[[noreturn]] void usage() {
  std::fprintf(stderr, "usage: mxc-run PROGRAM.mxcp [--repeat N] [--warmup W] [--device I] "
                       "[--no-check]\n");
  std::exit(2);
}
} // namespace

int main(int argc, char **argv) {
  std::string path;
  int repeat = 10, warmup = 2, deviceIndex = -1;
  bool check = true;
  for (int a = 1; a < argc; ++a) {
    std::string arg = argv[a];
    auto next = [&]() -> int {
      if (a + 1 >= argc)
        usage();
      return std::atoi(argv[++a]);
    };
    if (arg == "--repeat")
      repeat = std::max(1, next());
    else if (arg == "--warmup")
      warmup = std::max(0, next());
    else if (arg == "--device")
      deviceIndex = next();
    else if (arg == "--no-check")
      check = false;
    else if (arg == "-h" || arg == "--help")
      usage();
    else if (path.empty())
      path = arg;
    else
      usage();
  }
  if (path.empty())
    usage();

  try {
    std::ifstream f(path, std::ios::binary);
    if (!f) {
      std::fprintf(stderr, "mxc-run: cannot open %s\n", path.c_str());
      return 2;
    }
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), {});
    Program program = Program::deserialize(bytes.data(), bytes.size());
    program.validate();
    Sidecar side = readSidecar(path + ".txt");

    std::unique_ptr<Device> device = createVulkanDevice(deviceIndex);
    const DeviceInfo &info = device->info();
    uint32_t dispatches = 0;
    for (const Step &s : program.steps)
      dispatches += s.op == Step::Op::Dispatch;
    std::printf("program: %s (%s)\n", path.c_str(), side.name.empty() ? "-" : side.name.c_str());
    std::printf("device: %s (%s, %s)\n", info.name.c_str(), info.api.c_str(), info.type.c_str());
    std::printf("kernels: %zu, dispatches: %u, steps: %zu\n", program.kernels.size(), dispatches,
                program.steps.size());

    // Input and output host buffers, sized by the program's buffer specs.
    std::vector<std::vector<uint8_t>> in(program.numInputs), out(program.numOutputs);
    for (const BufferSpec &b : program.buffers) {
      if (b.kind == BufferKind::Input)
        in[b.index].assign(b.bytes, 0);
      else if (b.kind == BufferKind::Output)
        out[b.index].assign(b.bytes, 0);
    }
    auto dtypeOf = [&](const std::vector<Slot> &v, size_t i) {
      return i < v.size() ? v[i].dtype : std::string("f32");
    };
    double ioBytes = 0;
    for (size_t i = 0; i < in.size(); ++i) {
      fill(in[i], dtypeOf(side.inputs, i), (uint32_t)i);
      ioBytes += in[i].size();
    }
    for (auto &o : out)
      ioBytes += o.size();
    std::vector<HostBuffer> hin, hout;
    for (auto &b : in)
      hin.push_back({b.data(), b.size()});
    for (auto &b : out)
      hout.push_back({b.data(), b.size()});

    std::unique_ptr<Executable> exe = device->load(program);
    std::vector<double> wall, kernel, times;
    std::vector<std::vector<double>> perDispatch(dispatches);
    for (int r = 0; r < warmup + repeat; ++r) {
      auto t0 = std::chrono::steady_clock::now();
      exe->run(hin, hout, &times);
      auto t1 = std::chrono::steady_clock::now();
      if (r < warmup)
        continue;
      wall.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      double k = 0;
      for (size_t i = 0; i < times.size(); ++i) {
        k += times[i];
        if (i < perDispatch.size())
          perDispatch[i].push_back(times[i] * 1e-6);
      }
      kernel.push_back(k * 1e-6);
    }
    std::printf("runs: %d timed after %d warm-up\n", repeat, warmup);
    std::printf("wall_ms: median %.4f min %.4f (upload + kernels + download)\n", median(wall),
                *std::min_element(wall.begin(), wall.end()));
    double kmed = median(kernel), kmin = *std::min_element(kernel.begin(), kernel.end());
    std::printf("kernel_ms: median %.4f min %.4f (sum over %u dispatches, timestamps)\n", kmed,
                kmin, dispatches);
    {
      uint32_t d = 0;
      for (const Step &s : program.steps)
        if (s.op == Step::Op::Dispatch && d < perDispatch.size() && !perDispatch[d].empty()) {
          const Kernel &k = program.kernels[s.kernel];
          std::printf("  dispatch %u %s grid=[%u,%u,%u] workgroup=[%u,%u,%u]: median %.4f ms\n",
                      d, k.entry.c_str(), s.grid[0], s.grid[1], s.grid[2], k.workgroup[0],
                      k.workgroup[1], k.workgroup[2], median(perDispatch[d]));
          ++d;
        }
    }
    if (kmed > 0) {
      std::printf("bytes: %.0f (inputs + outputs)\n", ioBytes);
      std::printf("bandwidth_GBps: median %.2f best %.2f\n", ioBytes / kmed * 1e-6,
                  ioBytes / kmin * 1e-6);
      if (side.flops > 0)
        std::printf("GFLOPps: median %.2f best %.2f (flops %.0f)\n", side.flops / kmed * 1e-6,
                    side.flops / kmin * 1e-6, side.flops);
    } else {
      std::printf("kernel times unavailable (no timestamp support)\n");
    }

    if (!check)
      return 0;
    if (!side.present) {
      std::printf("check: SKIPPED (no sidecar %s.txt)\n", path.c_str());
      return 0;
    }
    int bad = 0, checked = 0;
    for (const Checksum &c : side.checksums) {
      if (c.output >= out.size()) {
        std::printf("check: sidecar names output %u, program has %zu\n", c.output, out.size());
        ++bad;
        continue;
      }
      std::string dt = dtypeOf(side.outputs, c.output);
      uint64_t n = out[c.output].size() / 4;
      double sum = 0;
      bool finite = true;
      for (uint64_t j = 0; j < n; ++j) {
        double v = element(out[c.output], dt, j);
        finite &= std::isfinite(v);
        sum += v;
      }
      bool ok = finite && std::fabs(sum - c.sum) <= c.atol;
      ++checked;
      if (!ok)
        ++bad;
      std::printf("checksum output %u: got %.9g expected %.9g (atol %.3g) %s\n", c.output, sum,
                  c.sum, c.atol, ok ? "ok" : "MISMATCH");
    }
    int badSamples = 0;
    for (const Sample &s : side.samples) {
      if (s.output >= out.size() || s.index >= out[s.output].size() / 4) {
        ++badSamples;
        continue;
      }
      double v = element(out[s.output], dtypeOf(side.outputs, s.output), s.index);
      bool ok = std::fabs(v - s.value) <= s.atol + s.rtol * std::fabs(s.value);
      ++checked;
      if (!ok) {
        ++badSamples;
        std::printf("sample output %u [%llu]: got %.9g expected %.9g MISMATCH\n", s.output,
                    (unsigned long long)s.index, v, s.value);
      }
    }
    bad += badSamples;
    std::printf("samples: %zu checked, %d mismatched\n", side.samples.size(), badSamples);
    std::printf("check: %s\n", bad ? "FAIL" : "PASS");
    return bad ? 1 : 0;
  } catch (const std::exception &e) {
    std::fprintf(stderr, "mxc-run: %s\n", e.what());
    return 3;
  }
}
