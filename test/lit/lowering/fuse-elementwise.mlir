// RUN: mxc-opt %s --pass-pipeline='builtin.module(func.func(mxc-fuse-elementwise))' | FileCheck %s
// RUN: mxc-opt %s --pass-pipeline='builtin.module(func.func(linalg-fuse-elementwise-ops))' | FileCheck %s --check-prefix=UPSTREAM

// A matmul whose operand is reshaped (a gradient's x[..., None] pattern): upstream
// propagates the reshape through it and leaves a generic that BLAS never sees;
// mxc-fuse-elementwise keeps the named op. Elementwise chains still fuse.

// CHECK-LABEL: func.func @reshaped_operand
// CHECK:         linalg.batch_matmul
// CHECK:         linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "parallel", "parallel"]
// CHECK:           arith.addf
// CHECK:           arith.mulf
// CHECK-NOT:     linalg.generic
// UPSTREAM-LABEL: func.func @reshaped_operand
// UPSTREAM-NOT:   linalg.batch_matmul
#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @reshaped_operand(%a: tensor<1x256x1x10xf32>, %b: tensor<1x10x128xf32>) -> tensor<1x256x128xf32> {
  %zero = arith.constant 0.0 : f32
  %ae = tensor.collapse_shape %a [[0], [1], [2, 3]] : tensor<1x256x1x10xf32> into tensor<1x256x10xf32>
  %e = tensor.empty() : tensor<1x256x128xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x256x128xf32>) -> tensor<1x256x128xf32>
  %m = linalg.batch_matmul ins(%ae, %b : tensor<1x256x10xf32>, tensor<1x10x128xf32>) outs(%f : tensor<1x256x128xf32>) -> tensor<1x256x128xf32>
  %s = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%m : tensor<1x256x128xf32>) outs(%e : tensor<1x256x128xf32>) {
  ^bb0(%in: f32, %o: f32):
    %r = arith.addf %in, %in : f32
    linalg.yield %r : f32
  } -> tensor<1x256x128xf32>
  %t = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%s : tensor<1x256x128xf32>) outs(%e : tensor<1x256x128xf32>) {
  ^bb0(%in: f32, %o: f32):
    %r = arith.mulf %in, %in : f32
    linalg.yield %r : f32
  } -> tensor<1x256x128xf32>
  return %t : tensor<1x256x128xf32>
}

// A transpose whose one user is elementwise (vmap with in_axes=1) is read through
// a permuted map by that user: one loop nest, no transposed copy. A transpose
// feeding a matmul stays named (BLAS reads it through strides).

// CHECK-LABEL: func.func @transposed_operand
// CHECK:         linalg.transpose
// CHECK:         linalg.matmul
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%arg0, %arg1 : tensor<64x32xf32>, tensor<32x64xf32>)
// CHECK:           arith.addf
// CHECK-NOT:     linalg.transpose
// CHECK-NOT:     linalg.generic
// UPSTREAM-LABEL: func.func @transposed_operand
func.func @transposed_operand(%x: tensor<64x32xf32>, %y: tensor<32x64xf32>, %w: tensor<64x64xf32>)
    -> (tensor<32x64xf32>, tensor<32x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<32x64xf32>
  %xt = linalg.transpose ins(%x : tensor<64x32xf32>) outs(%e : tensor<32x64xf32>) permutation = [1, 0]
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<32x64xf32>) -> tensor<32x64xf32>
  %p = linalg.matmul ins(%xt, %w : tensor<32x64xf32>, tensor<64x64xf32>) outs(%z : tensor<32x64xf32>) -> tensor<32x64xf32>
  %xt2 = linalg.transpose ins(%x : tensor<64x32xf32>) outs(%e : tensor<32x64xf32>) permutation = [1, 0]
  %s = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%xt2, %y : tensor<32x64xf32>, tensor<32x64xf32>) outs(%e : tensor<32x64xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.addf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<32x64xf32>
  return %p, %s : tensor<32x64xf32>, tensor<32x64xf32>
}
