// RUN: mxc-opt %s -split-input-file -verify-diagnostics
// vmap of a callee whose signature is not made of ranked tensors must be a
// diagnostic (it used to hit cast<RankedTensorType> in VmapOp::verifySymbolUses).

func.func private @scalar_callee(%x: f32) -> f32

func.func @vmap_scalar_input(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'array.vmap' op}}
  %0 = array.vmap @scalar_callee(%x) in_axes = [0] out_axes = [0] : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func private @unranked_result(%x: tensor<3xf32>) -> tensor<*xf32>

func.func @vmap_unranked_result(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'array.vmap' op}}
  %0 = array.vmap @unranked_result(%x) in_axes = [0] out_axes = [0] : (tensor<4x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}
