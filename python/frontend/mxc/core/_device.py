"""Devices and streams with MLX's API. The CPU is the default device everywhere;
the GPU arrives with the Vulkan/Metal runtime."""

from __future__ import annotations

import contextlib
import enum


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


_default = Device(cpu)
_streams = {}


def _as_device(d):
    if isinstance(d, Stream):
        return d.device
    return d if isinstance(d, Device) else Device(d)


def _check_available(d: Device, op: str):
    if d.type == gpu:
        raise ValueError(f"[{op}] No GPU backend is available in this build of mxc; use "
                         "mx.cpu.")


def default_device() -> Device:
    return _default


def set_default_device(device) -> None:
    global _default
    d = _as_device(device)
    _check_available(d, "set_default_device")
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
    previous = _default
    _default = d
    try:
        yield
    finally:
        _default = previous
