// RUN: mxc-opt %s -split-input-file -verify-diagnostics
// Verifier and type-inference errors of reductions, arg-reductions, scans and
// sorting.

func.func @sum_axis_range(%a: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'array.sum' axis 2 is out of range for an array of rank 2}}
  %0 = array.sum %a axes = [2] : tensor<2x3xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @prod_axis_negative(%a: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'array.prod' axis -1 is out of range for an array of rank 2}}
  %0 = array.prod %a axes = [-1] : tensor<2x3xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @max_axis_repeated(%a: tensor<2x3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'array.max' axis 0 is repeated}}
  %0 = array.max %a axes = [0, 0] : tensor<2x3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @min_scalar_axis(%a: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'array.min' axis 0 is out of range for an array of rank 0}}
  %0 = array.min %a axes = [0] : tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @all_axis(%a: tensor<2x3xi1>) -> tensor<2xi1> {
  // expected-error @+1 {{'array.all' axis 5 is out of range for an array of rank 2}}
  %0 = array.all %a axes = [5] : tensor<2x3xi1>
  return %0 : tensor<2xi1>
}

// -----

func.func @any_axis(%a: tensor<2x3xi1>) -> tensor<i1> {
  // expected-error @+1 {{'array.any' axis 1 is repeated}}
  %0 = array.any %a axes = [1, 0, 1] : tensor<2x3xi1>
  return %0 : tensor<i1>
}

// -----

func.func @sum_bool(%a: tensor<2x3xi1>) -> tensor<2xi1> {
  // expected-error @+1 {{'array.sum' op operand #0 must be ranked tensor of 8-bit signless integer}}
  %0 = "array.sum"(%a) {axes = array<i64: 1>} : (tensor<2x3xi1>) -> tensor<2xi1>
  return %0 : tensor<2xi1>
}

// -----

func.func @all_float(%a: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'array.all' op operand #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = "array.all"(%a) {axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @sum_result(%a: tensor<2x3xf32>) -> tensor<3xf32> {
  // expected-error @+2 {{'array.sum' op inferred type(s) 'tensor<2xf32>' are incompatible with return type(s) of operation 'tensor<3xf32>'}}
  // expected-error @+1 {{'array.sum' op failed to infer returned types}}
  %0 = "array.sum"(%a) {axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @argmax_axis(%a: tensor<2x3xf32>) -> tensor<2xui32> {
  // expected-error @+1 {{'array.argmax' axis 2 is out of range for an array of rank 2}}
  %0 = array.argmax %a axis = 2 : tensor<2x3xf32>
  return %0 : tensor<2xui32>
}

// -----

func.func @argmin_complex(%a: tensor<2x3xcomplex<f32>>) -> tensor<2xui32> {
  // expected-error @+1 {{'array.argmin' needs real elements}}
  %0 = array.argmin %a axis = 1 : tensor<2x3xcomplex<f32>>
  return %0 : tensor<2xui32>
}

// -----

func.func @argmax_empty(%a: tensor<2x0xf32>) -> tensor<2xui32> {
  // expected-error @+1 {{'array.argmax' of an empty axis}}
  %0 = array.argmax %a axis = 1 : tensor<2x0xf32>
  return %0 : tensor<2xui32>
}

// -----

func.func @argmax_result(%a: tensor<2x3xf32>) -> tensor<2xi32> {
  // expected-error @+1 {{'array.argmax' op result #0 must be ranked tensor of 32-bit unsigned integer values, but got 'tensor<2xi32>'}}
  %0 = "array.argmax"(%a) {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

func.func @cumsum_axis(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'array.cumsum' op axis 2 is out of range for rank 2}}
  %0 = array.cumsum %a axis = 2 : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @cummax_complex(%a: tensor<3xcomplex<f32>>) -> tensor<3xcomplex<f32>> {
  // expected-error @+1 {{'array.cummax' op needs real elements}}
  %0 = array.cummax %a axis = 0 : tensor<3xcomplex<f32>>
  return %0 : tensor<3xcomplex<f32>>
}

// -----

func.func @cummax_scalar(%a: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'array.cummax' op axis 0 is out of range for rank 0}}
  %0 = array.cummax %a axis = 0 : tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @cummin_result(%a: tensor<3xf32>) -> tensor<3xf64> {
  // expected-error @+1 {{'array.cummin' op requires the same type for all operands and results}}
  %0 = "array.cummin"(%a) {axis = 0 : i64} : (tensor<3xf32>) -> tensor<3xf64>
  return %0 : tensor<3xf64>
}

// -----

func.func @sort_axis(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'array.sort' op axis 3 is out of range for rank 2}}
  %0 = array.sort %a axis = 3 : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @sort_complex(%a: tensor<3xcomplex<f32>>) -> tensor<3xcomplex<f32>> {
  // expected-error @+1 {{'array.sort' op needs real elements}}
  %0 = array.sort %a axis = 0 : tensor<3xcomplex<f32>>
  return %0 : tensor<3xcomplex<f32>>
}

// -----

func.func @argsort_axis(%a: tensor<2x3xf32>) -> tensor<2x3xui32> {
  // expected-error @+1 {{'array.argsort' op axis 2 is out of range for rank 2}}
  %0 = array.argsort %a axis = 2 : tensor<2x3xf32>
  return %0 : tensor<2x3xui32>
}

// -----

func.func @argsort_complex(%a: tensor<3xcomplex<f32>>) -> tensor<3xui32> {
  // expected-error @+1 {{'array.argsort' op needs real elements}}
  %0 = array.argsort %a axis = 0 : tensor<3xcomplex<f32>>
  return %0 : tensor<3xui32>
}

// -----

func.func @argsort_result(%a: tensor<2x3xf32>) -> tensor<3x2xui32> {
  // expected-error @+1 {{'array.argsort' op failed to verify that result is the ui32 tensor of the operand's shape}}
  %0 = "array.argsort"(%a) {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<3x2xui32>
  return %0 : tensor<3x2xui32>
}
