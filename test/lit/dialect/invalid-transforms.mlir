// RUN: mxc-opt %s -split-input-file -verify-diagnostics
// Symbol and type errors of vjp, jvp and vmap.

func.func @vjp_missing(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'array.vjp' op refers to 'nowhere', which is not a func.func}}
  %0:2 = array.vjp @nowhere(%x) cotangents(%x) wrt = [0] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#0 : tensor<3xf32>
}

// -----

memref.global @not_a_func : memref<3xf32>

func.func @vjp_not_func(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'array.vjp' op refers to 'not_a_func', which is not a func.func}}
  %0:2 = array.vjp @not_a_func(%x) cotangents(%x) wrt = [0] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#0 : tensor<3xf32>
}

// -----

func.func private @f(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32>

func.func @vjp_primals(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'array.vjp' op primal types do not match the inputs of @f}}
  %0:2 = array.vjp @f(%x) cotangents(%x) wrt = [0] : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#0 : tensor<3xf32>
}

// -----

func.func private @f(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32>

func.func @vjp_primal_types(%x: tensor<3xf32>, %y: tensor<3xf64>) -> tensor<3xf32> {
  // expected-error @+1 {{'array.vjp' op primal types do not match the inputs of @f}}
  %0:2 = array.vjp @f(%x, %y) cotangents(%x) wrt = [0] : (tensor<3xf32>, tensor<3xf64>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#0 : tensor<3xf32>
}

// -----

func.func private @f(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32>

func.func @vjp_cotangent_count(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'array.vjp' op needs one cotangent per result of @f, with the result's type}}
  %0:2 = array.vjp @f(%x, %x) cotangents(%x, %x) wrt = [0] : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#0 : tensor<3xf32>
}

// -----

func.func private @f(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32>

func.func @vjp_cotangent_type(%x: tensor<3xf32>, %c: tensor<f32>) -> tensor<3xf32> {
  // expected-error @+1 {{'array.vjp' op needs one cotangent per result of @f, with the result's type}}
  %0:2 = array.vjp @f(%x, %x) cotangents(%c) wrt = [0] : (tensor<3xf32>, tensor<3xf32>, tensor<f32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#0 : tensor<3xf32>
}

// -----

func.func private @f(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32>

func.func @vjp_wrt_range(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'array.vjp' axis 2 is out of range for an array of rank 2}}
  %0:2 = array.vjp @f(%x, %x) cotangents(%x) wrt = [2] : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#0 : tensor<3xf32>
}

// -----

func.func private @f(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32>

func.func @vjp_wrt_repeated(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'array.vjp' axis 0 is repeated}}
  %0:3 = array.vjp @f(%x, %x) cotangents(%x) wrt = [0, 0] : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
  return %0#0 : tensor<3xf32>
}

// -----

func.func private @f(%x: tensor<3xf32>, %y: tensor<f32>) -> tensor<3xf32>

func.func @vjp_results(%x: tensor<3xf32>, %y: tensor<f32>) -> tensor<3xf32> {
  // expected-error @+1 {{'array.vjp' op results must be the results of @f followed by the types of the wrt arguments}}
  %0:2 = array.vjp @f(%x, %y) cotangents(%x) wrt = [1] : (tensor<3xf32>, tensor<f32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#0 : tensor<3xf32>
}

// -----

func.func private @f(%x: tensor<3xf32>, %y: tensor<f32>) -> tensor<3xf32>

func.func @vjp_result_count(%x: tensor<3xf32>, %y: tensor<f32>) -> tensor<3xf32> {
  // expected-error @+1 {{'array.vjp' op results must be the results of @f followed by the types of the wrt arguments}}
  %0 = array.vjp @f(%x, %y) cotangents(%x) wrt = [1] : (tensor<3xf32>, tensor<f32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @jvp_missing(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'array.jvp' op refers to 'nowhere', which is not a func.func}}
  %0:2 = array.jvp @nowhere(%x) tangents(%x) : (tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %0#0 : tensor<3xf32>
}

// -----

func.func private @g(%x: tensor<3xf32>) -> tensor<f32>

func.func @jvp_primals(%x: tensor<3xf64>) -> tensor<f32> {
  // expected-error @+1 {{'array.jvp' op primals and tangents must both match the inputs of @g}}
  %0:2 = array.jvp @g(%x) tangents(%x) : (tensor<3xf64>, tensor<3xf64>) -> (tensor<f32>, tensor<f32>)
  return %0#0 : tensor<f32>
}

// -----

func.func private @g(%x: tensor<3xf32>) -> tensor<f32>

func.func @jvp_tangents(%x: tensor<3xf32>) -> tensor<f32> {
  // expected-error @+1 {{'array.jvp' op primals and tangents must both match the inputs of @g}}
  %0:2 = array.jvp @g(%x) tangents(%x, %x) : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<f32>, tensor<f32>)
  return %0#0 : tensor<f32>
}

// -----

func.func private @g(%x: tensor<3xf32>) -> tensor<f32>

func.func @jvp_results(%x: tensor<3xf32>) -> tensor<f32> {
  // expected-error @+1 {{'array.jvp' op results must be the results of @g followed by one tangent per result}}
  %0 = array.jvp @g(%x) tangents(%x) : (tensor<3xf32>, tensor<3xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func private @g(%x: tensor<3xf32>) -> tensor<f32>

func.func @jvp_result_type(%x: tensor<3xf32>) -> tensor<f32> {
  // expected-error @+1 {{'array.jvp' op results must be the results of @g followed by one tangent per result}}
  %0:2 = array.jvp @g(%x) tangents(%x) : (tensor<3xf32>, tensor<3xf32>) -> (tensor<f32>, tensor<3xf32>)
  return %0#0 : tensor<f32>
}

// -----

func.func @vmap_missing(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'array.vmap' op refers to 'nowhere', which is not a func.func}}
  %0 = array.vmap @nowhere(%x) in_axes = [0] out_axes = [0] : (tensor<4x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func private @h(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32>

func.func @vmap_in_axes_count(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'array.vmap' op needs one input and one in_axes entry per argument of @h}}
  %0 = array.vmap @h(%x, %x) in_axes = [0] out_axes = [0] : (tensor<4x3xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func private @h(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32>

func.func @vmap_input_count(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'array.vmap' op needs one input and one in_axes entry per argument of @h}}
  %0 = array.vmap @h(%x) in_axes = [0] out_axes = [0] : (tensor<4x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func private @h(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32>

func.func @vmap_out_axes_count(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'array.vmap' op needs one result and one out_axes entry per result of @h}}
  %0 = array.vmap @h(%x, %x) in_axes = [0, 0] out_axes = [0, 1] : (tensor<4x3xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func private @h(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32>

func.func @vmap_result_count(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'array.vmap' op needs one result and one out_axes entry per result of @h}}
  %0:2 = array.vmap @h(%x, %x) in_axes = [0, 0] out_axes = [0, 0] : (tensor<4x3xf32>, tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>)
  return %0#0 : tensor<4x3xf32>
}

// -----

func.func private @h(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32>

func.func @vmap_unbatched_type(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'array.vmap' op unbatched input 1 must have type 'tensor<3xf32>'}}
  %0 = array.vmap @h(%x, %x) in_axes = [0, -1] out_axes = [0] : (tensor<4x3xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func private @h(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32>

func.func @vmap_in_axis_range(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'array.vmap' op in_axes entry 2 is out of range for input 0}}
  %0 = array.vmap @h(%x, %x) in_axes = [2, 0] out_axes = [0] : (tensor<4x3xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func private @h(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32>

func.func @vmap_in_axis_negative(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'array.vmap' op in_axes entry -2 is out of range for input 1}}
  %0 = array.vmap @h(%x, %x) in_axes = [0, -2] out_axes = [0] : (tensor<4x3xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func private @h(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32>

func.func @vmap_batched_rank(%x: tensor<4x3xf32>, %y: tensor<3xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'array.vmap' op batched input 1 must have one more dimension than 'tensor<3xf32>'}}
  %0 = array.vmap @h(%x, %y) in_axes = [0, 0] out_axes = [0] : (tensor<4x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func private @h(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32>

func.func @vmap_batch_sizes(%x: tensor<4x3xf32>, %y: tensor<3x5xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'array.vmap' op inputs disagree on the batch size (4 vs 5)}}
  %0 = array.vmap @h(%x, %y) in_axes = [0, 1] out_axes = [0] : (tensor<4x3xf32>, tensor<3x5xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func private @h(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32>

func.func @vmap_input_mismatch(%x: tensor<4x3xf32>, %y: tensor<4x2xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'array.vmap' op input 1 does not match 'tensor<3xf32>' once its batch axis is removed}}
  %0 = array.vmap @h(%x, %y) in_axes = [0, 0] out_axes = [0] : (tensor<4x3xf32>, tensor<4x2xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func private @h(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32>

func.func @vmap_input_element(%x: tensor<4x3xf32>, %y: tensor<4x3xf16>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'array.vmap' op input 1 does not match 'tensor<3xf32>' once its batch axis is removed}}
  %0 = array.vmap @h(%x, %y) in_axes = [0, 0] out_axes = [0] : (tensor<4x3xf32>, tensor<4x3xf16>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func private @h(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32>

func.func @vmap_no_batched_input(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'array.vmap' op needs at least one batched input}}
  %0 = array.vmap @h(%x, %x) in_axes = [-1, -1] out_axes = [0] : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func private @h(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32>

func.func @vmap_out_axis_range(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'array.vmap' op out_axes entry 2 is out of range for result 0}}
  %0 = array.vmap @h(%x, %x) in_axes = [0, 0] out_axes = [2] : (tensor<4x3xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func private @h(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32>

func.func @vmap_out_axis_negative(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'array.vmap' op out_axes entry -1 is out of range for result 0}}
  %0 = array.vmap @h(%x, %x) in_axes = [0, 0] out_axes = [-1] : (tensor<4x3xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func private @h(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32>

func.func @vmap_result_shape(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'array.vmap' op result 0 must have the batch axis inserted at 1}}
  %0 = array.vmap @h(%x, %x) in_axes = [0, 0] out_axes = [1] : (tensor<4x3xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}
