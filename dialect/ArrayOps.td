//===- ArrayOps.td - the `array` dialect -------------------------*- tablegen -*-===//
//
// Shape-strict array ops on builtin ranked tensors. No implicit broadcasting or
// promotion: the Python frontend applies NumPy's and MLX's rules and emits explicit
// `broadcast_in_dim` / `convert`, so lowerings and derivative rules see exact types.
// Integer dtypes: signless iN is MLX's signed intN, uiN is uintN, i1 is bool.
//
//===----------------------------------------------------------------------===//
#ifndef ARRAY_OPS
#define ARRAY_OPS

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "dialect/ArrayInterfaces.td"

def Array_Dialect : Dialect {
  let name = "array";
  let cppNamespace = "::mlir::array";
  let summary = "MLX-style array operations on ranked tensors";
  let description = [{
    The ops of mxc's tracer. Values are builtin ranked tensors with MLX's dtypes.
    Ops are shape-strict; transforms (`vjp`, `jvp`, `vmap`) are ops naming a
    `func.func` that the `array-autodiff` and `array-vectorize` passes expand.
  }];
  let dependentDialects = ["::mlir::func::FuncDialect"];
  let hasConstantMaterializer = 1;
}

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

def Array_Bool : TypeAlias<I1, "bool">;
def Array_SInt : AnyTypeOf<[I8, I16, I32, I64]>;
def Array_UInt : AnyTypeOf<[UI8, UI16, UI32, UI64]>;
def Array_Int : AnyTypeOf<[I1, I8, I16, I32, I64, UI8, UI16, UI32, UI64]>;
def Array_Float : AnyTypeOf<[F16, BF16, F32, F64]>;
def Array_Element : AnyTypeOf<[I1, I8, I16, I32, I64, UI8, UI16, UI32, UI64,
                               F16, BF16, F32, F64, Complex<F32>]>;
def Array_Numeric : AnyTypeOf<[I8, I16, I32, I64, UI8, UI16, UI32, UI64,
                               F16, BF16, F32, F64, Complex<F32>]>;

def Array_Tensor : RankedTensorOf<[Array_Element]>;
def Array_NumericTensor : RankedTensorOf<[Array_Numeric]>;
def Array_FloatTensor : RankedTensorOf<[Array_Float]>;
def Array_InexactTensor : RankedTensorOf<[Array_Float, Complex<F32>]>;
def Array_ComplexTensor : RankedTensorOf<[Complex<F32>]>;
def Array_IntTensor : RankedTensorOf<[Array_Int]>;
def Array_BoolTensor : RankedTensorOf<[I1]>;
def Array_IndexScalar : 0DTensorOf<[Array_SInt, Array_UInt]>;
def Array_IndexTensor : RankedTensorOf<[Array_SInt, Array_UInt]>;
def Array_Key : 1DTensorOf<[UI32]>;

//===----------------------------------------------------------------------===//
// Base classes
//===----------------------------------------------------------------------===//

class Array_Op<string mnemonic, list<Trait> traits = []>
    : Op<Array_Dialect, mnemonic, traits>;

// An op whose rules the transform passes consult.
defvar Transformable = [
  DeclareOpInterfaceMethods<DifferentiableOpInterface, ["buildVJP", "buildJVP"]>,
  DeclareOpInterfaceMethods<BatchableOpInterface, ["buildBatched"]>];

class Array_UnaryOp<string mnemonic, Type type, string doc>
    : Array_Op<mnemonic, !listconcat([Pure, Elementwise, SameOperandsAndResultType,
                                      InferTypeOpInterface], Transformable)> {
  let summary = doc;
  let arguments = (ins type:$operand);
  let results = (outs type:$result);
  let assemblyFormat = "$operand attr-dict `:` type($result)";
}

class Array_PredicateOp<string mnemonic, Type type, string doc>
    : Array_Op<mnemonic, !listconcat([Pure, Elementwise,
        TypesMatchWith<"result is the i1 tensor of the operand's shape", "operand",
                       "result", "::mlir::array::getI1TensorLike($_self)">],
        Transformable)> {
  let summary = doc;
  let arguments = (ins type:$operand);
  let results = (outs Array_BoolTensor:$result);
  let assemblyFormat = "$operand attr-dict `:` type($operand)";
}

class Array_BinaryOp<string mnemonic, Type type, string doc>
    : Array_Op<mnemonic, !listconcat([Pure, Elementwise, SameOperandsAndResultType,
                                      InferTypeOpInterface], Transformable)> {
  let summary = doc;
  let arguments = (ins type:$lhs, type:$rhs);
  let results = (outs type:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($result)";
}

class Array_CompareOp<string mnemonic, string doc>
    : Array_Op<mnemonic, !listconcat([Pure, Elementwise, AllTypesMatch<["lhs", "rhs"]>,
        TypesMatchWith<"result is the i1 tensor of the operands' shape", "lhs",
                       "result", "::mlir::array::getI1TensorLike($_self)">],
        Transformable)> {
  let summary = doc;
  let arguments = (ins Array_Tensor:$lhs, Array_Tensor:$rhs);
  let results = (outs Array_BoolTensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs)";
}

//===----------------------------------------------------------------------===//
// Elementwise unary
//===----------------------------------------------------------------------===//

def Array_AbsOp : Array_UnaryOp<"abs", Array_NumericTensor, "absolute value">;
def Array_NegativeOp : Array_UnaryOp<"negative", Array_NumericTensor, "negation">;
def Array_SignOp : Array_UnaryOp<"sign", Array_NumericTensor, "sign (-1, 0, 1)">;
def Array_SquareOp : Array_UnaryOp<"square", Array_NumericTensor, "x * x">;
def Array_ExpOp : Array_UnaryOp<"exp", Array_InexactTensor, "exponential">;
def Array_Expm1Op : Array_UnaryOp<"expm1", Array_FloatTensor, "exp(x) - 1">;
def Array_LogOp : Array_UnaryOp<"log", Array_InexactTensor, "natural logarithm">;
def Array_Log1pOp : Array_UnaryOp<"log1p", Array_InexactTensor, "log(1 + x)">;
def Array_Log2Op : Array_UnaryOp<"log2", Array_InexactTensor, "base-2 logarithm">;
def Array_Log10Op : Array_UnaryOp<"log10", Array_InexactTensor, "base-10 logarithm">;
def Array_SinOp : Array_UnaryOp<"sin", Array_InexactTensor, "sine">;
def Array_CosOp : Array_UnaryOp<"cos", Array_InexactTensor, "cosine">;
def Array_TanOp : Array_UnaryOp<"tan", Array_InexactTensor, "tangent">;
def Array_ArcsinOp : Array_UnaryOp<"arcsin", Array_InexactTensor, "inverse sine">;
def Array_ArccosOp : Array_UnaryOp<"arccos", Array_InexactTensor, "inverse cosine">;
def Array_ArctanOp : Array_UnaryOp<"arctan", Array_InexactTensor, "inverse tangent">;
def Array_SinhOp : Array_UnaryOp<"sinh", Array_InexactTensor, "hyperbolic sine">;
def Array_CoshOp : Array_UnaryOp<"cosh", Array_InexactTensor, "hyperbolic cosine">;
def Array_TanhOp : Array_UnaryOp<"tanh", Array_InexactTensor, "hyperbolic tangent">;
def Array_ArcsinhOp : Array_UnaryOp<"arcsinh", Array_InexactTensor, "inverse hyperbolic sine">;
def Array_ArccoshOp : Array_UnaryOp<"arccosh", Array_InexactTensor, "inverse hyperbolic cosine">;
def Array_ArctanhOp : Array_UnaryOp<"arctanh", Array_InexactTensor, "inverse hyperbolic tangent">;
def Array_SqrtOp : Array_UnaryOp<"sqrt", Array_InexactTensor, "square root">;
def Array_RsqrtOp : Array_UnaryOp<"rsqrt", Array_InexactTensor, "1 / sqrt(x)">;
def Array_ReciprocalOp : Array_UnaryOp<"reciprocal", Array_InexactTensor, "1 / x">;
def Array_FloorOp : Array_UnaryOp<"floor", Array_FloatTensor, "round toward -inf">;
def Array_CeilOp : Array_UnaryOp<"ceil", Array_FloatTensor, "round toward +inf">;
def Array_RoundOp : Array_UnaryOp<"round", Array_InexactTensor, "round half to even">;
def Array_ErfOp : Array_UnaryOp<"erf", Array_FloatTensor, "error function">;
def Array_ConjugateOp : Array_UnaryOp<"conjugate", Array_ComplexTensor, "complex conjugate">;
def Array_ErfinvOp : Array_UnaryOp<"erfinv", Array_FloatTensor, "inverse error function">;
def Array_SigmoidOp : Array_UnaryOp<"sigmoid", Array_FloatTensor, "1 / (1 + exp(-x))">;
def Array_LogicalNotOp : Array_UnaryOp<"logical_not", Array_BoolTensor, "boolean not">;
def Array_BitwiseInvertOp : Array_UnaryOp<"bitwise_invert", Array_IntTensor, "bitwise not">;
def Array_IsnanOp : Array_PredicateOp<"isnan", Array_Tensor, "x is NaN">;
def Array_IsinfOp : Array_PredicateOp<"isinf", Array_Tensor, "x is +inf or -inf">;

//===----------------------------------------------------------------------===//
// Elementwise binary
//===----------------------------------------------------------------------===//

def Array_AddOp : Array_BinaryOp<"add", Array_Tensor, "addition"> { let hasFolder = 1; }
def Array_SubtractOp : Array_BinaryOp<"subtract", Array_NumericTensor, "subtraction">;
def Array_MultiplyOp : Array_BinaryOp<"multiply", Array_Tensor, "multiplication"> { let hasFolder = 1; }
def Array_DivideOp : Array_BinaryOp<"divide", Array_NumericTensor,
    "division (integer operands divide toward zero)">;
def Array_FloorDivideOp : Array_BinaryOp<"floor_divide", Array_NumericTensor,
    "division rounding toward -inf">;
def Array_RemainderOp : Array_BinaryOp<"remainder", Array_NumericTensor,
    "remainder with the sign of the divisor (NumPy's mod)">;
def Array_PowerOp : Array_BinaryOp<"power", Array_NumericTensor, "lhs ** rhs">;
def Array_MaximumOp : Array_BinaryOp<"maximum", Array_Tensor, "elementwise max (NaN propagates)">;
def Array_MinimumOp : Array_BinaryOp<"minimum", Array_Tensor, "elementwise min (NaN propagates)">;
def Array_Arctan2Op : Array_BinaryOp<"arctan2", Array_FloatTensor, "atan2(lhs, rhs)">;
def Array_LogaddexpOp : Array_BinaryOp<"logaddexp", Array_FloatTensor, "log(exp(lhs) + exp(rhs))">;
def Array_LogicalAndOp : Array_BinaryOp<"logical_and", Array_BoolTensor, "boolean and">;
def Array_LogicalOrOp : Array_BinaryOp<"logical_or", Array_BoolTensor, "boolean or">;
def Array_BitwiseAndOp : Array_BinaryOp<"bitwise_and", Array_IntTensor, "bitwise and">;
def Array_BitwiseOrOp : Array_BinaryOp<"bitwise_or", Array_IntTensor, "bitwise or">;
def Array_BitwiseXorOp : Array_BinaryOp<"bitwise_xor", Array_IntTensor, "bitwise xor">;
def Array_LeftShiftOp : Array_BinaryOp<"left_shift", Array_IntTensor,
    "shift left (shifts of the bit width or more give 0)">;
def Array_RightShiftOp : Array_BinaryOp<"right_shift", Array_IntTensor,
    "shift right, arithmetic for signed types">;

def Array_EqualOp : Array_CompareOp<"equal", "lhs == rhs">;
def Array_NotEqualOp : Array_CompareOp<"not_equal", "lhs != rhs">;
def Array_LessOp : Array_CompareOp<"less", "lhs < rhs">;
def Array_LessEqualOp : Array_CompareOp<"less_equal", "lhs <= rhs">;
def Array_GreaterOp : Array_CompareOp<"greater", "lhs > rhs">;
def Array_GreaterEqualOp : Array_CompareOp<"greater_equal", "lhs >= rhs">;

//===----------------------------------------------------------------------===//
// Selection, conversion, constants
//===----------------------------------------------------------------------===//

def Array_SelectOp : Array_Op<"select", !listconcat([Pure, Elementwise,
    AllTypesMatch<["on_true", "on_false", "result"]>,
    TypesMatchWith<"condition is the i1 tensor of the values' shape", "on_true",
                   "condition", "::mlir::array::getI1TensorLike($_self)">],
    Transformable)> {
  let summary = "pick on_true where condition holds, else on_false (MLX's where)";
  let arguments = (ins Array_BoolTensor:$condition, Array_Tensor:$on_true,
                       Array_Tensor:$on_false);
  let results = (outs Array_Tensor:$result);
  let assemblyFormat = "$condition `,` $on_true `,` $on_false attr-dict `:` type($on_true)";
}

def Array_ImagOp : Array_Op<"imag", !listconcat([Pure, Elementwise,
    AllShapesMatch<["operand", "result"]>], Transformable)> {
  let summary = "the imaginary part of a complex64 tensor (float32)";
  let arguments = (ins Array_ComplexTensor:$operand);
  let results = (outs RankedTensorOf<[F32]>:$result);
  let assemblyFormat = "$operand attr-dict `:` type($operand) `->` type($result)";
}

def Array_ConvertOp : Array_Op<"convert", !listconcat([Pure, Elementwise], Transformable)> {
  let summary = "change the dtype (astype): floats truncate toward zero into ints, "
                "anything nonzero is true, complex numbers keep their real part";
  let arguments = (ins Array_Tensor:$operand);
  let results = (outs Array_Tensor:$result);
  let assemblyFormat = "$operand attr-dict `:` type($operand) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Array_BitcastOp : Array_Op<"bitcast", !listconcat([Pure, Elementwise], Transformable)> {
  let summary = "reinterpret the bits of each element as another dtype of the same width";
  let arguments = (ins Array_Tensor:$operand);
  let results = (outs Array_Tensor:$result);
  let assemblyFormat = "$operand attr-dict `:` type($operand) `->` type($result)";
  let hasVerifier = 1;
}

def Array_StopGradientOp : Array_UnaryOp<"stop_gradient", Array_Tensor,
    "identity whose derivative is zero">;

def Array_ConstantOp : Array_Op<"constant", !listconcat([Pure, ConstantLike,
    DeclareOpInterfaceMethods<InferTypeOpInterface>], Transformable)> {
  let summary = "a constant array";
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Array_Tensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

def Array_IotaOp : Array_Op<"iota", !listconcat([Pure], Transformable)> {
  let summary = "0, 1, 2, ... along `dimension`, repeated over the other dimensions";
  let arguments = (ins I64Attr:$dimension);
  let results = (outs Array_NumericTensor:$result);
  let assemblyFormat = "`dim` `=` $dimension attr-dict `:` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Shape
//===----------------------------------------------------------------------===//

def Array_BroadcastInDimOp : Array_Op<"broadcast_in_dim", !listconcat([Pure], Transformable)> {
  let summary = "broadcast: operand dim i becomes result dim broadcast_dimensions[i]";
  let description = [{
    Each operand dimension maps to a result dimension in increasing order; an operand
    dimension of size 1 may stretch to any size, others must match exactly.
  }];
  let arguments = (ins Array_Tensor:$operand, DenseI64ArrayAttr:$broadcast_dimensions);
  let results = (outs Array_Tensor:$result);
  let assemblyFormat = [{
    $operand `,` `dims` `=` $broadcast_dimensions attr-dict `:` type($operand) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Array_ReshapeOp : Array_Op<"reshape", !listconcat([Pure], Transformable)> {
  let summary = "same elements in row-major order, new shape";
  let arguments = (ins Array_Tensor:$operand);
  let results = (outs Array_Tensor:$result);
  let assemblyFormat = "$operand attr-dict `:` type($operand) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Array_TransposeOp : Array_Op<"transpose", !listconcat([Pure,
    DeclareOpInterfaceMethods<InferTypeOpInterface>], Transformable)> {
  let summary = "result dim i is operand dim permutation[i]";
  let arguments = (ins Array_Tensor:$operand, DenseI64ArrayAttr:$permutation);
  let results = (outs Array_Tensor:$result);
  let assemblyFormat = "$operand `,` `perm` `=` $permutation attr-dict `:` type($operand)";
}

def Array_SliceOp : Array_Op<"slice", !listconcat([Pure,
    DeclareOpInterfaceMethods<InferTypeOpInterface>], Transformable)> {
  let summary = "static strided slice: element i of dim d is start[d] + i * strides[d]";
  let description = [{
    `sizes` gives the number of elements taken per dimension; strides may be negative
    (NumPy's `a[::-1]`). Every index touched must lie inside the operand.
  }];
  let arguments = (ins Array_Tensor:$operand, DenseI64ArrayAttr:$start_indices,
                       DenseI64ArrayAttr:$sizes, DenseI64ArrayAttr:$strides);
  let results = (outs Array_Tensor:$result);
  let assemblyFormat = [{
    $operand `[` $start_indices `]` `sizes` `=` $sizes `strides` `=` $strides attr-dict
    `:` type($operand)
  }];
}

def Array_DynamicSliceOp : Array_Op<"dynamic_slice", !listconcat([Pure,
    DeclareOpInterfaceMethods<InferTypeOpInterface>], Transformable)> {
  let summary = "slice of static sizes at run-time offsets (clamped into range)";
  let description = [{
    One 0-d integer offset per dimension. Offsets are clamped to
    `[0, dim - size]` so that no run-time value can read out of bounds.
  }];
  let arguments = (ins Array_Tensor:$operand, Variadic<Array_IndexScalar>:$start_indices,
                       DenseI64ArrayAttr:$slice_sizes);
  let results = (outs Array_Tensor:$result);
  let assemblyFormat = [{
    $operand `[` $start_indices `]` `sizes` `=` $slice_sizes attr-dict `:` type($operand)
    (`,` type($start_indices)^)?
  }];
}

def Array_DynamicUpdateSliceOp : Array_Op<"dynamic_update_slice", !listconcat([Pure,
    AllTypesMatch<["operand", "result"]>], Transformable)> {
  let summary = "write `update` into `operand` at run-time offsets (clamped into range)";
  let arguments = (ins Array_Tensor:$operand, Array_Tensor:$update,
                       Variadic<Array_IndexScalar>:$start_indices);
  let results = (outs Array_Tensor:$result);
  let assemblyFormat = [{
    $operand `[` $start_indices `]` `,` $update attr-dict `:` type($operand) `,`
    type($update) (`,` type($start_indices)^)?
  }];
  let hasVerifier = 1;
}

def Array_ConcatenateOp : Array_Op<"concatenate", !listconcat([Pure,
    DeclareOpInterfaceMethods<InferTypeOpInterface>], Transformable)> {
  let summary = "join operands along `dimension`";
  let arguments = (ins Variadic<Array_Tensor>:$inputs, I64Attr:$dimension);
  let results = (outs Array_Tensor:$result);
  let assemblyFormat = "$inputs `dim` `=` $dimension attr-dict `:` type($inputs)";
}

def Array_PadOp : Array_Op<"pad", !listconcat([Pure,
    DeclareOpInterfaceMethods<InferTypeOpInterface>], Transformable)> {
  let summary = "pad each dimension with `low`/`high` copies of a 0-d value";
  let arguments = (ins Array_Tensor:$operand, Array_Tensor:$padding_value,
                       DenseI64ArrayAttr:$low, DenseI64ArrayAttr:$high);
  let results = (outs Array_Tensor:$result);
  let assemblyFormat = [{
    $operand `,` $padding_value `low` `=` $low `high` `=` $high attr-dict `:` type($operand) `,` type($padding_value)
  }];
}

//===----------------------------------------------------------------------===//
// Indexing
//===----------------------------------------------------------------------===//

def Array_GatherOp : Array_Op<"gather", !listconcat([Pure,
    DeclareOpInterfaceMethods<InferTypeOpInterface>], Transformable)> {
  let summary = "MLX's gather: windows of `slice_sizes` at index tuples";
  let description = [{
    `indices` are integer tensors of one common shape I, one per entry of `axes`.
    The result has shape I ++ slice_sizes: for each position p of I, the window of
    `operand` that starts at indices[k][p] on axis axes[k] (0 on other axes).
    Negative indices count from the end; indices are then clamped into range, so
    out-of-range run-time values read the nearest valid element, never out of
    bounds.
  }];
  let arguments = (ins Array_Tensor:$operand, Variadic<Array_IndexTensor>:$indices,
                       DenseI64ArrayAttr:$axes, DenseI64ArrayAttr:$slice_sizes);
  let results = (outs Array_Tensor:$result);
  let assemblyFormat = [{
    $operand `[` $indices `]` `axes` `=` $axes `sizes` `=` $slice_sizes attr-dict
    `:` type($operand) (`,` type($indices)^)?
  }];
}

class Array_ScatterOp<string mnemonic, string doc>
    : Array_Op<mnemonic, !listconcat([Pure, AllTypesMatch<["operand", "result"]>],
                                     Transformable)> {
  let summary = doc;
  let description = [{
    The inverse of `gather`: `updates` has shape I ++ window (window rank equal to
    the operand's); each window is combined into `operand` at the index tuple.
    Repeated indices apply in order. Index handling matches `gather`.
  }];
  let arguments = (ins Array_Tensor:$operand, Variadic<Array_IndexTensor>:$indices,
                       Array_Tensor:$updates, DenseI64ArrayAttr:$axes);
  let results = (outs Array_Tensor:$result);
  let assemblyFormat = [{
    $operand `[` $indices `]` `,` $updates `axes` `=` $axes attr-dict
    `:` type($operand) `,` type($updates) (`,` type($indices)^)?
  }];
  let hasVerifier = 1;
}

def Array_ScatterOp : Array_ScatterOp<"scatter", "write windows (last write wins)">;
def Array_ScatterAddOp : Array_ScatterOp<"scatter_add", "accumulate windows by +">;
def Array_ScatterMultiplyOp : Array_ScatterOp<"scatter_multiply", "accumulate windows by *">;
def Array_ScatterMaxOp : Array_ScatterOp<"scatter_max", "accumulate windows by max">;
def Array_ScatterMinOp : Array_ScatterOp<"scatter_min", "accumulate windows by min">;

//===----------------------------------------------------------------------===//
// Reductions, scans, sorting
//===----------------------------------------------------------------------===//

class Array_ReduceOp<string mnemonic, Type type, string doc>
    : Array_Op<mnemonic, !listconcat([Pure,
        DeclareOpInterfaceMethods<InferTypeOpInterface>], Transformable)> {
  let summary = doc;
  let description = [{ Reduces over `axes` (distinct, in range); they are removed. }];
  let arguments = (ins type:$operand, DenseI64ArrayAttr:$axes);
  let results = (outs type:$result);
  let assemblyFormat = "$operand `axes` `=` $axes attr-dict `:` type($operand)";
}

def Array_SumOp : Array_ReduceOp<"sum", Array_NumericTensor, "sum over axes">;
def Array_ProdOp : Array_ReduceOp<"prod", Array_NumericTensor, "product over axes">;
def Array_MaxOp : Array_ReduceOp<"max", Array_Tensor, "maximum over axes (NaN propagates)">;
def Array_MinOp : Array_ReduceOp<"min", Array_Tensor, "minimum over axes (NaN propagates)">;
def Array_AllOp : Array_ReduceOp<"all", Array_BoolTensor, "logical and over axes">;
def Array_AnyOp : Array_ReduceOp<"any", Array_BoolTensor, "logical or over axes">;

class Array_ArgReduceOp<string mnemonic, string doc>
    : Array_Op<mnemonic, !listconcat([Pure,
        DeclareOpInterfaceMethods<InferTypeOpInterface>], Transformable)> {
  let summary = doc;
  let description = [{ Index (uint32) along `axis`, which is removed; first on ties. }];
  let arguments = (ins Array_Tensor:$operand, I64Attr:$axis);
  let results = (outs RankedTensorOf<[UI32]>:$result);
  let assemblyFormat = "$operand `axis` `=` $axis attr-dict `:` type($operand)";
}

def Array_ArgmaxOp : Array_ArgReduceOp<"argmax", "index of the maximum">;
def Array_ArgminOp : Array_ArgReduceOp<"argmin", "index of the minimum">;

class Array_ScanOp<string mnemonic, string doc>
    : Array_Op<mnemonic, !listconcat([Pure, SameOperandsAndResultType,
                                      InferTypeOpInterface], Transformable)> {
  let summary = doc;
  let description = [{
    Running combination along `axis`; `reverse` scans from the end, and
    `inclusive = false` shifts by one (the first element is the identity).
  }];
  let arguments = (ins Array_Tensor:$operand, I64Attr:$axis,
                       DefaultValuedAttr<BoolAttr, "false">:$reverse,
                       DefaultValuedAttr<BoolAttr, "true">:$inclusive);
  let results = (outs Array_Tensor:$result);
  let assemblyFormat = "$operand `axis` `=` $axis attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def Array_CumsumOp : Array_ScanOp<"cumsum", "cumulative sum">;
def Array_CumprodOp : Array_ScanOp<"cumprod", "cumulative product">;
def Array_CummaxOp : Array_ScanOp<"cummax", "cumulative maximum">;
def Array_CumminOp : Array_ScanOp<"cummin", "cumulative minimum">;

def Array_SortOp : Array_Op<"sort", !listconcat([Pure, SameOperandsAndResultType,
                                                 InferTypeOpInterface], Transformable)> {
  let summary = "stable ascending sort along `axis` (NaN last)";
  let arguments = (ins Array_Tensor:$operand, I64Attr:$axis);
  let results = (outs Array_Tensor:$result);
  let assemblyFormat = "$operand `axis` `=` $axis attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def Array_ArgsortOp : Array_Op<"argsort", !listconcat([Pure,
    TypesMatchWith<"result is the ui32 tensor of the operand's shape", "operand",
                   "result", "::mlir::array::getUI32TensorLike($_self)">], Transformable)> {
  let summary = "indices (uint32) that sort along `axis` (stable, NaN last)";
  let arguments = (ins Array_Tensor:$operand, I64Attr:$axis);
  let results = (outs RankedTensorOf<[UI32]>:$result);
  let assemblyFormat = "$operand `axis` `=` $axis attr-dict `:` type($operand)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Linear algebra, random numbers
//===----------------------------------------------------------------------===//

def Array_MatmulOp : Array_Op<"matmul", !listconcat([Pure,
    DeclareOpInterfaceMethods<InferTypeOpInterface>], Transformable)> {
  let summary = "batched matrix product: [..., M, K] x [..., K, N] -> [..., M, N]";
  let description = [{ Both operands have equal rank >= 2 and identical batch dims. }];
  let arguments = (ins Array_NumericTensor:$lhs, Array_NumericTensor:$rhs);
  let results = (outs Array_NumericTensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)";
}

def Array_RandomBitsOp : Array_Op<"random_bits", !listconcat([Pure], Transformable)> {
  let summary = "counter-based random uint32 bits (threefry-2x32, 20 rounds)";
  let description = [{
    With N result elements (row-major) and H = ceil(N / 2), element i < H is word 0
    of threefry2x32(key, (i, c(i + H))) and element i >= H is word 1 of
    threefry2x32(key, (i - H, c(i))), where c(k) = k < N ? k : 0 (as MLX): a pure
    function of the key and the shape, the same on every backend.
  }];
  let arguments = (ins Array_Key:$key);
  let results = (outs RankedTensorOf<[UI32]>:$result);
  let assemblyFormat = "$key attr-dict `:` type($key) `->` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Function transforms
//===----------------------------------------------------------------------===//

def Array_VjpOp : Array_Op<"vjp", [AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "results of @callee, then the cotangents of the `wrt` arguments";
  let description = [{
    Calls `@callee(primals)` and pulls `cotangents` (one per result of the callee)
    back to the arguments listed in `wrt`. Expanded by `array-autodiff`.
  }];
  let arguments = (ins FlatSymbolRefAttr:$callee, Variadic<Array_Tensor>:$primals,
                       Variadic<Array_Tensor>:$cotangents, DenseI64ArrayAttr:$wrt);
  let results = (outs Variadic<Array_Tensor>:$results);
  let assemblyFormat = [{
    $callee `(` $primals `)` `cotangents` `(` $cotangents `)` `wrt` `=` $wrt attr-dict
    `:` functional-type(operands, results)
  }];
}

def Array_JvpOp : Array_Op<"jvp", [AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "results of @callee, then their tangents";
  let description = [{
    Calls `@callee(primals)` and pushes `tangents` (one per argument) forward to one
    tangent per result. Expanded by `array-autodiff`.
  }];
  let arguments = (ins FlatSymbolRefAttr:$callee, Variadic<Array_Tensor>:$primals,
                       Variadic<Array_Tensor>:$tangents);
  let results = (outs Variadic<Array_Tensor>:$results);
  let assemblyFormat = [{
    $callee `(` $primals `)` `tangents` `(` $tangents `)` attr-dict
    `:` functional-type(operands, results)
  }];
}

def Array_VmapOp : Array_Op<"vmap", [DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "@callee mapped over a batch axis of its arguments";
  let description = [{
    `in_axes[i]` is the batch axis of argument i, or -1 when the argument is shared
    by every batch element; `out_axes[j]` is where result j puts the batch axis.
    Axes are non-negative (the frontend normalizes MLX's negative axes). Expanded
    by `array-vectorize`.
  }];
  let arguments = (ins FlatSymbolRefAttr:$callee, Variadic<Array_Tensor>:$inputs,
                       DenseI64ArrayAttr:$in_axes, DenseI64ArrayAttr:$out_axes);
  let results = (outs Variadic<Array_Tensor>:$results);
  let assemblyFormat = [{
    $callee `(` $inputs `)` `in_axes` `=` $in_axes `out_axes` `=` $out_axes attr-dict
    `:` functional-type(operands, results)
  }];
}

#endif // ARRAY_OPS
