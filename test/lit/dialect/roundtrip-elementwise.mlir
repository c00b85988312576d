// RUN: mxc-opt %s | mxc-opt | FileCheck %s

// Round trip of the elementwise ops: unary, predicates, binary, comparisons,
// select, convert, bitcast, stop_gradient.

// CHECK-LABEL: func.func @abs(
// CHECK-NEXT: %[[R:.*]] = array.abs %arg0 : tensor<2x3xi32>
// CHECK-NEXT: return %[[R]] : tensor<2x3xi32>
func.func @abs(%x: tensor<2x3xi32>) -> tensor<2x3xi32> {
  %0 = array.abs %x : tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// CHECK-LABEL: func.func @negative(
// CHECK-NEXT: %[[R:.*]] = array.negative %arg0 : tensor<2x3xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x3xf32>
func.func @negative(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = array.negative %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @sign(
// CHECK-NEXT: %[[R:.*]] = array.sign %arg0 : tensor<2x3xi8>
// CHECK-NEXT: return %[[R]] : tensor<2x3xi8>
func.func @sign(%x: tensor<2x3xi8>) -> tensor<2x3xi8> {
  %0 = array.sign %x : tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// CHECK-LABEL: func.func @square(
// CHECK-NEXT: %[[R:.*]] = array.square %arg0 : tensor<2x3xui8>
// CHECK-NEXT: return %[[R]] : tensor<2x3xui8>
func.func @square(%x: tensor<2x3xui8>) -> tensor<2x3xui8> {
  %0 = array.square %x : tensor<2x3xui8>
  return %0 : tensor<2x3xui8>
}

// CHECK-LABEL: func.func @exp(
// CHECK-NEXT: %[[R:.*]] = array.exp %arg0 : tensor<2x3xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x3xf32>
func.func @exp(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = array.exp %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @expm1(
// CHECK-NEXT: %[[R:.*]] = array.expm1 %arg0 : tensor<2x3xf64>
// CHECK-NEXT: return %[[R]] : tensor<2x3xf64>
func.func @expm1(%x: tensor<2x3xf64>) -> tensor<2x3xf64> {
  %0 = array.expm1 %x : tensor<2x3xf64>
  return %0 : tensor<2x3xf64>
}

// CHECK-LABEL: func.func @log(
// CHECK-NEXT: %[[R:.*]] = array.log %arg0 : tensor<2x3xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x3xf32>
func.func @log(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = array.log %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @log1p(
// CHECK-NEXT: %[[R:.*]] = array.log1p %arg0 : tensor<2x3xf16>
// CHECK-NEXT: return %[[R]] : tensor<2x3xf16>
func.func @log1p(%x: tensor<2x3xf16>) -> tensor<2x3xf16> {
  %0 = array.log1p %x : tensor<2x3xf16>
  return %0 : tensor<2x3xf16>
}

// CHECK-LABEL: func.func @log2(
// CHECK-NEXT: %[[R:.*]] = array.log2 %arg0 : tensor<2x3xbf16>
// CHECK-NEXT: return %[[R]] : tensor<2x3xbf16>
func.func @log2(%x: tensor<2x3xbf16>) -> tensor<2x3xbf16> {
  %0 = array.log2 %x : tensor<2x3xbf16>
  return %0 : tensor<2x3xbf16>
}

// CHECK-LABEL: func.func @log10(
// CHECK-NEXT: %[[R:.*]] = array.log10 %arg0 : tensor<2x3xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x3xf32>
func.func @log10(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = array.log10 %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @sin(
// CHECK-NEXT: %[[R:.*]] = array.sin %arg0 : tensor<2x3xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x3xf32>
func.func @sin(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = array.sin %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @cos(
// CHECK-NEXT: %[[R:.*]] = array.cos %arg0 : tensor<2x3xf64>
// CHECK-NEXT: return %[[R]] : tensor<2x3xf64>
func.func @cos(%x: tensor<2x3xf64>) -> tensor<2x3xf64> {
  %0 = array.cos %x : tensor<2x3xf64>
  return %0 : tensor<2x3xf64>
}

// CHECK-LABEL: func.func @tan(
// CHECK-NEXT: %[[R:.*]] = array.tan %arg0 : tensor<2x3xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x3xf32>
func.func @tan(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = array.tan %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @arcsin(
// CHECK-NEXT: %[[R:.*]] = array.arcsin %arg0 : tensor<2x3xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x3xf32>
func.func @arcsin(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = array.arcsin %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @arccos(
// CHECK-NEXT: %[[R:.*]] = array.arccos %arg0 : tensor<2x3xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x3xf32>
func.func @arccos(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = array.arccos %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @arctan(
// CHECK-NEXT: %[[R:.*]] = array.arctan %arg0 : tensor<2x3xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x3xf32>
func.func @arctan(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = array.arctan %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @sinh(
// CHECK-NEXT: %[[R:.*]] = array.sinh %arg0 : tensor<2x3xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x3xf32>
func.func @sinh(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = array.sinh %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @cosh(
// CHECK-NEXT: %[[R:.*]] = array.cosh %arg0 : tensor<2x3xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x3xf32>
func.func @cosh(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = array.cosh %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @tanh(
// CHECK-NEXT: %[[R:.*]] = array.tanh %arg0 : tensor<2x3xf16>
// CHECK-NEXT: return %[[R]] : tensor<2x3xf16>
func.func @tanh(%x: tensor<2x3xf16>) -> tensor<2x3xf16> {
  %0 = array.tanh %x : tensor<2x3xf16>
  return %0 : tensor<2x3xf16>
}

// CHECK-LABEL: func.func @arcsinh(
// CHECK-NEXT: %[[R:.*]] = array.arcsinh %arg0 : tensor<2x3xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x3xf32>
func.func @arcsinh(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = array.arcsinh %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @arccosh(
// CHECK-NEXT: %[[R:.*]] = array.arccosh %arg0 : tensor<2x3xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x3xf32>
func.func @arccosh(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = array.arccosh %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @arctanh(
// CHECK-NEXT: %[[R:.*]] = array.arctanh %arg0 : tensor<2x3xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x3xf32>
func.func @arctanh(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = array.arctanh %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @sqrt(
// CHECK-NEXT: %[[R:.*]] = array.sqrt %arg0 : tensor<2x3xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x3xf32>
func.func @sqrt(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = array.sqrt %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @rsqrt(
// CHECK-NEXT: %[[R:.*]] = array.rsqrt %arg0 : tensor<2x3xf64>
// CHECK-NEXT: return %[[R]] : tensor<2x3xf64>
func.func @rsqrt(%x: tensor<2x3xf64>) -> tensor<2x3xf64> {
  %0 = array.rsqrt %x : tensor<2x3xf64>
  return %0 : tensor<2x3xf64>
}

// CHECK-LABEL: func.func @reciprocal(
// CHECK-NEXT: %[[R:.*]] = array.reciprocal %arg0 : tensor<2x3xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x3xf32>
func.func @reciprocal(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = array.reciprocal %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @floor(
// CHECK-NEXT: %[[R:.*]] = array.floor %arg0 : tensor<2x3xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x3xf32>
func.func @floor(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = array.floor %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @ceil(
// CHECK-NEXT: %[[R:.*]] = array.ceil %arg0 : tensor<2x3xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x3xf32>
func.func @ceil(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = array.ceil %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @round(
// CHECK-NEXT: %[[R:.*]] = array.round %arg0 : tensor<2x3xbf16>
// CHECK-NEXT: return %[[R]] : tensor<2x3xbf16>
func.func @round(%x: tensor<2x3xbf16>) -> tensor<2x3xbf16> {
  %0 = array.round %x : tensor<2x3xbf16>
  return %0 : tensor<2x3xbf16>
}

// CHECK-LABEL: func.func @erf(
// CHECK-NEXT: %[[R:.*]] = array.erf %arg0 : tensor<2x3xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x3xf32>
func.func @erf(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = array.erf %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @erfinv(
// CHECK-NEXT: %[[R:.*]] = array.erfinv %arg0 : tensor<2x3xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x3xf32>
func.func @erfinv(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = array.erfinv %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @sigmoid(
// CHECK-NEXT: %[[R:.*]] = array.sigmoid %arg0 : tensor<2x3xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x3xf32>
func.func @sigmoid(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = array.sigmoid %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @logical_not(
// CHECK-NEXT: %[[R:.*]] = array.logical_not %arg0 : tensor<2x3xi1>
// CHECK-NEXT: return %[[R]] : tensor<2x3xi1>
func.func @logical_not(%x: tensor<2x3xi1>) -> tensor<2x3xi1> {
  %0 = array.logical_not %x : tensor<2x3xi1>
  return %0 : tensor<2x3xi1>
}

// CHECK-LABEL: func.func @bitwise_invert(
// CHECK-NEXT: %[[R:.*]] = array.bitwise_invert %arg0 : tensor<2x3xui32>
// CHECK-NEXT: return %[[R]] : tensor<2x3xui32>
func.func @bitwise_invert(%x: tensor<2x3xui32>) -> tensor<2x3xui32> {
  %0 = array.bitwise_invert %x : tensor<2x3xui32>
  return %0 : tensor<2x3xui32>
}

// CHECK-LABEL: func.func @stop_gradient(
// CHECK-NEXT: %[[R:.*]] = array.stop_gradient %arg0 : tensor<2x3xi64>
// CHECK-NEXT: return %[[R]] : tensor<2x3xi64>
func.func @stop_gradient(%x: tensor<2x3xi64>) -> tensor<2x3xi64> {
  %0 = array.stop_gradient %x : tensor<2x3xi64>
  return %0 : tensor<2x3xi64>
}

// CHECK-LABEL: func.func @complex_unary(
// CHECK-NEXT: %[[A:.*]] = array.negative %arg0 : tensor<3xcomplex<f32>>
// CHECK-NEXT: %[[B:.*]] = array.square %[[A]] : tensor<3xcomplex<f32>>
// CHECK-NEXT: return %[[B]]
func.func @complex_unary(%x: tensor<3xcomplex<f32>>) -> tensor<3xcomplex<f32>> {
  %0 = array.negative %x : tensor<3xcomplex<f32>>
  %1 = array.square %0 : tensor<3xcomplex<f32>>
  return %1 : tensor<3xcomplex<f32>>
}

// CHECK-LABEL: func.func @isnan_f32(
// CHECK-NEXT: %[[R:.*]] = array.isnan %arg0 : tensor<4xf32>
// CHECK-NEXT: return %[[R]] : tensor<4xi1>
func.func @isnan_f32(%x: tensor<4xf32>) -> tensor<4xi1> {
  %0 = array.isnan %x : tensor<4xf32>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @isinf_f16(
// CHECK-NEXT: %[[R:.*]] = array.isinf %arg0 : tensor<4xf16>
// CHECK-NEXT: return %[[R]] : tensor<4xi1>
func.func @isinf_f16(%x: tensor<4xf16>) -> tensor<4xi1> {
  %0 = array.isinf %x : tensor<4xf16>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @isnan_i32(
// CHECK-NEXT: %[[R:.*]] = array.isnan %arg0 : tensor<4xi32>
// CHECK-NEXT: return %[[R]] : tensor<4xi1>
func.func @isnan_i32(%x: tensor<4xi32>) -> tensor<4xi1> {
  %0 = array.isnan %x : tensor<4xi32>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @add_f32(
// CHECK-NEXT: %[[R:.*]] = array.add %arg0, %arg1 : tensor<5xf32>
// CHECK-NEXT: return %[[R]] : tensor<5xf32>
func.func @add_f32(%a: tensor<5xf32>, %b: tensor<5xf32>) -> tensor<5xf32> {
  %0 = array.add %a, %b : tensor<5xf32>
  return %0 : tensor<5xf32>
}

// CHECK-LABEL: func.func @add_i1(
// CHECK-NEXT: %[[R:.*]] = array.add %arg0, %arg1 : tensor<5xi1>
// CHECK-NEXT: return %[[R]] : tensor<5xi1>
func.func @add_i1(%a: tensor<5xi1>, %b: tensor<5xi1>) -> tensor<5xi1> {
  %0 = array.add %a, %b : tensor<5xi1>
  return %0 : tensor<5xi1>
}

// CHECK-LABEL: func.func @subtract_i32(
// CHECK-NEXT: %[[R:.*]] = array.subtract %arg0, %arg1 : tensor<5xi32>
// CHECK-NEXT: return %[[R]] : tensor<5xi32>
func.func @subtract_i32(%a: tensor<5xi32>, %b: tensor<5xi32>) -> tensor<5xi32> {
  %0 = array.subtract %a, %b : tensor<5xi32>
  return %0 : tensor<5xi32>
}

// CHECK-LABEL: func.func @multiply_bf16(
// CHECK-NEXT: %[[R:.*]] = array.multiply %arg0, %arg1 : tensor<5xbf16>
// CHECK-NEXT: return %[[R]] : tensor<5xbf16>
func.func @multiply_bf16(%a: tensor<5xbf16>, %b: tensor<5xbf16>) -> tensor<5xbf16> {
  %0 = array.multiply %a, %b : tensor<5xbf16>
  return %0 : tensor<5xbf16>
}

// CHECK-LABEL: func.func @divide_ui32(
// CHECK-NEXT: %[[R:.*]] = array.divide %arg0, %arg1 : tensor<5xui32>
// CHECK-NEXT: return %[[R]] : tensor<5xui32>
func.func @divide_ui32(%a: tensor<5xui32>, %b: tensor<5xui32>) -> tensor<5xui32> {
  %0 = array.divide %a, %b : tensor<5xui32>
  return %0 : tensor<5xui32>
}

// CHECK-LABEL: func.func @floor_divide_i16(
// CHECK-NEXT: %[[R:.*]] = array.floor_divide %arg0, %arg1 : tensor<5xi16>
// CHECK-NEXT: return %[[R]] : tensor<5xi16>
func.func @floor_divide_i16(%a: tensor<5xi16>, %b: tensor<5xi16>) -> tensor<5xi16> {
  %0 = array.floor_divide %a, %b : tensor<5xi16>
  return %0 : tensor<5xi16>
}

// CHECK-LABEL: func.func @remainder_f64(
// CHECK-NEXT: %[[R:.*]] = array.remainder %arg0, %arg1 : tensor<5xf64>
// CHECK-NEXT: return %[[R]] : tensor<5xf64>
func.func @remainder_f64(%a: tensor<5xf64>, %b: tensor<5xf64>) -> tensor<5xf64> {
  %0 = array.remainder %a, %b : tensor<5xf64>
  return %0 : tensor<5xf64>
}

// CHECK-LABEL: func.func @power_f32(
// CHECK-NEXT: %[[R:.*]] = array.power %arg0, %arg1 : tensor<5xf32>
// CHECK-NEXT: return %[[R]] : tensor<5xf32>
func.func @power_f32(%a: tensor<5xf32>, %b: tensor<5xf32>) -> tensor<5xf32> {
  %0 = array.power %a, %b : tensor<5xf32>
  return %0 : tensor<5xf32>
}

// CHECK-LABEL: func.func @maximum_ui64(
// CHECK-NEXT: %[[R:.*]] = array.maximum %arg0, %arg1 : tensor<5xui64>
// CHECK-NEXT: return %[[R]] : tensor<5xui64>
func.func @maximum_ui64(%a: tensor<5xui64>, %b: tensor<5xui64>) -> tensor<5xui64> {
  %0 = array.maximum %a, %b : tensor<5xui64>
  return %0 : tensor<5xui64>
}

// CHECK-LABEL: func.func @minimum_f16(
// CHECK-NEXT: %[[R:.*]] = array.minimum %arg0, %arg1 : tensor<5xf16>
// CHECK-NEXT: return %[[R]] : tensor<5xf16>
func.func @minimum_f16(%a: tensor<5xf16>, %b: tensor<5xf16>) -> tensor<5xf16> {
  %0 = array.minimum %a, %b : tensor<5xf16>
  return %0 : tensor<5xf16>
}

// CHECK-LABEL: func.func @arctan2_f32(
// CHECK-NEXT: %[[R:.*]] = array.arctan2 %arg0, %arg1 : tensor<5xf32>
// CHECK-NEXT: return %[[R]] : tensor<5xf32>
func.func @arctan2_f32(%a: tensor<5xf32>, %b: tensor<5xf32>) -> tensor<5xf32> {
  %0 = array.arctan2 %a, %b : tensor<5xf32>
  return %0 : tensor<5xf32>
}

// CHECK-LABEL: func.func @logaddexp_f64(
// CHECK-NEXT: %[[R:.*]] = array.logaddexp %arg0, %arg1 : tensor<5xf64>
// CHECK-NEXT: return %[[R]] : tensor<5xf64>
func.func @logaddexp_f64(%a: tensor<5xf64>, %b: tensor<5xf64>) -> tensor<5xf64> {
  %0 = array.logaddexp %a, %b : tensor<5xf64>
  return %0 : tensor<5xf64>
}

// CHECK-LABEL: func.func @logical_and_i1(
// CHECK-NEXT: %[[R:.*]] = array.logical_and %arg0, %arg1 : tensor<5xi1>
// CHECK-NEXT: return %[[R]] : tensor<5xi1>
func.func @logical_and_i1(%a: tensor<5xi1>, %b: tensor<5xi1>) -> tensor<5xi1> {
  %0 = array.logical_and %a, %b : tensor<5xi1>
  return %0 : tensor<5xi1>
}

// CHECK-LABEL: func.func @logical_or_i1(
// CHECK-NEXT: %[[R:.*]] = array.logical_or %arg0, %arg1 : tensor<5xi1>
// CHECK-NEXT: return %[[R]] : tensor<5xi1>
func.func @logical_or_i1(%a: tensor<5xi1>, %b: tensor<5xi1>) -> tensor<5xi1> {
  %0 = array.logical_or %a, %b : tensor<5xi1>
  return %0 : tensor<5xi1>
}

// CHECK-LABEL: func.func @bitwise_and_i8(
// CHECK-NEXT: %[[R:.*]] = array.bitwise_and %arg0, %arg1 : tensor<5xi8>
// CHECK-NEXT: return %[[R]] : tensor<5xi8>
func.func @bitwise_and_i8(%a: tensor<5xi8>, %b: tensor<5xi8>) -> tensor<5xi8> {
  %0 = array.bitwise_and %a, %b : tensor<5xi8>
  return %0 : tensor<5xi8>
}

// CHECK-LABEL: func.func @bitwise_or_ui16(
// CHECK-NEXT: %[[R:.*]] = array.bitwise_or %arg0, %arg1 : tensor<5xui16>
// CHECK-NEXT: return %[[R]] : tensor<5xui16>
func.func @bitwise_or_ui16(%a: tensor<5xui16>, %b: tensor<5xui16>) -> tensor<5xui16> {
  %0 = array.bitwise_or %a, %b : tensor<5xui16>
  return %0 : tensor<5xui16>
}

// CHECK-LABEL: func.func @bitwise_xor_i1(
// CHECK-NEXT: %[[R:.*]] = array.bitwise_xor %arg0, %arg1 : tensor<5xi1>
// CHECK-NEXT: return %[[R]] : tensor<5xi1>
func.func @bitwise_xor_i1(%a: tensor<5xi1>, %b: tensor<5xi1>) -> tensor<5xi1> {
  %0 = array.bitwise_xor %a, %b : tensor<5xi1>
  return %0 : tensor<5xi1>
}

// CHECK-LABEL: func.func @left_shift_i32(
// CHECK-NEXT: %[[R:.*]] = array.left_shift %arg0, %arg1 : tensor<5xi32>
// CHECK-NEXT: return %[[R]] : tensor<5xi32>
func.func @left_shift_i32(%a: tensor<5xi32>, %b: tensor<5xi32>) -> tensor<5xi32> {
  %0 = array.left_shift %a, %b : tensor<5xi32>
  return %0 : tensor<5xi32>
}

// CHECK-LABEL: func.func @right_shift_ui8(
// CHECK-NEXT: %[[R:.*]] = array.right_shift %arg0, %arg1 : tensor<5xui8>
// CHECK-NEXT: return %[[R]] : tensor<5xui8>
func.func @right_shift_ui8(%a: tensor<5xui8>, %b: tensor<5xui8>) -> tensor<5xui8> {
  %0 = array.right_shift %a, %b : tensor<5xui8>
  return %0 : tensor<5xui8>
}

// CHECK-LABEL: func.func @equal_f32(
// CHECK-NEXT: %[[R:.*]] = array.equal %arg0, %arg1 : tensor<2x2xf32>
// CHECK-NEXT: return %[[R]] : tensor<2x2xi1>
func.func @equal_f32(%a: tensor<2x2xf32>, %b: tensor<2x2xf32>) -> tensor<2x2xi1> {
  %0 = array.equal %a, %b : tensor<2x2xf32>
  return %0 : tensor<2x2xi1>
}

// CHECK-LABEL: func.func @not_equal_complexf32(
// CHECK-NEXT: %[[R:.*]] = array.not_equal %arg0, %arg1 : tensor<2x2xcomplex<f32>>
// CHECK-NEXT: return %[[R]] : tensor<2x2xi1>
func.func @not_equal_complexf32(%a: tensor<2x2xcomplex<f32>>, %b: tensor<2x2xcomplex<f32>>) -> tensor<2x2xi1> {
  %0 = array.not_equal %a, %b : tensor<2x2xcomplex<f32>>
  return %0 : tensor<2x2xi1>
}

// CHECK-LABEL: func.func @less_ui32(
// CHECK-NEXT: %[[R:.*]] = array.less %arg0, %arg1 : tensor<2x2xui32>
// CHECK-NEXT: return %[[R]] : tensor<2x2xi1>
func.func @less_ui32(%a: tensor<2x2xui32>, %b: tensor<2x2xui32>) -> tensor<2x2xi1> {
  %0 = array.less %a, %b : tensor<2x2xui32>
  return %0 : tensor<2x2xi1>
}

// CHECK-LABEL: func.func @less_equal_i64(
// CHECK-NEXT: %[[R:.*]] = array.less_equal %arg0, %arg1 : tensor<2x2xi64>
// CHECK-NEXT: return %[[R]] : tensor<2x2xi1>
func.func @less_equal_i64(%a: tensor<2x2xi64>, %b: tensor<2x2xi64>) -> tensor<2x2xi1> {
  %0 = array.less_equal %a, %b : tensor<2x2xi64>
  return %0 : tensor<2x2xi1>
}

// CHECK-LABEL: func.func @greater_f16(
// CHECK-NEXT: %[[R:.*]] = array.greater %arg0, %arg1 : tensor<2x2xf16>
// CHECK-NEXT: return %[[R]] : tensor<2x2xi1>
func.func @greater_f16(%a: tensor<2x2xf16>, %b: tensor<2x2xf16>) -> tensor<2x2xi1> {
  %0 = array.greater %a, %b : tensor<2x2xf16>
  return %0 : tensor<2x2xi1>
}

// CHECK-LABEL: func.func @greater_equal_i1(
// CHECK-NEXT: %[[R:.*]] = array.greater_equal %arg0, %arg1 : tensor<2x2xi1>
// CHECK-NEXT: return %[[R]] : tensor<2x2xi1>
func.func @greater_equal_i1(%a: tensor<2x2xi1>, %b: tensor<2x2xi1>) -> tensor<2x2xi1> {
  %0 = array.greater_equal %a, %b : tensor<2x2xi1>
  return %0 : tensor<2x2xi1>
}

// CHECK-LABEL: func.func @select(
// CHECK-NEXT: %[[R:.*]] = array.select %arg0, %arg1, %arg2 : tensor<3xui8>
// CHECK-NEXT: return %[[R]] : tensor<3xui8>
func.func @select(%c: tensor<3xi1>, %a: tensor<3xui8>, %b: tensor<3xui8>) -> tensor<3xui8> {
  %0 = array.select %c, %a, %b : tensor<3xui8>
  return %0 : tensor<3xui8>
}

// CHECK-LABEL: func.func @select_scalar(
// CHECK-NEXT: %[[R:.*]] = array.select %arg0, %arg1, %arg2 : tensor<f32>
func.func @select_scalar(%c: tensor<i1>, %a: tensor<f32>, %b: tensor<f32>) -> tensor<f32> {
  %0 = array.select %c, %a, %b : tensor<f32>
  return %0 : tensor<f32>
}

// CHECK-LABEL: func.func @convert(
// CHECK-NEXT: %[[A:.*]] = array.convert %arg0 : tensor<2x3xf32> -> tensor<2x3xi32>
// CHECK-NEXT: %[[B:.*]] = array.convert %[[A]] : tensor<2x3xi32> -> tensor<2x3xui8>
// CHECK-NEXT: %[[C:.*]] = array.convert %[[B]] : tensor<2x3xui8> -> tensor<2x3xi1>
// CHECK-NEXT: %[[D:.*]] = array.convert %[[C]] : tensor<2x3xi1> -> tensor<2x3xbf16>
// CHECK-NEXT: %[[E:.*]] = array.convert %[[D]] : tensor<2x3xbf16> -> tensor<2x3xcomplex<f32>>
// CHECK-NEXT: return %[[E]] : tensor<2x3xcomplex<f32>>
func.func @convert(%x: tensor<2x3xf32>) -> tensor<2x3xcomplex<f32>> {
  %0 = array.convert %x : tensor<2x3xf32> -> tensor<2x3xi32>
  %1 = array.convert %0 : tensor<2x3xi32> -> tensor<2x3xui8>
  %2 = array.convert %1 : tensor<2x3xui8> -> tensor<2x3xi1>
  %3 = array.convert %2 : tensor<2x3xi1> -> tensor<2x3xbf16>
  %4 = array.convert %3 : tensor<2x3xbf16> -> tensor<2x3xcomplex<f32>>
  return %4 : tensor<2x3xcomplex<f32>>
}

// CHECK-LABEL: func.func @bitcast(
// CHECK-NEXT: %[[A:.*]] = array.bitcast %arg0 : tensor<4xf32> -> tensor<4xui32>
// CHECK-NEXT: %[[B:.*]] = array.bitcast %arg1 : tensor<4xf16> -> tensor<4xbf16>
// CHECK-NEXT: %[[C:.*]] = array.bitcast %arg2 : tensor<4xi64> -> tensor<4xf64>
// CHECK-NEXT: return %[[A]], %[[B]], %[[C]]
func.func @bitcast(%a: tensor<4xf32>, %b: tensor<4xf16>, %c: tensor<4xi64>) -> (tensor<4xui32>, tensor<4xbf16>, tensor<4xf64>) {
  %0 = array.bitcast %a : tensor<4xf32> -> tensor<4xui32>
  %1 = array.bitcast %b : tensor<4xf16> -> tensor<4xbf16>
  %2 = array.bitcast %c : tensor<4xi64> -> tensor<4xf64>
  return %0, %1, %2 : tensor<4xui32>, tensor<4xbf16>, tensor<4xf64>
}

// The generic form parses to the same custom form.
// CHECK-LABEL: func.func @generic_form(
// CHECK-NEXT: %[[R:.*]] = array.add %arg0, %arg0 : tensor<2xf32>
// CHECK-NEXT: %[[S:.*]] = array.less %[[R]], %arg0 : tensor<2xf32>
// CHECK-NEXT: return %[[S]] : tensor<2xi1>
func.func @generic_form(%a: tensor<2xf32>) -> tensor<2xi1> {
  %0 = "array.add"(%a, %a) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %1 = "array.less"(%0, %a) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xi1>
  return %1 : tensor<2xi1>
}
