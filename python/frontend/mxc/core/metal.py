"""``mx.metal``: MLX's Metal queries. Metal exists only on Apple machines; elsewhere
``is_available()`` is False and ``mx.gpu`` runs on Vulkan if a device is present."""

from __future__ import annotations


def is_available() -> bool:
    """Whether the Metal backend is built and a Metal device is present.

    >>> import mxc.core as mx
    >>> isinstance(mx.metal.is_available(), bool)
    True
    """
    try:
        from .. import _mxrt
    except ImportError:
        return False
    return bool(_mxrt.metal_available())


def device_info() -> dict:
    """The Metal device's name and limits (MLX's keys where they apply)."""
    if not is_available():
        raise RuntimeError("[metal::device_info] Metal is not available.")
    from .. import _gpu

    info = dict(_gpu.device().info)
    info["device_name"] = info["name"]
    info["max_buffer_length"] = info["max_storage_buffer_range"]
    return info
