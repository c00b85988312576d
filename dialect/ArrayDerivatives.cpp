//===- ArrayDerivatives.cpp - VJP and JVP rules of the `array` ops --------===//
//
// Each op's DifferentiableOpInterface implementation. Rules emit only `array`
// ops, which have rules of their own: higher derivatives come for free.
//
// Conventions: a null cotangent/tangent is zero. Only floating-point values
// carry derivatives; integer and boolean results never get one.
//
//===----------------------------------------------------------------------===//
#include "dialect/ArrayOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <complex>

using namespace mlir;
using namespace mlir::array;

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kLn2 = 0.69314718055994530942;
constexpr double kLn10 = 2.30258509299404568402;

RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }

bool isDifferentiable(Value v) {
  Type et = typeOf(v).getElementType();
  return isa<FloatType, ComplexType>(et);
}

/// Small builders for rules; every value is a ranked tensor.
struct Emit {
  OpBuilder &b;
  Location loc;

  Value splat(double value, RankedTensorType type, double imaginary = 0) {
    Type et = type.getElementType();
    if (auto ct = dyn_cast<ComplexType>(et))
      return ConstantOp::create(
          b, loc, DenseElementsAttr::get(type, {std::complex<APFloat>(
                                                   APFloat(static_cast<float>(value)),
                                                   APFloat(static_cast<float>(imaginary)))}));
    Attribute element;
    if (isa<FloatType>(et))
      element = b.getFloatAttr(et, value);
    else
      element = b.getIntegerAttr(et, static_cast<int64_t>(value));
    return ConstantOp::create(b, loc, DenseElementsAttr::get(type, element));
  }
  Value like(double value, Value x) { return splat(value, typeOf(x)); }
  Value zerosLike(Value x) { return like(0.0, x); }

  Value add(Value x, Value y) { return AddOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return SubtractOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return MultiplyOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return DivideOp::create(b, loc, x, y); }
  /// A cotangent times a partial derivative: g * conj(d) for complex values (the
  /// VJP of a holomorphic f is g * conj(f'(z)), as MLX and JAX have it).
  Value mulConj(Value g, Value d) {
    if (isa<ComplexType>(typeOf(d).getElementType()))
      d = ConjugateOp::create(b, loc, d);
    return mul(g, d);
  }
  Value neg(Value x) { return NegativeOp::create(b, loc, x); }
  Value scale(Value x, double c) { return mul(x, like(c, x)); }
  Value select(Value c, Value x, Value y) { return SelectOp::create(b, loc, c, x, y); }
  Value square(Value x) { return mul(x, x); }
  Value convert(Value x, Type elementType) {
    auto t = typeOf(x);
    if (t.getElementType() == elementType)
      return x;
    return ConvertOp::create(b, loc, RankedTensorType::get(t.getShape(), elementType), x);
  }
  /// A 0/1 float mask of the type of `like` from a boolean tensor.
  Value mask(Value condition, Value likeValue) {
    return convert(condition, typeOf(likeValue).getElementType());
  }
  Value reshape(Value x, ArrayRef<int64_t> shape) {
    auto t = typeOf(x);
    if (t.getShape() == shape)
      return x;
    return ReshapeOp::create(b, loc, RankedTensorType::get(shape, t.getElementType()), x);
  }
  Value broadcast(Value x, ArrayRef<int64_t> shape, ArrayRef<int64_t> dims) {
    auto t = typeOf(x);
    if (t.getShape() == shape)
      return x;
    return BroadcastInDimOp::create(b, loc, RankedTensorType::get(shape, t.getElementType()),
                                    x, dims);
  }
  Value sum(Value x, ArrayRef<int64_t> axes) {
    if (axes.empty())
      return x;
    return SumOp::create(b, loc, x, axes);
  }
  Value transpose(Value x, ArrayRef<int64_t> perm) {
    return TransposeOp::create(b, loc, x, perm);
  }
  /// Broadcasts a reduction result (axes removed) back to `shape`.
  Value unreduce(Value x, ArrayRef<int64_t> shape, ArrayRef<int64_t> axes) {
    SmallVector<int64_t> dims;
    for (int64_t d = 0; d < static_cast<int64_t>(shape.size()); ++d)
      if (!llvm::is_contained(axes, d))
        dims.push_back(d);
    return broadcast(x, shape, dims);
  }
};

/// Sums `x` down to `shape` inverting a broadcast_in_dim with `dims`.
Value unbroadcast(Emit &e, Value x, RankedTensorType target, ArrayRef<int64_t> dims) {
  auto t = typeOf(x);
  SmallVector<int64_t> axes;
  for (int64_t d = 0; d < t.getRank(); ++d) {
    auto it = llvm::find(dims, d);
    if (it == dims.end()) {
      axes.push_back(d);
      continue;
    }
    int64_t i = it - dims.begin();
    if (target.getDimSize(i) == 1 && t.getDimSize(d) != 1)
      axes.push_back(d);
  }
  return e.reshape(e.sum(x, axes), target.getShape());
}

//===----------------------------------------------------------------------===//
// Elementwise: one derivative serves both directions
//===----------------------------------------------------------------------===//

/// dy/dx of a unary op at x (result y); null when the op is piecewise constant.
Value unaryDerivative(Emit &e, Operation *op, Value x, Value y) {
  return llvm::TypeSwitch<Operation *, Value>(op)
      .Case([&](AbsOp) { return e.convert(SignOp::create(e.b, e.loc, x), typeOf(x).getElementType()); })
      .Case([&](SquareOp) { return e.scale(x, 2.0); })
      .Case([&](ExpOp) { return y; })
      .Case([&](Expm1Op) { return e.add(y, e.like(1.0, y)); })
      .Case([&](LogOp) { return ReciprocalOp::create(e.b, e.loc, x).getResult(); })
      .Case([&](Log1pOp) { return ReciprocalOp::create(e.b, e.loc, e.add(x, e.like(1.0, x))).getResult(); })
      .Case([&](Log2Op) {
        return ReciprocalOp::create(e.b, e.loc, e.scale(x, kLn2)).getResult();
      })
      .Case([&](Log10Op) {
        return ReciprocalOp::create(e.b, e.loc, e.scale(x, kLn10)).getResult();
      })
      .Case([&](SinOp) { return CosOp::create(e.b, e.loc, x).getResult(); })
      .Case([&](CosOp) { return e.neg(SinOp::create(e.b, e.loc, x)); })
      .Case([&](TanOp) { return e.add(e.like(1.0, y), e.square(y)); })
      .Case([&](ArcsinOp) {
        return RsqrtOp::create(e.b, e.loc, e.sub(e.like(1.0, x), e.square(x))).getResult();
      })
      .Case([&](ArccosOp) {
        return e.neg(RsqrtOp::create(e.b, e.loc, e.sub(e.like(1.0, x), e.square(x))));
      })
      .Case([&](ArctanOp) {
        return ReciprocalOp::create(e.b, e.loc, e.add(e.like(1.0, x), e.square(x))).getResult();
      })
      .Case([&](SinhOp) { return CoshOp::create(e.b, e.loc, x).getResult(); })
      .Case([&](CoshOp) { return SinhOp::create(e.b, e.loc, x).getResult(); })
      .Case([&](TanhOp) { return e.sub(e.like(1.0, y), e.square(y)); })
      .Case([&](ArcsinhOp) {
        return RsqrtOp::create(e.b, e.loc, e.add(e.square(x), e.like(1.0, x))).getResult();
      })
      .Case([&](ArccoshOp) {
        return RsqrtOp::create(e.b, e.loc, e.sub(e.square(x), e.like(1.0, x))).getResult();
      })
      .Case([&](ArctanhOp) {
        return ReciprocalOp::create(e.b, e.loc, e.sub(e.like(1.0, x), e.square(x))).getResult();
      })
      .Case([&](SqrtOp) { return e.div(e.like(0.5, y), y); })
      .Case([&](RsqrtOp) { return e.mul(e.like(-0.5, y), e.div(y, x)); })
      .Case([&](ReciprocalOp) { return e.neg(e.square(y)); })
      .Case([&](ErfOp) {
        return e.scale(ExpOp::create(e.b, e.loc, e.neg(e.square(x))),
                       2.0 / std::sqrt(kPi));
      })
      .Case([&](ErfinvOp) {
        return e.scale(ExpOp::create(e.b, e.loc, e.square(y)), std::sqrt(kPi) / 2.0);
      })
      .Case([&](SigmoidOp) { return e.mul(y, e.sub(e.like(1.0, y), y)); })
      .Default([](Operation *) { return Value(); });
}

/// Partial derivatives (d/dlhs, d/drhs) of a binary op; null for zero.
std::pair<Value, Value> binaryPartials(Emit &e, Operation *op, Value a, Value b, Value y) {
  using P = std::pair<Value, Value>;
  return llvm::TypeSwitch<Operation *, P>(op)
      .Case([&](MultiplyOp) { return P{b, a}; })
      .Case([&](DivideOp) {
        Value inv = ReciprocalOp::create(e.b, e.loc, b);
        return P{inv, e.neg(e.mul(y, inv))};
      })
      .Case([&](RemainderOp) {
        Value q = FloorOp::create(e.b, e.loc, e.div(a, b));
        return P{e.like(1.0, a), e.neg(q)};
      })
      .Case([&](PowerOp) {
        // d/da = b a^(b-1); d/db = y log(a), taken as 0 where a == 0.
        Value da = e.mul(b, PowerOp::create(e.b, e.loc, a, e.sub(b, e.like(1.0, b))));
        Value zero = e.zerosLike(a);
        Value isZero = EqualOp::create(e.b, e.loc, a, zero);
        Value safe = e.select(isZero, e.like(1.0, a), a);
        Value db = e.select(isZero, zero, e.mul(y, LogOp::create(e.b, e.loc, safe)));
        return P{da, db};
      })
      // As MLX: on ties the derivative goes to rhs.
      .Case([&](MaximumOp) {
        Value m = e.mask(GreaterOp::create(e.b, e.loc, a, b), a);
        return P{m, e.sub(e.like(1.0, m), m)};
      })
      .Case([&](MinimumOp) {
        Value m = e.mask(LessOp::create(e.b, e.loc, a, b), a);
        return P{m, e.sub(e.like(1.0, m), m)};
      })
      .Case([&](Arctan2Op) {
        Value r = ReciprocalOp::create(e.b, e.loc, e.add(e.square(a), e.square(b)));
        return P{e.mul(b, r), e.neg(e.mul(a, r))};
      })
      .Case([&](LogaddexpOp) {
        return P{ExpOp::create(e.b, e.loc, e.sub(a, y)).getResult(),
                 ExpOp::create(e.b, e.loc, e.sub(b, y)).getResult()};
      })
      .Default([](Operation *) { return P{}; });
}

/// Non-differentiable ops: no operand gets a cotangent, no result a tangent.
LogicalResult zeroVJP(Operation *op, SmallVectorImpl<Value> &out) {
  out.assign(op->getNumOperands(), Value());
  return success();
}
LogicalResult zeroJVP(Operation *op, SmallVectorImpl<Value> &out) {
  out.assign(op->getNumResults(), Value());
  return success();
}

LogicalResult unaryVJP(Operation *op, OpBuilder &b, ValueRange cts,
                       SmallVectorImpl<Value> &out) {
  out.assign(1, Value());
  Value x = op->getOperand(0), y = op->getResult(0);
  if (!cts[0] || !isDifferentiable(x))
    return success();
  Emit e{b, op->getLoc()};
  if (Value d = unaryDerivative(e, op, x, y))
    out[0] = e.mulConj(cts[0], d);
  return success();
}

LogicalResult unaryJVP(Operation *op, OpBuilder &b, ValueRange ts,
                       SmallVectorImpl<Value> &out) {
  out.assign(1, Value());
  Value x = op->getOperand(0), y = op->getResult(0);
  if (!ts[0] || !isDifferentiable(y))
    return success();
  Emit e{b, op->getLoc()};
  if (Value d = unaryDerivative(e, op, x, y))
    out[0] = e.mul(ts[0], d);
  return success();
}

LogicalResult binaryVJP(Operation *op, OpBuilder &b, ValueRange cts,
                        SmallVectorImpl<Value> &out) {
  out.assign(2, Value());
  Value a = op->getOperand(0), bb = op->getOperand(1), y = op->getResult(0), g = cts[0];
  if (!g || !isDifferentiable(y))
    return success();
  Emit e{b, op->getLoc()};
  if (isa<AddOp>(op)) {
    out.assign({g, g});
  } else if (isa<SubtractOp>(op)) {
    out.assign({g, e.neg(g)});
  } else {
    auto [da, db] = binaryPartials(e, op, a, bb, y);
    out.assign({da ? e.mulConj(g, da) : Value(), db ? e.mulConj(g, db) : Value()});
  }
  return success();
}

LogicalResult binaryJVP(Operation *op, OpBuilder &b, ValueRange ts,
                        SmallVectorImpl<Value> &out) {
  out.assign(1, Value());
  Value a = op->getOperand(0), bb = op->getOperand(1), y = op->getResult(0);
  if (!isDifferentiable(y) || (!ts[0] && !ts[1]))
    return success();
  Emit e{b, op->getLoc()};
  Value ta = ts[0], tb = ts[1];
  if (isa<AddOp>(op)) {
    out[0] = ta && tb ? e.add(ta, tb) : (ta ? ta : tb);
    return success();
  }
  if (isa<SubtractOp>(op)) {
    out[0] = ta && tb ? e.sub(ta, tb) : (ta ? ta : e.neg(tb));
    return success();
  }
  auto [da, db] = binaryPartials(e, op, a, bb, y);
  Value ra = ta && da ? e.mul(ta, da) : Value();
  Value rb = tb && db ? e.mul(tb, db) : Value();
  out[0] = ra && rb ? e.add(ra, rb) : (ra ? ra : rb);
  return success();
}

/// Linear ops: the JVP applies the op to the tangents (zeros for missing ones).
LogicalResult linearJVP(Operation *op, OpBuilder &b, ValueRange ts,
                        SmallVectorImpl<Value> &out, ArrayRef<unsigned> linearOperands) {
  out.assign(op->getNumResults(), Value());
  if (!isDifferentiable(op->getResult(0)))
    return success();
  if (llvm::none_of(linearOperands, [&](unsigned i) { return bool(ts[i]); }))
    return success();
  Emit e{b, op->getLoc()};
  IRMapping map;
  for (unsigned i : linearOperands)
    map.map(op->getOperand(i), ts[i] ? ts[i] : e.zerosLike(op->getOperand(i)));
  Operation *clone = b.clone(*op, map);
  for (unsigned r = 0; r < op->getNumResults(); ++r)
    out[r] = clone->getResult(r);
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// Rules per op
//===----------------------------------------------------------------------===//

#define ARRAY_UNARY_RULES(OP)                                                            \
  LogicalResult OP::buildVJP(OpBuilder &b, ValueRange cts, SmallVectorImpl<Value> &out) { \
    return unaryVJP(*this, b, cts, out);                                                 \
  }                                                                                      \
  LogicalResult OP::buildJVP(OpBuilder &b, ValueRange ts, SmallVectorImpl<Value> &out) {  \
    return unaryJVP(*this, b, ts, out);                                                  \
  }
ARRAY_UNARY_RULES(AbsOp)
ARRAY_UNARY_RULES(SquareOp)
ARRAY_UNARY_RULES(ExpOp)
ARRAY_UNARY_RULES(Expm1Op)
ARRAY_UNARY_RULES(LogOp)
ARRAY_UNARY_RULES(Log1pOp)
ARRAY_UNARY_RULES(Log2Op)
ARRAY_UNARY_RULES(Log10Op)
ARRAY_UNARY_RULES(SinOp)
ARRAY_UNARY_RULES(CosOp)
ARRAY_UNARY_RULES(TanOp)
ARRAY_UNARY_RULES(ArcsinOp)
ARRAY_UNARY_RULES(ArccosOp)
ARRAY_UNARY_RULES(ArctanOp)
ARRAY_UNARY_RULES(SinhOp)
ARRAY_UNARY_RULES(CoshOp)
ARRAY_UNARY_RULES(TanhOp)
ARRAY_UNARY_RULES(ArcsinhOp)
ARRAY_UNARY_RULES(ArccoshOp)
ARRAY_UNARY_RULES(ArctanhOp)
ARRAY_UNARY_RULES(SqrtOp)
ARRAY_UNARY_RULES(RsqrtOp)
ARRAY_UNARY_RULES(ReciprocalOp)
ARRAY_UNARY_RULES(ErfOp)
ARRAY_UNARY_RULES(ErfinvOp)
ARRAY_UNARY_RULES(SigmoidOp)
#undef ARRAY_UNARY_RULES

#define ARRAY_BINARY_RULES(OP)                                                           \
  LogicalResult OP::buildVJP(OpBuilder &b, ValueRange cts, SmallVectorImpl<Value> &out) { \
    return binaryVJP(*this, b, cts, out);                                                \
  }                                                                                      \
  LogicalResult OP::buildJVP(OpBuilder &b, ValueRange ts, SmallVectorImpl<Value> &out) {  \
    return binaryJVP(*this, b, ts, out);                                                 \
  }
ARRAY_BINARY_RULES(AddOp)
ARRAY_BINARY_RULES(SubtractOp)
ARRAY_BINARY_RULES(MultiplyOp)
ARRAY_BINARY_RULES(DivideOp)
ARRAY_BINARY_RULES(RemainderOp)
ARRAY_BINARY_RULES(PowerOp)
ARRAY_BINARY_RULES(MaximumOp)
ARRAY_BINARY_RULES(MinimumOp)
ARRAY_BINARY_RULES(Arctan2Op)
ARRAY_BINARY_RULES(LogaddexpOp)
#undef ARRAY_BINARY_RULES

// Piecewise-constant, boolean, integer and random ops: zero derivatives.
#define ARRAY_ZERO_RULES(OP)                                                             \
  LogicalResult OP::buildVJP(OpBuilder &, ValueRange, SmallVectorImpl<Value> &out) {      \
    return zeroVJP(*this, out);                                                          \
  }                                                                                      \
  LogicalResult OP::buildJVP(OpBuilder &, ValueRange, SmallVectorImpl<Value> &out) {      \
    return zeroJVP(*this, out);                                                          \
  }
ARRAY_ZERO_RULES(SignOp)
ARRAY_ZERO_RULES(FloorOp)
ARRAY_ZERO_RULES(CeilOp)
ARRAY_ZERO_RULES(RoundOp)
ARRAY_ZERO_RULES(LogicalNotOp)
ARRAY_ZERO_RULES(BitwiseInvertOp)
ARRAY_ZERO_RULES(IsnanOp)
ARRAY_ZERO_RULES(IsinfOp)
ARRAY_ZERO_RULES(FloorDivideOp)
ARRAY_ZERO_RULES(LogicalAndOp)
ARRAY_ZERO_RULES(LogicalOrOp)
ARRAY_ZERO_RULES(BitwiseAndOp)
ARRAY_ZERO_RULES(BitwiseOrOp)
ARRAY_ZERO_RULES(BitwiseXorOp)
ARRAY_ZERO_RULES(LeftShiftOp)
ARRAY_ZERO_RULES(RightShiftOp)
ARRAY_ZERO_RULES(EqualOp)
ARRAY_ZERO_RULES(NotEqualOp)
ARRAY_ZERO_RULES(LessOp)
ARRAY_ZERO_RULES(LessEqualOp)
ARRAY_ZERO_RULES(GreaterOp)
ARRAY_ZERO_RULES(GreaterEqualOp)
ARRAY_ZERO_RULES(BitcastOp)
ARRAY_ZERO_RULES(StopGradientOp)
ARRAY_ZERO_RULES(ConstantOp)
ARRAY_ZERO_RULES(IotaOp)
ARRAY_ZERO_RULES(AllOp)
ARRAY_ZERO_RULES(AnyOp)
ARRAY_ZERO_RULES(ArgmaxOp)
ARRAY_ZERO_RULES(ArgminOp)
ARRAY_ZERO_RULES(ArgsortOp)
ARRAY_ZERO_RULES(RandomBitsOp)
#undef ARRAY_ZERO_RULES

LogicalResult NegativeOp::buildVJP(OpBuilder &b, ValueRange cts, SmallVectorImpl<Value> &out) {
  Emit e{b, getLoc()};
  out.assign({cts[0] && isDifferentiable(getOperand()) ? e.neg(cts[0]) : Value()});
  return success();
}
LogicalResult NegativeOp::buildJVP(OpBuilder &b, ValueRange ts, SmallVectorImpl<Value> &out) {
  return linearJVP(*this, b, ts, out, {0});
}

LogicalResult ConjugateOp::buildVJP(OpBuilder &b, ValueRange cts, SmallVectorImpl<Value> &out) {
  out.assign({cts[0] ? (Value)ConjugateOp::create(b, getLoc(), cts[0]) : Value()});
  return success();
}
LogicalResult ConjugateOp::buildJVP(OpBuilder &b, ValueRange ts, SmallVectorImpl<Value> &out) {
  return linearJVP(*this, b, ts, out, {0});
}

/// imag is R-linear: its cotangent goes back as i * g (MLX's convention, the
/// adjoint under Re(conj(a) b)).
LogicalResult ImagOp::buildVJP(OpBuilder &b, ValueRange cts, SmallVectorImpl<Value> &out) {
  out.assign(1, Value());
  if (cts[0]) {
    Emit e{b, getLoc()};
    auto complexType = typeOf(getOperand());
    Value g = e.convert(cts[0], complexType.getElementType());
    out[0] = e.mul(g, e.splat(0, complexType, 1));
  }
  return success();
}
LogicalResult ImagOp::buildJVP(OpBuilder &b, ValueRange ts, SmallVectorImpl<Value> &out) {
  return linearJVP(*this, b, ts, out, {0});
}

LogicalResult SelectOp::buildVJP(OpBuilder &b, ValueRange cts, SmallVectorImpl<Value> &out) {
  out.assign(3, Value());
  if (!cts[0] || !isDifferentiable(getResult()))
    return success();
  Emit e{b, getLoc()};
  Value zero = e.zerosLike(cts[0]);
  out[1] = e.select(getCondition(), cts[0], zero);
  out[2] = e.select(getCondition(), zero, cts[0]);
  return success();
}
LogicalResult SelectOp::buildJVP(OpBuilder &b, ValueRange ts, SmallVectorImpl<Value> &out) {
  return linearJVP(*this, b, ts, out, {1, 2});
}

LogicalResult ConvertOp::buildVJP(OpBuilder &b, ValueRange cts, SmallVectorImpl<Value> &out) {
  out.assign(1, Value());
  if (cts[0] && isDifferentiable(getOperand()) && isDifferentiable(getResult())) {
    Emit e{b, getLoc()};
    out[0] = e.convert(cts[0], typeOf(getOperand()).getElementType());
  }
  return success();
}
LogicalResult ConvertOp::buildJVP(OpBuilder &b, ValueRange ts, SmallVectorImpl<Value> &out) {
  out.assign(1, Value());
  if (ts[0] && isDifferentiable(getOperand()) && isDifferentiable(getResult())) {
    Emit e{b, getLoc()};
    out[0] = e.convert(ts[0], getType().getElementType());
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

LogicalResult BroadcastInDimOp::buildVJP(OpBuilder &b, ValueRange cts,
                                         SmallVectorImpl<Value> &out) {
  out.assign(1, Value());
  if (!cts[0] || !isDifferentiable(getOperand()))
    return success();
  Emit e{b, getLoc()};
  out[0] = unbroadcast(e, cts[0], typeOf(getOperand()), getBroadcastDimensions());
  return success();
}
LogicalResult BroadcastInDimOp::buildJVP(OpBuilder &b, ValueRange ts,
                                         SmallVectorImpl<Value> &out) {
  return linearJVP(*this, b, ts, out, {0});
}

LogicalResult ReshapeOp::buildVJP(OpBuilder &b, ValueRange cts, SmallVectorImpl<Value> &out) {
  Emit e{b, getLoc()};
  out.assign({cts[0] && isDifferentiable(getOperand())
             ? e.reshape(cts[0], typeOf(getOperand()).getShape())
             : Value()});
  return success();
}
LogicalResult ReshapeOp::buildJVP(OpBuilder &b, ValueRange ts, SmallVectorImpl<Value> &out) {
  return linearJVP(*this, b, ts, out, {0});
}

LogicalResult TransposeOp::buildVJP(OpBuilder &b, ValueRange cts, SmallVectorImpl<Value> &out) {
  out.assign(1, Value());
  if (!cts[0] || !isDifferentiable(getOperand()))
    return success();
  SmallVector<int64_t> inverse(getPermutation().size());
  for (auto [i, p] : llvm::enumerate(getPermutation()))
    inverse[p] = i;
  Emit e{b, getLoc()};
  out[0] = e.transpose(cts[0], inverse);
  return success();
}
LogicalResult TransposeOp::buildJVP(OpBuilder &b, ValueRange ts, SmallVectorImpl<Value> &out) {
  return linearJVP(*this, b, ts, out, {0});
}

/// Scatter-adds `g` into zeros of `type` at an explicit index array per dimension
/// (the general adjoint of reads that pick elements).
static Value scatterAddInto(Emit &e, Value g, RankedTensorType type,
                            ArrayRef<Value> indexPerDim) {
  Value zero = e.splat(0.0, type);
  auto gt = typeOf(g);
  SmallVector<int64_t> updShape(gt.getShape());
  updShape.append(type.getRank(), 1);
  Value upd = e.reshape(g, updShape);
  SmallVector<int64_t> axes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    axes.push_back(d);
  return ScatterAddOp::create(e.b, e.loc, type, zero, indexPerDim, upd, axes);
}

LogicalResult SliceOp::buildVJP(OpBuilder &b, ValueRange cts, SmallVectorImpl<Value> &out) {
  out.assign(1, Value());
  if (!cts[0] || !isDifferentiable(getOperand()))
    return success();
  Emit e{b, getLoc()};
  auto in = typeOf(getOperand());
  ArrayRef<int64_t> start = getStartIndices(), sizes = getSizes(), strides = getStrides();
  if (llvm::all_of(strides, [](int64_t s) { return s == 1; })) {
    SmallVector<int64_t> low(start), high;
    for (int64_t d = 0; d < in.getRank(); ++d)
      high.push_back(in.getDimSize(d) - start[d] - sizes[d]);
    Value zero = e.splat(0.0, RankedTensorType::get({}, in.getElementType()));
    out[0] = PadOp::create(b, getLoc(), cts[0], zero, low, high);
    return success();
  }
  // Strided: coordinates start + stride * i per dimension.
  auto gt = typeOf(cts[0]);
  SmallVector<Value> coords;
  auto i64 = RankedTensorType::get(gt.getShape(), b.getI64Type());
  for (int64_t d = 0; d < in.getRank(); ++d) {
    Value ramp = IotaOp::create(b, getLoc(), i64, d);
    coords.push_back(e.add(e.mul(ramp, e.splat(strides[d], i64)), e.splat(start[d], i64)));
  }
  out[0] = scatterAddInto(e, cts[0], in, coords);
  return success();
}
LogicalResult SliceOp::buildJVP(OpBuilder &b, ValueRange ts, SmallVectorImpl<Value> &out) {
  return linearJVP(*this, b, ts, out, {0});
}

LogicalResult DynamicSliceOp::buildVJP(OpBuilder &b, ValueRange cts,
                                       SmallVectorImpl<Value> &out) {
  out.assign(getNumOperands(), Value());
  if (!cts[0] || !isDifferentiable(getOperand()))
    return success();
  Emit e{b, getLoc()};
  out[0] = DynamicUpdateSliceOp::create(b, getLoc(), e.zerosLike(getOperand()), cts[0],
                                        getStartIndices());
  return success();
}
LogicalResult DynamicSliceOp::buildJVP(OpBuilder &b, ValueRange ts,
                                       SmallVectorImpl<Value> &out) {
  return linearJVP(*this, b, ts, out, {0});
}

LogicalResult DynamicUpdateSliceOp::buildVJP(OpBuilder &b, ValueRange cts,
                                             SmallVectorImpl<Value> &out) {
  out.assign(getNumOperands(), Value());
  if (!cts[0] || !isDifferentiable(getOperand()))
    return success();
  Emit e{b, getLoc()};
  out[0] = DynamicUpdateSliceOp::create(b, getLoc(), cts[0], e.zerosLike(getUpdate()),
                                        getStartIndices());
  out[1] = DynamicSliceOp::create(b, getLoc(), cts[0], getStartIndices(),
                                  typeOf(getUpdate()).getShape());
  return success();
}
LogicalResult DynamicUpdateSliceOp::buildJVP(OpBuilder &b, ValueRange ts,
                                             SmallVectorImpl<Value> &out) {
  return linearJVP(*this, b, ts, out, {0, 1});
}

LogicalResult ConcatenateOp::buildVJP(OpBuilder &b, ValueRange cts,
                                      SmallVectorImpl<Value> &out) {
  out.assign(getNumOperands(), Value());
  if (!cts[0] || !isDifferentiable(getResult()))
    return success();
  int64_t dim = getDimension(), offset = 0;
  auto rt = typeOf(getResult());
  for (auto [i, input] : llvm::enumerate(getInputs())) {
    auto t = typeOf(input);
    SmallVector<int64_t> start(rt.getRank(), 0), strides(rt.getRank(), 1);
    start[dim] = offset;
    offset += t.getDimSize(dim);
    if (t.getNumElements() == 0)
      continue;
    out[i] = SliceOp::create(b, getLoc(), cts[0], start, t.getShape(), strides);
  }
  return success();
}
LogicalResult ConcatenateOp::buildJVP(OpBuilder &b, ValueRange ts,
                                      SmallVectorImpl<Value> &out) {
  SmallVector<unsigned> all;
  for (unsigned i = 0; i < getNumOperands(); ++i)
    all.push_back(i);
  return linearJVP(*this, b, ts, out, all);
}

LogicalResult PadOp::buildVJP(OpBuilder &b, ValueRange cts, SmallVectorImpl<Value> &out) {
  out.assign(2, Value());
  if (!cts[0] || !isDifferentiable(getResult()))
    return success();
  Emit e{b, getLoc()};
  auto in = typeOf(getOperand());
  SmallVector<int64_t> strides(in.getRank(), 1);
  Value inner = in.getNumElements() == 0
                    ? e.zerosLike(getOperand())
                    : (Value)SliceOp::create(b, getLoc(), cts[0], getLow(), in.getShape(),
                                             strides);
  out[0] = inner;
  SmallVector<int64_t> all, allIn;
  for (int64_t d = 0; d < in.getRank(); ++d)
    all.push_back(d);
  out[1] = e.sub(e.sum(cts[0], all), e.sum(inner, all));
  return success();
}
LogicalResult PadOp::buildJVP(OpBuilder &b, ValueRange ts, SmallVectorImpl<Value> &out) {
  return linearJVP(*this, b, ts, out, {0, 1});
}

//===----------------------------------------------------------------------===//
// Indexing
//===----------------------------------------------------------------------===//

LogicalResult GatherOp::buildVJP(OpBuilder &b, ValueRange cts, SmallVectorImpl<Value> &out) {
  out.assign(getNumOperands(), Value());
  if (!cts[0] || !isDifferentiable(getOperand()))
    return success();
  Emit e{b, getLoc()};
  out[0] = ScatterAddOp::create(b, getLoc(), getOperand().getType(),
                                e.zerosLike(getOperand()), getIndices(), cts[0], getAxes());
  return success();
}
LogicalResult GatherOp::buildJVP(OpBuilder &b, ValueRange ts, SmallVectorImpl<Value> &out) {
  return linearJVP(*this, b, ts, out, {0});
}

/// Operand indices of a scatter: operand, indices..., updates.
template <typename OpT>
static unsigned updatesIndex(OpT op) {
  return op->getNumOperands() - 1;
}

/// Values of `v` (operand-shaped) at each window of a scatter's updates.
template <typename OpT>
static Value atUpdates(OpT op, OpBuilder &b, Value v) {
  auto ut = typeOf(op.getUpdates());
  int64_t k = ut.getRank() - typeOf(op.getOperand()).getRank();
  Value g = GatherOp::create(b, op.getLoc(), v, op.getIndices(), op.getAxes(),
                             ut.getShape().drop_front(k));
  return Emit{b, op.getLoc()}.reshape(g, ut.getShape());
}

/// 1 where an update of a scatter is the one its position keeps (the last one
/// written there, as the forward op decides), else 0.
static Value updateKept(Emit &e, ScatterOp op) {
  auto ut = typeOf(op.getUpdates());
  auto ot = typeOf(op.getOperand());
  ArrayRef<int64_t> batch = ut.getShape().drop_back(ot.getRank());
  int64_t n = 1;
  for (int64_t d : batch)
    n *= d;
  if (n <= 1)
    return e.like(1.0, op.getUpdates());
  // Number each update, write the numbers as the op writes the updates, read back.
  auto i64 = e.b.getI64Type();
  Value ids = IotaOp::create(e.b, e.loc, RankedTensorType::get({n}, i64), 0);
  SmallVector<int64_t> idShape(batch);
  idShape.append(ot.getRank(), 1);
  SmallVector<int64_t> dims;
  for (int64_t d = 0; d < ut.getRank(); ++d)
    dims.push_back(d);
  ids = e.broadcast(e.reshape(ids, idShape), ut.getShape(), dims);
  Value owners = ScatterOp::create(e.b, e.loc, RankedTensorType::get(ot.getShape(), i64),
                                   e.splat(-1.0, RankedTensorType::get(ot.getShape(), i64)),
                                   op.getIndices(), ids, op.getAxes());
  return e.mask(EqualOp::create(e.b, e.loc, atUpdates(op, e.b, owners), ids), op.getUpdates());
}

LogicalResult ScatterOp::buildVJP(OpBuilder &b, ValueRange cts, SmallVectorImpl<Value> &out) {
  out.assign(getNumOperands(), Value());
  if (!cts[0] || !isDifferentiable(getResult()))
    return success();
  Emit e{b, getLoc()};
  // Overwritten positions pass nothing back to the operand, overwritten updates
  // nothing either (JAX's rule; MLX gives every repeated update the cotangent).
  out[0] = ScatterOp::create(b, getLoc(), getType(), cts[0], getIndices(),
                             e.zerosLike(getUpdates()), getAxes());
  out[updatesIndex(*this)] = e.mul(atUpdates(*this, b, cts[0]), updateKept(e, *this));
  return success();
}
LogicalResult ScatterOp::buildJVP(OpBuilder &b, ValueRange ts, SmallVectorImpl<Value> &out) {
  return linearJVP(*this, b, ts, out, {0, updatesIndex(*this)});
}

LogicalResult ScatterAddOp::buildVJP(OpBuilder &b, ValueRange cts,
                                     SmallVectorImpl<Value> &out) {
  out.assign(getNumOperands(), Value());
  if (!cts[0] || !isDifferentiable(getResult()))
    return success();
  auto ut = typeOf(getUpdates());
  out[0] = cts[0];
  int64_t k = ut.getRank() - typeOf(getOperand()).getRank();
  out[updatesIndex(*this)] = GatherOp::create(b, getLoc(), cts[0], getIndices(), getAxes(),
                                              ut.getShape().drop_front(k));
  return success();
}
LogicalResult ScatterAddOp::buildJVP(OpBuilder &b, ValueRange ts,
                                     SmallVectorImpl<Value> &out) {
  return linearJVP(*this, b, ts, out, {0, updatesIndex(*this)});
}

/// The tangent of a scatter's result from per-operand and per-update partials
/// `dOperand` and `dUpdates` (null tangents are zero).
template <typename OpT>
static void scatterJVPFromPartials(OpT op, OpBuilder &b, ValueRange ts, Value dOperand,
                                   Value dUpdates, SmallVectorImpl<Value> &out) {
  out.assign(1, Value());
  Value tOperand = ts[0], tUpdates = ts[op->getNumOperands() - 1];
  if ((!tOperand && !tUpdates) || !isDifferentiable(op.getResult()))
    return;
  Emit e{b, op.getLoc()};
  Value fromUpdates = e.zerosLike(op.getOperand());
  if (tUpdates)
    fromUpdates = ScatterAddOp::create(b, op.getLoc(), op.getOperand().getType(), fromUpdates,
                                       op.getIndices(), e.mul(tUpdates, dUpdates), op.getAxes());
  out[0] = tOperand ? e.add(e.mul(tOperand, dOperand), fromUpdates) : fromUpdates;
}

/// scatter_max / scatter_min: the values that won (equal the result at their
/// position) share the cotangent equally, as JAX's and as MLX's max reduction.
/// (MLX's scatter gives each tied winner all of it, which counts twice a value
/// broadcast to a repeated index.) The JVP averages the winners' tangents: the
/// transpose of that map.
template <typename OpT>
static std::pair<Value, Value> scatterExtremumPartials(OpT op, OpBuilder &b) {
  Emit e{b, op.getLoc()};
  Value operandWon = e.mask(EqualOp::create(b, op.getLoc(), op.getOperand(), op.getResult()),
                            op.getOperand());
  Value updateWon = e.mask(
      EqualOp::create(b, op.getLoc(), op.getUpdates(), atUpdates(op, b, op.getResult())),
      op.getUpdates());
  // Winners per position: at least one, the result is one of the candidates.
  Value count = ScatterAddOp::create(b, op.getLoc(), op.getOperand().getType(), operandWon,
                                     op.getIndices(), updateWon, op.getAxes());
  return {e.div(operandWon, count), e.div(updateWon, atUpdates(op, b, count))};
}
template <typename OpT>
static LogicalResult scatterExtremumVJP(OpT op, OpBuilder &b, ValueRange cts,
                                        SmallVectorImpl<Value> &out) {
  out.assign(op->getNumOperands(), Value());
  if (!cts[0] || !isDifferentiable(op.getResult()))
    return success();
  Emit e{b, op.getLoc()};
  auto [dOperand, dUpdates] = scatterExtremumPartials(op, b);
  out[0] = e.mul(cts[0], dOperand);
  out[op->getNumOperands() - 1] = e.mul(atUpdates(op, b, cts[0]), dUpdates);
  return success();
}
template <typename OpT>
static LogicalResult scatterExtremumJVP(OpT op, OpBuilder &b, ValueRange ts,
                                        SmallVectorImpl<Value> &out) {
  if (!isDifferentiable(op.getResult()))
    return zeroJVP(op, out);
  auto [dOperand, dUpdates] = scatterExtremumPartials(op, b);
  scatterJVPFromPartials(op, b, ts, dOperand, dUpdates, out);
  return success();
}
LogicalResult ScatterMaxOp::buildVJP(OpBuilder &b, ValueRange c, SmallVectorImpl<Value> &o) {
  return scatterExtremumVJP(*this, b, c, o);
}
LogicalResult ScatterMaxOp::buildJVP(OpBuilder &b, ValueRange t, SmallVectorImpl<Value> &o) {
  return scatterExtremumJVP(*this, b, t, o);
}
LogicalResult ScatterMinOp::buildVJP(OpBuilder &b, ValueRange c, SmallVectorImpl<Value> &o) {
  return scatterExtremumVJP(*this, b, c, o);
}
LogicalResult ScatterMinOp::buildJVP(OpBuilder &b, ValueRange t, SmallVectorImpl<Value> &o) {
  return scatterExtremumJVP(*this, b, t, o);
}

/// scatter_multiply: result = operand * (product of the updates at its position).
/// The partial of one factor f is the product of the other factors at its
/// position. With N the number of zero factors there, Q the product of the nonzero
/// ones and Z the sum of the zero ones (0, but not its derivative), it is Q / f
/// (N = 0), Z Q / f (N = 1) or 0 for f != 0; Q (N = 1) or (Z - f) Q (N = 2) or 0
/// for f = 0: exact with zeros and repeated indices, and so are its own first
/// derivatives. (MLX has no rule, JAX one only for unique indices.)
static std::pair<Value, Value> scatterMultiplyPartials(ScatterMultiplyOp op, OpBuilder &b) {
  Emit e{b, op.getLoc()};
  Value x = op.getOperand(), u = op.getUpdates();
  Location loc = op.getLoc();
  auto type = op.getType();
  Value one = e.like(1.0, x), oneU = e.like(1.0, u);
  Value dOperand =
      ScatterMultiplyOp::create(b, loc, type, one, op.getIndices(), u, op.getAxes());
  Value xZero = EqualOp::create(b, loc, x, e.zerosLike(x));
  Value uZero = EqualOp::create(b, loc, u, e.zerosLike(u));
  Value zeros = atUpdates(op, b, ScatterAddOp::create(b, loc, type, e.mask(xZero, x),
                                                      op.getIndices(), e.mask(uZero, u),
                                                      op.getAxes()));
  Value others = atUpdates(
      op, b, ScatterMultiplyOp::create(b, loc, type, e.select(xZero, one, x), op.getIndices(),
                                       e.select(uZero, oneU, u), op.getAxes()));
  Value zeroSum = atUpdates(
      op, b, ScatterAddOp::create(b, loc, type, e.select(xZero, x, e.zerosLike(x)),
                                  op.getIndices(), e.select(uZero, u, e.zerosLike(u)),
                                  op.getAxes()));
  Value safeU = e.select(uZero, oneU, u);
  Value zero = e.zerosLike(u);
  auto zerosAre = [&](double n) { return EqualOp::create(b, loc, zeros, e.like(n, zeros)); };
  Value ofNonzero = e.div(others, safeU);
  Value dUpdates = e.select(
      uZero,
      e.select(zerosAre(1.0), others,
               e.select(zerosAre(2.0), e.mul(e.sub(zeroSum, u), others), zero)),
      e.select(zerosAre(0.0), ofNonzero,
               e.select(zerosAre(1.0), e.mul(zeroSum, ofNonzero), zero)));
  return {dOperand, dUpdates};
}
LogicalResult ScatterMultiplyOp::buildVJP(OpBuilder &b, ValueRange cts,
                                          SmallVectorImpl<Value> &out) {
  out.assign(getNumOperands(), Value());
  if (!cts[0] || !isDifferentiable(getResult()))
    return success();
  Emit e{b, getLoc()};
  auto [dOperand, dUpdates] = scatterMultiplyPartials(*this, b);
  out[0] = e.mulConj(cts[0], dOperand);
  out[getNumOperands() - 1] = e.mulConj(atUpdates(*this, b, cts[0]), dUpdates);
  return success();
}
LogicalResult ScatterMultiplyOp::buildJVP(OpBuilder &b, ValueRange ts,
                                          SmallVectorImpl<Value> &out) {
  if (!isDifferentiable(getResult()))
    return zeroJVP(*this, out);
  auto [dOperand, dUpdates] = scatterMultiplyPartials(*this, b);
  scatterJVPFromPartials(*this, b, ts, dOperand, dUpdates, out);
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions, scans, sort
//===----------------------------------------------------------------------===//

LogicalResult SumOp::buildVJP(OpBuilder &b, ValueRange cts, SmallVectorImpl<Value> &out) {
  out.assign(1, Value());
  if (!cts[0] || !isDifferentiable(getOperand()))
    return success();
  Emit e{b, getLoc()};
  out[0] = e.unreduce(cts[0], typeOf(getOperand()).getShape(), getAxes());
  return success();
}
LogicalResult SumOp::buildJVP(OpBuilder &b, ValueRange ts, SmallVectorImpl<Value> &out) {
  return linearJVP(*this, b, ts, out, {0});
}

/// d prod(x over axes) / dx: the product of the other elements, as exclusive
/// running products from both ends (exact where x has zeros, as MLX's, and a
/// polynomial, so higher derivatives stay right too).
static Value prodPartials(Emit &e, Value x, ArrayRef<int64_t> axes) {
  auto t = typeOf(x);
  SmallVector<int64_t> perm, shape;
  for (int64_t d = 0; d < t.getRank(); ++d)
    if (!llvm::is_contained(axes, d)) {
      perm.push_back(d);
      shape.push_back(t.getDimSize(d));
    }
  int64_t n = 1;
  for (int64_t a : axes) {
    perm.push_back(a);
    n *= t.getDimSize(a);
  }
  shape.push_back(n);
  bool identity = llvm::equal(perm, llvm::seq<int64_t>(0, t.getRank()));
  Value moved = identity ? x : e.transpose(x, perm);
  Value flat = e.reshape(moved, shape);
  int64_t last = shape.size() - 1;
  Value before = CumprodOp::create(e.b, e.loc, flat, last, false, false);
  Value after = CumprodOp::create(e.b, e.loc, flat, last, true, false);
  Value d = e.reshape(e.mul(before, after), typeOf(moved).getShape());
  if (identity)
    return d;
  SmallVector<int64_t> inverse(perm.size());
  for (auto [i, p] : llvm::enumerate(perm))
    inverse[p] = i;
  return e.transpose(d, inverse);
}

LogicalResult ProdOp::buildVJP(OpBuilder &b, ValueRange cts, SmallVectorImpl<Value> &out) {
  out.assign(1, Value());
  if (!cts[0] || !isDifferentiable(getOperand()))
    return success();
  Emit e{b, getLoc()};
  ArrayRef<int64_t> shape = typeOf(getOperand()).getShape();
  out[0] = e.mulConj(e.unreduce(cts[0], shape, getAxes()), prodPartials(e, getOperand(), getAxes()));
  return success();
}
LogicalResult ProdOp::buildJVP(OpBuilder &b, ValueRange ts, SmallVectorImpl<Value> &out) {
  out.assign(1, Value());
  if (!ts[0] || !isDifferentiable(getResult()))
    return success();
  Emit e{b, getLoc()};
  out[0] = e.sum(e.mul(ts[0], prodPartials(e, getOperand(), getAxes())), getAxes());
  return success();
}

/// max/min: the cotangent is shared equally among the elements equal to the result.
template <typename OpT>
static LogicalResult extremumVJP(OpT op, OpBuilder &b, ValueRange cts,
                                 SmallVectorImpl<Value> &out) {
  out.assign(1, Value());
  if (!cts[0] || !isDifferentiable(op.getOperand()))
    return success();
  Emit e{b, op.getLoc()};
  ArrayRef<int64_t> shape = typeOf(op.getOperand()).getShape();
  Value full = e.unreduce(op.getResult(), shape, op.getAxes());
  Value mask = e.mask(EqualOp::create(b, op.getLoc(), op.getOperand(), full), op.getOperand());
  Value count = e.unreduce(e.sum(mask, op.getAxes()), shape, op.getAxes());
  out[0] = e.div(e.mul(mask, e.unreduce(cts[0], shape, op.getAxes())), count);
  return success();
}
template <typename OpT>
static LogicalResult extremumJVP(OpT op, OpBuilder &b, ValueRange ts,
                                 SmallVectorImpl<Value> &out) {
  out.assign(1, Value());
  if (!ts[0] || !isDifferentiable(op.getResult()))
    return success();
  Emit e{b, op.getLoc()};
  ArrayRef<int64_t> shape = typeOf(op.getOperand()).getShape();
  Value full = e.unreduce(op.getResult(), shape, op.getAxes());
  Value mask = e.mask(EqualOp::create(b, op.getLoc(), op.getOperand(), full), op.getOperand());
  out[0] = e.div(e.sum(e.mul(mask, ts[0]), op.getAxes()), e.sum(mask, op.getAxes()));
  return success();
}
LogicalResult MaxOp::buildVJP(OpBuilder &b, ValueRange c, SmallVectorImpl<Value> &o) {
  return extremumVJP(*this, b, c, o);
}
LogicalResult MaxOp::buildJVP(OpBuilder &b, ValueRange t, SmallVectorImpl<Value> &o) {
  return extremumJVP(*this, b, t, o);
}
LogicalResult MinOp::buildVJP(OpBuilder &b, ValueRange c, SmallVectorImpl<Value> &o) {
  return extremumVJP(*this, b, c, o);
}
LogicalResult MinOp::buildJVP(OpBuilder &b, ValueRange t, SmallVectorImpl<Value> &o) {
  return extremumJVP(*this, b, t, o);
}

LogicalResult CumsumOp::buildVJP(OpBuilder &b, ValueRange cts, SmallVectorImpl<Value> &out) {
  out.assign(1, Value());
  if (!cts[0] || !isDifferentiable(getOperand()))
    return success();
  out[0] = CumsumOp::create(b, getLoc(), cts[0], getAxis(), !getReverse(), getInclusive());
  return success();
}
LogicalResult CumsumOp::buildJVP(OpBuilder &b, ValueRange ts, SmallVectorImpl<Value> &out) {
  return linearJVP(*this, b, ts, out, {0});
}

/// Cumprod's derivative applied to `v`: the cotangent of x for `transposed`, else
/// the tangent of y. Exact where x has zeros, as MLX's: before the first zero in
/// scan order dy_j/dx_i = y_j / x_i; at the first zero it is the running product
/// y1 with that zero replaced by 1; after it, x at the first zero (0, but its
/// derivative is not) times the same rule for y1. `depth` such levels keep the
/// rule's own derivatives exact to order depth + 1.
static Value cumprodDerivative(Emit &e, CumprodOp op, Value x, Value y, Value v,
                               bool transposed, int depth) {
  int64_t axis = op.getAxis();
  bool reverse = op.getReverse(), inclusive = op.getInclusive();
  auto cumsum = [&](Value w, bool rev, bool incl) -> Value {
    return CumsumOp::create(e.b, e.loc, w, axis, rev, incl);
  };
  Value one = e.like(1.0, x), zero = e.zerosLike(x);
  Value isZero = EqualOp::create(e.b, e.loc, x, zero);
  Value zeros = cumsum(e.mask(isZero, x), reverse, true);
  Value before = EqualOp::create(e.b, e.loc, zeros, zero);
  Value first =
      LogicalAndOp::create(e.b, e.loc, isZero, EqualOp::create(e.b, e.loc, zeros, one));
  Value x1 = e.select(first, one, x);
  Value y1 = CumprodOp::create(e.b, e.loc, x1, axis, reverse, inclusive);
  Value safeX = e.select(before, x, one);
  auto scan = [&](Value w) { return cumsum(w, transposed ? !reverse : reverse, inclusive); };
  Value after = zero;
  if (depth > 0) {
    Value atFirst = cumsum(e.select(first, x, zero), reverse, true);
    Value rest = transposed ? v : e.select(LogicalOrOp::create(e.b, e.loc, before, first),
                                           zero, v);
    after = e.mul(atFirst, cumprodDerivative(e, op, x1, y1, rest, transposed, depth - 1));
  }
  if (transposed)
    return e.select(before, e.div(scan(e.mul(v, y)), safeX),
                    e.select(first, scan(e.mul(v, y1)), after));
  return e.add(e.add(e.mul(y, scan(e.select(before, e.div(v, safeX), zero))),
                     e.mul(y1, scan(e.select(first, v, zero)))),
               after);
}

LogicalResult CumprodOp::buildVJP(OpBuilder &b, ValueRange cts, SmallVectorImpl<Value> &out) {
  out.assign(1, Value());
  if (!cts[0] || !isDifferentiable(getOperand()))
    return success();
  Emit e{b, getLoc()};
  // The formula is rational in x and y and linear in the cotangent: for complex
  // values, conj(F(conj(g))) is F with conj(x) and conj(y), the VJP's convention.
  if (isa<ComplexType>(typeOf(cts[0]).getElementType())) {
    Value g = ConjugateOp::create(b, getLoc(), cts[0]);
    out[0] = ConjugateOp::create(
        b, getLoc(), cumprodDerivative(e, *this, getOperand(), getResult(), g, true, 1));
    return success();
  }
  out[0] = cumprodDerivative(e, *this, getOperand(), getResult(), cts[0], true, 1);
  return success();
}
LogicalResult CumprodOp::buildJVP(OpBuilder &b, ValueRange ts, SmallVectorImpl<Value> &out) {
  out.assign(1, Value());
  if (!ts[0] || !isDifferentiable(getResult()))
    return success();
  Emit e{b, getLoc()};
  out[0] = cumprodDerivative(e, *this, getOperand(), getResult(), ts[0], false, 1);
  return success();
}

/// Where the running max/min `z` (an inclusive scan of x) was attained for each
/// output: the last position (in scan order) up to it where x equals z (as MLX).
static Value scanArgExtremum(Emit &e, Value x, Value z, int64_t axis, bool reverse) {
  auto t = typeOf(x);
  auto i64 = RankedTensorType::get(t.getShape(), e.b.getI64Type());
  Value ramp = IotaOp::create(e.b, e.loc, i64, axis);
  Value isNew = EqualOp::create(e.b, e.loc, x, z);
  // Forward scans keep the largest such index, reverse scans the smallest.
  Value none = e.splat(reverse ? (double)t.getDimSize(axis) : -1.0, i64);
  Value marked = e.select(isNew, ramp, none);
  if (reverse)
    return CumminOp::create(e.b, e.loc, marked, axis, true, true);
  return CummaxOp::create(e.b, e.loc, marked, axis, false, true);
}

/// `v` moved one step along `axis`, filled with zeros: result[j] = v[j - 1] when
/// `towardEnd`, else v[j + 1].
static Value shiftAlong(Emit &e, Value v, int64_t axis, bool towardEnd) {
  auto t = typeOf(v);
  int64_t n = t.getDimSize(axis);
  if (n <= 1)
    return e.zerosLike(v);
  SmallVector<int64_t> start(t.getRank(), 0), sizes(t.getShape()), strides(t.getRank(), 1);
  SmallVector<int64_t> low(t.getRank(), 0), high(t.getRank(), 0);
  sizes[axis] = n - 1;
  if (towardEnd)
    low[axis] = 1;
  else
    start[axis] = high[axis] = 1;
  Value kept = SliceOp::create(e.b, e.loc, v, start, sizes, strides);
  Value zero = e.splat(0.0, RankedTensorType::get({}, t.getElementType()));
  return PadOp::create(e.b, e.loc, kept, zero, low, high);
}

static SmallVector<Value> alongAxisCoords(Emit &e, Value permutation, int64_t axis);
static Value scatterAddInto(Emit &e, Value g, RankedTensorType type,
                            ArrayRef<Value> indexPerDim);

/// An exclusive scan is the inclusive one shifted by a step: its rules are the
/// inclusive scan's, with cotangents and tangents shifted to match.
template <typename OpT>
static LogicalResult scanExtremumVJP(OpT op, OpBuilder &b, ValueRange cts,
                                     SmallVectorImpl<Value> &out) {
  out.assign(1, Value());
  if (!cts[0] || !isDifferentiable(op.getOperand()))
    return success();
  Emit e{b, op.getLoc()};
  Value x = op.getOperand(), z = op.getResult(), g = cts[0];
  int64_t axis = op.getAxis();
  if (!op.getInclusive()) {
    z = OpT::create(b, op.getLoc(), x, axis, op.getReverse(), true);
    g = shiftAlong(e, g, axis, op.getReverse());
  }
  Value arg = scanArgExtremum(e, x, z, axis, op.getReverse());
  out[0] = scatterAddInto(e, g, typeOf(x), alongAxisCoords(e, arg, axis));
  return success();
}

template <typename OpT>
static LogicalResult scanExtremumJVP(OpT op, OpBuilder &b, ValueRange ts,
                                     SmallVectorImpl<Value> &out) {
  out.assign(1, Value());
  if (!ts[0] || !isDifferentiable(op.getResult()))
    return success();
  Emit e{b, op.getLoc()};
  Value x = op.getOperand(), z = op.getResult();
  int64_t axis = op.getAxis();
  if (!op.getInclusive())
    z = OpT::create(b, op.getLoc(), x, axis, op.getReverse(), true);
  auto t = typeOf(x);
  Value arg = scanArgExtremum(e, x, z, axis, op.getReverse());
  SmallVector<int64_t> axes, ones(t.getRank(), 1);
  for (int64_t d = 0; d < t.getRank(); ++d)
    axes.push_back(d);
  Value g = GatherOp::create(b, op.getLoc(), ts[0], alongAxisCoords(e, arg, axis), axes, ones);
  g = e.reshape(g, t.getShape());
  out[0] = op.getInclusive() ? g : shiftAlong(e, g, axis, !op.getReverse());
  return success();
}

LogicalResult CummaxOp::buildVJP(OpBuilder &b, ValueRange c, SmallVectorImpl<Value> &o) {
  return scanExtremumVJP(*this, b, c, o);
}
LogicalResult CummaxOp::buildJVP(OpBuilder &b, ValueRange t, SmallVectorImpl<Value> &o) {
  return scanExtremumJVP(*this, b, t, o);
}
LogicalResult CumminOp::buildVJP(OpBuilder &b, ValueRange c, SmallVectorImpl<Value> &o) {
  return scanExtremumVJP(*this, b, c, o);
}
LogicalResult CumminOp::buildJVP(OpBuilder &b, ValueRange t, SmallVectorImpl<Value> &o) {
  return scanExtremumJVP(*this, b, t, o);
}

/// Index arrays (one per dimension) that address `permutation` along `axis`.
static SmallVector<Value> alongAxisCoords(Emit &e, Value permutation, int64_t axis) {
  auto pt = typeOf(permutation);
  SmallVector<Value> coords;
  for (int64_t d = 0; d < pt.getRank(); ++d) {
    if (d == axis)
      coords.push_back(permutation);
    else
      coords.push_back(IotaOp::create(
          e.b, e.loc, RankedTensorType::get(pt.getShape(), e.b.getI64Type()), d));
  }
  return coords;
}

LogicalResult SortOp::buildVJP(OpBuilder &b, ValueRange cts, SmallVectorImpl<Value> &out) {
  out.assign(1, Value());
  if (!cts[0] || !isDifferentiable(getOperand()))
    return success();
  Emit e{b, getLoc()};
  Value perm = ArgsortOp::create(b, getLoc(), getUI32TensorLike(getOperand().getType()),
                                 getOperand(), getAxis());
  out[0] = scatterAddInto(e, cts[0], typeOf(getOperand()), alongAxisCoords(e, perm, getAxis()));
  return success();
}
LogicalResult SortOp::buildJVP(OpBuilder &b, ValueRange ts, SmallVectorImpl<Value> &out) {
  out.assign(1, Value());
  if (!ts[0] || !isDifferentiable(getResult()))
    return success();
  Emit e{b, getLoc()};
  auto t = typeOf(getOperand());
  Value perm = ArgsortOp::create(b, getLoc(), getUI32TensorLike(getOperand().getType()),
                                 getOperand(), getAxis());
  SmallVector<Value> coords = alongAxisCoords(e, perm, getAxis());
  SmallVector<int64_t> axes, ones(t.getRank(), 1), outShape(t.getShape());
  for (int64_t d = 0; d < t.getRank(); ++d)
    axes.push_back(d);
  outShape.append(t.getRank(), 1);
  Value g = GatherOp::create(b, getLoc(), ts[0], coords, axes, ones);
  out[0] = e.reshape(g, t.getShape());
  return success();
}

//===----------------------------------------------------------------------===//
// Matmul
//===----------------------------------------------------------------------===//

static Value swapLastTwo(Emit &e, Value x) {
  int64_t r = typeOf(x).getRank();
  SmallVector<int64_t> perm;
  for (int64_t d = 0; d < r; ++d)
    perm.push_back(d);
  std::swap(perm[r - 1], perm[r - 2]);
  return e.transpose(x, perm);
}

LogicalResult MatmulOp::buildVJP(OpBuilder &b, ValueRange cts, SmallVectorImpl<Value> &out) {
  out.assign(2, Value());
  if (!cts[0] || !isDifferentiable(getResult()))
    return success();
  Emit e{b, getLoc()};
  auto adjoint = [&](Value m) -> Value { // conj(m^T) (m^T for real m)
    Value t = swapLastTwo(e, m);
    return isa<ComplexType>(typeOf(t).getElementType()) ? ConjugateOp::create(b, getLoc(), t) : t;
  };
  out[0] = MatmulOp::create(b, getLoc(), cts[0], adjoint(getRhs()));
  out[1] = MatmulOp::create(b, getLoc(), adjoint(getLhs()), cts[0]);
  return success();
}
LogicalResult MatmulOp::buildJVP(OpBuilder &b, ValueRange ts, SmallVectorImpl<Value> &out) {
  out.assign(1, Value());
  if (!isDifferentiable(getResult()) || (!ts[0] && !ts[1]))
    return success();
  Emit e{b, getLoc()};
  Value l = ts[0] ? (Value)MatmulOp::create(b, getLoc(), ts[0], getRhs()) : Value();
  Value r = ts[1] ? (Value)MatmulOp::create(b, getLoc(), getLhs(), ts[1]) : Value();
  out[0] = l && r ? e.add(l, r) : (l ? l : r);
  return success();
}
