// RUN: mxc-opt %s --convert-array-to-linalg | FileCheck %s
// RUN: mxc-opt %s --convert-array-to-linalg | FileCheck %s --check-prefix=NOARRAY
// Constants, iota and the shape ops.

// NOARRAY-NOT: array.

// The affine maps are printed first: broadcast_in_dim's stretched dimension reads
// index 0, slice_reversed reverses both dimensions of a forward slice.
// CHECK-DAG: #[[BMAP:.*]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-DAG: #[[ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[REV:.*]] = affine_map<(d0, d1) -> (-d0 + 3, -d1 + 2)>

// Unsigned constants keep their bits on signless storage; bools become bytes.
// CHECK-LABEL: func.func @constant() -> (tensor<2xi8>, tensor<2xi8>, tensor<2xf32>)
// CHECK-DAG: arith.constant dense<[-56, 1]> : tensor<2xi8>
// CHECK-DAG: arith.constant dense<[1, 0]> : tensor<2xi8>
// CHECK-DAG: arith.constant dense<[1.500000e+00, -2.000000e+00]> : tensor<2xf32>
func.func @constant() -> (tensor<2xui8>, tensor<2xi1>, tensor<2xf32>) {
  %0 = array.constant dense<[200, 1]> : tensor<2xui8>
  %1 = array.constant dense<[true, false]> : tensor<2xi1>
  %2 = array.constant dense<[1.5, -2.0]> : tensor<2xf32>
  return %0, %1, %2 : tensor<2xui8>, tensor<2xi1>, tensor<2xf32>
}

// CHECK-LABEL: func.func @iota_f32() -> tensor<2x3xf32>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} outs(%{{.*}} : tensor<2x3xf32>)
// CHECK: %[[I:.*]] = linalg.index 1 : index
// CHECK-NEXT: %[[W:.*]] = arith.index_cast %[[I]] : index to i64
// CHECK-NEXT: %[[V:.*]] = arith.sitofp %[[W]] : i64 to f32
// CHECK-NEXT: linalg.yield %[[V]] : f32
func.func @iota_f32() -> tensor<2x3xf32> {
  %0 = array.iota dim = 1 : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @iota_ui32() -> tensor<4xi32>
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK-NEXT: %[[V:.*]] = arith.index_castui %[[I]] : index to i32
// CHECK-NEXT: linalg.yield %[[V]] : i32
func.func @iota_ui32() -> tensor<4xui32> {
  %0 = array.iota dim = 0 : tensor<4xui32>
  return %0 : tensor<4xui32>
}

// CHECK-LABEL: func.func @iota_i16() -> tensor<4xi16>
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK-NEXT: %[[V:.*]] = arith.index_cast %[[I]] : index to i16
func.func @iota_i16() -> tensor<4xi16> {
  %0 = array.iota dim = 0 : tensor<4xi16>
  return %0 : tensor<4xi16>
}

// Size-1 operand dims stretch with a constant-0 index.
// CHECK-LABEL: func.func @broadcast_in_dim(%arg0: tensor<3x1xf32>) -> tensor<2x3x4xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x3x4xf32>
// CHECK: linalg.generic {indexing_maps = [#[[BMAP]], #[[ID3]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg0 : tensor<3x1xf32>) outs(%[[E]] : tensor<2x3x4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[IN]] : f32
func.func @broadcast_in_dim(%a: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %0 = array.broadcast_in_dim %a, dims = [1, 2] : tensor<3x1xf32> -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// CHECK-LABEL: func.func @broadcast_bool(%arg0: tensor<i8>) -> tensor<2x2xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<i8>) outs(%{{.*}} : tensor<2x2xi8>)
func.func @broadcast_bool(%a: tensor<i1>) -> tensor<2x2xi1> {
  %0 = array.broadcast_in_dim %a, dims = [] : tensor<i1> -> tensor<2x2xi1>
  return %0 : tensor<2x2xi1>
}

// Reshape goes through a 1-D collapse and an expand.
// CHECK-LABEL: func.func @reshape(%arg0: tensor<2x3x4xi32>) -> tensor<6x4xi32>
// CHECK: %[[C:.*]] = tensor.collapse_shape %arg0 {{\[}}[0, 1, 2]] : tensor<2x3x4xi32> into tensor<24xi32>
// CHECK-NEXT: %[[X:.*]] = tensor.expand_shape %[[C]] {{\[}}[0, 1]] output_shape [6, 4] : tensor<24xi32> into tensor<6x4xi32>
// CHECK-NEXT: return %[[X]]
func.func @reshape(%a: tensor<2x3x4xi32>) -> tensor<6x4xi32> {
  %0 = array.reshape %a : tensor<2x3x4xi32> -> tensor<6x4xi32>
  return %0 : tensor<6x4xi32>
}

// CHECK-LABEL: func.func @reshape_scalar(%arg0: tensor<1x1xf16>) -> tensor<f16>
// CHECK: %[[C:.*]] = tensor.collapse_shape %arg0 {{\[}}[0, 1]] : tensor<1x1xf16> into tensor<1xf16>
// CHECK-NEXT: tensor.collapse_shape %[[C]] [] : tensor<1xf16> into tensor<f16>
func.func @reshape_scalar(%a: tensor<1x1xf16>) -> tensor<f16> {
  %0 = array.reshape %a : tensor<1x1xf16> -> tensor<f16>
  return %0 : tensor<f16>
}

// CHECK-LABEL: func.func @transpose(%arg0: tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x2x3xf32>
// CHECK-NEXT: %[[T:.*]] = linalg.transpose ins(%arg0 : tensor<2x3x4xf32>) outs(%[[E]] : tensor<4x2x3xf32>) permutation = [2, 0, 1]
// CHECK-NEXT: return %[[T]]
func.func @transpose(%a: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = array.transpose %a, perm = [2, 0, 1] : tensor<2x3x4xf32>
  return %0 : tensor<4x2x3xf32>
}

// Positive strides: one tensor.extract_slice.
// CHECK-LABEL: func.func @slice(%arg0: tensor<4x5xf32>) -> tensor<2x2xf32>
// CHECK: %[[S:.*]] = tensor.extract_slice %arg0[1, 0] [2, 2] [1, 2] : tensor<4x5xf32> to tensor<2x2xf32>
// CHECK-NEXT: return %[[S]]
func.func @slice(%a: tensor<4x5xf32>) -> tensor<2x2xf32> {
  %0 = array.slice %a[[1, 0]] sizes = [2, 2] strides = [1, 2] : tensor<4x5xf32>
  return %0 : tensor<2x2xf32>
}

// Negative strides: a forward slice from the lowest index read (|stride|), then a
// generic reversing the negative dimensions.
// CHECK-LABEL: func.func @slice_reversed(%arg0: tensor<4x5xf32>) -> tensor<4x3xf32>
// CHECK: %[[F:.*]] = tensor.extract_slice %arg0[0, 0] [4, 3] [1, 2] : tensor<4x5xf32> to tensor<4x3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[REV]], #{{.*}}], iterator_types = ["parallel", "parallel"]} ins(%[[F]] : tensor<4x3xf32>)
func.func @slice_reversed(%a: tensor<4x5xf32>) -> tensor<4x3xf32> {
  %0 = array.slice %a[[3, 4]] sizes = [4, 3] strides = [-1, -2] : tensor<4x5xf32>
  return %0 : tensor<4x3xf32>
}

// Run-time offsets are clamped into [0, dim - size]; unsigned ones use index_castui.
// CHECK-LABEL: func.func @dynamic_slice(%arg0: tensor<4x5xf32>, %arg1: tensor<i32>, %arg2: tensor<i64>) -> tensor<2x3xf32>
// CHECK: %[[I:.*]] = tensor.extract %arg1[] : tensor<i32>
// CHECK-NEXT: %[[II:.*]] = arith.index_cast %[[I]] : i32 to index
// CHECK: %[[IMAX:.*]] = arith.maxsi %[[II]], %{{.*}} : index
// CHECK: %[[C2:.*]] = arith.constant 2 : index
// CHECK-NEXT: %[[IC:.*]] = arith.minsi %[[IMAX]], %[[C2]] : index
// CHECK: %[[J:.*]] = tensor.extract %arg2[] : tensor<i64>
// CHECK-NEXT: %[[JJ:.*]] = arith.index_castui %[[J]] : i64 to index
// CHECK: %[[JMAX:.*]] = arith.maxsi %[[JJ]], %{{.*}} : index
// CHECK: %[[JC:.*]] = arith.minsi %[[JMAX]], %{{.*}} : index
// CHECK: tensor.extract_slice %arg0[%[[IC]], %[[JC]]] [2, 3] [1, 1] : tensor<4x5xf32> to tensor<2x3xf32>
func.func @dynamic_slice(%a: tensor<4x5xf32>, %i: tensor<i32>, %j: tensor<ui64>) -> tensor<2x3xf32> {
  %0 = array.dynamic_slice %a[%i, %j] sizes = [2, 3] : tensor<4x5xf32>, tensor<i32>, tensor<ui64>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @dynamic_update_slice(%arg0: tensor<4x5xi8>, %arg1: tensor<2x5xi8>, %arg2: tensor<i64>) -> tensor<4x5xi8>
// CHECK: tensor.extract %arg2[] : tensor<i64>
// CHECK: arith.minsi
// CHECK: tensor.extract %arg2[] : tensor<i64>
// CHECK: %[[J:.*]] = arith.minsi
// CHECK: %[[R:.*]] = tensor.insert_slice %arg1 into %arg0[%{{.*}}, %[[J]]] [2, 5] [1, 1] : tensor<2x5xi8> into tensor<4x5xi8>
// CHECK-NEXT: return %[[R]]
func.func @dynamic_update_slice(%a: tensor<4x5xi8>, %u: tensor<2x5xi8>, %i: tensor<i64>) -> tensor<4x5xi8> {
  %0 = array.dynamic_update_slice %a[%i, %i], %u : tensor<4x5xi8>, tensor<2x5xi8>, tensor<i64>, tensor<i64>
  return %0 : tensor<4x5xi8>
}

// CHECK-LABEL: func.func @concatenate(%arg0: tensor<2x3xf32>, %arg1: tensor<2x1xf32>) -> tensor<2x7xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x7xf32>
// CHECK-NEXT: %[[A:.*]] = tensor.insert_slice %arg0 into %[[E]][0, 0] [2, 3] [1, 1] : tensor<2x3xf32> into tensor<2x7xf32>
// CHECK-NEXT: %[[B:.*]] = tensor.insert_slice %arg1 into %[[A]][0, 3] [2, 1] [1, 1] : tensor<2x1xf32> into tensor<2x7xf32>
// CHECK-NEXT: %[[C:.*]] = tensor.insert_slice %arg0 into %[[B]][0, 4] [2, 3] [1, 1] : tensor<2x3xf32> into tensor<2x7xf32>
// CHECK-NEXT: return %[[C]]
func.func @concatenate(%a: tensor<2x3xf32>, %b: tensor<2x1xf32>) -> tensor<2x7xf32> {
  %0 = array.concatenate %a, %b, %a dim = 1 : tensor<2x3xf32>, tensor<2x1xf32>, tensor<2x3xf32>
  return %0 : tensor<2x7xf32>
}

// CHECK-LABEL: func.func @pad(%arg0: tensor<2x3xbf16>, %arg1: tensor<bf16>) -> tensor<3x5xbf16>
// CHECK: %[[V:.*]] = tensor.extract %arg1[] : tensor<bf16>
// CHECK-NEXT: %[[P:.*]] = tensor.pad %arg0 low[1, 0] high[0, 2]
// CHECK: tensor.yield %[[V]] : bf16
// CHECK-NEXT: } : tensor<2x3xbf16> to tensor<3x5xbf16>
// CHECK-NEXT: return %[[P]]
func.func @pad(%a: tensor<2x3xbf16>, %v: tensor<bf16>) -> tensor<3x5xbf16> {
  %0 = array.pad %a, %v low = [1, 0] high = [0, 2] : tensor<2x3xbf16>, tensor<bf16>
  return %0 : tensor<3x5xbf16>
}
