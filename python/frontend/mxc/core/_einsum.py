"""``einsum`` with NumPy's semantics, contracted pairwise with batched ``matmul``.

The subscripts are parsed into one label per operand axis (``'...'`` becomes
one private label per broadcast axis, right-aligned across operands as NumPy
does). Each operand first loses its repeated labels (diagonals) and the labels
nobody else needs (sums). Operands are then contracted two at a time, choosing
the pair with the smallest result: each pair is transposed and reshaped into
``(batch, M, K) @ (batch, K, N)``. Dtypes that ``matmul`` does not handle
(integers, bool, complex) contract by a broadcast multiply and a sum instead.
"""

from __future__ import annotations

import math

from . import _dtypes
from . import _ops as ops

__all__ = ["einsum"]

_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _ellipsis_label(k):
    """The label of the k-th broadcast axis counted from the right (never a letter)."""
    return chr(0xE000 + k)


def _split_term(term, where):
    """The letters of ``term`` and the position of its ellipsis (None if absent)."""
    if term.count("...") > 1:
        raise ValueError(f"[einsum] Subscripts of {where} contain more than one ellipsis ('...').")
    before, sep, after = term.partition("...")
    letters = []
    for part in (before, after):
        for c in part:
            if c == ".":
                raise ValueError(f"[einsum] Subscripts of {where} contain a '.' that is not part "
                                 "of an ellipsis ('...').")
            if c not in _LETTERS:
                raise ValueError(f"[einsum] Invalid subscript {c!r} in {where}; subscripts must "
                                 "be letters.")
    return before, after, bool(sep)


def _parse(subscripts, shapes):
    """Per-operand label lists, the output label list, and the size of each label."""
    if not isinstance(subscripts, str):
        raise TypeError(f"[einsum] subscripts must be a string, got {type(subscripts).__name__}.")
    s = subscripts.replace(" ", "")
    if s.count("->") > 1:
        raise ValueError("[einsum] Subscripts contain more than one '->'.")
    if "->" in s:
        lhs, out_term = s.split("->")
        explicit = True
    else:
        if "-" in s or ">" in s:
            raise ValueError("[einsum] Subscripts contain a '-' or '>' that is not part of '->'.")
        lhs, out_term, explicit = s, "", False
    terms = lhs.split(",")
    if len(terms) != len(shapes):
        raise ValueError(f"[einsum] The subscripts name {len(terms)} operand(s) but "
                         f"{len(shapes)} were given.")

    labels, n_ell = [], 0
    for i, (term, shape) in enumerate(zip(terms, shapes)):
        before, after, has_ell = _split_term(term, f"operand {i}")
        named = len(before) + len(after)
        extra = len(shape) - named
        if extra < 0 or (extra > 0 and not has_ell):
            raise ValueError(f"[einsum] Operand {i} has {len(shape)} dimension(s) but its "
                             f"subscripts {term!r} name {named}.")
        n_ell = max(n_ell, extra)
        ell = [_ellipsis_label(k) for k in range(extra - 1, -1, -1)]
        labels.append(list(before) + ell + list(after))

    # Sizes: equal, or 1 where NumPy broadcasts.
    sizes = {}
    for i, (lab, shape) in enumerate(zip(labels, shapes)):
        seen = {}
        for label, d in zip(lab, shape):
            if label in seen and seen[label] != d:
                raise ValueError(f"[einsum] Operand {i} repeats subscript {_show(label)} on "
                                 f"dimensions of different sizes ({seen[label]} != {d}).")
            seen[label] = d
            known = sizes.get(label)
            if known is None or known == 1:
                sizes[label] = d
            elif d != 1 and d != known:
                raise ValueError(f"[einsum] Size mismatch for subscript {_show(label)}: operand "
                                 f"{i} has {d}, another operand has {known}.")

    ell_out = [_ellipsis_label(k) for k in range(n_ell - 1, -1, -1)]
    if explicit:
        before, after, has_ell = _split_term(out_term, "the output")
        for c in before + after:
            if (before + after).count(c) > 1:
                raise ValueError(f"[einsum] Output subscript {c!r} appears more than once.")
            if c not in sizes:
                raise ValueError(f"[einsum] Output subscript {c!r} does not appear in any input.")
        if n_ell and not has_ell:
            raise ValueError("[einsum] The inputs have broadcast dimensions ('...') but the output "
                             "has no '...' to hold them.")
        out = list(before) + (ell_out if has_ell else []) + list(after)
    else:
        counts = {}
        for lab in labels:
            for label in lab:
                if label in _LETTERS:
                    counts[label] = counts.get(label, 0) + 1
        out = ell_out + sorted(c for c, n in counts.items() if n == 1)
    return labels, out, sizes


def _show(label):
    return repr(label) if label in _LETTERS else "'...'"


def _matmul_ok(dtype):
    return dtype.kind == "f"


def _diagonals(x, lab):
    """Collapses repeated labels of one operand onto their diagonal."""
    while len(set(lab)) != len(lab):
        label = next(c for c in lab if lab.count(c) > 1)
        i = lab.index(label)
        j = lab.index(label, i + 1)
        x = ops.diagonal(x, 0, i, j)
        lab = [c for k, c in enumerate(lab) if k not in (i, j)] + [label]
    return x, lab


def _sum_labels(x, lab, drop):
    axes = [k for k, c in enumerate(lab) if c in drop]
    if not axes:
        return x, lab
    return ops.sum(x, axis=axes), [c for c in lab if c not in drop]


def _broadcast(x, lab, sizes):
    """Expands size-1 axes whose label has a larger size elsewhere (NumPy broadcasting)."""
    shape = tuple(sizes[c] for c in lab)
    return (ops.broadcast_to(x, shape) if shape != x.shape else x), lab


def _contract(a, la, b, lb, keep, sizes, dtype):
    """``a`` and ``b`` contracted over their shared labels not in ``keep``."""
    batch = [c for c in la if c in lb and c in keep]
    summed = [c for c in la if c in lb and c not in keep]
    free_a = [c for c in la if c not in lb]
    free_b = [c for c in lb if c not in la]
    nb = math.prod(sizes[c] for c in batch)
    m = math.prod(sizes[c] for c in free_a)
    k = math.prod(sizes[c] for c in summed)
    n = math.prod(sizes[c] for c in free_b)
    a3 = ops.reshape(ops.transpose(a, [la.index(c) for c in batch + free_a + summed]), (nb, m, k))
    b3 = ops.reshape(ops.transpose(b, [lb.index(c) for c in batch + summed + free_b]), (nb, k, n))
    if _matmul_ok(dtype):
        out = ops.matmul(a3, b3)
    else:
        # Integers, bool and complex: a broadcast product summed over K.
        prod = ops.multiply(ops.reshape(a3, (nb, m, 1, k)),
                            ops.reshape(ops.transpose(b3, (0, 2, 1)), (nb, 1, n, k)))
        out = ops.sum(prod, axis=3)
    shape = tuple(sizes[c] for c in batch + free_a + free_b)
    return ops.reshape(out, shape), batch + free_a + free_b


def einsum(subscripts: str, *operands):
    """Einstein summation over ``operands`` as described by ``subscripts`` (NumPy's rules).

    >>> import mxc.core as mx
    >>> a = mx.array([[1.0, 2.0], [3.0, 4.0]])
    >>> mx.einsum("ij,jk->ik", a, a)
    array([[7, 10],
           [15, 22]], dtype=float32)
    >>> mx.einsum("ii", a)
    array(5, dtype=float32)
    """
    if not operands:
        raise ValueError("[einsum] At least one operand is required.")
    operands = [ops._as_array(o) for o in operands]
    labels, out, sizes = _parse(subscripts, [o.shape for o in operands])
    dtype = operands[0].dtype
    for o in operands[1:]:
        dtype = _dtypes.promote_types(dtype, o.dtype)
    # Contract in the common dtype (bool products sum in int32, then compare with 0).
    if any(o.size == 0 for o in operands):
        # A zero-size label is either in the output (an empty result) or summed over
        # (a result of zeros).
        return ops.zeros(tuple(sizes[c] for c in out), dtype)
    work = _dtypes.int32 if dtype == _dtypes.bool_ else dtype
    terms = []
    for x, lab in zip(operands, labels):
        x = ops.astype(x, work)
        x, lab = _diagonals(x, lab)
        terms.append((x, lab))

    def needed(skip):
        """Labels used by the output or by the terms other than those in ``skip``."""
        s = set(out)
        for t, (_, lab) in enumerate(terms):
            if t not in skip:
                s.update(lab)
        return s

    # Sum out labels only one term has, broadcast size-1 axes.
    for t in range(len(terms)):
        x, lab = terms[t]
        x, lab = _sum_labels(x, lab, set(lab) - needed({t}))
        terms[t] = _broadcast(x, lab, sizes)

    while len(terms) > 1:
        best = None
        for i in range(len(terms)):
            for j in range(i + 1, len(terms)):
                keep = needed({i, j})
                result = (set(terms[i][1]) | set(terms[j][1])) & keep
                cost = math.prod(sizes[c] for c in result)
                if best is None or cost < best[0]:
                    best = (cost, i, j, keep)
        _, i, j, keep = best
        (a, la), (b, lb) = terms[i], terms[j]
        # A label of one side that nothing else needs is summed before contracting.
        a, la = _sum_labels(a, la, set(la) - keep - set(lb))
        b, lb = _sum_labels(b, lb, set(lb) - keep - set(la))
        c, lc = _contract(a, la, b, lb, keep, sizes, work)
        terms = [t for k, t in enumerate(terms) if k not in (i, j)] + [(c, lc)]

    x, lab = terms[0]
    x, lab = _sum_labels(x, lab, set(lab) - set(out))
    x = ops.transpose(x, [lab.index(c) for c in out])
    if dtype == _dtypes.bool_:
        return ops.not_equal(x, 0)
    return ops.astype(x, dtype)
