"""Saving and loading: .npy, .npz, .safetensors, .gguf.

Round trips every dtype each format holds, reads and writes files with NumPy,
the safetensors and gguf libraries and MLX, checks metadata, atomic writes,
hostile files and file objects.
"""

import io
import os
import struct
import tracemalloc
import zipfile

import gguf
import ml_dtypes
import numpy as np
import pytest
import safetensors
import safetensors.numpy

import mxc.core as mx
from mxc.core import _io

mlx = pytest.importorskip("mlx.core")

ALL = [mx.bool_, mx.uint8, mx.uint16, mx.uint32, mx.uint64, mx.int8, mx.int16, mx.int32,
       mx.int64, mx.float16, mx.bfloat16, mx.float32, mx.float64, mx.complex64]
GGUF_DTYPES = [mx.float32, mx.float16, mx.bfloat16, mx.float64, mx.int8, mx.int16, mx.int32,
               mx.int64]
SHAPES = [(), (0,), (2, 0, 3), (5,), (3, 4), (2, 3, 4)]
FORMATS = ["npy", "npz", "npz_compressed", "safetensors", "gguf"]


def sample(dtype, shape, seed=0):
    """Values of ``dtype`` (a NumPy array) covering the type's edge cases."""
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape))
    npd = dtype.np
    if dtype == mx.bool_:
        flat = rng.random(n) > 0.5
    elif dtype.kind in "iu":
        info = np.iinfo(npd)
        flat = rng.integers(info.min, info.max, size=n, dtype=npd, endpoint=True)
        edges = np.array([info.min, info.max, 0, 1], dtype=npd)[:n]
        flat[:len(edges)] = edges
    elif dtype == mx.complex64:
        flat = (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(npd)
        flat[:1] = complex(np.inf, np.nan)
    else:
        flat = (rng.standard_normal(n) * 100).astype(npd)
        edges = np.array([np.inf, -np.inf, np.nan, -0.0, 1e-40], dtype=np.float32)
        flat[:min(n, 5)] = edges[:min(n, 5)].astype(npd)
    return np.asarray(flat, dtype=npd).reshape(shape)


def mxa(value, dtype):
    return mx.array(value, dtype=dtype)


def _read(path):
    with open(path, "rb") as f:
        return f.read()


def same_bits(a, b):
    a, b = np.ascontiguousarray(a), np.ascontiguousarray(b)
    return a.shape == b.shape and a.dtype.itemsize == b.dtype.itemsize and (
        a.tobytes() == b.tobytes())


def check(arr, expected, dtype):
    """``arr`` (an mxc array) holds exactly ``expected`` as ``dtype``."""
    assert isinstance(arr, mx.array)
    assert arr.dtype == dtype, (arr.dtype, dtype)
    assert arr.shape == expected.shape
    assert same_bits(arr._numpy(), np.asarray(expected, dtype=dtype.np))


def to_mlx(value, dtype):
    if dtype == mx.bfloat16:
        return mlx.array(value.view(np.uint16)).view(mlx.bfloat16)
    return mlx.array(value, dtype=getattr(mlx, dtype.name.replace("bool", "bool_")))


def from_mlx(a):
    if a.dtype == mlx.bfloat16:
        return np.array(a.view(mlx.uint16)).view(ml_dtypes.bfloat16)
    return np.array(a)


def save_as(fmt, path, arrays, metadata=None):
    """Saves ``arrays`` (a dict) in ``fmt``; the path written."""
    if fmt == "npy":
        (value,) = arrays.values()
        mx.save(path, value)
        return path + ".npy"
    if fmt == "npz":
        mx.savez(path, **arrays)
        return path + ".npz"
    if fmt == "npz_compressed":
        mx.savez_compressed(path, **arrays)
        return path + ".npz"
    if fmt == "safetensors":
        mx.save_safetensors(path, arrays, metadata)
        return path + ".safetensors"
    mx.save_gguf(path, arrays, metadata)
    return path + ".gguf"


def dtypes_of(fmt):
    return GGUF_DTYPES if fmt == "gguf" else ALL


# ------------------------------------------------------------------- round trips

ROUND_TRIP = [(fmt, d) for fmt in FORMATS for d in dtypes_of(fmt)]


@pytest.mark.parametrize("fmt,dtype", ROUND_TRIP, ids=[f"{f}-{d.name}" for f, d in ROUND_TRIP])
def test_round_trip(tmp_path, fmt, dtype):
    for i, shape in enumerate(SHAPES):
        value = sample(dtype, shape, seed=i)
        path = save_as(fmt, str(tmp_path / f"f{i}"), {"x": mxa(value, dtype)})
        loaded = mx.load(path)
        if fmt == "npy":
            check(loaded, value, dtype)
        else:
            assert list(loaded) == ["x"]
            check(loaded["x"], value, dtype)


@pytest.mark.parametrize("fmt", ["npz", "npz_compressed", "safetensors", "gguf"])
def test_round_trip_many_arrays(tmp_path, fmt):
    arrays = {f"layer.{i}.{d.name}": (d, sample(d, (3, i + 1), seed=i))
              for i, d in enumerate(dtypes_of(fmt))}
    path = save_as(fmt, str(tmp_path / "many"), {k: mxa(v, d) for k, (d, v) in arrays.items()})
    loaded = mx.load(path)
    assert set(loaded) == set(arrays)
    for k, (d, v) in arrays.items():
        check(loaded[k], v, d)


@pytest.mark.parametrize("fmt", FORMATS)
def test_non_contiguous_and_lazy_inputs(tmp_path, fmt):
    base = np.arange(24, dtype=np.float32).reshape(4, 6)
    cases = {
        "t": (mx.transpose(mx.array(base)), base.T),
        "s": (mx.array(base)[::2, 1::2], base[::2, 1::2]),
        "b": (mx.broadcast_to(mx.array(base[:1]), (3, 6)), np.broadcast_to(base[:1], (3, 6))),
        "lazy": (mx.array(base) * 2 + 1, base * 2 + 1),
    }
    for name, (arr, expected) in cases.items():
        path = save_as(fmt, str(tmp_path / name), {name: arr})
        loaded = mx.load(path)
        loaded = loaded if fmt == "npy" else loaded[name]
        check(loaded, expected, mx.float32)


def test_save_evaluates_lazy_arrays(tmp_path):
    a = mx.ones((3,)) * 4
    b = mx.arange(3) + 1
    assert a._value is None and b._value is None
    mx.savez(str(tmp_path / "z"), a, b=b)
    assert a._value is not None and b._value is not None
    c = mx.ones((2,)) - 3
    mx.save_safetensors(str(tmp_path / "s"), {"c": c})
    assert c._value is not None
    np.testing.assert_array_equal(np.asarray(mx.load(str(tmp_path / "s.safetensors"))["c"]),
                                  [-2, -2])


def test_gguf_rejects_dtypes_it_cannot_hold(tmp_path):
    for dtype in set(ALL) - set(GGUF_DTYPES):
        with pytest.raises(ValueError, match=dtype.name):
            mx.save_gguf(str(tmp_path / "bad"), {"x": mxa(sample(dtype, (2,)), dtype)})
    assert not os.listdir(tmp_path)


# ------------------------------------------------------------------- extensions and API


def test_extensions_and_paths(tmp_path):
    a = mx.array([1.0, 2.0])
    mx.save(str(tmp_path / "a"), a)
    mx.save(str(tmp_path / "b.npy"), a)
    mx.save(str(tmp_path / "c.txt"), a)
    mx.save(tmp_path / "d", a)  # pathlib.Path
    mx.savez(str(tmp_path / "e"), a)
    mx.savez_compressed(tmp_path / "f.npz", a)
    mx.save_safetensors(str(tmp_path / "g"), {"a": a})
    mx.save_gguf(tmp_path / "h", {"a": a})
    assert sorted(os.listdir(tmp_path)) == [
        "a.npy", "b.npy", "c.txt.npy", "d.npy", "e.npz", "f.npz", "g.safetensors", "h.gguf"]
    for f in sorted(os.listdir(tmp_path)):
        loaded = mx.load(tmp_path / f)
        loaded = loaded if f.endswith(".npy") else next(iter(loaded.values()))
        check(loaded, np.array([1.0, 2.0], np.float32), mx.float32)


def test_savez_names(tmp_path):
    mx.savez(str(tmp_path / "z"), mx.array([1]), mx.array([2.0]), w=mx.array([3]))
    loaded = mx.load(str(tmp_path / "z.npz"))
    assert list(loaded) == ["w", "arr_0", "arr_1"]  # MLX's order: keywords first
    check(loaded["arr_1"], np.array([2.0], np.float32), mx.float32)
    with pytest.raises(ValueError, match="arr_0"):
        mx.savez(str(tmp_path / "c"), mx.array([1]), arr_0=mx.array([2]))
    assert not (tmp_path / "c.npz").exists()


def test_savez_compressed_is_deflated(tmp_path):
    mx.savez_compressed(str(tmp_path / "c"), z=mx.zeros((1000,)))
    mx.savez(str(tmp_path / "u"), z=mx.zeros((1000,)))
    with zipfile.ZipFile(tmp_path / "c.npz") as zf:
        assert zf.infolist()[0].compress_type == zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(tmp_path / "u.npz") as zf:
        assert zf.infolist()[0].compress_type == zipfile.ZIP_STORED
    assert os.path.getsize(tmp_path / "c.npz") < os.path.getsize(tmp_path / "u.npz") / 4


def test_load_format_argument(tmp_path):
    a = mx.array([1, 2, 3])
    mx.save(str(tmp_path / "a"), a)
    os.rename(tmp_path / "a.npy", tmp_path / "noext")
    with pytest.raises(ValueError, match="infer"):
        mx.load(str(tmp_path / "noext"))
    check(mx.load(str(tmp_path / "noext"), format="npy"), np.array([1, 2, 3], np.int32),
          mx.int32)
    with pytest.raises(ValueError, match="Unknown file format"):
        mx.load(str(tmp_path / "noext"), format="xyz")
    with pytest.raises(ValueError, match="metadata not supported"):
        mx.load(str(tmp_path / "noext"), format="npy", return_metadata=True)
    mx.savez(str(tmp_path / "z"), a)
    with pytest.raises(ValueError, match="metadata not supported"):
        mx.load(str(tmp_path / "z.npz"), return_metadata=True)
    with pytest.raises(FileNotFoundError):
        mx.load(str(tmp_path / "missing.npy"))
    # The wrong format for a file's contents is a bad file.
    with pytest.raises(ValueError, match="noext"):
        mx.load(str(tmp_path / "noext"), format="safetensors")


def test_save_accepts_array_likes_and_rejects_others(tmp_path):
    mx.save(str(tmp_path / "l"), np.arange(3, dtype=np.int16))
    check(mx.load(str(tmp_path / "l.npy")), np.arange(3, dtype=np.int16), mx.int16)
    with pytest.raises(TypeError):
        mx.save_safetensors(str(tmp_path / "s"), [mx.zeros(2)])
    with pytest.raises(TypeError):
        mx.save_safetensors(str(tmp_path / "s"), {1: mx.zeros(2)})
    assert sorted(os.listdir(tmp_path)) == ["l.npy"]


def test_seed_guide_examples(tmp_path, monkeypatch):
    # The "Saving and Loading Arrays" section of the guide, verbatim.
    monkeypatch.chdir(tmp_path)
    a = mx.array([1.0])
    mx.save("array", a)
    assert os.path.exists("array.npy")
    assert repr(mx.load("array.npy", a)) == "array([1], dtype=float32)"
    a = mx.array([1.0])
    b = mx.array([2.0])
    mx.savez("arrays", a, b=b)
    assert repr(mx.load("arrays.npz")) == (
        "{'b': array([2], dtype=float32), 'arr_0': array([1], dtype=float32)}")
    a = mx.array([1.0])
    b = mx.array([2.0])
    mx.save_safetensors("arrays", {"a": a, "b": b})
    loaded = mx.load("arrays.safetensors")
    assert set(loaded) == {"a", "b"}
    check(loaded["a"], np.array([1.0], np.float32), mx.float32)
    check(loaded["b"], np.array([2.0], np.float32), mx.float32)
    mx.save_gguf("arrays", {"a": a, "b": b})
    loaded = mx.load("arrays.gguf")
    check(loaded["b"], np.array([2.0], np.float32), mx.float32)


# ------------------------------------------------------------------- NumPy interop


@pytest.mark.parametrize("dtype", ALL, ids=[d.name for d in ALL])
def test_numpy_reads_ours(tmp_path, dtype):
    value = sample(dtype, (3, 4))
    mx.save(str(tmp_path / "a"), mxa(value, dtype))
    mx.savez(str(tmp_path / "z"), mxa(value, dtype), k=mxa(value[0], dtype))
    got = np.load(tmp_path / "a.npy")
    with np.load(tmp_path / "z.npz") as z:
        zs = {k: z[k] for k in z.files}
    if dtype == mx.bfloat16:
        # NumPy has no bfloat16: the files say '<V2', as MLX's do.
        assert got.dtype == np.dtype("V2")
        got = got.view(ml_dtypes.bfloat16)
        zs = {k: v.view(ml_dtypes.bfloat16) for k, v in zs.items()}
    else:
        assert got.dtype == dtype.np
    assert same_bits(got, value)
    assert set(zs) == {"arr_0", "k"}
    assert same_bits(zs["arr_0"], value) and same_bits(zs["k"], value[0])


def _numpy_cases():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((3, 5)).astype(np.float32)
    return {
        "c_order": (x, x, mx.float32),
        "fortran": (np.asfortranarray(x), x, mx.float32),
        "big_endian_f4": (x.astype(">f4"), x, mx.float32),
        "big_endian_i8": (np.arange(6, dtype=">i8").reshape(2, 3),
                          np.arange(6).reshape(2, 3), mx.int64),
        "big_endian_c8": (np.array([1 + 2j, 3 - 4j], dtype=">c8"),
                          np.array([1 + 2j, 3 - 4j], np.complex64), mx.complex64),
        "float64": (x.astype(np.float64), x.astype(np.float64), mx.float64),
        "bool": (x > 0, x > 0, mx.bool_),
        "uint64": (np.array([2**64 - 1, 0], np.uint64), np.array([2**64 - 1, 0], np.uint64),
                   mx.uint64),
        "bf16": (x.astype(ml_dtypes.bfloat16), x.astype(ml_dtypes.bfloat16), mx.bfloat16),
        "bf16_void": (x.astype(ml_dtypes.bfloat16).view("V2"), x.astype(ml_dtypes.bfloat16),
                      mx.bfloat16),
        "scalar": (np.float16(3.5), np.array(3.5, np.float16), mx.float16),
        "empty": (np.zeros((0, 4), np.int8), np.zeros((0, 4), np.int8), mx.int8),
    }


@pytest.mark.parametrize("case", list(_numpy_cases()))
def test_we_read_numpy_files(tmp_path, case):
    value, expected, dtype = _numpy_cases()[case]
    np.save(tmp_path / "n.npy", value)
    check(mx.load(str(tmp_path / "n.npy")), expected, dtype)
    np.savez(tmp_path / "n.npz", v=value, w=value)
    np.savez_compressed(tmp_path / "c.npz", value)
    loaded = mx.load(str(tmp_path / "n.npz"))
    assert list(loaded) == ["v", "w"]
    check(loaded["v"], expected, dtype)
    check(mx.load(str(tmp_path / "c.npz"))["arr_0"], expected, dtype)


@pytest.mark.parametrize("version", [(1, 0), (2, 0), (3, 0)])
def test_npy_header_versions(tmp_path, version):
    value = np.arange(12, dtype=np.int32).reshape(3, 4)
    with open(tmp_path / "v.npy", "wb") as f:
        np.lib.format.write_array(f, value, version=version)
    check(mx.load(str(tmp_path / "v.npy")), value, mx.int32)


# ------------------------------------------------------------------- safetensors interop


@pytest.mark.parametrize("dtype", ALL, ids=[d.name for d in ALL])
def test_safetensors_library_reads_ours(tmp_path, dtype):
    value = sample(dtype, (2, 3))
    mx.save_safetensors(str(tmp_path / "s"), {"w": mxa(value, dtype), "e": mx.zeros((0,))},
                        {"who": "mxc"})
    with safetensors.safe_open(tmp_path / "s.safetensors", framework="np") as f:
        assert f.metadata() == {"who": "mxc"}
        assert sorted(f.keys()) == ["e", "w"]
    data = (tmp_path / "s.safetensors").read_bytes()
    flat = dict(safetensors.deserialize(data))
    assert flat["w"]["shape"] == [2, 3]
    assert flat["w"]["dtype"] == {v: k for k, v in _io._ST_DTYPES.items()}[dtype]
    assert bytes(flat["w"]["data"]) == value.tobytes()
    if dtype != mx.bfloat16:  # safetensors.numpy has no bfloat16
        got = safetensors.numpy.load_file(tmp_path / "s.safetensors")
        assert same_bits(got["w"], value) and got["w"].dtype == dtype.np


@pytest.mark.parametrize("dtype", ALL, ids=[d.name for d in ALL])
def test_we_read_safetensors_library_files(tmp_path, dtype):
    value = sample(dtype, (4, 2), seed=3)
    if dtype == mx.bfloat16:
        keep = np.ascontiguousarray(value)
        spec = safetensors.TensorSpec(dtype="bfloat16", shape=[4, 2],
                                      data_ptr=keep.ctypes.data, data_len=keep.nbytes)
        safetensors.serialize_file({"w": spec}, tmp_path / "s.safetensors",
                                   metadata={"a": "b"})
    else:
        safetensors.numpy.save_file({"w": value, "s": np.array(value[0, 0])},
                                    tmp_path / "s.safetensors", metadata={"a": "b"})
    arrays, meta = mx.load(str(tmp_path / "s.safetensors"), return_metadata=True)
    assert meta == {"a": "b"}
    check(arrays["w"], value, dtype)
    if dtype != mx.bfloat16:
        check(arrays["s"], value[0, 0].reshape(()), dtype)


def test_safetensors_metadata(tmp_path):
    p = str(tmp_path / "m")
    meta = {"format": "mlx", "unicode": "héllo ✓", "empty": "", "json": '{"a": [1, 2]}'}
    mx.save_safetensors(p, {"a": mx.zeros((1,))}, meta)
    arrays, got = mx.load(p + ".safetensors", return_metadata=True)
    assert got == meta
    mx.save_safetensors(p, {"a": mx.zeros((1,))})
    assert mx.load(p + ".safetensors", return_metadata=True)[1] == {}
    mx.save_safetensors(p, {}, {"only": "meta"})
    assert mx.load(p + ".safetensors", return_metadata=True) == ({}, {"only": "meta"})
    for bad in ({"k": 1}, {1: "v"}, ["k"]):
        with pytest.raises(ValueError, match="Metadata"):
            mx.save_safetensors(str(tmp_path / "bad"), {"a": mx.zeros((1,))}, bad)
    assert not (tmp_path / "bad.safetensors").exists()


def test_safetensors_unsupported_dtype(tmp_path):
    keep = np.zeros(4, np.uint8)
    spec = safetensors.TensorSpec(dtype="float8_e4m3fn", shape=[4], data_ptr=keep.ctypes.data,
                                  data_len=4)
    safetensors.serialize_file({"f8": spec}, tmp_path / "f8.safetensors")
    with pytest.raises(ValueError, match=r"f8\.safetensors.*F8_E4M3"):
        mx.load(str(tmp_path / "f8.safetensors"))


# ------------------------------------------------------------------- gguf interop


@pytest.mark.parametrize("dtype", GGUF_DTYPES, ids=[d.name for d in GGUF_DTYPES])
def test_gguf_library_reads_ours(tmp_path, dtype):
    value = sample(dtype, (3, 5))
    # (GGUFReader cannot read 0-d bfloat16 tensors: it derives a byte shape from the
    # last dimension; mxc and MLX read them.)
    small = value[0, :1] if dtype == mx.bfloat16 else value[0, 0]
    mx.save_gguf(str(tmp_path / "g"), {"w": mxa(value, dtype), "s": mxa(small, dtype)})
    reader = gguf.GGUFReader(tmp_path / "g.gguf")
    tensors = {t.name: t for t in reader.tensors}
    assert set(tensors) == {"w", "s"}
    assert tensors["w"].tensor_type == _io._gguf_tables()[0][dtype]
    assert list(tensors["w"].shape) == [5, 3]  # GGUF lists dimensions innermost first
    data = np.asarray(tensors["w"].data)
    if dtype == mx.bfloat16:
        data = data.view(ml_dtypes.bfloat16).reshape(3, 5)
    assert same_bits(data, value)
    assert "general.architecture" not in reader.fields


def test_we_read_gguf_library_files(tmp_path):
    rng = np.random.default_rng(5)
    tensors = {
        "f32": rng.standard_normal((2, 3)).astype(np.float32),
        "f16": rng.standard_normal((4,)).astype(np.float16),
        "f64": rng.standard_normal((2, 2, 2)),
        "i8": np.arange(-3, 3, dtype=np.int8),
        "i16": np.arange(6, dtype=np.int16).reshape(3, 2),
        "i32": np.array([-(2**31), 2**31 - 1], np.int32),
        "i64": np.array([-(2**63), 2**63 - 1], np.int64),
    }
    bf = rng.standard_normal((3, 4)).astype(ml_dtypes.bfloat16)
    w = gguf.GGUFWriter(tmp_path / "lib.gguf", "llama")
    w.add_uint8("u8", 200)
    w.add_int8("i8", -7)
    w.add_uint16("u16", 60000)
    w.add_int16("i16", -300)
    w.add_uint32("u32", 2**32 - 1)
    w.add_int32("i32", -(2**31))
    w.add_float32("f32", 1.5)
    w.add_uint64("u64", 2**64 - 1)
    w.add_int64("i64", -(2**63))
    w.add_float64("f64", 0.1)
    w.add_bool("b", True)
    w.add_string("s", "héllo")
    w.add_array("ai", [1, 2, 3])
    w.add_array("af", [1.5, 2.5])
    w.add_array("ab", [True, False])
    w.add_array("as", ["x", "yz"])
    w.add_key_value("au64", [1, 2**64 - 1], gguf.GGUFValueType.ARRAY,
                    sub_type=gguf.GGUFValueType.UINT64)
    for k, v in tensors.items():
        w.add_tensor(k, v)
    w.add_tensor("bf16", bf, raw_dtype=gguf.GGMLQuantizationType.BF16)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    arrays, meta = mx.load(str(tmp_path / "lib.gguf"), return_metadata=True)
    assert set(arrays) == set(tensors) | {"bf16"}
    for k, v in tensors.items():
        check(arrays[k], v, mx._dtypes.from_numpy(v.dtype))
    check(arrays["bf16"], bf, mx.bfloat16)
    expected = {
        "u8": (200, mx.uint8), "i8": (-7, mx.int8), "u16": (60000, mx.uint16),
        "i16": (-300, mx.int16), "u32": (2**32 - 1, mx.uint32), "i32": (-(2**31), mx.int32),
        "f32": (1.5, mx.float32), "u64": (2**64 - 1, mx.uint64), "i64": (-(2**63), mx.int64),
        "f64": (0.1, mx.float64), "b": (True, mx.bool_),
        "ai": ([1, 2, 3], mx.int32), "af": ([1.5, 2.5], mx.float32),
        "ab": ([True, False], mx.bool_), "au64": ([1, 2**64 - 1], mx.uint64),
    }
    assert set(meta) == set(expected) | {"s", "as", "general.architecture"}
    assert meta["s"] == "héllo" and meta["as"] == ["x", "yz"]
    assert meta["general.architecture"] == "llama"
    for k, (v, dt) in expected.items():
        check(meta[k], np.array(v, dtype=dt.np), dt)


def test_gguf_metadata_round_trip(tmp_path):
    meta = {
        "str": "text ✓", "empty_str": "", "strs": ["a", "bc", ""], "no_strs": [],
        "f32": mx.array(1.25), "f32s": mx.array([1.0, -2.5]),
        "f64": mx.array(0.1, dtype=mx.float64), "f64s": mx.array([0.1, 0.2], dtype=mx.float64),
        "empty_i32s": mx.zeros((0,), mx.int32),
        "py_int": 7, "py_float": 0.5, "py_bool": True, "py_list": [1, 2],
    }
    for dt in [mx.bool_, mx.uint8, mx.int8, mx.uint16, mx.int16, mx.uint32, mx.int32,
               mx.uint64, mx.int64]:
        meta[f"s_{dt.name}"] = mx.array(1, dtype=dt)
        meta[f"v_{dt.name}"] = mx.array([1, 0, 1], dtype=dt)
    mx.save_gguf(str(tmp_path / "m"), {"x": mx.ones((2,))}, meta)
    arrays, got = mx.load(str(tmp_path / "m.gguf"), return_metadata=True)
    assert set(got) == set(meta)
    for k, v in meta.items():
        if isinstance(v, mx.array):
            check(got[k], v._numpy(), v.dtype)
        elif isinstance(v, (str, list)) and all(isinstance(s, str) for s in v):
            assert got[k] == v
    check(got["py_int"], np.array(7, np.int32), mx.int32)
    check(got["py_float"], np.array(0.5, np.float32), mx.float32)
    check(got["py_bool"], np.array(True), mx.bool_)
    check(got["py_list"], np.array([1, 2], np.int32), mx.int32)
    # The gguf library sees the typed values.
    reader = gguf.GGUFReader(tmp_path / "m.gguf")
    V = gguf.GGUFValueType
    assert reader.fields["s_uint16"].types == [V.UINT16]
    assert reader.fields["v_int64"].types == [V.ARRAY, V.INT64]
    assert reader.fields["f64"].types == [V.FLOAT64]
    assert reader.fields["strs"].contents() == ["a", "bc", ""]
    assert reader.fields["str"].contents() == "text ✓"


def test_gguf_metadata_errors(tmp_path):
    for bad, match in [(mx.zeros((2, 2)), "one dimension"), (mx.array(1.0, mx.float16),
                                                              "float16"),
                       (mx.array([1 + 1j]), "complex64"), (object(), "string"),
                       (["a", 1], "int32|string")]:
        with pytest.raises(ValueError, match=match):
            mx.save_gguf(str(tmp_path / "bad"), {"x": mx.ones((1,))}, {"k": bad})
    with pytest.raises(ValueError):
        mx.save_gguf(io.BytesIO(), {"x": mx.ones((1,))})
    mx.save_gguf(str(tmp_path / "ok"), {"x": mx.ones((1,))})
    with pytest.raises(ValueError, match="path"):  # as MLX, GGUF loads from paths only
        mx.load(io.BytesIO((tmp_path / "ok.gguf").read_bytes()), format="gguf")
    assert os.listdir(tmp_path) == ["ok.gguf"]


def test_gguf_big_endian_file(tmp_path):
    w = gguf.GGUFWriter(tmp_path / "be.gguf", "", endianess=gguf.GGUFEndian.BIG)
    w.add_uint32("u32", 0x01020304)
    w.add_array("f32s", [1.5, -2.0])
    w.add_string("s", "big")
    value = np.arange(6, dtype=np.int32).reshape(2, 3) * 1000
    w.add_tensor("t", value)
    w.add_tensor("h", np.array([1.5, -3.0], np.float16))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    arrays, meta = mx.load(str(tmp_path / "be.gguf"), return_metadata=True)
    check(arrays["t"], value, mx.int32)
    check(arrays["h"], np.array([1.5, -3.0], np.float16), mx.float16)
    check(meta["u32"], np.array(0x01020304, np.uint32), mx.uint32)
    check(meta["f32s"], np.array([1.5, -2.0], np.float32), mx.float32)
    assert meta["s"] == "big"


def _quantized_file(path):
    from gguf.quants import quantize

    rng = np.random.default_rng(7)
    x = rng.standard_normal((3, 2, 64)).astype(np.float32)
    w = gguf.GGUFWriter(path, "")
    Q = gguf.GGMLQuantizationType
    for qt in (Q.Q4_0, Q.Q4_1, Q.Q8_0):
        w.add_tensor(f"{qt.name.lower()}.weight", quantize(x, qt), raw_dtype=qt)
    w.add_tensor("plain", x[0, 0])
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return x


def test_gguf_quantized_tensors_load_as_mlx(tmp_path):
    from gguf.quants import dequantize

    path = str(tmp_path / "q.gguf")
    _quantized_file(path)
    ours = mx.load(path)
    theirs = mlx.load(path)
    assert set(ours) == set(theirs)
    for k, v in theirs.items():
        assert ours[k].dtype.name == str(v.dtype).split(".")[-1], k
        assert same_bits(ours[k]._numpy(), from_mlx(v)), k
    # And the triples mean what the gguf library says the tensors hold.
    reader = gguf.GGUFReader(path)
    for t in reader.tensors:
        if t.name == "plain":
            continue
        bits = 8 if "q8" in t.name else 4
        base = t.name[:-len(".weight")]
        words = ours[t.name]._numpy()
        q = np.stack([(words >> (bits * i)) & ((1 << bits) - 1) for i in range(32 // bits)],
                     axis=-1).reshape(words.shape[:-1] + (-1,)).astype(np.float32)
        scales = np.repeat(ours[base + ".scales"]._numpy().astype(np.float32), 32, axis=-1)
        biases = np.repeat(ours[base + ".biases"]._numpy().astype(np.float32), 32, axis=-1)
        expected = dequantize(np.asarray(t.data), t.tensor_type)
        np.testing.assert_allclose(q * scales + biases, expected, rtol=1e-3, atol=1e-3)


# ------------------------------------------------------------------- MLX interop


@pytest.mark.parametrize("fmt", FORMATS)
def test_mlx_reads_ours(tmp_path, fmt):
    # The dtypes MLX reads in each format (MLX has no float64 safetensors, and reads
    # only float32/float16/int8/int16/int32 GGUF tensors).
    if fmt == "gguf":
        dtypes = [mx.float32, mx.float16, mx.int8, mx.int16, mx.int32]
    elif fmt == "safetensors":
        dtypes = [d for d in ALL if d != mx.float64]
    else:
        dtypes = ALL
    for i, dtype in enumerate(dtypes):
        for j, shape in enumerate([(), (3, 4), (0, 2)]):
            value = sample(dtype, shape, seed=i + j)
            path = save_as(fmt, str(tmp_path / f"{dtype.name}_{j}"), {"x": mxa(value, dtype)})
            got = mlx.load(path)
            got = got if fmt == "npy" else got["x"]
            assert str(got.dtype).split(".")[-1] == dtype.name
            assert got.shape == value.shape
            assert same_bits(from_mlx(got), value), (dtype, shape)


@pytest.mark.parametrize("fmt", FORMATS)
def test_we_read_mlx_files(tmp_path, fmt):
    if fmt == "gguf":
        dtypes = [mx.float32, mx.float16, mx.int8, mx.int16, mx.int32]
    elif fmt == "safetensors":
        dtypes = [d for d in ALL if d != mx.float64]
    else:
        dtypes = ALL
    for i, dtype in enumerate(dtypes):
        value = sample(dtype, (2, 3), seed=i)
        a = to_mlx(value, dtype)
        base = str(tmp_path / dtype.name)
        if fmt == "npy":
            mlx.save(base, a)
        elif fmt == "npz":
            mlx.savez(base, a, k=a)
        elif fmt == "npz_compressed":
            mlx.savez_compressed(base, a, k=a)
        elif fmt == "safetensors":
            mlx.save_safetensors(base, {"x": a}, {"m": "v"})
        else:
            mlx.save_gguf(base, {"x": a}, {"m": "v", "n": mlx.array([1, 2])})
        ext = {"npz_compressed": "npz"}.get(fmt, fmt)
        got = mx.load(f"{base}.{ext}")
        if fmt == "npy":
            check(got, value, dtype)
        elif fmt.startswith("npz"):
            assert set(got) == {"k", "arr_0"}
            check(got["arr_0"], value, dtype)
            check(got["k"], value, dtype)
        else:
            arrays, meta = mx.load(f"{base}.{ext}", return_metadata=True)
            check(arrays["x"], value, dtype)
            assert meta["m"] == "v"
            if fmt == "gguf":
                check(meta["n"], np.array([1, 2], np.int32), mx.int32)
            else:
                mlx.save_safetensors(base + "_plain", {"x": a})
                arrays, meta = mx.load(base + "_plain.safetensors", return_metadata=True)
                assert meta == {}
                check(arrays["x"], value, dtype)


def test_mlx_reads_our_gguf_metadata(tmp_path):
    meta = {"s": "str", "l": ["a", "b"], "n": mx.array(3), "v": mx.array([1.0, 2.0]),
            "u8": mx.array([1, 2], dtype=mx.uint8), "b": mx.array(True)}
    mx.save_gguf(str(tmp_path / "g"), {"a": mx.arange(3)}, meta)
    arrays, got = mlx.load(str(tmp_path / "g.gguf"), return_metadata=True)
    assert got["s"] == "str" and got["l"] == ["a", "b"]
    assert got["n"].item() == 3 and got["n"].dtype == mlx.int32
    assert got["v"].tolist() == [1.0, 2.0] and got["v"].dtype == mlx.float32
    assert got["u8"].tolist() == [1, 2] and got["u8"].dtype == mlx.uint8
    assert got["b"].item() is True
    assert arrays["a"].tolist() == [0, 1, 2]


# ------------------------------------------------------------------- file objects


@pytest.mark.parametrize("fmt", ["npy", "npz", "safetensors"])
def test_file_objects(tmp_path, fmt):
    value = sample(mx.bfloat16, (3, 2))
    arr = mxa(value, mx.bfloat16)
    buf = io.BytesIO()
    if fmt == "npy":
        mx.save(buf, arr)
    elif fmt == "npz":
        mx.savez(buf, arr)
    else:
        mx.save_safetensors(buf, {"arr_0": arr}, {"k": "v"})
    data = buf.getvalue()
    assert data
    with pytest.raises(ValueError, match="infer"):
        mx.load(io.BytesIO(data))  # no name, no format
    loaded = mx.load(io.BytesIO(data), format=fmt)
    check(loaded if fmt == "npy" else loaded["arr_0"], value, mx.bfloat16)
    # A real file object: the format comes from its name; MLX reads the same bytes.
    path = tmp_path / f"f.{fmt}"
    with open(path, "wb") as f:
        f.write(b"")
        if fmt == "npy":
            mx.save(f, arr)
        elif fmt == "npz":
            mx.savez(f, arr)
        else:
            mx.save_safetensors(f, {"arr_0": arr})
    assert path.read_bytes() == data if fmt != "safetensors" else path.exists()
    with open(path, "rb") as f:
        loaded = mx.load(f)
    check(loaded if fmt == "npy" else loaded["arr_0"], value, mx.bfloat16)
    theirs = mlx.load(str(path))
    theirs = theirs if fmt == "npy" else theirs["arr_0"]
    assert same_bits(from_mlx(theirs), value)


def test_file_object_reads_from_current_position():
    buf = io.BytesIO()
    buf.write(b"prefix")
    mx.save(buf, mx.array([1, 2], dtype=mx.int16))
    mx.save(buf, mx.array([3.0]))
    buf.seek(6)
    check(mx.load(buf, format="npy"), np.array([1, 2], np.int16), mx.int16)
    check(mx.load(buf, format="npy"), np.array([3.0], np.float32), mx.float32)


class _Unseekable(io.RawIOBase):
    """A stream that can only be read forward (a pipe, a socket)."""

    def __init__(self, data):
        self._data = io.BytesIO(data)

    def readable(self):
        return True

    def seekable(self):
        return False

    def readinto(self, b):
        chunk = self._data.read(min(len(b), 7))
        b[:len(chunk)] = chunk
        return len(chunk)


def test_unseekable_stream():
    buf = io.BytesIO()
    value = np.arange(100, dtype=np.float64).reshape(10, 10)
    mx.save(buf, mx.array(value, dtype=mx.float64))
    data = buf.getvalue()
    check(mx.load(_Unseekable(data), format="npy"), value, mx.float64)
    with pytest.raises(ValueError, match="truncated"):
        mx.load(_Unseekable(data[:-10]), format="npy")


# ------------------------------------------------------------------- atomic writes


class _Boom:
    """An array-like whose conversion fails."""

    def __array__(self, dtype=None, copy=None):
        raise RuntimeError("boom: conversion failed")


def _listing(tmp_path):
    return sorted(os.listdir(tmp_path))


def _save_with(fmt, path, extra):
    arrays = {"a": mx.array([1.0, 2.0]), "b": extra}
    if fmt == "npy":
        mx.save(path, extra)
    elif fmt == "npz":
        mx.savez(path, **arrays)
    elif fmt == "npz_compressed":
        mx.savez_compressed(path, **arrays)
    elif fmt == "safetensors":
        mx.save_safetensors(path, arrays)
    else:
        mx.save_gguf(path, arrays)


@pytest.mark.parametrize("fmt", FORMATS)
def test_failed_conversion_leaves_old_file(tmp_path, fmt):
    path = save_as(fmt, str(tmp_path / "f"), {"x": mx.array([7.0, 8.0])})
    before = _read(path)
    with pytest.raises(RuntimeError, match="boom"):
        _save_with(fmt, str(tmp_path / "f"), _Boom())
    assert _read(path) == before
    assert _listing(tmp_path) == [os.path.basename(path)]
    loaded = mx.load(path)
    check(loaded if fmt == "npy" else loaded["x"], np.array([7.0, 8.0], np.float32),
          mx.float32)


def _fail_midway(monkeypatch, fmt):
    """Makes the format's library write part of the file, then fail (a full disk)."""
    def partial(f):
        f.write(b"\x93NUMPY partial garbage" * 10)
        raise OSError(28, "No space left on device")

    if fmt in ("npy", "npz", "npz_compressed"):
        def write_array(fp, *args, **kwargs):
            partial(fp)
        monkeypatch.setattr(np.lib.format, "write_array", write_array)
    elif fmt == "safetensors":
        def serialize_file(specs, filename, metadata=None):
            with open(filename, "wb") as f:
                partial(f)
        monkeypatch.setattr(safetensors, "serialize_file", serialize_file)
    else:
        def write_tensors_to_file(self, *args, **kwargs):
            partial(self.fout[0])
        monkeypatch.setattr(gguf.GGUFWriter, "write_tensors_to_file", write_tensors_to_file)


@pytest.mark.parametrize("fmt", FORMATS)
def test_failure_mid_write_leaves_old_file(tmp_path, monkeypatch, fmt):
    path = save_as(fmt, str(tmp_path / "f"), {"x": mx.array([7.0, 8.0])})
    os.chmod(path, 0o640)
    before = _read(path)
    with monkeypatch.context() as m:
        _fail_midway(m, fmt)
        with pytest.raises(OSError, match="No space"):
            _save_with(fmt, str(tmp_path / "f"), mx.array([1.0, 2.0, 3.0]))
        # No file at all when there was none before.
        with pytest.raises(OSError, match="No space"):
            _save_with(fmt, str(tmp_path / "new"), mx.array([1.0]))
    assert _read(path) == before
    assert _listing(tmp_path) == [os.path.basename(path)]  # no temporary files left
    # Once the failure is gone the save replaces the file, keeping its permissions.
    _save_with(fmt, str(tmp_path / "f"), mx.array([1.0, 2.0, 3.0]))
    assert _read(path) != before
    assert os.stat(path).st_mode & 0o777 == 0o640
    assert _listing(tmp_path) == [os.path.basename(path)]


def test_save_through_symlink_replaces_target(tmp_path):
    mx.save(str(tmp_path / "target.npy"), mx.array([1]))
    os.symlink(tmp_path / "target.npy", tmp_path / "link.npy")
    mx.save(str(tmp_path / "link.npy"), mx.array([2]))
    assert os.path.islink(tmp_path / "link.npy")
    check(mx.load(str(tmp_path / "target.npy")), np.array([2], np.int32), mx.int32)
    assert _listing(tmp_path) == ["link.npy", "target.npy"]


def test_failed_save_to_file_object_writes_nothing():
    buf = io.BytesIO(b"old")
    with pytest.raises(RuntimeError, match="boom"):
        mx.savez(buf, mx.array([1.0]), b=_Boom())
    with pytest.raises(RuntimeError, match="boom"):
        mx.save_safetensors(buf, {"a": mx.array([1.0]), "b": _Boom()})
    assert buf.getvalue() == b"old"


# ------------------------------------------------------------------- hostile files


def _assert_bad(path, match=None, **kwargs):
    """Loading ``path`` raises a ValueError that names it, allocating little."""
    tracemalloc.start()
    try:
        with pytest.raises(ValueError) as info:
            mx.load(str(path), **kwargs)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert os.path.basename(str(path)) in str(info.value)
    if match:
        assert any(m in str(info.value) for m in match.split("|")), str(info.value)
    assert peak < max(4 * os.path.getsize(path), 1 << 20) + (8 << 20), peak
    return info.value


@pytest.mark.parametrize("fmt", FORMATS)
def test_truncated_files(tmp_path, fmt):
    arrays = {"x": mx.array(np.arange(40, dtype=np.float32).reshape(5, 8)),
              "y": mx.array(np.arange(8, dtype=np.int32))}
    if fmt == "npy":
        arrays = {"x": arrays["x"]}
    path = save_as(fmt, str(tmp_path / "good"), arrays, None)
    data = _read(path)
    ext = os.path.splitext(path)[1]
    cuts = sorted(set(list(range(0, min(len(data), 200))) + list(range(0, len(data), 13))))
    full = mx.load(path)
    for n in cuts:
        cut = tmp_path / f"cut{ext}"
        cut.write_bytes(data[:n])
        try:
            loaded = mx.load(str(cut))
        except ValueError as e:
            assert "cut" + ext in str(e), (n, str(e))
            continue
        # Only a GGUF file's final alignment padding may go missing unnoticed.
        assert fmt == "gguf" and n >= len(data) - 31, n
        for k, v in full.items():
            check(loaded[k], v._numpy(), v.dtype)


def _npy_with_header(header: dict, data=b""):
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, header)
    return buf.getvalue() + data


def test_hostile_npy(tmp_path):
    p = tmp_path / "h.npy"
    p.write_bytes(_npy_with_header({"descr": "<f8", "fortran_order": False,
                                    "shape": (10**6, 10**6)}, b"\0" * 64))
    _assert_bad(p, "declares|bytes")
    p.write_bytes(_npy_with_header({"descr": "<f8", "fortran_order": False,
                                    "shape": (2**62,)}))
    _assert_bad(p, "declares|bytes")
    for descr in ["<c16", "|O", "<U3", "<M8[s]", "|V4", [("a", "<i4")]]:
        p.write_bytes(_npy_with_header({"descr": descr, "fortran_order": False,
                                        "shape": (1,)}, b"\0" * 64))
        _assert_bad(p, "unsupported dtype|header")
    p.write_bytes(_npy_with_header({"descr": "<f4", "fortran_order": False,
                                    "shape": (-1,)}, b"\0" * 64))
    _assert_bad(p)
    p.write_bytes(b"\x93NUMPY\x01\x00\xff\xff" + b"{" * 100)
    _assert_bad(p, "header")
    p.write_bytes(b"not a numpy file at all")
    _assert_bad(p, "header")
    p.write_bytes(b"")
    _assert_bad(p)


def test_hostile_npz(tmp_path):
    p = tmp_path / "h.npz"
    p.write_bytes(b"PK\x03\x04 definitely not a zip")
    _assert_bad(p, "zip")
    # A member whose header declares more data than it holds.
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("x.npy", _npy_with_header({"descr": "<f8", "fortran_order": False,
                                               "shape": (2**40,)}, b"\0" * 64))
    _assert_bad(p, "x.npy")
    # A member whose directory entry declares a size its stored bytes cannot have.
    mx.savez(str(tmp_path / "g"), x=mx.zeros((4,)))
    data = bytearray((tmp_path / "g.npz").read_bytes())
    cd = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, cd + 24, 0x7FFFFFFF)  # uncompressed size
    p.write_bytes(bytes(data))
    _assert_bad(p)
    # Corrupt compressed data (the CRC or deflate stream fails).
    mx.savez_compressed(str(tmp_path / "c"), x=mx.array(np.arange(1000.0)))
    data = bytearray((tmp_path / "c.npz").read_bytes())
    for i in range(120, 200):
        data[i] ^= 0x5A
    p.write_bytes(bytes(data))
    _assert_bad(p)
    # An unsupported dtype inside the archive.
    np.savez(p, s=np.array(["text"]))
    _assert_bad(p, "unsupported dtype")


def _safetensors_bytes(header: dict, data=b""):
    import json

    h = json.dumps(header).encode()
    return struct.pack("<Q", len(h)) + h + data


def test_hostile_safetensors(tmp_path):
    p = tmp_path / "h.safetensors"
    p.write_bytes(struct.pack("<Q", 2**60) + b"{}")
    _assert_bad(p)
    p.write_bytes(_safetensors_bytes({"x": {"dtype": "F32", "shape": [2**30, 2**30],
                                            "data_offsets": [0, 2**62]}}, b"\0" * 16))
    _assert_bad(p)
    p.write_bytes(_safetensors_bytes({"x": {"dtype": "F32", "shape": [4],
                                            "data_offsets": [0, 16]}}, b"\0" * 8))
    _assert_bad(p)
    p.write_bytes(_safetensors_bytes({"x": {"dtype": "F32", "shape": [4],
                                            "data_offsets": [0, 8]}}, b"\0" * 8))
    _assert_bad(p)
    p.write_bytes(_safetensors_bytes({"x": {"dtype": "XYZ", "shape": [1],
                                            "data_offsets": [0, 4]}}, b"\0" * 4))
    _assert_bad(p)
    p.write_bytes(struct.pack("<Q", 5) + b"{nope")
    _assert_bad(p)
    p.write_bytes(b"\x01")
    _assert_bad(p)


def _gguf_bytes(kvs=b"", n_kv=0, tensors=b"", n_tensors=0, data=b"", version=3):
    header = b"GGUF" + struct.pack("<IQQ", version, n_tensors, n_kv) + kvs + tensors
    pad = (-len(header)) % 32
    return header + b"\0" * pad + data


def _gstr(s):
    s = s.encode() if isinstance(s, str) else s
    return struct.pack("<Q", len(s)) + s


def test_hostile_gguf(tmp_path):
    p = tmp_path / "h.gguf"
    p.write_bytes(b"")
    _assert_bad(p, "empty")
    p.write_bytes(b"GGUX" + b"\0" * 40)
    _assert_bad(p, "magic")
    p.write_bytes(_gguf_bytes(version=99))
    _assert_bad(p, "version")
    p.write_bytes(_gguf_bytes(n_kv=2**62))
    _assert_bad(p, "metadata entries")
    p.write_bytes(_gguf_bytes(struct.pack("<Q", 2**60) + b"k", n_kv=1))
    _assert_bad(p, "beyond the end")
    # A string value longer than the file.
    p.write_bytes(_gguf_bytes(_gstr("k") + struct.pack("<IQ", 8, 2**62), n_kv=1))
    _assert_bad(p, "beyond the end")
    # Arrays with impossible counts (GGUFReader would loop over them one by one).
    p.write_bytes(_gguf_bytes(_gstr("k") + struct.pack("<IIQ", 9, 0, 2**62), n_kv=1))
    _assert_bad(p, "beyond the end")
    p.write_bytes(_gguf_bytes(_gstr("k") + struct.pack("<IIQ", 9, 8, 2**62), n_kv=1))
    _assert_bad(p, "strings")
    p.write_bytes(_gguf_bytes(_gstr("k") + struct.pack("<IIQ", 9, 9, 1), n_kv=1))
    _assert_bad(p, "nested")
    p.write_bytes(_gguf_bytes(_gstr("k") + struct.pack("<I", 77), n_kv=1))
    _assert_bad(p, "unknown value type")

    def tensor(dims, ttype=0, offset=0):
        return _gstr("t") + struct.pack("<I", len(dims)) + b"".join(
            struct.pack("<Q", d) for d in dims) + struct.pack("<IQ", ttype, offset)

    p.write_bytes(_gguf_bytes(tensors=tensor([2**32, 2**32]), n_tensors=1, data=b"\0" * 64))
    _assert_bad(p, "beyond the end")
    p.write_bytes(_gguf_bytes(tensors=tensor([4], offset=2**63), n_tensors=1,
                              data=b"\0" * 64))
    _assert_bad(p, "beyond the end")
    p.write_bytes(_gguf_bytes(tensors=tensor([4], ttype=999), n_tensors=1, data=b"\0" * 64))
    _assert_bad(p, "unknown GGML type")
    p.write_bytes(_gguf_bytes(tensors=tensor([5], ttype=2), n_tensors=1, data=b"\0" * 64))
    _assert_bad(p, "block size")
    # Uint64 products that wrap around to something small must not fool the check.
    p.write_bytes(_gguf_bytes(tensors=tensor([2**32, 2**32, 2]), n_tensors=1,
                              data=b"\0" * 64))
    _assert_bad(p, "beyond the end")
    p.write_bytes(_gguf_bytes(n_tensors=2**60))
    _assert_bad(p, "tensors")
    # A valid file of a type mxc cannot load (Q4_K).
    p.write_bytes(_gguf_bytes(tensors=tensor([256], ttype=12), n_tensors=1,
                              data=b"\0" * 144))
    _assert_bad(p, "Q4_K")
    # And a well-formed hand-made file loads.
    p.write_bytes(_gguf_bytes(_gstr("k") + struct.pack("<IB", 0, 5), n_kv=1,
                              tensors=tensor([3, 2]), n_tensors=1,
                              data=np.arange(6, dtype=np.float32).tobytes()))
    arrays, meta = mx.load(str(p), return_metadata=True)
    check(arrays["t"], np.arange(6, dtype=np.float32).reshape(2, 3), mx.float32)
    check(meta["k"], np.array(5, np.uint8), mx.uint8)


# ---------------------------------------------------------------- lazy loading


def test_safetensors_load_is_lazy_and_exact(tmp_path):
    from mxc.core import _array

    path = str(tmp_path / "w.safetensors")
    data = {f"w{i}": np.random.default_rng(i).standard_normal((30, 20)).astype(np.float32)
            for i in range(4)}
    mx.save_safetensors(path, {k: mx.array(v) for k, v in data.items()})
    loaded = mx.load(path)
    assert all(v._value is None for v in loaded.values())  # nothing read yet
    assert loaded["w1"].shape == (30, 20) and loaded["w1"].dtype == mx.float32
    # Used in a compiled function, under grad and under vmap: read when needed.
    f = mx.compile(lambda a, b: (a * b).sum())
    np.testing.assert_allclose(f(loaded["w0"], loaded["w1"]).item(),
                               (data["w0"] * data["w1"]).sum(), rtol=1e-5)
    g = mx.grad(lambda a: (a * a).sum())(loaded["w2"])
    np.testing.assert_allclose(np.array(g), 2 * data["w2"], rtol=1e-6)
    v = mx.vmap(lambda r: r.sum())(loaded["w3"])
    np.testing.assert_allclose(np.array(v), data["w3"].sum(1), rtol=1e-5)
    assert not any(id(a) in _array._lazy_loads for a in loaded.values())


def test_lazy_load_then_cast_reads_one_tensor_at_a_time(tmp_path):
    # The bench's pattern (cast every tensor of a float32 file to float16, then
    # one eval): each cast is evaluated with only its own tensor read.
    from mxc.core import _array

    path = str(tmp_path / "w.safetensors")
    mx.save_safetensors(path, {f"w{i}": mx.full((64, 64), float(i)) for i in range(6)})
    loaded = mx.load(path)
    reads = []
    real = _array._materialize

    def spy(arr):
        reads.append(sum(a._value is not None for a in loaded.values()))
        real(arr)

    _array._materialize = spy
    try:
        casts = {k: v.astype(mx.float16) for k, v in loaded.items()}
        mx.eval(casts)
    finally:
        _array._materialize = real
    assert len(reads) == 6
    for i in range(6):
        np.testing.assert_array_equal(np.array(casts[f"w{i}"]), np.full((64, 64), i, np.float16))


def test_lazy_load_peak_memory_is_one_tensor(tmp_path):
    # In a fresh process: 96 MB of float32 in 24 tensors cast to float16 (48 MB).
    import subprocess
    import sys
    import textwrap

    path = str(tmp_path / "big.safetensors")
    mx.save_safetensors(path, {f"w{i}": mx.ones((1024, 1024)) for i in range(24)})
    code = textwrap.dedent(f"""
        import resource, mxc.core as mx
        w = {{k: v.astype(mx.float16) for k, v in mx.load({path!r}).items()}}
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        mx.eval(w)
        print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**__import__("os").environ, "MXC_DISK_CACHE": "0"})
    assert out.returncode == 0, out.stderr
    grown_mb = float(out.stdout.split()[-1])
    assert grown_mb < 48 + 24, grown_mb  # float16 results plus little: never 96 MB of input


def test_lazy_load_survives_removal_and_refuses_in_place_changes(tmp_path):
    # The file stays open (as in MLX): removing or atomically replacing the path
    # leaves the loaded arrays intact; writing into the same file is detected.
    import os

    path = str(tmp_path / "w.safetensors")
    mx.save_safetensors(path, {"a": mx.ones((4,)), "b": mx.zeros((3,))})
    loaded = mx.load(path)
    mx.save_safetensors(path, {"a": mx.zeros((4,)), "b": mx.ones((3,))})  # atomic replace
    os.remove(path)
    np.testing.assert_array_equal(np.array(loaded["a"]), np.ones(4))
    np.testing.assert_array_equal(np.array(loaded["b"]), np.zeros(3))
    mx.save_safetensors(path, {"a": mx.ones((4,))})
    again = mx.load(path)
    with open(path, "r+b") as f:  # in place
        f.seek(0, 2)
        f.write(b"\0" * 8)
    with pytest.raises(ValueError, match=r"modified after mx.load returned.*'a'"):
        mx.eval(again["a"])


def test_lazy_load_of_float64_with_the_gpu_as_default(tmp_path):
    # Files are read on the host: a float64 tensor loads whatever the default device
    # (ops on it then follow MLX's GPU rule: float64 raises where the op is created).
    path = str(tmp_path / "f64.safetensors")
    mx.save_safetensors(path, {"a": mx.array(np.arange(4.0), dtype=mx.float64)})
    previous = mx.default_device()
    mx.set_default_device(mx.gpu)
    try:
        a = mx.load(path)["a"]
        assert a.dtype == mx.float64
        np.testing.assert_array_equal(np.array(a), np.arange(4.0))
        with pytest.raises(ValueError, match="float64 is not supported on the GPU"):
            a * 2
    finally:
        mx.set_default_device(previous)
