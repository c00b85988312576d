//===- Autodiff.cpp - array-autodiff ---------------------------------------===//
//
// A short driver: it recomputes the differentiated function (its "tape") and asks
// each op for its rule (DifferentiableOpInterface, implemented beside the ops in
// dialect/ArrayDerivatives.cpp).
//
//===----------------------------------------------------------------------===//
#include "dialect/ArrayOps.h"
#include "lowering/Passes.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::array {
#define GEN_PASS_DEF_ARRAYAUTODIFF
#include "lowering/Passes.h.inc"
} // namespace mlir::array

using namespace mlir;
using namespace mlir::array;

namespace {

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

/// Records every op a builder inserts into each tape on the stack, so nested
/// expansions add their ops to the tapes of the expansions around them.
struct TapeRecorder : OpBuilder::Listener {
  SmallVector<SmallVectorImpl<Operation *> *> tapes;
  void notifyOperationInserted(Operation *op, OpBuilder::InsertPoint) override {
    for (auto *tape : tapes)
      tape->push_back(op);
  }
};

class Expander {
public:
  Expander(SymbolTableCollection &symbols, TapeRecorder &recorder)
      : symbols(symbols), recorder(recorder) {}

  /// Clones the body of `fn` at `b`'s insertion point with its arguments bound
  /// to `args`, expanding nested transforms and calls in place.
  FailureOr<SmallVector<Value>> flatten(OpBuilder &b, func::FuncOp fn, ValueRange args,
                                        int depth) {
    if (depth > 64)
      return fn.emitOpError("transforms nest deeper than 64 levels (recursion?)"), failure();
    IRMapping map;
    map.map(fn.getArguments(), args);
    for (Operation &op : fn.getBody().front()) {
      auto mapped = [&](ValueRange vs) {
        SmallVector<Value> out;
        for (Value v : vs)
          out.push_back(map.lookupOrDefault(v));
        return out;
      };
      if (auto ret = dyn_cast<func::ReturnOp>(op))
        return mapped(ret.getOperands());
      FailureOr<SmallVector<Value>> results = failure();
      if (auto vjp = dyn_cast<VjpOp>(op)) {
        auto callee = lookup(&op, vjp.getCalleeAttr());
        if (failed(callee))
          return failure();
        results = expandVjp(b, op.getLoc(), *callee, mapped(vjp.getPrimals()),
                            mapped(vjp.getCotangents()), vjp.getWrt(), depth + 1);
      } else if (auto jvp = dyn_cast<JvpOp>(op)) {
        auto callee = lookup(&op, jvp.getCalleeAttr());
        if (failed(callee))
          return failure();
        results = expandJvp(b, op.getLoc(), *callee, mapped(jvp.getPrimals()),
                            mapped(jvp.getTangents()), depth + 1);
      } else if (auto call = dyn_cast<func::CallOp>(op)) {
        auto callee = lookup(&op, call.getCalleeAttr());
        if (failed(callee))
          return failure();
        results = flatten(b, *callee, mapped(call.getOperands()), depth + 1);
      } else if (isa<VmapOp>(op)) {
        return op.emitOpError("must be expanded by array-vectorize before array-autodiff "
                              "differentiates through it"),
               failure();
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

  /// Recomputes `callee` on copies of `primals`, then pulls `cotangents` back.
  FailureOr<SmallVector<Value>> expandVjp(OpBuilder &b, Location loc, func::FuncOp callee,
                                          ValueRange primals, ValueRange cotangents,
                                          ArrayRef<int64_t> wrt, int depth) {
    SmallVector<Operation *> tape;
    SmallVector<Value> inputs = distinctCopies(b, loc, primals);
    recorder.tapes.push_back(&tape);
    auto results = flatten(b, callee, inputs, depth);
    recorder.tapes.pop_back();
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

  /// Recomputes `callee` on copies of `primals`, pushing `tangents` forward.
  FailureOr<SmallVector<Value>> expandJvp(OpBuilder &b, Location loc, func::FuncOp callee,
                                          ValueRange primals, ValueRange tangents,
                                          int depth) {
    SmallVector<Operation *> tape;
    SmallVector<Value> inputs = distinctCopies(b, loc, primals);
    recorder.tapes.push_back(&tape);
    auto results = flatten(b, callee, inputs, depth);
    recorder.tapes.pop_back();
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

private:
  FailureOr<func::FuncOp> lookup(Operation *from, FlatSymbolRefAttr name) {
    auto fn = symbols.lookupNearestSymbolFrom<func::FuncOp>(from, name);
    if (!fn || fn.isExternal())
      return from->emitOpError("refers to '") << name.getValue()
                                              << "', which is not a defined func.func",
             failure();
    return fn;
  }

  /// One value per argument even when the caller passes the same value twice, so
  /// each argument collects only its own cotangent. (Folded away later.)
  SmallVector<Value> distinctCopies(OpBuilder &b, Location loc, ValueRange values) {
    SmallVector<Value> out;
    for (Value v : values)
      out.push_back(ReshapeOp::create(b, loc, v.getType(), v));
    return out;
  }

  SymbolTableCollection &symbols;
  TapeRecorder &recorder;
};

struct ArrayAutodiffPass : array::impl::ArrayAutodiffBase<ArrayAutodiffPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<Operation *> transforms;
    module.walk([&](Operation *op) {
      if (isa<VjpOp, JvpOp>(op))
        transforms.push_back(op);
    });
    SymbolTableCollection symbols;
    SymbolTable &table = symbols.getSymbolTable(module);
    for (Operation *op : transforms) {
      auto callee = cast<FlatSymbolRefAttr>(op->getAttr("callee"));
      bool isVjp = isa<VjpOp>(op);
      OpBuilder top(module.getBodyRegion());
      top.setInsertionPointToEnd(module.getBody());
      auto type = FunctionType::get(&getContext(), op->getOperandTypes(), op->getResultTypes());
      auto fn = func::FuncOp::create(top, op->getLoc(),
                                     (callee.getValue() + (isVjp ? "_vjp" : "_jvp")).str(),
                                     type);
      fn.setPrivate();
      table.insert(fn); // uniques the name
      Block *entry = fn.addEntryBlock();
      TapeRecorder recorder;
      OpBuilder b = OpBuilder::atBlockEnd(entry, &recorder);
      Expander expander(symbols, recorder);
      FailureOr<SmallVector<Value>> results = failure();
      if (auto vjp = dyn_cast<VjpOp>(op)) {
        auto args = entry->getArguments();
        size_t np = vjp.getPrimals().size();
        results = expander.expandVjp(b, op->getLoc(), lookupCallee(op, symbols, callee),
                                     args.take_front(np), args.drop_front(np), vjp.getWrt(), 0);
      } else {
        auto jvp = cast<JvpOp>(op);
        auto args = entry->getArguments();
        size_t np = jvp.getPrimals().size();
        results = expander.expandJvp(b, op->getLoc(), lookupCallee(op, symbols, callee),
                                     args.take_front(np), args.drop_front(np), 0);
      }
      if (failed(results))
        return signalPassFailure();
      func::ReturnOp::create(b, op->getLoc(), *results);
      OpBuilder at(op);
      auto call = func::CallOp::create(at, op->getLoc(), fn, op->getOperands());
      op->replaceAllUsesWith(call.getResults());
      op->erase();
    }
  }

  static func::FuncOp lookupCallee(Operation *op, SymbolTableCollection &symbols,
                                   FlatSymbolRefAttr name) {
    return symbols.lookupNearestSymbolFrom<func::FuncOp>(op, name);
  }
};

} // namespace
