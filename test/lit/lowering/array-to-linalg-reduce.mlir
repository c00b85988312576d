// RUN: mxc-opt %s --convert-array-to-linalg | FileCheck %s
// RUN: mxc-opt %s --convert-array-to-linalg | FileCheck %s --check-prefix=NOARRAY
// Reductions (linalg.reduce from a filled identity; float combiners may
// reassociate, so LLVM vectorizes them), arg-reductions (a generic
// with a reduction iterator), scans (scf.for over slabs) and sorting (a bitonic
// network in scf.for loops).

// NOARRAY-NOT: array.

// The maps of argmax (printed first): identity in, the kept dimension out.
// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>

// CHECK-LABEL: func.func @sum(%arg0: tensor<2x3x4xf32>) -> tensor<3xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %[[F:.*]] = linalg.fill ins(%[[Z]] : f32) outs(%[[E]] : tensor<3xf32>) -> tensor<3xf32>
// CHECK-NEXT: %[[R:.*]] = linalg.reduce { arith.addf {fastmath = #arith.fastmath<reassoc>} } ins(%arg0 : tensor<2x3x4xf32>) outs(%[[F]] : tensor<3xf32>) dimensions = [0, 2]
// CHECK-NEXT: return %[[R]]
func.func @sum(%a: tensor<2x3x4xf32>) -> tensor<3xf32> {
  %0 = array.sum %a axes = [2, 0] : tensor<2x3x4xf32>
  return %0 : tensor<3xf32>
}

// CHECK-LABEL: func.func @sum_i32(%arg0: tensor<2x3xi32>) -> tensor<3xi32>
// CHECK: %[[Z:.*]] = arith.constant 0 : i32
// CHECK: linalg.reduce { arith.addi {{.*}}} ins(%arg0 : tensor<2x3xi32>) outs(%{{.*}} : tensor<3xi32>) dimensions = [0]
func.func @sum_i32(%a: tensor<2x3xi32>) -> tensor<3xi32> {
  %0 = array.sum %a axes = [0] : tensor<2x3xi32>
  return %0 : tensor<3xi32>
}

// CHECK-LABEL: func.func @prod(%arg0: tensor<2x3xf64>) -> tensor<f64>
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT: %[[F:.*]] = linalg.fill ins(%[[ONE]] : f64)
// CHECK-NEXT: linalg.reduce { arith.mulf {fastmath = #arith.fastmath<reassoc>} } ins(%arg0 : tensor<2x3xf64>) outs(%[[F]] : tensor<f64>) dimensions = [0, 1]
func.func @prod(%a: tensor<2x3xf64>) -> tensor<f64> {
  %0 = array.prod %a axes = [0, 1] : tensor<2x3xf64>
  return %0 : tensor<f64>
}

// max starts from -inf, min from +inf; NaN propagates (maximumf/minimumf).
// Float max/min along the contiguous axis, when its length is a multiple of 8:
// first over [rows, n/8, 8] into 8 lanes (the inner loop is elementwise, so it
// vectorizes), then over the lanes.
// CHECK-LABEL: func.func @max_rows(%arg0: tensor<4x32xf32>) -> tensor<4xf32>
// CHECK: tensor.expand_shape %{{.*}} output_shape [4, 4, 8] : tensor<128xf32> into tensor<4x4x8xf32>
// CHECK: %[[P:.*]] = linalg.reduce { arith.maximumf {{.*}} } ins(%{{.*}} : tensor<4x4x8xf32>) outs(%{{.*}} : tensor<4x8xf32>) dimensions = [1]
// CHECK: linalg.reduce { arith.maximumf {{.*}} } ins(%[[P]] : tensor<4x8xf32>) outs(%{{.*}} : tensor<4xf32>) dimensions = [1]
func.func @max_rows(%a: tensor<4x32xf32>) -> tensor<4xf32> {
  %0 = array.max %a axes = [1] : tensor<4x32xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @max_f32(%arg0: tensor<2x3xf32>) -> tensor<2xf32>
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-NEXT: %[[F:.*]] = linalg.fill ins(%[[NINF]] : f32)
// CHECK-NEXT: linalg.reduce { arith.maximumf {fastmath = #arith.fastmath<reassoc>} } ins(%arg0 : tensor<2x3xf32>) outs(%[[F]] : tensor<2xf32>) dimensions = [1]
func.func @max_f32(%a: tensor<2x3xf32>) -> tensor<2xf32> {
  %0 = array.max %a axes = [1] : tensor<2x3xf32>
  return %0 : tensor<2xf32>
}

// CHECK-LABEL: func.func @min_f16(%arg0: tensor<2x3xf16>) -> tensor<2xf16>
// CHECK: %[[INF:.*]] = arith.constant 0x7C00 : f16
// CHECK-NEXT: %[[F:.*]] = linalg.fill ins(%[[INF]] : f16)
// CHECK-NEXT: linalg.reduce { arith.minimumf {fastmath = #arith.fastmath<reassoc>} }
func.func @min_f16(%a: tensor<2x3xf16>) -> tensor<2xf16> {
  %0 = array.min %a axes = [1] : tensor<2x3xf16>
  return %0 : tensor<2xf16>
}

// Signedness picks the identity and the combiner.
// CHECK-LABEL: func.func @max_i8(%arg0: tensor<4xi8>) -> tensor<i8>
// CHECK: %[[LOW:.*]] = arith.constant -128 : i8
// CHECK-NEXT: linalg.fill ins(%[[LOW]] : i8)
// CHECK-NEXT: linalg.reduce { arith.maxsi }
func.func @max_i8(%a: tensor<4xi8>) -> tensor<i8> {
  %0 = array.max %a axes = [0] : tensor<4xi8>
  return %0 : tensor<i8>
}

// CHECK-LABEL: func.func @max_ui8(%arg0: tensor<4xi8>) -> tensor<i8>
// CHECK: %[[LOW:.*]] = arith.constant 0 : i8
// CHECK-NEXT: linalg.fill ins(%[[LOW]] : i8)
// CHECK-NEXT: linalg.reduce { arith.maxui }
func.func @max_ui8(%a: tensor<4xui8>) -> tensor<ui8> {
  %0 = array.max %a axes = [0] : tensor<4xui8>
  return %0 : tensor<ui8>
}

// CHECK-LABEL: func.func @min_ui32(%arg0: tensor<4xi32>) -> tensor<i32>
// CHECK: %[[HIGH:.*]] = arith.constant -1 : i32
// CHECK-NEXT: linalg.fill ins(%[[HIGH]] : i32)
// CHECK-NEXT: linalg.reduce { arith.minui }
func.func @min_ui32(%a: tensor<4xui32>) -> tensor<ui32> {
  %0 = array.min %a axes = [0] : tensor<4xui32>
  return %0 : tensor<ui32>
}

// CHECK-LABEL: func.func @min_i64(%arg0: tensor<4xi64>) -> tensor<i64>
// CHECK: %[[HIGH:.*]] = arith.constant 9223372036854775807 : i64
// CHECK-NEXT: linalg.fill ins(%[[HIGH]] : i64)
// CHECK-NEXT: linalg.reduce { arith.minsi }
func.func @min_i64(%a: tensor<4xi64>) -> tensor<i64> {
  %0 = array.min %a axes = [0] : tensor<4xi64>
  return %0 : tensor<i64>
}

// Bools reduce as bytes.
// CHECK-LABEL: func.func @all(%arg0: tensor<2x3xi8>) -> tensor<2xi8>
// CHECK: %[[ONE:.*]] = arith.constant 1 : i8
// CHECK-NEXT: %[[F:.*]] = linalg.fill ins(%[[ONE]] : i8) outs(%{{.*}} : tensor<2xi8>)
// CHECK-NEXT: linalg.reduce { arith.andi } ins(%arg0 : tensor<2x3xi8>) outs(%[[F]] : tensor<2xi8>) dimensions = [1]
func.func @all(%a: tensor<2x3xi1>) -> tensor<2xi1> {
  %0 = array.all %a axes = [1] : tensor<2x3xi1>
  return %0 : tensor<2xi1>
}

// CHECK-LABEL: func.func @any(%arg0: tensor<2x3xi8>) -> tensor<i8>
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i8
// CHECK-NEXT: %[[F:.*]] = linalg.fill ins(%[[ZERO]] : i8)
// CHECK-NEXT: linalg.reduce { arith.ori } ins(%arg0 : tensor<2x3xi8>) outs(%[[F]] : tensor<i8>) dimensions = [0, 1]
func.func @any(%a: tensor<2x3xi1>) -> tensor<i1> {
  %0 = array.any %a axes = [0, 1] : tensor<2x3xi1>
  return %0 : tensor<i1>
}

// argmax: values start at -inf and indices at 0; the first NaN wins.
// CHECK-LABEL: func.func @argmax(%arg0: tensor<2x3xf32>) -> tensor<2xi32>
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-NEXT: %[[VALS:.*]] = linalg.fill ins(%[[NINF]] : f32) outs(%{{.*}} : tensor<2xf32>)
// CHECK: %[[IDX:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%{{.*}} : tensor<2xi32>)
// CHECK-NEXT: %[[G:.*]]:2 = linalg.generic {indexing_maps = [#[[ID2]], #[[ROW]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%arg0 : tensor<2x3xf32>) outs(%[[VALS]], %[[IDX]] : tensor<2xf32>, tensor<2xi32>)
// CHECK-NEXT: ^bb0(%[[X:.*]]: f32, %[[BEST:.*]]: f32, %[[BI:.*]]: i32):
// CHECK-NEXT: %[[K:.*]] = linalg.index 1 : index
// CHECK-NEXT: %[[KI:.*]] = arith.index_cast %[[K]] : index to i32
// CHECK-NEXT: %[[GT:.*]] = arith.cmpf ogt, %[[X]], %[[BEST]] : f32
// CHECK-NEXT: %[[XNAN:.*]] = arith.cmpf uno, %[[X]], %[[X]] : f32
// CHECK-NEXT: %[[OK:.*]] = arith.cmpf ord, %[[BEST]], %[[BEST]] : f32
// CHECK-NEXT: %[[FIRSTNAN:.*]] = arith.andi %[[XNAN]], %[[OK]] : i1
// CHECK-NEXT: %[[BETTER:.*]] = arith.ori %[[GT]], %[[FIRSTNAN]] : i1
// CHECK-NEXT: %[[NV:.*]] = arith.select %[[BETTER]], %[[X]], %[[BEST]] : f32
// CHECK-NEXT: %[[NI:.*]] = arith.select %[[BETTER]], %[[KI]], %[[BI]] : i32
// CHECK-NEXT: linalg.yield %[[NV]], %[[NI]] : f32, i32
// CHECK: return %[[G]]#1 : tensor<2xi32>
func.func @argmax(%a: tensor<2x3xf32>) -> tensor<2xui32> {
  %0 = array.argmax %a axis = 1 : tensor<2x3xf32>
  return %0 : tensor<2xui32>
}

// A long 1-D argmax (over all axes) runs in two stages: blocks of 1024 (the
// tail padded with the identity, -inf), each winner's global index; then the
// blocks' winners in order, taking their indices.
// CHECK-LABEL: func.func @argmax_long(%arg0: tensor<20000xf32>) -> tensor<i32>
// CHECK: %[[P:.*]] = tensor.pad %arg0 low[0] high[480]
// CHECK: tensor.yield %{{.*}} : f32
// CHECK: %[[B:.*]] = tensor.expand_shape %[[P]] {{\[\[}}0, 1]] output_shape [20, 1024]
// CHECK: %[[S1:.*]]:2 = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[B]] : tensor<20x1024xf32>) outs({{.*}} : tensor<20xf32>, tensor<20xi32>)
// CHECK: %[[BLK:.*]] = linalg.index 0
// CHECK: %[[START:.*]] = arith.muli %[[BLK]], %c1024
// CHECK: %[[J:.*]] = linalg.index 1
// CHECK: arith.addi %[[START]], %[[J]]
// CHECK: %[[S2:.*]]:2 = linalg.generic {{.*}} iterator_types = ["reduction"]} ins(%[[S1]]#0, %[[S1]]#1 : tensor<20xf32>, tensor<20xi32>) outs({{.*}} : tensor<f32>, tensor<i32>)
// CHECK-NOT: linalg.index
// CHECK: return %[[S2]]#1 : tensor<i32>
func.func @argmax_long(%a: tensor<20000xf32>) -> tensor<ui32> {
  %0 = array.argmax %a axis = 0 : tensor<20000xf32>
  return %0 : tensor<ui32>
}

// CHECK-LABEL: func.func @argmin_ui16(%arg0: tensor<2x3xi16>) -> tensor<3xi32>
// CHECK: %[[HIGH:.*]] = arith.constant -1 : i16
// CHECK-NEXT: linalg.fill ins(%[[HIGH]] : i16)
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]
// CHECK: linalg.index 0 : index
// CHECK: arith.cmpi ult, %{{.*}}, %{{.*}} : i16
func.func @argmin_ui16(%a: tensor<2x3xui16>) -> tensor<3xui32> {
  %0 = array.argmin %a axis = 0 : tensor<2x3xui16>
  return %0 : tensor<3xui32>
}

// CHECK-LABEL: func.func @argmin_f32(
// CHECK: arith.constant 0x7F800000 : f32
// CHECK: arith.cmpf olt
func.func @argmin_f32(%a: tensor<2x3xf32>) -> tensor<2xui32> {
  %0 = array.argmin %a axis = 1 : tensor<2x3xf32>
  return %0 : tensor<2xui32>
}

// A scan loops over the axis carrying the running slab and the result.
// CHECK-LABEL: func.func @cumsum(%arg0: tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %[[ACC0:.*]] = linalg.fill ins(%[[Z]] : f32) outs(%{{.*}} : tensor<2x1xf32>)
// CHECK: %[[RES0:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK: %[[N:.*]] = arith.constant 3 : index
// CHECK: %[[L:.*]]:2 = scf.for %[[IV:[^ ]+]] = %{{.*}} to %[[N]] step %{{.*}} iter_args(%[[ACC:[^ ]+]] = %[[ACC0]], %[[RES:[^ ]+]] = %[[RES0]]) -> (tensor<2x1xf32>, tensor<2x3xf32>)
// CHECK-NEXT: %[[SLAB:.*]] = tensor.extract_slice %arg0[0, %[[IV]]] [2, 1] [1, 1] : tensor<2x3xf32> to tensor<2x1xf32>
// CHECK-NEXT: %[[NEXT:.*]] = linalg.generic {{.*}} ins(%[[SLAB]] : tensor<2x1xf32>) outs(%[[ACC]] : tensor<2x1xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %[[OUT:.*]]: f32):
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[OUT]], %[[IN]] : f32
// CHECK-NEXT: linalg.yield %[[S]] : f32
// CHECK: %[[INS:.*]] = tensor.insert_slice %[[NEXT]] into %[[RES]][0, %[[IV]]] [2, 1] [1, 1]
// CHECK-NEXT: scf.yield %[[NEXT]], %[[INS]] : tensor<2x1xf32>, tensor<2x3xf32>
// CHECK: return %[[L]]#1
func.func @cumsum(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = array.cumsum %a axis = 1 : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// reverse = true walks the axis from the end.
// CHECK-LABEL: func.func @cumsum_reverse(
// CHECK: scf.for %[[IV:[^ ]+]] =
// CHECK-NEXT: %[[LAST:.*]] = arith.constant 2 : index
// CHECK-NEXT: %[[POS:.*]] = arith.subi %[[LAST]], %[[IV]] : index
// CHECK-NEXT: tensor.extract_slice %arg0[0, %[[POS]]]
func.func @cumsum_reverse(%a: tensor<2x3xi32>) -> tensor<2x3xi32> {
  %0 = array.cumsum %a axis = 1 {reverse = true} : tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// inclusive = false stores the running value before combining.
// CHECK-LABEL: func.func @cumprod_exclusive(
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: scf.for %[[IV:[^ ]+]] = %{{.*}} iter_args(%[[ACC:[^ ]+]] = %{{[^ ]+}}, %[[RES:[^ ]+]] = %{{[^ ]+}})
// CHECK: %[[INS:.*]] = tensor.insert_slice %[[ACC]] into %[[RES]]
// CHECK: %[[NEXT:.*]] = linalg.generic
// CHECK: arith.mulf
// CHECK: scf.yield %[[NEXT]], %[[INS]]
func.func @cumprod_exclusive(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.cumprod %a axis = 0 {inclusive = false} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @cummax_ui8(
// CHECK: %[[LOW:.*]] = arith.constant 0 : i8
// CHECK: scf.for
// CHECK: arith.maxui
func.func @cummax_ui8(%a: tensor<4xui8>) -> tensor<4xui8> {
  %0 = array.cummax %a axis = 0 : tensor<4xui8>
  return %0 : tensor<4xui8>
}

// CHECK-LABEL: func.func @cummin_f32(
// CHECK: arith.constant 0x7F800000 : f32
// CHECK: scf.for
// CHECK: arith.minimumf
func.func @cummin_f32(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = array.cummin %a axis = 0 : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// Sorting moves the axis last, pads rows to a power of two, runs the bitonic
// stages in scf.for loops, then trims and moves the axis back.
// CHECK-LABEL: func.func @sort(%arg0: tensor<3x5xf32>) -> tensor<3x5xf32>
// CHECK: %[[T:.*]] = linalg.transpose ins(%arg0 : tensor<3x5xf32>) outs(%{{.*}} : tensor<5x3xf32>) permutation = [1, 0]
// CHECK: %[[P:.*]] = tensor.pad %[[T]] low[0, 0] high[0, 1]
// CHECK: } : tensor<5x3xf32> to tensor<5x4xf32>
// CHECK: %[[IDX:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<5x4xi32>)
// CHECK: linalg.index 1 : index
// CHECK: %[[S:.*]]:2 = scf.for {{.*}} iter_args(%{{.*}} = %[[P]], %{{.*}} = %[[IDX]]) -> (tensor<5x4xf32>, tensor<5x4xi32>)
// CHECK: scf.for
// CHECK: scf.for
// CHECK: arith.cmpf uno
// CHECK: arith.cmpf olt
// CHECK: tensor.insert
// CHECK: %[[TRIM:.*]] = tensor.extract_slice %[[S]]#0[0, 0] [5, 3] [1, 1] : tensor<5x4xf32> to tensor<5x3xf32>
// CHECK: %[[BACK:.*]] = linalg.transpose ins(%[[TRIM]] : tensor<5x3xf32>) outs(%{{.*}} : tensor<3x5xf32>) permutation = [1, 0]
// CHECK-NEXT: return %[[BACK]]
func.func @sort(%a: tensor<3x5xf32>) -> tensor<3x5xf32> {
  %0 = array.sort %a axis = 0 : tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// Unsigned keys compare unsigned; a power-of-two axis needs no padding.
// CHECK-LABEL: func.func @sort_ui32(%arg0: tensor<2x4xi32>) -> tensor<2x4xi32>
// CHECK-NOT: linalg.transpose
// CHECK-NOT: tensor.pad
// CHECK: scf.for
// CHECK: arith.cmpi ult, %{{.*}}, %{{.*}} : i32
// CHECK: arith.cmpi ugt, %{{.*}}, %{{.*}} : i32
func.func @sort_ui32(%a: tensor<2x4xui32>) -> tensor<2x4xui32> {
  %0 = array.sort %a axis = 1 : tensor<2x4xui32>
  return %0 : tensor<2x4xui32>
}

// argsort returns the index tensor of the same network.
// CHECK-LABEL: func.func @argsort(%arg0: tensor<3xi8>) -> tensor<3xi32>
// CHECK: %[[S:.*]]:2 = scf.for
// CHECK: arith.cmpi slt, %{{.*}}, %{{.*}} : i8
// CHECK: tensor.extract_slice %[[S]]#1[0, 0] [1, 3] [1, 1] : tensor<1x4xi32> to tensor<1x3xi32>
func.func @argsort(%a: tensor<3xi8>) -> tensor<3xui32> {
  %0 = array.argsort %a axis = 0 : tensor<3xi8>
  return %0 : tensor<3xui32>
}

// A long scan (more than 16384 elements along its axis, few rows) runs in blocks
// of 1024: padded with the identity (-inf for cummax), each block scanned, the
// block maxima scanned exclusively, each block's offset combined in, the padding
// sliced off.
// CHECK-LABEL: func.func @cummax_long(%arg0: tensor<20000xf32>) -> tensor<20000xf32>
// CHECK: %[[ID:.*]] = arith.constant dense<0xFF800000> : tensor<f32>
// CHECK: %[[P:.*]] = tensor.pad %arg0 low[0] high[480]
// CHECK: %[[B:.*]] = tensor.expand_shape %[[P]] {{\[\[}}0, 1]] output_shape [20, 1024]
// CHECK: %[[IN:.*]]:2 = scf.for %{{.*}} = %c0 to %c1024
// CHECK: linalg.reduce
// CHECK: %[[OFF:.*]]:2 = scf.for %{{.*}} = %{{.*}} to %c20
// CHECK: %[[BC:.*]] = linalg.generic {{.*}} ins(%[[OFF]]#1 : tensor<20xf32>) outs(%{{.*}} : tensor<20x1024xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[BC]], %[[IN]]#1 : tensor<20x1024xf32>, tensor<20x1024xf32>)
// CHECK: arith.maximumf
// CHECK: %[[C:.*]] = tensor.collapse_shape
// CHECK: %[[R:.*]] = tensor.extract_slice %[[C]][0] [20000] [1]
// CHECK: return %[[R]]
func.func @cummax_long(%a: tensor<20000xf32>) -> tensor<20000xf32> {
  %0 = array.cummax %a axis = 0 : tensor<20000xf32>
  return %0 : tensor<20000xf32>
}
