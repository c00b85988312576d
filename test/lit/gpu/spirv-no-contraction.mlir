// mxc-spirv-no-contraction: float arithmetic is exact (no reassociation or fusion
// by the driver), as on the CPU.
// RUN: mxc-opt %s --pass-pipeline='builtin.module(spirv.module(mxc-spirv-no-contraction))' | FileCheck %s

// CHECK: spirv.FAdd {{.*}} {no_contraction}
// CHECK: spirv.FSub {{.*}} {no_contraction}
// CHECK: spirv.FMul {{.*}} {no_contraction}
// CHECK-NOT: spirv.IAdd {{.*}} no_contraction
spirv.module Logical GLSL450 requires #spirv.vce<v1.0, [Shader], []> {
  spirv.func @log1p_core(%x: f32, %n: i32) -> f32 "None" {
    %one = spirv.Constant 1.0 : f32
    %u = spirv.FAdd %x, %one : f32
    %d = spirv.FSub %u, %one : f32
    %p = spirv.FMul %d, %x : f32
    %m = spirv.IAdd %n, %n : i32
    spirv.ReturnValue %p : f32
  }
}

// A kernel tiling through workgroup memory (a matmul) keeps contraction, so
// a * b + c can be one FMA.
// CHECK-LABEL: spirv.func @tiled
// CHECK: spirv.FMul
// CHECK-NOT: no_contraction
// CHECK: spirv.ReturnValue
spirv.module Logical GLSL450 requires #spirv.vce<v1.0, [Shader], []> {
  spirv.GlobalVariable @tile : !spirv.ptr<!spirv.array<16 x f32>, Workgroup>
  spirv.func @tiled(%a: f32, %b: f32, %c: f32) -> f32 "None" {
    %t = spirv.mlir.addressof @tile : !spirv.ptr<!spirv.array<16 x f32>, Workgroup>
    %p = spirv.FMul %a, %b : f32
    %s = spirv.FAdd %p, %c : f32
    spirv.ReturnValue %s : f32
  }
}
