"""``Module``: the base class of layers and models, as ``mlx.nn.Module``.

A module is a ``dict`` of its members: arrays (parameters), submodules, and
lists/dicts of them, reachable as attributes too (``model.layers[0].weight``).
Other attributes (ints, strings, callables) live in the instance ``__dict__``
and are not part of the tree.
"""

from __future__ import annotations

import os
import textwrap
from typing import Any, Callable, List, Optional, Tuple, Union

from ... import core as mx
from ...utils import tree_flatten, tree_unflatten

__all__ = ["Module"]

_TREE_TYPES = (mx.array, dict, list, tuple)


def _identity(x):
    return x


class Module(dict):
    """Base class for neural network layers and models.

    Subclasses call ``super().__init__()`` and assign arrays, submodules and
    lists/dicts of them as attributes; :meth:`parameters` collects the arrays.

    >>> import mxc.core as mx
    >>> import mxc.nn as nn
    >>> class MLP(nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.layers = [nn.Linear(2, 8), nn.Linear(8, 1)]
    ...     def __call__(self, x):
    ...         return self.layers[1](nn.relu(self.layers[0](x)))
    >>> from mxc.utils import tree_flatten
    >>> [k for k, _ in tree_flatten(MLP().parameters())]
    ['layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias']
    """

    __call__: Callable

    def __init__(self):
        self._no_grad = set()
        self._training = True

    # ------------------------------------------------------------------ basics
    @property
    def training(self) -> bool:
        """Whether the module is in training mode (see :meth:`train`)."""
        return self._training

    @property
    def state(self) -> "Module":
        """The module itself: every member, parameters included, by reference."""
        return self

    def _extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        children = tree_flatten(self.children(), is_leaf=self.is_module)
        lines = [f"{type(self).__name__}({self._extra_repr()}"]
        for name, child in children:
            lines.append(textwrap.indent(f"({name}): {child!r}", "  "))
        return "\n".join(lines) + ("\n)" if children else ")")

    def __getattr__(self, key: str):
        value = self.get(key, None)
        if value is not None:
            return value
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{key}'")

    def __setattr__(self, key: str, value: Any):
        if isinstance(value, _TREE_TYPES):
            # A plain attribute of that name would shadow the dict entry.
            if key in self.__dict__:
                object.__delattr__(self, key)
            self[key] = value
        else:
            object.__setattr__(self, key, value)
            self.pop(key, None)

    def __delattr__(self, key: str):
        if self.get(key, None) is not None:
            del self[key]
        else:
            object.__delattr__(self, key)

    # ------------------------------------------------------------------ weights I/O
    def load_weights(
        self,
        file_or_weights: Union[str, os.PathLike, List[Tuple[str, mx.array]]],
        strict: bool = True,
    ) -> "Module":
        """Sets the parameters from a ``.npz``/``.safetensors`` file or a list of
        ``(dotted_name, array)`` pairs.

        With ``strict`` (the default) the names must be exactly the model's
        parameters and every shape must match, otherwise a ValueError names the
        unexpected, missing or mismatched parameters. Without it, only the names
        the model has are loaded, and shapes are not checked.
        """
        weights = file_or_weights
        if isinstance(weights, (str, os.PathLike)):
            weights = list(mx.load(os.fspath(weights)).items())
        elif isinstance(weights, dict):
            weights = list(weights.items())
        else:
            weights = list(weights)

        if strict:
            given = dict(weights)
            current = tree_flatten(self.parameters(), destination={})
            unexpected = sorted(given.keys() - current.keys())
            if unexpected:
                raise ValueError(
                    f"Received {len(unexpected)} parameters not in model: \n"
                    + ",\n".join(unexpected) + ".")
            missing = sorted(current.keys() - given.keys())
            if missing:
                raise ValueError(
                    f"Missing {len(missing)} parameters: \n" + ",\n".join(missing) + ".")
            for name, value in current.items():
                new = given[name]
                if not isinstance(new, mx.array):
                    raise ValueError(
                        f"Expected mx.array but received {type(new)} for parameter {name}")
                if tuple(new.shape) != tuple(value.shape):
                    raise ValueError(
                        f"Expected shape {value.shape} but received shape {new.shape} "
                        f"for parameter {name}")

        if weights:
            self.update(tree_unflatten(weights), strict=False)
        return self

    def save_weights(self, file: Union[str, os.PathLike]):
        """Saves the parameters by dotted name: ``.npz`` through ``mx.savez``,
        ``.safetensors`` through ``mx.save_safetensors``."""
        file = os.fspath(file)
        flat = tree_flatten(self.parameters(), destination={})
        if file.endswith(".npz"):
            mx.savez(file, **flat)
        elif file.endswith(".safetensors"):
            mx.save_safetensors(file, flat)
        else:
            raise ValueError(
                f"Unsupported file extension for {file}. Use '.npz' or '.safetensors'.")

    # ------------------------------------------------------------------ filters
    @staticmethod
    def is_module(value) -> bool:
        return isinstance(value, Module)

    @staticmethod
    def valid_child_filter(module, key, value) -> bool:
        return isinstance(value, (dict, list))

    @staticmethod
    def valid_parameter_filter(module, key, value) -> bool:
        return isinstance(value, (dict, list, mx.array)) and not key.startswith("_")

    @staticmethod
    def trainable_parameter_filter(module, key, value) -> bool:
        return (Module.valid_parameter_filter(module, key, value)
                and key not in module._no_grad)

    def filter_and_map(
        self,
        filter_fn: Callable[["Module", str, Any], bool],
        map_fn: Optional[Callable] = None,
        is_leaf_fn: Optional[Callable[["Module", str, Any], bool]] = None,
    ) -> dict:
        """The members kept by ``filter_fn(module, key, value)``, recursively, as
        a tree of dicts and lists whose leaves are passed through ``map_fn``.

        Inside a plain dict/list member the key given to the filters is the
        dotted path from the owning module (``"layers.0"``); a filtered-out
        element of a dict/list is kept as an empty dict so positions survive.
        """
        map_fn = map_fn or _identity
        if is_leaf_fn is None:
            def is_leaf_fn(m, k, v):
                return not isinstance(v, (Module, dict, list))

        def walk(owner, key, value):
            if is_leaf_fn(owner, key, value):
                return map_fn(value)
            if isinstance(value, Module):
                return {k: walk(value, k, v) for k, v in value.items()
                        if filter_fn(value, k, v)}
            if isinstance(value, dict):
                out = {}
                for k, v in value.items():
                    path = f"{key}.{k}"
                    out[k] = walk(owner, path, v) if filter_fn(owner, path, v) else {}
                return out
            if isinstance(value, list):
                out = []
                for i, v in enumerate(value):
                    path = f"{key}.{i}"
                    out.append(walk(owner, path, v) if filter_fn(owner, path, v) else {})
                return out
            raise RuntimeError("Unexpected leaf found while traversing the module")

        return {k: walk(self, k, v) for k, v in self.items() if filter_fn(self, k, v)}

    def parameters(self) -> dict:
        """Every array member (recursively) as a tree of dicts and lists."""
        return self.filter_and_map(self.valid_parameter_filter)

    def trainable_parameters(self) -> dict:
        """The array members that are not frozen (see :meth:`freeze`)."""
        return self.filter_and_map(self.trainable_parameter_filter)

    def children(self) -> dict:
        """The direct submodules (inside lists/dicts too)."""
        return self.filter_and_map(
            self.valid_child_filter, is_leaf_fn=lambda m, k, v: isinstance(v, Module))

    def leaf_modules(self) -> dict:
        """The submodules that contain no other module."""
        def is_leaf_module(m, k, v):
            return isinstance(v, Module) and len(tree_flatten(v.children())) == 0

        return self.filter_and_map(self.valid_child_filter, is_leaf_fn=is_leaf_module)

    # ------------------------------------------------------------------ updates
    def update(self, parameters: dict, strict: bool = True) -> "Module":
        """Replaces the parameters found in ``parameters`` (a full or partial tree
        like :meth:`parameters`). With ``strict`` every given name must exist and
        replace an array with an array."""

        def set_leaf(container, key, new):
            if strict and not isinstance(new, mx.array):
                raise ValueError(f"Received invalid type: {type(new).__name__}.")
            container[key] = new

        def assign(dst, src):
            if isinstance(src, dict):
                for k, new in src.items():
                    if k not in dst:
                        if strict:
                            raise ValueError(f'Module does not have parameter named "{k}".')
                        continue
                    if isinstance(dst[k], mx.array):
                        set_leaf(dst, k, new)
                    else:
                        assign(dst[k], new)
            elif isinstance(src, list):
                for i, new in enumerate(src):
                    if i >= len(dst):
                        if strict:
                            raise ValueError(
                                f"List index {i} is out of bounds for destination of "
                                f"length {len(dst)}.")
                        continue
                    if isinstance(dst[i], mx.array):
                        set_leaf(dst, i, new)
                    else:
                        assign(dst[i], new)
            elif strict:
                raise ValueError(f"Received invalid type: {type(src).__name__}.")

        assign(self, parameters)
        return self

    def apply(self, map_fn: Callable[[mx.array], mx.array],
              filter_fn: Optional[Callable[["Module", str, Any], bool]] = None) -> "Module":
        """Replaces every parameter (selected by ``filter_fn``, default
        :meth:`valid_parameter_filter`) by ``map_fn(parameter)``."""
        filter_fn = filter_fn or Module.valid_parameter_filter
        self.update(self.filter_and_map(filter_fn, map_fn))
        return self

    def update_modules(self, modules: dict, strict: bool = True) -> "Module":
        """Replaces the submodules found in ``modules`` (a tree like
        :meth:`children`); with ``strict`` every given name must exist."""

        def assign(dst, src):
            if isinstance(src, dict):
                pairs = [(k, v, k in dst) for k, v in src.items()]
                missing_msg = 'Module does not have sub-module named "{}".'
            elif isinstance(src, list):
                pairs = [(i, v, i < len(dst)) for i, v in enumerate(src)]
                missing_msg = None
            else:
                if strict:
                    raise ValueError(f"Received invalid type: {type(src).__name__}.")
                return
            for k, new, present in pairs:
                if not present:
                    if strict:
                        raise ValueError(
                            missing_msg.format(k) if missing_msg else
                            f"List index {k} is out of bounds for destination of "
                            f"length {len(dst)}.")
                    continue
                current = dst[k]
                if isinstance(current, Module) and isinstance(new, Module):
                    dst[k] = new
                elif isinstance(current, (dict, list)):
                    assign(current, new)
                elif strict and new != {}:
                    raise ValueError(f"Received invalid type: {type(new).__name__}.")

        assign(self, modules)
        return self

    def apply_to_modules(self, apply_fn: Callable[[str, "Module"], Any]) -> "Module":
        """Calls ``apply_fn(dotted_path, module)`` on this module ("" path) and
        every submodule."""
        pending = [("", self)]
        while pending:
            path, module = pending.pop()
            apply_fn(path, module)
            pending.extend(tree_flatten(module.children(), prefix=f".{path}" if path else "",
                                        is_leaf=self.is_module))
        return self

    def modules(self) -> list:
        """This module and all its submodules."""
        found = []
        self.apply_to_modules(lambda _, m: found.append(m))
        return found

    def named_modules(self) -> list:
        """``(dotted_path, module)`` for this module and all its submodules."""
        found = []
        self.apply_to_modules(lambda k, m: found.append((k, m)))
        return found

    # ------------------------------------------------------------------ freezing
    def _validate_keys(self, keys, strict):
        keys = keys if isinstance(keys, list) else [keys]
        if strict:
            for k in keys:
                if k not in self:
                    raise KeyError(f"Module doesn't contain member {k}.")
        return keys

    def _validate_keys_recursive(self, keys):
        keys = keys if isinstance(keys, list) else [keys]
        modules = self.modules()
        for k in keys:
            if not any(k in m for m in modules):
                raise KeyError(f"Module doesn't contain member {k}.")

    def freeze(self, *, recurse: bool = True, keys: Optional[Union[str, List[str]]] = None,
               strict: bool = False) -> "Module":
        """Excludes parameters from :meth:`trainable_parameters` (so from the
        gradients of :func:`mxc.nn.value_and_grad`): all of them, or only the
        members named ``keys`` (e.g. ``"bias"``), in every submodule unless
        ``recurse=False``. ``strict`` checks that the keys exist."""

        def freeze_one(_, module):
            names = keys
            if names is None:
                own = module.filter_and_map(
                    lambda m, k, v: not isinstance(v, Module)
                    and m.valid_parameter_filter(m, k, v))
                names = [k for k, _ in tree_flatten(own)]
            names = module._validate_keys(names, local_strict)
            module._no_grad.update(names)

        local_strict = strict
        if recurse:
            if strict and keys is not None:
                self._validate_keys_recursive(keys)
                local_strict = False
            self.apply_to_modules(freeze_one)
        else:
            freeze_one("", self)
        return self

    def unfreeze(self, *, recurse: bool = True, keys: Optional[Union[str, List[str]]] = None,
                 strict: bool = False) -> "Module":
        """Undoes :meth:`freeze` for all parameters or the members named ``keys``."""

        def unfreeze_one(_, module):
            if keys is None:
                module._no_grad.clear()
            else:
                module._no_grad.difference_update(module._validate_keys(keys, local_strict))

        local_strict = strict
        if recurse:
            if strict and keys is not None:
                self._validate_keys_recursive(keys)
                local_strict = False
            self.apply_to_modules(unfreeze_one)
        else:
            unfreeze_one("", self)
        return self

    # ------------------------------------------------------------------ modes, dtypes
    def _set_training_mode(self, mode: bool) -> None:
        self._training = mode

    def train(self, mode: bool = True) -> "Module":
        """Sets training mode (``mode=False``: evaluation mode) on every module."""
        self.apply_to_modules(lambda _, m: m._set_training_mode(mode))
        return self

    def eval(self) -> "Module":
        """Evaluation mode: ``train(False)``."""
        return self.train(False)

    def set_dtype(self, dtype: mx.Dtype,
                  predicate: Optional[Callable[[mx.Dtype], bool]] =
                  lambda t: mx.issubdtype(t, mx.floating)):
        """Casts the parameters whose dtype satisfies ``predicate`` (default:
        floating point ones) to ``dtype``."""
        if predicate is None:
            def predicate(_):
                return True
        self.apply(lambda x: x.astype(dtype) if predicate(x.dtype) else x)
