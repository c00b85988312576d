"""Learning-rate schedules, as ``mlx.optimizers``' schedulers: each returns a
callable of the step (an array) giving the value at that step.

>>> import mxc.core as mx
>>> import mxc.optimizers as optim
>>> optim.step_decay(0.1, 0.5, 10)(mx.array(25))
array(0.025, dtype=float32)
"""

from __future__ import annotations

import math
from typing import Callable, List

from .. import core as mx

__all__ = ["exponential_decay", "step_decay", "cosine_decay", "join_schedules",
           "linear_schedule"]


def exponential_decay(init: float, decay_rate: float) -> Callable:
    r""":math:`\text{init} \cdot \text{decay\_rate}^{\text{step}}`."""
    def schedule(step):
        return init * decay_rate**step

    return schedule


def step_decay(init: float, decay_rate: float, step_size: int) -> Callable:
    r""":math:`\text{init} \cdot \text{decay\_rate}^{\lfloor \text{step} / \text{step\_size} \rfloor}`."""
    if step_size < 1:
        raise ValueError(f"step_size must be greater than 0, but got {step_size}.")

    def schedule(step):
        return init * (decay_rate ** (step // step_size))

    return schedule


def cosine_decay(init: float, decay_steps: int, end: float = 0.0) -> Callable:
    r"""Half a cosine from ``init`` down to ``end`` over ``decay_steps`` steps,
    then ``end``."""
    if decay_steps < 1:
        raise ValueError(f"decay_steps must be greater than 0, but got {decay_steps}.")

    def schedule(step):
        s = mx.minimum(step, decay_steps)
        decay = 0.5 * (1.0 + mx.cos((math.pi / decay_steps) * s))
        return end + decay * (init - end)

    return schedule


def join_schedules(schedules: List[Callable], boundaries: List[int]) -> Callable:
    """``schedules[0]`` until ``boundaries[0]``, then ``schedules[1]`` (given the
    step minus the boundary), and so on."""
    if len(schedules) == 0:
        raise ValueError("Must provide at least 1 schedule to join.")
    if len(schedules) != len(boundaries) + 1:
        raise ValueError(
            f"Received {len(boundaries)} boundaries but expected {len(schedules) - 1}.")

    def schedule(step):
        value = schedules[0](step)
        for boundary, later in zip(boundaries, schedules[1:]):
            value = mx.where(step < boundary, value, later(step - boundary))
        return value

    return schedule


def linear_schedule(init: float, end: float, steps: int) -> Callable:
    """From ``init`` to ``end`` linearly over ``steps`` steps, then ``end``."""
    if steps < 1:
        raise ValueError(f"steps must be greater than 0, but got {steps}.")

    def schedule(step):
        step = mx.minimum(step, steps)
        return step * ((end - init) / steps) + init

    return schedule
