// mxc-gpu-math: math ops without a (precise enough) SPIR-V instruction become
// arithmetic the GPU has.
// RUN: mxc-opt %s --mxc-gpu-math | FileCheck %s
// RUN: mxc-opt %s --mxc-gpu-math | FileCheck %s --check-prefix=GONE

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

// powf: exp(y log|x|) with C's special cases (the sign of x for odd integer y;
// 1 where x = 1 or y = 0, NaN included); remf: C's exact fmod, a loop that
// doubles |y| up to |x| and one that subtracts the halvings back, x's sign; log
// of a subnormal: x scaled by 2^23 (0x4B000000), 23 log 2 (15.94...) subtracted.
// GONE-NOT: math.powf
// GONE-NOT: arith.remf
// CHECK-LABEL: func.func @c_semantics
// CHECK-DAG: arith.constant 0x4B000000 : f32
// CHECK-DAG: arith.constant 15.9423847 : f32
// CHECK: math.copysign %{{.*}}, %arg0
// CHECK: arith.cmpf oeq, %arg0
// CHECK: arith.ori
// CHECK: scf.while
// CHECK: scf.while
// CHECK: math.copysign %{{.*}}#1, %arg0
// CHECK: return
func.func @c_semantics(%x: f32, %y: f32) -> (f32, f32) {
  %0 = math.powf %x, %y : f32
  %1 = arith.remf %x, %y : f32
  return %0, %1 : f32, f32
}
