//===- RoundEachOp.cpp - mxc-round-each-op ------------------------------------===//
//
// float16 and bfloat16 arithmetic computes in f32 (arith-emulate-unsupported-
// floats, math-extend-to-supported-types), each op between an extf and a truncf.
// Those conversions carry the `contract` fast-math flag, and MLIR folds a
// contract-flagged extf(truncf(x)) to x: a fused chain then rounds once at its
// end. MLX and NumPy round every op to its type, so this pass clears the flags
// and each truncf stays (on the CPU and the GPU alike).
//
//===----------------------------------------------------------------------===//
#include "lowering/Passes.h"

namespace mlir::array {
#define GEN_PASS_DEF_ROUNDEACHOP
#include "lowering/Passes.h.inc"
} // namespace mlir::array

using namespace mlir;

namespace {
struct RoundEachOpPass : array::impl::RoundEachOpBase<RoundEachOpPass> {
  void runOnOperation() override {
    auto none = arith::FastMathFlagsAttr::get(&getContext(), arith::FastMathFlags::none);
    getOperation()->walk([&](Operation *op) {
      if (isa<arith::ExtFOp, arith::TruncFOp>(op))
        if (auto fm = dyn_cast<arith::ArithFastMathInterface>(op);
            fm && fm.getFastMathFlagsAttr() &&
            bitEnumContainsAny(fm.getFastMathFlagsAttr().getValue(), arith::FastMathFlags::contract))
          op->setAttr(fm.getFastMathAttrName(), none);
    });
  }
};
} // namespace
