//===- TransformExpander.cpp - expansion of vjp, jvp and vmap -------------===//
#include "lowering/TransformExpander.h"

#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace mlir::array;

namespace {

RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }

bool isDifferentiable(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t && isa<FloatType, ComplexType>(t.getElementType());
}

Value zerosOf(OpBuilder &b, Location loc, Type type) {
  auto t = cast<RankedTensorType>(type);
  Type et = t.getElementType();
  Attribute zero = isa<FloatType>(et) ? (Attribute)b.getFloatAttr(et, 0.0)
                                      : (Attribute)b.getIntegerAttr(et, 0);
  return ConstantOp::create(b, loc, DenseElementsAttr::get(t, zero));
}

/// Records the ops a builder inserts (and passes them on to the listener it
/// replaced, so the tapes of enclosing expansions see them too).
struct TapeRecorder : OpBuilder::Listener {
  TapeRecorder(OpBuilder &b, SmallVectorImpl<Operation *> &tape)
      : builder(b), tape(tape), previous(b.getListener()) {
    b.setListener(this);
  }
  ~TapeRecorder() override { builder.setListener(previous); }
  void notifyOperationInserted(Operation *op, OpBuilder::InsertPoint point) override {
    tape.push_back(op);
    if (previous)
      previous->notifyOperationInserted(op, point);
  }
  OpBuilder &builder;
  SmallVectorImpl<Operation *> &tape;
  OpBuilder::Listener *previous;
};

/// One value per argument even when the caller passes the same value twice, so
/// each argument collects only its own cotangent. (Folded away later.)
SmallVector<Value> distinctCopies(OpBuilder &b, Location loc, ValueRange values) {
  SmallVector<Value> out;
  for (Value v : values)
    out.push_back(ReshapeOp::create(b, loc, v.getType(), v));
  return out;
}

/// A detached function destroyed (with everything in it) when it goes away.
struct ScratchFunction {
  func::FuncOp fn;
  ~ScratchFunction() { fn->erase(); }
};

Value moveAxis(OpBuilder &b, Location loc, Value v, int64_t from, int64_t to) {
  if (from == to)
    return v;
  int64_t rank = typeOf(v).getRank();
  SmallVector<int64_t> order;
  for (int64_t d = 0; d < rank; ++d)
    if (d != from)
      order.push_back(d);
  order.insert(order.begin() + to, from);
  return TransposeOp::create(b, loc, v, order);
}

} // namespace

FailureOr<func::FuncOp> TransformExpander::lookup(Operation *from, FlatSymbolRefAttr name) {
  auto fn = symbols.lookupNearestSymbolFrom<func::FuncOp>(from, name);
  if (!fn || fn.isExternal())
    return from->emitOpError("refers to '") << name.getValue()
                                            << "', which is not a defined func.func",
           failure();
  return fn;
}

FailureOr<SmallVector<Value>> TransformExpander::expandOp(OpBuilder &b, Operation *op,
                                                          ValueRange operands, int depth) {
  auto callee = lookup(op, cast<FlatSymbolRefAttr>(op->getAttr("callee")));
  if (failed(callee))
    return failure();
  if (auto vjp = dyn_cast<VjpOp>(op)) {
    size_t np = vjp.getPrimals().size();
    return expandVjp(b, op->getLoc(), *callee, operands.take_front(np),
                     operands.drop_front(np), vjp.getWrt(), depth + 1);
  }
  if (auto jvp = dyn_cast<JvpOp>(op)) {
    size_t np = jvp.getPrimals().size();
    return expandJvp(b, op->getLoc(), *callee, operands.take_front(np),
                     operands.drop_front(np), depth + 1);
  }
  auto vmap = cast<VmapOp>(op);
  return expandVmap(b, op->getLoc(), *callee, operands, vmap.getInAxes(), vmap.getOutAxes(),
                    depth + 1);
}

FailureOr<SmallVector<Value>> TransformExpander::flatten(OpBuilder &b, func::FuncOp fn,
                                                         ValueRange args, int depth) {
  if (depth > 64)
    return fn.emitOpError("transforms nest deeper than 64 levels (recursion?)"), failure();
  IRMapping map;
  map.map(fn.getArguments(), args);
  for (Operation &op : fn.getBody().front()) {
    SmallVector<Value> operands;
    for (Value v : op.getOperands())
      operands.push_back(map.lookupOrDefault(v));
    if (isa<func::ReturnOp>(op))
      return operands;
    FailureOr<SmallVector<Value>> results = failure();
    if (isa<VjpOp, JvpOp, VmapOp>(op)) {
      results = expandOp(b, &op, operands, depth);
    } else if (auto call = dyn_cast<func::CallOp>(op)) {
      auto callee = lookup(&op, call.getCalleeAttr());
      if (failed(callee))
        return failure();
      results = flatten(b, *callee, operands, depth + 1);
    } else {
      b.clone(op, map);
      continue;
    }
    if (failed(results))
      return failure();
    map.map(op.getResults(), *results);
  }
  return fn.emitOpError("has no terminator"), failure();
}

FailureOr<SmallVector<Value>> TransformExpander::expandVjp(OpBuilder &b, Location loc,
                                                           func::FuncOp callee,
                                                           ValueRange primals,
                                                           ValueRange cotangents,
                                                           ArrayRef<int64_t> wrt, int depth) {
  SmallVector<Operation *> tape;
  SmallVector<Value> inputs = distinctCopies(b, loc, primals);
  FailureOr<SmallVector<Value>> results = failure();
  {
    TapeRecorder recorder(b, tape);
    results = flatten(b, callee, inputs, depth);
  }
  if (failed(results))
    return failure();
  DenseMap<Value, Value> adjoint;
  auto accumulate = [&](Value v, Value ct) {
    if (!ct || !isDifferentiable(v))
      return;
    auto [it, inserted] = adjoint.try_emplace(v, ct);
    if (!inserted)
      it->second = AddOp::create(b, loc, it->second, ct);
  };
  for (auto [r, ct] : llvm::zip(*results, cotangents))
    accumulate(r, ct);
  for (Operation *op : llvm::reverse(tape)) {
    SmallVector<Value> cts;
    bool any = false;
    for (Value r : op->getResults()) {
      cts.push_back(adjoint.lookup(r));
      any |= bool(cts.back());
    }
    if (!any)
      continue;
    auto rule = dyn_cast<DifferentiableOpInterface>(op);
    if (!rule)
      return op->emitOpError("has no derivative rule"), failure();
    SmallVector<Value> operandCts;
    if (failed(rule.buildVJP(b, cts, operandCts)))
      return failure();
    for (auto [operand, ct] : llvm::zip(op->getOperands(), operandCts))
      accumulate(operand, ct);
  }
  SmallVector<Value> out(*results);
  for (int64_t i : wrt) {
    Value g = adjoint.lookup(inputs[i]);
    out.push_back(g ? g : zerosOf(b, loc, inputs[i].getType()));
  }
  return out;
}

FailureOr<SmallVector<Value>> TransformExpander::expandJvp(OpBuilder &b, Location loc,
                                                           func::FuncOp callee,
                                                           ValueRange primals,
                                                           ValueRange tangents, int depth) {
  SmallVector<Operation *> tape;
  SmallVector<Value> inputs = distinctCopies(b, loc, primals);
  FailureOr<SmallVector<Value>> results = failure();
  {
    TapeRecorder recorder(b, tape);
    results = flatten(b, callee, inputs, depth);
  }
  if (failed(results))
    return failure();
  DenseMap<Value, Value> tangent;
  for (auto [x, t] : llvm::zip(inputs, tangents))
    if (isDifferentiable(x))
      tangent[x] = t;
  for (Operation *op : tape) {
    SmallVector<Value> ts;
    bool any = false;
    for (Value v : op->getOperands()) {
      ts.push_back(tangent.lookup(v));
      any |= bool(ts.back());
    }
    if (!any)
      continue;
    auto rule = dyn_cast<DifferentiableOpInterface>(op);
    if (!rule)
      return op->emitOpError("has no derivative rule"), failure();
    SmallVector<Value> resultTs;
    if (failed(rule.buildJVP(b, ts, resultTs)))
      return failure();
    for (auto [r, t] : llvm::zip(op->getResults(), resultTs))
      if (t && isDifferentiable(r))
        tangent[r] = t;
  }
  SmallVector<Value> out(*results);
  for (Value r : *results) {
    Value t = tangent.lookup(r);
    out.push_back(t ? t : zerosOf(b, loc, r.getType()));
  }
  return out;
}

FailureOr<SmallVector<Value>> TransformExpander::expandVmap(OpBuilder &b, Location loc,
                                                            func::FuncOp callee,
                                                            ValueRange inputs,
                                                            ArrayRef<int64_t> inAxes,
                                                            ArrayRef<int64_t> outAxes,
                                                            int depth) {
  int64_t n = -1;
  SmallVector<Value> real;
  SmallVector<int64_t> axes;
  for (auto [v, a] : llvm::zip(inputs, inAxes)) {
    if (a < 0) {
      real.push_back(v);
      axes.push_back(-1);
      continue;
    }
    n = typeOf(v).getDimSize(a);
    real.push_back(moveAxis(b, loc, v, a, 0));
    axes.push_back(0);
  }
  if (n < 0)
    return emitError(loc, "vmap needs at least one batched input"), failure();

  // The unbatched computation, flattened into a scratch block, is then re-emitted
  // batched, one rule per op.
  // A detached function holds the scratch block (ops need a context to hang on).
  OpBuilder detached(callee.getContext());
  ScratchFunction holder{func::FuncOp::create(detached, loc, "scratch", callee.getFunctionType())};
  Block &scratch = *holder.fn.addEntryBlock();
  OpBuilder sb = OpBuilder::atBlockEnd(&scratch);
  auto results = flatten(sb, callee, scratch.getArguments(), depth);
  if (failed(results))
    return failure();

  DenseMap<Value, std::pair<Value, int64_t>> batchedOf;
  IRMapping plain;
  for (auto [arg, v, a] : llvm::zip(scratch.getArguments(), real, axes)) {
    batchedOf[arg] = {v, a};
    plain.map(arg, v);
  }
  for (Operation &op : scratch) {
    SmallVector<Value> operands;
    SmallVector<int64_t> operandAxes;
    bool any = false;
    for (Value v : op.getOperands()) {
      auto [value, axis] = batchedOf.lookup(v);
      operands.push_back(value);
      operandAxes.push_back(axis);
      any |= axis >= 0;
    }
    if (!any) {
      Operation *clone = b.clone(op, plain);
      for (auto [r, c] : llvm::zip(op.getResults(), clone->getResults()))
        batchedOf[r] = {c, -1};
      continue;
    }
    auto rule = dyn_cast<BatchableOpInterface>(&op);
    if (!rule)
      return op.emitOpError("vmap not implemented for ") << op.getName(), failure();
    SmallVector<Value> res;
    SmallVector<int64_t> resAxes;
    if (failed(rule.buildBatched(b, operands, operandAxes, n, res, resAxes)))
      return failure();
    for (auto [r, v, a] : llvm::zip(op.getResults(), res, resAxes)) {
      batchedOf[r] = {v, a};
      plain.map(r, v);
    }
  }
  SmallVector<Value> out;
  for (auto [r, to] : llvm::zip(*results, outAxes)) {
    auto [v, a] = batchedOf.lookup(r);
    if (a < 0) {
      auto t = typeOf(v);
      SmallVector<int64_t> shape{n}, dims;
      llvm::append_range(shape, t.getShape());
      for (int64_t d = 0; d < t.getRank(); ++d)
        dims.push_back(d + 1);
      v = BroadcastInDimOp::create(b, loc, RankedTensorType::get(shape, t.getElementType()), v,
                                   dims);
      a = 0;
    }
    out.push_back(moveAxis(b, loc, v, a, to));
  }
  return out;
}

LogicalResult TransformExpander::expandAll(ModuleOp module,
                                           function_ref<bool(Operation *)> select) {
  SmallVector<Operation *> ops;
  module.walk([&](Operation *op) {
    if (select(op))
      ops.push_back(op);
  });
  SymbolTable &table = symbols.getSymbolTable(module);
  for (Operation *op : ops) {
    auto callee = cast<FlatSymbolRefAttr>(op->getAttr("callee"));
    StringRef suffix = isa<VjpOp>(op) ? "_vjp" : isa<JvpOp>(op) ? "_jvp" : "_vmap";
    OpBuilder top = OpBuilder::atBlockEnd(module.getBody());
    auto type = FunctionType::get(module.getContext(), op->getOperandTypes(),
                                  op->getResultTypes());
    auto fn = func::FuncOp::create(top, op->getLoc(), (callee.getValue() + suffix).str(), type);
    fn.setPrivate();
    table.insert(fn); // uniques the name
    Block *entry = fn.addEntryBlock();
    OpBuilder b = OpBuilder::atBlockEnd(entry);
    auto results = expandOp(b, op, entry->getArguments(), 0);
    if (failed(results))
      return failure();
    func::ReturnOp::create(b, op->getLoc(), *results);
    OpBuilder at(op);
    auto call = func::CallOp::create(at, op->getLoc(), fn, op->getOperands());
    op->replaceAllUsesWith(call.getResults());
    op->erase();
  }
  return success();
}
