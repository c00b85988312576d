// RUN: mxc-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(mxc-parallelize{tile-elements=1024 min-work=4096},canonicalize,cse))' | FileCheck %s

// A large elementwise op becomes an scf.forall over blocks of rows (4 rows of
// 256 = 1024 iterations a tile); each tile writes its own slice.

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// CHECK-LABEL: func.func @elementwise
// CHECK:         scf.forall (%[[I:.*]]) = (0) to (64) step (4) shared_outs(%[[O:.*]] = %{{.*}})
// CHECK:           tensor.extract_slice %arg0[%[[I]], 0] [4, 256] [1, 1]
// CHECK:           linalg.generic
// CHECK:             math.exp
// CHECK:           scf.forall.in_parallel
// CHECK:             tensor.parallel_insert_slice {{.*}} into %[[O]][%[[I]], 0] [4, 256] [1, 1]
func.func @elementwise(%x: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %e = tensor.empty() : tensor<64x256xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<64x256xf32>) outs(%e : tensor<64x256xf32>) {
  ^bb0(%in: f32, %o: f32):
    %r = math.exp %in : f32
    linalg.yield %r : f32
  } -> tensor<64x256xf32>
  return %y : tensor<64x256xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// A row reduction: its rows are split between tiles (the init's fill, one value
// a row, stays outside).

// CHECK-LABEL: func.func @row_sum
// CHECK:         %[[Z:.*]] = linalg.fill
// CHECK:         scf.forall (%[[I:.*]]) = (0) to (64) step (4) shared_outs(%[[O:.*]] = %[[Z]])
// CHECK:           tensor.extract_slice %arg0[%[[I]], 0] [4, 256] [1, 1]
// CHECK:           linalg.generic {{.*}}"reduction"
// CHECK:           tensor.parallel_insert_slice {{.*}} into %[[O]][%[[I]]] [4] [1]
func.func @row_sum(%x: tensor<64x256xf32>) -> tensor<64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<64xf32>) -> tensor<64xf32>
  %s = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<64x256xf32>) outs(%z : tensor<64xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %r = arith.addf %acc, %in : f32
    linalg.yield %r : f32
  } -> tensor<64xf32>
  return %s : tensor<64xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// Left alone: an op below min-work, a reduction over the leading loop, a
// contraction (BLAS threads it) and a transpose that only feeds contractions,
// directly or through reshapes (BLAS reads it through strides).

// CHECK-LABEL: func.func @left_alone
// CHECK-NOT:     scf.forall
// CHECK:         return
func.func @left_alone(%x: tensor<64x256xf32>, %s: tensor<8x8xf32>, %w: tensor<64x64xf32>)
    -> (tensor<8x8xf32>, tensor<256xf32>, tensor<256x64xf32>, tensor<1x256x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x8xf32>
  %small = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%s : tensor<8x8xf32>) outs(%e : tensor<8x8xf32>) {
  ^bb0(%in: f32, %o: f32):
    %r = math.exp %in : f32
    linalg.yield %r : f32
  } -> tensor<8x8xf32>
  %ec = tensor.empty() : tensor<256xf32>
  %zc = linalg.fill ins(%zero : f32) outs(%ec : tensor<256xf32>) -> tensor<256xf32>
  %col = linalg.generic {indexing_maps = [#id, affine_map<(d0, d1) -> (d1)>],
                         iterator_types = ["reduction", "parallel"]}
      ins(%x : tensor<64x256xf32>) outs(%zc : tensor<256xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %r = arith.addf %acc, %in : f32
    linalg.yield %r : f32
  } -> tensor<256xf32>
  %et = tensor.empty() : tensor<256x64xf32>
  %xt = linalg.transpose ins(%x : tensor<64x256xf32>) outs(%et : tensor<256x64xf32>) permutation = [1, 0]
  %em = tensor.empty() : tensor<256x64xf32>
  %zm = linalg.fill ins(%zero : f32) outs(%em : tensor<256x64xf32>) -> tensor<256x64xf32>
  %p = linalg.matmul ins(%xt, %w : tensor<256x64xf32>, tensor<64x64xf32>) outs(%zm : tensor<256x64xf32>) -> tensor<256x64xf32>
  %xt3 = tensor.expand_shape %xt [[0, 1], [2]] output_shape [1, 256, 64] : tensor<256x64xf32> into tensor<1x256x64xf32>
  %w3 = tensor.expand_shape %w [[0, 1], [2]] output_shape [1, 64, 64] : tensor<64x64xf32> into tensor<1x64x64xf32>
  %eb = tensor.empty() : tensor<1x256x64xf32>
  %zb = linalg.fill ins(%zero : f32) outs(%eb : tensor<1x256x64xf32>) -> tensor<1x256x64xf32>
  %pb = linalg.batch_matmul ins(%xt3, %w3 : tensor<1x256x64xf32>, tensor<1x64x64xf32>) outs(%zb : tensor<1x256x64xf32>) -> tensor<1x256x64xf32>
  return %small, %col, %p, %pb : tensor<8x8xf32>, tensor<256xf32>, tensor<256x64xf32>, tensor<1x256x64xf32>
}

// -----

// A reversed operand (x[::-1]) has a negative coefficient in its map, which
// linalg's tiling cannot slice (it asserts): the op stays whole.

// CHECK-LABEL: func.func @reversed
// CHECK-NOT:     scf.forall
// CHECK:         linalg.generic
// CHECK:         return
func.func @reversed(%x: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %e = tensor.empty() : tensor<64x256xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (-d0 + 63, d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<64x256xf32>) outs(%e : tensor<64x256xf32>) {
  ^bb0(%in: f32, %o: f32):
    %r = math.exp %in : f32
    linalg.yield %r : f32
  } -> tensor<64x256xf32>
  return %y : tensor<64x256xf32>
}
