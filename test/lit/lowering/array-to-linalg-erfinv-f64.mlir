// RUN: mxc-opt %s --convert-array-to-linalg | FileCheck %s
// erfinv of f64: an f32 first guess (truncf in), then Newton steps in f64 so the
// result has full precision. It used to build an invalid `arith.extf f64 -> f32`.

// CHECK-LABEL: func.func @erfinv_f64(%arg0: tensor<4xf64>) -> tensor<4xf64>
// CHECK: ^bb0(%[[IN:.*]]: f64, %{{.*}}: f64):
// CHECK-NOT: arith.extf %[[IN]]
// CHECK: arith.truncf %[[IN]] : f64 to f32
// CHECK: arith.extf %{{.*}} : f32 to f64
// CHECK: math.erf %{{.*}} : f64
// CHECK: math.copysign %{{.*}} : f64
// CHECK: linalg.yield %{{.*}} : f64
func.func @erfinv_f64(%x: tensor<4xf64>) -> tensor<4xf64> {
  %0 = array.erfinv %x : tensor<4xf64>
  return %0 : tensor<4xf64>
}
