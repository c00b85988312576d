// RUN: mxc-opt %s | mxc-opt | FileCheck %s

// CHECK-LABEL: func.func @smoke
func.func @smoke(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: array.add %{{.*}}, %{{.*}} : tensor<4xf32>
  %0 = array.add %a, %b : tensor<4xf32>
  return %0 : tensor<4xf32>
}
