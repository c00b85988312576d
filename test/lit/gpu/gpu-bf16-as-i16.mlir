// mxc-gpu-bf16-as-i16: bf16 storage becomes i16 module-wide (globals, function
// signatures, loads, stores, constants), the bits unchanged.
// RUN: mxc-opt %s --mxc-gpu-bf16-as-i16 | FileCheck %s

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
