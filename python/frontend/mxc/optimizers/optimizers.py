"""Optimizers, as ``mlx.optimizers``: same constructor arguments, state layout
(``optimizer.state``: a dict with ``"step"``, ``"learning_rate"`` and one dict
of buffers per parameter) and update formulas."""

from __future__ import annotations

from typing import Callable, Sequence, Union

from .. import core as mx
from ..utils import tree_flatten, tree_map, tree_merge, tree_reduce, tree_unflatten

__all__ = ["Optimizer", "MultiOptimizer", "SGD", "RMSprop", "Adagrad", "AdaDelta", "Adam",
           "AdamW", "Adamax", "Lion", "clip_grad_norm"]

Schedulable = Union[float, mx.array, Callable[[mx.array], mx.array]]


def _empty_state_like(tree):
    return tree_map(lambda _: {}, tree)


def _grow_state(params, state):
    """Adds an empty per-parameter state (``{}``) wherever ``params`` has a
    parameter that ``state`` lacks; returns the (possibly new) state node."""
    if isinstance(params, (list, tuple)):
        grown = [_grow_state(p, s) for p, s in zip(params, state)]
        grown.extend(_empty_state_like(list(params[len(grown):])))
        return type(params)(grown)
    if isinstance(params, dict):
        for key, value in params.items():
            state[key] = _grow_state(value, state[key]) if key in state \
                else _empty_state_like(value)
        return state
    return state


class Optimizer:
    """The base class: subclasses define ``init_single(parameter, state)``
    (fills the per-parameter ``state`` dict) and ``apply_single(gradient,
    parameter, state)`` (returns the new parameter and updates ``state``).

    Hyperparameters registered with ``_maybe_schedule`` live in ``state`` as
    arrays; a callable is a schedule, evaluated at the current step before each
    update.
    """

    def __init__(self, schedulers=None):
        self._initialized = False
        self._state = {"step": mx.array(0, mx.uint64)}
        self._schedulers = dict(schedulers or {})

    def update(self, model, gradients: dict):
        """Applies ``gradients`` (a tree like ``model.trainable_parameters()``) to
        ``model``'s parameters."""
        model.update(self.apply_gradients(gradients, model))

    def init(self, parameters: dict):
        """Creates the state of every parameter in ``parameters`` that has none
        yet (existing state is kept). Called by the first update if needed."""
        _grow_state(parameters, self._state)

        def init_one(param, state):
            if not state:
                self.init_single(param, state)

        tree_map(init_one, parameters, self._state)
        self._initialized = True

    def init_single(self, parameter: mx.array, state: dict):
        raise NotImplementedError()

    def apply_gradients(self, gradients: dict, parameters: dict) -> dict:
        """The updated parameters (a tree like ``gradients``) for ``gradients``
        and the current ``parameters``; advances the step and the schedules."""
        if not self._initialized:
            self.init(gradients)
        for name, schedule in self._schedulers.items():
            self.state[name] = schedule(self.step)
        self.state["step"] = self.step + 1
        return tree_map(self.apply_single, gradients, parameters, self.state)

    def apply_single(self, gradient: mx.array, parameter: mx.array, state: dict):
        raise NotImplementedError()

    @property
    def state(self) -> dict:
        """The optimizer's state (a tree of arrays, e.g. to save and restore)."""
        return self._state

    @state.setter
    def state(self, state: dict):
        self._initialized = False
        self._state = state

    @property
    def step(self) -> mx.array:
        """The number of updates done (a uint64 array)."""
        return self.state["step"]

    @property
    def learning_rate(self) -> mx.array:
        return self.state["learning_rate"]

    @learning_rate.setter
    def learning_rate(self, learning_rate: Union[float, mx.array]):
        self.state["learning_rate"] = mx.array(learning_rate)

    def _maybe_schedule(self, name: str, value: Schedulable):
        """Stores hyperparameter ``name``: a schedule (callable of the step) or a
        constant."""
        if callable(value):
            self._schedulers[name] = value
            current = value(self.step)
        else:
            current = mx.array(value)
        self.state[name] = current


class MultiOptimizer(Optimizer):
    """Several optimizers over one model: the gradient named ``k`` goes to the
    first optimizer whose filter ``filters[i](k, grad)`` is true, the remaining
    ones to the last optimizer (``len(filters) == len(optimizers) - 1``)."""

    def __init__(self, optimizers, filters: list = []):
        super().__init__()
        self._state = {}
        if len(filters) != len(optimizers) - 1:
            raise ValueError(f"Given {len(filters)} filters but {len(optimizers) - 1} needed.")
        self.optimizers = optimizers
        self.filters = list(filters) + [lambda *args, **kwargs: True]

    def _split(self, gradients: dict):
        if len(self.optimizers) == 1:
            return [gradients]
        parts = [[] for _ in self.optimizers]
        for name, grad in tree_flatten(gradients):
            for part, keep in zip(parts, self.filters):
                if keep(name, grad):
                    part.append((name, grad))
                    break
        return [tree_unflatten(p) if p else {} for p in parts]

    def init(self, parameters: dict):
        for opt, part in zip(self.optimizers, self._split(parameters)):
            opt.init(part)

    def apply_gradients(self, gradients: dict, parameters: dict) -> dict:
        merged = {}
        for opt, part in zip(self.optimizers, self._split(gradients)):
            merged = tree_merge(merged, opt.apply_gradients(part, parameters))
        return merged

    @property
    def state(self) -> dict:
        return {"states": [opt.state for opt in self.optimizers]}

    @state.setter
    def state(self, state: dict):
        if "states" not in state or len(state["states"]) != len(self.optimizers):
            raise ValueError("Invalid state provided")
        for opt, s in zip(self.optimizers, state["states"]):
            opt.state = s

    @property
    def learning_rate(self):
        return self.optimizers[0].learning_rate

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        for opt in self.optimizers:
            opt.learning_rate = learning_rate


class SGD(Optimizer):
    r"""Stochastic gradient descent with optional momentum:

    .. math::
        g &\leftarrow g + \lambda w \\
        v &\leftarrow \mu v + (1 - \tau) g \\
        w &\leftarrow w - \eta (g + \mu v \text{ if nesterov else } v)

    (without momentum, :math:`w \leftarrow w - \eta g`).
    """

    def __init__(self, learning_rate: Schedulable, momentum: float = 0.0,
                 weight_decay: float = 0.0, dampening: float = 0.0, nesterov: bool = False):
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening.")
        super().__init__()
        self._maybe_schedule("learning_rate", learning_rate)
        self.momentum = momentum
        self.weight_decay = weight_decay
        self.dampening = dampening
        self.nesterov = nesterov

    def init_single(self, parameter, state):
        state["v"] = mx.zeros_like(parameter)

    def apply_single(self, gradient, parameter, state):
        if self.weight_decay != 0:
            gradient = gradient + self.weight_decay * parameter
        lr = self.learning_rate.astype(gradient.dtype)
        if self.momentum <= 0:
            return parameter - lr * gradient
        v = self.momentum * state.get("v")
        if self.dampening > 0:
            v = v + (1 - self.dampening) * gradient
        else:
            v = v + gradient
        state["v"] = v
        step = gradient + self.momentum * v if self.nesterov else v
        return parameter - lr * step


class RMSprop(Optimizer):
    r""":math:`v \leftarrow \alpha v + (1-\alpha) g^2`,
    :math:`w \leftarrow w - \eta g / (\sqrt{v} + \epsilon)`."""

    def __init__(self, learning_rate: Schedulable, alpha: float = 0.99, eps: float = 1e-8):
        super().__init__()
        self._maybe_schedule("learning_rate", learning_rate)
        self.alpha = alpha
        self.eps = eps
        if alpha < 0.0:
            raise ValueError(f"RMSprop alpha should be >=0, {alpha} was provided instead")
        if eps <= 0.0:
            raise ValueError(f"RMSprop epsilon should be >0, {eps} was provided instead")

    def init_single(self, parameter, state):
        state["v"] = mx.zeros_like(parameter)

    def apply_single(self, gradient, parameter, state):
        lr = self.learning_rate.astype(gradient.dtype)
        v = self.alpha * state["v"] + (1 - self.alpha) * mx.square(gradient)
        state["v"] = v
        return parameter - lr * gradient / (mx.sqrt(v) + self.eps)


class Adagrad(Optimizer):
    r""":math:`v \leftarrow v + g^2`, :math:`w \leftarrow w - \eta g / (\sqrt{v} + \epsilon)`."""

    def __init__(self, learning_rate: Schedulable, eps: float = 1e-8):
        super().__init__()
        self._maybe_schedule("learning_rate", learning_rate)
        self.eps = eps
        if eps <= 0.0:
            raise ValueError(f"Adagrad epsilon should be >0, {eps} was provided instead")

    def init_single(self, parameter, state):
        state["v"] = mx.zeros_like(parameter)

    def apply_single(self, gradient, parameter, state):
        lr = self.learning_rate.astype(gradient.dtype)
        v = state["v"] + mx.square(gradient)
        state["v"] = v
        return parameter - lr * gradient / (mx.sqrt(v) + self.eps)


class AdaDelta(Optimizer):
    r"""AdaDelta: running averages of squared gradients (``v``) and squared
    updates (``u``) with decay ``rho``."""

    def __init__(self, learning_rate: Schedulable, rho: float = 0.9, eps: float = 1e-6):
        super().__init__()
        self._maybe_schedule("learning_rate", learning_rate)
        self.rho = rho
        self.eps = eps
        if rho < 0.0:
            raise ValueError(f"AdaDelta rho should be >=0, {rho} was provided instead")
        if eps <= 0.0:
            raise ValueError(f"AdaDelta epsilon should be >0, {eps} was provided instead")

    def init_single(self, parameter, state):
        state["v"] = mx.zeros_like(parameter)
        state["u"] = mx.zeros_like(parameter)

    def apply_single(self, gradient, parameter, state):
        lr = self.learning_rate.astype(gradient.dtype)
        rho, eps = self.rho, self.eps
        v = rho * state["v"] + (1 - rho) * mx.square(gradient)
        d = mx.sqrt(state["u"] + eps) / mx.sqrt(v + eps) * gradient
        u = rho * state["u"] + (1 - rho) * mx.square(d)
        state["v"] = v
        state["u"] = u
        return parameter - lr * d


class Adam(Optimizer):
    r"""Adam:

    .. math::
        m &\leftarrow \beta_1 m + (1 - \beta_1) g \\
        v &\leftarrow \beta_2 v + (1 - \beta_2) g^2 \\
        w &\leftarrow w - \eta\, m / (\sqrt{v} + \epsilon)

    With ``bias_correction`` the moments are divided by :math:`1-\beta_i^t`
    (MLX's default is without).
    """

    def __init__(self, learning_rate: Schedulable, betas: Sequence[float] = (0.9, 0.999),
                 eps: float = 1e-8, bias_correction: bool = False):
        super().__init__()
        for i, beta in enumerate(betas):
            if not 0.0 <= beta < 1.0:
                raise ValueError(
                    f"Adam beta{i + 1} should be in [0, 1), {beta} was provided instead")
        if not 0.0 <= eps:
            raise ValueError(f"Adam epsilon should be >=0, {eps} was provided instead")
        self._maybe_schedule("learning_rate", learning_rate)
        self.betas = list(betas)
        self.eps = eps
        self.bias_correction = bias_correction

    def init_single(self, parameter, state):
        state["m"] = mx.zeros_like(parameter)
        state["v"] = mx.zeros_like(parameter)

    def apply_single(self, gradient, parameter, state):
        dtype = gradient.dtype
        lr = self.learning_rate.astype(dtype)
        b1, b2 = self.betas
        m = b1 * state["m"] + (1 - b1) * gradient
        v = b2 * state["v"] + (1 - b2) * mx.square(gradient)
        state["m"] = m
        state["v"] = v
        if self.bias_correction:
            t = self.step
            c1 = (lr / (1 - b1**t)).astype(dtype)
            c2 = mx.rsqrt(1 - b2**t).astype(dtype)
            return parameter - (c1 * m) / (mx.sqrt(v) * c2 + self.eps)
        return parameter - lr * m / (mx.sqrt(v) + self.eps)


class AdamW(Adam):
    r"""Adam with decoupled weight decay: :math:`w \leftarrow w (1 - \eta\lambda)`
    before the Adam step."""

    def __init__(self, learning_rate: Schedulable, betas: Sequence[float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.01, bias_correction: bool = False):
        super().__init__(learning_rate=learning_rate, betas=betas, eps=eps,
                         bias_correction=bias_correction)
        self.weight_decay = weight_decay

    def apply_single(self, gradient, parameter, state):
        lr = self.learning_rate.astype(gradient.dtype)
        return super().apply_single(gradient, parameter * (1 - lr * self.weight_decay), state)


class Adamax(Adam):
    r"""Adamax: Adam with the infinity norm, :math:`v \leftarrow \max(\beta_2 v, |g|)`."""

    def __init__(self, learning_rate: Schedulable, betas: Sequence[float] = (0.9, 0.999),
                 eps: float = 1e-8):
        super().__init__(learning_rate, betas, eps)

    def apply_single(self, gradient, parameter, state):
        lr = self.learning_rate.astype(gradient.dtype)
        b1, b2 = self.betas
        m = b1 * state["m"] + (1 - b1) * gradient
        v = mx.maximum(b2 * state["v"], mx.abs(gradient))
        state["m"] = m
        state["v"] = v
        return parameter - lr * m / (v + self.eps)


class Lion(Optimizer):
    r"""Lion: :math:`w \leftarrow w - \eta\,\text{sign}(\beta_1 m + (1-\beta_1) g)`,
    :math:`m \leftarrow \beta_2 m + (1-\beta_2) g` (and decoupled weight decay)."""

    def __init__(self, learning_rate: Schedulable, betas: Sequence[float] = (0.9, 0.99),
                 weight_decay: float = 0.0):
        super().__init__()
        for i, beta in enumerate(betas):
            if not 0.0 <= beta < 1.0:
                raise ValueError(
                    f"Lion beta{i + 1} should be in [0, 1), {beta} was provided instead")
        self._maybe_schedule("learning_rate", learning_rate)
        self.betas = list(betas)
        self.weight_decay = weight_decay

    def init_single(self, parameter, state):
        state["m"] = mx.zeros_like(parameter)

    def apply_single(self, gradient, parameter, state):
        lr = self.learning_rate.astype(gradient.dtype)
        b1, b2 = self.betas
        m = state["m"]
        direction = b1 * m + (1 - b1) * gradient
        state["m"] = b2 * m + (1 - b2) * gradient
        if self.weight_decay > 0:
            parameter = (1 - lr * self.weight_decay) * parameter
        return parameter - lr * mx.sign(direction)


def clip_grad_norm(grads, max_norm: float):
    """Scales ``grads`` down so that their global L2 norm is at most ``max_norm``;
    returns ``(clipped_grads, total_norm)``."""
    if max_norm < 0:
        raise ValueError(f"max_norm should be >=0, {max_norm} was provided instead")

    def squared(g):
        if g.dtype == mx.float16:
            g = g.astype(mx.float32)
        return mx.square(g).sum()

    total = mx.sqrt(tree_reduce(lambda acc, g: acc + squared(g), grads, 0.0))
    factor = mx.minimum(max_norm / (total + 1e-6), 1.0)

    def scale(g):
        if mx.issubdtype(g.dtype, mx.floating):
            return (g * factor).astype(g.dtype)
        return g * factor

    return tree_map(scale, grads), total
