"""Activation functions and their module forms, as in ``mlx.nn``."""

from __future__ import annotations

import math

from ... import core as mx
from .base import Module

__all__ = [
    "sigmoid", "relu", "relu2", "relu6", "leaky_relu", "log_softmax", "elu", "softmax",
    "softplus", "softsign", "softshrink", "celu", "silu", "log_sigmoid", "gelu",
    "gelu_approx", "gelu_fast_approx", "glu", "step", "selu", "prelu", "mish",
    "hardswish", "hard_tanh", "hard_shrink", "softmin", "tanh",
    "Sigmoid", "ReLU", "ReLU2", "ReLU6", "LeakyReLU", "LogSoftmax", "ELU", "Softmax",
    "Softplus", "Softsign", "Softshrink", "CELU", "SiLU", "LogSigmoid", "GELU", "GLU",
    "Step", "SELU", "PReLU", "Mish", "Hardswish", "HardTanh", "HardShrink", "Softmin",
    "Tanh",
]


# ---------------------------------------------------------------------------- functions


def sigmoid(x):
    r"""The logistic sigmoid :math:`1 / (1 + e^{-x})`."""
    return mx.sigmoid(x)


def relu(x):
    r"""Rectified linear unit :math:`\max(x, 0)`."""
    return mx.maximum(x, 0)


def relu2(x):
    r"""Squared ReLU :math:`\max(x, 0)^2`."""
    return mx.square(mx.maximum(x, 0))


def relu6(x):
    r""":math:`\min(\max(x, 0), 6)`."""
    return mx.minimum(mx.maximum(x, 0), 6.0)


def leaky_relu(x, negative_slope=0.01):
    r""":math:`\max(\text{negative\_slope} \cdot x, x)`."""
    return mx.maximum(negative_slope * x, x)


def log_softmax(x, axis=-1):
    r""":math:`x - \log \sum e^{x}` along ``axis`` (shifted by the max for stability)."""
    shifted = x - mx.stop_gradient(mx.max(x, axis=axis, keepdims=True))
    return shifted - mx.logsumexp(shifted, axis=axis, keepdims=True)


def elu(x, alpha=1.0):
    r"""Exponential linear unit: :math:`x` if :math:`x > 0`, else :math:`\alpha (e^x - 1)`."""
    return mx.where(x > 0, x, alpha * (mx.exp(x) - 1))


def softmax(x, axis=-1):
    r""":math:`e^{x_i} / \sum_j e^{x_j}` along ``axis``."""
    return mx.softmax(x, axis=axis)


def softplus(x):
    r""":math:`\log(1 + e^x)`."""
    return mx.logaddexp(x, 0)


def softsign(x):
    r""":math:`x / (1 + |x|)`."""
    return mx.divide(x, 1 + mx.abs(x))


def softshrink(x, lambd: float = 0.5):
    r""":math:`x - \text{sign}(x)\lambda` where :math:`|x| > \lambda`, else 0."""
    return mx.where(mx.abs(x) > lambd, x - mx.sign(x) * lambd, 0)


def celu(x, alpha=1.0):
    r""":math:`\max(0, x) + \alpha (e^{\min(0, x)/\alpha} - 1)`."""
    return mx.maximum(x, 0.0) + alpha * (mx.exp(mx.minimum(x, 0.0) / alpha) - 1)


def silu(x):
    r"""Sigmoid linear unit (swish) :math:`x \sigma(x)`."""
    return x * mx.sigmoid(x)


def log_sigmoid(x):
    r""":math:`\log \sigma(x) = -\text{softplus}(-x)`."""
    return -softplus(-x)


def gelu(x):
    r"""Gaussian error linear unit, exact form :math:`x \Phi(x) = x (1 + \text{erf}(x/\sqrt 2))/2`."""
    return x * (1 + mx.erf(x / math.sqrt(2))) / 2


def gelu_approx(x):
    r"""GELU's tanh approximation
    :math:`0.5 x (1 + \tanh(\sqrt{2/\pi}(x + 0.044715 x^3)))`."""
    return 0.5 * x * (1 + mx.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))


def gelu_fast_approx(x):
    r"""GELU's sigmoid approximation :math:`x \sigma(1.702 x)`."""
    return x * mx.sigmoid(1.702 * x)


def glu(x, axis: int = -1):
    r"""Gated linear unit: splits ``x`` in halves :math:`a, b` along ``axis``,
    returns :math:`a \sigma(b)`."""
    a, b = mx.split(x, 2, axis=axis)
    return a * mx.sigmoid(b)


def step(x, threshold: float = 0.0):
    r"""Binary step: 1 where :math:`x \geq` ``threshold``, else 0."""
    return mx.where(x >= threshold, 1, 0)


def selu(x):
    r"""Scaled ELU: :math:`1.0507 \cdot \text{elu}(x, 1.67326)`."""
    return elu(x, 1.67326) * 1.0507


def prelu(x, alpha):
    r""":math:`\max(0, x) + \alpha \min(0, x)` with a learned ``alpha``."""
    return mx.maximum(0, x) + alpha * mx.minimum(0, x)


def mish(x):
    r""":math:`x \tanh(\text{softplus}(x))`."""
    return x * mx.tanh(softplus(x))


def hardswish(x):
    r""":math:`x \min(\max(x + 3, 0), 6) / 6`."""
    return x * mx.minimum(mx.maximum(x + 3, 0), 6) / 6


def hard_tanh(x, min_val=-1.0, max_val=1.0):
    r"""``x`` clipped to ``[min_val, max_val]``."""
    return mx.minimum(mx.maximum(x, min_val), max_val)


def hard_shrink(x, lambd=0.5):
    r"""``x`` where :math:`|x| > \lambda`, else 0."""
    return mx.where(mx.abs(x) > lambd, x, 0)


def softmin(x, axis=-1):
    r""":math:`\text{softmax}(-x)` along ``axis``."""
    return mx.softmax(-x, axis=axis)


def tanh(x):
    r"""Hyperbolic tangent."""
    return mx.tanh(x)


# ---------------------------------------------------------------------------- modules


def _module_of(fn, name):
    """A parameter-free module class that applies ``fn``."""

    def __call__(self, x):
        return fn(x)

    return type(name, (Module,), {
        "__call__": __call__,
        "__doc__": f"Applies :func:`{fn.__name__}` elementwise.",
    })


Sigmoid = _module_of(sigmoid, "Sigmoid")
ReLU = _module_of(relu, "ReLU")
ReLU2 = _module_of(relu2, "ReLU2")
ReLU6 = _module_of(relu6, "ReLU6")
Softmax = _module_of(softmax, "Softmax")
Softplus = _module_of(softplus, "Softplus")
Softsign = _module_of(softsign, "Softsign")
SiLU = _module_of(silu, "SiLU")
LogSoftmax = _module_of(log_softmax, "LogSoftmax")
LogSigmoid = _module_of(log_sigmoid, "LogSigmoid")
Mish = _module_of(mish, "Mish")
Tanh = _module_of(tanh, "Tanh")
Hardswish = _module_of(hardswish, "Hardswish")
SELU = _module_of(selu, "SELU")
HardTanh = _module_of(hard_tanh, "HardTanh")
Softmin = _module_of(softmin, "Softmin")

for _cls in (Sigmoid, ReLU, ReLU2, ReLU6, Softmax, Softplus, Softsign, SiLU, LogSoftmax,
             LogSigmoid, Mish, Tanh, Hardswish, SELU, HardTanh, Softmin):
    _cls.__module__ = __name__
del _cls


class GLU(Module):
    """Applies :func:`glu` along ``axis``."""

    def __init__(self, axis: int = -1):
        super().__init__()
        self.axis = axis

    def __call__(self, x):
        return glu(x, self.axis)


class LeakyReLU(Module):
    """Applies :func:`leaky_relu` with ``negative_slope``."""

    def __init__(self, negative_slope=1e-2):
        super().__init__()
        self._negative_slope = negative_slope

    def __call__(self, x):
        return leaky_relu(x, self._negative_slope)


class ELU(Module):
    """Applies :func:`elu` with ``alpha``."""

    def __init__(self, alpha=1.0):
        super().__init__()
        self._alpha = alpha

    def __call__(self, x):
        return elu(x, self._alpha)


class CELU(Module):
    """Applies :func:`celu` with ``alpha``."""

    def __init__(self, alpha=1.0):
        super().__init__()
        self._alpha = alpha

    def __call__(self, x):
        return celu(x, self._alpha)


class Softshrink(Module):
    """Applies :func:`softshrink` with ``lambd``."""

    def __init__(self, lambd=0.5):
        super().__init__()
        self.lambd = lambd

    def __call__(self, x):
        return softshrink(x, self.lambd)


class HardShrink(Module):
    """Applies :func:`hard_shrink` with ``lambd``."""

    def __init__(self, lambd=0.5):
        super().__init__()
        self.lambd = lambd

    def __call__(self, x):
        return hard_shrink(x, self.lambd)


class Step(Module):
    """Applies :func:`step` with ``threshold``."""

    def __init__(self, threshold: float = 0.0):
        super().__init__()
        self.threshold = threshold

    def __call__(self, x):
        return step(x, self.threshold)


class PReLU(Module):
    """Applies :func:`prelu` with a learned slope ``weight`` (``num_parameters``
    values, initialised to ``init``)."""

    def __init__(self, num_parameters=1, init=0.25):
        super().__init__()
        self.weight = mx.full([num_parameters], init)

    def __call__(self, x):
        return prelu(x, self.weight)


class GELU(Module):
    """GELU: ``approx="none"`` the exact erf form (:func:`gelu`), ``"precise"`` or
    ``"tanh"`` the tanh approximation (:func:`gelu_approx`), ``"fast"`` the
    sigmoid approximation (:func:`gelu_fast_approx`)."""

    _FORMS = {"none": gelu, "precise": gelu_approx, "tanh": gelu_approx,
              "fast": gelu_fast_approx}

    def __init__(self, approx="none"):
        super().__init__()
        if approx not in self._FORMS:
            raise ValueError(
                f"The approximation should be in {list(self._FORMS)} but '{approx}' was given")
        self._approx = approx

    def __call__(self, x):
        return self._FORMS[self._approx](x)
