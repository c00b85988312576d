// mxc-gpu-math: math ops without a (precise enough) SPIR-V instruction become
// arithmetic the GPU has.
// RUN: mxc-opt %s --mxc-gpu-math | FileCheck %s

// CHECK-LABEL: func.func @f
// CHECK-NOT: math.erf
// CHECK-NOT: math.atan2
// CHECK-NOT: math.ipowi
// CHECK-NOT: math.sinh
// CHECK-NOT: math.absi
// CHECK-NOT: math.log
// ipowi: square-and-multiply over the exponent's 32 bits.
// CHECK: scf.for {{.*}} iter_args
// CHECK: arith.shrui
// atan2 and sinh keep the argument's sign.
// CHECK: math.copysign
// CHECK: return
func.func @f(%x: f32, %y: f32, %i: i32, %n: i32, %b: i8) -> (f32, f32, i32, f32, i8, f32) {
  %0 = math.erf %x : f32
  %1 = math.atan2 %x, %y : f32
  %2 = math.ipowi %i, %n : i32
  %3 = math.sinh %x : f32
  %4 = math.absi %b : i8
  %5 = math.log %x : f32
  return %0, %1, %2, %3, %4, %5 : f32, f32, i32, f32, i8, f32
}
