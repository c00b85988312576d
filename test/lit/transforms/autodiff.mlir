// RUN: mxc-opt %s --array-autodiff | FileCheck %s
// RUN: mxc-opt %s --mxc-transforms | FileCheck %s --check-prefix=CLEAN

// Each array.vjp / array.jvp becomes a call to a generated private function that
// recomputes the callee and applies the ops' rules.

func.func private @f(%x: tensor<3xf32>) -> tensor<f32> {
  %0 = array.sin %x : tensor<3xf32>
  %1 = array.sum %0 axes = [0] : tensor<3xf32>
  return %1 : tensor<f32>
}

// CHECK-LABEL: func.func @grad
// CHECK: %[[R:.*]]:2 = call @f_vjp(%arg0, %{{.*}}) : (tensor<3xf32>, tensor<f32>) -> (tensor<f32>, tensor<3xf32>)
// CHECK: return %[[R]]#1
// CLEAN-LABEL: func.func @grad(%arg0: tensor<3xf32>) -> tensor<3xf32>
// CLEAN-NEXT: %[[C:.*]] = array.cos %arg0 : tensor<3xf32>
// CLEAN-NEXT: return %[[C]] : tensor<3xf32>
func.func @grad(%x: tensor<3xf32>) -> tensor<3xf32> {
  %one = array.constant dense<1.0> : tensor<f32>
  %0:2 = array.vjp @f(%x) cotangents(%one) wrt = [0] : (tensor<3xf32>, tensor<f32>) -> (tensor<f32>, tensor<3xf32>)
  return %0#1 : tensor<3xf32>
}

// CHECK-LABEL: func.func @tangent
// CHECK: call @f_jvp
// CLEAN-LABEL: func.func @tangent
// CLEAN: array.cos
// CLEAN: array.multiply
// CLEAN: array.sum
func.func @tangent(%x: tensor<3xf32>, %t: tensor<3xf32>) -> tensor<f32> {
  %0:2 = array.jvp @f(%x) tangents(%t) : (tensor<3xf32>, tensor<3xf32>) -> (tensor<f32>, tensor<f32>)
  return %0#1 : tensor<f32>
}

// Nested: the second derivative of sin is -sin, generated innermost first.
func.func private @s(%x: tensor<f32>) -> tensor<f32> {
  %0 = array.sin %x : tensor<f32>
  return %0 : tensor<f32>
}
func.func private @ds(%x: tensor<f32>) -> tensor<f32> {
  %one = array.constant dense<1.0> : tensor<f32>
  %0:2 = array.vjp @s(%x) cotangents(%one) wrt = [0] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#1 : tensor<f32>
}
// CLEAN-LABEL: func.func @second(%arg0: tensor<f32>) -> tensor<f32>
// CLEAN-NEXT: %[[S:.*]] = array.sin %arg0
// CLEAN-NEXT: %[[N:.*]] = array.negative %[[S]]
// CLEAN-NEXT: return %[[N]]
func.func @second(%x: tensor<f32>) -> tensor<f32> {
  %one = array.constant dense<1.0> : tensor<f32>
  %0:2 = array.vjp @ds(%x) cotangents(%one) wrt = [0] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#1 : tensor<f32>
}

// Broadcasting's cotangent is summed back; matmul's uses transposes.
func.func private @mm(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<f32> {
  %bb = array.broadcast_in_dim %b, dims = [1] : tensor<3xf32> -> tensor<2x3xf32>
  %0 = array.multiply %a, %bb : tensor<2x3xf32>
  %1 = array.sum %0 axes = [0, 1] : tensor<2x3xf32>
  return %1 : tensor<f32>
}
// CLEAN-LABEL: func.func @unbroadcast
// CLEAN: array.sum %{{.*}} axes = [0] : tensor<2x3xf32>
func.func @unbroadcast(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<3xf32> {
  %one = array.constant dense<1.0> : tensor<f32>
  %0:2 = array.vjp @mm(%a, %b) cotangents(%one) wrt = [1] : (tensor<2x3xf32>, tensor<3xf32>, tensor<f32>) -> (tensor<f32>, tensor<3xf32>)
  return %0#1 : tensor<3xf32>
}

// An exclusive scan reuses the inclusive scan's rule: the cotangent moves one
// step back (slice + pad) and goes, through scatter_add, to where the running
// maximum of the recomputed inclusive scan was attained.
func.func private @cmx(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.cummax %x axis = 0 {inclusive = false} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CLEAN-LABEL: func.func @exclusive_cummax
// CLEAN: %[[Z:.*]] = array.cummax %arg0 axis = 0 : tensor<4xf32>
// CLEAN: %[[S:.*]] = array.slice %arg1{{\[\[}}1]] sizes = [3] strides = [1]
// CLEAN: %[[G:.*]] = array.pad %[[S]], %{{.*}} low = [0] high = [1]
// CLEAN: %[[W:.*]] = array.equal %arg0, %[[Z]]
// CLEAN: %[[A:.*]] = array.select %[[W]]
// CLEAN: %[[L:.*]] = array.cummax %[[A]] axis = 0 : tensor<4xi64>
// CLEAN: %[[U:.*]] = array.reshape %[[G]]
// CLEAN: array.scatter_add %{{.*}}[%[[L]]], %[[U]] axes = [0]
func.func @exclusive_cummax(%x: tensor<4xf32>, %c: tensor<4xf32>) -> tensor<4xf32> {
  %0:2 = array.vjp @cmx(%x) cotangents(%c) wrt = [0] : (tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return %0#1 : tensor<4xf32>
}
