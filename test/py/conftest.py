"""Test-wide settings.

- Compiled programs are not written to the on-disk cache (the tests that check it
  point MXC_CACHE_DIR at a temporary directory themselves).
- Device parametrization: a module that sets ``pytestmark =
  pytest.mark.usefixtures("on_device")`` runs each of its tests twice, with the CPU
  (id ``[cpu]``) and then the GPU (id ``[gpu]``, skipped without a Vulkan/Metal
  device) as the default device. A test marked ``@pytest.mark.cpu_only(reason)``
  runs on the CPU only: the reason says why it is CPU-specific by nature. In a
  module that is not parametrized, such a test runs with the CPU as default
  device (its subprocesses too), whatever ``MXC_DEFAULT_DEVICE`` says.
  ``MXC_TEST_DEVICES=cpu`` (or ``gpu``) restricts the run to one device.
- The GPU refuses float64 and complex64 (MLX's rule for float64; see
  mxc.core._device.GPU_UNSUPPORTED_DTYPES). A ``[gpu]`` test whose parameters name
  such a dtype passes only by computing or by raising exactly that refusal
  (``ValueError: ... <dtype> is not supported on the GPU``); any other outcome
  fails as usual. Tests that mix dtypes inside use ``mxc_testutil.on_gpu_refuses``.
"""

import os
import re

import pytest

os.environ.setdefault("MXC_DISK_CACHE", "0")

_ALL_DEVICES = ("cpu", "gpu")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "cpu_only(reason): runs only with the CPU as default device")


def _gpu_missing():
    import mxc.core as mx
    from mxc import _gpu

    return None if mx.is_available(mx.gpu) else (
        f"no Vulkan/Metal device: {_gpu.unavailable_reason()}")


def pytest_generate_tests(metafunc):
    if "on_device" not in metafunc.fixturenames:
        return
    wanted = os.environ.get("MXC_TEST_DEVICES", ",".join(_ALL_DEVICES)).split(",")
    cpu_only = metafunc.definition.get_closest_marker("cpu_only")
    if cpu_only is not None and not (cpu_only.args or cpu_only.kwargs.get("reason")):
        raise pytest.UsageError(f"{metafunc.definition.nodeid}: cpu_only needs a reason")
    params = []
    for name in _ALL_DEVICES:
        if name not in wanted or (name == "gpu" and cpu_only is not None):
            continue
        marks = []
        if name == "gpu":
            reason = _gpu_missing()
            if reason:
                marks.append(pytest.mark.skip(reason=reason))
        params.append(pytest.param(name, id=name, marks=marks))
    metafunc.parametrize("on_device", params, indirect=True)


@pytest.fixture
def on_device(request):
    """Makes ``request.param`` ("cpu" or "gpu") the default device for one test."""
    import mxc.core as mx

    previous = mx.default_device()
    mx.set_default_device(getattr(mx, request.param))
    try:
        yield request.param
    finally:
        mx.set_default_device(previous)


@pytest.fixture(autouse=True)
def _cpu_only_on_the_cpu(request, monkeypatch):
    if (request.node.get_closest_marker("cpu_only") is None
            or "on_device" in request.fixturenames):
        yield
        return
    import mxc.core as mx

    monkeypatch.setenv("MXC_DEFAULT_DEVICE", "cpu")
    previous = mx.default_device()
    mx.set_default_device(mx.cpu)
    try:
        yield
    finally:
        mx.set_default_device(previous)


_REFUSED = ("float64", "complex64")


def _refused_dtypes(item):
    """The GPU-refused dtype names among a [gpu] test's parameters."""
    callspec = getattr(item, "callspec", None)
    if callspec is None or callspec.params.get("on_device") != "gpu":
        return ()
    names = set()
    for value in callspec.params.values():
        for v in value if isinstance(value, (tuple, list)) else (value,):
            name = v if isinstance(v, str) else getattr(v, "name", None)
            if name in _REFUSED:
                names.add(name)
    return tuple(sorted(names))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    outcome = yield
    refused = _refused_dtypes(item)
    if not refused or outcome.excinfo is None:
        return
    exc = outcome.excinfo[1]
    pattern = rf"({'|'.join(refused)}) is not supported on the GPU"
    if isinstance(exc, ValueError) and re.search(pattern, str(exc)):
        outcome.force_result(None)  # the documented refusal: the test passes
