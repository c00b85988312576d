// The large-matrix GPU matmul: 128x128 tiles, 16x16 threads with 8x8 outputs
// each, 8-deep K slices in workgroup memory as 4-vectors (A transposed and
// padded to 33 vectors a row), 128-bit loads in the unrolled inner loop.
// RUN: mxc-opt %s --mxc-linalg-to-gpu-launch | FileCheck %s
// RUN: %python -m mxc._gpu %s --spirv-val | FileCheck %s --check-prefix=VAL
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c3, {{.*}} = %c2, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c16, {{.*}} = %c16, {{.*}} = %c1)
// CHECK-DAG: memref.alloc() : memref<8x33xvector<4xf32>, 3>
// CHECK-DAG: memref.alloc() : memref<8x32xvector<4xf32>, 3>
// CHECK: scf.for
// CHECK: vector.from_elements
// CHECK: gpu.barrier
// CHECK-COUNT-4: memref.load {{.*}} : memref<8x{{3[23]}}xvector<4xf32>, 3>
// CHECK: gpu.barrier
// VAL: spirv-val: 2 kernels valid

func.func @main(%a: tensor<1x256x72xf32>, %b: tensor<1x72x300xf32>) -> tensor<1x256x300xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x256x300xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x256x300xf32>) -> tensor<1x256x300xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(b, i, k, j) -> (b, i, k)>,
                                        affine_map<(b, i, k, j) -> (b, k, j)>,
                                        affine_map<(b, i, k, j) -> (b, i, j)>],
                       iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
      ins(%a, %b : tensor<1x256x72xf32>, tensor<1x72x300xf32>) outs(%f : tensor<1x256x300xf32>) {
  ^bb0(%l: f32, %r: f32, %acc: f32):
    %0 = arith.mulf %l, %r : f32
    %1 = arith.addf %acc, %0 : f32
    linalg.yield %1 : f32
  } -> tensor<1x256x300xf32>
  return %p : tensor<1x256x300xf32>
}
