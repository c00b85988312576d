// RUN: mxc-opt %s --array-vectorize -verify-diagnostics

func.func private @draw(%k: tensor<2xui32>) -> tensor<3xui32> {
  // expected-error @+1 {{vmap not implemented for array.random_bits with a batched key}}
  %0 = array.random_bits %k : tensor<2xui32> -> tensor<3xui32>
  return %0 : tensor<3xui32>
}

func.func @main(%ks: tensor<4x2xui32>) -> tensor<4x3xui32> {
  %0 = array.vmap @draw(%ks) in_axes = [0] out_axes = [0] : (tensor<4x2xui32>) -> tensor<4x3xui32>
  return %0 : tensor<4x3xui32>
}
