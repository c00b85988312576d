// RUN: mxc-opt %s --mxc-matmul-to-blas | FileCheck %s
// f32/f64 matmuls on buffers become calls of the CPU runtime's gemm with batch, m,
// n, k, then each buffer's address (aligned pointer + offset * element size) and
// its batch/row/column strides, then 1 to accumulate into C or 0 to overwrite it
// (when a zero fill of C comes right before, which then goes); other element types
// stay.

// CHECK-LABEL: func.func @batch(
// CHECK-SAME: %[[A:.*]]: memref<2x3x4xf32>, %[[B:.*]]: memref<2x4x5xf32>, %[[C:.*]]: memref<2x3x5xf32>
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C5:.*]] = arith.constant 5 : index
// CHECK: %{{.*}}, %[[AOFF:.*]], %{{.*}}:3, %[[AS:.*]]:3 = memref.extract_strided_metadata %[[A]]
// CHECK: %[[AP:.*]] = memref.extract_aligned_pointer_as_index %[[A]]
// CHECK: %[[AB:.*]] = arith.muli %[[AOFF]], %[[C4]]
// CHECK: %[[AADDR:.*]] = arith.addi %[[AP]], %[[AB]]
// CHECK: memref.extract_strided_metadata %[[B]]
// CHECK: memref.extract_strided_metadata %[[C]]
// CHECK: call @mxc_rt_gemm_f32(%[[C2]], %[[C3]], %[[C5]], %[[C4]], %[[AADDR]], %[[AS]]#0, %[[AS]]#1, %[[AS]]#2,
// CHECK-NOT: linalg.batch_matmul
func.func @batch(%a: memref<2x3x4xf32>, %b: memref<2x4x5xf32>, %c: memref<2x3x5xf32>) {
  linalg.batch_matmul ins(%a, %b : memref<2x3x4xf32>, memref<2x4x5xf32>) outs(%c : memref<2x3x5xf32>)
  return
}

// A transposed view reaches the call through its strides; rank 2 has batch stride 0.
// CHECK-LABEL: func.func @strided_f64(
// CHECK: %[[Z:.*]] = arith.constant 0 : index
// CHECK: call @mxc_rt_gemm_f64(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[Z]], %{{.*}}#0, %{{.*}}#1,
func.func @strided_f64(%a: memref<3x4xf64, strided<[1, 3]>>, %b: memref<4x5xf64>, %c: memref<3x5xf64>) {
  linalg.matmul ins(%a, %b : memref<3x4xf64, strided<[1, 3]>>, memref<4x5xf64>) outs(%c : memref<3x5xf64>)
  return
}

// A zero fill right before: gone, and the gemm overwrites (last argument 0).
// CHECK-LABEL: func.func @filled(
// CHECK-NOT: linalg.fill
// CHECK: call @mxc_rt_gemm_f32({{.*}}, %c0{{(_[0-9]+)?}}) :
func.func @filled(%a: memref<3x4xf32>, %b: memref<4x5xf32>, %c: memref<3x5xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<3x5xf32>)
  linalg.matmul ins(%a, %b : memref<3x4xf32>, memref<4x5xf32>) outs(%c : memref<3x5xf32>)
  return
}

// A fill with another value stays, and the gemm accumulates onto it.
// CHECK-LABEL: func.func @filled_one(
// CHECK: linalg.fill
// CHECK: call @mxc_rt_gemm_f32({{.*}}, %c1{{(_[0-9]+)?}}) :
func.func @filled_one(%a: memref<3x4xf32>, %b: memref<4x5xf32>, %c: memref<3x5xf32>) {
  %one = arith.constant 1.0 : f32
  linalg.fill ins(%one : f32) outs(%c : memref<3x5xf32>)
  linalg.matmul ins(%a, %b : memref<3x4xf32>, memref<4x5xf32>) outs(%c : memref<3x5xf32>)
  return
}

// CHECK-LABEL: func.func @ints(
// CHECK: linalg.batch_matmul
// CHECK-NOT: call
func.func @ints(%a: memref<2x3x4xi32>, %b: memref<2x4x5xi32>, %c: memref<2x3x5xi32>) {
  linalg.batch_matmul ins(%a, %b : memref<2x3x4xi32>, memref<2x4x5xi32>) outs(%c : memref<2x3x5xi32>)
  return
}


// A transpose copied into a buffer used only by the product: BLAS reads the
// transpose's input through a permuted view, and the copy and its buffer go.
// CHECK-LABEL: func.func @transposed_copy(
// CHECK-SAME: %[[X:.*]]: memref<1x4x3xf32>
// CHECK-NOT: linalg.transpose
// CHECK-NOT: memref.alloc
// CHECK: %[[V:.*]] = memref.transpose %[[X]] (d0, d1, d2) -> (d0, d2, d1)
// CHECK: memref.extract_strided_metadata %[[V]]
// CHECK: call @mxc_rt_gemm_f32
// CHECK-NOT: memref.dealloc
func.func @transposed_copy(%x: memref<1x4x3xf32>, %b: memref<1x4x5xf32>, %c: memref<1x3x5xf32>) {
  %t = memref.alloc() : memref<1x3x4xf32>
  linalg.transpose ins(%x : memref<1x4x3xf32>) outs(%t : memref<1x3x4xf32>) permutation = [0, 2, 1]
  linalg.batch_matmul ins(%t, %b : memref<1x3x4xf32>, memref<1x4x5xf32>) outs(%c : memref<1x3x5xf32>)
  memref.dealloc %t : memref<1x3x4xf32>
  return
}

// The transposed buffer is read again after the product: the copy stays.
// CHECK-LABEL: func.func @transposed_copy_kept(
// CHECK: linalg.transpose
// CHECK: call @mxc_rt_gemm_f32
func.func @transposed_copy_kept(%x: memref<1x4x3xf32>, %b: memref<1x4x5xf32>, %c: memref<1x3x5xf32>, %d: memref<1x3x4xf32>) {
  %t = memref.alloc() : memref<1x3x4xf32>
  linalg.transpose ins(%x : memref<1x4x3xf32>) outs(%t : memref<1x3x4xf32>) permutation = [0, 2, 1]
  linalg.batch_matmul ins(%t, %b : memref<1x3x4xf32>, memref<1x4x5xf32>) outs(%c : memref<1x3x5xf32>)
  memref.copy %t, %d : memref<1x3x4xf32> to memref<1x3x4xf32>
  memref.dealloc %t : memref<1x3x4xf32>
  return
}

// The product's output is the transpose's input buffer (reused once the copy
// read it): reading through a view would race with the writes, so the copy stays.
// CHECK-LABEL: func.func @output_reuses_transpose_input(
// CHECK: linalg.transpose
// CHECK: call @mxc_rt_gemm_f32
func.func @output_reuses_transpose_input(%a: memref<1x3x3xf32>) {
  %x = memref.alloc() : memref<1x3x3xf32>
  linalg.transpose ins(%a : memref<1x3x3xf32>) outs(%x : memref<1x3x3xf32>) permutation = [0, 2, 1]
  %t = memref.alloc() : memref<1x3x3xf32>
  linalg.transpose ins(%x : memref<1x3x3xf32>) outs(%t : memref<1x3x3xf32>) permutation = [0, 2, 1]
  linalg.batch_matmul ins(%a, %t : memref<1x3x3xf32>, memref<1x3x3xf32>) outs(%x : memref<1x3x3xf32>)
  memref.dealloc %t : memref<1x3x3xf32>
  return
}

// CHECK-DAG: func.func private @mxc_rt_gemm_f32(index, index, index, index, index, index, index, index, index, index, index, index, index, index, index, index, index)
// CHECK-DAG: func.func private @mxc_rt_gemm_f64(
