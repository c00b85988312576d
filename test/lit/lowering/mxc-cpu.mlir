// RUN: mxc-opt %s --mxc-cpu | FileCheck %s
// RUN: mxc-opt %s --mxc-cpu | FileCheck %s --check-prefix=LEFT
// The CPU pipeline takes a function using many op families all the way to the
// LLVM dialect: the 5 results become out-params after the 5 inputs, and memrefs
// are passed as bare pointers.

// CHECK: llvm.func @main(%arg0: !llvm.ptr, %arg1: !llvm.ptr, %arg2: !llvm.ptr, %arg3: !llvm.ptr, %arg4: !llvm.ptr, %arg5: !llvm.ptr, %arg6: !llvm.ptr, %arg7: !llvm.ptr, %arg8: !llvm.ptr, %arg9: !llvm.ptr) {
// Temporaries come from aligned_alloc (LLVM knows its results alias nothing).
// CHECK: llvm.call @aligned_alloc
// CHECK: llvm.intr.exp
// CHECK: llvm.udiv
// CHECK: llvm.return
// CHECK-NEXT: }

// Nothing of the higher-level dialects is left anywhere in the module.
// LEFT-NOT: array.
// LEFT-NOT: linalg.
// LEFT-NOT: tensor.
// LEFT-NOT: scf.
// LEFT-NOT: memref.
// LEFT-NOT: func.func
// LEFT-NOT: arith.
// LEFT-NOT: math.
// LEFT-NOT: unrealized_conversion_cast
func.func @main(%x: tensor<4x3xf32> {bufferization.writable = false},
                %y: tensor<3x5xf32> {bufferization.writable = false},
                %i: tensor<2xi32> {bufferization.writable = false},
                %u: tensor<4xui32> {bufferization.writable = false},
                %k: tensor<2xui32> {bufferization.writable = false})
    -> (tensor<4x5xf32>, tensor<4xi1>, tensor<2x3xf32>, tensor<4xui32>, tensor<3x2xui32>) {
  %e = array.exp %x : tensor<4x3xf32>
  %t = array.tanh %e : tensor<4x3xf32>
  %m = array.matmul %t, %y : tensor<4x3xf32>, tensor<3x5xf32>
  %b0 = array.constant dense<0.5> : tensor<5xf32>
  %b = array.broadcast_in_dim %b0, dims = [1] : tensor<5xf32> -> tensor<4x5xf32>
  %s = array.add %m, %b : tensor<4x5xf32>
  %mx = array.max %x axes = [1] : tensor<4x3xf32>
  %z = array.constant dense<0.0> : tensor<4xf32>
  %gt = array.greater %mx, %z : tensor<4xf32>
  %g = array.gather %x[%i] axes = [0] sizes = [1, 3] : tensor<4x3xf32>, tensor<2xi32>
  %gr = array.reshape %g : tensor<2x1x3xf32> -> tensor<2x3xf32>
  %cs = array.cumsum %gr axis = 1 : tensor<2x3xf32>
  %two = array.constant dense<2> : tensor<4xui32>
  %d = array.divide %u, %two : tensor<4xui32>
  %srt = array.sort %d axis = 0 : tensor<4xui32>
  %rb = array.random_bits %k : tensor<2xui32> -> tensor<3x2xui32>
  return %s, %gt, %cs, %srt, %rb : tensor<4x5xf32>, tensor<4xi1>, tensor<2x3xf32>, tensor<4xui32>, tensor<3x2xui32>
}
