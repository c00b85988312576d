"""Loss functions, as ``mlx.nn.losses``.

Every loss takes ``reduction``: ``"none"`` (the per-element/per-sample losses),
``"mean"`` or ``"sum"``; the defaults are MLX's (``"none"`` for the
classification losses, ``"mean"`` for the regression ones).
"""

from __future__ import annotations

import math
from typing import Literal

from .. import core as mx

__all__ = [
    "cross_entropy", "binary_cross_entropy", "l1_loss", "mse_loss", "nll_loss",
    "gaussian_nll_loss", "kl_div_loss", "smooth_l1_loss", "triplet_loss", "hinge_loss",
    "huber_loss", "log_cosh_loss", "cosine_similarity_loss", "margin_ranking_loss",
]

Reduction = Literal["none", "mean", "sum"]
_REDUCTIONS = ("none", "mean", "sum")


def _reduce(loss, reduction: str = "none"):
    if reduction not in _REDUCTIONS:
        raise ValueError(f"Invalid reduction. Must be one of {_REDUCTIONS}.")
    if reduction == "mean":
        return mx.mean(loss)
    if reduction == "sum":
        return mx.sum(loss)
    return loss


def _check_same_shape(a, b, a_name, b_name):
    if a.shape != b.shape:
        raise ValueError(
            f"{a_name} shape {a.shape} does not match {b_name.lower()} shape {b.shape}.")


def _apply_weights(loss, weights):
    if weights is None:
        return loss
    if weights.shape != loss.shape:
        raise ValueError(
            f"Weights with shape {weights.shape} is not the same as output loss with "
            f"shape {loss.shape}.")
    return loss * weights


def cross_entropy(logits, targets, weights=None, axis: int = -1,
                  label_smoothing: float = 0.0, reduction: Reduction = "none"):
    r"""Cross entropy between ``logits`` (unnormalized) and ``targets``.

    ``targets`` are class indices (``logits``' shape without ``axis``) or
    probabilities (``logits``' shape). ``label_smoothing`` in ``[0, 1)`` mixes
    the targets with the uniform distribution; ``weights`` (the loss's shape)
    scale each loss before the reduction.
    """
    if label_smoothing < 0 or label_smoothing >= 1:
        raise ValueError(f"Label smoothing must be in [0, 1), got {label_smoothing}.")
    probs = targets.ndim == logits.ndim
    if probs:
        expected = logits.shape
    else:
        expected = list(logits.shape)
        expected.pop(axis)
        expected = tuple(expected)
    if targets.shape != expected:
        raise ValueError(
            f"Targets shape {targets.shape} does not match logits shape {logits.shape}.")

    # MLX's formula: no shifted copy of the logits is ever materialized, so the
    # logsumexp fuses into one pass per block of rows.
    if probs:
        score = mx.sum(logits * targets, axis=axis)
    else:
        score = mx.take_along_axis(logits, mx.expand_dims(targets, axis), axis).squeeze(axis)
    lse = mx.logsumexp(logits, axis=axis)
    if label_smoothing > 0:
        loss = (lse - (1 - label_smoothing) * score
                - label_smoothing * logits.mean(axis=axis))
    else:
        loss = lse - score
    return _reduce(_apply_weights(loss, weights), reduction)


def binary_cross_entropy(inputs, targets, weights=None, with_logits: bool = True,
                         reduction: Reduction = "mean"):
    r"""Binary cross entropy of ``inputs`` (logits if ``with_logits``, else
    probabilities, whose logs are clipped at -100) against ``targets`` in [0, 1]."""
    _check_same_shape(inputs, targets, "Inputs", "Targets")
    if with_logits:
        loss = mx.logaddexp(0.0, inputs) - inputs * targets
    else:
        log_p = mx.clip(mx.log(inputs), a_min=-100, a_max=None)
        log_not_p = mx.clip(mx.log(1 - inputs), a_min=-100, a_max=None)
        loss = -(targets * log_p + (1 - targets) * log_not_p)
    return _reduce(_apply_weights(loss, weights), reduction)


def l1_loss(predictions, targets, reduction: Reduction = "mean"):
    r"""Mean absolute error :math:`|p - t|`."""
    _check_same_shape(predictions, targets, "Predictions", "Targets")
    return _reduce(mx.abs(predictions - targets), reduction)


def mse_loss(predictions, targets, reduction: Reduction = "mean"):
    r"""Mean squared error :math:`(p - t)^2`."""
    _check_same_shape(predictions, targets, "Predictions", "Targets")
    return _reduce(mx.square(predictions - targets), reduction)


def nll_loss(inputs, targets, axis: int = -1, reduction: Reduction = "none"):
    r"""Negative log likelihood: ``-inputs`` (log probabilities) at the target
    class indices along ``axis``."""
    picked = mx.take_along_axis(inputs, mx.expand_dims(targets, axis), axis).squeeze(axis)
    return _reduce(-picked, reduction)


def gaussian_nll_loss(inputs, targets, vars, full: bool = False, eps: float = 1e-6,
                      reduction: Reduction = "mean"):
    r"""Gaussian negative log likelihood of ``targets`` under means ``inputs`` and
    variances ``vars`` (clamped at ``eps``); ``full`` adds :math:`\log(2\pi)/2`."""
    _check_same_shape(inputs, targets, "Inputs", "Targets")
    _check_same_shape(inputs, vars, "Inputs", "Vars")
    vars = mx.maximum(vars, eps)
    loss = 0.5 * (mx.log(vars) + mx.square(targets - inputs) / vars)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)


def kl_div_loss(inputs, targets, axis: int = -1, reduction: Reduction = "none"):
    r"""Kullback-Leibler divergence, both arguments given as log probabilities."""
    return _reduce(mx.sum(mx.exp(targets) * (targets - inputs), axis), reduction)


def smooth_l1_loss(predictions, targets, beta: float = 1.0, reduction: Reduction = "mean"):
    r"""Quadratic :math:`0.5 d^2/\beta` below ``beta``, linear :math:`|d| - 0.5\beta` above."""
    _check_same_shape(predictions, targets, "Predictions", "Targets")
    diff = mx.abs(predictions - targets)
    loss = mx.where(diff < beta, 0.5 * mx.square(diff) / beta, diff - 0.5 * beta)
    return _reduce(loss, reduction)


def triplet_loss(anchors, positives, negatives, axis: int = -1, p: int = 2,
                 margin: float = 1.0, eps: float = 1e-6, reduction: Reduction = "none"):
    r""":math:`\max(\|a - p\|_p - \|a - n\|_p + \text{margin}, 0)`."""
    def dist(a, b):
        return mx.power(mx.power(mx.abs(a - b), p).sum(axis) + eps, 1.0 / p)

    loss = mx.maximum(dist(anchors, positives) - dist(anchors, negatives) + margin, 0)
    return _reduce(loss, reduction)


def hinge_loss(inputs, targets, reduction: Reduction = "none"):
    r""":math:`\max(1 - y t, 0)` for targets in {-1, 1}."""
    return _reduce(mx.maximum(1 - inputs * targets, 0), reduction)


def huber_loss(inputs, targets, delta: float = 1.0, reduction: Reduction = "none"):
    r"""Quadratic below ``delta``, linear above (scaled by ``delta``)."""
    err = mx.abs(inputs - targets)
    quad = mx.minimum(err, delta)
    return _reduce(0.5 * quad**2 + delta * (err - quad), reduction)


def log_cosh_loss(inputs, targets, reduction: Reduction = "none"):
    r""":math:`\log\cosh(x - t)`, computed stably."""
    err = inputs - targets
    return _reduce(mx.logaddexp(err, -err) - math.log(2), reduction)


def cosine_similarity_loss(x1, x2, axis: int = 1, eps: float = 1e-8,
                           reduction: Reduction = "none"):
    r"""Cosine similarity :math:`x_1 \cdot x_2 / \max(\|x_1\| \|x_2\|, \epsilon)` along ``axis``."""
    n1 = mx.sqrt(mx.sum(mx.square(x1), axis=axis))
    n2 = mx.sqrt(mx.sum(mx.square(x2), axis=axis))
    return _reduce(mx.sum(x1 * x2, axis=axis) / mx.maximum(n1 * n2, eps), reduction)


def margin_ranking_loss(inputs1, inputs2, targets, margin: float = 0.0,
                        reduction: Reduction = "none"):
    r""":math:`\max(0, -t (x_1 - x_2) + \text{margin})` for targets in {-1, 1}."""
    if not (inputs1.shape == inputs2.shape == targets.shape):
        raise ValueError(
            f"The shapes of the arguments do not match. The provided shapes are "
            f"inputs1.shape={inputs1.shape}, inputs2.shape={inputs2.shape}, and "
            f"targets.shape={targets.shape}.")
    return _reduce(mx.maximum(0, -targets * (inputs1 - inputs2) + margin), reduction)
