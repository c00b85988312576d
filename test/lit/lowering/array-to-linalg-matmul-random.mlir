// RUN: mxc-opt %s --convert-array-to-linalg | FileCheck %s
// RUN: mxc-opt %s --convert-array-to-linalg | FileCheck %s --check-prefix=NOARRAY
// matmul works on operands reshaped to [batch, m, k] x [batch, k, n]. f32 and f64
// become linalg.batch_matmul (mxc-matmul-to-blas later calls BLAS for it); other
// types one linalg.generic over (batch, i, k, j) with j innermost (so the inner
// loop vectorizes). random_bits is a threefry-2x32 generic.

// NOARRAY-NOT: array.

// CHECK-DAG: #[[LHS:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG: #[[RHS:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>

// CHECK-LABEL: func.func @matmul(%arg0: tensor<2x3xf32>, %arg1: tensor<3x4xf32>) -> tensor<2x4xf32>
// CHECK: tensor.expand_shape %{{.*}} output_shape [1, 2, 3]
// CHECK: tensor.expand_shape %{{.*}} output_shape [1, 3, 4]
// CHECK: %[[F:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x2x4xf32>)
// CHECK: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<1x2x3xf32>, tensor<1x3x4xf32>) outs(%[[F]] : tensor<1x2x4xf32>)
// CHECK: return %{{.*}} : tensor<2x4xf32>
func.func @matmul(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %0 = array.matmul %a, %b : tensor<2x3xf32>, tensor<3x4xf32>
  return %0 : tensor<2x4xf32>
}

// CHECK-LABEL: func.func @matmul_ui8(%arg0: tensor<2x3xi8>, %arg1: tensor<3x4xi8>) -> tensor<2x4xi8>
// CHECK: linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]], iterator_types = ["parallel", "parallel", "reduction", "parallel"]} {{.*}} outs(%{{.*}} : tensor<1x2x4xi8>)
// CHECK: arith.muli
// CHECK-NEXT: arith.addi
func.func @matmul_ui8(%a: tensor<2x3xui8>, %b: tensor<3x4xui8>) -> tensor<2x4xui8> {
  %0 = array.matmul %a, %b : tensor<2x3xui8>, tensor<3x4xui8>
  return %0 : tensor<2x4xui8>
}

// Half precision accumulates in f32, then truncates.
// CHECK-LABEL: func.func @matmul_f16(%arg0: tensor<2x3xf16>, %arg1: tensor<3x4xf16>) -> tensor<2x4xf16>
// CHECK: %[[F:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x2x4xf32>)
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x2x3xf16>, tensor<1x3x4xf16>) outs(%[[F]] : tensor<1x2x4xf32>)
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @matmul_f16(%a: tensor<2x3xf16>, %b: tensor<3x4xf16>) -> tensor<2x4xf16> {
  %0 = array.matmul %a, %b : tensor<2x3xf16>, tensor<3x4xf16>
  return %0 : tensor<2x4xf16>
}

// CHECK-LABEL: func.func @batch_matmul(%arg0: tensor<5x6x2x3xi32>, %arg1: tensor<5x6x3x1xi32>) -> tensor<5x6x2x1xi32>
// CHECK: tensor.expand_shape %{{.*}} output_shape [30, 2, 3] : tensor<180xi32> into tensor<30x2x3xi32>
// CHECK: tensor.expand_shape %{{.*}} output_shape [30, 3, 1] : tensor<90xi32> into tensor<30x3x1xi32>
// CHECK: %[[F:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%{{.*}} : tensor<30x2x1xi32>)
// CHECK: linalg.generic {{.*}} outs(%[[F]] : tensor<30x2x1xi32>)
// CHECK: tensor.expand_shape %{{.*}} output_shape [5, 6, 2, 1] : tensor<60xi32> into tensor<5x6x2x1xi32>
func.func @batch_matmul(%a: tensor<5x6x2x3xi32>, %b: tensor<5x6x3x1xi32>) -> tensor<5x6x2x1xi32> {
  %0 = array.matmul %a, %b : tensor<5x6x2x3xi32>, tensor<5x6x3x1xi32>
  return %0 : tensor<5x6x2x1xi32>
}

// CHECK-LABEL: func.func @batch_matmul_bf16(
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<4x2x3xbf16>, tensor<4x3x2xbf16>) outs(%{{.*}} : tensor<4x2x2xf32>)
// CHECK: arith.truncf %{{.*}} : f32 to bf16
func.func @batch_matmul_bf16(%a: tensor<4x2x3xbf16>, %b: tensor<4x3x2xbf16>) -> tensor<4x2x2xbf16> {
  %0 = array.matmul %a, %b : tensor<4x2x3xbf16>, tensor<4x3x2xbf16>
  return %0 : tensor<4x2x2xbf16>
}

// Key words from the ui32 key; counters from the row-major index; 20 rounds.
// CHECK-LABEL: func.func @random_bits(%arg0: tensor<2xi32>) -> tensor<3x5xi32>
// CHECK: %[[K0:.*]] = tensor.extract %arg0[%{{.*}}] : tensor<2xi32>
// CHECK: %[[K1:.*]] = tensor.extract %arg0[%{{.*}}] : tensor<2xi32>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} outs(%{{.*}} : tensor<3x5xi32>)
// CHECK: linalg.index 0 : index
// CHECK: %[[J:.*]] = linalg.index 1 : index
// CHECK-NEXT: %[[LIN:.*]] = arith.addi %{{.*}}, %[[J]] : index
// CHECK: %[[H:.*]] = arith.constant 8 : index
// CHECK-NEXT: %[[SECOND:.*]] = arith.cmpi sge, %[[LIN]], %[[H]] : index
// CHECK: %[[PARITY:.*]] = arith.constant 466688986 : i32
// CHECK-NEXT: %[[X:.*]] = arith.xori %[[K0]], %[[K1]] : i32
// CHECK-NEXT: arith.xori %[[X]], %[[PARITY]] : i32
// CHECK-COUNT-20: arith.shli
// CHECK-NOT: arith.shli
// CHECK: %[[V:.*]] = arith.select %[[SECOND]], %{{.*}}, %{{.*}} : i32
// CHECK-NEXT: linalg.yield %[[V]] : i32
func.func @random_bits(%k: tensor<2xui32>) -> tensor<3x5xui32> {
  %0 = array.random_bits %k : tensor<2xui32> -> tensor<3x5xui32>
  return %0 : tensor<3x5xui32>
}
