//===- ArrayBatching.cpp - vmap rules of the `array` ops ------------------===//
//
// Each op's BatchableOpInterface implementation. `array-vectorize` keeps the batch
// axis of every batched value at dimension 0, so a rule sees each operand either
// batched at 0 or unbatched (-1), and returns results batched at 0. Most rules just
// shift their axes by one; a batched matmul stays one matmul and a gather with
// batched indices stays one gather.
//
//===----------------------------------------------------------------------===//
#include "dialect/ArrayOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;
using namespace mlir::array;

namespace {

RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }

RankedTensorType batched(Type t, int64_t n) {
  auto r = cast<RankedTensorType>(t);
  SmallVector<int64_t> shape{n};
  llvm::append_range(shape, r.getShape());
  return RankedTensorType::get(shape, r.getElementType());
}

/// `v` batched at 0: unbatched values are broadcast along a new leading axis.
Value ensureBatched(OpBuilder &b, Location loc, Value v, int64_t axis, int64_t n) {
  if (axis == 0)
    return v;
  auto t = typeOf(v);
  SmallVector<int64_t> dims;
  for (int64_t d = 0; d < t.getRank(); ++d)
    dims.push_back(d + 1);
  return BroadcastInDimOp::create(b, loc, batched(t, n), v, dims);
}

SmallVector<int64_t> shifted(ArrayRef<int64_t> axes, int64_t by = 1) {
  SmallVector<int64_t> out;
  for (int64_t a : axes)
    out.push_back(a + by);
  return out;
}

SmallVector<int64_t> prepend(int64_t first, ArrayRef<int64_t> rest) {
  SmallVector<int64_t> out{first};
  llvm::append_range(out, rest);
  return out;
}

/// The op again on batched operands with batched result types; attributes are
/// adjusted by `attrs` (name -> new value).
Operation *rebuild(OpBuilder &b, Operation *op, ValueRange operands, int64_t n,
                   ArrayRef<NamedAttribute> attrs = {}) {
  OperationState state(op->getLoc(), op->getName());
  state.addOperands(operands);
  for (Type t : op->getResultTypes())
    state.addTypes(batched(t, n));
  NamedAttrList list(op->getAttrDictionary());
  for (const NamedAttribute &a : attrs)
    list.set(a.getName(), a.getValue());
  state.addAttributes(list);
  return b.create(state);
}

LogicalResult finish(Operation *batchedOp, SmallVectorImpl<Value> &results,
                     SmallVectorImpl<int64_t> &axes) {
  for (Value r : batchedOp->getResults()) {
    results.push_back(r);
    axes.push_back(0);
  }
  return success();
}

/// Elementwise ops: every operand batched, the op unchanged.
LogicalResult batchElementwise(Operation *op, OpBuilder &b, ValueRange operands,
                               ArrayRef<int64_t> axes, int64_t n,
                               SmallVectorImpl<Value> &results,
                               SmallVectorImpl<int64_t> &resultAxes) {
  SmallVector<Value> ops;
  for (auto [v, a] : llvm::zip(operands, axes))
    ops.push_back(ensureBatched(b, op->getLoc(), v, a, n));
  return finish(rebuild(b, op, ops, n), results, resultAxes);
}

NamedAttribute attr(OpBuilder &b, StringRef name, ArrayRef<int64_t> v) {
  return b.getNamedAttr(name, b.getDenseI64ArrayAttr(v));
}
NamedAttribute attr(OpBuilder &b, StringRef name, int64_t v) {
  return b.getNamedAttr(name, b.getI64IntegerAttr(v));
}

/// A 0-d i64 constant (a start index of 0 for the batch axis).
Value zeroIndex(OpBuilder &b, Location loc) {
  auto t = RankedTensorType::get({}, b.getI64Type());
  return ConstantOp::create(b, loc, DenseElementsAttr::get(t, b.getI64IntegerAttr(0)));
}

/// Converts a 0-d (or batched [n]) start index to i64 so indices can be mixed.
Value toI64(OpBuilder &b, Location loc, Value v) {
  auto t = typeOf(v);
  if (t.getElementType().isInteger(64) && t.getElementType().isSignlessInteger())
    return v;
  return ConvertOp::create(b, loc, RankedTensorType::get(t.getShape(), b.getI64Type()), v);
}

/// iota along the leading (batch) axis of `shape`, as i64.
Value batchIota(OpBuilder &b, Location loc, ArrayRef<int64_t> shape) {
  return IotaOp::create(b, loc, RankedTensorType::get(shape, b.getI64Type()), 0);
}

} // namespace

#define ARRAY_ELEMENTWISE_BATCH(OP)                                                      \
  LogicalResult OP::buildBatched(OpBuilder &b, ValueRange operands,                      \
                                 ArrayRef<int64_t> axes, int64_t n,                      \
                                 SmallVectorImpl<Value> &results,                        \
                                 SmallVectorImpl<int64_t> &resultAxes) {                 \
    return batchElementwise(*this, b, operands, axes, n, results, resultAxes);           \
  }
#define ARRAY_EACH_ELEMENTWISE(M)                                                        \
  M(AbsOp) M(NegativeOp) M(SignOp) M(SquareOp) M(ExpOp) M(Expm1Op) M(LogOp) M(Log1pOp)   \
  M(Log2Op) M(Log10Op) M(SinOp) M(CosOp) M(TanOp) M(ArcsinOp) M(ArccosOp) M(ArctanOp)    \
  M(SinhOp) M(CoshOp) M(TanhOp) M(ArcsinhOp) M(ArccoshOp) M(ArctanhOp) M(SqrtOp)         \
  M(RsqrtOp) M(ReciprocalOp) M(FloorOp) M(CeilOp) M(RoundOp) M(ErfOp) M(ErfinvOp)        \
  M(SigmoidOp) M(LogicalNotOp) M(BitwiseInvertOp) M(IsnanOp) M(IsinfOp) M(AddOp)         \
  M(SubtractOp) M(MultiplyOp) M(DivideOp) M(FloorDivideOp) M(RemainderOp) M(PowerOp)     \
  M(MaximumOp) M(MinimumOp) M(Arctan2Op) M(LogaddexpOp) M(LogicalAndOp) M(LogicalOrOp)   \
  M(BitwiseAndOp) M(BitwiseOrOp) M(BitwiseXorOp) M(LeftShiftOp) M(RightShiftOp)          \
  M(EqualOp) M(NotEqualOp) M(LessOp) M(LessEqualOp) M(GreaterOp) M(GreaterEqualOp)       \
  M(SelectOp) M(ConvertOp) M(BitcastOp) M(ConjugateOp) M(ImagOp) M(StopGradientOp) M(ConstantOp) M(IotaOp)
ARRAY_EACH_ELEMENTWISE(ARRAY_ELEMENTWISE_BATCH)
#undef ARRAY_EACH_ELEMENTWISE
#undef ARRAY_ELEMENTWISE_BATCH

#define BATCH_SIGNATURE(OP)                                                              \
  LogicalResult OP::buildBatched(OpBuilder &b, ValueRange operands,                      \
                                 ArrayRef<int64_t> axes, int64_t n,                      \
                                 SmallVectorImpl<Value> &results,                        \
                                 SmallVectorImpl<int64_t> &resultAxes)

BATCH_SIGNATURE(BroadcastInDimOp) {
  Value x = ensureBatched(b, getLoc(), operands[0], axes[0], n);
  return finish(rebuild(b, *this, x, n,
                        {attr(b, "broadcast_dimensions",
                              prepend(0, shifted(getBroadcastDimensions())))}),
                results, resultAxes);
}

BATCH_SIGNATURE(ReshapeOp) {
  return finish(rebuild(b, *this, ensureBatched(b, getLoc(), operands[0], axes[0], n), n),
                results, resultAxes);
}

BATCH_SIGNATURE(TransposeOp) {
  Value x = ensureBatched(b, getLoc(), operands[0], axes[0], n);
  return finish(
      rebuild(b, *this, x, n, {attr(b, "permutation", prepend(0, shifted(getPermutation())))}),
      results, resultAxes);
}

BATCH_SIGNATURE(SliceOp) {
  Value x = ensureBatched(b, getLoc(), operands[0], axes[0], n);
  return finish(rebuild(b, *this, x, n,
                        {attr(b, "start_indices", prepend(0, getStartIndices())),
                         attr(b, "sizes", prepend(n, getSizes())),
                         attr(b, "strides", prepend(1, getStrides()))}),
                results, resultAxes);
}

BATCH_SIGNATURE(DynamicSliceOp) {
  Location loc = getLoc();
  Value x = ensureBatched(b, loc, operands[0], axes[0], n);
  bool startsBatched = llvm::any_of(axes.drop_front(), [](int64_t a) { return a >= 0; });
  if (!startsBatched) {
    SmallVector<Value> ops{x, zeroIndex(b, loc)};
    for (Value s : operands.drop_front())
      ops.push_back(toI64(b, loc, s));
    return finish(rebuild(b, *this, ops, n, {attr(b, "slice_sizes", prepend(n, getSliceSizes()))}),
                  results, resultAxes);
  }
  // Per-element offsets: one gather with a window (it clamps the same way).
  SmallVector<Value> idx{batchIota(b, loc, {n})};
  for (auto [s, a] : llvm::zip(operands.drop_front(), axes.drop_front()))
    idx.push_back(toI64(b, loc, ensureBatched(b, loc, s, a, n)));
  SmallVector<int64_t> gatherAxes;
  for (int64_t d = 0; d < typeOf(x).getRank(); ++d)
    gatherAxes.push_back(d);
  Value g = GatherOp::create(b, loc, x, idx, gatherAxes, prepend(1, getSliceSizes()));
  results.push_back(ReshapeOp::create(b, loc, batched(getType(), n), g));
  resultAxes.push_back(0);
  return success();
}

BATCH_SIGNATURE(DynamicUpdateSliceOp) {
  Location loc = getLoc();
  Value x = ensureBatched(b, loc, operands[0], axes[0], n);
  Value u = ensureBatched(b, loc, operands[1], axes[1], n);
  bool startsBatched = llvm::any_of(axes.drop_front(2), [](int64_t a) { return a >= 0; });
  if (!startsBatched) {
    SmallVector<Value> ops{x, u, zeroIndex(b, loc)};
    for (Value s : operands.drop_front(2))
      ops.push_back(toI64(b, loc, s));
    return finish(rebuild(b, *this, ops, n), results, resultAxes);
  }
  SmallVector<Value> idx{batchIota(b, loc, {n})};
  for (auto [s, a] : llvm::zip(operands.drop_front(2), axes.drop_front(2)))
    idx.push_back(toI64(b, loc, ensureBatched(b, loc, s, a, n)));
  SmallVector<int64_t> allAxes;
  for (int64_t d = 0; d < typeOf(x).getRank(); ++d)
    allAxes.push_back(d);
  auto ut = typeOf(u);
  SmallVector<int64_t> updShape{n, 1};
  llvm::append_range(updShape, ut.getShape().drop_front());
  Value upd = ReshapeOp::create(b, loc, RankedTensorType::get(updShape, ut.getElementType()), u);
  results.push_back(ScatterOp::create(b, loc, x.getType(), x, idx, upd, allAxes));
  resultAxes.push_back(0);
  return success();
}

BATCH_SIGNATURE(ConcatenateOp) {
  SmallVector<Value> ops;
  for (auto [v, a] : llvm::zip(operands, axes))
    ops.push_back(ensureBatched(b, getLoc(), v, a, n));
  return finish(rebuild(b, *this, ops, n, {attr(b, "dimension", getDimension() + 1)}), results,
                resultAxes);
}

BATCH_SIGNATURE(PadOp) {
  if (axes[1] >= 0)
    return emitOpError("vmap not implemented for array.pad with a batched padding value");
  Value x = ensureBatched(b, getLoc(), operands[0], axes[0], n);
  return finish(rebuild(b, *this, {x, operands[1]}, n,
                        {attr(b, "low", prepend(0, getLow())),
                         attr(b, "high", prepend(0, getHigh()))}),
                results, resultAxes);
}

BATCH_SIGNATURE(GatherOp) {
  Location loc = getLoc();
  ValueRange indices = operands.drop_front();
  bool indicesBatched = llvm::any_of(axes.drop_front(), [](int64_t a) { return a >= 0; });
  Value x = ensureBatched(b, loc, operands[0], axes[0], n);
  if (!indicesBatched) {
    // The batch becomes a window dimension, then moves to the front.
    Value g = GatherOp::create(b, loc, x, indices, shifted(getAxes()),
                               prepend(n, getSliceSizes()));
    int64_t k = indices.empty() ? 0 : typeOf(indices[0]).getRank();
    SmallVector<int64_t> perm{k};
    for (int64_t d = 0; d < typeOf(g).getRank(); ++d)
      if (d != k)
        perm.push_back(d);
    results.push_back(TransposeOp::create(b, loc, g, perm));
    resultAxes.push_back(0);
    return success();
  }
  SmallVector<Value> idx;
  for (auto [v, a] : llvm::zip(indices, axes.drop_front()))
    idx.push_back(toI64(b, loc, ensureBatched(b, loc, v, a, n)));
  idx.insert(idx.begin(), batchIota(b, loc, typeOf(idx[0]).getShape()));
  Value g = GatherOp::create(b, loc, x, idx, prepend(0, shifted(getAxes())),
                             prepend(1, getSliceSizes()));
  results.push_back(ReshapeOp::create(b, loc, batched(getType(), n), g));
  resultAxes.push_back(0);
  return success();
}

template <typename OpT>
static LogicalResult batchScatter(OpT op, OpBuilder &b, ValueRange operands,
                                  ArrayRef<int64_t> axes, int64_t n,
                                  SmallVectorImpl<Value> &results,
                                  SmallVectorImpl<int64_t> &resultAxes) {
  Location loc = op.getLoc();
  size_t last = operands.size() - 1;
  Value x = ensureBatched(b, loc, operands[0], axes[0], n);
  Value u = ensureBatched(b, loc, operands[last], axes[last], n);
  SmallVector<Value> idx;
  for (size_t i = 1; i < last; ++i)
    idx.push_back(toI64(b, loc, ensureBatched(b, loc, operands[i], axes[i], n)));
  SmallVector<int64_t> idxShape{n};
  if (!idx.empty())
    idxShape.assign(typeOf(idx[0]).getShape().begin(), typeOf(idx[0]).getShape().end());
  idx.insert(idx.begin(), batchIota(b, loc, idxShape));
  // updates: [n, I..., window...] -> [n, I..., 1, window...]
  auto ut = typeOf(u);
  int64_t k = idxShape.size();
  SmallVector<int64_t> updShape(ut.getShape().take_front(k));
  updShape.push_back(1);
  llvm::append_range(updShape, ut.getShape().drop_front(k));
  Value upd = ReshapeOp::create(b, loc, RankedTensorType::get(updShape, ut.getElementType()), u);
  results.push_back(OpT::create(b, loc, x.getType(), x, idx, upd,
                                prepend(0, shifted(op.getAxes()))));
  resultAxes.push_back(0);
  return success();
}
BATCH_SIGNATURE(ScatterOp) { return batchScatter(*this, b, operands, axes, n, results, resultAxes); }
BATCH_SIGNATURE(ScatterAddOp) { return batchScatter(*this, b, operands, axes, n, results, resultAxes); }
BATCH_SIGNATURE(ScatterMultiplyOp) { return batchScatter(*this, b, operands, axes, n, results, resultAxes); }
BATCH_SIGNATURE(ScatterMaxOp) { return batchScatter(*this, b, operands, axes, n, results, resultAxes); }
BATCH_SIGNATURE(ScatterMinOp) { return batchScatter(*this, b, operands, axes, n, results, resultAxes); }

#define ARRAY_AXES_BATCH(OP)                                                             \
  BATCH_SIGNATURE(OP) {                                                                  \
    return finish(rebuild(b, *this, operands[0], n, {attr(b, "axes", shifted(getAxes()))}), \
                  results, resultAxes);                                                  \
  }
ARRAY_AXES_BATCH(SumOp)
ARRAY_AXES_BATCH(ProdOp)
ARRAY_AXES_BATCH(MaxOp)
ARRAY_AXES_BATCH(MinOp)
ARRAY_AXES_BATCH(AllOp)
ARRAY_AXES_BATCH(AnyOp)
#undef ARRAY_AXES_BATCH

#define ARRAY_AXIS_BATCH(OP)                                                             \
  BATCH_SIGNATURE(OP) {                                                                  \
    return finish(rebuild(b, *this, operands[0], n, {attr(b, "axis", getAxis() + 1)}),    \
                  results, resultAxes);                                                  \
  }
ARRAY_AXIS_BATCH(ArgmaxOp)
ARRAY_AXIS_BATCH(ArgminOp)
ARRAY_AXIS_BATCH(CumsumOp)
ARRAY_AXIS_BATCH(CumprodOp)
ARRAY_AXIS_BATCH(CummaxOp)
ARRAY_AXIS_BATCH(CumminOp)
ARRAY_AXIS_BATCH(SortOp)
ARRAY_AXIS_BATCH(ArgsortOp)
#undef ARRAY_AXIS_BATCH

BATCH_SIGNATURE(MatmulOp) {
  // Batch dims lead, so the batched product is one matmul with one more batch dim.
  Value l = ensureBatched(b, getLoc(), operands[0], axes[0], n);
  Value r = ensureBatched(b, getLoc(), operands[1], axes[1], n);
  return finish(rebuild(b, *this, {l, r}, n), results, resultAxes);
}

BATCH_SIGNATURE(RandomBitsOp) {
  return emitOpError("vmap not implemented for array.random_bits with a batched key; split "
                     "the keys outside vmap");
}

#undef BATCH_SIGNATURE
