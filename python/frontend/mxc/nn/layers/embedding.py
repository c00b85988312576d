"""Embedding tables, as in ``mlx.nn``."""

from __future__ import annotations

import math

from ... import core as mx
from .base import Module

__all__ = ["Embedding"]


class Embedding(Module):
    r"""A table of ``num_embeddings`` vectors of size ``dims``, looked up by
    integer index; ``weight`` is drawn from :math:`\mathcal{N}(0, 1/\text{dims})`."""

    def __init__(self, num_embeddings: int, dims: int):
        super().__init__()
        self.weight = mx.random.normal(shape=(num_embeddings, dims), scale=math.sqrt(1 / dims))

    def _extra_repr(self) -> str:
        return f"{self.weight.shape[0]}, {self.weight.shape[1]}"

    def __call__(self, x):
        return self.weight[x]

    def as_linear(self, x):
        """Uses the table as a linear layer (``x @ weight.T``), e.g. for tied output
        projections."""
        return x @ self.weight.T
