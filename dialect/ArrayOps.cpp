//===- ArrayOps.cpp - the `array` dialect: types, verifiers, folders ------===//
//
// Result types that follow from operands and attributes are inferred here (one
// function per op), and the inferred type is what the verifier checks against:
// shape rules live in exactly one place.
//
//===----------------------------------------------------------------------===//
#include "dialect/ArrayOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/InliningUtils.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallBitVector.h"

using namespace mlir;
using namespace mlir::array;

#include "dialect/ArrayDialect.cpp.inc"
#include "dialect/ArrayInterfaces.cpp.inc"

namespace {
/// Every array op is pure and region-free: always legal to inline.
struct ArrayInlinerInterface : DialectInlinerInterface {
  using DialectInlinerInterface::DialectInlinerInterface;
  bool isLegalToInline(Operation *, Region *, bool, IRMapping &) const final { return true; }
};
} // namespace

void ArrayDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialect/ArrayOps.cpp.inc"
      >();
  addInterfaces<ArrayInlinerInterface>();
}

Operation *ArrayDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                             Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, type, elements);
}

Type mlir::array::getI1TensorLike(Type type) {
  auto ranked = cast<RankedTensorType>(type);
  return RankedTensorType::get(ranked.getShape(), IntegerType::get(type.getContext(), 1));
}

Type mlir::array::getUI32TensorLike(Type type) {
  auto ranked = cast<RankedTensorType>(type);
  return RankedTensorType::get(
      ranked.getShape(),
      IntegerType::get(type.getContext(), 32, IntegerType::Unsigned));
}

namespace {
std::string shapeStr(ArrayRef<int64_t> shape) {
  std::string s = "(";
  llvm::raw_string_ostream os(s);
  llvm::interleaveComma(shape, os);
  if (shape.size() == 1)
    os << ",";
  os << ")";
  return s;
}

/// Checks that `axes` are distinct and inside [0, rank).
LogicalResult checkAxes(std::optional<Location> loc, StringRef op, ArrayRef<int64_t> axes,
                        int64_t rank) {
  llvm::SmallBitVector seen(rank);
  for (int64_t axis : axes) {
    if (axis < 0 || axis >= rank)
      return emitOptionalError(loc, "'array.", op, "' axis ", axis,
                               " is out of range for an array of rank ", rank);
    if (seen.test(axis))
      return emitOptionalError(loc, "'array.", op, "' axis ", axis, " is repeated");
    seen.set(axis);
  }
  return success();
}

RankedTensorType rankedType(Value v) { return cast<RankedTensorType>(v.getType()); }

/// Inference runs before operand types are verified (Python builders): check first.
LogicalResult checkRanked(std::optional<Location> loc, ValueRange operands) {
  for (Value v : operands)
    if (!isa<RankedTensorType>(v.getType()))
      return emitOptionalError(loc, "expected ranked tensor operands, got ", v.getType());
  return success();
}
} // namespace

//===----------------------------------------------------------------------===//
// Constants and elementwise folders
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                           ValueRange operands, DictionaryAttr attrs,
                                           OpaqueProperties props, RegionRange regions,
                                           SmallVectorImpl<Type> &inferred) {
  if (failed(checkRanked(loc, operands)))
    return failure();
  Adaptor adaptor(operands, attrs, props, regions);
  auto type = dyn_cast<RankedTensorType>(adaptor.getValue().getType());
  if (!type)
    return emitOptionalError(loc, "'array.constant' value must be a ranked tensor");
  inferred.push_back(type);
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

static bool isSplatOf(Attribute attr, double value) {
  auto splat = dyn_cast_or_null<SplatElementsAttr>(attr);
  if (!splat)
    return false;
  Type et = splat.getElementType();
  if (isa<FloatType>(et))
    return splat.getSplatValue<APFloat>().isExactlyValue(value);
  if (auto it = dyn_cast<IntegerType>(et)) {
    // i1 "1" is true (bool multiply by true is the identity too).
    APInt v = splat.getSplatValue<APInt>();
    return it.getWidth() == 1 ? v.getZExtValue() == static_cast<uint64_t>(value)
                              : v.getSExtValue() == static_cast<int64_t>(value);
  }
  return false;
}

/// The splat attribute behind `v`, looking through broadcasts (derivative rules
/// broadcast scalar constants such as the seed cotangent 1).
static Attribute splatBehind(Value v, Attribute folded) {
  if (folded)
    return folded;
  while (auto b = v.getDefiningOp<BroadcastInDimOp>())
    v = b.getOperand();
  if (auto c = v.getDefiningOp<ConstantOp>())
    return dyn_cast<SplatElementsAttr>(c.getValue());
  return {};
}

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  // x + 0 -> x is exact except for -0.0 + 0.0; only fold integer zeros and -0.0.
  auto splat = dyn_cast_or_null<SplatElementsAttr>(splatBehind(getRhs(), adaptor.getRhs()));
  if (splat && isa<IntegerType>(splat.getElementType()) &&
      splat.getElementType().getIntOrFloatBitWidth() > 1 && isSplatOf(splat, 0))
    return getLhs();
  if (splat && isa<FloatType>(splat.getElementType()) &&
      splat.getSplatValue<APFloat>().isNegZero())
    return getLhs();
  return {};
}

OpFoldResult MultiplyOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(splatBehind(getRhs(), adaptor.getRhs()), 1))
    return getLhs();
  if (isSplatOf(splatBehind(getLhs(), adaptor.getLhs()), 1))
    return getRhs();
  return {};
}

//===----------------------------------------------------------------------===//
// Conversion and casts
//===----------------------------------------------------------------------===//

LogicalResult ConvertOp::verify() {
  if (rankedType(getOperand()).getShape() != getType().getShape())
    return emitOpError("cannot change the shape from ")
           << shapeStr(rankedType(getOperand()).getShape()) << " to "
           << shapeStr(getType().getShape()) << "; convert only changes the dtype";
  return success();
}

OpFoldResult ConvertOp::fold(FoldAdaptor) {
  if (getOperand().getType() == getType())
    return getOperand();
  return {};
}

LogicalResult BitcastOp::verify() {
  auto in = rankedType(getOperand()), out = getType();
  if (in.getShape() != out.getShape())
    return emitOpError("cannot change the shape from ")
           << shapeStr(in.getShape()) << " to " << shapeStr(out.getShape());
  if (!in.getElementType().isIntOrFloat() || !out.getElementType().isIntOrFloat() ||
      in.getElementType().getIntOrFloatBitWidth() !=
          out.getElementType().getIntOrFloatBitWidth())
    return emitOpError("needs element types of equal bit width, got ")
           << in.getElementType() << " and " << out.getElementType();
  return success();
}

LogicalResult IotaOp::verify() {
  int64_t rank = getType().getRank();
  auto dim = static_cast<int64_t>(getDimension());
  if (dim < 0 || dim >= rank)
    return emitOpError("dimension ") << dim << " is out of range for rank " << rank;
  if (isa<ComplexType>(getType().getElementType()))
    return emitOpError("needs a real element type");
  return success();
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

LogicalResult BroadcastInDimOp::verify() {
  auto in = rankedType(getOperand()), out = getType();
  ArrayRef<int64_t> dims = getBroadcastDimensions();
  if (in.getElementType() != out.getElementType())
    return emitOpError("cannot change the element type (") << in.getElementType()
                                                           << " to " << out.getElementType()
                                                           << ")";
  if (static_cast<int64_t>(dims.size()) != in.getRank())
    return emitOpError("needs one broadcast dimension per operand dimension: got ")
           << dims.size() << " for rank " << in.getRank();
  int64_t previous = -1;
  for (auto [i, d] : llvm::enumerate(dims)) {
    if (d < 0 || d >= out.getRank())
      return emitOpError("broadcast dimension ") << d << " is out of range for rank "
                                                 << out.getRank();
    if (d <= previous)
      return emitOpError("broadcast dimensions must be strictly increasing");
    previous = d;
    int64_t inSize = in.getDimSize(i), outSize = out.getDimSize(d);
    if (inSize != 1 && inSize != outSize)
      return emitOpError("cannot broadcast shape ")
             << shapeStr(in.getShape()) << " to " << shapeStr(out.getShape())
             << ": operand dimension " << i << " has size " << inSize
             << " but result dimension " << d << " has size " << outSize;
  }
  return success();
}

LogicalResult ReshapeOp::verify() {
  auto in = rankedType(getOperand()), out = getType();
  if (in.getElementType() != out.getElementType())
    return emitOpError("cannot change the element type");
  if (in.getNumElements() != out.getNumElements())
    return emitOpError("cannot reshape array of size ")
           << in.getNumElements() << " into shape " << shapeStr(out.getShape());
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  if (getOperand().getType() == getType())
    return getOperand();
  return {};
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                            ValueRange operands, DictionaryAttr attrs,
                                            OpaqueProperties props, RegionRange regions,
                                            SmallVectorImpl<Type> &inferred) {
  if (failed(checkRanked(loc, operands)))
    return failure();
  Adaptor adaptor(operands, attrs, props, regions);
  auto in = rankedType(adaptor.getOperand());
  ArrayRef<int64_t> perm = adaptor.getPermutation();
  if (static_cast<int64_t>(perm.size()) != in.getRank())
    return emitOptionalError(loc, "'array.transpose' permutation has ", perm.size(),
                             " entries for an array of rank ", in.getRank());
  if (failed(checkAxes(loc, "transpose", perm, in.getRank())))
    return failure();
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(in.getDimSize(p));
  inferred.push_back(RankedTensorType::get(shape, in.getElementType()));
  return success();
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                        ValueRange operands, DictionaryAttr attrs,
                                        OpaqueProperties props, RegionRange regions,
                                        SmallVectorImpl<Type> &inferred) {
  if (failed(checkRanked(loc, operands)))
    return failure();
  Adaptor adaptor(operands, attrs, props, regions);
  auto in = rankedType(adaptor.getOperand());
  ArrayRef<int64_t> start = adaptor.getStartIndices(), sizes = adaptor.getSizes(),
                    strides = adaptor.getStrides();
  int64_t rank = in.getRank();
  if (static_cast<int64_t>(start.size()) != rank ||
      static_cast<int64_t>(sizes.size()) != rank ||
      static_cast<int64_t>(strides.size()) != rank)
    return emitOptionalError(loc, "'array.slice' needs one start, size and stride per "
                                  "dimension of the operand (rank ", rank, ")");
  for (int64_t d = 0; d < rank; ++d) {
    if (sizes[d] < 0)
      return emitOptionalError(loc, "'array.slice' size ", sizes[d], " is negative");
    if (strides[d] == 0)
      return emitOptionalError(loc, "'array.slice' stride of dimension ", d, " is zero");
    if (sizes[d] == 0)
      continue;
    int64_t last = start[d] + (sizes[d] - 1) * strides[d];
    int64_t dim = in.getDimSize(d);
    if (start[d] < 0 || start[d] >= dim || last < 0 || last >= dim)
      return emitOptionalError(loc, "'array.slice' dimension ", d, " reads indices ",
                               start[d], " to ", last, " of a dimension of size ", dim);
  }
  inferred.push_back(RankedTensorType::get(sizes, in.getElementType()));
  return success();
}

LogicalResult DynamicSliceOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                               ValueRange operands, DictionaryAttr attrs,
                                               OpaqueProperties props, RegionRange regions,
                                               SmallVectorImpl<Type> &inferred) {
  if (failed(checkRanked(loc, operands)))
    return failure();
  Adaptor adaptor(operands, attrs, props, regions);
  auto in = rankedType(adaptor.getOperand());
  ArrayRef<int64_t> sizes = adaptor.getSliceSizes();
  if (static_cast<int64_t>(sizes.size()) != in.getRank() ||
      static_cast<int64_t>(adaptor.getStartIndices().size()) != in.getRank())
    return emitOptionalError(loc, "'array.dynamic_slice' needs one start index and one "
                                  "size per dimension of the operand (rank ",
                             in.getRank(), ")");
  for (auto [d, size] : llvm::enumerate(sizes))
    if (size < 0 || size > in.getDimSize(d))
      return emitOptionalError(loc, "'array.dynamic_slice' size ", size,
                               " does not fit dimension ", d, " of size ",
                               in.getDimSize(d));
  inferred.push_back(RankedTensorType::get(sizes, in.getElementType()));
  return success();
}

LogicalResult DynamicUpdateSliceOp::verify() {
  auto in = rankedType(getOperand()), update = rankedType(getUpdate());
  if (in.getElementType() != update.getElementType())
    return emitOpError("update element type ") << update.getElementType()
                                               << " differs from the operand's "
                                               << in.getElementType();
  if (in.getRank() != update.getRank() ||
      static_cast<int64_t>(getStartIndices().size()) != in.getRank())
    return emitOpError("needs an update of the operand's rank and one start index per "
                       "dimension");
  for (int64_t d = 0; d < in.getRank(); ++d)
    if (update.getDimSize(d) > in.getDimSize(d))
      return emitOpError("update of shape ") << shapeStr(update.getShape())
                                             << " does not fit in "
                                             << shapeStr(in.getShape());
  return success();
}

LogicalResult ConcatenateOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                              ValueRange operands, DictionaryAttr attrs,
                                              OpaqueProperties props, RegionRange regions,
                                              SmallVectorImpl<Type> &inferred) {
  if (failed(checkRanked(loc, operands)))
    return failure();
  Adaptor adaptor(operands, attrs, props, regions);
  if (adaptor.getInputs().empty())
    return emitOptionalError(loc, "'array.concatenate' needs at least one input");
  auto first = rankedType(adaptor.getInputs()[0]);
  int64_t dim = adaptor.getDimension();
  if (dim < 0 || dim >= first.getRank())
    return emitOptionalError(loc, "'array.concatenate' dimension ", dim,
                             " is out of range for rank ", first.getRank());
  SmallVector<int64_t> shape(first.getShape());
  for (Value v : adaptor.getInputs().drop_front()) {
    auto t = rankedType(v);
    if (t.getElementType() != first.getElementType() || t.getRank() != first.getRank())
      return emitOptionalError(loc, "'array.concatenate' inputs must share rank and "
                                    "element type");
    for (int64_t d = 0; d < t.getRank(); ++d) {
      if (d == dim)
        continue;
      if (t.getDimSize(d) != first.getDimSize(d))
        return emitOptionalError(loc, "'array.concatenate' input shapes ",
                                 shapeStr(first.getShape()), " and ",
                                 shapeStr(t.getShape()), " differ outside dimension ",
                                 dim);
    }
    shape[dim] += t.getDimSize(dim);
  }
  inferred.push_back(RankedTensorType::get(shape, first.getElementType()));
  return success();
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                      ValueRange operands, DictionaryAttr attrs,
                                      OpaqueProperties props, RegionRange regions,
                                      SmallVectorImpl<Type> &inferred) {
  if (failed(checkRanked(loc, operands)))
    return failure();
  Adaptor adaptor(operands, attrs, props, regions);
  auto in = rankedType(adaptor.getOperand());
  auto value = rankedType(adaptor.getPaddingValue());
  if (value.getRank() != 0 || value.getElementType() != in.getElementType())
    return emitOptionalError(loc, "'array.pad' padding value must be a 0-d tensor of ",
                             in.getElementType());
  ArrayRef<int64_t> low = adaptor.getLow(), high = adaptor.getHigh();
  if (static_cast<int64_t>(low.size()) != in.getRank() ||
      static_cast<int64_t>(high.size()) != in.getRank())
    return emitOptionalError(loc, "'array.pad' needs low and high padding per dimension");
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < in.getRank(); ++d) {
    if (low[d] < 0 || high[d] < 0)
      return emitOptionalError(loc, "'array.pad' padding must be non-negative");
    shape.push_back(in.getDimSize(d) + low[d] + high[d]);
  }
  inferred.push_back(RankedTensorType::get(shape, in.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Gather and scatter
//===----------------------------------------------------------------------===//

/// Shared checks of gather and scatter: one index tensor per axis, one shape.
static LogicalResult checkIndices(std::optional<Location> loc, StringRef op,
                                  RankedTensorType operand, ValueRange indices,
                                  ArrayRef<int64_t> axes,
                                  SmallVectorImpl<int64_t> &indexShape) {
  if (indices.size() != axes.size())
    return emitOptionalError(loc, "'array.", op, "' needs one index array per axis: got ",
                             indices.size(), " index arrays and ", axes.size(), " axes");
  if (failed(checkAxes(loc, op, axes, operand.getRank())))
    return failure();
  indexShape.clear();
  if (!indices.empty())
    llvm::append_range(indexShape, rankedType(indices[0]).getShape());
  for (Value idx : indices)
    if (rankedType(idx).getShape() != ArrayRef<int64_t>(indexShape))
      return emitOptionalError(loc, "'array.", op,
                               "' index arrays must share one shape (broadcast them "
                               "first)");
  return success();
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         ValueRange operands, DictionaryAttr attrs,
                                         OpaqueProperties props, RegionRange regions,
                                         SmallVectorImpl<Type> &inferred) {
  if (failed(checkRanked(loc, operands)))
    return failure();
  Adaptor adaptor(operands, attrs, props, regions);
  auto in = rankedType(adaptor.getOperand());
  SmallVector<int64_t> shape;
  if (failed(checkIndices(loc, "gather", in, adaptor.getIndices(), adaptor.getAxes(),
                          shape)))
    return failure();
  ArrayRef<int64_t> sizes = adaptor.getSliceSizes();
  if (static_cast<int64_t>(sizes.size()) != in.getRank())
    return emitOptionalError(loc, "'array.gather' needs one slice size per operand "
                                  "dimension (rank ",
                             in.getRank(), ")");
  for (auto [d, size] : llvm::enumerate(sizes))
    if (size < 0 || size > in.getDimSize(d))
      return emitOptionalError(loc, "'array.gather' slice size ", size,
                               " does not fit dimension ", d, " of size ",
                               in.getDimSize(d));
  llvm::append_range(shape, sizes);
  inferred.push_back(RankedTensorType::get(shape, in.getElementType()));
  return success();
}

template <typename ScatterOpT>
static LogicalResult verifyScatter(ScatterOpT op) {
  auto in = rankedType(op.getOperand()), updates = rankedType(op.getUpdates());
  SmallVector<int64_t> shape;
  if (failed(checkIndices(op.getLoc(), op->getName().stripDialect(), in, op.getIndices(),
                          op.getAxes(), shape)))
    return failure();
  if (updates.getElementType() != in.getElementType())
    return op.emitOpError("updates element type ")
           << updates.getElementType() << " differs from the operand's "
           << in.getElementType();
  int64_t k = shape.size();
  if (updates.getRank() != k + in.getRank())
    return op.emitOpError("updates must have shape indices.shape + window (rank ")
           << k + in.getRank() << "), got " << shapeStr(updates.getShape());
  for (int64_t d = 0; d < k; ++d)
    if (updates.getDimSize(d) != shape[d])
      return op.emitOpError("updates shape ")
             << shapeStr(updates.getShape()) << " does not start with the index shape "
             << shapeStr(shape);
  for (int64_t d = 0; d < in.getRank(); ++d)
    if (updates.getDimSize(k + d) > in.getDimSize(d))
      return op.emitOpError("update window ")
             << shapeStr(updates.getShape().drop_front(k)) << " does not fit in "
             << shapeStr(in.getShape());
  return success();
}

LogicalResult ScatterOp::verify() { return verifyScatter(*this); }
LogicalResult ScatterAddOp::verify() { return verifyScatter(*this); }
LogicalResult ScatterMultiplyOp::verify() { return verifyScatter(*this); }
LogicalResult ScatterMaxOp::verify() { return verifyScatter(*this); }
LogicalResult ScatterMinOp::verify() { return verifyScatter(*this); }

//===----------------------------------------------------------------------===//
// Reductions, scans, sorting
//===----------------------------------------------------------------------===//

static LogicalResult inferReduce(std::optional<Location> loc, StringRef op, Value operand,
                                 ArrayRef<int64_t> axes, Type elementType,
                                 SmallVectorImpl<Type> &inferred) {
  auto in = rankedType(operand);
  if (failed(checkAxes(loc, op, axes, in.getRank())))
    return failure();
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < in.getRank(); ++d)
    if (!llvm::is_contained(axes, d))
      shape.push_back(in.getDimSize(d));
  inferred.push_back(RankedTensorType::get(shape, elementType));
  return success();
}

#define ARRAY_REDUCE_INFER(OP, NAME)                                                     \
  LogicalResult OP::inferReturnTypes(MLIRContext *, std::optional<Location> loc,        \
                                     ValueRange operands, DictionaryAttr attrs,          \
                                     OpaqueProperties props, RegionRange regions,        \
                                     SmallVectorImpl<Type> &inferred) {                  \
    if (failed(checkRanked(loc, operands)))                                              \
      return failure();                                                                  \
    Adaptor adaptor(operands, attrs, props, regions);                                    \
    return inferReduce(loc, NAME, adaptor.getOperand(), adaptor.getAxes(),              \
                       rankedType(adaptor.getOperand()).getElementType(), inferred);     \
  }
ARRAY_REDUCE_INFER(SumOp, "sum")
ARRAY_REDUCE_INFER(ProdOp, "prod")
ARRAY_REDUCE_INFER(MaxOp, "max")
ARRAY_REDUCE_INFER(MinOp, "min")
ARRAY_REDUCE_INFER(AllOp, "all")
ARRAY_REDUCE_INFER(AnyOp, "any")
#undef ARRAY_REDUCE_INFER

#define ARRAY_ARG_REDUCE_INFER(OP, NAME)                                                 \
  LogicalResult OP::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,     \
                                     ValueRange operands, DictionaryAttr attrs,          \
                                     OpaqueProperties props, RegionRange regions,        \
                                     SmallVectorImpl<Type> &inferred) {                  \
    if (failed(checkRanked(loc, operands)))                                              \
      return failure();                                                                  \
    Adaptor adaptor(operands, attrs, props, regions);                                    \
    if (isa<ComplexType>(rankedType(adaptor.getOperand()).getElementType()))             \
      return emitOptionalError(loc, "'array." NAME "' needs real elements");            \
    int64_t axis = adaptor.getAxis();                                                    \
    if (rankedType(adaptor.getOperand()).getDimSize(                                     \
            axis >= 0 && axis < rankedType(adaptor.getOperand()).getRank() ? axis : 0) == \
        0)                                                                               \
      return emitOptionalError(loc, "'array." NAME "' of an empty axis");               \
    return inferReduce(loc, NAME, adaptor.getOperand(), {axis},                         \
                       IntegerType::get(ctx, 32, IntegerType::Unsigned), inferred);      \
  }
ARRAY_ARG_REDUCE_INFER(ArgmaxOp, "argmax")
ARRAY_ARG_REDUCE_INFER(ArgminOp, "argmin")
#undef ARRAY_ARG_REDUCE_INFER

/// An axis in range; `ordered` ops (max, min, sort) need real elements.
template <typename OpT>
static LogicalResult verifyAxisOp(OpT op, bool ordered = true) {
  int64_t rank = rankedType(op.getOperand()).getRank();
  auto axis = static_cast<int64_t>(op.getAxis());
  if (axis < 0 || axis >= rank)
    return op.emitOpError("axis ") << axis << " is out of range for rank " << rank;
  if (ordered && isa<ComplexType>(rankedType(op.getOperand()).getElementType()))
    return op.emitOpError("needs real elements");
  return success();
}

LogicalResult CumsumOp::verify() { return verifyAxisOp(*this, /*ordered=*/false); }
LogicalResult CumprodOp::verify() { return verifyAxisOp(*this, /*ordered=*/false); }
LogicalResult CummaxOp::verify() { return verifyAxisOp(*this); }
LogicalResult CumminOp::verify() { return verifyAxisOp(*this); }
LogicalResult SortOp::verify() { return verifyAxisOp(*this); }
LogicalResult ArgsortOp::verify() { return verifyAxisOp(*this); }

//===----------------------------------------------------------------------===//
// Linear algebra and random bits
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         ValueRange operands, DictionaryAttr attrs,
                                         OpaqueProperties props, RegionRange regions,
                                         SmallVectorImpl<Type> &inferred) {
  if (failed(checkRanked(loc, operands)))
    return failure();
  Adaptor adaptor(operands, attrs, props, regions);
  auto lhs = rankedType(adaptor.getLhs()), rhs = rankedType(adaptor.getRhs());
  if (lhs.getElementType() != rhs.getElementType())
    return emitOptionalError(loc, "'array.matmul' operand element types differ (",
                             lhs.getElementType(), " and ", rhs.getElementType(), ")");
  if (lhs.getRank() < 2 || lhs.getRank() != rhs.getRank())
    return emitOptionalError(loc, "'array.matmul' needs operands of equal rank >= 2, got ",
                             shapeStr(lhs.getShape()), " and ", shapeStr(rhs.getShape()));
  int64_t r = lhs.getRank();
  if (lhs.getShape().drop_back(2) != rhs.getShape().drop_back(2))
    return emitOptionalError(loc, "'array.matmul' batch dimensions differ: ",
                             shapeStr(lhs.getShape()), " and ", shapeStr(rhs.getShape()));
  if (lhs.getDimSize(r - 1) != rhs.getDimSize(r - 2))
    return emitOptionalError(loc, "'array.matmul' contraction sizes differ: ",
                             shapeStr(lhs.getShape()), " x ", shapeStr(rhs.getShape()));
  SmallVector<int64_t> shape(lhs.getShape().drop_back(1));
  shape.push_back(rhs.getDimSize(r - 1));
  inferred.push_back(RankedTensorType::get(shape, lhs.getElementType()));
  return success();
}

LogicalResult RandomBitsOp::verify() {
  if (rankedType(getKey()).getDimSize(0) != 2)
    return emitOpError("key must be a tensor<2xui32>");
  return success();
}

//===----------------------------------------------------------------------===//
// Transform ops
//===----------------------------------------------------------------------===//

static FailureOr<func::FuncOp> lookupCallee(Operation *op, SymbolTableCollection &tables,
                                            FlatSymbolRefAttr callee) {
  auto fn = tables.lookupNearestSymbolFrom<func::FuncOp>(op, callee);
  if (!fn) {
    op->emitOpError("refers to '") << callee.getValue() << "', which is not a func.func";
    return failure();
  }
  return fn;
}

LogicalResult VjpOp::verifySymbolUses(SymbolTableCollection &tables) {
  auto fn = lookupCallee(*this, tables, getCalleeAttr());
  if (failed(fn))
    return failure();
  FunctionType type = fn->getFunctionType();
  if (TypeRange(getPrimals().getTypes()) != TypeRange(type.getInputs()))
    return emitOpError("primal types do not match the inputs of @") << getCallee();
  if (TypeRange(getCotangents().getTypes()) != TypeRange(type.getResults()))
    return emitOpError("needs one cotangent per result of @")
           << getCallee() << ", with the result's type";
  if (failed(checkAxes(getLoc(), "vjp", getWrt(), type.getNumInputs())))
    return failure();
  SmallVector<Type> expected(type.getResults());
  for (int64_t i : getWrt())
    expected.push_back(type.getInput(i));
  if (TypeRange(getResultTypes()) != TypeRange(expected))
    return emitOpError("results must be the results of @")
           << getCallee() << " followed by the types of the wrt arguments";
  return success();
}

LogicalResult JvpOp::verifySymbolUses(SymbolTableCollection &tables) {
  auto fn = lookupCallee(*this, tables, getCalleeAttr());
  if (failed(fn))
    return failure();
  FunctionType type = fn->getFunctionType();
  if (TypeRange(getPrimals().getTypes()) != TypeRange(type.getInputs()) ||
      TypeRange(getTangents().getTypes()) != TypeRange(type.getInputs()))
    return emitOpError("primals and tangents must both match the inputs of @")
           << getCallee();
  SmallVector<Type> expected(type.getResults());
  llvm::append_range(expected, type.getResults());
  if (TypeRange(getResultTypes()) != TypeRange(expected))
    return emitOpError("results must be the results of @")
           << getCallee() << " followed by one tangent per result";
  return success();
}

LogicalResult VmapOp::verifySymbolUses(SymbolTableCollection &tables) {
  auto fn = lookupCallee(*this, tables, getCalleeAttr());
  if (failed(fn))
    return failure();
  FunctionType type = fn->getFunctionType();
  if (getInAxes().size() != getInputs().size() || getInputs().size() != type.getNumInputs())
    return emitOpError("needs one input and one in_axes entry per argument of @")
           << getCallee();
  if (getOutAxes().size() != getNumResults() || getNumResults() != type.getNumResults())
    return emitOpError("needs one result and one out_axes entry per result of @")
           << getCallee();
  auto allRanked = [](TypeRange types) {
    return llvm::all_of(types, [](Type t) { return isa<RankedTensorType>(t); });
  };
  if (!allRanked(type.getInputs()) || !allRanked(type.getResults()))
    return emitOpError("callee @") << getCallee() << " must take and return ranked tensors";
  std::optional<int64_t> batch;
  for (auto [i, axis] : llvm::enumerate(getInAxes())) {
    auto in = rankedType(getInputs()[i]);
    auto expected = cast<RankedTensorType>(type.getInput(i));
    if (axis == -1) {
      if (in != expected)
        return emitOpError("unbatched input ") << i << " must have type " << expected;
      continue;
    }
    if (axis < 0 || axis > expected.getRank())
      return emitOpError("in_axes entry ") << axis << " is out of range for input " << i;
    SmallVector<int64_t> shape(in.getShape());
    if (static_cast<int64_t>(shape.size()) != expected.getRank() + 1)
      return emitOpError("batched input ") << i << " must have one more dimension than "
                                           << expected;
    if (batch && *batch != shape[axis])
      return emitOpError("inputs disagree on the batch size (") << *batch << " vs "
                                                               << shape[axis] << ")";
    batch = shape[axis];
    shape.erase(shape.begin() + axis);
    if (RankedTensorType::get(shape, in.getElementType()) != expected)
      return emitOpError("input ") << i << " does not match " << expected
                                   << " once its batch axis is removed";
  }
  if (!batch)
    return emitOpError("needs at least one batched input");
  for (auto [j, axis] : llvm::enumerate(getOutAxes())) {
    auto expected = cast<RankedTensorType>(type.getResult(j));
    if (axis < 0 || axis > expected.getRank())
      return emitOpError("out_axes entry ") << axis << " is out of range for result " << j;
    SmallVector<int64_t> shape(expected.getShape());
    shape.insert(shape.begin() + axis, *batch);
    if (RankedTensorType::get(shape, expected.getElementType()) != getResult(j).getType())
      return emitOpError("result ") << j << " must have the batch axis inserted at "
                                    << axis;
  }
  return success();
}

#define GET_OP_CLASSES
#include "dialect/ArrayOps.cpp.inc"
