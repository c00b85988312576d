"""Transformations of functions of a model, as in ``mlx.nn.utils``."""

from __future__ import annotations

from functools import wraps
from typing import Callable

from .. import core as mx
from .layers.base import Module

__all__ = ["value_and_grad"]


def value_and_grad(model: Module, fn: Callable) -> Callable:
    """``fn`` made to return ``(value, grads)``: its value and its gradients with
    respect to ``model``'s trainable parameters (a tree like
    :meth:`Module.trainable_parameters`).

    >>> # loss_and_grad = nn.value_and_grad(model, loss_fn)
    >>> # loss, grads = loss_and_grad(model, x, y)
    """

    def with_params(params, *args, **kwargs):
        model.update(params)
        return fn(*args, **kwargs)

    transformed = mx.value_and_grad(with_params)

    @wraps(fn)
    def wrapper(*args, **kwargs):
        params = model.trainable_parameters()
        try:
            return transformed(params, *args, **kwargs)
        finally:
            # The traced copies must not stay in the model: put the real arrays
            # back (same values).
            model.update(params)

    return wrapper
