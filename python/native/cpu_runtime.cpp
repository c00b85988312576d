//===- cpu_runtime.cpp - functions that JIT-compiled CPU code calls --------===//
//
// `mxc-matmul-to-blas` turns every f32/f64 `linalg.batch_matmul` on buffers into
// a call of `mxc_rt_gemm_f32` / `mxc_rt_gemm_f64` with the buffers' addresses and
// strides. These forward each batch to a CBLAS gemm (the OpenBLAS that NumPy ships,
// opened by `mxc.core` at import), handling any strides: a unit stride along
// either axis maps to BLAS's own transpose flag, anything else is packed first.
// Without a BLAS they run a plain loop, so compiled code always links.
//
//===----------------------------------------------------------------------===//
#include "python/native/cpu_runtime.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstdint>
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
          int64_t bcs, T *c, int64_t cbs, int64_t crs, int64_t ccs) {
  std::vector<T> pa, pb, pc;
  for (int64_t p = 0; p < batch; ++p) {
    View<T> va{a + p * abs, m, k, ars, acs}, vb{b + p * bbs, k, n, brs, bcs};
    T *cp = c + p * cbs;
    if (!blas) { // C += A B, (i, k, j) order so the inner loop streams rows.
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
      blas(kRowMajor, ta, tb, m, n, k, T(1), va.data, lda, vb.data, ldb, T(1), cp, ldc);
      continue;
    }
    pack(vc, pc); // accumulate into a packed copy, then write it back
    blas(kRowMajor, ta, tb, m, n, k, T(1), va.data, lda, vb.data, ldb, T(1), pc.data(),
         std::max<int64_t>(n, 1));
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j)
        cp[i * crs + j * ccs] = pc[i * n + j];
  }
}
} // namespace

extern "C" {
void mxc_rt_gemm_f32(int64_t batch, int64_t m, int64_t n, int64_t k, const float *a,
                     int64_t abs, int64_t ars, int64_t acs, const float *b, int64_t bbs,
                     int64_t brs, int64_t bcs, float *c, int64_t cbs, int64_t crs,
                     int64_t ccs) {
  gemm(sgemm, batch, m, n, k, a, abs, ars, acs, b, bbs, brs, bcs, c, cbs, crs, ccs);
}

void mxc_rt_gemm_f64(int64_t batch, int64_t m, int64_t n, int64_t k, const double *a,
                     int64_t abs, int64_t ars, int64_t acs, const double *b, int64_t bbs,
                     int64_t brs, int64_t bcs, double *c, int64_t cbs, int64_t crs,
                     int64_t ccs) {
  gemm(dgemm, batch, m, n, k, a, abs, ars, acs, b, bbs, brs, bcs, c, cbs, crs, ccs);
}
}

namespace mxc {
bool loadBlas(const std::string &path, const std::string &sgemmName,
              const std::string &dgemmName) {
  void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    return false;
  auto s = reinterpret_cast<Gemm<float>>(dlsym(handle, sgemmName.c_str()));
  auto d = reinterpret_cast<Gemm<double>>(dlsym(handle, dgemmName.c_str()));
  if (!s || !d)
    return false;
  sgemm = s, dgemm = d, blasPath = path;
  return true;
}

const std::string &loadedBlas() { return blasPath; }

std::vector<std::pair<std::string, uintptr_t>> runtimeSymbols() {
  return {{"mxc_rt_gemm_f32", reinterpret_cast<uintptr_t>(&mxc_rt_gemm_f32)},
          {"mxc_rt_gemm_f64", reinterpret_cast<uintptr_t>(&mxc_rt_gemm_f64)}};
}
} // namespace mxc
