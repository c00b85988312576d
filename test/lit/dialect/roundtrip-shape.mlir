// RUN: mxc-opt %s | mxc-opt | FileCheck %s
// Round trip of constants, iota and the shape ops.

// CHECK-LABEL: func.func @constant(
// CHECK-NEXT: %[[A:.*]] = array.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-NEXT: %[[B:.*]] = array.constant dense<7> : tensor<2x3xui8>
// CHECK-NEXT: %[[C:.*]] = array.constant dense<[true, false]> : tensor<2xi1>
// CHECK-NEXT: %[[D:.*]] = array.constant dense<-3> : tensor<i64>
// CHECK-NEXT: %[[E:.*]] = array.constant dense<(1.000000e+00,-2.000000e+00)> : tensor<2xcomplex<f32>>
// CHECK-NEXT: return %[[A]], %[[B]], %[[C]], %[[D]], %[[E]]
func.func @constant() -> (tensor<2xf32>, tensor<2x3xui8>, tensor<2xi1>, tensor<i64>, tensor<2xcomplex<f32>>) {
  %0 = array.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %1 = array.constant dense<7> : tensor<2x3xui8>
  %2 = array.constant dense<[true, false]> : tensor<2xi1>
  %3 = array.constant dense<-3> : tensor<i64>
  %4 = array.constant dense<(1.0, -2.0)> : tensor<2xcomplex<f32>>
  return %0, %1, %2, %3, %4 : tensor<2xf32>, tensor<2x3xui8>, tensor<2xi1>, tensor<i64>, tensor<2xcomplex<f32>>
}

// CHECK-LABEL: func.func @iota(
// CHECK-NEXT: %[[A:.*]] = array.iota dim = 1 : tensor<2x5xf32>
// CHECK-NEXT: %[[B:.*]] = array.iota dim = 0 : tensor<7xui32>
// CHECK-NEXT: return %[[A]], %[[B]]
func.func @iota() -> (tensor<2x5xf32>, tensor<7xui32>) {
  %0 = array.iota dim = 1 : tensor<2x5xf32>
  %1 = array.iota dim = 0 : tensor<7xui32>
  return %0, %1 : tensor<2x5xf32>, tensor<7xui32>
}

// CHECK-LABEL: func.func @broadcast_in_dim(
// CHECK-NEXT: %[[A:.*]] = array.broadcast_in_dim %arg0, dims = [1, 2] : tensor<3x1xf32> -> tensor<2x3x4xf32>
// CHECK-NEXT: %[[B:.*]] = array.broadcast_in_dim %arg1, dims = [] : tensor<i1> -> tensor<2x2xi1>
// CHECK-NEXT: return %[[A]], %[[B]]
func.func @broadcast_in_dim(%a: tensor<3x1xf32>, %b: tensor<i1>) -> (tensor<2x3x4xf32>, tensor<2x2xi1>) {
  %0 = array.broadcast_in_dim %a, dims = [1, 2] : tensor<3x1xf32> -> tensor<2x3x4xf32>
  %1 = array.broadcast_in_dim %b, dims = [] : tensor<i1> -> tensor<2x2xi1>
  return %0, %1 : tensor<2x3x4xf32>, tensor<2x2xi1>
}

// CHECK-LABEL: func.func @reshape(
// CHECK-NEXT: %[[A:.*]] = array.reshape %arg0 : tensor<2x3x4xi32> -> tensor<6x4xi32>
// CHECK-NEXT: %[[B:.*]] = array.reshape %[[A]] : tensor<6x4xi32> -> tensor<24xi32>
// CHECK-NEXT: %[[C:.*]] = array.reshape %arg1 : tensor<1x1xf16> -> tensor<f16>
// CHECK-NEXT: return %[[B]], %[[C]]
func.func @reshape(%a: tensor<2x3x4xi32>, %b: tensor<1x1xf16>) -> (tensor<24xi32>, tensor<f16>) {
  %0 = array.reshape %a : tensor<2x3x4xi32> -> tensor<6x4xi32>
  %1 = array.reshape %0 : tensor<6x4xi32> -> tensor<24xi32>
  %2 = array.reshape %b : tensor<1x1xf16> -> tensor<f16>
  return %1, %2 : tensor<24xi32>, tensor<f16>
}

// The result type of transpose is inferred from the permutation.
// CHECK-LABEL: func.func @transpose(
// CHECK-NEXT: %[[A:.*]] = array.transpose %arg0, perm = [2, 0, 1] : tensor<2x3x4xf32>
// CHECK-NEXT: return %[[A]] : tensor<4x2x3xf32>
func.func @transpose(%a: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = array.transpose %a, perm = [2, 0, 1] : tensor<2x3x4xf32>
  return %0 : tensor<4x2x3xf32>
}

// CHECK-LABEL: func.func @slice(
// CHECK-NEXT: %[[A:.*]] = array.slice %arg0{{\[}}[1, 0]] sizes = [2, 2] strides = [1, 2] : tensor<4x5xf32>
// CHECK-NEXT: %[[B:.*]] = array.slice %arg0{{\[}}[3, 4]] sizes = [4, 5] strides = [-1, -1] : tensor<4x5xf32>
// CHECK-NEXT: %[[C:.*]] = array.slice %arg0{{\[}}[0, 0]] sizes = [0, 5] strides = [1, 1] : tensor<4x5xf32>
// CHECK-NEXT: return %[[A]], %[[B]], %[[C]] : tensor<2x2xf32>, tensor<4x5xf32>, tensor<0x5xf32>
func.func @slice(%a: tensor<4x5xf32>) -> (tensor<2x2xf32>, tensor<4x5xf32>, tensor<0x5xf32>) {
  %0 = array.slice %a[[1, 0]] sizes = [2, 2] strides = [1, 2] : tensor<4x5xf32>
  %1 = array.slice %a[[3, 4]] sizes = [4, 5] strides = [-1, -1] : tensor<4x5xf32>
  %2 = array.slice %a[[0, 0]] sizes = [0, 5] strides = [1, 1] : tensor<4x5xf32>
  return %0, %1, %2 : tensor<2x2xf32>, tensor<4x5xf32>, tensor<0x5xf32>
}

// CHECK-LABEL: func.func @dynamic_slice(
// CHECK-NEXT: %[[A:.*]] = array.dynamic_slice %arg0[%arg1, %arg2] sizes = [2, 3] : tensor<4x5xf32>, tensor<i32>, tensor<ui64>
// CHECK-NEXT: return %[[A]] : tensor<2x3xf32>
func.func @dynamic_slice(%a: tensor<4x5xf32>, %i: tensor<i32>, %j: tensor<ui64>) -> tensor<2x3xf32> {
  %0 = array.dynamic_slice %a[%i, %j] sizes = [2, 3] : tensor<4x5xf32>, tensor<i32>, tensor<ui64>
  return %0 : tensor<2x3xf32>
}

// A 0-d operand takes no start indices (the optional type list is absent).
// CHECK-LABEL: func.func @dynamic_slice_0d(
// CHECK-NEXT: %[[A:.*]] = array.dynamic_slice %arg0[] sizes = [] : tensor<f32>
// CHECK-NEXT: return %[[A]] : tensor<f32>
func.func @dynamic_slice_0d(%a: tensor<f32>) -> tensor<f32> {
  %0 = array.dynamic_slice %a[] sizes = [] : tensor<f32>
  return %0 : tensor<f32>
}

// CHECK-LABEL: func.func @dynamic_update_slice(
// CHECK-NEXT: %[[A:.*]] = array.dynamic_update_slice %arg0[%arg2, %arg2], %arg1 : tensor<4x5xi8>, tensor<2x5xi8>, tensor<i64>, tensor<i64>
// CHECK-NEXT: return %[[A]] : tensor<4x5xi8>
func.func @dynamic_update_slice(%a: tensor<4x5xi8>, %u: tensor<2x5xi8>, %i: tensor<i64>) -> tensor<4x5xi8> {
  %0 = array.dynamic_update_slice %a[%i, %i], %u : tensor<4x5xi8>, tensor<2x5xi8>, tensor<i64>, tensor<i64>
  return %0 : tensor<4x5xi8>
}

// CHECK-LABEL: func.func @concatenate(
// CHECK-NEXT: %[[A:.*]] = array.concatenate %arg0, %arg1, %arg0 dim = 1 : tensor<2x3xf32>, tensor<2x1xf32>, tensor<2x3xf32>
// CHECK-NEXT: %[[B:.*]] = array.concatenate %arg0 dim = 0 : tensor<2x3xf32>
// CHECK-NEXT: return %[[A]], %[[B]] : tensor<2x7xf32>, tensor<2x3xf32>
func.func @concatenate(%a: tensor<2x3xf32>, %b: tensor<2x1xf32>) -> (tensor<2x7xf32>, tensor<2x3xf32>) {
  %0 = array.concatenate %a, %b, %a dim = 1 : tensor<2x3xf32>, tensor<2x1xf32>, tensor<2x3xf32>
  %1 = array.concatenate %a dim = 0 : tensor<2x3xf32>
  return %0, %1 : tensor<2x7xf32>, tensor<2x3xf32>
}

// CHECK-LABEL: func.func @pad(
// CHECK-NEXT: %[[A:.*]] = array.pad %arg0, %arg1 low = [1, 0] high = [0, 2] : tensor<2x3xbf16>, tensor<bf16>
// CHECK-NEXT: return %[[A]] : tensor<3x5xbf16>
func.func @pad(%a: tensor<2x3xbf16>, %v: tensor<bf16>) -> tensor<3x5xbf16> {
  %0 = array.pad %a, %v low = [1, 0] high = [0, 2] : tensor<2x3xbf16>, tensor<bf16>
  return %0 : tensor<3x5xbf16>
}
