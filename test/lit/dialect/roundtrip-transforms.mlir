// RUN: mxc-opt %s | mxc-opt | FileCheck %s
// Round trip of the function transforms vjp, jvp and vmap.

func.func private @f(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32> {
  %0 = array.multiply %x, %y : tensor<3xf32>
  return %0 : tensor<3xf32>
}

func.func private @two_results(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<f32>) {
  %0 = array.sum %x axes = [0] : tensor<3xf32>
  return %x, %0 : tensor<3xf32>, tensor<f32>
}

// CHECK-LABEL: func.func @vjp(
// CHECK-NEXT: %[[R:.*]]:3 = array.vjp @f(%arg0, %arg1) cotangents(%arg2) wrt = [1, 0] : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
// CHECK-NEXT: return %[[R]]#0, %[[R]]#1, %[[R]]#2
func.func @vjp(%x: tensor<3xf32>, %y: tensor<3xf32>, %ct: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %0:3 = array.vjp @f(%x, %y) cotangents(%ct) wrt = [1, 0] : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
  return %0#0, %0#1, %0#2 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// wrt may be empty: only the primal results.
// CHECK-LABEL: func.func @vjp_two_results(
// CHECK-NEXT: %[[R:.*]]:2 = array.vjp @two_results(%arg0) cotangents(%arg0, %arg1) wrt = [] : (tensor<3xf32>, tensor<3xf32>, tensor<f32>) -> (tensor<3xf32>, tensor<f32>)
func.func @vjp_two_results(%x: tensor<3xf32>, %c: tensor<f32>) -> (tensor<3xf32>, tensor<f32>) {
  %0:2 = array.vjp @two_results(%x) cotangents(%x, %c) wrt = [] : (tensor<3xf32>, tensor<3xf32>, tensor<f32>) -> (tensor<3xf32>, tensor<f32>)
  return %0#0, %0#1 : tensor<3xf32>, tensor<f32>
}

// CHECK-LABEL: func.func @jvp(
// CHECK-NEXT: %[[R:.*]]:2 = array.jvp @f(%arg0, %arg1) tangents(%arg1, %arg0) : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
// CHECK-NEXT: return %[[R]]#0, %[[R]]#1
func.func @jvp(%x: tensor<3xf32>, %y: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %0:2 = array.jvp @f(%x, %y) tangents(%y, %x) : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#0, %0#1 : tensor<3xf32>, tensor<3xf32>
}

// CHECK-LABEL: func.func @vmap(
// CHECK-NEXT: %[[R:.*]] = array.vmap @f(%arg0, %arg1) in_axes = [1, -1] out_axes = [0] : (tensor<3x7xf32>, tensor<3xf32>) -> tensor<7x3xf32>
// CHECK-NEXT: return %[[R]] : tensor<7x3xf32>
func.func @vmap(%xs: tensor<3x7xf32>, %y: tensor<3xf32>) -> tensor<7x3xf32> {
  %0 = array.vmap @f(%xs, %y) in_axes = [1, -1] out_axes = [0] : (tensor<3x7xf32>, tensor<3xf32>) -> tensor<7x3xf32>
  return %0 : tensor<7x3xf32>
}

// CHECK-LABEL: func.func @vmap_two_results(
// CHECK-NEXT: %[[R:.*]]:2 = array.vmap @two_results(%arg0) in_axes = [0] out_axes = [1, 0] : (tensor<4x3xf32>) -> (tensor<3x4xf32>, tensor<4xf32>)
func.func @vmap_two_results(%xs: tensor<4x3xf32>) -> (tensor<3x4xf32>, tensor<4xf32>) {
  %0:2 = array.vmap @two_results(%xs) in_axes = [0] out_axes = [1, 0] : (tensor<4x3xf32>) -> (tensor<3x4xf32>, tensor<4xf32>)
  return %0#0, %0#1 : tensor<3x4xf32>, tensor<4xf32>
}
