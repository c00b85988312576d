// RUN: mxc-opt %s -split-input-file -verify-diagnostics
// Verifier errors of the elementwise ops: ODS element-type constraints,
// same-type traits, predicate/compare result types, convert and bitcast.

func.func @exp_int(%a: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'array.exp' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements values, but got 'tensor<4xi32>'}}
  %0 = array.exp %a : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @erf_complex(%a: tensor<4xcomplex<f32>>) -> tensor<4xcomplex<f32>> {
  // expected-error @+1 {{'array.erf' op operand #0 must be ranked tensor of 16-bit float}}
  %0 = array.erf %a : tensor<4xcomplex<f32>>
  return %0 : tensor<4xcomplex<f32>>
}

// -----

func.func @abs_bool(%a: tensor<4xi1>) -> tensor<4xi1> {
  // expected-error @+1 {{'array.abs' op operand #0 must be ranked tensor of 8-bit signless integer}}
  %0 = array.abs %a : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @negative_f8(%a: tensor<4xf8E4M3FN>) -> tensor<4xf8E4M3FN> {
  // expected-error @+1 {{'array.negative' op operand #0 must be ranked tensor of}}
  %0 = array.negative %a : tensor<4xf8E4M3FN>
  return %0 : tensor<4xf8E4M3FN>
}

// -----

func.func @logical_not_int(%a: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'array.logical_not' op operand #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<4xi8>'}}
  %0 = array.logical_not %a : tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @bitwise_invert_float(%a: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'array.bitwise_invert' op operand #0 must be ranked tensor of 1-bit signless integer or 8-bit signless integer}}
  %0 = array.bitwise_invert %a : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @unranked(%a: tensor<*xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{'array.exp' op operand #0 must be ranked tensor of}}
  %0 = "array.exp"(%a) : (tensor<*xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @unary_result_type(%a: tensor<4xf32>) -> tensor<4xf64> {
  // expected-error @+1 {{'array.tanh' op requires the same type for all operands and results}}
  %0 = "array.tanh"(%a) : (tensor<4xf32>) -> tensor<4xf64>
  return %0 : tensor<4xf64>
}

// -----

func.func @unary_result_shape(%a: tensor<4xf32>) -> tensor<5xf32> {
  // expected-error @+1 {{'array.sin' op all non-scalar operands/results must have the same shape and base type}}
  %0 = "array.sin"(%a) : (tensor<4xf32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

func.func @stop_gradient_type(%a: tensor<4xf32>) -> tensor<4xi32> {
  // expected-error @+1 {{'array.stop_gradient' op requires the same type for all operands and results}}
  %0 = "array.stop_gradient"(%a) : (tensor<4xf32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @isnan_result(%a: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'array.isnan' op result #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<4xf32>'}}
  %0 = "array.isnan"(%a) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @isinf_result_shape(%a: tensor<4xf32>) -> tensor<5xi1> {
  // expected-error @+1 {{'array.isinf' op failed to verify that result is the i1 tensor of the operand's shape}}
  %0 = "array.isinf"(%a) : (tensor<4xf32>) -> tensor<5xi1>
  return %0 : tensor<5xi1>
}

// -----

func.func @add_mixed(%a: tensor<4xf32>, %b: tensor<4xf64>) -> tensor<4xf32> {
  // expected-error @+1 {{'array.add' op requires the same type for all operands and results}}
  %0 = "array.add"(%a, %b) : (tensor<4xf32>, tensor<4xf64>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// No implicit broadcasting.
func.func @multiply_shapes(%a: tensor<4xf32>, %b: tensor<1xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'array.multiply' op all non-scalar operands/results must have the same shape and base type}}
  %0 = "array.multiply"(%a, %b) : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @subtract_bool(%a: tensor<4xi1>, %b: tensor<4xi1>) -> tensor<4xi1> {
  // expected-error @+1 {{'array.subtract' op operand #0 must be ranked tensor of 8-bit signless integer}}
  %0 = array.subtract %a, %b : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @divide_bool(%a: tensor<4xi1>, %b: tensor<4xi1>) -> tensor<4xi1> {
  // expected-error @+1 {{'array.divide' op operand #0 must be ranked tensor of 8-bit signless integer}}
  %0 = array.divide %a, %b : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @arctan2_int(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'array.arctan2' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values}}
  %0 = array.arctan2 %a, %b : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @logaddexp_int(%a: tensor<4xi64>, %b: tensor<4xi64>) -> tensor<4xi64> {
  // expected-error @+1 {{'array.logaddexp' op operand #0 must be ranked tensor of 16-bit float}}
  %0 = array.logaddexp %a, %b : tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

func.func @logical_and_int(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'array.logical_and' op operand #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = array.logical_and %a, %b : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @logical_or_float(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'array.logical_or' op operand #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = array.logical_or %a, %b : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @bitwise_and_float(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'array.bitwise_and' op operand #0 must be ranked tensor of 1-bit signless integer or 8-bit signless integer}}
  %0 = array.bitwise_and %a, %b : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @bitwise_or_float(%a: tensor<4xf16>, %b: tensor<4xf16>) -> tensor<4xf16> {
  // expected-error @+1 {{'array.bitwise_or' op operand #0 must be ranked tensor of 1-bit}}
  %0 = array.bitwise_or %a, %b : tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

func.func @bitwise_xor_float(%a: tensor<4xf64>, %b: tensor<4xf64>) -> tensor<4xf64> {
  // expected-error @+1 {{'array.bitwise_xor' op operand #0 must be ranked tensor of 1-bit}}
  %0 = array.bitwise_xor %a, %b : tensor<4xf64>
  return %0 : tensor<4xf64>
}

// -----

func.func @left_shift_float(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'array.left_shift' op operand #0 must be ranked tensor of 1-bit}}
  %0 = array.left_shift %a, %b : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @right_shift_complex(%a: tensor<4xcomplex<f32>>, %b: tensor<4xcomplex<f32>>) -> tensor<4xcomplex<f32>> {
  // expected-error @+1 {{'array.right_shift' op operand #0 must be ranked tensor of 1-bit}}
  %0 = array.right_shift %a, %b : tensor<4xcomplex<f32>>
  return %0 : tensor<4xcomplex<f32>>
}

// -----

func.func @maximum_index(%a: tensor<4xindex>, %b: tensor<4xindex>) -> tensor<4xindex> {
  // expected-error @+1 {{'array.maximum' op operand #0 must be ranked tensor of}}
  %0 = array.maximum %a, %b : tensor<4xindex>
  return %0 : tensor<4xindex>
}

// -----

func.func @power_bool(%a: tensor<4xi1>, %b: tensor<4xi1>) -> tensor<4xi1> {
  // expected-error @+1 {{'array.power' op operand #0 must be ranked tensor of 8-bit signless integer}}
  %0 = array.power %a, %b : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @compare_operands(%a: tensor<4xf32>, %b: tensor<4xi32>) -> tensor<4xi1> {
  // expected-error @+1 {{'array.equal' op failed to verify that all of {lhs, rhs} have same type}}
  %0 = "array.equal"(%a, %b) : (tensor<4xf32>, tensor<4xi32>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @compare_result(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'array.less' op result #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<4xf32>'}}
  %0 = "array.less"(%a, %b) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @compare_result_shape(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<2x2xi1> {
  // expected-error @+1 {{'array.greater_equal' op failed to verify that result is the i1 tensor of the operands' shape}}
  %0 = "array.greater_equal"(%a, %b) : (tensor<4xf32>, tensor<4xf32>) -> tensor<2x2xi1>
  return %0 : tensor<2x2xi1>
}

// -----

func.func @select_condition(%c: tensor<4xi8>, %a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'array.select' op operand #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<4xi8>'}}
  %0 = "array.select"(%c, %a, %b) : (tensor<4xi8>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @select_condition_shape(%c: tensor<1xi1>, %a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'array.select' op failed to verify that condition is the i1 tensor of the values' shape}}
  %0 = "array.select"(%c, %a, %b) : (tensor<1xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @select_values(%c: tensor<4xi1>, %a: tensor<4xf32>, %b: tensor<4xf16>) -> tensor<4xf32> {
  // expected-error @+1 {{'array.select' op failed to verify that all of {on_true, on_false, result} have same type}}
  %0 = "array.select"(%c, %a, %b) : (tensor<4xi1>, tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// The Elementwise trait rejects shape changes before the op's own verifier runs.
func.func @convert_shape(%a: tensor<2x3xf32>) -> tensor<6xi32> {
  // expected-error @+1 {{'array.convert' op all non-scalar operands/results must have the same shape and base type}}
  %0 = array.convert %a : tensor<2x3xf32> -> tensor<6xi32>
  return %0 : tensor<6xi32>
}

// -----

func.func @convert_element(%a: tensor<2xf32>) -> tensor<2xi4> {
  // expected-error @+1 {{'array.convert' op result #0 must be ranked tensor of}}
  %0 = array.convert %a : tensor<2xf32> -> tensor<2xi4>
  return %0 : tensor<2xi4>
}

// -----

func.func @bitcast_width(%a: tensor<4xf32>) -> tensor<4xi64> {
  // expected-error @+1 {{'array.bitcast' op needs element types of equal bit width, got 'f32' and 'i64'}}
  %0 = array.bitcast %a : tensor<4xf32> -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

func.func @bitcast_shape(%a: tensor<4xf32>) -> tensor<2x2xi32> {
  // expected-error @+1 {{'array.bitcast' op all non-scalar operands/results must have the same shape and base type}}
  %0 = array.bitcast %a : tensor<4xf32> -> tensor<2x2xi32>
  return %0 : tensor<2x2xi32>
}

// -----

func.func @bitcast_complex(%a: tensor<4xcomplex<f32>>) -> tensor<4xi64> {
  // expected-error @+1 {{'array.bitcast' op needs element types of equal bit width, got 'complex<f32>' and 'i64'}}
  %0 = array.bitcast %a : tensor<4xcomplex<f32>> -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

// Each float-only unary op rejects integer and bool operands.
func.func @expm1_i8(%a: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'array.expm1' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4xi8>'}}
  %0 = array.expm1 %a : tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @log_i16(%a: tensor<4xi16>) -> tensor<4xi16> {
  // expected-error @+1 {{'array.log' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements values, but got 'tensor<4xi16>'}}
  %0 = array.log %a : tensor<4xi16>
  return %0 : tensor<4xi16>
}

// -----

func.func @log1p_i32(%a: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'array.log1p' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements values, but got 'tensor<4xi32>'}}
  %0 = array.log1p %a : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @log2_i64(%a: tensor<4xi64>) -> tensor<4xi64> {
  // expected-error @+1 {{'array.log2' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements values, but got 'tensor<4xi64>'}}
  %0 = array.log2 %a : tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

func.func @log10_ui8(%a: tensor<4xui8>) -> tensor<4xui8> {
  // expected-error @+1 {{'array.log10' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements values, but got 'tensor<4xui8>'}}
  %0 = array.log10 %a : tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

func.func @cos_ui16(%a: tensor<4xui16>) -> tensor<4xui16> {
  // expected-error @+1 {{'array.cos' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements values, but got 'tensor<4xui16>'}}
  %0 = array.cos %a : tensor<4xui16>
  return %0 : tensor<4xui16>
}

// -----

func.func @tan_ui32(%a: tensor<4xui32>) -> tensor<4xui32> {
  // expected-error @+1 {{'array.tan' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements values, but got 'tensor<4xui32>'}}
  %0 = array.tan %a : tensor<4xui32>
  return %0 : tensor<4xui32>
}

// -----

func.func @arcsin_ui64(%a: tensor<4xui64>) -> tensor<4xui64> {
  // expected-error @+1 {{'array.arcsin' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements values, but got 'tensor<4xui64>'}}
  %0 = array.arcsin %a : tensor<4xui64>
  return %0 : tensor<4xui64>
}

// -----

func.func @arccos_i1(%a: tensor<4xi1>) -> tensor<4xi1> {
  // expected-error @+1 {{'array.arccos' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements values, but got 'tensor<4xi1>'}}
  %0 = array.arccos %a : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @arctan_i8(%a: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'array.arctan' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements values, but got 'tensor<4xi8>'}}
  %0 = array.arctan %a : tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @sinh_i16(%a: tensor<4xi16>) -> tensor<4xi16> {
  // expected-error @+1 {{'array.sinh' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements values, but got 'tensor<4xi16>'}}
  %0 = array.sinh %a : tensor<4xi16>
  return %0 : tensor<4xi16>
}

// -----

func.func @cosh_i32(%a: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'array.cosh' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements values, but got 'tensor<4xi32>'}}
  %0 = array.cosh %a : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @arcsinh_i64(%a: tensor<4xi64>) -> tensor<4xi64> {
  // expected-error @+1 {{'array.arcsinh' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements values, but got 'tensor<4xi64>'}}
  %0 = array.arcsinh %a : tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

func.func @arccosh_ui8(%a: tensor<4xui8>) -> tensor<4xui8> {
  // expected-error @+1 {{'array.arccosh' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements values, but got 'tensor<4xui8>'}}
  %0 = array.arccosh %a : tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

func.func @arctanh_ui16(%a: tensor<4xui16>) -> tensor<4xui16> {
  // expected-error @+1 {{'array.arctanh' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements values, but got 'tensor<4xui16>'}}
  %0 = array.arctanh %a : tensor<4xui16>
  return %0 : tensor<4xui16>
}

// -----

func.func @rsqrt_ui32(%a: tensor<4xui32>) -> tensor<4xui32> {
  // expected-error @+1 {{'array.rsqrt' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements values, but got 'tensor<4xui32>'}}
  %0 = array.rsqrt %a : tensor<4xui32>
  return %0 : tensor<4xui32>
}

// -----

func.func @reciprocal_ui64(%a: tensor<4xui64>) -> tensor<4xui64> {
  // expected-error @+1 {{'array.reciprocal' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements values, but got 'tensor<4xui64>'}}
  %0 = array.reciprocal %a : tensor<4xui64>
  return %0 : tensor<4xui64>
}

// -----

func.func @floor_i1(%a: tensor<4xi1>) -> tensor<4xi1> {
  // expected-error @+1 {{'array.floor' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4xi1>'}}
  %0 = array.floor %a : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @ceil_i8(%a: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'array.ceil' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4xi8>'}}
  %0 = array.ceil %a : tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @round_i16(%a: tensor<4xi16>) -> tensor<4xi16> {
  // expected-error @+1 {{'array.round' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float or complex type with 32-bit float elements values, but got 'tensor<4xi16>'}}
  %0 = array.round %a : tensor<4xi16>
  return %0 : tensor<4xi16>
}

// -----

func.func @erf_i32(%a: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'array.erf' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4xi32>'}}
  %0 = array.erf %a : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @erfinv_i64(%a: tensor<4xi64>) -> tensor<4xi64> {
  // expected-error @+1 {{'array.erfinv' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4xi64>'}}
  %0 = array.erfinv %a : tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

func.func @sigmoid_ui8(%a: tensor<4xui8>) -> tensor<4xui8> {
  // expected-error @+1 {{'array.sigmoid' op operand #0 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4xui8>'}}
  %0 = array.sigmoid %a : tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

func.func @sign_bool(%a: tensor<4xi1>) -> tensor<4xi1> {
  // expected-error @+1 {{'array.sign' op operand #0 must be ranked tensor of 8-bit signless integer}}
  %0 = array.sign %a : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @square_bool(%a: tensor<4xi1>) -> tensor<4xi1> {
  // expected-error @+1 {{'array.square' op operand #0 must be ranked tensor of 8-bit signless integer}}
  %0 = array.square %a : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @floor_divide_bool(%a: tensor<4xi1>, %b: tensor<4xi1>) -> tensor<4xi1> {
  // expected-error @+1 {{'array.floor_divide' op operand #0 must be ranked tensor of 8-bit signless integer}}
  %0 = array.floor_divide %a, %b : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @remainder_bool(%a: tensor<4xi1>, %b: tensor<4xi1>) -> tensor<4xi1> {
  // expected-error @+1 {{'array.remainder' op operand #0 must be ranked tensor of 8-bit signless integer}}
  %0 = array.remainder %a, %b : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @minimum_result(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xui32> {
  // expected-error @+1 {{'array.minimum' op requires the same type for all operands and results}}
  %0 = "array.minimum"(%a, %b) : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xui32>
  return %0 : tensor<4xui32>
}

// -----

func.func @not_equal_operands(%a: tensor<4xui8>, %b: tensor<4xi8>) -> tensor<4xi1> {
  // expected-error @+1 {{'array.not_equal' op failed to verify that all of {lhs, rhs} have same type}}
  %0 = "array.not_equal"(%a, %b) : (tensor<4xui8>, tensor<4xi8>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @less_equal_result(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xi8> {
  // expected-error @+1 {{'array.less_equal' op result #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<4xi8>'}}
  %0 = "array.less_equal"(%a, %b) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @greater_shapes(%a: tensor<4xf32>, %b: tensor<2xf32>) -> tensor<4xi1> {
  // expected-error @+1 {{'array.greater' op failed to verify that all of {lhs, rhs} have same type}}
  %0 = "array.greater"(%a, %b) : (tensor<4xf32>, tensor<2xf32>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}
