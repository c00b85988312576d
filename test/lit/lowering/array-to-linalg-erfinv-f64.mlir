// RUN: mxc-opt %s --convert-array-to-linalg | FileCheck %s
// erfinv of f64 computes in f32 (truncf in, extf out). It used to build an
// invalid `arith.extf f64 -> f32` before truncating (buildErfinv).

// CHECK-LABEL: func.func @erfinv_f64(%arg0: tensor<4xf64>) -> tensor<4xf64>
// CHECK: ^bb0(%[[IN:.*]]: f64, %{{.*}}: f64):
// CHECK-NOT: arith.extf %[[IN]]
// CHECK: arith.truncf %[[IN]] : f64 to f32
// CHECK: math.erf %{{.*}} : f32
// CHECK: %[[R:.*]] = arith.extf %{{.*}} : f32 to f64
// CHECK-NEXT: linalg.yield %[[R]] : f64
func.func @erfinv_f64(%x: tensor<4xf64>) -> tensor<4xf64> {
  %0 = array.erfinv %x : tensor<4xf64>
  return %0 : tensor<4xf64>
}
