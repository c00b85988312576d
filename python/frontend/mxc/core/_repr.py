"""MLX's text form of arrays: ``array([1, 2.5], dtype=float32)``."""

import numpy as np

_EDGE = 3  # dims longer than 2 * _EDGE show their first and last _EDGE entries


def _scalar(v, kind):
    if kind == "b":
        return "True" if v else "False"
    if kind in "iu":
        return str(int(v))
    if kind == "c":
        re, im = float(v.real), float(v.imag)
        return f"{re:g}{'+' if im >= 0 or np.isnan(im) else '-'}{abs(im):g}j"
    return f"{float(v):g}"


def _format(value, kind, indent):
    if value.ndim == 0:
        return _scalar(value[()], kind)
    n = value.shape[0]
    if n > 2 * _EDGE:
        head = [_format(value[i], kind, indent + 1) for i in range(_EDGE)]
        tail = [_format(value[i], kind, indent + 1) for i in range(n - _EDGE, n)]
        items = head + ["..."] + tail
    else:
        items = [_format(value[i], kind, indent + 1) for i in range(n)]
    if value.ndim == 1:
        return "[" + ", ".join(items) + "]"
    # MLX puts one newline between rows whatever the rank.
    sep = ",\n" + " " * (indent + 1)
    return "[" + sep.join(items) + "]"


def format_array(value: np.ndarray, dtype) -> str:
    body = _format(value, dtype.kind, len("array("))
    return f"array({body}, dtype={dtype.name})"
