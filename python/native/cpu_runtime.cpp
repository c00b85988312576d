//===- cpu_runtime.cpp - libmxc_cpu_runtime: what compiled CPU code calls ---===//
//
// A small shared library, loaded with global symbols before any compiled program
// (JIT or cached shared object) runs:
//  - `mxc-matmul-to-blas` turns every f32/f64 `linalg.batch_matmul` on buffers into
//    a call of `mxc_rt_gemm_f32` / `mxc_rt_gemm_f64` with the buffers' addresses and
//    strides. These forward each batch to a CBLAS gemm (the OpenBLAS that NumPy
//    ships, opened by `mxc` on first compile), handling any strides: a unit stride
//    along either axis maps to BLAS's own transpose flag, anything else is packed
//    first. Without a BLAS they run a plain loop, so compiled code always links.
//  - `mxc-vector-libm` calls `mxc_vm_<libm function>` for scalar math whose vector
//    form is libmvec's: these forward to libm.
//  - `finalize-memref-to-llvm` calls `memrefCopy` for copies between strided
//    buffers, and LLVM calls `__truncsfbf2`/`__truncdfbf2` to round to bfloat16:
//    they are here (as MLIR's runner utilities define them) so programs need nothing
//    of MLIR at run time.
//
//===----------------------------------------------------------------------===//
#include <dlfcn.h>
#include <math.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace {
// CBLAS's enum values (cblas.h).
constexpr int kRowMajor = 101, kNoTrans = 111, kTrans = 112;

template <typename T>
using Gemm = void (*)(int order, int ta, int tb, int64_t m, int64_t n, int64_t k, T alpha,
                      const T *a, int64_t lda, const T *b, int64_t ldb, T beta, T *c,
                      int64_t ldc);
Gemm<float> sgemm = nullptr;
Gemm<double> dgemm = nullptr;
std::string blasPath;
/// OpenBLAS's per-thread thread count, where the library has it.
int (*setThreadsLocal)(int) = nullptr;
/// Below this many multiply-adds a gemm runs on the calling thread: waking BLAS
/// threads costs more than it saves there, and on a loaded machine much more (a
/// 128x784x256 product took 10x longer with 2 OpenBLAS threads next to one busy core).
constexpr double kThreadedWork = 128.0 * 1024 * 1024;

/// One matrix operand: rows x cols with element strides (rs, cs).
template <typename T> struct View {
  const T *data;
  int64_t rows, cols, rs, cs;
};

/// How BLAS can read `v` in row-major order: its transpose flag and leading
/// dimension, or false when neither axis has unit stride.
template <typename T> bool blasLayout(View<T> v, int &trans, int64_t &ld) {
  // Strides of length-1 axes are arbitrary; give them the contiguous value.
  int64_t rs = v.rows == 1 ? std::max<int64_t>(v.cols, 1) : v.rs;
  int64_t cs = v.cols == 1 ? 1 : v.cs;
  if (cs == 1 && rs >= std::max<int64_t>(v.cols, 1)) {
    trans = kNoTrans, ld = rs;
    return true;
  }
  rs = v.rows == 1 ? 1 : v.rs;
  cs = v.cols == 1 ? std::max<int64_t>(v.rows, 1) : v.cs;
  if (rs == 1 && cs >= std::max<int64_t>(v.rows, 1)) {
    trans = kTrans, ld = cs;
    return true;
  }
  return false;
}

template <typename T> void pack(View<T> v, std::vector<T> &out) {
  out.resize(v.rows * v.cols);
  for (int64_t i = 0; i < v.rows; ++i)
    for (int64_t j = 0; j < v.cols; ++j)
      out[i * v.cols + j] = v.data[i * v.rs + j * v.cs];
}

template <typename T>
void gemm(Gemm<T> blas, int64_t batch, int64_t m, int64_t n, int64_t k, const T *a,
          int64_t abs, int64_t ars, int64_t acs, const T *b, int64_t bbs, int64_t brs,
          int64_t bcs, T *c, int64_t cbs, int64_t crs, int64_t ccs, int64_t accumulate) {
  T beta = accumulate ? T(1) : T(0);
  std::vector<T> pa, pb, pc;
  int previousThreads = -1;
  if (blas && setThreadsLocal && double(batch) * m * n * k < kThreadedWork)
    previousThreads = setThreadsLocal(1);
  for (int64_t p = 0; p < batch; ++p) {
    View<T> va{a + p * abs, m, k, ars, acs}, vb{b + p * bbs, k, n, brs, bcs};
    T *cp = c + p * cbs;
    if (!blas) { // C = A B + beta C, (i, k, j) order so the inner loop streams rows.
      if (!accumulate)
        for (int64_t i = 0; i < m; ++i)
          for (int64_t j = 0; j < n; ++j)
            cp[i * crs + j * ccs] = T(0);
      for (int64_t i = 0; i < m; ++i)
        for (int64_t kk = 0; kk < k; ++kk) {
          T x = va.data[i * ars + kk * acs];
          for (int64_t j = 0; j < n; ++j)
            cp[i * crs + j * ccs] += x * vb.data[kk * brs + j * bcs];
        }
      continue;
    }
    int ta, tb;
    int64_t lda, ldb;
    if (!blasLayout(va, ta, lda)) {
      pack(va, pa);
      va = {pa.data(), m, k, k, 1};
      ta = kNoTrans, lda = std::max<int64_t>(k, 1);
    }
    if (!blasLayout(vb, tb, ldb)) {
      pack(vb, pb);
      vb = {pb.data(), k, n, n, 1};
      tb = kNoTrans, ldb = std::max<int64_t>(n, 1);
    }
    int tc;
    int64_t ldc;
    View<T> vc{cp, m, n, crs, ccs};
    if (blasLayout(vc, tc, ldc) && tc == kNoTrans) {
      blas(kRowMajor, ta, tb, m, n, k, T(1), va.data, lda, vb.data, ldb, beta, cp, ldc);
      continue;
    }
    pack(vc, pc); // into a packed copy, then write it back
    blas(kRowMajor, ta, tb, m, n, k, T(1), va.data, lda, vb.data, ldb, beta, pc.data(),
         std::max<int64_t>(n, 1));
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j)
        cp[i * crs + j * ccs] = pc[i * n + j];
  }
  if (previousThreads > 0)
    setThreadsLocal(previousThreads);
}
} // namespace

extern "C" {
void mxc_rt_gemm_f32(int64_t batch, int64_t m, int64_t n, int64_t k, const float *a,
                     int64_t abs, int64_t ars, int64_t acs, const float *b, int64_t bbs,
                     int64_t brs, int64_t bcs, float *c, int64_t cbs, int64_t crs,
                     int64_t ccs, int64_t accumulate) {
  gemm(sgemm, batch, m, n, k, a, abs, ars, acs, b, bbs, brs, bcs, c, cbs, crs, ccs,
       accumulate);
}

void mxc_rt_gemm_f64(int64_t batch, int64_t m, int64_t n, int64_t k, const double *a,
                     int64_t abs, int64_t ars, int64_t acs, const double *b, int64_t bbs,
                     int64_t brs, int64_t bcs, double *c, int64_t cbs, int64_t crs,
                     int64_t ccs, int64_t accumulate) {
  gemm(dgemm, batch, m, n, k, a, abs, ars, acs, b, bbs, brs, bcs, c, cbs, crs, ccs,
       accumulate);
}

// Scalar math for mxc-vector-libm (the names keep LLVM from turning the calls back
// into intrinsics; see lowering/VectorLibm.cpp).
#define MXC_UNARY(name)                                                                \
  float mxc_vm_##name##f(float x) { return ::name##f(x); }                             \
  double mxc_vm_##name(double x) { return ::name(x); }
#define MXC_BINARY(name)                                                               \
  float mxc_vm_##name##f(float x, float y) { return ::name##f(x, y); }                 \
  double mxc_vm_##name(double x, double y) { return ::name(x, y); }
MXC_UNARY(exp) MXC_UNARY(exp2) MXC_UNARY(exp10) MXC_UNARY(log) MXC_UNARY(log2)
MXC_UNARY(log10) MXC_UNARY(sin) MXC_UNARY(cos) MXC_UNARY(tan) MXC_UNARY(asin)
MXC_UNARY(acos) MXC_UNARY(atan) MXC_UNARY(sinh) MXC_UNARY(cosh) MXC_UNARY(tanh)
MXC_UNARY(erf) MXC_UNARY(erfc) MXC_UNARY(cbrt) MXC_UNARY(expm1) MXC_UNARY(log1p)
MXC_UNARY(asinh) MXC_UNARY(acosh) MXC_UNARY(atanh)
MXC_BINARY(pow) MXC_BINARY(atan2) MXC_BINARY(hypot)
#undef MXC_UNARY
#undef MXC_BINARY

int mxc_rt_load_blas(const char *path, const char *sgemmName, const char *dgemmName) {
  void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    return 0;
  auto s = reinterpret_cast<Gemm<float>>(dlsym(handle, sgemmName));
  auto d = reinterpret_cast<Gemm<double>>(dlsym(handle, dgemmName));
  if (!s || !d)
    return 0;
  sgemm = s, dgemm = d, blasPath = path;
  setThreadsLocal = reinterpret_cast<int (*)(int)>(dlsym(handle, "openblas_set_num_threads_local"));
  return 1;
}

const char *mxc_rt_loaded_blas() { return blasPath.c_str(); }

// Round to nearest even to bfloat16 (NaN stays a quiet NaN). bfloat16 travels in the
// low 16 bits of a floating-point register (x86-64 and AArch64 calling conventions),
// so a float whose low 16 bits are the result returns it where LLVM expects it.
using BF16 = float;

static BF16 toBF16(uint16_t bits) {
  uint32_t wide = bits;
  BF16 out;
  std::memcpy(&out, &wide, sizeof(out));
  return out;
}

__attribute__((weak)) BF16 __truncsfbf2(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof(f));
  if ((bits & 0x7fffffffu) > 0x7f800000u)
    return toBF16(uint16_t((bits >> 16) | 0x40));
  bits += 0x7fffu + ((bits >> 16) & 1u);
  return toBF16(uint16_t(bits >> 16));
}

__attribute__((weak)) BF16 __truncdfbf2(double d) {
  // Through float with round-to-odd, so the second rounding is exact.
  float f = static_cast<float>(d);
  if (std::isfinite(d) && std::isfinite(f) && static_cast<double>(f) != d) {
    if (std::fabs(static_cast<double>(f)) > std::fabs(d))
      f = std::nextafter(f, 0.0f);
    uint32_t bits;
    std::memcpy(&bits, &f, sizeof(f));
    bits |= 1u;
    std::memcpy(&f, &bits, sizeof(f));
  }
  return __truncsfbf2(f);
}

/// A ranked memref descriptor behind an unranked one: {allocated, aligned, offset,
/// sizes[rank], strides[rank]}, in elements.
struct UnrankedMemRef {
  int64_t rank;
  void *descriptor;
};

void memrefCopy(int64_t elemSize, UnrankedMemRef *src, UnrankedMemRef *dst) {
  int64_t rank = src->rank;
  auto fields = [](UnrankedMemRef *m, char *&data, const int64_t *&sizes,
                   const int64_t *&strides) {
    auto *d = static_cast<char *>(m->descriptor);
    int64_t offset;
    std::memcpy(&data, d + sizeof(void *), sizeof(char *));
    std::memcpy(&offset, d + 2 * sizeof(void *), sizeof(int64_t));
    sizes = reinterpret_cast<const int64_t *>(d + 2 * sizeof(void *) + sizeof(int64_t));
    strides = sizes + m->rank;
    return offset;
  };
  char *sp, *dp;
  const int64_t *sizes, *ss, *ds, *dsizes;
  int64_t so = fields(src, sp, sizes, ss), dof = fields(dst, dp, dsizes, ds);
  sp += so * elemSize, dp += dof * elemSize;
  if (rank == 0) {
    std::memcpy(dp, sp, elemSize);
    return;
  }
  for (int64_t d = 0; d < rank; ++d)
    if (sizes[d] == 0)
      return;
  // Walk every index but the last like an odometer; the last axis is one memcpy
  // when both sides are contiguous along it.
  std::vector<int64_t> index(rank, 0);
  int64_t inner = sizes[rank - 1];
  bool contiguous = ss[rank - 1] == 1 && ds[rank - 1] == 1;
  while (true) {
    if (contiguous) {
      std::memcpy(dp, sp, inner * elemSize);
    } else {
      for (int64_t i = 0; i < inner; ++i)
        std::memcpy(dp + i * ds[rank - 1] * elemSize, sp + i * ss[rank - 1] * elemSize,
                    elemSize);
    }
    int64_t axis = rank - 2;
    for (; axis >= 0; --axis) {
      sp += ss[axis] * elemSize, dp += ds[axis] * elemSize;
      if (++index[axis] < sizes[axis])
        break;
      sp -= ss[axis] * sizes[axis] * elemSize, dp -= ds[axis] * sizes[axis] * elemSize;
      index[axis] = 0;
    }
    if (axis < 0)
      return;
  }
}
}
