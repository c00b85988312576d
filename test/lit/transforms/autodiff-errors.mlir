// RUN: mxc-opt %s --array-autodiff -verify-diagnostics

func.func private @f(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{VJP not implemented for exclusive array.cummax}}
  %0 = array.cummax %x axis = 0 {inclusive = false} : tensor<3xf32>
  return %0 : tensor<3xf32>
}

func.func @main(%x: tensor<3xf32>, %c: tensor<3xf32>) -> tensor<3xf32> {
  %0:2 = array.vjp @f(%x) cotangents(%c) wrt = [0] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#1 : tensor<3xf32>
}
