//===- GPUBF16AsI16.cpp - mxc-gpu-bf16-as-i16 --------------------------------===//
//
// bfloat16 on GPUs without a bf16 type (SPIR-V's needs SPV_KHR_bfloat16; Metal
// before 3.1 has none): arithmetic was moved to f32 (arith-emulate-unsupported-
// floats) and the f32 <-> bf16 conversions into integer ops (arith-expand
// include-bf16), so what is left of bf16 is storage and moves. This pass makes
// that storage i16, module-wide so host functions, globals, kernels and their
// launches agree: every memref of bf16 becomes a memref of i16 (loads and stores
// bitcast), globals' initial values are bitcast, and the remaining scalar bf16
// values (constants, selects, bitcasts, loop-carried values) become i16. The
// bytes are unchanged, so the runtime never knows.
//
// It also rounds f32 to f16 in integer ops (round to nearest even, subnormals,
// overflow to inf, NaN kept): the H100's driver folded SPIR-V's f32 -> f16 -> f32
// conversion pair into nothing, so float16 results kept f32 precision.
//
//===----------------------------------------------------------------------===//
#include "lowering/Passes.h"

namespace mlir::array {
#define GEN_PASS_DEF_GPUBF16ASI16
#include "lowering/Passes.h.inc"
} // namespace mlir::array

using namespace mlir;

namespace {
/// f32 -> f16, round to nearest even, in integer ops (and one f32 add that
/// rounds subnormals: |x| + 0.5 puts the f16 subnormal units in the low bits).
void roundToF16(arith::TruncFOp op) {
  OpBuilder b(op);
  Location l = op.getLoc();
  Type i32 = b.getI32Type(), f32 = b.getF32Type();
  auto c = [&](int64_t v) -> Value {
    return arith::ConstantOp::create(b, l, b.getIntegerAttr(i32, v));
  };
  auto ge = [&](Value v, int64_t w) -> Value {
    return arith::CmpIOp::create(b, l, arith::CmpIPredicate::uge, v, c(w));
  };
  auto sel = [&](Value cond, Value v, Value w) -> Value {
    return arith::SelectOp::create(b, l, cond, v, w);
  };
  Value u = arith::BitcastOp::create(b, l, i32, op.getIn());
  Value sign = arith::AndIOp::create(b, l, arith::ShRUIOp::create(b, l, u, c(16)), c(0x8000));
  Value a = arith::AndIOp::create(b, l, u, c(0x7fffffff));
  // Normal: rebias the exponent, add half an f16 ulp less one plus the kept
  // bit's parity (ties to even), drop 13 bits.
  Value odd = arith::AndIOp::create(b, l, arith::ShRUIOp::create(b, l, a, c(13)), c(1));
  Value normal = arith::ShRUIOp::create(
      b, l,
      arith::AddIOp::create(b, l, arith::SubIOp::create(b, l, a, c(0x38000000)),
                            arith::AddIOp::create(b, l, c(0xfff), odd)),
      c(13));
  Value absX = arith::BitcastOp::create(b, l, f32, a);
  Value half = arith::ConstantOp::create(b, l, b.getFloatAttr(f32, 0.5));
  Value sub = arith::SubIOp::create(
      b, l, arith::BitcastOp::create(b, l, i32, arith::AddFOp::create(b, l, absX, half)),
      c(0x3f000000));
  Value h = sel(ge(a, 0x38800000), normal, sub);
  h = sel(ge(a, 0x477ff000), c(0x7c00), h);                                // to inf
  h = sel(ge(a, 0x7f800001), c(0x7e00), sel(ge(a, 0x7f800000), c(0x7c00), h)); // NaN, inf
  Value bits = arith::TruncIOp::create(b, l, b.getI16Type(), arith::OrIOp::create(b, l, h, sign));
  op.replaceAllUsesWith(arith::BitcastOp::create(b, l, op.getType(), bits).getResult());
  op.erase();
}

Type asI16(Type t) {
  auto i16 = IntegerType::get(t.getContext(), 16);
  if (t.isBF16())
    return i16;
  if (auto m = dyn_cast<MemRefType>(t); m && m.getElementType().isBF16())
    return MemRefType::get(m.getShape(), i16, m.getLayout(), m.getMemorySpace());
  if (auto v = dyn_cast<VectorType>(t); v && v.getElementType().isBF16())
    return v.clone(i16);
  return t;
}

struct GPUBF16AsI16Pass : array::impl::GPUBF16AsI16Base<GPUBF16AsI16Pass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    module.walk([&](arith::TruncFOp op) {
      if (op.getIn().getType().isF32() && op.getType().isF16())
        roundToF16(op);
    });
    // Globals: type and bytes.
    module.walk([&](memref::GlobalOp g) {
      Type t = asI16(g.getType());
      if (t == g.getType())
        return;
      g.setType(cast<MemRefType>(t));
      if (auto init = dyn_cast_or_null<DenseElementsAttr>(g.getInitialValueAttr()))
        g.setInitialValueAttr(init.bitcast(IntegerType::get(&getContext(), 16)));
    });
    // Function signatures (host functions and kernels).
    module.walk([&](FunctionOpInterface fn) {
      SmallVector<Type> ins, outs;
      for (Type t : fn.getArgumentTypes())
        ins.push_back(asI16(t));
      for (Type t : fn.getResultTypes())
        outs.push_back(asI16(t));
      fn.setType(FunctionType::get(&getContext(), ins, outs));
    });
    // Only moves may be left on bf16 values: anything else computes in i16.
    WalkResult r = module.walk([&](Operation *op) -> WalkResult {
      if (!isa<arith::ArithDialect, math::MathDialect>(op->getDialect()) ||
          isa<arith::BitcastOp, arith::SelectOp, arith::ConstantOp>(op))
        return WalkResult::advance();
      for (Type t : llvm::concat<const Type>(op->getOperandTypes(), op->getResultTypes()))
        if (getElementTypeOrSelf(t).isBF16())
          return op->emitOpError("bfloat16 arithmetic left for the GPU (run "
                                 "arith-emulate-unsupported-floats and arith-expand "
                                 "include-bf16 first)");
      return WalkResult::advance();
    });
    if (r.wasInterrupted())
      return signalPassFailure();
    // Constants: bitcast their attributes.
    module.walk([&](arith::ConstantOp c) {
      if (asI16(c.getType()) == c.getType())
        return;
      OpBuilder b(c);
      TypedAttr attr;
      if (auto f = dyn_cast<FloatAttr>(c.getValue()))
        attr = b.getIntegerAttr(b.getI16Type(), f.getValue().bitcastToAPInt());
      else if (auto d = dyn_cast<DenseElementsAttr>(c.getValue()))
        attr = cast<TypedAttr>(d.bitcast(b.getI16Type()));
      if (!attr)
        return;
      c.setValueAttr(attr);
      c.getResult().setType(attr.getType());
    });
    // Every other value and block argument.
    module.walk([&](Operation *op) {
      for (Region &region : op->getRegions())
        for (Block &block : region)
          for (BlockArgument a : block.getArguments())
            a.setType(asI16(a.getType()));
      for (Value v : op->getResults())
        v.setType(asI16(v.getType()));
    });
    // Bitcasts between i16 and bf16 are now identities.
    SmallVector<arith::BitcastOp> casts;
    module.walk([&](arith::BitcastOp c) {
      if (c.getIn().getType() == c.getType())
        casts.push_back(c);
    });
    for (arith::BitcastOp c : casts) {
      c.replaceAllUsesWith(c.getIn());
      c.erase();
    }
  }
};
} // namespace
