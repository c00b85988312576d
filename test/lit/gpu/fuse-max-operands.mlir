// mxc-fuse-elementwise{max-operands=N}, as the GPU pipeline runs it: a fusion is
// made only while the fused op has at most N distinct tensor operands (each is a
// storage buffer of one kernel; devices cap them, Metal at 31).
// RUN: mxc-opt %s --pass-pipeline='builtin.module(func.func(mxc-fuse-elementwise))' | FileCheck %s --check-prefix=ALL
// RUN: mxc-opt %s --pass-pipeline='builtin.module(func.func(mxc-fuse-elementwise{max-operands=4}))' | FileCheck %s

// Without a limit the chain a+b+c+d+e is one op of six operands.
// ALL-LABEL: func.func @chain
// ALL:         linalg.generic
// ALL-SAME:      ins(%arg0, %arg1, %arg2, %arg3, %arg4 :
// ALL-NOT:     linalg.generic
// With 4: (a + b) + c is three inputs and an output, and so is (that + d) + e.
// CHECK-LABEL: func.func @chain
// CHECK:         %[[T:.*]] = linalg.generic
// CHECK-SAME:      ins(%arg0, %arg1, %arg2 :
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[T]], %arg3, %arg4 :
// CHECK-NOT:     linalg.generic
#id = affine_map<(d0) -> (d0)>
func.func @chain(%a: tensor<8xf32>, %b: tensor<8xf32>, %c: tensor<8xf32>, %d: tensor<8xf32>,
                 %e: tensor<8xf32>) -> tensor<8xf32> {
  %0 = tensor.empty() : tensor<8xf32>
  %1 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%a, %b : tensor<8xf32>, tensor<8xf32>) outs(%0 : tensor<8xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %r = arith.addf %x, %y : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  %2 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%1, %c : tensor<8xf32>, tensor<8xf32>) outs(%0 : tensor<8xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %r = arith.addf %x, %y : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  %3 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%2, %d : tensor<8xf32>, tensor<8xf32>) outs(%0 : tensor<8xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %r = arith.addf %x, %y : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  %4 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%3, %e : tensor<8xf32>, tensor<8xf32>) outs(%0 : tensor<8xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %r = arith.addf %x, %y : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  return %4 : tensor<8xf32>
}
