// RUN: mxc-opt %s --mxc-cpu | FileCheck %s
// Integer power lowers to math.ipowi, which the CPU pipeline must expand (e.g.
// with convert-math-to-funcs); it used to fail with "failed to legalize
// operation 'math.ipowi'".

// CHECK: llvm.func @main(%arg0: !llvm.ptr, %arg1: !llvm.ptr, %arg2: !llvm.ptr)
// CHECK-NOT: math.ipowi
// CHECK: llvm.return
func.func @main(%a: tensor<4xi32> {bufferization.writable = false},
                %b: tensor<4xi32> {bufferization.writable = false}) -> tensor<4xi32> {
  %0 = array.power %a, %b : tensor<4xi32>
  return %0 : tensor<4xi32>
}
