// RUN: mxc-opt %s --convert-array-to-linalg --mxc-linalg-to-llvm | FileCheck %s
// The last stage alone: linalg on tensors to the LLVM dialect, results as
// out-parameters after the inputs, bare pointers.

// CHECK: llvm.func @main(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK-NOT: linalg.
// CHECK-NOT: tensor.
// CHECK-NOT: memref.
func.func @main(%a: tensor<4x8xf32> {bufferization.writable = false},
                %b: tensor<8xf32> {bufferization.writable = false}) -> tensor<4xf32> {
  %bb = array.broadcast_in_dim %b, dims = [1] : tensor<8xf32> -> tensor<4x8xf32>
  %0 = array.multiply %a, %bb : tensor<4x8xf32>
  %1 = array.exp %0 : tensor<4x8xf32>
  %2 = array.sum %1 axes = [1] : tensor<4x8xf32>
  return %2 : tensor<4xf32>
}
