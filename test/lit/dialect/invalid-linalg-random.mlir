// RUN: mxc-opt %s -split-input-file -verify-diagnostics
// Verifier and type-inference errors of matmul and random_bits.

func.func @matmul_elements(%a: tensor<2x3xf32>, %b: tensor<3x4xf16>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'array.matmul' operand element types differ ('f32' and 'f16')}}
  %0 = array.matmul %a, %b : tensor<2x3xf32>, tensor<3x4xf16>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @matmul_vector(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<f32> {
  // expected-error @+1 {{'array.matmul' needs operands of equal rank >= 2, got (3,) and (3,)}}
  %0 = array.matmul %a, %b : tensor<3xf32>, tensor<3xf32>
  return %0 : tensor<f32>
}

// -----

func.func @matmul_ranks(%a: tensor<5x2x3xf32>, %b: tensor<3x4xf32>) -> tensor<5x2x4xf32> {
  // expected-error @+1 {{'array.matmul' needs operands of equal rank >= 2, got (5, 2, 3) and (3, 4)}}
  %0 = array.matmul %a, %b : tensor<5x2x3xf32>, tensor<3x4xf32>
  return %0 : tensor<5x2x4xf32>
}

// -----

func.func @matmul_batch(%a: tensor<5x2x3xf32>, %b: tensor<6x3x4xf32>) -> tensor<5x2x4xf32> {
  // expected-error @+1 {{'array.matmul' batch dimensions differ: (5, 2, 3) and (6, 3, 4)}}
  %0 = array.matmul %a, %b : tensor<5x2x3xf32>, tensor<6x3x4xf32>
  return %0 : tensor<5x2x4xf32>
}

// -----

func.func @matmul_contraction(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'array.matmul' contraction sizes differ: (2, 3) x (4, 5)}}
  %0 = array.matmul %a, %b : tensor<2x3xf32>, tensor<4x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @matmul_bool(%a: tensor<2x3xi1>, %b: tensor<3x4xi1>) -> tensor<2x4xi1> {
  // expected-error @+1 {{'array.matmul' op operand #0 must be ranked tensor of 8-bit signless integer}}
  %0 = "array.matmul"(%a, %b) : (tensor<2x3xi1>, tensor<3x4xi1>) -> tensor<2x4xi1>
  return %0 : tensor<2x4xi1>
}

// -----

func.func @matmul_result(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<4x2xf32> {
  // expected-error @+2 {{'array.matmul' op inferred type(s) 'tensor<2x4xf32>' are incompatible with return type(s) of operation 'tensor<4x2xf32>'}}
  // expected-error @+1 {{'array.matmul' op failed to infer returned types}}
  %0 = "array.matmul"(%a, %b) : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

func.func @random_bits_key_size(%k: tensor<3xui32>) -> tensor<4xui32> {
  // expected-error @+1 {{'array.random_bits' op key must be a tensor<2xui32>}}
  %0 = array.random_bits %k : tensor<3xui32> -> tensor<4xui32>
  return %0 : tensor<4xui32>
}

// -----

func.func @random_bits_key_type(%k: tensor<2xi32>) -> tensor<4xui32> {
  // expected-error @+1 {{'array.random_bits' op operand #0 must be 1D tensor of 32-bit unsigned integer values, but got 'tensor<2xi32>'}}
  %0 = array.random_bits %k : tensor<2xi32> -> tensor<4xui32>
  return %0 : tensor<4xui32>
}

// -----

func.func @random_bits_key_rank(%k: tensor<1x2xui32>) -> tensor<4xui32> {
  // expected-error @+1 {{'array.random_bits' op operand #0 must be 1D tensor of 32-bit unsigned integer values}}
  %0 = array.random_bits %k : tensor<1x2xui32> -> tensor<4xui32>
  return %0 : tensor<4xui32>
}

// -----

func.func @random_bits_result(%k: tensor<2xui32>) -> tensor<4xf32> {
  // expected-error @+1 {{'array.random_bits' op result #0 must be ranked tensor of 32-bit unsigned integer values, but got 'tensor<4xf32>'}}
  %0 = array.random_bits %k : tensor<2xui32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
