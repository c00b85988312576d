// Scalars reach kernels in push constants (mxc-gpu-scalar-args, then
// mxc-spirv-push-constants), not in a storage buffer each: x * lr + step with a
// 0-d f32 and a 0-d i32 input binds only x and the result (the constant 2.0
// is folded into the kernel).
// RUN: mxc-opt %s --mxc-linalg-to-gpu-launch | mxc-opt --pass-pipeline='builtin.module(func.func(mxc-gpu-scalar-args))' | FileCheck %s --check-prefix=HOST
// RUN: %python -m mxc._gpu %s --msl | FileCheck %s --check-prefix=MSL
// RUN: %python -m mxc._gpu %s --spirv-val | FileCheck %s --check-prefix=VAL

// The host loads each scalar before the launch; the kernel reads no 0-d buffer.
// HOST-LABEL: func.func @main
// HOST-DAG: %[[LR:.*]] = memref.load %arg1[] : memref<f32>
// HOST-DAG: %[[STEP:.*]] = memref.load %arg2[] : memref<i32>
// HOST: gpu.launch
// HOST-NOT: memref.load %arg1
// HOST-NOT: memref.load %arg2
// HOST-NOT: memref.get_global
// HOST: arith.mulf {{.*}}%[[LR]]

// Two storage buffers; 8 push-constant bytes filled from inputs 1 and 2.
// MSL: dispatch main_kernel {{.*}} bindings=[0, 3] push=8 slots=[(0, 1, 4), (4, 2, 4)]
// MSL: kernel void main_kernel({{.*}}{{\[\[}}buffer(1){{\]\]}}, constant _{{[0-9]+}}& _mxc_push_constants {{\[\[}}buffer(2){{\]\]}}
// VAL: spirv-val: 1 kernels valid

#id = affine_map<(d0) -> (d0)>
#s = affine_map<(d0) -> ()>
func.func @main(%x: tensor<1000xf32>, %lr: tensor<f32>, %step: tensor<i32>) -> tensor<1000xf32> {
  %two = arith.constant dense<2.0> : tensor<f32>
  %e = tensor.empty() : tensor<1000xf32>
  %y = linalg.generic {indexing_maps = [#id, #s, #s, #s, #id], iterator_types = ["parallel"]}
      ins(%x, %lr, %step, %two : tensor<1000xf32>, tensor<f32>, tensor<i32>, tensor<f32>)
      outs(%e : tensor<1000xf32>) {
  ^bb0(%a: f32, %l: f32, %n: i32, %t: f32, %out: f32):
    %0 = arith.mulf %a, %l : f32
    %1 = arith.sitofp %n : i32 to f32
    %2 = arith.addf %0, %1 : f32
    %3 = arith.mulf %2, %t : f32
    linalg.yield %3 : f32
  } -> tensor<1000xf32>
  return %y : tensor<1000xf32>
}
