// RUN: mxc-opt %s | mxc-opt | FileCheck %s
// Round trip of gather and the scatter family.

// CHECK-LABEL: func.func @gather(
// CHECK-NEXT: %[[A:.*]] = array.gather %arg0[%arg1] axes = [0] sizes = [1, 4] : tensor<5x4xf32>, tensor<2x3xi32>
// CHECK-NEXT: return %[[A]] : tensor<2x3x1x4xf32>
func.func @gather(%a: tensor<5x4xf32>, %i: tensor<2x3xi32>) -> tensor<2x3x1x4xf32> {
  %0 = array.gather %a[%i] axes = [0] sizes = [1, 4] : tensor<5x4xf32>, tensor<2x3xi32>
  return %0 : tensor<2x3x1x4xf32>
}

// CHECK-LABEL: func.func @gather_two_axes(
// CHECK-NEXT: %[[A:.*]] = array.gather %arg0[%arg1, %arg2] axes = [1, 0] sizes = [1, 1, 2] : tensor<5x4x2xui8>, tensor<6xui32>, tensor<6xi64>
// CHECK-NEXT: return %[[A]] : tensor<6x1x1x2xui8>
func.func @gather_two_axes(%a: tensor<5x4x2xui8>, %i: tensor<6xui32>, %j: tensor<6xi64>) -> tensor<6x1x1x2xui8> {
  %0 = array.gather %a[%i, %j] axes = [1, 0] sizes = [1, 1, 2] : tensor<5x4x2xui8>, tensor<6xui32>, tensor<6xi64>
  return %0 : tensor<6x1x1x2xui8>
}

// No index arrays: the whole window at the origin.
// CHECK-LABEL: func.func @gather_no_indices(
// CHECK-NEXT: %[[A:.*]] = array.gather %arg0[] axes = [] sizes = [2, 2] : tensor<5x4xf32>
// CHECK-NEXT: return %[[A]] : tensor<2x2xf32>
func.func @gather_no_indices(%a: tensor<5x4xf32>) -> tensor<2x2xf32> {
  %0 = array.gather %a[] axes = [] sizes = [2, 2] : tensor<5x4xf32>
  return %0 : tensor<2x2xf32>
}

// CHECK-LABEL: func.func @scatters(
// CHECK-NEXT: %[[A:.*]] = array.scatter %arg0[%arg1], %arg2 axes = [0] : tensor<5x3xf32>, tensor<2x1x3xf32>, tensor<2xi32>
// CHECK-NEXT: %[[B:.*]] = array.scatter_add %[[A]][%arg1], %arg2 axes = [0] : tensor<5x3xf32>, tensor<2x1x3xf32>, tensor<2xi32>
// CHECK-NEXT: %[[C:.*]] = array.scatter_multiply %[[B]][%arg1], %arg2 axes = [0] : tensor<5x3xf32>, tensor<2x1x3xf32>, tensor<2xi32>
// CHECK-NEXT: %[[D:.*]] = array.scatter_max %[[C]][%arg1], %arg2 axes = [0] : tensor<5x3xf32>, tensor<2x1x3xf32>, tensor<2xi32>
// CHECK-NEXT: %[[E:.*]] = array.scatter_min %[[D]][%arg1], %arg2 axes = [0] : tensor<5x3xf32>, tensor<2x1x3xf32>, tensor<2xi32>
// CHECK-NEXT: return %[[E]] : tensor<5x3xf32>
func.func @scatters(%a: tensor<5x3xf32>, %i: tensor<2xi32>, %u: tensor<2x1x3xf32>) -> tensor<5x3xf32> {
  %0 = array.scatter %a[%i], %u axes = [0] : tensor<5x3xf32>, tensor<2x1x3xf32>, tensor<2xi32>
  %1 = array.scatter_add %0[%i], %u axes = [0] : tensor<5x3xf32>, tensor<2x1x3xf32>, tensor<2xi32>
  %2 = array.scatter_multiply %1[%i], %u axes = [0] : tensor<5x3xf32>, tensor<2x1x3xf32>, tensor<2xi32>
  %3 = array.scatter_max %2[%i], %u axes = [0] : tensor<5x3xf32>, tensor<2x1x3xf32>, tensor<2xi32>
  %4 = array.scatter_min %3[%i], %u axes = [0] : tensor<5x3xf32>, tensor<2x1x3xf32>, tensor<2xi32>
  return %4 : tensor<5x3xf32>
}

// CHECK-LABEL: func.func @scatter_two_axes(
// CHECK-NEXT: %[[A:.*]] = array.scatter_add %arg0[%arg1, %arg2], %arg3 axes = [0, 1] : tensor<4x4xi32>, tensor<3x2x1x1xi32>, tensor<3x2xui16>, tensor<3x2xi8>
// CHECK-NEXT: return %[[A]] : tensor<4x4xi32>
func.func @scatter_two_axes(%a: tensor<4x4xi32>, %i: tensor<3x2xui16>, %j: tensor<3x2xi8>, %u: tensor<3x2x1x1xi32>) -> tensor<4x4xi32> {
  %0 = array.scatter_add %a[%i, %j], %u axes = [0, 1] : tensor<4x4xi32>, tensor<3x2x1x1xi32>, tensor<3x2xui16>, tensor<3x2xi8>
  return %0 : tensor<4x4xi32>
}

// CHECK-LABEL: func.func @scatter_no_indices(
// CHECK-NEXT: %[[A:.*]] = array.scatter %arg0[], %arg1 axes = [] : tensor<4xi1>, tensor<2xi1>
// CHECK-NEXT: return %[[A]] : tensor<4xi1>
func.func @scatter_no_indices(%a: tensor<4xi1>, %u: tensor<2xi1>) -> tensor<4xi1> {
  %0 = array.scatter %a[], %u axes = [] : tensor<4xi1>, tensor<2xi1>
  return %0 : tensor<4xi1>
}
