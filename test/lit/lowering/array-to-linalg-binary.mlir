// RUN: mxc-opt %s --convert-array-to-linalg | FileCheck %s
// RUN: mxc-opt %s --convert-array-to-linalg | FileCheck %s --check-prefix=NOARRAY
// Binary elementwise ops, comparisons, select, convert and bitcast. The original
// element type picks signed or unsigned arithmetic (ui32 divides with divui).

// NOARRAY-NOT: array.

// CHECK-LABEL: func.func @add_f32(%arg0: tensor<4xf32>, %arg1: tensor<4xf32>) -> tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xf32>, tensor<4xf32>) outs(%{{.*}} : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: f32, %[[R:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[V:.*]] = arith.addf %[[L]], %[[R]] : f32
// CHECK-NEXT: linalg.yield %[[V]] : f32
func.func @add_f32(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.add %a, %b : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @add_i16(%arg0: tensor<4xi16>, %arg1: tensor<4xi16>) -> tensor<4xi16>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi16>, tensor<4xi16>) outs(%{{.*}} : tensor<4xi16>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i16, %[[R:.*]]: i16, %{{.*}}: i16):
// CHECK: %[[V:.*]] = arith.addi %[[L]], %[[R]] : i16
// CHECK-NEXT: linalg.yield %[[V]] : i16
func.func @add_i16(%a: tensor<4xi16>, %b: tensor<4xi16>) -> tensor<4xi16> {
  %0 = array.add %a, %b : tensor<4xi16>
  return %0 : tensor<4xi16>
}

// bool + is or.
// CHECK-LABEL: func.func @add_i1(%arg0: tensor<4xi8>, %arg1: tensor<4xi8>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi8>, tensor<4xi8>) outs(%{{.*}} : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i8, %[[R:.*]]: i8, %{{.*}}: i8):
// CHECK: %[[A:.*]] = arith.trunci %[[L]] : i8 to i1
// CHECK: %[[B:.*]] = arith.trunci %[[R]] : i8 to i1
// CHECK: %[[V:.*]] = arith.ori %[[A]], %[[B]] : i1
// CHECK: %[[X:.*]] = arith.extui %[[V]] : i1 to i8
// CHECK-NEXT: linalg.yield %[[X]] : i8
func.func @add_i1(%a: tensor<4xi1>, %b: tensor<4xi1>) -> tensor<4xi1> {
  %0 = array.add %a, %b : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @subtract_f64(%arg0: tensor<4xf64>, %arg1: tensor<4xf64>) -> tensor<4xf64>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xf64>, tensor<4xf64>) outs(%{{.*}} : tensor<4xf64>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: f64, %[[R:.*]]: f64, %{{.*}}: f64):
// CHECK: %[[V:.*]] = arith.subf %[[L]], %[[R]] : f64
// CHECK-NEXT: linalg.yield %[[V]] : f64
func.func @subtract_f64(%a: tensor<4xf64>, %b: tensor<4xf64>) -> tensor<4xf64> {
  %0 = array.subtract %a, %b : tensor<4xf64>
  return %0 : tensor<4xf64>
}

// CHECK-LABEL: func.func @subtract_ui8(%arg0: tensor<4xi8>, %arg1: tensor<4xi8>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi8>, tensor<4xi8>) outs(%{{.*}} : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i8, %[[R:.*]]: i8, %{{.*}}: i8):
// CHECK: %[[V:.*]] = arith.subi %[[L]], %[[R]] : i8
// CHECK-NEXT: linalg.yield %[[V]] : i8
func.func @subtract_ui8(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  %0 = array.subtract %a, %b : tensor<4xui8>
  return %0 : tensor<4xui8>
}

// CHECK-LABEL: func.func @multiply_bf16(%arg0: tensor<4xbf16>, %arg1: tensor<4xbf16>) -> tensor<4xbf16>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xbf16>, tensor<4xbf16>) outs(%{{.*}} : tensor<4xbf16>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: bf16, %[[R:.*]]: bf16, %{{.*}}: bf16):
// CHECK: %[[V:.*]] = arith.mulf %[[L]], %[[R]] : bf16
// CHECK-NEXT: linalg.yield %[[V]] : bf16
func.func @multiply_bf16(%a: tensor<4xbf16>, %b: tensor<4xbf16>) -> tensor<4xbf16> {
  %0 = array.multiply %a, %b : tensor<4xbf16>
  return %0 : tensor<4xbf16>
}

// CHECK-LABEL: func.func @multiply_i64(%arg0: tensor<4xi64>, %arg1: tensor<4xi64>) -> tensor<4xi64>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi64>, tensor<4xi64>) outs(%{{.*}} : tensor<4xi64>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i64, %[[R:.*]]: i64, %{{.*}}: i64):
// CHECK: %[[V:.*]] = arith.muli %[[L]], %[[R]] : i64
// CHECK-NEXT: linalg.yield %[[V]] : i64
func.func @multiply_i64(%a: tensor<4xi64>, %b: tensor<4xi64>) -> tensor<4xi64> {
  %0 = array.multiply %a, %b : tensor<4xi64>
  return %0 : tensor<4xi64>
}

// bool * is and.
// CHECK-LABEL: func.func @multiply_i1(%arg0: tensor<4xi8>, %arg1: tensor<4xi8>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi8>, tensor<4xi8>) outs(%{{.*}} : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i8, %[[R:.*]]: i8, %{{.*}}: i8):
// CHECK: arith.trunci
// CHECK: arith.trunci
// CHECK: %[[V:.*]] = arith.andi %{{.*}}, %{{.*}} : i1
// CHECK: arith.extui %[[V]] : i1 to i8
func.func @multiply_i1(%a: tensor<4xi1>, %b: tensor<4xi1>) -> tensor<4xi1> {
  %0 = array.multiply %a, %b : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @divide_f32(%arg0: tensor<4xf32>, %arg1: tensor<4xf32>) -> tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xf32>, tensor<4xf32>) outs(%{{.*}} : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: f32, %[[R:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[V:.*]] = arith.divf %[[L]], %[[R]] : f32
// CHECK-NEXT: linalg.yield %[[V]] : f32
func.func @divide_f32(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.divide %a, %b : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// Signed division guards x / 0 and INT_MIN / -1.
// CHECK-LABEL: func.func @divide_i32(%arg0: tensor<4xi32>, %arg1: tensor<4xi32>) -> tensor<4xi32>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi32>, tensor<4xi32>) outs(%{{.*}} : tensor<4xi32>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i32, %[[R:.*]]: i32, %{{.*}}: i32):
// CHECK: %[[Z:.*]] = arith.cmpi eq, %[[R]], %{{.*}} : i32
// CHECK: arith.select %[[Z]]
// CHECK: %[[M:.*]] = arith.cmpi eq
// CHECK: arith.select %[[M]]
// CHECK: %[[Q:.*]] = arith.divsi %[[L]], %{{.*}} : i32
// CHECK: arith.subi
// CHECK: arith.select %[[M]]
// CHECK: %[[V:.*]] = arith.select %[[Z]]
// CHECK-NEXT: linalg.yield %[[V]] : i32
func.func @divide_i32(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = array.divide %a, %b : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// ui32 division is unsigned (divui), with a zero-divisor guard.
// CHECK-LABEL: func.func @divide_ui32(%arg0: tensor<4xi32>, %arg1: tensor<4xi32>) -> tensor<4xi32>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi32>, tensor<4xi32>) outs(%{{.*}} : tensor<4xi32>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i32, %[[R:.*]]: i32, %{{.*}}: i32):
// CHECK: %[[Z:.*]] = arith.cmpi eq, %[[R]], %{{.*}} : i32
// CHECK: %[[S:.*]] = arith.select %[[Z]], %{{.*}}, %[[R]] : i32
// CHECK: %[[Q:.*]] = arith.divui %[[L]], %[[S]] : i32
// CHECK: %[[V:.*]] = arith.select %[[Z]], %{{.*}}, %[[Q]] : i32
// CHECK-NEXT: linalg.yield %[[V]] : i32
func.func @divide_ui32(%a: tensor<4xui32>, %b: tensor<4xui32>) -> tensor<4xui32> {
  %0 = array.divide %a, %b : tensor<4xui32>
  return %0 : tensor<4xui32>
}

// CHECK-LABEL: func.func @floor_divide_f32(%arg0: tensor<4xf32>, %arg1: tensor<4xf32>) -> tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xf32>, tensor<4xf32>) outs(%{{.*}} : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: f32, %[[R:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[D:.*]] = arith.divf %[[L]], %[[R]] : f32
// CHECK: %[[V:.*]] = math.floor %[[D]] : f32
// CHECK-NEXT: linalg.yield %[[V]]
func.func @floor_divide_f32(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.floor_divide %a, %b : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @floor_divide_i8(%arg0: tensor<4xi8>, %arg1: tensor<4xi8>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi8>, tensor<4xi8>) outs(%{{.*}} : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i8, %[[R:.*]]: i8, %{{.*}}: i8):
// CHECK: arith.floordivsi %[[L]], %{{.*}} : i8
// CHECK: linalg.yield
func.func @floor_divide_i8(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  %0 = array.floor_divide %a, %b : tensor<4xi8>
  return %0 : tensor<4xi8>
}

// CHECK-LABEL: func.func @floor_divide_ui64(%arg0: tensor<4xi64>, %arg1: tensor<4xi64>) -> tensor<4xi64>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi64>, tensor<4xi64>) outs(%{{.*}} : tensor<4xi64>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i64, %[[R:.*]]: i64, %{{.*}}: i64):
// CHECK: arith.divui %[[L]], %{{.*}} : i64
// CHECK: linalg.yield
func.func @floor_divide_ui64(%a: tensor<4xui64>, %b: tensor<4xui64>) -> tensor<4xui64> {
  %0 = array.floor_divide %a, %b : tensor<4xui64>
  return %0 : tensor<4xui64>
}

// NumPy's mod: fmod moved into the divisor's sign.
// CHECK-LABEL: func.func @remainder_f32(%arg0: tensor<4xf32>, %arg1: tensor<4xf32>) -> tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xf32>, tensor<4xf32>) outs(%{{.*}} : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: f32, %[[R:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[M:.*]] = arith.remf %[[L]], %[[R]] : f32
// CHECK: arith.cmpf olt, %[[M]]
// CHECK: arith.cmpf olt, %[[R]]
// CHECK: arith.cmpf one, %[[M]]
// CHECK: %[[S:.*]] = arith.addf %[[M]], %[[R]] : f32
// CHECK: %[[V:.*]] = arith.select %{{.*}}, %[[S]], %[[M]] : f32
// CHECK-NEXT: linalg.yield %[[V]]
func.func @remainder_f32(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.remainder %a, %b : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @remainder_i32(%arg0: tensor<4xi32>, %arg1: tensor<4xi32>) -> tensor<4xi32>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi32>, tensor<4xi32>) outs(%{{.*}} : tensor<4xi32>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i32, %[[R:.*]]: i32, %{{.*}}: i32):
// CHECK: arith.remsi %[[L]], %{{.*}} : i32
// CHECK: arith.cmpi slt
// CHECK: linalg.yield
func.func @remainder_i32(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = array.remainder %a, %b : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// CHECK-LABEL: func.func @remainder_ui16(%arg0: tensor<4xi16>, %arg1: tensor<4xi16>) -> tensor<4xi16>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi16>, tensor<4xi16>) outs(%{{.*}} : tensor<4xi16>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i16, %[[R:.*]]: i16, %{{.*}}: i16):
// CHECK: arith.remui %[[L]], %{{.*}} : i16
// CHECK: linalg.yield
func.func @remainder_ui16(%a: tensor<4xui16>, %b: tensor<4xui16>) -> tensor<4xui16> {
  %0 = array.remainder %a, %b : tensor<4xui16>
  return %0 : tensor<4xui16>
}

// CHECK-LABEL: func.func @power_f32(%arg0: tensor<4xf32>, %arg1: tensor<4xf32>) -> tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xf32>, tensor<4xf32>) outs(%{{.*}} : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: f32, %[[R:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[V:.*]] = math.powf %[[L]], %[[R]] : f32
// CHECK-NEXT: linalg.yield %[[V]] : f32
func.func @power_f32(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.power %a, %b : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @power_i32(%arg0: tensor<4xi32>, %arg1: tensor<4xi32>) -> tensor<4xi32>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi32>, tensor<4xi32>) outs(%{{.*}} : tensor<4xi32>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i32, %[[R:.*]]: i32, %{{.*}}: i32):
// CHECK: %[[V:.*]] = math.ipowi %[[L]], %[[R]] : i32
// CHECK-NEXT: linalg.yield %[[V]] : i32
func.func @power_i32(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = array.power %a, %b : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// CHECK-LABEL: func.func @maximum_f32(%arg0: tensor<4xf32>, %arg1: tensor<4xf32>) -> tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xf32>, tensor<4xf32>) outs(%{{.*}} : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: f32, %[[R:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[V:.*]] = arith.maximumf %[[L]], %[[R]] : f32
// CHECK-NEXT: linalg.yield %[[V]] : f32
func.func @maximum_f32(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.maximum %a, %b : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @maximum_i8(%arg0: tensor<4xi8>, %arg1: tensor<4xi8>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi8>, tensor<4xi8>) outs(%{{.*}} : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i8, %[[R:.*]]: i8, %{{.*}}: i8):
// CHECK: %[[V:.*]] = arith.maxsi %[[L]], %[[R]] : i8
// CHECK-NEXT: linalg.yield %[[V]] : i8
func.func @maximum_i8(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  %0 = array.maximum %a, %b : tensor<4xi8>
  return %0 : tensor<4xi8>
}

// CHECK-LABEL: func.func @maximum_ui8(%arg0: tensor<4xi8>, %arg1: tensor<4xi8>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi8>, tensor<4xi8>) outs(%{{.*}} : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i8, %[[R:.*]]: i8, %{{.*}}: i8):
// CHECK: %[[V:.*]] = arith.maxui %[[L]], %[[R]] : i8
// CHECK-NEXT: linalg.yield %[[V]] : i8
func.func @maximum_ui8(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  %0 = array.maximum %a, %b : tensor<4xui8>
  return %0 : tensor<4xui8>
}

// CHECK-LABEL: func.func @minimum_f16(%arg0: tensor<4xf16>, %arg1: tensor<4xf16>) -> tensor<4xf16>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xf16>, tensor<4xf16>) outs(%{{.*}} : tensor<4xf16>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: f16, %[[R:.*]]: f16, %{{.*}}: f16):
// CHECK: %[[V:.*]] = arith.minimumf %[[L]], %[[R]] : f16
// CHECK-NEXT: linalg.yield %[[V]] : f16
func.func @minimum_f16(%a: tensor<4xf16>, %b: tensor<4xf16>) -> tensor<4xf16> {
  %0 = array.minimum %a, %b : tensor<4xf16>
  return %0 : tensor<4xf16>
}

// CHECK-LABEL: func.func @minimum_i64(%arg0: tensor<4xi64>, %arg1: tensor<4xi64>) -> tensor<4xi64>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi64>, tensor<4xi64>) outs(%{{.*}} : tensor<4xi64>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i64, %[[R:.*]]: i64, %{{.*}}: i64):
// CHECK: %[[V:.*]] = arith.minsi %[[L]], %[[R]] : i64
// CHECK-NEXT: linalg.yield %[[V]] : i64
func.func @minimum_i64(%a: tensor<4xi64>, %b: tensor<4xi64>) -> tensor<4xi64> {
  %0 = array.minimum %a, %b : tensor<4xi64>
  return %0 : tensor<4xi64>
}

// CHECK-LABEL: func.func @minimum_ui32(%arg0: tensor<4xi32>, %arg1: tensor<4xi32>) -> tensor<4xi32>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi32>, tensor<4xi32>) outs(%{{.*}} : tensor<4xi32>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i32, %[[R:.*]]: i32, %{{.*}}: i32):
// CHECK: %[[V:.*]] = arith.minui %[[L]], %[[R]] : i32
// CHECK-NEXT: linalg.yield %[[V]] : i32
func.func @minimum_ui32(%a: tensor<4xui32>, %b: tensor<4xui32>) -> tensor<4xui32> {
  %0 = array.minimum %a, %b : tensor<4xui32>
  return %0 : tensor<4xui32>
}

// CHECK-LABEL: func.func @maximum_i1(%arg0: tensor<4xi8>, %arg1: tensor<4xi8>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi8>, tensor<4xi8>) outs(%{{.*}} : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i8, %[[R:.*]]: i8, %{{.*}}: i8):
// CHECK: %[[A:.*]] = arith.trunci %[[L]]
// CHECK: %[[B:.*]] = arith.trunci %[[R]]
// CHECK: arith.maxui %[[A]], %[[B]] : i1
func.func @maximum_i1(%a: tensor<4xi1>, %b: tensor<4xi1>) -> tensor<4xi1> {
  %0 = array.maximum %a, %b : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @arctan2_f32(%arg0: tensor<4xf32>, %arg1: tensor<4xf32>) -> tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xf32>, tensor<4xf32>) outs(%{{.*}} : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: f32, %[[R:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[V:.*]] = math.atan2 %[[L]], %[[R]] : f32
// CHECK-NEXT: linalg.yield %[[V]] : f32
func.func @arctan2_f32(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.arctan2 %a, %b : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @logaddexp_f64(%arg0: tensor<4xf64>, %arg1: tensor<4xf64>) -> tensor<4xf64>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xf64>, tensor<4xf64>) outs(%{{.*}} : tensor<4xf64>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: f64, %[[R:.*]]: f64, %{{.*}}: f64):
// CHECK: %[[M:.*]] = arith.maximumf %[[L]], %[[R]] : f64
// CHECK: %[[D:.*]] = arith.subf %[[L]], %[[R]] : f64
// CHECK: math.absf %[[D]]
// CHECK: %[[E:.*]] = math.exp
// CHECK: arith.addf %{{.*}}, %[[E]]
// CHECK: math.log
// CHECK: arith.addf %[[M]]
// CHECK: arith.cmpf uno, %[[D]], %[[D]]
// CHECK: %[[V:.*]] = arith.select
// CHECK-NEXT: linalg.yield %[[V]] : f64
func.func @logaddexp_f64(%a: tensor<4xf64>, %b: tensor<4xf64>) -> tensor<4xf64> {
  %0 = array.logaddexp %a, %b : tensor<4xf64>
  return %0 : tensor<4xf64>
}

// CHECK-LABEL: func.func @logical_and_i1(%arg0: tensor<4xi8>, %arg1: tensor<4xi8>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi8>, tensor<4xi8>) outs(%{{.*}} : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i8, %[[R:.*]]: i8, %{{.*}}: i8):
// CHECK: %[[A:.*]] = arith.trunci %[[L]] : i8 to i1
// CHECK: %[[B:.*]] = arith.trunci %[[R]] : i8 to i1
// CHECK: %[[V:.*]] = arith.andi %[[A]], %[[B]] : i1
// CHECK: %[[X:.*]] = arith.extui %[[V]] : i1 to i8
// CHECK-NEXT: linalg.yield %[[X]] : i8
func.func @logical_and_i1(%a: tensor<4xi1>, %b: tensor<4xi1>) -> tensor<4xi1> {
  %0 = array.logical_and %a, %b : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @logical_or_i1(%arg0: tensor<4xi8>, %arg1: tensor<4xi8>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi8>, tensor<4xi8>) outs(%{{.*}} : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i8, %[[R:.*]]: i8, %{{.*}}: i8):
// CHECK: %[[A:.*]] = arith.trunci %[[L]] : i8 to i1
// CHECK: %[[B:.*]] = arith.trunci %[[R]] : i8 to i1
// CHECK: %[[V:.*]] = arith.ori %[[A]], %[[B]] : i1
// CHECK: %[[X:.*]] = arith.extui %[[V]] : i1 to i8
// CHECK-NEXT: linalg.yield %[[X]] : i8
func.func @logical_or_i1(%a: tensor<4xi1>, %b: tensor<4xi1>) -> tensor<4xi1> {
  %0 = array.logical_or %a, %b : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @bitwise_and_i32(%arg0: tensor<4xi32>, %arg1: tensor<4xi32>) -> tensor<4xi32>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi32>, tensor<4xi32>) outs(%{{.*}} : tensor<4xi32>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i32, %[[R:.*]]: i32, %{{.*}}: i32):
// CHECK: %[[V:.*]] = arith.andi %[[L]], %[[R]] : i32
// CHECK-NEXT: linalg.yield %[[V]] : i32
func.func @bitwise_and_i32(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = array.bitwise_and %a, %b : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// CHECK-LABEL: func.func @bitwise_or_ui8(%arg0: tensor<4xi8>, %arg1: tensor<4xi8>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi8>, tensor<4xi8>) outs(%{{.*}} : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i8, %[[R:.*]]: i8, %{{.*}}: i8):
// CHECK: %[[V:.*]] = arith.ori %[[L]], %[[R]] : i8
// CHECK-NEXT: linalg.yield %[[V]] : i8
func.func @bitwise_or_ui8(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  %0 = array.bitwise_or %a, %b : tensor<4xui8>
  return %0 : tensor<4xui8>
}

// CHECK-LABEL: func.func @bitwise_xor_i64(%arg0: tensor<4xi64>, %arg1: tensor<4xi64>) -> tensor<4xi64>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi64>, tensor<4xi64>) outs(%{{.*}} : tensor<4xi64>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i64, %[[R:.*]]: i64, %{{.*}}: i64):
// CHECK: %[[V:.*]] = arith.xori %[[L]], %[[R]] : i64
// CHECK-NEXT: linalg.yield %[[V]] : i64
func.func @bitwise_xor_i64(%a: tensor<4xi64>, %b: tensor<4xi64>) -> tensor<4xi64> {
  %0 = array.bitwise_xor %a, %b : tensor<4xi64>
  return %0 : tensor<4xi64>
}

// Shifts of the bit width or more give 0.
// CHECK-LABEL: func.func @left_shift_i32(%arg0: tensor<4xi32>, %arg1: tensor<4xi32>) -> tensor<4xi32>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi32>, tensor<4xi32>) outs(%{{.*}} : tensor<4xi32>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i32, %[[R:.*]]: i32, %{{.*}}: i32):
// CHECK: %[[W:.*]] = arith.constant 32 : i32
// CHECK: %[[BIG:.*]] = arith.cmpi uge, %[[R]], %[[W]] : i32
// CHECK: %[[S:.*]] = arith.select %[[BIG]], %{{.*}}, %[[R]] : i32
// CHECK: %[[SH:.*]] = arith.shli %[[L]], %[[S]] : i32
// CHECK: %[[V:.*]] = arith.select %[[BIG]], %{{.*}}, %[[SH]] : i32
// CHECK-NEXT: linalg.yield %[[V]]
func.func @left_shift_i32(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = array.left_shift %a, %b : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// Signed right shift is arithmetic (shift by width - 1 when too big).
// CHECK-LABEL: func.func @right_shift_i16(%arg0: tensor<4xi16>, %arg1: tensor<4xi16>) -> tensor<4xi16>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi16>, tensor<4xi16>) outs(%{{.*}} : tensor<4xi16>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i16, %[[R:.*]]: i16, %{{.*}}: i16):
// CHECK: %[[W:.*]] = arith.constant 16 : i16
// CHECK: %[[BIG:.*]] = arith.cmpi uge, %[[R]], %[[W]] : i16
// CHECK: %[[S:.*]] = arith.select %[[BIG]], %{{.*}}, %[[R]] : i16
// CHECK: %[[V:.*]] = arith.shrsi %[[L]], %[[S]] : i16
// CHECK-NEXT: linalg.yield %[[V]]
func.func @right_shift_i16(%a: tensor<4xi16>, %b: tensor<4xi16>) -> tensor<4xi16> {
  %0 = array.right_shift %a, %b : tensor<4xi16>
  return %0 : tensor<4xi16>
}

// Unsigned right shift is logical.
// CHECK-LABEL: func.func @right_shift_ui16(%arg0: tensor<4xi16>, %arg1: tensor<4xi16>) -> tensor<4xi16>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi16>, tensor<4xi16>) outs(%{{.*}} : tensor<4xi16>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i16, %[[R:.*]]: i16, %{{.*}}: i16):
// CHECK: arith.cmpi uge, %[[R]]
// CHECK: %[[SH:.*]] = arith.shrui %[[L]], %{{.*}} : i16
// CHECK: %[[V:.*]] = arith.select %{{.*}}, %{{.*}}, %[[SH]] : i16
// CHECK-NEXT: linalg.yield %[[V]]
func.func @right_shift_ui16(%a: tensor<4xui16>, %b: tensor<4xui16>) -> tensor<4xui16> {
  %0 = array.right_shift %a, %b : tensor<4xui16>
  return %0 : tensor<4xui16>
}

// CHECK-LABEL: func.func @equal_f32(%arg0: tensor<4xf32>, %arg1: tensor<4xf32>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xf32>, tensor<4xf32>) outs(%{{.*}} : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: f32, %[[R:.*]]: f32, %{{.*}}: i8):
// CHECK: %[[C:.*]] = arith.cmpf oeq, %[[L]], %[[R]] : f32
// CHECK: %[[V:.*]] = arith.extui %[[C]] : i1 to i8
// CHECK-NEXT: linalg.yield %[[V]] : i8
func.func @equal_f32(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xi1> {
  %0 = array.equal %a, %b : tensor<4xf32>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @equal_i32(%arg0: tensor<4xi32>, %arg1: tensor<4xi32>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi32>, tensor<4xi32>) outs(%{{.*}} : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i32, %[[R:.*]]: i32, %{{.*}}: i8):
// CHECK: %[[C:.*]] = arith.cmpi eq, %[[L]], %[[R]] : i32
// CHECK: %[[V:.*]] = arith.extui %[[C]] : i1 to i8
// CHECK-NEXT: linalg.yield %[[V]] : i8
func.func @equal_i32(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi1> {
  %0 = array.equal %a, %b : tensor<4xi32>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @equal_ui8(%arg0: tensor<4xi8>, %arg1: tensor<4xi8>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi8>, tensor<4xi8>) outs(%{{.*}} : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i8, %[[R:.*]]: i8, %{{.*}}: i8):
// CHECK: %[[C:.*]] = arith.cmpi eq, %[[L]], %[[R]] : i8
// CHECK: %[[V:.*]] = arith.extui %[[C]] : i1 to i8
// CHECK-NEXT: linalg.yield %[[V]] : i8
func.func @equal_ui8(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xi1> {
  %0 = array.equal %a, %b : tensor<4xui8>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @not_equal_f32(%arg0: tensor<4xf32>, %arg1: tensor<4xf32>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xf32>, tensor<4xf32>) outs(%{{.*}} : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: f32, %[[R:.*]]: f32, %{{.*}}: i8):
// CHECK: %[[C:.*]] = arith.cmpf une, %[[L]], %[[R]] : f32
// CHECK: %[[V:.*]] = arith.extui %[[C]] : i1 to i8
// CHECK-NEXT: linalg.yield %[[V]] : i8
func.func @not_equal_f32(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xi1> {
  %0 = array.not_equal %a, %b : tensor<4xf32>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @not_equal_i32(%arg0: tensor<4xi32>, %arg1: tensor<4xi32>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi32>, tensor<4xi32>) outs(%{{.*}} : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i32, %[[R:.*]]: i32, %{{.*}}: i8):
// CHECK: %[[C:.*]] = arith.cmpi ne, %[[L]], %[[R]] : i32
// CHECK: %[[V:.*]] = arith.extui %[[C]] : i1 to i8
// CHECK-NEXT: linalg.yield %[[V]] : i8
func.func @not_equal_i32(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi1> {
  %0 = array.not_equal %a, %b : tensor<4xi32>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @not_equal_ui8(%arg0: tensor<4xi8>, %arg1: tensor<4xi8>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi8>, tensor<4xi8>) outs(%{{.*}} : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i8, %[[R:.*]]: i8, %{{.*}}: i8):
// CHECK: %[[C:.*]] = arith.cmpi ne, %[[L]], %[[R]] : i8
// CHECK: %[[V:.*]] = arith.extui %[[C]] : i1 to i8
// CHECK-NEXT: linalg.yield %[[V]] : i8
func.func @not_equal_ui8(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xi1> {
  %0 = array.not_equal %a, %b : tensor<4xui8>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @less_f32(%arg0: tensor<4xf32>, %arg1: tensor<4xf32>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xf32>, tensor<4xf32>) outs(%{{.*}} : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: f32, %[[R:.*]]: f32, %{{.*}}: i8):
// CHECK: %[[C:.*]] = arith.cmpf olt, %[[L]], %[[R]] : f32
// CHECK: %[[V:.*]] = arith.extui %[[C]] : i1 to i8
// CHECK-NEXT: linalg.yield %[[V]] : i8
func.func @less_f32(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xi1> {
  %0 = array.less %a, %b : tensor<4xf32>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @less_i32(%arg0: tensor<4xi32>, %arg1: tensor<4xi32>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi32>, tensor<4xi32>) outs(%{{.*}} : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i32, %[[R:.*]]: i32, %{{.*}}: i8):
// CHECK: %[[C:.*]] = arith.cmpi slt, %[[L]], %[[R]] : i32
// CHECK: %[[V:.*]] = arith.extui %[[C]] : i1 to i8
// CHECK-NEXT: linalg.yield %[[V]] : i8
func.func @less_i32(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi1> {
  %0 = array.less %a, %b : tensor<4xi32>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @less_ui8(%arg0: tensor<4xi8>, %arg1: tensor<4xi8>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi8>, tensor<4xi8>) outs(%{{.*}} : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i8, %[[R:.*]]: i8, %{{.*}}: i8):
// CHECK: %[[C:.*]] = arith.cmpi ult, %[[L]], %[[R]] : i8
// CHECK: %[[V:.*]] = arith.extui %[[C]] : i1 to i8
// CHECK-NEXT: linalg.yield %[[V]] : i8
func.func @less_ui8(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xi1> {
  %0 = array.less %a, %b : tensor<4xui8>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @less_equal_f32(%arg0: tensor<4xf32>, %arg1: tensor<4xf32>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xf32>, tensor<4xf32>) outs(%{{.*}} : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: f32, %[[R:.*]]: f32, %{{.*}}: i8):
// CHECK: %[[C:.*]] = arith.cmpf ole, %[[L]], %[[R]] : f32
// CHECK: %[[V:.*]] = arith.extui %[[C]] : i1 to i8
// CHECK-NEXT: linalg.yield %[[V]] : i8
func.func @less_equal_f32(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xi1> {
  %0 = array.less_equal %a, %b : tensor<4xf32>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @less_equal_i32(%arg0: tensor<4xi32>, %arg1: tensor<4xi32>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi32>, tensor<4xi32>) outs(%{{.*}} : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i32, %[[R:.*]]: i32, %{{.*}}: i8):
// CHECK: %[[C:.*]] = arith.cmpi sle, %[[L]], %[[R]] : i32
// CHECK: %[[V:.*]] = arith.extui %[[C]] : i1 to i8
// CHECK-NEXT: linalg.yield %[[V]] : i8
func.func @less_equal_i32(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi1> {
  %0 = array.less_equal %a, %b : tensor<4xi32>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @less_equal_ui8(%arg0: tensor<4xi8>, %arg1: tensor<4xi8>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi8>, tensor<4xi8>) outs(%{{.*}} : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i8, %[[R:.*]]: i8, %{{.*}}: i8):
// CHECK: %[[C:.*]] = arith.cmpi ule, %[[L]], %[[R]] : i8
// CHECK: %[[V:.*]] = arith.extui %[[C]] : i1 to i8
// CHECK-NEXT: linalg.yield %[[V]] : i8
func.func @less_equal_ui8(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xi1> {
  %0 = array.less_equal %a, %b : tensor<4xui8>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @greater_f32(%arg0: tensor<4xf32>, %arg1: tensor<4xf32>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xf32>, tensor<4xf32>) outs(%{{.*}} : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: f32, %[[R:.*]]: f32, %{{.*}}: i8):
// CHECK: %[[C:.*]] = arith.cmpf ogt, %[[L]], %[[R]] : f32
// CHECK: %[[V:.*]] = arith.extui %[[C]] : i1 to i8
// CHECK-NEXT: linalg.yield %[[V]] : i8
func.func @greater_f32(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xi1> {
  %0 = array.greater %a, %b : tensor<4xf32>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @greater_i32(%arg0: tensor<4xi32>, %arg1: tensor<4xi32>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi32>, tensor<4xi32>) outs(%{{.*}} : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i32, %[[R:.*]]: i32, %{{.*}}: i8):
// CHECK: %[[C:.*]] = arith.cmpi sgt, %[[L]], %[[R]] : i32
// CHECK: %[[V:.*]] = arith.extui %[[C]] : i1 to i8
// CHECK-NEXT: linalg.yield %[[V]] : i8
func.func @greater_i32(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi1> {
  %0 = array.greater %a, %b : tensor<4xi32>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @greater_ui8(%arg0: tensor<4xi8>, %arg1: tensor<4xi8>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi8>, tensor<4xi8>) outs(%{{.*}} : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i8, %[[R:.*]]: i8, %{{.*}}: i8):
// CHECK: %[[C:.*]] = arith.cmpi ugt, %[[L]], %[[R]] : i8
// CHECK: %[[V:.*]] = arith.extui %[[C]] : i1 to i8
// CHECK-NEXT: linalg.yield %[[V]] : i8
func.func @greater_ui8(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xi1> {
  %0 = array.greater %a, %b : tensor<4xui8>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @greater_equal_f32(%arg0: tensor<4xf32>, %arg1: tensor<4xf32>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xf32>, tensor<4xf32>) outs(%{{.*}} : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: f32, %[[R:.*]]: f32, %{{.*}}: i8):
// CHECK: %[[C:.*]] = arith.cmpf oge, %[[L]], %[[R]] : f32
// CHECK: %[[V:.*]] = arith.extui %[[C]] : i1 to i8
// CHECK-NEXT: linalg.yield %[[V]] : i8
func.func @greater_equal_f32(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xi1> {
  %0 = array.greater_equal %a, %b : tensor<4xf32>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @greater_equal_i32(%arg0: tensor<4xi32>, %arg1: tensor<4xi32>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi32>, tensor<4xi32>) outs(%{{.*}} : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i32, %[[R:.*]]: i32, %{{.*}}: i8):
// CHECK: %[[C:.*]] = arith.cmpi sge, %[[L]], %[[R]] : i32
// CHECK: %[[V:.*]] = arith.extui %[[C]] : i1 to i8
// CHECK-NEXT: linalg.yield %[[V]] : i8
func.func @greater_equal_i32(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi1> {
  %0 = array.greater_equal %a, %b : tensor<4xi32>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @greater_equal_ui8(%arg0: tensor<4xi8>, %arg1: tensor<4xi8>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi8>, tensor<4xi8>) outs(%{{.*}} : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i8, %[[R:.*]]: i8, %{{.*}}: i8):
// CHECK: %[[C:.*]] = arith.cmpi uge, %[[L]], %[[R]] : i8
// CHECK: %[[V:.*]] = arith.extui %[[C]] : i1 to i8
// CHECK-NEXT: linalg.yield %[[V]] : i8
func.func @greater_equal_ui8(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xi1> {
  %0 = array.greater_equal %a, %b : tensor<4xui8>
  return %0 : tensor<4xi1>
}

// bool compares unsigned (false < true).
// CHECK-LABEL: func.func @less_i1(%arg0: tensor<4xi8>, %arg1: tensor<4xi8>) -> tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<4xi8>, tensor<4xi8>) outs(%{{.*}} : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i8, %[[R:.*]]: i8, %{{.*}}: i8):
// CHECK: %[[A:.*]] = arith.trunci %[[L]] : i8 to i1
// CHECK: %[[B:.*]] = arith.trunci %[[R]] : i8 to i1
// CHECK: %[[C:.*]] = arith.cmpi ult, %[[A]], %[[B]] : i1
// CHECK: arith.extui %[[C]] : i1 to i8
func.func @less_i1(%a: tensor<4xi1>, %b: tensor<4xi1>) -> tensor<4xi1> {
  %0 = array.less %a, %b : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @select_f32(%arg0: tensor<4xi8>, %arg1: tensor<4xf32>, %arg2: tensor<4xf32>) -> tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0, %arg1, %arg2 : tensor<4xi8>, tensor<4xf32>, tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[C:.*]]: i8, %[[T:.*]]: f32, %[[F:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[B:.*]] = arith.trunci %[[C]] : i8 to i1
// CHECK-NEXT: %[[V:.*]] = arith.select %[[B]], %[[T]], %[[F]] : f32
// CHECK-NEXT: linalg.yield %[[V]] : f32
func.func @select_f32(%c: tensor<4xi1>, %a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.select %c, %a, %b : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @select_i1(%arg0: tensor<4xi8>, %arg1: tensor<4xi8>, %arg2: tensor<4xi8>) -> tensor<4xi8>
// CHECK: ^bb0(%[[C:.*]]: i8, %[[T:.*]]: i8, %[[F:.*]]: i8, %{{.*}}: i8):
// CHECK: %[[V:.*]] = arith.select %{{.*}}, %{{.*}}, %{{.*}} : i1
// CHECK-NEXT: %[[X:.*]] = arith.extui %[[V]] : i1 to i8
// CHECK-NEXT: linalg.yield %[[X]] : i8
func.func @select_i1(%c: tensor<4xi1>, %a: tensor<4xi1>, %b: tensor<4xi1>) -> tensor<4xi1> {
  %0 = array.select %c, %a, %b : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @convert_f32_i32(%arg0: tensor<4xf32>) -> tensor<4xi32>
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: i32):
// CHECK-NEXT: arith.fptosi %[[IN]] : f32 to i32
// CHECK-NEXT: linalg.yield
func.func @convert_f32_i32(%x: tensor<4xf32>) -> tensor<4xi32> {
  %0 = array.convert %x : tensor<4xf32> -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// CHECK-LABEL: func.func @convert_f32_ui32(%arg0: tensor<4xf32>) -> tensor<4xi32>
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: i32):
// CHECK-NEXT: arith.fptoui %[[IN]] : f32 to i32
// CHECK-NEXT: linalg.yield
func.func @convert_f32_ui32(%x: tensor<4xf32>) -> tensor<4xui32> {
  %0 = array.convert %x : tensor<4xf32> -> tensor<4xui32>
  return %0 : tensor<4xui32>
}

// CHECK-LABEL: func.func @convert_i32_f32(%arg0: tensor<4xi32>) -> tensor<4xf32>
// CHECK: ^bb0(%[[IN:.*]]: i32, %{{.*}}: f32):
// CHECK-NEXT: arith.sitofp %[[IN]] : i32 to f32
// CHECK-NEXT: linalg.yield
func.func @convert_i32_f32(%x: tensor<4xi32>) -> tensor<4xf32> {
  %0 = array.convert %x : tensor<4xi32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @convert_ui32_f64(%arg0: tensor<4xi32>) -> tensor<4xf64>
// CHECK: ^bb0(%[[IN:.*]]: i32, %{{.*}}: f64):
// CHECK-NEXT: arith.uitofp %[[IN]] : i32 to f64
// CHECK-NEXT: linalg.yield
func.func @convert_ui32_f64(%x: tensor<4xui32>) -> tensor<4xf64> {
  %0 = array.convert %x : tensor<4xui32> -> tensor<4xf64>
  return %0 : tensor<4xf64>
}

// CHECK-LABEL: func.func @convert_f32_f16(%arg0: tensor<4xf32>) -> tensor<4xf16>
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f16):
// CHECK-NEXT: arith.truncf %[[IN]] : f32 to f16
// CHECK-NEXT: linalg.yield
func.func @convert_f32_f16(%x: tensor<4xf32>) -> tensor<4xf16> {
  %0 = array.convert %x : tensor<4xf32> -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// CHECK-LABEL: func.func @convert_bf16_f64(%arg0: tensor<4xbf16>) -> tensor<4xf64>
// CHECK: ^bb0(%[[IN:.*]]: bf16, %{{.*}}: f64):
// CHECK-NEXT: arith.extf %[[IN]] : bf16 to f64
// CHECK-NEXT: linalg.yield
func.func @convert_bf16_f64(%x: tensor<4xbf16>) -> tensor<4xf64> {
  %0 = array.convert %x : tensor<4xbf16> -> tensor<4xf64>
  return %0 : tensor<4xf64>
}

// CHECK-LABEL: func.func @convert_f16_bf16(%arg0: tensor<4xf16>) -> tensor<4xbf16>
// CHECK: ^bb0(%[[IN:.*]]: f16, %{{.*}}: bf16):
// CHECK-NEXT: %[[W:.*]] = arith.extf %[[IN]] : f16 to f32
// CHECK-NEXT: arith.truncf %[[W]] : f32 to bf16
// CHECK-NEXT: linalg.yield
func.func @convert_f16_bf16(%x: tensor<4xf16>) -> tensor<4xbf16> {
  %0 = array.convert %x : tensor<4xf16> -> tensor<4xbf16>
  return %0 : tensor<4xbf16>
}

// CHECK-LABEL: func.func @convert_i8_i64(%arg0: tensor<4xi8>) -> tensor<4xi64>
// CHECK: ^bb0(%[[IN:.*]]: i8, %{{.*}}: i64):
// CHECK-NEXT: arith.extsi %[[IN]] : i8 to i64
// CHECK-NEXT: linalg.yield
func.func @convert_i8_i64(%x: tensor<4xi8>) -> tensor<4xi64> {
  %0 = array.convert %x : tensor<4xi8> -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// CHECK-LABEL: func.func @convert_ui8_i64(%arg0: tensor<4xi8>) -> tensor<4xi64>
// CHECK: ^bb0(%[[IN:.*]]: i8, %{{.*}}: i64):
// CHECK-NEXT: arith.extui %[[IN]] : i8 to i64
// CHECK-NEXT: linalg.yield
func.func @convert_ui8_i64(%x: tensor<4xui8>) -> tensor<4xi64> {
  %0 = array.convert %x : tensor<4xui8> -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// CHECK-LABEL: func.func @convert_i64_ui16(%arg0: tensor<4xi64>) -> tensor<4xi16>
// CHECK: ^bb0(%[[IN:.*]]: i64, %{{.*}}: i16):
// CHECK-NEXT: arith.trunci %[[IN]] : i64 to i16
// CHECK-NEXT: linalg.yield
func.func @convert_i64_ui16(%x: tensor<4xi64>) -> tensor<4xui16> {
  %0 = array.convert %x : tensor<4xi64> -> tensor<4xui16>
  return %0 : tensor<4xui16>
}

// CHECK-LABEL: func.func @convert_f32_i1(%arg0: tensor<4xf32>) -> tensor<4xi8>
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: i8):
// CHECK-NEXT: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %[[C:.*]] = arith.cmpf une, %[[IN]], %[[Z]] : f32
// CHECK-NEXT: arith.extui %[[C]] : i1 to i8
// CHECK-NEXT: linalg.yield
func.func @convert_f32_i1(%x: tensor<4xf32>) -> tensor<4xi1> {
  %0 = array.convert %x : tensor<4xf32> -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @convert_i32_i1(%arg0: tensor<4xi32>) -> tensor<4xi8>
// CHECK: ^bb0(%[[IN:.*]]: i32, %{{.*}}: i8):
// CHECK-NEXT: %[[Z:.*]] = arith.constant 0 : i32
// CHECK-NEXT: %[[C:.*]] = arith.cmpi ne, %[[IN]], %[[Z]] : i32
// CHECK-NEXT: arith.extui %[[C]] : i1 to i8
// CHECK-NEXT: linalg.yield
func.func @convert_i32_i1(%x: tensor<4xi32>) -> tensor<4xi1> {
  %0 = array.convert %x : tensor<4xi32> -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @convert_i1_f32(%arg0: tensor<4xi8>) -> tensor<4xf32>
// CHECK: ^bb0(%[[IN:.*]]: i8, %{{.*}}: f32):
// CHECK-NEXT: %[[B:.*]] = arith.trunci %[[IN]] : i8 to i1
// CHECK-NEXT: arith.uitofp %[[B]] : i1 to f32
// CHECK-NEXT: linalg.yield
func.func @convert_i1_f32(%x: tensor<4xi1>) -> tensor<4xf32> {
  %0 = array.convert %x : tensor<4xi1> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @convert_i1_i32(%arg0: tensor<4xi8>) -> tensor<4xi32>
// CHECK: ^bb0(%[[IN:.*]]: i8, %{{.*}}: i32):
// CHECK-NEXT: %[[B:.*]] = arith.trunci %[[IN]] : i8 to i1
// CHECK-NEXT: arith.extui %[[B]] : i1 to i32
// CHECK-NEXT: linalg.yield
func.func @convert_i1_i32(%x: tensor<4xi1>) -> tensor<4xi32> {
  %0 = array.convert %x : tensor<4xi1> -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// Same-width unsigned/signed conversion is a no-op on the signless storage.
// CHECK-LABEL: func.func @convert_i32_ui32(%arg0: tensor<4xi32>) -> tensor<4xi32>
// CHECK: ^bb0(%[[IN:.*]]: i32, %{{.*}}: i32):
// CHECK-NEXT: linalg.yield %[[IN]] : i32
func.func @convert_i32_ui32(%x: tensor<4xi32>) -> tensor<4xui32> {
  %0 = array.convert %x : tensor<4xi32> -> tensor<4xui32>
  return %0 : tensor<4xui32>
}

// CHECK-LABEL: func.func @bitcast_f32_ui32(%arg0: tensor<4xf32>) -> tensor<4xi32>
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: i32):
// CHECK-NEXT: %[[V:.*]] = arith.bitcast %[[IN]] : f32 to i32
// CHECK-NEXT: linalg.yield %[[V]] : i32
func.func @bitcast_f32_ui32(%x: tensor<4xf32>) -> tensor<4xui32> {
  %0 = array.bitcast %x : tensor<4xf32> -> tensor<4xui32>
  return %0 : tensor<4xui32>
}

// CHECK-LABEL: func.func @bitcast_f16_bf16(%arg0: tensor<4xf16>) -> tensor<4xbf16>
// CHECK: arith.bitcast %{{.*}} : f16 to bf16
func.func @bitcast_f16_bf16(%x: tensor<4xf16>) -> tensor<4xbf16> {
  %0 = array.bitcast %x : tensor<4xf16> -> tensor<4xbf16>
  return %0 : tensor<4xbf16>
}

