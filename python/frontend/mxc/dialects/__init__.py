"""MLIR dialect bindings generated from mxc's ODS (``mlir-tblgen``)."""
