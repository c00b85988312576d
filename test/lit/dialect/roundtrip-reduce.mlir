// RUN: mxc-opt %s | mxc-opt | FileCheck %s
// Round trip of reductions, arg-reductions, scans and sorting.

// CHECK-LABEL: func.func @reductions(
// CHECK-NEXT: %[[A:.*]] = array.sum %arg0 axes = [0, 2] : tensor<2x3x4xf32>
// CHECK-NEXT: %[[B:.*]] = array.prod %arg0 axes = [1] : tensor<2x3x4xf32>
// CHECK-NEXT: %[[C:.*]] = array.max %arg0 axes = [2, 0, 1] : tensor<2x3x4xf32>
// CHECK-NEXT: %[[D:.*]] = array.min %arg0 axes = [] : tensor<2x3x4xf32>
// CHECK-NEXT: return %[[A]], %[[B]], %[[C]], %[[D]] : tensor<3xf32>, tensor<2x4xf32>, tensor<f32>, tensor<2x3x4xf32>
func.func @reductions(%a: tensor<2x3x4xf32>) -> (tensor<3xf32>, tensor<2x4xf32>, tensor<f32>, tensor<2x3x4xf32>) {
  %0 = array.sum %a axes = [0, 2] : tensor<2x3x4xf32>
  %1 = array.prod %a axes = [1] : tensor<2x3x4xf32>
  %2 = array.max %a axes = [2, 0, 1] : tensor<2x3x4xf32>
  %3 = array.min %a axes = [] : tensor<2x3x4xf32>
  return %0, %1, %2, %3 : tensor<3xf32>, tensor<2x4xf32>, tensor<f32>, tensor<2x3x4xf32>
}

// CHECK-LABEL: func.func @int_reductions(
// CHECK-NEXT: %[[A:.*]] = array.sum %arg0 axes = [1] : tensor<2x3xui8>
// CHECK-NEXT: %[[B:.*]] = array.max %arg1 axes = [0] : tensor<2x3xi1>
// CHECK-NEXT: return %[[A]], %[[B]] : tensor<2xui8>, tensor<3xi1>
func.func @int_reductions(%a: tensor<2x3xui8>, %b: tensor<2x3xi1>) -> (tensor<2xui8>, tensor<3xi1>) {
  %0 = array.sum %a axes = [1] : tensor<2x3xui8>
  %1 = array.max %b axes = [0] : tensor<2x3xi1>
  return %0, %1 : tensor<2xui8>, tensor<3xi1>
}

// CHECK-LABEL: func.func @all_any(
// CHECK-NEXT: %[[A:.*]] = array.all %arg0 axes = [1] : tensor<2x3xi1>
// CHECK-NEXT: %[[B:.*]] = array.any %arg0 axes = [0, 1] : tensor<2x3xi1>
// CHECK-NEXT: return %[[A]], %[[B]] : tensor<2xi1>, tensor<i1>
func.func @all_any(%a: tensor<2x3xi1>) -> (tensor<2xi1>, tensor<i1>) {
  %0 = array.all %a axes = [1] : tensor<2x3xi1>
  %1 = array.any %a axes = [0, 1] : tensor<2x3xi1>
  return %0, %1 : tensor<2xi1>, tensor<i1>
}

// CHECK-LABEL: func.func @arg_reductions(
// CHECK-NEXT: %[[A:.*]] = array.argmax %arg0 axis = 1 : tensor<2x3xf16>
// CHECK-NEXT: %[[B:.*]] = array.argmin %arg0 axis = 0 : tensor<2x3xf16>
// CHECK-NEXT: return %[[A]], %[[B]] : tensor<2xui32>, tensor<3xui32>
func.func @arg_reductions(%a: tensor<2x3xf16>) -> (tensor<2xui32>, tensor<3xui32>) {
  %0 = array.argmax %a axis = 1 : tensor<2x3xf16>
  %1 = array.argmin %a axis = 0 : tensor<2x3xf16>
  return %0, %1 : tensor<2xui32>, tensor<3xui32>
}

// Default attributes are elided; non-default ones print in the attr-dict.
// CHECK-LABEL: func.func @scans(
// CHECK-NEXT: %[[A:.*]] = array.cumsum %arg0 axis = 1 : tensor<2x3xi32>
// CHECK-NEXT: %[[B:.*]] = array.cumprod %[[A]] axis = 0 {reverse = true} : tensor<2x3xi32>
// CHECK-NEXT: %[[C:.*]] = array.cummax %[[B]] axis = 1 {inclusive = false} : tensor<2x3xi32>
// CHECK-NEXT: %[[D:.*]] = array.cummin %[[C]] axis = 1 {inclusive = false, reverse = true} : tensor<2x3xi32>
// CHECK-NEXT: return %[[D]] : tensor<2x3xi32>
func.func @scans(%a: tensor<2x3xi32>) -> tensor<2x3xi32> {
  %0 = array.cumsum %a axis = 1 : tensor<2x3xi32>
  %1 = array.cumprod %0 axis = 0 {reverse = true} : tensor<2x3xi32>
  %2 = array.cummax %1 axis = 1 {inclusive = false, reverse = false} : tensor<2x3xi32>
  %3 = array.cummin %2 axis = 1 {reverse = true, inclusive = false} : tensor<2x3xi32>
  return %3 : tensor<2x3xi32>
}

// CHECK-LABEL: func.func @sorting(
// CHECK-NEXT: %[[A:.*]] = array.sort %arg0 axis = 0 : tensor<4x3xf32>
// CHECK-NEXT: %[[B:.*]] = array.argsort %arg0 axis = 1 : tensor<4x3xf32>
// CHECK-NEXT: return %[[A]], %[[B]] : tensor<4x3xf32>, tensor<4x3xui32>
func.func @sorting(%a: tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<4x3xui32>) {
  %0 = array.sort %a axis = 0 : tensor<4x3xf32>
  %1 = array.argsort %a axis = 1 : tensor<4x3xf32>
  return %0, %1 : tensor<4x3xf32>, tensor<4x3xui32>
}
