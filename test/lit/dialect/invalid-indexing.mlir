// RUN: mxc-opt %s -split-input-file -verify-diagnostics
// Verifier and type-inference errors of gather and the scatter family.

func.func @gather_index_count(%a: tensor<5x4xf32>, %i: tensor<2xi32>) -> tensor<2x1x1xf32> {
  // expected-error @+1 {{'array.gather' needs one index array per axis: got 1 index arrays and 2 axes}}
  %0 = array.gather %a[%i] axes = [0, 1] sizes = [1, 1] : tensor<5x4xf32>, tensor<2xi32>
  return %0 : tensor<2x1x1xf32>
}

// -----

func.func @gather_axis_range(%a: tensor<5x4xf32>, %i: tensor<2xi32>) -> tensor<2x1x1xf32> {
  // expected-error @+1 {{'array.gather' axis 2 is out of range for an array of rank 2}}
  %0 = array.gather %a[%i] axes = [2] sizes = [1, 1] : tensor<5x4xf32>, tensor<2xi32>
  return %0 : tensor<2x1x1xf32>
}

// -----

func.func @gather_axis_repeated(%a: tensor<5x4xf32>, %i: tensor<2xi32>) -> tensor<2x1x1xf32> {
  // expected-error @+1 {{'array.gather' axis 0 is repeated}}
  %0 = array.gather %a[%i, %i] axes = [0, 0] sizes = [1, 1] : tensor<5x4xf32>, tensor<2xi32>, tensor<2xi32>
  return %0 : tensor<2x1x1xf32>
}

// -----

func.func @gather_index_shapes(%a: tensor<5x4xf32>, %i: tensor<2xi32>, %j: tensor<3xi32>) -> tensor<2x1x1xf32> {
  // expected-error @+1 {{'array.gather' index arrays must share one shape (broadcast them first)}}
  %0 = array.gather %a[%i, %j] axes = [0, 1] sizes = [1, 1] : tensor<5x4xf32>, tensor<2xi32>, tensor<3xi32>
  return %0 : tensor<2x1x1xf32>
}

// -----

func.func @gather_size_count(%a: tensor<5x4xf32>, %i: tensor<2xi32>) -> tensor<2x1xf32> {
  // expected-error @+1 {{'array.gather' needs one slice size per operand dimension (rank 2)}}
  %0 = array.gather %a[%i] axes = [0] sizes = [1] : tensor<5x4xf32>, tensor<2xi32>
  return %0 : tensor<2x1xf32>
}

// -----

func.func @gather_size_fit(%a: tensor<5x4xf32>, %i: tensor<2xi32>) -> tensor<2x1x5xf32> {
  // expected-error @+1 {{'array.gather' slice size 5 does not fit dimension 1 of size 4}}
  %0 = array.gather %a[%i] axes = [0] sizes = [1, 5] : tensor<5x4xf32>, tensor<2xi32>
  return %0 : tensor<2x1x5xf32>
}

// -----

func.func @gather_size_negative(%a: tensor<5x4xf32>, %i: tensor<2xi32>) -> tensor<2x1x5xf32> {
  // expected-error @+1 {{'array.gather' slice size -1 does not fit dimension 0 of size 5}}
  %0 = array.gather %a[%i] axes = [0] sizes = [-1, 4] : tensor<5x4xf32>, tensor<2xi32>
  return %0 : tensor<2x1x5xf32>
}

// -----

func.func @gather_float_index(%a: tensor<5x4xf32>, %i: tensor<2xf32>) -> tensor<2x1x4xf32> {
  // expected-error @+1 {{'array.gather' op operand #1 must be variadic of ranked tensor of 8-bit signless integer}}
  %0 = array.gather %a[%i] axes = [0] sizes = [1, 4] : tensor<5x4xf32>, tensor<2xf32>
  return %0 : tensor<2x1x4xf32>
}

// -----

func.func @gather_result(%a: tensor<5x4xf32>, %i: tensor<2xi32>) -> tensor<2x4xf32> {
  // expected-error @+2 {{'array.gather' op inferred type(s) 'tensor<2x1x4xf32>' are incompatible with return type(s) of operation 'tensor<2x4xf32>'}}
  // expected-error @+1 {{'array.gather' op failed to infer returned types}}
  %0 = "array.gather"(%a, %i) {axes = array<i64: 0>, slice_sizes = array<i64: 1, 4>} : (tensor<5x4xf32>, tensor<2xi32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @scatter_index_count(%a: tensor<5x3xf32>, %i: tensor<2xi32>, %u: tensor<2x1x3xf32>) -> tensor<5x3xf32> {
  // expected-error @+1 {{'array.scatter' needs one index array per axis: got 1 index arrays and 0 axes}}
  %0 = array.scatter %a[%i], %u axes = [] : tensor<5x3xf32>, tensor<2x1x3xf32>, tensor<2xi32>
  return %0 : tensor<5x3xf32>
}

// -----

func.func @scatter_add_axis(%a: tensor<5x3xf32>, %i: tensor<2xi32>, %u: tensor<2x1x3xf32>) -> tensor<5x3xf32> {
  // expected-error @+1 {{'array.scatter_add' axis 3 is out of range for an array of rank 2}}
  %0 = array.scatter_add %a[%i], %u axes = [3] : tensor<5x3xf32>, tensor<2x1x3xf32>, tensor<2xi32>
  return %0 : tensor<5x3xf32>
}

// -----

func.func @scatter_multiply_index_shapes(%a: tensor<5x3xf32>, %i: tensor<2xi32>, %j: tensor<2x1xi32>, %u: tensor<2x1x1xf32>) -> tensor<5x3xf32> {
  // expected-error @+1 {{'array.scatter_multiply' index arrays must share one shape (broadcast them first)}}
  %0 = array.scatter_multiply %a[%i, %j], %u axes = [0, 1] : tensor<5x3xf32>, tensor<2x1x1xf32>, tensor<2xi32>, tensor<2x1xi32>
  return %0 : tensor<5x3xf32>
}

// -----

func.func @scatter_max_updates_element(%a: tensor<5x3xf32>, %i: tensor<2xi32>, %u: tensor<2x1x3xf16>) -> tensor<5x3xf32> {
  // expected-error @+1 {{'array.scatter_max' op updates element type 'f16' differs from the operand's 'f32'}}
  %0 = array.scatter_max %a[%i], %u axes = [0] : tensor<5x3xf32>, tensor<2x1x3xf16>, tensor<2xi32>
  return %0 : tensor<5x3xf32>
}

// -----

func.func @scatter_min_updates_rank(%a: tensor<5x3xf32>, %i: tensor<2xi32>, %u: tensor<2x3xf32>) -> tensor<5x3xf32> {
  // expected-error @+1 {{'array.scatter_min' op updates must have shape indices.shape + window (rank 3), got (2, 3)}}
  %0 = array.scatter_min %a[%i], %u axes = [0] : tensor<5x3xf32>, tensor<2x3xf32>, tensor<2xi32>
  return %0 : tensor<5x3xf32>
}

// -----

func.func @scatter_updates_prefix(%a: tensor<5x3xf32>, %i: tensor<2xi32>, %u: tensor<3x1x3xf32>) -> tensor<5x3xf32> {
  // expected-error @+1 {{'array.scatter' op updates shape (3, 1, 3) does not start with the index shape (2,)}}
  %0 = array.scatter %a[%i], %u axes = [0] : tensor<5x3xf32>, tensor<3x1x3xf32>, tensor<2xi32>
  return %0 : tensor<5x3xf32>
}

// -----

func.func @scatter_add_window(%a: tensor<5x3xf32>, %i: tensor<2xi32>, %u: tensor<2x1x4xf32>) -> tensor<5x3xf32> {
  // expected-error @+1 {{'array.scatter_add' op update window (1, 4) does not fit in (5, 3)}}
  %0 = array.scatter_add %a[%i], %u axes = [0] : tensor<5x3xf32>, tensor<2x1x4xf32>, tensor<2xi32>
  return %0 : tensor<5x3xf32>
}

// -----

func.func @scatter_result(%a: tensor<5x3xf32>, %i: tensor<2xi32>, %u: tensor<2x1x3xf32>) -> tensor<5x3xf64> {
  // expected-error @+1 {{'array.scatter' op failed to verify that all of {operand, result} have same type}}
  %0 = "array.scatter"(%a, %i, %u) {axes = array<i64: 0>} : (tensor<5x3xf32>, tensor<2xi32>, tensor<2x1x3xf32>) -> tensor<5x3xf64>
  return %0 : tensor<5x3xf64>
}

// -----

func.func @scatter_bool_index(%a: tensor<5x3xf32>, %i: tensor<2xi1>, %u: tensor<2x1x3xf32>) -> tensor<5x3xf32> {
  // expected-error @+1 {{'array.scatter' op operand #1 must be variadic of ranked tensor of 8-bit signless integer}}
  %0 = array.scatter %a[%i], %u axes = [0] : tensor<5x3xf32>, tensor<2x1x3xf32>, tensor<2xi1>
  return %0 : tensor<5x3xf32>
}
