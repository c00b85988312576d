//===- VectorLibm.cpp - mxc-vector-libm --------------------------------------===//
//
// LLVM vectorizes loops but not the libm calls inside them: `llvm.exp.f32` in a
// loop becomes `llvm.exp.v8f32`, which codegen splits back into eight `expf`
// calls. This pass, run on the LLVM dialect, turns each f32/f64 math intrinsic
// or libm call that glibc's vector math library (libmvec) has into a call of
// `mxc_vm_<libm name>`, declared as pure and carrying the VFABI mapping
// ("vector-function-abi-variant") to libmvec's AVX2 variant (`_ZGVdN8v_expf`,
// `_ZGVdN4v_exp`, ...). The loop vectorizer then calls the vector function; the
// scalar remainder calls `mxc_vm_expf`, which the runtime binds to libm's `expf`.
// The private name keeps LLVM from recognizing the call as libm's and turning it
// back into an intrinsic. The vector declarations are kept alive through
// `llvm.compiler.used` until the vectorizer has run.
//
//===----------------------------------------------------------------------===//
#include "lowering/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/TargetParser/Host.h"

namespace mlir::array {
#define GEN_PASS_DEF_VECTORLIBM
#include "lowering/Passes.h.inc"
} // namespace mlir::array

using namespace mlir;

namespace {
/// The libm base name (double precision) of a math intrinsic libmvec has.
StringRef intrinsicName(Operation *op) {
  return llvm::TypeSwitch<Operation *, StringRef>(op)
      .Case<LLVM::ExpOp>([](auto) { return "exp"; })
      .Case<LLVM::Exp2Op>([](auto) { return "exp2"; })
      .Case<LLVM::Exp10Op>([](auto) { return "exp10"; })
      .Case<LLVM::LogOp>([](auto) { return "log"; })
      .Case<LLVM::Log2Op>([](auto) { return "log2"; })
      .Case<LLVM::Log10Op>([](auto) { return "log10"; })
      .Case<LLVM::SinOp>([](auto) { return "sin"; })
      .Case<LLVM::CosOp>([](auto) { return "cos"; })
      .Case<LLVM::TanOp>([](auto) { return "tan"; })
      .Case<LLVM::ASinOp>([](auto) { return "asin"; })
      .Case<LLVM::ACosOp>([](auto) { return "acos"; })
      .Case<LLVM::ATanOp>([](auto) { return "atan"; })
      .Case<LLVM::SinhOp>([](auto) { return "sinh"; })
      .Case<LLVM::CoshOp>([](auto) { return "cosh"; })
      .Case<LLVM::TanhOp>([](auto) { return "tanh"; })
      .Case<LLVM::PowOp>([](auto) { return "pow"; })
      .Case<LLVM::ATan2Op>([](auto) { return "atan2"; })
      .Default([](Operation *) { return StringRef(); });
}

/// libm functions that convert-math-to-libm calls and libmvec also has.
const llvm::StringSet<> kLibmCalls = {"erf",  "erfc",  "cbrt",  "expm1", "log1p",
                                      "asinh", "acosh", "atanh", "hypot"};

bool hostHasAvx2() {
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  return features.lookup("avx2") && features.lookup("fma");
}

struct VectorLibmPass : array::impl::VectorLibmBase<VectorLibmPass> {
  using VectorLibmBase::VectorLibmBase;

  void runOnOperation() override {
    if (target == "auto" ? !hostHasAvx2() : target == "none")
      return;
    if (target != "auto" && target != "avx2") {
      getOperation().emitError("mxc-vector-libm: unknown target '")
          << target << "' (expected auto, avx2 or none)";
      return signalPassFailure();
    }
    ModuleOp module = getOperation();
    MLIRContext *ctx = module.getContext();
    SmallVector<std::pair<Operation *, std::string>> work;
    module.walk([&](Operation *op) {
      if (op->getNumResults() != 1)
        return;
      Type t = op->getResult(0).getType();
      if (!t.isF32() && !t.isF64())
        return;
      StringRef base = intrinsicName(op);
      if (auto call = dyn_cast<LLVM::CallOp>(op)) {
        std::optional<StringRef> callee = call.getCallee();
        if (!callee)
          return;
        StringRef name = *callee;
        if (t.isF32() && name.ends_with("f"))
          name = name.drop_back();
        if (kLibmCalls.contains(name) &&
            *callee == (t.isF32() ? (name + "f").str() : name.str()))
          base = name;
      }
      if (!base.empty())
        work.push_back({op, (base + (t.isF32() ? "f" : "")).str()});
    });
    if (work.empty())
      return;

    OpBuilder top = OpBuilder::atBlockEnd(module.getBody());
    llvm::StringMap<LLVM::LLVMFuncOp> scalars;
    SmallVector<Attribute> keep;
    auto declare = [&](const std::string &libm, Type t, unsigned arity) {
      auto it = scalars.find(libm);
      if (it != scalars.end())
        return it->second;
      bool f32 = t.isF32();
      unsigned lanes = f32 ? 8 : 4;
      std::string params(arity, 'v');
      std::string vector =
          "_ZGVdN" + std::to_string(lanes) + params + "_" + libm;
      std::string scalar = "mxc_vm_" + libm;
      Location loc = module.getLoc();
      SmallVector<Type> args(arity, t);
      auto fn = LLVM::LLVMFuncOp::create(top, loc, scalar,
                                         LLVM::LLVMFunctionType::get(t, args));
      using MR = LLVM::ModRefInfo;
      fn.setMemoryEffectsAttr(LLVM::MemoryEffectsAttr::get(
          ctx, {MR::NoModRef, MR::NoModRef, MR::NoModRef, MR::NoModRef, MR::NoModRef,
                MR::NoModRef}));
      fn.setNoUnwind(true);
      fn.setWillReturn(true);
      std::string mapping = "_ZGV_LLVM_N" + std::to_string(lanes) + params + "_" + scalar +
                            "(" + vector + ")";
      fn.setPassthroughAttr(top.getArrayAttr({top.getArrayAttr(
          {top.getStringAttr("vector-function-abi-variant"), top.getStringAttr(mapping)})}));
      auto vt = VectorType::get({lanes}, t);
      SmallVector<Type> vargs(arity, vt);
      LLVM::LLVMFuncOp::create(top, loc, vector, LLVM::LLVMFunctionType::get(vt, vargs));
      keep.push_back(FlatSymbolRefAttr::get(ctx, vector));
      return scalars[libm] = fn;
    };
    for (auto &[op, libm] : work) {
      Type t = op->getResult(0).getType();
      LLVM::LLVMFuncOp fn = declare(libm, t, op->getNumOperands());
      OpBuilder b(op);
      auto call = LLVM::CallOp::create(b, op->getLoc(), fn, op->getOperands());
      op->getResult(0).replaceAllUsesWith(call.getResult());
      op->erase();
    }

    // @llvm.compiler.used = appending global [N x ptr] [...], section "llvm.metadata"
    Location loc = module.getLoc();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    auto arrayType = LLVM::LLVMArrayType::get(ptr, keep.size());
    auto global = LLVM::GlobalOp::create(top, loc, arrayType, /*isConstant=*/false,
                                         LLVM::Linkage::Appending, "llvm.compiler.used",
                                         Attribute());
    global.setSectionAttr(top.getStringAttr("llvm.metadata"));
    Block *init = top.createBlock(&global.getInitializerRegion());
    OpBuilder ib = OpBuilder::atBlockEnd(init);
    Value array = LLVM::UndefOp::create(ib, loc, arrayType);
    for (auto [i, sym] : llvm::enumerate(keep)) {
      Value address = LLVM::AddressOfOp::create(
          ib, loc, ptr, cast<FlatSymbolRefAttr>(sym).getValue());
      array = LLVM::InsertValueOp::create(ib, loc, array, address, ArrayRef<int64_t>{(int64_t)i});
    }
    LLVM::ReturnOp::create(ib, loc, array);
  }
};
} // namespace
