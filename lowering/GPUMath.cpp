//===- GPUMath.cpp - mxc-gpu-math --------------------------------------------===//
//
// Math ops that have no SPIR-V (GLSL.std.450) instruction, rewritten inside GPU
// kernels into ops that do:
//   - math.erf (f32): x * P(x^2) / Q(x^2) on x clamped to [-4, 4], Eigen's
//     rational approximation (within 4 ulp of erf; f16/bf16 were widened to f32
//     by math-extend-to-supported-types; MLIR's own approximation patterns are
//     not exported by the wheels' library);
//   - math.atan2: atan(y / x) moved to the right quadrant, with C's (NumPy's)
//     results at zeros and infinities (GLSL's Atan2 leaves them undefined);
//   - math.ipowi: square-and-multiply over the exponent's bits, with the
//     semantics convert-math-to-funcs gives the CPU (x^0 = 1; for a negative
//     exponent 1/x^-n truncated: 1 for x = 1, +-1 for x = -1, 0 otherwise, and
//     x = 0 divides by zero like the CPU's).
// The CPU lowers both to calls (libm, outlined functions), which kernels cannot
// make.
//
//===----------------------------------------------------------------------===//
#include "lowering/Passes.h"

#include <limits>


namespace mlir::array {
#define GEN_PASS_DEF_GPUMATH
#include "lowering/Passes.h.inc"
} // namespace mlir::array

using namespace mlir;

namespace {
Value ipowi(OpBuilder &b, Location l, Value x, Value n) {
  Type t = x.getType();
  unsigned w = t.getIntOrFloatBitWidth();
  auto cst = [&](int64_t v) -> Value {
    return arith::ConstantOp::create(b, l, b.getIntegerAttr(t, v));
  };
  Value zero = cst(0), one = cst(1), minusOne = cst(-1);
  // |n| bits, most significant irrelevant: a negative n is handled below.
  auto loop = scf::ForOp::create(
      b, l, arith::ConstantIndexOp::create(b, l, 0), arith::ConstantIndexOp::create(b, l, w),
      arith::ConstantIndexOp::create(b, l, 1), ValueRange{one, x, n},
      [&](OpBuilder &lb, Location ll, Value, ValueRange it) {
        Value r = it[0], base = it[1], e = it[2];
        Value bit = arith::TruncIOp::create(lb, ll, lb.getI1Type(),
                                            arith::AndIOp::create(lb, ll, e, one));
        Value rNext = arith::SelectOp::create(lb, ll, bit,
                                              arith::MulIOp::create(lb, ll, r, base), r);
        Value baseNext = arith::MulIOp::create(lb, ll, base, base);
        Value eNext = arith::ShRUIOp::create(lb, ll, e, one);
        scf::YieldOp::create(lb, ll, ValueRange{rNext, baseNext, eNext});
      });
  Value positive = loop.getResult(0);
  // n < 0: 1/x^-n in integers.
  Value odd = arith::TruncIOp::create(b, l, b.getI1Type(), arith::AndIOp::create(b, l, n, one));
  Value forMinusOne = arith::SelectOp::create(b, l, odd, minusOne, one);
  auto eq = [&](Value a, Value c) {
    return arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, a, c);
  };
  // x = 0: the CPU divides 1 by 0; keep that (the result is undefined there).
  Value forZero = arith::DivSIOp::create(b, l, one, zero);
  Value negative = arith::SelectOp::create(
      b, l, eq(x, one), one,
      arith::SelectOp::create(b, l, eq(x, minusOne), forMinusOne,
                              arith::SelectOp::create(b, l, eq(x, zero), forZero, zero)));
  Value isNeg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, n, zero);
  return arith::SelectOp::create(b, l, isNeg, negative, positive);
}

Value erf(OpBuilder &b, Location l, Value a) {
  Type t = a.getType();
  auto cst = [&](double v) -> Value {
    return arith::ConstantOp::create(b, l, b.getFloatAttr(t, v));
  };
  auto horner = [&](Value x2, ArrayRef<double> c) {
    Value p = cst(c.back());
    for (double v : llvm::reverse(c.drop_back()))
      p = math::FmaOp::create(b, l, p, x2, cst(v));
    return p;
  };
  Value x = arith::MaximumFOp::create(b, l, arith::MinimumFOp::create(b, l, a, cst(4.0)),
                                      cst(-4.0));
  Value x2 = arith::MulFOp::create(b, l, x, x);
  Value p = horner(x2, {-1.60960333262415e-02, -2.95459980854025e-03, -7.34990630326855e-04,
                        -5.69250639462346e-05, -2.10102402082508e-06, 2.77068142495902e-08,
                        -2.72614225801306e-10});
  Value q = horner(x2, {-1.42647390514189e-02, -7.37332916720468e-03, -1.68282697438203e-03,
                        -2.13374055278905e-04, -1.45660718464996e-05});
  return arith::DivFOp::create(b, l, arith::MulFOp::create(b, l, x, p), q);
}

Value atan2(OpBuilder &b, Location l, Value y, Value x) {
  Type t = x.getType();
  auto cst = [&](double v) -> Value {
    return arith::ConstantOp::create(b, l, b.getFloatAttr(t, v));
  };
  auto cmp = [&](arith::CmpFPredicate p, Value a, Value c) -> Value {
    return arith::CmpFOp::create(b, l, p, a, c);
  };
  auto sel = [&](Value c, Value a, Value d) -> Value {
    return arith::SelectOp::create(b, l, c, a, d);
  };
  auto copysign = [&](Value mag, Value sign) -> Value {
    return math::CopySignOp::create(b, l, mag, sign);
  };
  const double pi = 3.14159265358979323846;
  Value r = math::AtanOp::create(b, l, arith::DivFOp::create(b, l, y, x));
  // x < 0 (or -0): the other half plane.
  Type it = b.getIntegerType(t.getIntOrFloatBitWidth());
  Value xNeg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt,
                                     arith::BitcastOp::create(b, l, it, x),
                                     arith::ConstantOp::create(b, l, b.getIntegerAttr(it, 0)));
  Value piY = copysign(cst(pi), y);
  r = sel(cmp(arith::CmpFPredicate::OLT, x, cst(0.0)), arith::AddFOp::create(b, l, r, piY), r);
  // y = +-0: +-0 for x >= +0, +-pi for x <= -0.
  r = sel(cmp(arith::CmpFPredicate::OEQ, y, cst(0.0)), sel(xNeg, piY, copysign(cst(0.0), y)),
          r);
  // Both infinite: +-pi/4 or +-3pi/4.
  Value inf = cst(std::numeric_limits<double>::infinity());
  Value bothInf = arith::AndIOp::create(
      b, l, cmp(arith::CmpFPredicate::OEQ, math::AbsFOp::create(b, l, x), inf),
      cmp(arith::CmpFPredicate::OEQ, math::AbsFOp::create(b, l, y), inf));
  r = sel(bothInf, copysign(sel(xNeg, cst(3 * pi / 4), cst(pi / 4)), y), r);
  // x = +-0, y != 0: +-pi/2 (y / x is +-inf already, atan gives it; kept explicit
  // for GPUs whose division by zero is not IEEE).
  Value yNonZero = cmp(arith::CmpFPredicate::ONE, y, cst(0.0));
  r = sel(arith::AndIOp::create(b, l, cmp(arith::CmpFPredicate::OEQ, x, cst(0.0)), yNonZero),
          copysign(cst(pi / 2), y), r);
  // The result has y's sign (Vulkan's atan may drop the sign of -0), NaN in
  // gives NaN (Vulkan leaves atan(NaN) undefined).
  r = copysign(r, y);
  Value nan = arith::OrIOp::create(b, l, cmp(arith::CmpFPredicate::UNO, x, x),
                                   cmp(arith::CmpFPredicate::UNO, y, y));
  return sel(nan, cst(std::numeric_limits<double>::quiet_NaN()), r);
}

struct GPUMathPass : array::impl::GPUMathBase<GPUMathPass> {
  void runOnOperation() override {
    SmallVector<math::IPowIOp> pows;
    getOperation()->walk([&](math::IPowIOp p) { pows.push_back(p); });
    for (math::IPowIOp p : pows) {
      if (!p.getType().isSignlessInteger()) {
        p.emitOpError("only scalar integer powers run on the GPU");
        return signalPassFailure();
      }
      OpBuilder b(p);
      p.replaceAllUsesWith(ipowi(b, p.getLoc(), p.getLhs(), p.getRhs()));
      p.erase();
    }
    SmallVector<math::Atan2Op> atans;
    getOperation()->walk([&](math::Atan2Op a) { atans.push_back(a); });
    for (math::Atan2Op a : atans) {
      OpBuilder b(a);
      a.replaceAllUsesWith(atan2(b, a.getLoc(), a.getLhs(), a.getRhs()));
      a.erase();
    }
    SmallVector<math::ErfOp> erfs;
    getOperation()->walk([&](math::ErfOp e) { erfs.push_back(e); });
    for (math::ErfOp e : erfs) {
      if (!e.getType().isF32()) {
        e.emitOpError("erf runs on the GPU in f32 only (widen narrower types first)");
        return signalPassFailure();
      }
      OpBuilder b(e);
      e.replaceAllUsesWith(erf(b, e.getLoc(), e.getOperand()));
      e.erase();
    }
  }
};
} // namespace
