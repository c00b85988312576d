// RUN: mxc-opt %s -split-input-file -verify-diagnostics
// Verifier and type-inference errors of constant, iota and the shape ops.

func.func @constant_vector() -> vector<2xf32> {
  // expected-error @+1 {{'array.constant' value must be a ranked tensor}}
  %0 = array.constant dense<1.0> : vector<2xf32>
  return %0 : vector<2xf32>
}

// -----

func.func @constant_element() -> tensor<2xi7> {
  // expected-error @+1 {{'array.constant' op result #0 must be ranked tensor of}}
  %0 = array.constant dense<1> : tensor<2xi7>
  return %0 : tensor<2xi7>
}

// -----

func.func @constant_result_type() -> tensor<3xf32> {
  // expected-error @+2 {{'array.constant' op inferred type(s) 'tensor<2xf32>' are incompatible with return type(s) of operation 'tensor<3xf32>'}}
  // expected-error @+1 {{'array.constant' op failed to infer returned types}}
  %0 = "array.constant"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @iota_dim() -> tensor<2x3xf32> {
  // expected-error @+1 {{'array.iota' op dimension 2 is out of range for rank 2}}
  %0 = array.iota dim = 2 : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @iota_scalar() -> tensor<i32> {
  // expected-error @+1 {{'array.iota' op dimension 0 is out of range for rank 0}}
  %0 = array.iota dim = 0 : tensor<i32>
  return %0 : tensor<i32>
}

// -----

func.func @iota_complex() -> tensor<4xcomplex<f32>> {
  // expected-error @+1 {{'array.iota' op needs a real element type}}
  %0 = array.iota dim = 0 : tensor<4xcomplex<f32>>
  return %0 : tensor<4xcomplex<f32>>
}

// -----

func.func @iota_bool() -> tensor<4xi1> {
  // expected-error @+1 {{'array.iota' op result #0 must be ranked tensor of 8-bit signless integer}}
  %0 = array.iota dim = 0 : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @broadcast_element(%a: tensor<3xf32>) -> tensor<2x3xf64> {
  // expected-error @+1 {{'array.broadcast_in_dim' op cannot change the element type ('f32' to 'f64')}}
  %0 = array.broadcast_in_dim %a, dims = [1] : tensor<3xf32> -> tensor<2x3xf64>
  return %0 : tensor<2x3xf64>
}

// -----

func.func @broadcast_dim_count(%a: tensor<3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'array.broadcast_in_dim' op needs one broadcast dimension per operand dimension: got 2 for rank 1}}
  %0 = array.broadcast_in_dim %a, dims = [0, 1] : tensor<3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @broadcast_dim_range(%a: tensor<3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'array.broadcast_in_dim' op broadcast dimension 2 is out of range for rank 2}}
  %0 = array.broadcast_in_dim %a, dims = [2] : tensor<3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @broadcast_dim_negative(%a: tensor<3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'array.broadcast_in_dim' op broadcast dimension -1 is out of range for rank 2}}
  %0 = array.broadcast_in_dim %a, dims = [-1] : tensor<3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @broadcast_dim_order(%a: tensor<3x3xf32>) -> tensor<3x3xf32> {
  // expected-error @+1 {{'array.broadcast_in_dim' op broadcast dimensions must be strictly increasing}}
  %0 = array.broadcast_in_dim %a, dims = [1, 0] : tensor<3x3xf32> -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

func.func @broadcast_dim_repeated(%a: tensor<3x3xf32>) -> tensor<3x3xf32> {
  // expected-error @+1 {{'array.broadcast_in_dim' op broadcast dimensions must be strictly increasing}}
  %0 = array.broadcast_in_dim %a, dims = [1, 1] : tensor<3x3xf32> -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

func.func @broadcast_size(%a: tensor<3xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'array.broadcast_in_dim' op cannot broadcast shape (3,) to (2, 4): operand dimension 0 has size 3 but result dimension 1 has size 4}}
  %0 = array.broadcast_in_dim %a, dims = [1] : tensor<3xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @reshape_size(%a: tensor<2x3xf32>) -> tensor<7xf32> {
  // expected-error @+1 {{'array.reshape' op cannot reshape array of size 6 into shape (7,)}}
  %0 = array.reshape %a : tensor<2x3xf32> -> tensor<7xf32>
  return %0 : tensor<7xf32>
}

// -----

func.func @reshape_element(%a: tensor<2x3xf32>) -> tensor<6xi32> {
  // expected-error @+1 {{'array.reshape' op cannot change the element type}}
  %0 = array.reshape %a : tensor<2x3xf32> -> tensor<6xi32>
  return %0 : tensor<6xi32>
}

// -----

func.func @transpose_count(%a: tensor<3x4xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'array.transpose' permutation has 3 entries for an array of rank 2}}
  %0 = array.transpose %a, perm = [1, 0, 2] : tensor<3x4xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @transpose_repeated(%a: tensor<3x4xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'array.transpose' axis 1 is repeated}}
  %0 = array.transpose %a, perm = [1, 1] : tensor<3x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

func.func @transpose_range(%a: tensor<3x4xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'array.transpose' axis 2 is out of range for an array of rank 2}}
  %0 = array.transpose %a, perm = [2, 0] : tensor<3x4xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @transpose_negative(%a: tensor<3x4xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'array.transpose' axis -1 is out of range for an array of rank 2}}
  %0 = array.transpose %a, perm = [-1, 0] : tensor<3x4xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @transpose_result(%a: tensor<3x4xf32>) -> tensor<3x4xf32> {
  // expected-error @+2 {{'array.transpose' op inferred type(s) 'tensor<4x3xf32>' are incompatible with return type(s) of operation 'tensor<3x4xf32>'}}
  // expected-error @+1 {{'array.transpose' op failed to infer returned types}}
  %0 = "array.transpose"(%a) {permutation = array<i64: 1, 0>} : (tensor<3x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func @slice_rank(%a: tensor<4x5xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'array.slice' needs one start, size and stride per dimension of the operand (rank 2)}}
  %0 = array.slice %a[[0]] sizes = [2] strides = [1] : tensor<4x5xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @slice_negative_size(%a: tensor<4xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'array.slice' size -2 is negative}}
  %0 = array.slice %a[[0]] sizes = [-2] strides = [1] : tensor<4xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @slice_zero_stride(%a: tensor<4xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'array.slice' stride of dimension 0 is zero}}
  %0 = array.slice %a[[0]] sizes = [2] strides = [0] : tensor<4xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @slice_past_end(%a: tensor<4x5xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'array.slice' dimension 1 reads indices 2 to 6 of a dimension of size 5}}
  %0 = array.slice %a[[0, 2]] sizes = [2, 3] strides = [1, 2] : tensor<4x5xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @slice_negative_start(%a: tensor<4xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'array.slice' dimension 0 reads indices -1 to 0 of a dimension of size 4}}
  %0 = array.slice %a[[-1]] sizes = [2] strides = [1] : tensor<4xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @slice_negative_stride_past_start(%a: tensor<4xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'array.slice' dimension 0 reads indices 1 to -3 of a dimension of size 4}}
  %0 = array.slice %a[[1]] sizes = [3] strides = [-2] : tensor<4xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @slice_result(%a: tensor<4xf32>) -> tensor<3xf32> {
  // expected-error @+2 {{'array.slice' op inferred type(s) 'tensor<2xf32>' are incompatible with return type(s) of operation 'tensor<3xf32>'}}
  // expected-error @+1 {{'array.slice' op failed to infer returned types}}
  %0 = "array.slice"(%a) {start_indices = array<i64: 0>, sizes = array<i64: 2>, strides = array<i64: 1>} : (tensor<4xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @dynamic_slice_count(%a: tensor<4x5xf32>, %i: tensor<i32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'array.dynamic_slice' needs one start index and one size per dimension of the operand (rank 2)}}
  %0 = array.dynamic_slice %a[%i] sizes = [2, 2] : tensor<4x5xf32>, tensor<i32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @dynamic_slice_sizes(%a: tensor<4x5xf32>, %i: tensor<i32>) -> tensor<2xf32> {
  // expected-error @+1 {{'array.dynamic_slice' needs one start index and one size per dimension of the operand (rank 2)}}
  %0 = array.dynamic_slice %a[%i, %i] sizes = [2] : tensor<4x5xf32>, tensor<i32>, tensor<i32>
  return %0 : tensor<2xf32>
}

// -----

func.func @dynamic_slice_too_big(%a: tensor<4x5xf32>, %i: tensor<i32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'array.dynamic_slice' size 6 does not fit dimension 1 of size 5}}
  %0 = array.dynamic_slice %a[%i, %i] sizes = [2, 6] : tensor<4x5xf32>, tensor<i32>, tensor<i32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @dynamic_slice_negative(%a: tensor<4x5xf32>, %i: tensor<i32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'array.dynamic_slice' size -1 does not fit dimension 0 of size 4}}
  %0 = array.dynamic_slice %a[%i, %i] sizes = [-1, 2] : tensor<4x5xf32>, tensor<i32>, tensor<i32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @dynamic_slice_index_rank(%a: tensor<4xf32>, %i: tensor<1xi32>) -> tensor<2xf32> {
  // expected-error @+1 {{'array.dynamic_slice' op operand #1 must be variadic of 0D tensor of}}
  %0 = array.dynamic_slice %a[%i] sizes = [2] : tensor<4xf32>, tensor<1xi32>
  return %0 : tensor<2xf32>
}

// -----

func.func @dynamic_slice_float_index(%a: tensor<4xf32>, %i: tensor<f32>) -> tensor<2xf32> {
  // expected-error @+1 {{'array.dynamic_slice' op operand #1 must be variadic of 0D tensor of}}
  %0 = array.dynamic_slice %a[%i] sizes = [2] : tensor<4xf32>, tensor<f32>
  return %0 : tensor<2xf32>
}

// -----

func.func @dynamic_slice_bool_index(%a: tensor<4xf32>, %i: tensor<i1>) -> tensor<2xf32> {
  // expected-error @+1 {{'array.dynamic_slice' op operand #1 must be variadic of 0D tensor of}}
  %0 = array.dynamic_slice %a[%i] sizes = [2] : tensor<4xf32>, tensor<i1>
  return %0 : tensor<2xf32>
}

// -----

func.func @dynamic_update_slice_element(%a: tensor<4xf32>, %u: tensor<2xf16>, %i: tensor<i32>) -> tensor<4xf32> {
  // expected-error @+1 {{'array.dynamic_update_slice' op update element type 'f16' differs from the operand's 'f32'}}
  %0 = array.dynamic_update_slice %a[%i], %u : tensor<4xf32>, tensor<2xf16>, tensor<i32>
  return %0 : tensor<4xf32>
}

// -----

func.func @dynamic_update_slice_rank(%a: tensor<4xf32>, %u: tensor<1x2xf32>, %i: tensor<i32>) -> tensor<4xf32> {
  // expected-error @+1 {{'array.dynamic_update_slice' op needs an update of the operand's rank and one start index per dimension}}
  %0 = array.dynamic_update_slice %a[%i], %u : tensor<4xf32>, tensor<1x2xf32>, tensor<i32>
  return %0 : tensor<4xf32>
}

// -----

func.func @dynamic_update_slice_count(%a: tensor<4xf32>, %u: tensor<2xf32>, %i: tensor<i32>) -> tensor<4xf32> {
  // expected-error @+1 {{'array.dynamic_update_slice' op needs an update of the operand's rank and one start index per dimension}}
  %0 = array.dynamic_update_slice %a[%i, %i], %u : tensor<4xf32>, tensor<2xf32>, tensor<i32>, tensor<i32>
  return %0 : tensor<4xf32>
}

// -----

func.func @dynamic_update_slice_fit(%a: tensor<4x2xf32>, %u: tensor<2x3xf32>, %i: tensor<i32>) -> tensor<4x2xf32> {
  // expected-error @+1 {{'array.dynamic_update_slice' op update of shape (2, 3) does not fit in (4, 2)}}
  %0 = array.dynamic_update_slice %a[%i, %i], %u : tensor<4x2xf32>, tensor<2x3xf32>, tensor<i32>, tensor<i32>
  return %0 : tensor<4x2xf32>
}

// -----

func.func @dynamic_update_slice_result(%a: tensor<4xf32>, %u: tensor<2xf32>, %i: tensor<i32>) -> tensor<4xf16> {
  // expected-error @+1 {{'array.dynamic_update_slice' op failed to verify that all of {operand, result} have same type}}
  %0 = "array.dynamic_update_slice"(%a, %u, %i) : (tensor<4xf32>, tensor<2xf32>, tensor<i32>) -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

func.func @concatenate_empty() -> tensor<0xf32> {
  // expected-error @+2 {{'array.concatenate' needs at least one input}}
  // expected-error @+1 {{'array.concatenate' op failed to infer returned types}}
  %0 = "array.concatenate"() {dimension = 0 : i64} : () -> tensor<0xf32>
  return %0 : tensor<0xf32>
}

// -----

func.func @concatenate_dim(%a: tensor<2x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'array.concatenate' dimension 2 is out of range for rank 2}}
  %0 = array.concatenate %a, %a dim = 2 : tensor<2x3xf32>, tensor<2x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @concatenate_scalar(%a: tensor<f32>) -> tensor<2xf32> {
  // expected-error @+1 {{'array.concatenate' dimension 0 is out of range for rank 0}}
  %0 = array.concatenate %a, %a dim = 0 : tensor<f32>, tensor<f32>
  return %0 : tensor<2xf32>
}

// -----

func.func @concatenate_element(%a: tensor<2x3xf32>, %b: tensor<2x3xf16>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'array.concatenate' inputs must share rank and element type}}
  %0 = array.concatenate %a, %b dim = 0 : tensor<2x3xf32>, tensor<2x3xf16>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @concatenate_rank(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'array.concatenate' inputs must share rank and element type}}
  %0 = array.concatenate %a, %b dim = 0 : tensor<2x3xf32>, tensor<3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @concatenate_shape(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'array.concatenate' input shapes (2, 3) and (2, 4) differ outside dimension 0}}
  %0 = array.concatenate %a, %b dim = 0 : tensor<2x3xf32>, tensor<2x4xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @pad_value_rank(%a: tensor<2xf32>, %v: tensor<1xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'array.pad' padding value must be a 0-d tensor of 'f32'}}
  %0 = array.pad %a, %v low = [1] high = [1] : tensor<2xf32>, tensor<1xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @pad_value_type(%a: tensor<2xf32>, %v: tensor<f64>) -> tensor<4xf32> {
  // expected-error @+1 {{'array.pad' padding value must be a 0-d tensor of 'f32'}}
  %0 = array.pad %a, %v low = [1] high = [1] : tensor<2xf32>, tensor<f64>
  return %0 : tensor<4xf32>
}

// -----

func.func @pad_count(%a: tensor<2x2xf32>, %v: tensor<f32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'array.pad' needs low and high padding per dimension}}
  %0 = array.pad %a, %v low = [1, 1] high = [1] : tensor<2x2xf32>, tensor<f32>
  return %0 : tensor<4x4xf32>
}

// -----

func.func @pad_negative(%a: tensor<2xf32>, %v: tensor<f32>) -> tensor<1xf32> {
  // expected-error @+1 {{'array.pad' padding must be non-negative}}
  %0 = array.pad %a, %v low = [-1] high = [0] : tensor<2xf32>, tensor<f32>
  return %0 : tensor<1xf32>
}
