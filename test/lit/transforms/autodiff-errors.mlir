// RUN: mxc-opt %s --array-autodiff -verify-diagnostics -split-input-file

// An op of another dialect has no rule: the pass says which.
func.func private @f(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'arith.addf' op has no derivative rule}}
  %0 = arith.addf %x, %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}

func.func @main(%x: tensor<3xf32>, %c: tensor<3xf32>) -> tensor<3xf32> {
  %0:2 = array.vjp @f(%x) cotangents(%c) wrt = [0] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#1 : tensor<3xf32>
}

// -----

func.func private @g(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'arith.mulf' op has no derivative rule}}
  %0 = arith.mulf %x, %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}

func.func @main(%x: tensor<3xf32>, %t: tensor<3xf32>) -> tensor<3xf32> {
  %0:2 = array.jvp @g(%x) tangents(%t) : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#1 : tensor<3xf32>
}
