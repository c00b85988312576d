"""Convolution layers, as in ``mlx.nn`` (channels-last inputs).

``mx.conv1d``/``conv2d`` are not core ops yet, so the convolution is written
here with ordinary ops (im2col): the input is padded, the sliding windows are
gathered with ``take`` along each spatial axis, and the windows are multiplied
with the flattened kernel (one matmul per group).
"""

from __future__ import annotations

import math
from typing import Sequence, Union

from ... import core as mx
from .base import Module

__all__ = ["Conv1d", "Conv2d", "conv_general"]


def _tuple(value, n):
    return (value,) * n if isinstance(value, int) else tuple(value)


def conv_general(x, weight, stride=1, padding=0, dilation=1, groups: int = 1):
    """Cross-correlation of ``x`` ``(N, *spatial, C_in)`` with ``weight``
    ``(C_out, *kernel, C_in // groups)``, as ``mx.conv1d``/``conv2d``: symmetric
    zero ``padding`` per spatial axis; returns ``(N, *out_spatial, C_out)``."""
    nsp = weight.ndim - 2
    if x.ndim != nsp + 2:
        raise ValueError(
            f"[conv] Expected an input with {nsp + 2} dimensions in the format "
            f"[N, ..., C_in] but got shape {x.shape}.")
    stride, padding, dilation = (_tuple(v, nsp) for v in (stride, padding, dilation))
    c_out, kernel, c_group = weight.shape[0], weight.shape[1:-1], weight.shape[-1]
    n, c_in = x.shape[0], x.shape[-1]
    if c_in % groups or c_out % groups or c_in // groups != c_group:
        raise ValueError(
            f"[conv] Expect the input channels in the input and weight array to match "
            f"but got shapes - input: {x.shape} and weight: {weight.shape} "
            f"(groups={groups}).")
    if any(padding):
        x = mx.pad(x, [(0, 0)] + [(p, p) for p in padding] + [(0, 0)])
    out_sizes = []
    for axis in range(nsp):
        size = x.shape[1 + 2 * axis]  # earlier axes were split into (out, kernel)
        span = dilation[axis] * (kernel[axis] - 1) + 1
        out = (size - span) // stride[axis] + 1
        if out <= 0:
            raise ValueError(
                f"[conv] The kernel (size {kernel[axis]}, dilation {dilation[axis]}) is "
                f"larger than the padded input ({size}) on spatial axis {axis}.")
        out_sizes.append(out)
        starts = mx.arange(out) * stride[axis]
        offsets = mx.arange(kernel[axis]) * dilation[axis]
        windows = starts[:, None] + offsets[None, :]  # (out, k)
        # (N, o_0, k_0, ..., size, ..., C) -> (..., out, k, ..., C)
        x = mx.take(x, windows, axis=1 + 2 * axis)
    # x: (N, o_0, k_0, o_1, k_1, ..., C_in) -> (N, o..., k..., C_in)
    order = [0] + [1 + 2 * i for i in range(nsp)] + [2 + 2 * i for i in range(nsp)] \
        + [1 + 2 * nsp]
    x = mx.transpose(x, order)
    m = n * math.prod(out_sizes)
    kvol = math.prod(kernel)
    if groups == 1:
        y = x.reshape(m, kvol * c_in) @ weight.reshape(c_out, kvol * c_in).T
    else:
        cols = x.reshape(m, kvol, groups, c_group).transpose(2, 0, 1, 3)
        cols = cols.reshape(groups, m, kvol * c_group)
        w = weight.reshape(groups, c_out // groups, kvol * c_group).transpose(0, 2, 1)
        y = (cols @ w).transpose(1, 0, 2)  # (m, groups, c_out // groups)
    return y.reshape(n, *out_sizes, c_out)


class _ConvNd(Module):
    _nsp = 1

    def __init__(self, in_channels: int, out_channels: int,
                 kernel_size: Union[int, Sequence[int]], stride=1, padding=0, dilation=1,
                 groups: int = 1, bias: bool = True):
        super().__init__()
        if in_channels % groups != 0:
            raise ValueError(
                f"The number of input channels ({in_channels}) must be divisible by the "
                f"number of groups ({groups})")
        n = self._nsp
        kernel = _tuple(kernel_size, n)
        scale = math.sqrt(1 / (in_channels // groups * math.prod(kernel)))
        self.weight = mx.random.uniform(low=-scale, high=scale,
                                        shape=(out_channels, *kernel, in_channels // groups))
        if bias:
            self.bias = mx.zeros((out_channels,))
        if n == 1:
            self.padding, self.stride, self.dilation = padding, stride, dilation
        else:
            self.padding = _tuple(padding, n)
            self.stride = _tuple(stride, n)
            self.dilation = dilation
        self.groups = groups

    def _extra_repr(self) -> str:
        kernel = self.weight.shape[1] if self._nsp == 1 else self.weight.shape[1:-1]
        return (f"{self.weight.shape[-1] * self.groups}, {self.weight.shape[0]}, "
                f"kernel_size={kernel}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, groups={self.groups}, bias={'bias' in self}")

    def __call__(self, x):
        y = conv_general(x, self.weight, self.stride, self.padding, self.dilation, self.groups)
        if "bias" in self:
            y = y + self.bias
        return y


class Conv1d(_ConvNd):
    r"""1-D convolution over ``(N, L, C_in)`` inputs, giving
    ``(N, L_out, C_out)``; ``weight`` is ``(C_out, kernel_size, C_in // groups)``
    drawn from :math:`\mathcal{U}(-k, k)`, :math:`k = 1/\sqrt{C_{in}/g \cdot K}`,
    and ``bias`` starts at zero."""

    _nsp = 1


class Conv2d(_ConvNd):
    r"""2-D convolution over ``(N, H, W, C_in)`` inputs, giving
    ``(N, H_out, W_out, C_out)``; ``weight`` is ``(C_out, KH, KW, C_in // groups)``."""

    _nsp = 2
