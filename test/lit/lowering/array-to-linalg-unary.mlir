// RUN: mxc-opt %s --convert-array-to-linalg | FileCheck %s
// RUN: mxc-opt %s --convert-array-to-linalg | FileCheck %s --check-prefix=NOARRAY
// Unary elementwise ops and predicates lower to a linalg.generic whose body holds
// the scalar op; unsigned and bool element types become signless (bool as i8).

// NOARRAY-NOT: array.

// CHECK-LABEL: func.func @exp_f32(%arg0: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[R:.*]] = math.exp %[[IN]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @exp_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.exp %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @expm1_f64(%arg0: tensor<4xf64>) -> tensor<4xf64>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf64>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf64>) outs(%[[E]] : tensor<4xf64>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f64, %{{.*}}: f64):
// expm1 is Kahan's (exp(x) - 1) * x / log(exp(x)), exact near 0.
// CHECK: %[[U:.*]] = math.exp %[[IN]] : f64
// CHECK: math.log %[[U]] : f64
// CHECK: arith.select
// CHECK: linalg.yield %{{.*}} : f64
func.func @expm1_f64(%x: tensor<4xf64>) -> tensor<4xf64> {
  %0 = array.expm1 %x : tensor<4xf64>
  return %0 : tensor<4xf64>
}

// CHECK-LABEL: func.func @log_f16(%arg0: tensor<4xf16>) -> tensor<4xf16>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf16>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf16>) outs(%[[E]] : tensor<4xf16>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f16, %{{.*}}: f16):
// CHECK: %[[R:.*]] = math.log %[[IN]] : f16
// CHECK-NEXT: linalg.yield %[[R]] : f16
func.func @log_f16(%x: tensor<4xf16>) -> tensor<4xf16> {
  %0 = array.log %x : tensor<4xf16>
  return %0 : tensor<4xf16>
}

// CHECK-LABEL: func.func @log1p_f32(%arg0: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// log1p is log(1 + x) * x / ((1 + x) - 1), exact near 0.
// CHECK: %[[U:.*]] = arith.addf %{{.*}}, %[[IN]] : f32
// CHECK: math.log %[[U]] : f32
// CHECK: linalg.yield %{{.*}} : f32
func.func @log1p_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.log1p %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @log2_bf16(%arg0: tensor<4xbf16>) -> tensor<4xbf16>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xbf16>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xbf16>) outs(%[[E]] : tensor<4xbf16>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: bf16, %{{.*}}: bf16):
// CHECK: %[[R:.*]] = math.log2 %[[IN]] : bf16
// CHECK-NEXT: linalg.yield %[[R]] : bf16
func.func @log2_bf16(%x: tensor<4xbf16>) -> tensor<4xbf16> {
  %0 = array.log2 %x : tensor<4xbf16>
  return %0 : tensor<4xbf16>
}

// CHECK-LABEL: func.func @log10_f32(%arg0: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[R:.*]] = math.log10 %[[IN]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @log10_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.log10 %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @sin_f32(%arg0: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[R:.*]] = math.sin %[[IN]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @sin_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.sin %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @cos_f32(%arg0: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[R:.*]] = math.cos %[[IN]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @cos_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.cos %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @tan_f32(%arg0: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[R:.*]] = math.tan %[[IN]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @tan_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.tan %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @arcsin_f32(%arg0: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[R:.*]] = math.asin %[[IN]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @arcsin_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.arcsin %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @arccos_f32(%arg0: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[R:.*]] = math.acos %[[IN]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @arccos_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.arccos %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @arctan_f32(%arg0: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[R:.*]] = math.atan %[[IN]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @arctan_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.arctan %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @sinh_f32(%arg0: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[R:.*]] = math.sinh %[[IN]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @sinh_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.sinh %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @cosh_f32(%arg0: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[R:.*]] = math.cosh %[[IN]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @cosh_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.cosh %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @tanh_bf16(%arg0: tensor<4xbf16>) -> tensor<4xbf16>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xbf16>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xbf16>) outs(%[[E]] : tensor<4xbf16>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: bf16, %{{.*}}: bf16):
// CHECK: %[[R:.*]] = math.tanh %[[IN]] : bf16
// CHECK-NEXT: linalg.yield %[[R]] : bf16
func.func @tanh_bf16(%x: tensor<4xbf16>) -> tensor<4xbf16> {
  %0 = array.tanh %x : tensor<4xbf16>
  return %0 : tensor<4xbf16>
}

// CHECK-LABEL: func.func @arcsinh_f32(%arg0: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[R:.*]] = math.asinh %[[IN]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @arcsinh_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.arcsinh %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @arccosh_f32(%arg0: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[R:.*]] = math.acosh %[[IN]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @arccosh_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.arccosh %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @arctanh_f32(%arg0: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[R:.*]] = math.atanh %[[IN]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @arctanh_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.arctanh %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @sqrt_f64(%arg0: tensor<4xf64>) -> tensor<4xf64>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf64>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf64>) outs(%[[E]] : tensor<4xf64>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f64, %{{.*}}: f64):
// CHECK: %[[R:.*]] = math.sqrt %[[IN]] : f64
// CHECK-NEXT: linalg.yield %[[R]] : f64
func.func @sqrt_f64(%x: tensor<4xf64>) -> tensor<4xf64> {
  %0 = array.sqrt %x : tensor<4xf64>
  return %0 : tensor<4xf64>
}

// CHECK-LABEL: func.func @rsqrt_f32(%arg0: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[R:.*]] = math.rsqrt %[[IN]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @rsqrt_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.rsqrt %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @floor_f32(%arg0: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[R:.*]] = math.floor %[[IN]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @floor_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.floor %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @ceil_f32(%arg0: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[R:.*]] = math.ceil %[[IN]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @ceil_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.ceil %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @round_f32(%arg0: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[R:.*]] = math.roundeven %[[IN]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @round_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.round %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @erf_f32(%arg0: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[R:.*]] = math.erf %[[IN]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @erf_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.erf %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @abs_f32(%arg0: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[R:.*]] = math.absf %[[IN]] : f32
// CHECK-NEXT: linalg.yield %[[R]]
func.func @abs_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.abs %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @abs_i32(%arg0: tensor<4xi32>) -> tensor<4xi32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xi32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xi32>) outs(%[[E]] : tensor<4xi32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: i32, %{{.*}}: i32):
// CHECK: %[[R:.*]] = math.absi %[[IN]] : i32
// CHECK-NEXT: linalg.yield %[[R]]
func.func @abs_i32(%x: tensor<4xi32>) -> tensor<4xi32> {
  %0 = array.abs %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// abs of an unsigned value is the value itself.
// CHECK-LABEL: func.func @abs_ui8(%arg0: tensor<4xi8>) -> tensor<4xi8>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xi8>) outs(%[[E]] : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: i8, %{{.*}}: i8):
// CHECK-NEXT: linalg.yield %[[IN]] : i8
func.func @abs_ui8(%x: tensor<4xui8>) -> tensor<4xui8> {
  %0 = array.abs %x : tensor<4xui8>
  return %0 : tensor<4xui8>
}

// CHECK-LABEL: func.func @negative_f16(%arg0: tensor<4xf16>) -> tensor<4xf16>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf16>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf16>) outs(%[[E]] : tensor<4xf16>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f16, %{{.*}}: f16):
// CHECK: %[[R:.*]] = arith.negf %[[IN]] : f16
// CHECK-NEXT: linalg.yield %[[R]]
func.func @negative_f16(%x: tensor<4xf16>) -> tensor<4xf16> {
  %0 = array.negative %x : tensor<4xf16>
  return %0 : tensor<4xf16>
}

// CHECK-LABEL: func.func @negative_i64(%arg0: tensor<4xi64>) -> tensor<4xi64>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xi64>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xi64>) outs(%[[E]] : tensor<4xi64>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: i64, %{{.*}}: i64):
// CHECK: %[[Z:.*]] = arith.constant 0 : i64
// CHECK: %[[R:.*]] = arith.subi %[[Z]], %[[IN]] : i64
// CHECK-NEXT: linalg.yield %[[R]]
func.func @negative_i64(%x: tensor<4xi64>) -> tensor<4xi64> {
  %0 = array.negative %x : tensor<4xi64>
  return %0 : tensor<4xi64>
}

// CHECK-LABEL: func.func @sign_f32(%arg0: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: arith.cmpf ogt, %[[IN]]
// CHECK: arith.cmpf olt, %[[IN]]
// CHECK: arith.select
// CHECK: %[[R:.*]] = arith.select
// CHECK-NEXT: linalg.yield %[[R]]
func.func @sign_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.sign %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @sign_i32(%arg0: tensor<4xi32>) -> tensor<4xi32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xi32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xi32>) outs(%[[E]] : tensor<4xi32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: i32, %{{.*}}: i32):
// CHECK: arith.cmpi sgt, %[[IN]]
// CHECK: arith.extui
// CHECK: arith.cmpi slt, %[[IN]]
// CHECK: arith.extui
// CHECK: %[[R:.*]] = arith.subi
// CHECK-NEXT: linalg.yield %[[R]]
func.func @sign_i32(%x: tensor<4xi32>) -> tensor<4xi32> {
  %0 = array.sign %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// Unsigned sign is 0 or 1.
// CHECK-LABEL: func.func @sign_ui16(%arg0: tensor<4xi16>) -> tensor<4xi16>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xi16>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xi16>) outs(%[[E]] : tensor<4xi16>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: i16, %{{.*}}: i16):
// CHECK: %[[C:.*]] = arith.cmpi ne, %[[IN]]
// CHECK: %[[R:.*]] = arith.extui %[[C]] : i1 to i16
// CHECK-NEXT: linalg.yield %[[R]]
func.func @sign_ui16(%x: tensor<4xui16>) -> tensor<4xui16> {
  %0 = array.sign %x : tensor<4xui16>
  return %0 : tensor<4xui16>
}

// CHECK-LABEL: func.func @square_f32(%arg0: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[R:.*]] = arith.mulf %[[IN]], %[[IN]] : f32
// CHECK-NEXT: linalg.yield %[[R]]
func.func @square_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.square %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @square_ui8(%arg0: tensor<4xi8>) -> tensor<4xi8>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xi8>) outs(%[[E]] : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: i8, %{{.*}}: i8):
// CHECK: %[[R:.*]] = arith.muli %[[IN]], %[[IN]] : i8
// CHECK-NEXT: linalg.yield %[[R]]
func.func @square_ui8(%x: tensor<4xui8>) -> tensor<4xui8> {
  %0 = array.square %x : tensor<4xui8>
  return %0 : tensor<4xui8>
}

// CHECK-LABEL: func.func @reciprocal_f32(%arg0: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[R:.*]] = arith.divf %[[ONE]], %[[IN]] : f32
// CHECK-NEXT: linalg.yield %[[R]]
func.func @reciprocal_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.reciprocal %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @sigmoid_f32(%arg0: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[N:.*]] = arith.negf %[[IN]]
// CHECK: %[[E:.*]] = math.exp %[[N]]
// CHECK: %[[D:.*]] = arith.addf %{{.*}}, %[[E]]
// CHECK: %[[R:.*]] = arith.divf %{{.*}}, %[[D]]
// CHECK-NEXT: linalg.yield %[[R]]
func.func @sigmoid_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.sigmoid %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// Giles' approximation (log, fma polynomials, sqrt) and two Newton steps (erf, exp).
// CHECK-LABEL: func.func @erfinv_f32(%arg0: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: math.log %{{.*}} : f32
// CHECK: math.fma
// CHECK: math.sqrt
// CHECK: math.erf
// CHECK: math.exp
// CHECK: math.erf
// CHECK: math.exp
// CHECK: linalg.yield %{{.*}} : f32
func.func @erfinv_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.erfinv %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// f16 erfinv computes in f32.
// CHECK-LABEL: func.func @erfinv_f16(%arg0: tensor<4xf16>) -> tensor<4xf16>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf16>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf16>) outs(%[[E]] : tensor<4xf16>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f16, %{{.*}}: f16):
// CHECK: arith.extf %[[IN]] : f16 to f32
// CHECK: math.erf
// CHECK: %[[R:.*]] = arith.truncf %{{.*}} : f32 to f16
// CHECK-NEXT: linalg.yield %[[R]] : f16
func.func @erfinv_f16(%x: tensor<4xf16>) -> tensor<4xf16> {
  %0 = array.erfinv %x : tensor<4xf16>
  return %0 : tensor<4xf16>
}

// Bools are bytes in memory and i1 in arithmetic.
// CHECK-LABEL: func.func @logical_not_i1(%arg0: tensor<4xi8>) -> tensor<4xi8>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xi8>) outs(%[[E]] : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: i8, %{{.*}}: i8):
// CHECK: %[[B:.*]] = arith.trunci %[[IN]] : i8 to i1
// CHECK: %[[T:.*]] = arith.constant true
// CHECK: %[[N:.*]] = arith.xori %[[B]], %[[T]] : i1
// CHECK: %[[R:.*]] = arith.extui %[[N]] : i1 to i8
// CHECK-NEXT: linalg.yield %[[R]] : i8
func.func @logical_not_i1(%x: tensor<4xi1>) -> tensor<4xi1> {
  %0 = array.logical_not %x : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @bitwise_invert_ui32(%arg0: tensor<4xi32>) -> tensor<4xi32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xi32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xi32>) outs(%[[E]] : tensor<4xi32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: i32, %{{.*}}: i32):
// CHECK: %[[M:.*]] = arith.constant -1 : i32
// CHECK: %[[R:.*]] = arith.xori %[[IN]], %[[M]] : i32
// CHECK-NEXT: linalg.yield %[[R]]
func.func @bitwise_invert_ui32(%x: tensor<4xui32>) -> tensor<4xui32> {
  %0 = array.bitwise_invert %x : tensor<4xui32>
  return %0 : tensor<4xui32>
}

// CHECK-LABEL: func.func @bitwise_invert_i1(%arg0: tensor<4xi8>) -> tensor<4xi8>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xi8>) outs(%[[E]] : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: i8, %{{.*}}: i8):
// CHECK: %[[B:.*]] = arith.trunci %[[IN]] : i8 to i1
// CHECK: arith.xori %[[B]]
// CHECK: %[[R:.*]] = arith.extui
// CHECK-NEXT: linalg.yield %[[R]] : i8
func.func @bitwise_invert_i1(%x: tensor<4xi1>) -> tensor<4xi1> {
  %0 = array.bitwise_invert %x : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @stop_gradient_f32(%arg0: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[IN]] : f32
func.func @stop_gradient_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.stop_gradient %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @isnan_f32(%arg0: tensor<4xf32>) -> tensor<4xi8>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf32>) outs(%[[E]] : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: i8):
// CHECK: %[[C:.*]] = arith.cmpf uno, %[[IN]], %[[IN]] : f32
// CHECK: %[[R:.*]] = arith.extui %[[C]] : i1 to i8
// CHECK-NEXT: linalg.yield %[[R]] : i8
func.func @isnan_f32(%x: tensor<4xf32>) -> tensor<4xi1> {
  %0 = array.isnan %x : tensor<4xf32>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @isinf_f64(%arg0: tensor<4xf64>) -> tensor<4xi8>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf64>) outs(%[[E]] : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f64, %{{.*}}: i8):
// CHECK: %[[INF:.*]] = arith.constant 0x7FF0000000000000 : f64
// CHECK: %[[A:.*]] = math.absf %[[IN]] : f64
// CHECK: %[[C:.*]] = arith.cmpf oeq, %[[A]], %[[INF]] : f64
// CHECK: %[[R:.*]] = arith.extui %[[C]] : i1 to i8
// CHECK-NEXT: linalg.yield %[[R]] : i8
func.func @isinf_f64(%x: tensor<4xf64>) -> tensor<4xi1> {
  %0 = array.isinf %x : tensor<4xf64>
  return %0 : tensor<4xi1>
}

// Integers are never NaN.
// CHECK-LABEL: func.func @isnan_i32(%arg0: tensor<4xi32>) -> tensor<4xi8>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xi8>
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xi32>) outs(%[[E]] : tensor<4xi8>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: i32, %{{.*}}: i8):
// CHECK: %[[F:.*]] = arith.constant false
// CHECK: %[[R:.*]] = arith.extui %[[F]] : i1 to i8
// CHECK-NEXT: linalg.yield %[[R]] : i8
func.func @isnan_i32(%x: tensor<4xi32>) -> tensor<4xi1> {
  %0 = array.isnan %x : tensor<4xi32>
  return %0 : tensor<4xi1>
}

