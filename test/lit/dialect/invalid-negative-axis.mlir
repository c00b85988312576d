// RUN: mxc-opt %s -split-input-file -verify-diagnostics
// Negative I64Attr axes must be rejected and reported as the negative number
// written (not as its unsigned 64-bit reinterpretation).

func.func @iota_negative_dim() -> tensor<2x3xf32> {
  // expected-error @+1 {{'array.iota' op dimension -1 is out of range for rank 2}}
  %0 = array.iota dim = -1 : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @cumsum_negative_axis(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'array.cumsum' op axis -1 is out of range for rank 2}}
  %0 = array.cumsum %a axis = -1 : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @sort_negative_axis(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'array.sort' op axis -2 is out of range for rank 2}}
  %0 = array.sort %a axis = -2 : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @argsort_negative_axis(%a: tensor<2x3xf32>) -> tensor<2x3xui32> {
  // expected-error @+1 {{'array.argsort' op axis -1 is out of range for rank 2}}
  %0 = array.argsort %a axis = -1 : tensor<2x3xf32>
  return %0 : tensor<2x3xui32>
}

// -----

func.func @argmax_negative_axis(%a: tensor<2x3xf32>) -> tensor<2xui32> {
  // expected-error @+1 {{'array.argmax' axis -1 is out of range for an array of rank 2}}
  %0 = array.argmax %a axis = -1 : tensor<2x3xf32>
  return %0 : tensor<2xui32>
}

// -----

func.func @concatenate_negative_dim(%a: tensor<2x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'array.concatenate' dimension -1 is out of range for rank 2}}
  %0 = array.concatenate %a, %a dim = -1 : tensor<2x3xf32>, tensor<2x3xf32>
  return %0 : tensor<4x3xf32>
}
