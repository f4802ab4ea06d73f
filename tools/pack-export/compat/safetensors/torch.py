"""safetensors.torch API subset diffusers uses: load_file, save_file, safe_open (see __init__.py)."""
import json
import struct

import torch

_DTYPES = {
    "F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
    "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8,
    "U8": torch.uint8, "BOOL": torch.bool,
}
_NAMES = {v: k for k, v in _DTYPES.items()}
# A header larger than this is a broken or hostile file, not a model (real headers are < 10 MB).
_MAX_HEADER = 100 * 1024 * 1024


def _read_header(f):
    raw = f.read(8)
    if len(raw) != 8:
        raise ValueError("not a safetensors file: shorter than its 8-byte header length")
    (n,) = struct.unpack("<Q", raw)
    if n > _MAX_HEADER:
        raise ValueError(f"not a safetensors file: header length {n} is implausible")
    header = json.loads(f.read(n).decode("utf-8"))
    return header, 8 + n


class safe_open:  # noqa: N801 (the real package's name)
    def __init__(self, filename, framework="pt", device="cpu"):
        self._file = open(filename, "rb")
        self._header, self._start = _read_header(self._file)
        self._file.seek(0, 2)
        self._size = self._file.tell()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._file.close()

    def keys(self):
        return [k for k in self._header if k != "__metadata__"]

    def metadata(self):
        return self._header.get("__metadata__")

    def get_tensor(self, name):
        info = self._header[name]
        dtype = _DTYPES.get(info["dtype"])
        if dtype is None:
            raise ValueError(f"{name}: unsupported dtype {info['dtype']}")
        begin, end = info["data_offsets"]
        if not (0 <= begin <= end and self._start + end <= self._size):
            raise ValueError(f"{name}: data offsets {begin}..{end} lie outside the file (truncated?)")
        self._file.seek(self._start + begin)
        data = bytearray(self._file.read(end - begin))
        t = torch.frombuffer(data, dtype=dtype) if data else torch.empty(0, dtype=dtype)
        shape = info["shape"]
        if t.numel() != (1 if not shape else int(torch.tensor(shape).prod())):
            raise ValueError(f"{name}: {end - begin} bytes do not hold shape {shape} of {info['dtype']}")
        return t.reshape(shape).clone()


def load_file(filename, device="cpu"):
    with safe_open(filename) as f:
        return {k: f.get_tensor(k) for k in f.keys()}


def load(data):
    import io
    f = io.BytesIO(data)
    header, start = _read_header(f)
    out = {}
    for k, info in header.items():
        if k == "__metadata__":
            continue
        b, e = info["data_offsets"]
        buf = bytearray(data[start + b:start + e])
        out[k] = torch.frombuffer(buf, dtype=_DTYPES[info["dtype"]]).reshape(info["shape"]).clone()
    return out


def save_file(tensors, filename, metadata=None):
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        blob = t.numpy().tobytes() if t.dtype != torch.bfloat16 else t.view(torch.int16).numpy().tobytes()
        header[name] = {"dtype": _NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)  # the format aligns the data start to 8 bytes
    with open(filename, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
