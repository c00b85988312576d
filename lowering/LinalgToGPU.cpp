//===- LinalgToGPU.cpp - mxc-linalg-to-gpu -----------------------------------===//
//
// Turns each top-level linalg op of a bufferized host function into one
// gpu.launch. Three kernel shapes, chosen per op:
//   - generic: the parallel iteration space, linearized, is covered by a 1-D
//     grid-stride loop (so no grid dimension exceeds the 65535 workgroups Vulkan
//     guarantees); each thread runs the reduction dimensions, if any, serially;
//   - reduction: one workgroup per output element, threads stride over the
//     reduced space and combine partials through a tree in workgroup memory;
//   - matmul: 128x128 (64x64 for small matrices) output tiles per workgroup,
//     8-deep (16-deep) K slices of both operands staged in workgroup memory,
//     8x8 (4x4) outputs per thread, conflict-free workgroup-memory access.
// Kernels capture only base buffers: view ops and scalar computations they use
// are cloned inside (fold-memref-alias-ops then folds the views into indices),
// so the host side is a straight list of allocations and dispatches.
//
//===----------------------------------------------------------------------===//
#include "lowering/Passes.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/RegionUtils.h"

#include <cmath>
#include <optional>

namespace mlir::array {
#define GEN_PASS_DEF_LINALGTOGPU
#include "lowering/Passes.h.inc"
} // namespace mlir::array

using namespace mlir;

namespace {
Value idx(OpBuilder &b, Location l, int64_t v) {
  return arith::ConstantIndexOp::create(b, l, v);
}

/// Index arithmetic and guarded accesses of the tiled matmul kernels.
struct IndexMath {
  Location l;
  Value add(OpBuilder &b, Value x, Value y) const { return arith::AddIOp::create(b, l, x, y); }
  Value addc(OpBuilder &b, Value x, int64_t c) const { return c ? add(b, x, idx(b, l, c)) : x; }
  Value mulc(OpBuilder &b, Value x, int64_t c) const {
    return arith::MulIOp::create(b, l, x, idx(b, l, c));
  }
  Value inBounds(OpBuilder &b, Value i, int64_t n) const {
    return arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, i, idx(b, l, n));
  }
  /// src[bz, r, c], zero outside when checked.
  Value fetch(OpBuilder &b, Value src, Type t, Value bz, Value r, bool checkR, int64_t rows,
              Value c, bool checkC, int64_t cols) const {
    Value ok;
    if (checkR)
      ok = inBounds(b, r, rows);
    if (checkC) {
      Value okc = inBounds(b, c, cols);
      ok = ok ? arith::AndIOp::create(b, l, ok, okc).getResult() : okc;
    }
    if (!ok)
      return memref::LoadOp::create(b, l, src, ValueRange{bz, r, c});
    auto ifOp = scf::IfOp::create(b, l, TypeRange{t}, ok, /*withElseRegion=*/true);
    OpBuilder tb = ifOp.getThenBodyBuilder();
    scf::YieldOp::create(tb, l,
                         ValueRange{memref::LoadOp::create(tb, l, src, ValueRange{bz, r, c})});
    OpBuilder eb = ifOp.getElseBodyBuilder();
    scf::YieldOp::create(eb, l, ValueRange{arith::ConstantOp::create(eb, l, eb.getZeroAttr(t))});
    return ifOp.getResult(0);
  }
};

int64_t product(ArrayRef<int64_t> xs) {
  int64_t p = 1;
  for (int64_t x : xs)
    p *= x;
  return p;
}

/// Row-major delinearization of `lin` over `sizes`.
SmallVector<Value> delinearize(OpBuilder &b, Location l, Value lin, ArrayRef<int64_t> sizes) {
  SmallVector<Value> out(sizes.size());
  for (int64_t d = (int64_t)sizes.size() - 1; d >= 0; --d) {
    if (d == 0) {
      out[d] = lin;
      break;
    }
    Value s = idx(b, l, sizes[d]);
    out[d] = arith::RemUIOp::create(b, l, lin, s);
    lin = arith::DivUIOp::create(b, l, lin, s);
  }
  return out;
}

SmallVector<Value> applyMap(OpBuilder &b, Location l, AffineMap map, ValueRange ivs) {
  SmallVector<Value> out;
  for (AffineExpr e : map.getResults())
    out.push_back(affine::AffineApplyOp::create(
        b, l, AffineMap::get(map.getNumDims(), 0, e, b.getContext()), ivs));
  return out;
}

/// Clones the body of `op` with its block arguments bound to `args` (null for
/// arguments the body never uses) and linalg.index bound to `ivs`.
SmallVector<Value> applyBody(OpBuilder &b, linalg::GenericOp op, ArrayRef<Value> args,
                             ValueRange ivs) {
  IRMapping map;
  Block &body = op.getRegion().front();
  for (auto [arg, v] : llvm::zip(body.getArguments(), args))
    if (v)
      map.map(arg, v);
  for (Operation &o : body.without_terminator()) {
    if (auto index = dyn_cast<linalg::IndexOp>(o)) {
      map.map(index.getResult(), ivs[index.getDim()]);
      continue;
    }
    b.clone(o, map);
  }
  SmallVector<Value> res;
  for (Value v : body.getTerminator()->getOperands())
    res.push_back(map.lookupOrDefault(v));
  return res;
}

/// The loop-order iteration vector from parallel and reduction indices.
SmallVector<Value> compose(ArrayRef<int64_t> parDims, ValueRange par,
                           ArrayRef<int64_t> redDims, ValueRange red, int64_t n) {
  SmallVector<Value> ivs(n);
  for (auto [d, v] : llvm::zip(parDims, par))
    ivs[d] = v;
  for (auto [d, v] : llvm::zip(redDims, red))
    ivs[d] = v;
  return ivs;
}

/// Loads the operands the body uses at iteration `ivs` (nulls for unused ones).
SmallVector<Value> loadOperands(OpBuilder &b, Location l, linalg::GenericOp op,
                                ValueRange ivs, bool withOutputs) {
  SmallVector<Value> args;
  Block &body = op.getRegion().front();
  for (OpOperand &operand : op->getOpOperands()) {
    bool isOut = op.isDpsInit(&operand);
    BlockArgument arg = body.getArgument(operand.getOperandNumber());
    if ((isOut && !withOutputs) || arg.use_empty() || !isa<MemRefType>(operand.get().getType())) {
      args.push_back(isa<MemRefType>(operand.get().getType()) ? Value() : operand.get());
      continue;
    }
    AffineMap map = op.getMatchingIndexingMap(&operand);
    args.push_back(memref::LoadOp::create(b, l, operand.get(), applyMap(b, l, map, ivs)));
  }
  return args;
}

/// A reduction body `yield combine(f(...), acc)`: the combiner and its identity.
struct Combiner {
  Operation *op;
  TypedAttr identity;
  Value combine(OpBuilder &b, Value x, Value y) const {
    IRMapping m;
    m.map(op->getOperand(0), x);
    m.map(op->getOperand(1), y);
    return b.clone(*op, m)->getResult(0);
  }
};

/// C[bz, m, n] = combine(C[bz, m, n], v), skipped outside the M x N matrix when
/// `checked`.
void accumulateInto(OpBuilder &b, const IndexMath &h, const Combiner &comb, Value C, Value bz,
                    Value m, Value n, bool checked, int64_t M, int64_t N, Value v) {
  Location l = h.l;
  OpBuilder tb = b;
  if (checked) {
    Value ok = arith::AndIOp::create(b, l, h.inBounds(b, m, M), h.inBounds(b, n, N));
    tb = scf::IfOp::create(b, l, ok, /*withElseRegion=*/false).getThenBodyBuilder();
  }
  Value old = memref::LoadOp::create(tb, l, C, ValueRange{bz, m, n});
  memref::StoreOp::create(tb, l, comb.combine(tb, old, v), C, ValueRange{bz, m, n});
}

std::optional<Combiner> matchCombiner(linalg::GenericOp op) {
  if (op.getNumDpsInits() != 1 || op->getNumResults() != 0)
    return std::nullopt;
  Block &body = op.getRegion().front();
  BlockArgument acc = body.getArgument(op.getNumDpsInputs());
  Value y = body.getTerminator()->getOperand(0);
  Operation *c = y.getDefiningOp();
  if (!c || c->getBlock() != &body || c->getNumOperands() != 2 || !acc.hasOneUse() ||
      acc.getUses().begin()->getOwner() != c || c->getOperand(0) == c->getOperand(1))
    return std::nullopt;
  Type t = acc.getType();
  if (t.isInteger(1) || !t.isIntOrFloat())
    return std::nullopt;
  Builder b(op.getContext());
  auto fl = [&](double v) -> TypedAttr { return b.getFloatAttr(t, v); };
  auto in = [&](APInt v) -> TypedAttr { return b.getIntegerAttr(t, v); };
  unsigned w = t.getIntOrFloatBitWidth();
  double inf = std::numeric_limits<double>::infinity();
  TypedAttr id;
  if (isa<arith::AddFOp>(c))
    id = fl(0.0);
  else if (isa<arith::MulFOp>(c))
    id = fl(1.0);
  else if (isa<arith::MaximumFOp, arith::MaxNumFOp>(c))
    id = fl(-inf);
  else if (isa<arith::MinimumFOp, arith::MinNumFOp>(c))
    id = fl(inf);
  else if (isa<arith::AddIOp, arith::OrIOp, arith::XOrIOp, arith::MaxUIOp>(c))
    id = in(APInt::getZero(w));
  else if (isa<arith::MulIOp>(c))
    id = in(APInt(w, 1));
  else if (isa<arith::AndIOp, arith::MinUIOp>(c))
    id = in(APInt::getAllOnes(w));
  else if (isa<arith::MaxSIOp>(c))
    id = in(APInt::getSignedMinValue(w));
  else if (isa<arith::MinSIOp>(c))
    id = in(APInt::getSignedMaxValue(w));
  else
    return std::nullopt;
  return Combiner{c, id};
}

struct Launch {
  gpu::LaunchOp op;
  OpBuilder body;
};

Launch createLaunch(OpBuilder &b, Location l, std::array<int64_t, 3> grid,
                    std::array<int64_t, 3> block) {
  auto launch = gpu::LaunchOp::create(b, l, idx(b, l, grid[0]), idx(b, l, grid[1]),
                                      idx(b, l, grid[2]), idx(b, l, block[0]),
                                      idx(b, l, block[1]), idx(b, l, block[2]));
  Block &entry = launch.getBody().front();
  OpBuilder inner = OpBuilder::atBlockEnd(&entry);
  gpu::TerminatorOp::create(inner, l);
  inner.setInsertionPoint(entry.getTerminator());
  return {launch, inner};
}

/// Workgroup memory as an allocation inside the kernel, in memory space 3 (what
/// convert-gpu-to-spirv maps to the Workgroup storage class and turns into a
/// module-scope variable; its gpu.func conversion does not handle workgroup
/// attributions).
Value workgroupBuffer(OpBuilder &b, Location l, ArrayRef<int64_t> shape, Type et) {
  auto type = MemRefType::get(shape, et, MemRefLayoutAttrInterface{}, b.getI64IntegerAttr(3));
  return memref::AllocOp::create(b, l, type);
}

/// for (i = start; i < end; i += step) body(i), built with scf.for.
template <typename F>
void stridedLoop(OpBuilder &b, Location l, Value start, int64_t end, Value step, F body) {
  scf::ForOp::create(b, l, start, idx(b, l, end), step, ValueRange{},
                     [&](OpBuilder &nb, Location nl, Value iv, ValueRange) {
                       body(nb, iv);
                       scf::YieldOp::create(nb, nl);
                     });
}

/// memref.copy as the equivalent linalg.generic (which kernels know how to run).
linalg::GenericOp copyAsGeneric(memref::CopyOp copy) {
  OpBuilder b(copy);
  auto type = cast<MemRefType>(copy.getTarget().getType());
  int64_t n = type.getRank();
  SmallVector<AffineMap> maps(2, b.getMultiDimIdentityMap(n));
  SmallVector<utils::IteratorType> iters(n, utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, copy.getLoc(), ValueRange{copy.getSource()}, ValueRange{copy.getTarget()}, maps,
      iters, [](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(nb, nl, args[0]);
      });
  copy.erase();
  return generic;
}

class Lowering {
public:
  Lowering(int64_t blockSize, int64_t maxGroups) : T(blockSize), G(maxGroups) {}

  LogicalResult run(func::FuncOp fn) {
    for (auto loop : llvm::to_vector(fn.getBody().front().getOps<scf::ForOp>())) {
      std::optional<gpu::LaunchOp> k = lowerSlabLoop(loop);
      if (!k)
        k = lowerIndependentNest(loop);
      if (k && failed(sinkCaptures(*k)))
        return failure();
    }
    if (failed(groupScalarCode(fn)))
      return failure();
    SmallVector<Operation *> ops;
    for (Operation &o : fn.getBody().front())
      ops.push_back(&o);
    for (Operation *o : ops) {
      OpBuilder b(o);
      if (auto copy = dyn_cast<memref::CopyOp>(o))
        o = copyAsGeneric(copy);
      if (auto generic = dyn_cast<linalg::GenericOp>(o)) {
        if (generic->getNumResults())
          return generic.emitOpError("expected a bufferized linalg op");
        if (failed(lowerGeneric(generic)))
          return failure();
        continue;
      }
      if (isa<linalg::LinalgOp>(o))
        return o->emitOpError("generalize named linalg ops before mxc-linalg-to-gpu");
      if (isPure(o) || isa<gpu::LaunchOp, memref::AllocOp, memref::AllocaOp, memref::DeallocOp,
                           memref::GetGlobalOp, memref::LoadOp, func::ReturnOp,
                           ViewLikeOpInterface, memref::ExpandShapeOp,
                           memref::CollapseShapeOp>(o))
        continue;
      // Anything else with effects (scan loops, scatters) runs on one thread.
      for (Value r : o->getResults())
        if (!r.use_empty())
          return o->emitOpError("cannot run on the GPU: its results are used by the host");
      Launch k = createLaunch(b, o->getLoc(), {1, 1, 1}, {1, 1, 1});
      o->moveBefore(k.body.getInsertionBlock()->getTerminator());
      // Copies inside (a scan's row moves) become loops with the kernel's
      // other linalg ops (convert-linalg-to-loops).
      SmallVector<memref::CopyOp> copies;
      o->walk([&](memref::CopyOp c) { copies.push_back(c); });
      for (memref::CopyOp c : copies)
        copyAsGeneric(c);
      if (failed(sinkCaptures(k.op)))
        return failure();
    }
    return success();
  }

private:
  int64_t T, G;

  /// A loop whose every iteration runs elementwise ops over one slab shape (a
  /// scan: read a slice of the input, update the running slab, write it into a
  /// slice of the result) becomes one thread per slab element, each running the
  /// whole loop: no slab element reads another's memory, so the slab loops and
  /// the outer loop interchange. (Run on one thread, a 400x90 cumsum was serial
  /// and ran past lavapipe's 65535 iterations per loop, which drops the rest.)
  /// Applies when every linalg op in the body is all-parallel over the slab with
  /// identity maps, on buffers from outside the loop or on slices of them that
  /// cover every dimension where the slab is wider than 1.
  std::optional<gpu::LaunchOp> lowerSlabLoop(scf::ForOp loop) {
    if (loop.getNumResults() != 0)
      return std::nullopt;
    SmallVector<int64_t> slab;
    auto outside = [&](Value v) {
      Operation *def = v.getDefiningOp();
      return !def ? !loop->isAncestor(cast<BlockArgument>(v).getOwner()->getParentOp())
                  : !loop->isAncestor(def);
    };
    auto sliceOk = [&](Value v) {
      auto t = dyn_cast<MemRefType>(v.getType());
      if (!t)
        return true;
      if (t.getShape() != ArrayRef<int64_t>(slab))
        return false;
      if (outside(v))
        return t.getLayout().isIdentity();
      auto sv = v.getDefiningOp<memref::SubViewOp>();
      if (!sv || !outside(sv.getSource()) || sv.getSourceType().getRank() != t.getRank())
        return false;
      for (auto [d, n] : llvm::enumerate(slab))
        if (n != 1 && (sv.getSourceType().getDimSize(d) != n || sv.isDynamicOffset(d) ||
                       sv.getStaticOffset(d) != 0 || sv.isDynamicStride(d) ||
                       sv.getStaticStride(d) != 1))
          return false;
      return true;
    };
    SmallVector<Operation *> elementwise;
    for (Operation &o : loop.getBody()->without_terminator()) {
      SmallVector<int64_t> shape;
      if (auto copy = dyn_cast<memref::CopyOp>(o)) {
        shape = llvm::to_vector(cast<MemRefType>(copy.getTarget().getType()).getShape());
      } else if (auto g = dyn_cast<linalg::GenericOp>(o)) {
        if (g.getNumReductionLoops() != 0 ||
            !llvm::all_of(g.getIndexingMapsArray(), [](AffineMap m) { return m.isIdentity(); }))
          return std::nullopt;
        shape = g.getStaticLoopRanges();
      } else if (isPure(&o)) {
        continue;
      } else {
        return std::nullopt;
      }
      if (slab.empty())
        slab = shape;
      if (shape != slab || llvm::any_of(o.getOperands(), [&](Value v) { return !sliceOk(v); }))
        return std::nullopt;
      elementwise.push_back(&o);
    }
    int64_t P = slab.empty() ? 0 : product(slab);
    if (P <= 1 || llvm::any_of(slab, ShapedType::isDynamic))
      return std::nullopt;
    Location l = loop.getLoc();
    OpBuilder b(loop);
    int64_t threads = std::min(T, P);
    int64_t groups = std::min(G, (P + threads - 1) / threads);
    Launch k = createLaunch(b, l, {groups, 1, 1}, {threads, 1, 1});
    OpBuilder &kb = k.body;
    Value start = arith::AddIOp::create(
        kb, l, arith::MulIOp::create(kb, l, k.op.getBlockIds().x, idx(kb, l, threads)),
        k.op.getThreadIds().x);
    stridedLoop(kb, l, start, P, idx(kb, l, groups * threads), [&](OpBuilder &lb, Value p) {
      SmallVector<Value> ivs = delinearize(lb, l, p, slab);
      IRMapping map;
      lb.clone(*loop, map);
      for (Operation *o : elementwise) {
        Operation *c = map.lookup(o);
        OpBuilder eb(c);
        if (auto copy = dyn_cast<memref::CopyOp>(c)) {
          Value v = memref::LoadOp::create(eb, l, copy.getSource(), ivs);
          memref::StoreOp::create(eb, l, v, copy.getTarget(), ivs);
        } else {
          auto g = cast<linalg::GenericOp>(c);
          SmallVector<Value> results = applyBody(eb, g, loadOperands(eb, l, g, ivs, true), ivs);
          for (auto [out, v] : llvm::zip(g.getDpsInits(), results))
            memref::StoreOp::create(eb, l, v, out, ivs);
        }
        c->erase();
      }
    });
    loop.erase();
    return k.op;
  }

  /// A loop of steps (a sort's network stages), each a loop over rows of a loop
  /// over pairs whose iterations touch disjoint elements (`mxc.independent`,
  /// set by the lowering that made them): a workgroup per row, its threads
  /// striding over the pairs, a barrier between steps. (On one thread a sort of
  /// 2000 elements ran past lavapipe's 65535 iterations per loop.)
  std::optional<gpu::LaunchOp> lowerIndependentNest(scf::ForOp steps) {
    // The one loop in `f`'s body, marked independent, among loads and pure ops.
    auto inner = [](scf::ForOp f) -> scf::ForOp {
      scf::ForOp found;
      for (Operation &o : f.getBody()->without_terminator()) {
        auto loop = dyn_cast<scf::ForOp>(o);
        if (loop && !found && loop->hasAttr("mxc.independent") && !loop.getNumResults())
          found = loop;
        else if (!isPure(&o) && !isa<memref::LoadOp>(o))
          return scf::ForOp();
      }
      return found;
    };
    auto range = [](scf::ForOp f) -> std::optional<int64_t> {
      std::optional<int64_t> lb = getConstantIntValue(f.getLowerBound()),
                             ub = getConstantIntValue(f.getUpperBound()),
                             st = getConstantIntValue(f.getStep());
      if (!lb || !ub || !st || *lb != 0 || *st != 1)
        return std::nullopt;
      return *ub;
    };
    if (steps.getNumResults() || steps->hasAttr("mxc.independent"))
      return std::nullopt;
    scf::ForOp rows = inner(steps);
    scf::ForOp pairs = rows ? inner(rows) : scf::ForOp();
    if (rows && !pairs)  // one row: canonicalization removed its loop
      std::swap(rows, pairs);
    std::optional<int64_t> R = rows ? range(rows) : std::optional<int64_t>(1),
                           N = pairs ? range(pairs) : std::nullopt;
    if (!R || !N || *R <= 0 || *N <= 0)
      return std::nullopt;
    bool nested = false;
    pairs.getBody()->walk([&](Operation *o) { nested |= o->getNumRegions() > 0; });
    if (nested)
      return std::nullopt;
    Location l = steps.getLoc();
    OpBuilder b(steps);
    int64_t threads = std::min(T, *N), groups = std::min(G, *R);
    Launch k = createLaunch(b, l, {groups, 1, 1}, {threads, 1, 1});
    Value tid = k.op.getThreadIds().x;
    stridedLoop(k.body, l, k.op.getBlockIds().x, *R, idx(k.body, l, groups),
                [&](OpBuilder &lb, Value r) {
                  IRMapping map;
                  lb.clone(*steps, map);
                  auto pairs2 = cast<scf::ForOp>(map.lookup(pairs.getOperation()));
                  if (rows) {
                    auto rows2 = cast<scf::ForOp>(map.lookup(rows.getOperation()));
                    rows2.getInductionVar().replaceAllUsesWith(r);
                    rows2.getBody()->getTerminator()->erase();
                    rows2->getBlock()->getOperations().splice(
                        Block::iterator(rows2), rows2.getBody()->getOperations());
                    rows2.erase();
                  }
                  OpBuilder pb(pairs2);
                  pairs2.getLowerBoundMutable().assign(tid);
                  pairs2.getStepMutable().assign(idx(pb, l, threads));
                  // The step's writes (to storage buffers: UniformMemory, which
                  // gpu.barrier's SPIR-V lowering leaves out) before the next.
                  pb.setInsertionPointAfter(pairs2);
                  spirv::ControlBarrierOp::create(
                      pb, l, spirv::Scope::Workgroup, spirv::Scope::Workgroup,
                      spirv::MemorySemantics::AcquireRelease |
                          spirv::MemorySemantics::UniformMemory |
                          spirv::MemorySemantics::WorkgroupMemory);
                });
    steps.erase();
    return k.op;
  }

  /// Host-side scalar code (loads, stores and the arithmetic between them: what
  /// small sorts and scatters unroll to) runs as one single-thread kernel per
  /// straight-line run, in order. Moving each store into a kernel of its own
  /// would re-run the loads it uses (sinkCaptures clones them) after earlier
  /// stores changed their buffer: a 2-element sort gave [1, 1] for [3, 1].
  LogicalResult groupScalarCode(func::FuncOp fn) {
    auto isBoundary = [](Operation *o) {
      return isa<linalg::LinalgOp, memref::CopyOp, memref::AllocOp, memref::AllocaOp,
                 memref::DeallocOp, memref::GetGlobalOp, func::ReturnOp, ViewLikeOpInterface,
                 memref::ExpandShapeOp, memref::CollapseShapeOp, gpu::LaunchOp>(o);
    };
    SmallVector<SmallVector<Operation *>> runs;
    SmallVector<Operation *> cur;
    bool effects = false;
    auto flush = [&] {
      if (effects)
        runs.push_back(cur);
      cur.clear();
      effects = false;
    };
    for (Operation &o : fn.getBody().front()) {
      if (isBoundary(&o)) {
        flush();
        continue;
      }
      cur.push_back(&o);
      effects |= !isPure(&o) && !isa<memref::LoadOp>(&o);
    }
    flush();
    for (ArrayRef<Operation *> run : runs) {
      llvm::SmallPtrSet<Operation *, 16> inRun(run.begin(), run.end());
      auto usedOutside = [&](Operation *o) {
        for (Operation *u : o->getUsers()) {
          Operation *top = u;
          while (top->getParentOp() != fn.getOperation())
            top = top->getParentOp();
          if (!inRun.contains(top))
            return true;
        }
        return false;
      };
      // Pure values (and loads) the host still needs, directly or through other
      // such values, stay there (kernels get clones).
      llvm::SmallPtrSet<Operation *, 16> stay;
      for (Operation *o : llvm::reverse(run)) {
        if (!(isPure(o) || isa<memref::LoadOp>(o)))
          continue;
        if (usedOutside(o) || llvm::any_of(o->getUsers(), [&](Operation *u) {
              return stay.contains(u);
            }))
          stay.insert(o);
      }
      SmallVector<Operation *> moved;
      for (Operation *o : run)
        if (!stay.contains(o))
          moved.push_back(o);
      if (moved.empty())
        continue;
      OpBuilder b(moved.front());
      Launch k = createLaunch(b, moved.front()->getLoc(), {1, 1, 1}, {1, 1, 1});
      for (Operation *o : moved) {
        if (!isPure(o) && !isa<memref::LoadOp>(o) && usedOutside(o))
          return o->emitOpError("cannot run on the GPU: its results are used by the host");
        o->moveBefore(k.body.getInsertionBlock()->getTerminator());
      }
      SmallVector<memref::CopyOp> copies;
      k.op->walk([&](memref::CopyOp c) { copies.push_back(c); });
      for (memref::CopyOp c : copies)
        copyAsGeneric(c);
      if (failed(sinkCaptures(k.op)))
        return failure();
    }
    return success();
  }

  /// Clones the non-buffer values a kernel uses (views, scalars) into it.
  LogicalResult sinkCaptures(gpu::LaunchOp launch) {
    Block &entry = launch.getBody().front();
    for (bool changed = true; changed;) {
      changed = false;
      llvm::SetVector<Value> captured;
      getUsedValuesDefinedAbove(launch.getBody(), captured);
      for (Value v : captured) {
        Operation *def = v.getDefiningOp();
        if (!def || isa<memref::AllocOp, memref::AllocaOp, memref::GetGlobalOp>(def))
          continue;
        if (isa<MemRefType>(v.getType()) &&
            !isa<ViewLikeOpInterface, memref::ExpandShapeOp, memref::CollapseShapeOp>(def))
          return def->emitOpError("cannot pass this buffer to a GPU kernel");
        OpBuilder b = OpBuilder::atBlockBegin(&entry);
        Operation *clone = b.clone(*def);
        for (auto [from, to] : llvm::zip(def->getResults(), clone->getResults()))
          from.replaceUsesWithIf(to, [&](OpOperand &use) {
            return launch->isProperAncestor(use.getOwner());
          });
        changed = true;
      }
    }
    return success();
  }

  LogicalResult lowerGeneric(linalg::GenericOp op) {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    if (llvm::any_of(ranges, ShapedType::isDynamic))
      return op.emitOpError("GPU lowering needs static shapes");
    SmallVector<int64_t> parDims, redDims, parSizes, redSizes;
    for (auto [d, it] : llvm::enumerate(op.getIteratorTypesArray())) {
      bool par = it == utils::IteratorType::parallel;
      (par ? parDims : redDims).push_back(d);
      (par ? parSizes : redSizes).push_back(ranges[d]);
    }
    int64_t P = product(parSizes), R = product(redSizes);
    OpBuilder b(op);
    if (P == 0 || R == 0) { // nothing to compute; outputs keep their values
      op.erase();
      return success();
    }
    std::optional<Combiner> comb = matchCombiner(op);
    gpu::LaunchOp launch;
    std::optional<SmallVector<int64_t, 4>> mm = matmulRanges(op, ranges);
    if (comb && mm && (*mm)[0] <= G)
      launch = emitMatmul(b, op, *mm, *comb);
    else if (comb && R >= 64)
      launch = emitReduction(b, op, parDims, parSizes, redDims, redSizes, *comb);
    else
      launch = emitGeneric(b, op, parDims, parSizes, redDims, redSizes);
    op.erase();
    return sinkCaptures(launch);
  }

  /// (batch, M, K, N) of a matmul-shaped generic: mxc's own (b, i, k, j) loop order
  /// or a generalized linalg.batch_matmul's (b, i, j, k).
  static std::optional<SmallVector<int64_t, 4>> matmulRanges(linalg::GenericOp op,
                                                             ArrayRef<int64_t> ranges) {
    if (op.getNumLoops() != 4 || op.getNumDpsInputs() != 2 ||
        !llvm::all_of(op->getOperands(),
                      [](Value v) { return isa<MemRefType>(v.getType()); }))
      return std::nullopt;
    using utils::IteratorType;
    constexpr auto P = IteratorType::parallel, R = IteratorType::reduction;
    MLIRContext *ctx = op.getContext();
    auto maps = [&](AffineExpr bd, AffineExpr i, AffineExpr k, AffineExpr j) {
      return SmallVector<AffineMap>{AffineMap::get(4, 0, {bd, i, k}, ctx),
                                    AffineMap::get(4, 0, {bd, k, j}, ctx),
                                    AffineMap::get(4, 0, {bd, i, j}, ctx)};
    };
    AffineExpr d0, d1, d2, d3;
    bindDims(ctx, d0, d1, d2, d3);
    auto it = op.getIteratorTypesArray();
    auto have = op.getIndexingMapsArray();
    if (it == SmallVector<IteratorType>{P, P, R, P} && have == maps(d0, d1, d2, d3))
      return SmallVector<int64_t, 4>{ranges[0], ranges[1], ranges[2], ranges[3]};
    if (it == SmallVector<IteratorType>{P, P, P, R} && have == maps(d0, d1, d3, d2))
      return SmallVector<int64_t, 4>{ranges[0], ranges[1], ranges[3], ranges[2]};
    return std::nullopt;
  }

  /// How a contiguous elementwise kernel reads an operand at linear index p:
  /// p itself (same shape), p mod `mod` (broadcast along outer dims), or a scalar.
  struct FlatAccess {
    enum Kind { Linear, Mod, Scalar } kind;
    int64_t mod = 0;
  };

  /// The base buffer (function argument, allocation, global) under reshapes
  /// of `v` when all of them have the identity layout (the same elements in the
  /// same order), else null.
  static Value plainBase(Value v) {
    while (true) {
      auto t = dyn_cast<MemRefType>(v.getType());
      if (!t || !t.hasStaticShape() || !t.getLayout().isIdentity())
        return Value();
      Operation *def = v.getDefiningOp();
      if (!def || isa<memref::AllocOp, memref::AllocaOp, memref::GetGlobalOp>(def))
        return v;
      if (auto e = dyn_cast<memref::ExpandShapeOp>(def))
        v = e.getSrc();
      else if (auto c = dyn_cast<memref::CollapseShapeOp>(def))
        v = c.getSrc();
      else
        return Value();
    }
  }

  /// For an all-parallel generic whose operands are plain buffers indexed by the
  /// identity map (the output) or by a suffix of the loop dims (inputs broadcast
  /// along outer dims, scalars), the flat access of each operand: the kernel then
  /// indexes 1-D views linearly, without delinearizing.
  static std::optional<SmallVector<FlatAccess>> flatAccesses(linalg::GenericOp op,
                                                             ArrayRef<int64_t> ranges) {
    if (op.getNumReductionLoops() != 0)
      return std::nullopt;
    bool usesIndex = false;
    op.getRegion().walk([&](linalg::IndexOp) { usesIndex = true; });
    if (usesIndex)
      return std::nullopt;
    int64_t n = op.getNumLoops();
    SmallVector<FlatAccess> out;
    for (OpOperand &operand : op->getOpOperands()) {
      Value v = operand.get();
      if (!isa<MemRefType>(v.getType())) {
        out.push_back({FlatAccess::Scalar});
        continue;
      }
      if (!plainBase(v))
        return std::nullopt;
      AffineMap map = op.getMatchingIndexingMap(&operand);
      unsigned k = map.getNumResults();
      if (k == 0) {
        if (op.isDpsInit(&operand))
          return std::nullopt;
        out.push_back({FlatAccess::Scalar});
        continue;
      }
      for (unsigned r = 0; r < k; ++r) {
        auto d = dyn_cast<AffineDimExpr>(map.getResult(r));
        if (!d || d.getPosition() != n - k + r)
          return std::nullopt;
      }
      if (k == (unsigned)n) {
        out.push_back({FlatAccess::Linear});
        continue;
      }
      if (op.isDpsInit(&operand))
        return std::nullopt;
      int64_t inner = product(ranges.drop_front(n - k));
      out.push_back({FlatAccess::Mod, inner});
    }
    return out;
  }

  /// A 1-D view of a plain buffer inside a kernel (memref.reinterpret_cast, which
  /// the SPIR-V conversion turns into the same buffer; views would be delinearized
  /// again by fold-memref-alias-ops).
  static Value flatView(OpBuilder &b, Location l, Value v) {
    v = plainBase(v);
    auto t = cast<MemRefType>(v.getType());
    int64_t n = t.getNumElements();
    auto flat = MemRefType::get({n}, t.getElementType(), MemRefLayoutAttrInterface{},
                                t.getMemorySpace());
    return memref::ReinterpretCastOp::create(b, l, flat, v, 0, ArrayRef<int64_t>{n},
                                             ArrayRef<int64_t>{1});
  }

  /// Contiguous elementwise kernel: each thread handles E (4 to 16) elements a workgroup
  /// width apart (coalesced, E independent loads in flight) with all loads
  /// before the computation and the stores; a grid-stride loop only when the
  /// grid cannot cover the space in one pass.
  gpu::LaunchOp emitFlat(OpBuilder &b, linalg::GenericOp op, ArrayRef<FlatAccess> acc,
                         int64_t P) {
    Location l = op.getLoc();
    int64_t threads = std::min(T, P);
    // 4 elements per thread; 8 or 16 where that lets the grid cover the space in
    // one pass (2^26 elements in 32768 workgroups rather than a loop).
    int64_t E = P >= 4 * threads ? 4 : 1;
    while (E > 1 && E < 16 && (P + threads * E - 1) / (threads * E) > G)
      E *= 2;
    int64_t chunk = threads * E;
    int64_t groups = std::min(G, (P + chunk - 1) / chunk);
    bool exact = P % chunk == 0;
    Launch k = createLaunch(b, l, {groups, 1, 1}, {threads, 1, 1});
    OpBuilder &kb = k.body;
    SmallVector<Value> views;
    for (auto [operand, a] : llvm::zip(op->getOpOperands(), acc))
      views.push_back(isa<MemRefType>(operand.get().getType()) && a.kind != FlatAccess::Scalar
                          ? flatView(kb, l, operand.get())
                          : operand.get());
    Value start = arith::AddIOp::create(
        kb, l, arith::MulIOp::create(kb, l, k.op.getBlockIds().x, idx(kb, l, chunk)),
        k.op.getThreadIds().x);
    Block &body = op.getRegion().front();
    auto element = [&](OpBuilder &eb, Value p) {
      SmallVector<Value> args;
      for (auto [i, operand] : llvm::enumerate(op->getOpOperands())) {
        BlockArgument arg = body.getArgument(i);
        Value v = operand.get();
        if (!isa<MemRefType>(v.getType())) {
          args.push_back(v);
          continue;
        }
        if (arg.use_empty()) {
          args.push_back(Value());
          continue;
        }
        switch (acc[i].kind) {
        case FlatAccess::Scalar:
          args.push_back(memref::LoadOp::create(eb, l, v, ValueRange{}));
          break;
        case FlatAccess::Linear:
          args.push_back(memref::LoadOp::create(eb, l, views[i], ValueRange{p}));
          break;
        case FlatAccess::Mod:
          args.push_back(memref::LoadOp::create(
              eb, l, views[i],
              ValueRange{arith::RemUIOp::create(eb, l, p, idx(eb, l, acc[i].mod)).getResult()}));
          break;
        }
      }
      return args;
    };
    auto tile = [&](OpBuilder &tb, Value q) {
      // Loads of all E elements, then the bodies, then the stores.
      SmallVector<Value> ps;
      SmallVector<SmallVector<Value>> loaded;
      for (int64_t j = 0; j < E; ++j) {
        Value p = j ? arith::AddIOp::create(tb, l, q, idx(tb, l, j * threads)) : q;
        ps.push_back(p);
        if (exact) {
          loaded.push_back(element(tb, p));
          continue;
        }
        // Out of range: clamp the index (loads stay in bounds), skip the store.
        Value last = idx(tb, l, P - 1);
        Value in = arith::CmpIOp::create(tb, l, arith::CmpIPredicate::ult, p, idx(tb, l, P));
        loaded.push_back(element(tb, arith::SelectOp::create(tb, l, in, p, last)));
      }
      SmallVector<SmallVector<Value>> results;
      for (int64_t j = 0; j < E; ++j)
        results.push_back(applyBody(tb, op, loaded[j], {}));
      for (int64_t j = 0; j < E; ++j) {
        auto store = [&](OpBuilder &sb) {
          for (auto [out, v] : llvm::zip(op.getDpsInitsMutable(), results[j]))
            memref::StoreOp::create(sb, l, v, views[out.getOperandNumber()], ValueRange{ps[j]});
        };
        if (exact) {
          store(tb);
          continue;
        }
        Value in = arith::CmpIOp::create(tb, l, arith::CmpIPredicate::ult, ps[j], idx(tb, l, P));
        auto ifOp = scf::IfOp::create(tb, l, in, /*withElseRegion=*/false);
        OpBuilder ib = ifOp.getThenBodyBuilder();
        store(ib);
      }
    };
    if (groups * chunk >= P) {
      // One pass: thread q's first element is in range exactly when q < P.
      Value in = arith::CmpIOp::create(kb, l, arith::CmpIPredicate::ult, start, idx(kb, l, P));
      auto ifOp = scf::IfOp::create(kb, l, in, /*withElseRegion=*/false);
      OpBuilder ib = ifOp.getThenBodyBuilder();
      tile(ib, start);
    } else {
      stridedLoop(kb, l, start, P, idx(kb, l, groups * chunk),
                  [&](OpBuilder &lb, Value q) { tile(lb, q); });
    }
    return k.op;
  }

  gpu::LaunchOp emitGeneric(OpBuilder &b, linalg::GenericOp op, ArrayRef<int64_t> parDims,
                            ArrayRef<int64_t> parSizes, ArrayRef<int64_t> redDims,
                            ArrayRef<int64_t> redSizes) {
    if (auto acc = flatAccesses(op, op.getStaticLoopRanges()))
      return emitFlat(b, op, *acc, product(parSizes));
    Location l = op.getLoc();
    int64_t P = product(parSizes), R = product(redSizes), n = op.getNumLoops();
    int64_t threads = std::min(T, P);
    int64_t groups = std::min(G, (P + threads - 1) / threads);
    Launch k = createLaunch(b, l, {groups, 1, 1}, {threads, 1, 1});
    OpBuilder &kb = k.body;
    Value start = arith::AddIOp::create(
        kb, l, arith::MulIOp::create(kb, l, k.op.getBlockIds().x, idx(kb, l, threads)),
        k.op.getThreadIds().x);
    stridedLoop(kb, l, start, P, idx(kb, l, groups * threads), [&](OpBuilder &lb, Value p) {
      SmallVector<Value> par = delinearize(lb, l, p, parSizes);
      unsigned nIn = op.getNumDpsInputs();
      SmallVector<Value> results;
      if (R == 1) {
        SmallVector<Value> zeros(redDims.size(), idx(lb, l, 0));
        SmallVector<Value> ivs = compose(parDims, par, redDims, zeros, n);
        results = applyBody(lb, op, loadOperands(lb, l, op, ivs, true), ivs);
      } else {
        SmallVector<Value> zeros(redDims.size(), idx(lb, l, 0));
        SmallVector<Value> ivs0 = compose(parDims, par, redDims, zeros, n);
        SmallVector<Value> init;
        for (OpOperand &out : op.getDpsInitsMutable())
          init.push_back(memref::LoadOp::create(
              lb, l, out.get(), applyMap(lb, l, op.getMatchingIndexingMap(&out), ivs0)));
        auto loop = scf::ForOp::create(
            lb, l, idx(lb, l, 0), idx(lb, l, R), idx(lb, l, 1), init,
            [&](OpBuilder &rb, Location rl, Value r, ValueRange acc) {
              SmallVector<Value> red = delinearize(rb, rl, r, redSizes);
              SmallVector<Value> ivs = compose(parDims, par, redDims, red, n);
              SmallVector<Value> args = loadOperands(rb, rl, op, ivs, false);
              for (auto [i, a] : llvm::enumerate(acc))
                args[nIn + i] = a;
              scf::YieldOp::create(rb, rl, applyBody(rb, op, args, ivs));
            });
        results = loop.getResults();
      }
      SmallVector<Value> zeros(redDims.size(), idx(lb, l, 0));
      SmallVector<Value> ivs = compose(parDims, par, redDims, zeros, n);
      for (auto [out, v] : llvm::zip(op.getDpsInitsMutable(), results))
        memref::StoreOp::create(lb, l, v, out.get(),
                                applyMap(lb, l, op.getMatchingIndexingMap(&out), ivs));
    });
    return k.op;
  }

  gpu::LaunchOp emitReduction(OpBuilder &b, linalg::GenericOp op, ArrayRef<int64_t> parDims,
                              ArrayRef<int64_t> parSizes, ArrayRef<int64_t> redDims,
                              ArrayRef<int64_t> redSizes, const Combiner &comb) {
    Location l = op.getLoc();
    int64_t P = product(parSizes), R = product(redSizes), n = op.getNumLoops();
    // A power of two no larger than R: every thread then runs its strided loop at
    // least once (the SPIR-V lowering of a zero-trip scf.for with iter_args loses
    // the initial value on lavapipe).
    int64_t threads = 1;
    while (threads * 2 <= T && threads * 2 <= R)
      threads *= 2;
    int64_t groups = std::min(G, P);
    Type et = comb.identity.getType();
    Launch k = createLaunch(b, l, {groups, 1, 1}, {threads, 1, 1});
    OpBuilder &kb = k.body;
    Value shared = workgroupBuffer(kb, l, {threads}, et);
    Value tid = k.op.getThreadIds().x;
    OpOperand &out = op.getDpsInitsMutable()[0];
    unsigned nIn = op.getNumDpsInputs();
    stridedLoop(kb, l, k.op.getBlockIds().x, P, idx(kb, l, groups), [&](OpBuilder &lb, Value p) {
      SmallVector<Value> par = delinearize(lb, l, p, parSizes);
      Value identity = arith::ConstantOp::create(lb, l, comb.identity);
      auto loop = scf::ForOp::create(
          lb, l, tid, idx(lb, l, R), idx(lb, l, threads), ValueRange{identity},
          [&](OpBuilder &rb, Location rl, Value r, ValueRange acc) {
            SmallVector<Value> red = delinearize(rb, rl, r, redSizes);
            SmallVector<Value> ivs = compose(parDims, par, redDims, red, n);
            SmallVector<Value> args = loadOperands(rb, rl, op, ivs, false);
            args[nIn] = acc[0];
            scf::YieldOp::create(rb, rl, applyBody(rb, op, args, ivs));
          });
      memref::StoreOp::create(lb, l, loop.getResult(0), shared, tid);
      gpu::BarrierOp::create(lb, l);
      for (int64_t s = threads / 2; s > 0; s /= 2) {
        Value active = arith::CmpIOp::create(lb, l, arith::CmpIPredicate::ult, tid, idx(lb, l, s));
        auto ifOp = scf::IfOp::create(lb, l, active, /*withElseRegion=*/false);
        OpBuilder tb = ifOp.getThenBodyBuilder();
        Value other = arith::AddIOp::create(tb, l, tid, idx(tb, l, s));
        Value x = memref::LoadOp::create(tb, l, shared, tid);
        Value y = memref::LoadOp::create(tb, l, shared, other);
        memref::StoreOp::create(tb, l, comb.combine(tb, x, y), shared, tid);
        gpu::BarrierOp::create(lb, l);
      }
      Value first = arith::CmpIOp::create(lb, l, arith::CmpIPredicate::eq, tid, idx(lb, l, 0));
      auto ifOp = scf::IfOp::create(lb, l, first, /*withElseRegion=*/false);
      OpBuilder tb = ifOp.getThenBodyBuilder();
      SmallVector<Value> zeros(redDims.size(), idx(tb, l, 0));
      SmallVector<Value> ivs = compose(parDims, par, redDims, zeros, n);
      SmallVector<Value> at = applyMap(tb, l, op.getMatchingIndexingMap(&out), ivs);
      Value old = memref::LoadOp::create(tb, l, out.get(), at);
      Value total = memref::LoadOp::create(tb, l, shared, idx(tb, l, 0));
      memref::StoreOp::create(tb, l, comb.combine(tb, old, total), out.get(), at);
      gpu::BarrierOp::create(lb, l);
    });
    return k.op;
  }

  /// The large-matrix matmul: 128x128 tiles of C per 16x16 workgroup, 8x8
  /// outputs per thread (rows 4ty..4ty+3 and 64+4ty.., columns 4tx.. and
  /// 64+4tx..), K in slices of 8. Workgroup memory holds 4-vectors, so the inner
  /// loop reads 4 values per load (two 128-bit loads of each operand per k: A's
  /// are broadcasts within a warp, B's are 16 consecutive vectors); A is staged
  /// transposed ([k][m/4], rows padded by one vector so the staging stores are
  /// conflict-free), B as [k][n/4]. Each thread fetches one vector of each
  /// operand per slice, the next slice's before this slice's arithmetic.
  gpu::LaunchOp emitMatmulVec4(OpBuilder &b, linalg::GenericOp op, ArrayRef<int64_t> ranges,
                               const Combiner &comb) {
    constexpr int64_t TH = 16, R = 8, TM = 128, TN = 128, TK = 8, V = 4;
    constexpr int64_t LDA = TM / V + 1, LDB = TN / V;
    Location l = op.getLoc();
    int64_t B = ranges[0], M = ranges[1], K = ranges[2], N = ranges[3];
    bool checkM = M % TM != 0, checkN = N % TN != 0, checkK = K % TK != 0;
    Value A = op.getDpsInputs()[0], Bm = op.getDpsInputs()[1];
    Value C = op.getDpsInits()[0];
    Type at = cast<MemRefType>(A.getType()).getElementType();
    Type bt = cast<MemRefType>(Bm.getType()).getElementType();
    auto avt = VectorType::get({V}, at), bvt = VectorType::get({V}, bt);
    Launch k = createLaunch(b, l, {(N + TN - 1) / TN, (M + TM - 1) / TM, B}, {TH, TH, 1});
    OpBuilder &kb = k.body;
    Value As = workgroupBuffer(kb, l, {TK, LDA}, avt), Bs = workgroupBuffer(kb, l, {TK, LDB}, bvt);
    Value tx = k.op.getThreadIds().x, ty = k.op.getThreadIds().y;
    Value bz = k.op.getBlockIds().z;
    IndexMath h{l};
    Value row0 = h.mulc(kb, k.op.getBlockIds().y, TM);
    Value col0 = h.mulc(kb, k.op.getBlockIds().x, TN);
    Value lin = h.add(kb, h.mulc(kb, ty, TH), tx);
    // Staging coordinates: A's vector is rows 4*aM4.. at column aK, B's is
    // columns 4*bN4.. of row bK.
    Value aK = arith::RemUIOp::create(kb, l, lin, idx(kb, l, TK));
    Value aM4 = arith::DivUIOp::create(kb, l, lin, idx(kb, l, TK));
    Value bK = arith::DivUIOp::create(kb, l, lin, idx(kb, l, LDB));
    Value bN4 = arith::RemUIOp::create(kb, l, lin, idx(kb, l, LDB));
    Value aRow = h.add(kb, row0, h.mulc(kb, aM4, V));
    Value bCol = h.add(kb, col0, h.mulc(kb, bN4, V));
    auto fetchSlice = [&](OpBuilder &ob, Value k0) {
      SmallVector<Value> v;
      Value ak = h.add(ob, k0, aK), bk = h.add(ob, k0, bK);
      for (int64_t i = 0; i < V; ++i)
        v.push_back(h.fetch(ob, A, at, bz, h.addc(ob, aRow, i), checkM, M, ak, checkK, K));
      for (int64_t j = 0; j < V; ++j)
        v.push_back(h.fetch(ob, Bm, bt, bz, bk, checkK, K, h.addc(ob, bCol, j), checkN, N));
      return v;
    };
    Value identity = arith::ConstantOp::create(kb, l, comb.identity);
    SmallVector<Value> init(R * R, identity);
    SmallVector<Value> first = fetchSlice(kb, idx(kb, l, 0));
    init.append(first.begin(), first.end());
    int64_t lastK0 = ((K - 1) / TK) * TK;
    auto kLoop = scf::ForOp::create(
        kb, l, idx(kb, l, 0), idx(kb, l, K), idx(kb, l, TK), init,
        [&](OpBuilder &ob, Location, Value k0, ValueRange carried) {
          ValueRange staged = carried.drop_front(R * R);
          memref::StoreOp::create(
              ob, l, vector::FromElementsOp::create(ob, l, avt, staged.take_front(V)), As,
              ValueRange{aK, aM4});
          memref::StoreOp::create(
              ob, l, vector::FromElementsOp::create(ob, l, bvt, staged.drop_front(V)), Bs,
              ValueRange{bK, bN4});
          gpu::BarrierOp::create(ob, l);
          Value next = arith::MinUIOp::create(ob, l, h.addc(ob, k0, TK), idx(ob, l, lastK0));
          SmallVector<Value> prefetched = fetchSlice(ob, next);
          SmallVector<Value> acc(carried.begin(), carried.begin() + R * R);
          Value ty16 = h.addc(ob, ty, TH), tx16 = h.addc(ob, tx, TH);
          for (int64_t kk = 0; kk < TK; ++kk) {
            Value kkv = idx(ob, l, kk);
            Value a[2] = {memref::LoadOp::create(ob, l, As, ValueRange{kkv, ty}),
                          memref::LoadOp::create(ob, l, As, ValueRange{kkv, ty16})};
            Value bb[2] = {memref::LoadOp::create(ob, l, Bs, ValueRange{kkv, tx}),
                           memref::LoadOp::create(ob, l, Bs, ValueRange{kkv, tx16})};
            SmallVector<Value> av, bv;
            for (int64_t r = 0; r < R; ++r) {
              av.push_back(vector::ExtractOp::create(ob, l, a[r / V], r % V));
              bv.push_back(vector::ExtractOp::create(ob, l, bb[r / V], r % V));
            }
            for (int64_t r = 0; r < R; ++r)
              for (int64_t c = 0; c < R; ++c)
                acc[r * R + c] = applyBody(ob, op, {av[r], bv[c], acc[r * R + c]}, {})[0];
          }
          gpu::BarrierOp::create(ob, l);
          acc.append(prefetched.begin(), prefetched.end());
          scf::YieldOp::create(ob, l, acc);
        });
    // Thread rows 4ty + i and 64 + 4ty + i, columns likewise with tx.
    Value ty4 = h.mulc(kb, ty, V), tx4 = h.mulc(kb, tx, V);
    for (int64_t r = 0; r < R; ++r)
      for (int64_t c = 0; c < R; ++c) {
        Value gm = h.add(kb, row0, h.addc(kb, ty4, (r / V) * (TM / 2) + r % V));
        Value gn = h.add(kb, col0, h.addc(kb, tx4, (c / V) * (TN / 2) + c % V));
        accumulateInto(kb, h, comb, C, bz, gm, gn, checkM || checkN, M, N,
                       kLoop.getResult(r * R + c));
      }
    return k.op;
  }

  /// Tiled matmul: a 16x16 workgroup computes a (16R)x(16R) tile of C, R x R
  /// outputs per thread (rows ty + 16i, columns tx + 16j: the inner loop's
  /// workgroup-memory reads are broadcasts for A and consecutive words for B, so
  /// conflict-free). K advances in slices of TK = 64/R: each thread stages 4
  /// elements of each operand (A transposed to [k][m], rows padded by 4 words so
  /// those stores are conflict-free too; B as [k][n], coalesced). The slice loop
  /// is unrolled; bounds checks exist only where a dimension is not a multiple
  /// of its tile. R = 8 (128x128 tiles) for large matrices, else 4.
  gpu::LaunchOp emitMatmul(OpBuilder &b, linalg::GenericOp op, ArrayRef<int64_t> ranges,
                           const Combiner &comb) {
    constexpr int64_t TH = 16, NT = TH * TH;
    Location l = op.getLoc();
    int64_t B = ranges[0], M = ranges[1], K = ranges[2], N = ranges[3];
    if (M >= 128 && N >= 128)
      return emitMatmulVec4(b, op, ranges, comb);
    const int64_t R = 4;
    const int64_t TM = TH * R, TN = TH * R, TK = 64 / R, LDA = TM + 4;
    const int64_t perThread = TM * TK / NT; // 4
    bool checkM = M % TM != 0, checkN = N % TN != 0, checkK = K % TK != 0;
    Value A = op.getDpsInputs()[0], Bm = op.getDpsInputs()[1];
    Value C = op.getDpsInits()[0];
    Type at = cast<MemRefType>(A.getType()).getElementType();
    Type bt = cast<MemRefType>(Bm.getType()).getElementType();
    Launch k = createLaunch(b, l, {(N + TN - 1) / TN, (M + TM - 1) / TM, B}, {TH, TH, 1});
    OpBuilder &kb = k.body;
    Value As = workgroupBuffer(kb, l, {TK * LDA}, at), Bs = workgroupBuffer(kb, l, {TK * TN}, bt);
    Value tx = k.op.getThreadIds().x, ty = k.op.getThreadIds().y;
    Value bz = k.op.getBlockIds().z;
    IndexMath h{l};
    Value row0 = h.mulc(kb, k.op.getBlockIds().y, TM);
    Value col0 = h.mulc(kb, k.op.getBlockIds().x, TN);
    Value lin = h.add(kb, h.mulc(kb, ty, TH), tx);
    // Per-thread staging coordinates, fixed across the K loop.
    SmallVector<Value> aM, aK, bK, bN;
    for (int64_t q = 0; q < perThread; ++q) {
      Value e = h.addc(kb, lin, q * NT);
      aM.push_back(arith::DivUIOp::create(kb, l, e, idx(kb, l, TK)));
      aK.push_back(arith::RemUIOp::create(kb, l, e, idx(kb, l, TK)));
      bK.push_back(arith::DivUIOp::create(kb, l, e, idx(kb, l, TN)));
      bN.push_back(arith::RemUIOp::create(kb, l, e, idx(kb, l, TN)));
    }
    // The 2 x perThread elements this thread stages for the slice at k0.
    auto fetchSlice = [&](OpBuilder &ob, Value k0) {
      SmallVector<Value> v;
      for (int64_t q = 0; q < perThread; ++q)
        v.push_back(h.fetch(ob, A, at, bz, h.add(ob, row0, aM[q]), checkM, M, h.add(ob, k0, aK[q]),
                          checkK, K));
      for (int64_t q = 0; q < perThread; ++q)
        v.push_back(h.fetch(ob, Bm, bt, bz, h.add(ob, k0, bK[q]), checkK, K, h.add(ob, col0, bN[q]),
                          checkN, N));
      return v;
    };
    Value identity = arith::ConstantOp::create(kb, l, comb.identity);
    SmallVector<Value> init(R * R, identity);
    // Software pipelining: the next slice's global loads are issued before this
    // slice's arithmetic (held in registers, stored after the second barrier).
    SmallVector<Value> first = fetchSlice(kb, idx(kb, l, 0));
    init.append(first.begin(), first.end());
    int64_t lastK0 = ((K - 1) / TK) * TK;
    auto kLoop = scf::ForOp::create(
        kb, l, idx(kb, l, 0), idx(kb, l, K), idx(kb, l, TK), init,
        [&](OpBuilder &ob, Location, Value k0, ValueRange carried) {
          for (int64_t q = 0; q < perThread; ++q) {
            memref::StoreOp::create(ob, l, carried[R * R + q], As,
                                    ValueRange{h.add(ob, h.mulc(ob, aK[q], LDA), aM[q])});
            memref::StoreOp::create(ob, l, carried[R * R + perThread + q], Bs,
                                    ValueRange{h.add(ob, h.mulc(ob, bK[q], TN), bN[q])});
          }
          gpu::BarrierOp::create(ob, l);
          // The next slice (the last one again on the last step: stays in bounds).
          Value next = arith::MinUIOp::create(ob, l, h.addc(ob, k0, TK), idx(ob, l, lastK0));
          SmallVector<Value> prefetched = fetchSlice(ob, next);
          SmallVector<Value> acc(carried.begin(), carried.begin() + R * R);
          for (int64_t kk = 0; kk < TK; ++kk) {
            SmallVector<Value> av, bv;
            for (int64_t r = 0; r < R; ++r) {
              av.push_back(memref::LoadOp::create(ob, l, As, ValueRange{h.addc(ob, ty, kk * LDA + r * TH)}));
              bv.push_back(memref::LoadOp::create(ob, l, Bs, ValueRange{h.addc(ob, tx, kk * TN + r * TH)}));
            }
            for (int64_t r = 0; r < R; ++r)
              for (int64_t c = 0; c < R; ++c)
                acc[r * R + c] = applyBody(ob, op, {av[r], bv[c], acc[r * R + c]}, {})[0];
          }
          gpu::BarrierOp::create(ob, l);
          acc.append(prefetched.begin(), prefetched.end());
          scf::YieldOp::create(ob, l, acc);
        });
    for (int64_t r = 0; r < R; ++r)
      for (int64_t c = 0; c < R; ++c) {
        Value gm = h.add(kb, row0, h.addc(kb, ty, r * TH));
        Value gn = h.add(kb, col0, h.addc(kb, tx, c * TH));
        accumulateInto(kb, h, comb, C, bz, gm, gn, checkM || checkN, M, N,
                       kLoop.getResult(r * R + c));
      }
    return k.op;
  }
};

struct LinalgToGPUPass : array::impl::LinalgToGPUBase<LinalgToGPUPass> {
  using LinalgToGPUBase::LinalgToGPUBase;
  void runOnOperation() override {
    if (getOperation().isExternal())
      return;
    if (failed(Lowering(blockSize, maxGroups).run(getOperation())))
      return signalPassFailure();
  }
};
} // namespace
