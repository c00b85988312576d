// RUN: mxc-opt %s | mxc-opt | FileCheck %s
// Round trip of matmul and random_bits.

// CHECK-LABEL: func.func @matmul(
// CHECK-NEXT: %[[A:.*]] = array.matmul %arg0, %arg1 : tensor<2x3xf32>, tensor<3x4xf32>
// CHECK-NEXT: return %[[A]] : tensor<2x4xf32>
func.func @matmul(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %0 = array.matmul %a, %b : tensor<2x3xf32>, tensor<3x4xf32>
  return %0 : tensor<2x4xf32>
}

// CHECK-LABEL: func.func @batch_matmul(
// CHECK-NEXT: %[[A:.*]] = array.matmul %arg0, %arg1 : tensor<5x6x2x3xi32>, tensor<5x6x3x1xi32>
// CHECK-NEXT: return %[[A]] : tensor<5x6x2x1xi32>
func.func @batch_matmul(%a: tensor<5x6x2x3xi32>, %b: tensor<5x6x3x1xi32>) -> tensor<5x6x2x1xi32> {
  %0 = array.matmul %a, %b : tensor<5x6x2x3xi32>, tensor<5x6x3x1xi32>
  return %0 : tensor<5x6x2x1xi32>
}

// CHECK-LABEL: func.func @random_bits(
// CHECK-NEXT: %[[A:.*]] = array.random_bits %arg0 : tensor<2xui32> -> tensor<3x5xui32>
// CHECK-NEXT: %[[B:.*]] = array.random_bits %arg0 : tensor<2xui32> -> tensor<ui32>
// CHECK-NEXT: return %[[A]], %[[B]] : tensor<3x5xui32>, tensor<ui32>
func.func @random_bits(%k: tensor<2xui32>) -> (tensor<3x5xui32>, tensor<ui32>) {
  %0 = array.random_bits %k : tensor<2xui32> -> tensor<3x5xui32>
  %1 = array.random_bits %k : tensor<2xui32> -> tensor<ui32>
  return %0, %1 : tensor<3x5xui32>, tensor<ui32>
}
