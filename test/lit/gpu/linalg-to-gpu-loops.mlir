// mxc-linalg-to-gpu on loops (what scans and sorts lower to): a loop whose body
// is elementwise over one slab runs a thread per slab element, each running the
// loop; a loop of steps over `mxc.independent` rows and pairs runs a workgroup
// per row, threads striding over the pairs, a barrier (ordering storage-buffer
// memory too) after each step.
// RUN: mxc-opt %s --pass-pipeline='builtin.module(func.func(mxc-linalg-to-gpu{block-size=64}))' | FileCheck %s

// CHECK-LABEL: func.func @scan
// CHECK:         gpu.launch blocks({{.*}}) in (%{{.*}} = %c1{{.*}}) threads({{.*}}) in (%{{.*}} = %c4,
// CHECK:           scf.for %{{.*}} = %{{.*}} to %c4{{.*}} step %c4
// CHECK:             scf.for %{{.*}} = %c0{{.*}} to %c6{{.*}} step %c1
// CHECK:               memref.load
// CHECK:               arith.addf
// CHECK:               memref.store
// CHECK-NOT:     gpu.launch
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @scan(%in: memref<4x6xf32>, %out: memref<4x6xf32>, %acc: memref<4x1xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c6 = arith.constant 6 : index
  scf.for %k = %c0 to %c6 step %c1 {
    %col = memref.subview %in[0, %k] [4, 1] [1, 1] : memref<4x6xf32> to memref<4x1xf32, strided<[6, 1], offset: ?>>
    linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
        ins(%col : memref<4x1xf32, strided<[6, 1], offset: ?>>) outs(%acc : memref<4x1xf32>) {
    ^bb0(%x: f32, %a: f32):
      %s = arith.addf %a, %x : f32
      linalg.yield %s : f32
    }
    %dst = memref.subview %out[0, %k] [4, 1] [1, 1] : memref<4x6xf32> to memref<4x1xf32, strided<[6, 1], offset: ?>>
    memref.copy %acc, %dst : memref<4x1xf32> to memref<4x1xf32, strided<[6, 1], offset: ?>>
  }
  return
}

// CHECK-LABEL: func.func @network
// CHECK:         gpu.launch blocks({{.*}}) in (%{{.*}} = %c3{{.*}}) threads({{.*}}) in (%{{.*}} = %c8{{.*}})
// CHECK:           scf.for %[[R:arg[0-9]+]] = %{{.*}} to %c3{{.*}} step %c3
// CHECK:             scf.for %{{.*}} = %c0{{.*}} to %c5{{.*}} step %c1
// CHECK:               scf.for %[[Q:arg[0-9]+]] = %{{.*}} to %c8{{.*}} step %c8
// CHECK:                 memref.load %{{.*}}[%[[R]], %[[Q]]]
// CHECK:               spirv.ControlBarrier <Workgroup>, <Workgroup>, <AcquireRelease|UniformMemory|WorkgroupMemory>
func.func @network(%buf: memref<3x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c5 = arith.constant 5 : index
  %c8 = arith.constant 8 : index
  scf.for %s = %c0 to %c5 step %c1 {
    scf.for %r = %c0 to %c3 step %c1 {
      scf.for %q = %c0 to %c8 step %c1 {
        %v = memref.load %buf[%r, %q] : memref<3x8xf32>
        %w = arith.addf %v, %v : f32
        memref.store %w, %buf[%r, %q] : memref<3x8xf32>
      } {mxc.independent}
    } {mxc.independent}
  }
  return
}
