"""Python op classes of the `array` dialect (generated from dialect/ArrayOps.td).

>>> from mxc.dialects import array as array_d
>>> array_d.AddOp  # doctest: +ELLIPSIS
<class '...AddOp'>
"""

from .. import _compiler
from ._array_ops_gen import *  # noqa: F401,F403
from ._ods_common import _cext

_compiler.context()  # registers the dialect and passes
_cext.globals.append_dialect_search_prefix("mxc.dialects")
