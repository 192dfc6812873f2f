"""Read a GGUF file's metadata (name, architecture, quantization, context, template).

Pure Python over the header, so the model manager can list models without loading
them and a file that is not a GGUF is refused before llama.cpp parses it.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from hkpilot.errors import ModelLoadError

_MAGIC = b"GGUF"
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9

# llama.cpp's llama_ftype values (general.file_type) -> the names people know.
FILE_TYPES = {
    0: "F32",
    1: "F16",
    2: "Q4_0",
    3: "Q4_1",
    7: "Q8_0",
    8: "Q5_0",
    9: "Q5_1",
    10: "Q2_K",
    11: "Q3_K_S",
    12: "Q3_K_M",
    13: "Q3_K_L",
    14: "Q4_K_S",
    15: "Q4_K_M",
    16: "Q5_K_S",
    17: "Q5_K_M",
    18: "Q6_K",
    19: "IQ2_XXS",
    20: "IQ2_XS",
    21: "Q2_K_S",
    22: "IQ3_XS",
    23: "IQ3_XXS",
    24: "IQ1_S",
    25: "IQ4_NL",
    26: "IQ3_S",
    27: "IQ3_M",
    28: "IQ2_S",
    29: "IQ2_M",
    30: "IQ4_XS",
    31: "IQ1_M",
    32: "BF16",
    36: "TQ1_0",
    37: "TQ2_0",
    38: "MXFP4_MOE",
}


@dataclass
class GGUFInfo:
    path: Path
    size: int
    name: str
    architecture: str
    quantization: str
    context_length: int
    block_count: int
    has_chat_template: bool
    chat_template: str
    bos_token_id: int | None
    eos_token_id: int | None


class _Reader:
    def __init__(self, f: IO[bytes], size: int) -> None:
        self.f = f
        self.size = size

    def read(self, n: int) -> bytes:
        if n < 0 or n > self.size:
            raise ValueError("length out of range")
        data = self.f.read(n)
        if len(data) != n:
            raise ValueError("truncated header")
        return data

    def scalar(self, vtype: int) -> Any:
        fmt = _SCALARS[vtype]
        return struct.unpack(fmt, self.read(struct.calcsize(fmt)))[0]

    def string(self) -> str:
        (n,) = struct.unpack("<Q", self.read(8))
        return self.read(n).decode("utf-8", errors="replace")

    def skip_string(self) -> None:
        (n,) = struct.unpack("<Q", self.read(8))
        if n > self.size:
            raise ValueError("length out of range")
        self.f.seek(n, 1)

    def value(self, vtype: int, keep: bool = True) -> Any:
        if vtype == _STRING:
            return self.string()
        if vtype == _ARRAY:
            (itype,) = struct.unpack("<I", self.read(4))
            (count,) = struct.unpack("<Q", self.read(8))
            if count > self.size:
                raise ValueError("array length out of range")
            if itype == _STRING:
                for _ in range(count):
                    self.skip_string()
            elif itype in _SCALARS:
                self.f.seek(struct.calcsize(_SCALARS[itype]) * count, 1)
            else:
                for _ in range(count):
                    self.value(itype, keep=False)
            return count
        if vtype in _SCALARS:
            return self.scalar(vtype)
        raise ValueError(f"unknown value type {vtype}")


def read_gguf_metadata(path: Path) -> dict[str, Any]:
    """All scalar and string metadata of a GGUF file (arrays give their length)."""
    path = Path(path)
    size = path.stat().st_size
    with path.open("rb") as f:
        if f.read(4) != _MAGIC:
            raise ModelLoadError(name=path.name, detail="not a GGUF file")
        try:
            r = _Reader(f, size)
            version = r.scalar(4)
            if version < 2:
                raise ValueError(f"GGUF version {version} is too old")
            r.scalar(10)  # tensor count
            kv_count = r.scalar(10)
            if kv_count > 100_000:
                raise ValueError("implausible metadata count")
            meta: dict[str, Any] = {"gguf.version": version}
            for _ in range(kv_count):
                key = r.string()
                vtype = r.scalar(4)
                meta[key] = r.value(vtype)
            return meta
        except (ValueError, KeyError, struct.error, OSError) as exc:
            raise ModelLoadError(name=path.name, detail=f"damaged GGUF header ({exc})") from exc


def gguf_info(path: Path) -> GGUFInfo:
    meta = read_gguf_metadata(path)
    arch = str(meta.get("general.architecture", "unknown"))
    ftype = meta.get("general.file_type")
    template = str(meta.get("tokenizer.chat_template", "") or "")
    return GGUFInfo(
        path=Path(path),
        size=Path(path).stat().st_size,
        name=str(meta.get("general.name") or Path(path).stem),
        architecture=arch,
        quantization=FILE_TYPES.get(ftype, str(ftype)) if ftype is not None else "unknown",
        context_length=int(meta.get(f"{arch}.context_length", 0) or 0),
        block_count=int(meta.get(f"{arch}.block_count", 0) or 0),
        has_chat_template=bool(template.strip()),
        chat_template=template,
        bos_token_id=meta.get("tokenizer.ggml.bos_token_id"),
        eos_token_id=meta.get("tokenizer.ggml.eos_token_id"),
    )
