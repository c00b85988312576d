// mxc-gpu-storage-as-int: bf16 storage becomes i16 and complex<f32> i64 module-wide
// (globals, function signatures, loads, stores, constants), the bits unchanged.
// RUN: mxc-opt %s --mxc-gpu-storage-as-int | FileCheck %s

// 1.0 = 0x3f80, 2.0 = 0x4000, 1.5 = 0x3fc0 in bf16.
// CHECK: memref.global "private" constant @c : memref<2xi16> = dense<[16256, 16384]>
// CHECK-LABEL: func.func @main
// CHECK-SAME: memref<2xi16>
// CHECK: arith.constant 16320 : i16
// CHECK-NOT: bf16
memref.global "private" constant @c : memref<2xbf16> = dense<[1.0, 2.0]>
func.func @main(%a: memref<2xbf16>, %o: memref<2xbf16>, %p: i1) {
  %c0 = arith.constant 0 : index
  %g = memref.get_global @c : memref<2xbf16>
  %v = memref.load %a[%c0] : memref<2xbf16>
  %w = memref.load %g[%c0] : memref<2xbf16>
  %i = arith.bitcast %v : bf16 to i16
  %j = arith.bitcast %w : bf16 to i16
  %s = arith.addi %i, %j : i16
  %r = arith.bitcast %s : i16 to bf16
  %k = arith.constant 1.5 : bf16
  %m = arith.select %p, %r, %k : bf16
  memref.store %m, %o[%c0] : memref<2xbf16>
  return
}

// -----

// complex<f32> becomes i64 (the real part in the low word): parts by shifts and
// bitcasts, constants as one i64 (1.0 = 0x3f800000, 2.0 = 0x40000000 in the high word).
// CHECK-LABEL: func.func @complex_parts
// CHECK-SAME: memref<2xi64>
// CHECK-DAG: arith.constant 32 : i64
// CHECK-DAG: arith.shrui
// CHECK-DAG: arith.trunci {{.*}} : i64 to i32
// CHECK-DAG: arith.shli
// CHECK-DAG: arith.constant 4611686019492741120 : i64
// CHECK-NOT: complex
func.func @complex_parts(%a: memref<2xcomplex<f32>>, %o: memref<2xcomplex<f32>>, %p: i1) {
  %c0 = arith.constant 0 : index
  %z = memref.load %a[%c0] : memref<2xcomplex<f32>>
  %re = complex.re %z : complex<f32>
  %im = complex.im %z : complex<f32>
  %s = arith.addf %re, %im : f32
  %w = complex.create %s, %re : complex<f32>
  %k = complex.constant [1.0 : f32, 2.0 : f32] : complex<f32>
  %m = arith.select %p, %w, %k : complex<f32>
  memref.store %m, %o[%c0] : memref<2xcomplex<f32>>
  return
}
