"""Containers of modules, as in ``mlx.nn``."""

from __future__ import annotations

from .base import Module

__all__ = ["Sequential"]


class Sequential(Module):
    """Calls its ``layers`` (modules or any callables) in order, each on the
    previous one's output.

    >>> import mxc.nn as nn
    >>> model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    >>> len(model.layers)
    3
    """

    def __init__(self, *modules):
        super().__init__()
        self.layers = list(modules)

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x
