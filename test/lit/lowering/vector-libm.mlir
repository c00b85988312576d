// RUN: mxc-opt %s --mxc-vector-libm=target=avx2 | FileCheck %s
// RUN: mxc-opt %s --mxc-vector-libm=target=none | FileCheck %s --check-prefix=NONE
// RUN: not mxc-opt %s --mxc-vector-libm=target=sse 2>&1 | FileCheck %s --check-prefix=BAD
// f32/f64 math intrinsics and libm calls that libmvec has become calls of pure
// `mxc_vm_*` functions whose VFABI mapping names libmvec's AVX2 variant; the
// vector declarations stay alive through @llvm.compiler.used. Other math (sqrt,
// f16) is left alone.

// CHECK-LABEL: llvm.func @f(
// CHECK: %[[E:.*]] = llvm.call @mxc_vm_expf(%arg0) : (f32) -> f32
// CHECK: llvm.call @mxc_vm_pow(%arg1, %arg1) : (f64, f64) -> f64
// CHECK: llvm.call @mxc_vm_erff(%[[E]]) : (f32) -> f32
// CHECK: llvm.intr.sqrt(%arg0) : (f32) -> f32
// CHECK: llvm.intr.exp(%arg2) : (f16) -> f16
// CHECK: llvm.call @mxc_vm_expf(%arg0)
// NONE: llvm.intr.exp(%arg0) : (f32) -> f32
// NONE-NOT: mxc_vm
// BAD: unknown target 'sse'
llvm.func @erff(f32) -> f32
llvm.func @f(%arg0: f32, %arg1: f64, %arg2: f16) -> f32 {
  %0 = llvm.intr.exp(%arg0) : (f32) -> f32
  %1 = llvm.intr.pow(%arg1, %arg1) : (f64, f64) -> f64
  %2 = llvm.call @erff(%0) : (f32) -> f32
  %3 = llvm.intr.sqrt(%arg0) : (f32) -> f32
  %4 = llvm.intr.exp(%arg2) : (f16) -> f16
  %5 = llvm.intr.exp(%arg0) : (f32) -> f32
  llvm.return %2 : f32
}

// CHECK-DAG: llvm.func @mxc_vm_expf(f32) -> f32 attributes {memory_effects = #llvm.memory_effects<{{.*}}>, no_unwind, passthrough = {{\[}}["vector-function-abi-variant", "_ZGV_LLVM_N8v_mxc_vm_expf(_ZGVdN8v_expf)"]], will_return}
// CHECK-DAG: llvm.func @_ZGVdN8v_expf(vector<8xf32>) -> vector<8xf32>
// CHECK-DAG: "_ZGV_LLVM_N4vv_mxc_vm_pow(_ZGVdN4vv_pow)"
// CHECK-DAG: llvm.func @_ZGVdN4vv_pow(vector<4xf64>, vector<4xf64>) -> vector<4xf64>
// CHECK-DAG: "_ZGV_LLVM_N8v_mxc_vm_erff(_ZGVdN8v_erff)"
// CHECK-DAG: llvm.mlir.global appending @llvm.compiler.used() {{{.*}}section = "llvm.metadata"{{.*}}} : !llvm.array<3 x ptr>
