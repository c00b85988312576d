// RUN: mxc-opt %s --array-vectorize | FileCheck %s
// RUN: mxc-opt %s --mxc-transforms | FileCheck %s --check-prefix=CLEAN

// Batch axes are moved to dimension 0, ops get their batched forms.
func.func private @add(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.add %x, %y : tensor<4xf32>
  return %0 : tensor<4xf32>
}
// CHECK-LABEL: func.func @guide
// CHECK: call @add_vmap
// CLEAN-LABEL: func.func @guide(%arg0: tensor<4x3xf32>, %arg1: tensor<3x4xf32>) -> tensor<3x4xf32>
// CLEAN: %[[T:.*]] = array.transpose %arg0, perm = [1, 0]
// CLEAN: %[[A:.*]] = array.add %[[T]], %arg1 : tensor<3x4xf32>
// CLEAN: return %[[A]]
func.func @guide(%xs: tensor<4x3xf32>, %ys: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = array.vmap @add(%xs, %ys) in_axes = [1, 0] out_axes = [0] : (tensor<4x3xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// A shared (unbatched) input is broadcast only where a batched op needs it; a
// batched matmul stays one matmul.
func.func private @mv(%m: tensor<2x3xf32>, %v: tensor<3x1xf32>) -> tensor<2x1xf32> {
  %0 = array.matmul %m, %v : tensor<2x3xf32>, tensor<3x1xf32>
  return %0 : tensor<2x1xf32>
}
// CLEAN-LABEL: func.func @matvec
// CLEAN: array.broadcast_in_dim %arg0, dims = [1, 2] : tensor<2x3xf32> -> tensor<5x2x3xf32>
// CLEAN: array.matmul %{{.*}}, %arg1 : tensor<5x2x3xf32>, tensor<5x3x1xf32>
func.func @matvec(%m: tensor<2x3xf32>, %vs: tensor<5x3x1xf32>) -> tensor<5x2x1xf32> {
  %0 = array.vmap @mv(%m, %vs) in_axes = [-1, 0] out_axes = [0] : (tensor<2x3xf32>, tensor<5x3x1xf32>) -> tensor<5x2x1xf32>
  return %0 : tensor<5x2x1xf32>
}

// Reductions shift their axes; the batch can come out anywhere.
func.func private @rowsum(%x: tensor<3x4xf32>) -> tensor<3xf32> {
  %0 = array.sum %x axes = [1] : tensor<3x4xf32>
  return %0 : tensor<3xf32>
}
// CLEAN-LABEL: func.func @reduce
// CLEAN: array.sum %arg0 axes = [2] : tensor<2x3x4xf32>
// CLEAN: array.transpose %{{.*}}, perm = [1, 0]
func.func @reduce(%x: tensor<2x3x4xf32>) -> tensor<3x2xf32> {
  %0 = array.vmap @rowsum(%x) in_axes = [0] out_axes = [1] : (tensor<2x3x4xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// vmap of a gradient: the inner vjp is expanded first.
func.func private @sq(%x: tensor<f32>) -> tensor<f32> {
  %0 = array.multiply %x, %x : tensor<f32>
  return %0 : tensor<f32>
}
func.func private @dsq(%x: tensor<f32>) -> tensor<f32> {
  %one = array.constant dense<1.0> : tensor<f32>
  %0:2 = array.vjp @sq(%x) cotangents(%one) wrt = [0] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#1 : tensor<f32>
}
// CLEAN-LABEL: func.func @vmap_grad(%arg0: tensor<7xf32>) -> tensor<7xf32>
// CLEAN-NOT: array.vjp
// CLEAN-NOT: array.vmap
// CLEAN: array.add
func.func @vmap_grad(%x: tensor<7xf32>) -> tensor<7xf32> {
  %0 = array.vmap @dsq(%x) in_axes = [0] out_axes = [0] : (tensor<7xf32>) -> tensor<7xf32>
  return %0 : tensor<7xf32>
}
