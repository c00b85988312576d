"""Devices and streams with MLX's API. The CPU is the default device; ``mx.gpu`` is
the best GPU the runtime finds (Metal on Apple, else Vulkan: a discrete GPU before
an integrated one before Mesa's lavapipe). Each op records the device it was
created for (the default device, or its ``stream=``); evaluation runs each part of
the graph on its device and moves arrays between devices on demand."""

from __future__ import annotations

import contextlib
import enum
import os
import threading


class DeviceType(enum.Enum):
    cpu = 0
    gpu = 1

    def __repr__(self):
        return f"DeviceType.{self.name}"

    __str__ = __repr__


cpu = DeviceType.cpu
gpu = DeviceType.gpu


class Device:
    """A device: ``Device(mx.cpu)`` or ``Device(mx.gpu, 0)``."""

    def __init__(self, type: DeviceType, index: int = 0):
        if not isinstance(type, DeviceType):
            raise TypeError(f"[Device] Expected a DeviceType, got {type!r}.")
        self.type = type
        self.index = index

    def __repr__(self):
        return f"Device({self.type.name}, {self.index})"

    def __eq__(self, other):
        if isinstance(other, DeviceType):
            other = Device(other)
        return isinstance(other, Device) and (self.type, self.index) == (other.type,
                                                                          other.index)

    def __hash__(self):
        return hash((self.type, self.index))


class Stream:
    def __init__(self, device: Device, index: int = 0):
        self.device = device
        self.index = index

    def __repr__(self):
        return f"Stream({self.device}, {self.index})"

    def __eq__(self, other):
        return isinstance(other, Stream) and (self.device, self.index) == (other.device,
                                                                           other.index)


# MXC_DEFAULT_DEVICE=gpu makes the GPU the default (CI on Apple runners).
_default = Device(gpu if os.environ.get("MXC_DEFAULT_DEVICE") == "gpu" else cpu)
_streams = {}


def _as_device(d):
    if isinstance(d, Stream):
        return d.device
    return d if isinstance(d, Device) else Device(d)


def _gpu_available() -> bool:
    from .. import _gpu

    return _gpu.device() is not None


def is_available(device) -> bool:
    """Whether ``device`` can run ops here (``mx.is_available(mx.gpu)``)."""
    d = _as_device(device)
    return d.type == cpu or (d.index == 0 and _gpu_available())


def _check_available(d: Device, op: str):
    if d.type == gpu and not is_available(d):
        # MLX's message when it has no GPU backend.
        raise ValueError(f"[{op}] Cannot set gpu device without gpu backend.")


_local = threading.local()
#: Set once any op targets the GPU: only then does evaluation split graphs by device.
_gpu_used = _default.type == gpu


#: Dtypes the GPU backend cannot compute. Metal has no 64-bit floats (and MSL no
#: doubles in buffers), so float64 is refused on every GPU as MLX does (complex64 is
#: stored as a 64-bit integer and computed in float32 parts).
GPU_UNSUPPORTED_DTYPES = ("float64",)


def check_gpu_dtypes(op, inputs, specs):
    """MLX's rule: an op on the GPU with a float64 input or result raises ValueError
    where it is created (likewise complex64 here)."""
    for dtype in [d for _, d in specs] + [i._dtype for i in inputs]:
        if dtype.name in GPU_UNSUPPORTED_DTYPES:
            raise ValueError(
                f"[{op}] {dtype.name} is not supported on the GPU: run this op on the CPU "
                f"(stream=mx.cpu) or compute in "
                f"{'float32' if dtype.name == 'float64' else 'real float32 parts'}.")


def _note(d: Device):
    global _gpu_used
    if d.type == gpu:
        _gpu_used = True


def _op_device() -> Device:
    """The device an op created now runs on: its ``stream=``, else the default."""
    return getattr(_local, "device", None) or _default


@contextlib.contextmanager
def _using(s):
    """Creates ops on device or stream ``s`` (an op's ``stream=`` argument)."""
    d = _as_device(s)
    _check_available(d, "stream")
    _note(d)
    previous = getattr(_local, "device", None)
    _local.device = d
    try:
        yield
    finally:
        _local.device = previous


def default_device() -> Device:
    return _default


def set_default_device(device) -> None:
    global _default
    d = _as_device(device)
    _check_available(d, "set_default_device")
    _note(d)
    _default = d


def default_stream(device) -> Stream:
    d = _as_device(device)
    return _streams.setdefault(d, Stream(d, 0))


def set_default_stream(s: Stream) -> None:
    _check_available(s.device, "set_default_stream")
    _streams[s.device] = s


def new_stream(device) -> Stream:
    d = _as_device(device)
    _check_available(d, "new_stream")
    return Stream(d, len(_streams) + 1)


@contextlib.contextmanager
def stream(s):
    """``with mx.stream(mx.cpu): ...``: run ops on a device or stream."""
    global _default
    d = _as_device(s)
    _check_available(d, "stream")
    _note(d)
    previous = _default
    _default = d
    try:
        yield
    finally:
        _default = previous


def get_cache_memory() -> int:
    """Bytes of freed GPU buffers the runtime keeps for reuse (MLX's name): a
    program run again takes its buffers from this cache. 0 before the GPU is used.

    >>> import mxc.core as mx
    >>> mx.get_cache_memory() >= 0
    True
    """
    from .. import _gpu

    return _gpu._device.cached_bytes if _gpu._device is not None else 0


def clear_cache() -> None:
    """Frees the GPU buffers cached for reuse (MLX's ``mx.clear_cache``).

    >>> import mxc.core as mx
    >>> mx.clear_cache()
    >>> mx.get_cache_memory()
    0
    """
    from .. import _gpu

    if _gpu._device is not None:
        _gpu._device.clear_cache()
