// The GPU path on a fused elementwise chain, a row reduction and a matmul.
// RUN: mxc-opt %s --mxc-linalg-to-gpu-launch | FileCheck %s --check-prefix=LAUNCH
// RUN: rm -rf %t && %python -m mxc._gpu %s --spirv-dir %t --msl | FileCheck %s --check-prefix=MSL
// RUN: %python -m mxc._gpu %s --spirv-val | FileCheck %s --check-prefix=VAL
// VAL: spirv-val: 5 kernels valid

// Elementwise: linear indexing, 4 elements per thread a workgroup apart, 256
// threads, ceil(100000/1024) groups covering the space in one pass (no loop),
// all loads before the computation; only the stores are guarded.
// LAUNCH-LABEL: func.func @main
// LAUNCH: gpu.launch blocks({{.*}}) in ({{.*}} = %c98, {{.*}}) threads({{.*}}) in ({{.*}} = %c256
// LAUNCH-NOT: scf.for
// LAUNCH: scf.if
// LAUNCH-COUNT-4: math.exp
// LAUNCH: scf.if
// Reduction: one workgroup per row, threads stride over the row, then a tree in
// workgroup memory (memory space 3) with barriers.
// LAUNCH: gpu.launch
// LAUNCH: memref.alloc() : memref<{{[0-9]+}}xf32, 3>
// LAUNCH: gpu.barrier
// Matmul (small): 16x16 threads, 64x64 tiles, 16-deep K slices staged in
// workgroup memory (A transposed, rows padded to 68).
// LAUNCH: gpu.launch
// LAUNCH-DAG: memref.alloc() : memref<1088xf32, 3>
// LAUNCH: gpu.barrier

// Three dispatches (plus two fills) with their recorded workgroup sizes and bindings.
// MSL: dispatch main_kernel grid=[98, 1, 1] workgroup=[256, 1, 1] bindings=[0, 4]
// MSL: grid=[4, 1, 1] workgroup=[256, 1, 1] bindings=[1, 5]
// MSL: grid=[1, 1, 1] workgroup=[16, 16, 1] bindings=[2, 3, 6]
// MSL: MSL of kernel 0
// MSL: kernel void main_kernel({{.*}}{{\[\[}}buffer(0){{\]\]}}
// exp is MLIR's polynomial approximation (mxc-gpu-math): 2^k built in the bits.
// MSL: as_type<float>
// MSL: MSL of kernel 2
// MSL: threadgroup {{.*}} _workgroup_mem
// MSL: threadgroup_barrier(mem_flags::mem_threadgroup)

#id = affine_map<(d0) -> (d0)>
#row = affine_map<(d0, d1) -> (d0, d1)>
#red = affine_map<(d0, d1) -> (d0)>
func.func @main(%x: tensor<100000xf32>, %m: tensor<4x1000xf32>, %a: tensor<1x30x40xf32>,
                %b: tensor<1x40x20xf32>) -> (tensor<100000xf32>, tensor<4xf32>, tensor<1x30x20xf32>) {
  %e = tensor.empty() : tensor<100000xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<100000xf32>) outs(%e : tensor<100000xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = math.exp %in : f32
    linalg.yield %0 : f32
  } -> tensor<100000xf32>
  %z = arith.constant 0.0 : f32
  %e2 = tensor.empty() : tensor<4xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<4xf32>) -> tensor<4xf32>
  %s = linalg.generic {indexing_maps = [#row, #red], iterator_types = ["parallel", "reduction"]}
      ins(%m : tensor<4x1000xf32>) outs(%f2 : tensor<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %0 = arith.addf %in, %acc : f32
    linalg.yield %0 : f32
  } -> tensor<4xf32>
  %e3 = tensor.empty() : tensor<1x30x20xf32>
  %f3 = linalg.fill ins(%z : f32) outs(%e3 : tensor<1x30x20xf32>) -> tensor<1x30x20xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(b, i, k, j) -> (b, i, k)>,
                                        affine_map<(b, i, k, j) -> (b, k, j)>,
                                        affine_map<(b, i, k, j) -> (b, i, j)>],
                       iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
      ins(%a, %b : tensor<1x30x40xf32>, tensor<1x40x20xf32>) outs(%f3 : tensor<1x30x20xf32>) {
  ^bb0(%l: f32, %r: f32, %acc: f32):
    %0 = arith.mulf %l, %r : f32
    %1 = arith.addf %acc, %0 : f32
    linalg.yield %1 : f32
  } -> tensor<1x30x20xf32>
  return %y, %s, %p : tensor<100000xf32>, tensor<4xf32>, tensor<1x30x20xf32>
}
