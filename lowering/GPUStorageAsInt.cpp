//===- GPUStorageAsInt.cpp - mxc-gpu-storage-as-int --------------------------===//
//
// Types the GPU cannot name, stored as integers of the same bytes.
//
// bfloat16 (SPIR-V's needs SPV_KHR_bfloat16; Metal before 3.1 has none):
// arithmetic was moved to f32 (arith-emulate-unsupported-floats) and the f32 <->
// bf16 conversions into integer ops (arith-expand include-bf16), so what is left
// of bf16 is storage and moves; it becomes i16.
//
// complex<f32> (neither SPIR-V nor MSL has a complex type): convert-complex-to-
// standard left only complex.create, complex.constant, complex.re and complex.im
// besides storage and moves; it becomes i64, the real part in the low word as in
// memory (NumPy's complex64 layout), and those four ops become shifts and bitcasts.
//
// Module-wide, so host functions, globals, kernels and their launches agree:
// memrefs, globals (their initial values bitcast), signatures and every value
// change type; the runtime never knows.
//
// It also rounds f32 to f16 in integer ops (round to nearest even, subnormals,
// overflow to inf, NaN kept): the H100's driver folded SPIR-V's f32 -> f16 -> f32
// conversion pair into nothing, so float16 results kept f32 precision.
//
//===----------------------------------------------------------------------===//
#include "lowering/Passes.h"

namespace mlir::array {
#define GEN_PASS_DEF_GPUSTORAGEASINT
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

/// The integer type that stores `t` (bf16 -> i16, complex<f32> -> i64), also as
/// the element of a memref or vector; other types are returned as they are.
Type asInt(Type t) {
  auto element = [](Type e) -> Type {
    if (e.isBF16())
      return IntegerType::get(e.getContext(), 16);
    if (auto c = dyn_cast<ComplexType>(e); c && c.getElementType().isF32())
      return IntegerType::get(e.getContext(), 64);
    return e;
  };
  if (auto m = dyn_cast<MemRefType>(t))
    return MemRefType::get(m.getShape(), element(m.getElementType()), m.getLayout(),
                           m.getMemorySpace());
  if (auto v = dyn_cast<VectorType>(t))
    return v.clone(element(v.getElementType()));
  return element(t);
}

bool isStoredAsInt(Type t) { return getElementTypeOrSelf(t) != getElementTypeOrSelf(asInt(t)); }

/// complex.re/im/create/constant on the i64 that now holds the complex value.
void lowerComplexParts(ModuleOp module) {
  SmallVector<Operation *> ops;
  module.walk([&](Operation *op) {
    if (isa<complex::ReOp, complex::ImOp, complex::CreateOp, complex::ConstantOp>(op))
      ops.push_back(op);
  });
  for (Operation *op : ops) {
    OpBuilder b(op);
    Location l = op->getLoc();
    Type i32 = b.getI32Type(), i64 = b.getI64Type(), f32 = b.getF32Type();
    Value thirtyTwo = arith::ConstantOp::create(b, l, b.getIntegerAttr(i64, 32));
    Value result;
    if (isa<complex::ReOp, complex::ImOp>(op)) {
      Value word = op->getOperand(0);
      if (isa<complex::ImOp>(op))
        word = arith::ShRUIOp::create(b, l, word, thirtyTwo);
      result = arith::BitcastOp::create(b, l, f32, arith::TruncIOp::create(b, l, i32, word));
    } else if (auto create = dyn_cast<complex::CreateOp>(op)) {
      auto word = [&](Value part) -> Value {
        return arith::ExtUIOp::create(b, l, i64, arith::BitcastOp::create(b, l, i32, part));
      };
      result = arith::OrIOp::create(
          b, l, word(create.getReal()),
          arith::ShLIOp::create(b, l, word(create.getImaginary()), thirtyTwo));
    } else {
      ArrayAttr parts = cast<complex::ConstantOp>(op).getValue();
      auto bits = [&](int i) {
        return cast<FloatAttr>(parts[i]).getValue().bitcastToAPInt().getZExtValue();
      };
      result = arith::ConstantOp::create(
          b, l, b.getIntegerAttr(i64, static_cast<int64_t>(bits(0) | bits(1) << 32)));
    }
    op->getResult(0).replaceAllUsesWith(result);
    op->erase();
  }
}

struct GPUStorageAsIntPass : array::impl::GPUStorageAsIntBase<GPUStorageAsIntPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    module.walk([&](arith::TruncFOp op) {
      if (op.getIn().getType().isF32() && op.getType().isF16())
        roundToF16(op);
    });
    // Only moves may be left on bf16 values (anything else computes in i16), and
    // only the parts' ops on complex ones.
    WalkResult r = module.walk([&](Operation *op) -> WalkResult {
      if (isa_and_nonnull<complex::ComplexDialect>(op->getDialect()) &&
          !isa<complex::ReOp, complex::ImOp, complex::CreateOp, complex::ConstantOp>(op))
        return op->emitOpError("complex arithmetic left for the GPU (run "
                               "convert-complex-to-standard first)");
      if (!isa<arith::ArithDialect, math::MathDialect>(op->getDialect()) ||
          isa<arith::BitcastOp, arith::SelectOp, arith::ConstantOp>(op))
        return WalkResult::advance();
      for (Type t : llvm::concat<const Type>(op->getOperandTypes(), op->getResultTypes()))
        if (isStoredAsInt(t))
          return op->emitOpError("bfloat16 or complex arithmetic left for the GPU (run "
                                 "arith-emulate-unsupported-floats, arith-expand "
                                 "include-bf16 and convert-complex-to-standard first)");
      return WalkResult::advance();
    });
    if (r.wasInterrupted())
      return signalPassFailure();
    // Globals: type and bytes.
    module.walk([&](memref::GlobalOp g) {
      auto t = cast<MemRefType>(asInt(g.getType()));
      if (t == g.getType())
        return;
      g.setType(t);
      if (auto init = dyn_cast_or_null<DenseElementsAttr>(g.getInitialValueAttr()))
        g.setInitialValueAttr(init.bitcast(t.getElementType()));
    });
    // Function signatures (host functions and kernels).
    module.walk([&](FunctionOpInterface fn) {
      SmallVector<Type> ins, outs;
      for (Type t : fn.getArgumentTypes())
        ins.push_back(asInt(t));
      for (Type t : fn.getResultTypes())
        outs.push_back(asInt(t));
      fn.setType(FunctionType::get(&getContext(), ins, outs));
    });
    // Constants: bitcast their attributes.
    module.walk([&](arith::ConstantOp c) {
      if (asInt(c.getType()) == c.getType())
        return;
      OpBuilder b(c);
      Type storage = getElementTypeOrSelf(asInt(c.getType()));
      TypedAttr attr;
      if (auto f = dyn_cast<FloatAttr>(c.getValue()))
        attr = b.getIntegerAttr(storage, f.getValue().bitcastToAPInt());
      else if (auto d = dyn_cast<DenseElementsAttr>(c.getValue()))
        attr = cast<TypedAttr>(d.bitcast(storage));
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
            a.setType(asInt(a.getType()));
      for (Value v : op->getResults())
        v.setType(asInt(v.getType()));
    });
    lowerComplexParts(module);
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
