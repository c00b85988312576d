//===- ArrayToLinalg.cpp - convert-array-to-linalg ------------------------===//
//
// Lowers every non-transform `array` op to linalg on tensors (named ops where one
// fits, generics otherwise), tensor ops, and scf loops for scans and scatters.
// Sorting is a bitonic network of data-parallel stages (stable: ties break on the
// original index), so the same lowering serves CPUs and GPUs.
//
// Unsigned dtypes become signless integers; the original element type of each op
// decides between signed and unsigned arithmetic.
//
//===----------------------------------------------------------------------===//
#include "dialect/ArrayOps.h"
#include "lowering/Passes.h"

#include <complex>

#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

namespace mlir::array {
#define GEN_PASS_DEF_CONVERTARRAYTOLINALG
#include "lowering/Passes.h.inc"
} // namespace mlir::array

using namespace mlir;
using namespace mlir::array;

namespace {

//===----------------------------------------------------------------------===//
// Types and small builders
//===----------------------------------------------------------------------===//

Type signless(Type t) {
  if (auto it = dyn_cast<IntegerType>(t); it && !it.isSignless())
    return IntegerType::get(t.getContext(), it.getWidth());
  return t;
}

/// The in-memory element type: signless, and bool as i8 (one byte, as NumPy;
/// LLVM's memref lowering also cannot store i1).
Type storageType(Type t) {
  if (t.isInteger(1))
    return IntegerType::get(t.getContext(), 8);
  return signless(t);
}

class ArrayTypeConverter : public TypeConverter {
public:
  ArrayTypeConverter() {
    addConversion([](Type t) { return signless(t); });
    addConversion([](RankedTensorType t) -> Type {
      return RankedTensorType::get(t.getShape(), storageType(t.getElementType()));
    });
    auto cast = [](OpBuilder &b, Type type, ValueRange inputs, Location loc) -> Value {
      return UnrealizedConversionCastOp::create(b, loc, type, inputs).getResult(0);
    };
    addSourceMaterialization(cast);
    addTargetMaterialization(cast);
  }
};

RankedTensorType tensorType(Value v) { return cast<RankedTensorType>(v.getType()); }
Type elementOf(Value v) { return tensorType(v).getElementType(); }
bool isUnsignedInt(Type t) { return t.isUnsignedInteger(); }
bool isBool(Type t) { return t.isInteger(1); }
bool isFloat(Type t) { return isa<FloatType>(t); }

Value emptyTensor(OpBuilder &b, Location loc, ArrayRef<int64_t> shape, Type element) {
  return tensor::EmptyOp::create(b, loc, shape, element);
}

SmallVector<utils::IteratorType> parallel(int64_t n) {
  return SmallVector<utils::IteratorType>(n, utils::IteratorType::parallel);
}

/// A typed scalar constant; `value` is converted to the element type.
Value scalarConst(OpBuilder &b, Location loc, Type t, double value) {
  if (auto ct = dyn_cast<ComplexType>(t)) {
    auto part = [&](double v) { return b.getFloatAttr(ct.getElementType(), v); };
    return complex::ConstantOp::create(b, loc, ct, b.getArrayAttr({part(value), part(0.0)}));
  }
  if (auto ft = dyn_cast<FloatType>(t))
    return arith::ConstantOp::create(b, loc, ft, b.getFloatAttr(ft, value));
  return arith::ConstantOp::create(
      b, loc, t, b.getIntegerAttr(t, static_cast<int64_t>(value)));
}

Value allOnes(OpBuilder &b, Location loc, Type t) {
  return arith::ConstantOp::create(
      b, loc, t, b.getIntegerAttr(t, APInt::getAllOnes(t.getIntOrFloatBitWidth())));
}

/// The lowest (or highest) value of a type: -inf/+inf for floats.
Value extremeConst(OpBuilder &b, Location loc, Type t, bool lowest, bool isUnsigned) {
  if (auto ft = dyn_cast<FloatType>(t))
    return arith::ConstantOp::create(
        b, loc, ft,
        b.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics(), /*Negative=*/lowest)));
  unsigned w = t.getIntOrFloatBitWidth();
  APInt v = isUnsigned || w == 1 ? (lowest ? APInt::getMinValue(w) : APInt::getMaxValue(w))
                                 : (lowest ? APInt::getSignedMinValue(w)
                                           : APInt::getSignedMaxValue(w));
  return arith::ConstantOp::create(b, loc, t, b.getIntegerAttr(t, v));
}

Value toIndex(OpBuilder &b, Location loc, Value v, bool isUnsigned) {
  if (isUnsigned)
    return arith::IndexCastUIOp::create(b, loc, b.getIndexType(), v);
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), v);
}

Value indexConst(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

Value clampIndex(OpBuilder &b, Location loc, Value v, int64_t lo, int64_t hi) {
  v = arith::MaxSIOp::create(b, loc, v, indexConst(b, loc, lo));
  return arith::MinSIOp::create(b, loc, v, indexConst(b, loc, hi));
}

/// A linalg.generic over the shape of `resultType` with identity maps for all
/// `inputs` (which share that shape) and a body from `body`.
Value elementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                  ValueRange inputs,
                  function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  int64_t rank = resultType.getRank();
  Value init = emptyTensor(b, loc, resultType.getShape(), resultType.getElementType());
  SmallVector<AffineMap> maps(inputs.size() + 1, b.getMultiDimIdentityMap(rank));
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs, ValueRange{init}, maps, parallel(rank),
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value r = body(nb, nloc, args.drop_back());
        linalg::YieldOp::create(nb, nloc, r);
      });
  return generic.getResult(0);
}

//===----------------------------------------------------------------------===//
// Scalar semantics of the elementwise ops
//===----------------------------------------------------------------------===//

/// erfinv by Giles' single-precision approximation refined with two Newton steps.
Value buildErfinv(OpBuilder &b, Location loc, Value x) {
  Type t = x.getType();
  Type f32 = b.getF32Type();
  Value xf = x;
  if (t.getIntOrFloatBitWidth() < 32)
    xf = arith::ExtFOp::create(b, loc, f32, x);
  else if (t.getIntOrFloatBitWidth() > 32)
    xf = arith::TruncFOp::create(b, loc, f32, x);
  auto c = [&](double v) { return scalarConst(b, loc, f32, v); };
  auto fma = [&](Value a, Value m, Value k) {
    return math::FmaOp::create(b, loc, a, m, k).getResult();
  };
  Value one = c(1.0);
  Value w = arith::NegFOp::create(
      b, loc,
      math::LogOp::create(b, loc,
                          arith::MulFOp::create(b, loc, arith::SubFOp::create(b, loc, one, xf),
                                                arith::AddFOp::create(b, loc, one, xf))));
  // Central region (w < 5).
  Value w1 = arith::SubFOp::create(b, loc, w, c(2.5));
  Value p1 = c(2.81022636e-08);
  for (double k : {3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
                   -0.00125372503, -0.00417768164, 0.246640727, 1.50140941})
    p1 = fma(p1, w1, c(k));
  // Tail region.
  Value w2 = arith::SubFOp::create(b, loc, math::SqrtOp::create(b, loc, w), c(3.0));
  Value p2 = c(-0.000200214257);
  for (double k : {0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
                   -0.0076224613, 0.00943887047, 1.00167406, 2.83297682})
    p2 = fma(p2, w2, c(k));
  Value central = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, w, c(5.0));
  Value p = arith::SelectOp::create(b, loc, central, p1, p2);
  Value y = arith::MulFOp::create(b, loc, p, xf);
  // Newton steps on erf(y) = x: y -= (erf(y) - x) / (2/sqrt(pi) exp(-y^2)), in f64
  // for f64 inputs so they get full precision.
  if (t.getIntOrFloatBitWidth() > 32) {
    f32 = t;
    y = arith::ExtFOp::create(b, loc, t, y);
    xf = x;
    one = c(1.0);
  }
  Value twoOverSqrtPi = c(1.1283791670955126);
  for (int i = 0; i < 2; ++i) {
    Value err = arith::SubFOp::create(b, loc, math::ErfOp::create(b, loc, y), xf);
    Value dy = arith::MulFOp::create(
        b, loc, twoOverSqrtPi,
        math::ExpOp::create(b, loc,
                            arith::NegFOp::create(b, loc, arith::MulFOp::create(b, loc, y, y))));
    Value step = arith::DivFOp::create(b, loc, err, dy);
    // Keep +-inf at |x| == 1 (the step is nan there).
    Value finite = arith::CmpFOp::create(
        b, loc, arith::CmpFPredicate::OLT, math::AbsFOp::create(b, loc, xf), one);
    y = arith::SelectOp::create(b, loc, finite, arith::SubFOp::create(b, loc, y, step), y);
  }
  // erfinv(+-1) = +-inf (the polynomial's tail gives the wrong sign there).
  Value edge = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                     math::AbsFOp::create(b, loc, xf), one);
  Value inf = math::CopySignOp::create(b, loc, c(INFINITY), xf);
  y = arith::SelectOp::create(b, loc, edge, inf, y);
  if (t == f32)
    return y;
  return arith::TruncFOp::create(b, loc, t, y);
}

/// log(1 + x), exact near 0 (LLVM's lowering of math.log1p computes log(1 + x)):
/// log(u) * x / (u - 1) with u = 1 + x.
Value accurateLog1p(OpBuilder &b, Location loc, Value x) {
  Type t = x.getType();
  Value one = scalarConst(b, loc, t, 1);
  Value u = arith::AddFOp::create(b, loc, one, x);
  Value um1 = arith::SubFOp::create(b, loc, u, one);
  Value logU = math::LogOp::create(b, loc, u);
  Value ratio =
      arith::DivFOp::create(b, loc, arith::MulFOp::create(b, loc, logU, x), um1);
  Value uIsOne = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, u, one);
  Value large = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT,
                                      math::AbsFOp::create(b, loc, x), scalarConst(b, loc, t, 0.5));
  Value r = arith::SelectOp::create(b, loc, large, logU, ratio);
  return arith::SelectOp::create(b, loc, uIsOne, x, r);
}

/// A unary op on a complex<f32> scalar: the complex dialect's ops where it has
/// them (convert-complex-to-standard expands them on both devices), otherwise
/// the textbook identities, written so that small |z| keeps its precision
/// (log1p forms) and odd functions are computed on the right half-plane.
FailureOr<Value> complexUnary(OpBuilder &b, Location loc, Operation *op, Value z) {
  auto ct = cast<ComplexType>(z.getType());
  Type ft = ct.getElementType();
  auto re = [&](Value v) -> Value { return complex::ReOp::create(b, loc, v); };
  auto im = [&](Value v) -> Value { return complex::ImOp::create(b, loc, v); };
  auto make = [&](Value r, Value i) -> Value { return complex::CreateOp::create(b, loc, ct, r, i); };
  auto c = [&](double r) { return scalarConst(b, loc, ct, r); };
  auto add = [&](Value x, Value y) -> Value { return complex::AddOp::create(b, loc, x, y); };
  auto sub = [&](Value x, Value y) -> Value { return complex::SubOp::create(b, loc, x, y); };
  auto mul = [&](Value x, Value y) -> Value { return complex::MulOp::create(b, loc, x, y); };
  auto div = [&](Value x, Value y) -> Value { return complex::DivOp::create(b, loc, x, y); };
  auto sqrt = [&](Value x) -> Value { return complex::SqrtOp::create(b, loc, x); };
  auto log1p = [&](Value x) -> Value { return complex::Log1pOp::create(b, loc, x); };
  auto scale = [&](Value x, double k) -> Value {
    Value f = arith::ConstantOp::create(b, loc, ft, b.getFloatAttr(ft, k));
    return make(arith::MulFOp::create(b, loc, re(x), f), arith::MulFOp::create(b, loc, im(x), f));
  };
  auto orParts = [&](function_ref<Value(Value)> pred) -> Value {
    return arith::OrIOp::create(b, loc, pred(re(z)), pred(im(z)));
  };
  // asinh(z) = log1p(z + z^2 / (1 + sqrt(1 + z^2))), on re(z) >= 0 (odd).
  auto asinh = [&](Value x) -> Value {
    Value neg = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, re(x),
                                      scalarConst(b, loc, ft, 0));
    Value w = make(arith::SelectOp::create(b, loc, neg, arith::NegFOp::create(b, loc, re(x)), re(x)),
                   arith::SelectOp::create(b, loc, neg, arith::NegFOp::create(b, loc, im(x)), im(x)));
    Value w2 = mul(w, w);
    Value r = log1p(add(w, div(w2, add(c(1), sqrt(add(c(1), w2))))));
    return arith::SelectOp::create(b, loc, neg, complex::NegOp::create(b, loc, r), r);
  };
  auto atanh = [&](Value x) -> Value {
    return scale(sub(log1p(x), log1p(complex::NegOp::create(b, loc, x))), 0.5);
  };
  auto timesI = [&](Value x) -> Value { return make(arith::NegFOp::create(b, loc, im(x)), re(x)); };
  auto timesMinusI = [&](Value x) -> Value { return make(im(x), arith::NegFOp::create(b, loc, re(x))); };
  auto sinhCosh = [&](bool sinh) -> Value {
    Value x = re(z), y = im(z);
    Value sh = math::SinhOp::create(b, loc, x), ch = math::CoshOp::create(b, loc, x);
    Value s = math::SinOp::create(b, loc, y), co = math::CosOp::create(b, loc, y);
    return sinh ? make(arith::MulFOp::create(b, loc, sh, co), arith::MulFOp::create(b, loc, ch, s))
                : make(arith::MulFOp::create(b, loc, ch, co), arith::MulFOp::create(b, loc, sh, s));
  };
  return TypeSwitch<Operation *, FailureOr<Value>>(op)
      .Case([&](NegativeOp) -> Value { return complex::NegOp::create(b, loc, z); })
      .Case([&](SquareOp) -> Value { return mul(z, z); })
      .Case([&](SignOp) -> Value { return complex::SignOp::create(b, loc, z); })
      .Case([&](ExpOp) -> Value { return complex::ExpOp::create(b, loc, z); })
      .Case([&](LogOp) -> Value { return complex::LogOp::create(b, loc, z); })
      .Case([&](Log1pOp) -> Value { return log1p(z); })
      .Case([&](Log2Op) -> Value { return scale(complex::LogOp::create(b, loc, z), 1 / M_LN2); })
      .Case([&](Log10Op) -> Value { return scale(complex::LogOp::create(b, loc, z), 1 / M_LN10); })
      .Case([&](SqrtOp) -> Value { return sqrt(z); })
      .Case([&](RsqrtOp) -> Value { return complex::RsqrtOp::create(b, loc, z); })
      .Case([&](ReciprocalOp) -> Value { return div(c(1), z); })
      .Case([&](SinOp) -> Value { return complex::SinOp::create(b, loc, z); })
      .Case([&](CosOp) -> Value { return complex::CosOp::create(b, loc, z); })
      .Case([&](TanOp) -> Value { return complex::TanOp::create(b, loc, z); })
      .Case([&](TanhOp) -> Value { return complex::TanhOp::create(b, loc, z); })
      .Case([&](SinhOp) -> Value { return sinhCosh(true); })
      .Case([&](CoshOp) -> Value { return sinhCosh(false); })
      .Case([&](ArcsinhOp) -> Value { return asinh(z); })
      .Case([&](ArctanhOp) -> Value { return atanh(z); })
      // asin(z) = -i asinh(iz), atan(z) = -i atanh(iz), acos(z) = pi/2 - asin(z).
      .Case([&](ArcsinOp) -> Value { return timesMinusI(asinh(timesI(z))); })
      .Case([&](ArctanOp) -> Value { return timesMinusI(atanh(timesI(z))); })
      .Case([&](ArccosOp) -> Value { return sub(c(M_PI / 2), timesMinusI(asinh(timesI(z)))); })
      // acosh(z) = log(z + sqrt(z + 1) sqrt(z - 1)) (the product keeps the branch cut).
      .Case([&](ArccoshOp) -> Value {
        return complex::LogOp::create(b, loc, add(z, mul(sqrt(add(z, c(1))), sqrt(sub(z, c(1))))));
      })
      .Case([&](RoundOp) -> Value {
        return make(math::RoundEvenOp::create(b, loc, re(z)), math::RoundEvenOp::create(b, loc, im(z)));
      })
      .Case([&](IsnanOp) -> Value {
        return orParts([&](Value v) -> Value {
          return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, v, v);
        });
      })
      .Case([&](IsinfOp) -> Value {
        Value inf = extremeConst(b, loc, ft, /*lowest=*/false, /*isUnsigned=*/false);
        return orParts([&](Value v) -> Value {
          return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                       math::AbsFOp::create(b, loc, v), inf);
        });
      })
      .Case([&](ConjugateOp) -> Value { return complex::ConjOp::create(b, loc, z); })
      .Case([&](ImagOp) -> Value { return im(z); })
      .Case([&](StopGradientOp) -> Value { return z; })
      .Default([&](Operation *) -> FailureOr<Value> {
        return op->emitOpError("cannot lower for element type ") << ct, failure();
      });
}

/// The scalar computation of a unary op on `x` (signless); `orig` is the original
/// element type (for signedness).
FailureOr<Value> scalarUnary(OpBuilder &b, Location loc, Operation *op, Type orig,
                             Value x) {
  Type t = x.getType();
  bool fl = isFloat(t), uns = isUnsignedInt(orig);
  auto unsupported = [&]() -> FailureOr<Value> {
    return op->emitOpError("cannot lower for element type ") << orig, failure();
  };
  if (isa<ComplexType>(t))
    return complexUnary(b, loc, op, x);
  return TypeSwitch<Operation *, FailureOr<Value>>(op)
      .Case([&](AbsOp) -> Value {
        if (fl)
          return math::AbsFOp::create(b, loc, x);
        if (uns || isBool(t))
          return x;
        return math::AbsIOp::create(b, loc, x);
      })
      .Case([&](NegativeOp) -> Value {
        if (fl)
          return arith::NegFOp::create(b, loc, x);
        return arith::SubIOp::create(b, loc, scalarConst(b, loc, t, 0), x);
      })
      .Case([&](SignOp) -> Value {
        Value zero = scalarConst(b, loc, t, 0), one = scalarConst(b, loc, t, 1);
        if (fl) {
          Value pos = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, zero);
          Value neg = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, zero);
          Value r = arith::SelectOp::create(b, loc, neg, scalarConst(b, loc, t, -1), x);
          return arith::SelectOp::create(b, loc, pos, one, r); // keeps 0, -0, NaN
        }
        if (uns)
          return arith::ExtUIOp::create(
              b, loc, t, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x, zero));
        Value pos = arith::ExtUIOp::create(
            b, loc, t, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, x, zero));
        Value neg = arith::ExtUIOp::create(
            b, loc, t, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, x, zero));
        return arith::SubIOp::create(b, loc, pos, neg);
      })
      .Case([&](SquareOp) -> Value {
        if (fl)
          return arith::MulFOp::create(b, loc, x, x);
        return arith::MulIOp::create(b, loc, x, x);
      })
      .Case([&](ExpOp) -> Value { return math::ExpOp::create(b, loc, x); })
      .Case([&](Expm1Op) -> Value {
        // Kahan: (u - 1) * x / log(u) with u = exp(x) keeps full precision near 0
        // (LLVM's lowering computes exp(x) - 1).
        Value one = scalarConst(b, loc, t, 1);
        Value u = math::ExpOp::create(b, loc, x);
        Value um1 = arith::SubFOp::create(b, loc, u, one);
        Value ratio = arith::DivFOp::create(b, loc, arith::MulFOp::create(b, loc, um1, x),
                                            math::LogOp::create(b, loc, u));
        Value uIsOne = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, u, one);
        // Where log(u) overflows or u - 1 is exact enough (|x| large), use u - 1.
        Value large = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT,
                                            math::AbsFOp::create(b, loc, x),
                                            scalarConst(b, loc, t, 0.5));
        Value r = arith::SelectOp::create(b, loc, large, um1, ratio);
        return arith::SelectOp::create(b, loc, uIsOne, x, r);
      })
      .Case([&](LogOp) -> Value { return math::LogOp::create(b, loc, x); })
      .Case([&](Log1pOp) -> Value { return accurateLog1p(b, loc, x); })
      .Case([&](Log2Op) -> Value { return math::Log2Op::create(b, loc, x); })
      .Case([&](Log10Op) -> Value { return math::Log10Op::create(b, loc, x); })
      .Case([&](SinOp) -> Value { return math::SinOp::create(b, loc, x); })
      .Case([&](CosOp) -> Value { return math::CosOp::create(b, loc, x); })
      .Case([&](TanOp) -> Value { return math::TanOp::create(b, loc, x); })
      .Case([&](ArcsinOp) -> Value { return math::AsinOp::create(b, loc, x); })
      .Case([&](ArccosOp) -> Value { return math::AcosOp::create(b, loc, x); })
      .Case([&](ArctanOp) -> Value { return math::AtanOp::create(b, loc, x); })
      .Case([&](SinhOp) -> Value { return math::SinhOp::create(b, loc, x); })
      .Case([&](CoshOp) -> Value { return math::CoshOp::create(b, loc, x); })
      .Case([&](TanhOp) -> Value { return math::TanhOp::create(b, loc, x); })
      .Case([&](ArcsinhOp) -> Value { return math::AsinhOp::create(b, loc, x); })
      .Case([&](ArccoshOp) -> Value { return math::AcoshOp::create(b, loc, x); })
      .Case([&](ArctanhOp) -> Value { return math::AtanhOp::create(b, loc, x); })
      .Case([&](SqrtOp) -> Value { return math::SqrtOp::create(b, loc, x); })
      .Case([&](RsqrtOp) -> Value { return math::RsqrtOp::create(b, loc, x); })
      .Case([&](ReciprocalOp) -> Value {
        return arith::DivFOp::create(b, loc, scalarConst(b, loc, t, 1), x);
      })
      .Case([&](FloorOp) -> Value { return math::FloorOp::create(b, loc, x); })
      .Case([&](CeilOp) -> Value { return math::CeilOp::create(b, loc, x); })
      .Case([&](RoundOp) -> Value { return math::RoundEvenOp::create(b, loc, x); })
      .Case([&](ErfOp) -> Value { return math::ErfOp::create(b, loc, x); })
      .Case([&](ErfinvOp) -> Value { return buildErfinv(b, loc, x); })
      .Case([&](SigmoidOp) -> Value {
        Value one = scalarConst(b, loc, t, 1);
        Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
        return arith::DivFOp::create(b, loc, one, arith::AddFOp::create(b, loc, one, e));
      })
      .Case([&](LogicalNotOp) -> Value {
        return arith::XOrIOp::create(b, loc, x, allOnes(b, loc, t));
      })
      .Case([&](BitwiseInvertOp) -> Value {
        return arith::XOrIOp::create(b, loc, x, allOnes(b, loc, t));
      })
      .Case([&](StopGradientOp) -> Value { return x; })
      .Case([&](IsnanOp) -> Value {
        if (!fl)
          return scalarConst(b, loc, b.getI1Type(), 0);
        return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, x, x);
      })
      .Case([&](IsinfOp) -> Value {
        if (!fl)
          return scalarConst(b, loc, b.getI1Type(), 0);
        Value inf = extremeConst(b, loc, t, /*lowest=*/false, false);
        return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                     math::AbsFOp::create(b, loc, x), inf);
      })
      .Default([&](Operation *) -> FailureOr<Value> { return unsupported(); });
}

/// Integer division guarded against the two cases that trap on hardware:
/// a zero divisor gives 0 (as NumPy does), INT_MIN / -1 wraps.
Value guardedIntDiv(OpBuilder &b, Location loc, Value lhs, Value rhs, bool uns,
                    function_ref<Value(Value, Value)> div) {
  Type t = lhs.getType();
  Value zero = scalarConst(b, loc, t, 0), one = scalarConst(b, loc, t, 1);
  Value isZero = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, rhs, zero);
  Value safe = arith::SelectOp::create(b, loc, isZero, one, rhs);
  if (!uns) {
    // INT_MIN / -1: divide by 1 and negate instead.
    Value minusOne = allOnes(b, loc, t);
    Value isMinusOne = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, safe, minusOne);
    safe = arith::SelectOp::create(b, loc, isMinusOne, one, safe);
    Value q = div(lhs, safe);
    Value negated = arith::SubIOp::create(b, loc, zero, q);
    q = arith::SelectOp::create(b, loc, isMinusOne, negated, q);
    return arith::SelectOp::create(b, loc, isZero, zero, q);
  }
  Value q = div(lhs, safe);
  return arith::SelectOp::create(b, loc, isZero, zero, q);
}

FailureOr<Value> scalarBinary(OpBuilder &b, Location loc, Operation *op, Type orig,
                              Value l, Value r) {
  Type t = l.getType();
  bool fl = isFloat(t), uns = isUnsignedInt(orig) || isBool(orig);
  auto unsupported = [&]() -> FailureOr<Value> {
    return op->emitOpError("cannot lower for element type ") << orig, failure();
  };
  if (isa<ComplexType>(t))
    return TypeSwitch<Operation *, FailureOr<Value>>(op)
        .Case([&](AddOp) -> Value { return complex::AddOp::create(b, loc, l, r); })
        .Case([&](SubtractOp) -> Value { return complex::SubOp::create(b, loc, l, r); })
        .Case([&](MultiplyOp) -> Value { return complex::MulOp::create(b, loc, l, r); })
        .Case([&](DivideOp) -> Value { return complex::DivOp::create(b, loc, l, r); })
        .Case([&](PowerOp) -> Value { return complex::PowOp::create(b, loc, l, r); })
        .Default([&](Operation *) -> FailureOr<Value> { return unsupported(); });
  unsigned width = fl ? 0 : t.getIntOrFloatBitWidth();
  return TypeSwitch<Operation *, FailureOr<Value>>(op)
      .Case([&](AddOp) -> Value {
        if (fl)
          return arith::AddFOp::create(b, loc, l, r);
        if (isBool(t))
          return arith::OrIOp::create(b, loc, l, r);
        return arith::AddIOp::create(b, loc, l, r);
      })
      .Case([&](SubtractOp) -> Value {
        if (fl)
          return arith::SubFOp::create(b, loc, l, r);
        return arith::SubIOp::create(b, loc, l, r);
      })
      .Case([&](MultiplyOp) -> Value {
        if (fl)
          return arith::MulFOp::create(b, loc, l, r);
        if (isBool(t))
          return arith::AndIOp::create(b, loc, l, r);
        return arith::MulIOp::create(b, loc, l, r);
      })
      .Case([&](DivideOp) -> Value {
        if (fl)
          return arith::DivFOp::create(b, loc, l, r);
        return guardedIntDiv(b, loc, l, r, uns, [&](Value x, Value y) -> Value {
          if (uns)
            return arith::DivUIOp::create(b, loc, x, y);
          return arith::DivSIOp::create(b, loc, x, y);
        });
      })
      .Case([&](FloorDivideOp) -> Value {
        if (fl)
          return math::FloorOp::create(b, loc, arith::DivFOp::create(b, loc, l, r));
        return guardedIntDiv(b, loc, l, r, uns, [&](Value x, Value y) -> Value {
          if (uns)
            return arith::DivUIOp::create(b, loc, x, y);
          return arith::FloorDivSIOp::create(b, loc, x, y);
        });
      })
      .Case([&](RemainderOp) -> Value {
        if (fl) {
          // fmod, then move into the divisor's sign as NumPy's mod does.
          Value m = arith::RemFOp::create(b, loc, l, r);
          Value zero = scalarConst(b, loc, t, 0);
          Value mNeg = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, m, zero);
          Value rNeg = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, r, zero);
          Value mNonZero = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::ONE, m, zero);
          Value fix = arith::AndIOp::create(
              b, loc, mNonZero, arith::XOrIOp::create(b, loc, mNeg, rNeg));
          return arith::SelectOp::create(b, loc, fix, arith::AddFOp::create(b, loc, m, r), m);
        }
        return guardedIntDiv(b, loc, l, r, uns, [&](Value x, Value y) -> Value {
          if (uns)
            return arith::RemUIOp::create(b, loc, x, y);
          Value m = arith::RemSIOp::create(b, loc, x, y);
          Value zero = scalarConst(b, loc, t, 0);
          Value mNeg = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, m, zero);
          Value yNeg = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, y, zero);
          Value mNonZero = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, m, zero);
          Value fix = arith::AndIOp::create(
              b, loc, mNonZero, arith::XOrIOp::create(b, loc, mNeg, yNeg));
          return arith::SelectOp::create(b, loc, fix, arith::AddIOp::create(b, loc, m, y), m);
        });
      })
      .Case([&](PowerOp) -> Value {
        if (fl)
          return math::PowFOp::create(b, loc, l, r);
        return math::IPowIOp::create(b, loc, l, r);
      })
      .Case([&](MaximumOp) -> Value {
        if (fl)
          return arith::MaximumFOp::create(b, loc, l, r);
        if (uns)
          return arith::MaxUIOp::create(b, loc, l, r);
        return arith::MaxSIOp::create(b, loc, l, r);
      })
      .Case([&](MinimumOp) -> Value {
        if (fl)
          return arith::MinimumFOp::create(b, loc, l, r);
        if (uns)
          return arith::MinUIOp::create(b, loc, l, r);
        return arith::MinSIOp::create(b, loc, l, r);
      })
      .Case([&](Arctan2Op) -> Value { return math::Atan2Op::create(b, loc, l, r); })
      .Case([&](LogaddexpOp) -> Value {
        // max + log1p(exp(-|l - r|)); l + r covers equal infinities and NaN.
        Value m = arith::MaximumFOp::create(b, loc, l, r);
        Value d = arith::SubFOp::create(b, loc, l, r);
        Value e = math::ExpOp::create(
            b, loc, arith::NegFOp::create(b, loc, math::AbsFOp::create(b, loc, d)));
        Value v = arith::AddFOp::create(b, loc, m, accurateLog1p(b, loc, e));
        Value dNan = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, d, d);
        return arith::SelectOp::create(b, loc, dNan, arith::AddFOp::create(b, loc, l, r), v);
      })
      .Case([&](LogicalAndOp) -> Value { return arith::AndIOp::create(b, loc, l, r); })
      .Case([&](LogicalOrOp) -> Value { return arith::OrIOp::create(b, loc, l, r); })
      .Case([&](BitwiseAndOp) -> Value { return arith::AndIOp::create(b, loc, l, r); })
      .Case([&](BitwiseOrOp) -> Value { return arith::OrIOp::create(b, loc, l, r); })
      .Case([&](BitwiseXorOp) -> Value { return arith::XOrIOp::create(b, loc, l, r); })
      .Case([&](LeftShiftOp) -> Value {
        // Shifts of the width or more (or negative) give 0, not poison.
        Value w = scalarConst(b, loc, t, width);
        Value big = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, r, w);
        Value safe = arith::SelectOp::create(b, loc, big, scalarConst(b, loc, t, 0), r);
        Value s = arith::ShLIOp::create(b, loc, l, safe);
        return arith::SelectOp::create(b, loc, big, scalarConst(b, loc, t, 0), s);
      })
      .Case([&](RightShiftOp) -> Value {
        Value w = scalarConst(b, loc, t, width);
        Value big = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, r, w);
        if (uns) {
          Value safe = arith::SelectOp::create(b, loc, big, scalarConst(b, loc, t, 0), r);
          Value s = arith::ShRUIOp::create(b, loc, l, safe);
          return arith::SelectOp::create(b, loc, big, scalarConst(b, loc, t, 0), s);
        }
        Value safe =
            arith::SelectOp::create(b, loc, big, scalarConst(b, loc, t, width - 1), r);
        return arith::ShRSIOp::create(b, loc, l, safe);
      })
      .Default([&](Operation *) -> FailureOr<Value> { return unsupported(); });
}

FailureOr<Value> scalarCompare(OpBuilder &b, Location loc, Operation *op, Type orig,
                               Value l, Value r) {
  Type t = l.getType();
  if (isa<ComplexType>(t)) {
    if (isa<EqualOp>(op))
      return complex::EqualOp::create(b, loc, l, r).getResult();
    if (isa<NotEqualOp>(op))
      return complex::NotEqualOp::create(b, loc, l, r).getResult();
    return op->emitOpError("complex numbers are not ordered"), failure();
  }
  bool uns = isUnsignedInt(orig) || isBool(orig);
  using FP = arith::CmpFPredicate;
  using IP = arith::CmpIPredicate;
  auto preds = TypeSwitch<Operation *, std::pair<FP, IP>>(op)
                   .Case([&](EqualOp) { return std::make_pair(FP::OEQ, IP::eq); })
                   .Case([&](NotEqualOp) { return std::make_pair(FP::UNE, IP::ne); })
                   .Case([&](LessOp) {
                     return std::make_pair(FP::OLT, uns ? IP::ult : IP::slt);
                   })
                   .Case([&](LessEqualOp) {
                     return std::make_pair(FP::OLE, uns ? IP::ule : IP::sle);
                   })
                   .Case([&](GreaterOp) {
                     return std::make_pair(FP::OGT, uns ? IP::ugt : IP::sgt);
                   })
                   .Case([&](GreaterEqualOp) {
                     return std::make_pair(FP::OGE, uns ? IP::uge : IP::sge);
                   })
                   .Default([](Operation *) -> std::pair<FP, IP> {
                     llvm_unreachable("not a comparison");
                   });
  if (isFloat(t))
    return arith::CmpFOp::create(b, loc, preds.first, l, r).getResult();
  return arith::CmpIOp::create(b, loc, preds.second, l, r).getResult();
}

/// astype: the scalar conversion from `from` (original type) to `to`.
Value scalarConvert(OpBuilder &b, Location loc, Value x, Type from, Type to) {
  Type src = x.getType(), dst = signless(to);
  if (src == dst)
    return x;
  if (auto cs = dyn_cast<ComplexType>(src); cs && !isa<ComplexType>(dst)) {
    // Complex to real: the real part (as NumPy's astype and MLX).
    Value re = complex::ReOp::create(b, loc, x);
    return scalarConvert(b, loc, re, cs.getElementType(), to);
  }
  if (auto ct = dyn_cast<ComplexType>(dst)) {
    // Real to complex: the real part, converted, and a zero imaginary part.
    Value re = scalarConvert(b, loc, x, from, ct.getElementType());
    Value zero = arith::ConstantOp::create(b, loc, ct.getElementType(),
                                           b.getFloatAttr(ct.getElementType(), 0.0));
    return complex::CreateOp::create(b, loc, ct, re, zero);
  }
  bool srcUns = isUnsignedInt(from) || isBool(from);
  if (isBool(dst)) {
    if (isFloat(src))
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, x,
                                   scalarConst(b, loc, src, 0));
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x,
                                 scalarConst(b, loc, src, 0));
  }
  if (isFloat(src) && isFloat(dst)) {
    if (src.getIntOrFloatBitWidth() < dst.getIntOrFloatBitWidth())
      return arith::ExtFOp::create(b, loc, dst, x);
    if (src.getIntOrFloatBitWidth() > dst.getIntOrFloatBitWidth())
      return arith::TruncFOp::create(b, loc, dst, x);
    // f16 <-> bf16: through f32.
    Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), x);
    return arith::TruncFOp::create(b, loc, dst, wide);
  }
  if (isFloat(src)) {
    if (isUnsignedInt(to))
      return arith::FPToUIOp::create(b, loc, dst, x);
    return arith::FPToSIOp::create(b, loc, dst, x);
  }
  if (isFloat(dst)) {
    if (srcUns)
      return arith::UIToFPOp::create(b, loc, dst, x);
    return arith::SIToFPOp::create(b, loc, dst, x);
  }
  unsigned sw = src.getIntOrFloatBitWidth(), dw = dst.getIntOrFloatBitWidth();
  if (sw > dw)
    return arith::TruncIOp::create(b, loc, dst, x);
  if (srcUns)
    return arith::ExtUIOp::create(b, loc, dst, x);
  return arith::ExtSIOp::create(b, loc, dst, x);
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

template <typename OpT>
struct ArrayPattern : OpConversionPattern<OpT> {
  using OpConversionPattern<OpT>::OpConversionPattern;
  using Adaptor = typename OpConversionPattern<OpT>::OpAdaptor;

  RankedTensorType convertedResult(OpT op, unsigned i = 0) const {
    return cast<RankedTensorType>(
        this->getTypeConverter()->convertType(op->getResult(i).getType()));
  }
};

/// Unary and binary elementwise ops, comparisons, select, convert, bitcast.
template <typename OpT>
struct ElementwisePattern : ArrayPattern<OpT> {
  using ArrayPattern<OpT>::ArrayPattern;
  LogicalResult matchAndRewrite(OpT op, typename ArrayPattern<OpT>::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Operation *raw = op.getOperation();
    Type orig = elementOf(raw->getOperand(raw->getNumOperands() - 1));
    Type resultOrig = elementOf(raw->getResult(0));
    bool failed = false;
    Value result = elementwise(
        rewriter, loc, this->convertedResult(op), adaptor.getOperands(),
        [&](OpBuilder &b, Location l, ValueRange stored) -> Value {
          // Bools are bytes in memory and i1 in arithmetic.
          SmallVector<Value> args;
          for (auto [i, v] : llvm::enumerate(stored))
            args.push_back(isBool(elementOf(raw->getOperand(i)))
                               ? (Value)arith::TruncIOp::create(b, l, b.getI1Type(), v)
                               : v);
          FailureOr<Value> v = failure();
          if constexpr (std::is_same_v<OpT, SelectOp>)
            v = arith::SelectOp::create(b, l, args[0], args[1], args[2]).getResult();
          else if constexpr (std::is_same_v<OpT, ConvertOp>)
            v = scalarConvert(b, l, args[0], orig, resultOrig);
          else if constexpr (std::is_same_v<OpT, BitcastOp>)
            v = arith::BitcastOp::create(b, l, signless(resultOrig), args[0]).getResult();
          else if constexpr (OpT::template hasTrait<OpTrait::OneOperand>())
            v = scalarUnary(b, l, raw, orig, args[0]);
          else if constexpr (std::is_same_v<OpT, EqualOp> ||
                             std::is_same_v<OpT, NotEqualOp> ||
                             std::is_same_v<OpT, LessOp> ||
                             std::is_same_v<OpT, LessEqualOp> ||
                             std::is_same_v<OpT, GreaterOp> ||
                             std::is_same_v<OpT, GreaterEqualOp>)
            v = scalarCompare(b, l, raw, orig, args[0], args[1]);
          else
            v = scalarBinary(b, l, raw, orig, args[0], args[1]);
          if (::mlir::failed(v)) {
            failed = true;
            return stored[0];
          }
          if (isBool(resultOrig))
            return arith::ExtUIOp::create(b, l, b.getI8Type(), *v);
          return *v;
        });
    if (failed)
      return failure();
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ConstantPattern : ArrayPattern<ConstantOp> {
  using ArrayPattern::ArrayPattern;
  LogicalResult matchAndRewrite(ConstantOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = convertedResult(op);
    auto dense = dyn_cast<DenseElementsAttr>(op.getValue());
    if (!dense)
      return rewriter.notifyMatchFailure(op, "only dense constants lower");
    if (isBool(dense.getElementType()))
      dense = dense.mapValues(type.getElementType(),
                              [](const APInt &v) { return v.zext(8); });
    else if (dense.getType() != type)
      dense = dense.bitcast(type.getElementType());
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, type, dense);
    return success();
  }
};

struct IotaPattern : ArrayPattern<IotaOp> {
  using ArrayPattern::ArrayPattern;
  LogicalResult matchAndRewrite(IotaOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = convertedResult(op);
    Location loc = op.getLoc();
    bool uns = isUnsignedInt(op.getType().getElementType());
    Value init = emptyTensor(rewriter, loc, type.getShape(), type.getElementType());
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{}, ValueRange{init},
        ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(type.getRank())},
        parallel(type.getRank()), [&](OpBuilder &b, Location l, ValueRange) {
          Value i = linalg::IndexOp::create(b, l, op.getDimension());
          Type et = type.getElementType();
          Value v;
          if (isFloat(et)) {
            Value i64 = arith::IndexCastOp::create(b, l, b.getI64Type(), i);
            v = arith::SIToFPOp::create(b, l, et, i64);
          } else if (uns) {
            v = arith::IndexCastUIOp::create(b, l, et, i);
          } else {
            v = arith::IndexCastOp::create(b, l, et, i);
          }
          linalg::YieldOp::create(b, l, v);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct BroadcastInDimPattern : ArrayPattern<BroadcastInDimOp> {
  using ArrayPattern::ArrayPattern;
  LogicalResult matchAndRewrite(BroadcastInDimOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = convertedResult(op);
    auto in = tensorType(op.getOperand());
    SmallVector<AffineExpr> exprs;
    for (auto [i, d] : llvm::enumerate(op.getBroadcastDimensions())) {
      if (in.getDimSize(i) == 1 && type.getDimSize(d) != 1)
        exprs.push_back(rewriter.getAffineConstantExpr(0));
      else
        exprs.push_back(rewriter.getAffineDimExpr(d));
    }
    Location loc = op.getLoc();
    Value init = emptyTensor(rewriter, loc, type.getShape(), type.getElementType());
    SmallVector<AffineMap> maps = {
        AffineMap::get(type.getRank(), 0, exprs, rewriter.getContext()),
        rewriter.getMultiDimIdentityMap(type.getRank())};
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{adaptor.getOperand()}, ValueRange{init},
        maps, parallel(type.getRank()), [](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(b, l, args[0]);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// Reshape as collapse-to-1-D then expand, which is always a valid pair.
Value reshapeTensor(OpBuilder &b, Location loc, Value v, RankedTensorType to) {
  auto from = tensorType(v);
  if (from.getShape() == to.getShape())
    return v;
  auto flatType = RankedTensorType::get({from.getNumElements()}, from.getElementType());
  Value flat = v;
  if (from.getRank() == 0)
    flat = tensor::ExpandShapeOp::create(b, loc, flatType, v,
                                         ArrayRef<ReassociationIndices>{});
  else if (from.getRank() > 1) {
    ReassociationIndices all;
    for (int64_t i = 0; i < from.getRank(); ++i)
      all.push_back(i);
    flat = tensor::CollapseShapeOp::create(b, loc, flatType, v,
                                           ArrayRef<ReassociationIndices>{all});
  }
  if (to.getRank() == 0)
    return tensor::CollapseShapeOp::create(b, loc, to, flat,
                                           ArrayRef<ReassociationIndices>{});
  if (to.getRank() == 1)
    return flat;
  ReassociationIndices all;
  for (int64_t i = 0; i < to.getRank(); ++i)
    all.push_back(i);
  return tensor::ExpandShapeOp::create(b, loc, to, flat,
                                       ArrayRef<ReassociationIndices>{all});
}

struct ReshapePattern : ArrayPattern<ReshapeOp> {
  using ArrayPattern::ArrayPattern;
  LogicalResult matchAndRewrite(ReshapeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, reshapeTensor(rewriter, op.getLoc(), adaptor.getOperand(), convertedResult(op)));
    return success();
  }
};

struct TransposePattern : ArrayPattern<TransposeOp> {
  using ArrayPattern::ArrayPattern;
  LogicalResult matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = convertedResult(op);
    Value init = emptyTensor(rewriter, op.getLoc(), type.getShape(), type.getElementType());
    auto t = linalg::TransposeOp::create(rewriter, op.getLoc(), adaptor.getOperand(), init,
                                         op.getPermutation());
    rewriter.replaceOp(op, t->getResult(0));
    return success();
  }
};

struct SlicePattern : ArrayPattern<SliceOp> {
  using ArrayPattern::ArrayPattern;
  LogicalResult matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = convertedResult(op);
    Location loc = op.getLoc();
    ArrayRef<int64_t> start = op.getStartIndices(), strides = op.getStrides();
    if (llvm::all_of(strides, [](int64_t s) { return s > 0; })) {
      rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
          op, type, adaptor.getOperand(), ValueRange{}, ValueRange{}, ValueRange{}, start,
          op.getSizes(), strides);
      return success();
    }
    // Negative strides: slice with |stride| from the lowest index read, then reverse
    // those dimensions (every map keeps output and input extents equal).
    if (type.getNumElements() == 0) {
      rewriter.replaceOpWithNewOp<tensor::EmptyOp>(op, type.getShape(),
                                                   type.getElementType());
      return success();
    }
    SmallVector<int64_t> lowest(start), absStrides;
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < type.getRank(); ++d) {
      int64_t size = type.getDimSize(d);
      absStrides.push_back(std::abs(strides[d]));
      if (strides[d] < 0) {
        lowest[d] = start[d] + (size - 1) * strides[d];
        exprs.push_back(rewriter.getAffineConstantExpr(size - 1) - rewriter.getAffineDimExpr(d));
      } else {
        exprs.push_back(rewriter.getAffineDimExpr(d));
      }
    }
    Value forward = tensor::ExtractSliceOp::create(
        rewriter, loc, type, adaptor.getOperand(), ValueRange{}, ValueRange{}, ValueRange{},
        lowest, op.getSizes(), absStrides);
    Value init = emptyTensor(rewriter, loc, type.getShape(), type.getElementType());
    SmallVector<AffineMap> maps = {
        AffineMap::get(type.getRank(), 0, exprs, rewriter.getContext()),
        rewriter.getMultiDimIdentityMap(type.getRank())};
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{forward}, ValueRange{init},
        maps, parallel(type.getRank()), [](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(b, l, args[0]);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// Run-time offsets, each clamped to [0, dim - size].
SmallVector<OpFoldResult> clampedOffsets(OpBuilder &b, Location loc, ValueRange indices,
                                         ValueRange originals, RankedTensorType in,
                                         ArrayRef<int64_t> sizes) {
  SmallVector<OpFoldResult> offsets;
  for (auto [i, idx] : llvm::enumerate(indices)) {
    Value scalar = tensor::ExtractOp::create(b, loc, idx, ValueRange{});
    Value index = toIndex(b, loc, scalar, isUnsignedInt(elementOf(originals[i])));
    offsets.push_back(clampIndex(b, loc, index, 0, in.getDimSize(i) - sizes[i]));
  }
  return offsets;
}

struct DynamicSlicePattern : ArrayPattern<DynamicSliceOp> {
  using ArrayPattern::ArrayPattern;
  LogicalResult matchAndRewrite(DynamicSliceOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto in = tensorType(op.getOperand());
    SmallVector<OpFoldResult> offsets =
        clampedOffsets(rewriter, op.getLoc(), adaptor.getStartIndices(),
                       op.getStartIndices(), in, op.getSliceSizes());
    SmallVector<OpFoldResult> sizes = getAsIndexOpFoldResult(
        rewriter.getContext(), op.getSliceSizes());
    SmallVector<OpFoldResult> strides(in.getRank(), rewriter.getIndexAttr(1));
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        op, convertedResult(op), adaptor.getOperand(), offsets, sizes, strides);
    return success();
  }
};

struct DynamicUpdateSlicePattern : ArrayPattern<DynamicUpdateSliceOp> {
  using ArrayPattern::ArrayPattern;
  LogicalResult matchAndRewrite(DynamicUpdateSliceOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto in = tensorType(op.getOperand());
    auto update = tensorType(op.getUpdate());
    SmallVector<OpFoldResult> offsets =
        clampedOffsets(rewriter, op.getLoc(), adaptor.getStartIndices(),
                       op.getStartIndices(), in, update.getShape());
    SmallVector<OpFoldResult> sizes =
        getAsIndexOpFoldResult(rewriter.getContext(), update.getShape());
    SmallVector<OpFoldResult> strides(in.getRank(), rewriter.getIndexAttr(1));
    rewriter.replaceOpWithNewOp<tensor::InsertSliceOp>(
        op, adaptor.getUpdate(), adaptor.getOperand(), offsets, sizes, strides);
    return success();
  }
};

struct ConcatenatePattern : ArrayPattern<ConcatenateOp> {
  using ArrayPattern::ArrayPattern;
  LogicalResult matchAndRewrite(ConcatenateOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = convertedResult(op);
    Location loc = op.getLoc();
    Value result = emptyTensor(rewriter, loc, type.getShape(), type.getElementType());
    int64_t dim = op.getDimension(), offset = 0;
    for (Value input : adaptor.getInputs()) {
      auto t = tensorType(input);
      SmallVector<int64_t> offsets(type.getRank(), 0), strides(type.getRank(), 1);
      offsets[dim] = offset;
      offset += t.getDimSize(dim);
      if (t.getNumElements() == 0)
        continue;
      result = tensor::InsertSliceOp::create(rewriter, loc, input, result, ValueRange{},
                                             ValueRange{}, ValueRange{}, offsets,
                                             t.getShape(), strides);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct PadPattern : ArrayPattern<PadOp> {
  using ArrayPattern::ArrayPattern;
  LogicalResult matchAndRewrite(PadOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value value = tensor::ExtractOp::create(rewriter, loc, adaptor.getPaddingValue(),
                                            ValueRange{});
    auto pad = tensor::PadOp::create(
        rewriter, loc, convertedResult(op), adaptor.getOperand(),
        getAsIndexOpFoldResult(rewriter.getContext(), op.getLow()),
        getAsIndexOpFoldResult(rewriter.getContext(), op.getHigh()), value);
    rewriter.replaceOp(op, pad.getResult());
    return success();
  }
};

/// Normalizes a gathered/scattered index: negative counts from the end, then
/// clamped so the window [i, i + size) stays inside the dimension.
Value normalizeIndex(OpBuilder &b, Location loc, Value raw, bool uns, int64_t dim,
                     int64_t size) {
  Value i = toIndex(b, loc, raw, uns);
  if (!uns) {
    Value neg = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, i,
                                      indexConst(b, loc, 0));
    Value wrapped = arith::AddIOp::create(b, loc, i, indexConst(b, loc, dim));
    i = arith::SelectOp::create(b, loc, neg, wrapped, i);
  }
  return clampIndex(b, loc, i, 0, std::max<int64_t>(dim - size, 0));
}

struct GatherPattern : ArrayPattern<GatherOp> {
  using ArrayPattern::ArrayPattern;
  LogicalResult matchAndRewrite(GatherOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = convertedResult(op);
    auto in = tensorType(op.getOperand());
    Location loc = op.getLoc();
    int64_t k = op.getIndices().empty() ? 0 : tensorType(op.getIndices()[0]).getRank();
    int64_t rank = type.getRank();
    SmallVector<AffineExpr> idxExprs;
    for (int64_t d = 0; d < k; ++d)
      idxExprs.push_back(rewriter.getAffineDimExpr(d));
    SmallVector<AffineMap> maps(op.getIndices().size(),
                                AffineMap::get(rank, 0, idxExprs, rewriter.getContext()));
    maps.push_back(rewriter.getMultiDimIdentityMap(rank));
    Value init = emptyTensor(rewriter, loc, type.getShape(), type.getElementType());
    Value operand = adaptor.getOperand();
    ArrayRef<int64_t> axes = op.getAxes(), sizes = op.getSliceSizes();
    if (type.getNumElements() == 0) {
      rewriter.replaceOp(op, init);
      return success();
    }
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, adaptor.getIndices(), ValueRange{init}, maps,
        parallel(rank), [&](OpBuilder &b, Location l, ValueRange args) {
          SmallVector<Value> coords;
          for (int64_t d = 0; d < in.getRank(); ++d) {
            Value window = linalg::IndexOp::create(b, l, k + d);
            auto it = llvm::find(axes, d);
            if (it == axes.end()) {
              coords.push_back(window);
              continue;
            }
            int64_t m = it - axes.begin();
            Value start = normalizeIndex(b, l, args[m],
                                         isUnsignedInt(elementOf(op.getIndices()[m])),
                                         in.getDimSize(d), sizes[d]);
            coords.push_back(arith::AddIOp::create(b, l, start, window));
          }
          Value v = tensor::ExtractOp::create(b, l, operand, coords);
          linalg::YieldOp::create(b, l, v);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// Builds nested scf.for loops over `bounds`, threading one tensor through.
Value buildLoopNest(OpBuilder &b, Location loc, ArrayRef<int64_t> bounds, Value init,
                    function_ref<Value(OpBuilder &, Location, ValueRange, Value)> body,
                    SmallVector<Value> ivs = {}) {
  if (ivs.size() == bounds.size())
    return body(b, loc, ivs, init);
  int64_t d = ivs.size();
  auto loop = scf::ForOp::create(
      b, loc, indexConst(b, loc, 0), indexConst(b, loc, bounds[d]), indexConst(b, loc, 1),
      ValueRange{init}, [&](OpBuilder &nb, Location nl, Value iv, ValueRange iter) {
        SmallVector<Value> next = ivs;
        next.push_back(iv);
        Value r = buildLoopNest(nb, nl, bounds, iter[0], body, next);
        scf::YieldOp::create(nb, nl, r);
      });
  return loop.getResult(0);
}

template <typename OpT>
struct ScatterPattern : ArrayPattern<OpT> {
  using ArrayPattern<OpT>::ArrayPattern;
  LogicalResult matchAndRewrite(OpT op, typename ArrayPattern<OpT>::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto in = tensorType(op.getOperand());
    auto updatesType = tensorType(op.getUpdates());
    Type orig = in.getElementType();
    if (isa<ComplexType>(orig))
      return op.emitOpError("cannot lower for element type ") << orig;
    int64_t k = updatesType.getRank() - in.getRank();
    ArrayRef<int64_t> axes = op.getAxes();
    Value updates = adaptor.getUpdates();
    SmallVector<Value> indices(adaptor.getIndices());
    Value result = buildLoopNest(
        rewriter, loc, updatesType.getShape(), adaptor.getOperand(),
        [&](OpBuilder &b, Location l, ValueRange ivs, Value acc) -> Value {
          SmallVector<Value> coords;
          for (int64_t d = 0; d < in.getRank(); ++d) {
            Value window = ivs[k + d];
            auto it = llvm::find(axes, d);
            if (it == axes.end()) {
              coords.push_back(window);
              continue;
            }
            int64_t m = it - axes.begin();
            Value raw = tensor::ExtractOp::create(b, l, indices[m], ivs.take_front(k));
            Value start = normalizeIndex(b, l, raw,
                                         isUnsignedInt(elementOf(op.getIndices()[m])),
                                         in.getDimSize(d), updatesType.getDimSize(k + d));
            coords.push_back(arith::AddIOp::create(b, l, start, window));
          }
          Value u = tensor::ExtractOp::create(b, l, updates, ivs);
          Value v = u;
          if constexpr (!std::is_same_v<OpT, ScatterOp>) {
            Value cur = tensor::ExtractOp::create(b, l, acc, coords);
            Type t = u.getType();
            bool fl = isFloat(t), uns = isUnsignedInt(orig) || isBool(orig);
            if constexpr (std::is_same_v<OpT, ScatterAddOp>)
              v = fl ? (Value)arith::AddFOp::create(b, l, cur, u)
                     : isBool(orig) ? (Value)arith::OrIOp::create(b, l, cur, u)
                                    : (Value)arith::AddIOp::create(b, l, cur, u);
            else if constexpr (std::is_same_v<OpT, ScatterMultiplyOp>)
              v = fl ? (Value)arith::MulFOp::create(b, l, cur, u)
                     : isBool(orig) ? (Value)arith::AndIOp::create(b, l, cur, u)
                                    : (Value)arith::MulIOp::create(b, l, cur, u);
            else if constexpr (std::is_same_v<OpT, ScatterMaxOp>)
              v = fl ? (Value)arith::MaximumFOp::create(b, l, cur, u)
                     : uns ? (Value)arith::MaxUIOp::create(b, l, cur, u)
                           : (Value)arith::MaxSIOp::create(b, l, cur, u);
            else
              v = fl ? (Value)arith::MinimumFOp::create(b, l, cur, u)
                     : uns ? (Value)arith::MinUIOp::create(b, l, cur, u)
                           : (Value)arith::MinSIOp::create(b, l, cur, u);
          }
          return tensor::InsertOp::create(b, l, v, acc, coords);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

enum class Combine { Sum, Prod, Max, Min, All, Any };

Value combine(OpBuilder &b, Location loc, Combine kind, Value acc, Value x, bool uns) {
  Type t = x.getType();
  bool fl = isFloat(t);
  if (isa<ComplexType>(t)) {
    if (kind == Combine::Sum)
      return complex::AddOp::create(b, loc, acc, x);
    return complex::MulOp::create(b, loc, acc, x);
  }
  switch (kind) {
  case Combine::Sum:
    if (fl)
      return arith::AddFOp::create(b, loc, acc, x);
    return arith::AddIOp::create(b, loc, acc, x);
  case Combine::Prod:
    if (fl)
      return arith::MulFOp::create(b, loc, acc, x);
    return arith::MulIOp::create(b, loc, acc, x);
  case Combine::Max:
    if (fl)
      return arith::MaximumFOp::create(b, loc, acc, x);
    if (uns)
      return arith::MaxUIOp::create(b, loc, acc, x);
    return arith::MaxSIOp::create(b, loc, acc, x);
  case Combine::Min:
    if (fl)
      return arith::MinimumFOp::create(b, loc, acc, x);
    if (uns)
      return arith::MinUIOp::create(b, loc, acc, x);
    return arith::MinSIOp::create(b, loc, acc, x);
  case Combine::All:
    return arith::AndIOp::create(b, loc, acc, x);
  case Combine::Any:
    return arith::OrIOp::create(b, loc, acc, x);
  }
  llvm_unreachable("unknown combiner");
}

Value identity(OpBuilder &b, Location loc, Combine kind, Type t, bool uns) {
  if (isa<ComplexType>(t))
    return scalarConst(b, loc, t, kind == Combine::Prod ? 1 : 0);
  switch (kind) {
  case Combine::Sum:
    return scalarConst(b, loc, t, 0);
  case Combine::Prod:
    return scalarConst(b, loc, t, 1);
  case Combine::Max:
    return extremeConst(b, loc, t, /*lowest=*/true, uns);
  case Combine::Min:
    return extremeConst(b, loc, t, /*lowest=*/false, uns);
  case Combine::All:
    return scalarConst(b, loc, t, 1);
  case Combine::Any:
    return scalarConst(b, loc, t, 0);
  }
  llvm_unreachable("unknown combiner");
}

template <typename OpT, Combine kind>
struct ReducePattern : ArrayPattern<OpT> {
  using ArrayPattern<OpT>::ArrayPattern;
  LogicalResult matchAndRewrite(OpT op, typename ArrayPattern<OpT>::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = this->convertedResult(op);
    Type et = type.getElementType();
    Type orig = elementOf(op.getOperand());
    if (isa<ComplexType>(et) && kind != Combine::Sum && kind != Combine::Prod)
      return op.emitOpError("cannot lower for element type ") << orig;
    bool uns = isUnsignedInt(orig) || isBool(orig);
    auto reduceOver = [&](Value input, ArrayRef<int64_t> shape, ArrayRef<int64_t> dims) {
      Value init = emptyTensor(rewriter, loc, shape, et);
      Value filled =
          linalg::FillOp::create(rewriter, loc, identity(rewriter, loc, kind, et, uns), init)
              .getResult(0);
      return linalg::ReduceOp::create(
                 rewriter, loc, ValueRange{input}, ValueRange{filled}, dims,
                 [&](OpBuilder &b, Location l, ValueRange args) {
                   Value v = combine(b, l, kind, args[1], args[0], uns);
                   // Reductions may be reassociated (as NumPy's pairwise sums are):
                   // LLVM then vectorizes them into several partial accumulators.
                   if (auto fm = dyn_cast<arith::ArithFastMathInterface>(v.getDefiningOp()))
                     v.getDefiningOp()->setAttr(
                         fm.getFastMathAttrName(),
                         arith::FastMathFlagsAttr::get(b.getContext(),
                                                       arith::FastMathFlags::reassoc));
                   linalg::YieldOp::create(b, l, v);
                 })
          .getResult(0);
    };
    SmallVector<int64_t> axes(op.getAxes());
    llvm::sort(axes);
    auto in = tensorType(adaptor.getOperand());
    int64_t rank = in.getRank(), n = rank ? in.getDimSize(rank - 1) : 0;
    constexpr int64_t kLanes = 8;
    if (isFloat(et) && (kind == Combine::Max || kind == Combine::Min) &&
        axes == SmallVector<int64_t>{rank - 1} && n % kLanes == 0 && n >= 2 * kLanes) {
      // LLVM does not vectorize NaN-propagating max/min reductions. Along the
      // contiguous axis, reduce [.., n/8, 8] over n/8 first: the inner loop is then
      // an elementwise max over 8 lanes, which vectorizes; then reduce the 8 lanes.
      SmallVector<int64_t> split(in.getShape());
      split.back() = n / kLanes;
      split.push_back(kLanes);
      Value x = reshapeTensor(rewriter, loc, adaptor.getOperand(),
                              RankedTensorType::get(split, et));
      SmallVector<int64_t> lanes(type.getShape());
      lanes.push_back(kLanes);
      Value partial = reduceOver(x, lanes, {rank - 1});
      rewriter.replaceOp(op, reduceOver(partial, type.getShape(), {rank - 1}));
      return success();
    }
    rewriter.replaceOp(op, reduceOver(adaptor.getOperand(), type.getShape(), axes));
    return success();
  }
};

/// Long scans in blocks: a scan along an axis of n > kLongScan elements, when few
/// rows share the work or n is past what one GPU thread may loop over (lavapipe
/// stops a loop after 65535 iterations), becomes array ops: the axis padded with
/// the identity to B blocks of kScanBlock and split in two, each block scanned
/// (all blocks in parallel), the blocks' totals scanned exclusively (itself split
/// again when B is long), and each block's offset combined into its elements.
constexpr int64_t kLongScan = 16384, kScanBlock = 1024;

template <typename ScanT, typename ReduceT, typename CombineT>
void splitLongScan(ScanT op, SmallVectorImpl<Operation *> &worklist) {
  auto type = cast<RankedTensorType>(op.getType());
  Type et = type.getElementType();
  int64_t axis = op.getAxis(), n = type.getDimSize(axis), rank = type.getRank();
  int64_t rows = type.getNumElements() / std::max<int64_t>(n, 1);
  if (et.isInteger(1) || !type.hasStaticShape() || n <= kLongScan || (rows > 16 && n <= 65535))
    return;
  OpBuilder b(op);
  Location loc = op.getLoc();
  int64_t blocks = (n + kScanBlock - 1) / kScanBlock, padded = blocks * kScanBlock;
  auto withDims = [&](ArrayRef<int64_t> mid) {
    SmallVector<int64_t> shape(type.getShape().take_front(axis));
    shape.append(mid.begin(), mid.end());
    shape.append(type.getShape().begin() + axis + 1, type.getShape().end());
    return RankedTensorType::get(shape, et);
  };
  Value x = op.getOperand();
  if (padded != n) {
    // The identity of the combination pads the last block.
    auto zeroD = RankedTensorType::get({}, et);
    constexpr bool isSum = std::is_same_v<ScanT, CumsumOp>, isProd = std::is_same_v<ScanT, CumprodOp>,
                   isMax = std::is_same_v<ScanT, CummaxOp>;
    Attribute id;
    if (auto ct = dyn_cast<ComplexType>(et))
      id = DenseElementsAttr::get(zeroD, {std::complex<APFloat>(APFloat(isProd ? 1.0f : 0.0f),
                                                                APFloat(0.0f))});
    else if (auto ft = dyn_cast<FloatType>(et))
      id = DenseElementsAttr::get(
          zeroD, isSum || isProd ? APFloat(ft.getFloatSemantics(), isProd ? 1 : 0)
                                 : APFloat::getInf(ft.getFloatSemantics(), /*Negative=*/isMax));
    else {
      unsigned w = et.getIntOrFloatBitWidth();
      APInt v = isSum || isProd ? APInt(w, isProd ? 1 : 0)
                : et.isUnsignedInteger()
                    ? (isMax ? APInt::getMinValue(w) : APInt::getMaxValue(w))
                    : (isMax ? APInt::getSignedMinValue(w) : APInt::getSignedMaxValue(w));
      id = DenseElementsAttr::get(zeroD, v);
    }
    Value pad = ConstantOp::create(b, loc, cast<ElementsAttr>(id));
    SmallVector<int64_t> low(rank, 0), high(rank, 0);
    high[axis] = padded - n;
    x = PadOp::create(b, loc, x, pad, low, high);
  }
  auto split = withDims({blocks, kScanBlock});
  Value y = ReshapeOp::create(b, loc, split, x);
  Value inner = ScanT::create(b, loc, y, axis + 1, op.getReverse(), op.getInclusive());
  Value totals = ReduceT::create(b, loc, y, ArrayRef<int64_t>{axis + 1});
  auto offsetScan = ScanT::create(b, loc, totals, axis, op.getReverse(), /*inclusive=*/false);
  worklist.push_back(offsetScan);
  SmallVector<int64_t> dims;
  for (int64_t d = 0; d <= rank; ++d)
    if (d != axis + 1)
      dims.push_back(d);
  Value offsets = BroadcastInDimOp::create(b, loc, split, offsetScan, dims);
  Value r = CombineT::create(b, loc, offsets, inner);
  r = ReshapeOp::create(b, loc, withDims({padded}), r);
  if (padded != n) {
    SmallVector<int64_t> start(rank, 0), sizes(type.getShape()), strides(rank, 1);
    r = SliceOp::create(b, loc, r, start, sizes, strides);
  }
  op.getResult().replaceAllUsesWith(r);
  op->erase();
}

void splitLongScans(Operation *root) {
  SmallVector<Operation *> worklist;
  root->walk([&](Operation *op) {
    if (isa<CumsumOp, CumprodOp, CummaxOp, CumminOp>(op))
      worklist.push_back(op);
  });
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    TypeSwitch<Operation *>(op)
        .Case([&](CumsumOp s) { splitLongScan<CumsumOp, SumOp, AddOp>(s, worklist); })
        .Case([&](CumprodOp s) { splitLongScan<CumprodOp, ProdOp, MultiplyOp>(s, worklist); })
        .Case([&](CummaxOp s) { splitLongScan<CummaxOp, MaxOp, MaximumOp>(s, worklist); })
        .Case([&](CumminOp s) { splitLongScan<CumminOp, MinOp, MinimumOp>(s, worklist); });
  }
}

/// argmax/argmin along one axis: a linalg.generic carrying (best value, its index).
/// A long 1-D reduction (argmax over all axes) is done in two stages, blocks of
/// kArgBlock and then the blocks' winners in order, so it is spread over
/// threads (a GPU thread runs a reduction dimension serially: lavapipe stops a
/// loop after 65535 iterations).
constexpr int64_t kArgBlock = 1024;

template <typename OpT, bool isMax>
struct ArgReducePattern : ArrayPattern<OpT> {
  using ArrayPattern<OpT>::ArrayPattern;
  LogicalResult matchAndRewrite(OpT op, typename ArrayPattern<OpT>::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = this->convertedResult(op);
    auto in = tensorType(adaptor.getOperand());
    Type et = in.getElementType(), it = type.getElementType();
    Type orig = elementOf(op.getOperand());
    bool uns = isUnsignedInt(orig) || isBool(orig);
    int64_t axis = op.getAxis(), rank = in.getRank();
    // The running (best, index) pair of `shape` and a combine: strictly better
    // (the first of equals wins), or the first NaN (NaN wins as in NumPy).
    auto inits = [&](ArrayRef<int64_t> shape) {
      Value values = emptyTensor(rewriter, loc, shape, et);
      values = linalg::FillOp::create(rewriter, loc, extremeConst(rewriter, loc, et, isMax, uns),
                                      values)
                   .getResult(0);
      Value indices = emptyTensor(rewriter, loc, shape, it);
      indices = linalg::FillOp::create(rewriter, loc, scalarConst(rewriter, loc, it, 0), indices)
                    .getResult(0);
      return SmallVector<Value>{values, indices};
    };
    auto combine = [&](OpBuilder &b, Location l, Value x, Value i, Value best, Value bestIdx) {
      Value better;
      if (isFloat(et)) {
        Value cmp = arith::CmpFOp::create(
            b, l, isMax ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT, x, best);
        Value xNan = arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, x, x);
        Value bestOk = arith::CmpFOp::create(b, l, arith::CmpFPredicate::ORD, best, best);
        better = arith::OrIOp::create(b, l, cmp, arith::AndIOp::create(b, l, xNan, bestOk));
      } else {
        arith::CmpIPredicate p =
            isMax ? (uns ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt)
                  : (uns ? arith::CmpIPredicate::ult : arith::CmpIPredicate::slt);
        better = arith::CmpIOp::create(b, l, p, x, best);
      }
      linalg::YieldOp::create(b, l,
                              ValueRange{arith::SelectOp::create(b, l, better, x, best),
                                         arith::SelectOp::create(b, l, better, i, bestIdx)});
    };
    auto indexOf = [&](OpBuilder &b, Location l, Value i) {
      return arith::IndexCastOp::create(b, l, it, i).getResult();
    };

    int64_t n = in.getShape()[0];
    if (rank == 1 && !ShapedType::isDynamic(n) && n >= 16 * kArgBlock) {
      // Pad to whole blocks with the identity (never strictly better, so a real
      // element always wins over padding), view as [blocks, kArgBlock].
      int64_t blocks = (n + kArgBlock - 1) / kArgBlock;
      Value x = adaptor.getOperand();
      if (blocks * kArgBlock != n)
        x = tensor::PadOp::create(
            rewriter, loc, RankedTensorType::get({blocks * kArgBlock}, et), x,
            ArrayRef<OpFoldResult>{rewriter.getIndexAttr(0)},
            ArrayRef<OpFoldResult>{rewriter.getIndexAttr(blocks * kArgBlock - n)},
            extremeConst(rewriter, loc, et, isMax, uns));
      x = tensor::ExpandShapeOp::create(rewriter, loc,
                                        RankedTensorType::get({blocks, kArgBlock}, et), x,
                                        ArrayRef<ReassociationIndices>{{0, 1}});
      AffineExpr d0 = rewriter.getAffineDimExpr(0);
      AffineMap id2 = rewriter.getMultiDimIdentityMap(2);
      AffineMap row = AffineMap::get(2, 0, {d0}, rewriter.getContext());
      auto stage1 = linalg::GenericOp::create(
          rewriter, loc, TypeRange{RankedTensorType::get({blocks}, et),
                                   RankedTensorType::get({blocks}, it)},
          ValueRange{x}, inits({blocks}), ArrayRef<AffineMap>{id2, row, row},
          ArrayRef<utils::IteratorType>{utils::IteratorType::parallel,
                                        utils::IteratorType::reduction},
          [&](OpBuilder &b, Location l, ValueRange args) {
            Value block = linalg::IndexOp::create(b, l, 0);
            Value start = arith::MulIOp::create(b, l, block,
                                                arith::ConstantIndexOp::create(b, l, kArgBlock));
            Value i = arith::AddIOp::create(b, l, start, linalg::IndexOp::create(b, l, 1));
            combine(b, l, args[0], indexOf(b, l, i), args[1], args[2]);
          });
      AffineMap id1 = rewriter.getMultiDimIdentityMap(1);
      AffineMap scalar = AffineMap::get(1, 0, {}, rewriter.getContext());
      auto stage2 = linalg::GenericOp::create(
          rewriter, loc, TypeRange{RankedTensorType::get({}, et), type},
          stage1.getResults(), inits({}), ArrayRef<AffineMap>{id1, id1, scalar, scalar},
          ArrayRef<utils::IteratorType>{utils::IteratorType::reduction},
          [&](OpBuilder &b, Location l, ValueRange args) {
            combine(b, l, args[0], args[1], args[2], args[3]);
          });
      rewriter.replaceOp(op, stage2.getResult(1));
      return success();
    }

    SmallVector<AffineExpr> outExprs;
    SmallVector<utils::IteratorType> iters;
    for (int64_t d = 0; d < rank; ++d) {
      iters.push_back(d == axis ? utils::IteratorType::reduction
                                : utils::IteratorType::parallel);
      if (d != axis)
        outExprs.push_back(rewriter.getAffineDimExpr(d));
    }
    AffineMap outMap = AffineMap::get(rank, 0, outExprs, rewriter.getContext());
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank), outMap, outMap};
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type.clone(et), type}, ValueRange{adaptor.getOperand()},
        inits(type.getShape()), maps, iters, [&](OpBuilder &b, Location l, ValueRange args) {
          combine(b, l, args[0], indexOf(b, l, linalg::IndexOp::create(b, l, axis)), args[1],
                  args[2]);
        });
    rewriter.replaceOp(op, generic.getResult(1));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Scans: a loop over the axis carrying the running slab.
//===----------------------------------------------------------------------===//

template <typename OpT, Combine kind>
struct ScanPattern : ArrayPattern<OpT> {
  using ArrayPattern<OpT>::ArrayPattern;
  LogicalResult matchAndRewrite(OpT op, typename ArrayPattern<OpT>::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = this->convertedResult(op);
    Type et = type.getElementType();
    Type orig = elementOf(op.getOperand());
    if (isa<ComplexType>(et) && kind != Combine::Sum && kind != Combine::Prod)
      return op.emitOpError("cannot lower for element type ") << orig;
    bool uns = isUnsignedInt(orig) || isBool(orig);
    int64_t axis = op.getAxis(), n = type.getDimSize(axis), rank = type.getRank();
    SmallVector<int64_t> slabShape(type.getShape());
    slabShape[axis] = 1;
    auto slabType = RankedTensorType::get(slabShape, et);
    Value acc = emptyTensor(rewriter, loc, slabShape, et);
    acc = linalg::FillOp::create(rewriter, loc, identity(rewriter, loc, kind, et, uns), acc)
              .getResult(0);
    Value result = emptyTensor(rewriter, loc, type.getShape(), et);
    if (type.getNumElements() == 0) {
      rewriter.replaceOp(op, result);
      return success();
    }
    Value input = adaptor.getOperand();
    bool reverse = op.getReverse(), inclusive = op.getInclusive();
    if (n == 1) {
      // One element per scan: the input itself, or the identity when exclusive.
      // (A one-trip loop would fold to an update that reads its own output, which
      // elementwise fusion then merged into broadcasting consumers wrongly.)
      rewriter.replaceOp(op, inclusive ? input
                                       : linalg::FillOp::create(
                                             rewriter, loc,
                                             identity(rewriter, loc, kind, et, uns), result)
                                             .getResult(0));
      return success();
    }
    auto loop = scf::ForOp::create(
        rewriter, loc, indexConst(rewriter, loc, 0), indexConst(rewriter, loc, n),
        indexConst(rewriter, loc, 1), ValueRange{acc, result},
        [&](OpBuilder &b, Location l, Value iv, ValueRange iter) {
          Value pos = iv;
          if (reverse)
            pos = arith::SubIOp::create(b, l, indexConst(b, l, n - 1), iv);
          SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
          offsets[axis] = pos;
          SmallVector<OpFoldResult> sizes = getAsIndexOpFoldResult(b.getContext(), slabShape);
          SmallVector<OpFoldResult> strides(rank, b.getIndexAttr(1));
          Value slab = tensor::ExtractSliceOp::create(b, l, slabType, input, offsets, sizes,
                                                      strides);
          // The running value is updated in place so that bufferization keeps one
          // slab buffer for the whole loop.
          auto update = [&](Value acc) {
            SmallVector<AffineMap> maps(2, b.getMultiDimIdentityMap(rank));
            return linalg::GenericOp::create(
                       b, l, TypeRange{slabType}, ValueRange{slab}, ValueRange{acc}, maps,
                       parallel(rank),
                       [&](OpBuilder &eb, Location el, ValueRange a) {
                         linalg::YieldOp::create(
                             eb, el, combine(eb, el, kind, a[1], a[0], uns));
                       })
                .getResult(0);
          };
          Value res = iter[1], next;
          if (inclusive) {
            next = update(iter[0]);
            res = tensor::InsertSliceOp::create(b, l, next, res, offsets, sizes, strides);
          } else {
            res = tensor::InsertSliceOp::create(b, l, iter[0], res, offsets, sizes, strides);
            next = update(iter[0]);
          }
          scf::YieldOp::create(b, l, ValueRange{next, res});
        });
    rewriter.replaceOp(op, loop.getResult(1));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Sorting: bitonic network over rows padded to a power of two.
//===----------------------------------------------------------------------===//

/// Moves `axis` last and flattens the rest: [rows, n].
Value toRows(OpBuilder &b, Location loc, Value v, int64_t axis) {
  auto t = tensorType(v);
  int64_t rank = t.getRank();
  if (axis != rank - 1) {
    SmallVector<int64_t> perm, shape;
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis)
        perm.push_back(d);
    perm.push_back(axis);
    for (int64_t p : perm)
      shape.push_back(t.getDimSize(p));
    Value init = emptyTensor(b, loc, shape, t.getElementType());
    v = linalg::TransposeOp::create(b, loc, v, init, perm)->getResult(0);
  }
  int64_t n = t.getDimSize(axis);
  int64_t rows = n == 0 ? 0 : t.getNumElements() / n;
  return reshapeTensor(b, loc, v, RankedTensorType::get({rows, n}, t.getElementType()));
}

/// Inverse of toRows for a result of element type `et` and original `shape`.
Value fromRows(OpBuilder &b, Location loc, Value rowsV, ArrayRef<int64_t> shape,
               int64_t axis, Type et) {
  int64_t rank = shape.size();
  SmallVector<int64_t> perm, moved;
  for (int64_t d = 0; d < rank; ++d)
    if (d != axis)
      perm.push_back(d);
  perm.push_back(axis);
  for (int64_t p : perm)
    moved.push_back(shape[p]);
  Value v = reshapeTensor(b, loc, rowsV, RankedTensorType::get(moved, et));
  if (axis == rank - 1)
    return v;
  SmallVector<int64_t> inverse(rank);
  for (int64_t i = 0; i < rank; ++i)
    inverse[perm[i]] = i;
  Value init = emptyTensor(b, loc, shape, et);
  return linalg::TransposeOp::create(b, loc, v, init, inverse)->getResult(0);
}

/// Sorts each row of `keys` ([rows, n]); returns (sorted keys, original indices i32).
std::pair<Value, Value> bitonicSort(OpBuilder &b, Location loc, Value keys, bool uns) {
  auto t = tensorType(keys);
  int64_t rows = t.getDimSize(0), n = t.getDimSize(1);
  Type et = t.getElementType(), i32 = b.getI32Type();
  int64_t p = 1;
  while (p < n)
    p <<= 1;
  // Pad to [rows, p]; padded slots carry index >= n, which sorts last.
  Value padValue = scalarConst(b, loc, et, 0);
  Value padded = keys;
  if (p != n)
    padded = tensor::PadOp::create(
        b, loc, RankedTensorType::get({rows, p}, et), keys,
        getAsIndexOpFoldResult(b.getContext(), ArrayRef<int64_t>{0, 0}),
        getAsIndexOpFoldResult(b.getContext(), ArrayRef<int64_t>{0, p - n}), padValue);
  auto idxType = RankedTensorType::get({rows, p}, i32);
  Value idxInit = emptyTensor(b, loc, {rows, p}, i32);
  Value idx = linalg::GenericOp::create(
                  b, loc, TypeRange{idxType}, ValueRange{}, ValueRange{idxInit},
                  ArrayRef<AffineMap>{b.getMultiDimIdentityMap(2)}, parallel(2),
                  [&](OpBuilder &nb, Location l, ValueRange) {
                    Value i = linalg::IndexOp::create(nb, l, 1);
                    linalg::YieldOp::create(nb, l,
                                            arith::IndexCastOp::create(nb, l, i32, i).getResult());
                  })
                  .getResult(0);
  // less(a, ia, b, ib): padding last, NaN after numbers, ties by index.
  auto less = [&](OpBuilder &nb, Location l, Value a, Value ia, Value bv, Value ib) {
    Value nI = arith::ConstantOp::create(nb, l, i32, nb.getI32IntegerAttr(n));
    Value aPad = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sge, ia, nI);
    Value bPad = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sge, ib, nI);
    Value idxLess = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, ia, ib);
    Value keyLess, keyGreater;
    if (isFloat(et)) {
      Value aNan = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::UNO, a, a);
      Value bNan = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::UNO, bv, bv);
      Value lt = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OLT, a, bv);
      Value gt = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OGT, a, bv);
      Value notANan = arith::XOrIOp::create(nb, l, aNan, scalarConst(nb, l, nb.getI1Type(), 1));
      Value notBNan = arith::XOrIOp::create(nb, l, bNan, scalarConst(nb, l, nb.getI1Type(), 1));
      keyLess = arith::OrIOp::create(nb, l, lt, arith::AndIOp::create(nb, l, notANan, bNan));
      keyGreater = arith::OrIOp::create(nb, l, gt, arith::AndIOp::create(nb, l, aNan, notBNan));
    } else {
      keyLess = arith::CmpIOp::create(nb, l, uns ? arith::CmpIPredicate::ult
                                                 : arith::CmpIPredicate::slt, a, bv);
      keyGreater = arith::CmpIOp::create(nb, l, uns ? arith::CmpIPredicate::ugt
                                                    : arith::CmpIPredicate::sgt, a, bv);
    }
    Value tie = arith::XOrIOp::create(nb, l, arith::OrIOp::create(nb, l, keyLess, keyGreater),
                                      scalarConst(nb, l, nb.getI1Type(), 1));
    Value real = arith::OrIOp::create(nb, l, keyLess, arith::AndIOp::create(nb, l, tie, idxLess));
    Value samePad = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq, aPad, bPad);
    Value onlyBPad = arith::AndIOp::create(
        nb, l, bPad, arith::XOrIOp::create(nb, l, aPad, scalarConst(nb, l, nb.getI1Type(), 1)));
    Value bothPad = arith::AndIOp::create(nb, l, aPad, bPad);
    Value whenSame = arith::SelectOp::create(nb, l, bothPad, idxLess, real);
    return arith::SelectOp::create(nb, l, samePad, whenSame, onlyBPad).getResult();
  };
  // Stages (k, j): k = 2, 4, ..., p; j = k/2, ..., 1.
  SmallVector<std::pair<int64_t, int64_t>> stages;
  for (int64_t k = 2; k <= p; k <<= 1)
    for (int64_t j = k >> 1; j > 0; j >>= 1)
      stages.push_back({k, j});
  if (stages.empty())
    return {padded, idx};
  // Each stage compare-exchanges the p/2 pairs (i, i + j) with bit j of i clear,
  // by scalar inserts into the loop-carried tensors: bufferization then sorts in
  // place, one buffer for keys and one for indices.
  SmallVector<int64_t> ks, js;
  for (auto [k, j] : stages) {
    ks.push_back(k);
    js.push_back(j);
  }
  auto stageType = RankedTensorType::get({(int64_t)stages.size()}, b.getIndexType());
  Value kTable = arith::ConstantOp::create(
      b, loc, stageType, DenseElementsAttr::get(stageType, ArrayRef<int64_t>(ks)));
  Value jTable = arith::ConstantOp::create(
      b, loc, stageType, DenseElementsAttr::get(stageType, ArrayRef<int64_t>(js)));
  // The row and pair loops' iterations touch disjoint elements: they carry
  // `mxc.independent` so the GPU lowering may run them in parallel.
  auto forLoop = [&](OpBuilder &fb, Location l, int64_t n, ValueRange init,
                     function_ref<SmallVector<Value>(OpBuilder &, Location, Value, ValueRange)>
                         body,
                     bool independent = true) {
    auto loop = scf::ForOp::create(
        fb, l, indexConst(fb, l, 0), indexConst(fb, l, n), indexConst(fb, l, 1), init,
        [&](OpBuilder &nb, Location nl, Value iv, ValueRange iter) {
          scf::YieldOp::create(nb, nl, body(nb, nl, iv, iter));
        });
    if (independent)
      loop->setAttr("mxc.independent", fb.getUnitAttr());
    return loop.getResults();
  };
  ValueRange sorted = forLoop(
      b, loc, stages.size(), ValueRange{padded, idx},
      [&](OpBuilder &sb, Location l, Value s, ValueRange st) -> SmallVector<Value> {
        Value k = tensor::ExtractOp::create(sb, l, kTable, ValueRange{s});
        Value j = tensor::ExtractOp::create(sb, l, jTable, ValueRange{s});
        Value jMask = arith::SubIOp::create(sb, l, j, indexConst(sb, l, 1));
        return forLoop(
            sb, l, rows, st,
            [&](OpBuilder &rb, Location rl, Value r, ValueRange rt) -> SmallVector<Value> {
              return forLoop(
                  rb, rl, p / 2, rt,
                  [&](OpBuilder &nb, Location gl, Value q,
                      ValueRange it) -> SmallVector<Value> {
                    // i = q with a zero bit inserted at j's position.
                    Value low = arith::AndIOp::create(nb, gl, q, jMask);
                    Value high = arith::ShLIOp::create(
                        nb, gl, arith::SubIOp::create(nb, gl, q, low), indexConst(nb, gl, 1));
                    Value i = arith::AddIOp::create(nb, gl, high, low);
                    Value pi = arith::AddIOp::create(nb, gl, i, j);
                    Value ak = tensor::ExtractOp::create(nb, gl, it[0], ValueRange{r, i});
                    Value ai = tensor::ExtractOp::create(nb, gl, it[1], ValueRange{r, i});
                    Value bk = tensor::ExtractOp::create(nb, gl, it[0], ValueRange{r, pi});
                    Value bi = tensor::ExtractOp::create(nb, gl, it[1], ValueRange{r, pi});
                    Value ascending = arith::CmpIOp::create(
                        nb, gl, arith::CmpIPredicate::eq, arith::AndIOp::create(nb, gl, i, k),
                        indexConst(nb, gl, 0));
                    Value swap = arith::SelectOp::create(nb, gl, ascending,
                                                         less(nb, gl, bk, bi, ak, ai),
                                                         less(nb, gl, ak, ai, bk, bi));
                    auto pick = [&](Value x, Value y) {
                      return arith::SelectOp::create(nb, gl, swap, x, y).getResult();
                    };
                    Value keys2 = tensor::InsertOp::create(nb, gl, pick(bk, ak), it[0],
                                                           ValueRange{r, i});
                    keys2 = tensor::InsertOp::create(nb, gl, pick(ak, bk), keys2,
                                                     ValueRange{r, pi});
                    Value idx2 = tensor::InsertOp::create(nb, gl, pick(bi, ai), it[1],
                                                          ValueRange{r, i});
                    idx2 = tensor::InsertOp::create(nb, gl, pick(ai, bi), idx2,
                                                    ValueRange{r, pi});
                    return {keys2, idx2};
                  });
            });
      },
      /*independent=*/false);
  return {sorted[0], sorted[1]};
}

template <typename OpT, bool wantIndices>
struct SortPattern : ArrayPattern<OpT> {
  using ArrayPattern<OpT>::ArrayPattern;
  LogicalResult matchAndRewrite(OpT op, typename ArrayPattern<OpT>::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = this->convertedResult(op);
    auto in = tensorType(adaptor.getOperand());
    Type orig = elementOf(op.getOperand());
    if (isa<ComplexType>(orig))
      return op.emitOpError("cannot lower for element type ") << orig;
    if (type.getNumElements() == 0) {
      rewriter.replaceOp(op, emptyTensor(rewriter, loc, type.getShape(),
                                         type.getElementType()));
      return success();
    }
    int64_t axis = op.getAxis(), n = in.getDimSize(axis);
    Value rowsV = toRows(rewriter, loc, adaptor.getOperand(), axis);
    auto [keys, idx] = bitonicSort(rewriter, loc, rowsV,
                                   isUnsignedInt(orig) || isBool(orig));
    Value picked = wantIndices ? idx : keys;
    auto pickedType = tensorType(picked);
    int64_t rows = pickedType.getDimSize(0);
    Value trimmed = tensor::ExtractSliceOp::create(
        rewriter, loc, RankedTensorType::get({rows, n}, pickedType.getElementType()), picked,
        ValueRange{}, ValueRange{}, ValueRange{}, ArrayRef<int64_t>{0, 0},
        ArrayRef<int64_t>{rows, n}, ArrayRef<int64_t>{1, 1});
    rewriter.replaceOp(op, fromRows(rewriter, loc, trimmed, type.getShape(), axis,
                                    type.getElementType()));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Matmul and random bits
//===----------------------------------------------------------------------===//

struct MatmulPattern : ArrayPattern<MatmulOp> {
  using ArrayPattern::ArrayPattern;
  LogicalResult matchAndRewrite(MatmulOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = convertedResult(op);
    Type et = type.getElementType();
    // Half precision accumulates in f32, as MLX does.
    Type acc = isFloat(et) && et.getIntOrFloatBitWidth() < 32 ? rewriter.getF32Type() : et;
    if (isBool(elementOf(op.getLhs())))
      return op.emitOpError("cannot multiply boolean matrices; convert them first");
    auto lhsT = tensorType(adaptor.getLhs()), rhsT = tensorType(adaptor.getRhs());
    int64_t rank = type.getRank();
    int64_t m = type.getDimSize(rank - 2), n = type.getDimSize(rank - 1),
            k = lhsT.getDimSize(rank - 1);
    int64_t batch = 1;
    for (int64_t d = 0; d < rank - 2; ++d)
      batch *= type.getDimSize(d);
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    Value zero = scalarConst(rewriter, loc, acc, 0);
    // One generic over (batch, i, k, j): with j innermost, the inner loop streams
    // contiguous rows of rhs and of the result and carries no reduction, so LLVM
    // vectorizes it (linalg.matmul's (i, j, k) order reduces innermost).
    lhs = reshapeTensor(rewriter, loc, lhs,
                        RankedTensorType::get({batch, m, k}, lhsT.getElementType()));
    rhs = reshapeTensor(rewriter, loc, rhs,
                        RankedTensorType::get({batch, k, n}, rhsT.getElementType()));
    Value init = emptyTensor(rewriter, loc, {batch, m, n}, acc);
    init = linalg::FillOp::create(rewriter, loc, zero, init).getResult(0);
    if (acc == et && (et.isF32() || et.isF64())) {
      // A named op that mxc-matmul-to-blas turns into a BLAS call after
      // bufferization (fusion leaves named ops alone).
      Value result = linalg::BatchMatmulOp::create(rewriter, loc, TypeRange{init.getType()},
                                                   ValueRange{lhs, rhs}, ValueRange{init})
                         .getResult(0);
      rewriter.replaceOp(op, reshapeTensor(rewriter, loc, result, type));
      return success();
    }
    MLIRContext *ctx = rewriter.getContext();
    AffineExpr bd, i, kk, j;
    bindDims(ctx, bd, i, kk, j);
    SmallVector<AffineMap> maps = {AffineMap::get(4, 0, {bd, i, kk}, ctx),
                                   AffineMap::get(4, 0, {bd, kk, j}, ctx),
                                   AffineMap::get(4, 0, {bd, i, j}, ctx)};
    SmallVector<utils::IteratorType> iters = {
        utils::IteratorType::parallel, utils::IteratorType::parallel,
        utils::IteratorType::reduction, utils::IteratorType::parallel};
    bool fl = isFloat(acc);
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{init.getType()}, ValueRange{lhs, rhs}, ValueRange{init},
            maps, iters,
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value x = args[0], y = args[1];
              if (x.getType() != acc) {
                x = arith::ExtFOp::create(b, l, acc, x);
                y = arith::ExtFOp::create(b, l, acc, y);
              }
              Value prod, sum;
              if (isa<ComplexType>(acc)) {
                prod = complex::MulOp::create(b, l, x, y);
                sum = complex::AddOp::create(b, l, args[2], prod);
              } else if (fl) {
                prod = arith::MulFOp::create(b, l, x, y);
                sum = arith::AddFOp::create(b, l, args[2], prod);
              } else {
                prod = arith::MulIOp::create(b, l, x, y);
                sum = arith::AddIOp::create(b, l, args[2], prod);
              }
              linalg::YieldOp::create(b, l, sum);
            })
            .getResult(0);
    result = reshapeTensor(rewriter, loc, result, RankedTensorType::get(type.getShape(), acc));
    if (acc != et)
      result = elementwise(rewriter, loc, type, ValueRange{result},
                           [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                             return arith::TruncFOp::create(b, l, et, a[0]);
                           });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// threefry2x32 with 20 rounds (Salmon et al., as JAX).
std::pair<Value, Value> threefry(OpBuilder &b, Location loc, Value k0, Value k1, Value x0,
                                 Value x1) {
  Type i32 = b.getI32Type();
  auto c = [&](uint32_t v) {
    return arith::ConstantOp::create(b, loc, i32, b.getI32IntegerAttr(v)).getResult();
  };
  Value ks[3] = {k0, k1,
                 arith::XOrIOp::create(b, loc, arith::XOrIOp::create(b, loc, k0, k1),
                                       c(0x1BD11BDA))};
  auto rotl = [&](Value v, uint32_t r) -> Value {
    return arith::OrIOp::create(b, loc, arith::ShLIOp::create(b, loc, v, c(r)),
                                arith::ShRUIOp::create(b, loc, v, c(32 - r)));
  };
  const uint32_t rot[2][4] = {{13, 15, 26, 6}, {17, 29, 16, 24}};
  x0 = arith::AddIOp::create(b, loc, x0, ks[0]);
  x1 = arith::AddIOp::create(b, loc, x1, ks[1]);
  for (int g = 0; g < 5; ++g) {
    for (int r = 0; r < 4; ++r) {
      x0 = arith::AddIOp::create(b, loc, x0, x1);
      x1 = rotl(x1, rot[g % 2][r]);
      x1 = arith::XOrIOp::create(b, loc, x1, x0);
    }
    x0 = arith::AddIOp::create(b, loc, x0, ks[(g + 1) % 3]);
    x1 = arith::AddIOp::create(b, loc, arith::AddIOp::create(b, loc, x1, ks[(g + 2) % 3]),
                               c(g + 1));
  }
  return {x0, x1};
}

struct RandomBitsPattern : ArrayPattern<RandomBitsOp> {
  using ArrayPattern::ArrayPattern;
  LogicalResult matchAndRewrite(RandomBitsOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = convertedResult(op);
    int64_t total = type.getNumElements(), half = (total + 1) / 2;
    if (total >= (int64_t(1) << 32))
      return op.emitOpError("cannot draw more than 2^32 - 1 values at once");
    Value key = adaptor.getKey();
    Value k0 = tensor::ExtractOp::create(rewriter, loc, key, ValueRange{indexConst(rewriter, loc, 0)});
    Value k1 = tensor::ExtractOp::create(rewriter, loc, key, ValueRange{indexConst(rewriter, loc, 1)});
    Value init = emptyTensor(rewriter, loc, type.getShape(), type.getElementType());
    int64_t rank = type.getRank();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{}, ValueRange{init},
        ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(rank)}, parallel(rank),
        [&](OpBuilder &b, Location l, ValueRange) {
          // Row-major linear index.
          Value lin = indexConst(b, l, 0);
          for (int64_t d = 0; d < rank; ++d) {
            lin = arith::MulIOp::create(b, l, lin, indexConst(b, l, type.getDimSize(d)));
            lin = arith::AddIOp::create(b, l, lin, linalg::IndexOp::create(b, l, d));
          }
          Type i32 = b.getI32Type();
          Value h = indexConst(b, l, half);
          Value second = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, lin, h);
          Value j = arith::SelectOp::create(b, l, second,
                                            arith::SubIOp::create(b, l, lin, h), lin);
          Value x0 = arith::IndexCastUIOp::create(b, l, i32, j);
          // The second counter word past the end (odd sizes) is 0, as MLX.
          Value c1 = arith::AddIOp::create(b, l, j, h);
          Value past = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, c1,
                                             indexConst(b, l, total));
          c1 = arith::SelectOp::create(b, l, past, indexConst(b, l, 0), c1);
          Value x1 = arith::IndexCastUIOp::create(b, l, i32, c1);
          auto [y0, y1] = threefry(b, l, k0, k1, x0, x1);
          linalg::YieldOp::create(b, l, arith::SelectOp::create(b, l, second, y1, y0).getResult());
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

template <typename OpT>
struct TransformOpPattern : ArrayPattern<OpT> {
  using ArrayPattern<OpT>::ArrayPattern;
  LogicalResult matchAndRewrite(OpT op, typename ArrayPattern<OpT>::Adaptor,
                                ConversionPatternRewriter &) const override {
    return op.emitOpError("must be expanded (array-autodiff / array-vectorize) before "
                          "convert-array-to-linalg");
  }
};

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

template <typename... Ops>
void addElementwise(RewritePatternSet &patterns, TypeConverter &converter) {
  (patterns.add<ElementwisePattern<Ops>>(converter, patterns.getContext()), ...);
}

struct ConvertArrayToLinalgPass
    : array::impl::ConvertArrayToLinalgBase<ConvertArrayToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    splitLongScans(getOperation());
    ArrayTypeConverter converter;
    RewritePatternSet patterns(ctx);
    addElementwise<AbsOp, NegativeOp, SignOp, SquareOp, ExpOp, Expm1Op, LogOp, Log1pOp,
                   Log2Op, Log10Op, SinOp, CosOp, TanOp, ArcsinOp, ArccosOp, ArctanOp,
                   SinhOp, CoshOp, TanhOp, ArcsinhOp, ArccoshOp, ArctanhOp, SqrtOp, RsqrtOp,
                   ReciprocalOp, FloorOp, CeilOp, RoundOp, ErfOp, ErfinvOp, SigmoidOp,
                   LogicalNotOp, BitwiseInvertOp, IsnanOp, IsinfOp, StopGradientOp,
                   ConjugateOp, ImagOp>(patterns, converter);
    addElementwise<AddOp, SubtractOp, MultiplyOp, DivideOp, FloorDivideOp, RemainderOp,
                   PowerOp, MaximumOp, MinimumOp, Arctan2Op, LogaddexpOp, LogicalAndOp,
                   LogicalOrOp, BitwiseAndOp, BitwiseOrOp, BitwiseXorOp, LeftShiftOp,
                   RightShiftOp, EqualOp, NotEqualOp, LessOp, LessEqualOp, GreaterOp,
                   GreaterEqualOp, SelectOp, ConvertOp, BitcastOp>(patterns, converter);
    patterns.add<ConstantPattern, IotaPattern, BroadcastInDimPattern, ReshapePattern,
                 TransposePattern, SlicePattern, DynamicSlicePattern,
                 DynamicUpdateSlicePattern, ConcatenatePattern, PadPattern, GatherPattern,
                 ScatterPattern<ScatterOp>, ScatterPattern<ScatterAddOp>,
                 ScatterPattern<ScatterMultiplyOp>, ScatterPattern<ScatterMaxOp>,
                 ScatterPattern<ScatterMinOp>, ReducePattern<SumOp, Combine::Sum>,
                 ReducePattern<ProdOp, Combine::Prod>, ReducePattern<MaxOp, Combine::Max>,
                 ReducePattern<MinOp, Combine::Min>, ReducePattern<AllOp, Combine::All>,
                 ReducePattern<AnyOp, Combine::Any>, ArgReducePattern<ArgmaxOp, true>,
                 ArgReducePattern<ArgminOp, false>, ScanPattern<CumsumOp, Combine::Sum>,
                 ScanPattern<CumprodOp, Combine::Prod>, ScanPattern<CummaxOp, Combine::Max>,
                 ScanPattern<CumminOp, Combine::Min>, SortPattern<SortOp, false>,
                 SortPattern<ArgsortOp, true>, MatmulPattern, RandomBitsPattern,
                 TransformOpPattern<VjpOp>, TransformOpPattern<JvpOp>,
                 TransformOpPattern<VmapOp>>(converter, ctx);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns, converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);

    ConversionTarget target(*ctx);
    target.addIllegalDialect<ArrayDialect>();
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect, math::MathDialect,
                           scf::SCFDialect, tensor::TensorDialect, complex::ComplexDialect,
                           bufferization::BufferizationDialect>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
      return converter.isSignatureLegal(op.getFunctionType()) &&
             converter.isLegal(&op.getBody());
    });
    target.addDynamicallyLegalOp<func::ReturnOp, func::CallOp>(
        [&](Operation *op) { return converter.isLegal(op); });
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    if (failed(applyPartialConversion(getOperation(), target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
