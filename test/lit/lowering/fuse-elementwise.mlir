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
