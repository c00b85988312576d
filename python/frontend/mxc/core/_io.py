"""Saving and loading arrays: ``.npy``, ``.npz``, ``.safetensors`` and ``.gguf`` (MLX's API).

The formats themselves are the field's libraries: ``numpy.lib.format`` and
``numpy.savez`` for NumPy files, ``safetensors`` for safetensors, and ``gguf``'s
writer and type tables for GGUF. This module adds what they leave out:

* atomic writes: a path is written through a temporary file in the same
  directory, then ``os.replace``\\ d, so a failure leaves an existing file intact;
  a file object receives the whole serialized file in one ``write``;
* hostile files: every size a header declares is checked against the bytes the
  file holds before anything is allocated, and every problem is a ``ValueError``
  naming the file (GGUF headers are walked here: ``gguf.GGUFReader`` trusts
  their counts and cannot read 0-d bfloat16 or quantized tensors);
* MLX's dtype conventions: bfloat16 is ``'<V2'`` in NumPy files, GGUF's
  Q4_0/Q4_1/Q8_0 tensors load as MLX's (weights, scales, biases) triples.
"""

from __future__ import annotations

import io
import json
import math
import os
import secrets
import stat
import struct
import zipfile

import numpy as np
from numpy.lib import format as npformat

from . import _dtypes
from ._array import _from_numpy, _lazy, array
from ._array import eval as _eval

__all__ = ["load", "save", "save_gguf", "save_safetensors", "savez", "savez_compressed"]

_CHUNK = 1 << 24
# The most bytes deflate can expand one compressed byte into (its maximum ratio is
# about 1032:1); a larger declared size cannot be in the archive.
_DEFLATE_RATIO = 1032


class _FormatError(ValueError):
    """A file that is not what its format says (message already names the file)."""


def _bad(name, problem):
    return _FormatError(f"[load] Invalid file {name}: {problem}")


# --------------------------------------------------------------------------- helpers


def _is_path(file):
    return isinstance(file, (str, os.PathLike))


def _display_name(file):
    if _is_path(file):
        return os.fsdecode(os.fspath(file))
    name = getattr(file, "name", None)
    return name if isinstance(name, str) else "<file object>"


def _with_extension(file, ext):
    path = os.fsdecode(os.fspath(file))
    return path if path.endswith(ext) else path + ext


def _as_mx(value, op):
    if isinstance(value, array):
        return value
    try:
        return array(value)
    except (TypeError, ValueError) as e:
        raise TypeError(f"[{op}] Expected an array, got {type(value).__name__} ({e}).") from e


def _to_numpy(arrays: dict, op) -> dict:
    """Evaluates the arrays of ``arrays`` together; their C-contiguous NumPy buffers."""
    if not isinstance(arrays, dict):
        raise TypeError(f"[{op}] Expected a dict of names to arrays, got "
                        f"{type(arrays).__name__}.")
    for k in arrays:
        if not isinstance(k, str):
            raise TypeError(f"[{op}] Array names must be strings, got {k!r}.")
    converted = {k: _as_mx(v, op) for k, v in arrays.items()}
    _eval(list(converted.values()))
    return {k: v._numpy() for k, v in converted.items()}


def _write_atomic(path, write):
    """Calls ``write(tmp_path)`` on a fresh temporary file beside ``path``, then
    replaces ``path`` with it; on any failure the temporary file is removed and
    ``path`` is untouched."""
    if os.path.islink(path):
        path = os.path.realpath(path)
    directory, base = os.path.split(os.path.abspath(path))
    tmp = os.path.join(directory, f".{base}.{secrets.token_hex(8)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    os.close(fd)
    try:
        write(tmp)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))
        except FileNotFoundError:
            pass
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _write_stream(file, write):
    """``write(fileobj)`` into a path (atomically) or a file object (in one write)."""
    if _is_path(file):
        def to_path(tmp):
            with open(tmp, "wb") as f:
                write(f)
        _write_atomic(file, to_path)
    else:
        buf = io.BytesIO()
        write(buf)
        file.write(buf.getvalue())


def _np_dtype_to_mx(np_dtype):
    """The mxc dtype stored as ``np_dtype`` in a file (None if there is none)."""
    if np_dtype.fields is not None or np_dtype.subdtype is not None:
        return None
    if np_dtype.kind == "V" and np_dtype.itemsize == 2:
        return _dtypes.bfloat16  # MLX writes bfloat16 as '<V2'
    if np_dtype.kind == "V":
        return None
    return _dtypes._BY_NP.get(np_dtype.newbyteorder("="))


# --------------------------------------------------------------------------- .npy / .npz


def _remaining(f):
    """Bytes left in a seekable stream (None when it cannot tell)."""
    try:
        if f.seekable():
            pos = f.tell()
            end = f.seek(0, os.SEEK_END)
            f.seek(pos)
            return end - pos
    except (AttributeError, OSError, ValueError):
        pass
    return None


def _read_exact(f, n, name, known):
    """``n`` bytes from ``f`` into a writable buffer. When the stream's size is not
    ``known`` the buffer grows only as data arrives."""
    if known:
        buf = bytearray(n)
        _read_into(f, memoryview(buf), name)
        return buf
    buf = bytearray()
    while len(buf) < n:
        chunk = f.read(min(_CHUNK, n - len(buf)))
        if not chunk:
            raise _bad(name, f"the file is truncated (expected {n} bytes of array data, "
                             f"got {len(buf)})")
        buf += chunk
    return buf


def _read_into(f, view, name):
    """Fills ``view`` from ``f`` (no intermediate copy where ``f`` has readinto)."""
    n, pos = len(view), 0
    readinto = getattr(f, "readinto", None)
    while pos < n:
        if readinto is not None:
            got = readinto(view[pos:pos + min(_CHUNK, n - pos)])
        else:
            chunk = f.read(min(_CHUNK, n - pos))
            got = len(chunk)
            view[pos:pos + got] = chunk
        if not got:
            raise _bad(name, f"the file is truncated (expected {n} bytes of array data, "
                             f"got {pos})")
        pos += got


class _Counted:
    """A read-only view of a stream that counts the bytes read through it."""

    def __init__(self, f):
        self.f = f
        self.n = 0

    def read(self, size=-1):
        data = self.f.read(size)
        self.n += len(data)
        return data


def _read_npy(f, name, limit=None):
    """One array from ``f`` positioned at an .npy header. ``limit``: the bytes the
    stream holds from here on (found by seeking when None, if it can)."""
    if limit is None:
        limit = _remaining(f)
    counted = _Counted(f)
    try:
        version = npformat.read_magic(counted)
        if version == (1, 0):
            shape, fortran, dtype = npformat.read_array_header_1_0(counted)
        elif version in ((2, 0), (3, 0)):
            # Version 3.0 differs from 2.0 only by a UTF-8 header, which matters
            # for structured field names alone (mxc has no structured dtypes).
            shape, fortran, dtype = npformat.read_array_header_2_0(counted)
        else:
            raise ValueError(f"unsupported .npy version {version}")
    except Exception as e:
        raise _bad(name, f"cannot read the .npy header ({e})") from None
    mx_dtype = _np_dtype_to_mx(dtype)
    if mx_dtype is None:
        raise _bad(name, f"unsupported dtype {dtype.str!r}")
    if any(d < 0 for d in shape):
        raise _bad(name, f"negative dimension in shape {shape}")
    nbytes = math.prod(shape) * dtype.itemsize
    if limit is not None and nbytes > limit - counted.n:
        raise _bad(name, f"the header declares shape {shape} of {dtype.str} ({nbytes} bytes) "
                         f"but only {limit - counted.n} bytes of data follow")
    data = _read_exact(f, nbytes, name, known=limit is not None)
    if mx_dtype == _dtypes.bfloat16:
        dtype = mx_dtype.np
    value = np.frombuffer(data, dtype=dtype).reshape(shape, order="F" if fortran else "C")
    return _from_numpy(value, mx_dtype)


def _load_npz(f, name):
    size = _remaining(f)
    try:
        zf = zipfile.ZipFile(f)
    except Exception as e:
        raise _bad(name, f"not a zip archive ({e})") from None
    out = {}
    with zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            member = f"{name}:{info.filename}"
            if info.compress_type == zipfile.ZIP_STORED:
                bound = info.compress_size
            elif info.compress_type == zipfile.ZIP_DEFLATED:
                bound = info.compress_size * _DEFLATE_RATIO + 1024
            else:
                raise _bad(member, f"unsupported zip compression method {info.compress_type}")
            if size is not None and info.compress_size > size:
                raise _bad(member, f"declares {info.compress_size} compressed bytes, more "
                                   f"than the archive's {size}")
            if info.file_size > bound:
                raise _bad(member, f"declares {info.file_size} bytes, more than its "
                                   f"{info.compress_size} compressed bytes can hold")
            key = info.filename[:-4] if info.filename.endswith(".npy") else info.filename
            with zf.open(info) as m:
                out[key] = _read_npy(m, member, limit=info.file_size)
    return out


def save(file, arr):
    """Saves ``arr`` to a NumPy ``.npy`` file (``.npy`` is appended to a path without it).

    ``file`` is a path or a binary file object.
    """
    value = _to_numpy({"arr": arr}, "save")["arr"]
    if _is_path(file):
        file = _with_extension(file, ".npy")
    _write_stream(file, lambda f: np.save(f, value, allow_pickle=False))


def _savez(file, args, kwargs, compressed, op):
    named = dict(kwargs)
    for i, a in enumerate(args):
        key = f"arr_{i}"
        if key in named:
            raise ValueError(f"[{op}] Cannot use un-named variables and keyword {key}")
        named[key] = a
    values = _to_numpy(named, op)
    writer = np.savez_compressed if compressed else np.savez
    if _is_path(file):
        file = _with_extension(file, ".npz")
    _write_stream(file, lambda f: writer(f, **values))


def savez(file, *args, **kwargs):
    """Saves arrays to an uncompressed ``.npz`` archive.

    Positional arrays are named ``arr_0``, ``arr_1``, ...; keyword arrays keep
    their keyword. ``.npz`` is appended to a path without it.
    """
    _savez(file, args, kwargs, False, "savez")


def savez_compressed(file, *args, **kwargs):
    """Like :func:`savez`, with the archive's members deflated."""
    _savez(file, args, kwargs, True, "savez_compressed")


# --------------------------------------------------------------------------- safetensors

_ST_DTYPES = {
    "BOOL": _dtypes.bool_, "U8": _dtypes.uint8, "U16": _dtypes.uint16, "U32": _dtypes.uint32,
    "U64": _dtypes.uint64, "I8": _dtypes.int8, "I16": _dtypes.int16, "I32": _dtypes.int32,
    "I64": _dtypes.int64, "F16": _dtypes.float16, "BF16": _dtypes.bfloat16,
    "F32": _dtypes.float32, "F64": _dtypes.float64, "C64": _dtypes.complex64,
}


def save_safetensors(file, arrays: dict, metadata: dict | None = None):
    """Saves a dict of arrays to a ``.safetensors`` file (appended to a path without it).

    ``metadata`` is an optional dict of strings to strings stored in the header.
    """
    import safetensors

    if metadata is not None and (not isinstance(metadata, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in metadata.items())):
        raise ValueError("[save_safetensors] Metadata must be a dictionary with string keys "
                         "and values")
    values = _to_numpy(arrays, "save_safetensors")
    specs = {}
    for k, v in values.items():
        dt = _dtypes.from_numpy(v.dtype)
        specs[k] = safetensors.TensorSpec(dtype=dt.name, shape=list(v.shape),
                                          data_ptr=v.ctypes.data, data_len=v.nbytes)
    if _is_path(file):
        path = _with_extension(file, ".safetensors")
        _write_atomic(path, lambda tmp: safetensors.serialize_file(specs, tmp,
                                                                   metadata=metadata))
    else:
        file.write(safetensors.serialize(specs, metadata=metadata))
    del values  # the specs point into these buffers until here


def _load_safetensors(f, name, path=None):
    """Reads the header, checks every entry (dtype, shape, offsets that tile the data
    exactly, as the format requires) before allocating anything, then reads each
    tensor straight into its array: the peak is the arrays themselves."""
    if isinstance(f, io.TextIOBase):
        raise _bad(name, "the file object must be opened in binary mode")
    head = f.read(8)
    if not isinstance(head, bytes):
        raise _bad(name, "the file object must be opened in binary mode")
    if len(head) < 8:
        raise _bad(name, "bad safetensors file (shorter than its 8-byte header size)")
    n = int.from_bytes(head, "little")
    size = _remaining(f)
    if n > 100 << 20 or (size is not None and n > size):
        raise _bad(name, f"bad safetensors file (header of {n} bytes)")
    raw = f.read(n)
    if len(raw) < n:
        raise _bad(name, "bad safetensors file (truncated header)")
    try:
        header = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as e:
        raise _bad(name, f"bad safetensors file (header is not JSON: {e})") from None
    if not isinstance(header, dict):
        raise _bad(name, "bad safetensors file (header is not a JSON object)")
    metadata = header.pop("__metadata__", None) or {}
    if not isinstance(metadata, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
        raise _bad(name, "bad safetensors file (__metadata__ must map strings to strings)")
    entries = []
    for key, t in header.items():
        if not isinstance(t, dict) or set(t) != {"dtype", "shape", "data_offsets"}:
            raise _bad(name, f"bad safetensors file (entry {key!r} is malformed)")
        dt = _ST_DTYPES.get(t["dtype"]) if isinstance(t["dtype"], str) else None
        if dt is None:
            raise _bad(name, f"tensor {key!r} has dtype {t['dtype']}, which mxc does not "
                             "support")
        shape, offsets = t["shape"], t["data_offsets"]
        if (not isinstance(shape, list) or not all(type(d) is int and d >= 0 for d in shape)
                or not isinstance(offsets, list) or len(offsets) != 2
                or not all(type(o) is int and o >= 0 for o in offsets)):
            raise _bad(name, f"bad safetensors file (entry {key!r} has a bad shape or "
                             "offsets)")
        nbytes = math.prod(shape) * dt.size
        if offsets[1] - offsets[0] != nbytes:
            raise _bad(name, f"bad safetensors file (tensor {key!r} of shape {shape} "
                             f"needs {nbytes} bytes, its offsets span "
                             f"{offsets[1] - offsets[0]})")
        entries.append((offsets[0], offsets[1], key, shape, dt))
    entries.sort()
    pos = 0
    for begin, end_, key, _, _ in entries:
        if begin != pos:
            raise _bad(name, f"bad safetensors file (tensor {key!r} starts at byte {begin} "
                             f"of the data, expected {pos}: overlap or hole)")
        pos = end_
    if size is not None and n + pos > size:  # (size: what followed the 8-byte length)
        raise _bad(name, f"the file is truncated (expected {pos} bytes of tensor data, "
                         f"got {size - n})")
    out = {}
    if path is not None:
        # From a path: lazy, as MLX. Each tensor is read when first needed, so
        # casting a file's tensors never holds all of its data at once.
        opened = _OpenFile(path, name)
        for begin, end_, key, shape, dt in entries:
            out[key] = _lazy(_TensorInFile(opened, 8 + n + begin, tuple(shape), dt, key),
                             tuple(shape), dt)
        return out, dict(metadata)
    for begin, end_, key, shape, dt in entries:
        value = np.empty(shape, dt.np.newbyteorder("<"))
        _read_into(f, memoryview(value.reshape(-1).view(np.uint8)), name)
        out[key] = _from_numpy(value, dt)
    return out, dict(metadata)


class _OpenFile:
    """A loaded file kept open (as MLX does) until its last lazy tensor is read, so
    removing or replacing the path afterwards changes nothing."""

    __slots__ = ("fd", "stamp", "name")

    def __init__(self, path, name):
        self.fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        st = os.fstat(self.fd)
        self.stamp, self.name = (st.st_size, st.st_mtime_ns), name

    def __del__(self):
        if getattr(self, "fd", None) is not None:
            os.close(self.fd)


class _TensorInFile:
    """Where a lazily loaded tensor's bytes are in an open file; ``read()`` checks
    that the file was not modified in place since it was loaded."""

    __slots__ = ("file", "offset", "shape", "dtype", "key")

    def __init__(self, file, offset, shape, dtype, key):
        self.file, self.offset, self.shape, self.dtype, self.key = file, offset, shape, dtype, key

    def read(self):
        st = os.fstat(self.file.fd)
        if (st.st_size, st.st_mtime_ns) != self.file.stamp:
            raise ValueError(
                f"[load] {self.file.name} was modified after mx.load returned, so its "
                f"tensor {self.key!r} (read lazily, when first used) can no longer be read. "
                "Load the file again, or mx.eval the loaded arrays before writing to it.")
        value = np.empty(self.shape, self.dtype.np.newbyteorder("<"))
        view, pos = memoryview(value.reshape(-1).view(np.uint8)), 0
        while pos < len(view):
            got = os.preadv(self.file.fd, [view[pos:pos + _CHUNK]], self.offset + pos)
            if not got:
                raise ValueError(f"[load] {self.file.name} is truncated (tensor {self.key!r})")
            pos += got
        return value


# --------------------------------------------------------------------------- gguf


def _gguf():
    import gguf

    return gguf


_GGUF_TENSOR_TYPES = None  # mxc dtype -> GGMLQuantizationType, filled on first use
_GGUF_META_TYPES = None  # mxc dtype -> GGUFValueType


def _gguf_tables():
    global _GGUF_TENSOR_TYPES, _GGUF_META_TYPES
    if _GGUF_TENSOR_TYPES is None:
        g = _gguf()
        Q, V = g.GGMLQuantizationType, g.GGUFValueType
        _GGUF_TENSOR_TYPES = {
            _dtypes.float32: Q.F32, _dtypes.float16: Q.F16, _dtypes.bfloat16: Q.BF16,
            _dtypes.float64: Q.F64, _dtypes.int8: Q.I8, _dtypes.int16: Q.I16,
            _dtypes.int32: Q.I32, _dtypes.int64: Q.I64,
        }
        _GGUF_META_TYPES = {
            _dtypes.bool_: V.BOOL, _dtypes.uint8: V.UINT8, _dtypes.int8: V.INT8,
            _dtypes.uint16: V.UINT16, _dtypes.int16: V.INT16, _dtypes.uint32: V.UINT32,
            _dtypes.int32: V.INT32, _dtypes.float32: V.FLOAT32, _dtypes.uint64: V.UINT64,
            _dtypes.int64: V.INT64, _dtypes.float64: V.FLOAT64,
        }
    return _GGUF_TENSOR_TYPES, _GGUF_META_TYPES


def _gguf_metadata_value(key, value):
    """(value type, value, array item type) of one metadata entry for ``GGUFWriter``."""
    V = _gguf().GGUFValueType
    if isinstance(value, str):
        return V.STRING, value, None
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return V.ARRAY, list(value), V.STRING
    try:
        a = value if isinstance(value, array) else array(value)
    except (TypeError, ValueError):
        raise ValueError(f"[save_gguf] Metadata value for {key!r} must be a string, a list of "
                         f"strings or an array, got {type(value).__name__}.") from None
    if a.ndim > 1:
        raise ValueError(f"[save_gguf] Metadata {key!r}: cannot save arrays with more than "
                         "one dimension.")
    vtype = _gguf_tables()[1].get(a.dtype)
    if vtype is None:
        raise ValueError(f"[save_gguf] Metadata {key!r}: array type {a.dtype.name} is not "
                         "supported for metadata.")
    v = a._numpy()
    if a.ndim == 0:
        return vtype, v.item(), None
    return V.ARRAY, v.tolist(), vtype


def save_gguf(file, arrays: dict, metadata: dict | None = None):
    """Saves a dict of arrays to a ``.gguf`` file (appended to a path without it).

    ``metadata`` maps keys to strings, lists of strings, or 0-d / 1-d arrays
    (stored with the GGUF type of their dtype). ``file`` must be a path.
    """
    g = _gguf()
    if not _is_path(file):
        raise ValueError("[save_gguf] Input must be a string or a path")
    tensor_types, _ = _gguf_tables()
    meta = {}
    for k, v in (metadata or {}).items():
        if not isinstance(k, str):
            raise ValueError(f"[save_gguf] Metadata keys must be strings, got {k!r}.")
        meta[k] = _gguf_metadata_value(k, v)
    values = _to_numpy(arrays, "save_gguf")
    types = {}
    for k, v in values.items():
        dt = _dtypes.from_numpy(v.dtype)
        if dt not in tensor_types:
            raise ValueError(f"[save_gguf] dtype {dt.name} is not supported (GGUF holds "
                             "float32, float16, bfloat16, float64, int8, int16, int32, int64).")
        types[k] = tensor_types[dt]

    class Writer(g.GGUFWriter):
        # GGUFWriter refuses empty metadata arrays, which GGUF (and MLX) allow.
        def _pack_val(self, val, vtype, add_vtype, sub_type=None):
            if vtype == g.GGUFValueType.ARRAY and len(val) == 0:
                head = self._pack("I", vtype) if add_vtype else b""
                return head + self._pack("I", sub_type) + self._pack("Q", 0)
            return super()._pack_val(val, vtype, add_vtype, sub_type)

    def write(tmp):
        w = Writer(tmp, arch="")  # an empty architecture writes no general.architecture
        try:
            for k, (vtype, val, sub) in meta.items():
                w.add_key_value(k, val, vtype, sub_type=sub)
            for k, v in values.items():
                raw = types[k] if types[k] == g.GGMLQuantizationType.BF16 else None
                w.add_tensor(k, v, raw_dtype=raw)
            w.write_header_to_file()
            w.write_kv_data_to_file()
            w.write_tensors_to_file()
        finally:
            w.close()

    _write_atomic(_with_extension(file, ".gguf"), write)


# GGUF metadata value types: the NumPy type of each scalar one, and the two others.
_GGUF_SCALARS = {0: "u1", 1: "i1", 2: "u2", 3: "i2", 4: "u4", 5: "i4", 6: "f4", 7: "?",
                 10: "u8", 11: "i8", 12: "f8"}
_GGUF_STRING, _GGUF_ARRAY = 8, 9


class _GGUFParser:
    """Reads a GGUF file's header (metadata and tensor infos) from a byte buffer,
    checking every count, size and offset against the bytes the file holds.

    ``gguf.GGUFReader`` trusts them: an array count of 2**62 makes it loop,
    dimensions whose uint64 product wraps pass for small tensors, and it cannot
    read 0-d quantized or bfloat16 tensors; so the header is walked here, with
    the gguf package's type tables.
    """

    def __init__(self, buf, name):
        self.buf, self.name, self.n, self.pos = buf, name, len(buf), 0

    def bad(self, problem):
        return _bad(self.name, problem)

    def take(self, code):
        size = struct.calcsize(code)
        if self.pos + size > self.n:
            raise self.bad("the file is truncated in its header")
        value = struct.unpack_from(self.order + code, self.buf, self.pos)[0]
        self.pos += size
        return value

    def skip(self, nbytes, what):
        if nbytes > self.n - self.pos:
            raise self.bad(f"{what} declares {nbytes} bytes beyond the end of the file")
        start = self.pos
        self.pos += nbytes
        return start

    def string(self, what):
        length = self.take("Q")
        start = self.skip(length, what)
        try:
            return bytes(self.buf[start:start + length]).decode("utf-8")
        except UnicodeDecodeError as e:
            raise self.bad(f"{what} is not UTF-8 ({e})") from None

    def scalars(self, vtype, count, what):
        dtype = np.dtype(self.order + _GGUF_SCALARS[vtype])
        start = self.skip(count * dtype.itemsize, what)
        raw = np.frombuffer(self.buf, dtype=dtype, count=count, offset=start)
        return raw.astype(dtype.newbyteorder("="))

    def value(self, key):
        what = f"metadata {key!r}"
        vtype = self.take("I")
        if vtype == _GGUF_STRING:
            return self.string(what)
        if vtype in _GGUF_SCALARS:
            v = self.scalars(vtype, 1, what).reshape(())
            return _from_numpy(v, _dtypes.from_numpy(v.dtype))
        if vtype != _GGUF_ARRAY:
            raise self.bad(f"{what} has unknown value type {vtype}")
        sub, count = self.take("I"), self.take("Q")
        if sub == _GGUF_STRING:
            if count > (self.n - self.pos) // 8:
                raise self.bad(f"{what} declares {count} strings, more than the file holds")
            return [self.string(what) for _ in range(count)]
        if sub in _GGUF_SCALARS:
            v = self.scalars(sub, count, what)
            return _from_numpy(v, _dtypes.from_numpy(v.dtype))
        if sub == _GGUF_ARRAY:
            raise self.bad(f"{what} is a nested array, which mxc does not support")
        raise self.bad(f"{what} has unknown item type {sub}")

    def parse(self):
        """(metadata, [(name, numpy shape, GGMLQuantizationType, data offset, bytes)])."""
        g = _gguf()
        if self.n < 24 or bytes(self.buf[:4]) != b"GGUF":
            raise self.bad("not a GGUF file (bad magic or too short)")
        self.order = "<"
        self.pos = 4
        version = self.take("I")
        if version & 0xFFFF == 0:  # written on a host of the other byte order
            self.order = ">"
            self.pos = 4
            version = self.take("I")
        if version not in (2, 3):
            raise self.bad(f"unsupported GGUF version {version}")
        n_tensors, n_kv = self.take("Q"), self.take("Q")
        # A metadata entry takes at least 13 bytes and a tensor info 24.
        if n_kv > (self.n - self.pos) // 13 or n_tensors > (self.n - self.pos) // 24:
            raise self.bad(f"declares {n_tensors} tensors and {n_kv} metadata entries, more "
                           "than the file can hold")
        metadata = {}
        for _ in range(n_kv):
            key = self.string("a metadata key")
            if key in metadata:
                raise self.bad(f"metadata key {key!r} appears twice")
            metadata[key] = self.value(key)
        alignment = metadata.get("general.alignment", 32)
        if isinstance(alignment, array):
            alignment = int(alignment._numpy().reshape(-1)[0]) if alignment.size == 1 else 0
        if not isinstance(alignment, int) or alignment <= 0 or alignment & (alignment - 1):
            raise self.bad(f"invalid general.alignment {alignment!r}")
        infos = []
        for _ in range(n_tensors):
            tname = self.string("a tensor name")
            n_dims = self.take("I")
            if n_dims > (self.n - self.pos) // 8:
                raise self.bad(f"tensor {tname!r} declares {n_dims} dimensions")
            dims = [self.take("Q") for _ in range(n_dims)]
            ttype, offset = self.take("I"), self.take("Q")
            try:
                qtype = g.GGMLQuantizationType(ttype)
                block, type_size = g.GGML_QUANT_SIZES[qtype]
            except (ValueError, KeyError):
                raise self.bad(f"tensor {tname!r} has unknown GGML type {ttype}") from None
            count = math.prod(dims)
            if count % block:
                raise self.bad(f"tensor {tname!r} of type {qtype.name} has {count} elements, "
                               f"not a multiple of its block size {block}")
            infos.append((tname, tuple(reversed(dims)), qtype, offset,
                          count // block * type_size))
        data_start = -(-self.pos // alignment) * alignment
        tensors = []
        for tname, shape, qtype, offset, nbytes in infos:
            start = data_start + offset
            if start + nbytes > self.n:
                raise self.bad(f"the data of tensor {tname!r} ({nbytes} bytes at offset "
                               f"{offset}) lies beyond the end of the file")
            tensors.append((tname, shape, qtype, start, nbytes))
        return metadata, tensors


def _gguf_quantized(name, key, qtype, raw, shape, order):
    """MLX's (weights, scales, biases) for a Q4_0, Q4_1 or Q8_0 tensor: uint32 words
    packing 4- or 8-bit values, and float16 scales and biases per group of 32."""
    g = _gguf()
    Q = g.GGMLQuantizationType
    if not shape or shape[-1] % 32:
        raise _bad(name, f"quantized tensor {key!r} has shape {shape}; its last dimension "
                         "must be a multiple of 32")
    _, type_size = g.GGML_QUANT_SIZES[qtype]
    blocks = np.ascontiguousarray(raw).reshape(-1, type_size)
    f16 = np.dtype(order + "f2")

    def half(lo):
        return blocks[:, lo:lo + 2].copy().view(f16)[:, 0].astype(np.float16)

    scales = half(0)
    if qtype == Q.Q8_0:
        bits = 8
        q = (blocks[:, 2:34].view(np.int8).astype(np.int16) + 128).astype(np.uint8)
        biases = scales * np.float16(-128)
    else:
        bits = 4
        qs = blocks[:, 2:18] if qtype == Q.Q4_0 else blocks[:, 4:20]
        q = np.concatenate([qs & 0x0F, qs >> 4], axis=1)
        q = (q[:, 0::2] | (q[:, 1::2] << 4)).astype(np.uint8)
        biases = scales * np.float16(-8) if qtype == Q.Q4_0 else half(2)
    words = np.ascontiguousarray(q).view("<u4").astype(np.uint32)
    lead = tuple(shape[:-1])
    base = key[:-len(".weight")] if key.endswith(".weight") and len(key) > 7 else key
    return {
        key: _from_numpy(words.reshape(lead + (shape[-1] * bits // 32,)), _dtypes.uint32),
        base + ".scales": _from_numpy(scales.reshape(lead + (shape[-1] // 32,)),
                                      _dtypes.float16),
        base + ".biases": _from_numpy(biases.reshape(lead + (shape[-1] // 32,)),
                                      _dtypes.float16),
    }


def _load_gguf(f, name):
    g = _gguf()
    Q = g.GGMLQuantizationType
    if os.fstat(f.fileno()).st_size == 0:
        raise _bad(name, "the file is empty")
    buf = np.memmap(f, dtype=np.uint8, mode="r")
    parser = _GGUFParser(buf, name)
    metadata, tensors = parser.parse()
    order = parser.order
    plain = {Q.F32: _dtypes.float32, Q.F16: _dtypes.float16, Q.F64: _dtypes.float64,
             Q.I8: _dtypes.int8, Q.I16: _dtypes.int16, Q.I32: _dtypes.int32,
             Q.I64: _dtypes.int64, Q.BF16: _dtypes.bfloat16}
    arrays = {}

    def put(key, value):
        if key in arrays:
            raise _bad(name, f"two tensors are named {key!r}")
        arrays[key] = value

    for tname, shape, qtype, start, nbytes in tensors:
        raw = buf[start:start + nbytes]
        if qtype in plain:
            dt = plain[qtype]
            if dt == _dtypes.bfloat16:
                bits = raw.view(order + "u2").astype(np.uint16)
                value = bits.view(dt.np)
            else:
                value = raw.view(dt.np.newbyteorder(order)).astype(dt.np)
            put(tname, _from_numpy(value.reshape(shape), dt))
        elif qtype in (Q.Q4_0, Q.Q4_1, Q.Q8_0):
            for k, v in _gguf_quantized(name, tname, qtype, raw, shape, order).items():
                put(k, v)
        else:
            raise _bad(name, f"tensor {tname!r} has GGML type {qtype.name}, which mxc cannot "
                             "load")
    return arrays, metadata


# --------------------------------------------------------------------------- load

_FORMATS = ("npy", "npz", "safetensors", "gguf")


def load(file, format: str | None = None, return_metadata: bool = False, *, stream=None):
    """Loads arrays from a ``.npy``, ``.npz``, ``.safetensors`` or ``.gguf`` file.

    The format comes from the file's extension unless ``format`` names it. An
    ``.npy`` file gives an array; the others give a dict of names to arrays, and
    with ``return_metadata=True`` (safetensors and GGUF) a pair (arrays, metadata).
    ``file`` is a path or a binary file object (GGUF needs a path).
    """
    if isinstance(format, array):
        # The MLX guide's example ``mx.load("array.npy", a)`` passes an array here.
        format = None
    if format is not None and not isinstance(format, str):
        raise TypeError(f"[load] format must be a string, got {type(format).__name__}.")
    name = _display_name(file)
    if format is None:
        ext = os.path.splitext(name)[1]
        if not ext:
            raise ValueError("[load] Could not infer file format from extension")
        format = ext[1:]
    fmt = format.lower()
    if fmt not in _FORMATS:
        raise ValueError(f"[load] Unknown file format {format}")
    if return_metadata and fmt in ("npy", "npz"):
        raise ValueError(f"[load] metadata not supported for format {fmt}")
    if fmt == "gguf":
        if not _is_path(file):
            raise ValueError("[load] GGUF files must be loaded from a path")
        with open(file, "rb") as f:
            loaded = _guard(lambda: _load_gguf(f, name), fmt, name)
    else:
        reader = {"npy": _read_npy, "npz": _load_npz, "safetensors": _load_safetensors}[fmt]
        if _is_path(file):
            with open(file, "rb") as f:
                if fmt == "safetensors":
                    loaded = _guard(lambda: reader(f, name, os.fspath(file)), fmt, name)
                else:
                    loaded = _guard(lambda: reader(f, name), fmt, name)
        else:
            loaded = _guard(lambda: reader(file, name), fmt, name)
    if fmt in ("npy", "npz"):
        return loaded
    arrays, metadata = loaded
    return (arrays, metadata) if return_metadata else arrays


def _guard(fn, fmt, name):
    """Runs a reader, turning whatever a malformed file makes it raise into ValueError."""
    try:
        return fn()
    except _FormatError:
        raise
    except (MemoryError, RecursionError, KeyboardInterrupt):
        raise
    except Exception as e:
        raise _bad(name, f"bad {fmt} file ({type(e).__name__}: {e})") from e
