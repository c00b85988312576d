"""mxc: MLX's array API with every computation compiled by MLIR.

``import mxc.core as mx`` for arrays; ``mxc.compiler`` for the MLIR side.
"""

__version__ = "0.1.0"
