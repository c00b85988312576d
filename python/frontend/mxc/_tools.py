"""Console entry points."""

import os
import sys


def binary(name):
    """The path of an mxc executable (``mxc-opt``) installed with the package."""
    here = os.path.dirname(os.path.abspath(__file__))
    # Editable installs keep compiled files in site-packages, Python files in the tree.
    for root in [here] + [os.path.join(p, "mxc") for p in sys.path if p]:
        path = os.path.join(root, "bin", name)
        if os.path.exists(path):
            return path
    raise FileNotFoundError(f"{name} is not installed with mxc; reinstall it (pip install .)")


def mxc_opt():
    """``mxc-opt``: mlir-opt with the `array` dialect and mxc's passes."""
    try:
        path = binary("mxc-opt")
    except FileNotFoundError as e:
        sys.exit(str(e))
    os.execv(path, [path, *sys.argv[1:]])
