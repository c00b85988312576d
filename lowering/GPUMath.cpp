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
//   - math.absi and integer max/min on i8/i16 (GLSL's SAbs/SMax/... take 32-bit
//     and wider): compare and select;
//   - math.powf: exp(y log|x|) with C's (NumPy's) special cases (upstream's
//     expansion gives NaN for 1^NaN, NaN^0 and (-1)^inf, where C gives 1);
//   - math.sin, math.cos (f32): arguments reduced to [-pi/4, pi/4] (Cody-Waite,
//     from 2^13 on exactly: Payne-Hanek), then polynomials (GLSL's Sin and Cos
//     are defined on [-pi, pi] only, and their accuracy differs by driver);
//   - arith.remf: C's fmod, exact (SPIR-V's FRem divides, and rounds);
//   - math.log, math.log2 (f32): subnormal inputs scaled into the normal range
//     first (the polynomial approximations clamp them to 2^-126);
//   - arith.divf (f32): operands scaled so that the divisor lies in [2^-126,
//     2^126], where Vulkan bounds FDiv's error;
//   - math.sqrt (f32): the driver's root corrected to the IEEE (correctly
//     rounded) result by a Newton step with an exact residual;
//   - math.ipowi: square-and-multiply over the exponent's bits, with the
//     semantics convert-math-to-funcs gives the CPU (x^0 = 1; for a negative
//     exponent 1/x^-n truncated: 1 for x = 1, +-1 for x = -1, 0 otherwise, and
//     x = 0 divides by zero like the CPU's).
//   - accuracy: GLSL.std.450's exp, log, atan, asin, acos, tanh may be off by
//     many ulp (lavapipe's log by thousands, exp by ~60 for large |x|), so exp,
//     log, log2, log1p, expm1, atan, asin,
//     acos and tanh become MLIR's polynomial approximations (a few ulp), and
//     sinh, asinh, atanh, acosh and log10 are rewritten on expm1/log1p/log without the
//     cancellations of their textbook forms (math-expand-ops' versions lose up to
//     thousands of ulp near 0).
// The CPU lowers these to calls (libm, outlined functions), which kernels cannot
// make.
//
//===----------------------------------------------------------------------===//
#include "lowering/Passes.h"

#include "mlir/Dialect/Math/Transforms/Approximation.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

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

/// Scalar float arithmetic of type `t` at one insertion point, for the rewrites
/// below.
struct FloatOps {
  OpBuilder &b;
  Location l;
  Type t;
  Value cst(double v) const { return arith::ConstantOp::create(b, l, b.getFloatAttr(t, v)); }
  Value add(Value p, Value q) const { return arith::AddFOp::create(b, l, p, q); }
  Value sub(Value p, Value q) const { return arith::SubFOp::create(b, l, p, q); }
  Value mul(Value p, Value q) const { return arith::MulFOp::create(b, l, p, q); }
  Value div(Value p, Value q) const { return arith::DivFOp::create(b, l, p, q); }
  Value cmp(arith::CmpFPredicate p, Value u, Value v) const {
    return arith::CmpFOp::create(b, l, p, u, v);
  }
  Value sel(Value c, Value u, Value v) const { return arith::SelectOp::create(b, l, c, u, v); }
};

Value atan2(OpBuilder &b, Location l, Value y, Value x) {
  Type t = x.getType();
  FloatOps f{b, l, t};
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
  Value piY = copysign(f.cst(pi), y);
  r = f.sel(f.cmp(arith::CmpFPredicate::OLT, x, f.cst(0.0)), arith::AddFOp::create(b, l, r, piY), r);
  // y = +-0: +-0 for x >= +0, +-pi for x <= -0.
  r = f.sel(f.cmp(arith::CmpFPredicate::OEQ, y, f.cst(0.0)), f.sel(xNeg, piY, copysign(f.cst(0.0), y)),
          r);
  // Both infinite: +-pi/4 or +-3pi/4.
  Value inf = f.cst(std::numeric_limits<double>::infinity());
  Value bothInf = arith::AndIOp::create(
      b, l, f.cmp(arith::CmpFPredicate::OEQ, math::AbsFOp::create(b, l, x), inf),
      f.cmp(arith::CmpFPredicate::OEQ, math::AbsFOp::create(b, l, y), inf));
  r = f.sel(bothInf, copysign(f.sel(xNeg, f.cst(3 * pi / 4), f.cst(pi / 4)), y), r);
  // x = +-0, y != 0: +-pi/2 (y / x is +-inf already, atan gives it; kept explicit
  // for GPUs whose division by zero is not IEEE).
  Value yNonZero = f.cmp(arith::CmpFPredicate::ONE, y, f.cst(0.0));
  r = f.sel(arith::AndIOp::create(b, l, f.cmp(arith::CmpFPredicate::OEQ, x, f.cst(0.0)), yNonZero),
          copysign(f.cst(pi / 2), y), r);
  // The result has y's sign (Vulkan's atan may drop the sign of -0), NaN in
  // gives NaN (Vulkan leaves atan(NaN) undefined).
  r = copysign(r, y);
  Value nan = arith::OrIOp::create(b, l, f.cmp(arith::CmpFPredicate::UNO, x, x),
                                   f.cmp(arith::CmpFPredicate::UNO, y, y));
  return f.sel(nan, f.cst(std::numeric_limits<double>::quiet_NaN()), r);
}

/// C's (NumPy's) powf: exp(y log|x|), negated for a negative x and an odd
/// integer y, with C99's special cases: x^+-0 = 1 and 1^y = 1 (NaN included),
/// (-1)^+-inf = 1, NaN for a finite x < 0 and a non-integer y. Zeros and
/// infinities come out of exp and log (log 0 = -inf, exp -inf = 0).
Value powf(OpBuilder &b, Location l, Value x, Value y) {
  Type t = x.getType();
  FloatOps f{b, l, t};
  auto both = [&](Value p, Value q) -> Value { return arith::AndIOp::create(b, l, p, q); };
  using P = arith::CmpFPredicate;
  const double inf = std::numeric_limits<double>::infinity();
  Value ax = math::AbsFOp::create(b, l, x);
  Value r = math::ExpOp::create(
      b, l, arith::MulFOp::create(b, l, y, math::LogOp::create(b, l, ax)));
  // Integers (infinities count as even ones; NaN as no integer); y/2 is exact.
  Value yFloor = math::FloorOp::create(b, l, y);
  Value half = arith::MulFOp::create(b, l, y, f.cst(0.5));
  Value odd = both(f.cmp(P::OEQ, yFloor, y),
                   f.cmp(P::ONE, math::FloorOp::create(b, l, half), half));
  r = f.sel(odd, math::CopySignOp::create(b, l, r, x), r);
  Value negFinite = both(f.cmp(P::OLT, x, f.cst(0.0)), f.cmp(P::OGT, x, f.cst(-inf)));
  Value nan = f.cst(std::numeric_limits<double>::quiet_NaN());
  r = f.sel(both(negFinite, f.cmp(P::UNE, yFloor, y)), nan, r);
  r = f.sel(f.cmp(P::UNO, x, y), nan, r);
  r = f.sel(both(f.cmp(P::OEQ, ax, f.cst(1.0)), f.cmp(P::OEQ, math::AbsFOp::create(b, l, y), f.cst(inf))),
          f.cst(1.0), r);
  return f.sel(arith::OrIOp::create(b, l, f.cmp(P::OEQ, x, f.cst(1.0)), f.cmp(P::OEQ, y, f.cst(0.0))),
             f.cst(1.0), r);
}

/// C's fmod (arith.remf). SPIR-V's FRem is x - y * trunc(x / y): NaN for an
/// infinite y, and wrong wherever x / y rounds or overflows. Exact instead: |y|
/// doubled while it stays <= |x|, then the halvings subtracted back down (each
/// subtraction t <= r < 2t is exact), with x's sign; as many iterations as the
/// exponents of x and y differ by.
Value fmod(OpBuilder &b, Location l, Value x, Value y) {
  Type t = x.getType();
  if (t.getIntOrFloatBitWidth() < 32) {
    // In f32 (exactly: the remainder of two halves is a half): loops carrying
    // f16/bf16 values would not survive arith-emulate-unsupported-floats.
    Type f32 = b.getF32Type();
    Value r = fmod(b, l, arith::ExtFOp::create(b, l, f32, x), arith::ExtFOp::create(b, l, f32, y));
    return arith::TruncFOp::create(b, l, t, r);
  }
  auto cst = [&](double v) -> Value {
    return arith::ConstantOp::create(b, l, b.getFloatAttr(t, v));
  };
  auto cmp = [&](OpBuilder &ob, arith::CmpFPredicate p, Value a, Value c) -> Value {
    return arith::CmpFOp::create(ob, l, p, a, c);
  };
  auto sel = [&](Value c, Value a, Value d) -> Value {
    return arith::SelectOp::create(b, l, c, a, d);
  };
  auto any = [&](Value p, Value q) -> Value { return arith::OrIOp::create(b, l, p, q); };
  using P = arith::CmpFPredicate;
  const double inf = std::numeric_limits<double>::infinity();
  Value ax = math::AbsFOp::create(b, l, x), ay = math::AbsFOp::create(b, l, y);
  // NaN for y = 0, an infinite x or a NaN; x for an infinite y. The loops then
  // run on 0 mod 1.
  Value nanCase = any(cmp(b, P::OEQ, ay, cst(0.0)),
                      any(cmp(b, P::OEQ, ax, cst(inf)), cmp(b, P::UNO, x, y)));
  Value keepX = cmp(b, P::OEQ, ay, cst(inf));
  Value trivial = any(nanCase, keepX);
  Value r0 = sel(trivial, cst(0.0), ax), d = sel(trivial, cst(1.0), ay);
  auto climb = scf::WhileOp::create(
      b, l, TypeRange{t}, ValueRange{d},
      [&](OpBuilder &ob, Location ol, ValueRange it) {
        Value twice = arith::MulFOp::create(ob, ol, it[0], cst(2.0));
        scf::ConditionOp::create(ob, ol, cmp(ob, P::OLE, twice, r0), it);
      },
      [&](OpBuilder &ob, Location ol, ValueRange it) {
        scf::YieldOp::create(ob, ol, ValueRange{arith::MulFOp::create(ob, ol, it[0], cst(2.0))});
      });
  auto descend = scf::WhileOp::create(
      b, l, TypeRange{t, t}, ValueRange{climb.getResult(0), r0},
      [&](OpBuilder &ob, Location ol, ValueRange it) {
        scf::ConditionOp::create(ob, ol, cmp(ob, P::OGE, it[0], d), it);
      },
      [&](OpBuilder &ob, Location ol, ValueRange it) {
        Value step = it[0], r = it[1];
        Value next = arith::SelectOp::create(ob, ol, cmp(ob, P::OGE, r, step),
                                             arith::SubFOp::create(ob, ol, r, step), r);
        scf::YieldOp::create(
            ob, ol, ValueRange{arith::MulFOp::create(ob, ol, step, cst(0.5)), next});
      });
  Value r = math::CopySignOp::create(b, l, descend.getResult(1), x);
  r = sel(keepX, x, r);
  return sel(nanCase, cst(std::numeric_limits<double>::quiet_NaN()), r);
}

/// sin or cos of f32 `x` with no GLSL Sin/Cos: those are defined on [-pi, pi]
/// only, and drivers differ (lavapipe's lose all accuracy past ~1e5: sin(3.4e38)
/// gave -1, not -0.244; the H100's were 7e-5 off at a few thousand, and its tan
/// 17 ulp off). |x| is reduced to r in [-pi/4, pi/4] and a quadrant q:
///   - below 2^13, Cody-Waite: k = round(|x| 2/pi), r = |x| - k pi/2 with pi/2 in
///     three parts whose products with k are exact;
///   - from 2^13 on, exactly (Payne-Hanek): x = m 2^e (m: 24 bits) times 96 bits
///     of 2/pi from bit e - 1 on, in 64-bit integer arithmetic, gives |x| 2/pi
///     mod 4: the quadrant and a 62-bit fraction, times pi/2;
/// then sin r and cos r are minimax polynomials on [-pi/4, pi/4] (Cephes'
/// sinf/cosf coefficients, within 2 ulp).
Value reducedTrig(OpBuilder &b, Location l, bool isSin, Value x) {
  Type f32 = b.getF32Type(), i32 = b.getI32Type(), i64 = b.getI64Type();
  auto c32 = [&](int64_t v) -> Value {
    return arith::ConstantOp::create(b, l, b.getIntegerAttr(i32, v));
  };
  auto c64 = [&](uint64_t v) -> Value {
    return arith::ConstantOp::create(b, l, b.getIntegerAttr(i64, APInt(64, v)));
  };
  auto cf = [&](double v) -> Value {
    return arith::ConstantOp::create(b, l, b.getFloatAttr(f32, v));
  };
  auto shl = [&](Value v, Value n) -> Value { return arith::ShLIOp::create(b, l, v, n); };
  auto shr = [&](Value v, Value n) -> Value { return arith::ShRUIOp::create(b, l, v, n); };
  auto bor = [&](Value v, Value w) -> Value { return arith::OrIOp::create(b, l, v, w); };
  auto add = [&](Value v, Value w) -> Value { return arith::AddIOp::create(b, l, v, w); };
  auto mul = [&](Value v, Value w) -> Value { return arith::MulIOp::create(b, l, v, w); };
  auto sel = [&](Value c, Value v, Value w) -> Value {
    return arith::SelectOp::create(b, l, c, v, w);
  };
  auto eq = [&](Value v, Value w) -> Value {
    return arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, v, w);
  };
  auto zext = [&](Value v) -> Value { return arith::ExtUIOp::create(b, l, i64, v); };
  // Bits 1-224 of 2/pi after a zero word (windows start up to 11 bits before
  // the binary point for |x| >= 2^13).
  static const uint64_t table[] = {0,          0xa2f9836e, 0x4e441529, 0xfc2757d1,
                                   0xf534ddc0, 0xdb629599, 0x3c439041, 0xfe5163ab};
  auto word = [&](Value i) {
    Value r = c64(table[7]);
    for (int k = 6; k >= 0; --k)
      r = sel(eq(i, c32(k)), c64(table[k]), r);
    return r;
  };
  Value ax = math::AbsFOp::create(b, l, x);
  Value bits = arith::BitcastOp::create(b, l, i32, ax);
  Value m = zext(bor(arith::AndIOp::create(b, l, bits, c32(0x7fffff)), c32(0x800000)));
  // The window starts at bit e - 1 of 2/pi (e = biased exponent - 150), that is
  // at bit (biased exponent - 120) of the table counted from 0.
  Value t = arith::SubIOp::create(b, l, shr(bits, c32(23)), c32(120));
  Value w = shr(t, c32(5));
  Value s = zext(arith::AndIOp::create(b, l, t, c32(31)));
  Value hiA = bor(shl(word(w), c64(32)), word(add(w, c32(1))));
  Value hiB = bor(shl(word(add(w, c32(2))), c64(32)), word(add(w, c32(3))));
  Value wh = bor(shl(hiA, s), sel(eq(s, c64(0)), c64(0),
                                  shr(hiB, arith::SubIOp::create(b, l, c64(64), s))));
  Value wl = shr(shl(hiB, s), c64(32));
  // (m * window) mod 2^96, its top 64 bits: 2 bits of quadrant, 62 of fraction.
  Value lo = mul(m, wl);
  Value hi = add(mul(m, wh), shr(lo, c64(32)));
  Value q = arith::TruncIOp::create(b, l, i32, shr(hi, c64(62)));
  Value frac = shl(hi, c64(2));
  // A fraction >= 1/2 (negative as a signed number) is the next quadrant's.
  Value up = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, frac, c64(0));
  q = arith::AndIOp::create(b, l, add(q, arith::ExtUIOp::create(b, l, i32, up)), c32(3));
  Value rLarge = arith::MulFOp::create(b, l, arith::SIToFPOp::create(b, l, f32, frac),
                                       cf(1.5707963267948966 * 0x1p-64));
  // Cody-Waite below 2^13 (k < 2^13: each k * part is exact).
  auto fmul = [&](Value v, Value w) -> Value { return arith::MulFOp::create(b, l, v, w); };
  auto fsub = [&](Value v, Value w) -> Value { return arith::SubFOp::create(b, l, v, w); };
  auto fadd = [&](Value v, Value w) -> Value { return arith::AddFOp::create(b, l, v, w); };
  Value kf = math::FloorOp::create(b, l, fadd(fmul(ax, cf(0.63661977236758134)), cf(0.5)));
  Value rSmall = fsub(fsub(fsub(ax, fmul(kf, cf(1.5703125))), fmul(kf, cf(4.837512969970703125e-4))),
                      fmul(kf, cf(7.54978995489188216e-8)));
  Value qSmall = arith::AndIOp::create(b, l, arith::FPToSIOp::create(b, l, i32, kf), c32(3));
  Value large = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, ax, cf(8192.0));
  Value r = sel(large, rLarge, rSmall);
  q = sel(large, q, qSmall);
  // sin r = r + r^3 P(r^2), cos r = 1 - r^2/2 + r^4 Q(r^2) on [-pi/4, pi/4].
  Value z = fmul(r, r);
  Value sp = fadd(fmul(fadd(fmul(cf(-1.9515295891e-4), z), cf(8.3321608736e-3)), z),
                  cf(-1.6666654611e-1));
  Value sr = fadd(r, fmul(fmul(z, r), sp));
  Value cq = fadd(fmul(fadd(fmul(cf(2.443315711809948e-5), z), cf(-1.388731625493765e-3)), z),
                  cf(4.166664568298827e-2));
  Value cr = fadd(fsub(cf(1.0), fmul(cf(0.5), z)), fmul(fmul(z, z), cq));
  Value nsr = arith::NegFOp::create(b, l, sr), ncr = arith::NegFOp::create(b, l, cr);
  // sin: s, c, -s, -c by quadrant, negated for x < 0; cos: c, -s, -c, s.
  SmallVector<Value> byQuadrant = isSin ? SmallVector<Value>{sr, cr, nsr, ncr}
                                        : SmallVector<Value>{cr, nsr, ncr, sr};
  Value v = byQuadrant[3];
  for (int k = 2; k >= 0; --k)
    v = sel(eq(q, c32(k)), byQuadrant[k], v);
  if (isSin) // odd: negated where x's sign bit is set (-0 included)
    v = sel(arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt,
                                  arith::BitcastOp::create(b, l, i32, x), c32(0)),
            arith::NegFOp::create(b, l, v), v);
  // inf and NaN give NaN.
  Value finite = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, ax,
                                       cf(std::numeric_limits<double>::infinity()));
  return sel(finite, v, cf(std::numeric_limits<double>::quiet_NaN()));
}

/// log and log2 of f32 `x` where subnormals are scaled by 2^23 first: the
/// polynomial approximations read x's exponent field and clamp x to the
/// smallest normal float (log(1e-45) came out as log(2^-126) = -87.3, not -103.3).
Value subnormalSafeLog(OpBuilder &b, Location l, Operation *op, Value x) {
  Type t = x.getType();
  auto cst = [&](double v) -> Value {
    return arith::ConstantOp::create(b, l, b.getFloatAttr(t, v));
  };
  // Zero and negative x take the scaled path too: log 0 = -inf, log(x < 0) = NaN.
  Value sub = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, x,
                                    cst(std::numeric_limits<float>::min()));
  Value xs = arith::SelectOp::create(b, l, sub, arith::MulFOp::create(b, l, x, cst(0x1p23)), x);
  Value r = isa<math::LogOp>(op) ? math::LogOp::create(b, l, xs).getResult()
                                 : math::Log2Op::create(b, l, xs).getResult();
  double shift = isa<math::LogOp>(op) ? 23 * 0.69314718055994530942 : 23.0;
  return arith::SelectOp::create(b, l, sub, arith::SubFOp::create(b, l, r, cst(shift)), r);
}

/// sqrt of f32 `x`, correctly rounded as IEEE (and the CPU) has it: Vulkan lets a
/// driver's sqrt be ulps off (the H100's was 1 ulp off at 45275.195). One Newton
/// step on the driver's root y with the exact residual x - y*y (Dekker's product,
/// exact without an FMA since the kernel's float ops are NoContraction) rounds it
/// right; x below 2^-96 is scaled by 2^64 first so that y*y's low part does not
/// underflow. Zero, inf, NaN and negative x keep the driver's (exact) result.
Value roundedSqrt(OpBuilder &b, Location l, Value x) {
  Type t = x.getType();
  FloatOps f{b, l, t};
  Value tiny = f.cmp(arith::CmpFPredicate::OLT, math::AbsFOp::create(b, l, x), f.cst(0x1p-96));
  Value xs = f.sel(tiny, f.mul(x, f.cst(0x1p64)), x);
  Value y = math::SqrtOp::create(b, l, xs);
  Value c = f.mul(y, f.cst(4097.0));
  Value hi = f.sub(c, f.sub(c, y)), lo = f.sub(y, hi);
  Value p = f.mul(y, y);
  Value e = f.add(f.add(f.sub(f.mul(hi, hi), p), f.add(f.mul(hi, lo), f.mul(hi, lo))), f.mul(lo, lo));
  Value r = f.sub(f.sub(xs, p), e);
  Value corrected = f.add(y, arith::DivFOp::create(b, l, r, f.add(y, y)));
  Value finite = arith::AndIOp::create(b, l, f.cmp(arith::CmpFPredicate::OGT, xs, f.cst(0)),
                                       f.cmp(arith::CmpFPredicate::OLT, xs, f.cst(INFINITY)));
  Value result = f.sel(finite, corrected, y);
  return f.sel(tiny, f.mul(result, f.cst(0x1p-32)), result);
}

/// f32 x / y with both scaled by a power of two that brings y into [2^-126, 2^126]:
/// Vulkan bounds FDiv's error only for such y, and the H100's driver divides as
/// x * (1 / y), so inf / 3.4e38 came out NaN (1 / y flushed to 0). The scaling is
/// exact but where x is so small that the quotient underflows anyway.
Value rangedDiv(OpBuilder &b, Location l, Value x, Value y) {
  FloatOps f{b, l, x.getType()};
  Value ay = math::AbsFOp::create(b, l, y);
  Value scale = f.sel(f.cmp(arith::CmpFPredicate::OGT, ay, f.cst(0x1p126)), f.cst(0x1p-2),
                      f.sel(f.cmp(arith::CmpFPredicate::OLT, ay, f.cst(0x1p-126)), f.cst(0x1p24),
                            f.cst(1.0)));
  return f.div(f.mul(x, scale), f.mul(y, scale));
}

/// sinh, asinh, atanh, acosh and log10 of f32 `x` on expm1/log1p/log.
Value accurateUnary(OpBuilder &b, Location l, Operation *op, Value x) {
  Type t = x.getType();
  FloatOps f{b, l, t};
  auto lt = [&](Value p, double c) -> Value {
    return arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, p, f.cst(c));
  };
  const double ln2 = 0.69314718055994530942;
  Value a = math::AbsFOp::create(b, l, x);
  Value r;
  if (isa<math::SinhOp>(op)) {
    // |x| < 1: (t + t / (t + 1)) / 2 with t = expm1|x|; else e^|x|/2 - e^-|x|/2.
    Value t1 = math::ExpM1Op::create(b, l, a);
    Value small = f.mul(f.cst(0.5), f.add(t1, f.div(t1, f.add(t1, f.cst(1.0)))));
    // e^|x| / 2, through e^(|x| - log 2) only where e^|x| overflows (the
    // subtraction rounds |x|: ~|x| * 2^-24 relative error).
    Value h = f.sel(lt(a, 88.0), f.mul(math::ExpOp::create(b, l, a), f.cst(0.5)),
                  math::ExpOp::create(b, l, f.sub(a, f.cst(ln2))));
    r = f.sel(lt(a, 1.0), small, f.sub(h, f.div(f.cst(0.25), h)));
  } else if (isa<math::AsinhOp>(op)) {
    // log1p(|x| + x^2 / (1 + sqrt(1 + x^2))); log|x| + log 2 where x^2 overflows.
    Value a2 = f.mul(a, a);
    Value q = f.add(a, f.div(a2, f.add(f.cst(1.0), math::SqrtOp::create(b, l, f.add(f.cst(1.0), a2)))));
    r = f.sel(lt(a, 1e18), math::Log1pOp::create(b, l, q),
            f.add(math::LogOp::create(b, l, a), f.cst(ln2)));
  } else if (isa<math::AtanhOp>(op)) {
    // log1p(2|x| / (1 - |x|)) / 2
    r = f.mul(f.cst(0.5), math::Log1pOp::create(b, l, f.div(f.add(a, a), f.sub(f.cst(1.0), a))));
  } else if (isa<math::AcoshOp>(op)) {
    // log1p(t + sqrt(2t + t^2)), t = x - 1 (exact near 1); log x + log 2 where
    // t^2 overflows.
    Value t1 = f.sub(x, f.cst(1.0));
    Value q = f.add(t1, math::SqrtOp::create(b, l, f.add(f.add(t1, t1), f.mul(t1, t1))));
    return f.sel(lt(x, 1e18), math::Log1pOp::create(b, l, q),
               f.add(math::LogOp::create(b, l, x), f.cst(ln2)));
  } else {
    return f.mul(math::LogOp::create(b, l, x), f.cst(0.43429448190325182765));  // log10
  }
  return math::CopySignOp::create(b, l, r, x);
}

/// Replaces every `OpT` under `root` by what `expand(builder, op)` builds; a null
/// value (after `expand` reported an error on the op) stops with failure.
template <typename OpT, typename Fn>
LogicalResult expandAll(Operation *root, Fn expand) {
  SmallVector<OpT> ops;
  root->walk([&](OpT op) { ops.push_back(op); });
  for (OpT op : ops) {
    OpBuilder b(op);
    Value r = expand(b, op);
    if (!r)
      return failure();
    op->getResult(0).replaceAllUsesWith(r);
    op->erase();
  }
  return success();
}

/// Replaces every `OpT` of f32 result under `root` by what `expand(builder, op)`
/// builds (the ops `expand` creates are not visited).
template <typename OpT, typename Fn>
void expandF32(Operation *root, Fn expand) {
  SmallVector<OpT> ops;
  root->walk([&](OpT op) {
    if (op->getResult(0).getType().isF32())
      ops.push_back(op);
  });
  for (OpT op : ops) {
    OpBuilder b(op);
    op->getResult(0).replaceAllUsesWith(expand(b, op));
    op->erase();
  }
}

struct GPUMathPass : array::impl::GPUMathBase<GPUMathPass> {
  void runOnOperation() override {
    if (failed(expandAll<math::IPowIOp>(getOperation(), [](OpBuilder &b, math::IPowIOp p) {
          if (!p.getType().isSignlessInteger()) {
            p.emitOpError("only scalar integer powers run on the GPU");
            return Value();
          }
          return ipowi(b, p.getLoc(), p.getLhs(), p.getRhs());
        })))
      return signalPassFailure();
    SmallVector<Operation *> intOps;
    getOperation()->walk([&](Operation *op) {
      if (isa<math::AbsIOp>(op) ||
          (isa<arith::MaxSIOp, arith::MinSIOp, arith::MaxUIOp, arith::MinUIOp>(op) &&
           op->getResult(0).getType().isInteger() &&
           op->getResult(0).getType().getIntOrFloatBitWidth() < 32))
        intOps.push_back(op);
    });
    for (Operation *op : intOps) {
      OpBuilder b(op);
      Location l = op->getLoc();
      Value x = op->getOperand(0), r;
      if (isa<math::AbsIOp>(op)) {
        Value zero = arith::ConstantOp::create(b, l, b.getIntegerAttr(x.getType(), 0));
        Value neg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, x, zero);
        r = arith::SelectOp::create(b, l, neg, arith::SubIOp::create(b, l, zero, x), x);
      } else {
        Value y = op->getOperand(1);
        auto pred = isa<arith::MaxSIOp>(op)   ? arith::CmpIPredicate::sgt
                    : isa<arith::MinSIOp>(op) ? arith::CmpIPredicate::slt
                    : isa<arith::MaxUIOp>(op) ? arith::CmpIPredicate::ugt
                                              : arith::CmpIPredicate::ult;
        r = arith::SelectOp::create(b, l, arith::CmpIOp::create(b, l, pred, x, y), x, y);
      }
      op->getResult(0).replaceAllUsesWith(r);
      op->erase();
    }
    SmallVector<Operation *> unary;
    getOperation()->walk([&](Operation *op) {
      if (isa<math::SinhOp, math::AsinhOp, math::AtanhOp, math::AcoshOp, math::Log10Op>(op) &&
          op->getResult(0).getType().isF32())
        unary.push_back(op);
    });
    for (Operation *op : unary) {
      OpBuilder b(op);
      op->getResult(0).replaceAllUsesWith(
          accurateUnary(b, op->getLoc(), op, op->getOperand(0)));
      op->erase();
    }
    if (failed(expandAll<math::Atan2Op>(getOperation(), [](OpBuilder &b, math::Atan2Op a) {
          return atan2(b, a.getLoc(), a.getLhs(), a.getRhs());
        })) ||
        failed(expandAll<math::ErfOp>(getOperation(), [](OpBuilder &b, math::ErfOp e) {
          if (!e.getType().isF32()) {
            e.emitOpError("erf runs on the GPU in f32 only (widen narrower types first)");
            return Value();
          }
          return erf(b, e.getLoc(), e.getOperand());
        })))
      return signalPassFailure();
    if (failed(expandAll<math::PowFOp>(getOperation(), [](OpBuilder &b, math::PowFOp p) {
          return powf(b, p.getLoc(), p.getLhs(), p.getRhs());
        })) ||
        failed(expandAll<arith::RemFOp>(getOperation(), [](OpBuilder &b, arith::RemFOp r) {
          return fmod(b, r.getLoc(), r.getLhs(), r.getRhs());
        })))
      return signalPassFailure();
    expandF32<math::SinOp>(getOperation(), [](OpBuilder &b, math::SinOp op) {
      return reducedTrig(b, op.getLoc(), /*isSin=*/true, op.getOperand());
    });
    expandF32<math::CosOp>(getOperation(), [](OpBuilder &b, math::CosOp op) {
      return reducedTrig(b, op.getLoc(), /*isSin=*/false, op.getOperand());
    });
    expandF32<arith::DivFOp>(getOperation(), [](OpBuilder &b, arith::DivFOp op) {
      return rangedDiv(b, op.getLoc(), op.getLhs(), op.getRhs());
    });
    expandF32<math::SqrtOp>(getOperation(), [](OpBuilder &b, math::SqrtOp op) {
      return roundedSqrt(b, op.getLoc(), op.getOperand());
    });
    expandF32<math::LogOp>(getOperation(), [](OpBuilder &b, math::LogOp op) {
      return subnormalSafeLog(b, op.getLoc(), op, op.getOperand());
    });
    expandF32<math::Log2Op>(getOperation(), [](OpBuilder &b, math::Log2Op op) {
      return subnormalSafeLog(b, op.getLoc(), op, op.getOperand());
    });
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, [](StringRef name) {
      return llvm::is_contained({"math.exp", "math.log", "math.log2", "math.log1p", "math.expm1",
                                 "math.atan", "math.asin", "math.acos", "math.tanh"},
                                name);
    });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
