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
