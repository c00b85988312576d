"""Normalization layers, as in ``mlx.nn``.

``mx.fast.layer_norm``/``rms_norm`` are written here with ordinary ops; the
statistics are computed in float32 at least, as MLX's kernels do.
"""

from __future__ import annotations

from typing import Tuple

from ... import core as mx
from .base import Module

__all__ = ["LayerNorm", "RMSNorm", "GroupNorm", "InstanceNorm", "BatchNorm"]


def _stat_dtype(dtype):
    return dtype if dtype in (mx.float32, mx.float64) else mx.float32


def _layer_norm(x, weight, bias, eps):
    """``(x - mean) / sqrt(var + eps) * weight + bias`` over the last axis."""
    xf = x.astype(_stat_dtype(x.dtype))
    mean = mx.mean(xf, axis=-1, keepdims=True)
    centered = xf - mean
    var = mx.mean(mx.square(centered), axis=-1, keepdims=True)
    y = (centered * mx.rsqrt(var + eps)).astype(x.dtype)
    if weight is not None:
        y = y * weight
    if bias is not None:
        y = y + bias
    return y


def _rms_norm(x, weight, eps):
    """``x / sqrt(mean(x**2) + eps) * weight`` over the last axis."""
    xf = x.astype(_stat_dtype(x.dtype))
    y = (xf * mx.rsqrt(mx.mean(mx.square(xf), axis=-1, keepdims=True) + eps)).astype(x.dtype)
    return y * weight if weight is not None else y


class LayerNorm(Module):
    r"""Normalizes the last axis to zero mean and unit variance, then (if
    ``affine``) scales by ``weight`` (ones) and shifts by ``bias`` (zeros, if
    ``bias``)."""

    def __init__(self, dims: int, eps: float = 1e-5, affine: bool = True, bias: bool = True):
        super().__init__()
        if eps <= 0.0:
            raise ValueError(f"[LayerNorm] 'eps' must be positive but got {eps}.")
        if affine:
            self.weight = mx.ones((dims,))
            if bias:
                self.bias = mx.zeros((dims,))
        self.eps = eps
        self.dims = dims

    def _extra_repr(self) -> str:
        return f"{self.dims}, eps={self.eps}, affine={'weight' in self}"

    def __call__(self, x):
        return _layer_norm(x, self.get("weight"), self.get("bias"), self.eps)


class RMSNorm(Module):
    r"""Divides by the root mean square of the last axis, then scales by
    ``weight`` (ones)."""

    def __init__(self, dims: int, eps: float = 1e-5):
        super().__init__()
        if eps <= 0.0:
            raise ValueError(f"[RMSNorm] 'eps' must be positive but got {eps}.")
        self.weight = mx.ones((dims,))
        self.eps = eps

    def _extra_repr(self) -> str:
        return f"{self.weight.shape[0]}, eps={self.eps}"

    def __call__(self, x):
        return _rms_norm(x, self["weight"], self.eps)


class InstanceNorm(Module):
    """Normalizes each channel (last axis) of each sample over the spatial axes of
    an ``(N, ..., C)`` input; ``affine`` adds a learned scale and shift."""

    def __init__(self, dims: int, eps: float = 1e-5, affine: bool = False):
        super().__init__()
        if eps <= 0.0:
            raise ValueError(f"[InstanceNorm] 'eps' must be positive but got {eps}.")
        if affine:
            self.weight = mx.ones((dims,))
            self.bias = mx.zeros((dims,))
        self.dims = dims
        self.eps = eps

    def _extra_repr(self) -> str:
        return f"{self.dims}, eps={self.eps}, affine={'weight' in self}"

    def __call__(self, x):
        if x.ndim < 3:
            raise ValueError(
                f"InstanceNorm expects inputs with at least 3 dimensions (N, ..., C) "
                f"but the input has {x.ndim} dimensions.")
        n, c = x.shape[0], x.shape[-1]
        spatial = x.shape[1:-1]
        rest = tuple(range(1, x.ndim - 1))
        channels_first = mx.transpose(x, (0, x.ndim - 1, *rest)).reshape(n, c, -1)
        y = _layer_norm(channels_first, None, None, self.eps).reshape(n, c, *spatial)
        y = mx.transpose(y, (0, *range(2, len(spatial) + 2), 1))
        return (self.weight * y + self.bias) if "weight" in self else y


class GroupNorm(Module):
    """Normalizes groups of ``dims // num_groups`` channels of each sample;
    ``pytorch_compatible`` groups consecutive channels as PyTorch does."""

    def __init__(self, num_groups: int, dims: int, eps: float = 1e-5, affine: bool = True,
                 pytorch_compatible: bool = False):
        super().__init__()
        if eps <= 0.0:
            raise ValueError(f"[GroupNorm] 'eps' must be positive but got {eps}.")
        if num_groups <= 0:
            raise ValueError(f"The number of groups ({num_groups}) must be a positive integer.")
        if dims <= 0:
            raise ValueError(f"The number of features ({dims}) must be a positive integer.")
        if dims % num_groups != 0:
            raise ValueError(
                f"The number of features ({dims}) must be evenly divisible by the number "
                f"of groups ({num_groups}).")
        if affine:
            self.bias = mx.zeros((dims,))
            self.weight = mx.ones((dims,))
        self.num_groups = num_groups
        self.dims = dims
        self.eps = eps
        self.pytorch_compatible = pytorch_compatible

    def _extra_repr(self) -> str:
        return (f"{self.num_groups}, {self.dims}, eps={self.eps}, affine={'weight' in self}, "
                f"pytorch_compatible={self.pytorch_compatible}")

    def __call__(self, x):
        g = self.num_groups
        batch, *rest, dims = x.shape
        if self.pytorch_compatible:
            size = dims // g
            y = x.reshape(batch, -1, g, size).transpose(0, 2, 1, 3).reshape(batch, g, -1)
            y = _layer_norm(y, None, None, self.eps)
            y = y.reshape(batch, g, -1, size).transpose(0, 2, 1, 3).reshape(batch, *rest, dims)
        else:
            y = x.reshape(batch, -1, g)
            mean = mx.mean(y, axis=1, keepdims=True)
            var = mx.var(y, axis=1, keepdims=True)
            y = ((y - mean) * mx.rsqrt(var + self.eps)).reshape(batch, *rest, dims)
        return (self.weight * y + self.bias) if "weight" in self else y


class BatchNorm(Module):
    """Normalizes each feature (last axis) over the batch (and spatial) axes; in
    training mode it updates ``running_mean``/``running_var`` (frozen members)
    with ``momentum``, which evaluation mode then uses."""

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1,
                 affine: bool = True, track_running_stats: bool = True):
        super().__init__()
        if eps <= 0.0:
            raise ValueError(f"[BatchNorm] 'eps' must be positive but got {eps}.")
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.track_running_stats = track_running_stats
        if affine:
            self.weight = mx.ones((num_features,))
            self.bias = mx.zeros((num_features,))
        if track_running_stats:
            self.running_mean = mx.zeros((num_features,))
            self.running_var = mx.ones((num_features,))
            self.freeze(keys=["running_mean", "running_var"], recurse=False)

    def unfreeze(self, *args, **kwargs):
        super().unfreeze(*args, **kwargs)
        if self.track_running_stats:
            self.freeze(keys=["running_mean", "running_var"], recurse=False)
        return self

    def _extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={'weight' in self}, track_running_stats={self.track_running_stats}")

    @staticmethod
    def _stats(x, ddof: int = 0) -> Tuple[mx.array, mx.array]:
        axes = tuple(range(x.ndim - 1))
        return mx.mean(x, axis=axes), mx.var(x, axis=axes, ddof=ddof)

    def __call__(self, x):
        if x.ndim < 2 or x.ndim > 4:
            raise ValueError(
                f"Expected input tensor to have 2, 3 or 4 dimensions, but got {x.ndim}")
        if self.training:
            count = 1
            for d in x.shape[:-1]:
                count *= d
            if count == 1:
                raise ValueError("BatchNorm training requires more than one value per channel.")
        mean, var = self._stats(x)
        if self.track_running_stats:
            if self.training:
                mu = self.momentum
                _, unbiased = self._stats(x, ddof=1)
                self.running_mean = (1 - mu) * self.running_mean + mu * mean
                self.running_var = (1 - mu) * self.running_var + mu * unbiased
            else:
                mean, var = self.running_mean, self.running_var
        y = (x - mean) * mx.rsqrt(var + self.eps)
        return (self.weight * y + self.bias) if "weight" in self else y
