// RUN: mxc-opt %s --convert-array-to-linalg -split-input-file -verify-diagnostics
// The transform ops must be expanded by array-autodiff / array-vectorize first.

func.func private @f(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = array.exp %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}

func.func @vjp(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+2 {{'array.vjp' op must be expanded (array-autodiff / array-vectorize) before convert-array-to-linalg}}
  // expected-error @+1 {{failed to legalize operation 'array.vjp' that was explicitly marked illegal}}
  %0:2 = array.vjp @f(%x) cotangents(%x) wrt = [0] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#1 : tensor<3xf32>
}

// -----

func.func private @f(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = array.exp %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}

func.func @jvp(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+2 {{'array.jvp' op must be expanded (array-autodiff / array-vectorize) before convert-array-to-linalg}}
  // expected-error @+1 {{failed to legalize operation 'array.jvp' that was explicitly marked illegal}}
  %0:2 = array.jvp @f(%x) tangents(%x) : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#1 : tensor<3xf32>
}

// -----

func.func private @f(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = array.exp %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}

func.func @vmap(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+2 {{'array.vmap' op must be expanded (array-autodiff / array-vectorize) before convert-array-to-linalg}}
  // expected-error @+1 {{failed to legalize operation 'array.vmap' that was explicitly marked illegal}}
  %0 = array.vmap @f(%x) in_axes = [0] out_axes = [0] : (tensor<4x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}
