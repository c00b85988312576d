// RUN: mxc-opt %s --convert-array-to-linalg | FileCheck %s
// RUN: mxc-opt %s --convert-array-to-linalg | FileCheck %s --check-prefix=NOARRAY
// Gather is a linalg.generic with tensor.extract; scatters are scf.for nests
// of tensor.extract / combine / tensor.insert.

// NOARRAY-NOT: array.

// Signed indices wrap negatives (i + dim), then clamp into [0, dim - size].
// CHECK-DAG: #[[IDX:.*]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-LABEL: func.func @gather(%arg0: tensor<5x4xf32>, %arg1: tensor<2xi32>) -> tensor<2x1x4xf32>
// CHECK: linalg.generic {indexing_maps = [#[[IDX]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg1 : tensor<2xi32>) outs(%{{.*}} : tensor<2x1x4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: i32, %{{.*}}: f32):
// CHECK-NEXT: %[[W0:.*]] = linalg.index 1 : index
// CHECK-NEXT: %[[I:.*]] = arith.index_cast %[[IN]] : i32 to index
// CHECK: %[[NEG:.*]] = arith.cmpi slt, %[[I]], %{{.*}} : index
// CHECK: %[[C5:.*]] = arith.constant 5 : index
// CHECK-NEXT: %[[WRAP:.*]] = arith.addi %[[I]], %[[C5]] : index
// CHECK-NEXT: %[[SEL:.*]] = arith.select %[[NEG]], %[[WRAP]], %[[I]] : index
// CHECK: %[[LO:.*]] = arith.maxsi %[[SEL]], %{{.*}} : index
// CHECK: %[[C4:.*]] = arith.constant 4 : index
// CHECK-NEXT: %[[HI:.*]] = arith.minsi %[[LO]], %[[C4]] : index
// CHECK-NEXT: %[[ROW:.*]] = arith.addi %[[HI]], %[[W0]] : index
// CHECK-NEXT: %[[COL:.*]] = linalg.index 2 : index
// CHECK-NEXT: %[[V:.*]] = tensor.extract %arg0[%[[ROW]], %[[COL]]] : tensor<5x4xf32>
// CHECK-NEXT: linalg.yield %[[V]] : f32
func.func @gather(%a: tensor<5x4xf32>, %i: tensor<2xi32>) -> tensor<2x1x4xf32> {
  %0 = array.gather %a[%i] axes = [0] sizes = [1, 4] : tensor<5x4xf32>, tensor<2xi32>
  return %0 : tensor<2x1x4xf32>
}

// Unsigned indices are never negative: index_castui, no wrap.
// CHECK-LABEL: func.func @gather_unsigned(%arg0: tensor<5x4xi8>, %arg1: tensor<3xi16>) -> tensor<3x2x4xi8>
// CHECK: ^bb0(%[[IN:.*]]: i16, %{{.*}}: i8):
// CHECK: %[[I:.*]] = arith.index_castui %[[IN]] : i16 to index
// CHECK-NOT: arith.cmpi slt
// CHECK: %[[LO:.*]] = arith.maxsi %[[I]], %{{.*}} : index
// CHECK: %[[C3:.*]] = arith.constant 3 : index
// CHECK-NEXT: arith.minsi %[[LO]], %[[C3]] : index
// CHECK: tensor.extract %arg0[%{{.*}}, %{{.*}}] : tensor<5x4xi8>
func.func @gather_unsigned(%a: tensor<5x4xi1>, %i: tensor<3xui16>) -> tensor<3x2x4xi1> {
  %0 = array.gather %a[%i] axes = [0] sizes = [2, 4] : tensor<5x4xi1>, tensor<3xui16>
  return %0 : tensor<3x2x4xi1>
}

// CHECK-LABEL: func.func @scatter(%arg0: tensor<5x3xf32>, %arg1: tensor<2xi32>, %arg2: tensor<2x1x3xf32>) -> tensor<5x3xf32>
// CHECK: %[[R:.*]] = scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %arg0) -> (tensor<5x3xf32>)
// CHECK: scf.for %[[W0:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (tensor<5x3xf32>)
// CHECK: scf.for %[[W1:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (tensor<5x3xf32>)
// CHECK: tensor.extract %arg1[%[[I]]] : tensor<2xi32>
// CHECK: %[[ROW:.*]] = arith.addi %{{.*}}, %[[W0]] : index
// CHECK: %[[U:.*]] = tensor.extract %arg2[%[[I]], %[[W0]], %[[W1]]] : tensor<2x1x3xf32>
// CHECK-NEXT: %[[NEW:.*]] = tensor.insert %[[U]] into %[[ACC]][%[[ROW]], %[[W1]]] : tensor<5x3xf32>
// CHECK-NEXT: scf.yield %[[NEW]] : tensor<5x3xf32>
// CHECK: return %[[R]]
func.func @scatter(%a: tensor<5x3xf32>, %i: tensor<2xi32>, %u: tensor<2x1x3xf32>) -> tensor<5x3xf32> {
  %0 = array.scatter %a[%i], %u axes = [0] : tensor<5x3xf32>, tensor<2x1x3xf32>, tensor<2xi32>
  return %0 : tensor<5x3xf32>
}

// CHECK-LABEL: func.func @scatter_add_f32(
// CHECK: scf.for
// CHECK: %[[U:.*]] = tensor.extract %arg2
// CHECK-NEXT: %[[CUR:.*]] = tensor.extract %[[ACC:.*]][%{{.*}}, %{{.*}}] : tensor<5x3xf32>
// CHECK-NEXT: %[[V:.*]] = arith.addf %[[CUR]], %[[U]] : f32
// CHECK-NEXT: tensor.insert %[[V]] into %[[ACC]]
func.func @scatter_add_f32(%a: tensor<5x3xf32>, %i: tensor<2xi32>, %u: tensor<2x1x3xf32>) -> tensor<5x3xf32> {
  %0 = array.scatter_add %a[%i], %u axes = [0] : tensor<5x3xf32>, tensor<2x1x3xf32>, tensor<2xi32>
  return %0 : tensor<5x3xf32>
}

// CHECK-LABEL: func.func @scatter_add_i32(
// CHECK: %[[V:.*]] = arith.addi %{{.*}}, %{{.*}} : i32
// CHECK-NEXT: tensor.insert %[[V]]
func.func @scatter_add_i32(%a: tensor<5xi32>, %i: tensor<2xi64>, %u: tensor<2x1xi32>) -> tensor<5xi32> {
  %0 = array.scatter_add %a[%i], %u axes = [0] : tensor<5xi32>, tensor<2x1xi32>, tensor<2xi64>
  return %0 : tensor<5xi32>
}

// CHECK-LABEL: func.func @scatter_add_bool(
// CHECK: %[[V:.*]] = arith.ori %{{.*}}, %{{.*}} : i8
// CHECK-NEXT: tensor.insert %[[V]]
func.func @scatter_add_bool(%a: tensor<5xi1>, %i: tensor<2xi32>, %u: tensor<2x1xi1>) -> tensor<5xi1> {
  %0 = array.scatter_add %a[%i], %u axes = [0] : tensor<5xi1>, tensor<2x1xi1>, tensor<2xi32>
  return %0 : tensor<5xi1>
}

// CHECK-LABEL: func.func @scatter_multiply(
// CHECK: %[[V:.*]] = arith.mulf %{{.*}}, %{{.*}} : f16
// CHECK-NEXT: tensor.insert %[[V]]
func.func @scatter_multiply(%a: tensor<5xf16>, %i: tensor<2xi32>, %u: tensor<2x1xf16>) -> tensor<5xf16> {
  %0 = array.scatter_multiply %a[%i], %u axes = [0] : tensor<5xf16>, tensor<2x1xf16>, tensor<2xi32>
  return %0 : tensor<5xf16>
}

// CHECK-LABEL: func.func @scatter_max_ui8(
// CHECK: %[[V:.*]] = arith.maxui %{{.*}}, %{{.*}} : i8
// CHECK-NEXT: tensor.insert %[[V]]
func.func @scatter_max_ui8(%a: tensor<5xui8>, %i: tensor<2xi32>, %u: tensor<2x1xui8>) -> tensor<5xui8> {
  %0 = array.scatter_max %a[%i], %u axes = [0] : tensor<5xui8>, tensor<2x1xui8>, tensor<2xi32>
  return %0 : tensor<5xui8>
}

// CHECK-LABEL: func.func @scatter_max_f32(
// CHECK: %[[V:.*]] = arith.maximumf %{{.*}}, %{{.*}} : f32
func.func @scatter_max_f32(%a: tensor<5xf32>, %i: tensor<2xi32>, %u: tensor<2x1xf32>) -> tensor<5xf32> {
  %0 = array.scatter_max %a[%i], %u axes = [0] : tensor<5xf32>, tensor<2x1xf32>, tensor<2xi32>
  return %0 : tensor<5xf32>
}

// CHECK-LABEL: func.func @scatter_min_i16(
// CHECK: %[[V:.*]] = arith.minsi %{{.*}}, %{{.*}} : i16
// CHECK-NEXT: tensor.insert %[[V]]
func.func @scatter_min_i16(%a: tensor<5xi16>, %i: tensor<2xi32>, %u: tensor<2x1xi16>) -> tensor<5xi16> {
  %0 = array.scatter_min %a[%i], %u axes = [0] : tensor<5xi16>, tensor<2x1xi16>, tensor<2xi32>
  return %0 : tensor<5xi16>
}

// CHECK-LABEL: func.func @scatter_min_f64(
// CHECK: %[[V:.*]] = arith.minimumf %{{.*}}, %{{.*}} : f64
func.func @scatter_min_f64(%a: tensor<5xf64>, %i: tensor<2xi32>, %u: tensor<2x1xf64>) -> tensor<5xf64> {
  %0 = array.scatter_min %a[%i], %u axes = [0] : tensor<5xf64>, tensor<2x1xf64>, tensor<2xi32>
  return %0 : tensor<5xf64>
}
