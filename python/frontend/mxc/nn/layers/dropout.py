"""Dropout layers, as in ``mlx.nn``."""

from __future__ import annotations

from ... import core as mx
from .base import Module

__all__ = ["Dropout", "Dropout2d", "Dropout3d"]


class _DropoutBase(Module):
    _ndims = None  # accepted input ranks (None: any)
    _shared_axes = 0  # trailing spatial axes (before the channel axis) sharing a draw

    def __init__(self, p: float = 0.5):
        super().__init__()
        if p < 0 or p >= 1:
            raise ValueError(f"The dropout probability {p} is not in [0, 1)")
        self._p_1 = 1 - p

    def _extra_repr(self) -> str:
        return f"p={1 - self._p_1}"

    def __call__(self, x):
        if self._ndims is not None and x.ndim not in self._ndims:
            raise ValueError(
                f"Received input with {x.ndim} dimensions. Expected "
                f"{self._ndims[0]} or {self._ndims[1]} dimensions.")
        if self._p_1 == 1 or not self.training:
            return x
        shape = list(x.shape)
        for i in range(2, 2 + self._shared_axes):
            shape[-i] = 1
        keep = mx.random.bernoulli(self._p_1, shape)
        return (keep * x) * (1 / self._p_1)


class Dropout(_DropoutBase):
    r"""In training mode, zeroes each element with probability ``p`` and scales the
    rest by :math:`1/(1-p)`; the identity in evaluation mode."""


class Dropout2d(_DropoutBase):
    """Channel-wise dropout for ``(N, H, W, C)`` or ``(H, W, C)`` inputs: a whole
    channel is zeroed at once."""

    _ndims = (3, 4)
    _shared_axes = 2


class Dropout3d(_DropoutBase):
    """Channel-wise dropout for ``(N, D, H, W, C)`` or ``(D, H, W, C)`` inputs."""

    _ndims = (4, 5)
    _shared_axes = 3
