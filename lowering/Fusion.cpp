//===- Fusion.cpp - mxc-fuse-elementwise, mxc-fuse-rows, mxc-parallelize ----===//
//
// mxc-fuse-elementwise is upstream's linalg-fuse-elementwise-ops (elementwise
// producers into consumers, reshapes propagated by expansion, constant folding)
// except that named contractions are never touched: propagating a reshape through
// a linalg.batch_matmul turns it into a generic, which mxc-matmul-to-blas cannot
// hand to BLAS (a matmul whose operand was reshaped ran as scalar loops).
//
// mxc-fuse-rows: elementwise fusion (linalg-fuse-elementwise-ops) leaves one loop nest per
// reduction and one per consumer of a reduction: softmax is four passes over its
// input (max, exp(x - max), sum, divide), each streaming the whole array through
// memory. This pass tiles such a consumer along its leading parallel loops into
// blocks of rows and fuses its producers, reductions included, into the tile loop
// (scf::tileConsumerAndFuseProducersUsingSCF), so each block of rows is read from
// memory once and every later pass over it hits the cache.
//
// A producer is fused only when each iteration of the tile loop needs a distinct
// slice of it (its slice's offsets depend on every tile loop with more than one
// trip): a reduction across the tiled rows, or a vector broadcast along them, is
// computed once outside instead of once per tile. A fused producer with users
// outside the consumer's producer graph yields its value from the loop, so it is
// never computed twice. Contractions are left whole for the BLAS path. With
// `parallel`, the tile loops are scf.forall: every tile writes its own rows.
//
// mxc-parallelize: every other large linalg op (elementwise chains, row
// reductions) is tiled the same way into an scf.forall, with no fusion. After
// bufferization the foralls become scf.parallel and then OpenMP loops.
//
//===----------------------------------------------------------------------===//
#include "lowering/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir::array {
#define GEN_PASS_DEF_FUSEELEMENTWISE
#define GEN_PASS_DEF_FUSEROWS
#define GEN_PASS_DEF_PARALLELIZE
#include "lowering/Passes.h.inc"
} // namespace mlir::array

using namespace mlir;

namespace {
bool hasReduction(linalg::LinalgOp op) {
  return op.getNumReductionLoops() > 0;
}

/// Linalg ops (through reshapes) that `root` depends on, within its block.
llvm::SetVector<Operation *> producerGraph(Operation *root) {
  llvm::SetVector<Operation *> seen;
  SmallVector<Operation *> work{root};
  while (!work.empty()) {
    Operation *op = work.pop_back_val();
    for (Value v : op->getOperands()) {
      Operation *def = v.getDefiningOp();
      if (!def || def->getBlock() != root->getBlock() || seen.contains(def))
        continue;
      if (!isa<linalg::LinalgOp, tensor::ExpandShapeOp, tensor::CollapseShapeOp,
               tensor::EmptyOp>(def))
        continue;
      seen.insert(def);
      work.push_back(def);
    }
  }
  return seen;
}

/// Whether `v` is computed from the block argument `iv` (through any ops in the
/// loop body).
bool dependsOn(Value v, Value iv) {
  SmallVector<Value> work{v};
  llvm::SmallPtrSet<Operation *, 8> seen;
  while (!work.empty()) {
    Value cur = work.pop_back_val();
    if (cur == iv)
      return true;
    Operation *def = cur.getDefiningOp();
    if (!def || !seen.insert(def).second)
      continue;
    llvm::append_range(work, def->getOperands());
  }
  return false;
}

/// Tile sizes for `op`'s loops: leading parallel loops are cut so a tile holds
/// about `target` iterations of the loops inside it; none when no cut is needed.
std::optional<SmallVector<int64_t>> tileSizes(linalg::LinalgOp op, int64_t target) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  auto iterators = op.getIteratorTypesArray();
  if (ranges.empty() || llvm::any_of(ranges, [](int64_t r) {
        return ShapedType::isDynamic(r) || r == 0;
      }))
    return std::nullopt;
  SmallVector<int64_t> sizes(ranges.size(), 0);
  int64_t inner = 1;
  for (int64_t r : ranges)
    inner *= r;
  for (size_t d = 0; d < ranges.size(); ++d) {
    if (iterators[d] != utils::IteratorType::parallel)
      return std::nullopt;
    inner /= ranges[d];
    if (inner <= target) {
      int64_t t = std::max<int64_t>(1, target / std::max<int64_t>(inner, 1));
      if (d == 0 && t >= ranges[0])
        return std::nullopt; // fits in one tile
      sizes[d] = std::min(t, ranges[d]);
      return sizes;
    }
    if (ranges[d] > 1)
      sizes[d] = 1;
  }
  return std::nullopt;
}

/// Whether linalg's tiling can slice `op`'s operands: it asserts that every
/// multiplication in an indexing map is by a positive constant, which a reversed
/// operand (x[::-1]: d0 * -1 + n - 1) is not.
bool isTileable(linalg::LinalgOp op) {
  bool ok = true;
  for (AffineMap map : op.getIndexingMapsArray())
    for (AffineExpr result : map.getResults())
      result.walk([&](AffineExpr e) {
        auto mul = dyn_cast<AffineBinaryOpExpr>(e);
        if (mul && mul.getKind() == AffineExprKind::Mul) {
          auto c = dyn_cast<AffineConstantExpr>(mul.getRHS());
          ok &= c && c.getValue() > 0;
        }
      });
  return ok;
}

/// `op` is worth tiling when a reduction it depends on can be computed per tile.
bool isCandidate(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || !linalgOp.hasPureTensorSemantics() || !isa<TilingInterface>(op) ||
      isa<linalg::FillOp>(op) || linalg::isaContractionOpInterface(linalgOp) ||
      !isTileable(linalgOp))
    return false;
  if (linalgOp.getNumLoops() == 0 ||
      linalgOp.getIteratorTypesArray()[0] != utils::IteratorType::parallel)
    return false;
  for (Operation *p : producerGraph(op))
    if (auto l = dyn_cast<linalg::LinalgOp>(p); l && hasReduction(l) &&
                                                !linalg::isaContractionOpInterface(l))
      return true;
  return false;
}

bool isContraction(Operation *op) {
  auto linalgOp = dyn_cast_or_null<linalg::LinalgOp>(op);
  return linalgOp && !isa<linalg::GenericOp>(op) && linalg::isaContractionOpInterface(linalgOp);
}

/// Distinct tensor operands of the op that fusing `fused`'s producer into its
/// owner makes (at most: inits whose value the producer never reads are dropped).
int64_t fusedOperandCount(OpOperand *fused) {
  llvm::SmallDenseSet<Value, 16> operands;
  for (OpOperand &o : fused->getOwner()->getOpOperands())
    if (&o != fused)
      operands.insert(o.get());
  Operation *producer = fused->get().getDefiningOp();
  auto linalgProducer = dyn_cast<linalg::LinalgOp>(producer);
  for (OpOperand &o : producer->getOpOperands())
    if (!linalgProducer || !linalgProducer.isDpsInit(&o) ||
        linalgProducer.payloadUsesValueFromOperand(&o))
      operands.insert(o.get());
  return llvm::count_if(operands, [](Value v) { return isa<ShapedType>(v.getType()); });
}

struct FuseElementwisePass : array::impl::FuseElementwiseBase<FuseElementwisePass> {
  using FuseElementwiseBase::FuseElementwiseBase;

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    // As upstream: a producer is fused only into its one user; and never
    // reshape a named contraction into a generic.
    int64_t maxOperands = this->maxOperands;
    linalg::ControlFusionFn control = [maxOperands](OpOperand *fused) {
      Operation *producer = fused->get().getDefiningOp();
      return producer && producer->hasOneUse() && !isContraction(producer) &&
             !isContraction(fused->getOwner()) &&
             (maxOperands <= 0 || fusedOperandCount(fused) <= maxOperands);
    };
    // A transpose or broadcast whose one user is elementwise becomes a generic so
    // it fuses into that user (the user reads through the permuted map); one that
    // feeds a contraction stays named, for BLAS's strides.
    IRRewriter rewriter(context);
    getOperation().walk([&](Operation *op) {
      if (!isa<linalg::TransposeOp, linalg::BroadcastOp>(op) || !op->hasOneUse())
        return;
      auto user = dyn_cast<linalg::GenericOp>(*op->getUsers().begin());
      if (!user || !linalg::isElementwise(user))
        return;
      rewriter.setInsertionPoint(op);
      (void)linalg::generalizeNamedOp(rewriter, cast<linalg::LinalgOp>(op));
    });
    RewritePatternSet patterns(context);
    linalg::populateElementwiseOpsFusionPatterns(patterns, control);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, control);
    tensor::populateBubbleUpExpandShapePatterns(patterns);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, context);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, context);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
    context->getLoadedDialect<linalg::LinalgDialect>()->getCanonicalizationPatterns(patterns);
    linalg::populateConstantFoldLinalgOperations(patterns, control);
    GreedyRewriteConfig config;
    config.setUseTopDownTraversal(true);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      return signalPassFailure();
  }
};

/// Tiles `root` by `sizes` into scf.for (or scf.forall) loops and fuses the
/// producers `control` accepts; uses of the originals after the loop take the
/// loop's results, and what is left dead behind is erased.
void tileAndFuse(IRRewriter &rewriter, Operation *root, ArrayRef<int64_t> sizes, bool forall,
                 scf::SCFTileAndFuseOptions::ControlFnTy control) {
  scf::SCFTilingOptions tiling;
  tiling.setLoopType(forall ? scf::SCFTilingOptions::LoopType::ForallOp
                            : scf::SCFTilingOptions::LoopType::ForOp);
  tiling.setTileSizes(getAsIndexOpFoldResult(root->getContext(), sizes));
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tiling);
  options.setFusionControlFn(std::move(control));
  RewritePatternSet cleanup(root->getContext());
  tensor::ExtractSliceOp::getCanonicalizationPatterns(cleanup, root->getContext());
  tensor::populateMergeConsecutiveInsertExtractSlicePatterns(cleanup);
  tensor::populateBubbleUpExtractSliceOpPatterns(cleanup);
  options.cleanupPatterns = FrozenRewritePatternSet(std::move(cleanup));

  Block &body = *root->getBlock();
  rewriter.setInsertionPoint(root);
  FailureOr<scf::SCFTileAndFuseResult> result = scf::tileConsumerAndFuseProducersUsingSCF(
      rewriter, cast<TilingInterface>(root), options);
  if (failed(result))
    return; // an op the driver cannot tile stays as it is
  // Only users after the loop can take its results (anything before it, or
  // left inside it, keeps the original value).
  Operation *loop = result->loops.front();
  for (auto [original, replacement] : result->replacements)
    rewriter.replaceUsesWithIf(original, replacement, [&](OpOperand &use) {
      Operation *top = body.findAncestorOpInBlock(*use.getOwner());
      return top && top != loop && loop->isBeforeInBlock(top);
    });
  // The fused slices' extract_slice ops stay behind unused; with them gone,
  // the producers computed in the loop instead are dead too.
  Region *region = root->getParentRegion();
  if (root->use_empty())
    rewriter.eraseOp(root);
  (void)runRegionDCE(rewriter, *region);
}

/// Slices of tensor.empty become tile-sized tensor.empty ops in the loops, so
/// temporaries bufferize to tile-sized buffers.
LogicalResult foldEmptySlices(func::FuncOp func) {
  RewritePatternSet patterns(func.getContext());
  tensor::populateFoldTensorEmptyPatterns(patterns);
  return applyPatternsGreedily(func, std::move(patterns));
}

struct FuseRowsPass : array::impl::FuseRowsBase<FuseRowsPass> {
  using FuseRowsBase::FuseRowsBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    IRRewriter rewriter(&getContext());
    llvm::DenseSet<Operation *> rejected;
    while (true) {
      Operation *root = nullptr;
      for (Operation &op : llvm::reverse(func.getBody().front()))
        if (!rejected.contains(&op) && isCandidate(&op)) {
          root = &op;
          break;
        }
      if (!root)
        break;
      rejected.insert(root);
      fuseRows(rewriter, root);
    }
    if (failed(foldEmptySlices(func)))
      return signalPassFailure();
  }

  void fuseRows(IRRewriter &rewriter, Operation *root) {
    auto sizes = tileSizes(cast<linalg::LinalgOp>(root), tileElements);
    if (!sizes)
      return;
    llvm::SetVector<Operation *> graph = producerGraph(root);
    Block &body = *root->getBlock();
    // Producers whose values are used outside the graph: after the root, the loop
    // yields them; before it (the loop is built at the root), they stay unfused.
    llvm::DenseSet<Operation *> neededOutside, neededBefore;
    for (Operation *op : graph)
      for (Operation *user : op->getUsers()) {
        Operation *top = body.findAncestorOpInBlock(*user);
        if (top == root || graph.contains(top))
          continue;
        (top->isBeforeInBlock(root) ? neededBefore : neededOutside).insert(op);
      }
    auto control = [&](tensor::ExtractSliceOp slice, OpResult producer, bool isDestination)
        -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
      Operation *def = producer.getOwner();
      if (isDestination && isa<tensor::EmptyOp>(def))
        return std::nullopt;
      auto linalgOp = dyn_cast<linalg::LinalgOp>(def);
      if (!linalgOp || linalg::isaContractionOpInterface(linalgOp) || !isTileable(linalgOp) ||
          neededBefore.contains(def))
        return std::nullopt;
      // Each tile loop with several trips must select a distinct slice.
      for (Operation *p = slice->getParentOp(); isa_and_nonnull<scf::ForOp, scf::ForallOp>(p);
           p = p->getParentOp()) {
        auto loop = cast<LoopLikeOpInterface>(p);
        auto ivs = loop.getLoopInductionVars();
        auto lbs = loop.getLoopLowerBounds(), ubs = loop.getLoopUpperBounds(),
             steps = loop.getLoopSteps();
        for (size_t k = 0; ivs && k < ivs->size(); ++k) {
          std::optional<int64_t> lb = getConstantIntValue((*lbs)[k]);
          std::optional<int64_t> ub = getConstantIntValue((*ubs)[k]);
          std::optional<int64_t> step = getConstantIntValue((*steps)[k]);
          if (lb && ub && step && *ub - *lb <= *step)
            continue;
          Value iv = (*ivs)[k];
          if (!llvm::any_of(slice.getOffsets(),
                            [&](Value offset) { return dependsOn(offset, iv); }))
            return std::nullopt;
        }
      }
      scf::SCFTileAndFuseOptions::ControlFnResult result;
      result.yieldProducerReplacement = neededOutside.contains(def);
      return result;
    };
    tileAndFuse(rewriter, root, *sizes, parallel, control);
  }
};

/// Whether every use of `op`'s results (through reshapes) is by a contraction.
bool onlyFeedsContractions(Operation *op) {
  return !op->use_empty() && llvm::all_of(op->getUsers(), [](Operation *user) {
    return isContraction(user) || (isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(user) &&
                                   onlyFeedsContractions(user));
  });
}

// A transpose that only feeds contractions: mxc-matmul-to-blas turns it into
// strides of the gemm's operand, so it must stay one op.
struct ParallelizePass : array::impl::ParallelizeBase<ParallelizePass> {
  using ParallelizeBase::ParallelizeBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    IRRewriter rewriter(&getContext());
    SmallVector<Operation *> roots;
    for (Operation &op : func.getBody().front()) {
      auto linalgOp = dyn_cast<linalg::LinalgOp>(&op);
      if (!linalgOp || !linalgOp.hasPureTensorSemantics() || !isa<TilingInterface>(op) ||
          isa<linalg::FillOp>(op) || linalg::isaContractionOpInterface(linalgOp) ||
          !isTileable(linalgOp) || (isa<linalg::TransposeOp>(op) && onlyFeedsContractions(&op)))
        continue;
      SmallVector<int64_t> ranges = linalgOp.getStaticLoopRanges();
      int64_t work = 1;
      for (int64_t r : ranges)
        work = ShapedType::isDynamic(r) ? 0 : work * r;
      if (work >= minWork)
        roots.push_back(&op);
    }
    for (Operation *root : roots) {
      auto sizes = tileSizes(cast<linalg::LinalgOp>(root), tileElements);
      if (!sizes)
        continue;
      auto noFusion = [](tensor::ExtractSliceOp, OpResult, bool)
          -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> { return std::nullopt; };
      tileAndFuse(rewriter, root, *sizes, /*forall=*/true, noFusion);
    }
    if (failed(foldEmptySlices(func)))
      return signalPassFailure();
  }
};
} // namespace
