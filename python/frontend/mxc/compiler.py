"""The compiler you can watch: MLIR of a traced function at any stage.

>>> import mxc.core as mx, mxc.compiler
>>> text = mxc.compiler.ir(lambda x: mx.sin(x) * 2, mx.array([1.0]), stage="traced")
>>> "array.sin" in text
True

Stages: "traced" (the `array` dialect as the frontend emits it), "transformed"
(vmap/vjp/jvp expanded, inlined: `mxc-opt --mxc-transforms`), "linalg"
(`--convert-array-to-linalg`) and "llvm" (`--mxc-linalg-to-llvm`). Set
``MXC_DUMP_IR=<dir>`` to have every compiled program written at each stage.
"""

from __future__ import annotations

from . import _compiler
from ._compiler import STAGES, CompilerError, Program, build_module, cache, flags, lower

__all__ = ["ir", "program_of", "STAGES", "CompilerError", "Program", "build_module",
           "lower", "cache", "pipeline"]


def program_of(*arrays):
    """The Program that evaluating ``arrays`` would compile."""
    from .core._array import _program

    targets = [a for a in arrays if a._value is None]
    if not targets:
        raise ValueError("[program_of] The arrays are already evaluated.")
    return _program(targets)[0]


def ir(fun, *args, stage: str = "traced", **kwargs) -> str:
    """The MLIR text of ``fun(*args, **kwargs)`` (lazy arrays) at ``stage``."""
    from .core._transforms import _flatten

    outs = []
    _flatten(fun(*args, **kwargs), outs)
    module = build_module(program_of(*outs))
    return str(lower(module, upto=stage, tag="ir"))


def pipeline(stage: str = "llvm") -> str:
    """The mxc-opt pipeline flags that take a traced module to ``stage``."""
    names = [name for name, _ in STAGES]
    return " ".join(flags(p) for name, p in STAGES[: names.index(stage) + 1])
