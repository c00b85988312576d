// RUN: mxc-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(mxc-fuse-rows{tile-elements=1024},canonicalize,cse))' | FileCheck %s

// Softmax after elementwise fusion: max, exp(x - max), sum, divide. The divide
// is tiled by blocks of 4 rows (4 x 256 = 1024 elements) and everything it
// depends on is computed per block inside the loop; nothing is left outside.

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
#bcast = affine_map<(d0, d1) -> (d0)>

// CHECK-LABEL: func.func @softmax
// CHECK-NOT:     linalg.generic
// CHECK:         scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %c4
// CHECK:           tensor.extract_slice %arg0[%[[I]], 0] [4, 256] [1, 1]
// CHECK:           linalg.generic {{.*}}"reduction"
// CHECK:             arith.maximumf
// CHECK:           linalg.generic
// CHECK:             math.exp
// CHECK:           linalg.generic {{.*}}"reduction"
// CHECK:             arith.addf
// CHECK:           linalg.generic
// CHECK:             arith.divf
// CHECK:           tensor.insert_slice {{.*}} into %{{.*}}[%[[I]], 0] [4, 256] [1, 1]
// CHECK:         }
// CHECK-NOT:     linalg.generic
// CHECK:         return
func.func @softmax(%x: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<64xf32>
  %m0 = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<64xf32>) -> tensor<64xf32>
  %m = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<64x256xf32>) outs(%m0 : tensor<64xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %r = arith.maximumf %acc, %in : f32
    linalg.yield %r : f32
  } -> tensor<64xf32>
  %e2 = tensor.empty() : tensor<64x256xf32>
  %ex = linalg.generic {indexing_maps = [#id, #bcast, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %m : tensor<64x256xf32>, tensor<64xf32>) outs(%e2 : tensor<64x256xf32>) {
  ^bb0(%in: f32, %mx: f32, %o: f32):
    %d = arith.subf %in, %mx : f32
    %r = math.exp %d : f32
    linalg.yield %r : f32
  } -> tensor<64x256xf32>
  %s0 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<64xf32>) -> tensor<64xf32>
  %s = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%ex : tensor<64x256xf32>) outs(%s0 : tensor<64xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %r = arith.addf %acc, %in : f32
    linalg.yield %r : f32
  } -> tensor<64xf32>
  %y = linalg.generic {indexing_maps = [#id, #bcast, #id], iterator_types = ["parallel", "parallel"]}
      ins(%ex, %s : tensor<64x256xf32>, tensor<64xf32>) outs(%e2 : tensor<64x256xf32>) {
  ^bb0(%in: f32, %d: f32, %o: f32):
    %r = arith.divf %in, %d : f32
    linalg.yield %r : f32
  } -> tensor<64x256xf32>
  return %y : tensor<64x256xf32>
}

// -----

// A reduction across the tiled rows (a column mean) would be recomputed in
// every tile: it stays outside the loop, computed once.

#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
#row = affine_map<(d0, d1) -> (d0)>

// CHECK-LABEL: func.func @column_reduction_stays_outside
// CHECK:         %[[COL:.*]] = linalg.generic {{.*}}iterator_types = ["reduction", "parallel"]
// CHECK:         scf.for
// CHECK-NOT:       "reduction", "parallel"
// CHECK:           linalg.generic {{.*}}ins(%{{.*}}, %[[COL]], %{{.*}} :
// CHECK:         return
func.func @column_reduction_stays_outside(%x: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<256xf32>
  %c0 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<256xf32>) -> tensor<256xf32>
  %c = linalg.generic {indexing_maps = [#id, #col], iterator_types = ["reduction", "parallel"]}
      ins(%x : tensor<64x256xf32>) outs(%c0 : tensor<256xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %r = arith.addf %acc, %in : f32
    linalg.yield %r : f32
  } -> tensor<256xf32>
  %e3 = tensor.empty() : tensor<64xf32>
  %r0 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<64xf32>) -> tensor<64xf32>
  %rs = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<64x256xf32>) outs(%r0 : tensor<64xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %r = arith.addf %acc, %in : f32
    linalg.yield %r : f32
  } -> tensor<64xf32>
  %e2 = tensor.empty() : tensor<64x256xf32>
  %y = linalg.generic {indexing_maps = [#id, #col, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %c, %rs : tensor<64x256xf32>, tensor<256xf32>, tensor<64xf32>) outs(%e2 : tensor<64x256xf32>) {
  ^bb0(%in: f32, %cm: f32, %rm: f32, %o: f32):
    %a = arith.subf %in, %cm : f32
    %b = arith.subf %a, %rm : f32
    linalg.yield %b : f32
  } -> tensor<64x256xf32>
  return %y : tensor<64x256xf32>
}

// -----

// The row sums are also returned: the loop yields them instead of computing
// them a second time outside.

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// CHECK-LABEL: func.func @producer_used_outside
// CHECK:         %[[LOOP:.*]]:2 = scf.for
// CHECK-COUNT-2:   tensor.insert_slice
// CHECK:           scf.yield
// CHECK-NOT:     linalg.generic
// CHECK:         return %[[LOOP]]#{{.}}, %[[LOOP]]#{{.}}
func.func @producer_used_outside(%x: tensor<64x256xf32>) -> (tensor<64x256xf32>, tensor<64xf32>) {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<64xf32>
  %s0 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<64xf32>) -> tensor<64xf32>
  %s = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<64x256xf32>) outs(%s0 : tensor<64xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %r = arith.addf %acc, %in : f32
    linalg.yield %r : f32
  } -> tensor<64xf32>
  %e2 = tensor.empty() : tensor<64x256xf32>
  %y = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %s : tensor<64x256xf32>, tensor<64xf32>) outs(%e2 : tensor<64x256xf32>) {
  ^bb0(%in: f32, %d: f32, %o: f32):
    %r = arith.divf %in, %d : f32
    linalg.yield %r : f32
  } -> tensor<64x256xf32>
  return %y, %s : tensor<64x256xf32>, tensor<64xf32>
}

// -----

// Small enough for one tile: left alone.

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// CHECK-LABEL: func.func @one_tile
// CHECK-NOT:     scf.for
// CHECK:         return
func.func @one_tile(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<4xf32>
  %s0 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4xf32>) -> tensor<4xf32>
  %s = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x64xf32>) outs(%s0 : tensor<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %r = arith.addf %acc, %in : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  %e2 = tensor.empty() : tensor<4x64xf32>
  %y = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %s : tensor<4x64xf32>, tensor<4xf32>) outs(%e2 : tensor<4x64xf32>) {
  ^bb0(%in: f32, %d: f32, %o: f32):
    %r = arith.divf %in, %d : f32
    linalg.yield %r : f32
  } -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}
