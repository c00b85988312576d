//===- MatmulToBlas.cpp - mxc-matmul-to-blas --------------------------------===//
//
// After bufferization, every f32/f64 `linalg.batch_matmul` / `linalg.matmul` on
// buffers becomes a call of the CPU runtime's `mxc_rt_gemm_f32/_f64` (see
// python/native/cpu_runtime.cpp), which hands each batch to the BLAS gemm. The
// call takes each buffer's address and strides from its strided metadata, so
// views (transposes, slices) reach BLAS without copies where BLAS can read them.
//
//===----------------------------------------------------------------------===//
#include "lowering/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/IR/Matchers.h"

namespace mlir::array {
#define GEN_PASS_DEF_MATMULTOBLAS
#include "lowering/Passes.h.inc"
} // namespace mlir::array

using namespace mlir;

namespace {
/// The runtime entry point for `element`, declared in `module` on first use:
/// (batch, m, n, k, then address, batch/row/column strides of A, B and C, then
/// whether to accumulate into C: C = A B + accumulate * C).
func::FuncOp gemmDecl(ModuleOp module, Type element) {
  std::string name = element.isF32() ? "mxc_rt_gemm_f32" : "mxc_rt_gemm_f64";
  if (auto fn = module.lookupSymbol<func::FuncOp>(name))
    return fn;
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  SmallVector<Type> args(17, b.getIndexType());
  auto fn = func::FuncOp::create(b, module.getLoc(), name, b.getFunctionType(args, {}));
  fn.setPrivate();
  return fn;
}

/// Address of element 0 of `buffer`, then its strides for the (batch, row, column)
/// axes; a rank-2 buffer has batch stride 0.
void addressAndStrides(OpBuilder &b, Location loc, Value buffer,
                       SmallVectorImpl<Value> &out) {
  auto type = cast<MemRefType>(buffer.getType());
  auto meta = memref::ExtractStridedMetadataOp::create(b, loc, buffer);
  Value base = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, buffer);
  Value bytes =
      arith::ConstantIndexOp::create(b, loc, type.getElementTypeBitWidth() / 8);
  Value offset = arith::MulIOp::create(b, loc, meta.getOffset(), bytes);
  out.push_back(arith::AddIOp::create(b, loc, base, offset));
  auto strides = meta.getStrides();
  if (type.getRank() == 2)
    out.push_back(arith::ConstantIndexOp::create(b, loc, 0));
  out.append(strides.begin(), strides.end());
}

/// The buffer a view is a view of.
Value rootOf(Value v) {
  while (auto view = v.getDefiningOp<ViewLikeOpInterface>())
    v = view.getViewSource();
  return v;
}

/// An operand that a linalg.transpose just filled, in a buffer used for nothing
/// else: BLAS reads the transpose's input through a permuted view instead, and
/// the copy (with its buffer) goes.
Value viewOfTransposed(OpBuilder &b, Value operand, Operation *matmul,
                       SmallVectorImpl<Operation *> &dead) {
  auto alloc = operand.getDefiningOp<memref::AllocOp>();
  if (!alloc || matmul->getOperand(0) == matmul->getOperand(1))
    return operand;
  linalg::TransposeOp transpose;
  SmallVector<Operation *> deallocs;
  for (Operation *user : alloc->getUsers()) {
    if (auto t = dyn_cast<linalg::TransposeOp>(user);
        t && !transpose && t.getInit() == operand && t->getBlock() == matmul->getBlock() &&
        t->isBeforeInBlock(matmul) && t.hasPureBufferSemantics())
      transpose = t;
    else if (isa<memref::DeallocOp>(user))
      deallocs.push_back(user);
    else if (user != matmul)
      return operand;
  }
  if (!transpose)
    return operand;
  // The product must not write where the view reads (bufferization may have put
  // the output in the transpose's input buffer, once the copy had read it).
  if (rootOf(transpose.getInput()) == rootOf(matmul->getOperand(2)))
    return operand;
  // Nothing between the copy and the product may write the transpose's input
  // (allocating and filling fresh buffers, as for the product's output, is fine).
  for (Operation *op = transpose->getNextNode(); op != matmul; op = op->getNextNode()) {
    auto fill = dyn_cast<linalg::FillOp>(op);
    bool fresh = fill && fill.hasPureBufferSemantics() &&
                 fill.getDpsInits()[0].getDefiningOp<memref::AllocOp>();
    if (!isMemoryEffectFree(op) && !isa<memref::AllocOp>(op) && !fresh)
      return operand;
  }
  auto perm = AffineMap::getPermutationMap(transpose.getPermutation(), b.getContext());
  Value view = memref::TransposeOp::create(b, matmul->getLoc(), transpose.getInput(),
                                           AffineMapAttr::get(perm));
  transpose->erase();
  dead.append(deallocs.begin(), deallocs.end());
  dead.push_back(alloc); // once the product is gone
  return view;
}

struct MatmulToBlasPass : array::impl::MatmulToBlasBase<MatmulToBlasPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<linalg::LinalgOp> matmuls;
    module.walk([&](linalg::LinalgOp op) {
      if (!isa<linalg::BatchMatmulOp, linalg::MatmulOp>(op) || !op.hasPureBufferSemantics())
        return;
      if (auto mm = dyn_cast<linalg::MatmulOp>(*op); mm && mm.hasUserDefinedMaps())
        return;
      if (auto bm = dyn_cast<linalg::BatchMatmulOp>(*op); bm && bm.hasUserDefinedMaps())
        return;
      Type et = cast<MemRefType>(op->getOperand(2).getType()).getElementType();
      bool same = llvm::all_of(op->getOperandTypes(), [&](Type t) {
        auto m = dyn_cast<MemRefType>(t);
        return m && m.getElementType() == et && m.hasStaticShape();
      });
      if (same && (et.isF32() || et.isF64()))
        matmuls.push_back(op);
    });
    for (linalg::LinalgOp op : matmuls) {
      // C zero-filled just before: BLAS overwrites it instead (beta = 0), and the
      // fill goes.
      Value c = op->getOperand(2);
      auto fill = dyn_cast_or_null<linalg::FillOp>(op->getPrevNode());
      bool overwrite = fill && fill.hasPureBufferSemantics() &&
                       fill.getDpsInits()[0] == c &&
                       matchPattern(fill.getInputs()[0], m_AnyZeroFloat());
      OpBuilder b(op);
      Location loc = op.getLoc();
      auto cType = cast<MemRefType>(op->getOperand(2).getType());
      auto aType = cast<MemRefType>(op->getOperand(0).getType());
      int64_t r = cType.getRank();
      int64_t batch = r == 3 ? cType.getDimSize(0) : 1;
      SmallVector<Value> args;
      for (int64_t v : {batch, cType.getDimSize(r - 2), cType.getDimSize(r - 1),
                        aType.getDimSize(r - 1)})
        args.push_back(arith::ConstantIndexOp::create(b, loc, v));
      SmallVector<Operation *> dead;
      for (auto [i, operand] : llvm::enumerate(op->getOperands()))
        addressAndStrides(b, loc, i < 2 ? viewOfTransposed(b, operand, op, dead) : operand,
                          args);
      args.push_back(arith::ConstantIndexOp::create(b, loc, overwrite ? 0 : 1));
      func::CallOp::create(b, loc, gemmDecl(module, cType.getElementType()), args);
      op->erase();
      if (overwrite)
        fill->erase();
      for (Operation *d : dead)
        d->erase();
    }
  }
};
} // namespace
