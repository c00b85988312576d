// mxc-round-each-op: the emulation's extf/truncf lose their `contract` flag, so
// canonicalize keeps the truncf between two half-precision ops (each op rounds to
// f16, as MLX and NumPy), where it folded extf(truncf(x)) to x before.
// RUN: mxc-opt %s --arith-emulate-unsupported-floats="source-types=f16 target-type=f32" --mxc-round-each-op --canonicalize | FileCheck %s
// RUN: mxc-opt %s --arith-emulate-unsupported-floats="source-types=f16 target-type=f32" --canonicalize | FileCheck %s --check-prefix=FOLDED

// CHECK-LABEL: func.func @chain
// CHECK: %[[S:.*]] = arith.addf %{{.*}}, %{{.*}} : f32
// CHECK-NEXT: %[[T:.*]] = arith.truncf %[[S]] {{.*}}: f32 to f16
// CHECK-NEXT: %[[E:.*]] = arith.extf %[[T]] {{.*}}: f16 to f32
// CHECK-NEXT: arith.mulf %[[E]]
// CHECK-NOT: contract
// FOLDED-LABEL: func.func @chain
// FOLDED: %[[S:.*]] = arith.addf
// FOLDED-NEXT: arith.mulf %[[S]]
func.func @chain(%a: f16, %b: f16) -> f16 {
  %0 = arith.addf %a, %b : f16
  %1 = arith.mulf %0, %b : f16
  return %1 : f16
}
